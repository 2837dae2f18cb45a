/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <TargetConditionals.h>, the TARGET_* macros Darwin programs (and
 * the headers they include) test to choose code for a platform.
 *
 * As with <Availability.h>, Linux is none of Apple's platforms: every
 * TARGET_OS_* of an Apple system is 0, so that code guarded by
 * `#if TARGET_OS_OSX` or `#if TARGET_OS_IPHONE` (CoreFoundation, the
 * Security framework, ...) is not compiled, and TARGET_OS_LINUX is 1, as in
 * Apple's own header when it targets Linux.  The Mach API itself is there
 * whatever these say.  The CPU and runtime macros describe the compiler's
 * target.  Every macro is defined (to 0 or 1), so `#if` and `#ifdef` tests
 * both work as on Darwin.
 */
#ifndef _LIBMACH_TARGETCONDITIONALS_H_
#define _LIBMACH_TARGETCONDITIONALS_H_

/* ---- operating system ---------------------------------------------- */
#define TARGET_OS_MAC			0
#define TARGET_OS_OSX			0
#define TARGET_OS_IPHONE		0
#define TARGET_OS_IOS			0
#define TARGET_OS_TV			0
#define TARGET_OS_WATCH			0
#define TARGET_OS_BRIDGE		0
#define TARGET_OS_MACCATALYST		0
#define TARGET_OS_UIKITFORMAC		0
#define TARGET_OS_VISION		0
#define TARGET_OS_XR			0
#define TARGET_OS_DRIVERKIT		0
#define TARGET_OS_SIMULATOR		0
#define TARGET_OS_EMBEDDED		0
#define TARGET_OS_RTKIT			0
#define TARGET_IPHONE_SIMULATOR		0
#define TARGET_OS_NANO			0
#define TARGET_OS_WIN32			0
#define TARGET_OS_WINDOWS		0
#define TARGET_OS_UNIX			1	/* some Unix, not an Apple OS */
#define TARGET_OS_LINUX			1

/* ---- processor ------------------------------------------------------- */
#if defined(__x86_64__)
#define TARGET_CPU_X86_64		1
#else
#define TARGET_CPU_X86_64		0
#endif
#if defined(__i386__)
#define TARGET_CPU_X86			1
#else
#define TARGET_CPU_X86			0
#endif
#if defined(__aarch64__)
#define TARGET_CPU_ARM64		1
#else
#define TARGET_CPU_ARM64		0
#endif
#if defined(__arm__)
#define TARGET_CPU_ARM			1
#else
#define TARGET_CPU_ARM			0
#endif
#define TARGET_CPU_PPC			0
#define TARGET_CPU_PPC64		0
#define TARGET_CPU_68K			0
#define TARGET_CPU_ALPHA		0
#define TARGET_CPU_MIPS			0
#define TARGET_CPU_SPARC		0

/* ---- runtime ------------------------------------------------------- */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TARGET_RT_LITTLE_ENDIAN		0
#define TARGET_RT_BIG_ENDIAN		1
#else
#define TARGET_RT_LITTLE_ENDIAN		1
#define TARGET_RT_BIG_ENDIAN		0
#endif
#if defined(__LP64__)
#define TARGET_RT_64_BIT		1
#else
#define TARGET_RT_64_BIT		0
#endif
#define TARGET_RT_MAC_CFM		0
#define TARGET_RT_MAC_MACHO		0

#define TARGET_ABI_USES_IOS_VALUES	0

#endif /* _LIBMACH_TARGETCONDITIONALS_H_ */
