/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmach: <mach/mach.h>, the umbrella header of Darwin's Mach API on Linux
 * (/dev/mach, mach.ko).
 */
#ifndef _MACH_H_
#define _MACH_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_init.h>
#include <mach/mach_traps.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/mach_error.h>
#include <mach/notify.h>
#include <mach/ndr.h>
#include <mach/vm_param.h>
#include <mach/vm_statistics.h>
#include <mach/semaphore.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Releases every right and all out-of-line memory a message carries. */
extern void mach_msg_destroy(mach_msg_header_t *msg);
/* Receive on msg->msgh_local_port into msg, msg->msgh_size bytes. */
extern mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);
/* Send msg, msg->msgh_size bytes. */
extern mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_H_ */
