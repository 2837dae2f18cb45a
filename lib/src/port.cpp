// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mach_port_*: each call is one ioctl mirroring XNU's _kernelrpc_mach_port_*
// trap.  The task argument is passed through for the kernel to validate.
// Out parameters are written only on KERN_SUCCESS, as MIG stubs do.

#include "libmach.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <sys/mman.h>

using libmach::port_call;

namespace {

// mach_ioc_port based calls (allocate, deallocate, destroy, type, ...).
kern_return_t simple(unsigned long cmd, mach_port_t task, mach_port_name_t name,
		     natural_t right = 0, natural_t value = 0,
		     natural_t *name_out = nullptr, natural_t *value_out = nullptr) noexcept
{
	mach_ioc_port a{};
	a.task = task;
	a.name = name;
	a.right = right;
	a.value = value;
	kern_return_t kr = port_call(cmd, &a);
	if (kr == KERN_SUCCESS) {
		if (name_out)
			*name_out = a.name;
		if (value_out)
			*value_out = a.value;
	}
	return kr;
}

// move_member, insert_member, extract_member: a port name and a set name.
kern_return_t member_call(unsigned long cmd, mach_port_t task, mach_port_name_t name,
			  mach_port_name_t pset) noexcept
{
	mach_ioc_port_member a{};
	a.task = task;
	a.name = name;
	a.pset = pset;
	return port_call(cmd, &a);
}

// An array of n port-sized words in vm_allocate'd memory, owned until released.
class vm_array {
public:
	explicit vm_array(mach_msg_type_number_t n) noexcept : bytes_(n * sizeof(natural_t))
	{
		if (bytes_ != 0 &&
		    vm_allocate(mach_task_self_, &addr_, bytes_, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
			addr_ = 0;
	}
	~vm_array() { if (addr_) vm_deallocate(mach_task_self_, addr_, bytes_); }
	vm_array(const vm_array &) = delete;
	vm_array &operator=(const vm_array &) = delete;

	bool failed() const noexcept { return bytes_ != 0 && addr_ == 0; }
	natural_t *data() const noexcept { return reinterpret_cast<natural_t *>(addr_); }

	// Hand the first n words to the caller, who frees them with
	// vm_deallocate(n * 4): unmap the pages beyond those.
	natural_t *release(mach_msg_type_number_t n) noexcept
	{
		const vm_size_t keep = n ? round_to_page(n * sizeof(natural_t)) : 0;
		const vm_size_t have = round_to_page(bytes_);
		if (addr_ && have > keep)
			munmap(reinterpret_cast<void *>(addr_ + keep), have - keep);
		natural_t *p = keep ? data() : nullptr;
		addr_ = 0;
		return p;
	}

private:
	static vm_size_t round_to_page(vm_size_t n) noexcept
	{
		const vm_size_t page = libmach::page_size();
		return (n + page - 1) & ~(page - 1);
	}

	vm_address_t addr_ = 0;
	vm_size_t bytes_;
};

} // namespace

extern "C" {

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	return simple(MACH_IOC_PORT_ALLOCATE, task, MACH_PORT_NULL, right, 0, name);
}

kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
				      mach_port_name_t name)
{
	return simple(MACH_IOC_PORT_ALLOCATE_NAME, task, name, right);
}

// Legacy: XNU checks proto and the qos before anything else, and no longer
// preallocates (it keeps the old errors of a preallocation request).
kern_return_t mach_port_allocate_full(ipc_space_t task, mach_port_right_t right,
				      mach_port_t proto, mach_port_qos_t *qos,
				      mach_port_name_t *name)
{
	if (proto != MACH_PORT_NULL)
		return KERN_INVALID_VALUE;
	if (qos->name && !MACH_PORT_VALID(*name))
		return KERN_INVALID_VALUE;
	if (qos->prealloc) {
		if (qos->len > MACH_MSG_SIZE_MAX - MAX_TRAILER_SIZE)
			return KERN_RESOURCE_SHORTAGE;
		if (right != MACH_PORT_RIGHT_RECEIVE)
			return KERN_INVALID_VALUE;
		qos->prealloc = 0;
	}
	if (qos->name)
		return mach_port_allocate_name(task, right, *name);
	return mach_port_allocate(task, right, name);
}

kern_return_t mach_port_allocate_qos(ipc_space_t task, mach_port_right_t right,
				     mach_port_qos_t *qos, mach_port_name_t *name)
{
	return mach_port_allocate_full(task, right, MACH_PORT_NULL, qos, name);
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return simple(MACH_IOC_PORT_DEALLOCATE, task, name);
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return simple(MACH_IOC_PORT_DESTROY, task, name);
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype)
{
	return simple(MACH_IOC_PORT_TYPE, task, name, 0, 0, nullptr, ptype);
}

kern_return_t mach_port_get_srights(ipc_space_t task, mach_port_name_t name,
				    mach_port_rights_t *srights)
{
	return simple(MACH_IOC_PORT_GET_SRIGHTS, task, name, 0, 0, nullptr, srights);
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return simple(MACH_IOC_PORT_SET_MSCOUNT, task, name, 0, mscount);
}

kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return simple(MACH_IOC_PORT_SET_SEQNO, task, name, 0, seqno);
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	mach_ioc_port_refs a{};
	a.task = task;
	a.name = name;
	a.right = right;
	a.delta = delta;
	return port_call(MACH_IOC_PORT_MOD_REFS, &a);
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs)
{
	mach_ioc_port_refs a{};
	a.task = task;
	a.name = name;
	a.right = right;
	kern_return_t kr = port_call(MACH_IOC_PORT_GET_REFS, &a);
	if (kr == KERN_SUCCESS)
		*refs = static_cast<mach_port_urefs_t>(a.delta);
	return kr;
}

