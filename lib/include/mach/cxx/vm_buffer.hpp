// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach C++ layer: vm_buffer, memory owned through vm_allocate/vm_deallocate.
// Part of <mach/mach.hpp>; may be included alone.
#ifndef _MACH_CXX_VM_BUFFER_HPP_
#define _MACH_CXX_VM_BUFFER_HPP_

#include <mach/cxx/error.hpp>
#include <mach/vm_map.h>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace mach {

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

} // namespace mach

#endif // _MACH_CXX_VM_BUFFER_HPP_
