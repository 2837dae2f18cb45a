// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* API of libmach against mach.ko.
 *
 * Covers mach-semantics.md: §1.2 (urefs: 16 bits, overflow and saturation
 * bounds, rights reporting 1 uref), §1.8 (qlimit bounds), §1.9 (send-once
 * rights and their SEND_ONCE notification), §1.10 (dead names and their
 * urefs), §1.13 (every mach_port_* call and each return code it lists, the
 * name shape), §1.14 (task_self, thread_self, mach_reply_port), §1.15 (modern
 * choices: mod_refs(LABELH) -> INVALID_RIGHT, overflow bound >=), and the
 * task special ports / mach_ports_register of issue 3.
 *
 * Where the spec is silent and a value is XNU's, the comment says "XNU".
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

/* §1.13: a new port has no send rights, qlimit 5, mscount 0, seqno 0, no requests. */
TEST(allocate_receive_defaults)
{
	mach_port_t p = MACH_PORT_NULL;
	mach_port_status_t st;
	mach_port_limits_t lim = { 0xeeee };
	mach_msg_type_number_t cnt = MACH_PORT_LIMITS_INFO_COUNT;
	mach_port_context_t ctx = 0xeeee;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_RECEIVE, &p));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(0, st.mps_pset);
	EXPECT_EQ(0, st.mps_seqno);
	EXPECT_EQ(0, st.mps_mscount);
	EXPECT_EQ(MACH_PORT_QLIMIT_DEFAULT, st.mps_qlimit);
	EXPECT_EQ(5, st.mps_qlimit);
	EXPECT_EQ(0, st.mps_msgcount);
	EXPECT_EQ(0, st.mps_sorights);
	EXPECT_EQ(0, st.mps_srights);
	EXPECT_EQ(0, st.mps_pdrequest);
	EXPECT_EQ(0, st.mps_nsrequest);
	EXPECT_EQ(0, st.mps_flags);
	EXPECT_EQ(0, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(TASK, p, MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&lim, &cnt));
	EXPECT_EQ(MACH_PORT_LIMITS_INFO_COUNT, cnt);
	EXPECT_EQ(5, lim.mpl_qlimit);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, p, &ctx));
	EXPECT_EQ(0, ctx);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.10: allocate(DEAD_NAME) creates a dead name with 1 uref. */
TEST(allocate_dead_name)
{
	mach_port_t d = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_TRUE(MACH_PORT_VALID(d));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, urefs(d, MACH_PORT_RIGHT_SEND));
	/* §1.2: a dead name is never a valid destination */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(d, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
}

/* §1.13: allocate of any right but RECEIVE, PORT_SET, DEAD_NAME -> KERN_INVALID_VALUE. */
TEST(allocate_bad_right)
{
	mach_port_t p;

	p = 0x55;
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, MACH_PORT_RIGHT_SEND, &p));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, MACH_PORT_RIGHT_SEND_ONCE, &p));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, MACH_PORT_RIGHT_LABELH, &p));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, MACH_PORT_RIGHT_NUMBER, &p));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, 100, &p));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(TASK, 0xffffffffU, &p));
}

/* §1.13: mach_port_* calls on a bad task give KERN_INVALID_TASK. */
TEST(bad_task)
{
	mach_port_t p = new_port();
	mach_port_t q;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &q));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(p, MACH_PORT_RIGHT_RECEIVE, &q));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_deallocate(p, p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
}

/* §1.13: allocate_name: explicit name; NULL/DEAD -> INVALID_VALUE; in use -> NAME_EXISTS. */
TEST(allocate_name)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(x));
	ASSERT_EQ(KERN_INVALID_NAME, ptype_kr(x));

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, x));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(x));
	/* a working port: a message goes through it */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(x, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9));
	EXPECT_EQ(1, msgcount(x));

	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, p));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, x));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, d));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, mach_task_self()));

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD));
	/* the existing rights are unchanged */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/*
 * XNU's ipc_entry_alloc_name checks a chosen name before anything else:
 * an index past the table -> NO_SPACE; generation bits XNU never makes (its
 * two rollover bits clear) -> INVALID_VALUE; index 0 or an index in use
 * under another generation -> FAILURE; only a name exactly in use is
 * NAME_EXISTS.  A free index takes any valid generation.
 */
