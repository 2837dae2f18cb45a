// SPDX-License-Identifier: GPL-2.0
/*
 * Rights: what each disposition does to an entry, its urefs and the port's
 * counts (XNU's ipc_right.c and ipc_object_copyin_type).
 *
 * Bookkeeping, as in XNU:
 *  - entry->urefs counts send (or dead-name) user references; receive,
 *    send-once and port-set rights report 1 without storing it;
 *  - port->srights counts send rights: one per entry holding SEND (however
 *    many urefs) plus one per send right in transit;
 *  - an entry holds exactly one port reference, whatever rights it has; a
 *    right in transit holds its own.
 *
 * Caller holds space->lock; port locks are taken here, one at a time.
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include "ipc.h"

#define TYPE_SEND	MACH_PORT_TYPE_SEND
#define TYPE_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define TYPE_SONCE	MACH_PORT_TYPE_SEND_ONCE
#define TYPE_DEAD	MACH_PORT_TYPE_DEAD_NAME

u32 mach_type_after_copyin(u32 disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	return 0;
}

static bool port_active(struct mach_port *port)
{
	bool active;

	spin_lock(&port->lock);
	active = port->active;
	spin_unlock(&port->lock);
	return active;
}

#define TYPE_REQUESTS	(MACH_PORT_TYPE_DNREQUEST | MACH_PORT_TYPE_SPREQUEST | \
			 MACH_PORT_TYPE_SPREQUEST_DELAYED)

/*
 * Disarm the entry's dead-name (or send-possible) request.  One that has
 * not fired turns into a PORT_DELETED notification when @deleted (the name
 * is going while the port lives), else its prebuilt message comes back in
 * *kmsgp; one that fired (the port died) only leaves its uref behind, and
 * one that fired as send-possible leaves nothing.  Returns true if the
 * port's death fired it.
 */
static bool dnreq_cancel(struct mach_entry *entry, bool deleted,
			 struct mach_kmsg **kmsgp, struct mach_reap *reap)
{
	struct mach_dnreq *d = entry->dnreq;
	struct mach_port *port = d->port;
	struct mach_kmsg *kmsg;
	bool fired;

	spin_lock(&port->lock);
	kmsg = d->kmsg;
	d->kmsg = NULL;
	fired = d->fired;
	if (!fired)
		list_del_init(&d->link);
	if (d->armed) {
		d->armed = false;
		port->sparmed--;
	}
	spin_unlock(&port->lock);
	if (kmsg && deleted) {
		mach_notify_set_word(kmsg, MACH_NOTIFY_PORT_DELETED, entry->name);
		list_add_tail(&kmsg->link, &reap->kmsgs_send);
		kmsg = NULL;
	}
	if (kmsgp)
		*kmsgp = kmsg;
	else if (kmsg)
		list_add_tail(&kmsg->link, &reap->kmsgs_destroy);
	mach_port_put(port);
	kfree(d);
	entry->dnreq = NULL;
	entry->type &= ~TYPE_REQUESTS;
	return fired;
}

/* Remove the entry from the table; its port reference must be dealt with. */
static void entry_delete(struct mach_space *space, struct mach_entry *entry,
			 struct mach_reap *reap)
{
	if (entry->dnreq)
		dnreq_cancel(entry, true, NULL, reap);
	mach_entry_unhash(space, entry);
	entry->port = NULL;
	mach_entry_free(space, entry);
}

/*
 * A dead-name request that fired leaves the uref its notification carried;
 * a send-possible request that had fired before the death carried none.
 */
static void dnreq_fired(struct mach_entry *entry, struct mach_reap *reap)
{
	if (!entry->dnreq)
		return;
	if (dnreq_cancel(entry, false, NULL, reap) &&
	    entry->urefs < MACH_PORT_UREFS_MAX - 1)
		entry->urefs++;
}

/*
 * Lazily turn a send or send-once name whose port died into a dead name,
 * keeping its urefs (send-once: 1).  Returns true if it did.
 */
