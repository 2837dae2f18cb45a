/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/notify.h>.  The notification ids are in <linux/mach.h>;
 * these are Darwin's fixed receive layouts for them (LP64: deleted, no-senders
 * and dead-name are 56 bytes, destroyed 60, send-once 44, trailer included).
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/ndr.h>
#include <mach/mig.h>

typedef mach_port_t notify_port_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_send_possible_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_body_t			not_body;
	mach_msg_port_descriptor_t	not_port;	/* MACH_MSG_TYPE_PORT_RECEIVE */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_msg_type_number_t		not_count;
	mach_msg_format_0_trailer_t	trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_format_0_trailer_t	trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_dead_name_notification_t;

/*
 * The notification server: a MIG demux for the notify subsystem (msgh_ids
 * MACH_NOTIFY_FIRST .. MACH_NOTIFY_DEAD_NAME), laid out and checked as the
 * server Darwin's notify.defs generates, for mach_msg_server and friends.
 * It calls the do_mach_notify_* routines below, which the program defines
 * (as with a generated server, the first argument is the port the
 * notification arrived on).  A routine the program does not define is
 * treated as not served: the message gets a MIG_BAD_ID reply and
 * notify_server returns FALSE, so mach_msg_server destroys what it
 * carried.  A program that links its own generated notify server uses that
 * one instead.
 */
#ifdef __cplusplus
extern "C" {
#endif

extern boolean_t notify_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
/* The stub notify_server would run for this message, or NULL. */
extern mig_routine_t notify_server_routine(mach_msg_header_t *InHeadP);

extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_port_deleted(mach_port_t notify,
								    mach_port_name_t name);
extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_send_possible(mach_port_t notify,
								     mach_port_name_t name);
/* Returning KERN_SUCCESS takes the receive right, else it is destroyed. */
extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_port_destroyed(mach_port_t notify,
								      mach_port_t rights);
extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_no_senders(mach_port_t notify,
								  mach_port_mscount_t mscount);
extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_send_once(mach_port_t notify);
extern MIG_SERVER_ROUTINE kern_return_t do_mach_notify_dead_name(mach_port_t notify,
								 mach_port_name_t name);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_NOTIFY_H_ */
