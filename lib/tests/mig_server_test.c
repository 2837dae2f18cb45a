/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * MIG runtime against mach.ko: mach_msg_server_once and mach_msg_server
 * with hand-built MIG-style requests and a demux written the way MIG writes
 * them (reply, MIG_NO_REPLY, an error that destroys the request's rights,
 * MIG_BAD_ID, MACH_RCV_LARGE growth, a reply to a full send right that must
 * not block), and notify_server on notifications the kernel sends (no
 * senders, dead name, port destroyed, send once), dispatched to this
 * program's do_mach_notify_* routines.  Linked against libmach.so, so the
 * weak do_mach_notify_* references bind to this executable.
 *
 * KTAP output; exit 4 without /dev/mach.  Every test compares the space's
 * names before and after: nothing may be left behind.
 */
#include <mach/mach.h>

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		failures++; \
		printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_KR(want, expr) do { \
	kern_return_t kr_ = (expr); \
	if (kr_ != (kern_return_t)(want)) { \
		failures++; \
		printf("# %s:%d: %s = 0x%x (%s), want 0x%x\n", __FILE__, __LINE__, #expr, \
		       kr_, mach_error_string(kr_), (unsigned int)(want)); \
	} \
} while (0)

#define TASK mach_task_self()

/* ---- the test subsystem ---------------------------------------------- */

enum {
	ID_ECHO = 500,		/* reply value + 1 */
	ID_NO_REPLY,		/* keep the reply right, return MIG_NO_REPLY */
	ID_TAKE_PORT,		/* complex: a port; return the code asked for */
	ID_SIZE,		/* reply the request's msgh_size */
	ID_END
};

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	int			value;
} echo_request_t;

typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
	int			value;
} echo_reply_t;

typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	port;
	NDR_record_t			NDR;
	kern_return_t			result;	/* what the routine returns */
} take_request_t;

typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	char			data[8000];
} big_request_t;
#pragma pack(pop)

_Static_assert(sizeof(echo_request_t) == 36, "echo request");
_Static_assert(sizeof(echo_reply_t) == 40, "echo reply");
_Static_assert(sizeof(take_request_t) == 52, "take request");
_Static_assert(sizeof(mig_reply_error_t) == 36, "mig_reply_error_t");
_Static_assert(offsetof(mig_reply_error_t, RetCode) == 32, "RetCode");

/* The largest request or reply of the subsystem, as MIG computes it. */
#define SERVER_MAX_SIZE ((mach_msg_size_t)sizeof(take_request_t))

static mach_port_t kept_reply;		/* the right ID_NO_REPLY kept */
static mach_msg_type_name_t kept_reply_type;
static mach_port_t taken_port;		/* what ID_TAKE_PORT received */
static unsigned int served;

/* A demux as MIG writes one: reply header first, then the routine. */
static boolean_t test_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	mig_reply_error_t *err = (mig_reply_error_t *)out;

	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_size = sizeof(mig_reply_error_t);
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_id = in->msgh_id + 100;
	out->msgh_reserved = 0;
	err->NDR = NDR_record;
	__atomic_add_fetch(&served, 1, __ATOMIC_SEQ_CST);

	switch (in->msgh_id) {
	case ID_ECHO: {
		echo_request_t *req = (echo_request_t *)in;
		echo_reply_t *rep = (echo_reply_t *)out;

		if ((in->msgh_bits & MACH_MSGH_BITS_COMPLEX) || in->msgh_size != sizeof(*req)) {
			err->RetCode = MIG_BAD_ARGUMENTS;
			return TRUE;
		}
		rep->RetCode = KERN_SUCCESS;
		rep->value = req->value + 1;
		out->msgh_size = sizeof(*rep);
		return TRUE;
	}
	case ID_NO_REPLY:
		kept_reply = in->msgh_remote_port;
		kept_reply_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
		err->RetCode = MIG_NO_REPLY;
		return TRUE;
	case ID_TAKE_PORT: {
		take_request_t *req = (take_request_t *)in;

		if (!(in->msgh_bits & MACH_MSGH_BITS_COMPLEX) || in->msgh_size != sizeof(*req) ||
		    req->msgh_body.msgh_descriptor_count != 1) {
			err->RetCode = MIG_BAD_ARGUMENTS;
			return TRUE;
		}
		taken_port = req->port.name;
		err->RetCode = req->result;
		return TRUE;
	}
	case ID_SIZE: {
		echo_reply_t *rep = (echo_reply_t *)out;

		rep->RetCode = KERN_SUCCESS;
		rep->value = (int)in->msgh_size;
		out->msgh_size = sizeof(*rep);
		return TRUE;
	}
	default:
		err->RetCode = MIG_BAD_ID;
		return FALSE;
	}
}

