// SPDX-License-Identifier: GPL-2.0
/*
 * MACH_SEND_NOTIFY and send-possible notifications (mach-semantics-2.md §8,
 * read from XNU's ipc_right.c ipc_right_request_alloc, ipc_port.c
 * ipc_port_request_sparm / ipc_port_spnotify / ipc_port_dnnotify and
 * ipc_kmsg.c ipc_kmsg_copyin_header / ipc_kmsg_copyout_header).
 *
 * The request shares the name's one slot with dead-name requests; with
 * sync it fires at once unless the queue is full, when it is stored armed;
 * without sync it is stored unarmed until a MACH_SEND_NOTIFY send finds the
 * queue full.  An armed request fires once, as MACH_NOTIFY_SEND_POSSIBLE,
 * when a message is received from the port; the port's death fires any
 * request that still holds its right as MACH_NOTIFY_DEAD_NAME.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"

union sp_notif {
	mach_msg_header_t hdr;
	mach_send_possible_notification_t sp;
	mach_dead_name_notification_t dn;
	mach_port_deleted_notification_t del;
	struct rcv_buf raw;
};

static kern_return_t sp_request(mach_port_t name, mach_port_mscount_t sync, mach_port_t notify,
				mach_port_t *prev)
{
	*prev = 0xdeadbeef;
	return mach_port_request_notification(TASK, name, MACH_NOTIFY_SEND_POSSIBLE, sync, notify,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE, prev);
}

/*
 * The next notification on n: its id (-1 if none, -2 if malformed), and
 * for the 36-byte ones (SEND_POSSIBLE, DEAD_NAME, PORT_DELETED) not_port.
 */
static int notif(mach_port_t n, mach_port_name_t *name)
{
	union sp_notif u;

	memset(&u, 0, sizeof(u));
	if (mach_msg(&u.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), n, 200,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	if (MACH_MSGH_BITS_LOCAL(u.hdr.msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE)
		return -2;
	if (u.hdr.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return u.hdr.msgh_size == 24 ? MACH_NOTIFY_SEND_ONCE : -2;
	if (u.hdr.msgh_size != 36)
		return -2;
	*name = u.sp.not_port;
	return u.hdr.msgh_id;
}

/* Nothing on n. */
static int quiet(mach_port_t n)
{
	union sp_notif u;

	return mach_msg(&u.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), n, 0,
			MACH_PORT_NULL) == MACH_RCV_TIMED_OUT;
}

static int drain_one(mach_port_t p)
{
	struct rcv_buf b;

	return msg_recv(p, &b, 0, 0) == MACH_MSG_SUCCESS;
}

FIXTURE(sp)
{
	mach_port_t p, n;
	struct mstats base;
	int have;
};

/* p: receive + send, qlimit 1; n: the notify port. */
FIXTURE_SETUP(sp)
{
	self->have = stats_warm_base(&self->base);
	self->p = new_port_send();
	self->n = new_port();
	ASSERT_NE(MACH_PORT_NULL, self->p);
	ASSERT_NE(MACH_PORT_NULL, self->n);
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(self->p, 1));
}

FIXTURE_TEARDOWN(sp)
{
	mach_port_type_t t;

	if (mach_port_type(TASK, self->p, &t) == KERN_SUCCESS && (t & MACH_PORT_TYPE_RECEIVE))
		mach_port_mod_refs(TASK, self->p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_destroy(TASK, self->p);
	/* every notify right was used or destroyed: no send-once right is left */
	EXPECT_EQ(0, sorights(self->n));
	mach_port_mod_refs(TASK, self->n, MACH_PORT_RIGHT_RECEIVE, -1);
	EXPECT_STATS_BASE(self->have, self->base);
}

/* sync on a queue with room: fires at once, nothing is stored. */
TEST_F(sp, sync_not_full_fires_at_once)
{
	mach_port_t prev, name = 0;

	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 1, self->n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	EXPECT_EQ(self->p, name);
	/* nothing stored: filling and draining fires nothing */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_TRUE(quiet(self->n));
	EXPECT_EQ(0, sorights(self->n));
	/* the request type bits stay hidden from mach_port_type */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(self->p));
}

/* sync on a full queue: armed; not fired while full; fired on receive, once. */
TEST_F(sp, armed_on_full_fired_on_drain_once)
{
	mach_port_t prev, name = 0;

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 1, self->n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_TRUE(quiet(self->n));
	EXPECT_EQ(1, sorights(self->n));
	/* sends that time out on the full queue fire nothing */
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	EXPECT_TRUE(quiet(self->n));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	EXPECT_EQ(self->p, name);
	EXPECT_EQ(0, sorights(self->n));
	/* once: the slot is empty now */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	EXPECT_EQ(MACH_SEND_TIMED_OUT,
		  msg_send(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4,
			   MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY, 0));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_TRUE(quiet(self->n));
	/* re-registering gives no previous right (it was used) */
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, MACH_PORT_NULL, &prev));
	EXPECT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
	mach_port_deallocate(TASK, prev);
	/* the destroyed right told its port */
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
}