TEST(allocate_name_checks)
{
	mach_port_t p = new_port();
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(x));
	EXPECT_EQ(3, p & 3);
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, p & ~3U));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, p ^ 1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, x ^ 2));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, 0x100));
	EXPECT_EQ(KERN_FAILURE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, 0x7b));
	EXPECT_EQ(KERN_FAILURE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, 0x03));
	EXPECT_EQ(KERN_FAILURE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, p ^ 4));
	EXPECT_EQ(KERN_FAILURE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, p ^ 0x80));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, p));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, 0xffffff03));
	/* the table bound comes first, before the generation */
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_RECEIVE, 0xffffff00));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p ^ 4));
	/* a free index: any valid generation */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_PORT_SET, x ^ 4));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, ptype(x ^ 4));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));
}

static unsigned int count_type(mach_port_type_t want, mach_port_name_t *names_out,
			       unsigned int max)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0, tcnt = 0, i, n = 0;

	/* the arrays are left to the process's exit: no vm_deallocate needed here */
	if (mach_port_names(TASK, &names, &ncnt, &types, &tcnt) != KERN_SUCCESS || ncnt != tcnt)
		return 0xdeadbeef;
	for (i = 0; i < ncnt; i++) {
		if ((types[i] & MACH_PORT_TYPE_ALL_RIGHTS) == want) {
			if (names_out && n < max)
				names_out[n] = names[i];
			n++;
		}
	}
	return n;
}

/*
 * §1.13 quirk: allocate_name(DEAD_NAME) ignores the requested name, succeeds
 * even when it is in use, and the new 1-uref dead name gets a kernel-picked name.
 */
TEST(allocate_name_dead_name_quirk)
{
	mach_port_t p = new_port();
	mach_port_name_t dn[4];
	unsigned int before;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	before = count_type(MACH_PORT_TYPE_DEAD_NAME, NULL, 0);
	ASSERT_EQ(0, before);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(TASK, MACH_PORT_RIGHT_DEAD_NAME, p));
	/* p is untouched */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	/* and there is one new dead name elsewhere, with 1 uref */
	ASSERT_EQ(1, count_type(MACH_PORT_TYPE_DEAD_NAME, dn, 4));
	EXPECT_NE(p, dn[0]);
	EXPECT_TRUE(MACH_PORT_VALID(dn[0]));
	EXPECT_EQ(1, urefs(dn[0], MACH_PORT_RIGHT_DEAD_NAME));
}

/* §1.13 deallocate: -1 uref on SEND; receive-only -> INVALID_RIGHT. */
TEST(deallocate_send)
{
	mach_port_t p = new_port_send();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_deallocate(TASK, p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
}

/* §1.9: deallocating a send-once right sends MACH_NOTIFY_SEND_ONCE to its port. */
TEST(deallocate_send_once_notifies)
{
	mach_port_t p = new_port(), so;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_NE(p, so);
	EXPECT_EQ(1, sorights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, so));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	expect_send_once_notification(_metadata, p);
	EXPECT_EQ(0, sorights(p));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.10: dead names lose a uref per deallocate and are freed at 0. */
TEST(deallocate_dead_name)
{
	mach_port_t d = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 2));
	EXPECT_EQ(3, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, d));
	EXPECT_EQ(2, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, d));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(d));
	/* XNU: a name not in the space -> KERN_INVALID_NAME */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(TASK, d));
}

/* §1.10: deallocate, destroy, mod_refs(SEND/SEND_ONCE) on NULL or DEAD are no-ops. */
TEST(null_and_dead_names_are_noops)
{
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND, 1));
	/* the task port is untouched by all that */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(mach_task_self()));
}

/* §1.13 destroy: every right under the name goes, with its side effects. */
TEST(destroy)
{
	mach_port_t p = new_port_send(), q = new_port(), so, d = MACH_PORT_NULL;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));

	/* a send-once right: destroyed with its notification (§1.9) */
	so = make_send_once(q);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, so));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	expect_send_once_notification(_metadata, q);

	/* a dead name with several urefs: all gone */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 4));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, d));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(d));
}

/* §1.13 mod_refs(SEND): deltas, underflow -> INVALID_VALUE, 0 frees the send part. */
TEST(mod_refs_send)
{
	mach_port_t p = new_port_send();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 0));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 10));
	EXPECT_EQ(12, urefs(p, MACH_PORT_RIGHT_SEND));
	/* urefs are a count in the space: the port still has one send right */
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -5));
	EXPECT_EQ(7, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -8));
	EXPECT_EQ(7, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -7));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
}

/*
 * §1.2 urefs are 16 bits; §1.15: the modern bound is >=, so a name holds at
 * most 0xfffe urefs and reaching 0xffff gives KERN_UREFS_OVERFLOW.
 */
