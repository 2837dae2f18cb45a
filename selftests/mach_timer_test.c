// SPDX-License-Identifier: GPL-2.0
/*
 * Mach timers (<mach/mk_timer.h>) against mach.ko, with XNU's semantics
 * (osfmk/kern/mk_timer.c): a timer is a receive right that gets an
 * mk_timer_expire_msg_t (msgh_id 0) once an armed deadline passes; re-arming
 * moves the deadline; cancel reports the armed deadline (0 if none); at
 * most one expiry message is queued; the timer dies with its port.
 * Errors as XNU's traps: KERN_INVALID_NAME, KERN_INVALID_RIGHT (no receive
 * right), KERN_INVALID_ARGUMENT (not a timer), KERN_FAILURE (result_time
 * not writable).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <mach/mk_timer.h>
#include <mach/mach_time.h>
#include <signal.h>

#define MS (1000000ULL)

/* The module's live timer count, or -1 without debugfs. */
static long live_timers(void)
{
	return LIVE_STAT(timers);
}

static int timers_back_to(long base, int ms)
{
	return live_back_to(live_timers, base, ms);
}

/* Receive one expiry message on @port within @ms and check its shape. */
static int expect_expiry(struct __test_metadata *_metadata, mach_port_t port,
			 mach_port_t timer, unsigned int ms)
{
	struct rcv_buf b;
	mk_timer_expire_msg_t *m = (mk_timer_expire_msg_t *)&b.hdr;
	mach_msg_return_t mr = msg_recv(port, &b, 0, ms);

	EXPECT_EQ(MACH_MSG_SUCCESS, mr);
	if (mr != MACH_MSG_SUCCESS)
		return -1;
	EXPECT_EQ(sizeof(mk_timer_expire_msg_t), b.hdr.msgh_size);
	EXPECT_EQ(0, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(timer, b.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, b.hdr.msgh_remote_port);
	EXPECT_EQ(0, m->unused[0] | m->unused[1] | m->unused[2]);
	return 0;
}

TEST(create)
{
	mach_port_t t = mk_timer_create(), u = mk_timer_create();

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_TRUE(MACH_PORT_VALID(u));
	EXPECT_NE(t, u);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(t));
	EXPECT_EQ(0, srights(t));
	EXPECT_EQ(0, msgcount(t));
	/* unarmed: nothing arrives */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(t));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(t));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(u));
}

TEST(fires_at_deadline)
{
	mach_port_t t = mk_timer_create();
	uint64_t deadline;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	deadline = mach_absolute_time() + 30 * MS;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, deadline));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 5000));
	EXPECT_GE(mach_absolute_time(), deadline);
	/* one message per arming: nothing more */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(t));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(t));
	EXPECT_EQ(0, srights(t));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

TEST(not_before_deadline)
{
	mach_port_t t = mk_timer_create();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 400 * MS));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(t, &b, 0, 100));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 5000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* A deadline already past fires at once; so does 0. */
TEST(past_deadline)
{
	mach_port_t t = mk_timer_create();

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, 0));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 2000));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() - 1));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 2000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

TEST(arm_leeway)
{
	mach_port_t t = mk_timer_create();
	uint64_t deadline;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	deadline = mach_absolute_time() + 20 * MS;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm_leeway(t, MK_TIMER_CRITICAL, deadline, 5 * MS));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 5000));
	EXPECT_GE(mach_absolute_time(), deadline);
	deadline = mach_absolute_time() + 20 * MS;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm_leeway(t, MK_TIMER_NORMAL, deadline, 0));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 5000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* Re-arming an armed timer moves its deadline: one message, at the new one. */
TEST(rearm_moves_deadline)
{
	mach_port_t t = mk_timer_create();
	uint64_t late, got = 0;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 50 * MS));
	late = mach_absolute_time() + 400 * MS;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, late));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(t, &b, 0, 200));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_EQ(late, got);
	/* and earlier again */
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 400 * MS));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 10 * MS));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 300));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(t, &b, 0, 500));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

TEST(cancel)
{
	mach_port_t t = mk_timer_create();
	uint64_t deadline, got = 77;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	/* not armed: success, result 0 */
	ASSERT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_EQ(0, got);
	EXPECT_EQ(KERN_SUCCESS, mk_timer_cancel(t, NULL));

	deadline = mach_absolute_time() + 100 * MS;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, deadline));
	got = 0;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_EQ(deadline, got);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(t, &b, 0, 300));
	/* cancelled twice: the second finds nothing armed */
	got = 5;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_EQ(0, got);

	/* after it fired it is no longer armed */
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, 0));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 2000));
	got = 5;
	ASSERT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_EQ(0, got);

	/* result_time not writable: KERN_FAILURE, and the timer is cancelled anyway */
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 100 * MS));
	EXPECT_EQ(KERN_FAILURE, mk_timer_cancel(t, (uint64_t *)8));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(t, &b, 0, 300));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* XNU's one preallocated message: a deadline passing while it is queued sends nothing. */
