// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg through io_uring (issue 8): IORING_OP_URING_CMD on /dev/mach via
 * libmach's <mach/mach_uring.h> (liburing).
 *
 * Sends complete inline, several per io_uring_enter; a full queue answers
 * MACH_SEND_TIMED_OUT with the message handed back (the pseudo-receive of
 * a zero send timeout).  A receive with nothing queued is parked and
 * completed later, in arrival order with ioctl receivers on the same port,
 * on a port or a port set.  Every way a parked receive ends: a message, its
 * timeout, its port or set destroyed, its receive right moved away in a
 * message, its thread exiting, its process exiting (no hang in exit, and
 * the messages caught in flight are destroyed with their rights).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#include <mach/linux.h>
#include <mach/mach_uring.h>

#define RING_ENTRIES 64

/*
 * A kernel without io_uring (CONFIG_IO_URING=n, or io_uring_disabled set)
 * still runs mach.ko, with no uring commands: nothing here applies.
 */
static void __attribute__((constructor)) require_io_uring(void)
{
	struct io_uring r;
	int e = io_uring_queue_init(1, &r, 0);

	if (e == 0) {
		io_uring_queue_exit(&r);
		return;
	}
	if (e == -ENOSYS || e == -EPERM) {
		ksft_print_header();
		ksft_exit_skip("io_uring is not available: %s\n", strerror(-e));
	}
}

static int ring_init(struct io_uring *r)
{
	return mach_uring_queue_init(RING_ENTRIES, r, 0);
}

/* Queue (not submit) a receive into b on name; user data ud. */
static int queue_rcv(struct io_uring *r, mach_port_t name, struct rcv_buf *b,
		     mach_msg_option_t extra, mach_msg_timeout_t timeout, uint64_t ud)
{
	memset(b, 0, sizeof(*b));
	return mach_uring_get_msg_sqe(r, &b->hdr, MACH_RCV_MSG | extra, 0, sizeof(*b), name,
				      timeout, NULL, (void *)(uintptr_t)ud) ? 0 : -1;
}

/* Queue (not submit) a send of m (sizeof *m bytes). */
static int queue_send(struct io_uring *r, struct small_msg *m, mach_msg_option_t extra,
		      uint64_t ud)
{
	return mach_uring_get_msg_sqe(r, &m->hdr, MACH_SEND_MSG | extra, sizeof(*m), 0,
				      MACH_PORT_NULL, 0, NULL, (void *)(uintptr_t)ud) ? 0 : -1;
}

/* One completion within ms: 0 and *ud, *res; -ETIME when none came. */
static int reap(struct io_uring *r, int ms, uint64_t *ud, int *res)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (long long)(ms % 1000) * 1000000 };
	struct io_uring_cqe *cqe = NULL;
	int e;

	do {
		e = io_uring_wait_cqe_timeout(r, &cqe, &ts);
	} while (e == -EINTR);
	if (e)
		return e;
	*ud = cqe->user_data;
	*res = cqe->res;
	io_uring_cqe_seen(r, cqe);
	return 0;
}

/* Nothing completes within ms. */
static int nothing_within(struct io_uring *r, int ms)
{
	uint64_t ud;
	int res;

	return reap(r, ms, &ud, &res) == -ETIME;
}

static mach_port_t new_set(void)
{
	mach_port_name_t s = MACH_PORT_NULL;

	if (mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return s;
}

/* A port holding q messages (ids 1..q) with qlimit q. */
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

/* The library's own pieces: SQE layout, result mapping, port fds. */
TEST(library_api)
{
	struct io_uring_sqe sqe[2];
	struct small_msg m;
	struct mach_ioc_msg a;

	memset(sqe, 0xa5, sizeof(sqe));
	mach_uring_prep_msg(&sqe[0], 7, &m.hdr, MACH_SEND_MSG | MACH_RCV_MSG, 32, 64, 0x103,
			    250, NULL);
	EXPECT_EQ(IORING_OP_URING_CMD, sqe[0].opcode);
	EXPECT_EQ(0, sqe[0].flags);
	EXPECT_EQ(7, sqe[0].fd);
	EXPECT_EQ(MACH_URING_CMD_MSG, sqe[0].cmd_op);
	EXPECT_EQ(0, sqe[0].uring_cmd_flags);
	EXPECT_EQ(0, sqe[0].__pad1);
	memcpy(&a, sqe[0].cmd, sizeof(a));
	EXPECT_EQ((uintptr_t)&m.hdr, a.msg);
	EXPECT_EQ(0, a.rcv_msg);
	EXPECT_EQ(MACH_SEND_MSG | MACH_RCV_MSG, a.option);
	EXPECT_EQ(32, a.send_size);
	EXPECT_EQ(64, a.rcv_size);
	EXPECT_EQ(0x103, a.rcv_name);
	EXPECT_EQ(250, a.timeout);
	EXPECT_EQ(0, a.notify);

	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_uring_msg_result(MACH_RCV_TIMED_OUT, MACH_RCV_MSG));
	EXPECT_EQ(MACH_SEND_INVALID_DATA, mach_uring_msg_result(-EFAULT, MACH_SEND_MSG));
	EXPECT_EQ(MACH_RCV_INVALID_DATA, mach_uring_msg_result(-EFAULT, MACH_RCV_MSG));
	EXPECT_EQ(MACH_RCV_INTERRUPTED, mach_uring_msg_result(-ECANCELED, MACH_RCV_MSG));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_uring_msg_result(-EBADFD, MACH_SEND_MSG));

	/* SQPOLL is refused by the helper */
	{
		struct io_uring r;

		EXPECT_EQ(-EINVAL, mach_uring_queue_init(8, &r, IORING_SETUP_SQPOLL));
	}
}

