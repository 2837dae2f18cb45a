// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach: <mach/mach.hpp>, an idiomatic C++20 layer over Darwin's C Mach
// API (header only; link libmach as usual).  Nothing here throws: failures
// come back as std::error_code values of mach::mach_category() or as
// mach::result<T>.
//
//   Errors    kern_errc / msg_errc / mig_errc are error-code enums; the
//             category's message() reads "KERN_INVALID_RIGHT: (os/kern)
//             invalid right".  A few codes compare equal to std::errc
//             conditions (timed_out, interrupted, invalid_argument, ...).
//   Rights    receive_right, send_right, send_once_right, port_set,
//             dead_name, reply_right: each owns one user reference of one
//             name in the task's space and gives it back exactly once
//             (mach_port_mod_refs / mach_port_deallocate); move-only.
//   Memory    vm_buffer owns vm_allocate'd memory (sent or received
//             out of line).
//   Messages  message_builder lays out header, body, descriptors and inline
//             data in caller storage (message_storage<N>); its bits,
//             descriptor count and size come from what was added, and port
//             dispositions from the C++ types (moves of owned rights, or
//             copy_send/make_send/make_send_once references).  Rights it
//             holds are released if the message is never delivered.
//             message_reader owns a received message: typed descriptor
//             access, take_*() to adopt rights and memory, trailer access;
//             whatever is left is destroyed (mach_msg_destroy) with it.
//   Calls     receive(), call() (send + receive the reply in one mach_msg)
//             and serve(), a typed mach_msg_server.
#ifndef _MACH_MACH_HPP_
#define _MACH_MACH_HPP_

#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mach/task.h>
#include <mach/vm_map.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace mach {

// ===== errors =============================================================

#define LIBMACH_KERN_ERRORS(X)						\
	X(success, KERN_SUCCESS)					\
	X(invalid_address, KERN_INVALID_ADDRESS)			\
	X(protection_failure, KERN_PROTECTION_FAILURE)			\
	X(no_space, KERN_NO_SPACE)					\
	X(invalid_argument, KERN_INVALID_ARGUMENT)			\
	X(failure, KERN_FAILURE)					\
	X(resource_shortage, KERN_RESOURCE_SHORTAGE)			\
	X(not_receiver, KERN_NOT_RECEIVER)				\
	X(no_access, KERN_NO_ACCESS)					\
	X(memory_failure, KERN_MEMORY_FAILURE)				\
	X(memory_error, KERN_MEMORY_ERROR)				\
	X(already_in_set, KERN_ALREADY_IN_SET)				\
	X(not_in_set, KERN_NOT_IN_SET)					\
	X(name_exists, KERN_NAME_EXISTS)				\
	X(aborted, KERN_ABORTED)					\
	X(invalid_name, KERN_INVALID_NAME)				\
	X(invalid_task, KERN_INVALID_TASK)				\
	X(invalid_right, KERN_INVALID_RIGHT)				\
	X(invalid_value, KERN_INVALID_VALUE)				\
	X(urefs_overflow, KERN_UREFS_OVERFLOW)				\
	X(invalid_capability, KERN_INVALID_CAPABILITY)			\
	X(right_exists, KERN_RIGHT_EXISTS)				\
	X(invalid_host, KERN_INVALID_HOST)				\
	X(memory_present, KERN_MEMORY_PRESENT)				\
	X(memory_data_moved, KERN_MEMORY_DATA_MOVED)			\
	X(memory_restart_copy, KERN_MEMORY_RESTART_COPY)		\
	X(invalid_processor_set, KERN_INVALID_PROCESSOR_SET)		\
	X(policy_limit, KERN_POLICY_LIMIT)				\
	X(invalid_policy, KERN_INVALID_POLICY)				\
	X(invalid_object, KERN_INVALID_OBJECT)				\
	X(already_waiting, KERN_ALREADY_WAITING)			\
	X(default_set, KERN_DEFAULT_SET)				\
	X(exception_protected, KERN_EXCEPTION_PROTECTED)		\
	X(invalid_ledger, KERN_INVALID_LEDGER)				\
	X(invalid_memory_control, KERN_INVALID_MEMORY_CONTROL)		\
	X(invalid_security, KERN_INVALID_SECURITY)			\
	X(not_depressed, KERN_NOT_DEPRESSED)				\
	X(terminated, KERN_TERMINATED)					\
	X(lock_set_destroyed, KERN_LOCK_SET_DESTROYED)			\
	X(lock_unstable, KERN_LOCK_UNSTABLE)				\
	X(lock_owned, KERN_LOCK_OWNED)					\
	X(lock_owned_self, KERN_LOCK_OWNED_SELF)			\
	X(semaphore_destroyed, KERN_SEMAPHORE_DESTROYED)		\
	X(rpc_server_terminated, KERN_RPC_SERVER_TERMINATED)		\
	X(rpc_terminate_orphan, KERN_RPC_TERMINATE_ORPHAN)		\
	X(rpc_continue_orphan, KERN_RPC_CONTINUE_ORPHAN)		\
	X(not_supported, KERN_NOT_SUPPORTED)				\
	X(node_down, KERN_NODE_DOWN)					\
	X(not_waiting, KERN_NOT_WAITING)				\
	X(operation_timed_out, KERN_OPERATION_TIMED_OUT)		\
	X(codesign_error, KERN_CODESIGN_ERROR)				\
	X(policy_static, KERN_POLICY_STATIC)				\
	X(insufficient_buffer_size, KERN_INSUFFICIENT_BUFFER_SIZE)	\
	X(denied, KERN_DENIED)						\
	X(missing_kc, KERN_MISSING_KC)					\
	X(invalid_kc, KERN_INVALID_KC)					\
	X(not_found, KERN_NOT_FOUND)

