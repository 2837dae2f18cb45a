/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Mach IPC for Linux: the one definition of the user/kernel ABI of /dev/mach.
 *
 * Two halves live here:
 *  - the Mach wire format (message header, descriptors, trailers) and the
 *    Mach constants (dispositions, options, return codes), with Darwin's
 *    names, values and LP64 layouts so that libmach's <mach/...> headers can
 *    typedef them without redefining anything;
 *  - the ioctl argument structures, with fixed-width fields and explicit
 *    padding so that the layout is the same for every compiler.
 *
 * Every ioctl returns a Mach code (kern_return_t or mach_msg_return_t, always
 * >= 0) on success of the system call itself, or -1 with errno set when the
 * call could not be made at all: EBADFD when the space belongs to another
 * process, EFAULT when the argument block is unreadable, ENOTTY for an
 * unknown command, EINVAL for nonzero reserved fields.
 */
#ifndef _UAPI_LINUX_MACH_H
#define _UAPI_LINUX_MACH_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MACH_DEVICE_NAME	"mach"
#define MACH_ABI_VERSION	1

/* ------------------------------------------------------------------------
 * Names
 */
#define MACH_PORT_NULL		0U
#define MACH_PORT_DEAD		(~0U)
#define MACH_PORT_VALID(name)	((name) != MACH_PORT_NULL && (name) != MACH_PORT_DEAD)

/* A name is (index << 8) | generation; the generation lives in the low byte. */
#define MACH_PORT_INDEX(name)	((name) >> 8)
#define MACH_PORT_GEN(name)	((name) & 0xffU)
#define MACH_PORT_MAKE(index, gen) (((index) << 8) | ((gen) & 0xffU))

/* ------------------------------------------------------------------------
 * kern_return_t values (<mach/kern_return.h>)
 */
#define KERN_SUCCESS			0
#define KERN_INVALID_ADDRESS		1
#define KERN_PROTECTION_FAILURE		2
#define KERN_NO_SPACE			3
#define KERN_INVALID_ARGUMENT		4
#define KERN_FAILURE			5
#define KERN_RESOURCE_SHORTAGE		6
#define KERN_NOT_RECEIVER		7
#define KERN_NO_ACCESS			8
#define KERN_MEMORY_FAILURE		9
#define KERN_MEMORY_ERROR		10
#define KERN_ALREADY_IN_SET		11
#define KERN_NOT_IN_SET			12
#define KERN_NAME_EXISTS		13
#define KERN_ABORTED			14
#define KERN_INVALID_NAME		15
#define KERN_INVALID_TASK		16
#define KERN_INVALID_RIGHT		17
#define KERN_INVALID_VALUE		18
#define KERN_UREFS_OVERFLOW		19
#define KERN_INVALID_CAPABILITY		20
#define KERN_RIGHT_EXISTS		21
#define KERN_INVALID_HOST		22
#define KERN_MEMORY_PRESENT		23
#define KERN_MEMORY_DATA_MOVED		24
#define KERN_MEMORY_RESTART_COPY	25
#define KERN_INVALID_PROCESSOR_SET	26
#define KERN_POLICY_LIMIT		27
#define KERN_INVALID_POLICY		28
#define KERN_INVALID_OBJECT		29
#define KERN_ALREADY_WAITING		30
#define KERN_DEFAULT_SET		31
#define KERN_EXCEPTION_PROTECTED	32
#define KERN_INVALID_LEDGER		33
#define KERN_INVALID_MEMORY_CONTROL	34
#define KERN_INVALID_SECURITY		35
#define KERN_NOT_DEPRESSED		36
#define KERN_TERMINATED			37
#define KERN_LOCK_SET_DESTROYED		38
#define KERN_LOCK_UNSTABLE		39
#define KERN_LOCK_OWNED			40
#define KERN_LOCK_OWNED_SELF		41
#define KERN_SEMAPHORE_DESTROYED	42
#define KERN_RPC_SERVER_TERMINATED	43
#define KERN_RPC_TERMINATE_ORPHAN	44
#define KERN_RPC_CONTINUE_ORPHAN	45
#define KERN_NOT_SUPPORTED		46
#define KERN_NODE_DOWN			47
#define KERN_NOT_WAITING		48
#define KERN_OPERATION_TIMED_OUT	49
#define KERN_CODESIGN_ERROR		50
#define KERN_POLICY_STATIC		51
#define KERN_INSUFFICIENT_BUFFER_SIZE	52
#define KERN_DENIED			53
#define KERN_MISSING_KC			54
#define KERN_INVALID_KC			55
#define KERN_NOT_FOUND			56
#define KERN_RETURN_MAX			0x100

/* ------------------------------------------------------------------------
 * Message header bits (<mach/message.h>)
 */
#define MACH_MSGH_BITS_ZERO		0x00000000U
#define MACH_MSGH_BITS_REMOTE_MASK	0x0000001fU
#define MACH_MSGH_BITS_LOCAL_MASK	0x00001f00U
#define MACH_MSGH_BITS_VOUCHER_MASK	0x001f0000U
#define MACH_MSGH_BITS_PORTS_MASK	0x001f1f1fU
#define MACH_MSGH_BITS_COMPLEX		0x80000000U
#define MACH_MSGH_BITS_USER		0x801f1f1fU
#define MACH_MSGH_BITS_RAISEIMP		0x20000000U
#define MACH_MSGH_BITS_DENAP		MACH_MSGH_BITS_RAISEIMP
#define MACH_MSGH_BITS_IMPHOLDASRT	0x10000000U
#define MACH_MSGH_BITS_DENAPHOLDASRT	MACH_MSGH_BITS_IMPHOLDASRT
#define MACH_MSGH_BITS_CIRCULAR		0x10000000U
#define MACH_MSGH_BITS_USED		0xb01f1f1fU

#define MACH_MSGH_BITS(remote, local)	((remote) | ((local) << 8))
#define MACH_MSGH_BITS_SET_PORTS(remote, local, voucher) \
	(((remote) & MACH_MSGH_BITS_REMOTE_MASK) | \
	 (((local) << 8) & MACH_MSGH_BITS_LOCAL_MASK) | \
	 (((voucher) << 16) & MACH_MSGH_BITS_VOUCHER_MASK))
#define MACH_MSGH_BITS_SET(remote, local, voucher, other) \
	(MACH_MSGH_BITS_SET_PORTS((remote), (local), (voucher)) | \
	 ((other) & ~MACH_MSGH_BITS_PORTS_MASK))
#define MACH_MSGH_BITS_REMOTE(bits)	((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits)	(((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)
#define MACH_MSGH_BITS_VOUCHER(bits)	(((bits) & MACH_MSGH_BITS_VOUCHER_MASK) >> 16)
#define MACH_MSGH_BITS_PORTS(bits)	((bits) & MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_OTHER(bits)	((bits) & ~MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_HAS_REMOTE(bits)	(MACH_MSGH_BITS_REMOTE(bits) != 0)
#define MACH_MSGH_BITS_HAS_LOCAL(bits)	(MACH_MSGH_BITS_LOCAL(bits) != 0)
#define MACH_MSGH_BITS_HAS_VOUCHER(bits) (MACH_MSGH_BITS_VOUCHER(bits) != 0)
#define MACH_MSGH_BITS_IS_COMPLEX(bits)	(((bits) & MACH_MSGH_BITS_COMPLEX) != 0)

/* Port dispositions (mach_msg_type_name_t) */
#define MACH_MSG_TYPE_PORT_NONE		0
#define MACH_MSG_TYPE_PORT_NAME		15
#define MACH_MSG_TYPE_MOVE_RECEIVE	16
#define MACH_MSG_TYPE_MOVE_SEND		17
#define MACH_MSG_TYPE_MOVE_SEND_ONCE	18
#define MACH_MSG_TYPE_COPY_SEND		19
#define MACH_MSG_TYPE_MAKE_SEND		20
#define MACH_MSG_TYPE_MAKE_SEND_ONCE	21
#define MACH_MSG_TYPE_COPY_RECEIVE	22
#define MACH_MSG_TYPE_DISPOSE_RECEIVE	24
#define MACH_MSG_TYPE_DISPOSE_SEND	25
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE	26
#define MACH_MSG_TYPE_PORT_RECEIVE	MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND		MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE	MACH_MSG_TYPE_MOVE_SEND_ONCE
#define MACH_MSG_TYPE_LAST		22
#define MACH_MSG_TYPE_POLYMORPHIC	((unsigned int)-1)

