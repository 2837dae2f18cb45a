// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg2: 64-bit options, vectors and aux data (mach-semantics-2.md §2,
 * read from XNU's osfmk/ipc/mach_msg.c mach_msg2_trap,
 * mach_msg_validate_data_vectors, mach_msg_receive_too_large;
 * ipc_kmsg.c ipc_kmsg_put_vector_to_user; ipc_policy.c
 * ipc_validate_kmsg_dest_from_user; and tests/ipc/mach_msg2.c).
 *
 * mach_msg2 goes through the same kernel path as mach_msg, so messages
 * sent with one are received with the other on the same port.  The io_uring
 * command carries the mach_msg form only (README): nothing to test there.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <stddef.h>

#define MQ	(MACH64_SEND_MQ_CALL)
#define VEC	(MACH64_MSG_VECTOR)

struct aux_buf {
	mach_msg_aux_header_t hdr;
	char data[MACH_MSG_AUX_MAX_SIZE];
};

static mach_msg_header_t hdr_to(mach_port_t dest, mach_msg_type_name_t dd, mach_msg_id_t id)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS_SET(dd, 0, 0, 0),
		.msgh_remote_port = dest,
		.msgh_id = id,
	};
	return h;
}

/* A header-only message in a buffer as large as mach_msg2 may read. */
static mach_msg_base_t *base_of(const mach_msg_header_t *h)
{
	static mach_msg_base_t b;

	memset(&b, 0, sizeof(b));
	b.header = *h;
	return &b;
}

/* A scalar mach_msg2 send of a 32-byte message to dest (COPY_SEND). */
static mach_msg_return_t send2(mach_port_t dest, uint64_t opts, mach_msg_id_t id)
{
	struct small_msg m;

	msg_init(&m, dest, MACH_MSG_TYPE_COPY_SEND, 0, 0, id);
	return mach_msg2(&m, MACH64_SEND_MSG | MACH64_SEND_TIMEOUT | opts,
			 hdr_to(dest, MACH_MSG_TYPE_COPY_SEND, id), sizeof(m), 0,
			 MACH_PORT_NULL, 0, 0);
}

/* A vector send: message m (size bytes) and aux (aux_size bytes, may be 0). */
static mach_msg_return_t send_vec(void *m, mach_msg_size_t size, void *aux,
				  mach_msg_size_t aux_size, mach_msg_size_t count,
				  uint64_t opts)
{
	mach_msg_header_t *h = m;
	mach_msg_vector_t v[2] = {
		{ .msgv_data = (uintptr_t)m, .msgv_send_size = size },
		{ .msgv_data = (uintptr_t)aux, .msgv_send_size = aux_size },
	};

	return mach_msg2(v, MACH64_SEND_MSG | MACH64_SEND_TIMEOUT | MQ | VEC | opts, *h,
			 count, 0, MACH_PORT_NULL, 0, 0);
}

/* A vector receive into b (and aux when count is 2). */
static mach_msg_return_t rcv_vec(mach_port_t port, struct rcv_buf *b, struct aux_buf *aux,
				 mach_msg_size_t aux_size, mach_msg_size_t count, uint64_t opts)
{
	mach_msg_vector_t v[2] = {
		{ .msgv_data = (uintptr_t)b, .msgv_rcv_size = sizeof(*b) },
		{ .msgv_data = (uintptr_t)aux, .msgv_rcv_size = aux_size },
	};
	mach_msg_header_t h = {};

	memset(b, 0xa5, sizeof(*b));
	if (aux)
		memset(aux, 0xa5, sizeof(*aux));
	return mach_msg2(v, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC | opts, h, 0, count, port,
			 0, 0);
}

static mach_msg_return_t rcv_scalar2(mach_port_t port, struct rcv_buf *b, uint64_t opts)
{
	mach_msg_header_t h = {};

	memset(b, 0, sizeof(*b));
	return mach_msg2(b, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | opts, h, 0, sizeof(*b), port,
			 0, 0);
}

