// SPDX-License-Identifier: GPL-2.0
/*
 * machbench: mach_msg (mach.ko + libmach) against Linux IPC, process pairs.
 *
 *   machbench [-t SECS] [-m MODE] [-r REP] rpc    MECH PAYLOAD
 *   machbench [-t SECS] [-m MODE] [-r REP] oneway MECH
 *   machbench [-t SECS] [-m MODE] [-r REP] ool    MECH SIZE
 *   machbench [-t SECS] [-m MODE] [-r REP] many   MECH SERVERS CLIENTS [PAYLOAD]
 *   machbench [-t SECS] [-m MODE] [-r REP] self   MECH PAYLOAD
 *
 * rpc     round trip between a client and a server process, PAYLOAD bytes
 *         each way.  MECH:
 *           mach       client: one mach_msg(SEND|RCV): COPY_SEND request,
 *                      MAKE_SEND_ONCE reply port, receives the reply;
 *                      server: one mach_msg(SEND|RCV): the MOVE_SEND_ONCE
 *                      answer and the next receive
 *           pipe       two pipes, write + read per side
 *           seqpacket  AF_UNIX SOCK_SEQPACKET socketpair, send + recv
 *           stream     AF_UNIX SOCK_STREAM socketpair, send + recv
 *           eventfd    two eventfds; payload copied through shared memory
 *           futex      futex ping-pong on a shared word; payload copied
 *                      through shared memory (two system calls per side)
 *         Byte streams cannot carry 0 bytes: pipe/seqpacket/stream send a
 *         1-byte token for PAYLOAD 0 (mach sends its 24-byte header).
 * oneway  one-way stream of 64-byte messages, messages/s.  MECH:
 *           mach       qlimit raised to MACH_PORT_QLIMIT_LARGE (1024)
 *           mach-q5    default qlimit (5)
 *           pipe       64-byte write(2)s, 64-byte read(2)s
 * ool     one-way stream of SIZE-byte buffers, MB/s (10^6 bytes/s).  MECH:
 *           mach-phys  MACH_MSG_OOL_DESCRIPTOR, MACH_MSG_PHYSICAL_COPY
 *           mach-virt  MACH_MSG_OOL_DESCRIPTOR, MACH_MSG_VIRTUAL_COPY
 *           mach-inline the bytes inline (up to 64 KiB): MPMMtest's inline
 *                      message against mach-virt's complex one
 *           pipe       write(2) of SIZE bytes, read(2)s until SIZE
 *           memcpy     one process, memcpy between two resident buffers
 *         The receiver checks a word in every page (touching it) and, for
 *         mach, vm_deallocates the region.
 * self    path length without scheduling, one process (see bench_self):
 *         null, mach, mach-2call, mach-rpc, pipe, pipe-rpc, eventfd
 * many    SERVERS server processes, CLIENTS client processes doing RPCs
 *         (client j talks to server j % SERVERS), PAYLOAD (default 64) bytes
 *         each way; messages (RPCs) per second over all clients.  MECH:
 *           mach       one port per server, shared by its clients
 *           mach-pset  one port per client, a server receives on a port set
 *                      holding its clients' ports
 *           unix-epoll one SOCK_SEQPACKET socketpair per client, a server
 *                      waits in epoll_wait on its clients' sockets
 *
 * Output: one JSON object per line, prefixed with "@@BENCH " (the console
 * also carries kernel messages).  -t is the target duration of each figure
 * in seconds of CLOCK_MONOTONIC (default 0.3); the iteration count is
 * calibrated; the measured run is done in 5 parts and the median part
 * gives the figure ("ns" is that part's time x 5, "iters" the whole run's
 * count).  -m names the VM mode in the output, -r the repetition.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#define MAX_PAYLOAD	16384
#define MAX_PROCS	64
#define TRAILER_ROOM	256
#define ONEWAY_SIZE	64

static double target = 0.3;	/* seconds per figure */
static const char *mode = "unknown";
static int rep = 1;

/* ---------------------------------------------------------------- utils */

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "machbench[%d]: ", getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

#define KCHECK(expr) do {						\
	kern_return_t kr_ = (expr);					\
	if (kr_ != KERN_SUCCESS)					\
		die("%s:%d: %s: 0x%x %s", __FILE__, __LINE__, #expr,	\
		    kr_, mach_error_string(kr_));			\
} while (0)

#define PCHECK(expr) do {						\
	if ((expr) < 0)							\
		die("%s:%d: %s: %s", __FILE__, __LINE__, #expr,		\
		    strerror(errno));					\
} while (0)

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { ns / 1000000000ull, ns % 1000000000ull };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap shared %zu: %s", size, strerror(errno));
	return p;
}

static void *private_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu: %s", size, strerror(errno));
	return p;
}

static long futex(atomic_int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write: %s", strerror(errno));
		}
		p += n;
		len -= n;
	}
}

static void read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			/* the peer went away: we are a server being torn down */
			_exit(n == 0 ? 0 : 3);
		}
		p += n;
		len -= n;
	}
}

static pid_t children[MAX_PROCS * 2];
static int nchildren;
static pid_t cs_child;			/* the peer whose switches are counted */

static pid_t spawn(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (!nchildren)
		cs_child = pid;
	children[nchildren++] = pid;
	return pid;
}

static void reap_all(void)
{
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (int i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
	nchildren = 0;
	cs_child = 0;
}

/* Voluntary + involuntary context switches of a process so far. */
struct ctxsw {
	long vol, invol;
};

static struct ctxsw ctxsw_of(pid_t pid)
{
	struct ctxsw c = { -1, -1 };
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return c;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "voluntary_ctxt_switches: %ld", &c.vol);
		sscanf(line, "nonvoluntary_ctxt_switches: %ld", &c.invol);
	}
	fclose(f);
	return c;
}

