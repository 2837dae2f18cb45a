// SPDX-License-Identifier: GPL-2.0
/*
 * Mach notifications: mach_port_request_notification and every notification
 * the kernel sends.
 *
 * Covers mach-semantics.md §1.12 (PORT_DELETED, PORT_DESTROYED, NO_SENDERS,
 * SEND_ONCE, DEAD_NAME: when each fires, how each is cancelled, the previous
 * right, the request errors, ids and sizes), §1.9 (the SEND_ONCE notification
 * owed by a destroyed send-once right), §1.10 (names of a dead port become
 * dead names, urefs +1 for a dead-name request), §1.6 (kernel messages carry
 * sender {0,1} and an all-zero audit token), §1.1 (the destination send right
 * is consumed at receive), §1.2 (MOVE_RECEIVE keeps the SEND name, resets
 * mscount; copyout of a receive right reuses a SEND name), and the LP64
 * layouts of <mach/notify.h>.
 *
 * A send-only name in our own space is made by moving a port's receive right
 * into a message queued on a "carrier" port (park()): the name keeps its send
 * urefs (§1.2) and the port stays alive until the carrier is destroyed with
 * its queued message.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include <stddef.h>

union notif {
	mach_msg_header_t hdr;
	mach_port_deleted_notification_t deleted;
	mach_port_destroyed_notification_t destroyed;
	mach_no_senders_notification_t no_senders;
	mach_send_once_notification_t send_once;
	mach_dead_name_notification_t dead_name;
	struct rcv_buf raw;
};

/* §1.12: the message size (without trailer) of each notification. */
static mach_msg_size_t notif_size(mach_msg_id_t id)
{
	switch (id) {
	case MACH_NOTIFY_PORT_DELETED:
	case MACH_NOTIFY_NO_SENDERS:
	case MACH_NOTIFY_DEAD_NAME:
		return 36;
	case MACH_NOTIFY_PORT_DESTROYED:
		return 40;
	case MACH_NOTIFY_SEND_ONCE:
		return 24;
	default:
		return 0;
	}
}

/*
 * Receive one notification on n and check what every notification has
 * (§1.12): id, size, sent to a send-once right (local bits 18) with no reply,
 * complex only for PORT_DESTROYED; §1.6: sender {0,1}, audit token all zero.
 */
static void recv_notif(struct __test_metadata *_metadata, mach_port_t n,
		       union notif *u, mach_msg_id_t id)
{
	mach_msg_audit_trailer_t *tr;
	unsigned int i;

	memset(u, 0, sizeof(*u));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&u->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(*u), n, LONG_TIMEOUT_MS, MACH_PORT_NULL))
		TH_LOG("waiting for notification %d", id);
	ASSERT_EQ(id, u->hdr.msgh_id);
	EXPECT_EQ(notif_size(id), u->hdr.msgh_size);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(u->hdr.msgh_bits));
	EXPECT_EQ(0, MACH_MSGH_BITS_REMOTE(u->hdr.msgh_bits));
	EXPECT_EQ(id == MACH_NOTIFY_PORT_DESTROYED ? MACH_MSGH_BITS_COMPLEX : 0,
		  u->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT_EQ(n, u->hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, u->hdr.msgh_remote_port);
	tr = (mach_msg_audit_trailer_t *)msg_trailer(&u->hdr);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, tr->msgh_trailer_type);
	EXPECT_EQ(sizeof(mach_msg_audit_trailer_t), tr->msgh_trailer_size);
	EXPECT_EQ(0, tr->msgh_sender.val[0]);
	EXPECT_EQ(1, tr->msgh_sender.val[1]);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, tr->msgh_audit.val[i]) TH_LOG("audit token word %u", i);
}

static void expect_failed_request_notified(struct __test_metadata *_metadata, mach_port_t n,
					   int count)
{
	union notif u;
	int i;

	for (i = 0; i < count; i++)
		recv_notif(_metadata, n, &u, MACH_NOTIFY_SEND_ONCE);
}

