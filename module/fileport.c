// SPDX-License-Identifier: GPL-2.0
/*
 * Fileports: an open file named by a port (XNU's fileport_makeport and
 * fileport_makefd).  The port has no receive right; it holds one file
 * reference until its last right goes.  fileport_makefd installs a new
 * close-on-exec descriptor in the calling process, so a descriptor only
 * ever appears in the context of the process that asks for it (as Binder
 * installs received descriptors in the receiver's own context).
 *
 * A /dev/mach descriptor cannot become a fileport: the space it names
 * belongs to its opener, and no other process may get hold of it this way.
 * Darwin refuses files that may not be sent with EINVAL; so does this.
 * Both calls are BSD calls on Darwin, with errno codes: the ioctl fails
 * with them (-1 and errno in user space, as there).
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uaccess.h>
#include "ipc.h"

void mach_fileport_free(struct file *file)
{
	fput(file);
	atomic_long_dec(&mach_stats.fileports);
}

static int makeport(struct mach_space *space, struct mach_ioc_fileport *a)
{
	struct mach_port *port;
	struct mach_reap reap;
	struct file *file;
	int err;

	file = fget(a->fd);
	if (!file)
		return -EBADF;
	if (mach_is_device_file(file)) {
		fput(file);
		return -EINVAL;
	}
	atomic_long_inc(&mach_stats.fileports);
	port = mach_kobject_port_alloc(MACH_KOBJ_FILEPORT, file, true);
	if (!port) {
		mach_fileport_free(file);
		return -ENOMEM;
	}
	mach_reap_init(&reap);
	mutex_lock(&space->lock);
	err = mach_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, true,
				 &a->port, &reap);
	mutex_unlock(&space->lock);
	if (err) {
		mach_port_release_send(port, &reap);
		err = -ENOMEM;
	}
	mach_reap_flush(&reap);
	return err;
}

static int makefd(struct mach_space *space, struct mach_ioc_fileport *a)
{
	struct mach_entry *entry;
	struct file *file = NULL;
	struct mach_port *port;
	int fd;

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, a->port);
	if (entry && (entry->type & MACH_PORT_TYPE_SEND) &&
	    MACH_PORT_PTR_VALID(entry->port)) {
		port = entry->port;
		if (port->kobject_type == MACH_KOBJ_FILEPORT && port->kobject)
			file = get_file(port->kobject);
	}
	mutex_unlock(&space->lock);
	if (!file)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	fd_install(fd, file);
	a->fd = fd;
	return 0;
}

long mach_fileport_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg)
{
	struct mach_ioc_fileport a;
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (cmd == MACH_IOC_FILEPORT_MAKEPORT) {
		a.port = MACH_PORT_NULL;
		err = makeport(space, &a);
	} else {
		a.fd = -1;
		err = makefd(space, &a);
	}
	if (!err && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return err;
}
