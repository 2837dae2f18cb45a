// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * Loopback test of generated stubs on the host: the client stubs of
 * loop.defs call mach_msg, which here is a fake that hands the request to
 * the generated server demux (loop_server) in the same process and
 * returns its reply, as the kernel would (ports swapped, a trailer
 * appended).  A "hostile" hook alters requests or replies on the way, to
 * check the generated validation: every check is expected to answer with
 * Darwin's code.  Prints "PASS name" / "FAIL name" lines for tests/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "loop.h"
#include "loopServer.h"

#define SERVER_PORT	0x1103
#define REPLY_PORT	0x2207

/* ---- the runtime the stubs need (libmach's, faked) ------------------- */

NDR_record_t NDR_record = { 0, 0, 0, 0, NDR_INT_LITTLE_ENDIAN, NDR_CHAR_ASCII, NDR_FLOAT_IEEE, 0 };
static int destroyed, put_reply, dealloc_reply;

mach_port_t mig_get_reply_port(void) { return REPLY_PORT; }
void mig_put_reply_port(mach_port_t p) { (void)p; put_reply++; }
void mig_dealloc_reply_port(mach_port_t p) { (void)p; dealloc_reply++; }
void mach_msg_destroy(mach_msg_header_t *m) { (void)m; destroyed++; }

int mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 0; i < len - 1 && src[i]; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	return i + 1;
}

int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int n = mig_strncpy(dest, src, len);

	if (n > 0)
		memset(dest + n, 0, (size_t)(len - n));
	return n;
}

/* ---- the fake kernel -------------------------------------------------- */

static union {
	mach_msg_header_t head;
	char bytes[8192];
	long long align;
} req, rep;
static mach_msg_header_t last_request;	/* as sent */
static unsigned last_send_size;
static mach_msg_return_t send_result = MACH_MSG_SUCCESS, rcv_result = MACH_MSG_SUCCESS;
static void (*mangle_request)(mach_msg_header_t *);
static void (*mangle_reply)(mach_msg_header_t *);
static kern_return_t server_retcode;	/* RetCode of the last reply */
static int short_reply_trailer;		/* the reply's trailer is too short */
static boolean_t server_handled;

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	mach_msg_max_trailer_t *tr;

	(void)rcv_name;
	(void)timeout;
	(void)notify;
	if (!(option & MACH_SEND_MSG))
		return MACH_SEND_INVALID_HEADER;
	last_request = *msg;
	last_send_size = send_size;
	if (send_result != MACH_MSG_SUCCESS)
		return send_result;
	if (msg->msgh_size != send_size || send_size > sizeof(req) - sizeof(*tr))
		return MACH_SEND_MSG_TOO_SMALL;
	memset(&req, 0, sizeof(req));
	memcpy(req.bytes, msg, send_size);
	/* as received: the reply right in msgh_remote_port */
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(msg->msgh_bits) ?
					    MACH_MSG_TYPE_PORT_SEND_ONCE : 0,
					    MACH_MSG_TYPE_PORT_SEND) |
			     (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	req.head.msgh_remote_port = msg->msgh_local_port;
	req.head.msgh_local_port = msg->msgh_remote_port;
	if (mangle_request)
		mangle_request(&req.head);
	tr = (mach_msg_max_trailer_t *)(req.bytes + round_msg(req.head.msgh_size));
	memset(tr, 0, sizeof(*tr));
	tr->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	tr->msgh_trailer_size = sizeof(mach_msg_audit_trailer_t);
	tr->msgh_audit.val[5] = 4242;	/* the pid */
	memset(&rep, 0, sizeof(rep));
	server_handled = loop_server(&req.head, &rep.head);
	server_retcode = ((mig_reply_error_t *)&rep.head)->RetCode;
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
	if (rcv_result != MACH_MSG_SUCCESS)
		return rcv_result;
	/* as received by the client */
	rep.head.msgh_local_port = rep.head.msgh_remote_port;
	rep.head.msgh_remote_port = MACH_PORT_NULL;
	rep.head.msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) |
			     (rep.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	if (mangle_reply)
		mangle_reply(&rep.head);
	if (rep.head.msgh_size + sizeof(mach_msg_trailer_t) > rcv_size)
		return MACH_RCV_TOO_LARGE;
	memcpy(msg, rep.bytes, rep.head.msgh_size);
	memset((char *)msg + rep.head.msgh_size, 0, sizeof(mach_msg_trailer_t));
	if (GET_RCV_ELEMENTS(option) != MACH_RCV_TRAILER_NULL) {
		/* the trailer the receive asked for, as the kernel writes it */
		mach_msg_size_t tsz = REQUESTED_TRAILER_SIZE_NATIVE(option);

		if (round_msg(rep.head.msgh_size) + tsz > rcv_size)
			return MACH_RCV_TOO_LARGE;
		tr = (mach_msg_max_trailer_t *)((char *)msg + round_msg(rep.head.msgh_size));
		memset(tr, 0, tsz);
		tr->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
		tr->msgh_trailer_size = short_reply_trailer ? 8 : tsz;
		if (tsz >= 20)
			tr->msgh_sender.val[0] = 55;	/* the server's uid */
		if (tsz >= 52)
			tr->msgh_audit.val[5] = 777;	/* the server's pid */
	}
	return MACH_MSG_SUCCESS;
}

