// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for the security review of mach.ko (issue 15): each test
 * drives one finding the way an unprivileged process could, and fails on a
 * module that still has the bug (a crash of the child, a wrong result, a
 * hang caught by a timeout, memory that keeps growing).
 *
 * Some steps need root in the VM (lowering max_entries, a memory cgroup,
 * IPC namespaces); the work itself runs in forked children, so an oops or a
 * hang of the old module shows as a failed test, not a dead runner.  The
 * test that could leave a task spinning in the kernel on a broken module
 * (the SEND_ONCE loop) runs last.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <linux/mach.h>

/* ------------------------------------------------------------------------
 * helpers
 */

/* Tests that need more than the harness's default 30 s under TCG. */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

/* Runs @fn in a child; its exit status, or -1 when it did not end in @ms. */
static int run_child(int (*fn)(void *), void *arg, int ms)
{
	int64_t end = now_ms() + ms;
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	while (now_ms() < end) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	return -1;
}

static int param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/mach/parameters/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int param_write(const char *name, const char *val)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/module/mach/parameters/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* A raw ioctl on a fresh /dev/mach open: a new space of its own. */
struct raw_space {
	int fd;
	uint32_t task;
};

static int raw_open(struct raw_space *rs)
{
	struct mach_ioc_name t = {};

	rs->fd = open(MACH_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (rs->fd < 0)
		return -1;
	if (ioctl(rs->fd, MACH_IOC_TASK_SELF, &t))
		return -1;
	rs->task = t.name;
	return 0;
}

static uint32_t raw_bootstrap(struct raw_space *rs)
{
	struct mach_ioc_special_port sp = { .task = rs->task, .which = TASK_BOOTSTRAP_PORT };

	if (ioctl(rs->fd, MACH_IOC_GET_SPECIAL_PORT, &sp))
		return 0xdeadbeef;
	return sp.port;
}

/* ------------------------------------------------------------------------
 * Finding 1: mach_ports_lookup rollback on a full name table.  registered[0]
 * is null, registered[1] needs a new name the full table cannot give: the
 * call must fail cleanly (the old rollback dereferenced the null slot's
 * missing entry: an oops that kills the child).
 */
static int ports_lookup_full_child(void *arg)
{
	mach_port_t regs[2] = { MACH_PORT_NULL, mach_thread_self() };
	mach_port_array_t got = NULL;
	mach_msg_type_number_t cnt = 0;
	mach_port_name_t n;
	unsigned int filled = 0;
	kern_return_t kr;

	(void)arg;
	if (!MACH_PORT_VALID(regs[1]))
		return 10;
	if (mach_ports_register(TASK, regs, 2) != KERN_SUCCESS)
		return 11;
	/* the only send right to the thread port is now registered[1] */
	if (mach_port_deallocate(TASK, regs[1]) != KERN_SUCCESS)
		return 12;
	while (filled < 100000 &&
	       mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &n) == KERN_SUCCESS)
		filled++;
	while (filled < 100000 &&
	       mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &n) == KERN_SUCCESS)
		filled++;
	if (filled >= 100000)
		return 13;
	kr = mach_ports_lookup(TASK, &got, &cnt);
	/* a full table: the lookup fails and gives back what it copied out */
	if (kr == KERN_SUCCESS)
		return 14;
	return 0;
}

TEST(ports_lookup_rollback_on_full_table)
{
	char old[32];
	int st;

	if (geteuid() != 0 || param_read("max_entries", old, sizeof(old)))
		SKIP(return, "needs root and the max_entries parameter");
	ASSERT_EQ(0, param_write("max_entries", "64"));
	st = run_child(ports_lookup_full_child, NULL, 20000);
	param_write("max_entries", old);
	EXPECT_EQ(0, st) TH_LOG("child status %d (>128: killed by a signal, an oops)", st);
}

/* ------------------------------------------------------------------------
 * Finding 2: a descriptor count only the body size bounds.  A 2.4 MB
 * message of null port descriptors is valid; sizing the descriptor array
 * with kcalloc asked for an order-11 allocation (a page-allocator WARN, and
 * the send failed with MACH_SEND_NO_BUFFER).
 */
