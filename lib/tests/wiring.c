/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach's ioctl wiring against tests/fake_device.c (no mach.ko needed):
 * load-time open and self ports, mach_msg restart rules, errno mapping,
 * mach_port_names and mach_port_get_set_status growth, the port-set and
 * notification-request arguments, fork (new space, same fd number, refreshed
 * mach_task_self_/bootstrap_port, forgotten MIG reply port, and the
 * fall-back when the fork ioctl fails), and the version check
 * (run with "mismatch" and FAKE_MACH_ABI set).
 */
#include <mach/mach.h>
#include <mach/linux.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_device.h"

static int failures, checks;

#define CHECK(cond) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "%s:%d: [%d] check failed: %s\n", __FILE__, __LINE__, \
			(int)getpid(), #cond); \
	} \
} while (0)

static void script(int n, const int *results)
{
	memcpy(fake.script, results, n * sizeof(int));
	fake.script_len = n;
	fake.script_pos = 0;
	fake.nmsg = 0;
}

static void test_load(void)
{
	CHECK(fake.opens == 1);
	CHECK(fake.open_flags == (O_RDWR | O_CLOEXEC));
	CHECK(mach_task_self() == FAKE_TASK(1));
	CHECK(bootstrap_port == FAKE_BOOTSTRAP(1));
	CHECK(mach_linux_fd() == fake.fd);
	CHECK(fake.opens == 1);
}

static void test_msg_restart(void)
{
	mach_msg_header_t h, r;
	const mach_msg_option_t both = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT;

	memset(&h, 0, sizeof(h));
	{
		const int rs[] = { MACH_SEND_INTERRUPTED, MACH_SEND_INTERRUPTED,
				   MACH_RCV_INTERRUPTED, MACH_MSG_SUCCESS };
		script(4, rs);
	}
	CHECK(mach_msg(&h, both, 24, 100, 0x303, 5, 0x404) == MACH_MSG_SUCCESS);
	CHECK(fake.nmsg == 4);
	CHECK(fake.msg[0].option == (unsigned)both && fake.msg[0].send_size == 24);
	CHECK(fake.msg[1].option == (unsigned)both && fake.msg[1].send_size == 24);
	/* the third try sent, and its receive was interrupted: */
	CHECK(fake.msg[2].option == (unsigned)both && fake.msg[2].send_size == 24);
	CHECK(fake.msg[3].option == (unsigned)(both & ~MACH_SEND_MSG) && fake.msg[3].send_size == 0);
	CHECK(fake.msg[0].msg == (uintptr_t)&h && fake.msg[0].rcv_msg == 0);
	CHECK(fake.msg[0].rcv_size == 100 && fake.msg[0].rcv_name == 0x303);
	CHECK(fake.msg[0].timeout == 5 && fake.msg[0].notify == 0x404);

	/* The INTERRUPT options hand the interruption to the caller. */
	{
		const int rs[] = { MACH_SEND_INTERRUPTED };
		script(1, rs);
	}
	CHECK(mach_msg(&h, both | MACH_SEND_INTERRUPT, 24, 100, 0x303, 0, 0) == MACH_SEND_INTERRUPTED);
	CHECK(fake.nmsg == 1 && (fake.msg[0].option & MACH_SEND_INTERRUPT));
	{
		const int rs[] = { MACH_RCV_INTERRUPTED };
		script(1, rs);
	}
	CHECK(mach_msg(&h, both | MACH_RCV_INTERRUPT, 24, 100, 0x303, 0, 0) == MACH_RCV_INTERRUPTED);
	CHECK(fake.nmsg == 1);
	/* Errors other than interruptions are returned as they are. */
	{
		const int rs[] = { MACH_SEND_INVALID_DEST };
		script(1, rs);
	}
	CHECK(mach_msg(&h, both, 24, 100, 0x303, 0, 0) == MACH_SEND_INVALID_DEST && fake.nmsg == 1);

	/* mach_msg_overwrite passes the separate receive buffer. */
	script(0, NULL);
	CHECK(mach_msg_overwrite(&h, both, 24, 64, 0x303, 0, 0, &r, 0) == MACH_MSG_SUCCESS);
	CHECK(fake.msg[0].rcv_msg == (uintptr_t)&r && fake.msg[0].rcv_size == 64);

	/* mach_msg_send / mach_msg_receive take sizes and names from the header. */
	h.msgh_size = 24;
	h.msgh_local_port = 0x505;
	script(0, NULL);
	CHECK(mach_msg_send(&h) == MACH_MSG_SUCCESS);
	CHECK(fake.msg[0].option == MACH_SEND_MSG && fake.msg[0].send_size == 24);
	script(0, NULL);
	CHECK(mach_msg_receive(&h) == MACH_MSG_SUCCESS);
	CHECK(fake.msg[0].option == MACH_RCV_MSG && fake.msg[0].rcv_size == 24 &&
	      fake.msg[0].rcv_name == 0x505);

	/* A failed ioctl becomes a mach_msg code. */
	{
		const int rs[] = { -EFAULT, -EFAULT, -EBADFD, -EBADFD };
		script(4, rs);
	}
	CHECK(mach_msg(&h, MACH_SEND_MSG, 24, 0, 0, 0, 0) == MACH_SEND_INVALID_DATA);
	CHECK(mach_msg(&h, MACH_RCV_MSG, 0, 24, 0x505, 0, 0) == MACH_RCV_INVALID_DATA);
	CHECK(mach_msg(&h, MACH_SEND_MSG, 24, 0, 0, 0, 0) == MACH_SEND_INVALID_DEST);
	CHECK(mach_msg(&h, MACH_RCV_MSG, 0, 24, 0x505, 0, 0) == MACH_RCV_INVALID_NAME);
}

