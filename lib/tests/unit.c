/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * Host-side unit test of libmach's pure user-space parts: error strings,
 * vm_allocate & co, mach_msg_destroy on messages that hold no rights, the
 * descriptor bit-field layout against <linux/mach.h>, and the behaviour
 * without /dev/mach.  Built as C (static and shared) and as C++.
 */
#include <mach/mach.h>
#include <mach/linux.h>
#include <mach/mach_time.h>
#include <libkern/OSAtomic.h>
#include <bsm/libbsm.h>
#include <TargetConditionals.h>

/* <TargetConditionals.h>: Linux is none of Apple's systems, every macro is
 * defined, and the CPU macros follow the compiler's target. */
#if TARGET_OS_MAC || TARGET_OS_OSX || TARGET_OS_IPHONE || !TARGET_OS_LINUX || !TARGET_OS_UNIX
#error "TARGET_OS_* wrong for Linux"
#endif
#if defined(__x86_64__) && (!TARGET_CPU_X86_64 || TARGET_CPU_ARM64 || !TARGET_RT_64_BIT)
#error "TARGET_CPU_* wrong for x86_64"
#endif
#if !defined(TARGET_OS_SIMULATOR) || !defined(TARGET_RT_LITTLE_ENDIAN)
#error "TargetConditionals.h leaves a macro undefined"
#endif
#include <mach/port_descriptions.h>
#include <mach/host_special_ports.h>
#include <mach/thread_special_ports.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

static int failures;
static int checks;

#define CHECK(cond) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	checks++; \
	if (strcmp(g_, w_) != 0) { \
		failures++; \
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, g_, w_); \
	} \
} while (0)

static int mapped(const void *addr)
{
	unsigned char vec;
	void *page = (void *)((uintptr_t)addr & ~(uintptr_t)(vm_page_size - 1));
	return mincore(page, 1, &vec) == 0;
}