/* ",\"cs\":{...}": switches per operation of us and of the child since *a. */
static char *ctxsw_json(const struct ctxsw *a, const struct ctxsw *b, pid_t child,
			uint64_t ops, char *buf, size_t len)
{
	struct ctxsw x = ctxsw_of(getpid()), y = child > 0 ? ctxsw_of(child) : (struct ctxsw){ 0, 0 };

	snprintf(buf, len, ",\"cs_per_op\":{\"self_vol\":%.3f,\"self_invol\":%.3f,"
		 "\"peer_vol\":%.3f,\"peer_invol\":%.3f}",
		 (double)(x.vol - a->vol) / ops, (double)(x.invol - a->invol) / ops,
		 child > 0 ? (double)(y.vol - b->vol) / ops : 0.0,
		 child > 0 ? (double)(y.invol - b->invol) / ops : 0.0);
	return buf;
}

/*
 * Calibrate: run(n) does n operations and returns elapsed ns.  Grow n by 4x
 * until a run takes >= target/8 (these runs are the warm-up), then do the
 * measured run sized to take about target seconds, in SEGMENTS parts.
 */
#define SEGMENTS 5
typedef uint64_t (*run_fn)(void *ctx, uint64_t n);

static struct ctxsw cs_self0, cs_peer0;

static uint64_t calibrate(run_fn run, void *ctx, uint64_t *iters)
{
	uint64_t n = 1, t, goal = (uint64_t)(target * 1e9);

	for (;;) {
		t = run(ctx, n);
		if (t >= goal / 8 || n >= (1ull << 40))
			break;
		n *= t < goal / 256 ? 16 : 4;
	}
	n = (uint64_t)((double)n * goal / (t ? t : 1)) / SEGMENTS;
	if (n < 1)
		n = 1;
	*iters = n * SEGMENTS;
	cs_self0 = ctxsw_of(getpid());
	cs_peer0 = cs_child > 0 ? ctxsw_of(cs_child) : (struct ctxsw){ 0, 0 };
	/*
	 * The measured run in SEGMENTS parts; the median part counts, so that
	 * a stall of the host (2-vCPU mode under TCG) spoils one part only.
	 * Returns the median part's time scaled to the whole run.
	 */
	uint64_t seg[SEGMENTS];

	for (int i = 0; i < SEGMENTS; i++) {
		uint64_t v = run(ctx, n);
		int j = i;

		for (; j > 0 && seg[j - 1] > v; j--)
			seg[j] = seg[j - 1];
		seg[j] = v;
	}
	return seg[SEGMENTS / 2] * SEGMENTS;
}

static void emit(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("@@BENCH {\"mode\":\"%s\",\"rep\":%d,%s}\n", mode, rep, line);
	fflush(stdout);
}

/* ------------------------------------------------------- mach plumbing */

struct inline_msg {
	mach_msg_header_t hdr;
	char data[MAX_PAYLOAD + TRAILER_ROOM];
};

/*
 * Rendezvous: the parent registers a send right to a port it receives on
 * (mach_ports_register; children inherit registered ports).  A child
 * publishes a port by sending a message whose reply port is a MAKE_SEND of
 * it; the parent gets the send right as msgh_remote_port.
 */
static mach_port_t rdv;

static void rdv_setup(void)
{
	KCHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rdv));
	KCHECK(mach_port_insert_right(mach_task_self(), rdv, rdv, MACH_MSG_TYPE_MAKE_SEND));
	KCHECK(mach_ports_register(mach_task_self(), &rdv, 1));
}

/* In a child: the registered port, slot 0. */
static mach_port_t registered_port(void)
{
	mach_port_array_t ports = NULL;
	mach_msg_type_number_t cnt = 0;

	KCHECK(mach_ports_lookup(mach_task_self(), &ports, &cnt));
	if (cnt < 1 || !MACH_PORT_VALID(ports[0]))
		die("no registered port");
	return ports[0];
}

static void publish(mach_port_t to, mach_port_t port, int id)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
		.msgh_size = sizeof(h),
		.msgh_remote_port = to,
		.msgh_local_port = port,
		.msgh_id = id,
	};

	KCHECK(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
}

/* In the parent: the next published port; *id gets its id. */
static mach_port_t collect(int *id)
{
	struct {
		mach_msg_header_t h;
		char trailer[TRAILER_ROOM];
	} m;

	KCHECK(mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), rdv, 0, MACH_PORT_NULL));
	if (id)
		*id = m.h.msgh_id;
	return m.h.msgh_remote_port;
}

static mach_port_t new_port(void)
{
	mach_port_t p;

	KCHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p));
	return p;
}

static void set_qlimit(mach_port_t p, int limit)
{
	mach_port_limits_t lim = { .mpl_qlimit = limit };

	KCHECK(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO,
					(mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT));
}

/* Serve RPCs on `name` (a port or a port set) forever: echo the payload. */
static void mach_serve(mach_port_t name)
{
	static struct inline_msg m;
	mach_msg_return_t mr;

	mr = mach_msg(&m.hdr, MACH_RCV_MSG, 0, sizeof(m), name, 0, MACH_PORT_NULL);
	for (;;) {
		if (mr != MACH_MSG_SUCCESS)
			die("server mach_msg: 0x%x %s", mr, mach_error_string(mr));
		m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.hdr.msgh_local_port = MACH_PORT_NULL;
		m.hdr.msgh_id += 100;
		/* msgh_size: the request's, i.e. the same payload back */
		mr = mach_msg(&m.hdr, MACH_SEND_MSG | MACH_RCV_MSG, m.hdr.msgh_size,
			      sizeof(m), name, 0, MACH_PORT_NULL);
	}
}

