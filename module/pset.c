// SPDX-License-Identifier: GPL-2.0
/*
 * Port sets: membership and the mach_port_*_member calls (XNU's
 * ipc_pset.c).
 *
 * Lock order (see ipc.h): space->lock, then pset->lock, then port->lock.
 * Membership links change only with all three held, so a sender holding
 * only its port's lock, or a receiver holding only the set's lock, reads a
 * stable list.  A sender never takes a set lock while holding its port's:
 * it collects the set with a reference, drops the port lock, then takes the
 * set lock and hands messages to the set's blocked receivers in order
 * (mach_pset_serve_locked).  No global lock and no walk over unrelated sets.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "ipc.h"

struct mach_pset *mach_pset_alloc(void)
{
	struct mach_pset *pset = kzalloc(sizeof(*pset), GFP_KERNEL_ACCOUNT);

	if (!pset)
		return NULL;
	spin_lock_init(&pset->lock);
	refcount_set(&pset->ref, 1);
	pset->id = mach_next_object_id();
	pset->active = true;
	INIT_LIST_HEAD(&pset->members);
	INIT_LIST_HEAD(&pset->rcv_waiters);
	init_waitqueue_head(&pset->poll_wq);
	atomic_long_inc(&mach_stats.psets);
	return pset;
}

void mach_pset_put(struct mach_pset *pset)
{
	if (!refcount_dec_and_test(&pset->ref))
		return;
	WARN_ON_ONCE(!list_empty(&pset->members));
	atomic_long_dec(&mach_stats.psets);
	kfree(pset);
}

/* Wake every receiver blocked on the set with @state.  Holds pset->lock. */
static void pset_wake_locked(struct mach_pset *pset, int state)
{
	struct mach_rcv_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &pset->rcv_waiters, link) {
		list_del_init(&w->link);
		w->state = state;
		mach_waiter_wake(w);
	}
}

/* Caller holds the set's and the port's locks. */
static void link_free(struct mach_pset_link *link)
{
	list_del(&link->pset_node);
	list_del(&link->port_node);
	link->port->psets_gen++;
	kfree(link);
}

/* The set's entry is going: members leave, blocked receivers wake. */
void mach_pset_destroy(struct mach_pset *pset)
{
	struct mach_pset_link *link, *tmp;

	spin_lock(&pset->lock);
	pset->active = false;
	pset_wake_locked(pset, MACH_WAIT_PORT_CHANGED);
	list_for_each_entry_safe(link, tmp, &pset->members, pset_node) {
		struct mach_port *port = link->port;

		spin_lock(&port->lock);
		link_free(link);
		spin_unlock(&port->lock);
	}
	spin_unlock(&pset->lock);
	wake_up_interruptible_poll(&pset->poll_wq, EPOLLHUP | EPOLLERR);
}

/* The port's receive right leaves its space: it leaves all its sets. */
void mach_pset_unlink_port(struct mach_port *port)
{
	struct mach_pset_link *link;
	struct mach_pset *pset;

	for (;;) {
		spin_lock(&port->lock);
		link = list_first_entry_or_null(&port->psets, struct mach_pset_link,
						port_node);
		pset = link ? link->pset : NULL;
		spin_unlock(&port->lock);
		if (!pset)
			return;
		/* stable: membership only changes under the space lock we hold */
		spin_lock(&pset->lock);
		spin_lock(&port->lock);
		link_free(link);
		spin_unlock(&port->lock);
		spin_unlock(&pset->lock);
		/* a port can be in as many sets as its space has names */
		cond_resched();
	}
}

/*
 * A message was queued on @port: receivers blocked on its sets rescan.
 * Called with no lock held, in process context.
 *
 * The set lock comes before the port lock, so each set is served with the
 * port lock dropped, and the walk resumes from the link it left.  That link
 * is still on the list if the port's membership generation is unchanged;
 * only when membership changed meanwhile is the next set found by its
 * position again (it moves on by at least one set per change, so the walk
 * ends).  One wake-up thus costs one pass over the port's sets, not one pass
 * per set, and it stays preemptible however many sets user space put the
 * port in.
 */
void mach_pset_wake_members_of(struct mach_port *port)
{
	struct mach_pset_link *link = NULL;
	struct mach_pset *pset;
	unsigned int pos = 0, n;
	u32 gen = 0;

	spin_lock(&port->lock);
	for (;;) {
		if (link && gen == port->psets_gen) {
			link = list_next_entry(link, port_node);
		} else {
			n = 0;
			list_for_each_entry(link, &port->psets, port_node)
				if (n++ == pos)
					break;
		}
		if (list_entry_is_head(link, &port->psets, port_node))
			break;
		pset = link->pset;
		refcount_inc(&pset->ref);
		gen = port->psets_gen;
		spin_unlock(&port->lock);

		spin_lock(&pset->lock);
		mach_pset_serve_locked(pset);
		spin_unlock(&pset->lock);
		wake_up_interruptible_poll(&pset->poll_wq, EPOLLIN | EPOLLRDNORM);
		mach_pset_put(pset);
		pos++;
		cond_resched();
		spin_lock(&port->lock);
	}
	spin_unlock(&port->lock);
}

