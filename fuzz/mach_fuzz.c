// SPDX-License-Identifier: GPL-2.0
/*
 * mach-fuzz: a seeded, multi-process fuzzer of /dev/mach.
 *
 *   mach-fuzz [--seed S] [--ops N] [--time SECS] [--workers W]
 *             [--worker-ops N] [--kill-ms MS] [--known LIST] [--verbose]
 *             [--worker-seed S]
 *
 * Environment: FUZZ_SEED, FUZZ_OPS, FUZZ_TIME override the defaults (the
 * options override the environment).  The defaults are the bounded run of
 * `make check`; `make fuzz FUZZ_OPS=... FUZZ_SEED=...` runs a long one.
 *
 * Processes:
 *   runner       reads the module's live-object counters (debugfs), forks
 *                the coordinator, and checks after it ended that the
 *                counters came back to where they were;
 *   coordinator  owns three hub ports (registered with mach_ports_register,
 *                so every forked space starts with send rights to them) in
 *                a port set, and brokers: what workers send to the hubs is
 *                forwarded, rights and out-of-line memory included, to a
 *                random worker's inbox, or destroyed.  It forks the workers,
 *                SIGKILLs one at a random moment every ~kill-ms, respawns
 *                them, and watches for a worker stuck in one operation;
 *   workers      run a stream of operations drawn from a PRNG seeded by
 *                (seed, slot, generation): every ioctl of uapi/linux/mach.h,
 *                valid and hostile, through libmach and raw; complex
 *                messages with random descriptors (ports, OOL memory, OOL
 *                ports, bad types, counts, pointers, sizes); port sets;
 *                notifications; task, thread and special ports; poll fds;
 *                io_uring (IORING_OP_URING_CMD); threads; forked children
 *                sharing ports through registered ports; self-checks that
 *                a message sent to a fresh port comes back intact.  Odd
 *                slots run unprivileged (uid nobody).  After worker-ops
 *                operations a worker exits with everything live.
 *
 * The operation sequence of a worker is a function of the seed only, so a
 * failure is replayed with the same seed; with --workers 1 --kill-ms 0 the
 * whole run is (timing aside) deterministic, and --worker-seed replays the
 * stream of one worker (the seed printed with its failure) in slot 0.  A worker killed by a signal
 * other than our SIGKILL, a failed self-check, a stuck or unkillable
 * worker, or counters not back to their start fail the run.  The kernel's
 * own reports (KASAN, lockdep, WARN, ...) are judged by the VM runner.
 *
 * The security review's findings (issue 15) are fixed; the triggers of
 * those the fuzzer can reach run by default (--known all), so a regression
 * shows up as a failed run:
 *   1  mach_ports_lookup with a full name table (as root the run lowers
 *      max_entries to 4096 so a table fills in a few thousand calls, and
 *      restores it at exit)
 *   2  a descriptor array sized from a multi-megabyte body
 *   6  thousands of port sets, OOL-port counts near the unbounded-loop sizes
 *   7  a ring closed with receives parked (io_uring receives without a
 *      timeout; a ring holding one is closed without waiting)
 * --known LIST runs only those (e.g. --known 2,6), --known none none of them
 * (the avoidances: no full table, bodies <= 256 KiB, at most 16 sets per
 * space, every io_uring receive timed and rings closed once idle).
 * Not reached: 3 (no exec), 5 (few kobject requests, queues drained), 8
 * (threads do not use io_uring), 4 (namespaces), 9, 10, 11.
 *
 * Output: KTAP, "ok 1 fuzz_run" and "ok 2 fuzz_live_objects".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <mach/mach.h>
#include <mach/linux.h>
#include <mach/mach_uring.h>
#include <linux/mach.h>

#define MAX_WORKERS	16
#define POOL		128
#define SCRATCH_SIZE	(1u << 20)
#define BODY_MAX	(256u << 10)
#define RCV_SIZE	(BODY_MAX + 4096)
#define URING_SLOTS	8
#define HUBS		3
#define MSGID_HELLO	0x4d460001
#define MSGID_CHECK	0x4d460002
#define STUCK_MS	30000
#define KADDR		((void *)0xffff888000000000ULL)
#define NONCANON	((void *)0x0000900000000000ULL)

/* ---- options --------------------------------------------------------- */

static uint64_t opt_seed = 1;
static unsigned long opt_ops = 25000;
static unsigned int opt_time = 120;
static unsigned int opt_workers = 4;
static unsigned long opt_worker_ops = 2500;
static unsigned int opt_kill_ms = 1500;
/* The fixed findings whose triggers the fuzzer has: all run by default. */
#define KNOWN_ALL ((1u << 1) | (1u << 2) | (1u << 6) | (1u << 7))
static unsigned int opt_known = KNOWN_ALL;	/* bit N: finding N is triggered */
static int opt_verbose;
static uint64_t opt_worker_seed;	/* replay: slot 0's first worker */

static int known(int n)
{
	return opt_known & (1u << n);
}

/* ---- PRNG (splitmix64): one stream per process or thread ------------ */

static __thread uint64_t rng_state;

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	rng_state += 0x9e3779b97f4a7c15ULL;
	return mix(rng_state);
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int chance(unsigned int percent)
{
	return rn(100) < percent;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- shared state ---------------------------------------------------- */

enum op {
	OP_ALLOCATE, OP_ALLOCATE_NAME, OP_DEALLOCATE, OP_DESTROY, OP_MOD_REFS,
	OP_GET_REFS, OP_TYPE, OP_INSERT_RIGHT, OP_EXTRACT_RIGHT, OP_ATTR,
	OP_CONSTRUCT, OP_CONTEXT, OP_NAMES, OP_MEMBER, OP_SET_STATUS,
	OP_NOTIFY, OP_SPECIAL, OP_REGISTER, OP_SEND, OP_RECEIVE, OP_RPC,
	OP_KOBJECT, OP_POLL, OP_URING, OP_THREAD, OP_FORK, OP_RAW_IOCTL,
	OP_RAW_MSG, OP_HUB, OP_DRAIN, OP_GC, OP_MISC, OP_SELF, OP_SPACE,
	OP_CHECK, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"allocate", "allocate_name", "deallocate", "destroy", "mod_refs",
	"get_refs", "type", "insert_right", "extract_right", "attributes",
	"construct", "context", "names", "member", "set_status",
	"notify", "special", "register", "send", "receive", "rpc",
	"kobject", "poll", "uring", "thread", "fork", "raw_ioctl",
	"raw_msg", "hub", "drain", "gc", "misc", "self", "space",
	"check",
};

/* weights of the operations in a worker's stream */
static const unsigned char op_weight[OP_COUNT] = {
	[OP_ALLOCATE] = 8, [OP_ALLOCATE_NAME] = 2, [OP_DEALLOCATE] = 4,
	[OP_DESTROY] = 3, [OP_MOD_REFS] = 5, [OP_GET_REFS] = 2, [OP_TYPE] = 2,
	[OP_INSERT_RIGHT] = 4, [OP_EXTRACT_RIGHT] = 3, [OP_ATTR] = 3,
	[OP_CONSTRUCT] = 3, [OP_CONTEXT] = 2, [OP_NAMES] = 2, [OP_MEMBER] = 5,
	[OP_SET_STATUS] = 2, [OP_NOTIFY] = 5, [OP_SPECIAL] = 3,
	[OP_REGISTER] = 2, [OP_SEND] = 16, [OP_RECEIVE] = 10, [OP_RPC] = 4,
	[OP_KOBJECT] = 1, [OP_POLL] = 3, [OP_URING] = 8, [OP_THREAD] = 1,
	[OP_FORK] = 1, [OP_RAW_IOCTL] = 10, [OP_RAW_MSG] = 6, [OP_HUB] = 6,
	[OP_DRAIN] = 2, [OP_GC] = 1, [OP_MISC] = 3, [OP_SELF] = 1,
	[OP_SPACE] = 1, [OP_CHECK] = 2,
};

struct slot {
	_Atomic pid_t pid;
	_Atomic uint32_t gen;
	_Atomic uint32_t op;		/* running operation */
	_Atomic uint64_t seq;		/* its index in the worker's stream */
	_Atomic int64_t stamp;		/* when it started (now_ms) */
	_Atomic int64_t killed_at;	/* we sent SIGKILL (0: not) */
	uint64_t seed;			/* the worker's stream seed */
};

struct shared {
	_Atomic uint64_t ops;
	_Atomic uint64_t per_op[OP_COUNT];
	_Atomic uint32_t failures;
	_Atomic uint32_t note_len;
	char note[8192];		/* failure descriptions */
	struct slot slot[MAX_WORKERS];
};

static struct shared *sh;

static void note(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	printf("# %s\n", line);
	fflush(stdout);
	atomic_fetch_add(&sh->failures, 1);
	uint32_t at = atomic_fetch_add(&sh->note_len, (uint32_t)n + 1);
	if (at + n + 1 < sizeof(sh->note)) {
		memcpy(sh->note + at, line, n);
		sh->note[at + n] = '\n';
	}
}

/* ---- worker state ---------------------------------------------------- */

static int my_slot = -1;
static uint64_t my_seq;
static mach_port_name_t pool[POOL];
static unsigned int npool;
static mach_port_name_t hubs[HUBS];
static mach_port_name_t inbox;
static unsigned int nsets;
static char *scratch;		/* SCRATCH_SIZE bytes, then a PROT_NONE page */
static char *guard;
static char *ro_page;		/* PROT_READ */
static char *rcvbuf;		/* RCV_SIZE */
static char *sndbuf;		/* BODY_MAX + 4096 */
static pid_t children[2];
static mach_port_name_t thread_self_name;
static int is_child;

static void pool_add(mach_port_name_t name)
{
	if (!MACH_PORT_VALID(name))
		return;
	if (npool < POOL)
		pool[npool++] = name;
	else
		pool[rn(POOL)] = name;
}

static mach_port_name_t pick_name(void)
{
	unsigned int r = rn(100);

	if (r < 62 && npool)
		return pool[rn(npool)];
	if (r < 68)
		return mach_task_self();
	if (r < 72)
		return hubs[rn(HUBS)];
	if (r < 75)
		return inbox;
	if (r < 82 && npool)
		return pool[rn(npool)] ^ (1 + rn(255));	/* stale generation */
	switch (rn(5)) {
	case 0:
		return MACH_PORT_NULL;
	case 1:
		return MACH_PORT_DEAD;
	case 2:
		return MACH_PORT_MAKE(rn(64), rn(4));
	case 3:
		return (mach_port_name_t)rnd();
	default:
		return thread_self_name;
	}
}

static mach_port_right_t pick_right(void)
{
	if (chance(3))
		return (mach_port_right_t)rnd();
	return rn(8);
}

static mach_msg_type_name_t pick_disp(void)
{
	static const mach_msg_type_name_t d[] = {
		MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND,
		MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_COPY_SEND,
		MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
		MACH_MSG_TYPE_COPY_RECEIVE, MACH_MSG_TYPE_DISPOSE_RECEIVE,
		MACH_MSG_TYPE_DISPOSE_SEND, MACH_MSG_TYPE_DISPOSE_SEND_ONCE,
		0, 15, 23, 31,
	};

	if (chance(2))
		return rn(256);
	return d[rn(sizeof(d) / sizeof(d[0]))];
}

/* A pointer the kernel must refuse, never one into our own memory. */
static void *bad_ptr(size_t len)
{
	switch (rn(7)) {
	case 0:
		return NULL;
	case 1:
		return guard;
	case 2:
		return KADDR;
	case 3:	/* the last bytes of scratch, running into the guard page */
		return scratch + SCRATCH_SIZE - (len > 8 ? len / 2 : 4);
	case 4:
		return NONCANON;
	case 5:
		return (void *)(uintptr_t)rn(4096);
	default:
		return ro_page;		/* readable, not writable */
	}
}

/*
 * An address for an OOL region sent with deallocate=1 that the kernel must
 * refuse: after a successful send the kernel unmaps the region's pages, so
 * it must never be a page we use (read-only page and scratch excluded).
 */
static void *bad_dealloc_ptr(void)
{
	switch (rn(5)) {
	case 0:
		return NULL;
	case 1:
		return guard;
	case 2:
		return KADDR;
	case 3:
		return NONCANON;
	default:
		return (void *)(uintptr_t)rn(4096);
	}
}

/* A receive buffer the kernel must not be able to write: never NULL (NULL
 * means "the send buffer" to mach_msg). */
static void *bad_rcv_ptr(void)
{
	void *p = bad_ptr(64);

	return p ? p : guard;
}

/* Some bytes of scratch, `len` long, for the kernel to read or write. */
static void *scratch_at(size_t len)
{
	if (len >= SCRATCH_SIZE)
		return scratch;
	return scratch + (rn(SCRATCH_SIZE - len) & ~7u);
}

/* ---- destroying a received message ---------------------------------- */

static void drop_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	if (!MACH_PORT_VALID(name))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_PORT_SEND:
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		mach_port_deallocate(mach_task_self(), name);
		break;
	}
}

