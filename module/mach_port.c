// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* calls, mirroring XNU's _kernelrpc_mach_port_* traps and
 * osfmk/ipc/mach_port.c: same checks, same order, same return codes.
 *
 * Every call names its space with a task port, the caller's own or another
 * task's (mach_task_space_get_locked), and runs under that space's lock
 * alone; side effects that need no space lock (notifications, destroyed
 * messages) are flushed after it is dropped.  insert_right and
 * extract_right move a right between the caller's space and the task's:
 * copied in under one lock, copied out under the other (ipc.h).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include "ipc.h"

static int alloc_receive(struct mach_space *space, u32 name, bool named,
			 struct mach_entry **entryp)
{
	struct mach_entry *entry;
	struct mach_port *port;
	int err;

	port = mach_port_alloc();
	if (!port)
		return KERN_RESOURCE_SHORTAGE;
	err = named ? mach_entry_alloc_name(space, name, &entry)
		    : mach_entry_alloc(space, &entry);
	if (err)
		goto fail;
	entry->port = port;
	entry->type = MACH_PORT_TYPE_RECEIVE;
	err = mach_entry_hash(space, entry);
	if (err) {
		entry->port = NULL;
		mach_entry_free(space, entry);
		goto fail;
	}
	port->receiver = space;
	port->receiver_name = entry->name;
	*entryp = entry;
	return KERN_SUCCESS;
fail:
	port->active = false;
	mach_port_put(port);
	return mach_entry_alloc_kr(err);
}

/* A new receive right under a name the space picks (kernel-object ports too). */
int mach_port_new_receive(struct mach_space *space, struct mach_entry **entryp)
{
	return alloc_receive(space, 0, false, entryp);
}

static int alloc_dead(struct mach_space *space, u32 *namep)
{
	struct mach_entry *entry;
	int err = mach_entry_alloc(space, &entry);

	if (err)
		return mach_entry_alloc_kr(err);
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->urefs = 1;
	*namep = entry->name;
	return KERN_SUCCESS;
}

static int alloc_pset(struct mach_space *space, u32 name, bool named, u32 *namep)
{
	struct mach_entry *entry;
	struct mach_pset *pset;
	int err;

	pset = mach_pset_alloc();
	if (!pset)
		return KERN_RESOURCE_SHORTAGE;
	err = named ? mach_entry_alloc_name(space, name, &entry)
		    : mach_entry_alloc(space, &entry);
	if (err) {
		mach_pset_put(pset);
		return mach_entry_alloc_kr(err);
	}
	entry->pset = pset;
	entry->type = MACH_PORT_TYPE_PORT_SET;
	*namep = entry->name;
	return KERN_SUCCESS;
}

/* mach_port_allocate / mach_port_allocate_name */
static int port_allocate(struct mach_space *space, struct mach_ioc_port *a, bool named)
{
	struct mach_entry *entry;
	int kr;

	if (named && !MACH_PORT_VALID(a->name))
		return KERN_INVALID_VALUE;
	switch (a->right) {
	case MACH_PORT_RIGHT_RECEIVE:
		kr = alloc_receive(space, a->name, named, &entry);
		if (kr == KERN_SUCCESS)
			a->name = entry->name;
		return kr;
	case MACH_PORT_RIGHT_DEAD_NAME:
		/* XNU ignores a requested name here and picks one itself */
		return alloc_dead(space, &a->name);
	case MACH_PORT_RIGHT_PORT_SET:
		return alloc_pset(space, a->name, named, &a->name);
	}
	return KERN_INVALID_VALUE;
}

static int port_type(struct mach_space *space, struct mach_ioc_port *a)
{
	struct mach_entry *entry;

	if (a->name == MACH_PORT_NULL)
		return KERN_INVALID_NAME;
	if (a->name == MACH_PORT_DEAD) {
		a->value = MACH_PORT_TYPE_DEAD_NAME;
		return KERN_SUCCESS;
	}
	entry = mach_entry_lookup(space, a->name);
	if (!entry)
		return KERN_INVALID_NAME;
	mach_right_check(space, entry);
	a->value = entry->type & ~(MACH_PORT_TYPE_SPREQUEST | MACH_PORT_TYPE_SPREQUEST_DELAYED);
	return KERN_SUCCESS;
}

