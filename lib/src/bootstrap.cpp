// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <servers/bootstrap.h>: the client side of the bootstrap name server
// (tools/machd), and the Linux extension that lets a server claim the IPC
// namespace's bootstrap port.
//
// The protocol is <servers/bootstrap.defs>; each call is one generated user
// stub (libmach_bootstrap_*, hidden): a request with a MAKE_SEND_ONCE of the
// thread's MIG reply port, the reply received there, both with
// BOOTSTRAP_LINUX_TIMEOUT_MS.  The stubs check the reply's id, shape and
// rights (MIG_REPLY_MISMATCH, MIG_TYPE_ERROR, MIG_SERVER_DIED) and drop the
// reply port after a failed receive, so a late answer cannot be taken for
// the next call's.  What is left here is the names: Darwin's stubs would
// truncate a long one silently; an empty or over-long name can only be a
// caller's mistake, so it gives BOOTSTRAP_BAD_COUNT without a message.

#include "libmach.h"

#pragma GCC visibility push(default)
#include <servers/bootstrap.h>
#pragma GCC visibility pop

// The generated user stubs (built from bootstrap.defs by lib/Makefile).
#include "bootstrap_mig.h"

#include <cstring>
#include <sys/ioctl.h>

namespace {

// True if name fits a name_t with its NUL and is not empty.
bool name_ok(const char *name) noexcept
{
	if (!name)
		return false;
	size_t len = strnlen(name, BOOTSTRAP_MAX_NAME_LEN);
	return len != 0 && len < BOOTSTRAP_MAX_NAME_LEN;
}

// The stubs take name_t (char[128]) and only read it.
char *name_arg(const char *name) noexcept
{
	return const_cast<char *>(name);
}

// Hands a send right the server returned to the caller (or releases it
// when the caller passed no pointer).
kern_return_t give_send(kern_return_t kr, mach_port_t port, mach_port_t *sp) noexcept
{
	if (sp)
		*sp = kr == KERN_SUCCESS ? port : MACH_PORT_NULL;
	else if (kr == KERN_SUCCESS && MACH_PORT_VALID(port))
		mach_port_deallocate(mach_task_self_, port);
	return kr;
}

} // namespace

extern "C" {

kern_return_t bootstrap_check_in2(mach_port_t bp, const char *service_name,
				  mach_port_t *sp, uint64_t flags)
{
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr = name_ok(service_name)
		? libmach_bootstrap_check_in(bp, name_arg(service_name), flags, &port)
		: BOOTSTRAP_BAD_COUNT;
	if (sp)
		*sp = kr == KERN_SUCCESS ? port : MACH_PORT_NULL;
	else if (kr == KERN_SUCCESS && MACH_PORT_VALID(port))
		mach_port_mod_refs(mach_task_self_, port, MACH_PORT_RIGHT_RECEIVE, -1);
	return kr;
}

kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return bootstrap_check_in2(bp, service_name, sp, 0);
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
	if (!name_ok(service_name))
		return BOOTSTRAP_BAD_COUNT;
	return libmach_bootstrap_register2(bp, name_arg(service_name), sp, disp, flags);
}

kern_return_t bootstrap_register(mach_port_t bp, const char *service_name, mach_port_t sp)
{
	return bootstrap_register2(bp, service_name, sp, 0);
}

kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				 pid_t target_pid, uint64_t flags)
{
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr = name_ok(service_name)
		? libmach_bootstrap_look_up2(bp, name_arg(service_name), target_pid, flags, &port)
		: BOOTSTRAP_BAD_COUNT;
	return give_send(kr, port, sp);
}

kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return bootstrap_look_up2(bp, service_name, sp, 0, 0);
}

kern_return_t bootstrap_create_service(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr = name_ok(service_name)
		? libmach_bootstrap_create_service(bp, name_arg(service_name), &port)
		: BOOTSTRAP_BAD_COUNT;
	return give_send(kr, port, sp);
}

kern_return_t bootstrap_status(mach_port_t bp, const char *service_name,
			       bootstrap_status_t *service_active)
{
	bootstrap_status_t st = 0;
	kern_return_t kr = name_ok(service_name)
		? libmach_bootstrap_status(bp, name_arg(service_name), &st)
		: BOOTSTRAP_BAD_COUNT;
	if (kr == KERN_SUCCESS && service_active)
		*service_active = st;
	return kr;
}

kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port)
{
	mach_port_t port = MACH_PORT_NULL;
	return give_send(libmach_bootstrap_parent(bp, &port), port, parent_port);
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
