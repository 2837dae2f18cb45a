// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues: enqueue, handoff to waiting receivers, blocking with
 * timeouts and signals, queue limits (XNU's ipc_mqueue.c).
 *
 * Everything about one queue is under its port's lock.  Waiters live on the
 * waiting thread's stack; whoever changes a waiter's state does it under
 * the port lock and wakes the thread before dropping the lock, so the
 * waiter cannot return (and its frame vanish) while it is being woken.
 *
 * Queue slots (XNU's imq_msgcount): msgcount counts queued messages plus
 * slots handed to woken senders.  A sender blocked on a full queue is woken
 * with a slot already reserved for it, so FIFO order among blocked senders
 * holds and a woken sender never finds the queue full again.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/hrtimer.h>
#include "ipc.h"

void mach_reap_init(struct mach_reap *reap)
{
	INIT_LIST_HEAD(&reap->kmsgs_destroy);
	INIT_LIST_HEAD(&reap->kmsgs_send);
	reap->guard_flavor = 0;
}

/*
 * Destroying a message can destroy ports (receive rights it carries), whose
 * queues hold more messages, and can generate notifications: a worklist,
 * not recursion, so a deep chain costs no kernel stack.
 */
void mach_reap_flush(struct mach_reap *reap)
{
	struct mach_kmsg *kmsg;

	for (;;) {
		kmsg = list_first_entry_or_null(&reap->kmsgs_send,
						struct mach_kmsg, link);
		if (kmsg) {
			list_del_init(&kmsg->link);
			mach_mqueue_send_kernel(kmsg, reap);
			continue;
		}
		kmsg = list_first_entry_or_null(&reap->kmsgs_destroy,
						struct mach_kmsg, link);
		if (!kmsg)
			break;
		list_del_init(&kmsg->link);
		mach_kmsg_destroy(kmsg, reap);
		cond_resched();
	}
	if (unlikely(reap->guard_flavor))
		mach_guard_deliver(reap);
}

/*
 * Give @kmsg to the first waiting receiver (caller holds port->lock).
 * A receiver whose buffer is too small takes the message to destroy it,
 * unless it asked for MACH_RCV_LARGE: then it only learns the size and the
 * next receiver is tried.
 */
static bool handoff_locked(struct mach_port *port, struct mach_kmsg *kmsg)
{
	struct mach_rcv_waiter *w, *next;

	list_for_each_entry_safe(w, next, &port->rcv_waiters, link) {
		/* a message handed to it would come back only later, out of order */
		if (mach_waiter_orphaned(w))
			continue;
		list_del_init(&w->link);
		w->receiver_name = port->receiver_name;
		w->context = port->context;
		w->port = port;
		mach_port_get(port);
		if (mach_rcv_fits(w, kmsg)) {
			w->state = MACH_WAIT_OK;
		} else if (w->option & MACH_RCV_LARGE) {
			w->state = MACH_WAIT_TOO_LARGE;
			w->msize = kmsg->size;
			w->kmsg = NULL;
			mach_waiter_wake(w);
			continue;
		} else {
			w->state = MACH_WAIT_TOO_LARGE;
		}
		w->kmsg = kmsg;
		w->seqno = port->seqno++;
		w->msize = kmsg->size;
		if (kmsg->flags & MACH_KMSG_TIMER)
			mach_timer_dequeued_locked(port);
		mach_waiter_wake(w);
		return true;
	}
	return false;
}

/*
 * Returns true when the message was queued on a port that is in sets.
 * @head: queue it first (a message given back, see mach_mqueue_requeue).
 */
static bool enqueue_locked(struct mach_port *port, struct mach_kmsg *kmsg,
			   bool reserved, bool head)
{
	if (handoff_locked(port, kmsg)) {
		if (reserved)
			mach_port_release_slot(port);
		return false;
	}
	if (head)
		list_add(&kmsg->link, &port->messages);
	else
		list_add_tail(&kmsg->link, &port->messages);
	if (!reserved)
		port->msgcount++;
	port->queued_bytes += mach_kmsg_bytes(kmsg);
	return !list_empty(&port->psets);
}

/*
 * Enqueue, then tell the port's pollers and sets with no port lock held.
 * Once the lock is dropped the message may already be received and the
 * port's last reference gone, so a reference is taken for what follows.
 */
static void enqueue_unlock(struct mach_port *port, struct mach_kmsg *kmsg,
			   bool reserved, bool head)
{
	bool sets = enqueue_locked(port, kmsg, reserved, head);
	/*
	 * Pollers check for messages under this lock after joining the wait
	 * queue (poll.c), so the lock orders their join before this test.
	 */
	bool pollers = waitqueue_active(&port->poll_wq);

	if (!sets && !pollers) {
		spin_unlock(&port->lock);
		return;
	}
	mach_port_get(port);
	spin_unlock(&port->lock);
	if (pollers)
		wake_up_interruptible_poll(&port->poll_wq, EPOLLIN | EPOLLRDNORM);
	if (sets)
		mach_pset_wake_members_of(port);
	mach_port_put(port);
}

/*
 * Sleep until *state leaves MACH_WAIT_WAITING, a signal arrives, or the
 * deadline passes.  Called and returns with @lock held.  Returns 0, -EINTR
 * or -ETIMEDOUT; on the latter two the caller still owns the waiter.
 */
static int wait_locked(spinlock_t *lock, int *state, bool timed, ktime_t deadline)
{
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(lock);
		if (timed)
			schedule_hrtimeout_range(&deadline, 0, HRTIMER_MODE_ABS);
		else
			schedule();
		spin_lock(lock);
		__set_current_state(TASK_RUNNING);
		if (READ_ONCE(*state) != MACH_WAIT_WAITING)
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (timed && ktime_compare(ktime_get(), deadline) >= 0) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	return ret;
}

/* Reading the clock costs: only timed waits need a deadline. */
static ktime_t deadline_ms(bool timed, u32 timeout)
{
	return timed ? ktime_add_ms(ktime_get(), timeout) : 0;
}

/*
 * ipc_mqueue_send.  Returns MACH_MSG_SUCCESS when the message is queued,
 * handed off or destroyed (dead destination); otherwise the message is
 * still the caller's, rights and all, for the pseudo-receive.
 */
int mach_mqueue_send(struct mach_kmsg *kmsg, u32 option, u32 timeout,
		     struct mach_reap *reap)
{
	struct mach_port *port = kmsg->dest;
	bool sonce = MACH_MSGH_BITS_REMOTE(kmsg->bits) == MACH_MSG_TYPE_PORT_SEND_ONCE;
	struct mach_snd_waiter s;
	int err;

	/* a receive right sent into its own chain: accepted and destroyed */
	if (kmsg->flags & MACH_KMSG_CIRCULAR) {
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
		return MACH_MSG_SUCCESS;
	}
	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
		return MACH_MSG_SUCCESS;
	}
	if (mach_kobject_served(port->kobject_type)) {
		spin_unlock(&port->lock);
		mach_kobject_server(kmsg, option, timeout, reap);
		return MACH_MSG_SUCCESS;
	}
	if (port->msgcount && port->queued_bytes + mach_kmsg_bytes(kmsg) > mach_max_port_bytes) {
		spin_unlock(&port->lock);
		return MACH_SEND_NO_BUFFER;
	}
	if (sonce) {
		if (port->msgcount >= MACH_PORT_QLIMIT_KERNEL) {
			spin_unlock(&port->lock);
			return MACH_SEND_NO_BUFFER;
		}
		enqueue_unlock(port, kmsg, false, false);
		return MACH_MSG_SUCCESS;
	}
	/* SEND_ALWAYS: MACH_SEND_NOTIFY found room (mach_notify_send_arm) */
	if (port->msgcount < port->qlimit || (option & MACH_SEND_ALWAYS)) {
		enqueue_unlock(port, kmsg, false, false);
		return MACH_MSG_SUCCESS;
	}
	if ((option & MACH_SEND_TIMEOUT) && timeout == 0) {
		spin_unlock(&port->lock);
		return MACH_SEND_TIMED_OUT;
	}

	s.task = current;
	s.state = MACH_WAIT_WAITING;
	list_add_tail(&s.link, &port->snd_waiters);
	err = wait_locked(&port->lock, &s.state, option & MACH_SEND_TIMEOUT,
			  deadline_ms(option & MACH_SEND_TIMEOUT, timeout));
	if (err) {
		list_del(&s.link);
		spin_unlock(&port->lock);
		return err == -EINTR ? MACH_SEND_INTERRUPTED : MACH_SEND_TIMED_OUT;
	}
	/*
	 * Woken with a slot, the port may still have died before we got the
	 * lock back: a dead port's queue was drained and must stay empty.
	 */
	if (s.state == MACH_WAIT_PORT_DIED || !port->active) {
		spin_unlock(&port->lock);
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
		return MACH_MSG_SUCCESS;
	}
	enqueue_unlock(port, kmsg, true, false);
	return MACH_MSG_SUCCESS;
}

/* Kernel messages (notifications) never block and are never handed back. */
void mach_mqueue_send_kernel(struct mach_kmsg *kmsg, struct mach_reap *reap)
{
	struct mach_port *port = kmsg->dest;

	spin_lock(&port->lock);
	if (!port->active || mach_kobject_served(port->kobject_type) ||
	    port->msgcount >= MACH_PORT_QLIMIT_KERNEL) {
		spin_unlock(&port->lock);
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
		return;
	}
	enqueue_unlock(port, kmsg, false, false);
}

/*
 * Give back a message that was taken for a receiver that can no longer
 * deliver it (an io_uring receive whose task, thread or ring went away
 * before the copyout): it goes to the next waiting receiver or back to the
 * head of its queue, so no message is lost while its receive right lives.
 * @seqno is the sequence number it was taken with: when no message was
 * taken since, the port's counter steps back too.  A port that died
 * meanwhile has drained its queue: the message is destroyed with it.
 */
void mach_mqueue_requeue(struct mach_kmsg *kmsg, u32 seqno, struct mach_reap *reap)
{
	struct mach_port *port = kmsg->dest;

	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
		return;
	}
	if (port->seqno == seqno + 1)
		port->seqno = seqno;
	enqueue_unlock(port, kmsg, false, true);
}

