/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
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
#include <mach/mig.h>
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

/*
 * MIG's server loop.  Receives requests on rcv_name (a receive right or a
 * port set) into a buffer of max_size bytes plus the trailer the options
 * ask for (grown and retried when MACH_RCV_LARGE is given and a request is
 * bigger), hands each to demux, and sends the reply demux built unless its
 * RetCode is MIG_NO_REPLY; when RetCode is an error the request's rights
 * and memory are destroyed (the server did not take them).  A reply to a
 * send right goes with MACH_SEND_TIMEOUT and timeout 0, so that a client
 * that does not receive cannot block the server; an undeliverable reply is
 * destroyed.  mach_msg_server runs until a receive fails and returns that
 * code; mach_msg_server_once serves one request.  options: MACH_RCV_LARGE,
 * MACH_RCV_TRAILER_*, MACH_SEND_TRAILER, MACH_*_INTERRUPT, ...
 */
extern mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *,
								 mach_msg_header_t *),
					      mach_msg_size_t max_size,
					      mach_port_t rcv_name,
					      mach_msg_options_t options);
extern mach_msg_return_t mach_msg_server(boolean_t (*demux)(mach_msg_header_t *,
							    mach_msg_header_t *),
					 mach_msg_size_t max_size,
					 mach_port_t rcv_name,
					 mach_msg_options_t options);
/* Darwin's variant for adaptive daemons: here exactly mach_msg_server. */
extern mach_msg_return_t mach_msg_server_importance(boolean_t (*demux)(mach_msg_header_t *,
								       mach_msg_header_t *),
						    mach_msg_size_t max_size,
						    mach_port_t rcv_name,
						    mach_msg_options_t options);
/*
 * Starts a mig_reply_error_t reply to request as Darwin does: the reply
 * goes to the request's msgh_local_port with its local disposition, id + 100,
 * NDR_record; RetCode is left to the caller.
 */
extern void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_H_ */