/* Nothing (more) queued on n. */
#define EXPECT_NO_NOTIF(n) EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(n))

/* Request a notification with a MAKE_SEND_ONCE right to notify (or NULL to cancel). */
static kern_return_t request(mach_port_t name, mach_msg_id_t id, mach_port_mscount_t sync,
			     mach_port_t notify, mach_port_t *previous)
{
	*previous = 0xdeadbeef;
	return mach_port_request_notification(TASK, name, id, sync, notify,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE, previous);
}

/*
 * A request that fails has still made its MAKE_SEND_ONCE notify right (the
 * right is copied in first, as XNU's MIG server does, and destroyed on
 * failure): §1.9, that right owes its port exactly one SEND_ONCE notification.
 */
static void expect_failed_request_notified(struct __test_metadata *_metadata, mach_port_t n,
					   int count);

static unsigned int nsrequest(mach_port_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_nsrequest;
}

static unsigned int pdrequest(mach_port_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_pdrequest;
}


/*
 * Move p's receive right into a message queued on a new carrier port; p (which
 * must hold send urefs) is left a SEND name for a live port (§1.2).  Returns
 * the carrier, or NULL.
 */
static mach_port_t park(mach_port_t p)
{
	mach_port_t c = new_port();

	if (c == MACH_PORT_NULL ||
	    send_port_msg(c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, p, MACH_MSG_TYPE_MOVE_RECEIVE,
			   0x9a9a) != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	return c;
}

/* Take the parked receive right back from carrier c: its name, or NULL. */
static mach_port_t unpark(mach_port_t c)
{
	struct rcv_buf b;
	struct port_msg *pm = (struct port_msg *)&b.hdr;

	if (msg_recv(c, &b, 0, LONG_TIMEOUT_MS) != MACH_MSG_SUCCESS || b.hdr.msgh_id != 0x9a9a ||
	    pm->port.disposition != MACH_MSG_TYPE_PORT_RECEIVE)
		return MACH_PORT_NULL;
	return pm->port.name;
}

/* Kill the parked port: destroy the carrier and the message holding its receive right. */
static kern_return_t kill_parked(mach_port_t c)
{
	return mach_port_mod_refs(TASK, c, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* §1.12 ids; <mach/notify.h> LP64 layouts (message + format-0 trailer of 20 bytes). */
TEST(ids_and_layouts)
{
	EXPECT_EQ(64, MACH_NOTIFY_FIRST);
	EXPECT_EQ(65, MACH_NOTIFY_PORT_DELETED);
	EXPECT_EQ(66, MACH_NOTIFY_SEND_POSSIBLE);
	EXPECT_EQ(69, MACH_NOTIFY_PORT_DESTROYED);
	EXPECT_EQ(70, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(71, MACH_NOTIFY_SEND_ONCE);
	EXPECT_EQ(72, MACH_NOTIFY_DEAD_NAME);

	EXPECT_EQ(36 + 20, sizeof(mach_port_deleted_notification_t));
	EXPECT_EQ(36 + 20, sizeof(mach_send_possible_notification_t));
	EXPECT_EQ(40 + 20, sizeof(mach_port_destroyed_notification_t));
	EXPECT_EQ(36 + 20, sizeof(mach_no_senders_notification_t));
	EXPECT_EQ(24 + 20, sizeof(mach_send_once_notification_t));
	EXPECT_EQ(36 + 20, sizeof(mach_dead_name_notification_t));
	EXPECT_EQ(32, offsetof(mach_port_deleted_notification_t, not_port));
	EXPECT_EQ(36, offsetof(mach_port_deleted_notification_t, trailer));
	EXPECT_EQ(24, offsetof(mach_port_destroyed_notification_t, not_body));
	EXPECT_EQ(28, offsetof(mach_port_destroyed_notification_t, not_port));
	EXPECT_EQ(40, offsetof(mach_port_destroyed_notification_t, trailer));
	EXPECT_EQ(32, offsetof(mach_no_senders_notification_t, not_count));
	EXPECT_EQ(36, offsetof(mach_no_senders_notification_t, trailer));
	EXPECT_EQ(24, offsetof(mach_send_once_notification_t, trailer));
	EXPECT_EQ(32, offsetof(mach_dead_name_notification_t, not_port));
	EXPECT_EQ(36, offsetof(mach_dead_name_notification_t, trailer));
	EXPECT_EQ(20, sizeof(mach_msg_format_0_trailer_t));
	EXPECT_EQ(52, sizeof(mach_msg_audit_trailer_t));
}

/*
 * §1.12 NO_SENDERS: fires when the last send right goes (deallocate), body
 * not_count = mscount; the request is one-shot.
 */
TEST(no_senders_on_deallocate)
{
	mach_port_t p = new_port_send(), n = new_port(), prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(1, mscount(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(1, nsrequest(p));
	/* the request holds the send-once right made from n */
	EXPECT_EQ(1, sorights(n));
	EXPECT_NO_NOTIF(n);

	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(1, u.no_senders.not_count);
	EXPECT_EQ(0, sorights(n));
	EXPECT_EQ(0, nsrequest(p));
	EXPECT_NO_NOTIF(n);

	/* one-shot: a second last-send-right does not notify */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_NO_NOTIF(n);
}

/* §1.12 NO_SENDERS through mod_refs(SEND); not_count is the mscount (§1.13 set_mscount). */
TEST(no_senders_on_mod_refs)
{
	mach_port_t p = new_port(), n = new_port(), prev;
	union notif u;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(TASK, p, 10));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(13, mscount(p));
	ASSERT_EQ(3, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -2));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -1));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(13, u.no_senders.not_count);
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12, §1.1: NO_SENDERS fires when a MAKE_SEND or COPY_SEND destination
 * right, the last send right, is consumed at receive.
 */
TEST(no_senders_destination_consumed_at_receive)
{
	mach_port_t p = new_port(), q = new_port_send(), n = new_port(), prev;
	struct rcv_buf b;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(n));

	/* MAKE_SEND: sync 1 > mscount 0, so no immediate notification */
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 1, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	EXPECT_EQ(1, srights(p));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(1, u.no_senders.not_count);
	EXPECT_NO_NOTIF(n);

	/* COPY_SEND: two queued copies, our own send right dropped first */
	ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, q));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(q, &b, 0, 0));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(q, &b, 0, 0));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(1, u.no_senders.not_count);
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12: a NO_SENDERS request fires at registration when srights == 0 and
 * sync <= mscount (a fresh port with sync 0 at once); otherwise it waits.
 */
