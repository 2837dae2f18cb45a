// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// <mach/mach_time.h>: Darwin's clocks in nanoseconds from Linux's clocks.
// clock_gettime goes through the vDSO, so reading a clock costs no system
// call; only mach_wait_until enters the kernel.

#include "libmach.h"

#include <mach/mach_time.h>

#include <cerrno>
#include <ctime>

namespace {

constexpr uint64_t nsec_per_sec = 1000000000ULL;

uint64_t read_clock(clockid_t id)
{
	struct timespec ts;

	// Cannot fail for these clock ids on any kernel libmach supports.
	clock_gettime(id, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * nsec_per_sec +
	       static_cast<uint64_t>(ts.tv_nsec);
}

} // namespace

extern "C" {

kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	info->numer = 1;
	info->denom = 1;
	return KERN_SUCCESS;
}

uint64_t mach_absolute_time(void)
{
	return read_clock(CLOCK_MONOTONIC);
}

uint64_t mach_approximate_time(void)
{
	return read_clock(CLOCK_MONOTONIC_COARSE);
}

uint64_t mach_continuous_time(void)
{
	return read_clock(CLOCK_BOOTTIME);
}

uint64_t mach_continuous_approximate_time(void)
{
	return read_clock(CLOCK_BOOTTIME);
}

// XNU's mach_wait_until_trap waits abort-safe: a signal ends the wait with
// KERN_ABORTED.  clock_nanosleep returns EINTR after a handler ran whatever
// SA_RESTART says, which is that.
kern_return_t mach_wait_until(uint64_t deadline)
{
	struct timespec ts;
	int err;

	ts.tv_sec = static_cast<time_t>(deadline / nsec_per_sec);
	ts.tv_nsec = static_cast<long>(deadline % nsec_per_sec);
	err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
	if (err == EINTR)
		return KERN_ABORTED;
	return err ? KERN_INVALID_ARGUMENT : KERN_SUCCESS;
}

} // extern "C"
