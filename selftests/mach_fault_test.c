// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection over the copyin and copyout of complex messages (issue 4):
 * every failure path leaks nothing, crashes nothing and returns a clean code.
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC,
 * FAULT_INJECTION_USERCOPY and FAULT_INJECTION_DEBUG_FS (the debug kernel);
 * SKIPs elsewhere.  Two ways of choosing the failure point:
 *
 *  - /proc/thread-self/fail-nth = N fails the N-th fault site the task
 *    reaches, whatever its kind (slab allocation, page allocation, user
 *    copy), so N = 1, 2, ... walks every allocation and user copy of one
 *    operation in order, until the operation completes with no injection.
 *    failslab and fail_page_alloc are told not to ignore sleeping, highmem
 *    and order-0 allocations so that every site counts.
 *  - fail_usercopy with task-filter, /proc/self/make-it-fail, probability
 *    100, times 1 and space N fails exactly the N-th user copy of the task.
 *
 * Each failure point runs in a fresh child process: it sets up its ports and
 * messages, arms the injection, performs one operation (a complex send; a
 * receive of a complex message; send and receive in one call; a send that
 * times out and is handed back by the pseudo-receive; destroying a port
 * whose queue and requests generate notifications; a notification request),
 * checks the return code is one a user may see for that operation (§1.7,
 * with the special bits of §1.5/§1.7 where allowed), checks what it can of
 * the result, checks the space still works, and exits.  The parent then
 * checks that the module's counters in /sys/kernel/debug/mach/stats are back
 * at their baseline: nothing leaked once the space is gone.  kmemleak and
 * KASAN on the debug kernel watch the rest.
 *
 * MACH_FAULT_ONLY=<part of an operation's name> walks only those operations.
 *
 * Injected failures must not print (verbose 0): the VM runner treats a
 * Call Trace as a kernel report.  Every attribute is restored afterwards.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <mach/mk_timer.h>
#include <mach/semaphore.h>
#include <mach/mach_host.h>
#include <mach/thread_act.h>
#include <mach/linux.h>
#include <sys/ioctl.h>

#define FI_DIR "/sys/kernel/debug"
#define MAX_POINTS 3000

/* Exit codes of a failure-point child. */
#define CHILD_INJECTED	0	/* a fault was injected into the operation, all checks passed */
#define CHILD_CLEAN	3	/* the operation completed without reaching the N-th site */

static const char *const fi_attrs[] = { "failslab", "fail_page_alloc", "fail_usercopy" };
static const char *const fi_files[] = {
	"probability", "interval", "times", "space", "verbose", "task-filter",
};
static const char *const fi_extra[] = {
	"failslab/ignore-gfp-wait", "fail_page_alloc/ignore-gfp-wait",
	"fail_page_alloc/ignore-gfp-highmem", "fail_page_alloc/min-order",
};

#define N_SAVED (3 * 6 + 4)

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static int fi_set(const char *attr, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), FI_DIR "/%s/%s", attr, file);
	return write_file(path, val);
}

static long fi_get(const char *attr, const char *file)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), FI_DIR "/%s/%s", attr, file);
	if (read_file(path, buf, sizeof(buf)))
		return -1000;
	return strtol(buf, NULL, 0);
}

FIXTURE(fault)
{
	char saved[N_SAVED][64];
	char paths[N_SAVED][128];
	int nsaved;
	int ok;			/* set up: the walks may run */
	pid_t owner;		/* only the test process restores the attributes */
	struct mstats base;
};

FIXTURE_SETUP(fault)
{
	struct stat st;
	unsigned int a, f;

	self->nsaved = 0;
	self->ok = 0;
	self->owner = getpid();
	for (a = 0; a < 3; a++) {
		char path[128];

		snprintf(path, sizeof(path), FI_DIR "/%s", fi_attrs[a]);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			SKIP(return, "%s absent: no fault injection in this kernel", path);
	}
	if (stat("/proc/self/make-it-fail", &st) || stat("/proc/thread-self/fail-nth", &st))
		SKIP(return, "/proc/<pid>/make-it-fail or fail-nth absent");
	if (read_stats(&self->base))
		SKIP(return, "%s unreadable", MACH_STATS_PATH);

	/* save everything we touch */
	for (a = 0; a < 3; a++)
		for (f = 0; f < 6; f++) {
			int i = self->nsaved++;

			snprintf(self->paths[i], sizeof(self->paths[i]), FI_DIR "/%s/%s", fi_attrs[a],
				 fi_files[f]);
			ASSERT_EQ(0, read_file(self->paths[i], self->saved[i], sizeof(self->saved[i])))
				TH_LOG("%s", self->paths[i]);
		}
	for (f = 0; f < 4; f++) {
		int i = self->nsaved++;

		snprintf(self->paths[i], sizeof(self->paths[i]), FI_DIR "/%s", fi_extra[f]);
		ASSERT_EQ(0, read_file(self->paths[i], self->saved[i], sizeof(self->saved[i])))
			TH_LOG("%s", self->paths[i]);
	}
	/* quiet, and never on by itself: fail-nth or make-it-fail arm it */
	for (a = 0; a < 3; a++) {
		ASSERT_EQ(0, fi_set(fi_attrs[a], "verbose", "0"));
		ASSERT_EQ(0, fi_set(fi_attrs[a], "probability", "0"));
		ASSERT_EQ(0, fi_set(fi_attrs[a], "times", "0"));
		ASSERT_EQ(0, fi_set(fi_attrs[a], "interval", "1"));
		ASSERT_EQ(0, fi_set(fi_attrs[a], "space", "0"));
		ASSERT_EQ(0, fi_set(fi_attrs[a], "task-filter", "1"));
	}
	/* every allocation counts, sleeping, highmem and order 0 included */
	ASSERT_EQ(0, fi_set("failslab", "ignore-gfp-wait", "N"));
	ASSERT_EQ(0, fi_set("fail_page_alloc", "ignore-gfp-wait", "N"));
	ASSERT_EQ(0, fi_set("fail_page_alloc", "ignore-gfp-highmem", "N"));
	ASSERT_EQ(0, fi_set("fail_page_alloc", "min-order", "0"));
	self->ok = 1;
}

