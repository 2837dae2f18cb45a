// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg through io_uring (IORING_OP_URING_CMD on /dev/mach).
 *
 * An SQE128 command carries the same struct mach_ioc_msg as the ioctl and
 * completes with the Mach code in cqe->res.  The send half never blocks: a
 * full queue answers MACH_SEND_TIMED_OUT with the message handed back, as a
 * zero send timeout would, since an event loop must not stall in submit.
 * A receive that finds a message completes inline.  Otherwise it is parked
 * on the port's (or set's) receive waiters, in arrival order with blocking
 * receivers, and completed later from the submitting task's context (task
 * work), because the copyout of rights and bytes must happen there.
 *
 * A parked receive ends when a message is handed to it, when its port or
 * set dies or moves (the waiter is woken like a thread), on its timeout (an
 * hrtimer), and when whoever would read its completion goes away:
 *
 *  - its ring is closed, or its task cancels its io_uring requests (execve,
 *    exit).  io_uring waits for every request then, so a receive left parked
 *    would hang exec forever and keep the closed ring, the /dev/mach file and
 *    its space alive.  Kernels with cancelable commands (6.7 on, compat.h)
 *    tell us: io_uring calls mach_uring_cmd() with IO_URING_F_CANCEL.  Older
 *    ones (6.1) cannot cancel a uring_cmd, so a monitor, as ublk's in 6.1,
 *    scans the parked commands every MONITOR_PERIOD for a dying ring or a
 *    task in io_uring's cancel loop (compat.h reads both from io_uring's
 *    types) and ends them itself.  Parking stays on 6.1 because the
 *    monitor's checks cover every way io_uring waits for a request; the
 *    price is up to one period of delay to exec or to the ring's teardown.
 *  - its thread exits while the process lives on: io_uring's exit path
 *    waits only for requests it tracks, which a uring_cmd is not, and cancels
 *    nothing, on any kernel; the monitor ends those too (PF_EXITING).
 *
 * Each of these may race the others; whichever queues the task work (or,
 * for IO_URING_F_CANCEL, claims the completion) first wins (an atomic
 * flag), and the completion decides under the queue lock.  Once orphaned
 * (see uring_rcv_orphaned) a parked receive is passed over by senders, so
 * messages go on, in order, to the receivers that can take them.  A message
 * can still be taken for a receive just before its thread, task or ring
 * goes: then it cannot be copied out, and it goes back to the head of its
 * queue (mach_mqueue_requeue), never lost while its receive right lives.
 */
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ipc.h"

#define MONITOR_PERIOD	(HZ / 20)

enum { WHY_NONE, WHY_TIMEOUT, WHY_GONE };

struct mach_uring_rcv {
	struct mach_rcv_waiter w;
	struct io_uring_cmd *cmd;
	struct mach_space *space;	/* pinned by the request's file */
	struct mach_port *port;		/* receiving on (ref) ... */
	struct mach_pset *pset;		/* ... or this set (ref) */
	struct mach_ioc_msg args;
	u32 option;
	struct task_struct *task;	/* the submitter (ref) */
	struct hrtimer timer;
	bool timed;
	atomic_t queued;		/* completion claimed (task work queued) */
	atomic_t why;
	struct list_head parked;	/* monitor list */
};

static LIST_HEAD(parked);
static DEFINE_SPINLOCK(parked_lock);
static void monitor_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(monitor, monitor_fn);

static struct mach_uring_rcv **pdu(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct mach_uring_rcv *) > sizeof(cmd->pdu));
	return (struct mach_uring_rcv **)cmd->pdu;
}

static void uring_rcv_work(struct io_uring_cmd *cmd, unsigned int issue_flags);

static void kick(struct mach_uring_rcv *u)
{
	if (!atomic_xchg(&u->queued, 1))
		io_uring_cmd_complete_in_task(u->cmd, uring_rcv_work);
}

/* The waiter's state changed (port or set lock held). */
static void uring_wake(struct mach_rcv_waiter *w)
{
	kick(container_of(w, struct mach_uring_rcv, w));
}

static enum hrtimer_restart uring_timeout(struct hrtimer *timer)
{
	struct mach_uring_rcv *u = container_of(timer, struct mach_uring_rcv, timer);

	atomic_cmpxchg(&u->why, WHY_NONE, WHY_TIMEOUT);
	kick(u);
	return HRTIMER_NORESTART;
}

