// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mach as a device, through raw ioctls on <linux/mach.h> only (no libmach).
 *
 * Covers: issue 2 (device node, version, ENOTTY, EBADFD for another process,
 * fork and SCM_RIGHTS), the ioctl conventions of uapi/linux/mach.h (Mach code
 * >= 0 or -1/errno: EBADFD, EFAULT, ENOTTY, EINVAL for reserved fields,
 * KERN_INVALID_TASK for a bad task name, MACH_IOC_FORK_SPACE), and from
 * mach-semantics.md: §1.7 (SEND_INVALID_DATA, RCV_INVALID_DATA), §1.5
 * (rcv into rcv_msg), §1.13 (spaces are per open: a name means nothing in
 * another space), §1.14 (task_self/thread_self +1 uref, reply port fresh).
 */
#include "mach_test_util.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/mach.h>

static int mach_open(void)
{
	return open(MACH_DEV_PATH, O_RDWR | O_CLOEXEC);
}

/* ioctl returning the Mach code, or -errno when the call itself failed. */
static int mioc(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static __u32 task_self(int fd)
{
	struct mach_ioc_name n = { 0 };

	if (mioc(fd, MACH_IOC_TASK_SELF, &n) != 0)
		return MACH_PORT_NULL;
	return n.name;
}

static __u32 port_alloc(int fd, __u32 task)
{
	struct mach_ioc_port p = { .task = task, .right = MACH_PORT_RIGHT_RECEIVE };

	if (mioc(fd, MACH_IOC_PORT_ALLOCATE, &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p.name;
}

static int port_type(int fd, __u32 task, __u32 name, __u32 *type)
{
	struct mach_ioc_port p = { .task = task, .name = name };
	int r = mioc(fd, MACH_IOC_PORT_TYPE, &p);

	*type = p.value;
	return r;
}

static int get_refs(int fd, __u32 task, __u32 name, __u32 right, __u32 *refs)
{
	struct mach_ioc_port_refs p = { .task = task, .name = name, .right = right };
	int r = mioc(fd, MACH_IOC_PORT_GET_REFS, &p);

	*refs = (__u32)p.delta;
	return r;
}

struct raw_msg {
	struct mach_msg_header hdr;
	__u32 body[2];
	__u8 trailer[MACH_MSG_TRAILER_MAX_SIZE + 32];
};

static int raw_send(int fd, __u32 dest, __u32 disp, __s32 id)
{
	struct raw_msg m;
	struct mach_ioc_msg a = { 0 };

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS_SET(disp, 0, 0, 0);
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_id = id;
	m.hdr.msgh_size = 32;
	a.msg = (__u64)(uintptr_t)&m;
	a.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	a.send_size = 32;
	return mioc(fd, MACH_IOC_MSG, &a);
}

/* Every ioctl but FORK_SPACE on a foreign fd gives EBADFD (issue 2, uapi). */
static void check_foreign_fd(struct __test_metadata *_metadata, int fd, __u32 task, __u32 port)
{
	struct mach_ioc_version v = { 0 };
	struct mach_ioc_name n = { 0 };
	struct mach_ioc_port p = { .task = task, .right = MACH_PORT_RIGHT_RECEIVE };
	struct mach_ioc_port t = { .task = task, .name = port };
	struct mach_ioc_msg m = { 0 };
	struct mach_ioc_special_port sp = { .task = task, .which = TASK_BOOTSTRAP_PORT };

	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_VERSION, &v));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_TASK_SELF, &n));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_THREAD_SELF, &n));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_REPLY_PORT, &n));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_PORT_ALLOCATE, &p));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_PORT_TYPE, &t));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_PORT_DEALLOCATE, &t));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_MSG, &m));
	EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_GET_SPECIAL_PORT, &sp));
}

