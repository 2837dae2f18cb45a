// SPDX-License-Identifier: GPL-2.0
/*
 * Mach semaphores (<mach/semaphore.h>) against mach.ko, with XNU's
 * semantics (osfmk/kern/sync_sema.c): counting, prepost on signal with no
 * waiter, signal_all resetting, KERN_NOT_WAITING from signal_thread only,
 * interruptible waits (KERN_ABORTED), KERN_OPERATION_TIMED_OUT, and
 * KERN_TERMINATED once the owner destroys the semaphore or exits.  A
 * semaphore is a port: its send rights work in any task they are sent to.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <mach/semaphore.h>
#include <mach/mach_time.h>
#include <pthread.h>
#include <signal.h>

static const mach_timespec_t poll0 = { 0, 0 };

static long live_semaphores(void)
{
	return LIVE_STAT(semaphores);
}

static int semaphores_back_to(long base, int ms)
{
	return live_back_to(live_semaphores, base, ms);
}

/* A thread blocked in one semaphore call. */
struct waiter {
	pthread_t th;
	semaphore_t sem, sig;
	int mode;			/* 0 wait, 1 wait_signal, 2 timedwait 5 s */
	mach_port_t self;		/* its thread port */
	pid_t tid;
	volatile int started;
	volatile kern_return_t kr;
	volatile int done;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;
	mach_timespec_t five = { 5, 0 };

	w->self = mach_thread_self();
	w->tid = my_tid();
	w->started = 1;
	if (w->mode == 1)
		w->kr = semaphore_wait_signal(w->sem, w->sig);
	else if (w->mode == 2)
		w->kr = semaphore_timedwait(w->sem, five);
	else
		w->kr = semaphore_wait(w->sem);
	w->done = 1;
	return NULL;
}

/* Start a waiter and return once it sleeps in the kernel. */
static int waiter_start_sig(struct waiter *w, semaphore_t sem, semaphore_t sig, int mode)
{
	memset(w, 0, sizeof(*w));
	w->sem = sem;
	w->sig = sig;
	w->mode = mode;
	w->kr = -1;
	if (pthread_create(&w->th, NULL, waiter_fn, w))
		return -1;
	while (!w->started)
		sleep_ms(1);
	return wait_task_blocked(getpid(), w->tid);
}

static int waiter_start(struct waiter *w, semaphore_t sem, int mode)
{
	return waiter_start_sig(w, sem, MACH_PORT_NULL, mode);
}

static kern_return_t waiter_join(struct waiter *w)
{
	pthread_join(w->th, NULL);
	return w->kr;
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST(create_args)
{
	semaphore_t s = 77;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, -1));
	EXPECT_EQ(SEMAPHORE_NULL, s);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(TASK, &s, SYNC_POLICY_FIXED_PRIORITY, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(TASK, &s, 8, 0));
	EXPECT_EQ(KERN_INVALID_TASK, semaphore_create(MACH_PORT_NULL, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_EQ(SEMAPHORE_NULL, s);
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_TRUE(MACH_PORT_VALID(s));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(s));
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
	/* LIFO and the obsolete PREPOST are accepted */
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_LIFO, 3));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, 4, 0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(count_and_prepost)
{
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 2));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	/* no waiter: signal preposts one count each */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	/* signal_all and signal_thread(NULL) with no waiter prepost nothing */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, MACH_PORT_NULL));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(timedwait)
{
	mach_timespec_t t = { 0, 80 * 1000 * 1000 }, bad1 = { 0, -1 }, bad2 = { 1, 1000000000 };
	semaphore_t s;
	uint64_t a;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	a = mach_absolute_time();
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, t));
	EXPECT_GE(mach_absolute_time() - a, 80ULL * 1000 * 1000);
	/* BAD_MACH_TIMESPEC comes before the names */
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(s, bad1));
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(s, bad2));
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(MACH_PORT_NULL, bad1));
	EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait_signal(s, MACH_PORT_NULL, bad2));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(signal_wakes_waiter)
{
	struct waiter w, v;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	ASSERT_EQ(0, waiter_start(&v, s, 2));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&w));	/* FIFO: the first waiter */
	sleep_ms(50);
	EXPECT_FALSE(v.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&v));
	/* a waiter was served: nothing preposted */
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(lifo_order)
{
	struct waiter w, v;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_LIFO, 0));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	ASSERT_EQ(0, waiter_start(&v, s, 0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&v));	/* LIFO: the last waiter */
	EXPECT_FALSE(w.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&w));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(signal_all)
{
	struct waiter w[3];
	semaphore_t s;
	int i;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, waiter_start(&w[i], s, i == 1 ? 2 : 0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, waiter_join(&w[i]));
	/* the count is back to zero */
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(signal_thread)
{
	struct waiter w, v;
	semaphore_t s;
	mach_port_t me = mach_thread_self();

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	ASSERT_EQ(0, waiter_start(&v, s, 0));
	/* a thread that does not wait: KERN_NOT_WAITING, nothing preposted */
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, me));
	/* the second waiter by name, although FIFO would pick the first */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, v.self));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&v));
	EXPECT_FALSE(w.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&w));
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, MACH_PORT_NULL));
	/* not a thread port */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
}

