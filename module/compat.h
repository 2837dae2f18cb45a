/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernel versions mach.ko builds
 * on (after WireGuard's compat layer): Debian 12's 6.1 and 6.12 LTS, and the
 * versions in between as far as the APIs below go.  Each shim names the
 * kernel version (and the change) that moved the API; the concept files use
 * only what this header provides, and carry no version test of their own.
 */
#ifndef _MACH_COMPAT_H
#define _MACH_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/percpu-refcount.h>
#include <linux/io_uring.h>
#include <linux/hrtimer.h>

/*
 * v6.13, "hrtimers: Introduce hrtimer_setup() to replace hrtimer_init()":
 * the callback is given at initialisation; hrtimer_init() went away in
 * v6.15, and assigning ->function after it is no longer allowed.
 */
static inline void mach_hrtimer_setup(struct hrtimer *timer,
				      enum hrtimer_restart (*function)(struct hrtimer *),
				      clockid_t clock_id, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(timer, function, clock_id, mode);
#else
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
#endif
}

/*
 * v6.12, "mm: kvmalloc: align kvrealloc() with krealloc()": kvrealloc()
 * lost its old-size argument (the allocator knows it).
 */
static inline void *mach_kvrealloc(void *p, size_t oldsize, size_t newsize, gfp_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return kvrealloc(p, newsize, flags);
#else
	return kvrealloc(p, oldsize, newsize, flags);
#endif
}

/*
 * v6.7, "io_uring: split out cmd api into a separate header": struct
 * io_uring_cmd, io_uring_cmd_done() and io_uring_cmd_complete_in_task()
 * moved to <linux/io_uring/cmd.h>, and the IO_URING_F_* issue flags
 * (IO_URING_F_SQE128 among them) to <linux/io_uring_types.h>, which
 * <linux/io_uring.h> no longer pulls in.  The same release's
 * "io_uring: cancelable uring_cmd" added io_uring_cmd_mark_cancelable()
 * and IO_URING_F_CANCEL: io_uring itself then calls ->uring_cmd() with
 * IO_URING_F_CANCEL when the command's ring goes or its task cancels its
 * requests (exec, exit).  Before that a parked command cannot be cancelled,
 * and the module must notice those events itself (uring.c's monitor).
 * The change of io_uring_cmd_done()'s res2 from ssize_t to u64 (same
 * series) needs no shim: the module passes 0.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#include <linux/io_uring/cmd.h>
#define MACH_URING_CANCELABLE	1
#else
#include <linux/io_uring_types.h>
#define MACH_URING_CANCELABLE	0
/* never set by an io_uring that cannot cancel commands */
#define IO_URING_F_CANCEL	0
static inline void io_uring_cmd_mark_cancelable(struct io_uring_cmd *cmd,
						unsigned int issue_flags)
{
}
#endif

/*
 * v6.6, "io_uring: Pass whole sqe to commands": struct io_uring_cmd's
 * "cmd" (the command bytes) became "sqe" (the whole SQE), read through
 * io_uring_sqe_cmd().
 */
static inline const void *mach_uring_cmd_payload(const struct io_uring_cmd *cmd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return io_uring_sqe_cmd(cmd->sqe);
#else
	return cmd->cmd;
#endif
}

/*
 * Is @cmd's ring being torn down (its last file reference closed)?  Then
 * io_uring has killed the ring's percpu reference and io_ring_exit_work()
 * waits for every request: a completion posted now reaches no one.
 * io_kiocb and io_ring_ctx are the types of <linux/io_uring_types.h>
 * (cmd_to_io_kiocb() since v6.0, when that header appeared); io_uring has
 * no function for this, being able to cancel the command itself from v6.7.
 */
static inline bool mach_uring_ring_dying(struct io_uring_cmd *cmd)
{
	return percpu_ref_is_dying(&cmd_to_io_kiocb(cmd)->ctx->refs);
}

/*
 * Is @task in io_uring_cancel_generic(), waiting for its requests to end
 * (execve's io_uring_task_cancel(), exit's io_uring_files_cancel())?  A
 * command that stays in flight then would block exec forever.  The flag is
 * tctx->in_idle up to v6.2, renamed in_cancel in v6.3 ("io_uring: rename
 * 'in_idle' to 'in_cancel'").  Kernels without io_uring have no tctx.
 */
static inline bool mach_uring_task_cancelling(struct task_struct *task)
{
#ifdef CONFIG_IO_URING
	struct io_uring_task *tctx = READ_ONCE(task->io_uring);

	if (!tctx)
		return false;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return atomic_read(&tctx->in_cancel);
#else
	return atomic_read(&tctx->in_idle);
#endif
#else
	return false;
#endif
}

/*
 * v6.3, "mm: introduce vma->vm_flags wrapper functions": vm_flags became
 * const outside mm/, set through vm_flags_set() (the mmap lock is held for
 * writing in ->mmap, as it asserts).
 */
static inline void mach_vma_flags_set(struct vm_area_struct *vma, unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

#endif /* _MACH_COMPAT_H */
