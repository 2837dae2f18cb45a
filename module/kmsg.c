// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel messages: allocation, copyin from the sender, copyout to the
 * receiver, destruction (XNU's ipc_kmsg.c).
 *
 * A kmsg keeps the user's body bytes as sent; the rights it carries live
 * beside them (dest, reply, descs[]) and are written back as names only at
 * copyout, in the receiver's space.  The sender's identity is captured at
 * send time from its kernel credentials and never from user memory.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/audit.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include "ipc.h"

#define HDR_SIZE	sizeof(struct mach_msg_header)

static struct kmem_cache *kmsg_cache;

/*
 * Debian's kernels zero every slab allocation (init_on_alloc), which for a
 * kmsg means clearing kilobytes of body that the sender's copy overwrites
 * anyway.  A cache with a constructor is exempt.  Nothing uninitialised
 * can reach user space: the header fields are cleared at allocation, and
 * copyout sends exactly the bytes copied in or written by the kernel (body
 * up to the message size, trailer up to the size it fills).
 */
static void kmsg_ctor(void *obj)
{
}

int mach_kmsg_cache_init(void)
{
	BUILD_BUG_ON(offsetof(struct mach_kmsg, inline_body) !=
		     offsetof(struct mach_kmsg, uhdr) + HDR_SIZE);
	/* only header, body and trailer are ever copied to or from user memory */
	kmsg_cache = kmem_cache_create_usercopy("mach_kmsg",
						sizeof(struct mach_kmsg) + MACH_KMSG_INLINE_BODY +
						MACH_MSG_TRAILER_MAX_SIZE,
						0, SLAB_ACCOUNT,
						offsetof(struct mach_kmsg, uhdr),
						HDR_SIZE + MACH_KMSG_INLINE_BODY +
						MACH_MSG_TRAILER_MAX_SIZE, kmsg_ctor);
	return kmsg_cache ? 0 : -ENOMEM;
}

void mach_kmsg_cache_exit(void)
{
	kmem_cache_destroy(kmsg_cache);
}

static struct mach_kmsg *kmsg_alloc(struct mach_space *space, u32 size)
{
	size_t body = size - HDR_SIZE;
	struct mach_kmsg *kmsg;

	if (body <= MACH_KMSG_INLINE_BODY) {
		kmsg = space ? xchg(&space->spare_kmsg, NULL) : NULL;
		if (!kmsg)
			kmsg = kmem_cache_alloc(kmsg_cache, GFP_KERNEL_ACCOUNT);
		if (!kmsg)
			return NULL;
		memset(kmsg, 0, sizeof(*kmsg));
		kmsg->flags = MACH_KMSG_CACHED;
	} else {
		kmsg = kvmalloc(sizeof(*kmsg) + body + MACH_MSG_TRAILER_MAX_SIZE,
				GFP_KERNEL_ACCOUNT);
		if (!kmsg)
			return NULL;
		memset(kmsg, 0, sizeof(*kmsg));
	}
	INIT_LIST_HEAD(&kmsg->link);
	kmsg->size = size;
	kmsg->body = kmsg->inline_body;
	atomic_long_inc(&mach_stats.kmsgs);
	return kmsg;
}

struct mach_kmsg *mach_kmsg_alloc(u32 size)
{
	return kmsg_alloc(NULL, size);
}

/*
 * A received small message's memory is kept for the receiving space's next
 * send (XNU caches kmsgs per thread the same way): a request/reply pair then
 * allocates nothing.  One per space, so the memory held stays bounded; it
 * remains charged to the memory cgroup that first allocated it.
 */
void mach_kmsg_recycle(struct mach_space *space, struct mach_kmsg *kmsg)
{
	if (!(kmsg->flags & MACH_KMSG_CACHED) || kmsg->ndesc || kmsg->descs || kmsg->aux) {
		mach_kmsg_free(kmsg);
		return;
	}
	put_pid(kmsg->pid);
	atomic_long_dec(&mach_stats.kmsgs);
	kmsg = xchg(&space->spare_kmsg, kmsg);
	if (kmsg)
		kmem_cache_free(kmsg_cache, kmsg);
}

void mach_kmsg_drop_spare(struct mach_space *space)
{
	struct mach_kmsg *kmsg = xchg(&space->spare_kmsg, NULL);

	if (kmsg)
		kmem_cache_free(kmsg_cache, kmsg);
}

/* Frees the memory only: the rights must be gone already. */
void mach_kmsg_free(struct mach_kmsg *kmsg)
{
	u32 i;

	put_pid(kmsg->pid);
	mach_kmsg_free_aux(kmsg);
	for (i = 0; i < kmsg->ndesc; i++)
		mach_kdesc_free_memory(&kmsg->descs[i]);
	kvfree(kmsg->descs);
	atomic_long_dec(&mach_stats.kmsgs);
	if (kmsg->flags & MACH_KMSG_CACHED)
		kmem_cache_free(kmsg_cache, kmsg);
	else
		kvfree(kmsg);
}

static void kmsg_release_body(struct mach_kmsg *kmsg, u32 from, struct mach_reap *reap)
{
	u32 i, j;

	for (i = from; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->descs[i];

		/* up to 4M descriptors in a 50 MB message */
		cond_resched();
		switch (d->type) {
		case MACH_MSG_PORT_DESCRIPTOR:
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			mach_port_release_right(d->port, d->disp, reap);
			d->port = NULL;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			for (j = 0; j < d->ports.done; j++) {
				mach_port_release_right(d->ports.ports[j], d->disp, reap);
				d->ports.ports[j] = NULL;
				cond_resched();
			}
			d->ports.done = 0;
			break;
		}
	}
}

/* Release every right the message holds and free it. */
void mach_kmsg_destroy(struct mach_kmsg *kmsg, struct mach_reap *reap)
{
	mach_port_release_right(kmsg->dest, MACH_MSGH_BITS_REMOTE(kmsg->bits), reap);
	mach_port_release_right(kmsg->reply, MACH_MSGH_BITS_LOCAL(kmsg->bits), reap);
	kmsg->dest = NULL;
	kmsg->reply = NULL;
	kmsg_release_body(kmsg, 0, reap);
	mach_kmsg_free(kmsg);
}

/* Kernel-originated messages carry the kernel's token {0, 1}, audit zero. */
void mach_kmsg_set_kernel_sender(struct mach_kmsg *kmsg)
{
	kmsg->flags |= MACH_KMSG_KERNEL;
}

/*
 * A version for the sender's pid that changes when the pid is reused: the
 * thread group leader's start time is unique per process.
 */
static u32 pid_version(struct task_struct *tsk)
{
	u64 t = tsk->group_leader->start_time;

	return (u32)(t ^ (t >> 32));
}

static void kmsg_capture_sender(struct mach_kmsg *kmsg)
{
	const struct cred *cred = current_cred();

	kmsg->euid = cred->euid;
	kmsg->egid = cred->egid;
	kmsg->ruid = cred->uid;
	kmsg->rgid = cred->gid;
	kmsg->auid = audit_get_loginuid(current);
	kmsg->asid = audit_get_sessionid(current);
	kmsg->pid = get_pid(task_tgid(current));
	kmsg->pidversion = pid_version(current);
}

/* ipc_kmsg_get: size checks and the copy of the whole user message. */
int mach_kmsg_get(struct mach_space *space, u64 addr, u32 send_size,
		  struct mach_kmsg **kmsgp)
{
	struct mach_msg_header *hdr;
	struct mach_kmsg *kmsg;

	if (send_size < HDR_SIZE || (send_size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > mach_max_msg_size)
		return MACH_SEND_TOO_LARGE;
	kmsg = kmsg_alloc(space, send_size);
	if (!kmsg)
		return MACH_SEND_NO_BUFFER;
	hdr = &kmsg->uhdr;
	if (copy_from_user(hdr, u64_to_user_ptr(addr), send_size)) {
		mach_kmsg_free(kmsg);
		return MACH_SEND_INVALID_DATA;
	}
	/* Only the user bits count; the rest are silently cleared. */
	kmsg->bits = hdr->msgh_bits & MACH_MSGH_BITS_USER;
	kmsg->id = hdr->msgh_id;
	kmsg->voucher = hdr->msgh_voucher_port;
	/* Stash the names until copyin turns them into rights. */
	kmsg->dest = (struct mach_port *)(unsigned long)hdr->msgh_remote_port;
	kmsg->reply = (struct mach_port *)(unsigned long)hdr->msgh_local_port;
	*kmsgp = kmsg;
	return MACH_MSG_SUCCESS;
}

static bool voucher_name_invalid(u32 name, u32 type)
{
	if (type != MACH_MSG_TYPE_MOVE_SEND && type != MACH_MSG_TYPE_COPY_SEND)
		return true;
	/* there are no voucher objects, so only "no voucher" is acceptable */
	return name != MACH_PORT_NULL;
}

/* ipc_kmsg_copyin_header: the header's rights, all or nothing. */
static int kmsg_copyin_header(struct mach_space *space, struct mach_kmsg *kmsg,
			      struct mach_reap *reap)
{
	u32 bits = kmsg->bits;
	u32 dest_type = MACH_MSGH_BITS_REMOTE(bits);
	u32 reply_type = MACH_MSGH_BITS_LOCAL(bits);
	u32 voucher_type = MACH_MSGH_BITS_VOUCHER(bits);
	u32 dest_name = (u32)(unsigned long)kmsg->dest;
	u32 reply_name = (u32)(unsigned long)kmsg->reply;
	struct mach_port *dest = NULL, *reply = NULL;
	struct mach_entry *dentry, *rentry;
	int mr = MACH_MSG_SUCCESS;

	kmsg->dest = NULL;
	kmsg->reply = NULL;

	if (!MACH_MSG_TYPE_PORT_ANY_SEND(dest_type))
		return MACH_SEND_INVALID_HEADER;
	if (reply_type == 0 ? reply_name != MACH_PORT_NULL
			    : !MACH_MSG_TYPE_PORT_ANY_SEND(reply_type))
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_PORT_VALID(dest_name))
		return MACH_SEND_INVALID_DEST;
	if (voucher_type != 0) {
		if (voucher_name_invalid(kmsg->voucher, voucher_type))
			return MACH_SEND_INVALID_VOUCHER;
		/* no voucher objects exist here: a NULL voucher is dropped */
		kmsg->voucher = MACH_PORT_NULL;
	}

	mutex_lock(&space->lock);
	if (!space->active) {
		mr = MACH_SEND_INVALID_DEST;
		goto out;
	}
	dentry = mach_entry_lookup(space, dest_name);
	if (!dentry) {
		mr = MACH_SEND_INVALID_DEST;
		goto out;
	}
	if (dest_name == reply_name) {
		if (mach_right_copyin_two(space, dest_name, dentry, dest_type,
					  reply_type, &dest, &reply, reap))
			mr = MACH_SEND_INVALID_DEST;
		goto out;
	}
	rentry = NULL;
	if (MACH_PORT_VALID(reply_name)) {
		rentry = mach_entry_lookup(space, reply_name);
		if (!rentry || mach_right_copyin_check(space, rentry, reply_type)) {
			mr = MACH_SEND_INVALID_REPLY;
			goto out;
		}
	}
	if (mach_right_copyin(space, dest_name, dentry, dest_type, false, &dest, reap)) {
		mr = MACH_SEND_INVALID_DEST;
		goto out;
	}
	if (rentry) {
		/* checked above: cannot fail */
		if (WARN_ON_ONCE(mach_right_copyin(space, reply_name, rentry, reply_type,
						   true, &reply, reap))) {
			mach_port_release_right(dest, mach_type_after_copyin(dest_type), reap);
			dest = NULL;
			mr = MACH_SEND_INVALID_REPLY;
			goto out;
		}
	} else if (reply_name == MACH_PORT_DEAD) {
		reply = MACH_PORT_DEAD_PTR;
	}
out:
	mutex_unlock(&space->lock);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	kmsg->dest = dest;
	kmsg->reply = reply;
	kmsg->bits = MACH_MSGH_BITS_SET(mach_type_after_copyin(dest_type),
					mach_type_after_copyin(reply_type), 0,
					bits & ~MACH_MSGH_BITS_PORTS_MASK);
	return MACH_MSG_SUCCESS;
}

/* Descriptor sizes by type, in the LP64 user layout. */
static u32 desc_size(u32 type)
{
	return type == MACH_MSG_PORT_DESCRIPTOR ? MACH_MSG_PORT_DESCRIPTOR_SIZE
						: MACH_MSG_DESCRIPTOR_MAX_SIZE;
}

static int copyin_port(struct mach_space *space, struct mach_kdesc *d,
		       u32 name, u32 disp, struct mach_port **portp,
		       struct mach_reap *reap)
{
	struct mach_entry *entry;

	if (!MACH_PORT_VALID(name)) {
		*portp = name == MACH_PORT_DEAD ? MACH_PORT_DEAD_PTR : NULL;
		return MACH_MSG_SUCCESS;
	}
	entry = mach_entry_lookup(space, name);
	if (!entry || !MACH_MSG_TYPE_PORT_ANY(disp) ||
	    mach_right_copyin(space, name, entry, disp, true, portp, reap)) {
		*portp = NULL;
		return MACH_SEND_INVALID_RIGHT;
	}
	return MACH_MSG_SUCCESS;
}

/*
 * ipc_kmsg_copyin_guarded_port_descriptor: a receive right moved with its
 * guard.  The right must be movable (ILLEGAL_MOVE otherwise) and the guard
 * must match (INCORRECT_GUARD); both fail the send with
 * MACH_SEND_INVALID_RIGHT.  The move unguards the port, which the flags
 * then say (MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND, cleared again when the
 * receiver takes the right guarded).
 */
static int copyin_guarded_port(struct mach_space *space, struct mach_kdesc *d,
			       const struct mach_msg_guarded_port_descriptor *gd,
			       struct mach_reap *reap)
{
	struct mach_entry *entry;
	struct mach_port *port;
	int mr;

	d->disp = MACH_MSG_TYPE_PORT_RECEIVE;
	d->copy = gd->flags;
	d->uaddr = gd->context;
	mutex_lock(&space->lock);
	entry = MACH_PORT_VALID(gd->name) ? mach_entry_lookup(space, gd->name) : NULL;
	if (entry && (entry->type & MACH_PORT_TYPE_RECEIVE)) {
		port = entry->port;
		if (!(READ_ONCE(port->guard) & MACH_PORT_GUARD_IMMOVABLE) &&
		    !mach_guard_desc_ok(port, gd->context, gd->flags)) {
			mach_guard_exception(space, reap, gd->name, kGUARD_EXC_INCORRECT_GUARD,
					     READ_ONCE(port->context));
			d->port = NULL;
			mutex_unlock(&space->lock);
			return MACH_SEND_INVALID_RIGHT;
		}
	}
	mr = copyin_port(space, d, gd->name, MACH_MSG_TYPE_MOVE_RECEIVE, &d->port, reap);
	if (mr == MACH_MSG_SUCCESS && MACH_PORT_PTR_VALID(d->port))
		d->copy |= MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
	mutex_unlock(&space->lock);
	return mr;
}

static int copyin_ool_ports(struct mach_space *space, struct mach_kdesc *d,
			    const struct mach_msg_ool_ports_descriptor *od,
			    struct mach_reap *reap)
{
	u32 *names;
	u32 i;
	int mr = MACH_MSG_SUCCESS;

	d->copy = od->copy;
	d->dealloc = od->deallocate;
	d->disp = mach_type_after_copyin(od->disposition);
	d->uaddr = od->address;
	d->ports.count = od->count;
	if (!od->count)
		return MACH_MSG_SUCCESS;
	d->ports.ports = kvcalloc(od->count, sizeof(*d->ports.ports),
				  GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	/* up to 64 MB the sender makes us hold: charged like the rest */
	names = kvmalloc_array(od->count, sizeof(u32), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!d->ports.ports || !names) {
		kvfree(names);
		return MACH_SEND_NO_BUFFER;
	}
	if (copy_from_user(names, u64_to_user_ptr(od->address),
			   (size_t)od->count * sizeof(u32))) {
		kvfree(names);
		return MACH_SEND_INVALID_MEMORY;
	}
	mutex_lock(&space->lock);
	for (i = 0; i < od->count; i++) {
		mr = copyin_port(space, d, names[i], od->disposition,
				 &d->ports.ports[i], reap);
		if (mr)
			break;
		d->ports.done = i + 1;
		/* the sender sets the count (up to 16M): stay preemptible */
		cond_resched();
	}
	mutex_unlock(&space->lock);
	kvfree(names);
	return mr;
}

/*
 * ipc_kmsg_copyin_body.  A first pass checks the layout, the types, the
 * copy options and the out-of-line total before anything is taken; the
 * second walks the descriptors in order.  On failure the caller destroys
 * the message, which gives back every right taken so far (header rights
 * included) and frees what was captured.
 */
static int kmsg_copyin_body(struct mach_space *space, struct mach_kmsg *kmsg,
			    struct mach_reap *reap)
{
	u32 body_size = kmsg->size - HDR_SIZE;
	struct mach_msg_body body;
	u32 off, i, count;
	u64 ool = 0;
	int mr = MACH_MSG_SUCCESS;

	if (body_size < sizeof(body))
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&body, kmsg->body, sizeof(body));
	count = body.msgh_descriptor_count;
	if (count == 0)
		return MACH_MSG_SUCCESS;
	if (count > (body_size - sizeof(body)) / MACH_MSG_PORT_DESCRIPTOR_SIZE)
		return MACH_SEND_MSG_TOO_SMALL;
	/*
	 * The count is the sender's, bounded only by the body size: a large
	 * message would ask the page allocator for a high order, so let
	 * kvcalloc fall back to vmalloc instead.
	 */
	kmsg->descs = kvcalloc(count, sizeof(*kmsg->descs), GFP_KERNEL_ACCOUNT);
	if (!kmsg->descs)
		return MACH_SEND_NO_BUFFER;

	off = sizeof(body);
	for (i = 0; i < count; i++) {
		struct mach_msg_guarded_port_descriptor gd;
		struct mach_msg_ool_descriptor od;
		struct mach_msg_type_descriptor td;

		if (off + sizeof(td) > body_size)
			return MACH_SEND_MSG_TOO_SMALL;
		memcpy(&td, kmsg->body + off, sizeof(td));
		if (off + desc_size(td.type) > body_size)
			return MACH_SEND_MSG_TOO_SMALL;
		switch (td.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			memcpy(&od, kmsg->body + off, sizeof(od));
			if (od.copy != MACH_MSG_PHYSICAL_COPY &&
			    od.copy != MACH_MSG_VIRTUAL_COPY)
				return MACH_SEND_INVALID_TYPE;
			ool += od.size;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			memcpy(&od, kmsg->body + off, sizeof(od));
			ool += (u64)od.size * sizeof(struct mach_port *);
			break;
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			memcpy(&gd, kmsg->body + off, sizeof(gd));
			/* XNU moves receive rights only, with known, consistent flags */
			if (gd.disposition != MACH_MSG_TYPE_MOVE_RECEIVE || !gd.flags ||
			    (gd.flags & ~MACH_MSG_GUARD_FLAGS_MASK) ||
			    ((gd.flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && gd.context))
				return MACH_SEND_INVALID_TYPE;
			break;
		default:
			return MACH_SEND_INVALID_TYPE;
		}
		if (ool > mach_max_ool_size)
			return MACH_MSG_VM_KERNEL;
		kmsg->descs[i].offset = off;
		kmsg->descs[i].type = td.type;
		off += desc_size(td.type);
	}

	for (i = 0; i < count && mr == MACH_MSG_SUCCESS; i++) {
		struct mach_kdesc *d = &kmsg->descs[i];
		struct mach_msg_guarded_port_descriptor gd;
		struct mach_msg_ool_ports_descriptor opd;
		struct mach_msg_port_descriptor pd;
		struct mach_msg_ool_descriptor od;

		kmsg->ndesc = i + 1;
		cond_resched();
		switch (d->type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			memcpy(&pd, kmsg->body + d->offset, sizeof(pd));
			d->disp = mach_type_after_copyin(pd.disposition);
			mutex_lock(&space->lock);
			mr = copyin_port(space, d, pd.name, pd.disposition, &d->port, reap);
			mutex_unlock(&space->lock);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			memcpy(&od, kmsg->body + d->offset, sizeof(od));
			mr = mach_ool_copyin(space, d, &od);
			kmsg->ool_bytes += d->ool.pages ? d->ool.size : 0;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			memcpy(&opd, kmsg->body + d->offset, sizeof(opd));
			mr = copyin_ool_ports(space, d, &opd, reap);
			break;
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			memcpy(&gd, kmsg->body + d->offset, sizeof(gd));
			mr = copyin_guarded_port(space, d, &gd, reap);
			break;
		}
	}
	if (mr == MACH_MSG_SUCCESS)
		mach_ool_dealloc_sender(kmsg);
	return mr;
}

int mach_kmsg_copyin(struct mach_space *space, struct mach_kmsg *kmsg, u32 *option,
		     struct mach_reap *reap)
{
	int mr;

	mr = kmsg_copyin_header(space, kmsg, reap);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	/* mach_msg2: before the body, whose rights stay the sender's on failure */
	if (unlikely(kmsg->flags & MACH_KMSG_MSG2)) {
		mr = mach_msg2_check_dest(kmsg);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	kmsg_capture_sender(kmsg);
	if (!(kmsg->bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	mr = kmsg_copyin_body(space, kmsg, reap);
	if (mr == MACH_MSG_SUCCESS && !mach_transit_enter(kmsg, kmsg->dest))
		kmsg->flags |= MACH_KMSG_CIRCULAR;
	return mr;
}

u32 mach_trailer_size(u32 option)
{
	static const u8 sizes[] = {
		MACH_MSG_TRAILER_MINIMUM_SIZE, MACH_MSG_TRAILER_SEQNO_SIZE,
		MACH_MSG_TRAILER_SENDER_SIZE, MACH_MSG_TRAILER_AUDIT_SIZE,
		MACH_MSG_TRAILER_CTX_SIZE,
	};
	u32 elements = GET_RCV_ELEMENTS(option);

	return elements < ARRAY_SIZE(sizes) ? sizes[elements] : MACH_MSG_TRAILER_MAX_SIZE;
}

/*
 * Build the trailer as the receiver sees it.  Ids are translated into the
 * receiver's namespaces; a sender outside them shows as the overflow id
 * (or pid 0).  @minimal is msg_receive_error's trailer: the kernel token.
 */
void mach_kmsg_trailer(struct mach_kmsg *kmsg, u32 seqno, u64 context,
		       struct mach_msg_max_trailer *t, u32 tsize, bool minimal)
{
	struct user_namespace *ns;

	/* only the requested elements are built: most receivers want none */
	memset(t, 0, tsize);
	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t->msgh_trailer_size = tsize;
	if (tsize < MACH_MSG_TRAILER_SEQNO_SIZE)
		return;
	t->msgh_seqno = seqno;
	if (tsize >= MACH_MSG_TRAILER_CTX_SIZE)
		t->msgh_context = context;
	if (tsize < MACH_MSG_TRAILER_SENDER_SIZE)
		return;
	if (minimal || !kmsg || (kmsg->flags & MACH_KMSG_KERNEL)) {
		t->msgh_sender.val[0] = 0;
		t->msgh_sender.val[1] = 1;
		return;
	}
	ns = current_user_ns();
	t->msgh_sender.val[0] = from_kuid_munged(ns, kmsg->euid);
	t->msgh_sender.val[1] = from_kgid_munged(ns, kmsg->egid);
	if (tsize < MACH_MSG_TRAILER_AUDIT_SIZE)
		return;
	t->msgh_audit.val[MACH_AUDIT_AUID] = uid_valid(kmsg->auid) ?
		from_kuid_munged(ns, kmsg->auid) : (u32)-1;
	t->msgh_audit.val[MACH_AUDIT_EUID] = t->msgh_sender.val[0];
	t->msgh_audit.val[MACH_AUDIT_EGID] = t->msgh_sender.val[1];
	t->msgh_audit.val[MACH_AUDIT_RUID] = from_kuid_munged(ns, kmsg->ruid);
	t->msgh_audit.val[MACH_AUDIT_RGID] = from_kgid_munged(ns, kmsg->rgid);
	t->msgh_audit.val[MACH_AUDIT_PID] = pid_vnr(kmsg->pid);
	t->msgh_audit.val[MACH_AUDIT_ASID] = kmsg->asid;
	t->msgh_audit.val[MACH_AUDIT_PIDVERSION] = kmsg->pidversion;
}

/* The receiver's name for the destination, consuming the dest right. */
static u32 copyout_dest_name(struct mach_space *space, struct mach_kmsg *kmsg,
			     struct mach_reap *reap)
{
	u32 name = mach_port_copyout_dest(kmsg->dest, MACH_MSGH_BITS_REMOTE(kmsg->bits),
					  space, reap);

	kmsg->dest = NULL;
	return name;
}

static int copyout_right(struct mach_space *space, struct mach_port **portp,
			 u32 type, u32 *namep, struct mach_reap *reap)
{
	int err = mach_right_copyout(space, *portp, type, true, namep, reap);

	if (err) {
		mach_port_release_right(*portp, type, reap);
		*namep = MACH_PORT_NULL;
	}
	*portp = NULL;
	return err ? MACH_MSG_IPC_SPACE : 0;
}

/*
 * ipc_kmsg_copyout_guarded_port_descriptor.  A receiver that did not ask
 * for MACH_RCV_GUARDED_DESC does not get the right: it is destroyed and the
 * descriptor says MACH_PORT_NULL, context 0 (XNU).  One that did gets the
 * receive right; with MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE the port comes
 * out guarded (not strictly) and immovable, its guard the address of the
 * receive buffer, which the descriptor reports.  @pseudo (the sender takes
 * an unsent message back): the right always comes back, guarded with the
 * descriptor's context but movable.
 */
static int copyout_guarded_port(struct mach_space *space, struct mach_kdesc *d,
				u32 option, u64 rcv_addr, bool pseudo, u8 *udesc,
				struct mach_reap *reap)
{
	struct mach_msg_guarded_port_descriptor gd = {};
	struct mach_port *port = d->port;
	u64 context = d->uaddr;
	u32 name = MACH_PORT_NULL;
	int bits = 0;

	if (!pseudo && !(option & MACH_RCV_GUARDED_DESC)) {
		mach_port_release_right(port, d->disp, reap);
		d->port = NULL;
		context = 0;
	} else {
		bits = copyout_right(space, &d->port, d->disp, &name, reap);
		if (MACH_PORT_VALID(name) && (d->copy & MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE)) {
			/* the new entry holds the port, under the space lock held */
			if (!pseudo)
				context = rcv_addr;
			spin_lock(&port->lock);
			port->context = context;
			port->guard &= ~MACH_PORT_GUARD_RECEIVE_BITS;
			port->guard |= MACH_PORT_GUARD_GUARDED;
			if (!pseudo)
				port->guard |= MACH_PORT_GUARD_IMMOVABLE;
			spin_unlock(&port->lock);
			d->copy &= ~MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
		}
	}
	gd.context = context;
	gd.flags = d->copy;
	gd.disposition = d->disp;
	gd.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	gd.name = name;
	memcpy(udesc, &gd, sizeof(gd));
	return bits;
}

/*
 * The body's rights into @space (caller holds space->lock).  Names go into
 * the descriptors, or, for port arrays, over the array itself: a u32 view
 * of the pointer array, written front to back, never overtakes the
 * pointers still to be read.
 */
static int kmsg_copyout_body(struct mach_space *space, struct mach_kmsg *kmsg,
			     u32 option, u64 rcv_addr, bool pseudo,
			     struct mach_reap *reap)
{
	int bits = 0;
	u32 i, j, name;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->descs[i];
		struct mach_msg_port_descriptor pd = {};
		u32 *names;

		cond_resched();
		switch (d->type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			bits |= copyout_right(space, &d->port, d->disp, &name, reap);
			pd.name = name;
			pd.disposition = d->disp;
			pd.type = MACH_MSG_PORT_DESCRIPTOR;
			memcpy(kmsg->body + d->offset, &pd, sizeof(pd));
			break;
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
			bits |= copyout_guarded_port(space, d, option, rcv_addr, pseudo,
						     kmsg->body + d->offset, reap);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			names = (u32 *)d->ports.ports;
			for (j = 0; j < d->ports.done; j++) {
				struct mach_port *port = d->ports.ports[j];

				bits |= copyout_right(space, &port, d->disp, &name, reap);
				names[j] = name;
				cond_resched();
			}
			d->ports.done = 0;
			break;
		}
	}
	return bits;
}

/* Out-of-line memory and name arrays into the current address space. */
static int kmsg_copyout_memory(struct mach_space *space, struct mach_kmsg *kmsg)
{
	int bits = 0;
	u32 i;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->descs[i];
		struct mach_msg_ool_ports_descriptor opd = {};
		struct mach_msg_ool_descriptor od = {};
		u64 addr;
		int err;

		cond_resched();
		switch (d->type) {
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			err = mach_ool_copyout(space, d, &addr);
			bits |= err;
			od.address = addr;
			od.size = err ? 0 : d->ool.size;
			od.copy = d->copy;
			od.deallocate = d->copy == MACH_MSG_VIRTUAL_COPY;
			od.type = d->type;
			memcpy(kmsg->body + d->offset, &od, sizeof(od));
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			err = mach_ool_names_copyout((u32 *)d->ports.ports,
						     d->ports.count, &addr);
			bits |= err;
			opd.address = addr;
			opd.count = err ? 0 : d->ports.count;
			opd.copy = MACH_MSG_VIRTUAL_COPY;
			opd.deallocate = 1;
			opd.disposition = d->disp;
			opd.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
			memcpy(kmsg->body + d->offset, &opd, sizeof(opd));
			break;
		}
	}
	return bits;
}

/*
 * ipc_kmsg_copyout: rights into the receiver's space and the header the
 * receiver sees (ports swapped).  Returns MACH_MSG_SUCCESS,
 * MACH_RCV_HEADER_ERROR|bits (message destroyed by the caller) or
 * MACH_RCV_BODY_ERROR|bits (the rest delivered).
 */
int mach_kmsg_copyout(struct mach_space *space, struct mach_kmsg *kmsg, u32 option,
		      u64 rcv_addr, struct mach_reap *reap, struct mach_msg_header *hdr)
{
	u32 dest_type = MACH_MSGH_BITS_REMOTE(kmsg->bits);
	u32 reply_type = MACH_MSGH_BITS_LOCAL(kmsg->bits);
	u32 reply_name = MACH_PORT_NULL, dest_name;
	bool complex = kmsg->bits & MACH_MSGH_BITS_COMPLEX;
	bool rights = MACH_PORT_PTR_VALID(kmsg->reply) || complex;
	int bits = 0;

	/* the destination needs only its port's lock; other rights the space's */
	if (rights)
		mutex_lock(&space->lock);
	if (MACH_PORT_PTR_VALID(kmsg->reply)) {
		int err = mach_right_copyout(space, kmsg->reply, reply_type, true,
					     &reply_name, reap);
		if (err) {
			mutex_unlock(&space->lock);
			return MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
		}
	} else if (kmsg->reply == MACH_PORT_DEAD_PTR) {
		reply_name = MACH_PORT_DEAD;
	}
	kmsg->reply = NULL;
	dest_name = copyout_dest_name(space, kmsg, reap);
	if (complex)
		bits = kmsg_copyout_body(space, kmsg, option, rcv_addr, false, reap);
	if (rights)
		mutex_unlock(&space->lock);
	if (kmsg->ndesc)
		bits |= kmsg_copyout_memory(space, kmsg);

	hdr->msgh_bits = MACH_MSGH_BITS_SET(reply_type, dest_type, 0,
					    kmsg->bits & ~MACH_MSGH_BITS_PORTS_MASK);
	hdr->msgh_size = kmsg->size;
	hdr->msgh_remote_port = reply_name;
	hdr->msgh_local_port = dest_name;
	hdr->msgh_voucher_port = kmsg->voucher;
	hdr->msgh_id = kmsg->id;
	return bits ? (MACH_RCV_BODY_ERROR | bits) : MACH_MSG_SUCCESS;
}

/*
 * ipc_kmsg_copyout_pseudo: hand an unsent message back to its sender with
 * its rights reinstalled, header not swapped, so it can be sent again.
 */
int mach_kmsg_copyout_pseudo(struct mach_space *space, struct mach_kmsg *kmsg,
			     struct mach_reap *reap, struct mach_msg_header *hdr)
{
	u32 dest_type = MACH_MSGH_BITS_REMOTE(kmsg->bits);
	u32 reply_type = MACH_MSGH_BITS_LOCAL(kmsg->bits);
	u32 dest_name, reply_name;
	int bits = 0;

	mutex_lock(&space->lock);
	bits |= copyout_right(space, &kmsg->dest, dest_type, &dest_name, reap);
	bits |= copyout_right(space, &kmsg->reply, reply_type, &reply_name, reap);
	if (kmsg->bits & MACH_MSGH_BITS_COMPLEX)
		bits |= kmsg_copyout_body(space, kmsg, 0, 0, true, reap);
	mutex_unlock(&space->lock);
	if (kmsg->ndesc)
		bits |= kmsg_copyout_memory(space, kmsg);

	hdr->msgh_bits = MACH_MSGH_BITS_SET(dest_type, reply_type, 0,
					    kmsg->bits & ~MACH_MSGH_BITS_PORTS_MASK);
	hdr->msgh_size = kmsg->size;
	hdr->msgh_remote_port = dest_name;
	hdr->msgh_local_port = reply_name;
	hdr->msgh_voucher_port = kmsg->voucher;
	hdr->msgh_id = kmsg->id;
	return bits;
}

/*
 * ipc_kmsg_copyout_dest: for a message that will not be delivered whole
 * (TOO_LARGE discard, header error): the destination name is reported,
 * everything else the message holds is destroyed.
 */
void mach_kmsg_copyout_dest(struct mach_space *space, struct mach_kmsg *kmsg,
			    struct mach_reap *reap, struct mach_msg_header *hdr)
{
	u32 dest_type = MACH_MSGH_BITS_REMOTE(kmsg->bits);
	u32 reply_type = MACH_MSGH_BITS_LOCAL(kmsg->bits);
	u32 reply_name;

	mutex_lock(&space->lock);
	hdr->msgh_local_port = copyout_dest_name(space, kmsg, reap);
	mutex_unlock(&space->lock);

	if (MACH_PORT_PTR_VALID(kmsg->reply)) {
		mach_port_release_right(kmsg->reply, reply_type, reap);
		reply_name = MACH_PORT_NULL;
	} else {
		reply_name = kmsg->reply == MACH_PORT_DEAD_PTR ? MACH_PORT_DEAD
							       : MACH_PORT_NULL;
	}
	kmsg->reply = NULL;
	kmsg_release_body(kmsg, 0, reap);

	hdr->msgh_bits = MACH_MSGH_BITS_SET(reply_type, dest_type, 0,
					    kmsg->bits & ~MACH_MSGH_BITS_PORTS_MASK);
	hdr->msgh_size = kmsg->size;
	hdr->msgh_remote_port = reply_name;
	hdr->msgh_voucher_port = 0;
	hdr->msgh_id = kmsg->id;
}
