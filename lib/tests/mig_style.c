/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * The runtime surface MIG-generated code uses, exercised the way generated
 * code uses it: a subsystem "style" (base 7100) with one routine whose
 * request carries a port descriptor and an int64 after an int (so packing
 * shows), a client stub that type-checks its reply under __MigTypeCheck,
 * a server stub built from static templates, the subsystem structure with
 * its routine_descriptor array, the demux and *_server_routine.  The client
 * stub's checks and the server run on the host without /dev/mach (the
 * request is handed to the demux directly).  Written for this project in
 * MIG's shape; it copies no generated file.  Built as C99 and C++20.
 */
#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <Availability.h>
#include <AvailabilityMacros.h>
#include <os/availability.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef mig_internal
#define mig_internal static __inline__
#endif
#ifndef mig_external
#define mig_external
#endif
#ifndef UseStaticTemplates
#define UseStaticTemplates 1
#endif
#define msgh_request_port	msgh_local_port
#define msgh_reply_port		msgh_remote_port

#ifdef __cplusplus
#define STATIC_ASSERT static_assert
#else
#define STATIC_ASSERT _Static_assert
#endif

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); } } while (0)

/* ---- the header MIG would write ---------------------------------------- */

#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	port;
	NDR_record_t			NDR;
	int				flavor;
	int64_t				value;
} __Request__style_put_t;

typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
	int64_t			result;
} __Reply__style_put_t;
#ifdef __MigPackStructs
#pragma pack(pop)
#endif

#ifdef __cplusplus
extern "C" {
#endif
extern boolean_t style_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
extern mig_routine_t style_server_routine(mach_msg_header_t *InHeadP);
__API_AVAILABLE(macos(10.12)) __IOS_PROHIBITED __TVOS_PROHIBITED __WATCHOS_PROHIBITED
MIG_SERVER_ROUTINE kern_return_t style_put(mach_port_t server, mach_port_t port, int flavor,
					   int64_t value, int64_t *result);
API_AVAILABLE(macos(11.0), ios(14.0)) __OSX_AVAILABLE_STARTING(__MAC_10_5, __IPHONE_2_0)
extern int style_annotated(void) AVAILABLE_MAC_OS_X_VERSION_10_5_AND_LATER;
#ifdef __cplusplus
}
#endif

STATIC_ASSERT(sizeof(__Request__style_put_t) == 60, "packed request");
STATIC_ASSERT(offsetof(__Request__style_put_t, value) == 52, "int64 not padded");
STATIC_ASSERT(sizeof(__Reply__style_put_t) == 44, "packed reply");

/* ---- server side ----------------------------------------------------- */

kern_return_t style_put(mach_port_t server, mach_port_t port, int flavor, int64_t value,
			int64_t *result)
{
	(void)server;
	if (flavor != 1)
		return KERN_INVALID_ARGUMENT;
	*result = value * 2 + (int64_t)port;
	return KERN_SUCCESS;
}

#if __MigTypeCheck
mig_internal kern_return_t __MIG_check__Request__style_put_t(__Request__style_put_t *In0P)
{
	if (!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    In0P->msgh_body.msgh_descriptor_count != 1 ||
	    In0P->Head.msgh_size != (mach_msg_size_t)sizeof(__Request__style_put_t))
		return MIG_BAD_ARGUMENTS;
	if (In0P->port.type != MACH_MSG_PORT_DESCRIPTOR ||
	    In0P->port.disposition != MACH_MSG_TYPE_PORT_SEND)
		return MIG_TYPE_ERROR;
	return MACH_MSG_SUCCESS;
}
#endif

#define MIG_RETURN_ERROR(X, code) { \
	((mig_reply_error_t *)(X))->RetCode = (code); \
	((mig_reply_error_t *)(X))->NDR = NDR_record; \
	return; }

