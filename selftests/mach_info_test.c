// SPDX-License-Identifier: GPL-2.0
/*
 * The host port and the information calls against mach.ko: mach_host_self
 * (XNU's host_self_trap: one name per space, one more uref per call),
 * host_info / host_statistics / host_statistics64 (osfmk/kern/host.c:
 * KERN_FAILURE for a short count, KERN_INVALID_ARGUMENT for an unknown
 * flavour, revisions by count), task_info and thread_info (osfmk/kern/task.c,
 * thread.c: KERN_INVALID_ARGUMENT for a short count or unknown flavour), and
 * the mach_debug calls (osfmk/ipc/mach_debug.c) with their codes.  Figures
 * are checked against what Linux shows in /proc.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <mach/mach_host.h>
#include <mach/thread_act.h>
#include <mach/mk_timer.h>
#include <mach/port_descriptions.h>
#include <bsm/libbsm.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <mach/mach_traps.h>
#include <mach/task.h>
#include <kern/exc_guard.h>

/* XNU's IKOT_* */
#define IKOT_NONE		0
#define IKOT_THREAD_CONTROL	1
#define IKOT_TASK_CONTROL	2
#define IKOT_HOST		3
#define IKOT_TIMER		8
#define IKOT_SEMAPHORE		23

#define SENTINEL		0x5a5a5a5a

/* A "Key: value kB" line of /proc/meminfo, in bytes; -1 if absent. */
static long long meminfo(const char *key)
{
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10) * 1024;
			break;
		}
	fclose(f);
	return v;
}

/* A counter of /proc/vmstat; -1 if absent. */
static long long vmstat(const char *key)
{
	char name[64];
	long long v, r = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &v) == 2)
		if (!strcmp(name, key)) {
			r = v;
			break;
		}
	fclose(f);
	return r;
}

/* The "cpu" line of /proc/stat: user nice system idle iowait irq softirq. */
static int proc_stat_cpu(unsigned long long t[7])
{
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu",
		   &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6]);
	fclose(f);
	return n == 7 ? 0 : -1;
}

static void statm(long long *vsize, long long *rss)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long long v = -1, r = -1;

	if (f) {
		if (fscanf(f, "%lld %lld", &v, &r) != 2)
			v = r = -1;
		fclose(f);
	}
	*vsize = v * (long long)PAGE_SZ;
	*rss = r * (long long)PAGE_SZ;
}

static void spin_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static long long tv_us(time_value_t t)
{
	return (long long)t.seconds * 1000000 + t.microseconds;
}

static natural_t kobject_type(mach_port_name_t name)
{
	natural_t type = 0xdead;
	mach_vm_address_t addr = 1;

	if (mach_port_kobject(TASK, name, &type, &addr) != KERN_SUCCESS || addr != 0)
		return 0xdeadbeef;
	return type;
}

/* XNU's host_self_trap: the space's one name for the host port, +1 uref each call. */
TEST(host_self_same_name_more_urefs)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t h1 = mach_host_self(), h2, special = MACH_PORT_NULL;

	ASSERT_TRUE(MACH_PORT_VALID(h1));
	EXPECT_NE(TASK, h1);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(h1));
	EXPECT_EQ(1, urefs(h1, MACH_PORT_RIGHT_SEND));
	h2 = mach_host_self();
	EXPECT_EQ(h1, h2);
	EXPECT_EQ(2, urefs(h1, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(IKOT_HOST, kobject_type(h1));
	/* XNU's itk_host: the task's TASK_HOST_PORT is the same port */
	ASSERT_EQ(KERN_SUCCESS, task_get_host_port(TASK, &special));
	EXPECT_EQ(h1, special);
	EXPECT_EQ(3, urefs(h1, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, h1, MACH_PORT_RIGHT_SEND, -3));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(h1));
	EXPECT_STATS_BASE(have, base);
}

/* A forked child's space has the same (system-wide) host port under its own name. */
TEST(host_self_in_child)
{
	pid_t pid;

	(void)mach_task_self();
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t h = mach_host_self();
		host_basic_info_data_t bi;
		mach_msg_type_number_t n = HOST_BASIC_INFO_COUNT;

		EXPECT_TRUE(MACH_PORT_VALID(h));
		EXPECT_EQ(IKOT_HOST, kobject_type(h));
		EXPECT_EQ(KERN_SUCCESS, host_info(h, HOST_BASIC_INFO, (host_info_t)&bi, &n));
		CHILD_EXIT();
	}
	EXPECT_EQ(0, wait_child(pid));
}

TEST(host_basic_info)
{
	mach_port_t host = mach_host_self();
	host_basic_info_data_t bi;
	integer_t buf[HOST_BASIC_INFO_COUNT + 1];
	mach_msg_type_number_t n;
	long long total = meminfo("MemTotal");

	memset(&bi, 0xa5, sizeof(bi));
	n = HOST_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &n));
	EXPECT_EQ(HOST_BASIC_INFO_COUNT, n);
	EXPECT_EQ((uint64_t)total, bi.max_mem);
	EXPECT_EQ(total > 0x80000000LL ? 0x80000000U : (natural_t)total, bi.memory_size);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), bi.avail_cpus);
	EXPECT_GE(bi.max_cpus, bi.avail_cpus);
	EXPECT_EQ(bi.avail_cpus, bi.logical_cpu);
	EXPECT_EQ(bi.max_cpus, bi.logical_cpu_max);
	EXPECT_GE(bi.physical_cpu, 1);
	EXPECT_LE(bi.physical_cpu, bi.avail_cpus);
	EXPECT_LE(bi.physical_cpu, bi.physical_cpu_max);
