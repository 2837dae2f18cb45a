// SPDX-License-Identifier: GPL-2.0
/*
 * Port guards and EXC_GUARD (XNU's osfmk/ipc/mach_port.c guard calls and
 * the policy of ipc_policy.c's mach_port_guard_exception).
 *
 * A guard is a 64-bit value in the port's context that only the holder of
 * the receive right knows; destroying a guarded receive right without it,
 * or misusing the guard calls, is a guard violation.  XNU raises EXC_GUARD
 * on the offending thread: the fatal flavors (up to kGUARD_EXC_MSG_FILTERED)
 * kill the process, the optional ones only when the task's behaviour has
 * TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL, the soft ones never.
 * Third-party tasks start with TASK_EXC_GUARD_NONE, as every space here
 * does.  There are no exception ports to deliver to, so a task that sets
 * TASK_EXC_GUARD_MP_DELIVER without TASK_EXC_GUARD_MP_FATAL asks for
 * non-fatal guards: every violation then only fails the call with XNU's
 * code (and is logged).
 *
 * A fatal violation is recorded in the caller's struct mach_reap under the
 * locks; mach_reap_flush logs it and sends SIGKILL to the caller's thread
 * group once every lock is dropped, so the process dies on its way back to
 * user space, before it sees the call's result, as after XNU's guard AST.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/ratelimit.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* one line per violation, but a process that forks violators cannot flood */
static DEFINE_RATELIMIT_STATE(guard_fatal_rs, 5 * HZ, 50);
static DEFINE_RATELIMIT_STATE(guard_soft_rs, 5 * HZ, 20);

static const char *flavor_name(u32 flavor)
{
	switch (flavor) {
	case kGUARD_EXC_DESTROY:		return "DESTROY";
	case kGUARD_EXC_MOD_REFS:		return "MOD_REFS";
	case kGUARD_EXC_SET_CONTEXT:		return "SET_CONTEXT";
	case kGUARD_EXC_UNGUARDED:		return "UNGUARDED";
	case kGUARD_EXC_INCORRECT_GUARD:	return "INCORRECT_GUARD";
	case kGUARD_EXC_IMMOVABLE:		return "ILLEGAL_MOVE";
	case kGUARD_EXC_INVALID_RIGHT:		return "INVALID_RIGHT";
	case kGUARD_EXC_INVALID_NAME:		return "INVALID_NAME";
	case kGUARD_EXC_INVALID_VALUE:		return "INVALID_VALUE";
	case kGUARD_EXC_INVALID_ARGUMENT:	return "INVALID_ARGUMENT";
	}
	return "GUARD";
}

static bool guard_fatal(u32 behavior, u32 flavor)
{
	const u32 deliver_fatal = TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_MP_FATAL;

	/* delivery asked for, but not fatal: nothing kills (no exception ports) */
	if ((behavior & deliver_fatal) == TASK_EXC_GUARD_MP_DELIVER)
		return false;
	if (flavor <= MAX_FATAL_kGUARD_EXC_CODE)
		return true;
	if (flavor <= MAX_OPTIONAL_kGUARD_EXC_CODE)
		return (behavior & deliver_fatal) == deliver_fatal;
	return false;
}

/*
 * mach_port_guard_exception: the caller of an operation on @space (its own
 * space) violated a guard of @name.  @payload is the flavor's subcode
 * (mostly the port's real guard).  Any locks may be held.
 */
void mach_guard_exception(struct mach_space *space, struct mach_reap *reap,
			  u32 name, u32 flavor, u64 payload)
{
	u32 behavior = READ_ONCE(space->exc_guard);

	if (!guard_fatal(behavior, flavor)) {
		if ((behavior & TASK_EXC_GUARD_MP_DELIVER) && __ratelimit(&guard_soft_rs))
			pr_notice("mach: EXC_GUARD (non-fatal) %s on mach port 0x%x (guarded with 0x%016llx) in pid %d (%s)\n",
				  flavor_name(flavor), name, payload,
				  task_tgid_vnr(current), current->comm);
		return;
	}
	/* the first violation is the one reported, as XNU's AST keeps one */
	if (reap->guard_flavor)
		return;
	reap->guard_flavor = flavor;
	reap->guard_name = name;
	reap->guard_payload = payload;
}

