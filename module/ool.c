// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line memory in messages.
 *
 * The sender's range is copied into kernel memory at send time (charged to
 * its memory cgroup), so later writes by the sender are invisible to the
 * receiver, as with XNU's copy-on-write snapshot.  The receiver gets fresh
 * private anonymous memory in its own address space, mapped and filled in
 * its own context at receive time, at an address the kernel picks; a
 * virtual copy keeps the sender's page offset.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipc.h"

int mach_ool_copyin(struct mach_kdesc *d, const struct mach_msg_ool_descriptor *od)
{
	d->copy = od->copy;
	d->dealloc = od->deallocate;
	d->uaddr = od->address;
	d->ool.size = od->size;
	d->ool.pgoff = od->copy == MACH_MSG_VIRTUAL_COPY ? offset_in_page(od->address) : 0;
	if (!od->size)
		return MACH_MSG_SUCCESS;
	d->ool.data = kvmalloc(od->size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!d->ool.data)
		return MACH_SEND_NO_BUFFER;
	if (copy_from_user(d->ool.data, u64_to_user_ptr(od->address), od->size))
		return MACH_SEND_INVALID_MEMORY;
	return MACH_MSG_SUCCESS;
}

static unsigned long map_fresh(size_t len)
{
	return vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
}

/* Map and fill the receiver's copy.  Returns 0 or MACH_MSG_VM_SPACE. */
int mach_ool_copyout(struct mach_kdesc *d, u64 *uaddrp)
{
	size_t len = PAGE_ALIGN((size_t)d->ool.pgoff + d->ool.size);
	unsigned long addr;

	*uaddrp = 0;
	if (!d->ool.size)
		return 0;
	addr = map_fresh(len);
	if (IS_ERR_VALUE(addr))
		return MACH_MSG_VM_SPACE;
	if (copy_to_user((void __user *)(addr + d->ool.pgoff), d->ool.data, d->ool.size)) {
		vm_munmap(addr, len);
		return MACH_MSG_VM_SPACE;
	}
	*uaddrp = addr + d->ool.pgoff;
	return 0;
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
		kvfree(d->ool.data);
		d->ool.data = NULL;
		break;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		kvfree(d->ports.ports);
		d->ports.ports = NULL;
		break;
	}
}
