/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/message.h>, Mach messages with Darwin's names and LP64
 * layouts.  Constants, option bits, return codes, the header, the body and
 * the descriptors whose fields are all fixed-width come from <linux/mach.h>.
 *
 * Two kinds of structure are declared here rather than typedef'd, because
 * Darwin source depends on field types the ABI header spells differently:
 *  - the out-of-line descriptors carry `void *address` (the uapi has __u64);
 *    their *64_t twins are the uapi structures themselves;
 *  - the trailers are Darwin's separate prefix structures, and the MAC/max
 *    trailer has `msg_labels_t msgh_labels` (the uapi has a bare __u32).
 * Their layout is checked against <linux/mach.h> when libmach is built.
 */
#ifndef _MACH_MESSAGE_H_
#define _MACH_MESSAGE_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>
#include <linux/mach.h>

typedef natural_t	mach_msg_timeout_t;
typedef unsigned int	mach_msg_bits_t;
typedef natural_t	mach_msg_size_t;
typedef integer_t	mach_msg_id_t;
typedef unsigned int	mach_msg_priority_t;
typedef unsigned int	mach_msg_type_name_t;
typedef unsigned int	mach_msg_copy_options_t;
typedef unsigned int	mach_msg_guard_flags_t;
typedef unsigned int	mach_msg_descriptor_type_t;
typedef natural_t	mach_msg_type_size_t;
typedef natural_t	mach_msg_type_number_t;
typedef integer_t	mach_msg_option_t;
typedef integer_t	mach_msg_options_t;
typedef kern_return_t	mach_msg_return_t;
typedef unsigned int	mach_msg_trailer_type_t;
typedef unsigned int	mach_msg_trailer_size_t;
typedef char		*mach_msg_trailer_info_t;

#define MACH_MSG_PRIORITY_UNSPECIFIED	((mach_msg_priority_t)0)
#define MACH_MSG_SIZE_MAX		((mach_msg_size_t)~0)
#define MACH_MSG_SIZE_RELIABLE		((mach_msg_size_t)256 * 1024)

#define MACH_MSGH_KIND_NORMAL		0x00000000
#define MACH_MSGH_KIND_NOTIFICATION	0x00000001

/* Legacy (typed-IPC) type names still used by MIG-generated code. */
#define MACH_MSG_TYPE_UNSTRUCTURED	0
#define MACH_MSG_TYPE_BIT		0
#define MACH_MSG_TYPE_BOOLEAN		0
#define MACH_MSG_TYPE_INTEGER_16	1
#define MACH_MSG_TYPE_INTEGER_32	2
#define MACH_MSG_TYPE_CHAR		8
#define MACH_MSG_TYPE_BYTE		9
#define MACH_MSG_TYPE_INTEGER_8		9
#define MACH_MSG_TYPE_REAL		10
#define MACH_MSG_TYPE_INTEGER_64	11
#define MACH_MSG_TYPE_STRING		12
#define MACH_MSG_TYPE_STRING_C		12

/* ---- header and body (uapi layouts) ---------------------------------- */

typedef struct mach_msg_header	mach_msg_header_t;
#define msgh_reserved		msgh_voucher_port
#define MACH_MSG_NULL		((mach_msg_header_t *)0)

typedef struct mach_msg_body	mach_msg_body_t;
#define MACH_MSG_BODY_NULL	((mach_msg_body_t *)0)
#define MACH_MSG_DESCRIPTOR_NULL ((mach_msg_descriptor_t *)0)

typedef struct {
	mach_msg_header_t	header;
	mach_msg_body_t		body;
} mach_msg_base_t;

#pragma pack(push, 4)

/* ---- descriptors ------------------------------------------------------ */

typedef struct mach_msg_type_descriptor		mach_msg_type_descriptor_t;
typedef struct mach_msg_port_descriptor		mach_msg_port_descriptor_t;
typedef struct mach_msg_guarded_port_descriptor	mach_msg_guarded_port_descriptor_t;
typedef struct mach_msg_guarded_port_descriptor	mach_msg_guarded_port_descriptor64_t;
typedef struct mach_msg_ool_descriptor		mach_msg_ool_descriptor64_t;
typedef struct mach_msg_ool_ports_descriptor	mach_msg_ool_ports_descriptor64_t;

typedef struct {
	void				*address;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	unsigned int			pad1 : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			size;
} mach_msg_ool_descriptor_t;

typedef struct {
	void				*address;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			count;
} mach_msg_ool_ports_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t		port;
	mach_msg_ool_descriptor_t		out_of_line;
	mach_msg_ool_ports_descriptor_t		ool_ports;
	mach_msg_type_descriptor_t		type;
	mach_msg_guarded_port_descriptor_t	guarded_port;
} mach_msg_descriptor_t;

/* ---- trailers (prefixes of struct mach_msg_max_trailer) ------------- */

