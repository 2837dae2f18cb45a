// SPDX-License-Identifier: GPL-2.0
/*
 * IPC spaces: the name table of one open of /dev/mach.
 *
 * A name is (index << 8) | generation.  Index 0 is never used, so no name
 * is MACH_PORT_NULL, and indexes stop below 0xffffff, so no name is
 * MACH_PORT_DEAD.  As in XNU's entry table, a freed entry stays in its slot
 * with no type and the next generation already in its name: the next name
 * built on the index differs from the last one, so stale names held by user
 * space fail to resolve instead of aliasing a new right, and reusing the
 * slot costs neither an allocation nor an xarray update.
 *
 * The reverse map (port -> entry) finds the one name a space has for a port
 * (send and receive rights share it); send-once rights are never in it.  It
 * is a plain chained hash table rather than an rhashtable: only the space
 * lock ever guards it, and its buckets, which user space sizes by the rights
 * it holds, must be charged to the memory cgroup like the entries, which an
 * rhashtable's allocations are not.  It doubles when the load reaches one
 * and halves below one eighth; when either allocation fails it keeps its
 * size, which only lengthens the chains.
 *
 * Everything here runs under space->lock.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include "ipc.h"

#define MACH_INDEX_LIMIT	0xfffffeU
#define MACH_GEN_FIRST		3
#define MACH_GEN_STEP		4
/* XNU's rollover bits: set in every generation it hands out (ipc_entry_name_mask) */
#define MACH_GEN_ROLL		3U

static struct kmem_cache *entry_cache;

#define RMAP_MIN_SHIFT		4

int mach_space_cache_init(void)
{
	entry_cache = KMEM_CACHE(mach_entry, SLAB_ACCOUNT);
	return entry_cache ? 0 : -ENOMEM;
}

void mach_space_cache_exit(void)
{
	kmem_cache_destroy(entry_cache);
}

struct mach_space *mach_space_create(void)
{
	struct mach_space *space;

	space = kzalloc(sizeof(*space), GFP_KERNEL_ACCOUNT);
	if (!space)
		return NULL;
	mutex_init(&space->lock);
	xa_init(&space->table);
	space->next_index = 1;
	INIT_LIST_HEAD(&space->thread_ports);
	space->id = mach_next_object_id();
	space->owner = get_pid(task_tgid(current));
	space->active = true;
	refcount_set(&space->ref, 1);
	space->exec_id = current->self_exec_id;
	INIT_HLIST_NODE(&space->task_node);
	atomic_long_inc(&mach_stats.spaces);
	mach_space_register(space);
	return space;
}

struct mach_entry *mach_entry_lookup(struct mach_space *space, u32 name)
{
	struct mach_entry *entry;

	if (!MACH_PORT_VALID(name))
		return NULL;
	entry = xa_load(&space->table, MACH_PORT_INDEX(name));
	if (!entry || !entry->type || entry->name != name)
		return NULL;
	return entry;
}

/*
 * ipc_port_translate_receive: the port whose receive right @name holds.
 * KERN_INVALID_NAME if there is no such name, KERN_INVALID_RIGHT if it
 * holds no receive right.
 */
int mach_translate_receive(struct mach_space *space, u32 name, struct mach_port **portp)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);

	if (!entry)
		return KERN_INVALID_NAME;
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	*portp = entry->port;
	return KERN_SUCCESS;
}

/* The kern_return_t for a failed entry allocation. */
int mach_entry_alloc_kr(int err)
{
	switch (err) {
	case -EEXIST:
		return KERN_NAME_EXISTS;
	case -EINVAL:
		return KERN_INVALID_VALUE;
	case -EBUSY:
		return KERN_FAILURE;
	case -ENOSPC:
		return KERN_NO_SPACE;
	}
	return KERN_RESOURCE_SHORTAGE;
}

static bool entry_quota(struct mach_space *space)
{
	return space->nentries < mach_max_entries;
}

static void entry_taken(struct mach_space *space)
{
	space->nentries++;
	atomic_long_inc(&mach_stats.entries);
}

static int free_push(struct mach_space *space, u32 index)
{
	if (space->free_count == space->free_cap) {
		u32 cap = space->free_cap ? space->free_cap * 2 : 64;
		u32 *stack = mach_kvrealloc(space->free_stack,
					    space->free_cap * sizeof(u32),
					    cap * sizeof(u32), GFP_KERNEL_ACCOUNT);

		if (!stack)
			return -ENOMEM;
		space->free_stack = stack;
		space->free_cap = cap;
	}
	space->free_stack[space->free_count++] = index;
	return 0;
}