/* What the kernel mapped for an OOL region: whole pages around it. */
static void unmap_region(void *addr, size_t size)
{
	uintptr_t start = (uintptr_t)addr & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)addr + size + 4095) & ~(uintptr_t)4095;

	munmap((void *)start, end - start);
}

/*
 * A message the kernel copied out to us (msgh_size bytes in buf): its
 * rights are given back, its out-of-line regions unmapped.  With keep_rights
 * the names are added to the pool instead (rights in flight come home).
 */
static void destroy_received(mach_msg_header_t *h, size_t cap, int keep_rights)
{
	mach_msg_bits_t bits = h->msgh_bits;

	/*
	 * A pseudo-received message (a send that failed after copyin) keeps
	 * its send-side orientation: the reply right is in msgh_local_port.
	 */
	if (keep_rights < 0) {
		drop_right(h->msgh_local_port, MACH_MSGH_BITS_LOCAL(bits));
		keep_rights = 0;
	}

	if (keep_rights && MACH_PORT_VALID(h->msgh_remote_port))
		pool_add(h->msgh_remote_port);
	else
		drop_right(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	drop_right(h->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(bits));
	if (!(bits & MACH_MSGH_BITS_COMPLEX) || h->msgh_size < sizeof(mach_msg_base_t) ||
	    h->msgh_size > cap)
		return;

	mach_msg_base_t *base = (mach_msg_base_t *)h;
	unsigned char *p = (unsigned char *)(base + 1);
	unsigned char *end = (unsigned char *)h + h->msgh_size;

	for (uint32_t i = 0; i < base->body.msgh_descriptor_count; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

		if (p + sizeof(mach_msg_type_descriptor_t) > end)
			return;
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (keep_rights && MACH_PORT_VALID(d->port.name))
				pool_add(d->port.name);
			else
				drop_right(d->port.name, d->port.disposition);
			p += sizeof(mach_msg_port_descriptor_t);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (p + sizeof(mach_msg_ool_descriptor_t) > end)
				return;
			if (d->out_of_line.address && d->out_of_line.size)
				unmap_region(d->out_of_line.address, d->out_of_line.size);
			p += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *names = d->ool_ports.address;
			uint32_t n = d->ool_ports.count;

			if (p + sizeof(mach_msg_ool_ports_descriptor_t) > end)
				return;
			for (uint32_t j = 0; names && j < n; j++) {
				if (keep_rights && j < 4)
					pool_add(names[j]);
				else
					drop_right(names[j], d->ool_ports.disposition);
			}
			if (names && n)
				unmap_region(names, (size_t)n * sizeof(*names));
			p += sizeof(mach_msg_ool_ports_descriptor_t);
			break;
		}
		default:
			return;
		}
	}
}

/* ---- building messages ----------------------------------------------- */

/*
 * A fresh mapping for an OOL region sent with deallocate=1: the kernel
 * unmaps its pages once the message is sent.  PROT_NONE pages on either
 * side, so that a hostile size running past it makes the copy fail rather
 * than have the kernel unmap a neighbouring mapping of ours.
 */
static void *donate(size_t *len, void **whole, size_t *whole_len)
{
	size_t n = (1 + rn(4)) * 4096;
	char *p = mmap(NULL, n + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + 4096, n, PROT_READ | PROT_WRITE)) {
		munmap(p, n + 2 * 4096);
		return NULL;
	}
	memset(p + 4096, (int)rn(256), n);
	*len = n;
	*whole = p;
	*whole_len = n + 2 * 4096;
	return p + 4096;
}

struct built {
	uint32_t send_size;
	void *donated[8];
	size_t donated_len[8];
	int ndonated;
};

static void built_release(struct built *b)
{
	for (int i = 0; i < b->ndonated; i++)
		munmap(b->donated[i], b->donated_len[i]);
	b->ndonated = 0;
}

static mach_msg_type_name_t valid_send_disp(void)
{
	static const mach_msg_type_name_t d[] = {
		MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND,
		MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_MOVE_SEND,
		MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_MOVE_RECEIVE,
	};
	return d[rn(6)];
}

/*
 * A message in buf to dest: random header bits, descriptors and inline
 * bytes.  hostile: percent chance of each kind of corruption.
 */
static void build_msg(char *buf, mach_port_name_t dest, mach_msg_type_name_t dest_disp,
		      unsigned int hostile, struct built *b)
{
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	uint32_t ndesc = chance(50) ? rn(6) : 0;
	unsigned char *p;
	uint32_t inline_len;

	memset(b, 0, sizeof(*b));
	memset(h, 0, sizeof(*h));
	h->msgh_remote_port = dest;
	h->msgh_bits = MACH_MSGH_BITS(dest_disp, 0);
	if (chance(40)) {
		h->msgh_local_port = chance(80) ? pick_name() : mach_reply_port();
		h->msgh_bits |= MACH_MSGH_BITS(0, chance(70) ? MACH_MSG_TYPE_MAKE_SEND_ONCE :
					       valid_send_disp());
	}
	if (chance(hostile)) {
		h->msgh_bits ^= 1u << rn(32);
		if (chance(30))
			h->msgh_voucher_port = pick_name();
	}
	h->msgh_id = (mach_msg_id_t)rnd();
	p = (unsigned char *)(h + 1);
	if (ndesc || chance(hostile)) {
		mach_msg_body_t *body = (mach_msg_body_t *)p;

		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		body->msgh_descriptor_count = ndesc;
		if (chance(hostile))
			switch (rn(4)) {
			case 0:
				body->msgh_descriptor_count = ndesc + 1 + rn(3);
				break;
			case 1:
				body->msgh_descriptor_count = (uint32_t)rnd();
				break;
			case 2:
				body->msgh_descriptor_count = 0xffffffffu;
				break;
			default:
				body->msgh_descriptor_count = rn(1u << 16);
			}
		p += sizeof(*body);
	}
	for (uint32_t i = 0; i < ndesc; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
		unsigned int type = rn(3);

		if (chance(hostile))
			type = chance(50) ? rn(6) : rn(256);
		switch (type) {
		case MACH_MSG_PORT_DESCRIPTOR:
		default:
			memset(d, 0, sizeof(d->port));
			d->port.name = pick_name();
			d->port.disposition = chance(hostile) ? pick_disp() : valid_send_disp();
			d->port.type = type;
			if (chance(hostile))
				d->port.pad2 = rn(65536);
			p += sizeof(d->port);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
			mach_msg_ool_descriptor_t *o = &d->out_of_line;
			size_t len = chance(10) ? rn(65536) : rn(4096);

			memset(o, 0, sizeof(*o));
			o->type = type;
			o->copy = chance(50) ? MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY;
			o->address = scratch_at(len);
			o->size = len;
			if (b->ndonated < 8 && chance(15)) {
				void *q = donate(&len, &b->donated[b->ndonated],
						 &b->donated_len[b->ndonated]);

				if (q) {
					b->ndonated++;
					o->address = q;
					o->size = len;
					o->deallocate = 1;
				}
			}
			if (chance(hostile)) {
				switch (rn(5)) {
				case 0:
					o->deallocate = chance(50);
					o->address = o->deallocate ? bad_dealloc_ptr() :
						     bad_ptr(o->size);
					break;
				case 1:	/* huge: the kernel must bound it before the copy faults */
					o->size = chance(50) ? 0xffffffffu :
						  (chance(80) ? (16u << 20) : (1u << 30));
					o->deallocate = 0;
					break;
				case 2:
					o->copy = rn(256);
					break;
				case 3:
					o->pad1 = rn(256);
					break;
				default:
					o->size += 1 + rn(4096);
				}
			}
			p += sizeof(*o);
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_msg_ool_ports_descriptor_t *o = &d->ool_ports;
			uint32_t n = rn(17);
			mach_port_name_t *names = scratch_at(n * 4 + 4);

			memset(o, 0, sizeof(*o));
			for (uint32_t j = 0; j < n; j++)
				names[j] = pick_name();
			o->type = type;
			o->address = names;
			o->count = n;
			o->copy = MACH_MSG_PHYSICAL_COPY;
			o->disposition = chance(hostile) ? pick_disp() : valid_send_disp();
			if (chance(hostile)) {
				switch (rn(4)) {
				case 0:
					o->address = bad_ptr(n * 4);
					break;
				case 1:	/* more names than the array: runs into the guard */
					/*
					 * Finding 6's size: 4M names, a 32 MiB kernel
					 * array.  16M (128 MiB, the OOL cap) made a
					 * killed worker take over 30 s to vfree it on
					 * a loaded debug VM, which says nothing more.
					 */
					o->count = known(6) ? (1u << 22) : (1u << 18);
					break;
				case 2:
					o->count = 0xffffffffu;
					break;
				default:
					o->copy = rn(256);
				}
			}
			p += sizeof(*o);
			break;
		}
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
			mach_msg_guarded_port_descriptor_t *g = &d->guarded_port;

			memset(g, 0, sizeof(*g));
			g->name = pick_name();
			g->disposition = pick_disp();
			g->flags = rn(4);
			g->context = rnd();
			g->type = type;
			p += sizeof(*g);
			break;
		}
		}
	}
	inline_len = chance(5) ? rn(BODY_MAX - 4096) : rn(512);
	inline_len &= ~3u;
	if ((size_t)(p - (unsigned char *)buf) + inline_len > BODY_MAX)
		inline_len = 0;
	memset(p, (int)rn(256), inline_len);
	p += inline_len;
	h->msgh_size = (uint32_t)(p - (unsigned char *)buf);
	b->send_size = h->msgh_size;
	if (chance(hostile)) {
		switch (rn(6)) {
		case 0:
			b->send_size = h->msgh_size + 1 + rn(7);
			break;
		case 1:
			b->send_size = rn(sizeof(*h) + 8);
			break;
		case 2:
			b->send_size = 0xffffffffu;
			break;
		case 3:	/* larger than the buffer: the copy runs off our memory */
			b->send_size = known(2) ? (3u << 20) : (BODY_MAX + 8192);
			break;
		case 4:
			h->msgh_size = (uint32_t)rnd();
			break;
		default:
			b->send_size = 50331580u + 4;
		}
	}
}