/* A plain 64-byte-SQE ring cannot carry the arguments: -EINVAL from the device. */
TEST(needs_sqe128)
{
	struct io_uring r;
	struct io_uring_sqe *sqe;
	struct small_msg m;
	mach_port_t p = new_port_send();
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, io_uring_queue_init(8, &r, 0));
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
	sqe = io_uring_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	/* only the first 16 bytes of the command fit: prep into a big buffer */
	{
		struct io_uring_sqe big[2];

		mach_uring_prep_msg(big, mach_linux_fd(), &m.hdr, MACH_SEND_MSG, sizeof(m), 0, 0, 0, NULL);
		memcpy(sqe, big, sizeof(*sqe));
	}
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(-EINVAL, res);
	EXPECT_EQ(0, msgcount(p));
	io_uring_queue_exit(&r);
}

/* Many sends in one io_uring_enter, each completed inline, queued in order. */
TEST(batch_sends_inline)
{
	enum { N = 32 };
	struct io_uring r;
	struct small_msg m[N];
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	unsigned int seen = 0;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, N));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < N; i++) {
		msg_init(&m[i], p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 100 + i);
		ASSERT_EQ(0, queue_send(&r, &m[i], 0, i + 1));
	}
	ASSERT_EQ(N, io_uring_submit(&r));
	/* all done by the time submit returned: no waiting */
	EXPECT_EQ(N, io_uring_cq_ready(&r));
	for (i = 0; i < N; i++) {
		uint64_t ud;
		int res;

		ASSERT_EQ(0, reap(&r, 0, &ud, &res));
		EXPECT_EQ(MACH_MSG_SUCCESS, res);
		ASSERT_LE(1, ud);
		ASSERT_GE(N, ud);
		seen |= 1U << (ud - 1);
	}
	EXPECT_EQ(0xffffffffU, seen);
	EXPECT_EQ(N, msgcount(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
		EXPECT_EQ(100 + i, b.hdr.msgh_id);
		EXPECT_EQ(sizeof(struct small_msg), b.hdr.msgh_size);
	}
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	io_uring_queue_exit(&r);
}

/* A receive that finds a message completes inline, into rcv_msg when given. */
TEST(receive_inline)
{
	struct io_uring r;
	mach_port_t p = new_port_send();
	struct rcv_buf b, b2;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 7));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 8));
	ASSERT_EQ(0, queue_rcv(&r, p, &b, 0, 0, 1));
	ASSERT_EQ(1, io_uring_submit(&r));
	EXPECT_EQ(1, io_uring_cq_ready(&r));
	ASSERT_EQ(0, reap(&r, 0, &ud, &res));
	EXPECT_EQ(1, ud);
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	EXPECT_EQ(7, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(0x11223344, ((struct small_msg *)&b)->body[0]);

	/* mach_msg_overwrite form: the message lands in rcv_msg */
	memset(&b, 0, sizeof(b));
	memset(&b2, 0, sizeof(b2));
	ASSERT_NE(NULL, mach_uring_get_msg_sqe(&r, &b.hdr, MACH_RCV_MSG, 0, sizeof(b2), p, 0,
					       &b2.hdr, (void *)2));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 0, &ud, &res));
	EXPECT_EQ(2, ud);
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	EXPECT_EQ(8, b2.hdr.msgh_id);
	EXPECT_EQ(0, b.hdr.msgh_id);

	/* a zero timeout with nothing queued does not park */
	ASSERT_EQ(0, queue_rcv(&r, p, &b, MACH_RCV_TIMEOUT, 0, 3));
	ASSERT_EQ(1, io_uring_submit(&r));
	EXPECT_EQ(1, io_uring_cq_ready(&r));
	ASSERT_EQ(0, reap(&r, 0, &ud, &res));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, res);

	/* errors come back as Mach codes too */
	ASSERT_EQ(0, queue_rcv(&r, 0x12345, &b, 0, 0, 4));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 1000, &ud, &res));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, res);
	{
		struct rcv_buf small;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 9));
		memset(&small, 0, sizeof(small));
		ASSERT_NE(NULL, mach_uring_get_msg_sqe(&r, &small.hdr, MACH_RCV_MSG | MACH_RCV_LARGE,
						       0, 8, p, 0, NULL, (void *)5));
		ASSERT_EQ(1, io_uring_submit(&r));
		ASSERT_EQ(0, reap(&r, 1000, &ud, &res));
		EXPECT_EQ(MACH_RCV_TOO_LARGE, res);
		EXPECT_EQ(1, msgcount(p));
	}
	io_uring_queue_exit(&r);
}

