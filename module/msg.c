// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg_overwrite_trap as an ioctl: send, then receive (mach_msg.c).
 *
 * Order of work on receive, as XNU: the message leaves the queue under the
 * port lock, its rights are copied out under the space lock, and the bytes
 * are copied to user memory with no lock held (the copy may fault).
 */
#include <linux/uaccess.h>
#include "ipc.h"

#define HDR_SIZE	sizeof(struct mach_msg_header)

/*
 * ipc_kmsg_put: header, the first @body_size bytes of the body and the
 * trailer into the user buffer, laid out in the kmsg first so that one copy
 * does it (the kmsg has room for the trailer after its body).
 */
static int kmsg_put(u64 addr, struct mach_kmsg *kmsg, const struct mach_msg_header *hdr,
		    u32 body_size, const void *trailer, u32 tsize)
{
	kmsg->uhdr = *hdr;
	if (tsize)
		memcpy(kmsg->inline_body + body_size, trailer, tsize);
	if (copy_to_user(u64_to_user_ptr(addr), &kmsg->uhdr, HDR_SIZE + body_size + tsize))
		return MACH_RCV_INVALID_DATA;
	return MACH_MSG_SUCCESS;
}

/*
 * msg_receive_error: a bare header (destination name, id) and the trailer;
 * every other right and all memory in the message are destroyed.
 */
static int msg_receive_error(struct mach_space *space, struct mach_kmsg *kmsg,
			     u64 addr, u32 option, u32 seqno, u64 context,
			     struct mach_reap *reap)
{
	struct mach_msg_max_trailer trailer;
	struct mach_msg_header hdr;
	u32 tsize = mach_trailer_size(option);
	int mr;

	mach_kmsg_copyout_dest(space, kmsg, reap, &hdr);
	hdr.msgh_size = HDR_SIZE;
	mach_kmsg_trailer(kmsg, seqno, context, &trailer, tsize, true);
	mr = kmsg_put(addr, kmsg, &hdr, 0, &trailer, tsize);
	mach_kmsg_free(kmsg);
	return mr;
}

/*
 * Resolve the receive name: a receive right (port) or a port set, with a
 * reference.  Returns MACH_RCV_INVALID_NAME for anything else.
 */
int mach_msg_rcv_lookup(struct mach_space *space, u32 name,
			struct mach_port **portp, struct mach_pset **psetp)
{
	struct mach_entry *entry;
	int mr = MACH_MSG_SUCCESS;

	*portp = NULL;
	*psetp = NULL;
	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	if (entry && (entry->type & MACH_PORT_TYPE_RECEIVE)) {
		*portp = entry->port;
		mach_port_get(*portp);
	} else if (entry && (entry->type & MACH_PORT_TYPE_PORT_SET)) {
		*psetp = entry->pset;
		refcount_inc(&(*psetp)->ref);
	} else {
		mr = MACH_RCV_INVALID_NAME;
	}
	mutex_unlock(&space->lock);
	return mr;
}

/*
 * mach_msg_receive_results: what a receiver whose wait ended with a
 * message (or a size) does, in its own context.  Consumes w->kmsg and the
 * reference in w->port.
 */
int mach_msg_receive_results(struct mach_space *space, u64 addr, u32 option,
			     struct mach_rcv_waiter *w, struct mach_reap *reap)
{
	struct mach_msg_max_trailer trailer;
	struct mach_kmsg *kmsg = w->kmsg;
	struct mach_port *port = w->port;
	struct mach_msg_header hdr;
	u32 tsize;
	u64 context;
	int mr;

