// SPDX-License-Identifier: GPL-2.0
/*
 * Mach semaphores (XNU's osfmk/kern/sync_sema.c): a counting semaphore
 * named by a kernel-object port.  Its send rights can be sent to any task,
 * which can then signal and wait on it; the kernel holds the receive right.
 *
 * Lifetime, as XNU's: the semaphore lives while send rights to its port
 * exist or a call is using it (sema->ref; the send rights together hold
 * one reference, dropped when the last one goes).  It is *active* until
 * semaphore_destroy by its owner task or until that task's space goes;
 * then every waiter wakes with KERN_TERMINATED and every later call gets
 * KERN_TERMINATED, while the port stays valid for the send rights left.
 * The last reference frees the semaphore and destroys its port, from a
 * work item (it can drop under a port lock).
 *
 * The count is kept as XNU's observable behaviour has it: waiters are
 * served before the count grows, signal with no waiter "preposts" one
 * count, signal_all with no waiter does nothing.
 *
 * Lock order: sema->lock is a leaf (nothing is taken under it); owner
 * lists are under sema_owner_lock, also a leaf, taken under space->lock
 * or alone.
 */
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "ipc.h"

#define SYNC_POLICY_REVERSED	0x2
#define SYNC_POLICY_PREPOST	0x4
/* FIFO, LIFO and the obsolete PREPOST; FIXED_PRIORITY is refused, as in XNU */
#define SYNC_POLICY_USER_MASK	(SYNC_POLICY_REVERSED | SYNC_POLICY_PREPOST)

#define SEMA_WAITING		(-1)

struct mach_sema {
	spinlock_t lock;
	refcount_t ref;
	bool active;
	bool lifo;
	int count;
	struct list_head waiters;	/* struct sema_waiter.link */
	struct mach_port *port;		/* kernel-held; its kobject is us */
	struct mach_space *owner;	/* under sema_owner_lock; NULL once disowned */
	struct list_head owner_link;
	struct work_struct free_work;
};

struct sema_waiter {
	struct list_head link;
	struct task_struct *task;
	int result;			/* SEMA_WAITING, or the kern_return_t */
};

static DEFINE_SPINLOCK(sema_owner_lock);
static struct workqueue_struct *sema_wq;

int mach_semaphore_init(void)
{
	sema_wq = alloc_workqueue("mach_sema", 0, 0);
	return sema_wq ? 0 : -ENOMEM;
}

/* Runs the frees still pending; every space is gone by now. */
void mach_semaphore_exit(void)
{
	destroy_workqueue(sema_wq);
}

static void sema_put(struct mach_sema *s)
{
	if (refcount_dec_and_test(&s->ref))
		queue_work(sema_wq, &s->free_work);
}

/* Caller holds s->lock. */
static void wake_waiter_locked(struct sema_waiter *w, int kr)
{
	list_del_init(&w->link);
	w->result = kr;
	wake_up_process(w->task);
}

/* semaphore_destroy_internal's second half: inactive, waiters terminated. */
static void sema_deactivate(struct mach_sema *s)
{
	struct sema_waiter *w, *tmp;

	spin_lock(&s->lock);
	s->active = false;
	s->count = 0;
	list_for_each_entry_safe(w, tmp, &s->waiters, link)
		wake_waiter_locked(w, KERN_TERMINATED);
	spin_unlock(&s->lock);
}

/* Take @s off its owner's list; true if it was still owned (by @owner, if given). */
static bool sema_disown(struct mach_sema *s, struct mach_space *owner)
{
	bool was = false;

	spin_lock(&sema_owner_lock);
	if (s->owner && (!owner || s->owner == owner)) {
		list_del_init(&s->owner_link);
		s->owner = NULL;
		was = true;
	}
	spin_unlock(&sema_owner_lock);
	return was;
}

static void sema_free_work(struct work_struct *work)
{
	struct mach_sema *s = container_of(work, struct mach_sema, free_work);
	struct mach_port *port = s->port;
	struct mach_reap reap;

	sema_disown(s, NULL);
	sema_deactivate(s);
	spin_lock(&port->lock);
	port->kobject = NULL;
	spin_unlock(&port->lock);
	mach_reap_init(&reap);
	mach_port_destroy(port, &reap);
	mach_reap_flush(&reap);
	mach_port_put(port);
	kfree(s);
	atomic_long_dec(&mach_stats.semaphores);
}

