// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <mach/port_descriptions.h>: Darwin's names for host, task and thread
// special ports, in user space as in Darwin's libsyscall.  The strings and
// the lists are Darwin's, including what they leave out: no description
// for TASK_SEATBELT_PORT (7) or 8, and the host _for_id list ends at
// HOST_FILECOORDINATIOND_PORT.

#include "libmach.h"

#include <cerrno>
#include <cstring>
#include <iterator>

namespace {

template <size_t N>
const char *describe(const char *const (&table)[N], int port) noexcept
{
	if (port < 0 || static_cast<size_t>(port) >= N)
		return nullptr;
	return table[port];
}

template <size_t N>
int for_id(const char *const (&ids)[N], const char *id) noexcept
{
	if (!id) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < N; i++)
		if (ids[i] && strcmp(ids[i], id) == 0)
			return static_cast<int>(i);
	errno = ENOENT;
	return -1;
}

// C++20 has no designated array initialisers: build the tables by index.
template <size_t N>
struct table {
	const char *v[N] = {};
};

constexpr auto host_descs = [] {
	table<HOST_MAX_SPECIAL_PORT + 1> t;
	t.v[HOST_PORT] = "host (restricted)";
	t.v[HOST_PRIV_PORT] = "host private (restricted)";
	t.v[HOST_IO_MAIN_PORT] = "I/O main (restricted)";
	t.v[HOST_DYNAMIC_PAGER_PORT] = "dynamic pager";
	t.v[HOST_AUDIT_CONTROL_PORT] = "audit control";
	t.v[HOST_USER_NOTIFICATION_PORT] = "user notification";
	t.v[HOST_AUTOMOUNTD_PORT] = "automounter";
	t.v[HOST_LOCKD_PORT] = "lockd";
	t.v[HOST_KTRACE_BACKGROUND_PORT] = "ktrace background notification";
	t.v[HOST_SEATBELT_PORT] = "seatbelt";
	t.v[HOST_KEXTD_PORT] = "kextd";
	t.v[HOST_LAUNCHCTL_PORT] = "launchctl";
	t.v[HOST_UNFREED_PORT] = "fairplay";
	t.v[HOST_AMFID_PORT] = "amfi";
	t.v[HOST_GSSD_PORT] = "gssd";
	t.v[HOST_TELEMETRY_PORT] = "telemetry";
	t.v[HOST_ATM_NOTIFICATION_PORT] = "atm notification";
	t.v[HOST_COALITION_PORT] = "coalition notification";
	t.v[HOST_SYSDIAGNOSE_PORT] = "sysdiagnose notification";
	t.v[HOST_XPC_EXCEPTION_PORT] = "XPC exception";
	t.v[HOST_CONTAINERD_PORT] = "container manager";
	t.v[HOST_NODE_PORT] = "node";
	t.v[HOST_RESOURCE_NOTIFY_PORT] = "resource notify";
	t.v[HOST_CLOSURED_PORT] = "closured";
	t.v[HOST_SYSPOLICYD_PORT] = "syspolicyd";
	t.v[HOST_FILECOORDINATIOND_PORT] = "filecoordinationd";
	t.v[HOST_FAIRPLAYD_PORT] = "fairplayd";
	t.v[HOST_IOCOMPRESSIONSTATS_PORT] = "I/O compression stats";
	t.v[HOST_MEMORY_ERROR_PORT] = "memory error stats";
	t.v[HOST_MANAGEDAPPDISTD_PORT] = "managedappdistributiond";
	t.v[HOST_DOUBLEAGENTD_PORT] = "doubleagentd";
	return t;
}();
static_assert(HOST_DOUBLEAGENTD_PORT == HOST_MAX_SPECIAL_PORT,
	      "all host special ports must have descriptions");

constexpr auto task_descs = [] {
	table<TASK_MAX_SPECIAL_PORT + 1> t;
	t.v[TASK_KERNEL_PORT] = "kernel";
	t.v[TASK_HOST_PORT] = "host";
	t.v[TASK_NAME_PORT] = "name";
	t.v[TASK_BOOTSTRAP_PORT] = "bootstrap";
	t.v[TASK_INSPECT_PORT] = "inspect";
	t.v[TASK_READ_PORT] = "read";
	t.v[TASK_ACCESS_PORT] = "access";
	t.v[TASK_DEBUG_CONTROL_PORT] = "debug control";
	t.v[TASK_RESOURCE_NOTIFY_PORT] = "resource notify";
	return t;
}();
static_assert(TASK_RESOURCE_NOTIFY_PORT == TASK_MAX_SPECIAL_PORT,
	      "all task special ports must have descriptions");