/* §2.2, §2.4: values and LP64 layouts from <mach/message.h>. */
TEST(values_and_layouts)
{
	EXPECT_EQ(1ULL << 32, MACH64_MSG_VECTOR);
	EXPECT_EQ(1ULL << 33, MACH64_SEND_KOBJECT_CALL);
	EXPECT_EQ(1ULL << 34, MACH64_SEND_MQ_CALL);
	EXPECT_EQ(1ULL << 35, MACH64_SEND_ANY);
	EXPECT_EQ(1ULL << 36, MACH64_SEND_DK_CALL);
	EXPECT_EQ(0x10000, MACH64_SEND_FILTER_NONFATAL);
	EXPECT_EQ(0x10000018, MACH_SEND_AUX_TOO_SMALL);
	EXPECT_EQ(0x10000019, MACH_SEND_AUX_TOO_LARGE);
	EXPECT_EQ(0x10004013, MACH_RCV_INVALID_ARGUMENTS);
	EXPECT_EQ(24, sizeof(mach_msg_vector_t));
	EXPECT_EQ(8, offsetof(mach_msg_vector_t, msgv_rcv_addr));
	EXPECT_EQ(16, offsetof(mach_msg_vector_t, msgv_send_size));
	EXPECT_EQ(20, offsetof(mach_msg_vector_t, msgv_rcv_size));
	EXPECT_EQ(8, sizeof(mach_msg_aux_header_t));
	EXPECT_EQ(0, MACH_MSGV_IDX_MSG);
	EXPECT_EQ(1, MACH_MSGV_IDX_AUX);
	EXPECT_EQ(2, MACH_MSGV_MAX_COUNT);
	EXPECT_EQ(128, LIBSYSCALL_MSGV_AUX_MAX_SIZE);
}

/* §2.3: one path: msg2 and mach_msg interoperate on one port, in order. */
TEST(interoperates_with_mach_msg)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_EQ(MACH_MSG_SUCCESS, send2(p, MQ, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(1, b.hdr.msgh_id);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(p, b.hdr.msgh_local_port);
	EXPECT_EQ(0x11223344, ((struct small_msg *)&b)->body[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, rcv_scalar2(p, &b, 0));
	EXPECT_EQ(2, b.hdr.msgh_id);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, rcv_scalar2(p, &b, 0));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/*
 * §2.3 step 3: the header comes from the arguments; the buffer's header,
 * its msgh_size included, is not read.
 */
TEST(header_from_arguments)
{
	mach_port_t p = new_port_send();
	struct small_msg m;
	struct rcv_buf b;

	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 7);
	m.hdr.msgh_bits = 0x7fffffff;	/* not COMPLEX: see buffer_complex_bit */
	m.hdr.msgh_size = 4;
	m.hdr.msgh_remote_port = 0x12345;
	m.hdr.msgh_local_port = 0x54321;
	m.hdr.msgh_id = 99;
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(&m, MACH64_SEND_MSG | MQ, hdr_to(p, MACH_MSG_TYPE_COPY_SEND, 7),
			    sizeof(m), 0, MACH_PORT_NULL, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(7, b.hdr.msgh_id);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), b.hdr.msgh_bits);
	EXPECT_EQ(MACH_PORT_NULL, b.hdr.msgh_remote_port);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/*
 * §2.1: mach_msg2 reads the descriptor count from the buffer when the
 * *buffer's* bits say COMPLEX; with non-complex argument bits that count
 * makes the send SEND_TOO_LARGE (XNU: a simple message with descriptors).
 */
TEST(buffer_complex_bit)
{
	mach_port_t p = new_port_send();
	struct small_msg m;

	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 7);
	m.hdr.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.body[0] = 1;
	EXPECT_EQ(MACH_SEND_TOO_LARGE,
		  mach_msg2(&m, MACH64_SEND_MSG | MQ, hdr_to(p, MACH_MSG_TYPE_COPY_SEND, 7),
			    sizeof(m), 0, MACH_PORT_NULL, 0, 0));
	m.body[0] = 0;
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(&m, MACH64_SEND_MSG | MQ, hdr_to(p, MACH_MSG_TYPE_COPY_SEND, 7),
			    sizeof(m), 0, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(1, msgcount(p));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* §2.3 step 1: exactly one call kind on a send; vectors need MQ_CALL or ANY. */
TEST(preflight_options)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;

	ASSERT_NE(MACH_PORT_NULL, p);
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS, send2(p, 0, 1));
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS, send2(p, MQ | MACH64_SEND_KOBJECT_CALL, 1));
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS, send2(p, MQ | MACH64_SEND_ANY, 1));
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS, send2(p, MACH64_SEND_DK_CALL | MQ, 1));
	EXPECT_EQ(0, msgcount(p));
	/* a vector send with SEND_ANY alone is fine; so is ANY to a queue */
	EXPECT_EQ(MACH_MSG_SUCCESS, send2(p, MACH64_SEND_ANY, 2));
	/* a receive alone needs no call kind */
	EXPECT_EQ(MACH_MSG_SUCCESS, rcv_scalar2(p, &b, 0));
	EXPECT_EQ(2, b.hdr.msgh_id);
	/* kernel-private bits (POLICY_*, RCV_STACK, MACH_MSG2, ...) are dropped */
	EXPECT_EQ(MACH_MSG_SUCCESS, send2(p, MQ | (1ULL << 50) | (1ULL << 61) | (1ULL << 63), 3));
	EXPECT_EQ(MACH_MSG_SUCCESS, rcv_scalar2(p, &b, 1ULL << 62));
	EXPECT_EQ(3, b.hdr.msgh_id);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* A vector send with MQ cleared: KOBJECT_CALL | VECTOR must fail preflight. */