#define MACH_MSG_TYPE_PORT_ANY(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_SEND(x) \
	((x) >= MACH_MSG_TYPE_MOVE_SEND && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MOVE_SEND_ONCE)

/* Descriptor types and copy options */
#define MACH_MSG_PORT_DESCRIPTOR		0
#define MACH_MSG_OOL_DESCRIPTOR			1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR		2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR	3
#define MACH_MSG_GUARDED_PORT_DESCRIPTOR	4

#define MACH_MSG_PHYSICAL_COPY		0
#define MACH_MSG_VIRTUAL_COPY		1
#define MACH_MSG_ALLOCATE		2
#define MACH_MSG_OVERWRITE		3
#define MACH_MSG_KALLOC_COPY_T		4

#define MACH_MSG_GUARD_FLAGS_NONE			0x0000
#define MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE		0x0001
#define MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND		0x0002
#define MACH_MSG_GUARD_FLAGS_MASK			0x0003

/* ------------------------------------------------------------------------
 * Wire format (LP64).  Darwin declares the descriptors under #pragma pack(4);
 * the explicit packed/aligned attributes give the same layout.
 */
struct mach_msg_header {
	__u32 msgh_bits;
	__u32 msgh_size;
	__u32 msgh_remote_port;
	__u32 msgh_local_port;
	__u32 msgh_voucher_port;
	__s32 msgh_id;
};

struct mach_msg_body {
	__u32 msgh_descriptor_count;
};

struct mach_msg_type_descriptor {
	__u32 pad1;
	__u32 pad2;
	unsigned int pad3 : 24;
	unsigned int type : 8;
};

struct mach_msg_port_descriptor {
	__u32 name;
	__u32 pad1;
	unsigned int pad2 : 16;
	unsigned int disposition : 8;
	unsigned int type : 8;
};

struct mach_msg_ool_descriptor {
	__u64 address;
	unsigned int deallocate : 8;
	unsigned int copy : 8;
	unsigned int pad1 : 8;
	unsigned int type : 8;
	__u32 size;
} __attribute__((packed, aligned(4)));

struct mach_msg_ool_ports_descriptor {
	__u64 address;
	unsigned int deallocate : 8;
	unsigned int copy : 8;
	unsigned int disposition : 8;
	unsigned int type : 8;
	__u32 count;
} __attribute__((packed, aligned(4)));

struct mach_msg_guarded_port_descriptor {
	__u64 context;
	unsigned int flags : 16;
	unsigned int disposition : 8;
	unsigned int type : 8;
	__u32 name;
} __attribute__((packed, aligned(4)));

/* Every descriptor is at most this long; type lives in the top byte of word 2. */
#define MACH_MSG_DESCRIPTOR_MAX_SIZE	16
#define MACH_MSG_PORT_DESCRIPTOR_SIZE	12
#define MACH_MSG_OOL_DESCRIPTOR_SIZE	16

/* Trailers */
#define MACH_MSG_TRAILER_FORMAT_0	0
#define MACH_RCV_TRAILER_NULL		0
#define MACH_RCV_TRAILER_SEQNO		1
#define MACH_RCV_TRAILER_SENDER		2
#define MACH_RCV_TRAILER_AUDIT		3
#define MACH_RCV_TRAILER_CTX		4
#define MACH_RCV_TRAILER_AV		7
#define MACH_RCV_TRAILER_LABELS		8

struct mach_msg_security_token {
	__u32 val[2];
};

struct mach_msg_audit_token {
	__u32 val[8];
};

struct mach_msg_max_trailer {
	__u32 msgh_trailer_type;
	__u32 msgh_trailer_size;
	__u32 msgh_seqno;
	struct mach_msg_security_token msgh_sender;
	struct mach_msg_audit_token msgh_audit;
	__u64 msgh_context;
	__s32 msgh_ad;
	__u32 msgh_labels;
} __attribute__((packed, aligned(4)));

#define MACH_MSG_TRAILER_MINIMUM_SIZE	8
#define MACH_MSG_TRAILER_SEQNO_SIZE	12
#define MACH_MSG_TRAILER_SENDER_SIZE	20
#define MACH_MSG_TRAILER_AUDIT_SIZE	52
#define MACH_MSG_TRAILER_CTX_SIZE	60
#define MACH_MSG_TRAILER_MAX_SIZE	68

/* audit_token_t slots, as Darwin's libbsm reads them */
#define MACH_AUDIT_AUID		0
#define MACH_AUDIT_EUID		1
#define MACH_AUDIT_EGID		2
#define MACH_AUDIT_RUID		3
#define MACH_AUDIT_RGID		4
#define MACH_AUDIT_PID		5
#define MACH_AUDIT_ASID		6
#define MACH_AUDIT_PIDVERSION	7

/* ------------------------------------------------------------------------
 * mach_msg options
 */
#define MACH_MSG_OPTION_NONE		0x00000000
#define MACH_SEND_MSG			0x00000001
#define MACH_RCV_MSG			0x00000002
#define MACH_RCV_LARGE			0x00000004
#define MACH_RCV_LARGE_IDENTITY		0x00000008
#define MACH_SEND_TIMEOUT		0x00000010
#define MACH_SEND_OVERRIDE		0x00000020
#define MACH_SEND_INTERRUPT		0x00000040
#define MACH_SEND_NOTIFY		0x00000080
#define MACH_SEND_ALWAYS		0x00010000
#define MACH_SEND_TRAILER		0x00020000
#define MACH_SEND_NOIMPORTANCE		0x00040000
#define MACH_SEND_NODENAP		MACH_SEND_NOIMPORTANCE
#define MACH_SEND_IMPORTANCE		0x00080000
#define MACH_SEND_SYNC_OVERRIDE		0x00100000
#define MACH_SEND_PROPAGATE_QOS		0x00200000
#define MACH_SEND_SYNC_USE_THRPRI	MACH_SEND_PROPAGATE_QOS
#define MACH_SEND_KERNEL		0x00400000
#define MACH_SEND_SYNC_BOOTSTRAP_CHECKIN 0x00800000
#define MACH_RCV_TIMEOUT		0x00000100
#define MACH_RCV_NOTIFY			0x00000000	/* legacy name, was 0x200 and ignored */
#define MACH_RCV_INTERRUPT		0x00000400
#define MACH_RCV_VOUCHER		0x00000800
#define MACH_RCV_OVERWRITE		0x00000000	/* scatter receive, deprecated */
#define MACH_RCV_GUARDED_DESC		0x00001000
#define MACH_RCV_SYNC_WAIT		0x00004000
#define MACH_RCV_SYNC_PEEK		0x00008000
#define MACH_RCV_STRICT_REPLY		0x00000200

#define MACH_RCV_TRAILER_TYPE(x)	(((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x)	(((x) & 0xf) << 24)
#define MACH_RCV_TRAILER_MASK		((0xf << 24))
#define GET_RCV_ELEMENTS(y)		(((y) >> 24) & 0xf)

/* What the kernel looks at; everything else is ignored (xnu-3248). */
#define MACH_MSG_OPTION_USER \
	(MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY | \
	 MACH_SEND_TRAILER | MACH_SEND_NOIMPORTANCE | \
	 MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE | \
	 MACH_RCV_LARGE_IDENTITY | MACH_RCV_VOUCHER | MACH_RCV_GUARDED_DESC | \
	 MACH_RCV_TRAILER_MASK)

#define MACH_MSG_TIMEOUT_NONE		0U

/* ------------------------------------------------------------------------
 * mach_msg return codes
 */
#define MACH_MSG_SUCCESS		0x00000000
#define MACH_MSG_MASK			0x00003e00
#define MACH_MSG_IPC_SPACE		0x00002000
#define MACH_MSG_VM_SPACE		0x00001000
#define MACH_MSG_IPC_KERNEL		0x00000800
#define MACH_MSG_VM_KERNEL		0x00000400

