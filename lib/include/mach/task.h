/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/task.h>, the task calls libmach implements. */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/task_special_ports.h>
#include <mach/task_info.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t task_get_special_port(task_inspect_t task, int which_port,
				    mach_port_t *special_port);
kern_return_t task_set_special_port(task_t task, int which_port,
				    mach_port_t special_port);
/* At most TASK_PORT_REGISTER_MAX send rights, copied (COPY_SEND). */
kern_return_t mach_ports_register(task_t target_task,
				  mach_port_array_t init_port_set,
				  mach_msg_type_number_t init_port_setCnt);
/* The array is allocated with vm_allocate: release it with vm_deallocate. */
kern_return_t mach_ports_lookup(task_t target_task,
				mach_port_array_t *init_port_set,
				mach_msg_type_number_t *init_port_setCnt);
/* A new semaphore (a send right) owned by task; value >= 0, policy SYNC_POLICY_*. */
kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value);
/* Consumes the send right; only the owner task's destroy stops the semaphore. */
kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore);
/*
 * target_task: the caller's own task port (mach_task_self()); any other
 * right gives KERN_INVALID_ARGUMENT, a name without a send right
 * MACH_SEND_INVALID_DEST.  *task_info_outCnt is Darwin's CountInOut.
 */
kern_return_t task_info(task_name_t target_task, task_flavor_t flavor,
			task_info_t task_info_out,
			mach_msg_type_number_t *task_info_outCnt);

/* EXC_GUARD behaviour (TASK_EXC_GUARD_*, from <linux/mach.h>), per task. */
typedef uint32_t task_exc_guard_behavior_t;
kern_return_t task_get_exc_guard_behavior(task_inspect_t task,
					  task_exc_guard_behavior_t *behavior);
kern_return_t task_set_exc_guard_behavior(task_t task,
					  task_exc_guard_behavior_t behavior);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_TASK_H_ */
