/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/thread_info.h>, Darwin's LP64 layouts.  mach.ko fills
 * THREAD_BASIC_INFO and THREAD_IDENTIFIER_INFO for the caller's own
 * threads; other flavours give KERN_INVALID_ARGUMENT.
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <stdint.h>
#include <mach/message.h>
#include <mach/machine/vm_types.h>
#include <mach/time_value.h>
#include <mach/policy.h>

typedef natural_t	thread_flavor_t;
typedef integer_t	*thread_info_t;

#define THREAD_INFO_MAX		(32)
typedef integer_t	thread_info_data_t[THREAD_INFO_MAX];

#define THREAD_BASIC_INFO	3

struct thread_basic_info {
	time_value_t	user_time;
	time_value_t	system_time;
	integer_t	cpu_usage;	/* scaled by TH_USAGE_SCALE */
	policy_t	policy;
	integer_t	run_state;
	integer_t	flags;
	integer_t	suspend_count;
	integer_t	sleep_time;
};
typedef struct thread_basic_info	thread_basic_info_data_t;
typedef struct thread_basic_info	*thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

#define THREAD_IDENTIFIER_INFO	4

struct thread_identifier_info {
	uint64_t	thread_id;	/* here: the thread's Linux tid */
	uint64_t	thread_handle;	/* here: its TLS base, pthread_self() */
	uint64_t	dispatch_qaddr;
};
typedef struct thread_identifier_info	thread_identifier_info_data_t;
typedef struct thread_identifier_info	*thread_identifier_info_t;
#define THREAD_IDENTIFIER_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(thread_identifier_info_data_t) / sizeof(natural_t)))

#define TH_USAGE_SCALE		1000

#define TH_STATE_RUNNING	1
#define TH_STATE_STOPPED	2
#define TH_STATE_WAITING	3
#define TH_STATE_UNINTERRUPTIBLE 4
#define TH_STATE_HALTED		5

#define TH_FLAGS_SWAPPED	0x1
#define TH_FLAGS_IDLE		0x2
#define TH_FLAGS_GLOBAL_FORCED_IDLE 0x4

#endif /* _MACH_THREAD_INFO_H_ */
