// SPDX-License-Identifier: GPL-2.0
/*
 * Mach timers (XNU's osfmk/kern/mk_timer.c): a timer is a port whose
 * receive right its creator holds, like any other port (it can be moved,
 * put in a set, polled), and to which the kernel sends an
 * mk_timer_expire_msg_t (msgh_id 0, 24 zero bytes after the header) when an
 * armed deadline passes.  Deadlines are absolute CLOCK_MONOTONIC
 * nanoseconds, mach_absolute_time()'s clock.
 *
 * As in XNU, at most one expiry message is queued at a time: a deadline
 * that passes while the previous message is still waiting to be received
 * sends nothing (XNU's preallocated message is in use).  The message to
 * send is allocated when the timer is created or armed, in the caller's
 * context and memory cgroup, so firing allocates nothing.
 *
 * The hrtimer only queues work: the message is sent from process context,
 * where the port lock may be taken.  The work checks under the port lock
 * that the timer is still armed and its deadline passed, so a stale run
 * after a cancel or a re-arm to a later deadline sends nothing.  The timer
 * belongs to its port and dies with it (mach_timer_port_destroyed).
 *
 * Lock order: timer state is under port->lock; hrtimer and work need no
 * lock of their own.
 */
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "ipc.h"

struct mach_timer {
	struct hrtimer hrtimer;
	struct work_struct work;
	struct mach_port *port;		/* the timer's port: it owns us, no reference */
	/* under port->lock */
	struct mach_kmsg *kmsg;		/* the next expiry message */
	ktime_t deadline;
	bool armed;
	bool queued;			/* an expiry message is on the port's queue */
};

#define MK_TIMER_MSG_SIZE	(sizeof(struct mach_msg_header) + 3 * sizeof(u64))

static struct mach_kmsg *expire_msg_alloc(void)
{
	struct mach_kmsg *kmsg = mach_kmsg_kernel_alloc(MK_TIMER_MSG_SIZE);

	if (kmsg) {
		memset(kmsg->body, 0, MK_TIMER_MSG_SIZE - sizeof(struct mach_msg_header));
		/* XNU sends it with COPY_SEND on the timer's port */
		kmsg->bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0);
		kmsg->id = 0;
		kmsg->flags |= MACH_KMSG_TIMER;
	}
	return kmsg;
}

static enum hrtimer_restart timer_fire(struct hrtimer *h)
{
	struct mach_timer *t = container_of(h, struct mach_timer, hrtimer);

	queue_work(system_wq, &t->work);
	return HRTIMER_NORESTART;
}

static void timer_work(struct work_struct *work)
{
	struct mach_timer *t = container_of(work, struct mach_timer, work);
	struct mach_port *port = t->port;
	struct mach_kmsg *kmsg = NULL;
	struct mach_reap reap;

	spin_lock(&port->lock);
	if (port->active && t->armed && ktime_compare(ktime_get(), t->deadline) >= 0) {
		t->armed = false;
		if (!t->queued && t->kmsg) {
			kmsg = t->kmsg;
			t->kmsg = NULL;
			t->queued = true;
			/* the send right the message travels on */
			port->srights++;
			mach_port_get(port);
			kmsg->dest = port;
		}
	}
	spin_unlock(&port->lock);
	if (!kmsg)
		return;
	mach_reap_init(&reap);
	mach_mqueue_send_kernel(kmsg, &reap);
	mach_reap_flush(&reap);
}

/* An expiry message left the port's queue (caller holds port->lock). */
void mach_timer_dequeued_locked(struct mach_port *port)
{
	struct mach_timer *t = port->kobject;

	if (port->kobject_type == MACH_KOBJ_TIMER && t)
		t->queued = false;
}

/*
 * The timer's port died: stop the timer and free it.  Called with no port
 * lock held; may sleep (it waits for a running expiry to finish).
 */
void mach_timer_port_destroyed(struct mach_port *port)
{
	struct mach_timer *t;

	spin_lock(&port->lock);
	t = port->kobject;
	port->kobject = NULL;
	if (t)
		t->armed = false;
	spin_unlock(&port->lock);
	if (!t)
		return;
	hrtimer_cancel(&t->hrtimer);
	cancel_work_sync(&t->work);
	if (t->kmsg)
		mach_kmsg_free(t->kmsg);
	kfree(t);
	atomic_long_dec(&mach_stats.timers);
}