#define LIBMACH_MSG_ERRORS(X)						\
	X(send_in_progress, MACH_SEND_IN_PROGRESS)			\
	X(send_invalid_data, MACH_SEND_INVALID_DATA)			\
	X(send_invalid_dest, MACH_SEND_INVALID_DEST)			\
	X(send_timed_out, MACH_SEND_TIMED_OUT)				\
	X(send_invalid_voucher, MACH_SEND_INVALID_VOUCHER)		\
	X(send_interrupted, MACH_SEND_INTERRUPTED)			\
	X(send_msg_too_small, MACH_SEND_MSG_TOO_SMALL)			\
	X(send_invalid_reply, MACH_SEND_INVALID_REPLY)			\
	X(send_invalid_right, MACH_SEND_INVALID_RIGHT)			\
	X(send_invalid_notify, MACH_SEND_INVALID_NOTIFY)		\
	X(send_invalid_memory, MACH_SEND_INVALID_MEMORY)		\
	X(send_no_buffer, MACH_SEND_NO_BUFFER)				\
	X(send_too_large, MACH_SEND_TOO_LARGE)				\
	X(send_invalid_type, MACH_SEND_INVALID_TYPE)			\
	X(send_invalid_header, MACH_SEND_INVALID_HEADER)		\
	X(send_invalid_trailer, MACH_SEND_INVALID_TRAILER)		\
	X(send_invalid_context, MACH_SEND_INVALID_CONTEXT)		\
	X(send_invalid_options, MACH_SEND_INVALID_OPTIONS)		\
	X(send_invalid_rt_ool_size, MACH_SEND_INVALID_RT_OOL_SIZE)	\
	X(send_no_grant_dest, MACH_SEND_NO_GRANT_DEST)			\
	X(send_msg_filtered, MACH_SEND_MSG_FILTERED)			\
	X(rcv_in_progress, MACH_RCV_IN_PROGRESS)			\
	X(rcv_invalid_name, MACH_RCV_INVALID_NAME)			\
	X(rcv_timed_out, MACH_RCV_TIMED_OUT)				\
	X(rcv_too_large, MACH_RCV_TOO_LARGE)				\
	X(rcv_interrupted, MACH_RCV_INTERRUPTED)			\
	X(rcv_port_changed, MACH_RCV_PORT_CHANGED)			\
	X(rcv_invalid_notify, MACH_RCV_INVALID_NOTIFY)			\
	X(rcv_invalid_data, MACH_RCV_INVALID_DATA)			\
	X(rcv_port_died, MACH_RCV_PORT_DIED)				\
	X(rcv_in_set, MACH_RCV_IN_SET)					\
	X(rcv_header_error, MACH_RCV_HEADER_ERROR)			\
	X(rcv_body_error, MACH_RCV_BODY_ERROR)				\
	X(rcv_invalid_type, MACH_RCV_INVALID_TYPE)			\
	X(rcv_scatter_small, MACH_RCV_SCATTER_SMALL)			\
	X(rcv_invalid_trailer, MACH_RCV_INVALID_TRAILER)		\
	X(rcv_in_progress_timed, MACH_RCV_IN_PROGRESS_TIMED)		\
	X(rcv_invalid_reply, MACH_RCV_INVALID_REPLY)			\
	X(rcv_invalid_arguments, MACH_RCV_INVALID_ARGUMENTS)

