// SPDX-License-Identifier: GPL-2.0
/*
 * mach_vm_map: a memory entry, or zero-filled memory, mapped into the
 * caller's address space with vm_mmap, in the caller's own context.
 * mach_vm_region and the remote half of mach_vm_read/_write: a task's map
 * read under its mmap lock with find_vma, and its memory reached through
 * access_process_vm, the kernel's own remote-access path (ptrace's);
 * another process's pages are never mapped here.
 *
 * Sharing maps the entry's file MAP_SHARED.  A copy (copy = TRUE) is a
 * snapshot taken at map time into new shmem, mapped privately.  The
 * maximum protection is enforced through the file the mapping holds: with
 * no VM_PROT_WRITE in it, the mapping is a MAP_SHARED mapping of a
 * read-only open of the file, which Linux never lets mprotect make
 * writable (zero-fill and copies then use shmem too, so that the same
 * holds for them).  VM_PROT_EXECUTE in the maximum is not enforced: Linux
 * decides PROT_EXEC by the file's mount.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* Hints that change nothing here, and what is done. */
#define VM_MAP_FLAGS \
	(VM_FLAGS_ANYWHERE | VM_FLAGS_OVERWRITE | VM_FLAGS_RANDOM_ADDR | \
	 VM_FLAGS_NO_CACHE | VM_FLAGS_PURGABLE | VM_FLAGS_RETURN_DATA_ADDR | \
	 VM_FLAGS_ALIAS_MASK)
/* Darwin flags Linux cannot honour. */
#define VM_MAP_FLAGS_UNSUPPORTED \
	(VM_FLAGS_PERMANENT | VM_FLAGS_SUPERPAGE_MASK | VM_FLAGS_TPRO | \
	 VM_FLAGS_4GB_CHUNK | VM_FLAGS_RESILIENT_CODESIGN | VM_FLAGS_RESILIENT_MEDIA | \
	 VM_FLAGS_RETURN_4K_DATA_ADDR)

static unsigned long linux_prot(u32 prot)
{
	return (prot & VM_PROT_READ ? PROT_READ : 0) |
	       (prot & VM_PROT_WRITE ? PROT_WRITE : 0) |
	       (prot & VM_PROT_EXECUTE ? PROT_EXEC : 0);
}

/* Copy @len bytes of @src at @pos into the new file @dst, at 0. */
static int copy_file(struct file *src, loff_t pos, struct file *dst, u64 len)
{
	loff_t dpos;
	void *buf;
	u64 done;
	ssize_t n;
	int kr = KERN_SUCCESS;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	for (done = 0; done < len; done += PAGE_SIZE) {
		if (fatal_signal_pending(current)) {
			kr = KERN_ABORTED;
			break;
		}
		n = kernel_read(src, buf, PAGE_SIZE, &pos);
		if (n < 0) {
			kr = KERN_MEMORY_ERROR;
			break;
		}
		if (n < PAGE_SIZE)	/* past the end of the file: zeros */
			memset(buf + n, 0, PAGE_SIZE - n);
		if (!memchr_inv(buf, 0, PAGE_SIZE))
			continue;
		dpos = done;
		n = kernel_write(dst, buf, PAGE_SIZE, &dpos);
		if (n != PAGE_SIZE) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		cond_resched();
	}
	kfree(buf);
	return kr;
}

