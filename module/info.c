// SPDX-License-Identifier: GPL-2.0
/*
 * Information calls: task_info and thread_info (XNU's osfmk/kern/task.c
 * and thread.c), and the port-space inspection calls of mach_debug
 * (osfmk/ipc/mach_debug.c: mach_port_space_info, mach_port_space_basic_info,
 * mach_port_dnrequest_info, mach_port_kobject[_description]) plus
 * mach_port_assert_attributes (osfmk/ipc/mach_port.c).  Darwin's
 * structures are filled here word for word; the figures come from the
 * kernel's own accounting (mm counters, cputime, credentials).
 *
 * Targets: the caller's own task port and its own thread ports.  What is
 * read of the space is collected under space->lock and copied out after
 * it is dropped.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* Darwin's <mach/task_info.h>, <mach/thread_info.h>, <mach/policy.h> (LP64) */
#define TASK_BASIC_INFO_32		4
#define TASK_BASIC_INFO_64		5
#define TASK_BASIC2_INFO_32		6
#define TASK_THREAD_TIMES_INFO		3
#define TASK_SECURITY_TOKEN		13
#define TASK_AUDIT_TOKEN		15
#define MACH_TASK_BASIC_INFO		20
#define TASK_INFO_MAX			1024

#define THREAD_BASIC_INFO		3
#define THREAD_IDENTIFIER_INFO		4
#define THREAD_INFO_MAX			32

#define POLICY_TIMESHARE		1
#define POLICY_RR			2

#define TH_USAGE_SCALE			1000
#define TH_STATE_RUNNING		1
#define TH_STATE_STOPPED		2
#define TH_STATE_WAITING		3
#define TH_STATE_UNINTERRUPTIBLE	4
#define TH_STATE_HALTED			5

/* XNU's IKOT_* (osfmk/kern/ipc_kobject.h) */
#define IKOT_NONE			0
#define IKOT_THREAD_CONTROL		1
#define IKOT_TASK_CONTROL		2
#define IKOT_HOST			3
#define IKOT_TIMER			8
#define IKOT_SEMAPHORE			23
#define IKOT_NAMED_ENTRY		28
#define IKOT_FILEPORT			34

struct darwin_time_value {
	s32 seconds;
	s32 microseconds;
};

/* #pragma pack(4) in <mach/task_info.h> */
struct darwin_task_basic_info_32 {
	s32 suspend_count;
	u32 virtual_size;
	u32 resident_size;
	struct darwin_time_value user_time;
	struct darwin_time_value system_time;
	s32 policy;
} __packed __aligned(4);
static_assert(sizeof(struct darwin_task_basic_info_32) == 8 * 4);

struct darwin_task_basic_info_64 {
	s32 suspend_count;
	u64 virtual_size;
	u64 resident_size;
	struct darwin_time_value user_time;
	struct darwin_time_value system_time;
	s32 policy;
} __packed __aligned(4);
static_assert(sizeof(struct darwin_task_basic_info_64) == 10 * 4);

struct darwin_mach_task_basic_info {
	u64 virtual_size;
	u64 resident_size;
	u64 resident_size_max;
	struct darwin_time_value user_time;
	struct darwin_time_value system_time;
	s32 policy;
	s32 suspend_count;
} __packed __aligned(4);
static_assert(sizeof(struct darwin_mach_task_basic_info) == 12 * 4);

struct darwin_task_thread_times_info {
	struct darwin_time_value user_time;
	struct darwin_time_value system_time;
};
static_assert(sizeof(struct darwin_task_thread_times_info) == 4 * 4);

struct darwin_thread_basic_info {
	struct darwin_time_value user_time;
	struct darwin_time_value system_time;
	s32 cpu_usage;
	s32 policy;
	s32 run_state;
	s32 flags;
	s32 suspend_count;
	s32 sleep_time;
};
static_assert(sizeof(struct darwin_thread_basic_info) == 10 * 4);