TEST(vector_needs_mq_call)
{
	mach_port_t p = new_port_send();
	struct small_msg m;
	mach_msg_vector_t v = { .msgv_send_size = sizeof(m) };

	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
	v.msgv_data = (uintptr_t)&m;
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS,
		  mach_msg2(&v, MACH64_SEND_MSG | MACH64_SEND_KOBJECT_CALL | VEC, m.hdr, 1, 0,
			    MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(&v, MACH64_SEND_MSG | MACH64_SEND_ANY | VEC, m.hdr, 1, 0,
			    MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(1, msgcount(p));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/*
 * §2.3 step 4: the destination kind must match the call kind; a violation
 * destroys the header's rights (not handed back) and leaves the body's
 * rights with the sender (they were never copied in).
 */
TEST(destination_kind)
{
	mach_port_t p = new_port_send(), s = new_port_send(), r = new_port();
	struct cmsg cm;
	struct rcv_buf b;
	mach_msg_header_t h;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_NE(MACH_PORT_NULL, s);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	/* KOBJECT_CALL to a message queue: MOVE_SEND of the dest is destroyed */
	cm_init(&cm, p, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 0x55);
	cm_port(&cm, s, MACH_MSG_TYPE_COPY_SEND);
	h = cm.hdr;
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS,
		  mach_msg2(&cm, MACH64_SEND_MSG | MACH64_SEND_KOBJECT_CALL | MACH64_RCV_MSG |
			    MACH64_RCV_TIMEOUT, h, cm_size(&cm), sizeof(b), r, 0, 0));
	EXPECT_EQ(1, urefs(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, srights(s));
	EXPECT_EQ(0, msgcount(p));
	/* MQ_CALL to the task port (kernel-served): refused */
	h = hdr_to(TASK, MACH_MSG_TYPE_COPY_SEND, 3400);
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MQ, h, sizeof(h), 0, MACH_PORT_NULL, 0, 0));
	/* KOBJECT_CALL without a combined receive: refused */
	EXPECT_EQ(MACH_SEND_INVALID_OPTIONS,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MACH64_SEND_KOBJECT_CALL, h, sizeof(h), 0,
			    MACH_PORT_NULL, 0, 0));
	/* KOBJECT_CALL with a receive: the kernel answers (MIG_BAD_ID here) */
	memset(&b, 0, sizeof(b));
	memcpy(&b, &h, sizeof(h));
	b.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.hdr.msgh_local_port = r;
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(&b, MACH64_SEND_MSG | MACH64_SEND_KOBJECT_CALL | MACH64_RCV_MSG |
			    MACH64_RCV_TIMEOUT, b.hdr, sizeof(h), sizeof(b), r, 1000, 0));
	EXPECT_EQ(3500, b.hdr.msgh_id);
	/* SEND_ANY passes both kinds */
	EXPECT_EQ(MACH_MSG_SUCCESS, send2(p, MACH64_SEND_ANY, 4));
	EXPECT_EQ(1, msgcount(p));
	mach_port_mod_refs(TASK, r, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, s);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* §2.3 step 3: sizes and the descriptor count argument. */