/* ---- helpers ----------------------------------------------------------- */

static mach_msg_type_number_t space_names(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(TASK, &names, &n, &types, &nt) != KERN_SUCCESS)
		return (mach_msg_type_number_t)-1;
	vm_deallocate(TASK, (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(TASK, (vm_address_t)types, nt * sizeof(*types));
	return n;
}

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	CHECK_KR(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_RECEIVE, &p));
	return p;
}

static void destroy_port(mach_port_t p)
{
	CHECK_KR(KERN_SUCCESS, mach_port_destruct(TASK, p, 0, 0));
}

static mach_port_urefs_t refs(mach_port_t p, mach_port_right_t right)
{
	mach_port_urefs_t r = 0xdead;

	CHECK_KR(KERN_SUCCESS, mach_port_get_refs(TASK, p, right, &r));
	return r;
}

static mach_msg_type_number_t queued(mach_port_t p)
{
	mach_port_status_t st;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	if (mach_port_get_attributes(TASK, p, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&st, &count) != KERN_SUCCESS)
		return 0xdead;
	return st.mps_msgcount;
}

/* Queue a simple request to svc, replies to reply with disposition rtype. */
static void send_echo(mach_port_t svc, mach_port_t reply, mach_msg_type_name_t rtype,
		      mach_msg_id_t id, int value)
{
	echo_request_t req;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, reply ? rtype : 0);
	req.Head.msgh_size = sizeof(req);
	req.Head.msgh_remote_port = svc;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_id = id;
	req.NDR = NDR_record;
	req.value = value;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&req.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					    sizeof(req), 0, MACH_PORT_NULL, 1000,
					    MACH_PORT_NULL));
}

union reply_buf {
	mach_msg_header_t	Head;
	mig_reply_error_t	err;
	echo_reply_t		echo;
	char			space[256];
};

static mach_msg_return_t receive(mach_port_t port, union reply_buf *buf, mach_msg_timeout_t ms)
{
	memset(buf, 0, sizeof(*buf));
	return mach_msg(&buf->Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*buf), port,
			ms, MACH_PORT_NULL);
}

/* ---- mach_msg_server_once ----------------------------------------------- */

static void test_once_reply(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port();
	union reply_buf r;

	send_echo(svc, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, ID_ECHO, 41);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.Head.msgh_id == ID_ECHO + 100 && r.Head.msgh_size == sizeof(echo_reply_t));
	CHECK(r.echo.RetCode == KERN_SUCCESS && r.echo.value == 42);
	CHECK(MACH_MSGH_BITS_REMOTE(r.Head.msgh_bits) == 0);
	CHECK(queued(svc) == 0);

	/* a send right as reply port works the same */
	send_echo(svc, rp, MACH_MSG_TYPE_MAKE_SEND, ID_ECHO, 7);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.echo.value == 8);
	CHECK(refs(rp, MACH_PORT_RIGHT_SEND) == 0);

	destroy_port(svc);
	destroy_port(rp);
	CHECK(space_names() == before);
}

