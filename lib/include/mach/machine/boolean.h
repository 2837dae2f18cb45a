/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/machine/boolean.h>, boolean_t as Darwin defines it for LP64. */
#ifndef _MACH_MACHINE_BOOLEAN_H_
#define _MACH_MACHINE_BOOLEAN_H_

#if defined(__x86_64__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif

#endif /* _MACH_MACHINE_BOOLEAN_H_ */