TEST(sizes_and_descriptor_count)
{
	mach_port_t p = new_port_send(), s = new_port_send();
	struct cmsg cm;
	struct big_rcv *b = calloc(1, sizeof(*b));
	mach_msg_header_t h;
	uint64_t mb;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_NE(NULL, b);
	h = hdr_to(p, MACH_MSG_TYPE_COPY_SEND, 1);
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MQ, h, 20, 0, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MQ, h, 26, 0, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(MACH_SEND_TOO_LARGE,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MQ, h, 0x7ffffffc, 0, MACH_PORT_NULL, 0, 0));
	/* not complex with a descriptor count: TOO_LARGE (only mach_msg2_internal can) */
	mb = MACH_MSG2_SHIFT_ARGS(h.msgh_bits, sizeof(h));
	EXPECT_EQ(MACH_SEND_TOO_LARGE,
		  mach_msg2_internal(base_of(&h), MACH64_SEND_MSG | MQ, mb,
				     MACH_MSG2_SHIFT_ARGS(p, 0), MACH_MSG2_SHIFT_ARGS(0, 1),
				     MACH_MSG2_SHIFT_ARGS(1, 0), 0, 0));
	/* complex below 28 bytes, or more descriptors than fit: TOO_SMALL */
	h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2(base_of(&h), MACH64_SEND_MSG | MQ, h, sizeof(h), 0, MACH_PORT_NULL, 0, 0));
	cm_init(&cm, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x66);
	cm_port(&cm, s, MACH_MSG_TYPE_COPY_SEND);
	mb = MACH_MSG2_SHIFT_ARGS(cm.hdr.msgh_bits, cm_size(&cm));
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2_internal(&cm, MACH64_SEND_MSG | MQ, mb, MACH_MSG2_SHIFT_ARGS(p, 0),
				     MACH_MSG2_SHIFT_ARGS(0, 0x66),
				     MACH_MSG2_SHIFT_ARGS(2, 0), 0, 0));
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(1, srights(s));
	/* the count comes from the argument: the buffer's is ignored */
	cm.body.msgh_descriptor_count = 9;
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2_internal(&cm, MACH64_SEND_MSG | MQ, mb, MACH_MSG2_SHIFT_ARGS(p, 0),
				     MACH_MSG2_SHIFT_ARGS(0, 0x66),
				     MACH_MSG2_SHIFT_ARGS(1, 0), 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(p, b, 0, 0));
	EXPECT_EQ(0x66, b->hdr.msgh_id);
	EXPECT_EQ(1, msg_desc_count(&b->hdr));
	EXPECT_EQ(2, urefs(s, MACH_PORT_RIGHT_SEND));
	mach_msg_destroy(&b->hdr);
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	free(b);
	mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, s);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* §2.3 step 2: vector counts and copies. */
