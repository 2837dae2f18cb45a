// SPDX-License-Identifier: GPL-2.0
/*
 * Complex messages: port descriptors, out-of-line memory and out-of-line
 * port arrays, with their failure paths (issue 4).
 *
 * Covers mach-semantics.md §1.3 (every descriptor type with every
 * disposition and copy option; NULL and DEAD names passed through; received
 * descriptor fields; snapshot and deallocate semantics; size 0; every send
 * error: INVALID_MEMORY, INVALID_TYPE, MSG_TOO_SMALL, INVALID_RIGHT,
 * MACH_MSG_VM_KERNEL; body errors destroy the partially copied-in message
 * with its header rights; circularity), §1.2 (rights after copyin and at
 * copyout; MOVE_RECEIVE resets mscount/seqno/context, keeps the queue,
 * leaves sets, wakes blocked receivers with MACH_RCV_PORT_CHANGED; dead
 * names in the body), §1.4 (pseudo-receive of a complex message on
 * MACH_SEND_TIMED_OUT and NO_BUFFER: rights and memory reinstalled, can be
 * resent unchanged), §1.5 (MACH_RCV_TOO_LARGE discard releases everything;
 * MACH_RCV_INVALID_DATA keeps the rights in the space), §1.9 (every
 * destroyed send-once right yields MACH_NOTIFY_SEND_ONCE), §1.10, and the
 * module's caps (max_ool_size -> MACH_MSG_VM_KERNEL, max_port_bytes ->
 * MACH_SEND_NO_BUFFER), and libmach's mach_msg_destroy.
 *
 * Leak checks use the module's live-object counters in
 * /sys/kernel/debug/mach/stats; without them those checks are skipped.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"

static const mach_msg_type_name_t all_disps[] = {
	MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
};

/* §1.2: the type a disposition becomes after copyin. */
static mach_msg_type_name_t after_copyin(mach_msg_type_name_t d)
{
	switch (d) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return MACH_MSG_TYPE_PORT_SEND;
	}
}

static int is_send_once(mach_msg_type_name_t d)
{
	return after_copyin(d) == MACH_MSG_TYPE_PORT_SEND_ONCE;
}

/*
 * Run every libmach path used below once, so that a later comparison of the
 * counters sees no lazily created object; then read the baseline.  Returns
 * 0 when the counters are available.
 */
static int warm_up(struct mstats *base)
{
	struct cmsg m;
	struct big_rcv b;
	mach_port_t p = new_port_send(), so;
	mach_port_status_t st;
	mach_port_context_t ctx;

	if (!MACH_PORT_VALID(p))
		return -1;
	(void)ptype(p);
	(void)urefs(p, MACH_PORT_RIGHT_SEND);
	(void)port_status(p, &st);
	(void)srights(p);
	(void)mach_port_get_context(TASK, p, &ctx);
	so = make_send_once(p);
	cm_init(&m, p, MACH_MSG_TYPE_COPY_SEND, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1);
	cm_port(&m, p, MACH_MSG_TYPE_MAKE_SEND);
	if (cm_send(&m, 0, 0) == MACH_MSG_SUCCESS && big_recv(p, &b, 0, 1000) == MACH_MSG_SUCCESS)
		mach_msg_destroy(&b.hdr);
	drop_name(p);
	return read_stats(base);
}

/* ------------------------------------------------------------------------
 * Port descriptors (§1.3 PORT, §1.2 dispositions and copyout name rules)
 */
TEST(port_descriptor_dispositions)
{
	unsigned int i;

	for (i = 0; i < sizeof(all_disps) / sizeof(all_disps[0]); i++) {
		mach_msg_type_name_t disp = all_disps[i];
		mach_port_t x = new_port_send(), c = new_port(), name = x;
		mach_msg_port_descriptor_t *pd;
		struct big_rcv b;
		struct cmsg m;

		ASSERT_TRUE(MACH_PORT_VALID(x));
		ASSERT_TRUE(MACH_PORT_VALID(c));
		if (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
			name = make_send_once(x);
		ASSERT_TRUE(MACH_PORT_VALID(name));
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 100 + disp);
		cm_port(&m, name, disp);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0)) TH_LOG("disposition %u", disp);

		/* the sender's side after copyin (§1.2) */
		switch (disp) {
		case MACH_MSG_TYPE_MOVE_RECEIVE:
			EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(x));
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			break;
		case MACH_MSG_TYPE_MOVE_SEND:
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(x));
			EXPECT_EQ(1, srights(x));
			break;
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
			EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(name));
			EXPECT_EQ(1, sorights(x));
			break;
		case MACH_MSG_TYPE_COPY_SEND:
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(2, srights(x));
			EXPECT_EQ(1, mscount(x));
			break;
		case MACH_MSG_TYPE_MAKE_SEND:
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(2, srights(x));
			EXPECT_EQ(2, mscount(x));
			break;
		case MACH_MSG_TYPE_MAKE_SEND_ONCE:
			EXPECT_EQ(1, sorights(x));
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			break;
		}

		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_TRUE(b.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		EXPECT_EQ(sizeof(mach_msg_base_t) + sizeof(mach_msg_port_descriptor_t), b.hdr.msgh_size);
		ASSERT_EQ(1, msg_desc_count(&b.hdr));
		pd = &msg_desc(&b.hdr, 0)->port;
		EXPECT_EQ(MACH_MSG_PORT_DESCRIPTOR, (unsigned int)pd->type);
		EXPECT_EQ(after_copyin(disp), (unsigned int)pd->disposition);
		if (is_send_once(disp)) {
			/* a send-once right always gets a fresh name */
			EXPECT_NE(x, pd->name);
			EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(pd->name));
			EXPECT_EQ(1, sorights(x));
			EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, pd->name));
			expect_send_once_notification(_metadata, x);
		} else if (disp == MACH_MSG_TYPE_MOVE_RECEIVE) {
			/* the receive right joins the existing SEND name; mscount reset */
			EXPECT_EQ(x, pd->name);
			EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, ptype(x));
			EXPECT_EQ(0, mscount(x));
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
		} else {
			/* a send right reuses the name the task has for the port */
			EXPECT_EQ(x, pd->name);
			EXPECT_EQ(disp == MACH_MSG_TYPE_MOVE_SEND ? 1 : 2,
				  urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(1, srights(x));
		}
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(x));
		drop_name(x);
		drop_name(c);
	}
}

/* §1.3: NULL and DEAD names pass through under every disposition, without a right. */
TEST(port_descriptor_null_and_dead)
{
	unsigned int i;
	mach_port_t c = new_port();

	ASSERT_TRUE(MACH_PORT_VALID(c));
	for (i = 0; i < sizeof(all_disps) / sizeof(all_disps[0]); i++) {
		struct big_rcv b;
		struct cmsg m;

		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 7);
		cm_port(&m, MACH_PORT_NULL, all_disps[i]);
		cm_port(&m, MACH_PORT_DEAD, all_disps[i]);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0)) TH_LOG("disposition %u", all_disps[i]);
		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		ASSERT_EQ(2, msg_desc_count(&b.hdr));
		EXPECT_EQ(MACH_PORT_NULL, msg_desc(&b.hdr, 0)->port.name);
		EXPECT_EQ(MACH_PORT_DEAD, msg_desc(&b.hdr, 1)->port.name);
		EXPECT_EQ(after_copyin(all_disps[i]), (unsigned int)msg_desc(&b.hdr, 0)->port.disposition);
		EXPECT_EQ(after_copyin(all_disps[i]), (unsigned int)msg_desc(&b.hdr, 1)->port.disposition);
	}
	drop_name(c);
}

/*
 * §1.2: a dead name in the body is accepted by MOVE_SEND (loses a uref),
 * COPY_SEND (keeps it) and MOVE_SEND_ONCE (loses a uref); the receiver
 * gets MACH_PORT_DEAD.
 */
TEST(dead_name_in_body)
{
	mach_port_t d = new_port_send(), c = new_port();
	struct big_rcv b;
	struct cmsg m;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_SEND, 3));
	/* §1.10: destroying our receive right leaves a dead name with the send urefs */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(d));
	ASSERT_EQ(4, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));

	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9);
	cm_port(&m, d, MACH_MSG_TYPE_MOVE_SEND);
	cm_port(&m, d, MACH_MSG_TYPE_COPY_SEND);
	cm_port(&m, d, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	EXPECT_EQ(2, urefs(d, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(3, msg_desc_count(&b.hdr));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(MACH_PORT_DEAD, msg_desc(&b.hdr, i)->port.name) TH_LOG("descriptor %u", i);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (unsigned int)msg_desc(&b.hdr, 0)->port.disposition);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (unsigned int)msg_desc(&b.hdr, 1)->port.disposition);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (unsigned int)msg_desc(&b.hdr, 2)->port.disposition);
	drop_name(d);
	drop_name(c);
}

/* ------------------------------------------------------------------------
 * Out-of-line port arrays (§1.3 OOL_PORTS)
 */
