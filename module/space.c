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
 * (send and receive rights share it); send-once rights are never in it.
 *
 * Everything here runs under space->lock.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "ipc.h"

#define MACH_INDEX_LIMIT	0xfffffeU
#define MACH_GEN_FIRST		3
#define MACH_GEN_STEP		4
/* XNU's rollover bits: set in every generation it hands out (ipc_entry_name_mask) */
#define MACH_GEN_ROLL		3U

static struct kmem_cache *entry_cache;

static const struct rhashtable_params rmap_params = {
	.key_len = sizeof(struct mach_port *),
	.key_offset = offsetof(struct mach_entry, port),
	.head_offset = offsetof(struct mach_entry, hnode),
	.automatic_shrinking = true,
};

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
	if (rhashtable_init(&space->rmap, &rmap_params)) {
		kfree(space);
		return NULL;
	}
	space->id = mach_next_object_id();
	space->owner = get_pid(task_tgid(current));
	space->active = true;
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
		u32 *stack = kvrealloc(space->free_stack,
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

/* A free entry comes back to life, with the generation its name holds. */
static struct mach_entry *entry_revive(struct mach_space *space,
				       struct mach_entry *entry, u32 name)
{
	memset(entry, 0, sizeof(*entry));
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
	/* Reuse freed slots first; skip the ones allocate_name took since. */
	while (space->free_count) {
		index = space->free_stack[--space->free_count];
		entry = xa_load(&space->table, index);
		if (entry && !entry->type) {
			*entryp = entry_revive(space, entry, entry->name);
			return 0;
		}
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
	/* if the index cannot be remembered, it is simply never reused */
	free_push(space, index);
	space->nentries--;
	atomic_long_dec(&mach_stats.entries);
}

struct mach_entry *mach_entry_rlookup(struct mach_space *space,
				      struct mach_port *port)
{
	return rhashtable_lookup_fast(&space->rmap, &port, rmap_params);
}

int mach_entry_hash(struct mach_space *space, struct mach_entry *entry)
{
	int err;

	if (entry->hashed)
		return 0;
	err = rhashtable_insert_fast(&space->rmap, &entry->hnode, rmap_params);
	if (!err)
		entry->hashed = true;
	return err;
}

void mach_entry_unhash(struct mach_space *space, struct mach_entry *entry)
{
	if (!entry->hashed)
		return;
	WARN_ON_ONCE(rhashtable_remove_fast(&space->rmap, &entry->hnode, rmap_params));
	entry->hashed = false;
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
	mach_bootstrap_prune();
	xa_destroy(&space->table);
	rhashtable_destroy(&space->rmap);
	kvfree(space->free_stack);
	put_pid(space->owner);
	atomic_long_dec(&mach_stats.spaces);
	kfree(space);
}
