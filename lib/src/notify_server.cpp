// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// notify_server: the demux of Darwin's notify subsystem (notify.defs, base
// MACH_NOTIFY_FIRST, ServerPrefix do_), written by hand with the request
// layouts, checks and error replies that subsystem's generated server has:
//
//   id  routine                  request (packed 4, trailer excluded)
//   65  mach_notify_port_deleted   header, NDR, name             36 bytes
//   66  mach_notify_send_possible  header, NDR, name             36
//   69  mach_notify_port_destroyed header, body, port descriptor 40, complex
//   70  mach_notify_no_senders     header, NDR, mscount          36
//   71  mach_notify_send_once      header                        24
//   72  mach_notify_dead_name      header, NDR, name             36
//
// 64, 67 and 68 are skipped ids.  A request of the wrong size or
// complexity gets MIG_BAD_ARGUMENTS, a port-destroyed whose descriptor is
// not a receive right MIG_TYPE_ERROR, an id outside the table (or whose
// routine the program does not define) MIG_BAD_ID.
//
// The do_mach_notify_* routines are the program's: they are referenced
// weakly, so a program defines only those it needs.  This file stands
// alone in libmach.a, so a program that links its own generated notify
// server does not pull it in.

#include "libmach.h"

#pragma weak do_mach_notify_port_deleted
#pragma weak do_mach_notify_send_possible
#pragma weak do_mach_notify_port_destroyed
#pragma weak do_mach_notify_no_senders
#pragma weak do_mach_notify_send_once
#pragma weak do_mach_notify_dead_name
#pragma weak notify_server
#pragma weak notify_server_routine

namespace {

#pragma pack(push, 4)
struct NameRequest {			// port deleted, send possible, dead name
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	mach_port_name_t	name;
};
struct DestroyedRequest {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	rights;
};
struct NoSendersRequest {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	mach_port_mscount_t	mscount;
};
struct SendOnceRequest {
	mach_msg_header_t	Head;
};
#pragma pack(pop)

static_assert(sizeof(NameRequest) == 36 && sizeof(NoSendersRequest) == 36);
static_assert(sizeof(DestroyedRequest) == 40 && sizeof(SendOnceRequest) == 24);

constexpr mach_msg_id_t kBase = MACH_NOTIFY_FIRST;
constexpr mach_msg_id_t kEnd = MACH_NOTIFY_DEAD_NAME + 1;	// subsystem end

void set_error(mach_msg_header_t *out, kern_return_t code) noexcept
{
	auto *reply = reinterpret_cast<mig_reply_error_t *>(out);
	reply->NDR = NDR_record;
	reply->RetCode = code;
}

void set_result(mach_msg_header_t *out, kern_return_t code) noexcept
{
	reinterpret_cast<mig_reply_error_t *>(out)->RetCode = code;
}

// The check every simple (non-complex) notification gets.
template <typename Request>
bool simple_ok(const mach_msg_header_t *in, mach_msg_header_t *out) noexcept
{
	if (__MigTypeCheck && ((in->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
			       in->msgh_size != sizeof(Request))) {
		set_error(out, MIG_BAD_ARGUMENTS);
		return false;
	}
	return true;
}

void x_port_deleted(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (!simple_ok<NameRequest>(in, out))
		return;
	const auto *req = reinterpret_cast<const NameRequest *>(in);
	set_result(out, do_mach_notify_port_deleted(in->msgh_local_port, req->name));
}

void x_send_possible(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (!simple_ok<NameRequest>(in, out))
		return;
	const auto *req = reinterpret_cast<const NameRequest *>(in);
	set_result(out, do_mach_notify_send_possible(in->msgh_local_port, req->name));
}

void x_port_destroyed(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const auto *req = reinterpret_cast<const DestroyedRequest *>(in);
	if (__MigTypeCheck && (!(in->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
			       req->msgh_body.msgh_descriptor_count != 1 ||
			       in->msgh_size != sizeof(DestroyedRequest))) {
		set_error(out, MIG_BAD_ARGUMENTS);
		return;
	}
	if (__MigTypeCheck && (req->rights.type != MACH_MSG_PORT_DESCRIPTOR ||
			       req->rights.disposition != MACH_MSG_TYPE_PORT_RECEIVE)) {
		set_error(out, MIG_TYPE_ERROR);
		return;
	}
	set_result(out, do_mach_notify_port_destroyed(in->msgh_local_port, req->rights.name));
}

void x_no_senders(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (!simple_ok<NoSendersRequest>(in, out))
		return;
	const auto *req = reinterpret_cast<const NoSendersRequest *>(in);
	set_result(out, do_mach_notify_no_senders(in->msgh_local_port, req->mscount));
}

void x_send_once(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (!simple_ok<SendOnceRequest>(in, out))
		return;
	set_result(out, do_mach_notify_send_once(in->msgh_local_port));
}

void x_dead_name(mach_msg_header_t *in, mach_msg_header_t *out)
{
	if (!simple_ok<NameRequest>(in, out))
		return;
	const auto *req = reinterpret_cast<const NameRequest *>(in);
	set_result(out, do_mach_notify_dead_name(in->msgh_local_port, req->name));
}

// The stub for msgh_id, or NULL when the id is skipped, out of range, or
// its routine is not defined by the program.
mig_routine_t stub_for(mach_msg_id_t id) noexcept
{
	switch (id) {
	case MACH_NOTIFY_PORT_DELETED:
		return do_mach_notify_port_deleted ? x_port_deleted : nullptr;
	case MACH_NOTIFY_SEND_POSSIBLE:
		return do_mach_notify_send_possible ? x_send_possible : nullptr;
	case MACH_NOTIFY_PORT_DESTROYED:
		return do_mach_notify_port_destroyed ? x_port_destroyed : nullptr;
	case MACH_NOTIFY_NO_SENDERS:
		return do_mach_notify_no_senders ? x_no_senders : nullptr;
	case MACH_NOTIFY_SEND_ONCE:
		return do_mach_notify_send_once ? x_send_once : nullptr;
	case MACH_NOTIFY_DEAD_NAME:
		return do_mach_notify_dead_name ? x_dead_name : nullptr;
	default:
		return nullptr;
	}
}

static_assert(MACH_NOTIFY_DEAD_NAME + 1 == kEnd && kBase == 64 && kEnd == 73);

} // namespace

extern "C" {

boolean_t notify_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	// The reply header every MIG demux writes first; the stub fixes the
	// size if its reply is bigger (none of these is).
	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;
	OutHeadP->msgh_size = sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = InHeadP->msgh_id + 100;
	OutHeadP->msgh_reserved = 0;

	mig_routine_t routine = stub_for(InHeadP->msgh_id);
	if (!routine) {
		set_error(OutHeadP, MIG_BAD_ID);
		return FALSE;
	}
	routine(InHeadP, OutHeadP);
	return TRUE;
}

mig_routine_t notify_server_routine(mach_msg_header_t *InHeadP)
{
	return stub_for(InHeadP->msgh_id);
}

} // extern "C"
