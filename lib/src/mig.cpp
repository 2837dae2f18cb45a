// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// What MIG-generated stubs need from the library: the per-thread reply port,
// the NDR record and a few helpers.

#include "libmach.h"

#include <cstdint>
#include <pthread.h>

extern "C" {
NDR_record_t NDR_record = {
	0,			// mig_vers
	0,			// if_vers
	0,			// reserved1
	0,			// mig_encoding
	NDR_INT_LITTLE_ENDIAN,	// int_rep
	NDR_CHAR_ASCII,		// char_rep
	NDR_FLOAT_IEEE,		// float_rep
	0,			// reserved2
};
}

namespace {

// The cached port, and a key whose destructor destroys it when the thread
// exits (a thread_local with a destructor would need the C++ runtime).
thread_local mach_port_t t_reply_port = MACH_PORT_NULL;
pthread_key_t g_reply_key;
pthread_once_t g_reply_key_once = PTHREAD_ONCE_INIT;

void reply_port_thread_exit(void *value) noexcept
{
	auto port = static_cast<mach_port_t>(reinterpret_cast<uintptr_t>(value));
	t_reply_port = MACH_PORT_NULL;
	mach_port_mod_refs(mach_task_self_, port, MACH_PORT_RIGHT_RECEIVE, -1);
}

void make_reply_key() noexcept
{
	pthread_key_create(&g_reply_key, reply_port_thread_exit);
}

void remember(mach_port_t port) noexcept
{
	t_reply_port = port;
	pthread_once(&g_reply_key_once, make_reply_key);
	pthread_setspecific(g_reply_key, reinterpret_cast<void *>(static_cast<uintptr_t>(port)));
}

} // namespace

namespace libmach {

void mig_forget_reply_port() noexcept
{
	if (t_reply_port == MACH_PORT_NULL)
		return;
	t_reply_port = MACH_PORT_NULL;
	pthread_setspecific(g_reply_key, nullptr);
}

} // namespace libmach

extern "C" {

mach_port_t mig_get_reply_port(void)
{
	if (t_reply_port == MACH_PORT_NULL) {
		mach_port_t port = mach_reply_port();
		if (port != MACH_PORT_NULL)
			remember(port);
	}
	return t_reply_port;
}

// After a failed RPC the reply port may hold a stale reply: destroy it and
// let the next mig_get_reply_port make a new one.
void mig_dealloc_reply_port(mach_port_t migport)
{
	mach_port_t port = t_reply_port;
	if (port == MACH_PORT_NULL)
		return;
	remember(MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self_, port, MACH_PORT_RIGHT_RECEIVE, -1);
	if (migport != port)
		mach_port_deallocate(mach_task_self_, migport);
}

void mig_put_reply_port(mach_port_t)
{
}

// Copies at most len bytes, always NUL-terminating; returns the length copied
// including the NUL.
int mig_strncpy(char *dest, const char *src, int len)
{
	if (len <= 0)
		return 0;
	int i = 0;
	if (src)
		for (; i < len - 1 && src[i]; i++)
			dest[i] = src[i];
	dest[i] = '\0';
	return i + 1;
}

// As mig_strncpy, clearing the rest of dest; a NULL src gives an all-zero
// dest and returns 0, as Darwin's does.
int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	if (len <= 0 || !dest)
		return 0;
	int n = src ? mig_strncpy(dest, src, len) : 0;
	for (int i = n; i < len; i++)
		dest[i] = '\0';
	return n;
}

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self_, addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	vm_deallocate(mach_task_self_, addr, size);
}

// Darwin's convention, kept as is: the reply goes to the request's
// msgh_local_port with its local disposition (MIG-generated servers use
// msgh_remote_port instead; callers of this one fix up what they need).
void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply)
{
	auto *out = reinterpret_cast<mig_reply_error_t *>(reply);
	out->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(request->msgh_bits), 0);
	out->Head.msgh_size = sizeof(mig_reply_error_t);
	out->Head.msgh_remote_port = request->msgh_local_port;
	out->Head.msgh_local_port = MACH_PORT_NULL;
	out->Head.msgh_voucher_port = MACH_PORT_NULL;
	out->Head.msgh_id = request->msgh_id + 100;
	out->NDR = NDR_record;
}

} // extern "C"
