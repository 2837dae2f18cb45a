/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/mach_host.h>, the host calls libmach implements.  host is
 * a send right to the host port (mach_host_self()); another right gives
 * KERN_INVALID_ARGUMENT (host_info) or KERN_INVALID_HOST (the statistics),
 * as XNU's HOST_NULL does; a name without a send right
 * MACH_SEND_INVALID_DEST.  *count is Darwin's CountInOut: the integer_t
 * words at info on entry, the words filled on return.
 */
#ifndef _MACH_MACH_HOST_H_
#define _MACH_MACH_HOST_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/host_info.h>
#include <mach/host_special_ports.h>

#ifdef __cplusplus
extern "C" {
#endif

kern_return_t host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt);
kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt);
kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor,
				host_info64_t host_info64_out,
				mach_msg_type_number_t *host_info64_outCnt);
kern_return_t host_page_size(host_t host, vm_size_t *out_page_size);

#ifdef __cplusplus
}
#endif

#endif /* _MACH_MACH_HOST_H_ */
