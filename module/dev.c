// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mach: one IPC space per open, ioctl dispatch, module parameters and
 * the module's live-object counters.
 *
 * A space belongs to the thread group that opened it.  Another process
 * holding the file (fork, SCM_RIGHTS) gets -EBADFD from everything but
 * MACH_IOC_FORK_SPACE, which gives it a space of its own.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/anon_inodes.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include "ipc.h"

/* XNU's inline limit: 64 MiB * 3/4 minus the largest trailer. */
#define MACH_MSG_SIZE_XNU	(64U * 1024 * 1024 / 4 * 3 - MACH_MSG_TRAILER_MAX_SIZE)

unsigned int mach_max_msg_size = MACH_MSG_SIZE_XNU;
unsigned int mach_max_entries = 1U << 18;
unsigned long mach_max_port_bytes = 256UL << 20;
unsigned long mach_max_ool_size = 128UL << 20;
struct mach_stats mach_stats;

static int param_set_bounded_uint(const char *val, const struct kernel_param *kp,
				  unsigned int lo, unsigned int hi)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < lo || v > hi)
		return -ERANGE;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int set_msg_size(const char *val, const struct kernel_param *kp)
{
	return param_set_bounded_uint(val, kp, sizeof(struct mach_msg_header),
				      MACH_MSG_SIZE_XNU);
}

static int set_entries(const char *val, const struct kernel_param *kp)
{
	return param_set_bounded_uint(val, kp, 16, 0xfffffe);
}

static const struct kernel_param_ops msg_size_ops = {
	.set = set_msg_size, .get = param_get_uint,
};
static const struct kernel_param_ops entries_ops = {
	.set = set_entries, .get = param_get_uint,
};

module_param_cb(max_msg_size, &msg_size_ops, &mach_max_msg_size, 0644);
MODULE_PARM_DESC(max_msg_size, "Largest inline message in bytes (default and maximum: XNU's 50331580)");
module_param_cb(max_entries, &entries_ops, &mach_max_entries, 0644);
MODULE_PARM_DESC(max_entries, "Names per IPC space (16..16777214, default 262144)");
module_param_named(max_port_bytes, mach_max_port_bytes, ulong, 0644);
MODULE_PARM_DESC(max_port_bytes, "Bytes of messages, inline and out-of-line, one port may hold queued (default 256 MiB)");
module_param_named(max_ool_size, mach_max_ool_size, ulong, 0644);
MODULE_PARM_DESC(max_ool_size, "Out-of-line bytes one message may carry (default 128 MiB)");

static const struct file_operations mach_fops;

static struct mach_space *space_new(void)
{
	struct mach_space *space = mach_space_create();

	if (!space)
		return NULL;
	if (mach_task_init(space)) {
		mach_space_destroy(space);
		return NULL;
	}
	return space;
}

static int mach_open(struct inode *inode, struct file *file)
{
	struct mach_space *space = space_new();

	if (!space)
		return -ENOMEM;
	file->private_data = space;
	return 0;
}

static int mach_release(struct inode *inode, struct file *file)
{
	mach_space_destroy(file->private_data);
	return 0;
}

