/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* State shared by tests/fake_device.c and tests/wiring.c. */
#ifndef LIBMACH_TESTS_FAKE_DEVICE_H
#define LIBMACH_TESTS_FAKE_DEVICE_H

#include <linux/mach.h>

#define FAKE_MAX_MSG		16
#define FAKE_NAMES		100
#define FAKE_MEMBERS		70
#define FAKE_PREVIOUS		0x909
#define FAKE_TASK(space)	(0x100u * (space) + 0x03)
#define FAKE_BOOTSTRAP(space)	(0x10000u * (space) + 0x07)
#define FAKE_REPLY(space)	(0x1000000u * (space) + 0x100)

struct fake_state {
	int fd;
	int opens;
	int open_flags;
	int space;		/* bumped by every open and FORK_SPACE */
	int fail_fork;
	int replies;
	int port_errno;
	int names_calls;
	int members_calls;
	unsigned long member_cmd;		/* last MOVE/INSERT/EXTRACT_MEMBER */
	struct mach_ioc_port_member member;
	struct mach_ioc_port_notify notify;	/* last REQUEST_NOTIFICATION */
	int script[8];		/* MACH_IOC_MSG results; < 0 is -errno */
	int script_len, script_pos;
	int nmsg;
	struct mach_ioc_msg msg[FAKE_MAX_MSG];
};

extern struct fake_state fake;

#endif
