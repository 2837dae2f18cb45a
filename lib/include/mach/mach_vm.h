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

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_VM_H_ */