TEST(no_senders_immediate_and_sync)
{
	mach_port_t p = new_port(), q = new_port(), n = new_port(), prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(n));

	/* fresh port, sync 0: fires at once with not_count 0, and is consumed */
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(0, u.no_senders.not_count);
	EXPECT_EQ(0, nsrequest(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_NO_NOTIF(n);

	/* q: mscount 2, no send rights left */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, q, q, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, q, q, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_SEND, -2));
	ASSERT_EQ(2, mscount(q));
	ASSERT_EQ(0, srights(q));

	/* sync 2 <= mscount 2: at once */
	ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_NO_SENDERS, 2, n, &prev));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(2, u.no_senders.not_count);

	/* sync 3 > mscount 2: waits for a send right made and dropped */
	ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_NO_SENDERS, 3, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_NO_NOTIF(n);
	EXPECT_EQ(1, nsrequest(q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, q, q, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, q));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(3, u.no_senders.not_count);

	/* sync 3 <= mscount 3 now: at once */
	ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_NO_SENDERS, 3, n, &prev));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(3, u.no_senders.not_count);
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.2, §1.12: the NO_SENDERS request survives a receive-right move; mscount
 * is reset to 0 by the move, so not_count is 0.
 */
TEST(no_senders_survives_receive_move)
{
	mach_port_t p = new_port_send(), n = new_port(), c, r, prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	c = park(p);
	ASSERT_TRUE(MACH_PORT_VALID(c));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(p));
	EXPECT_NO_NOTIF(n);
	r = unpark(c);
	/* §1.2: the receive right reuses our SEND name */
	ASSERT_EQ(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(0, mscount(p));
	EXPECT_EQ(1, nsrequest(p));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_NO_SENDERS);
	EXPECT_EQ(0, u.no_senders.not_count);
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12: when the port dies, a pending NO_SENDERS request is released: its
 * notify right yields SEND_ONCE; §1.10: no NO_SENDERS is sent.
 */