TEST(one_message_queued)
{
	mach_port_t t = mk_timer_create();

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, 0));
	sleep_ms(100);
	EXPECT_EQ(1, msgcount(t));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, 0));
	sleep_ms(100);
	EXPECT_EQ(1, msgcount(t));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 1000));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(t));
	/* received: the next deadline sends again */
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, 0));
	ASSERT_EQ(0, expect_expiry(_metadata, t, t, 2000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* The timer's port is an ordinary queue: user messages and sets work on it. */
TEST(ordinary_port)
{
	mach_port_t t = mk_timer_create(), s = MACH_PORT_NULL;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(t, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x4321));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(t, &b, 0, 1000));
	EXPECT_EQ(0x4321, b.hdr.msgh_id);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, t, s));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 20 * MS));
	ASSERT_EQ(0, expect_expiry(_metadata, s, t, 5000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* The receive right moves in a message; the timer fires at its new name. */
TEST(moved_receive_right)
{
	mach_port_t t = mk_timer_create(), q = new_port(), t2;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 200 * MS));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(q, t, MACH_MSG_TYPE_MOVE_RECEIVE, 7));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(t));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(q, &b, 0, 1000));
	t2 = ((mach_msg_port_descriptor_t *)((mach_msg_base_t *)&b.hdr + 1))->name;
	ASSERT_TRUE(MACH_PORT_VALID(t2));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(t2));
	ASSERT_EQ(0, expect_expiry(_metadata, t2, t2, 5000));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t2));
}

TEST(errors)
{
	mach_port_t t = mk_timer_create(), p = new_port(), s = new_port_send(), d = MACH_PORT_NULL;
	mach_port_name_t x = stale_name();
	uint64_t got = 9;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	/* a send right alone: s's send right under another name via extract */
	{
		mach_port_t so = MACH_PORT_NULL;
		mach_msg_type_name_t at;

		ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, t, MACH_MSG_TYPE_MAKE_SEND_ONCE,
								&so, &at));
		EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_arm(so, 0));
		EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_cancel(so, NULL));
		EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_destroy(so));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(t, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
		EXPECT_EQ(2, msgcount(t));
	}
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_arm(MACH_PORT_NULL, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_arm(MACH_PORT_DEAD, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_arm(x, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_arm_leeway(x, 0, 0, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_cancel(x, &got));
	EXPECT_EQ(9, got);
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_destroy(x));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_destroy(MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_arm(d, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_destroy(d));
	EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_arm(mach_task_self(), 0));
	/* a receive right that is not a timer */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mk_timer_arm(p, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mk_timer_cancel(p, &got));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mk_timer_destroy(p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mk_timer_destroy(s));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(s));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
}

/* Destroying an armed timer, by any route, stops it and frees it. */
TEST(destroy_while_armed)
{
	long base = live_timers();
	mach_port_t t = mk_timer_create(), u = mk_timer_create(), v;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_TRUE(MACH_PORT_VALID(u));
	if (base >= 0)
		EXPECT_EQ(base + 2, live_timers());
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 30 * MS));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(u, mach_absolute_time() + 30 * MS));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, u, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(t));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_arm(t, 0));
	/* one with its expiry message still queued */
	v = mk_timer_create();
	ASSERT_TRUE(MACH_PORT_VALID(v));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(v, 0));
	sleep_ms(100);
	EXPECT_EQ(1, msgcount(v));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_destroy(v));
	sleep_ms(100);
	EXPECT_EQ(0, timers_back_to(base, 3000));
}

/* A SIGKILLed owner's timers go with its space, armed or not. */
TEST(sigkilled_owner)
{
	long base = live_timers();
	int fds[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t a = mk_timer_create(), b = mk_timer_create(), c = mk_timer_create();

		close(fds[0]);
		if (!MACH_PORT_VALID(a) || !MACH_PORT_VALID(b) || !MACH_PORT_VALID(c))
			_exit(1);
		mk_timer_arm(a, mach_absolute_time() + 50 * MS);
		mk_timer_arm(b, 0);
		mk_timer_arm_leeway(c, 0, mach_absolute_time() + 10000 * MS, 0);
		pipe_signal(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	ASSERT_EQ(0, pipe_wait(fds[0]));
	close(fds[0]);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	wait_child(pid);
	EXPECT_EQ(0, timers_back_to(base, 3000));
	sleep_ms(150);
}

/*
 * mk_timer_destroy goes through mach_port_destroy in XNU (mk_timer.c), so
 * a guarded timer port is a DESTROY guard violation: KERN_INVALID_RIGHT
 * with TASK_EXC_GUARD_MP_DELIVER alone, and the timer lives on.
 */
TEST(destroy_guarded)
{
	mach_port_t t = mk_timer_create();
	uint64_t got = 0;

	ASSERT_TRUE(MACH_PORT_VALID(t));
	ASSERT_EQ(KERN_SUCCESS, task_set_exc_guard_behavior(mach_task_self(),
							    TASK_EXC_GUARD_MP_DELIVER));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), t, 0x5eed, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mk_timer_arm(t, mach_absolute_time() + 10000 * MS));
	EXPECT_EQ(KERN_INVALID_RIGHT, mk_timer_destroy(t));
	/* still a timer: it can be cancelled, and goes once unguarded */
	EXPECT_EQ(KERN_SUCCESS, mk_timer_cancel(t, &got));
	EXPECT_NE(0, got);
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), t, 0x5eed));
	EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(t));
	EXPECT_EQ(KERN_INVALID_NAME, mk_timer_destroy(t));
}

TEST_HARNESS_MAIN
