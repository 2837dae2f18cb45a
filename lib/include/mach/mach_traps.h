/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mach_traps.h>, the raw traps (no retry, no caching). */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A fresh receive right on every call; MACH_PORT_NULL on failure. */
extern mach_port_name_t mach_reply_port(void);
/* Each returns a send right and adds one uref on every call. */
extern mach_port_name_t task_self_trap(void);
extern mach_port_name_t thread_self_trap(void);
extern mach_port_name_t host_self_trap(void);

/*
 * Task ports of other processes.  target_tport must be the caller's own
 * task port.  Every refusal is KERN_FAILURE with MACH_PORT_NULL (or -1)
 * stored, as on Darwin.  task_for_pid is allowed when ptrace(2) would let
 * the caller attach (same uid, dumpable, or CAP_SYS_PTRACE);
 * task_name_for_pid when the caller has the target's uids or
 * CAP_SYS_PTRACE.
 */
extern kern_return_t task_for_pid(mach_port_name_t target_tport, int pid,
				  mach_port_name_t *t);
extern kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid,
				       mach_port_name_t *tn);
extern kern_return_t pid_for_task(mach_port_name_t t, int *x);

extern mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg,
				       mach_msg_option_t option,
				       mach_msg_size_t send_size,
				       mach_msg_size_t rcv_size,
				       mach_port_name_t rcv_name,
				       mach_msg_timeout_t timeout,
				       mach_port_name_t notify);

extern mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg,
						 mach_msg_option_t option,
						 mach_msg_size_t send_size,
						 mach_msg_size_t rcv_limit,
						 mach_port_name_t rcv_name,
						 mach_msg_timeout_t timeout,
						 mach_port_name_t notify,
						 mach_msg_header_t *rcv_msg,
						 mach_msg_size_t rcv_scatter_size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_TRAPS_H_ */
