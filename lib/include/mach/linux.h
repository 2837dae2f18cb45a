/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/linux.h>, Linux-only extensions. */
#ifndef _MACH_LINUX_H_
#define _MACH_LINUX_H_

#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The process's /dev/mach descriptor (opened if it was not yet), for poll or
 * io_uring; -1 when the device is unavailable.  The library owns it: do not
 * close it.
 */
int mach_linux_fd(void);

/*
 * Names port (a send or receive right of the caller) as the bootstrap port of
 * the caller's IPC namespace: every space opened in the namespace afterwards
 * starts with a send right to it as TASK_BOOTSTRAP_PORT (bootstrap_port).
 * MACH_PORT_NULL clears it; once the port dies new spaces get none.  Needs
 * CAP_SYS_ADMIN over the namespace (else KERN_NO_ACCESS).  For name servers
 * such as machd.
 */
kern_return_t mach_linux_set_bootstrap(mach_port_t port);

/*
 * Event loops (see <mach/mach_uring.h> for the io_uring side).
 *
 * mach_port_fd: a new descriptor (O_CLOEXEC) for the receive right or port
 * set `name` of the caller's space, for poll, epoll, select or io_uring
 * poll: readable (POLLIN) while a message is queued (on a set: on any
 * member), POLLHUP|POLLERR once the port is dead, its receive right has left
 * this space, or the set is destroyed.  The descriptor grants nothing:
 * receiving still goes through mach_msg on the name.  The caller closes it.
 * -1 with errno set on failure (ENOENT: no such name; EINVAL: not a receive
 * right or set; ENODEV: no /dev/mach).
 */
int mach_port_fd(mach_port_t name);

/*
 * Asynchronous mach_msg through io_uring.  The ring must be set up with
 * IORING_SETUP_SQE128 (IORING_SETUP_CQE32 is accepted, not needed), in the
 * process whose space mach_fd (mach_linux_fd()) is, and the SQE must be
 * issued inline: not from an SQPOLL thread, not with IOSQE_ASYNC.
 *
 * mach_uring_prep_msg fills a 128-byte SQE with a mach_msg_overwrite call
 * (liburing style: user_data and sqe->flags are the caller's to set after).
 * The buffers must stay valid until the completion.  The completion's
 * cqe->res is the mach_msg_return_t; mach_uring_msg_result() also maps a
 * negative errno (the command could not be made) as mach_msg does.
 * Differences from mach_msg: a send never blocks (a full queue completes
 * with MACH_SEND_TIMED_OUT and the message handed back, like a zero send
 * timeout), an interrupted call is not restarted, and a receive with nothing
 * queued stays pending until a message arrives, its MACH_RCV_TIMEOUT
 * expires, the port or set dies or moves (MACH_RCV_PORT_CHANGED) or the
 * submitting thread exits (MACH_RCV_INTERRUPTED).  Closing the ring does not
 * cancel a pending receive (Linux 6.1 cannot cancel io_uring commands).
 */
struct io_uring_sqe;
void mach_uring_prep_msg(struct io_uring_sqe *sqe, int mach_fd,
			 mach_msg_header_t *msg, mach_msg_option_t option,
			 mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			 mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			 mach_msg_header_t *rcv_msg);
mach_msg_return_t mach_uring_msg_result(int cqe_res, mach_msg_option_t option);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_LINUX_H_ */