TEST(ool_ports_dispositions)
{
	unsigned int i, j;

	for (i = 0; i < sizeof(all_disps) / sizeof(all_disps[0]); i++) {
		mach_msg_type_name_t disp = all_disps[i];
		unsigned int copy = i % 2 ? MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY;
		unsigned int dealloc = i >= 3;
		mach_port_t x = new_port(), a = new_port(), c = new_port(), *arr, *got;
		mach_msg_ool_ports_descriptor_t *od;
		uint8_t *page = map_pages(1);
		struct big_rcv b;
		struct cmsg m;

		ASSERT_NE(MAP_FAILED, page);
		ASSERT_TRUE(MACH_PORT_VALID(x) && MACH_PORT_VALID(a) && MACH_PORT_VALID(c));
		arr = (mach_port_t *)(page + 100);
		arr[1] = MACH_PORT_NULL;
		arr[3] = MACH_PORT_DEAD;
		switch (disp) {
		case MACH_MSG_TYPE_MOVE_RECEIVE:
			arr[0] = x;
			arr[2] = a;
			break;
		case MACH_MSG_TYPE_MOVE_SEND:
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, x, x, MACH_MSG_TYPE_MAKE_SEND));
			ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, x, MACH_PORT_RIGHT_SEND, 2));
			arr[0] = arr[2] = x;
			break;
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
			arr[0] = make_send_once(x);
			arr[2] = make_send_once(x);
			break;
		case MACH_MSG_TYPE_COPY_SEND:
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK, x, x, MACH_MSG_TYPE_MAKE_SEND));
			arr[0] = arr[2] = x;
			break;
		default:	/* MAKE_SEND, MAKE_SEND_ONCE: from the receive right */
			arr[0] = arr[2] = x;
			break;
		}
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 200 + disp);
		cm_ool_ports(&m, arr, 4, disp, copy, dealloc);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0)) TH_LOG("disposition %u", disp);

		/* the sender's array: unmapped iff deallocate (page rounded) */
		EXPECT_EQ(dealloc ? 0 : 1, range_mapped(page, PAGE_SZ));
		switch (disp) {
		case MACH_MSG_TYPE_MOVE_RECEIVE:
			EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(x));
			EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(a));
			break;
		case MACH_MSG_TYPE_MOVE_SEND:
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(3, srights(x));
			break;
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		case MACH_MSG_TYPE_MAKE_SEND_ONCE:
			EXPECT_EQ(2, sorights(x));
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(x));
			break;
		case MACH_MSG_TYPE_COPY_SEND:
			EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(3, srights(x));
			break;
		case MACH_MSG_TYPE_MAKE_SEND:
			EXPECT_EQ(2, mscount(x));
			EXPECT_EQ(2, srights(x));
			break;
		}

		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		ASSERT_EQ(1, msg_desc_count(&b.hdr));
		od = &msg_desc(&b.hdr, 0)->ool_ports;
		EXPECT_EQ(MACH_MSG_OOL_PORTS_DESCRIPTOR, (unsigned int)od->type);
		EXPECT_EQ(after_copyin(disp), (unsigned int)od->disposition);
		EXPECT_EQ(MACH_MSG_VIRTUAL_COPY, (unsigned int)od->copy);
		EXPECT_EQ(1, (unsigned int)od->deallocate);
		ASSERT_EQ(4, od->count);
		ASSERT_NE(NULL, od->address);
		got = od->address;
		EXPECT_NE((void *)arr, (void *)got);
		EXPECT_EQ(MACH_PORT_NULL, got[1]);
		EXPECT_EQ(MACH_PORT_DEAD, got[3]);
		if (disp == MACH_MSG_TYPE_MOVE_RECEIVE) {
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(got[0]));
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(got[2]));
			EXPECT_NE(got[0], got[2]);
		} else if (is_send_once(disp)) {
			EXPECT_NE(got[0], got[2]);
			for (j = 0; j < 4; j += 2) {
				EXPECT_NE(x, got[j]);
				EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(got[j]));
				EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, got[j]));
				expect_send_once_notification(_metadata, x);
			}
			EXPECT_EQ(0, sorights(x));
		} else {
			EXPECT_EQ(x, got[0]);
			EXPECT_EQ(x, got[2]);
			EXPECT_EQ(disp == MACH_MSG_TYPE_MAKE_SEND ? 2 : 3,
				  urefs(x, MACH_PORT_RIGHT_SEND));
			EXPECT_EQ(1, srights(x));
		}
		if (disp == MACH_MSG_TYPE_MOVE_RECEIVE) {
			drop_name(got[0]);
			drop_name(got[2]);
		}
		/* the receiver owns a fresh array of count names */
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)got, 4 * sizeof(mach_port_t)));
		EXPECT_EQ(0, range_mapped(got, 4 * sizeof(mach_port_t)));
		if (!dealloc)
			munmap(page, PAGE_SZ);
		drop_name(x);
		drop_name(a);
		drop_name(c);
	}
}

/* ------------------------------------------------------------------------
 * Out-of-line memory (§1.3 OOL, OOL_VOLATILE)
 */
static const struct { size_t off, size; } ool_cases[] = {
	{ 0, 1 }, { 4000, 200 }, { 0, 4096 }, { 123, 3 * 4096 + 5 }, { 4095, 2 }, { 0, 1 << 20 },
};

/*
 * Every type x copy option x deallocate x size/alignment: the receiver gets a
 * fresh writable mapping with the data (same page offset for a virtual
 * copy), the received descriptor echoes copy, deallocate = (copy ==
 * VIRTUAL), and it can vm_deallocate it.  deallocate=1 unmaps exactly the
 * sender's page-rounded range (guard pages around it stay).
 */
TEST(ool_memory_types_copy_deallocate)
{
	static const unsigned int types[] = { MACH_MSG_OOL_DESCRIPTOR, MACH_MSG_OOL_VOLATILE_DESCRIPTOR };
	mach_port_t c = new_port();
	unsigned int t, copy, dealloc, k, seed = 1;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	for (t = 0; t < 2; t++)
	for (copy = 0; copy < 2; copy++)
	for (dealloc = 0; dealloc < 2; dealloc++)
	for (k = 0; k < sizeof(ool_cases) / sizeof(ool_cases[0]); k++, seed++) {
		size_t off = ool_cases[k].off, size = ool_cases[k].size;
		size_t npages = (off + size + PAGE_SZ - 1) / PAGE_SZ;
		uint8_t *region = map_pages(npages + 2), *buf = region + PAGE_SZ + off;
		mach_msg_ool_descriptor_t *od;
		struct big_rcv b;
		struct cmsg m;

		ASSERT_NE(MAP_FAILED, region);
		fill_pattern(buf, size, seed);
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, (mach_msg_id_t)seed);
		cm_ool_t(&m, buf, (mach_msg_size_t)size, copy, dealloc, types[t]);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0))
			TH_LOG("type %u copy %u dealloc %u size %zu off %zu", types[t], copy, dealloc, size, off);
		if (dealloc) {
			EXPECT_EQ(0, range_mapped(region + PAGE_SZ, npages * PAGE_SZ));
		} else {
			EXPECT_EQ(1, range_mapped(region + PAGE_SZ, npages * PAGE_SZ));
			EXPECT_EQ(0, check_pattern(buf, size, seed));
		}
		EXPECT_EQ(1, range_mapped(region, PAGE_SZ));
		EXPECT_EQ(1, range_mapped(region + (npages + 1) * PAGE_SZ, PAGE_SZ));

		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_EQ((mach_msg_id_t)seed, b.hdr.msgh_id);
		ASSERT_EQ(1, msg_desc_count(&b.hdr));
		od = &msg_desc(&b.hdr, 0)->out_of_line;
		EXPECT_EQ(types[t], (unsigned int)od->type);
		EXPECT_EQ(copy, (unsigned int)od->copy);
		EXPECT_EQ(copy == MACH_MSG_VIRTUAL_COPY, (unsigned int)od->deallocate);
		EXPECT_EQ(size, od->size);
		ASSERT_NE(NULL, od->address);
		if (!dealloc)	/* a freed range may be picked again */
			EXPECT_NE((void *)buf, od->address);
		if (copy == MACH_MSG_VIRTUAL_COPY)
			EXPECT_EQ(off % PAGE_SZ, (uintptr_t)od->address % PAGE_SZ);
		EXPECT_EQ(1, range_mapped(od->address, size));
		EXPECT_EQ(0, check_pattern(od->address, size, seed));
		/* private to the receiver and writable */
		((uint8_t *)od->address)[size - 1] ^= 0xff;
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)od->address, od->size));
		EXPECT_EQ(0, range_mapped(od->address, size));
		munmap(region, (npages + 2) * PAGE_SZ);
	}
	drop_name(c);
}