/* Receives parked on an empty port take the messages in the order they parked. */
TEST(parked_receives_in_order)
{
	enum { N = 4 };
	struct io_uring r;
	mach_port_t p = new_port_send();
	struct rcv_buf b[N];
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, queue_rcv(&r, p, &b[i], 0, 0, i + 1));
	ASSERT_EQ(N, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));
	EXPECT_EQ(0, msgcount(p));
	for (i = 0; i < N; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 200 + i));
	for (i = 0; i < N; i++) {
		uint64_t ud;
		int res;

		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(MACH_MSG_SUCCESS, res);
		ASSERT_LE(1, ud);
		ASSERT_GE(N, ud);
	}
	for (i = 0; i < N; i++) {
		EXPECT_EQ(200 + i, b[i].hdr.msgh_id);
		EXPECT_EQ(p, b[i].hdr.msgh_local_port);
		EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b[i].hdr.msgh_bits);
	}
	/* nothing left over, no stray completion */
	EXPECT_EQ(0, msgcount(p));
	EXPECT_TRUE(nothing_within(&r, 50));
	io_uring_queue_exit(&r);
}

/* Parked receives on a port set; msgh_local_port names the member. */
TEST(parked_on_set)
{
	struct io_uring r;
	mach_port_t s = new_set(), a = new_port_send(), c = new_port_send();
	struct rcv_buf b[3];
	unsigned int done = 0;
	uint64_t ud;
	int res, i;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(a));
	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, a, s));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, queue_rcv(&r, s, &b[i], 0, 0, i + 1));
	ASSERT_EQ(3, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));

	/* one message, one completion */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 10));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	ASSERT_TRUE(ud >= 1 && ud <= 3);
	EXPECT_EQ(10, b[ud - 1].hdr.msgh_id);
	EXPECT_EQ(a, b[ud - 1].hdr.msgh_local_port);
	done |= 1U << ud;
	EXPECT_TRUE(nothing_within(&r, 50));

	/* a port that joins the set later, with a message already queued */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(c, MACH_MSG_TYPE_COPY_SEND, 0, 0, 11));
	EXPECT_TRUE(nothing_within(&r, 50));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, c, s));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	ASSERT_TRUE(ud >= 1 && ud <= 3);
	EXPECT_EQ(0, done & (1U << ud));
	EXPECT_EQ(11, b[ud - 1].hdr.msgh_id);
	EXPECT_EQ(c, b[ud - 1].hdr.msgh_local_port);
	done |= 1U << ud;
	EXPECT_TRUE(nothing_within(&r, 50));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 12));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	ASSERT_TRUE(ud >= 1 && ud <= 3);
	EXPECT_EQ(0, done & (1U << ud));
	EXPECT_EQ(12, b[ud - 1].hdr.msgh_id);
	EXPECT_EQ(a, b[ud - 1].hdr.msgh_local_port);
	EXPECT_EQ(0, msgcount(a));
	EXPECT_EQ(0, msgcount(c));
	io_uring_queue_exit(&r);
}

/*
 * Receives parked on a set are served in the order they parked, as on a
 * port (and as XNU's set waitq serves blocked threads).
 */
TEST(parked_on_set_in_order)
{
	enum { N = 4 };
	struct io_uring r;
	mach_port_t s = new_set(), a = new_port_send();
	struct rcv_buf b[N];
	uint64_t ud;
	int res, i;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, a, s));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, queue_rcv(&r, s, &b[i], 0, 0, i + 1));
	ASSERT_EQ(N, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 20 + i));
		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(MACH_MSG_SUCCESS, res);
		EXPECT_EQ(i + 1, ud);
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(20 + i, b[i].hdr.msgh_id);
	io_uring_queue_exit(&r);
}

