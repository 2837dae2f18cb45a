// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: receive(), call() and serve(), a typed mach_msg_server.
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_SERVER_HPP_
#define _MACH_CXX_SERVER_HPP_

#include <mach/cxx/reader.hpp>
#include <chrono>
#include <type_traits>

namespace mach {

// ===== calls ===============================================================

// Receives one message on a port or port set into storage.
[[nodiscard]] inline result<message_reader> receive(mach_port_name_t from, std::span<std::byte> storage,
						    const receive_options &options = {}) noexcept
{
	if (!detail::aligned(storage) || storage.size() < detail::header_size)
		return kern_errc::invalid_argument;
	const auto size = static_cast<mach_msg_size_t>(
		storage.size() > MACH_MSG_SIZE_MAX ? MACH_MSG_SIZE_MAX : storage.size());
	mach_msg_return_t mr = mach_msg(reinterpret_cast<mach_msg_header_t *>(storage.data()),
					detail::rcv_option(options), 0, size, from,
					detail::timeout_ms(options.timeout), MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return make_error(mr);
	return message_reader(storage);
}

// An RPC: sends request with a send-once right to reply_port as its reply
// port and receives the reply into storage, in one mach_msg.  The timeout
// of options applies to both halves.
[[nodiscard]] inline result<message_reader> call(message_builder &request, const receive_right &reply_port,
						 std::span<std::byte> storage,
						 const receive_options &options = {}) noexcept
{
	if (!detail::aligned(storage) || storage.size() < detail::header_size)
		return kern_errc::invalid_argument;
	request.local(make_send_once(reply_port));
	const mach_msg_option_t option =
		detail::rcv_option(options) | (options.timeout ? MACH_SEND_TIMEOUT : 0);
	mach_msg_return_t mr = request.transmit(option, detail::timeout_ms(options.timeout),
						reply_port.get(), storage);
	if (mr != MACH_MSG_SUCCESS)
		return make_error(mr);
	return message_reader(storage);
}

// ===== server loop =========================================================

struct server_options {
	// How long a reply may wait for room in the client's queue.
	std::chrono::milliseconds reply_timeout{0};
	trailer_elements trailer = trailer_elements::audit;
	// Return after this many requests (0: until a receive fails).
	std::size_t max_requests = 0;
};

template <std::size_t RequestSize, std::size_t ReplySize, class Handler>
std::error_code serve_impl(mach_port_name_t port, Handler &handler, const server_options &options) noexcept
{
	message_storage<RequestSize> request_buf;
	message_storage<ReplySize> reply_buf;
	const receive_options ro{.timeout = {}, .trailer = options.trailer, .large = false};
	const mach_msg_option_t rcv = detail::rcv_option(ro);
	const mach_msg_timeout_t reply_timeout = detail::timeout_ms(options.reply_timeout);
	auto *request_hdr = reinterpret_cast<mach_msg_header_t *>(request_buf.bytes);
	auto receive_next = [&] {
		return mach_msg(request_hdr, rcv, 0, RequestSize, port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	};

	std::size_t served = 0;
	mach_msg_return_t mr = receive_next();
	for (;;) {
		if ((mr & ~MACH_MSG_MASK) == MACH_RCV_TOO_LARGE) {
			mr = receive_next();	// dropped by the kernel: next one
			continue;
		}
		if (mr != MACH_MSG_SUCCESS)
			return make_error(mr);

		message_reader request(request_buf);
		message_builder reply(reply_buf);
		const mach_msg_id_t id = request.id();
		reply.id(id + 100);
		kern_return_t kr = handler(request, reply);
		if (kr == KERN_SUCCESS && reply.error())
			kr = reply.error().value();	// a reply that could not be built
		const bool last = options.max_requests && ++served == options.max_requests;

		if (kr == MIG_NO_REPLY || !request.has_reply_port()) {
			request.reset();
			reply.reset();
			if (last)
				return {};
			mr = receive_next();
			continue;
		}
		if (kr != KERN_SUCCESS) {
			// As MIG: a mig_reply_error_t carries the code back.
			reply.reset();
			reply.id(id + 100).data(NDR_record).data(kr);
		}
		reply.remote(*request.take_reply());
		request.reset();
		if (last) {
			(void)reply.send(options.reply_timeout);
			return {};
		}
		mr = reply.transmit(MACH_SEND_TIMEOUT | rcv, reply_timeout, port, request_buf);
		if (detail::is_send_error(mr))
			mr = receive_next();	// the reply was dropped; serve on
	}
}

// Serves request/reply messages on a port or port set, like
// mach_msg_server: each request is handed to
//     kern_return_t handler(mach::message_reader &request,
//                           mach::message_builder &reply)
// with reply's id set to the request's + 100.  KERN_SUCCESS sends the reply
// as built to the request's reply port (the loop sets the destination) with
// the next receive in the same mach_msg; MIG_NO_REPLY sends nothing (take
// the reply port with request.take_reply() to answer later); any other code,
// or a reply that failed to build (reply.error()), sends a mig_reply_error_t.  What the handler leaves in the request is
// destroyed.  Returns the receive error that ended the loop, or no error
// after options.max_requests requests.
template <std::size_t RequestSize = 4096, std::size_t ReplySize = 4096, class Handler>
	requires std::is_invocable_r_v<kern_return_t, Handler &, message_reader &, message_builder &>
std::error_code serve(mach_port_name_t port, Handler &&handler, const server_options &options = {}) noexcept
{
	return serve_impl<RequestSize, ReplySize>(port, handler, options);
}

} // namespace mach

#endif // _MACH_CXX_SERVER_HPP_
