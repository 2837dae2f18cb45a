// SPDX-License-Identifier: GPL-2.0
/*
 * Port sets: mach_port_allocate(PORT_SET), insert/extract/move_member,
 * get_set_status, and receiving on a set.
 *
 * Covers mach-semantics.md §1.11 (port sets: creation, membership calls and
 * every return code they list, sets are never carried in messages, receive
 * from any member without starving one, empty sets, membership changes while
 * a receive is blocked, destroying a set, get_set_status, RECEIVE_STATUS
 * mps_pset), §1.15 (modern choices: deallocate of a set succeeds,
 * move_member(port, NULL) on a port in no set -> KERN_NOT_IN_SET), §1.1
 * (msgh_local_port of a set receive is the member's name), §1.2 (MOVE_RECEIVE
 * removes the port from its sets; a set as destination -> INVALID_DEST),
 * §1.4 (FIFO per port), §1.5 (receiving directly on a member is allowed,
 * RCV_LARGE_IDENTITY, MACH_RCV_PORT_CHANGED), §1.6 (the trailer seqno of a
 * set receive is the member's).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

static mach_port_t new_set(void)
{
	mach_port_name_t s = MACH_PORT_NULL;

	if (mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return s;
}

/* RECEIVE_STATUS.mps_pset of a receive right, or 0xdeadbeef. */
static unsigned int in_pset(mach_port_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_pset;
}

/*
 * The members of set s, sorted, into out[max]; returns the count, or
 * 0xdeadbeef when get_set_status fails.  The vm_allocate'd array is freed.
 */
static unsigned int set_members(mach_port_t s, mach_port_name_t *out, unsigned int max)
{
	mach_port_name_array_t m = NULL;
	mach_msg_type_number_t cnt = 0xeeee, i, j;

	if (mach_port_get_set_status(TASK, s, &m, &cnt) != KERN_SUCCESS)
		return 0xdeadbeef;
	for (i = 0; i < cnt && i < max; i++) {
		mach_port_name_t v = m[i];

		for (j = i; j > 0 && out[j - 1] > v; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	if (cnt && vm_deallocate(TASK, (vm_address_t)m, cnt * sizeof(*m)) != KERN_SUCCESS)
		return 0xdeadbeef;
	return cnt;
}

/* s has exactly the one member p (or none when p is NULL). */
static int set_is(mach_port_t s, mach_port_t p)
{
	mach_port_name_t m[4];
	unsigned int n = set_members(s, m, 4);

	if (p == MACH_PORT_NULL)
		return n == 0;
	return n == 1 && m[0] == p;
}


/* §1.11: allocate(PORT_SET) makes a set; an empty set is legal and has no members. */
TEST(allocate_port_set)
{
	mach_port_t s = new_set();
	mach_port_name_array_t m = (mach_port_name_array_t)0x1;
	mach_msg_type_number_t cnt = 0xeeee;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, ptype(s));
	/* §1.13: a port set reports 1 uref, and 0 for rights it lacks */
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_PORT_SET));
	EXPECT_EQ(0, urefs(s, MACH_PORT_RIGHT_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(TASK, s, &m, &cnt));
	EXPECT_EQ(0, cnt);
	/* §1.5: a receive on an (empty) set is legal; timeout 0 polls */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
	/* §1.13: mod_refs(PORT_SET) accepts only 0 and -1 */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_PORT_SET, 1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_PORT_SET, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_PORT_SET, -1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
}

/*
 * §1.11: insert_member / extract_member: already a member -> ALREADY_IN_SET,
 * not a member -> NOT_IN_SET; RECEIVE_STATUS.mps_pset says whether the port
 * is in any set; get_set_status lists the members.
 */
TEST(insert_extract_member)
{
	mach_port_t s = new_set(), p = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, in_pset(p));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(TASK, p, s));

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	EXPECT_EQ(1, in_pset(p));
	EXPECT_TRUE(set_is(s, p));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(TASK, p, s));
	EXPECT_TRUE(set_is(s, p));
	/* the rights themselves are unchanged */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, ptype(s));

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(TASK, p, s));
	EXPECT_EQ(0, in_pset(p));
	EXPECT_TRUE(set_is(s, MACH_PORT_NULL));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(TASK, p, s));
	EXPECT_EQ(0, in_pset(p));
}

