/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <servers/bootstrap.h>, the client side of the bootstrap name
 * server (tools/machd on Linux, launchd on Darwin).
 *
 * Each call is one request/reply exchange with the server named by `bp`
 * (normally the global bootstrap_port, which every space opened in the IPC
 * namespace receives once machd runs).  The reply comes back on the calling
 * thread's MIG reply port; a server that does not answer within
 * BOOTSTRAP_LINUX_TIMEOUT_MS gives MACH_SEND_TIMED_OUT or MACH_RCV_TIMED_OUT,
 * a server that died gives MACH_SEND_INVALID_DEST or MIG_SERVER_DIED.
 *
 * Ownership follows the audit token of each request: a name belongs to the
 * effective uid that created it (check_in, register, create_service), and
 * requests from any other uid that would take or replace it fail with
 * BOOTSTRAP_NOT_PRIVILEGED.  A name goes away when its service port dies.
 */
#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <stdint.h>
#include <sys/types.h>
#include <mach/std_types.h>
#include <mach/message.h>
#include <servers/bootstrap_defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Names are NUL-terminated strings shorter than BOOTSTRAP_MAX_NAME_LEN.
 * Darwin declares the parameters as name_t (char[128]); `const char *` is the
 * same function type once the array parameter decays, and it keeps GCC from
 * warning (-Wstringop-overread) about string literals shorter than 128.
 */

/* How long a bootstrap call waits to send and then for the reply (Linux). */
#define BOOTSTRAP_LINUX_TIMEOUT_MS	10000

/* Set once the library is loaded (and again in a forked child). */
extern mach_port_t bootstrap_port;

/*
 * Returns the receive right for service_name.  A name that does not exist
 * yet is created for the caller's uid (there is no launchd.plist to declare
 * it); a name reserved with bootstrap_create_service by the same uid hands
 * over its port.  BOOTSTRAP_SERVICE_ACTIVE when someone already holds it,
 * BOOTSTRAP_NOT_PRIVILEGED when another uid owns the name.
 */
kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name,
				 mach_port_t *sp);
/* flags are accepted and ignored. */
kern_return_t bootstrap_check_in2(mach_port_t bp, const char *service_name,
				  mach_port_t *sp, uint64_t flags);

/*
 * Binds service_name to a send right to sp (deprecated on Darwin, still
 * used).  The server keeps its own send right; the caller's is untouched.
 * sp == MACH_PORT_NULL removes the caller's binding.  BOOTSTRAP_NAME_IN_USE
 * when the name is active, BOOTSTRAP_NOT_PRIVILEGED when another uid owns
 * it, BOOTSTRAP_NO_MEMORY when the caller's uid has too many names.
 */
kern_return_t bootstrap_register(mach_port_t bp, const char *service_name, mach_port_t sp);
kern_return_t bootstrap_register2(mach_port_t bp, const char *service_name,
				  mach_port_t sp, uint64_t flags);

/* A new send right for service_name, or BOOTSTRAP_UNKNOWN_SERVICE. */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name,
				mach_port_t *sp);
/* target_pid and flags are accepted and ignored. */
kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name,
				 mach_port_t *sp, pid_t target_pid, uint64_t flags);

/*
 * Reserves service_name: the server creates the port and keeps its receive
 * right (messages queue there) until the owner checks in; returns a send
 * right.  BOOTSTRAP_SERVICE_ACTIVE if the name exists.
 */
kern_return_t bootstrap_create_service(mach_port_t bp, const char *service_name,
				       mach_port_t *sp);

/* BOOTSTRAP_STATUS_ACTIVE, _INACTIVE (reserved, not checked in) or BOOTSTRAP_UNKNOWN_SERVICE. */
kern_return_t bootstrap_status(mach_port_t bp, const char *service_name,
			       bootstrap_status_t *service_active);

/* There is one flat namespace: the parent is bp itself (root only, as on Darwin). */
kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port);

/*
 * machd starts no programs (no launchd): KERN_NOT_SUPPORTED, *server_port
 * set to MACH_PORT_NULL.
 */
kern_return_t bootstrap_create_server(mach_port_t bp, cmd_t server_cmd, uid_t server_uid,
				      boolean_t on_demand, mach_port_t *server_port);

/* Text for a bootstrap_* result: the BOOTSTRAP_* codes, else mach_error_string(). */
const char *bootstrap_strerror(kern_return_t r);

#ifdef __cplusplus
}
#endif

#endif /* _SERVERS_BOOTSTRAP_H_ */
