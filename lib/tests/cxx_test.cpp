// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// Tests of <mach/mach.hpp>, the C++ layer over libmach, against mach.ko:
// the RAII rights release exactly once and move, error codes print
// Darwin's names, the builder lays a message out as a hand-built one, and
// messages with inline data, ports and out-of-line memory go through the
// builder and the reader (one process, across fork, through serve()) with
// nothing leaked or released twice.  KTAP output; exit 4 without /dev/mach.
#include <mach/mach.hpp>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <thread>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

std::atomic<int> failures;

#define CHECK(cond) do {								\
	if (!(cond)) {									\
		failures++;								\
		std::printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);	\
	}										\
} while (0)

#define CHECK_EQ(got, want) do {							\
	const auto g_ = (got);								\
	const auto w_ = (want);								\
	if (!(g_ == w_)) {								\
		failures++;								\
		std::printf("# %s:%d: %s == 0x%llx, want 0x%llx\n", __FILE__, __LINE__,	\
			    #got, static_cast<unsigned long long>(g_),			\
			    static_cast<unsigned long long>(w_));				\
	}										\
} while (0)

#define CHECK_STR(got, want) do {							\
	const std::string g_ = (got);							\
	const std::string_view w_ = (want);						\
	if (g_ != w_) {									\
		failures++;								\
		std::printf("# %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,	\
			    g_.c_str(), std::string(w_).c_str());			\
	}										\
} while (0)

// The type of name, 0 when the name means nothing.
mach_port_type_t type_of(mach_port_name_t name)
{
	auto t = mach::port_type(name);
	return t ? *t : 0;
}

// urefs of one kind of right, ~0 when the call fails.
mach_port_urefs_t refs(mach_port_name_t name, mach_port_right_t kind)
{
	auto r = mach::port_refs(name, kind);
	return r ? *r : ~0U;
}

unsigned name_count()
{
	mach_port_name_array_t names = nullptr;
	mach_port_type_array_t types = nullptr;
	mach_msg_type_number_t n = 0, tn = 0;
	if (mach_port_names(mach_task_self(), &names, &n, &types, &tn) != KERN_SUCCESS)
		return ~0U;
	mach::vm_buffer a(names, n * sizeof(*names)), b(types, tn * sizeof(*types));
	return n;
}

bool mapped(const void *addr)
{
	unsigned char v;
	auto page = reinterpret_cast<std::uintptr_t>(addr) & ~(std::uintptr_t)(getpagesize() - 1);
	return mincore(reinterpret_cast<void *>(page), 1, &v) == 0;
}

mach::receive_right new_port()
{
	auto r = mach::receive_right::allocate();
	CHECK(r);
	return r ? std::move(r).value() : mach::receive_right();
}

mach_port_status_t status(const mach::receive_right &r)
{
	auto s = r.status();
	CHECK(s);
	return s ? *s : mach_port_status_t{};
}

// A destroyed send-once right sends its port one MACH_NOTIFY_SEND_ONCE,
// carried by the right itself (it counts in mps_sorights until received).
void expect_one_send_once_notification(const mach::receive_right &port)
{
	mach::message_storage<256> buf;
	auto m = mach::receive(port.get(), buf, {.timeout = 0ms});
	CHECK(m && m->id() == MACH_NOTIFY_SEND_ONCE);
	m = mach::receive(port.get(), buf, {.timeout = 0ms});
	CHECK(m.error() == mach::msg_errc::rcv_timed_out);
	CHECK_EQ(status(port).mps_sorights, 0u);
}

// ---- compile-time properties ------------------------------------------

template <mach_msg_type_name_t D>
concept valid_ref = requires { typename mach::port_ref<D>; };
static_assert(valid_ref<MACH_MSG_TYPE_COPY_SEND>);
static_assert(valid_ref<MACH_MSG_TYPE_MAKE_SEND>);
static_assert(valid_ref<MACH_MSG_TYPE_MAKE_SEND_ONCE>);
static_assert(!valid_ref<MACH_MSG_TYPE_MOVE_RECEIVE>);
static_assert(!valid_ref<MACH_MSG_TYPE_MOVE_SEND>);
static_assert(!valid_ref<MACH_MSG_TYPE_COPY_RECEIVE>);

template <class R>
concept can_port = requires(mach::message_builder &b, R &&r) { b.port(std::forward<R>(r)); };
template <class R>
concept can_remote = requires(mach::message_builder &b, R &&r) { b.remote(std::forward<R>(r)); };
static_assert(can_port<mach::receive_right>);
static_assert(can_port<mach::send_once_right>);
static_assert(!can_port<const mach::send_right &>);	// owned rights are moved, not copied
static_assert(!can_port<mach_port_name_t>);		// raw names need a disposition
static_assert(can_remote<mach::send_right>);
static_assert(can_remote<mach::reply_right>);
static_assert(!can_remote<mach::receive_right>);	// a destination is a send right
static_assert(!can_remote<mach::port_set>);

template <class T>
constexpr bool move_only = !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
			   std::is_nothrow_move_constructible_v<T> &&
			   std::is_nothrow_move_assignable_v<T>;
static_assert(move_only<mach::receive_right> && move_only<mach::send_right> &&
	      move_only<mach::send_once_right> && move_only<mach::port_set> &&
	      move_only<mach::dead_name> && move_only<mach::reply_right> &&
	      move_only<mach::vm_buffer> && move_only<mach::message_reader>);
static_assert(sizeof(mach::send_right) == sizeof(mach_port_name_t));

static_assert(std::string_view(mach::error_name(KERN_INVALID_RIGHT)) == "KERN_INVALID_RIGHT");
static_assert(std::string_view(mach::error_name(MACH_RCV_PORT_DIED | MACH_MSG_IPC_KERNEL)) ==
	      "MACH_RCV_PORT_DIED");
static_assert(mach::error_name(12345) == nullptr);

// ---- tests -----------------------------------------------------------------

void test_error_codes()
{
	std::error_code ec = mach::kern_errc::invalid_right;
	CHECK(ec.category() == mach::mach_category());
	CHECK_STR(ec.category().name(), "mach");
	CHECK_EQ(ec.value(), KERN_INVALID_RIGHT);
	CHECK_STR(ec.message(), "KERN_INVALID_RIGHT: (os/kern) invalid right");

	ec = mach::make_error(MACH_SEND_INVALID_DEST);
	CHECK(ec == mach::msg_errc::send_invalid_dest);
	CHECK(ec != mach::kern_errc::invalid_right);
	CHECK_STR(ec.message(), "MACH_SEND_INVALID_DEST: (ipc/send) invalid destination port");
	CHECK_STR(mach::make_error(MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE).message(),
		  "MACH_RCV_BODY_ERROR|MACH_MSG_IPC_SPACE: (ipc/rcv) body error");
	CHECK_STR(std::error_code(mach::mig_errc::bad_id).message(),
		  "MIG_BAD_ID: (ipc/mig) bad request message ID");
	CHECK_STR(mach::make_error(KERN_NOT_FOUND + 1).message(), "0x39: unknown error code");

	CHECK(!mach::make_error(KERN_SUCCESS));
	CHECK(mach::make_error(MACH_RCV_TIMED_OUT) == std::errc::timed_out);
	CHECK(mach::make_error(MACH_SEND_TIMED_OUT) == std::errc::timed_out);
	CHECK(mach::make_error(KERN_INVALID_ARGUMENT) == std::errc::invalid_argument);
	CHECK(mach::make_error(MACH_RCV_INTERRUPTED) == std::errc::interrupted);
	CHECK(mach::make_error(KERN_INVALID_NAME) != std::errc::invalid_argument);

	mach::result<int> good = 5, bad = mach::kern_errc::no_space;
	CHECK(good && *good == 5 && !good.error());
	CHECK(!bad && bad.error() == mach::kern_errc::no_space);
	mach::result<int> empty_error = std::error_code();	// an error is never "success"
	CHECK(!empty_error && empty_error.error() == mach::kern_errc::failure);
	CHECK_EQ(std::move(bad).value_or(9), 9);

	// Calls on rights that do not exist report through the category.
	mach::port_set none;
	auto members = none.members();
	CHECK(!members && members.error().category() == mach::mach_category());
}

void test_receive_right()
{
	mach_port_name_t name;
	{
		auto r = mach::receive_right::allocate();
		CHECK(r && r->valid());
		name = r->get();
		CHECK_EQ(type_of(name), MACH_PORT_TYPE_RECEIVE);
		CHECK_EQ(refs(name, MACH_PORT_RIGHT_RECEIVE), 1u);
	}
	CHECK_EQ(type_of(name), 0u);

	mach_port_options_t opts{};
	opts.flags = MPO_QLIMIT;
	opts.mpl.mpl_qlimit = 3;
	auto c = mach::receive_right::construct(opts, 0x1234);
	CHECK(c);
	if (c)
		CHECK_EQ(status(*c).mps_qlimit, 3u);
	opts.flags = MPO_INSERT_SEND_RIGHT;
	CHECK(mach::receive_right::construct(opts).error() == mach::kern_errc::invalid_argument);
}

void test_send_right()
{
	auto port = new_port();
	const mach_port_name_t n = port.get();
	{
		auto s = port.make_send();
		CHECK(s && s->get() == n);
		CHECK_EQ(type_of(n), MACH_PORT_TYPE_SEND_RECEIVE);
		CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 1u);
		{
			auto c = s->copy();
			CHECK(c && c->get() == n);
			CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 2u);
		}
		CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 1u);
	}
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 0u);
	CHECK_EQ(type_of(n), MACH_PORT_TYPE_RECEIVE);

	// Its port dies: the send right becomes a dead name, released the same way.
	auto s = port.make_send();
	CHECK(s);
	port.reset();
	CHECK_EQ(type_of(n), MACH_PORT_TYPE_DEAD_NAME);
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_DEAD_NAME), 1u);
	s->reset();
	CHECK_EQ(type_of(n), 0u);
}