TEST(vector_counts)
{
	mach_port_t p = new_port_send();
	struct small_msg m;
	mach_msg_vector_t v[3] = {};
	struct rcv_buf b;
	mach_msg_header_t h = {};

	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
	v[0].msgv_data = (uintptr_t)&m;
	v[0].msgv_send_size = sizeof(m);
	v[0].msgv_rcv_size = sizeof(b);
	EXPECT_EQ(MACH_SEND_INVALID_DATA,
		  mach_msg2(v, MACH64_SEND_MSG | MQ | VEC, m.hdr, 3, 0, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2(v, MACH64_SEND_MSG | MQ | VEC, m.hdr, 0, 0, MACH_PORT_NULL, 0, 0));
	/* an unreadable vector array (mach_msg2 itself would read it: use _internal) */
	EXPECT_EQ(MACH_SEND_INVALID_DATA,
		  mach_msg2_internal((void *)8, MACH64_SEND_MSG | MQ | VEC,
				     MACH_MSG2_SHIFT_ARGS(m.hdr.msgh_bits, 1),
				     MACH_MSG2_SHIFT_ARGS(p, 0), 0, 0, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS,
		  mach_msg2(v, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC, h, 0, 3, p, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS,
		  mach_msg2(v, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC, h, 0, 0, p, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS,
		  mach_msg2_internal((void *)8, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC, 0, 0,
				     0, MACH_MSG2_SHIFT_ARGS(0, p), 1, 0));
	/* a NULL message vector to send */
	v[0].msgv_data = 0;
	EXPECT_EQ(MACH_SEND_INVALID_DATA,
		  mach_msg2_internal(v, MACH64_SEND_MSG | MQ | VEC,
				     MACH_MSG2_SHIFT_ARGS(m.hdr.msgh_bits, 1),
				     MACH_MSG2_SHIFT_ARGS(p, 0), 0, 0, 0, 0));
	v[0].msgv_data = (uintptr_t)&m;
	v[0].msgv_send_size = 20;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg2(v, MACH64_SEND_MSG | MQ | VEC, m.hdr, 1, 0, MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(0, msgcount(p));
	/* a vector send and receive of one message; msgv_rcv_addr wins over msgv_data */
	v[0].msgv_send_size = sizeof(m);
	v[0].msgv_rcv_addr = (uintptr_t)&b;
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(v, MACH64_SEND_MSG | MQ | VEC | MACH64_RCV_MSG | MACH64_RCV_TIMEOUT,
			    m.hdr, 1, 1, p, 0, 0));
	EXPECT_EQ(1, b.hdr.msgh_id);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(1, m.hdr.msgh_id);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* §2.4 send: aux sizes, and the header the kernel writes. */
TEST(aux_send_sizes)
{
	mach_port_t p;
	struct small_msg m;
	static struct aux_buf a, ra;
	struct rcv_buf b;
	struct mstats base;
	int have = stats_warm_base(&base);

	p = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5);
	memset(&a, 'x', sizeof(a));
	EXPECT_EQ(MACH_SEND_AUX_TOO_SMALL, send_vec(&m, sizeof(m), &a, 4, 2, 0));
	EXPECT_EQ(MACH_SEND_AUX_TOO_LARGE,
		  send_vec(&m, sizeof(m), &a, MACH_MSG_AUX_MAX_SIZE + 4, 2, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DATA, send_vec(&m, sizeof(m), NULL, 16, 2, 0));
	EXPECT_EQ(MACH_SEND_INVALID_DATA, send_vec(&m, sizeof(m), (void *)8, 16, 2, 0));
	EXPECT_EQ(0, msgcount(p));
	/* size 0: no aux (the receiver gets an empty header) */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), NULL, 0, 2, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, rcv_vec(p, &b, &ra, sizeof(ra), 2, 0));
	EXPECT_EQ(0, ra.hdr.msgdh_size);
	EXPECT_EQ(0, ra.hdr.msgdh_reserved);
	EXPECT_EQ((char)0xa5, ra.data[0]);
	/* the header alone; then the largest; the sender's header is rewritten */
	a.hdr.msgdh_size = 3;
	a.hdr.msgdh_reserved = 0x77;
	EXPECT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 8, 2, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, rcv_vec(p, &b, &ra, sizeof(ra), 2, 0));
	EXPECT_EQ(8, ra.hdr.msgdh_size);
	EXPECT_EQ(0, ra.hdr.msgdh_reserved);
	EXPECT_EQ((char)0xa5, ra.data[0]);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, MACH_MSG_AUX_MAX_SIZE, 2, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, rcv_vec(p, &b, &ra, sizeof(ra), 2, 0));
	EXPECT_EQ(MACH_MSG_AUX_MAX_SIZE, ra.hdr.msgdh_size);
	EXPECT_EQ(0, ra.hdr.msgdh_reserved);
	EXPECT_EQ('x', ra.data[0]);
	EXPECT_EQ('x', ra.data[MACH_MSG_AUX_MAX_SIZE - 9]);
	/* aux is not in msgh_size; the trailer follows the message */
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(5, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSG_TRAILER_FORMAT_0, msg_trailer(&b.hdr)->msgh_trailer_type);
	/* a send count of 1 ignores the aux vector */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), NULL, 4, 1, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, rcv_vec(p, &b, &ra, sizeof(ra), 2, 0));
	EXPECT_EQ(0, ra.hdr.msgdh_size);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

