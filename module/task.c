// SPDX-License-Identifier: GPL-2.0
/*
 * Task and thread ports, task special ports, registered ports, and what a
 * forked child inherits (XNU's task.c / ipc_tt.c, the parts user space
 * sees).
 *
 * The task port is a kernel-object port whose receive right the kernel
 * holds: user space gets send rights to it (task_self_trap) and names its
 * own space with them in every mach_port_* call.  Special and registered
 * ports are send rights the space holds outside its name table.
 *
 * Task ports across tasks: a send right to another space's task port
 * (from task_for_pid, or received in a message) names that space in every
 * call that takes a task.  The port's kobject is its space, cleared when
 * the space's file closes, so a task port never outlives its space: the
 * holder's right turns into a dead name.  A space also stops being a task
 * once its owning process exits or execs (XNU gives an exec'd process a
 * new task port), even if its file lives on elsewhere.
 *
 * task_for_pid finds a pid's space in a registry keyed by the owning
 * thread group (struct pid), under a spinlock of its own that nothing on
 * the message path takes.  When a process holds several spaces, its task
 * is the oldest one (libmach's, opened at load or at fork).
 *
 * Everything here runs under space->lock unless it says otherwise.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/sched/coredump.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/pid_namespace.h>
#include <linux/uaccess.h>
#include "ipc.h"

static DEFINE_HASHTABLE(task_registry, 8);
static DEFINE_SPINLOCK(task_registry_lock);

static void task_register(struct mach_space *space)
{
	spin_lock(&task_registry_lock);
	hash_add(task_registry, &space->task_node, (unsigned long)space->owner);
	spin_unlock(&task_registry_lock);
}

void mach_task_unregister(struct mach_space *space)
{
	spin_lock(&task_registry_lock);
	if (!hlist_unhashed(&space->task_node))
		hash_del(&space->task_node);
	spin_unlock(&task_registry_lock);
}

/*
 * The leader of @space's owning thread group, referenced, or NULL once the
 * group has exited or exec'd since the space was opened.
 */
struct task_struct *mach_space_task(struct mach_space *space)
{
	struct task_struct *task = get_pid_task(space->owner, PIDTYPE_TGID);

	/*
	 * Gone: exec'd since, exiting as a group, or a zombie (a leader that
	 * exited alone while its threads run is still the process).
	 */
	if (task && (READ_ONCE(task->self_exec_id) != space->exec_id ||
		     (READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT) ||
		     (READ_ONCE(task->exit_state) && thread_group_empty(task)))) {
		put_task_struct(task);
		task = NULL;
	}
	return task;
}

static bool space_is_task(struct mach_space *space)
{
	struct task_struct *task = mach_space_task(space);

	if (task)
		put_task_struct(task);
	return task != NULL;
}

/* The task space of the thread group @pid: its oldest live space, referenced. */
static struct mach_space *space_of_pid(struct pid *pid, u64 exec_id)
{
	struct mach_space *space, *best = NULL;

	spin_lock(&task_registry_lock);
	hash_for_each_possible(task_registry, space, task_node, (unsigned long)pid)
		if (space->owner == pid && space->exec_id == exec_id &&
		    (!best || space->id < best->id))
			best = space;
	if (best)
		mach_space_get(best);
	spin_unlock(&task_registry_lock);
	return best;
}

/*
 * ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS), which a module
 * cannot call: the same credential, CAP_SYS_PTRACE and dumpability rules.
 * The LSM hook (Yama, SELinux, AppArmor) is not exported to modules and is
 * not consulted (docs/semantics.md).
 */
bool mach_task_may_control(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	if (task->flags & PF_KTHREAD)
		return false;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->uid, tcred->euid) && uid_eq(cred->uid, tcred->suid) &&
	      uid_eq(cred->uid, tcred->uid) && gid_eq(cred->gid, tcred->egid) &&
	      gid_eq(cred->gid, tcred->sgid) && gid_eq(cred->gid, tcred->gid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;
	/* dumpability after the credentials, as ptrace (pairs with commit_creds) */
	smp_rmb();
	task_lock(task);
	mm = task->mm;
	if (mm)
		ok = get_dumpable(mm) == SUID_DUMP_USER ||
		     ns_capable(mm->user_ns, CAP_SYS_PTRACE);
	else
		ok = task->user_dumpable || ns_capable(&init_user_ns, CAP_SYS_PTRACE);
	task_unlock(task);
	return ok;
}

