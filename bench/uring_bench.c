// SPDX-License-Identifier: GPL-2.0
/*
 * uring_bench: messages per second for a one-way stream of 64-byte
 * messages from one process to another, sent in batches of 1, 8 and 64,
 * through
 *   uring  mach_msg as io_uring commands (libmach <mach/mach_uring.h>): the
 *          sender submits a batch of sends in one io_uring_enter; the
 *          receiver keeps `batch` receives in flight and re-arms them with
 *          one io_uring_enter per round of completions;
 *   ioctl  one MACH_IOC_MSG per message on both sides (batching cannot
 *          change anything: the figure is repeated for comparison);
 *   pipe   a pipe, one write(2) of `batch` messages, reads of up to 64
 *          messages.
 * The port's queue limit is MACH_PORT_QLIMIT_LARGE (1024).  A uring send
 * that finds the queue full comes back with MACH_SEND_TIMED_OUT (sends
 * never block on the ring); the sender yields and resends it: the count of
 * such resends is printed.
 *
 *   uring_bench [messages per run (default 20000)] [repeats (default 3)]
 *
 * Output: one line per (batch, path) with the best of the repeats, then a
 * summary table.  Build (static, like the selftests):
 *   cc -O2 -D_GNU_SOURCE -Ilib/include -Iuapi bench/uring_bench.c \
 *      build/lib/libmach.a -luring -lpthread -static -o build/bench/uring_bench
 * Run in the VM: scripts/vm-run.sh --deterministic --quiet stock -- /bench/uring_bench
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <mach/mach.h>
#include <mach/linux.h>
#include <mach/mach_uring.h>

#define MSG_SIZE 64
#define MAX_BATCH 64

enum path { P_URING, P_IOCTL, P_PIPE, P_COUNT };
static const char *const path_name[P_COUNT] = { "uring", "ioctl", "pipe" };

struct msg64 {
	mach_msg_header_t hdr;
	uint8_t body[MSG_SIZE - sizeof(mach_msg_header_t)];
};

struct rbuf {
	mach_msg_header_t hdr;
	uint8_t data[MSG_SIZE + MACH_MSG_TRAILER_MAX_SIZE];
};

static void die(const char *what, long v)
{
	fprintf(stderr, "uring_bench: %s failed (%ld)\n", what, v);
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put1(int fd)
{
	char c = 'x';

	if (write(fd, &c, 1) != 1)
		die("pipe write", errno);
}

static void get1(int fd)
{
	char c;

	while (read(fd, &c, 1) != 1)
		if (errno != EINTR)
			die("pipe read", errno);
}

static void msg_fill(struct msg64 *m, mach_port_t dest, long i)
{
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m->hdr.msgh_size = sizeof(*m);
	m->hdr.msgh_remote_port = dest;
	m->hdr.msgh_local_port = MACH_PORT_NULL;
	m->hdr.msgh_voucher_port = MACH_PORT_NULL;
	m->hdr.msgh_id = (mach_msg_id_t)i;
	memset(m->body, (int)(i & 0xff), sizeof(m->body));
}

/* ---- senders (child) ---------------------------------------------------- */

static long send_uring(mach_port_t dest, int batch, long n)
{
	static struct msg64 m[MAX_BATCH];
	int again[MAX_BATCH];
	struct io_uring ring;
	long sent = 0, resends = 0;
	int r;

	if ((r = mach_uring_queue_init(2 * MAX_BATCH, &ring, 0)))
		die("mach_uring_queue_init", r);
	while (sent < n) {
		int k = n - sent < batch ? (int)(n - sent) : batch, todo = k, i;

		for (i = 0; i < k; i++) {
			msg_fill(&m[i], dest, sent + i);
			again[i] = 1;
		}
		while (todo) {
			struct io_uring_cqe *cqe;
			int queued = 0;

			for (i = 0; i < k; i++) {
				if (!again[i])
					continue;
				if (!mach_uring_get_msg_sqe(&ring, &m[i].hdr, MACH_SEND_MSG,
							    sizeof(m[i]), 0, MACH_PORT_NULL, 0,
							    NULL, (void *)(uintptr_t)i))
					die("get sqe", i);
				queued++;
			}
			/* one io_uring_enter; the sends complete inline */
			if ((r = io_uring_submit_and_wait(&ring, queued)) != queued)
				die("io_uring_submit", r);
			while (io_uring_peek_cqe(&ring, &cqe) == 0) {
				int idx = (int)cqe->user_data;

				if (cqe->res == MACH_MSG_SUCCESS) {
					again[idx] = 0;
					todo--;
				} else if (cqe->res != MACH_SEND_TIMED_OUT) {
					die("uring send", cqe->res);
				}
				io_uring_cqe_seen(&ring, cqe);
			}
			if (todo) {
				/* full queue: the messages came back; let the receiver run */
				resends += todo;
				sched_yield();
			}
		}
		sent += k;
	}
	io_uring_queue_exit(&ring);
	return resends;
}

