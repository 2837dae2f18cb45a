// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg: the header on send and on receive.
 *
 * Covers mach-semantics.md: §1.1 (header validation: INVALID_HEADER,
 * INVALID_VOUCHER, MSG_TOO_SMALL, TOO_LARGE; user bits masking; voucher field
 * round trip; msgh_size from send_size; COMPLEX with no descriptors; received
 * header swap and bits), §1.2 (every disposition in the destination and reply,
 * with urefs, srights, sorights and mscount after each; INVALID_DEST /
 * INVALID_REPLY and the atomic header; the same name in both per
 * ipc_right_copyin_two; dead names in the reply; copyout name reuse, fresh
 * send-once names and uref saturation at 65534), §1.7 (the codes used here).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#include <sys/mman.h>

/* Send a 32-byte message with explicit header fields, never blocking. */
static mach_msg_return_t hdr_send(mach_msg_bits_t bits, mach_port_t remote,
				  mach_port_t local, mach_port_t voucher,
				  mach_msg_size_t send_size)
{
	struct small_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = bits;
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = remote;
	m.hdr.msgh_local_port = local;
	m.hdr.msgh_voucher_port = voucher;
	m.hdr.msgh_id = 0x600d;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, send_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

#define BITS(r, l) MACH_MSGH_BITS_SET((r), (l), 0, 0)

/* §1.1: send_size below 24 or not a multiple of 4 -> MACH_SEND_MSG_TOO_SMALL. */
TEST(send_size_too_small)
{
	mach_port_t p = new_port();
	static const mach_msg_size_t bad[] = { 0, 4, 20, 23, 25, 26, 27, 30, 31 };
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
			  hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 0, bad[i]))
			TH_LOG("send_size %u", bad[i]);
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(0, mscount(p));
	EXPECT_EQ(MACH_MSG_SUCCESS, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 0, 24));
	EXPECT_EQ(MACH_MSG_SUCCESS, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 0, 28));
	EXPECT_EQ(2, msgcount(p));
}

/* §1.1: the remote disposition must be 17..21; anything else -> INVALID_HEADER. */
TEST(remote_disposition_invalid)
{
	mach_port_t p = new_port_send();
	static const unsigned int bad[] = { 0, 1, 15, 16, 22, 23, 24, 25, 26, 31 };
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_HEADER, hdr_send(BITS(bad[i], 0), p, 0, 0, 32))
			TH_LOG("remote disposition %u", bad[i]);
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(1, mscount(p));
}

/* §1.1: local disposition 0 with a NULL name, or 17..21; else INVALID_HEADER. */
TEST(local_disposition_invalid)
{
	mach_port_t p = new_port_send(), r = new_port_send();
	static const unsigned int bad[] = { 1, 15, 16, 22, 24, 26, 31 };
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	/* local bits 0 but a name */
	EXPECT_EQ(MACH_SEND_INVALID_HEADER, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, r, 0, 32));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_HEADER,
			  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, bad[i]), p, r, 0, 32))
			TH_LOG("local disposition %u", bad[i]);
	/* the header is atomic: nothing was consumed (MOVE_SEND destination) */
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, urefs(r, MACH_PORT_RIGHT_SEND));
}

/* §1.1: voucher disposition 0, MOVE_SEND or COPY_SEND of a voucher; else INVALID_VOUCHER. */
TEST(voucher_invalid)
{
	mach_port_t p = new_port_send(), v = new_port_send();
	static const unsigned int bad[] = { 16, 18, 20, 21, 22, 31 };
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(v));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(MACH_SEND_INVALID_VOUCHER,
			  hdr_send(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, bad[i], 0), p, 0, v, 32))
			TH_LOG("voucher disposition %u", bad[i]);
	/* a voucher name of MACH_PORT_DEAD */
	EXPECT_EQ(MACH_SEND_INVALID_VOUCHER,
		  hdr_send(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0),
			   p, 0, MACH_PORT_DEAD, 32));
	/* a send right to an ordinary port is not a voucher */
	EXPECT_EQ(MACH_SEND_INVALID_VOUCHER,
		  hdr_send(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0),
			   p, 0, v, 32));
	EXPECT_EQ(MACH_SEND_INVALID_VOUCHER,
		  hdr_send(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, MACH_MSG_TYPE_MOVE_SEND, 0),
			   p, 0, v, 32));
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, urefs(v, MACH_PORT_RIGHT_SEND));
}