/*
 * Nobody can take a message through this receive any more: its thread
 * exits, its ring is being torn down, or its task is in io_uring's cancel
 * loop (exec, exit).  Called under the port's or set's lock as well.
 */
static bool uring_rcv_orphaned(struct mach_uring_rcv *u)
{
	return (READ_ONCE(u->task->flags) & PF_EXITING) ||
	       mach_uring_ring_dying(u->cmd) || mach_uring_task_cancelling(u->task);
}

static bool uring_waiter_orphaned(struct mach_rcv_waiter *w)
{
	return uring_rcv_orphaned(container_of(w, struct mach_uring_rcv, w));
}

/*
 * Should the monitor end this receive?  Where io_uring cancels commands
 * itself (IO_URING_F_CANCEL), only for an exited thread, which it leaves be.
 */
static bool uring_rcv_monitor_ends(struct mach_uring_rcv *u)
{
	if (MACH_URING_CANCELABLE)
		return READ_ONCE(u->task->flags) & PF_EXITING;
	return uring_rcv_orphaned(u);
}

static void monitor_fn(struct work_struct *work)
{
	struct mach_uring_rcv *u;
	bool again;

	spin_lock(&parked_lock);
	list_for_each_entry(u, &parked, parked) {
		if (uring_rcv_monitor_ends(u)) {
			atomic_cmpxchg(&u->why, WHY_NONE, WHY_GONE);
			kick(u);
		}
	}
	again = !list_empty(&parked);
	spin_unlock(&parked_lock);
	if (again)
		schedule_delayed_work(&monitor, MONITOR_PERIOD);
}

static void uring_rcv_free(struct mach_uring_rcv *u)
{
	if (u->port)
		mach_port_put(u->port);
	if (u->pset)
		mach_pset_put(u->pset);
	put_task_struct(u->task);
	kfree(u);
}

static void unpark(struct mach_uring_rcv *u)
{
	spin_lock(&parked_lock);
	list_del(&u->parked);
	spin_unlock(&parked_lock);
	if (u->timed)
		hrtimer_cancel(&u->timer);
}

/*
 * Can a message taken for @u be copied out now?  Only in its submitter's
 * context, to a task that is not leaving its address space behind (exit,
 * or exec: the cancel loop) and to a ring that someone can still read.
 */
static bool uring_rcv_deliverable(struct mach_uring_rcv *u)
{
	return current == u->task && !uring_rcv_orphaned(u);
}

/*
 * End a parked receive (its completion claimed through u->queued): with
 * the message taken for it, copied out when @deliver, else given back to
 * its queue; with the reason it ended when nothing was taken.
 */
static void uring_rcv_finish(struct mach_uring_rcv *u, bool deliver,
			     unsigned int issue_flags)
{
	struct io_uring_cmd *cmd = u->cmd;
	int why = atomic_read(&u->why);
	struct mach_reap reap;
	int mr;

	mach_reap_init(&reap);
	if (mach_mqueue_unpark(u->port, u->pset, &u->w)) {
		/* nothing arrived: the timer, the monitor or a cancel ended it */
		mr = why == WHY_TIMEOUT ? MACH_RCV_TIMED_OUT : MACH_RCV_INTERRUPTED;
	} else if (u->w.state == MACH_WAIT_PORT_CHANGED) {
		mr = MACH_RCV_PORT_CHANGED;
	} else if (deliver) {
		/* a message (or, for MACH_RCV_LARGE, its size) was taken for us */
		mr = mach_msg_receive_results(u->space, u->args.rcv_msg ?: u->args.msg,
					      u->option, &u->w, &reap);
	} else {
		/* taken, but no one can receive it here: the next receiver will */
		if (u->w.kmsg)
			mach_mqueue_requeue(u->w.kmsg, u->w.seqno, &reap);
		mach_port_put(u->w.port);
		mr = MACH_RCV_INTERRUPTED;
	}
	unpark(u);
	uring_rcv_free(u);
	mach_reap_flush(&reap);
	io_uring_cmd_done(cmd, mr, 0, issue_flags);
}

/*
 * Task work: in the submitter's context, or, for a task past the point of
 * running task work, in a kernel worker (io_uring's fallback).
 */
static void uring_rcv_work(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct mach_uring_rcv *u = *pdu(cmd);

	uring_rcv_finish(u, uring_rcv_deliverable(u), issue_flags);
}

