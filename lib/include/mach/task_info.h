/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/task_info.h>, Darwin's LP64 layouts (packed at 4).
 * mach.ko fills TASK_BASIC_INFO_32, TASK_BASIC_INFO_64 (TASK_BASIC_INFO),
 * TASK_BASIC2_INFO_32, MACH_TASK_BASIC_INFO, TASK_THREAD_TIMES_INFO,
 * TASK_SECURITY_TOKEN and TASK_AUDIT_TOKEN; other flavours give
 * KERN_INVALID_ARGUMENT.
 */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <mach/message.h>
#include <mach/machine/vm_types.h>
#include <mach/time_value.h>
#include <mach/policy.h>
#include <mach/vm_types.h>

typedef natural_t	task_flavor_t;
typedef integer_t	*task_info_t;

#define TASK_INFO_MAX	(1024)
typedef integer_t	task_info_data_t[TASK_INFO_MAX];

#pragma pack(push, 4)

#define TASK_BASIC_INFO_32	4
#define TASK_BASIC2_INFO_32	6

struct task_basic_info_32 {
	integer_t	suspend_count;
	natural_t	virtual_size;
	natural_t	resident_size;
	time_value_t	user_time;	/* terminated threads */
	time_value_t	system_time;	/* terminated threads */
	policy_t	policy;
};
typedef struct task_basic_info_32	task_basic_info_32_data_t;
typedef struct task_basic_info_32	*task_basic_info_32_t;
#define TASK_BASIC_INFO_32_COUNT \
	(sizeof(task_basic_info_32_data_t) / sizeof(natural_t))

struct task_basic_info_64 {
	integer_t	suspend_count;
	mach_vm_size_t	virtual_size;
	mach_vm_size_t	resident_size;
	time_value_t	user_time;	/* terminated threads */
	time_value_t	system_time;	/* terminated threads */
	policy_t	policy;
};
typedef struct task_basic_info_64	task_basic_info_64_data_t;
typedef struct task_basic_info_64	*task_basic_info_64_t;
#define TASK_BASIC_INFO_64	5
#define TASK_BASIC_INFO_64_COUNT \
	(sizeof(task_basic_info_64_data_t) / sizeof(natural_t))

struct task_basic_info {
	integer_t	suspend_count;
	vm_size_t	virtual_size;
	vm_size_t	resident_size;
	time_value_t	user_time;	/* terminated threads */
	time_value_t	system_time;	/* terminated threads */
	policy_t	policy;
};
typedef struct task_basic_info	task_basic_info_data_t;
typedef struct task_basic_info	*task_basic_info_t;
#define TASK_BASIC_INFO_COUNT \
	(sizeof(task_basic_info_data_t) / sizeof(natural_t))
#define TASK_BASIC_INFO		TASK_BASIC_INFO_64

#define TASK_THREAD_TIMES_INFO	3

struct task_thread_times_info {
	time_value_t	user_time;	/* live threads */
	time_value_t	system_time;	/* live threads */
};
typedef struct task_thread_times_info	task_thread_times_info_data_t;
typedef struct task_thread_times_info	*task_thread_times_info_t;
#define TASK_THREAD_TIMES_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

#define TASK_SECURITY_TOKEN	13
#define TASK_SECURITY_TOKEN_COUNT ((mach_msg_type_number_t) \
	(sizeof(security_token_t) / sizeof(natural_t)))

#define TASK_AUDIT_TOKEN	15
#define TASK_AUDIT_TOKEN_COUNT \
	(sizeof(audit_token_t) / sizeof(natural_t))

#define MACH_TASK_BASIC_INFO	20

struct mach_task_basic_info {
	mach_vm_size_t	virtual_size;
	mach_vm_size_t	resident_size;
	mach_vm_size_t	resident_size_max;
	time_value_t	user_time;	/* terminated threads */
	time_value_t	system_time;	/* terminated threads */
	policy_t	policy;
	integer_t	suspend_count;
};
typedef struct mach_task_basic_info	mach_task_basic_info_data_t;
typedef struct mach_task_basic_info	*mach_task_basic_info_t;
#define MACH_TASK_BASIC_INFO_COUNT \
	(sizeof(mach_task_basic_info_data_t) / sizeof(natural_t))

#pragma pack(pop)

#endif /* _MACH_TASK_INFO_H_ */