TEST(no_senders_request_released_on_death)
{
	mach_port_t p = new_port_send(), n = new_port(), prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_EQ(0, sorights(n));
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12 DEAD_NAME on a send and a send-once name: fires for each
 * registration when the port dies; §1.10: the names become dead names with
 * their urefs kept, +1 each for the request.
 */
TEST(dead_name_on_send_and_send_once)
{
	mach_port_t p = new_port_send(), n = new_port(), so, c, prev;
	int got_p = 0, got_so = 0, i;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	c = park(p);
	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_EQ(MACH_PORT_TYPE_SEND, ptype(p));
	ASSERT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));

	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	/* §1.13: the type shows the request */
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST, ptype(so));
	EXPECT_EQ(2, sorights(n));
	EXPECT_NO_NOTIF(n);

	ASSERT_EQ(KERN_SUCCESS, kill_parked(c));
	for (i = 0; i < 2; i++) {
		recv_notif(_metadata, n, &u, MACH_NOTIFY_DEAD_NAME);
		if (u.dead_name.not_port == p)
			got_p++;
		else if (u.dead_name.not_port == so)
			got_so++;
		else
			TH_LOG("DEAD_NAME for unexpected name 0x%x", u.dead_name.not_port);
	}
	EXPECT_EQ(1, got_p);
	EXPECT_EQ(1, got_so);
	EXPECT_NO_NOTIF(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(3, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(so));
	EXPECT_EQ(2, urefs(so, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
}

/*
 * §1.12 DEAD_NAME registered on a receive name (with a send uref): destroying
 * the receive right fires it; §1.10: the name becomes dead with urefs 1 + 1.
 */
TEST(dead_name_on_receive_name)
{
	mach_port_t p = new_port_send(), n = new_port(), prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, ptype(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_DEAD_NAME);
	EXPECT_EQ(p, u.dead_name.not_port);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12: DEAD_NAME on an already-dead name: sync != 0 sends it at once with
 * urefs + 1; sync == 0 -> KERN_INVALID_ARGUMENT.  Both for a dead name made
 * by allocate and for a send name whose port died.
 */
TEST(dead_name_on_dead_name)
{
	mach_port_t d = MACH_PORT_NULL, p = new_port_send(), n = new_port(), c, prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));

	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(d, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(0xdeadbeef, prev);
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	expect_failed_request_notified(_metadata, n, 1);
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(KERN_SUCCESS, request(d, MACH_NOTIFY_DEAD_NAME, 1, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	recv_notif(_metadata, n, &u, MACH_NOTIFY_DEAD_NAME);
	EXPECT_EQ(d, u.dead_name.not_port);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	EXPECT_EQ(2, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NO_NOTIF(n);

	/* a send name whose port died (not yet looked at) */
	c = park(p);
	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_EQ(KERN_SUCCESS, kill_parked(c));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	expect_failed_request_notified(_metadata, n, 1);
	EXPECT_NO_NOTIF(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 1, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	recv_notif(_metadata, n, &u, MACH_NOTIFY_DEAD_NAME);
	EXPECT_EQ(p, u.dead_name.not_port);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NO_NOTIF(n);
}

/*
 * §1.12 PORT_DELETED: a name with a dead-name request deleted while the port
 * lives: its last send uref deallocated, destroyed, or moved out in a message.
 */
TEST(port_deleted_send_name)
{
	mach_port_t n = new_port(), prev;
	union notif u;
	int how;

	ASSERT_TRUE(MACH_PORT_VALID(n));
	for (how = 0; how < 4; how++) {
		mach_port_t p = new_port_send(), c, r, dst = new_port();
		struct rcv_buf b;

		ASSERT_TRUE(MACH_PORT_VALID(p));
		ASSERT_TRUE(MACH_PORT_VALID(dst));
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
		c = park(p);
		ASSERT_TRUE(MACH_PORT_VALID(c));
		ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
		EXPECT_EQ(MACH_PORT_NULL, prev);
		switch (how) {
		case 0:	/* deallocate both urefs */
			ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
			EXPECT_NO_NOTIF(n);
			ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
			break;
		case 1:	/* mod_refs to 0 */
			ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -2));
			break;
		case 2:	/* destroy: all urefs at once */
			ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
			break;
		case 3:	/* moved out: the destination uref, then a descriptor uref */
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 7));
			EXPECT_NO_NOTIF(n);
			ASSERT_EQ(MACH_MSG_SUCCESS,
				  send_port_msg(dst, MACH_MSG_TYPE_MAKE_SEND, 0, 0, p,
						 MACH_MSG_TYPE_MOVE_SEND, 8));
			break;
		}
		recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DELETED);
		EXPECT_EQ(p, u.deleted.not_port) TH_LOG("case %d", how);
		EXPECT_NO_NOTIF(n);
		EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p)) TH_LOG("case %d", how);
		/* the port is alive: its receive right comes back */
		r = unpark(c);
		EXPECT_TRUE(MACH_PORT_VALID(r)) TH_LOG("case %d", how);
		if (how == 3) {
			EXPECT_EQ(1, msgcount(r));
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(dst, &b, 0, 0));
			EXPECT_EQ(8, b.hdr.msgh_id);
		}
	}
}

