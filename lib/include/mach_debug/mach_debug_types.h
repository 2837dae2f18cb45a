/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach_debug/mach_debug_types.h> (the parts libmach uses). */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach_debug/ipc_info.h>

#define KOBJECT_DESCRIPTION_LENGTH	512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif /* _MACH_DEBUG_MACH_DEBUG_TYPES_H_ */