/* §1.3: the receiver sees a snapshot taken at send time. */
TEST(ool_snapshot)
{
	mach_port_t c = new_port();
	unsigned int copy;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	for (copy = 0; copy < 2; copy++) {
		size_t size = 3 * PAGE_SZ + 17;
		uint8_t *buf = map_pages(4), *small = map_pages(1);
		mach_msg_ool_descriptor_t *od;
		struct big_rcv b;
		struct cmsg m;

		ASSERT_NE(MAP_FAILED, buf);
		ASSERT_NE(MAP_FAILED, small);
		fill_pattern(buf, size, 40 + copy);
		fill_pattern(small, 64, 50 + copy);
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
		cm_ool(&m, buf, (mach_msg_size_t)size, copy, 0);
		cm_ool(&m, small, 64, copy, 0);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
		/* the sender writes, then even replaces the pages, before the receive */
		memset(buf, 0xa5, size);
		memset(small, 0x5a, 64);
		ASSERT_EQ(0, munmap(buf, 4 * PAGE_SZ));
		ASSERT_EQ(buf, mmap(buf, 4 * PAGE_SZ, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
		memset(buf, 0x3c, 4 * PAGE_SZ);

		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		ASSERT_EQ(2, msg_desc_count(&b.hdr));
		od = &msg_desc(&b.hdr, 0)->out_of_line;
		ASSERT_EQ(size, od->size);
		EXPECT_EQ(0, check_pattern(od->address, size, 40 + copy));
		vm_deallocate(TASK, (vm_address_t)od->address, od->size);
		od = &msg_desc(&b.hdr, 1)->out_of_line;
		ASSERT_EQ(64, od->size);
		EXPECT_EQ(0, check_pattern(od->address, 64, 50 + copy));
		vm_deallocate(TASK, (vm_address_t)od->address, od->size);
		/* and the receiver's writes do not reach the sender */
		munmap(buf, 4 * PAGE_SZ);
		munmap(small, PAGE_SZ);
	}
	drop_name(c);
}

/* §1.3: size 0 gives address NULL on receipt, whatever the address; nothing is read or unmapped. */
TEST(ool_size_zero)
{
	mach_port_t c = new_port();
	uint8_t *page = map_pages(1);
	struct big_rcv b;
	struct cmsg m;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, page);
	page[0] = 0x42;
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	cm_ool(&m, page, 0, MACH_MSG_PHYSICAL_COPY, 0);
	cm_ool(&m, NULL, 0, MACH_MSG_VIRTUAL_COPY, 0);
	cm_ool(&m, (void *)0xdead0000UL, 0, MACH_MSG_PHYSICAL_COPY, 0);
	cm_ool(&m, page, 0, MACH_MSG_VIRTUAL_COPY, 1);
	cm_ool_t(&m, page + 8, 0, MACH_MSG_PHYSICAL_COPY, 1, MACH_MSG_OOL_VOLATILE_DESCRIPTOR);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	EXPECT_EQ(1, range_mapped(page, PAGE_SZ));
	EXPECT_EQ(0x42, page[0]);
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(5, msg_desc_count(&b.hdr));
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(NULL, msg_desc(&b.hdr, i)->out_of_line.address) TH_LOG("descriptor %u", i);
		EXPECT_EQ(0, msg_desc(&b.hdr, i)->out_of_line.size) TH_LOG("descriptor %u", i);
	}
	/* an empty port array likewise */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
	cm_ool_ports(&m, (mach_port_t *)page, 0, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(NULL, msg_desc(&b.hdr, 0)->ool_ports.address);
	EXPECT_EQ(0, msg_desc(&b.hdr, 0)->ool_ports.count);
	munmap(page, PAGE_SZ);
	drop_name(c);
}

/* §1.3: an unreadable range gives MACH_SEND_INVALID_MEMORY and nothing is queued or unmapped. */
TEST(ool_invalid_memory)
{
	mach_port_t c = new_port(), x = new_port_send();
	uint8_t *region = map_pages(3);
	const struct { const void *addr; size_t size; const char *what; } bad[] = {
		{ region + PAGE_SZ, 100, "PROT_NONE page" },
		{ region + 2 * PAGE_SZ, 100, "unmapped page" },
		{ region + PAGE_SZ - 50, 100, "runs into PROT_NONE" },
		{ NULL, 4096, "NULL" },
		{ (void *)0xffff888000000000UL, 64, "kernel address" },
	};
	unsigned int i, t, copy, dealloc;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(x));
	ASSERT_NE(MAP_FAILED, region);
	ASSERT_EQ(0, mprotect(region + PAGE_SZ, PAGE_SZ, PROT_NONE));
	ASSERT_EQ(0, munmap(region + 2 * PAGE_SZ, PAGE_SZ));
	fill_pattern(region, PAGE_SZ, 77);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	for (t = 0; t < 2; t++)
	for (copy = 0; copy < 2; copy++)
	for (dealloc = 0; dealloc < 2; dealloc++) {
		struct cmsg m;

		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
		cm_ool_t(&m, bad[i].addr, (mach_msg_size_t)bad[i].size, copy, dealloc,
			 t ? MACH_MSG_OOL_VOLATILE_DESCRIPTOR : MACH_MSG_OOL_DESCRIPTOR);
		EXPECT_EQ(MACH_SEND_INVALID_MEMORY, cm_send(&m, 0, 0))
			TH_LOG("%s type %u copy %u dealloc %u", bad[i].what, t, copy, dealloc);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
		EXPECT_EQ(1, range_mapped(region, PAGE_SZ));
		EXPECT_EQ(0, check_pattern(region, PAGE_SZ - 50, 77));
	}
	/* an unreadable port array (the third runs from a readable page into PROT_NONE) */
	for (i = 0; i < 4; i++) {
		const mach_port_t *addr = i == 2 ? (const mach_port_t *)(region + PAGE_SZ - 4)
						 : (const mach_port_t *)bad[i].addr;
		struct cmsg m;

		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
		cm_ool_ports(&m, addr, 2, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
		EXPECT_EQ(MACH_SEND_INVALID_MEMORY, cm_send(&m, 0, 0)) TH_LOG("ports: %s", bad[i].what);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	}
	EXPECT_EQ(1, srights(x));
	EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
	munmap(region, 2 * PAGE_SZ);
	drop_name(x);
	drop_name(c);
}

/* §1.3: copy must be PHYSICAL or VIRTUAL; ALLOCATE, OVERWRITE or anything else is INVALID_TYPE. */
TEST(ool_bad_copy_option)
{
	static const unsigned int copies[] = { MACH_MSG_ALLOCATE, MACH_MSG_OVERWRITE, 0x7f };
	mach_port_t c = new_port();
	uint8_t *page = map_pages(1);
	unsigned int i, t;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, page);
	for (i = 0; i < 3; i++)
	for (t = 0; t < 2; t++) {
		struct cmsg m;

		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
		cm_ool_t(&m, page, 64, copies[i], 0,
			 t ? MACH_MSG_OOL_VOLATILE_DESCRIPTOR : MACH_MSG_OOL_DESCRIPTOR);
		EXPECT_EQ(MACH_SEND_INVALID_TYPE, cm_send(&m, 0, 0)) TH_LOG("copy %u", copies[i]);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	}
	munmap(page, PAGE_SZ);
	drop_name(c);
}

/* §1.1/§1.3: the body and the descriptor array must fit in send_size. */
TEST(descriptors_overrun_send_size)
{
	mach_port_t c = new_port();
	struct cmsg m;
	uint8_t *page = map_pages(1);

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, page);

	/* COMPLEX but no body at all */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL,
		  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(mach_msg_header_t), 0,
			   MACH_PORT_NULL, 0, MACH_PORT_NULL));
	/* one descriptor announced, none present */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
	m.body.msgh_descriptor_count = 1;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, cm_send(&m, 0, 0));
	/* an OOL descriptor cut to 12 bytes */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 3);
	cm_ool(&m, page, 8, MACH_MSG_PHYSICAL_COPY, 0);
	m.used -= 4;
	{
		/* keep the type byte where a 12-byte prefix has it */
		mach_msg_ool_descriptor_t od;

		memset(&od, 0, sizeof(od));
		od.address = page;
		od.size = 8;
		od.type = MACH_MSG_OOL_DESCRIPTOR;
		memcpy(m.desc, &od, 12);
	}
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, cm_send(&m, 0, 0));
	/* two announced, one present */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 4);
	cm_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	m.body.msgh_descriptor_count = 2;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, cm_send(&m, 0, 0));
	/* a huge count */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 5);
	cm_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	m.body.msgh_descriptor_count = 0xffffffffu;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, cm_send(&m, 0, 0));
	/* port descriptor, then a port array missing its last 4 bytes */
	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 6);
	cm_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	cm_ool_ports(&m, (mach_port_t *)page, 1, MACH_MSG_TYPE_COPY_SEND, 0, 0);
	m.used -= 4;
	EXPECT_EQ(MACH_SEND_MSG_TOO_SMALL, cm_send(&m, 0, 0));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	munmap(page, PAGE_SZ);
	drop_name(c);
}

/* §1.3: unknown descriptor types, and a malformed guarded-port descriptor, are INVALID_TYPE. */
TEST(unknown_descriptor_type)
{
	static const unsigned int types[] = { 5, 6, 0x10, 0x7f, 0xff };
	mach_port_t c = new_port(), x = new_port();
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(x));
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint8_t raw[16];
		struct cmsg m;

		memset(raw, 0, sizeof(raw));
		raw[11] = (uint8_t)types[i];	/* type: top byte of the third word */
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
		cm_raw(&m, raw, sizeof(raw));
		EXPECT_EQ(MACH_SEND_INVALID_TYPE, cm_send(&m, 0, 0)) TH_LOG("type %u", types[i]);
	}
	{
		/* guarded port: flags must be nonzero and the disposition MOVE_RECEIVE */
		mach_msg_guarded_port_descriptor_t g;
		struct cmsg m;

		memset(&g, 0, sizeof(g));
		g.name = x;
		g.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		g.flags = 0;
		g.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
		cm_raw(&m, &g, sizeof(g));
		EXPECT_EQ(MACH_SEND_INVALID_TYPE, cm_send(&m, 0, 0));
		g.flags = MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
		g.disposition = MACH_MSG_TYPE_COPY_SEND;
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 3);
		cm_raw(&m, &g, sizeof(g));
		EXPECT_EQ(MACH_SEND_INVALID_TYPE, cm_send(&m, 0, 0));
	}
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(x));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(c));
	drop_name(x);
	drop_name(c);
}

/* ------------------------------------------------------------------------
 * Rollback after a failure at each descriptor position (§1.3 body errors)
 */
enum bad_kind { BAD_RIGHT, BAD_MEMORY, BAD_ARRAY_RIGHT, BAD_COPY, BAD_TYPE, BAD_NKINDS };
static const char *const bad_names[] = {
	"invalid right", "unreadable memory", "invalid right in port array",
	"bad copy option", "unknown type",
};

/*
 * Copy option, type and size problems are found before any body right is
 * taken (xnu's first pass over the descriptors; modern xnu validates the
 * types before copyin too); rights and memory problems are found while the
 * descriptors are walked, so the ones before the failure were copied in
 * and are destroyed with the message (ipc_kmsg_clean_partial).
 */
static int bad_second_pass(enum bad_kind k)
{
	return k == BAD_RIGHT || k == BAD_MEMORY || k == BAD_ARRAY_RIGHT;
}

static mach_msg_return_t bad_code(enum bad_kind k)
{
	switch (k) {
	case BAD_RIGHT:
	case BAD_ARRAY_RIGHT:
		return MACH_SEND_INVALID_RIGHT;
	case BAD_MEMORY:
		return MACH_SEND_INVALID_MEMORY;
	default:
		return MACH_SEND_INVALID_TYPE;
	}
}

#define NPREFIX 7