/* MACH_IOC_FORK_SPACE on a foreign fd: a new, working, O_CLOEXEC fd. */
static void check_fork_space(struct __test_metadata *_metadata, int fd)
{
	struct mach_ioc_version v = { 0 };
	__u32 task, port, type;
	int nfd;

	nfd = ioctl(fd, MACH_IOC_FORK_SPACE, 0);
	ASSERT_LE(0, nfd) TH_LOG("FORK_SPACE: %s", strerror(errno));
	ASSERT_NE(fd, nfd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(nfd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, mioc(nfd, MACH_IOC_VERSION, &v));
	EXPECT_EQ(MACH_ABI_VERSION, v.abi_version);
	task = task_self(nfd);
	ASSERT_TRUE(MACH_PORT_VALID(task));
	port = port_alloc(nfd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));
	ASSERT_EQ(KERN_SUCCESS, port_type(nfd, task, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	close(nfd);
}

TEST(device_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(MACH_DEV_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* issue 2: mode 0666, opening gives only a space of one's own */
	EXPECT_EQ(0666, st.st_mode & 07777);
}

TEST(open_and_version)
{
	struct mach_ioc_version v;
	int fd = mach_open();

	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	memset(&v, 0xa5, sizeof(v));
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_VERSION, &v));
	EXPECT_EQ(MACH_ABI_VERSION, v.abi_version);
	EXPECT_LE(1024, v.max_msg_size);
	close(fd);
}

TEST(unknown_ioctl_enotty)
{
	struct mach_ioc_version v;
	char big[256] = { 0 };
	int fd = mach_open();

	ASSERT_LE(0, fd);
	/* wrong magic */
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOR('x', 0x00, struct mach_ioc_version), &v));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IO(MACH_IOC_MAGIC + 1, 0x02), NULL));
	EXPECT_EQ(-ENOTTY, mioc(fd, TCGETS, big));
	/* right magic, numbers no command uses */
	EXPECT_EQ(-ENOTTY, mioc(fd, _IO(MACH_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IO(MACH_IOC_MAGIC, 0xff), NULL));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x06, struct mach_ioc_port), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x0f, struct mach_ioc_port), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x2f, struct mach_ioc_port), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x34, struct mach_ioc_port), big));
	/*
	 * A known number with another size or direction is another command
	 * (the ioctl number encodes both), so it is unknown too.
	 */
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOR(MACH_IOC_MAGIC, 0x00, __u32), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOW(MACH_IOC_MAGIC, 0x00, struct mach_ioc_version), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x10, __u64[3]), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOR(MACH_IOC_MAGIC, 0x12, struct mach_ioc_port), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IOWR(MACH_IOC_MAGIC, 0x1f, __u64), big));
	EXPECT_EQ(-ENOTTY, mioc(fd, _IO(MACH_IOC_MAGIC, 0x30), big));
	/* the fd still works */
	EXPECT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_VERSION, &v));
	close(fd);
}

TEST(bad_argument_pointer_efault)
{
	int fd = mach_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EFAULT, mioc(fd, MACH_IOC_VERSION, NULL));
	EXPECT_EQ(-EFAULT, mioc(fd, MACH_IOC_TASK_SELF, (void *)8));
	EXPECT_EQ(-EFAULT, mioc(fd, MACH_IOC_PORT_ALLOCATE, (void *)8));
	EXPECT_EQ(-EFAULT, mioc(fd, MACH_IOC_PORT_GET_ATTRIBUTES, NULL));
	EXPECT_EQ(-EFAULT, mioc(fd, MACH_IOC_MSG, (void *)-4096L));
	close(fd);
}

struct thread_arg {
	int fd;
	int version_ret;
	__u32 task;
};

static void *thread_fn(void *p)
{
	struct thread_arg *a = p;
	struct mach_ioc_version v = { 0 };

	a->version_ret = mioc(a->fd, MACH_IOC_VERSION, &v);
	a->task = task_self(a->fd);
	return NULL;
}

