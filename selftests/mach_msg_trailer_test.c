// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg: what the receiver gets besides the message: the trailer, and the
 * receive-buffer-too-small paths.
 *
 * Covers mach-semantics.md: §1.6 (trailer format 0 per element count 0..8 and
 * beyond: sizes 8/12/20/52/60/68, seqno per port counting every dequeue,
 * sender security token {euid, egid}, audit token slots euid/egid/ruid/rgid/
 * pid, context = the port's context, msgh_ad and labels 0, bytes after
 * trailer_size untouched; kernel {0,1} token in msg_receive_error), §1.5
 * (size check with the requested trailer; RCV_LARGE keeps the message queued
 * and writes only msgh_size; RCV_LARGE_IDENTITY writes msgh_local_port;
 * TOO_LARGE without RCV_LARGE: bare 24-byte header with the id, local = the
 * destination name, remote NULL, seqno consumed, rights destroyed), §1.9 (the
 * discarded message's send-once right notifies).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#define FILL 0xa5

struct big_buf {
	mach_msg_header_t hdr;
	uint8_t data[1024];
};

static mach_msg_return_t recv_filled(mach_port_t p, struct big_buf *b, mach_msg_option_t extra,
				     mach_msg_size_t rcv_size)
{
	memset(b, FILL, sizeof(*b));
	return mach_msg(&b->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, rcv_size, p,
			LONG_TIMEOUT_MS, MACH_PORT_NULL);
}

/* Send a message of size bytes (>= 24, multiple of 4) with a patterned body. */
static mach_msg_return_t send_sized(mach_port_t p, mach_msg_type_name_t dd, mach_port_t reply,
				    mach_msg_type_name_t rd, mach_msg_id_t id, mach_msg_size_t size)
{
	struct big_buf m;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS_SET(dd, rd, 0, 0);
	m.hdr.msgh_remote_port = p;
	m.hdr.msgh_local_port = reply;
	m.hdr.msgh_id = id;
	for (i = 0; i < size - 24; i++)
		m.data[i] = (uint8_t)(i + 1);
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

static int untouched(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != FILL)
			return 0;
	return 1;
}

static const struct {
	unsigned int elements;
	unsigned int size;
} trailer_sizes[] = {
	{ MACH_RCV_TRAILER_NULL, MACH_MSG_TRAILER_MINIMUM_SIZE },
	{ MACH_RCV_TRAILER_SEQNO, MACH_MSG_TRAILER_SEQNO_SIZE },
	{ MACH_RCV_TRAILER_SENDER, MACH_MSG_TRAILER_SENDER_SIZE },
	{ MACH_RCV_TRAILER_AUDIT, MACH_MSG_TRAILER_AUDIT_SIZE },
	{ MACH_RCV_TRAILER_CTX, MACH_MSG_TRAILER_CTX_SIZE },
	{ 5, MACH_MSG_TRAILER_MAX_SIZE },
	{ 6, MACH_MSG_TRAILER_MAX_SIZE },
	{ MACH_RCV_TRAILER_AV, MACH_MSG_TRAILER_MAX_SIZE },
	{ MACH_RCV_TRAILER_LABELS, MACH_MSG_TRAILER_MAX_SIZE },
	{ 15, MACH_MSG_TRAILER_MAX_SIZE },
};

/* §1.6: the trailer for every element count, after a 28-byte message. */
TEST(trailer_per_element_count)
{
	mach_port_t p = new_port();
	struct big_buf b;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(8, MACH_MSG_TRAILER_MINIMUM_SIZE);
	ASSERT_EQ(12, MACH_MSG_TRAILER_SEQNO_SIZE);
	ASSERT_EQ(20, MACH_MSG_TRAILER_SENDER_SIZE);
	ASSERT_EQ(52, MACH_MSG_TRAILER_AUDIT_SIZE);
	ASSERT_EQ(60, MACH_MSG_TRAILER_CTX_SIZE);
	ASSERT_EQ(68, MACH_MSG_TRAILER_MAX_SIZE);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, 0x0123456789abcdefULL));

	for (i = 0; i < sizeof(trailer_sizes) / sizeof(trailer_sizes[0]); i++) {
		unsigned int e = trailer_sizes[i].elements, sz = trailer_sizes[i].size;
		uint8_t *t;
		uint32_t w;
		uint64_t ctx;

		ASSERT_EQ(MACH_MSG_SUCCESS,
			  send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, (mach_msg_id_t)(0x700 + i), 28));
		ASSERT_EQ(MACH_MSG_SUCCESS,
			  recv_filled(p, &b,
				      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				      MACH_RCV_TRAILER_ELEMENTS(e), sizeof(b)));
		EXPECT_EQ(28, b.hdr.msgh_size);
		EXPECT_EQ(0x700 + (int)i, b.hdr.msgh_id);
		EXPECT_EQ(1, b.data[0]);
		EXPECT_EQ(4, b.data[3]);
		/* the trailer starts right after the 4-byte-aligned message */
		t = (uint8_t *)&b + 28;
		memcpy(&w, t, 4);
		EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, w) TH_LOG("elements %u", e);
		memcpy(&w, t + 4, 4);
		EXPECT_EQ(sz, w) TH_LOG("elements %u", e);
		if (sz >= MACH_MSG_TRAILER_SEQNO_SIZE) {
			memcpy(&w, t + 8, 4);
			EXPECT_EQ(i, w) TH_LOG("seqno, elements %u", e);
		}
		if (sz >= MACH_MSG_TRAILER_SENDER_SIZE) {
			mach_msg_security_trailer_t *st = (mach_msg_security_trailer_t *)t;

			EXPECT_EQ(geteuid(), st->msgh_sender.val[0]);
			EXPECT_EQ(getegid(), st->msgh_sender.val[1]);
		}
		if (sz >= MACH_MSG_TRAILER_AUDIT_SIZE) {
			mach_msg_audit_trailer_t *at = (mach_msg_audit_trailer_t *)t;

			EXPECT_EQ(geteuid(), at->msgh_audit.val[MACH_AUDIT_EUID]);
			EXPECT_EQ(getegid(), at->msgh_audit.val[MACH_AUDIT_EGID]);
			EXPECT_EQ(getuid(), at->msgh_audit.val[MACH_AUDIT_RUID]);
			EXPECT_EQ(getgid(), at->msgh_audit.val[MACH_AUDIT_RGID]);
			EXPECT_EQ((uint32_t)getpid(), at->msgh_audit.val[MACH_AUDIT_PID]);
		}
		if (sz >= MACH_MSG_TRAILER_CTX_SIZE) {
			memcpy(&ctx, t + 52, 8);
			EXPECT_EQ(0x0123456789abcdefULL, ctx);
		}
		if (sz >= MACH_MSG_TRAILER_MAX_SIZE) {
			memcpy(&w, t + 60, 4);
			EXPECT_EQ(0, w);	/* msgh_ad */
			memcpy(&w, t + 64, 4);
			EXPECT_EQ(0, w);	/* msgh_labels.sender */
		}
		/* bytes after trailer_size are untouched */
		EXPECT_TRUE(untouched(t + sz, sizeof(b) - 28 - sz)) TH_LOG("elements %u", e);
	}
}