static void send_ioctl(mach_port_t dest, long n)
{
	struct msg64 m;
	long i;

	for (i = 0; i < n; i++) {
		mach_msg_return_t mr;

		msg_fill(&m, dest, i);
		mr = mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			die("mach_msg send", mr);
	}
}

static void send_pipe(int fd, int batch, long n)
{
	static char buf[MAX_BATCH * MSG_SIZE];
	long sent = 0;

	memset(buf, 0x5a, sizeof(buf));
	while (sent < n) {
		int k = n - sent < batch ? (int)(n - sent) : batch;
		size_t len = (size_t)k * MSG_SIZE, off = 0;

		while (off < len) {
			ssize_t w = write(fd, buf + off, len - off);

			if (w < 0 && errno != EINTR)
				die("write", errno);
			if (w > 0)
				off += (size_t)w;
		}
		sent += k;
	}
}

/* ---- receivers (parent) ------------------------------------------------- */

static void recv_uring(mach_port_t port, int batch, long n)
{
	static struct rbuf b[MAX_BATCH];
	struct io_uring ring;
	long got = 0, armed = 0;
	int r, i;

	if ((r = mach_uring_queue_init(2 * MAX_BATCH, &ring, 0)))
		die("mach_uring_queue_init", r);
	for (i = 0; i < batch && armed < n; i++, armed++)
		if (!mach_uring_get_msg_sqe(&ring, &b[i].hdr, MACH_RCV_MSG, 0, sizeof(b[i]),
					    port, 0, NULL, (void *)(uintptr_t)i))
			die("get sqe", i);
	while (got < n) {
		struct io_uring_cqe *cqe;

		/* re-arm what was reaped and wait for more: one io_uring_enter */
		r = io_uring_submit_and_wait(&ring, 1);
		if (r < 0 && r != -EINTR)
			die("io_uring_submit_and_wait", r);
		while (io_uring_peek_cqe(&ring, &cqe) == 0) {
			int idx = (int)cqe->user_data;

			if (cqe->res != MACH_MSG_SUCCESS)
				die("uring receive", cqe->res);
			io_uring_cqe_seen(&ring, cqe);
			got++;
			if (armed < n) {
				if (!mach_uring_get_msg_sqe(&ring, &b[idx].hdr, MACH_RCV_MSG, 0,
							    sizeof(b[idx]), port, 0, NULL,
							    (void *)(uintptr_t)idx))
					die("get sqe", idx);
				armed++;
			}
		}
	}
	io_uring_queue_exit(&ring);
}

static void recv_ioctl(mach_port_t port, long n)
{
	struct rbuf b;
	long i;

	for (i = 0; i < n; i++) {
		mach_msg_return_t mr = mach_msg(&b.hdr, MACH_RCV_MSG, 0, sizeof(b), port,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);

		if (mr != MACH_MSG_SUCCESS)
			die("mach_msg receive", mr);
	}
}

static void recv_pipe(int fd, long n)
{
	static char buf[MAX_BATCH * MSG_SIZE];
	long want = n * MSG_SIZE;

	while (want > 0) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno != EINTR)
			die("read", errno);
		if (r == 0)
			die("read: early EOF", want);
		if (r > 0)
			want -= r;
	}
}

/* ---- one run ------------------------------------------------------------ */