/* §1.12 PORT_DELETED for a send-once name deallocated (and §1.9 its SEND_ONCE to the port). */
TEST(port_deleted_send_once_name)
{
	mach_port_t p = new_port(), n = new_port(), so, prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, so));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DELETED);
	EXPECT_EQ(so, u.deleted.not_port);
	EXPECT_NO_NOTIF(n);
	recv_notif(_metadata, p, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));

	/* a send-once right moved out in a message (as the destination) */
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 44));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DELETED);
	EXPECT_EQ(so, u.deleted.not_port);
	EXPECT_NO_NOTIF(n);
	{
		struct rcv_buf b;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
		EXPECT_EQ(44, b.hdr.msgh_id);
	}
}

/*
 * §1.12 PORT_DELETED when a receive-only name with a dead-name request goes
 * away: destroyed (mod_refs(RECEIVE, -1)), or moved out in a message (§1.2).
 */
TEST(port_deleted_receive_only_name)
{
	mach_port_t p = new_port(), q = new_port(), c = new_port(), n = new_port(), prev;
	union notif u;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_TRUE(MACH_PORT_VALID(n));

	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DNREQUEST, ptype(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DELETED);
	EXPECT_EQ(p, u.deleted.not_port);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	EXPECT_NO_NOTIF(n);

	ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, q,
						   MACH_MSG_TYPE_MOVE_RECEIVE, 1));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DELETED);
	EXPECT_EQ(q, u.deleted.not_port);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(q));
	EXPECT_NO_NOTIF(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(c, &b, 0, 0));
}

/* Check a PORT_DESTROYED notification's descriptor; returns the receive right's name. */
static mach_port_t check_destroyed(struct __test_metadata *_metadata, union notif *u)
{
	EXPECT_EQ(1, u->destroyed.not_body.msgh_descriptor_count);
	EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (unsigned int)u->destroyed.not_port.type);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (unsigned int)u->destroyed.not_port.disposition);
	EXPECT_EQ(16, (unsigned int)u->destroyed.not_port.disposition);
	return u->destroyed.not_port.name;
}

/*
 * §1.12 PORT_DESTROYED: when the receive right would be destroyed
 * (mod_refs(RECEIVE, -1) or destroy), the port is not destroyed: its receive
 * right arrives in the notification with its queued messages, and the
 * request is consumed.
 */
