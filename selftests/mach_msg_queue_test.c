// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg: queues, blocking, timeouts, signals, pseudo-receive and death.
 *
 * Covers mach-semantics.md: §1.4 (queueing rule, qlimit blocking, one woken
 * sender per freed slot, raising the qlimit, send-once destinations bypassing
 * the limit, SEND_TIMEOUT, SEND_INTERRUPTED, pseudo-receive on TIMED_OUT and
 * INTERRUPTED, a destination that dies while the sender is blocked, FIFO,
 * handoff to a waiting receiver and its TOO_LARGE / RCV_LARGE cases), §1.5
 * (RCV_INVALID_NAME, RCV_TIMEOUT, RCV_PORT_CHANGED, RCV_INTERRUPTED), §1.8
 * (qlimit 0 and 1, msgcount), §1.9 (a destroyed message's send-once right
 * notifies), §1.14 (libmach retries interrupted calls unless the INTERRUPT
 * options ask otherwise).
 *
 * Peers that must be blocked are threads whose /proc state is polled until
 * they sleep (wait_task_blocked), never a bare sleep.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

static volatile int sigusr1_count;

static void sigusr1_handler(int sig)
{
	(void)sig;
	__atomic_add_fetch(&sigusr1_count, 1, __ATOMIC_SEQ_CST);
}

/* SIGUSR1 with a handler and without SA_RESTART. */
static int install_sigusr1(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigusr1_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigusr1_count = 0;
	return sigaction(SIGUSR1, &sa, NULL);
}

static int wait_sigusr1(int n)
{
	int64_t end = now_ms() + 10000;

	while (__atomic_load_n(&sigusr1_count, __ATOMIC_SEQ_CST) < n) {
		if (now_ms() > end)
			return -1;
		sleep_ms(2);
	}
	return 0;
}

/* A port with a send right, qlimit q, and q messages queued (ids 1..q). */
static mach_port_t full_port(unsigned int q)
{
	mach_port_t p = new_port_send();
	unsigned int i;

	if (p == MACH_PORT_NULL || set_qlimit(p, q) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	for (i = 0; i < q; i++)
		if (msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, (mach_msg_id_t)(i + 1)) != MACH_MSG_SUCCESS)
			return MACH_PORT_NULL;
	return p;
}

/* §1.5: rcv_name must be a receive right (or a set); else MACH_RCV_INVALID_NAME. */
TEST(rcv_invalid_name)
{
	mach_port_t p = new_port(), so, d = MACH_PORT_NULL;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(MACH_PORT_NULL, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(MACH_PORT_DEAD, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(stale_name(), &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(d, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(so, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(mach_task_self(), &b, 0, 0));
	/* without RCV_TIMEOUT too: it must not block */
	EXPECT_EQ(MACH_RCV_INVALID_NAME,
		  mach_msg(&b.hdr, MACH_RCV_MSG, 0, sizeof(b), d, 0, MACH_PORT_NULL));
}

/* §1.5: RCV_TIMEOUT 0 polls; §1.4: any send error returns before the receive. */
TEST(rcv_timeout_poll)
{
	mach_port_t p = new_port();
	struct rcv_buf b;
	int64_t t0;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	t0 = now_ms();
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(p, &b, 0, 0));
	EXPECT_GT(2000, now_ms() - t0);

	/* send+receive: a failing send skips the receive (no wait at all) */
	memset(&b, 0, sizeof(b));
	b.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, 0);
	b.hdr.msgh_remote_port = p;	/* receive-only: INVALID_DEST */
	t0 = now_ms();
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  mach_msg(&b.hdr, MACH_SEND_MSG | MACH_RCV_MSG, 24, sizeof(b), p, 0, MACH_PORT_NULL));
	EXPECT_GT(2000, now_ms() - t0);
}

/* §1.5: a 100 ms receive timeout waits at least 100 ms (generous upper bound). */
TEST(rcv_timeout_waits)
{
	mach_port_t p = new_port();
	struct rcv_buf b;
	int64_t t0, dt;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	t0 = now_ms();
	EXPECT_EQ(MACH_RCV_TIMED_OUT, msg_recv(p, &b, 0, 100));
	dt = now_ms() - t0;
	EXPECT_LE(90, dt);	/* jiffy rounding: never assert tight timings */
	EXPECT_GT(5000, dt);
}

/* §1.4/§1.8: qlimit 1: the second send with SEND_TIMEOUT 0 -> SEND_TIMED_OUT; 100 ms waits. */
TEST(send_timeout)
{
	mach_port_t p = full_port(1);
	int64_t t0, dt;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(1, msgcount(p));
	t0 = now_ms();
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, MACH_SEND_TIMEOUT, 0));
	EXPECT_GT(2000, now_ms() - t0);
	t0 = now_ms();
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3, MACH_SEND_TIMEOUT, 100));
	dt = now_ms() - t0;
	EXPECT_LE(90, dt);	/* jiffy rounding: never assert tight timings */
	EXPECT_GT(5000, dt);
	EXPECT_EQ(1, msgcount(p));
	/* the default qlimit is 5 */
	{
		mach_port_t q = new_port();
		int i;

		ASSERT_TRUE(MACH_PORT_VALID(q));
		for (i = 0; i < 5; i++)
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, i));
		EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 5));
		EXPECT_EQ(5, msgcount(q));
	}
}