/*
 * task_name_for_pid's rule in XNU: the caller is the target, or has its
 * effective and real uids, or is privileged (here: CAP_SYS_PTRACE).
 */
static bool task_may_name(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	if (task->flags & PF_KTHREAD)
		return false;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->euid, tcred->euid) && uid_eq(cred->uid, tcred->uid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	return ok;
}

/*
 * Drop @from's lock and take @to's: never two space locks at once.  False
 * if @to has been closed (its lock is held all the same).  @lockedp, if
 * given, tracks the space whose lock is held.
 */
bool mach_space_switch(struct mach_space *from, struct mach_space *to,
		       struct mach_space **lockedp)
{
	if (from != to) {
		mutex_unlock(&from->lock);
		mutex_lock(&to->lock);
		if (lockedp)
			*lockedp = to;
	}
	return to->active;
}

static bool space_switch(struct mach_space *from, struct mach_space *to)
{
	return mach_space_switch(from, to, NULL);
}

struct mach_space *mach_task_space_get_locked(struct mach_space *caller, u32 task,
					      unsigned int flags, int *kr)
{
	struct mach_entry *entry = mach_entry_lookup(caller, task);
	struct mach_space *target = NULL;
	struct mach_port *port;
	bool dead;

	if (entry && entry->port == caller->task_port &&
	    (entry->type & MACH_PORT_TYPE_SEND)) {
		/* the caller's own task: the common case, no other lock */
		mach_space_get(caller);
		return caller;
	}
	*kr = KERN_INVALID_TASK;
	if (!entry)
		return NULL;
	mach_right_check(caller, entry);
	if (entry->type & MACH_PORT_TYPE_DEAD_NAME) {
		*kr = MACH_SEND_INVALID_DEST;
		return NULL;
	}
	if (!(entry->type & MACH_PORT_TYPE_SEND) || (entry->type & MACH_PORT_TYPE_RECEIVE))
		return NULL;
	port = entry->port;
	spin_lock(&port->lock);
	dead = !port->active;
	if (!dead && port->kobject &&
	    (port->kobject_type == MACH_KOBJ_TASK ||
	     (port->kobject_type == MACH_KOBJ_TASK_NAME && (flags & MACH_TASK_NAME_OK)))) {
		target = port->kobject;
		/* the kobject is cleared under this lock before the space goes */
		mach_space_get(target);
	}
	spin_unlock(&port->lock);
	if (dead)
		*kr = MACH_SEND_INVALID_DEST;
	if (target && target != caller && !space_is_task(target)) {
		mach_space_put(target);
		return NULL;
	}
	return target;
}

struct mach_space *mach_task_space_get(struct mach_space *caller, u32 task,
				       unsigned int flags, int *kr)
{
	struct mach_space *target;

	mutex_lock(&caller->lock);
	target = mach_task_space_get_locked(caller, task, flags, kr);
	mutex_unlock(&caller->lock);
	return target;
}

/*
 * The process a task port name in @caller's space stands for: its thread
 * group leader, referenced (put_task_struct), or NULL with *kr set as
 * mach_task_space_get does.  The caller's own task is the current
 * process, even one that exec'd and kept its /dev/mach open.  Whether the
 * caller may act on another task is the caller's question (ptrace rule:
 * mach_task_may_control).
 */
struct task_struct *mach_task_get(struct mach_space *caller, u32 name,
				  unsigned int flags, int *kr)
{
	struct mach_space *target;
	struct task_struct *task;

	target = mach_task_space_get(caller, name, flags, kr);
	if (!target)
		return NULL;
	if (target == caller) {
		task = current->group_leader;
		get_task_struct(task);
	} else {
		task = mach_space_task(target);
		if (!task)
			*kr = KERN_INVALID_TASK;
	}
	mach_space_put(target);
	return task;
}

/* The kernel's receive right on a kernel-object port goes away. */
static void kobject_port_destroy(struct mach_port *port, struct mach_reap *reap)
{
	mach_port_destroy(port, reap);
	spin_lock(&port->lock);
	port->kobject = NULL;
	spin_unlock(&port->lock);
	mach_port_put(port);
}