TEST(mod_refs_overflow)
{
	mach_port_t p = new_port_send(), d = MACH_PORT_NULL;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 0xfffe));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 0x7fffffff));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 0xfffd));
	EXPECT_EQ(0xfffe, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(0xfffe, urefs(p, MACH_PORT_RIGHT_SEND));
	/* §1.2: insert_right fails the same way */
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(0xfffe, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -0xfffd));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 0xfffe));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 0xfffd));
	EXPECT_EQ(0xfffe, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, -0xffff));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, -0xfffe));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(d));
}

/* §1.13: RECEIVE accepts only delta 0 or -1; -1 destroys the port. */
TEST(mod_refs_receive)
{
	mach_port_t p = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, 0));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, 1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -2));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
}

/*
 * §1.10: destroying the receive right while holding send urefs under the same
 * name leaves a DEAD_NAME with the same urefs; a send-once name for it becomes
 * a dead name with 1 uref.
 */
TEST(receive_death_leaves_dead_names)
{
	mach_port_t p = new_port_send(), so;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 2));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(3, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	/* mod_refs(SEND_ONCE) on a name whose port died: converts, INVALID_RIGHT */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(so));
	EXPECT_EQ(1, urefs(so, MACH_PORT_RIGHT_DEAD_NAME));
	/* §1.2: sending to a dead name -> INVALID_DEST */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	/* dead urefs go one by one */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_DEAD_NAME, -2));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, so));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
}

/* §1.10: mod_refs(SEND) on a name whose port died converts it and returns INVALID_RIGHT. */
TEST(mod_refs_send_on_died_port)
{
	mach_port_t p = new_port_send(), so;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	/* destroy the receive right while the name also holds a send uref */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(so));
}

/* §1.9, §1.13: SEND_ONCE accepts delta 0 and -1 only. */
TEST(mod_refs_send_once)
{
	mach_port_t p = new_port(), so;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, urefs(so, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, 1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, -2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, 0));
	EXPECT_EQ(1, urefs(so, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(1, sorights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	expect_send_once_notification(_metadata, p);
}

/*
 * §1.13: right >= MACH_PORT_RIGHT_NUMBER -> INVALID_VALUE; a right the name
 * lacks, LABELH included (§1.15), -> INVALID_RIGHT.
 */
TEST(mod_refs_bad_right)
{
	mach_port_t p = new_port(), q = new_port(), so, d = MACH_PORT_NULL, s;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	so = make_send_once(q);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	s = mach_task_self();	/* a send-only name */

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_NUMBER, 0));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, 7, -1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, p, 0xffffffffU, 1));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_NUMBER, -1));

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_LABELH, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_LABELH, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_LABELH, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 0));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_DEAD_NAME, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_PORT_SET, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, so, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_RECEIVE, -1));

	/* nothing changed */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(s));
}

/*
 * §1.13 get_refs: urefs for the right (1 for receive and send-once); 0 when
 * the name holds other rights only (LABELH included); no such name ->
 * INVALID_NAME. §1.10: NULL or DEAD with SEND/SEND_ONCE -> 1.
 */
TEST(get_refs)
{
	mach_port_t p = new_port_send(), so, d = MACH_PORT_NULL;
	mach_port_urefs_t u;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 6));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 4));

	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(5, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_PORT_SET));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_LABELH));
	EXPECT_EQ(1, urefs(so, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(0, urefs(so, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, urefs(so, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(7, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0, urefs(d, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, urefs(d, MACH_PORT_RIGHT_RECEIVE));

	u = 0x77;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(TASK, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &u));
	EXPECT_EQ(1, u);
	u = 0x77;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(TASK, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND, &u));
	EXPECT_EQ(1, u);
	u = 0x77;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(TASK, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND_ONCE, &u));
	EXPECT_EQ(1, u);
	u = 0x77;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(TASK, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND_ONCE, &u));
	EXPECT_EQ(1, u);

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(TASK, stale_name(), MACH_PORT_RIGHT_SEND, &u));
	/* XNU mach_port_get_refs: right >= MACH_PORT_RIGHT_NUMBER -> KERN_INVALID_VALUE */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(TASK, p, MACH_PORT_RIGHT_NUMBER, &u));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(TASK, p, 100, &u));
}

/* §1.13 type bitmask; §1.10 type(DEAD) -> DEAD_NAME, type(NULL) -> INVALID_NAME. */
TEST(port_type)
{
	mach_port_t p = new_port(), ps = new_port_send(), so, d = MACH_PORT_NULL;
	mach_port_type_t t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(ps));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));

	EXPECT_EQ(0x20000, MACH_PORT_TYPE_RECEIVE);
	EXPECT_EQ(0x10000, MACH_PORT_TYPE_SEND);
	EXPECT_EQ(0x40000, MACH_PORT_TYPE_SEND_ONCE);
	EXPECT_EQ(0x100000, MACH_PORT_TYPE_DEAD_NAME);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, ptype(ps));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(mach_task_self()));

	t = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_type(TASK, MACH_PORT_DEAD, &t));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, t);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(TASK, MACH_PORT_NULL, &t));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(TASK, stale_name(), &t));
}

