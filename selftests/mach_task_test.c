// SPDX-License-Identifier: GPL-2.0
/*
 * Task ports across tasks: task_for_pid, task_name_for_pid, pid_for_task,
 * and the mach_port_* and special-port calls on another task's port, with
 * XNU's semantics (bsd/vm/vm_unix.c task_for_pid/task_name_for_pid/
 * pid_for_task; osfmk/ipc/mach_port.c through the MIG path that a task
 * port other than the caller's takes): every refusal of task_for_pid is
 * KERN_FAILURE with MACH_PORT_NULL stored; pid_for_task stores -1 on
 * failure; a task port is the capability (no re-check on use); once the
 * task is gone its port is dead and calls on it give
 * MACH_SEND_INVALID_DEST; a task name port is good for pid_for_task but
 * not for control (KERN_INVALID_TASK).
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <sys/prctl.h>
#include <mach/semaphore.h>

/* A name free in a fresh space: index 0x4000, generation 3. */
#define FAR_NAME	((mach_port_name_t)0x400003)

struct pipes {
	int c2p[2], p2c[2];
};

static int pipes_open(struct pipes *p)
{
	return pipe(p->c2p) || pipe(p->p2c) ? -1 : 0;
}

/* In the child: keep its ends. */
static void pipes_child(struct pipes *p)
{
	close(p->c2p[0]);
	close(p->p2c[1]);
}

static void pipes_parent(struct pipes *p)
{
	close(p->c2p[1]);
	close(p->p2c[0]);
}

static int write_u32(int fd, uint32_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static int read_u32(int fd, uint32_t *v)
{
	ssize_t n;

	do {
		n = read(fd, v, sizeof(*v));
	} while (n < 0 && errno == EINTR);
	return n == sizeof(*v) ? 0 : -1;
}

/* Wait (bounded) until the caller's name for @t is a dead name. */
static int wait_dead(mach_port_name_t t)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (ptype(t) & MACH_PORT_TYPE_DEAD_NAME)
			return 0;
		sleep_ms(10);
	}
	return -1;
}

/* XNU: task_for_pid on oneself gives one's own task port (same name, one more uref). */
TEST(self)
{
	mach_port_name_t t = 1;
	int pid = 0;

	ASSERT_EQ(KERN_SUCCESS, task_for_pid(TASK, getpid(), &t));
	EXPECT_EQ(TASK, t);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, t));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(TASK, &pid));
	EXPECT_EQ(getpid(), pid);
	/* the name port is a different port, also good for pid_for_task */
	ASSERT_EQ(KERN_SUCCESS, task_name_for_pid(TASK, getpid(), &t));
	EXPECT_NE(TASK, t);
	pid = 0;
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &pid));
	EXPECT_EQ(getpid(), pid);
	/* but not for control (convert_port_to_space refuses a name port) */
	{
		mach_port_t q;

		EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &q));
	}
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, t));
}

/* XNU vm_unix.c: every refusal is KERN_FAILURE, MACH_PORT_NULL or -1 stored. */
TEST(errors)
{
	mach_port_t p = new_port_send();
	mach_port_name_t t;
	pid_t pid;
	int x;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	/* target_tport must be the caller's own task port */
	t = 1;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(p, getpid(), &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
	t = 1;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(MACH_PORT_NULL, getpid(), &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
	/* pid 0 is the kernel's task; negative pids name nothing */
	t = 1;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, 0, &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, -1, &t));
	EXPECT_EQ(KERN_FAILURE, task_name_for_pid(TASK, 0, &t));
	/* a pid that is gone */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(0, wait_child(pid));
	t = 1;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, pid, &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
	/* a process with no Mach space (exec closed libmach's descriptor) */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "2", (char *)NULL);
		_exit(127);
	}
	sleep_ms(300);
	t = 1;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, pid, &t));
	EXPECT_EQ(MACH_PORT_NULL, t);
	kill(pid, SIGKILL);
	wait_child(pid);
	/* pid_for_task on anything but a task or name port */
	x = 5;
	EXPECT_EQ(KERN_FAILURE, pid_for_task(p, &x));
	EXPECT_EQ(-1, x);
	x = 5;
	EXPECT_EQ(KERN_FAILURE, pid_for_task(MACH_PORT_NULL, &x));
	EXPECT_EQ(-1, x);
	x = 5;
	EXPECT_EQ(KERN_FAILURE, pid_for_task(0x12345603, &x));
	EXPECT_EQ(-1, x);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, p));
}

