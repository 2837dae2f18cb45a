// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mach_msg_server and mach_msg_server_once: the receive / demux / reply loop
// MIG servers run, with libsyscall's option handling:
//
//  - the request buffer holds max_size plus the trailer the options ask for;
//    with MACH_RCV_LARGE a request that does not fit is left queued, the
//    buffer grows to the size the kernel reported and the receive is redone;
//  - the reply is not sent when its RetCode is MIG_NO_REPLY; when RetCode is
//    any other error the server did not keep what the request carried, so
//    the request's rights and memory are destroyed (its reply right went
//    into the reply, and is left alone);
//  - a reply to a send right is sent with MACH_SEND_TIMEOUT and timeout 0:
//    a client that stopped receiving must not block the server.  A reply to
//    a send-once right cannot block.  A reply that could not be delivered
//    (dead or full destination, interrupted) is destroyed and serving goes
//    on; any other send error ends the loop with that code.  A complex
//    reply with no destination is destroyed too (Darwin's older loops did;
//    the current ones leak its rights);
//  - the caller's options (trailer requests, MACH_SEND_TRAILER, the
//    *_INTERRUPT bits, MACH_RCV_LARGE) go to every mach_msg call.
//
// Vouchers are not adopted (there is no voucher state to adopt them into):
// requests are received without MACH_RCV_VOUCHER, so the kernel drops them.

#include "libmach.h"

#include <cstdint>

namespace {

using demux_t = boolean_t (*)(mach_msg_header_t *, mach_msg_header_t *);

// A message buffer of whole pages, as Darwin's server loops use (vm_allocate,
// tagged as Mach message memory); released when it goes out of scope.
class MsgBuffer {
public:
	MsgBuffer() = default;
	MsgBuffer(const MsgBuffer &) = delete;
	MsgBuffer &operator=(const MsgBuffer &) = delete;
	~MsgBuffer() { release(); }

	kern_return_t allocate(mach_msg_size_t size) noexcept
	{
		release();
		vm_address_t addr = 0;
		kern_return_t kr = vm_allocate(mach_task_self_, &addr, size,
					       VM_MAKE_TAG(VM_MEMORY_MACH_MSG) | VM_FLAGS_ANYWHERE);
		if (kr != KERN_SUCCESS)
			return kr;
		addr_ = addr;
		size_ = size;
		return KERN_SUCCESS;
	}

	void release() noexcept
	{
		if (addr_)
			vm_deallocate(mach_task_self_, addr_, size_);
		addr_ = 0;
		size_ = 0;
	}

	mig_reply_error_t *msg() const noexcept
	{
		return reinterpret_cast<mig_reply_error_t *>(addr_);
	}
	mach_msg_header_t *head() const noexcept { return &msg()->Head; }
	mach_msg_size_t size() const noexcept { return size_; }

