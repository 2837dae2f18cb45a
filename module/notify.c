// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-originated messages: notifications (XNU's ipc_notify.c) and the
 * answer to requests sent to kernel-object ports.
 *
 * Notifications that a request arms (no-senders, port-destroyed, dead-name
 * and port-deleted) are built when the request is made, so firing one never
 * allocates: it can happen under a port lock, and it cannot fail.  Each
 * holds the send-once right it will be sent on; destroying an unfired one
 * destroys that right, which sends the notify port its SEND_ONCE
 * notification, as XNU does when a request dies with its port.
 *
 * A SEND_ONCE notification is built when a send-once right dies; if that
 * allocation fails the right is used up silently, so no port keeps a
 * send-once count nobody can consume.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipc.h"

#define MIG_BAD_ID	(-303)
#define NDR_SIZE	8
/* header + NDR + one word: PORT_DELETED, NO_SENDERS, DEAD_NAME, MIG errors */
#define NOTIFY_WORD_SIZE	(sizeof(struct mach_msg_header) + NDR_SIZE + 4)
/* header + body + port descriptor: PORT_DESTROYED */
#define NOTIFY_DESTROYED_SIZE	(sizeof(struct mach_msg_header) + 4 + \
				 MACH_MSG_PORT_DESCRIPTOR_SIZE)

/* NDR_record_t as Darwin's MIG writes it for x86_64 (little endian). */
static const u8 ndr_record[NDR_SIZE] = { 0, 0, 0, 0, 1, 0, 0, 0 };

struct mach_kmsg *mach_kmsg_kernel_alloc(u32 size)
{
	struct mach_kmsg *kmsg = mach_kmsg_alloc(size);

	if (kmsg)
		mach_kmsg_set_kernel_sender(kmsg);
	return kmsg;
}

static struct mach_kmsg *word_msg(struct mach_port *dest, u32 dest_type, s32 id)
{
	struct mach_kmsg *kmsg = mach_kmsg_kernel_alloc(NOTIFY_WORD_SIZE);

	if (!kmsg)
		return NULL;
	memcpy(kmsg->body, ndr_record, NDR_SIZE);
	kmsg->dest = dest;
	kmsg->bits = MACH_MSGH_BITS(dest_type, 0);
	kmsg->id = id;
	return kmsg;
}

void mach_notify_set_word(struct mach_kmsg *kmsg, s32 id, u32 word)
{
	kmsg->id = id;
	memcpy(kmsg->body + NDR_SIZE, &word, sizeof(word));
}

/*
 * A notification of @id to be sent later on the send-once right @notify
 * (consumed only on success).
 */
struct mach_kmsg *mach_notify_prepare(struct mach_port *notify, s32 id)
{
	struct mach_kmsg *kmsg;

	if (id == MACH_NOTIFY_PORT_DESTROYED) {
		struct mach_msg_body body = { .msgh_descriptor_count = 1 };

		kmsg = mach_kmsg_kernel_alloc(NOTIFY_DESTROYED_SIZE);
		if (!kmsg)
			return NULL;
		kmsg->descs = kzalloc(sizeof(*kmsg->descs), GFP_KERNEL_ACCOUNT);
		if (!kmsg->descs) {
			mach_kmsg_free(kmsg);
			return NULL;
		}
		memcpy(kmsg->body, &body, sizeof(body));
		kmsg->descs[0].offset = sizeof(body);
		kmsg->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
		kmsg->descs[0].disp = MACH_MSG_TYPE_PORT_RECEIVE;
		kmsg->dest = notify;
		kmsg->bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0) |
			     MACH_MSGH_BITS_COMPLEX;
		kmsg->id = id;
		return kmsg;
	}
	return word_msg(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, id);
}

/* Hand a prepared PORT_DESTROYED notification the receive right. */
void mach_notify_attach_receive(struct mach_kmsg *kmsg, struct mach_port *port)
{
	kmsg->descs[0].port = port;
	kmsg->ndesc = 1;
}

/* The notify port a prepared notification would go to, taking its right. */
struct mach_port *mach_notify_unprepare(struct mach_kmsg *kmsg)
{
	struct mach_port *notify = kmsg->dest;

	kmsg->dest = NULL;
	mach_kmsg_free(kmsg);
	return notify;
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
	bool deliver;

