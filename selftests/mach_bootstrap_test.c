// SPDX-License-Identifier: GPL-2.0
/*
 * The bootstrap name server (tools/machd) and libmach's bootstrap client
 * (<servers/bootstrap.h>): registration, look-up, check-in, reservations,
 * ownership across uids, server restart, clients that die mid-request,
 * malformed requests and a flood of registrations against the per-uid bound.
 *
 * Each test starts its own machd (MACHD, default /usr/local/bin/machd, with
 * -n FLOOD_LIMIT) and stops it.  A process's bootstrap_port is fixed when its
 * space is made (at library load, inherited across fork), so everything that
 * talks to machd runs in a helper: this binary re-executed with "--helper"
 * (a fresh space that gets the current server's port), optionally switching
 * to another uid first.  A helper prints one line, the result code (and, for
 * some operations, a second number), then either exits or, for "hold"
 * operations, keeps its rights until its stdin is closed.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"

#include <grp.h>
#include <stddef.h>
#include <limits.h>
#include <poll.h>
#include <sys/prctl.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <servers/bootstrap.h>

#define FLOOD_LIMIT 16
#define HELPER_TIMEOUT_MS 15000
#define NO_RESULT INT_MIN

static const char *machd_path(void)
{
	const char *p = getenv("MACHD");

	return p && *p ? p : "/usr/local/bin/machd";
}

/* ------------------------------------------------------------------------
 * machd
 */

