/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* C types of tests/defs/constructs.defs. */
#ifndef CONSTRUCTS_TYPES_H
#define CONSTRUCTS_TYPES_H
#include <mach/mach_types.h>
typedef int *fixedool_t;
typedef char *fixarr_t;
typedef mach_port_t polyarr_t[4];
typedef mach_port_t *polyvar_t;
#endif
