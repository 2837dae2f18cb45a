// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-originated messages: notifications (XNU's ipc_notify.c) and the
 * answer to requests sent to kernel-object ports.
 *
 * A notification consumes the send-once right it is sent on: if it cannot
 * be built, the right is released silently instead, so no port ever keeps
 * a send-once count nobody can use up.
 */
#include <linux/slab.h>
#include "ipc.h"

#define MIG_BAD_ID	(-303)

/* NDR_record_t as Darwin's MIG writes it for x86_64 (little endian). */
static const u8 ndr_record[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };

/* mig_reply_error_t: header, NDR record, RetCode */
#define MIG_REPLY_ERROR_SIZE	(sizeof(struct mach_msg_header) + 8 + 4)

struct mach_kmsg *mach_kmsg_kernel_alloc(u32 size)
{
	struct mach_kmsg *kmsg = mach_kmsg_alloc(size);

	if (kmsg)
		mach_kmsg_set_kernel_sender(kmsg);
	return kmsg;
}

static void release_sonce_silently(struct mach_port *port)
{
	spin_lock(&port->lock);
	if (!WARN_ON_ONCE(port->sorights == 0))
		port->sorights--;
	spin_unlock(&port->lock);
	mach_port_put(port);
}

/*
 * MACH_NOTIFY_SEND_ONCE (71): a send-once right to @port died unused.
 * Consumes the right and its reference.
 */
void mach_notify_send_once(struct mach_port *port, struct mach_reap *reap)
{
	struct mach_kmsg *kmsg;
	bool active;

	spin_lock(&port->lock);
	active = port->active;
	spin_unlock(&port->lock);
	if (!active) {
		release_sonce_silently(port);
		return;
	}
	kmsg = mach_kmsg_kernel_alloc(sizeof(struct mach_msg_header));
	if (!kmsg) {
		release_sonce_silently(port);
		return;
	}
	kmsg->dest = port;
	kmsg->bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	kmsg->id = MACH_NOTIFY_SEND_ONCE;
	list_add_tail(&kmsg->link, &reap->kmsgs_send);
}

/*
 * Nothing in the kernel serves requests on task or thread ports yet: like
 * XNU for an unknown routine, answer MIG_BAD_ID to the reply port, so a
 * client waiting for the reply does not hang.
 */
void mach_kobject_server(struct mach_kmsg *req, struct mach_reap *reap)
{
	u32 reply_type = MACH_MSGH_BITS_LOCAL(req->bits);
	s32 ret_code = MIG_BAD_ID;
	struct mach_kmsg *reply;

	if (!MACH_PORT_PTR_VALID(req->reply))
		goto out;
	reply = mach_kmsg_kernel_alloc(MIG_REPLY_ERROR_SIZE);
	if (!reply)
		goto out;
	memcpy(reply->body, ndr_record, sizeof(ndr_record));
	memcpy(reply->body + sizeof(ndr_record), &ret_code, sizeof(ret_code));
	reply->dest = req->reply;
	reply->bits = MACH_MSGH_BITS(reply_type, 0);
	reply->id = req->id + 100;
	req->reply = NULL;
	list_add_tail(&reply->link, &reap->kmsgs_send);
out:
	list_add_tail(&req->link, &reap->kmsgs_destroy);
}