FIXTURE_TEARDOWN(fault)
{
	int i;

	/* an ASSERT in a failure-point child unwinds to here in that child */
	if (getpid() != self->owner)
		return;
	/* probability and times first, so nothing fires while the rest is restored */
	for (i = 0; i < 3; i++) {
		fi_set(fi_attrs[i], "probability", "0");
		fi_set(fi_attrs[i], "times", "0");
	}
	for (i = self->nsaved - 1; i >= 0; i--)
		write_file(self->paths[i], self->saved[i]);
}

/* ------------------------------------------------------------------------
 * Arming, in the child
 */
enum fi_mode { MODE_NTH, MODE_USERCOPY };

struct arm {
	enum fi_mode mode;
	unsigned int n;
	int fd_w, fd_r;		/* fail-nth, or make-it-fail */
};

static int arm_prepare(struct arm *a)
{
	if (a->mode == MODE_NTH) {
		a->fd_w = open("/proc/thread-self/fail-nth", O_WRONLY | O_CLOEXEC);
		a->fd_r = open("/proc/thread-self/fail-nth", O_RDONLY | O_CLOEXEC);
	} else {
		a->fd_w = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
		a->fd_r = a->fd_w;
	}
	return a->fd_w >= 0 && a->fd_r >= 0 ? 0 : -1;
}

static int arm_on(struct arm *a)
{
	char buf[16];
	int len;

	len = a->mode == MODE_NTH ? snprintf(buf, sizeof(buf), "%u", a->n) : snprintf(buf, sizeof(buf), "1");
	return write(a->fd_w, buf, (size_t)len) == len ? 0 : -1;
}

/*
 * Disarm; returns 1 if the fault was injected during the operation, 0 if
 * not (the operation never reached the N-th site), -1 on error.
 */
static int arm_off(struct arm *a)
{
	char buf[16];
	ssize_t n;

	if (a->mode == MODE_NTH) {
		/*
		 * The read itself is a fault site: if it fails, the count was 1,
		 * i.e. the operation did not reach the N-th site.  Writing 0
		 * disarms in every case (a failed write has consumed the fault).
		 */
		n = pread(a->fd_r, buf, sizeof(buf) - 1, 0);
		if (write(a->fd_w, "0", 1) != 1 && write(a->fd_w, "0", 1) != 1)
			return -1;
		if (n < 0)
			return errno == EFAULT ? 0 : -1;
		buf[n] = 0;
		return strtoul(buf, NULL, 10) == 0 ? 1 : 0;
	}
	/* make-it-fail: the write is a user copy too; its failure means the op did not reach it */
	if (write(a->fd_w, "0", 1) != 1) {
		if (errno != EFAULT)
			return -1;
		if (write(a->fd_w, "0", 1) != 1)
			return -1;
		return 0;
	}
	return 2;	/* the parent tells from fail_usercopy/times */
}

/* ------------------------------------------------------------------------
 * The operations
 */
struct fixture_ports {
	mach_port_t p, r, s, y, z, v, n, nn;
	uint8_t *buf1, *buf2;
	mach_port_t sarr[2];
	struct cmsg m;
};

/*
 * The complex message: dest COPY_SEND p, reply MAKE_SEND_ONCE r; body
 * MOVE_SEND s, MAKE_SEND y, MAKE_SEND_ONCE z, MOVE_RECEIVE v (v's queue
 * holds a message with a send-once right to n, and v's send name has a
 * dead-name request), OOL physical 2 pages, OOL virtual 1 page + 100
 * (deallocate), OOL ports COPY_SEND [s, s].
 */