bool mach_right_check(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_port *port = entry->port;
	struct mach_reap reap;

	if (!(entry->type & (TYPE_SEND | TYPE_SONCE)) || (entry->type & TYPE_RECEIVE))
		return false;
	if (port_active(port))
		return false;
	mach_entry_unhash(space, entry);
	if (entry->type & TYPE_SONCE)
		entry->urefs = 1;
	entry->type = TYPE_DEAD | (entry->type & ~MACH_PORT_TYPE_ALL_RIGHTS);
	/* a fired request owns nothing that needs the reap list */
	mach_reap_init(&reap);
	dnreq_fired(entry, &reap);
	mach_reap_flush(&reap);
	entry->port = NULL;
	mach_port_put(port);
	return true;
}

/* Could @entry be copied in with @disp?  Changes nothing (dead is fine). */
int mach_right_copyin_check(struct mach_space *space, struct mach_entry *entry,
			    u32 disp)
{
	u32 type = entry->type;

	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return (type & TYPE_RECEIVE) ? 0 : -EINVAL;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		if (type & TYPE_DEAD)
			return 0;
		return (type & TYPE_SEND) ? 0 : -EINVAL;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (type & TYPE_DEAD)
			return 0;
		return (type & TYPE_SONCE) ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* A dead name gives up one uref; the name goes at zero. */
static void dead_name_drop(struct mach_space *space, struct mach_entry *entry,
			   struct mach_reap *reap)
{
	if (--entry->urefs == 0)
		entry_delete(space, entry, reap);
}

/*
 * A send or send-once disposition on a name whose port is dead (noticed
 * now if need be): returns true when the name is dead, with *portp set to
 * MACH_PORT_DEAD_PTR if that is acceptable (@deadok; a move then drops one
 * uref) or NULL if not.
 */
static bool copyin_dead(struct mach_space *space, struct mach_entry *entry, bool deadok,
			bool move, struct mach_port **portp, struct mach_reap *reap)
{
	mach_right_check(space, entry);
	if (!(entry->type & TYPE_DEAD))
		return false;
	*portp = NULL;
	if (!deadok)
		return true;
	if (move)
		dead_name_drop(space, entry, reap);
	*portp = MACH_PORT_DEAD_PTR;
	return true;
}

/*
 * Copy a right in from @entry with disposition @disp.  On success *portp
 * holds the right and a reference, or is MACH_PORT_DEAD_PTR for a dead name
 * (only when @deadok).  Returns -EINVAL when the name does not hold what the
 * disposition needs, -EPERM (after an ILLEGAL_MOVE guard violation) for an
 * immovable receive right; nothing is changed then.
 */
int mach_right_copyin(struct mach_space *space, u32 name, struct mach_entry *entry,
		      u32 disp, bool deadok, struct mach_port **portp,
		      struct mach_reap *reap)
{
	struct mach_port *port;

	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(entry->type & TYPE_RECEIVE))
			return -EINVAL;
		port = entry->port;
		spin_lock(&port->lock);
		if (disp == MACH_MSG_TYPE_MAKE_SEND) {
			port->mscount++;
			port->srights++;
		} else {
			port->sorights++;
		}
		spin_unlock(&port->lock);
		mach_port_get(port);
		*portp = port;
		return 0;

	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (!(entry->type & TYPE_RECEIVE))
			return -EINVAL;
		port = entry->port;
		/* stable: only changed under this space's lock, held here */
		if (READ_ONCE(port->guard) & MACH_PORT_GUARD_IMMOVABLE) {
			mach_guard_exception(space, reap, name, kGUARD_EXC_IMMOVABLE, 0);
			return -EPERM;
		}
		mach_port_clear_receiver(port, reap);
		if (entry->type & TYPE_SEND) {
			/* the name stays, as a send right; the move needs its own ref */
			entry->type &= ~TYPE_RECEIVE;
			mach_port_get(port);
		} else {
			entry_delete(space, entry, reap);
		}
		*portp = port;
		return 0;

	case MACH_MSG_TYPE_COPY_SEND:
		/* the common case, a live port, under one hold of its lock */
		if (entry->type & TYPE_SEND) {
			port = entry->port;
			spin_lock(&port->lock);
			if (port->active || (entry->type & TYPE_RECEIVE)) {
				port->srights++;
				spin_unlock(&port->lock);
				mach_port_get(port);
				*portp = port;
				return 0;
			}
			spin_unlock(&port->lock);
		}
		if (copyin_dead(space, entry, deadok, false, portp, reap))
			return *portp ? 0 : -EINVAL;
		if (!(entry->type & TYPE_SEND))
			return -EINVAL;
		port = entry->port;
		spin_lock(&port->lock);
		port->srights++;
		spin_unlock(&port->lock);
		mach_port_get(port);
		*portp = port;
		return 0;

	case MACH_MSG_TYPE_MOVE_SEND:
		if (copyin_dead(space, entry, deadok, true, portp, reap))
			return *portp ? 0 : -EINVAL;
		if (!(entry->type & TYPE_SEND))
			return -EINVAL;
		port = entry->port;
		if (entry->urefs > 1) {
			entry->urefs--;
			spin_lock(&port->lock);
			port->srights++;
			spin_unlock(&port->lock);
			mach_port_get(port);
		} else if (entry->type & TYPE_RECEIVE) {
			/* the entry's send right itself moves; the name keeps receive */
			entry->type &= ~TYPE_SEND;
			entry->urefs = 0;
			mach_port_get(port);
		} else {
			/* the last uref: the entry's reference moves with the right */
			entry_delete(space, entry, reap);
		}
		*portp = port;
		return 0;

	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (copyin_dead(space, entry, deadok, true, portp, reap))
			return *portp ? 0 : -EINVAL;
		if (!(entry->type & TYPE_SONCE))
			return -EINVAL;
		port = entry->port;
		entry_delete(space, entry, reap);
		*portp = port;
		return 0;
	}
	return -EINVAL;
}