#define LIBMACH_MIG_ERRORS(X)						\
	X(type_error, MIG_TYPE_ERROR)					\
	X(reply_mismatch, MIG_REPLY_MISMATCH)				\
	X(remote_error, MIG_REMOTE_ERROR)				\
	X(bad_id, MIG_BAD_ID)						\
	X(bad_arguments, MIG_BAD_ARGUMENTS)				\
	X(no_reply, MIG_NO_REPLY)					\
	X(exception, MIG_EXCEPTION)					\
	X(array_too_large, MIG_ARRAY_TOO_LARGE)				\
	X(server_died, MIG_SERVER_DIED)					\
	X(trailer_error, MIG_TRAILER_ERROR)

#define LIBMACH_ENUMERATOR(name, code) name = (code),
#define LIBMACH_NAME_CASE(name, code) case (code): return #code;

// kern_return_t codes (KERN_*).
enum class kern_errc : kern_return_t { LIBMACH_KERN_ERRORS(LIBMACH_ENUMERATOR) };
// mach_msg_return_t codes (MACH_SEND_*, MACH_RCV_*), without the
// MACH_MSG_* special bits.
enum class msg_errc : mach_msg_return_t { LIBMACH_MSG_ERRORS(LIBMACH_ENUMERATOR) };
// MIG's codes (MIG_*), as servers return them.
enum class mig_errc : kern_return_t { LIBMACH_MIG_ERRORS(LIBMACH_ENUMERATOR) };

// Darwin's name of a code ("KERN_INVALID_RIGHT"), special bits set aside;
// nullptr when it has none.
[[nodiscard]] constexpr const char *error_name(kern_return_t code) noexcept
{
	if ((code >> 26 & 0x3f) == 4 && (code & 0x3fff) != 0)	// err_mach_ipc
		code &= ~MACH_MSG_MASK;
	switch (code) {
	LIBMACH_KERN_ERRORS(LIBMACH_NAME_CASE)
	LIBMACH_MSG_ERRORS(LIBMACH_NAME_CASE)
	LIBMACH_MIG_ERRORS(LIBMACH_NAME_CASE)
	default:
		return nullptr;
	}
}

#undef LIBMACH_NAME_CASE
#undef LIBMACH_ENUMERATOR
#undef LIBMACH_MIG_ERRORS
#undef LIBMACH_MSG_ERRORS
#undef LIBMACH_KERN_ERRORS

namespace detail {

class category_impl final : public std::error_category {
public:
	const char *name() const noexcept override { return "mach"; }

	std::string message(int ev) const override
	{
		std::string s;
		if (const char *n = error_name(ev)) {
			s = n;
			if ((ev >> 26 & 0x3f) == 4) {
				static constexpr std::pair<int, const char *> bits[] = {
					{MACH_MSG_IPC_SPACE, "MACH_MSG_IPC_SPACE"},
					{MACH_MSG_VM_SPACE, "MACH_MSG_VM_SPACE"},
					{MACH_MSG_IPC_KERNEL, "MACH_MSG_IPC_KERNEL"},
					{MACH_MSG_VM_KERNEL, "MACH_MSG_VM_KERNEL"},
				};
				for (const auto &[bit, bit_name] : bits)
					if (ev & bit)
						s.append("|").append(bit_name);
			}
		} else {
			char hex[16];
			std::snprintf(hex, sizeof(hex), "0x%x", static_cast<unsigned>(ev));
			s = hex;
		}
		return s.append(": ").append(mach_error_string(ev));
	}