static void test_error_strings(void)
{
	CHECK_STR(mach_error_string(KERN_SUCCESS), "(os/kern) successful");
	CHECK_STR(mach_error_string(KERN_INVALID_NAME), "(os/kern) invalid name");
	CHECK_STR(mach_error_string(KERN_NOT_FOUND), "(os/kern) result not found");
	CHECK_STR(mach_error_string(KERN_NOT_FOUND + 1), "unknown error code");
	CHECK_STR(mach_error_string(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port");
	CHECK_STR(mach_error_string(MACH_SEND_TIMED_OUT), "(ipc/send) timed out");
	CHECK_STR(mach_error_string(MACH_SEND_NO_BUFFER), "(ipc/send) no msg buffer");
	CHECK_STR(mach_error_string(MACH_RCV_TIMED_OUT), "(ipc/rcv) timed out");
	CHECK_STR(mach_error_string(MACH_RCV_PORT_CHANGED), "(ipc/rcv) port changed");
	CHECK_STR(mach_error_string(MACH_RCV_TOO_LARGE), "(ipc/rcv) msg too large");
	/* Special bits are set aside. */
	CHECK_STR(mach_error_string(MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE), "(ipc/rcv) body error");
	CHECK_STR(mach_error_string(MACH_SEND_INVALID_MEMORY | MACH_MSG_VM_KERNEL), "(ipc/send) invalid memory");
	/* MIG codes are negative and mapped to (ipc/mig). */
	CHECK_STR(mach_error_string(MIG_BAD_ID), "(ipc/mig) bad request message ID");
	CHECK_STR(mach_error_string(MIG_SERVER_DIED), "(ipc/mig) server died");
	CHECK_STR(mach_error_string(unix_err(ENOENT)), "(os/unix) file or directory does not exist");
	CHECK_STR(mach_error_string(err_system(5)), "(?/?) unknown error system");
	CHECK_STR(mach_error_string(err_kern | err_sub(1)), "unknown error code");
	CHECK_STR(mach_error_string(err_kern | err_sub(9)), "(operating system/?) unknown subsystem error");
	CHECK_STR(mach_error_type(MACH_SEND_INVALID_DEST), "(ipc/send)");
	CHECK_STR(mach_error_type(MACH_RCV_INVALID_NAME), "(ipc/rcv)");
	CHECK_STR(mach_error_type(KERN_FAILURE), "(os/kern)");
	CHECK_STR(mach_error_type(err_system(9)), "(?/?)");
}

static void test_vm(void)
{
	vm_address_t a = 0, b;
	mach_vm_address_t m = 0;
	unsigned char *p;
	size_t i;
	int zero = 1;

	CHECK(vm_page_size == (vm_size_t)sysconf(_SC_PAGESIZE));
	CHECK(vm_page_mask == vm_page_size - 1);
	CHECK(((vm_size_t)1 << vm_page_shift) == vm_page_size);
	CHECK(round_page(1) == vm_page_size && trunc_page(vm_page_size + 1) == vm_page_size);

	CHECK(vm_allocate(mach_task_self(), &a, 10000, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(a != 0 && (a & vm_page_mask) == 0);
	p = (unsigned char *)a;
	for (i = 0; i < round_page(10000); i++)
		zero &= p[i] == 0;
	CHECK(zero);
	memset(p, 0xa5, round_page(10000));	/* the rounded range is ours */
	CHECK(vm_deallocate(mach_task_self(), a + 5, 10000) == KERN_SUCCESS);
	CHECK(!mapped(p) && !mapped(p + 8192));

	/* Size 0: success, address 0; deallocate of 0 bytes: success. */
	b = 1234;
	CHECK(vm_allocate(mach_task_self(), &b, 0, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && b == 0);
	CHECK(vm_deallocate(mach_task_self(), 0x1000, 0) == KERN_SUCCESS);

	/* Flags outside VM_FLAGS_USER_ALLOCATE; memory tags are fine. */
	CHECK(vm_allocate(mach_task_self(), &b, 4096, 0x100) == KERN_INVALID_ARGUMENT);
	CHECK(vm_allocate(mach_task_self(), &b, 4096,
			  VM_FLAGS_ANYWHERE | VM_MAKE_TAG(VM_MEMORY_MACH_MSG)) == KERN_SUCCESS);
	CHECK(vm_deallocate(mach_task_self(), b, 4096) == KERN_SUCCESS);

	/* Fixed: at a free address it lands there (address truncated to the page). */
	CHECK(vm_allocate(mach_task_self(), &a, 3 * vm_page_size, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(vm_deallocate(mach_task_self(), a, 3 * vm_page_size) == KERN_SUCCESS);
	b = a + 7;
	CHECK(vm_allocate(mach_task_self(), &b, vm_page_size, VM_FLAGS_FIXED) == KERN_SUCCESS);
	CHECK(b == a);
	/* ... on an occupied range: KERN_NO_SPACE, unless VM_FLAGS_OVERWRITE. */
	b = a;
	CHECK(vm_allocate(mach_task_self(), &b, vm_page_size, VM_FLAGS_FIXED) == KERN_NO_SPACE);
	*(volatile char *)a = 1;
	CHECK(vm_allocate(mach_task_self(), &b, vm_page_size,
			  VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE) == KERN_SUCCESS);
	CHECK(b == a && *(volatile char *)a == 0);
	CHECK(vm_deallocate(mach_task_self(), a, vm_page_size) == KERN_SUCCESS);
	/* Fixed at page 0 is outside the map. */
	b = 0;
	CHECK(vm_allocate(mach_task_self(), &b, vm_page_size, VM_FLAGS_FIXED) == KERN_INVALID_ADDRESS);

	/* Overflowing ranges. */
	b = 0;
	CHECK(vm_allocate(mach_task_self(), &b, (vm_size_t)-1, VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT);
	CHECK(vm_deallocate(mach_task_self(), (vm_address_t)-4096, 8192) == KERN_INVALID_ARGUMENT);

	/* Only the caller's own map. */
	CHECK(vm_allocate(mach_task_self() + 0x100, &b, 4096, VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT);

	CHECK(mach_vm_allocate(mach_task_self(), &m, 1, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(m != 0 && mapped((void *)(uintptr_t)m));
	CHECK(mach_vm_deallocate(mach_task_self(), m, 1) == KERN_SUCCESS);
	CHECK(!mapped((void *)(uintptr_t)m));
}

/* mach_msg_destroy with no rights: only memory is released. */
static void test_msg_destroy(void)
{
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_ool_descriptor_t ool_keep;
		mach_msg_ool_descriptor_t ool_free;
		mach_msg_ool_descriptor_t ool_volatile;
		mach_msg_ool_ports_descriptor_t ports;
		mach_msg_trailer_t trailer;
	} msg;
	vm_address_t keep = 0, release = 0, vol = 0, names = 0;
	mach_port_t *array;

	CHECK(vm_allocate(mach_task_self(), &keep, 100, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(vm_allocate(mach_task_self(), &release, 3 * vm_page_size, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(vm_allocate(mach_task_self(), &vol, 100, VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	CHECK(vm_allocate(mach_task_self(), &names, 3 * sizeof(mach_port_t), VM_FLAGS_ANYWHERE) == KERN_SUCCESS);
	array = (mach_port_t *)names;
	array[0] = MACH_PORT_NULL;
	array[1] = MACH_PORT_DEAD;
	array[2] = MACH_PORT_NULL;

	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_PORT_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
	msg.header.msgh_size = sizeof(msg) - sizeof(msg.trailer);
	msg.header.msgh_remote_port = MACH_PORT_NULL;	/* no right: nothing to release */
	msg.body.msgh_descriptor_count = 5;
	msg.port.name = MACH_PORT_DEAD;
	msg.port.disposition = MACH_MSG_TYPE_PORT_SEND;
	msg.port.type = MACH_MSG_PORT_DESCRIPTOR;
	msg.ool_keep.address = (void *)keep;
	msg.ool_keep.size = 100;
	msg.ool_keep.deallocate = FALSE;
	msg.ool_keep.copy = MACH_MSG_PHYSICAL_COPY;
	msg.ool_keep.type = MACH_MSG_OOL_DESCRIPTOR;
	msg.ool_free.address = (void *)(release + 10);
	msg.ool_free.size = 2 * (mach_msg_size_t)vm_page_size;
	msg.ool_free.deallocate = TRUE;
	msg.ool_free.copy = MACH_MSG_VIRTUAL_COPY;
	msg.ool_free.type = MACH_MSG_OOL_DESCRIPTOR;
	msg.ool_volatile.address = (void *)vol;
	msg.ool_volatile.size = 100;
	msg.ool_volatile.deallocate = TRUE;	/* volatile memory is never freed */
	msg.ool_volatile.type = MACH_MSG_OOL_VOLATILE_DESCRIPTOR;
	msg.ports.address = array;
	msg.ports.count = 3;
	msg.ports.deallocate = TRUE;
	msg.ports.disposition = MACH_MSG_TYPE_PORT_SEND;
	msg.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;

	mach_msg_destroy(&msg.header);

	CHECK(mapped((void *)keep));
	CHECK(!mapped((void *)release) && !mapped((void *)(release + 2 * vm_page_size)));
	CHECK(mapped((void *)vol));
	CHECK(!mapped((void *)names));
	vm_deallocate(mach_task_self(), keep, 100);
	vm_deallocate(mach_task_self(), vol, 100);

	/* A simple message with no rights: nothing happens. */
	memset(&msg, 0, sizeof(msg));
	msg.header.msgh_bits = MACH_MSGH_BITS(0, 0);
	msg.header.msgh_size = sizeof(mach_msg_header_t);
	mach_msg_destroy(&msg.header);
	CHECK(msg.header.msgh_bits == 0);
}

/* libmach's own descriptor structures against the uapi bit fields. */
static void test_descriptor_bits(void)
{
	mach_msg_ool_descriptor_t d;
	struct mach_msg_ool_descriptor u;
	mach_msg_ool_ports_descriptor_t pd;
	struct mach_msg_ool_ports_descriptor pu;
	mach_msg_max_trailer_t t;
	struct mach_msg_max_trailer ut;

	memset(&d, 0, sizeof(d));
	memset(&u, 0, sizeof(u));
	d.address = (void *)(uintptr_t)0x1122334455667788ull;
	d.deallocate = 1;
	d.copy = MACH_MSG_VIRTUAL_COPY;
	d.pad1 = 0x5a;
	d.type = MACH_MSG_OOL_DESCRIPTOR;
	d.size = 0xdeadbeef;
	u.address = 0x1122334455667788ull;
	u.deallocate = 1;
	u.copy = MACH_MSG_VIRTUAL_COPY;
	u.pad1 = 0x5a;
	u.type = MACH_MSG_OOL_DESCRIPTOR;
	u.size = 0xdeadbeef;
	CHECK(sizeof(d) == sizeof(u) && memcmp(&d, &u, sizeof(d)) == 0);

	memset(&pd, 0, sizeof(pd));
	memset(&pu, 0, sizeof(pu));
	pd.address = (void *)(uintptr_t)0x0102030405060708ull;
	pd.deallocate = 1;
	pd.copy = MACH_MSG_PHYSICAL_COPY;
	pd.disposition = MACH_MSG_TYPE_COPY_SEND;
	pd.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	pd.count = 77;
	pu.address = 0x0102030405060708ull;
	pu.deallocate = 1;
	pu.copy = MACH_MSG_PHYSICAL_COPY;
	pu.disposition = MACH_MSG_TYPE_COPY_SEND;
	pu.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	pu.count = 77;
	CHECK(sizeof(pd) == sizeof(pu) && memcmp(&pd, &pu, sizeof(pd)) == 0);

	/* The type byte of every descriptor is the top byte of word 2. */
	{
		mach_msg_descriptor_t any;
		uint32_t words[4];
		memset(&any, 0, sizeof(any));
		any.port.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
		memcpy(words, &any, sizeof(words));
		CHECK(words[2] == (uint32_t)MACH_MSG_GUARDED_PORT_DESCRIPTOR << 24);
		CHECK(any.type.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR);
		CHECK(any.out_of_line.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR);
		CHECK(any.guarded_port.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR);
	}

	memset(&t, 0, sizeof(t));
	memset(&ut, 0, sizeof(ut));
	t.msgh_trailer_size = MAX_TRAILER_SIZE;
	t.msgh_seqno = 9;
	t.msgh_sender.val[1] = 1;
	t.msgh_audit.val[MACH_AUDIT_PID] = 4242;
	t.msgh_context = 0xabcdef0123456789ull;
	t.msgh_labels.sender = 3;
	ut.msgh_trailer_size = MACH_MSG_TRAILER_MAX_SIZE;
	ut.msgh_seqno = 9;
	ut.msgh_sender.val[1] = 1;
	ut.msgh_audit.val[MACH_AUDIT_PID] = 4242;
	ut.msgh_context = 0xabcdef0123456789ull;
	ut.msgh_labels = 3;
	CHECK(sizeof(t) == sizeof(ut) && memcmp(&t, &ut, sizeof(t)) == 0);

	CHECK(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX)) == 60);
	CHECK(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER)) ==
	      MACH_MSG_TRAILER_FORMAT_0_SIZE);
}

static void test_mig_helpers(void)
{
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	CHECK(mig_strncpy(buf, "abc", sizeof(buf)) == 4 && strcmp(buf, "abc") == 0 && buf[4] == 'x');
	CHECK(mig_strncpy(buf, "abcdefghij", sizeof(buf)) == 8 && strcmp(buf, "abcdefg") == 0);
	memset(buf, 'x', sizeof(buf));
	CHECK(mig_strncpy_zerofill(buf, "ab", sizeof(buf)) == 3 && buf[7] == 0 && buf[3] == 0);
	memset(buf, 'x', sizeof(buf));
	CHECK(mig_strncpy_zerofill(buf, NULL, sizeof(buf)) == 0 && buf[0] == 0 && buf[7] == 0);
	CHECK(mig_strncpy_zerofill(NULL, "ab", 4) == 0);
	CHECK(mig_strncpy(buf, "ab", 0) == 0 && buf[0] == 0);
	{
		mach_msg_header_t in;
		mig_reply_error_t out;
		memset(&in, 0, sizeof(in));
		memset(&out, 0xff, sizeof(out));
		in.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
		in.msgh_remote_port = 0x1003;
		in.msgh_local_port = 0x2007;
		in.msgh_id = 4000;
		out.RetCode = 12345;
		mig_reply_setup(&in, &out.Head);
		/* Darwin's convention: the request's local port and disposition */
		CHECK(out.Head.msgh_bits == MACH_MSG_TYPE_PORT_SEND);
		CHECK(out.Head.msgh_remote_port == 0x2007 && out.Head.msgh_local_port == 0);
		CHECK(out.Head.msgh_size == sizeof(mig_reply_error_t) && out.Head.msgh_id == 4100);
		CHECK(memcmp(&out.NDR, &NDR_record, sizeof(NDR_record)) == 0);
		CHECK(out.RetCode == 12345);	/* left to the caller */
	}
	{
		/* Conversions for a peer of the other byte order swap in place. */
		mig_reply_error_t r;
		memset(&r, 0, sizeof(r));
		r.NDR = NDR_record;
		r.NDR.int_rep = NDR_INT_BIG_ENDIAN;
		r.RetCode = (kern_return_t)0xd1feffff;	/* MIG_BAD_ID, big-endian */
		__NDR_convert__mig_reply_error_t(&r);
		CHECK(r.RetCode == MIG_BAD_ID);
		r.NDR.int_rep = NDR_record.int_rep;
		__NDR_convert__mig_reply_error_t(&r);
		CHECK(r.RetCode == MIG_BAD_ID);
	}
	CHECK(__MigPackStructs == 1 && __MigTypeCheck == 1);
	CHECK(NDR_record.int_rep == NDR_INT_LITTLE_ENDIAN && NDR_record.char_rep == NDR_CHAR_ASCII);
	CHECK(KERNEL_SECURITY_TOKEN.val[0] == 0 && KERNEL_SECURITY_TOKEN.val[1] == 1);
	CHECK(KERNEL_AUDIT_TOKEN.val[MACH_AUDIT_PID] == 0);
}

/*
 * notify_server on hand-built notifications.  This program defines only
 * the no-senders and port-destroyed routines: the others are not served.
 */
static int notified_id;
static mach_port_t notified_port;
static natural_t notified_arg;
static kern_return_t notify_result;

kern_return_t do_mach_notify_no_senders(mach_port_t notify, mach_port_mscount_t mscount)
{
	notified_id = MACH_NOTIFY_NO_SENDERS;
	notified_port = notify;
	notified_arg = mscount;
	return notify_result;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	notified_id = MACH_NOTIFY_PORT_DESTROYED;
	notified_port = notify;
	notified_arg = rights;
	return notify_result;
}

static void test_notify_server(void)
{
	union {
		mach_no_senders_notification_t ns;
		mach_port_destroyed_notification_t pd;
		mach_dead_name_notification_t dn;
		mach_msg_header_t h;
	} in;
	mig_reply_error_t out;

	/* no-senders: dispatched, the handler's code in RetCode */
	memset(&in, 0, sizeof(in));
	in.ns.not_header.msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE);
	in.ns.not_header.msgh_size = 36;
	in.ns.not_header.msgh_local_port = 0x1207;
	in.ns.not_header.msgh_id = MACH_NOTIFY_NO_SENDERS;
	in.ns.NDR = NDR_record;
	in.ns.not_count = 3;
	memset(&out, 0xff, sizeof(out));
	notify_result = KERN_SUCCESS;
	CHECK(notify_server_routine(&in.h) != NULL);
	CHECK(notify_server(&in.h, &out.Head) == TRUE);
	CHECK(notified_id == MACH_NOTIFY_NO_SENDERS && notified_port == 0x1207 && notified_arg == 3);
	CHECK(out.RetCode == KERN_SUCCESS && out.Head.msgh_id == MACH_NOTIFY_NO_SENDERS + 100);
	CHECK(out.Head.msgh_remote_port == MACH_PORT_NULL && out.Head.msgh_local_port == 0);
	CHECK(out.Head.msgh_size == sizeof(mig_reply_error_t) && out.Head.msgh_bits == 0);
	notify_result = KERN_FAILURE;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == KERN_FAILURE);

	/* the wrong size or a complex one: MIG_BAD_ARGUMENTS, no call */
	notified_id = 0;
	in.ns.not_header.msgh_size = 40;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == MIG_BAD_ARGUMENTS);
	in.ns.not_header.msgh_size = 36;
	in.ns.not_header.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == MIG_BAD_ARGUMENTS);
	CHECK(notified_id == 0);

	/* port-destroyed: the receive right is passed on */
	memset(&in, 0, sizeof(in));
	in.pd.not_header.msgh_bits = MACH_MSGH_BITS_COMPLEX |
				     MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE);
	in.pd.not_header.msgh_size = 40;
	in.pd.not_header.msgh_local_port = 0x1307;
	in.pd.not_header.msgh_id = MACH_NOTIFY_PORT_DESTROYED;
	in.pd.not_body.msgh_descriptor_count = 1;
	in.pd.not_port.name = 0x1403;
	in.pd.not_port.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
	in.pd.not_port.type = MACH_MSG_PORT_DESCRIPTOR;
	notify_result = KERN_SUCCESS;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == KERN_SUCCESS);
	CHECK(notified_id == MACH_NOTIFY_PORT_DESTROYED && notified_port == 0x1307 &&
	      notified_arg == 0x1403);
	/* a descriptor that is no receive right: MIG_TYPE_ERROR */
	notified_id = 0;
	in.pd.not_port.disposition = MACH_MSG_TYPE_PORT_SEND;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == MIG_TYPE_ERROR);
	in.pd.not_port.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
	in.pd.not_body.msgh_descriptor_count = 2;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == MIG_BAD_ARGUMENTS);
	in.pd.not_body.msgh_descriptor_count = 1;
	in.pd.not_header.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	CHECK(notify_server(&in.h, &out.Head) == TRUE && out.RetCode == MIG_BAD_ARGUMENTS);
	CHECK(notified_id == 0);

	/* dead-name: this program does not serve it */
	memset(&in, 0, sizeof(in));
	in.dn.not_header.msgh_size = 36;
	in.dn.not_header.msgh_id = MACH_NOTIFY_DEAD_NAME;
	CHECK(notify_server_routine(&in.h) == NULL);
	CHECK(notify_server(&in.h, &out.Head) == FALSE && out.RetCode == MIG_BAD_ID);
	/* ids outside the subsystem, and its skipped ids */
	in.h.msgh_id = MACH_NOTIFY_FIRST;
	CHECK(notify_server(&in.h, &out.Head) == FALSE && out.RetCode == MIG_BAD_ID);
	in.h.msgh_id = MACH_NOTIFY_FIRST + 3;
	CHECK(notify_server(&in.h, &out.Head) == FALSE && out.RetCode == MIG_BAD_ID);
	in.h.msgh_id = MACH_NOTIFY_DEAD_NAME + 1;
	CHECK(notify_server(&in.h, &out.Head) == FALSE && out.RetCode == MIG_BAD_ID);
	CHECK(out.Head.msgh_id == MACH_NOTIFY_DEAD_NAME + 101);
	CHECK(memcmp(&out.NDR, &NDR_record, sizeof(NDR_record)) == 0);
	CHECK(notified_id == 0);
}

/* Without /dev/mach every call fails cleanly, with one message on stderr. */
static void test_no_device(void)
{
	char log[] = "/tmp/libmach-unit-XXXXXX";
	char text[512] = "";
	int saved, fd;
	ssize_t n;
	mach_port_name_t name = 77;
	mach_msg_header_t h;

	if (access("/dev/mach", F_OK) == 0) {
		printf("# /dev/mach present: no-device checks skipped\n");
		return;
	}

	CHECK(mach_task_self() == MACH_PORT_NULL);
	CHECK(bootstrap_port == MACH_PORT_NULL);

	fd = mkstemp(log);
	CHECK(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);

	CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) == KERN_FAILURE);
	CHECK(name == 77);	/* outputs untouched on failure */
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = 0x103;
	CHECK(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) ==
	      MACH_SEND_INVALID_DEST);
	CHECK(mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), 0x103, 0, MACH_PORT_NULL) ==
	      MACH_RCV_INVALID_NAME);
	CHECK(mach_reply_port() == MACH_PORT_NULL);
	CHECK(mig_get_reply_port() == MACH_PORT_NULL);
	CHECK(mach_thread_self() == MACH_PORT_NULL);
	CHECK(mach_linux_fd() == -1);
	CHECK(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &name) == KERN_FAILURE);
	CHECK(mach_host_self() == MACH_PORT_NULL);
	{
		integer_t info[HOST_BASIC_INFO_COUNT];
		mach_msg_type_number_t cnt = HOST_BASIC_INFO_COUNT;

		CHECK(host_info(mach_host_self(), HOST_BASIC_INFO, info, &cnt) == KERN_FAILURE);
		CHECK(cnt == HOST_BASIC_INFO_COUNT);
		CHECK(task_info(mach_task_self(), MACH_TASK_BASIC_INFO, info, &cnt) ==
		      KERN_FAILURE);
	}

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(log);
	CHECK(n > 0);
	CHECK_STR(text, "libmach: cannot open /dev/mach: No such file or directory "
			"(is mach.ko loaded?)\n");
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* <mach/mach_time.h>: nanoseconds of Linux's monotonic and boot-time clocks. */
static void test_mach_time(void)
{
	mach_timebase_info_data_t tb = { 0, 0 };
	struct sigaction sa;
	struct timespec res;
	uint64_t a, b, c, t, d;

	CHECK(mach_timebase_info(&tb) == KERN_SUCCESS);
	CHECK(tb.numer == 1 && tb.denom == 1);

	a = mach_absolute_time();
	t = clock_ns(CLOCK_MONOTONIC);
	b = mach_absolute_time();
	CHECK(a > 0 && a <= t && t <= b);

	a = mach_continuous_time();
	t = clock_ns(CLOCK_BOOTTIME);
	b = mach_continuous_time();
	CHECK(a <= t && t <= b);
	/* awake, both clocks run at the same rate (a time namespace may offset them) */
	a = mach_absolute_time();
	c = mach_continuous_time();
	usleep(10000);
	b = mach_absolute_time();
	t = mach_continuous_time();
	CHECK((int64_t)((t - c) - (b - a)) < 1000000 && (int64_t)((t - c) - (b - a)) > -1000000);

	a = mach_continuous_approximate_time();
	t = clock_ns(CLOCK_BOOTTIME);
	CHECK(a <= t);

	clock_getres(CLOCK_MONOTONIC_COARSE, &res);
	a = mach_approximate_time();
	b = mach_absolute_time();
	c = clock_ns(CLOCK_MONOTONIC_COARSE);
	CHECK(a <= b);
	CHECK(b - a <= 2 * (uint64_t)res.tv_nsec + 1000000);
	CHECK(a <= c);

	/* a deadline in the future is waited for, one in the past is not */
	d = mach_absolute_time() + 20 * 1000000ULL;
	CHECK(mach_wait_until(d) == KERN_SUCCESS);
	CHECK(mach_absolute_time() >= d);
	a = mach_absolute_time();
	CHECK(mach_wait_until(0) == KERN_SUCCESS);
	CHECK(mach_wait_until(a) == KERN_SUCCESS);
	CHECK(mach_absolute_time() - a < 1000000000ULL);

	/* a signal ends the wait with KERN_ABORTED, even under SA_RESTART */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(30000, 0);
	a = mach_absolute_time();
	CHECK(mach_wait_until(a + 5000000000ULL) == KERN_ABORTED);
	b = mach_absolute_time();
	CHECK(b - a >= 20000000ULL && b - a < 4000000000ULL);
	signal(SIGALRM, SIG_DFL);
}