/*
 * sync 0: unarmed, fires never on its own; MACH_SEND_NOTIFY on a full queue
 * arms it (the send still times out), and the next receive fires it.
 */
TEST_F(sp, send_notify_arms)
{
	mach_port_t prev, name = 0;

	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	EXPECT_TRUE(quiet(self->n));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_TRUE(quiet(self->n));
	/* with room, SEND_NOTIFY arms nothing */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2,
			   MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY, 0));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_TRUE(quiet(self->n));
	/* full: armed, and the send is not forced through */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	EXPECT_EQ(MACH_SEND_TIMED_OUT,
		  msg_send(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4,
			   MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY, 0));
	EXPECT_EQ(1, msgcount(self->p));
	EXPECT_TRUE(quiet(self->n));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	EXPECT_EQ(self->p, name);
}

/* Destroying a message (TOO_LARGE discard) is not a receive: nothing fires. */
TEST_F(sp, too_large_discard_does_not_fire)
{
	mach_port_t prev, name = 0;
	mach_msg_header_t h;

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 1, self->n, &prev));
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), self->p, 0,
			   MACH_PORT_NULL));
	EXPECT_EQ(0, msgcount(self->p));
	EXPECT_TRUE(quiet(self->n));
	/* raising the qlimit fires nothing either */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(self->p, 5));
	EXPECT_TRUE(quiet(self->n));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
}

/*
 * Port death: an armed or unarmed request fires as DEAD_NAME and the name
 * gets a uref for it; an already-fired one adds nothing.
 */
TEST_F(sp, port_death)
{
	mach_port_t prev, name = 0;

	/* the send uref keeps the name, as a dead name, after the receive right */
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, self->p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, notif(self->n, &name));
	EXPECT_EQ(self->p, name);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(self->p));
	EXPECT_EQ(2, urefs(self->p, MACH_PORT_RIGHT_DEAD_NAME));
	/* a request on a dead name: DEAD_NAME at once, +1, whatever sync */
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_NOTIFY_DEAD_NAME, notif(self->n, &name));
	EXPECT_EQ(3, urefs(self->p, MACH_PORT_RIGHT_DEAD_NAME));
	mach_port_destroy(TASK, self->p);

	/* fired first (armed, drained), then the port dies: no uref, nothing sent */
	self->p = new_port_send();
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(self->p, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 1, self->n, &prev));
	ASSERT_TRUE(drain_one(self->p));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, self->p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(quiet(self->n));
	EXPECT_EQ(1, urefs(self->p, MACH_PORT_RIGHT_DEAD_NAME));
}