#ifdef __x86_64__
	EXPECT_EQ(CPU_TYPE_X86_64, bi.cpu_type);
	EXPECT_EQ(CPU_SUBTYPE_X86_64_ALL, bi.cpu_subtype);
#endif

	/* the old five-word structure: filled, count 5, nothing beyond */
	for (n = 0; n < HOST_BASIC_INFO_COUNT + 1; n++)
		buf[n] = SENTINEL;
	n = 5;
	ASSERT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(5, n);
	EXPECT_EQ(bi.max_cpus, buf[0]);
	EXPECT_EQ(SENTINEL, buf[5]);
	/* between old and new: the old size */
	n = HOST_BASIC_INFO_COUNT - 1;
	EXPECT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(5, n);
	/* more than needed: the structure's size */
	n = HOST_BASIC_INFO_COUNT + 1;
	EXPECT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(HOST_BASIC_INFO_COUNT, n);
	EXPECT_EQ(SENTINEL, buf[HOST_BASIC_INFO_COUNT]);
	/* short count: KERN_FAILURE, count untouched */
	n = 4;
	EXPECT_EQ(KERN_FAILURE, host_info(host, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(4, n);
	n = 0;
	EXPECT_EQ(KERN_FAILURE, host_info(host, HOST_BASIC_INFO, buf, &n));
	mach_port_deallocate(TASK, host);
}

TEST(host_info_flavours_and_targets)
{
	mach_port_t host = mach_host_self(), p = new_port_send();
	host_sched_info_data_t si;
	integer_t buf[HOST_INFO_MAX];
	mach_msg_type_number_t n;

	n = HOST_SCHED_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(host, HOST_SCHED_INFO, (host_info_t)&si, &n));
	EXPECT_EQ(HOST_SCHED_INFO_COUNT, n);
	/* the tick: HZ between 100 and 1000 */
	EXPECT_GE(si.min_quantum, 1);
	EXPECT_LE(si.min_quantum, 10);
	EXPECT_EQ(si.min_timeout, si.min_quantum);
	n = 1;
	EXPECT_EQ(KERN_FAILURE, host_info(host, HOST_SCHED_INFO, buf, &n));

	/* flavours mach.ko does not serve, and nonsense */
	n = HOST_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(host, 0, buf, &n));
	n = HOST_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(host, 2, buf, &n));
	n = HOST_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(host, 999, buf, &n));
	/* statistics flavours are not host_info's */
	n = HOST_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(host, HOST_VM_INFO64, buf, &n));

	/* not the host: XNU's HOST_NULL */
	n = HOST_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(TASK, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_info(p, HOST_BASIC_INFO, buf, &n));
	/* no send right: MIG's request cannot even be sent */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, host_info(MACH_PORT_NULL, HOST_BASIC_INFO, buf, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, host_info(0x12345603, HOST_BASIC_INFO, buf, &n));
	n = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_HOST, host_statistics(TASK, HOST_LOAD_INFO, buf, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, host_statistics(MACH_PORT_NULL, HOST_LOAD_INFO, buf, &n));
	n = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_HOST, host_statistics64(p, HOST_VM_INFO64, buf, &n));
	/* a buffer that cannot be written */
	n = HOST_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ADDRESS, host_info(host, HOST_BASIC_INFO, (host_info_t)8, &n));

	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	mach_port_deallocate(TASK, host);
}

TEST(host_page_size_is_page_size)
{
	vm_size_t ps = 0;

	EXPECT_EQ(KERN_SUCCESS, host_page_size(mach_host_self(), &ps));
	EXPECT_EQ((vm_size_t)PAGE_SZ, ps);
}

TEST(host_load_info)
{
	mach_port_t host = mach_host_self();
	host_load_info_data_t li;
	integer_t buf[8];
	mach_msg_type_number_t n = HOST_LOAD_INFO_COUNT;
	double l0 = -1, l1 = -1;
	FILE *f;

	f = fopen("/proc/loadavg", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(1, fscanf(f, "%lf", &l0));
	fclose(f);
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_LOAD_INFO, (host_info_t)&li, &n));
	f = fopen("/proc/loadavg", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(1, fscanf(f, "%lf", &l1));
	fclose(f);
	EXPECT_EQ(HOST_LOAD_INFO_COUNT, n);
	/* LOAD_SCALE 1000 against /proc/loadavg's two decimals */
	EXPECT_GE(li.avenrun[0], (integer_t)((l0 < l1 ? l0 : l1) * LOAD_SCALE) - 10);
	EXPECT_LE(li.avenrun[0], (integer_t)((l0 > l1 ? l0 : l1) * LOAD_SCALE) + 10);
	EXPECT_EQ(0, li.mach_factor[0]);
	/* host_statistics64 hands HOST_LOAD_INFO on to host_statistics */
	n = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_LOAD_INFO, buf, &n));
	EXPECT_EQ(HOST_LOAD_INFO_COUNT, n);
	n = HOST_LOAD_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, host_statistics(host, HOST_LOAD_INFO, buf, &n));
	/* host_statistics does not know HOST_VM_INFO64, or nonsense */
	n = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_statistics(host, HOST_VM_INFO64, buf, &n));
	n = 8;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_statistics(host, 77, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_statistics64(host, 77, buf, &n));
	mach_port_deallocate(TASK, host);
}

