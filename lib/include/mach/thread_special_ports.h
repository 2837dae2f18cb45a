/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/thread_special_ports.h>, Darwin's numbers. */
#ifndef _MACH_THREAD_SPECIAL_PORTS_H_
#define _MACH_THREAD_SPECIAL_PORTS_H_

#define THREAD_KERNEL_PORT	1
#define THREAD_INSPECT_PORT	2
#define THREAD_READ_PORT	3
#define THREAD_MAX_SPECIAL_PORT	THREAD_READ_PORT

#endif /* _MACH_THREAD_SPECIAL_PORTS_H_ */