void test_send_once_right()
{
	auto port = new_port();
	mach_port_name_t so_name;
	{
		auto so = port.make_send_once();
		CHECK(so && so->valid() && so->get() != port.get());
		so_name = so->get();
		CHECK_EQ(type_of(so_name), MACH_PORT_TYPE_SEND_ONCE);
		CHECK_EQ(status(port).mps_sorights, 1u);
	}
	CHECK_EQ(type_of(so_name), 0u);
	// Released exactly once: exactly one send-once notification.
	expect_one_send_once_notification(port);
}

void test_port_set_and_dead_name()
{
	auto set = mach::port_set::allocate();
	CHECK(set);
	if (!set)
		return;
	const mach_port_name_t sn = set->get();
	CHECK_EQ(type_of(sn), MACH_PORT_TYPE_PORT_SET);
	auto a = new_port(), b = new_port();
	CHECK(!set->insert(a));
	CHECK(!set->insert(b));
	CHECK(set->insert(a) == mach::kern_errc::already_in_set);
	auto members = set->members();
	CHECK(members && members->as<mach_port_name_t>().size() == 2);
	CHECK(!set->extract(a));
	CHECK(set->extract(a) == mach::kern_errc::not_in_set);
	members = set->members();
	CHECK(members && members->as<mach_port_name_t>().size() == 1 &&
	      members->as<mach_port_name_t>()[0] == b.get());

	// A message to a member is received on the set.
	mach::message_storage<256> sbuf, rbuf;
	mach::message_builder m(sbuf);
	m.id(3).remote(mach::make_send(b));
	CHECK(!m.send());
	auto got = mach::receive(sn, rbuf, {.timeout = 1000ms});
	CHECK(got && got->id() == 3 && got->local_port() == b.get());

	set->reset();
	CHECK_EQ(type_of(sn), 0u);
	CHECK_EQ(type_of(b.get()), MACH_PORT_TYPE_RECEIVE);

	mach_port_name_t dn;
	{
		auto d = mach::dead_name::allocate();
		CHECK(d);
		dn = d->get();
		CHECK_EQ(type_of(dn), MACH_PORT_TYPE_DEAD_NAME);
		CHECK_EQ(refs(dn, MACH_PORT_RIGHT_DEAD_NAME), 1u);
	}
	CHECK_EQ(type_of(dn), 0u);
}

