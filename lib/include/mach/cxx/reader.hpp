// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: message_reader, a received message with typed access and ownership.
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_READER_HPP_
#define _MACH_CXX_READER_HPP_

#include <mach/cxx/message.hpp>
#include <cstdlib>

namespace mach {

// ===== message reader ======================================================

// One descriptor of a received message (a view; see message_reader::take_*).
class descriptor {
public:
	descriptor(const std::byte *p, std::size_t index) noexcept : p_(p), index_(index) {}

	[[nodiscard]] std::size_t index() const noexcept { return index_; }
	[[nodiscard]] unsigned type() const noexcept { return detail::descriptor_type(p_); }
	[[nodiscard]] bool is_port() const noexcept { return type() == MACH_MSG_PORT_DESCRIPTOR; }
	[[nodiscard]] bool is_ool() const noexcept
	{
		return type() == MACH_MSG_OOL_DESCRIPTOR || type() == MACH_MSG_OOL_VOLATILE_DESCRIPTOR;
	}
	[[nodiscard]] bool is_ool_ports() const noexcept { return type() == MACH_MSG_OOL_PORTS_DESCRIPTOR; }

	// Port descriptor: the name and its type (MACH_MSG_TYPE_PORT_*).
	[[nodiscard]] mach_port_name_t name() const noexcept
	{
		return is_port() ? detail::load<mach_msg_port_descriptor_t>(p_).name : MACH_PORT_NULL;
	}
	[[nodiscard]] mach_msg_type_name_t disposition() const noexcept
	{
		if (is_port())
			return detail::load<mach_msg_port_descriptor_t>(p_).disposition;
		if (is_ool_ports())
			return detail::load<mach_msg_ool_ports_descriptor_t>(p_).disposition;
		return 0;
	}
	// Out-of-line memory (empty for other descriptors).
	[[nodiscard]] std::span<const std::byte> ool() const noexcept
	{
		if (!is_ool())
			return {};
		const auto d = detail::load<mach_msg_ool_descriptor_t>(p_);
		return {static_cast<const std::byte *>(d.address), d.address ? d.size : 0};
	}
	// Out-of-line port array (names of rights of disposition()).
	[[nodiscard]] std::span<const mach_port_name_t> ool_ports() const noexcept
	{
		if (!is_ool_ports())
			return {};
		const auto d = detail::load<mach_msg_ool_ports_descriptor_t>(p_);
		return {static_cast<const mach_port_name_t *>(d.address), d.address ? d.count : 0};
	}

private:
	const std::byte *p_;
	std::size_t index_;
};

// Owns a received message in caller storage: the rights and out-of-line
// memory it carries are released when the reader is destroyed or reset,
// except those taken out with take_*().
class message_reader {
public:
	message_reader() noexcept = default;
	// Adopts the message received into storage (header at its start).
	explicit message_reader(std::span<std::byte> storage) noexcept : buf_(storage)
	{
		if (!detail::aligned(storage) || storage.size() < detail::header_size) {
			buf_ = {};
			return;
		}
		size_ = detail::load<mach_msg_header_t>(storage.data()).msgh_size;
		if (size_ < detail::header_size || size_ > storage.size())
			size_ = static_cast<mach_msg_size_t>(detail::header_size);
		data_ = detail::walk_descriptors(buf_.data(), size_, [&](std::size_t off, unsigned) {
			if (ndesc_ < max_index)
				offsets_[ndesc_] = static_cast<std::uint32_t>(off);
			ndesc_++;
		});
		if (data_ == 0) {
			data_ = size_;
			ndesc_ = 0;
		}
	}
	message_reader(message_reader &&o) noexcept
		: buf_(std::exchange(o.buf_, {})), size_(o.size_), data_(o.data_), ndesc_(o.ndesc_),
		  offsets_(o.offsets_) {}
	message_reader &operator=(message_reader &&o) noexcept
	{
		if (this != &o) {
			reset();
			buf_ = std::exchange(o.buf_, {});
			size_ = o.size_;
			data_ = o.data_;
			ndesc_ = o.ndesc_;
			offsets_ = o.offsets_;
		}
		return *this;
	}
	message_reader(const message_reader &) = delete;
	message_reader &operator=(const message_reader &) = delete;
	~message_reader() { reset(); }