static void test_once_no_reply(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port();
	mach_port_type_t type = 0;
	union reply_buf r;
	mig_reply_error_t late;

	kept_reply = MACH_PORT_NULL;
	send_echo(svc, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, ID_NO_REPLY, 0);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	/* nothing sent, and the routine still holds the send-once right */
	CHECK_KR(MACH_RCV_TIMED_OUT, receive(rp, &r, 0));
	CHECK(MACH_PORT_VALID(kept_reply) && kept_reply_type == MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_KR(KERN_SUCCESS, mach_port_type(TASK, kept_reply, &type));
	CHECK(type == MACH_PORT_TYPE_SEND_ONCE);

	/* the routine replies later with the right it kept */
	memset(&late, 0, sizeof(late));
	late.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	late.Head.msgh_size = sizeof(late);
	late.Head.msgh_remote_port = kept_reply;
	late.Head.msgh_id = ID_NO_REPLY + 100;
	late.NDR = NDR_record;
	late.RetCode = KERN_SUCCESS;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&late.Head, MACH_SEND_MSG, sizeof(late), 0,
					    MACH_PORT_NULL, 0, MACH_PORT_NULL));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.Head.msgh_id == ID_NO_REPLY + 100);

	destroy_port(svc);
	destroy_port(rp);
	CHECK(space_names() == before);
}

static void send_take(mach_port_t svc, mach_port_t reply, mach_msg_id_t id,
		      mach_port_t carried, kern_return_t result)
{
	take_request_t req;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			     MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.Head.msgh_size = sizeof(req);
	req.Head.msgh_remote_port = svc;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_id = id;
	req.msgh_body.msgh_descriptor_count = 1;
	req.port.name = carried;
	req.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	req.NDR = NDR_record;
	req.result = result;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&req.Head, MACH_SEND_MSG, sizeof(req), 0,
					    MACH_PORT_NULL, 0, MACH_PORT_NULL));
}

/*
 * An error RetCode: the server kept nothing, so the send right the request
 * carried is destroyed, and the error reply still reaches the client.  A
 * successful one keeps it.
 */
static void test_once_error_destroys_request(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port(), carried = new_port();
	union reply_buf r;

	/* KERN_SUCCESS: the right is the server's */
	taken_port = MACH_PORT_NULL;
	send_take(svc, rp, ID_TAKE_PORT, carried, KERN_SUCCESS);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK(taken_port == carried);
	CHECK(refs(carried, MACH_PORT_RIGHT_SEND) == 1);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.err.RetCode == KERN_SUCCESS && r.Head.msgh_id == ID_TAKE_PORT + 100);

	/* KERN_FAILURE: destroyed, the error reply still sent */
	send_take(svc, rp, ID_TAKE_PORT, carried, KERN_FAILURE);
	CHECK(queued(svc) == 1);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK(refs(carried, MACH_PORT_RIGHT_SEND) == 1);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.err.RetCode == KERN_FAILURE && r.Head.msgh_size == sizeof(mig_reply_error_t));

	/* MIG_BAD_ARGUMENTS from a type check (a complex echo): destroyed too */
	send_take(svc, rp, ID_ECHO, carried, KERN_SUCCESS);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK(refs(carried, MACH_PORT_RIGHT_SEND) == 1);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.err.RetCode == MIG_BAD_ARGUMENTS);

	/* the one the first routine kept */
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, carried));
	CHECK(refs(carried, MACH_PORT_RIGHT_SEND) == 0);

	destroy_port(svc);
	destroy_port(rp);
	destroy_port(carried);
	CHECK(space_names() == before);
}

static void test_once_bad_id(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port();
	union reply_buf r;

	send_echo(svc, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 999, 0);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.Head.msgh_id == 1099 && r.Head.msgh_size == sizeof(mig_reply_error_t));
	CHECK(r.err.RetCode == MIG_BAD_ID);
	CHECK(memcmp(&r.err.NDR, &NDR_record, sizeof(NDR_record)) == 0);

	destroy_port(svc);
	destroy_port(rp);
	CHECK(space_names() == before);
}

static void send_big(mach_port_t svc, mach_port_t reply)
{
	static big_request_t req;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.Head.msgh_size = sizeof(req);
	req.Head.msgh_remote_port = svc;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_id = ID_SIZE;
	req.NDR = NDR_record;
	memset(req.data, 'm', sizeof(req.data));
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&req.Head, MACH_SEND_MSG, sizeof(req), 0,
					    MACH_PORT_NULL, 0, MACH_PORT_NULL));
}