/*
 * The same name as destination and reply (ipc_right_copyin_two): validate
 * the pair against the entry as it is, then do both, moves last so that a
 * move that frees the name cannot pull it from under the other copyin.
 */
int mach_right_copyin_two(struct mach_space *space, u32 name, struct mach_entry *entry,
			  u32 disp1, u32 disp2, struct mach_port **port1,
			  struct mach_port **port2, struct mach_reap *reap)
{
	u32 disps[2] = { disp1, disp2 };
	struct mach_port **outs[2] = { port1, port2 };
	unsigned int moves = 0, sends = 0, makes = 0;
	int i, pass, err;

	mach_right_check(space, entry);
	if (entry->type & TYPE_DEAD)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		switch (disps[i]) {
		case MACH_MSG_TYPE_MOVE_SEND:
			moves++;
			sends++;
			break;
		case MACH_MSG_TYPE_COPY_SEND:
			sends++;
			break;
		case MACH_MSG_TYPE_MAKE_SEND:
		case MACH_MSG_TYPE_MAKE_SEND_ONCE:
			makes++;
			break;
		default:
			return -EINVAL;
		}
	}
	if (sends && !(entry->type & TYPE_SEND))
		return -EINVAL;
	if (makes && !(entry->type & TYPE_RECEIVE))
		return -EINVAL;
	if (moves > entry->urefs)
		return -EINVAL;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < 2; i++) {
			bool is_move = disps[i] == MACH_MSG_TYPE_MOVE_SEND;

			if (is_move != (pass == 1))
				continue;
			err = mach_right_copyin(space, name, entry, disps[i], false,
						outs[i], reap);
			if (WARN_ON_ONCE(err))
				return err;
		}
	}
	return 0;
}

/*
 * Give @space a right of @type (PORT_SEND, PORT_SEND_ONCE, PORT_RECEIVE)
 * to @port, consuming the right and its reference.  Send rights reuse the
 * space's name for the port; send-once rights always get a new name.  A
 * right to a dead port comes out as MACH_PORT_DEAD.  With @overflow_ok the
 * send urefs peg at MACH_PORT_UREFS_MAX - 1, otherwise that is an error
 * (-EOVERFLOW) and the right is left with the caller.  -ENOSPC/-ENOMEM:
 * no name could be made; the right is left with the caller.
 */