/* §1.1: with voucher bits 0, msgh_voucher_port is carried through unchanged. */
TEST(voucher_field_round_trip)
{
	mach_port_t p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 0x12345678, 32));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(0x12345678, b.hdr.msgh_voucher_port);
	EXPECT_EQ(0, MACH_MSGH_BITS_VOUCHER(b.hdr.msgh_bits));
}

/* §1.1: bits outside MACH_MSGH_BITS_USER are silently cleared. */
TEST(user_bits_masked)
{
	mach_port_t p = new_port();
	struct rcv_buf b;
	mach_msg_bits_t junk = 0x40000000U | MACH_MSGH_BITS_RAISEIMP | MACH_MSGH_BITS_CIRCULAR |
			       0x0000e0e0U | 0x00e00000U;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(0, junk & MACH_MSGH_BITS_USER);
	ASSERT_EQ(MACH_MSG_SUCCESS, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | junk, p, 0, 0, 32));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(0x600d, b.hdr.msgh_id);
}

/* §1.1: the size comes from send_size; the kernel overwrites msgh_size. */
TEST(msgh_size_from_send_size)
{
	mach_port_t p = new_port();
	struct rcv_buf b;
	struct small_msg m;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	msg_init(&m, p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	m.hdr.msgh_size = 1000;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, 32, 0, 0, 0, 0));
	m.hdr.msgh_size = 0;
	m.hdr.msgh_id = 2;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, 28, 0, 0, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(1, b.hdr.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(28, b.hdr.msgh_size);
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(0x11223344, *(uint32_t *)(&b.hdr + 1));
}

/* §1.1: COMPLEX with a descriptor count of 0 stays set on receipt (3248). */
TEST(complex_without_descriptors)
{
	mach_port_t p = new_port();
	struct {
		mach_msg_header_t hdr;
		mach_msg_body_t body;
		uint32_t data;
	} m;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
	m.hdr.msgh_remote_port = p;
	m.hdr.msgh_id = 77;
	m.body.msgh_descriptor_count = 0;
	m.data = 0xfeedface;
	ASSERT_EQ(32, sizeof(m));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(0, ((mach_msg_body_t *)(&b.hdr + 1))->msgh_descriptor_count);
	EXPECT_EQ(0xfeedface, *(uint32_t *)((uint8_t *)&b.hdr + 28));
}

/* §1.1 inline limit (64 MiB * 3/4 - 68 at most) -> MACH_SEND_TOO_LARGE; a 8 KiB message passes. */
TEST(message_size_limits)
{
	mach_port_t p = new_port();
	size_t big = 48u << 20;	/* above 64 MiB * 3/4 - 68 */
	mach_msg_header_t *m;
	uint8_t *r;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	m = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	m->msgh_bits = BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m->msgh_remote_port = p;
	m->msgh_id = 5;
	EXPECT_EQ(MACH_SEND_TOO_LARGE, mach_msg(m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, big, 0, 0, 0, 0));
	EXPECT_EQ(MACH_SEND_TOO_LARGE,
		  mach_msg(m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, (64u << 20) * 3 / 4 - 64, 0, 0, 0, 0));
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(0, mscount(p));

	for (i = 0; i < 8192; i++)
		((uint8_t *)(m + 1))[i] = (uint8_t)(i * 7);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 24 + 8192, 0, 0, 0, 0));
	r = calloc(1, 24 + 8192 + MACH_MSG_TRAILER_MAX_SIZE);
	ASSERT_NE(NULL, r);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg((mach_msg_header_t *)r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
			   24 + 8192 + MACH_MSG_TRAILER_MAX_SIZE, p, LONG_TIMEOUT_MS, 0));
	EXPECT_EQ(24 + 8192, ((mach_msg_header_t *)r)->msgh_size);
	EXPECT_EQ(0, memcmp(r + 24, m + 1, 8192));
	free(r);
	munmap(m, big);
}

/* §1.2: destination failures -> MACH_SEND_INVALID_DEST, nothing consumed. */
TEST(invalid_dest)
{
	mach_port_t p = new_port(), ps = new_port_send(), so, d = MACH_PORT_NULL;
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(ps));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));

	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), MACH_PORT_NULL, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), MACH_PORT_NULL, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), MACH_PORT_DEAD, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), MACH_PORT_DEAD, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), x, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), x, 0, 0, 32));
	/* a dead name is never a valid destination (deadok = FALSE) */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), d, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), d, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), d, 0, 0, 32));
	/* the wrong right for the disposition */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), p, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), ps, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_COPY_SEND, 0), so, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), so, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), so, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), so, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), d, 0, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), mach_task_self(), 0, 0, 32));

	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(0, msgcount(ps));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(p));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(1, urefs(ps, MACH_PORT_RIGHT_SEND));
}

