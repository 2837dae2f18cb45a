// SPDX-License-Identifier: GPL-2.0
/*
 * A read-only view of every space for inspection tools (tools/lsmach) and
 * the module's live-object counters, in debugfs (root only).
 *
 *   /sys/kernel/debug/mach/stats    live spaces, ports, entries, messages, sets
 *   /sys/kernel/debug/mach/spaces   per space: owner, names, rights, urefs,
 *                                   ports (as hashed ids), queues, sets,
 *                                   pending requests
 *
 * Reading changes nothing: dead names not yet noticed by their space are
 * shown as rights to a dead port, not converted.  Ports and sets are
 * identified by a serial number, the same in every space, which reveals no
 * kernel address and (unlike a hashed %p) works from boot.  Spaces show the
 * pid of their owner.
 *
 * Lock order: spaces_lock, then space->lock, then port and set locks.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include "ipc.h"

static LIST_HEAD(spaces);
static DEFINE_MUTEX(spaces_lock);
static struct dentry *dir;
static atomic64_t object_ids = ATOMIC64_INIT(0);

u64 mach_next_object_id(void)
{
	return atomic64_inc_return(&object_ids);
}

void mach_space_register(struct mach_space *space)
{
	mutex_lock(&spaces_lock);
	list_add_tail(&space->link, &spaces);
	mutex_unlock(&spaces_lock);
}

void mach_space_unregister(struct mach_space *space)
{
	mutex_lock(&spaces_lock);
	list_del(&space->link);
	mutex_unlock(&spaces_lock);
}

static int stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "spaces %ld\nports %ld\nentries %ld\nmessages %ld\nport_sets %ld\n",
		   atomic_long_read(&mach_stats.spaces),
		   atomic_long_read(&mach_stats.ports),
		   atomic_long_read(&mach_stats.entries),
		   atomic_long_read(&mach_stats.kmsgs),
		   atomic_long_read(&mach_stats.psets));
	seq_printf(m, "timers %ld\nsemaphores %ld\n", atomic_long_read(&mach_stats.timers),
		   atomic_long_read(&mach_stats.semaphores));
	seq_printf(m, "memory_entries %ld\nfileports %ld\n",
		   atomic_long_read(&mach_stats.mem_entries),
		   atomic_long_read(&mach_stats.fileports));
	seq_printf(m, "kmsg_aux %ld\n", atomic_long_read(&mach_stats.kmsg_aux));
	seq_printf(m, "ool_pages %ld\nool_cached %ld\n", atomic_long_read(&mach_stats.ool_pages),
		   atomic_long_read(&mach_stats.ool_cached));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static void show_type(struct seq_file *m, u32 type)
{
	static const struct { u32 bit; const char *name; } bits[] = {
		{ MACH_PORT_TYPE_SEND, "send" },
		{ MACH_PORT_TYPE_RECEIVE, "recv" },
		{ MACH_PORT_TYPE_SEND_ONCE, "send-once" },
		{ MACH_PORT_TYPE_PORT_SET, "port-set" },
		{ MACH_PORT_TYPE_DEAD_NAME, "dead-name" },
		{ MACH_PORT_TYPE_DNREQUEST, "dnreq" },
	};
	bool first = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (type & bits[i].bit) {
			seq_printf(m, "%s%s", first ? "" : "+", bits[i].name);
			first = false;
		}
	}
	if (first)
		seq_puts(m, "none");
}

static void show_port(struct seq_file *m, struct mach_port *port, bool receiver)
{
	struct mach_pset_link *link;
	const char *kobj = port->kobject_type == MACH_KOBJ_TASK ? "task" :
			   port->kobject_type == MACH_KOBJ_TASK_NAME ? "task-name" :
			   port->kobject_type == MACH_KOBJ_THREAD ? "thread" :
			   port->kobject_type == MACH_KOBJ_TIMER ? "timer" :
			   port->kobject_type == MACH_KOBJ_SEMAPHORE ? "semaphore" :
			   port->kobject_type == MACH_KOBJ_MEMORY_ENTRY ? "memory-entry" :
			   port->kobject_type == MACH_KOBJ_FILEPORT ? "fileport" : NULL;

	spin_lock(&port->lock);
	seq_printf(m, " port=%llu", port->id);
	if (!port->active)
		seq_puts(m, " dead");
	if (kobj)
		seq_printf(m, " kobject=%s", kobj);
	if (receiver) {
		seq_printf(m, " msgs=%u qlimit=%u seqno=%u mscount=%u srights=%u sorights=%u",
			   port->msgcount, port->qlimit, port->seqno, port->mscount,
			   port->srights, port->sorights);
		if (port->nsrequest)
			seq_puts(m, " ns-request");
		if (port->pdrequest)
			seq_puts(m, " pd-request");
		list_for_each_entry(link, &port->psets, port_node)
			seq_printf(m, " in-set=%llu", link->pset->id);
	}
	spin_unlock(&port->lock);
}

static void show_space(struct seq_file *m, struct mach_space *space)
{
	struct mach_entry *entry;
	struct task_struct *task;
	unsigned long index;
	u32 urefs;

	rcu_read_lock();
	task = pid_task(space->owner, PIDTYPE_PID);
	seq_printf(m, "space %llu pid %d comm %s entries %u\n", space->id,
		   pid_nr(space->owner), task ? task->comm : "(exited)",
		   space->nentries);
	rcu_read_unlock();

	mutex_lock(&space->lock);
	xa_for_each(&space->table, index, entry) {
		if (!entry->type)
			continue;
		urefs = entry->type & MACH_PORT_TYPE_SEND ? entry->urefs :
			entry->type & MACH_PORT_TYPE_DEAD_NAME ? entry->urefs : 1;
		seq_printf(m, "  name 0x%x ", entry->name);
		show_type(m, entry->type);
		seq_printf(m, " urefs=%u", urefs);
		if (entry->port)
			show_port(m, entry->port, entry->type & MACH_PORT_TYPE_RECEIVE);
		if (entry->pset)
			seq_printf(m, " set=%llu", entry->pset->id);
		seq_putc(m, '\n');
	}
	mutex_unlock(&space->lock);
}

static int spaces_show(struct seq_file *m, void *v)
{
	struct mach_space *space;

	mutex_lock(&spaces_lock);
	list_for_each_entry(space, &spaces, link)
		show_space(m, space);
	mutex_unlock(&spaces_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(spaces);

void mach_debugfs_init(void)
{
	dir = debugfs_create_dir("mach", NULL);
	debugfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	debugfs_create_file("spaces", 0400, dir, NULL, &spaces_fops);
}

void mach_debugfs_exit(void)
{
	debugfs_remove_recursive(dir);
}