/* §1.4: FIFO per port; seqnos count up from 0 (§1.6). */
TEST(fifo_order)
{
	mach_port_t p = new_port();
	struct rcv_buf b;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 100 + i));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_recv(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
		EXPECT_EQ(100 + i, b.hdr.msgh_id);
		EXPECT_EQ((unsigned int)i, msg_trailer(&b.hdr)->msgh_seqno);
	}
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.4: a blocked sender is woken when a message is received, and its message is queued. */
TEST(blocked_sender_woken_by_receive)
{
	mach_port_t p = full_port(1);
	struct msg_thread t;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, start_blocked_sender(&t, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0));
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
}

/* §1.4: blocked senders are woken one per freed slot; the queue never exceeds qlimit. */
TEST(blocked_senders_one_per_slot)
{
	mach_port_t p = full_port(1);
	struct msg_thread t1, t2;
	struct rcv_buf b;
	int64_t end;
	int first;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, start_blocked_sender(&t1, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0));
	ASSERT_EQ(0, start_blocked_sender(&t2, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3, 0));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	end = now_ms() + 10000;
	while (!t1.done && !t2.done && now_ms() < end)
		sleep_ms(2);
	ASSERT_TRUE(t1.done || t2.done);
	first = t1.done ? 1 : 2;
	/* one slot freed: the other sender must still be blocked */
	sleep_ms(100);
	EXPECT_FALSE(t1.done && t2.done);
	EXPECT_EQ(1, msgcount(p));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(first == 1 ? 2 : 3, b.hdr.msgh_id);
	ASSERT_EQ(0, msg_thread_wait_done(&t1, 10000));
	ASSERT_EQ(0, msg_thread_wait_done(&t2, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t1.ret);
	EXPECT_EQ(MACH_MSG_SUCCESS, t2.ret);
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(first == 1 ? 3 : 2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.4: raising the qlimit wakes up to (new - old) blocked senders. */
TEST(raising_qlimit_wakes_senders)
{
	mach_port_t p = full_port(0);
	struct msg_thread t1, t2;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	/* §1.8: qlimit 0 is legal, and every send to a send right blocks */
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(0, start_blocked_sender(&t1, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0));
	ASSERT_EQ(0, start_blocked_sender(&t2, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0));
	EXPECT_EQ(0, msgcount(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 2));
	ASSERT_EQ(0, msg_thread_wait_done(&t1, 10000));
	ASSERT_EQ(0, msg_thread_wait_done(&t2, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t1.ret);
	EXPECT_EQ(MACH_MSG_SUCCESS, t2.ret);
	EXPECT_EQ(2, msgcount(p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
}

/* §1.4, §1.8, §1.9: a send-once destination bypasses the qlimit, even 0. */
TEST(send_once_bypasses_qlimit)
{
	mach_port_t p = full_port(0), so;
	struct rcv_buf b;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 10 + i));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 18));
	EXPECT_EQ(9, msgcount(p));
	EXPECT_EQ(1, srights(p));	/* only our own send right */
	for (i = 0; i < 9; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(b.hdr.msgh_bits));
	}
	EXPECT_EQ(0, sorights(p));
}

