// SPDX-License-Identifier: GPL-2.0
/*
 * Port guards, immovable receive rights and EXC_GUARD against mach.ko, with
 * XNU's semantics (osfmk/ipc/mach_port.c mach_port_guard_locked /
 * unguard_locked / swap_guard / construct / destruct, ipc_right.c's guard
 * and immovable checks, ipc_kmsg.c's guarded port descriptors,
 * ipc_policy.c's mach_port_guard_exception; XNU's tests/ipc port guard
 * tests for the expected codes):
 *
 *  - a violation of a fatal flavor (DESTROY, SET_CONTEXT, UNGUARDED,
 *    INCORRECT_GUARD, ILLEGAL_MOVE) kills the process (SIGKILL, a kernel log
 *    line naming the flavor and the port); optional flavors (INVALID_NAME,
 *    INVALID_RIGHT, INVALID_ARGUMENT) kill only with
 *    TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL;
 *  - with TASK_EXC_GUARD_MP_DELIVER alone every violation only fails the
 *    call, with XNU's code (KERN_INVALID_ARGUMENT, KERN_INVALID_RIGHT for a
 *    guarded destroy, KERN_INVALID_CAPABILITY for an immovable move,
 *    MACH_SEND_INVALID_RIGHT in a message).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <mach/task.h>
#include <kern/exc_guard.h>

#define G1 0x1122334455667788ULL
#define G2 0x0badc0ffee0ddf00ULL

/* Violations fail the call instead of killing (the test's own process). */
static int nonfatal(void)
{
	return task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_DELIVER);
}

static uint32_t port_flags(mach_port_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_flags;
}

static mach_port_context_t context_of(mach_port_t p)
{
	mach_port_context_t c = 0xdeadbeef;

	if (mach_port_get_context(TASK, p, &c) != KERN_SUCCESS)
		return 0xdeadbeef;
	return c;
}