void test_moves()
{
	auto port = new_port();
	const mach_port_name_t n = port.get();
	auto s1 = *port.make_send();
	auto s2 = *s1.copy();
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 2u);

	mach::send_right m(std::move(s1));
	CHECK(!s1 && s1.get() == MACH_PORT_NULL);
	CHECK(m.get() == n);
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 2u);

	m = std::move(s2);	// the reference m held goes, s2's moves in
	CHECK(!s2);
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 1u);
	auto &alias = m;
	m = std::move(alias);	// self-move: nothing happens
	CHECK(m.get() == n);
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 1u);

	const mach_port_name_t raw = m.release();
	CHECK(!m && raw == n);
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 1u);
	m.reset(raw);	// adopt it back
	m = mach::send_right();
	CHECK_EQ(refs(n, MACH_PORT_RIGHT_SEND), 0u);

	auto other = new_port();
	const mach_port_name_t on = other.get();
	other = std::move(port);	// other's receive right is destroyed
	CHECK(!port && other.get() == n);
	CHECK_EQ(type_of(on), 0u);
	CHECK_EQ(type_of(n), MACH_PORT_TYPE_RECEIVE);

	auto third = new_port();
	const mach_port_name_t tn = third.get();
	swap(other, third);
	CHECK(other.get() == tn && third.get() == n);

	// vm_buffer and result<> move ownership the same way.
	auto buf = mach::vm_buffer::allocate(100);
	CHECK(buf && buf->size() == 100);
	mach::vm_buffer owner = std::move(buf).value();
	const void *addr = owner.data();
	CHECK(mapped(addr));
	mach::vm_buffer next(std::move(owner));
	CHECK(owner.empty() && next.data() == addr);
	next.reset();
	CHECK(!mapped(addr));
}