/*
 * A free entry comes back to life, with the generation its name holds.  Its
 * index may still be on the free stack (allocate_name takes slots wherever
 * they are): the flag stays, so freeing it again does not push it twice.
 */
static struct mach_entry *entry_revive(struct mach_space *space,
				       struct mach_entry *entry, u32 name)
{
	bool listed = entry->free_listed;

	memset(entry, 0, sizeof(*entry));
	entry->free_listed = listed;
	entry->name = name;
	entry_taken(space);
	return entry;
}

/* A slot never used: a new entry object. */
static int entry_create(struct mach_space *space, u32 index, u32 gen,
			struct mach_entry **entryp)
{
	struct mach_entry *entry;
	int err;

	entry = kmem_cache_zalloc(entry_cache, GFP_KERNEL_ACCOUNT);
	if (!entry)
		return -ENOMEM;
	entry->name = MACH_PORT_MAKE(index, gen);
	err = xa_err(xa_store(&space->table, index, entry, GFP_KERNEL_ACCOUNT));
	if (err) {
		kmem_cache_free(entry_cache, entry);
		return err;
	}
	entry_taken(space);
	*entryp = entry;
	return 0;
}

/*
 * A new name.  The entry comes back with no type: the caller gives it one
 * (or frees it) before dropping the space lock.
 */
int mach_entry_alloc(struct mach_space *space, struct mach_entry **entryp)
{
	struct mach_entry *entry;
	u32 index;

	if (!entry_quota(space))
		return -ENOSPC;
	/*
	 * Reuse freed slots first; skip the ones allocate_name took since.
	 * Each index is on the stack at most once, so the stack never holds
	 * more than the table has slots, and each skip pops for good.
	 */
	while (space->free_count) {
		index = space->free_stack[--space->free_count];
		entry = xa_load(&space->table, index);
		if (!entry)
			continue;
		entry->free_listed = false;
		if (!entry->type) {
			*entryp = entry_revive(space, entry, entry->name);
			return 0;
		}
		cond_resched();
	}
	/* Fresh index: skip the ones allocate_name already used. */
	for (;;) {
		if (space->next_index > MACH_INDEX_LIMIT)
			return -ENOSPC;
		index = space->next_index++;
		entry = xa_load(&space->table, index);
		if (!entry)
			return entry_create(space, index, MACH_GEN_FIRST, entryp);
		if (!entry->type) {
			*entryp = entry_revive(space, entry, entry->name);
			return 0;
		}
		cond_resched();
	}
}

/*
 * ipc_entry_alloc_name's checks on a name the caller picked, in its order:
 * an index past the table gives -ENOSPC (KERN_NO_SPACE); generation bits
 * XNU never hands out (its two rollover bits clear) -EINVAL
 * (KERN_INVALID_VALUE); index 0, or an index in use under another
 * generation, -EBUSY (KERN_FAILURE: names are never renamed).  0 when the
 * name is free or is exactly the name of an entry in use; what that means
 * is the caller's to say (KERN_NAME_EXISTS, KERN_RIGHT_EXISTS, a merge).
 */
int mach_entry_name_check(struct mach_space *space, u32 name)
{
	u32 index = MACH_PORT_INDEX(name);
	struct mach_entry *entry;

	if (index > MACH_INDEX_LIMIT)
		return -ENOSPC;
	if ((name & MACH_GEN_ROLL) != MACH_GEN_ROLL)
		return -EINVAL;
	if (index == 0)
		return -EBUSY;
	entry = xa_load(&space->table, index);
	if (entry && entry->type && entry->name != name)
		return -EBUSY;
	return 0;
}

int mach_entry_alloc_name(struct mach_space *space, u32 name,
			  struct mach_entry **entryp)
{
	u32 index = MACH_PORT_INDEX(name);
	struct mach_entry *entry;
	int err;

	err = mach_entry_name_check(space, name);
	if (err)
		return err;
	entry = xa_load(&space->table, index);
	if (entry && entry->type)
		return -EEXIST;
	if (!entry_quota(space))
		return -ENOSPC;
	if (entry) {
		*entryp = entry_revive(space, entry, name);
		return 0;
	}
	return entry_create(space, index, MACH_PORT_GEN(name), entryp);
}

/* The entry must no longer reference anything. */
void mach_entry_free(struct mach_space *space, struct mach_entry *entry)
{
	u32 index = MACH_PORT_INDEX(entry->name);
	u32 gen = (MACH_PORT_GEN(entry->name) + MACH_GEN_STEP) & 0xff;

	WARN_ON_ONCE(entry->hashed);
	entry->type = 0;
	entry->port = NULL;
	entry->name = MACH_PORT_MAKE(index, gen);
	/*
	 * An index already on the stack (freed before, revived by
	 * allocate_name) is not pushed again.  If the index cannot be
	 * remembered, it is simply never reused.
	 */
	if (!entry->free_listed && !free_push(space, index))
		entry->free_listed = true;
	space->nentries--;
	atomic_long_dec(&mach_stats.entries);
}

