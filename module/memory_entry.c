// SPDX-License-Identifier: GPL-2.0
/*
 * Memory entries (XNU's named entries): mach_make_memory_entry_64.
 *
 * An entry is a window [offset, offset + size) on a file, named by a port
 * with no receive right, with the VM_PROT_* that any mapping of it may at
 * most allow.  New memory (MAP_MEM_NAMED_CREATE) is a shmem file, like a
 * memfd, so mappings in different processes share its pages.  An entry
 * for a range of the caller's memory shares it only when Linux can name
 * that memory again: a shared mapping of a file (MAP_SHARED shmem, memfd,
 * or a regular file), whose file and offset the entry takes.  Private
 * memory cannot be shared after the fact on Linux; that case gives
 * KERN_NOT_SUPPORTED unless MAP_MEM_VM_COPY asks for a snapshot, which is
 * copied into new shmem.
 *
 * The entry holds a file reference; every mapping holds its own (taken by
 * mmap), so the pages outlive the entry while they are mapped, and the
 * entry outlives its mappings while a right to it exists.  The entry is
 * charged to the creator's memory cgroup; shmem pages are charged, as for
 * any tmpfs file, to the cgroup of the process that first faults them in.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* What mach_make_memory_entry_64 honours of MAP_MEM_FLAGS_USER. */
#define MEM_ENTRY_FLAGS \
	(MAP_MEM_NAMED_CREATE | MAP_MEM_VM_COPY | MAP_MEM_VM_SHARE | \
	 MAP_MEM_PURGABLE | MAP_MEM_GRAB_SECLUDED)

struct file *mach_shmem_file(u64 size)
{
	/* VM_NORESERVE: pages are accounted as they are touched, as for memfd */
	return shmem_file_setup("mach-memory-entry", size, VM_NORESERVE);
}

void mach_mem_entry_free(struct mach_mem_entry *me)
{
	fput(me->file);
	kfree(me);
	atomic_long_dec(&mach_stats.mem_entries);
}

/*
 * The entry a send right in @space names, with a port reference for the
 * caller to drop.  Holds space->lock.
 */
struct mach_mem_entry *mach_mem_entry_get(struct mach_space *space, u32 name,
					  struct mach_port **portp)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);
	struct mach_port *port;

	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND) ||
	    !MACH_PORT_PTR_VALID(entry->port))
		return NULL;
	port = entry->port;
	if (port->kobject_type != MACH_KOBJ_MEMORY_ENTRY || !port->kobject)
		return NULL;
	mach_port_get(port);
	*portp = port;
	return port->kobject;
}

static int kr_of_errno(long err)
{
	switch (err) {
	case -ENOMEM:
	case -ENOSPC:
		return KERN_RESOURCE_SHORTAGE;
	case -EFAULT:
		return KERN_INVALID_ADDRESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* The most a mapping of @vma may allow, in VM_PROT_* terms. */
static u32 vma_max_prot(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_MAYREAD ? VM_PROT_READ : 0) |
	       (vma->vm_flags & VM_MAYWRITE ? VM_PROT_WRITE : 0) |
	       (vma->vm_flags & VM_MAYEXEC ? VM_PROT_EXECUTE : 0);
}

static int check_prot(u32 *prot, u32 max, bool is_mask)
{
	if (is_mask)
		*prot &= max;
	else if (*prot & ~max)
		return KERN_PROTECTION_FAILURE;
	return KERN_SUCCESS;
}

/*
 * Share [start, start + size) of the caller: one or more adjacent shared
 * mappings of the same file at consecutive offsets.
 */
static int share_range(u64 start, u64 size, u32 *prot, bool is_mask,
		       struct file **filep, u64 *offp)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 end = start + size, addr = start, off = 0;
	struct file *file = NULL;
	u32 max = VM_PROT_ALL;
	int kr = KERN_SUCCESS;

	mmap_read_lock(mm);
	while (addr < end) {
		vma = vma_lookup(mm, addr);
		if (!vma) {
			kr = KERN_INVALID_ADDRESS;
			break;
		}
		if (!vma->vm_file || !(vma->vm_flags & VM_MAYSHARE)) {
			kr = KERN_NOT_SUPPORTED;
			break;
		}
		if (!file) {
			file = vma->vm_file;
			off = ((u64)vma->vm_pgoff << PAGE_SHIFT) + (start - vma->vm_start);
		} else if (vma->vm_file != file ||
			   ((u64)vma->vm_pgoff << PAGE_SHIFT) != off + (addr - start)) {
			kr = KERN_INVALID_ARGUMENT;
			break;
		}
		max &= vma_max_prot(vma);
		addr = vma->vm_end;
	}
	if (!kr)
		kr = check_prot(prot, max, is_mask);
	if (!kr) {
		*filep = get_file(file);
		*offp = off;
	}
	mmap_read_unlock(mm);
	return kr;
}