static void test_port_calls(void)
{
	mach_port_name_t name = 0;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t ncount = 0, tcount = 0;

	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_SUCCESS);
	CHECK(name == 0x707);
	fake.port_errno = EBADFD;
	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_INVALID_TASK);
	fake.port_errno = EFAULT;
	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_INVALID_ADDRESS);
	fake.port_errno = EIO;
	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_FAILURE);
	fake.port_errno = 0;
	CHECK(mach_port_deallocate(mach_task_self(), name) == KERN_FAILURE);	/* ENOTTY */

	CHECK(mach_port_names(mach_task_self(), &names, &ncount, &types, &tcount) == KERN_SUCCESS);
	CHECK(fake.names_calls == 2);	/* 64 did not fit 100: grown once */
	CHECK(ncount == FAKE_NAMES && tcount == FAKE_NAMES);
	CHECK(names[0] == 0x100 && names[FAKE_NAMES - 1] == (unsigned)FAKE_NAMES << 8);
	CHECK(types[FAKE_NAMES - 1] == MACH_PORT_TYPE_RECEIVE);
	CHECK(vm_deallocate(mach_task_self(), (vm_address_t)names, ncount * sizeof(*names)) == KERN_SUCCESS);
	CHECK(vm_deallocate(mach_task_self(), (vm_address_t)types, tcount * sizeof(*types)) == KERN_SUCCESS);
}

static void test_pset_calls(void)
{
	const mach_port_t task = mach_task_self();
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t mcount = 0;

	CHECK(mach_port_move_member(task, 0x101, 0x202) == KERN_SUCCESS);
	CHECK(fake.member_cmd == MACH_IOC_PORT_MOVE_MEMBER);
	CHECK(fake.member.task == task && fake.member.name == 0x101 && fake.member.pset == 0x202);
	CHECK(mach_port_move_member(task, 0x666, MACH_PORT_NULL) == KERN_NOT_IN_SET);
	CHECK(fake.member.name == 0x666 && fake.member.pset == MACH_PORT_NULL);
	CHECK(mach_port_insert_member(task, 0x303, 0x404) == KERN_SUCCESS);
	CHECK(fake.member_cmd == MACH_IOC_PORT_INSERT_MEMBER);
	CHECK(fake.member.task == task && fake.member.name == 0x303 && fake.member.pset == 0x404);
	CHECK(mach_port_extract_member(task, 0x505, 0x606) == KERN_SUCCESS);
	CHECK(fake.member_cmd == MACH_IOC_PORT_EXTRACT_MEMBER);
	CHECK(fake.member.task == task && fake.member.name == 0x505 && fake.member.pset == 0x606);

	/* 64 did not fit 70: grown once */
	CHECK(mach_port_get_set_status(task, 0x505, &members, &mcount) == KERN_SUCCESS);
	CHECK(fake.members_calls == 2);
	CHECK(mcount == FAKE_MEMBERS);
	CHECK(members[0] == 0x103 && members[FAKE_MEMBERS - 1] == ((unsigned)FAKE_MEMBERS << 8 | 3));
	CHECK(vm_deallocate(task, (vm_address_t)members, mcount * sizeof(*members)) == KERN_SUCCESS);
	/* out parameters untouched on failure */
	members = (mach_port_name_array_t)0x1234;
	mcount = 77;
	CHECK(mach_port_get_set_status(task, 0x707, &members, &mcount) == KERN_INVALID_RIGHT);
	CHECK(members == (mach_port_name_array_t)0x1234 && mcount == 77);
}

