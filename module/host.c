// SPDX-License-Identifier: GPL-2.0
/*
 * The host port and what it answers: host_info, host_statistics and
 * host_statistics64 (XNU's osfmk/kern/host.c), with the figures taken from
 * the kernel's own accounting.
 *
 * There is one host port for the whole system, as XNU has one realhost.
 * Bootstrap ports are kept per IPC namespace because a container's name
 * server is its own; the host port carries no state anyone can set (no
 * host special ports here) and what it reports (memory, CPUs, load) is
 * the machine's, which /proc shows every namespace alike.  The kernel
 * holds its receive right from module load to unload; every space gets a
 * send right to it as TASK_HOST_PORT, and mach_host_self copies out
 * another, which lands on the space's one name for the port (XNU's
 * host_self_trap: same name, one more uref).
 *
 * Nothing here takes a lock of the module's: the port never dies while
 * the module is loaded.
 */
#include <linux/mm.h>
#include <linux/vmstat.h>
#include <linux/kernel_stat.h>
#include <linux/sched/loadavg.h>
#include <linux/cpumask.h>
#include <linux/topology.h>
#include <linux/tick.h>
#include <linux/jiffies.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* Darwin's <mach/host_info.h> and <mach/vm_statistics.h> (LP64). */
#define HOST_BASIC_INFO			1
#define HOST_SCHED_INFO			3
#define HOST_LOAD_INFO			1
#define HOST_VM_INFO			2
#define HOST_CPU_LOAD_INFO		3
#define HOST_VM_INFO64			4
#define HOST_INFO_MAX			1024

#define CPU_STATE_USER			0
#define CPU_STATE_SYSTEM		1
#define CPU_STATE_IDLE			2
#define CPU_STATE_NICE			3
#define CPU_STATE_MAX			4
#define LOAD_SCALE			1000

#define CPU_ARCH_ABI64			0x01000000
#define CPU_TYPE_X86_64			(7 | CPU_ARCH_ABI64)
#define CPU_SUBTYPE_X86_64_ALL		3
#define CPU_TYPE_ARM64			(12 | CPU_ARCH_ABI64)
#define CPU_SUBTYPE_ARM64_ALL		0

struct darwin_host_basic_info {
	s32 max_cpus;
	s32 avail_cpus;
	u32 memory_size;
	s32 cpu_type;
	s32 cpu_subtype;
	s32 cpu_threadtype;
	s32 physical_cpu;
	s32 physical_cpu_max;
	s32 logical_cpu;
	s32 logical_cpu_max;
	u64 max_mem;
} __packed __aligned(4);
static_assert(sizeof(struct darwin_host_basic_info) == 48);
#define HOST_BASIC_INFO_COUNT		12
#define HOST_BASIC_INFO_OLD_COUNT	5

struct darwin_host_sched_info {
	s32 min_timeout;
	s32 min_quantum;
};
#define HOST_SCHED_INFO_COUNT		2

struct darwin_host_load_info {
	s32 avenrun[3];
	s32 mach_factor[3];
};
static_assert(sizeof(struct darwin_host_load_info) == 24);
#define HOST_LOAD_INFO_COUNT		6

struct darwin_host_cpu_load_info {
	u32 cpu_ticks[CPU_STATE_MAX];
};
#define HOST_CPU_LOAD_INFO_COUNT	4

struct darwin_vm_statistics {
	u32 free_count;
	u32 active_count;
	u32 inactive_count;
	u32 wire_count;
	u32 zero_fill_count;
	u32 reactivations;
	u32 pageins;
	u32 pageouts;
	u32 faults;
	u32 cow_faults;
	u32 lookups;
	u32 hits;
	u32 purgeable_count;	/* rev1 */
	u32 purges;		/* rev1 */
	u32 speculative_count;	/* rev2 */
};
static_assert(sizeof(struct darwin_vm_statistics) == 60);
#define HOST_VM_INFO_COUNT		15
#define HOST_VM_INFO_REV1_COUNT		14
#define HOST_VM_INFO_REV0_COUNT		12