TEST(wait_signal)
{
	semaphore_t a, b;
	struct waiter w;
	mach_timespec_t t = { 0, 50 * 1000 * 1000 };

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &a, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &b, SYNC_POLICY_FIFO, 0));
	/* w registers its wait on b, then signals a */
	ASSERT_EQ(0, waiter_start_sig(&w, b, a, 1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(a));
	EXPECT_FALSE(w.done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(b));
	EXPECT_EQ(KERN_SUCCESS, waiter_join(&w));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(a, poll0));

	/* the signal is posted even when the wait does not block or times out */
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait_signal(a, b, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(b, poll0));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait_signal(a, b, t));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(b, poll0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_signal(a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait_signal(a, b));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(b, poll0));
	/* the semaphore to signal is looked up first */
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_wait_signal(MACH_PORT_NULL, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_wait_signal(a, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_timedwait_signal(MACH_PORT_NULL, b, poll0));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(b, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, b));
}

/* A signal handler ends a wait with KERN_ABORTED, SA_RESTART or not. */
TEST(interrupted)
{
	struct sigaction sa;
	struct waiter w, v;
	semaphore_t s;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	ASSERT_EQ(0, waiter_start(&v, s, 2));
	pthread_kill(w.th, SIGUSR1);
	pthread_kill(v.th, SIGUSR1);
	EXPECT_EQ(KERN_ABORTED, waiter_join(&w));
	EXPECT_EQ(KERN_ABORTED, waiter_join(&v));
	/* gone from the queue: the next signal preposts */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, poll0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	signal(SIGUSR1, SIG_DFL);
}

TEST(destroy_terminates)
{
	struct waiter w, v;
	semaphore_t s;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	/* two more urefs: destroy consumes one each time */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND, 2));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	ASSERT_EQ(0, waiter_start(&v, s, 2));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	EXPECT_EQ(KERN_TERMINATED, waiter_join(&w));
	EXPECT_EQ(KERN_TERMINATED, waiter_join(&v));
	EXPECT_EQ(2, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_all(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_thread(s, MACH_PORT_NULL));
	EXPECT_EQ(KERN_TERMINATED, semaphore_wait(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_timedwait(s, poll0));
	/* a live semaphore whose partner is dead: the wait ends at once */
	{
		semaphore_t a;

		ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &a, SYNC_POLICY_FIFO, 0));
		EXPECT_EQ(KERN_TERMINATED, semaphore_wait_signal(a, s));
		EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, a));
	}
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(s));
}