/*
 * Message: header dest MOVE_SEND d (3 urefs), reply MAKE_SEND_ONCE rp; body
 *   0 port MOVE_SEND w (3 urefs)    1 OOL physical       2 port MAKE_SEND_ONCE z
 *   3 OOL ports COPY_SEND [x,NULL,DEAD]   4 port MAKE_SEND y
 *   5 port MOVE_RECEIVE v           6 OOL virtual (unaligned)
 * with a bad descriptor inserted at position k = 0..7.  Afterwards:
 * d lost one uref (its right was destroyed with the message), rp's
 * send-once right generated one SEND_ONCE notification, and each body
 * right is as before if it was not reached, or destroyed if it was:
 * w loses a uref, z notifies, y's mscount is +1, v's port is destroyed; x
 * (COPY_SEND) is unchanged either way; srights/sorights are back; the
 * sender's memory is untouched; nothing is queued.
 */
TEST(rollback_each_position)
{
	uint8_t *ool1 = map_pages(1), *ool2 = map_pages(2);
	void *noread = mmap(NULL, PAGE_SZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mach_port_t stale = stale_name();
	struct mstats base;
	int have_stats, kind, k;

	ASSERT_NE(MAP_FAILED, ool1);
	ASSERT_NE(MAP_FAILED, ool2);
	ASSERT_NE(MAP_FAILED, noread);
	ASSERT_TRUE(MACH_PORT_VALID(stale));
	fill_pattern(ool1, PAGE_SZ, 1);
	fill_pattern(ool2, 2 * PAGE_SZ, 2);
	have_stats = warm_up(&base) == 0;

	for (kind = 0; kind < BAD_NKINDS; kind++)
	for (k = 0; k <= NPREFIX; k++) {
		mach_port_t d = new_port_send(), rp = new_port(), w = new_port_send();
		mach_port_t z = new_port(), x = new_port_send(), y = new_port(), v = new_port();
		mach_port_t xarr[3] = { x, MACH_PORT_NULL, MACH_PORT_DEAD }, barr[2] = { x, stale };
		int taken_before = bad_second_pass(kind);
		struct cmsg m;
		int i;

		ASSERT_TRUE(MACH_PORT_VALID(d) && MACH_PORT_VALID(rp) && MACH_PORT_VALID(w) &&
			    MACH_PORT_VALID(z) && MACH_PORT_VALID(x) && MACH_PORT_VALID(y) &&
			    MACH_PORT_VALID(v));
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_SEND, 2));
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, w, MACH_PORT_RIGHT_SEND, 2));

		cm_init(&m, d, MACH_MSG_TYPE_MOVE_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x500 + k);
		for (i = 0; i <= NPREFIX; i++) {
			if (i == k) {
				switch (kind) {
				case BAD_RIGHT:
					cm_port(&m, stale, MACH_MSG_TYPE_COPY_SEND);
					break;
				case BAD_MEMORY:
					cm_ool(&m, noread, 64, MACH_MSG_PHYSICAL_COPY, 0);
					break;
				case BAD_ARRAY_RIGHT:
					cm_ool_ports(&m, barr, 2, MACH_MSG_TYPE_COPY_SEND,
						     MACH_MSG_PHYSICAL_COPY, 0);
					break;
				case BAD_COPY:
					cm_ool(&m, ool1, 64, MACH_MSG_ALLOCATE, 0);
					break;
				case BAD_TYPE: {
					uint8_t raw[16] = { 0 };

					raw[11] = 0x7;
					cm_raw(&m, raw, sizeof(raw));
					break;
				}
				}
			}
			switch (i) {
			case 0: cm_port(&m, w, MACH_MSG_TYPE_MOVE_SEND); break;
			case 1: cm_ool(&m, ool1, (mach_msg_size_t)PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0); break;
			case 2: cm_port(&m, z, MACH_MSG_TYPE_MAKE_SEND_ONCE); break;
			case 3: cm_ool_ports(&m, xarr, 3, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0); break;
			case 4: cm_port(&m, y, MACH_MSG_TYPE_MAKE_SEND); break;
			case 5: cm_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE); break;
			case 6: cm_ool(&m, ool2 + 100, (mach_msg_size_t)PAGE_SZ + 50, MACH_MSG_VIRTUAL_COPY, 0); break;
			}
		}
#define TAKEN(pos) (taken_before && (pos) < k)
		EXPECT_EQ(bad_code(kind), cm_send(&m, 0, 0)) TH_LOG("%s at %d", bad_names[kind], k);

		/* header rights: destroyed with the message */
		EXPECT_EQ(2, urefs(d, MACH_PORT_RIGHT_SEND)) TH_LOG("%s at %d: dest", bad_names[kind], k);
		EXPECT_EQ(1, srights(d));
		EXPECT_EQ(0, msgcount(d));
		expect_send_once_notification(_metadata, rp);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(rp)) TH_LOG("%s at %d: reply", bad_names[kind], k);
		EXPECT_EQ(0, sorights(rp));
		/* body rights */
		EXPECT_EQ(TAKEN(0) ? 2 : 3, urefs(w, MACH_PORT_RIGHT_SEND))
			TH_LOG("%s at %d: MOVE_SEND", bad_names[kind], k);
		EXPECT_EQ(1, srights(w));
		if (TAKEN(2))
			expect_send_once_notification(_metadata, z);
		EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(z)) TH_LOG("%s at %d: MAKE_SEND_ONCE", bad_names[kind], k);
		EXPECT_EQ(0, sorights(z));
		EXPECT_EQ(1, urefs(x, MACH_PORT_RIGHT_SEND));
		EXPECT_EQ(1, srights(x)) TH_LOG("%s at %d: COPY_SEND", bad_names[kind], k);
		EXPECT_EQ(TAKEN(4) ? 1 : 0, mscount(y)) TH_LOG("%s at %d: MAKE_SEND", bad_names[kind], k);
		EXPECT_EQ(0, srights(y));
		EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(y));
		if (TAKEN(5)) {
			EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(v)) TH_LOG("%s at %d: MOVE_RECEIVE", bad_names[kind], k);
		} else {
			EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(v)) TH_LOG("%s at %d: MOVE_RECEIVE", bad_names[kind], k);
		}
#undef TAKEN
		/* memory with deallocate=0 is the sender's, untouched */
		EXPECT_EQ(0, check_pattern(ool1, PAGE_SZ, 1));
		EXPECT_EQ(0, check_pattern(ool2, 2 * PAGE_SZ, 2));

		drop_name(d);
		drop_name(rp);
		drop_name(w);
		drop_name(z);
		drop_name(x);
		drop_name(y);
		drop_name(v);
	}
	EXPECT_STATS_BASE(have_stats, base);
}

/* ------------------------------------------------------------------------
 * Pseudo-receive of a complex message (§1.4)
 */