int mach_right_copyout(struct mach_space *space, struct mach_port *port, u32 type,
		       bool overflow_ok, u32 *namep, struct mach_reap *reap)
{
	struct mach_entry *entry;
	int err;

	if (!port) {
		*namep = MACH_PORT_NULL;
		return 0;
	}
	if (port == MACH_PORT_DEAD_PTR) {
		*namep = MACH_PORT_DEAD;
		return 0;
	}
	if (type != MACH_MSG_TYPE_PORT_RECEIVE && !port_active(port)) {
		mach_port_release_right(port, type, reap);
		*namep = MACH_PORT_DEAD;
		return 0;
	}

	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		entry = mach_entry_rlookup(space, port);
		if (entry && (entry->type & TYPE_SEND)) {
			if (entry->urefs + 1 >= MACH_PORT_UREFS_MAX) {
				if (!overflow_ok)
					return -EOVERFLOW;
			} else {
				entry->urefs++;
			}
			/* merge into the entry's send right */
			mach_port_release_send(port, reap);
		} else if (entry) {
			entry->type |= TYPE_SEND;
			entry->urefs = 1;
			mach_port_put(port);
		} else {
			err = mach_entry_alloc(space, &entry);
			if (err)
				return err;
			entry->port = port;
			entry->type = TYPE_SEND;
			entry->urefs = 1;
			err = mach_entry_hash(space, entry);
			if (err) {
				entry->port = NULL;
				mach_entry_free(space, entry);
				return err;
			}
		}
		*namep = entry->name;
		return 0;

	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		err = mach_entry_alloc(space, &entry);
		if (err)
			return err;
		entry->port = port;
		entry->type = TYPE_SONCE;
		entry->urefs = 1;
		*namep = entry->name;
		return 0;

	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_transit_leave(port);
		entry = mach_entry_rlookup(space, port);
		if (entry) {
			entry->type |= TYPE_RECEIVE;
			mach_port_put(port);
		} else {
			err = mach_entry_alloc(space, &entry);
			if (err)
				return err;
			entry->port = port;
			entry->type = TYPE_RECEIVE;
			err = mach_entry_hash(space, entry);
			if (err) {
				entry->port = NULL;
				mach_entry_free(space, entry);
				return err;
			}
		}
		spin_lock(&port->lock);
		port->receiver = space;
		port->receiver_name = entry->name;
		spin_unlock(&port->lock);
		*namep = entry->name;
		return 0;
	}
	return -EINVAL;
}

/* Destroy the receive right held by @entry (whose port is @port). */
static void receive_destroy(struct mach_port *port, struct mach_reap *reap)
{
	mach_port_clear_receiver(port, reap);
	mach_port_destroy(port, reap);
}

/* mach_port_deallocate: one uref off a send, send-once or dead name. */
int mach_right_dealloc(struct mach_space *space, u32 name, struct mach_entry *entry,
		       struct mach_reap *reap)
{
	struct mach_port *port = entry->port;

	mach_right_check(space, entry);
	if (entry->type & TYPE_DEAD) {
		dead_name_drop(space, entry, reap);
		return KERN_SUCCESS;
	}
	if (entry->type & TYPE_SONCE) {
		entry_delete(space, entry, reap);
		mach_port_release_sonce(port, reap);
		return KERN_SUCCESS;
	}
	if (entry->type & TYPE_SEND) {
		if (--entry->urefs > 0)
			return KERN_SUCCESS;
		if (entry->type & TYPE_RECEIVE) {
			entry->type &= ~TYPE_SEND;
			mach_port_srights_dec(port, reap);
		} else {
			entry_delete(space, entry, reap);
			mach_port_release_send(port, reap);
		}
		return KERN_SUCCESS;
	}
	if (entry->type & MACH_PORT_TYPE_PORT_SET) {
		/* modern XNU: deallocating a set destroys it */
		mach_right_drop_entry(space, entry, reap);
		entry_delete(space, entry, reap);
		return KERN_SUCCESS;
	}
	return KERN_INVALID_RIGHT;
}

/* mach_port_destroy: every right under the name goes. */
int mach_right_destroy(struct mach_space *space, u32 name, struct mach_entry *entry,
		       struct mach_reap *reap)
{
	mach_right_check(space, entry);
	mach_right_drop_entry(space, entry, reap);
	entry_delete(space, entry, reap);
	return KERN_SUCCESS;
}

/*
 * Release every right @entry holds, with its side effects, leaving the
 * entry itself (and its table slot) to the caller.
 */
