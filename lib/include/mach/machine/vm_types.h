/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/machine/vm_types.h>, Darwin's LP64 scalar types. */
#ifndef _MACH_MACHINE_VM_TYPES_H_
#define _MACH_MACHINE_VM_TYPES_H_

#include <stdint.h>

typedef unsigned int	natural_t;
typedef int		integer_t;

typedef uintptr_t	vm_offset_t;
typedef uintptr_t	vm_size_t;

typedef uint64_t	mach_vm_address_t;
typedef uint64_t	mach_vm_offset_t;
typedef uint64_t	mach_vm_size_t;

typedef uint64_t	vm_map_offset_t;
typedef uint64_t	vm_map_address_t;
typedef uint64_t	vm_map_size_t;

typedef uint32_t	vm32_offset_t;
typedef uint32_t	vm32_address_t;
typedef uint32_t	vm32_size_t;

typedef vm_offset_t	mach_port_context_t;

#endif /* _MACH_MACHINE_VM_TYPES_H_ */