static void mach_serve_child(void *arg)
{
	(void)arg;
	mach_port_t to = registered_port(), p = new_port();

	publish(to, p, 0);
	mach_serve(p);
}

/* One client: n RPCs to `server` with `payload` bytes each way. */
struct mach_client {
	mach_port_t server, reply;
	unsigned payload;
	struct inline_msg *m;
};

static inline void mach_rpc(struct mach_client *c)
{
	struct inline_msg *m = c->m;
	mach_msg_return_t mr;

	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->hdr.msgh_size = sizeof(m->hdr) + c->payload;
	m->hdr.msgh_remote_port = c->server;
	m->hdr.msgh_local_port = c->reply;
	m->hdr.msgh_voucher_port = MACH_PORT_NULL;
	m->hdr.msgh_id = 1;
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG, m->hdr.msgh_size,
		      sizeof(*m), c->reply, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		die("client mach_msg: 0x%x %s", mr, mach_error_string(mr));
	if (m->hdr.msgh_size != sizeof(m->hdr) + c->payload || m->hdr.msgh_id != 101)
		die("bad reply: size %u id %d", m->hdr.msgh_size, m->hdr.msgh_id);
}

static void mach_client_init(struct mach_client *c, mach_port_t server, unsigned payload)
{
	c->server = server;
	c->payload = payload;
	c->reply = new_port();
	c->m = private_alloc(sizeof(*c->m));
	memset(c->m->data, 0x5a, payload);
}

/* ------------------------------------------------------------ rpc bench */

struct shm_ctl {
	atomic_int turn;		/* futex: 0 client's turn, 1 server's */
	int pad[15];
	char data[MAX_PAYLOAD];		/* futex/eventfd payload */
};

struct rpc_ctx {
	const char *mech;
	unsigned payload, wire;		/* wire: bytes actually written */
	int c2s[2], s2c[2];		/* fds: [0] read end, [1] write end */
	int sock[2];
	struct shm_ctl *shm;
	struct mach_client mc;
	char *buf;
};

static void fd_server(struct rpc_ctx *x, int rfd, int wfd)
{
	char *buf = private_alloc(MAX_PAYLOAD);

	for (;;) {
		read_all(rfd, buf, x->wire);
		write_all(wfd, buf, x->wire);
	}
}

static void seqpacket_server(struct rpc_ctx *x, int fd)
{
	char *buf = private_alloc(MAX_PAYLOAD + 1);

	for (;;) {
		ssize_t n = recv(fd, buf, MAX_PAYLOAD + 1, 0);

		if (n <= 0)
			_exit(0);
		if ((size_t)n != x->wire)
			die("seqpacket: got %zd", n);
		if (send(fd, buf, n, 0) != n)
			die("seqpacket send: %s", strerror(errno));
	}
}

static void eventfd_server(struct rpc_ctx *x)
{
	char *buf = private_alloc(MAX_PAYLOAD);
	uint64_t v;

	for (;;) {
		if (read(x->c2s[0], &v, 8) != 8)
			_exit(0);
		memcpy(buf, x->shm->data, x->payload);
		memcpy(x->shm->data, buf, x->payload);
		v = 1;
		if (write(x->s2c[0], &v, 8) != 8)
			_exit(0);
	}
}

static void futex_server(struct rpc_ctx *x)
{
	char *buf = private_alloc(MAX_PAYLOAD);
	atomic_int *turn = &x->shm->turn;

	for (;;) {
		while (atomic_load_explicit(turn, memory_order_acquire) != 1)
			futex(turn, FUTEX_WAIT, 0);
		memcpy(buf, x->shm->data, x->payload);
		memcpy(x->shm->data, buf, x->payload);
		atomic_store_explicit(turn, 0, memory_order_release);
		futex(turn, FUTEX_WAKE, 1);
	}
}

static void rpc_server(void *arg)
{
	struct rpc_ctx *x = arg;

	if (!strcmp(x->mech, "pipe"))
		fd_server(x, x->c2s[0], x->s2c[1]);
	else if (!strcmp(x->mech, "stream"))
		fd_server(x, x->sock[1], x->sock[1]);
	else if (!strcmp(x->mech, "seqpacket"))
		seqpacket_server(x, x->sock[1]);
	else if (!strcmp(x->mech, "eventfd"))
		eventfd_server(x);
	else if (!strcmp(x->mech, "futex"))
		futex_server(x);
}

