/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/clock_types.h>, the time types Mach calls take. */
#ifndef _MACH_CLOCK_TYPES_H_
#define _MACH_CLOCK_TYPES_H_

#include <mach/std_types.h>

typedef int	alarm_type_t;
typedef int	sleep_type_t;
typedef int	clock_id_t;
typedef int	clock_flavor_t;
typedef int	*clock_attr_t;
typedef int	clock_res_t;

struct mach_timespec {
	unsigned int	tv_sec;
	clock_res_t	tv_nsec;
};
typedef struct mach_timespec	mach_timespec_t;

#define NSEC_PER_USEC	1000ull
#define USEC_PER_SEC	1000000ull
#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_MSEC	1000000ull

#define BAD_MACH_TIMESPEC(t) \
	((t)->tv_nsec < 0 || (t)->tv_nsec >= (long)NSEC_PER_SEC)

/* t1 <=> t2, also (1) means t1 > t2 */
#define CMP_MACH_TIMESPEC(t1, t2) \
	((t1)->tv_sec > (t2)->tv_sec ? (1) : \
	 (t1)->tv_sec < (t2)->tv_sec ? (-1) : \
	 (t1)->tv_nsec > (t2)->tv_nsec ? (1) : \
	 (t1)->tv_nsec < (t2)->tv_nsec ? (-1) : 0)

#endif /* _MACH_CLOCK_TYPES_H_ */