/* A space is usable by every thread of the thread group that opened it. */
TEST(other_thread_same_space)
{
	struct thread_arg a = { 0 };
	pthread_t th;

	a.fd = mach_open();
	ASSERT_LE(0, a.fd);
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_fn, &a));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(KERN_SUCCESS, a.version_ret);
	EXPECT_TRUE(MACH_PORT_VALID(a.task));
	/* one task port per space: the same name from every thread (§1.2 copyout reuse) */
	EXPECT_EQ(task_self(a.fd), a.task);
	close(a.fd);
}

/* §1.14: task_self_trap and thread_self_trap add one uref on every call. */
TEST(task_and_thread_self_add_uref)
{
	__u32 t1, t2, r1, r2;
	struct mach_ioc_name n1 = { 0 }, n2 = { 0 };
	int fd = mach_open();

	ASSERT_LE(0, fd);
	t1 = task_self(fd);
	ASSERT_TRUE(MACH_PORT_VALID(t1));
	ASSERT_EQ(KERN_SUCCESS, get_refs(fd, t1, t1, MACH_PORT_RIGHT_SEND, &r1));
	EXPECT_LE(1, r1);
	t2 = task_self(fd);
	EXPECT_EQ(t1, t2);
	ASSERT_EQ(KERN_SUCCESS, get_refs(fd, t1, t1, MACH_PORT_RIGHT_SEND, &r2));
	EXPECT_EQ(r1 + 1, r2);

	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_THREAD_SELF, &n1));
	ASSERT_TRUE(MACH_PORT_VALID(n1.name));
	EXPECT_NE(t1, n1.name);
	ASSERT_EQ(KERN_SUCCESS, get_refs(fd, t1, n1.name, MACH_PORT_RIGHT_SEND, &r1));
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_THREAD_SELF, &n2));
	EXPECT_EQ(n1.name, n2.name);
	ASSERT_EQ(KERN_SUCCESS, get_refs(fd, t1, n1.name, MACH_PORT_RIGHT_SEND, &r2));
	EXPECT_EQ(r1 + 1, r2);
	close(fd);
}

