// SPDX-License-Identifier: GPL-2.0
/*
 * Pollable ports and port sets: a file descriptor per receive right or set
 * that poll, epoll and io_uring's poll report readable while a message is
 * queued, the way kqueue's EVFILT_MACHPORT does on Darwin.
 *
 * The descriptor holds a reference to the object, not a right: receiving
 * still goes through mach_msg on the name in the owning space.  It reports
 * EPOLLHUP|EPOLLERR once the port is dead, or its receive right has left
 * the space it was made in, or the set was destroyed.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipc.h"

struct mach_pollfd {
	/*
	 * The space the descriptor was made in, by serial number: its
	 * address could be reused by a later space once it is freed.
	 */
	u64 space_id;
	struct mach_port *port;
	struct mach_pset *pset;
};

static __poll_t port_events(struct mach_pollfd *pf)
{
	struct mach_port *port = pf->port;
	__poll_t mask = 0;

	spin_lock(&port->lock);
	/* a receiver space is alive while the port names it (port->lock) */
	if (!port->active || !port->receiver || port->receiver->id != pf->space_id)
		mask = EPOLLHUP | EPOLLERR;
	else if (!list_empty(&port->messages))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&port->lock);
	return mask;
}

static __poll_t pset_events(struct mach_pset *pset)
{
	struct mach_pset_link *link;
	__poll_t mask = 0;

	spin_lock(&pset->lock);
	if (!pset->active) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		list_for_each_entry(link, &pset->members, pset_node) {
			struct mach_port *port = link->port;

			spin_lock(&port->lock);
			if (!list_empty(&port->messages))
				mask = EPOLLIN | EPOLLRDNORM;
			spin_unlock(&port->lock);
			if (mask)
				break;
		}
	}
	spin_unlock(&pset->lock);
	return mask;
}

static __poll_t pollfd_poll(struct file *file, poll_table *pt)
{
	struct mach_pollfd *pf = file->private_data;

	if (pf->port) {
		poll_wait(file, &pf->port->poll_wq, pt);
		return port_events(pf);
	}
	poll_wait(file, &pf->pset->poll_wq, pt);
	return pset_events(pf->pset);
}

static void pollfd_free(struct mach_pollfd *pf)
{
	if (pf->port)
		mach_port_put(pf->port);
	else
		mach_pset_put(pf->pset);
	kfree(pf);
}

static int pollfd_release(struct inode *inode, struct file *file)
{
	pollfd_free(file->private_data);
	return 0;
}

static const struct file_operations pollfd_fops = {
	.owner = THIS_MODULE,
	.poll = pollfd_poll,
	.release = pollfd_release,
	.llseek = noop_llseek,
};

long mach_poll_fd(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_port_fd a;
	struct mach_pollfd *pf;
	struct mach_entry *entry;
	long err;
	int fd;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	pf = kzalloc(sizeof(*pf), GFP_KERNEL_ACCOUNT);
	if (!pf)
		return -ENOMEM;
	pf->space_id = space->id;
	mutex_lock(&space->lock);
	err = mach_task_check(space, a.task) ? -EINVAL : 0;
	entry = err ? NULL : mach_entry_lookup(space, a.name);
	if (!err && !entry) {
		err = -ENOENT;
	} else if (entry && (entry->type & MACH_PORT_TYPE_RECEIVE)) {
		pf->port = entry->port;
		mach_port_get(pf->port);
	} else if (entry && (entry->type & MACH_PORT_TYPE_PORT_SET)) {
		pf->pset = entry->pset;
		refcount_inc(&pf->pset->ref);
	} else if (!err) {
		err = -EINVAL;
	}
	mutex_unlock(&space->lock);
	if (err) {
		kfree(pf);
		return err;
	}
	fd = anon_inode_getfd("[mach_port]", &pollfd_fops, pf, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		pollfd_free(pf);
	return fd;
}
