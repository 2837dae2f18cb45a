// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * mach-echo-cli: looks the echo service up in the bootstrap server
 * and makes RPCs to it, each carrying inline data, a port and an
 * out-of-line buffer, and checks every answer.  Explains what it does as it
 * goes, for someone seeing Mach IPC for the first time.
 *
 *   mach-echo-cli [-n COUNT] [--pause FILE]
 *
 * --pause FILE: after the RPCs, create FILE and wait (up to 60 s) for
 * SIGUSR1 before cleaning up, so that lsmach can look at the live ports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "echo_proto.h"

#define SAY(...) do { printf("[client] " __VA_ARGS__); putchar('\n'); fflush(stdout); } while (0)
#define FAIL(...) do { fprintf(stderr, "[client] FAILED: " __VA_ARGS__); fputc('\n', stderr); return 1; } while (0)

#define BUF_SIZE (16 * 1024)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(uint8_t *p, size_t n, uint32_t seq)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seq * 7);
}

int main(int argc, char **argv)
{
	unsigned count = 300;
	const char *pause_file = NULL;
	mach_port_t task = mach_task_self();
	mach_port_t service = MACH_PORT_NULL, events = MACH_PORT_NULL, reply = MACH_PORT_NULL;
	kern_return_t kr;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pause") && i + 1 < argc)
			pause_file = argv[++i];
		else {
			fprintf(stderr, "usage: %s [-n COUNT] [--pause FILE]\n", argv[0]);
			return 2;
		}
	}

	SAY("pid %d: every process using Mach starts with a send right to the bootstrap "
	    "server, named 0x%x here (bootstrap_port)", getpid(), bootstrap_port);
	if (bootstrap_port == MACH_PORT_NULL)
		FAIL("no bootstrap port: is machd running?");

	SAY("looking up \"%s\" ...", ECHO_SERVICE_NAME);
	for (int tries = 0;; tries++) {
		kr = bootstrap_look_up(bootstrap_port, ECHO_SERVICE_NAME, &service);
		if (kr != BOOTSTRAP_UNKNOWN_SERVICE || tries == 50)
			break;
		usleep(100 * 1000);
	}
	if (kr != KERN_SUCCESS)
		FAIL("bootstrap_look_up: %s", bootstrap_strerror(kr));
	SAY("found it: name 0x%x is now a send right to the echo service's port", service);

	/* A port of our own that the service will send events to. */
	if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &events) != KERN_SUCCESS ||
	    mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &reply) != KERN_SUCCESS)
		FAIL("mach_port_allocate");
	SAY("made two ports of our own: 0x%x for events from the service, 0x%x for replies",
	    events, reply);

	uint8_t *expect = malloc(BUF_SIZE);
	vm_address_t buf = 0;
	if (!expect || vm_allocate(task, &buf, BUF_SIZE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		FAIL("out of memory");

	SAY("now %u round trips; each request carries:", count);
	SAY("  - inline data: a sequence number and a short text, copied with the message");
	SAY("  - a port: a new send right to our event port (MAKE_SEND)");
	SAY("  - out of line: a %d KiB buffer, mapped into the service, not copied inline", BUF_SIZE / 1024);
	SAY("  and a send-once right to our reply port for the answer");

	double t0 = now_s();
	unsigned long ool_bytes = 0;
	for (uint32_t seq = 1; seq <= count; seq++) {
		union {
			struct echo_request req;
			struct echo_reply rep;
			uint8_t raw[sizeof(struct echo_reply) + MAX_TRAILER_SIZE];
		} m;
		struct echo_request *req = &m.req;
		char text[ECHO_TEXT_MAX];
		int text_len = snprintf(text, sizeof(text), "hello #%u from pid %d", seq, getpid());

		fill((uint8_t *)buf, BUF_SIZE, seq);
		memcpy(expect, (void *)buf, BUF_SIZE);

		memset(&m, 0, sizeof(m));
		req->head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, 0,
							 MACH_MSGH_BITS_COMPLEX);
		req->head.msgh_size = sizeof(*req);
		req->head.msgh_remote_port = service;
		req->head.msgh_local_port = reply;
		req->head.msgh_id = ECHO_REQUEST;
		req->body.msgh_descriptor_count = 2;
		req->event_port.name = events;
		req->event_port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		req->event_port.type = MACH_MSG_PORT_DESCRIPTOR;
		req->data.address = (void *)buf;
		req->data.size = BUF_SIZE;
		req->data.copy = MACH_MSG_VIRTUAL_COPY;
		req->data.deallocate = 0;
		req->data.type = MACH_MSG_OOL_DESCRIPTOR;
		req->seq = seq;
		req->text_len = (uint32_t)text_len;
		memcpy(req->text, text, (size_t)text_len);

		/* Send the request and wait for the reply in one call. */
		mach_msg_return_t mr = mach_msg(&req->head,
			MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
			sizeof(*req), sizeof(m), reply, 5000, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			FAIL("RPC %u: %s", seq, mach_error_string(mr));

		struct echo_reply *rep = &m.rep;
		if (rep->head.msgh_id != ECHO_REPLY || rep->seq != seq ||
		    rep->text_len != (uint32_t)text_len || memcmp(rep->text, text, (size_t)text_len) ||
		    rep->body.msgh_descriptor_count != 1 || rep->data.size != BUF_SIZE)
			FAIL("RPC %u: wrong reply (id %d seq %u)", seq, rep->head.msgh_id, rep->seq);
		if (memcmp(rep->data.address, expect, BUF_SIZE))
			FAIL("RPC %u: the out-of-line buffer came back different", seq);
		if (seq == 1) {
			SAY("RPC 1: reply says \"%.*s\"; its buffer arrived at %p, a new mapping "
			    "in our address space, and matches all %d bytes we sent",
			    (int)rep->text_len, rep->text, rep->data.address, BUF_SIZE);
		}
		vm_deallocate(task, (vm_address_t)rep->data.address, rep->data.size);
		ool_bytes += 2UL * BUF_SIZE;

		/* The service used the send right we gave it. */
		union {
			struct echo_event ev;
			uint8_t raw[sizeof(struct echo_event) + MAX_TRAILER_SIZE];
		} e;
		memset(&e, 0, sizeof(e));
		mr = mach_msg(&e.ev.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(e), events,
			      5000, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS || e.ev.head.msgh_id != ECHO_EVENT || e.ev.seq != seq)
			FAIL("RPC %u: no event from the service (%s)", seq, mach_error_string(mr));
		if (seq == 1)
			SAY("RPC 1: and the service used our send right: event #%u from pid %d is "
			    "waiting on our event port", e.ev.seq, e.ev.server_pid);
		if (seq % 100 == 0)
			SAY("%u RPCs done, all echoes verified", seq);
	}
	double dt = now_s() - t0;
	SAY("all %u RPCs verified: %u events received, %lu KiB moved out of line, "
	    "%.1f ms per round trip", count, count, ool_bytes / 1024, dt * 1000 / count);

	if (pause_file) {
		sigset_t set;
		struct timespec limit = { 60, 0 };

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		int fd = open(pause_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (write(fd, "paused\n", 7) < 0)
				perror(pause_file);
			close(fd);
		}
		SAY("pausing with everything still open so lsmach can show our ports");
		sigtimedwait(&set, NULL, &limit);
	}

	SAY("cleaning up: dropping our send right to the service and destroying our ports");
	mach_port_deallocate(task, service);
	mach_port_mod_refs(task, events, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(task, reply, MACH_PORT_RIGHT_RECEIVE, -1);
	vm_deallocate(task, buf, BUF_SIZE);
	free(expect);
	SAY("done");
	return 0;
}