TEST(pseudo_receive_complex)
{
	struct mstats base;
	int have_stats = warm_up(&base) == 0;
	mach_port_t p = new_port_send(), r = new_port(), s = new_port_send(), y = new_port();
	mach_port_t v = new_port(), z = new_port(), sarr[2];
	uint8_t *buf1 = map_pages(2), *buf2 = map_pages(2);
	mach_msg_ool_ports_descriptor_t *opd;
	mach_msg_ool_descriptor_t *od;
	mach_msg_port_descriptor_t *pd;
	mach_port_t nr, nv, nz, *names;
	struct big_rcv b;
	struct rcv_buf rb;
	struct cmsg m;
	mach_msg_size_t size;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(r) && MACH_PORT_VALID(s) &&
		    MACH_PORT_VALID(y) && MACH_PORT_VALID(v) && MACH_PORT_VALID(z));
	ASSERT_NE(MAP_FAILED, buf1);
	ASSERT_NE(MAP_FAILED, buf2);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1));
	fill_pattern(buf1, 2 * PAGE_SZ, 11);
	fill_pattern(buf2 + 100, PAGE_SZ + 10, 12);
	sarr[0] = sarr[1] = s;

	cm_init(&m, p, MACH_MSG_TYPE_COPY_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x777);
	cm_port(&m, s, MACH_MSG_TYPE_MOVE_SEND);
	cm_port(&m, y, MACH_MSG_TYPE_MAKE_SEND);
	cm_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE);
	cm_port(&m, z, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cm_ool(&m, buf1, (mach_msg_size_t)(2 * PAGE_SZ), MACH_MSG_PHYSICAL_COPY, 0);
	cm_ool(&m, buf2 + 100, (mach_msg_size_t)PAGE_SZ + 10, MACH_MSG_VIRTUAL_COPY, 1);
	cm_ool_ports(&m, sarr, 2, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
	size = cm_size(&m);
	ASSERT_EQ(MACH_SEND_TIMED_OUT, cm_send(&m, 0, 0));

	/* header: not swapped, post-copyin types, rights reinstalled */
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND, MACH_MSGH_BITS_REMOTE(m.hdr.msgh_bits));
	EXPECT_EQ(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSGH_BITS_LOCAL(m.hdr.msgh_bits));
	EXPECT_TRUE(m.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT_EQ(0x777, m.hdr.msgh_id);
	EXPECT_EQ(p, m.hdr.msgh_remote_port);
	EXPECT_EQ(2, urefs(p, MACH_PORT_RIGHT_SEND));
	nr = m.hdr.msgh_local_port;
	EXPECT_TRUE(MACH_PORT_VALID(nr));
	EXPECT_NE(r, nr);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(nr));
	EXPECT_EQ(1, sorights(r));
	ASSERT_EQ(7, m.body.msgh_descriptor_count);

	pd = &msg_desc(&m.hdr, 0)->port;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (unsigned int)pd->disposition);
	EXPECT_EQ(s, pd->name);
	pd = &msg_desc(&m.hdr, 1)->port;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (unsigned int)pd->disposition);
	EXPECT_EQ(y, pd->name);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, ptype(y));
	EXPECT_EQ(1, urefs(y, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1, mscount(y));
	pd = &msg_desc(&m.hdr, 2)->port;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_RECEIVE, (unsigned int)pd->disposition);
	nv = pd->name;
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(nv));
	pd = &msg_desc(&m.hdr, 3)->port;
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, (unsigned int)pd->disposition);
	nz = pd->name;
	EXPECT_NE(z, nz);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, ptype(nz));
	EXPECT_EQ(1, sorights(z));
	od = &msg_desc(&m.hdr, 4)->out_of_line;
	ASSERT_NE(NULL, od->address);
	EXPECT_NE((void *)buf1, od->address);
	EXPECT_EQ(2 * PAGE_SZ, od->size);
	EXPECT_EQ(0, check_pattern(od->address, 2 * PAGE_SZ, 11));
	od = &msg_desc(&m.hdr, 5)->out_of_line;
	ASSERT_NE(NULL, od->address);
	EXPECT_EQ(PAGE_SZ + 10, od->size);
	EXPECT_EQ(100, (uintptr_t)od->address % PAGE_SZ);
	EXPECT_EQ(0, check_pattern(od->address, PAGE_SZ + 10, 12));
	opd = &msg_desc(&m.hdr, 6)->ool_ports;
	ASSERT_NE(NULL, opd->address);
	EXPECT_NE((void *)sarr, opd->address);
	ASSERT_EQ(2, opd->count);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND, (unsigned int)opd->disposition);
	names = opd->address;
	EXPECT_EQ(s, names[0]);
	EXPECT_EQ(s, names[1]);
	/* 2 - 1 (moved) - 0 (copied) + 1 + 2 (reinstalled) */
	EXPECT_EQ(4, urefs(s, MACH_PORT_RIGHT_SEND));
	/* the sender's own buffers are untouched (deallocate=0) */
	EXPECT_EQ(0, check_pattern(buf1, 2 * PAGE_SZ, 11));

	/* make room and send the returned message unchanged */
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &rb, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
			   MACH_PORT_NULL));
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(y));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(nz));
	EXPECT_EQ(KERN_INVALID_NAME, ptype_kr(nr));

	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(p, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(0x777, b.hdr.msgh_id);
	EXPECT_EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(b.hdr.msgh_bits));
	ASSERT_EQ(7, msg_desc_count(&b.hdr));
	EXPECT_EQ(s, msg_desc(&b.hdr, 0)->port.name);
	EXPECT_EQ(y, msg_desc(&b.hdr, 1)->port.name);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(msg_desc(&b.hdr, 2)->port.name));
	EXPECT_EQ(0, check_pattern(msg_desc(&b.hdr, 4)->out_of_line.address, 2 * PAGE_SZ, 11));
	EXPECT_EQ(0, check_pattern(msg_desc(&b.hdr, 5)->out_of_line.address, PAGE_SZ + 10, 12));
	names = msg_desc(&b.hdr, 6)->ool_ports.address;
	ASSERT_NE(NULL, names);
	EXPECT_EQ(s, names[0]);
	EXPECT_EQ(s, names[1]);
	/* libmach's mach_msg_destroy gives it all back; physical copies are the caller's */
	vm_deallocate(TASK, (vm_address_t)msg_desc(&b.hdr, 4)->out_of_line.address, 2 * PAGE_SZ);
	mach_msg_destroy(&b.hdr);
	expect_send_once_notification(_metadata, r);
	expect_send_once_notification(_metadata, z);
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0, srights(y));

	drop_name(p);
	drop_name(r);
	drop_name(s);
	drop_name(y);
	drop_name(z);
	munmap(buf1, 2 * PAGE_SZ);
	EXPECT_STATS_BASE(have_stats, base);
}

/* ------------------------------------------------------------------------
 * MOVE_RECEIVE (§1.2)
 */
TEST(move_receive_resets_and_keeps_queue)
{
	mach_port_t x = new_port_send(), c = new_port();
	mach_port_context_t ctx = 0;
	mach_port_status_t st;
	struct rcv_buf rb;
	struct big_rcv b;
	struct cmsg m;
	unsigned int i;

	ASSERT_TRUE(MACH_PORT_VALID(x) && MACH_PORT_VALID(c));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(TASK, x, 0x1234));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(x, MACH_MSG_TYPE_COPY_SEND, 0, 0, 10 + i));
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(x, &rb, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(KERN_SUCCESS, port_status(x, &st));
	ASSERT_EQ(1, st.mps_seqno);
	ASSERT_EQ(1, st.mps_mscount);

	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	cm_port(&m, x, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	/* the sender lost the receive right and keeps its send name */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(x));
	EXPECT_NE(KERN_SUCCESS, port_status(x, &st));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, msg_recv(x, &rb, 0, 0));

	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	EXPECT_EQ(x, msg_desc(&b.hdr, 0)->port.name);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, ptype(x));
	ASSERT_EQ(KERN_SUCCESS, port_status(x, &st));
	EXPECT_EQ(0, st.mps_seqno);
	EXPECT_EQ(0, st.mps_mscount);
	EXPECT_EQ(2, st.mps_msgcount);
	EXPECT_EQ(0, st.mps_pset);
	EXPECT_EQ(3, srights(x));	/* our name + the two queued messages' */
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_context(TASK, x, &ctx));
	EXPECT_EQ(0, ctx);
	for (i = 0; i < 2; i++) {
		mach_msg_seqno_trailer_t *tr;

		ASSERT_EQ(MACH_MSG_SUCCESS,
			  msg_recv(x, &rb, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), LONG_TIMEOUT_MS));
		EXPECT_EQ(11 + i, rb.hdr.msgh_id);
		tr = (mach_msg_seqno_trailer_t *)msg_trailer(&rb.hdr);
		EXPECT_EQ(i, tr->msgh_seqno);
	}
	drop_name(x);
	drop_name(c);
}

TEST(move_receive_wakes_receivers_and_leaves_sets)
{
	mach_port_t x = new_port(), c = new_port(), other = new_port(), s1 = 0, s2 = 0, nx;
	static struct msg_thread tport, tset;
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 0;
	mach_port_status_t st;
	struct big_rcv b;
	struct cmsg m;

	ASSERT_TRUE(MACH_PORT_VALID(x) && MACH_PORT_VALID(c) && MACH_PORT_VALID(other));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(TASK, MACH_PORT_RIGHT_PORT_SET, &s2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, x, s1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, x, s2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(TASK, other, s1));
	ASSERT_EQ(0, start_blocked_receiver(&tport, x, 0));
	ASSERT_EQ(0, start_blocked_receiver(&tset, s1, 0));

	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
	cm_port(&m, x, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	/* §1.5: the receiver blocked on the moved port wakes with PORT_CHANGED */
	ASSERT_EQ(0, msg_thread_wait_done(&tport, 5000));
	EXPECT_EQ(MACH_RCV_PORT_CHANGED, tport.ret);
	/* the port left both sets; the set itself lives on, its waiter still blocked */
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(TASK, s2, &members, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(TASK, s1, &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(other, members[0]);
	EXPECT_EQ(0, tset.done);
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_send_nb(other, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 99));
	ASSERT_EQ(0, msg_thread_wait_done(&tset, 5000));
	EXPECT_EQ(MACH_MSG_SUCCESS, tset.ret);
	EXPECT_EQ(99, tset.buf.hdr.msgh_id);

	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	nx = msg_desc(&b.hdr, 0)->port.name;
	ASSERT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(nx));
	ASSERT_EQ(KERN_SUCCESS, port_status(nx, &st));
	EXPECT_EQ(0, st.mps_pset);
	drop_name(nx);
	drop_name(c);
	drop_name(other);
	drop_name(s1);
	drop_name(s2);
}

/* ------------------------------------------------------------------------
 * Circularity (§1.3): accepted, destroyed, nothing left
 */
static mach_msg_return_t send_receive_right(mach_port_t dest, mach_port_t right, int in_array)
{
	mach_port_t arr[1] = { right };
	struct cmsg m;

	cm_init(&m, dest, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x33);
	if (in_array)
		cm_ool_ports(&m, arr, 1, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_PHYSICAL_COPY, 0);
	else
		cm_port(&m, right, MACH_MSG_TYPE_MOVE_RECEIVE);
	return cm_send(&m, 0, 0);
}

TEST(circular_self)
{
	struct mstats base;
	int have_stats = warm_up(&base) == 0, in_array;

	for (in_array = 0; in_array < 2; in_array++) {
		mach_port_t p = new_port_send(), n = new_port(), prev = 0;
		uint8_t *page = map_pages(1);
		struct cmsg m;

		ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(n));
		ASSERT_NE(MAP_FAILED, page);
		ASSERT_EQ(KERN_SUCCESS,
			  mach_port_request_notification(TASK, p, MACH_NOTIFY_DEAD_NAME, 0, n,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
		/* a receive right into its own queue, with a send-once right and memory */
		cm_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 0x34);
		if (in_array) {
			mach_port_t arr[1] = { p };

			cm_ool_ports(&m, arr, 1, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_PHYSICAL_COPY, 0);
			cm_port(&m, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
			cm_ool(&m, page, (mach_msg_size_t)PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0);
			EXPECT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
		} else {
			cm_port(&m, p, MACH_MSG_TYPE_MOVE_RECEIVE);
			cm_port(&m, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
			cm_ool(&m, page, (mach_msg_size_t)PAGE_SZ, MACH_MSG_VIRTUAL_COPY, 0);
			EXPECT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
		}
		/* the message was destroyed: the port died with it */
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p) & ~MACH_PORT_TYPE_DNREQUEST);
		{
			struct rcv_buf rb;
			int got_so = 0, got_dn = 0, i;

			for (i = 0; i < 2; i++) {
				ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(n, &rb, 0, LONG_TIMEOUT_MS));
				if (rb.hdr.msgh_id == MACH_NOTIFY_SEND_ONCE)
					got_so++;
				else if (rb.hdr.msgh_id == MACH_NOTIFY_DEAD_NAME)
					got_dn++;
			}
			EXPECT_EQ(1, got_so);
			EXPECT_EQ(1, got_dn);
			EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(n));
		}
		drop_name(p);
		drop_name(n);
		munmap(page, PAGE_SZ);
	}
	EXPECT_STATS_BASE(have_stats, base);
}