/* §1.11 (3248 allows a port to be in several sets): mps_pset stays 1 until the last set. */
TEST(member_of_several_sets)
{
	mach_port_t s1 = new_set(), s2 = new_set(), p = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(s1));
	ASSERT_TRUE(MACH_PORT_VALID(s2));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s2));
	EXPECT_TRUE(set_is(s1, p));
	EXPECT_TRUE(set_is(s2, p));
	EXPECT_EQ(1, in_pset(p));

	/* a message on p can be received through either set */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	{
		struct rcv_buf b;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s2, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_EQ(1, b.hdr.msgh_id);
		EXPECT_EQ(p, b.hdr.msgh_local_port);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s1));
	}

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(TASK, p, s1));
	EXPECT_TRUE(set_is(s1, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s2, p));
	EXPECT_EQ(1, in_pset(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(TASK, p, s2));
	EXPECT_EQ(0, in_pset(p));
}

/*
 * §1.11: move_member(port, set) removes the port from all its sets, then adds
 * it to set; with MACH_PORT_NULL it removes it from all sets, and on a port
 * in no set returns KERN_NOT_IN_SET (modern XNU, §1.15).
 */
TEST(move_member)
{
	mach_port_t s1 = new_set(), s2 = new_set(), s3 = new_set(), p = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(s1));
	ASSERT_TRUE(MACH_PORT_VALID(s2));
	ASSERT_TRUE(MACH_PORT_VALID(s3));
	ASSERT_TRUE(MACH_PORT_VALID(p));

	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_move_member(TASK, p, MACH_PORT_NULL));
	EXPECT_EQ(0, in_pset(p));

	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, p, s1));
	EXPECT_TRUE(set_is(s1, p));
	EXPECT_EQ(1, in_pset(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, p, s2));
	EXPECT_TRUE(set_is(s1, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s2, p));
	/* moving into the set it is already in keeps it there, once */
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, p, s2));
	EXPECT_TRUE(set_is(s2, p));

	/* from several sets at once */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, p, s3));
	EXPECT_TRUE(set_is(s1, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s2, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s3, p));

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, p, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s1, MACH_PORT_NULL));
	EXPECT_TRUE(set_is(s3, MACH_PORT_NULL));
	EXPECT_EQ(0, in_pset(p));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_move_member(TASK, p, MACH_PORT_NULL));
}

/*
 * §1.11: a member that is not a RECEIVE right, or a set name that is not a
 * PORT_SET -> KERN_INVALID_RIGHT; a name that does not exist -> KERN_INVALID_NAME.
 */
TEST(member_calls_wrong_rights)
{
	mach_port_t s = new_set(), p = new_port(), q = new_port_send(), d = MACH_PORT_NULL;
	mach_port_t so, x = stale_name();
	mach_port_t send_only, carrier = new_port();
	struct rcv_buf b;
	mach_port_name_array_t m = NULL;
	mach_msg_type_number_t cnt = 0;
	mach_port_t bad_members[4];
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(x));
	ASSERT_TRUE(MACH_PORT_VALID(carrier));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	/*
	 * A send-only name: q's receive right goes into a message queued on
	 * carrier, q keeps its send uref (§1.2 MOVE_RECEIVE).
	 */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(carrier, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, q,
						   MACH_MSG_TYPE_MOVE_RECEIVE, 5));
	send_only = q;
	ASSERT_EQ(MACH_PORT_TYPE_SEND, ptype(send_only));

	bad_members[0] = send_only;
	bad_members[1] = so;
	bad_members[2] = d;
	bad_members[3] = s;	/* a set is not a receive right */
	for (i = 0; i < 4; i++) {
		mach_port_t n = bad_members[i];

		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(TASK, n, s))
			TH_LOG("insert_member of name %u (0x%x)", i, n);
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(TASK, n, s))
			TH_LOG("extract_member of name %u (0x%x)", i, n);
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(TASK, n, s))
			TH_LOG("move_member of name %u (0x%x)", i, n);
	}
	/* a set name that is not a set: a receive right, a send right, a send-once, a dead name */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(TASK, p, carrier));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(TASK, p, send_only));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(TASK, p, so));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(TASK, p, d));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(TASK, p, carrier));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(TASK, p, d));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(TASK, p, carrier));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(TASK, p, so));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_set_status(TASK, p, &m, &cnt));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_set_status(TASK, d, &m, &cnt));

	/* names that do not exist */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(TASK, x, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(TASK, p, x));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_member(TASK, x, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_member(TASK, p, x));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_move_member(TASK, x, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_move_member(TASK, p, x));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_set_status(TASK, x, &m, &cnt));

	/* nothing changed */
	EXPECT_TRUE(set_is(s, MACH_PORT_NULL));
	EXPECT_EQ(0, in_pset(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	/* the parked receive right is still there */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(carrier, &b, 0, 0));
	EXPECT_EQ(5, b.hdr.msgh_id);
}