/* A fresh space for the caller that inherits @parent's special ports. */
static long fork_space(struct mach_space *parent)
{
	struct mach_space *space = space_new();
	int fd;

	if (!space)
		return -ENOMEM;
	mach_task_inherit(space, parent);
	fd = anon_inode_getfd("[mach]", &mach_fops, space, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		mach_space_destroy(space);
	return fd;
}

static long version(void __user *uarg)
{
	struct mach_ioc_version v = {
		.abi_version = MACH_ABI_VERSION,
		.max_msg_size = READ_ONCE(mach_max_msg_size),
		.features = MACH_FEATURE_PORT_SETS | MACH_FEATURE_NOTIFICATIONS |
			    MACH_FEATURE_OOL | MACH_FEATURE_POLL |
			    MACH_FEATURE_URING_CMD | MACH_FEATURE_MEMORY_ENTRY |
			    MACH_FEATURE_FILEPORT,
	};

	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long mach_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mach_space *space = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != MACH_IOC_MAGIC)
		return -ENOTTY;
	if (space->owner != task_tgid(current))
		return cmd == MACH_IOC_FORK_SPACE ? fork_space(space) : -EBADFD;

	switch (cmd) {
	case MACH_IOC_MSG:
		return mach_msg_ioctl(space, uarg);
	case MACH_IOC_MSG2:
		return mach_msg2_ioctl(space, uarg);
	case MACH_IOC_VERSION:
		return version(uarg);
	case MACH_IOC_FORK_SPACE:
		return fork_space(space);
	case MACH_IOC_TASK_SELF:
	case MACH_IOC_THREAD_SELF:
	case MACH_IOC_REPLY_PORT:
	case MACH_IOC_GET_SPECIAL_PORT:
	case MACH_IOC_SET_SPECIAL_PORT:
	case MACH_IOC_PORTS_REGISTER:
	case MACH_IOC_PORTS_LOOKUP:
	case MACH_IOC_SET_BOOTSTRAP:
		return mach_task_ioctl(space, cmd, uarg);
	case MACH_IOC_TASK_FOR_PID:
	case MACH_IOC_TASK_NAME_FOR_PID:
	case MACH_IOC_PID_FOR_TASK:
		return mach_task_pid_ioctl(space, cmd, uarg);
	case MACH_IOC_PORT_FD:
		return mach_poll_fd(space, uarg);
	case MACH_IOC_MK_TIMER_CREATE:
	case MACH_IOC_MK_TIMER_DESTROY:
	case MACH_IOC_MK_TIMER_ARM:
	case MACH_IOC_MK_TIMER_CANCEL:
		return mach_timer_ioctl(space, cmd, uarg);
	case MACH_IOC_SEMAPHORE_CREATE:
	case MACH_IOC_SEMAPHORE_DESTROY:
	case MACH_IOC_SEMAPHORE_SIGNAL:
	case MACH_IOC_SEMAPHORE_SIGNAL_ALL:
	case MACH_IOC_SEMAPHORE_SIGNAL_THREAD:
	case MACH_IOC_SEMAPHORE_WAIT:
		return mach_semaphore_ioctl(space, cmd, uarg);
	case MACH_IOC_MEM_ENTRY_MAKE:
		return mach_mem_entry_ioctl(space, uarg);
	case MACH_IOC_VM_MAP:
		return mach_vm_map_ioctl(space, uarg);
	case MACH_IOC_VM_REGION:
		return mach_vm_region_ioctl(space, uarg);
	case MACH_IOC_VM_RW:
		return mach_vm_rw_ioctl(space, uarg);
	case MACH_IOC_FILEPORT_MAKEPORT:
	case MACH_IOC_FILEPORT_MAKEFD:
		return mach_fileport_ioctl(space, cmd, uarg);
	case MACH_IOC_PORT_GUARD:
	case MACH_IOC_PORT_UNGUARD:
	case MACH_IOC_PORT_SWAP_GUARD:
	case MACH_IOC_TASK_GET_EXC_GUARD:
	case MACH_IOC_TASK_SET_EXC_GUARD:
		return mach_guard_ioctl(space, cmd, uarg);
	}
	/* host, task, thread and port-space information */
	if (_IOC_NR(cmd) >= _IOC_NR(MACH_IOC_HOST_SELF) &&
	    _IOC_NR(cmd) <= _IOC_NR(MACH_IOC_PORT_ASSERT_ATTRIBUTES))
		return mach_info_ioctl(space, cmd, uarg);
	/* mach_port_* calls: the handler matches the exact command */
	if (_IOC_NR(cmd) >= _IOC_NR(MACH_IOC_PORT_ALLOCATE) &&
	    _IOC_NR(cmd) <= _IOC_NR(MACH_IOC_PORT_REQUEST_NOTIFICATION))
		return mach_port_ioctl(space, cmd, uarg);
	return -ENOTTY;
}