static uint64_t rpc_run(void *arg, uint64_t n)
{
	struct rpc_ctx *x = arg;
	uint64_t t0 = now_ns(), i;
	char *buf = x->buf;

	if (!strcmp(x->mech, "mach")) {
		for (i = 0; i < n; i++)
			mach_rpc(&x->mc);
	} else if (!strcmp(x->mech, "pipe")) {
		for (i = 0; i < n; i++) {
			write_all(x->c2s[1], buf, x->wire);
			read_all(x->s2c[0], buf, x->wire);
		}
	} else if (!strcmp(x->mech, "stream")) {
		for (i = 0; i < n; i++) {
			write_all(x->sock[0], buf, x->wire);
			read_all(x->sock[0], buf, x->wire);
		}
	} else if (!strcmp(x->mech, "seqpacket")) {
		for (i = 0; i < n; i++) {
			if (send(x->sock[0], buf, x->wire, 0) != (ssize_t)x->wire)
				die("send: %s", strerror(errno));
			if (recv(x->sock[0], buf, MAX_PAYLOAD + 1, 0) != (ssize_t)x->wire)
				die("recv: %s", strerror(errno));
		}
	} else if (!strcmp(x->mech, "eventfd")) {
		uint64_t v;

		for (i = 0; i < n; i++) {
			memcpy(x->shm->data, buf, x->payload);
			v = 1;
			if (write(x->c2s[0], &v, 8) != 8)
				die("eventfd write: %s", strerror(errno));
			if (read(x->s2c[0], &v, 8) != 8)
				die("eventfd read: %s", strerror(errno));
			memcpy(buf, x->shm->data, x->payload);
		}
	} else if (!strcmp(x->mech, "futex")) {
		atomic_int *turn = &x->shm->turn;

		for (i = 0; i < n; i++) {
			memcpy(x->shm->data, buf, x->payload);
			atomic_store_explicit(turn, 1, memory_order_release);
			futex(turn, FUTEX_WAKE, 1);
			while (atomic_load_explicit(turn, memory_order_acquire) != 0)
				futex(turn, FUTEX_WAIT, 1);
			memcpy(buf, x->shm->data, x->payload);
		}
	}
	return now_ns() - t0;
}

static int bench_rpc(const char *mech, unsigned payload)
{
	struct rpc_ctx x = { .mech = mech, .payload = payload };
	uint64_t iters, ns;
	char cs[256];

	if (payload > MAX_PAYLOAD || payload % 4)
		die("payload must be a multiple of 4 up to %d", MAX_PAYLOAD);
	x.wire = payload ? payload : 1;
	x.buf = private_alloc(MAX_PAYLOAD + 1);
	memset(x.buf, 0x5a, MAX_PAYLOAD);
	x.shm = shared_alloc(sizeof(*x.shm));

	if (!strcmp(mech, "mach")) {
		rdv_setup();
		spawn(mach_serve_child, NULL);
		mach_client_init(&x.mc, collect(NULL), payload);
	} else {
		if (!strcmp(mech, "pipe")) {
			PCHECK(pipe(x.c2s));
			PCHECK(pipe(x.s2c));
		} else if (!strcmp(mech, "stream")) {
			PCHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, x.sock));
		} else if (!strcmp(mech, "seqpacket")) {
			PCHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, x.sock));
		} else if (!strcmp(mech, "eventfd")) {
			PCHECK(x.c2s[0] = eventfd(0, 0));
			PCHECK(x.s2c[0] = eventfd(0, 0));
		} else if (strcmp(mech, "futex")) {
			die("unknown rpc mechanism %s", mech);
		}
		spawn(rpc_server, &x);
	}
	ns = calibrate(rpc_run, &x, &iters);
	ctxsw_json(&cs_self0, &cs_peer0, cs_child, iters, cs, sizeof(cs));
	reap_all();
	emit("\"bench\":\"rpc\",\"mech\":\"%s\",\"payload\":%u,\"iters\":%llu,\"ns\":%llu,"
	     "\"us\":%.4f%s", mech, payload, (unsigned long long)iters,
	     (unsigned long long)ns, ns / 1e3 / iters, cs);
	return 0;
}

/* ------------------------------------------- one-way streams (oneway, ool) */

/*
 * The parent sends a batch of n messages, the child receives them and acks
 * the batch through a pipe.  The batch size travels in shared memory: the
 * sender sets it before the first message of a batch, the receiver reads it
 * after receiving that message.
 */
struct stream_ctl {
	uint64_t batch;
};

struct stream_ctx {
	const char *mech;
	size_t size;
	int is_ool;
	int data[2], ack[2];
	mach_port_t port;		/* parent: send right to the receiver's port */
	struct stream_ctl *ctl;
	char *buf;
};

static void ack_batch(struct stream_ctx *x)
{
	char c = 'a';

	write_all(x->ack[1], &c, 1);
}

static void wait_ack(struct stream_ctx *x)
{
	char c;

	read_all(x->ack[0], &c, 1);
}

/* Fill a buffer so that the word at each page start names the page. */
static void pattern_fill(char *buf, size_t size)
{
	memset(buf, 0xa5, size);
	for (size_t off = 0; off + 8 <= size; off += 4096) {
		uint64_t v = off / 4096 + 1;

		memcpy(buf + off, &v, 8);
	}
}

static void pattern_check(const char *buf, size_t size)
{
	for (size_t off = 0; off + 8 <= size; off += 4096) {
		uint64_t v;

		memcpy(&v, buf + off, 8);
		if (v != off / 4096 + 1)
			die("ool data corrupt at %zu", off);
	}
	if (size && (size - 1) % 4096 >= 8 && (unsigned char)buf[size - 1] != 0xa5)
		die("ool data corrupt at end");
}

/*
 * The same bytes inline (mach-inline): MPMMtest's inline against its
 * complex message (one OOL descriptor), sizes up to INL_MAX.
 */
#define INL_MAX 65536
struct inl_msg {
	mach_msg_header_t hdr;
	char data[INL_MAX];
	char trailer[TRAILER_ROOM];
};

struct ool_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t d;
	char trailer[TRAILER_ROOM];
};