/* USER_HZ ticks summed over CPUs, as the "cpu" line of /proc/stat. */
TEST(host_cpu_load_info)
{
	mach_port_t host = mach_host_self();
	host_cpu_load_info_data_t ci;
	unsigned long long a[7], b[7];
	mach_msg_type_number_t n = HOST_CPU_LOAD_INFO_COUNT;
	integer_t buf[4];

	ASSERT_EQ(0, proc_stat_cpu(a));
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_CPU_LOAD_INFO, (host_info_t)&ci, &n));
	ASSERT_EQ(0, proc_stat_cpu(b));
	EXPECT_EQ(HOST_CPU_LOAD_INFO_COUNT, n);
	EXPECT_GE(ci.cpu_ticks[CPU_STATE_USER] + 1, (natural_t)a[0]);
	EXPECT_LE(ci.cpu_ticks[CPU_STATE_USER], (natural_t)b[0] + 1);
	EXPECT_GE(ci.cpu_ticks[CPU_STATE_NICE] + 1, (natural_t)a[1]);
	EXPECT_LE(ci.cpu_ticks[CPU_STATE_NICE], (natural_t)b[1] + 1);
	EXPECT_GE(ci.cpu_ticks[CPU_STATE_SYSTEM] + 3, (natural_t)(a[2] + a[5] + a[6]));
	EXPECT_LE(ci.cpu_ticks[CPU_STATE_SYSTEM], (natural_t)(b[2] + b[5] + b[6]) + 3);
	EXPECT_GE(ci.cpu_ticks[CPU_STATE_IDLE] + 2, (natural_t)(a[3] + a[4]));
	EXPECT_LE(ci.cpu_ticks[CPU_STATE_IDLE], (natural_t)(b[3] + b[4]) + 2);
	n = 3;
	EXPECT_EQ(KERN_FAILURE, host_statistics(host, HOST_CPU_LOAD_INFO, buf, &n));
	mach_port_deallocate(TASK, host);
}

TEST(host_vm_info_revisions)
{
	mach_port_t host = mach_host_self();
	integer_t buf[HOST_VM_INFO_COUNT + 1];
	vm_statistics_data_t *vs = (vm_statistics_data_t *)buf;
	mach_msg_type_number_t n, i;
	long long active = meminfo("Active"), inactive = meminfo("Inactive");
	long long f0 = vmstat("pgfault"), f1;

	for (i = 0; i < HOST_VM_INFO_COUNT + 1; i++)
		buf[i] = SENTINEL;
	n = HOST_VM_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, buf, &n));
	f1 = vmstat("pgfault");
	EXPECT_EQ(HOST_VM_INFO_REV2_COUNT, n);
	EXPECT_EQ(SENTINEL, buf[HOST_VM_INFO_COUNT]);
	EXPECT_GT(vs->free_count, 0);
	/* active/inactive: /proc/meminfo's Active and Inactive, give or take 16 MiB */
	EXPECT_LT(llabs((long long)vs->active_count * (long long)PAGE_SZ - active), 16LL << 20);
	EXPECT_LT(llabs((long long)vs->inactive_count * (long long)PAGE_SZ - inactive),
		  16LL << 20);
	if (f0 >= 0) {
		EXPECT_GE(vs->faults, (natural_t)f0);
		EXPECT_LE(vs->faults, (natural_t)f1);
	}
	EXPECT_EQ(0, vs->purgeable_count);
	EXPECT_EQ(0, vs->speculative_count);

	/* rev1: 14 words, the 15th untouched */
	for (i = 0; i < HOST_VM_INFO_COUNT + 1; i++)
		buf[i] = SENTINEL;
	n = HOST_VM_INFO_REV1_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_REV1_COUNT, n);
	EXPECT_EQ(SENTINEL, buf[HOST_VM_INFO_REV1_COUNT]);
	/* rev0: 12 words */
	for (i = 0; i < HOST_VM_INFO_COUNT + 1; i++)
		buf[i] = SENTINEL;
	n = HOST_VM_INFO_REV0_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_REV0_COUNT, n);
	EXPECT_EQ(SENTINEL, buf[HOST_VM_INFO_REV0_COUNT]);
	n = HOST_VM_INFO_REV0_COUNT + 1;
	ASSERT_EQ(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_REV0_COUNT, n);
	n = HOST_VM_INFO_REV0_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, host_statistics(host, HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_REV0_COUNT - 1, n);
	/* host_statistics64 hands HOST_VM_INFO on too */
	n = HOST_VM_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO, buf, &n));
	EXPECT_EQ(HOST_VM_INFO_COUNT, n);
	mach_port_deallocate(TASK, host);
}

TEST(host_vm_info64)
{
	mach_port_t host = mach_host_self();
	vm_statistics64_data_t vs;
	integer_t buf[HOST_VM_INFO64_COUNT + 1];
	mach_msg_type_number_t n = HOST_VM_INFO64_COUNT, i;
	long long f0 = vmstat("pgfault"), f1, si0 = vmstat("pswpin"), si1;
	long long total = meminfo("MemTotal");

	memset(&vs, 0xa5, sizeof(vs));
	ASSERT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, (host_info64_t)&vs, &n));
	f1 = vmstat("pgfault");
	si1 = vmstat("pswpin");
	EXPECT_EQ(HOST_VM_INFO64_COUNT, n);
	if (f0 >= 0) {
		EXPECT_GE(vs.faults, (uint64_t)f0);
		EXPECT_LE(vs.faults, (uint64_t)f1);
	}
	if (si0 >= 0) {
		EXPECT_GE(vs.swapins, (uint64_t)si0);
		EXPECT_LE(vs.swapins, (uint64_t)si1);
	}
	/* the LRU split: file pages are external, anonymous ones internal */
	EXPECT_LT(llabs((long long)(vs.internal_page_count + vs.external_page_count) -
			(long long)(vs.active_count + vs.inactive_count)), 4096);
	EXPECT_LT((long long)(vs.free_count + vs.active_count + vs.inactive_count) *
		  (long long)PAGE_SZ, total);
	EXPECT_EQ(0, vs.compressions);
	EXPECT_EQ(0, vs.total_uncompressed_pages_in_compressor);

	/* rev0 (24 words) for anything from 24 to 37 */
	for (i = 0; i < HOST_VM_INFO64_COUNT + 1; i++)
		buf[i] = SENTINEL;
	n = HOST_VM_INFO64_COUNT - 1;
	ASSERT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, buf, &n));
	EXPECT_EQ(HOST_VM_INFO64_REV0_COUNT, n);
	EXPECT_EQ(SENTINEL, buf[HOST_VM_INFO64_REV0_COUNT]);
	n = HOST_VM_INFO64_REV0_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, buf, &n));
	EXPECT_EQ(HOST_VM_INFO64_REV0_COUNT, n);
	n = HOST_VM_INFO64_REV0_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, host_statistics64(host, HOST_VM_INFO64, buf, &n));
	/* MIG gives the server at most HOST_INFO_MAX words: a huge count is fine */
	n = 100000;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, buf, &n));
	EXPECT_EQ(HOST_VM_INFO64_COUNT, n);
	mach_port_deallocate(TASK, host);
}