#define MACH_SEND_IN_PROGRESS		0x10000001
#define MACH_SEND_INVALID_DATA		0x10000002
#define MACH_SEND_INVALID_DEST		0x10000003
#define MACH_SEND_TIMED_OUT		0x10000004
#define MACH_SEND_INVALID_VOUCHER	0x10000005
#define MACH_SEND_INTERRUPTED		0x10000007
#define MACH_SEND_MSG_TOO_SMALL		0x10000008
#define MACH_SEND_INVALID_REPLY		0x10000009
#define MACH_SEND_INVALID_RIGHT		0x1000000a
#define MACH_SEND_INVALID_NOTIFY	0x1000000b
#define MACH_SEND_INVALID_MEMORY	0x1000000c
#define MACH_SEND_NO_BUFFER		0x1000000d
#define MACH_SEND_TOO_LARGE		0x1000000e
#define MACH_SEND_INVALID_TYPE		0x1000000f
#define MACH_SEND_INVALID_HEADER	0x10000010
#define MACH_SEND_INVALID_TRAILER	0x10000011
#define MACH_SEND_INVALID_CONTEXT	0x10000012
#define MACH_SEND_INVALID_OPTIONS	0x10000013
#define MACH_SEND_INVALID_RT_OOL_SIZE	0x10000015
#define MACH_SEND_NO_GRANT_DEST		0x10000016
#define MACH_SEND_MSG_FILTERED		0x10000017

#define MACH_RCV_IN_PROGRESS		0x10004001
#define MACH_RCV_INVALID_NAME		0x10004002
#define MACH_RCV_TIMED_OUT		0x10004003
#define MACH_RCV_TOO_LARGE		0x10004004
#define MACH_RCV_INTERRUPTED		0x10004005
#define MACH_RCV_PORT_CHANGED		0x10004006
#define MACH_RCV_INVALID_NOTIFY		0x10004007
#define MACH_RCV_INVALID_DATA		0x10004008
#define MACH_RCV_PORT_DIED		0x10004009
#define MACH_RCV_IN_SET			0x1000400a
#define MACH_RCV_HEADER_ERROR		0x1000400b
#define MACH_RCV_BODY_ERROR		0x1000400c
#define MACH_RCV_INVALID_TYPE		0x1000400d
#define MACH_RCV_SCATTER_SMALL		0x1000400e
#define MACH_RCV_INVALID_TRAILER	0x1000400f
#define MACH_RCV_IN_PROGRESS_TIMED	0x10004011
#define MACH_RCV_INVALID_REPLY		0x10004012
#define MACH_RCV_INVALID_ARGUMENTS	0x10004013

/* ------------------------------------------------------------------------
 * Ports (<mach/port.h>)
 */
#define MACH_PORT_RIGHT_SEND		0
#define MACH_PORT_RIGHT_RECEIVE		1
#define MACH_PORT_RIGHT_SEND_ONCE	2
#define MACH_PORT_RIGHT_PORT_SET	3
#define MACH_PORT_RIGHT_DEAD_NAME	4
#define MACH_PORT_RIGHT_LABELH		5
#define MACH_PORT_RIGHT_NUMBER		6

#define MACH_PORT_TYPE(right)		(1U << ((right) + 16))
#define MACH_PORT_TYPE_NONE		0U
#define MACH_PORT_TYPE_SEND		MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE		MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE	MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET		MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME	MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_LABELH		MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH)
#define MACH_PORT_TYPE_SEND_RECEIVE	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS	(MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD	(MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS	(MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)
#define MACH_PORT_TYPE_DNREQUEST	0x80000000U
#define MACH_PORT_TYPE_SPREQUEST	0x40000000U
#define MACH_PORT_TYPE_SPREQUEST_DELAYED 0x20000000U

#define MACH_PORT_SRIGHTS_NONE		0
#define MACH_PORT_SRIGHTS_PRESENT	1

#define MACH_PORT_UREFS_MAX		((__u32)((1 << 16) - 1))
#define MACH_PORT_UREFS_OVERFLOW(urefs, delta) \
	(((delta) > 0) && \
	 ((((urefs) + (delta)) <= (urefs)) || \
	  (((urefs) + (delta)) >= MACH_PORT_UREFS_MAX)))
#define MACH_PORT_UREFS_UNDERFLOW(urefs, delta) \
	(((delta) < 0) && (((__u32)-(delta)) > (urefs)))

#define MACH_PORT_QLIMIT_ZERO		0
#define MACH_PORT_QLIMIT_BASIC		5
#define MACH_PORT_QLIMIT_SMALL		16
#define MACH_PORT_QLIMIT_LARGE		1024
#define MACH_PORT_QLIMIT_KERNEL		65534
#define MACH_PORT_QLIMIT_MIN		MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT	MACH_PORT_QLIMIT_BASIC
#define MACH_PORT_QLIMIT_MAX		MACH_PORT_QLIMIT_LARGE

/* Attribute flavors */
#define MACH_PORT_LIMITS_INFO		1
#define MACH_PORT_RECEIVE_STATUS	2
#define MACH_PORT_DNREQUESTS_SIZE	3
#define MACH_PORT_TEMPOWNER		4
#define MACH_PORT_IMPORTANCE_RECEIVER	5
#define MACH_PORT_DENAP_RECEIVER	6
#define MACH_PORT_INFO_EXT		7
#define MACH_PORT_GUARD_INFO		8

#define MACH_PORT_LIMITS_INFO_COUNT	1
#define MACH_PORT_RECEIVE_STATUS_COUNT	10
#define MACH_PORT_DNREQUESTS_SIZE_COUNT	1
#define MACH_PORT_INFO_EXT_COUNT	17
#define MACH_PORT_GUARD_INFO_COUNT	2
#define MACH_PORT_INFO_MAX_COUNT	17

#define MACH_PORT_STATUS_FLAG_TEMPOWNER			0x01
#define MACH_PORT_STATUS_FLAG_GUARDED			0x02
#define MACH_PORT_STATUS_FLAG_STRICT_GUARD		0x04
#define MACH_PORT_STATUS_FLAG_IMP_DONATION		0x08
#define MACH_PORT_STATUS_FLAG_REVIVE			0x10
#define MACH_PORT_STATUS_FLAG_TASKPTR			0x20
#define MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE	0x40
#define MACH_PORT_STATUS_FLAG_NO_GRANT			0x80

struct mach_port_status {
	__u32 mps_pset;
	__u32 mps_seqno;
	__u32 mps_mscount;
	__u32 mps_qlimit;
	__u32 mps_msgcount;
	__u32 mps_sorights;
	__u32 mps_srights;
	__u32 mps_pdrequest;
	__u32 mps_nsrequest;
	__u32 mps_flags;
};

struct mach_port_limits {
	__u32 mpl_qlimit;
};

struct mach_port_info_ext {
	struct mach_port_status mpie_status;
	__u32 mpie_boost_cnt;
	__u32 reserved[6];
};

/* mach_port_construct options */
#define MPO_CONTEXT_AS_GUARD		0x01
#define MPO_QLIMIT			0x02
#define MPO_TEMPOWNER			0x04
#define MPO_IMPORTANCE_RECEIVER		0x08
#define MPO_INSERT_SEND_RIGHT		0x10
#define MPO_STRICT			0x20
#define MPO_DENAP_RECEIVER		0x40
#define MPO_IMMOVABLE_RECEIVE		0x80
#define MPO_FILTER_MSG			0x100
#define MPO_TG_BLOCK_TRACKING		0x200
#define MPO_SERVICE_PORT		0x400
#define MPO_CONNECTION_PORT		0x800
#define MPO_REPLY_PORT			0x1000
#define MPO_ENFORCE_REPLY_PORT_SEMANTICS 0x2000
#define MPO_PROVISIONAL_REPLY_PORT	0x4000
#define MPO_EXCEPTION_PORT		0x8000

/* Notifications (<mach/notify.h>) */
#define MACH_NOTIFY_FIRST		0100
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_SEND_POSSIBLE	(MACH_NOTIFY_FIRST + 002)
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005)
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006)
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007)
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