static void stream_receiver(void *arg)
{
	struct stream_ctx *x = arg;
	int is_mach = !strncmp(x->mech, "mach", 4);
	mach_port_t p = MACH_PORT_NULL;

	if (is_mach) {
		mach_port_t to = registered_port();

		p = new_port();
		/* OOL keeps the default qlimit: 1024 x 64 MiB would not fit */
		if (!strcmp(x->mech, "mach"))
			set_qlimit(p, MACH_PORT_QLIMIT_LARGE);
		publish(to, p, 0);
	}
	for (;;) {
		uint64_t n = 1, i;

		for (i = 0; i < n; i++) {
			if (!strcmp(x->mech, "pipe")) {
				read_all(x->data[0], x->buf, x->size);
				if (x->is_ool)
					pattern_check(x->buf, x->size);
			} else if (!x->is_ool) {
				static struct inline_msg m;
				mach_msg_return_t mr;

				mr = mach_msg(&m.hdr, MACH_RCV_MSG, 0, sizeof(m), p, 0,
					      MACH_PORT_NULL);
				if (mr != MACH_MSG_SUCCESS)
					die("oneway receive: 0x%x", mr);
			} else if (!strcmp(x->mech, "mach-inline")) {
				struct inl_msg *m = (struct inl_msg *)(x->buf + x->size);
				mach_msg_return_t mr;

				mr = mach_msg(&m->hdr, MACH_RCV_MSG, 0, sizeof(*m), p, 0,
					      MACH_PORT_NULL);
				if (mr != MACH_MSG_SUCCESS)
					die("inline receive: 0x%x", mr);
				if (m->hdr.msgh_size != sizeof(m->hdr) + x->size)
					die("inline: bad message");
				pattern_check(m->data, x->size);
			} else {
				struct ool_msg m;
				mach_msg_return_t mr;

				mr = mach_msg(&m.hdr, MACH_RCV_MSG, 0, sizeof(m), p, 0,
					      MACH_PORT_NULL);
				if (mr != MACH_MSG_SUCCESS)
					die("ool receive: 0x%x", mr);
				if (!(m.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
				    m.body.msgh_descriptor_count != 1 || m.d.size != x->size)
					die("ool: bad message");
				pattern_check(m.d.address, x->size);
				KCHECK(vm_deallocate(mach_task_self(),
						     (vm_address_t)m.d.address, m.d.size));
			}
			if (i == 0)
				n = x->ctl->batch;
		}
		ack_batch(x);
	}
}

static uint64_t stream_run(void *arg, uint64_t n)
{
	struct stream_ctx *x = arg;
	uint64_t t0 = now_ns(), i;

	x->ctl->batch = n;
	if (!strcmp(x->mech, "memcpy")) {
		char *dst = x->buf + x->size;

		for (i = 0; i < n; i++) {
			memcpy(dst, x->buf, x->size);
			asm volatile("" : : "r"(dst) : "memory");
		}
		return now_ns() - t0;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(x->mech, "pipe")) {
			write_all(x->data[1], x->buf, x->size);
		} else if (!x->is_ool) {
			struct inline_msg *m = (struct inline_msg *)x->buf;
			mach_msg_return_t mr;

			m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			m->hdr.msgh_size = sizeof(m->hdr) + ONEWAY_SIZE;
			m->hdr.msgh_remote_port = x->port;
			m->hdr.msgh_local_port = MACH_PORT_NULL;
			m->hdr.msgh_voucher_port = MACH_PORT_NULL;
			m->hdr.msgh_id = 7;
			mr = mach_msg(&m->hdr, MACH_SEND_MSG, m->hdr.msgh_size, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (mr != MACH_MSG_SUCCESS)
				die("oneway send: 0x%x", mr);
		} else if (!strcmp(x->mech, "mach-inline")) {
			struct inl_msg *m = (struct inl_msg *)(x->buf + x->size);
			mach_msg_return_t mr;

			m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			m->hdr.msgh_size = sizeof(m->hdr) + x->size;
			m->hdr.msgh_remote_port = x->port;
			m->hdr.msgh_local_port = MACH_PORT_NULL;
			m->hdr.msgh_voucher_port = MACH_PORT_NULL;
			m->hdr.msgh_id = 9;
			memcpy(m->data, x->buf, x->size);
			mr = mach_msg(&m->hdr, MACH_SEND_MSG, m->hdr.msgh_size, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (mr != MACH_MSG_SUCCESS)
				die("inline send: 0x%x", mr);
		} else {
			struct ool_msg m = {
				.hdr = {
					.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
						     MACH_MSGH_BITS_COMPLEX,
					.msgh_size = offsetof(struct ool_msg, trailer),
					.msgh_remote_port = x->port,
					.msgh_id = 8,
				},
				.body = { 1 },
				.d = {
					.address = x->buf,
					.size = x->size,
					.deallocate = 0,
					.copy = !strcmp(x->mech, "mach-virt") ?
						MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY,
					.type = MACH_MSG_OOL_DESCRIPTOR,
				},
			};
			mach_msg_return_t mr;

			mr = mach_msg(&m.hdr, MACH_SEND_MSG, m.hdr.msgh_size, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (mr != MACH_MSG_SUCCESS)
				die("ool send: 0x%x %s", mr, mach_error_string(mr));
		}
	}
	wait_ack(x);
	return now_ns() - t0;
}

static void stream_setup(struct stream_ctx *x, size_t bufsize)
{
	x->ctl = shared_alloc(sizeof(*x->ctl));
	x->buf = private_alloc(bufsize);
	PCHECK(pipe(x->ack));
	if (!strcmp(x->mech, "pipe")) {
		PCHECK(pipe(x->data));
	} else if (!strncmp(x->mech, "mach", 4)) {
		rdv_setup();
	} else if (strcmp(x->mech, "memcpy")) {
		die("unknown mechanism %s", x->mech);
	}
	if (strcmp(x->mech, "memcpy"))
		spawn(stream_receiver, x);
	if (!strncmp(x->mech, "mach", 4))
		x->port = collect(NULL);
}

static int bench_oneway(const char *mech)
{
	struct stream_ctx x = { .mech = mech, .size = ONEWAY_SIZE };
	uint64_t iters, ns;
	char cs[256];

	if (strcmp(mech, "mach") && strcmp(mech, "mach-q5") && strcmp(mech, "pipe"))
		die("oneway: mach, mach-q5 or pipe");
	stream_setup(&x, sizeof(struct inline_msg));
	memset(x.buf, 0x5a, sizeof(struct inline_msg));
	ns = calibrate(stream_run, &x, &iters);
	ctxsw_json(&cs_self0, &cs_peer0, cs_child, iters, cs, sizeof(cs));
	reap_all();
	emit("\"bench\":\"oneway\",\"mech\":\"%s\",\"size\":%d,\"iters\":%llu,\"ns\":%llu,"
	     "\"msgs_per_s\":%.1f,\"us\":%.4f%s", mech, ONEWAY_SIZE,
	     (unsigned long long)iters, (unsigned long long)ns, iters * 1e9 / ns,
	     ns / 1e3 / iters, cs);
	return 0;
}

static int bench_ool(const char *mech, size_t size)
{
	struct stream_ctx x = { .mech = mech, .size = size, .is_ool = 1 };
	uint64_t iters, ns;

	if (strcmp(mech, "mach-phys") && strcmp(mech, "mach-virt") && strcmp(mech, "pipe") &&
	    strcmp(mech, "memcpy") && strcmp(mech, "mach-inline"))
		die("ool: mach-phys, mach-virt, mach-inline, pipe or memcpy");
	if (!strcmp(mech, "mach-inline") && (size > INL_MAX || size % 4))
		die("ool mach-inline: a multiple of 4 up to %d bytes", INL_MAX);
	if (!strcmp(mech, "pipe"))
		signal(SIGPIPE, SIG_IGN);
	/* mach-inline: the message buffer after the data */
	stream_setup(&x, !strcmp(mech, "mach-inline") ? size + sizeof(struct inl_msg) : 2 * size);
	pattern_fill(x.buf, size);
	if (!strcmp(mech, "memcpy"))
		memset(x.buf + size, 0, size);
	ns = calibrate(stream_run, &x, &iters);
	reap_all();
	emit("\"bench\":\"ool\",\"mech\":\"%s\",\"size\":%zu,\"iters\":%llu,\"ns\":%llu,"
	     "\"mb_per_s\":%.2f,\"us\":%.3f", mech, size, (unsigned long long)iters,
	     (unsigned long long)ns, (double)size * iters * 1e3 / ns, ns / 1e3 / iters);
	return 0;
}

/* ------------------------------------------------------------ many bench */

struct many_ctl {
	atomic_int go;
	atomic_int stop;
	int pad[14];
	struct {
		_Atomic uint64_t count;
		uint64_t pad[7];
	} client[MAX_PROCS];
};

struct many_ctx {
	const char *mech;
	int servers, clients, self;
	unsigned payload;
	struct many_ctl *ctl;
	int (*sock)[2];			/* unix-epoll: per client */
};

static void many_mach_server(void *arg)
{
	struct many_ctx *x = arg;
	mach_port_t to = registered_port();

	if (!strcmp(x->mech, "mach")) {
		mach_port_t p = new_port();

		set_qlimit(p, MACH_PORT_QLIMIT_LARGE);
		publish(to, p, x->self);
		mach_serve(p);
	} else {
		mach_port_t set;

		KCHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set));
		for (int j = x->self; j < x->clients; j += x->servers) {
			mach_port_t p = new_port();

			KCHECK(mach_port_move_member(mach_task_self(), p, set));
			publish(to, p, j);
		}
		mach_serve(set);
	}
}

static void many_epoll_server(void *arg)
{
	struct many_ctx *x = arg;
	struct epoll_event ev[MAX_PROCS];
	char *buf = private_alloc(MAX_PAYLOAD);
	int ep = epoll_create1(0);

	PCHECK(ep);
	for (int j = x->self; j < x->clients; j += x->servers) {
		struct epoll_event e = { .events = EPOLLIN, .data.fd = x->sock[j][1] };

		PCHECK(epoll_ctl(ep, EPOLL_CTL_ADD, x->sock[j][1], &e));
	}
	for (;;) {
		int n = epoll_wait(ep, ev, MAX_PROCS, -1);

		if (n < 0 && errno == EINTR)
			continue;
		PCHECK(n);
		for (int i = 0; i < n; i++) {
			ssize_t r = recv(ev[i].data.fd, buf, MAX_PAYLOAD, MSG_DONTWAIT);

			if (r < 0 && errno == EAGAIN)
				continue;
			if (r <= 0)
				_exit(0);
			if (send(ev[i].data.fd, buf, r, 0) != r)
				_exit(0);
		}
	}
}

static void many_wait_go(struct many_ctl *ctl)
{
	while (!atomic_load(&ctl->go))
		futex(&ctl->go, FUTEX_WAIT, 0);
}

static void many_client(void *arg)
{
	struct many_ctx *x = arg;
	struct many_ctl *ctl = x->ctl;
	_Atomic uint64_t *count = &ctl->client[x->self].count;

	if (!strncmp(x->mech, "mach", 4)) {
		struct mach_client c;

		mach_client_init(&c, registered_port(), x->payload);
		many_wait_go(ctl);
		while (!atomic_load_explicit(&ctl->stop, memory_order_relaxed)) {
			mach_rpc(&c);
			atomic_store_explicit(count, atomic_load_explicit(count, memory_order_relaxed) + 1,
					      memory_order_relaxed);
		}
	} else {
		int fd = x->sock[x->self][0];
		unsigned wire = x->payload ? x->payload : 1;
		char *buf = private_alloc(MAX_PAYLOAD);

		many_wait_go(ctl);
		while (!atomic_load_explicit(&ctl->stop, memory_order_relaxed)) {
			if (send(fd, buf, wire, 0) != (ssize_t)wire ||
			    recv(fd, buf, MAX_PAYLOAD, 0) != (ssize_t)wire)
				die("unix-epoll client: %s", strerror(errno));
			atomic_store_explicit(count, atomic_load_explicit(count, memory_order_relaxed) + 1,
					      memory_order_relaxed);
		}
	}
	for (;;)
		pause();
}

static uint64_t many_sum(struct many_ctx *x)
{
	uint64_t s = 0;

	for (int j = 0; j < x->clients; j++)
		s += atomic_load_explicit(&x->ctl->client[j].count, memory_order_relaxed);
	return s;
}

static int bench_many(const char *mech, int servers, int clients, unsigned payload)
{
	struct many_ctx x = { .mech = mech, .servers = servers, .clients = clients,
			      .payload = payload };
	mach_port_t ports[MAX_PROCS];
	uint64_t t0, t1, s0, s1;
	int is_mach = !strncmp(mech, "mach", 4);

	if (servers < 1 || clients < 1 || servers > MAX_PROCS || clients > MAX_PROCS)
		die("many: 1..%d servers and clients", MAX_PROCS);
	if (strcmp(mech, "mach") && strcmp(mech, "mach-pset") && strcmp(mech, "unix-epoll"))
		die("many: mach, mach-pset or unix-epoll");
	if (payload > MAX_PAYLOAD || payload % 4)
		die("bad payload");
	x.ctl = shared_alloc(sizeof(*x.ctl));
	if (is_mach) {
		rdv_setup();
		for (x.self = 0; x.self < servers; x.self++)
			spawn(many_mach_server, &x);
		/* mach: one port per server, id = server; pset: one per client, id = client */
		int nports = !strcmp(mech, "mach") ? servers : clients;

		for (int i = 0; i < nports; i++) {
			int id;
			mach_port_t p = collect(&id);

			if (id < 0 || id >= nports)
				die("bad port id %d", id);
			ports[id] = p;
		}
		for (x.self = 0; x.self < clients; x.self++) {
			mach_port_t p = ports[!strcmp(mech, "mach") ? x.self % servers : x.self];

			KCHECK(mach_ports_register(mach_task_self(), &p, 1));
			spawn(many_client, &x);
		}
	} else {
		x.sock = calloc(clients, sizeof(*x.sock));
		for (int j = 0; j < clients; j++)
			PCHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, x.sock[j]));
		for (x.self = 0; x.self < servers; x.self++)
			spawn(many_epoll_server, &x);
		for (x.self = 0; x.self < clients; x.self++)
			spawn(many_client, &x);
	}
	atomic_store(&x.ctl->go, 1);
	futex(&x.ctl->go, FUTEX_WAKE, MAX_PROCS);
	sleep_ns((uint64_t)(target * 1e9 / 4));		/* warm-up */
	t0 = now_ns();
	s0 = many_sum(&x);
	sleep_ns((uint64_t)(target * 1e9));
	s1 = many_sum(&x);
	t1 = now_ns();
	atomic_store(&x.ctl->stop, 1);
	reap_all();
	emit("\"bench\":\"many\",\"mech\":\"%s\",\"servers\":%d,\"clients\":%d,\"payload\":%u,"
	     "\"iters\":%llu,\"ns\":%llu,\"msgs_per_s\":%.1f,\"us\":%.4f", mech, servers, clients,
	     payload, (unsigned long long)(s1 - s0), (unsigned long long)(t1 - t0),
	     (s1 - s0) * 1e9 / (t1 - t0), s1 > s0 ? (t1 - t0) / 1e3 / (s1 - s0) : 0.0);
	return 0;
}