/* §1.14: mach_reply_port allocates a fresh receive right every call. */
TEST(reply_port_fresh)
{
	struct mach_ioc_name a = { 0 }, b = { 0 };
	__u32 task, type;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_REPLY_PORT, &a));
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_REPLY_PORT, &b));
	ASSERT_TRUE(MACH_PORT_VALID(a.name));
	ASSERT_TRUE(MACH_PORT_VALID(b.name));
	EXPECT_NE(a.name, b.name);
	ASSERT_EQ(KERN_SUCCESS, port_type(fd, task, a.name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	ASSERT_EQ(KERN_SUCCESS, port_type(fd, task, b.name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	close(fd);
}

/* uapi: a name that is no send right to a task port gives KERN_INVALID_TASK. */
TEST(bad_task_name)
{
	__u32 task, port;
	struct mach_ioc_port p = { .right = MACH_PORT_RIGHT_RECEIVE };
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	ASSERT_TRUE(MACH_PORT_VALID(task));
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));

	p.task = MACH_PORT_NULL;
	EXPECT_EQ(KERN_INVALID_TASK, mioc(fd, MACH_IOC_PORT_ALLOCATE, &p));
	p.task = MACH_PORT_DEAD;
	EXPECT_EQ(KERN_INVALID_TASK, mioc(fd, MACH_IOC_PORT_ALLOCATE, &p));
	p.task = port;	/* a receive right, not a task port */
	EXPECT_EQ(KERN_INVALID_TASK, mioc(fd, MACH_IOC_PORT_ALLOCATE, &p));
	p.task = task + 0x100;	/* some other index: not a task port here */
	if (p.task != port)
		EXPECT_EQ(KERN_INVALID_TASK, mioc(fd, MACH_IOC_PORT_ALLOCATE, &p));
	close(fd);
}

/* uapi: nonzero reserved fields in an argument the kernel reads -> EINVAL. */
TEST(reserved_fields_einval)
{
	struct mach_ioc_port_construct c;
	struct mach_ioc_port_attr at;
	struct mach_ioc_port_peek pk;
	struct mach_ioc_special_port sp;
	struct mach_ioc_ports_register reg;
	__u32 task, port;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));

	memset(&c, 0, sizeof(c));
	c.task = task;
	c.reserved = 1;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORT_CONSTRUCT, &c));
	c.reserved = 0;
	EXPECT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_PORT_CONSTRUCT, &c));

	memset(&at, 0, sizeof(at));
	at.task = task;
	at.name = port;
	at.flavor = MACH_PORT_LIMITS_INFO;
	at.count = MACH_PORT_LIMITS_INFO_COUNT;
	at.reserved = 0x80000000U;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORT_GET_ATTRIBUTES, &at));
	at.info[0] = 5;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORT_SET_ATTRIBUTES, &at));
	at.reserved = 0;
	EXPECT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_PORT_GET_ATTRIBUTES, &at));

	memset(&pk, 0, sizeof(pk));
	pk.task = task;
	pk.name = port;
	pk.trailer_count = MACH_MSG_TRAILER_MAX_SIZE;
	pk.reserved = 1;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORT_PEEK, &pk));
	pk.reserved = 0;
	pk.reserved2 = 1;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORT_PEEK, &pk));

	memset(&sp, 0, sizeof(sp));
	sp.task = task;
	sp.which = TASK_BOOTSTRAP_PORT;
	sp.reserved = 1;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_GET_SPECIAL_PORT, &sp));
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_SET_SPECIAL_PORT, &sp));
	sp.reserved = 0;
	EXPECT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_GET_SPECIAL_PORT, &sp));

	memset(&reg, 0, sizeof(reg));
	reg.task = task;
	reg.count = 0;
	reg.reserved = 1;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORTS_REGISTER, &reg));
	reg.count = TASK_PORT_REGISTER_MAX;
	EXPECT_EQ(-EINVAL, mioc(fd, MACH_IOC_PORTS_LOOKUP, &reg));
	close(fd);
}

/* A message round trip through MACH_IOC_MSG, into msg and into rcv_msg (§1.1, §1.14). */
TEST(raw_message_round_trip)
{
	struct raw_msg r, r2;
	struct mach_ioc_msg a;
	__u32 task, port;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));

	ASSERT_EQ(MACH_MSG_SUCCESS, raw_send(fd, port, MACH_MSG_TYPE_MAKE_SEND, 0x1234));
	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	a.msg = (__u64)(uintptr_t)&r;
	a.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	a.rcv_size = sizeof(r);
	a.rcv_name = port;
	a.timeout = LONG_TIMEOUT_MS;
	ASSERT_EQ(MACH_MSG_SUCCESS, mioc(fd, MACH_IOC_MSG, &a));
	EXPECT_EQ(0x1234, r.hdr.msgh_id);
	EXPECT_EQ(32, r.hdr.msgh_size);
	EXPECT_EQ(port, r.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, r.hdr.msgh_remote_port);
	EXPECT_EQ(MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), r.hdr.msgh_bits);

	/* send and receive in one call, received into rcv_msg (overwrite trap) */
	memset(&r, 0, sizeof(r));
	memset(&r2, 0x5a, sizeof(r2));
	r.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
	r.hdr.msgh_remote_port = port;
	r.hdr.msgh_id = 0x4321;
	memset(&a, 0, sizeof(a));
	a.msg = (__u64)(uintptr_t)&r;
	a.rcv_msg = (__u64)(uintptr_t)&r2;
	a.option = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	a.send_size = 32;
	a.rcv_size = sizeof(r2);
	a.rcv_name = port;
	a.timeout = LONG_TIMEOUT_MS;
	ASSERT_EQ(MACH_MSG_SUCCESS, mioc(fd, MACH_IOC_MSG, &a));
	EXPECT_EQ(0x4321, r2.hdr.msgh_id);
	EXPECT_EQ(port, r2.hdr.msgh_local_port);
	/* the send buffer is not the receive buffer */
	EXPECT_EQ(port, r.hdr.msgh_remote_port);
	close(fd);
}