/* A parked receive ends on its timeout. */
TEST(parked_ends_on_timeout)
{
	struct io_uring r;
	mach_port_t p = new_port_send();
	struct rcv_buf b, b2;
	int64_t t0, dt;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	/* the long one stays, the short one times out */
	ASSERT_EQ(0, queue_rcv(&r, p, &b2, MACH_RCV_TIMEOUT, LONG_TIMEOUT_MS, 2));
	ASSERT_EQ(0, queue_rcv(&r, p, &b, MACH_RCV_TIMEOUT, 200, 1));
	t0 = now_ms();
	ASSERT_EQ(2, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	dt = now_ms() - t0;
	EXPECT_EQ(1, ud);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, res);
	EXPECT_LE(150, dt);
	EXPECT_GT(4000, dt);
	/* the timed-out waiter is gone: the next message goes to the other */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(2, ud);
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	EXPECT_EQ(5, b2.hdr.msgh_id);
	io_uring_queue_exit(&r);
}

/* A parked receive ends with MACH_RCV_PORT_CHANGED when its port is destroyed. */
TEST(parked_ends_port_destroyed)
{
	struct io_uring r;
	mach_port_t p = new_port(), q = new_port();
	struct rcv_buf b[3];
	uint64_t ud;
	int res, i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(0, ring_init(&r));
	ASSERT_EQ(0, queue_rcv(&r, p, &b[0], 0, 0, 1));
	ASSERT_EQ(0, queue_rcv(&r, p, &b[1], MACH_RCV_TIMEOUT, LONG_TIMEOUT_MS, 2));
	ASSERT_EQ(0, queue_rcv(&r, q, &b[2], 0, 0, 3));
	ASSERT_EQ(3, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(MACH_RCV_PORT_CHANGED, res);
		EXPECT_TRUE(ud == 1 || ud == 2);
	}
	/* through mod_refs(RECEIVE, -1) as well */
	EXPECT_TRUE(nothing_within(&r, 50));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(3, ud);
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, res);
	io_uring_queue_exit(&r);
}

/* ... or its set is destroyed; the members live on. */
TEST(parked_ends_set_destroyed)
{
	struct io_uring r;
	mach_port_t s = new_set(), s2 = new_set(), p = new_port_send();
	struct rcv_buf b[2];
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(s2));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(0, ring_init(&r));
	ASSERT_EQ(0, queue_rcv(&r, s, &b[0], 0, 0, 1));
	ASSERT_EQ(0, queue_rcv(&r, s2, &b[1], 0, 0, 2));
	ASSERT_EQ(2, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, s));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(1, ud);
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, res);
	/* an empty set destroyed by deallocate */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s2));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(2, ud);
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, res);
	/* the member still receives */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	EXPECT_EQ(1, msgcount(p));
	io_uring_queue_exit(&r);
}

/*
 * ... or its receive right is moved away in a message; the message then
 * queued on the port is for the new holder, not for the old parked receive.
 */
TEST(parked_ends_right_moved)
{
	struct io_uring r;
	mach_port_t p = new_port_send(), carrier = new_port_send();
	struct rcv_buf b, got;
	mach_port_t moved;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(carrier));
	ASSERT_EQ(0, ring_init(&r));
	ASSERT_EQ(0, queue_rcv(&r, p, &b, 0, 0, 1));
	ASSERT_EQ(1, io_uring_submit(&r));
	EXPECT_TRUE(nothing_within(&r, 100));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(carrier, p, MACH_MSG_TYPE_MOVE_RECEIVE, 1));
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(1, ud);
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, res);
	/* the right comes back under a name; messages reach it */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(carrier, &got, 0, LONG_TIMEOUT_MS));
	moved = ((struct port_msg *)&got)->port.name;
	ASSERT_TRUE(MACH_PORT_VALID(moved));
	EXPECT_TRUE(ptype(moved) & MACH_PORT_TYPE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(moved, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
	EXPECT_EQ(1, msgcount(moved));
	EXPECT_TRUE(nothing_within(&r, 50));
	io_uring_queue_exit(&r);
}

/* A receive parked by a thread that exits ends with MACH_RCV_INTERRUPTED. */
struct parker {
	struct io_uring *r;
	mach_port_t port;
	struct rcv_buf b;
	int ok;
};

static void *park_and_exit(void *arg)
{
	struct parker *pk = arg;

	pk->ok = queue_rcv(pk->r, pk->port, &pk->b, 0, 0, 99) == 0 &&
		 io_uring_submit(pk->r) == 1;
	return NULL;
}

TEST(parked_ends_thread_exit)
{
	struct io_uring r;
	struct parker pk;
	pthread_t t;
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	memset(&pk, 0, sizeof(pk));
	pk.r = &r;
	pk.port = p;
	ASSERT_EQ(0, pthread_create(&t, NULL, park_and_exit, &pk));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_TRUE(pk.ok);
	ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
	EXPECT_EQ(99, ud);
	EXPECT_EQ(MACH_RCV_INTERRUPTED, res);
	/* no message was taken or lost on the way */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(4, b.hdr.msgh_id);
	EXPECT_EQ(0, pk.b.hdr.msgh_id);
	io_uring_queue_exit(&r);
}

/* Wait up to ms for pid to be reaped: its status, or -1 (still there after ms). */
static int reap_child_within(pid_t pid, int ms)
{
	int64_t end = now_ms() + ms;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (w < 0 && errno != EINTR)
			return -2;
		if (now_ms() > end)
			return -1;
		sleep_ms(10);
	}
}