int mach_task_init(struct mach_space *space)
{
	struct mach_reap reap;

	INIT_LIST_HEAD(&space->semaphores);
	space->task_port = mach_kobject_port_alloc(MACH_KOBJ_TASK, space, false);
	if (!space->task_port)
		return -ENOMEM;
	mach_reap_init(&reap);
	space->special[TASK_BOOTSTRAP_PORT] = mach_bootstrap_get(&reap);
	/* XNU's itk_host: every task starts with a send right to the host */
	space->special[TASK_HOST_PORT] = mach_host_send();
	mach_reap_flush(&reap);
	task_register(space);
	return 0;
}

static void release_held_send(struct mach_port **slot, struct mach_reap *reap)
{
	if (MACH_PORT_PTR_VALID(*slot))
		mach_port_release_send(*slot, reap);
	*slot = NULL;
}

void mach_task_fini(struct mach_space *space, struct mach_reap *reap)
{
	struct mach_thread_port *tp, *tmp;
	int i;

	mach_task_unregister(space);
	mach_semaphore_task_fini(space);
	list_for_each_entry_safe(tp, tmp, &space->thread_ports, link) {
		kobject_port_destroy(tp->port, reap);
		put_pid(tp->tid);
		kfree(tp);
	}
	for (i = 0; i <= TASK_MAX_SPECIAL_PORT; i++)
		release_held_send(&space->special[i], reap);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		release_held_send(&space->registered[i], reap);
	if (space->task_port)
		kobject_port_destroy(space->task_port, reap);
	space->task_port = NULL;
	if (space->name_port)
		kobject_port_destroy(space->name_port, reap);
	space->name_port = NULL;
}

int mach_task_check(struct mach_space *space, u32 task)
{
	struct mach_entry *entry = mach_entry_lookup(space, task);

	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND) ||
	    entry->port != space->task_port)
		return KERN_INVALID_TASK;
	return KERN_SUCCESS;
}

/*
 * For the calls that can only act in the caller's own address space (a
 * mapping is made with vm_mmap, which works on current->mm alone): the
 * caller's own task port passes; another live task's port is a task the
 * call cannot serve on Linux (KERN_NOT_SUPPORTED, not a bad argument).
 * Called with space->lock held.
 */
int mach_task_check_local(struct mach_space *space, u32 task)
{
	struct mach_space *target;
	int kr;

	if (!mach_task_check(space, task))
		return KERN_SUCCESS;
	target = mach_task_space_get_locked(space, task, MACH_TASK_CONTROL, &kr);
	if (!target)
		return KERN_INVALID_TASK;
	mach_space_put(target);
	return KERN_NOT_SUPPORTED;
}

/* A new send right to a port the kernel holds the receive right of. */
static struct mach_port *make_send(struct mach_port *port)
{
	spin_lock(&port->lock);
	port->mscount++;
	port->srights++;
	spin_unlock(&port->lock);
	mach_port_get(port);
	return port;
}

/* Another send right copied from one the space holds (COPY_SEND). */
static struct mach_port *copy_send(struct mach_port *port)
{
	if (!MACH_PORT_PTR_VALID(port))
		return port;
	spin_lock(&port->lock);
	port->srights++;
	spin_unlock(&port->lock);
	mach_port_get(port);
	return port;
}

