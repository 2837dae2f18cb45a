/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mach_init.h>.  mach_task_self_ is set when libmach is
 * loaded (and again in a forked child); it stays MACH_PORT_NULL when
 * /dev/mach is not there.
 */
#ifndef _MACH_INIT_H_
#define _MACH_INIT_H_

#include <mach/mach_types.h>
#include <mach/vm_page_size.h>

#ifdef __cplusplus
extern "C" {
#endif

extern mach_port_t mach_task_self_;
#define mach_task_self()	mach_task_self_
#define current_task()		mach_task_self()

/* A new send right (+1 uref) to the calling thread; mach_port_deallocate it. */
extern mach_port_t mach_thread_self(void);
/*
 * A send right to the host port (+1 uref on the space's one name for it,
 * as XNU's host_self_trap); mach_port_deallocate it.
 */
extern mach_port_t mach_host_self(void);
extern kern_return_t host_page_size(host_t host, vm_size_t *page_size);

/* The task's bootstrap special port at load time (MACH_PORT_NULL if none). */
extern mach_port_t bootstrap_port;

#ifdef __cplusplus
}
#endif

#endif /* _MACH_INIT_H_ */