/* ------------------------------------------------------------ self bench */

/*
 * Path length without scheduling: one process, no peer, nothing blocks.
 *   null       getppid(): system call entry and exit
 *   mach       one mach_msg(SEND|RCV) to a port of our own (COPY_SEND)
 *   mach-2call mach_msg(SEND), then mach_msg(RCV)
 *   mach-rpc   both halves of an RPC: mach_msg(SEND request COPY_SEND +
 *              MAKE_SEND_ONCE | RCV on the service port), then
 *              mach_msg(SEND reply MOVE_SEND_ONCE | RCV on the reply port):
 *              an rpc round trip minus the two context switches
 *   pipe       write(2) + read(2) on a pipe of our own
 *   pipe-rpc   two of those (what a pipe round trip does besides switching)
 *   eventfd    write(2) + read(2) of an eventfd, payload memcpy'd twice
 */
struct self_ctx {
	const char *mech;
	unsigned payload, wire;
	mach_port_t port, reply;
	int fds[2];
	struct inline_msg *m;
	char *buf, *shm;
};

static inline void self_mach_check(mach_msg_return_t mr, const char *what)
{
	if (mr != MACH_MSG_SUCCESS)
		die("self %s: 0x%x %s", what, mr, mach_error_string(mr));
}

static uint64_t self_run(void *arg, uint64_t n)
{
	struct self_ctx *x = arg;
	struct inline_msg *m = x->m;
	uint64_t t0 = now_ns(), i;
	const char *mech = x->mech;

	if (!strcmp(mech, "null")) {
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(mech, "mach") || !strcmp(mech, "mach-2call")) {
		int two = !strcmp(mech, "mach-2call");

		for (i = 0; i < n; i++) {
			m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			m->hdr.msgh_size = sizeof(m->hdr) + x->payload;
			m->hdr.msgh_remote_port = x->port;
			m->hdr.msgh_local_port = MACH_PORT_NULL;
			m->hdr.msgh_voucher_port = MACH_PORT_NULL;
			m->hdr.msgh_id = 1;
			if (two) {
				self_mach_check(mach_msg(&m->hdr, MACH_SEND_MSG, m->hdr.msgh_size, 0,
							 MACH_PORT_NULL, 0, MACH_PORT_NULL), "send");
				self_mach_check(mach_msg(&m->hdr, MACH_RCV_MSG, 0, sizeof(*m),
							 x->port, 0, MACH_PORT_NULL), "rcv");
			} else {
				self_mach_check(mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG,
							 m->hdr.msgh_size, sizeof(*m), x->port, 0,
							 MACH_PORT_NULL), "send|rcv");
			}
		}
	} else if (!strcmp(mech, "mach-rpc")) {
		for (i = 0; i < n; i++) {
			m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE);
			m->hdr.msgh_size = sizeof(m->hdr) + x->payload;
			m->hdr.msgh_remote_port = x->port;
			m->hdr.msgh_local_port = x->reply;
			m->hdr.msgh_voucher_port = MACH_PORT_NULL;
			m->hdr.msgh_id = 1;
			self_mach_check(mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG,
						 m->hdr.msgh_size, sizeof(*m), x->port, 0,
						 MACH_PORT_NULL), "request");
			m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
			m->hdr.msgh_local_port = MACH_PORT_NULL;
			m->hdr.msgh_id += 100;
			self_mach_check(mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG,
						 m->hdr.msgh_size, sizeof(*m), x->reply, 0,
						 MACH_PORT_NULL), "reply");
		}
	} else if (!strcmp(mech, "pipe") || !strcmp(mech, "pipe-rpc")) {
		int k = !strcmp(mech, "pipe") ? 1 : 2;

		for (i = 0; i < n * k; i++) {
			write_all(x->fds[1], x->buf, x->wire);
			read_all(x->fds[0], x->buf, x->wire);
		}
	} else if (!strcmp(mech, "eventfd")) {
		uint64_t v = 1;

		for (i = 0; i < n; i++) {
			memcpy(x->shm, x->buf, x->payload);
			if (write(x->fds[0], &v, 8) != 8 || read(x->fds[0], &v, 8) != 8)
				die("eventfd: %s", strerror(errno));
			memcpy(x->buf, x->shm, x->payload);
		}
	}
	return now_ns() - t0;
}