/* Starts machd; returns its pid once it serves, or -1. */
static pid_t start_machd(void)
{
	int fds[2];
	char c;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char limit[16];

		/* Do not outlive a test that crashes. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 3);	/* dup2 clears O_CLOEXEC on 3 */
		snprintf(limit, sizeof(limit), "%d", FLOOD_LIMIT);
		execl(machd_path(), "machd", "-q", "-n", limit, "--ready-fd", "3", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	if (poll(&p, 1, HELPER_TIMEOUT_MS) != 1 || read(fds[0], &c, 1) != 1) {
		close(fds[0]);
		kill(pid, SIGKILL);
		wait_child(pid);
		return -1;
	}
	close(fds[0]);
	return pid;
}

/* SIGTERM, then the exit status (0 for a clean stop). */
static int stop_machd(pid_t pid)
{
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	return wait_child(pid);
}

/* ------------------------------------------------------------------------
 * Helpers (this binary, re-executed)
 */
struct helper {
	pid_t pid;
	int in;		/* its stdin: closing it ends a "hold" */
	int out;	/* its stdout */
	int value2;	/* second number of the result line */
};

/* Starts "--helper [--uid U] op args..."; uid < 0 keeps root. */
static int helper_spawn(struct helper *h, int uid, const char *op, const char *a1, const char *a2)
{
	int in[2], out[2];
	char uidbuf[16];
	const char *argv[10];
	int n = 0;

	argv[n++] = "mach_bootstrap_test";
	argv[n++] = "--helper";
	if (uid >= 0) {
		snprintf(uidbuf, sizeof(uidbuf), "%d", uid);
		argv[n++] = "--uid";
		argv[n++] = uidbuf;
	}
	argv[n++] = op;
	if (a1)
		argv[n++] = a1;
	if (a2)
		argv[n++] = a2;
	argv[n] = NULL;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (h->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		execv("/proc/self/exe", (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	h->in = in[1];
	h->out = out[0];
	h->value2 = 0;
	return 0;
}

/* The helper's result code (first number it prints), or NO_RESULT. */
static int helper_result(struct helper *h)
{
	char line[64];
	size_t len = 0;
	int a = NO_RESULT, b = 0;

	while (len < sizeof(line) - 1) {
		struct pollfd p = { .fd = h->out, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, HELPER_TIMEOUT_MS) != 1)
			break;
		r = read(h->out, line + len, 1);
		if (r != 1 || line[len] == '\n')
			break;
		len++;
	}
	line[len] = 0;
	if (sscanf(line, "%d %d", &a, &b) < 1)
		return NO_RESULT;
	h->value2 = b;
	return a;
}

/* Ends the helper (closing stdin releases a hold); its exit status. */
static int helper_finish(struct helper *h)
{
	close(h->in);
	close(h->out);
	return wait_child(h->pid);
}

/* One helper run start to end: its result code. */
static int helper_run2(int uid, const char *op, const char *a1, const char *a2, int *value2)
{
	struct helper h;
	int r;

	if (helper_spawn(&h, uid, op, a1, a2))
		return NO_RESULT;
	r = helper_result(&h);
	if (value2)
		*value2 = h.value2;
	helper_finish(&h);
	return r;
}

static int helper_run(int uid, const char *op, const char *a1)
{
	return helper_run2(uid, op, a1, NULL, NULL);
}

/* Polls look-ups until the name is gone (the server saw its port die). */
static int wait_name_gone(const char *name)
{
	int64_t end = now_ms() + 5000;
	int r;

	do {
		r = helper_run(-1, "lookup", name);
		if (r != KERN_SUCCESS)
			return r;
		sleep_ms(50);
	} while (now_ms() < end);
	return r;
}

/* ------------------------------------------------------------------------
 * The helper side
 */

/*
 * The check-in request of <servers/bootstrap.defs> as mig lays it out
 * (packed to 4, as Apple's MIG does): not complex, the NDR record, the name
 * as a fixed c_string[128], the flags.  msgh_id 402 is Darwin's
 * bootstrap_check_in (subsystem 400, third routine).
 */
#pragma pack(push, 4)
struct raw_check_in {
	mach_msg_header_t head;
	NDR_record_t ndr;
	char name[BOOTSTRAP_MAX_NAME_LEN];
	uint64_t flags;
};
#pragma pack(pop)
_Static_assert(sizeof(struct raw_check_in) == 168, "check_in request size");
_Static_assert(offsetof(struct raw_check_in, name) == 32, "check_in name offset");
_Static_assert(offsetof(struct raw_check_in, flags) == 160, "check_in flags offset");
#define RAW_CHECK_IN 402

/* A complex message carrying one port, for the malformed requests. */
struct raw_junk {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	char pad[BOOTSTRAP_MAX_NAME_LEN];
};

static void say(int a, int b)
{
	printf("%d %d\n", a, b);
	fflush(stdout);
}

/* Keeps every right until the parent closes our stdin. */
static void hold(void)
{
	char c;

	while (read(0, &c, 1) > 0)
		;
}

static int helper_main(int argc, char **argv)
{
	mach_port_t task = mach_task_self(), port = MACH_PORT_NULL;
	kern_return_t kr;
	int i = 2;

	if (i + 1 < argc && !strcmp(argv[i], "--uid")) {
		uid_t uid = (uid_t)atoi(argv[i + 1]);

		if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) {
			perror("setuid");
			return 1;
		}
		i += 2;
	}
	if (i >= argc)
		return 2;
	const char *op = argv[i], *name = i + 1 < argc ? argv[i + 1] : "";
	const char *arg2 = i + 2 < argc ? argv[i + 2] : NULL;

	if (!strcmp(op, "bootstrap-port")) {
		say(bootstrap_port != MACH_PORT_NULL, 0);
	} else if (!strcmp(op, "lookup")) {
		kr = bootstrap_look_up(bootstrap_port, name, &port);
		say(kr, port != MACH_PORT_NULL);
	} else if (!strcmp(op, "status")) {
		bootstrap_status_t st = -1;

		kr = bootstrap_status(bootstrap_port, name, &st);
		say(kr, st);
	} else if (!strcmp(op, "parent")) {
		kr = bootstrap_parent(bootstrap_port, &port);
		say(kr, port != MACH_PORT_NULL);
	} else if (!strcmp(op, "create")) {
		kr = bootstrap_create_service(bootstrap_port, name, &port);
		say(kr, port != MACH_PORT_NULL);
	} else if (!strcmp(op, "checkin") || !strcmp(op, "checkin-hold")) {
		mach_port_type_t t = 0;

		kr = bootstrap_check_in(bootstrap_port, name, &port);
		if (kr == KERN_SUCCESS)
			mach_port_type(task, port, &t);
		/* second number: 1 if we really got a receive right */
		say(kr, !!(t & MACH_PORT_TYPE_RECEIVE));
		if (!strcmp(op, "checkin-hold"))
			hold();
	} else if (!strcmp(op, "register") || !strcmp(op, "register-hold")) {
		if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port))
			return 1;
		kr = bootstrap_register(bootstrap_port, name, port);
		say(kr, 0);
		if (!strcmp(op, "register-hold"))
			hold();
	} else if (!strcmp(op, "unregister")) {
		say(bootstrap_register(bootstrap_port, name, MACH_PORT_NULL), 0);
	} else if (!strcmp(op, "flood")) {
		/* register name.0, name.1, ... with one port until refused */
		int n = arg2 ? atoi(arg2) : 100, ok = 0;
		char nm[BOOTSTRAP_MAX_NAME_LEN];

		kr = KERN_SUCCESS;
		if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port))
			return 1;
		for (int k = 0; k < n; k++) {
			snprintf(nm, sizeof(nm), "%s.%d", name, k);
			kr = bootstrap_register(bootstrap_port, nm, port);
			if (kr != KERN_SUCCESS)
				break;
			ok++;
		}
		say(kr, ok);
		hold();
	} else if (!strcmp(op, "checkin-die")) {
		/* A check-in request whose sender is gone before the reply. */
		struct raw_check_in req;
		mach_port_t reply = mach_reply_port();

		memset(&req, 0, sizeof(req));
		req.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0);
		req.head.msgh_size = sizeof(req);
		req.head.msgh_remote_port = bootstrap_port;
		req.head.msgh_local_port = reply;
		req.head.msgh_id = RAW_CHECK_IN;
		req.ndr = NDR_record;
		strncpy(req.name, name, sizeof(req.name) - 1);
		kr = mach_msg(&req.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(req), 0,
			      MACH_PORT_NULL, 5000, MACH_PORT_NULL);
		say(kr, 0);
		_exit(0);
	} else if (!strcmp(op, "raw-checkin")) {
		/* check_in by hand, against the wire layout: the reply is
		 * 502, complex, 40 bytes, one port descriptor moving the
		 * receive right.  Second number: 1 if all of that held. */
		union {
			struct raw_check_in req;
			struct {
				mach_msg_header_t head;
				mach_msg_body_t body;
				mach_msg_port_descriptor_t port;
				mach_msg_trailer_t trailer;
			} rep;
			uint8_t raw[sizeof(struct raw_check_in) + MAX_TRAILER_SIZE];
		} m;
		mach_port_t reply = mach_reply_port();
		mach_port_type_t t = 0;
		int shaped = 0;

		memset(&m, 0, sizeof(m));
		m.req.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0);
		m.req.head.msgh_size = sizeof(m.req);
		m.req.head.msgh_remote_port = bootstrap_port;
		m.req.head.msgh_local_port = reply;
		m.req.head.msgh_id = RAW_CHECK_IN;
		m.req.ndr = NDR_record;
		strncpy(m.req.name, name, sizeof(m.req.name) - 1);
		kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			      MACH_RCV_TIMEOUT, sizeof(m.req), sizeof(m), reply, 5000,
			      MACH_PORT_NULL);
		if (kr == KERN_SUCCESS && m.rep.head.msgh_id == RAW_CHECK_IN + 100 &&
		    (m.rep.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    m.rep.head.msgh_size == 40 && m.rep.body.msgh_descriptor_count == 1 &&
		    m.rep.port.type == MACH_MSG_PORT_DESCRIPTOR &&
		    m.rep.port.disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
		    mach_port_type(task, m.rep.port.name, &t) == KERN_SUCCESS &&
		    (t & MACH_PORT_TYPE_RECEIVE))
			shaped = 1;
		else if (kr == KERN_SUCCESS)
			kr = ((mig_reply_error_t *)&m.rep.head)->RetCode;
		say(kr, shaped);
	} else if (!strcmp(op, "garbage")) {
		/* Malformed requests: bad id, truncated, no reply port, a
		 * stray receive right, a name without its NUL.  Prints the
		 * reply codes to the bad id and to the bad name. */
		union {
			struct raw_junk req;
			struct raw_check_in ci;
			uint8_t raw[sizeof(struct raw_junk) + MAX_TRAILER_SIZE];
		} m;
		mach_port_t reply = mach_reply_port(), extra = MACH_PORT_NULL;
		kern_return_t kr2;

		memset(&m, 0, sizeof(m));
		m.req.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, 0);
		m.req.head.msgh_remote_port = bootstrap_port;
		m.req.head.msgh_id = RAW_CHECK_IN;
		mach_msg(&m.req.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 24, 0, MACH_PORT_NULL,
			 1000, MACH_PORT_NULL);		/* truncated, no reply port */

		mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &extra);
		memset(&m, 0, sizeof(m));
		m.req.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE, 0,
							  MACH_MSGH_BITS_COMPLEX);
		m.req.head.msgh_size = sizeof(m.req);
		m.req.head.msgh_remote_port = bootstrap_port;
		m.req.head.msgh_local_port = reply;
		m.req.head.msgh_id = 4242;
		m.req.body.msgh_descriptor_count = 1;
		m.req.port.name = extra;
		m.req.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.req.port.type = MACH_MSG_PORT_DESCRIPTOR;
		kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			      MACH_RCV_TIMEOUT, sizeof(m.req), sizeof(m), reply, 5000,
			      MACH_PORT_NULL);
		if (kr == KERN_SUCCESS) {
			mig_reply_error_t *e = (mig_reply_error_t *)&m.req.head;

			kr = e->Head.msgh_id == 4242 + 100 ? e->RetCode : MIG_REPLY_MISMATCH;
		}

		/* check_in's shape, but the name fills all 128 bytes. */
		memset(&m, 0, sizeof(m));
		m.ci.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0);
		m.ci.head.msgh_size = sizeof(m.ci);
		m.ci.head.msgh_remote_port = bootstrap_port;
		m.ci.head.msgh_local_port = reply;
		m.ci.head.msgh_id = RAW_CHECK_IN;
		m.ci.ndr = NDR_record;
		memset(m.ci.name, 'x', sizeof(m.ci.name));
		kr2 = mach_msg(&m.ci.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			       MACH_RCV_TIMEOUT, sizeof(m.ci), sizeof(m), reply, 5000,
			       MACH_PORT_NULL);
		if (kr2 == KERN_SUCCESS) {
			mig_reply_error_t *e = (mig_reply_error_t *)&m.ci.head;

			kr2 = e->Head.msgh_id == RAW_CHECK_IN + 100 ? e->RetCode : MIG_REPLY_MISMATCH;
		}
		say(kr, kr2);
	} else {
		return 2;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Tests
 */
FIXTURE(bootstrap) {
	pid_t machd;
};

FIXTURE_SETUP(bootstrap)
{
	self->machd = start_machd();
	ASSERT_LT(0, self->machd) TH_LOG("machd did not start");
	ASSERT_EQ(1, helper_run(-1, "bootstrap-port", NULL))
		TH_LOG("a new process has no bootstrap port while machd runs");
}

FIXTURE_TEARDOWN(bootstrap)
{
	if (self->machd > 0)
		EXPECT_EQ(0, stop_machd(self->machd));
}

TEST_F(bootstrap, lookup_unknown_and_bad_names)
{
	char longname[BOOTSTRAP_MAX_NAME_LEN + 8];

	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "lookup", "t.none"));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	EXPECT_EQ(BOOTSTRAP_BAD_COUNT, helper_run(-1, "lookup", longname));
	EXPECT_EQ(BOOTSTRAP_BAD_COUNT, helper_run(-1, "lookup", ""));
	EXPECT_STREQ("Unknown service name", bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE));
	EXPECT_STREQ("(os/kern) invalid argument", bootstrap_strerror(KERN_INVALID_ARGUMENT));
}

