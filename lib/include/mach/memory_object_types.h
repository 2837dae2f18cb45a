/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/memory_object_types.h>, what mach_make_memory_entry and
 * mach_vm_map use.  The MAP_MEM_* values come from <linux/mach.h>.
 */
#ifndef _MACH_MEMORY_OBJECT_TYPES_H_
#define _MACH_MEMORY_OBJECT_TYPES_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <linux/mach.h>

typedef unsigned long long	memory_object_offset_t;
typedef unsigned long long	memory_object_size_t;
typedef natural_t		memory_object_cluster_size_t;
typedef mach_port_t		memory_object_t;
typedef mach_port_t		memory_object_control_t;
typedef mach_port_t		memory_object_name_t;
typedef unsigned long long	vm_object_id_t;

#define MEMORY_OBJECT_NULL		((memory_object_t)0)
#define MEMORY_OBJECT_CONTROL_NULL	((memory_object_control_t)0)
#define MEMORY_OBJECT_NAME_NULL		((memory_object_name_t)0)

#endif /* _MACH_MEMORY_OBJECT_TYPES_H_ */
