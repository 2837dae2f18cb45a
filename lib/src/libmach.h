// SPDX-License-Identifier: LGPL-2.1 OR MIT
// libmach internals shared by the translation units of the library.
#pragma once

// Everything the public headers declare is the exported API; the rest of the
// library is built with -fvisibility=hidden.
#pragma GCC visibility push(default)
#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/linux.h>
#include <mach/mach_time.h>
#include <mach/mk_timer.h>
#include <mach/semaphore.h>
#include <mach/port_descriptions.h>
#include <mach/host_special_ports.h>
#include <mach/thread_special_ports.h>
#pragma GCC visibility pop

#include <cerrno>
#include <linux/mach.h>

namespace libmach {

// ---- device.cpp: the process's /dev/mach descriptor ----------------------

// The descriptor, opened on first use; -1 when the device is unavailable (a
// message saying why has then been printed once).
int device_fd() noexcept;

// One ioctl on the device: the Mach code it returned (>= 0), or -errno when
// the call itself failed (-ENODEV when there is no device).
int device_call(unsigned long cmd, void *arg) noexcept;

// Library constructor helpers.
void device_register_atfork() noexcept;
void device_open_if_present() noexcept;

// Map a failed device_call (r < 0) of a mach_port_* style call to a kern_return_t.
inline kern_return_t port_error(int r) noexcept
{
	switch (-r) {
	case EBADFD:
		return KERN_INVALID_TASK;
	case EFAULT:
		return KERN_INVALID_ADDRESS;
	case ENOMEM:
		return KERN_RESOURCE_SHORTAGE;
	default:
		return KERN_FAILURE;
	}
}

// device_call for calls returning a kern_return_t.
inline kern_return_t port_call(unsigned long cmd, void *arg) noexcept
{
	int r = device_call(cmd, arg);
	return r >= 0 ? r : port_error(r);
}

// ---- init.cpp: per-process Mach state -------------------------------------

// Called, with the device lock held, once a space is usable on fd (first
// open, or a forked child's new space): refreshes mach_task_self_ and
// bootstrap_port.
void space_attached(int fd) noexcept;
// Called when the process no longer has a space (forked child whose space
// could not be created).
void space_detached() noexcept;

// ---- mig.cpp -------------------------------------------------------------

// In a forked child: the forking thread's cached reply port named a right in
// the parent's space; forget it.
void mig_forget_reply_port() noexcept;

// ---- vm.cpp --------------------------------------------------------------

// The kernel's page size.
vm_size_t page_size() noexcept;

// ---- vm_ops.cpp ----------------------------------------------------------

// [start, end) was unmapped: forget the maximum protections
// mach_vm_protect(set_maximum) lowered there.
void vm_forget_max(uint64_t start, uint64_t end) noexcept;

} // namespace libmach