static mach_port_t guarded_port(uint64_t guard, uint64_t flags)
{
	mach_port_t p = new_port();

	if (MACH_PORT_VALID(p) && mach_port_guard_with_flags(TASK, p, guard, flags) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

static mach_port_t construct(uint32_t flags, uint64_t context)
{
	mach_port_options_t o;
	mach_port_t p = MACH_PORT_NULL;

	memset(&o, 0, sizeof(o));
	o.flags = flags;
	if (mach_port_construct(TASK, &o, context, &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* Send @name's receive right to @dest in a plain port descriptor. */
static mach_msg_return_t send_receive_right(mach_port_t dest, mach_port_t name)
{
	struct cmsg m;

	cm_init(&m, dest, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	cm_port(&m, name, MACH_MSG_TYPE_MOVE_RECEIVE);
	return cm_send(&m, 0, 0);
}

static mach_msg_return_t send_guarded(mach_port_t dest, mach_port_t name,
				      mach_msg_type_name_t disp, uint64_t context,
				      mach_msg_guard_flags_t flags)
{
	mach_msg_guarded_port_descriptor_t g;
	struct cmsg m;

	memset(&g, 0, sizeof(g));
	g.name = name;
	g.disposition = disp;
	g.context = context;
	g.flags = flags;
	g.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	cm_init(&m, dest, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
	cm_raw(&m, &g, sizeof(g));
	return cm_send(&m, 0, 0);
}

static mach_msg_guarded_port_descriptor_t *first_guarded(struct big_rcv *b)
{
	return (mach_msg_guarded_port_descriptor_t *)((mach_msg_base_t *)&b->hdr + 1);
}

/* ------------------------------------------------------------------------
 * The violations: each sets up a port, names it with target(), violates.
 */
static int report_fd = -1;
static mach_port_t sink;	/* a receive right messages go to */

static void target(mach_port_t name)
{
	if (report_fd >= 0 && write(report_fd, &name, sizeof(name)) != sizeof(name))
		_exit(3);
}

static kern_return_t v_unguard_unguarded(void)
{
	mach_port_t p = new_port();

	target(p);
	return mach_port_unguard(TASK, p, G1);
}

static kern_return_t v_unguard_wrong(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return mach_port_unguard(TASK, p, G2);
}

static kern_return_t v_swap_unguarded(void)
{
	mach_port_t p = new_port();

	target(p);
	return mach_port_swap_guard(TASK, p, 0, G2);
}

static kern_return_t v_swap_strict(void)
{
	mach_port_t p = guarded_port(G1, MPG_STRICT);

	target(p);
	return mach_port_swap_guard(TASK, p, G1, G2);
}

static kern_return_t v_swap_wrong(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return mach_port_swap_guard(TASK, p, G2, G1);
}

static kern_return_t v_set_context_strict(void)
{
	mach_port_t p = guarded_port(G1, MPG_STRICT);

	target(p);
	return mach_port_set_context(TASK, p, G2);
}

static kern_return_t v_destroy(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return mach_port_destroy(TASK, p);
}

static kern_return_t v_mod_refs(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
}

static kern_return_t v_destruct_wrong(void)
{
	mach_port_t p = construct(MPO_CONTEXT_AS_GUARD, G1);

	target(p);
	return mach_port_destruct(TASK, p, 0, G2);
}

static kern_return_t v_destruct_unguessed(void)
{
	/* a strict guard hidden from get_context still has to be given */
	mach_port_t p = construct(MPO_CONTEXT_AS_GUARD | MPO_STRICT, G1);

	target(p);
	return mach_port_destruct(TASK, p, 0, context_of(p));
}

static kern_return_t v_move_immovable(void)
{
	mach_port_t p = guarded_port(G1, MPG_IMMOVABLE_RECEIVE);

	target(p);
	return send_receive_right(sink, p);
}

static kern_return_t v_move_immovable_guarded(void)
{
	/* the right guard does not make an immovable right movable */
	mach_port_t p = guarded_port(G1, MPG_IMMOVABLE_RECEIVE);

	target(p);
	return send_guarded(sink, p, MACH_MSG_TYPE_MOVE_RECEIVE, G1,
			    MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
}

static kern_return_t v_move_exception_port(void)
{
	mach_port_t p = construct(MPO_EXCEPTION_PORT, 0);

	target(p);
	return send_receive_right(sink, p);
}

static kern_return_t v_extract_immovable(void)
{
	mach_port_t p = construct(MPO_CONTEXT_AS_GUARD | MPO_IMMOVABLE_RECEIVE, G1);
	mach_port_t poly = MACH_PORT_NULL;
	mach_msg_type_name_t pt = 0;

	target(p);
	return mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &pt);
}

static kern_return_t v_insert_immovable(void)
{
	mach_port_t p = guarded_port(G1, MPG_IMMOVABLE_RECEIVE);

	target(p);
	return mach_port_insert_right(TASK, 0x1403, p, MACH_MSG_TYPE_MOVE_RECEIVE);
}

static kern_return_t v_guarded_desc_wrong(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return send_guarded(sink, p, MACH_MSG_TYPE_MOVE_RECEIVE, G2,
			    MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
}

static kern_return_t v_guarded_desc_unguarded_claim(void)
{
	/* UNGUARDED_ON_SEND, but the port is guarded */
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return send_guarded(sink, p, MACH_MSG_TYPE_MOVE_RECEIVE, 0,
			    MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND);
}

static kern_return_t v_guarded_desc_not_guarded(void)
{
	/* a guard claimed for an unguarded port */
	mach_port_t p = new_port();

	target(p);
	return send_guarded(sink, p, MACH_MSG_TYPE_MOVE_RECEIVE, G1,
			    MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
}

struct violation {
	const char *what;
	const char *flavor;	/* as the kernel log names it */
	kern_return_t code;	/* what the call gives when not fatal */
	kern_return_t (*fn)(void);
};

static const struct violation fatal[] = {
	{ "unguard unguarded", "UNGUARDED", KERN_INVALID_ARGUMENT, v_unguard_unguarded },
	{ "unguard wrong guard", "INCORRECT_GUARD", KERN_INVALID_ARGUMENT, v_unguard_wrong },
	{ "swap unguarded", "UNGUARDED", KERN_INVALID_ARGUMENT, v_swap_unguarded },
	{ "swap strict", "SET_CONTEXT", KERN_INVALID_ARGUMENT, v_swap_strict },
	{ "swap wrong guard", "INCORRECT_GUARD", KERN_INVALID_ARGUMENT, v_swap_wrong },
	{ "set_context strict", "SET_CONTEXT", KERN_INVALID_ARGUMENT, v_set_context_strict },
	{ "destroy guarded", "DESTROY", KERN_INVALID_RIGHT, v_destroy },
	{ "mod_refs guarded", "DESTROY", KERN_INVALID_RIGHT, v_mod_refs },
	{ "destruct wrong guard", "DESTROY", KERN_INVALID_ARGUMENT, v_destruct_wrong },
	{ "destruct strict, context", "DESTROY", KERN_INVALID_ARGUMENT, v_destruct_unguessed },
	{ "move immovable", "ILLEGAL_MOVE", MACH_SEND_INVALID_RIGHT, v_move_immovable },
	{ "move immovable, guarded desc", "ILLEGAL_MOVE", MACH_SEND_INVALID_RIGHT,
	  v_move_immovable_guarded },
	{ "move exception port", "ILLEGAL_MOVE", MACH_SEND_INVALID_RIGHT, v_move_exception_port },
	{ "extract immovable", "ILLEGAL_MOVE", KERN_INVALID_CAPABILITY, v_extract_immovable },
	{ "insert immovable", "ILLEGAL_MOVE", KERN_INVALID_CAPABILITY, v_insert_immovable },
	{ "guarded desc wrong guard", "INCORRECT_GUARD", MACH_SEND_INVALID_RIGHT,
	  v_guarded_desc_wrong },
	{ "guarded desc claims unguarded", "INCORRECT_GUARD", MACH_SEND_INVALID_RIGHT,
	  v_guarded_desc_unguarded_claim },
	{ "guarded desc, port unguarded", "INCORRECT_GUARD", MACH_SEND_INVALID_RIGHT,
	  v_guarded_desc_not_guarded },
};

/* /dev/kmsg positioned at its end, or -1 (the log check is then skipped). */
static int kmsg_open_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Does a record written since kmsg_open_end contain @needle? */
static int kmsg_has(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;

	if (fd < 0)
		return 1;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (n <= 0)
			return 0;
		rec[n] = 0;
		if (strstr(rec, needle))
			return 1;
	}
}

/*
 * Run @v in a forked child with @behavior (0: the default); returns the
 * child's status (128 + SIGKILL when the guard killed it) and checks the
 * log line when @logged.
 */
static int run_child(struct __test_metadata *_metadata, const struct violation *v,
		     uint32_t behavior, const char *flavor)
{
	int fds[2], kfd, status;
	mach_port_t name = MACH_PORT_NULL;
	char needle[128];
	pid_t pid;

	if (pipe(fds))
		return -1;
	kfd = kmsg_open_end();
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		report_fd = fds[1];
		if (behavior && task_set_exc_guard_behavior(TASK, behavior) != KERN_SUCCESS)
			_exit(2);
		sink = new_port();
		v->fn();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &name, sizeof(name)) != sizeof(name))
		name = MACH_PORT_NULL;
	close(fds[0]);
	status = wait_child(pid);
	if (status == 128 + SIGKILL && flavor[0]) {
		snprintf(needle, sizeof(needle), "EXC_GUARD %s on mach port 0x%x (", flavor, name);
		EXPECT_TRUE(kmsg_has(kfd, needle)) TH_LOG("no log line \"%s\"", needle);
	}
	if (kfd >= 0)
		close(kfd);
	return status;
}

/* Every fatal flavor kills by default, and says so in the kernel log. */
TEST(violations_are_fatal)
{
	unsigned int i;

	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		const char *what = fatal[i].what;
		int st = run_child(_metadata, &fatal[i], 0, fatal[i].flavor);

		EXPECT_EQ(128 + SIGKILL, st) TH_LOG("%s", what);
	}
}

/* The same violations with TASK_EXC_GUARD_MP_DELIVER: XNU's code, port untouched. */
TEST(violations_nonfatal)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	unsigned int i;

	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	sink = new_port();
	ASSERT_TRUE(MACH_PORT_VALID(sink));
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		int fds[2];
		mach_port_t name = MACH_PORT_NULL;

		ASSERT_EQ(0, pipe(fds));
		report_fd = fds[1];
		EXPECT_EQ(fatal[i].code, fatal[i].fn()) TH_LOG("%s", fatal[i].what);
		report_fd = -1;
		ASSERT_EQ((ssize_t)sizeof(name), read(fds[0], &name, sizeof(name)));
		close(fds[0]);
		close(fds[1]);
		/* the refused operation changed nothing: the receive right is there */
		EXPECT_TRUE(ptype(name) & MACH_PORT_TYPE_RECEIVE) TH_LOG("%s", fatal[i].what);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(sink)) TH_LOG("%s", fatal[i].what);
		/* the port's owner can still get rid of it (every guard here is G1) */
		mach_port_unguard(TASK, name, G1);
		drop_name(name);
		EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(name)) TH_LOG("%s", fatal[i].what);
	}
	drop_name(sink);
	EXPECT_STATS_BASE(have, base);
}

/* And in a child, with TASK_EXC_GUARD_MP_DELIVER the process lives on. */
TEST(violations_nonfatal_child_lives)
{
	unsigned int i;

	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		const char *what = fatal[i].what;
		int st = run_child(_metadata, &fatal[i], TASK_EXC_GUARD_MP_DELIVER, "");

		EXPECT_EQ(0, st) TH_LOG("%s", what);
	}
}