/* The last send right to a semaphore's port went (caller holds port->lock). */
void mach_semaphore_no_senders_locked(struct mach_port *port)
{
	struct mach_sema *s = port->kobject;

	if (s)
		sema_put(s);
}

/* The owner's space is going: its semaphores stop (semaphore_destroy_all). */
void mach_semaphore_task_fini(struct mach_space *space)
{
	struct mach_sema *s;

	for (;;) {
		spin_lock(&sema_owner_lock);
		s = list_first_entry_or_null(&space->semaphores, struct mach_sema, owner_link);
		if (s) {
			list_del_init(&s->owner_link);
			s->owner = NULL;
			refcount_inc(&s->ref);
		}
		spin_unlock(&sema_owner_lock);
		if (!s)
			return;
		sema_deactivate(s);
		sema_put(s);
	}
}

/*
 * port_name_to_semaphore: a reference to the semaphore whose send right
 * @name holds.  KERN_INVALID_NAME, KERN_INVALID_RIGHT (no send right),
 * KERN_INVALID_CAPABILITY (a port that is not a semaphore).  Holds
 * space->lock.
 */
static int sema_lookup(struct mach_space *space, u32 name, struct mach_sema **sp)
{
	struct mach_entry *entry;
	struct mach_port *port;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	entry = mach_entry_lookup(space, name);
	if (!entry)
		return KERN_INVALID_NAME;
	mach_right_check(space, entry);
	if (!(entry->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_RIGHT;
	port = entry->port;
	spin_lock(&port->lock);
	*sp = port->kobject_type == MACH_KOBJ_SEMAPHORE ? port->kobject : NULL;
	if (*sp)
		refcount_inc(&(*sp)->ref);
	spin_unlock(&port->lock);
	return *sp ? KERN_SUCCESS : KERN_INVALID_CAPABILITY;
}

/*
 * semaphore_signal_internal.  @thread: wake only that thread (any waiter
 * when @any), KERN_NOT_WAITING if it does not wait; @all: every waiter.
 */
static int sema_signal(struct mach_sema *s, bool prepost, bool all,
		       struct pid *thread, bool any)
{
	struct sema_waiter *w, *tmp;
	int kr = KERN_NOT_WAITING;

	spin_lock(&s->lock);
	if (!s->active) {
		kr = KERN_TERMINATED;
	} else if (thread || any) {
		list_for_each_entry(w, &s->waiters, link) {
			if (any || task_pid(w->task) == thread) {
				wake_waiter_locked(w, KERN_SUCCESS);
				kr = KERN_SUCCESS;
				break;
			}
		}
	} else if (all) {
		list_for_each_entry_safe(w, tmp, &s->waiters, link)
			wake_waiter_locked(w, KERN_SUCCESS);
		kr = KERN_SUCCESS;
	} else if (!list_empty(&s->waiters)) {
		w = list_first_entry(&s->waiters, struct sema_waiter, link);
		wake_waiter_locked(w, KERN_SUCCESS);
		kr = KERN_SUCCESS;
	} else if (prepost && s->count < INT_MAX) {
		s->count++;
	}
	spin_unlock(&s->lock);
	return kr;
}

/*
 * semaphore_wait_internal: take one count or wait for a signal; with
 * @signal, signal it once our wait is registered.  @deadline NULL waits
 * forever; @noblock is the {0, 0} timeout.  Interruptible: KERN_ABORTED
 * when a signal arrives first, KERN_OPERATION_TIMED_OUT at the deadline.
 */
static int sema_wait(struct mach_sema *s, struct mach_sema *signal,
		     ktime_t *deadline, bool noblock)
{
	struct sema_waiter w = { .task = current, .result = SEMA_WAITING };
	int kr, ret = KERN_SUCCESS;

	spin_lock(&s->lock);
	if (!s->active) {
		kr = KERN_TERMINATED;
	} else if (s->count > 0) {
		s->count--;
		kr = KERN_SUCCESS;
	} else if (noblock) {
		kr = KERN_OPERATION_TIMED_OUT;
	} else {
		if (s->lifo)
			list_add(&w.link, &s->waiters);
		else
			list_add_tail(&w.link, &s->waiters);
		kr = KERN_ALREADY_WAITING;
	}
	spin_unlock(&s->lock);

	if (signal && sema_signal(signal, true, false, NULL, false) == KERN_TERMINATED) {
		/* the semaphore to signal died: do not wait for what it gated */
		if (kr == KERN_ALREADY_WAITING) {
			spin_lock(&s->lock);
			if (w.result == SEMA_WAITING) {
				list_del(&w.link);
				kr = KERN_TERMINATED;
			} else {
				kr = w.result;
			}
			spin_unlock(&s->lock);
		}
	}
	if (kr != KERN_ALREADY_WAITING)
		return kr;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w.result) != SEMA_WAITING)
			break;
		if (signal_pending(current)) {
			ret = KERN_ABORTED;
			break;
		}
		if (!deadline) {
			schedule();
		} else if (!schedule_hrtimeout(deadline, HRTIMER_MODE_ABS)) {
			ret = KERN_OPERATION_TIMED_OUT;
			break;
		}
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(&s->lock);
	if (w.result == SEMA_WAITING)
		list_del(&w.link);
	else
		ret = w.result;
	spin_unlock(&s->lock);
	return ret;
}

