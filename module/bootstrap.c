// SPDX-License-Identifier: GPL-2.0
/*
 * One bootstrap port per IPC namespace, so containers do not see each
 * other's name servers.  The kernel holds a send right to it and copies one
 * into each space opened in the namespace.
 *
 * Lock order: space->lock (when setting), then bootstrap_lock, then port
 * locks.
 *
 * An entry is keyed by the namespace itself and holds a reference on it,
 * so neither the key nor the namespace's inode number can be reused by a
 * later namespace while the entry lives: a namespace only ever finds the
 * port set in it.  The entry goes when its port dies (the server exited),
 * at the next prune, lookup or set, and with it the namespace reference.
 * The kernel exports neither get_ipc_ns nor put_ipc_ns, so the reference is
 * taken and dropped through the namespace's own proc_ns_operations, as
 * nsfs does.
 *
 * A kernel without SysV IPC and POSIX message queues has no IPC namespace
 * at all (current->nsproxy->ipc_ns is NULL): then there is one bootstrap
 * port for the whole system, and setting it takes CAP_SYS_ADMIN in the
 * initial user namespace.  Without CONFIG_IPC_NS there is only the
 * initial namespace, which is never freed and has no operations.
 */
#include <linux/slab.h>
#include <linux/nsproxy.h>
#include <linux/ipc_namespace.h>
#include <linux/proc_ns.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "ipc.h"

struct ns_bootstrap {
	struct list_head link;
	struct ipc_namespace *ns;	/* reference, or NULL: no IPC namespaces */
	struct mach_port *port;		/* a send right */
};

static LIST_HEAD(bootstraps);
static DEFINE_MUTEX(bootstrap_lock);

/* The caller's IPC namespace, for comparison only (current's is stable). */
static struct ipc_namespace *current_ipc_ns(void)
{
	return current->nsproxy->ipc_ns;
}

/* A reference on the caller's IPC namespace, or NULL if it has none. */
static struct ipc_namespace *ipc_ns_get_current(void)
{
	struct ipc_namespace *ns = current_ipc_ns();
	struct ns_common *nsc;

	if (!ns || !ns->ns.ops)
		return ns;
	nsc = ns->ns.ops->get(current);
	return nsc ? container_of(nsc, struct ipc_namespace, ns) : NULL;
}

static void ipc_ns_put(struct ipc_namespace *ns)
{
	if (ns && ns->ns.ops)
		ns->ns.ops->put(&ns->ns);
}

static struct ns_bootstrap *find(struct ipc_namespace *ns)
{
	struct ns_bootstrap *b;

	list_for_each_entry(b, &bootstraps, link)
		if (b->ns == ns)
			return b;
	return NULL;
}

static void drop(struct ns_bootstrap *b, struct mach_reap *reap)
{
	list_del(&b->link);
	mach_port_release_send(b->port, reap);
	ipc_ns_put(b->ns);
	kfree(b);
}

/* A send right to the namespace's bootstrap port, or NULL. */
struct mach_port *mach_bootstrap_get(struct mach_reap *reap)
{
	struct mach_port *port = NULL;
	struct ns_bootstrap *b;

	mutex_lock(&bootstrap_lock);
	b = find(current_ipc_ns());
	if (b) {
		bool alive;

		port = b->port;
		spin_lock(&port->lock);
		alive = port->active;
		if (alive) {
			port->srights++;
			mach_port_get(port);
		}
		spin_unlock(&port->lock);
		if (!alive) {
			/* the server died: new spaces get no bootstrap port */
			drop(b, reap);
			port = NULL;
		}
	}
	mutex_unlock(&bootstrap_lock);
	return port;
}

/* MACH_IOC_SET_BOOTSTRAP.  Holds space->lock. */
int mach_bootstrap_set(struct mach_space *space, u32 name, struct mach_reap *reap)
{
	struct ipc_namespace *ns = current_ipc_ns();
	struct ns_bootstrap *b, *nb = NULL;
	struct mach_port *port = NULL;
	struct mach_entry *entry;
	u32 disp;

	if (!ns_capable(ns ? ns->user_ns : &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (name != MACH_PORT_NULL) {
		entry = mach_entry_lookup(space, name);
		if (!entry)
			return KERN_INVALID_NAME;
		disp = (entry->type & MACH_PORT_TYPE_RECEIVE) ? MACH_MSG_TYPE_MAKE_SEND
							      : MACH_MSG_TYPE_COPY_SEND;
		if (mach_right_copyin(space, name, entry, disp, false, &port, reap))
			return KERN_INVALID_RIGHT;
		nb = kzalloc(sizeof(*nb), GFP_KERNEL_ACCOUNT);
		if (!nb) {
			mach_port_release_send(port, reap);
			return KERN_RESOURCE_SHORTAGE;
		}
		nb->ns = ipc_ns_get_current();
		nb->port = port;
		if (nb->ns != ns) {
			/* the namespace could not be pinned: no key to file under */
			ipc_ns_put(nb->ns);
			kfree(nb);
			mach_port_release_send(port, reap);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	mutex_lock(&bootstrap_lock);
	b = find(ns);
	if (b)
		drop(b, reap);
	if (nb) {
		list_add(&nb->link, &bootstraps);
		/*
		 * A server that died since the copyin has had its prune: drop
		 * the entry now, or it would pin the namespace until the next.
		 */
		if (!READ_ONCE(port->active))
			drop(nb, reap);
	}
	mutex_unlock(&bootstrap_lock);
	return KERN_SUCCESS;
}

/*
 * A space went away: if it held a namespace's bootstrap receive right, the
 * kernel's send right to the now dead port is dropped at once, so the
 * live-object counters show nothing left behind.
 */
void mach_bootstrap_prune(void)
{
	struct ns_bootstrap *b, *tmp;
	struct mach_reap reap;

	mach_reap_init(&reap);
	mutex_lock(&bootstrap_lock);
	list_for_each_entry_safe(b, tmp, &bootstraps, link)
		if (!READ_ONCE(b->port->active))
			drop(b, &reap);
	mutex_unlock(&bootstrap_lock);
	mach_reap_flush(&reap);
}

void mach_bootstrap_exit(void)
{
	struct ns_bootstrap *b, *tmp;
	struct mach_reap reap;

	mach_reap_init(&reap);
	mutex_lock(&bootstrap_lock);
	list_for_each_entry_safe(b, tmp, &bootstraps, link)
		drop(b, &reap);
	mutex_unlock(&bootstrap_lock);
	mach_reap_flush(&reap);
}
