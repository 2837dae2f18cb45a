/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tests of complex messages (mach_ool_test, mach_fault_test,
 * mach_stress_test): building messages with port, out-of-line memory and
 * out-of-line port-array descriptors in Darwin's LP64 layout (§1.3: port
 * descriptors are 12 bytes, the others 16, packed at 4), walking the
 * descriptors of a received message, and reading the module's live-object
 * counters in /sys/kernel/debug/mach/stats.
 *
 * Include after mach_test_util.h (with MACH_TEST_USE_LIBMACH defined).
 */
#ifndef MACH_COMPLEX_UTIL_H
#define MACH_COMPLEX_UTIL_H

#include <sys/mman.h>

#define PAGE_SZ ((size_t)sysconf(_SC_PAGESIZE))

/* ------------------------------------------------------------------------
 * Live-object counters of mach.ko (debugfs, root only)
 */
#define MACH_STATS_PATH "/sys/kernel/debug/mach/stats"

struct mstats {
	long spaces, ports, entries, messages, port_sets;
	/* 0 on a module without them */
	long timers, semaphores, mem_entries, fileports, kmsg_aux, ool_pages;
	/* pages a space keeps for its next OOL sends: gone with the space, not compared */
	long ool_cached;
};

static inline int read_stats(struct mstats *s)
{
	char buf[512], *p;
	ssize_t n;
	int fd, found = 0;

	memset(s, 0, sizeof(*s));
	fd = open(MACH_STATS_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n")) {
		char key[32];
		long v;

		if (sscanf(p, "%31s %ld", key, &v) != 2)
			continue;
		found++;
		if (!strcmp(key, "spaces"))
			s->spaces = v;
		else if (!strcmp(key, "ports"))
			s->ports = v;
		else if (!strcmp(key, "entries"))
			s->entries = v;
		else if (!strcmp(key, "messages"))
			s->messages = v;
		else if (!strcmp(key, "port_sets"))
			s->port_sets = v;
		else if (!strcmp(key, "timers"))
			s->timers = v, found--;
		else if (!strcmp(key, "semaphores"))
			s->semaphores = v, found--;
		else if (!strcmp(key, "memory_entries"))
			s->mem_entries = v, found--;
		else if (!strcmp(key, "fileports"))
			s->fileports = v, found--;
		else if (!strcmp(key, "kmsg_aux"))
			s->kmsg_aux = v, found--;
		else if (!strcmp(key, "ool_pages"))
			s->ool_pages = v, found--;
		else if (!strcmp(key, "ool_cached"))
			s->ool_cached = v, found--;
		else
			found--;
	}
	return found == 5 ? 0 : -1;
}

static inline int stats_equal(const struct mstats *a, const struct mstats *b)
{
	return a->spaces == b->spaces && a->ports == b->ports && a->entries == b->entries &&
	       a->messages == b->messages && a->port_sets == b->port_sets &&
	       a->timers == b->timers && a->semaphores == b->semaphores &&
	       a->mem_entries == b->mem_entries && a->fileports == b->fileports &&
	       a->kmsg_aux == b->kmsg_aux && a->ool_pages == b->ool_pages;
}

/* Poll until the counters equal *base (teardown may lag an exit a little). */
static inline int stats_wait_equal(const struct mstats *base, struct mstats *now, int ms)
{
	int64_t end = now_ms() + ms;

	for (;;) {
		if (read_stats(now) == 0 && stats_equal(base, now))
			return 0;
		if (now_ms() > end)
			return -1;
		sleep_ms(10);
	}
}

/* After cleanup the counters must be back at the baseline (with debugfs). */
#define EXPECT_STATS_BASE(have, base)						\
	do {									\
		struct mstats _now;						\
		if (have) {							\
			EXPECT_EQ(0, stats_wait_equal(&(base), &_now, 3000))	\
			TH_LOG("base " STATS_FMT " now " STATS_FMT,		\
			       STATS_ARGS(&(base)), STATS_ARGS(&_now));		\
		}								\
	} while (0)

/*
 * The baseline, after making the objects libmach creates lazily on a
 * port's first use; 1 when debugfs has the counters.
 */