/*
 * A child parks receives (on ports, a set, with and without timeouts) and
 * exits, by _exit or by SIGKILL: it must be reaped within a few seconds.
 */
static void park_then_die(struct __test_metadata *_metadata, int how)
{
	int go[2];
	pid_t pid;
	int st;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct rcv_buf b[8];
		struct io_uring r;
		mach_port_t p = new_port(), s = new_set(), m = new_port();
		int i;

		close(go[0]);
		ASSERT_TRUE(MACH_PORT_VALID(p));
		ASSERT_TRUE(MACH_PORT_VALID(s));
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m, s));
		ASSERT_EQ(0, ring_init(&r));
		for (i = 0; i < 4; i++)
			ASSERT_EQ(0, queue_rcv(&r, p, &b[i], 0, 0, i));
		ASSERT_EQ(0, queue_rcv(&r, p, &b[4], MACH_RCV_TIMEOUT, 60000, 4));
		ASSERT_EQ(0, queue_rcv(&r, s, &b[5], 0, 0, 5));
		ASSERT_EQ(0, queue_rcv(&r, s, &b[6], MACH_RCV_TIMEOUT, 60000, 6));
		ASSERT_EQ(0, queue_rcv(&r, m, &b[7], 0, 0, 7));
		ASSERT_EQ(8, io_uring_submit(&r));
		ASSERT_TRUE(nothing_within(&r, 50));
		ASSERT_EQ(0, pipe_signal(go[1]));
		if (how == 0)
			_exit(0);
		for (;;)
			pause();
	}
	close(go[1]);
	ASSERT_EQ(0, pipe_wait(go[0]));
	close(go[0]);
	if (how == 1)
		ASSERT_EQ(0, kill(pid, SIGKILL));
	st = reap_child_within(pid, 5000);
	EXPECT_EQ(how == 0 ? 0 : 128 + SIGKILL, st);
	if (st == -1)
		TH_LOG("child %d still not reaped 5 s after exiting with receives parked "
		       "(state %c)", pid, task_state(pid, pid));
}

TEST(process_exit_with_parked_receives)
{
	park_then_die(_metadata, 0);
}

TEST(process_killed_with_parked_receives)
{
	park_then_die(_metadata, 1);
}

/*
 * Messages arriving while the receiving process exits: the child parks
 * receives on its port and exits; the parent keeps sending to that port,
 * each message carrying a send-once right to the parent's port r.  Every
 * message, whether copied out to the dying child, caught parked, or still
 * queued, is destroyed with its right: r gets one send-once notification
 * per message, and its send-once count falls back to 0.
 */