/* §1.2: reply failures -> MACH_SEND_INVALID_REPLY; the header is atomic. */
TEST(invalid_reply_atomic)
{
	mach_port_t p = new_port_send(), r = new_port(), so;
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	so = make_send_once(r);
	ASSERT_TRUE(MACH_PORT_VALID(so));

	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND), p, x, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND), p, x, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND), p, r, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND), p, r, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE), p, r, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND), p, so, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND), p, so, 0, 32));
	EXPECT_EQ(MACH_SEND_INVALID_REPLY,
		  hdr_send(BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p,
			   mach_task_self(), 0, 32));

	/* nothing consumed or made on either side */
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	EXPECT_EQ(0, mscount(r));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(r));
}

/* §1.2: a dead name is accepted as the reply; the receiver gets MACH_PORT_DEAD. */
TEST(dead_name_reply)
{
	mach_port_t p = new_port(), d = MACH_PORT_NULL;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_DEAD_NAME, 2));

	/* COPY_SEND: no uref consumed */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, d, MACH_MSG_TYPE_COPY_SEND, 1));
	EXPECT_EQ(3, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* MOVE_SEND: one uref consumed */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, d, MACH_MSG_TYPE_MOVE_SEND, 2));
	EXPECT_EQ(2, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* MOVE_SEND_ONCE: likewise */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, d, MACH_MSG_TYPE_MOVE_SEND_ONCE, 3));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(1, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_DEAD, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_DEAD, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(3, b.hdr.msgh_id);
	EXPECT_EQ(MACH_PORT_DEAD, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	/* the dead name did not come back to life */
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/* §1.1 received header: swapped, bits = reply type | dest type << 8, size without trailer. */
TEST(received_header_swapped)
{
	mach_port_t p = new_port(), r = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x1234));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_TRUE(MACH_PORT_VALID(b.hdr.msgh_remote_port));
	EXPECT_NE(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(0x1234, b.hdr.msgh_id);
	EXPECT_EQ(0x11223344, *(uint32_t *)(&b.hdr + 1));
	EXPECT_EQ(0x1234, *((uint32_t *)(&b.hdr + 1) + 1));
	/* replying on the send-once right reaches r */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(b.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 0x4321));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(r, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(0x4321, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), b.hdr.msgh_bits);
	EXPECT_EQ(r, b.hdr.msgh_local_port);
	EXPECT_EQ(0, sorights(r));
}

/* §1.2 destination MAKE_SEND: mscount++ srights++; consumed (srights--) at receive. */
TEST(dest_make_send)
{
	mach_port_t p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, b.hdr.msgh_remote_port);
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
}

/* §1.2 destination COPY_SEND: urefs unchanged, srights++; consumed at receive. */
TEST(dest_copy_send)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, srights(p));
	EXPECT_EQ(1, mscount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
}

/* §1.2 destination MOVE_SEND: urefs-1, srights unchanged in flight; at 0 the receive name stays. */
TEST(dest_move_send)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 1));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 2));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(2, srights(p));
	EXPECT_EQ(1, mscount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(1, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
}

/* §1.2 destination MAKE_SEND_ONCE: sorights++; consumed silently at receive (§1.1). */
TEST(dest_make_send_once)
{
	mach_port_t p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 1));
	EXPECT_EQ(1, sorights(p));
	EXPECT_EQ(0, mscount(p));
	EXPECT_EQ(0, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(0, sorights(p));
	/* no send-once notification for a right used to deliver a message */
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/* §1.2 destination MOVE_SEND_ONCE: the name is freed; delivered as PORT_SEND_ONCE. */
TEST(dest_move_send_once)
{
	mach_port_t p = new_port(), so;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 1));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	EXPECT_EQ(1, sorights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(0, sorights(p));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(p));
}

/*
 * §1.2 reply dispositions and receive-side copyout: a send right comes back
 * under the name the receiver already has for the port, urefs+1; a send-once
 * right always under a fresh name.
 */