static inline int stats_warm_base(struct mstats *base)
{
	mach_port_t p = new_port_send();

	if (MACH_PORT_VALID(p)) {
		(void)ptype(p);
		mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
		mach_port_deallocate(TASK, p);
	}
	return read_stats(base) == 0;
}

/* One counter read alone (a member of struct mstats), -1 without debugfs. */
#define LIVE_STAT(member)						\
	({								\
		struct mstats _s;					\
		read_stats(&_s) ? -1L : _s.member;			\
	})

/* Poll until live() gives base again; no debugfs (base < 0) passes. */
static inline int live_back_to(long (*live)(void), long base, int ms)
{
	int64_t end = now_ms() + ms;

	if (base < 0)
		return 0;
	while (live() != base) {
		if (now_ms() > end)
			return -1;
		sleep_ms(10);
	}
	return 0;
}

#define STATS_FMT "spaces %ld ports %ld entries %ld messages %ld port_sets %ld " \
	"timers %ld semaphores %ld memory_entries %ld fileports %ld kmsg_aux %ld ool_pages %ld " \
	"ool_cached %ld"
#define STATS_ARGS(s) (s)->spaces, (s)->ports, (s)->entries, (s)->messages, (s)->port_sets, \
	(s)->timers, (s)->semaphores, (s)->mem_entries, (s)->fileports, (s)->kmsg_aux, \
	(s)->ool_pages, (s)->ool_cached

/* ------------------------------------------------------------------------
 * Building complex messages
 */
#define CM_MAX_DESC_BYTES (64 * 16)

struct cmsg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	uint8_t desc[CM_MAX_DESC_BYTES];
	uint32_t used;		/* descriptor bytes written */
};

static inline void cm_init(struct cmsg *m, mach_port_t dest, mach_msg_type_name_t dd,
			   mach_port_t reply, mach_msg_type_name_t rd, mach_msg_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->hdr.msgh_bits = MACH_MSGH_BITS_SET(dd, rd, 0, MACH_MSGH_BITS_COMPLEX);
	m->hdr.msgh_remote_port = dest;
	m->hdr.msgh_local_port = reply;
	m->hdr.msgh_id = id;
}

/* Bytes to send: header, body, descriptors. */
static inline mach_msg_size_t cm_size(const struct cmsg *m)
{
	return (mach_msg_size_t)(sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) + m->used);
}

static inline void cm_raw(struct cmsg *m, const void *d, size_t len)
{
	if (m->used + len > CM_MAX_DESC_BYTES)
		abort();
	memcpy(m->desc + m->used, d, len);
	m->used += (uint32_t)len;
	m->body.msgh_descriptor_count++;
}

static inline void cm_port(struct cmsg *m, mach_port_t name, mach_msg_type_name_t disp)
{
	mach_msg_port_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.disposition = disp;
	d.type = MACH_MSG_PORT_DESCRIPTOR;
	cm_raw(m, &d, sizeof(d));
}

static inline void cm_ool_t(struct cmsg *m, const void *addr, mach_msg_size_t size,
			    unsigned int copy, unsigned int dealloc, unsigned int type)
{
	mach_msg_ool_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.address = (void *)addr;
	d.size = size;
	d.copy = copy;
	d.deallocate = dealloc;
	d.type = type;
	cm_raw(m, &d, sizeof(d));
}

static inline void cm_ool(struct cmsg *m, const void *addr, mach_msg_size_t size,
			  unsigned int copy, unsigned int dealloc)
{
	cm_ool_t(m, addr, size, copy, dealloc, MACH_MSG_OOL_DESCRIPTOR);
}

static inline void cm_ool_ports(struct cmsg *m, const mach_port_t *names, mach_msg_size_t count,
				mach_msg_type_name_t disp, unsigned int copy, unsigned int dealloc)
{
	mach_msg_ool_ports_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.address = (void *)names;
	d.count = count;
	d.disposition = disp;
	d.copy = copy;
	d.deallocate = dealloc;
	d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	cm_raw(m, &d, sizeof(d));
}

