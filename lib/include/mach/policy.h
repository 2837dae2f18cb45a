/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/policy.h>, the scheduling policy names thread_info reports. */
#ifndef _MACH_POLICY_H_
#define _MACH_POLICY_H_

typedef int policy_t;

#define POLICY_NULL		0
#define POLICY_TIMESHARE	1
#define POLICY_RR		2
#define POLICY_FIFO		4

#endif /* _MACH_POLICY_H_ */
