// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of the mach_vm_* family (issue 16): protect (and set_maximum),
 * inherit, region (basic, extended, top; cross-checked against
 * /proc/self/maps), region_recurse, read, read_list, read_overwrite,
 * write, copy (byte for byte), remap (copy and share), behavior_set,
 * msync, purgable_control, page_query/page_info; every error code of
 * XNU's vm_map.c / vm_user.c they can return; the module's remote read and
 * write path on the caller's own task; refusal of a name that is no task;
 * mprotect/madvise/munmap done behind libmach's back.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"

#include <mach/linux.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

static char *anon(size_t pages)
{
	void *p = mmap(NULL, pages * PAGE_SZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static mach_vm_address_t A(const void *p)
{
	return (mach_vm_address_t)(uintptr_t)p;
}

static kern_return_t basic(const void *at, mach_vm_address_t *addr, mach_vm_size_t *size,
			   vm_region_basic_info_data_64_t *info)
{
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t obj = 1;
	kern_return_t kr;

	*addr = A(at);
	kr = mach_vm_region(TASK, addr, size, VM_REGION_BASIC_INFO_64, (vm_region_info_t)info,
			    &count, &obj);
	if (kr == KERN_SUCCESS && (count != VM_REGION_BASIC_INFO_COUNT_64 || obj != MACH_PORT_NULL))
		return KERN_FAILURE;
	return kr;
}

/* The region's current and maximum protection at p. */
static int prot_at(const void *p, int *max)
{
	vm_region_basic_info_data_64_t info;
	mach_vm_address_t a;
	mach_vm_size_t s;

	if (basic(p, &a, &s, &info) != KERN_SUCCESS || a > A(p))
		return -1;
	if (max)
		*max = info.max_protection;
	return info.protection;
}

static mach_port_t shared_entry(size_t size)
{
	memory_object_size_t sz = size;
	mach_port_t h = MACH_PORT_NULL;

	if (mach_make_memory_entry_64(TASK, &sz, 0, VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &h,
				      MACH_PORT_NULL) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return h;
}

static char *map_shared(mach_port_t h, size_t size, vm_prot_t max)
{
	mach_vm_address_t a = 0;

	if (mach_vm_map(TASK, &a, size, 0, VM_FLAGS_ANYWHERE, h, 0, FALSE, max, max,
			VM_INHERIT_DEFAULT) != KERN_SUCCESS)
		return NULL;
	return (char *)(uintptr_t)a;
}

/* madvise is absent without CONFIG_ADVISE_SYSCALLS: what needs it is KERN_NOT_SUPPORTED. */
static int have_madvise(void)
{
	return !(madvise(NULL, 0, MADV_NORMAL) == -1 && errno == ENOSYS);
}

static void fill(char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)(i * 131 + seed);
}

/* mprotect of the whole range, a hole refusing all of it, set_maximum (vm_map_protect). */
TEST(protect)
{
	size_t pg = PAGE_SZ;
	char *p = anon(4);
	int max;

	ASSERT_NE(NULL, p);
	/* unaligned start and size cover pages 1 and 2 */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p) + pg + 5, pg, FALSE, VM_PROT_READ));
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p, NULL));
	EXPECT_EQ(VM_PROT_READ, prot_at(p + pg, NULL));
	EXPECT_EQ(VM_PROT_READ, prot_at(p + 2 * pg, NULL));
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p + 3 * pg, NULL));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_write(TASK, A(p) + pg, A(p), 8));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p), 4 * pg, FALSE, VM_PROT_DEFAULT));
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p + pg, NULL));

	/* size 0 succeeds whatever the address (mach_vm_protect) */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, 0, 0, FALSE, VM_PROT_NONE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_protect(TASK, A(p), pg, FALSE, 0x100));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_protect(TASK, A(p), ~0ULL, FALSE, VM_PROT_READ));

	/* a hole anywhere: KERN_INVALID_ADDRESS and nothing changed */
	ASSERT_EQ(0, munmap(p + 2 * pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_protect(TASK, A(p), 4 * pg, FALSE, VM_PROT_READ));
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p, NULL));
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p + pg, NULL));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_protect(TASK, A(p) + 2 * pg, pg, FALSE, VM_PROT_READ));

	/* set_maximum lowers the maximum and what is current of it */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p), pg, TRUE, VM_PROT_READ));
	EXPECT_EQ(VM_PROT_READ, prot_at(p, &max));
	EXPECT_EQ(VM_PROT_READ, max);
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_protect(TASK, A(p), pg, FALSE, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_protect(TASK, A(p), pg, TRUE, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p), pg, FALSE, VM_PROT_NONE));
	EXPECT_EQ(VM_PROT_NONE, prot_at(p, NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p), pg, FALSE, VM_PROT_READ));
	/* the next page was not touched */
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p + pg, &max));
	EXPECT_EQ(VM_PROT_ALL, max);
	/* deallocated: a new mapping there starts with the full maximum */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(p), 4 * pg));
	{
		mach_vm_address_t a = A(p);

		ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(TASK, &a, pg, VM_FLAGS_FIXED));
		EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, a, pg, FALSE, VM_PROT_DEFAULT));
		EXPECT_EQ(VM_PROT_DEFAULT, prot_at(p, &max));
		EXPECT_EQ(VM_PROT_ALL, max);
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, a, pg));
	}
}

/* A memory entry mapped without VM_PROT_WRITE in its maximum cannot be made writable. */
TEST(protect_entry_max)
{
	size_t pg = PAGE_SZ;
	mach_port_t h = shared_entry(2 * pg);
	char *r;
	int max;

	ASSERT_NE(MACH_PORT_NULL, h);
	r = map_shared(h, 2 * pg, VM_PROT_READ);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(VM_PROT_READ, prot_at(r, &max));
	EXPECT_EQ(0, max & VM_PROT_WRITE);
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_protect(TASK, A(r), pg, FALSE, VM_PROT_DEFAULT));
	/* VM_PROT_COPY would make a private copy of shared pages in place: not on Linux */
	EXPECT_EQ(KERN_NOT_SUPPORTED,
		  mach_vm_protect(TASK, A(r), pg, FALSE, VM_PROT_DEFAULT | VM_PROT_COPY));
	EXPECT_EQ(KERN_SUCCESS, vm_protect(TASK, (vm_address_t)r, pg, FALSE, VM_PROT_NONE));
	EXPECT_EQ(VM_PROT_NONE, prot_at(r, NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(r), 2 * pg));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
}

