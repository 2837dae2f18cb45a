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

/* What mach_vm_map and mach_vm_remap accept (Darwin's lists). */
#define VM_FLAGS_USER_MAP \
	(VM_FLAGS_USER_ALLOCATE | VM_FLAGS_RETURN_4K_DATA_ADDR | VM_FLAGS_RETURN_DATA_ADDR)
#define VM_FLAGS_USER_REMAP \
	(VM_FLAGS_FIXED | VM_FLAGS_ANYWHERE | VM_FLAGS_RANDOM_ADDR | VM_FLAGS_OVERWRITE | \
	 VM_FLAGS_RETURN_DATA_ADDR | VM_FLAGS_RESILIENT_CODESIGN | VM_FLAGS_RESILIENT_MEDIA)

/* mach_vm_page_query's dispositions. */
#define VM_PAGE_QUERY_PAGE_PRESENT	0x1
#define VM_PAGE_QUERY_PAGE_FICTITIOUS	0x2
#define VM_PAGE_QUERY_PAGE_REF		0x4
#define VM_PAGE_QUERY_PAGE_DIRTY	0x8
#define VM_PAGE_QUERY_PAGE_PAGED_OUT	0x10
#define VM_PAGE_QUERY_PAGE_COPIED	0x20
#define VM_PAGE_QUERY_PAGE_SPECULATIVE	0x40
#define VM_PAGE_QUERY_PAGE_EXTERNAL	0x80
#define VM_PAGE_QUERY_PAGE_CS_VALIDATED	0x100
#define VM_PAGE_QUERY_PAGE_CS_TAINTED	0x200
#define VM_PAGE_QUERY_PAGE_CS_NX	0x400
#define VM_PAGE_QUERY_PAGE_REUSABLE	0x800

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
