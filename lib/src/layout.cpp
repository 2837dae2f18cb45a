// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Compile-time checks: every Darwin LP64 size and offset the public headers
// promise, and every structure libmach declares itself (out-of-line
// descriptors, trailers) against its <linux/mach.h> twin.  No code.

#include "libmach.h"

#include <cstddef>

#define SAME_OFFSET(darwin, df, uapi, uf) \
	static_assert(offsetof(darwin, df) == offsetof(uapi, uf), #darwin "." #df)

// ---- scalar types ---------------------------------------------------------
static_assert(sizeof(natural_t) == 4 && sizeof(integer_t) == 4);
static_assert(sizeof(boolean_t) == 4 && sizeof(kern_return_t) == 4);
static_assert(sizeof(mach_port_t) == 4 && sizeof(mach_port_name_t) == 4);
static_assert(sizeof(mach_msg_bits_t) == 4 && sizeof(mach_msg_size_t) == 4);
static_assert(sizeof(mach_msg_id_t) == 4 && sizeof(mach_msg_option_t) == 4);
static_assert(sizeof(vm_address_t) == 8 && sizeof(vm_size_t) == 8);
static_assert(sizeof(vm_offset_t) == 8 && sizeof(mach_vm_address_t) == 8);
static_assert(sizeof(mach_vm_size_t) == 8 && sizeof(mach_port_context_t) == 8);
static_assert(sizeof(void *) == 8, "libmach implements the LP64 ABI only");

// ---- header and body ------------------------------------------------------
static_assert(sizeof(mach_msg_header_t) == 24);
static_assert(offsetof(mach_msg_header_t, msgh_bits) == 0);
static_assert(offsetof(mach_msg_header_t, msgh_size) == 4);
static_assert(offsetof(mach_msg_header_t, msgh_remote_port) == 8);
static_assert(offsetof(mach_msg_header_t, msgh_local_port) == 12);
static_assert(offsetof(mach_msg_header_t, msgh_voucher_port) == 16);
static_assert(offsetof(mach_msg_header_t, msgh_id) == 20);
static_assert(sizeof(mach_msg_body_t) == 4);
static_assert(sizeof(mach_msg_base_t) == 28);

// ---- descriptors ----------------------------------------------------------
static_assert(sizeof(mach_msg_type_descriptor_t) == 12);
static_assert(sizeof(mach_msg_port_descriptor_t) == MACH_MSG_PORT_DESCRIPTOR_SIZE);
static_assert(sizeof(mach_msg_ool_descriptor_t) == MACH_MSG_OOL_DESCRIPTOR_SIZE);
static_assert(sizeof(mach_msg_ool_descriptor_t) == sizeof(struct mach_msg_ool_descriptor));
static_assert(alignof(mach_msg_ool_descriptor_t) == alignof(struct mach_msg_ool_descriptor));
SAME_OFFSET(mach_msg_ool_descriptor_t, address, struct mach_msg_ool_descriptor, address);
SAME_OFFSET(mach_msg_ool_descriptor_t, size, struct mach_msg_ool_descriptor, size);
static_assert(offsetof(mach_msg_ool_descriptor_t, size) == 12);
static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 16);
static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == sizeof(struct mach_msg_ool_ports_descriptor));
static_assert(alignof(mach_msg_ool_ports_descriptor_t) == alignof(struct mach_msg_ool_ports_descriptor));
SAME_OFFSET(mach_msg_ool_ports_descriptor_t, address, struct mach_msg_ool_ports_descriptor, address);
SAME_OFFSET(mach_msg_ool_ports_descriptor_t, count, struct mach_msg_ool_ports_descriptor, count);
static_assert(sizeof(mach_msg_guarded_port_descriptor_t) == 16);
static_assert(offsetof(mach_msg_guarded_port_descriptor_t, context) == 0);
static_assert(offsetof(mach_msg_guarded_port_descriptor_t, name) == 12);
static_assert(sizeof(mach_msg_descriptor_t) == MACH_MSG_DESCRIPTOR_MAX_SIZE);
static_assert(alignof(mach_msg_descriptor_t) == 4);