	std::error_condition default_error_condition(int ev) const noexcept override
	{
		const int code = (ev >> 26 & 0x3f) == 4 ? ev & ~MACH_MSG_MASK : ev;
		switch (code) {
		case KERN_INVALID_ARGUMENT:
			return std::errc::invalid_argument;
		case KERN_INVALID_ADDRESS:
			return std::errc::bad_address;
		case KERN_RESOURCE_SHORTAGE:
			return std::errc::not_enough_memory;
		case KERN_NO_ACCESS:
		case KERN_DENIED:
			return std::errc::permission_denied;
		case KERN_NOT_SUPPORTED:
			return std::errc::not_supported;
		case KERN_OPERATION_TIMED_OUT:
		case MACH_SEND_TIMED_OUT:
		case MACH_RCV_TIMED_OUT:
			return std::errc::timed_out;
		case KERN_ABORTED:
		case MACH_SEND_INTERRUPTED:
		case MACH_RCV_INTERRUPTED:
			return std::errc::interrupted;
		default:
			return {ev, *this};
		}
	}
};

} // namespace detail

// The category of every kern_return_t, mach_msg_return_t and MIG code.
[[nodiscard]] inline const std::error_category &mach_category() noexcept
{
	static const detail::category_impl category;
	return category;
}

// A C API return code as an error_code (KERN_SUCCESS: no error).
[[nodiscard]] inline std::error_code make_error(kern_return_t code) noexcept
{
	return {code, mach_category()};
}

[[nodiscard]] inline std::error_code make_error_code(kern_errc e) noexcept
{
	return make_error(static_cast<kern_return_t>(e));
}

[[nodiscard]] inline std::error_code make_error_code(msg_errc e) noexcept
{
	return make_error(static_cast<kern_return_t>(e));
}

[[nodiscard]] inline std::error_code make_error_code(mig_errc e) noexcept
{
	return make_error(static_cast<kern_return_t>(e));
}

} // namespace mach

template <> struct std::is_error_code_enum<mach::kern_errc> : std::true_type {};
template <> struct std::is_error_code_enum<mach::msg_errc> : std::true_type {};
template <> struct std::is_error_code_enum<mach::mig_errc> : std::true_type {};

namespace mach {

// A value or the error_code that prevented it (C++20 has no std::expected).
template <class T>
class [[nodiscard]] result {
public:
	result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)
		: value_(std::move(value)) {}
	// An error; a success code is turned into KERN_FAILURE.
	result(std::error_code ec) noexcept
		: error_(ec ? ec : make_error_code(kern_errc::failure)) {}
	template <class E>
		requires std::is_error_code_enum_v<E>
	result(E e) noexcept : result(std::error_code(e)) {}

	[[nodiscard]] bool has_value() const noexcept { return value_.has_value(); }
	explicit operator bool() const noexcept { return has_value(); }
	[[nodiscard]] std::error_code error() const noexcept { return error_; }

	// Precondition has_value() (checked: aborts otherwise).
	T &value() & noexcept { check(); return *value_; }
	const T &value() const & noexcept { check(); return *value_; }
	T &&value() && noexcept { check(); return std::move(*value_); }
	T &operator*() & noexcept { return value(); }
	const T &operator*() const & noexcept { return value(); }
	T &&operator*() && noexcept { return std::move(*this).value(); }
	T *operator->() noexcept { return &value(); }
	const T *operator->() const noexcept { return &value(); }

	template <class U>
	T value_or(U &&fallback) && { return value_ ? std::move(*value_) : T(std::forward<U>(fallback)); }

private:
	void check() const noexcept
	{
		if (!value_)
			std::abort();
	}

	std::optional<T> value_;
	std::error_code error_;
};

// ===== out-of-line memory ==================================================