/* Task special ports (<mach/task_special_ports.h>) */
#define TASK_KERNEL_PORT		1
#define TASK_HOST_PORT			2
#define TASK_NAME_PORT			3
#define TASK_BOOTSTRAP_PORT		4
#define TASK_INSPECT_PORT		5
#define TASK_READ_PORT			6
#define TASK_SEATBELT_PORT		7
#define TASK_ACCESS_PORT		9
#define TASK_DEBUG_CONTROL_PORT		10
#define TASK_RESOURCE_NOTIFY_PORT	11
#define TASK_MAX_SPECIAL_PORT		TASK_RESOURCE_NOTIFY_PORT

#define TASK_PORT_REGISTER_MAX		3

/* ------------------------------------------------------------------------
 * Virtual memory: Darwin's <mach/vm_prot.h>, <mach/vm_inherit.h>,
 * <mach/vm_statistics.h> (the VM_FLAGS_*) and <mach/memory_object_types.h>
 * (the MAP_MEM_* of mach_make_memory_entry) values.
 */
#define VM_PROT_NONE			0x00
#define VM_PROT_READ			0x01
#define VM_PROT_WRITE			0x02
#define VM_PROT_EXECUTE			0x04
#define VM_PROT_DEFAULT			(VM_PROT_READ | VM_PROT_WRITE)
#define VM_PROT_ALL			(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)
#define VM_PROT_NO_CHANGE		0x08
#define VM_PROT_COPY			0x10
#define VM_PROT_WANTS_COPY		0x10
#define VM_PROT_IS_MASK			0x40
#define VM_PROT_STRIP_READ		0x80
#define VM_PROT_EXECUTE_ONLY		(VM_PROT_EXECUTE | VM_PROT_STRIP_READ)

#define VM_INHERIT_SHARE		0
#define VM_INHERIT_COPY			1
#define VM_INHERIT_NONE			2
#define VM_INHERIT_DONATE_COPY		3
#define VM_INHERIT_DEFAULT		VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID		VM_INHERIT_NONE

#define VM_FLAGS_FIXED			0x00000000
#define VM_FLAGS_ANYWHERE		0x00000001
#define VM_FLAGS_PURGABLE		0x00000002
#define VM_FLAGS_4GB_CHUNK		0x00000004
#define VM_FLAGS_RANDOM_ADDR		0x00000008
#define VM_FLAGS_NO_CACHE		0x00000010
#define VM_FLAGS_RESILIENT_CODESIGN	0x00000020
#define VM_FLAGS_RESILIENT_MEDIA	0x00000040
#define VM_FLAGS_PERMANENT		0x00000080
#define VM_FLAGS_TPRO			0x00001000
#define VM_FLAGS_OVERWRITE		0x00004000
#define VM_FLAGS_SUPERPAGE_MASK		0x00070000
#define VM_FLAGS_RETURN_DATA_ADDR	0x00100000
#define VM_FLAGS_RETURN_4K_DATA_ADDR	0x00800000
#define VM_FLAGS_ALIAS_MASK		0xFF000000

/* <mach/vm_behavior.h>: what mach_vm_region reports and mach_vm_behavior_set takes */
#define VM_BEHAVIOR_DEFAULT		0
#define VM_BEHAVIOR_RANDOM		1
#define VM_BEHAVIOR_SEQUENTIAL		2
#define VM_BEHAVIOR_RSEQNTL		3
#define VM_BEHAVIOR_WILLNEED		4
#define VM_BEHAVIOR_DONTNEED		5
#define VM_BEHAVIOR_FREE		6
#define VM_BEHAVIOR_ZERO_WIRED_PAGES	7
#define VM_BEHAVIOR_REUSABLE		8
#define VM_BEHAVIOR_REUSE		9
#define VM_BEHAVIOR_CAN_REUSE		10
#define VM_BEHAVIOR_PAGEOUT		11
#define VM_BEHAVIOR_ZERO		12
#define VM_BEHAVIOR_LAST_VALID		VM_BEHAVIOR_ZERO

#define MAP_MEM_NOOP			0
#define MAP_MEM_COPYBACK		1
#define MAP_MEM_IO			2
#define MAP_MEM_WTHRU			3
#define MAP_MEM_WCOMB			4
#define MAP_MEM_INNERWBACK		5
#define MAP_MEM_POSTED			6
#define MAP_MEM_RT			7
#define MAP_MEM_POSTED_REORDERED	8
#define MAP_MEM_POSTED_COMBINED_REORDERED 9
#define GET_MAP_MEM(flags)		((((unsigned int)(flags)) >> 24) & 0xFF)
#define SET_MAP_MEM(caching, flags) \
	((flags) = ((((unsigned int)(caching)) << 24) & 0xFF000000) | ((flags) & 0xFFFFFF))

#define MAP_MEM_LEDGER_TAGGED		0x002000
#define MAP_MEM_PURGABLE_KERNEL_ONLY	0x004000
#define MAP_MEM_GRAB_SECLUDED		0x008000
#define MAP_MEM_ONLY			0x010000
#define MAP_MEM_NAMED_CREATE		0x020000
#define MAP_MEM_PURGABLE		0x040000
#define MAP_MEM_NAMED_REUSE		0x080000
#define MAP_MEM_USE_DATA_ADDR		0x100000
#define MAP_MEM_VM_COPY			0x200000
#define MAP_MEM_VM_SHARE		0x400000
#define MAP_MEM_4K_DATA_ADDR		0x800000
#define MAP_MEM_FLAGS_MASK		0x00FFFF00
#define MAP_MEM_FLAGS_USER \
	(MAP_MEM_PURGABLE_KERNEL_ONLY | MAP_MEM_GRAB_SECLUDED | MAP_MEM_ONLY | \
	 MAP_MEM_NAMED_CREATE | MAP_MEM_PURGABLE | MAP_MEM_NAMED_REUSE | \
	 MAP_MEM_USE_DATA_ADDR | MAP_MEM_VM_COPY | MAP_MEM_VM_SHARE | \
	 MAP_MEM_LEDGER_TAGGED | MAP_MEM_4K_DATA_ADDR)

/* ------------------------------------------------------------------------
 * ioctls.  Each argument block is a multiple of 8 bytes with no implicit
 * padding; reserved fields must be zero.
 *
 * Every mach_port_* style call names its target space by a task port name
 * in the caller's space: its own (what mach_task_self() returns) or another
 * task's (from task_for_pid or a message).  A name that is no send right
 * to a task port gives KERN_INVALID_TASK (MACH_PORT_NULL included); a task
 * port whose task is gone, MACH_SEND_INVALID_DEST.  The memory-entry,
 * vm_map, port-fd and set-bootstrap calls accept only the caller's own.
 */
#define MACH_IOC_MAGIC			0xB8

struct mach_ioc_version {
	__u32 abi_version;	/* out: MACH_ABI_VERSION */
	__u32 max_msg_size;	/* out: largest inline message accepted */
	__u64 features;		/* out: MACH_FEATURE_* */
};

#define MACH_FEATURE_PORT_SETS		(1ULL << 0)
#define MACH_FEATURE_NOTIFICATIONS	(1ULL << 1)
#define MACH_FEATURE_OOL		(1ULL << 2)
#define MACH_FEATURE_URING_CMD		(1ULL << 3)
#define MACH_FEATURE_POLL		(1ULL << 4)
#define MACH_FEATURE_MEMORY_ENTRY	(1ULL << 5)	/* memory entries, mach_vm_map */
#define MACH_FEATURE_FILEPORT		(1ULL << 6)

/* mach_msg_overwrite_trap's arguments; the ioctl returns the mach_msg_return_t. */
struct mach_ioc_msg {
	__u64 msg;		/* send buffer; also the receive buffer when rcv_msg == 0 */
	__u64 rcv_msg;		/* receive buffer or 0 */
	__u32 option;
	__u32 send_size;
	__u32 rcv_size;
	__u32 rcv_name;
	__u32 timeout;		/* milliseconds */
	__u32 notify;		/* ignored, as in xnu-3248 */
};

/* allocate, allocate_name, deallocate, destroy, type, get_srights, set_mscount, set_seqno */
struct mach_ioc_port {
	__u32 task;
	__u32 name;		/* in, or out for allocate */
	__u32 right;		/* in: MACH_PORT_RIGHT_* (allocate) */
	__u32 value;		/* out: type / srights; in: mscount / seqno */
};