static int kr_of_mmap(long err, bool fixed)
{
	switch (err) {
	case -EEXIST:
		return KERN_NO_SPACE;
	case -ENOMEM:
		return fixed ? KERN_INVALID_ADDRESS : KERN_NO_SPACE;
	case -EACCES:
	case -EPERM:
		return fixed ? KERN_INVALID_ADDRESS : KERN_PROTECTION_FAILURE;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * Map anywhere at an address aligned to @mask + 1: reserve room for the
 * alignment, map over the aligned part, give back the edges.
 */
static unsigned long map_aligned(struct file *file, u64 hint, u64 len, u64 mask,
				 unsigned long prot, unsigned long mflags, u64 pgoff)
{
	u64 align = (mask | ~PAGE_MASK) + 1, rlen;
	unsigned long r, addr, got;

	if (align <= PAGE_SIZE)
		return vm_mmap(file, hint, len, prot, mflags, pgoff);
	if (check_add_overflow(len, align - PAGE_SIZE, &rlen))
		return -ENOMEM;
	r = vm_mmap(NULL, hint, rlen, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, 0);
	if (IS_ERR_VALUE(r))
		return r;
	addr = ALIGN(r, align);
	got = vm_mmap(file, addr, len, prot, mflags | MAP_FIXED, pgoff);
	if (IS_ERR_VALUE(got)) {
		vm_munmap(r, rlen);
		return got;
	}
	if (addr > r)
		vm_munmap(r, addr - r);
	if (r + rlen > addr + len)
		vm_munmap(addr + len, r + rlen - (addr + len));
	return addr;
}

static int vm_map(struct mach_space *space, struct mach_ioc_vm_map *a)
{
	u32 cur = a->cur_protection, max = a->max_protection;
	bool anywhere = a->flags & VM_FLAGS_ANYWHERE;
	struct file *file = NULL, *tmp = NULL, *ro = NULL;
	struct mach_mem_entry *me = NULL;
	struct mach_port *port = NULL;
	unsigned long mflags, addr;
	u64 len, end, objoff, pgoff = 0;
	bool shared;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if ((cur | max) & ~VM_PROT_ALL || (cur & max) != cur ||
	    a->inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (a->flags & VM_MAP_FLAGS_UNSUPPORTED)
		return KERN_NOT_SUPPORTED;
	if (a->flags & ~VM_MAP_FLAGS)
		return KERN_INVALID_ARGUMENT;
	if (anywhere && (a->flags & VM_FLAGS_OVERWRITE))
		return KERN_INVALID_ARGUMENT;
	if (a->size == 0 || check_add_overflow(a->offset, a->size, &end) ||
	    end > MAX_LFS_FILESIZE)
		return KERN_INVALID_ARGUMENT;
	objoff = a->offset & PAGE_MASK;
	len = PAGE_ALIGN(end) - objoff;
	/* page zero stays unmapped (NULL must fault), and no range wraps */
	if (!anywhere && ((a->address & PAGE_MASK) == 0 ||
			  (a->address & PAGE_MASK) + len < (a->address & PAGE_MASK)))
		return KERN_INVALID_ADDRESS;

	mutex_lock(&space->lock);
	kr = mach_task_check_local(space, a->task);
	if (!kr && a->object != MACH_PORT_NULL) {
		me = mach_mem_entry_get(space, a->object, &port);
		if (!me)
			kr = KERN_INVALID_OBJECT;
	}
	mutex_unlock(&space->lock);
	if (kr)
		return kr;

	if (me) {
		kr = KERN_INVALID_RIGHT;
		if ((me->prot & max) != max)
			goto out;
		kr = KERN_INVALID_ARGUMENT;
		if (objoff + len > me->size)
			goto out;
		kr = KERN_SUCCESS;
	}
	if (me && !a->copy) {
		file = me->file;
		pgoff = me->offset + objoff;
		shared = true;
	} else if (me || !(max & VM_PROT_WRITE)) {
		tmp = mach_shmem_file(len);
		if (IS_ERR(tmp)) {
			kr = PTR_ERR(tmp) == -ENOMEM ? KERN_RESOURCE_SHORTAGE
						     : KERN_INVALID_ARGUMENT;
			tmp = NULL;
			goto out;
		}
		if (me) {
			kr = copy_file(me->file, me->offset + objoff, tmp, len);
			if (kr)
				goto out;
		}
		file = tmp;
		shared = !(max & VM_PROT_WRITE) || a->inheritance == VM_INHERIT_SHARE;
	} else {
		shared = a->inheritance == VM_INHERIT_SHARE;
	}
	if (file && shared && !(max & VM_PROT_WRITE) && (file->f_mode & FMODE_WRITE)) {
		ro = dentry_open(&file->f_path, O_RDONLY | O_LARGEFILE, current_cred());
		if (IS_ERR(ro)) {
			kr = KERN_RESOURCE_SHORTAGE;
			ro = NULL;
			goto out;
		}
		file = ro;
	}

	mflags = shared ? MAP_SHARED : MAP_PRIVATE;
	if (!file)
		mflags |= MAP_ANONYMOUS;
	if (anywhere) {
		addr = map_aligned(file, a->address & PAGE_MASK, len, a->mask,
				   linux_prot(cur), mflags, pgoff);
	} else {
		mflags |= a->flags & VM_FLAGS_OVERWRITE ? MAP_FIXED : MAP_FIXED_NOREPLACE;
		addr = vm_mmap(file, a->address & PAGE_MASK, len, linux_prot(cur),
			       mflags, pgoff);
		if (!IS_ERR_VALUE(addr) && addr != (a->address & PAGE_MASK)) {
			vm_munmap(addr, len);	/* taken as a hint */
			addr = -EEXIST;
		}
	}
	if (IS_ERR_VALUE(addr)) {
		kr = kr_of_mmap((long)addr, !anywhere);
		goto out;
	}
	a->address = addr;
	if (a->flags & VM_FLAGS_RETURN_DATA_ADDR)
		a->address += offset_in_page(a->offset);
	kr = KERN_SUCCESS;
out:
	if (ro)
		fput(ro);
	if (tmp)
		fput(tmp);
	if (port)
		mach_port_put(port);
	return kr;
}

long mach_vm_map_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_vm_map a;
	int kr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	kr = vm_map(space, &a);
	if (kr == KERN_SUCCESS && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return kr;
}

/*
 * The process whose memory the task port name @name of @space stands for,
 * referenced, or NULL with *kr set.  The one place where the target of the
 * calls below is resolved: the caller's own task port, or another task's
 * (from task_for_pid or a message).  For another task the holder must also
 * pass task_for_pid's ptrace rule now, as the issue asks of every remote
 * memory access: a task port handed to a process of another uid names the
 * task but does not open its memory (KERN_PROTECTION_FAILURE).
 */
static struct task_struct *vm_target(struct mach_space *space, u32 name, int *kr)
{
	struct task_struct *task = mach_task_get(space, name, MACH_TASK_CONTROL, kr);

	if (task && task != current->group_leader && !mach_task_may_control(task)) {
		put_task_struct(task);
		*kr = KERN_PROTECTION_FAILURE;
		return NULL;
	}
	return task;
}

/* The target's mm, with a user reference (mmput), or NULL with *kr set. */
static struct mm_struct *vm_target_mm(struct mach_space *space, u32 name,
				      struct task_struct **taskp, int *kr)
{
	struct task_struct *task = vm_target(space, name, kr);
	struct mm_struct *mm;

	if (!task)
		return NULL;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		*kr = KERN_INVALID_TASK;	/* exiting, or no user memory */
		return NULL;
	}
	if (taskp)
		*taskp = task;
	else
		put_task_struct(task);
	return mm;
}

static u32 mach_prot(unsigned long flags, unsigned long r, unsigned long w,
		     unsigned long x)
{
	return (flags & r ? VM_PROT_READ : 0) | (flags & w ? VM_PROT_WRITE : 0) |
	       (flags & x ? VM_PROT_EXECUTE : 0);
}

static void region_fill(struct vm_area_struct *vma, struct mach_ioc_vm_region *a)
{
	unsigned long f = vma->vm_flags;

	a->address = vma->vm_start;
	a->size = vma->vm_end - vma->vm_start;
	a->protection = mach_prot(f, VM_READ, VM_WRITE, VM_EXEC);
	a->max_protection = mach_prot(f, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC);
	/*
	 * VM_MAYSHARE: a MAP_SHARED mapping of a read-only open has no
	 * VM_SHARED, but its pages are the file's all the same.
	 */
	if (f & VM_DONTCOPY)
		a->inheritance = VM_INHERIT_NONE;
	else if (f & VM_MAYSHARE)
		a->inheritance = VM_INHERIT_SHARE;
	else
		a->inheritance = VM_INHERIT_COPY;
	if (f & VM_RAND_READ)
		a->behavior = VM_BEHAVIOR_RANDOM;
	else if (f & VM_SEQ_READ)
		a->behavior = VM_BEHAVIOR_SEQUENTIAL;
	else
		a->behavior = VM_BEHAVIOR_DEFAULT;
	a->wired = !!(f & VM_LOCKED);
	a->flags = (f & VM_MAYSHARE ? MACH_VM_REGION_SHARED : 0) |
		   (f & VM_GROWSDOWN ? MACH_VM_REGION_STACK : 0);
	a->offset = 0;
	a->object_id = 0;
	if (vma->vm_file) {
		a->flags |= MACH_VM_REGION_FILE;
		a->offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
		a->object_id = file_inode(vma->vm_file)->i_ino;
	}
}

static int vm_region(struct mach_space *space, struct mach_ioc_vm_region *a)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int kr;

	if (a->reserved)
		return -EINVAL;
	mm = vm_target_mm(space, a->task, NULL, &kr);
	if (!mm)
		return kr;
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return KERN_ABORTED;
	}
	/* the region holding the address, or the first one above it */
	vma = a->address > ULONG_MAX ? NULL : find_vma(mm, a->address);
	if (vma) {
		region_fill(vma, a);
		kr = KERN_SUCCESS;
	} else {
		kr = KERN_INVALID_ADDRESS;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return kr;
}

/*
 * vm_map_copyin's and vm_map_copy_overwrite's checks, made on the whole
 * range before anything is copied: a hole is KERN_INVALID_ADDRESS, a region
 * without the access @need KERN_PROTECTION_FAILURE, in address order.
 */
static int check_range(struct mm_struct *mm, u64 start, u64 end, unsigned long need)
{
	struct vm_area_struct *vma;
	u64 addr = start;

	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr)
			return KERN_INVALID_ADDRESS;
		if ((vma->vm_flags & need) != need)
			return KERN_PROTECTION_FAILURE;
		addr = vma->vm_end;
	}
	return KERN_SUCCESS;
}

