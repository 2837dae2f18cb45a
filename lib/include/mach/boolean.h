/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/boolean.h> */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

#include <mach/machine/boolean.h>

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

#endif /* _MACH_BOOLEAN_H_ */