/* §1.4 pseudo-receive on MACH_SEND_TIMED_OUT: the message comes back, rights reinstalled. */
TEST(pseudo_receive_on_timeout)
{
	mach_port_t p = full_port(1), r = new_port(), so;
	struct small_msg m;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2);
	ASSERT_EQ(MACH_SEND_TIMED_OUT,
		  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, 0, 0, 0));
	/* header not swapped: remote is still the destination, now MOVE_SEND (17) */
	EXPECT_EQ(p, m.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND, MACH_MSGH_BITS_REMOTE(m.hdr.msgh_bits));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	/* the MAKE_SEND_ONCE reply is back as a new send-once name, bits 18 */
	so = m.hdr.msgh_local_port;
	EXPECT_TRUE(MACH_PORT_VALID(so));
	EXPECT_NE(r, so);
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSGH_BITS_LOCAL(m.hdr.msgh_bits));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(r));
	EXPECT_EQ(0, mscount(r));
	/* body untouched, nothing queued */
	EXPECT_EQ(2, m.hdr.msgh_id);
	EXPECT_EQ(0x11223344, m.body[0]);
	EXPECT_EQ(1, msgcount(p));

	/* the same timeout after a real wait hands it back the same way */
	{
		struct small_msg m2;

		msg_init(&m2, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3);
		ASSERT_EQ(MACH_SEND_TIMED_OUT,
			  mach_msg(&m2.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m2), 0, 0, 50, 0));
		EXPECT_EQ(p, m2.hdr.msgh_remote_port);
		EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), MACH_MSGH_BITS_PORTS(m2.hdr.msgh_bits));
		EXPECT_EQ(3, urefs(p, MACH_PORT_RIGHT_SEND));
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -1));
	}

	/* make room and resend the handed-back message as it is */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, 0, 0, 0));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	EXPECT_EQ(1, sorights(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	/* and the reply reaches r */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(b.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 4));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(4, b.hdr.msgh_id);
	EXPECT_EQ(0, sorights(r));
}

/* §1.5, §1.14: a signal during a blocking receive with RCV_INTERRUPT -> MACH_RCV_INTERRUPTED. */
TEST(rcv_interrupted)
{
	mach_port_t p = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, install_sigusr1());
	ASSERT_EQ(0, start_blocked_receiver(&t, p, MACH_RCV_INTERRUPT));
	ASSERT_EQ(0, pthread_kill(t.thread, SIGUSR1));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
	EXPECT_EQ(MACH_RCV_INTERRUPTED, t.ret);
	EXPECT_EQ(1, sigusr1_count);
	/* the port is fine afterwards */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.14: without RCV_INTERRUPT libmach retries the receive; the message then arrives. */
TEST(rcv_interrupt_retried)
{
	mach_port_t p = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, install_sigusr1());
	ASSERT_EQ(0, start_blocked_receiver(&t, p, 0));
	ASSERT_EQ(0, pthread_kill(t.thread, SIGUSR1));
	ASSERT_EQ(0, wait_sigusr1(1));
	/* blocked again in the retried receive */
	ASSERT_EQ(0, wait_task_blocked(getpid(), t.tid));
	EXPECT_FALSE(t.done);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x77));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(0x77, t.buf.hdr.msgh_id);
}

/* §1.4: SEND_INTERRUPT + a signal -> MACH_SEND_INTERRUPTED with the message handed back. */
TEST(send_interrupted)
{
	mach_port_t p = full_port(1);
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, install_sigusr1());
	ASSERT_EQ(0, start_blocked_sender(&t, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, MACH_SEND_INTERRUPT));
	ASSERT_EQ(0, pthread_kill(t.thread, SIGUSR1));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
	EXPECT_EQ(MACH_SEND_INTERRUPTED, t.ret);
	/* pseudo-receive: COPY_SEND came back as MOVE_SEND with one more uref */
	EXPECT_EQ(p, t.buf.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND, MACH_MSGH_BITS_REMOTE(t.buf.hdr.msgh_bits));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, msgcount(p));
}