typedef struct mach_msg_security_token	security_token_t;
typedef struct mach_msg_audit_token	audit_token_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
} mach_msg_trailer_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
} mach_msg_seqno_trailer_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
} mach_msg_security_trailer_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
} mach_msg_audit_trailer_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
	mach_port_context_t		msgh_context;
} mach_msg_context_trailer_t;

typedef struct {
	mach_port_name_t		sender;
} msg_labels_t;

typedef int mach_msg_filter_id;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
	mach_port_context_t		msgh_context;
	mach_msg_filter_id		msgh_ad;
	msg_labels_t			msgh_labels;
} mach_msg_mac_trailer_t;

#pragma pack(pop)

typedef mach_msg_mac_trailer_t		mach_msg_max_trailer_t;
typedef mach_msg_security_trailer_t	mach_msg_format_0_trailer_t;

#define MACH_MSG_TRAILER_FORMAT_0_SIZE	sizeof(mach_msg_format_0_trailer_t)
#define MAX_TRAILER_SIZE		((mach_msg_size_t)sizeof(mach_msg_max_trailer_t))

#define KERNEL_SECURITY_TOKEN_VALUE	{ { 0, 1 } }
#define KERNEL_AUDIT_TOKEN_VALUE	{ { 0, 0, 0, 0, 0, 0, 0, 0 } }

#ifdef __cplusplus
extern "C" {
#endif
extern const security_token_t KERNEL_SECURITY_TOKEN;
extern const audit_token_t KERNEL_AUDIT_TOKEN;
#ifdef __cplusplus
}
#endif

/* Size of the trailer the receive options ask for. */
#define REQUESTED_TRAILER_SIZE_NATIVE(y)				\
	((mach_msg_trailer_size_t)					\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_NULL) ?		\
	  sizeof(mach_msg_trailer_t) :					\
	  ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SEQNO) ?		\
	   sizeof(mach_msg_seqno_trailer_t) :				\
	   ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SENDER) ?		\
	    sizeof(mach_msg_security_trailer_t) :			\
	    ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AUDIT) ?		\
	     sizeof(mach_msg_audit_trailer_t) :				\
	     ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_CTX) ?		\
	      sizeof(mach_msg_context_trailer_t) :			\
	      ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AV) ?		\
	       sizeof(mach_msg_mac_trailer_t) :				\
	       sizeof(mach_msg_max_trailer_t))))))))
#define REQUESTED_TRAILER_SIZE(y)	REQUESTED_TRAILER_SIZE_NATIVE(y)

#define round_msg(x) \
	(((mach_msg_size_t)(x) + sizeof(natural_t) - 1) & ~(sizeof(natural_t) - 1))

/* ---- empty messages --------------------------------------------------- */

typedef struct {
	mach_msg_header_t	header;
} mach_msg_empty_send_t;

typedef struct {
	mach_msg_header_t	header;
	mach_msg_trailer_t	trailer;
} mach_msg_empty_rcv_t;

typedef union {
	mach_msg_empty_send_t	send;
	mach_msg_empty_rcv_t	rcv;
} mach_msg_empty_t;

/* ---- calls ------------------------------------------------------------ */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Send and/or receive, retrying interrupted halves as libsyscall does
 * (unless MACH_SEND_INTERRUPT / MACH_RCV_INTERRUPT is given).
 */
extern mach_msg_return_t mach_msg(mach_msg_header_t *msg,
				  mach_msg_option_t option,
				  mach_msg_size_t send_size,
				  mach_msg_size_t rcv_size,
				  mach_port_name_t rcv_name,
				  mach_msg_timeout_t timeout,
				  mach_port_name_t notify);

/*
 * Same, receiving into rcv_msg (rcv_limit bytes) when it is not NULL;
 * rcv_scatter_size is ignored, as in xnu-3248.
 */
extern mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg,
					    mach_msg_option_t option,
					    mach_msg_size_t send_size,
					    mach_msg_size_t rcv_limit,
					    mach_port_name_t rcv_name,
					    mach_msg_timeout_t timeout,
					    mach_port_name_t notify,
					    mach_msg_header_t *rcv_msg,
					    mach_msg_size_t rcv_scatter_size);

#ifdef __cplusplus
}
#endif

/*
 * mach_msg2 (Darwin's LP64 interface, macOS 13+): 64-bit options, message
 * vectors and auxiliary data.  The header fields are passed by value and
 * the buffer's own header is not read (except its descriptor count, by
 * mach_msg2 below, as Darwin's inline does).  With MACH64_MSG_VECTOR,
 * data is a mach_msg_vector_t[] and send_size/rcv_size are vector counts.
 */
typedef uint64_t mach_msg_option64_t;
typedef struct mach_msg_vector mach_msg_vector_t;
typedef struct mach_msg_aux_header mach_msg_aux_header_t;

#define LIBSYSCALL_MSGV_AUX_MAX_SIZE	128

