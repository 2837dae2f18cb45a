/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mach_error.h> */
#ifndef _MACH_MACH_ERROR_H_
#define _MACH_MACH_ERROR_H_

#include <mach/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Darwin's text for a kern_return_t / mach_msg_return_t / MIG code. */
char *mach_error_string(mach_error_t error_value);
/* Prints "str text" (or "str (sys/sub) text (hex)" for unknown codes) to stderr. */
void mach_error(const char *str, mach_error_t error_value);
/* "(sys/sub)" of a code. */
char *mach_error_type(mach_error_t error_value);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_ERROR_H_ */