static int child_sees(const char *p)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		unsigned char v;

		_exit(mincore((void *)p, 1, &v) == 0 ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* vm_map_inherit: NONE keeps a range from a child; holes are skipped; SHARE of private memory. */
TEST(inherit)
{
	vm_region_basic_info_data_64_t info;
	mach_vm_address_t a;
	mach_vm_size_t s;
	size_t pg = PAGE_SZ;
	mach_port_t h;
	char *p = anon(2), *sh;

	ASSERT_NE(NULL, p);
	if (!have_madvise())
		SKIP(return, "no madvise");
	EXPECT_EQ(1, child_sees(p));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_inherit(TASK, A(p), 2 * pg, VM_INHERIT_NONE));
	ASSERT_EQ(KERN_SUCCESS, basic(p, &a, &s, &info));
	EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);
	EXPECT_EQ(0, child_sees(p));
	EXPECT_EQ(KERN_SUCCESS, vm_inherit(TASK, (vm_address_t)p, 2 * pg, VM_INHERIT_COPY));
	ASSERT_EQ(KERN_SUCCESS, basic(p, &a, &s, &info));
	EXPECT_EQ(VM_INHERIT_COPY, info.inheritance);
	EXPECT_EQ(1, child_sees(p));

	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_inherit(TASK, A(p), pg, VM_INHERIT_DONATE_COPY));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_inherit(TASK, A(p), 0, 99));
	/* Linux cannot share private memory with a child after the fact */
	EXPECT_EQ(KERN_NOT_SUPPORTED, mach_vm_inherit(TASK, A(p), pg, VM_INHERIT_SHARE));
	/* a hole is skipped, as vm_map_inherit does */
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_inherit(TASK, A(p), 2 * pg, VM_INHERIT_NONE));
	EXPECT_EQ(0, child_sees(p));
	EXPECT_EQ(0, munmap(p, pg));

	h = shared_entry(pg);
	ASSERT_NE(MACH_PORT_NULL, h);
	sh = map_shared(h, pg, VM_PROT_DEFAULT);
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(KERN_SUCCESS, basic(sh, &a, &s, &info));
	EXPECT_EQ(VM_INHERIT_SHARE, info.inheritance);
	EXPECT_TRUE(info.shared);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_inherit(TASK, A(sh), pg, VM_INHERIT_SHARE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(sh), pg));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
}

static char maps_buf[1 << 20];

/* Every region mach_vm_region reports is the next line of /proc/self/maps. */
TEST(region_matches_proc_maps)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t n;
	char *line, *save = NULL;
	mach_vm_address_t addr = 0;
	int regions = 0;

	ASSERT_LE(0, fd);
	while ((n = read(fd, maps_buf + len, sizeof(maps_buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	maps_buf[len] = 0;
	for (line = strtok_r(maps_buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long lo, hi, off, ino;
		char perms[5], dev[16];
		vm_region_basic_info_data_64_t info;
		mach_vm_address_t a = addr;
		mach_vm_size_t s = 0;
		mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
		int prot;

		ASSERT_EQ(6, sscanf(line, "%lx-%lx %4s %lx %15s %lu", &lo, &hi, perms, &off, dev,
				    &ino));
		if (strstr(line, "[vsyscall]"))	/* the gate area is no VMA */
			continue;
		ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_BASIC_INFO_64,
						       (vm_region_info_t)&info, &count, NULL))
			TH_LOG("%s", line);
		EXPECT_EQ(lo, a) TH_LOG("%s", line);
		EXPECT_EQ(hi - lo, s) TH_LOG("%s", line);
		prot = (perms[0] == 'r' ? VM_PROT_READ : 0) | (perms[1] == 'w' ? VM_PROT_WRITE : 0) |
		       (perms[2] == 'x' ? VM_PROT_EXECUTE : 0);
		EXPECT_EQ(prot, info.protection) TH_LOG("%s", line);
		EXPECT_EQ(prot, info.protection & info.max_protection) TH_LOG("%s", line);
		EXPECT_EQ(perms[3] == 's', !!info.shared) TH_LOG("%s", line);
		if (ino) {
			vm_region_top_info_data_t top;
			mach_msg_type_number_t tc = VM_REGION_TOP_INFO_COUNT;

			EXPECT_EQ(off, info.offset) TH_LOG("%s", line);
			a = lo;
			ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_TOP_INFO,
							       (vm_region_info_t)&top, &tc, NULL));
			EXPECT_EQ((unsigned int)ino, top.obj_id) TH_LOG("%s", line);
		}
		addr = hi;
		regions++;
	}
	EXPECT_LT(3, regions);
	/* nothing above the last region */
	{
		vm_region_basic_info_data_64_t info;
		mach_vm_size_t s;
		mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;

		EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_region(TASK, &addr, &s, VM_REGION_BASIC_INFO_64,
							       (vm_region_info_t)&info, &count, NULL));
	}
}

