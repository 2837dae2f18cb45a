// SPDX-License-Identifier: GPL-2.0
/*
 * Memory entries and mach_vm_map (issue 16): new shared memory, entries for
 * shared mappings of the caller, snapshots, sub-entries; sharing with
 * another process through a message; protection limits; entry lifetime
 * apart from its mappings; the VM_FLAGS_* placement rules; inheritance;
 * every error code; the live counters back at their baseline.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"

#include <sys/mman.h>

static mach_port_t create_entry(size_t size, vm_prot_t prot)
{
	memory_object_size_t sz = size;
	mach_port_t h = MACH_PORT_NULL;

	if (mach_make_memory_entry_64(TASK, &sz, 0, prot | MAP_MEM_NAMED_CREATE, &h,
				      MACH_PORT_NULL) != KERN_SUCCESS || sz != size)
		return MACH_PORT_NULL;
	return h;
}

static kern_return_t map_entry(mach_vm_address_t *addr, size_t size, int flags, mach_port_t obj,
			       memory_object_offset_t off, boolean_t copy, vm_prot_t cur,
			       vm_prot_t max)
{
	return mach_vm_map(TASK, addr, size, 0, flags, obj, off, copy, cur, max,
			   VM_INHERIT_DEFAULT);
}

static char *map_rw(mach_port_t obj, size_t size)
{
	mach_vm_address_t a = 0;

	if (map_entry(&a, size, VM_FLAGS_ANYWHERE, obj, 0, FALSE, VM_PROT_DEFAULT,
		      VM_PROT_DEFAULT) != KERN_SUCCESS)
		return NULL;
	return (char *)(uintptr_t)a;
}

/* VM_INHERIT_NONE needs madvise(MADV_DONTFORK): absent without CONFIG_ADVISE_SYSCALLS. */
static int have_madvise(void)
{
	return !(madvise(NULL, 0, MADV_NORMAL) == -1 && errno == ENOSYS);
}

/* Two mappings of one new entry share pages; the entry counts while it lives. */
TEST(named_create_shared)
{
	struct mstats base, now;
	int have = stats_warm_base(&base);
	size_t pg = PAGE_SZ;
	memory_object_size_t sz = pg + 1;
	mach_port_t h = MACH_PORT_NULL;
	char *a, *b;

	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(TASK, &sz, 0,
							  VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE,
							  &h, MACH_PORT_NULL));
	EXPECT_EQ(2 * pg, sz);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(h));
	if (have) {
		ASSERT_EQ(0, read_stats(&now));
		EXPECT_EQ(base.mem_entries + 1, now.mem_entries);
	}
	a = map_rw(h, 2 * pg);
	b = map_rw(h, 2 * pg);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(a, b);
	EXPECT_EQ(0, a[0]);
	EXPECT_EQ(0, a[2 * pg - 1]);
	strcpy(a + pg, "through a");
	EXPECT_STREQ("through a", b + pg);
	strcpy(b, "through b");
	EXPECT_STREQ("through b", a);

	/* the last right goes while mapped: the pages stay, the entry goes */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
	EXPECT_STATS_BASE(have, base);
	strcpy(a, "after");
	EXPECT_STREQ("after", b);
	EXPECT_EQ(0, munmap(a, 2 * pg));
	EXPECT_EQ(0, munmap(b, 2 * pg));
	EXPECT_STATS_BASE(have, base);
}

/* The mappings go, the right stays: the memory is still there to map. */
TEST(entry_outlives_mappings)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t h = create_entry(PAGE_SZ, VM_PROT_DEFAULT);
	char *a;

	ASSERT_TRUE(MACH_PORT_VALID(h));
	a = map_rw(h, PAGE_SZ);
	ASSERT_NE(NULL, a);
	strcpy(a, "kept");
	ASSERT_EQ(0, munmap(a, PAGE_SZ));
	a = map_rw(h, PAGE_SZ);
	ASSERT_NE(NULL, a);
	EXPECT_STREQ("kept", a);
	EXPECT_EQ(0, munmap(a, PAGE_SZ));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, h));
	EXPECT_STATS_BASE(have, base);
}