/* §1.11: get_set_status returns every member's name (vm_allocate'd, any count). */
TEST(get_set_status)
{
	enum { N = 100 };	/* more than libmach's first guess of 64 */
	mach_port_t s = new_set(), ports[N], sorted[N];
	mach_port_name_array_t m = NULL;
	mach_msg_type_number_t cnt = 0, i, j;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	for (i = 0; i < N; i++) {
		ports[i] = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(ports[i]));
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, ports[i], s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(TASK, s, &m, &cnt));
	ASSERT_EQ(3, cnt);
	for (i = 0; i < 3; i++) {
		int found = 0;

		for (j = 0; j < cnt; j++)
			found += m[j] == ports[i];
		EXPECT_EQ(1, found) TH_LOG("port 0x%x listed %d times", ports[i], found);
	}
	ASSERT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)m, cnt * sizeof(*m)));

	for (i = 3; i < N; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, ports[i], s));
	ASSERT_EQ(N, set_members(s, sorted, N));
	for (i = 0; i < N; i++) {
		int found = 0;

		for (j = 0; j < N; j++)
			found += sorted[j] == ports[i];
		EXPECT_EQ(1, found) TH_LOG("port 0x%x listed %d times", ports[i], found);
	}
	/* a member that goes away is no longer listed (§1.11 destroying unlinks) */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, ports[7], MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(N - 1, set_members(s, sorted, N));
	for (j = 0; j < N - 1; j++)
		EXPECT_NE(ports[7], sorted[j]);
}

/*
 * §1.11: a receive on the set returns a message from any member; §1.1: its
 * msgh_local_port is the member's name; §1.6: its trailer seqno is the
 * member's seqno.
 */
TEST(receive_on_set)
{
	mach_port_t s = new_set(), p1 = new_port(), p2 = new_port();
	mach_msg_seqno_trailer_t *tr;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p1, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p2, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(TASK, p2, 41));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 200));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_recv(s, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(200, b.hdr.msgh_id);
	EXPECT_EQ(p2, b.hdr.msgh_local_port);
	EXPECT_EQ(sizeof(struct small_msg), b.hdr.msgh_size);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_LOCAL(b.hdr.msgh_bits));
	tr = (mach_msg_seqno_trailer_t *)msg_trailer(&b.hdr);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, tr->msgh_trailer_type);
	EXPECT_EQ(sizeof(mach_msg_seqno_trailer_t), tr->msgh_trailer_size);
	EXPECT_EQ(41, tr->msgh_seqno);

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p1, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 100));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_recv(s, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(100, b.hdr.msgh_id);
	EXPECT_EQ(p1, b.hdr.msgh_local_port);
	tr = (mach_msg_seqno_trailer_t *)msg_trailer(&b.hdr);
	EXPECT_EQ(0, tr->msgh_seqno);

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 201));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_recv(s, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(201, b.hdr.msgh_id);
	EXPECT_EQ(p2, b.hdr.msgh_local_port);
	tr = (mach_msg_seqno_trailer_t *)msg_trailer(&b.hdr);
	EXPECT_EQ(42, tr->msgh_seqno);

	/* each member's own seqno advanced */
	{
		mach_port_status_t st;

		ASSERT_EQ(KERN_SUCCESS, port_status(p1, &st));
		EXPECT_EQ(1, st.mps_seqno);
		ASSERT_EQ(KERN_SUCCESS, port_status(p2, &st));
		EXPECT_EQ(43, st.mps_seqno);
	}
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
}