TEST_F(bootstrap, register_look_up_and_free_on_death)
{
	struct helper h;
	int got;

	ASSERT_EQ(0, helper_spawn(&h, -1, "register-hold", "t.reg", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&h));
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "lookup", "t.reg", NULL, &got));
	EXPECT_EQ(1, got);
	/* Another port under the same live name, same uid. */
	EXPECT_EQ(BOOTSTRAP_NAME_IN_USE, helper_run(-1, "register", "t.reg"));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, helper_run(-1, "checkin", "t.reg"));
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "status", "t.reg", NULL, &got));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, got);
	/* The registering process exits: its port dies, the name goes. */
	EXPECT_EQ(0, helper_finish(&h));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.reg"));
	/* And can be taken again. */
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "register", "t.reg"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.reg"));
}

TEST_F(bootstrap, unregister)
{
	struct helper h;

	ASSERT_EQ(0, helper_spawn(&h, -1, "register-hold", "t.unreg", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&h));
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "unregister", "t.unreg"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "lookup", "t.unreg"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "unregister", "t.unreg"));
	EXPECT_EQ(0, helper_finish(&h));
}

TEST_F(bootstrap, check_in_gives_the_receive_right)
{
	struct helper h;
	int got;

	ASSERT_EQ(0, helper_spawn(&h, -1, "checkin-hold", "t.ci", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&h));
	EXPECT_EQ(1, h.value2) TH_LOG("check-in did not give a receive right");
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "lookup", "t.ci"));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, helper_run(-1, "checkin", "t.ci"));
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "status", "t.ci", NULL, &got));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, got);
	EXPECT_EQ(0, helper_finish(&h));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.ci"));

	/* The same by hand: Darwin's msgh_id (402) and mig's layout. */
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "raw-checkin", "t.ci.raw", NULL, &got));
	EXPECT_EQ(1, got) TH_LOG("the check-in reply is not mig's shape");
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.ci.raw"));
}

