// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Task- and thread-level calls: the self traps, mach_reply_port, special
// ports and the registered ports.

#include "libmach.h"

#include <algorithm>
#include <cstring>

using libmach::port_call;

namespace {

// task_self / thread_self / reply_port: one name out, or MACH_PORT_NULL.
mach_port_name_t name_trap(unsigned long cmd) noexcept
{
	mach_ioc_name a{};
	return libmach::device_call(cmd, &a) == KERN_SUCCESS ? a.name : MACH_PORT_NULL;
}

} // namespace

extern "C" {

mach_port_name_t task_self_trap(void)
{
	return name_trap(MACH_IOC_TASK_SELF);
}

mach_port_name_t thread_self_trap(void)
{
	return name_trap(MACH_IOC_THREAD_SELF);
}

mach_port_name_t mach_reply_port(void)
{
	return name_trap(MACH_IOC_REPLY_PORT);
}

// task_for_pid and task_name_for_pid: the ioctl stores MACH_PORT_NULL on
// every refusal; a failed call itself (no device) is KERN_FAILURE too.
static kern_return_t for_pid(unsigned long cmd, mach_port_name_t target_tport, int pid,
			     mach_port_name_t *out) noexcept
{
	mach_ioc_task_pid a{};
	a.task = target_tport;
	a.pid = pid;
	int r = libmach::device_call(cmd, &a);
	if (out)
		*out = r >= 0 ? a.port : MACH_PORT_NULL;
	return r >= 0 ? r : libmach::port_error(r);
}

kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t)
{
	return for_pid(MACH_IOC_TASK_FOR_PID, target_tport, pid, t);
}

kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *tn)
{
	return for_pid(MACH_IOC_TASK_NAME_FOR_PID, target_tport, pid, tn);
}

kern_return_t pid_for_task(mach_port_name_t t, int *x)
{
	mach_ioc_task_pid a{};
	a.task = t;
	int r = libmach::device_call(MACH_IOC_PID_FOR_TASK, &a);
	if (x)
		*x = r >= 0 ? a.pid : -1;
	return r >= 0 ? r : libmach::port_error(r);
}

mach_port_t mach_thread_self(void)
{
	return thread_self_trap();
}

// A send right to the host port: the space's one name for it, one more uref.
mach_port_name_t host_self_trap(void)
{
	return name_trap(MACH_IOC_HOST_SELF);
}

mach_port_t mach_host_self(void)
{
	return host_self_trap();
}

kern_return_t host_page_size(host_t, vm_size_t *page_size)
{
	*page_size = libmach::page_size();
	return KERN_SUCCESS;
}

kern_return_t task_get_special_port(task_inspect_t task, int which_port,
				    mach_port_t *special_port)
{
	mach_ioc_special_port a{};
	a.task = task;
	a.which = static_cast<__u32>(which_port);
	kern_return_t kr = port_call(MACH_IOC_GET_SPECIAL_PORT, &a);
	if (kr == KERN_SUCCESS)
		*special_port = a.port;
	return kr;
}

kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	mach_ioc_special_port a{};
	a.task = task;
	a.which = static_cast<__u32>(which_port);
	a.port = special_port;
	kern_return_t kr = port_call(MACH_IOC_SET_SPECIAL_PORT, &a);
	// Keep the cached bootstrap_port in step, as launchd-style code expects.
	if (kr == KERN_SUCCESS && which_port == TASK_BOOTSTRAP_PORT &&
	    task == mach_task_self_)
		bootstrap_port = special_port;
	return kr;
}

kern_return_t mach_ports_register(task_t target_task, mach_port_array_t init_port_set,
				  mach_msg_type_number_t init_port_setCnt)
{
	if (init_port_setCnt > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	mach_ioc_ports_register a{};
	a.task = target_task;
	a.count = init_port_setCnt;
	if (init_port_setCnt)
		memcpy(a.ports, init_port_set, init_port_setCnt * sizeof(mach_port_t));
	return port_call(MACH_IOC_PORTS_REGISTER, &a);
}

kern_return_t mach_ports_lookup(task_t target_task, mach_port_array_t *init_port_set,
				mach_msg_type_number_t *init_port_setCnt)
{
	mach_ioc_ports_register a{};
	a.task = target_task;
	a.count = TASK_PORT_REGISTER_MAX;
	kern_return_t kr = port_call(MACH_IOC_PORTS_LOOKUP, &a);
	if (kr != KERN_SUCCESS)
		return kr;

	const mach_msg_type_number_t n = std::min<mach_msg_type_number_t>(a.count, TASK_PORT_REGISTER_MAX);
	vm_address_t addr = 0;
	if (n) {
		kr = vm_allocate(mach_task_self_, &addr, n * sizeof(mach_port_t), VM_FLAGS_ANYWHERE);
		if (kr != KERN_SUCCESS) {
			// Do not leak the rights the lookup gave us.
			for (mach_msg_type_number_t i = 0; i < n; i++)
				mach_port_deallocate(mach_task_self_, a.ports[i]);
			return kr;
		}
		memcpy(reinterpret_cast<void *>(addr), a.ports, n * sizeof(mach_port_t));
	}
	*init_port_set = reinterpret_cast<mach_port_t *>(addr);
	*init_port_setCnt = n;
	return KERN_SUCCESS;
}

// EXC_GUARD behaviour of a task's space (the module keeps it per space).
kern_return_t task_get_exc_guard_behavior(task_inspect_t task,
					  task_exc_guard_behavior_t *behavior)
{
	mach_ioc_exc_guard a{};
	a.task = task;
	kern_return_t kr = port_call(MACH_IOC_TASK_GET_EXC_GUARD, &a);
	if (kr == KERN_SUCCESS)
		*behavior = a.behavior;
	return kr;
}

kern_return_t task_set_exc_guard_behavior(task_t task, task_exc_guard_behavior_t behavior)
{
	mach_ioc_exc_guard a{};
	a.task = task;
	a.behavior = behavior;
	return port_call(MACH_IOC_TASK_SET_EXC_GUARD, &a);
}

} // extern "C"