	/*
	 * As XNU's ipc_notify_send_once_and_unlock: no notification to a dead
	 * port, a kernel object, or a queue at the kernel's limit.  The last
	 * matters most: the notification would be destroyed undelivered,
	 * which releases its send-once right, which would build the next
	 * notification to the same full port, for ever.
	 */
	spin_lock(&port->lock);
	deliver = port->active && port->kobject_type == MACH_KOBJ_NONE &&
		  port->msgcount < MACH_PORT_QLIMIT_KERNEL;
	spin_unlock(&port->lock);
	if (!deliver) {
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
 *
 * As in XNU's ipc_kmsg_send, the reply goes out with the request's own
 * options and timeout, as if the requester had sent it: it obeys the reply
 * port's qlimit and byte limit (a send-once reply, like any send-once
 * message, may pass the qlimit up to the kernel's limit), and the requester
 * waits for room as for any send.  A reply that cannot be queued is
 * destroyed: the request itself was delivered.
 */
void mach_kobject_server(struct mach_kmsg *req, u32 option, u32 timeout,
			 struct mach_reap *reap)
{
	u32 reply_type = MACH_MSGH_BITS_LOCAL(req->bits);
	struct mach_kmsg *reply;

	if (MACH_PORT_PTR_VALID(req->reply)) {
		reply = word_msg(req->reply, reply_type, req->id + 100);
		if (reply) {
			mach_notify_set_word(reply, req->id + 100, (u32)MIG_BAD_ID);
			req->reply = NULL;
			if (mach_mqueue_send(reply, option, timeout, reap) != MACH_MSG_SUCCESS)
				list_add_tail(&reply->link, &reap->kmsgs_destroy);
		}
	}
	list_add_tail(&req->link, &reap->kmsgs_destroy);
}

/*
 * mach_port_request_notification on @space, the caller's own or another
 * task's.  Entered with the caller's @from locked.  The notify right is
 * copied in from @from first, as MIG would; if the request then fails it is
 * destroyed (which notifies its port), as MIG's server would.  The request
 * is made under @space's lock, the previous right copied out under
 * @from's (*lockedp: the one held on return).
 */
int mach_notify_request(struct mach_space *from, struct mach_space *space,
			struct mach_ioc_port_notify *a, struct mach_reap *reap,
			struct mach_space **lockedp)
{
	struct mach_port *notify = NULL, *port, *prev = NULL;
	struct mach_kmsg *kmsg = NULL, **slot, *old;
	struct mach_entry *entry;
	int kr;

	if (a->notify != MACH_PORT_NULL) {
		if (a->notify_type != MACH_MSG_TYPE_MAKE_SEND_ONCE &&
		    a->notify_type != MACH_MSG_TYPE_MOVE_SEND_ONCE)
			return MACH_SEND_INVALID_TYPE;
		if (a->notify == MACH_PORT_DEAD)
			return KERN_INVALID_CAPABILITY;
		entry = mach_entry_lookup(from, a->notify);
		if (!entry || mach_right_copyin(from, a->notify, entry, a->notify_type,
						true, &notify, reap))
			return MACH_SEND_INVALID_RIGHT;
		if (notify == MACH_PORT_DEAD_PTR)
			return KERN_INVALID_CAPABILITY;
		kmsg = mach_notify_prepare(notify, a->msgid == MACH_NOTIFY_PORT_DESTROYED ?
					   MACH_NOTIFY_PORT_DESTROYED :
					   MACH_NOTIFY_DEAD_NAME);
		if (!kmsg) {
			kr = KERN_RESOURCE_SHORTAGE;
			goto fail;
		}
	}

	if (!mach_space_switch(from, space, lockedp)) {
		kr = MACH_SEND_INVALID_DEST;
		goto fail;
	}
	switch (a->msgid) {
	case MACH_NOTIFY_PORT_DESTROYED:
	case MACH_NOTIFY_NO_SENDERS:
		if (a->msgid == MACH_NOTIFY_PORT_DESTROYED && a->sync != 0) {
			kr = KERN_INVALID_VALUE;
			goto fail;
		}
		if (!MACH_PORT_VALID(a->name)) {
			kr = KERN_INVALID_RIGHT;
			goto fail;
		}
		kr = mach_translate_receive(space, a->name, &port);
		if (kr)
			goto fail;
		spin_lock(&port->lock);
		slot = a->msgid == MACH_NOTIFY_NO_SENDERS ? &port->nsrequest
							  : &port->pdrequest;
		old = *slot;
		*slot = kmsg;
		if (kmsg && a->msgid == MACH_NOTIFY_NO_SENDERS) {
			mach_notify_set_word(kmsg, MACH_NOTIFY_NO_SENDERS, port->mscount);
			/* already satisfied: fire at once */
			if (port->srights == 0 && a->sync <= port->mscount) {
				*slot = NULL;
				list_add_tail(&kmsg->link, &reap->kmsgs_send);
			}
		}
		spin_unlock(&port->lock);
		break;

	case MACH_NOTIFY_DEAD_NAME:
		kr = mach_dnrequest(space, a->name, a->sync != 0, kmsg, &old, reap);
		if (kr)
			goto fail;
		break;

	case MACH_NOTIFY_SEND_POSSIBLE:
		kr = mach_sprequest(space, a->name, a->sync != 0, kmsg, &old, reap);
		if (kr)
			goto fail;
		break;

	default:
		kr = KERN_INVALID_VALUE;
		goto fail;
	}

	/* the previous request's right comes back as a send-once name */
	a->previous = MACH_PORT_NULL;
	if (old) {
		prev = mach_notify_unprepare(old);
		/* the caller's space stays open while its ioctl runs */
		mach_space_switch(space, from, lockedp);
		if (mach_right_copyout(from, prev, MACH_MSG_TYPE_PORT_SEND_ONCE, true,
				       &a->previous, reap))
			mach_port_release_sonce(prev, reap);
	}
	return KERN_SUCCESS;
fail:
	if (kmsg)
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
	else if (MACH_PORT_PTR_VALID(notify))
		mach_port_release_sonce(notify, reap);
	return kr;
}

/*
 * MACH_SEND_NOTIFY (ipc_kmsg_copyin_header): before the send copies in its
 * destination, look at the name's request.  A full queue arms a
 * send-possible request that still holds its right (the send itself then
 * blocks or times out as any other); a queue with room lets the send
 * through even if it fills meanwhile (MACH_SEND_ALWAYS), whatever the
 * request.  Nothing happens for a send-once destination, a name without a
 * request, or a dead or kernel-served port.
 */
void mach_notify_send_arm(struct mach_space *space, struct mach_kmsg *kmsg,
			  u32 *option)
{
	u32 dest_type = MACH_MSGH_BITS_REMOTE(kmsg->bits);
	u32 name = (u32)(unsigned long)kmsg->dest;	/* still a name: see mach_kmsg_get */
	struct mach_entry *entry;
	struct mach_dnreq *d;
	struct mach_port *port;

	if (dest_type == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
	    dest_type == MACH_MSG_TYPE_MAKE_SEND_ONCE || !MACH_PORT_VALID(name))
		return;
	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	d = entry ? entry->dnreq : NULL;
	port = d ? d->port : NULL;
	if (port && port == entry->port) {
		spin_lock(&port->lock);
		if (port->active && !mach_kobject_served(port->kobject_type)) {
			if (port->msgcount < port->qlimit) {
				*option |= MACH_SEND_ALWAYS;
			} else if (d->sp && d->kmsg && !d->armed) {
				d->armed = true;
				port->sparmed++;
				entry->type = (entry->type & ~MACH_PORT_TYPE_SPREQUEST_DELAYED) |
					      MACH_PORT_TYPE_SPREQUEST;
			}
		}
		spin_unlock(&port->lock);
	}
	mutex_unlock(&space->lock);
}

/*
 * ipc_port_spnotify: a message was received from @port; every armed
 * send-possible request on it fires once, as MACH_NOTIFY_SEND_POSSIBLE,
 * and stays in its name's slot empty.
 */
void mach_port_spnotify(struct mach_port *port, struct mach_reap *reap)
{
	struct mach_dnreq *d, *tmp;
	struct mach_kmsg *kmsg;

	spin_lock(&port->lock);
	if (port->active && port->sparmed) {
		list_for_each_entry_safe(d, tmp, &port->dnrequests, link) {
			if (!d->armed)
				continue;
			d->armed = false;
			port->sparmed--;
			list_del_init(&d->link);
			kmsg = d->kmsg;
			d->kmsg = NULL;
			kmsg->id = MACH_NOTIFY_SEND_POSSIBLE;
			list_add_tail(&kmsg->link, &reap->kmsgs_send);
			if (!port->sparmed)
				break;
		}
	}
	spin_unlock(&port->lock);
}