/* §1.5: receiving directly on a port that is in a set is allowed (never MACH_RCV_IN_SET). */
TEST(receive_on_member_directly)
{
	mach_port_t s = new_set(), p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	/* the set sees what is left, and only that */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
	/* still a member */
	EXPECT_EQ(1, in_pset(p));
}

/*
 * §1.11: no member starved: two members with many messages queued each; a
 * run of set receives returns messages from both, each port's in FIFO order
 * (§1.4).
 */
TEST(fairness)
{
	enum { N = 16 };
	mach_port_t s = new_set(), p1 = new_port(), p2 = new_port();
	int from1 = 0, from2 = 0, next1 = 0, next2 = 0, i;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p1, N));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p2, N));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p1, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p2, s));
	for (i = 0; i < N; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p1, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1000 + i));
	for (i = 0; i < N; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2000 + i));

	/* half as many receives as messages: both members must show up */
	for (i = 0; i < N; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &b, 0, LONG_TIMEOUT_MS));
		if (b.hdr.msgh_local_port == p1) {
			EXPECT_EQ(1000 + next1, b.hdr.msgh_id);
			next1++;
			from1++;
		} else {
			EXPECT_EQ(p2, b.hdr.msgh_local_port);
			EXPECT_EQ(2000 + next2, b.hdr.msgh_id);
			next2++;
			from2++;
		}
	}
	EXPECT_LT(0, from1) TH_LOG("%d receives on the set took only p2's messages", N);
	EXPECT_LT(0, from2) TH_LOG("%d receives on the set took only p1's messages", N);
	/* the rest drains, still in order per port */
	for (i = 0; i < N; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &b, 0, LONG_TIMEOUT_MS));
		if (b.hdr.msgh_local_port == p1) {
			EXPECT_EQ(1000 + next1++, b.hdr.msgh_id);
		} else {
			EXPECT_EQ(2000 + next2++, b.hdr.msgh_id);
		}
	}
	EXPECT_EQ(N, next1);
	EXPECT_EQ(N, next2);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
}

/* §1.11: a receiver blocked on the set is woken when a member gets a message. */
TEST(blocked_set_receiver_woken_by_member)
{
	mach_port_t s = new_set(), p1 = new_port(), p2 = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p1, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p2, s));
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 77));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(77, t.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(p2, t.buf.rcv.hdr.msgh_local_port);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
}

/*
 * §1.11: membership can change while a receive is blocked: a port that
 * already holds a message, inserted (or moved) into the set, feeds the
 * blocked receiver.
 */
TEST(insert_member_while_receiver_blocked)
{
	mach_port_t s = new_set(), q = new_port(), r = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 31));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 32));

	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, q, s));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(31, t.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(q, t.buf.rcv.hdr.msgh_local_port);

	/* the same through move_member */
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, r, s));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(32, t.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(r, t.buf.rcv.hdr.msgh_local_port);
}

/* §1.11: a member extracted while a receiver is blocked no longer feeds it. */
TEST(extract_member_while_receiver_blocked)
{
	mach_port_t s = new_set(), p = new_port(), q = new_port();
	struct msg_thread t;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, q, s));
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(TASK, p, s));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSG_SUCCESS, t.ret);
	EXPECT_EQ(2, t.buf.rcv.hdr.msgh_id);
	EXPECT_EQ(q, t.buf.rcv.hdr.msgh_local_port);
	/* p's message stayed on p */
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(1, b.hdr.msgh_id);
}

/*
 * §1.11, §1.5: destroying the set with mod_refs(PORT_SET, -1) unlinks its
 * members and wakes a blocked receiver with MACH_RCV_PORT_CHANGED.
 */
TEST(destroy_set_mod_refs_wakes_receiver)
{
	mach_port_t s = new_set(), p = new_port();
	struct msg_thread t;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_PORT_SET, -1));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, t.ret);
	EXPECT_EQ(0x10004006, t.ret);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
	/* the member lives on, in no set */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(0, in_pset(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 3));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(3, b.hdr.msgh_id);
}

