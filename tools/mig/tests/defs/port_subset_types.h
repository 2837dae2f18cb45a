/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
#ifndef PORT_SUBSET_TYPES_H
#define PORT_SUBSET_TYPES_H
#include <mach/mach_types.h>
typedef int mach_port_flavor_t;
typedef integer_t *mach_port_info_t;
#endif