TEST(errors)
{
	mach_port_t p = new_port(), ps = new_port_send(), d = MACH_PORT_NULL;
	mach_port_name_t x = stale_name();

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(ps));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal(MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal(MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_wait(x));
	EXPECT_EQ(KERN_INVALID_NAME, semaphore_signal_all(x));
	EXPECT_EQ(KERN_INVALID_RIGHT, semaphore_signal(p));
	EXPECT_EQ(KERN_INVALID_RIGHT, semaphore_wait(d));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_signal(ps));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_timedwait(ps, poll0));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, semaphore_signal(mach_task_self()));
	/* destroy: no send right to give -> the send fails; not a semaphore -> consumed */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, semaphore_destroy(TASK, x));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, semaphore_destroy(TASK, p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(TASK, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(TASK, ps));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(ps));
	EXPECT_EQ(KERN_INVALID_TASK, semaphore_destroy(p, ps));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(p));
}

/* Sent to another task (registered ports go to a forked child), it works there. */
TEST(between_tasks)
{
	long base = live_semaphores();
	semaphore_t s, t;
	mach_port_t regs[2];
	pid_t pid;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &s, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(TASK, &t, SYNC_POLICY_FIFO, 0));
	regs[0] = s;
	regs[1] = t;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, regs, 2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0;
		mach_timespec_t five = { 5, 0 };

		if (mach_ports_lookup(mach_task_self(), &got, &n) != KERN_SUCCESS || n < 2)
			_exit(10);
		/* the parent signals s; we answer on t */
		if (semaphore_timedwait(got[0], five) != KERN_SUCCESS)
			_exit(11);
		if (semaphore_signal(got[1]) != KERN_SUCCESS)
			_exit(12);
		/* a non-owner's destroy succeeds and does not stop the semaphore */
		if (mach_port_mod_refs(mach_task_self(), got[1], MACH_PORT_RIGHT_SEND, 1) ||
		    semaphore_destroy(mach_task_self(), got[1]) != KERN_SUCCESS ||
		    semaphore_signal(got[1]) != KERN_SUCCESS)
			_exit(13);
		_exit(0);
	}
	sleep_ms(50);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	{
		mach_timespec_t five = { 5, 0 };

		EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(t, five));
		EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(t, five));
	}
	EXPECT_EQ(0, wait_child(pid));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, NULL, 0));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, t));
	EXPECT_EQ(0, semaphores_back_to(base, 3000));
}

/*
 * The owner exits: its semaphores stop.  A waiter in another task wakes
 * with KERN_TERMINATED, later calls get it, and the semaphore is freed
 * once the last send right goes.
 */
TEST(owner_exit_terminates)
{
	long base = live_semaphores();
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	struct waiter w;
	semaphore_t s;
	pid_t pid;
	int fds[2];

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, &p, 1));
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t n = 0;
		semaphore_t cs;

		close(fds[1]);
		if (mach_ports_lookup(mach_task_self(), &got, &n) != KERN_SUCCESS || n < 1)
			_exit(10);
		if (semaphore_create(mach_task_self(), &cs, SYNC_POLICY_FIFO, 0) != KERN_SUCCESS)
			_exit(11);
		if (send_port_msg(got[0], MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, cs,
				  MACH_MSG_TYPE_COPY_SEND, 0x5e) != MACH_MSG_SUCCESS)
			_exit(12);
		pipe_wait(fds[0]);	/* until the parent lets us die */
		_exit(0);
	}
	close(fds[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 5000));
	EXPECT_EQ(0x5e, b.hdr.msgh_id);
	s = ((mach_msg_port_descriptor_t *)((mach_msg_base_t *)&b.hdr + 1))->name;
	ASSERT_TRUE(MACH_PORT_VALID(s));
	/* usable here; a non-owner's destroy changes nothing */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, poll0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, poll0));
	ASSERT_EQ(0, waiter_start(&w, s, 0));
	close(fds[1]);		/* the child exits */
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_EQ(KERN_TERMINATED, waiter_join(&w));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, NULL, 0));
	EXPECT_EQ(0, semaphores_back_to(base, 3000));
}

TEST_HARNESS_MAIN