/* semaphore_create: a new semaphore and a send right to it for @space. */
/*
 * semaphore_create: a new semaphore owned by @owner (the caller's space or
 * another task's) and a send right to it for the caller's @space.  The
 * owner link is made under the owner's lock alone, so that its teardown
 * (mach_semaphore_task_fini) either sees the semaphore or comes first.
 */
static int sema_create(struct mach_space *space, struct mach_space *owner,
		       struct mach_ioc_semaphore *a, struct mach_reap *reap)
{
	struct mach_port *port;
	struct mach_sema *s;
	bool alive;

	if (a->value < 0 || (a->policy & ~SYNC_POLICY_USER_MASK))
		return KERN_INVALID_ARGUMENT;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return KERN_RESOURCE_SHORTAGE;
	port = mach_kobject_port_alloc(MACH_KOBJ_SEMAPHORE, s, true);
	if (!port) {
		kfree(s);
		return KERN_RESOURCE_SHORTAGE;
	}
	spin_lock_init(&s->lock);
	refcount_set(&s->ref, 1);	/* the send rights' reference */
	s->active = true;
	s->lifo = a->policy & SYNC_POLICY_REVERSED;
	s->count = a->value;
	INIT_LIST_HEAD(&s->waiters);
	INIT_WORK(&s->free_work, sema_free_work);
	s->port = port;
	mach_port_get(port);		/* the send right's reference */
	atomic_long_inc(&mach_stats.semaphores);
	INIT_LIST_HEAD(&s->owner_link);
	if (owner != space) {
		mutex_unlock(&space->lock);
		mutex_lock(&owner->lock);
	}
	alive = owner->active;
	if (alive) {
		spin_lock(&sema_owner_lock);
		s->owner = owner;
		list_add(&s->owner_link, &owner->semaphores);
		spin_unlock(&sema_owner_lock);
	}
	if (owner != space) {
		mutex_unlock(&owner->lock);
		mutex_lock(&space->lock);
	}
	if (!alive) {
		mach_port_release_send(port, reap);
		a->name = MACH_PORT_NULL;
		return MACH_SEND_INVALID_DEST;
	}
	/* a failed copyout drops the send right, which frees the semaphore */
	if (mach_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, true, &a->name, reap)) {
		mach_port_release_send(port, reap);
		a->name = MACH_PORT_NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/*
 * semaphore_destroy(task, semaphore): the send right is consumed (MIG's
 * semaphore_consume_ref_t) whatever the outcome once it could be taken;
 * only the owner task's destroy stops the semaphore, anyone else's
 * succeeds and does nothing more.
 */
static int sema_destroy(struct mach_space *space, struct mach_space *owner, u32 name,
			struct mach_reap *reap)
{
	struct mach_entry *entry;
	struct mach_port *port;
	struct mach_sema *s = NULL;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_ARGUMENT;
	entry = mach_entry_lookup(space, name);
	if (!entry || mach_right_copyin(space, name, entry, MACH_MSG_TYPE_MOVE_SEND, true,
					&port, reap))
		return MACH_SEND_INVALID_RIGHT;
	if (!MACH_PORT_PTR_VALID(port))
		return KERN_INVALID_ARGUMENT;
	spin_lock(&port->lock);
	if (port->kobject_type == MACH_KOBJ_SEMAPHORE && port->kobject) {
		s = port->kobject;
		refcount_inc(&s->ref);
	}
	spin_unlock(&port->lock);
	if (s) {
		if (sema_disown(s, owner))
			sema_deactivate(s);
		sema_put(s);
	}
	mach_port_release_send(port, reap);
	return s ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}

/* A thread port of the caller's space: the thread it names. */
static int thread_lookup(struct mach_space *space, u32 name, struct pid **pidp)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);
	struct mach_thread_port *tp;

	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_ARGUMENT;
	list_for_each_entry(tp, &space->thread_ports, link) {
		if (tp->port == entry->port) {
			*pidp = get_pid(tp->tid);
			return KERN_SUCCESS;
		}
	}
	return KERN_INVALID_ARGUMENT;
}

