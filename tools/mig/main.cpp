// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mig: the command line, as Apple's:
//
//   mig [-user F] [-server F] [-header F] [-sheader F] [-iheader F]
//       [-dheader F] [-I dir] [-D name[=v]] [-U name] [-cpp cmd] [-arch a]
//       [-maxonstack n] [-split] [-q|-Q|-v|-V] [-novouchers] file.defs
//
// runs the C preprocessor on the input (with -I/-D/-U, -D__MACH30__ and
// the directory of the installed standard .defs on the include path),
// parses the result, generates every output in memory, and only then
// writes each file through a temporary name and rename(), so that a failed
// run never leaves a half-written file.  Default outputs: <sub>User.c,
// <sub>Server.c, <sub>.h in the current directory (no server header unless
// -sheader).

#include "mig.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#ifndef MIG_STD_DEFS_DIR
#define MIG_STD_DEFS_DIR "/usr/local/include"
#endif

namespace {

[[noreturn]] void usage(const char *why)
{
	fprintf(stderr, "mig: %s\n"
		"usage: mig [-user F] [-server F] [-header F] [-sheader F] [-iheader F]\n"
		"           [-dheader F] [-I dir] [-D name[=v]] [-U name] [-cpp cmd] [-arch a]\n"
		"           [-maxonstack n] [-split] file.defs\n", why);
	exit(2);
}

// Runs cpp, returns its output; exits on failure.
std::string preprocess(const std::string &cpp, const std::vector<std::string> &flags,
		       const std::string &file)
{
	int fds[2];
	if (pipe(fds) < 0) {
		perror("mig: pipe");
		exit(1);
	}
	std::vector<std::string> argv_s;
	// -cpp may carry arguments ("gcc -E"): split it on blanks.
	size_t i = 0;
	while (i < cpp.size()) {
		size_t j = cpp.find(' ', i);
		if (j == std::string::npos)
			j = cpp.size();
		if (j > i)
			argv_s.push_back(cpp.substr(i, j - i));
		i = j + 1;
	}
	if (argv_s.empty())
		usage("empty -cpp command");
	bool is_e = false;
	for (const auto &a : argv_s)
		if (a == "-E")
			is_e = true;
	if (!is_e && argv_s[0].find("cpp") == std::string::npos)
		argv_s.push_back("-E");
	argv_s.push_back("-x");
	argv_s.push_back("c");
	for (const auto &f : flags)
		argv_s.push_back(f);
	argv_s.push_back(file);
	std::vector<char *> argv;
	for (auto &a : argv_s)
		argv.push_back(a.data());
	argv.push_back(nullptr);

	pid_t pid = fork();
	if (pid < 0) {
		perror("mig: fork");
		exit(1);
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv.data());
		fprintf(stderr, "mig: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	std::string out;
	char buf[65536];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			out.append(buf, static_cast<size_t>(n));
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mig: the preprocessor failed on %s\n", file.c_str());
		exit(1);
	}
	return out;
}

struct Pending {
	std::string path, tmp;
};

bool write_tmp(Pending &p, const std::string &text)
{
	p.tmp = p.path + ".mig-tmp-" + std::to_string(getpid());
	FILE *f = fopen(p.tmp.c_str(), "w");
	if (!f) {
		fprintf(stderr, "mig: cannot write %s: %s\n", p.tmp.c_str(), strerror(errno));
		return false;
	}
	bool ok = fwrite(text.data(), 1, text.size(), f) == text.size();
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "mig: cannot write %s: %s\n", p.tmp.c_str(), strerror(errno));
	return ok;
}

std::string base_name(const std::string &path)
{
	size_t s = path.rfind('/');
	return s == std::string::npos ? path : path.substr(s + 1);
}

} // namespace

