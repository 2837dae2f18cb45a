// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg_overwrite_trap as an ioctl: send, then receive (mach_msg.c).
 *
 * Order of work on receive, as XNU: the message leaves the queue under the
 * port lock, its rights are copied out under the space lock, and the bytes
 * are copied to user memory with no lock held (the copy may fault).
 */
#include <linux/slab.h>
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

static int user_put(u64 addr, const void *data, u32 size)
{
	return copy_to_user(u64_to_user_ptr(addr), data, size) ? -EFAULT : 0;
}

/*
 * mach_msg2 vector receive: the aux data into the receiver's aux buffer,
 * or an empty aux header (the "no aux" mark) when the message has none or
 * is not delivered (ipc_kmsg_put_vector_to_user).
 */
static int aux_put(const struct mach_rcv_waiter *w, const struct mach_kmsg *kmsg)
{
	static const struct mach_msg_aux_header empty;
	void __user *p = u64_to_user_ptr(w->aux_addr);

	if (!w->aux_addr)
		return MACH_MSG_SUCCESS;
	if (kmsg && kmsg->aux ? copy_to_user(p, kmsg->aux, kmsg->aux_size)
			      : copy_to_user(p, &empty, sizeof(empty)))
		return MACH_RCV_INVALID_DATA;
	return MACH_MSG_SUCCESS;
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
			/*
			 * MACH_RCV_LARGE: the message stays queued; say how big,
			 * in the fields the buffer has room for
			 * (mach_msg_receive_too_large), and the aux size needed.
			 */
			void __user *p = u64_to_user_ptr(addr);

			if ((option & MACH_RCV_LARGE_IDENTITY) &&
			    w->rcv_size >= offsetof(struct mach_msg_header, msgh_voucher_port) &&
			    put_user(w->receiver_name,
				     (u32 __user *)(p + offsetof(struct mach_msg_header,
								 msgh_local_port))))
				mr = MACH_RCV_INVALID_DATA;
			if (w->rcv_size >= offsetof(struct mach_msg_header, msgh_remote_port) &&
			    put_user(w->msize,
				     (u32 __user *)(p + offsetof(struct mach_msg_header,
								 msgh_size))))
				mr = MACH_RCV_INVALID_DATA;
			if (w->aux_addr &&
			    put_user(w->aux_msize, (u32 __user *)u64_to_user_ptr(w->aux_addr)))
				mr = MACH_RCV_INVALID_DATA;
			goto out;
		}
		if (aux_put(w, NULL) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		if (msg_receive_error(space, kmsg, addr, option, w->seqno, context,
				      reap) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		goto out;
	}

	tsize = mach_trailer_size(option);
	mr = mach_kmsg_copyout(space, kmsg, option, addr, reap, &hdr);
	if (mr != MACH_MSG_SUCCESS &&
	    (mr & ~MACH_MSG_MASK) != MACH_RCV_BODY_ERROR) {
		if (aux_put(w, NULL) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		if (msg_receive_error(space, kmsg, addr, option, w->seqno, context,
				      reap) == MACH_RCV_INVALID_DATA)
			mr = MACH_RCV_INVALID_DATA;
		goto out;
	}
	/* the header was copied out: armed send-possible requests fire */
	if (unlikely(READ_ONCE(port->sparmed)))
		mach_port_spnotify(port, reap);
	mach_kmsg_trailer(kmsg, w->seqno, context, &trailer, tsize, false);
	/* aux first: if it faults, the message is not copied either */
	if (aux_put(w, kmsg) != MACH_MSG_SUCCESS ||
	    kmsg_put(addr, kmsg, &hdr, kmsg->size - HDR_SIZE, &trailer,
		     tsize) != MACH_MSG_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	mach_kmsg_recycle(space, kmsg);
out:
	mach_port_put(port);
	return mr;
}

/* @w: zeroed, or with a mach_msg2 vector receive's aux buffer set */
static int msg_receive(struct mach_space *space, struct mach_ioc_msg *a,
		       u32 option, struct mach_rcv_waiter *wp, struct mach_reap *reap)
{
	struct mach_rcv_waiter w = *wp;
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
 * The send half of mach_msg and mach_msg2 once the message is in the
 * kernel: copyin, send, and the pseudo-receive into the send buffers
 * (@addr, and @aux_addr for aux data) when the send fails after copyin.
 */
static int msg_send_kmsg(struct mach_space *space, struct mach_kmsg *kmsg, u64 addr,
			 u64 aux_addr, u32 option, u32 timeout, struct mach_reap *reap)
{
	int mr;

	if (unlikely(option & MACH_SEND_NOTIFY))
		mach_notify_send_arm(space, kmsg, &option);
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
		/* as XNU's mach_msg_receive_pseudo, a failed copy goes unreported */
		if (kmsg->aux)
			user_put(aux_addr, kmsg->aux, kmsg->aux_size);
		kmsg_put(addr, kmsg, &hdr, kmsg->size - HDR_SIZE, NULL, 0);
		mach_kmsg_free(kmsg);
	}
	return mr;
}

/* The send half of mach_msg. */
int mach_msg_send(struct mach_space *space, struct mach_ioc_msg *a, u32 option,
		  u32 timeout, struct mach_reap *reap)
{
	struct mach_kmsg *kmsg;
	int mr;

	mr = mach_kmsg_get(space, a->msg, a->send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return msg_send_kmsg(space, kmsg, a->msg, 0, option, timeout, reap);
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
	if (option & MACH_RCV_MSG) {
		struct mach_rcv_waiter w = {};

		mr = msg_receive(space, &a, option, &w, &reap);
	}
	mach_reap_flush(&reap);
	return mr;
}

/* ------------------------------------------------------------------------
 * mach_msg2_trap: a front end that turns mach_msg2's arguments into the
 * mach_msg path above (same copyin, queue and copyout code); what it adds
 * is the option policy, the vectors, the header taken from the arguments
 * and the aux data carried with the kmsg.
 */
#define MSG2_CALLS	(MACH64_SEND_KOBJECT_CALL | MACH64_SEND_MQ_CALL | \
			 MACH64_SEND_ANY | MACH64_SEND_DK_CALL)
#define MSG2_OPTION_USER ((u64)MACH_MSG_OPTION_USER | MACH64_MSG_VECTOR | MSG2_CALLS)
#define BASE_SIZE	(HDR_SIZE + sizeof(struct mach_msg_body))

/*
 * ipc_validate_kmsg_dest_from_user (macOS): a kernel-served destination
 * needs KOBJECT_CALL and a combined receive, any other (a timer's too)
 * MQ_CALL; SEND_ANY passes everything.  Called from mach_kmsg_copyin once
 * the header's rights are in the kmsg, before the body's.
 */
int mach_msg2_check_dest(struct mach_kmsg *kmsg)
{
	u32 f = kmsg->flags;

	if (f & MACH_KMSG_ANY_CALL)
		return MACH_MSG_SUCCESS;
	if (mach_kobject_served(kmsg->dest->kobject_type)) {
		if (!(f & MACH_KMSG_KOBJECT_CALL) || !(f & MACH_KMSG_WITH_RCV))
			return MACH_SEND_INVALID_OPTIONS;
	} else if (!(f & MACH_KMSG_MQ_CALL)) {
		return MACH_SEND_INVALID_OPTIONS;
	}
	return MACH_MSG_SUCCESS;
}

void mach_kmsg_free_aux(struct mach_kmsg *kmsg)
{
	if (!kmsg->aux)
		return;
	kfree(kmsg->aux);
	kmsg->aux = NULL;
	kmsg->aux_size = 0;
	atomic_long_dec(&mach_stats.kmsg_aux);
}

/* ipc_preflight_msg_option64: exactly one call kind; vectors for queues */
static int msg2_preflight(u64 opt)
{
	u64 calls = opt & MSG2_CALLS;

	if (!(opt & MACH_SEND_MSG))
		return MACH_MSG_SUCCESS;
	if (!calls || (calls & (calls - 1)))
		return MACH_SEND_INVALID_OPTIONS;
	if ((opt & MACH64_MSG_VECTOR) && !(opt & (MACH64_SEND_MQ_CALL | MACH64_SEND_ANY)))
		return MACH_SEND_INVALID_OPTIONS;
	return MACH_MSG_SUCCESS;
}

/* mach_msg_copyin_data_vectors */
static int msg2_copyin_vectors(u64 addr, u32 count, bool send, struct mach_msg_vector *v)
{
	if (count > MACH_MSGV_MAX_COUNT)
		return send ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_ARGUMENTS;
	if (count == 0)
		return send ? MACH_SEND_MSG_TOO_SMALL : MACH_RCV_INVALID_ARGUMENTS;
	if (copy_from_user(v, u64_to_user_ptr(addr), count * sizeof(*v)))
		return send ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_ARGUMENTS;
	return MACH_MSG_SUCCESS;
}

/* mach_msg_validate_data_vectors, send side */
static int msg2_check_send_vectors(struct mach_msg_vector *v, u32 count)
{
	if (count == 0)
		return MACH_SEND_MSG_TOO_SMALL;
	if (!v[0].msgv_data)
		return MACH_SEND_INVALID_DATA;
	if (count < MACH_MSGV_MAX_COUNT) {
		v[1].msgv_send_size = 0;
		return MACH_MSG_SUCCESS;
	}
	if (v[1].msgv_send_size && !v[1].msgv_data)
		return MACH_SEND_INVALID_DATA;
	if (v[1].msgv_send_size && v[1].msgv_send_size < sizeof(struct mach_msg_aux_header))
		return MACH_SEND_AUX_TOO_SMALL;
	if (v[1].msgv_send_size > MACH_MSG_AUX_MAX_SIZE)
		return MACH_SEND_AUX_TOO_LARGE;
	return MACH_MSG_SUCCESS;
}

/* The aux data: the kernel writes its header, the rest is the sender's. */
static int msg2_get_aux(struct mach_kmsg *kmsg, u64 addr, u32 size)
{
	struct mach_msg_aux_header *ah;

	ah = kmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!ah)
		return MACH_SEND_NO_BUFFER;
	atomic_long_inc(&mach_stats.kmsg_aux);
	kmsg->aux = ah;
	kmsg->aux_size = size;
	ah->msgdh_size = size;
	ah->msgdh_reserved = 0;
	if (copy_from_user(ah + 1, u64_to_user_ptr(addr + sizeof(*ah)), size - sizeof(*ah)))
		return MACH_SEND_INVALID_DATA;
	return MACH_MSG_SUCCESS;
}

/*
 * mach_msg_trap_send: the message from @addr with the header from the
 * trap arguments (the buffer's header, and its descriptor count if
 * complex, are ignored), then the common send.
 */
static int msg2_send(struct mach_space *space, const struct mach_ioc_msg2 *a, u64 opt,
		     u64 addr, u32 size, u64 aux_addr, u32 aux_size, struct mach_reap *reap)
{
	u32 bits = (u32)a->bits_send_size & MACH_MSGH_BITS_USER;
	u32 ndesc = (u32)a->desc_count_rcv_name;
	struct mach_kmsg *kmsg;
	int mr;

	if (size < HDR_SIZE || (size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > mach_max_msg_size)
		return MACH_SEND_TOO_LARGE;
	if (bits & MACH_MSGH_BITS_COMPLEX) {
		if (size < BASE_SIZE ||
		    ndesc > (size - BASE_SIZE) / sizeof(struct mach_msg_type_descriptor))
			return MACH_SEND_MSG_TOO_SMALL;
	} else if (ndesc) {
		return MACH_SEND_TOO_LARGE;
	}
	mr = mach_kmsg_get(space, addr, size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	kmsg->bits = bits;
	kmsg->id = (s32)(a->voucher_id >> 32);
	kmsg->voucher = (u32)a->voucher_id;
	kmsg->dest = (struct mach_port *)(unsigned long)(u32)a->remote_local;
	kmsg->reply = (struct mach_port *)(unsigned long)(u32)(a->remote_local >> 32);
	if (bits & MACH_MSGH_BITS_COMPLEX)
		memcpy(kmsg->body, &ndesc, sizeof(ndesc));
	if (aux_size) {
		mr = msg2_get_aux(kmsg, aux_addr, aux_size);
		if (mr != MACH_MSG_SUCCESS) {
			/* nothing copied in yet: the names are no rights */
			kmsg->dest = NULL;
			kmsg->reply = NULL;
			mach_kmsg_free(kmsg);
			return mr;
		}
	}
	kmsg->flags |= MACH_KMSG_MSG2;
	if (opt & MACH64_SEND_KOBJECT_CALL)
		kmsg->flags |= MACH_KMSG_KOBJECT_CALL;
	if (opt & MACH64_SEND_MQ_CALL)
		kmsg->flags |= MACH_KMSG_MQ_CALL;
	if (opt & MACH64_SEND_ANY)
		kmsg->flags |= MACH_KMSG_ANY_CALL;
	if (opt & MACH_RCV_MSG)
		kmsg->flags |= MACH_KMSG_WITH_RCV;
	return msg_send_kmsg(space, kmsg, addr, aux_addr, (u32)opt, (u32)a->timeout, reap);
}

long mach_msg2_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_msg_vector v[MACH_MSGV_MAX_COUNT] = {};
	struct mach_ioc_msg2 a;
	struct mach_reap reap;
	u32 snd_count = 0, rcv_count = 0;
	bool vector;
	u64 opt;
	int mr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	/* the kernel keeps the user bits and drops the rest, as XNU does */
	opt = a.options & MSG2_OPTION_USER;
	vector = opt & MACH64_MSG_VECTOR;
	mr = msg2_preflight(opt);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (vector) {
		snd_count = a.bits_send_size >> 32;
		rcv_count = (u32)a.rcv_size_priority;
		mr = msg2_copyin_vectors(a.data, max(snd_count, rcv_count),
					 opt & MACH_SEND_MSG, v);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	mach_reap_init(&reap);
	if (opt & MACH_SEND_MSG) {
		if (vector) {
			mr = msg2_check_send_vectors(v, snd_count);
			if (mr == MACH_MSG_SUCCESS)
				mr = msg2_send(space, &a, opt, v[0].msgv_data, v[0].msgv_send_size,
					       v[1].msgv_data, v[1].msgv_send_size, &reap);
		} else {
			mr = msg2_send(space, &a, opt, a.data, a.bits_send_size >> 32, 0, 0,
				       &reap);
		}
		mach_reap_flush(&reap);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (opt & MACH_RCV_MSG) {
		struct mach_rcv_waiter w = {};
		struct mach_ioc_msg m = {
			.rcv_name = a.desc_count_rcv_name >> 32,
			.timeout = (u32)a.timeout,
		};

		if (vector) {
			/* mach_msg_validate_data_vectors, receive side */
			if (rcv_count == 0)
				return MACH_RCV_INVALID_ARGUMENTS;
			m.msg = v[0].msgv_rcv_addr ?: v[0].msgv_data;
			m.rcv_size = v[0].msgv_rcv_size;
			w.vector = true;
			if (rcv_count == MACH_MSGV_MAX_COUNT) {
				w.aux_addr = v[1].msgv_rcv_addr ?: v[1].msgv_data;
				w.aux_rcv_size = v[1].msgv_rcv_size;
				if (!w.aux_addr || w.aux_rcv_size < sizeof(struct mach_msg_aux_header))
					return MACH_RCV_INVALID_ARGUMENTS;
			}
		} else {
			m.msg = a.data;
			m.rcv_size = (u32)a.rcv_size_priority;
		}
		mr = msg_receive(space, &m, (u32)opt, &w, &reap);
		mach_reap_flush(&reap);
	}
	return mr;
}
