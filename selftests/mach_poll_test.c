// SPDX-License-Identifier: GPL-2.0
/*
 * Pollable ports and port sets (issue 8): mach_port_fd() (MACH_IOC_PORT_FD)
 * gives a descriptor that poll/epoll/io_uring report readable while a
 * message is queued (on a set: on any member) and EPOLLHUP|EPOLLERR once
 * the port dies, its receive right leaves the space, or the set dies.
 * Level and edge triggering, descriptors closed before and after their
 * port, and the descriptor granting nothing: a process handed it over
 * SCM_RIGHTS can poll but not receive.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <mach/linux.h>
#include <mach/mach_uring.h>

#define HUP_ERR (EPOLLHUP | EPOLLERR)

static mach_port_t new_set(void)
{
	mach_port_name_t s = MACH_PORT_NULL;

	if (mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return s;
}

/* poll() revents of fd after up to ms, or -1. */
static int revents(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : n == 0 ? 0 : p.revents;
}

static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* epoll_wait into ev[max]; a mask of data bits (data values are bit numbers). */
static int ep_ready(int ep, int ms, uint32_t *evmask, uint32_t *events_of_bit)
{
	struct epoll_event ev[16];
	int n, i;

	*evmask = 0;
	do {
		n = epoll_wait(ep, ev, 16, ms);
	} while (n < 0 && errno == EINTR);
	for (i = 0; i < n; i++) {
		*evmask |= 1U << ev[i].data.u64;
		if (events_of_bit)
			events_of_bit[ev[i].data.u64] = ev[i].events;
	}
	return n;
}

/* Which names give a descriptor, and what it is. */
TEST(port_fd_names)
{
	mach_port_t p = new_port_send(), s = new_set(), so, d = MACH_PORT_NULL;
	int fd, fl;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(s));
	fd = mach_port_fd(p);
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFD);
	EXPECT_TRUE(fl & FD_CLOEXEC);
	/* nothing to read, write or ioctl: it only polls */
	{
		char c;

		EXPECT_EQ(-1, read(fd, &c, 1));
		EXPECT_EQ(-1, write(fd, &c, 1));
		EXPECT_EQ(-1, ioctl(fd, MACH_IOC_TASK_SELF, &c));
	}
	EXPECT_EQ(0, close(fd));
	fd = mach_port_fd(s);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));

	/* a send-only name, a send-once name, a dead name, no name */
	so = make_send_once(p);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_EQ(-1, mach_port_fd(so));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(-1, mach_port_fd(d));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mach_port_fd(stale_name()));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, mach_port_fd(MACH_PORT_NULL));
	/* a send right to a port held elsewhere: the task's own port */
	EXPECT_EQ(-1, mach_port_fd(mach_task_self()));
	EXPECT_EQ(EINVAL, errno);
}

/* Level: readable exactly while something is queued. */
TEST(level_triggered)
{
	mach_port_t p = new_port_send();
	struct rcv_buf b;
	int fd;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	fd = mach_port_fd(p);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, revents(fd, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	EXPECT_EQ(POLLIN, revents(fd, 0));
	EXPECT_EQ(POLLIN, revents(fd, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(POLLIN, revents(fd, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, 0));
	EXPECT_EQ(0, revents(fd, 0));
	EXPECT_EQ(0, close(fd));
}

/* A poller blocked in poll() is woken by a message from another thread. */
struct delayed_send {
	mach_port_t port;
	unsigned int ms;
};

static void *send_later(void *arg)
{
	struct delayed_send *d = arg;

	sleep_ms(d->ms);
	msg_send_nb(d->port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 77);
	return NULL;
}

TEST(poll_wakes)
{
	mach_port_t p = new_port_send(), s = new_set(), m = new_port_send();
	struct delayed_send d = { .ms = 100 };
	pthread_t t;
	int fd, sfd;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(m));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m, s));
	fd = mach_port_fd(p);
	sfd = mach_port_fd(s);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, sfd);
	d.port = p;
	ASSERT_EQ(0, pthread_create(&t, NULL, send_later, &d));
	EXPECT_EQ(POLLIN, revents(fd, 5000));
	pthread_join(t, NULL);
	d.port = m;
	ASSERT_EQ(0, pthread_create(&t, NULL, send_later, &d));
	EXPECT_EQ(POLLIN, revents(sfd, 5000));
	pthread_join(t, NULL);
	close(fd);
	close(sfd);
}