TEST(many_descriptors_no_high_order_allocation)
{
	const uint32_t count = 200000;
	size_t size = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
		      (size_t)count * sizeof(mach_msg_port_descriptor_t);
	size_t rsize = size + MACH_MSG_TRAILER_MAX_SIZE;
	mach_port_t p = new_port_send();
	mach_msg_header_t *m, *r;
	mach_msg_body_t *body;
	mach_msg_return_t mr;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	m = calloc(1, size);
	r = calloc(1, rsize);
	ASSERT_TRUE(m && r);
	m->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->msgh_size = size;
	m->msgh_remote_port = p;
	m->msgh_id = 1502;
	body = (mach_msg_body_t *)(m + 1);
	body->msgh_descriptor_count = count;
	/* calloc: every descriptor is a port descriptor naming MACH_PORT_NULL */
	mr = mach_msg(m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
		      MACH_PORT_NULL);
	EXPECT_EQ(MACH_MSG_SUCCESS, mr);
	if (mr == MACH_MSG_SUCCESS) {
		mr = mach_msg(r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, rsize, p, 1000,
			      MACH_PORT_NULL);
		EXPECT_EQ(MACH_MSG_SUCCESS, mr);
		EXPECT_EQ(count, ((mach_msg_body_t *)(r + 1))->msgh_descriptor_count);
	}
	free(m);
	free(r);
	mach_port_destroy(TASK, p);
}

/* ------------------------------------------------------------------------
 * Finding 4: bootstrap ports keyed by a recycled namespace inode number.
 * Children plant bootstrap ports in throw-away IPC namespaces and leave
 * them (keeping the ports alive); a later namespace, which may get a freed
 * inode number, must start with no bootstrap port.
 */
#define PLANTED 8

static int victim_child(void *arg)
{
	struct raw_space rs;

	(void)arg;
	if (unshare(CLONE_NEWIPC))
		return 20;
	if (raw_open(&rs))
		return 21;
	/* nobody set a bootstrap port in this namespace */
	return raw_bootstrap(&rs) == MACH_PORT_NULL ? 0 : 1;
}

TEST_F_TIMEOUT(slow, bootstrap_port_stays_in_its_namespace, 120)
{
	int back, ready[2], hold[2], i, st;
	pid_t planter;
	char c;

	if (geteuid() != 0)
		SKIP(return, "needs root for IPC namespaces");
	back = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, back);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(hold));
	planter = fork();
	ASSERT_LE(0, planter);
	if (planter == 0) {
		struct raw_space rs[PLANTED];

		close(ready[0]);
		close(hold[1]);

		for (i = 0; i < PLANTED; i++) {
			struct mach_ioc_port pa = { .right = MACH_PORT_RIGHT_RECEIVE };
			struct mach_ioc_bootstrap b = {};

			if (unshare(CLONE_NEWIPC) || raw_open(&rs[i]))
				_exit(30);
			pa.task = rs[i].task;
			if (ioctl(rs[i].fd, MACH_IOC_PORT_ALLOCATE, &pa))
				_exit(31);
			b.task = rs[i].task;
			b.port = pa.name;
			if (ioctl(rs[i].fd, MACH_IOC_SET_BOOTSTRAP, &b))
				_exit(32);
		}
		/* leave the last namespace: all of them can now be freed */
		if (setns(back, CLONE_NEWIPC))
			_exit(33);
		pipe_signal(ready[1]);
		/* keep the receive rights (and so the ports) alive */
		pipe_wait(hold[0]);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	EXPECT_EQ(1, read(ready[0], &c, 1));
	/* namespaces are freed from a work item after an RCU grace period */
	sleep_ms(1500);
	for (i = 0; i < PLANTED; i++) {
		st = run_child(victim_child, NULL, 10000);
		EXPECT_EQ(0, st) TH_LOG("victim %d: status %d (1: got a planted port)", i, st);
	}
	close(hold[1]);
	EXPECT_EQ(0, wait_child(planter));
	close(ready[0]);
	close(back);
}