static struct hlist_head *rmap_bucket(struct hlist_head *table, u8 shift,
				      struct mach_port *port)
{
	return &table[hash_ptr(port, shift)];
}

/* Move every hashed entry to a table of 1 << @shift buckets, if one comes. */
static void rmap_resize(struct mach_space *space, u8 shift)
{
	struct hlist_head *table;
	struct hlist_node *tmp;
	struct mach_entry *entry;
	u32 i;

	table = kvcalloc(1U << shift, sizeof(*table), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!table)
		return;
	for (i = 0; space->rmap && i < (1U << space->rmap_shift); i++) {
		hlist_for_each_entry_safe(entry, tmp, &space->rmap[i], hnode) {
			hlist_del(&entry->hnode);
			hlist_add_head(&entry->hnode,
				       rmap_bucket(table, shift, entry->port));
		}
		/* up to max_entries moves; only our space lock guards them */
		cond_resched();
	}
	kvfree(space->rmap);
	space->rmap = table;
	space->rmap_shift = shift;
}

struct mach_entry *mach_entry_rlookup(struct mach_space *space,
				      struct mach_port *port)
{
	struct mach_entry *entry;

	if (!space->rmap)
		return NULL;
	hlist_for_each_entry(entry, rmap_bucket(space->rmap, space->rmap_shift, port), hnode)
		if (entry->port == port)
			return entry;
	return NULL;
}

/* Hash @entry under its port.  Returns 0, or -ENOMEM if no table could be made. */
int mach_entry_hash(struct mach_space *space, struct mach_entry *entry)
{
	if (entry->hashed)
		return 0;
	if (!space->rmap)
		rmap_resize(space, RMAP_MIN_SHIFT);
	else if (space->rmap_count >= (1U << space->rmap_shift) &&
		 space->rmap_shift < 31)
		rmap_resize(space, space->rmap_shift + 1);
	if (!space->rmap)
		return -ENOMEM;
	hlist_add_head(&entry->hnode,
		       rmap_bucket(space->rmap, space->rmap_shift, entry->port));
	space->rmap_count++;
	entry->hashed = true;
	return 0;
}

void mach_entry_unhash(struct mach_space *space, struct mach_entry *entry)
{
	if (!entry->hashed)
		return;
	hlist_del(&entry->hnode);
	entry->hashed = false;
	space->rmap_count--;
	if (space->rmap_shift > RMAP_MIN_SHIFT &&
	    space->rmap_count < (1U << space->rmap_shift) / 8 && space->active)
		rmap_resize(space, space->rmap_shift - 1);
}

/*
 * Tear down a space whose last file reference is gone: no ioctl can be
 * running on it.  Every right goes with XNU's side effects: receive rights
 * destroy their ports (waking blocked peers, destroying queued messages),
 * send rights drop the port's send count, send-once rights send their
 * notification.
 */
void mach_space_destroy(struct mach_space *space)
{
	struct mach_entry *entry;
	struct mach_reap reap;
	unsigned long index;

	mach_space_unregister(space);
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	space->active = false;
	xa_for_each(&space->table, index, entry) {
		if (entry->type) {
			mach_right_drop_entry(space, entry, &reap);
			space->nentries--;
			atomic_long_dec(&mach_stats.entries);
		}
		kmem_cache_free(entry_cache, entry);
		/* Flush as we go so a huge space does not build a huge list. */
		if (need_resched()) {
			mutex_unlock(&space->lock);
			mach_reap_flush(&reap);
			cond_resched();
			mutex_lock(&space->lock);
		}
	}
	mach_task_fini(space, &reap);
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);

	mach_kmsg_drop_spare(space);
	mach_ool_space_release(space);
	mach_bootstrap_prune();
	xa_destroy(&space->table);
	kvfree(space->rmap);
	kvfree(space->free_stack);
	/* the file's reference; calls from other tasks may still hold theirs */
	mach_space_put(space);
}

/*
 * The last reference: nothing can look at the space any more.  The table
 * went with the file (mach_space_destroy); what is left is the struct, its
 * lock and its owner.
 */
void mach_space_put(struct mach_space *space)
{
	if (!refcount_dec_and_test(&space->ref))
		return;
	put_pid(space->owner);
	atomic_long_dec(&mach_stats.spaces);
	kfree(space);
}
