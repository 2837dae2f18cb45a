/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mig.h>, what MIG-generated stubs rely on: the subsystem and
 * routine descriptors a generated server exports, the stub and demux
 * function types, the reply-port and memory helpers, and the two switches
 * generated code tests:
 *
 *  __MigTypeCheck   on unless the program turned it off (or set the legacy
 *                   TypeCheck): servers check the size, complexity and
 *                   descriptors of every request, clients of every reply.
 *  __MigPackStructs always on, as on Darwin: every generated request and
 *                   reply is laid out under #pragma pack(4), so that an
 *                   int64 after a 4-byte field is not padded (Darwin's
 *                   mach_exception_raise request is 84 bytes, not 88).
 */
#ifndef _MACH_MIG_H_
#define _MACH_MIG_H_

#include <stdint.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>

#if !defined(__MigTypeCheck)
#if defined(TypeCheck)
#define __MigTypeCheck		TypeCheck	/* legacy spelling */
#else
#define __MigTypeCheck		1
#endif
#endif

#define __MigPackStructs	1

/* Unpacks a request, calls the server routine, packs the reply. */
typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP,
				   mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;

/* The stub that handles a message, or NULL when its id is not served. */
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);

/* The routine doing the work; generic so that a table can hold them all. */
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t	routine_arg_descriptor;
typedef mach_msg_type_descriptor_t	*routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t	*mig_routine_arg_descriptor_t;

#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL	((mig_routine_arg_descriptor_t)0)

struct routine_descriptor {
	mig_impl_routine_t		impl_routine;	/* server work function */
	mig_stub_routine_t		stub_routine;	/* unmarshalling stub */
	unsigned int			argc;		/* argument words */
	unsigned int			descr_count;	/* complex descriptors */
	routine_arg_descriptor_t	arg_descr;	/* their array */
	unsigned int			max_reply_msg;	/* largest reply */
};
typedef struct routine_descriptor	*routine_descriptor_t;

typedef struct routine_descriptor	mig_routine_descriptor;
typedef mig_routine_descriptor		*mig_routine_descriptor_t;

#define MIG_ROUTINE_DESCRIPTOR_NULL	((mig_routine_descriptor_t)0)

/*
 * A generated server declares its own structure of this shape with the
 * real array length (routine[N]); this one is the generic view of it.
 */
typedef struct mig_subsystem {
	mig_server_routine_t	server;		/* demux routine */
	mach_msg_id_t		start;		/* lowest msgh_id served */
	mach_msg_id_t		end;		/* highest msgh_id served + 1 */
	mach_msg_size_t		maxsize;	/* largest reply */
	vm_address_t		reserved;	/* MIG's */
	mig_routine_descriptor	routine[1];	/* one per msgh_id */
} *mig_subsystem_t;

#define MIG_SUBSYSTEM_NULL		((mig_subsystem_t)0)

typedef struct mig_symtab {
	char		*ms_routine_name;
	int		ms_routine_number;
	void		(*ms_routine)(void);	/* signatures vary */
} mig_symtab_t;

/* Clang's static checks of server routines; nothing elsewhere. */
#if defined(__has_attribute)
#if __has_attribute(mig_server_routine)
#define MIG_SERVER_ROUTINE	__attribute__((mig_server_routine))
#endif
#endif
#ifndef MIG_SERVER_ROUTINE
#define MIG_SERVER_ROUTINE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The calling thread's reply port (made on first use, kept until exit). */
extern mach_port_t mig_get_reply_port(void);
/* After a failed RPC: destroy it, the next call makes a fresh one. */
extern void mig_dealloc_reply_port(mach_port_t reply_port);
/* After a successful RPC: nothing to do, the port stays cached. */
extern void mig_put_reply_port(mach_port_t reply_port);

/*
 * Bounded copies that always NUL-terminate; both return the length copied
 * including the NUL.  The _zerofill one also clears the rest of dest (so
 * no stack garbage goes out in a message).
 */
extern int mig_strncpy(char *dest, const char *src, int len);
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);

/* Memory for out-of-line data (vm_allocate / vm_deallocate). */
extern void mig_allocate(vm_address_t *addr, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MIG_H_ */