// ---- trailers -------------------------------------------------------------
using max_trailer = struct mach_msg_max_trailer;
static_assert(sizeof(security_token_t) == 8 && sizeof(audit_token_t) == 32);
static_assert(sizeof(mach_msg_trailer_t) == MACH_MSG_TRAILER_MINIMUM_SIZE);
static_assert(sizeof(mach_msg_seqno_trailer_t) == MACH_MSG_TRAILER_SEQNO_SIZE);
static_assert(sizeof(mach_msg_security_trailer_t) == MACH_MSG_TRAILER_SENDER_SIZE);
static_assert(sizeof(mach_msg_format_0_trailer_t) == 20);
static_assert(sizeof(mach_msg_audit_trailer_t) == MACH_MSG_TRAILER_AUDIT_SIZE);
static_assert(sizeof(mach_msg_context_trailer_t) == MACH_MSG_TRAILER_CTX_SIZE);
static_assert(sizeof(mach_msg_mac_trailer_t) == MACH_MSG_TRAILER_MAX_SIZE);
static_assert(sizeof(mach_msg_max_trailer_t) == sizeof(max_trailer));
static_assert(MAX_TRAILER_SIZE == 68);
static_assert(alignof(mach_msg_max_trailer_t) == alignof(max_trailer));
SAME_OFFSET(mach_msg_max_trailer_t, msgh_trailer_type, max_trailer, msgh_trailer_type);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_trailer_size, max_trailer, msgh_trailer_size);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_seqno, max_trailer, msgh_seqno);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_sender, max_trailer, msgh_sender);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_audit, max_trailer, msgh_audit);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_context, max_trailer, msgh_context);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_ad, max_trailer, msgh_ad);
SAME_OFFSET(mach_msg_max_trailer_t, msgh_labels, max_trailer, msgh_labels);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_seqno) == 8);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_sender) == 12);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_audit) == 20);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_context) == 52);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_ad) == 60);
static_assert(offsetof(mach_msg_max_trailer_t, msgh_labels) == 64);
// Each shorter trailer is a prefix of the max trailer.
SAME_OFFSET(mach_msg_seqno_trailer_t, msgh_seqno, max_trailer, msgh_seqno);
SAME_OFFSET(mach_msg_security_trailer_t, msgh_sender, max_trailer, msgh_sender);
SAME_OFFSET(mach_msg_audit_trailer_t, msgh_audit, max_trailer, msgh_audit);
SAME_OFFSET(mach_msg_context_trailer_t, msgh_context, max_trailer, msgh_context);
static_assert(REQUESTED_TRAILER_SIZE(0) == 8);
static_assert(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)) == 52);
static_assert(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AV)) == 68);
static_assert(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_LABELS)) == 68);
static_assert(round_msg(25) == 28 && round_msg(24) == 24);

// ---- empty messages -------------------------------------------------------
static_assert(sizeof(mach_msg_empty_send_t) == 24);
static_assert(sizeof(mach_msg_empty_rcv_t) == 32);
static_assert(sizeof(mach_msg_empty_t) == 32);

// ---- port attributes ------------------------------------------------------
static_assert(sizeof(mach_port_status_t) == 40);
static_assert(offsetof(mach_port_status_t, mps_flags) == 36);
static_assert(MACH_PORT_RECEIVE_STATUS_COUNT == sizeof(mach_port_status_t) / sizeof(natural_t));
static_assert(sizeof(mach_port_limits_t) == 4);
static_assert(MACH_PORT_LIMITS_INFO_COUNT == sizeof(mach_port_limits_t) / sizeof(natural_t));
static_assert(sizeof(mach_port_info_ext_t) == 68);
static_assert(MACH_PORT_INFO_EXT_COUNT == sizeof(mach_port_info_ext_t) / sizeof(natural_t));
static_assert(MACH_PORT_GUARD_INFO_COUNT == sizeof(mach_port_guard_info_t) / sizeof(natural_t));
static_assert(MACH_PORT_INFO_MAX_COUNT >= MACH_PORT_INFO_EXT_COUNT);
static_assert(sizeof(mach_port_options_t) == 24);
static_assert(offsetof(mach_port_options_t, mpl) == 4);
static_assert(offsetof(mach_port_options_t, reserved) == 8);
static_assert(sizeof(mach_port_qos_t) == 8);

// ---- MIG and notifications ------------------------------------------------
static_assert(sizeof(NDR_record_t) == 8);
static_assert(sizeof(mig_reply_error_t) == 36);
static_assert(offsetof(mig_reply_error_t, RetCode) == 32);
static_assert(offsetof(mig_reply_error_t, NDR) == 24);
static_assert(sizeof(struct routine_descriptor) == 40);
static_assert(offsetof(struct routine_descriptor, stub_routine) == 8);
static_assert(offsetof(struct routine_descriptor, argc) == 16);
static_assert(offsetof(struct routine_descriptor, descr_count) == 20);
static_assert(offsetof(struct routine_descriptor, arg_descr) == 24);
static_assert(offsetof(struct routine_descriptor, max_reply_msg) == 32);
static_assert(offsetof(struct mig_subsystem, start) == 8);
static_assert(offsetof(struct mig_subsystem, end) == 12);
static_assert(offsetof(struct mig_subsystem, maxsize) == 16);
static_assert(offsetof(struct mig_subsystem, reserved) == 24);
static_assert(offsetof(struct mig_subsystem, routine) == 32);
static_assert(sizeof(mach_msg_options_t) == 4);