/* §2.4 receive: aux buffers, too small ones, scalar receives. */
TEST(aux_receive)
{
	mach_port_t p;
	struct small_msg m;
	static struct aux_buf a, ra;
	struct rcv_buf b;
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_msg_vector_t v[2] = {};
	mach_msg_header_t h = {};

	p = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 6);
	memset(&a, 'y', sizeof(a));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 64, 2, 0));
	/* an aux vector without an address or below 8 bytes: nothing dequeued */
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS, rcv_vec(p, &b, NULL, sizeof(ra), 2, 0));
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS, rcv_vec(p, &b, &ra, 4, 2, 0));
	EXPECT_EQ(1, msgcount(p));
	/* RCV_LARGE with too small an aux buffer: sizes reported, message stays */
	EXPECT_EQ(MACH_RCV_TOO_LARGE, rcv_vec(p, &b, &ra, 32, 2, MACH64_RCV_LARGE));
	EXPECT_EQ(64, ra.hdr.msgdh_size);
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(1, msgcount(p));
	/* no aux buffer in a vector receive, RCV_LARGE: too large, stays */
	EXPECT_EQ(MACH_RCV_TOO_LARGE, rcv_vec(p, &b, NULL, 0, 1, MACH64_RCV_LARGE));
	EXPECT_EQ(1, msgcount(p));
	/* the aux vector's msgv_rcv_addr wins */
	v[0].msgv_data = (uintptr_t)&b;
	v[0].msgv_rcv_size = sizeof(b);
	v[1].msgv_data = 8;
	v[1].msgv_rcv_addr = (uintptr_t)&ra;
	v[1].msgv_rcv_size = sizeof(ra);
	memset(&ra, 0, sizeof(ra));
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg2(v, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC, h, 0, 2, p, 0, 0));
	EXPECT_EQ(64, ra.hdr.msgdh_size);
	EXPECT_EQ('y', ra.data[0]);
	EXPECT_EQ(6, b.hdr.msgh_id);
	/* without RCV_LARGE, too small an aux buffer destroys the message */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 64, 2, 0));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, rcv_vec(p, &b, &ra, 32, 2, 0));
	EXPECT_EQ(0, msgcount(p));
	EXPECT_EQ(6, b.hdr.msgh_id);
	EXPECT_EQ(0, ra.hdr.msgdh_size);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 64, 2, 0));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, rcv_vec(p, &b, NULL, 0, 1, 0));
	EXPECT_EQ(0, msgcount(p));
	/* scalar receives (mach_msg2 and mach_msg) drop the aux silently */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 64, 2, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 64, 2, 0));
	EXPECT_EQ(MACH_MSG_SUCCESS, rcv_scalar2(p, &b, 0));
	EXPECT_EQ(32, b.hdr.msgh_size);
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(6, b.hdr.msgh_id);
	/* a message from mach_msg into an aux buffer: the empty header */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 8));
	EXPECT_EQ(MACH_MSG_SUCCESS, rcv_vec(p, &b, &ra, sizeof(ra), 2, 0));
	EXPECT_EQ(0, ra.hdr.msgdh_size);
	EXPECT_EQ(8, b.hdr.msgh_id);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

struct waiter_arg {
	mach_port_t p;
	struct rcv_buf b;
	struct aux_buf a;
	mach_msg_return_t mr;
};