/*
 * IO_URING_F_CANCEL (kernels with cancelable commands): the ring goes or the
 * task cancels its requests.  Called under the ring's lock, again and again
 * until the command completes, from the task or from the ring's exit work.
 * When a wakeup already queued the task work, that completes it.
 */
static int uring_rcv_cancel(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct mach_uring_rcv *u = *pdu(cmd);

	if (!atomic_xchg(&u->queued, 1)) {
		atomic_cmpxchg(&u->why, WHY_NONE, WHY_GONE);
		uring_rcv_finish(u, false, issue_flags);
	}
	return 0;
}

int mach_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct mach_space *space = cmd->file->private_data;
	struct mach_uring_rcv *u;
	struct mach_ioc_msg a;
	struct mach_reap reap;
	struct mach_port *port;
	struct mach_pset *pset;
	u32 option;
	int mr = MACH_MSG_SUCCESS;

	/* a command we parked (no SQE then, maybe not even our task) */
	if (issue_flags & IO_URING_F_CANCEL)
		return uring_rcv_cancel(cmd, issue_flags);
	if (cmd->cmd_op != MACH_URING_CMD_MSG)
		return -EOPNOTSUPP;
	/*
	 * Only inline issue, in the submitting task: an io-wq worker
	 * (IOSQE_ASYNC) or an SQPOLL thread is not where copyout must happen.
	 */
	if (current->flags & PF_IO_WORKER)
		return -EOPNOTSUPP;
	if (!(issue_flags & IO_URING_F_SQE128))
		return -EINVAL;
	if (space->owner != task_tgid(current))
		return -EBADFD;
	/* the SQE lives in the shared ring: copy it before anything else */
	memcpy(&a, mach_uring_cmd_payload(cmd), sizeof(a));
	option = a.option & MACH_MSG_OPTION_USER;
	mach_reap_init(&reap);

	if (option & MACH_SEND_MSG) {
		mr = mach_msg_send(space, &a, option | MACH_SEND_TIMEOUT, 0, &reap);
		mach_reap_flush(&reap);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (!(option & MACH_RCV_MSG))
		return mr;

	mr = mach_msg_rcv_lookup(space, a.rcv_name, &port, &pset);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
	if (!u) {
		if (port)
			mach_port_put(port);
		else
			mach_pset_put(pset);
		return -ENOMEM;
	}
	u->cmd = cmd;
	u->space = space;
	u->port = port;
	u->pset = pset;
	u->args = a;
	u->option = option;
	u->task = get_task_struct(current);
	u->w.option = option;
	u->w.rcv_size = a.rcv_size;
	u->w.task = current;
	u->w.wake = uring_wake;
	u->w.orphaned = uring_waiter_orphaned;
	*pdu(cmd) = u;

	mr = mach_mqueue_park(space, port, pset, &u->w);
	if (mr == MACH_RCV_IN_PROGRESS && (option & MACH_RCV_TIMEOUT) && a.timeout == 0 &&
	    mach_mqueue_unpark(port, pset, &u->w))
		mr = MACH_RCV_TIMED_OUT;
	if (mr != MACH_RCV_IN_PROGRESS) {
		if (mr == MACH_MSG_SUCCESS)
			mr = mach_msg_receive_results(space, a.rcv_msg ?: a.msg, option,
						      &u->w, &reap);
		uring_rcv_free(u);
		mach_reap_flush(&reap);
		return mr;
	}

	/*
	 * Parked: arrange for every way it can end.  Marked cancelable only
	 * now that it surely completes through io_uring_cmd_done(); nothing
	 * can complete it before we return, as its task work needs this task
	 * and a cancel needs the ring's lock, both ours until then.
	 */
	io_uring_cmd_mark_cancelable(cmd, issue_flags);
	spin_lock(&parked_lock);
	if (list_empty(&parked))
		schedule_delayed_work(&monitor, MONITOR_PERIOD);
	list_add_tail(&u->parked, &parked);
	spin_unlock(&parked_lock);
	if ((option & MACH_RCV_TIMEOUT) && a.timeout) {
		u->timed = true;
		mach_hrtimer_setup(&u->timer, uring_timeout, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		hrtimer_start(&u->timer, ms_to_ktime(a.timeout), HRTIMER_MODE_REL);
	}
	return -EIOCBQUEUED;
}

void mach_uring_exit(void)
{
	cancel_delayed_work_sync(&monitor);
}
