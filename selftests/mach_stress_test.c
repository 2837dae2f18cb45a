// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: processes exchanging rights and dying at random points; deep
 * chains of receive rights (issue 5, "Death" and "Tests").
 *
 * Covers mach-semantics.md §1.2 (MOVE_RECEIVE, MAKE_SEND(_ONCE), MOVE/COPY
 * in messages), §1.3 (port, OOL and OOL-ports descriptors; circularity),
 * §1.4 (pseudo-receive of failed sends), §1.9 (send-once rights destroyed
 * with their holders), §1.10 (dead names), §1.11 (port sets) and §1.12
 * (dead-name, no-senders and port-destroyed requests firing when their
 * holders die), all under SIGKILL at arbitrary moments.  The pass criterion
 * is the issue's: afterwards the module's live-object counters in
 * /sys/kernel/debug/mach/stats return to their starting values, and nothing
 * hangs (on the debug kernel the VM runner also fails the run on any
 * kernel report or kmemleak suspect).
 *
 * The kill schedule and every process's choices come from fixed seeds, so
 * a run is reproducible up to scheduling.
 *
 * Topology of one round: a router process R holds the hub port and makes it
 * its bootstrap port; the workers it forks inherit a send right to the hub
 * (issue 3's fork semantics).  Each worker registers a mailbox (a send right
 * to a port in its own port set) with R, then loops: sends the hub messages
 * carrying every kind of right and memory, receives on its set, keeps a
 * bounded pool of what it received, passes rights on, registers and cancels
 * notification requests, destroys rights.  R forwards hub messages to random
 * mailboxes.  The test process kills workers at random and has R fork
 * replacements; at the end it kills everyone, R included, in random order.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"
#include <poll.h>
#include <sys/prctl.h>

#define NWORKERS	10
#define ROUNDS		3
#define ROUND_MS	2500
#define POOL		48
#define MAILBOXES	32

#define ID_REGISTER	0x5201
#define ID_GIFT		0x5202
#define ID_REPLY	0x5203
#define ID_DIRECT	0x5204

/* A small deterministic generator (xorshift32). */
static uint32_t rng_state;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x ? x : 0x9e3779b9u;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ------------------------------------------------------------------------
 * Releasing what a message holds
 */