	[[nodiscard]] bool empty() const noexcept { return buf_.empty(); }
	[[nodiscard]] mach_msg_header_t header() const noexcept
	{
		return empty() ? mach_msg_header_t{} : detail::load<mach_msg_header_t>(buf_.data());
	}
	[[nodiscard]] mach_msg_id_t id() const noexcept { return header().msgh_id; }
	[[nodiscard]] mach_msg_size_t size() const noexcept { return empty() ? 0 : size_; }
	[[nodiscard]] bool complex() const noexcept { return header().msgh_bits & MACH_MSGH_BITS_COMPLEX; }
	// The port it was received on (msgh_local_port: no right of ours).
	[[nodiscard]] mach_port_name_t local_port() const noexcept { return header().msgh_local_port; }

	// ---- the reply port (msgh_remote_port) --------------------------------
	[[nodiscard]] bool has_reply_port() const noexcept
	{
		const auto h = header();
		return MACH_PORT_VALID(h.msgh_remote_port) &&
		       (MACH_MSGH_BITS_REMOTE(h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND ||
			MACH_MSGH_BITS_REMOTE(h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	[[nodiscard]] result<reply_right> take_reply() noexcept
	{
		if (!has_reply_port())
			return kern_errc::invalid_right;
		auto h = header();
		reply_right r(h.msgh_remote_port, MACH_MSGH_BITS_REMOTE(h.msgh_bits));
		h.msgh_remote_port = MACH_PORT_NULL;
		detail::store(buf_.data(), h);
		return r;
	}

	// ---- descriptors -------------------------------------------------------
	[[nodiscard]] std::size_t descriptor_count() const noexcept { return empty() ? 0 : ndesc_; }
	[[nodiscard]] std::optional<descriptor> at(std::size_t i) const noexcept
	{
		const std::byte *p = locate(i);
		if (!p)
			return std::nullopt;
		return descriptor(p, i);
	}

	class iterator {
	public:
		using value_type = descriptor;
		using difference_type = std::ptrdiff_t;
		iterator() noexcept = default;
		iterator(const message_reader *r, std::size_t i) noexcept : r_(r), i_(i) {}
		descriptor operator*() const noexcept { return *r_->at(i_); }
		iterator &operator++() noexcept { ++i_; return *this; }
		iterator operator++(int) noexcept { auto t = *this; ++i_; return t; }
		bool operator==(const iterator &) const noexcept = default;
	private:
		const message_reader *r_ = nullptr;
		std::size_t i_ = 0;
	};
	// for (mach::descriptor d : reader) ...
	[[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
	[[nodiscard]] iterator end() const noexcept { return {this, descriptor_count()}; }

	// Adopt the right of port descriptor i (KERN_INVALID_RIGHT if it is
	// not one of that kind, KERN_INVALID_ARGUMENT if i is out of range).
	[[nodiscard]] result<receive_right> take_receive(std::size_t i) noexcept
	{
		return take_port<receive_right>(i, MACH_MSG_TYPE_PORT_RECEIVE);
	}
	[[nodiscard]] result<send_right> take_send(std::size_t i) noexcept
	{
		return take_port<send_right>(i, MACH_MSG_TYPE_PORT_SEND);
	}
	[[nodiscard]] result<send_once_right> take_send_once(std::size_t i) noexcept
	{
		return take_port<send_once_right>(i, MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	// Adopt the memory of out-of-line descriptor i.
	[[nodiscard]] result<vm_buffer> take_ool(std::size_t i) noexcept
	{
		std::byte *p = locate(i);
		if (!p)
			return kern_errc::invalid_argument;
		const unsigned type = detail::descriptor_type(p);
		if (type != MACH_MSG_OOL_DESCRIPTOR && type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
			return mig_errc::type_error;
		auto d = detail::load<mach_msg_ool_descriptor_t>(p);
		vm_buffer b(d.address, d.address ? d.size : 0);
		d.address = nullptr;
		d.size = 0;
		detail::store(p, d);
		return b;
	}

	// ---- inline data -------------------------------------------------------
	// The bytes after the descriptors, up to msgh_size.
	[[nodiscard]] std::span<const std::byte> data() const noexcept
	{
		return empty() ? std::span<const std::byte>{} : buf_.subspan(data_, size_ - data_);
	}
	// A T copied from data() at offset (MIG_BAD_ARGUMENTS if it is short).
	template <class T>
		requires std::is_trivially_copyable_v<T>
	[[nodiscard]] result<T> read(std::size_t offset = 0) const noexcept
	{
		const auto d = data();
		if (offset > d.size() || d.size() - offset < sizeof(T))
			return mig_errc::bad_arguments;
		return detail::load<T>(d.data() + offset);
	}
	// The status of a MIG-style error reply (mig_reply_error_t), if it is one.
	[[nodiscard]] std::error_code reply_error() const noexcept
	{
		if (complex() || size() != sizeof(mig_reply_error_t))
			return {};
		return make_error(detail::load<mig_reply_error_t>(buf_.data()).RetCode);
	}

	// ---- trailer -------------------------------------------------------------
	// The trailer as T (a mach_msg_*_trailer_t) when the one received is at
	// least that long (see receive_options::trailer).
	template <class T = mach_msg_trailer_t>
	[[nodiscard]] std::optional<T> trailer() const noexcept
	{
		if (empty() || buf_.size() - size_ < sizeof(mach_msg_trailer_t))
			return std::nullopt;
		const auto t = detail::load<mach_msg_trailer_t>(buf_.data() + size_);
		if (t.msgh_trailer_size < sizeof(T) || buf_.size() - size_ < sizeof(T))
			return std::nullopt;
		return detail::load<T>(buf_.data() + size_);
	}
	[[nodiscard]] std::optional<mach_port_seqno_t> seqno() const noexcept
	{
		const auto t = trailer<mach_msg_seqno_trailer_t>();
		return t ? std::optional(t->msgh_seqno) : std::nullopt;
	}
	[[nodiscard]] std::optional<audit_token_t> audit_token() const noexcept
	{
		const auto t = trailer<mach_msg_audit_trailer_t>();
		return t ? std::optional(t->msgh_audit) : std::nullopt;
	}

	// ---- ownership -------------------------------------------------------
	// Releases whatever is still held (mach_msg_destroy; out-of-line memory
	// received is always freed) and empties the reader.
	void reset() noexcept
	{
		if (empty())
			return;
		std::byte *base = buf_.data();
		// Received memory is always the receiver's, whatever the flag says.
		for (std::size_t i = 0; i < descriptor_count(); i++) {
			std::byte *p = locate(i);
			const unsigned type = detail::descriptor_type(p);
			if (type == MACH_MSG_OOL_DESCRIPTOR || type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR ||
			    type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
				auto d = detail::load<mach_msg_ool_descriptor_t>(p);
				d.deallocate = d.address != nullptr;
				detail::store(p, d);
			}
		}
		mach_msg_destroy(reinterpret_cast<mach_msg_header_t *>(base));
		buf_ = {};
	}
	// Forgets the message without releasing anything.
	void release() noexcept { buf_ = {}; }

private:
	static constexpr std::size_t max_index = 64;

	std::byte *locate(std::size_t i) const noexcept
	{
		if (i >= descriptor_count())
			return nullptr;
		if (i < max_index)
			return buf_.data() + offsets_[i];
		std::byte *found = nullptr;
		std::size_t n = 0;
		detail::walk_descriptors(buf_.data(), size_, [&](std::size_t off, unsigned) {
			if (n++ == i)
				found = buf_.data() + off;
		});
		return found;
	}

	template <class R>
	result<R> take_port(std::size_t i, mach_msg_type_name_t want) noexcept
	{
		std::byte *p = locate(i);
		if (!p)
			return kern_errc::invalid_argument;
		if (detail::descriptor_type(p) != MACH_MSG_PORT_DESCRIPTOR)
			return mig_errc::type_error;
		auto d = detail::load<mach_msg_port_descriptor_t>(p);
		if (d.disposition != want)
			return kern_errc::invalid_right;
		if (d.name == MACH_PORT_NULL)
			return kern_errc::invalid_name;	// taken already
		R r(d.name);
		d.name = MACH_PORT_NULL;
		detail::store(p, d);
		return r;
	}

	std::span<std::byte> buf_;
	mach_msg_size_t size_ = 0;
	std::size_t data_ = 0;
	std::size_t ndesc_ = 0;
	std::array<std::uint32_t, max_index> offsets_{};
};

} // namespace mach

#endif // _MACH_CXX_READER_HPP_
