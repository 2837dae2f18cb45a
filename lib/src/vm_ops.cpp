// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// The rest of the mach_vm_* family, with XNU's checks and return codes.
//
// On the caller's own task every call is done here with the Linux system
// call that does the same (mprotect, madvise, msync, mremap, mincore,
// process_vm_readv/writev); the module only reports regions
// (MACH_IOC_VM_REGION: a VMA's maximum protection is not visible to user
// space otherwise).  On another task (a task port the caller holds) the
// module does what Linux lets a module do on another process: read its map
// under its mmap lock and read or write its memory through
// access_process_vm (MACH_IOC_VM_RW).  What Linux offers no exported
// remote path for (mprotect, madvise, msync, mremap of another mm) returns
// KERN_NOT_SUPPORTED.
//
// XNU checks a whole range before it changes anything (vm_map_protect,
// vm_map_copyin, vm_map_copy_overwrite); so does every call here, by
// walking the regions first, so that a hole or a protection failure leaves
// the range as it was.

#include "libmach.h"

#include <mach/vm_region.h>
#include <mach/vm_sync.h>
#include <mach/vm_purgable.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static_assert(VM_REGION_BASIC_INFO_COUNT_64 == 9);
static_assert(VM_REGION_BASIC_INFO_COUNT == 8);
static_assert(VM_REGION_EXTENDED_INFO_COUNT == 9);
static_assert(VM_REGION_TOP_INFO_COUNT == 5);
static_assert(VM_REGION_SUBMAP_INFO_COUNT == 15);
static_assert(VM_REGION_SUBMAP_INFO_V0_COUNT_64 == 16);
static_assert(VM_REGION_SUBMAP_INFO_V1_COUNT_64 == 17);
static_assert(VM_REGION_SUBMAP_INFO_V2_COUNT_64 == 19);
static_assert(VM_REGION_SUBMAP_SHORT_INFO_COUNT_64 == 12);
static_assert(VM_PAGE_INFO_BASIC_COUNT == 8);
static_assert(sizeof(struct mach_vm_read_entry) == 16);

namespace {

using u64 = uint64_t;

// vm_map_copyin's "small" extended region info count, which XNU still takes.
constexpr mach_msg_type_number_t kExtendedInfoLegacyCount = 8;

u64 pmask() noexcept
{
	return libmach::page_size() - 1;
}

u64 trunc_pg(u64 a) noexcept
{
	return a & ~pmask();
}

u64 round_pg(u64 a) noexcept
{
	return (a + pmask()) & ~pmask();
}

bool is_self(vm_map_t target) noexcept
{
	return target == mach_task_self_;
}

// XNU turns a port that names no task into VM_MAP_NULL, which the mach_vm_*
// calls answer with KERN_INVALID_ARGUMENT (vm_msync with KERN_INVALID_TASK).
kern_return_t map_null(kern_return_t kr) noexcept
{
	return kr == KERN_INVALID_TASK ? KERN_INVALID_ARGUMENT : kr;
}

struct Region {
	mach_ioc_vm_region r{};

