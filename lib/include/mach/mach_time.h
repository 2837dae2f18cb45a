/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mach_time.h>.
 *
 * Darwin's clocks on Linux's, read through the vDSO (clock_gettime, no
 * system call where the clocksource allows it):
 *   mach_absolute_time            CLOCK_MONOTONIC: stops while the machine
 *                                 sleeps, as Darwin's absolute time does
 *   mach_approximate_time         CLOCK_MONOTONIC_COARSE (one tick's grain)
 *   mach_continuous_time          CLOCK_BOOTTIME: goes on counting in sleep
 *   mach_continuous_approximate_time  CLOCK_BOOTTIME (Linux has no coarse
 *                                 boot-time clock; the precise one is as cheap)
 * The unit is the nanosecond: mach_timebase_info gives 1/1, as on Intel
 * Macs.  mach_wait_until sleeps until an absolute-time deadline.  The same
 * clock (CLOCK_MONOTONIC) is what mk_timer deadlines are measured in.
 */
#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>
#include <mach/kern_return.h>

struct mach_timebase_info {
	uint32_t numer;
	uint32_t denom;
};

typedef struct mach_timebase_info	*mach_timebase_info_t;
typedef struct mach_timebase_info	mach_timebase_info_data_t;

#ifdef __cplusplus
extern "C" {
#endif

extern kern_return_t mach_timebase_info(mach_timebase_info_t info);
/* KERN_SUCCESS at or after the deadline; KERN_ABORTED if a signal came first. */
extern kern_return_t mach_wait_until(uint64_t deadline);
extern uint64_t mach_absolute_time(void);
extern uint64_t mach_approximate_time(void);
extern uint64_t mach_continuous_time(void);
extern uint64_t mach_continuous_approximate_time(void);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_TIME_H_ */
