// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// machd: the bootstrap name server of an IPC namespace.
//
// It claims the namespace's bootstrap port (MACH_IOC_SET_BOOTSTRAP through
// mach_linux_set_bootstrap), so every space opened afterwards starts with a
// send right to it, and serves libmach's bootstrap_* calls (protocol in
// lib/src/bootstrap_proto.h):
//
//   check_in        the receive right for a name, created on first use for
//                   the caller's uid, or handed over from a reservation
//   register        binds a name to a send right the caller gives
//   look_up         a send right for a name
//   create_service  reserves a name: machd holds the port until check-in
//   status, parent
//
// Who asks is taken from each request's audit token: a name belongs to the
// effective uid that created it and no other uid may take or replace it
// (BOOTSTRAP_NOT_PRIVILEGED).  Each uid may hold at most -n names.  A name
// goes away when its service port dies (dead-name notification).
//
// machd never waits for a client: replies are sent with a zero send timeout
// (a send-once reply right never blocks anyway), and a reply that cannot be
// delivered only releases what it carried.  It receives on one port set
// holding the service port and the notification port.
//
//   machd [-q] [-n names-per-uid] [--ready-fd N]
//
// One log line per request on stderr (-q: only start, stop and errors).
// SIGTERM or SIGINT stop it; its port dies with it, so new processes get no
// bootstrap port until machd runs again.  Under systemd (Type=notify) it
// tells readiness through $NOTIFY_SOCKET, so that units ordered after it
// start only once the bootstrap port is claimed.

#include <mach/mach.h>
#include <mach/linux.h>
#include <mach/notify.h>
#include <servers/bootstrap.h>

#include "bootstrap_proto.h"

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <cstddef>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace proto = bootstrap_proto;

namespace {

struct options {
	bool quiet = false;
	unsigned per_uid = 64;
	unsigned total = 4096;
	int ready_fd = -1;
};

options opt;
volatile sig_atomic_t stop_signal = 0;

__attribute__((format(printf, 1, 2)))
void log_line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "machd[%d]: %s\n", getpid(), buf);
}

// sd_notify(3)'s protocol, which systemd documents as stable: one datagram
// to the AF_UNIX socket named by $NOTIFY_SOCKET ('@' for an abstract name).
void notify_systemd(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	sockaddr_un sa{};
	size_t len = path ? strlen(path) : 0;

	if (len < 2 || len >= sizeof(sa.sun_path) || (path[0] != '/' && path[0] != '@'))
		return;
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, reinterpret_cast<sockaddr *>(&sa),
		   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len)) < 0)
		log_line("cannot notify systemd: %s", strerror(errno));
	close(fd);
}

#define LOG(...) do { if (!opt.quiet) log_line(__VA_ARGS__); } while (0)

const char *kr_text(kern_return_t kr)
{
	return kr == KERN_SUCCESS ? "ok" : bootstrap_strerror(kr);
}

mach_port_t self() { return mach_task_self(); }

// A receive right machd owns; destroyed once, on scope exit, unless released.
class receive_right {
public:
	receive_right() = default;
	explicit receive_right(mach_port_t name) noexcept : name_(name) {}
	receive_right(receive_right &&o) noexcept : name_(o.release()) {}
	receive_right &operator=(receive_right &&o) noexcept
	{
		if (this != &o) {
			reset();
			name_ = o.release();
		}
		return *this;
	}
	receive_right(const receive_right &) = delete;
	receive_right &operator=(const receive_right &) = delete;
	~receive_right() { reset(); }

