/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <libkern/OSAtomic.h>, Darwin's deprecated atomics, still used by
 * much Mach code.  Same names and signatures as Darwin's; here they are
 * inline functions on the compiler's __atomic builtins, so they cost no
 * call and libmach exports no symbol for them.
 *
 * The plain forms are atomic with no ordering guarantee for other memory
 * (relaxed), the *Barrier forms are sequentially consistent, as Darwin
 * documents.  The arithmetic and logic forms return the new value, the
 * *Orig forms the old one.  Bit n of OSAtomicTestAndSet/Clear is bit
 * (0x80 >> (n & 7)) of byte (n >> 3), Darwin's numbering.
 *
 * Not provided: OSAtomicEnqueue/Dequeue and the OSAtomicFifo calls (a
 * lock-free LIFO that needs a 16-byte compare-and-swap); code that uses
 * them does not compile rather than run on a different algorithm.
 */
#ifndef _OSATOMIC_H_
#define _OSATOMIC_H_

#include <stdbool.h>
#include <stdint.h>
#include <sched.h>

typedef int64_t __attribute__((__aligned__(sizeof(int64_t)))) OSAtomic_int64_aligned64_t;

#define OSATOMIC_R_	__ATOMIC_RELAXED
#define OSATOMIC_B_	__ATOMIC_SEQ_CST

#define OSATOMIC_ARITH_(name, type, ptype, op, order) \
static inline type name(type __theAmount, volatile ptype *__theValue) \
{ \
	return __atomic_##op##_fetch(__theValue, __theAmount, order); \
}

OSATOMIC_ARITH_(OSAtomicAdd32, int32_t, int32_t, add, OSATOMIC_R_)
OSATOMIC_ARITH_(OSAtomicAdd32Barrier, int32_t, int32_t, add, OSATOMIC_B_)
OSATOMIC_ARITH_(OSAtomicAdd64, int64_t, OSAtomic_int64_aligned64_t, add, OSATOMIC_R_)
OSATOMIC_ARITH_(OSAtomicAdd64Barrier, int64_t, OSAtomic_int64_aligned64_t, add, OSATOMIC_B_)

static inline int32_t OSAtomicIncrement32(volatile int32_t *__theValue)
{
	return OSAtomicAdd32(1, __theValue);
}

static inline int32_t OSAtomicIncrement32Barrier(volatile int32_t *__theValue)
{
	return OSAtomicAdd32Barrier(1, __theValue);
}

static inline int32_t OSAtomicDecrement32(volatile int32_t *__theValue)
{
	return OSAtomicAdd32(-1, __theValue);
}

static inline int32_t OSAtomicDecrement32Barrier(volatile int32_t *__theValue)
{
	return OSAtomicAdd32Barrier(-1, __theValue);
}

static inline int64_t OSAtomicIncrement64(volatile OSAtomic_int64_aligned64_t *__theValue)
{
	return OSAtomicAdd64(1, __theValue);
}

static inline int64_t OSAtomicIncrement64Barrier(volatile OSAtomic_int64_aligned64_t *__theValue)
{
	return OSAtomicAdd64Barrier(1, __theValue);
}

static inline int64_t OSAtomicDecrement64(volatile OSAtomic_int64_aligned64_t *__theValue)
{
	return OSAtomicAdd64(-1, __theValue);
}

static inline int64_t OSAtomicDecrement64Barrier(volatile OSAtomic_int64_aligned64_t *__theValue)
{
	return OSAtomicAdd64Barrier(-1, __theValue);
}

/* Or, And, Xor: int32_t result, uint32_t mask and value, as Darwin's. */
#define OSATOMIC_LOGIC_(name, op, order) \
static inline int32_t name(uint32_t __theMask, volatile uint32_t *__theValue) \
{ \
	return (int32_t)__atomic_##op##_fetch(__theValue, __theMask, order); \
} \
static inline int32_t name##Orig(uint32_t __theMask, volatile uint32_t *__theValue) \
{ \
	return (int32_t)__atomic_fetch_##op(__theValue, __theMask, order); \
}

OSATOMIC_LOGIC_(OSAtomicOr32, or, OSATOMIC_R_)
OSATOMIC_LOGIC_(OSAtomicAnd32, and, OSATOMIC_R_)
OSATOMIC_LOGIC_(OSAtomicXor32, xor, OSATOMIC_R_)