static int copyout_send(struct mach_space *space, struct mach_port *port,
			u32 *namep, struct mach_reap *reap)
{
	int err = mach_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, true,
				     namep, reap);

	if (err) {
		mach_port_release_right(port, MACH_MSG_TYPE_PORT_SEND, reap);
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

static struct mach_port *thread_port(struct mach_space *space)
{
	struct mach_thread_port *tp, *tmp;
	struct pid *tid = task_pid(current);
	struct mach_reap reap;

	mach_reap_init(&reap);
	list_for_each_entry_safe(tp, tmp, &space->thread_ports, link) {
		if (tp->tid == tid)
			return tp->port;
		/* threads that exited take their port with them */
		if (!pid_has_task(tp->tid, PIDTYPE_PID)) {
			list_del(&tp->link);
			kobject_port_destroy(tp->port, &reap);
			put_pid(tp->tid);
			kfree(tp);
		}
	}
	mach_reap_flush(&reap);
	tp = kzalloc(sizeof(*tp), GFP_KERNEL_ACCOUNT);
	if (!tp)
		return NULL;
	tp->port = mach_kobject_port_alloc(MACH_KOBJ_THREAD, space, false);
	if (!tp->port) {
		kfree(tp);
		return NULL;
	}
	tp->tid = get_pid(tid);
	list_add(&tp->link, &space->thread_ports);
	return tp->port;
}

static int reply_port(struct mach_space *space, u32 *namep)
{
	struct mach_entry *entry;
	struct mach_port *port;

	port = mach_port_alloc();
	if (!port)
		return KERN_RESOURCE_SHORTAGE;
	if (mach_entry_alloc(space, &entry)) {
		port->active = false;
		mach_port_put(port);
		return KERN_NO_SPACE;
	}
	entry->port = port;
	entry->type = MACH_PORT_TYPE_RECEIVE;
	if (mach_entry_hash(space, entry)) {
		entry->port = NULL;
		mach_entry_free(space, entry);
		port->active = false;
		mach_port_put(port);
		return KERN_RESOURCE_SHORTAGE;
	}
	port->receiver = space;
	port->receiver_name = entry->name;
	*namep = entry->name;
	return KERN_SUCCESS;
}

/*
 * Take a send right from the caller's @name as MIG's COPY_SEND would for a
 * port argument: NULL and DEAD pass through, dead names become DEAD.
 */
static int copyin_send_arg(struct mach_space *space, u32 name,
			   struct mach_port **portp, struct mach_reap *reap)
{
	struct mach_entry *entry;

	if (name == MACH_PORT_NULL) {
		*portp = NULL;
		return 0;
	}
	if (name == MACH_PORT_DEAD) {
		*portp = MACH_PORT_DEAD_PTR;
		return 0;
	}
	entry = mach_entry_lookup(space, name);
	if (!entry || mach_right_copyin(space, name, entry, MACH_MSG_TYPE_COPY_SEND,
					true, portp, reap))
		return MACH_SEND_INVALID_RIGHT;
	return 0;
}

/*
 * The special-port and registered-port calls on @target, which may be the
 * caller or another task.  Each is entered and left with the caller's lock
 * held; rights move between the two spaces one lock at a time.
 */
static int get_special(struct mach_space *caller, struct mach_space *target,
		       struct mach_ioc_special_port *a, struct mach_reap *reap)
{
	struct mach_port *port;

	if (a->which < 1 || a->which > TASK_MAX_SPECIAL_PORT)
		return KERN_INVALID_ARGUMENT;
	if (!space_switch(caller, target)) {
		space_switch(target, caller);
		return MACH_SEND_INVALID_DEST;
	}
	if (a->which == TASK_KERNEL_PORT)
		port = make_send(target->task_port);
	else
		port = copy_send(target->special[a->which]);
	space_switch(target, caller);
	return copyout_send(caller, port, &a->port, reap);
}

static int set_special(struct mach_space *caller, struct mach_space *target,
		       struct mach_ioc_special_port *a, struct mach_reap *reap)
{
	struct mach_port *port;
	int kr;

	if (a->which < 1 || a->which > TASK_MAX_SPECIAL_PORT ||
	    a->which == TASK_KERNEL_PORT)
		return KERN_INVALID_ARGUMENT;
	kr = copyin_send_arg(caller, a->port, &port, reap);
	if (kr)
		return kr;
	if (space_switch(caller, target)) {
		release_held_send(&target->special[a->which], reap);
		target->special[a->which] = port;
	} else {
		release_held_send(&port, reap);
		kr = MACH_SEND_INVALID_DEST;
	}
	space_switch(target, caller);
	return kr;
}

static int ports_register(struct mach_space *caller, struct mach_space *target,
			  struct mach_ioc_ports_register *a, struct mach_reap *reap)
{
	struct mach_port *ports[TASK_PORT_REGISTER_MAX] = {};
	u32 i;
	int kr = KERN_SUCCESS;

	if (a->count > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < a->count; i++) {
		kr = copyin_send_arg(caller, a->ports[i], &ports[i], reap);
		if (kr) {
			while (i--)
				release_held_send(&ports[i], reap);
			return kr;
		}
	}
	if (!space_switch(caller, target))
		kr = MACH_SEND_INVALID_DEST;
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		if (kr) {
			release_held_send(&ports[i], reap);
			continue;
		}
		release_held_send(&target->registered[i], reap);
		target->registered[i] = ports[i];
	}
	space_switch(target, caller);
	return kr;
}