/* Flavours, counts, extended and top info; vm_region's legacy basic info. */
TEST(region_flavors)
{
	size_t pg = PAGE_SZ;
	char *p = anon(4);
	vm_region_basic_info_data_64_t b64;
	vm_region_basic_info_data_t b;
	vm_region_extended_info_data_t e;
	vm_region_top_info_data_t t;
	mach_vm_address_t a;
	vm_address_t va;
	vm_size_t vs;
	mach_vm_size_t s;
	mach_msg_type_number_t count;
	mach_port_t h;
	char *sh;

	ASSERT_NE(NULL, p);
	/* a fixed neighbour-free range: guard pages around it */
	ASSERT_EQ(0, mprotect(p, pg, PROT_NONE));
	ASSERT_EQ(0, mprotect(p + 3 * pg, pg, PROT_NONE));

	count = VM_REGION_EXTENDED_INFO_COUNT;
	a = A(p) + pg;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_EXTENDED_INFO,
					       (vm_region_info_t)&e, &count, NULL));
	EXPECT_EQ(A(p) + pg, a);
	EXPECT_EQ(2 * pg, s);
	EXPECT_EQ(VM_REGION_EXTENDED_INFO_COUNT, count);
	EXPECT_EQ(0u, e.pages_resident);
	EXPECT_EQ(SM_EMPTY, e.share_mode);
	p[pg] = 1;
	p[2 * pg] = 1;
	count = VM_REGION_EXTENDED_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_EXTENDED_INFO,
					       (vm_region_info_t)&e, &count, NULL));
	EXPECT_EQ(2u, e.pages_resident);
	EXPECT_EQ(SM_PRIVATE, e.share_mode);
	EXPECT_EQ(VM_PROT_DEFAULT, e.protection);
	/* the legacy extended count is still taken */
	count = VM_REGION_EXTENDED_INFO_COUNT - 1;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_EXTENDED_INFO,
					       (vm_region_info_t)&e, &count, NULL));
	EXPECT_EQ(VM_REGION_EXTENDED_INFO_COUNT - 1, count);
	count = VM_REGION_EXTENDED_INFO_COUNT - 2;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region(TASK, &a, &s, VM_REGION_EXTENDED_INFO,
							(vm_region_info_t)&e, &count, NULL));

	count = VM_REGION_TOP_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_TOP_INFO,
					       (vm_region_info_t)&t, &count, NULL));
	EXPECT_EQ(2u, t.private_pages_resident);
	EXPECT_EQ(0u, t.shared_pages_resident);
	EXPECT_EQ(SM_PRIVATE, t.share_mode);

	/* short counts and unknown flavours */
	count = VM_REGION_BASIC_INFO_COUNT_64 - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region(TASK, &a, &s, VM_REGION_BASIC_INFO_64,
							(vm_region_info_t)&b64, &count, NULL));
	count = VM_REGION_TOP_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region(TASK, &a, &s, VM_REGION_TOP_INFO,
							(vm_region_info_t)&t, &count, NULL));
	count = 100;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region(TASK, &a, &s, 11, (vm_region_info_t)&e,
							&count, NULL));
	/* VM_REGION_BASIC_INFO is the 64-bit one for mach_vm_region and vm_region_64 */
	count = VM_REGION_BASIC_INFO_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_BASIC_INFO,
					       (vm_region_info_t)&b64, &count, NULL));
	EXPECT_EQ(VM_REGION_BASIC_INFO_COUNT_64, count);
	count = VM_REGION_BASIC_INFO_COUNT;
	va = (vm_address_t)p;
	ASSERT_EQ(KERN_SUCCESS, vm_region(TASK, &va, &vs, VM_REGION_BASIC_INFO,
					  (vm_region_info_t)&b, &count, NULL));
	EXPECT_EQ(VM_REGION_BASIC_INFO_COUNT, count);
	EXPECT_EQ((vm_address_t)p, va);
	EXPECT_EQ(pg, vs);
	EXPECT_EQ(VM_PROT_NONE, b.protection);
	count = VM_REGION_BASIC_INFO_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, vm_region_64(TASK, &va, &vs, VM_REGION_BASIC_INFO_64,
					     (vm_region_info_t)&b64, &count, NULL));
	/* behaviour and wiring show */
	ASSERT_EQ(have_madvise() ? KERN_SUCCESS : KERN_NOT_SUPPORTED,
		  mach_vm_behavior_set(TASK, A(p) + pg, 2 * pg, VM_BEHAVIOR_RANDOM));
	a = A(p) + pg;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_BASIC_INFO_64,
					       (vm_region_info_t)&b64, &count, NULL));
	EXPECT_EQ(have_madvise() ? VM_BEHAVIOR_RANDOM : VM_BEHAVIOR_DEFAULT, b64.behavior);
	EXPECT_EQ(0, b64.user_wired_count);
	EXPECT_EQ(0u, b64.offset);
	EXPECT_EQ(0, munmap(p, 4 * pg));

	h = shared_entry(pg);
	ASSERT_NE(MACH_PORT_NULL, h);
	sh = map_shared(h, pg, VM_PROT_DEFAULT);
	ASSERT_NE(NULL, sh);
	sh[0] = 1;
	a = A(sh);
	count = VM_REGION_TOP_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region(TASK, &a, &s, VM_REGION_TOP_INFO,
					       (vm_region_info_t)&t, &count, NULL));
	EXPECT_EQ(SM_SHARED, t.share_mode);
	EXPECT_EQ(1u, t.shared_pages_resident);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(sh), pg));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
}

/* vm_map_region_recurse_64: no submaps on Linux, depth 0, each info count. */
TEST(region_recurse)
{
	size_t pg = PAGE_SZ;
	char *p = anon(3);
	vm_region_submap_info_data_64_t si;
	vm_region_submap_short_info_data_64_t ss;
	vm_region_submap_info_data_t s32;
	mach_vm_address_t a;
	mach_vm_size_t s;
	natural_t depth;
	mach_msg_type_number_t count;
	vm_address_t va;
	vm_size_t vs;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, mprotect(p, pg, PROT_NONE));
	ASSERT_EQ(0, mprotect(p + 2 * pg, pg, PROT_NONE));
	p[pg] = 3;

	a = A(p) + pg + 9;
	depth = 5;
	count = VM_REGION_SUBMAP_INFO_COUNT_64;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_region_recurse(TASK, &a, &s, &depth,
						       (vm_region_recurse_info_t)&si, &count));
	EXPECT_EQ(A(p) + pg, a);
	EXPECT_EQ(pg, s);
	EXPECT_EQ(0u, depth);
	EXPECT_EQ(VM_REGION_SUBMAP_INFO_COUNT_64, count);
	EXPECT_FALSE(si.is_submap);
	EXPECT_EQ(VM_PROT_DEFAULT, si.protection);
	EXPECT_EQ(VM_PROT_ALL, si.max_protection);
	EXPECT_EQ(VM_INHERIT_COPY, si.inheritance);
	EXPECT_EQ(1u, si.pages_resident);
	EXPECT_EQ(SM_PRIVATE, si.share_mode);

	count = VM_REGION_SUBMAP_INFO_V1_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_region_recurse(TASK, &a, &s, &depth,
						       (vm_region_recurse_info_t)&si, &count));
	EXPECT_EQ(VM_REGION_SUBMAP_INFO_V1_COUNT_64, count);
	count = VM_REGION_SUBMAP_INFO_V0_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_region_recurse(TASK, &a, &s, &depth,
						       (vm_region_recurse_info_t)&si, &count));
	EXPECT_EQ(VM_REGION_SUBMAP_INFO_V0_COUNT_64, count);
	count = VM_REGION_SUBMAP_SHORT_INFO_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_region_recurse(TASK, &a, &s, &depth,
						       (vm_region_recurse_info_t)&ss, &count));
	EXPECT_EQ(VM_REGION_SUBMAP_SHORT_INFO_COUNT_64, count);
	EXPECT_EQ(VM_PROT_DEFAULT, ss.protection);
	EXPECT_FALSE(ss.is_submap);
	count = VM_REGION_SUBMAP_SHORT_INFO_COUNT_64 - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region_recurse(TASK, &a, &s, &depth,
								(vm_region_recurse_info_t)&ss,
								&count));
	va = (vm_address_t)p;
	count = VM_REGION_SUBMAP_INFO_COUNT_64;
	EXPECT_EQ(KERN_SUCCESS, vm_region_recurse_64(TASK, &va, &vs, &depth,
						     (vm_region_recurse_info_t)&si, &count));
	EXPECT_EQ((vm_address_t)p, va);
	EXPECT_EQ(VM_PROT_NONE, si.protection);
	count = VM_REGION_SUBMAP_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, vm_region_recurse(TASK, &va, &vs, &depth,
						  (vm_region_recurse_info_t)&s32, &count));
	EXPECT_EQ(VM_REGION_SUBMAP_INFO_COUNT, count);
	EXPECT_EQ(0, munmap(p, 3 * pg));
}

