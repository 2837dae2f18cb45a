/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mach_uring.h>, asynchronous mach_msg on liburing (Linux
 * only).  Programs that include it link liburing themselves:
 *
 *     cc prog.c $(pkg-config --cflags --libs libmach) -luring
 *
 * libmach itself does not need liburing: the SQE filling and the result
 * mapping are in libmach (<mach/linux.h>: mach_uring_prep_msg,
 * mach_uring_msg_result); what needs liburing is inline here.
 *
 * C: mach_uring_queue_init() sets up a ring fit for /dev/mach commands
 * (IORING_SETUP_SQE128 | IORING_SETUP_CQE32) and mach_uring_get_msg_sqe()
 * gets and fills an SQE.  Queue as many as you like, then one
 * io_uring_submit() hands them all to the kernel in one io_uring_enter.
 *
 * C++: mach::uring below owns a ring, queues sends and receives with a
 * callback each, submits them in one system call and runs the callbacks of
 * the completions.  Its fd() is the ring's descriptor: register it for
 * EPOLLIN in an event loop and call reap() when it is readable.  Nothing is
 * thrown; errors are returned as -errno.
 *
 * Ring, buffers and pending receives follow the rules in <mach/linux.h>.
 * Completions of receives that had to wait are posted from the submitting
 * thread's context (task work), so they appear when that thread enters or
 * leaves the kernel, e.g. in io_uring_wait_cqe() or epoll_wait() (which
 * may then return EINTR: retry it).
 */
#ifndef _MACH_MACH_URING_H_
#define _MACH_MACH_URING_H_

#include <errno.h>
#include <liburing.h>
#include <mach/linux.h>
#include <mach/message.h>

#define MACH_URING_SETUP_FLAGS (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)

#ifdef __cplusplus
extern "C" {
#endif

/*
 * io_uring_queue_init() with the flags /dev/mach commands need added to
 * `flags`.  IORING_SETUP_SQPOLL is refused (-EINVAL): commands must be
 * issued by the submitting thread.  0 or -errno.
 */
static inline int mach_uring_queue_init(unsigned int entries, struct io_uring *ring,
					unsigned int flags)
{
	if (flags & IORING_SETUP_SQPOLL)
		return -EINVAL;
	return io_uring_queue_init(entries, ring, flags | MACH_URING_SETUP_FLAGS);
}

/*
 * The next SQE of ring, filled with a mach_msg on the process's /dev/mach
 * (mach_linux_fd()) and carrying user_data; NULL when the submission queue
 * is full (submit, then retry) or there is no /dev/mach.
 */
static inline struct io_uring_sqe *
mach_uring_get_msg_sqe(struct io_uring *ring, mach_msg_header_t *msg,
		       mach_msg_option_t option, mach_msg_size_t send_size,
		       mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
		       mach_msg_timeout_t timeout, mach_msg_header_t *rcv_msg,
		       void *user_data)
{
	int fd = mach_linux_fd();
	struct io_uring_sqe *sqe;

	if (fd < 0)
		return NULL;
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return NULL;
	mach_uring_prep_msg(sqe, fd, msg, option, send_size, rcv_size, rcv_name,
			    timeout, rcv_msg);
	io_uring_sqe_set_data(sqe, user_data);
	return sqe;
}

#ifdef __cplusplus
}

#include <new>
#include <utility>

namespace mach {

/*
 * A ring for asynchronous mach_msg:
 *
 *     mach::uring ring;
 *     if (ring.init(64) < 0) ...;
 *     ring.send(&msg.hdr, [](mach_msg_return_t mr, mach_msg_header_t *) { ... });
 *     ring.receive(port, &buf.hdr, sizeof(buf), [&](mach_msg_return_t mr,
 *                  mach_msg_header_t *m) { ... });
 *     ring.submit();               // one io_uring_enter for both
 *     ring.wait();                 // or: epoll on ring.fd(), then ring.reap()
 *
 * Each operation's callback runs exactly once, from reap() or wait(), with
 * the Mach code and the buffer the message is in.  Callbacks may queue new
 * operations.  A callback is any callable taking (mach_msg_return_t,
 * mach_msg_header_t *); it is moved into a node allocated with
 * new(std::nothrow).  Destroying the ring frees the nodes of operations
 * still pending without calling them; their buffers must stay valid until
 * the receives end (destroy the ports or give them timeouts).
 * Not thread-safe: one thread uses a ring, the thread the receives must
 * complete to.
 */
class uring {
public:
	uring() noexcept = default;
	~uring() { close(); }
	uring(const uring &) = delete;
	uring &operator=(const uring &) = delete;

	/* Set up the ring (entries SQEs; extra io_uring_setup flags).  0 or -errno. */
	int init(unsigned int entries, unsigned int flags = 0) noexcept
	{
		if (ok_)
			return -EBUSY;
		int r = mach_uring_queue_init(entries, &ring_, flags);
		ok_ = r == 0;
		return r;
	}

	/* Tear down (see the class comment about pending operations). */
	void close() noexcept
	{
		if (!ok_)
			return;
		io_uring_queue_exit(&ring_);
		ok_ = false;
		while (pending_list_) {
			node *n = pending_list_;
			unlink(n);
			n->destroy(n);
		}
	}

	bool valid() const noexcept { return ok_; }
	/* The ring descriptor, readable while completions wait to be reaped. */
	int fd() const noexcept { return ok_ ? ring_.ring_fd : -1; }
	struct io_uring *get() noexcept { return &ring_; }
	/* Operations queued or in flight whose callback has not run. */
	unsigned int pending() const noexcept { return npending_; }

