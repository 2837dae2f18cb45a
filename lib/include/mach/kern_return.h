/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/kern_return.h>.  The KERN_* values come from the one ABI
 * definition, <linux/mach.h>.
 */
#ifndef _MACH_KERN_RETURN_H_
#define _MACH_KERN_RETURN_H_

#include <mach/machine/kern_return.h>
#include <linux/mach.h>

#endif /* _MACH_KERN_RETURN_H_ */