/*
 * A launcher: the parent takes the child's task port with task_for_pid and
 * works in the child's space: allocate a receive right there, insert a send
 * right to its own port under a name it picks, read the child's names and
 * refs, mod_refs, extract a right out of the child, set a special port.
 * The child uses what appeared in its space.  After the child exits the
 * port is dead: MACH_SEND_INVALID_DEST, pid_for_task fails.
 */
TEST(launcher)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t mine = new_port_send(), ct = MACH_PORT_NULL, snd = MACH_PORT_NULL;
	mach_port_t n = MACH_PORT_NULL, q, got = MACH_PORT_NULL;
	mach_port_t nport = new_port(), prev = MACH_PORT_NULL;
	mach_msg_type_name_t tt = 0;
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0, i;
	struct pipes pp;
	struct rcv_buf b;
	int found_far = 0, found_n = 0, x = 0;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(mine));
	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t name;
		mach_port_t bs = MACH_PORT_NULL;

		pipes_child(&pp);
		if (pipe_signal(pp.c2p[1]))
			_exit(10);
		/* the parent sends the name of the receive right it made here */
		if (read_u32(pp.p2c[0], &name))
			_exit(11);
		if (ptype(name) != MACH_PORT_TYPE_RECEIVE)
			_exit(12);
		if (ptype(FAR_NAME) != MACH_PORT_TYPE_SEND)
			_exit(13);
		if (msg_recv(name, &b, 0, 5000) != MACH_MSG_SUCCESS || b.hdr.msgh_id != 0x77)
			_exit(14);
		/* the special port the parent set is ours now */
		if (task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &bs) != KERN_SUCCESS ||
		    bs != FAR_NAME)
			_exit(15);
		mach_port_deallocate(TASK, bs);
		if (msg_send_nb(FAR_NAME, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x78) != MACH_MSG_SUCCESS)
			_exit(16);
		pipe_wait(pp.p2c[0]);
		_exit(0);
	}
	pipes_parent(&pp);
	ASSERT_EQ(0, pipe_wait(pp.c2p[0]));

	ASSERT_EQ(KERN_SUCCESS, task_for_pid(TASK, pid, &ct));
	/* a forked child's task port is another port than ours */
	EXPECT_TRUE(MACH_PORT_VALID(ct));
	EXPECT_NE(TASK, ct);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(ct));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(ct, &x));
	EXPECT_EQ(pid, x);

	/* allocate in the child */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(ct, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_TRUE(MACH_PORT_VALID(n));
	{
		mach_port_type_t t = 0;

		EXPECT_EQ(KERN_SUCCESS, mach_port_type(ct, n, &t));
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, t);
	}
	/* insert a send right to our port, under a name we pick */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(ct, FAR_NAME, mine, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1, urefs(mine, MACH_PORT_RIGHT_SEND));
	/* the name is the child's, not ours */
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(FAR_NAME));
	{
		mach_port_urefs_t r = 0;

		EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, &r));
		EXPECT_EQ(1, r);
		EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, 1));
		EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, &r));
		EXPECT_EQ(2, r);
		EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, -1));
		EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, &r));
		EXPECT_EQ(1, r);
		/* a receive-right call on a send right fails in the child's space */
		EXPECT_EQ(KERN_INVALID_RIGHT,
			  mach_port_mod_refs(ct, FAR_NAME, MACH_PORT_RIGHT_RECEIVE, -1));
	}
	/* the child's names */
	ASSERT_EQ(KERN_SUCCESS, mach_port_names(ct, &names, &nn, &types, &nt));
	EXPECT_EQ(nn, nt);
	for (i = 0; i < nn; i++) {
		if (names[i] == FAR_NAME) {
			found_far = 1;
			EXPECT_EQ(MACH_PORT_TYPE_SEND, types[i]);
		}
		if (names[i] == n) {
			found_n = 1;
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, types[i]);
		}
	}
	EXPECT_TRUE(found_far);
	EXPECT_TRUE(found_n);
	vm_deallocate(TASK, (vm_address_t)names, nn * sizeof(*names));
	vm_deallocate(TASK, (vm_address_t)types, nt * sizeof(*types));
	/* extract a send right to the child's port into our space */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(ct, n, MACH_MSG_TYPE_MAKE_SEND, &snd, &tt));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, tt);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(snd));
	/* errors come from the child's space */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_right(ct, 0x7f0003, MACH_MSG_TYPE_MAKE_SEND,
							     &got, &tt));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_right(ct, FAR_NAME, MACH_MSG_TYPE_MOVE_RECEIVE,
							      &got, &tt));
	/* a special port of the child */
	EXPECT_EQ(KERN_SUCCESS, task_set_special_port(ct, TASK_BOOTSTRAP_PORT, mine));
	{
		mach_port_t sp = MACH_PORT_NULL;

		EXPECT_EQ(KERN_SUCCESS, task_get_special_port(ct, TASK_KERNEL_PORT, &sp));
		EXPECT_EQ(ct, sp);
		mach_port_deallocate(TASK, sp);
		EXPECT_EQ(KERN_SUCCESS, task_get_special_port(ct, TASK_BOOTSTRAP_PORT, &sp));
		EXPECT_EQ(mine, sp);
		mach_port_deallocate(TASK, sp);
	}
	/*
	 * A request on the child's port, the notify right ours; the previous
	 * one comes back into our space (MIG's reply carries it).
	 */
	ASSERT_TRUE(MACH_PORT_VALID(nport));
	EXPECT_EQ(KERN_SUCCESS,
		  mach_port_request_notification(ct, n, MACH_NOTIFY_NO_SENDERS, 0, nport,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	EXPECT_EQ(MACH_PORT_NULL, prev);
	EXPECT_EQ(KERN_SUCCESS,
		  mach_port_request_notification(ct, n, MACH_NOTIFY_NO_SENDERS, 0, nport,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(prev));
	{
		mach_port_t p2 = MACH_PORT_NULL;

		/* the name is the child's: a send right there, no receive right */
		EXPECT_EQ(KERN_INVALID_RIGHT,
			  mach_port_request_notification(ct, FAR_NAME, MACH_NOTIFY_NO_SENDERS, 0,
							 nport, MACH_MSG_TYPE_MAKE_SEND_ONCE, &p2));
		/* its notify right was destroyed, as MIG's server does: a send-once notification */
		EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(nport, &b, 0, 5000));
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
		EXPECT_EQ(2, sorights(nport));
	}
	/* now the child receives on n and answers on FAR_NAME */
	ASSERT_EQ(0, write_u32(pp.p2c[1], n));
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_send_nb(snd, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x77));
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(mine, &b, 0, 5000));
	EXPECT_EQ(0x78, b.hdr.msgh_id);
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_child(pid));
	close(pp.c2p[0]);

	/* the task is gone: its port is dead */
	EXPECT_EQ(0, wait_dead(ct));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_allocate(ct, MACH_PORT_RIGHT_RECEIVE, &q));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_insert_right(ct, FAR_NAME, mine,
								 MACH_MSG_TYPE_MAKE_SEND));
	x = 5;
	EXPECT_EQ(KERN_FAILURE, pid_for_task(ct, &x));
	EXPECT_EQ(-1, x);
	{
		mach_port_t sp;

		EXPECT_EQ(MACH_SEND_INVALID_DEST,
			  task_get_special_port(ct, TASK_BOOTSTRAP_PORT, &sp));
	}
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, pid, &q));
	/* our right is untouched by the failed insert; the child's send went with it */
	EXPECT_EQ(1, urefs(mine, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, ct));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, snd));
	/* the armed request went with the child's port: a send-once notification */
	EXPECT_EQ(MACH_MSG_SUCCESS, msg_recv(nport, &b, 0, 5000));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.hdr.msgh_id);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, nport, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, mine, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, mine));
	EXPECT_STATS_BASE(have, base);
}

