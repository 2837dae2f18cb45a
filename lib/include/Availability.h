/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <Availability.h>, the version constants and availability
 * annotations Darwin headers and MIG-generated code put on declarations.
 *
 * Linux is none of Apple's platforms, so every annotation expands to nothing:
 * an API libmach declares is there, whatever version it is marked with.
 * No deployment target is defined either (__MAC_OS_X_VERSION_MIN_REQUIRED,
 * __MAC_OS_X_VERSION_MAX_ALLOWED, __IPHONE_OS_VERSION_MIN_REQUIRED stay
 * undefined, as when building for a platform other than the one tested):
 * code that picks an implementation by version must not be told it runs on
 * a particular macOS.
 */
#ifndef _LIBMACH_AVAILABILITY_H_
#define _LIBMACH_AVAILABILITY_H_

/* ---- version constants (major * 10000 + minor * 100 + patch) ---------- */

#define __MAC_10_0       1000
#define __MAC_10_1       1010
#define __MAC_10_2       1020
#define __MAC_10_3       1030
#define __MAC_10_4       1040
#define __MAC_10_5       1050
#define __MAC_10_6       1060
#define __MAC_10_7       1070
#define __MAC_10_8       1080
#define __MAC_10_9       1090
#define __MAC_10_10      101000
#define __MAC_10_10_2    101002
#define __MAC_10_10_3    101003
#define __MAC_10_11      101100
#define __MAC_10_11_2    101102
#define __MAC_10_11_3    101103
#define __MAC_10_11_4    101104
#define __MAC_10_12      101200
#define __MAC_10_12_1    101201
#define __MAC_10_12_2    101202
#define __MAC_10_12_4    101204
#define __MAC_10_13      101300
#define __MAC_10_13_1    101301
#define __MAC_10_13_2    101302
#define __MAC_10_13_4    101304
#define __MAC_10_14      101400
#define __MAC_10_14_1    101401
#define __MAC_10_14_4    101404
#define __MAC_10_14_5    101405
#define __MAC_10_14_6    101406
#define __MAC_10_15      101500
#define __MAC_10_15_1    101501
#define __MAC_10_15_4    101504
#define __MAC_10_16      101600
#define __MAC_11_0       110000
#define __MAC_11_1       110100
#define __MAC_11_3       110300
#define __MAC_11_4       110400
#define __MAC_11_5       110500
#define __MAC_12_0       120000
#define __MAC_12_1       120100
#define __MAC_12_3       120300
#define __MAC_13_0       130000
#define __MAC_13_1       130100
#define __MAC_13_3       130300
#define __MAC_14_0       140000
#define __MAC_14_2       140200
#define __MAC_14_4       140400
#define __MAC_15_0       150000
#define __MAC_15_2       150200

#define __IPHONE_2_0      20000
#define __IPHONE_2_1      20100
#define __IPHONE_2_2      20200
#define __IPHONE_3_0      30000
#define __IPHONE_3_1      30100
#define __IPHONE_3_2      30200
#define __IPHONE_4_0      40000
#define __IPHONE_4_1      40100
#define __IPHONE_4_2      40200
#define __IPHONE_4_3      40300
#define __IPHONE_5_0      50000
#define __IPHONE_5_1      50100
#define __IPHONE_6_0      60000
#define __IPHONE_6_1      60100
#define __IPHONE_7_0      70000
#define __IPHONE_7_1      70100
#define __IPHONE_8_0      80000
#define __IPHONE_8_1      80100
#define __IPHONE_8_2      80200
#define __IPHONE_8_3      80300
#define __IPHONE_8_4      80400
#define __IPHONE_9_0      90000
#define __IPHONE_9_1      90100
#define __IPHONE_9_2      90200
#define __IPHONE_9_3      90300
#define __IPHONE_10_0     100000
#define __IPHONE_10_1     100100
#define __IPHONE_10_2     100200
#define __IPHONE_10_3     100300
#define __IPHONE_11_0     110000
#define __IPHONE_11_1     110100
#define __IPHONE_11_2     110200
#define __IPHONE_11_3     110300
#define __IPHONE_11_4     110400
#define __IPHONE_12_0     120000
#define __IPHONE_12_1     120100
#define __IPHONE_12_2     120200
#define __IPHONE_12_3     120300
#define __IPHONE_12_4     120400
#define __IPHONE_13_0     130000
#define __IPHONE_13_1     130100
#define __IPHONE_13_2     130200
#define __IPHONE_13_3     130300
#define __IPHONE_13_4     130400
#define __IPHONE_13_5     130500
#define __IPHONE_13_6     130600
#define __IPHONE_13_7     130700
#define __IPHONE_14_0     140000
#define __IPHONE_14_1     140100
#define __IPHONE_14_2     140200
#define __IPHONE_14_3     140300
#define __IPHONE_14_5     140500
#define __IPHONE_15_0     150000
#define __IPHONE_15_1     150100
#define __IPHONE_15_2     150200
#define __IPHONE_15_4     150400
#define __IPHONE_16_0     160000
#define __IPHONE_16_1     160100
#define __IPHONE_16_4     160400
#define __IPHONE_17_0     170000
#define __IPHONE_17_2     170200
#define __IPHONE_17_4     170400
#define __IPHONE_18_0     180000
#define __IPHONE_18_2     180200

