// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line memory in messages.
 *
 * At send the sender's bytes are copied once into pages the module
 * allocates (charged to the sender's memory cgroup), each byte at the page
 * offset it will have in the receiver, so later writes by the sender are
 * invisible to the receiver, as with XNU's copy-on-write snapshot.  At
 * receive the same pages are inserted into a fresh mapping in the
 * receiver's address space (vm_insert_pages, in its own context, at an
 * address the kernel picks; a virtual copy keeps the sender's page
 * offset): no second copy, and no fault or zeroed page per received page.
 *
 * The mapping is MAP_PRIVATE of the space's "[mach_ool]" file, so its PTEs
 * are read-only and the first write to a page, by the receiver or by
 * either side of a later fork, copies that page into anonymous memory:
 * each process sees its own copy.  A page zapped by MADV_DONTNEED, or one
 * added by mremap growth, faults in zero-filled, as anonymous memory does.
 *
 * A deallocate send cannot hand the sender's own pages over: they are
 * anonymous pages, which vm_insert_pages refuses, and no exported API
 * moves anonymous pages from one mm to another.  Its bytes are copied like
 * any other and the range is then unmapped from the sender.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/highmem.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "ipc.h"

#define OOL_GFP		(GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN)

/*
 * Pages a space has sent, kept for its next sends: a page the kernel
 * allocates is zeroed first (init_on_alloc, Debian's default), which costs
 * as much as the copy itself.  The space keeps a reference on the pages it
 * sent, oldest first, and takes the oldest again once nothing else holds it
 * (page_count 1: unmapped by its receiver, or the message destroyed, and
 * no pin), as a pipe reuses its spare page.  Such a page is mapped nowhere,
 * so overwriting it is seen by no one; it stays charged to the space's
 * memory cgroup.  At most ool_cache_pages per space, released with it.
 */
static unsigned int mach_ool_cache_pages = 2048;
module_param_named(ool_cache_pages, mach_ool_cache_pages, uint, 0644);
MODULE_PARM_DESC(ool_cache_pages,
		 "Sent OOL pages a space keeps for reuse (default 2048, 0 disables)");

struct mach_ool_cache {
	spinlock_t lock;
	u32 head, count, cap;
	struct page *ring[];
};

static struct mach_ool_cache *ool_cache(struct mach_space *space)
{
	struct mach_ool_cache *c, *old;
	u32 cap;

	/* pairs with the cmpxchg below */
	c = smp_load_acquire(&space->ool_cache);
	cap = min(READ_ONCE(mach_ool_cache_pages), 1U << 20);
	if (c || !cap)
		return c;
	/* without one the sends still work, with fresh pages */
	c = kvzalloc(struct_size(c, ring, cap), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!c)
		return NULL;
	spin_lock_init(&c->lock);
	c->cap = cap;
	old = cmpxchg(&space->ool_cache, NULL, c);
	if (old) {
		kvfree(c);
		return old;
	}
	return c;
}

/* Take up to n of the oldest kept pages that nothing else holds; returns how many. */
static u32 ool_cache_take(struct mach_ool_cache *c, struct page **pages, u32 n)
{
	u32 got = 0;

	spin_lock(&c->lock);
	while (got < n && c->count && page_count(c->ring[c->head]) == 1) {
		pages[got++] = c->ring[c->head];
		c->head = (c->head + 1) % c->cap;
		c->count--;
	}
	spin_unlock(&c->lock);
	atomic_long_sub(got, &mach_stats.ool_cached);
	return got;
}

/* Keep a reference to the n pages of a send, newest last, dropping the oldest. */
static void ool_cache_keep(struct mach_ool_cache *c, struct page **pages, u32 n)
{
	u32 i, added = 0;

	spin_lock(&c->lock);
	/* pages before the last cap would only be dropped again */
	for (i = n > c->cap ? n - c->cap : 0; i < n; i++) {
		get_page(pages[i]);
		if (c->count == c->cap) {
			/* freed here if nothing else holds it (put_page does not sleep) */
			put_page(c->ring[c->head]);
			c->head = (c->head + 1) % c->cap;
			c->count--;
		} else {
			added++;
		}
		c->ring[(c->head + c->count) % c->cap] = pages[i];
		c->count++;
	}
	spin_unlock(&c->lock);
	atomic_long_add(added, &mach_stats.ool_cached);
}