/*
 * A task port received in a message (the child sends its own) works like
 * one from task_for_pid: insert, allocate, names, extract, mod_refs,
 * moving a receive right into the other task and back out.
 */
TEST(received_in_message)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t mine = new_port_send(), ct, n = MACH_PORT_NULL, r, back = MACH_PORT_NULL;
	mach_port_t n2 = new_port();
	mach_msg_type_name_t tt;
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	mach_port_urefs_t u = 0;
	struct pipes pp;
	struct rcv_buf b;
	pid_t pid;
	int x = 0;

	ASSERT_TRUE(MACH_PORT_VALID(mine));
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, &mine, 1));
	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t cnt = 0;

		pipes_child(&pp);
		if (mach_ports_lookup(TASK, &got, &cnt) != KERN_SUCCESS || cnt < 1)
			_exit(10);
		if (send_port_msg(got[0], MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, TASK,
				  MACH_MSG_TYPE_COPY_SEND, 0x70) != MACH_MSG_SUCCESS)
			_exit(11);
		pipe_wait(pp.p2c[0]);
		_exit(0);
	}
	pipes_parent(&pp);
	/* the child copies our registered ports when its space is made: after the message */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(mine, &b, 0, 5000));
	ASSERT_EQ(0x70, b.hdr.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, NULL, 0));
	ct = ((mach_msg_port_descriptor_t *)((mach_msg_base_t *)&b.hdr + 1))->name;
	ASSERT_TRUE(MACH_PORT_VALID(ct));
	EXPECT_NE(TASK, ct);
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(ct, &x));
	EXPECT_EQ(pid, x);

	EXPECT_EQ(KERN_SUCCESS, mach_port_allocate(ct, MACH_PORT_RIGHT_RECEIVE, &n));
	/* the child holds a send right to mine already (registered): XNU's RIGHT_EXISTS */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(ct, FAR_NAME, mine,
							    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(ct, FAR_NAME, n2, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, 2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(ct, FAR_NAME, MACH_PORT_RIGHT_SEND, &u));
	EXPECT_EQ(3, u);
	EXPECT_EQ(KERN_SUCCESS, mach_port_names(ct, &names, &nn, &types, &nt));
	EXPECT_LE(3, nn);
	vm_deallocate(TASK, (vm_address_t)names, nn * sizeof(*names));
	vm_deallocate(TASK, (vm_address_t)types, nt * sizeof(*types));
	/* a receive right of ours moves into the child and back */
	r = new_port();
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(ct, 0x410003, r, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(r));
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(ct, 0x410003, MACH_MSG_TYPE_MOVE_RECEIVE,
							&back, &tt));
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, tt);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(back));
	{
		mach_port_type_t t;

		EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(ct, 0x410003, &t));
	}
	/* the child's own receive right, moved out of it */
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(ct, n, MACH_MSG_TYPE_MOVE_RECEIVE, &r, &tt));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(r));
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_child(pid));
	close(pp.c2p[0]);
	EXPECT_EQ(0, wait_dead(ct));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_names(ct, &names, &nn, &types, &nt));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, ct));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, r, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, back, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, n2, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, mine, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, mine));
	EXPECT_STATS_BASE(have, base);
}