#pragma pack(push, 4)
struct hand_message {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t ool;
	std::uint32_t value;
	char text[6];
	char pad[2];
};
#pragma pack(pop)

void test_builder_layout()
{
	static const char ool_data[] = "out of line";
	const char text[6] = {'h', 'e', 'l', 'l', 'o', '!'};

	hand_message want;
	std::memset(&want, 0, sizeof(want));
	want.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
				MACH_MSGH_BITS_COMPLEX;
	want.header.msgh_size = sizeof(want);
	want.header.msgh_remote_port = 0x1103;
	want.header.msgh_local_port = 0x2207;
	want.header.msgh_id = 4711;
	want.body.msgh_descriptor_count = 2;
	want.port.name = 0x3303;
	want.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	want.port.type = MACH_MSG_PORT_DESCRIPTOR;
	want.ool.address = const_cast<char *>(ool_data);
	want.ool.size = sizeof(ool_data);
	want.ool.deallocate = false;
	want.ool.copy = MACH_MSG_VIRTUAL_COPY;
	want.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	want.value = 0xfeedf00d;
	std::memcpy(want.text, text, sizeof(text));
	static_assert(sizeof(hand_message) == 68);

	const auto ool = std::as_bytes(std::span(ool_data));
	const auto txt = std::as_bytes(std::span(text));
	const std::uint32_t value = 0xfeedf00d;

	// Descriptors first, then data.
	mach::message_storage<512> b1;
	std::memset(b1.bytes, 0xa5, sizeof(b1.bytes));
	mach::message_builder m1(b1);
	m1.id(4711)
		.remote(mach::copy_send(0x1103))
		.local(mach::port_ref<MACH_MSG_TYPE_MAKE_SEND_ONCE>{0x2207})
		.port(mach::port_ref<MACH_MSG_TYPE_MAKE_SEND>{0x3303})
		.ool(ool)
		.data(value)
		.bytes(txt);
	CHECK(!m1.error());
	auto v1 = m1.view();
	CHECK_EQ(v1.size(), sizeof(want));
	CHECK(v1.size() == sizeof(want) && std::memcmp(v1.data(), &want, sizeof(want)) == 0);

	// Data first, descriptors after: the same message.
	mach::message_storage<512> b2;
	std::memset(b2.bytes, 0x5a, sizeof(b2.bytes));
	mach::message_builder m2(b2);
	m2.data(value).bytes(txt).ool(ool).id(4711);
	m2.port(mach::port_ref<MACH_MSG_TYPE_MAKE_SEND>{0x3303});
	// The descriptor order is the order added: swap back by building anew.
	mach::message_storage<512> b3;
	mach::message_builder m3(b3);
	m3.data(value).bytes(txt).port(mach::port_ref<MACH_MSG_TYPE_MAKE_SEND>{0x3303}).ool(ool);
	m3.local(mach::port_ref<MACH_MSG_TYPE_MAKE_SEND_ONCE>{0x2207}).remote(mach::copy_send(0x1103)).id(4711);
	auto v3 = m3.view();
	CHECK(v3.size() == sizeof(want) && std::memcmp(v3.data(), &want, sizeof(want)) == 0);
	CHECK_EQ(m2.header().msgh_bits & MACH_MSGH_BITS_COMPLEX, MACH_MSGH_BITS_COMPLEX);

	// No descriptors: no body, not complex; the size is rounded to 4.
	mach::message_storage<128> b4;
	mach::message_builder m4(b4);
	m4.id(1).remote(mach::copy_send(0x1103)).bytes(std::as_bytes(std::span(text, 5)));
	const auto h4 = m4.header();
	CHECK_EQ(h4.msgh_bits, (unsigned)MACH_MSG_TYPE_COPY_SEND);
	CHECK_EQ(h4.msgh_size, sizeof(mach_msg_header_t) + 8);
	CHECK(m4.view()[sizeof(mach_msg_header_t) + 5] == std::byte{0});

	// Too much for the storage: a sticky error, nothing sent.
	mach::message_storage<128> b5;
	mach::message_builder m5(b5);
	char big[200] = {};
	m5.remote(mach::copy_send(0x1103)).bytes(std::as_bytes(std::span(big)));
	CHECK(m5.error() == mach::msg_errc::send_no_buffer);
	m5.id(2);
	CHECK(m5.send() == mach::msg_errc::send_no_buffer);
	CHECK(m5.view().empty());
	m5.reset();
	CHECK(!m5.error());

	// Misaligned storage is refused.
	alignas(8) std::byte raw[64];
	mach::message_builder m6(std::span(raw + 1, 60));
	CHECK(m6.error() == mach::kern_errc::invalid_argument);
}

