/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* libmach: <mach/mig.h>, the basics MIG-generated stubs rely on. */
#ifndef _MACH_MIG_H_
#define _MACH_MIG_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>
#include <mach/mig_errors.h>

#define MIG_SERVER_ROUTINE

typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP,
				   mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef struct mig_symtab {
	char		*ms_routine_name;
	int		ms_routine_number;
	void		(*ms_routine)(void);
} mig_symtab_t;

#endif /* _MACH_MIG_H_ */
