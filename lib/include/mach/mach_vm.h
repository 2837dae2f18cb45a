/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mach_vm.h>, the 64-bit vm calls (same semantics as vm_map.h). */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_VM_H_ */