/* ------------------------------------------------------------------------
 * Finding 5 (a): a reply from a kernel object obeys the reply port's queue
 * limit, as XNU sends it with the request's own options.  The sender has
 * only a send right to the reply port; its requests to its own task port
 * must not fill that port beyond its qlimit.
 */
TEST(kernel_reply_obeys_qlimit)
{
	mach_port_t q = new_port_send();
	struct small_msg m;
	unsigned int i, n;

	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(q, 2));
	for (i = 0; i < 20; i++) {
		/* a request to our own task port, the reply on a send right to q */
		msg_init(&m, TASK, MACH_MSG_TYPE_COPY_SEND, q, MACH_MSG_TYPE_COPY_SEND,
			 1000 + i);
		EXPECT_EQ(MACH_MSG_SUCCESS,
			  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
				   MACH_PORT_NULL, 0, MACH_PORT_NULL));
	}
	n = msgcount(q);
	EXPECT_EQ(2, n) TH_LOG("%u replies queued on a port with qlimit 2", n);
	mach_port_destroy(TASK, q);
}

/* ------------------------------------------------------------------------
 * Finding 6: one send to a port in many sets.  Waking the sets restarted
 * its walk for each set (quadratic: tens of seconds in one call at 56000
 * sets, a soft lockup), and each insertion walked all the port's sets.  The
 * send must cost less than a quarter of joining the sets (2 calls per set):
 * linear, it costs a few percent; quadratic, as much as the joins, which
 * were quadratic too.
 */
#define MANY_SETS 8000

TEST_F_TIMEOUT(slow, send_to_port_in_many_sets_is_linear, 240)
{
	mach_port_t p = new_port_send(), s;
	int64_t t0, join, send;
	struct rcv_buf b;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	t0 = now_ms();
	for (i = 0; i < MANY_SETS; i++) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s));
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	}
	join = now_ms() - t0;
	t0 = now_ms();
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1));
	send = now_ms() - t0;
	TH_LOG("%u sets joined in %lld ms; one send to the port took %lld ms",
	       MANY_SETS, (long long)join, (long long)send);
	EXPECT_GT(join / 4 + 1, send);
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	mach_port_destroy(TASK, p);
}

/* ------------------------------------------------------------------------
 * Finding 9: allocate_name on a freed slot left its index on the free
 * stack, and freeing it pushed it again: the stack grew by 4 bytes per
 * cycle for the life of the space.  The space's charged kernel memory must
 * stay flat across many cycles.
 */
#define CG "/sys/fs/cgroup"
#define CG_TEST CG "/mach_harden"