#define __TVOS_9_0      90000
#define __TVOS_9_1      90100
#define __TVOS_9_2      90200
#define __TVOS_10_0     100000
#define __TVOS_10_1     100100
#define __TVOS_11_0     110000
#define __TVOS_12_0     120000
#define __TVOS_13_0     130000
#define __TVOS_14_0     140000
#define __TVOS_15_0     150000
#define __TVOS_16_0     160000
#define __TVOS_17_0     170000
#define __TVOS_18_0     180000

#define __WATCHOS_1_0    10000
#define __WATCHOS_2_0    20000
#define __WATCHOS_2_1    20100
#define __WATCHOS_3_0    30000
#define __WATCHOS_4_0    40000
#define __WATCHOS_5_0    50000
#define __WATCHOS_6_0    60000
#define __WATCHOS_7_0    70000
#define __WATCHOS_8_0    80000
#define __WATCHOS_9_0    90000
#define __WATCHOS_10_0   100000
#define __WATCHOS_11_0   110000

/* ---- Darwin's per-platform annotations -------------------------------- */

#define __OSX_AVAILABLE(v)
#define __IOS_AVAILABLE(v)
#define __TVOS_AVAILABLE(v)
#define __WATCHOS_AVAILABLE(v)
#define __MACCATALYST_AVAILABLE(v)
#define __DRIVERKIT_AVAILABLE(v)
#define __OSX_DEPRECATED(start, dep, msg)
#define __IOS_DEPRECATED(start, dep, msg)
#define __TVOS_DEPRECATED(start, dep, msg)
#define __WATCHOS_DEPRECATED(start, dep, msg)
#define __OSX_UNAVAILABLE
#define __IOS_UNAVAILABLE
#define __TVOS_UNAVAILABLE
#define __WATCHOS_UNAVAILABLE
#define __MACCATALYST_UNAVAILABLE
#define __OSX_PROHIBITED
#define __IOS_PROHIBITED
#define __TVOS_PROHIBITED
#define __WATCHOS_PROHIBITED
#define __MACCATALYST_PROHIBITED
#define __OSX_EXTENSION_UNAVAILABLE(msg)
#define __IOS_EXTENSION_UNAVAILABLE(msg)
#define __OS_EXTENSION_UNAVAILABLE(msg)
#define __OS_AVAILABILITY(target, availability)
#define __OS_AVAILABILITY_MSG(target, availability, msg)

/* The older pair-of-versions form (macOS, iOS). */
#define __OSX_AVAILABLE_STARTING(mac, iphone)
#define __OSX_AVAILABLE_BUT_DEPRECATED(mac_start, mac_dep, iphone_start, iphone_dep)
#define __OSX_AVAILABLE_BUT_DEPRECATED_MSG(mac_start, mac_dep, iphone_start, iphone_dep, msg)

/* ---- the API_* forms' implementation (<os/availability.h>) ------------ */

#define __API_AVAILABLE(...)
#define __API_AVAILABLE_BEGIN(...)
#define __API_AVAILABLE_END
#define __API_DEPRECATED(...)
#define __API_DEPRECATED_WITH_REPLACEMENT(...)
#define __API_DEPRECATED_BEGIN(...)
#define __API_DEPRECATED_END
#define __API_DEPRECATED_WITH_REPLACEMENT_BEGIN(...)
#define __API_DEPRECATED_WITH_REPLACEMENT_END
#define __API_UNAVAILABLE(...)
#define __API_UNAVAILABLE_BEGIN(...)
#define __API_UNAVAILABLE_END
#define __API_OBSOLETED(...)
#define __SPI_AVAILABLE(...)
#define __SPI_AVAILABLE_BEGIN(...)
#define __SPI_AVAILABLE_END
#define __SPI_DEPRECATED(...)
#define __SPI_DEPRECATED_WITH_REPLACEMENT(...)
#define __SWIFT_UNAVAILABLE
#define __SWIFT_UNAVAILABLE_MSG(msg)

#endif /* _LIBMACH_AVAILABILITY_H_ */
