// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// libmach: <mach/mach.hpp>, an idiomatic C++20 layer over Darwin's C Mach
// API (header only; link libmach as usual).  Nothing here throws: failures
// come back as std::error_code values of mach::mach_category() or as
// mach::result<T>.
//
//   Errors    kern_errc / msg_errc / mig_errc are error-code enums; the
//             category's message() reads "KERN_INVALID_RIGHT: (os/kern)
//             invalid right".  A few codes compare equal to std::errc
//             conditions (timed_out, interrupted, invalid_argument, ...).
//   Rights    receive_right, send_right, send_once_right, port_set,
//             dead_name, reply_right: each owns one user reference of one
//             name in the task's space and gives it back exactly once
//             (mach_port_mod_refs / mach_port_deallocate); move-only.
//   Memory    vm_buffer owns vm_allocate'd memory (sent or received
//             out of line).
//   Messages  message_builder lays out header, body, descriptors and inline
//             data in caller storage (message_storage<N>); its bits,
//             descriptor count and size come from what was added, and port
//             dispositions from the C++ types (moves of owned rights, or
//             copy_send/make_send/make_send_once references).  Rights it
//             holds are released if the message is never delivered.
//             message_reader owns a received message: typed descriptor
//             access, take_*() to adopt rights and memory, trailer access;
//             whatever is left is destroyed (mach_msg_destroy) with it.
//   Calls     receive(), call() (send + receive the reply in one mach_msg)
//             and serve(), a typed mach_msg_server.
//
// The layers live in <mach/cxx/>, one header each, and may be included
// alone: error.hpp (Errors), vm_buffer.hpp (Memory), rights.hpp (Rights),
// message.hpp (message_builder), reader.hpp (message_reader), server.hpp
// (Calls).
#ifndef _MACH_MACH_HPP_
#define _MACH_MACH_HPP_

#include <mach/cxx/error.hpp>
#include <mach/cxx/vm_buffer.hpp>
#include <mach/cxx/rights.hpp>
#include <mach/cxx/message.hpp>
#include <mach/cxx/reader.hpp>
#include <mach/cxx/server.hpp>

#endif // _MACH_MACH_HPP_
