/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_behavior.h>.  The VM_BEHAVIOR_* values come from <linux/mach.h>. */
#ifndef _MACH_VM_BEHAVIOR_H_
#define _MACH_VM_BEHAVIOR_H_

#include <linux/mach.h>

typedef int vm_behavior_t;

#endif /* _MACH_VM_BEHAVIOR_H_ */