kern_return_t mach_port_get_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t *context)
{
	mach_ioc_port_context a{};
	a.task = task;
	a.name = name;
	kern_return_t kr = port_call(MACH_IOC_PORT_GET_CONTEXT, &a);
	if (kr == KERN_SUCCESS)
		*context = a.context;
	return kr;
}

kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
				    mach_port_context_t context)
{
	mach_ioc_port_context a{};
	a.task = task;
	a.name = name;
	a.context = context;
	return port_call(MACH_IOC_PORT_SET_CONTEXT, &a);
}

// The kernel fills at most the capacity it is given and always reports the
// total: grow and retry until everything fitted.
kern_return_t mach_port_names(ipc_space_t task,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	mach_msg_type_number_t capacity = 64;
	for (;;) {
		vm_array name_buf(capacity), type_buf(capacity);
		if (name_buf.failed() || type_buf.failed())
			return KERN_RESOURCE_SHORTAGE;

		mach_ioc_port_names a{};
		a.task = task;
		a.count = capacity;
		a.names = reinterpret_cast<uintptr_t>(name_buf.data());
		a.types = reinterpret_cast<uintptr_t>(type_buf.data());
		kern_return_t kr = port_call(MACH_IOC_PORT_NAMES, &a);
		if (kr != KERN_SUCCESS)
			return kr;
		if (a.count <= capacity) {
			*namesCnt = *typesCnt = a.count;
			*names = name_buf.release(a.count);
			*types = type_buf.release(a.count);
			return KERN_SUCCESS;
		}
		if (a.count > UINT32_MAX / 2 / sizeof(natural_t))
			return KERN_RESOURCE_SHORTAGE;
		capacity = a.count + a.count / 4 + 16;	// room for names made meanwhile
	}
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	mach_ioc_port_right a{};
	a.task = task;
	a.name = name;
	a.poly = poly;
	a.poly_type = polyPoly;
	return port_call(MACH_IOC_PORT_INSERT_RIGHT, &a);
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	mach_ioc_port_right a{};
	a.task = task;
	a.name = name;
	a.poly_type = msgt_name;
	kern_return_t kr = port_call(MACH_IOC_PORT_EXTRACT_RIGHT, &a);
	if (kr == KERN_SUCCESS) {
		*poly = a.poly;
		*polyPoly = a.poly_type;
	}
	return kr;
}

kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	mach_ioc_port_attr a{};
	a.task = task;
	a.name = name;
	a.flavor = static_cast<__u32>(flavor);
	// MIG clamps the caller's count to the array's maximum.
	a.count = std::min<mach_msg_type_number_t>(*port_info_outCnt, MACH_PORT_INFO_MAX_COUNT);
	kern_return_t kr = port_call(MACH_IOC_PORT_GET_ATTRIBUTES, &a);
	if (kr == KERN_SUCCESS) {
		const auto n = std::min<mach_msg_type_number_t>(a.count, MACH_PORT_INFO_MAX_COUNT);
		memcpy(port_info_out, a.info, n * sizeof(integer_t));
		*port_info_outCnt = n;
	}
	return kr;
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	if (port_infoCnt > MACH_PORT_INFO_MAX_COUNT)
		return MIG_ARRAY_TOO_LARGE;
	mach_ioc_port_attr a{};
	a.task = task;
	a.name = name;
	a.flavor = static_cast<__u32>(flavor);
	a.count = port_infoCnt;
	if (port_infoCnt)
		memcpy(a.info, port_info, port_infoCnt * sizeof(integer_t));
	return port_call(MACH_IOC_PORT_SET_ATTRIBUTES, &a);
}

kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
				  mach_port_context_t context, mach_port_name_t *name)
{
	mach_ioc_port_construct a{};
	a.task = task;
	a.flags = options->flags;
	a.qlimit = options->mpl.mpl_qlimit;
	a.context = context;
	kern_return_t kr = port_call(MACH_IOC_PORT_CONSTRUCT, &a);
	if (kr == KERN_SUCCESS)
		*name = a.name;
	return kr;
}

kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
				 mach_port_delta_t srdelta, mach_port_context_t guard)
{
	mach_ioc_port_construct a{};
	a.task = task;
	a.name = name;
	a.context = guard;
	a.srdelta = srdelta;
	return port_call(MACH_IOC_PORT_DESTRUCT, &a);
}

kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
					 mach_port_context_t guard, uint64_t flags)
{
	mach_ioc_port_guard a{};
	a.task = task;
	a.name = name;
	a.guard = guard;
	a.flags = flags;
	return port_call(MACH_IOC_PORT_GUARD, &a);
}

kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name,
			      mach_port_context_t guard, boolean_t strict)
{
	return mach_port_guard_with_flags(task, name, guard, strict ? MPG_STRICT : 0);
}

kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name,
				mach_port_context_t guard)
{
	mach_ioc_port_guard a{};
	a.task = task;
	a.name = name;
	a.guard = guard;
	return port_call(MACH_IOC_PORT_UNGUARD, &a);
}

kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
				   mach_port_context_t old_guard,
				   mach_port_context_t new_guard)
{
	mach_ioc_port_guard a{};
	a.task = task;
	a.name = name;
	a.guard = old_guard;
	a.new_guard = new_guard;
	return port_call(MACH_IOC_PORT_SWAP_GUARD, &a);
}

kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
			     mach_msg_trailer_type_t trailer_type,
			     mach_port_seqno_t *request_seqnop,
			     mach_msg_size_t *msg_sizep, mach_msg_id_t *msg_idp,
			     mach_msg_trailer_info_t trailer_infop,
			     mach_msg_type_number_t *trailer_infopCnt)
{
	mach_ioc_port_peek a{};
	a.task = task;
	a.name = name;
	a.trailer_type = trailer_type;
	a.seqno = *request_seqnop;
	a.trailer_count = std::min<mach_msg_type_number_t>(*trailer_infopCnt,
							   MACH_MSG_TRAILER_MAX_SIZE);
	kern_return_t kr = port_call(MACH_IOC_PORT_PEEK, &a);
	if (kr == KERN_SUCCESS) {
		const auto n = std::min<mach_msg_type_number_t>(a.trailer_count,
								MACH_MSG_TRAILER_MAX_SIZE);
		*request_seqnop = a.seqno;
		*msg_sizep = a.size;
		*msg_idp = a.id;
		memcpy(trailer_infop, a.trailer, n);
		*trailer_infopCnt = n;
	}
	return kr;
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return member_call(MACH_IOC_PORT_MOVE_MEMBER, task, member, after);
}

kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
				      mach_port_name_t pset)
{
	return member_call(MACH_IOC_PORT_INSERT_MEMBER, task, name, pset);
}

kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_t pset)
{
	return member_call(MACH_IOC_PORT_EXTRACT_MEMBER, task, name, pset);
}

// Like mach_port_names: the kernel fills at most the capacity and reports the
// total; grow and retry until every member fitted.
kern_return_t mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	mach_msg_type_number_t capacity = 64;
	for (;;) {
		vm_array buf(capacity);
		if (buf.failed())
			return KERN_RESOURCE_SHORTAGE;

		mach_ioc_port_set_status a{};
		a.task = task;
		a.name = name;
		a.count = capacity;
		a.members = reinterpret_cast<uintptr_t>(buf.data());
		kern_return_t kr = port_call(MACH_IOC_PORT_GET_SET_STATUS, &a);
		if (kr != KERN_SUCCESS)
			return kr;
		if (a.count <= capacity) {
			*membersCnt = a.count;
			*members = buf.release(a.count);
			return KERN_SUCCESS;
		}
		if (a.count > UINT32_MAX / 2 / sizeof(natural_t))
			return KERN_RESOURCE_SHORTAGE;
		capacity = a.count + a.count / 4 + 16;	// room for members added meanwhile
	}
}

kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous)
{
	mach_ioc_port_notify a{};
	a.task = task;
	a.name = name;
	a.msgid = msgid;
	a.sync = sync;
	a.notify = notify;
	a.notify_type = notifyPoly;
	kern_return_t kr = port_call(MACH_IOC_PORT_REQUEST_NOTIFICATION, &a);
	if (kr == KERN_SUCCESS)
		*previous = a.previous;
	return kr;
}

} // extern "C"
