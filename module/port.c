// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: lifetime, right counts, death.
 *
 * A port's memory lives as long as its refcount: every entry naming it,
 * every message carrying a right to it, every blocked waiter and every
 * in-flight operation holds one.  Its *life* is separate: it dies when its
 * receive right is destroyed; after that it is only a tombstone that send
 * rights still point to, and that user space sees as a dead name.
 *
 * Port state is under port->lock (see ipc.h for the lock order).
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include "ipc.h"

static struct kmem_cache *port_cache;

/*
 * Receive rights in transit form chains: a port whose receive right sits in
 * a message queued on another port.  Sending a receive right into its own
 * chain would make ports that can never be received or destroyed, so the
 * chains are checked (XNU's ipc_port_check_circularity).  Only messages
 * that carry receive rights take this lock, and nothing is taken under it.
 */
static DEFINE_SPINLOCK(transit_lock);

static bool in_chain(struct mach_port *dest, struct mach_port *port)
{
	struct mach_port *x;

	for (x = dest; x; x = x->destination)
		if (x == port)
			return true;
	return false;
}

/*
 * The receive rights @kmsg carries enter transit towards @dest.  Returns
 * false, recording nothing, when one of them is @dest or carries it.
 */
bool mach_transit_enter(struct mach_kmsg *kmsg, struct mach_port *dest)
{
	struct mach_port *p;
	int pass;
	u32 i, j;

	spin_lock(&transit_lock);
	/* pass 0 checks every receive right, pass 1 records them */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < kmsg->ndesc; i++) {
			struct mach_kdesc *d = &kmsg->descs[i];
			u32 n;

			if (d->disp != MACH_MSG_TYPE_PORT_RECEIVE)
				continue;
			if (d->type == MACH_MSG_PORT_DESCRIPTOR ||
			    d->type == MACH_MSG_GUARDED_PORT_DESCRIPTOR)
				n = 1;
			else if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
				n = d->ports.done;
			else
				continue;
			for (j = 0; j < n; j++) {
				p = d->type != MACH_MSG_OOL_PORTS_DESCRIPTOR ?
					d->port : d->ports.ports[j];
				if (!MACH_PORT_PTR_VALID(p))
					continue;
				if (pass == 0 && in_chain(dest, p)) {
					spin_unlock(&transit_lock);
					return false;
				}
				if (pass == 1) {
					mach_port_get(dest);
					p->destination = dest;
				}
			}
		}
	}
	spin_unlock(&transit_lock);
	return true;
}

/* A PORT_DESTROYED notification carries @port towards @dest. */
bool mach_transit_enter_one(struct mach_port *port, struct mach_port *dest)
{
	bool ok;

	spin_lock(&transit_lock);
	ok = !in_chain(dest, port);
	if (ok) {
		mach_port_get(dest);
		port->destination = dest;
	}
	spin_unlock(&transit_lock);
	return ok;
}

/* The receive right leaves transit (received, handed back or destroyed). */
void mach_transit_leave(struct mach_port *port)
{
	struct mach_port *dest;

	spin_lock(&transit_lock);
	dest = port->destination;
	port->destination = NULL;
	spin_unlock(&transit_lock);
	if (dest)
		mach_port_put(dest);
}

int mach_port_cache_init(void)
{
	port_cache = KMEM_CACHE(mach_port, SLAB_ACCOUNT);
	return port_cache ? 0 : -ENOMEM;
}

void mach_port_cache_exit(void)
{
	kmem_cache_destroy(port_cache);
}

struct mach_port *mach_port_alloc(void)
{
	struct mach_port *port;

	port = kmem_cache_zalloc(port_cache, GFP_KERNEL_ACCOUNT);
	if (!port)
		return NULL;
	spin_lock_init(&port->lock);
	refcount_set(&port->ref, 1);
	port->id = mach_next_object_id();
	port->active = true;
	port->qlimit = MACH_PORT_QLIMIT_DEFAULT;
	INIT_LIST_HEAD(&port->messages);
	INIT_LIST_HEAD(&port->rcv_waiters);
	INIT_LIST_HEAD(&port->snd_waiters);
	INIT_LIST_HEAD(&port->psets);
	INIT_LIST_HEAD(&port->dnrequests);
	init_waitqueue_head(&port->poll_wq);
	atomic_long_inc(&mach_stats.ports);
	return port;
}

/*
 * A port naming a kernel object.  Task and thread ports start with no
 * right in any space (the kernel holds the receive side).  With
 * @send_right the port starts with one send right, the caller's: memory
 * entries, fileports and semaphores, which no space receives on; memory
 * entries and fileports then live as long as their rights, and the port
 * releases the object only with its last reference.
 */
struct mach_port *mach_kobject_port_alloc(u8 type, void *object, bool send_right)
{
	struct mach_port *port = mach_port_alloc();