/* epoll over several ports and a set, level-triggered. */
TEST(epoll_ports_and_set)
{
	mach_port_t a = new_port_send(), b = new_port_send(), s = new_set();
	mach_port_t m1 = new_port_send(), m2 = new_port_send();
	int ep, fa, fb, fs;
	uint32_t mask, evs[8];
	struct rcv_buf r;

	ASSERT_TRUE(MACH_PORT_VALID(a) && MACH_PORT_VALID(b) && MACH_PORT_VALID(s));
	ASSERT_TRUE(MACH_PORT_VALID(m1) && MACH_PORT_VALID(m2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m1, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m2, s));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	fa = mach_port_fd(a);
	fb = mach_port_fd(b);
	fs = mach_port_fd(s);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, ep_add(ep, fa, EPOLLIN, 0));
	ASSERT_EQ(0, ep_add(ep, fb, EPOLLIN, 1));
	ASSERT_EQ(0, ep_add(ep, fs, EPOLLIN, 2));
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(m2, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	EXPECT_EQ(2, ep_ready(ep, 1000, &mask, evs));
	EXPECT_EQ(0x6, mask);
	EXPECT_EQ(EPOLLIN, evs[1]);
	EXPECT_EQ(EPOLLIN, evs[2]);
	/* level: still there */
	EXPECT_EQ(2, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(0x6, mask);

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(b, &r, 0, 0));
	EXPECT_EQ(1, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(0x4, mask);
	/* the set's message is taken through the set */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &r, 0, 0));
	EXPECT_EQ(m2, r.hdr.msgh_local_port);
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));

	/* every one at once */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(m1, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5));
	EXPECT_EQ(3, ep_ready(ep, 1000, &mask, NULL));
	EXPECT_EQ(0x7, mask);

	/* a member leaving the set takes its message with it */
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(TASK, m1, MACH_PORT_NULL));
	EXPECT_EQ(2, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(0x3, mask);
	EXPECT_EQ(1, msgcount(m1));
	/* and a member joining with one queued brings it */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m1, s));
	EXPECT_EQ(3, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(0x7, mask);
	close(fa);
	close(fb);
	close(fs);
	close(ep);
}

/* Edge-triggered: one event per arrival, none for what is already known. */
TEST(epoll_edge_triggered)
{
	mach_port_t p = new_port_send(), s = new_set(), m = new_port_send();
	int ep, fd, sfd;
	uint32_t mask;
	struct rcv_buf r;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(s) && MACH_PORT_VALID(m));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m, s));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	fd = mach_port_fd(p);
	sfd = mach_port_fd(s);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, ep_add(ep, fd, EPOLLIN | EPOLLET, 0));
	ASSERT_EQ(0, ep_add(ep, sfd, EPOLLIN | EPOLLET, 1));
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));

	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(m, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	EXPECT_EQ(2, ep_ready(ep, 1000, &mask, NULL));
	EXPECT_EQ(0x3, mask);
	/* reported once, though still queued */
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(1, msgcount(p));
	/* a new arrival is a new edge */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3));
	EXPECT_EQ(1, ep_ready(ep, 1000, &mask, NULL));
	EXPECT_EQ(0x1, mask);
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	/* drained, then one more: an edge again */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &r, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &r, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(s, &r, 0, 0));
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(m, MACH_MSG_TYPE_COPY_SEND, 0, 0, 4));
	EXPECT_EQ(1, ep_ready(ep, 1000, &mask, NULL));
	EXPECT_EQ(0x2, mask);
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	close(fd);
	close(sfd);
	close(ep);
}