static int port_receive_op(struct mach_space *space, unsigned int cmd,
			   struct mach_ioc_port *a)
{
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	spin_lock(&port->lock);
	switch (cmd) {
	case MACH_IOC_PORT_GET_SRIGHTS:
		a->value = port->srights;
		break;
	case MACH_IOC_PORT_SET_MSCOUNT:
		port->mscount = a->value;
		break;
	case MACH_IOC_PORT_SET_SEQNO:
		port->seqno = a->value;
		break;
	}
	spin_unlock(&port->lock);
	return KERN_SUCCESS;
}

/*
 * A strict guard is hidden (get reads 0) and cannot be overwritten (set is
 * a SET_CONTEXT violation); a plain guard is the context, and set_context
 * replaces it, as in XNU.
 */
static int port_context(struct mach_space *space, unsigned int cmd,
			struct mach_ioc_port_context *a, struct mach_reap *reap)
{
	struct mach_port *port;
	u64 guard = 0;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	spin_lock(&port->lock);
	if (port->guard & MACH_PORT_GUARD_STRICT)
		guard = port->context;
	if (cmd == MACH_IOC_PORT_GET_CONTEXT)
		a->context = guard ? 0 : port->context;
	else if (!(port->guard & MACH_PORT_GUARD_STRICT))
		port->context = a->context;
	else
		kr = KERN_INVALID_ARGUMENT;
	spin_unlock(&port->lock);
	if (kr)
		mach_guard_exception(space, reap, a->name, kGUARD_EXC_SET_CONTEXT, guard);
	return kr;
}

static int port_mod_refs(struct mach_space *space, struct mach_ioc_port_refs *a,
			 struct mach_reap *reap)
{
	struct mach_entry *entry;

	if (a->right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->name)) {
		if (a->right == MACH_PORT_RIGHT_SEND ||
		    a->right == MACH_PORT_RIGHT_SEND_ONCE)
			return KERN_SUCCESS;
		return KERN_INVALID_NAME;
	}
	entry = mach_entry_lookup(space, a->name);
	if (!entry)
		return KERN_INVALID_NAME;
	/* ipc_right_delta: any guard stops it, the guard cannot be given here */
	if (a->right == MACH_PORT_RIGHT_RECEIVE && a->delta == -1 &&
	    (entry->type & MACH_PORT_TYPE_RECEIVE) &&
	    mach_guard_blocks_destroy(space, reap, a->name, entry, 0, true))
		return KERN_INVALID_RIGHT;
	return mach_right_delta(space, a->name, entry, a->right, a->delta, reap);
}

static int port_get_refs(struct mach_space *space, struct mach_ioc_port_refs *a)
{
	struct mach_entry *entry;
	u32 type;

	if (a->right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->name)) {
		if (a->right == MACH_PORT_RIGHT_SEND ||
		    a->right == MACH_PORT_RIGHT_SEND_ONCE) {
			a->delta = 1;
			return KERN_SUCCESS;
		}
		return KERN_INVALID_NAME;
	}
	entry = mach_entry_lookup(space, a->name);
	if (!entry)
		return KERN_INVALID_NAME;
	mach_right_check(space, entry);
	type = entry->type;
	if (!(type & MACH_PORT_TYPE(a->right)))
		a->delta = 0;
	else if (a->right == MACH_PORT_RIGHT_SEND || a->right == MACH_PORT_RIGHT_DEAD_NAME)
		a->delta = entry->urefs;
	else
		a->delta = 1;
	return KERN_SUCCESS;
}

