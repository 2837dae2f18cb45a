/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Mach program as it would be written for macOS, built against an
 * installed libmach only: it checks a service in with the bootstrap server,
 * forks, and the child looks the service up and makes an RPC to it with a
 * send-once reply port; the parent serves it.  Exit status 0 when the reply
 * came back right.
 */
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SERVICE		"org.mach-linux.install-test"
#define REQUEST_ID	1000

typedef struct {
	mach_msg_header_t	header;
	int			value;
} message_t;

typedef struct {
	message_t		message;
	mach_msg_trailer_t	trailer;
} received_t;

static int fail(const char *what, kern_return_t kr)
{
	fprintf(stderr, "hello_bootstrap: %s: %s (0x%x)\n", what, mach_error_string(kr), kr);
	return 1;
}

static int client(void)
{
	mach_port_t service = MACH_PORT_NULL, reply = MACH_PORT_NULL;
	union { message_t send; received_t rcv; } m;
	kern_return_t kr;

	kr = bootstrap_look_up(bootstrap_port, SERVICE, &service);
	if (kr != KERN_SUCCESS)
		return fail("bootstrap_look_up", kr);
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	if (kr != KERN_SUCCESS)
		return fail("mach_port_allocate", kr);

	memset(&m, 0, sizeof(m));
	m.send.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.send.header.msgh_size = sizeof(m.send);
	m.send.header.msgh_remote_port = service;
	m.send.header.msgh_local_port = reply;
	m.send.header.msgh_id = REQUEST_ID;
	m.send.value = 41;
	kr = mach_msg(&m.send.header, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
		      sizeof(m.send), sizeof(m.rcv), reply, 10000, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return fail("mach_msg (RPC)", kr);
	if (m.rcv.message.header.msgh_id != REQUEST_ID + 100 || m.rcv.message.value != 42) {
		fprintf(stderr, "hello_bootstrap: bad reply: id %d value %d\n",
			m.rcv.message.header.msgh_id, m.rcv.message.value);
		return 1;
	}
	mach_port_deallocate(mach_task_self(), service);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return 0;
}

static int serve_one(mach_port_t service)
{
	received_t rcv;
	message_t reply;
	kern_return_t kr;

	memset(&rcv, 0, sizeof(rcv));
	kr = mach_msg(&rcv.message.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(rcv),
		      service, 10000, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return fail("mach_msg (receive)", kr);
	if (rcv.message.header.msgh_id != REQUEST_ID)
		return fail("unexpected request", KERN_INVALID_ARGUMENT);

	memset(&reply, 0, sizeof(reply));
	reply.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	reply.header.msgh_size = sizeof(reply);
	reply.header.msgh_remote_port = rcv.message.header.msgh_remote_port;
	reply.header.msgh_id = REQUEST_ID + 100;
	reply.value = rcv.message.value + 1;
	kr = mach_msg(&reply.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(reply), 0,
		      MACH_PORT_NULL, 10000, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return fail("mach_msg (reply)", kr);
	return 0;
}

int main(void)
{
	mach_port_t service = MACH_PORT_NULL;
	kern_return_t kr;
	int status, rc;
	pid_t pid;

	if (bootstrap_port == MACH_PORT_NULL)
		return fail("no bootstrap port (is machd running?)", KERN_FAILURE);
	kr = bootstrap_check_in(bootstrap_port, SERVICE, &service);
	if (kr != KERN_SUCCESS)
		return fail("bootstrap_check_in", kr);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(client());
	rc = serve_one(service);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		rc = 1;
	mach_port_mod_refs(mach_task_self(), service, MACH_PORT_RIGHT_RECEIVE, -1);
	printf("hello_bootstrap: %s\n", rc ? "FAILED" : "RPC through the bootstrap server ok");
	return rc;
}
