/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mach_port.h>, the mach_port_* calls.  The first argument
 * names the target space by a task port of the caller (mach_task_self());
 * the kernel validates it (KERN_INVALID_TASK otherwise).  Arrays returned
 * (mach_port_names, mach_port_get_set_status) are allocated with
 * vm_allocate: release them with vm_deallocate.
 */
#ifndef _MACH_MACH_PORT_H_
#define _MACH_MACH_PORT_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach_debug/mach_debug_types.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t mach_port_names(ipc_space_t task,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt);
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype);
kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
				      mach_port_name_t name);
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name);
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after);
kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
				      mach_port_name_t pset);
kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_t pset);
kern_return_t mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt);
kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid,
					     mach_port_mscount_t sync,
					     mach_port_t notify,
					     mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous);
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_urefs_t *refs);
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta);
kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
			     mach_msg_trailer_type_t trailer_type,
			     mach_port_seqno_t *request_seqnop,
			     mach_msg_size_t *msg_sizep,
			     mach_msg_id_t *msg_idp,
			     mach_msg_trailer_info_t trailer_infop,
			     mach_msg_type_number_t *trailer_infopCnt);
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount);
kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno);
kern_return_t mach_port_get_srights(ipc_space_t task, mach_port_name_t name,
				    mach_port_rights_t *srights);
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t polyPoly);
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly);
kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt);
kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt);
kern_return_t mach_port_allocate_qos(ipc_space_t task, mach_port_right_t right,
				     mach_port_qos_t *qos,
				     mach_port_name_t *name);
kern_return_t mach_port_allocate_full(ipc_space_t task, mach_port_right_t right,
				      mach_port_t proto, mach_port_qos_t *qos,
				      mach_port_name_t *name);
kern_return_t mach_port_get_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t *context);
kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t context);
kern_return_t mach_port_construct(ipc_space_t task,
				  mach_port_options_ptr_t options,
				  mach_port_context_t context,
				  mach_port_name_t *name);
kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
				 mach_port_delta_t srdelta,
				 mach_port_context_t guard);
/* Port guards: a violation is fatal unless task_set_exc_guard_behavior said not. */
kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name,
			      mach_port_context_t guard, boolean_t strict);
kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name,
				mach_port_context_t guard);
kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
					 mach_port_context_t guard, uint64_t flags);
kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
				   mach_port_context_t old_guard,
				   mach_port_context_t new_guard);

/*
 * Port-space inspection (mach_debug).  table_info is allocated with
 * vm_allocate (release it with vm_deallocate) and holds every slot of the
 * name table, free ones (type 0) and index 0 included; tree_info is always
 * empty, as in XNU.
 */
kern_return_t mach_port_space_info(ipc_space_read_t space,
				   ipc_info_space_t *space_info,
				   ipc_info_name_array_t *table_info,
				   mach_msg_type_number_t *table_infoCnt,
				   ipc_info_tree_name_array_t *tree_info,
				   mach_msg_type_number_t *tree_infoCnt);
kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task,
					 ipc_info_space_basic_t *basic_info);
kern_return_t mach_port_dnrequest_info(ipc_space_t task, mach_port_name_t name,
				       unsigned *dnr_total, unsigned *dnr_used);
/* object_addr is always 0, as on a release kernel; description is "". */
kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name,
				natural_t *object_type, mach_vm_address_t *object_addr);
kern_return_t mach_port_kobject_description(ipc_space_read_t task, mach_port_name_t name,
					    natural_t *object_type,
					    mach_vm_address_t *object_addr,
					    kobject_description_t description);
kern_return_t mach_port_assert_attributes(ipc_space_t task, mach_port_name_t name,
					  mach_port_flavor_t flavor,
					  mach_port_info_t info,
					  mach_msg_type_number_t infoCnt);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_PORT_H_ */