// Memory owned through vm_allocate/vm_deallocate in the task's own map.
class vm_buffer {
public:
	vm_buffer() noexcept = default;
	// Adopts [address, address + size), a region vm_deallocate may free.
	vm_buffer(void *address, std::size_t size) noexcept
		: addr_(static_cast<std::byte *>(address)), size_(address ? size : 0) {}
	vm_buffer(vm_buffer &&o) noexcept
		: addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
	vm_buffer &operator=(vm_buffer &&o) noexcept
	{
		if (this != &o) {
			reset();
			addr_ = std::exchange(o.addr_, nullptr);
			size_ = std::exchange(o.size_, 0);
		}
		return *this;
	}
	~vm_buffer() { reset(); }

	// Zero-filled memory of at least size bytes (size() is size).
	[[nodiscard]] static result<vm_buffer> allocate(std::size_t size) noexcept
	{
		vm_address_t a = 0;
		kern_return_t kr = vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE);
		if (kr != KERN_SUCCESS)
			return make_error(kr);
		return vm_buffer(reinterpret_cast<void *>(a), size);
	}

	[[nodiscard]] std::byte *data() const noexcept { return addr_; }
	[[nodiscard]] std::size_t size() const noexcept { return size_; }
	[[nodiscard]] bool empty() const noexcept { return size_ == 0; }
	[[nodiscard]] std::span<std::byte> bytes() const noexcept { return {addr_, size_}; }
	// The memory as an array of T (size() / sizeof(T) elements).
	template <class T>
		requires std::is_trivially_copyable_v<T>
	[[nodiscard]] std::span<T> as() const noexcept
	{
		return {reinterpret_cast<T *>(addr_), size_ / sizeof(T)};
	}

	// Gives up ownership; returns the address.
	[[nodiscard]] void *release() noexcept
	{
		size_ = 0;
		return std::exchange(addr_, nullptr);
	}
	void reset() noexcept
	{
		if (addr_ && size_)
			vm_deallocate(mach_task_self(), reinterpret_cast<vm_address_t>(addr_), size_);
		addr_ = nullptr;
		size_ = 0;
	}

private:
	std::byte *addr_ = nullptr;
	std::size_t size_ = 0;
};

// ===== port rights =========================================================

namespace detail {

// One user reference of one name, released by Traits::destroy exactly once.
template <class Traits>
class right {
public:
	constexpr right() noexcept = default;
	// Adopts one reference of name (MACH_PORT_NULL / MACH_PORT_DEAD: none).
	explicit constexpr right(mach_port_name_t name) noexcept : name_(name) {}
	right(const right &) = delete;
	right &operator=(const right &) = delete;
	right(right &&o) noexcept : name_(std::exchange(o.name_, MACH_PORT_NULL)) {}
	right &operator=(right &&o) noexcept
	{
		if (this != &o)
			reset(std::exchange(o.name_, MACH_PORT_NULL));
		return *this;
	}
	~right() { reset(); }

	[[nodiscard]] constexpr mach_port_name_t get() const noexcept { return name_; }
	// True when it holds a live name (not NULL, not DEAD).
	[[nodiscard]] constexpr bool valid() const noexcept { return MACH_PORT_VALID(name_); }
	explicit constexpr operator bool() const noexcept { return valid(); }
	// Gives up ownership without releasing; returns the name.
	[[nodiscard]] mach_port_name_t release() noexcept { return std::exchange(name_, MACH_PORT_NULL); }
	// Releases the reference held (if any) and adopts name.
	void reset(mach_port_name_t name = MACH_PORT_NULL) noexcept
	{
		const mach_port_name_t old = std::exchange(name_, name);
		if (MACH_PORT_VALID(old))
			Traits::destroy(old);
	}
	friend void swap(right &a, right &b) noexcept { std::swap(a.name_, b.name_); }

private:
	mach_port_name_t name_ = MACH_PORT_NULL;
};

template <mach_port_right_t Right>
struct mod_refs_traits {
	static void destroy(mach_port_name_t name) noexcept
	{
		mach_port_mod_refs(mach_task_self(), name, Right, -1);
	}
};

// Send, send-once and dead-name references: mach_port_deallocate, as Darwin.
struct deallocate_traits {
	static void destroy(mach_port_name_t name) noexcept
	{
		mach_port_deallocate(mach_task_self(), name);
	}
};

} // namespace detail

class send_right;
class send_once_right;