/* From mach_reap_flush, with no lock held: end the offending process. */
void mach_guard_deliver(struct mach_reap *reap)
{
	if (__ratelimit(&guard_fatal_rs))
		pr_notice("mach: EXC_GUARD %s on mach port 0x%x (guarded with 0x%016llx): killing pid %d (%s)\n",
			  flavor_name(reap->guard_flavor), reap->guard_name,
			  reap->guard_payload, task_tgid_vnr(current), current->comm);
	reap->guard_flavor = 0;
	kill_pid(task_tgid(current), SIGKILL, 1);
}

/*
 * mach_port_guard_locked: guard @port (receive right @name of @space) with
 * @guard.  A port that has any context (guard or not) cannot be guarded.
 * Caller holds space->lock; takes the port's.
 */
int mach_guard_port_locked(struct mach_space *space, struct mach_reap *reap,
			   u32 name, struct mach_port *port, u64 guard, u64 flags)
{
	u64 context;

	spin_lock(&port->lock);
	context = port->context;
	if (context) {
		spin_unlock(&port->lock);
		mach_guard_exception(space, reap, name, kGUARD_EXC_INVALID_ARGUMENT, context);
		return KERN_INVALID_ARGUMENT;
	}
	port->context = guard;
	port->guard &= ~MACH_PORT_GUARD_STRICT;
	port->guard |= MACH_PORT_GUARD_GUARDED;
	if (flags & MPG_STRICT)
		port->guard |= MACH_PORT_GUARD_STRICT;
	/* immovability is sticky: unguarding does not lift it */
	if (flags & MPG_IMMOVABLE_RECEIVE)
		port->guard |= MACH_PORT_GUARD_IMMOVABLE;
	spin_unlock(&port->lock);
	return KERN_SUCCESS;
}

/*
 * A guarded receive right destroyed without its guard (mach_port_destroy,
 * mod_refs(RECEIVE, -1), destruct with another guard, mk_timer_destroy): a DESTROY violation.
 * True if @entry's receive right is guarded by something other than @guard
 * (with @any: guarded at all).
 */
bool mach_guard_blocks_destroy(struct mach_space *space, struct mach_reap *reap,
			       u32 name, struct mach_entry *entry, u64 guard, bool any)
{
	struct mach_port *port = entry->port;
	u64 context;
	bool bad;

	if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
		return false;
	spin_lock(&port->lock);
	context = port->context;
	bad = (port->guard & MACH_PORT_GUARD_GUARDED) && (any || context != guard);
	spin_unlock(&port->lock);
	if (bad)
		mach_guard_exception(space, reap, name, kGUARD_EXC_DESTROY, context);
	return bad;
}

/*
 * ipc_right_copyin_check_guard_locked: may a guarded port descriptor with
 * @context and @flags move @port's receive right?  Either the port is
 * guarded by @context, or it is unguarded, @context is 0 and the sender
 * said so (MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND).
 */
