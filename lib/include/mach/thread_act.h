/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/thread_act.h>, the thread calls libmach implements. */
#ifndef _MACH_THREAD_ACT_H_
#define _MACH_THREAD_ACT_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/thread_info.h>
#include <mach/thread_special_ports.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * target_act: a thread port of the caller's own task (mach_thread_self());
 * a thread that has exited, or any other right, gives KERN_INVALID_ARGUMENT.
 */
kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_THREAD_ACT_H_ */