/* §1.11, §1.15: deallocate on a set destroys it (modern XNU), with the same wakeup. */
TEST(destroy_set_deallocate_wakes_receiver)
{
	mach_port_t s = new_set(), p = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, t.ret);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
	EXPECT_EQ(0, in_pset(p));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_move_member(TASK, p, MACH_PORT_NULL));
}

/* §1.13: destroy on a set name removes the set, and the same wakeup (§1.11). */
TEST(destroy_set_destroy_wakes_receiver)
{
	mach_port_t s = new_set(), p = new_port();
	struct msg_thread t;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(0, start_blocked_receiver(&t, s, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, s));
	ASSERT_EQ(0, msg_thread_wait_done(&t, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, t.ret);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
	EXPECT_EQ(0, in_pset(p));
}

/*
 * §1.11: a set is never carried in a message: as destination ->
 * MACH_SEND_INVALID_DEST (§1.2), in a port descriptor -> MACH_SEND_INVALID_RIGHT;
 * insert_right(pset, MAKE_SEND) -> KERN_INVALID_RIGHT.  As a reply it is a
 * bad reply (§1.2 -> MACH_SEND_INVALID_REPLY).
 */
TEST(set_not_carried_in_messages)
{
	mach_port_t s = new_set(), p = new_port(), sent = MACH_PORT_NULL;
	mach_msg_type_name_t st = 0;
	static const mach_msg_type_name_t disps[] = {
		MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
		MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	};
	static const mach_msg_type_name_t dests[] = {
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_COPY_SEND,
		MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	};
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));

	for (i = 0; i < sizeof(dests) / sizeof(dests[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(s, dests[i], 0, 0, 1))
			TH_LOG("destination disposition %u", dests[i]);
	for (i = 0; i < sizeof(disps) / sizeof(disps[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_RIGHT,
			  send_port_msg(p, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, s, disps[i], 2))
			TH_LOG("descriptor disposition %u", disps[i]);
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, s, MACH_MSG_TYPE_MAKE_SEND, 3));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, s, MACH_MSG_TYPE_MAKE_SEND_ONCE, 3));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_right(TASK, s, s, MACH_MSG_TYPE_MAKE_SEND));
	/* §1.13 extract_right follows the copyin rules */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_right(TASK, s, MACH_MSG_TYPE_MAKE_SEND,
							      &sent, &st));

	/* nothing was queued and the set is intact */
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, ptype(s));
	EXPECT_TRUE(set_is(s, p));
}

/*
 * §1.2: moving a member's receive right out in a message removes the port
 * from all its sets; its queued messages go with it.
 */
TEST(move_receive_right_out_leaves_set)
{
	mach_port_t s = new_set(), p = new_port(), c = new_port(), r;
	struct port_msg *pm;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p, s));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  send_port_msg(c, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, p, MACH_MSG_TYPE_MOVE_RECEIVE, 10));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	EXPECT_TRUE(set_is(s, MACH_PORT_NULL));
	/* p's message is not seen through the set */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(c, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(10, b.hdr.msgh_id);
	pm = (struct port_msg *)&b.hdr;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (unsigned int)pm->port.disposition);
	r = pm->port.name;
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	EXPECT_EQ(0, in_pset(r));
	EXPECT_EQ(1, msgcount(r));
	EXPECT_TRUE(set_is(s, MACH_PORT_NULL));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r, &b, 0, 0));
	EXPECT_EQ(9, b.hdr.msgh_id);
}

/*
 * §1.5: with RCV_LARGE a too-small receive on a set leaves the message
 * queued and overwrites only msgh_size (the size without trailer);
 * RCV_LARGE_IDENTITY also writes the member's name into msgh_local_port.
 */