TEST(task_basic_info_flavours)
{
	mach_task_basic_info_data_t mi;
	task_basic_info_64_data_t b64;
	task_basic_info_32_data_t b32;
	integer_t buf[TASK_INFO_MAX];
	mach_msg_type_number_t n;
	long long v0, r0, v1, r1;

	statm(&v0, &r0);
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, MACH_TASK_BASIC_INFO, (task_info_t)&mi, &n));
	statm(&v1, &r1);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, n);
	/* /proc/self/statm: size and resident pages */
	EXPECT_TRUE(mi.virtual_size == (uint64_t)v0 || mi.virtual_size == (uint64_t)v1)
		TH_LOG("virtual %llu statm %lld %lld", (unsigned long long)mi.virtual_size, v0, v1);
	EXPECT_LT(llabs((long long)mi.resident_size - r1), 64 * (long long)PAGE_SZ);
	EXPECT_GE(mi.resident_size_max, mi.resident_size);
	EXPECT_EQ(POLICY_TIMESHARE, mi.policy);
	EXPECT_EQ(0, mi.suspend_count);
	n = MACH_TASK_BASIC_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, MACH_TASK_BASIC_INFO, buf, &n));

	/* TASK_BASIC_INFO is the 64-bit one on LP64 */
	n = TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_BASIC_INFO, (task_info_t)&b64, &n));
	EXPECT_EQ(TASK_BASIC_INFO_64_COUNT, n);
	EXPECT_LT(llabs((long long)b64.virtual_size - (long long)mi.virtual_size), 1LL << 24);
	EXPECT_EQ(POLICY_TIMESHARE, b64.policy);
	n = TASK_BASIC_INFO_64_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, TASK_BASIC_INFO_64, buf, &n));

	n = TASK_BASIC_INFO_32_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_BASIC_INFO_32, (task_info_t)&b32, &n));
	EXPECT_EQ(TASK_BASIC_INFO_32_COUNT, n);
	EXPECT_EQ((natural_t)b64.virtual_size, b32.virtual_size);
	n = TASK_BASIC_INFO_32_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_BASIC2_INFO_32, (task_info_t)&b32, &n));
	EXPECT_GE((uint64_t)b32.resident_size, mi.resident_size / 2);
	n = TASK_BASIC_INFO_32_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, TASK_BASIC_INFO_32, buf, &n));

	/* unknown flavours */
	n = TASK_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, 0, buf, &n));
	n = TASK_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, 12345, buf, &n));
}

static void *burn(void *arg)
{
	spin_ms((int)(intptr_t)arg);
	return NULL;
}

/*
 * XNU: the basic flavours report terminated threads' times, the
 * TASK_THREAD_TIMES_INFO flavour the live threads'.
 */
TEST(task_times_dead_and_live_threads)
{
	mach_task_basic_info_data_t mi;
	task_thread_times_info_data_t tt;
	mach_msg_type_number_t n;
	struct rusage ru;
	pthread_t th;
	long long dead, live, all;

	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, MACH_TASK_BASIC_INFO, (task_info_t)&mi, &n));
	EXPECT_EQ(0, tv_us(mi.user_time) + tv_us(mi.system_time));

	ASSERT_EQ(0, pthread_create(&th, NULL, burn, (void *)(intptr_t)200));
	ASSERT_EQ(0, pthread_join(th, NULL));
	spin_ms(200);
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, MACH_TASK_BASIC_INFO, (task_info_t)&mi, &n));
	n = TASK_THREAD_TIMES_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_THREAD_TIMES_INFO, (task_info_t)&tt, &n));
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &ru));
	EXPECT_EQ(TASK_THREAD_TIMES_INFO_COUNT, n);
	dead = tv_us(mi.user_time) + tv_us(mi.system_time);
	live = tv_us(tt.user_time) + tv_us(tt.system_time);
	all = ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec +
	      ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
	/*
	 * Tick-sampled (raw) times for the dead thread, scaled ones for the
	 * live: loose bounds, the VM's ticks are lumpy.
	 */
	EXPECT_GE(dead, 10000) TH_LOG("dead threads %lld us", dead);
	EXPECT_GE(live, 10000) TH_LOG("live threads %lld us", live);
	EXPECT_LE(dead + live, all + 250000) TH_LOG("%lld + %lld vs rusage %lld", dead, live, all);
	EXPECT_LT(tt.user_time.microseconds, 1000000);
	n = TASK_THREAD_TIMES_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, TASK_THREAD_TIMES_INFO, (task_info_t)&tt, &n));
}