/* §1.14: without SEND_INTERRUPT libmach retries the send; it completes once room is made. */
TEST(send_interrupt_retried)
{
	mach_port_t p = full_port(1);
	struct msg_thread t;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, install_sigusr1());
	ASSERT_EQ(0, start_blocked_sender(&t, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0));
	ASSERT_EQ(0, pthread_kill(t.thread, SIGUSR1));
	ASSERT_EQ(0, wait_sigusr1(1));
	ASSERT_EQ(0, wait_task_blocked(getpid(), t.tid));
	EXPECT_FALSE(t.done);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	/* exactly one copy was queued and the right is balanced */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
}

/* §1.5: a receiver blocked on a port whose receive right is destroyed -> MACH_RCV_PORT_CHANGED. */
TEST(receiver_port_destroyed)
{
	mach_port_t p = new_port(), q = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(0, start_blocked_receiver(&t, p, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, t.ret);

	/* the same through mod_refs(RECEIVE, -1) */
	ASSERT_EQ(0, start_blocked_receiver(&t, q, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, t.ret);
}

/*
 * §1.4: a sender blocked on a full port that dies returns SUCCESS; its message
 * is destroyed with its rights, so its send-once reply right notifies (§1.9).
 */
TEST(sender_port_destroyed)
{
	mach_port_t p = full_port(1), r = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(0, start_blocked_sender(&t, p, MACH_MSG_TYPE_COPY_SEND, r,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, 2, 0));
	EXPECT_EQ(1, sorights(r));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	expect_send_once_notification(_metadata, r);
	EXPECT_EQ(0, sorights(r));
}

/* §1.4: a port that died before the send: a dead destination at copyin -> INVALID_DEST. */
TEST(dead_destination)
{
	mach_port_t p = new_port_send(), r = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 1));
	/* nothing was consumed or made */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, sorights(r));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(r));
}

/* §1.4 handoff: a waiting receiver gets the message directly. */
TEST(handoff_to_waiting_receiver)
{
	mach_port_t p = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, start_blocked_receiver(&t, p, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x99));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(0x99, t.buf.hdr.msgh_id);
	EXPECT_EQ(p, t.buf.hdr.msgh_local_port);
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(0, srights(p));
}

/*
 * §1.4 handoff to a waiting receiver whose buffer is too small: without
 * RCV_LARGE it gets TOO_LARGE and the message is destroyed; with RCV_LARGE it
 * gets the size and the message stays queued.
 */
TEST(handoff_too_small)
{
	mach_port_t p = new_port(), r = new_port();
	struct msg_thread t;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	memset(&t.buf, 0, sizeof(t.buf));
	t.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	t.send_size = 0;
	t.rcv_size = 24 + MACH_MSG_TRAILER_MINIMUM_SIZE;	/* fits an empty message only */
	t.rcv_name = p;
	t.timeout = LONG_TIMEOUT_MS;
	ASSERT_EQ(0, msg_thread_start_blocked(&t));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x51));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, t.ret);
	EXPECT_EQ(0, msgcount(p));
	/* destroyed with its rights: the reply send-once right notifies r (§1.9) */
	expect_send_once_notification(_metadata, r);

	memset(&t.buf, 0, sizeof(t.buf));
	t.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE;
	t.rcv_size = 24 + MACH_MSG_TRAILER_MINIMUM_SIZE;
	ASSERT_EQ(0, msg_thread_start_blocked(&t));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x52));
	ASSERT_EQ(0, msg_thread_wait_done(&t, 10000));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, t.ret);
	EXPECT_EQ(32, t.buf.hdr.msgh_size);
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(0x52, b.hdr.msgh_id);
}

TEST_HARNESS_MAIN