constexpr auto thread_descs = [] {
	table<THREAD_MAX_SPECIAL_PORT + 1> t;
	t.v[THREAD_KERNEL_PORT] = "kernel";
	t.v[THREAD_INSPECT_PORT] = "inspect";
	t.v[THREAD_READ_PORT] = "read";
	return t;
}();
static_assert(THREAD_READ_PORT == THREAD_MAX_SPECIAL_PORT,
	      "all thread special ports must have descriptions");

#define SP_ENTRY(t, id) ((t).v[id] = #id)

constexpr auto host_ids = [] {
	table<HOST_FILECOORDINATIOND_PORT + 1> t;
	SP_ENTRY(t, HOST_PORT);
	SP_ENTRY(t, HOST_PRIV_PORT);
	SP_ENTRY(t, HOST_IO_MAIN_PORT);
	SP_ENTRY(t, HOST_DYNAMIC_PAGER_PORT);
	SP_ENTRY(t, HOST_AUDIT_CONTROL_PORT);
	SP_ENTRY(t, HOST_USER_NOTIFICATION_PORT);
	SP_ENTRY(t, HOST_AUTOMOUNTD_PORT);
	SP_ENTRY(t, HOST_LOCKD_PORT);
	SP_ENTRY(t, HOST_KTRACE_BACKGROUND_PORT);
	SP_ENTRY(t, HOST_SEATBELT_PORT);
	SP_ENTRY(t, HOST_KEXTD_PORT);
	SP_ENTRY(t, HOST_LAUNCHCTL_PORT);
	SP_ENTRY(t, HOST_UNFREED_PORT);
	SP_ENTRY(t, HOST_AMFID_PORT);
	SP_ENTRY(t, HOST_GSSD_PORT);
	SP_ENTRY(t, HOST_TELEMETRY_PORT);
	SP_ENTRY(t, HOST_ATM_NOTIFICATION_PORT);
	SP_ENTRY(t, HOST_COALITION_PORT);
	SP_ENTRY(t, HOST_SYSDIAGNOSE_PORT);
	SP_ENTRY(t, HOST_XPC_EXCEPTION_PORT);
	SP_ENTRY(t, HOST_CONTAINERD_PORT);
	SP_ENTRY(t, HOST_NODE_PORT);
	SP_ENTRY(t, HOST_RESOURCE_NOTIFY_PORT);
	SP_ENTRY(t, HOST_CLOSURED_PORT);
	SP_ENTRY(t, HOST_SYSPOLICYD_PORT);
	SP_ENTRY(t, HOST_FILECOORDINATIOND_PORT);
	return t;
}();

constexpr auto task_ids = [] {
	table<TASK_MAX_SPECIAL_PORT + 1> t;
	SP_ENTRY(t, TASK_KERNEL_PORT);
	SP_ENTRY(t, TASK_HOST_PORT);
	SP_ENTRY(t, TASK_NAME_PORT);
	SP_ENTRY(t, TASK_BOOTSTRAP_PORT);
	SP_ENTRY(t, TASK_INSPECT_PORT);
	SP_ENTRY(t, TASK_READ_PORT);
	SP_ENTRY(t, TASK_ACCESS_PORT);
	SP_ENTRY(t, TASK_DEBUG_CONTROL_PORT);
	SP_ENTRY(t, TASK_RESOURCE_NOTIFY_PORT);
	return t;
}();

constexpr auto thread_ids = [] {
	table<THREAD_MAX_SPECIAL_PORT + 1> t;
	SP_ENTRY(t, THREAD_KERNEL_PORT);
	SP_ENTRY(t, THREAD_INSPECT_PORT);
	SP_ENTRY(t, THREAD_READ_PORT);
	return t;
}();

#undef SP_ENTRY

} // namespace

extern "C" {

const char *mach_host_special_port_description(int offset)
{
	return describe(host_descs.v, offset);
}

const char *mach_task_special_port_description(int offset)
{
	return describe(task_descs.v, offset);
}

const char *mach_thread_special_port_description(int offset)
{
	return describe(thread_descs.v, offset);
}

int mach_host_special_port_for_id(const char *id)
{
	return for_id(host_ids.v, id);
}

int mach_task_special_port_for_id(const char *id)
{
	return for_id(task_ids.v, id);
}

int mach_thread_special_port_for_id(const char *id)
{
	return for_id(thread_ids.v, id);
}

} // extern "C"
