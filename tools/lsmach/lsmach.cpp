// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// lsmach: what every process using /dev/mach holds, like macOS's lsmp.
//
//   lsmach [-p PID]... [-s] [-d DIR]
//
// For each Mach space (one per process using /dev/mach): its names, the
// rights and urefs under each, the port each names (a serial id the kernel gives each port,
// the same in every space) and, joined across spaces, which process holds
// the receive right of a port that a name sends to, and which processes
// hold send rights to a port received here.  Receive rights show their
// queue (messages/qlimit), seqno, make-send count, send and send-once
// rights, port-set membership and pending requests (no-senders,
// port-destroyed; "dnreq" marks a dead-name request on the name).
//
// It reads mach.ko's debugfs files, /sys/kernel/debug/mach/{spaces,stats},
// which are read-only and root-only: nothing here changes any state.
//   -p PID   only this process (repeatable); the join still uses every space
//   -s       only the module's live-object counters
//   -d DIR   read DIR/spaces and DIR/stats instead (saved copies)

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>
#include <unistd.h>

namespace {

struct entry {
	unsigned name = 0;
	std::string type;	// "send+recv+dnreq", ...
	unsigned urefs = 0;
	std::string port;	// the port's serial id, or empty
	bool dead = false;
	std::string kobject;
	bool receiver = false;
	unsigned msgs = 0, qlimit = 0, seqno = 0, mscount = 0, srights = 0, sorights = 0;
	bool ns_request = false, pd_request = false;
	std::vector<std::string> in_sets;
	std::string set;	// for a port-set name: the set's id
};

struct space {
	std::string id;
	int pid = 0;
	std::string comm;
	unsigned nentries = 0;
	std::vector<entry> entries;
};

// Reads a whole file; false with errno set on failure.
bool slurp(const std::string &path, std::string &out)
{
	std::ifstream f(path);
	if (!f) {
		if (!errno)
			errno = EIO;
		return false;
	}
	std::ostringstream ss;
	ss << f.rdbuf();
	out = ss.str();
	return true;
}

bool starts_with(std::string_view s, std::string_view p)
{
	return s.substr(0, p.size()) == p;
}

unsigned to_uint(std::string_view v, int base = 10)
{
	return static_cast<unsigned>(strtoul(std::string(v).c_str(), nullptr, base));
}

// "space <id> pid <pid> comm <comm, may hold spaces> entries <n>"
bool parse_space_line(const std::string &line, space &s)
{
	std::istringstream in(line);
	std::string word;
	in >> word >> s.id >> word;
	if (word != "pid")
		return false;
	in >> s.pid >> word;
	if (word != "comm")
		return false;
	size_t comm_at = line.find(" comm ");
	size_t ent_at = line.rfind(" entries ");
	if (comm_at == std::string::npos || ent_at == std::string::npos || ent_at < comm_at + 6)
		return false;
	s.comm = line.substr(comm_at + 6, ent_at - comm_at - 6);
	s.nentries = to_uint(std::string_view(line).substr(ent_at + 9));
	return true;
}

// "  name 0x<n> <type> urefs=<u> [port=<id> [dead] [kobject=k] [msgs=.. ...]
//  [ns-request] [pd-request] [in-set=<id>]...] [set=<id>]"
bool parse_entry_line(const std::string &line, entry &e)
{
	std::istringstream in(line);
	std::string word;
	in >> word;
	if (word != "name")
		return false;
	in >> word;
	e.name = to_uint(word, 16);
	in >> e.type;
	while (in >> word) {
		size_t eq = word.find('=');
		std::string_view key = std::string_view(word).substr(0, eq);
		std::string_view val = eq == std::string::npos ? std::string_view()
							       : std::string_view(word).substr(eq + 1);
		if (key == "urefs") e.urefs = to_uint(val);
		else if (key == "port") e.port = val;
		else if (key == "dead") e.dead = true;
		else if (key == "kobject") e.kobject = val;
		else if (key == "msgs") { e.msgs = to_uint(val); e.receiver = true; }
		else if (key == "qlimit") e.qlimit = to_uint(val);
		else if (key == "seqno") e.seqno = to_uint(val);
		else if (key == "mscount") e.mscount = to_uint(val);
		else if (key == "srights") e.srights = to_uint(val);
		else if (key == "sorights") e.sorights = to_uint(val);
		else if (key == "ns-request") e.ns_request = true;
		else if (key == "pd-request") e.pd_request = true;
		else if (key == "in-set") e.in_sets.emplace_back(val);
		else if (key == "set") e.set = val;
	}
	return true;
}

std::vector<space> parse_spaces(const std::string &text)
{
	std::vector<space> spaces;
	std::istringstream in(text);
	std::string line;
	while (std::getline(in, line)) {
		if (starts_with(line, "space ")) {
			space s;
			if (parse_space_line(line, s))
				spaces.push_back(std::move(s));
		} else if (starts_with(line, "  name ") && !spaces.empty()) {
			entry e;
			if (parse_entry_line(line.substr(2), e))
				spaces.back().entries.push_back(std::move(e));
		}
	}
	return spaces;
}

struct holder {
	int pid;
	std::string comm;
	unsigned name;
};

std::string who(const holder &h)
{
	char buf[160];
	snprintf(buf, sizeof(buf), "pid %d (%s) as 0x%x", h.pid, h.comm.c_str(), h.name);
	return buf;
}

void print_space(const space &s, const std::map<std::string, holder> &receivers,
		 const std::map<std::string, std::vector<holder>> &senders)
{
	printf("pid %d (%s): %zu name%s\n", s.pid, s.comm.c_str(), s.entries.size(),
	       s.entries.size() == 1 ? "" : "s");
	if (s.entries.empty())
		return;
	printf("  %-10s  %-22s %5s  %-16s  %s\n", "name", "rights", "urefs", "port", "details");

	// Port-set names of this space, by set id, for "in set 0x...".
	std::map<std::string, unsigned> set_names;
	std::map<std::string, std::vector<unsigned>> members;
	for (const entry &e : s.entries)
		if (!e.set.empty())
			set_names[e.set] = e.name;
	for (const entry &e : s.entries)
		for (const std::string &id : e.in_sets)
			members[id].push_back(e.name);

	for (const entry &e : s.entries) {
		std::string details;
		char buf[256];
		if (!e.set.empty()) {
			details = "members:";
			auto m = members.find(e.set);
			if (m == members.end() || m->second.empty())
				details += " none";
			else
				for (unsigned n : m->second) {
					snprintf(buf, sizeof(buf), " 0x%x", n);
					details += buf;
				}
		} else if (e.dead) {
			details = "port is dead";
		} else if (e.receiver) {
			snprintf(buf, sizeof(buf), "queue %u/%u, seqno %u, mscount %u, send rights %u, "
				 "send-once rights %u", e.msgs, e.qlimit, e.seqno, e.mscount,
				 e.srights, e.sorights);
			details = buf;
			if (e.ns_request)
				details += ", no-senders request";
			if (e.pd_request)
				details += ", port-destroyed request";
			for (const std::string &id : e.in_sets) {
				auto it = set_names.find(id);
				if (it != set_names.end())
					snprintf(buf, sizeof(buf), ", in set 0x%x", it->second);
				else
					snprintf(buf, sizeof(buf), ", in set %s", id.c_str());
				details += buf;
			}
			auto sd = senders.find(e.port);
			if (sd != senders.end()) {
				std::set<std::string> seen;
				std::string list;
				for (const holder &h : sd->second) {
					if (h.pid == s.pid)
						continue;
					snprintf(buf, sizeof(buf), "%d (%s)", h.pid, h.comm.c_str());
					if (seen.insert(buf).second)
						list += (list.empty() ? "" : ", ") + std::string(buf);
				}
				if (!list.empty())
					details += "; senders: " + list;
			}
		} else if (!e.kobject.empty()) {
			details = e.kobject + " port (kernel object)";
		} else if (e.port == "?") {
			details = "-> (port id unknown)";
		} else if (!e.port.empty()) {
			auto it = receivers.find(e.port);
			if (it == receivers.end())
				details = "-> receive right in transit (in a message) or unseen";
			else if (it->second.pid == s.pid)
				details = "-> own receive right";
			else
				details = "-> receive right held by " + who(it->second);
		}
		printf("  0x%08x  %-22s %5u  %-16s  %s\n", e.name, e.type.c_str(), e.urefs,
		       e.port.empty() ? "-" : e.port.c_str(), details.c_str());
	}
}

[[noreturn]] void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: lsmach [-p PID]... [-s] [-d DIR]\n"
		"  Lists the Mach names, rights and ports of every process using /dev/mach.\n"
		"  -p PID   only this process (repeatable)\n"
		"  -s       only the module's live-object counters\n"
		"  -d DIR   read DIR/spaces and DIR/stats instead of %s\n",
		"/sys/kernel/debug/mach");
	exit(rc);
}

} // namespace

