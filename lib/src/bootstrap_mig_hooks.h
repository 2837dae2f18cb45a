/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * Forced into the generated bootstrap user stubs (cc -include): what a stub
 * does when its mach_msg fails.  As MIG's default, plus one step: a request
 * that timed out (or was interrupted, or found no buffer) before it was
 * queued came back pseudo-received, holding the rights it carried (a send
 * right for register, the send-once right to the reply port); those are
 * destroyed here, before the reply port goes, so nothing leaks.
 */
#ifndef LIBMACH_BOOTSTRAP_MIG_HOOKS_H
#define LIBMACH_BOOTSTRAP_MIG_HOOKS_H

#define __MachMsgErrorWithTimeout(_R_) { \
	switch (_R_) { \
	case MACH_SEND_INVALID_DATA: \
	case MACH_SEND_INVALID_DEST: \
	case MACH_SEND_INVALID_HEADER: \
		mig_put_reply_port(InP->Head.msgh_local_port); \
		break; \
	case MACH_SEND_TIMED_OUT: \
	case MACH_SEND_INTERRUPTED: \
	case MACH_SEND_NO_BUFFER: \
		mach_msg_destroy(&InP->Head); \
		mig_dealloc_reply_port(InP->Head.msgh_local_port); \
		break; \
	default: \
		mig_dealloc_reply_port(InP->Head.msgh_local_port); \
	} \
}

#endif
