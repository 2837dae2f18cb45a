// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// vm_allocate & co on Linux memory: anonymous private mappings, page
// rounded, with XNU's return codes.  Only the caller's own address space is
// reachable: the target must be mach_task_self().  Memory entries and
// mach_vm_map are the module's (MACH_IOC_MEM_ENTRY_MAKE, MACH_IOC_VM_MAP),
// which checks the target itself.

#include "libmach.h"

#include <atomic>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

extern "C" {
vm_size_t vm_page_size;
vm_size_t vm_page_mask;
int vm_page_shift;
vm_size_t vm_kernel_page_size;
vm_size_t vm_kernel_page_mask;
int vm_kernel_page_shift;
}

namespace libmach {

// Cached without a function-local static, which would need the C++ runtime's
// guard functions.
vm_size_t page_size() noexcept
{
	static std::atomic<vm_size_t> cached{0};
	vm_size_t size = cached.load(std::memory_order_relaxed);
	if (size == 0) {
		size = static_cast<vm_size_t>(sysconf(_SC_PAGESIZE));
		cached.store(size, std::memory_order_relaxed);
	}
	return size;
}

} // namespace libmach

namespace {

__attribute__((constructor(101))) void vm_init() noexcept
{
	const vm_size_t size = libmach::page_size();
	vm_page_size = vm_kernel_page_size = size;
	vm_page_mask = vm_kernel_page_mask = size - 1;
	vm_page_shift = vm_kernel_page_shift = __builtin_ctzl(size);
}

bool is_self(vm_map_t target) noexcept
{
	return target == mach_task_self_;
}

kern_return_t allocate(vm_map_t target, uint64_t *address, uint64_t size, int flags) noexcept
{
	if (!is_self(target))
		return KERN_INVALID_ARGUMENT;
	if (static_cast<unsigned>(flags) & ~static_cast<unsigned>(VM_FLAGS_USER_ALLOCATE))
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}

	const uint64_t mask = libmach::page_size() - 1;
	const uint64_t length = (size + mask) & ~mask;
	if (length == 0)			// rounding overflowed
		return KERN_INVALID_ARGUMENT;
	const uint64_t start = *address & ~mask;

	const int prot = PROT_READ | PROT_WRITE;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *hint = nullptr;
	const bool anywhere = flags & VM_FLAGS_ANYWHERE;
	if (anywhere) {
		hint = reinterpret_cast<void *>(start);	// a search hint, as on XNU
	} else {
		// Page 0 stays unmapped (NULL must fault), and the range must
		// not wrap.
		if (start == 0 || start + length < start)
			return KERN_INVALID_ADDRESS;
		hint = reinterpret_cast<void *>(start);
		mflags |= (flags & VM_FLAGS_OVERWRITE) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	}

	void *p = mmap(hint, length, prot, mflags, -1, 0);
	if (p == MAP_FAILED) {
		if (anywhere)
			return KERN_NO_SPACE;
		return errno == EEXIST ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
	}
	if (!anywhere && p != hint) {
		// A kernel without MAP_FIXED_NOREPLACE took it as a hint.
		munmap(p, length);
		return KERN_NO_SPACE;
	}
	*address = reinterpret_cast<uintptr_t>(p);
	return KERN_SUCCESS;
}

kern_return_t deallocate(vm_map_t target, uint64_t address, uint64_t size) noexcept
{
	if (!is_self(target))
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	const uint64_t mask = libmach::page_size() - 1;
	const uint64_t end = address + size;
	if (end < address)
		return KERN_INVALID_ARGUMENT;
	const uint64_t start = address & ~mask;
	const uint64_t stop = (end + mask) & ~mask;
	if (stop < end)
		return KERN_INVALID_ARGUMENT;
	if (munmap(reinterpret_cast<void *>(start), stop - start) != 0)
		return KERN_INVALID_ARGUMENT;
	libmach::vm_forget_max(start, stop);
	return KERN_SUCCESS;
}

kern_return_t make_entry(vm_map_t target, uint64_t *size, uint64_t offset, vm_prot_t permission,
			 mach_port_t *handle, mem_entry_name_port_t parent) noexcept
{
	if (size == nullptr || handle == nullptr)
		return KERN_INVALID_ARGUMENT;
	mach_ioc_mem_entry a{};
	a.task = target;
	a.permission = static_cast<uint32_t>(permission);
	a.size = *size;
	a.offset = offset;
	a.parent = parent;
	const kern_return_t kr = libmach::port_call(MACH_IOC_MEM_ENTRY_MAKE, &a);
	if (kr == KERN_SUCCESS) {
		*size = a.size;
		*handle = a.handle;
	}
	return kr;
}