/* The names of the space, collected under the lock, copied out after. */
static int port_names(struct mach_space *space, struct mach_ioc_port_names *a,
		      u32 **bufp, u32 *countp)
{
	struct mach_entry *entry;
	unsigned long index;
	u32 n = 0, total = space->nentries;
	u32 *buf;

	buf = kvmalloc_array(max(total, 1U), 2 * sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	xa_for_each(&space->table, index, entry) {
		if (!entry->type || n == total)
			continue;
		mach_right_check(space, entry);
		buf[2 * n] = entry->name;
		buf[2 * n + 1] = entry->type & ~(MACH_PORT_TYPE_SPREQUEST |
						 MACH_PORT_TYPE_SPREQUEST_DELAYED);
		n++;
	}
	*bufp = buf;
	*countp = n;
	return KERN_SUCCESS;
}

static int names_copyout(struct mach_ioc_port_names *a, const u32 *buf, u32 n)
{
	u32 __user *names = u64_to_user_ptr(a->names);
	u32 __user *types = u64_to_user_ptr(a->types);
	u32 i, lim = min(a->count, n);

	for (i = 0; i < lim; i++) {
		if (put_user(buf[2 * i], names + i) || put_user(buf[2 * i + 1], types + i))
			return -EFAULT;
	}
	a->count = n;
	return 0;
}

/*
 * ipc_object_copyout_name: put the right at exactly @name.  The name is
 * checked first, as ipc_entry_alloc_name does (bad generation, index 0, an
 * index held under another generation); only then are send and receive
 * rights held to the one name the space already has for the port
 * (KERN_RIGHT_EXISTS) and a name in use refused (KERN_NAME_EXISTS).
 */
static int copyout_name(struct mach_space *space, u32 name, struct mach_port *port,
			u32 type, struct mach_reap *reap)
{
	struct mach_entry *entry = NULL;
	u32 got;
	int err;

	err = mach_entry_name_check(space, name);
	if (err)
		return mach_entry_alloc_kr(err);
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE)
		entry = mach_entry_rlookup(space, port);
	if (entry) {
		if (entry->name != name)
			return KERN_RIGHT_EXISTS;
		err = mach_right_copyout(space, port, type, false, &got, reap);
		if (err == -EOVERFLOW)
			return KERN_UREFS_OVERFLOW;
		return err ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
	}
	if (mach_entry_lookup(space, name))
		return KERN_NAME_EXISTS;
	err = mach_entry_alloc_name(space, name, &entry);
	if (err)
		return mach_entry_alloc_kr(err);
	/* the new entry takes over the right and its reference */
	entry->port = port;
	entry->urefs = 1;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		entry->type = MACH_PORT_TYPE_SEND_ONCE;
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_PORT_SEND:
		entry->type = MACH_PORT_TYPE_SEND;
		break;
	default:
		entry->type = MACH_PORT_TYPE_RECEIVE;
		entry->urefs = 0;
		break;
	}
	if (mach_entry_hash(space, entry)) {
		entry->port = NULL;
		entry->type = 0;
		mach_entry_free(space, entry);
		return KERN_RESOURCE_SHORTAGE;
	}
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		spin_lock(&port->lock);
		port->receiver = space;
		port->receiver_name = name;
		spin_unlock(&port->lock);
	}
	return KERN_SUCCESS;
}

/* insert_right: @poly comes from the caller's @from, @name is in the task's @space. */
static int port_insert_right(struct mach_space *from, struct mach_space *space,
			     struct mach_ioc_port_right *a, struct mach_reap *reap,
			     struct mach_space **lockedp)
{
	struct mach_entry *entry;
	struct mach_port *port;
	u32 type;
	int kr;

	if (!MACH_PORT_VALID(a->name) || !MACH_MSG_TYPE_PORT_ANY(a->poly_type))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->poly))
		return KERN_INVALID_CAPABILITY;
	entry = mach_entry_lookup(from, a->poly);
	if (!entry)
		return KERN_INVALID_NAME;
	kr = mach_right_copyin(from, a->poly, entry, a->poly_type, true, &port, reap);
	if (kr)
		return kr == -EPERM ? KERN_INVALID_CAPABILITY : KERN_INVALID_RIGHT;
	if (port == MACH_PORT_DEAD_PTR)
		return KERN_INVALID_CAPABILITY;
	type = mach_type_after_copyin(a->poly_type);
	if (mach_space_switch(from, space, lockedp))
		kr = copyout_name(space, a->name, port, type, reap);
	else
		kr = MACH_SEND_INVALID_DEST;
	if (kr)
		mach_port_release_right(port, type, reap);
	return kr;
}