/* §1.7: unreadable send buffer -> SEND_INVALID_DATA; unwritable receive buffer -> RCV_INVALID_DATA. */
TEST(raw_message_bad_buffers)
{
	struct mach_ioc_msg a;
	struct mach_ioc_port p;
	__u32 task, port;
	void *ro;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));

	memset(&a, 0, sizeof(a));
	a.msg = 8;
	a.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	a.send_size = 32;
	EXPECT_EQ(MACH_SEND_INVALID_DATA, mioc(fd, MACH_IOC_MSG, &a));

	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(MACH_MSG_SUCCESS, raw_send(fd, port, MACH_MSG_TYPE_MAKE_SEND, 7));
	memset(&a, 0, sizeof(a));
	a.msg = (__u64)(uintptr_t)ro;
	a.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	a.rcv_size = 4096;
	a.rcv_name = port;
	a.timeout = LONG_TIMEOUT_MS;
	EXPECT_EQ(MACH_RCV_INVALID_DATA, mioc(fd, MACH_IOC_MSG, &a));
	/* the space is intact afterwards */
	memset(&p, 0, sizeof(p));
	p.task = task;
	p.name = port;
	EXPECT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_PORT_TYPE, &p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, p.value);
	munmap(ro, 4096);
	close(fd);
}

