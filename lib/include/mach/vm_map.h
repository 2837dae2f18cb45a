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

#ifdef __cplusplus
}
#endif

#endif /* _MACH_VM_MAP_H_ */