// A receive right (released with mach_port_mod_refs(RECEIVE, -1)).
class receive_right : public detail::right<detail::mod_refs_traits<MACH_PORT_RIGHT_RECEIVE>> {
public:
	using right::right;

	[[nodiscard]] static result<receive_right> allocate() noexcept;
	// mach_port_construct; MPO_INSERT_SEND_RIGHT is refused (use make_send()).
	[[nodiscard]] static result<receive_right> construct(const mach_port_options_t &options,
							     mach_port_context_t context = 0) noexcept;

	// A new send right under the same name (MACH_MSG_TYPE_MAKE_SEND).
	[[nodiscard]] result<send_right> make_send() const noexcept;
	// A new send-once right, under a new name (MACH_MSG_TYPE_MAKE_SEND_ONCE).
	[[nodiscard]] result<send_once_right> make_send_once() const noexcept;

	[[nodiscard]] result<mach_port_status_t> status() const noexcept;
	[[nodiscard]] std::error_code set_qlimit(mach_port_msgcount_t qlimit) const noexcept;
};

// A send right (mach_port_deallocate).  If its port dies the name becomes a
// dead name, which the same release gives back.
class send_right : public detail::right<detail::deallocate_traits> {
public:
	using right::right;

	// Another reference of the same name (mach_port_mod_refs(SEND, +1)).
	[[nodiscard]] result<send_right> copy() const noexcept;
};

// A send-once right (mach_port_deallocate, which sends the port a
// MACH_NOTIFY_SEND_ONCE when the right is still live).
class send_once_right : public detail::right<detail::deallocate_traits> {
public:
	using right::right;
};

// A dead name (mach_port_mod_refs(DEAD_NAME, -1)).
class dead_name : public detail::right<detail::mod_refs_traits<MACH_PORT_RIGHT_DEAD_NAME>> {
public:
	using right::right;
	[[nodiscard]] static result<dead_name> allocate() noexcept;
};

// The reply port of a request: a send or a send-once right.
class reply_right : public detail::right<detail::deallocate_traits> {
public:
	constexpr reply_right() noexcept = default;
	reply_right(send_right r) noexcept : right(r.release()), type_(MACH_MSG_TYPE_MOVE_SEND) {}
	reply_right(send_once_right r) noexcept : right(r.release()), type_(MACH_MSG_TYPE_MOVE_SEND_ONCE) {}
	// Adopts name holding a right of type (MACH_MSG_TYPE_PORT_SEND or _SEND_ONCE).
	reply_right(mach_port_name_t name, mach_msg_type_name_t type) noexcept
		: right(name), type_(type == MACH_MSG_TYPE_PORT_SEND ? type : MACH_MSG_TYPE_PORT_SEND_ONCE) {}

	[[nodiscard]] bool send_once() const noexcept { return type_ == MACH_MSG_TYPE_PORT_SEND_ONCE; }
	// The disposition that moves it into a message.
	[[nodiscard]] mach_msg_type_name_t disposition() const noexcept { return type_; }

private:
	mach_msg_type_name_t type_ = MACH_MSG_TYPE_PORT_SEND_ONCE;
};

// A port set (mach_port_mod_refs(PORT_SET, -1)).
class port_set : public detail::right<detail::mod_refs_traits<MACH_PORT_RIGHT_PORT_SET>> {
public:
	using right::right;

	[[nodiscard]] static result<port_set> allocate() noexcept;
	[[nodiscard]] std::error_code insert(const receive_right &member) const noexcept
	{
		return make_error(mach_port_insert_member(mach_task_self(), member.get(), get()));
	}
	[[nodiscard]] std::error_code extract(const receive_right &member) const noexcept
	{
		return make_error(mach_port_extract_member(mach_task_self(), member.get(), get()));
	}
	// The members' names (mach_port_get_set_status), in vm memory.
	[[nodiscard]] result<vm_buffer> members() const noexcept
	{
		mach_port_name_array_t names = nullptr;
		mach_msg_type_number_t count = 0;
		kern_return_t kr = mach_port_get_set_status(mach_task_self(), get(), &names, &count);
		if (kr != KERN_SUCCESS)
			return make_error(kr);
		return vm_buffer(names, count * sizeof(mach_port_name_t));
	}
};

