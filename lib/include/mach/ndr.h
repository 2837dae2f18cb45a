/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <mach/ndr.h>, the MIG network data representation record and
 * the conversions generated code may apply when a peer's record says its
 * integers have the other byte order.  Only integer conversion exists (as on
 * Darwin): character and float representations are assumed equal.
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

#include <stdint.h>

typedef struct {
	unsigned char	mig_vers;
	unsigned char	if_vers;
	unsigned char	reserved1;
	unsigned char	mig_encoding;
	unsigned char	int_rep;
	unsigned char	char_rep;
	unsigned char	float_rep;
	unsigned char	reserved2;
} NDR_record_t;

#define NDR_PROTOCOL_2_0	0
#define NDR_INT_BIG_ENDIAN	0
#define NDR_INT_LITTLE_ENDIAN	1
#define NDR_FLOAT_IEEE		0
#define NDR_FLOAT_VAX		1
#define NDR_FLOAT_CRAY		2
#define NDR_FLOAT_IBM		3
#define NDR_CHAR_ASCII		0
#define NDR_CHAR_EBCDIC		1

#ifdef __cplusplus
extern "C" {
#endif
/* This machine's record: little-endian integers, ASCII, IEEE floats. */
extern NDR_record_t NDR_record;
#ifdef __cplusplus
}
#endif

#ifndef __NDR_convert__
#define __NDR_convert__			1
#endif
#ifndef __NDR_convert__int_rep__
#define __NDR_convert__int_rep__	1
#endif
#ifndef __NDR_convert__char_rep__
#define __NDR_convert__char_rep__	0
#endif
#ifndef __NDR_convert__float_rep__
#define __NDR_convert__float_rep__	0
#endif

#if __NDR_convert__

#define __NDR_convert__NOOP		do { } while (0)
#define __NDR_convert__UNKNOWN(s)	__NDR_convert__NOOP
#define __NDR_convert__SINGLE(a, f, r)	do { r((a), (f)); } while (0)
#define __NDR_convert__ARRAY(a, f, c, r) \
	do { \
		int __i__, __C__ = (c); \
		for (__i__ = 0; __i__ < __C__; __i__++) \
			r(&(a)[__i__], f); \
	} while (0)
#define __NDR_convert__2DARRAY(a, f, s, c, r) \
	do { \
		int __i__, __C__ = (c), __S__ = (s); \
		for (__i__ = 0; __i__ < __C__; __i__++) \
			r(&(a)[__i__ * __S__], f, __S__); \
	} while (0)

#if __NDR_convert__int_rep__

/* Fields of packed messages may be unaligned: go through memcpy. */
#define __NDR_SWAP_IN_PLACE(p, utype, swap) \
	do { \
		utype __v__; \
		__builtin_memcpy(&__v__, (p), sizeof(__v__)); \
		__v__ = (utype)swap(__v__); \
		__builtin_memcpy((p), &__v__, sizeof(__v__)); \
	} while (0)

#define __NDR_convert__int_rep__int16_t__defined
#define __NDR_convert__int_rep__int16_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint16_t, __builtin_bswap16)
#define __NDR_convert__int_rep__uint16_t__defined
#define __NDR_convert__int_rep__uint16_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint16_t, __builtin_bswap16)
#define __NDR_convert__int_rep__int32_t__defined
#define __NDR_convert__int_rep__int32_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint32_t, __builtin_bswap32)
#define __NDR_convert__int_rep__uint32_t__defined
#define __NDR_convert__int_rep__uint32_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint32_t, __builtin_bswap32)
#define __NDR_convert__int_rep__int64_t__defined
#define __NDR_convert__int_rep__int64_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint64_t, __builtin_bswap64)
#define __NDR_convert__int_rep__uint64_t__defined
#define __NDR_convert__int_rep__uint64_t(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint64_t, __builtin_bswap64)
/* A float or double is swapped as the integer of its size. */
#define __NDR_convert__int_rep__float__defined
#define __NDR_convert__int_rep__float(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint32_t, __builtin_bswap32)
#define __NDR_convert__int_rep__double__defined
#define __NDR_convert__int_rep__double(v, f) \
	__NDR_SWAP_IN_PLACE(v, uint64_t, __builtin_bswap64)

#define __NDR_convert__int_rep__boolean_t__defined
#define __NDR_convert__int_rep__boolean_t(v, f) \
	__NDR_convert__int_rep__int32_t(v, f)
#define __NDR_convert__int_rep__kern_return_t__defined
#define __NDR_convert__int_rep__kern_return_t(v, f) \
	__NDR_convert__int_rep__int32_t(v, f)
#define __NDR_convert__int_rep__mach_port_name_t__defined
#define __NDR_convert__int_rep__mach_port_name_t(v, f) \
	__NDR_convert__int_rep__uint32_t(v, f)
#define __NDR_convert__int_rep__mach_msg_type_number_t__defined
#define __NDR_convert__int_rep__mach_msg_type_number_t(v, f) \
	__NDR_convert__int_rep__uint32_t(v, f)

#endif /* __NDR_convert__int_rep__ */

#if __NDR_convert__char_rep__
#define __NDR_convert__char_rep__char(v, f)		__NDR_convert__NOOP
#define __NDR_convert__char_rep__string(v, f, l)	__NDR_convert__NOOP
#endif

#if __NDR_convert__float_rep__
#define __NDR_convert__float_rep__float(v, f)		__NDR_convert__NOOP
#define __NDR_convert__float_rep__double(v, f)		__NDR_convert__NOOP
#endif

#endif /* __NDR_convert__ */

#endif /* _MACH_NDR_H_ */
