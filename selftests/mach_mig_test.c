// SPDX-License-Identifier: GPL-2.0
/*
 * MIG-generated client/server pairs over mach.ko: the stubs mig generates
 * from mach_mig_pair.defs at build time (both halves are compiled into this
 * program), served by libmach's mach_msg_server on a thread.
 *
 * One test per argument kind and type class (scalars, inline arrays fixed
 * and variable, strings, structs, out-of-line memory with and without
 * dealloc, port rights of each disposition, polymorphic rights, OOL and
 * inline port arrays, CountInOut, simpleroutines, serveraudittoken, an
 * explicit reply port), then the failure paths a generated pair must get
 * right: a client timeout, a server that drops the reply right
 * (MIG_SERVER_DIED), a bad msgh_id (MIG_BAD_ID), a request of the wrong
 * size (MIG_BAD_ARGUMENTS), a hostile client's malformed requests (the
 * right code, and the rights they carried are destroyed: nothing leaks),
 * and mach_msg_server under load from several client threads.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include <stddef.h>
#include <sys/mman.h>

/* Both generated halves in this one program (see the Makefile). */
#include "mig_pairUser.c"
#include "mig_pairServer.c"

/* ---- the server --------------------------------------------------------- */

static volatile int ping_count, ping_last;

kern_return_t srv_add(mach_port_t server, int a, int64_t b, int64_t *sum)
{
	(void)server;
	*sum = a + b;
	return KERN_SUCCESS;
}

kern_return_t srv_echo(mach_port_t server, name_t s, name_t r)
{
	(void)server;
	strcpy(r, s);
	return KERN_SUCCESS;
}

kern_return_t srv_arrays(mach_port_t server, ints_t v, mach_msg_type_number_t vCnt, fixed_t fx,
			 ints_t rev, mach_msg_type_number_t *revCnt, fixed_t fxo)
{
	(void)server;
	for (unsigned int i = 0; i < vCnt; i++)
		rev[i] = v[vCnt - 1 - i];
	*revCnt = vCnt;
	for (int i = 0; i < 4; i++)
		fxo[i] = -fx[i];
	return KERN_SUCCESS;
}

kern_return_t srv_structs(mach_port_t server, st_t s, st_t *so)
{
	(void)server;
	so->a = s.a + 1;
	so->b = s.b + 1;
	so->c = s.c + 1;
	return KERN_SUCCESS;
}

static int sum_bytes(pointer_t data, mach_msg_type_number_t n)
{
	int sum = 0;

	for (mach_msg_type_number_t i = 0; i < n; i++)
		sum += ((unsigned char *)data)[i];
	return sum;
}

kern_return_t srv_ool_in(mach_port_t server, pointer_t data, mach_msg_type_number_t dataCnt, int *sum)
{
	(void)server;
	*sum = sum_bytes(data, dataCnt);
	/* the server owns what it received */
	vm_deallocate(TASK, data, dataCnt);
	return KERN_SUCCESS;
}

static pointer_t ool_received;

/* Keeps what it received (the test looks at where it landed). */
kern_return_t srv_ool_in_dealloc(mach_port_t server, pointer_t data, mach_msg_type_number_t dataCnt,
				 int *sum)
{
	(void)server;
	*sum = sum_bytes(data, dataCnt);
	ool_received = data;
	return KERN_SUCCESS;
}