TEST_F(bootstrap, create_service_then_check_in)
{
	struct helper h;
	int got;

	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "create", "t.cs"));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, helper_run(-1, "create", "t.cs"));
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "status", "t.cs", NULL, &got));
	EXPECT_EQ(BOOTSTRAP_STATUS_INACTIVE, got);
	/* A reserved name stays while machd holds the port. */
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "lookup", "t.cs"));
	/* Another uid may not take the reservation. */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1000, "checkin", "t.cs"));
	ASSERT_EQ(0, helper_spawn(&h, -1, "checkin-hold", "t.cs", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&h));
	EXPECT_EQ(1, h.value2);
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "status", "t.cs", NULL, &got));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, got);
	EXPECT_EQ(0, helper_finish(&h));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.cs"));
}

TEST_F(bootstrap, names_belong_to_their_uid)
{
	struct helper a, r;

	/* uid 1000 owns t.user */
	ASSERT_EQ(0, helper_spawn(&a, 1000, "checkin-hold", "t.user", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&a));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1001, "checkin", "t.user"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1001, "register", "t.user"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1001, "unregister", "t.user"));
	/* not even root takes it over */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(-1, "register", "t.user"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(-1, "checkin", "t.user"));
	/* anyone may look it up; the owner may drop it */
	EXPECT_EQ(KERN_SUCCESS, helper_run(1001, "lookup", "t.user"));
	EXPECT_EQ(KERN_SUCCESS, helper_run(1000, "unregister", "t.user"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(1001, "lookup", "t.user"));
	EXPECT_EQ(0, helper_finish(&a));

	/* root owns t.root */
	ASSERT_EQ(0, helper_spawn(&r, -1, "register-hold", "t.root", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&r));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1000, "register", "t.root"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1000, "unregister", "t.root"));
	EXPECT_EQ(KERN_SUCCESS, helper_run(1000, "lookup", "t.root"));
	EXPECT_EQ(0, helper_finish(&r));

	/* bootstrap_parent is for root */
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "parent", NULL));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, helper_run(1000, "parent", NULL));
}

