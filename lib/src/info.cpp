// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Host, task, thread and port-space information: thin calls into mach.ko
// (module/host.c, module/info.c), which fills Darwin's structures and
// returns XNU's codes.  Out-of-line results (mach_port_space_info's table)
// are vm_allocate'd here, as MIG's reply would map them into the caller.

#include "libmach.h"

#include <cstring>

using libmach::port_call;

namespace {

kern_return_t info_call(unsigned long cmd, mach_port_t target, natural_t flavor,
			integer_t *info, mach_msg_type_number_t *count) noexcept
{
	mach_ioc_info a{};
	a.target = target;
	a.flavor = flavor;
	a.count = *count;
	a.info = reinterpret_cast<__u64>(info);
	kern_return_t kr = port_call(cmd, &a);
	if (kr == KERN_SUCCESS)
		*count = a.count;
	return kr;
}

} // namespace

extern "C" {

kern_return_t host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	return info_call(MACH_IOC_HOST_INFO, host, static_cast<natural_t>(flavor),
			 host_info_out, host_info_outCnt);
}

kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor, host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	return info_call(MACH_IOC_HOST_STATISTICS, host_priv, static_cast<natural_t>(flavor),
			 host_info_out, host_info_outCnt);
}

kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor,
				host_info64_t host_info64_out,
				mach_msg_type_number_t *host_info64_outCnt)
{
	return info_call(MACH_IOC_HOST_STATISTICS64, host_priv, static_cast<natural_t>(flavor),
			 host_info64_out, host_info64_outCnt);
}

kern_return_t task_info(task_name_t target_task, task_flavor_t flavor, task_info_t task_info_out,
			mach_msg_type_number_t *task_info_outCnt)
{
	return info_call(MACH_IOC_TASK_INFO, target_task, flavor, task_info_out,
			 task_info_outCnt);
}

kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt)
{
	return info_call(MACH_IOC_THREAD_INFO, target_act, flavor, thread_info_out,
			 thread_info_outCnt);
}

kern_return_t mach_port_space_info(ipc_space_read_t space, ipc_info_space_t *space_info,
				   ipc_info_name_array_t *table_info,
				   mach_msg_type_number_t *table_infoCnt,
				   ipc_info_tree_name_array_t *tree_info,
				   mach_msg_type_number_t *tree_infoCnt)
{
	vm_address_t addr = 0;
	vm_size_t size = 0;
	mach_ioc_space_info a{};

	// Ask for the size, allocate, fetch; the table may grow meanwhile.
	for (;;) {
		a = {};
		a.task = space;
		a.count = static_cast<__u32>(size / sizeof(ipc_info_name_t));
		a.table = addr;
		kern_return_t kr = port_call(MACH_IOC_PORT_SPACE_INFO, &a);
		if (kr != KERN_SUCCESS) {
			if (addr)
				vm_deallocate(mach_task_self_, addr, size);
			return kr;
		}
		if (addr && a.count * sizeof(ipc_info_name_t) <= size)
			break;
		if (addr)
			vm_deallocate(mach_task_self_, addr, size);
		addr = 0;
		// a little room for names made between the two calls
		size = (a.count + 16) * sizeof(ipc_info_name_t);
		kr = vm_allocate(mach_task_self_, &addr, size, VM_FLAGS_ANYWHERE);
		if (kr != KERN_SUCCESS)
			return KERN_RESOURCE_SHORTAGE;
	}
	static_assert(sizeof(a.info) == sizeof(*space_info));
	memcpy(space_info, a.info, sizeof(*space_info));
	*table_info = reinterpret_cast<ipc_info_name_t *>(addr);
	*table_infoCnt = a.count;
	*tree_info = nullptr;
	*tree_infoCnt = 0;
	return KERN_SUCCESS;
}

kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task,
					 ipc_info_space_basic_t *basic_info)
{
	mach_ioc_space_info a{};
	a.task = task;
	kern_return_t kr = port_call(MACH_IOC_PORT_SPACE_BASIC_INFO, &a);
	if (kr == KERN_SUCCESS) {
		static_assert(sizeof(a.info) == sizeof(*basic_info));
		memcpy(basic_info, a.info, sizeof(*basic_info));
	}
	return kr;
}

kern_return_t mach_port_dnrequest_info(ipc_space_t task, mach_port_name_t name,
				       unsigned *dnr_total, unsigned *dnr_used)
{
	mach_ioc_dnrequest_info a{};
	a.task = task;
	a.name = name;
	kern_return_t kr = port_call(MACH_IOC_PORT_DNREQUEST_INFO, &a);
	if (kr == KERN_SUCCESS) {
		*dnr_total = a.total;
		*dnr_used = a.used;
	}
	return kr;
}

kern_return_t mach_port_kobject_description(ipc_space_read_t task, mach_port_name_t name,
					    natural_t *object_type,
					    mach_vm_address_t *object_addr,
					    kobject_description_t description)
{
	mach_ioc_port_kobject a{};
	a.task = task;
	a.name = name;
	a.description = reinterpret_cast<__u64>(description);
	kern_return_t kr = port_call(MACH_IOC_PORT_KOBJECT, &a);
	if (kr == KERN_SUCCESS) {
		*object_type = a.type;
		*object_addr = a.addr;
	}
	return kr;
}

kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name,
				natural_t *object_type, mach_vm_address_t *object_addr)
{
	return mach_port_kobject_description(task, name, object_type, object_addr, nullptr);
}

kern_return_t mach_port_assert_attributes(ipc_space_t task, mach_port_name_t name,
					  mach_port_flavor_t flavor, mach_port_info_t info,
					  mach_msg_type_number_t infoCnt)
{
	mach_ioc_port_attr a{};
	a.task = task;
	a.name = name;
	a.flavor = static_cast<__u32>(flavor);
	// MIG carries at most MACH_PORT_INFO_MAX_COUNT words
	a.count = infoCnt < MACH_PORT_INFO_MAX_COUNT ? infoCnt : MACH_PORT_INFO_MAX_COUNT;
	if (a.count)
		memcpy(a.info, info, a.count * sizeof(integer_t));
	return port_call(MACH_IOC_PORT_ASSERT_ATTRIBUTES, &a);
}

} // extern "C"