/* A request larger than max_size: served after growing with MACH_RCV_LARGE,
 * refused (and destroyed by the kernel) without it. */
static void test_once_rcv_large(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port();
	union reply_buf r;

	send_big(svc, rp);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc,
							 MACH_RCV_LARGE));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.echo.RetCode == KERN_SUCCESS && r.echo.value == (int)sizeof(big_request_t));

	/* with a trailer asked for, the buffer holds it too */
	send_big(svc, rp);
	CHECK_KR(MACH_MSG_SUCCESS,
		 mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc,
				      MACH_RCV_LARGE |
				      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)));
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.echo.value == (int)sizeof(big_request_t));

	/* without MACH_RCV_LARGE: the receive fails, the request is gone and
	 * its reply right with it (a send-once notification says so) */
	send_big(svc, rp);
	CHECK_KR(MACH_RCV_TOO_LARGE, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK(queued(svc) == 0);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.Head.msgh_id == MACH_NOTIFY_SEND_ONCE);

	destroy_port(svc);
	destroy_port(rp);
	CHECK(space_names() == before);
}

/*
 * A reply to a send right whose queue is full goes with MACH_SEND_TIMEOUT
 * and timeout 0: the server does not block, the reply is destroyed (its
 * send right released) and serving succeeds.
 */
static void test_once_send_timeout(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port(), rp = new_port();
	mach_port_limits_t lim = { .mpl_qlimit = 1 };
	union reply_buf r;

	CHECK_KR(KERN_SUCCESS, mach_port_set_attributes(TASK, rp, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim,
							MACH_PORT_LIMITS_INFO_COUNT));
	send_echo(rp, MACH_PORT_NULL, 0, 1, 0);		/* fills rp */
	CHECK(queued(rp) == 1);
	send_echo(svc, rp, MACH_MSG_TYPE_MAKE_SEND, ID_ECHO, 1);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	CHECK(queued(rp) == 1);
	CHECK(refs(rp, MACH_PORT_RIGHT_SEND) == 0);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 0));
	CHECK(r.Head.msgh_id == 1);
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, r.Head.msgh_remote_port));

	/* a dead reply port: MACH_SEND_INVALID_DEST, also not an error */
	{
		mach_port_t gone = new_port();

		send_echo(svc, gone, MACH_MSG_TYPE_MAKE_SEND, ID_ECHO, 1);
		destroy_port(gone);	/* the request's send right is now dead */
		CHECK_KR(MACH_MSG_SUCCESS,
			 mach_msg_server_once(test_demux, SERVER_MAX_SIZE, svc, 0));
	}

	destroy_port(svc);
	destroy_port(rp);
	CHECK(space_names() == before);
}

/* ---- mach_msg_server -------------------------------------------------- */

struct loop_arg {
	mach_port_t		svc;
	mach_msg_options_t	options;
	mach_msg_return_t	mr;
};

static void *server_thread(void *p)
{
	struct loop_arg *a = p;

	a->mr = mach_msg_server(test_demux, SERVER_MAX_SIZE, a->svc, a->options);
	return NULL;
}

static void rpc_echo(mach_port_t svc, mach_port_t rp, mach_msg_type_name_t rtype, int value)
{
	union {
		echo_request_t	req;
		union reply_buf	rep;
	} m;

	memset(&m, 0, sizeof(m));
	m.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, rtype);
	m.req.Head.msgh_size = sizeof(m.req);
	m.req.Head.msgh_remote_port = svc;
	m.req.Head.msgh_local_port = rp;
	m.req.Head.msgh_id = ID_ECHO;
	m.req.NDR = NDR_record;
	m.req.value = value;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&m.req.Head, MACH_SEND_MSG | MACH_RCV_MSG |
					    MACH_RCV_TIMEOUT, sizeof(m.req), sizeof(m.rep),
					    rp, 10000, MACH_PORT_NULL));
	CHECK(m.rep.Head.msgh_id == ID_ECHO + 100 && m.rep.echo.RetCode == KERN_SUCCESS);
	CHECK(m.rep.echo.value == value + 1);
}