/* Release a received message's rights and memory (libmach's mach_msg_destroy frees OOL only if deallocate). */
static void release_received(mach_msg_header_t *h)
{
	unsigned int i, n = msg_desc_count(h);

	for (i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = msg_desc(h, i);

		if (d->type.type == MACH_MSG_OOL_DESCRIPTOR ||
		    d->type.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
			d->out_of_line.deallocate = 1;
	}
	mach_msg_destroy(h);
}

/*
 * A message handed back by the pseudo-receive (§1.4): header not swapped.
 * Drop the destination uref, then destroy the rest as a received message.
 */
static void release_returned(mach_msg_header_t *h)
{
	mach_port_t dest = h->msgh_remote_port;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);

	h->msgh_remote_port = h->msgh_local_port;
	h->msgh_local_port = MACH_PORT_NULL;
	h->msgh_bits = MACH_MSGH_BITS_SET(rt, 0, 0, h->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	if (MACH_PORT_VALID(dest) && dt)
		mach_port_deallocate(TASK, dest);
	release_received(h);
}

static int returned(mach_msg_return_t mr)
{
	mach_msg_return_t c = mr & ~MACH_MSG_MASK;

	return c == MACH_SEND_TIMED_OUT || c == MACH_SEND_INTERRUPTED || c == MACH_SEND_NO_BUFFER;
}

/* ------------------------------------------------------------------------
 * Workers
 */
struct held {
	mach_port_t name;
	int kind;	/* 0 send, 1 send-once, 2 receive */
};

static struct held pool[POOL];
static unsigned int npool;
static mach_port_t mbox;	/* the worker's mailbox, never given away */

/* Give up one pool entry: one uref, or the receive right. */
static void pool_drop(unsigned int i)
{
	if (pool[i].kind == 2) {
		if (pool[i].name != mbox)
			mach_port_mod_refs(TASK, pool[i].name, MACH_PORT_RIGHT_RECEIVE, -1);
	} else {
		mach_port_deallocate(TASK, pool[i].name);
	}
	pool[i] = pool[--npool];
}

static void pool_add(mach_port_t name, int kind)
{
	if (!MACH_PORT_VALID(name) || (kind == 2 && name == mbox))
		return;
	if (npool == POOL)
		pool_drop(rnd_below(POOL));
	pool[npool].name = name;
	pool[npool].kind = kind;
	npool++;
}

static int pool_pick(int kind)
{
	unsigned int i, start = rnd_below(npool ? npool : 1);

	for (i = 0; i < npool; i++) {
		unsigned int j = (start + i) % npool;

		if (pool[j].kind == kind)
			return (int)j;
	}
	return -1;
}

/* Take a received message apart into the pool. */
static void absorb(mach_msg_header_t *h, mach_port_t set)
{
	unsigned int i, j, n = msg_desc_count(h);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);

	/* the reply right: answer it sometimes, else keep or drop it */
	if (MACH_PORT_VALID(h->msgh_remote_port)) {
		if (rnd_below(2))
			msg_send_nb(h->msgh_remote_port,
				    rt == MACH_MSG_TYPE_PORT_SEND_ONCE ? MACH_MSG_TYPE_MOVE_SEND_ONCE
								       : MACH_MSG_TYPE_MOVE_SEND,
				    0, 0, ID_REPLY);
		else
			pool_add(h->msgh_remote_port, rt == MACH_MSG_TYPE_PORT_SEND_ONCE);
	}
	for (i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = msg_desc(h, i);

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (d->port.disposition == MACH_MSG_TYPE_PORT_RECEIVE) {
				pool_add(d->port.name, 2);
				if (MACH_PORT_VALID(d->port.name) && rnd_below(3) == 0)
					mach_port_insert_member(TASK, d->port.name, set);
			} else {
				pool_add(d->port.name,
					 d->port.disposition == MACH_MSG_TYPE_PORT_SEND_ONCE);
			}
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (d->out_of_line.address)
				vm_deallocate(TASK, (vm_address_t)d->out_of_line.address,
					      d->out_of_line.size);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_t *names = d->ool_ports.address;
			int kind = d->ool_ports.disposition == MACH_MSG_TYPE_PORT_RECEIVE ? 2 :
				   d->ool_ports.disposition == MACH_MSG_TYPE_PORT_SEND_ONCE;

			for (j = 0; names && j < d->ool_ports.count; j++)
				pool_add(names[j], kind);
			if (names)
				vm_deallocate(TASK, (vm_address_t)names,
					      d->ool_ports.count * sizeof(mach_port_t));
			break;
		}
		}
	}
}