kern_return_t srv_ool_out(mach_port_t server, int n, pointer_t *data, mach_msg_type_number_t *dataCnt)
{
	vm_address_t a = 0;

	(void)server;
	if (vm_allocate(TASK, &a, (vm_size_t)n, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	for (int i = 0; i < n; i++)
		((unsigned char *)a)[i] = (unsigned char)(i * 7);
	*data = a;
	*dataCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

/* The server gets a send right: report its urefs, then drop it. */
static int take_send(mach_port_t p)
{
	int n = (int)urefs(p, MACH_PORT_RIGHT_SEND);

	mach_port_deallocate(TASK, p);
	return n;
}

kern_return_t srv_give_copy_send(mach_port_t server, mach_port_t p, int *u)
{
	(void)server;
	*u = take_send(p);
	return KERN_SUCCESS;
}

kern_return_t srv_give_make_send(mach_port_t server, mach_port_t p, int *u)
{
	(void)server;
	*u = take_send(p);
	return KERN_SUCCESS;
}

kern_return_t srv_give_move_send(mach_port_t server, mach_port_t p, int *u)
{
	(void)server;
	*u = take_send(p);
	return KERN_SUCCESS;
}

kern_return_t srv_give_send_once(mach_port_t server, mach_port_t p, int *u)
{
	(void)server;
	*u = (ptype(p) & MACH_PORT_TYPE_SEND_ONCE) ? 1 : 0;
	mach_port_deallocate(TASK, p);
	return KERN_SUCCESS;
}

kern_return_t srv_give_receive(mach_port_t server, mach_port_t p, int *u)
{
	(void)server;
	*u = (int)urefs(p, MACH_PORT_RIGHT_RECEIVE);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	return KERN_SUCCESS;
}

kern_return_t srv_give_poly(mach_port_t server, mach_port_t p, mach_msg_type_name_t pPoly, int *type)
{
	(void)server;
	*type = (int)pPoly;
	if (pPoly == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		mach_port_deallocate(TASK, p);
	return KERN_SUCCESS;
}

static mach_port_t server_owned;

kern_return_t srv_get_send(mach_port_t server, mach_port_t *p)
{
	(void)server;
	*p = server_owned;	/* MAKE_SEND of a receive right the server keeps */
	return KERN_SUCCESS;
}

kern_return_t srv_get_poly(mach_port_t server, int disp, mach_port_t *p, mach_msg_type_name_t *pPoly)
{
	(void)server;
	*p = server_owned;
	*pPoly = (mach_msg_type_name_t)disp;
	return KERN_SUCCESS;
}

kern_return_t srv_ports_in(mach_port_t server, mach_port_array_t ports, mach_msg_type_number_t portsCnt,
			   int *n)
{
	(void)server;
	*n = 0;
	for (mach_msg_type_number_t i = 0; i < portsCnt; i++) {
		if (ptype(ports[i]) & MACH_PORT_TYPE_SEND)
			(*n)++;
		mach_port_deallocate(TASK, ports[i]);
	}
	vm_deallocate(TASK, (vm_address_t)ports, portsCnt * sizeof(*ports));
	return KERN_SUCCESS;
}

kern_return_t srv_ports_out(mach_port_t server, int n, mach_port_array_t *ports,
			    mach_msg_type_number_t *portsCnt)
{
	static mach_port_t out[8];

	(void)server;
	if (n > 8)
		return KERN_INVALID_ARGUMENT;
	/* mach_port_array_t is COPY_SEND: the server keeps its own uref */
	if (mach_port_insert_right(TASK, server_owned, server_owned, MACH_MSG_TYPE_MAKE_SEND))
		return KERN_FAILURE;
	for (int i = 0; i < n; i++)
		out[i] = server_owned;
	*ports = out;
	*portsCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t srv_inline_ports(mach_port_t server, send_array_t ports, mach_msg_type_number_t portsCnt,
			       int *n)
{
	(void)server;
	*n = 0;
	for (mach_msg_type_number_t i = 0; i < portsCnt; i++) {
		if (ptype(ports[i]) & MACH_PORT_TYPE_SEND)
			(*n)++;
		mach_port_deallocate(TASK, ports[i]);
	}
	return KERN_SUCCESS;
}

kern_return_t srv_countio(mach_port_t server, int n, ints_t o, mach_msg_type_number_t *oCnt)
{
	(void)server;
	if ((mach_msg_type_number_t)n > *oCnt)
		n = (int)*oCnt;
	for (int i = 0; i < n; i++)
		o[i] = 100 + i;
	*oCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t srv_ping(mach_port_t server, int v)
{
	(void)server;
	ping_last = v;
	ping_count++;
	return KERN_SUCCESS;
}

kern_return_t srv_audit(mach_port_t server, audit_token_t tok, int *pid)
{
	(void)server;
	*pid = (int)tok.val[5];
	return KERN_SUCCESS;
}

kern_return_t srv_explicit_reply(mach_port_t server, mach_port_t rp, int *v)
{
	(void)server;
	(void)rp;
	*v = 77;
	return KERN_SUCCESS;
}

kern_return_t srv_slow(mach_port_t server, int ms)
{
	(void)server;
	sleep_ms((unsigned int)ms);
	return KERN_SUCCESS;
}

kern_return_t srv_die(mach_port_t server, mach_port_t rp)
{
	(void)server;
	/* as a server that crashes: the reply right goes, unanswered */
	mach_port_deallocate(TASK, rp);
	return MIG_NO_REPLY;
}

kern_return_t srv_last(mach_port_t server, int *count)
{
	(void)server;
	*count = ping_count;
	return KERN_SUCCESS;
}

/* ---- the fixture: a port served by mach_msg_server on a thread ----------- */

#define MAX_MSG (sizeof(union __RequestUnion__mig_pair_subsystem) > \
		 sizeof(union __ReplyUnion__mig_pair_subsystem) ? \
		 sizeof(union __RequestUnion__mig_pair_subsystem) : \
		 sizeof(union __ReplyUnion__mig_pair_subsystem))

static void *serve(void *arg)
{
	mach_port_t port = (mach_port_t)(uintptr_t)arg;

	return (void *)(intptr_t)mach_msg_server(mig_pair_server, (mach_msg_size_t)MAX_MSG, port,
						 MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
						 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
}

FIXTURE(mig) {
	mach_port_t port;
	pthread_t thread;
};

FIXTURE_SETUP(mig)
{
	self->port = new_port_send();
	ASSERT_NE(MACH_PORT_NULL, self->port);
	server_owned = new_port();
	ASSERT_NE(MACH_PORT_NULL, server_owned);
	ASSERT_EQ(0, pthread_create(&self->thread, NULL, serve, (void *)(uintptr_t)self->port));
}

FIXTURE_TEARDOWN(mig)
{
	void *ret;

	/* the receive right goes: mach_msg_server's receive fails, it returns */
	mach_port_mod_refs(TASK, self->port, MACH_PORT_RIGHT_RECEIVE, -1);
	pthread_join(self->thread, &ret);
	mach_port_deallocate(TASK, self->port);
}

/* ---- one test per kind ----------------------------------------------------- */

TEST_F(mig, scalars)
{
	int64_t sum = 0;

	ASSERT_EQ(KERN_SUCCESS, add(self->port, -2, 0x100000000LL, &sum));
	EXPECT_EQ(0xfffffffeLL, sum);
}

TEST_F(mig, strings)
{
	char r[128], big[128];

	ASSERT_EQ(KERN_SUCCESS, echo(self->port, "hello, mig", r));
	EXPECT_STREQ("hello, mig", r);
	memset(big, 'z', 127);
	big[127] = '\0';
	ASSERT_EQ(KERN_SUCCESS, echo(self->port, big, r));
	EXPECT_STREQ(big, r);
	ASSERT_EQ(KERN_SUCCESS, echo(self->port, "", r));
	EXPECT_STREQ("", r);
}

TEST_F(mig, inline_arrays)
{
	int v[16], rev[16];
	fixed_t fx = { 1, 2, 3, 4 }, fxo = { 0 };
	mach_msg_type_number_t revCnt = 16;

	for (int i = 0; i < 16; i++)
		v[i] = i * 3;
	ASSERT_EQ(KERN_SUCCESS, arrays(self->port, v, 11, fx, rev, &revCnt, fxo));
	EXPECT_EQ(11u, revCnt);
	EXPECT_EQ(30, rev[0]);
	EXPECT_EQ(0, rev[10]);
	EXPECT_EQ(-4, fxo[3]);
	/* too many in, too little room out: MIG_ARRAY_TOO_LARGE */
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, arrays(self->port, v, 17, fx, rev, &revCnt, fxo));
	revCnt = 5;
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, arrays(self->port, v, 11, fx, rev, &revCnt, fxo));
	EXPECT_EQ(11u, revCnt);
	/* an empty array */
	revCnt = 16;
	ASSERT_EQ(KERN_SUCCESS, arrays(self->port, v, 0, fx, rev, &revCnt, fxo));
	EXPECT_EQ(0u, revCnt);
}

TEST_F(mig, structs)
{
	st_t s = { 1, 2, 3 }, so;

	ASSERT_EQ(KERN_SUCCESS, structs(self->port, s, &so));
	EXPECT_EQ(2, so.a);
	EXPECT_EQ(4, so.c);
}

static vm_address_t filled_page(size_t n)
{
	vm_address_t a = 0;

	if (vm_allocate(TASK, &a, n, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 0;
	for (size_t i = 0; i < n; i++)
		((unsigned char *)a)[i] = (unsigned char)i;
	return a;
}

static int expected_sum(size_t n)
{
	int s = 0;

	for (size_t i = 0; i < n; i++)
		s += (unsigned char)i;
	return s;
}

static int mapped(vm_address_t a, size_t n)
{
	unsigned char vec[16];

	return mincore((void *)a, n, vec) == 0;
}

/* Still mapped and still holding filled_page's bytes. */
static int still_ours(vm_address_t a, size_t n)
{
	if (!mapped(a, n))
		return 0;
	for (size_t i = 0; i < n; i += 97)
		if (((unsigned char *)a)[i] != (unsigned char)i)
			return 0;
	return 1;
}

TEST_F(mig, ool_memory_kept)
{
	size_t n = 3 * 4096;
	vm_address_t a = filled_page(n);
	int sum = 0;

	ASSERT_NE(0, a);
	ASSERT_EQ(KERN_SUCCESS, ool_in(self->port, a, (mach_msg_type_number_t)n, &sum));
	EXPECT_EQ(expected_sum(n), sum);
	/* without dealloc the sender keeps its copy */
	EXPECT_TRUE(still_ours(a, n));
	vm_deallocate(TASK, a, n);
}

TEST_F(mig, ool_memory_dealloc)
{
	size_t n = 2 * 4096;
	vm_address_t a = filled_page(n);
	int sum = 0;

	ASSERT_NE(0, a);
	ASSERT_EQ(KERN_SUCCESS, ool_in_dealloc(self->port, a, (mach_msg_type_number_t)n, &sum));
	EXPECT_EQ(expected_sum(n), sum);
	/*
	 * dealloc: the range left the sender's map with the message.  The
	 * server is this same task, so the range may be in use again (by its
	 * copy, or anything mapped since): then not with our bytes.
	 */
	EXPECT_TRUE(ool_received == a || !still_ours(a, n));
	vm_deallocate(TASK, ool_received, n);
}

TEST_F(mig, ool_memory_out)
{
	pointer_t data = 0;
	mach_msg_type_number_t n = 0;

	ASSERT_EQ(KERN_SUCCESS, ool_out(self->port, 5000, &data, &n));
	ASSERT_EQ(5000u, n);
	ASSERT_NE(0, data);
	EXPECT_EQ((unsigned char)(4999 * 7), ((unsigned char *)data)[4999]);
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, data, n));
}

TEST_F(mig, port_dispositions)
{
	mach_port_t p = new_port_send();
	int u = -1;

	ASSERT_NE(MACH_PORT_NULL, p);
	/* COPY_SEND: the server gets a uref of its own, ours stays */
	ASSERT_EQ(KERN_SUCCESS, give_copy_send(self->port, p, &u));
	EXPECT_EQ(2, u);	/* same space: our 1 + the server's 1 */
	EXPECT_EQ(1u, urefs(p, MACH_PORT_RIGHT_SEND));
	/* MAKE_SEND from the receive right */
	ASSERT_EQ(KERN_SUCCESS, give_make_send(self->port, p, &u));
	EXPECT_EQ(2, u);
	EXPECT_EQ(1u, urefs(p, MACH_PORT_RIGHT_SEND));
	/* MOVE_SEND: ours goes to the server */
	ASSERT_EQ(KERN_SUCCESS, give_move_send(self->port, p, &u));
	EXPECT_EQ(1, u);
	EXPECT_EQ(0u, urefs(p, MACH_PORT_RIGHT_SEND));
	/* MAKE_SEND_ONCE */
	ASSERT_EQ(KERN_SUCCESS, give_send_once(self->port, p, &u));
	EXPECT_EQ(1, u);
	/* the server destroyed it: its send-once notification comes here */
	expect_send_once_notification(_metadata, p);
	EXPECT_EQ(0u, sorights(p));
	/* MOVE_RECEIVE: the server destroys it */
	ASSERT_EQ(KERN_SUCCESS, give_receive(self->port, p, &u));
	EXPECT_EQ(1, u);
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(p));
}

TEST_F(mig, port_polymorphic)
{
	mach_port_t p = new_port_send(), q = MACH_PORT_NULL;
	mach_msg_type_name_t qPoly = 0;
	int type = 0;

	ASSERT_NE(MACH_PORT_NULL, p);
	ASSERT_EQ(KERN_SUCCESS, give_poly(self->port, p, MACH_MSG_TYPE_MAKE_SEND, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, type);
	ASSERT_EQ(KERN_SUCCESS, give_poly(self->port, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, type);
	expect_send_once_notification(_metadata, p);
	ASSERT_EQ(KERN_SUCCESS, give_poly(self->port, p, MACH_MSG_TYPE_MOVE_RECEIVE, &type));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, type);
	/* the server destroyed the receive right: our send right is dead */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p));
	mach_port_deallocate(TASK, p);

	ASSERT_EQ(KERN_SUCCESS, get_poly(self->port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &qPoly));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, qPoly);
	EXPECT_TRUE(ptype(q) & MACH_PORT_TYPE_SEND_ONCE);
	mach_port_deallocate(TASK, q);
	ASSERT_EQ(KERN_SUCCESS, get_send(self->port, &q));
	EXPECT_EQ(server_owned, q);
	EXPECT_TRUE(ptype(q) & MACH_PORT_TYPE_SEND);
	mach_port_deallocate(TASK, q);
	EXPECT_EQ(0u, urefs(server_owned, MACH_PORT_RIGHT_SEND));
}

TEST_F(mig, ool_port_arrays)
{
	mach_port_t ps[3], *out = NULL;
	mach_msg_type_number_t n = 0;
	int count = 0;

	for (int i = 0; i < 3; i++) {
		ps[i] = new_port_send();
		ASSERT_NE(MACH_PORT_NULL, ps[i]);
	}
	ASSERT_EQ(KERN_SUCCESS, ports_in(self->port, ps, 3, &count));
	EXPECT_EQ(3, count);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(1u, urefs(ps[i], MACH_PORT_RIGHT_SEND));

	ASSERT_EQ(KERN_SUCCESS, ports_out(self->port, 4, &out, &n));
	ASSERT_EQ(4u, n);
	for (unsigned int i = 0; i < n; i++)
		EXPECT_EQ(server_owned, out[i]);
	/* one space: the server's uref and the 4 copies under one name */
	EXPECT_EQ(5u, urefs(server_owned, MACH_PORT_RIGHT_SEND));
	mach_port_mod_refs(TASK, server_owned, MACH_PORT_RIGHT_SEND, -5);
	vm_deallocate(TASK, (vm_address_t)out, n * sizeof(*out));
}

TEST_F(mig, inline_port_array)
{
	mach_port_t ps[2] = { new_port(), new_port() };
	int count = 0;

	ASSERT_EQ(KERN_SUCCESS, inline_ports(self->port, ps, 2, &count));
	EXPECT_EQ(2, count);
	/* MAKE_SEND: the server's rights came and went; none is left */
	EXPECT_EQ(0u, urefs(ps[0], MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, inline_ports(self->port, ps, 5, &count));
}

TEST_F(mig, countinout)
{
	int o[16];
	mach_msg_type_number_t oCnt = 4;

	ASSERT_EQ(KERN_SUCCESS, countio(self->port, 10, o, &oCnt));
	EXPECT_EQ(4u, oCnt);	/* the server saw our capacity */
	EXPECT_EQ(103, o[3]);
	oCnt = 16;
	ASSERT_EQ(KERN_SUCCESS, countio(self->port, 10, o, &oCnt));
	EXPECT_EQ(10u, oCnt);
}

TEST_F(mig, simpleroutine)
{
	int count = 0;

	ASSERT_EQ(KERN_SUCCESS, ping(self->port, 5));
	ASSERT_EQ(KERN_SUCCESS, ping(self->port, 6));
	/* served in order: a routine after them sees both */
	ASSERT_EQ(KERN_SUCCESS, last(self->port, &count));
	EXPECT_EQ(2, count);
	EXPECT_EQ(6, ping_last);
}

TEST_F(mig, serveraudittoken)
{
	int pid = 0;

	ASSERT_EQ(KERN_SUCCESS, audit(self->port, &pid));
	EXPECT_EQ(getpid(), pid);
}

TEST_F(mig, explicit_reply_port)
{
	mach_port_t rp = new_port();
	int v = 0;

	ASSERT_NE(MACH_PORT_NULL, rp);
	ASSERT_EQ(KERN_SUCCESS, explicit_reply(self->port, rp, &v));
	EXPECT_EQ(77, v);
	/* our reply port is still ours, and empty */
	EXPECT_TRUE(ptype(rp) & MACH_PORT_TYPE_RECEIVE);
	EXPECT_EQ(0u, msgcount(rp));
	mach_port_mod_refs(TASK, rp, MACH_PORT_RIGHT_RECEIVE, -1);
}

TEST_F(mig, timeout)
{
	int64_t sum = 0;

	EXPECT_EQ(MACH_RCV_TIMED_OUT, slow(self->port, 300, 30));
	/* the late reply must not be taken for the next call's */
	sleep_ms(400);
	ASSERT_EQ(KERN_SUCCESS, add(self->port, 1, 2, &sum));
	EXPECT_EQ(3, sum);
}

TEST_F(mig, server_died)
{
	int64_t sum = 0;

	EXPECT_EQ(MIG_SERVER_DIED, die(self->port));
	ASSERT_EQ(KERN_SUCCESS, add(self->port, 2, 2, &sum));
	EXPECT_EQ(4, sum);
}

/* ---- hand-made requests ------------------------------------------------------ */

union reply_buf {
	mig_reply_error_t err;
	uint8_t bytes[1024];
};

/* Sends req (msgh_size as set) with a fresh reply port, returns the reply's RetCode. */
static kern_return_t raw_call(mach_port_t dest, mach_msg_header_t *req, mach_msg_id_t *reply_id)
{
	union reply_buf rep;
	mach_port_t rp = new_port();
	mach_msg_return_t mr;

	memset(&rep, 0, sizeof(rep));
	req->msgh_remote_port = dest;
	req->msgh_local_port = rp;
	req->msgh_bits = (req->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			 MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	/* sent from, and the reply received into, the large buffer */
	memcpy(rep.bytes, req, req->msgh_size < sizeof(rep) ? req->msgh_size : sizeof(rep));
	mr = mach_msg(&rep.err.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, req->msgh_size,
		      sizeof(rep), rp, LONG_TIMEOUT_MS, MACH_PORT_NULL);
	mach_port_mod_refs(TASK, rp, MACH_PORT_RIGHT_RECEIVE, -1);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (reply_id)
		*reply_id = rep.err.Head.msgh_id;
	if (rep.err.Head.msgh_size != sizeof(mig_reply_error_t))
		return KERN_FAILURE;
	return rep.err.RetCode;
}

TEST_F(mig, bad_msgh_id)
{
	__Request__add_t req;
	mach_msg_id_t id = 0;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_size = sizeof(req);
	req.NDR = NDR_record;
	req.Head.msgh_id = 7100 + 500;
	EXPECT_EQ(MIG_BAD_ID, raw_call(self->port, &req.Head, &id));
	EXPECT_EQ(7600 + 100, id);
	req.Head.msgh_id = 7099;
	EXPECT_EQ(MIG_BAD_ID, raw_call(self->port, &req.Head, &id));
}

TEST_F(mig, wrong_size)
{
	struct {
		__Request__add_t r;
		uint32_t extra;
	} req;
	mach_msg_id_t id = 0;

	memset(&req, 0, sizeof(req));
	req.r.NDR = NDR_record;
	req.r.Head.msgh_id = 7100;
	req.r.Head.msgh_size = sizeof(req.r) - 4;
	EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &req.r.Head, &id));
	EXPECT_EQ(7200, id);
	req.r.Head.msgh_size = sizeof(req.r) + 4;
	EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &req.r.Head, &id));
	req.r.Head.msgh_size = sizeof(req.r);
	EXPECT_EQ(KERN_FAILURE, raw_call(self->port, &req.r.Head, &id));	/* a real reply */
}