/* The tokens a message from this task carries in its trailer. */
TEST(task_tokens_match_trailer)
{
	security_token_t st;
	audit_token_t at;
	mach_msg_type_number_t n;
	mach_port_t p = new_port_send();
	struct small_msg m = {};
	struct rcv_buf r;
	mach_msg_audit_trailer_t *t;

	n = TASK_SECURITY_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_SECURITY_TOKEN, (task_info_t)&st, &n));
	EXPECT_EQ(TASK_SECURITY_TOKEN_COUNT, n);
	EXPECT_EQ(geteuid(), st.val[0]);
	EXPECT_EQ(getegid(), st.val[1]);
	n = 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, TASK_SECURITY_TOKEN, (task_info_t)&st, &n));

	n = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(TASK, TASK_AUDIT_TOKEN, (task_info_t)&at, &n));
	EXPECT_EQ(TASK_AUDIT_TOKEN_COUNT, n);
	EXPECT_EQ(getpid(), audit_token_to_pid(at));
	EXPECT_EQ(geteuid(), audit_token_to_euid(at));
	EXPECT_EQ(getuid(), audit_token_to_ruid(at));
	EXPECT_EQ(getegid(), audit_token_to_egid(at));
	n = TASK_AUDIT_TOKEN_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(TASK, TASK_AUDIT_TOKEN, (task_info_t)&at, &n));

	ASSERT_TRUE(MACH_PORT_VALID(p));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = p;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&r.hdr, MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(r), p, 0, MACH_PORT_NULL));
	t = (mach_msg_audit_trailer_t *)((char *)&r + r.hdr.msgh_size);
	EXPECT_EQ(0, memcmp(&t->msgh_audit, &at, sizeof(at)));
	EXPECT_EQ(0, memcmp(&t->msgh_sender, &st, sizeof(st)));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
}

/* Targets: MIG's send fails without a send right; a non-task right is TASK_NULL. */
TEST(task_info_targets)
{
	mach_port_t p = new_port_send(), host = mach_host_self(), thread = mach_thread_self();
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t acq;
	integer_t buf[TASK_INFO_MAX];
	mach_msg_type_number_t n;

	n = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(MACH_PORT_NULL, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(MACH_PORT_DEAD, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(0x4242403, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(p, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(host, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(thread, MACH_TASK_BASIC_INFO, buf, &n));
	/* a receive right alone carries no request either */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(p, MACH_TASK_BASIC_INFO, buf, &n));
	/* a send-once right is not a send right here */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND_ONCE,
							&so, &acq));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(so, MACH_TASK_BASIC_INFO, buf, &n));
	/* counts above TASK_INFO_MAX are clamped, as MIG does */
	n = 100000;
	EXPECT_EQ(KERN_SUCCESS, task_info(TASK, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, n);
	n = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ADDRESS, task_info(TASK, MACH_TASK_BASIC_INFO, (task_info_t)8, &n));
	mach_port_deallocate(TASK, so);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, host);
	mach_port_deallocate(TASK, thread);
}

TEST(thread_basic_and_identifier_info)
{
	mach_port_t self = mach_thread_self();
	thread_basic_info_data_t bi;
	thread_identifier_info_data_t ii;
	integer_t buf[THREAD_INFO_MAX];
	mach_msg_type_number_t n;

	spin_ms(30);
	n = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(self, THREAD_BASIC_INFO, (thread_info_t)&bi, &n));
	EXPECT_EQ(THREAD_BASIC_INFO_COUNT, n);
	EXPECT_EQ(TH_STATE_RUNNING, bi.run_state);
	EXPECT_EQ(POLICY_TIMESHARE, bi.policy);
	EXPECT_EQ(0, bi.suspend_count);
	EXPECT_EQ(0, bi.sleep_time);
	EXPECT_EQ(0, bi.flags);
	EXPECT_GE(bi.cpu_usage, 0);
	EXPECT_LE(bi.cpu_usage, TH_USAGE_SCALE);
	EXPECT_GE(tv_us(bi.user_time) + tv_us(bi.system_time), 10000);
	n = THREAD_BASIC_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(self, THREAD_BASIC_INFO, buf, &n));

	memset(&ii, 0xa5, sizeof(ii));
	n = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(self, THREAD_IDENTIFIER_INFO, (thread_info_t)&ii, &n));
	EXPECT_EQ(THREAD_IDENTIFIER_INFO_COUNT, n);
	EXPECT_EQ((uint64_t)my_tid(), ii.thread_id);
#ifdef __x86_64__
	EXPECT_EQ((uint64_t)pthread_self(), ii.thread_handle);
#endif
	EXPECT_EQ(0, ii.dispatch_qaddr);
	/* XNU leaves the count of this flavour as it came */
	n = THREAD_INFO_MAX;
	ASSERT_EQ(KERN_SUCCESS, thread_info(self, THREAD_IDENTIFIER_INFO, buf, &n));
	EXPECT_EQ(THREAD_INFO_MAX, n);
	n = THREAD_IDENTIFIER_INFO_COUNT - 1;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(self, THREAD_IDENTIFIER_INFO, buf, &n));

	n = THREAD_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(self, 0, buf, &n));
	n = THREAD_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(self, 999, buf, &n));
	n = THREAD_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(TASK, THREAD_BASIC_INFO, buf, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, thread_info(MACH_PORT_NULL, THREAD_BASIC_INFO, buf, &n));
	mach_port_deallocate(TASK, self);
}

struct sleeper {
	mach_port_t port;
	pid_t tid;
	int pipe[2];
};