struct darwin_thread_identifier_info {
	u64 thread_id;
	u64 thread_handle;
	u64 dispatch_qaddr;
} __packed __aligned(4);
static_assert(sizeof(struct darwin_thread_identifier_info) == 6 * 4);

/* <mach_debug/ipc_info.h> */
struct darwin_ipc_info_name {
	u32 iin_name;
	s32 iin_collision;
	u32 iin_type;
	u32 iin_urefs;
	u32 iin_object;
	u32 iin_next;
	u32 iin_hash;
};
static_assert(sizeof(struct darwin_ipc_info_name) == 28);

/* XNU's MACH_PORT_NGEN(MACH_PORT_DEAD): every generation bit */
#define IIS_GENNO_MASK			0xffU

/* Large enough for every flavour served here. */
#define INFO_BUF_WORDS			16

static void time_value_ns(struct darwin_time_value *tv, u64 ns)
{
	u32 rem;

	tv->seconds = div_u64_rem(ns, NSEC_PER_SEC, &rem);
	tv->microseconds = rem / NSEC_PER_USEC;
}

/* The same version the message trailer's audit token carries (kmsg.c). */
static u32 pid_version(struct task_struct *tsk)
{
	u64 t = tsk->group_leader->start_time;

	return (u32)(t ^ (t >> 32));
}

/*
 * The task a task-port name denotes: a send right to a task or task name
 * port, the caller's own or another's (task_info takes a task_name_t).
 * MIG's conversion turns anything else into TASK_NULL, which task_info
 * answers with KERN_INVALID_ARGUMENT; a name with no send right could not
 * even carry the request (MACH_SEND_INVALID_DEST).
 */
static int task_target(struct mach_space *space, u32 name, struct task_struct **taskp)
{
	struct mach_entry *entry;
	int kr = KERN_SUCCESS;

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND))
		kr = MACH_SEND_INVALID_DEST;
	mutex_unlock(&space->lock);
	if (kr)
		return kr;
	*taskp = mach_task_get(space, name, MACH_TASK_NAME_OK, &kr);
	if (!*taskp)
		return kr == KERN_INVALID_TASK ? KERN_INVALID_ARGUMENT : kr;
	return KERN_SUCCESS;
}

/* Terminated threads' times (XNU's _task_fill_times): the signal struct's sums. */
static void dead_threads_times(struct task_struct *task, u64 *ut, u64 *st)
{
	struct signal_struct *sig = task->signal;
	unsigned int seq;

	do {
		seq = read_seqbegin(&sig->stats_lock);
		*ut = sig->utime;
		*st = sig->stime;
	} while (read_seqretry(&sig->stats_lock, seq));
}

struct mm_figures {
	u64 vsize, rss, rss_max;
};

static void mm_figures(struct task_struct *task, struct mm_figures *f)
{
	struct mm_struct *mm = get_task_mm(task);
	unsigned long rss;

	memset(f, 0, sizeof(*f));
	if (!mm)
		return;
	rss = get_mm_rss(mm);
	f->vsize = (u64)READ_ONCE(mm->total_vm) << PAGE_SHIFT;
	f->rss = (u64)rss << PAGE_SHIFT;
	f->rss_max = (u64)max(rss, READ_ONCE(mm->hiwater_rss)) << PAGE_SHIFT;
	mmput(mm);
}