/* A fresh port, sometimes with a queued message and notification requests. */
static mach_port_t fresh_port(mach_port_t mbox)
{
	mach_port_t f = new_port(), prev;
	struct cmsg m;
	int s;

	if (!MACH_PORT_VALID(f))
		return MACH_PORT_NULL;
	if (rnd_below(2)) {
		cm_init(&m, f, MACH_MSG_TYPE_MAKE_SEND, 0, 0, ID_DIRECT);
		cm_port(&m, mbox, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		s = pool_pick(0);
		if (s >= 0)
			cm_port(&m, pool[s].name, MACH_MSG_TYPE_COPY_SEND);
		/* (with a stale pool name the message is destroyed: fine) */
		(void)cm_send(&m, 0, 0);
	}
	switch (rnd_below(4)) {
	case 0:
		mach_port_request_notification(TASK, f, MACH_NOTIFY_NO_SENDERS, 0, mbox,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		break;
	case 1:
		mach_port_request_notification(TASK, f, MACH_NOTIFY_PORT_DESTROYED, 0, mbox,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		break;
	}
	return f;
}

static void send_gift(mach_port_t hub, mach_port_t mbox, uint8_t *mem)
{
	mach_port_t arr[3];
	unsigned int i, n = 1 + rnd_below(4), k;
	mach_msg_return_t mr;
	struct cmsg m;
	int s;

	if (rnd_below(2))
		cm_init(&m, hub, MACH_MSG_TYPE_COPY_SEND, mbox, MACH_MSG_TYPE_MAKE_SEND_ONCE, ID_GIFT);
	else
		cm_init(&m, hub, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID_GIFT);
	for (i = 0; i < n; i++) {
		switch (rnd_below(8)) {
		case 0:
			cm_port(&m, fresh_port(mbox), MACH_MSG_TYPE_MOVE_RECEIVE);
			break;
		case 1:
			cm_port(&m, mbox, rnd_below(2) ? MACH_MSG_TYPE_MAKE_SEND
						       : MACH_MSG_TYPE_MAKE_SEND_ONCE);
			break;
		case 2:
			s = pool_pick(0);
			if (s >= 0) {
				if (rnd_below(2)) {
					cm_port(&m, pool[s].name, MACH_MSG_TYPE_COPY_SEND);
				} else {
					/* moving the last uref gives the name away */
					cm_port(&m, pool[s].name, MACH_MSG_TYPE_MOVE_SEND);
					pool[s] = pool[--npool];
				}
			}
			break;
		case 3:
			s = pool_pick(1);
			if (s >= 0) {
				cm_port(&m, pool[s].name, MACH_MSG_TYPE_MOVE_SEND_ONCE);
				pool[s] = pool[--npool];
			}
			break;
		case 4:
			s = pool_pick(2);
			if (s >= 0 && pool[s].name != mbox) {
				cm_port(&m, pool[s].name, MACH_MSG_TYPE_MOVE_RECEIVE);
				pool[s] = pool[--npool];
			}
			break;
		case 5:
			cm_ool(&m, mem + rnd_below(64), (mach_msg_size_t)(1 + rnd_below(3 * PAGE_SZ)),
			       rnd_below(2), 0);
			break;
		case 6:
			k = 1 + rnd_below(3);
			for (s = 0; s < (int)k; s++)
				arr[s] = mbox;
			cm_ool_ports(&m, arr, k, MACH_MSG_TYPE_MAKE_SEND, rnd_below(2), 0);
			break;
		default:
			s = pool_pick(0);
			arr[0] = s >= 0 ? pool[s].name : MACH_PORT_NULL;
			arr[1] = MACH_PORT_DEAD;
			cm_ool_ports(&m, arr, 2, MACH_MSG_TYPE_COPY_SEND, 0, 0);
			break;
		}
	}
	mr = cm_send(&m, 0, 0);
	if (returned(mr))
		release_returned(&m.hdr);
}

static void worker(unsigned int seed)
{
	mach_port_t hub = MACH_PORT_NULL, set = MACH_PORT_NULL, prev;
	uint8_t *mem = map_pages(4);
	static struct big_rcv b;
	int64_t end = now_ms() + 60000;
	struct cmsg m;

	rng_state = seed * 2654435761u + 1;
	mbox = new_port();
	if (task_get_special_port(TASK, TASK_BOOTSTRAP_PORT, &hub) != KERN_SUCCESS ||
	    !MACH_PORT_VALID(mbox) || mem == MAP_FAILED ||
	    mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &set) != KERN_SUCCESS ||
	    mach_port_insert_member(TASK, mbox, set) != KERN_SUCCESS)
		_exit(2);
	fill_pattern(mem, 4 * PAGE_SZ, seed);
	set_qlimit(mbox, MACH_PORT_QLIMIT_LARGE);
	cm_init(&m, hub, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID_REGISTER);
	cm_port(&m, mbox, MACH_MSG_TYPE_MAKE_SEND);
	/* the hub may already be dead (the router is killed too): carry on unregistered */
	if (returned(cm_send(&m, MACH_SEND_TIMEOUT, 1000)))
		release_returned(&m.hdr);

	while (now_ms() < end) {
		uint32_t r = rnd_below(100);
		mach_msg_return_t mr;
		int s;

		if (r < 35) {
			send_gift(hub, mbox, mem);
		} else if (r < 70) {
			mr = big_recv(rnd_below(4) ? set : mbox, &b, 0, rnd_below(4));
			if (mr == MACH_MSG_SUCCESS)
				absorb(&b.hdr, set);
		} else if (r < 80) {
			if (npool)
				pool_drop(rnd_below(npool));
		} else if (r < 90) {
			s = npool ? (int)rnd_below(npool) : -1;
			if (s < 0)
				continue;
			if (pool[s].kind == 2) {
				mach_port_request_notification(TASK, pool[s].name,
							       rnd_below(2) ? MACH_NOTIFY_NO_SENDERS
									    : MACH_NOTIFY_PORT_DESTROYED,
							       0, mbox, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
			} else if (mach_port_request_notification(TASK, pool[s].name,
								  MACH_NOTIFY_DEAD_NAME, 1,
								  rnd_below(4) ? mbox : MACH_PORT_NULL,
								  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) ==
				   KERN_SUCCESS) {
				/* a previous request comes back as a send-once right */
				pool_add(prev, 1);
			}
		} else {
			s = pool_pick(rnd_below(2));
			if (s < 0)
				continue;
			cm_init(&m, pool[s].name,
				pool[s].kind ? MACH_MSG_TYPE_MOVE_SEND_ONCE : MACH_MSG_TYPE_COPY_SEND,
				mbox, MACH_MSG_TYPE_MAKE_SEND_ONCE, ID_DIRECT);
			if (rnd_below(2))
				cm_ool(&m, mem, (mach_msg_size_t)PAGE_SZ, rnd_below(2), 0);
			mr = cm_send(&m, 0, 0);
			if ((mr & ~MACH_MSG_MASK) == MACH_SEND_INVALID_DEST) {
				/* a dead or stale name; the header took nothing */
				pool_drop((unsigned int)s);
				continue;
			}
			if (pool[s].kind == 1)	/* the send-once right went with the message */
				pool[s] = pool[--npool];
			if (returned(mr))
				release_returned(&m.hdr);
		}
	}
	_exit(0);
}

/* ------------------------------------------------------------------------
 * The router
 */
static void router(int pid_fd, int ctl_fd, unsigned int seed)
{
	mach_port_t hub = new_port_send(), mbox[MAILBOXES];	/* set_special_port takes a send right */
	unsigned int nmbox = 0, i;
	static struct big_rcv b;
	pid_t pid;

	rng_state = seed;
	if (!MACH_PORT_VALID(hub) || set_qlimit(hub, MACH_PORT_QLIMIT_LARGE) != KERN_SUCCESS ||
	    task_set_special_port(TASK, TASK_BOOTSTRAP_PORT, hub) != KERN_SUCCESS)
		_exit(2);
	/* spawn requests arrive as bytes on ctl_fd; each answered with a pid */
	for (;;) {
		struct pollfd pfd = { .fd = ctl_fd, .events = POLLIN };
		mach_msg_return_t mr;

		while (poll(&pfd, 1, 0) == 1) {
			char c;

			if (read(ctl_fd, &c, 1) != 1)
				_exit(0);
			pid = fork();
			if (pid == 0)
				worker(seed * 1000 + (unsigned int)c + rnd_below(1000));
			if (write(pid_fd, &pid, sizeof(pid)) != sizeof(pid))
				_exit(2);
		}
		mr = big_recv(hub, &b, 0, 10);
		if (mr != MACH_MSG_SUCCESS)
			continue;
		if (b.hdr.msgh_id == ID_REGISTER && msg_desc_count(&b.hdr) == 1) {
			mach_port_t mb = msg_desc(&b.hdr, 0)->port.name;

			if (nmbox < MAILBOXES)
				mbox[nmbox++] = mb;
			else
				drop_name(mb);
			continue;
		}
		if (!nmbox || b.hdr.msgh_id != ID_GIFT) {
			release_received(&b.hdr);
			continue;
		}
		/* forward to a random mailbox, rights and memory moved on */
		i = rnd_below(nmbox);
		{
			mach_port_t reply = b.hdr.msgh_remote_port;
			mach_msg_type_name_t rt = MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits);
			unsigned int d, n = msg_desc_count(&b.hdr);

			for (d = 0; d < n; d++) {
				mach_msg_descriptor_t *dd = msg_desc(&b.hdr, d);

				if (dd->type.type == MACH_MSG_OOL_DESCRIPTOR)
					dd->out_of_line.deallocate = 1;
			}
			b.hdr.msgh_remote_port = mbox[i];
			b.hdr.msgh_local_port = reply;
			b.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							     MACH_PORT_VALID(reply) ? rt : 0, 0,
							     b.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
			if (!MACH_PORT_VALID(reply))
				b.hdr.msgh_local_port = MACH_PORT_NULL;
			mr = mach_msg(&b.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, b.hdr.msgh_size, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (mr == MACH_MSG_SUCCESS)
				continue;
			if (returned(mr)) {
				release_returned(&b.hdr);
				continue;
			}
			/* a dead mailbox: nothing was taken; give it all back and forget it */
			b.hdr.msgh_remote_port = reply;
			b.hdr.msgh_local_port = MACH_PORT_NULL;
			b.hdr.msgh_bits = MACH_MSGH_BITS_SET(MACH_PORT_VALID(reply) ? rt : 0, 0, 0,
							     b.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
			if ((mr & ~MACH_MSG_MASK) == MACH_SEND_INVALID_DEST) {
				release_received(&b.hdr);
				drop_name(mbox[i]);
				mbox[i] = mbox[--nmbox];
			}
		}
	}
}

/* ------------------------------------------------------------------------
 * The test process (never opens /dev/mach itself)
 */
/* Reap every child and orphan; returns how many exited by themselves with an error. */
static int reap_all(void)
{
	int status, bad = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, 0)) > 0 || errno == EINTR)
		if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			ksft_print_msg("pid %d exited with status %d\n", pid, WEXITSTATUS(status));
			bad++;
		}
	return bad;
}