/* An entry sent to another process: its writes and ours are seen both ways. */
TEST(shared_with_another_process)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t p = new_port_send(), reg[1];
	int go[2], done[2];
	struct rcv_buf b;
	struct port_msg *pm = (struct port_msg *)&b;
	char *mem;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	reg[0] = p;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 1));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t cnt = 0;
		mach_port_t h;
		char *m;

		ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(TASK, &got, &cnt));
		h = create_entry(PAGE_SZ, VM_PROT_DEFAULT);
		ASSERT_TRUE(MACH_PORT_VALID(h));
		m = map_rw(h, PAGE_SZ);
		ASSERT_NE(NULL, m);
		strcpy(m, "from the child");
		ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(got[0], MACH_MSG_TYPE_COPY_SEND,
							  MACH_PORT_NULL, 0, h,
							  MACH_MSG_TYPE_MOVE_SEND, 7));
		ASSERT_EQ(0, pipe_wait(go[0]));
		EXPECT_STREQ("from the parent", m + 100);
		pipe_signal(done[1]);
		CHILD_EXIT();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(7, b.hdr.msgh_id);
	ASSERT_TRUE(b.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	ASSERT_EQ(MACH_PORT_TYPE_SEND, ptype(pm->port.name));
	mem = map_rw(pm->port.name, PAGE_SZ);
	ASSERT_NE(NULL, mem);
	EXPECT_STREQ("from the child", mem);
	strcpy(mem + 100, "from the parent");
	pipe_signal(go[1]);
	EXPECT_EQ(0, pipe_wait(done[0]));
	ASSERT_EQ(0, wait_child(pid));
	/* the child is gone; the memory is still shared with our entry */
	EXPECT_STREQ("from the child", mem);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, pm->port.name));
	EXPECT_EQ(0, munmap(mem, PAGE_SZ));
	reg[0] = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 0));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