struct darwin_vm_statistics64 {
	u32 free_count;
	u32 active_count;
	u32 inactive_count;
	u32 wire_count;
	u64 zero_fill_count;
	u64 reactivations;
	u64 pageins;
	u64 pageouts;
	u64 faults;
	u64 cow_faults;
	u64 lookups;
	u64 hits;
	u64 purges;
	u32 purgeable_count;
	u32 speculative_count;
	/* rev1 */
	u64 decompressions;
	u64 compressions;
	u64 swapins;
	u64 swapouts;
	u32 compressor_page_count;
	u32 throttled_count;
	u32 external_page_count;
	u32 internal_page_count;
	u64 total_uncompressed_pages_in_compressor;
} __aligned(8);
static_assert(sizeof(struct darwin_vm_statistics64) == 152);
#define HOST_VM_INFO64_COUNT		38
#define HOST_VM_INFO64_REV0_COUNT	(HOST_VM_INFO64_COUNT - 14)

static struct mach_port *host_port;

int mach_host_init(void)
{
	/* the object pointer only marks the port as the host's */
	host_port = mach_kobject_port_alloc(MACH_KOBJ_HOST, &host_port, false);
	return host_port ? 0 : -ENOMEM;
}

void mach_host_exit(void)
{
	struct mach_reap reap;

	mach_reap_init(&reap);
	mach_port_destroy(host_port, &reap);
	mach_reap_flush(&reap);
	mach_port_put(host_port);
	host_port = NULL;
}

/* A new send right to the host port (the caller releases it). */
struct mach_port *mach_host_send(void)
{
	spin_lock(&host_port->lock);
	host_port->mscount++;
	host_port->srights++;
	spin_unlock(&host_port->lock);
	mach_port_get(host_port);
	return host_port;
}