TEST(process_exit_while_messages_arrive)
{
	mach_port_t boot = new_port_send(), r = new_port(), child;
	struct rcv_buf b;
	unsigned int sent = 0, notes = 0, handed_back = 0;
	int64_t end;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(boot));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(r, MACH_PORT_QLIMIT_MAX));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, boot));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct rcv_buf cb[16];
		struct io_uring ring;
		mach_port_t bp = MACH_PORT_NULL, mine = new_port();
		int i;

		ASSERT_TRUE(MACH_PORT_VALID(mine));
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bp));
		ASSERT_EQ(0, ring_init(&ring));
		for (i = 0; i < 16; i++)
			ASSERT_EQ(0, queue_rcv(&ring, mine, &cb[i], 0, 0, i));
		ASSERT_EQ(16, io_uring_submit(&ring));
		/* hand the parent a send right, then reap a few and die */
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, mine,
							MACH_MSG_TYPE_MAKE_SEND, 1));
		for (i = 0; i < 3; i++) {
			uint64_t ud;
			int res;

			if (reap(&ring, 100, &ud, &res))
				break;
		}
		_exit(0);
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(boot, &b, 0, LONG_TIMEOUT_MS));
	child = b.hdr.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(child));
	end = now_ms() + 5000;
	while (now_ms() < end && sent < 4000) {
		struct small_msg m;
		mach_msg_return_t mr;

		msg_init(&m, child, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE,
			 1000 + sent);
		mr = mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr == MACH_SEND_INVALID_DEST)
			break;
		if (mr == MACH_SEND_TIMED_OUT) {
			/*
			 * handed back: mach_msg_destroy releases the
			 * destination; the reply right, in msgh_local_port
			 * as Darwin leaves it, is ours to destroy: r is
			 * notified for it as well.
			 */
			mach_msg_destroy(&m.hdr);
			ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, m.hdr.msgh_local_port));
			handed_back++;
			sleep_ms(1);
		} else {
			ASSERT_EQ(MACH_MSG_SUCCESS, mr);
		}
		sent++;
	}
	EXPECT_EQ(0, reap_child_within(pid, 5000));
	TH_LOG("%u send-once rights sent toward the exiting child", sent);
	/* every message's send-once right comes back as a notification */
	end = now_ms() + 5000;
	while (notes < sent && now_ms() < end) {
		if (msg_recv(r, &b, 0, 200) != MACH_MSG_SUCCESS)
			continue;
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
		notes++;
	}
	if (notes < sent || sorights(r) != 0) {
		TH_LOG("after 5 s: %u of %u notifications, %u send-once rights left; waiting 10 s more",
		       notes, sent, sorights(r));
		end = now_ms() + 10000;
		while (notes < sent && now_ms() < end)
			if (msg_recv(r, &b, 0, 200) == MACH_MSG_SUCCESS)
				notes++;
	}
	EXPECT_EQ(sent, notes);
	EXPECT_EQ(0, sorights(r));
	TH_LOG("%u sent (%u handed back), %u notifications", sent, handed_back, notes);
}

/* ioctl receivers and io_uring receivers on one port share one FIFO of waiters. */
TEST(mixed_ioctl_and_uring_receivers)
{
	struct io_uring r;
	mach_port_t p = new_port_send();
	struct msg_thread t1, t2;
	struct rcv_buf b[2];
	uint64_t ud;
	int res, i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	/* order of waiting: ring(1), thread t1, ring(2), thread t2 */
	ASSERT_EQ(0, queue_rcv(&r, p, &b[0], 0, 0, 1));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, start_blocked_receiver(&t1, p, 0));
	ASSERT_EQ(0, queue_rcv(&r, p, &b[1], 0, 0, 2));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, start_blocked_receiver(&t2, p, 0));
	EXPECT_TRUE(nothing_within(&r, 50));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 300 + i));
	ASSERT_EQ(0, msg_thread_wait_done(&t1, 5000));
	ASSERT_EQ(0, msg_thread_wait_done(&t2, 5000));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(MACH_MSG_SUCCESS, res);
	}
	EXPECT_EQ(MACH_MSG_SUCCESS, t1.ret);
	EXPECT_EQ(MACH_MSG_SUCCESS, t2.ret);
	EXPECT_EQ(300, b[0].hdr.msgh_id);
	EXPECT_EQ(301, t1.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(302, b[1].hdr.msgh_id);
	EXPECT_EQ(303, t2.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(0, msgcount(p));
	io_uring_queue_exit(&r);
}

/* Sends never block: a full queue gives MACH_SEND_TIMED_OUT and the message back. */
TEST(full_queue_send_timed_out)
{
	struct io_uring r;
	mach_port_t p = full_port(1), rp = new_port(), so;
	struct small_msg m, m2;
	struct rcv_buf b;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(rp));
	ASSERT_EQ(0, ring_init(&r));
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2);
	msg_init(&m2, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3);
	/* no MACH_SEND_TIMEOUT asked for, and a timeout asked for: the same */
	ASSERT_EQ(0, queue_send(&r, &m, 0, 1));
	ASSERT_NE(NULL, mach_uring_get_msg_sqe(&r, &m2.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					       sizeof(m2), 0, 0, 1000, NULL, (void *)2));
	ASSERT_EQ(2, io_uring_submit(&r));
	EXPECT_EQ(2, io_uring_cq_ready(&r));
	ASSERT_EQ(0, reap(&r, 0, &ud, &res));
	EXPECT_EQ(1, ud);
	EXPECT_EQ(MACH_SEND_TIMED_OUT, res);
	ASSERT_EQ(0, reap(&r, 0, &ud, &res));
	EXPECT_EQ(2, ud);
	EXPECT_EQ(MACH_SEND_TIMED_OUT, res);
	/* handed back: destination now MOVE_SEND, the reply a new send-once name */
	EXPECT_EQ(p, m.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND, MACH_MSGH_BITS_REMOTE(m.hdr.msgh_bits));
	so = m.hdr.msgh_local_port;
	EXPECT_TRUE(MACH_PORT_VALID(so));
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSGH_BITS_LOCAL(m.hdr.msgh_bits));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(rp));
	EXPECT_EQ(2, m.hdr.msgh_id);
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND, MACH_MSGH_BITS_REMOTE(m2.hdr.msgh_bits));
	EXPECT_EQ(3, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, msgcount(p));

	/* make room; the handed-back message goes through the ring as it is */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(0, queue_send(&r, &m, 0, 3));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 1000, &ud, &res));
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, b.hdr.msgh_remote_port));
	expect_send_once_notification(_metadata, rp);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	io_uring_queue_exit(&r);
}

