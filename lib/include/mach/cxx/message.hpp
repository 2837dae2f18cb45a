// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: port dispositions, message storage and message_builder.
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_MESSAGE_HPP_
#define _MACH_CXX_MESSAGE_HPP_

#include <mach/cxx/error.hpp>
#include <mach/cxx/rights.hpp>
#include <mach/cxx/vm_buffer.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

namespace mach {

// ===== message dispositions =================================================

// The dispositions that use a right without consuming it.
template <mach_msg_type_name_t D>
inline constexpr bool borrowing_disposition =
	D == MACH_MSG_TYPE_COPY_SEND || D == MACH_MSG_TYPE_MAKE_SEND ||
	D == MACH_MSG_TYPE_MAKE_SEND_ONCE;

// A name to put in a message with disposition D; the caller keeps its right.
template <mach_msg_type_name_t D>
	requires borrowing_disposition<D>
struct port_ref {
	static constexpr mach_msg_type_name_t disposition = D;
	mach_port_name_t name = MACH_PORT_NULL;
};

[[nodiscard]] constexpr port_ref<MACH_MSG_TYPE_COPY_SEND> copy_send(const send_right &r) noexcept
{
	return {r.get()};
}
// For names the program does not own through this API (bootstrap_port, ...).
[[nodiscard]] constexpr port_ref<MACH_MSG_TYPE_COPY_SEND> copy_send(mach_port_name_t name) noexcept
{
	return {name};
}
[[nodiscard]] constexpr port_ref<MACH_MSG_TYPE_MAKE_SEND> make_send(const receive_right &r) noexcept
{
	return {r.get()};
}
[[nodiscard]] constexpr port_ref<MACH_MSG_TYPE_MAKE_SEND_ONCE> make_send_once(const receive_right &r) noexcept
{
	return {r.get()};
}

// Suitably aligned storage for one message (and its trailer, on receive).
template <std::size_t N>
struct message_storage {
	static_assert(N >= sizeof(mach_msg_header_t) + sizeof(mach_msg_max_trailer_t));
	alignas(8) std::byte bytes[N];
	operator std::span<std::byte>() noexcept { return bytes; }
	[[nodiscard]] std::span<std::byte> span() noexcept { return bytes; }
};

enum class trailer_elements : unsigned {
	null = MACH_RCV_TRAILER_NULL,
	seqno = MACH_RCV_TRAILER_SEQNO,
	sender = MACH_RCV_TRAILER_SENDER,
	audit = MACH_RCV_TRAILER_AUDIT,
	context = MACH_RCV_TRAILER_CTX,
};

struct receive_options {
	std::optional<std::chrono::milliseconds> timeout{};	// none: wait
	trailer_elements trailer = trailer_elements::null;
	bool large = false;	// MACH_RCV_LARGE: a too-large message stays queued
};

namespace detail {

inline constexpr std::size_t header_size = sizeof(mach_msg_header_t);
inline constexpr std::size_t body_size = sizeof(mach_msg_body_t);

constexpr std::size_t round4(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

inline bool aligned(std::span<std::byte> s) noexcept
{
	return reinterpret_cast<std::uintptr_t>(s.data()) % alignof(mach_msg_header_t) == 0;
}

inline mach_msg_timeout_t timeout_ms(std::optional<std::chrono::milliseconds> t) noexcept
{
	if (!t || t->count() <= 0)
		return 0;
	return t->count() >= UINT32_MAX ? UINT32_MAX : static_cast<mach_msg_timeout_t>(t->count());
}

inline mach_msg_option_t rcv_option(const receive_options &o) noexcept
{
	return MACH_RCV_MSG | (o.large ? MACH_RCV_LARGE : 0) | (o.timeout ? MACH_RCV_TIMEOUT : 0) |
	       static_cast<mach_msg_option_t>(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
					      MACH_RCV_TRAILER_ELEMENTS(static_cast<unsigned>(o.trailer)));
}

inline constexpr bool is_send_error(mach_msg_return_t mr) noexcept
{
	return mr != MACH_MSG_SUCCESS && (mr & ~MACH_MSG_MASK & ~0x3fff) == 0x10000000;
}

constexpr std::size_t descriptor_size(unsigned type) noexcept
{
	switch (type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		return sizeof(mach_msg_port_descriptor_t);
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		return sizeof(mach_msg_ool_descriptor_t);
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		return sizeof(mach_msg_ool_ports_descriptor_t);
	case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
		return sizeof(mach_msg_guarded_port_descriptor_t);
	default:
		return 0;
	}
}

template <class T>
T load(const std::byte *p) noexcept
{
	T v;
	std::memcpy(&v, p, sizeof(T));
	return v;
}

template <class T>
void store(std::byte *p, const T &v) noexcept
{
	std::memcpy(p, &v, sizeof(T));
}

// The descriptor type of the descriptor at p (top byte of its third word).
inline unsigned descriptor_type(const std::byte *p) noexcept
{
	return load<mach_msg_type_descriptor_t>(p).type;
}

// Releases one right the way mach_msg_destroy releases a header right.
inline void destroy_right(mach_port_name_t name, mach_msg_type_name_t disposition) noexcept
{
	if (!MACH_PORT_VALID(name))
		return;
	mach_msg_header_t h{};
	h.msgh_bits = MACH_MSGH_BITS(disposition, 0);
	h.msgh_remote_port = name;
	mach_msg_destroy(&h);
}

inline constexpr bool owning_disposition(mach_msg_type_name_t d) noexcept
{
	return d == MACH_MSG_TYPE_MOVE_RECEIVE || d == MACH_MSG_TYPE_MOVE_SEND ||
	       d == MACH_MSG_TYPE_MOVE_SEND_ONCE;
}

// Walks the descriptors of a message of msg_size bytes at base; calls
// f(offset, type) for each; returns the offset of the inline data, or 0
// when the descriptors do not fit or one is unknown.
template <class F>
std::size_t walk_descriptors(const std::byte *base, std::size_t msg_size, F &&f) noexcept
{
	const auto hdr = load<mach_msg_header_t>(base);
	if (!(hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return header_size;
	if (msg_size < header_size + body_size)
		return 0;
	const auto count = load<mach_msg_body_t>(base + header_size).msgh_descriptor_count;
	std::size_t off = header_size + body_size;
	for (mach_msg_size_t i = 0; i < count; i++) {
		if (off + sizeof(mach_msg_type_descriptor_t) > msg_size)
			return 0;
		const unsigned type = descriptor_type(base + off);
		const std::size_t size = descriptor_size(type);
		if (size == 0 || off + size > msg_size)
			return 0;
		f(off, type);
		off += size;
	}
	return off;
}

} // namespace detail

// ===== message builder =====================================================

class message_reader;
struct server_options;
template <std::size_t RequestSize, std::size_t ReplySize, class Handler>
std::error_code serve_impl(mach_port_name_t port, Handler &handler,
			   const server_options &options) noexcept;

// Builds one message in caller storage (4-byte aligned: message_storage<N>).
// Misuse (storage too small, modification after a send) is sticky: error()
// reports it and send() returns it without sending.
//
// Ownership: rights passed by value (moved) and vm_buffers belong to the
// message.  They are the receiver's once the message is sent; if it is
// never sent, or a send fails, the builder releases them when destroyed or
// reset().  After a failed send that hands the message back
// (MACH_SEND_TIMED_OUT, _INTERRUPTED, _NO_BUFFER: pseudo-received; header
// errors such as MACH_SEND_INVALID_DEST: untouched) send() may be retried.
class message_builder {
public:
	explicit message_builder(std::span<std::byte> storage) noexcept : buf_(storage)
	{
		if (!detail::aligned(storage) || storage.size() < detail::header_size)
			error_ = make_error_code(kern_errc::invalid_argument);
	}
	message_builder(const message_builder &) = delete;
	message_builder &operator=(const message_builder &) = delete;
	~message_builder() { discard(); }

	message_builder &id(mach_msg_id_t id) noexcept
	{
		if (modifiable())
			id_ = id;
		return *this;
	}

	// ---- header: destination (remote) and reply (local) port ----------
	message_builder &remote(send_right r) noexcept { return set_remote(r.release(), MACH_MSG_TYPE_MOVE_SEND); }
	message_builder &remote(send_once_right r) noexcept { return set_remote(r.release(), MACH_MSG_TYPE_MOVE_SEND_ONCE); }
	message_builder &remote(reply_right r) noexcept
	{
		const auto d = r.disposition();
		return set_remote(r.release(), d);
	}
	template <mach_msg_type_name_t D>
	message_builder &remote(port_ref<D> r) noexcept { return set_remote(r.name, D); }

	message_builder &local(send_right r) noexcept { return set_local(r.release(), MACH_MSG_TYPE_MOVE_SEND); }
	message_builder &local(send_once_right r) noexcept { return set_local(r.release(), MACH_MSG_TYPE_MOVE_SEND_ONCE); }
	template <mach_msg_type_name_t D>
	message_builder &local(port_ref<D> r) noexcept { return set_local(r.name, D); }

	// ---- port descriptors ----------------------------------------------
	message_builder &port(receive_right r) noexcept { return add_port(r.release(), MACH_MSG_TYPE_MOVE_RECEIVE); }
	message_builder &port(send_right r) noexcept { return add_port(r.release(), MACH_MSG_TYPE_MOVE_SEND); }
	message_builder &port(send_once_right r) noexcept { return add_port(r.release(), MACH_MSG_TYPE_MOVE_SEND_ONCE); }
	template <mach_msg_type_name_t D>
	message_builder &port(port_ref<D> r) noexcept { return add_port(r.name, D); }

	// ---- out-of-line memory ---------------------------------------------
	// A copy of memory the caller keeps (deallocate = false).
	message_builder &ool(std::span<const std::byte> data,
			     mach_msg_copy_options_t copy = MACH_MSG_VIRTUAL_COPY) noexcept
	{
		return add_ool(data.data(), data.size(), false, copy);
	}
	// Memory handed over with the message (deallocate = true).
	message_builder &ool(vm_buffer buffer, mach_msg_copy_options_t copy = MACH_MSG_VIRTUAL_COPY) noexcept
	{
		const std::size_t size = buffer.size();
		if (!modifiable() || !fits(sizeof(mach_msg_ool_descriptor_t)))
			return *this;	// buffer freed here
		return add_ool(buffer.release(), size, true, copy);
	}
	// An array of send rights the caller keeps (MACH_MSG_TYPE_COPY_SEND).
	message_builder &ool_ports(std::span<const mach_port_name_t> names) noexcept
	{
		mach_msg_ool_ports_descriptor_t d{};
		d.address = const_cast<mach_port_name_t *>(names.data());
		d.count = static_cast<mach_msg_size_t>(names.size());
		d.deallocate = false;
		d.copy = MACH_MSG_PHYSICAL_COPY;
		d.disposition = MACH_MSG_TYPE_COPY_SEND;
		d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		return add_descriptor(&d, sizeof(d));
	}

	// ---- inline data (after the descriptors, in the order added) -------
	message_builder &bytes(std::span<const std::byte> data) noexcept
	{
		if (!modifiable())
			return *this;
		const std::size_t off = data_offset() + data_bytes_;
		if (off + data.size() > buf_.size() || data.size() > MACH_MSG_SIZE_MAX - off) {
			error_ = make_error_code(msg_errc::send_no_buffer);
			return *this;
		}
		if (!data.empty())
			std::memcpy(buf_.data() + off, data.data(), data.size());
		data_bytes_ += data.size();
		return *this;
	}
	template <class T>
		requires std::is_trivially_copyable_v<T> && (!std::is_pointer_v<T>)
	message_builder &data(const T &value) noexcept
	{
		return bytes(std::as_bytes(std::span<const T, 1>(&value, 1)));
	}

	// ---- state ------------------------------------------------------------
	[[nodiscard]] std::error_code error() const noexcept { return error_; }
	// The message as it would be sent (header finalised).
	[[nodiscard]] std::span<const std::byte> view() noexcept
	{
		if (error_)
			return {};
		finalize();
		return buf_.first(size_);
	}
	[[nodiscard]] mach_msg_header_t header() noexcept
	{
		finalize();
		return detail::load<mach_msg_header_t>(buf_.data());
	}

	// Sends (MACH_SEND_TIMEOUT when timeout is given).
	[[nodiscard]] std::error_code send(std::optional<std::chrono::milliseconds> timeout = {}) noexcept
	{
		return make_error(transmit(timeout ? MACH_SEND_TIMEOUT : 0, detail::timeout_ms(timeout),
					   MACH_PORT_NULL, {}));
	}

	// Releases what the message holds and starts an empty one.
	void reset() noexcept
	{
		discard();
		id_ = 0;
		remote_ = local_ = MACH_PORT_NULL;
		remote_disp_ = local_disp_ = 0;
		ndesc_ = 0;
		desc_bytes_ = data_bytes_ = size_ = 0;
		state_ = state::building;
		attempted_ = false;
		if (detail::aligned(buf_) && buf_.size() >= detail::header_size)
			error_.clear();
	}

private:
	friend class message_reader;
	friend result<message_reader> call(message_builder &, const receive_right &,
					   std::span<std::byte>, const receive_options &) noexcept;
	template <std::size_t R, std::size_t P, class H>
	friend std::error_code serve_impl(mach_port_name_t, H &, const server_options &) noexcept;

	enum class state {
		building,	// unsent: names carry send-side dispositions
		returned,	// pseudo-received after a failed send: all rights owned
		done,		// sent (or destroyed by the kernel): holds nothing
	};

	bool modifiable() noexcept
	{
		if (error_)
			return false;
		if (state_ != state::building || attempted_) {
			error_ = make_error_code(kern_errc::invalid_argument);
			return false;
		}
		return true;
	}

	std::size_t data_offset() const noexcept
	{
		return detail::header_size + (ndesc_ ? detail::body_size + desc_bytes_ : 0);
	}

	bool fits(std::size_t descriptor) noexcept
	{
		const std::size_t need = data_offset() + (ndesc_ ? 0 : detail::body_size) + descriptor +
					 detail::round4(data_bytes_);
		if (need > buf_.size()) {
			error_ = make_error_code(msg_errc::send_no_buffer);
			return false;
		}
		return true;
	}

	message_builder &set_remote(mach_port_name_t name, mach_msg_type_name_t d) noexcept
	{
		if (!modifiable()) {
			detail::destroy_right(name, detail::owning_disposition(d) ? d : 0);
			return *this;
		}
		if (detail::owning_disposition(remote_disp_))
			detail::destroy_right(remote_, remote_disp_);
		remote_ = name;
		remote_disp_ = d;
		return *this;
	}

	message_builder &set_local(mach_port_name_t name, mach_msg_type_name_t d) noexcept
	{
		if (!modifiable()) {
			detail::destroy_right(name, detail::owning_disposition(d) ? d : 0);
			return *this;
		}
		if (detail::owning_disposition(local_disp_))
			detail::destroy_right(local_, local_disp_);
		local_ = name;
		local_disp_ = MACH_PORT_VALID(name) || name == MACH_PORT_DEAD ? d : 0;
		return *this;
	}

	message_builder &add_port(mach_port_name_t name, mach_msg_type_name_t d) noexcept
	{
		mach_msg_port_descriptor_t pd{};
		pd.name = name;
		pd.disposition = d;
		pd.type = MACH_MSG_PORT_DESCRIPTOR;
		const std::size_t before = ndesc_;
		add_descriptor(&pd, sizeof(pd));
		if (ndesc_ == before && detail::owning_disposition(d))
			detail::destroy_right(name, d);	// not added: still released once
		return *this;
	}

	message_builder &add_ool(const void *address, std::size_t size, bool deallocate,
				 mach_msg_copy_options_t copy) noexcept
	{
		if (size > MACH_MSG_SIZE_MAX || (copy != MACH_MSG_VIRTUAL_COPY && copy != MACH_MSG_PHYSICAL_COPY)) {
			if (modifiable())
				error_ = make_error_code(kern_errc::invalid_argument);
		}
		mach_msg_ool_descriptor_t d{};
		d.address = const_cast<void *>(address);
		d.size = static_cast<mach_msg_size_t>(size);
		d.deallocate = deallocate;
		d.copy = copy;
		d.type = MACH_MSG_OOL_DESCRIPTOR;
		const std::size_t before = ndesc_;
		add_descriptor(&d, sizeof(d));
		if (ndesc_ == before && deallocate && address && size)
			vm_deallocate(mach_task_self(), reinterpret_cast<vm_address_t>(address), size);
		return *this;
	}

	message_builder &add_descriptor(const void *d, std::size_t size) noexcept
	{
		if (!modifiable() || !fits(size))
			return *this;
		std::byte *base = buf_.data();
		const std::size_t extra = size + (ndesc_ ? 0 : detail::body_size);
		const std::size_t data = data_offset();
		if (data_bytes_)
			std::memmove(base + data + extra, base + data, data_bytes_);
		std::memcpy(base + detail::header_size + detail::body_size + desc_bytes_, d, size);
		desc_bytes_ += size;
		ndesc_++;
		return *this;
	}

	// Writes header, body count and padding of the message being built.
	void finalize() noexcept
	{
		if (error_ || state_ != state::building || attempted_)
			return;
		std::byte *base = buf_.data();
		const std::size_t end = data_offset() + data_bytes_;
		size_ = static_cast<mach_msg_size_t>(detail::round4(end));
		std::memset(base + end, 0, size_ - end);
		mach_msg_header_t h{};
		h.msgh_bits = MACH_MSGH_BITS_SET(remote_disp_, local_disp_, 0,
						 ndesc_ ? MACH_MSGH_BITS_COMPLEX : 0);
		h.msgh_size = size_;
		h.msgh_remote_port = remote_;
		h.msgh_local_port = local_;
		h.msgh_voucher_port = MACH_PORT_NULL;
		h.msgh_id = id_;
		detail::store(base, h);
		if (ndesc_)
			detail::store(base + detail::header_size, mach_msg_body_t{ndesc_});
	}

	// mach_msg with this message as the send half; settles ownership.
	mach_msg_return_t transmit(mach_msg_option_t option, mach_msg_timeout_t timeout,
				   mach_port_name_t rcv_name, std::span<std::byte> rcv) noexcept
	{
		if (error_)
			return error_.value();
		if (state_ == state::done)
			return KERN_INVALID_ARGUMENT;
		finalize();
		attempted_ = true;
		auto *msg = reinterpret_cast<mach_msg_header_t *>(buf_.data());
		const mach_msg_size_t send_size = state_ == state::returned ? msg->msgh_size : size_;
		const auto rcv_size = static_cast<mach_msg_size_t>(
			rcv.size() > MACH_MSG_SIZE_MAX ? MACH_MSG_SIZE_MAX : rcv.size());
		mach_msg_return_t mr = mach_msg_overwrite(
			msg, MACH_SEND_MSG | option, send_size, rcv_size, rcv_name, timeout,
			MACH_PORT_NULL,
			rcv.empty() ? nullptr : reinterpret_cast<mach_msg_header_t *>(rcv.data()), 0);
		settle(detail::is_send_error(mr) ? mr : MACH_MSG_SUCCESS);
		return mr;
	}

	void settle(mach_msg_return_t send_mr) noexcept
	{
		if (send_mr == MACH_MSG_SUCCESS) {
			state_ = state::done;
			return;
		}
		switch (send_mr & ~MACH_MSG_MASK) {
		case MACH_SEND_TIMED_OUT:
		case MACH_SEND_INTERRUPTED:
		case MACH_SEND_NO_BUFFER:
			// Pseudo-received: the message is back, rights reinstalled.
			state_ = state::returned;
			return;
		case MACH_SEND_INVALID_DEST:
		case MACH_SEND_INVALID_REPLY:
		case MACH_SEND_INVALID_HEADER:
		case MACH_SEND_INVALID_VOUCHER:
		case MACH_SEND_INVALID_DATA:
		case MACH_SEND_MSG_TOO_SMALL:
		case MACH_SEND_TOO_LARGE:
		case MACH_SEND_INVALID_OPTIONS:
			return;	// refused before copyin: untouched, still ours
		default:
			break;
		}
		// Refused during copyin of the body: the kernel destroyed the
		// rights; memory handed over (deallocate) is still mapped here.
		if (state_ == state::building)
			free_owned_memory();
		state_ = state::done;
	}

	void free_owned_memory() noexcept
	{
		std::byte *base = buf_.data();
		detail::walk_descriptors(base, size_, [&](std::size_t off, unsigned type) {
			if (type != MACH_MSG_OOL_DESCRIPTOR && type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
				return;
			auto d = detail::load<mach_msg_ool_descriptor_t>(base + off);
			if (d.deallocate && d.address && d.size)
				vm_deallocate(mach_task_self(), reinterpret_cast<vm_address_t>(d.address), d.size);
		});
	}

	// Releases what the message owns (never what it only references).
	void discard() noexcept
	{
		if (state_ == state::done)
			return;
		if (!detail::aligned(buf_) || buf_.size() < detail::header_size) {
			state_ = state::done;
			return;
		}
		std::byte *base = buf_.data();
		if (state_ == state::building) {
			// Unsent: keep only the moved rights and handed-over memory.
			const std::error_code saved = std::exchange(error_, {});
			finalize();
			error_ = saved;
			auto h = detail::load<mach_msg_header_t>(base);
			if (!detail::owning_disposition(MACH_MSGH_BITS_REMOTE(h.msgh_bits)))
				h.msgh_remote_port = MACH_PORT_NULL;
			detail::store(base, h);
			detail::walk_descriptors(base, size_, [&](std::size_t off, unsigned type) {
				if (type == MACH_MSG_PORT_DESCRIPTOR) {
					auto d = detail::load<mach_msg_port_descriptor_t>(base + off);
					if (!detail::owning_disposition(d.disposition))
						d.name = MACH_PORT_NULL;
					detail::store(base + off, d);
				} else if (type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
					auto d = detail::load<mach_msg_ool_ports_descriptor_t>(base + off);
					d.address = nullptr;	// only borrowed arrays are built
					d.count = 0;
					detail::store(base + off, d);
				}
			});
		} else {
			// Pseudo-received: its memory was mapped afresh for us.
			const std::size_t size = std::min<std::size_t>(
				detail::load<mach_msg_header_t>(base).msgh_size, buf_.size());
			detail::walk_descriptors(base, size, [&](std::size_t off, unsigned type) {
				if (type != MACH_MSG_PORT_DESCRIPTOR) {
					auto d = detail::load<mach_msg_ool_descriptor_t>(base + off);
					d.deallocate = d.address != nullptr;
					detail::store(base + off, d);
				}
			});
		}
		auto *msg = reinterpret_cast<mach_msg_header_t *>(base);
		const auto h = detail::load<mach_msg_header_t>(base);
		mach_msg_destroy(msg);
		// mach_msg_destroy leaves msgh_local_port alone: a moved reply right
		// (or one reinstalled by a pseudo-receive) is ours to release.
		if (detail::owning_disposition(MACH_MSGH_BITS_LOCAL(h.msgh_bits)))
			detail::destroy_right(h.msgh_local_port, MACH_MSGH_BITS_LOCAL(h.msgh_bits));
		state_ = state::done;
	}

	std::span<std::byte> buf_;
	std::error_code error_;
	mach_msg_id_t id_ = 0;
	mach_port_name_t remote_ = MACH_PORT_NULL, local_ = MACH_PORT_NULL;
	mach_msg_type_name_t remote_disp_ = 0, local_disp_ = 0;
	mach_msg_size_t ndesc_ = 0;
	std::size_t desc_bytes_ = 0, data_bytes_ = 0;
	mach_msg_size_t size_ = 0;
	state state_ = state::building;
	bool attempted_ = false;
};

} // namespace mach

#endif // _MACH_CXX_MESSAGE_HPP_
