/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/vm_map.h>.  On Linux only the caller's own address space
 * can be the target (target_task must be mach_task_self()).
 */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-filled, page-rounded anonymous memory; flags VM_FLAGS_ANYWHERE or FIXED. */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, int flags);
/* Unmaps the pages covering [address, address+size); size 0 is a no-op. */
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address,
			    vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_VM_MAP_H_ */
