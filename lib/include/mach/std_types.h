/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/std_types.h> */
#ifndef _MACH_STD_TYPES_H_
#define _MACH_STD_TYPES_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/vm_types.h>

#endif /* _MACH_STD_TYPES_H_ */