/* vm_map_copyin: new pages at the source's page offset, byte for byte; its errors. */
TEST(read_snapshot)
{
	size_t pg = PAGE_SZ;
	char *p = anon(4);
	vm_offset_t data = 1;
	mach_msg_type_number_t cnt = 1;

	ASSERT_NE(NULL, p);
	fill(p, 4 * pg, 3);
	ASSERT_EQ(KERN_SUCCESS, mach_vm_read(TASK, A(p) + 100, 2 * pg + 7, &data, &cnt));
	EXPECT_EQ(2 * pg + 7, cnt);
	EXPECT_EQ(100u, data & (pg - 1));
	EXPECT_NE(A(p) + 100, data);
	EXPECT_EQ(0, memcmp((void *)data, p + 100, cnt));
	/* a snapshot: later writes to the source are not seen */
	p[100] ^= 0x55;
	EXPECT_NE(p[100], *(char *)data);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, data, cnt));
	EXPECT_EQ(KERN_SUCCESS, vm_read(TASK, (vm_address_t)p, pg, &data, &cnt));
	EXPECT_EQ(0, memcmp((void *)data, p, pg));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, data, cnt));

	EXPECT_EQ(KERN_SUCCESS, mach_vm_read(TASK, A(p), 0, &data, &cnt));
	EXPECT_EQ(0u, data);
	EXPECT_EQ(0u, cnt);
	/* the count is a mach_msg_type_number_t */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_read(TASK, A(p), 1ULL << 32, &data, &cnt));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_read(TASK, ~0ULL - 10, 100, &data, &cnt));
	ASSERT_EQ(0, mprotect(p + 2 * pg, pg, PROT_NONE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_read(TASK, A(p), 4 * pg, &data, &cnt));
	ASSERT_EQ(0, munmap(p + pg, pg));
	/* the hole comes first in address order */
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_read(TASK, A(p), 4 * pg, &data, &cnt));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_read(TASK, A(p) + 3 * pg, pg, &data, &cnt));
	EXPECT_EQ(0, memcmp((void *)data, p + 3 * pg, pg));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, data, cnt));
	EXPECT_EQ(0, munmap(p, 4 * pg));
}

/* mach_vm_read_list: each entry alone; a failed one reads back {0, 0}. */
TEST(read_list)
{
	size_t pg = PAGE_SZ;
	char *p = anon(3);
	mach_vm_read_entry_t list;
	vm_read_entry_t vlist;

	ASSERT_NE(NULL, p);
	fill(p, 3 * pg, 9);
	ASSERT_EQ(0, munmap(p + pg, pg));
	memset(list, 0, sizeof(list));
	list[0].address = A(p) + 1;
	list[0].size = 10;
	list[1].address = 4096;	/* below mmap_min_addr: a hole no new mapping fills */
	list[1].size = 10;
	list[2].address = A(p) + 2 * pg;
	list[2].size = pg;
	list[3].address = A(p);
	list[3].size = 0;
	/* the result is the last non-empty entry's */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_read_list(TASK, list, 4));
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)list[0].address, p + 1, 10));
	EXPECT_EQ(10u, list[0].size);
	EXPECT_EQ(0u, list[1].address);
	EXPECT_EQ(0u, list[1].size);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)list[2].address, p + 2 * pg, pg));
	EXPECT_EQ(0u, list[3].address);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, list[0].address, list[0].size));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, list[2].address, list[2].size));

	memset(list, 0, sizeof(list));
	list[0].address = A(p);
	list[0].size = 8;
	list[1].address = 4096;
	list[1].size = 8;
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_read_list(TASK, list, 2));
	EXPECT_NE(0u, list[0].address);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, list[0].address, 8));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_read_list(TASK, list, VM_MAP_ENTRY_MAX + 1));

	memset(vlist, 0, sizeof(vlist));
	vlist[0].address = (vm_address_t)p;
	vlist[0].size = 16;
	EXPECT_EQ(KERN_SUCCESS, vm_read_list(TASK, vlist, 1));
	EXPECT_EQ(0, memcmp((void *)vlist[0].address, p, 16));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, vlist[0].address, 16));
	EXPECT_EQ(0, munmap(p, 3 * pg));
}