/* ---- small helpers ---------------------------------------------------- */

static mach_port_name_t new_port(void)
{
	mach_port_name_t name = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_SUCCESS) {
		if (chance(50))
			mach_port_insert_right(mach_task_self(), name, name,
					       MACH_MSG_TYPE_MAKE_SEND);
		pool_add(name);
	}
	return name;
}

static mach_msg_option_t rcv_trailer_bits(void)
{
	if (chance(70))
		return 0;
	return MACH_RCV_TRAILER_TYPE(chance(90) ? 0 : rn(16)) |
	       MACH_RCV_TRAILER_ELEMENTS(rn(16));
}

static mach_msg_return_t do_receive(mach_port_name_t name, unsigned int timeout, int keep)
{
	mach_msg_header_t *h = (mach_msg_header_t *)rcvbuf;
	mach_msg_option_t opt = MACH_RCV_MSG | MACH_RCV_TIMEOUT | rcv_trailer_bits();
	mach_msg_size_t size = RCV_SIZE;
	mach_msg_return_t mr;

	if (chance(10))
		opt |= MACH_RCV_LARGE;
	if (chance(10))
		size = rn(128);
	mr = mach_msg(h, opt, 0, size, name, timeout, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		destroy_received(h, RCV_SIZE, keep);
	return mr;
}

/* ---- io_uring --------------------------------------------------------- */

struct upend {
	int used;
	int rcv;
	int untimed;	/* a receive without MACH_RCV_TIMEOUT: may never end */
	char *buf;
};

static struct io_uring ring;
static int ring_ok;
static struct upend upend[URING_SLOTS];
static unsigned int uring_inflight;
static unsigned int uring_untimed;	/* of those, receives without a timeout */

static void uring_reap(int wait_ms)
{
	struct io_uring_cqe *cqe;

	while (ring_ok && uring_inflight) {
		int r;

		if (wait_ms > 0) {
			struct __kernel_timespec ts = { 0, (long long)wait_ms * 1000000 };

			r = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		} else {
			r = io_uring_peek_cqe(&ring, &cqe);
		}
		if (r < 0 || !cqe)
			return;
		uintptr_t i = (uintptr_t)io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&ring, cqe);
		if (i >= URING_SLOTS || !upend[i].used)
			continue;
		if (res == MACH_MSG_SUCCESS && upend[i].rcv)
			destroy_received((mach_msg_header_t *)upend[i].buf, RCV_SIZE, 0);
		upend[i].used = 0;
		uring_inflight--;
		if (upend[i].untimed) {
			upend[i].untimed = 0;
			uring_untimed--;
		}
	}
}

/* Close the ring only once every command completed (finding 7). */
static void uring_close(void)
{
	int64_t deadline = now_ms() + 10000;

	if (!ring_ok)
		return;
	if (known(7) && (uring_untimed || chance(50))) {
		/*
		 * finding 7: closed with receives parked.  An untimed receive
		 * may never complete, so waiting for it would only stall.
		 */
		io_uring_queue_exit(&ring);
		ring_ok = 0;
		uring_inflight = 0;
		uring_untimed = 0;
		for (int i = 0; i < URING_SLOTS; i++)
			upend[i].used = 0, upend[i].untimed = 0,
			upend[i].buf = NULL;	/* may still be written */
		return;
	}
	while (uring_inflight && now_ms() < deadline)
		uring_reap(100);
	if (uring_inflight) {
		note("slot %d seq %llu: %u io_uring commands not completed 10 s after their timeouts",
		     my_slot, (unsigned long long)my_seq, uring_inflight);
		return;	/* leave it to process exit */
	}
	io_uring_queue_exit(&ring);
	ring_ok = 0;
}

static void op_uring(void)
{
	struct io_uring_sqe *sqe;
	int i;

	if (!ring_ok) {
		if (chance(10)) {
			/* a ring without SQE128: the command must be refused */
			struct io_uring r2;

			if (io_uring_queue_init(4, &r2, 0) == 0) {
				sqe = io_uring_get_sqe(&r2);
				io_uring_prep_rw(IORING_OP_URING_CMD, sqe, mach_linux_fd(), NULL, 0, 0);
				sqe->cmd_op = MACH_URING_CMD_MSG;
				io_uring_submit_and_wait(&r2, 1);
				io_uring_queue_exit(&r2);
			}
			return;
		}
		if (mach_uring_queue_init(16, &ring, 0) != 0)
			return;
		ring_ok = 1;
		for (i = 0; i < URING_SLOTS; i++)
			if (!upend[i].buf)
				upend[i].buf = malloc(RCV_SIZE);
	}
	uring_reap(0);
	if (chance(3)) {
		uring_close();
		return;
	}
	for (i = 0; i < URING_SLOTS && upend[i].used; i++)
		;
	if (i == URING_SLOTS) {
		uring_reap(5);
		return;
	}
	struct upend *u = &upend[i];
	mach_msg_header_t *h = (mach_msg_header_t *)u->buf;
	struct built b;
	unsigned int kind = rn(4);
	mach_msg_option_t opt;
	mach_port_name_t rcv_name = npool ? pool[rn(npool)] : inbox;

	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		return;
	memset(&b, 0, sizeof(b));
	u->rcv = 0;
	if (kind == 0 || kind == 2) {
		build_msg(u->buf, pick_name(), valid_send_disp(), 15, &b);
		opt = MACH_SEND_MSG;
		if (kind == 2) {
			opt |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
			u->rcv = 1;
		}
		mach_uring_prep_msg(sqe, mach_linux_fd(), h, opt, b.send_size,
				    u->rcv ? RCV_SIZE : 0, rcv_name, rn(20), NULL);
	} else {
		opt = MACH_RCV_MSG | MACH_RCV_TIMEOUT | rcv_trailer_bits();
		if (chance(10))
			opt |= MACH_RCV_LARGE;
		u->rcv = 1;
		mach_uring_prep_msg(sqe, mach_linux_fd(), h, opt, 0, RCV_SIZE, rcv_name,
				    rn(20), NULL);
	}
	if (chance(15)) {
		/* hostile: the ABI underneath */
		struct mach_ioc_msg *a = (struct mach_ioc_msg *)sqe->cmd;

		switch (rn(6)) {
		case 0:
			sqe->cmd_op = (uint32_t)rnd();
			break;
		case 1:
			sqe->flags |= IOSQE_ASYNC;
			break;
		case 2:
			a->msg = (uintptr_t)bad_ptr(64);
			u->rcv = 0;	/* nothing lands in our buffer */
			break;
		case 3:
			a->rcv_size = (uint32_t)rnd();
			if (a->rcv_size > RCV_SIZE)
				u->rcv = 0, a->rcv_msg = (uintptr_t)bad_rcv_ptr();
			break;
		case 4:
			a->notify = (uint32_t)rnd();
			a->timeout = rn(3);
			break;
		default:
			a->rcv_name = pick_name();
		}
	}
	/* every receive ends by itself (findings 3, 7), unless asked */
	if (((struct mach_ioc_msg *)sqe->cmd)->option & MACH_RCV_MSG) {
		if (known(7) && chance(20)) {
			((struct mach_ioc_msg *)sqe->cmd)->option &= ~MACH_RCV_TIMEOUT;
			u->untimed = 1;
			uring_untimed++;
		} else
			((struct mach_ioc_msg *)sqe->cmd)->option |= MACH_RCV_TIMEOUT;
	}
	io_uring_sqe_set_data(sqe, (void *)(uintptr_t)i);
	u->used = 1;
	uring_inflight++;
	io_uring_submit(&ring);
	built_release(&b);	/* a uring send is taken at submit */
	uring_reap(chance(30) ? 5 : 0);
}

/* ---- raw ioctls -------------------------------------------------------- */

