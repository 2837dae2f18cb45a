// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// The wire protocol between libmach's bootstrap client (src/bootstrap.cpp)
// and the name server (tools/machd), MIG-style: a subsystem base id, request
// id = base + routine, reply id = request id + 100.
//
// Every request has the same shape: complex, one port descriptor (the
// service port for register, MACH_PORT_NULL otherwise), the NDR record,
// flags and the NUL-terminated name.  The reply port is a send-once right
// (MAKE_SEND_ONCE of the client's MIG reply port).
//
// A successful reply carries one port descriptor (NULL when the routine
// returns no port), the NDR record, the return code and a value (status).
// A failed one is a plain mig_reply_error_t (not complex, RetCode != 0).
//
// Shared by C++ code only; not installed.
#pragma once

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <servers/bootstrap_defs.h>

namespace bootstrap_proto {

// launchd's bootstrap.defs subsystem number, for familiarity.
inline constexpr mach_msg_id_t base = 400;
inline constexpr mach_msg_id_t reply_offset = 100;

enum routine : mach_msg_id_t {
	check_in = base + 0,	// -> receive right
	register_ = base + 1,	// port in -> nothing
	look_up = base + 2,	// -> send right
	create_service = base + 3, // -> send right
	status = base + 4,	// -> value = bootstrap_status_t
	parent = base + 5,	// -> send right
	last = parent,
};

struct request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	uint32_t flags;
	uint32_t name_len;	// bytes of name used, NUL included
	char name[BOOTSTRAP_MAX_NAME_LEN];
};

struct reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	kern_return_t ret;
	int32_t value;
};

// Error replies are mig_reply_error_t: head, NDR, RetCode.

// Large enough for either reply shape plus the largest trailer.
struct reply_buffer {
	union {
		mach_msg_header_t head;
		reply ok;
		mig_reply_error_t err;
	};
	uint8_t trailer[MAX_TRAILER_SIZE];
};

} // namespace bootstrap_proto