static int ports_lookup(struct mach_space *caller, struct mach_space *target,
			struct mach_ioc_ports_register *a, struct mach_reap *reap)
{
	struct mach_port *ports[TASK_PORT_REGISTER_MAX];
	u32 i;
	int kr;

	if (!space_switch(caller, target)) {
		space_switch(target, caller);
		return MACH_SEND_INVALID_DEST;
	}
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		ports[i] = copy_send(target->registered[i]);
	space_switch(target, caller);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		kr = copyout_send(caller, ports[i], &a->ports[i], reap);
		if (kr) {
			/* copyout_send released this one; the rest were never out */
			u32 j;

			for (j = i + 1; j < TASK_PORT_REGISTER_MAX; j++)
				release_held_send(&ports[j], reap);
			/*
			 * Give back what the earlier slots copied out.  A null
			 * or dead slot came out as MACH_PORT_NULL/DEAD and
			 * holds no entry: nothing to give back.
			 */
			while (i--) {
				struct mach_entry *entry;

				entry = mach_entry_lookup(caller, a->ports[i]);
				if (entry)
					mach_right_dealloc(caller, a->ports[i], entry, reap);
			}
			return kr;
		}
	}
	a->count = TASK_PORT_REGISTER_MAX;
	return KERN_SUCCESS;
}

/* A forked child's new space starts with its parent's special ports. */
int mach_task_inherit(struct mach_space *child, struct mach_space *parent)
{
	struct mach_reap reap;
	int i;

	mach_reap_init(&reap);
	mutex_lock(&parent->lock);
	for (i = 0; i <= TASK_MAX_SPECIAL_PORT; i++) {
		release_held_send(&child->special[i], &reap);
		child->special[i] = copy_send(parent->special[i]);
	}
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		child->registered[i] = copy_send(parent->registered[i]);
	mutex_unlock(&parent->lock);
	mach_reap_flush(&reap);
	return 0;
}

long mach_task_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	union {
		struct mach_ioc_name name;
		struct mach_ioc_special_port special;
		struct mach_ioc_ports_register reg;
		struct mach_ioc_bootstrap boot;
	} a;
	struct mach_space *target = NULL;
	struct mach_reap reap;
	struct mach_port *port;
	size_t size = _IOC_SIZE(cmd);
	long kr;
	int err;

	if (size > sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, size))
		return -EFAULT;
	/* reserved fields must be zero */
	if (((cmd == MACH_IOC_GET_SPECIAL_PORT || cmd == MACH_IOC_SET_SPECIAL_PORT) &&
	     a.special.reserved) ||
	    ((cmd == MACH_IOC_PORTS_REGISTER || cmd == MACH_IOC_PORTS_LOOKUP) &&
	     a.reg.reserved))
		return -EINVAL;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	switch (cmd) {
	case MACH_IOC_TASK_SELF:
		kr = copyout_send(space, make_send(space->task_port), &a.name.name, &reap);
		break;
	case MACH_IOC_THREAD_SELF:
		port = thread_port(space);
		kr = port ? copyout_send(space, make_send(port), &a.name.name, &reap)
			  : KERN_RESOURCE_SHORTAGE;
		break;
	case MACH_IOC_REPLY_PORT:
		kr = reply_port(space, &a.name.name);
		if (kr)
			a.name.name = MACH_PORT_NULL;
		break;
	case MACH_IOC_GET_SPECIAL_PORT:
	case MACH_IOC_SET_SPECIAL_PORT:
		target = mach_task_space_get_locked(space, a.special.task,
						    MACH_TASK_CONTROL, &err);
		kr = err;
		if (!target)
			break;
		if (cmd == MACH_IOC_GET_SPECIAL_PORT)
			kr = get_special(space, target, &a.special, &reap);
		else
			kr = set_special(space, target, &a.special, &reap);
		break;
	case MACH_IOC_PORTS_REGISTER:
	case MACH_IOC_PORTS_LOOKUP:
		target = mach_task_space_get_locked(space, a.reg.task,
						    MACH_TASK_CONTROL, &err);
		kr = err;
		if (!target)
			break;
		if (cmd == MACH_IOC_PORTS_REGISTER)
			kr = ports_register(space, target, &a.reg, &reap);
		else
			kr = ports_lookup(space, target, &a.reg, &reap);
		break;
	case MACH_IOC_SET_BOOTSTRAP:
		kr = mach_task_check(space, a.boot.task);
		if (!kr)
			kr = mach_bootstrap_set(space, a.boot.port, &reap);
		break;
	default:
		kr = -ENOTTY;
	}
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	if (target)
		mach_space_put(target);
	if (kr == KERN_SUCCESS && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &a, size))
		return -EFAULT;
	return kr;
}

