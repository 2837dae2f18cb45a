/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * A stand-in for /dev/mach, linked ahead of libc into tests/wiring: it
 * interposes open/access/ioctl so that libmach's ioctl wiring (lazy open,
 * version check, self ports, fork, option and errno mapping) can be checked
 * on a machine without mach.ko.  It knows nothing of Mach semantics.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/mach.h>
#include "fake_device.h"

struct fake_state fake = { .fd = -1 };

static int real_open(const char *path, int flags, mode_t mode)
{
	static int (*fn)(const char *, int, ...);
	if (!fn)
		fn = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	return fn(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, "/dev/mach") == 0) {
		fake.opens++;
		fake.open_flags = flags;
		fake.fd = real_open("/dev/null", flags, 0);
		fake.space++;
		return fake.fd;
	}
	return real_open(path, flags, mode);
}

int access(const char *path, int mode)
{
	static int (*fn)(const char *, int);
	if (strcmp(path, "/dev/mach") == 0)
		return 0;
	if (!fn)
		fn = (int (*)(const char *, int))dlsym(RTLD_NEXT, "access");
	return fn(path, mode);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*fn)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake.fd || fd < 0) {
		if (!fn)
			fn = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		return fn(fd, req, arg);
	}

	switch (req) {
	case MACH_IOC_VERSION: {
		struct mach_ioc_version *v = (struct mach_ioc_version *)arg;
		const char *abi = getenv("FAKE_MACH_ABI");
		v->abi_version = abi ? (unsigned)atoi(abi) : MACH_ABI_VERSION;
		return 0;
	}
	case MACH_IOC_TASK_SELF:
		((struct mach_ioc_name *)arg)->name = FAKE_TASK(fake.space);
		return 0;
	case MACH_IOC_REPLY_PORT:
		((struct mach_ioc_name *)arg)->name = FAKE_REPLY(fake.space) + fake.replies++;
		return 0;
	case MACH_IOC_GET_SPECIAL_PORT: {
		struct mach_ioc_special_port *sp = (struct mach_ioc_special_port *)arg;
		if (sp->task != FAKE_TASK(fake.space))
			return KERN_INVALID_TASK;
		if (sp->which != TASK_BOOTSTRAP_PORT)
			return KERN_INVALID_ARGUMENT;
		sp->port = FAKE_BOOTSTRAP(fake.space);
		return 0;
	}
	case MACH_IOC_FORK_SPACE:
		if (fake.fail_fork)
			return fail(ENOMEM);
		fake.space++;
		return real_open("/dev/null", O_RDWR | O_CLOEXEC, 0);
	case MACH_IOC_MSG: {
		struct mach_ioc_msg *m = (struct mach_ioc_msg *)arg;
		if (fake.nmsg < FAKE_MAX_MSG)
			fake.msg[fake.nmsg] = *m;
		fake.nmsg++;
		if (fake.script_pos < fake.script_len) {
			int r = fake.script[fake.script_pos++];
			return r < 0 ? fail(-r) : r;
		}
		return MACH_MSG_SUCCESS;
	}
	case MACH_IOC_PORT_ALLOCATE:
		if (fake.port_errno)
			return fail(fake.port_errno);
		((struct mach_ioc_port *)arg)->name = 0x707;
		return 0;
	case MACH_IOC_PORT_NAMES: {
		struct mach_ioc_port_names *pn = (struct mach_ioc_port_names *)arg;
		__u32 *names = (__u32 *)(uintptr_t)pn->names, *types = (__u32 *)(uintptr_t)pn->types;
		__u32 i;
		fake.names_calls++;
		for (i = 0; i < pn->count && i < FAKE_NAMES; i++) {
			names[i] = (i + 1) << 8;
			types[i] = MACH_PORT_TYPE_RECEIVE;
		}
		pn->count = FAKE_NAMES;
		return 0;
	}
	case MACH_IOC_PORT_MOVE_MEMBER:
	case MACH_IOC_PORT_INSERT_MEMBER:
	case MACH_IOC_PORT_EXTRACT_MEMBER:
		fake.member_cmd = req;
		fake.member = *(struct mach_ioc_port_member *)arg;
		return fake.member.name == 0x666 ? KERN_NOT_IN_SET : 0;
	case MACH_IOC_PORT_GET_SET_STATUS: {
		struct mach_ioc_port_set_status *ss = (struct mach_ioc_port_set_status *)arg;
		__u32 *members = (__u32 *)(uintptr_t)ss->members;
		__u32 i;
		fake.members_calls++;
		if (ss->name != 0x505)
			return KERN_INVALID_RIGHT;
		for (i = 0; i < ss->count && i < FAKE_MEMBERS; i++)
			members[i] = (i + 1) << 8 | 3;
		ss->count = FAKE_MEMBERS;
		return 0;
	}
	case MACH_IOC_PORT_REQUEST_NOTIFICATION: {
		struct mach_ioc_port_notify *pn = (struct mach_ioc_port_notify *)arg;
		fake.notify = *pn;
		if (pn->msgid == 0)
			return KERN_INVALID_VALUE;
		pn->previous = FAKE_PREVIOUS;
		return 0;
	}
	default:
		return fail(ENOTTY);
	}
}