mig_internal void _Xstyle_put(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	__Request__style_put_t *In0P = (__Request__style_put_t *)InHeadP;
	__Reply__style_put_t *OutP = (__Reply__style_put_t *)OutHeadP;
#if __MigTypeCheck
	kern_return_t check_result = __MIG_check__Request__style_put_t(In0P);

	if (check_result != MACH_MSG_SUCCESS)
		MIG_RETURN_ERROR(OutP, check_result);
#endif
	OutP->RetCode = style_put(In0P->Head.msgh_request_port, In0P->port.name, In0P->flavor,
				  In0P->value, &OutP->result);
	if (OutP->RetCode != KERN_SUCCESS)
		MIG_RETURN_ERROR(OutP, OutP->RetCode);
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(__Reply__style_put_t);
}

#ifdef __cplusplus
extern "C" {
#endif
extern const struct style_subsystem {
	mig_server_routine_t	server;
	mach_msg_id_t		start;
	mach_msg_id_t		end;
	unsigned int		maxsize;
	vm_address_t		reserved;
	struct routine_descriptor routine[2];
} style_subsystem;
#ifdef __cplusplus
}
#endif

const struct style_subsystem style_subsystem = {
	style_server_routine,
	7100,
	7102,
	(mach_msg_size_t)sizeof(__Reply__style_put_t),
	(vm_address_t)0,
	{
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)0, 0, 0,
		  (routine_arg_descriptor_t)0, 0 },	/* skip */
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xstyle_put, 5, 0,
		  (routine_arg_descriptor_t)0, (mach_msg_size_t)sizeof(__Reply__style_put_t) },
	}
};

