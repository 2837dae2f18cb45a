/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
#ifndef CHILD_PORT_TYPES_H
#define CHILD_PORT_TYPES_H
#include <stdint.h>
#include <mach/port.h>
typedef mach_port_t child_port_server_t;
typedef uint64_t child_port_token_t;
#endif
