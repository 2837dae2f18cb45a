// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mach_error_string, mach_error_type, mach_error: Darwin's texts for Mach
// error codes (system 6 bits | subsystem 12 bits | code 14 bits).
//
// One deliberate difference: the MACH_MSG_* special bits (IPC_SPACE,
// VM_SPACE, IPC_KERNEL, VM_KERNEL) that the kernel ORs into mach_msg return
// codes are set aside before the look-up, so MACH_RCV_BODY_ERROR|IPC_SPACE
// reads "(ipc/rcv) body error" rather than "unknown error code".

#include "libmach.h"

#include <cstdio>
#include <span>

namespace {

using table = std::span<const char *const>;

constexpr const char no_such_error[] = "unknown error code";

constexpr const char *const kern_codes[] = {
	"(os/kern) successful",
	"(os/kern) invalid address",
	"(os/kern) protection failure",
	"(os/kern) no space available",
	"(os/kern) invalid argument",
	"(os/kern) failure",
	"(os/kern) resource shortage",
	"(os/kern) not receiver",
	"(os/kern) no access",
	"(os/kern) memory failure",
	"(os/kern) memory error",
	"(os/kern) already in set",
	"(os/kern) not in set",
	"(os/kern) name exists",
	"(os/kern) aborted",
	"(os/kern) invalid name",
	"(os/kern) invalid task",
	"(os/kern) invalid right",
	"(os/kern) invalid value",
	"(os/kern) urefs overflow",
	"(os/kern) invalid capability",
	"(os/kern) right exists",
	"(os/kern) invalid host",
	"(os/kern) memory present",
	"(os/kern) memory data moved",
	"(os/kern) memory restart copy",
	"(os/kern) invalid processor set",
	"(os/kern) policy limit",
	"(os/kern) invalid policy",
	"(os/kern) invalid object",
	"(os/kern) already waiting",
	"(os/kern) default set",
	"(os/kern) exception protected",
	"(os/kern) invalid ledger",
	"(os/kern) invalid memory control",
	"(os/kern) invalid security",
	"(os/kern) not depressed",
	"(os/kern) object terminated",
	"(os/kern) lock set destroyed",
	"(os/kern) lock unstable",
	"(os/kern) lock owned by another",
	"(os/kern) lock owned by self",
	"(os/kern) semaphore destroyed",
	"(os/kern) RPC terminated",
	"(os/kern) terminate orphan",
	"(os/kern) let orphan continue",
	"(os/kern) service not supported",
	"(os/kern) remote node down",
	"(os/kern) thread not waiting",
	"(os/kern) operation timed out",
	"(os/kern) code signing error",
	"(os/kern) policy is static",
	"(os/kern) insufficient input buffer size",
	"(os/kern) denied by security policy",
	"(os/kern) missing kernel collection",
	"(os/kern) invalid kernel collection",
	"(os/kern) result not found",
};
static_assert(std::size(kern_codes) == KERN_NOT_FOUND + 1);

// (os/unix): unix_err(errno) codes, BSD errno numbering.
constexpr const char *const unix_codes[] = {
	no_such_error,
	"(os/unix) no rights to object",
	"(os/unix) file or directory does not exist",
	"(os/unix) no such process",
	"(os/unix) interrupted system call",
	"(os/unix) i/o error",
	"(os/unix) device does not exist",
	"(os/unix) argument list is too long",
	"(os/unix) invalid executable object format",
	"(os/unix) bad file descriptor number",
	"(os/unix) no child processes are present",
	"(os/unix) no more processes are available",
	"(os/unix) insufficient memory",
	"(os/unix) access denied",
	"(os/unix) memory access fault",
	"(os/unix) block device required for operation",
	"(os/unix) mount device busy",
	"(os/unix) file already exists",
	"(os/unix) cross device link",
	"(os/unix) device does not exist",
	"(os/unix) object is not a directory",
	"(os/unix) object is a directory",
	"(os/unix) invalid argument",
	"(os/unix) internal file table overflow",
	"(os/unix) maximum number of open files reached",
	"(os/unix) object is not a tty-like device",
	"(os/unix) executable object is in use",
	"(os/unix) file is too large",
	"(os/unix) no space is left on device",
	"(os/unix) illegal seek attempt",
	"(os/unix) read-only file system",
	"(os/unix) too many links",
	"(os/unix) broken pipe",
	"(os/unix) argument is too large",
	"(os/unix) result is out of range",
	"(os/unix) operation on device would block",
	"(os/unix) operation is now in progress",
	"(os/unix) operation is already in progress",
	"(os/unix) socket operation attempted on non-socket object",
	"(os/unix) destination address is required",
	"(os/unix) message is too long",
	"(os/unix) protocol type is incorrect for socket",
	"(os/unix) protocol type is not availaible",
	"(os/unix) protocol type is not supported",
	"(os/unix) socket type is not supported",
	"(os/unix) operation is not supported on sockets",
	"(os/unix) protocol family is not supported",
	"(os/unix) address family is not supported by protocol family",
	"(os/unix) address is already in use",
	"(os/unix) can't assign requested address",
	"(os/unix) network is down",
	"(os/unix) network is unreachable",
	"(os/unix) network dropped connection on reset",
	"(os/unix) software aborted connection",
	"(os/unix) connection reset by peer",
	"(os/unix) no buffer space is available",
	"(os/unix) socket is already connected",
	"(os/unix) socket is not connected",
	"(os/unix) can't send after socket shutdown",
	"(os/unix) too many references; can't splice",
	"(os/unix) connection timed out",
	"(os/unix) connection was refused",
	"(os/unix) too many levels of symbolic links",
	"(os/unix) file name exceeds system maximum limit",
	"(os/unix) host is down",
	"(os/unix) there is no route to host",
	"(os/unix) directory is not empty",
	"(os/unix) quota on number of processes exceeded",
	"(os/unix) quota on number of users exceeded",
	"(os/unix) quota on available disk space exceeded",
};

// err_mach_ipc: the mach_msg codes and MIG's.
constexpr const char *const mach_send_codes[] = {
	"(ipc/send) no error",
	"(ipc/send) send in progress",
	"(ipc/send) invalid data",
	"(ipc/send) invalid destination port",
	"(ipc/send) timed out",
	"(ipc/send) will notify",
	"(ipc/send) notify in progress",
	"(ipc/send) interrupted",
	"(ipc/send) msg too small",
	"(ipc/send) invalid reply port",
	"(ipc/send) invalid port right",
	"(ipc/send) invalid notify port",
	"(ipc/send) invalid memory",
	"(ipc/send) no msg buffer",
	"(ipc/send) no notify possible",
	"(ipc/send) invalid msg-type",
	"(ipc/send) invalid msg-header",
	"(ipc/send) invalid msg-trailer",
	"(ipc/send) DIPC transport failure",
	"(ipc/send) DIPC port migrated",
	"(ipc/send) DIPC resend failed",
	"(ipc/send) out-of-line buffer too large",
};

constexpr const char *const mach_rcv_codes[] = {
	"(ipc/rcv) no error",
	"(ipc/rcv) receive in progress",
	"(ipc/rcv) invalid name",
	"(ipc/rcv) timed out",
	"(ipc/rcv) msg too large",
	"(ipc/rcv) interrupted",
	"(ipc/rcv) port changed",
	"(ipc/rcv) invalid notify port",
	"(ipc/rcv) invalid data",
	"(ipc/rcv) port died",
	"(ipc/rcv) port in set",
	"(ipc/rcv) header error",
	"(ipc/rcv) body error",
	"(ipc/rcv) invalid scatter list entry",
	"(ipc/rcv) overwrite region too small",
	"(ipc/rcv) invalid msg-trailer",
	"(ipc/rcv) DIPC transport error",
};

constexpr const char *const mach_mig_codes[] = {
	"(ipc/mig) client type check failure",
	"(ipc/mig) wrong reply message ID",
	"(ipc/mig) server detected error",
	"(ipc/mig) bad request message ID",
	"(ipc/mig) server type check failure",
	"(ipc/mig) no reply should be sent",
	"(ipc/mig) server raised exception",
	"(ipc/mig) array not large enough",
	"(ipc/mig) server died",
	"(ipc/mig) unknown trailer format",
};

// err_ipc: the pre-Mach-3 IPC codes (reached through the -100.. mapping).
constexpr const char *const ipc_send_codes[] = {
	"(ipc/send) unknown error",
	"(ipc/send) invalid memory",
	"(ipc/send) invalid port",
	"(ipc/send) timed out",
	"(ipc/send) unused error",
	"(ipc/send) will notify",
	"(ipc/send) notify in progress",
	"(ipc/send) kernel refused message",
	"(ipc/send) send interrupted",
	"(ipc/send) send message too large",
	"(ipc/send) send message too small",
	"(ipc/send) message size changed while being copied",
};

constexpr const char *const ipc_rcv_codes[] = {
	"(ipc/rcv) unknown error",
	"(ipc/rcv) invalid memory",
	"(ipc/rcv) invalid port",
	"(ipc/rcv) receive timed out",
	"(ipc/rcv) message too large",
	"(ipc/rcv) no space for message data",
	"(ipc/rcv) only sender remaining",
	"(ipc/rcv) receive interrupted",
	"(ipc/rcv) port receiver changed or port became enabled",
};

constexpr const char *const ipc_mig_codes[] = {
	"(ipc/mig) type check failure in message interface",
	"(ipc/mig) wrong return message ID",
	"(ipc/mig) server detected error",
	"(ipc/mig) bad message ID",
	"(ipc/mig) server found wrong arguments",
	"(ipc/mig) no reply should be sent",
	"(ipc/mig) server raised exception",
	"(ipc/mig) user specified array not large enough for return info",
};

struct subsystem {
	const char *name;
	table codes;
};

constexpr subsystem os_subs[] = {
	{"(os/kern)", kern_codes},
	{"(os/?)", {}},
	{"(os/?)", {}},
	{"(os/unix)", unix_codes},
};

constexpr subsystem ipc_subs[] = {
	{"(ipc/send)", ipc_send_codes},
	{"(ipc/rcv)", ipc_rcv_codes},
	{"(ipc/mig)", ipc_mig_codes},
};

constexpr subsystem mach_ipc_subs[] = {
	{"(ipc/send)", mach_send_codes},
	{"(ipc/rcv)", mach_rcv_codes},
	{"(ipc/mig)", mach_mig_codes},
};

struct error_system {
	const char *bad_sub;
	std::span<const subsystem> subs;
};

// Systems libmach knows; the others read "(?/?)" / "unknown error system".
const error_system *find_system(int system) noexcept
{
	static constexpr error_system os{"(operating system/?) unknown subsystem error", os_subs};
	static constexpr error_system us{"(user space/?) unknown subsystem error", {}};
	static constexpr error_system server{"(server/?) unknown subsystem error", {}};
	static constexpr error_system ipc{"(ipc/?) unknown subsystem error", ipc_subs};
	static constexpr error_system mach_ipc{"(ipc/?) unknown subsystem error", mach_ipc_subs};
	switch (system) {
	case 0: return &os;
	case 1: return &us;
	case 2: return &server;
	case 3: return &ipc;
	case 4: return &mach_ipc;
	default: return nullptr;
	}
}

// Old negative IPC/MIG numbers to the structured form, as libsyscall does.
mach_error_t compat(mach_error_t err) noexcept
{
	if (err > -200 && err <= -100)
		return -(err + 100) | err_ipc | err_sub(0);
	if (err > -300 && err <= -200)
		return -(err + 200) | err_ipc | err_sub(1);
	if (err > -400 && err <= -300)
		return -(err + 300) | err_mach_ipc | err_sub(2);
	return err;
}

struct decoded {
	const char *text;
	bool diag;	// true when the code was not found: print it in full
};

decoded lookup(mach_error_t err) noexcept
{
	err = compat(err);
	const int system = err_get_system(err);
	const int sub = err_get_sub(err);
	int code = err_get_code(err);

	const error_system *sys = find_system(system);
	if (!sys)
		return {"(?/?) unknown error system", true};
	if (sub >= static_cast<int>(sys->subs.size()))
		return {sys->bad_sub, true};
	if (system == err_get_system(err_mach_ipc))
		code &= ~MACH_MSG_MASK;
	const table codes = sys->subs[sub].codes;
	if (code >= static_cast<int>(codes.size()))
		return {no_such_error, true};
	return {codes[code], false};
}

} // namespace

extern "C" {

char *mach_error_string(mach_error_t error_value)
{
	return const_cast<char *>(lookup(error_value).text);
}

char *mach_error_type(mach_error_t error_value)
{
	const mach_error_t err = compat(error_value);
	const error_system *sys = find_system(err_get_system(err));
	const int sub = err_get_sub(err);
	if (!sys || sub >= static_cast<int>(sys->subs.size()))
		return const_cast<char *>("(?/?)");
	return const_cast<char *>(sys->subs[sub].name);
}

void mach_error(const char *str, mach_error_t error_value)
{
	const decoded d = lookup(error_value);
	if (d.diag)
		fprintf(stderr, "%s %s %s (%x)\n", str, mach_error_type(error_value),
			d.text, static_cast<unsigned>(error_value));
	else
		fprintf(stderr, "%s %s\n", str, d.text);
}

} // extern "C"
