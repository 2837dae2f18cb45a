// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <mach/mk_timer.h>: Mach timers, kernel objects of mach.ko (module/timer.c).

#include "libmach.h"

#include <cstdint>

using libmach::port_call;

namespace {

kern_return_t timer_call(unsigned long cmd, mach_port_name_t name, uint64_t flags,
			 uint64_t expire, uint64_t leeway, uint64_t *result) noexcept
{
	mach_ioc_mk_timer a{};

	a.name = name;
	a.flags = flags;
	a.expire_time = expire;
	a.leeway = leeway;
	a.result_time = reinterpret_cast<uintptr_t>(result);
	return port_call(cmd, &a);
}

} // namespace

extern "C" {

mach_port_name_t mk_timer_create(void)
{
	mach_ioc_name a{};

	return libmach::device_call(MACH_IOC_MK_TIMER_CREATE, &a) == KERN_SUCCESS ?
		a.name : MACH_PORT_NULL;
}

kern_return_t mk_timer_destroy(mach_port_name_t name)
{
	mach_ioc_name a{};

	a.name = name;
	return port_call(MACH_IOC_MK_TIMER_DESTROY, &a);
}

kern_return_t mk_timer_arm(mach_port_name_t name, uint64_t expire_time)
{
	return timer_call(MACH_IOC_MK_TIMER_ARM, name, MK_TIMER_NORMAL, expire_time, 0, nullptr);
}

kern_return_t mk_timer_arm_leeway(mach_port_name_t name, uint64_t mk_timer_flags,
				  uint64_t mk_timer_expire_time, uint64_t mk_timer_leeway)
{
	return timer_call(MACH_IOC_MK_TIMER_ARM, name, mk_timer_flags, mk_timer_expire_time,
			  mk_timer_leeway, nullptr);
}

kern_return_t mk_timer_cancel(mach_port_name_t name, uint64_t *result_time)
{
	return timer_call(MACH_IOC_MK_TIMER_CANCEL, name, 0, 0, 0, result_time);
}

} // extern "C"