	static receive_right allocate() noexcept
	{
		mach_port_t p = MACH_PORT_NULL;
		if (mach_port_allocate(self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
			return {};
		return receive_right(p);
	}
	mach_port_t get() const noexcept { return name_; }
	explicit operator bool() const noexcept { return name_ != MACH_PORT_NULL; }
	mach_port_t release() noexcept
	{
		mach_port_t n = name_;
		name_ = MACH_PORT_NULL;
		return n;
	}
	void reset() noexcept
	{
		if (name_ != MACH_PORT_NULL)
			mach_port_mod_refs(self(), release(), MACH_PORT_RIGHT_RECEIVE, -1);
	}

private:
	mach_port_t name_ = MACH_PORT_NULL;
};

// Who sent a request (from its audit trailer).
struct caller {
	uid_t uid;
	pid_t pid;
};

// One bound name.  machd holds exactly one send uref on `port` for it, and
// also the receive right while `held` (reserved, nobody checked in yet).
struct service {
	uid_t uid;
	pid_t pid;
	mach_port_t port;
	bool held;
};

class server {
public:
	bool start();
	void run();
	void shutdown();

private:
	// routines; each returns the reply code and fills in the reply port
	kern_return_t check_in(const caller &c, const std::string &name, proto::reply &rep);
	kern_return_t do_register(const caller &c, const std::string &name, mach_port_t sp);
	kern_return_t look_up(const std::string &name, proto::reply &rep);
	kern_return_t create_service(const caller &c, const std::string &name, proto::reply &rep);
	kern_return_t status(const std::string &name, int32_t &value);

	void handle_request(proto::request &req, const mach_msg_audit_trailer_t &tr);
	void handle_notification(mach_msg_header_t &h);
	// Sends rep (a reply built for req); returns whether it was delivered.
	bool send_reply(mach_msg_header_t &rep, mach_msg_size_t size);
	void reply_error(proto::request &req, kern_return_t kr);

	bool quota_ok(uid_t uid) const;
	service *find_live(const std::string &name);
	kern_return_t new_held(const caller &c, const std::string &name);
	void remove(const std::string &name, const char *why);
	void watch(mach_port_t port);
	void unwatch(mach_port_t port);
	void port_died(mach_port_t port);

	receive_right service_port_;
	receive_right notify_port_;
	mach_port_t set_ = MACH_PORT_NULL;
	std::map<std::string, service> names_;
	std::map<uid_t, unsigned> per_uid_;
	std::map<mach_port_t, unsigned> watched_;	// dead-name requests, by name
	unsigned long requests_ = 0;
};

bool server::start()
{
	service_port_ = receive_right::allocate();
	notify_port_ = receive_right::allocate();
	if (!service_port_ || !notify_port_ ||
	    mach_port_allocate(self(), MACH_PORT_RIGHT_PORT_SET, &set_) != KERN_SUCCESS) {
		log_line("cannot allocate ports (is mach.ko loaded?)");
		return false;
	}
	// Many clients at once: let requests queue instead of blocking them.
	mach_port_limits_t lim = { MACH_PORT_QLIMIT_LARGE };
	mach_port_set_attributes(self(), service_port_.get(), MACH_PORT_LIMITS_INFO,
				 reinterpret_cast<mach_port_info_t>(&lim),
				 MACH_PORT_LIMITS_INFO_COUNT);
	mach_port_set_attributes(self(), notify_port_.get(), MACH_PORT_LIMITS_INFO,
				 reinterpret_cast<mach_port_info_t>(&lim),
				 MACH_PORT_LIMITS_INFO_COUNT);
	if (mach_port_move_member(self(), service_port_.get(), set_) != KERN_SUCCESS ||
	    mach_port_move_member(self(), notify_port_.get(), set_) != KERN_SUCCESS) {
		log_line("cannot build the port set");
		return false;
	}
	kern_return_t kr = mach_linux_set_bootstrap(service_port_.get());
	if (kr != KERN_SUCCESS) {
		log_line("cannot claim the namespace's bootstrap port: %s%s",
			 mach_error_string(kr),
			 kr == KERN_NO_ACCESS ? " (needs CAP_SYS_ADMIN)" : "");
		return false;
	}
	log_line("serving the bootstrap port of this IPC namespace (port 0x%x, "
		 "%u names per uid)", service_port_.get(), opt.per_uid);
	return true;
}

bool server::quota_ok(uid_t uid) const
{
	auto it = per_uid_.find(uid);
	unsigned n = it == per_uid_.end() ? 0 : it->second;
	return n < opt.per_uid && names_.size() < opt.total;
}

// The service bound to name, if its port is still alive (a dead one is
// dropped now rather than when its notification arrives).
service *server::find_live(const std::string &name)
{
	auto it = names_.find(name);
	if (it == names_.end())
		return nullptr;
	mach_port_type_t t = 0;
	if (mach_port_type(self(), it->second.port, &t) != KERN_SUCCESS ||
	    (t & MACH_PORT_TYPE_DEAD_NAME)) {
		port_died(it->second.port);
		return nullptr;
	}
	return &it->second;
}

// A dead-name request per distinct port name (sync=1: a port that is
// already dead notifies at once).
void server::watch(mach_port_t port)
{
	if (watched_[port]++ > 0)
		return;
	mach_port_t previous = MACH_PORT_NULL;
	kern_return_t kr = mach_port_request_notification(self(), port, MACH_NOTIFY_DEAD_NAME, 1,
							  notify_port_.get(),
							  MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (kr != KERN_SUCCESS)
		log_line("dead-name request on 0x%x failed: %s", port, mach_error_string(kr));
	if (previous != MACH_PORT_NULL)
		mach_port_deallocate(self(), previous);
}

void server::unwatch(mach_port_t port)
{
	auto it = watched_.find(port);
	if (it == watched_.end() || --it->second > 0)
		return;
	watched_.erase(it);
	// Cancel, so that releasing the last uref does not notify us.
	mach_port_t previous = MACH_PORT_NULL;
	if (mach_port_request_notification(self(), port, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous) == KERN_SUCCESS &&
	    previous != MACH_PORT_NULL)
		mach_port_deallocate(self(), previous);
}

void server::remove(const std::string &name, const char *why)
{
	auto it = names_.find(name);
	if (it == names_.end())
		return;
	service s = it->second;
	names_.erase(it);
	if (--per_uid_[s.uid] == 0)
		per_uid_.erase(s.uid);
	if (!s.held)
		unwatch(s.port);
	if (s.held)
		mach_port_mod_refs(self(), s.port, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(self(), s.port);
	LOG("name \"%s\" (uid %u) freed: %s", name.c_str(), s.uid, why);
}

// Every name bound to port goes; the dead name's urefs (one per service,
// one for the notification when watched) are released.
void server::port_died(mach_port_t port)
{
	for (auto it = names_.begin(); it != names_.end();) {
		auto next = std::next(it);
		if (it->second.port == port) {
			std::string n = it->first;
			remove(n, "its service port died");
		}
		it = next;
	}
}

kern_return_t server::new_held(const caller &c, const std::string &name)
{
	if (!quota_ok(c.uid))
		return BOOTSTRAP_NO_MEMORY;
	receive_right port = receive_right::allocate();
	if (!port)
		return BOOTSTRAP_NO_MEMORY;
	if (mach_port_insert_right(self(), port.get(), port.get(), MACH_MSG_TYPE_MAKE_SEND) !=
	    KERN_SUCCESS)
		return BOOTSTRAP_NO_MEMORY;
	names_[name] = service{c.uid, c.pid, port.release(), true};
	per_uid_[c.uid]++;
	return KERN_SUCCESS;
}

kern_return_t server::check_in(const caller &c, const std::string &name, proto::reply &rep)
{
	service *s = find_live(name);
	if (!s) {
		kern_return_t kr = new_held(c, name);
		if (kr != KERN_SUCCESS)
			return kr;
		s = &names_[name];
	} else if (s->uid != c.uid) {
		return BOOTSTRAP_NOT_PRIVILEGED;
	} else if (!s->held) {
		return BOOTSTRAP_SERVICE_ACTIVE;
	}
	rep.port.name = s->port;
	rep.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	return KERN_SUCCESS;
}

kern_return_t server::do_register(const caller &c, const std::string &name, mach_port_t sp)
{
	auto it = names_.find(name);
	service *s = it == names_.end() ? nullptr : find_live(name);
	if (s && s->uid != c.uid)
		return BOOTSTRAP_NOT_PRIVILEGED;
	if (sp == MACH_PORT_NULL) {
		if (!s)
			return BOOTSTRAP_UNKNOWN_SERVICE;
		remove(name, "unregistered by its owner");
		return KERN_SUCCESS;
	}
	if (s && !s->held) {
		if (s->port != sp)
			return BOOTSTRAP_NAME_IN_USE;
		// The same port again: nothing changes but the extra uref.
		mach_port_deallocate(self(), sp);
		return KERN_SUCCESS;
	}
	if (s)	// a reservation of the same uid: its port is destroyed
		remove(name, "reservation replaced by register");
	if (!quota_ok(c.uid))
		return BOOTSTRAP_NO_MEMORY;
	names_[name] = service{c.uid, c.pid, sp, false};
	per_uid_[c.uid]++;
	watch(sp);
	return KERN_SUCCESS;
}

kern_return_t server::look_up(const std::string &name, proto::reply &rep)
{
	service *s = find_live(name);
	if (!s)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	rep.port.name = s->port;
	rep.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	return KERN_SUCCESS;
}

kern_return_t server::create_service(const caller &c, const std::string &name,
				     proto::reply &rep)
{
	if (service *s = find_live(name))
		return s->uid == c.uid ? BOOTSTRAP_SERVICE_ACTIVE : BOOTSTRAP_NOT_PRIVILEGED;
	kern_return_t kr = new_held(c, name);
	if (kr != KERN_SUCCESS)
		return kr;
	rep.port.name = names_[name].port;
	rep.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	return KERN_SUCCESS;
}

kern_return_t server::status(const std::string &name, int32_t &value)
{
	service *s = find_live(name);
	if (!s)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	value = s->held ? BOOTSTRAP_STATUS_INACTIVE : BOOTSTRAP_STATUS_ACTIVE;
	return KERN_SUCCESS;
}

// Zero timeout: a client whose reply port is full (a send right instead of
// a send-once one) loses its reply, machd does not wait.
bool server::send_reply(mach_msg_header_t &rep, mach_msg_size_t size)
{
	mach_msg_return_t mr = mach_msg(&rep, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
					MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return true;
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED || mr == MACH_SEND_NO_BUFFER) {
		// Pseudo-received: our rights are back in the message.  The
		// header's reply right goes; a receive right in the body came
		// back under its old name (which still holds our send uref).
		mach_port_deallocate(self(), rep.msgh_remote_port);
		if (rep.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			auto &r = reinterpret_cast<proto::reply &>(rep);
			if (r.port.disposition == MACH_MSG_TYPE_PORT_SEND)
				mach_port_deallocate(self(), r.port.name);
		}
	} else if (mr == MACH_SEND_INVALID_DEST) {
		// The client's reply port is gone (it died mid-request):
		// nothing was sent; drop our dead name for it.
		mach_port_deallocate(self(), rep.msgh_remote_port);
	}
	LOG("reply to a client not delivered: %s", mach_error_string(mr));
	return false;
}

void server::reply_error(proto::request &req, kern_return_t kr)
{
	mig_reply_error_t rep{};
	rep.Head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSGH_BITS_REMOTE(req.head.msgh_bits), 0, 0, 0);
	rep.Head.msgh_size = sizeof(rep);
	rep.Head.msgh_remote_port = req.head.msgh_remote_port;
	rep.Head.msgh_id = req.head.msgh_id + proto::reply_offset;
	rep.NDR = NDR_record;
	rep.RetCode = kr;
	send_reply(rep.Head, sizeof(rep));
}

// Drops one right received in a descriptor (never the whole name: a send
// right may share its name with one machd keeps for a service).
void release_right(mach_port_t name, mach_msg_type_name_t type)
{
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		mach_port_deallocate(self(), name);
}

const char *routine_name(mach_msg_id_t id)
{
	switch (id) {
	case proto::check_in: return "check_in";
	case proto::register_: return "register";
	case proto::look_up: return "look_up";
	case proto::create_service: return "create_service";
	case proto::status: return "status";
	case proto::parent: return "parent";
	default: return "?";
	}
}

void server::handle_request(proto::request &req, const mach_msg_audit_trailer_t &tr)
{
	requests_++;
	const caller c{static_cast<uid_t>(tr.msgh_audit.val[MACH_AUDIT_EUID]),
		       static_cast<pid_t>(tr.msgh_audit.val[MACH_AUDIT_PID])};
	const mach_msg_id_t id = req.head.msgh_id;
	const bool has_reply = MACH_PORT_VALID(req.head.msgh_remote_port);

	// Shape checks; anything malformed is destroyed with what it carried.
	bool shaped = req.head.msgh_size == sizeof(req) &&
		(req.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		req.body.msgh_descriptor_count == 1 &&
		req.port.type == MACH_MSG_PORT_DESCRIPTOR;
	bool named = shaped && req.name_len >= 2 && req.name_len <= BOOTSTRAP_MAX_NAME_LEN &&
		req.name[req.name_len - 1] == '\0' && strlen(req.name) == req.name_len - 1;
	if (id < proto::base || id > proto::last || !shaped || (id != proto::parent && !named) ||
	    !has_reply) {
		LOG("pid %d uid %u: malformed request (id %d, %u bytes) dropped", c.pid, c.uid, id,
		    req.head.msgh_size);
		kern_return_t kr = id < proto::base || id > proto::last ? MIG_BAD_ID : MIG_BAD_ARGUMENTS;
		mach_port_t reply = req.head.msgh_remote_port;
		mach_msg_type_name_t rbits = MACH_MSGH_BITS_REMOTE(req.head.msgh_bits);
		req.head.msgh_remote_port = MACH_PORT_NULL;	// keep it for the answer
		mach_msg_destroy(&req.head);
		if (MACH_PORT_VALID(reply)) {
			req.head.msgh_remote_port = reply;
			req.head.msgh_bits = rbits;
			reply_error(req, kr);
		}
		return;
	}

	// The one port a request may carry belongs to register.
	mach_port_t sp = MACH_PORT_NULL;
	if (MACH_PORT_VALID(req.port.name)) {
		if (id == proto::register_ && req.port.disposition == MACH_MSG_TYPE_PORT_SEND)
			sp = req.port.name;
		else
			release_right(req.port.name, req.port.disposition);
	}

	const std::string name = id == proto::parent ? std::string() : std::string(req.name);
	proto::reply rep{};
	rep.port.type = MACH_MSG_PORT_DESCRIPTOR;
	kern_return_t kr;
	switch (id) {
	case proto::check_in:
		kr = check_in(c, name, rep);
		break;
	case proto::register_:
		if (req.port.name == MACH_PORT_DEAD || (req.port.name != MACH_PORT_NULL && !sp)) {
			kr = KERN_INVALID_RIGHT;
			break;
		}
		kr = do_register(c, name, sp);
		if (kr != KERN_SUCCESS && sp != MACH_PORT_NULL)
			mach_port_deallocate(self(), sp);
		break;
	case proto::look_up:
		kr = look_up(name, rep);
		break;
	case proto::create_service:
		kr = create_service(c, name, rep);
		break;
	case proto::status:
		kr = status(name, rep.value);
		break;
	case proto::parent:
		if (c.uid != 0) {
			kr = BOOTSTRAP_NOT_PRIVILEGED;
		} else {
			rep.port.name = service_port_.get();
			rep.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
			kr = KERN_SUCCESS;
		}
		break;
	default:
		kr = MIG_BAD_ID;
		break;
	}

	LOG("pid %d uid %u: %s \"%s\" -> %s", c.pid, c.uid, routine_name(id), name.c_str(),
	    kr_text(kr));

	if (kr != KERN_SUCCESS) {
		reply_error(req, kr);
		return;
	}
	rep.head.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSGH_BITS_REMOTE(req.head.msgh_bits), 0, 0,
						MACH_MSGH_BITS_COMPLEX);
	rep.head.msgh_size = sizeof(rep);
	rep.head.msgh_remote_port = req.head.msgh_remote_port;
	rep.head.msgh_id = id + proto::reply_offset;
	rep.body.msgh_descriptor_count = 1;
	rep.ndr = NDR_record;
	rep.ret = KERN_SUCCESS;
	if (rep.port.name == MACH_PORT_NULL)
		rep.port.disposition = 0;
	const bool moves_receive = rep.port.disposition == MACH_MSG_TYPE_MOVE_RECEIVE;
	const bool delivered = send_reply(rep.head, sizeof(rep));

	if (moves_receive) {
		// A checked-in name is active once its receive right left us.
		auto it = names_.find(name);
		if (delivered && it != names_.end()) {
			it->second.held = false;
			it->second.pid = c.pid;
			watch(it->second.port);
		} else if (!delivered) {
			LOG("name \"%s\" stays reserved (the client did not get its port)",
			    name.c_str());
		}
	}
}

void server::handle_notification(mach_msg_header_t &h)
{
	switch (h.msgh_id) {
	case MACH_NOTIFY_DEAD_NAME: {
		auto &n = reinterpret_cast<mach_dead_name_notification_t &>(h);
		mach_port_t port = n.not_port;
		auto it = watched_.find(port);
		if (it != watched_.end()) {
			// Each service on it drops its uref in remove(); no
			// cancel is needed for a request that has fired.
			watched_.erase(it);
			port_died(port);
		}
		// The uref the notification carried.
		mach_port_deallocate(self(), port);
		break;
	}
	case MACH_NOTIFY_PORT_DELETED:
	case MACH_NOTIFY_SEND_ONCE:
	case MACH_NOTIFY_NO_SENDERS:
		break;
	default:
		mach_msg_destroy(&h);
		break;
	}
}

void server::run()
{
	union {
		mach_msg_header_t head;
		proto::request req;
		mach_dead_name_notification_t dead;
		uint8_t bytes[sizeof(proto::request) + MAX_TRAILER_SIZE + 64];
	} buf;

	if (opt.ready_fd >= 0) {
		ssize_t w = write(opt.ready_fd, "ready\n", 6);
		(void)w;
		close(opt.ready_fd);
	}
	notify_systemd("READY=1");
	while (!stop_signal) {
		memset(&buf, 0, sizeof(buf));
		mach_msg_return_t mr = mach_msg(&buf.head,
			MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT |
			MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			0, sizeof(buf), set_, 1000, MACH_PORT_NULL);
		if (mr == MACH_RCV_TIMED_OUT || mr == MACH_RCV_INTERRUPTED)
			continue;
		if (mr == MACH_RCV_TOO_LARGE) {
			// Destroyed by the kernel; only its id is left.
			LOG("oversized message (id %d) dropped", buf.head.msgh_id);
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			log_line("receive failed: %s", mach_error_string(mr));
			if (mr == MACH_RCV_INVALID_NAME || mr == MACH_RCV_PORT_CHANGED)
				break;
			continue;
		}
		if (buf.head.msgh_local_port == notify_port_.get()) {
			handle_notification(buf.head);
			continue;
		}
		if (buf.head.msgh_size > sizeof(proto::request)) {
			mach_msg_destroy(&buf.head);
			continue;
		}
		auto *tr = reinterpret_cast<const mach_msg_audit_trailer_t *>(
			buf.bytes + ((buf.head.msgh_size + 3) & ~3U));
		handle_request(buf.req, *tr);
	}
}

void server::shutdown()
{
	notify_systemd("STOPPING=1");
	log_line("stopping (%s): %zu names dropped, %lu requests served",
		 stop_signal ? strsignal(stop_signal) : "receive failed", names_.size(), requests_);
	while (!names_.empty()) {
		std::string n = names_.begin()->first;
		remove(n, "machd stopping");
	}
}

void on_signal(int sig)
{
	stop_signal = sig;
}

[[noreturn]] void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: machd [-q] [-n names-per-uid] [--ready-fd N]\n"
		"  Bootstrap name server for /dev/mach: claims this IPC namespace's\n"
		"  bootstrap port (needs CAP_SYS_ADMIN) and serves bootstrap_check_in,\n"
		"  bootstrap_register, bootstrap_look_up, ... until SIGTERM/SIGINT.\n"
		"  -q             log only start, stop and errors\n"
		"  -n N           names one uid may hold (default 64)\n"
		"  --ready-fd N   write \"ready\\n\" to fd N, then close it, once serving\n");
	exit(rc);
}

bool parse_uint(const char *s, unsigned long max, unsigned long &out)
{
	char *end = nullptr;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || !end || *end || end == s || v > max)
		return false;
	out = v;
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		std::string_view a = argv[i];
		unsigned long v;
		if (a == "-q" || a == "--quiet") {
			opt.quiet = true;
		} else if ((a == "-n") && i + 1 < argc && parse_uint(argv[i + 1], 1u << 20, v) && v) {
			opt.per_uid = static_cast<unsigned>(v);
			i++;
		} else if (a == "--ready-fd" && i + 1 < argc && parse_uint(argv[i + 1], 1u << 20, v)) {
			opt.ready_fd = static_cast<int>(v);
			i++;
		} else if (a == "-h" || a == "--help") {
			usage(0);
		} else {
			usage(2);
		}
	}
	if (opt.total < opt.per_uid)
		opt.total = opt.per_uid;
	setvbuf(stderr, nullptr, _IOLBF, 0);

	struct sigaction sa{};
	sa.sa_handler = on_signal;	// no SA_RESTART: the receive returns
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);

	server s;
	if (!s.start())
		return 1;
	s.run();
	s.shutdown();
	return 0;
}