/* §1.6: with no ELEMENTS bits the trailer is 8 bytes; the type bits are ignored. */
TEST(trailer_default_and_type_ignored)
{
	mach_port_t p = new_port();
	struct big_buf b;
	mach_msg_trailer_t *t;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 32));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_filled(p, &b, 0, sizeof(b)));
	t = (mach_msg_trailer_t *)((uint8_t *)&b + 32);
	EXPECT_EQ(0, t->msgh_trailer_type);
	EXPECT_EQ(8, t->msgh_trailer_size);
	EXPECT_TRUE(untouched((uint8_t *)&b + 40, sizeof(b) - 40));

	ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2, 32));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  recv_filled(p, &b, MACH_RCV_TRAILER_TYPE(5) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
			      sizeof(b)));
	t = (mach_msg_trailer_t *)((uint8_t *)&b + 32);
	EXPECT_EQ(0, t->msgh_trailer_type);
	EXPECT_EQ(12, t->msgh_trailer_size);
	EXPECT_EQ(1, ((mach_msg_seqno_trailer_t *)t)->msgh_seqno);
}

/* §1.6: sender and audit tokens come from the sender's credentials at send time. */
TEST(trailer_tokens_of_another_process)
{
	mach_port_t p = new_port_send();
	struct big_buf b;
	mach_msg_audit_trailer_t *at;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to give the sender distinct uids and gids");
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, p));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL;

		ASSERT_EQ(KERN_SUCCESS, task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bp));
		ASSERT_TRUE(MACH_PORT_VALID(bp));
		ASSERT_EQ(0, setresgid(2001, 2002, 2003));
		ASSERT_EQ(0, setresuid(1001, 1002, 1003));
		ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(bp, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x5e, 32));
		CHILD_EXIT();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  recv_filled(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), sizeof(b)));
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_EQ(0x5e, b.hdr.msgh_id);
	at = (mach_msg_audit_trailer_t *)((uint8_t *)&b + 32);
	EXPECT_EQ(MACH_MSG_TRAILER_AUDIT_SIZE, at->msgh_trailer_size);
	EXPECT_EQ(1002, at->msgh_sender.val[0]);
	EXPECT_EQ(2002, at->msgh_sender.val[1]);
	EXPECT_EQ(1002, at->msgh_audit.val[MACH_AUDIT_EUID]);
	EXPECT_EQ(2002, at->msgh_audit.val[MACH_AUDIT_EGID]);
	EXPECT_EQ(1001, at->msgh_audit.val[MACH_AUDIT_RUID]);
	EXPECT_EQ(2001, at->msgh_audit.val[MACH_AUDIT_RGID]);
	EXPECT_EQ((uint32_t)pid, at->msgh_audit.val[MACH_AUDIT_PID]);
}