/* read_overwrite, write and copy byte for byte; destination checks before any byte moves. */
TEST(overwrite_write_copy)
{
	size_t pg = PAGE_SZ;
	char *src = anon(4), *dst = anon(4), *ref = anon(4);
	mach_vm_size_t out = 0;
	vm_size_t vout = 0;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, ref);
	fill(src, 4 * pg, 1);
	memset(dst, 0, 4 * pg);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_read_overwrite(TASK, A(src) + 3, 3 * pg, A(dst) + 11, &out));
	EXPECT_EQ(3 * pg, out);
	EXPECT_EQ(0, memcmp(dst + 11, src + 3, 3 * pg));
	EXPECT_EQ(0, dst[10]);
	EXPECT_EQ(0, dst[11 + 3 * pg]);
	EXPECT_EQ(KERN_SUCCESS, vm_read_overwrite(TASK, (vm_address_t)src, 64, (vm_address_t)dst,
						  &vout));
	EXPECT_EQ(64u, vout);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_read_overwrite(TASK, A(src), 0, 0, &out));
	EXPECT_EQ(0u, out);

	/* a read-only destination: nothing written */
	memset(dst, 0, 4 * pg);
	ASSERT_EQ(0, mprotect(dst + 2 * pg, pg, PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_read_overwrite(TASK, A(src), 4 * pg, A(dst), &out));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_write(TASK, A(dst), A(src), 4 * pg));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_copy(TASK, A(src), 4 * pg, A(dst)));
	EXPECT_EQ(0, dst[0]);
	EXPECT_EQ(0, dst[pg]);
	ASSERT_EQ(0, mprotect(dst + 2 * pg, pg, PROT_READ | PROT_WRITE));

	/* mach_vm_write: the data is the caller's; unreadable data fails the send */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_write(TASK, A(dst) + 5, A(src) + 1, 2 * pg));
	EXPECT_EQ(0, memcmp(dst + 5, src + 1, 2 * pg));
	EXPECT_EQ(KERN_SUCCESS, vm_write(TASK, (vm_address_t)dst, (vm_offset_t)src, 3));
	EXPECT_EQ(0, memcmp(dst, src, 3));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_write(TASK, A(dst), A(src), 0));
	ASSERT_EQ(0, mprotect(ref, pg, PROT_NONE));
	EXPECT_EQ(MACH_SEND_INVALID_MEMORY, mach_vm_write(TASK, A(dst), A(ref), pg));

	/* mach_vm_copy is a memmove: the source is read first */
	memcpy(ref + pg, src, 3 * pg);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_copy(TASK, A(src), 2 * pg + 5, A(src) + 100));
	EXPECT_EQ(0, memcmp(src + 100, ref + pg, 2 * pg + 5));
	EXPECT_EQ(KERN_SUCCESS, vm_copy(TASK, (vm_address_t)src + 100, pg, (vm_address_t)dst));
	EXPECT_EQ(0, memcmp(dst, ref + pg, pg));

	/* a hole in the source or destination */
	ASSERT_EQ(0, munmap(dst + 3 * pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_copy(TASK, A(src), 4 * pg, A(dst)));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_read_overwrite(TASK, A(dst), 4 * pg, A(src), &out));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_write(TASK, A(dst), A(src), 4 * pg));
	EXPECT_EQ(0, munmap(src, 4 * pg));
	EXPECT_EQ(0, munmap(dst, 3 * pg));
	EXPECT_EQ(0, munmap(ref, 4 * pg));
}

/* mach_vm_remap: a copy (snapshot) anywhere or fixed; sharing a shared region; refusals. */
TEST(remap)
{
	size_t pg = PAGE_SZ;
	char *p = anon(2), *q;
	mach_vm_address_t a = 0, fixed;
	vm_prot_t cur = -1, max = -1;
	mach_port_t h;
	char *sh;
	int m;

	ASSERT_NE(NULL, p);
	fill(p, 2 * pg, 5);
	ASSERT_EQ(0, mprotect(p + pg, pg, PROT_READ));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(TASK, &a, 2 * pg, 0, VM_FLAGS_ANYWHERE, TASK, A(p),
					      TRUE, &cur, &max, VM_INHERIT_DEFAULT));
	q = (char *)(uintptr_t)a;
	/* the most restrictive over the source */
	EXPECT_EQ(VM_PROT_READ, cur);
	EXPECT_EQ(VM_PROT_ALL, max);
	EXPECT_EQ(0, memcmp(p, q, 2 * pg));
	EXPECT_EQ(VM_PROT_READ, prot_at(q, NULL));
	p[0] ^= 1;
	EXPECT_NE(p[0], q[0]);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, a, 2 * pg, FALSE, VM_PROT_DEFAULT));
	q[1] = 9;
	EXPECT_EQ(9, q[1]);

	/* FIXED onto a mapping: KERN_NO_SPACE; OVERWRITE replaces it */
	fixed = a;
	EXPECT_EQ(KERN_NO_SPACE, mach_vm_remap(TASK, &fixed, pg, 0, VM_FLAGS_FIXED, TASK, A(p),
					       TRUE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_remap(TASK, &fixed, pg, 0, VM_FLAGS_OVERWRITE, TASK,
					      A(p) + pg, TRUE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(a, fixed);
	EXPECT_EQ(0, memcmp(q, p + pg, pg));
	/* RETURN_DATA_ADDR keeps the in-page offset; an alignment mask is honoured */
	a = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_remap(TASK, &a, 10, (1 << 20) - 1,
					      VM_FLAGS_ANYWHERE | VM_FLAGS_RETURN_DATA_ADDR, TASK,
					      A(p) + 33, TRUE, &cur, &max,
					      have_madvise() ? VM_INHERIT_NONE : VM_INHERIT_DEFAULT));
	EXPECT_EQ(33u, a & (pg - 1));
	EXPECT_EQ(0u, (a & ~(mach_vm_address_t)(pg - 1)) & ((1 << 20) - 1));
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)a, p + 33, 10));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, a, 10));

	/* refusals */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(TASK, &a, 0, 0, VM_FLAGS_ANYWHERE, TASK,
						       A(p), TRUE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(TASK, &a, pg, 0, VM_FLAGS_PURGABLE, TASK,
						       A(p), TRUE, &cur, &max, VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_NOT_SUPPORTED, mach_vm_remap(TASK, &a, pg, 0, VM_FLAGS_ANYWHERE, TASK,
						    A(p), FALSE, &cur, &max, VM_INHERIT_DEFAULT));
	ASSERT_EQ(0, mprotect(p + pg, pg, PROT_NONE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_remap(TASK, &a, 2 * pg, 0, VM_FLAGS_ANYWHERE, TASK, A(p), TRUE, &cur,
				&max, VM_INHERIT_DEFAULT));
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_vm_remap(TASK, &a, 2 * pg, 0, VM_FLAGS_ANYWHERE, TASK, A(p), TRUE, &cur,
				&max, VM_INHERIT_DEFAULT));

	/* sharing: one MAP_SHARED region mapped again, the same pages */
	h = shared_entry(2 * pg);
	ASSERT_NE(MACH_PORT_NULL, h);
	sh = map_shared(h, 2 * pg, VM_PROT_DEFAULT);
	ASSERT_NE(NULL, sh);
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, vm_remap(TASK, (vm_address_t *)&a, 2 * pg, 0, VM_FLAGS_ANYWHERE,
					 TASK, (vm_address_t)sh, FALSE, &cur, &max,
					 VM_INHERIT_DEFAULT));
	q = (char *)(uintptr_t)a;
	EXPECT_NE(sh, q);
	EXPECT_EQ(VM_PROT_DEFAULT, cur);
	strcpy(sh + pg, "one way");
	EXPECT_STREQ("one way", q + pg);
	strcpy(q, "other way");
	EXPECT_STREQ("other way", sh);
	EXPECT_EQ(VM_PROT_DEFAULT, prot_at(q, &m));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(q), 2 * pg));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(sh), 2 * pg));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
	EXPECT_EQ(0, munmap(p, pg));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, fixed, 2 * pg));
}