TEST(rcv_large_identity_on_set)
{
	mach_port_t s = new_set(), p1 = new_port(), p2 = new_port();
	mach_msg_header_t h;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p1, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, p2, s));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 55));

	memset(&h, 0, sizeof(h));
	h.msgh_local_port = 0x1234567;
	h.msgh_id = 0x7777;
	ASSERT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, sizeof(h), s,
			   LONG_TIMEOUT_MS, MACH_PORT_NULL));
	EXPECT_EQ(sizeof(struct small_msg), h.msgh_size);
	EXPECT_EQ(0x1234567, h.msgh_local_port);
	EXPECT_EQ(0x7777, h.msgh_id);

	memset(&h, 0, sizeof(h));
	h.msgh_id = 0x7777;
	ASSERT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE |
			   MACH_RCV_LARGE_IDENTITY, 0, sizeof(h), s, LONG_TIMEOUT_MS,
			   MACH_PORT_NULL));
	EXPECT_EQ(sizeof(struct small_msg), h.msgh_size);
	EXPECT_EQ(p2, h.msgh_local_port);
	EXPECT_EQ(0x7777, h.msgh_id);

	/* still queued: a big enough receive gets it */
	EXPECT_EQ(1, msgcount(p2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &b, 0, 0));
	EXPECT_EQ(55, b.hdr.msgh_id);
	EXPECT_EQ(p2, b.hdr.msgh_local_port);
}

/*
 * §1.11 under concurrency: several threads send to different members while
 * one receiver drains the set.  Every message arrives exactly once, with the
 * member's name in msgh_local_port, FIFO per port (§1.4) and the member's
 * own seqno in the trailer (§1.6).
 */
#define CS_SENDERS	4
#define CS_PER_SENDER	200

struct cs_sender {
	pthread_t thread;
	mach_port_t port;
	int index;
	int failures;
};

static void *cs_send_fn(void *arg)
{
	struct cs_sender *c = arg;
	int i;

	for (i = 0; i < CS_PER_SENDER; i++) {
		/* blocking send: the default qlimit of 5 makes senders wait on the receiver */
		if (msg_send(c->port, MACH_MSG_TYPE_MAKE_SEND, 0, 0,
			     (c->index << 16) | i, MACH_SEND_TIMEOUT, LONG_TIMEOUT_MS) != MACH_MSG_SUCCESS)
			c->failures++;
	}
	return NULL;
}

TEST(concurrent_senders)
{
	static unsigned char seen[CS_SENDERS][CS_PER_SENDER];
	struct cs_sender snd[CS_SENDERS];
	int next[CS_SENDERS] = { 0 };
	mach_port_t s = new_set();
	int i, total = 0, bad_port = 0, out_of_order = 0, bad_seqno = 0, dup = 0;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < CS_SENDERS; i++) {
		snd[i].port = new_port();
		snd[i].index = i;
		snd[i].failures = 0;
		ASSERT_TRUE(MACH_PORT_VALID(snd[i].port));
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, snd[i].port, s));
	}
	for (i = 0; i < CS_SENDERS; i++)
		ASSERT_EQ(0, pthread_create(&snd[i].thread, NULL, cs_send_fn, &snd[i]));

	for (total = 0; total < CS_SENDERS * CS_PER_SENDER; total++) {
		mach_msg_seqno_trailer_t *tr;
		int who, seq;

		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_recv(s, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
				   LONG_TIMEOUT_MS))
			TH_LOG("after %d messages", total);
		who = b.hdr.msgh_id >> 16;
		seq = b.hdr.msgh_id & 0xffff;
		ASSERT_TRUE(who >= 0 && who < CS_SENDERS && seq < CS_PER_SENDER)
			TH_LOG("unexpected id 0x%x", b.hdr.msgh_id);
		if (b.hdr.msgh_local_port != snd[who].port)
			bad_port++;
		if (seen[who][seq]++)
			dup++;
		if (seq != next[who])
			out_of_order++;
		tr = (mach_msg_seqno_trailer_t *)msg_trailer(&b.hdr);
		if (tr->msgh_seqno != (mach_port_seqno_t)next[who])
			bad_seqno++;
		next[who]++;
	}
	for (i = 0; i < CS_SENDERS; i++) {
		pthread_join(snd[i].thread, NULL);
		EXPECT_EQ(0, snd[i].failures) TH_LOG("sender %d", i);
		EXPECT_EQ(CS_PER_SENDER, next[i]) TH_LOG("sender %d", i);
	}
	EXPECT_EQ(0, bad_port);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, out_of_order);
	EXPECT_EQ(0, bad_seqno);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
}