/* §1.13 names: all names with their types, dead names included. */
TEST(port_names)
{
	mach_port_t p = new_port(), ps = new_port_send(), so, d = MACH_PORT_NULL;
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0, tcnt = 0, i;
	int seen = 0;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(ps));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));

	ASSERT_EQ(KERN_SUCCESS, mach_port_names(TASK, &names, &ncnt, &types, &tcnt));
	ASSERT_EQ(ncnt, tcnt);
	ASSERT_LE(5, ncnt);
	ASSERT_NE(NULL, names);
	ASSERT_NE(NULL, types);
	for (i = 0; i < ncnt; i++) {
		mach_port_type_t t = types[i] & MACH_PORT_TYPE_ALL_RIGHTS;

		EXPECT_TRUE(MACH_PORT_VALID(names[i]));
		if (names[i] == p) {
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, t);
			seen |= 1;
		} else if (names[i] == ps) {
			EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, t);
			seen |= 2;
		} else if (names[i] == so) {
			EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, t);
			seen |= 4;
		} else if (names[i] == d) {
			EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, t);
			seen |= 8;
		} else if (names[i] == mach_task_self()) {
			EXPECT_EQ(MACH_PORT_TYPE_SEND, t);
			seen |= 16;
		}
		/* the same answer as mach_port_type */
		EXPECT_EQ(ptype(names[i]), types[i]);
	}
	EXPECT_EQ(31, seen);
}

/* §1.13 insert_right: the good cases. */
TEST(insert_right)
{
	mach_port_t p = new_port(), q = new_port();
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(x));

	/* MAKE_SEND under the receive right's own name: SEND|RECEIVE, urefs 1, mscount++, srights++ (§1.2) */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(1, srights(p));
	/* again: one more uref on the same name */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, mscount(p));
	/* COPY_SEND: +1 uref on the same name */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(3, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, mscount(p));

	/* MAKE_SEND_ONCE at a free name: a send-once right there (§1.9) */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, x, q, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(x));
	EXPECT_EQ(1, sorights(q));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(x, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 0x33));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));
	EXPECT_EQ(1, msgcount(q));
}

/*
 * insert_right checks the name as ipc_entry_alloc_name does before it looks
 * for the port's existing name: a port that already has a name gets
 * INVALID_VALUE / FAILURE for a bad name, not RIGHT_EXISTS, and an index in
 * use under another generation is FAILURE, not NAME_EXISTS.  The right
 * copied in is destroyed (XNU's trap: ipc_object_destroy).
 */
TEST(insert_right_name_checks)
{
	mach_port_t p = new_port(), q = new_port();
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_TRUE(MACH_PORT_VALID(x));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p & ~3U, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, x ^ 1, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, 0x100, q, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_FAILURE, mach_port_insert_right(TASK, 0x7b, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_FAILURE, mach_port_insert_right(TASK, 0x03, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_FAILURE, mach_port_insert_right(TASK, p ^ 4, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_FAILURE, mach_port_insert_right(TASK, q ^ 4, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_insert_right(TASK, 0xffffff03, p, MACH_MSG_TYPE_MAKE_SEND));
	/* nothing was inserted and no send right is left over */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(q));
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(0, sorights(q));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p ^ 4));
	/* a good free name still meets the one-name-per-port rule */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(TASK, x ^ 4, p, MACH_MSG_TYPE_MAKE_SEND));
	/* and a free index takes any valid generation */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, x ^ 4, q, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(x ^ 4));
	EXPECT_EQ(1, sorights(q));
}

