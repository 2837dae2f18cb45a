/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <sys/fileport.h>.  A fileport is a port naming an open file;
 * its send right travels in messages.  fileport_makeport returns 0, or -1
 * with errno (EBADF: not an open descriptor; EINVAL: a /dev/mach
 * descriptor, which cannot leave its process).  fileport_makefd returns a
 * new close-on-exec descriptor of the caller for the file, or -1 with
 * errno (EINVAL: not a fileport send right).  The port is not consumed.
 */
#ifndef _SYS_FILEPORT_H_
#define _SYS_FILEPORT_H_

#include <mach/port.h>

typedef mach_port_t fileport_t;

#define FILEPORT_NULL	((fileport_t)0)

#ifdef __cplusplus
extern "C" {
#endif

int fileport_makeport(int fd, fileport_t *port);
int fileport_makefd(fileport_t port);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_FILEPORT_H_ */