/* Two opens are two spaces: a name from one means nothing in the other (§1.13). */
TEST(independent_spaces)
{
	struct mach_ioc_port p;
	__u32 t1, t2, port, type;
	int fd1 = mach_open(), fd2 = mach_open();

	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	t1 = task_self(fd1);
	t2 = task_self(fd2);
	ASSERT_TRUE(MACH_PORT_VALID(t1));
	ASSERT_TRUE(MACH_PORT_VALID(t2));
	port = port_alloc(fd1, t1);
	ASSERT_TRUE(MACH_PORT_VALID(port));
	ASSERT_NE(t2, port);

	memset(&p, 0, sizeof(p));
	p.task = t2;
	p.name = port;
	EXPECT_EQ(KERN_INVALID_NAME, mioc(fd2, MACH_IOC_PORT_DEALLOCATE, &p));
	EXPECT_EQ(KERN_INVALID_NAME, port_type(fd2, t2, port, &type));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, raw_send(fd2, port, MACH_MSG_TYPE_MAKE_SEND, 1));
	/* still fine in its own space */
	ASSERT_EQ(KERN_SUCCESS, port_type(fd1, t1, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	/* closing one space leaves the other alone */
	close(fd2);
	ASSERT_EQ(KERN_SUCCESS, port_type(fd1, t1, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	close(fd1);
}

/* issue 2/3: a forked child gets EBADFD on the parent's fd except FORK_SPACE. */
TEST(forked_child_ebadfd_and_fork_space)
{
	struct mach_ioc_version v = { 0 };
	__u32 task, port, type;
	pid_t pid;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		check_foreign_fd(_metadata, fd, task, port);
		check_fork_space(_metadata, fd);
		/* the inherited fd still refuses everything else afterwards */
		EXPECT_EQ(-EBADFD, mioc(fd, MACH_IOC_VERSION, &v));
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));
	/* the parent's space is untouched by the child's attempts */
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_VERSION, &v));
	ASSERT_EQ(KERN_SUCCESS, port_type(fd, task, port, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	close(fd);
}

/* issue 3: the forked space holds send rights to the parent's special ports. */
TEST(fork_space_inherits_special_port)
{
	struct mach_ioc_port_right ir;
	struct mach_ioc_special_port sp;
	__u32 task, port;
	pid_t pid;
	int fd = mach_open();

	ASSERT_LE(0, fd);
	task = task_self(fd);
	port = port_alloc(fd, task);
	ASSERT_TRUE(MACH_PORT_VALID(port));
	memset(&ir, 0, sizeof(ir));
	ir.task = task;
	ir.name = port;
	ir.poly = port;
	ir.poly_type = MACH_MSG_TYPE_MAKE_SEND;
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_PORT_INSERT_RIGHT, &ir));
	memset(&sp, 0, sizeof(sp));
	sp.task = task;
	sp.which = TASK_BOOTSTRAP_PORT;
	sp.port = port;
	ASSERT_EQ(KERN_SUCCESS, mioc(fd, MACH_IOC_SET_SPECIAL_PORT, &sp));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u32 ctask, type;
		int nfd = ioctl(fd, MACH_IOC_FORK_SPACE, 0);

		ASSERT_LE(0, nfd);
		ctask = task_self(nfd);
		memset(&sp, 0, sizeof(sp));
		sp.task = ctask;
		sp.which = TASK_BOOTSTRAP_PORT;
		ASSERT_EQ(KERN_SUCCESS, mioc(nfd, MACH_IOC_GET_SPECIAL_PORT, &sp));
		ASSERT_TRUE(MACH_PORT_VALID(sp.port));
		ASSERT_EQ(KERN_SUCCESS, port_type(nfd, ctask, sp.port, &type));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, type);
		EXPECT_EQ(MACH_MSG_SUCCESS,
			  raw_send(nfd, sp.port, MACH_MSG_TYPE_COPY_SEND, 0x5151));
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));
	{
		struct raw_msg r;
		struct mach_ioc_msg a = { 0 };

		memset(&r, 0, sizeof(r));
		a.msg = (__u64)(uintptr_t)&r;
		a.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		a.rcv_size = sizeof(r);
		a.rcv_name = port;
		a.timeout = LONG_TIMEOUT_MS;
		ASSERT_EQ(MACH_MSG_SUCCESS, mioc(fd, MACH_IOC_MSG, &a));
		EXPECT_EQ(0x5151, r.hdr.msgh_id);
	}
	close(fd);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char c = 'f';
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	int fd;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* issue 2: an fd received over SCM_RIGHTS behaves like an inherited one. */
TEST(scm_rights_fd_ebadfd_and_fork_space)
{
	int sv[2], fd;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mach_ioc_version v = { 0 };
		__u32 task, port, type;
		int cfd = mach_open();

		close(sv[0]);
		ASSERT_LE(0, cfd);
		task = task_self(cfd);
		port = port_alloc(cfd, task);
		ASSERT_TRUE(MACH_PORT_VALID(port));
		/* tell the parent our names through the fd's byte stream */
		ASSERT_EQ(0, send_fd(sv[1], cfd));
		ASSERT_EQ((ssize_t)sizeof(task), write(sv[1], &task, sizeof(task)));
		ASSERT_EQ((ssize_t)sizeof(port), write(sv[1], &port, sizeof(port)));
		/* wait until the parent is done with our fd */
		ASSERT_EQ(0, pipe_wait(sv[1]));
		/* our space still works for us */
		EXPECT_EQ(KERN_SUCCESS, mioc(cfd, MACH_IOC_VERSION, &v));
		ASSERT_EQ(KERN_SUCCESS, port_type(cfd, task, port, &type));
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
		CHILD_EXIT();
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	{
		__u32 task = 0, port = 0;

		ASSERT_EQ((ssize_t)sizeof(task), read(sv[0], &task, sizeof(task)));
		ASSERT_EQ((ssize_t)sizeof(port), read(sv[0], &port, sizeof(port)));
		check_foreign_fd(_metadata, fd, task, port);
		check_fork_space(_metadata, fd);
	}
	close(fd);
	ASSERT_EQ(0, pipe_signal(sv[0]));
	ASSERT_EQ(0, wait_child(pid));
	close(sv[0]);
}

TEST_HARNESS_MAIN
