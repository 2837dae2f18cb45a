/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mig_errors.h>, MIG return codes and the error reply. */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/message.h>
#include <mach/kern_return.h>

/*
 * Not in the error-system encoding (system 4, subsystem 2): old clients
 * expect these small negative values, so Darwin keeps them.
 */
#define MIG_TYPE_ERROR		-300	/* client type check failure */
#define MIG_REPLY_MISMATCH	-301	/* wrong reply message ID */
#define MIG_REMOTE_ERROR	-302	/* server detected error */
#define MIG_BAD_ID		-303	/* bad request message ID */
#define MIG_BAD_ARGUMENTS	-304	/* server type check failure */
#define MIG_NO_REPLY		-305	/* no reply should be sent */
#define MIG_EXCEPTION		-306	/* server raised exception */
#define MIG_ARRAY_TOO_LARGE	-307	/* array not large enough */
#define MIG_SERVER_DIED		-308	/* server died */
#define MIG_TRAILER_ERROR	-309	/* trailer has an unknown format */

/*
 * The reply a server sends when it fails a request (and the shape every
 * simple reply starts with): clients accept it in place of any reply.
 * 36 bytes, RetCode at 32.
 */
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
} mig_reply_error_t;
#pragma pack(pop)

/* Byte-swaps RetCode of an error reply from a peer of the other byte order. */
#define __NDR_convert__mig_reply_error_t__defined
#if defined(mig_internal)
mig_internal
#else
static
#endif
__inline__ void __NDR_convert__mig_reply_error_t(mig_reply_error_t *x)
{
#if defined(__NDR_convert__int_rep__kern_return_t__defined)
	if (x->NDR.int_rep != NDR_record.int_rep)
		__NDR_convert__int_rep__kern_return_t(&x->RetCode, x->NDR.int_rep);
#else
	(void)x;
#endif
}

#endif /* _MACH_MIG_ERRORS_H_ */