FIXTURE(stress) {
	int unused;
};
FIXTURE_SETUP(stress) {}
FIXTURE_TEARDOWN(stress) {}

TEST_F_TIMEOUT(stress, kill_storm, 300)
{
	struct mstats base, now;
	unsigned int round;

	if (read_stats(&base))
		SKIP(return, "%s unreadable", MACH_STATS_PATH);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));

	for (round = 0; round < ROUNDS; round++) {
		pid_t live[NWORKERS], rpid;
		int pids[2], ctl[2];
		unsigned int i, kills = 0, spawned = 0;
		int64_t start, end, next_kill, router_death;

		rng_state = 0x5eed0000u + round * 7919u;
		ASSERT_EQ(0, pipe(pids));
		ASSERT_EQ(0, pipe(ctl));
		rpid = fork();
		ASSERT_LE(0, rpid);
		if (rpid == 0) {
			close(pids[0]);
			close(ctl[1]);
			router(pids[1], ctl[0], 0x1000u + round);
			_exit(0);
		}
		close(pids[1]);
		close(ctl[0]);
		/* one spawn request per worker */
		for (i = 0; i < NWORKERS; i++) {
			char c = (char)('A' + i);

			ASSERT_EQ(1, write(ctl[1], &c, 1));
			ASSERT_EQ((ssize_t)sizeof(pid_t), read(pids[0], &live[i], sizeof(pid_t)));
			spawned++;
		}
		start = now_ms();
		end = start + ROUND_MS;
		next_kill = start + 40 + rnd_below(160);
		/* in the middle round the router dies half-way, with its hub */
		router_death = round == 1 ? start + ROUND_MS / 2 : 0;
		while (now_ms() < end) {
			if (router_death && now_ms() >= router_death) {
				kill(rpid, SIGKILL);
				router_death = 0;
				rpid = 0;
			}
			if (now_ms() >= next_kill) {
				unsigned int v = rnd_below(NWORKERS);
				char c = (char)('a' + rnd_below(26));

				if (live[v] > 0) {	/* never kill(0): that is our group */
					kill(live[v], SIGKILL);
					kills++;
				}
				live[v] = 0;
				if (rpid) {
					struct pollfd pfd = { .fd = pids[0], .events = POLLIN };

					/* a replacement, forked by the router */
					ASSERT_EQ(1, write(ctl[1], &c, 1));
					if (poll(&pfd, 1, 5000) == 1 &&
					    read(pids[0], &live[v], sizeof(pid_t)) == sizeof(pid_t))
						spawned++;
				}
				next_kill = now_ms() + 40 + rnd_below(160);
			}
			sleep_ms(5);
		}
		/* everyone dies, in a seeded order, the router at a random point */
		{
			unsigned int rpos = rnd_below(NWORKERS + 1);

			for (i = 0; i <= NWORKERS; i++) {
				if (i == rpos && rpid > 0)
					kill(rpid, SIGKILL);
				if (i < NWORKERS && live[i] > 0)
					kill(live[i], SIGKILL);
			}
		}
		close(ctl[1]);
		close(pids[0]);
		/* workers and router only ever end by SIGKILL: an exit status is a failure */
		EXPECT_EQ(0, reap_all()) TH_LOG("round %u: processes failed on their own", round);
		ksft_print_msg("round %u: %u workers spawned, %u killed at random\n", round,
			       spawned, kills);
		EXPECT_EQ(0, stats_wait_equal(&base, &now, 10000))
			TH_LOG("round %u: base " STATS_FMT " now " STATS_FMT, round,
			       STATS_ARGS(&base), STATS_ARGS(&now));
	}
}

