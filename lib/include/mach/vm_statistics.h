/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_statistics.h>, the vm_allocate flags and host_statistics' VM figures. */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

/* The VM_FLAGS_* values come from the one ABI definition. */
#include <linux/mach.h>
#include <stdint.h>
#include <mach/machine/vm_types.h>

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

/* host_statistics(HOST_VM_INFO): counts truncated to 32 bits. */
struct vm_statistics {
	natural_t	free_count;
	natural_t	active_count;
	natural_t	inactive_count;
	natural_t	wire_count;
	natural_t	zero_fill_count;
	natural_t	reactivations;
	natural_t	pageins;
	natural_t	pageouts;
	natural_t	faults;
	natural_t	cow_faults;
	natural_t	lookups;
	natural_t	hits;
	natural_t	purgeable_count;	/* rev1 */
	natural_t	purges;			/* rev1 */
	natural_t	speculative_count;	/* rev2 */
};
typedef struct vm_statistics	*vm_statistics_t;
typedef struct vm_statistics	vm_statistics_data_t;

/* host_statistics64(HOST_VM_INFO64) */
struct vm_statistics64 {
	natural_t	free_count;
	natural_t	active_count;
	natural_t	inactive_count;
	natural_t	wire_count;
	uint64_t	zero_fill_count;
	uint64_t	reactivations;
	uint64_t	pageins;
	uint64_t	pageouts;
	uint64_t	faults;
	uint64_t	cow_faults;
	uint64_t	lookups;
	uint64_t	hits;
	uint64_t	purges;
	natural_t	purgeable_count;
	natural_t	speculative_count;
	/* rev1 */
	uint64_t	decompressions;
	uint64_t	compressions;
	uint64_t	swapins;
	uint64_t	swapouts;
	natural_t	compressor_page_count;
	natural_t	throttled_count;
	natural_t	external_page_count;
	natural_t	internal_page_count;
	uint64_t	total_uncompressed_pages_in_compressor;
} __attribute__((aligned(8)));
typedef struct vm_statistics64	*vm_statistics64_t;
typedef struct vm_statistics64	vm_statistics64_data_t;


#endif /* _MACH_VM_STATISTICS_H_ */