int main(int argc, char **argv)
{
	std::string dir = "/sys/kernel/debug/mach";
	std::set<int> pids;
	bool stats_only = false;

	for (int i = 1; i < argc; i++) {
		std::string_view a = argv[i];
		if (a == "-p" && i + 1 < argc) {
			char *end = nullptr;
			long p = strtol(argv[++i], &end, 10);
			if (!end || *end || p <= 0)
				usage(2);
			pids.insert(static_cast<int>(p));
		} else if (a == "-s") {
			stats_only = true;
		} else if (a == "-d" && i + 1 < argc) {
			dir = argv[++i];
		} else if (a == "-h" || a == "--help") {
			usage(0);
		} else {
			usage(2);
		}
	}

	std::string stats, text;
	const std::string stats_path = dir + "/stats", spaces_path = dir + "/spaces";
	errno = 0;
	if (!slurp(stats_path, stats) || (!stats_only && !slurp(spaces_path, text))) {
		int err = errno;
		fprintf(stderr, "lsmach: cannot read %s: %s\n", stats.empty() ? stats_path.c_str()
			: spaces_path.c_str(), strerror(err));
		if (err == EACCES || err == EPERM)
			fprintf(stderr, "lsmach: mach.ko's debugfs view is readable by root only\n");
		else
			fprintf(stderr, "lsmach: is mach.ko loaded and debugfs mounted "
				"(mount -t debugfs debugfs /sys/kernel/debug)?\n");
		return 1;
	}

	// "spaces 3\nports 12\n..." on one line
	std::string line;
	std::istringstream sin(stats);
	std::string summary;
	while (std::getline(sin, line))
		if (!line.empty())
			summary += (summary.empty() ? "" : ", ") + line;
	printf("mach.ko live objects: %s\n", summary.c_str());
	if (stats_only)
		return 0;

	std::vector<space> spaces = parse_spaces(text);

	// Who holds each port's receive right, and who holds send rights to it.
	std::map<std::string, holder> receivers;
	std::map<std::string, std::vector<holder>> senders;
	for (const space &s : spaces)
		for (const entry &e : s.entries) {
			if (e.port.empty())
				continue;
			holder h{s.pid, s.comm, e.name};
			if (e.receiver)
				receivers[e.port] = h;
			else
				senders[e.port].push_back(h);
		}
	std::set<int> shown;
	for (const space &s : spaces) {
		if (!pids.empty() && !pids.count(s.pid))
			continue;
		printf("\n");
		print_space(s, receivers, senders);
		shown.insert(s.pid);
	}
	if (pids.empty() && shown.empty())
		printf("\nno process uses /dev/mach\n");
	int rc = 0;
	for (int p : pids)
		if (!shown.count(p)) {
			fprintf(stderr, "lsmach: pid %d has no Mach space\n", p);
			rc = 1;
		}
	return rc;
}