/* The child's view: its own task port names itself; its parent's has the parent's pid. */
TEST(child_view)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_name_t pt = MACH_PORT_NULL;
		int x = 0;

		if (pid_for_task(TASK, &x) != KERN_SUCCESS || x != getpid())
			_exit(10);
		if (task_for_pid(TASK, getppid(), &pt) != KERN_SUCCESS || pt == TASK)
			_exit(11);
		if (pid_for_task(pt, &x) != KERN_SUCCESS || x != getppid())
			_exit(12);
		_exit(0);
	}
	EXPECT_EQ(0, wait_child(pid));
}

/*
 * The ptrace rule (PTRACE_MODE_ATTACH_REALCREDS): across uids refused,
 * same uid allowed while dumpable, a non-dumpable target refused, root
 * (CAP_SYS_PTRACE) allowed.  Needs root to change uids.
 */
TEST(ptrace_rule)
{
	struct pipes pp;
	pid_t pid;
	uint32_t v;

	if (geteuid() != 0)
		SKIP(return, "needs root to change uids");
	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A: uid 65534, dumpable; forks B with the same uid */
		struct pipes q;
		mach_port_name_t t = 1;
		pid_t b;

		pipes_child(&pp);
		if (setgid(65534) || setuid(65534))
			_exit(20);
		prctl(PR_SET_DUMPABLE, 1);
		/* across uids: the root parent is refused, task and name */
		if (task_for_pid(TASK, getppid(), &t) != KERN_FAILURE || t != MACH_PORT_NULL)
			_exit(21);
		if (task_name_for_pid(TASK, getppid(), &t) != KERN_FAILURE || t != MACH_PORT_NULL)
			_exit(22);
		if (pipes_open(&q))
			_exit(23);
		b = fork();
		if (b < 0)
			_exit(24);
		if (b == 0) {
			pipes_child(&q);
			pipe_signal(q.c2p[1]);
			/* made non-dumpable when A asks */
			pipe_wait(q.p2c[0]);
			prctl(PR_SET_DUMPABLE, 0);
			pipe_signal(q.c2p[1]);
			pipe_wait(q.p2c[0]);
			_exit(0);
		}
		pipes_parent(&q);
		if (pipe_wait(q.c2p[0]))
			_exit(25);
		/* same uid, dumpable: allowed */
		if (task_for_pid(TASK, b, &t) != KERN_SUCCESS || !MACH_PORT_VALID(t))
			_exit(26);
		mach_port_deallocate(TASK, t);
		pipe_signal(q.p2c[1]);
		pipe_wait(q.c2p[0]);
		/* non-dumpable: refused; the name port still given (uids match) */
		if (task_for_pid(TASK, b, &t) != KERN_FAILURE || t != MACH_PORT_NULL)
			_exit(27);
		if (task_name_for_pid(TASK, b, &t) != KERN_SUCCESS || !MACH_PORT_VALID(t))
			_exit(28);
		mach_port_deallocate(TASK, t);
		close(q.p2c[1]);
		if (wait_child(b) != 0)
			_exit(29);
		/* tell the root parent we are ready to be taken, and wait */
		write_u32(pp.c2p[1], 1);
		pipe_wait(pp.p2c[0]);
		_exit(0);
	}
	pipes_parent(&pp);
	ASSERT_EQ(0, read_u32(pp.c2p[0], &v)) TH_LOG("child status %d", wait_child(pid));
	{
		/* root, CAP_SYS_PTRACE: allowed across uids */
		mach_port_name_t t = MACH_PORT_NULL;
		int x = 0;

		EXPECT_EQ(KERN_SUCCESS, task_for_pid(TASK, pid, &t));
		EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &x));
		EXPECT_EQ(pid, x);
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, t));
	}
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_child(pid));
	close(pp.c2p[0]);
}