bool mach_guard_desc_ok(struct mach_port *port, u64 context, u32 flags)
{
	bool guarded, ok;

	spin_lock(&port->lock);
	guarded = port->guard & MACH_PORT_GUARD_GUARDED;
	if ((flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && !guarded && !context)
		ok = true;
	else
		ok = guarded && port->context == context;
	spin_unlock(&port->lock);
	return ok;
}

/* The receive right under @name, raising XNU's exception when there is none. */
static int guard_translate(struct mach_space *space, struct mach_reap *reap,
			   u32 name, struct mach_port **portp)
{
	int kr = mach_translate_receive(space, name, portp);

	if (kr)
		mach_guard_exception(space, reap, name,
				     kr == KERN_INVALID_NAME ? kGUARD_EXC_INVALID_NAME
							     : kGUARD_EXC_INVALID_RIGHT, 0);
	return kr;
}

/* mach_port_unguard_locked */
static int unguard(struct mach_space *space, struct mach_reap *reap, u32 name,
		   struct mach_port *port, u64 guard)
{
	u64 context;

	spin_lock(&port->lock);
	context = port->context;
	if (!(port->guard & MACH_PORT_GUARD_GUARDED)) {
		spin_unlock(&port->lock);
		mach_guard_exception(space, reap, name, kGUARD_EXC_UNGUARDED, 0);
		return KERN_INVALID_ARGUMENT;
	}
	if (context != guard) {
		spin_unlock(&port->lock);
		mach_guard_exception(space, reap, name, kGUARD_EXC_INCORRECT_GUARD, context);
		return KERN_INVALID_ARGUMENT;
	}
	port->context = 0;
	port->guard &= ~(MACH_PORT_GUARD_GUARDED | MACH_PORT_GUARD_STRICT);
	spin_unlock(&port->lock);
	return KERN_SUCCESS;
}

/* mach_port_swap_guard: checks in XNU's order, unguarded, strict, mismatch. */
static int swap_guard(struct mach_space *space, struct mach_reap *reap, u32 name,
		      struct mach_port *port, u64 old_guard, u64 new_guard)
{
	u32 flavor = 0;
	u64 context;

	spin_lock(&port->lock);
	context = port->context;
	if (!(port->guard & MACH_PORT_GUARD_GUARDED))
		flavor = kGUARD_EXC_UNGUARDED;
	else if (port->guard & MACH_PORT_GUARD_STRICT)
		flavor = kGUARD_EXC_SET_CONTEXT;
	else if (context != old_guard)
		flavor = kGUARD_EXC_INCORRECT_GUARD;
	else
		port->context = new_guard;
	spin_unlock(&port->lock);
	if (!flavor)
		return KERN_SUCCESS;
	mach_guard_exception(space, reap, name, flavor,
			     flavor == kGUARD_EXC_UNGUARDED ? 0 : context);
	return KERN_INVALID_ARGUMENT;
}

/*
 * task_set_exc_guard_behavior as on XNU's release kernels: bits outside
 * TASK_EXC_GUARD_ALL are KERN_INVALID_VALUE; a set DELIVER or FATAL bit
 * cannot be cleared, nor a clear ONCE bit set (KERN_DENIED).
 */
static int set_exc_guard(struct mach_space *space, u32 behavior)
{
	const u32 no_unset = TASK_EXC_GUARD_MP_FATAL | TASK_EXC_GUARD_VM_FATAL |
			     TASK_EXC_GUARD_MP_DELIVER | TASK_EXC_GUARD_VM_DELIVER;
	const u32 no_set = TASK_EXC_GUARD_MP_ONCE | TASK_EXC_GUARD_VM_ONCE;
	u32 cur = space->exc_guard;

	if (behavior & ~TASK_EXC_GUARD_ALL)
		return KERN_INVALID_VALUE;
	if ((cur & no_unset) & ~(behavior & no_unset))
		return KERN_DENIED;
	if ((behavior & no_set) & ~(cur & no_set))
		return KERN_DENIED;
	WRITE_ONCE(space->exc_guard, behavior);
	return KERN_SUCCESS;
}

long mach_guard_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	union {
		struct mach_ioc_port_guard g;
		struct mach_ioc_exc_guard e;
	} a;
	struct mach_reap reap;
	struct mach_port *port;
	long kr;

	if (_IOC_SIZE(cmd) > sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, _IOC_SIZE(cmd)))
		return -EFAULT;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	/* both structs start with the task port */
	kr = mach_task_check(space, a.g.task);
	if (kr)
		goto unlock;
	switch (cmd) {
	case MACH_IOC_PORT_GUARD:
	case MACH_IOC_PORT_UNGUARD:
	case MACH_IOC_PORT_SWAP_GUARD:
		if (!MACH_PORT_VALID(a.g.name)) {
			kr = KERN_INVALID_NAME;
			break;
		}
		kr = guard_translate(space, &reap, a.g.name, &port);
		if (kr)
			break;
		if (cmd == MACH_IOC_PORT_GUARD)
			kr = mach_guard_port_locked(space, &reap, a.g.name, port,
						    a.g.guard, a.g.flags);
		else if (cmd == MACH_IOC_PORT_UNGUARD)
			kr = unguard(space, &reap, a.g.name, port, a.g.guard);
		else
			kr = swap_guard(space, &reap, a.g.name, port, a.g.guard,
					a.g.new_guard);
		break;
	case MACH_IOC_TASK_GET_EXC_GUARD:
		a.e.behavior = space->exc_guard;
		break;
	case MACH_IOC_TASK_SET_EXC_GUARD:
		kr = set_exc_guard(space, a.e.behavior);
		break;
	default:
		kr = -ENOTTY;
	}
unlock:
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	if (kr == KERN_SUCCESS && cmd == MACH_IOC_TASK_GET_EXC_GUARD &&
	    copy_to_user(uarg, &a.e, sizeof(a.e)))
		return -EFAULT;
	return kr;
}
