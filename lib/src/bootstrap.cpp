// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <servers/bootstrap.h>: the client side of the bootstrap name server
// (tools/machd), over the protocol in bootstrap_proto.h, and the Linux
// extension that lets a server claim the IPC namespace's bootstrap port.
//
// One RPC per call: send the request with a MAKE_SEND_ONCE of the thread's
// MIG reply port, receive the reply there, both with a timeout.  A reply
// that does not match (wrong id, stray message, timeout) destroys the reply
// port so that a late answer cannot be mistaken for the next call's.

#include "libmach.h"
#include "bootstrap_proto.h"

#pragma GCC visibility push(default)
#include <servers/bootstrap.h>
#pragma GCC visibility pop

#include <cstring>
#include <sys/ioctl.h>

namespace proto = bootstrap_proto;

namespace {

// Copies name into the request; false if it does not fit (with its NUL).
bool put_name(proto::request &req, const char *name) noexcept
{
	if (!name)
		return false;
	size_t len = strnlen(name, BOOTSTRAP_MAX_NAME_LEN);
	if (len == 0 || len >= BOOTSTRAP_MAX_NAME_LEN)
		return false;
	memcpy(req.name, name, len);
	req.name_len = static_cast<uint32_t>(len + 1);
	return true;
}

struct result {
	kern_return_t kr = KERN_SUCCESS;
	mach_port_t port = MACH_PORT_NULL;
	mach_msg_type_name_t port_type = 0;
	int32_t value = 0;
};

// One request/reply exchange.  The request's port descriptor is sent with
// disposition `port_disp` (COPY_SEND for register) when `port` is not NULL.
result rpc(mach_port_t bp, proto::routine id, const char *name, mach_port_t port,
	   mach_msg_type_name_t port_disp, uint64_t flags) noexcept
{
	result res;
	proto::request req{};
	if (id != proto::parent && !put_name(req, name)) {
		// Darwin's MIG stubs would truncate; an empty or over-long
		// name can only be a caller's mistake.
		res.kr = BOOTSTRAP_BAD_COUNT;
		return res;
	}

	mach_port_t reply_port = mig_get_reply_port();
	req.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, 0,
						MACH_MSGH_BITS_COMPLEX);
	req.head.msgh_size = sizeof(req);
	req.head.msgh_remote_port = bp;
	req.head.msgh_local_port = reply_port;
	req.head.msgh_id = id;
	req.body.msgh_descriptor_count = 1;
	req.port.name = port;
	req.port.disposition = MACH_PORT_VALID(port) ? port_disp : MACH_MSG_TYPE_COPY_SEND;
	req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	req.ndr = NDR_record;
	req.flags = static_cast<uint32_t>(flags);

	proto::reply_buffer rep;
	memset(&rep, 0, sizeof(rep));
	mach_msg_return_t mr = mach_msg(&req.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					sizeof(req), 0, MACH_PORT_NULL,
					BOOTSTRAP_LINUX_TIMEOUT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		// Pseudo-received (timeout): the request came back with its
		// rights, a send-once right to our reply port among them.
		// Destroying that one queues a send-once notification on the
		// reply port, so the port goes too.
		if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED ||
		    mr == MACH_SEND_NO_BUFFER) {
			mach_msg_destroy(&req.head);
			mig_dealloc_reply_port(reply_port);
		}
		res.kr = mr;
		return res;
	}
	mr = mach_msg(&rep.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(rep),
		      reply_port, BOOTSTRAP_LINUX_TIMEOUT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		// The server may still answer: never let that answer be read
		// as the reply to a later call.
		mig_dealloc_reply_port(reply_port);
		res.kr = mr;
		return res;
	}

	const mach_msg_header_t &h = rep.head;
	if (h.msgh_id == MACH_NOTIFY_SEND_ONCE) {
		// Our send-once right was destroyed unanswered: the request
		// died with the server.
		res.kr = MIG_SERVER_DIED;
		return res;
	}
	if (h.msgh_id != id + proto::reply_offset) {
		mach_msg_destroy(&rep.head);
		mig_dealloc_reply_port(reply_port);
		res.kr = MIG_REPLY_MISMATCH;
		return res;
	}
	if (!(h.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (h.msgh_size != sizeof(mig_reply_error_t) || rep.err.RetCode == KERN_SUCCESS) {
			mach_msg_destroy(&rep.head);
			res.kr = MIG_TYPE_ERROR;
			return res;
		}
		res.kr = rep.err.RetCode;
		return res;
	}
	if (h.msgh_size != sizeof(proto::reply) || rep.ok.body.msgh_descriptor_count != 1 ||
	    rep.ok.port.type != MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_destroy(&rep.head);
		res.kr = MIG_TYPE_ERROR;
		return res;
	}
	res.kr = rep.ok.ret;
	res.port = rep.ok.port.name;
	res.port_type = rep.ok.port.disposition;
	res.value = rep.ok.value;
	if (res.kr != KERN_SUCCESS && MACH_PORT_VALID(res.port)) {
		mach_msg_destroy(&rep.head);
		res.port = MACH_PORT_NULL;
	}
	return res;
}