void mach_right_drop_entry(struct mach_space *space, struct mach_entry *entry,
			   struct mach_reap *reap)
{
	struct mach_port *port = entry->port;

	if (entry->pset) {
		mach_pset_destroy(entry->pset);
		mach_pset_put(entry->pset);
		entry->pset = NULL;
		entry->type &= ~MACH_PORT_TYPE_PORT_SET;
		return;
	}
	if (entry->dnreq)
		dnreq_cancel(entry, true, NULL, reap);
	/* the reverse map hashes the port pointer: unhash while it is set */
	mach_entry_unhash(space, entry);
	if (!port)
		return;
	if (entry->type & TYPE_RECEIVE) {
		if (entry->type & TYPE_SEND)
			mach_port_srights_dec(port, reap);
		receive_destroy(port, reap);
		mach_port_put(port);
	} else if (entry->type & TYPE_SEND) {
		mach_port_release_send(port, reap);
	} else if (entry->type & TYPE_SONCE) {
		mach_port_release_sonce(port, reap);
	}
	entry->port = NULL;
	entry->type &= ~MACH_PORT_TYPE_ALL_RIGHTS;
}

/* mach_port_mod_refs (ipc_right_delta). */
int mach_right_delta(struct mach_space *space, u32 name, struct mach_entry *entry,
		     u32 right, s32 delta, struct mach_reap *reap)
{
	struct mach_port *port;
	u32 urefs;

	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		if (!(entry->type & TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		port = entry->port;
		if ((entry->type & TYPE_SEND) && READ_ONCE(port->pdrequest)) {
			/*
			 * A port-destroyed request moves the receive right
			 * away instead of killing the port: the send right
			 * stays (with the entry's reference).  The request
			 * only changes under this space's lock, held here.
			 */
			entry->type &= ~TYPE_RECEIVE;
			receive_destroy(port, reap);
			return KERN_SUCCESS;
		}
		if (entry->type & TYPE_SEND) {
			/* the name lives on as a dead name with the send urefs */
			mach_entry_unhash(space, entry);
			entry->type = TYPE_DEAD | (entry->type & ~MACH_PORT_TYPE_ALL_RIGHTS);
			entry->port = NULL;
			receive_destroy(port, reap);
			mach_port_srights_dec(port, reap);
			dnreq_fired(entry, reap);
		} else {
			entry_delete(space, entry, reap);
			receive_destroy(port, reap);
		}
		mach_port_put(port);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND_ONCE:
		if (mach_right_check(space, entry) || !(entry->type & TYPE_SONCE))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		port = entry->port;
		entry_delete(space, entry, reap);
		mach_port_release_sonce(port, reap);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND:
		if (mach_right_check(space, entry) || !(entry->type & TYPE_SEND))
			return KERN_INVALID_RIGHT;
		urefs = entry->urefs;
		if (MACH_PORT_UREFS_UNDERFLOW(urefs, delta))
			return KERN_INVALID_VALUE;
		if (MACH_PORT_UREFS_OVERFLOW(urefs, delta))
			return KERN_UREFS_OVERFLOW;
		if (delta == 0)
			return KERN_SUCCESS;
		entry->urefs = urefs + delta;
		if (entry->urefs > 0)
			return KERN_SUCCESS;
		port = entry->port;
		if (entry->type & TYPE_RECEIVE) {
			entry->type &= ~TYPE_SEND;
			mach_port_srights_dec(port, reap);
		} else {
			entry_delete(space, entry, reap);
			mach_port_release_send(port, reap);
		}
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_DEAD_NAME:
		mach_right_check(space, entry);
		if (!(entry->type & TYPE_DEAD))
			return KERN_INVALID_RIGHT;
		urefs = entry->urefs;
		if (MACH_PORT_UREFS_UNDERFLOW(urefs, delta))
			return KERN_INVALID_VALUE;
		if (MACH_PORT_UREFS_OVERFLOW(urefs, delta))
			return KERN_UREFS_OVERFLOW;
		entry->urefs = urefs + delta;
		if (entry->urefs == 0)
			entry_delete(space, entry, reap);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_PORT_SET:
		if (!(entry->type & MACH_PORT_TYPE_PORT_SET))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		mach_right_drop_entry(space, entry, reap);
		entry_delete(space, entry, reap);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_LABELH:
		return KERN_INVALID_RIGHT;
	}
	return KERN_INVALID_VALUE;
}

/*
 * Put @d on its port's dead-name requests in place of the entry's current
 * one (whose message comes back in *oldp), atomically with respect to the
 * port's death.  False, changing nothing, if the port is dead.
 */
static bool dnreq_replace(struct mach_entry *entry, struct mach_dnreq *d,
			  struct mach_kmsg **oldp)
{
	struct mach_dnreq *old = entry->dnreq;
	struct mach_port *port = d->port;

	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		return false;
	}
	if (old) {
		/* same port, alive: the old request has not fired (or as sp only) */
		*oldp = old->kmsg;
		old->kmsg = NULL;
		list_del_init(&old->link);
		if (old->armed)
			port->sparmed--;
	}
	if (d) {
		list_add_tail(&d->link, &port->dnrequests);
		if (d->armed)
			port->sparmed++;
	}
	spin_unlock(&port->lock);
	if (old) {
		mach_port_put(old->port);
		kfree(old);
	}
	return true;
}