static void *sleeper_fn(void *arg)
{
	struct sleeper *s = arg;
	char c;

	s->port = mach_thread_self();
	s->tid = my_tid();
	if (read(s->pipe[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

/* Another thread's port: its own id and state; once it exits, no thread. */
TEST(thread_info_other_thread)
{
	struct sleeper s = {};
	thread_basic_info_data_t bi;
	thread_identifier_info_data_t ii;
	mach_msg_type_number_t n;
	pthread_t th;

	ASSERT_EQ(0, pipe(s.pipe));
	ASSERT_EQ(0, pthread_create(&th, NULL, sleeper_fn, &s));
	while (!s.tid)
		sleep_ms(1);
	ASSERT_EQ(0, wait_task_blocked(getpid(), s.tid));
	n = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(s.port, THREAD_IDENTIFIER_INFO,
					    (thread_info_t)&ii, &n));
	EXPECT_EQ((uint64_t)s.tid, ii.thread_id);
	EXPECT_NE((uint64_t)my_tid(), ii.thread_id);
#ifdef __x86_64__
	EXPECT_EQ((uint64_t)th, ii.thread_handle);
#endif
	n = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(s.port, THREAD_BASIC_INFO, (thread_info_t)&bi, &n));
	EXPECT_EQ(TH_STATE_WAITING, bi.run_state);
	ASSERT_EQ(0, pipe_signal(s.pipe[1]));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* the thread is gone (XNU: THREAD_NULL) */
	n = THREAD_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(s.port, THREAD_BASIC_INFO,
						     (thread_info_t)&bi, &n));
	mach_port_deallocate(TASK, s.port);
	close(s.pipe[0]);
	close(s.pipe[1]);
}

TEST(space_basic_info)
{
	ipc_info_space_basic_t b, b2;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t nn, nt;
	mach_port_t p;

	ASSERT_EQ(KERN_SUCCESS, mach_port_names(TASK, &names, &nn, &types, &nt));
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(TASK, &b));
	EXPECT_EQ(0xff, b.iisb_genno_mask);
	EXPECT_EQ(nn, b.iisb_table_inuse);
	EXPECT_GT(b.iisb_table_size, b.iisb_table_inuse);
	EXPECT_EQ(0, b.iisb_reserved[0]);
	vm_deallocate(TASK, (vm_address_t)names, nn * sizeof(*names));
	vm_deallocate(TASK, (vm_address_t)types, nt * sizeof(*types));
	p = new_port();
	ASSERT_EQ(KERN_SUCCESS, mach_port_space_basic_info(TASK, &b2));
	EXPECT_EQ(b.iisb_table_inuse + 1, b2.iisb_table_inuse);
	EXPECT_GT(b2.iisb_table_size, MACH_PORT_INDEX(p));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_space_basic_info(MACH_PORT_NULL, &b2));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_space_basic_info(mach_host_self(), &b2));
}

static ipc_info_name_t *find_name(ipc_info_name_t *t, mach_msg_type_number_t n,
				  mach_port_name_t name)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		if (t[i].iin_name == name)
			return &t[i];
	return NULL;
}

TEST(space_info_table)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t p = new_port_send(), dead = new_port_send(), notify = new_port();
	mach_port_t prev = MACH_PORT_NULL, host = mach_host_self();
	ipc_info_space_t si;
	ipc_info_name_array_t tab;
	ipc_info_tree_name_array_t tree = (ipc_info_tree_name_array_t)1;
	mach_msg_type_number_t tn, trn = 99, nn, nt, i;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	ipc_info_name_t *e, *eh;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(dead) && MACH_PORT_VALID(notify));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND));
	/* an armed dead-name request shows as MACH_PORT_TYPE_DNREQUEST */
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(TASK, p, MACH_NOTIFY_DEAD_NAME, 0,
							       notify,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &prev));
	/* a dead name: the receive right goes, the send right stays */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, dead, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(dead));

	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(TASK, &si, &tab, &tn, &tree, &trn));
	EXPECT_EQ(0xff, si.iis_genno_mask);
	EXPECT_EQ(si.iis_table_size, tn);
	EXPECT_EQ(0, trn);
	EXPECT_TRUE(tree == NULL);
	ASSERT_GT(tn, MACH_PORT_INDEX(p));
	/* index 0 is never a name */
	EXPECT_EQ(0, MACH_PORT_INDEX(tab[0].iin_name));
	EXPECT_EQ(0, tab[0].iin_type);
	e = find_name(tab, tn, p);
	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, e->iin_type);
	EXPECT_EQ(2, e->iin_urefs);
	EXPECT_NE(0, e->iin_object);
	EXPECT_EQ(0, e->iin_collision);
	e = find_name(tab, tn, dead);
	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, e->iin_type);
	EXPECT_EQ(1, e->iin_urefs);
	e = find_name(tab, tn, TASK);
	eh = find_name(tab, tn, host);
	ASSERT_TRUE(e != NULL && eh != NULL);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, eh->iin_type);
	EXPECT_NE(e->iin_object, eh->iin_object);
	/* every name mach_port_names lists, with its type */
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(TASK, &names, &nn, &types, &nt));
	for (i = 0; i < nn; i++) {
		e = find_name(tab, tn, names[i]);
		EXPECT_TRUE(e != NULL);
		if (e)
			EXPECT_EQ(types[i], e->iin_type & ~MACH_PORT_TYPE_SPREQUEST);
	}
	vm_deallocate(TASK, (vm_address_t)names, nn * sizeof(*names));
	vm_deallocate(TASK, (vm_address_t)types, nt * sizeof(*types));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)tab, tn * sizeof(*tab)));

	/* the task argument: XNU's _from_user gives KERN_INVALID_ARGUMENT for a non-task */
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_space_info(MACH_PORT_NULL, &si, &tab, &tn,
							  &tree, &trn));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_space_info(host, &si, &tab, &tn, &tree, &trn));

	mach_port_destroy(TASK, p);
	mach_port_mod_refs(TASK, dead, MACH_PORT_RIGHT_DEAD_NAME, -1);
	mach_port_mod_refs(TASK, notify, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, host);
	EXPECT_STATS_BASE(have, base);
}