	u64 start() const noexcept { return r.address; }
	u64 end() const noexcept { return r.address + r.size; }
	bool shared() const noexcept { return r.flags & MACH_VM_REGION_SHARED; }
	bool file() const noexcept { return r.flags & MACH_VM_REGION_FILE; }
};

// The region containing addr or the first one above it.
kern_return_t region_at(vm_map_t task, u64 addr, Region &reg) noexcept
{
	reg.r = {};
	reg.r.task = task;
	reg.r.address = addr;
	return libmach::port_call(MACH_IOC_VM_REGION, &reg.r);
}

// Calls f(region, lo, hi) for each region's part of [start, end), in order.
// A hole is KERN_INVALID_ADDRESS unless holes_ok (then *had_hole is set).
template <class F>
kern_return_t walk(vm_map_t task, u64 start, u64 end, bool holes_ok, bool *had_hole, F &&f) noexcept
{
	u64 addr = start;
	while (addr < end) {
		Region reg;
		kern_return_t kr = region_at(task, addr, reg);
		if (kr == KERN_INVALID_ADDRESS || (kr == KERN_SUCCESS && reg.start() > addr)) {
			if (!holes_ok)
				return KERN_INVALID_ADDRESS;
			if (had_hole)
				*had_hole = true;
			if (kr != KERN_SUCCESS || reg.start() >= end)
				return KERN_SUCCESS;
			addr = reg.start();
		} else if (kr != KERN_SUCCESS) {
			return map_null(kr);
		}
		const u64 hi = reg.end() < end ? reg.end() : end;
		kr = f(reg, addr, hi);
		if (kr != KERN_SUCCESS)
			return kr;
		addr = hi;
	}
	return KERN_SUCCESS;
}

int linux_prot(vm_prot_t prot) noexcept
{
	return (prot & VM_PROT_READ ? PROT_READ : 0) | (prot & VM_PROT_WRITE ? PROT_WRITE : 0) |
	       (prot & VM_PROT_EXECUTE ? PROT_EXEC : 0);
}

// ---- maximum protections lowered by mach_vm_protect(set_maximum) ---------
//
// Linux has no call that lowers a mapping's VM_MAY* bits, so a lowered
// maximum is remembered here: mach_vm_protect refuses to go past it and
// mach_vm_region reports it; mprotect(2) does not see it.  A range is
// forgotten when vm_deallocate/mach_vm_deallocate or mach_vm_remap
// (VM_FLAGS_OVERWRITE) replaces it.

struct MaxRecord {
	u64 start, end;
	vm_prot_t max;
};

constexpr int kMaxRecords = 256;
MaxRecord max_records[kMaxRecords];
int max_count;
pthread_mutex_t max_lock = PTHREAD_MUTEX_INITIALIZER;

struct MaxLock {
	MaxLock() noexcept { pthread_mutex_lock(&max_lock); }
	~MaxLock() { pthread_mutex_unlock(&max_lock); }
	MaxLock(const MaxLock &) = delete;
	MaxLock &operator=(const MaxLock &) = delete;
};

vm_prot_t recorded_max(u64 lo, u64 hi) noexcept
{
	MaxLock l;
	vm_prot_t max = VM_PROT_ALL;
	for (int i = 0; i < max_count; i++)
		if (max_records[i].start < hi && lo < max_records[i].end)
			max &= max_records[i].max;
	return max;
}

// Removes [lo, hi) from the records; false if a split would not fit.
bool clip_locked(u64 lo, u64 hi) noexcept
{
	int extra = 0;
	for (int i = 0; i < max_count; i++)
		if (max_records[i].start < lo && max_records[i].end > hi)
			extra++;
	if (max_count + extra > kMaxRecords)
		return false;
	for (int i = 0; i < max_count;) {
		MaxRecord &m = max_records[i];
		if (m.end <= lo || m.start >= hi) {
			i++;
			continue;
		}
		if (m.start < lo && m.end > hi) {
			max_records[max_count++] = {hi, m.end, m.max};
			m.end = lo;
			i++;
		} else if (m.start < lo) {
			m.end = lo;
			i++;
		} else if (m.end > hi) {
			m.start = hi;
			i++;
		} else {
			m = max_records[--max_count];
		}
	}
	return true;
}

bool record_max(u64 lo, u64 hi, vm_prot_t max) noexcept
{
	MaxLock l;
	if (!clip_locked(lo, hi))
		return false;
	if ((max & VM_PROT_ALL) == VM_PROT_ALL)
		return true;
	if (max_count == kMaxRecords)
		return false;
	max_records[max_count++] = {lo, hi, max};
	return true;
}

// A region's maximum protection: the VMA's, lowered by any record.
vm_prot_t max_of(const Region &reg, u64 lo, u64 hi) noexcept
{
	return static_cast<vm_prot_t>(reg.r.max_protection) & recorded_max(lo, hi);
}

// For a task other than the caller's: the module's code when the name is
// no task port (or its task died), else KERN_NOT_SUPPORTED, for what no
// exported kernel path can do to another process.
kern_return_t foreign_unsupported(vm_map_t task) noexcept
{
	Region reg;
	const kern_return_t kr = region_at(task, 0, reg);
	if (kr == KERN_SUCCESS || kr == KERN_INVALID_ADDRESS)
		return KERN_NOT_SUPPORTED;
	return map_null(kr);
}

// ---- moving bytes ---------------------------------------------------------

// Copies [raddr, raddr + size) of task to or from buf in the caller.  The
// range was checked; a short copy means it changed meanwhile.  -EFAULT on
// the caller's side comes back as fault_kr.
kern_return_t move(vm_map_t task, u64 raddr, void *buf, u64 size, bool write,
		   kern_return_t fault_kr) noexcept
{
	if (size == 0)
		return KERN_SUCCESS;
	// Without CONFIG_CROSS_MEMORY_ATTACH the caller's own memory goes
	// through the module's path too.
	static std::atomic<bool> no_process_vm{false};
	if (!is_self(task) || no_process_vm.load(std::memory_order_relaxed)) {
		mach_ioc_vm_rw a{};
		a.task = task;
		a.write = write ? 1 : 0;
		a.address = raddr;
		a.buffer = reinterpret_cast<uintptr_t>(buf);
		a.size = size;
		const int r = libmach::device_call(MACH_IOC_VM_RW, &a);
		if (r == -EFAULT)
			return fault_kr;
		return r >= 0 ? map_null(r) : libmach::port_error(r);
	}
	const pid_t self = getpid();
	u64 done = 0;
	while (done < size) {
		// process_vm_* move at most MAX_RW_COUNT (INT_MAX & PAGE_MASK) a call.
		const u64 chunk = size - done > (1ULL << 30) ? (1ULL << 30) : size - done;
		iovec local{static_cast<char *>(buf) + done, chunk};
		iovec remote{reinterpret_cast<void *>(raddr + done), chunk};
		const ssize_t n = write ? process_vm_writev(self, &local, 1, &remote, 1, 0)
					: process_vm_readv(self, &local, 1, &remote, 1, 0);
		if (n <= 0) {
			if (n < 0 && errno == ENOSYS) {
				no_process_vm.store(true, std::memory_order_relaxed);
				return move(task, raddr + done, static_cast<char *>(buf) + done,
					    size - done, write, fault_kr);
			}
			// Which side failed: the caller's buffer was not checked.
			return fault_kr;
		}
		done += static_cast<u64>(n);
	}
	return KERN_SUCCESS;
}

// Checks [addr, addr + size) of task for access need (VM_PROT_READ or
// VM_PROT_WRITE): KERN_INVALID_ADDRESS for a hole, KERN_PROTECTION_FAILURE
// for a region without it, as vm_map_copyin / vm_map_copy_overwrite.
kern_return_t check(vm_map_t task, u64 addr, u64 size, vm_prot_t need) noexcept
{
	if (size == 0)
		return KERN_SUCCESS;
	const u64 end = addr + size;
	if (end < addr)
		return KERN_INVALID_ADDRESS;
	return walk(task, trunc_pg(addr), round_pg(end), false, nullptr,
		    [&](const Region &reg, u64 lo, u64 hi) noexcept -> kern_return_t {
			    const vm_prot_t prot = static_cast<vm_prot_t>(reg.r.protection);
			    if ((prot & need) != need || (max_of(reg, lo, hi) & need) != need)
				    return KERN_PROTECTION_FAILURE;
			    return KERN_SUCCESS;
		    });
}

// Anonymous pages in the caller for size bytes (plus the in-page offset).
kern_return_t alloc_pages(u64 len, void **out) noexcept
{
	void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return KERN_RESOURCE_SHORTAGE;
	*out = p;
	return KERN_SUCCESS;
}

// A snapshot of [addr, addr + size) of task in new pages of the caller, at
// the same offset in its first page as addr (vm_map_copyout does so).
kern_return_t read_new(vm_map_t task, u64 addr, u64 size, u64 *data) noexcept
{
	kern_return_t kr = check(task, addr, size, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	const u64 off = addr & pmask();
	const u64 len = round_pg(off + size);
	void *p = nullptr;
	kr = alloc_pages(len, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = move(task, addr, static_cast<char *>(p) + off, size, false, KERN_INVALID_ADDRESS);
	if (kr != KERN_SUCCESS) {
		munmap(p, len);
		return kr;
	}
	*data = reinterpret_cast<uintptr_t>(p) + off;
	return KERN_SUCCESS;
}

bool overlaps(u64 a, u64 b, u64 size) noexcept
{
	return a < b + size && b < a + size;
}

// [src, src + size) of task onto [dst, dst + size) of the caller (to_self)
// or of task: checked first, then moved through a bounce buffer when the
// two ranges could overlap, since XNU copies from a snapshot.
kern_return_t copy_range(vm_map_t task, u64 src, u64 size, u64 dst, bool to_self) noexcept
{
	if (size == 0)
		return KERN_SUCCESS;
	kern_return_t kr = check(task, src, size, VM_PROT_READ);
	if (kr == KERN_SUCCESS)
		kr = check(to_self ? mach_task_self_ : task, dst, size, VM_PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	const bool same = is_self(task) || !to_self;
	if (to_self && !same) {	// another task's memory into the caller
		return move(task, src, reinterpret_cast<void *>(dst), size, false,
			    KERN_INVALID_ADDRESS);
	}
	if (is_self(task) && !overlaps(src, dst, size)) {
		return move(task, dst, reinterpret_cast<void *>(src), size, true,
			    KERN_INVALID_ADDRESS);
	}
	const u64 len = round_pg(size);
	void *tmp = nullptr;
	kr = alloc_pages(len, &tmp);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = move(task, src, tmp, size, false, KERN_INVALID_ADDRESS);
	if (kr == KERN_SUCCESS)
		kr = move(task, dst, tmp, size, true, KERN_INVALID_ADDRESS);
	munmap(tmp, len);
	return kr;
}

// ---- protect, inherit -------------------------------------------------------

kern_return_t protect(vm_map_t task, u64 address, u64 size, boolean_t set_maximum,
		      vm_prot_t new_prot) noexcept
{
	if (!is_self(task))
		return foreign_unsupported(task);
	if (size == 0)
		return KERN_SUCCESS;
	if (new_prot & ~(VM_PROT_ALL | VM_PROT_COPY))
		return KERN_INVALID_ARGUMENT;
	const u64 end = address + size;
	if (end < address)
		return KERN_INVALID_ARGUMENT;
	const u64 lo = trunc_pg(address), hi = round_pg(end);
	const bool copy = new_prot & VM_PROT_COPY;
	const vm_prot_t prot = new_prot & VM_PROT_ALL;

	// First pass: the whole range mapped and allowed, as vm_map_protect.
	kern_return_t kr = walk(task, lo, hi, false, nullptr,
				[&](const Region &reg, u64 a, u64 b) noexcept -> kern_return_t {
					vm_prot_t max = max_of(reg, a, b);
					if (copy) {
						// a private copy of shared pages in place: no
						if (reg.shared())
							return KERN_NOT_SUPPORTED;
						max |= VM_PROT_WRITE;
					}
					if ((prot & max) != prot)
						return KERN_PROTECTION_FAILURE;
					return KERN_SUCCESS;
				});
	if (kr != KERN_SUCCESS)
		return kr;
	if (!set_maximum) {
		if (mprotect(reinterpret_cast<void *>(lo), hi - lo, linux_prot(prot)) != 0)
			return errno == EACCES ? KERN_PROTECTION_FAILURE : KERN_INVALID_ADDRESS;
		return KERN_SUCCESS;
	}
	// set_maximum: the maximum becomes prot, the current protection what
	// of it remains (XNU: protection &= new max).
	return walk(task, lo, hi, false, nullptr,
		    [&](const Region &reg, u64 a, u64 b) noexcept -> kern_return_t {
			    const vm_prot_t cur = static_cast<vm_prot_t>(reg.r.protection) & prot;
			    if (mprotect(reinterpret_cast<void *>(a), b - a, linux_prot(cur)) != 0)
				    return errno == EACCES ? KERN_PROTECTION_FAILURE
							   : KERN_INVALID_ADDRESS;
			    if (!record_max(a, b, prot))
				    return KERN_RESOURCE_SHORTAGE;
			    return KERN_SUCCESS;
		    });
}

kern_return_t inherit(vm_map_t task, u64 address, u64 size, vm_inherit_t inh) noexcept
{
	if (!is_self(task))
		return foreign_unsupported(task);
	if (size == 0)
		return KERN_SUCCESS;
	if (inh > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	const u64 end = address + size;
	if (end < address)
		return KERN_INVALID_ARGUMENT;
	const u64 lo = trunc_pg(address), hi = round_pg(end);
	// vm_map_inherit skips holes.  Private memory cannot become shared
	// with a child after the fact on Linux: checked before anything changes.
	kern_return_t kr = walk(task, lo, hi, true, nullptr,
				[&](const Region &reg, u64, u64) noexcept -> kern_return_t {
					if (inh == VM_INHERIT_SHARE && !reg.shared())
						return KERN_NOT_SUPPORTED;
					return KERN_SUCCESS;
				});
	if (kr != KERN_SUCCESS)
		return kr;
	const int advice = inh == VM_INHERIT_NONE ? MADV_DONTFORK : MADV_DOFORK;
	return walk(task, lo, hi, true, nullptr,
		    [&](const Region &, u64 a, u64 b) noexcept -> kern_return_t {
			    if (madvise(reinterpret_cast<void *>(a), b - a, advice) != 0)
				    return errno == ENOSYS ? KERN_NOT_SUPPORTED : KERN_INVALID_ADDRESS;
			    return KERN_SUCCESS;
		    });
}

// ---- region ---------------------------------------------------------------

// Resident pages of [lo, hi) of the caller (mincore), 0 for another task.
unsigned int resident_pages(vm_map_t task, u64 lo, u64 hi) noexcept
{
	if (!is_self(task))
		return 0;
	unsigned char vec[256];
	const u64 pg = libmach::page_size();
	unsigned int n = 0;
	for (u64 a = lo; a < hi;) {
		const u64 pages = (hi - a) / pg < sizeof(vec) ? (hi - a) / pg : sizeof(vec);
		if (mincore(reinterpret_cast<void *>(a), pages * pg, vec) != 0)
			break;
		for (u64 i = 0; i < pages; i++)
			n += vec[i] & 1;
		a += pages * pg;
	}
	return n;
}

unsigned char share_mode(const Region &reg, unsigned int resident) noexcept
{
	if (reg.shared())
		return SM_SHARED;
	if (reg.file())
		return SM_COW;
	return resident == 0 ? SM_EMPTY : SM_PRIVATE;
}

struct RegionData {
	Region reg;
	vm_prot_t max;
	unsigned int resident;
	unsigned char mode;
};

kern_return_t region_data(vm_map_t task, u64 address, RegionData &d, bool pages) noexcept
{
	kern_return_t kr = region_at(task, address, d.reg);
	if (kr != KERN_SUCCESS)
		return map_null(kr);
	d.max = max_of(d.reg, d.reg.start(), d.reg.end());
	d.resident = pages ? resident_pages(task, d.reg.start(), d.reg.end()) : 0;
	d.mode = share_mode(d.reg, pages || !is_self(task) ? d.resident : 1);
	if (!is_self(task) && !d.reg.shared() && !d.reg.file())
		d.mode = SM_PRIVATE;	// no page counts for another task
	return KERN_SUCCESS;
}

kern_return_t region(vm_map_t task, u64 *address, u64 *size, vm_region_flavor_t flavor,
		     vm_region_info_t info, mach_msg_type_number_t *count,
		     mach_port_t *object_name, bool legacy_basic) noexcept
{
	if (address == nullptr || size == nullptr || info == nullptr || count == nullptr)
		return KERN_INVALID_ARGUMENT;
	if (flavor == VM_REGION_BASIC_INFO && !legacy_basic)
		flavor = VM_REGION_BASIC_INFO_64;
	mach_msg_type_number_t want;
	switch (flavor) {
	case VM_REGION_BASIC_INFO:
		want = VM_REGION_BASIC_INFO_COUNT;
		break;
	case VM_REGION_BASIC_INFO_64:
		want = VM_REGION_BASIC_INFO_COUNT_64;
		break;
	case VM_REGION_EXTENDED_INFO:
		want = kExtendedInfoLegacyCount;
		break;
	case VM_REGION_TOP_INFO:
		want = VM_REGION_TOP_INFO_COUNT;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (*count < want)
		return KERN_INVALID_ARGUMENT;
	RegionData d;
	const bool pages = flavor == VM_REGION_EXTENDED_INFO || flavor == VM_REGION_TOP_INFO;
	kern_return_t kr = region_data(task, *address, d, pages);
	if (kr != KERN_SUCCESS)
		return kr;
	const mach_ioc_vm_region &r = d.reg.r;
	switch (flavor) {
	case VM_REGION_BASIC_INFO_64: {
		vm_region_basic_info_64 b{};
		b.protection = static_cast<vm_prot_t>(r.protection) & d.max;
		b.max_protection = d.max;
		b.inheritance = r.inheritance;
		b.shared = d.reg.shared();
		b.offset = r.offset;
		b.behavior = static_cast<vm_behavior_t>(r.behavior);
		b.user_wired_count = static_cast<unsigned short>(r.wired);
		memcpy(info, &b, sizeof(b));
		break;
	}
	case VM_REGION_BASIC_INFO: {
		vm_region_basic_info b{};
		b.protection = static_cast<vm_prot_t>(r.protection) & d.max;
		b.max_protection = d.max;
		b.inheritance = r.inheritance;
		b.shared = d.reg.shared();
		b.offset = static_cast<uint32_t>(r.offset);
		b.behavior = static_cast<vm_behavior_t>(r.behavior);
		b.user_wired_count = static_cast<unsigned short>(r.wired);
		memcpy(info, &b, sizeof(b));
		break;
	}
	case VM_REGION_EXTENDED_INFO: {
		vm_region_extended_info e{};
		e.protection = static_cast<vm_prot_t>(r.protection) & d.max;
		e.pages_resident = d.resident;
		e.ref_count = 1;
		e.external_pager = d.reg.file() && !d.reg.shared() ? 1 : 0;
		e.share_mode = d.mode;
		want = *count >= VM_REGION_EXTENDED_INFO_COUNT ? VM_REGION_EXTENDED_INFO_COUNT
							       : kExtendedInfoLegacyCount;
		memcpy(info, &e, want * sizeof(natural_t));
		break;
	}
	case VM_REGION_TOP_INFO: {
		vm_region_top_info t{};
		t.obj_id = static_cast<unsigned int>(r.object_id);
		t.ref_count = 1;
		if (d.reg.shared())
			t.shared_pages_resident = d.resident;
		else
			t.private_pages_resident = d.resident;
		t.share_mode = d.mode;
		memcpy(info, &t, sizeof(t));
		break;
	}
	}
	*count = want;
	*address = d.reg.start();
	*size = r.size;
	if (object_name != nullptr)
		*object_name = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

// Linux has no submaps: every region is found at depth 0.
kern_return_t region_recurse(vm_map_t task, u64 *address, u64 *size, natural_t *depth,
			     vm_region_recurse_info_t info, mach_msg_type_number_t *count,
			     bool legacy) noexcept
{
	if (address == nullptr || size == nullptr || depth == nullptr || info == nullptr ||
	    count == nullptr)
		return KERN_INVALID_ARGUMENT;
	const mach_msg_type_number_t n = *count;
	const bool short_info = !legacy && n < VM_REGION_SUBMAP_INFO_V0_COUNT_64;
	if (legacy ? n < VM_REGION_SUBMAP_INFO_COUNT : n < VM_REGION_SUBMAP_SHORT_INFO_COUNT_64)
		return KERN_INVALID_ARGUMENT;
	RegionData d;
	kern_return_t kr = region_data(task, *address, d, !short_info);
	if (kr != KERN_SUCCESS)
		return kr;
	const mach_ioc_vm_region &r = d.reg.r;
	const vm_prot_t cur = static_cast<vm_prot_t>(r.protection) & d.max;
	const unsigned int obj = static_cast<unsigned int>(r.object_id);
	if (legacy) {
		vm_region_submap_info s{};
		s.protection = cur;
		s.max_protection = d.max;
		s.inheritance = r.inheritance;
		s.offset = static_cast<uint32_t>(r.offset);
		s.pages_resident = d.resident;
		s.ref_count = 1;
		s.external_pager = d.reg.file() && !d.reg.shared() ? 1 : 0;
		s.share_mode = d.mode;
		s.behavior = static_cast<vm_behavior_t>(r.behavior);
		s.object_id = obj;
		s.user_wired_count = static_cast<unsigned short>(r.wired);
		memcpy(info, &s, sizeof(s));
		*count = VM_REGION_SUBMAP_INFO_COUNT;
	} else if (short_info) {
		vm_region_submap_short_info_64 s{};
		s.protection = cur;
		s.max_protection = d.max;
		s.inheritance = r.inheritance;
		s.offset = r.offset;
		s.ref_count = 1;
		s.external_pager = d.reg.file() && !d.reg.shared() ? 1 : 0;
		s.share_mode = d.mode;
		s.behavior = static_cast<vm_behavior_t>(r.behavior);
		s.object_id = obj;
		s.user_wired_count = static_cast<unsigned short>(r.wired);
		memcpy(info, &s, sizeof(s));
		*count = VM_REGION_SUBMAP_SHORT_INFO_COUNT_64;
	} else {
		vm_region_submap_info_64 s{};
		s.protection = cur;
		s.max_protection = d.max;
		s.inheritance = r.inheritance;
		s.offset = r.offset;
		s.pages_resident = d.resident;
		s.ref_count = 1;
		s.external_pager = d.reg.file() && !d.reg.shared() ? 1 : 0;
		s.share_mode = d.mode;
		s.behavior = static_cast<vm_behavior_t>(r.behavior);
		s.object_id = obj;
		s.user_wired_count = static_cast<unsigned short>(r.wired);
		s.object_id_full = r.object_id;
		const mach_msg_type_number_t out =
			n >= VM_REGION_SUBMAP_INFO_V2_COUNT_64   ? VM_REGION_SUBMAP_INFO_V2_COUNT_64
			: n >= VM_REGION_SUBMAP_INFO_V1_COUNT_64 ? VM_REGION_SUBMAP_INFO_V1_COUNT_64
								 : VM_REGION_SUBMAP_INFO_V0_COUNT_64;
		memcpy(info, &s, out * sizeof(natural_t));
		*count = out;
	}
	*depth = 0;
	*address = d.reg.start();
	*size = r.size;
	return KERN_SUCCESS;
}

// ---- read, write, copy ------------------------------------------------------

kern_return_t read(vm_map_t task, u64 address, u64 size, vm_offset_t *data,
		   mach_msg_type_number_t *count) noexcept
{
	if (data == nullptr || count == nullptr)
		return KERN_INVALID_ARGUMENT;
	if (size > UINT32_MAX)		// the count is a mach_msg_type_number_t
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		if (!is_self(task)) {
			const kern_return_t kr = foreign_unsupported(task);
			if (kr != KERN_NOT_SUPPORTED)
				return kr;
		}
		*data = 0;
		*count = 0;
		return KERN_SUCCESS;
	}
	u64 p = 0;
	const kern_return_t kr = read_new(task, address, size, &p);
	if (kr == KERN_SUCCESS) {
		*data = static_cast<vm_offset_t>(p);
		*count = static_cast<mach_msg_type_number_t>(size);
	}
	return kr;
}

template <class Entry>
kern_return_t read_list(vm_map_t task, Entry *list, natural_t count) noexcept
{
	if (count > VM_MAP_ENTRY_MAX || (count > 0 && list == nullptr))
		return KERN_INVALID_ARGUMENT;
	if (!is_self(task)) {
		const kern_return_t kr = foreign_unsupported(task);
		if (kr != KERN_NOT_SUPPORTED)
			return kr;
	}
	// As XNU: each entry on its own; a failed one reads back as {0, 0};
	// the result is the last non-empty entry's.
	kern_return_t error = KERN_SUCCESS;
	for (natural_t i = 0; i < count; i++) {
		if (list[i].size != 0) {
			u64 p = 0;
			error = read_new(task, list[i].address, list[i].size, &p);
			if (error == KERN_SUCCESS) {
				list[i].address = p;
				continue;
			}
		}
		list[i].address = 0;
		list[i].size = 0;
	}
	return error;
}

kern_return_t read_overwrite(vm_map_t task, u64 address, u64 size, u64 data, u64 *outsize) noexcept
{
	if (outsize == nullptr)
		return KERN_INVALID_ARGUMENT;
	if (!is_self(task)) {
		const kern_return_t kr = foreign_unsupported(task);
		if (kr != KERN_NOT_SUPPORTED)
			return kr;
	}
	const kern_return_t kr = copy_range(task, address, size, data, true);
	if (kr == KERN_SUCCESS)
		*outsize = size;
	return kr;
}

kern_return_t write(vm_map_t task, u64 address, vm_offset_t data, mach_msg_type_number_t count) noexcept
{
	if (!is_self(task)) {
		const kern_return_t kr = foreign_unsupported(task);
		if (kr != KERN_NOT_SUPPORTED)
			return kr;
	}
	if (count == 0)
		return KERN_SUCCESS;
	// The data travels out of line from the caller on Darwin: unreadable
	// data fails the send.
	if (check(mach_task_self_, data, count, VM_PROT_READ) != KERN_SUCCESS)
		return MACH_SEND_INVALID_MEMORY;
	if (is_self(task))
		return copy_range(task, data, count, address, false);
	kern_return_t kr = check(task, address, count, VM_PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	return move(task, address, reinterpret_cast<void *>(data), count, true,
		    MACH_SEND_INVALID_MEMORY);
}

kern_return_t copy(vm_map_t task, u64 src, u64 size, u64 dst) noexcept
{
	if (!is_self(task)) {
		const kern_return_t kr = foreign_unsupported(task);
		if (kr != KERN_NOT_SUPPORTED)
			return kr;
	}
	return copy_range(task, src, size, dst, false);
}

// ---- remap ------------------------------------------------------------------

// Room for len bytes at an address aligned to mask + 1 (PROT_NONE), or at
// the fixed address start when !anywhere, never over a mapping unless
// overwrite.
kern_return_t reserve(u64 start, u64 len, u64 mask, bool anywhere, bool overwrite, u64 *out) noexcept
{
	const int base = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	if (!anywhere) {
		if (start == 0 || start + len < start)
			return KERN_INVALID_ADDRESS;
		void *p = mmap(reinterpret_cast<void *>(start), len, PROT_NONE,
			       base | (overwrite ? MAP_FIXED : MAP_FIXED_NOREPLACE), -1, 0);
		if (p == MAP_FAILED)
			return errno == EEXIST ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
		if (reinterpret_cast<uintptr_t>(p) != start) {
			munmap(p, len);
			return KERN_NO_SPACE;
		}
		*out = start;
		return KERN_SUCCESS;
	}
	const u64 align = (mask | pmask()) + 1;
	const u64 rlen = len + align - libmach::page_size();
	if (rlen < len || align == 0)
		return KERN_NO_SPACE;
	void *p = mmap(reinterpret_cast<void *>(start), rlen, PROT_NONE, base, -1, 0);
	if (p == MAP_FAILED)
		return KERN_NO_SPACE;
	const u64 r = reinterpret_cast<uintptr_t>(p);
	const u64 a = (r + align - 1) & ~(align - 1);
	if (a > r)
		munmap(p, a - r);
	if (r + rlen > a + len)
		munmap(reinterpret_cast<void *>(a + len), r + rlen - (a + len));
	*out = a;
	return KERN_SUCCESS;
}

kern_return_t remap(vm_map_t target, u64 *target_address, u64 size, u64 mask, int flags,
		    vm_map_t src_task, u64 src_address, boolean_t copy, vm_prot_t *cur,
		    vm_prot_t *max, vm_inherit_t inheritance) noexcept
{
	if (target_address == nullptr || cur == nullptr || max == nullptr)
		return KERN_INVALID_ARGUMENT;
	if (static_cast<unsigned>(flags) & ~static_cast<unsigned>(VM_FLAGS_USER_REMAP))
		return KERN_INVALID_ARGUMENT;
	if (!is_self(target))
		return foreign_unsupported(target);
	if (!is_self(src_task)) {
		const kern_return_t kr = foreign_unsupported(src_task);
		if (kr != KERN_NOT_SUPPORTED)
			return kr;
		if (!copy)	// sharing another process's pages: no exported path
			return KERN_NOT_SUPPORTED;
	}
	if (size == 0 || inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (flags & VM_FLAGS_RESILIENT_MEDIA && !copy)
		return KERN_INVALID_ARGUMENT;
	const bool anywhere = flags & VM_FLAGS_ANYWHERE;
	const bool overwrite = flags & VM_FLAGS_OVERWRITE;
	if (anywhere && overwrite)
		return KERN_INVALID_ARGUMENT;
	const u64 send = src_address + size;
	if (send < src_address)
		return KERN_INVALID_ARGUMENT;
	const u64 slo = trunc_pg(src_address), shi = round_pg(send);
	const u64 len = shi - slo;

	// The protections are the most restrictive over the source (XNU's
	// legacy remap); sharing needs one shared region.
	vm_prot_t c = VM_PROT_ALL, m = VM_PROT_ALL;
	int pieces = 0;
	bool all_shared = true;
	Region first;
	kern_return_t kr = walk(src_task, slo, shi, false, nullptr,
				[&](const Region &reg, u64 a, u64 b) noexcept -> kern_return_t {
					const vm_prot_t rm = max_of(reg, a, b);
					c &= static_cast<vm_prot_t>(reg.r.protection) & rm;
					m &= rm;
					all_shared = all_shared && reg.shared();
					if (pieces++ == 0)
						first = reg;
					return KERN_SUCCESS;
				});
	if (kr != KERN_SUCCESS)
		return kr;
	if (!copy && (!all_shared || pieces != 1))
		return KERN_NOT_SUPPORTED;	// Linux shares only MAP_SHARED pages, one VMA at a time
	if (copy && !(c & VM_PROT_READ))
		return KERN_PROTECTION_FAILURE;	// the copy is made by reading

	u64 dst = 0;
	kr = reserve(anywhere ? trunc_pg(*target_address) : trunc_pg(*target_address), len,
		     anywhere ? mask : 0, anywhere, overwrite, &dst);
	if (kr != KERN_SUCCESS)
		return kr;
	if (copy) {
		void *p = mmap(reinterpret_cast<void *>(dst), len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED) {
			munmap(reinterpret_cast<void *>(dst), len);
			return KERN_RESOURCE_SHORTAGE;
		}
		kr = move(src_task, slo, p, len, false, KERN_INVALID_ADDRESS);
		if (kr == KERN_SUCCESS && mprotect(p, len, linux_prot(c)) != 0)
			kr = KERN_RESOURCE_SHORTAGE;
		if (kr == KERN_SUCCESS && !record_max(dst, dst + len, m))
			kr = KERN_RESOURCE_SHORTAGE;
	} else {
		// mremap of a shared mapping with old_size 0 maps the same pages again.
		void *p = mremap(reinterpret_cast<void *>(slo), 0, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				 reinterpret_cast<void *>(dst));
		if (p == MAP_FAILED)
			kr = errno == ENOMEM ? KERN_NO_SPACE : KERN_INVALID_ADDRESS;
		else if (!record_max(dst, dst + len, max_of(first, slo, shi)))
			kr = KERN_RESOURCE_SHORTAGE;
	}
	if (kr == KERN_SUCCESS && inheritance == VM_INHERIT_NONE &&
	    madvise(reinterpret_cast<void *>(dst), len, MADV_DONTFORK) != 0)
		kr = errno == ENOSYS ? KERN_NOT_SUPPORTED : KERN_RESOURCE_SHORTAGE;
	if (kr != KERN_SUCCESS) {
		munmap(reinterpret_cast<void *>(dst), len);
		return kr;
	}
	*cur = c;
	*max = m;
	*target_address = dst + (flags & VM_FLAGS_RETURN_DATA_ADDR ? src_address & pmask() : 0);
	return KERN_SUCCESS;
}

// ---- behaviour, msync, purgeable, page query -------------------------------

kern_return_t advise(u64 a, u64 b, int advice) noexcept
{
	if (madvise(reinterpret_cast<void *>(a), b - a, advice) == 0)
		return KERN_SUCCESS;
	switch (errno) {
	case ENOSYS:
		return KERN_NOT_SUPPORTED;
	case ENOMEM:
		return KERN_INVALID_ADDRESS;
	case EINVAL:	// MADV_FREE of shared memory, MADV_COLD of locked pages: nothing to do
		return KERN_SUCCESS;
	default:
		return KERN_FAILURE;
	}
}

kern_return_t behavior_set(vm_map_t task, u64 address, u64 size, vm_behavior_t behavior) noexcept
{
	if (!is_self(task))
		return foreign_unsupported(task);
	if (size == 0)
		return KERN_SUCCESS;
	if (behavior < VM_BEHAVIOR_DEFAULT || behavior > VM_BEHAVIOR_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	const u64 end = address + size;
	if (end < address)
		return KERN_NO_SPACE;	// vm_map_behavior_set: start > end
	const u64 lo = trunc_pg(address), hi = round_pg(end);
	// Every behaviour needs the whole range mapped; REUSABLE and ZERO
	// writable memory too (vm_map_reusable_pages, vm_map_zero).
	const bool needs_write = behavior == VM_BEHAVIOR_REUSABLE || behavior == VM_BEHAVIOR_ZERO;
	kern_return_t kr = walk(task, lo, hi, false, nullptr,
				[&](const Region &reg, u64, u64) noexcept -> kern_return_t {
					if (needs_write && !(reg.r.protection & VM_PROT_WRITE))
						return KERN_PROTECTION_FAILURE;
					return KERN_SUCCESS;
				});
	if (kr != KERN_SUCCESS)
		return kr;
	return walk(task, lo, hi, false, nullptr,
		    [&](const Region &reg, u64 a, u64 b) noexcept -> kern_return_t {
			    switch (behavior) {
			    case VM_BEHAVIOR_DEFAULT:
			    case VM_BEHAVIOR_RSEQNTL:	// no reverse read-ahead on Linux
				    return advise(a, b, MADV_NORMAL);
			    case VM_BEHAVIOR_RANDOM:
				    return advise(a, b, MADV_RANDOM);
			    case VM_BEHAVIOR_SEQUENTIAL:
				    return advise(a, b, MADV_SEQUENTIAL);
			    case VM_BEHAVIOR_WILLNEED:
				    return advise(a, b, MADV_WILLNEED);
			    case VM_BEHAVIOR_DONTNEED:	// deactivate, contents kept
				    return advise(a, b, MADV_COLD);
			    case VM_BEHAVIOR_FREE:
			    case VM_BEHAVIOR_REUSABLE:	// may be discarded until written
				    return advise(a, b, MADV_FREE);
			    case VM_BEHAVIOR_PAGEOUT:
				    return advise(a, b, MADV_PAGEOUT);
			    case VM_BEHAVIOR_ZERO:
				    if (!reg.shared() && !reg.file() &&
					advise(a, b, MADV_DONTNEED) == KERN_SUCCESS)
					    return KERN_SUCCESS;
				    memset(reinterpret_cast<void *>(a), 0, b - a);
				    return KERN_SUCCESS;
			    default:	// ZERO_WIRED_PAGES, REUSE, CAN_REUSE: nothing to do
				    return KERN_SUCCESS;
			    }
		    });
}

kern_return_t msync_range(vm_map_t task, u64 address, u64 size, vm_sync_t flags) noexcept
{
	if (!is_self(task)) {
		const kern_return_t kr = foreign_unsupported(task);
		// vm_msync answers a null map with KERN_INVALID_TASK
		return kr == KERN_INVALID_ARGUMENT ? KERN_INVALID_TASK : kr;
	}
	if (size == 0)
		return KERN_SUCCESS;
	if ((flags & VM_SYNC_ASYNCHRONOUS) && (flags & VM_SYNC_SYNCHRONOUS))
		return KERN_INVALID_ARGUMENT;
	const u64 end = address + size;
	if (end < address)
		return KERN_INVALID_ADDRESS;
	const u64 lo = trunc_pg(address), hi = round_pg(end);
	bool had_hole = false;
	int ms = (flags & VM_SYNC_SYNCHRONOUS ? MS_SYNC : 0) |
		 (flags & VM_SYNC_ASYNCHRONOUS ? MS_ASYNC : 0) |
		 (flags & VM_SYNC_INVALIDATE ? MS_INVALIDATE : 0);
	if (ms == MS_INVALIDATE)
		ms |= MS_ASYNC;
	kern_return_t kr = walk(task, lo, hi, !(flags & VM_SYNC_KILLPAGES), &had_hole,
				[&](const Region &reg, u64 a, u64 b) noexcept -> kern_return_t {
					if (ms && msync(reinterpret_cast<void *>(a), b - a, ms) != 0)
						return errno == EBUSY ? KERN_FAILURE
								      : KERN_INVALID_ADDRESS;
					if ((flags & VM_SYNC_KILLPAGES) && !reg.shared() && !reg.file())
						return advise(a, b, MADV_DONTNEED);
					if (flags & VM_SYNC_DEACTIVATE)
						return advise(a, b, MADV_COLD);
					if (flags & VM_SYNC_REUSABLEPAGES)
						return advise(a, b, MADV_FREE);
					return KERN_SUCCESS;
				});
	if (kr == KERN_INVALID_ADDRESS && (flags & VM_SYNC_KILLPAGES)) {
		// a hole stops a kill (XNU would not kill another's pages there)
		had_hole = true;
		kr = KERN_SUCCESS;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	return had_hole && (flags & VM_SYNC_CONTIGUOUS) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

// Linux never discards memory it was told is volatile the way Darwin may:
// every writable region counts as purgeable memory that is never purged,
// so it always reads back as non-volatile and nothing becomes EMPTY.
kern_return_t purgable_control(vm_map_t task, u64 address, vm_purgable_t control, int *state) noexcept
{
	if (!is_self(task))
		return foreign_unsupported(task);
	if (control != VM_PURGABLE_SET_STATE && control != VM_PURGABLE_GET_STATE &&
	    control != VM_PURGABLE_PURGE_ALL)
		return KERN_INVALID_ARGUMENT;	// SET_STATE_FROM_KERNEL included
	if (control == VM_PURGABLE_PURGE_ALL)
		return KERN_SUCCESS;
	if (state == nullptr)
		return KERN_INVALID_ARGUMENT;
	if (control == VM_PURGABLE_SET_STATE &&
	    ((*state & ~VM_PURGABLE_ALL_MASKS) != 0 ||
	     (*state & VM_PURGABLE_STATE_MASK) > VM_PURGABLE_STATE_MAX))
		return KERN_INVALID_ARGUMENT;
	Region reg;
	kern_return_t kr = region_at(task, address, reg);
	if (kr == KERN_SUCCESS && reg.start() > address)
		kr = KERN_INVALID_ADDRESS;
	if (kr != KERN_SUCCESS)
		return map_null(kr);
	if (!(reg.r.protection & VM_PROT_WRITE))
		return KERN_PROTECTION_FAILURE;
	if (control == VM_PURGABLE_SET_STATE && (*state & VM_PURGABLE_STATE_MASK) == VM_PURGABLE_DENY)
		return KERN_INVALID_ARGUMENT;
	*state = VM_PURGABLE_NONVOLATILE;
	return KERN_SUCCESS;
}

kern_return_t page_info(vm_map_t task, u64 address, vm_page_info_basic_data_t *out) noexcept
{
	if (!is_self(task))
		return foreign_unsupported(task);
	const u64 page = trunc_pg(address);
	Region reg;
	kern_return_t kr = region_at(task, page, reg);
	if (kr == KERN_SUCCESS && reg.start() > page)
		kr = KERN_INVALID_ADDRESS;
	if (kr != KERN_SUCCESS)
		return map_null(kr);
	*out = {};
	unsigned char v = 0;
	if (mincore(reinterpret_cast<void *>(page), libmach::page_size(), &v) == 0 && (v & 1))
		out->disposition = VM_PAGE_QUERY_PAGE_PRESENT;
	out->ref_count = out->disposition ? 1 : 0;
	out->object_id = reg.r.object_id;
	out->offset = reg.r.offset + (page - reg.start());
	return KERN_SUCCESS;
}

} // namespace

namespace libmach {

void vm_forget_max(uint64_t start, uint64_t end) noexcept
{
	MaxLock l;
	(void)clip_locked(trunc_pg(start), round_pg(end));
}

} // namespace libmach

extern "C" {

kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
			      boolean_t set_maximum, vm_prot_t new_protection)
{
	return protect(target_task, address, size, set_maximum, new_protection);
}

kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection)
{
	return protect(target_task, address, size, set_maximum, new_protection);
}

kern_return_t mach_vm_inherit(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
			      vm_inherit_t new_inheritance)
{
	return inherit(target_task, address, size, new_inheritance);
}

kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 vm_inherit_t new_inheritance)
{
	return inherit(target_task, address, size, new_inheritance);
}

kern_return_t mach_vm_region(vm_map_read_t target_task, mach_vm_address_t *address,
			     mach_vm_size_t *size, vm_region_flavor_t flavor, vm_region_info_t info,
			     mach_msg_type_number_t *infoCnt, mach_port_t *object_name)
{
	return region(target_task, address, size, flavor, info, infoCnt, object_name, false);
}

kern_return_t vm_region_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
			   vm_region_flavor_t flavor, vm_region_info_t info,
			   mach_msg_type_number_t *infoCnt, mach_port_t *object_name)
{
	static_assert(sizeof(vm_address_t) == sizeof(u64));
	return region(target_task, reinterpret_cast<u64 *>(address), reinterpret_cast<u64 *>(size),
		      flavor, info, infoCnt, object_name, false);
}

kern_return_t vm_region(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
			vm_region_flavor_t flavor, vm_region_info_t info,
			mach_msg_type_number_t *infoCnt, mach_port_t *object_name)
{
	return region(target_task, reinterpret_cast<u64 *>(address), reinterpret_cast<u64 *>(size),
		      flavor, info, infoCnt, object_name, true);
}

kern_return_t mach_vm_region_recurse(vm_map_read_t target_task, mach_vm_address_t *address,
				     mach_vm_size_t *size, natural_t *nesting_depth,
				     vm_region_recurse_info_t info, mach_msg_type_number_t *infoCnt)
{
	return region_recurse(target_task, address, size, nesting_depth, info, infoCnt, false);
}

kern_return_t vm_region_recurse_64(vm_map_read_t target_task, vm_address_t *address,
				   vm_size_t *size, natural_t *nesting_depth,
				   vm_region_recurse_info_t info, mach_msg_type_number_t *infoCnt)
{
	return region_recurse(target_task, reinterpret_cast<u64 *>(address),
			      reinterpret_cast<u64 *>(size), nesting_depth, info, infoCnt, false);
}

kern_return_t vm_region_recurse(vm_map_read_t target_task, vm_address_t *address,
				vm_size_t *size, natural_t *nesting_depth,
				vm_region_recurse_info_t info, mach_msg_type_number_t *infoCnt)
{
	return region_recurse(target_task, reinterpret_cast<u64 *>(address),
			      reinterpret_cast<u64 *>(size), nesting_depth, info, infoCnt, true);
}

kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
			   mach_vm_size_t size, vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	return read(target_task, address, size, data, dataCnt);
}

kern_return_t vm_read(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	return read(target_task, address, size, data, dataCnt);
}

kern_return_t mach_vm_read_list(vm_map_read_t target_task, mach_vm_read_entry_t data_list,
				natural_t count)
{
	return read_list(target_task, data_list, count);
}

kern_return_t vm_read_list(vm_map_read_t target_task, vm_read_entry_t data_list, natural_t count)
{
	return read_list(target_task, data_list, count);
}

kern_return_t mach_vm_read_overwrite(vm_map_read_t target_task, mach_vm_address_t address,
				     mach_vm_size_t size, mach_vm_address_t data,
				     mach_vm_size_t *outsize)
{
	return read_overwrite(target_task, address, size, data, outsize);
}

kern_return_t vm_read_overwrite(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
				vm_address_t data, vm_size_t *outsize)
{
	return read_overwrite(target_task, address, size, data, reinterpret_cast<u64 *>(outsize));
}

kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
			    mach_msg_type_number_t dataCnt)
{
	return write(target_task, address, data, dataCnt);
}

kern_return_t vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
		       mach_msg_type_number_t dataCnt)
{
	return write(target_task, address, data, dataCnt);
}

kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
			   mach_vm_size_t size, mach_vm_address_t dest_address)
{
	return copy(target_task, source_address, size, dest_address);
}

kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
		      vm_address_t dest_address)
{
	return copy(target_task, source_address, size, dest_address);
}

kern_return_t mach_vm_remap(vm_map_t target_task, mach_vm_address_t *target_address,
			    mach_vm_size_t size, mach_vm_offset_t mask, int flags, vm_map_t src_task,
			    mach_vm_address_t src_address, boolean_t copy,
			    vm_prot_t *cur_protection, vm_prot_t *max_protection,
			    vm_inherit_t inheritance)
{
	return remap(target_task, target_address, size, mask, flags, src_task, src_address, copy,
		     cur_protection, max_protection, inheritance);
}

kern_return_t vm_remap(vm_map_t target_task, vm_address_t *target_address, vm_size_t size,
		       vm_address_t mask, int flags, vm_map_t src_task, vm_address_t src_address,
		       boolean_t copy, vm_prot_t *cur_protection, vm_prot_t *max_protection,
		       vm_inherit_t inheritance)
{
	return remap(target_task, reinterpret_cast<u64 *>(target_address), size, mask, flags,
		     src_task, src_address, copy, cur_protection, max_protection, inheritance);
}

kern_return_t mach_vm_behavior_set(vm_map_t target_task, mach_vm_address_t address,
				   mach_vm_size_t size, vm_behavior_t new_behavior)
{
	return behavior_set(target_task, address, size, new_behavior);
}

kern_return_t vm_behavior_set(vm_map_t target_task, vm_address_t address, vm_size_t size,
			      vm_behavior_t new_behavior)
{
	return behavior_set(target_task, address, size, new_behavior);
}

kern_return_t mach_vm_msync(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
			    vm_sync_t sync_flags)
{
	return msync_range(target_task, address, size, sync_flags);
}

kern_return_t vm_msync(vm_map_t target_task, vm_address_t address, vm_size_t size,
		       vm_sync_t sync_flags)
{
	return msync_range(target_task, address, size, sync_flags);
}

kern_return_t mach_vm_purgable_control(vm_map_t target_task, mach_vm_address_t address,
				       vm_purgable_t control, int *state)
{
	return purgable_control(target_task, address, control, state);
}

kern_return_t vm_purgable_control(vm_map_t target_task, vm_address_t address,
				  vm_purgable_t control, int *state)
{
	return purgable_control(target_task, address, control, state);
}

kern_return_t mach_vm_page_query(vm_map_read_t target_map, mach_vm_offset_t offset,
				 integer_t *disposition, integer_t *ref_count)
{
	if (disposition == nullptr || ref_count == nullptr)
		return KERN_INVALID_ARGUMENT;
	vm_page_info_basic_data_t info;
	const kern_return_t kr = page_info(target_map, offset, &info);
	*disposition = kr == KERN_SUCCESS ? info.disposition : 0;
	*ref_count = kr == KERN_SUCCESS ? info.ref_count : 0;
	return kr;
}

kern_return_t vm_map_page_query(vm_map_read_t target_map, vm_offset_t offset,
				integer_t *disposition, integer_t *ref_count)
{
	return mach_vm_page_query(target_map, offset, disposition, ref_count);
}

kern_return_t mach_vm_page_info(vm_map_read_t target_task, mach_vm_address_t address,
				vm_page_info_flavor_t flavor, vm_page_info_t info,
				mach_msg_type_number_t *infoCnt)
{
	if (flavor != VM_PAGE_INFO_BASIC || info == nullptr || infoCnt == nullptr ||
	    *infoCnt < VM_PAGE_INFO_BASIC_COUNT)
		return KERN_INVALID_ARGUMENT;
	vm_page_info_basic_data_t b;
	const kern_return_t kr = page_info(target_task, address, &b);
	if (kr != KERN_SUCCESS)
		return kr;
	memcpy(info, &b, sizeof(b));
	*infoCnt = VM_PAGE_INFO_BASIC_COUNT;
	return KERN_SUCCESS;
}

} // extern "C"
