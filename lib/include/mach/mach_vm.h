/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mach_vm.h>, the 64-bit vm calls (same semantics as vm_map.h). */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

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

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);

/*
 * A memory entry: a send right naming memory that mach_vm_map maps, in
 * this or (sent in a message) another process.  MAP_MEM_NAMED_CREATE in
 * permission creates new zero-filled shared memory (shmem).  Otherwise the
 * entry names [offset, offset + *size) of the target: shared when that is
 * a shared mapping of a file (MAP_SHARED shmem, memfd or file); private
 * memory gives KERN_NOT_SUPPORTED (Linux cannot share it after the fact)
 * unless MAP_MEM_VM_COPY asks for a snapshot.  With parent_entry, a part
 * of that entry.  The VM_PROT_* bits are the most any mapping may allow.
 */
kern_return_t mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
					memory_object_offset_t offset, vm_prot_t permission,
					mach_port_t *object_handle,
					mem_entry_name_port_t parent_entry);

/*
 * Map a memory entry (shared, or with copy a snapshot taken now), or with
 * MEMORY_OBJECT_NULL zero-filled memory.  max_protection is enforced for
 * VM_PROT_WRITE (mprotect cannot go past it), not for VM_PROT_EXECUTE.
 * VM_INHERIT_COPY of a shared mapping is shared with a forked child, as
 * Linux shares MAP_SHARED memory.  VM_INHERIT_NONE uses madvise
 * (MADV_DONTFORK): KERN_NOT_SUPPORTED on a kernel without it.
 */
kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
			  mach_vm_size_t size, mach_vm_offset_t mask, int flags,
			  mem_entry_name_port_t object, memory_object_offset_t offset,
			  boolean_t copy, vm_prot_t cur_protection,
			  vm_prot_t max_protection, vm_inherit_t inheritance);

/*
 * The rest of the family.  On the caller's own task each is the Linux call
 * that does the same (mprotect, madvise, msync, mremap, process_vm_readv);
 * on another task only mach_vm_region*, mach_vm_read* and mach_vm_write
 * work (the kernel's remote-access path); the others return
 * KERN_NOT_SUPPORTED.  A whole range is checked before anything changes:
 * KERN_INVALID_ADDRESS for a hole, KERN_PROTECTION_FAILURE for a region
 * that does not allow it.
 */

/*
 * set_maximum lowers the maximum: Linux cannot, so libmach remembers it
 * (mach_vm_protect refuses to go past it, mach_vm_region reports it);
 * mprotect(2) does not see it.  VM_PROT_COPY on shared memory:
 * KERN_NOT_SUPPORTED.
 */
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum,
			      vm_prot_t new_protection);
/* VM_INHERIT_SHARE of private memory: KERN_NOT_SUPPORTED (map it shared instead). */
kern_return_t mach_vm_inherit(vm_map_t target_task, mach_vm_address_t address,
			      mach_vm_size_t size, vm_inherit_t new_inheritance);
/* A region is a Linux VMA; object_name is always MACH_PORT_NULL. */
kern_return_t mach_vm_region(vm_map_read_t target_task, mach_vm_address_t *address,
			     mach_vm_size_t *size, vm_region_flavor_t flavor,
			     vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			     mach_port_t *object_name);
/* No submaps on Linux: *nesting_depth comes back 0, is_submap FALSE. */
kern_return_t mach_vm_region_recurse(vm_map_read_t target_task, mach_vm_address_t *address,
				     mach_vm_size_t *size, natural_t *nesting_depth,
				     vm_region_recurse_info_t info,
				     mach_msg_type_number_t *infoCnt);
/* A copy in new pages of the caller (release with mach_vm_deallocate). */
kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
			   mach_vm_size_t size, vm_offset_t *data,
			   mach_msg_type_number_t *dataCnt);
kern_return_t mach_vm_read_list(vm_map_read_t target_task, mach_vm_read_entry_t data_list,
				natural_t count);
kern_return_t mach_vm_read_overwrite(vm_map_read_t target_task, mach_vm_address_t address,
				     mach_vm_size_t size, mach_vm_address_t data,
				     mach_vm_size_t *outsize);
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address,
			    vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
			   mach_vm_size_t size, mach_vm_address_t dest_address);
/*
 * copy: new private pages holding a copy.  Sharing (copy FALSE) works for
 * one MAP_SHARED region of the caller (mremap); private memory or another
 * task's: KERN_NOT_SUPPORTED.
 */
kern_return_t mach_vm_remap(vm_map_t target_task, mach_vm_address_t *target_address,
			    mach_vm_size_t size, mach_vm_offset_t mask, int flags,
			    vm_map_t src_task, mach_vm_address_t src_address, boolean_t copy,
			    vm_prot_t *cur_protection, vm_prot_t *max_protection,
			    vm_inherit_t inheritance);
/* VM_BEHAVIOR_* as madvise: DONTNEED is MADV_COLD (contents kept), FREE/REUSABLE MADV_FREE. */
kern_return_t mach_vm_behavior_set(vm_map_t target_task, mach_vm_address_t address,
				   mach_vm_size_t size, vm_behavior_t new_behavior);
kern_return_t mach_vm_msync(vm_map_t target_task, mach_vm_address_t address,
			    mach_vm_size_t size, vm_sync_t sync_flags);
/* Memory is never purged on Linux: the state always reads VM_PURGABLE_NONVOLATILE. */
kern_return_t mach_vm_purgable_control(vm_map_t target_task, mach_vm_address_t address,
				       vm_purgable_t control, int *state);
kern_return_t mach_vm_page_query(vm_map_read_t target_map, mach_vm_offset_t offset,
				 integer_t *disposition, integer_t *ref_count);
kern_return_t mach_vm_page_info(vm_map_read_t target_task, mach_vm_address_t address,
				vm_page_info_flavor_t flavor, vm_page_info_t info,
				mach_msg_type_number_t *infoCnt);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_VM_H_ */