static int build_ports(struct fixture_ports *f)
{
	mach_port_t prev;
	struct cmsg vm;

	memset(f, 0, sizeof(*f));
	f->p = new_port_send();
	f->r = new_port();
	f->s = new_port_send();
	f->y = new_port();
	f->z = new_port();
	f->v = new_port_send();
	f->n = new_port();
	f->buf1 = map_pages(2);
	f->buf2 = map_pages(2);
	if (!MACH_PORT_VALID(f->p) || !MACH_PORT_VALID(f->r) || !MACH_PORT_VALID(f->s) ||
	    !MACH_PORT_VALID(f->y) || !MACH_PORT_VALID(f->z) || !MACH_PORT_VALID(f->v) ||
	    !MACH_PORT_VALID(f->n) || f->buf1 == MAP_FAILED || f->buf2 == MAP_FAILED)
		return -1;
	if (mach_port_mod_refs(TASK, f->s, MACH_PORT_RIGHT_SEND, 2) != KERN_SUCCESS)
		return -1;
	if (mach_port_request_notification(TASK, f->v, MACH_NOTIFY_DEAD_NAME, 0, f->n,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) != KERN_SUCCESS)
		return -1;
	cm_init(&vm, f->v, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
	cm_port(&vm, f->n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	if (cm_send(&vm, 0, 0) != MACH_MSG_SUCCESS)
		return -1;
	fill_pattern(f->buf1, 2 * PAGE_SZ, 21);
	fill_pattern(f->buf2 + 100, PAGE_SZ, 22);
	f->sarr[0] = f->sarr[1] = f->s;
	cm_init(&f->m, f->p, MACH_MSG_TYPE_COPY_SEND, f->r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x777);
	cm_port(&f->m, f->s, MACH_MSG_TYPE_MOVE_SEND);
	cm_port(&f->m, f->y, MACH_MSG_TYPE_MAKE_SEND);
	cm_port(&f->m, f->z, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cm_port(&f->m, f->v, MACH_MSG_TYPE_MOVE_RECEIVE);
	cm_ool(&f->m, f->buf1, (mach_msg_size_t)(2 * PAGE_SZ), MACH_MSG_PHYSICAL_COPY, 0);
	cm_ool(&f->m, f->buf2 + 100, (mach_msg_size_t)PAGE_SZ, MACH_MSG_VIRTUAL_COPY, 1);
	cm_ool_ports(&f->m, f->sarr, 2, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
	return 0;
}

static int send_codes_ok(mach_msg_return_t mr)
{
	switch (mr) {
	case MACH_MSG_SUCCESS:
	case MACH_SEND_NO_BUFFER:
	case MACH_SEND_INVALID_DATA:
	case MACH_SEND_INVALID_MEMORY:
		return 1;
	}
	return 0;
}

static int rcv_codes_ok(mach_msg_return_t mr)
{
	mach_msg_return_t bits = mr & MACH_MSG_MASK;

	switch (mr & ~MACH_MSG_MASK) {
	case MACH_MSG_SUCCESS:
	case MACH_RCV_INVALID_DATA:
		return bits == 0;
	case MACH_RCV_BODY_ERROR:
	case MACH_RCV_HEADER_ERROR:
		return bits != 0 && !(bits & ~(MACH_MSG_IPC_SPACE | MACH_MSG_VM_SPACE |
					       MACH_MSG_IPC_KERNEL | MACH_MSG_VM_KERNEL));
	}
	return 0;
}

/*
 * A delivered (or handed back) message: every item is either intact or, for
 * a body error, NULL/0.  strict: no item may be missing.
 */
static int check_delivered(struct __test_metadata *_metadata, mach_msg_header_t *h, int strict)
{
	mach_msg_ool_descriptor_t *od;
	mach_msg_ool_ports_descriptor_t *opd;
	unsigned int i;
	int ok = 1;

	if (msg_desc_count(h) != 7) {
		TH_LOG("descriptor count %u", msg_desc_count(h));
		return 0;
	}
	for (i = 0; i < 4; i++) {
		mach_port_t nm = msg_desc(h, i)->port.name;

		if (nm == MACH_PORT_NULL ? strict : !MACH_PORT_VALID(nm) && nm != MACH_PORT_DEAD) {
			TH_LOG("port descriptor %u: name 0x%x", i, nm);
			ok = 0;
		}
	}
	od = &msg_desc(h, 4)->out_of_line;
	if (od->address ? od->size != 2 * PAGE_SZ || check_pattern(od->address, od->size, 21)
			: strict || od->size) {
		TH_LOG("OOL 1: %p size %u", od->address, od->size);
		ok = 0;
	}
	od = &msg_desc(h, 5)->out_of_line;
	if (od->address ? od->size != PAGE_SZ || check_pattern(od->address, od->size, 22)
			: strict || od->size) {
		TH_LOG("OOL 2: %p size %u", od->address, od->size);
		ok = 0;
	}
	opd = &msg_desc(h, 6)->ool_ports;
	if (opd->address ? opd->count != 2 : strict || opd->count) {
		TH_LOG("OOL ports: %p count %u", opd->address, opd->count);
		ok = 0;
	}
	return ok;
}

/* The space still works: a plain round trip on a new port. */
static int space_works(void)
{
	mach_port_t q = new_port();
	struct rcv_buf b;
	int ok;

	if (!MACH_PORT_VALID(q))
		return 0;
	ok = msg_send_nb(q, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0x5a) == MACH_MSG_SUCCESS &&
	     msg_recv(q, &b, 0, 1000) == MACH_MSG_SUCCESS && b.hdr.msgh_id == 0x5a;
	drop_name(q);
	return ok;
}

enum op {
	OP_SEND, OP_RECEIVE, OP_SEND_RECEIVE, OP_PSEUDO_RECEIVE, OP_DESTROY_PORT,
	OP_REQUEST_NOTIFICATION, OP_TIMER, OP_SEMAPHORE, OP_TASK, OP_MSG2_AUX, OP_SEND_POSSIBLE,
	OP_INFO, OP_VM_RW, OP_SEND_CACHED, OP_NOPS,
};
static const char *const op_names[] = {
	"send", "receive", "send+receive", "pseudo-receive", "destroy port",
	"request notification", "timer", "semaphore", "task", "mach_msg2 vector+aux",
	"send-possible", "info", "vm read/write", "send (cached OOL pages)",
};

/*
 * OP_TASK's other task: a grandchild that sends us its task port and
 * lives until our end of the pipe closes.  The task port's name, or
 * MACH_PORT_NULL.
 */
static mach_port_t other_task(mach_port_t p)
{
	struct rcv_buf rb;
	int fds[2];
	pid_t pid;

	if (pipe(fds) || mach_ports_register(TASK, &p, 1) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	pid = fork();
	if (pid < 0)
		return MACH_PORT_NULL;
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0;

		close(fds[1]);
		if (mach_ports_lookup(TASK, &got, &n) != KERN_SUCCESS || n < 1 ||
		    send_port_msg(got[0], MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, TASK,
				  MACH_MSG_TYPE_COPY_SEND, 0x71) != MACH_MSG_SUCCESS)
			_exit(1);
		pipe_wait(fds[0]);
		_exit(0);
	}
	close(fds[0]);
	if (msg_recv(p, &rb, 0, 5000) != MACH_MSG_SUCCESS || rb.hdr.msgh_id != 0x71)
		return MACH_PORT_NULL;
	mach_ports_register(TASK, NULL, 0);
	return ((mach_msg_port_descriptor_t *)((mach_msg_base_t *)&rb.hdr + 1))->name;
}

static int task_codes_ok(kern_return_t kr)
{
	return kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE || kr == KERN_NO_SPACE ||
	       kr == KERN_INVALID_ADDRESS;
}

/* mach_vm_region and the module's remote read and write, on the caller's own task. */
static int vm_rw_op(char *src, char *dst, size_t len, int *kr_region)
{
	struct mach_ioc_vm_region r = { .task = TASK, .address = (uintptr_t)src };
	struct mach_ioc_vm_rw a = { .task = TASK, .address = (uintptr_t)src,
				    .buffer = (uintptr_t)dst, .size = len };
	int fd = mach_linux_fd();
	int kr;

	*kr_region = ioctl(fd, MACH_IOC_VM_REGION, &r);
	kr = ioctl(fd, MACH_IOC_VM_RW, &a);
	if (kr != KERN_SUCCESS)
		return kr;
	a.write = 1;
	a.address = (uintptr_t)dst + len;
	return ioctl(fd, MACH_IOC_VM_RW, &a);
}

/* One failure point, in a child process.  Returns the child's exit code. */
static void run_point(struct __test_metadata *_metadata, enum op op, struct arm *a)
{
	static struct fixture_ports f;
	static struct big_rcv b;
	static struct { mach_msg_aux_header_t h; char d[200]; } aux_s, aux_r;
	mach_msg_return_t mr = 0;
	kern_return_t kr = 0, kr2 = 0;
	mach_port_t timer = MACH_PORT_NULL;
	semaphore_t sema = SEMAPHORE_NULL;
	kern_return_t kr3 = 0, kr4 = 0;
	mach_port_t ct = MACH_PORT_NULL, tn = MACH_PORT_NULL, cn = MACH_PORT_NULL;
	mach_port_t x = MACH_PORT_NULL;
	mach_msg_type_name_t xt;
	kern_return_t ikr[5] = {};
	mach_port_t host = MACH_PORT_NULL, thread = MACH_PORT_NULL;
	ipc_info_name_array_t tab = NULL;
	mach_msg_type_number_t tabn = 0;
	static char *vm_src, *vm_dst;
	const size_t vm_len = 20 * PAGE_SZ + 123;
	int injected;

	ASSERT_EQ(0, build_ports(&f));
	switch (op) {
	case OP_RECEIVE:
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&f.m, 0, 0));
		break;
	case OP_PSEUDO_RECEIVE:
		ASSERT_EQ(KERN_SUCCESS, set_qlimit(f.p, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(f.p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
		break;
	case OP_DESTROY_PORT:
		/* queue the complex message on p, so destroying p destroys it with its rights */
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&f.m, 0, 0));
		break;
	case OP_TASK:
		ct = other_task(f.p);
		ASSERT_TRUE(MACH_PORT_VALID(ct));
		break;
	case OP_SEND_POSSIBLE:
		ASSERT_EQ(KERN_SUCCESS, set_qlimit(f.p, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(f.p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
		break;
	case OP_SEND_CACHED:
		/*
		 * One message sent, received and destroyed first: its OOL pages
		 * are then free in the space's cache, and the send under test
		 * takes them again (issue 16) instead of allocating.
		 */
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&f.m, 0, 0));
		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(f.p, &b, 0, 1000));
		mach_msg_destroy(&b.hdr);
		ASSERT_EQ(0, build_ports(&f));
		break;
	default:
		break;
	}
	memset(&aux_s, 'a', sizeof(aux_s));
	memset(&aux_r, 0, sizeof(aux_r));
	if (op == OP_VM_RW) {
		size_t i;

		vm_src = mmap(NULL, vm_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		vm_dst = mmap(NULL, 2 * vm_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
		ASSERT_NE(MAP_FAILED, vm_src);
		ASSERT_NE(MAP_FAILED, vm_dst);
		for (i = 0; i < vm_len; i++)
			vm_src[i] = (char)(i * 7 + 1);
	}
	memset(&b, 0, sizeof(b));
	ASSERT_EQ(0, arm_prepare(a));

	ASSERT_EQ(0, arm_on(a));
	switch (op) {
	case OP_SEND:
	case OP_SEND_CACHED:
		mr = cm_send(&f.m, 0, 0);
		break;
	case OP_RECEIVE:
		mr = mach_msg(&b.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), f.p, 0,
			      MACH_PORT_NULL);
		break;
	case OP_SEND_RECEIVE:
		memcpy(&b, &f.m, sizeof(f.m) < sizeof(b) ? sizeof(f.m) : sizeof(b));
		mr = mach_msg(&b.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
			      cm_size(&f.m), sizeof(b), f.p, 0, MACH_PORT_NULL);
		break;
	case OP_PSEUDO_RECEIVE:
		mr = cm_send(&f.m, 0, 0);
		break;
	case OP_DESTROY_PORT:
		kr = mach_port_mod_refs(TASK, f.p, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case OP_REQUEST_NOTIFICATION: {
		mach_port_t prev = 0;

		kr = mach_port_request_notification(TASK, f.s, MACH_NOTIFY_DEAD_NAME, 0, f.n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		break;
	}
	case OP_TIMER:
		/* create, fire, receive the expiry, arm again (a new message) */
		timer = mk_timer_create();
		if (MACH_PORT_VALID(timer)) {
			kr = mk_timer_arm(timer, 0);
			if (kr == KERN_SUCCESS)
				mr = mach_msg(&b.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b),
					      timer, 5000, MACH_PORT_NULL);
			kr2 = mk_timer_arm(timer, 0);
		}
		break;
	case OP_MSG2_AUX: {
		/* the complex message and 208 bytes of aux, sent and received as vectors */
		mach_msg_vector_t v[2] = {
			{ .msgv_data = (uintptr_t)&f.m, .msgv_rcv_addr = (uintptr_t)&b,
			  .msgv_send_size = cm_size(&f.m), .msgv_rcv_size = sizeof(b) },
			{ .msgv_data = (uintptr_t)&aux_s, .msgv_rcv_addr = (uintptr_t)&aux_r,
			  .msgv_send_size = sizeof(aux_s), .msgv_rcv_size = sizeof(aux_r) },
		};

		mr = mach_msg2(v, MACH64_SEND_MSG | MACH64_SEND_TIMEOUT | MACH64_SEND_MQ_CALL |
			       MACH64_MSG_VECTOR | MACH64_RCV_MSG | MACH64_RCV_TIMEOUT,
			       f.m.hdr, 2, 2, f.p, 0, 0);
		break;
	}
	case OP_SEND_POSSIBLE: {
		mach_port_t prev = 0;

		/* armed on the full queue, fired by the receive */
		kr = mach_port_request_notification(TASK, f.p, MACH_NOTIFY_SEND_POSSIBLE, 1, f.n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		mr = mach_msg(&b.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), f.p, 0,
			      MACH_PORT_NULL);
		break;
	}
	case OP_SEMAPHORE: {
		mach_timespec_t zero = { 0, 0 };

		kr = semaphore_create(TASK, &sema, SYNC_POLICY_FIFO, 0);
		if (kr == KERN_SUCCESS) {
			kr2 = semaphore_signal(sema);
			kr3 = semaphore_timedwait(sema, zero);
		}
		break;
	}
	case OP_TASK:
		/* a new name port; a right into, and one out of, another space */
		kr = task_name_for_pid(TASK, getpid(), &tn);
		kr2 = mach_port_allocate(ct, MACH_PORT_RIGHT_RECEIVE, &cn);
		kr3 = mach_port_insert_right(ct, 0x400003, f.z, MACH_MSG_TYPE_MAKE_SEND);
		if (kr2 == KERN_SUCCESS)
			kr4 = mach_port_extract_right(ct, cn, MACH_MSG_TYPE_MAKE_SEND, &x, &xt);
		break;
	case OP_INFO: {
		/* the host port's copyout, the info calls' buffers, the space table */
		static integer_t buf[HOST_INFO_MAX];
		mach_msg_type_number_t n = HOST_INFO_MAX, trn = 0;
		ipc_info_tree_name_array_t tree = NULL;
		ipc_info_space_t si;

		host = mach_host_self();
		thread = mach_thread_self();
		ikr[0] = host_info(host, HOST_BASIC_INFO, buf, &n);
		n = HOST_INFO_MAX;
		ikr[1] = host_statistics64(host, HOST_VM_INFO64, buf, &n);
		n = TASK_INFO_MAX;
		ikr[2] = task_info(TASK, MACH_TASK_BASIC_INFO, buf, &n);
		n = THREAD_INFO_MAX;
		ikr[3] = thread_info(thread, THREAD_IDENTIFIER_INFO, buf, &n);
		ikr[4] = mach_port_space_info(TASK, &si, &tab, &tabn, &tree, &trn);
		break;
	}
	case OP_VM_RW:
		kr = vm_rw_op(vm_src, vm_dst, vm_len, &kr2);
		break;
	default:
		break;
	}
	injected = arm_off(a);
	ASSERT_LE(0, injected);

	switch (op) {
	case OP_SEND:
	case OP_SEND_CACHED:
		EXPECT_TRUE(send_codes_ok(mr)) TH_LOG("send returned 0x%x", mr);
		if (mr == MACH_MSG_SUCCESS) {
			ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(f.p, &b, 0, 1000));
			EXPECT_TRUE(check_delivered(_metadata, &b.hdr, 1));
			mach_msg_destroy(&b.hdr);
		} else {
			EXPECT_EQ(0, msgcount(f.p));
		}
		break;
	case OP_RECEIVE:
	case OP_SEND_RECEIVE:
	case OP_MSG2_AUX:
		if (op != OP_RECEIVE && (mr & ~MACH_MSG_MASK) >= MACH_SEND_IN_PROGRESS &&
		    (mr & ~MACH_MSG_MASK) < MACH_RCV_IN_PROGRESS) {
			EXPECT_TRUE(send_codes_ok(mr)) TH_LOG("send+receive returned 0x%x", mr);
			EXPECT_EQ(0, msgcount(f.p));
			break;
		}
		EXPECT_TRUE(rcv_codes_ok(mr)) TH_LOG("receive returned 0x%x", mr);
		if ((mr & ~MACH_MSG_MASK) == MACH_MSG_SUCCESS ||
		    (mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR) {
			EXPECT_EQ(0x777, b.hdr.msgh_id);
			EXPECT_TRUE(check_delivered(_metadata, &b.hdr, mr == MACH_MSG_SUCCESS))
				TH_LOG("receive returned 0x%x", mr);
			if (msg_desc_count(&b.hdr) == 7)
				mach_msg_destroy(&b.hdr);
			if (op == OP_MSG2_AUX && mr == MACH_MSG_SUCCESS)
				EXPECT_EQ(sizeof(aux_s), aux_r.h.msgdh_size);
		}
		/*
		 * The message is gone from the queue, unless the ioctl could not
		 * even read its arguments (EFAULT, reported as RCV_INVALID_DATA).
		 */
		if (mr == MACH_RCV_INVALID_DATA) {
			EXPECT_GE(1, msgcount(f.p));
		} else {
			EXPECT_EQ(0, msgcount(f.p));
		}
		break;
	case OP_PSEUDO_RECEIVE:
		EXPECT_TRUE((mr & ~MACH_MSG_MASK) == MACH_SEND_TIMED_OUT || send_codes_ok(mr))
			TH_LOG("send returned 0x%x", mr);
		EXPECT_NE(MACH_MSG_SUCCESS, mr);
		/*
		 * The handed-back message is written over the user's buffer
		 * last; when that copy fails the send still reports TIMED_OUT
		 * and the buffer keeps the message as it was sent (xnu ignores
		 * ipc_kmsg_put's result there too): its reinstalled rights and
		 * memory are in the space, unreachable, and go with it.
		 */
		if ((mr & ~MACH_MSG_MASK) == MACH_SEND_TIMED_OUT &&
		    MACH_MSGH_BITS_REMOTE(f.m.hdr.msgh_bits) == MACH_MSG_TYPE_COPY_SEND) {
			ksft_print_msg("pseudo-receive: write-back failed at point %u (code 0x%x)\n",
				       a->n, mr);
		} else if ((mr & ~MACH_MSG_MASK) == MACH_SEND_TIMED_OUT) {
			EXPECT_FALSE(mr & ~(MACH_SEND_TIMED_OUT | MACH_MSG_IPC_SPACE | MACH_MSG_VM_SPACE))
				TH_LOG("send returned 0x%x", mr);
			EXPECT_TRUE(check_delivered(_metadata, &f.m.hdr, mr == MACH_SEND_TIMED_OUT))
				TH_LOG("send returned 0x%x", mr);
			/* the sender owns the handed-back message: release it as a received one */
			{
				mach_port_t dest = f.m.hdr.msgh_remote_port;

				f.m.hdr.msgh_remote_port = f.m.hdr.msgh_local_port;
				f.m.hdr.msgh_local_port = dest;
				f.m.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSGH_BITS_LOCAL(f.m.hdr.msgh_bits),
								       0, 0, MACH_MSGH_BITS_COMPLEX);
				mach_port_deallocate(TASK, dest);
				mach_msg_destroy(&f.m.hdr);
			}
		}
		EXPECT_EQ(1, msgcount(f.p));
		break;
	case OP_SEND_POSSIBLE:
		EXPECT_TRUE(mr == MACH_MSG_SUCCESS || mr == MACH_RCV_INVALID_DATA)
			TH_LOG("receive returned 0x%x", mr);
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE ||
			    kr == KERN_INVALID_ADDRESS)
			TH_LOG("request returned 0x%x", kr);
		break;
	case OP_DESTROY_PORT:
	case OP_REQUEST_NOTIFICATION:
		/* EFAULT and ENOMEM from the ioctl come back as INVALID_ADDRESS and RESOURCE_SHORTAGE */
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE || kr == KERN_NO_SPACE ||
			    kr == KERN_INVALID_ADDRESS)
			TH_LOG("%s returned 0x%x", op_names[op], kr);
		break;
	case OP_TIMER:
		if (!MACH_PORT_VALID(timer))
			break;
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE ||
			    kr == KERN_INVALID_ADDRESS) TH_LOG("arm returned 0x%x", kr);
		EXPECT_TRUE(kr2 == KERN_SUCCESS || kr2 == KERN_RESOURCE_SHORTAGE ||
			    kr2 == KERN_INVALID_ADDRESS) TH_LOG("second arm returned 0x%x", kr2);
		if (kr == KERN_SUCCESS) {
			EXPECT_TRUE(rcv_codes_ok(mr)) TH_LOG("receive returned 0x%x", mr);
			if (mr == MACH_MSG_SUCCESS)
				EXPECT_EQ(0, b.hdr.msgh_id);
		}
		EXPECT_EQ(KERN_SUCCESS, mk_timer_destroy(timer));
		break;
	case OP_SEMAPHORE:
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE ||
			    kr == KERN_INVALID_ADDRESS) TH_LOG("create returned 0x%x", kr);
		if (kr != KERN_SUCCESS) {
			EXPECT_EQ(SEMAPHORE_NULL, sema);
			break;
		}
		/* the ioctl's argument copy may fail: INVALID_ADDRESS; else it worked */
		EXPECT_TRUE(kr2 == KERN_SUCCESS || kr2 == KERN_INVALID_ADDRESS)
			TH_LOG("signal returned 0x%x", kr2);
		EXPECT_TRUE(kr3 == KERN_SUCCESS || kr3 == KERN_INVALID_ADDRESS ||
			    (kr3 == KERN_OPERATION_TIMED_OUT && kr2 != KERN_SUCCESS))
			TH_LOG("timedwait returned 0x%x", kr3);
		EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, sema));
		break;
	case OP_TASK:
		EXPECT_TRUE(task_codes_ok(kr)) TH_LOG("task_name_for_pid returned 0x%x", kr);
		EXPECT_TRUE(task_codes_ok(kr2)) TH_LOG("allocate returned 0x%x", kr2);
		EXPECT_TRUE(task_codes_ok(kr3)) TH_LOG("insert_right returned 0x%x", kr3);
		EXPECT_TRUE(task_codes_ok(kr4)) TH_LOG("extract_right returned 0x%x", kr4);
		if (kr == KERN_SUCCESS) {
			int pid = 0;

			EXPECT_EQ(KERN_SUCCESS, pid_for_task(tn, &pid));
			EXPECT_EQ(getpid(), pid);
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, tn));
		} else {
			EXPECT_EQ(MACH_PORT_NULL, tn);
		}
		/* a failed insert leaves our right as it was */
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(f.z));
		if (kr4 == KERN_SUCCESS && kr2 == KERN_SUCCESS)
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, x));
		break;
	case OP_INFO: {
		/* a failed host copyout gives no host: then the calls see HOST_NULL */
		EXPECT_TRUE(ikr[0] == KERN_SUCCESS || ikr[0] == KERN_RESOURCE_SHORTAGE ||
			    ikr[0] == KERN_INVALID_ADDRESS ||
			    (host == MACH_PORT_NULL && ikr[0] == MACH_SEND_INVALID_DEST))
			TH_LOG("host_info returned 0x%x", ikr[0]);
		EXPECT_TRUE(ikr[1] == KERN_SUCCESS || ikr[1] == KERN_RESOURCE_SHORTAGE ||
			    ikr[1] == KERN_INVALID_ADDRESS ||
			    (host == MACH_PORT_NULL && ikr[1] == MACH_SEND_INVALID_DEST))
			TH_LOG("host_statistics64 returned 0x%x", ikr[1]);
		EXPECT_TRUE(ikr[3] == KERN_SUCCESS || ikr[3] == KERN_INVALID_ADDRESS ||
			    (thread == MACH_PORT_NULL && ikr[3] == MACH_SEND_INVALID_DEST))
			TH_LOG("thread_info returned 0x%x", ikr[3]);
		EXPECT_TRUE(ikr[2] == KERN_SUCCESS || ikr[2] == KERN_RESOURCE_SHORTAGE ||
			    ikr[2] == KERN_INVALID_ADDRESS)
			TH_LOG("task_info returned 0x%x", ikr[2]);
		EXPECT_TRUE(ikr[4] == KERN_SUCCESS || ikr[4] == KERN_RESOURCE_SHORTAGE ||
			    ikr[4] == KERN_INVALID_ADDRESS)
			TH_LOG("mach_port_space_info returned 0x%x", ikr[4]);
		/* released after the injection: munmap may allocate too */
		if (ikr[4] == KERN_SUCCESS)
			EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)tab,
							      tabn * sizeof(*tab)));
		if (MACH_PORT_VALID(host))
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, host));
		if (MACH_PORT_VALID(thread))
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, thread));
		break;
	}
	case OP_VM_RW:
		/* a failed allocation, argument copy or page fault-in; never a partial success */
		EXPECT_TRUE(kr2 == KERN_SUCCESS || kr2 == -1) TH_LOG("region returned %d", kr2);
		EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_RESOURCE_SHORTAGE ||
			    kr == KERN_INVALID_ADDRESS || kr == -1)
			TH_LOG("rw returned %d (errno %d)", kr, errno);
		if (kr == KERN_SUCCESS) {
			EXPECT_EQ(0, memcmp(vm_src, vm_dst, vm_len));
			EXPECT_EQ(0, memcmp(vm_src, vm_dst + vm_len, vm_len));
		}
		break;
	default:
		break;
	}
	EXPECT_TRUE(space_works());
	if (!_metadata->passed)
		_exit(1);
	_exit(injected == 0 ? CHILD_CLEAN : CHILD_INJECTED);
}