// What __MigPackStructs is for: Darwin's mach_exception_raise request (two
// port descriptors, NDR, exception, codeCnt, int64_t code[2]) is 84 bytes,
// the 64-bit codes at offset 68; unpacked it would be 88.
#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
struct layout_mach_exception_raise_request {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	thread;
	mach_msg_port_descriptor_t	task;
	NDR_record_t			NDR;
	int				exception;
	mach_msg_type_number_t		codeCnt;
	int64_t				code[2];
};
#ifdef __MigPackStructs
#pragma pack(pop)
#endif
static_assert(sizeof(layout_mach_exception_raise_request) == 84);
static_assert(offsetof(layout_mach_exception_raise_request, code) == 68);
static_assert(sizeof(mach_port_deleted_notification_t) == 56);
static_assert(offsetof(mach_port_deleted_notification_t, not_port) == 32);
static_assert(offsetof(mach_port_deleted_notification_t, trailer) == 36);
static_assert(sizeof(mach_send_possible_notification_t) == 56);
static_assert(sizeof(mach_port_destroyed_notification_t) == 60);
static_assert(offsetof(mach_port_destroyed_notification_t, not_port) == 28);
static_assert(offsetof(mach_port_destroyed_notification_t, trailer) == 40);
static_assert(sizeof(mach_no_senders_notification_t) == 56);
static_assert(offsetof(mach_no_senders_notification_t, not_count) == 32);
static_assert(sizeof(mach_send_once_notification_t) == 44);
static_assert(sizeof(mach_dead_name_notification_t) == 56);
static_assert(offsetof(mach_dead_name_notification_t, not_port) == 32);

// ---- ioctl argument blocks: multiples of 8, as the uapi promises ---------
static_assert(sizeof(mach_ioc_version) % 8 == 0 && sizeof(mach_ioc_msg) == 40);
static_assert(sizeof(mach_ioc_port) % 8 == 0 && sizeof(mach_ioc_port_refs) % 8 == 0);
static_assert(sizeof(mach_ioc_port_context) == 16 && sizeof(mach_ioc_port_names) == 24);
static_assert(sizeof(mach_ioc_port_right) % 8 == 0 && sizeof(mach_ioc_port_attr) == 88);
static_assert(sizeof(mach_ioc_port_construct) == 32 && sizeof(mach_ioc_port_peek) == 104);
static_assert(sizeof(mach_ioc_name) == 8 && sizeof(mach_ioc_special_port) == 16);
static_assert(sizeof(mach_ioc_ports_register) == 24);

// ---- host, task and thread information (XNU's host_info.h, task_info.h,
// thread_info.h, vm_statistics.h, mach_debug/ipc_info.h; LP64) ------------
static_assert(sizeof(time_value_t) == 8);
static_assert(HOST_BASIC_INFO_COUNT == 12 && sizeof(host_basic_info_data_t) == 48);
static_assert(offsetof(host_basic_info_data_t, max_mem) == 40);
static_assert(HOST_SCHED_INFO_COUNT == 2 && HOST_PRIORITY_INFO_COUNT == 8);
static_assert(HOST_LOAD_INFO_COUNT == 6 && HOST_CPU_LOAD_INFO_COUNT == 4);
static_assert(HOST_VM_INFO_COUNT == 15 && HOST_VM_INFO_REV1_COUNT == 14 &&
	      HOST_VM_INFO_REV0_COUNT == 12);
static_assert(sizeof(vm_statistics64_data_t) == 152 && HOST_VM_INFO64_COUNT == 38 &&
	      HOST_VM_INFO64_REV0_COUNT == 24);
static_assert(offsetof(vm_statistics64_data_t, zero_fill_count) == 16);
static_assert(offsetof(vm_statistics64_data_t, purgeable_count) == 88);
static_assert(offsetof(vm_statistics64_data_t, decompressions) == 96);
static_assert(offsetof(vm_statistics64_data_t, total_uncompressed_pages_in_compressor) == 144);
static_assert(TASK_BASIC_INFO_32_COUNT == 8 && TASK_BASIC_INFO_64_COUNT == 10);
static_assert(TASK_BASIC_INFO_COUNT == 10 && TASK_BASIC_INFO == 5);
static_assert(offsetof(task_basic_info_64_data_t, virtual_size) == 4);
static_assert(MACH_TASK_BASIC_INFO_COUNT == 12);
static_assert(offsetof(mach_task_basic_info_data_t, user_time) == 24);
static_assert(offsetof(mach_task_basic_info_data_t, suspend_count) == 44);
static_assert(TASK_THREAD_TIMES_INFO_COUNT == 4 && TASK_SECURITY_TOKEN_COUNT == 2 &&
	      TASK_AUDIT_TOKEN_COUNT == 8);
static_assert(THREAD_BASIC_INFO_COUNT == 10 && THREAD_IDENTIFIER_INFO_COUNT == 6);
static_assert(sizeof(ipc_info_space_t) == 24 && sizeof(ipc_info_space_basic_t) == 24);
static_assert(sizeof(ipc_info_name_t) == 28 && sizeof(ipc_info_tree_name_t) == 36);
static_assert(sizeof(kobject_description_t) == MACH_KOBJECT_DESCRIPTION_LENGTH);
