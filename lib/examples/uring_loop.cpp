// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// An epoll event loop serving Mach messages through mach::uring
// (<mach/mach_uring.h>): the ring's descriptor sits in epoll next to a
// pollable port set (mach_port_fd), receives stay parked on the ring, and
// sends go out in batches, one io_uring_enter each.  Needs mach.ko; exits
// 0 when every check held ("ok: ..."), 1 otherwise.
//
//   g++ -std=c++20 -O2 -Ilib/include -Iuapi lib/examples/uring_loop.cpp
//       build/lib/libmach.a -luring -pthread -o uring_loop

#include <mach/mach.h>
#include <mach/mach_uring.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/epoll.h>
#include <unistd.h>

namespace {

int failures = 0;
unsigned long long seen = 0;
int out_of_order = 0;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond)) {                                                  \
			std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, \
				     #cond);                                    \
			failures++;                                             \
		}                                                               \
	} while (0)

struct msg {
	mach_msg_header_t hdr;
	unsigned int seq;
	unsigned int pad[9];	// 64 bytes
};

struct rbuf {
	mach_msg_header_t hdr;
	unsigned char data[128 + MACH_MSG_TRAILER_MAX_SIZE];
};

mach_port_t port_with_send()
{
	mach_port_t p = MACH_PORT_NULL;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

} // namespace