/* Optional flavors: reported codes, not fatal by default (third-party default). */
static kern_return_t v_guard_no_name(void)
{
	target(0x7707);
	return mach_port_guard(TASK, 0x7707, G1, FALSE);
}

static kern_return_t v_guard_send_only(void)
{
	/* the task port: a send right */
	target(TASK);
	return mach_port_guard(TASK, TASK, G1, FALSE);
}

static kern_return_t v_guard_twice(void)
{
	mach_port_t p = guarded_port(G1, 0);

	target(p);
	return mach_port_guard(TASK, p, G2, FALSE);
}

static const struct violation optional[] = {
	{ "guard no such name", "INVALID_NAME", KERN_INVALID_NAME, v_guard_no_name },
	{ "guard a send right", "INVALID_RIGHT", KERN_INVALID_RIGHT, v_guard_send_only },
	{ "guard twice", "INVALID_ARGUMENT", KERN_INVALID_ARGUMENT, v_guard_twice },
};

TEST(optional_violations)
{
	unsigned int i;

	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		const char *what = optional[i].what;
		/* default: the call fails, the process lives */
		int st = run_child(_metadata, &optional[i], 0, "");

		EXPECT_EQ(0, st) TH_LOG("%s", what);
		/* DELIVER | FATAL (XNU's hardened default): killed, logged */
		st = run_child(_metadata, &optional[i],
			       TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL,
			       optional[i].flavor);
		EXPECT_EQ(128 + SIGKILL, st) TH_LOG("%s", what);
	}
	sink = new_port();
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		const char *what = optional[i].what;
		kern_return_t kr = optional[i].fn();

		EXPECT_EQ(optional[i].code, kr) TH_LOG("%s", what);
	}
}