/* A name port dies with its task too. */
TEST(name_port_dies)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	struct pipes pp;
	mach_port_name_t tn = MACH_PORT_NULL;
	mach_port_t q;
	pid_t pid;
	int x = 0;

	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pipes_child(&pp);
		pipe_signal(pp.c2p[1]);
		pipe_wait(pp.p2c[0]);
		_exit(0);
	}
	pipes_parent(&pp);
	ASSERT_EQ(0, pipe_wait(pp.c2p[0]));
	ASSERT_EQ(KERN_SUCCESS, task_name_for_pid(TASK, pid, &tn));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(tn, &x));
	EXPECT_EQ(pid, x);
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(tn, MACH_PORT_RIGHT_RECEIVE, &q));
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_child(pid));
	close(pp.c2p[0]);
	EXPECT_EQ(0, wait_dead(tn));
	EXPECT_EQ(KERN_FAILURE, pid_for_task(tn, &x));
	EXPECT_EQ(-1, x);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, tn));
	EXPECT_STATS_BASE(have, base);
}

/* exec ends a task (XNU gives an exec'd process a new task port): the old port dies. */
TEST(exec_ends_task)
{
	struct pipes pp;
	mach_port_name_t ct = MACH_PORT_NULL, t2 = 1;
	mach_port_t q;
	pid_t pid;

	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pipes_child(&pp);
		pipe_signal(pp.c2p[1]);
		pipe_wait(pp.p2c[0]);
		execl("/bin/sleep", "sleep", "3", (char *)NULL);
		_exit(127);
	}
	pipes_parent(&pp);
	ASSERT_EQ(0, pipe_wait(pp.c2p[0]));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(TASK, pid, &ct));
	EXPECT_EQ(KERN_SUCCESS, mach_port_allocate(ct, MACH_PORT_RIGHT_DEAD_NAME, &q));
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_dead(ct));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_allocate(ct, MACH_PORT_RIGHT_RECEIVE, &q));
	/* the exec'd program has no Mach space */
	EXPECT_EQ(KERN_FAILURE, task_for_pid(TASK, pid, &t2));
	EXPECT_EQ(MACH_PORT_NULL, t2);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, ct));
	kill(pid, SIGKILL);
	wait_child(pid);
	close(pp.c2p[0]);
}