	if (port) {
		port->kobject_type = type;
		port->kobject = object;
		if (send_right) {
			port->srights = 1;
			port->mscount = 1;
		}
	}
	return port;
}

/*
 * The last reference: nothing can reach the port any more, so nothing can
 * be queued on it or waiting for it; only the object remains to release.
 */
void mach_kobject_release(struct mach_port *port)
{
	void *object = port->kobject;

	port->active = false;
	port->kobject = NULL;
	if (!object)
		return;
	switch (port->kobject_type) {
	case MACH_KOBJ_MEMORY_ENTRY:
		mach_mem_entry_free(object);
		break;
	case MACH_KOBJ_FILEPORT:
		mach_fileport_free(object);
		break;
	}
}

void mach_port_put(struct mach_port *port)
{
	if (!refcount_dec_and_test(&port->ref))
		return;
	if (port->kobject_type == MACH_KOBJ_MEMORY_ENTRY ||
	    port->kobject_type == MACH_KOBJ_FILEPORT)
		mach_kobject_release(port);
	WARN_ON_ONCE(port->active || !list_empty(&port->messages) ||
		     !list_empty(&port->psets) || !list_empty(&port->dnrequests) ||
		     port->nsrequest || port->pdrequest || port->destination);
	atomic_long_dec(&mach_stats.ports);
	kmem_cache_free(port_cache, port);
}

static void wake_receivers(struct mach_port *port)
{
	struct mach_rcv_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &port->rcv_waiters, link) {
		list_del_init(&w->link);
		w->state = MACH_WAIT_PORT_CHANGED;
		mach_waiter_wake(w);
	}
}

/*
 * The receive right is leaving its space (moved into a message, or about to
 * be destroyed): receivers blocked on it wake with MACH_RCV_PORT_CHANGED and
 * the receive-side state resets, as ipc_port_clear_receiver does.
 */
void mach_port_clear_receiver(struct mach_port *port, struct mach_reap *reap)
{
	mach_pset_unlink_port(port);
	spin_lock(&port->lock);
	port->receiver = NULL;
	port->receiver_name = MACH_PORT_NULL;
	port->mscount = 0;
	port->seqno = 0;
	port->context = 0;
	port->guard &= ~MACH_PORT_GUARD_RECEIVE_BITS;
	wake_receivers(port);
	spin_unlock(&port->lock);
	wake_up_interruptible_poll(&port->poll_wq, EPOLLHUP | EPOLLERR);
}

/*
 * The receive right is gone: destroy the port (ipc_port_destroy).  With a
 * port-destroyed request the port lives on instead, its receive right and
 * queue sent to the request's notify port.  Otherwise blocked senders
 * return success with their message destroyed, dead-name requests fire,
 * a no-senders request dies (notifying its port), and queued messages are
 * destroyed after the locks are dropped.  Consumes no reference.
 */
void mach_port_destroy(struct mach_port *port, struct mach_reap *reap)
{
	struct mach_snd_waiter *s, *tmp;
	struct mach_dnreq *d, *dtmp;
	struct mach_kmsg *kmsg;

	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		return;
	}
	kmsg = port->pdrequest;
	if (kmsg && mach_transit_enter_one(port, kmsg->dest)) {
		port->pdrequest = NULL;
		port->receiver = NULL;
		port->receiver_name = MACH_PORT_NULL;
		wake_receivers(port);
		mach_port_get(port);
		mach_notify_attach_receive(kmsg, port);
		list_add_tail(&kmsg->link, &reap->kmsgs_send);
		spin_unlock(&port->lock);
		return;
	}
	port->pdrequest = NULL;
	if (kmsg)
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
	port->active = false;
	port->receiver = NULL;
	port->receiver_name = MACH_PORT_NULL;
	wake_receivers(port);
	list_for_each_entry_safe(s, tmp, &port->snd_waiters, link) {
		list_del_init(&s->link);
		s->state = MACH_WAIT_PORT_DIED;
		wake_up_process(s->task);
	}
	/* every request still holding its right fires as DEAD_NAME, armed or not */
	port->sparmed = 0;
	list_for_each_entry_safe(d, dtmp, &port->dnrequests, link) {
		list_del_init(&d->link);
		d->fired = true;
		d->armed = false;
		list_add_tail(&d->kmsg->link, &reap->kmsgs_send);
		d->kmsg = NULL;
	}
	if (port->nsrequest) {
		list_add_tail(&port->nsrequest->link, &reap->kmsgs_destroy);
		port->nsrequest = NULL;
	}
	list_splice_tail_init(&port->messages, &reap->kmsgs_destroy);
	port->msgcount = 0;
	port->queued_bytes = 0;
	spin_unlock(&port->lock);
	wake_up_interruptible_poll(&port->poll_wq, EPOLLHUP | EPOLLERR);
	/* a timer dies with its port (XNU: mk_timer_port_destroy) */
	if (port->kobject_type == MACH_KOBJ_TIMER)
		mach_timer_port_destroyed(port);
}

