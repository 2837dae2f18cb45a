/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/semaphore.h>, Mach semaphores (mach.ko, module/semaphore.c).
 * semaphore_create and semaphore_destroy are task calls (<mach/task.h>).
 * Waits are interruptible: a signal handler ends them with KERN_ABORTED; a
 * timed wait that runs out gives KERN_OPERATION_TIMED_OUT ({0, 0} only
 * polls); a semaphore destroyed by its owner, or whose owner exited, gives
 * KERN_TERMINATED to its waiters and to every later call.
 */
#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <mach/port.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/sync_policy.h>
#include <mach/clock_types.h>
#include <mach/task.h>

#ifdef __cplusplus
extern "C" {
#endif

extern kern_return_t semaphore_signal(semaphore_t semaphore);
extern kern_return_t semaphore_signal_all(semaphore_t semaphore);
/* thread MACH_PORT_NULL: any one waiter; KERN_NOT_WAITING when none (no prepost) */
extern kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread);
extern kern_return_t semaphore_wait(semaphore_t semaphore);
extern kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);
extern kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore,
					   semaphore_t signal_semaphore);
extern kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
						semaphore_t signal_semaphore,
						mach_timespec_t wait_time);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_SEMAPHORE_H_ */