static void ool_cache_free(struct mach_ool_cache *c)
{
	u32 i;

	if (!c)
		return;
	for (i = 0; i < c->count; i++)
		put_page(c->ring[(c->head + i) % c->cap]);
	atomic_long_sub(c->count, &mach_stats.ool_cached);
	kvfree(c);
}

static u32 ool_npages(const struct mach_kdesc *d)
{
	return PAGE_ALIGN((size_t)d->ool.pgoff + d->ool.size) >> PAGE_SHIFT;
}

/* Drop the module's references on a descriptor's pages (NULL-terminated if short). */
static void ool_release_pages(struct mach_kdesc *d)
{
	u32 i, n = ool_npages(d);

	for (i = 0; i < n && d->ool.pages[i]; i++)
		put_page(d->ool.pages[i]);
	atomic_long_sub(i, &mach_stats.ool_pages);
	kvfree(d->ool.pages);
	d->ool.pages = NULL;
}

int mach_ool_copyin(struct mach_space *space, struct mach_kdesc *d,
		    const struct mach_msg_ool_descriptor *od)
{
	const char __user *src = u64_to_user_ptr(od->address);
	struct mach_ool_cache *c;
	size_t done = 0, head;
	u32 i, n;

	d->copy = od->copy;
	d->dealloc = od->deallocate;
	d->uaddr = od->address;
	d->ool.size = od->size;
	d->ool.pgoff = od->copy == MACH_MSG_VIRTUAL_COPY ? offset_in_page(od->address) : 0;
	if (!od->size)
		return MACH_MSG_SUCCESS;
	n = ool_npages(d);
	/* zeroed: the pages present are those before the first NULL */
	d->ool.pages = kvcalloc(n, sizeof(*d->ool.pages), GFP_KERNEL_ACCOUNT);
	if (!d->ool.pages)
		return MACH_SEND_NO_BUFFER;
	c = ool_cache(space);
	i = c ? ool_cache_take(c, d->ool.pages, n) : 0;
	for (; i < n; i++) {
		d->ool.pages[i] = alloc_page(OOL_GFP);
		if (!d->ool.pages[i])
			break;
	}
	atomic_long_add(i, &mach_stats.ool_pages);
	if (i < n)
		return MACH_SEND_NO_BUFFER;
	if (c)
		ool_cache_keep(c, d->ool.pages, n);

	head = d->ool.pgoff;
	for (i = 0; i < n; i++) {
		size_t chunk = min_t(size_t, PAGE_SIZE - head, d->ool.size - done);
		unsigned long left;
		u8 *kaddr;

		kaddr = kmap_local_page(d->ool.pages[i]);
		/* the receiver sees whole pages: nothing but the data may be left in them */
		if (head)
			memset(kaddr, 0, head);
		if (head + chunk < PAGE_SIZE)
			memset(kaddr + head + chunk, 0, PAGE_SIZE - head - chunk);
		left = copy_from_user(kaddr + head, src + done, chunk);
		kunmap_local(kaddr);
		if (left)
			return MACH_SEND_INVALID_MEMORY;
		done += chunk;
		head = 0;
		if (!(i % 64))
			cond_resched();
	}
	return MACH_MSG_SUCCESS;
}

/*
 * A page of a received range that is gone (MADV_DONTNEED) or was never
 * there (mremap growth): zero-filled, as in anonymous memory.
 */
static vm_fault_t ool_fault(struct vm_fault *vmf)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT);

	if (!page)
		return VM_FAULT_OOM;
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct ool_vm_ops = {
	.fault = ool_fault,
};

static int ool_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* only private mappings: a shared one would let a write reach a page twice */
	if (vma->vm_flags & VM_MAYSHARE)
		return -EINVAL;
	/* vm_insert_pages under the read lock needs VM_MIXEDMAP set already */
	mach_vma_flags_set(vma, VM_MIXEDMAP);
	vma->vm_ops = &ool_vm_ops;
	return 0;
}

/*
 * No read or write: the file exists only to be mapped by the kernel.  Each
 * mapping holds the file, and the file the module.
 */
