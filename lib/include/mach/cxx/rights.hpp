// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: move-only owners of port rights (receive_right, send_right, ...).
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_RIGHTS_HPP_
#define _MACH_CXX_RIGHTS_HPP_

#include <mach/cxx/error.hpp>
#include <mach/cxx/vm_buffer.hpp>
#include <mach/mach_port.h>
#include <mach/task.h>
#include <utility>

namespace mach {

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

} // namespace mach

#endif // _MACH_CXX_RIGHTS_HPP_