/*
 * The same with processes: forked children (fresh spaces) send through send
 * rights to the members, received from the bootstrap port (issue 3
 * inheritance), while the parent drains the set.
 */
#define CP_CHILDREN	3
#define CP_PER_CHILD	100

TEST(concurrent_sender_processes)
{
	static unsigned char seen[CP_CHILDREN][CP_PER_CHILD];
	mach_port_t s = new_set(), boot = new_port_send(), ports[CP_CHILDREN];
	pid_t pids[CP_CHILDREN];
	int next[CP_CHILDREN] = { 0 };
	int i, total, dup = 0, bad_port = 0, out_of_order = 0;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(boot));
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, boot));
	for (i = 0; i < CP_CHILDREN; i++) {
		ports[i] = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(ports[i]));
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, ports[i], s));
	}
	for (i = 0; i < CP_CHILDREN; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			mach_port_t bp = MACH_PORT_NULL, reply = mach_reply_port(), dest;
			struct rcv_buf rb;
			int k;

			ASSERT_EQ(KERN_SUCCESS,
				  task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bp));
			ASSERT_TRUE(MACH_PORT_VALID(reply));
			/* ask for our member, answered with a send right in a port descriptor */
			ASSERT_EQ(MACH_MSG_SUCCESS,
				  msg_send(bp, MACH_MSG_TYPE_COPY_SEND, reply,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE, i, MACH_SEND_TIMEOUT,
					   LONG_TIMEOUT_MS));
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(reply, &rb, 0, LONG_TIMEOUT_MS));
			dest = ((struct port_msg *)&rb.hdr)->port.name;
			ASSERT_TRUE(MACH_PORT_VALID(dest));
			for (k = 0; k < CP_PER_CHILD; k++)
				ASSERT_EQ(MACH_MSG_SUCCESS,
					  msg_send(dest, MACH_MSG_TYPE_COPY_SEND, 0, 0,
						   (i << 16) | k, MACH_SEND_TIMEOUT, LONG_TIMEOUT_MS));
			CHILD_EXIT();
		}
	}
	/* hand each child a send right to its member */
	for (i = 0; i < CP_CHILDREN; i++) {
		struct port_msg m;
		int who;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(boot, &b, 0, LONG_TIMEOUT_MS));
		who = b.hdr.msgh_id;
		ASSERT_TRUE(who >= 0 && who < CP_CHILDREN);
		memset(&m, 0, sizeof(m));
		m.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0,
						     MACH_MSGH_BITS_COMPLEX);
		m.hdr.msgh_size = sizeof(m);
		m.hdr.msgh_remote_port = b.hdr.msgh_remote_port;
		m.body.msgh_descriptor_count = 1;
		m.port.name = ports[who];
		m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.port.type = MACH_MSG_PORT_DESCRIPTOR;
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0,
						     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	}
	for (total = 0; total < CP_CHILDREN * CP_PER_CHILD; total++) {
		int who, seq;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &b, 0, LONG_TIMEOUT_MS))
			TH_LOG("after %d messages", total);
		who = b.hdr.msgh_id >> 16;
		seq = b.hdr.msgh_id & 0xffff;
		ASSERT_TRUE(who >= 0 && who < CP_CHILDREN && seq < CP_PER_CHILD)
			TH_LOG("unexpected id 0x%x", b.hdr.msgh_id);
		if (b.hdr.msgh_local_port != ports[who])
			bad_port++;
		if (seen[who][seq]++)
			dup++;
		if (seq != next[who])
			out_of_order++;
		next[who]++;
	}
	for (i = 0; i < CP_CHILDREN; i++) {
		EXPECT_EQ(0, wait_child(pids[i])) TH_LOG("child %d", i);
		EXPECT_EQ(CP_PER_CHILD, next[i]) TH_LOG("child %d", i);
	}
	EXPECT_EQ(0, bad_port);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, out_of_order);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(s));
}

TEST_HARNESS_MAIN