static const struct file_operations ool_fops = {
	.owner = THIS_MODULE,
	.mmap = ool_mmap,
};

/* The space's file for received ranges, made at its first OOL receive. */
static struct file *ool_file(struct mach_space *space)
{
	struct file *file, *old;

	/* pairs with the cmpxchg below: a file seen here is fully set up */
	file = smp_load_acquire(&space->ool_file);
	if (file)
		return file;
	file = anon_inode_getfile("[mach_ool]", &ool_fops, NULL, O_RDWR);
	if (IS_ERR(file))
		return file;
	old = cmpxchg(&space->ool_file, NULL, file);
	if (old) {
		fput(file);
		return old;
	}
	return file;
}

void mach_ool_space_release(struct mach_space *space)
{
	if (space->ool_file)
		fput(space->ool_file);
	space->ool_file = NULL;
	ool_cache_free(space->ool_cache);
	space->ool_cache = NULL;
}

/* Map the snapshot's pages into the receiver.  Returns 0 or MACH_MSG_VM_SPACE. */
int mach_ool_copyout(struct mach_space *space, struct mach_kdesc *d, u64 *uaddrp)
{
	struct mm_struct *mm = current->mm;
	u32 n = ool_npages(d);
	size_t len = (size_t)n << PAGE_SHIFT;
	struct vm_area_struct *vma;
	unsigned long addr, left = n;
	struct file *file;
	bool ours = false;
	int err = -EFAULT;

	*uaddrp = 0;
	if (!d->ool.size)
		return 0;
	if (!d->ool.pages)
		return MACH_MSG_VM_SPACE;
	file = ool_file(space);
	if (IS_ERR(file))
		return MACH_MSG_VM_SPACE;
	addr = vm_mmap(file, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		return MACH_MSG_VM_SPACE;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	/* another thread of the receiver may have replaced the range meanwhile */
	if (vma && vma->vm_ops == &ool_vm_ops && vma->vm_start == addr &&
	    vma->vm_end == addr + len) {
		ours = true;
		err = vm_insert_pages(vma, addr, d->ool.pages, &left);
	}
	mmap_read_unlock(mm);
	if (err) {
		/* our mapping, partly filled: the pages it holds go with it */
		if (ours)
			vm_munmap(addr, len);
		return MACH_MSG_VM_SPACE;
	}
	/* the mapping holds the pages now */
	ool_release_pages(d);
	*uaddrp = addr + d->ool.pgoff;
	return 0;
}

static unsigned long map_fresh(size_t len)
{
	return vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
}

/* The receiver's array of names for an OOL ports descriptor. */
int mach_ool_names_copyout(const u32 *names, u32 count, u64 *uaddrp)
{
	size_t len = PAGE_ALIGN((size_t)count * sizeof(u32));
	unsigned long addr;

	*uaddrp = 0;
	if (!count)
		return 0;
	addr = map_fresh(len);
	if (IS_ERR_VALUE(addr))
		return MACH_MSG_VM_SPACE;
	if (copy_to_user((void __user *)addr, names, (size_t)count * sizeof(u32))) {
		vm_munmap(addr, len);
		return MACH_MSG_VM_SPACE;
	}
	*uaddrp = addr;
	return 0;
}

/* deallocate=1: the copy becomes a move; the sender's pages go. */
void mach_ool_dealloc_sender(struct mach_kmsg *kmsg)
{
	u64 start, end, size;
	u32 i;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->descs[i];

		cond_resched();
		if (!d->dealloc)
			continue;
		if (d->type == MACH_MSG_OOL_DESCRIPTOR ||
		    d->type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
			size = d->ool.size;
		else if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			size = (u64)d->ports.count * sizeof(u32);
		else
			continue;
		if (!size)
			continue;
		start = d->uaddr & PAGE_MASK;
		end = PAGE_ALIGN(d->uaddr + size);
		vm_munmap(start, end - start);
	}
}

/* Memory a descriptor holds; its rights must be gone. */
void mach_kdesc_free_memory(struct mach_kdesc *d)
{
	switch (d->type) {
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		if (d->ool.pages)
			ool_release_pages(d);
		break;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		kvfree(d->ports.ports);
		d->ports.ports = NULL;
		break;
	}
}
