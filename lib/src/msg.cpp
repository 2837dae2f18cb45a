// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mach_msg and friends: the trap is one MACH_IOC_MSG ioctl; the library adds
// libsyscall's restart of interrupted calls (spec section 1.14) and
// mach_msg_destroy.

#include "libmach.h"

#include <cstdint>

extern "C" {
const security_token_t KERNEL_SECURITY_TOKEN = KERNEL_SECURITY_TOKEN_VALUE;
const audit_token_t KERNEL_AUDIT_TOKEN = KERNEL_AUDIT_TOKEN_VALUE;
}

namespace {

// The code for an ioctl that could not be made at all (r = -errno).
mach_msg_return_t msg_error(int r, mach_msg_option_t option) noexcept
{
	const bool send = option & MACH_SEND_MSG;
	switch (-r) {
	case EFAULT:
		return send ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_DATA;
	case EINTR:
		return send ? MACH_SEND_INTERRUPTED : MACH_RCV_INTERRUPTED;
	case ENOMEM:
		return send ? MACH_SEND_NO_BUFFER : MACH_RCV_INVALID_DATA;
	default:	// ENODEV (no device), EBADFD (not our space), ...
		return send ? MACH_SEND_INVALID_DEST : MACH_RCV_INVALID_NAME;
	}
}

mach_msg_return_t trap(mach_msg_header_t *msg, mach_msg_option_t option,
		       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		       mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
		       mach_port_name_t notify, mach_msg_header_t *rcv_msg) noexcept
{
	mach_ioc_msg a{};
	a.msg = reinterpret_cast<uintptr_t>(msg);
	a.rcv_msg = reinterpret_cast<uintptr_t>(rcv_msg);
	a.option = static_cast<__u32>(option);
	a.send_size = send_size;
	a.rcv_size = rcv_size;
	a.rcv_name = rcv_name;
	a.timeout = timeout;
	a.notify = notify;
	int r = libmach::device_call(MACH_IOC_MSG, &a);
	return r >= 0 ? r : msg_error(r, option);
}

// mach_msg2_trap: one MACH_IOC_MSG2 ioctl with the eight packed arguments.
mach_msg_return_t trap2(void *data, uint64_t option64, uint64_t mb_ss, uint64_t mr_lp,
			uint64_t mv_id, uint64_t dc_rn, uint64_t rs_pr, uint64_t timeout) noexcept
{
	mach_ioc_msg2 a{};
	a.data = reinterpret_cast<uintptr_t>(data);
	a.options = option64;
	a.bits_send_size = mb_ss;
	a.remote_local = mr_lp;
	a.voucher_id = mv_id;
	a.desc_count_rcv_name = dc_rn;
	a.rcv_size_priority = rs_pr;
	a.timeout = timeout;
	int r = libmach::device_call(MACH_IOC_MSG2, &a);
	return r >= 0 ? r : msg_error(r, static_cast<mach_msg_option_t>(option64));
}

// A right carried by a message, given back to the space as Darwin does.
void destroy_port(mach_port_t port, mach_msg_type_name_t type) noexcept
{
	if (!MACH_PORT_VALID(port))
		return;
	const mach_port_t task = mach_task_self_;
	switch (type) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		mach_port_deallocate(task, port);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND);
		mach_port_deallocate(task, port);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE: {
		mach_port_t so = MACH_PORT_NULL;
		mach_msg_type_name_t so_type = 0;
		if (mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					    &so, &so_type) == KERN_SUCCESS)
			mach_port_deallocate(task, so);
		break;
	}
	default:	// COPY_SEND and non-rights carry nothing to release
		break;
	}
}

void destroy_memory(const void *addr, vm_size_t size) noexcept
{
	if (size != 0)
		vm_deallocate(mach_task_self_, reinterpret_cast<vm_address_t>(addr), size);
}

} // namespace

extern "C" {

mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg,
					  mach_msg_option_t option,
					  mach_msg_size_t send_size,
					  mach_msg_size_t rcv_limit,
					  mach_port_name_t rcv_name,
					  mach_msg_timeout_t timeout,
					  mach_port_name_t notify,
					  mach_msg_header_t *rcv_msg,
					  mach_msg_size_t /* rcv_scatter_size: ignored */)
{
	return trap(msg, option, send_size, rcv_limit, rcv_name, timeout, notify, rcv_msg);
}

mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				mach_port_name_t notify)
{
	return trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify, nullptr);
}

mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg,
				     mach_msg_option_t option,
				     mach_msg_size_t send_size,
				     mach_msg_size_t rcv_limit,
				     mach_port_name_t rcv_name,
				     mach_msg_timeout_t timeout,
				     mach_port_name_t notify,
				     mach_msg_header_t *rcv_msg,
				     mach_msg_size_t /* rcv_scatter_size: ignored */)
{
	// The kernel keeps only MACH_MSG_OPTION_USER, so the library-only
	// INTERRUPT bits are passed through untouched.
	mach_msg_return_t mr = trap(msg, option, send_size, rcv_limit, rcv_name,
				    timeout, notify, rcv_msg);
	if (mr == MACH_MSG_SUCCESS)
		return mr;

	// Interrupted before the send completed: redo the whole call.
	if (!(option & MACH_SEND_INTERRUPT))
		while (mr == MACH_SEND_INTERRUPTED)
			mr = trap(msg, option, send_size, rcv_limit, rcv_name,
				  timeout, notify, rcv_msg);

	// The send (if any) is done: redo only the receive.
	if (!(option & MACH_RCV_INTERRUPT))
		while (mr == MACH_RCV_INTERRUPTED)
			mr = trap(msg, option & ~MACH_SEND_MSG, 0, rcv_limit,
				  rcv_name, timeout, notify, rcv_msg);
	return mr;
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name,
				  timeout, notify, nullptr, 0);
}

// libsyscall's mach_msg2_internal: the trap with the INTERRUPT bits
// cleared, repeating an interrupted send unless SEND_INTERRUPT was given
// and an interrupted receive (alone) unless RCV_INTERRUPT was.
mach_msg_return_t mach_msg2_internal(void *data, mach_msg_option64_t option64,
				     uint64_t msgh_bits_and_send_size,
				     uint64_t msgh_remote_and_local_port,
				     uint64_t msgh_voucher_and_id,
				     uint64_t desc_count_and_rcv_name,
				     uint64_t rcv_size_and_priority, uint64_t timeout)
{
	constexpr uint64_t interrupts = MACH64_SEND_INTERRUPT | MACH64_RCV_INTERRUPT;
	mach_msg_return_t mr;

	do {
		mr = trap2(data, option64 & ~interrupts, msgh_bits_and_send_size,
			   msgh_remote_and_local_port, msgh_voucher_and_id,
			   desc_count_and_rcv_name, rcv_size_and_priority, timeout);
	} while (mr == MACH_SEND_INTERRUPTED && !(option64 & MACH64_SEND_INTERRUPT));
	if (mr != MACH_RCV_INTERRUPTED || (option64 & MACH64_RCV_INTERRUPT))
		return mr;
	uint64_t rcv_option = option64 & ~(MACH64_SEND_MSG | interrupts);
	if (option64 & MACH64_SEND_MSG)
		rcv_option &= ~MACH64_RCV_SYNC_WAIT;
	const uint64_t bits_only = msgh_bits_and_send_size & 0xffffffffULL;
	do {
		mr = trap2(data, rcv_option, bits_only, msgh_remote_and_local_port,
			   msgh_voucher_and_id, desc_count_and_rcv_name,
			   rcv_size_and_priority, timeout);
	} while (mr == MACH_RCV_INTERRUPTED);
	return mr;
}

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

// As Darwin's: works on a received message (header bits 16/17/18 are the
// rights the message holds) and on an unsent one (the send dispositions,
// as if the message had been sent and destroyed).  msgh_local_port holds no
// right of the message and is left alone.  Out-of-line memory is released
// only when the descriptor says deallocate, so that an unsent message does
// not free memory its sender keeps.
void mach_msg_destroy(mach_msg_header_t *msg)
{
	const mach_msg_bits_t bits = msg->msgh_bits;

	destroy_port(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	destroy_port(msg->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(bits));

	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return;

	auto *base = reinterpret_cast<mach_msg_base_t *>(msg);
	auto *cursor = reinterpret_cast<unsigned char *>(base + 1);
	const mach_msg_type_number_t count = base->body.msgh_descriptor_count;

	for (mach_msg_type_number_t i = 0; i < count; i++) {
		auto *d = reinterpret_cast<mach_msg_descriptor_t *>(cursor);
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_port(d->port.name, d->port.disposition);
			cursor += sizeof(mach_msg_port_descriptor_t);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			if (d->out_of_line.deallocate)
				destroy_memory(d->out_of_line.address, d->out_of_line.size);
			cursor += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			cursor += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			auto *ports = static_cast<mach_port_t *>(d->ool_ports.address);
			for (mach_msg_size_t j = 0; ports && j < d->ool_ports.count; j++)
				destroy_port(ports[j], d->ool_ports.disposition);
			if (d->ool_ports.deallocate)
				destroy_memory(ports, d->ool_ports.count * sizeof(mach_port_t));
			cursor += sizeof(mach_msg_ool_ports_descriptor_t);
			break;
		}
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
			const auto &g = d->guarded_port;
			// A guarded receive right: destruct with its guard
			// (Darwin unguards, then destroys: the same effect).
			if (g.disposition == MACH_MSG_TYPE_MOVE_RECEIVE &&
			    !(g.flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) &&
			    MACH_PORT_VALID(g.name))
				mach_port_destruct(mach_task_self_, g.name, 0, g.context);
			else
				destroy_port(g.name, g.disposition);
			cursor += sizeof(mach_msg_guarded_port_descriptor_t);
			break;
		}
		default:
			// Unknown descriptor: its size is unknown, stop here.
			return;
		}
	}
}

} // extern "C"
