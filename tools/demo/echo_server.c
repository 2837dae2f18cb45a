// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * mach-echo-srv: the demo's echo service, written as a Darwin
 * program would be.  It checks in with the bootstrap server under
 * ECHO_SERVICE_NAME, which gives it the receive right of its service port,
 * then answers every request: it sends an event message to the port the
 * client passed, and replies with the client's inline data and its
 * out-of-line buffer, moved back without copying.
 *
 *   mach-echo-srv [--ready-fd N]     (stops on SIGTERM/SIGINT)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "echo_proto.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

#define SAY(...) do { printf("[echo-server] " __VA_ARGS__); putchar('\n'); fflush(stdout); } while (0)

int main(int argc, char **argv)
{
	int ready_fd = -1;
	unsigned long served = 0, events = 0;
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ready-fd") && i + 1 < argc)
			ready_fd = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--ready-fd N]\n", argv[0]);
			return 2;
		}
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	SAY("pid %d: asking the bootstrap server for the receive right of \"%s\"",
	    getpid(), ECHO_SERVICE_NAME);
	kr = bootstrap_check_in(bootstrap_port, ECHO_SERVICE_NAME, &port);
	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "[echo-server] bootstrap_check_in: %s (%d)\n",
			bootstrap_strerror(kr), kr);
		return 1;
	}
	SAY("checked in: port name 0x%x in this process is the service port; "
	    "clients that look up the name get send rights to it", port);
	if (ready_fd >= 0) {
		if (write(ready_fd, "ready\n", 6) < 0)
			perror("ready fd");
		close(ready_fd);
	}

	while (!stop) {
		union {
			struct echo_request req;
			uint8_t raw[sizeof(struct echo_request) + MAX_TRAILER_SIZE];
		} in;
		mach_msg_return_t mr;

		memset(&in, 0, sizeof(in));
		mr = mach_msg(&in.req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT,
			      0, sizeof(in), port, 1000, MACH_PORT_NULL);
		if (mr == MACH_RCV_TIMED_OUT || mr == MACH_RCV_INTERRUPTED)
			continue;
		if (mr != MACH_MSG_SUCCESS) {
			fprintf(stderr, "[echo-server] receive: %s\n", mach_error_string(mr));
			break;
		}
		struct echo_request *req = &in.req;
		if (req->head.msgh_id != ECHO_REQUEST ||
		    !(req->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
		    req->head.msgh_size != sizeof(*req) || req->body.msgh_descriptor_count != 2 ||
		    req->event_port.type != MACH_MSG_PORT_DESCRIPTOR ||
		    req->data.type != MACH_MSG_OOL_DESCRIPTOR || req->text_len > ECHO_TEXT_MAX) {
			fprintf(stderr, "[echo-server] unexpected message id %d dropped\n",
				req->head.msgh_id);
			mach_msg_destroy(&req->head);
			continue;
		}
		served++;
		if (served == 1)
			SAY("first request: seq %u, text \"%.*s\", a send right to the client's "
			    "event port (name 0x%x here) and %u bytes out of line at %p",
			    req->seq, (int)req->text_len, req->text, req->event_port.name,
			    req->data.size, req->data.address);

		/* 1. An event to the client's port, moving our send right
		 *    there (so no urefs pile up).  Timeout 0: never wait. */
		struct echo_event ev = { 0 };
		ev.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, 0, 0);
		ev.head.msgh_size = sizeof(ev);
		ev.head.msgh_remote_port = req->event_port.name;
		ev.head.msgh_id = ECHO_EVENT;
		ev.seq = req->seq;
		ev.server_pid = getpid();
		mr = mach_msg(&ev.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(ev), 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS)
			events++;
		else
			mach_msg_destroy(&ev.head);
		if (served == 1)
			SAY("sent an event message to the client's event port (%s)",
			    mr == MACH_MSG_SUCCESS ? "ok" : mach_error_string(mr));

		/* 2. The reply: inline data echoed, the buffer moved back. */
		struct echo_reply rep = { 0 };
		rep.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSGH_BITS_REMOTE(req->head.msgh_bits),
							0, 0, MACH_MSGH_BITS_COMPLEX);
		rep.head.msgh_size = sizeof(rep);
		rep.head.msgh_remote_port = req->head.msgh_remote_port;
		rep.head.msgh_id = ECHO_REPLY;
		rep.body.msgh_descriptor_count = 1;
		rep.data.address = req->data.address;
		rep.data.size = req->data.size;
		rep.data.deallocate = 1;
		rep.data.copy = MACH_MSG_VIRTUAL_COPY;
		rep.data.type = MACH_MSG_OOL_DESCRIPTOR;
		rep.seq = req->seq;
		rep.text_len = req->text_len;
		memcpy(rep.text, req->text, req->text_len);
		mr = mach_msg(&rep.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(rep), 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			fprintf(stderr, "[echo-server] reply: %s\n", mach_error_string(mr));
			mach_msg_destroy(&rep.head);
		}
		if (served == 1)
			SAY("replied with the same text and moved the buffer back (no copy)");
		else if (served % 100 == 0)
			SAY("%lu requests answered", served);
	}

	SAY("stopping: %lu requests answered, %lu events sent; destroying the service port "
	    "(machd sees it die and frees the name)", served, events);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	return 0;
}
