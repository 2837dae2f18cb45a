/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/sync_policy.h>, wait orders of semaphores (values in <linux/mach.h>). */
#ifndef _MACH_SYNC_POLICY_H_
#define _MACH_SYNC_POLICY_H_

#include <linux/mach.h>

typedef int sync_policy_t;

#endif /* _MACH_SYNC_POLICY_H_ */