/* Protections: an entry's limits, and a mapping's maximum, hold against mprotect. */
TEST(protection_limits)
{
	mach_port_t ro = create_entry(PAGE_SZ, VM_PROT_READ);
	mach_port_t rw = create_entry(PAGE_SZ, VM_PROT_DEFAULT);
	mach_vm_address_t a = 0;
	char *w;

	ASSERT_TRUE(MACH_PORT_VALID(ro));
	ASSERT_TRUE(MACH_PORT_VALID(rw));
	w = map_rw(rw, PAGE_SZ);
	ASSERT_NE(NULL, w);
	strcpy(w, "data");

	/* more than the entry allows */
	EXPECT_EQ(KERN_INVALID_RIGHT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, ro, 0, FALSE,
						VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_RIGHT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, ro, 0, FALSE,
						VM_PROT_READ, VM_PROT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_RIGHT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, ro, 0, TRUE,
						VM_PROT_READ, VM_PROT_DEFAULT));
	/* within it: readable, never writable */
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, ro, 0, FALSE,
					  VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(0, ((volatile char *)(uintptr_t)a)[0]);
	EXPECT_EQ(-1, mprotect((void *)(uintptr_t)a, PAGE_SZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	/* a read-only maximum on a writable entry: shared, and mprotect cannot lift it */
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, rw, 0, FALSE,
					  VM_PROT_READ, VM_PROT_READ));
	EXPECT_STREQ("data", (char *)(uintptr_t)a);
	EXPECT_EQ(-1, mprotect((void *)(uintptr_t)a, PAGE_SZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	strcpy(w, "new");
	EXPECT_STREQ("new", (char *)(uintptr_t)a);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	/* cur below max: mprotect may raise it up to max */
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, rw, 0, FALSE,
					  VM_PROT_READ, VM_PROT_DEFAULT));
	EXPECT_EQ(0, mprotect((void *)(uintptr_t)a, PAGE_SZ, PROT_READ | PROT_WRITE));
	strcpy((char *)(uintptr_t)a, "up");
	EXPECT_STREQ("up", w);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	/* a copy with a read-only maximum stays read-only too */
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, rw, 0, TRUE,
					  VM_PROT_READ, VM_PROT_READ));
	EXPECT_STREQ("up", (char *)(uintptr_t)a);
	EXPECT_EQ(-1, mprotect((void *)(uintptr_t)a, PAGE_SZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	/* zero-fill memory with a read-only maximum */
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, MEMORY_OBJECT_NULL, 0,
					  FALSE, VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(0, ((volatile char *)(uintptr_t)a)[10]);
	EXPECT_EQ(-1, mprotect((void *)(uintptr_t)a, PAGE_SZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	EXPECT_EQ(0, munmap(w, PAGE_SZ));
	mach_port_deallocate(TASK, ro);
	mach_port_deallocate(TASK, rw);
}

/* copy = TRUE: a snapshot at map time, private both ways. */
TEST(copy_is_a_snapshot)
{
	mach_port_t h = create_entry(2 * PAGE_SZ, VM_PROT_DEFAULT);
	mach_vm_address_t a = 0;
	char *s, *c;

	ASSERT_TRUE(MACH_PORT_VALID(h));
	s = map_rw(h, 2 * PAGE_SZ);
	ASSERT_NE(NULL, s);
	strcpy(s + PAGE_SZ, "one");
	/* offset one page, and an unaligned one kept with RETURN_DATA_ADDR */
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, 3, VM_FLAGS_ANYWHERE | VM_FLAGS_RETURN_DATA_ADDR, h,
					  PAGE_SZ + 1, TRUE, VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	c = (char *)(uintptr_t)a;
	EXPECT_EQ(1, (uintptr_t)c & (PAGE_SZ - 1));
	EXPECT_STREQ("ne", c);
	strcpy(s + PAGE_SZ, "two");
	EXPECT_STREQ("ne", c);
	c[0] = 'X';
	EXPECT_STREQ("two", s + PAGE_SZ);
	EXPECT_EQ(0, munmap(c - 1, PAGE_SZ));
	EXPECT_EQ(0, munmap(s, 2 * PAGE_SZ));
	mach_port_deallocate(TASK, h);
}

/* VM_FLAGS_FIXED, _OVERWRITE, _ANYWHERE and the alignment mask. */
TEST(placement)
{
	mach_port_t h = create_entry(2 * PAGE_SZ, VM_PROT_DEFAULT);
	mach_vm_address_t r = 0, a;
	char *s;

	ASSERT_TRUE(MACH_PORT_VALID(h));
	s = map_rw(h, 2 * PAGE_SZ);
	ASSERT_NE(NULL, s);
	strcpy(s, "entry");
	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(TASK, &r, 2 * PAGE_SZ, VM_FLAGS_ANYWHERE));

	a = r;
	EXPECT_EQ(KERN_NO_SPACE, map_entry(&a, 2 * PAGE_SZ, VM_FLAGS_FIXED, h, 0, FALSE,
					   VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	a = r;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, 2 * PAGE_SZ,
						   VM_FLAGS_ANYWHERE | VM_FLAGS_OVERWRITE, h, 0,
						   FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	a = r;
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, 2 * PAGE_SZ, VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE,
					  h, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	EXPECT_EQ(r, a);
	EXPECT_STREQ("entry", (char *)(uintptr_t)r);

	/* fixed into a hole: the hole is where it goes */
	ASSERT_EQ(0, munmap((void *)(uintptr_t)r, 2 * PAGE_SZ));
	a = r + 5;	/* truncated to the page */
	ASSERT_EQ(KERN_SUCCESS, map_entry(&a, PAGE_SZ, VM_FLAGS_FIXED, h, PAGE_SZ, FALSE,
					  VM_PROT_DEFAULT, VM_PROT_DEFAULT));
	EXPECT_EQ(r, a);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)r, PAGE_SZ));

	/* anywhere, aligned to 1 MiB */
	a = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(TASK, &a, PAGE_SZ, (1 << 20) - 1, VM_FLAGS_ANYWHERE,
					    h, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT,
					    VM_INHERIT_DEFAULT));
	EXPECT_EQ(0, a & ((1 << 20) - 1));
	EXPECT_STREQ("entry", (char *)(uintptr_t)a);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)a, PAGE_SZ));

	/* 32-bit vm_map too */
	{
		vm_address_t va = 0;

		ASSERT_EQ(KERN_SUCCESS, vm_map(TASK, &va, PAGE_SZ, 0, VM_FLAGS_ANYWHERE, h, 0,
					       FALSE, VM_PROT_READ, VM_PROT_READ,
					       VM_INHERIT_SHARE));
		EXPECT_STREQ("entry", (char *)va);
		EXPECT_EQ(0, munmap((void *)va, PAGE_SZ));
	}
	EXPECT_EQ(0, munmap(s, 2 * PAGE_SZ));
	mach_port_deallocate(TASK, h);
}