/* mk_timer_create: a new receive right that is a timer.  Holds space->lock. */
static int timer_create(struct mach_space *space, u32 *namep)
{
	struct mach_entry *entry;
	struct mach_timer *t;
	struct mach_port *port;
	int kr;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return KERN_RESOURCE_SHORTAGE;
	t->kmsg = expire_msg_alloc();
	if (!t->kmsg) {
		kfree(t);
		return KERN_RESOURCE_SHORTAGE;
	}
	kr = mach_port_new_receive(space, &entry);
	if (kr) {
		mach_kmsg_free(t->kmsg);
		kfree(t);
		return kr;
	}
	port = entry->port;
	mach_hrtimer_setup(&t->hrtimer, timer_fire, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	INIT_WORK(&t->work, timer_work);
	t->port = port;
	atomic_long_inc(&mach_stats.timers);
	spin_lock(&port->lock);
	port->kobject_type = MACH_KOBJ_TIMER;
	port->kobject = t;
	spin_unlock(&port->lock);
	*namep = entry->name;
	return KERN_SUCCESS;
}

/*
 * The timer a receive right names, as XNU's traps find it:
 * ipc_port_translate_receive (KERN_INVALID_NAME, KERN_INVALID_RIGHT),
 * then KERN_INVALID_ARGUMENT for a port that is not a timer.
 */
static int timer_lookup(struct mach_space *space, u32 name, struct mach_port **portp)
{
	int kr = mach_translate_receive(space, name, portp);

	if (kr)
		return kr;
	if ((*portp)->kobject_type != MACH_KOBJ_TIMER)
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

static int timer_arm(struct mach_space *space, struct mach_ioc_mk_timer *a)
{
	struct mach_kmsg *spare = NULL;
	struct mach_port *port;
	struct mach_timer *t;
	bool need;
	int kr;

	kr = timer_lookup(space, a->name, &port);
	if (kr)
		return kr;
	t = port->kobject;
	spin_lock(&port->lock);
	need = !t->kmsg && !t->queued;
	spin_unlock(&port->lock);
	if (need) {
		spare = expire_msg_alloc();
		if (!spare)
			return KERN_RESOURCE_SHORTAGE;
	}
	spin_lock(&port->lock);
	if (!t->kmsg && spare) {
		t->kmsg = spare;
		spare = NULL;
	}
	t->armed = true;
	t->deadline = a->expire_time > KTIME_MAX ? KTIME_MAX : (ktime_t)a->expire_time;
	/* a deadline already past fires at once, as XNU's thread_call_enter1 */
	hrtimer_start_range_ns(&t->hrtimer, t->deadline, a->leeway, HRTIMER_MODE_ABS);
	spin_unlock(&port->lock);
	if (spare)
		mach_kmsg_free(spare);
	return KERN_SUCCESS;
}

/* mk_timer_cancel: disarm; result_time is the armed deadline, or 0. */
static int timer_cancel(struct mach_space *space, struct mach_ioc_mk_timer *a, u64 *armedp)
{
	struct mach_port *port;
	struct mach_timer *t;
	int kr;

	*armedp = 0;
	kr = timer_lookup(space, a->name, &port);
	if (kr)
		return kr;
	t = port->kobject;
	spin_lock(&port->lock);
	if (t->armed) {
		*armedp = t->deadline;
		t->armed = false;
		hrtimer_try_to_cancel(&t->hrtimer);
	}
	spin_unlock(&port->lock);
	return KERN_SUCCESS;
}

/*
 * mk_timer_destroy: destroy the receive right, which takes the timer with
 * it.  XNU does this through mach_port_destroy, so a guarded timer port is
 * a DESTROY guard violation (KERN_INVALID_RIGHT) like any guarded port.
 */
static int timer_destroy(struct mach_space *space, u32 name, struct mach_reap *reap)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);

	if (!entry)
		return KERN_INVALID_NAME;
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (entry->port->kobject_type != MACH_KOBJ_TIMER)
		return KERN_INVALID_ARGUMENT;
	if (mach_guard_blocks_destroy(space, reap, name, entry, 0, false))
		return KERN_INVALID_RIGHT;
	return mach_right_destroy(space, name, entry, reap);
}

long mach_timer_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	union {
		struct mach_ioc_name name;
		struct mach_ioc_mk_timer timer;
	} a;
	size_t size = _IOC_SIZE(cmd);
	struct mach_reap reap;
	u64 armed = 0;
	long kr;

	if (size > sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, size))
		return -EFAULT;
	if ((cmd == MACH_IOC_MK_TIMER_DESTROY && a.name.reserved) ||
	    ((cmd == MACH_IOC_MK_TIMER_ARM || cmd == MACH_IOC_MK_TIMER_CANCEL) &&
	     a.timer.reserved))
		return -EINVAL;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	switch (cmd) {
	case MACH_IOC_MK_TIMER_CREATE:
		kr = timer_create(space, &a.name.name);
		if (kr)
			a.name.name = MACH_PORT_NULL;
		break;
	case MACH_IOC_MK_TIMER_DESTROY:
		kr = timer_destroy(space, a.name.name, &reap);
		break;
	case MACH_IOC_MK_TIMER_ARM:
		kr = timer_arm(space, &a.timer);
		break;
	case MACH_IOC_MK_TIMER_CANCEL:
		kr = timer_cancel(space, &a.timer, &armed);
		break;
	default:
		kr = -ENOTTY;
	}
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	/* XNU copies result_time out after the cancel: a bad address is KERN_FAILURE */
	if (cmd == MACH_IOC_MK_TIMER_CANCEL && kr == KERN_SUCCESS && a.timer.result_time &&
	    put_user(armed, (u64 __user *)u64_to_user_ptr(a.timer.result_time)))
		kr = KERN_FAILURE;
	if (cmd == MACH_IOC_MK_TIMER_CREATE && copy_to_user(uarg, &a, size))
		return -EFAULT;
	return kr;
}
