// SPDX-License-Identifier: GPL-2.0
/*
 * Mach IPC across processes: fork inheritance, RPCs, and spaces closed with
 * messages in flight.
 *
 * Covers issue 3 (a forked child gets a fresh space inheriting send rights to
 * its parent's special and registered ports; closing a space releases every
 * right with XNU's side effects) and mach-semantics.md: §1.1 (the destination
 * send right is consumed at receive), §1.2 (MAKE_SEND_ONCE reply /
 * MOVE_SEND_ONCE answer; a right to a port that died in transit is received
 * as MACH_PORT_DEAD; copyout name reuse), §1.4 (send to a dead name ->
 * INVALID_DEST), §1.9 (a send-once right destroyed with its holder's space or
 * with a queued message sends MACH_NOTIFY_SEND_ONCE), §1.10 (send names
 * become dead names, urefs kept), §1.13 (names in another space mean
 * nothing), §1.14 (mach_reply_port).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

/* Give the task a bootstrap port: a send right to p (which we receive on). */
static kern_return_t set_bootstrap(mach_port_t p)
{
	return task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, p);
}

static mach_port_t get_bootstrap(void)
{
	mach_port_t bp = MACH_PORT_NULL;

	if (task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bp) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return bp;
}

/* A fresh space holds no receive rights, and the parent's names mean nothing in it. */
TEST(child_gets_fresh_space)
{
	mach_port_t p = new_port(), ps = new_port_send(), d = MACH_PORT_NULL;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(ps));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_name_array_t names = NULL;
		mach_port_type_array_t types = NULL;
		mach_msg_type_number_t ncnt = 0, tcnt = 0, i;
		mach_port_t mine;
		struct rcv_buf b;

		ASSERT_TRUE(MACH_PORT_VALID(mach_task_self()));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(mach_task_self()));
		ASSERT_EQ(KERN_SUCCESS, mach_port_names(TASK, &names, &ncnt, &types, &tcnt));
		for (i = 0; i < ncnt; i++)
			EXPECT_EQ(0, types[i] & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DEAD_NAME |
						 MACH_PORT_TYPE_SEND_ONCE))
				TH_LOG("name 0x%x type 0x%x", names[i], types[i]);
		EXPECT_EQ(0, ptype(p) & MACH_PORT_TYPE_RECEIVE);
		EXPECT_EQ(0, ptype(ps) & MACH_PORT_TYPE_RECEIVE);
		EXPECT_NE(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
		EXPECT_NE(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
		/* the child's own space works */
		mine = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(mine));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(mine, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(mine, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_EQ(2, b.hdr.msgh_id);
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));
	/* the parent's space is untouched */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(1, msgcount(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(ps));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
}

/* issue 3: special ports are inherited as send rights; the child sends to the parent. */
TEST(special_ports_inherited)
{
	mach_port_t p = new_port_send(), q = new_port_send();
	struct rcv_buf b;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, TASK_ACCESS_PORT, q));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = get_bootstrap(), ap = MACH_PORT_NULL;

		ASSERT_TRUE(MACH_PORT_VALID(bp));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(bp));
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, TASK_ACCESS_PORT, &ap));
		ASSERT_TRUE(MACH_PORT_VALID(ap));
		EXPECT_NE(bp, ap);
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(ap));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1234));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(ap, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4321));
		CHILD_EXIT();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1234, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(q, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(4321, b.hdr.msgh_id);
	ASSERT_EQ(0, wait_child(pid));
	/* the child's space is gone: only our entry and the slot hold send rights */
	EXPECT_EQ(2, srights(p));
	EXPECT_EQ(2, srights(q));
}

/* issue 3: mach_ports_register'ed ports are inherited as send rights. */
TEST(registered_ports_inherited)
{
	mach_port_t p1 = new_port_send(), p2 = new_port_send(), reg[2];
	struct rcv_buf b;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	reg[0] = p1;
	reg[1] = p2;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 2));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t cnt = 0;

		ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(TASK, &got, &cnt));
		ASSERT_LE(2, cnt);
		ASSERT_TRUE(MACH_PORT_VALID(got[0]));
		ASSERT_TRUE(MACH_PORT_VALID(got[1]));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(got[0]));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(got[1]));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(got[0], MACH_MSG_TYPE_COPY_SEND, 0, 0, 11));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(got[1], MACH_MSG_TYPE_COPY_SEND, 0, 0, 22));
		CHILD_EXIT();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p1, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(11, b.hdr.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p2, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(22, b.hdr.msgh_id);
	ASSERT_EQ(0, wait_child(pid));
}