/*
 * The loop under a stream of RPCs with both kinds of reply right and a
 * request that makes it grow (MACH_RCV_LARGE): from then on request and
 * reply buffers differ in size, so both of its send/receive paths run.  It
 * ends, with the receive's error, when the service port dies.
 */
static void test_server_loop(void)
{
	mach_msg_type_number_t before = space_names();
	struct loop_arg a = { .svc = new_port(), .options = MACH_RCV_LARGE };
	mach_port_t rp = new_port();
	union reply_buf r;
	pthread_t t;
	int i;

	CHECK_KR(KERN_SUCCESS, mach_port_insert_right(TASK, a.svc, a.svc,
						      MACH_MSG_TYPE_MAKE_SEND));
	served = 0;
	CHECK(pthread_create(&t, NULL, server_thread, &a) == 0);
	for (i = 0; i < 200; i++) {
		rpc_echo(a.svc, rp, (i & 1) ? MACH_MSG_TYPE_MAKE_SEND : MACH_MSG_TYPE_MAKE_SEND_ONCE, i);
		if (i == 100) {
			send_big(a.svc, rp);
			CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 10000));
			CHECK(r.echo.value == (int)sizeof(big_request_t));
		}
	}
	CHECK(__atomic_load_n(&served, __ATOMIC_SEQ_CST) == 201);
	CHECK(refs(rp, MACH_PORT_RIGHT_SEND) == 0);

	/* its port dies: the loop ends with the receive's error */
	CHECK_KR(KERN_SUCCESS, mach_port_mod_refs(TASK, a.svc, MACH_PORT_RIGHT_RECEIVE, -1));
	CHECK(pthread_join(t, NULL) == 0);
	/*
	 * Blocked in the receive it gets PORT_CHANGED; if it was between two
	 * calls, the next one finds a dead name: INVALID_NAME (or PORT_DIED).
	 */
	if (a.mr != MACH_RCV_PORT_CHANGED && a.mr != MACH_RCV_INVALID_NAME &&
	    a.mr != MACH_RCV_PORT_DIED)
		printf("# mach_msg_server returned 0x%x (%s)\n", a.mr, mach_error_string(a.mr));
	CHECK(a.mr == MACH_RCV_PORT_CHANGED || a.mr == MACH_RCV_INVALID_NAME ||
	      a.mr == MACH_RCV_PORT_DIED);
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, a.svc));	/* the dead name */

	destroy_port(rp);
	CHECK(space_names() == before);
}

struct client_arg {
	mach_port_t	svc;
	int		base;
};

static void *client_thread(void *p)
{
	struct client_arg *c = p;
	mach_port_t rp = new_port();

	for (int i = 0; i < 100; i++)
		rpc_echo(c->svc, rp, (i & 1) ? MACH_MSG_TYPE_MAKE_SEND_ONCE : MACH_MSG_TYPE_MAKE_SEND,
			 c->base + i);
	destroy_port(rp);
	return NULL;
}

/* Two server threads on one port, four clients at once: every RPC gets its
 * own reply, both loops end when the port dies. */
static void test_server_loop_concurrent(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t svc = new_port();
	struct loop_arg a[2] = { { .svc = svc }, { .svc = svc } };
	struct client_arg c[4];
	pthread_t st[2], ct[4];
	int i;

	CHECK_KR(KERN_SUCCESS, mach_port_insert_right(TASK, svc, svc, MACH_MSG_TYPE_MAKE_SEND));
	__atomic_store_n(&served, 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&st[i], NULL, server_thread, &a[i]) == 0);
	for (i = 0; i < 4; i++) {
		c[i].svc = svc;
		c[i].base = i * 1000;
		CHECK(pthread_create(&ct[i], NULL, client_thread, &c[i]) == 0);
	}
	for (i = 0; i < 4; i++)
		CHECK(pthread_join(ct[i], NULL) == 0);
	CHECK(__atomic_load_n(&served, __ATOMIC_SEQ_CST) == 400);

	CHECK_KR(KERN_SUCCESS, mach_port_mod_refs(TASK, svc, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < 2; i++) {
		CHECK(pthread_join(st[i], NULL) == 0);
		CHECK(a[i].mr == MACH_RCV_PORT_CHANGED || a[i].mr == MACH_RCV_INVALID_NAME ||
		      a[i].mr == MACH_RCV_PORT_DIED);
	}
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, svc));
	CHECK(space_names() == before);
}

