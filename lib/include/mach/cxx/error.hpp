// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: error codes as std::error_code (kern_errc, msg_errc, mig_errc), mach::result<T>.
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_ERROR_HPP_
#define _MACH_CXX_ERROR_HPP_

#include <mach/mach.h>
#include <cstdio>
#include <optional>
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
} // namespace mach

#endif // _MACH_CXX_ERROR_HPP_