/* ------------------------------------------------------------------------
 * Deep chains: p[i]'s receive right queued on p[i+1], thousands deep
 */
#define CHAIN_DEPTH 4000
#define CHAIN_NOTIFY_EVERY 250

/*
 * Build the chain in a child; the head (the only receive right left) is
 * destroyed explicitly (destroy_head) or with the space when the child
 * exits.  Every CHAIN_NOTIFY_EVERY-th link also carries a send-once right
 * to n, and every third link goes in an OOL port array.
 */
static void chain_child(struct __test_metadata *_metadata, int destroy_head)
{
	mach_port_t n = new_port(), prev = new_port(), cur;
	struct mstats before, after;
	int have = read_stats(&before) == 0;
	unsigned int i, notes = 0;

	ASSERT_TRUE(MACH_PORT_VALID(n) && MACH_PORT_VALID(prev));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, MACH_PORT_QLIMIT_LARGE));
	for (i = 1; i <= CHAIN_DEPTH; i++) {
		mach_port_t arr[1] = { prev };
		struct cmsg m;

		cur = new_port();
		ASSERT_TRUE(MACH_PORT_VALID(cur));
		cm_init(&m, cur, MACH_MSG_TYPE_MAKE_SEND, 0, 0, (mach_msg_id_t)i);
		if (i % 3 == 0)
			cm_ool_ports(&m, arr, 1, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_PHYSICAL_COPY, 0);
		else
			cm_port(&m, prev, MACH_MSG_TYPE_MOVE_RECEIVE);
		if (i % CHAIN_NOTIFY_EVERY == 0) {
			cm_port(&m, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
			notes++;
		}
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0)) TH_LOG("link %u", i);
		prev = cur;
	}
	if (have) {
		ASSERT_EQ(0, read_stats(&after));
		EXPECT_EQ(before.ports + CHAIN_DEPTH, after.ports);
		EXPECT_EQ(before.messages + CHAIN_DEPTH, after.messages);
	}
	if (!destroy_head)
		CHILD_EXIT();	/* the space's teardown destroys the chain */

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, prev, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < notes; i++)
		expect_send_once_notification(_metadata, n);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(n));
	if (have) {
		ASSERT_EQ(0, read_stats(&after));
		EXPECT_EQ(before.ports - 1, after.ports);	/* the first p[0] was the last one made before */
		EXPECT_EQ(before.messages, after.messages);
	}
	CHILD_EXIT();
}

