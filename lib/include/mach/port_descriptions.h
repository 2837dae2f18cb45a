/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/port_descriptions.h>.  The descriptions are Darwin's
 * strings (NULL for a number with none); the _for_id calls take the macro
 * name ("TASK_BOOTSTRAP_PORT") and return its number, or -1 with errno
 * EINVAL (NULL id) or ENOENT (unknown id).
 */
#ifndef _MACH_PORT_DESCRIPTIONS_
#define _MACH_PORT_DESCRIPTIONS_

#ifdef __cplusplus
extern "C" {
#endif

const char *mach_host_special_port_description(int offset);
const char *mach_task_special_port_description(int offset);
const char *mach_thread_special_port_description(int offset);

int mach_host_special_port_for_id(const char *id);
int mach_task_special_port_for_id(const char *id);
int mach_thread_special_port_for_id(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* !defined(_MACH_PORT_DESCRIPTIONS_) */