struct payload {
	std::uint32_t a;
	std::uint64_t b;
	char tag[4];
};

void test_round_trip()
{
	auto port = new_port();
	auto extra = new_port();
	const unsigned names_before = name_count();

	auto memory = mach::vm_buffer::allocate(3 * 4096);
	CHECK(memory);
	if (!memory)
		return;
	for (std::size_t i = 0; i < memory->size(); i++)
		memory->data()[i] = std::byte(i * 7);
	const void *sent_addr = memory->data();
	static const char borrowed[] = "borrowed bytes, copied";
	const payload p{7, 0x1122334455667788ULL, {'a', 'b', 'c', 'd'}};

	mach::message_storage<1024> sbuf;
	{
		mach::message_builder m(sbuf);
		m.id(1234)
			.remote(*port.make_send())
			.port(*extra.make_send())
			.ool(std::move(memory).value())
			.ool(std::as_bytes(std::span(borrowed)), MACH_MSG_PHYSICAL_COPY)
			.data(p);
		CHECK(!m.error());
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 1u);
		auto ec = m.send();
		CHECK(!ec);
	}
	CHECK(!mapped(sent_addr));	// handed over with the message (deallocate)
	CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 0u);
	CHECK_EQ(status(port).mps_msgcount, 1u);

	mach::message_storage<2048> rbuf;
	const void *borrowed_copy = nullptr;
	{
		auto r = mach::receive(port.get(), rbuf, {.timeout = 1000ms, .trailer = mach::trailer_elements::audit});
		CHECK(r);
		if (!r)
			return;
		CHECK_EQ(r->id(), 1234);
		CHECK(r->complex());
		CHECK_EQ(r->descriptor_count(), 3u);
		CHECK(!r->has_reply_port());
		unsigned seen = 0;
		for (mach::descriptor d : *r) {
			switch (d.index()) {
			case 0:
				CHECK(d.is_port() && d.disposition() == MACH_MSG_TYPE_PORT_SEND &&
				      d.name() == extra.get());
				break;
			case 1:
				CHECK(d.is_ool() && d.ool().size() == 3 * 4096);
				break;
			case 2:
				CHECK(d.is_ool() && d.ool().size() == sizeof(borrowed) &&
				      std::memcmp(d.ool().data(), borrowed, sizeof(borrowed)) == 0);
				borrowed_copy = d.ool().data();
				break;
			}
			seen++;
		}
		CHECK_EQ(seen, 3u);

		CHECK(r->take_receive(0).error() == mach::kern_errc::invalid_right);
		CHECK(r->take_ool(0).error() == mach::mig_errc::type_error);
		CHECK(r->take_send(7).error() == mach::kern_errc::invalid_argument);
		auto s = r->take_send(0);
		CHECK(s && s->get() == extra.get());
		CHECK(r->take_send(0).error() == mach::kern_errc::invalid_name);	// once only
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 1u);

		auto mem = r->take_ool(1);
		CHECK(mem && mem->size() == 3 * 4096);
		bool same = mem.has_value();
		for (std::size_t i = 0; same && i < mem->size(); i++)
			same = mem->data()[i] == std::byte(i * 7);
		CHECK(same);

		auto got = r->read<payload>();
		CHECK(got && got->a == 7 && got->b == p.b && std::memcmp(got->tag, "abcd", 4) == 0);
		CHECK(r->read<std::uint64_t>(sizeof(payload)).error() == mach::mig_errc::bad_arguments);
		CHECK(r->data().size() == sizeof(payload));

		auto audit = r->audit_token();
		CHECK(audit && audit->val[MACH_AUDIT_PID] == (unsigned)getpid());
		CHECK(r->seqno().has_value());
		CHECK(!r->trailer<mach_msg_context_trailer_t>());
		CHECK(mapped(borrowed_copy));
	}
	// The reader freed the copy it still held; s and mem went with their scope.
	CHECK(!mapped(borrowed_copy));
	CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 0u);
	CHECK_EQ(name_count(), names_before);
}

