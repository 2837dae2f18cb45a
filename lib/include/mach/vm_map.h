/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/vm_map.h>.  On Linux only the caller's own address space
 * can be the target (target_task must be mach_task_self()).
 */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_statistics.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/memory_object_types.h>
#include <mach/vm_behavior.h>
#include <mach/vm_purgable.h>
#include <mach/vm_region.h>
#include <mach/vm_sync.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-filled, page-rounded anonymous memory; flags VM_FLAGS_ANYWHERE or FIXED. */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, int flags);
/* Unmaps the pages covering [address, address+size); size 0 is a no-op. */
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address,
			    vm_size_t size);

/* As mach_make_memory_entry_64 and mach_vm_map in <mach/mach_vm.h>. */
kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
					memory_object_offset_t offset, vm_prot_t permission,
					mach_port_t *object_handle,
					mem_entry_name_port_t parent_entry);
kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size,
				     vm_offset_t offset, vm_prot_t permission,
				     mem_entry_name_port_t *object_handle,
				     mem_entry_name_port_t parent_entry);
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, int flags, mem_entry_name_port_t object,
		     vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
		     vm_prot_t max_protection, vm_inherit_t inheritance);

/* As their mach_vm_* counterparts in <mach/mach_vm.h>. */
kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 vm_inherit_t new_inheritance);
/* VM_REGION_BASIC_INFO gives the legacy 32-bit-offset structure here only. */
kern_return_t vm_region(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
			vm_region_flavor_t flavor, vm_region_info_t info,
			mach_msg_type_number_t *infoCnt, mach_port_t *object_name);
kern_return_t vm_region_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
			   vm_region_flavor_t flavor, vm_region_info_t info,
			   mach_msg_type_number_t *infoCnt, mach_port_t *object_name);
kern_return_t vm_region_recurse(vm_map_read_t target_task, vm_address_t *address,
				vm_size_t *size, natural_t *nesting_depth,
				vm_region_recurse_info_t info, mach_msg_type_number_t *infoCnt);
kern_return_t vm_region_recurse_64(vm_map_read_t target_task, vm_address_t *address,
				   vm_size_t *size, natural_t *nesting_depth,
				   vm_region_recurse_info_t info,
				   mach_msg_type_number_t *infoCnt);
kern_return_t vm_read(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t vm_read_list(vm_map_read_t target_task, vm_read_entry_t data_list,
			   natural_t count);
kern_return_t vm_read_overwrite(vm_map_read_t target_task, vm_address_t address,
				vm_size_t size, vm_address_t data, vm_size_t *outsize);
kern_return_t vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
		       mach_msg_type_number_t dataCnt);
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
		      vm_address_t dest_address);
kern_return_t vm_remap(vm_map_t target_task, vm_address_t *target_address, vm_size_t size,
		       vm_address_t mask, int flags, vm_map_t src_task, vm_address_t src_address,
		       boolean_t copy, vm_prot_t *cur_protection, vm_prot_t *max_protection,
		       vm_inherit_t inheritance);
kern_return_t vm_behavior_set(vm_map_t target_task, vm_address_t address, vm_size_t size,
			      vm_behavior_t new_behavior);
kern_return_t vm_msync(vm_map_t target_task, vm_address_t address, vm_size_t size,
		       vm_sync_t sync_flags);
kern_return_t vm_purgable_control(vm_map_t target_task, vm_address_t address,
				  vm_purgable_t control, int *state);
kern_return_t vm_map_page_query(vm_map_read_t target_map, vm_offset_t offset,
				integer_t *disposition, integer_t *ref_count);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_VM_MAP_H_ */