/* the barrier forms: Darwin spells them OSAtomicOr32Barrier, OSAtomicOr32OrigBarrier */
#define OSATOMIC_LOGIC_B_(name, op) \
static inline int32_t name##Barrier(uint32_t __theMask, volatile uint32_t *__theValue) \
{ \
	return (int32_t)__atomic_##op##_fetch(__theValue, __theMask, OSATOMIC_B_); \
} \
static inline int32_t name##OrigBarrier(uint32_t __theMask, volatile uint32_t *__theValue) \
{ \
	return (int32_t)__atomic_fetch_##op(__theValue, __theMask, OSATOMIC_B_); \
}

OSATOMIC_LOGIC_B_(OSAtomicOr32, or)
OSATOMIC_LOGIC_B_(OSAtomicAnd32, and)
OSATOMIC_LOGIC_B_(OSAtomicXor32, xor)

#define OSATOMIC_CAS_(name, type, ptype, order) \
static inline bool name(type __oldValue, type __newValue, ptype __theValue) \
{ \
	return __atomic_compare_exchange_n(__theValue, &__oldValue, __newValue, false, \
					   order, __ATOMIC_RELAXED); \
}

OSATOMIC_CAS_(OSAtomicCompareAndSwap32, int32_t, volatile int32_t *, OSATOMIC_R_)
OSATOMIC_CAS_(OSAtomicCompareAndSwap32Barrier, int32_t, volatile int32_t *, OSATOMIC_B_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapInt, int, volatile int *, OSATOMIC_R_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapIntBarrier, int, volatile int *, OSATOMIC_B_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapLong, long, volatile long *, OSATOMIC_R_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapLongBarrier, long, volatile long *, OSATOMIC_B_)
OSATOMIC_CAS_(OSAtomicCompareAndSwap64, int64_t, volatile OSAtomic_int64_aligned64_t *,
	      OSATOMIC_R_)
OSATOMIC_CAS_(OSAtomicCompareAndSwap64Barrier, int64_t, volatile OSAtomic_int64_aligned64_t *,
	      OSATOMIC_B_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapPtr, void *, void *volatile *, OSATOMIC_R_)
OSATOMIC_CAS_(OSAtomicCompareAndSwapPtrBarrier, void *, void *volatile *, OSATOMIC_B_)

#define OSATOMIC_BIT_(name, op, order) \
static inline bool name(uint32_t __n, volatile void *__theAddress) \
{ \
	volatile uint8_t *byte_ = (volatile uint8_t *)__theAddress + (__n >> 3); \
	uint8_t bit_ = (uint8_t)(0x80u >> (__n & 7)); \
	return (op) & bit_; \
}

OSATOMIC_BIT_(OSAtomicTestAndSet, __atomic_fetch_or(byte_, bit_, OSATOMIC_R_), OSATOMIC_R_)
OSATOMIC_BIT_(OSAtomicTestAndSetBarrier, __atomic_fetch_or(byte_, bit_, OSATOMIC_B_),
	      OSATOMIC_B_)
OSATOMIC_BIT_(OSAtomicTestAndClear, __atomic_fetch_and(byte_, (uint8_t)~bit_, OSATOMIC_R_),
	      OSATOMIC_R_)
OSATOMIC_BIT_(OSAtomicTestAndClearBarrier,
	      __atomic_fetch_and(byte_, (uint8_t)~bit_, OSATOMIC_B_), OSATOMIC_B_)

static inline void OSMemoryBarrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* OSSpinLock: a test-and-set lock that yields while it waits. */
typedef int32_t OSSpinLock;
#define OS_SPINLOCK_INIT	0

static inline bool OSSpinLockTry(volatile OSSpinLock *__lock)
{
	int32_t unlocked = 0;

	return __atomic_compare_exchange_n(__lock, &unlocked, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void OSSpinLockLock(volatile OSSpinLock *__lock)
{
	while (!OSSpinLockTry(__lock))
		sched_yield();
}

static inline void OSSpinLockUnlock(volatile OSSpinLock *__lock)
{
	__atomic_store_n(__lock, 0, __ATOMIC_RELEASE);
}

#undef OSATOMIC_ARITH_
#undef OSATOMIC_LOGIC_
#undef OSATOMIC_LOGIC_B_
#undef OSATOMIC_CAS_
#undef OSATOMIC_BIT_

#endif /* _OSATOMIC_H_ */