/*
 * semaphore_create(task) on another task: the semaphore is that task's
 * (XNU: semaphore->owner = task): its destroy through that task's port
 * stops it, and so does the task's exit.
 */
TEST(semaphore_of_other_task)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_timespec_t zero = { 0, 0 };
	struct pipes pp;
	mach_port_name_t ct = MACH_PORT_NULL;
	semaphore_t s1, s2, s3;
	pid_t pid;

	ASSERT_EQ(0, pipes_open(&pp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pipes_child(&pp);
		pipe_signal(pp.c2p[1]);
		pipe_wait(pp.p2c[0]);
		_exit(0);
	}
	pipes_parent(&pp);
	ASSERT_EQ(0, pipe_wait(pp.c2p[0]));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(TASK, pid, &ct));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(ct, &s1, SYNC_POLICY_FIFO, 0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(ct, &s2, SYNC_POLICY_FIFO, 1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s1, zero));
	/* our own task does not own it: its destroy changes nothing */
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s1, MACH_PORT_RIGHT_SEND, 2));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(TASK, s1));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s1));
	/* the owner's does */
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(ct, s1));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s1));
	/* the owner's exit stops the other one */
	close(pp.p2c[1]);
	EXPECT_EQ(0, wait_child(pid));
	close(pp.c2p[0]);
	EXPECT_EQ(0, wait_dead(ct));
	EXPECT_EQ(KERN_TERMINATED, semaphore_timedwait(s2, zero));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, semaphore_create(ct, &s3, SYNC_POLICY_FIFO, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, s2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, ct));
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