/* mach_port_guard and mach_port_unguard, the plain way (and their non-guard errors). */
TEST(guard_unguard)
{
	mach_port_t p = new_port(), q;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, port_flags(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(TASK, p, G1, FALSE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(p));
	/* a plain guard is the context */
	EXPECT_EQ(G1, context_of(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, G1));
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(0, context_of(p));
	/* a guard of 0 is a guard */
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(TASK, p, 0, FALSE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, 0));

	/* checked before the name, and without a violation */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(TASK, MACH_PORT_NULL, G1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(TASK, MACH_PORT_DEAD, G1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_unguard(TASK, MACH_PORT_NULL, G1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_swap_guard(TASK, MACH_PORT_DEAD, G1, G2));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard_with_flags(TASK, MACH_PORT_NULL, G1, 0));
	q = new_port();
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_guard(q, p, G1, FALSE));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_unguard(q, p, G1));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_swap_guard(q, p, G1, G2));
	EXPECT_EQ(0, port_flags(p));
	drop_name(q);
	drop_name(p);
}

/* A port with a context, even unguarded, cannot be guarded (mach_port_guard_locked). */
TEST(guard_needs_empty_context)
{
	mach_port_t p = new_port();

	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, 5));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(TASK, p, G1, FALSE));
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(5, context_of(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_guard(TASK, p, G1, FALSE));
	drop_name(p);
}