/* extract_right: @name is in the task's @space, the right goes out to the caller's @to. */
static int port_extract_right(struct mach_space *space, struct mach_space *to,
			      struct mach_ioc_port_right *a, struct mach_reap *reap,
			      struct mach_space **lockedp)
{
	struct mach_entry *entry;
	struct mach_port *port;
	u32 type;
	int err;

	if (!MACH_MSG_TYPE_PORT_ANY(a->poly_type))
		return KERN_INVALID_VALUE;
	entry = mach_entry_lookup(space, a->name);
	if (!entry)
		return KERN_INVALID_NAME;
	err = mach_right_copyin(space, a->name, entry, a->poly_type, true, &port, reap);
	if (err)
		return err == -EPERM ? KERN_INVALID_CAPABILITY : KERN_INVALID_RIGHT;
	type = mach_type_after_copyin(a->poly_type);
	/* the caller's space stays open while its ioctl runs */
	mach_space_switch(space, to, lockedp);
	err = mach_right_copyout(to, port, type, true, &a->poly, reap);
	if (err) {
		mach_port_release_right(port, type, reap);
		return KERN_RESOURCE_SHORTAGE;
	}
	a->poly_type = type;
	return KERN_SUCCESS;
}

static void port_status(struct mach_port *port, struct mach_port_status *st)
{
	memset(st, 0, sizeof(*st));
	spin_lock(&port->lock);
	st->mps_pset = !list_empty(&port->psets);
	st->mps_pdrequest = port->pdrequest != NULL;
	st->mps_nsrequest = port->nsrequest != NULL;
	st->mps_seqno = port->seqno;
	st->mps_mscount = port->mscount;
	st->mps_qlimit = port->qlimit;
	st->mps_msgcount = port->msgcount;
	st->mps_sorights = port->sorights;
	st->mps_srights = port->srights > 0;
	if (port->guard & MACH_PORT_GUARD_IMP_DONATION) {
		st->mps_flags |= MACH_PORT_STATUS_FLAG_IMP_DONATION;
		if (port->guard & MACH_PORT_GUARD_TEMPOWNER)
			st->mps_flags |= MACH_PORT_STATUS_FLAG_TEMPOWNER;
	}
	if (port->guard & MACH_PORT_GUARD_GUARDED) {
		st->mps_flags |= MACH_PORT_STATUS_FLAG_GUARDED;
		if (port->guard & MACH_PORT_GUARD_STRICT)
			st->mps_flags |= MACH_PORT_STATUS_FLAG_STRICT_GUARD;
		if (port->guard & MACH_PORT_GUARD_IMMOVABLE)
			st->mps_flags |= MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE;
	}
	spin_unlock(&port->lock);
}

static int port_get_attributes(struct mach_space *space, struct mach_ioc_port_attr *a)
{
	struct mach_port *port;
	u32 want;
	int kr;

	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		want = MACH_PORT_LIMITS_INFO_COUNT;
		break;
	case MACH_PORT_RECEIVE_STATUS:
		want = MACH_PORT_RECEIVE_STATUS_COUNT;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		want = MACH_PORT_DNREQUESTS_SIZE_COUNT;
		break;
	case MACH_PORT_INFO_EXT:
		want = MACH_PORT_INFO_EXT_COUNT;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (a->count < want)
		return KERN_FAILURE;
	memset(a->info, 0, sizeof(a->info));
	if (!MACH_PORT_VALID(a->name)) {
		if (a->flavor == MACH_PORT_LIMITS_INFO) {
			a->count = 0;
			return KERN_SUCCESS;
		}
		if (a->flavor == MACH_PORT_DNREQUESTS_SIZE) {
			a->count = want;
			return KERN_SUCCESS;
		}
		return KERN_INVALID_RIGHT;
	}
	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		spin_lock(&port->lock);
		a->info[0] = port->qlimit;
		spin_unlock(&port->lock);
		break;
	case MACH_PORT_RECEIVE_STATUS:
	case MACH_PORT_INFO_EXT:
		BUILD_BUG_ON(sizeof(struct mach_port_info_ext) > sizeof(a->info));
		port_status(port, (struct mach_port_status *)a->info);
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		a->info[0] = 0;
		break;
	}
	a->count = want;
	return KERN_SUCCESS;
}

