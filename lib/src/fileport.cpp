// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// fileport_makeport / fileport_makefd: the module holds the file and makes
// the descriptor in the calling process; Darwin's convention of -1 and
// errno on failure.

#include "libmach.h"

#include <sys/fileport.h>

namespace {

int fileport_call(unsigned long cmd, mach_ioc_fileport *a) noexcept
{
	const int r = libmach::device_call(cmd, a);
	if (r == 0)
		return 0;
	// r > 0 cannot happen; -EBADFD (no space of our own) is no fileport either
	errno = r > 0 ? EINVAL : (r == -EBADFD ? EINVAL : -r);
	return -1;
}

} // namespace

extern "C" {

int fileport_makeport(int fd, fileport_t *port)
{
	if (port == nullptr) {
		errno = EFAULT;
		return -1;
	}
	mach_ioc_fileport a{};
	a.fd = fd;
	if (fileport_call(MACH_IOC_FILEPORT_MAKEPORT, &a) != 0)
		return -1;
	*port = a.port;
	return 0;
}

int fileport_makefd(fileport_t port)
{
	mach_ioc_fileport a{};
	a.fd = -1;
	a.port = port;
	if (fileport_call(MACH_IOC_FILEPORT_MAKEFD, &a) != 0)
		return -1;
	return a.fd;
}

} // extern "C"