/* MEMORY_OBJECT_NULL: zero-filled memory; inheritance on fork. */
TEST(anonymous_and_inheritance)
{
	mach_vm_address_t priv = 0, shared = 0, none = 0;
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(TASK, &priv, PAGE_SZ, 0, VM_FLAGS_ANYWHERE,
					    MEMORY_OBJECT_NULL, 0, FALSE, VM_PROT_DEFAULT,
					    VM_PROT_ALL, VM_INHERIT_COPY));
	ASSERT_EQ(KERN_SUCCESS, mach_vm_map(TASK, &shared, PAGE_SZ, 0, VM_FLAGS_ANYWHERE,
					    MEMORY_OBJECT_NULL, 0, FALSE, VM_PROT_DEFAULT,
					    VM_PROT_ALL, VM_INHERIT_SHARE));
	if (have_madvise()) {
		ASSERT_EQ(KERN_SUCCESS, mach_vm_map(TASK, &none, PAGE_SZ, 0, VM_FLAGS_ANYWHERE,
						    MEMORY_OBJECT_NULL, 0, FALSE, VM_PROT_DEFAULT,
						    VM_PROT_ALL, VM_INHERIT_NONE));
	} else {
		EXPECT_EQ(KERN_NOT_SUPPORTED,
			  mach_vm_map(TASK, &none, PAGE_SZ, 0, VM_FLAGS_ANYWHERE,
				      MEMORY_OBJECT_NULL, 0, FALSE, VM_PROT_DEFAULT,
				      VM_PROT_ALL, VM_INHERIT_NONE));
		none = 0;
	}
	EXPECT_EQ(0, ((char *)(uintptr_t)priv)[0]);
	strcpy((char *)(uintptr_t)priv, "parent");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		EXPECT_STREQ("parent", (char *)(uintptr_t)priv);
		strcpy((char *)(uintptr_t)priv, "child");
		strcpy((char *)(uintptr_t)shared, "child");
		/* not inherited: not mapped in the child */
		if (none) {
			EXPECT_EQ(-1, msync((void *)(uintptr_t)none, PAGE_SZ, MS_ASYNC));
			EXPECT_EQ(ENOMEM, errno);
		}
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));
	EXPECT_STREQ("parent", (char *)(uintptr_t)priv);
	EXPECT_STREQ("child", (char *)(uintptr_t)shared);
	munmap((void *)(uintptr_t)priv, PAGE_SZ);
	munmap((void *)(uintptr_t)shared, PAGE_SZ);
	if (none)
		munmap((void *)(uintptr_t)none, PAGE_SZ);
}