namespace detail {

template <class R>
result<R> allocate_right(mach_port_right_t kind) noexcept
{
	mach_port_name_t name = MACH_PORT_NULL;
	kern_return_t kr = mach_port_allocate(mach_task_self(), kind, &name);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return R(name);
}

} // namespace detail

inline result<receive_right> receive_right::allocate() noexcept
{
	return detail::allocate_right<receive_right>(MACH_PORT_RIGHT_RECEIVE);
}

inline result<receive_right> receive_right::construct(const mach_port_options_t &options,
						      mach_port_context_t context) noexcept
{
	if (options.flags & MPO_INSERT_SEND_RIGHT)
		return kern_errc::invalid_argument;
	mach_port_options_t o = options;
	mach_port_name_t name = MACH_PORT_NULL;
	kern_return_t kr = mach_port_construct(mach_task_self(), &o, context, &name);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return receive_right(name);
}

inline result<send_right> receive_right::make_send() const noexcept
{
	kern_return_t kr = mach_port_insert_right(mach_task_self(), get(), get(),
						  MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return send_right(get());
}

inline result<send_once_right> receive_right::make_send_once() const noexcept
{
	mach_port_t name = MACH_PORT_NULL;
	mach_msg_type_name_t type = 0;
	kern_return_t kr = mach_port_extract_right(mach_task_self(), get(),
						   MACH_MSG_TYPE_MAKE_SEND_ONCE, &name, &type);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return send_once_right(name);
}

inline result<mach_port_status_t> receive_right::status() const noexcept
{
	mach_port_status_t st{};
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;
	kern_return_t kr = mach_port_get_attributes(mach_task_self(), get(), MACH_PORT_RECEIVE_STATUS,
						    reinterpret_cast<mach_port_info_t>(&st), &count);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return st;
}

inline std::error_code receive_right::set_qlimit(mach_port_msgcount_t qlimit) const noexcept
{
	mach_port_limits_t limits{};
	limits.mpl_qlimit = qlimit;
	return make_error(mach_port_set_attributes(mach_task_self(), get(), MACH_PORT_LIMITS_INFO,
						   reinterpret_cast<mach_port_info_t>(&limits),
						   MACH_PORT_LIMITS_INFO_COUNT));
}

inline result<send_right> send_right::copy() const noexcept
{
	kern_return_t kr = mach_port_mod_refs(mach_task_self(), get(), MACH_PORT_RIGHT_SEND, 1);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return send_right(get());
}

inline result<dead_name> dead_name::allocate() noexcept
{
	return detail::allocate_right<dead_name>(MACH_PORT_RIGHT_DEAD_NAME);
}

inline result<port_set> port_set::allocate() noexcept
{
	return detail::allocate_right<port_set>(MACH_PORT_RIGHT_PORT_SET);
}

// mach_port_type of a name in the task's space.
[[nodiscard]] inline result<mach_port_type_t> port_type(mach_port_name_t name) noexcept
{
	mach_port_type_t type = 0;
	kern_return_t kr = mach_port_type(mach_task_self(), name, &type);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return type;
}

// mach_port_get_refs: the user references of one kind of right.
[[nodiscard]] inline result<mach_port_urefs_t> port_refs(mach_port_name_t name,
							 mach_port_right_t kind) noexcept
{
	mach_port_urefs_t refs = 0;
	kern_return_t kr = mach_port_get_refs(mach_task_self(), name, kind, &refs);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	return refs;
}

// A send right to one of the task's special ports (TASK_*_PORT).
[[nodiscard]] inline result<send_right> task_special_port(int which) noexcept
{
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr = task_get_special_port(mach_task_self(), which, &port);
	if (kr != KERN_SUCCESS)
		return make_error(kr);
	if (!MACH_PORT_VALID(port))
		return kern_errc::invalid_name;
	return send_right(port);
}

[[nodiscard]] inline std::error_code set_task_special_port(int which, const send_right &port) noexcept
{
	return make_error(task_set_special_port(mach_task_self(), which, port.get()));
}

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

#endif // _MACH_MACH_HPP_
