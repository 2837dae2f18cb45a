/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_types.h> */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <stdint.h>
#include <mach/machine/vm_types.h>

typedef vm_offset_t	pointer_t;
typedef vm_offset_t	vm_address_t;
typedef uint64_t	addr64_t;
typedef uint32_t	reg64_t;
typedef uint32_t	ppnum_t;

#endif /* _MACH_VM_TYPES_H_ */