/* A /dev/mach descriptor or a forked space's: never handed out as a fileport. */
bool mach_is_device_file(struct file *file)
{
	return file->f_op == &mach_fops;
}

static const struct file_operations mach_fops = {
	.owner = THIS_MODULE,
	.open = mach_open,
	.release = mach_release,
	.unlocked_ioctl = mach_ioctl,
	.uring_cmd = mach_uring_cmd,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * A fixed minor, so that the module can be loaded on demand: depmod turns the
 * aliases below into modules.devname, systemd (kmod static-nodes) creates
 * /dev/mach at boot from it, and the first open makes misc_open() ask for
 * char-major-10-MACH_MINOR.  Documentation/admin-guide/devices.txt reserves
 * minors 243-254 of major 10 for local use, i.e. for drivers without an
 * allocated number; 250 rather than the first of them, which other
 * unregistered drivers tend to take.  Dynamic minors never come here: 6.1
 * hands them out below 128, later kernels also above 255.
 */
#define MACH_MINOR	250

static struct miscdevice mach_misc = {
	.minor = MACH_MINOR,
	.name = MACH_DEVICE_NAME,
	.fops = &mach_fops,
	.mode = 0666,
};

static int __init mach_init(void)
{
	int err;

	err = mach_port_cache_init();
	if (err)
		return err;
	err = mach_space_cache_init();
	if (err)
		goto port;
	err = mach_kmsg_cache_init();
	if (err)
		goto space;
	err = mach_semaphore_init();
	if (err)
		goto kmsg;
	err = mach_host_init();
	if (err)
		goto sema;
	err = misc_register(&mach_misc);
	if (err)
		goto host;
	mach_debugfs_init();
	return 0;
host:
	mach_host_exit();
sema:
	mach_semaphore_exit();
kmsg:
	mach_kmsg_cache_exit();
space:
	mach_space_cache_exit();
port:
	mach_port_cache_exit();
	return err;
}

static void __exit mach_exit(void)
{
	misc_deregister(&mach_misc);
	mach_debugfs_exit();
	mach_uring_exit();
	mach_bootstrap_exit();
	mach_host_exit();
	/* semaphores whose last reference went are freed from a work item */
	mach_semaphore_exit();
	/* Every space is closed by now; anything still counted leaked. */
	if (atomic_long_read(&mach_stats.spaces) || atomic_long_read(&mach_stats.ports) ||
	    atomic_long_read(&mach_stats.entries) || atomic_long_read(&mach_stats.kmsgs) ||
	    atomic_long_read(&mach_stats.psets) || atomic_long_read(&mach_stats.timers) ||
	    atomic_long_read(&mach_stats.semaphores) || atomic_long_read(&mach_stats.mem_entries) ||
	    atomic_long_read(&mach_stats.fileports))
		pr_err("mach: leak: %ld spaces, %ld ports, %ld entries, %ld messages, %ld port sets, %ld timers, %ld semaphores, %ld memory entries, %ld fileports\n",
		       atomic_long_read(&mach_stats.spaces),
		       atomic_long_read(&mach_stats.ports),
		       atomic_long_read(&mach_stats.entries),
		       atomic_long_read(&mach_stats.kmsgs),
		       atomic_long_read(&mach_stats.psets),
		       atomic_long_read(&mach_stats.timers),
		       atomic_long_read(&mach_stats.semaphores),
		       atomic_long_read(&mach_stats.mem_entries),
		       atomic_long_read(&mach_stats.fileports));
	mach_kmsg_cache_exit();
	mach_space_cache_exit();
	mach_port_cache_exit();
}

module_init(mach_init);
module_exit(mach_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_MISCDEV(MACH_MINOR);
MODULE_ALIAS("devname:" MACH_DEVICE_NAME);
MODULE_DESCRIPTION("Mach IPC: XNU-style ports, rights and messages");
