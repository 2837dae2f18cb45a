// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// The process's one descriptor to /dev/mach: opened lazily (O_CLOEXEC, so
// exec drops it), version-checked once, and replaced in a forked child by a
// fresh space made from the inherited descriptor (MACH_IOC_FORK_SPACE).
//
// No C++ runtime is needed here: pthread primitives and std::atomic only.

#include "libmach.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace libmach {
namespace {

constexpr const char device_path[] = "/dev/" MACH_DEVICE_NAME;

enum class state : int { closed, open, failed };

std::atomic<int> g_fd{-1};
std::atomic<state> g_state{state::closed};
std::atomic<bool> g_warned{false};
pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

class lock_guard {
public:
	explicit lock_guard(pthread_mutex_t &m) noexcept : m_(m) { pthread_mutex_lock(&m_); }
	~lock_guard() { pthread_mutex_unlock(&m_); }
	lock_guard(const lock_guard &) = delete;
	lock_guard &operator=(const lock_guard &) = delete;

private:
	pthread_mutex_t &m_;
};

// Owns a descriptor until released.
class unique_fd {
public:
	explicit unique_fd(int fd) noexcept : fd_(fd) {}
	~unique_fd() { if (fd_ >= 0) close(fd_); }
	unique_fd(const unique_fd &) = delete;
	unique_fd &operator=(const unique_fd &) = delete;
	int get() const noexcept { return fd_; }
	int release() noexcept { int fd = fd_; fd_ = -1; return fd; }

private:
	int fd_;
};

// Formats into a buffer and write(2)s it: no stdio locks, so it is also
// safe in a fork child.
__attribute__((format(printf, 1, 2)))
void warn_once(const char *fmt, ...) noexcept
{
	if (g_warned.exchange(true))
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0) {
		size_t len = static_cast<size_t>(n) < sizeof(buf) ? static_cast<size_t>(n) : sizeof(buf) - 1;
		ssize_t w = write(STDERR_FILENO, buf, len);
		(void)w;
	}
}

// Opens and checks the device; called with g_lock held.
int open_locked() noexcept
{
	unique_fd fd(open(device_path, O_RDWR | O_CLOEXEC));
	if (fd.get() < 0) {
		int err = errno;
		g_state.store(state::failed, std::memory_order_release);
		warn_once("libmach: cannot open %s: %s (is mach.ko loaded?)\n",
			  device_path, strerror(err));
		return -1;
	}

	mach_ioc_version v{};
	if (ioctl(fd.get(), MACH_IOC_VERSION, &v) < 0) {
		int err = errno;
		g_state.store(state::failed, std::memory_order_release);
		warn_once("libmach: %s does not answer the version request: %s "
			  "(is it mach.ko?)\n", device_path, strerror(err));
		return -1;
	}
	if (v.abi_version != MACH_ABI_VERSION) {
		g_state.store(state::failed, std::memory_order_release);
		warn_once("libmach: %s speaks Mach ABI version %u but this libmach "
			  "needs version %u (load the matching mach.ko or rebuild "
			  "libmach)\n", device_path, v.abi_version,
			  static_cast<unsigned>(MACH_ABI_VERSION));
		return -1;
	}

	int f = fd.release();
	g_fd.store(f, std::memory_order_release);
	g_state.store(state::open, std::memory_order_release);
	space_attached(f);
	return f;
}

int open_slow() noexcept
{
	lock_guard guard(g_lock);
	switch (g_state.load(std::memory_order_acquire)) {
	case state::open:
		return g_fd.load(std::memory_order_acquire);
	case state::failed:
		return -1;
	case state::closed:
		break;
	}
	return open_locked();
}

// ---- fork ----------------------------------------------------------------

void atfork_prepare() noexcept
{
	pthread_mutex_lock(&g_lock);
}

void atfork_parent() noexcept
{
	pthread_mutex_unlock(&g_lock);
}

// The child may not use the parent's space: it gets its own, made from the
// inherited descriptor, under the same descriptor number.
void atfork_child() noexcept
{
	mig_forget_reply_port();

	if (g_state.load(std::memory_order_relaxed) == state::open) {
		int old = g_fd.load(std::memory_order_relaxed);
		int fresh = ioctl(old, MACH_IOC_FORK_SPACE);
		if (fresh >= 0 && dup3(fresh, old, O_CLOEXEC) >= 0) {
			close(fresh);
			space_attached(old);
		} else {
			// No inherited space: drop the parent's descriptor and
			// start from a new, empty space right away so that
			// mach_task_self_ stays usable; if even that fails,
			// the next call tries again.
			if (fresh >= 0)
				close(fresh);
			close(old);
			g_fd.store(-1, std::memory_order_relaxed);
			g_state.store(state::closed, std::memory_order_relaxed);
			space_detached();
			if (access(device_path, F_OK) == 0)
				open_locked();
		}
	}
	pthread_mutex_unlock(&g_lock);
}

} // namespace

int device_fd() noexcept
{
	int fd = g_fd.load(std::memory_order_acquire);
	if (fd >= 0)
		return fd;
	if (g_state.load(std::memory_order_acquire) == state::failed)
		return -1;
	return open_slow();
}

int device_call(unsigned long cmd, void *arg) noexcept
{
	int fd = device_fd();
	if (fd < 0)
		return -ENODEV;
	int r = ioctl(fd, cmd, arg);
	return r >= 0 ? r : -errno;
}

// Registered once, from the library constructor.
void device_register_atfork() noexcept
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

// Open now if the device exists; when it does not, stay quiet until a call
// actually needs it.
void device_open_if_present() noexcept
{
	if (access(device_path, F_OK) == 0)
		device_fd();
}

} // namespace libmach

extern "C" int mach_linux_fd(void)
{
	return libmach::device_fd();
}