static void *vec_receiver(void *arg)
{
	struct waiter_arg *w = arg;
	mach_msg_vector_t v[2] = {
		{ .msgv_data = (uintptr_t)&w->b, .msgv_rcv_size = sizeof(w->b) },
		{ .msgv_data = (uintptr_t)&w->a, .msgv_rcv_size = sizeof(w->a) },
	};
	mach_msg_header_t h = {};

	w->mr = mach_msg2(v, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT | VEC, h, 0, 2, w->p,
			  LONG_TIMEOUT_MS, 0);
	return NULL;
}

/* §2.4: the aux data reaches a receiver that was already waiting. */
TEST(aux_handoff_to_blocked_receiver)
{
	static struct waiter_arg w;
	static struct aux_buf a;
	struct small_msg m;
	pthread_t t;

	w.p = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, w.p);
	ASSERT_EQ(0, pthread_create(&t, NULL, vec_receiver, &w));
	sleep_ms(100);
	msg_init(&m, w.p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 9);
	memset(&a, 'z', sizeof(a));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 40, 2, 0));
	pthread_join(t, NULL);
	EXPECT_EQ(MACH_MSG_SUCCESS, w.mr);
	EXPECT_EQ(9, w.b.hdr.msgh_id);
	EXPECT_EQ(40, w.a.hdr.msgdh_size);
	EXPECT_EQ('z', w.a.data[31]);
	mach_port_mod_refs(TASK, w.p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, w.p);
}

/*
 * §2.3 step 6: bad receive vectors do not stop the send half; a failed
 * send skips the receive; the pseudo-receive hands message and aux back.
 */
TEST(combined_and_pseudo_receive)
{
	mach_port_t p;
	struct small_msg m;
	static struct aux_buf a;
	mach_msg_vector_t v[2] = {};
	struct mstats base;
	int have = stats_warm_base(&base);
	struct rcv_buf b;

	p = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 10);
	v[0].msgv_data = (uintptr_t)&m;
	v[0].msgv_send_size = sizeof(m);
	v[0].msgv_rcv_size = sizeof(m);
	EXPECT_EQ(MACH_RCV_INVALID_ARGUMENTS,
		  mach_msg2(v, MACH64_SEND_MSG | MQ | VEC | MACH64_RCV_MSG | MACH64_RCV_TIMEOUT,
			    m.hdr, 1, 2, p, 0, 0));
	EXPECT_EQ(1, msgcount(p));
	/* full queue, SEND_TIMEOUT 0: TIMED_OUT, no receive, aux handed back */
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 1));
	memset(&a, 'q', sizeof(a));
	a.hdr.msgdh_size = 1;
	v[1].msgv_data = (uintptr_t)&a;
	v[1].msgv_send_size = 24;
	v[1].msgv_rcv_size = sizeof(a);
	EXPECT_EQ(MACH_SEND_TIMED_OUT,
		  mach_msg2(v, MACH64_SEND_MSG | MACH64_SEND_TIMEOUT | MQ | VEC | MACH64_RCV_MSG |
			    MACH64_RCV_TIMEOUT, m.hdr, 2, 2, p, 0, 0));
	EXPECT_EQ(1, msgcount(p));
	EXPECT_EQ(24, a.hdr.msgdh_size);
	EXPECT_EQ(10, m.hdr.msgh_id);
	EXPECT_EQ(p, m.hdr.msgh_remote_port);
	/* the copied destination right came back to the space with the message */
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	mach_port_deallocate(TASK, p);
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

/* A queued message with aux data dies with its port: counters at baseline. */
TEST(aux_destroyed_with_port)
{
	mach_port_t p;
	struct small_msg m;
	static struct aux_buf a;
	struct mstats base;
	int have = stats_warm_base(&base);
	int i;

	p = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, p);
	msg_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 11);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_vec(&m, sizeof(m), &a, 100 + 4 * i, 2, 0));
	if (have)
		EXPECT_EQ(base.kmsg_aux + 4, LIVE_STAT(kmsg_aux));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