static inline mach_msg_return_t cm_send(struct cmsg *m, mach_msg_option_t extra,
					mach_msg_timeout_t timeout)
{
	return mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT | extra, cm_size(m), 0,
			MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

/* ------------------------------------------------------------------------
 * Received complex messages
 */
struct big_rcv {
	mach_msg_header_t hdr;
	uint8_t data[CM_MAX_DESC_BYTES + 256 + MACH_MSG_TRAILER_MAX_SIZE];
};

static inline mach_msg_return_t big_recv(mach_port_t port, struct big_rcv *b,
					 mach_msg_option_t extra, mach_msg_timeout_t timeout)
{
	memset(b, 0, sizeof(*b));
	return mach_msg(&b->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, sizeof(*b), port,
			timeout, MACH_PORT_NULL);
}

static inline mach_msg_size_t desc_bytes(unsigned int type)
{
	return type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t)
						: sizeof(mach_msg_ool_descriptor_t);
}

static inline mach_msg_size_t msg_desc_count(const mach_msg_header_t *h)
{
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return 0;
	return ((const mach_msg_base_t *)h)->body.msgh_descriptor_count;
}

/* The i-th descriptor of a complex message (walked in order, §1.3). */
static inline mach_msg_descriptor_t *msg_desc(mach_msg_header_t *h, unsigned int i)
{
	uint8_t *p = (uint8_t *)((mach_msg_base_t *)h + 1);

	while (i--)
		p += desc_bytes(((mach_msg_descriptor_t *)p)->type.type);
	return (mach_msg_descriptor_t *)p;
}

/* ------------------------------------------------------------------------
 * Memory
 */
/* Is every page of [addr, addr+len) mapped?  1 yes, 0 none, -1 partly. */
static inline int range_mapped(const void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr & ~(PAGE_SZ - 1);
	uintptr_t end = ((uintptr_t)addr + len + PAGE_SZ - 1) & ~(PAGE_SZ - 1);
	unsigned char vec;
	int mapped = 0, unmapped = 0;

	for (; a < end; a += PAGE_SZ) {
		if (mincore((void *)a, PAGE_SZ, &vec) == 0)
			mapped++;
		else if (errno == ENOMEM)
			unmapped++;
		else
			return -2;
	}
	return unmapped == 0 ? 1 : mapped == 0 ? 0 : -1;
}

static inline void fill_pattern(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 12));
}

static inline int check_pattern(const void *p, size_t len, uint32_t seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (uint8_t)(seed * 31 + i * 7 + (i >> 12)))
			return -1;
	return 0;
}

/* Anonymous pages, MAP_FAILED on error. */
static inline void *map_pages(size_t npages)
{
	return mmap(NULL, npages * PAGE_SZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Drop every uref of a name, whatever right it holds (best effort). */
static inline void drop_name(mach_port_name_t n)
{
	mach_port_type_t t = 0;

	if (!MACH_PORT_VALID(n) || mach_port_type(mach_task_self(), n, &t) != KERN_SUCCESS)
		return;
	if (t & MACH_PORT_TYPE_RECEIVE)
		mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_RECEIVE, -1);
	if (t & MACH_PORT_TYPE_PORT_SET)
		mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_PORT_SET, -1);
	if (mach_port_type(mach_task_self(), n, &t) != KERN_SUCCESS)
		return;
	if (t & MACH_PORT_TYPE_SEND_ONCE)
		mach_port_deallocate(mach_task_self(), n);
	if (t & MACH_PORT_TYPE_SEND) {
		mach_port_urefs_t u = 0;

		if (mach_port_get_refs(mach_task_self(), n, MACH_PORT_RIGHT_SEND, &u) == KERN_SUCCESS && u)
			mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_SEND, -(int)u);
	}
	if (mach_port_type(mach_task_self(), n, &t) != KERN_SUCCESS)
		return;
	if (t & MACH_PORT_TYPE_DEAD_NAME) {
		mach_port_urefs_t u = 0;

		if (mach_port_get_refs(mach_task_self(), n, MACH_PORT_RIGHT_DEAD_NAME, &u) == KERN_SUCCESS && u)
			mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_DEAD_NAME, -(int)u);
	}
}

#endif /* MACH_COMPLEX_UTIL_H */