/* B's receive right queued in A, then A's sent to B: the chain closes. */
TEST(circular_chain)
{
	struct mstats base;
	int have_stats = warm_up(&base) == 0, len;

	for (len = 2; len <= 4; len++) {
		mach_port_t p[4];
		int i;

		for (i = 0; i < len; i++) {
			p[i] = new_port_send();
			ASSERT_TRUE(MACH_PORT_VALID(p[i]));
		}
		/* p[i+1] travels in p[i]'s queue: p[len-1] -> ... -> p[0] */
		for (i = 0; i + 1 < len; i++) {
			ASSERT_EQ(MACH_MSG_SUCCESS, send_receive_right(p[i], p[i + 1], i % 2));
			EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(p[i + 1]));
		}
		/* p[0] into the last one's queue: circular */
		EXPECT_EQ(MACH_MSG_SUCCESS, send_receive_right(p[len - 1], p[0], len % 2));
		for (i = 0; i < len; i++)
			EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(p[i])) TH_LOG("chain %d port %d", len, i);
		for (i = 0; i < len; i++)
			drop_name(p[i]);
	}
	/* control: not circular when the chain does not contain the destination */
	{
		mach_port_t a = new_port_send(), b2 = new_port_send(), c = new_port_send();
		struct big_rcv b;

		ASSERT_EQ(MACH_MSG_SUCCESS, send_receive_right(a, b2, 0));
		ASSERT_EQ(MACH_MSG_SUCCESS, send_receive_right(c, a, 0));
		EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(a));
		ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
		EXPECT_EQ(a, msg_desc(&b.hdr, 0)->port.name);
		EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, ptype(a));
		EXPECT_EQ(1, msgcount(a));
		drop_name(a);
		drop_name(b2);
		drop_name(c);
	}
	EXPECT_STATS_BASE(have_stats, base);
}

/* ------------------------------------------------------------------------
 * Receive-side errors (§1.5)
 */
TEST(rcv_too_large_discards_everything)
{
	struct mstats base;
	int have_stats = warm_up(&base) == 0, i;
	mach_port_t p = new_port(), n = new_port(), r2 = new_port(), x = new_port_send();
	mach_port_t v = new_port_send(), xarr[1];
	uint8_t *page = map_pages(1);
	struct {
		mach_msg_header_t hdr;
		mach_msg_seqno_trailer_t tr;
	} small;
	mach_port_status_t st;
	struct cmsg m;

	ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(n) && MACH_PORT_VALID(r2) &&
		    MACH_PORT_VALID(x) && MACH_PORT_VALID(v));
	ASSERT_NE(MAP_FAILED, page);
	xarr[0] = x;
	/* v's queue holds a message with a send-once right to n */
	cm_init(&m, v, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
	cm_port(&m, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));

	cm_init(&m, p, MACH_MSG_TYPE_MAKE_SEND, r2, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x1234);
	cm_port(&m, n, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cm_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE);
	cm_ool(&m, page, (mach_msg_size_t)PAGE_SZ, MACH_MSG_VIRTUAL_COPY, 0);
	cm_ool_ports(&m, xarr, 1, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	EXPECT_EQ(2, srights(x));
	EXPECT_EQ(2, sorights(n));

	memset(&small, 0xee, sizeof(small));
	ASSERT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&small.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
			   0, sizeof(small), p, LONG_TIMEOUT_MS, MACH_PORT_NULL));
	EXPECT_EQ(sizeof(mach_msg_header_t), small.hdr.msgh_size);
	EXPECT_EQ(0x1234, small.hdr.msgh_id);
	EXPECT_EQ(p, small.hdr.msgh_local_port);
	EXPECT_EQ(MACH_PORT_NULL, small.hdr.msgh_remote_port);
	EXPECT_EQ(0, small.tr.msgh_seqno);
	/* everything the message held is released */
	ASSERT_EQ(KERN_SUCCESS, port_status(p, &st));
	EXPECT_EQ(0, st.mps_msgcount);
	EXPECT_EQ(1, st.mps_seqno);
	EXPECT_EQ(1, srights(x));
	expect_send_once_notification(_metadata, r2);
	for (i = 0; i < 2; i++)	/* the descriptor's, and the one queued in v */
		expect_send_once_notification(_metadata, n);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, poll_empty(n));
	EXPECT_EQ(0, sorights(n));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, ptype(v));

	drop_name(p);
	drop_name(n);
	drop_name(r2);
	drop_name(x);
	drop_name(v);
	munmap(page, PAGE_SZ);
	EXPECT_STATS_BASE(have_stats, base);
}

/*
 * §1.5: when the user buffer is unwritable the receive reports
 * MACH_RCV_INVALID_DATA; the message is consumed and its rights are in the
 * space already; closing the space releases everything.
 */
TEST(rcv_invalid_data_keeps_rights_in_space)
{
	struct mstats base, now;
	int have_stats = read_stats(&base) == 0;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_t p = new_port(), x = new_port_send(), v = new_port(), xarr[2];
		uint8_t *page = map_pages(1), *ro = map_pages(1);
		struct cmsg m;

		ASSERT_TRUE(MACH_PORT_VALID(p) && MACH_PORT_VALID(x) && MACH_PORT_VALID(v));
		ASSERT_NE(MAP_FAILED, page);
		ASSERT_NE(MAP_FAILED, ro);
		xarr[0] = xarr[1] = x;
		cm_init(&m, p, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 5);
		cm_port(&m, x, MACH_MSG_TYPE_COPY_SEND);
		cm_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE);
		cm_ool(&m, page, (mach_msg_size_t)PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0);
		cm_ool_ports(&m, xarr, 2, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, 0);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
		ASSERT_EQ(0, mprotect(ro, PAGE_SZ, PROT_READ));
		EXPECT_EQ(MACH_RCV_INVALID_DATA,
			  mach_msg((mach_msg_header_t *)ro, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
				   (mach_msg_size_t)PAGE_SZ, p, LONG_TIMEOUT_MS, MACH_PORT_NULL));
		EXPECT_EQ(0, msgcount(p));
		/* the send rights were copied out under x already: 1 + 3 urefs */
		EXPECT_EQ(4, urefs(x, MACH_PORT_RIGHT_SEND));
		CHILD_EXIT();
	}
	ASSERT_EQ(0, wait_child(pid));
	if (have_stats)
		EXPECT_EQ(0, stats_wait_equal(&base, &now, 3000))
			TH_LOG("base " STATS_FMT " now " STATS_FMT, STATS_ARGS(&base), STATS_ARGS(&now));
}

/* ------------------------------------------------------------------------
 * Caps (module parameters max_ool_size and max_port_bytes)
 */
static unsigned long read_param(const char *name, unsigned long dflt)
{
	char path[128], buf[64];
	unsigned long v = dflt;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/mach/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fgets(buf, sizeof(buf), f))
		v = strtoul(buf, NULL, 0);
	fclose(f);
	return v;
}

/* More out-of-line bytes than max_ool_size in one message: MACH_MSG_VM_KERNEL, a body error. */
TEST(cap_ool_size_vm_kernel)
{
	unsigned long cap = read_param("max_ool_size", 128UL << 20);
	size_t size = cap + (1UL << 20);
	mach_port_t d = new_port_send(), rp = new_port();
	uint8_t *region;
	struct cmsg m;

	if (cap > (1UL << 30))
		SKIP(return, "max_ool_size %lu is too large to test here", cap);
	ASSERT_TRUE(MACH_PORT_VALID(d) && MACH_PORT_VALID(rp));
	/* never touched: the cap is checked before anything is copied */
	region = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, region);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, d, MACH_PORT_RIGHT_SEND, 1));

	cm_init(&m, d, MACH_MSG_TYPE_MOVE_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1);
	cm_ool(&m, region, (mach_msg_size_t)size, MACH_MSG_PHYSICAL_COPY, 0);
	EXPECT_EQ(MACH_MSG_VM_KERNEL, cm_send(&m, 0, 0));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_SEND));
	expect_send_once_notification(_metadata, rp);

	/* the cap is per message: two descriptors that add up past it */
	cm_init(&m, d, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2);
	cm_ool(&m, region, (mach_msg_size_t)(cap / 2), MACH_MSG_PHYSICAL_COPY, 0);
	cm_ool(&m, region, (mach_msg_size_t)(cap / 2 + (1UL << 20)), MACH_MSG_PHYSICAL_COPY, 0);
	EXPECT_EQ(MACH_MSG_VM_KERNEL, cm_send(&m, 0, 0));
	EXPECT_EQ(0, msgcount(d));
	EXPECT_EQ(1, urefs(d, MACH_PORT_RIGHT_SEND));
	munmap(region, size);
	drop_name(d);
	drop_name(rp);
}

/*
 * Queued bytes per port (inline + out-of-line) capped by max_port_bytes:
 * 100 MiB messages to a port with qlimit 1024 until the cap is hit, then
 * MACH_SEND_NO_BUFFER with the message handed back (pseudo-receive, §1.4).
 */