void test_reader_destroys()
{
	auto port = new_port();
	auto extra = new_port();
	auto moved = new_port();
	const unsigned names_before = name_count();
	mach::message_storage<512> sbuf, rbuf;
	{
		mach::message_builder m(sbuf);
		auto mem = mach::vm_buffer::allocate(5000);
		CHECK(mem);
		m.remote(mach::make_send(port))
			.port(*extra.make_send())
			.port(std::move(moved))
			.port(*extra.make_send_once())
			.ool(std::move(mem).value());
		CHECK(!m.send());
	}
	CHECK(!moved);
	CHECK_EQ(status(extra).mps_sorights, 1u);
	mach_port_name_t received_receive = MACH_PORT_NULL;
	const void *ool = nullptr;
	{
		auto r = mach::receive(port.get(), rbuf, {.timeout = 1000ms});
		CHECK(r && r->descriptor_count() == 4);
		if (!r)
			return;
		received_receive = r->at(1)->name();
		CHECK_EQ(r->at(1)->disposition(), (unsigned)MACH_MSG_TYPE_PORT_RECEIVE);
		CHECK_EQ(type_of(received_receive), MACH_PORT_TYPE_RECEIVE);
		ool = r->at(3)->ool().data();
		CHECK(ool && mapped(ool));
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 1u);
	}
	CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 0u);
	CHECK_EQ(type_of(received_receive), 0u);
	CHECK(!mapped(ool));
	CHECK_EQ(name_count(), names_before - 1);	// `moved` went with the message
	// The send-once right destroyed with the message notified its port.
	expect_one_send_once_notification(extra);
}

