/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
#ifndef LOOP_TYPES_H
#define LOOP_TYPES_H
#include <mach/mach_types.h>
typedef char *name_t;
typedef char fname_t[16];
typedef int *ints_t;
typedef char *bytes_t;
typedef int fixed_t[3];
typedef struct { int a, b, c; } st_t;
typedef int *fool_t;
typedef mach_port_t parr_t[2];
#endif