/* mach_host_self.  Holds space->lock. */
int mach_host_self(struct mach_space *space, u32 *namep, struct mach_reap *reap)
{
	struct mach_port *port = mach_host_send();

	if (mach_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, true, namep, reap)) {
		mach_port_release_send(port, reap);
		*namep = MACH_PORT_NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/* Cores: CPUs that are the first of their SMT siblings. */
static int count_cores(const struct cpumask *mask)
{
	int cpu, n = 0;

	for_each_cpu(cpu, mask)
		if (cpumask_first(topology_sibling_cpumask(cpu)) == cpu)
			n++;
	return n;
}

static int host_basic_info(void *buf, u32 *count)
{
	struct darwin_host_basic_info *bi = buf;
	u64 mem = (u64)totalram_pages() << PAGE_SHIFT;

	if (*count < HOST_BASIC_INFO_OLD_COUNT)
		return KERN_FAILURE;
	bi->max_cpus = num_possible_cpus();
	bi->avail_cpus = num_online_cpus();
	/* XNU: "size of memory in bytes, capped at 2 GB" */
	bi->memory_size = min_t(u64, mem, 0x80000000ULL);
#if defined(CONFIG_X86_64)
	bi->cpu_type = CPU_TYPE_X86_64;
	bi->cpu_subtype = CPU_SUBTYPE_X86_64_ALL;
#elif defined(CONFIG_ARM64)
	bi->cpu_type = CPU_TYPE_ARM64;
	bi->cpu_subtype = CPU_SUBTYPE_ARM64_ALL;
#endif
	if (*count < HOST_BASIC_INFO_COUNT) {
		*count = HOST_BASIC_INFO_OLD_COUNT;
		return KERN_SUCCESS;
	}
	bi->cpu_threadtype = 0;		/* CPU_THREADTYPE_NONE */
	bi->physical_cpu = count_cores(cpu_online_mask);
	bi->physical_cpu_max = count_cores(cpu_possible_mask);
	bi->logical_cpu = bi->avail_cpus;	/* XNU on x86_64 */
	bi->logical_cpu_max = bi->max_cpus;
	bi->max_mem = mem;
	*count = HOST_BASIC_INFO_COUNT;
	return KERN_SUCCESS;
}

static int host_sched_info(void *buf, u32 *count)
{
	struct darwin_host_sched_info *si = buf;

	if (*count < HOST_SCHED_INFO_COUNT)
		return KERN_FAILURE;
	/* Linux has no fixed quantum: the scheduler tick is its granularity */
	si->min_timeout = jiffies_to_msecs(1);
	si->min_quantum = si->min_timeout;
	*count = HOST_SCHED_INFO_COUNT;
	return KERN_SUCCESS;
}

static int host_load_info(void *buf, u32 *count)
{
	struct darwin_host_load_info *li = buf;
	int i;

	if (*count < HOST_LOAD_INFO_COUNT)
		return KERN_FAILURE;
	/* FIXED_1 fixed point to LOAD_SCALE, rounded; no mach factor on Linux */
	for (i = 0; i < 3; i++) {
		li->avenrun[i] = ((u64)READ_ONCE(avenrun[i]) * LOAD_SCALE + FIXED_1 / 2) >> FSHIFT;
		li->mach_factor[i] = 0;
	}
	*count = HOST_LOAD_INFO_COUNT;
	return KERN_SUCCESS;
}

/* USER_HZ ticks, summed over every CPU, the way /proc/stat sums them. */
static int host_cpu_load_info(void *buf, u32 *count)
{
	struct darwin_host_cpu_load_info *ci = buf;
	u64 t[CPU_STATE_MAX] = {};
	int cpu, i;

	if (*count < HOST_CPU_LOAD_INFO_COUNT)
		return KERN_FAILURE;
	for_each_possible_cpu(cpu) {
		struct kernel_cpustat kcs;
		u64 idle = U64_MAX, iowait = U64_MAX;

		kcpustat_cpu_fetch(&kcs, cpu);
		if (cpu_online(cpu)) {
			idle = get_cpu_idle_time_us(cpu, NULL);
			iowait = get_cpu_iowait_time_us(cpu, NULL);
		}
		idle = idle == U64_MAX ? kcs.cpustat[CPUTIME_IDLE] : idle * NSEC_PER_USEC;
		iowait = iowait == U64_MAX ? kcs.cpustat[CPUTIME_IOWAIT] : iowait * NSEC_PER_USEC;
		t[CPU_STATE_USER] += kcs.cpustat[CPUTIME_USER];
		t[CPU_STATE_NICE] += kcs.cpustat[CPUTIME_NICE];
		t[CPU_STATE_SYSTEM] += kcs.cpustat[CPUTIME_SYSTEM] +
				       kcs.cpustat[CPUTIME_IRQ] + kcs.cpustat[CPUTIME_SOFTIRQ];
		t[CPU_STATE_IDLE] += idle + iowait;
	}
	/* natural_t ticks wrap, as Darwin's do */
	for (i = 0; i < CPU_STATE_MAX; i++)
		ci->cpu_ticks[i] = (u32)div_u64(t[i], NSEC_PER_SEC / USER_HZ);
	*count = HOST_CPU_LOAD_INFO_COUNT;
	return KERN_SUCCESS;
}

/* The kernel's page counts and VM events, in Darwin's vm_statistics64 terms. */
static void vm_figures(struct darwin_vm_statistics64 *s)
{
	unsigned long anon_a = global_node_page_state(NR_ACTIVE_ANON);
	unsigned long anon_i = global_node_page_state(NR_INACTIVE_ANON);
	unsigned long file_a = global_node_page_state(NR_ACTIVE_FILE);
	unsigned long file_i = global_node_page_state(NR_INACTIVE_FILE);

	s->free_count = global_zone_page_state(NR_FREE_PAGES);
	s->active_count = anon_a + file_a;
	s->inactive_count = anon_i + file_i;
	/* pinned: unevictable LRU pages plus what the kernel itself holds */
	s->wire_count = global_node_page_state(NR_UNEVICTABLE) +
		global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) +
		global_node_page_state(NR_PAGETABLE) +
		(global_node_page_state(NR_KERNEL_STACK_KB) >> (PAGE_SHIFT - 10));
	s->external_page_count = file_a + file_i;
	s->internal_page_count = anon_a + anon_i;
#ifdef CONFIG_VM_EVENT_COUNTERS
	{
		unsigned long ev[NR_VM_EVENT_ITEMS];

		all_vm_events(ev);
		s->reactivations = ev[PGACTIVATE];
		s->pageins = ev[PGMAJFAULT];
		s->faults = ev[PGFAULT];
#ifdef CONFIG_SWAP
		s->pageouts = ev[PSWPOUT];
		s->swapins = ev[PSWPIN];
		s->swapouts = ev[PSWPOUT];
#endif
	}
#endif
}

