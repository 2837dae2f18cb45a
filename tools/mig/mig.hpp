// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// mig: the interface generator.  The model shared by the parser (parse.cpp)
// and the generator (gen.cpp): types, arguments, routines, the subsystem.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace mig {

// Where a construct came from, after the C preprocessor (its line markers).
struct Loc {
	std::string file;
	int line = 0;
};

[[noreturn]] void fatal(const Loc &loc, const std::string &msg);

// MACH_MSG_TYPE_* values as the wire uses them.
enum : int {
	MT_UNSTRUCTURED = 0,
	MT_BOOLEAN = 0,
	MT_INTEGER_16 = 1,
	MT_INTEGER_32 = 2,
	MT_CHAR = 8,
	MT_BYTE = 9,
	MT_REAL = 10,
	MT_INTEGER_64 = 11,
	MT_STRING = 12,
	MT_PORT_NAME = 15,
	MT_MOVE_RECEIVE = 16,
	MT_MOVE_SEND = 17,
	MT_MOVE_SEND_ONCE = 18,
	MT_COPY_SEND = 19,
	MT_MAKE_SEND = 20,
	MT_MAKE_SEND_ONCE = 21,
	MT_POLYMORPHIC = -1,
};

enum class TK {
	Basic,		// a scalar of `bytes` bytes
	Port,		// a port right, sent in a port descriptor
	Array,		// array[N] of elem (inline, fixed)
	VarArray,	// array[*:N] of elem (inline), array[] of elem (OOL)
	Struct,		// struct[N] of elem (inline, fixed)
	CString,	// c_string[N] or c_string[*:N]
	Pointer,	// ^type: out of line
};

struct Type {
	std::string name;	// the .defs name ("" when anonymous)
	TK kind = TK::Basic;
	Loc loc;
	int bytes = 0;		// Basic: size of one value
	int msgt_in = 0;	// Basic/Port: MACH_MSG_TYPE_* (as sent)
	int msgt_out = 0;	// as received (IPCType | IPCType), else = in
	std::shared_ptr<Type> elem;	// Array, VarArray, Struct, Pointer
	long count = 0;		// Array/Struct/CString: N; VarArray: max, -1 unbounded
	bool var = false;	// CString c_string[*:N]
	std::string ctype, cusertype, cservertype;
	std::string intran_type, intran_fn;
	std::string outtran_type, outtran_fn;
	std::string destructor_fn;
};
using TypeP = std::shared_ptr<Type>;

enum class AK {
	In, Out, InOut, RequestPort, ReplyPort, SReplyPort, UReplyPort,
	WaitTime, SendTime, MsgOption, MsgSeqno, SecToken, AuditToken,
	ServerSecToken, ServerAuditToken, ServerContext,
	UserSecToken, UserAuditToken,
};

struct Arg {
	std::string name;
	AK kind = AK::In;
	TypeP type;
	Loc loc;
	bool dealloc = false;		// dealloc (always), or ...
	bool dealloc_maybe = false;	// dealloc[]: the caller decides
	bool notdealloc = false;
	bool servercopy = false;
	bool countinout = false;
	bool samecount = false;
	bool physicalcopy = false;
	bool overwrite = false;
	bool retcode = false;
	bool isconst = false;
};

struct Routine {
	std::string name;
	bool simple = false;
	bool skip = false;		// a `skip;` placeholder
	Loc loc;
	int number = 0;			// msgh_id - base
	std::vector<Arg> args;
	std::string waittime;		// "" none
	std::string sendtime;
	std::string msgoption;		// "" none
	bool consume_on_send_error = false;
};

struct Import {
	enum Kind { Both, User, Server, Header /* dimport */, IHeader } kind;
	std::string file;	// with its <> or ""
};

struct Subsystem {
	std::string name;
	long base = 0;
	bool kernel_user = false, kernel_server = false;
	std::string user_prefix, server_prefix;
	std::string server_demux;
	std::string rcsid;
	std::string error_proc;
	std::vector<Import> imports;
	std::vector<Routine> routines;
	Loc loc;
};

Subsystem parse(const std::string &text, const std::string &file);

struct Outputs {
	std::string user, server, header, sheader, iheader, dheader;
};

struct GenOptions {
	std::string user_name, server_name, header_name, sheader_name;
	bool split = false;
	int maxonstack = 0;
};

Outputs generate(const Subsystem &s, const GenOptions &opt);

} // namespace mig