#define VM_RW_CHUNK	(16 * PAGE_SIZE)

static int rw_copy(struct task_struct *task, struct mach_ioc_vm_rw *a)
{
	void __user *ubuf = u64_to_user_ptr(a->buffer);
	unsigned int gup = a->write ? FOLL_WRITE : 0;
	size_t chunk = min_t(u64, a->size, VM_RW_CHUNK);
	int kr = KERN_SUCCESS;
	u64 done;
	void *buf;
	int n;

	buf = kvmalloc(chunk, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	for (done = 0; done < a->size; done += n) {
		n = min_t(u64, a->size - done, chunk);
		if (fatal_signal_pending(current)) {
			kr = KERN_ABORTED;
			break;
		}
		if (a->write && copy_from_user(buf, ubuf + done, n)) {
			kr = -EFAULT;
			break;
		}
		/* short: the range changed since it was checked */
		if (access_process_vm(task, a->address + done, buf, n, gup) != n) {
			kr = KERN_INVALID_ADDRESS;
			break;
		}
		if (!a->write && copy_to_user(ubuf + done, buf, n)) {
			kr = -EFAULT;
			break;
		}
		cond_resched();
	}
	kvfree(buf);
	return kr;
}

static int vm_rw(struct mach_space *space, struct mach_ioc_vm_rw *a)
{
	struct task_struct *task;
	struct mm_struct *mm;
	u64 end;
	int kr;

	if (a->write > 1)
		return -EINVAL;
	if (a->size == 0)
		return KERN_SUCCESS;
	if (check_add_overflow(a->address, a->size, &end) || end > ULONG_MAX)
		return KERN_INVALID_ADDRESS;
	mm = vm_target_mm(space, a->task, &task, &kr);
	if (!mm)
		return kr;
	if (mmap_read_lock_killable(mm)) {
		kr = KERN_ABORTED;
	} else {
		kr = check_range(mm, a->address & PAGE_MASK, end,
				 a->write ? VM_WRITE : VM_READ);
		mmap_read_unlock(mm);
	}
	if (!kr)
		kr = rw_copy(task, a);
	mmput(mm);
	put_task_struct(task);
	return kr;
}

long mach_vm_region_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_vm_region a;
	int kr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	kr = vm_region(space, &a);
	if (kr == KERN_SUCCESS && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return kr;
}

long mach_vm_rw_ioctl(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_vm_rw a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	return vm_rw(space, &a);
}