TEST(dnrequest_info)
{
	mach_port_t p = new_port_send(), notify = new_port(), prev = MACH_PORT_NULL;
	mach_port_t host = mach_host_self();
	unsigned total = 99, used = 99;

	ASSERT_EQ(KERN_SUCCESS, mach_port_dnrequest_info(TASK, p, &total, &used));
	EXPECT_EQ(0, total);
	EXPECT_EQ(0, used);
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(TASK, p, MACH_NOTIFY_DEAD_NAME, 0,
							       notify,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE,
							       &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_dnrequest_info(TASK, p, &total, &used));
	EXPECT_EQ(1, used);
	EXPECT_GE(total, used);
	/* XNU's ipc_port_translate_receive codes */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_dnrequest_info(TASK, 0x7777703, &total, &used));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_dnrequest_info(TASK, MACH_PORT_NULL, &total, &used));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_dnrequest_info(TASK, host, &total, &used));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_dnrequest_info(MACH_PORT_NULL, p, &total, &used));
	mach_port_destroy(TASK, p);
	mach_port_mod_refs(TASK, notify, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, host);
}

TEST(port_kobject_types_and_codes)
{
	mach_port_t host = mach_host_self(), thread = mach_thread_self(), p = new_port();
	mach_port_t timer = mk_timer_create(), pset = MACH_PORT_NULL, so = MACH_PORT_NULL;
	mach_port_t dead = new_port_send();
	mach_msg_type_name_t acq;
	semaphore_t sem = SEMAPHORE_NULL;
	kobject_description_t desc;
	natural_t type = 0;
	mach_vm_address_t addr = 1;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &sem, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &pset));
	EXPECT_EQ(IKOT_TASK_CONTROL, kobject_type(TASK));
	EXPECT_EQ(IKOT_THREAD_CONTROL, kobject_type(thread));
	EXPECT_EQ(IKOT_HOST, kobject_type(host));
	EXPECT_EQ(IKOT_TIMER, kobject_type(timer));
	EXPECT_EQ(IKOT_SEMAPHORE, kobject_type(sem));
	EXPECT_EQ(IKOT_NONE, kobject_type(p));
	memset(desc, 'x', sizeof(desc));
	EXPECT_EQ(KERN_SUCCESS, mach_port_kobject_description(TASK, host, &type, &addr, desc));
	EXPECT_EQ(IKOT_HOST, type);
	EXPECT_EQ(0, addr);
	EXPECT_EQ(0, desc[0]);

	/* ipc_right_lookup_read: no object under the name */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(TASK, MACH_PORT_NULL, &type, &addr));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(TASK, 0x6666603, &type, &addr));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, dead, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kobject(TASK, dead, &type, &addr));
	/* a set, a send-once right: neither send nor receive */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kobject(TASK, pset, &type, &addr));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(TASK, p, MACH_MSG_TYPE_MAKE_SEND_ONCE,
							&so, &acq));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kobject(TASK, so, &type, &addr));
	/* the task argument */
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_kobject(MACH_PORT_NULL, p, &type, &addr));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_kobject(host, p, &type, &addr));

	mach_port_deallocate(TASK, so);
	mach_port_mod_refs(TASK, dead, MACH_PORT_RIGHT_DEAD_NAME, -1);
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(TASK, pset, MACH_PORT_RIGHT_PORT_SET, -1);
	semaphore_destroy(TASK, sem);
	mk_timer_destroy(timer);
	mach_port_deallocate(TASK, thread);
	mach_port_deallocate(TASK, host);
}