/*
 * Walk the failure points of one operation: N = 1, 2, ... until a run
 * completes without reaching the N-th site.  After every run the counters
 * must be back at the baseline.
 */
static void walk(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self, enum op op,
		 enum fi_mode mode)
{
	const char *only = getenv("MACH_FAULT_ONLY");
	unsigned int n;

	if (!self->ok)
		return;
	/* MACH_FAULT_ONLY=<part of an operation's name>: walk only those (quick runs) */
	if (only && !strstr(op_names[op], only))
		SKIP(return, "MACH_FAULT_ONLY=%s", only);
	for (n = 1; n <= MAX_POINTS; n++) {
		struct arm a = { .mode = mode, .n = n, .fd_w = -1, .fd_r = -1 };
		struct mstats now;
		pid_t pid;
		int rc;

		if (mode == MODE_USERCOPY) {
			char buf[16];

			snprintf(buf, sizeof(buf), "%u", n);
			ASSERT_EQ(0, fi_set("fail_usercopy", "space", buf));
			ASSERT_EQ(0, fi_set("fail_usercopy", "times", "1"));
			ASSERT_EQ(0, fi_set("fail_usercopy", "probability", "100"));
		}
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			run_point(_metadata, op, &a);
		rc = wait_child(pid);
		if (mode == MODE_USERCOPY) {
			long left = fi_get("fail_usercopy", "times");

			ASSERT_EQ(0, fi_set("fail_usercopy", "probability", "0"));
			ASSERT_EQ(0, fi_set("fail_usercopy", "times", "0"));
			/* never injected: the walk is complete */
			if (rc == CHILD_INJECTED && left == 1)
				rc = CHILD_CLEAN;
		}
		ASSERT_TRUE(rc == CHILD_INJECTED || rc == CHILD_CLEAN)
			TH_LOG("%s: failure point %u: child status %d", op_names[op], n, rc);
		ASSERT_EQ(0, stats_wait_equal(&self->base, &now, 5000))
			TH_LOG("%s: failure point %u: base " STATS_FMT " now " STATS_FMT,
			       op_names[op], n, STATS_ARGS(&self->base), STATS_ARGS(&now));
		if (rc == CHILD_CLEAN) {
			ksft_print_msg("%s: %s: %u failure points, all clean\n", op_names[op],
				       mode == MODE_NTH ? "fail-nth" : "fail_usercopy", n - 1);
			return;
		}
	}
	ASSERT_TRUE(0) TH_LOG("%s: still injecting after %u points", op_names[op], MAX_POINTS);
}