/* §1.13 insert_right error codes; §1.2 one name per port per space. */
TEST(insert_right_errors)
{
	mach_port_t p = new_port(), q = new_port(), d = MACH_PORT_NULL;
	mach_port_name_t x;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	/* after d: a stale name whose index d did not reuse (that would be KERN_FAILURE) */
	x = stale_name();
	ASSERT_TRUE(MACH_PORT_VALID(x));

	/* name NULL or DEAD, or a disposition outside 16..21 -> INVALID_VALUE */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, MACH_PORT_NULL, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, MACH_PORT_DEAD, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p, p, 0));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_PORT_NAME));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_COPY_RECEIVE));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_DISPOSE_SEND));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_insert_right(TASK, p, p, 100));

	/* port NULL, DEAD, or a dead name -> INVALID_CAPABILITY */
	EXPECT_EQ(KERN_INVALID_CAPABILITY, mach_port_insert_right(TASK, x, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, mach_port_insert_right(TASK, x, MACH_PORT_DEAD, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, mach_port_insert_right(TASK, x, d, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));

	/*
	 * The name is used by another port -> NAME_EXISTS.  A send-once right
	 * is never merged into an existing name, so only the name is in
	 * question; for a send right to a port whose receive right is here,
	 * XNU's ipc_object_copyout_name reports RIGHT_EXISTS first.
	 */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(TASK, q, p, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(TASK, d, p, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(TASK, mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(TASK, q, p, MACH_MSG_TYPE_MAKE_SEND));
	/* the port is already held under another name -> RIGHT_EXISTS */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(TASK, x, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(TASK, x, p, MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));

	/* nothing changed */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(q));
	EXPECT_EQ(0, srights(q));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(mach_task_self()));
	/*
	 * No send-once right of the failed inserts is left anywhere (§1.9):
	 * either none was made, or each was destroyed and its SEND_ONCE
	 * notification (which holds it until received) is queued on p.
	 */
	{
		struct rcv_buf b;
		int n = 0;

		while (msg_recv(p, &b, 0, 0) == MACH_MSG_SUCCESS) {
			EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
			n++;
		}
		EXPECT_GE(3, n);
	}
	EXPECT_EQ(0, sorights(p));
}

/*
 * §1.13 extract_right follows the copyin rules, and the right it returns is
 * copied out into the caller's space under §1.2's copyout rules: a send right
 * reuses the name the space already has for the port; a send-once right
 * always gets a fresh name (type 18).
 */
TEST(extract_right)
{
	mach_port_t p = new_port(), r = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &r, &t));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, t);
	EXPECT_EQ(18, t);
	EXPECT_TRUE(MACH_PORT_VALID(r));
	EXPECT_NE(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(r));
	EXPECT_EQ(1, sorights(p));

	r = MACH_PORT_NULL;
	t = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND, &r, &t));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, t);
	EXPECT_EQ(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(1, srights(p));

	r = MACH_PORT_NULL;
	t = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_COPY_SEND, &r, &t));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, t);
	EXPECT_EQ(p, r);
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, mscount(p));

	/* a second MAKE_SEND_ONCE: another fresh name */
	{
		mach_port_t r2 = MACH_PORT_NULL;

		ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &r2, &t));
		EXPECT_NE(p, r2);
		EXPECT_NE(MACH_PORT_NULL, r2);
		EXPECT_EQ(2, sorights(p));
	}

	/* a disposition outside 16..21 -> INVALID_VALUE */
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(TASK, p, 0, &r, &t));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_PORT_NAME, &r, &t));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_COPY_RECEIVE, &r, &t));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_DISPOSE_SEND_ONCE, &r, &t));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_extract_right(TASK, p, 1000, &r, &t));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
}

/* §1.8, §1.13: LIMITS_INFO get/set and its error codes. */
TEST(attributes_limits)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;
	mach_port_limits_t lim;
	mach_msg_type_number_t cnt;
	integer_t info[MACH_PORT_INFO_MAX_COUNT];

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 16));
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(TASK, p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt));
	EXPECT_EQ(16, lim.mpl_qlimit);
	EXPECT_EQ(KERN_SUCCESS, set_qlimit(p, MACH_PORT_QLIMIT_MAX));
	EXPECT_EQ(KERN_SUCCESS, set_qlimit(p, MACH_PORT_QLIMIT_ZERO));
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(TASK, p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt));
	EXPECT_EQ(0, lim.mpl_qlimit);

	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(p, 1025));
	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(p, MACH_PORT_QLIMIT_KERNEL));
	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(p, 0xffffffffU));
	lim.mpl_qlimit = 3;
	EXPECT_EQ(KERN_FAILURE, mach_port_set_attributes(TASK, p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, 0));
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(TASK, p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt));
	EXPECT_EQ(0, lim.mpl_qlimit);

	cnt = 0;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(TASK, p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)info, &cnt));
	cnt = MACH_PORT_INFO_MAX_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_get_attributes(TASK, p, 99, (mach_port_info_t)info, &cnt));
	cnt = MACH_PORT_INFO_MAX_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_get_attributes(TASK, p, 0, (mach_port_info_t)info, &cnt));

	/* not a receive right: INVALID_RIGHT; no such name: INVALID_NAME */
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_attributes(TASK, d, MACH_PORT_LIMITS_INFO, (mach_port_info_t)info, &cnt));
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_attributes(TASK, mach_task_self(), MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)info, &cnt));
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_attributes(TASK, stale_name(), MACH_PORT_LIMITS_INFO, (mach_port_info_t)info, &cnt));
	EXPECT_EQ(KERN_INVALID_RIGHT, set_qlimit(d, 3));
}