TEST_F(bootstrap, server_restart)
{
	struct helper h;

	ASSERT_EQ(0, helper_spawn(&h, -1, "checkin-hold", "t.restart", NULL));
	ASSERT_EQ(KERN_SUCCESS, helper_result(&h));

	EXPECT_EQ(0, stop_machd(self->machd));
	self->machd = 0;
	/* No server: new processes get no bootstrap port, calls fail cleanly. */
	EXPECT_EQ(0, helper_run(-1, "bootstrap-port", NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, helper_run(-1, "lookup", "t.restart"));

	self->machd = start_machd();
	ASSERT_LT(0, self->machd);
	/* New clients find the new server; the old names are gone. */
	EXPECT_EQ(1, helper_run(-1, "bootstrap-port", NULL));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "lookup", "t.restart"));
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "checkin", "t.restart"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.restart"));
	EXPECT_EQ(0, helper_finish(&h));
}

TEST_F_TIMEOUT(bootstrap, clients_die_mid_request, 120)
{
	char name[32];
	int i, got = 0;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "t.die.%d", i);
		EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "checkin-die", name));
	}
	/* A client killed while it waits for its reply. */
	for (i = 0; i < 5; i++) {
		struct helper h;

		ASSERT_EQ(0, helper_spawn(&h, -1, "checkin-hold", "t.killed", NULL));
		kill(h.pid, SIGKILL);
		helper_finish(&h);
	}
	sleep_ms(200);
	ASSERT_EQ(0, waitpid(self->machd, NULL, WNOHANG)) TH_LOG("machd died");
	/* Each name is free again or still reserved: either way its owner
	 * can check in now, and gets a receive right. */
	for (i = 0; i < 20; i++) {
		got = 0;
		snprintf(name, sizeof(name), "t.die.%d", i);
		EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "checkin", name, NULL, &got));
		EXPECT_EQ(1, got);
	}
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "checkin", "t.killed"));
	/* Malformed requests are answered or dropped, never fatal: the
	 * generated demux answers MIG_BAD_ID, its type check (a c_string
	 * must hold its NUL) MIG_BAD_ARGUMENTS. */
	EXPECT_EQ(MIG_BAD_ID, helper_run2(-1, "garbage", NULL, NULL, &got));
	EXPECT_EQ(MIG_BAD_ARGUMENTS, got);
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "lookup", "t.none"));
	ASSERT_EQ(0, waitpid(self->machd, NULL, WNOHANG));
}