TEST_F_TIMEOUT(fault, send_nth, 600) { walk(_metadata, self, OP_SEND, MODE_NTH); }
TEST_F_TIMEOUT(fault, receive_nth, 600) { walk(_metadata, self, OP_RECEIVE, MODE_NTH); }
TEST_F_TIMEOUT(fault, send_receive_nth, 600) { walk(_metadata, self, OP_SEND_RECEIVE, MODE_NTH); }
TEST_F_TIMEOUT(fault, pseudo_receive_nth, 600) { walk(_metadata, self, OP_PSEUDO_RECEIVE, MODE_NTH); }
TEST_F_TIMEOUT(fault, destroy_port_nth, 600) { walk(_metadata, self, OP_DESTROY_PORT, MODE_NTH); }
TEST_F_TIMEOUT(fault, request_notification_nth, 600)
{
	walk(_metadata, self, OP_REQUEST_NOTIFICATION, MODE_NTH);
}
TEST_F_TIMEOUT(fault, timer_nth, 600) { walk(_metadata, self, OP_TIMER, MODE_NTH); }
TEST_F_TIMEOUT(fault, semaphore_nth, 600) { walk(_metadata, self, OP_SEMAPHORE, MODE_NTH); }
TEST_F_TIMEOUT(fault, task_nth, 600) { walk(_metadata, self, OP_TASK, MODE_NTH); }
TEST_F_TIMEOUT(fault, msg2_aux_nth, 600) { walk(_metadata, self, OP_MSG2_AUX, MODE_NTH); }
TEST_F_TIMEOUT(fault, msg2_aux_usercopy, 600) { walk(_metadata, self, OP_MSG2_AUX, MODE_USERCOPY); }
TEST_F_TIMEOUT(fault, send_possible_nth, 600) { walk(_metadata, self, OP_SEND_POSSIBLE, MODE_NTH); }
TEST_F_TIMEOUT(fault, info_nth, 600) { walk(_metadata, self, OP_INFO, MODE_NTH); }
TEST_F_TIMEOUT(fault, info_usercopy, 600) { walk(_metadata, self, OP_INFO, MODE_USERCOPY); }
TEST_F_TIMEOUT(fault, vm_rw_nth, 600) { walk(_metadata, self, OP_VM_RW, MODE_NTH); }
TEST_F_TIMEOUT(fault, vm_rw_usercopy, 600) { walk(_metadata, self, OP_VM_RW, MODE_USERCOPY); }
TEST_F_TIMEOUT(fault, send_cached_nth, 600) { walk(_metadata, self, OP_SEND_CACHED, MODE_NTH); }
TEST_F_TIMEOUT(fault, send_usercopy, 600) { walk(_metadata, self, OP_SEND, MODE_USERCOPY); }
TEST_F_TIMEOUT(fault, receive_usercopy, 600) { walk(_metadata, self, OP_RECEIVE, MODE_USERCOPY); }
TEST_F_TIMEOUT(fault, pseudo_receive_usercopy, 600)
{
	walk(_metadata, self, OP_PSEUDO_RECEIVE, MODE_USERCOPY);
}

TEST_HARNESS_MAIN