/* ---- notify_server on the kernel's notifications ----------------------- */

static int got_id;
static mach_port_t got_notify;
static natural_t got_arg;
static kern_return_t port_destroyed_result;

kern_return_t do_mach_notify_no_senders(mach_port_t notify, mach_port_mscount_t mscount)
{
	got_id = MACH_NOTIFY_NO_SENDERS;
	got_notify = notify;
	got_arg = mscount;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	got_id = MACH_NOTIFY_DEAD_NAME;
	got_notify = notify;
	got_arg = name;
	/* the request's uref on the dead name is ours to release */
	mach_port_deallocate(TASK, name);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	got_id = MACH_NOTIFY_PORT_DESTROYED;
	got_notify = notify;
	got_arg = rights;
	return port_destroyed_result;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	got_id = MACH_NOTIFY_SEND_ONCE;
	got_notify = notify;
	got_arg = 0;
	return KERN_SUCCESS;
}

/* port-deleted and send-possible are left undefined: not served. */

#define NOTIFY_MAX_SIZE 128

static kern_return_t request(mach_port_t p, mach_msg_id_t id, mach_port_t n)
{
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr = mach_port_request_notification(TASK, p, id, 0, n,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	CHECK(prev == MACH_PORT_NULL);
	return kr;
}

static void serve_notification(mach_port_t n, int want)
{
	got_id = 0;
	got_notify = MACH_PORT_NULL;
	CHECK(queued(n) == 1);
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(notify_server, NOTIFY_MAX_SIZE, n, 0));
	CHECK(got_id == want && got_notify == n);
	CHECK(queued(n) == 0);
}

