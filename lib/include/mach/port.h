/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/port.h>.  Port names, rights, types and port attribute
 * structures with Darwin's names.  Every constant and every structure that
 * crosses /dev/mach comes from <linux/mach.h>; this header only adds Darwin's
 * typedef names on top.
 */
#ifndef _MACH_PORT_H_
#define _MACH_PORT_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/machine/vm_types.h>
#include <linux/mach.h>

typedef natural_t		mach_port_name_t;
typedef mach_port_name_t	*mach_port_name_array_t;

typedef mach_port_name_t	mach_port_t;
typedef mach_port_t		*mach_port_array_t;

typedef natural_t		mach_port_right_t;
typedef natural_t		mach_port_type_t;
typedef mach_port_type_t	*mach_port_type_array_t;

typedef natural_t		mach_port_urefs_t;
typedef integer_t		mach_port_delta_t;

typedef natural_t		mach_port_seqno_t;
typedef natural_t		mach_port_mscount_t;
typedef natural_t		mach_port_msgcount_t;
typedef natural_t		mach_port_rights_t;
typedef unsigned int		mach_port_srights_t;

/* Layout-sensitive: the very structures the kernel fills in. */
typedef struct mach_port_status		mach_port_status_t;
typedef struct mach_port_limits		mach_port_limits_t;
typedef struct mach_port_info_ext	mach_port_info_ext_t;

typedef struct mach_port_guard_info {
	uint64_t mpgi_guard;
} mach_port_guard_info_t;

typedef integer_t		*mach_port_info_t;
typedef int			mach_port_flavor_t;

/* Legacy allocation request of mach_port_allocate_qos/full. */
typedef struct mach_port_qos {
	unsigned int	name:1;		/* name given */
	unsigned int	prealloc:1;	/* preallocated message (ignored) */
	boolean_t	pad1:30;
	natural_t	len;
} mach_port_qos_t;

#define MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN 255
typedef struct mach_service_port_info {
	char	mspi_string_name[MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN];
	uint8_t	mspi_domain_type;
} mach_service_port_info_data_t;
typedef struct mach_service_port_info *mach_service_port_info_t;

/* Options of mach_port_construct (flags are the MPO_* values). */
typedef struct mach_port_options {
	uint32_t		flags;
	mach_port_limits_t	mpl;
	__extension__ union {
		uint64_t			reserved[2];
		mach_port_name_t		work_interval_port;
		mach_service_port_info_t	service_port_info;
		mach_port_name_t		service_port_name;
	};
} mach_port_options_t;
typedef mach_port_options_t *mach_port_options_ptr_t;

/* Deprecated pre-Mach-3.0 names, as Darwin still provides them. */
typedef mach_port_t		port_t;
typedef mach_port_name_t	port_name_t;
typedef mach_port_name_t	*port_name_array_t;
#define PORT_NULL		((port_t)0)
#define PORT_DEAD		((port_t)~0)
#define PORT_VALID(name) \
	((port_t)(name) != PORT_NULL && (port_t)(name) != PORT_DEAD)

#define GUARD_TYPE_MACH_PORT	0x1

#endif /* _MACH_PORT_H_ */