/* Send and receive in one command: the reply to our own message, inline. */
TEST(send_and_receive_one_sqe)
{
	struct io_uring r;
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	struct small_msg *m = (struct small_msg *)&b;
	uint64_t ud;
	int res;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	memset(&b, 0, sizeof(b));
	msg_init(m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 42);
	ASSERT_NE(NULL, mach_uring_get_msg_sqe(&r, &b.hdr, MACH_SEND_MSG | MACH_RCV_MSG,
					       sizeof(*m), sizeof(b), p, 0, NULL, (void *)1));
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_EQ(0, reap(&r, 1000, &ud, &res));
	EXPECT_EQ(MACH_MSG_SUCCESS, res);
	EXPECT_EQ(42, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	io_uring_queue_exit(&r);
}

/*
 * Issue 15, finding 3: execve() waits for the task's io_uring requests
 * (io_uring_task_cancel), so a receive left parked would block exec for
 * good, and after SIGKILL the task spun, unkillable.  The child parks
 * receives on a port and a set nobody sends to and execs /bin/true: the
 * exec must complete and the new image exit at once.
 */
TEST(exec_with_parked_receives)
{
	pid_t pid;
	int go[2], st;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct rcv_buf b[3];
		struct io_uring r;
		mach_port_t p = new_port(), s = new_set();

		close(go[0]);
		ASSERT_TRUE(MACH_PORT_VALID(p));
		ASSERT_TRUE(MACH_PORT_VALID(s));
		ASSERT_EQ(0, ring_init(&r));
		ASSERT_EQ(0, queue_rcv(&r, p, &b[0], 0, 0, 1));
		ASSERT_EQ(0, queue_rcv(&r, p, &b[1], MACH_RCV_TIMEOUT, 60000, 2));
		ASSERT_EQ(0, queue_rcv(&r, s, &b[2], 0, 0, 3));
		ASSERT_EQ(3, io_uring_submit(&r));
		ASSERT_TRUE(nothing_within(&r, 50));
		ASSERT_EQ(0, pipe_signal(go[1]));
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	close(go[1]);
	ASSERT_EQ(0, pipe_wait(go[0]));
	close(go[0]);
	st = reap_child_within(pid, 5000);
	if (st == -1) {
		TH_LOG("exec still blocked 5 s after it began (state %c); sending SIGKILL",
		       task_state(pid, pid));
		kill(pid, SIGKILL);
		st = reap_child_within(pid, 5000);
		if (st == -1)
			TH_LOG("child %d not reaped 5 s after SIGKILL (state %c)", pid,
			       task_state(pid, pid));
	}
	EXPECT_EQ(0, st);
}

/* /sys/module/mach/refcnt: one per open /dev/mach file; -1 when unreadable. */
static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/mach/refcnt", "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Finding 7: closing a ring with a receive parked on it, while the task
 * lives.  io_uring's teardown waits for the request, which used to stay
 * parked: the ring, the /dev/mach file and its space stayed pinned for the
 * life of the process (and io_uring warned after 5 minutes), and messages
 * went to the receive nobody could see complete.  Now the receive ends
 * with its ring: a message sent afterwards stays queued for the next
 * receiver; and when the child closes a second such ring and then
 * /dev/mach, its file is released (the module's reference count, one per
 * open /dev/mach file, drops back) although the child lives on.
 */
static void park_and_close_ring(struct __test_metadata *_metadata, mach_port_t p,
				struct rcv_buf *b)
{
	struct io_uring r;

	ASSERT_EQ(0, ring_init(&r));
	ASSERT_EQ(0, queue_rcv(&r, p, &b[0], 0, 0, 1));
	ASSERT_EQ(0, queue_rcv(&r, p, &b[1], MACH_RCV_TIMEOUT, 60000, 2));
	ASSERT_EQ(2, io_uring_submit(&r));
	ASSERT_TRUE(nothing_within(&r, 50));
	io_uring_queue_exit(&r);
}

TEST(ring_close_with_parked_receive)
{
	long before = module_refcnt(), now = -1;
	int go[2], done[2], st;
	int64_t end;
	pid_t pid;

	ASSERT_LT(0, before);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct rcv_buf b[4];
		mach_port_t p = new_port_send();
		int i;

		close(go[0]);
		close(done[1]);
		ASSERT_TRUE(MACH_PORT_VALID(p));
		park_and_close_ring(_metadata, p, &b[0]);
		/* the parked receives end with the ring, taking nothing */
		for (i = 0; i < 50 && !msgcount(p); i++) {
			if (i)
				sleep_ms(100);
			ASSERT_EQ(MACH_MSG_SUCCESS,
				  msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 10 + i));
		}
		EXPECT_EQ(1, msgcount(p));
		if (i > 1)
			TH_LOG("%d messages went to receives parked on the closed ring", i - 1);
		EXPECT_EQ(0, b[0].hdr.msgh_id);
		EXPECT_EQ(0, b[1].hdr.msgh_id);
		/* again on an empty port, then the space goes too */
		p = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(p));
		park_and_close_ring(_metadata, p, &b[2]);
		close(mach_linux_fd());
		if (pipe_signal(go[1]))
			_exit(1);
		pipe_wait(done[0]);
		CHILD_EXIT();
	}
	close(go[1]);
	close(done[0]);
	ASSERT_EQ(0, pipe_wait(go[0]));
	close(go[0]);
	end = now_ms() + 5000;
	while (now_ms() < end) {
		now = module_refcnt();
		if (now == before)
			break;
		sleep_ms(20);
	}
	EXPECT_EQ(before, now);
	if (now != before)
		TH_LOG("/dev/mach files open: %ld before the child, %ld 5 s after it closed "
		       "its ring and its /dev/mach", before, now);
	ASSERT_EQ(0, pipe_signal(done[1]));
	close(done[1]);
	st = reap_child_within(pid, 5000);
	if (st == -1) {
		kill(pid, SIGKILL);
		reap_child_within(pid, 5000);
	}
	EXPECT_EQ(0, st);
}

