/* SPDX-License-Identifier: GPL-2.0 */
/* The C types of mach_mig_pair.defs (imported by the generated code). */
#ifndef MACH_MIG_PAIR_TYPES_H
#define MACH_MIG_PAIR_TYPES_H
#include <mach/mach_types.h>
typedef char *name_t;
typedef int *ints_t;
typedef int fixed_t[4];
typedef struct { int a, b, c; } st_t;
typedef mach_port_t *send_array_t;
#endif
