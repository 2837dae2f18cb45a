/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
#ifndef EVERYTHING_TYPES_H
#define EVERYTHING_TYPES_H
#include <stdint.h>
#include <mach/mach_types.h>
typedef char *name_t;
typedef char fname_t[64];
typedef char *bytes_t;
typedef int *ints_t;
typedef int64_t *i64s_t;
typedef int fixed_t[3];
typedef char *ool_t;
typedef int *ool_ints_t;
typedef mach_port_t *ports_t;
typedef mach_port_t *sendports_t;
typedef struct { int a, b, c; } st_t;
typedef struct server_counter *server_counter_t;
server_counter_t counter_in(int v);
int counter_out(server_counter_t c);
void counter_done(server_counter_t c);
#endif
