/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mach_interface.h>, the MIG-style interfaces libmach provides. */
#ifndef _MACH_INTERFACE_H_
#define _MACH_INTERFACE_H_

#include <mach/mach_port.h>
#include <mach/task.h>
#include <mach/mach_host.h>
#include <mach/thread_act.h>
#include <mach/vm_map.h>
#include <mach/mach_vm.h>

#endif /* _MACH_INTERFACE_H_ */