/* §1.13 RECEIVE_STATUS: each field tracks the port (§1.2 counts, §1.6 seqno, §1.8 msgcount). */
TEST(attributes_receive_status)
{
	mach_port_t p = new_port(), so;
	mach_port_status_t st;
	mach_msg_type_number_t cnt;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 7));
	/* two messages made with MAKE_SEND: mscount 2, srights 2 (in the messages) */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));

	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(0, st.mps_pset);
	EXPECT_EQ(0, st.mps_seqno);
	EXPECT_EQ(2, st.mps_mscount);
	EXPECT_EQ(7, st.mps_qlimit);
	EXPECT_EQ(2, st.mps_msgcount);
	EXPECT_EQ(1, st.mps_sorights);
	EXPECT_EQ(1, st.mps_srights);	/* a boolean */
	EXPECT_EQ(0, st.mps_pdrequest);
	EXPECT_EQ(0, st.mps_nsrequest);
	EXPECT_EQ(2, srights(p));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(1, st.mps_seqno);
	EXPECT_EQ(1, st.mps_msgcount);
	EXPECT_EQ(1, st.mps_srights);
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(2, st.mps_seqno);
	EXPECT_EQ(0, st.mps_msgcount);
	EXPECT_EQ(0, st.mps_srights);
	EXPECT_EQ(2, st.mps_mscount);
	EXPECT_EQ(0, srights(p));

	/* a short count -> KERN_FAILURE */
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(TASK, p, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt));
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_attributes(TASK, p, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt));
	EXPECT_EQ(MACH_PORT_RECEIVE_STATUS_COUNT, cnt);
}

/* §1.13 set_mscount: needs a receive right; MAKE_SEND counts on from it (§1.2). */
TEST(set_mscount)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(TASK, p, 7));
	EXPECT_EQ(7, mscount(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(8, mscount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	EXPECT_EQ(9, mscount(p));
	/* COPY_SEND does not make a send right */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(9, mscount(p));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(TASK, d, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(TASK, mach_task_self(), 1));
}

/* §1.6, §1.13 set_seqno: the next dequeued message carries it, then it counts on. */
TEST(set_seqno)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;
	struct rcv_buf b;
	mach_port_status_t st;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(TASK, p, 10));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(10, st.mps_seqno);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(10, msg_trailer(&b.hdr)->msgh_seqno);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(11, msg_trailer(&b.hdr)->msgh_seqno);
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(12, st.mps_seqno);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_seqno(TASK, d, 1));
}

/* §1.13 get/set_context: needs a receive right; a 64-bit value. */
TEST(context)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;
	mach_port_context_t c = 1;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, p, &c));
	EXPECT_EQ(0, c);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, 0xfedcba9876543210ULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, p, &c));
	EXPECT_EQ(0xfedcba9876543210ULL, c);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(TASK, d, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(TASK, d, &c));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(TASK, mach_task_self(), &c));
}

/* §1.13 construct: MPO_QLIMIT, MPO_INSERT_SEND_RIGHT, context without the guard flag. */
TEST(construct)
{
	mach_port_options_t o;
	mach_port_t p = MACH_PORT_NULL;
	mach_port_context_t c = 0;
	mach_port_status_t st;

	memset(&o, 0, sizeof(o));
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0, &p));
	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(5, st.mps_qlimit);
	EXPECT_EQ(0, st.mps_mscount);

	memset(&o, 0, sizeof(o));
	o.flags = MPO_QLIMIT;
	o.mpl.mpl_qlimit = 3;
	p = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0x1234, &p));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(3, st.mps_qlimit);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, p, &c));
	EXPECT_EQ(0x1234, c);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));

	memset(&o, 0, sizeof(o));
	o.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT;
	o.mpl.mpl_qlimit = 1;
	p = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0xabcdef0123456789ULL, &p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(1, st.mps_qlimit);
	EXPECT_EQ(1, st.mps_mscount);
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, p, &c));
	EXPECT_EQ(0xabcdef0123456789ULL, c);
	/* the qlimit is in force: one message fits, the second would block */
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));

	/* §1.8: MPO_QLIMIT above 1024 is refused like set_attributes */
	memset(&o, 0, sizeof(o));
	o.flags = MPO_QLIMIT;
	o.mpl.mpl_qlimit = 1025;
	p = MACH_PORT_NULL;
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_construct(TASK, &o, 0, &p));
}