#define SEMA_FLAGS	(MACH_SEMA_TIMED | MACH_SEMA_SIGNAL)

long mach_semaphore_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	struct mach_ioc_semaphore a;
	struct mach_sema *s = NULL, *sig = NULL;
	struct mach_space *owner = NULL;
	struct pid *thread = NULL;
	struct mach_reap reap;
	ktime_t deadline = 0;
	bool noblock = false;
	long kr;
	int err;

	if (_IOC_SIZE(cmd) != sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~SEMA_FLAGS)
		return -EINVAL;
	if ((a.flags & MACH_SEMA_TIMED) && cmd == MACH_IOC_SEMAPHORE_WAIT) {
		/* BAD_MACH_TIMESPEC, before any name */
		if (a.nsec < 0 || a.nsec >= NSEC_PER_SEC)
			return KERN_INVALID_VALUE;
		noblock = a.sec == 0 && a.nsec == 0;
		deadline = ktime_add(ktime_get(), ktime_set(a.sec, a.nsec));
	}
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	switch (cmd) {
	case MACH_IOC_SEMAPHORE_CREATE:
	case MACH_IOC_SEMAPHORE_DESTROY:
		if (cmd == MACH_IOC_SEMAPHORE_CREATE)
			a.name = MACH_PORT_NULL;
		/* the task may be another one: it owns the semaphore */
		owner = mach_task_space_get_locked(space, a.task, MACH_TASK_CONTROL, &err);
		kr = err;
		if (!owner)
			break;
		if (cmd == MACH_IOC_SEMAPHORE_CREATE)
			kr = sema_create(space, owner, &a, &reap);
		else
			kr = sema_destroy(space, owner, a.name, &reap);
		break;
	case MACH_IOC_SEMAPHORE_SIGNAL_THREAD:
		/* MACH_PORT_NULL: any one waiter, and no prepost */
		kr = a.signal ? thread_lookup(space, a.signal, &thread) : KERN_SUCCESS;
		if (!kr)
			kr = sema_lookup(space, a.name, &s);
		break;
	case MACH_IOC_SEMAPHORE_WAIT:
		/* XNU looks up the semaphore to signal first */
		kr = KERN_SUCCESS;
		if (a.flags & MACH_SEMA_SIGNAL)
			kr = sema_lookup(space, a.signal, &sig);
		if (!kr)
			kr = sema_lookup(space, a.name, &s);
		break;
	case MACH_IOC_SEMAPHORE_SIGNAL:
	case MACH_IOC_SEMAPHORE_SIGNAL_ALL:
		kr = sema_lookup(space, a.name, &s);
		break;
	default:
		kr = -ENOTTY;
	}
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	if (owner)
		mach_space_put(owner);

	if (!kr && s) {
		switch (cmd) {
		case MACH_IOC_SEMAPHORE_SIGNAL:
			kr = sema_signal(s, true, false, NULL, false);
			break;
		case MACH_IOC_SEMAPHORE_SIGNAL_ALL:
			kr = sema_signal(s, false, true, NULL, false);
			break;
		case MACH_IOC_SEMAPHORE_SIGNAL_THREAD:
			/* the one call that reports KERN_NOT_WAITING */
			kr = sema_signal(s, false, false, thread, !thread);
			break;
		case MACH_IOC_SEMAPHORE_WAIT:
			kr = sema_wait(s, sig, (a.flags & MACH_SEMA_TIMED) && !noblock ?
				       &deadline : NULL, noblock);
			break;
		}
		if (kr == KERN_NOT_WAITING && cmd != MACH_IOC_SEMAPHORE_SIGNAL_THREAD)
			kr = KERN_SUCCESS;
	}
	if (s)
		sema_put(s);
	if (sig)
		sema_put(sig);
	put_pid(thread);
	if (cmd == MACH_IOC_SEMAPHORE_CREATE && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return kr;
}