/* Take the head message for @w (caller holds port->lock, queue not empty). */
static void select_locked(struct mach_port *port, struct mach_rcv_waiter *w)
{
	struct mach_kmsg *kmsg;

	kmsg = list_first_entry(&port->messages, struct mach_kmsg, link);
	w->msize = kmsg->size;
	w->receiver_name = port->receiver_name;
	w->context = port->context;
	w->port = port;
	mach_port_get(port);
	if (!mach_rcv_fits(w, kmsg)) {
		w->state = MACH_WAIT_TOO_LARGE;
		if (w->option & MACH_RCV_LARGE) {
			w->kmsg = NULL;
			return;
		}
	} else {
		w->state = MACH_WAIT_OK;
	}
	list_del_init(&kmsg->link);
	port->queued_bytes -= mach_kmsg_bytes(kmsg);
	if (kmsg->flags & MACH_KMSG_TIMER)
		mach_timer_dequeued_locked(port);
	w->kmsg = kmsg;
	w->seqno = port->seqno++;
	mach_port_release_slot(port);
}

/*
 * ipc_mqueue_receive on a port whose receive right @space held at lookup.
 * Fills @w (state, kmsg, seqno, msize) and returns MACH_MSG_SUCCESS, or a
 * MACH_RCV_* code when no message was taken.
 */
