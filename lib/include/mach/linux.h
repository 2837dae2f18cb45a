/* SPDX-License-Identifier: GPL-2.0 */
/* libmach: <mach/linux.h>, Linux-only extensions. */
#ifndef _MACH_LINUX_H_
#define _MACH_LINUX_H_

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The process's /dev/mach descriptor (opened if it was not yet), for poll or
 * io_uring; -1 when the device is unavailable.  The library owns it: do not
 * close it.
 */
int mach_linux_fd(void);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_LINUX_H_ */