/* vm_map_behavior_set onto madvise; DONTNEED keeps the contents, ZERO and FREE do not. */
TEST(behavior_set)
{
	size_t pg = PAGE_SZ;
	char *p = anon(3);
	int b;

	ASSERT_NE(NULL, p);
	if (!have_madvise())
		SKIP(return, "no madvise");
	fill(p, 3 * pg, 2);
	for (b = VM_BEHAVIOR_DEFAULT; b <= VM_BEHAVIOR_CAN_REUSE; b++) {
		if (b == VM_BEHAVIOR_FREE || b == VM_BEHAVIOR_REUSABLE)
			continue;
		EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(TASK, A(p), 3 * pg, b))
			TH_LOG("behaviour %d", b);
	}
	/* DONTNEED deactivates: the data is still there */
	EXPECT_EQ((char)(pg * 131 + 2), p[pg]);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(TASK, A(p), pg, VM_BEHAVIOR_ZERO));
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[pg - 1]);
	EXPECT_EQ((char)(pg * 131 + 2), p[pg]);
	EXPECT_EQ(KERN_SUCCESS, vm_behavior_set(TASK, (vm_address_t)p, 3 * pg, VM_BEHAVIOR_FREE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(TASK, A(p), 3 * pg, VM_BEHAVIOR_REUSABLE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(TASK, A(p), 3 * pg, VM_BEHAVIOR_REUSE));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_behavior_set(TASK, A(p), 0, 99));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_vm_behavior_set(TASK, A(p), pg, VM_BEHAVIOR_LAST_VALID + 1));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_behavior_set(TASK, A(p), pg, -1));
	ASSERT_EQ(0, mprotect(p + 2 * pg, pg, PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_behavior_set(TASK, A(p), 3 * pg, VM_BEHAVIOR_REUSABLE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, mach_vm_behavior_set(TASK, A(p), 3 * pg, VM_BEHAVIOR_ZERO));
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_vm_behavior_set(TASK, A(p), 3 * pg, VM_BEHAVIOR_SEQUENTIAL));
	EXPECT_EQ(0, munmap(p, 3 * pg));
}

/* vm_map_msync: holes only matter with VM_SYNC_CONTIGUOUS; KILLPAGES drops private pages. */
TEST(msync_flags)
{
	size_t pg = PAGE_SZ;
	char *p = anon(3);
	int fd = memfd_create("vm2", 0);
	char *f;

	ASSERT_NE(NULL, p);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 * pg));
	f = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, f);
	strcpy(f, "synced");
	EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, A(f), 2 * pg, VM_SYNC_SYNCHRONOUS));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, A(f), 2 * pg,
					      VM_SYNC_ASYNCHRONOUS | VM_SYNC_INVALIDATE));
	EXPECT_EQ(have_madvise() ? KERN_SUCCESS : KERN_NOT_SUPPORTED,
		  vm_msync(TASK, (vm_address_t)f, pg, VM_SYNC_DEACTIVATE));
	EXPECT_STREQ("synced", f);
	/* KILLPAGES leaves shared pages alone */
	EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, A(f), pg, VM_SYNC_KILLPAGES));
	EXPECT_STREQ("synced", f);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_vm_msync(TASK, A(f), pg, VM_SYNC_ASYNCHRONOUS | VM_SYNC_SYNCHRONOUS));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, 0, 0, VM_SYNC_SYNCHRONOUS));

	fill(p, 3 * pg, 4);
	if (have_madvise()) {
		EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, A(p), pg, VM_SYNC_KILLPAGES));
		EXPECT_EQ(0, p[5]);
	} else {
		EXPECT_EQ(KERN_NOT_SUPPORTED, mach_vm_msync(TASK, A(p), pg, VM_SYNC_KILLPAGES));
	}
	EXPECT_EQ((char)(pg * 131 + 4), p[pg]);
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_msync(TASK, A(p), 3 * pg, VM_SYNC_SYNCHRONOUS));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_vm_msync(TASK, A(p), 3 * pg, VM_SYNC_SYNCHRONOUS | VM_SYNC_CONTIGUOUS));
	EXPECT_EQ(have_madvise() ? KERN_INVALID_ADDRESS : KERN_NOT_SUPPORTED,
		  mach_vm_msync(TASK, A(p), 3 * pg, VM_SYNC_KILLPAGES | VM_SYNC_CONTIGUOUS));
	EXPECT_EQ(0, munmap(p, 3 * pg));
	EXPECT_EQ(0, munmap(f, 2 * pg));
	close(fd);
}

/* vm_map_purgable_control's checks; memory here is never purged. */
TEST(purgable_control)
{
	size_t pg = PAGE_SZ;
	mach_vm_address_t a = 0;
	int state;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(TASK, &a, 2 * pg,
						 VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE));
	state = -1;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_purgable_control(TASK, a, VM_PURGABLE_GET_STATE, &state));
	EXPECT_EQ(VM_PURGABLE_NONVOLATILE, state);
	state = VM_PURGABLE_VOLATILE | VM_VOLATILE_GROUP_3;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_purgable_control(TASK, a, VM_PURGABLE_SET_STATE, &state));
	EXPECT_EQ(VM_PURGABLE_NONVOLATILE, state);
	state = VM_PURGABLE_NONVOLATILE;
	EXPECT_EQ(KERN_SUCCESS, vm_purgable_control(TASK, (vm_address_t)a, VM_PURGABLE_SET_STATE,
						    &state));
	/* never EMPTY: the contents were kept */
	EXPECT_EQ(VM_PURGABLE_NONVOLATILE, state);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_purgable_control(TASK, a, VM_PURGABLE_PURGE_ALL, &state));

	state = 0;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_vm_purgable_control(TASK, a, VM_PURGABLE_SET_STATE_FROM_KERNEL, &state));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_purgable_control(TASK, a, 7, &state));
	state = 1 << 20;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_vm_purgable_control(TASK, a, VM_PURGABLE_SET_STATE, &state));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, a, pg, FALSE, VM_PROT_READ));
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_vm_purgable_control(TASK, a, VM_PURGABLE_GET_STATE, &state));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, a, 2 * pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_vm_purgable_control(TASK, a + pg, VM_PURGABLE_GET_STATE, &state));
}