static void test_notify_no_senders(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t n = new_port(), p = new_port();

	CHECK_KR(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_KR(KERN_SUCCESS, request(p, MACH_NOTIFY_NO_SENDERS, n));
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	serve_notification(n, MACH_NOTIFY_NO_SENDERS);
	CHECK(got_arg == 1);

	destroy_port(p);
	destroy_port(n);
	CHECK(space_names() == before);
}

static void test_notify_dead_name(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t n = new_port(), p = new_port();
	mach_port_type_t type;

	CHECK_KR(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	CHECK_KR(KERN_SUCCESS, request(p, MACH_NOTIFY_DEAD_NAME, n));
	CHECK_KR(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	serve_notification(n, MACH_NOTIFY_DEAD_NAME);
	CHECK(got_arg == p);
	/* the handler released the notification's uref: one left, ours */
	CHECK_KR(KERN_SUCCESS, mach_port_type(TASK, p, &type));
	CHECK(type == MACH_PORT_TYPE_DEAD_NAME);
	CHECK(refs(p, MACH_PORT_RIGHT_DEAD_NAME) == 1);
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, p));

	destroy_port(n);
	CHECK(space_names() == before);
}

/*
 * port-destroyed carries the receive right: the handler that returns
 * KERN_SUCCESS keeps it; one that fails has it destroyed by the loop.
 */
static void test_notify_port_destroyed(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t n = new_port(), p = new_port();
	mach_port_type_t type = 0;

	CHECK_KR(KERN_SUCCESS, request(p, MACH_NOTIFY_PORT_DESTROYED, n));
	CHECK_KR(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	port_destroyed_result = KERN_SUCCESS;
	serve_notification(n, MACH_NOTIFY_PORT_DESTROYED);
	CHECK_KR(KERN_SUCCESS, mach_port_type(TASK, got_arg, &type));
	CHECK(type == MACH_PORT_TYPE_RECEIVE);
	p = got_arg;

	CHECK_KR(KERN_SUCCESS, request(p, MACH_NOTIFY_PORT_DESTROYED, n));
	CHECK_KR(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	port_destroyed_result = KERN_FAILURE;
	serve_notification(n, MACH_NOTIFY_PORT_DESTROYED);
	CHECK_KR(KERN_INVALID_NAME, mach_port_type(TASK, got_arg, &type));

	destroy_port(n);
	CHECK(space_names() == before);
}

static void test_notify_send_once(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t n = new_port(), so = MACH_PORT_NULL;
	mach_msg_type_name_t so_type = 0;

	CHECK_KR(KERN_SUCCESS, mach_port_extract_right(TASK, n, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						       &so, &so_type));
	CHECK(so_type == MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK_KR(KERN_SUCCESS, mach_port_deallocate(TASK, so));
	serve_notification(n, MACH_NOTIFY_SEND_ONCE);

	destroy_port(n);
	CHECK(space_names() == before);
}

/* port-deleted is not defined by this program: MIG_BAD_ID, nothing run. */
static void test_notify_unserved(void)
{
	mach_msg_type_number_t before = space_names();
	mach_port_t n = new_port(), rp = new_port();
	union reply_buf r;
	mach_port_deleted_notification_t fake;

	CHECK(notify_server_routine(&(mach_msg_header_t){ .msgh_id = MACH_NOTIFY_PORT_DELETED })
	      == NULL);
	CHECK(notify_server_routine(&(mach_msg_header_t){ .msgh_id = MACH_NOTIFY_NO_SENDERS })
	      != NULL);
	/* a port-deleted from a user, with a reply port: the error goes back */
	memset(&fake, 0, sizeof(fake));
	fake.not_header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
						   MACH_MSG_TYPE_MAKE_SEND_ONCE);
	fake.not_header.msgh_size = 36;
	fake.not_header.msgh_remote_port = n;
	fake.not_header.msgh_local_port = rp;
	fake.not_header.msgh_id = MACH_NOTIFY_PORT_DELETED;
	fake.NDR = NDR_record;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg(&fake.not_header, MACH_SEND_MSG, 36, 0,
					    MACH_PORT_NULL, 0, MACH_PORT_NULL));
	got_id = 0;
	CHECK_KR(MACH_MSG_SUCCESS, mach_msg_server_once(notify_server, NOTIFY_MAX_SIZE, n, 0));
	CHECK(got_id == 0);
	CHECK_KR(MACH_MSG_SUCCESS, receive(rp, &r, 1000));
	CHECK(r.err.RetCode == MIG_BAD_ID && r.Head.msgh_id == MACH_NOTIFY_PORT_DELETED + 100);

	destroy_port(n);
	destroy_port(rp);
	CHECK(space_names() == before);
}

static const struct {
	const char *name;
	void (*run)(void);
} tests[] = {
	{ "once_reply", test_once_reply },
	{ "once_mig_no_reply", test_once_no_reply },
	{ "once_error_destroys_request", test_once_error_destroys_request },
	{ "once_bad_id", test_once_bad_id },
	{ "once_rcv_large", test_once_rcv_large },
	{ "once_reply_send_timeout", test_once_send_timeout },
	{ "server_loop", test_server_loop },
	{ "server_loop_concurrent", test_server_loop_concurrent },
	{ "notify_no_senders", test_notify_no_senders },
	{ "notify_dead_name", test_notify_dead_name },
	{ "notify_port_destroyed", test_notify_port_destroyed },
	{ "notify_send_once", test_notify_send_once },
	{ "notify_unserved_bad_id", test_notify_unserved },
};

int main(void)
{
	size_t n = sizeof(tests) / sizeof(tests[0]);
	int failed = 0;

	printf("TAP version 13\n");
	if (access("/dev/mach", F_OK) != 0) {
		printf("1..0 # SKIP /dev/mach not present\n");
		return 4;
	}
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		failures = 0;
		tests[i].run();
		failed += failures != 0;
		printf("%s %zu %s\n", failures ? "not ok" : "ok", i + 1, tests[i].name);
		fflush(stdout);
	}
	printf("# %d of %zu failed\n", failed, n);
	return failed ? 1 : 0;
}