int main(int argc, char **argv)
{
	std::string user, server, header, sheader, iheader, dheader;
	bool user_set = false, server_set = false, header_set = false;
	std::string cpp = "cc -E";
	std::vector<std::string> flags = { "-D__MACH30__" };
	std::vector<std::string> late_includes;
	std::string file;
	mig::GenOptions opt;

	auto need = [&](int &i) -> std::string {
		if (i + 1 >= argc)
			usage((std::string(argv[i]) + " needs an argument").c_str());
		return argv[++i];
	};
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "-user") {
			user = need(i);
			user_set = true;
		} else if (a == "-server") {
			server = need(i);
			server_set = true;
		} else if (a == "-header") {
			header = need(i);
			header_set = true;
		} else if (a == "-sheader") {
			sheader = need(i);
		} else if (a == "-iheader") {
			iheader = need(i);
		} else if (a == "-dheader") {
			dheader = need(i);
		} else if (a == "-cpp") {
			cpp = need(i);
		} else if (a == "-arch") {
			std::string arch = need(i);
			if (arch != "x86_64" && arch != "arm64" && arch != "aarch64")
				usage(("unsupported -arch " + arch + " (LP64 only: x86_64, arm64)").c_str());
		} else if (a == "-maxonstack") {
			opt.maxonstack = atoi(need(i).c_str());
		} else if (a == "-split") {
			opt.split = true;
		} else if (a == "-I" || a == "-D" || a == "-U") {
			flags.push_back(a);
			flags.push_back(need(i));
		} else if (a.size() > 2 && (a.compare(0, 2, "-I") == 0 || a.compare(0, 2, "-D") == 0 ||
					    a.compare(0, 2, "-U") == 0)) {
			flags.push_back(a);
		} else if (a == "-isysroot" || a == "-target") {
			need(i);	// Darwin SDK options: nothing to do here
		} else if (a == "-q" || a == "-Q" || a == "-v" || a == "-V" || a == "-r" || a == "-R" ||
			   a == "-s" || a == "-S" || a == "-l" || a == "-L" || a == "-k" || a == "-K" ||
			   a == "-novouchers" || a == "-MD") {
			// quiet/verbose, old options Apple's mig accepts and ignores
		} else if (a == "-h" || a == "--help") {
			usage("help");
		} else if (!a.empty() && a[0] == '-') {
			usage(("unknown option " + a).c_str());
		} else {
			if (!file.empty())
				usage("more than one .defs file");
			file = a;
		}
	}
	if (file.empty())
		usage("no .defs file");
	if (access(file.c_str(), R_OK) != 0) {
		fprintf(stderr, "mig: cannot read %s: %s\n", file.c_str(), strerror(errno));
		return 1;
	}
	// The .defs file's own directory, then the standard definitions.
	size_t slash = file.rfind('/');
	flags.push_back("-I" + (slash == std::string::npos ? std::string(".") : file.substr(0, slash)));
	if (const char *d = getenv("MIG_STD_DEFS"))
		flags.push_back(std::string("-I") + d);
	flags.push_back("-I" MIG_STD_DEFS_DIR);

	std::string text = preprocess(cpp, flags, file);
	mig::Subsystem sub = mig::parse(text, file);

	if (!user_set)
		user = sub.name + "User.c";
	if (!server_set)
		server = sub.name + "Server.c";
	if (!header_set)
		header = sub.name + ".h";
	opt.user_name = header.empty() ? sub.name + ".h" : base_name(header);
	opt.sheader_name = sheader.empty() ? opt.user_name : base_name(sheader);
	opt.header_name = opt.user_name;
	mig::Outputs out = mig::generate(sub, opt);
	if (sheader.empty()) {
		// Without -sheader, the server file declares what it needs itself.
		// Server stubs include the user header, which has the types.
	}

	std::vector<std::pair<std::string, const std::string *>> todo;
	if (!user.empty() && user != "/dev/null")
		todo.push_back({ user, &out.user });
	if (!server.empty() && server != "/dev/null")
		todo.push_back({ server, &out.server });
	if (!header.empty() && header != "/dev/null")
		todo.push_back({ header, &out.header });
	if (!sheader.empty() && sheader != "/dev/null")
		todo.push_back({ sheader, &out.sheader });
	if (!iheader.empty() && iheader != "/dev/null")
		todo.push_back({ iheader, &out.sheader });
	if (!dheader.empty() && dheader != "/dev/null")
		todo.push_back({ dheader, &out.header });

	std::vector<Pending> pend;
	bool ok = true;
	for (auto &t : todo) {
		Pending p;
		p.path = t.first;
		if (!write_tmp(p, *t.second))
			ok = false;
		pend.push_back(p);
		if (!ok)
			break;
	}
	for (auto &p : pend) {
		if (ok && rename(p.tmp.c_str(), p.path.c_str()) != 0) {
			fprintf(stderr, "mig: cannot rename %s to %s: %s\n", p.tmp.c_str(), p.path.c_str(),
				strerror(errno));
			ok = false;
		}
		if (!ok)
			unlink(p.tmp.c_str());
	}
	return ok ? 0 : 1;
}