static int task_flavor(struct task_struct *task, u32 flavor, void *buf, u32 *count)
{
	struct mm_figures f;
	u64 ut, st;

	switch (flavor) {
	case TASK_BASIC_INFO_32:
	case TASK_BASIC2_INFO_32: {
		struct darwin_task_basic_info_32 *bi = buf;

		if (*count < sizeof(*bi) / 4)
			return KERN_INVALID_ARGUMENT;
		mm_figures(task, &f);
		dead_threads_times(task, &ut, &st);
		bi->virtual_size = (u32)f.vsize;
		/* BASIC2 reports the peak instead of the current size */
		bi->resident_size = min_t(u64, U32_MAX,
					  flavor == TASK_BASIC2_INFO_32 ? f.rss_max : f.rss);
		time_value_ns(&bi->user_time, ut);
		time_value_ns(&bi->system_time, st);
		bi->policy = POLICY_TIMESHARE;
		*count = sizeof(*bi) / 4;
		return KERN_SUCCESS;
	}
	case TASK_BASIC_INFO_64: {
		struct darwin_task_basic_info_64 *bi = buf;

		if (*count < sizeof(*bi) / 4)
			return KERN_INVALID_ARGUMENT;
		mm_figures(task, &f);
		dead_threads_times(task, &ut, &st);
		bi->virtual_size = f.vsize;
		bi->resident_size = f.rss;
		time_value_ns(&bi->user_time, ut);
		time_value_ns(&bi->system_time, st);
		bi->policy = POLICY_TIMESHARE;
		*count = sizeof(*bi) / 4;
		return KERN_SUCCESS;
	}
	case MACH_TASK_BASIC_INFO: {
		struct darwin_mach_task_basic_info *bi = buf;

		if (*count < sizeof(*bi) / 4)
			return KERN_INVALID_ARGUMENT;
		mm_figures(task, &f);
		dead_threads_times(task, &ut, &st);
		bi->virtual_size = f.vsize;
		bi->resident_size = f.rss;
		bi->resident_size_max = f.rss_max;
		time_value_ns(&bi->user_time, ut);
		time_value_ns(&bi->system_time, st);
		bi->policy = POLICY_TIMESHARE;
		*count = sizeof(*bi) / 4;
		return KERN_SUCCESS;
	}
	case TASK_THREAD_TIMES_INFO: {
		struct darwin_task_thread_times_info *ti = buf;
		struct task_struct *t;
		u64 tu = 0, ts = 0;

		if (*count < sizeof(*ti) / 4)
			return KERN_INVALID_ARGUMENT;
		/* live threads only, as XNU's walk of task->threads */
		rcu_read_lock();
		for_each_thread(task, t) {
			task_cputime_adjusted(t, &ut, &st);
			tu += ut;
			ts += st;
		}
		rcu_read_unlock();
		time_value_ns(&ti->user_time, tu);
		time_value_ns(&ti->system_time, ts);
		*count = sizeof(*ti) / 4;
		return KERN_SUCCESS;
	}
	case TASK_SECURITY_TOKEN:
	case TASK_AUDIT_TOKEN: {
		struct user_namespace *ns = current_user_ns();
		const struct cred *cred;
		u32 *tok = buf;
		kuid_t auid;

		if (*count < (flavor == TASK_AUDIT_TOKEN ? 8 : 2))
			return KERN_INVALID_ARGUMENT;
		/* the values a message from the task carries in its trailer */
		rcu_read_lock();
		cred = __task_cred(task);
		tok[0] = from_kuid_munged(ns, cred->euid);
		tok[1] = from_kgid_munged(ns, cred->egid);
		if (flavor == TASK_SECURITY_TOKEN) {
			rcu_read_unlock();
			*count = 2;
			return KERN_SUCCESS;
		}
		tok[MACH_AUDIT_EUID] = tok[0];
		tok[MACH_AUDIT_EGID] = tok[1];
		tok[MACH_AUDIT_RUID] = from_kuid_munged(ns, cred->uid);
		tok[MACH_AUDIT_RGID] = from_kgid_munged(ns, cred->gid);
		rcu_read_unlock();
		auid = audit_get_loginuid(task);
		tok[MACH_AUDIT_AUID] = uid_valid(auid) ? from_kuid_munged(ns, auid) : (u32)-1;
		tok[MACH_AUDIT_PID] = task_tgid_vnr(task);
		tok[MACH_AUDIT_ASID] = audit_get_sessionid(task);
		tok[MACH_AUDIT_PIDVERSION] = pid_version(task);
		*count = 8;
		return KERN_SUCCESS;
	}
	}
	return KERN_INVALID_ARGUMENT;
}