static const unsigned long ioctls[] = {
	MACH_IOC_VERSION, MACH_IOC_MSG, MACH_IOC_FORK_SPACE, MACH_IOC_TASK_SELF,
	MACH_IOC_THREAD_SELF, MACH_IOC_REPLY_PORT, MACH_IOC_PORT_ALLOCATE,
	MACH_IOC_PORT_ALLOCATE_NAME, MACH_IOC_PORT_DEALLOCATE, MACH_IOC_PORT_DESTROY,
	MACH_IOC_PORT_TYPE, MACH_IOC_PORT_GET_SRIGHTS, MACH_IOC_PORT_SET_MSCOUNT,
	MACH_IOC_PORT_SET_SEQNO, MACH_IOC_PORT_MOD_REFS, MACH_IOC_PORT_GET_REFS,
	MACH_IOC_PORT_GET_CONTEXT, MACH_IOC_PORT_SET_CONTEXT, MACH_IOC_PORT_NAMES,
	MACH_IOC_PORT_INSERT_RIGHT, MACH_IOC_PORT_EXTRACT_RIGHT,
	MACH_IOC_PORT_GET_ATTRIBUTES, MACH_IOC_PORT_SET_ATTRIBUTES,
	MACH_IOC_PORT_CONSTRUCT, MACH_IOC_PORT_DESTRUCT, MACH_IOC_PORT_PEEK,
	MACH_IOC_PORT_MOVE_MEMBER, MACH_IOC_PORT_INSERT_MEMBER,
	MACH_IOC_PORT_EXTRACT_MEMBER, MACH_IOC_PORT_GET_SET_STATUS,
	MACH_IOC_PORT_REQUEST_NOTIFICATION, MACH_IOC_GET_SPECIAL_PORT,
	MACH_IOC_SET_SPECIAL_PORT, MACH_IOC_PORTS_REGISTER, MACH_IOC_PORTS_LOOKUP,
	MACH_IOC_SET_BOOTSTRAP, MACH_IOC_PORT_FD,
};
#define NIOCTLS (sizeof(ioctls) / sizeof(ioctls[0]))

/* A plausible, often slightly wrong, u32 for an ioctl field. */
static uint32_t field_word(void)
{
	switch (rn(8)) {
	case 0:
	case 1:
	case 2:
		return pick_name();
	case 3:
		return rn(8);
	case 4:
		return rn(32);
	case 5:
		return 0;
	case 6:
		return (uint32_t)rnd();
	default:
		return (uint32_t)(int32_t)(rn(5) - 2);
	}
}

static void fill_user_ptr(__u64 *field, size_t len)
{
	*field = (uintptr_t)(chance(60) ? scratch_at(len) : bad_ptr(len));
}

static void op_raw_ioctl(void)
{
	unsigned long cmd = ioctls[rn(NIOCTLS)];
	uint64_t argbuf[32];
	uint32_t *w = (uint32_t *)argbuf;
	unsigned int size = _IOC_SIZE(cmd);
	void *arg = argbuf;
	long r;

	memset(argbuf, 0, sizeof(argbuf));
	for (unsigned int i = 0; i < size / 4; i++)
		w[i] = field_word();
	if (size >= 4 && chance(70))
		w[0] = mach_task_self();	/* most calls name the task first */
	/* the pointer fields of the calls that have them */
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(MACH_IOC_PORT_NAMES): {
		struct mach_ioc_port_names *a = (void *)argbuf;

		a->count = chance(50) ? rn(64) : (uint32_t)rnd();
		fill_user_ptr(&a->names, a->count * 4ull);
		fill_user_ptr(&a->types, a->count * 4ull);
		break;
	}
	case _IOC_NR(MACH_IOC_PORT_GET_SET_STATUS): {
		struct mach_ioc_port_set_status *a = (void *)argbuf;

		a->count = chance(50) ? rn(64) : (uint32_t)rnd();
		fill_user_ptr(&a->members, a->count * 4ull);
		if (chance(80))
			a->reserved = 0;
		break;
	}
	case _IOC_NR(MACH_IOC_PORT_GET_ATTRIBUTES):
	case _IOC_NR(MACH_IOC_PORT_SET_ATTRIBUTES): {
		struct mach_ioc_port_attr *a = (void *)argbuf;

		a->flavor = rn(10);
		a->count = chance(80) ? rn(MACH_PORT_INFO_MAX_COUNT + 2) : (uint32_t)rnd();
		if (chance(80))
			a->reserved = 0;
		break;
	}
	case _IOC_NR(MACH_IOC_PORT_PEEK): {
		struct mach_ioc_port_peek *a = (void *)argbuf;

		a->trailer_count = chance(80) ? rn(MACH_MSG_TRAILER_MAX_SIZE + 8) : (uint32_t)rnd();
		break;
	}
	case _IOC_NR(MACH_IOC_MSG):
		return;	/* op_raw_msg */
	case _IOC_NR(MACH_IOC_SET_BOOTSTRAP):
		if (chance(50))
			w[1] = MACH_PORT_NULL;
		break;
	default:
		/* reserved fields: mostly zero, as a valid caller leaves them */
		if (size >= 16 && chance(70))
			w[size / 4 - 1] = 0;
	}
	if (chance(8))
		arg = bad_ptr(size);
	if (chance(4)) {
		/* a wrong size, direction or number: ENOTTY, never a misread */
		switch (rn(3)) {
		case 0:
			cmd = _IOC(_IOC_DIR(cmd), MACH_IOC_MAGIC, _IOC_NR(cmd), rn(256));
			break;
		case 1:
			cmd = _IOC(rn(4), MACH_IOC_MAGIC, _IOC_NR(cmd), _IOC_SIZE(cmd));
			break;
		default:
			cmd = _IOC(_IOC_DIR(cmd), MACH_IOC_MAGIC, rn(0x60), _IOC_SIZE(cmd));
		}
	}
	r = ioctl(mach_linux_fd(), cmd, arg);
	/* the calls that return a descriptor */
	if (r > 2 && (_IOC_NR(cmd) == _IOC_NR(MACH_IOC_PORT_FD) ||
		      _IOC_NR(cmd) == _IOC_NR(MACH_IOC_FORK_SPACE)))
		close((int)r);
	if (r == KERN_SUCCESS && arg == argbuf) {
		/* names the kernel handed out */
		switch (cmd) {
		case MACH_IOC_PORT_ALLOCATE:
		case MACH_IOC_PORT_CONSTRUCT:
		case MACH_IOC_REPLY_PORT:
			pool_add(w[1]);
			if (cmd == MACH_IOC_REPLY_PORT)
				pool_add(w[0]);
			break;
		case MACH_IOC_PORT_EXTRACT_RIGHT:
			pool_add(w[2]);
			break;
		case MACH_IOC_GET_SPECIAL_PORT:
			pool_add(w[2]);
			break;
		}
	}
}

static void op_raw_msg(void)
{
	struct mach_ioc_msg a;
	struct built b;
	void *arg = &a;

	memset(&a, 0, sizeof(a));
	build_msg(sndbuf, pick_name(), chance(50) ? valid_send_disp() : pick_disp(), 40, &b);
	a.msg = (uintptr_t)sndbuf;
	a.send_size = b.send_size;
	a.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	if (chance(40))
		a.option |= (uint32_t)rnd() & ~(MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT);
	a.option |= MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;
	a.timeout = rn(4);
	a.rcv_name = pick_name();
	a.rcv_size = chance(50) ? RCV_SIZE : (uint32_t)rnd();
	a.rcv_msg = (uintptr_t)(chance(70) ? (void *)rcvbuf : bad_rcv_ptr());
	if (a.rcv_size > RCV_SIZE && a.rcv_msg == (uintptr_t)rcvbuf)
		a.rcv_msg = (uintptr_t)bad_rcv_ptr();
	if (chance(20))
		a.msg = (uintptr_t)bad_ptr(64);
	if (chance(10))
		a.notify = (uint32_t)rnd();
	if (chance(5))
		arg = bad_ptr(sizeof(a));
	long r = ioctl(mach_linux_fd(), MACH_IOC_MSG, arg);

	if (r == MACH_MSG_SUCCESS && arg == &a && (a.option & MACH_RCV_MSG) &&
	    a.rcv_msg == (uintptr_t)rcvbuf)
		destroy_received((mach_msg_header_t *)rcvbuf, RCV_SIZE, 0);
	built_release(&b);
}

/* ---- the operations ---------------------------------------------------- */

static void op_send(unsigned int hostile)
{
	struct built b;
	mach_port_name_t dest;
	mach_msg_type_name_t disp = valid_send_disp();
	mach_msg_option_t opt = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	mach_msg_return_t mr;

	switch (rn(4)) {
	case 0:
		dest = hubs[rn(HUBS)];
		disp = MACH_MSG_TYPE_COPY_SEND;
		break;
	case 1:
		dest = new_port();
		disp = chance(50) ? MACH_MSG_TYPE_MAKE_SEND : MACH_MSG_TYPE_MAKE_SEND_ONCE;
		break;
	default:
		dest = pick_name();
	}
	if (chance(hostile))
		disp = pick_disp();
	build_msg(sndbuf, dest, disp, hostile, &b);
	if (chance(10))
		opt |= MACH_SEND_TRAILER | MACH_SEND_NOTIFY;
	mr = mach_msg((mach_msg_header_t *)sndbuf, opt, b.send_size, 0, MACH_PORT_NULL,
		      chance(10) ? rn(30) : 0, MACH_PORT_NULL);
	/* a send that timed out hands the message back, rights and all */
	if (mr == MACH_SEND_TIMED_OUT)
		destroy_received((mach_msg_header_t *)sndbuf, BODY_MAX, -1);
	built_release(&b);
}

static void op_rpc(void)
{
	mach_port_name_t port = new_port();
	mach_msg_header_t *h = (mach_msg_header_t *)sndbuf;
	struct built b;
	mach_msg_return_t mr;

	if (!MACH_PORT_VALID(port))
		return;
	build_msg(sndbuf, port, chance(50) ? MACH_MSG_TYPE_MAKE_SEND :
		  MACH_MSG_TYPE_MAKE_SEND_ONCE, 5, &b);
	mr = mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		      rcv_trailer_bits(), b.send_size, RCV_SIZE, port, rn(5), MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		destroy_received(h, RCV_SIZE, chance(50));
	built_release(&b);
	if (chance(50)) {
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		mach_port_deallocate(mach_task_self(), port);
	}
}

/*
 * A message to a fresh port must come back intact: the same id, bytes, OOL
 * contents and a right.  Anything else is a lost or corrupted message.
 */