int mach_mqueue_receive(struct mach_space *space, struct mach_port *port,
			u32 option, u32 rcv_size, u32 timeout,
			struct mach_rcv_waiter *w)
{
	int err;

	w->option = option;
	w->rcv_size = rcv_size;
	w->kmsg = NULL;
	w->port = NULL;
	w->state = MACH_WAIT_WAITING;

	spin_lock(&port->lock);
	if (!port->active || port->receiver != space) {
		spin_unlock(&port->lock);
		return MACH_RCV_PORT_CHANGED;
	}
	if (!list_empty(&port->messages)) {
		select_locked(port, w);
		spin_unlock(&port->lock);
		return MACH_MSG_SUCCESS;
	}
	if ((option & MACH_RCV_TIMEOUT) && timeout == 0) {
		spin_unlock(&port->lock);
		return MACH_RCV_TIMED_OUT;
	}
	w->task = current;
	list_add_tail(&w->link, &port->rcv_waiters);
	err = wait_locked(&port->lock, &w->state, option & MACH_RCV_TIMEOUT,
			  deadline_ms(option & MACH_RCV_TIMEOUT, timeout));
	if (err) {
		list_del(&w->link);
		spin_unlock(&port->lock);
		return err == -EINTR ? MACH_RCV_INTERRUPTED : MACH_RCV_TIMED_OUT;
	}
	spin_unlock(&port->lock);
	if (w->state == MACH_WAIT_PORT_CHANGED)
		return MACH_RCV_PORT_CHANGED;
	return MACH_MSG_SUCCESS;
}

/*
 * Take the first member's head message (caller holds pset->lock).  The
 * member served moves to the back of the list, so a busy member cannot
 * starve the others.
 */