static int bench_self(const char *mech, unsigned payload)
{
	struct self_ctx x = { .mech = mech, .payload = payload };
	uint64_t iters, ns;

	if (payload > MAX_PAYLOAD || payload % 4)
		die("bad payload");
	x.wire = payload ? payload : 1;
	x.m = private_alloc(sizeof(*x.m));
	x.buf = private_alloc(MAX_PAYLOAD);
	x.shm = shared_alloc(MAX_PAYLOAD);
	if (!strncmp(mech, "mach", 4)) {
		x.port = new_port();
		KCHECK(mach_port_insert_right(mach_task_self(), x.port, x.port,
					      MACH_MSG_TYPE_MAKE_SEND));
		x.reply = new_port();
	} else if (!strncmp(mech, "pipe", 4)) {
		PCHECK(pipe(x.fds));
	} else if (!strcmp(mech, "eventfd")) {
		PCHECK(x.fds[0] = eventfd(0, 0));
	} else if (strcmp(mech, "null")) {
		die("self: null, mach, mach-2call, mach-rpc, pipe, pipe-rpc or eventfd");
	}
	ns = calibrate(self_run, &x, &iters);
	emit("\"bench\":\"self\",\"mech\":\"%s\",\"payload\":%u,\"iters\":%llu,\"ns\":%llu,"
	     "\"us\":%.4f", mech, payload, (unsigned long long)iters,
	     (unsigned long long)ns, ns / 1e3 / iters);
	return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(void)
{
	fprintf(stderr,
		"usage: machbench [-t SECS] [-m MODE] [-r REP] rpc MECH PAYLOAD\n"
		"       machbench [...] self MECH PAYLOAD\n"
		"       machbench [...] oneway MECH\n"
		"       machbench [...] ool MECH SIZE\n"
		"       machbench [...] many MECH SERVERS CLIENTS [PAYLOAD]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "t:m:r:")) != -1) {
		switch (opt) {
		case 't': target = atof(optarg); break;
		case 'm': mode = optarg; break;
		case 'r': rep = atoi(optarg); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || target <= 0)
		usage();
	if (!strcmp(argv[0], "rpc") && argc == 3)
		return bench_rpc(argv[1], strtoul(argv[2], NULL, 0));
	if (!strcmp(argv[0], "self") && argc == 3)
		return bench_self(argv[1], strtoul(argv[2], NULL, 0));
	if (!strcmp(argv[0], "oneway") && argc == 2)
		return bench_oneway(argv[1]);
	if (!strcmp(argv[0], "ool") && argc == 3)
		return bench_ool(argv[1], strtoull(argv[2], NULL, 0));
	if (!strcmp(argv[0], "many") && (argc == 4 || argc == 5))
		return bench_many(argv[1], atoi(argv[2]), atoi(argv[3]),
				  argc == 5 ? strtoul(argv[4], NULL, 0) : 64);
	usage();
	return 2;
}