/*
 * Finding 8: a thread parks a receive and exits while its process lives on.
 * A message that reaches its receive before the receive ends could no longer
 * be copied out, and was destroyed although the receive right lived on.
 * It must go back to the queue: the next receiver gets it, every time.
 */
TEST(thread_exit_loses_no_message)
{
	enum { ROUNDS = 8 };
	struct io_uring r;
	struct parker pk;
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	int i, lost = 0;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < ROUNDS; i++) {
		pthread_t t;
		uint64_t ud;
		int res;

		memset(&pk, 0, sizeof(pk));
		pk.r = &r;
		pk.port = p;
		ASSERT_EQ(0, pthread_create(&t, NULL, park_and_exit, &pk));
		ASSERT_EQ(0, pthread_join(t, NULL));
		ASSERT_TRUE(pk.ok);
		/* at once: the exited thread's receive is still parked */
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 500 + i));
		if (msg_recv(p, &b, 0, 2000) == MACH_MSG_SUCCESS) {
			EXPECT_EQ(500 + i, b.hdr.msgh_id);
		} else {
			lost++;
		}
		/* the exited thread's receive ends without the message */
		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(99, ud);
		EXPECT_EQ(MACH_RCV_INTERRUPTED, res);
		EXPECT_EQ(0, pk.b.hdr.msgh_id);
	}
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, msgcount(p));
	io_uring_queue_exit(&r);
}

/*
 * ... nor its order: a receiver blocked behind the exited thread's parked
 * receive gets the first message sent after the thread exited, and the
 * next one stays queued.  (Handed to the exited thread's receive, the first
 * message would come back only after the second was received.)
 */
TEST(thread_exit_keeps_message_order)
{
	enum { ROUNDS = 4 };
	struct io_uring r;
	struct parker pk;
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, ring_init(&r));
	for (i = 0; i < ROUNDS; i++) {
		struct msg_thread t;
		pthread_t th;
		uint64_t ud;
		int res;

		memset(&pk, 0, sizeof(pk));
		pk.r = &r;
		pk.port = p;
		ASSERT_EQ(0, pthread_create(&th, NULL, park_and_exit, &pk));
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_TRUE(pk.ok);
		ASSERT_EQ(0, start_blocked_receiver(&t, p, 0));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 700 + 2 * i));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 701 + 2 * i));
		ASSERT_EQ(0, msg_thread_wait_done(&t, 5000));
		EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
		EXPECT_EQ(700 + 2 * i, t.buf.rcv.hdr.msgh_id);
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 2000));
		EXPECT_EQ(701 + 2 * i, b.hdr.msgh_id);
		ASSERT_EQ(0, reap(&r, 5000, &ud, &res));
		EXPECT_EQ(99, ud);
		EXPECT_EQ(MACH_RCV_INTERRUPTED, res);
		EXPECT_EQ(0, pk.b.hdr.msgh_id);
	}
	EXPECT_EQ(0, msgcount(p));
	io_uring_queue_exit(&r);
}

TEST_HARNESS_MAIN