TEST(cap_port_bytes_no_buffer)
{
	const size_t chunk = 100UL << 20;
	unsigned long cap = read_param("max_port_bytes", 256UL << 20);
	mach_port_t p = new_port_send();
	uint8_t *src;
	unsigned long queued = 0;
	unsigned int sent = 0, expect_ok;
	mach_msg_ool_descriptor_t *od;
	struct big_rcv b;
	struct cmsg m;

	if (cap / chunk > 4)
		SKIP(return, "max_port_bytes %lu needs too much memory to fill", cap);
	ASSERT_TRUE(MACH_PORT_VALID(p));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, MACH_PORT_QLIMIT_LARGE));
	src = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, src);
	memset(src, 0x6b, chunk);
	src[0] = 0x11;
	src[chunk - 1] = 0x22;

	/* the first message is always taken; then while the total fits */
	for (expect_ok = 1; (expect_ok + 1) * (chunk + 64) <= cap; expect_ok++)
		;
	for (;;) {
		mach_msg_return_t mr;

		cm_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, (mach_msg_id_t)sent);
		cm_ool(&m, src, (mach_msg_size_t)chunk, MACH_MSG_PHYSICAL_COPY, 0);
		mr = cm_send(&m, 0, 0);
		if (mr != MACH_MSG_SUCCESS) {
			EXPECT_EQ(MACH_SEND_NO_BUFFER, mr);
			break;
		}
		queued += chunk;
		ASSERT_LT(++sent, 6);
	}
	EXPECT_EQ(expect_ok, sent);
	/* handed back with its memory reinstalled */
	od = &msg_desc(&m.hdr, 0)->out_of_line;
	ASSERT_NE(NULL, od->address);
	EXPECT_EQ(chunk, od->size);
	EXPECT_EQ(0x11, ((uint8_t *)od->address)[0]);
	EXPECT_EQ(0x22, ((uint8_t *)od->address)[chunk - 1]);
	vm_deallocate(TASK, (vm_address_t)od->address, od->size);
	EXPECT_EQ(sent, msgcount(p));

	/* one received: room again */
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(p, &b, 0, LONG_TIMEOUT_MS));
	od = &msg_desc(&b.hdr, 0)->out_of_line;
	ASSERT_EQ(chunk, od->size);
	EXPECT_EQ(0x11, ((uint8_t *)od->address)[0]);
	EXPECT_EQ(0x22, ((uint8_t *)od->address)[chunk - 1]);
	vm_deallocate(TASK, (vm_address_t)od->address, od->size);
	cm_init(&m, p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 99);
	cm_ool(&m, src, (mach_msg_size_t)chunk, MACH_MSG_PHYSICAL_COPY, 0);
	EXPECT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	munmap(src, chunk);
	(void)queued;
	drop_name(p);
}

/* ------------------------------------------------------------------------
 * libmach: mach_msg_destroy of a received complex message
 */
TEST(mach_msg_destroy_releases_everything)
{
	struct mstats base;
	int have_stats = warm_up(&base) == 0;
	mach_port_t c = new_port(), s = new_port_send(), z = new_port(), v = new_port();
	mach_port_t y = new_port(), r = new_port(), yarr[2], *names;
	uint8_t *page = map_pages(2);
	void *ool, *arr;
	struct big_rcv b;
	struct cmsg m;

	ASSERT_TRUE(MACH_PORT_VALID(c) && MACH_PORT_VALID(s) && MACH_PORT_VALID(z) &&
		    MACH_PORT_VALID(v) && MACH_PORT_VALID(y) && MACH_PORT_VALID(r));
	ASSERT_NE(MAP_FAILED, page);
	fill_pattern(page, 2 * PAGE_SZ, 9);
	yarr[0] = yarr[1] = y;
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, s, MACH_PORT_RIGHT_SEND, 1));

	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x4d);
	cm_port(&m, s, MACH_MSG_TYPE_MOVE_SEND);
	cm_port(&m, z, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cm_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE);
	cm_ool(&m, page + 10, (mach_msg_size_t)PAGE_SZ, MACH_MSG_VIRTUAL_COPY, 0);
	cm_ool_ports(&m, yarr, 2, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_PHYSICAL_COPY, 0);
	ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, big_recv(c, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(5, msg_desc_count(&b.hdr));
	EXPECT_EQ(2, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2, urefs(y, MACH_PORT_RIGHT_SEND));
	ool = msg_desc(&b.hdr, 3)->out_of_line.address;
	arr = msg_desc(&b.hdr, 4)->ool_ports.address;
	names = arr;
	ASSERT_NE(NULL, ool);
	ASSERT_NE(NULL, arr);
	EXPECT_EQ(y, names[0]);
	EXPECT_EQ(1, (unsigned int)msg_desc(&b.hdr, 3)->out_of_line.deallocate);

	mach_msg_destroy(&b.hdr);
	EXPECT_EQ(1, urefs(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, ptype(y));
	EXPECT_EQ(0, srights(y));
	expect_send_once_notification(_metadata, z);
	expect_send_once_notification(_metadata, r);
	EXPECT_EQ(0, range_mapped(ool, PAGE_SZ));
	EXPECT_EQ(0, range_mapped(arr, 2 * sizeof(mach_port_t)));
	EXPECT_EQ(0, check_pattern(page, 2 * PAGE_SZ, 9));

	drop_name(c);
	drop_name(s);
	drop_name(z);
	drop_name(y);
	drop_name(r);
	munmap(page, 2 * PAGE_SZ);
	EXPECT_STATS_BASE(have_stats, base);
}

/* ------------------------------------------------------------------------
 * Received ranges behave as anonymous memory (issue 16: the receiver's
 * pages are the send-time snapshot's own pages, inserted into its mapping).
 * XNU's vm_map_copyout hands the receiver ordinary private memory of its
 * map: any VM call works on it, and its copy-on-write copy is private to
 * each task after a fork.
 */

static long live_ool_cached(void)
{
	return LIVE_STAT(ool_cached);
}

/* Send [buf, buf+size) to c and receive it; the received descriptor in *od. */
static mach_msg_return_t ool_roundtrip(mach_port_t c, const void *buf, size_t size,
				       unsigned int copy, unsigned int dealloc,
				       mach_msg_ool_descriptor_t *od)
{
	struct big_rcv b;
	struct cmsg m;
	mach_msg_return_t mr;

	cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 77);
	cm_ool(&m, buf, (mach_msg_size_t)size, copy, dealloc);
	mr = cm_send(&m, 0, 0);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = big_recv(c, &b, 0, LONG_TIMEOUT_MS);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (msg_desc_count(&b.hdr) != 1)
		return MACH_RCV_INVALID_DATA;
	*od = msg_desc(&b.hdr, 0)->out_of_line;
	return MACH_MSG_SUCCESS;
}

static int all_bytes(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

/*
 * The pages the receiver gets hold the data and zeroes, nothing else: the
 * bytes before a virtual copy's offset and after the end are zero.
 */
TEST(ool_received_pages_hold_only_the_data)
{
	mach_port_t c = new_port();
	unsigned int copy;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	for (copy = 0; copy < 2; copy++) {
		uint8_t *region = map_pages(2), *buf = region + 100, *page;
		mach_msg_ool_descriptor_t od;
		size_t pgoff = copy == MACH_MSG_VIRTUAL_COPY ? 100 : 0;

		ASSERT_NE(MAP_FAILED, region);
		memset(region, 0xee, 2 * PAGE_SZ);
		fill_pattern(buf, PAGE_SZ, 3);
		ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, PAGE_SZ, copy, 0, &od));
		ASSERT_EQ(pgoff, (uintptr_t)od.address % PAGE_SZ);
		page = (uint8_t *)od.address - pgoff;
		EXPECT_EQ(1, all_bytes(page, pgoff, 0));
		EXPECT_EQ(0, check_pattern(od.address, PAGE_SZ, 3));
		/* the rest of the last page */
		EXPECT_EQ(1, all_bytes(page + pgoff + PAGE_SZ, pgoff ? PAGE_SZ - pgoff : 0, 0));
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)od.address, od.size));
		munmap(region, 2 * PAGE_SZ);
	}
	drop_name(c);
}

/* mprotect, madvise(MADV_DONTNEED), partial munmap and mremap on a received range. */
TEST(ool_received_range_vm_calls)
{
	const size_t npages = 8, size = npages * PAGE_SZ;
	mach_port_t c = new_port();
	mach_msg_ool_descriptor_t od;
	uint8_t *buf = map_pages(npages), *r, *moved;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, buf);
	fill_pattern(buf, size, 9);
	ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, size, MACH_MSG_PHYSICAL_COPY, 0, &od));
	r = od.address;
	ASSERT_EQ(0, check_pattern(r, size, 9));

	/* read-only and back: the data stays, writes work again */
	ASSERT_EQ(0, mprotect(r, size, PROT_READ));
	EXPECT_EQ(0, check_pattern(r, size, 9));
	ASSERT_EQ(0, mprotect(r, size, PROT_READ | PROT_WRITE));
	r[0] ^= 0xff;
	r[0] ^= 0xff;
	EXPECT_EQ(0, check_pattern(r, size, 9));
	/* PROT_NONE on one page splits the range; the rest stays readable */
	ASSERT_EQ(0, mprotect(r + PAGE_SZ, PAGE_SZ, PROT_NONE));
	EXPECT_EQ(0, memcmp(r + 2 * PAGE_SZ, buf + 2 * PAGE_SZ, size - 2 * PAGE_SZ));
	ASSERT_EQ(0, mprotect(r + PAGE_SZ, PAGE_SZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(0, check_pattern(r, size, 9));

	/*
	 * MADV_DONTNEED: the page reads back as zeroes and is writable, the
	 * others keep the data (kernels without CONFIG_ADVISE_SYSCALLS: ENOSYS)
	 */
	if (madvise(r + 2 * PAGE_SZ, PAGE_SZ, MADV_DONTNEED) == 0) {
		EXPECT_EQ(1, all_bytes(r + 2 * PAGE_SZ, PAGE_SZ, 0));
		memset(r + 2 * PAGE_SZ, 0x42, PAGE_SZ);
		EXPECT_EQ(1, all_bytes(r + 2 * PAGE_SZ, PAGE_SZ, 0x42));
	} else {
		EXPECT_EQ(ENOSYS, errno) TH_LOG("madvise: %s", strerror(errno));
	}
	EXPECT_EQ(0, check_pattern(r, 2 * PAGE_SZ, 9));
	EXPECT_EQ(0, memcmp(r + 3 * PAGE_SZ, buf + 3 * PAGE_SZ, size - 3 * PAGE_SZ));

	/* munmap of one page in the middle */
	ASSERT_EQ(0, munmap(r + 3 * PAGE_SZ, PAGE_SZ));
	EXPECT_EQ(0, range_mapped(r + 3 * PAGE_SZ, PAGE_SZ));
	EXPECT_EQ(0, memcmp(r + 4 * PAGE_SZ, buf + 4 * PAGE_SZ, size - 4 * PAGE_SZ));

	/* mremap the tail (4 pages) to a larger, moved range: data moves, growth is zero */
	moved = mremap(r + 4 * PAGE_SZ, 4 * PAGE_SZ, 6 * PAGE_SZ, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, moved);
	EXPECT_EQ(0, memcmp(moved, buf + 4 * PAGE_SZ, 4 * PAGE_SZ));
	EXPECT_EQ(1, all_bytes(moved + 4 * PAGE_SZ, 2 * PAGE_SZ, 0));
	memset(moved + 4 * PAGE_SZ, 0x17, 2 * PAGE_SZ);
	EXPECT_EQ(1, all_bytes(moved + 4 * PAGE_SZ, 2 * PAGE_SZ, 0x17));

	/* mach_vm_deallocate of what is left */
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)r, 3 * PAGE_SZ));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)moved, 6 * PAGE_SZ));
	EXPECT_EQ(0, range_mapped(r, 3 * PAGE_SZ));
	EXPECT_EQ(0, range_mapped(moved, 6 * PAGE_SZ));
	/* the sender's buffer never changed */
	EXPECT_EQ(0, check_pattern(buf, size, 9));
	munmap(buf, size);
	drop_name(c);
}

