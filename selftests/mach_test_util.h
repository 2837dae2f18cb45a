/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the /dev/mach selftests.
 *
 * Every test binary includes this file first.  It pulls in the kselftest
 * harness and makes the whole binary SKIP (exit 4, "1..0 # SKIP") before any
 * test runs when /dev/mach does not exist, so that a kernel without mach.ko
 * reports a skip, not a failure.  The check uses stat(), never open(), so the
 * harness process itself never owns a Mach space: each TEST's forked child
 * starts with libmach unopened and gets a space of its own.
 *
 * Test processes that fork helpers end them with CHILD_EXIT(): an ASSERT in a
 * child aborts it, an EXPECT clears _metadata->passed in the child's copy
 * only, so the child's exit status is what the parent checks (wait_child()).
 */
#ifndef MACH_TEST_UTIL_H
#define MACH_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#define MACH_DEV_PATH "/dev/mach"

/* A receive timeout long enough never to fire on a working kernel. */
#define LONG_TIMEOUT_MS 10000

static void __attribute__((constructor)) mach_test_require_device(void)
{
	struct stat st;

	if (stat(MACH_DEV_PATH, &st) == 0 && S_ISCHR(st.st_mode))
		return;
	ksft_print_header();
	ksft_exit_skip("%s is absent: mach.ko is not loaded\n", MACH_DEV_PATH);
}

/* ------------------------------------------------------------------------
 * Time, processes and threads
 */
static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline pid_t my_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The state letter of /proc/<pid>/task/<tid>/stat, or 0 if unreadable. */
static inline char task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	return p[2];
}

/*
 * Wait until a task sleeps (S or D) and is still sleeping 50 ms later, so a
 * caller that then acts on "the peer is blocked" does not race with the peer
 * entering its wait.  Gives up after ~10 s.  Returns 0 when blocked.
 */
static inline int wait_task_blocked(pid_t pid, pid_t tid)
{
	int64_t end = now_ms() + 10000;

	while (now_ms() < end) {
		char s = task_state(pid, tid);

		if (s == 'S' || s == 'D') {
			sleep_ms(50);
			s = task_state(pid, tid);
			if (s == 'S' || s == 'D')
				return 0;
		}
		if (s == 0 || s == 'Z' || s == 'X')
			return -1;
		sleep_ms(5);
	}
	return -1;
}

/* Wait for a child; returns its exit status, or 128+signal, or -1. */
static inline int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

#define CHILD_EXIT() _exit(_metadata->passed ? 0 : 1)

/* Blocking one-byte pipe handshakes between parent and child. */
static inline int pipe_signal(int fd)
{
	char c = 'x';

	return write(fd, &c, 1) == 1 ? 0 : -1;
}