TEST(reply_dispositions_and_name_reuse)
{
	mach_port_t p = new_port(), r = new_port(), so;
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));

	/* MAKE_SEND: r's mscount++; arrives as r itself (the receive right's name), urefs 1 */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND, 1));
	EXPECT_EQ(1, mscount(r));
	EXPECT_EQ(1, srights(r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, ptype(r));
	EXPECT_EQ(1, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(r));

	/* COPY_SEND: urefs unchanged at send, +1 at receive; srights stays 1 once merged */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_COPY_SEND, 2));
	EXPECT_EQ(1, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, srights(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(2, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(r));

	/* MOVE_SEND: -1 at send, +1 at receive */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MOVE_SEND, 3));
	EXPECT_EQ(1, urefs(r, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MOVE_SEND, 4));
	EXPECT_EQ(0, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(2, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(r));

	/* MAKE_SEND_ONCE: sorights++; arrives under a fresh send-once name, bits 18 */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 5));
	EXPECT_EQ(1, sorights(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	so = b.hdr.msgh_remote_port;
	EXPECT_TRUE(MACH_PORT_VALID(so));
	EXPECT_NE(r, so);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(r));

	/* MOVE_SEND_ONCE: the name goes at send, a new name comes at receive */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 6));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(so));
	EXPECT_EQ(1, sorights(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_TRUE(MACH_PORT_VALID(b.hdr.msgh_remote_port));
	EXPECT_NE(r, b.hdr.msgh_remote_port);
	EXPECT_NE(so, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	EXPECT_EQ(1, sorights(r));
	/* two more send-once rights to r: two distinct fresh names */
	{
		mach_port_t a, c;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 7));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 8));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
		a = b.hdr.msgh_remote_port;
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
		c = b.hdr.msgh_remote_port;
		EXPECT_NE(a, c);
		EXPECT_EQ(3, sorights(r));
	}
}

/* §1.2 copyout: send urefs saturate at 65534 silently. */
TEST(copyout_urefs_saturate)
{
	mach_port_t p = new_port(), r = new_port_send();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, r, MACH_PORT_RIGHT_SEND, 0xfffd));
	ASSERT_EQ(0xfffe, urefs(r, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_COPY_SEND, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(0xfffe, urefs(r, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(r, b.hdr.msgh_remote_port);
	EXPECT_EQ(0xfffe, urefs(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(r));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, r, MACH_PORT_RIGHT_SEND, -0xfffe));
	EXPECT_EQ(0, srights(r));
}

/* §1.2 ipc_right_copyin_two: dest COPY_SEND + reply MOVE_SEND on one uref is OK. */
TEST(same_name_copy_send_move_send)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_SEND, 1));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(2, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(p, b.hdr.msgh_remote_port);
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
}

/* §1.2 ipc_right_copyin_two: MOVE_SEND + MOVE_SEND needs 2 urefs, else INVALID_DEST. */
TEST(same_name_move_send_twice)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, p, MACH_MSG_TYPE_MOVE_SEND, 1));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(0, msgcount(p));

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(p, MACH_MSG_TYPE_MOVE_SEND, p, MACH_MSG_TYPE_MOVE_SEND, 2));
	EXPECT_EQ(0, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
	EXPECT_EQ(2, srights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(p, b.hdr.msgh_remote_port);
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(p));
}

/* §1.2 ipc_right_copyin_two: MOVE_SEND_ONCE on either side -> INVALID_DEST. */
TEST(same_name_send_once_invalid_dest)
{
	mach_port_t p = new_port_send(), so;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  msg_send_nb(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, so, MACH_MSG_TYPE_COPY_SEND, 2));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_SEND_ONCE, 3));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(so));
	EXPECT_EQ(1, sorights(p));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, msgcount(p));
}

/* §1.2 ipc_right_copyin_two: MAKE_SEND + MAKE_SEND_ONCE on a receive name is OK. */
TEST(same_name_make_send_make_send_once)
{
	mach_port_t p = new_port();
	struct rcv_buf b;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(p, MACH_MSG_TYPE_MAKE_SEND, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1));
	EXPECT_EQ(1, mscount(p));
	EXPECT_EQ(1, srights(p));
	EXPECT_EQ(1, sorights(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_NE(p, b.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(b.hdr.msgh_remote_port));
	EXPECT_EQ(0, srights(p));
	EXPECT_EQ(1, sorights(p));
	/* the send-once right points back at p */
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_send_nb(b.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(0, sorights(p));
}

TEST_HARNESS_MAIN