/* set_context on a plain guard replaces it: the new value is the guard. */
TEST(set_context_moves_plain_guard)
{
	mach_port_t p = guarded_port(G1, 0);

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, G2));
	EXPECT_EQ(G2, context_of(p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(TASK, p, G1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, G2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
}

/* Strict guards: hidden from get_context, fixed, still given to unguard/destruct. */
TEST(strict_guard)
{
	mach_port_t p = new_port();

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(TASK, p, G1, TRUE));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  port_flags(p));
	EXPECT_EQ(0, context_of(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, G1));
	EXPECT_EQ(0, port_flags(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard_with_flags(TASK, p, G2, MPG_STRICT));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, G2));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
}

/* swap_guard replaces a plain guard given the old one. */
TEST(swap_guard)
{
	mach_port_t p = guarded_port(G1, 0);

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_swap_guard(TASK, p, G1, G2));
	EXPECT_EQ(G2, context_of(p));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_swap_guard(TASK, p, G2, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, 0));
	drop_name(p);
}

/* MPG_IMMOVABLE_RECEIVE is sticky: unguarding does not make the right movable. */
TEST(immovable_is_sticky)
{
	mach_port_t p = guarded_port(G1, MPG_IMMOVABLE_RECEIVE);

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	sink = new_port();
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE,
		  port_flags(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, G1));
	/* shown only while guarded, as XNU's status */
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_receive_right(sink, p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	/* but it can be destroyed once unguarded */
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	drop_name(sink);
}

/* The move of a guarded but movable right in a plain descriptor drops the guard. */
TEST(plain_move_unguards)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = guarded_port(G1, MPG_STRICT);
	struct big_rcv b;
	mach_msg_port_descriptor_t *d;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_receive_right(c, p));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, 0));
	d = (mach_msg_port_descriptor_t *)((mach_msg_base_t *)&b.hdr + 1);
	EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (unsigned int)d->type);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(d->name));
	EXPECT_EQ(0, port_flags(d->name));
	EXPECT_EQ(0, context_of(d->name));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, d->name));
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* Guarded descriptor, MACH_RCV_GUARDED_DESC, IMMOVABLE_RECEIVE: guarded by the buffer. */
TEST(guarded_desc_immovable)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = guarded_port(G1, 0), r;
	mach_msg_guarded_port_descriptor_t *g;
	struct big_rcv b;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	ASSERT_EQ(MACH_MSG_SUCCESS, send_guarded(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, G1,
						 MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, MACH_RCV_GUARDED_DESC, 0));
	EXPECT_EQ(1, msg_desc_count(&b.hdr));
	/* same size as sent: the descriptor stays a guarded one */
	EXPECT_EQ(sizeof(mach_msg_base_t) + sizeof(*g), b.hdr.msgh_size);
	g = first_guarded(&b);
	r = g->name;
	EXPECT_EQ(MACH_MSG_GUARDED_PORT_DESCRIPTOR, (unsigned int)g->type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (unsigned int)g->disposition);
	EXPECT_EQ(MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, (unsigned int)g->flags);
	/* XNU: the guard is the receive buffer's address */
	EXPECT_EQ((uint64_t)(uintptr_t)&b, g->context);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE,
		  port_flags(r));
	EXPECT_EQ(g->context, context_of(r));
	/* immovable now */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_receive_right(c, r));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_destroy(TASK, r));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, r, 0, g->context));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(r));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* Guarded descriptor of an unguarded port (UNGUARDED_ON_SEND): comes out plain. */