int main()
{
	constexpr int kBatch = 16, kRounds = 4, kReceivers = 4;
	if (mach_linux_fd() < 0) {
		std::puts("skip: no /dev/mach");
		return 4;
	}

	mach::uring ring;
	CHECK(ring.init(64) == 0);
	CHECK(ring.init(64) == -EBUSY);
	CHECK(ring.fd() >= 0);

	mach_port_t p = port_with_send(), set = MACH_PORT_NULL, q = port_with_send();
	CHECK(MACH_PORT_VALID(p) && MACH_PORT_VALID(q));
	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set) == KERN_SUCCESS);
	CHECK(mach_port_insert_member(mach_task_self(), q, set) == KERN_SUCCESS);
	mach_port_limits_t lim{};
	lim.mpl_qlimit = MACH_PORT_QLIMIT_LARGE;
	CHECK(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO,
				       reinterpret_cast<mach_port_info_t>(&lim),
				       MACH_PORT_LIMITS_INFO_COUNT) == KERN_SUCCESS);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int setfd = mach_port_fd(set);
	CHECK(ep >= 0 && setfd >= 0);
	epoll_event ev{};
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ring.fd(), &ev) == 0);
	ev.data.u32 = 2;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, setfd, &ev) == 0);

	// Parked receivers on p: each re-arms itself from its callback.
	static rbuf bufs[kReceivers];
	int received = 0, sent_ok = 0, next_expected = 0, order_errors = 0;
	struct rearm {
		mach::uring *ring;
		mach_port_t port;
		rbuf *buf;
		int *received, *next_expected, *order_errors;
		int left;	// messages still to take
		void arm()
		{
			std::memset(buf, 0, sizeof(*buf));
			ring->receive(port, &buf->hdr, sizeof(*buf),
				      [this](mach_msg_return_t mr, mach_msg_header_t *h) {
					      if (mr != MACH_MSG_SUCCESS) {
						      std::fprintf(stderr, "receive: %s\n",
								   mach_error_string(mr));
						      (*order_errors)++;
						      return;
					      }
					      auto *m = reinterpret_cast<msg *>(h);
					      // CQE order need not be arrival order
					      // (several may complete in one task-work run)
					      if (static_cast<int>(m->seq) != *next_expected)
						      out_of_order++;
					      if (m->seq < sizeof(seen) * 8)
						      seen |= 1ULL << m->seq;
					      (*next_expected)++;
					      (*received)++;
					      if (--left > 0)
						      arm();
				      });
		}
	};
	static rearm rs[kReceivers];
	constexpr int total = kBatch * kRounds;
	for (int i = 0; i < kReceivers; i++) {
		rs[i] = rearm{&ring, p, &bufs[i], &received, &next_expected, &order_errors,
			      total / kReceivers};
		rs[i].arm();
	}
	CHECK(ring.submit() == kReceivers);
	CHECK(ring.pending() == kReceivers);

	// Each round: a batch of sends in one io_uring_enter, then the loop.
	static msg out[kBatch];
	for (int round = 0; round < kRounds; round++) {
		for (int i = 0; i < kBatch; i++) {
			msg &m = out[i];
			std::memset(&m, 0, sizeof(m));
			m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			m.hdr.msgh_size = sizeof(m);
			m.hdr.msgh_remote_port = p;
			m.seq = static_cast<unsigned int>(round * kBatch + i);
			CHECK(ring.send(&m.hdr, [&](mach_msg_return_t mr, mach_msg_header_t *) {
				if (mr == MACH_MSG_SUCCESS)
					sent_ok++;
			}) == 0);
		}
		CHECK(ring.submit() == kBatch);
		// the event loop: the ring fd says completions are waiting
		while (received < (round + 1) * kBatch || sent_ok < (round + 1) * kBatch) {
			epoll_event evs[4];
			int n = epoll_wait(ep, evs, 4, 5000);
			if (n < 0 && errno == EINTR)
				continue;	// task work for a parked receive ran
			if (n <= 0) {
				CHECK(!"epoll_wait timed out");
				break;
			}
			for (int i = 0; i < n; i++)
				if (evs[i].data.u32 == 1)
					ring.reap();
			ring.submit();	// the re-armed receives
		}
	}
	CHECK(received == total);
	CHECK(sent_ok == total);
	CHECK(order_errors == 0);
	CHECK(seen == ~0ULL);
	CHECK(ring.pending() == 0);

	// The set's fd wakes the loop; a receive through wait() takes the message.
	msg m{};
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = q;
	m.seq = 4242;
	CHECK(mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) ==
	      MACH_MSG_SUCCESS);
	epoll_event got{};
	int n;
	do
		n = epoll_wait(ep, &got, 1, 5000);
	while (n < 0 && errno == EINTR);
	CHECK(n == 1 && got.data.u32 == 2);
	rbuf sb{};
	mach_msg_return_t smr = MACH_MSG_IPC_SPACE;
	CHECK(ring.receive(set, &sb.hdr, sizeof(sb), [&](mach_msg_return_t mr, mach_msg_header_t *h) {
		smr = mr;
		CHECK(h == &sb.hdr);
	}) == 0);
	CHECK(ring.wait(5000) == 1);
	CHECK(smr == MACH_MSG_SUCCESS);
	CHECK(reinterpret_cast<msg *>(&sb)->seq == 4242 && sb.hdr.msgh_local_port == q);

	// A timed receive, and an invalid name, as Mach codes in the callback.
	mach_msg_return_t tmr = 0, imr = 0;
	CHECK(ring.receive(p, &sb.hdr, sizeof(sb),
			   [&](mach_msg_return_t mr, mach_msg_header_t *) { tmr = mr; }, 50) == 0);
	CHECK(ring.receive(0x7777, &sb.hdr, sizeof(sb),
			   [&](mach_msg_return_t mr, mach_msg_header_t *) { imr = mr; }) == 0);
	for (int i = 0; i < 10 && ring.pending(); i++)
		ring.wait(1000);
	CHECK(tmr == MACH_RCV_TIMED_OUT);
	CHECK(imr == MACH_RCV_INVALID_NAME);

	// Destroying the ring with a receive pending: nothing is called, nothing hangs.
	{
		mach::uring r2;
		CHECK(r2.init(8) == 0);
		bool called = false;
		CHECK(r2.receive(p, &sb.hdr, sizeof(sb),
				 [&](mach_msg_return_t, mach_msg_header_t *) { called = true; },
				 100) == 0);
		CHECK(r2.submit() == 1);
		CHECK(r2.pending() == 1);
		r2.close();
		CHECK(!called);
		usleep(200 * 1000);	// the parked receive times out in the kernel
	}

	close(setfd);
	close(ep);
	if (failures) {
		std::printf("FAIL: uring_loop: %d checks failed\n", failures);
		return 1;
	}
	std::printf("ok: uring_loop: %d messages through mach::uring and epoll "
		    "(%d completions out of arrival order)\n", total, out_of_order);
	return 0;
}