/*
 * The thread a thread-port name denotes: a send right to one of the
 * caller's own thread ports whose thread is alive.  A thread that exited
 * has no thread any more (XNU disables the port: THREAD_NULL).
 */
static int thread_target(struct mach_space *space, u32 name, struct task_struct **tp)
{
	struct mach_thread_port *t;
	struct mach_entry *entry;
	struct pid *tid = NULL;
	int kr = KERN_INVALID_ARGUMENT;

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND)) {
		kr = MACH_SEND_INVALID_DEST;
	} else if (MACH_PORT_PTR_VALID(entry->port) &&
		   entry->port->kobject_type == MACH_KOBJ_THREAD) {
		list_for_each_entry(t, &space->thread_ports, link) {
			if (t->port == entry->port) {
				tid = get_pid(t->tid);
				break;
			}
		}
	}
	mutex_unlock(&space->lock);
	if (!tid)
		return kr;
	*tp = get_pid_task(tid, PIDTYPE_PID);
	put_pid(tid);
	if (!*tp)
		return KERN_INVALID_ARGUMENT;
	/* an exiting thread is terminated for Mach (pthread_join may be done) */
	if (READ_ONCE((*tp)->flags) & PF_EXITING) {
		put_task_struct(*tp);
		return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}

static int run_state(struct task_struct *t)
{
	switch (task_state_index(t)) {
	case 0:				/* R */
		return TH_STATE_RUNNING;
	case 2:				/* D */
		return TH_STATE_UNINTERRUPTIBLE;
	case 3:				/* T */
	case 4:				/* t */
		return TH_STATE_STOPPED;
	case 5:				/* X */
	case 6:				/* Z */
		return TH_STATE_HALTED;
	default:			/* S, and kernel threads' P and I */
		return TH_STATE_WAITING;
	}
}