/* A no-senders request on p: tells when every send right made is gone. */
static void arm_no_senders(struct __test_metadata *_metadata, mach_port_t p)
{
	mach_port_t prev = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(TASK, p, MACH_NOTIFY_NO_SENDERS, 0, p,
								  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
}

static int got_no_senders(mach_port_t p)
{
	struct rcv_buf b;

	return msg_recv(p, &b, MACH_RCV_TIMEOUT, 2000) == MACH_MSG_SUCCESS &&
	       b.hdr.msgh_id == MACH_NOTIFY_NO_SENDERS;
}

TEST_F(mig, hostile_client)
{
	struct {
		mach_msg_header_t Head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_port_descriptor_t port2;
		NDR_record_t NDR;
		int32_t u[4];
	} req;
	mach_port_t p = new_port();
	mach_msg_id_t id = 0;

	ASSERT_NE(MACH_PORT_NULL, p);

	/* 1: a right sent to a routine that takes none: rejected, destroyed */
	arm_no_senders(_metadata, p);
	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	req.Head.msgh_size = sizeof(req.Head) + sizeof(req.body) + sizeof(req.port) + 8 + 12;
	req.Head.msgh_id = 7100;	/* add */
	req.body.msgh_descriptor_count = 1;
	req.port.name = p;
	req.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &req.Head, &id));
	EXPECT_TRUE(got_no_senders(p));

	/* 2: the right number of descriptors claimed wrongly (give_copy_send) */
	arm_no_senders(_metadata, p);
	req.Head.msgh_id = 7100 + 7;
	req.body.msgh_descriptor_count = 2;
	req.port2 = req.port;
	req.Head.msgh_size = sizeof(req);
	EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &req.Head, &id));
	EXPECT_TRUE(got_no_senders(p));

	/* 3: a send-once right where a send right is declared: MIG_TYPE_ERROR */
	req.body.msgh_descriptor_count = 1;
	req.Head.msgh_size = sizeof(req.Head) + sizeof(req.body) + sizeof(req.port);
	req.port.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	EXPECT_EQ(MIG_TYPE_ERROR, raw_call(self->port, &req.Head, &id));
	/* destroyed: a send-once notification comes back to p */
	{
		struct rcv_buf b;

		ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, MACH_RCV_TIMEOUT, 2000));
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
	}

	/* 4: not complex at all where a port is expected */
	memset(&req, 0, sizeof(req));
	req.Head.msgh_size = sizeof(req.Head) + 16;
	req.Head.msgh_id = 7100 + 7;
	EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &req.Head, &id));

	/* 5: a string without its NUL (echo) */
	{
		__Request__echo_t e;

		memset(&e, 'x', sizeof(e));
		e.Head.msgh_bits = 0;
		e.Head.msgh_id = 7101;
		e.NDR = NDR_record;
		e.sOffset = 0;
		e.sCnt = 8;
		e.Head.msgh_size = (mach_msg_size_t)(offsetof(__Request__echo_t, s) + 8);
		EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &e.Head, &id));
		e.sCnt = 200;	/* more than the type's 128 */
		e.Head.msgh_size = sizeof(e);
		EXPECT_EQ(MIG_BAD_ARGUMENTS, raw_call(self->port, &e.Head, &id));
	}
	EXPECT_EQ(0u, msgcount(p));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* ---- load ---------------------------------------------------------------------- */

struct load_arg {
	mach_port_t port;
	int base;
	int bad;
};

static void *load_client(void *p)
{
	struct load_arg *a = p;

	for (int i = 0; i < 300; i++) {
		int64_t sum = 0;
		char r[128], s[32];

		if (add(a->port, a->base, i, &sum) != KERN_SUCCESS || sum != a->base + i)
			a->bad++;
		snprintf(s, sizeof(s), "t%d-%d", a->base, i);
		if (echo(a->port, s, r) != KERN_SUCCESS || strcmp(r, s))
			a->bad++;
	}
	return NULL;
}

TEST_F(mig, server_under_load)
{
	struct load_arg args[4];
	pthread_t t[4];
	int count = -1;

	for (int i = 0; i < 4; i++) {
		args[i] = (struct load_arg){ self->port, i * 1000, 0 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, load_client, &args[i]));
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, args[i].bad);
	}
	ASSERT_EQ(KERN_SUCCESS, last(self->port, &count));
	EXPECT_EQ(0u, msgcount(self->port));
}

TEST_HARNESS_MAIN
