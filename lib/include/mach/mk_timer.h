/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mk_timer.h>, Mach timers.  A timer is a receive right the
 * caller holds; when an armed deadline (mach_absolute_time units) passes,
 * the kernel sends it an mk_timer_expire_msg_t with msgh_id 0.  At most one
 * expiry message is queued at a time.  mk_timer_destroy (or destroying the
 * receive right any other way) cancels and frees the timer.
 */
#ifndef _MACH_MK_TIMER_H_
#define _MACH_MK_TIMER_H_

#include <stdint.h>
#include <mach/message.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new timer's receive right, or MACH_PORT_NULL. */
extern mach_port_name_t mk_timer_create(void);
extern kern_return_t mk_timer_destroy(mach_port_name_t name);
extern kern_return_t mk_timer_arm(mach_port_name_t name, uint64_t expire_time);
/* result_time (may be NULL): the deadline it was armed for, or 0. */
extern kern_return_t mk_timer_cancel(mach_port_name_t name, uint64_t *result_time);
extern kern_return_t mk_timer_arm_leeway(mach_port_name_t name, uint64_t mk_timer_flags,
					 uint64_t mk_timer_expire_time, uint64_t mk_timer_leeway);

#ifdef __cplusplus
}
#endif

struct mk_timer_expire_msg {
	mach_msg_header_t	header;
	uint64_t		unused[3];
};

typedef struct mk_timer_expire_msg mk_timer_expire_msg_t;

#endif /* _MACH_MK_TIMER_H_ */
