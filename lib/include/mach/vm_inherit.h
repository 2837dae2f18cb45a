/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_inherit.h>.  The VM_INHERIT_* values come from <linux/mach.h>. */
#ifndef _MACH_VM_INHERIT_H_
#define _MACH_VM_INHERIT_H_

#include <linux/mach.h>

typedef unsigned int vm_inherit_t;

#endif /* _MACH_VM_INHERIT_H_ */
