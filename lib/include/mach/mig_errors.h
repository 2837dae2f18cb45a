/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mig_errors.h>, MIG return codes and the error reply. */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/ndr.h>

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

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
} mig_reply_error_t;
#pragma pack(pop)

#ifdef __cplusplus
extern "C" {
#endif

extern mach_port_t mig_get_reply_port(void);
extern void mig_dealloc_reply_port(mach_port_t reply_port);
extern void mig_put_reply_port(mach_port_t reply_port);
extern int mig_strncpy(char *dest, const char *src, int len);
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);
extern void mig_allocate(vm_address_t *addr, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MIG_ERRORS_H_ */