/* A fixture only for TEST_F_TIMEOUT: 1000 round trips under TCG need more than 30 s. */
FIXTURE(rpc) {
	int unused;
};

FIXTURE_SETUP(rpc)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(rpc)
{
}

/*
 * Two processes doing RPCs through an inherited special port: request with a
 * MAKE_SEND_ONCE reply (answered with MOVE_SEND_ONCE), 1000 round trips.
 */
TEST_F_TIMEOUT(rpc, round_trips_1000, 240)
{
	const int n = 1000;
	mach_port_t p = new_port_send();
	mach_port_status_t st;
	pid_t pid;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(p));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = get_bootstrap(), reply = mach_reply_port();
		union {
			struct small_msg s;
			struct rcv_buf r;
		} m;

		mach_port_urefs_t bp_urefs;

		ASSERT_TRUE(MACH_PORT_VALID(bp));
		ASSERT_TRUE(MACH_PORT_VALID(reply));
		/* (libmach may hold urefs of its own on the bootstrap port, as libc does) */
		bp_urefs = urefs(bp, MACH_PORT_RIGHT_SEND);
		ASSERT_LE(1, bp_urefs);
		for (i = 0; i < n; i++) {
			msg_init(&m.s, bp, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 500);
			m.s.body[1] = (uint32_t)i;
			ASSERT_EQ(MACH_MSG_SUCCESS,
				  mach_msg(&m.s.hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
					   sizeof(m.s), sizeof(m.r), reply, LONG_TIMEOUT_MS, 0));
			ASSERT_EQ(600, m.r.hdr.msgh_id);
			ASSERT_EQ(reply, m.r.hdr.msgh_local_port);
			ASSERT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), m.r.hdr.msgh_bits);
			ASSERT_EQ((uint32_t)i * 2 + 1, *((uint32_t *)(&m.r.hdr + 1) + 1));
		}
		/* every send-once right was used: none left over */
		EXPECT_EQ(0, sorights(reply));
		/* COPY_SEND never changed our urefs */
		EXPECT_EQ(bp_urefs, urefs(bp, MACH_PORT_RIGHT_SEND));
		CHILD_EXIT();
	}

	for (i = 0; i < n; i++) {
		struct rcv_buf req;
		struct small_msg rep;
		mach_port_t so;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &req, 0, LONG_TIMEOUT_MS));
		ASSERT_EQ(500, req.hdr.msgh_id);
		ASSERT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
			  req.hdr.msgh_bits);
		so = req.hdr.msgh_remote_port;
		ASSERT_TRUE(MACH_PORT_VALID(so));
		ASSERT_EQ((uint32_t)i, *((uint32_t *)(&req.hdr + 1) + 1));
		msg_init(&rep, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 600);
		rep.body[1] = (uint32_t)i * 2 + 1;
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  mach_msg(&rep.hdr, MACH_SEND_MSG, sizeof(rep), 0, 0, 0, 0));
		ASSERT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	}
	ASSERT_EQ(0, wait_child(pid));
	/* nothing left behind: no message, no extra send rights (ours + the slot's) */
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(0, st.mps_msgcount);
	EXPECT_EQ((unsigned int)n, st.mps_seqno);
	EXPECT_EQ(2, srights(p));
}

/*
 * A space closed with messages in flight: the child queues messages on the
 * parent's port carrying reply rights to its own port and to a parent port,
 * then exits.  Rights to the child's dead port arrive as MACH_PORT_DEAD; the
 * right to the live parent port arrives under the parent's name (§1.2).
 */