static long cg_current(void)
{
	char buf[64];
	long v = -1;
	int fd = open(CG_TEST "/memory.current", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		v = strtol(buf, NULL, 10);
	close(fd);
	return v;
}

static int cg_write(const char *file, const char *val)
{
	int fd = open(file, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

static int churn_child(void *arg)
{
	long *grew = arg, before = -1, after;
	mach_port_name_t name = MACH_PORT_NULL;
	int64_t end = 0;
	char pid[16];
	unsigned int i;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (cg_write(CG_TEST "/cgroup.procs", pid))
		return 40;
	/* a name the table has freed: allocate_name revives its slot */
	if (mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &name) ||
	    mach_port_deallocate(TASK, name))
		return 41;
	/* bounded in time too, for slow (debug, loaded) kernels */
	for (i = 0; i < 150000 && (i <= 10000 || now_ms() < end); i++) {
		if (i == 10000) {
			before = cg_current();
			end = now_ms() + 90000;
		}
		/* deallocating a set destroys it */
		if (mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, name) ||
		    mach_port_deallocate(TASK, name))
			return 42;
	}
	after = cg_current();
	*grew = after - before;
	grew[1] = i;
	return before < 0 || after < 0 ? 43 : 0;
}

TEST_F_TIMEOUT(slow, allocate_name_churn_keeps_memory_flat, 240)
{
	long *grew = mmap(NULL, 2 * sizeof(long), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;

	ASSERT_NE(MAP_FAILED, grew);
	if (geteuid() != 0)
		SKIP(return, "needs root for a memory cgroup");
	if (access(CG "/cgroup.controllers", F_OK))
		mount("cgroup2", CG, "cgroup2", 0, NULL);
	cg_write(CG "/cgroup.subtree_control", "+memory");
	mkdir(CG_TEST, 0755);
	if (access(CG_TEST "/memory.current", F_OK))
		SKIP(return, "no cgroup2 memory controller");
	*grew = 0;
	st = run_child(churn_child, grew, 230000);
	rmdir(CG_TEST);
	EXPECT_EQ(0, st);
	/*
	 * 140000 cycles: the old stack grew by 560 KB, its allocation (which
	 * doubles) by about 900 KB; allow for the memory cgroup's per-cpu
	 * charge batching.  A kernel too slow for 140000 cycles in 90 s shows
	 * less (the cycle count is logged).
	 */
	TH_LOG("%ld cycles: charged memory grew by %ld bytes", grew[1] - 10000, grew[0]);
	EXPECT_GT(512 * 1024, *grew);
}

/* ------------------------------------------------------------------------
 * Finding 10: a dead-name request armed while its port dies.  The request
 * was added to the port after a sleeping allocation, without checking that
 * the port still lived: armed on a dead port, it never fired.  A child
 * requests DEAD_NAME notifications on send rights whose receive right the
 * parent destroys at that very moment; every request that succeeds must be
 * answered by a DEAD_NAME notification.  A race: the moment of death is
 * swept across the request, round after round.
 */
#define DN_ROUNDS 1000
#define DN_ID 4242

struct dn_sync {
	volatile int go;	/* round the child is about to request in */
	volatile int done;	/* round the child has finished */
	volatile int armed, lost;
};

/* Waits for *v == want; false (with its status in *st) if @pid ended first. */
static bool spin_until(volatile int *v, int want, pid_t pid, int *st)
{
	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) != want) {
		if (waitpid(pid, st, WNOHANG) == pid)
			return false;
		sched_yield();
	}
	return true;
}