static bool pset_select_locked(struct mach_pset *pset, struct mach_rcv_waiter *w)
{
	struct mach_pset_link *link;
	struct mach_port *port;

	list_for_each_entry(link, &pset->members, pset_node) {
		port = link->port;
		spin_lock(&port->lock);
		if (!list_empty(&port->messages)) {
			select_locked(port, w);
			spin_unlock(&port->lock);
			list_move_tail(&link->pset_node, &pset->members);
			return true;
		}
		spin_unlock(&port->lock);
	}
	return false;
}

/*
 * Messages were queued on members of @pset (caller holds pset->lock): hand
 * them to the set's blocked receivers in the order those arrived, as a
 * port hands messages to its own receivers.  The sender cannot do this
 * under its port lock (the set lock comes first), so it does it here, after
 * dropping the port lock; each receiver is woken with its message already
 * taken, so none is woken for nothing and none overtakes another.
 */
void mach_pset_serve_locked(struct mach_pset *pset)
{
	struct mach_rcv_waiter *w, *next;

	list_for_each_entry_safe(w, next, &pset->rcv_waiters, link) {
		if (mach_waiter_orphaned(w))
			continue;
		if (!pset_select_locked(pset, w))
			break;
		list_del_init(&w->link);
		mach_waiter_wake(w);
	}
}

/* ipc_mqueue_receive on a port set. */
int mach_mqueue_receive_set(struct mach_pset *pset, u32 option, u32 rcv_size,
			    u32 timeout, struct mach_rcv_waiter *w)
{
	bool timed = option & MACH_RCV_TIMEOUT;
	ktime_t deadline = deadline_ms(timed, timeout);
	int err;

	w->option = option;
	w->rcv_size = rcv_size;
	w->kmsg = NULL;
	w->port = NULL;
	w->task = current;

	spin_lock(&pset->lock);
	w->state = MACH_WAIT_WAITING;
	if (!pset->active) {
		err = MACH_RCV_PORT_CHANGED;
	} else if (pset_select_locked(pset, w)) {
		err = MACH_MSG_SUCCESS;
	} else if (timed && timeout == 0) {
		err = MACH_RCV_TIMED_OUT;
	} else {
		list_add_tail(&w->link, &pset->rcv_waiters);
		err = wait_locked(&pset->lock, &w->state, timed, deadline);
		if (err) {
			list_del(&w->link);
			err = err == -EINTR ? MACH_RCV_INTERRUPTED : MACH_RCV_TIMED_OUT;
		} else if (w->state == MACH_WAIT_PORT_CHANGED) {
			err = MACH_RCV_PORT_CHANGED;
		} else {
			/* served: a message (or its size) was taken for us */
			err = MACH_MSG_SUCCESS;
		}
	}
	spin_unlock(&pset->lock);
	return err;
}

/*
 * Receive without blocking, leaving @w parked on the port's or set's
 * waiters when nothing is queued (io_uring).  @w->option, rcv_size and
 * wake must be set.  Returns MACH_MSG_SUCCESS with @w filled, a MACH_RCV_*
 * code, or MACH_RCV_IN_PROGRESS when parked: then @w->wake runs once its
 * state changes.
 */
int mach_mqueue_park(struct mach_space *space, struct mach_port *port,
		     struct mach_pset *pset, struct mach_rcv_waiter *w)
{
	int mr = MACH_RCV_IN_PROGRESS;

	w->kmsg = NULL;
	w->port = NULL;
	w->state = MACH_WAIT_WAITING;
	if (pset) {
		spin_lock(&pset->lock);
		if (!pset->active)
			mr = MACH_RCV_PORT_CHANGED;
		else if (pset_select_locked(pset, w))
			mr = MACH_MSG_SUCCESS;
		else
			list_add_tail(&w->link, &pset->rcv_waiters);
		spin_unlock(&pset->lock);
		return mr;
	}
	spin_lock(&port->lock);
	if (!port->active || port->receiver != space) {
		mr = MACH_RCV_PORT_CHANGED;
	} else if (!list_empty(&port->messages)) {
		select_locked(port, w);
		mr = MACH_MSG_SUCCESS;
	} else {
		list_add_tail(&w->link, &port->rcv_waiters);
	}
	spin_unlock(&port->lock);
	return mr;
}

/* Take a parked waiter back if nothing happened to it yet. */
bool mach_mqueue_unpark(struct mach_port *port, struct mach_pset *pset,
			struct mach_rcv_waiter *w)
{
	spinlock_t *lock = pset ? &pset->lock : &port->lock;
	bool taken;

	spin_lock(lock);
	taken = w->state == MACH_WAIT_WAITING;
	if (taken)
		list_del_init(&w->link);
	spin_unlock(lock);
	return taken;
}