static volatile int32_t atomic_counter;
static OSSpinLock atomic_lock = OS_SPINLOCK_INIT;
static int locked_counter;

static void *atomic_worker(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 100000; i++) {
		OSAtomicIncrement32Barrier(&atomic_counter);
		OSSpinLockLock(&atomic_lock);
		locked_counter++;
		OSSpinLockUnlock(&atomic_lock);
	}
	return NULL;
}

/* <libkern/OSAtomic.h>: return values, bit numbering, and atomicity. */
static void test_osatomic(void)
{
	volatile int32_t v = 5;
	volatile uint32_t m = 0xf0;
	volatile OSAtomic_int64_aligned64_t w = 1LL << 40;
	volatile uint8_t bits[2] = { 0, 0 };
	volatile long l = 7;
	volatile int iv = 3;
	int x = 1, y = 2;
	void *volatile p = &x;
	pthread_t t1, t2;

	CHECK(OSAtomicAdd32(3, &v) == 8 && v == 8);
	CHECK(OSAtomicAdd32Barrier(-10, &v) == -2);
	CHECK(OSAtomicIncrement32(&v) == -1);
	CHECK(OSAtomicDecrement32Barrier(&v) == -2);
	CHECK(OSAtomicAdd64(1, &w) == (1LL << 40) + 1);
	CHECK(OSAtomicIncrement64Barrier(&w) == (1LL << 40) + 2);
	CHECK(OSAtomicDecrement64(&w) == (1LL << 40) + 1);

	CHECK(OSAtomicOr32(0x0f, &m) == 0xff);
	CHECK(OSAtomicAnd32Orig(0x3c, &m) == 0xff && m == 0x3c);
	CHECK(OSAtomicXor32Barrier(0x3c, &m) == 0 && m == 0);
	CHECK(OSAtomicOr32OrigBarrier(1, &m) == 0 && m == 1);

	CHECK(OSAtomicCompareAndSwap32(-2, 40, &v) && v == 40);
	CHECK(!OSAtomicCompareAndSwap32Barrier(-2, 41, &v) && v == 40);
	CHECK(OSAtomicCompareAndSwapLong(7, 9, &l) && l == 9);
	CHECK(!OSAtomicCompareAndSwapIntBarrier(4, 5, &iv) && iv == 3);
	CHECK(OSAtomicCompareAndSwap64((1LL << 40) + 1, 2, &w) && w == 2);
	CHECK(OSAtomicCompareAndSwapPtr(&x, &y, &p) && p == &y);
	CHECK(!OSAtomicCompareAndSwapPtrBarrier(&x, &x, &p) && p == &y);

	/* bit n is 0x80 >> (n & 7) of byte n >> 3 */
	CHECK(!OSAtomicTestAndSet(0, bits) && bits[0] == 0x80);
	CHECK(!OSAtomicTestAndSetBarrier(9, bits) && bits[1] == 0x40);
	CHECK(OSAtomicTestAndSet(9, bits));
	CHECK(OSAtomicTestAndClear(0, bits) && bits[0] == 0);
	CHECK(!OSAtomicTestAndClearBarrier(0, bits));
	OSMemoryBarrier();

	CHECK(OSSpinLockTry(&atomic_lock));
	CHECK(!OSSpinLockTry(&atomic_lock));
	OSSpinLockUnlock(&atomic_lock);

	atomic_counter = 0;
	pthread_create(&t1, NULL, atomic_worker, NULL);
	pthread_create(&t2, NULL, atomic_worker, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(atomic_counter == 200000);
	CHECK(locked_counter == 200000);
}

/* <bsm/libbsm.h>: each accessor reads its word of the token. */
static void test_libbsm(void)
{
	audit_token_t tok;
	uid_t auid = 0, euid = 0, ruid = 0;
	gid_t egid = 0, rgid = 0;
	pid_t pid = 0;
	au_asid_t asid = 0;
	au_tid_t tid = { 1, 1 };
	int i;

	for (i = 0; i < 8; i++)
		tok.val[i] = 100 + i;
	CHECK(audit_token_to_auid(tok) == 100);
	CHECK(audit_token_to_euid(tok) == 101);
	CHECK(audit_token_to_egid(tok) == 102);
	CHECK(audit_token_to_ruid(tok) == 103);
	CHECK(audit_token_to_rgid(tok) == 104);
	CHECK(audit_token_to_pid(tok) == 105);
	CHECK(audit_token_to_asid(tok) == 106);
	CHECK(audit_token_to_pidversion(tok) == 107);
	audit_token_to_au32(tok, &auid, &euid, &egid, &ruid, &rgid, &pid, &asid, &tid);
	CHECK(auid == 100 && euid == 101 && egid == 102 && ruid == 103 && rgid == 104);
	CHECK(pid == 105 && asid == 106 && tid.port == 107 && tid.machine == 0);
	audit_token_to_au32(tok, NULL, NULL, NULL, NULL, NULL, &pid, NULL, NULL);
	CHECK(pid == 105);
}

/* Darwin's libsyscall/mach/port_descriptions.c, string for string. */
static void test_port_descriptions(void)
{
	int i;

	CHECK_STR(mach_host_special_port_description(HOST_PORT), "host (restricted)");
	CHECK_STR(mach_host_special_port_description(HOST_PRIV_PORT), "host private (restricted)");
	CHECK_STR(mach_host_special_port_description(HOST_IO_MAIN_PORT), "I/O main (restricted)");
	CHECK_STR(mach_host_special_port_description(HOST_SEATBELT_PORT), "seatbelt");
	CHECK_STR(mach_host_special_port_description(HOST_UNFREED_PORT), "fairplay");
	CHECK_STR(mach_host_special_port_description(HOST_XPC_EXCEPTION_PORT), "XPC exception");
	CHECK_STR(mach_host_special_port_description(HOST_DOUBLEAGENTD_PORT), "doubleagentd");
	CHECK(mach_host_special_port_description(HOST_SECURITY_PORT) == NULL);
	for (i = HOST_IO_MAIN_PORT + 1; i <= HOST_MAX_SPECIAL_KERNEL_PORT; i++)
		CHECK(mach_host_special_port_description(i) == NULL);
	CHECK(mach_host_special_port_description(-1) == NULL);
	CHECK(mach_host_special_port_description(HOST_MAX_SPECIAL_PORT + 1) == NULL);
	for (i = HOST_DYNAMIC_PAGER_PORT; i <= HOST_MAX_SPECIAL_PORT; i++)
		CHECK(mach_host_special_port_description(i) != NULL);

	CHECK_STR(mach_task_special_port_description(TASK_KERNEL_PORT), "kernel");
	CHECK_STR(mach_task_special_port_description(TASK_HOST_PORT), "host");
	CHECK_STR(mach_task_special_port_description(TASK_NAME_PORT), "name");
	CHECK_STR(mach_task_special_port_description(TASK_BOOTSTRAP_PORT), "bootstrap");
	CHECK_STR(mach_task_special_port_description(TASK_INSPECT_PORT), "inspect");
	CHECK_STR(mach_task_special_port_description(TASK_READ_PORT), "read");
	CHECK_STR(mach_task_special_port_description(TASK_ACCESS_PORT), "access");
	CHECK_STR(mach_task_special_port_description(TASK_DEBUG_CONTROL_PORT), "debug control");
	CHECK_STR(mach_task_special_port_description(TASK_RESOURCE_NOTIFY_PORT), "resource notify");
	CHECK(mach_task_special_port_description(0) == NULL);
	CHECK(mach_task_special_port_description(TASK_SEATBELT_PORT) == NULL);
	CHECK(mach_task_special_port_description(8) == NULL);
	CHECK(mach_task_special_port_description(TASK_MAX_SPECIAL_PORT + 1) == NULL);
	CHECK(mach_task_special_port_description(-5) == NULL);

	CHECK_STR(mach_thread_special_port_description(THREAD_KERNEL_PORT), "kernel");
	CHECK_STR(mach_thread_special_port_description(THREAD_INSPECT_PORT), "inspect");
	CHECK_STR(mach_thread_special_port_description(THREAD_READ_PORT), "read");
	CHECK(mach_thread_special_port_description(0) == NULL);
	CHECK(mach_thread_special_port_description(THREAD_MAX_SPECIAL_PORT + 1) == NULL);

	/* the inverses: the macro's name, its number */
	CHECK(mach_host_special_port_for_id("HOST_PORT") == HOST_PORT);
	CHECK(mach_host_special_port_for_id("HOST_IO_MAIN_PORT") == HOST_IO_MAIN_PORT);
	CHECK(mach_host_special_port_for_id("HOST_FILECOORDINATIOND_PORT") ==
	      HOST_FILECOORDINATIOND_PORT);
	/* Darwin's id list ends there */
	errno = 0;
	CHECK(mach_host_special_port_for_id("HOST_FAIRPLAYD_PORT") == -1 && errno == ENOENT);
	CHECK(mach_task_special_port_for_id("TASK_BOOTSTRAP_PORT") == TASK_BOOTSTRAP_PORT);
	CHECK(mach_task_special_port_for_id("TASK_RESOURCE_NOTIFY_PORT") ==
	      TASK_RESOURCE_NOTIFY_PORT);
	CHECK(mach_thread_special_port_for_id("THREAD_READ_PORT") == THREAD_READ_PORT);
	errno = 0;
	CHECK(mach_task_special_port_for_id("TASK_SEATBELT_PORT") == -1 && errno == ENOENT);
	errno = 0;
	CHECK(mach_task_special_port_for_id("bootstrap") == -1 && errno == ENOENT);
	errno = 0;
	CHECK(mach_thread_special_port_for_id("") == -1 && errno == ENOENT);
	errno = 0;
	CHECK(mach_host_special_port_for_id(NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mach_task_special_port_for_id(NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(mach_thread_special_port_for_id(NULL) == -1 && errno == EINVAL);
}

int main(void)
{
	test_error_strings();
	test_vm();
	test_msg_destroy();
	test_descriptor_bits();
	test_mig_helpers();
	test_notify_server();
	test_no_device();
	test_mach_time();
	test_osatomic();
	test_libbsm();
	test_port_descriptions();
	printf("%s: %d checks, %d failed\n", failures ? "FAIL" : "ok", checks, failures);
	return failures ? 1 : 0;
}