TEST(guarded_desc_unguarded)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = new_port(), r;
	mach_msg_guarded_port_descriptor_t *g;
	struct big_rcv b;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_guarded(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, 0,
						 MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, MACH_RCV_GUARDED_DESC, 0));
	g = first_guarded(&b);
	r = g->name;
	EXPECT_EQ(MACH_MSG_GUARDED_PORT_DESCRIPTOR, (unsigned int)g->type);
	EXPECT_EQ(MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, (unsigned int)g->flags);
	EXPECT_EQ(0, g->context);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	EXPECT_EQ(0, port_flags(r));
	/* movable */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_receive_right(c, r));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, 0));
	drop_name(((mach_msg_port_descriptor_t *)first_guarded(&b))->name);

	/*
	 * A strictly guarded port, its guard given (the flags can then only
	 * be IMMOVABLE_RECEIVE): arrives guarded by the receive buffer, not
	 * by the sender's guard, and not strictly.
	 */
	p = guarded_port(G2, MPG_STRICT);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_guarded(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, G2,
						 MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, MACH_RCV_GUARDED_DESC, 0));
	g = first_guarded(&b);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE,
		  port_flags(g->name));
	EXPECT_EQ((uint64_t)(uintptr_t)&b, g->context);
	EXPECT_EQ(MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, (unsigned int)g->flags);
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, g->name, g->context));
	drop_name(g->name);
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* Without MACH_RCV_GUARDED_DESC the receiver does not get the right (XNU destroys it). */
TEST(guarded_desc_not_accepted)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = guarded_port(G1, 0), s = MACH_PORT_NULL;
	mach_msg_guarded_port_descriptor_t *g;
	mach_msg_type_name_t t = 0;
	struct big_rcv b;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	/* a send right to the port, to see it die */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	EXPECT_EQ(p, s);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_guarded(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, G1,
						 MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, 0));
	g = first_guarded(&b);
	EXPECT_EQ(MACH_MSG_GUARDED_PORT_DESCRIPTOR, (unsigned int)g->type);
	EXPECT_EQ(MACH_PORT_NULL, g->name);
	EXPECT_EQ(0, g->context);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	drop_name(p);
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* Guarded descriptors XNU refuses at send: MACH_SEND_INVALID_TYPE, nothing moves. */
TEST(guarded_desc_invalid_type)
{
	static const struct {
		mach_msg_type_name_t disp;
		uint64_t context;
		mach_msg_guard_flags_t flags;
	} bad[] = {
		{ MACH_MSG_TYPE_MAKE_SEND, G1, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE },
		{ MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND },
		{ MACH_MSG_TYPE_MOVE_RECEIVE, G1, 0 },
		{ MACH_MSG_TYPE_MOVE_RECEIVE, G1, 4 | MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE },
		{ MACH_MSG_TYPE_MOVE_RECEIVE, G1, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND },
	};
	mach_port_t c = new_port(), p = guarded_port(G1, 0);
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_TYPE,
			  send_guarded(c, p, bad[i].disp, bad[i].context, bad[i].flags))
			TH_LOG("case %u", i);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(p));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	/* MACH_PORT_NULL in a well-formed one is fine */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_guarded(c, MACH_PORT_NULL, MACH_MSG_TYPE_MOVE_RECEIVE,
						 0, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, G1));
	drop_name(p);
	drop_name(c);
}