/* MAP_MEM_VM_COPY: the caller's range as it is now, in new shmem. */
static int copy_range(u64 start, u64 size, struct file **filep)
{
	struct file *file;
	loff_t pos = 0;
	void *buf;
	u64 done;
	int kr = KERN_SUCCESS;
	ssize_t n;

	file = mach_shmem_file(size);
	if (IS_ERR(file))
		return kr_of_errno(PTR_ERR(file));
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		fput(file);
		return KERN_RESOURCE_SHORTAGE;
	}
	for (done = 0; done < size; done += PAGE_SIZE) {
		if (fatal_signal_pending(current)) {
			kr = KERN_ABORTED;
			break;
		}
		if (copy_from_user(buf, u64_to_user_ptr(start + done), PAGE_SIZE)) {
			kr = KERN_INVALID_ADDRESS;
			break;
		}
		pos = done;
		/* untouched zero pages stay holes */
		if (!memchr_inv(buf, 0, PAGE_SIZE))
			continue;
		n = kernel_write(file, buf, PAGE_SIZE, &pos);
		if (n != PAGE_SIZE) {
			kr = n < 0 ? kr_of_errno(n) : KERN_RESOURCE_SHORTAGE;
			break;
		}
		cond_resched();
	}
	kfree(buf);
	if (kr) {
		fput(file);
		return kr;
	}
	*filep = file;
	return KERN_SUCCESS;
}

static int make_entry(struct mach_space *space, struct mach_ioc_mem_entry *a)
{
	u32 flags = a->permission & MAP_MEM_FLAGS_MASK;
	u32 prot = a->permission & VM_PROT_ALL;
	bool is_mask = a->permission & VM_PROT_IS_MASK;
	struct mach_port *parent_port = NULL, *port;
	struct mach_mem_entry *parent = NULL, *me;
	struct file *file = NULL;
	struct mach_reap reap;
	u64 start, end, off = 0;
	int kr;

	if (flags & ~MAP_MEM_FLAGS_USER)
		return KERN_INVALID_VALUE;
	if ((flags & ~MEM_ENTRY_FLAGS) || GET_MAP_MEM(a->permission) != MAP_MEM_NOOP)
		return KERN_NOT_SUPPORTED;
	if ((flags & MAP_MEM_PURGABLE) && !(flags & MAP_MEM_NAMED_CREATE))
		return KERN_INVALID_ARGUMENT;
	start = a->offset & PAGE_MASK;
	if (check_add_overflow(a->offset, a->size, &end) || end > MAX_LFS_FILESIZE)
		return KERN_INVALID_ARGUMENT;
	end = PAGE_ALIGN(end);
	if (end <= start)
		return KERN_INVALID_ARGUMENT;

	mutex_lock(&space->lock);
	kr = mach_task_check_local(space, a->task);
	if (!kr && a->parent != MACH_PORT_NULL && !(flags & MAP_MEM_NAMED_CREATE)) {
		parent = mach_mem_entry_get(space, a->parent, &parent_port);
		if (!parent)
			kr = KERN_INVALID_ARGUMENT;
	}
	mutex_unlock(&space->lock);
	if (kr)
		return kr;

	if (flags & MAP_MEM_NAMED_CREATE) {
		/* the offset only says which pages the size covers */
		end -= start;
		start = 0;
		file = mach_shmem_file(end);
		kr = IS_ERR(file) ? kr_of_errno(PTR_ERR(file)) : KERN_SUCCESS;
	} else if (parent) {
		kr = end > parent->size ? KERN_INVALID_ARGUMENT
					: check_prot(&prot, parent->prot, is_mask);
		if (!kr) {
			file = get_file(parent->file);
			off = parent->offset + start;
		}
	} else if (flags & MAP_MEM_VM_COPY) {
		kr = copy_range(start, end - start, &file);
	} else {
		kr = share_range(start, end - start, &prot, is_mask, &file, &off);
	}
	if (parent_port)
		mach_port_put(parent_port);
	if (kr)
		return kr;

	me = kzalloc(sizeof(*me), GFP_KERNEL_ACCOUNT);
	if (!me) {
		fput(file);
		return KERN_RESOURCE_SHORTAGE;
	}
	me->file = file;
	me->offset = off;
	me->size = end - start;
	me->prot = prot;
	atomic_long_inc(&mach_stats.mem_entries);
	port = mach_kobject_port_alloc(MACH_KOBJ_MEMORY_ENTRY, me, true);
	if (!port) {
		mach_mem_entry_free(me);
		return KERN_RESOURCE_SHORTAGE;
	}

	/* once the right is out, another thread may drop it and the entry */
	a->size = end - start;
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	kr = mach_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, true,
				&a->handle, &reap);
	mutex_unlock(&space->lock);
	if (kr) {
		/* the right and, with it, the entry go */
		mach_port_release_send(port, &reap);
		kr = KERN_RESOURCE_SHORTAGE;
	}
	mach_reap_flush(&reap);
	return kr;
}

long mach_mem_entry_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_mem_entry a;
	int kr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	a.handle = MACH_PORT_NULL;
	kr = make_entry(space, &a);
	if (kr == KERN_SUCCESS && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return kr;
}
