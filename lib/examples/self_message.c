/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * A Mach program as it would be written for macOS, unchanged: make a port,
 * give ourselves a send right, send a message with an inline payload and a
 * port descriptor to it, and receive it back with an audit trailer.
 *
 *   cc self_message.c $(pkg-config --cflags --libs libmach)
 */
#include <mach/mach.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	mach_msg_header_t		header;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	reply;
	int				number;
	char				text[32];
} request_t;

typedef struct {
	request_t			request;
	mach_msg_audit_trailer_t	trailer;
} received_t;

static int fail(const char *what, kern_return_t kr)
{
	mach_error(what, kr);
	return 1;
}

int main(void)
{
	mach_port_t port = MACH_PORT_NULL, other = MACH_PORT_NULL;
	request_t msg;
	received_t rcv;
	mach_port_type_t type;
	mach_port_urefs_t refs;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	if (kr != KERN_SUCCESS)
		return fail("mach_port_allocate", kr);
	kr = mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		return fail("mach_port_insert_right", kr);
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &other);
	if (kr != KERN_SUCCESS)
		return fail("mach_port_allocate", kr);

	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0,
						  MACH_MSGH_BITS_COMPLEX);
	msg.header.msgh_size = sizeof(msg);
	msg.header.msgh_remote_port = port;
	msg.header.msgh_local_port = MACH_PORT_NULL;
	msg.header.msgh_id = 4242;
	msg.body.msgh_descriptor_count = 1;
	msg.reply.name = other;
	msg.reply.disposition = MACH_MSG_TYPE_MAKE_SEND;
	msg.reply.type = MACH_MSG_PORT_DESCRIPTOR;
	msg.number = 7;
	strncpy(msg.text, "hello, mach", sizeof(msg.text) - 1);

	kr = mach_msg(&msg.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(msg), 0,
		      MACH_PORT_NULL, 1000, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return fail("mach_msg(send)", kr);

	memset(&rcv, 0, sizeof(rcv));
	kr = mach_msg(&rcv.request.header,
		      MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
		      0, sizeof(rcv), port, 1000, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return fail("mach_msg(receive)", kr);

	printf("id %d, %u bytes, \"%s\" #%d, local %#x (bits %#x)\n",
	       rcv.request.header.msgh_id, rcv.request.header.msgh_size,
	       rcv.request.text, rcv.request.number,
	       rcv.request.header.msgh_local_port, rcv.request.header.msgh_bits);
	printf("descriptor: name %#x disposition %u (same name as ours: %s)\n",
	       rcv.request.reply.name, rcv.request.reply.disposition,
	       rcv.request.reply.name == other ? "yes" : "no");
	printf("trailer: size %u seqno %u sender uid %u gid %u pid %u (mine %d)\n",
	       rcv.trailer.msgh_trailer_size, rcv.trailer.msgh_seqno,
	       rcv.trailer.msgh_sender.val[0], rcv.trailer.msgh_sender.val[1],
	       rcv.trailer.msgh_audit.val[5], (int)getpid());

	if (mach_port_type(mach_task_self(), other, &type) == KERN_SUCCESS)
		printf("other: type %#x\n", type);
	if (mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, &refs) == KERN_SUCCESS)
		printf("port: %u send urefs\n", refs);

	mach_msg_destroy(&rcv.request.header);
	mach_port_mod_refs(mach_task_self(), other, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_destruct(mach_task_self(), port, -1, 0);
	return 0;
}
