/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * The demo's echo protocol, shared by mach-demo-echo-server and
 * mach-demo-echo-client.
 *
 * Request (id ECHO_REQUEST): complex, two descriptors
 *   - a send right to a port of the client (the "event port"): the server
 *     sends one ECHO_EVENT message there per request;
 *   - an out-of-line buffer;
 * then inline data: a sequence number and a short text.
 * Reply (id ECHO_REPLY, to the request's send-once reply right): the same
 * buffer back out of line, and the inline data echoed.
 */
#ifndef ECHO_PROTO_H
#define ECHO_PROTO_H

#include <mach/mach.h>
#include <stdint.h>

#define ECHO_SERVICE_NAME	"org.mach-linux.demo.echo"
#define ECHO_REQUEST		1000
#define ECHO_REPLY		1100
#define ECHO_EVENT		1200
#define ECHO_TEXT_MAX		64

struct echo_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t event_port;
	mach_msg_ool_descriptor_t data;
	uint32_t seq;
	uint32_t text_len;
	char text[ECHO_TEXT_MAX];
};

struct echo_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
	uint32_t seq;
	uint32_t text_len;
	char text[ECHO_TEXT_MAX];
};

struct echo_event {
	mach_msg_header_t head;
	uint32_t seq;
	int32_t server_pid;
};

#endif