/* §1.13 destruct: srdelta applied to the send urefs, then the receive right destroyed (§1.10). */
TEST(destruct)
{
	mach_port_options_t o;
	mach_port_t p = MACH_PORT_NULL;

	memset(&o, 0, sizeof(o));
	o.flags = MPO_INSERT_SEND_RIGHT;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0, &p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, -1, 0));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));

	/* srdelta 0 with one send uref: the name becomes a dead name with that uref */
	p = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0, &p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));

	/* 3 urefs, srdelta -1: dead name with 2 */
	p = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0, &p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, -1, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_DEAD_NAME));

	/* no send right at all, srdelta 0: the name is freed */
	memset(&o, 0, sizeof(o));
	p = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(TASK, &o, 0, &p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, 0));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
}

/* §1.13 get_srights: the port's send-right count; §1.2 COPY_SEND srights++, receive consumes it. */
TEST(get_srights)
{
	mach_port_t p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(0, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(2, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	EXPECT_EQ(3, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(0, srights(p));
}

/* §1.13 peek: head message's id, seqno and trailer without dequeuing; size quirk user size + 8. */
TEST(peek)
{
	mach_port_t p = new_port();
	struct {
		mach_msg_header_t hdr;
		uint8_t data[100];
	} m;
	mach_msg_audit_trailer_t tr;
	mach_msg_type_number_t tsize;
	mach_port_seqno_t seqno;
	mach_msg_size_t size;
	mach_msg_id_t id;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
	m.hdr.msgh_remote_port = p;
	m.hdr.msgh_id = 0x41414141;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, 124, 0, 0, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x42));

	seqno = 0;
	size = 0;
	id = 0;
	tsize = sizeof(tr);
	memset(&tr, 0xa5, sizeof(tr));
	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_peek(TASK, p,
				 MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
				 &seqno, &size, &id, (mach_msg_trailer_info_t)&tr, &tsize));
	EXPECT_EQ(0x41414141, id);
	EXPECT_EQ(124 + 8, size);
	EXPECT_EQ(0, seqno);
	EXPECT_EQ(MACH_MSG_TRAILER_AUDIT_SIZE, tsize);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, tr.msgh_trailer_type);
	EXPECT_EQ(MACH_MSG_TRAILER_AUDIT_SIZE, tr.msgh_trailer_size);
	EXPECT_EQ(0, tr.msgh_seqno);
	EXPECT_EQ(geteuid(), tr.msgh_sender.val[0]);
	EXPECT_EQ(getegid(), tr.msgh_sender.val[1]);
	EXPECT_EQ((uint32_t)getpid(), tr.msgh_audit.val[MACH_AUDIT_PID]);

	/* nothing was dequeued */
	EXPECT_EQ(2, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
	EXPECT_EQ(0x41414141, b.hdr.msgh_id);
	EXPECT_EQ(124, b.hdr.msgh_size);
	EXPECT_EQ(0, msg_trailer(&b.hdr)->msgh_seqno);

	/* now the second one is at the head, with seqno 1 */
	seqno = 1;
	tsize = sizeof(tr);
	ASSERT_EQ(KERN_SUCCESS,
		  mach_port_peek(TASK, p, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
				 &seqno, &size, &id, (mach_msg_trailer_info_t)&tr, &tsize));
	EXPECT_EQ(0x42, id);
	EXPECT_EQ(32 + 8, size);
	EXPECT_EQ(1, seqno);
	EXPECT_EQ(1, msgcount(p));
}

/* §1.14: libc caches mach_task_self_: one name, a send right to the task port. */
TEST(task_self)
{
	mach_port_t t1 = mach_task_self(), t2 = mach_task_self();

	ASSERT_TRUE(MACH_PORT_VALID(t1));
	EXPECT_EQ(t1, t2);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(t1));
	EXPECT_LE(1, urefs(t1, MACH_PORT_RIGHT_SEND));
	/* mach_port_* calls accept it as the space's task */
	EXPECT_EQ(KERN_SUCCESS, mach_port_type(t1, t1, &(mach_port_type_t){ 0 }));
}

/* §1.14: mach_thread_self adds one uref per call, and is deallocated by the caller. */
TEST(thread_self)
{
	mach_port_t th1, th2;
	mach_port_urefs_t u1, u2;

	th1 = mach_thread_self();
	ASSERT_TRUE(MACH_PORT_VALID(th1));
	EXPECT_NE(mach_task_self(), th1);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(th1));
	u1 = urefs(th1, MACH_PORT_RIGHT_SEND);
	th2 = mach_thread_self();
	EXPECT_EQ(th1, th2);
	u2 = urefs(th1, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(u1 + 1, u2);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, th2));
	EXPECT_EQ(u1, urefs(th1, MACH_PORT_RIGHT_SEND));
}