static void op_check(void)
{
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_ool_descriptor_t ool;
		uint32_t words[16];
	} *m = (void *)sndbuf;
	mach_msg_header_t *r = (mach_msg_header_t *)rcvbuf;
	mach_port_name_t port = MACH_PORT_NULL, carried;
	uint32_t pattern = (uint32_t)rnd();
	size_t ool_len = 1 + rn(20000);
	unsigned char *ool = scratch_at(ool_len);
	mach_msg_return_t mr;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port))
		return;
	carried = new_port();
	if (!MACH_PORT_VALID(carried))
		goto out;
	memset(ool, (int)(pattern & 0xff), ool_len);
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = port;
	m->h.msgh_id = MSGID_CHECK;
	m->body.msgh_descriptor_count = 2;
	m->port.name = carried;
	m->port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m->port.type = MACH_MSG_PORT_DESCRIPTOR;
	m->ool.address = ool;
	m->ool.size = ool_len;
	m->ool.copy = chance(50) ? MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY;
	m->ool.type = MACH_MSG_OOL_DESCRIPTOR;
	for (int i = 0; i < 16; i++)
		m->words[i] = pattern + i;
	mr = mach_msg(&m->h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(*m), 0, MACH_PORT_NULL,
		      0, MACH_PORT_NULL);
	if (mr == MACH_SEND_INVALID_RIGHT || mr == MACH_SEND_INVALID_DEST) {
		/* the carried name went away under a hostile op: not a check */
		goto out;
	}
	if (mr != MACH_MSG_SUCCESS) {
		note("slot %d seq %llu: check: send to a fresh port: 0x%x", my_slot,
		     (unsigned long long)my_seq, mr);
		goto out;
	}
	mr = mach_msg(r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, RCV_SIZE, port, 5000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		note("slot %d seq %llu: check: message lost (receive: 0x%x)", my_slot,
		     (unsigned long long)my_seq, mr);
		goto out;
	}
	typeof(m) got = (void *)rcvbuf;
	int bad = r->msgh_id != MSGID_CHECK || r->msgh_size != sizeof(*m) ||
		  got->body.msgh_descriptor_count != 2 ||
		  got->port.type != MACH_MSG_PORT_DESCRIPTOR ||
		  !MACH_PORT_VALID(got->port.name) ||
		  got->ool.type != MACH_MSG_OOL_DESCRIPTOR || got->ool.size != ool_len ||
		  MACH_MSGH_BITS_LOCAL(r->msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE;
	for (int i = 0; !bad && i < 16; i++)
		bad = got->words[i] != pattern + i;
	if (!bad) {
		unsigned char *q = got->ool.address;

		for (size_t i = 0; i < ool_len; i++)
			if (q[i] != (pattern & 0xff)) {
				bad = 1;
				break;
			}
	}
	if (bad)
		note("slot %d seq %llu: check: message came back altered (id 0x%x size %u)",
		     my_slot, (unsigned long long)my_seq, r->msgh_id, r->msgh_size);
	destroy_received(r, RCV_SIZE, 0);
out:
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void op_member(void)
{
	mach_port_name_t set;

	switch (rn(4)) {
	case 0:
		if (nsets >= 16 && !known(6))
			break;
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set) == 0) {
			nsets++;
			pool_add(set);
		}
		break;
	case 1:
		mach_port_insert_member(mach_task_self(), pick_name(), pick_name());
		break;
	case 2:
		mach_port_extract_member(mach_task_self(), pick_name(), pick_name());
		break;
	default:
		mach_port_move_member(mach_task_self(), pick_name(),
				      chance(20) ? MACH_PORT_NULL : pick_name());
	}
}

static void op_notify(void)
{
	static const mach_msg_id_t ids[] = {
		MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_PORT_DESTROYED,
		MACH_NOTIFY_SEND_POSSIBLE, MACH_NOTIFY_PORT_DELETED, MACH_NOTIFY_SEND_ONCE,
	};
	mach_port_name_t notify = chance(60) ? new_port() : pick_name();
	mach_port_name_t prev = MACH_PORT_NULL;
	mach_msg_id_t id = chance(90) ? ids[rn(6)] : (mach_msg_id_t)rnd();
	mach_msg_type_name_t disp = chance(85) ? MACH_MSG_TYPE_MAKE_SEND_ONCE :
				    chance(50) ? MACH_MSG_TYPE_MOVE_SEND_ONCE : pick_disp();

	if (chance(10))
		notify = MACH_PORT_NULL;	/* cancel */
	if (mach_port_request_notification(mach_task_self(), pick_name(), id, rn(3),
					   notify, disp, &prev) == KERN_SUCCESS)
		pool_add(prev);
}

static void *thread_fn(void *arg)
{
	mach_port_name_t port = (mach_port_name_t)(uintptr_t)arg;
	mach_port_name_t self = mach_thread_self();
	mach_port_name_t reply = mach_reply_port();
	mach_msg_header_t h;

	rng_state = mix(rng_state ^ self ^ ((uint64_t)reply << 32));
	memset(&h, 0, sizeof(h));
	if (MACH_PORT_VALID(port) && chance(50)) {
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		h.msgh_size = sizeof(h);
		h.msgh_remote_port = port;
		h.msgh_local_port = reply;
		mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, 0, 0, 0);
	}
	/* a blocked receive when the thread's port goes */
	mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), reply, rn(5), 0);
	if (chance(50))
		mach_port_deallocate(mach_task_self(), self);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return NULL;
}

static void op_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_fn, (void *)(uintptr_t)pick_name()) == 0)
		pthread_join(t, NULL);
}

static void run_ops(uint64_t count, int can_fork);

static void op_fork(void)
{
	int i;

	for (i = 0; i < 2 && children[i]; i++)
		;
	if (i == 2) {
		kill(children[rn(2)], SIGKILL);
		return;
	}
	if (chance(50)) {
		mach_port_name_t reg[3] = { pick_name(), pick_name(), new_port() };

		mach_ports_register(mach_task_self(), reg, 1 + rn(3));
	}
	uint64_t child_seed = rnd();
	pid_t pid = fork();

	if (pid == 0) {
		/* libmach gave us a fresh space: start over in it */
		mach_port_array_t ports = NULL;
		mach_msg_type_number_t n = 0;

		is_child = 1;
		rng_state = child_seed;
		npool = 0;
		nsets = 0;
		ring_ok = 0;	/* the parent's ring is not ours to use */
		uring_inflight = 0;
		uring_untimed = 0;
		memset(upend, 0, sizeof(upend));
		children[0] = children[1] = 0;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		thread_self_name = mach_thread_self();
		if (mach_ports_lookup(mach_task_self(), &ports, &n) == KERN_SUCCESS) {
			for (mach_msg_type_number_t j = 0; j < n; j++)
				pool_add(ports[j]);
			vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
		}
		inbox = new_port();
		run_ops(20 + rn(200), 0);
		_exit(0);
	}
	if (pid > 0)
		children[i] = pid;
}

static void reap_children(int kill_all)
{
	for (int i = 0; i < 2; i++) {
		if (!children[i])
			continue;
		if (kill_all || chance(20))
			kill(children[i], SIGKILL);
		if (waitpid(children[i], NULL, kill_all ? 0 : WNOHANG) != 0)
			children[i] = 0;
	}
}

static void op_gc(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(mach_task_self(), &names, &n, &types, &nt) != KERN_SUCCESS)
		return;
	if (n > 600 || chance(10)) {
		for (mach_msg_type_number_t i = 0; i < n; i++) {
			if (names[i] == inbox || names[i] == mach_task_self() || !chance(70))
				continue;
			if (types[i] & MACH_PORT_TYPE_PORT_SET)
				nsets--;
			mach_port_destroy(mach_task_self(), names[i]);
		}
		npool = 0;
	} else {
		for (mach_msg_type_number_t i = 0; i < n && i < 64; i++)
			pool_add(names[i]);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	if (nsets > 1000)
		nsets = 0;
}

static void op_drain(void)
{
	for (int i = 0; i < 64; i++) {
		mach_port_name_t name = chance(30) ? inbox : (npool ? pool[rn(npool)] : inbox);

		if (do_receive(name, 0, chance(30)) != MACH_MSG_SUCCESS && chance(30))
			break;
	}
}

static void op_hub(void)
{
	/* rights in flight: announce the inbox, or give away a receive right */
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t d[3];
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.h.msgh_remote_port = hubs[rn(HUBS)];
	m.h.msgh_local_port = inbox;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND) |
			MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_id = chance(40) ? MSGID_HELLO : (mach_msg_id_t)rnd();
	m.h.msgh_size = sizeof(m);
	m.body.msgh_descriptor_count = 3;
	for (int i = 0; i < 3; i++) {
		m.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
		switch (rn(4)) {
		case 0:
			m.d[i].name = new_port();
			m.d[i].disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
			break;
		case 1:
			m.d[i].name = new_port();
			m.d[i].disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
			break;
		case 2:
			m.d[i].name = inbox;
			m.d[i].disposition = MACH_MSG_TYPE_MAKE_SEND;
			break;
		default:
			m.d[i].name = MACH_PORT_NULL;
			m.d[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		}
	}
	mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, 0, rn(3), 0);
	if (mr == MACH_SEND_TIMED_OUT)
		destroy_received(&m.h, sizeof(m), -1);
	if (mr == MACH_SEND_INVALID_DEST && chance(50)) {
		/* our hub rights went (a hostile op): look them up again */
		mach_port_array_t ports = NULL;
		mach_msg_type_number_t n = 0;

		if (mach_ports_lookup(mach_task_self(), &ports, &n) == KERN_SUCCESS) {
			for (mach_msg_type_number_t j = 0; j < n && j < HUBS; j++)
				hubs[j] = ports[j];
			vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
		}
	}
}

static void op_poll(void)
{
	mach_port_name_t name = chance(70) && npool ? pool[rn(npool)] : pick_name();
	int fd = chance(80) ? mach_port_fd(name) :
		 ioctl(mach_linux_fd(), MACH_IOC_PORT_FD,
		       &(struct mach_ioc_port_fd){ .task = pick_name(), .name = name });

	if (fd < 0)
		return;
	if (chance(50)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, rn(3));
		if ((p.revents & POLLIN) && chance(50))
			do_receive(name, 0, 0);
	} else {
		int ep = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN };

		if (ep >= 0) {
			epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			if (chance(50))
				mach_port_destroy(mach_task_self(), name);
			epoll_wait(ep, &ev, 1, rn(3));
			close(ep);
		}
	}
	close(fd);
}

static void op_kobject(void)
{
	/* a request to the task or thread port: answered MIG_BAD_ID */
	mach_msg_header_t *h = (mach_msg_header_t *)sndbuf;
	mach_port_name_t reply = mach_reply_port();

	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
				      chance(80) ? MACH_MSG_TYPE_MAKE_SEND_ONCE :
				      MACH_MSG_TYPE_MAKE_SEND);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = chance(50) ? mach_task_self() : thread_self_name;
	h->msgh_local_port = reply;
	h->msgh_id = (mach_msg_id_t)rn(5000);
	mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
		 sizeof(*h), RCV_SIZE, reply, 100, MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void op_special(void)
{
	mach_port_name_t port = MACH_PORT_NULL;
	int which = chance(90) ? (int)rn(TASK_MAX_SPECIAL_PORT + 2) : (int)rnd();

	if (chance(50)) {
		if (task_get_special_port(chance(90) ? mach_task_self() : pick_name(), which,
					  &port) == KERN_SUCCESS)
			pool_add(port);
	} else {
		task_set_special_port(chance(90) ? mach_task_self() : pick_name(), which,
				      chance(20) ? MACH_PORT_NULL : pick_name());
	}
}