#define MACH64_MSG_OPTION_NONE		0x0ULL
#define MACH64_SEND_MSG			((mach_msg_option64_t)MACH_SEND_MSG)
#define MACH64_RCV_MSG			((mach_msg_option64_t)MACH_RCV_MSG)
#define MACH64_RCV_LARGE		((mach_msg_option64_t)MACH_RCV_LARGE)
#define MACH64_RCV_LARGE_IDENTITY	((mach_msg_option64_t)MACH_RCV_LARGE_IDENTITY)
#define MACH64_SEND_TIMEOUT		((mach_msg_option64_t)MACH_SEND_TIMEOUT)
#define MACH64_SEND_OVERRIDE		((mach_msg_option64_t)MACH_SEND_OVERRIDE)
#define MACH64_SEND_INTERRUPT		((mach_msg_option64_t)MACH_SEND_INTERRUPT)
#define MACH64_SEND_NOTIFY		((mach_msg_option64_t)MACH_SEND_NOTIFY)
#define MACH64_SEND_FILTER_NONFATAL	((mach_msg_option64_t)MACH_SEND_FILTER_NONFATAL)
#define MACH64_SEND_TRAILER		((mach_msg_option64_t)MACH_SEND_TRAILER)
#define MACH64_SEND_NOIMPORTANCE	((mach_msg_option64_t)MACH_SEND_NOIMPORTANCE)
#define MACH64_SEND_NODENAP		MACH64_SEND_NOIMPORTANCE
#define MACH64_SEND_SYNC_OVERRIDE	((mach_msg_option64_t)MACH_SEND_SYNC_OVERRIDE)
#define MACH64_SEND_PROPAGATE_QOS	((mach_msg_option64_t)MACH_SEND_PROPAGATE_QOS)
#define MACH64_SEND_SYNC_BOOTSTRAP_CHECKIN ((mach_msg_option64_t)MACH_SEND_SYNC_BOOTSTRAP_CHECKIN)
#define MACH64_RCV_TIMEOUT		((mach_msg_option64_t)MACH_RCV_TIMEOUT)
#define MACH64_RCV_INTERRUPT		((mach_msg_option64_t)MACH_RCV_INTERRUPT)
#define MACH64_RCV_VOUCHER		((mach_msg_option64_t)MACH_RCV_VOUCHER)
#define MACH64_RCV_GUARDED_DESC		((mach_msg_option64_t)MACH_RCV_GUARDED_DESC)
#define MACH64_RCV_SYNC_WAIT		((mach_msg_option64_t)MACH_RCV_SYNC_WAIT)
#define MACH64_RCV_SYNC_PEEK		((mach_msg_option64_t)MACH_RCV_SYNC_PEEK)
#define MACH64_MSG_STRICT_REPLY		((mach_msg_option64_t)MACH_MSG_STRICT_REPLY)

#ifdef __cplusplus
extern "C" {
#endif
/* The trap's eight arguments, packed as mach_msg2 packs them. */
extern mach_msg_return_t mach_msg2_internal(void *data, mach_msg_option64_t option64,
					    uint64_t msgh_bits_and_send_size,
					    uint64_t msgh_remote_and_local_port,
					    uint64_t msgh_voucher_and_id,
					    uint64_t desc_count_and_rcv_name,
					    uint64_t rcv_size_and_priority,
					    uint64_t timeout);
#ifdef __cplusplus
}
#endif

#define MACH_MSG2_SHIFT_ARGS(lo, hi)	((uint64_t)(hi) << 32 | (uint32_t)(lo))

static inline mach_msg_return_t
mach_msg2(void *data, mach_msg_option64_t option64, mach_msg_header_t header,
	  mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_t rcv_name,
	  uint64_t timeout, uint32_t priority)
{
	mach_msg_base_t *base;
	mach_msg_size_t descriptors;

	if (option64 & MACH64_MSG_VECTOR)
		base = (mach_msg_base_t *)(uintptr_t)((mach_msg_vector_t *)data)->msgv_data;
	else
		base = (mach_msg_base_t *)data;

	if ((option64 & MACH64_SEND_MSG) &&
	    (base->header.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		descriptors = base->body.msgh_descriptor_count;
	else
		descriptors = 0;

	return mach_msg2_internal(data, option64,
				  MACH_MSG2_SHIFT_ARGS(header.msgh_bits, send_size),
				  MACH_MSG2_SHIFT_ARGS(header.msgh_remote_port,
						       header.msgh_local_port),
				  MACH_MSG2_SHIFT_ARGS(header.msgh_voucher_port, header.msgh_id),
				  MACH_MSG2_SHIFT_ARGS(descriptors, rcv_name),
				  MACH_MSG2_SHIFT_ARGS(rcv_size, priority), timeout);
}

#endif /* _MACH_MESSAGE_H_ */