static int port_set_attributes(struct mach_space *space, struct mach_ioc_port_attr *a)
{
	struct mach_port *port;
	int kr;

	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		if (a->count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		if ((u32)a->info[0] > MACH_PORT_QLIMIT_MAX)
			return KERN_INVALID_VALUE;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		if (a->count < MACH_PORT_DNREQUESTS_SIZE_COUNT)
			return KERN_FAILURE;
		break;
	case MACH_PORT_TEMPOWNER:
	case MACH_PORT_IMPORTANCE_RECEIVER:
	case MACH_PORT_DENAP_RECEIVER:
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	if (a->flavor == MACH_PORT_LIMITS_INFO)
		mach_port_set_qlimit(port, a->info[0]);
	/* importance and dead-name table sizing have nothing to do here */
	return KERN_SUCCESS;
}

/*
 * mach_port_construct, with XNU's option checks in its order.  Honoured:
 * MPO_QLIMIT, MPO_INSERT_SEND_RIGHT, MPO_CONTEXT_AS_GUARD with MPO_STRICT
 * and MPO_IMMOVABLE_RECEIVE, MPO_EXCEPTION_PORT (an immovable receive
 * right), MPO_TEMPOWNER / MPO_IMPORTANCE_RECEIVER / MPO_DENAP_RECEIVER
 * (status flags only: there is no importance donation).  Accepted with
 * nothing to do, as XNU does for third-party tasks: MPO_REPLY_PORT,
 * MPO_PROVISIONAL_REPLY_PORT, MPO_ENFORCE_REPLY_PORT_SEMANTICS (reply-port
 * rules are enforced only on hardened binaries), MPO_FILTER_MSG (no sandbox
 * filter).  Refused: MPO_TG_BLOCK_TRACKING and MPO_SERVICE_PORT
 * (KERN_DENIED: only the graphics server and launchd may), and
 * MPO_CONNECTION_PORT (KERN_INVALID_ARGUMENT: there are no service ports
 * to derive one from).
 */
static int port_construct(struct mach_space *space, struct mach_ioc_port_construct *a,
			  struct mach_reap *reap)
{
	u32 one = a->flags & (MPO_SERVICE_PORT | MPO_CONNECTION_PORT | MPO_TG_BLOCK_TRACKING);
	struct mach_entry *entry;
	struct mach_port *port;
	int kr;

	if (one & (one - 1))
		return KERN_INVALID_ARGUMENT;
	one = a->flags & (MPO_REPLY_PORT | MPO_ENFORCE_REPLY_PORT_SEMANTICS |
			  MPO_EXCEPTION_PORT | MPO_PROVISIONAL_REPLY_PORT);
	if (one & (one - 1))
		return KERN_INVALID_ARGUMENT;
	if (a->flags & (MPO_TG_BLOCK_TRACKING | MPO_SERVICE_PORT))
		return KERN_DENIED;
	if (a->flags & MPO_CONNECTION_PORT)
		return KERN_INVALID_ARGUMENT;
	if ((a->flags & MPO_QLIMIT) && a->qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	kr = alloc_receive(space, 0, false, &entry);
	if (kr)
		return kr;
	port = entry->port;
	spin_lock(&port->lock);
	if (a->flags & MPO_QLIMIT)
		port->qlimit = a->qlimit;
	if (a->flags & (MPO_IMPORTANCE_RECEIVER | MPO_DENAP_RECEIVER | MPO_TEMPOWNER))
		port->guard |= MACH_PORT_GUARD_IMP_DONATION;
	if (a->flags & MPO_TEMPOWNER)
		port->guard |= MACH_PORT_GUARD_TEMPOWNER;
	if (a->flags & MPO_EXCEPTION_PORT)
		port->guard |= MACH_PORT_GUARD_IMMOVABLE;
	if (!(a->flags & MPO_CONTEXT_AS_GUARD))
		port->context = a->context;
	spin_unlock(&port->lock);
	if (a->flags & MPO_CONTEXT_AS_GUARD) {
		u64 gflags = 0;

		if (a->flags & MPO_STRICT)
			gflags |= MPG_STRICT;
		if (a->flags & MPO_IMMOVABLE_RECEIVE)
			gflags |= MPG_IMMOVABLE_RECEIVE;
		/* a new port has no context: cannot fail */
		mach_guard_port_locked(space, reap, entry->name, port, a->context, gflags);
	}
	if (a->flags & MPO_INSERT_SEND_RIGHT) {
		struct mach_port *send;

		mach_right_copyin(space, entry->name, entry, MACH_MSG_TYPE_MAKE_SEND,
				  false, &send, reap);
		kr = copyout_name(space, entry->name, send, MACH_MSG_TYPE_PORT_SEND, reap);
		if (kr) {
			mach_port_release_send(send, reap);
			mach_right_destroy(space, entry->name, entry, reap);
			return kr;
		}
	}
	a->name = entry->name;
	return KERN_SUCCESS;
}

/*
 * mach_port_destruct (ipc_right_destruct): drop srdelta send urefs, then
 * the receive right, which must be given its guard if it has one.
 */
static int port_destruct(struct mach_space *space, struct mach_ioc_port_construct *a,
			 struct mach_reap *reap)
{
	struct mach_entry *entry;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	entry = mach_entry_lookup(space, a->name);
	if (!entry)
		return KERN_INVALID_NAME;
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (a->srdelta && !(entry->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_RIGHT;
	if (a->srdelta > 0)
		return KERN_INVALID_VALUE;
	if (mach_guard_blocks_destroy(space, reap, a->name, entry, a->context, false))
		return KERN_INVALID_ARGUMENT;
	if (MACH_PORT_UREFS_UNDERFLOW(entry->urefs, a->srdelta))
		return KERN_INVALID_VALUE;
	if (a->srdelta) {
		kr = mach_right_delta(space, a->name, entry, MACH_PORT_RIGHT_SEND,
				      a->srdelta, reap);
		if (kr)
			return kr;
	}
	return mach_right_delta(space, a->name, entry, MACH_PORT_RIGHT_RECEIVE, -1, reap);
}

static int port_peek(struct mach_space *space, struct mach_ioc_port_peek *a)
{
	struct mach_msg_max_trailer trailer;
	struct mach_kmsg *kmsg, *found = NULL;
	struct mach_port *port;
	u32 tsize, seqno;
	u64 context;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	kr = mach_translate_receive(space, a->name, &port);
	if (kr)
		return kr;
	if (GET_RCV_ELEMENTS(a->trailer_type) > MACH_RCV_TRAILER_AUDIT)
		return KERN_INVALID_VALUE;
	tsize = mach_trailer_size(a->trailer_type);
	if (tsize > a->trailer_count)
		return KERN_INVALID_VALUE;

	spin_lock(&port->lock);
	seqno = port->seqno;
	list_for_each_entry(kmsg, &port->messages, link) {
		if (a->seqno == 0 || a->seqno == seqno) {
			found = kmsg;
			break;
		}
		seqno++;
	}
	if (found) {
		a->seqno = seqno;
		/* XNU reports the kernel's size, 8 more than the user's */
		a->size = found->size + 8;
		a->id = found->id;
		context = port->context;
		mach_kmsg_trailer(found, seqno, context, &trailer, tsize, false);
	}
	spin_unlock(&port->lock);
	if (!found)
		return KERN_FAILURE;
	memset(a->trailer, 0, sizeof(a->trailer));
	memcpy(a->trailer, &trailer, tsize);
	a->trailer_count = tsize;
	return KERN_SUCCESS;
}

/* Known commands and their reserved fields, which must be zero. */
static long check_args(unsigned int cmd, const void *arg)
{
	switch (cmd) {
	case MACH_IOC_PORT_ALLOCATE:
	case MACH_IOC_PORT_ALLOCATE_NAME:
	case MACH_IOC_PORT_DEALLOCATE:
	case MACH_IOC_PORT_DESTROY:
	case MACH_IOC_PORT_TYPE:
	case MACH_IOC_PORT_GET_SRIGHTS:
	case MACH_IOC_PORT_SET_MSCOUNT:
	case MACH_IOC_PORT_SET_SEQNO:
	case MACH_IOC_PORT_MOD_REFS:
	case MACH_IOC_PORT_GET_REFS:
	case MACH_IOC_PORT_GET_CONTEXT:
	case MACH_IOC_PORT_SET_CONTEXT:
	case MACH_IOC_PORT_NAMES:
	case MACH_IOC_PORT_INSERT_RIGHT:
	case MACH_IOC_PORT_EXTRACT_RIGHT:
		return 0;
	case MACH_IOC_PORT_GET_ATTRIBUTES:
	case MACH_IOC_PORT_SET_ATTRIBUTES:
		return ((const struct mach_ioc_port_attr *)arg)->reserved ? -EINVAL : 0;
	case MACH_IOC_PORT_CONSTRUCT:
	case MACH_IOC_PORT_DESTRUCT:
		return ((const struct mach_ioc_port_construct *)arg)->reserved ? -EINVAL : 0;
	case MACH_IOC_PORT_PEEK: {
		const struct mach_ioc_port_peek *pk = arg;

		return pk->reserved || pk->reserved2 ? -EINVAL : 0;
	}
	case MACH_IOC_PORT_MOVE_MEMBER:
	case MACH_IOC_PORT_INSERT_MEMBER:
	case MACH_IOC_PORT_EXTRACT_MEMBER:
		return ((const struct mach_ioc_port_member *)arg)->reserved ? -EINVAL : 0;
	case MACH_IOC_PORT_GET_SET_STATUS:
		return ((const struct mach_ioc_port_set_status *)arg)->reserved ? -EINVAL : 0;
	case MACH_IOC_PORT_REQUEST_NOTIFICATION:
		return ((const struct mach_ioc_port_notify *)arg)->reserved ? -EINVAL : 0;
	}
	return -ENOTTY;
}

long mach_port_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	union {
		u32 task;
		struct mach_ioc_port port;
		struct mach_ioc_port_refs refs;
		struct mach_ioc_port_context ctx;
		struct mach_ioc_port_names names;
		struct mach_ioc_port_right right;
		struct mach_ioc_port_attr attr;
		struct mach_ioc_port_construct cons;
		struct mach_ioc_port_peek peek;
		struct mach_ioc_port_member member;
		struct mach_ioc_port_set_status set;
		struct mach_ioc_port_notify notify;
	} a;
	size_t size = _IOC_SIZE(cmd);
	struct mach_space *target = NULL, *locked = space;
	struct mach_entry *entry;
	struct mach_reap reap;
	u32 *names = NULL, nnames = 0, *members = NULL, nmembers = 0;
	long kr;
	int err;

	if (size > sizeof(a) || size < sizeof(u32))
		return -ENOTTY;
	memset(&a, 0, sizeof(a));
	if (check_args(cmd, &a) == -ENOTTY)
		return -ENOTTY;
	if (copy_from_user(&a, uarg, size))
		return -EFAULT;
	kr = check_args(cmd, &a);
	if (kr)
		return kr;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	target = mach_task_space_get_locked(space, a.task, MACH_TASK_CONTROL, &err);
	if (!target) {
		kr = err;
		goto unlock;
	}
	/*
	 * Another task's space: drop ours first (insert_right and
	 * request_notification copy their right in from ours, then switch).
	 */
	if (target != space && cmd != MACH_IOC_PORT_INSERT_RIGHT &&
	    cmd != MACH_IOC_PORT_REQUEST_NOTIFICATION &&
	    !mach_space_switch(space, target, &locked)) {
		kr = MACH_SEND_INVALID_DEST;
		goto unlock;
	}
	switch (cmd) {
	case MACH_IOC_PORT_ALLOCATE:
		kr = port_allocate(target, &a.port, false);
		break;
	case MACH_IOC_PORT_ALLOCATE_NAME:
		kr = port_allocate(target, &a.port, true);
		break;
	case MACH_IOC_PORT_DEALLOCATE:
	case MACH_IOC_PORT_DESTROY:
		if (!MACH_PORT_VALID(a.port.name)) {
			kr = KERN_SUCCESS;
			break;
		}
		entry = mach_entry_lookup(target, a.port.name);
		if (!entry)
			kr = KERN_INVALID_NAME;
		else if (cmd == MACH_IOC_PORT_DEALLOCATE)
			kr = mach_right_dealloc(target, a.port.name, entry, &reap);
		else if (mach_guard_blocks_destroy(space, &reap, a.port.name, entry, 0, false))
			kr = KERN_INVALID_RIGHT;
		else
			kr = mach_right_destroy(target, a.port.name, entry, &reap);
		break;
	case MACH_IOC_PORT_TYPE:
		kr = port_type(target, &a.port);
		break;
	case MACH_IOC_PORT_GET_SRIGHTS:
	case MACH_IOC_PORT_SET_MSCOUNT:
	case MACH_IOC_PORT_SET_SEQNO:
		kr = port_receive_op(target, cmd, &a.port);
		break;
	case MACH_IOC_PORT_MOD_REFS:
		kr = port_mod_refs(target, &a.refs, &reap);
		break;
	case MACH_IOC_PORT_GET_REFS:
		kr = port_get_refs(target, &a.refs);
		break;
	case MACH_IOC_PORT_GET_CONTEXT:
	case MACH_IOC_PORT_SET_CONTEXT:
		kr = port_context(target, cmd, &a.ctx, &reap);
		break;
	case MACH_IOC_PORT_NAMES:
		kr = port_names(target, &a.names, &names, &nnames);
		break;
	case MACH_IOC_PORT_INSERT_RIGHT:
		kr = port_insert_right(space, target, &a.right, &reap, &locked);
		break;
	case MACH_IOC_PORT_EXTRACT_RIGHT:
		kr = port_extract_right(target, space, &a.right, &reap, &locked);
		break;
	case MACH_IOC_PORT_GET_ATTRIBUTES:
		kr = port_get_attributes(target, &a.attr);
		break;
	case MACH_IOC_PORT_SET_ATTRIBUTES:
		kr = port_set_attributes(target, &a.attr);
		break;
	case MACH_IOC_PORT_CONSTRUCT:
		kr = port_construct(target, &a.cons, &reap);
		break;
	case MACH_IOC_PORT_DESTRUCT:
		kr = port_destruct(target, &a.cons, &reap);
		break;
	case MACH_IOC_PORT_PEEK:
		kr = port_peek(target, &a.peek);
		break;
	case MACH_IOC_PORT_MOVE_MEMBER:
	case MACH_IOC_PORT_INSERT_MEMBER:
	case MACH_IOC_PORT_EXTRACT_MEMBER:
		kr = mach_pset_member_op(target, cmd, &a.member);
		break;
	case MACH_IOC_PORT_GET_SET_STATUS:
		kr = mach_pset_status(target, &a.set, &members, &nmembers);
		break;
	case MACH_IOC_PORT_REQUEST_NOTIFICATION:
		kr = mach_notify_request(space, target, &a.notify, &reap, &locked);
		break;
	default:
		kr = -ENOTTY;
	}
unlock:
	mutex_unlock(&locked->lock);
	mach_reap_flush(&reap);
	if (target)
		mach_space_put(target);
	if (names) {
		if (names_copyout(&a.names, names, nnames))
			kr = -EFAULT;
		kvfree(names);
	}
	if (members) {
		if (copy_to_user(u64_to_user_ptr(a.set.members), members,
				 min(a.set.count, nmembers) * sizeof(u32)))
			kr = -EFAULT;
		a.set.count = nmembers;
		kvfree(members);
	}
	if (kr == KERN_SUCCESS && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &a, size))
		return -EFAULT;
	return kr;
}
