/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmach: <mach/kern_return.h>.  The KERN_* values come from the one ABI
 * definition, <linux/mach.h>.
 */
#ifndef _MACH_KERN_RETURN_H_
#define _MACH_KERN_RETURN_H_

#include <mach/machine/kern_return.h>
#include <linux/mach.h>

#endif /* _MACH_KERN_RETURN_H_ */