/* mod_refs, get_refs */
struct mach_ioc_port_refs {
	__u32 task;
	__u32 name;
	__u32 right;
	__s32 delta;		/* in: mod_refs delta; out: get_refs urefs */
};

/* get_context, set_context */
struct mach_ioc_port_context {
	__u32 task;
	__u32 name;
	__u64 context;
};

/* names: fills up to count entries; count is always set to the total */
struct mach_ioc_port_names {
	__u32 task;
	__u32 count;		/* in: capacity of both arrays; out: number of names */
	__u64 names;		/* __u32 array */
	__u64 types;		/* __u32 array */
};

/* insert_right (name, port = poly, disposition = poly_type), extract_right */
struct mach_ioc_port_right {
	__u32 task;
	__u32 name;
	__u32 poly;		/* insert: the caller's name for the port; extract: out name */
	__u32 poly_type;	/* in: disposition (16..21); extract: out type */
};

/* get_attributes, set_attributes */
struct mach_ioc_port_attr {
	__u32 task;
	__u32 name;
	__u32 flavor;
	__u32 count;		/* in: words available/provided; out: words written */
	__s32 info[MACH_PORT_INFO_MAX_COUNT];
	__u32 reserved;
};

/* construct, destruct */
struct mach_ioc_port_construct {
	__u32 task;
	__u32 name;		/* out for construct, in for destruct */
	__u32 flags;		/* MPO_* */
	__u32 qlimit;		/* mpl.mpl_qlimit, with MPO_QLIMIT */
	__u64 context;		/* construct: context or guard; destruct: guard */
	__s32 srdelta;		/* destruct */
	__u32 reserved;
};

/* peek */
struct mach_ioc_port_peek {
	__u32 task;
	__u32 name;
	__u32 trailer_type;	/* MACH_RCV_TRAILER_TYPE|ELEMENTS bits */
	__u32 seqno;		/* in: wanted seqno; out: seqno of the peeked message */
	__u32 size;		/* out */
	__s32 id;		/* out */
	__u32 trailer_count;	/* in: bytes available in trailer; out: bytes written */
	__u32 reserved;
	__u8 trailer[MACH_MSG_TRAILER_MAX_SIZE];
	__u32 reserved2;
};

/* task_self, thread_self, reply_port: out name */
struct mach_ioc_name {
	__u32 name;
	__u32 reserved;
};

/* task_get_special_port, task_set_special_port */
struct mach_ioc_special_port {
	__u32 task;
	__u32 which;
	__u32 port;		/* out for get, in for set */
	__u32 reserved;
};

/* mach_ports_register, mach_ports_lookup */
struct mach_ioc_ports_register {
	__u32 task;
	__u32 count;
	__u32 ports[TASK_PORT_REGISTER_MAX];
	__u32 reserved;
};

/* move_member (name, pset = after or MACH_PORT_NULL), insert_member, extract_member */
struct mach_ioc_port_member {
	__u32 task;
	__u32 name;
	__u32 pset;
	__u32 reserved;
};

/* get_set_status: fills up to count names; count is always set to the total */
struct mach_ioc_port_set_status {
	__u32 task;
	__u32 name;
	__u64 members;		/* __u32 array */
	__u32 count;		/* in: capacity; out: number of members */
	__u32 reserved;
};

/* request_notification */
struct mach_ioc_port_notify {
	__u32 task;
	__u32 name;
	__s32 msgid;		/* MACH_NOTIFY_* */
	__u32 sync;
	__u32 notify;		/* the caller's name for the notify port, or NULL to cancel */
	__u32 notify_type;	/* disposition: MAKE_SEND_ONCE or MOVE_SEND_ONCE */
	__u32 previous;		/* out: the previous request's send-once right, or NULL */
	__u32 reserved;
};

/*
 * The IPC namespace's bootstrap port: every space opened afterwards in the
 * namespace starts with a send right to it as TASK_BOOTSTRAP_PORT.  Setting
 * it (port = a send or receive right of the caller; MACH_PORT_NULL clears)
 * needs CAP_SYS_ADMIN over the IPC namespace, else -EPERM.  Once the port
 * dies, new spaces get none.
 */
struct mach_ioc_bootstrap {
	__u32 task;
	__u32 port;
};

/*
 * A pollable file descriptor (O_CLOEXEC) for a receive right or port set of
 * the caller: poll/epoll report EPOLLIN while a message is queued (on any
 * member, for a set) and EPOLLHUP|EPOLLERR once the port or set is gone or
 * the receive right has left the space.  The descriptor grants nothing:
 * messages are still received with mach_msg on the name.  Returns the fd
 * (>= 0) or a negative errno; bad names give -EINVAL (not a receive right or
 * set) or -ENOENT (no such name).
 */
struct mach_ioc_port_fd {
	__u32 task;
	__u32 name;
};

/*
 * mach_make_memory_entry_64: a send right (handle) to a new memory entry.
 * With MAP_MEM_NAMED_CREATE in permission, new zero-filled shared memory of
 * the pages covering [offset, offset + size); otherwise the caller's range
 * [offset, offset + size), or a part of parent's entry at offset.  size
 * comes back page-rounded.
 */
struct mach_ioc_mem_entry {
	__u32 task;		/* in: the caller's task port */
	__u32 permission;	/* in: VM_PROT_* | MAP_MEM_* */
	__u64 size;		/* in/out */
	__u64 offset;		/* in */
	__u32 parent;		/* in: a memory entry send right, or MACH_PORT_NULL */
	__u32 handle;		/* out: the new entry's send right */
};

/*
 * mach_vm_map: map a memory entry (object) or, with MACH_PORT_NULL,
 * zero-filled memory, into the caller.  address is in/out; flags are
 * VM_FLAGS_*.  VM_INHERIT_SHARE makes even a private (copy or zero-fill)
 * mapping shared with a forked child; VM_INHERIT_NONE is applied by the
 * library (madvise MADV_DONTFORK).
 */
struct mach_ioc_vm_map {
	__u32 task;
	__u32 flags;		/* VM_FLAGS_* */
	__u64 address;		/* in/out */
	__u64 size;
	__u64 mask;
	__u64 offset;		/* into the entry */
	__u32 object;		/* memory entry send right, or MACH_PORT_NULL */
	__u32 copy;		/* boolean */
	__u32 cur_protection;
	__u32 max_protection;
	__u32 inheritance;	/* VM_INHERIT_* */
	__u32 reserved;
};

/*
 * fileport_makeport (fd in, port out) and fileport_makefd (port in, fd
 * out: a new O_CLOEXEC descriptor of the caller).  BSD calls on Darwin:
 * the ioctl returns 0 or fails with Darwin's errno (EBADF: no such fd;
 * EINVAL: a /dev/mach fd, or not a fileport send right; EMFILE).
 */
struct mach_ioc_fileport {
	__s32 fd;
	__u32 port;
};

/*
 * A process that inherited (fork) or was passed (SCM_RIGHTS) a /dev/mach fd
 * of another process may make only this call on it: it returns a new fd
 * (O_CLOEXEC) for a fresh space owned by the caller, holding send rights to
 * the special and registered ports of the original space.
 */
#define MACH_IOC_VERSION		_IOR(MACH_IOC_MAGIC, 0x00, struct mach_ioc_version)
#define MACH_IOC_MSG			_IOW(MACH_IOC_MAGIC, 0x01, struct mach_ioc_msg)
#define MACH_IOC_FORK_SPACE		_IO(MACH_IOC_MAGIC, 0x02)
#define MACH_IOC_TASK_SELF		_IOR(MACH_IOC_MAGIC, 0x03, struct mach_ioc_name)
#define MACH_IOC_THREAD_SELF		_IOR(MACH_IOC_MAGIC, 0x04, struct mach_ioc_name)
#define MACH_IOC_REPLY_PORT		_IOR(MACH_IOC_MAGIC, 0x05, struct mach_ioc_name)

