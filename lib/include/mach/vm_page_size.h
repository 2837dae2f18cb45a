/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_page_size.h> */
#ifndef _MACH_VM_PAGE_SIZE_H_
#define _MACH_VM_PAGE_SIZE_H_

#include <mach/machine/vm_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Set from the kernel's page size when libmach is loaded. */
extern vm_size_t vm_page_size;
extern vm_size_t vm_page_mask;
extern int vm_page_shift;

extern vm_size_t vm_kernel_page_size;
extern vm_size_t vm_kernel_page_mask;
extern int vm_kernel_page_shift;

#define trunc_page_kernel(x)	((x) & (~vm_kernel_page_mask))
#define round_page_kernel(x)	trunc_page_kernel((x) + vm_kernel_page_mask)

#ifdef __cplusplus
}
#endif

#endif /* _MACH_VM_PAGE_SIZE_H_ */