/* vm_map_page_info: resident or not; unmapped gives KERN_INVALID_ADDRESS. */
TEST(page_query)
{
	size_t pg = PAGE_SZ;
	char *p = anon(2);
	integer_t disp = -1, ref = -1;
	vm_page_info_basic_data_t info;
	mach_msg_type_number_t count = VM_PAGE_INFO_BASIC_COUNT;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	EXPECT_EQ(KERN_SUCCESS, mach_vm_page_query(TASK, A(p) + 5, &disp, &ref));
	EXPECT_TRUE(disp & VM_PAGE_QUERY_PAGE_PRESENT);
	EXPECT_EQ(KERN_SUCCESS, vm_map_page_query(TASK, (vm_offset_t)p + pg, &disp, &ref));
	EXPECT_EQ(0, disp);
	EXPECT_EQ(KERN_SUCCESS, mach_vm_page_info(TASK, A(p), VM_PAGE_INFO_BASIC,
						  (vm_page_info_t)&info, &count));
	EXPECT_EQ(VM_PAGE_INFO_BASIC_COUNT, count);
	EXPECT_TRUE(info.disposition & VM_PAGE_QUERY_PAGE_PRESENT);
	EXPECT_EQ(0, info.depth);
	count = VM_PAGE_INFO_BASIC_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_page_info(TASK, A(p), VM_PAGE_INFO_BASIC,
							   (vm_page_info_t)&info, &count));
	count = VM_PAGE_INFO_BASIC_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_vm_page_info(TASK, A(p), 2, (vm_page_info_t)&info, &count));
	ASSERT_EQ(0, munmap(p + pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_page_query(TASK, A(p) + pg, &disp, &ref));
	EXPECT_EQ(0, disp);
	EXPECT_EQ(0, ref);
	EXPECT_EQ(0, munmap(p, pg));
}

/*
 * A name that is no task port: XNU's MIG conversion gives VM_MAP_NULL, which
 * every call answers with KERN_INVALID_ARGUMENT (vm_msync: KERN_INVALID_TASK).
 */
TEST(not_a_task)
{
	mach_port_t port = new_port_send();
	char *p = anon(1);
	mach_vm_address_t a = A(p);
	mach_vm_size_t s;
	vm_region_basic_info_data_64_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	vm_offset_t data;
	mach_msg_type_number_t cnt;
	vm_prot_t cur, max;
	int state = 0;
	mach_port_t names[] = { port, MACH_PORT_NULL, 0x12345 };
	unsigned int i;

	ASSERT_NE(MACH_PORT_NULL, port);
	ASSERT_NE(NULL, p);
	for (i = 0; i < 3; i++) {
		mach_port_t t = names[i];

		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_protect(t, a, 1, FALSE, VM_PROT_READ));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_inherit(t, a, 1, VM_INHERIT_NONE));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_region(t, &a, &s, VM_REGION_BASIC_INFO_64,
								(vm_region_info_t)&info, &count,
								NULL));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_read(t, a, 1, &data, &cnt));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_write(t, a, A(p), 1));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_copy(t, a, 1, a));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_read_overwrite(t, a, 1, a, &s));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_behavior_set(t, a, 1, 0));
		EXPECT_EQ(KERN_INVALID_TASK, mach_vm_msync(t, a, 1, 0));
		EXPECT_EQ(KERN_INVALID_ARGUMENT,
			  mach_vm_purgable_control(t, a, VM_PURGABLE_GET_STATE, &state));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(TASK, &a, 1, 0, VM_FLAGS_ANYWHERE, t,
							       A(p), TRUE, &cur, &max, 0));
		EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_remap(t, &a, 1, 0, VM_FLAGS_ANYWHERE, TASK,
							       A(p), TRUE, &cur, &max, 0));
		a = A(p);
	}
	EXPECT_EQ(0, munmap(p, PAGE_SZ));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, port, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, port));
}

/* The module's remote path (access_process_vm) on the caller's own task, raw. */
TEST(module_rw)
{
	size_t pg = PAGE_SZ, len = 5 * pg + 77;
	char *src = anon(6), *dst = anon(6);
	int fd = mach_linux_fd();
	struct mach_ioc_vm_rw a = { .task = TASK };
	struct mach_ioc_vm_region r = { .task = TASK };
	mach_port_t port = new_port();

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	ASSERT_LE(0, fd);
	fill(src, 6 * pg, 8);
	memset(dst, 0, 6 * pg);
	a.address = A(src) + 3;
	a.buffer = A(dst) + 1;
	a.size = len;
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	EXPECT_EQ(0, memcmp(src + 3, dst + 1, len));
	EXPECT_EQ(0, dst[0]);
	fill(dst, 6 * pg, 77);
	a.write = 1;
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	EXPECT_EQ(0, memcmp(src + 3, dst + 1, len));

	/* checked before a byte moves */
	ASSERT_EQ(0, mprotect(src + 4 * pg, pg, PROT_READ));
	fill(dst, 6 * pg, 99);
	EXPECT_EQ(KERN_PROTECTION_FAILURE, ioctl(fd, MACH_IOC_VM_RW, &a));
	EXPECT_NE(0, memcmp(src + 3, dst + 1, 64));
	a.write = 0;
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	ASSERT_EQ(0, mprotect(src + 4 * pg, pg, PROT_NONE));
	EXPECT_EQ(KERN_PROTECTION_FAILURE, ioctl(fd, MACH_IOC_VM_RW, &a));
	ASSERT_EQ(0, munmap(src + 2 * pg, pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	a.address = ~0ULL - 5;
	EXPECT_EQ(KERN_INVALID_ADDRESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	a.address = A(src);
	a.size = 0;
	EXPECT_EQ(KERN_SUCCESS, ioctl(fd, MACH_IOC_VM_RW, &a));
	/* a bad buffer in the caller */
	a.size = 10;
	a.buffer = 8;
	EXPECT_EQ(-1, ioctl(fd, MACH_IOC_VM_RW, &a));
	EXPECT_EQ(EFAULT, errno);
	a.write = 2;
	EXPECT_EQ(-1, ioctl(fd, MACH_IOC_VM_RW, &a));
	EXPECT_EQ(EINVAL, errno);
	a.write = 0;
	a.buffer = A(dst);
	a.task = port;
	EXPECT_EQ(KERN_INVALID_TASK, ioctl(fd, MACH_IOC_VM_RW, &a));
	r.task = port;
	EXPECT_EQ(KERN_INVALID_TASK, ioctl(fd, MACH_IOC_VM_REGION, &r));
	r.task = TASK;
	r.reserved = 1;
	EXPECT_EQ(-1, ioctl(fd, MACH_IOC_VM_REGION, &r));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, munmap(src, 6 * pg));
	EXPECT_EQ(0, munmap(dst, 6 * pg));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, port, MACH_PORT_RIGHT_RECEIVE, -1));
}