#define MACH_IOC_PORT_ALLOCATE		_IOWR(MACH_IOC_MAGIC, 0x10, struct mach_ioc_port)
#define MACH_IOC_PORT_ALLOCATE_NAME	_IOW(MACH_IOC_MAGIC, 0x11, struct mach_ioc_port)
#define MACH_IOC_PORT_DEALLOCATE	_IOW(MACH_IOC_MAGIC, 0x12, struct mach_ioc_port)
#define MACH_IOC_PORT_DESTROY		_IOW(MACH_IOC_MAGIC, 0x13, struct mach_ioc_port)
#define MACH_IOC_PORT_TYPE		_IOWR(MACH_IOC_MAGIC, 0x14, struct mach_ioc_port)
#define MACH_IOC_PORT_GET_SRIGHTS	_IOWR(MACH_IOC_MAGIC, 0x15, struct mach_ioc_port)
#define MACH_IOC_PORT_SET_MSCOUNT	_IOW(MACH_IOC_MAGIC, 0x16, struct mach_ioc_port)
#define MACH_IOC_PORT_SET_SEQNO		_IOW(MACH_IOC_MAGIC, 0x17, struct mach_ioc_port)
#define MACH_IOC_PORT_MOD_REFS		_IOW(MACH_IOC_MAGIC, 0x18, struct mach_ioc_port_refs)
#define MACH_IOC_PORT_GET_REFS		_IOWR(MACH_IOC_MAGIC, 0x19, struct mach_ioc_port_refs)
#define MACH_IOC_PORT_GET_CONTEXT	_IOWR(MACH_IOC_MAGIC, 0x1a, struct mach_ioc_port_context)
#define MACH_IOC_PORT_SET_CONTEXT	_IOW(MACH_IOC_MAGIC, 0x1b, struct mach_ioc_port_context)
#define MACH_IOC_PORT_NAMES		_IOWR(MACH_IOC_MAGIC, 0x1c, struct mach_ioc_port_names)
#define MACH_IOC_PORT_INSERT_RIGHT	_IOW(MACH_IOC_MAGIC, 0x1d, struct mach_ioc_port_right)
#define MACH_IOC_PORT_EXTRACT_RIGHT	_IOWR(MACH_IOC_MAGIC, 0x1e, struct mach_ioc_port_right)
#define MACH_IOC_PORT_GET_ATTRIBUTES	_IOWR(MACH_IOC_MAGIC, 0x1f, struct mach_ioc_port_attr)
#define MACH_IOC_PORT_SET_ATTRIBUTES	_IOW(MACH_IOC_MAGIC, 0x20, struct mach_ioc_port_attr)
#define MACH_IOC_PORT_CONSTRUCT		_IOWR(MACH_IOC_MAGIC, 0x21, struct mach_ioc_port_construct)
#define MACH_IOC_PORT_DESTRUCT		_IOW(MACH_IOC_MAGIC, 0x22, struct mach_ioc_port_construct)
#define MACH_IOC_PORT_PEEK		_IOWR(MACH_IOC_MAGIC, 0x23, struct mach_ioc_port_peek)
#define MACH_IOC_PORT_MOVE_MEMBER	_IOW(MACH_IOC_MAGIC, 0x24, struct mach_ioc_port_member)
#define MACH_IOC_PORT_INSERT_MEMBER	_IOW(MACH_IOC_MAGIC, 0x25, struct mach_ioc_port_member)
#define MACH_IOC_PORT_EXTRACT_MEMBER	_IOW(MACH_IOC_MAGIC, 0x26, struct mach_ioc_port_member)
#define MACH_IOC_PORT_GET_SET_STATUS	_IOWR(MACH_IOC_MAGIC, 0x27, struct mach_ioc_port_set_status)
#define MACH_IOC_PORT_REQUEST_NOTIFICATION _IOWR(MACH_IOC_MAGIC, 0x28, struct mach_ioc_port_notify)

#define MACH_IOC_GET_SPECIAL_PORT	_IOWR(MACH_IOC_MAGIC, 0x30, struct mach_ioc_special_port)
#define MACH_IOC_SET_SPECIAL_PORT	_IOW(MACH_IOC_MAGIC, 0x31, struct mach_ioc_special_port)
#define MACH_IOC_PORTS_REGISTER		_IOW(MACH_IOC_MAGIC, 0x32, struct mach_ioc_ports_register)
#define MACH_IOC_PORTS_LOOKUP		_IOWR(MACH_IOC_MAGIC, 0x33, struct mach_ioc_ports_register)
#define MACH_IOC_SET_BOOTSTRAP		_IOW(MACH_IOC_MAGIC, 0x34, struct mach_ioc_bootstrap)
#define MACH_IOC_PORT_FD		_IOW(MACH_IOC_MAGIC, 0x40, struct mach_ioc_port_fd)
#define MACH_IOC_MEM_ENTRY_MAKE		_IOWR(MACH_IOC_MAGIC, 0x80, struct mach_ioc_mem_entry)
#define MACH_IOC_VM_MAP			_IOWR(MACH_IOC_MAGIC, 0x81, struct mach_ioc_vm_map)
#define MACH_IOC_FILEPORT_MAKEPORT	_IOWR(MACH_IOC_MAGIC, 0x82, struct mach_ioc_fileport)
#define MACH_IOC_FILEPORT_MAKEFD	_IOWR(MACH_IOC_MAGIC, 0x83, struct mach_ioc_fileport)

/*
 * mach_vm_region: the region (Linux VMA) of task containing address, or
 * the first one above it; KERN_INVALID_ADDRESS when there is none.  The
 * maximum protection is the VMA's VM_MAY* bits; inheritance is NONE for
 * MADV_DONTFORK, SHARE for MAP_SHARED, else COPY.  Read under the target's
 * mmap lock; with task another process's task port, that process's map.
 */
struct mach_ioc_vm_region {
	__u32 task;
	__u32 flags;		/* out: MACH_VM_REGION_* */
	__u64 address;		/* in/out: start of the region found */
	__u64 size;		/* out */
	__u64 offset;		/* out: file offset of the start (0: anonymous) */
	__u64 object_id;	/* out: inode number of the file, 0 for anonymous memory */
	__u32 protection;	/* out: VM_PROT_* */
	__u32 max_protection;	/* out: VM_PROT_* */
	__u32 inheritance;	/* out: VM_INHERIT_* */
	__u32 behavior;		/* out: VM_BEHAVIOR_* (madvise RANDOM/SEQUENTIAL) */
	__u32 wired;		/* out: 1 when mlocked */
	__u32 reserved;
};

#define MACH_VM_REGION_SHARED		0x1	/* MAP_SHARED (VM_MAYSHARE) */
#define MACH_VM_REGION_FILE		0x2	/* backed by a file (shmem included) */
#define MACH_VM_REGION_STACK		0x4	/* grows down */

/*
 * mach_vm_read_overwrite / mach_vm_write on a task: copy size bytes between
 * [address, address + size) of task and buffer in the caller, through the
 * kernel's remote-access path (access_process_vm).  The whole range of
 * task is checked first: KERN_INVALID_ADDRESS for a hole, or
 * KERN_PROTECTION_FAILURE when it is not readable (write = 0) or writable
 * (write = 1), before a byte moves.  -EFAULT for a bad buffer.
 */
struct mach_ioc_vm_rw {
	__u32 task;
	__u32 write;		/* 0: task -> buffer; 1: buffer -> task */
	__u64 address;		/* in task */
	__u64 buffer;		/* in the caller */
	__u64 size;
};

#define MACH_IOC_VM_REGION		_IOWR(MACH_IOC_MAGIC, 0x84, struct mach_ioc_vm_region)
#define MACH_IOC_VM_RW			_IOW(MACH_IOC_MAGIC, 0x85, struct mach_ioc_vm_rw)

/*
 * Mach timers (<mach/mk_timer.h>), on the caller's own space.  create:
 * name out (MACH_PORT_NULL on failure).  destroy: name in.  arm: name,
 * flags (MK_TIMER_NORMAL/CRITICAL), expire_time (absolute CLOCK_MONOTONIC
 * ns, mach_absolute_time's clock), leeway (ns).  cancel: name, result_time
 * the user address of a __u64 that receives the armed deadline (0 if
 * none), or 0.
 */
#define MK_TIMER_NORMAL		0
#define MK_TIMER_CRITICAL	1

