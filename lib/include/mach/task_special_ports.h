/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/task_special_ports.h>.  The TASK_*_PORT ids are in <linux/mach.h>. */
#ifndef _MACH_TASK_SPECIAL_PORTS_H_
#define _MACH_TASK_SPECIAL_PORTS_H_

#include <linux/mach.h>

typedef int task_special_port_t;

#define task_get_kernel_port(task, port) \
	(task_get_special_port((task), TASK_KERNEL_PORT, (port)))
#define task_set_kernel_port(task, port) \
	(task_set_special_port((task), TASK_KERNEL_PORT, (port)))
#define task_get_host_port(task, port) \
	(task_get_special_port((task), TASK_HOST_PORT, (port)))
#define task_set_host_port(task, port) \
	(task_set_special_port((task), TASK_HOST_PORT, (port)))
#define task_get_bootstrap_port(task, port) \
	(task_get_special_port((task), TASK_BOOTSTRAP_PORT, (port)))
#define task_set_bootstrap_port(task, port) \
	(task_set_special_port((task), TASK_BOOTSTRAP_PORT, (port)))
#define task_get_task_access_port(task, port) \
	(task_get_special_port((task), TASK_ACCESS_PORT, (port)))
#define task_set_task_access_port(task, port) \
	(task_set_special_port((task), TASK_ACCESS_PORT, (port)))
#define task_get_debug_control_port(task, port) \
	(task_get_special_port((task), TASK_DEBUG_CONTROL_PORT, (port)))
#define task_set_debug_control_port(task, port) \
	(task_set_special_port((task), TASK_DEBUG_CONTROL_PORT, (port)))
#define task_get_resource_notify_port(task, port) \
	(task_get_special_port((task), TASK_RESOURCE_NOTIFY_PORT, (port)))
#define task_set_resource_notify_port(task, port) \
	(task_set_special_port((task), TASK_RESOURCE_NOTIFY_PORT, (port)))

#endif /* _MACH_TASK_SPECIAL_PORTS_H_ */