void test_send_failures()
{
	auto port = new_port();
	auto extra = new_port();
	auto keep = *port.make_send();	// one reference the tests must not take
	mach::message_storage<512> sbuf, fill;

	// Refused before copyin (invalid destination): the builder still owns
	// what was moved in and releases it once.
	{
		auto mem = mach::vm_buffer::allocate(4096);
		const void *addr = mem ? mem->data() : nullptr;
		{
			mach::message_builder m(sbuf);
			m.remote(mach::copy_send(0x7ffff0)).port(*extra.make_send()).ool(std::move(mem).value());
			CHECK(m.send() == mach::msg_errc::send_invalid_dest);
			CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 1u);
			CHECK(mapped(addr));
			CHECK(m.send() == mach::msg_errc::send_invalid_dest);	// still sendable
		}
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 0u);
		CHECK(!mapped(addr));
	}

	// Queue full, send timeout: pseudo-received, rights reinstalled, and
	// released by the builder (the MAKE_SEND destination included).
	CHECK(!port.set_qlimit(1));
	{
		mach::message_builder f(fill);
		f.remote(mach::copy_send(keep)).id(1);
		CHECK(!f.send());
	}
	{
		auto other = new_port();
		mach::message_builder m(sbuf);
		m.remote(mach::make_send(port)).local(*other.make_send_once()).port(*extra.make_send()).id(2);
		const auto ec = m.send(0ms);
		CHECK(ec == mach::msg_errc::send_timed_out && ec == std::errc::timed_out);
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 1u);
		CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 2u);	// keep + reinstalled destination
		CHECK_EQ(status(other).mps_sorights, 1u);
		CHECK(m.send(0ms) == mach::msg_errc::send_timed_out);
		m.reset();
		CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 0u);
		CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 1u);
		expect_one_send_once_notification(other);
	}
	{
		auto drained = mach::receive(port.get(), fill, {.timeout = 0ms});
		CHECK(drained && drained->id() == 1);
	}

	// Refused during copyin of the body: the kernel destroyed the rights;
	// the builder frees the memory it handed over and releases nothing twice.
	{
		auto mem = mach::vm_buffer::allocate(4096);
		const void *addr = mem ? mem->data() : nullptr;
		{
			mach::message_builder m(sbuf);
			m.remote(*keep.copy()).port(mach::copy_send(0x7ffff0)).ool(std::move(mem).value());
			CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 2u);
			CHECK(m.send() == mach::msg_errc::send_invalid_right);
			CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 1u);
			CHECK(!mapped(addr));
		}
		CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 1u);
	}

	// Never sent: moved rights go back, borrowed ones are left alone.
	const auto mscount = status(extra).mps_mscount;
	{
		auto so = *extra.make_send_once();
		mach::message_builder m(sbuf);
		m.remote(mach::copy_send(keep)).port(mach::make_send(extra)).port(std::move(so));
		CHECK_EQ(status(extra).mps_sorights, 1u);
	}
	CHECK_EQ(status(extra).mps_mscount, mscount);	// MAKE_SEND never carried out
	CHECK_EQ(refs(port.get(), MACH_PORT_RIGHT_SEND), 1u);
	expect_one_send_once_notification(extra);
}

// The parent serves one request from a forked child that finds it through
// an inherited special port.
void test_fork()
{
	auto service = new_port();
	{
		auto s = service.make_send();
		CHECK(s && !mach::set_task_special_port(TASK_ACCESS_PORT, *s));
	}
	static const char parent_text[] = "from the parent, out of line";
	std::fflush(stdout);
	const pid_t pid = fork();
	if (pid == 0) {
		int step = 10;
		auto sp = mach::task_special_port(TASK_ACCESS_PORT);
		if (!sp)
			_exit(step);
		step++;
		auto reply = mach::receive_right::allocate();
		auto mem = mach::vm_buffer::allocate(8192);
		if (!reply || !mem)
			_exit(step);
		std::memset(mem->data(), 0x3c, mem->size());
		mach::message_storage<512> sbuf, rbuf;
		mach::message_builder m(sbuf);
		m.id(77).remote(std::move(sp).value()).port(*reply->make_send())
			.ool(std::move(mem).value()).data(4242);
		step++;
		auto r = mach::call(m, *reply, rbuf, {.timeout = 10000ms});
		if (!r)
			_exit(step);
		step++;
		if (r->id() != 177 || r->read<int>().value_or(0) != 4243)
			_exit(step);
		step++;
		auto ool = r->take_ool(0);
		if (!ool || ool->size() != sizeof(parent_text) ||
		    std::memcmp(ool->data(), parent_text, sizeof(parent_text)) != 0)
			_exit(step);
		_exit(0);
	}
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	mach::message_storage<1024> rbuf, sbuf;
	auto r = mach::receive(service.get(), rbuf, {.timeout = 10000ms, .trailer = mach::trailer_elements::audit});
	CHECK(r);
	if (r) {
		CHECK_EQ(r->id(), 77);
		CHECK_EQ(r->audit_token()->val[MACH_AUDIT_PID], (unsigned)pid);
		CHECK(r->read<int>().value_or(0) == 4242);
		CHECK(r->at(0) && r->at(0)->disposition() == MACH_MSG_TYPE_PORT_SEND);
		auto d = r->at(1);
		CHECK(d && d->ool().size() == 8192 && d->ool()[8191] == std::byte{0x3c});
		CHECK(r->has_reply_port());
		auto reply = r->take_reply();
		CHECK(reply && reply->send_once());
		mach::message_builder m(sbuf);
		m.id(177).remote(std::move(reply).value())
			.ool(std::as_bytes(std::span(parent_text))).data(4243);
		CHECK(!m.send(1000ms));
	}
	int st = -1;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, MACH_PORT_NULL);
}

