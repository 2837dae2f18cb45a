/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/machine/kern_return.h> */
#ifndef _MACH_MACHINE_KERN_RETURN_H_
#define _MACH_MACHINE_KERN_RETURN_H_

typedef int kern_return_t;

#endif /* _MACH_MACHINE_KERN_RETURN_H_ */
