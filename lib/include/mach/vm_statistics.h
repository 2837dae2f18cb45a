/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_statistics.h>, the vm_allocate flags. */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

/* The VM_FLAGS_* values come from the one ABI definition. */
#include <linux/mach.h>

#define VM_GET_FLAGS_ALIAS(flags, alias) \
	(alias) = (int)(((flags) >> 24) & 0xff)
#define VM_SET_FLAGS_ALIAS(flags, alias) \
	(flags) = (((flags) & ~VM_FLAGS_ALIAS_MASK) | (((alias) & ~VM_FLAGS_ALIAS_MASK) << 24))

/* What vm_allocate accepts. */
#define VM_FLAGS_USER_ALLOCATE \
	(VM_FLAGS_FIXED | VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE | \
	 VM_FLAGS_4GB_CHUNK | VM_FLAGS_RANDOM_ADDR | VM_FLAGS_NO_CACHE | \
	 VM_FLAGS_PERMANENT | VM_FLAGS_OVERWRITE | VM_FLAGS_SUPERPAGE_MASK | \
	 VM_FLAGS_ALIAS_MASK)

/* Memory tags (accepted and ignored on Linux). */
#define VM_MAKE_TAG(tag)		((tag) << 24)
#define VM_MEMORY_MALLOC		1
#define VM_MEMORY_MACH_MSG		20
#define VM_MEMORY_IOKIT			21
#define VM_MEMORY_STACK			30
#define VM_MEMORY_GUARD			31
#define VM_MEMORY_SHARED_PMAP		32
#define VM_MEMORY_DYLIB			33
#define VM_MEMORY_APPLICATION_SPECIFIC_1 240
#define VM_MEMORY_APPLICATION_SPECIFIC_16 255

#endif /* _MACH_VM_STATISTICS_H_ */