/* A guarded descriptor whose message cannot be delivered gives the right back. */
TEST(guarded_desc_destroyed_with_message)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = guarded_port(G1, 0);

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_guarded(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, G1,
						 MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE));
	/* the queued message dies with its port, and the right in it */
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/*
 * A send that fails after copyin hands the message back (pseudo-receive):
 * the receive right returns to the sender, guarded with the descriptor's
 * context, and movable (only a real receive makes it immovable).
 */
TEST(guarded_desc_pseudo_receive)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port(), p = guarded_port(G1, 0), r;
	mach_msg_guarded_port_descriptor_t g, *back;
	struct cmsg m;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(c, 0));
	memset(&g, 0, sizeof(g));
	g.name = p;
	g.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	g.context = G1;
	g.flags = MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE;
	g.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9);
	cm_raw(&m, &g, sizeof(g));
	ASSERT_EQ(MACH_SEND_TIMED_OUT, cm_send(&m, 0, 0));
	back = (mach_msg_guarded_port_descriptor_t *)m.desc;
	r = back->name;
	EXPECT_EQ(MACH_MSG_GUARDED_PORT_DESCRIPTOR, (unsigned int)back->type);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(r));
	EXPECT_EQ(G1, context_of(r));
	EXPECT_EQ(G1, back->context);
	/* movable: a plain move goes through (and drops the guard) */
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(c, 5));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_receive_right(c, r));
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* task_get/set_exc_guard_behavior: XNU release-kernel rules, per task. */
TEST(exc_guard_behavior)
{
	task_exc_guard_behavior_t b = 0xdead;
	mach_port_t q = new_port();
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, task_get_exc_guard_behavior(TASK, &b));
	EXPECT_EQ(TASK_EXC_GUARD_NONE, b);
	EXPECT_EQ(KERN_INVALID_VALUE, task_set_exc_guard_behavior(TASK, 0x100));
	/* ONCE cannot be turned on */
	EXPECT_EQ(KERN_DENIED, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_ONCE |
							       TASK_EXC_GUARD_MP_DELIVER));
	EXPECT_EQ(KERN_INVALID_TASK, task_set_exc_guard_behavior(q, TASK_EXC_GUARD_MP_DELIVER));
	EXPECT_EQ(KERN_INVALID_TASK, task_get_exc_guard_behavior(q, &b));
	ASSERT_EQ(KERN_SUCCESS, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_DELIVER |
							      TASK_EXC_GUARD_VM_CORPSE));
	ASSERT_EQ(KERN_SUCCESS, task_get_exc_guard_behavior(TASK, &b));
	EXPECT_EQ(TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_VM_CORPSE, b);
	/* DELIVER and FATAL cannot be turned off; CORPSE can */
	EXPECT_EQ(KERN_DENIED, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_NONE));
	EXPECT_EQ(KERN_SUCCESS, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_DELIVER |
							      TASK_EXC_GUARD_MP_FATAL));
	EXPECT_EQ(KERN_DENIED, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_DELIVER));
	ASSERT_EQ(KERN_SUCCESS, task_get_exc_guard_behavior(TASK, &b));
	EXPECT_EQ(TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL, b);
	/* a forked child is a new task with the default */
	pid = fork();
	if (pid == 0) {
		b = 0xdead;
		EXPECT_EQ(KERN_SUCCESS, task_get_exc_guard_behavior(TASK, &b));
		EXPECT_EQ(TASK_EXC_GUARD_NONE, b);
		CHILD_EXIT();
	}
	EXPECT_EQ(0, wait_child(pid));
	drop_name(q);
}

