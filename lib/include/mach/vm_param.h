/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_param.h>, page rounding on the running kernel's page size. */
#ifndef _MACH_VM_PARAM_H_
#define _MACH_VM_PARAM_H_

#include <mach/vm_types.h>
#include <mach/vm_page_size.h>

#define trunc_page(x)		((x) & (~(vm_page_size - 1)))
#define round_page(x)		trunc_page((x) + (vm_page_size - 1))

#define mach_vm_trunc_page(x)	((mach_vm_offset_t)(x) & ~((signed)vm_page_mask))
#define mach_vm_round_page(x)	(((mach_vm_offset_t)(x) + vm_page_mask) & ~((signed)vm_page_mask))

#endif /* _MACH_VM_PARAM_H_ */