// For routines that return a right of type `want`.
kern_return_t rpc_port(mach_port_t bp, proto::routine id, const char *name,
		       mach_msg_type_name_t want, mach_port_t *sp, uint64_t flags = 0) noexcept
{
	result r = rpc(bp, id, name, MACH_PORT_NULL, 0, flags);
	if (r.kr == KERN_SUCCESS && r.port_type != want && r.port != MACH_PORT_NULL) {
		// Not what the protocol promises: give the right back.
		if (r.port_type == MACH_MSG_TYPE_PORT_RECEIVE)
			mach_port_mod_refs(mach_task_self_, r.port, MACH_PORT_RIGHT_RECEIVE, -1);
		else
			mach_port_deallocate(mach_task_self_, r.port);
		r.kr = MIG_TYPE_ERROR;
		r.port = MACH_PORT_NULL;
	}
	if (sp)
		*sp = r.kr == KERN_SUCCESS ? r.port : MACH_PORT_NULL;
	else if (r.kr == KERN_SUCCESS && r.port != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self_, r.port);
	return r.kr;
}

} // namespace

extern "C" {

kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return rpc_port(bp, proto::check_in, service_name, MACH_MSG_TYPE_PORT_RECEIVE, sp);
}

kern_return_t bootstrap_check_in2(mach_port_t bp, const char *service_name,
				  mach_port_t *sp, uint64_t flags)
{
	return rpc_port(bp, proto::check_in, service_name, MACH_MSG_TYPE_PORT_RECEIVE, sp, flags);
}

kern_return_t bootstrap_register2(mach_port_t bp, const char *service_name, mach_port_t sp,
				  uint64_t flags)
{
	// The server gets a send right of its own and the caller's rights
	// stay as they are: COPY_SEND, or MAKE_SEND for a receive-only name.
	mach_msg_type_name_t disp = MACH_MSG_TYPE_COPY_SEND;
	if (MACH_PORT_VALID(sp)) {
		mach_port_type_t t = 0;
		if (mach_port_type(mach_task_self_, sp, &t) == KERN_SUCCESS &&
		    !(t & MACH_PORT_TYPE_SEND) && (t & MACH_PORT_TYPE_RECEIVE))
			disp = MACH_MSG_TYPE_MAKE_SEND;
	}
	return rpc(bp, proto::register_, service_name, sp, disp, flags).kr;
}

kern_return_t bootstrap_register(mach_port_t bp, const char *service_name, mach_port_t sp)
{
	return bootstrap_register2(bp, service_name, sp, 0);
}

kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return rpc_port(bp, proto::look_up, service_name, MACH_MSG_TYPE_PORT_SEND, sp);
}

kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				 pid_t, uint64_t flags)
{
	return rpc_port(bp, proto::look_up, service_name, MACH_MSG_TYPE_PORT_SEND, sp, flags);
}

kern_return_t bootstrap_create_service(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return rpc_port(bp, proto::create_service, service_name, MACH_MSG_TYPE_PORT_SEND, sp);
}

kern_return_t bootstrap_status(mach_port_t bp, const char *service_name,
			       bootstrap_status_t *service_active)
{
	result r = rpc(bp, proto::status, service_name, MACH_PORT_NULL, 0, 0);
	if (r.kr == KERN_SUCCESS && service_active)
		*service_active = r.value;
	return r.kr;
}

kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port)
{
	return rpc_port(bp, proto::parent, nullptr, MACH_MSG_TYPE_PORT_SEND, parent_port);
}

kern_return_t bootstrap_create_server(mach_port_t, cmd_t, uid_t, boolean_t,
				      mach_port_t *server_port)
{
	if (server_port)
		*server_port = MACH_PORT_NULL;
	return KERN_NOT_SUPPORTED;
}

const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
		return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service already active";
	case BOOTSTRAP_BAD_COUNT:
		return "Bad name or count";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory (too many names)";
	case BOOTSTRAP_NO_CHILDREN:
		return "No child bootstraps";
	default:
		return mach_error_string(r);
	}
}

kern_return_t mach_linux_set_bootstrap(mach_port_t port)
{
	mach_ioc_bootstrap a{};
	a.task = mach_task_self_;
	a.port = port;
	int r = libmach::device_call(MACH_IOC_SET_BOOTSTRAP, &a);
	if (r >= 0)
		return r;
	return r == -EPERM ? KERN_NO_ACCESS : libmach::port_error(r);
}

} // extern "C"