/*
 * What both kinds of request (ipc_right_request_alloc) begin with: the
 * name's entry, and the request's memory when one is to be stored,
 * allocated before the liveness check, since nothing may sleep between
 * that check and the store.
 */
static int request_begin(struct mach_space *space, u32 name, struct mach_kmsg *kmsg,
			 struct mach_entry **entryp, struct mach_dnreq **dp)
{
	*dp = NULL;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_ARGUMENT;
	*entryp = mach_entry_lookup(space, name);
	if (!*entryp)
		return KERN_INVALID_NAME;
	if (kmsg) {
		*dp = kzalloc(sizeof(**dp), GFP_KERNEL_ACCOUNT);
		if (!*dp)
			return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/*
 * Store @d (carrying @kmsg) as the entry's request on @port, of @type.
 * The port can die at any time (its receive right is in another space):
 * the request goes on it under its lock only while it lives, swapping out
 * the previous request in the same step.  False, with @d emptied again,
 * if it died since the check: the name is a dead name now.
 */
static bool request_store(struct mach_entry *entry, struct mach_dnreq *d,
			  struct mach_port *port, struct mach_kmsg *kmsg,
			  struct mach_kmsg **oldp, u32 type)
{
	d->kmsg = kmsg;
	d->port = port;
	mach_port_get(port);
	if (!dnreq_replace(entry, d, oldp)) {
		d->kmsg = NULL;
		d->port = NULL;
		d->armed = false;
		mach_port_put(port);
		return false;
	}
	entry->dnreq = d;
	entry->type = (entry->type & ~TYPE_REQUESTS) | type;
	return true;
}

/*
 * A request on a name that names no port: on a dead name, with @fire, the
 * notification goes now as DEAD_NAME, adding the uref it carries; XNU's
 * codes otherwise.  Frees the unused request memory @d.
 */
static int request_on_dead(struct mach_entry *entry, u32 name, struct mach_dnreq *d,
			   bool fire, struct mach_kmsg *kmsg, struct mach_reap *reap)
{
	kfree(d);
	if ((entry->type & TYPE_DEAD) && fire && kmsg) {
		if (MACH_PORT_UREFS_OVERFLOW(entry->urefs, 1))
			return KERN_UREFS_OVERFLOW;
		entry->urefs++;
		mach_notify_set_word(kmsg, MACH_NOTIFY_DEAD_NAME, name);
		list_add_tail(&kmsg->link, &reap->kmsgs_send);
		return KERN_SUCCESS;
	}
	return (entry->type & MACH_PORT_TYPE_PORT_OR_DEAD) ? KERN_INVALID_ARGUMENT
							   : KERN_INVALID_RIGHT;
}

/*
 * Arm (or, with a NULL @kmsg, disarm) a dead-name request on @name
 * (ipc_right_request_alloc).  The previous request's message, if any,
 * comes back in *oldp.  Holds space->lock.
 */
int mach_dnrequest(struct mach_space *space, u32 name, bool immediate,
		   struct mach_kmsg *kmsg, struct mach_kmsg **oldp,
		   struct mach_reap *reap)
{
	struct mach_dnreq *d;
	struct mach_entry *entry;
	int kr;

	*oldp = NULL;
	kr = request_begin(space, name, kmsg, &entry, &d);
	if (kr)
		return kr;
retry:
	mach_right_check(space, entry);
	if (!(entry->type & (TYPE_SEND | TYPE_RECEIVE | TYPE_SONCE)))
		return request_on_dead(entry, name, d, immediate, kmsg, reap);
	if (!kmsg) {
		if (entry->dnreq)
			dnreq_cancel(entry, false, oldp, reap);
		return KERN_SUCCESS;
	}
	mach_notify_set_word(kmsg, MACH_NOTIFY_DEAD_NAME, name);
	if (!request_store(entry, d, entry->port, kmsg, oldp, MACH_PORT_TYPE_DNREQUEST))
		goto retry;
	return KERN_SUCCESS;
}

/*
 * The slot's current request goes, with nothing in its place (caller holds
 * the live port's lock).  The old request's message comes back in *oldp.
 */
static void dnreq_take_locked(struct mach_entry *entry, struct mach_kmsg **oldp)
{
	struct mach_dnreq *old = entry->dnreq;

	if (!old)
		return;
	*oldp = old->kmsg;
	old->kmsg = NULL;
	list_del_init(&old->link);
	if (old->armed) {
		old->armed = false;
		old->port->sparmed--;
	}
}

/*
 * A send-possible request on @name (ipc_right_request_alloc with
 * IPR_SOR_SPREQ): it takes the name's one request slot, the previous
 * request's message coming back in *oldp.  With @sync it fires at once,
 * storing nothing, when a send could not block now (a send-once name, a
 * kernel-served port, a queue below its limit); otherwise it is stored
 * armed.  Without @sync it is stored unarmed: only a MACH_SEND_NOTIFY send
 * that finds the queue full arms it (mach_notify_send_arm).  On a dead
 * name it fires as DEAD_NAME at once, adding the uref that carries.
 * @kmsg (prepared, consumed on success) may be NULL to cancel.  Holds
 * space->lock.
 */
int mach_sprequest(struct mach_space *space, u32 name, bool sync,
		   struct mach_kmsg *kmsg, struct mach_kmsg **oldp,
		   struct mach_reap *reap)
{
	struct mach_dnreq *d;
	struct mach_entry *entry;
	struct mach_port *port;
	bool now;
	int kr;

	*oldp = NULL;
	kr = request_begin(space, name, kmsg, &entry, &d);
	if (kr)
		return kr;
retry:
	mach_right_check(space, entry);
	if (!(entry->type & (TYPE_SEND | TYPE_RECEIVE | TYPE_SONCE)))
		return request_on_dead(entry, name, d, true, kmsg, reap);
	if (!kmsg) {
		if (entry->dnreq)
			dnreq_cancel(entry, false, oldp, reap);
		return KERN_SUCCESS;
	}
	port = entry->port;
	/* a port death fires it as DEAD_NAME; a drain rewrites the id */
	mach_notify_set_word(kmsg, MACH_NOTIFY_DEAD_NAME, name);
	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		goto retry;
	}
	now = sync && ((entry->type & TYPE_SONCE) ||
		       mach_kobject_served(port->kobject_type) ||
		       port->msgcount < port->qlimit);
	if (now) {
		dnreq_take_locked(entry, oldp);
		spin_unlock(&port->lock);
		if (entry->dnreq) {
			mach_port_put(entry->dnreq->port);
			kfree(entry->dnreq);
			entry->dnreq = NULL;
			entry->type &= ~TYPE_REQUESTS;
		}
		kfree(d);
		kmsg->id = MACH_NOTIFY_SEND_POSSIBLE;
		list_add_tail(&kmsg->link, &reap->kmsgs_send);
		return KERN_SUCCESS;
	}
	spin_unlock(&port->lock);
	d->sp = true;
	d->armed = sync;
	if (!request_store(entry, d, port, kmsg, oldp,
			   sync ? MACH_PORT_TYPE_SPREQUEST : MACH_PORT_TYPE_SPREQUEST_DELAYED))
		goto retry;
	return KERN_SUCCESS;
}