/* Port death, by every road, is EPOLLHUP|EPOLLERR, level and edge. */
TEST(port_death_hup)
{
	mach_port_t p = new_port_send(), q = new_port_send(), c = new_port_send();
	mach_port_t carrier = new_port_send(), s = new_set(), m = new_port();
	int ep, fp, fq, fc, fs, fm;
	uint32_t mask, evs[8];
	struct rcv_buf r;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(q) && MACH_PORT_VALID(c));
	ASSERT_TRUE(MACH_PORT_VALID(carrier) && MACH_PORT_VALID(s) && MACH_PORT_VALID(m));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, m, s));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	fp = mach_port_fd(p);
	fq = mach_port_fd(q);
	fc = mach_port_fd(c);
	fs = mach_port_fd(s);
	fm = mach_port_fd(m);
	ASSERT_TRUE(fp >= 0 && fq >= 0 && fc >= 0 && fs >= 0 && fm >= 0);
	ASSERT_EQ(0, ep_add(ep, fp, EPOLLIN, 0));
	ASSERT_EQ(0, ep_add(ep, fq, EPOLLIN | EPOLLET, 1));
	ASSERT_EQ(0, ep_add(ep, fc, EPOLLIN, 2));
	ASSERT_EQ(0, ep_add(ep, fs, EPOLLIN, 3));
	ASSERT_EQ(0, ep_add(ep, fm, EPOLLIN, 4));
	/* p dies with a message queued */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(1, ep_ready(ep, 0, &mask, NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));
	EXPECT_EQ(1, ep_ready(ep, 1000, &mask, evs));
	EXPECT_EQ(0x1, mask);
	EXPECT_EQ(HUP_ERR, evs[0] & (HUP_ERR | EPOLLIN));
	EXPECT_EQ(POLLHUP | POLLERR, revents(fp, 0));
	/* q (edge-triggered) dies by mod_refs(RECEIVE, -1) */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, q, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(2, ep_ready(ep, 1000, &mask, evs));
	EXPECT_EQ(0x3, mask);
	EXPECT_EQ(HUP_ERR, evs[1] & (HUP_ERR | EPOLLIN));
	/* c's receive right leaves the space in a message */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_port(carrier, c, MACH_MSG_TYPE_MOVE_RECEIVE, 5));
	EXPECT_EQ(2, ep_ready(ep, 1000, &mask, evs));
	EXPECT_EQ(0x5, mask);
	EXPECT_EQ(HUP_ERR, evs[2] & (HUP_ERR | EPOLLIN));
	/* the set is destroyed; its member lives on and still polls */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, s));
	EXPECT_EQ(3, ep_ready(ep, 1000, &mask, evs));
	EXPECT_EQ(0x9 | 0x4, mask);
	EXPECT_EQ(HUP_ERR, evs[3] & (HUP_ERR | EPOLLIN));
	EXPECT_EQ(0, revents(fm, 0));
	/* the moved right, received back: a live port again */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(carrier, &r, 0, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, ((struct port_msg *)&r)->port.name,
						   MACH_PORT_RIGHT_RECEIVE, -1));
	close(fp);
	close(fq);
	close(fc);
	close(fs);
	close(fm);
	close(ep);
}

/* Descriptors closed before their port, and after it: nothing is left behind. */
TEST(close_before_and_after)
{
	mach_port_t p = new_port_send(), q = new_port_send(), s = new_set();
	struct rcv_buf r;
	int ep, fd, fd2, sfd;
	uint32_t mask;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(q) && MACH_PORT_VALID(s));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);

	/* before: an fd in an epoll set closed, then the port used and destroyed */
	fd = mach_port_fd(p);
	fd2 = mach_port_fd(p);	/* two fds for one port are independent */
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ep_add(ep, fd, EPOLLIN, 0));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	EXPECT_EQ(POLLIN, revents(fd2, 0));
	ASSERT_EQ(0, close(fd2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &r, 0, 0));
	EXPECT_EQ(1, r.hdr.msgh_id);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, p));

	/* after: the port dies first, the fd still answers, then is closed */
	fd = mach_port_fd(q);
	sfd = mach_port_fd(s);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, ep_add(ep, fd, EPOLLIN, 1));
	ASSERT_EQ(0, ep_add(ep, sfd, EPOLLIN, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(q, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, q));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, s));
	EXPECT_EQ(POLLHUP | POLLERR, revents(fd, 0));
	EXPECT_EQ(POLLHUP | POLLERR, revents(sfd, 0));
	EXPECT_EQ(2, ep_ready(ep, 0, &mask, NULL));
	/* the names are gone; a new port may reuse them and is not confused */
	{
		mach_port_t n = new_port_send();
		int nfd;

		ASSERT_TRUE(MACH_PORT_VALID(n));
		nfd = mach_port_fd(n);
		ASSERT_LE(0, nfd);
		EXPECT_EQ(0, revents(nfd, 0));
		EXPECT_EQ(POLLHUP | POLLERR, revents(fd, 0));
		close(nfd);
	}
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, close(sfd));
	EXPECT_EQ(0, ep_ready(ep, 0, &mask, NULL));
	close(ep);

	/* and a port fd outliving the whole space (the process exits holding it) */
	{
		int pfd[2];
		pid_t pid;

		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, pfd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			mach_port_t c = new_port_send();
			int cfd = mach_port_fd(c);
			char buf[CMSG_SPACE(sizeof(int))];
			struct iovec iov = { .iov_base = "x", .iov_len = 1 };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
					     .msg_control = buf, .msg_controllen = sizeof(buf) };
			struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

			ASSERT_LE(0, cfd);
			ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(c, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &cfd, sizeof(int));
			ASSERT_EQ(1, sendmsg(pfd[1], &mh, 0));
			_exit(0);
		}
		{
			char buf[CMSG_SPACE(sizeof(int))], c;
			struct iovec iov = { .iov_base = &c, .iov_len = 1 };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
					     .msg_control = buf, .msg_controllen = sizeof(buf) };
			struct cmsghdr *cm;
			int got;

			ASSERT_EQ(1, recvmsg(pfd[0], &mh, 0));
			cm = CMSG_FIRSTHDR(&mh);
			ASSERT_NE(NULL, cm);
			memcpy(&got, CMSG_DATA(cm), sizeof(int));
			EXPECT_EQ(0, wait_child(pid));
			/* the child's space is gone and its port with it */
			EXPECT_EQ(POLLHUP | POLLERR, revents(got, 1000));
			close(got);
		}
		close(pfd[0]);
		close(pfd[1]);
	}
}

