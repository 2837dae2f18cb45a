// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Event-loop integration (<mach/linux.h>): a pollable descriptor per receive
// right or port set (MACH_IOC_PORT_FD), and the pieces of asynchronous
// mach_msg through io_uring that need no io_uring library: filling an SQE
// (struct io_uring_sqe is the kernel's uapi type, the same one liburing
// uses) and turning a CQE's result into a mach_msg_return_t.
//
// Setting up the ring and submitting belong to the caller's io_uring code;
// <mach/mach_uring.h> adds inline liburing helpers and a C++ wrapper on top,
// so libmach itself never links liburing.

#include "libmach.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <linux/io_uring.h>

namespace {

// struct mach_ioc_msg goes into sqe->cmd, which is 80 bytes only in a ring
// set up with IORING_SETUP_SQE128.
constexpr size_t sqe128_cmd_bytes = 128 - offsetof(io_uring_sqe, cmd);
static_assert(sizeof(io_uring_sqe) == 64);
static_assert(offsetof(io_uring_sqe, cmd) == 48);
static_assert(sizeof(mach_ioc_msg) <= sqe128_cmd_bytes);
static_assert(sizeof(mach_ioc_msg) > 16, "fits a 64-byte SQE: drop the SQE128 requirement");

} // namespace

extern "C" {

int mach_port_fd(mach_port_t name)
{
	mach_ioc_port_fd a{};
	a.task = mach_task_self_;
	a.name = name;
	int r = libmach::device_call(MACH_IOC_PORT_FD, &a);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

void mach_uring_prep_msg(struct io_uring_sqe *sqe, int mach_fd,
			 mach_msg_header_t *msg, mach_msg_option_t option,
			 mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			 mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			 mach_msg_header_t *rcv_msg)
{
	// What liburing's io_uring_prep_rw() does, then the command: cmd_op
	// aliases sqe->off and cmd[] overlaps addr3/__pad2, so they come last.
	// user_data is left to the caller, as liburing's prep helpers do.
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->fd = mach_fd;
	sqe->off = 0;
	sqe->addr = 0;
	sqe->len = 0;
	sqe->rw_flags = 0;	// uring_cmd_flags: no IORING_URING_CMD_FIXED
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;	// also __pad1, which must be 0
	sqe->cmd_op = MACH_URING_CMD_MSG;

	mach_ioc_msg a{};
	a.msg = reinterpret_cast<uintptr_t>(msg);
	a.rcv_msg = reinterpret_cast<uintptr_t>(rcv_msg);
	a.option = static_cast<__u32>(option);
	a.send_size = send_size;
	a.rcv_size = rcv_size;
	a.rcv_name = rcv_name;
	a.timeout = timeout;
	a.notify = MACH_PORT_NULL;
	memset(sqe->cmd, 0, sqe128_cmd_bytes);
	memcpy(sqe->cmd, &a, sizeof(a));
}

mach_msg_return_t mach_uring_msg_result(int res, mach_msg_option_t option)
{
	if (res >= 0)
		return res;
	// The command could not be run at all: the same mapping as the
	// mach_msg ioctl (msg.cpp), plus io_uring's own refusals.
	const bool send = option & MACH_SEND_MSG;
	switch (-res) {
	case EFAULT:
		return send ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_DATA;
	case EINTR:
	case ECANCELED:		// a failed link, or the ring went away
		return send ? MACH_SEND_INTERRUPTED : MACH_RCV_INTERRUPTED;
	case ENOMEM:
		return send ? MACH_SEND_NO_BUFFER : MACH_RCV_INVALID_DATA;
	default:	// EBADFD (not our space), EINVAL (no SQE128), EOPNOTSUPP, ...
		return send ? MACH_SEND_INVALID_DEST : MACH_RCV_INVALID_NAME;
	}
}

} // extern "C"