	/*
	 * The general call: mach_msg_overwrite's arguments.  0, or -errno
	 * (ENOMEM, ENODEV: no /dev/mach, EBADF: ring not set up); the
	 * callback is not called then.  A full submission queue is submitted
	 * to make room.
	 */
	template <class F>
	int msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
		mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
		mach_msg_header_t *rcv_msg, F &&done) noexcept
	{
		if (!ok_)
			return -EBADF;
		int mfd = mach_linux_fd();
		if (mfd < 0)
			return -ENODEV;
		using fn_t = typename std::decay<F>::type;
		auto *n = new (std::nothrow) callback_node<fn_t>(std::forward<F>(done));
		if (!n)
			return -ENOMEM;
		n->option = option;
		n->buf = rcv_msg ? rcv_msg : msg;
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
		if (!sqe) {
			int r = io_uring_submit(&ring_);
			sqe = r >= 0 ? io_uring_get_sqe(&ring_) : nullptr;
			if (!sqe) {
				n->destroy(n);
				return r < 0 ? r : -EBUSY;
			}
		}
		mach_uring_prep_msg(sqe, mfd, msg, option, send_size, rcv_size, rcv_name,
				    timeout, rcv_msg);
		io_uring_sqe_set_data(sqe, static_cast<node *>(n));
		link(n);
		return 0;
	}

	/* Send msg (msgh_size bytes); `option` adds e.g. MACH_SEND_TRAILER bits. */
	template <class F>
	int send(mach_msg_header_t *m, F &&done, mach_msg_option_t option = 0) noexcept
	{
		return msg(m, MACH_SEND_MSG | option, m->msgh_size, 0, MACH_PORT_NULL, 0,
			   nullptr, std::forward<F>(done));
	}

	/*
	 * Receive on a port or set into buf (size bytes).  A timeout (ms)
	 * other than MACH_MSG_TIMEOUT_NONE adds MACH_RCV_TIMEOUT.
	 */
	template <class F>
	int receive(mach_port_name_t name, mach_msg_header_t *buf, mach_msg_size_t size,
		    F &&done, mach_msg_timeout_t timeout = MACH_MSG_TIMEOUT_NONE,
		    mach_msg_option_t option = 0) noexcept
	{
		if (timeout != MACH_MSG_TIMEOUT_NONE)
			option |= MACH_RCV_TIMEOUT;
		return msg(buf, MACH_RCV_MSG | option, 0, size, name, timeout, nullptr,
			   std::forward<F>(done));
	}

	/* Hand everything queued to the kernel: one io_uring_enter.  Count or -errno. */
	int submit() noexcept { return ok_ ? io_uring_submit(&ring_) : -EBADF; }

	/*
	 * Run the callbacks of the completions already posted, without a
	 * system call (at most max).  Returns how many ran.
	 */
	unsigned int reap(unsigned int max = ~0u) noexcept
	{
		unsigned int done = 0;
		struct io_uring_cqe *cqe;

		while (ok_ && done < max && io_uring_peek_cqe(&ring_, &cqe) == 0 && cqe) {
			node *n = static_cast<node *>(io_uring_cqe_get_data(cqe));
			int res = cqe->res;

			io_uring_cqe_seen(&ring_, cqe);
			if (!n)
				continue;
			unlink(n);
			n->complete(n, mach_uring_msg_result(res, n->option));
			done++;
		}
		return done;
	}

	/*
	 * Submit what is queued, wait until at least one completion is there
	 * (at most timeout_ms; -1: no limit), and reap.  The number of
	 * callbacks run, or -errno (-ETIME on timeout, -EINTR).
	 */
	int wait(int timeout_ms = -1) noexcept
	{
		if (!ok_)
			return -EBADF;
		struct io_uring_cqe *cqe = nullptr;
		int r;

		if (timeout_ms < 0) {
			r = io_uring_submit_and_wait(&ring_, 1);
		} else {
			struct __kernel_timespec ts;

			ts.tv_sec = timeout_ms / 1000;
			ts.tv_nsec = (long long)(timeout_ms % 1000) * 1000000;
			r = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
		}
		if (r < 0 && r != -ETIME)
			return r;
		unsigned int n = reap();
		if (n)
			return static_cast<int>(n);
		return r < 0 ? r : 0;
	}

private:
	struct node {
		void (*complete)(node *, mach_msg_return_t);	/* calls, then frees */
		void (*destroy)(node *);			/* frees only */
		node *prev = nullptr, *next = nullptr;
		mach_msg_header_t *buf = nullptr;
		mach_msg_option_t option = 0;
	};

	template <class Fn>
	struct callback_node : node {
		Fn fn;
		explicit callback_node(Fn &&f) : fn(std::move(f))
		{
			this->complete = &call;
			this->destroy = &drop;
		}
		explicit callback_node(const Fn &f) : fn(f)
		{
			this->complete = &call;
			this->destroy = &drop;
		}
		static void call(node *b, mach_msg_return_t mr)
		{
			auto *self = static_cast<callback_node *>(b);
			struct guard {
				callback_node *p;
				~guard() { delete p; }
			} g{self};
			self->fn(mr, self->buf);
		}
		static void drop(node *b) { delete static_cast<callback_node *>(b); }
	};

	void link(node *n) noexcept
	{
		n->prev = nullptr;
		n->next = pending_list_;
		if (pending_list_)
			pending_list_->prev = n;
		pending_list_ = n;
		npending_++;
	}

	void unlink(node *n) noexcept
	{
		if (n->prev)
			n->prev->next = n->next;
		else
			pending_list_ = n->next;
		if (n->next)
			n->next->prev = n->prev;
		npending_--;
	}

	struct io_uring ring_ {};
	bool ok_ = false;
	node *pending_list_ = nullptr;
	unsigned int npending_ = 0;
};

} // namespace mach

#endif /* __cplusplus */

#endif /* _MACH_MACH_URING_H_ */