struct mach_ioc_mk_timer {
	__u32 name;
	__u32 reserved;
	__u64 flags;
	__u64 expire_time;
	__u64 leeway;
	__u64 result_time;
};

#define MACH_IOC_MK_TIMER_CREATE	_IOR(MACH_IOC_MAGIC, 0x50, struct mach_ioc_name)
#define MACH_IOC_MK_TIMER_DESTROY	_IOW(MACH_IOC_MAGIC, 0x51, struct mach_ioc_name)
#define MACH_IOC_MK_TIMER_ARM		_IOW(MACH_IOC_MAGIC, 0x52, struct mach_ioc_mk_timer)
#define MACH_IOC_MK_TIMER_CANCEL	_IOW(MACH_IOC_MAGIC, 0x53, struct mach_ioc_mk_timer)

/*
 * Mach semaphores (<mach/semaphore.h>).  create: task, policy
 * (SYNC_POLICY_*), value; name out (a send right).  destroy: task, name
 * (its send right is consumed).  signal, signal_all: name.  signal_thread:
 * name, signal = a thread port of the caller or MACH_PORT_NULL.  wait:
 * name; with MACH_SEMA_SIGNAL, signal is the semaphore to signal once the
 * wait is registered; with MACH_SEMA_TIMED, sec/nsec bound the wait ({0, 0}
 * does not block).
 */
#define SYNC_POLICY_FIFO		0x0
#define SYNC_POLICY_FIXED_PRIORITY	0x1
#define SYNC_POLICY_REVERSED		0x2
#define SYNC_POLICY_ORDER_MASK		0x3
#define SYNC_POLICY_LIFO		(SYNC_POLICY_FIFO | SYNC_POLICY_REVERSED)

#define MACH_SEMA_TIMED		0x1
#define MACH_SEMA_SIGNAL	0x2

struct mach_ioc_semaphore {
	__u32 task;
	__u32 name;
	__u32 signal;
	__s32 policy;
	__s32 value;
	__u32 sec;
	__s32 nsec;
	__u32 flags;		/* MACH_SEMA_* */
};

#define MACH_IOC_SEMAPHORE_CREATE	_IOWR(MACH_IOC_MAGIC, 0x58, struct mach_ioc_semaphore)
#define MACH_IOC_SEMAPHORE_DESTROY	_IOW(MACH_IOC_MAGIC, 0x59, struct mach_ioc_semaphore)
#define MACH_IOC_SEMAPHORE_SIGNAL	_IOW(MACH_IOC_MAGIC, 0x5a, struct mach_ioc_semaphore)
#define MACH_IOC_SEMAPHORE_SIGNAL_ALL	_IOW(MACH_IOC_MAGIC, 0x5b, struct mach_ioc_semaphore)
#define MACH_IOC_SEMAPHORE_SIGNAL_THREAD _IOW(MACH_IOC_MAGIC, 0x5c, struct mach_ioc_semaphore)
#define MACH_IOC_SEMAPHORE_WAIT		_IOW(MACH_IOC_MAGIC, 0x5d, struct mach_ioc_semaphore)

/*
 * Port guards (guard13).  One argument struct for mach_port_guard (flags =
 * MPG_STRICT when strict), mach_port_guard_with_flags (flags MPG_*),
 * mach_port_unguard (guard) and mach_port_swap_guard (guard = old,
 * new_guard = new); and task_get/set_exc_guard_behavior on a task port.
 */
#define MPG_STRICT			0x01
#define MPG_IMMOVABLE_RECEIVE		0x02

/* EXC_GUARD flavors of a Mach port guard (Darwin's <mach/port.h> values). */
#define GUARD_TYPE_MACH_PORT			0x1
#define kGUARD_EXC_DESTROY			1
#define kGUARD_EXC_MOD_REFS			2
#define kGUARD_EXC_INVALID_OPTIONS		3
#define kGUARD_EXC_SET_CONTEXT			4
#define kGUARD_EXC_THREAD_SET_STATE		5
#define kGUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE	6
#define kGUARD_EXC_SERVICE_PORT_VIOLATION_FATAL	7
#define kGUARD_EXC_UNGUARDED			8
#define kGUARD_EXC_INCORRECT_GUARD		16
#define kGUARD_EXC_IMMOVABLE			32
#define kGUARD_EXC_STRICT_REPLY			64
#define kGUARD_EXC_MSG_FILTERED			128
#define kGUARD_EXC_INVALID_RIGHT		256
#define kGUARD_EXC_INVALID_NAME			512
#define kGUARD_EXC_INVALID_VALUE		(1u << 10)
#define kGUARD_EXC_INVALID_ARGUMENT		(1u << 11)
#define kGUARD_EXC_RIGHT_EXISTS			(1u << 12)
#define kGUARD_EXC_KERN_NO_SPACE		(1u << 13)
#define kGUARD_EXC_KERN_FAILURE			(1u << 14)
#define kGUARD_EXC_KERN_RESOURCE		(1u << 15)
#define kGUARD_EXC_SEND_INVALID_REPLY		(1u << 16)
#define kGUARD_EXC_SEND_INVALID_VOUCHER		(1u << 17)
#define kGUARD_EXC_SEND_INVALID_RIGHT		(1u << 18)
#define kGUARD_EXC_RCV_INVALID_NAME		(1u << 19)
#define kGUARD_EXC_RCV_GUARDED_DESC		0x00100000
#define kGUARD_EXC_MOD_REFS_NON_FATAL		(1u << 21)
#define kGUARD_EXC_IMMOVABLE_NON_FATAL		(1u << 22)
#define kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS	(1u << 23)
#define MAX_FATAL_kGUARD_EXC_CODE		kGUARD_EXC_MSG_FILTERED
#define MAX_OPTIONAL_kGUARD_EXC_CODE		kGUARD_EXC_RCV_INVALID_NAME
#define MPG_FLAGS_NONE				0x00ull

/* task_set_exc_guard_behavior (Darwin's <mach/task_info.h> values) */
#define TASK_EXC_GUARD_NONE		0x00
#define TASK_EXC_GUARD_VM_DELIVER	0x01
#define TASK_EXC_GUARD_VM_ONCE		0x02
#define TASK_EXC_GUARD_VM_CORPSE	0x04
#define TASK_EXC_GUARD_VM_FATAL		0x08
#define TASK_EXC_GUARD_VM_ALL		0x0f
#define TASK_EXC_GUARD_MP_DELIVER	0x10
#define TASK_EXC_GUARD_MP_ONCE		0x20
#define TASK_EXC_GUARD_MP_CORPSE	0x40
#define TASK_EXC_GUARD_MP_FATAL		0x80
#define TASK_EXC_GUARD_MP_ALL		0xf0
#define TASK_EXC_GUARD_ALL		0xff

struct mach_ioc_port_guard {
	__u32 task;
	__u32 name;
	__u64 guard;		/* guard; swap: the old guard */
	__u64 new_guard;	/* swap */
	__u64 flags;		/* guard: MPG_* (other bits ignored, as XNU) */
};

struct mach_ioc_exc_guard {
	__u32 task;
	__u32 behavior;		/* TASK_EXC_GUARD_* */
};

#define MACH_IOC_PORT_GUARD		_IOW(MACH_IOC_MAGIC, 0x60, struct mach_ioc_port_guard)
#define MACH_IOC_PORT_UNGUARD		_IOW(MACH_IOC_MAGIC, 0x61, struct mach_ioc_port_guard)
#define MACH_IOC_PORT_SWAP_GUARD	_IOW(MACH_IOC_MAGIC, 0x62, struct mach_ioc_port_guard)
#define MACH_IOC_TASK_GET_EXC_GUARD	_IOWR(MACH_IOC_MAGIC, 0x63, struct mach_ioc_exc_guard)
#define MACH_IOC_TASK_SET_EXC_GUARD	_IOW(MACH_IOC_MAGIC, 0x64, struct mach_ioc_exc_guard)

