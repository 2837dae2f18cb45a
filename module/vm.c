// SPDX-License-Identifier: GPL-2.0
/*
 * mach_vm_map: a memory entry, or zero-filled memory, mapped into the
 * caller's address space with vm_mmap, in the caller's own context.
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
#include <linux/sched/signal.h>
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
	kr = mach_task_check(space, a->task);
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