	context = w->context;
	if (w->state == MACH_WAIT_TOO_LARGE) {
		mr = MACH_RCV_TOO_LARGE;
		if (!kmsg) {
			/* MACH_RCV_LARGE: the message stays queued; say how big */
			void __user *p = u64_to_user_ptr(addr);

			if ((option & MACH_RCV_LARGE_IDENTITY) &&
			    put_user(w->receiver_name,
				     (u32 __user *)(p + offsetof(struct mach_msg_header,
								 msgh_local_port))))
				mr = MACH_RCV_INVALID_DATA;
			if (put_user(w->msize,
				     (u32 __user *)(p + offsetof(struct mach_msg_header,
								 msgh_size))))
				mr = MACH_RCV_INVALID_DATA;
			goto out;
		}
		if (msg_receive_error(space, kmsg, addr, option, w->seqno, context,
				      reap) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		goto out;
	}

	tsize = mach_trailer_size(option);
	mr = mach_kmsg_copyout(space, kmsg, option, addr, reap, &hdr);
	if (mr != MACH_MSG_SUCCESS &&
	    (mr & ~MACH_MSG_MASK) != MACH_RCV_BODY_ERROR) {
		if (msg_receive_error(space, kmsg, addr, option, w->seqno, context,
				      reap) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		goto out;
	}
	mach_kmsg_trailer(kmsg, w->seqno, context, &trailer, tsize, false);
	if (kmsg_put(addr, kmsg, &hdr, kmsg->size - HDR_SIZE, &trailer,
		     tsize) != MACH_MSG_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	mach_kmsg_recycle(space, kmsg);
out:
	mach_port_put(port);
	return mr;
}

static int msg_receive(struct mach_space *space, struct mach_ioc_msg *a,
		       u32 option, struct mach_reap *reap)
{
	struct mach_rcv_waiter w = {};
	struct mach_port *port;
	struct mach_pset *pset;
	int mr;

	mr = mach_msg_rcv_lookup(space, a->rcv_name, &port, &pset);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (pset) {
		mr = mach_mqueue_receive_set(pset, option, a->rcv_size, a->timeout, &w);
		mach_pset_put(pset);
	} else {
		mr = mach_mqueue_receive(space, port, option, a->rcv_size, a->timeout, &w);
		mach_port_put(port);
	}
	if (mr != MACH_MSG_SUCCESS) {
		if (w.port)
			mach_port_put(w.port);
		return mr;
	}
	return mach_msg_receive_results(space, a->rcv_msg ? a->rcv_msg : a->msg,
					option, &w, reap);
}

/*
 * The send half of mach_msg: copyin, send, and the pseudo-receive when the
 * send fails after copyin.
 */
int mach_msg_send(struct mach_space *space, struct mach_ioc_msg *a, u32 option,
		  u32 timeout, struct mach_reap *reap)
{
	struct mach_kmsg *kmsg;
	int mr;

	mr = mach_kmsg_get(space, a->msg, a->send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = mach_kmsg_copyin(space, kmsg, &option, reap);
	if (mr != MACH_MSG_SUCCESS) {
		mach_kmsg_destroy(kmsg, reap);
		return mr;
	}
	mr = mach_mqueue_send(kmsg, option, timeout, reap);
	if (mr != MACH_MSG_SUCCESS) {
		struct mach_msg_header hdr;

		/* pseudo-receive: the sender gets its message back */
		mr |= mach_kmsg_copyout_pseudo(space, kmsg, reap, &hdr);
		kmsg_put(a->msg, kmsg, &hdr, kmsg->size - HDR_SIZE, NULL, 0);
		mach_kmsg_free(kmsg);
	}
	return mr;
}

long mach_msg_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_msg a;
	struct mach_reap reap;
	u32 option;
	int mr = MACH_MSG_SUCCESS;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	option = a.option & MACH_MSG_OPTION_USER;
	mach_reap_init(&reap);

	if (option & MACH_SEND_MSG) {
		mr = mach_msg_send(space, &a, option, a.timeout, &reap);
		/* messages destroyed by the send go before we block in receive */
		mach_reap_flush(&reap);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG)
		mr = msg_receive(space, &a, option, &reap);
	mach_reap_flush(&reap);
	return mr;
}