static int host_vm_info(void *buf, u32 *count)
{
	struct darwin_vm_statistics *v = buf;
	struct darwin_vm_statistics64 s = {};
	u32 asked = *count;

	if (asked < HOST_VM_INFO_REV0_COUNT)
		return KERN_FAILURE;
	vm_figures(&s);
	v->free_count = s.free_count;
	v->active_count = s.active_count;
	v->inactive_count = s.inactive_count;
	v->wire_count = s.wire_count;
	/* truncated to 32 bits, as XNU's VM_STATISTICS_TRUNCATE_TO_32_BIT */
	v->zero_fill_count = (u32)s.zero_fill_count;
	v->reactivations = (u32)s.reactivations;
	v->pageins = (u32)s.pageins;
	v->pageouts = (u32)s.pageouts;
	v->faults = (u32)s.faults;
	v->cow_faults = (u32)s.cow_faults;
	v->lookups = (u32)s.lookups;
	v->hits = (u32)s.hits;
	*count = HOST_VM_INFO_REV0_COUNT;
	if (asked >= HOST_VM_INFO_REV1_COUNT) {
		v->purgeable_count = s.purgeable_count;
		v->purges = (u32)s.purges;
		*count = HOST_VM_INFO_REV1_COUNT;
	}
	if (asked >= HOST_VM_INFO_COUNT) {
		v->speculative_count = s.speculative_count;
		*count = HOST_VM_INFO_COUNT;
	}
	return KERN_SUCCESS;
}

static int host_vm_info64(void *buf, u32 *count)
{
	struct darwin_vm_statistics64 *v = buf;

	if (*count < HOST_VM_INFO64_REV0_COUNT)
		return KERN_FAILURE;
	vm_figures(v);
	/* rev0 stops at speculative_count: only that much is copied out */
	*count = *count < HOST_VM_INFO64_COUNT ? HOST_VM_INFO64_REV0_COUNT
					       : HOST_VM_INFO64_COUNT;
	return KERN_SUCCESS;
}

/* @buf holds HOST_INFO_MAX words, zeroed. */
static int host_flavor(unsigned int cmd, u32 flavor, void *buf, u32 *count)
{
	if (cmd == MACH_IOC_HOST_INFO) {
		switch (flavor) {
		case HOST_BASIC_INFO:
			return host_basic_info(buf, count);
		case HOST_SCHED_INFO:
			return host_sched_info(buf, count);
		}
		return KERN_INVALID_ARGUMENT;
	}
	/* host_statistics64 knows HOST_VM_INFO64 and hands the rest on */
	if (cmd == MACH_IOC_HOST_STATISTICS64 && flavor == HOST_VM_INFO64)
		return host_vm_info64(buf, count);
	switch (flavor) {
	case HOST_LOAD_INFO:
		return host_load_info(buf, count);
	case HOST_VM_INFO:
		return host_vm_info(buf, count);
	case HOST_CPU_LOAD_INFO:
		return host_cpu_load_info(buf, count);
	}
	return KERN_INVALID_ARGUMENT;
}

/*
 * host_info, host_statistics, host_statistics64.  The target must be a
 * send right to the host port.  A name without a send right could not
 * carry the MIG request (MACH_SEND_INVALID_DEST); another right is what
 * XNU's MIG conversion makes of it, HOST_NULL, which host_info answers
 * with KERN_INVALID_ARGUMENT and the statistics calls with
 * KERN_INVALID_HOST.
 */
long mach_host_info_ioctl(struct mach_space *space, unsigned int cmd,
			  struct mach_ioc_info *a)
{
	struct mach_entry *entry;
	u32 count;
	void *buf;
	int kr;

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, a->target);
	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND))
		kr = MACH_SEND_INVALID_DEST;
	else if (entry->port != host_port)
		kr = cmd == MACH_IOC_HOST_INFO ? KERN_INVALID_ARGUMENT : KERN_INVALID_HOST;
	else
		kr = KERN_SUCCESS;
	mutex_unlock(&space->lock);
	if (kr)
		return kr;

	/* MIG hands the server at most HOST_INFO_MAX words */
	count = min_t(u32, a->count, HOST_INFO_MAX);
	buf = kzalloc(sizeof(struct darwin_vm_statistics64), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	kr = host_flavor(cmd, a->flavor, buf, &count);
	if (kr == KERN_SUCCESS) {
		if (copy_to_user(u64_to_user_ptr(a->info), buf, count * sizeof(u32)))
			kr = -EFAULT;
		a->count = count;
	}
	kfree(buf);
	return kr;
}