/* §1.5: the size check counts the requested trailer. */
TEST(size_check_includes_trailer)
{
	mach_port_t p = new_port();
	struct big_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 96));
	/* 96 + 12 > 104: too large, kept (RCV_LARGE) */
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  recv_filled(p, &b, MACH_RCV_LARGE | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), 104));
	EXPECT_EQ(1, msgcount(p));
	/* 96 + 8 == 104: fits exactly */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_filled(p, &b, MACH_RCV_LARGE, 104));
	EXPECT_EQ(96, b.hdr.msgh_size);
	EXPECT_EQ(8, ((mach_msg_trailer_t *)((uint8_t *)&b + 96))->msgh_trailer_size);
	EXPECT_TRUE(untouched((uint8_t *)&b + 104, sizeof(b) - 104));
}

/* §1.5 RCV_LARGE: TOO_LARGE, only msgh_size (needed size, no trailer) written, message kept. */
TEST(rcv_large_keeps_message)
{
	mach_port_t p = new_port(), r = new_port();
	struct big_buf b;
	mach_port_status_t st;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  send_sized(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x1a, 96));
	ASSERT_EQ(MACH_RCV_TOO_LARGE, recv_filled(p, &b, MACH_RCV_LARGE, 64));
	EXPECT_EQ(96, b.hdr.msgh_size);
	EXPECT_TRUE(untouched((uint8_t *)&b.hdr.msgh_bits, 4));
	EXPECT_TRUE(untouched((uint8_t *)&b.hdr.msgh_remote_port, 16));
	EXPECT_TRUE(untouched((uint8_t *)&b + 24, sizeof(b) - 24));
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(1, st.mps_msgcount);
	EXPECT_EQ(0, st.mps_seqno);
	EXPECT_EQ(1, sorights(r));

	/* a buffer of msgh_size + MAX_TRAILER_SIZE gets it, seqno 0, rights intact */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  recv_filled(p, &b, MACH_RCV_LARGE | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AV),
			      96 + MACH_MSG_TRAILER_MAX_SIZE));
	EXPECT_EQ(0x1a, b.hdr.msgh_id);
	EXPECT_EQ(96, b.hdr.msgh_size);
	EXPECT_EQ(0, msg_trailer(&b.hdr)->msgh_seqno);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	EXPECT_EQ(71, b.data[70]);	/* body intact: data[i] == i + 1 */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.5 RCV_LARGE_IDENTITY also writes the receiving port's name into msgh_local_port. */