/* One slot: a send-possible request replaces a dead-name request and back. */
TEST_F(sp, shares_slot_with_dead_name)
{
	mach_port_t prev, prev2, name = 0;

	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_request_notification(TASK, self->p, MACH_NOTIFY_DEAD_NAME, 0, self->n,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	EXPECT_TRUE(MACH_PORT_VALID(prev));
	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_request_notification(TASK, self->p, MACH_NOTIFY_DEAD_NAME, 0, self->n,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev2));
	EXPECT_TRUE(MACH_PORT_VALID(prev2));
	/* the immediate form cancels the slot's request too, handing it back */
	mach_port_deallocate(TASK, prev);
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 1, self->n, &prev));
	EXPECT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	mach_port_deallocate(TASK, prev);
	mach_port_deallocate(TASK, prev2);
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
}

/*
 * An unfired request whose name goes while the port lives (the receive
 * right moved into a message): PORT_DELETED, with the name.
 */
TEST_F(sp, name_moved_port_deleted)
{
	mach_port_t prev, name = 0, c = new_port(), q = new_port();
	struct cmsg cm;

	ASSERT_NE(MACH_PORT_NULL, c);
	ASSERT_NE(MACH_PORT_NULL, q);
	ASSERT_EQ(KERN_SUCCESS, sp_request(q, 0, self->n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, c, c, MACH_MSG_TYPE_MAKE_SEND));
	cm_init(&cm, c, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 0x31);
	cm_port(&cm, q, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&cm, 0, 0));
	EXPECT_EQ(MACH_NOTIFY_PORT_DELETED, notif(self->n, &name));
	EXPECT_EQ(q, name);
	/* the port dies with the queued message: nothing more */
	mach_port_mod_refs(TASK, c, MACH_PORT_RIGHT_RECEIVE, -1);
	EXPECT_TRUE(quiet(self->n));
}

/* Request errors (§8, registration). */
TEST_F(sp, request_errors)
{
	mach_port_t prev, set = MACH_PORT_NULL, name = 0;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, sp_request(MACH_PORT_NULL, 1, self->n, &prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, sp_request(MACH_PORT_DEAD, 1, self->n, &prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	EXPECT_EQ(KERN_INVALID_NAME, sp_request(0x7777, 1, self->n, &prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &set));
	EXPECT_EQ(KERN_INVALID_RIGHT, sp_request(set, 1, self->n, &prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, notif(self->n, &name));
	mach_port_mod_refs(TASK, set, MACH_PORT_RIGHT_PORT_SET, -1);
}

/* A send-once name: a send on it can never block, so sync fires at once. */
TEST_F(sp, send_once_name_fires_at_once)
{
	mach_port_t prev, so = MACH_PORT_NULL, name = 0;
	mach_msg_type_name_t t;

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, self->p,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	ASSERT_EQ(KERN_SUCCESS, sp_request(so, 1, self->n, &prev));
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	EXPECT_EQ(so, name);
	mach_port_deallocate(TASK, so);
	/* the destroyed send-once right notifies p */
	ASSERT_TRUE(drain_one(self->p));
	ASSERT_TRUE(drain_one(self->p));
}

/* A sender blocked on the full queue with SEND_NOTIFY: the drain fires it and lets it in. */
static void *blocked_sender(void *arg)
{
	mach_port_t p = *(mach_port_t *)arg;

	return (void *)(intptr_t)msg_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 9,
					  MACH_SEND_NOTIFY | MACH_SEND_TIMEOUT, LONG_TIMEOUT_MS);
}

TEST_F(sp, blocked_sender_and_notification)
{
	mach_port_t prev, name = 0;
	pthread_t t;
	void *ret;

	ASSERT_EQ(KERN_SUCCESS, sp_request(self->p, 0, self->n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(self->p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_sender, &self->p));
	sleep_ms(150);
	EXPECT_TRUE(quiet(self->n));
	ASSERT_TRUE(drain_one(self->p));
	pthread_join(t, &ret);
	EXPECT_EQ(MACH_MSG_SUCCESS, (mach_msg_return_t)(intptr_t)ret);
	EXPECT_EQ(MACH_NOTIFY_SEND_POSSIBLE, notif(self->n, &name));
	EXPECT_EQ(1, msgcount(self->p));
}

TEST_HARNESS_MAIN