/* ---- the server routines ---------------------------------------------- */

static int oneway_value;

kern_return_t srv_add(mach_port_t server, int a, int64_t b, int64_t *sum)
{
	if (server != SERVER_PORT)
		return KERN_INVALID_NAME;
	*sum = a + b;
	return KERN_SUCCESS;
}

kern_return_t srv_strings(mach_port_t server, name_t name, fname_t fixed, name_t upper, int *len)
{
	size_t i;

	(void)server;
	for (i = 0; name[i]; i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	upper[i] = '\0';
	*len = (int)(strlen(name) + strlen(fixed));
	return KERN_SUCCESS;
}

kern_return_t srv_arrays(mach_port_t server, ints_t v, mach_msg_type_number_t vCnt, bytes_t b,
		     mach_msg_type_number_t bCnt, fixed_t fx, ints_t rev,
		     mach_msg_type_number_t *revCnt, bytes_t rb, mach_msg_type_number_t *rbCnt,
		     fixed_t fxo)
{
	(void)server;
	for (unsigned i = 0; i < vCnt; i++)
		rev[i] = v[vCnt - 1 - i];
	*revCnt = vCnt;
	for (unsigned i = 0; i < bCnt; i++)
		rb[i] = (char)(b[i] + 1);
	*rbCnt = bCnt;
	for (int i = 0; i < 3; i++)
		fxo[i] = fx[i] * 10;
	return KERN_SUCCESS;
}

kern_return_t srv_countio(mach_port_t server, int n, ints_t o, mach_msg_type_number_t *oCnt)
{
	(void)server;
	/* *oCnt is what the client can take (CountInOut) */
	if ((unsigned)n > *oCnt)
		n = (int)*oCnt;
	for (int i = 0; i < n; i++)
		o[i] = i * i;
	*oCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t srv_structs(mach_port_t server, st_t s, st_t *so)
{
	(void)server;
	so->a = s.c;
	so->b = s.b;
	so->c = s.a;
	return KERN_SUCCESS;
}

kern_return_t srv_oneway(mach_port_t server, int v)
{
	(void)server;
	oneway_value = v;
	return KERN_SUCCESS;
}

kern_return_t srv_inout_r(mach_port_t server, int *x)
{
	(void)server;
	*x = *x * 3;
	return KERN_SUCCESS;
}

kern_return_t srv_fail(mach_port_t server, int code)
{
	(void)server;
	return code;
}

static mach_port_t got_ports[2];
static mach_msg_type_name_t got_poly;

kern_return_t srv_fixool(mach_port_t server, fool_t d, fool_t *od)
{
	(void)server;
	*od = d;	/* the same memory back */
	return KERN_SUCCESS;
}

kern_return_t srv_polyarr(mach_port_t server, parr_t ports, mach_msg_type_name_t portsPoly,
			  parr_t oports, mach_msg_type_name_t *oportsPoly)
{
	(void)server;
	got_ports[0] = ports[0];
	got_ports[1] = ports[1];
	got_poly = portsPoly;
	oports[0] = ports[1];
	oports[1] = ports[0];
	*oportsPoly = MACH_MSG_TYPE_MOVE_SEND;
	return KERN_SUCCESS;
}

static void req_ool_size(mach_msg_header_t *m)
{
	((mach_msg_ool_descriptor_t *)((char *)m + 28))->size = 12;
}

kern_return_t srv_whoami(mach_port_t server, int *v)
{
	(void)server;
	*v = 1;
	return KERN_SUCCESS;
}

kern_return_t srv_audit(mach_port_t server, audit_token_t tok, int *pid)
{
	(void)server;
	*pid = (int)tok.val[5];
	return KERN_SUCCESS;
}

kern_return_t srv_multi(mach_port_t server, bytes_t a, mach_msg_type_number_t aCnt, ints_t b,
		    mach_msg_type_number_t bCnt, name_t c, int d, int *x, bytes_t y,
		    mach_msg_type_number_t *yCnt, int *z)
{
	int sum = 0;

	(void)server;
	for (unsigned i = 0; i < aCnt; i++)
		sum += a[i];
	for (unsigned i = 0; i < bCnt; i++)
		sum += b[i];
	*x = sum + d;
	*yCnt = (mach_msg_type_number_t)strlen(c);
	memcpy(y, c, *yCnt);
	*z = -d;
	return KERN_SUCCESS;
}

/* ---- tests ------------------------------------------------------------ */

static int failures;

static void check(int ok, const char *name)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (!ok)
		failures++;
}

static void reset(void)
{
	mangle_request = NULL;
	mangle_reply = NULL;
	send_result = rcv_result = MACH_MSG_SUCCESS;
	destroyed = put_reply = dealloc_reply = 0;
}

/* hostile requests */
static void req_short(mach_msg_header_t *m) { m->msgh_size -= 4; }
static void req_long(mach_msg_header_t *m) { m->msgh_size += 4; }
static void req_complex(mach_msg_header_t *m) { m->msgh_bits |= MACH_MSGH_BITS_COMPLEX; }
static void req_bad_id(mach_msg_header_t *m) { m->msgh_id = 5000 + 42; }
static void req_skip_id(mach_msg_header_t *m) { m->msgh_id = 5009; }
static void req_low_id(mach_msg_header_t *m) { m->msgh_id = 4999; }
static void req_big_count(mach_msg_header_t *m)
{
	((__Request__arrays_t *)m)->vCnt = 9;
}
static void req_count_vs_size(mach_msg_header_t *m)
{
	((__Request__arrays_t *)m)->vCnt -= 2;	/* the rest no longer adds up */
}
static void req_unterminated(mach_msg_header_t *m)
{
	__Request__strings_t *r = (__Request__strings_t *)m;

	memset(r->name, 'x', r->nameCnt);
}
static void req_unterminated_fixed(mach_msg_header_t *m)
{
	/* the fixed string follows the variable one: find it by size */
	char *end = (char *)m + m->msgh_size;

	memset(end - 16, 'y', 16);
}
static void req_no_trailer(mach_msg_header_t *m) { (void)m; }

/* hostile replies */
static void rep_bad_id(mach_msg_header_t *m) { m->msgh_id += 1; }
static void rep_send_once(mach_msg_header_t *m) { m->msgh_id = MACH_NOTIFY_SEND_ONCE; m->msgh_size = sizeof(mach_msg_header_t); }
static void rep_short(mach_msg_header_t *m) { m->msgh_size -= 4; }
static void rep_complex(mach_msg_header_t *m) { m->msgh_bits |= MACH_MSGH_BITS_COMPLEX; }
static void rep_remote(mach_msg_header_t *m) { m->msgh_remote_port = 0x99; }
static void rep_big_count(mach_msg_header_t *m) { ((__Reply__countio_t *)m)->oCnt = 9; }

int main(void)
{
	int64_t sum = 0;
	kern_return_t kr;

	reset();
	kr = add(SERVER_PORT, 40, 5000000000LL, &sum);
	check(kr == KERN_SUCCESS && sum == 5000000040LL, "scalars");
	check(last_request.msgh_id == 5000 &&
	      last_request.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) &&
	      last_request.msgh_local_port == REPLY_PORT && last_send_size == sizeof(__Request__add_t) &&
	      sizeof(__Request__add_t) == 44, "request_header");
	check(rep.head.msgh_id == 5100 && rep.head.msgh_size == sizeof(__Reply__add_t) &&
	      MACH_MSGH_BITS_REMOTE(rep.head.msgh_bits) == 0, "reply_header");
	kr = add(0x77, 1, 1, &sum);
	check(kr == KERN_INVALID_NAME, "error_reply_retcode");

	{
		char up[64];
		fname_t fixed = "fixed";
		int len = 0;

		reset();
		kr = strings(SERVER_PORT, "hello", fixed, up, &len);
		check(kr == KERN_SUCCESS && !strcmp(up, "HELLO") && len == 10, "strings");
		/* "hello" + NUL takes 8 bytes of 64 on the wire */
		check(last_send_size == sizeof(__Request__strings_t) - 64 + 8, "string_packed_tight");
		mangle_request = req_unterminated;
		kr = strings(SERVER_PORT, "hello", fixed, up, &len);
		check(kr == MIG_BAD_ARGUMENTS && destroyed == 0, "unterminated_string");
		mangle_request = req_unterminated_fixed;
		kr = strings(SERVER_PORT, "hello", fixed, up, &len);
		check(kr == MIG_BAD_ARGUMENTS, "unterminated_fixed_string");
	}
	{
		int v[5] = { 1, 2, 3, 4, 5 }, rev[8] = { 0 };
		char b[3] = { 'a', 'b', 'c' }, rb[13];
		int fx[3] = { 1, 2, 3 }, fxo[3] = { 0 };
		mach_msg_type_number_t revCnt = 8, rbCnt = 13;

		reset();
		kr = arrays(SERVER_PORT, v, 5, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == KERN_SUCCESS && revCnt == 5 && rev[0] == 5 && rev[4] == 1 && rbCnt == 3 &&
		      rb[0] == 'b' && rb[2] == 'd' && fxo[2] == 30, "var_and_fixed_arrays");
		check(last_send_size == sizeof(__Request__arrays_t) - 32 + 20 - 16 + 4, "arrays_packed_tight");
		revCnt = 4;
		rbCnt = 13;
		kr = arrays(SERVER_PORT, v, 5, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == MIG_ARRAY_TOO_LARGE && revCnt == 5, "out_array_too_large");
		revCnt = 8;
		kr = arrays(SERVER_PORT, v, 9, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == MIG_ARRAY_TOO_LARGE, "in_array_too_large");
		revCnt = 8;
		mangle_request = req_big_count;
		kr = arrays(SERVER_PORT, v, 5, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == MIG_BAD_ARGUMENTS, "count_over_max");
		mangle_request = req_count_vs_size;
		kr = arrays(SERVER_PORT, v, 5, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == MIG_BAD_ARGUMENTS, "count_disagrees_with_size");
		mangle_request = req_short;
		kr = arrays(SERVER_PORT, v, 5, b, 3, fx, rev, &revCnt, rb, &rbCnt, fxo);
		check(kr == MIG_BAD_ARGUMENTS, "var_request_short");
	}
	{
		int o[8] = { 0 };
		mach_msg_type_number_t oCnt = 3;

		reset();
		kr = countio(SERVER_PORT, 6, o, &oCnt);
		check(kr == KERN_SUCCESS && oCnt == 3 && o[2] == 4, "countinout");
		oCnt = 8;
		mangle_reply = rep_big_count;
		kr = countio(SERVER_PORT, 6, o, &oCnt);
		check(kr == MIG_TYPE_ERROR && destroyed == 1, "reply_count_over_max");
	}
	{
		st_t s = { 1, 2, 3 }, so = { 0, 0, 0 };

		reset();
		kr = structs(SERVER_PORT, s, &so);
		check(kr == KERN_SUCCESS && so.a == 3 && so.b == 2 && so.c == 1, "structs");
		mangle_request = req_short;
		kr = structs(SERVER_PORT, s, &so);
		check(kr == MIG_BAD_ARGUMENTS && !server_handled == 0, "wrong_size_short");
		mangle_request = req_long;
		kr = structs(SERVER_PORT, s, &so);
		check(kr == MIG_BAD_ARGUMENTS, "wrong_size_long");
		mangle_request = req_complex;
		kr = structs(SERVER_PORT, s, &so);
		check(kr == MIG_BAD_ARGUMENTS, "unexpected_complex");
	}
	{
		int x = 7;

		reset();
		kr = oneway(SERVER_PORT, 99);
		check(kr == KERN_SUCCESS && oneway_value == 99 &&
		      last_request.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) &&
		      last_request.msgh_local_port == MACH_PORT_NULL && last_request.msgh_id == 5005,
		      "simpleroutine");
		kr = inout_r(SERVER_PORT, &x);
		check(kr == KERN_SUCCESS && x == 21, "inout");
		kr = fail(SERVER_PORT, KERN_NO_SPACE);
		check(kr == KERN_NO_SPACE && rep.head.msgh_size == sizeof(mig_reply_error_t), "routine_error");
	}
	{
		int pid = 0;

		reset();
		kr = audit(SERVER_PORT, &pid);
		check(kr == KERN_SUCCESS && pid == 4242, "serveraudittoken");
		(void)req_no_trailer;
	}
	{
		/* UserAuditToken/UserSecToken: the reply's trailer, requested
		 * with the elements Apple's stubs ask for (audit covers both). */
		audit_token_t at;
		security_token_t st;
		int v = 0;

		reset();
		memset(&at, 0, sizeof(at));
		memset(&st, 0, sizeof(st));
		kr = whoami(SERVER_PORT, &at, &st, &v);
		check(kr == KERN_SUCCESS && v == 1 && at.val[5] == 777 && st.val[0] == 55,
		      "useraudittoken");
		short_reply_trailer = 1;
		kr = whoami(SERVER_PORT, &at, &st, &v);
		short_reply_trailer = 0;
		check(kr == MIG_TRAILER_ERROR, "useraudittoken_short_trailer");
	}
	{
		/* ^struct[4] of int: one OOL descriptor of exactly 16 bytes */
		int data[4] = { 1, 2, 3, 4 };
		fool_t od = NULL;
		const mach_msg_ool_descriptor_t *d =
			(const mach_msg_ool_descriptor_t *)(req.bytes + 28);

		reset();
		kr = fixool(SERVER_PORT, data, &od);
		check(kr == KERN_SUCCESS && od == data && d->size == 16 &&
		      req.head.msgh_size == 52 && d->type == MACH_MSG_OOL_DESCRIPTOR, "fixed_ool");
		mangle_request = req_ool_size;
		kr = fixool(SERVER_PORT, data, &od);
		check(server_retcode == MIG_TYPE_ERROR, "fixed_ool_wrong_size");
	}
	{
		/* array[2] of mach_port_poly_t: one disposition for every element */
		mach_port_t ports[2] = { 0x1103, 0x2203 }, back[2] = { 0, 0 };
		mach_msg_type_name_t poly = 0;
		const mach_msg_port_descriptor_t *d =
			(const mach_msg_port_descriptor_t *)(req.bytes + 28);

		reset();
		kr = polyarr(SERVER_PORT, ports, MACH_MSG_TYPE_MAKE_SEND, back, &poly);
		check(kr == KERN_SUCCESS && got_ports[0] == 0x1103 && got_ports[1] == 0x2203 &&
		      got_poly == MACH_MSG_TYPE_MAKE_SEND && d[0].disposition == MACH_MSG_TYPE_MAKE_SEND &&
		      d[1].disposition == MACH_MSG_TYPE_MAKE_SEND && back[0] == 0x2203 &&
		      back[1] == 0x1103 && poly == MACH_MSG_TYPE_MOVE_SEND, "poly_port_array");
	}
	{
		char a[4] = { 1, 2, 3, 4 }, y[13] = { 0 };
		int b[2] = { 10, 20 }, x = 0, z = 0;
		mach_msg_type_number_t yCnt = 13;

		reset();
		kr = multi(SERVER_PORT, a, 4, b, 2, "abcde", 5, &x, y, &yCnt, &z);
		check(kr == KERN_SUCCESS && x == 45 && yCnt == 5 && !memcmp(y, "abcde", 5) && z == -5,
		      "several_variable_arrays");
	}
	{
		int64_t s2;

		reset();
		mangle_request = req_bad_id;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_REPLY_MISMATCH && server_retcode == MIG_BAD_ID && !server_handled &&
		      rep.head.msgh_id == 5142 && rep.head.msgh_size == sizeof(mig_reply_error_t), "bad_id");
		mangle_request = req_skip_id;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(server_retcode == MIG_BAD_ID && !server_handled, "skipped_id");
		mangle_request = req_low_id;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(server_retcode == MIG_BAD_ID && !server_handled, "id_below_base");
		check(loop_server_routine(&req.head) == 0, "server_routine_bad_id");
		req.head.msgh_id = 5000;
		check(loop_server_routine(&req.head) == srv_loop_subsystem.routine[0].stub_routine &&
		      srv_loop_subsystem.start == 5000 && srv_loop_subsystem.end == 5014 &&
		      srv_loop_subsystem.routine[9].stub_routine == 0 &&
		      srv_loop_subsystem.maxsize == sizeof(union __ReplyUnion__srv_loop_subsystem), "subsystem_table");

		reset();
		mangle_reply = rep_bad_id;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_REPLY_MISMATCH && destroyed == 1, "reply_mismatch");
		reset();
		mangle_reply = rep_send_once;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_SERVER_DIED, "server_died");
		reset();
		mangle_reply = rep_short;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_TYPE_ERROR && destroyed == 1, "reply_wrong_size");
		reset();
		mangle_reply = rep_complex;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_TYPE_ERROR, "reply_unexpected_complex");
		reset();
		mangle_reply = rep_remote;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MIG_TYPE_ERROR, "reply_with_remote_port");
		reset();
		send_result = MACH_SEND_INVALID_DEST;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MACH_SEND_INVALID_DEST && put_reply == 1 && dealloc_reply == 0, "send_error_keeps_reply_port");
		reset();
		rcv_result = MACH_RCV_TIMED_OUT;
		kr = add(SERVER_PORT, 1, 2, &s2);
		check(kr == MACH_RCV_TIMED_OUT && dealloc_reply == 1, "receive_error_drops_reply_port");
	}
	return failures ? 1 : 0;
}
