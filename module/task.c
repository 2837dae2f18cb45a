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
 * Everything here runs under space->lock unless it says otherwise.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "ipc.h"

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
}

int mach_task_check(struct mach_space *space, u32 task)
{
	struct mach_entry *entry = mach_entry_lookup(space, task);

	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND) ||
	    entry->port != space->task_port)
		return KERN_INVALID_TASK;
	return KERN_SUCCESS;
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

static int get_special(struct mach_space *space, struct mach_ioc_special_port *a,
		       struct mach_reap *reap)
{
	if (a->which < 1 || a->which > TASK_MAX_SPECIAL_PORT)
		return KERN_INVALID_ARGUMENT;
	if (a->which == TASK_KERNEL_PORT)
		return copyout_send(space, make_send(space->task_port), &a->port, reap);
	return copyout_send(space, copy_send(space->special[a->which]), &a->port, reap);
}

static int set_special(struct mach_space *space, struct mach_ioc_special_port *a,
		       struct mach_reap *reap)
{
	struct mach_port *port;
	int kr;

	if (a->which < 1 || a->which > TASK_MAX_SPECIAL_PORT ||
	    a->which == TASK_KERNEL_PORT)
		return KERN_INVALID_ARGUMENT;
	kr = copyin_send_arg(space, a->port, &port, reap);
	if (kr)
		return kr;
	release_held_send(&space->special[a->which], reap);
	space->special[a->which] = port;
	return KERN_SUCCESS;
}

static int ports_register(struct mach_space *space, struct mach_ioc_ports_register *a,
			  struct mach_reap *reap)
{
	struct mach_port *ports[TASK_PORT_REGISTER_MAX] = {};
	u32 i;
	int kr;

	if (a->count > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < a->count; i++) {
		kr = copyin_send_arg(space, a->ports[i], &ports[i], reap);
		if (kr) {
			while (i--)
				release_held_send(&ports[i], reap);
			return kr;
		}
	}
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		release_held_send(&space->registered[i], reap);
		space->registered[i] = ports[i];
	}
	return KERN_SUCCESS;
}

static int ports_lookup(struct mach_space *space, struct mach_ioc_ports_register *a,
			struct mach_reap *reap)
{
	u32 i;
	int kr;

	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		kr = copyout_send(space, copy_send(space->registered[i]),
				  &a->ports[i], reap);
		if (kr) {
			/*
			 * Give back what the earlier slots copied out.  A null
			 * or dead slot came out as MACH_PORT_NULL/DEAD and
			 * holds no entry: nothing to give back.
			 */
			while (i--) {
				struct mach_entry *entry;

				entry = mach_entry_lookup(space, a->ports[i]);
				if (entry)
					mach_right_dealloc(space, a->ports[i], entry, reap);
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
	struct mach_reap reap;
	struct mach_port *port;
	size_t size = _IOC_SIZE(cmd);
	long kr;

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
		kr = mach_task_check(space, a.special.task);
		if (!kr)
			kr = get_special(space, &a.special, &reap);
		break;
	case MACH_IOC_SET_SPECIAL_PORT:
		kr = mach_task_check(space, a.special.task);
		if (!kr)
			kr = set_special(space, &a.special, &reap);
		break;
	case MACH_IOC_PORTS_REGISTER:
		kr = mach_task_check(space, a.reg.task);
		if (!kr)
			kr = ports_register(space, &a.reg, &reap);
		break;
	case MACH_IOC_PORTS_LOOKUP:
		kr = mach_task_check(space, a.reg.task);
		if (!kr)
			kr = ports_lookup(space, &a.reg, &reap);
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
	if (kr == KERN_SUCCESS && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &a, size))
		return -EFAULT;
	return kr;
}