TEST(port_destroyed)
{
	mach_port_t n = new_port(), prev;
	union notif u;
	int how;

	ASSERT_TRUE(MACH_PORT_VALID(n));
	for (how = 0; how < 2; how++) {
		mach_port_t p = new_port(), r;
		struct rcv_buf b;

		ASSERT_TRUE(MACH_PORT_VALID(p));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
		ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
		EXPECT_EQ(MACH_PORT_NULL, prev);
		EXPECT_EQ(1, pdrequest(p));
		EXPECT_NO_NOTIF(n);
		if (how == 0) {
			ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
		} else {
			ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
		}
		EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));

		recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DESTROYED);
		r = check_destroyed(_metadata, &u);
		ASSERT_TRUE(MACH_PORT_VALID(r));
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
		EXPECT_EQ(0, pdrequest(r));
		EXPECT_EQ(2, msgcount(r));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r, &b, 0, 0));
		EXPECT_EQ(1, b.hdr.msgh_id);
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r, &b, 0, 0));
		EXPECT_EQ(2, b.hdr.msgh_id);
		EXPECT_NO_NOTIF(n);
		/* consumed: destroying it again really destroys it */
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, r, MACH_PORT_RIGHT_RECEIVE, -1));
		EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(r));
		EXPECT_NO_NOTIF(n);
	}
}

/*
 * §1.10 exception + §1.12: with a port-destroyed request, destroying the
 * receive right of a SEND|RECEIVE name keeps the port alive; the name stays
 * a SEND name, and the receive right from the notification comes back
 * under it (§1.2 copyout reuses the SEND name).  (XNU ipc_right_delta: with
 * ip_pdrequest set, only the RECEIVE bit is dropped from the entry.)
 */
TEST(port_destroyed_with_send_right)
{
	mach_port_t p = new_port_send(), n = new_port(), r, prev;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	/* the port is alive: a message can still be sent to it */
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5));
	recv_notif(_metadata, n, &u, MACH_NOTIFY_PORT_DESTROYED);
	r = check_destroyed(_metadata, &u);
	EXPECT_EQ(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(1, msgcount(p));
}

/*
 * §1.9, §1.12 SEND_ONCE: a destroyed send-once right sends MACH_NOTIFY_SEND_ONCE
 * to its port: deallocate, mod_refs(SEND_ONCE, -1), destroy, and a queued
 * message carrying one (as reply or in a descriptor) destroyed.
 */
TEST(send_once_notifications)
{
	mach_port_t p = new_port(), c = new_port(), so;
	union notif u;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(c));

	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, so));
	recv_notif(_metadata, p, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(p);

	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, -1));
	recv_notif(_metadata, p, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(p);

	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, so));
	recv_notif(_metadata, p, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(p);

	/* queued on c: a MAKE_SEND_ONCE reply and a MOVE_SEND_ONCE descriptor */
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(c, MACH_MSG_TYPE_MAKE_SEND, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, so,
						   MACH_MSG_TYPE_MOVE_SEND_ONCE, 2));
	EXPECT_EQ(2, sorights(p));
	EXPECT_NO_NOTIF(p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, c));
	for (i = 0; i < 2; i++)
		recv_notif(_metadata, p, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(p);
	EXPECT_EQ(0, sorights(p));
}

/*
 * §1.12: a new request returns the previous notify right as a send-once
 * right in `previous` (deallocating it sends SEND_ONCE to its port); a NULL
 * notify cancels the request.
 */