/* An entry for the caller's own memory: shared mappings share, private ones copy. */
TEST(entry_of_existing_range)
{
	size_t pg = PAGE_SZ;
	memory_object_size_t sz;
	mach_port_t h = MACH_PORT_NULL, sub = MACH_PORT_NULL;
	mach_vm_address_t priv = 0;
	char *shm, *m;
	int fd;

	shm = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shm);
	strcpy(shm + pg, "shared page 1");
	strcpy(shm + 2 * pg, "shared page 2");
	sz = 2 * pg - 10;
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(TASK, &sz, (uintptr_t)shm + pg + 5,
							  VM_PROT_DEFAULT, &h, MACH_PORT_NULL));
	EXPECT_EQ(2 * pg, sz);
	m = map_rw(h, 2 * pg);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("shared page 1", m);
	strcpy(m + pg, "written through the entry");
	EXPECT_STREQ("written through the entry", shm + 2 * pg);
	EXPECT_EQ(0, munmap(m, 2 * pg));

	/* a part of it */
	sz = pg;
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(TASK, &sz, pg, VM_PROT_READ, &sub, h));
	m = map_rw(sub, pg);
	EXPECT_EQ(NULL, m);	/* read-only sub-entry */
	{
		mach_vm_address_t a = 0;

		ASSERT_EQ(KERN_SUCCESS, map_entry(&a, pg, VM_FLAGS_ANYWHERE, sub, 0, FALSE,
						  VM_PROT_READ, VM_PROT_READ));
		EXPECT_STREQ("written through the entry", (char *)(uintptr_t)a);
		EXPECT_EQ(0, munmap((void *)(uintptr_t)a, pg));
	}
	sz = 2 * pg;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_make_memory_entry_64(TASK, &sz, pg, VM_PROT_READ, &sub, h));
	sz = pg;
	EXPECT_EQ(KERN_PROTECTION_FAILURE,
		  mach_make_memory_entry_64(TASK, &sz, 0, VM_PROT_ALL, &sub, sub));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_make_memory_entry_64(TASK, &sz, 0, VM_PROT_READ, &sub, new_port()));
	mach_port_deallocate(TASK, sub);
	mach_port_deallocate(TASK, h);

	/* a read-only shared file mapping: no write in the entry, unless as a mask */
	fd = memfd_create("mach_vm_test", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, pg));
	ASSERT_EQ((ssize_t)5, pwrite(fd, "file", 5, 0));
	{
		char path[64];
		int rfd;
		char *ro;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rfd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, rfd);
		ro = mmap(NULL, pg, PROT_READ, MAP_SHARED, rfd, 0);
		ASSERT_NE(MAP_FAILED, ro);
		sz = pg;
		EXPECT_EQ(KERN_PROTECTION_FAILURE,
			  mach_make_memory_entry_64(TASK, &sz, (uintptr_t)ro, VM_PROT_DEFAULT, &h,
						    MACH_PORT_NULL));
		ASSERT_EQ(KERN_SUCCESS,
			  mach_make_memory_entry_64(TASK, &sz, (uintptr_t)ro,
						    VM_PROT_DEFAULT | VM_PROT_IS_MASK, &h,
						    MACH_PORT_NULL));
		EXPECT_EQ(NULL, map_rw(h, pg));
		m = NULL;
		{
			mach_vm_address_t a = 0;

			ASSERT_EQ(KERN_SUCCESS, map_entry(&a, pg, VM_FLAGS_ANYWHERE, h, 0, FALSE,
							  VM_PROT_READ, VM_PROT_READ));
			m = (char *)(uintptr_t)a;
		}
		EXPECT_STREQ("file", m);
		ASSERT_EQ((ssize_t)5, pwrite(fd, "FILE", 5, 0));
		EXPECT_STREQ("FILE", m);
		munmap(m, pg);
		munmap(ro, pg);
		close(rfd);
		mach_port_deallocate(TASK, h);
	}
	close(fd);

	/* private memory: not shareable on Linux; a snapshot on request */
	ASSERT_EQ(KERN_SUCCESS, mach_vm_allocate(TASK, &priv, 2 * pg, VM_FLAGS_ANYWHERE));
	strcpy((char *)(uintptr_t)priv + pg, "private");
	sz = pg;
	EXPECT_EQ(KERN_NOT_SUPPORTED, mach_make_memory_entry_64(TASK, &sz, priv, VM_PROT_DEFAULT,
								&h, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_make_memory_entry_64(TASK, &sz, priv + pg,
							  VM_PROT_DEFAULT | MAP_MEM_VM_COPY, &h,
							  MACH_PORT_NULL));
	strcpy((char *)(uintptr_t)priv + pg, "changed");
	m = map_rw(h, pg);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("private", m);
	munmap(m, pg);
	mach_port_deallocate(TASK, h);

	/* nothing mapped there */
	ASSERT_EQ(0, munmap((void *)(uintptr_t)priv, 2 * pg));
	EXPECT_EQ(KERN_INVALID_ADDRESS, mach_make_memory_entry_64(TASK, &sz, priv,
								  VM_PROT_DEFAULT, &h,
								  MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_ADDRESS,
		  mach_make_memory_entry_64(TASK, &sz, priv, VM_PROT_DEFAULT | MAP_MEM_VM_COPY,
					    &h, MACH_PORT_NULL));
	munmap(shm, 4 * pg);
}

/* Every refusal, with XNU's code. */
TEST(errors)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t h = create_entry(PAGE_SZ, VM_PROT_DEFAULT), plain = new_port_send();
	memory_object_size_t sz = PAGE_SZ;
	mach_port_t out = MACH_PORT_NULL;
	mach_vm_address_t a = 0;

	ASSERT_TRUE(MACH_PORT_VALID(h));
	ASSERT_TRUE(MACH_PORT_VALID(plain));
	/* make */
	EXPECT_EQ(KERN_INVALID_TASK, mach_make_memory_entry_64(MACH_PORT_NULL, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &out, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_TASK, mach_make_memory_entry_64(plain, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &out, MACH_PORT_NULL));
	sz = 0;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_make_memory_entry_64(TASK, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &out, MACH_PORT_NULL));
	sz = ~0ULL;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_make_memory_entry_64(TASK, &sz, PAGE_SZ,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE, &out, MACH_PORT_NULL));
	sz = PAGE_SZ;
	EXPECT_EQ(KERN_NOT_SUPPORTED, mach_make_memory_entry_64(TASK, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE | MAP_MEM_ONLY, &out,
			MACH_PORT_NULL));
	EXPECT_EQ(KERN_NOT_SUPPORTED, mach_make_memory_entry_64(TASK, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE | (MAP_MEM_WCOMB << 24), &out,
			MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_make_memory_entry_64(TASK, &sz, 0,
			VM_PROT_DEFAULT | MAP_MEM_NAMED_CREATE | 0x100, &out, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_NULL, out);

	/* map */
	EXPECT_EQ(KERN_INVALID_TASK, mach_vm_map(plain, &a, PAGE_SZ, 0, VM_FLAGS_ANYWHERE, h, 0,
						 FALSE, VM_PROT_READ, VM_PROT_READ,
						 VM_INHERIT_DEFAULT));
	EXPECT_EQ(KERN_INVALID_OBJECT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, plain, 0, FALSE,
						 VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_OBJECT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, stale_name(), 0,
						 FALSE, VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, 2 * PAGE_SZ, VM_FLAGS_ANYWHERE, h, 0,
						   FALSE, VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, h, 1, FALSE,
						   VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, 0, VM_FLAGS_ANYWHERE, h, 0, FALSE,
						   VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, h, 0, FALSE,
						   VM_PROT_DEFAULT, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE, h, 0, FALSE,
						   VM_PROT_READ, 0x10 | VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_vm_map(TASK, &a, PAGE_SZ, 0, VM_FLAGS_ANYWHERE, h,
						     0, FALSE, VM_PROT_READ, VM_PROT_READ, 3));
	EXPECT_EQ(KERN_NOT_SUPPORTED, map_entry(&a, PAGE_SZ,
						VM_FLAGS_ANYWHERE | VM_FLAGS_PERMANENT, h, 0,
						FALSE, VM_PROT_READ, VM_PROT_READ));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, map_entry(&a, PAGE_SZ, VM_FLAGS_ANYWHERE | 0x200, h, 0,
						   FALSE, VM_PROT_READ, VM_PROT_READ));
	a = 0;	/* page zero stays unmapped, as XNU's __PAGEZERO */
	EXPECT_EQ(KERN_INVALID_ADDRESS, map_entry(&a, PAGE_SZ, VM_FLAGS_FIXED, h, 0, FALSE,
						  VM_PROT_READ, VM_PROT_READ));
	a = ~0ULL & ~(PAGE_SZ - 1);
	EXPECT_EQ(KERN_INVALID_ADDRESS, map_entry(&a, 2 * PAGE_SZ, VM_FLAGS_FIXED, h, 0, FALSE,
						  VM_PROT_READ, VM_PROT_READ));

	mach_port_deallocate(TASK, h);
	mach_port_mod_refs(TASK, plain, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, plain);
	EXPECT_STATS_BASE(have, base);
}

/* Many entries, sent and dropped in messages: the counters come back. */
TEST(counters_after_messages)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 16));
	for (i = 0; i < 32; i++) {
		mach_port_t h = create_entry(PAGE_SZ, VM_PROT_DEFAULT);

		ASSERT_TRUE(MACH_PORT_VALID(h));
		ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(p, MACH_MSG_TYPE_MAKE_SEND,
							  MACH_PORT_NULL, 0, h,
							  i & 1 ? MACH_MSG_TYPE_MOVE_SEND
								: MACH_MSG_TYPE_COPY_SEND, i));
		if (!(i & 1))
			mach_port_deallocate(TASK, h);
		if (i % 4 < 2) {
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
			mach_msg_destroy(&b.hdr);
		}
	}
	/* the queued rest dies with the port */
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