static int dn_child(struct dn_sync *sy)
{
	mach_port_array_t regs = NULL;
	mach_msg_type_number_t cnt = 0;
	mach_port_t c = new_port(), n = new_port(), prev;
	struct rcv_buf b;
	kern_return_t kr;
	int i;

	if (!MACH_PORT_VALID(c) || !MACH_PORT_VALID(n) ||
	    mach_ports_lookup(TASK, &regs, &cnt) != KERN_SUCCESS || cnt < 1 ||
	    !MACH_PORT_VALID(regs[0]))
		return 60;
	/* give the parent a send right to c */
	if (msg_send(regs[0], MACH_MSG_TYPE_COPY_SEND, c, MACH_MSG_TYPE_MAKE_SEND, DN_ID, 0, 0))
		return 61;
	for (i = 1; i <= DN_ROUNDS; i++) {
		mach_port_t s;

		if (msg_recv(c, &b, 0, LONG_TIMEOUT_MS) != MACH_MSG_SUCCESS)
			return 62;
		if (b.hdr.msgh_id == DN_ID + 1)
			return 0;	/* the parent ran out of time */
		s = b.hdr.msgh_remote_port;
		__atomic_store_n(&sy->go, i, __ATOMIC_RELEASE);
		kr = mach_port_request_notification(TASK, s, MACH_NOTIFY_DEAD_NAME, 0, n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		if (kr == KERN_SUCCESS) {
			sy->armed++;
			/* the parent destroys the port right after go */
			if (msg_recv(n, &b, 0, 2000) != MACH_MSG_SUCCESS ||
			    b.hdr.msgh_id != MACH_NOTIFY_DEAD_NAME) {
				sy->lost++;
				return 63;
			}
		} else if (kr == KERN_INVALID_ARGUMENT) {
			/*
			 * The port was dead already: a dead name takes no
			 * request, and the unused send-once right says so.
			 */
			if (msg_recv(n, &b, 0, 2000) != MACH_MSG_SUCCESS ||
			    b.hdr.msgh_id != MACH_NOTIFY_SEND_ONCE)
				return 64;
		} else {
			return 65;
		}
		mach_port_destroy(TASK, s);
		__atomic_store_n(&sy->done, i, __ATOMIC_RELEASE);
	}
	return 0;
}

TEST_F_TIMEOUT(slow, dead_name_request_racing_port_death, 200)
{
	struct dn_sync *sy = mmap(NULL, sizeof(*sy), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mach_port_t r0 = new_port_send(), c;
	struct rcv_buf b;
	bool alive = true;
	int i, j, st = 0;
	int64_t end;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, sy);
	ASSERT_TRUE(MACH_PORT_VALID(r0));
	memset((void *)sy, 0, sizeof(*sy));
	/* a forked child inherits the registered ports: its way to reach us */
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, &r0, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(dn_child(sy));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r0, &b, 0, LONG_TIMEOUT_MS));
	c = b.hdr.msgh_remote_port;
	/* as many rounds as 60 s allow on a slow kernel */
	end = now_ms() + 60000;
	for (i = 1; i <= DN_ROUNDS && now_ms() < end; i++) {
		mach_port_t r = new_port();

		ASSERT_TRUE(MACH_PORT_VALID(r));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send(c, MACH_MSG_TYPE_COPY_SEND, r,
						     MACH_MSG_TYPE_MAKE_SEND, DN_ID, 0, 0));
		alive = spin_until(&sy->go, i, pid, &st);
		/* sweep the moment of death across the child's request */
		for (j = 0; j < (i * 37) % 400; j++)
			__asm__ __volatile__("" ::: "memory");
		ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, r));
		if (alive)
			alive = spin_until(&sy->done, i, pid, &st);
		if (!alive)
			break;
	}
	if (alive && i <= DN_ROUNDS)
		EXPECT_EQ(MACH_MSG_SUCCESS, msg_send(c, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL,
						     0, DN_ID + 1, 0, 0));
	if (alive)
		st = wait_child(pid);
	else
		st = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	EXPECT_EQ(0, st);
	TH_LOG("%d rounds, %d requests armed, %d notifications lost", i - 1, sy->armed, sy->lost);
	EXPECT_EQ(0, sy->lost);
	mach_port_destroy(TASK, r0);
}

/* ------------------------------------------------------------------------
 * Finding 5 (b): a SEND_ONCE notification to a port at the kernel's queue
 * limit is skipped, as in XNU.  Destroying one undelivered released its
 * send-once right, which built the next notification to the same full
 * port, for ever (an unkillable task).  Fill a port to the limit with
 * send-once messages, then drop one more send-once right: the call must
 * return, and the queue stays at the limit.
 */
static int full_port_child(void *arg)
{
	mach_port_t q = new_port(), so;
	unsigned int i;

	(void)arg;
	if (!MACH_PORT_VALID(q))
		return 50;
	/* send-once messages pass the qlimit, up to the kernel's limit */
	for (i = 0; i < MACH_PORT_QLIMIT_KERNEL; i++)
		if (msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 7))
			return 51;
	if (msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 7) !=
	    MACH_SEND_NO_BUFFER)
		return 52;
	/* its SEND_ONCE notification finds the queue full */
	so = make_send_once(q);
	if (!MACH_PORT_VALID(so) || mach_port_deallocate(TASK, so))
		return 53;
	return msgcount(q) == MACH_PORT_QLIMIT_KERNEL ? 0 : 54;
}

TEST_F_TIMEOUT(slow, send_once_notification_skips_full_port, 240)
{
	int st = run_child(full_port_child, NULL, 200000);

	EXPECT_EQ(0, st) TH_LOG("child status %d (-1: still in the kernel)", st);
}

TEST_HARNESS_MAIN
