// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Per-process Mach state that Darwin keeps in libsystem_kernel:
// mach_task_self_ (a cached task_self_trap) and bootstrap_port, set when the
// library is loaded and again in a forked child.

#include "libmach.h"

#include <sys/ioctl.h>

mach_port_t mach_task_self_ = MACH_PORT_NULL;
mach_port_t bootstrap_port = MACH_PORT_NULL;

namespace libmach {

void space_attached(int fd) noexcept
{
	// Raw ioctls: device_call would re-enter the open path.
	mach_ioc_name self{};
	mach_port_t task = MACH_PORT_NULL;
	if (ioctl(fd, MACH_IOC_TASK_SELF, &self) == KERN_SUCCESS)
		task = self.name;
	mach_task_self_ = task;

	mach_ioc_special_port sp{};
	sp.task = task;
	sp.which = TASK_BOOTSTRAP_PORT;
	bootstrap_port = ioctl(fd, MACH_IOC_GET_SPECIAL_PORT, &sp) == KERN_SUCCESS
		? sp.port : MACH_PORT_NULL;
}

void space_detached() noexcept
{
	mach_task_self_ = MACH_PORT_NULL;
	bootstrap_port = MACH_PORT_NULL;
}

namespace {

// Priority 101: before the constructors of the program linking libmach.a
// (a shared libmach runs before its users' constructors anyway).
__attribute__((constructor(101))) void libmach_init() noexcept
{
	device_register_atfork();
	device_open_if_present();
}

} // namespace
} // namespace libmach