static inline int pipe_wait(int fd)
{
	char c;
	ssize_t n;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* ------------------------------------------------------------------------
 * libmach helpers (not used by mach_dev_test.c, which talks raw ioctls)
 */
#ifdef MACH_TEST_USE_LIBMACH
#include <mach/mach.h>

#define TASK mach_task_self()

/* A message with 8 bytes of body: 32 bytes sent. */
struct small_msg {
	mach_msg_header_t hdr;
	uint32_t body[2];
};

/* Receive buffer: room for any test message plus the largest trailer. */
struct rcv_buf {
	mach_msg_header_t hdr;
	uint8_t data[512 + MACH_MSG_TRAILER_MAX_SIZE];
};

static inline mach_port_t new_port(void)
{
	mach_port_name_t p = MACH_PORT_NULL;

	if (mach_port_allocate(TASK, MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* A receive right with one send uref under the same name. */
static inline mach_port_t new_port_send(void)
{
	mach_port_t p = new_port();

	if (p == MACH_PORT_NULL)
		return p;
	if (mach_port_insert_right(TASK, p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* urefs for a right, or 0xdeadbeef if get_refs failed. */
static inline mach_port_urefs_t urefs(mach_port_name_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 0;

	if (mach_port_get_refs(TASK, n, r, &u) != KERN_SUCCESS)
		return 0xdeadbeef;
	return u;
}

/* type bits, or 0xdeadbeef when mach_port_type fails. */
static inline mach_port_type_t ptype(mach_port_name_t n)
{
	mach_port_type_t t = 0;

	if (mach_port_type(TASK, n, &t) != KERN_SUCCESS)
		return 0xdeadbeef;
	return t;
}

static inline kern_return_t ptype_kr(mach_port_name_t n)
{
	mach_port_type_t t = 0;

	return mach_port_type(TASK, n, &t);
}

static inline kern_return_t port_status(mach_port_name_t p, mach_port_status_t *st)
{
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	memset(st, 0xee, sizeof(*st));
	return mach_port_get_attributes(TASK, p, MACH_PORT_RECEIVE_STATUS,
					(mach_port_info_t)st, &cnt);
}

/* Queued message count, or 0xdeadbeef. */
static inline unsigned int msgcount(mach_port_name_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_msgcount;
}

static inline unsigned int sorights(mach_port_name_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_sorights;
}

static inline unsigned int mscount(mach_port_name_t p)
{
	mach_port_status_t st;

	if (port_status(p, &st) != KERN_SUCCESS)
		return 0xdeadbeef;
	return st.mps_mscount;
}

static inline unsigned int srights(mach_port_name_t p)
{
	mach_port_rights_t r = 0;

	if (mach_port_get_srights(TASK, p, &r) != KERN_SUCCESS)
		return 0xdeadbeef;
	return r;
}

static inline kern_return_t set_qlimit(mach_port_name_t p, unsigned int q)
{
	mach_port_limits_t l = { .mpl_qlimit = q };

	return mach_port_set_attributes(TASK, p, MACH_PORT_LIMITS_INFO,
					(mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT);
}

/* Fill in a 32-byte message. */
static inline void msg_init(struct small_msg *m, mach_port_t dest,
			    mach_msg_type_name_t dd, mach_port_t reply,
			    mach_msg_type_name_t rd, mach_msg_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->hdr.msgh_bits = MACH_MSGH_BITS_SET(dd, rd, 0, 0);
	m->hdr.msgh_size = sizeof(*m);
	m->hdr.msgh_remote_port = dest;
	m->hdr.msgh_local_port = reply;
	m->hdr.msgh_id = id;
	m->body[0] = 0x11223344;
	m->body[1] = (uint32_t)id;
}

/* Send a 32-byte message; extra options such as MACH_SEND_TIMEOUT. */
static inline mach_msg_return_t msg_send(mach_port_t dest, mach_msg_type_name_t dd,
					 mach_port_t reply, mach_msg_type_name_t rd,
					 mach_msg_id_t id, mach_msg_option_t extra,
					 mach_msg_timeout_t timeout)
{
	struct small_msg m;

	msg_init(&m, dest, dd, reply, rd, id);
	return mach_msg(&m.hdr, MACH_SEND_MSG | extra, sizeof(m), 0,
			MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

/* Send without blocking (a full queue gives MACH_SEND_TIMED_OUT). */
static inline mach_msg_return_t msg_send_nb(mach_port_t dest, mach_msg_type_name_t dd,
					    mach_port_t reply, mach_msg_type_name_t rd,
					    mach_msg_id_t id)
{
	return msg_send(dest, dd, reply, rd, id, MACH_SEND_TIMEOUT, 0);
}

/* Receive into b with a timeout (ms); b is cleared first. */
static inline mach_msg_return_t msg_recv(mach_port_t port, struct rcv_buf *b,
					 mach_msg_option_t extra,
					 mach_msg_timeout_t timeout)
{
	memset(b, 0, sizeof(*b));
	return mach_msg(&b->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0,
			sizeof(*b), port, timeout, MACH_PORT_NULL);
}

/* The trailer of a received message (format 0, at round_msg(msgh_size)). */
static inline mach_msg_max_trailer_t *msg_trailer(mach_msg_header_t *h)
{
	return (mach_msg_max_trailer_t *)((uint8_t *)h + ((h->msgh_size + 3) & ~3U));
}

/* A thread running one mach_msg call, for tests that need a blocked peer. */
struct msg_thread {
	pthread_t thread;
	volatile pid_t tid;
	volatile int done;
	mach_msg_return_t ret;
	/* arguments */
	mach_msg_option_t option;
	mach_msg_size_t send_size;
	mach_msg_size_t rcv_size;
	mach_port_name_t rcv_name;
	mach_msg_timeout_t timeout;
	/* the buffer, for both directions */
	union {
		mach_msg_header_t hdr;
		struct small_msg small;
		struct rcv_buf rcv;
	} buf;
};

static inline void *msg_thread_fn(void *arg)
{
	struct msg_thread *t = arg;

	t->tid = my_tid();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->ret = mach_msg(&t->buf.hdr, t->option, t->send_size, t->rcv_size,
			  t->rcv_name, t->timeout, MACH_PORT_NULL);
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Start the thread and wait until it is blocked in the kernel. */
static inline int msg_thread_start_blocked(struct msg_thread *t)
{
	t->tid = 0;
	t->done = 0;
	if (pthread_create(&t->thread, NULL, msg_thread_fn, t))
		return -1;
	while (!__atomic_load_n(&t->tid, __ATOMIC_SEQ_CST))
		sleep_ms(1);
	if (wait_task_blocked(getpid(), t->tid))
		return -1;
	return __atomic_load_n(&t->done, __ATOMIC_SEQ_CST) ? -1 : 0;
}

/* Wait up to ms for the thread to finish; 0 when it has. */
static inline int msg_thread_wait_done(struct msg_thread *t, int ms)
{
	int64_t end = now_ms() + ms;

	while (!__atomic_load_n(&t->done, __ATOMIC_SEQ_CST)) {
		if (now_ms() > end)
			return -1;
		sleep_ms(2);
	}
	pthread_join(t->thread, NULL);
	return 0;
}

/* A thread blocked receiving on port. */
static inline int start_blocked_receiver(struct msg_thread *t, mach_port_t port,
					 mach_msg_option_t extra)
{
	memset(&t->buf, 0, sizeof(t->buf));
	t->option = MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra;
	t->send_size = 0;
	t->rcv_size = sizeof(t->buf.rcv);
	t->rcv_name = port;
	t->timeout = LONG_TIMEOUT_MS;
	return msg_thread_start_blocked(t);
}

/* A thread blocked sending a 32-byte message (no SEND_TIMEOUT). */
static inline int start_blocked_sender(struct msg_thread *t, mach_port_t dest,
				       mach_msg_type_name_t dd, mach_port_t reply,
				       mach_msg_type_name_t rd, mach_msg_id_t id,
				       mach_msg_option_t extra)
{
	msg_init(&t->buf.small, dest, dd, reply, rd, id);
	t->option = MACH_SEND_MSG | extra;
	t->send_size = sizeof(struct small_msg);
	t->rcv_size = 0;
	t->rcv_name = MACH_PORT_NULL;
	t->timeout = 0;
	return msg_thread_start_blocked(t);
}
/* A name that is not in the space: a port's name after it was destroyed (§1.13 name shape). */
static inline mach_port_name_t stale_name(void)
{
	mach_port_t p = new_port();

	if (p == MACH_PORT_NULL || mach_port_destroy(TASK, p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* A new send-once right to a receive right we hold (§1.9, §1.13 extract_right). */
static inline mach_port_t make_send_once(mach_port_t rcv)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	if (mach_port_extract_right(TASK, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t) != KERN_SUCCESS ||
	    t != MACH_MSG_TYPE_PORT_SEND_ONCE)
		return MACH_PORT_NULL;
	return so;
}

/*
 * Receive the MACH_NOTIFY_SEND_ONCE that a destroyed send-once right owes its
 * port: id 71, 24 bytes, local bits 18, no reply (§1.9), kernel sender {0,1}
 * (§1.6).
 */
static inline void expect_send_once_notification(struct __test_metadata *_metadata,
						 mach_port_t port)
{
	struct rcv_buf b;
	mach_msg_security_trailer_t *tr;

	ASSERT_EQ(MACH_MSG_SUCCESS,
		  msg_recv(port, &b, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER),
			   LONG_TIMEOUT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
	EXPECT_EQ(24, b.hdr.msgh_size);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(b.hdr.msgh_bits));
	EXPECT_EQ(0, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	EXPECT_EQ(port, b.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, b.hdr.msgh_remote_port);
	tr = (mach_msg_security_trailer_t *)msg_trailer(&b.hdr);
	EXPECT_EQ(MACH_MSG_TRAILER_SENDER_SIZE, tr->msgh_trailer_size);
	EXPECT_EQ(0, tr->msgh_sender.val[0]);
	EXPECT_EQ(1, tr->msgh_sender.val[1]);
}

/* Nothing queued on port (polls with timeout 0, §1.5). */
static inline mach_msg_return_t poll_empty(mach_port_t port)
{
	struct rcv_buf b;

	return msg_recv(port, &b, 0, 0);
}
/* A complex message carrying one port descriptor (§1.3). */
struct port_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};

static inline mach_msg_return_t send_port_msg(mach_port_t dest, mach_msg_type_name_t dd,
					mach_port_t reply, mach_msg_type_name_t rd,
					mach_port_t name, mach_msg_type_name_t disp,
					mach_msg_id_t id)
{
	struct port_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS_SET(dd, rd, 0, MACH_MSGH_BITS_COMPLEX);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_local_port = reply;
	m.hdr.msgh_id = id;
	m.body.msgh_descriptor_count = 1;
	m.port.name = name;
	m.port.disposition = disp;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* The same with a MAKE_SEND destination and no reply. */
static inline mach_msg_return_t send_port(mach_port_t dest, mach_port_t what,
					  mach_msg_type_name_t disp, mach_msg_id_t id)
{
	return send_port_msg(dest, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, what, disp, id);
}

#endif /* MACH_TEST_USE_LIBMACH */

#endif /* MACH_TEST_UTIL_H */