kern_return_t map(vm_map_t target, uint64_t *address, uint64_t size, uint64_t mask, int flags,
		  mem_entry_name_port_t object, uint64_t offset, boolean_t copy,
		  vm_prot_t cur, vm_prot_t max, vm_inherit_t inheritance) noexcept
{
	if (address == nullptr)
		return KERN_INVALID_ARGUMENT;
	mach_ioc_vm_map a{};
	a.task = target;
	a.flags = static_cast<uint32_t>(flags);
	a.address = *address;
	a.size = size;
	a.mask = mask;
	a.offset = offset;
	a.object = object;
	a.copy = copy ? 1 : 0;
	a.cur_protection = static_cast<uint32_t>(cur);
	a.max_protection = static_cast<uint32_t>(max);
	a.inheritance = inheritance;
	const kern_return_t kr = libmach::port_call(MACH_IOC_VM_MAP, &a);
	if (kr != KERN_SUCCESS)
		return kr;
	if (inheritance == VM_INHERIT_NONE) {
		const uint64_t pmask = libmach::page_size() - 1;
		const uint64_t start = a.address & ~pmask;
		const uint64_t len = ((offset & pmask) + size + pmask) & ~pmask;
		// Kernels built without CONFIG_ADVISE_SYSCALLS cannot keep a
		// mapping from a child: refused rather than silently inherited.
		if (madvise(reinterpret_cast<void *>(start), len, MADV_DONTFORK) != 0) {
			const int err = errno;
			munmap(reinterpret_cast<void *>(start), len);
			return err == ENOSYS ? KERN_NOT_SUPPORTED : KERN_RESOURCE_SHORTAGE;
		}
	}
	*address = a.address;
	return KERN_SUCCESS;
}

} // namespace

extern "C" {

kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
					memory_object_offset_t offset, vm_prot_t permission,
					mach_port_t *object_handle,
					mem_entry_name_port_t parent_entry)
{
	if (size == nullptr)
		return KERN_INVALID_ARGUMENT;
	uint64_t sz = *size;
	kern_return_t kr = make_entry(target_task, &sz, offset, permission, object_handle,
				      parent_entry);
	if (kr == KERN_SUCCESS)
		*size = sz;
	return kr;
}

kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size, vm_offset_t offset,
				     vm_prot_t permission, mem_entry_name_port_t *object_handle,
				     mem_entry_name_port_t parent_entry)
{
	if (size == nullptr)
		return KERN_INVALID_ARGUMENT;
	uint64_t sz = *size;
	kern_return_t kr = make_entry(target_task, &sz, offset, permission, object_handle,
				      parent_entry);
	if (kr == KERN_SUCCESS)
		*size = static_cast<vm_size_t>(sz);
	return kr;
}

kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address, mach_vm_size_t size,
			  mach_vm_offset_t mask, int flags, mem_entry_name_port_t object,
			  memory_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
			  vm_prot_t max_protection, vm_inherit_t inheritance)
{
	return map(target_task, address, size, mask, flags, object, offset, copy,
		   cur_protection, max_protection, inheritance);
}

kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, int flags, mem_entry_name_port_t object, vm_offset_t offset,
		     boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
		     vm_inherit_t inheritance)
{
	if (address == nullptr)
		return KERN_INVALID_ARGUMENT;
	uint64_t addr = *address;
	kern_return_t kr = map(target_task, &addr, size, mask, flags, object, offset, copy,
			       cur_protection, max_protection, inheritance);
	if (kr == KERN_SUCCESS)
		*address = static_cast<vm_address_t>(addr);
	return kr;
}

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags)
{
	return allocate(target, address, size, flags);
}

kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size)
{
	return deallocate(target, address, size);
}

kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, int flags)
{
	uint64_t addr = *address;
	kern_return_t kr = allocate(target_task, &addr, size, flags);
	if (kr == KERN_SUCCESS)
		*address = static_cast<vm_address_t>(addr);
	return kr;
}

kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	return deallocate(target_task, address, size);
}

} // extern "C"