/*
 * One send right went away (caller holds port->lock).  The last one fires
 * an armed no-senders request, with the make-send count.
 */
static void srights_dec_locked(struct mach_port *port, struct mach_reap *reap)
{
	struct mach_kmsg *ns = port->nsrequest;

	if (!WARN_ON_ONCE(port->srights == 0))
		port->srights--;
	/* a semaphore's send rights together hold it (XNU: semaphore_no_senders) */
	if (port->srights == 0 && port->kobject_type == MACH_KOBJ_SEMAPHORE)
		mach_semaphore_no_senders_locked(port);
	if (port->srights == 0 && port->active && ns) {
		port->nsrequest = NULL;
		mach_notify_set_word(ns, MACH_NOTIFY_NO_SENDERS, port->mscount);
		list_add_tail(&ns->link, &reap->kmsgs_send);
	}
}

/* One send right to @port went away, without a reference change. */
void mach_port_srights_dec(struct mach_port *port, struct mach_reap *reap)
{
	spin_lock(&port->lock);
	srights_dec_locked(port, reap);
	spin_unlock(&port->lock);
}

/* One send right to @port went away, with its reference. */
void mach_port_release_send(struct mach_port *port, struct mach_reap *reap)
{
	mach_port_srights_dec(port, reap);
	mach_port_put(port);
}

/*
 * A send-once right was destroyed without being used: the port gets its
 * one guaranteed message, a MACH_NOTIFY_SEND_ONCE.  The notification
 * consumes the right (and the reference).
 */
void mach_port_release_sonce(struct mach_port *port, struct mach_reap *reap)
{
	mach_notify_send_once(port, reap);
}

/*
 * Receive-side header copyout of the destination (ipc_object_copyout_dest):
 * the receiver's name for the port (NULL if it no longer holds the receive
 * right, DEAD if the port died), and the right the message was sent on is
 * consumed, all under one hold of the port lock.  Drops the reference.
 */
u32 mach_port_copyout_dest(struct mach_port *port, u32 type, struct mach_space *space,
			   struct mach_reap *reap)
{
	u32 name;

	spin_lock(&port->lock);
	if (!port->active)
		name = MACH_PORT_DEAD;
	else if (port->receiver == space)
		name = port->receiver_name;
	else
		name = MACH_PORT_NULL;
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		if (!WARN_ON_ONCE(port->sorights == 0))
			port->sorights--;
	} else {
		srights_dec_locked(port, reap);
	}
	spin_unlock(&port->lock);
	mach_port_put(port);
	return name;
}

/*
 * The right a message was sent on is consumed when it is received: a send
 * right drops the send count, a send-once right is used up silently.
 */
void mach_port_release_dest(struct mach_port *port, u32 type,
			    struct mach_reap *reap)
{
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		spin_lock(&port->lock);
		if (!WARN_ON_ONCE(port->sorights == 0))
			port->sorights--;
		spin_unlock(&port->lock);
		mach_port_put(port);
	} else {
		mach_port_release_send(port, reap);
	}
}

void mach_port_release_right(struct mach_port *port, u32 type,
			     struct mach_reap *reap)
{
	if (!MACH_PORT_PTR_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		mach_port_release_send(port, reap);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		mach_port_release_sonce(port, reap);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_transit_leave(port);
		mach_port_clear_receiver(port, reap);
		mach_port_destroy(port, reap);
		mach_port_put(port);
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

/* Caller holds port->lock. */
static void wake_senders_locked(struct mach_port *port, u32 n)
{
	struct mach_snd_waiter *s;

	while (n-- && !list_empty(&port->snd_waiters)) {
		s = list_first_entry(&port->snd_waiters, struct mach_snd_waiter, link);
		list_del_init(&s->link);
		s->state = MACH_WAIT_OK;
		port->msgcount++;	/* the slot is the woken sender's */
		wake_up_process(s->task);
	}
}

/* Raising the limit hands the new slots to blocked senders. */
void mach_port_set_qlimit(struct mach_port *port, u32 qlimit)
{
	spin_lock(&port->lock);
	if (qlimit > port->qlimit)
		wake_senders_locked(port, qlimit - port->qlimit);
	port->qlimit = qlimit;
	spin_unlock(&port->lock);
}

/*
 * A queue slot was freed (message dequeued, or a reserved slot unused).
 * Caller holds port->lock.
 */
void mach_port_release_slot(struct mach_port *port)
{
	port->msgcount--;
	if (port->msgcount < port->qlimit)
		wake_senders_locked(port, 1);
}