static void op_register(void)
{
	if (chance(50)) {
		mach_port_name_t reg[4] = { pick_name(), pick_name(), pick_name(), pick_name() };

		mach_ports_register(mach_task_self(), reg, chance(90) ? rn(4) : 4);
	} else {
		mach_port_array_t ports = NULL;
		mach_msg_type_number_t n = 0;

		if (mach_ports_lookup(mach_task_self(), &ports, &n) == KERN_SUCCESS) {
			for (mach_msg_type_number_t j = 0; j < n; j++)
				if (chance(50))
					mach_port_deallocate(mach_task_self(), ports[j]);
				else
					pool_add(ports[j]);
			vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
		}
	}
}

static void op_attr(void)
{
	integer_t info[MACH_PORT_INFO_MAX_COUNT + 4];
	mach_msg_type_number_t count = chance(80) ? MACH_PORT_INFO_MAX_COUNT : rn(20);
	mach_port_name_t name = pick_name();

	memset(info, 0, sizeof(info));
	if (chance(50)) {
		mach_port_get_attributes(mach_task_self(), name, rn(10), info, &count);
	} else {
		info[0] = chance(80) ? (int)rn(MACH_PORT_QLIMIT_MAX + 2) : (int)rnd();
		mach_port_set_attributes(mach_task_self(), name, chance(80) ?
					 MACH_PORT_LIMITS_INFO : rn(10), info,
					 chance(80) ? MACH_PORT_LIMITS_INFO_COUNT : rn(20));
	}
}

static void op_construct(void)
{
	mach_port_options_t o;
	mach_port_name_t name = MACH_PORT_NULL;
	mach_port_context_t guard_val = chance(50) ? 0 : rnd();

	memset(&o, 0, sizeof(o));
	o.flags = chance(80) ? (rn(2) * MPO_INSERT_SEND_RIGHT | rn(2) * MPO_QLIMIT |
				rn(2) * MPO_CONTEXT_AS_GUARD | rn(2) * MPO_STRICT |
				rn(2) * MPO_IMMOVABLE_RECEIVE) :
		  (uint32_t)rnd();
	o.mpl.mpl_qlimit = rn(MACH_PORT_QLIMIT_MAX + 2);
	if (chance(70)) {
		if (mach_port_construct(mach_task_self(), &o, guard_val, &name) == KERN_SUCCESS)
			pool_add(name);
		if (chance(50))
			return;
	} else {
		name = pick_name();
	}
	/* the guard calls, right and wrong (workers' guards are non-fatal) */
	switch (rn(6)) {
	case 0:
		mach_port_guard_with_flags(mach_task_self(), name, guard_val, rn(4));
		break;
	case 1:
		mach_port_unguard(mach_task_self(), name, chance(70) ? guard_val : rnd());
		break;
	case 2:
		mach_port_swap_guard(mach_task_self(), name, chance(70) ? guard_val : rnd(),
				     guard_val);
		break;
	case 3:
		mach_port_set_context(mach_task_self(), name, guard_val);
		break;
	}
	mach_port_destruct(mach_task_self(), name, chance(80) ? 0 : -(int)rn(3),
			   chance(80) ? guard_val : rnd());
}

static void op_misc(void)
{
	mach_port_name_t name = pick_name();
	mach_port_seqno_t seqno = rn(4);
	mach_msg_size_t size;
	mach_msg_id_t id;
	mach_msg_type_number_t tcount = rn(MACH_MSG_TRAILER_MAX_SIZE + 8);
	mach_port_rights_t srights;
	char trailer[MACH_MSG_TRAILER_MAX_SIZE + 8];

	switch (rn(4)) {
	case 0:
		mach_port_peek(mach_task_self(), name, MACH_RCV_TRAILER_ELEMENTS(rn(9)), &seqno,
			       &size, &id, trailer, &tcount);
		break;
	case 1:
		mach_port_set_mscount(mach_task_self(), name, (uint32_t)rnd());
		break;
	case 2:
		mach_port_set_seqno(mach_task_self(), name, chance(50) ? rn(8) : (uint32_t)rnd());
		break;
	default:
		mach_port_get_srights(mach_task_self(), name, &srights);
	}
}

/*
 * The known bugs' triggers, only with --known: 1, a full name table under
 * mach_ports_lookup; 2, a multi-megabyte body whose descriptor count sizes
 * a high-order allocation.
 */
static void op_known(void)
{
	if (known(2) && chance(50)) {
		size_t len = (3u << 20) + 4096;
		mach_msg_base_t *m = malloc(len);
		uint32_t count = (uint32_t)((len - sizeof(*m)) / sizeof(mach_msg_port_descriptor_t));

		if (!m)
			return;
		memset(m, 0, len);
		m->header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				      MACH_MSGH_BITS_COMPLEX;
		m->header.msgh_remote_port = inbox;
		m->header.msgh_size = sizeof(*m) + count * sizeof(mach_msg_port_descriptor_t);
		m->body.msgh_descriptor_count = count;
		mach_msg(&m->header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m->header.msgh_size, 0,
			 0, 0, 0);
		free(m);
	} else if (known(1)) {
		/*
		 * Slot 0 registered empty, slot 1 a port we hold no name for,
		 * and no free name left for it.
		 */
		mach_port_name_t reg[2] = { MACH_PORT_NULL, hubs[0] };
		mach_port_array_t ports = NULL;
		mach_msg_type_number_t n = 0;
		mach_port_name_t name;

		if (mach_ports_register(mach_task_self(), reg, 2))
			return;
		mach_port_urefs_t refs = 0;

		if (mach_port_get_refs(mach_task_self(), hubs[0], MACH_PORT_RIGHT_SEND, &refs) ||
		    mach_port_mod_refs(mach_task_self(), hubs[0], MACH_PORT_RIGHT_SEND, -(int)refs))
			return;
		for (int i = 0; i < (1 << 25); i++)
			if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &name) &&
			    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &name))
				break;
		if (mach_ports_lookup(mach_task_self(), &ports, &n) == KERN_SUCCESS)
			vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
		_exit(0);	/* a full table is of no more use */
	}
}

static void op_space(void)
{
	/* a second space of our own, filled and dropped with everything live */
	int fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	struct mach_ioc_name self;
	struct mach_ioc_port a;

	if (fd < 0)
		return;
	memset(&self, 0, sizeof(self));
	ioctl(fd, MACH_IOC_TASK_SELF, &self);
	for (int i = 0; i < 8; i++) {
		memset(&a, 0, sizeof(a));
		a.task = self.name;
		a.right = rn(4);
		ioctl(fd, MACH_IOC_PORT_ALLOCATE, &a);
	}
	if (chance(30)) {
		int f2 = ioctl(fd, MACH_IOC_FORK_SPACE);

		if (f2 >= 0)
			close(f2);
	}
	close(fd);
}

static void do_op(enum op op)
{
	mach_port_name_t name = MACH_PORT_NULL;

	switch (op) {
	case OP_ALLOCATE:
		if (mach_port_allocate(mach_task_self(), chance(90) ? rn(4) : pick_right(),
				       &name) == KERN_SUCCESS)
			pool_add(name);
		break;
	case OP_ALLOCATE_NAME:
		mach_port_allocate_name(mach_task_self(), pick_right(),
					chance(50) ? MACH_PORT_MAKE(0x1000 + rn(4096), rn(256)) :
					pick_name());
		break;
	case OP_DEALLOCATE:
		mach_port_deallocate(mach_task_self(), pick_name());
		break;
	case OP_DESTROY:
		mach_port_destroy(mach_task_self(), pick_name());
		break;
	case OP_MOD_REFS:
		mach_port_mod_refs(mach_task_self(), pick_name(), pick_right(),
				   chance(90) ? (int)rn(5) - 2 : (int)rnd());
		break;
	case OP_GET_REFS: {
		mach_port_urefs_t refs;

		mach_port_get_refs(mach_task_self(), pick_name(), pick_right(), &refs);
		break;
	}
	case OP_TYPE: {
		mach_port_type_t type;

		mach_port_type(mach_task_self(), pick_name(), &type);
		break;
	}
	case OP_INSERT_RIGHT:
		mach_port_insert_right(mach_task_self(), chance(80) ? pick_name() :
				       MACH_PORT_MAKE(0x2000 + rn(256), rn(256)),
				       pick_name(), chance(80) ? valid_send_disp() : pick_disp());
		break;
	case OP_EXTRACT_RIGHT: {
		mach_port_name_t out = MACH_PORT_NULL;
		mach_msg_type_name_t type;

		if (mach_port_extract_right(mach_task_self(), pick_name(),
					    chance(80) ? valid_send_disp() : pick_disp(),
					    &out, &type) == KERN_SUCCESS) {
			/* we hold the right now under a new name */
			pool_add(out);
		}
		break;
	}
	case OP_ATTR:
		op_attr();
		break;
	case OP_CONSTRUCT:
		op_construct();
		break;
	case OP_CONTEXT: {
		mach_port_context_t ctx;

		if (chance(50))
			mach_port_get_context(mach_task_self(), pick_name(), &ctx);
		else
			mach_port_set_context(mach_task_self(), pick_name(), rnd());
		break;
	}
	case OP_NAMES:
		op_gc();
		break;
	case OP_MEMBER:
		op_member();
		break;
	case OP_SET_STATUS: {
		mach_port_name_array_t members = NULL;
		mach_msg_type_number_t n = 0;

		if (mach_port_get_set_status(mach_task_self(), pick_name(), &members, &n) ==
		    KERN_SUCCESS)
			vm_deallocate(mach_task_self(), (vm_address_t)members, n * sizeof(*members));
		break;
	}
	case OP_NOTIFY:
		op_notify();
		break;
	case OP_SPECIAL:
		op_special();
		break;
	case OP_REGISTER:
		op_register();
		break;
	case OP_SEND:
		op_send(chance(50) ? 30 : 3);
		break;
	case OP_RECEIVE:
		do_receive(chance(70) && npool ? pool[rn(npool)] : pick_name(),
			   chance(80) ? 0 : rn(20), chance(40));
		break;
	case OP_RPC:
		op_rpc();
		break;
	case OP_KOBJECT:
		op_kobject();
		break;
	case OP_POLL:
		op_poll();
		break;
	case OP_URING:
		op_uring();
		break;
	case OP_THREAD:
		op_thread();
		break;
	case OP_FORK:
		op_fork();
		break;
	case OP_RAW_IOCTL:
		op_raw_ioctl();
		break;
	case OP_RAW_MSG:
		op_raw_msg();
		break;
	case OP_HUB:
		op_hub();
		break;
	case OP_DRAIN:
		op_drain();
		break;
	case OP_GC:
		op_gc();
		break;
	case OP_MISC:
		op_misc();
		break;
	case OP_SELF:
		switch (rn(3)) {
		case 0:
			pool_add(mach_reply_port());
			break;
		case 1:
			pool_add(mach_thread_self());
			break;
		default:
			pool_add(task_self_trap());
		}
		break;
	case OP_SPACE:
		op_space();
		break;
	case OP_CHECK:
		op_check();
		if (opt_known && chance(5))
			op_known();
		break;
	case OP_COUNT:
		break;
	}
}