/*
 * io_uring: IORING_OP_URING_CMD on the /dev/mach fd of a ring set up with
 * IORING_SETUP_SQE128, cmd_op MACH_URING_CMD_MSG, a struct mach_ioc_msg in
 * sqe->cmd.  cqe->res is the mach_msg_return_t (or a negative errno).  The
 * send never blocks (a full queue gives MACH_SEND_TIMED_OUT and the message
 * back); a receive with nothing queued completes when a message arrives,
 * on its timeout, when the port or set dies or moves (MACH_RCV_PORT_CHANGED)
 * or when the submitting task exits (MACH_RCV_INTERRUPTED).
 */
#define MACH_URING_CMD_MSG		MACH_IOC_MSG

/*
 * Task ports across tasks (task13, nr 0x68-0x6f).
 *
 * task_for_pid(task, pid, &port) and task_name_for_pid(task, pid, &port):
 * @task must be the caller's own task port; @port comes back as a new send
 * right in the caller's space to @pid's task port (control) or task name
 * port, or MACH_PORT_NULL with KERN_FAILURE when @pid has no Mach space or
 * the caller may not have it (task_for_pid: ptrace's attach rule on real
 * credentials; task_name_for_pid: same uid, or CAP_SYS_PTRACE).
 * pid_for_task(port, &pid): @port a send right to a task or task name
 * port; @pid as the caller's pid namespace sees it, or -1 with
 * KERN_FAILURE.
 */
struct mach_ioc_task_pid {
	__u32 task;		/* in: caller's task port; pid_for_task: the task */
	__s32 pid;		/* in (for_pid) or out (pid_for_task) */
	__u32 port;		/* out: the new send right (for_pid) */
	__u32 reserved;		/* must be zero */
};

#define MACH_IOC_TASK_FOR_PID		_IOWR(MACH_IOC_MAGIC, 0x68, struct mach_ioc_task_pid)
#define MACH_IOC_TASK_NAME_FOR_PID	_IOWR(MACH_IOC_MAGIC, 0x69, struct mach_ioc_task_pid)
#define MACH_IOC_PID_FOR_TASK		_IOWR(MACH_IOC_MAGIC, 0x6a, struct mach_ioc_task_pid)

/*
 * mach_msg2 (<mach/message.h>, XNU's mach_msg2_trap): the 64-bit options,
 * message vectors and auxiliary data.  The ioctl takes mach_msg2_internal's
 * eight arguments as Darwin's libsyscall packs them; it returns the
 * mach_msg_return_t.  Header fields come from the arguments, not from the
 * buffer (whose first 24 bytes, 28 if complex, are skipped).
 */
#define MACH64_MSG_VECTOR		0x0000000100000000ULL
#define MACH64_SEND_KOBJECT_CALL	0x0000000200000000ULL
#define MACH64_SEND_MQ_CALL		0x0000000400000000ULL
#define MACH64_SEND_ANY			0x0000000800000000ULL
#define MACH64_SEND_DK_CALL		0x0000001000000000ULL
/* the low 32 bits are mach_msg_option_t; this alias of SEND_ALWAYS is user's */
#define MACH_SEND_FILTER_NONFATAL	0x00010000
#define MACH_MSG_STRICT_REPLY		0x00000200
#define MACH_SEND_AUX_TOO_SMALL		0x10000018
#define MACH_SEND_AUX_TOO_LARGE		0x10000019

struct mach_msg_vector {
	__u64 msgv_data;
	__u64 msgv_rcv_addr;	/* 0: receive into msgv_data */
	__u32 msgv_send_size;
	__u32 msgv_rcv_size;
};

#define MACH_MSGV_IDX_MSG		0
#define MACH_MSGV_IDX_AUX		1
#define MACH_MSGV_MAX_COUNT		2

struct mach_msg_aux_header {
	__u32 msgdh_size;	/* header included */
	__u32 msgdh_reserved;
};

#define MACH_MSG_AUX_MAX_SIZE		1024	/* IPC_KMSG_MAX_AUX_DATA_SPACE */

struct mach_ioc_msg2 {
	__u64 data;			/* message, or mach_msg_vector[] with VECTOR */
	__u64 options;			/* mach_msg_option64_t */
	__u64 bits_send_size;		/* msgh_bits | send_size (or count) << 32 */
	__u64 remote_local;		/* msgh_remote_port | msgh_local_port << 32 */
	__u64 voucher_id;		/* msgh_voucher_port | msgh_id << 32 */
	__u64 desc_count_rcv_name;	/* descriptor count | rcv_name << 32 */
	__u64 rcv_size_priority;	/* rcv_size (or count) | priority << 32 */
	__u64 timeout;			/* milliseconds */
};

#define MACH_IOC_MSG2			_IOW(MACH_IOC_MAGIC, 0x7c, struct mach_ioc_msg2)

/*
 * Host, task, thread and port-space information (issue 13, nr 0x70-0x7b).
 *
 * host_self: a send right to the host port (one for the whole system; the
 * name is the space's one name for it, each call adds a uref).
 *
 * host_info, host_statistics, host_statistics64, task_info, thread_info:
 * target = a host, task or thread port name; flavor = Darwin's flavour;
 * count = in: integer_t words at info, out: Darwin's returned count; info =
 * user address of the caller's integer_t array.  The kernel writes
 * Darwin's structure (layout of <mach/host_info.h>, <mach/task_info.h>,
 * <mach/thread_info.h>, <mach/vm_statistics.h>) and returns XNU's
 * kern_return_t.
 */
struct mach_ioc_info {
	__u32 target;
	__u32 flavor;
	__u32 count;
	__u32 reserved;
	__u64 info;
};

/*
 * mach_port_space_info: count in = ipc_info_name_t slots at table (7 words
 * each, may be 0), out = the space's table size (all of it is written only
 * when it fits); info[] = ipc_info_space_t (6 words).
 * mach_port_space_basic_info: info[] = ipc_info_space_basic_t (6 words).
 */
struct mach_ioc_space_info {
	__u32 task;
	__u32 count;
	__u64 table;
	__u32 info[6];
};

/* mach_port_dnrequest_info */
struct mach_ioc_dnrequest_info {
	__u32 task;
	__u32 name;
	__u32 total;		/* out */
	__u32 used;		/* out */
};

/*
 * mach_port_kobject, mach_port_kobject_description: type out (XNU's IKOT_*
 * value), addr out (always 0, as on a release kernel), description = user
 * address of a 512-byte buffer or 0.
 */
#define MACH_KOBJECT_DESCRIPTION_LENGTH	512

struct mach_ioc_port_kobject {
	__u32 task;
	__u32 name;
	__u32 type;
	__u32 reserved;
	__u64 addr;
	__u64 description;
};

#define MACH_IOC_HOST_SELF		_IOR(MACH_IOC_MAGIC, 0x70, struct mach_ioc_name)
#define MACH_IOC_HOST_INFO		_IOWR(MACH_IOC_MAGIC, 0x71, struct mach_ioc_info)
#define MACH_IOC_HOST_STATISTICS	_IOWR(MACH_IOC_MAGIC, 0x72, struct mach_ioc_info)
#define MACH_IOC_HOST_STATISTICS64	_IOWR(MACH_IOC_MAGIC, 0x73, struct mach_ioc_info)
#define MACH_IOC_TASK_INFO		_IOWR(MACH_IOC_MAGIC, 0x74, struct mach_ioc_info)
#define MACH_IOC_THREAD_INFO		_IOWR(MACH_IOC_MAGIC, 0x75, struct mach_ioc_info)
#define MACH_IOC_PORT_SPACE_INFO	_IOWR(MACH_IOC_MAGIC, 0x76, struct mach_ioc_space_info)
#define MACH_IOC_PORT_SPACE_BASIC_INFO	_IOWR(MACH_IOC_MAGIC, 0x77, struct mach_ioc_space_info)
#define MACH_IOC_PORT_DNREQUEST_INFO	_IOWR(MACH_IOC_MAGIC, 0x78, struct mach_ioc_dnrequest_info)
#define MACH_IOC_PORT_KOBJECT		_IOWR(MACH_IOC_MAGIC, 0x79, struct mach_ioc_port_kobject)
#define MACH_IOC_PORT_ASSERT_ATTRIBUTES	_IOW(MACH_IOC_MAGIC, 0x7a, struct mach_ioc_port_attr)

#endif /* _UAPI_LINUX_MACH_H */