/* mach_port_construct's options, as XNU honours or accepts them. */
TEST(construct_options)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_options_t o;
	mach_port_t p, c = new_port();

	ASSERT_EQ(KERN_SUCCESS, nonfatal());
	p = construct(MPO_CONTEXT_AS_GUARD, G1);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED, port_flags(p));
	EXPECT_EQ(G1, context_of(p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_destruct(TASK, p, 0, G2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, G1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));

	p = construct(MPO_CONTEXT_AS_GUARD | MPO_STRICT | MPO_INSERT_SEND_RIGHT, G1);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  port_flags(p));
	EXPECT_EQ(0, context_of(p));
	/* ipc_right_destruct's order: srdelta > 0, then the guard, then the urefs */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_destruct(TASK, p, 1, G2));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_destruct(TASK, p, -5, G2));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_destruct(TASK, p, -5, G1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, -1, G1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));

	p = construct(MPO_CONTEXT_AS_GUARD | MPO_IMMOVABLE_RECEIVE, G1);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE,
		  port_flags(p));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_receive_right(c, p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, G1));

	/* MPO_STRICT and MPO_IMMOVABLE_RECEIVE need MPO_CONTEXT_AS_GUARD */
	p = construct(MPO_STRICT | MPO_IMMOVABLE_RECEIVE, G2);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(G2, context_of(p));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_receive_right(c, p));
	EXPECT_EQ(1, msgcount(c));

	/* importance bits are status only */
	p = construct(MPO_TEMPOWNER, 0);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_TEMPOWNER | MACH_PORT_STATUS_FLAG_IMP_DONATION,
		  port_flags(p));
	drop_name(p);
	p = construct(MPO_IMPORTANCE_RECEIVER, 0);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_IMP_DONATION, port_flags(p));
	drop_name(p);
	p = construct(MPO_DENAP_RECEIVER, 0);
	EXPECT_EQ(MACH_PORT_STATUS_FLAG_IMP_DONATION, port_flags(p));
	drop_name(p);

	/* reply-port kinds: accepted, no rules for a third-party task (XNU) */
	p = construct(MPO_REPLY_PORT, 0);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	drop_name(p);
	mach_port_deallocate(TASK, p);
	p = construct(MPO_PROVISIONAL_REPLY_PORT | MPO_FILTER_MSG, 0);
	EXPECT_TRUE(MACH_PORT_VALID(p));
	drop_name(p);

	/* at most one of each group; privileged kinds refused */
	memset(&o, 0, sizeof(o));
	p = MACH_PORT_NULL;
	o.flags = MPO_REPLY_PORT | MPO_EXCEPTION_PORT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(TASK, &o, 0, &p));
	o.flags = MPO_REPLY_PORT | MPO_PROVISIONAL_REPLY_PORT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(TASK, &o, 0, &p));
	o.flags = MPO_SERVICE_PORT | MPO_CONNECTION_PORT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(TASK, &o, 0, &p));
	o.flags = MPO_SERVICE_PORT;
	EXPECT_EQ(KERN_DENIED, mach_port_construct(TASK, &o, 0, &p));
	o.flags = MPO_TG_BLOCK_TRACKING;
	EXPECT_EQ(KERN_DENIED, mach_port_construct(TASK, &o, 0, &p));
	o.flags = MPO_CONNECTION_PORT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(TASK, &o, 0, &p));
	/* the group checks come before the qlimit check */
	o.flags = MPO_SERVICE_PORT | MPO_TG_BLOCK_TRACKING | MPO_QLIMIT;
	o.mpl.mpl_qlimit = 5000;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_construct(TASK, &o, 0, &p));
	EXPECT_EQ(MACH_PORT_NULL, p);

	/* MPO_EXCEPTION_PORT: immovable, not guarded */
	p = construct(MPO_EXCEPTION_PORT, 0);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, port_flags(p));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, send_receive_right(c, p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

/* A process that exits with guarded ports violates nothing. */
TEST(exit_with_guarded_ports)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	pid_t pid = fork();

	if (pid == 0) {
		mach_port_t p = guarded_port(G1, MPG_STRICT | MPG_IMMOVABLE_RECEIVE);
		mach_port_t q = construct(MPO_CONTEXT_AS_GUARD | MPO_INSERT_SEND_RIGHT, G2);

		EXPECT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(q));
		CHILD_EXIT();
	}
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