/* Messages per second; *resends gets the sender's resend count (uring). */
static double run(enum path p, int batch, long n, long *resends)
{
	mach_port_t port = MACH_PORT_NULL;
	int ready[2], go[2], data[2] = { -1, -1 }, res[2];
	double t0, t1;
	pid_t pid;
	int st;

	if (pipe(ready) || pipe(go) || pipe(res))
		die("pipe", errno);
	if (p == P_PIPE) {
		if (pipe(data))
			die("pipe", errno);
	} else {
		mach_port_limits_t l = { .mpl_qlimit = MACH_PORT_QLIMIT_LARGE };
		kern_return_t kr;

		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
		if (kr == KERN_SUCCESS)
			kr = mach_port_insert_right(mach_task_self(), port, port,
						    MACH_MSG_TYPE_MAKE_SEND);
		if (kr == KERN_SUCCESS)
			kr = mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
						      (mach_port_info_t)&l,
						      MACH_PORT_LIMITS_INFO_COUNT);
		/* the child inherits a send right to its bootstrap port */
		if (kr == KERN_SUCCESS)
			kr = task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port);
		if (kr != KERN_SUCCESS)
			die("port setup", kr);
	}

	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		mach_port_t dest = MACH_PORT_NULL;
		long rs = 0;

		if (p != P_PIPE &&
		    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &dest) != KERN_SUCCESS)
			die("task_get_special_port", 0);
		if (p == P_PIPE)
			close(data[0]);
		put1(ready[1]);
		get1(go[0]);
		switch (p) {
		case P_URING:
			rs = send_uring(dest, batch, n);
			break;
		case P_IOCTL:
			send_ioctl(dest, n);
			break;
		default:
			send_pipe(data[1], batch, n);
			break;
		}
		if (write(res[1], &rs, sizeof(rs)) != sizeof(rs))
			die("result", errno);
		_exit(0);
	}
	if (p == P_PIPE)
		close(data[1]);
	get1(ready[0]);
	t0 = now_s();
	put1(go[1]);
	switch (p) {
	case P_URING:
		recv_uring(port, batch, n);
		break;
	case P_IOCTL:
		recv_ioctl(port, n);
		break;
	default:
		recv_pipe(data[0], n);
		break;
	}
	t1 = now_s();
	if (read(res[0], resends, sizeof(*resends)) != sizeof(*resends))
		die("child result", errno);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("child", st);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	close(res[0]);
	close(res[1]);
	if (p == P_PIPE)
		close(data[0]);
	else
		mach_port_destroy(mach_task_self(), port);
	return (double)n / (t1 - t0);
}

int main(int argc, char **argv)
{
	static const int batches[] = { 1, 8, 64 };
	long n = argc > 1 ? atol(argv[1]) : 20000;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	double best[3][P_COUNT] = { { 0 } };
	unsigned int bi;
	int p, k;

	if (n <= 0 || reps <= 0) {
		fprintf(stderr, "usage: uring_bench [messages] [repeats]\n");
		return 2;
	}
	if (mach_linux_fd() < 0) {
		fprintf(stderr, "uring_bench: no /dev/mach\n");
		return 4;
	}
	/* warm up the paths once */
	for (p = 0; p < P_COUNT; p++) {
		long rs;

		run((enum path)p, 8, n / 10 + 1, &rs);
	}
	printf("uring_bench: %ld 64-byte messages per run, best of %d\n", n, reps);
	for (bi = 0; bi < sizeof(batches) / sizeof(batches[0]); bi++) {
		for (p = 0; p < P_COUNT; p++) {
			long rs = 0, rs_best = 0;

			for (k = 0; k < reps; k++) {
				double v = run((enum path)p, batches[bi], n, &rs);

				if (v > best[bi][p]) {
					best[bi][p] = v;
					rs_best = rs;
				}
			}
			printf("uring_bench: batch=%-2d path=%-5s %10.0f msg/s%s", batches[bi],
			       path_name[p], best[bi][p], p == P_URING ? "" : "\n");
			if (p == P_URING)
				printf("  (full-queue resends %ld)\n", rs_best);
			fflush(stdout);
		}
	}
	printf("\n%-6s %12s %12s %12s %10s %10s\n", "batch", "uring msg/s", "ioctl msg/s",
	       "pipe msg/s", "uring/ioctl", "uring/pipe");
	for (bi = 0; bi < sizeof(batches) / sizeof(batches[0]); bi++)
		printf("%-6d %12.0f %12.0f %12.0f %10.2f %10.2f\n", batches[bi],
		       best[bi][P_URING], best[bi][P_IOCTL], best[bi][P_PIPE],
		       best[bi][P_URING] / best[bi][P_IOCTL], best[bi][P_URING] / best[bi][P_PIPE]);
	return 0;
}