	friend void swap(MsgBuffer &a, MsgBuffer &b) noexcept
	{
		const vm_address_t addr = a.addr_;
		const mach_msg_size_t size = a.size_;
		a.addr_ = b.addr_;
		a.size_ = b.size_;
		b.addr_ = addr;
		b.size_ = size;
	}

private:
	vm_address_t addr_ = 0;
	mach_msg_size_t size_ = 0;
};

// round_page(bytes), or 0 when that is no valid message size.
mach_msg_size_t page_rounded(uint64_t bytes) noexcept
{
	const uint64_t mask = libmach::page_size() - 1;
	const uint64_t rounded = (bytes + mask) & ~mask;
	return rounded <= MACH_MSG_SIZE_MAX ? static_cast<mach_msg_size_t>(rounded) : 0;
}

// Errors after which the reply is still the sender's: destroy it, serve on.
// Any other send error may have consumed part of it.
bool recoverable_send_error(mach_msg_return_t mr) noexcept
{
	return mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_TIMED_OUT ||
	       mr == MACH_SEND_INTERRUPTED;
}

// A complex reply has no RetCode (that word is its descriptor count): it
// is a successful reply.
kern_return_t mig_return_code(const mig_reply_error_t *reply) noexcept
{
	if (reply->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return KERN_SUCCESS;
	return reply->RetCode;
}

// What the demux's return code means for the request and the reply.
void after_demux(mig_reply_error_t *request, mig_reply_error_t *reply) noexcept
{
	switch (mig_return_code(reply)) {
	case KERN_SUCCESS:
		break;
	case MIG_NO_REPLY:
		reply->Head.msgh_remote_port = MACH_PORT_NULL;
		break;
	default:
		// The server kept nothing: destroy what the request carried,
		// except its reply right, which MIG moved into the reply.
		request->Head.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&request->Head);
		break;
	}
}

// The send options of a reply: see the file comment.
mach_msg_option_t reply_options(const mach_msg_header_t *reply,
				mach_msg_options_t options) noexcept
{
	mach_msg_option_t opt = MACH_SEND_MSG | options;
	if (MACH_MSGH_BITS_REMOTE(reply->msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		opt |= MACH_SEND_TIMEOUT;
	return opt;
}

// Destroys a reply that was not sent, including a right in msgh_local_port
// (mach_msg_destroy leaves that field alone: in a received message it
// holds no right, in an unsent one it may).
void consume_unsent(mach_msg_header_t *msg) noexcept
{
	const mach_port_t local = msg->msgh_local_port;
	if (MACH_PORT_VALID(local)) {
		switch (MACH_MSGH_BITS_LOCAL(msg->msgh_bits)) {
		case MACH_MSG_TYPE_MOVE_SEND:
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
			mach_port_deallocate(mach_task_self_, local);
			msg->msgh_local_port = MACH_PORT_NULL;
			break;
		default:
			break;
		}
	}
	mach_msg_destroy(msg);
}

// The buffer sizes both loops start from.
struct Sizes {
	mach_msg_size_t trailer;	// the trailer the options ask for
	mach_msg_size_t request_alloc;	// request buffer, whole pages
	mach_msg_size_t request_size;	// the receive limit
	mach_msg_size_t reply_alloc;	// reply buffer, whole pages
};

bool initial_sizes(mach_msg_size_t max_size, mach_msg_options_t options, Sizes &s) noexcept
{
	s.trailer = REQUESTED_TRAILER_SIZE(options);
	s.request_alloc = page_rounded(uint64_t{max_size} + s.trailer);
	s.reply_alloc = page_rounded(uint64_t{max_size} +
				     ((options & MACH_SEND_TRAILER) ? MAX_TRAILER_SIZE : 0));
	if (s.request_alloc == 0 || s.reply_alloc == 0)
		return false;
	s.request_size = (options & MACH_RCV_LARGE) ? s.request_alloc : max_size + s.trailer;
	return true;
}

// After MACH_RCV_TOO_LARGE under MACH_RCV_LARGE: the kernel left the
// request queued and put its size in msgh_size.
mach_msg_size_t grown_size(const MsgBuffer &request, const Sizes &s) noexcept
{
	return page_rounded(uint64_t{request.head()->msgh_size} + s.trailer);
}

} // namespace

extern "C" {

mach_msg_return_t mach_msg_server_once(demux_t demux, mach_msg_size_t max_size,
				       mach_port_t rcv_name, mach_msg_options_t options)
{
	options &= ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);

	Sizes s;
	if (!initial_sizes(max_size, options, s))
		return KERN_RESOURCE_SHORTAGE;

	MsgBuffer reply, request;
	kern_return_t kr = reply.allocate(s.reply_alloc);
	if (kr != KERN_SUCCESS)
		return kr;

	mach_msg_return_t mr;
	for (;;) {
		kr = request.allocate(s.request_alloc);
		if (kr != KERN_SUCCESS)
			return kr;
		mr = mach_msg(request.head(), MACH_RCV_MSG | options, 0, s.request_size,
			      rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_RCV_TOO_LARGE || !(options & MACH_RCV_LARGE))
			break;
		s.request_alloc = s.request_size = grown_size(request, s);
		if (s.request_alloc == 0)
			return KERN_RESOURCE_SHORTAGE;
	}
	if (mr != MACH_MSG_SUCCESS)
		return mr;

	(void)demux(request.head(), reply.head());
	after_demux(request.msg(), reply.msg());

	mach_msg_header_t *out = reply.head();
	if (out->msgh_remote_port != MACH_PORT_NULL) {
		mr = mach_msg(out, reply_options(out, options), out->msgh_size, 0,
			      MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (recoverable_send_error(mr)) {
			consume_unsent(out);
			mr = MACH_MSG_SUCCESS;
		}
	} else if (out->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		consume_unsent(out);	// a reply with nowhere to go
	}
	return mr;
}

mach_msg_return_t mach_msg_server(demux_t demux, mach_msg_size_t max_size,
				  mach_port_t rcv_name, mach_msg_options_t options)
{
	options &= ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);

	Sizes s;
	if (!initial_sizes(max_size, options, s))
		return KERN_RESOURCE_SHORTAGE;

	MsgBuffer reply, request;
	kern_return_t kr = reply.allocate(s.reply_alloc);
	if (kr != KERN_SUCCESS)
		return kr;

	mach_msg_return_t mr;
	for (;;) {
		if (request.size() < s.request_alloc) {
			kr = request.allocate(s.request_alloc);
			if (kr != KERN_SUCCESS)
				return kr;
		}

		mr = mach_msg(request.head(), MACH_RCV_MSG | options, 0, s.request_size,
			      rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

		while (mr == MACH_MSG_SUCCESS) {
			*reply.head() = mach_msg_header_t{};
			(void)demux(request.head(), reply.head());
			after_demux(request.msg(), reply.msg());

			if (reply.head()->msgh_remote_port != MACH_PORT_NULL) {
				// Send the reply and take the next request in one
				// call; the receive half only polls (timeout 0),
				// the blocking receive is the one below.
				const mach_msg_option_t opt =
					reply_options(reply.head(), options) |
					MACH_RCV_MSG | MACH_RCV_TIMEOUT;
				const mach_msg_size_t send_size = reply.head()->msgh_size;
				MsgBuffer *sent;
				if (request.size() == reply.size()) {
					// Receive into the reply buffer, then make it
					// the request buffer.
					mr = mach_msg(reply.head(), opt, send_size, s.request_size,
						      rcv_name, MACH_MSG_TIMEOUT_NONE,
						      MACH_PORT_NULL);
					swap(request, reply);
					sent = &request;
				} else {
					mr = mach_msg_overwrite(reply.head(), opt, send_size,
								s.request_size, rcv_name,
								MACH_MSG_TIMEOUT_NONE,
								MACH_PORT_NULL, request.head(), 0);
					sent = &reply;
				}
				if (recoverable_send_error(mr))
					consume_unsent(sent->head());
				else if (mr != MACH_RCV_TIMED_OUT)
					continue;	// a request, or the loop's end
			} else if (reply.head()->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
				consume_unsent(reply.head());	// nowhere to go
			}

			mr = mach_msg(request.head(), MACH_RCV_MSG | options, 0, s.request_size,
				      rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		}

		if (mr == MACH_RCV_TOO_LARGE && (options & MACH_RCV_LARGE)) {
			s.request_alloc = s.request_size = grown_size(request, s);
			if (s.request_alloc == 0)
				return KERN_RESOURCE_SHORTAGE;
			request.release();
			continue;
		}
		return mr;
	}
}

mach_msg_return_t mach_msg_server_importance(demux_t demux, mach_msg_size_t max_size,
					     mach_port_t rcv_name, mach_msg_options_t options)
{
	return mach_msg_server(demux, max_size, rcv_name, options);
}

} // extern "C"