static void deep_chain(struct __test_metadata *_metadata, int destroy_head)
{
	struct mstats base, now;
	int have = read_stats(&base) == 0;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		chain_child(_metadata, destroy_head);
	ASSERT_EQ(0, wait_child(pid));
	if (have)
		EXPECT_EQ(0, stats_wait_equal(&base, &now, 10000))
			TH_LOG("base " STATS_FMT " now " STATS_FMT, STATS_ARGS(&base), STATS_ARGS(&now));
}

TEST_F_TIMEOUT(stress, deep_chain_destroy_head, 300) { deep_chain(_metadata, 1); }
TEST_F_TIMEOUT(stress, deep_chain_space_exit, 300) { deep_chain(_metadata, 0); }

/* A deep chain whose holder is SIGKILLed while it is still being built. */
TEST_F_TIMEOUT(stress, deep_chain_killed_while_building, 300)
{
	struct mstats base, now;
	int have = read_stats(&base) == 0;
	int go[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t prev = new_port(), cur;
		unsigned int i;

		close(go[0]);
		for (i = 1;; i++) {
			struct cmsg m;

			cur = new_port();
			cm_init(&m, cur, MACH_MSG_TYPE_MAKE_SEND, 0, 0, (mach_msg_id_t)i);
			cm_port(&m, prev, MACH_MSG_TYPE_MOVE_RECEIVE);
			if (cm_send(&m, 0, 0) != MACH_MSG_SUCCESS)
				_exit(1);
			prev = cur;
			if (i == 1000 && write(go[1], "x", 1) != 1)
				_exit(1);
		}
	}
	close(go[1]);
	ASSERT_EQ(1, read(go[0], &c, 1));
	sleep_ms(20);
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, wait_child(pid));
	if (have)
		EXPECT_EQ(0, stats_wait_equal(&base, &now, 10000))
			TH_LOG("base " STATS_FMT " now " STATS_FMT, STATS_ARGS(&base), STATS_ARGS(&now));
}

TEST_HARNESS_MAIN