/* The task name port of @space, made on first use. */
static struct mach_port *name_port(struct mach_space *space)
{
	if (!space->name_port)
		space->name_port = mach_kobject_port_alloc(MACH_KOBJ_TASK_NAME, space, false);
	return space->name_port;
}

/*
 * task_for_pid / task_name_for_pid (XNU's bsd/vm/vm_unix.c): every refusal
 * is KERN_FAILURE with MACH_PORT_NULL out, whether the caller's task port
 * is wrong, the pid is 0 (the kernel), unknown, not a Mach task, or not the
 * caller's to have.  The check holds the target's exec_update_lock so that
 * an exec (which may raise its privileges) cannot come between the check
 * and the port: the task port names the pre-exec space, which an exec
 * makes stop being a task.
 */
static int task_for_pid(struct mach_space *space, struct mach_ioc_task_pid *a,
			bool name)
{
	struct mach_space *target = NULL;
	struct mach_port *port = NULL;
	struct task_struct *task;
	struct mach_reap reap;
	struct pid *pid;
	bool allowed;
	int kr;

	a->port = MACH_PORT_NULL;
	mutex_lock(&space->lock);
	kr = mach_task_check(space, a->task);
	mutex_unlock(&space->lock);
	if (kr || a->pid <= 0)
		return KERN_FAILURE;
	pid = find_get_pid(a->pid);
	if (!pid)
		return KERN_FAILURE;
	/* a process: a thread's own id has no thread-group task */
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		put_pid(pid);
		return KERN_FAILURE;
	}
	if (down_read_killable(&task->signal->exec_update_lock)) {
		put_task_struct(task);
		put_pid(pid);
		return KERN_ABORTED;
	}
	allowed = name ? task_may_name(task) : mach_task_may_control(task);
	if (allowed)
		target = space_of_pid(pid, READ_ONCE(task->self_exec_id));
	if (target) {
		mutex_lock(&target->lock);
		if (target->active) {
			port = name ? name_port(target) : target->task_port;
			if (port)
				make_send(port);
			else
				kr = KERN_RESOURCE_SHORTAGE;
		}
		mutex_unlock(&target->lock);
		mach_space_put(target);
	}
	up_read(&task->signal->exec_update_lock);
	put_task_struct(task);
	put_pid(pid);
	if (!port)
		return kr ? kr : KERN_FAILURE;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	kr = copyout_send(space, port, &a->port, &reap);
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	if (kr)
		a->port = MACH_PORT_NULL;
	return kr;
}

/* pid_for_task: a task or task name port; -1 and KERN_FAILURE otherwise. */
static int pid_for_task(struct mach_space *space, struct mach_ioc_task_pid *a)
{
	struct mach_space *target;
	int kr;

	a->pid = -1;
	target = mach_task_space_get(space, a->task, MACH_TASK_NAME_OK, &kr);
	if (!target)
		return KERN_FAILURE;
	a->pid = pid_nr_ns(target->owner, task_active_pid_ns(current));
	mach_space_put(target);
	if (!a->pid) {
		/* a process outside the caller's pid namespace has no pid there */
		a->pid = -1;
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}

/* The out fields are copied out on failure too (MACH_PORT_NULL, -1), as XNU's. */
long mach_task_pid_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	struct mach_ioc_task_pid a;
	long kr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.reserved)
		return -EINVAL;
	switch (cmd) {
	case MACH_IOC_TASK_FOR_PID:
		kr = task_for_pid(space, &a, false);
		break;
	case MACH_IOC_TASK_NAME_FOR_PID:
		kr = task_for_pid(space, &a, true);
		break;
	case MACH_IOC_PID_FOR_TASK:
		kr = pid_for_task(space, &a);
		break;
	default:
		return -ENOTTY;
	}
	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return kr;
}