static void *other_thread_self(void *arg)
{
	*(mach_port_t *)arg = mach_thread_self();
	return NULL;
}

/* §1.14: each thread has its own thread port. */
TEST(thread_self_per_thread)
{
	mach_port_t mine = mach_thread_self(), theirs = MACH_PORT_NULL;
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, other_thread_self, &theirs));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_TRUE(MACH_PORT_VALID(mine));
	ASSERT_TRUE(MACH_PORT_VALID(theirs));
	EXPECT_NE(mine, theirs);
}

/* §1.14: mach_reply_port returns a fresh receive right every call. */
TEST(reply_port)
{
	mach_port_t a = mach_reply_port(), b = mach_reply_port();

	ASSERT_TRUE(MACH_PORT_VALID(a));
	ASSERT_TRUE(MACH_PORT_VALID(b));
	EXPECT_NE(a, b);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(a));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(b));
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_send_nb(a, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 1));
	EXPECT_EQ(1, msgcount(a));
	EXPECT_EQ(0, msgcount(b));
}

/*
 * issue 3: task_get/set_special_port.  The port argument is a send right
 * (copied), and get returns a send right: in the same space, under the name
 * the space has for the port, +1 uref (§1.2 copyout).  An unset slot reads
 * back as MACH_PORT_NULL (XNU).
 */
TEST(special_ports)
{
	static const int slots[] = { TASK_BOOTSTRAP_PORT, TASK_ACCESS_PORT,
				     TASK_RESOURCE_NOTIFY_PORT };
	unsigned int i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		mach_port_t p = new_port_send(), got = 0x55;

		ASSERT_TRUE(MACH_PORT_VALID(p));
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, slots[i], &got));
		EXPECT_EQ(MACH_PORT_NULL, got);
		ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, slots[i], p));
		/* COPY_SEND: the caller keeps its uref; the slot holds a send right */
		EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
		EXPECT_EQ(2, srights(p));
		got = MACH_PORT_NULL;
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, slots[i], &got));
		EXPECT_EQ(p, got);
		EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
		EXPECT_EQ(2, srights(p));
		/* a slot is cleared by setting MACH_PORT_NULL */
		ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, slots[i], MACH_PORT_NULL));
		got = 0x55;
		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, slots[i], &got));
		EXPECT_EQ(MACH_PORT_NULL, got);
		/* the slot's send right is released; ours stays */
		EXPECT_EQ(1, srights(p));
		EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	}
}

/* issue 3: mach_ports_register / mach_ports_lookup round trip. */
TEST(ports_register_lookup)
{
	mach_port_t p1 = new_port_send(), p2 = new_port_send();
	mach_port_t reg[2];
	mach_port_array_t got = NULL;
	mach_msg_type_number_t cnt = 0, i;

	ASSERT_TRUE(MACH_PORT_VALID(p1));
	ASSERT_TRUE(MACH_PORT_VALID(p2));
	reg[0] = p1;
	reg[1] = p2;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 2));
	EXPECT_EQ(1, urefs(p1, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, srights(p1));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(TASK, &got, &cnt));
	ASSERT_NE(NULL, got);
	ASSERT_LE(2, cnt);
	ASSERT_GE(TASK_PORT_REGISTER_MAX, cnt);
	EXPECT_EQ(p1, got[0]);
	EXPECT_EQ(p2, got[1]);
	for (i = 2; i < cnt; i++)
		EXPECT_EQ(MACH_PORT_NULL, got[i]);
	EXPECT_EQ(2, urefs(p1, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, urefs(p2, MACH_PORT_RIGHT_SEND));
}

/* §1.13 name shape: never 0 or ~0, unique, and a freed name does not come back as is. */
TEST(name_shape)
{
	mach_port_t names[300], first;
	unsigned int i, j;

	first = new_port();
	ASSERT_TRUE(MACH_PORT_VALID(first));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, first));
	for (i = 0; i < 300; i++) {
		names[i] = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(names[i]));
		ASSERT_NE(first, names[i]);
		ASSERT_NE(mach_task_self(), names[i]);
	}
	for (i = 0; i < 300; i++)
		for (j = i + 1; j < 300; j++)
			ASSERT_NE(names[i], names[j]);
	/* free and reallocate the same index many times: the name changes every time */
	for (i = 0; i < 64; i++) {
		mach_port_t old = names[0], n;

		ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, old));
		n = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(n));
		ASSERT_NE(old, n);
		if (MACH_PORT_INDEX(n) == MACH_PORT_INDEX(old))
			ASSERT_NE(MACH_PORT_GEN(old), MACH_PORT_GEN(n));
		names[0] = n;
	}
}

TEST_HARNESS_MAIN