TEST(previous_and_cancel)
{
	mach_port_t p = new_port_send(), n1 = new_port(), n2 = new_port(), prev;
	struct rcv_buf b;
	union notif u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(n1));
	ASSERT_TRUE(MACH_PORT_VALID(n2));

	/* NO_SENDERS */
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, n2, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
	EXPECT_EQ(1, sorights(n1));
	/* it is a working send-once right to n1 */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(prev, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 123));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(n1, &b, 0, 0));
	EXPECT_EQ(123, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(b.hdr.msgh_bits));
	EXPECT_EQ(0, sorights(n1));

	/* cancel: the n2 right comes back; deallocating it sends SEND_ONCE to n2 */
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
	EXPECT_EQ(0, nsrequest(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, prev));
	recv_notif(_metadata, n2, &u, MACH_NOTIFY_SEND_ONCE);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_NO_NOTIF(n1);
	EXPECT_NO_NOTIF(n2);
	/* cancelling with no request: previous is NULL */
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);

	/* DEAD_NAME */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, n2, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, prev));
	recv_notif(_metadata, n1, &u, MACH_NOTIFY_SEND_ONCE);
	ASSERT_EQ(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));	/* DNREQUEST bit gone */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, prev));
	recv_notif(_metadata, n2, &u, MACH_NOTIFY_SEND_ONCE);
	/* the port dies: nothing for the cancelled request, and urefs not bumped */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NO_NOTIF(n1);
	EXPECT_NO_NOTIF(n2);

	/* PORT_DESTROYED */
	{
		mach_port_t q = new_port();

		ASSERT_TRUE(MACH_PORT_VALID(q));
		ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_PORT_DESTROYED, 0, n1, &prev));
		EXPECT_EQ(MACH_PORT_NULL, prev);
		ASSERT_EQ(KERN_SUCCESS, request(q, MACH_NOTIFY_PORT_DESTROYED, 0, MACH_PORT_NULL, &prev));
		ASSERT_TRUE(MACH_PORT_VALID(prev));
		EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
		EXPECT_EQ(0, pdrequest(q));
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, prev));
		recv_notif(_metadata, n1, &u, MACH_NOTIFY_SEND_ONCE);
		/* cancelled: destroying q really destroys it */
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_RECEIVE, -1));
		EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(q));
		EXPECT_NO_NOTIF(n1);
	}
}

/*
 * §1.12 request errors: a name of the wrong kind -> KERN_INVALID_RIGHT; a
 * bad id -> KERN_INVALID_VALUE; a dead notify port -> KERN_INVALID_CAPABILITY;
 * PORT_DESTROYED with sync != 0 -> KERN_INVALID_VALUE.
 */
TEST(request_errors)
{
	mach_port_t p = new_port(), q = new_port_send(), n = new_port(), s = MACH_PORT_NULL;
	mach_port_t d = MACH_PORT_NULL, so, so_dead, x, c, prev;
	static const mach_msg_id_t bad_ids[] = {
		0, 1, MACH_NOTIFY_FIRST, MACH_NOTIFY_PORT_DELETED, 67, 68, MACH_NOTIFY_SEND_ONCE,
		73, MACH_NOTIFY_LAST, 1000, -1,
	};
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	c = park(q);	/* q: a send-only name */
	ASSERT_TRUE(MACH_PORT_VALID(c));

	/* NO_SENDERS and PORT_DESTROYED need a receive right */
	EXPECT_EQ(KERN_INVALID_RIGHT, request(q, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(so, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(d, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, MACH_NOTIFY_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(q, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(so, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(d, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev));
	/* DEAD_NAME needs a send, send-once or receive name (or a dead one) */
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));

	/* bad ids */
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++)
		EXPECT_EQ(KERN_INVALID_VALUE, request(p, bad_ids[i], 0, n, &prev))
			TH_LOG("id %d", bad_ids[i]);

	/* PORT_DESTROYED takes no sync */
	EXPECT_EQ(KERN_INVALID_VALUE, request(p, MACH_NOTIFY_PORT_DESTROYED, 1, n, &prev));
	EXPECT_EQ(0, pdrequest(p));

	/* each failed call above made and destroyed one send-once right to n */
	expect_failed_request_notified(_metadata, n, 9 + sizeof(bad_ids) / sizeof(bad_ids[0]) + 1);
	EXPECT_NO_NOTIF(n);
	EXPECT_EQ(0, sorights(n));

	/* a dead notify port: a send-once name whose port died, and a dead name */
	x = new_port();
	ASSERT_TRUE(MACH_PORT_VALID(x));
	so_dead = make_send_once(x);
	ASSERT_TRUE(MACH_PORT_VALID(so_dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, x, MACH_PORT_RIGHT_RECEIVE, -1));
	prev = 0xdeadbeef;
	EXPECT_EQ(KERN_INVALID_CAPABILITY,
		  mach_port_request_notification(TASK, p, MACH_NOTIFY_NO_SENDERS, 1, so_dead,
						 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(0xdeadbeef, prev);
	EXPECT_EQ(KERN_INVALID_CAPABILITY,
		  mach_port_request_notification(TASK, p, MACH_NOTIFY_NO_SENDERS, 1, d,
						 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(0, nsrequest(p));

	/* nothing was registered by the failed calls */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(q));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(0, pdrequest(p));
}

/*
 * §1.9: a port destroyed with messages queued that carry send-once rights
 * (reply and descriptor) sends a SEND_ONCE notification for each.
 */
TEST(port_death_destroys_queued_send_once_rights)
{
	mach_port_t q = new_port(), r = new_port(), so;
	union notif u;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2));
	so = make_send_once(r);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, so,
						   MACH_MSG_TYPE_MOVE_SEND_ONCE, 3));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, r,
						   MACH_MSG_TYPE_MAKE_SEND_ONCE, 4));
	EXPECT_EQ(4, sorights(r));
	EXPECT_NO_NOTIF(r);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < 4; i++)
		recv_notif(_metadata, r, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(r);
	EXPECT_EQ(0, sorights(r));
}

