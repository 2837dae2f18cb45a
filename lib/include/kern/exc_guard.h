/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <kern/exc_guard.h>, the layout of an EXC_GUARD code.  The module
 * raises Mach port guards only (GUARD_TYPE_MACH_PORT); their flavors are
 * the kGUARD_EXC_* values of <mach/port.h>.  There is no exception port to
 * deliver them to: a fatal guard kills the process (SIGKILL, with a kernel
 * log line naming the flavor and the port), see task_set_exc_guard_behavior.
 *
 * code:    [63:61] guard type | [60:32] flavor | [31:0] target
 * subcode: [63:0] payload
 */
#ifndef _KERN_EXC_GUARD_H_
#define _KERN_EXC_GUARD_H_

#include <stdint.h>
#include <linux/mach.h>

#define EXC_GUARD_DECODE_GUARD_TYPE(code) \
	((((uint64_t)(code)) >> 61) & 0x7ull)
#define EXC_GUARD_DECODE_GUARD_FLAVOR(code) \
	((((uint64_t)(code)) >> 32) & 0x1fffffff)
#define EXC_GUARD_DECODE_GUARD_TARGET(code) \
	((uint32_t)(code))

#define GUARD_TYPE_NONE		0x0
/* GUARD_TYPE_MACH_PORT (0x1) comes from <linux/mach.h> */
#define GUARD_TYPE_FD		0x2
#define GUARD_TYPE_USER		0x3
#define GUARD_TYPE_VN		0x4
#define GUARD_TYPE_VIRT_MEMORY	0x5
#define GUARD_TYPE_REJECTED_SC	0x6

#endif /* _KERN_EXC_GUARD_H_ */
