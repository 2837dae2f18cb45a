/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/vm_prot.h>.  The VM_PROT_* values come from <linux/mach.h>. */
#ifndef _MACH_VM_PROT_H_
#define _MACH_VM_PROT_H_

#include <linux/mach.h>

typedef int vm_prot_t;

#endif /* _MACH_VM_PROT_H_ */