TEST(space_closed_with_messages_in_flight)
{
	mach_port_t p = new_port_send(), p2 = new_port_send(), reg[1];
	struct rcv_buf b;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(p));
	reg[0] = p2;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 1));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = get_bootstrap(), cp = new_port(), rp2;
		mach_port_array_t got = NULL;
		mach_msg_type_number_t cnt = 0;

		ASSERT_TRUE(MACH_PORT_VALID(bp));
		ASSERT_TRUE(MACH_PORT_VALID(cp));
		ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(TASK, &got, &cnt));
		ASSERT_LE(1, cnt);
		rp2 = got[0];
		ASSERT_TRUE(MACH_PORT_VALID(rp2));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, cp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, cp, MACH_MSG_TYPE_MAKE_SEND, 2));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, rp2, MACH_MSG_TYPE_COPY_SEND, 3));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_MOVE_SEND, rp2, MACH_MSG_TYPE_MOVE_SEND, 4));
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_DEAD, b.hdr.msgh_remote_port);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_DEAD, b.hdr.msgh_remote_port);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(3, b.hdr.msgh_id);
	EXPECT_EQ(p2, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	EXPECT_EQ(2, urefs(p2, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(4, b.hdr.msgh_id);
	EXPECT_EQ(p2, b.hdr.msgh_remote_port);
	EXPECT_EQ(3, urefs(p2, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	/* every right the child's space held was released: ours and the slots' remain */
	EXPECT_EQ(2, srights(p));
	EXPECT_EQ(2, srights(p2));
}

/*
 * The child's own port dies with its space: the parent's send name for it
 * becomes a dead name (urefs kept), sends to it fail with INVALID_DEST, and
 * the messages queued on it are destroyed with their rights: each send-once
 * reply right sends MACH_NOTIFY_SEND_ONCE to the parent's reply port.
 */
TEST(peer_port_dies_with_space)
{
	mach_port_t p = new_port_send(), r = new_port(), s;
	struct rcv_buf b;
	int go[2];
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(p));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = get_bootstrap(), cp = new_port();

		close(go[1]);
		ASSERT_TRUE(MACH_PORT_VALID(bp));
		ASSERT_TRUE(MACH_PORT_VALID(cp));
		ASSERT_EQ(KERN_SUCCESS, set_qlimit(cp, 16));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, cp, MACH_MSG_TYPE_MAKE_SEND, 1));
		/* exit, with whatever is queued on cp, when the parent says so */
		ASSERT_EQ(0, pipe_wait(go[0]));
		CHILD_EXIT();
	}
	close(go[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(1, b.hdr.msgh_id);
	s = b.hdr.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(s));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND, 1));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 10));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 11));
	EXPECT_EQ(2, sorights(r));
	ASSERT_EQ(0, pipe_signal(go[1]));
	ASSERT_EQ(0, wait_child(pid));
	close(go[1]);

	expect_send_once_notification(_metadata, r);
	expect_send_once_notification(_metadata, r);
	EXPECT_EQ(0, sorights(r));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(r));
	/* §1.4: the dead name is an invalid destination */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 12));
	/* §1.10: send urefs 2 -> dead urefs 2 */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(s));
	EXPECT_EQ(2, urefs(s, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
}

/*
 * A server that exits holding the send-once reply right of a request: the
 * right is destroyed with its space and the client's pending receive gets
 * MACH_NOTIFY_SEND_ONCE instead of a reply (§1.9).
 */
TEST(server_exits_without_replying)
{
	mach_port_t p = new_port_send(), reply = mach_reply_port(), s;
	union {
		struct small_msg s;
		struct rcv_buf r;
	} m;
	struct rcv_buf b;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(reply));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(p));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = get_bootstrap(), sp = new_port();
		struct rcv_buf req;

		ASSERT_TRUE(MACH_PORT_VALID(bp));
		ASSERT_TRUE(MACH_PORT_VALID(sp));
		/* publish our service port to the parent */
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, sp, MACH_MSG_TYPE_MAKE_SEND, 1));
		/* take one request, keep its reply right, and exit without replying */
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(sp, &req, 0, LONG_TIMEOUT_MS));
		ASSERT_EQ(77, req.hdr.msgh_id);
		ASSERT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(req.hdr.msgh_remote_port));
		CHILD_EXIT();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	s = b.hdr.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(s));

	msg_init(&m.s, s, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 77);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.s.hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.s),
			   sizeof(m.r), reply, LONG_TIMEOUT_MS, 0));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, m.r.hdr.msgh_id);
	EXPECT_EQ(24, m.r.hdr.msgh_size);
	EXPECT_EQ(reply, m.r.hdr.msgh_local_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(m.r.hdr.msgh_bits));
	EXPECT_EQ(0, sorights(reply));
	EXPECT_EQ(0, wait_child(pid));
	/* the server's port is dead for us now */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 78));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(s));
}

TEST_HARNESS_MAIN