/* XNU's order: flavour, count, name validity, receive right, then the guard. */
TEST(assert_attributes_codes)
{
	mach_port_t p = new_port(), host = mach_host_self();
	mach_port_guard_info_t gi = { 0 };
	integer_t lim[1] = { 5 };

	/* failed assertions are fatal guard exceptions: make them codes here */
	ASSERT_EQ(KERN_SUCCESS, task_set_exc_guard_behavior(TASK, TASK_EXC_GUARD_MP_DELIVER));

	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_assert_attributes(TASK, p, MACH_PORT_LIMITS_INFO, lim, 1));
	EXPECT_EQ(KERN_FAILURE, mach_port_assert_attributes(TASK, p, MACH_PORT_GUARD_INFO,
							    (mach_port_info_t)&gi, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT,
		  mach_port_assert_attributes(TASK, MACH_PORT_NULL, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	EXPECT_EQ(KERN_INVALID_RIGHT,
		  mach_port_assert_attributes(TASK, MACH_PORT_DEAD, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	EXPECT_EQ(KERN_INVALID_NAME,
		  mach_port_assert_attributes(TASK, 0x5555503, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	EXPECT_EQ(KERN_INVALID_RIGHT,
		  mach_port_assert_attributes(TASK, host, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	/* an unguarded receive right fails the assertion */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_assert_attributes(TASK, p, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	EXPECT_EQ(KERN_INVALID_TASK,
		  mach_port_assert_attributes(MACH_PORT_NULL, p, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	/* guarded: the assertion holds for that guard only */
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(TASK, p, 0x1234, FALSE));
	gi.mpgi_guard = 0x1234;
	EXPECT_EQ(KERN_SUCCESS,
		  mach_port_assert_attributes(TASK, p, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	gi.mpgi_guard = 0x99;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_assert_attributes(TASK, p, MACH_PORT_GUARD_INFO,
					      (mach_port_info_t)&gi, MACH_PORT_GUARD_INFO_COUNT));
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(TASK, p, 0x1234));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, host);
}

/* Every call, many times over: nothing left behind. */
TEST(counters_at_baseline)
{
	struct mstats base;
	int have;
	integer_t buf[HOST_INFO_MAX];
	int i;

	/* the thread's port is made on its first mach_thread_self and kept */
	mach_port_deallocate(TASK, mach_thread_self());
	have = stats_warm_base(&base);

	for (i = 0; i < 200; i++) {
		mach_port_t host = mach_host_self(), thread = mach_thread_self();
		mach_msg_type_number_t n = HOST_INFO_MAX;
		ipc_info_space_t si;
		ipc_info_space_basic_t sb;
		ipc_info_name_array_t tab;
		ipc_info_tree_name_array_t tree;
		mach_msg_type_number_t tn, trn;
		natural_t type;
		mach_vm_address_t addr;

		EXPECT_EQ(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, buf, &n));
		n = HOST_INFO_MAX;
		EXPECT_EQ(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, buf, &n));
		n = HOST_INFO_MAX;
		EXPECT_EQ(KERN_SUCCESS, host_statistics(host, HOST_CPU_LOAD_INFO, buf, &n));
		n = TASK_INFO_MAX;
		EXPECT_EQ(KERN_SUCCESS, task_info(TASK, TASK_AUDIT_TOKEN, buf, &n));
		n = THREAD_INFO_MAX;
		EXPECT_EQ(KERN_SUCCESS, thread_info(thread, THREAD_BASIC_INFO, buf, &n));
		EXPECT_EQ(KERN_SUCCESS, mach_port_space_info(TASK, &si, &tab, &tn, &tree, &trn));
		vm_deallocate(TASK, (vm_address_t)tab, tn * sizeof(*tab));
		EXPECT_EQ(KERN_SUCCESS, mach_port_space_basic_info(TASK, &sb));
		EXPECT_EQ(KERN_SUCCESS, mach_port_kobject(TASK, host, &type, &addr));
		mach_port_deallocate(TASK, thread);
		mach_port_deallocate(TASK, host);
	}
	EXPECT_STATS_BASE(have, base);
}

/* <mach/port_descriptions.h> links and answers as Darwin's libsyscall. */
TEST(port_descriptions_linked)
{
	EXPECT_STREQ("bootstrap", mach_task_special_port_description(TASK_BOOTSTRAP_PORT));
	EXPECT_EQ(TASK_HOST_PORT, mach_task_special_port_for_id("TASK_HOST_PORT"));
	EXPECT_STREQ("host (restricted)", mach_host_special_port_description(HOST_PORT));
	EXPECT_STREQ("kernel", mach_thread_special_port_description(THREAD_KERNEL_PORT));
}

/*
 * task_info takes a task_name_t: another task's port (from task_for_pid)
 * and its task name port answer for that task; once the task is gone the
 * port is dead (MACH_SEND_INVALID_DEST).
 */
TEST(task_info_other_task)
{
	mach_port_t child_task = MACH_PORT_NULL, child_name = MACH_PORT_NULL;
	mach_task_basic_info_data_t bi;
	audit_token_t at;
	mach_msg_type_number_t n;
	int fds[2], st;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(fds[1]);
		/* a Mach task: libmach opened the child's own space at fork */
		(void)mach_task_self();
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	/* the child's space appears once its atfork handler ran */
	for (int i = 0; i < 200; i++) {
		if (task_for_pid(TASK, pid, &child_task) == KERN_SUCCESS)
			break;
		usleep(10000);
	}
	ASSERT_TRUE(MACH_PORT_VALID(child_task));
	ASSERT_EQ(KERN_SUCCESS, task_name_for_pid(TASK, pid, &child_name));

	n = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child_task, TASK_AUDIT_TOKEN, (task_info_t)&at, &n));
	EXPECT_EQ(pid, audit_token_to_pid(at));
	n = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child_name, TASK_AUDIT_TOKEN, (task_info_t)&at, &n));
	EXPECT_EQ(pid, audit_token_to_pid(at));
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(child_task, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &n));
	EXPECT_GT(bi.virtual_size, 0);
	EXPECT_GT(bi.resident_size, 0);

	close(fds[1]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	/* the space closes with the process; its ports die a moment later */
	for (int i = 0; i < 200; i++) {
		n = MACH_TASK_BASIC_INFO_COUNT;
		if (task_info(child_task, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &n) ==
		    MACH_SEND_INVALID_DEST)
			break;
		usleep(10000);
	}
	n = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  task_info(child_task, MACH_TASK_BASIC_INFO, (task_info_t)&bi, &n));
	mach_port_deallocate(TASK, child_task);
	mach_port_deallocate(TASK, child_name);
}

/* By default a failed guard assertion kills the process, as XNU's EXC_GUARD. */
TEST(assert_attributes_fatal)
{
	int st;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		mach_port_t p = new_port();
		mach_port_guard_info_t gi = { 0x77 };

		mach_port_assert_attributes(TASK, p, MACH_PORT_GUARD_INFO, (mach_port_info_t)&gi,
					    MACH_PORT_GUARD_INFO_COUNT);
		_exit(0);	/* not reached */
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) TH_LOG("status 0x%x", st);
}

TEST_HARNESS_MAIN