static enum op pick_op(int can_fork)
{
	static unsigned int total;
	unsigned int r;

	if (!total)
		for (int i = 0; i < OP_COUNT; i++)
			total += op_weight[i];
	for (;;) {
		r = rn(total);
		for (int i = 0; i < OP_COUNT; i++) {
			if (r < op_weight[i]) {
				if (i == OP_FORK && !can_fork)
					break;
				return i;
			}
			r -= op_weight[i];
		}
	}
}

static void run_ops(uint64_t count, int can_fork)
{
	for (uint64_t n = 0; n < count; n++) {
		enum op op = pick_op(can_fork);

		if (!is_child) {
			struct slot *s = &sh->slot[my_slot];

			atomic_store(&s->op, op);
			atomic_store(&s->seq, my_seq);
			atomic_store(&s->stamp, now_ms());
		}
		do_op(op);
		if (!is_child) {
			atomic_fetch_add(&sh->ops, 1);
			atomic_fetch_add(&sh->per_op[op], 1);
			my_seq++;
			if (my_seq % 64 == 0)
				reap_children(0);
		}
	}
}

static void worker_main(int slot, uint32_t gen)
{
	mach_port_array_t ports = NULL;
	mach_msg_type_number_t n = 0;

	my_slot = slot;
	rng_state = sh->slot[slot].seed;
	if (slot & 1) {
		/* unprivileged, as an attacker would be */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mach_ports_lookup(mach_task_self(), &ports, &n) != KERN_SUCCESS || n < HUBS) {
		note("slot %d gen %u: mach_ports_lookup in a forked space failed", slot, gen);
		_exit(3);
	}
	for (int i = 0; i < HUBS; i++)
		hubs[i] = ports[i];
	vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
	/*
	 * Hostile calls include guard violations (destruct with a wrong
	 * guard, guarded descriptors with another): have them fail the call
	 * instead of killing the worker (checked by mach_guard_test).
	 */
	task_set_exc_guard_behavior(mach_task_self(), TASK_EXC_GUARD_MP_DELIVER);
	thread_self_name = mach_thread_self();
	inbox = new_port();
	op_hub();
	run_ops(opt_worker_ops, 1);
	reap_children(1);
	uring_close();
	_exit(0);	/* with everything else live */
}

/* ---- coordinator --------------------------------------------------------- */

static mach_port_name_t c_hubs[HUBS], c_set;
static mach_port_name_t c_inbox[16];
static unsigned int c_ninbox;
static uint64_t c_forwarded, c_dropped;

static int c_protected(mach_port_name_t name)
{
	if (name == c_set || name == mach_task_self())
		return 1;
	for (int i = 0; i < HUBS; i++)
		if (name == c_hubs[i])
			return 1;
	for (unsigned int i = 0; i < c_ninbox; i++)
		if (name == c_inbox[i])
			return 1;
	return 0;
}

static void c_drop_inbox(unsigned int i)
{
	mach_port_deallocate(mach_task_self(), c_inbox[i]);
	c_inbox[i] = c_inbox[--c_ninbox];
}

/* Forward what came to a hub to a worker's inbox, as it was received. */
static void c_broker(void)
{
	mach_msg_header_t *h = (mach_msg_header_t *)rcvbuf;

	for (int n = 0; n < 32; n++) {
		mach_msg_return_t mr = mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, RCV_SIZE,
						c_set, n ? 0 : 5, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			return;
		if (h->msgh_id == MSGID_HELLO &&
		    MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
		    MACH_PORT_VALID(h->msgh_remote_port)) {
			if (c_ninbox == 16)
				c_drop_inbox(rn(16));
			c_inbox[c_ninbox++] = h->msgh_remote_port;
			h->msgh_remote_port = MACH_PORT_NULL;
		}
		if (!c_ninbox || chance(25)) {
			destroy_received(h, RCV_SIZE, 0);
			c_dropped++;
			continue;
		}
		unsigned int to = rn(c_ninbox);
		mach_port_name_t reply = h->msgh_remote_port;
		mach_msg_type_name_t reply_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
		mach_msg_bits_t saved_bits = h->msgh_bits;
		mach_port_name_t saved_local = h->msgh_local_port;

		if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			mach_msg_base_t *base = (mach_msg_base_t *)h;
			unsigned char *p = (unsigned char *)(base + 1);

			for (uint32_t i = 0; i < base->body.msgh_descriptor_count; i++) {
				mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

				if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
					p += sizeof(d->port);
				} else {
					/* our mapping goes with the message */
					d->out_of_line.deallocate = 1;
					d->out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
					p += sizeof(d->out_of_line);
				}
			}
		}
		h->msgh_remote_port = c_inbox[to];
		h->msgh_local_port = MACH_PORT_VALID(reply) ? reply : MACH_PORT_NULL;
		h->msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
						  MACH_PORT_VALID(reply) ? reply_type : 0, 0,
						  h->msgh_bits & MACH_MSGH_BITS_COMPLEX);
		h->msgh_voucher_port = MACH_PORT_NULL;
		mr = mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, h->msgh_size, 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS) {
			c_forwarded++;
		} else if (mr == MACH_SEND_TIMED_OUT) {
			destroy_received(h, RCV_SIZE, -1);
		} else if (mr == MACH_SEND_INVALID_DEST) {
			h->msgh_remote_port = reply;
			h->msgh_local_port = saved_local;
			h->msgh_bits = saved_bits;
			destroy_received(h, RCV_SIZE, 0);
			c_drop_inbox(to);
		}
	}
}

/* Names the coordinator collected from failed forwards. */
static void c_gc(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(mach_task_self(), &names, &n, &types, &nt) != KERN_SUCCESS)
		return;
	if (n > 2000)
		for (mach_msg_type_number_t i = 0; i < n; i++)
			if (!c_protected(names[i]))
				mach_port_destroy(mach_task_self(), names[i]);
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
}

static void c_spawn(int slot)
{
	struct slot *s = &sh->slot[slot];
	uint32_t gen = atomic_load(&s->gen) + 1;
	pid_t pid;

	atomic_store(&s->gen, gen);
	s->seed = mix(opt_seed ^ mix(((uint64_t)slot << 32) | gen));
	if (opt_worker_seed && slot == 0 && gen == 1)
		s->seed = opt_worker_seed;
	atomic_store(&s->stamp, now_ms());
	atomic_store(&s->killed_at, 0);
	atomic_store(&s->op, OP_COUNT);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		worker_main(slot, gen);
	atomic_store(&s->pid, pid > 0 ? pid : 0);
	if (opt_verbose)
		printf("# slot %d gen %u pid %d seed 0x%llx\n", slot, gen, pid,
		       (unsigned long long)s->seed);
}

static const char *opname(uint32_t op)
{
	return op < OP_COUNT ? op_names[op] : "(start)";
}

static void c_reap(int respawn)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unsigned int i = 0; i < opt_workers; i++) {
			struct slot *s = &sh->slot[i];

			if (atomic_load(&s->pid) != pid)
				continue;
			int ours = atomic_load(&s->killed_at) != 0;

			if (WIFSIGNALED(status) && !(WTERMSIG(status) == SIGKILL && ours))
				note("slot %u gen %u (seed 0x%llx) died of signal %d in op %s at seq %llu",
				     i, atomic_load(&s->gen), (unsigned long long)s->seed,
				     WTERMSIG(status), opname(atomic_load(&s->op)),
				     (unsigned long long)atomic_load(&s->seq));
			else if (WIFEXITED(status) && WEXITSTATUS(status))
				note("slot %u gen %u (seed 0x%llx) exited with status %d",
				     i, atomic_load(&s->gen), (unsigned long long)s->seed,
				     WEXITSTATUS(status));
			atomic_store(&s->pid, 0);
			if (respawn)
				c_spawn(i);
		}
	}
}

/* A worker in one operation for too long, or that SIGKILL does not end. */
static int c_watch(void)
{
	int64_t t = now_ms();

	for (unsigned int i = 0; i < opt_workers; i++) {
		struct slot *s = &sh->slot[i];
		pid_t pid = atomic_load(&s->pid);
		int64_t killed = atomic_load(&s->killed_at);

		if (!pid)
			continue;
		if (killed && t - killed > STUCK_MS) {
			note("slot %u gen %u (seed 0x%llx): SIGKILL did not end it in %d s (op %s, seq %llu)",
			     i, atomic_load(&s->gen), (unsigned long long)s->seed, STUCK_MS / 1000,
			     opname(atomic_load(&s->op)), (unsigned long long)atomic_load(&s->seq));
			return -1;
		}
		if (!killed && t - atomic_load(&s->stamp) > STUCK_MS) {
			note("slot %u gen %u (seed 0x%llx): stuck %d s in op %s at seq %llu",
			     i, atomic_load(&s->gen), (unsigned long long)s->seed, STUCK_MS / 1000,
			     opname(atomic_load(&s->op)), (unsigned long long)atomic_load(&s->seq));
			atomic_store(&s->killed_at, t);
			kill(pid, SIGKILL);
		}
	}
	return 0;
}