/* mprotect, madvise and munmap behind libmach's back are what the calls see next. */
TEST(linux_calls_interplay)
{
	size_t pg = PAGE_SZ;
	char *p = anon(4);
	vm_region_basic_info_data_64_t info;
	mach_vm_address_t a;
	mach_vm_size_t s;
	vm_offset_t data;
	mach_msg_type_number_t cnt;

	ASSERT_NE(NULL, p);
	fill(p, 4 * pg, 6);
	ASSERT_EQ(0, mprotect(p + pg, pg, PROT_READ | PROT_EXEC));
	ASSERT_EQ(KERN_SUCCESS, basic(p + pg, &a, &s, &info));
	EXPECT_EQ(A(p) + pg, a);
	EXPECT_EQ(pg, s);
	EXPECT_EQ(VM_PROT_READ | VM_PROT_EXECUTE, info.protection);
	if (have_madvise()) {
		ASSERT_EQ(0, madvise(p + 2 * pg, pg, MADV_DONTFORK));
		ASSERT_EQ(KERN_SUCCESS, basic(p + 2 * pg, &a, &s, &info));
		EXPECT_EQ(VM_INHERIT_NONE, info.inheritance);
		ASSERT_EQ(0, madvise(p + 2 * pg, pg, MADV_DONTNEED));
		EXPECT_EQ(KERN_SUCCESS, mach_vm_read(TASK, A(p) + 2 * pg, pg, &data, &cnt));
		EXPECT_EQ(0, *(char *)data);
		EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, data, cnt));
	}
	ASSERT_EQ(0, munmap(p + 3 * pg, pg));
	ASSERT_EQ(KERN_SUCCESS, basic(p + 3 * pg, &a, &s, &info));
	EXPECT_NE(A(p) + 3 * pg, a);
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_vm_protect(TASK, A(p), 4 * pg, FALSE, VM_PROT_READ));
	EXPECT_EQ(KERN_SUCCESS, mach_vm_protect(TASK, A(p), 3 * pg, FALSE, VM_PROT_READ));
	EXPECT_EQ(VM_PROT_READ, prot_at(p + pg, NULL));
	EXPECT_EQ(0, munmap(p, 3 * pg));
}

/* Memory entries, remaps and reads leave no kernel object behind. */
TEST(counters_at_baseline)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	size_t pg = PAGE_SZ;
	int i;

	for (i = 0; i < 4; i++) {
		mach_port_t h = shared_entry(pg);
		char *sh = map_shared(h, pg, VM_PROT_DEFAULT);
		mach_vm_address_t a = 0;
		vm_prot_t cur, max;
		vm_offset_t data;
		mach_msg_type_number_t cnt;

		ASSERT_NE(NULL, sh);
		ASSERT_EQ(KERN_SUCCESS, mach_vm_remap(TASK, &a, pg, 0, VM_FLAGS_ANYWHERE, TASK,
						      A(sh), FALSE, &cur, &max, VM_INHERIT_DEFAULT));
		ASSERT_EQ(KERN_SUCCESS, mach_vm_read(TASK, a, pg, &data, &cnt));
		EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, data, cnt));
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
		EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, A(sh), pg));
		EXPECT_EQ(KERN_SUCCESS, mach_vm_deallocate(TASK, a, pg));
	}
	EXPECT_STATS_BASE(have, base);
}

/*
 * Another task's memory through its task port (XNU: vm_read/vm_write/
 * vm_region on a task_t the caller holds), by the kernel's remote-access
 * path.  A holder that ptrace's attach rule would refuse (here: a child
 * that dropped to another uid, given our task port through the registered
 * ports it inherits) names the task but cannot open its memory.
 */
TEST(other_task_memory)
{
	static char secret[3 * 4096 + 17];
	mach_port_t reg[1] = { TASK };
	int st;
	pid_t pid;

	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (char)(i * 13 + 5);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 1));

	/* a child of the same uid reads, writes and inspects its parent */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0, cnt = 0, count = VM_REGION_BASIC_INFO_COUNT_64;
		vm_region_basic_info_data_64_t info;
		mach_vm_address_t a = A(secret);
		mach_vm_size_t s = 0;
		vm_offset_t data = 0;
		char mark[8] = "written";

		if (mach_ports_lookup(TASK, &got, &n) != KERN_SUCCESS || n < 1)
			_exit(10);
		if (mach_vm_read(got[0], A(secret), sizeof(secret), &data, &cnt) != KERN_SUCCESS ||
		    cnt != sizeof(secret) || memcmp((void *)data, secret, sizeof(secret)))
			_exit(11);
		if (mach_vm_write(got[0], A(secret) + 100, A(mark), sizeof(mark)) != KERN_SUCCESS)
			_exit(12);
		if (mach_vm_region(got[0], &a, &s, VM_REGION_BASIC_INFO_64,
				   (vm_region_info_t)&info, &count, NULL) != KERN_SUCCESS ||
		    a > A(secret) || a + s <= A(secret) || !(info.protection & VM_PROT_WRITE))
			_exit(13);
		/* what Linux cannot do in another address space: Darwin's own code */
		{
			mach_vm_address_t na = 0;
			memory_object_size_t es = 4096;
			mach_port_t entry = MACH_PORT_NULL;

			if (mach_vm_map(got[0], &na, 4096, 0, VM_FLAGS_ANYWHERE, MACH_PORT_NULL, 0,
					FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT) !=
			    KERN_NOT_SUPPORTED)
				_exit(16);
			if (mach_make_memory_entry_64(got[0], &es, A(secret), VM_PROT_READ, &entry,
						      MACH_PORT_NULL) != KERN_NOT_SUPPORTED)
				_exit(17);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status 0x%x", st);
	EXPECT_EQ(0, memcmp(secret + 100, "written", 8));

	/* a child of another uid holds the port but may not touch the memory */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0, cnt = 0;
		vm_offset_t data = 0;
		char mark[8] = "intrude";

		if (mach_ports_lookup(TASK, &got, &n) != KERN_SUCCESS || n < 1)
			_exit(10);
		if (setgid(65534) || setuid(65534))
			_exit(9);
		if (mach_vm_read(got[0], A(secret), 16, &data, &cnt) != KERN_PROTECTION_FAILURE)
			_exit(11);
		if (mach_vm_write(got[0], A(secret), A(mark), sizeof(mark)) !=
		    KERN_PROTECTION_FAILURE)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("status 0x%x", st);
	EXPECT_NE(0, memcmp(secret, "intrude", 8));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, NULL, 0));
}

TEST_HARNESS_MAIN