/*
 * The link joining @port and @pset, if any (caller holds both locks).  The
 * two lists are walked side by side, so the cost is the shorter of a port's
 * set count and a set's member count, which user space sets both of.
 */
static struct mach_pset_link *find_link(struct mach_port *port, struct mach_pset *pset)
{
	struct list_head *a = port->psets.next, *b = pset->members.next;
	struct mach_pset_link *link;

	while (a != &port->psets && b != &pset->members) {
		link = list_entry(a, struct mach_pset_link, port_node);
		if (link->pset == pset)
			return link;
		link = list_entry(b, struct mach_pset_link, pset_node);
		if (link->port == port)
			return link;
		a = a->next;
		b = b->next;
	}
	return NULL;
}

/* Caller holds the space lock. */
static int pset_add(struct mach_pset *pset, struct mach_port *port,
		    struct mach_pset_link *link)
{
	spin_lock(&pset->lock);
	spin_lock(&port->lock);
	if (find_link(port, pset)) {
		spin_unlock(&port->lock);
		spin_unlock(&pset->lock);
		return KERN_ALREADY_IN_SET;
	}
	link->port = port;
	link->pset = pset;
	list_add_tail(&link->pset_node, &pset->members);
	list_add_tail(&link->port_node, &port->psets);
	port->psets_gen++;
	spin_unlock(&port->lock);
	/* receivers already blocked on the set get what the port holds */
	mach_pset_serve_locked(pset);
	spin_unlock(&pset->lock);
	wake_up_interruptible_poll(&pset->poll_wq, EPOLLIN | EPOLLRDNORM);
	return KERN_SUCCESS;
}

static int pset_remove(struct mach_pset *pset, struct mach_port *port)
{
	struct mach_pset_link *link;

	spin_lock(&pset->lock);
	spin_lock(&port->lock);
	link = find_link(port, pset);
	if (link)
		link_free(link);
	spin_unlock(&port->lock);
	spin_unlock(&pset->lock);
	return link ? KERN_SUCCESS : KERN_NOT_IN_SET;
}

static bool port_in_sets(struct mach_port *port)
{
	bool in;

	spin_lock(&port->lock);
	in = !list_empty(&port->psets);
	spin_unlock(&port->lock);
	return in;
}

static int lookup_pset(struct mach_space *space, u32 name, struct mach_pset **psetp)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);

	if (!entry)
		return KERN_INVALID_NAME;
	if (!(entry->type & MACH_PORT_TYPE_PORT_SET))
		return KERN_INVALID_RIGHT;
	*psetp = entry->pset;
	return KERN_SUCCESS;
}

/* mach_port_move_member, insert_member, extract_member.  Holds space->lock. */
int mach_pset_member_op(struct mach_space *space, unsigned int cmd,
			struct mach_ioc_port_member *a)
{
	struct mach_pset_link *link;
	struct mach_pset *pset = NULL;
	struct mach_port *port;
	int kr;

	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	if (cmd != MACH_IOC_PORT_MOVE_MEMBER || a->pset != MACH_PORT_NULL) {
		kr = lookup_pset(space, a->pset, &pset);
		if (kr)
			return kr;
	}
	switch (cmd) {
	case MACH_IOC_PORT_EXTRACT_MEMBER:
		return pset_remove(pset, port);
	case MACH_IOC_PORT_INSERT_MEMBER:
		link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
		if (!link)
			return KERN_RESOURCE_SHORTAGE;
		kr = pset_add(pset, port, link);
		if (kr)
			kfree(link);
		return kr;
	case MACH_IOC_PORT_MOVE_MEMBER:
		if (!pset) {
			/* modern XNU: leaving no set is an error */
			if (!port_in_sets(port))
				return KERN_NOT_IN_SET;
			mach_pset_unlink_port(port);
			return KERN_SUCCESS;
		}
		link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
		if (!link)
			return KERN_RESOURCE_SHORTAGE;
		mach_pset_unlink_port(port);
		kr = pset_add(pset, port, link);
		if (kr)
			kfree(link);
		return kr;
	}
	return -ENOTTY;
}

/* mach_port_get_set_status.  Holds space->lock; copies out after. */
int mach_pset_status(struct mach_space *space, struct mach_ioc_port_set_status *a,
		     u32 **bufp, u32 *countp)
{
	struct mach_pset_link *link;
	struct mach_pset *pset;
	u32 n = 0, cap = 16, *buf, *nbuf;
	int kr;

	kr = lookup_pset(space, a->name, &pset);
	if (kr)
		return kr;
	buf = kvmalloc_array(cap, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	/* members change only under the space lock, which we hold */
	list_for_each_entry(link, &pset->members, pset_node) {
		if (n == cap) {
			nbuf = mach_kvrealloc(buf, cap * sizeof(u32),
					      2 * cap * sizeof(u32), GFP_KERNEL_ACCOUNT);
			if (!nbuf) {
				kvfree(buf);
				return KERN_RESOURCE_SHORTAGE;
			}
			buf = nbuf;
			cap *= 2;
		}
		buf[n++] = link->port->receiver_name;
	}
	*bufp = buf;
	*countp = n;
	return KERN_SUCCESS;
}