mig_external boolean_t style_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	mig_routine_t routine;

	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_reply_port;
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = InHeadP->msgh_id + 100;
	OutHeadP->msgh_reserved = 0;
	if (InHeadP->msgh_id > 7101 || InHeadP->msgh_id < 7100 ||
	    (routine = style_subsystem.routine[InHeadP->msgh_id - 7100].stub_routine) == 0) {
		((mig_reply_error_t *)OutHeadP)->NDR = NDR_record;
		((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;
		return FALSE;
	}
	(*routine)(InHeadP, OutHeadP);
	return TRUE;
}

mig_external mig_routine_t style_server_routine(mach_msg_header_t *InHeadP)
{
	int msgh_id = InHeadP->msgh_id - 7100;

	if (msgh_id > 1 || msgh_id < 0)
		return 0;
	return style_subsystem.routine[msgh_id].stub_routine;
}

/* ---- client side: the request it builds, the reply check it runs ------ */

static void build_request(__Request__style_put_t *InP, mach_port_t server, mach_port_t port,
			  int flavor, int64_t value)
{
#if UseStaticTemplates
	static const mach_msg_port_descriptor_t portTemplate = {
		/* name = */ MACH_PORT_NULL,
		/* pad1 = */ 0,
		/* pad2 = */ 0,
		/* disp = */ MACH_MSG_TYPE_COPY_SEND,
		/* type = */ MACH_MSG_PORT_DESCRIPTOR,
	};
#endif
	memset(InP, 0, sizeof(*InP));
	InP->msgh_body.msgh_descriptor_count = 1;
	InP->port = portTemplate;
	InP->port.name = port;
	InP->NDR = NDR_record;
	InP->flavor = flavor;
	InP->value = value;
	InP->Head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			      MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	InP->Head.msgh_remote_port = server;
	InP->Head.msgh_local_port = 0x4107;	/* as mig_get_reply_port() */
	InP->Head.msgh_id = 7101;
	InP->Head.msgh_reserved = 0;
	InP->Head.msgh_size = (mach_msg_size_t)sizeof(*InP);
}

static kern_return_t check_reply(__Reply__style_put_t *Out0P)
{
	if (Out0P->Head.msgh_id != 7201) {
		if (Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)
			return MIG_SERVER_DIED;
		return MIG_REPLY_MISMATCH;
	}
#if __MigTypeCheck
	if (Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return MIG_TYPE_ERROR;
	if ((Out0P->Head.msgh_size != (mach_msg_size_t)sizeof(__Reply__style_put_t) &&
	     (Out0P->Head.msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||
	      Out0P->RetCode == KERN_SUCCESS)))
		return MIG_TYPE_ERROR;
#endif
	if (Out0P->RetCode != KERN_SUCCESS)
		return ((mig_reply_error_t *)Out0P)->RetCode;
	return MACH_MSG_SUCCESS;
}

/* The server's received request: the kernel turned COPY_SEND into PORT_SEND
 * and swapped the header ports. */
static void as_received(__Request__style_put_t *req)
{
	req->port.disposition = MACH_MSG_TYPE_PORT_SEND;
	req->Head.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			      MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
	req->Head.msgh_remote_port = 0x4107;
	req->Head.msgh_local_port = 0x1003;
}

int main(void)
{
	union {
		__Request__style_put_t req;
		mach_msg_header_t head;
		char room[sizeof(__Request__style_put_t) + MAX_TRAILER_SIZE];
	} in;
	union {
		__Reply__style_put_t rep;
		mig_reply_error_t err;
	} out;

	build_request(&in.req, 0x1003, 0x2003, 1, 20);
	CHECK(in.req.port.disposition == MACH_MSG_TYPE_COPY_SEND &&
	      in.req.port.type == MACH_MSG_PORT_DESCRIPTOR && in.req.port.name == 0x2003);
	as_received(&in.req);
	CHECK(style_server_routine(&in.head) == (mig_routine_t)_Xstyle_put);
	CHECK(style_server(&in.head, &out.rep.Head) == TRUE);
	CHECK(out.rep.Head.msgh_remote_port == 0x4107);
	CHECK(MACH_MSGH_BITS_REMOTE(out.rep.Head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);
	CHECK(check_reply(&out.rep) == KERN_SUCCESS && out.rep.result == 40 + 0x2003);

	/* a server routine's error comes back as a mig_reply_error_t */
	build_request(&in.req, 0x1003, 0x2003, 2, 20);
	as_received(&in.req);
	CHECK(style_server(&in.head, &out.rep.Head) == TRUE);
	CHECK(out.err.Head.msgh_size == sizeof(mig_reply_error_t));
	CHECK(check_reply(&out.rep) == KERN_INVALID_ARGUMENT);

	/* the server's type checks */
	build_request(&in.req, 0x1003, 0x2003, 1, 20);
	as_received(&in.req);
	in.req.Head.msgh_size -= 4;
	CHECK(style_server(&in.head, &out.rep.Head) == TRUE && out.err.RetCode == MIG_BAD_ARGUMENTS);
	build_request(&in.req, 0x1003, 0x2003, 1, 20);
	as_received(&in.req);
	in.req.port.disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	CHECK(style_server(&in.head, &out.rep.Head) == TRUE && out.err.RetCode == MIG_TYPE_ERROR);

	/* skipped and foreign ids */
	in.head.msgh_id = 7100;
	CHECK(style_server(&in.head, &out.rep.Head) == FALSE && out.err.RetCode == MIG_BAD_ID);
	in.head.msgh_id = 7102;
	CHECK(style_server_routine(&in.head) == 0);

	/* the client's reply checks */
	memset(&out, 0, sizeof(out));
	out.rep.Head.msgh_id = MACH_NOTIFY_SEND_ONCE;
	CHECK(check_reply(&out.rep) == MIG_SERVER_DIED);
	out.rep.Head.msgh_id = 7301;
	CHECK(check_reply(&out.rep) == MIG_REPLY_MISMATCH);
	out.rep.Head.msgh_id = 7201;
	out.rep.Head.msgh_size = sizeof(mig_reply_error_t);
	CHECK(check_reply(&out.rep) == MIG_TYPE_ERROR);	/* short, yet "success" */

	printf("%s: mig_style: %d failed\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}