/*
 * A process killed (SIGKILL) while holding receive rights: its ports die
 * with its space, so the peer's send and send-once names for them become
 * dead names (§1.10, urefs kept +1 per request) and their dead-name
 * requests fire (§1.12); the send-once reply right queued on the dead port
 * sends SEND_ONCE (§1.9).
 */
TEST(process_death_fires_dead_name_requests)
{
	mach_port_t boot = new_port_send(), n = new_port(), reply = new_port();
	mach_port_t s, so, prev;
	int hold[2], got_s = 0, got_so = 0, i;
	struct rcv_buf b;
	union notif u;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(boot));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	ASSERT_TRUE(MACH_PORT_VALID(reply));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, boot));
	ASSERT_EQ(0, pipe2(hold, O_CLOEXEC));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL, cp = new_port();

		close(hold[1]);
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bp));
		ASSERT_TRUE(MACH_PORT_VALID(cp));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, cp, MACH_MSG_TYPE_MAKE_SEND, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_send_nb(bp, MACH_MSG_TYPE_COPY_SEND, cp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 2));
		/* wait to be killed */
		pipe_wait(hold[0]);
		CHILD_EXIT();
	}
	close(hold[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(boot, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(1, b.hdr.msgh_id);
	s = b.hdr.msgh_remote_port;
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(boot, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(2, b.hdr.msgh_id);
	so = b.hdr.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(MACH_PORT_TYPE_SEND, ptype(s));
	ASSERT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	ASSERT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));

	ASSERT_EQ(KERN_SUCCESS, request(s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	/* a request queued on the child's port, with a send-once reply right to us */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 3));
	EXPECT_NO_NOTIF(n);

	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(128 + SIGKILL, wait_child(pid));
	close(hold[1]);

	for (i = 0; i < 2; i++) {
		recv_notif(_metadata, n, &u, MACH_NOTIFY_DEAD_NAME);
		if (u.dead_name.not_port == s)
			got_s++;
		else if (u.dead_name.not_port == so)
			got_so++;
		else
			TH_LOG("DEAD_NAME for unexpected name 0x%x", u.dead_name.not_port);
	}
	EXPECT_EQ(1, got_s);
	EXPECT_EQ(1, got_so);
	EXPECT_NO_NOTIF(n);
	recv_notif(_metadata, reply, &u, MACH_NOTIFY_SEND_ONCE);
	EXPECT_NO_NOTIF(reply);

	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(s));
	EXPECT_EQ(2, urefs(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(so));
	EXPECT_EQ(2, urefs(so, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4));
}

TEST_HARNESS_MAIN