static int thread_flavor(struct task_struct *t, u32 flavor, void *buf, u32 *count)
{
	if (flavor == THREAD_BASIC_INFO) {
		struct darwin_thread_basic_info *bi = buf;
		u64 ut, st;
		int policy;

		if (*count < sizeof(*bi) / 4)
			return KERN_INVALID_ARGUMENT;
		task_cputime_adjusted(t, &ut, &st);
		time_value_ns(&bi->user_time, ut);
		time_value_ns(&bi->system_time, st);
#ifdef CONFIG_SMP
		/* the scheduler's decayed utilisation (PELT), 1024 = one CPU */
		bi->cpu_usage = min_t(u64, TH_USAGE_SCALE,
				      (u64)READ_ONCE(t->se.avg.util_avg) * TH_USAGE_SCALE /
				      SCHED_CAPACITY_SCALE);
#endif
		policy = READ_ONCE(t->policy);
		/* XNU knows timeshare and fixed priority (reported as RR) */
		bi->policy = policy == SCHED_FIFO || policy == SCHED_RR ||
			     policy == SCHED_DEADLINE ? POLICY_RR : POLICY_TIMESHARE;
		bi->run_state = run_state(t);
		*count = sizeof(*bi) / 4;
		return KERN_SUCCESS;
	}
	if (flavor == THREAD_IDENTIFIER_INFO) {
		struct darwin_thread_identifier_info *ii = buf;

		if (*count < sizeof(*ii) / 4)
			return KERN_INVALID_ARGUMENT;
		ii->thread_id = task_pid_vnr(t);
#ifdef CONFIG_X86_64
		/* XNU's cthread_self: the TLS base, which is glibc's pthread_self() */
		ii->thread_handle = READ_ONCE(t->thread.fsbase);
#endif
		/*
		 * XNU leaves the count as it came (THREAD_INFO_MAX at most); only
		 * the structure is written here.
		 */
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

static long info_ioctl(struct mach_space *space, unsigned int cmd, struct mach_ioc_info *a)
{
	struct task_struct *task;
	u32 buf[INFO_BUF_WORDS] = {};
	u32 count, words;
	int kr;

	if (cmd == MACH_IOC_TASK_INFO) {
		kr = task_target(space, a->target, &task);
		if (kr)
			return kr;
		count = min_t(u32, a->count, TASK_INFO_MAX);
		kr = task_flavor(task, a->flavor, buf, &count);
		words = count;
	} else {
		kr = thread_target(space, a->target, &task);
		if (kr)
			return kr;
		count = min_t(u32, a->count, THREAD_INFO_MAX);
		kr = thread_flavor(task, a->flavor, buf, &count);
		words = a->flavor == THREAD_IDENTIFIER_INFO ?
			sizeof(struct darwin_thread_identifier_info) / 4 : count;
	}
	put_task_struct(task);
	if (kr)
		return kr;
	if (copy_to_user(u64_to_user_ptr(a->info), buf, words * sizeof(u32)))
		return -EFAULT;
	a->count = count;
	return KERN_SUCCESS;
}

/*
 * The task argument of the mach_debug calls.  XNU's _from_user variants
 * (space_info, kobject) give KERN_INVALID_ARGUMENT for a right that is
 * not a task's; the others keep the project's KERN_INVALID_TASK.
 */
static int space_check(struct mach_space *space, u32 task, bool from_user)
{
	struct mach_entry *entry;

	if (!mach_task_check(space, task))
		return KERN_SUCCESS;
	entry = mach_entry_lookup(space, task);
	if (from_user && entry && (entry->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_ARGUMENT;
	return KERN_INVALID_TASK;
}

/* The table size XNU would report: every index up to the highest used. */
static u32 table_size(struct mach_space *space)
{
	unsigned long index, last = 0;
	void *e;

	xa_for_each(&space->table, index, e)
		last = index;
	return max_t(u32, space->next_index, last + 1);
}

static u32 object_id(struct mach_entry *entry)
{
	if (MACH_PORT_PTR_VALID(entry->port))
		return (u32)entry->port->id;
	if (entry->pset)
		return (u32)entry->pset->id;
	return 0;
}

/* mach_port_space_info: the whole table, index 0 and free slots included. */
static long space_info(struct mach_space *space, struct mach_ioc_space_info *a)
{
	struct darwin_ipc_info_name *tab = NULL;
	u32 tsize, i;
	int kr;

	mutex_lock(&space->lock);
	kr = space_check(space, a->task, true);
	if (kr)
		goto unlock;
	tsize = table_size(space);
	a->info[0] = IIS_GENNO_MASK;
	a->info[1] = tsize;
	if (a->count < tsize || !a->table)
		goto unlock;
	tab = kvcalloc(tsize, sizeof(*tab), GFP_KERNEL_ACCOUNT);
	if (!tab) {
		kr = KERN_RESOURCE_SHORTAGE;
		goto unlock;
	}
	tab[0].iin_name = MACH_PORT_MAKE(0, IIS_GENNO_MASK);
	for (i = 1; i < tsize; i++) {
		void *e = xa_load(&space->table, i);
		struct mach_entry *entry = e;

		if (!e) {
			tab[i].iin_name = MACH_PORT_MAKE(i, 0);
		} else if (xa_is_value(e)) {
			tab[i].iin_name = MACH_PORT_MAKE(i, xa_to_value(e));
		} else {
			/* as read: a dead port not yet noticed is still a send right */
			tab[i].iin_name = entry->name;
			tab[i].iin_type = entry->type;
			tab[i].iin_urefs = entry->urefs;
			if (entry->type)
				tab[i].iin_object = object_id(entry);
		}
	}
unlock:
	mutex_unlock(&space->lock);
	if (kr)
		return kr;
	if (tab) {
		if (copy_to_user(u64_to_user_ptr(a->table), tab, tsize * sizeof(*tab)))
			kr = -EFAULT;
		kvfree(tab);
	}
	a->count = tsize;
	return kr;
}

static long space_basic_info(struct mach_space *space, struct mach_ioc_space_info *a)
{
	int kr;

	mutex_lock(&space->lock);
	kr = space_check(space, a->task, false);
	if (!kr) {
		memset(a->info, 0, sizeof(a->info));
		a->info[0] = IIS_GENNO_MASK;
		a->info[1] = table_size(space);
		a->info[3] = space->nentries;	/* iisb_table_inuse */
	}
	mutex_unlock(&space->lock);
	return kr;
}

/* Requests live on a list, not a table: the "table" is exactly the armed ones. */
static long dnrequest_info(struct mach_space *space, struct mach_ioc_dnrequest_info *a)
{
	struct mach_port *port;
	struct mach_dnreq *d;
	u32 used = 0;
	int kr;

	mutex_lock(&space->lock);
	kr = space_check(space, a->task, false);
	if (!kr)
		kr = mach_translate_receive(space, a->name, &port);
	if (!kr) {
		spin_lock(&port->lock);
		list_for_each_entry(d, &port->dnrequests, link)
			used++;
		spin_unlock(&port->lock);
		a->total = used;
		a->used = used;
	}
	mutex_unlock(&space->lock);
	return kr;
}

static u32 ikot(u8 type)
{
	switch (type) {
	case MACH_KOBJ_TASK:
		return IKOT_TASK_CONTROL;
	case MACH_KOBJ_THREAD:
		return IKOT_THREAD_CONTROL;
	case MACH_KOBJ_HOST:
		return IKOT_HOST;
	case MACH_KOBJ_TIMER:
		return IKOT_TIMER;
	case MACH_KOBJ_SEMAPHORE:
		return IKOT_SEMAPHORE;
	case MACH_KOBJ_MEMORY_ENTRY:
		return IKOT_NAMED_ENTRY;
	case MACH_KOBJ_FILEPORT:
		return IKOT_FILEPORT;
	}
	return IKOT_NONE;
}

/*
 * mach_port_kobject(_description): ipc_right_lookup_read's errors (index
 * 0, no such name, a dead name: KERN_INVALID_NAME), then a send or
 * receive right is needed.  The address is 0 as on a release kernel, the
 * description empty (XNU describes only IOKit objects and task id tokens).
 */
static long port_kobject(struct mach_space *space, struct mach_ioc_port_kobject *a)
{
	struct mach_entry *entry;
	int kr;

	if (a->reserved)
		return -EINVAL;
	mutex_lock(&space->lock);
	kr = space_check(space, a->task, true);
	if (kr)
		goto unlock;
	entry = mach_entry_lookup(space, a->name);
	/* a dead name has no object left */
	if (!entry || !(entry->type & (MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_PORT_SET))) {
		kr = KERN_INVALID_NAME;
		goto unlock;
	}
	if (!(entry->type & MACH_PORT_TYPE_SEND_RECEIVE)) {
		kr = KERN_INVALID_RIGHT;
		goto unlock;
	}
	a->type = MACH_PORT_PTR_VALID(entry->port) ? ikot(entry->port->kobject_type) : IKOT_NONE;
	a->addr = 0;
unlock:
	mutex_unlock(&space->lock);
	if (!kr && a->description &&
	    put_user((char)0, (char __user *)u64_to_user_ptr(a->description)))
		return -EFAULT;
	return kr;
}

/*
 * mach_port_assert_attributes, in XNU's order: the guard assertion holds
 * when the receive right is guarded (guard.c) by exactly that value;
 * otherwise it is XNU's fatal guard exception (UNGUARDED or
 * INCORRECT_GUARD) and, where the task made guards non-fatal,
 * KERN_INVALID_ARGUMENT.
 */
static long assert_attributes(struct mach_space *space, struct mach_ioc_port_attr *a)
{
	struct mach_port *port;
	struct mach_reap reap;
	int kr;

	mach_reap_init(&reap);

	mutex_lock(&space->lock);
	kr = space_check(space, a->task, false);
	if (kr)
		goto unlock;
	if (a->flavor != MACH_PORT_GUARD_INFO) {
		kr = KERN_INVALID_ARGUMENT;
		goto unlock;
	}
	if (a->count < MACH_PORT_GUARD_INFO_COUNT) {
		kr = KERN_FAILURE;
		goto unlock;
	}
	if (!MACH_PORT_VALID(a->name)) {
		kr = KERN_INVALID_RIGHT;
		goto unlock;
	}
	kr = mach_translate_receive(space, a->name, &port);
	if (!kr) {
		u64 guard;

		/* mach_port_guard_info_t: one u64, the guard asserted */
		u32 flavor = 0;
		u64 payload = 0;

		memcpy(&guard, a->info, sizeof(guard));
		spin_lock(&port->lock);
		if (!(port->guard & MACH_PORT_GUARD_GUARDED)) {
			flavor = kGUARD_EXC_UNGUARDED;
		} else if (port->context != guard) {
			flavor = kGUARD_EXC_INCORRECT_GUARD;
			payload = port->context;
		}
		spin_unlock(&port->lock);
		if (flavor) {
			/* XNU: a failed assertion is a fatal guard exception */
			mach_guard_exception(space, &reap, a->name, flavor, payload);
			kr = KERN_INVALID_ARGUMENT;
		}
	}
unlock:
	mutex_unlock(&space->lock);
	mach_reap_flush(&reap);
	return kr;
}

long mach_info_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	union {
		struct mach_ioc_name name;
		struct mach_ioc_info info;
		struct mach_ioc_space_info si;
		struct mach_ioc_dnrequest_info dn;
		struct mach_ioc_port_kobject ko;
		struct mach_ioc_port_attr attr;
	} a;
	size_t size = _IOC_SIZE(cmd);
	struct mach_reap reap;
	long kr;

	if (size > sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, size))
		return -EFAULT;
	switch (cmd) {
	case MACH_IOC_HOST_SELF:
		mach_reap_init(&reap);
		mutex_lock(&space->lock);
		kr = mach_host_self(space, &a.name.name, &reap);
		mutex_unlock(&space->lock);
		mach_reap_flush(&reap);
		break;
	case MACH_IOC_HOST_INFO:
	case MACH_IOC_HOST_STATISTICS:
	case MACH_IOC_HOST_STATISTICS64:
		if (a.info.reserved)
			return -EINVAL;
		kr = mach_host_info_ioctl(space, cmd, &a.info);
		break;
	case MACH_IOC_TASK_INFO:
	case MACH_IOC_THREAD_INFO:
		if (a.info.reserved)
			return -EINVAL;
		kr = info_ioctl(space, cmd, &a.info);
		break;
	case MACH_IOC_PORT_SPACE_INFO:
		kr = space_info(space, &a.si);
		break;
	case MACH_IOC_PORT_SPACE_BASIC_INFO:
		kr = space_basic_info(space, &a.si);
		break;
	case MACH_IOC_PORT_DNREQUEST_INFO:
		kr = dnrequest_info(space, &a.dn);
		break;
	case MACH_IOC_PORT_KOBJECT:
		kr = port_kobject(space, &a.ko);
		break;
	case MACH_IOC_PORT_ASSERT_ATTRIBUTES:
		if (a.attr.reserved)
			return -EINVAL;
		kr = assert_attributes(space, &a.attr);
		break;
	default:
		return -ENOTTY;
	}
	if (kr == KERN_SUCCESS && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &a, size))
		return -EFAULT;
	return kr;
}
