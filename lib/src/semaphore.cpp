// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <mach/semaphore.h> and the semaphore task calls: Mach semaphores, kernel
// objects of mach.ko (module/semaphore.c).

#include "libmach.h"

using libmach::port_call;

namespace {

kern_return_t sema_call(unsigned long cmd, mach_ioc_semaphore &a) noexcept
{
	return port_call(cmd, &a);
}

kern_return_t sema_wait(semaphore_t wait, semaphore_t signal, bool with_signal,
			const mach_timespec_t *timeout) noexcept
{
	mach_ioc_semaphore a{};

	a.name = wait;
	a.signal = signal;
	if (with_signal)
		a.flags |= MACH_SEMA_SIGNAL;
	if (timeout) {
		a.flags |= MACH_SEMA_TIMED;
		a.sec = timeout->tv_sec;
		a.nsec = timeout->tv_nsec;
	}
	return sema_call(MACH_IOC_SEMAPHORE_WAIT, a);
}

} // namespace

extern "C" {

kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	mach_ioc_semaphore a{};
	kern_return_t kr;

	a.task = task;
	a.policy = policy;
	a.value = value;
	kr = sema_call(MACH_IOC_SEMAPHORE_CREATE, a);
	*semaphore = kr == KERN_SUCCESS ? a.name : SEMAPHORE_NULL;
	return kr;
}

kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore)
{
	mach_ioc_semaphore a{};

	a.task = task;
	a.name = semaphore;
	return sema_call(MACH_IOC_SEMAPHORE_DESTROY, a);
}

kern_return_t semaphore_signal(semaphore_t semaphore)
{
	mach_ioc_semaphore a{};

	a.name = semaphore;
	return sema_call(MACH_IOC_SEMAPHORE_SIGNAL, a);
}

kern_return_t semaphore_signal_all(semaphore_t semaphore)
{
	mach_ioc_semaphore a{};

	a.name = semaphore;
	return sema_call(MACH_IOC_SEMAPHORE_SIGNAL_ALL, a);
}

kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	mach_ioc_semaphore a{};

	a.name = semaphore;
	a.signal = thread;
	return sema_call(MACH_IOC_SEMAPHORE_SIGNAL_THREAD, a);
}

kern_return_t semaphore_wait(semaphore_t semaphore)
{
	return sema_wait(semaphore, MACH_PORT_NULL, false, nullptr);
}

kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time)
{
	return sema_wait(semaphore, MACH_PORT_NULL, false, &wait_time);
}

kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore)
{
	return sema_wait(wait_semaphore, signal_semaphore, true, nullptr);
}

kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
					 semaphore_t signal_semaphore,
					 mach_timespec_t wait_time)
{
	return sema_wait(wait_semaphore, signal_semaphore, true, &wait_time);
}

} // extern "C"