/*
 * Where a received range is not anonymous memory (docs/semantics.md):
 * MADV_FREE is refused.  mprotect(PROT_EXEC) works as on anonymous memory.
 */
TEST(ool_received_range_deviations)
{
	mach_port_t c = new_port();
	mach_msg_ool_descriptor_t od;
	uint8_t *buf = map_pages(1);
	int rc, err;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, buf);
	fill_pattern(buf, PAGE_SZ, 4);
	ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0, &od));
	/* as anonymous memory, it can be made executable */
	EXPECT_EQ(0, mprotect(od.address, PAGE_SZ, PROT_READ | PROT_EXEC));
	EXPECT_EQ(0, check_pattern(od.address, PAGE_SZ, 4));
	rc = madvise(od.address, PAGE_SZ, MADV_FREE);
	err = errno;
	EXPECT_EQ(-1, rc);
	/* ENOSYS: a kernel without CONFIG_ADVISE_SYSCALLS */
	EXPECT_TRUE(err == EINVAL || err == ENOSYS) TH_LOG("madvise: %s", strerror(err));
	EXPECT_EQ(0, check_pattern(od.address, PAGE_SZ, 4));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)od.address, od.size));
	munmap(buf, PAGE_SZ);
	drop_name(c);
}

/*
 * A fork after the receive: parent and child each see their own copy (the
 * received pages are copy-on-write for both), whoever writes first.
 */
TEST(ool_fork_after_receive)
{
	const size_t size = 4 * PAGE_SZ + 10;
	mach_port_t c = new_port();
	mach_msg_ool_descriptor_t od;
	uint8_t *buf = map_pages(5), *r;
	int go[2], done[2], status;
	char x = 0;
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, buf);
	fill_pattern(buf, size, 21);
	ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, size, MACH_MSG_VIRTUAL_COPY, 0, &od));
	r = od.address;
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int bad = 0;

		/* the parent has written page 0 */
		if (read(go[0], &x, 1) != 1)
			_exit(2);
		bad |= check_pattern(r, size, 21) != 0;
		/* the child's writes stay in the child */
		memset(r + PAGE_SZ, 0x66, PAGE_SZ);
		bad |= !all_bytes(r + PAGE_SZ, PAGE_SZ, 0x66);
		if (write(done[1], &x, 1) != 1)
			_exit(2);
		_exit(bad);
	}
	memset(r, 0x55, PAGE_SZ);
	ASSERT_EQ(1, write(go[1], &x, 1));
	ASSERT_EQ(1, read(done[0], &x, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x", status);
	EXPECT_EQ(1, all_bytes(r, PAGE_SZ, 0x55));
	EXPECT_EQ(0, memcmp(r + PAGE_SZ, buf + PAGE_SZ, size - PAGE_SZ));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)r, od.size));
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	munmap(buf, 5 * PAGE_SZ);
	drop_name(c);
}

/*
 * Large and unaligned ranges, with and without deallocate: data, offset
 * (virtual copy) and size arrive intact, and the sender's buffer is
 * unchanged when it keeps it.
 */
TEST(ool_large_unaligned)
{
	static const struct { size_t off, size; } cases[] = {
		{ 777, (4u << 20) + 12345 }, { 4095, (1u << 20) + 1 }, { 1, 3 * 4096 },
	};
	mach_port_t c = new_port();
	unsigned int k, copy, dealloc;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	for (copy = 0; copy < 2; copy++)
	for (dealloc = 0; dealloc < 2; dealloc++) {
		size_t off = cases[k].off, size = cases[k].size;
		size_t npages = (off + size + PAGE_SZ - 1) / PAGE_SZ;
		uint8_t *region = map_pages(npages), *buf = region + off;
		uint32_t seed = 60 + k * 4 + copy * 2 + dealloc;
		mach_msg_ool_descriptor_t od;

		ASSERT_NE(MAP_FAILED, region);
		fill_pattern(buf, size, seed);
		ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, size, copy, dealloc, &od))
			TH_LOG("off %zu size %zu copy %u dealloc %u", off, size, copy, dealloc);
		EXPECT_EQ(size, od.size);
		EXPECT_EQ(copy == MACH_MSG_VIRTUAL_COPY ? off : 0, (uintptr_t)od.address % PAGE_SZ);
		EXPECT_EQ(0, check_pattern(od.address, size, seed));
		/* (a deallocated range may be where the receive mapped its copy) */
		if (!dealloc)
			EXPECT_EQ(0, check_pattern(buf, size, seed));
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)od.address, od.size));
		if (!dealloc)
			munmap(region, npages * PAGE_SZ);
	}
	drop_name(c);
}

/*
 * The snapshot's pages are live objects (ool_pages) from send until the
 * receive maps them or the message is destroyed unreceived.
 */
TEST(ool_pages_counter_back_to_base)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t c = new_port();
	mach_msg_ool_descriptor_t od;
	uint8_t *buf = map_pages(4);
	struct cmsg m;
	int i;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, buf);
	fill_pattern(buf, 4 * PAGE_SZ, 5);
	ASSERT_EQ(MACH_MSG_SUCCESS, ool_roundtrip(c, buf, 3 * PAGE_SZ + 1, MACH_MSG_VIRTUAL_COPY,
						  0, &od));
	if (have)
		EXPECT_EQ(base.ool_pages, LIVE_STAT(ool_pages));
	for (i = 0; i < 3; i++) {
		cm_init(&m, c, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
		cm_ool(&m, buf + 100, 3 * PAGE_SZ, MACH_MSG_VIRTUAL_COPY, 0);
		ASSERT_EQ(MACH_MSG_SUCCESS, cm_send(&m, 0, 0));
	}
	if (have)
		EXPECT_EQ(base.ool_pages + 3 * 4, LIVE_STAT(ool_pages));
	/* destroyed unreceived with the port; the received range outlives the message */
	drop_name(c);
	EXPECT_EQ(0, check_pattern(od.address, 3 * PAGE_SZ + 1, 5));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(TASK, (vm_address_t)od.address, od.size));
	munmap(buf, 4 * PAGE_SZ);
	EXPECT_STATS_BASE(have, base);
}

/*
 * The pages a space keeps for reuse (ool_cached) go with the space; a page
 * is reused only once its receiver has unmapped it, so a range still
 * mapped keeps its data while the sender sends more.
 */
TEST(ool_cached_pages_go_with_the_space)
{
	struct mstats base;
	int have = stats_warm_base(&base), status, i;
	mach_port_t c = new_port();
	mach_msg_ool_descriptor_t od[4];
	uint8_t *buf = map_pages(2);
	pid_t pid;

	ASSERT_TRUE(MACH_PORT_VALID(c));
	ASSERT_NE(MAP_FAILED, buf);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int bad = 0;

		/* the child's own space and port (libmach's fork handler) */
		c = new_port();
		if (!MACH_PORT_VALID(c))
			_exit(3);
		/* keep every received range while sending more with the same buffer */
		for (i = 0; i < 4; i++) {
			fill_pattern(buf, 2 * PAGE_SZ, 90 + i);
			bad |= ool_roundtrip(c, buf, 2 * PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0,
					     &od[i]) != MACH_MSG_SUCCESS;
		}
		for (i = 0; i < 4; i++)
			bad |= check_pattern(od[i].address, 2 * PAGE_SZ, 90 + i) != 0;
		/* now free them and send again: the freed pages come back */
		for (i = 0; i < 4; i++)
			vm_deallocate(TASK, (vm_address_t)od[i].address, od[i].size);
		for (i = 0; i < 4; i++) {
			fill_pattern(buf, 2 * PAGE_SZ, 95 + i);
			bad |= ool_roundtrip(c, buf, 2 * PAGE_SZ, MACH_MSG_PHYSICAL_COPY, 0,
					     &od[i]) != MACH_MSG_SUCCESS;
		}
		for (i = 0; i < 4; i++)
			bad |= check_pattern(od[i].address, 2 * PAGE_SZ, 95 + i) != 0;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x", status);
	if (have)
		EXPECT_EQ(0, live_back_to(live_ool_cached, base.ool_cached, 3000));
	munmap(buf, 2 * PAGE_SZ);
	drop_name(c);
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