TEST(rcv_large_identity)
{
	mach_port_t p = new_port();
	struct big_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x1b, 200));
	ASSERT_EQ(MACH_RCV_TOO_LARGE, recv_filled(p, &b, MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY, 100));
	EXPECT_EQ(200, b.hdr.msgh_size);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_TRUE(untouched((uint8_t *)&b.hdr.msgh_voucher_port, 8));
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_filled(p, &b, 0, 200 + MACH_MSG_TRAILER_MAX_SIZE));
	EXPECT_EQ(0x1b, b.hdr.msgh_id);
}

/*
 * §1.5 TOO_LARGE without RCV_LARGE (msg_receive_error): the message is
 * dequeued (seqno consumed) and destroyed with its rights; the caller gets a
 * bare 24-byte header with the id, local = destination name, remote NULL, and
 * a trailer of the requested size with seqno, context, and the kernel token {0,1}.
 */
TEST(too_large_discards)
{
	mach_port_t p = new_port(), r = new_port();
	struct big_buf b;
	mach_msg_context_trailer_t *ct;
	mach_port_status_t st;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, p, 0xc0ffee));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  send_sized(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x2a, 96));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_sized(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x2b, 32));
	EXPECT_EQ(1, sorights(r));

	ASSERT_EQ(MACH_RCV_TOO_LARGE,
		  recv_filled(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX),
			      24 + MACH_MSG_TRAILER_CTX_SIZE));
	EXPECT_EQ(24, b.hdr.msgh_size);
	EXPECT_EQ(0x2a, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, b.hdr.msgh_remote_port);
	ct = (mach_msg_context_trailer_t *)((uint8_t *)&b + 24);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, ct->msgh_trailer_type);
	EXPECT_EQ(MACH_MSG_TRAILER_CTX_SIZE, ct->msgh_trailer_size);
	EXPECT_EQ(0, ct->msgh_seqno);
	EXPECT_EQ(0, ct->msgh_sender.val[0]);
	EXPECT_EQ(1, ct->msgh_sender.val[1]);
	EXPECT_EQ(0xc0ffee, ct->msgh_context);
	EXPECT_TRUE(untouched((uint8_t *)&b + 24 + MACH_MSG_TRAILER_CTX_SIZE,
			      sizeof(b) - 24 - MACH_MSG_TRAILER_CTX_SIZE));

	/* gone, seqno consumed, its send-once reply right destroyed (§1.9) */
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(1, st.mps_msgcount);
	EXPECT_EQ(1, st.mps_seqno);
	EXPECT_EQ(2, st.mps_mscount);	/* two MAKE_SENDs */
	expect_send_once_notification(_metadata, r);
	EXPECT_EQ(0, sorights(r));

	ASSERT_EQ(MACH_MSG_SUCCESS,
		  recv_filled(p, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), sizeof(b)));
	EXPECT_EQ(0x2b, b.hdr.msgh_id);
	EXPECT_EQ(1, msg_trailer(&b.hdr)->msgh_seqno);
	/* both destination send rights were consumed or destroyed */
	EXPECT_EQ(0, srights(p));
}

TEST_HARNESS_MAIN