static int coordinator(void)
{
	int64_t start = now_ms(), next_kill, next_gc, deadline;
	mach_port_limits_t lim = { .mpl_qlimit = 64 };
	int rc = 0;

	rng_state = mix(opt_seed ^ 0xc0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &c_set))
		return note("coordinator: no port set"), 1;
	for (int i = 0; i < HUBS; i++) {
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &c_hubs[i]) ||
		    mach_port_insert_right(mach_task_self(), c_hubs[i], c_hubs[i],
					   MACH_MSG_TYPE_MAKE_SEND) ||
		    mach_port_insert_member(mach_task_self(), c_hubs[i], c_set))
			return note("coordinator: hub %d", i), 1;
		mach_port_set_attributes(mach_task_self(), c_hubs[i], MACH_PORT_LIMITS_INFO,
					 (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	}
	if (mach_ports_register(mach_task_self(), c_hubs, HUBS))
		return note("coordinator: mach_ports_register"), 1;
	for (unsigned int i = 0; i < opt_workers; i++)
		c_spawn(i);
	next_kill = now_ms() + (opt_kill_ms ? rn(2 * opt_kill_ms) : 0);
	next_gc = now_ms() + 2000;
	deadline = start + (int64_t)opt_time * 1000;
	while (atomic_load(&sh->ops) < opt_ops && now_ms() < deadline) {
		c_broker();
		c_reap(1);
		if (c_watch()) {
			rc = 1;
			break;
		}
		if (opt_kill_ms && now_ms() >= next_kill) {
			struct slot *s = &sh->slot[rn(opt_workers)];
			pid_t pid = atomic_load(&s->pid);

			if (pid && !atomic_load(&s->killed_at)) {
				atomic_store(&s->killed_at, now_ms());
				kill(pid, SIGKILL);
			}
			next_kill = now_ms() + rn(2 * opt_kill_ms);
		}
		if (now_ms() >= next_gc) {
			c_gc();
			next_gc = now_ms() + 2000;
			if (opt_verbose)
				printf("# %llu ops, %llu forwarded, %llu dropped, %u inboxes\n",
				       (unsigned long long)atomic_load(&sh->ops),
				       (unsigned long long)c_forwarded,
				       (unsigned long long)c_dropped, c_ninbox);
		}
	}
	/* the end: every worker SIGKILLed wherever it is */
	for (unsigned int i = 0; i < opt_workers; i++) {
		struct slot *s = &sh->slot[i];
		pid_t pid = atomic_load(&s->pid);

		if (pid) {
			if (!atomic_load(&s->killed_at))
				atomic_store(&s->killed_at, now_ms());
			kill(pid, SIGKILL);
		}
	}
	int64_t end = now_ms() + STUCK_MS + 5000;

	for (;;) {
		unsigned int alive = 0;

		c_reap(0);
		c_broker();
		for (unsigned int i = 0; i < opt_workers; i++)
			alive += atomic_load(&sh->slot[i].pid) != 0;
		if (!alive)
			break;
		if (c_watch() || now_ms() > end) {
			rc = 1;
			break;
		}
		usleep(10000);
	}
	/* grandchildren left to us by killed workers (PR_SET_PDEATHSIG) */
	for (end = now_ms() + STUCK_MS; now_ms() < end;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p < 0)
			break;
		if (p == 0)
			usleep(10000);
	}
	if (waitpid(-1, NULL, WNOHANG) == 0) {
		note("coordinator: a worker's child did not die in %d s", STUCK_MS / 1000);
		rc = 1;
	}
	printf("# coordinator: %llu ops in %.1f s, %llu messages forwarded, %llu dropped\n",
	       (unsigned long long)atomic_load(&sh->ops), (now_ms() - start) / 1000.0,
	       (unsigned long long)c_forwarded, (unsigned long long)c_dropped);
	return rc || atomic_load(&sh->failures) ? 1 : 0;
}

/* ---- runner --------------------------------------------------------------- */

#define STATS "/sys/kernel/debug/mach/stats"

static int read_stats(char *buf, size_t len)
{
	int fd = open(STATS, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static void flat(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = ' ';
}

/*
 * Every counter in `after` at most what it was in `before`: what the run
 * made is gone (objects of an unrelated process that ended meanwhile may
 * make it lower, never higher).
 */
static int stats_back(const char *before, const char *after)
{
	char key[32];
	long a, b;
	int n, off = 0, found = 0;

	while (sscanf(after + off, "%30s %ld%n", key, &a, &n) == 2) {
		const char *p;

		off += n;
		strcat(key, " ");
		p = strstr(before, key);
		if (!p || sscanf(p + strlen(key), "%ld", &b) != 1 || a > b)
			return 0;
		found++;
	}
	return found > 0;
}

static uint32_t parse_known(const char *s)
{
	uint32_t m = 0;

	if (!strcmp(s, "all"))
		return KNOWN_ALL;
	if (!strcmp(s, "none"))
		return 0;

	while (*s) {
		char *end;
		long n = strtol(s, &end, 10);

		if (end == s)
			break;
		if (n > 0 && n < 32)
			m |= 1u << n;
		s = *end ? end + 1 : end;
	}
	return m;
}

/*
 * Root workers may set the namespace's bootstrap port to anything: it is
 * cleared before the counters are read, at the start and at the end.
 */
static void clear_bootstrap(void)
{
	struct mach_ioc_bootstrap boot = { .task = mach_task_self(), .port = MACH_PORT_NULL };

	ioctl(mach_linux_fd(), MACH_IOC_SET_BOOTSTRAP, &boot);
}

/*
 * Finding 1's trigger fills a name table.  At the default 262144 names that
 * takes minutes on the debug kernel, so as root the run lowers max_entries
 * for its duration and puts the old value back at exit (also after a
 * failure: main() returns through exit()).
 */
#define MAX_ENTRIES_PARAM "/sys/module/mach/parameters/max_entries"
static char saved_max_entries[32];
static pid_t max_entries_owner;	/* forked workers inherit the atexit */

static void restore_max_entries(void)
{
	int fd;

	if (getpid() != max_entries_owner)
		return;
	fd = open(MAX_ENTRIES_PARAM, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, saved_max_entries, strlen(saved_max_entries)) < 0)
			perror(MAX_ENTRIES_PARAM);
		close(fd);
	}
}

static void lower_max_entries(void)
{
	int fd = open(MAX_ENTRIES_PARAM, O_RDWR | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;	/* not root, or no such parameter: tables fill slowly */
	n = read(fd, saved_max_entries, sizeof(saved_max_entries) - 1);
	if (n > 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "4096", 4) == 4) {
		saved_max_entries[n] = 0;
		max_entries_owner = getpid();
		atexit(restore_max_entries);
		printf("# max_entries lowered from %.*s to 4096 for finding 1\n",
		       (int)strcspn(saved_max_entries, "\n"), saved_max_entries);
	}
	close(fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: mach-fuzz [--seed S] [--ops N] [--time SECS] [--workers W]\n"
		"                 [--worker-ops N] [--kill-ms MS] [--known all|none|1,2,...] [--verbose]\n"
		"                 [--worker-seed S]  (replay one worker's stream in slot 0)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'w' },
		{ "worker-ops", required_argument, NULL, 'g' },
		{ "kill-ms", required_argument, NULL, 'k' },
		{ "known", required_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "worker-seed", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	char before[256], after[256];
	const char *env;
	int c, status, have_stats;
	pid_t pid;

	if ((env = getenv("FUZZ_SEED")) && *env)
		opt_seed = strtoull(env, NULL, 0);
	if ((env = getenv("FUZZ_OPS")) && *env)
		opt_ops = strtoul(env, NULL, 0);
	if ((env = getenv("FUZZ_TIME")) && *env)
		opt_time = strtoul(env, NULL, 0);
	while ((c = getopt_long(argc, argv, "s:n:t:w:g:k:K:vW:", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt_seed = strtoull(optarg, NULL, 0); break;
		case 'n': opt_ops = strtoul(optarg, NULL, 0); break;
		case 't': opt_time = strtoul(optarg, NULL, 0); break;
		case 'w': opt_workers = strtoul(optarg, NULL, 0); break;
		case 'g': opt_worker_ops = strtoul(optarg, NULL, 0); break;
		case 'k': opt_kill_ms = strtoul(optarg, NULL, 0); break;
		case 'K': opt_known = parse_known(optarg); break;
		case 'v': opt_verbose = 1; break;
		case 'W': opt_worker_seed = strtoull(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!opt_workers || opt_workers > MAX_WORKERS)
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..2\n");
	printf("# mach-fuzz --seed 0x%llx --ops %lu --time %u --workers %u --worker-ops %lu --kill-ms %u --known 0x%x\n",
	       (unsigned long long)opt_seed, opt_ops, opt_time, opt_workers, opt_worker_ops,
	       opt_kill_ms, opt_known);
	if (mach_linux_fd() < 0) {
		printf("ok 1 fuzz_run # SKIP no /dev/mach\nok 2 fuzz_live_objects # SKIP no /dev/mach\n");
		return 4;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	scratch = mmap(NULL, SCRATCH_SIZE + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rcvbuf = malloc(RCV_SIZE);
	sndbuf = malloc(BODY_MAX + 4096);
	if (sh == MAP_FAILED || scratch == MAP_FAILED || ro_page == MAP_FAILED || !rcvbuf ||
	    !sndbuf) {
		printf("Bail out! no memory\n");
		return 1;
	}
	guard = scratch + SCRATCH_SIZE;
	mprotect(guard, 4096, PROT_NONE);

	if (known(1))
		lower_max_entries();
	clear_bootstrap();
	have_stats = read_stats(before, sizeof(before)) == 0;
	pid = fork();
	if (pid == 0)
		_exit(coordinator());
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("Bail out! fork\n");
		return 1;
	}
	unsigned long long total = atomic_load(&sh->ops);

	printf("# ops per kind:");
	for (int i = 0; i < OP_COUNT; i++)
		printf(" %s=%llu", op_names[i], (unsigned long long)atomic_load(&sh->per_op[i]));
	printf("\n");
	if (!WIFEXITED(status) || WEXITSTATUS(status) || atomic_load(&sh->failures)) {
		printf("# %u failure(s); replay with --seed 0x%llx (same --workers/--worker-ops)\n",
		       atomic_load(&sh->failures), (unsigned long long)opt_seed);
		printf("not ok 1 fuzz_run ops=%llu\n", total);
	} else {
		printf("ok 1 fuzz_run ops=%llu seed=0x%llx\n", total, (unsigned long long)opt_seed);
	}

	clear_bootstrap();
	/* Spaces close when their last fd goes; give deferred work a moment. */
	if (!have_stats) {
		printf("ok 2 fuzz_live_objects # SKIP %s not readable\n", STATS);
	} else {
		int same = 0;

		for (int i = 0; i < 200 && !same; i++) {
			if (read_stats(after, sizeof(after)) == 0 && stats_back(before, after))
				same = 1;
			else
				usleep(100000);
		}
		flat(before);
		flat(after);
		printf("# live objects before: %s\n# live objects after:  %s\n", before, after);
		printf("%s 2 fuzz_live_objects\n", same ? "ok" : "not ok");
		if (!same)
			status = 1;
	}
	return (WIFEXITED(status) && !WEXITSTATUS(status) && !atomic_load(&sh->failures)) ? 0 : 1;
}