/*
 * The fd grants nothing: another process that is handed it over SCM_RIGHTS
 * sees the port's readiness but cannot receive its messages.
 */
TEST(fd_grants_no_right)
{
	mach_port_t p = new_port_send();
	int sv[2], fd, go[2];
	struct rcv_buf r;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	fd = mach_port_fd(p);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[CMSG_SPACE(sizeof(int))], c;
		struct iovec iov = { .iov_base = &c, .iov_len = 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = buf, .msg_controllen = sizeof(buf) };
		struct cmsghdr *cm;
		struct rcv_buf cb;
		int got;

		/* the inherited copy is not the point: close it */
		close(fd);
		close(sv[0]);
		close(go[0]);
		ASSERT_EQ(1, recvmsg(sv[1], &mh, 0));
		cm = CMSG_FIRSTHDR(&mh);
		ASSERT_NE(NULL, cm);
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
		EXPECT_EQ(0, revents(got, 0));
		ASSERT_EQ(0, pipe_signal(go[1]));	/* parent: send now */
		EXPECT_EQ(POLLIN, revents(got, 5000));
		/* the name means nothing here; the fd is no receive right */
		EXPECT_NE(MACH_MSG_SUCCESS, msg_recv(p, &cb, 0, 0));
		EXPECT_EQ(-1, read(got, &cb, sizeof(cb)));
		EXPECT_EQ(-1, ioctl(got, MACH_IOC_MSG, &cb));
		/* its own space cannot make an fd for the parent's name either */
		EXPECT_EQ(-1, mach_port_fd(p));
		/* still readable: nothing was taken */
		EXPECT_EQ(POLLIN, revents(got, 0));
		close(got);
		CHILD_EXIT();
	}
	close(sv[1]);
	close(go[1]);
	{
		char buf[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { .iov_base = "x", .iov_len = 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = buf, .msg_controllen = sizeof(buf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		ASSERT_EQ(1, sendmsg(sv[0], &mh, 0));
	}
	ASSERT_EQ(0, pipe_wait(go[0]));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 9));
	EXPECT_EQ(0, wait_child(pid));
	/* the message is still ours */
	EXPECT_EQ(1, msgcount(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &r, 0, 0));
	EXPECT_EQ(9, r.hdr.msgh_id);
	EXPECT_EQ(0, revents(fd, 0));
	close(fd);
	close(sv[0]);
	close(go[0]);
}

/* io_uring's poll on a port fd completes when a message arrives (and on death). */
TEST(io_uring_poll)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	mach_port_t p = new_port_send(), q = new_port();
	int fd, fq;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_TRUE(MACH_PORT_VALID(q));
	fd = mach_port_fd(p);
	fq = mach_port_fd(q);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fq);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, fq, POLLIN);
	io_uring_sqe_set_data64(sqe, 2);
	ASSERT_EQ(2, io_uring_submit(&ring));
	EXPECT_EQ(0, io_uring_cq_ready(&ring));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(1, cqe->user_data);
	EXPECT_EQ(POLLIN, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(TASK, q));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(2, cqe->user_data);
	EXPECT_EQ(POLLHUP | POLLERR, cqe->res & (POLLHUP | POLLERR | POLLIN));
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	close(fd);
	close(fq);
}

TEST_HARNESS_MAIN