void test_server()
{
	constexpr int n = 60;
	auto service = new_port();
	auto service_send = *service.make_send();
	auto extra = new_port();
	auto set = *mach::port_set::allocate();
	CHECK(!set.insert(service));
	std::atomic<int> handled{0};

	std::thread client([&] {
		auto reply = new_port();
		mach::message_storage<512> sbuf, rbuf;
		for (int i = 0; i < n - 2; i++) {
			mach::message_builder m(sbuf);
			m.id(500).remote(mach::copy_send(service_send)).data(i);
			auto r = mach::call(m, reply, rbuf, {.timeout = 10000ms});
			CHECK(r);
			if (!r)
				return;
			CHECK_EQ(r->id(), 600);
			CHECK(!r->reply_error());
			CHECK_EQ(r->read<int>().value_or(-1), 2 * i);
		}
		{
			// An id the server does not know: a MIG error reply.
			mach::message_builder m(sbuf);
			m.id(999).remote(mach::copy_send(service_send));
			auto r = mach::call(m, reply, rbuf, {.timeout = 10000ms});
			CHECK(r && r->id() == 1099 && r->reply_error() == mach::mig_errc::bad_id);
		}
		{
			// One way, with a right the server leaves in the request.
			mach::message_builder m(sbuf);
			m.id(501).remote(mach::copy_send(service_send)).port(*extra.make_send());
			CHECK(!m.send());
		}
		CHECK_EQ(status(reply).mps_sorights, 0u);
	});

	const auto ec = mach::serve(set.get(), [&](mach::message_reader &req, mach::message_builder &rep) -> kern_return_t {
		handled++;
		switch (req.id()) {
		case 500: {
			auto v = req.read<int>();
			if (!v)
				return v.error().value();
			rep.data(*v * 2);
			return KERN_SUCCESS;
		}
		case 501:
			return KERN_SUCCESS;
		default:
			return MIG_BAD_ID;
		}
	}, {.max_requests = n});
	client.join();
	CHECK(!ec);
	CHECK_EQ(handled.load(), n);
	CHECK_EQ(refs(extra.get(), MACH_PORT_RIGHT_SEND), 0u);	// destroyed with its request
	CHECK_EQ(status(service).mps_msgcount, 0u);

	// The loop ends with the receive error when its port goes away.
	const mach_port_name_t service_name = service.get();
	std::thread killer([&] {
		std::this_thread::sleep_for(50ms);
		service.reset();
		set.reset();
	});
	const auto ec2 = mach::serve(service_name, [](mach::message_reader &, mach::message_builder &) {
		return KERN_SUCCESS;
	});
	killer.join();
	CHECK(ec2 && ec2.category() == mach::mach_category());
}

struct test_case {
	const char *name;
	void (*run)();
};

constexpr test_case tests[] = {
	{"error_codes", test_error_codes},
	{"receive_right_releases_once", test_receive_right},
	{"send_right_releases_once", test_send_right},
	{"send_once_right_releases_once", test_send_once_right},
	{"port_set_and_dead_name", test_port_set_and_dead_name},
	{"moves", test_moves},
	{"builder_layout", test_builder_layout},
	{"round_trip_inline_port_ool", test_round_trip},
	{"reader_destroys_what_is_left", test_reader_destroys},
	{"send_failures_release_once", test_send_failures},
	{"fork_rpc_through_special_port", test_fork},
	{"server_loop", test_server},
};

} // namespace

int main()
{
	std::printf("TAP version 13\n");
	if (access("/dev/mach", F_OK) != 0) {
		std::printf("1..0 # SKIP /dev/mach not present\n");
		return 4;
	}
	std::printf("1..%zu\n", std::size(tests));
	int failed = 0;
	for (std::size_t i = 0; i < std::size(tests); i++) {
		failures = 0;
		tests[i].run();
		const bool ok = failures == 0;
		failed += !ok;
		std::printf("%s %zu %s\n", ok ? "ok" : "not ok", i + 1, tests[i].name);
		std::fflush(stdout);
	}
	std::printf("# %d of %zu failed\n", failed, std::size(tests));
	return failed ? 1 : 0;
}