TEST_F_TIMEOUT(bootstrap, flood_hits_the_per_uid_bound, 120)
{
	struct helper a, b;
	int got;

	ASSERT_EQ(0, helper_spawn(&a, -1, "flood", "t.flood", "100"));
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, helper_result(&a));
	EXPECT_EQ(FLOOD_LIMIT, a.value2);
	/* The bound is per uid: another uid still gets its share. */
	ASSERT_EQ(0, helper_spawn(&b, 1000, "flood", "t.flood1000", "100"));
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, helper_result(&b));
	EXPECT_EQ(FLOOD_LIMIT, b.value2);
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, helper_run(-1, "checkin", "t.more"));
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "lookup", "t.flood.0"));
	/* All of root's names shared one port: when it dies they all go. */
	EXPECT_EQ(0, helper_finish(&a));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, wait_name_gone("t.flood.15"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, helper_run(-1, "lookup", "t.flood.0"));
	EXPECT_EQ(KERN_SUCCESS, helper_run2(-1, "checkin", "t.more", NULL, &got));
	EXPECT_EQ(1, got);
	EXPECT_EQ(KERN_SUCCESS, helper_run(-1, "lookup", "t.flood1000.3"));
	EXPECT_EQ(0, helper_finish(&b));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--helper"))
		return helper_main(argc, argv);
	if (access(machd_path(), X_OK)) {
		ksft_print_header();
		ksft_exit_skip("%s not found (build tools/, or set MACHD=...)\n", machd_path());
	}
	return test_harness_run(argc, argv);
}