static void test_request_notification(void)
{
	const mach_port_t task = mach_task_self();
	mach_port_t previous = 0x42;

	CHECK(mach_port_request_notification(task, 0x101, MACH_NOTIFY_NO_SENDERS, 3, 0x202,
					     MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous) == KERN_SUCCESS);
	CHECK(fake.notify.task == task && fake.notify.name == 0x101);
	CHECK(fake.notify.msgid == MACH_NOTIFY_NO_SENDERS && fake.notify.sync == 3);
	CHECK(fake.notify.notify == 0x202 && fake.notify.notify_type == MACH_MSG_TYPE_MAKE_SEND_ONCE);
	CHECK(fake.notify.previous == 0);
	CHECK(previous == FAKE_PREVIOUS);
	previous = 0x42;
	CHECK(mach_port_request_notification(task, 0x101, 0, 0, MACH_PORT_NULL,
					     MACH_MSG_TYPE_MOVE_SEND_ONCE, &previous) == KERN_INVALID_VALUE);
	CHECK(fake.notify.notify == MACH_PORT_NULL && fake.notify.notify_type == MACH_MSG_TYPE_MOVE_SEND_ONCE);
	CHECK(previous == 0x42);
}

/* Runs fn in a child; returns its failure count. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		failures = 0;	/* report only the child's own */
		fn();
		_exit(failures > 255 ? 255 : failures);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

static int parent_fd;
static mach_port_t parent_reply;

static void child_new_space(void)
{
	/* FORK_SPACE made space 2 and libmach moved it onto the same fd. */
	CHECK(fake.space == 2);
	CHECK(mach_linux_fd() == parent_fd);
	CHECK(fcntl(parent_fd, F_GETFD) == FD_CLOEXEC);
	CHECK(mach_task_self() == FAKE_TASK(2));
	CHECK(bootstrap_port == FAKE_BOOTSTRAP(2));
	CHECK(fake.opens == 1);
	/* The parent's MIG reply port is not ours: a new one is made. */
	CHECK(mig_get_reply_port() != parent_reply);
	CHECK(mig_get_reply_port() == FAKE_REPLY(2) + 1);
}

static void child_failed_fork(void)
{
	/* No FORK_SPACE: libmach dropped the fd and opened a fresh space. */
	CHECK(fake.opens == 2);
	CHECK(fake.space == 2);
	CHECK(mach_task_self() == FAKE_TASK(2));
	CHECK(bootstrap_port == FAKE_BOOTSTRAP(2));
	CHECK(mach_linux_fd() == fake.fd);
}

static void test_fork(void)
{
	parent_fd = mach_linux_fd();
	parent_reply = mig_get_reply_port();
	CHECK(parent_reply == FAKE_REPLY(1));
	CHECK(mig_get_reply_port() == parent_reply);	/* cached */

	CHECK(in_child(child_new_space) == 0);
	fake.fail_fork = 1;
	CHECK(in_child(child_failed_fork) == 0);
	fake.fail_fork = 0;

	/* The parent is untouched. */
	CHECK(mach_task_self() == FAKE_TASK(1) && mach_linux_fd() == parent_fd);
	CHECK(mig_get_reply_port() == parent_reply);
}

static void test_mismatch(void)
{
	mach_port_name_t name = 5;
	CHECK(fake.opens == 1);
	CHECK(mach_task_self() == MACH_PORT_NULL);
	CHECK(mach_linux_fd() == -1);
	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_FAILURE);
	CHECK(name == 5);
	CHECK(fake.opens == 1);		/* no retry after a failed check */
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "mismatch") == 0) {
		test_mismatch();
	} else {
		test_load();
		test_msg_restart();
		test_port_calls();
		test_pset_calls();
		test_request_notification();
		test_fork();
	}
	printf("%s: wiring%s: %d checks, %d failed\n", failures ? "FAIL" : "ok",
	       argc > 1 ? " (version mismatch)" : "", checks, failures);
	return failures ? 1 : 0;
}
