/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/thread_status.h>, the machine-independent thread state
 * types with Darwin's names and LP64 sizes (THREAD_STATE_MAX as XNU has it
 * for x86_64 and arm64).  No thread-state flavors are implemented.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <mach/machine/vm_types.h>

#if defined(__aarch64__) || defined(__arm64__)
#define THREAD_STATE_MAX	(1296)
#else
#define THREAD_STATE_MAX	(614)
#endif

typedef natural_t	*thread_state_t;
typedef natural_t	thread_state_data_t[THREAD_STATE_MAX];
typedef int		thread_state_flavor_t;
typedef thread_state_flavor_t *thread_state_flavor_array_t;

#define THREAD_STATE_FLAVOR_LIST	0
#define THREAD_STATE_FLAVOR_LIST_NEW	128
#define THREAD_STATE_FLAVOR_LIST_10_9	129
#define THREAD_STATE_FLAVOR_LIST_10_13	130
#define THREAD_STATE_FLAVOR_LIST_10_15	131

#endif /* _MACH_THREAD_STATUS_H_ */
