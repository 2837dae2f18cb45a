// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// The generator: from the model of mig.hpp, the user stubs, the server
// stubs with their demux and subsystem table, and the headers.
//
// The wire layout is Darwin's (what Apple's MIG produces for the same
// .defs): a request is the header; if it carries rights or out-of-line
// memory, the body and one descriptor per such argument (in argument
// order); then, if any plain data follows, the NDR record and the data in
// argument order, an out-of-line argument contributing its count there.
// A reply is the same, with the return code after the NDR record when the
// reply is simple (a complex reply carries no return code: errors come
// back as a simple mig_reply_error_t).  Variable inline arrays are
// preceded by their count (a variable c_string also by an unused offset)
// and take only the bytes they use, rounded up to 4; everything after one
// moves up accordingly.  All structures are 4-packed under __MigPackStructs.

#include "mig.hpp"

#include <cstdarg>
#include <cstdio>
#include <functional>

namespace mig {

namespace {

std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *p = nullptr;
	int n = vasprintf(&p, f, ap);
	va_end(ap);
	std::string s = n >= 0 ? std::string(p, static_cast<size_t>(n)) : std::string();
	free(p);
	return s;
}

bool is_request(AK k)
{
	return k == AK::In || k == AK::InOut;
}

bool is_reply(AK k)
{
	return k == AK::Out || k == AK::InOut;
}

bool server_only(AK k)
{
	return k == AK::MsgSeqno || k == AK::SecToken || k == AK::AuditToken ||
	       k == AK::ServerSecToken || k == AK::ServerAuditToken || k == AK::ServerContext;
}

// Arguments the user stub reads from the reply's trailer (Apple's
// akbUserImplicit): the User* tokens, and SecToken/AuditToken, which both
// sides get (the server from the request's trailer).
bool user_trailer(AK k)
{
	return k == AK::UserSecToken || k == AK::UserAuditToken || k == AK::SecToken ||
	       k == AK::AuditToken;
}

bool user_only(AK k)
{
	return k == AK::WaitTime || k == AK::SendTime || k == AK::MsgOption ||
	       k == AK::UReplyPort || k == AK::UserSecToken || k == AK::UserAuditToken;
}

// How an argument travels.
// PortArray: array[N] or array[*:N] of a port type, one port descriptor
// per element (all N always sent, the unused ones null), as Apple's.
enum class Class { Inline, Var, Port, Ool, OolPorts, PortArray };

Class classify(const Type &t)
{
	switch (t.kind) {
	case TK::Port:
		return Class::Port;
	case TK::Pointer:
		return t.elem->kind == TK::Port ||
		       (t.elem->elem && t.elem->elem->kind == TK::Port) ? Class::OolPorts : Class::Ool;
	case TK::VarArray:
		if (t.elem->kind == TK::Port)
			return t.count < 0 ? Class::OolPorts : Class::PortArray;
		return t.count < 0 ? Class::Ool : Class::Var;
	case TK::Array:
		return t.elem->kind == TK::Port ? Class::PortArray : Class::Inline;
	case TK::CString:
		return t.var ? Class::Var : Class::Inline;
	default:
		return Class::Inline;
	}
}

// Size in bytes of an inline fixed-size type.
long fixed_bytes(const Type &t)
{
	switch (t.kind) {
	case TK::Basic:
		return t.bytes;
	case TK::Port:
		return 4;
	case TK::Array:
	case TK::Struct:
		return t.count * fixed_bytes(*t.elem);
	case TK::CString:
		return t.count;
	default:
		return 0;
	}
}

long walign(long n)
{
	return (n + 3) & ~3L;
}

std::string anon_elem_ctype(const Type &t)
{
	if (!t.ctype.empty())
		return t.ctype;
	if (!t.name.empty())
		return t.name;
	if (t.kind == TK::Port)
		return t.msgt_in == MT_PORT_NAME ? "mach_port_name_t" : "mach_port_t";
	switch (t.bytes) {
	case 1:
		return "char";
	case 2:
		return "int16_t";
	case 8:
		return "int64_t";
	default:
		return "int32_t";
	}
}

// The element of an array-ish type (OOL pointers look through ^).
const Type &element(const Type &t)
{
	if (t.kind == TK::Pointer) {
		if (t.elem->kind == TK::VarArray || t.elem->kind == TK::Array)
			return *t.elem->elem;
		return *t.elem;
	}
	if (t.kind == TK::CString) {
		static Type ch = [] {
			Type c;
			c.kind = TK::Basic;
			c.bytes = 1;
			c.ctype = "char";
			return c;
		}();
		return ch;
	}
	return *t.elem;
}

long elem_bytes(const Type &t)
{
	return fixed_bytes(element(t));
}

// The C type of an argument, on one side.
std::string ctype(const Type &t, bool server)
{
	if (server && !t.cservertype.empty())
		return t.cservertype;
	if (!server && !t.cusertype.empty())
		return t.cusertype;
	if (!t.ctype.empty())
		return t.ctype;
	if (!t.name.empty())
		return t.name;
	switch (t.kind) {
	case TK::Basic:
	case TK::Port:
		return anon_elem_ctype(t);
	default:
		return anon_elem_ctype(element(t)) + " *";
	}
}

// A polymorphic right: the sender names its disposition at run time
// (MACH_MSG_TYPE_PORT_SEND etc. are polymorphic only on the sending side),
// and the receiver learns it from the descriptor.
bool poly_send(const Type &t)
{
	const Type &p = classify(t) == Class::OolPorts ? element(t) : t;
	return p.msgt_in == MT_POLYMORPHIC;
}

bool poly_recv(const Type &t)
{
	const Type &p = classify(t) == Class::OolPorts ? element(t) : t;
	return p.msgt_out == MT_POLYMORPHIC;
}

// Disposition as the receiver sees it.
int received_disposition(const Type &t)
{
	const Type &p = classify(t) == Class::OolPorts ? element(t) : t;
	return p.msgt_out;
}

int sent_disposition(const Type &t)
{
	const Type &p = classify(t) == Class::OolPorts ? element(t) : t;
	return p.msgt_in;
}

// '^' of a fixed-size type: one OOL descriptor of exactly that many bytes,
// with no count (Apple checks the size on receipt).
bool fixed_ool(const Type &t)
{
	return classify(t) == Class::Ool && t.kind == TK::Pointer && t.elem->kind != TK::VarArray;
}

// The size expression of an OOL data descriptor for argument n.
std::string ool_size(const Type &t, const std::string &n)
{
	if (fixed_ool(t))
		return fmt("%ld", fixed_bytes(*t.elem));
	return fmt("%ld * %sCnt", elem_bytes(t), n.c_str());
}

// An inline array of polymorphic rights: one disposition for all of them
// (the <name>Poly argument), as Apple's.
bool poly_array_send(const Type &t)
{
	return classify(t) == Class::PortArray && poly_send(*t.elem);
}

bool poly_array_recv(const Type &t)
{
	return classify(t) == Class::PortArray && poly_recv(*t.elem);
}

// One field of a message structure.
struct Field {
	enum Role { Data, Count, CountInOut, Desc } role;
	const Arg *arg;
	Class cls;
	long bytes = 0;		// Data Inline: size; Var: max bytes incl. pad
	int segment = 0;	// which In<k>P / Out<k>P reaches it
};

struct Msg {
	std::vector<Field> fields;
	int ndesc = 0;
	bool ndr = false;
	bool retcode = false;
	long min = 0;		// size with every variable array empty
	long max = 0;		// size with every variable array full
	int nvar = 0;
};

struct RoutineInfo {
	const Routine *r;
	const Arg *request_port = nullptr;
	const Arg *reply_port = nullptr;	// replyport/ureplyport/sreplyport
	Msg req, rep;
	int id, reply_id;
};

Msg layout(const Routine &r, bool request)
{
	Msg m;
	for (const auto &a : r.args) {
		bool in = request ? is_request(a.kind) : is_reply(a.kind);
		if (!in)
			continue;
		Class c = classify(*a.type);
		if (c == Class::Port || c == Class::Ool || c == Class::OolPorts) {
			m.fields.push_back({ Field::Desc, &a, c });
			m.ndesc++;
		} else if (c == Class::PortArray) {
			m.fields.push_back({ Field::Desc, &a, c, 12 * a.type->count });
			m.ndesc += static_cast<int>(a.type->count);
		}
	}
	long size = 24 + (m.ndesc ? 4 : 0);
	for (const auto &f : m.fields)
		size += f.cls == Class::Port ? 12 : f.cls == Class::PortArray ? f.bytes : 16;
	std::vector<Field> inl;
	int seg = 0;
	bool ndr_data = false;	// data that needs NDR but has no inline field
	for (const auto &a : r.args) {
		Class c = classify(*a.type);
		bool in = request ? is_request(a.kind) : is_reply(a.kind);
		if (request && a.kind == AK::Out && a.countinout && (c == Class::Var))
			inl.push_back({ Field::CountInOut, &a, c, 4, seg });
		if (!in)
			continue;
		switch (c) {
		case Class::Inline:
			inl.push_back({ Field::Data, &a, c, walign(fixed_bytes(*a.type)), seg });
			break;
		case Class::Var: {
			long max = walign(a.type->count * elem_bytes(*a.type));
			inl.push_back({ Field::Data, &a, c, max, seg });
			m.nvar++;
			seg++;
			break;
		}
		case Class::Ool:
		case Class::OolPorts:
			if (fixed_ool(*a.type))
				ndr_data = true;	// Apple's layout keeps the NDR record
			else
				inl.push_back({ Field::Count, &a, c, 4, seg });
			break;
		case Class::PortArray:
			if (a.type->kind == TK::VarArray)
				inl.push_back({ Field::Count, &a, c, 4, seg });
			break;
		case Class::Port:
			break;
		}
	}
	m.retcode = !request && m.ndesc == 0;
	m.ndr = !inl.empty() || m.retcode || ndr_data;
	if (m.ndr)
		size += 8;
	if (m.retcode)
		size += 4;
	m.min = m.max = size;
	for (const auto &f : inl) {
		if (f.role == Field::Data && f.cls == Class::Var) {
			long hdr = f.arg->type->kind == TK::CString ? 8 : 4;
			m.min += hdr;
			m.max += hdr + f.bytes;
		} else {
			m.min += f.bytes;
			m.max += f.bytes;
		}
		m.fields.push_back(f);
	}
	return m;
}

class Gen {
public:
	Gen(const Subsystem &s, const GenOptions &o) : s_(s), o_(o)
	{
		for (const auto &r : s.routines) {
			if (r.skip)
				continue;
			check(r);
			RoutineInfo ri;
			ri.r = &r;
			for (const auto &a : r.args) {
				if (a.kind == AK::RequestPort)
					ri.request_port = &a;
				if (a.kind == AK::ReplyPort || a.kind == AK::UReplyPort ||
				    a.kind == AK::SReplyPort)
					ri.reply_port = &a;
			}
			ri.req = layout(r, true);
			ri.rep = layout(r, false);
			ri.id = static_cast<int>(s.base + r.number);
			ri.reply_id = ri.id + 100;
			rs_.push_back(ri);
		}
	}

	Outputs run()
	{
		Outputs out;
		out.header = user_header();
		out.sheader = server_header();
		out.user = user_file();
		out.server = server_file();
		return out;
	}

private:
	// Semantic checks the grammar cannot make.
	void check(const Routine &r)
	{
		bool have_rp = false, have_reply = false;
		for (const auto &a : r.args) {
			Class c = classify(*a.type);
			const Type &t = *a.type;
			switch (a.kind) {
			case AK::RequestPort:
				if (c != Class::Port && !(t.kind == TK::Basic && t.msgt_in == MT_PORT_NAME))
					fatal(a.loc, "request port '" + a.name + "' must be a port");
				if (poly_recv(t))
					fatal(a.loc, "a polymorphic request port is not supported");
				have_rp = true;
				break;
			case AK::ReplyPort:
			case AK::UReplyPort:
			case AK::SReplyPort:
				if (c != Class::Port)
					fatal(a.loc, "reply port '" + a.name + "' must be a port");
				if (have_reply)
					fatal(a.loc, "a second reply port");
				if (r.simple && a.kind != AK::UReplyPort && a.kind != AK::ReplyPort)
					fatal(a.loc, "a simpleroutine has no reply port");
				have_reply = true;
				break;
			case AK::Out:
			case AK::InOut:
				if (r.simple)
					fatal(a.loc, "simpleroutine " + r.name + " cannot have out argument '" +
							     a.name + "'");
				break;
			case AK::ServerAuditToken:
			case AK::AuditToken:
				if (fixed_bytes(t) != 32)
					fatal(a.loc, "an audit token must be 32 bytes (audit_token_t)");
				break;
			case AK::ServerSecToken:
			case AK::SecToken:
				if (fixed_bytes(t) != 8)
					fatal(a.loc, "a security token must be 8 bytes (security_token_t)");
				break;
			case AK::ServerContext:
				if (fixed_bytes(t) != 8)
					fatal(a.loc, "a context must be 8 bytes (mach_port_context_t)");
				break;
			case AK::UserSecToken:
				if (fixed_bytes(t) != 8)
					fatal(a.loc, "a security token must be 8 bytes (security_token_t)");
				if (r.simple)
					fatal(a.loc, "a simpleroutine has no reply to take a token from");
				break;
			case AK::UserAuditToken:
				if (fixed_bytes(t) != 32)
					fatal(a.loc, "an audit token must be 32 bytes (audit_token_t)");
				if (r.simple)
					fatal(a.loc, "a simpleroutine has no reply to take a token from");
				break;
			default:
				break;
			}
			if (t.kind == TK::Pointer && t.elem->kind != TK::VarArray && c != Class::Ool)
				fatal(a.loc, "fixed-size out-of-line ports ('^' of a fixed array of "
					     "ports) are not supported: use ^array[] of");
			if (c == Class::OolPorts && t.kind == TK::VarArray && t.count >= 0 &&
			    t.elem->kind != TK::Port)
				fatal(a.loc, "bad port array");
			if (t.kind == TK::Basic && t.bytes == 0)
				fatal(a.loc, "argument '" + a.name + "' has a type of no size");
			if (a.kind == AK::InOut && c == Class::Var)
				fatal(a.loc, "'" + a.name + "': a variable inline array cannot be inout "
					     "(as in Apple's MIG)");
			if (a.countinout && (a.kind != AK::Out || c != Class::Var))
				fatal(a.loc, "CountInOut applies to an out variable inline array");
			if ((a.dealloc || a.dealloc_maybe) && c != Class::Ool && c != Class::OolPorts &&
			    c != Class::Port)
				fatal(a.loc, "dealloc applies to out-of-line data");
			if (t.kind == TK::Basic && t.msgt_in >= MT_MOVE_RECEIVE)
				fatal(a.loc, "internal: port in a basic type");
		}
		if (!have_rp)
			fatal(r.loc, "routine " + r.name + " has no request port (first argument)");
	}

	std::string uname(const Routine &r) const { return s_.user_prefix + r.name; }
	std::string sname(const Routine &r) const { return s_.server_prefix + r.name; }
	std::string demux() const
	{
		return s_.server_demux.empty() ? s_.name + "_server" : s_.server_demux;
	}

	// ---- structure declarations ---------------------------------------

	static std::string field_type(const Arg &a)
	{
		const Type &t = *a.type;
		if (t.kind == TK::Basic)
			return ctype(t, false);
		if (!t.name.empty() || !t.ctype.empty())
			return ctype(t, false);
		return "";
	}

	static void decl_fields(std::string &o, const Msg &m, bool reply)
	{
		o += "\t\tmach_msg_header_t Head;\n";
		bool body = m.ndesc > 0;
		if (body) {
			o += "\t\t/* start of the kernel processed data */\n";
			o += "\t\tmach_msg_body_t msgh_body;\n";
		}
		for (const auto &f : m.fields) {
			if (f.role != Field::Desc)
				continue;
			const char *d = f.cls == Class::Port || f.cls == Class::PortArray ?
						"mach_msg_port_descriptor_t" :
					f.cls == Class::Ool ? "mach_msg_ool_descriptor_t" :
							      "mach_msg_ool_ports_descriptor_t";
			if (f.cls == Class::PortArray)
				o += fmt("\t\t%s %s[%ld];\n", d, f.arg->name.c_str(), f.arg->type->count);
			else
				o += fmt("\t\t%s %s;\n", d, f.arg->name.c_str());
		}
		if (body)
			o += "\t\t/* end of the kernel processed data */\n";
		if (m.ndr)
			o += "\t\tNDR_record_t NDR;\n";
		if (reply && m.retcode)
			o += "\t\tkern_return_t RetCode;\n";
		for (const auto &f : m.fields) {
			const Arg &a = *f.arg;
			const Type &t = *a.type;
			const char *n = a.name.c_str();
			if (f.role == Field::Count || f.role == Field::CountInOut) {
				o += fmt("\t\tmach_msg_type_number_t %sCnt;\n", n);
				continue;
			}
			if (f.role != Field::Data)
				continue;
			if (f.cls == Class::Var) {
				long used = t.count * elem_bytes(t);
				if (t.kind == TK::CString)
					o += fmt("\t\tmach_msg_type_number_t %sOffset; /* MiG doesn't use it */\n", n);
				o += fmt("\t\tmach_msg_type_number_t %sCnt;\n", n);
				o += fmt("\t\t%s %s[%ld];\n", anon_elem_ctype(element(t)).c_str(), n, t.count);
				if (f.bytes > used)
					o += fmt("\t\tchar %sPad[%ld];\n", n, f.bytes - used);
				continue;
			}
			std::string ft = field_type(a);
			if (!ft.empty())
				o += fmt("\t\t%s %s;\n", ft.c_str(), n);
			else if (t.kind == TK::CString)
				o += fmt("\t\tchar %s[%ld];\n", n, t.count);
			else
				o += fmt("\t\t%s %s[%ld];\n", anon_elem_ctype(element(t)).c_str(), n, t.count);
			long size = fixed_bytes(t);
			if (f.bytes > size)
				o += fmt("\t\tchar %sPad[%ld];\n", n, f.bytes - size);
		}
	}

	static std::string struct_decl(const Msg &m, bool reply, const std::string &name,
				       const char *trailer, const char *indent = "\t")
	{
		std::string o;
		o += "#ifdef  __MigPackStructs\n#pragma pack(push, 4)\n#endif\n";
		o += fmt("%stypedef struct {\n", indent);
		decl_fields(o, m, reply);
		if (trailer)
			o += fmt("\t\t%s trailer;\n", trailer);
		o += fmt("%s} %s __attribute__((unused));\n", indent, name.c_str());
		o += "#ifdef  __MigPackStructs\n#pragma pack(pop)\n#endif\n";
		return o;
	}

	// ---- prototypes ----------------------------------------------------

	struct Param {
		std::string decl;
	};

	std::vector<std::string> user_params(const Routine &r) const
	{
		std::vector<std::string> ps;
		for (const auto &a : r.args) {
			if (user_trailer(a.kind) && !r.simple) {
				ps.push_back(ctype(*a.type, false) + " *" + a.name);
				continue;
			}
			if (server_only(a.kind) || a.kind == AK::SReplyPort)
				continue;
			const Type &t = *a.type;
			std::string ct = ctype(t, false);
			if (a.isconst && a.kind == AK::In)
				ct = "const " + ct;
			if (a.kind == AK::WaitTime || a.kind == AK::SendTime) {
				ps.push_back(ct + " " + a.name);
				continue;
			}
			data_params(ps, a, ct, false);
		}
		return ps;
	}

	// The C parameters of one data argument, on the user side (server
	// false) or the server's.  The side that sends the argument (the user
	// for in, the server for out) chooses a polymorphic disposition and an
	// OOL dealloc flag; the other side is told the disposition.
	static void data_params(std::vector<std::string> &ps, const Arg &a, const std::string &ct,
				bool server)
	{
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		const Class c = classify(t);
		const bool out = a.kind == AK::Out || a.kind == AK::InOut;
		const bool sends = out == server;
		const char *star = out ? "*" : "";
		const bool byref_array = t.kind == TK::Array || t.kind == TK::CString;
		switch (c) {
		case Class::Inline:
			ps.push_back(fmt("%s %s%s", ct.c_str(), out && !byref_array ? "*" : "", n));
			break;
		case Class::Port:
			ps.push_back(fmt("%s %s%s", ct.c_str(), star, n));
			if (sends ? poly_send(t) : poly_recv(t))
				ps.push_back(fmt("mach_msg_type_name_t %s%sPoly", star, n));
			break;
		case Class::Var:
		case Class::PortArray:
			ps.push_back(fmt("%s %s", ct.c_str(), n));
			if (sends ? poly_array_send(t) : poly_array_recv(t))
				ps.push_back(fmt("mach_msg_type_name_t %s%sPoly", star, n));
			if (t.kind != TK::CString && t.kind != TK::Array)
				ps.push_back(fmt("mach_msg_type_number_t %s%sCnt", star, n));
			break;
		case Class::Ool:
		case Class::OolPorts:
			ps.push_back(fmt("%s %s%s", ct.c_str(), star, n));
			if (c == Class::OolPorts && (sends ? poly_send(t) : poly_recv(t)))
				ps.push_back(fmt("mach_msg_type_name_t %s%sPoly", star, n));
			if (!fixed_ool(t))
				ps.push_back(fmt("mach_msg_type_number_t %s%sCnt", star, n));
			if (a.dealloc_maybe && sends)
				ps.push_back(fmt("boolean_t %s%sDealloc", star, n));
			break;
		}
	}

	std::vector<std::string> server_params(const Routine &r) const
	{
		std::vector<std::string> ps;
		for (const auto &a : r.args) {
			if (user_only(a.kind))
				continue;
			const Type &t = *a.type;
			std::string ct = ctype(t, true);
			if (!t.intran_fn.empty())
				ct = t.intran_type;
			if (!t.outtran_fn.empty() && (a.kind == AK::Out))
				ct = t.outtran_type;
			if (a.isconst && a.kind == AK::In)
				ct = "const " + ct;
			if (server_only(a.kind)) {
				bool byptr = a.kind == AK::SecToken || a.kind == AK::AuditToken;
				ps.push_back(ct + (byptr ? " *" : " ") + a.name);
				continue;
			}
			data_params(ps, a, ct, true);
		}
		return ps;
	}

	static std::string join_params(const std::vector<std::string> &ps)
	{
		if (ps.empty())
			return "(void)";
		std::string o = "(\n";
		for (size_t i = 0; i < ps.size(); i++)
			o += "\t" + ps[i] + (i + 1 < ps.size() ? ",\n" : "\n");
		return o + ")";
	}

	// ---- headers ---------------------------------------------------------

	std::string imports(bool user) const
	{
		std::string o;
		for (const auto &im : s_.imports) {
			bool take = im.kind == Import::Both || im.kind == Import::Header ||
				    (user ? im.kind == Import::User : im.kind == Import::Server);
			if (take)
				o += "#include " + im.file + "\n";
		}
		return o;
	}

	std::string common_prologue() const
	{
		std::string o;
		o += "#include <string.h>\n#include <mach/ndr.h>\n#include <mach/boolean.h>\n";
		o += "#include <mach/kern_return.h>\n#include <mach/notify.h>\n";
		o += "#include <mach/mach_types.h>\n#include <mach/message.h>\n";
		o += "#include <mach/mig_errors.h>\n#include <mach/port.h>\n\n";
		return o;
	}

	// The server side's subsystem name: Apple's ServerSubsys, with the
	// ServerPrefix (catch_mach_exc_subsystem, do_notify_subsystem).
	std::string server_subsys() const { return s_.server_prefix + s_.name + "_subsystem"; }

	// The message unions carry the side's prefix (UserPrefix in the user
	// header, ServerPrefix in the server's), as Apple's do.
	std::string typedefs(bool user) const
	{
		std::string o;
		const std::string &n = s_.name;
		const std::string un = (user ? s_.user_prefix : s_.server_prefix) + n;
		o += "/* The largest layout of each message; variable arrays shrink on the wire. */\n";
		o += fmt("#ifndef __Request__%s_subsystem__defined\n#define __Request__%s_subsystem__defined\n\n",
			 n.c_str(), n.c_str());
		for (const auto &ri : rs_)
			o += struct_decl(ri.req, false, "__Request__" + ri.r->name + "_t", nullptr) + "\n";
		o += fmt("#endif /* !__Request__%s_subsystem__defined */\n\n", n.c_str());
		o += fmt("#ifndef __RequestUnion__%s_subsystem__defined\n"
			 "#define __RequestUnion__%s_subsystem__defined\n"
			 "union __RequestUnion__%s_subsystem {\n", un.c_str(), un.c_str(), un.c_str());
		for (const auto &ri : rs_)
			o += fmt("\t__Request__%s_t Request_%s;\n", ri.r->name.c_str(), ri.r->name.c_str());
		o += fmt("};\n#endif /* !__RequestUnion__%s_subsystem__defined */\n\n", un.c_str());
		o += fmt("#ifndef __Reply__%s_subsystem__defined\n#define __Reply__%s_subsystem__defined\n\n",
			 n.c_str(), n.c_str());
		for (const auto &ri : rs_)
			o += struct_decl(ri.rep, true, "__Reply__" + ri.r->name + "_t", nullptr) + "\n";
		o += fmt("#endif /* !__Reply__%s_subsystem__defined */\n\n", n.c_str());
		o += fmt("#ifndef __ReplyUnion__%s_subsystem__defined\n"
			 "#define __ReplyUnion__%s_subsystem__defined\n"
			 "union __ReplyUnion__%s_subsystem {\n", un.c_str(), un.c_str(), un.c_str());
		for (const auto &ri : rs_)
			o += fmt("\t__Reply__%s_t Reply_%s;\n", ri.r->name.c_str(), ri.r->name.c_str());
		o += fmt("};\n#endif /* !__ReplyUnion__%s_subsystem__defined */\n\n", un.c_str());
		return o;
	}

	std::string banner(const char *what) const
	{
		return fmt("/*\n * %s for subsystem %s, generated by mig (Mach IPC for Linux).\n"
			   " * Do not edit.\n */\n", what, s_.name.c_str());
	}

	std::string user_header() const
	{
		const std::string &n = s_.name;
		std::string o = banner("User interface");
		o += fmt("#ifndef\t_%s_user_\n#define\t_%s_user_\n\n", n.c_str(), n.c_str());
		o += common_prologue();
		o += fmt("#ifndef\t%s_MSG_COUNT\n#define\t%s_MSG_COUNT\t%zu\n#endif\t/* %s_MSG_COUNT */\n\n",
			 n.c_str(), n.c_str(), s_.routines.size(), n.c_str());
		o += "#include <Availability.h>\n#include <mach/std_types.h>\n#include <mach/mig.h>\n";
		o += imports(true) + "\n";
		o += "#ifdef __BeforeMigUserHeader\n__BeforeMigUserHeader\n#endif /* __BeforeMigUserHeader */\n\n";
		o += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
		for (const auto &ri : rs_) {
			o += fmt("/* %s %s */\n#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n",
				 ri.r->simple ? "SimpleRoutine" : "Routine", ri.r->name.c_str());
			o += "kern_return_t " + uname(*ri.r) + "\n" + join_params(user_params(*ri.r)) + ";\n\n";
		}
		o += "#ifdef __cplusplus\n}\n#endif\n\n";
		o += typedefs(true);
		o += fmt("#ifndef subsystem_to_name_map_%s\n#define subsystem_to_name_map_%s \\\n",
			 n.c_str(), n.c_str());
		for (size_t i = 0; i < rs_.size(); i++)
			o += fmt("    { \"%s\", %d }%s\n", rs_[i].r->name.c_str(), rs_[i].id,
				 i + 1 < rs_.size() ? ",\\" : "");
		o += "#endif\n\n";
		o += "#ifdef __AfterMigUserHeader\n__AfterMigUserHeader\n#endif /* __AfterMigUserHeader */\n\n";
		o += fmt("#endif\t /* _%s_user_ */\n", n.c_str());
		return o;
	}

	std::string subsystem_decl() const
	{
		return fmt("struct %s {\n"
			   "\tmig_server_routine_t\tserver;\t/* Server routine */\n"
			   "\tmach_msg_id_t\tstart;\t/* Min routine number */\n"
			   "\tmach_msg_id_t\tend;\t/* Max routine number + 1 */\n"
			   "\tunsigned int\tmaxsize;\t/* Max msg size */\n"
			   "\tvm_address_t\treserved;\t/* Reserved */\n"
			   "\tstruct routine_descriptor\t/* Array of routine descriptors */\n"
			   "\t\troutine[%zu];\n}", server_subsys().c_str(), s_.routines.size());
	}

	std::string server_header() const
	{
		const std::string &n = s_.name;
		std::string o = banner("Server interface");
		o += fmt("#ifndef\t_%s_server_\n#define\t_%s_server_\n\n", n.c_str(), n.c_str());
		o += common_prologue();
		o += "#include <Availability.h>\n#include <mach/std_types.h>\n#include <mach/mig.h>\n";
		o += imports(false) + "\n";
		o += "#ifdef __BeforeMigServerHeader\n__BeforeMigServerHeader\n#endif /* __BeforeMigServerHeader */\n\n";
		o += "#ifndef MIG_SERVER_ROUTINE\n#define MIG_SERVER_ROUTINE\n#endif\n\n";
		o += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
		for (const auto &ri : rs_) {
			o += fmt("/* %s %s */\n#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\nMIG_SERVER_ROUTINE\n",
				 ri.r->simple ? "SimpleRoutine" : "Routine", ri.r->name.c_str());
			o += "kern_return_t " + sname(*ri.r) + "\n" + join_params(server_params(*ri.r)) + ";\n\n";
		}
		o += fmt("#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n"
			 "boolean_t %s(\n\t\tmach_msg_header_t *InHeadP,\n\t\tmach_msg_header_t *OutHeadP);\n\n",
			 demux().c_str());
		o += fmt("#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n"
			 "mig_routine_t %s_routine(\n\t\tmach_msg_header_t *InHeadP);\n\n", demux().c_str());
		o += "/* Description of this subsystem, for use in direct RPC */\n";
		o += "extern const " + subsystem_decl() + " " + server_subsys() + ";\n\n";
		o += "#ifdef __cplusplus\n}\n#endif\n\n";
		o += typedefs(false);
		o += "#ifdef __AfterMigServerHeader\n__AfterMigServerHeader\n#endif /* __AfterMigServerHeader */\n\n";
		o += fmt("#endif\t /* _%s_server_ */\n", n.c_str());
		return o;
	}

	// ---- shared code pieces -------------------------------------------

	static const char *file_macros()
	{
		return "#ifndef\tmig_internal\n#define\tmig_internal\tstatic __inline__\n#endif\t/* mig_internal */\n\n"
		       "#ifndef\tmig_external\n#define mig_external\n#endif\t/* mig_external */\n\n"
		       "#if\t!defined(__MigTypeCheck) && defined(TypeCheck)\n"
		       "#define\t__MigTypeCheck\t\tTypeCheck\t/* Legacy setting */\n#endif\t/* !defined(__MigTypeCheck) */\n\n"
		       "#ifndef __MigTypeCheck\n#define __MigTypeCheck 1\n#endif\n\n"
		       "#ifndef\t_WALIGN_\n#define _WALIGN_(x) (((x) + 3) & ~3)\n#endif\t/* _WALIGN_ */\n\n"
		       "#ifndef\t_WALIGNSZ_\n#define _WALIGNSZ_(x) _WALIGN_(sizeof(x))\n#endif\t/* _WALIGNSZ_ */\n\n"
		       "#ifndef\tUseStaticTemplates\n#define\tUseStaticTemplates\t0\n#endif\t/* UseStaticTemplates */\n\n"
		       "#ifndef\t__MachMsgErrorWithTimeout\n#define\t__MachMsgErrorWithTimeout(_R_) { \\\n"
		       "\tswitch (_R_) { \\\n\tcase MACH_SEND_INVALID_DATA: \\\n\tcase MACH_SEND_INVALID_DEST: \\\n"
		       "\tcase MACH_SEND_INVALID_HEADER: \\\n\t\tmig_put_reply_port(InP->Head.msgh_local_port); \\\n"
		       "\t\tbreak; \\\n\tdefault: \\\n\t\tmig_dealloc_reply_port(InP->Head.msgh_local_port); \\\n"
		       "\t} \\\n}\n#endif\t/* __MachMsgErrorWithTimeout */\n\n"
		       "#ifndef\t__MachMsgErrorWithoutTimeout\n#define\t__MachMsgErrorWithoutTimeout(_R_) { \\\n"
		       "\tswitch (_R_) { \\\n\tcase MACH_SEND_INVALID_DATA: \\\n\tcase MACH_SEND_INVALID_DEST: \\\n"
		       "\tcase MACH_SEND_INVALID_HEADER: \\\n\t\tmig_put_reply_port(InP->Head.msgh_local_port); \\\n"
		       "\t\tbreak; \\\n\tdefault: \\\n\t\tmig_dealloc_reply_port(InP->Head.msgh_local_port); \\\n"
		       "\t} \\\n}\n#endif\t/* __MachMsgErrorWithoutTimeout */\n\n"
		       "#ifndef\t__DeclareSendRpc\n#define\t__DeclareSendRpc(_NUM_, _NAME_)\n#endif\n"
		       "#ifndef\t__BeforeSendRpc\n#define\t__BeforeSendRpc(_NUM_, _NAME_)\n#endif\n"
		       "#ifndef\t__AfterSendRpc\n#define\t__AfterSendRpc(_NUM_, _NAME_)\n#endif\n"
		       "#ifndef\t__DeclareSendSimple\n#define\t__DeclareSendSimple(_NUM_, _NAME_)\n#endif\n"
		       "#ifndef\t__BeforeSendSimple\n#define\t__BeforeSendSimple(_NUM_, _NAME_)\n#endif\n"
		       "#ifndef\t__AfterSendSimple\n#define\t__AfterSendSimple(_NUM_, _NAME_)\n#endif\n\n";
	}

	// Fills the N descriptors of an inline port array from src[0..cnt).
	static std::string put_port_array(const char *P, const Arg &a, const std::string &src,
					  const std::string &cnt, const std::string &too_large)
	{
		const char *n = a.name.c_str();
		long max = a.type->count;
		std::string o;
		if (a.type->kind == TK::VarArray)
			o += fmt("\tif (%s > %ld)\n\t\t%s\n", cnt.c_str(), max, too_large.c_str());
		o += fmt("\t{\n\t\tunsigned int i;\n\n\t\tfor (i = 0; i < %ld; i++) {\n"
			 "\t\t\t%s->%s[i].name = i < (%s) ? %s[i] : MACH_PORT_NULL;\n"
			 "\t\t\t%s->%s[i].pad1 = 0;\n\t\t\t%s->%s[i].pad2 = 0;\n"
			 "\t\t\t%s->%s[i].disposition = %s;\n"
			 "\t\t\t%s->%s[i].type = MACH_MSG_PORT_DESCRIPTOR;\n\t\t}\n\t}\n",
			 max, P, n, cnt.c_str(), src.c_str(), P, n, P, n, P, n,
			 poly_send(*a.type->elem) ? (a.name + "Poly").c_str()
						  : fmt("%d", sent_disposition(*a.type->elem)).c_str(),
			 P, n);
		return o;
	}

	// One descriptor of a message being built (P is InP for a request on
	// the user side, OutP for a reply on the server's): the same fields in
	// the same order either way.  value is what a port descriptor carries.
	static std::string put_descriptor(const char *P, const Arg &a, Class cls,
					  const std::string &value, const std::string &too_large)
	{
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		const std::string disp = poly_send(t) ? a.name + "Poly" : fmt("%d", sent_disposition(t));
		const std::string dealloc = a.dealloc_maybe ? a.name + "Dealloc" : a.dealloc ? "TRUE" : "FALSE";
		std::string o;
		switch (cls) {
		case Class::Port:
			o += fmt("\t%s->%s.name = %s;\n\t%s->%s.pad1 = 0;\n\t%s->%s.pad2 = 0;\n", P, n,
				 value.c_str(), P, n, P, n);
			o += fmt("\t%s->%s.disposition = %s;\n", P, n, disp.c_str());
			o += fmt("\t%s->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n", P, n);
			break;
		case Class::PortArray: {
			std::string cnt = t.kind == TK::VarArray ? a.name + "Cnt" : fmt("%ld", t.count);
			o += put_port_array(P, a, a.name, cnt, too_large);
			break;
		}
		case Class::Ool:
			o += fmt("\t%s->%s.address = (void *)(%s);\n", P, n, n);
			o += fmt("\t%s->%s.size = %s;\n", P, n, ool_size(t, a.name).c_str());
			o += fmt("\t%s->%s.deallocate = %s;\n", P, n, dealloc.c_str());
			o += fmt("\t%s->%s.copy = %s;\n", P, n,
				 a.physicalcopy ? "MACH_MSG_PHYSICAL_COPY" : "MACH_MSG_VIRTUAL_COPY");
			o += fmt("\t%s->%s.pad1 = 0;\n\t%s->%s.type = MACH_MSG_OOL_DESCRIPTOR;\n", P, n, P, n);
			break;
		case Class::OolPorts:
			o += fmt("\t%s->%s.address = (void *)(%s);\n", P, n, n);
			o += fmt("\t%s->%s.count = %sCnt;\n", P, n, n);
			o += fmt("\t%s->%s.deallocate = %s;\n", P, n, dealloc.c_str());
			o += fmt("\t%s->%s.copy = MACH_MSG_PHYSICAL_COPY;\n", P, n);
			o += fmt("\t%s->%s.disposition = %s;\n", P, n, disp.c_str());
			o += fmt("\t%s->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;\n", P, n);
			break;
		default:
			break;
		}
		return o;
	}

	// Pointer to the segment a field lives in.
	static std::string seg_ptr(const char *base, int seg)
	{
		return fmt("%s%dP", base, seg);
	}

	// Reads and validates a received message (a request on the server, a
	// reply on the user side).  Leaves the In<k>P/Out<k>P pointers set.
	// `err` returns an error code: "MIG_RETURN_ERROR(OutP, %s)" / "{ ... }".
	static std::string read_checks(const Msg &m, const char *P, const char *T,
				       const std::function<std::string(const char *)> &err,
				       bool reply)
	{
		std::string o;
		std::string p0 = seg_ptr(P, 0);
		o += fmt("\tmsgh_size = %s->Head.msgh_size;\n", p0.c_str());
		o += "#if\t__MigTypeCheck\n";
		if (m.ndesc) {
			o += fmt("\tif (!(%s->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||\n"
				 "\t    %s->msgh_body.msgh_descriptor_count != %d)\n\t\t%s\n",
				 p0.c_str(), p0.c_str(), m.ndesc, err(reply ? "MIG_TYPE_ERROR" : "MIG_BAD_ARGUMENTS").c_str());
		} else {
			o += fmt("\tif (%s->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)\n\t\t%s\n", p0.c_str(),
				 err(reply ? "MIG_TYPE_ERROR" : "MIG_BAD_ARGUMENTS").c_str());
		}
		const char *sz = reply ? "MIG_TYPE_ERROR" : "MIG_BAD_ARGUMENTS";
		if (m.nvar)
			o += fmt("\tif (msgh_size < %ld || msgh_size > %ld)\n\t\t%s\n", m.min, m.max, err(sz).c_str());
		else
			o += fmt("\tif (msgh_size != %ld)\n\t\t%s\n", m.max, err(sz).c_str());
		// descriptors
		for (const auto &f : m.fields) {
			if (f.role != Field::Desc)
				continue;
			const Arg &a = *f.arg;
			const char *n = a.name.c_str();
			if (f.cls == Class::Port) {
				if (poly_recv(*a.type))
					o += fmt("\tif (%s->%s.type != MACH_MSG_PORT_DESCRIPTOR)\n\t\t%s\n", p0.c_str(), n,
						 err("MIG_TYPE_ERROR").c_str());
				else
					o += fmt("\tif (%s->%s.type != MACH_MSG_PORT_DESCRIPTOR ||\n\t    %s->%s.disposition != %d)\n\t\t%s\n",
						 p0.c_str(), n, p0.c_str(), n, received_disposition(*a.type),
						 err("MIG_TYPE_ERROR").c_str());
			} else if (f.cls == Class::PortArray) {
				// Apple's checks only the type of each (null ones may
				// carry any disposition)
				o += fmt("\t{\n\t\tunsigned int i;\n\n\t\tfor (i = 0; i < %ld; i++)\n"
					 "\t\t\tif (%s->%s[i].type != MACH_MSG_PORT_DESCRIPTOR)\n\t\t\t\t%s\n\t}\n",
					 a.type->count, p0.c_str(), n, err("MIG_TYPE_ERROR").c_str());
			} else if (f.cls == Class::Ool) {
				o += fmt("\tif (%s->%s.type != MACH_MSG_OOL_DESCRIPTOR &&\n\t    %s->%s.type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)\n\t\t%s\n",
					 p0.c_str(), n, p0.c_str(), n, err("MIG_TYPE_ERROR").c_str());
				if (fixed_ool(*a.type))
					o += fmt("\tif (%s->%s.size != %ld)\n\t\t%s\n", p0.c_str(), n,
						 fixed_bytes(*a.type->elem), err("MIG_TYPE_ERROR").c_str());
			} else {
				if (poly_recv(*a.type))
					o += fmt("\tif (%s->%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR)\n\t\t%s\n", p0.c_str(), n,
						 err("MIG_TYPE_ERROR").c_str());
				else
					o += fmt("\tif (%s->%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR ||\n\t    %s->%s.disposition != %d)\n\t\t%s\n",
						 p0.c_str(), n, p0.c_str(), n, received_disposition(*a.type),
						 err("MIG_TYPE_ERROR").c_str());
			}
		}
		o += "#endif\t/* __MigTypeCheck */\n";
		// variable arrays: walk the segments
		if (m.nvar)
			o += fmt("\tmsgh_used = %ld;\n", m.min);
		for (const auto &f : m.fields) {
			if (f.role != Field::Data || f.cls != Class::Var)
				continue;
			const Arg &a = *f.arg;
			const char *n = a.name.c_str();
			std::string p = seg_ptr(P, f.segment);
			long eb = elem_bytes(*a.type);
			o += "#if\t__MigTypeCheck\n";
			o += fmt("\tif (%s->%sCnt > %ld)\n\t\t%s\n", p.c_str(), n, a.type->count, err(sz).c_str());
			o += "#endif\t/* __MigTypeCheck */\n";
			o += fmt("\tmsgh_size_delta = _WALIGN_(%ld * %s->%sCnt);\n", eb, p.c_str(), n);
			o += "#if\t__MigTypeCheck\n";
			o += fmt("\tmsgh_used += msgh_size_delta;\n\tif (msgh_used > msgh_size)\n\t\t%s\n", err(sz).c_str());
			if (a.type->kind == TK::CString)
				o += fmt("\tif (%s->%sCnt == 0 || memchr(%s->%s, 0, %s->%sCnt) == NULL)\n\t\t%s\n",
					 p.c_str(), n, p.c_str(), n, p.c_str(), n, err(sz).c_str());
			o += "#endif\t/* __MigTypeCheck */\n";
			o += fmt("\t%s = (%s *) ((char *) %s + msgh_size_delta - %ld);\n",
				 seg_ptr(P, f.segment + 1).c_str(), T, p.c_str(), f.bytes);
		}
		o += "#if\t__MigTypeCheck\n";
		if (m.nvar)
			o += fmt("\tif (msgh_used != msgh_size)\n\t\t%s\n", err(sz).c_str());
		// fixed strings must be terminated; OOL counts must match
		for (const auto &f : m.fields) {
			const Arg &a = *f.arg;
			const char *n = a.name.c_str();
			std::string p = seg_ptr(P, f.segment);
			if (f.role == Field::Data && f.cls == Class::Inline && a.type->kind == TK::CString)
				o += fmt("\tif (memchr(%s->%s, 0, %ld) == NULL)\n\t\t%s\n", p.c_str(), n,
					 a.type->count, err(sz).c_str());
			if (f.role == Field::Count && f.cls == Class::Ool)
				o += fmt("\tif (%s->%s.size != %ld * %s->%sCnt)\n\t\t%s\n", p0.c_str(), n,
					 elem_bytes(*a.type), p.c_str(), n, err("MIG_TYPE_ERROR").c_str());
			if (f.role == Field::Count && f.cls == Class::PortArray)
				o += fmt("\tif (%s->%sCnt > %ld)\n\t\t%s\n", p.c_str(), n, a.type->count,
					 err(sz).c_str());
			if (f.role == Field::Count && f.cls == Class::OolPorts) {
				o += fmt("\tif (%s->%s.count != %s->%sCnt)\n\t\t%s\n", p0.c_str(), n, p.c_str(), n,
					 err("MIG_TYPE_ERROR").c_str());
				if (a.type->kind == TK::VarArray && a.type->count > 0)
					o += fmt("\tif (%s->%sCnt > %ld)\n\t\t%s\n", p.c_str(), n, a.type->count,
						 err(sz).c_str());
			}
		}
		o += "#endif\t/* __MigTypeCheck */\n";
		return o;
	}

	// ---- user side -------------------------------------------------------

	std::string user_file() const
	{
		std::string o = banner("User stubs");
		o += fmt("#define\t__MIG_check__Reply__%s_subsystem__ 1\n\n", s_.name.c_str());
		o += fmt("#include \"%s\"\n", o_.header_name.c_str());
		o += "#include <mach/mach.h>\n";
		o += imports(true) + "\n";
		o += file_macros();
		for (const auto &ri : rs_)
			o += user_stub(ri);
		return o;
	}

	std::string user_stub(const RoutineInfo &ri) const
	{
		const Routine &r = *ri.r;
		const Msg &rq = ri.req, &rp = ri.rep;
		std::string o;
		o += fmt("/* %s %s */\nmig_external kern_return_t %s\n%s\n{\n",
			 r.simple ? "SimpleRoutine" : "Routine", r.name.c_str(), uname(r).c_str(),
			 join_params(user_params(r)).c_str());
		// Tokens from the reply's trailer: the reply is received with
		// the trailer they need (Apple's order of options).
		bool want_audit = false, want_sender = false;
		for (const auto &a : r.args) {
			if (a.kind == AK::UserAuditToken || a.kind == AK::AuditToken)
				want_audit = true;
			if (a.kind == AK::UserSecToken || a.kind == AK::SecToken)
				want_sender = true;
		}
		const bool utrailer = !r.simple && (want_audit || want_sender);
		o += struct_decl(rq, false, "Request", nullptr);
		if (!r.simple)
			o += struct_decl(rp, true, "Reply",
					 utrailer ? "mach_msg_max_trailer_t" : "mach_msg_trailer_t");
		if (r.simple)
			o += "\tunion {\n\t\tRequest In;\n\t} Mess;\n\n";
		else
			o += "\tunion {\n\t\tRequest In;\n\t\tReply Out;\n\t} Mess;\n\n";
		o += "\tRequest *InP = &Mess.In;\n";
		if (!r.simple) {
			for (int k = 0; k <= rp.nvar; k++)
				o += fmt("\tReply *Out%dP%s;\n", k, k == 0 ? " = &Mess.Out" : " __attribute__((unused))");
		}
		o += "\tmach_msg_return_t msg_result;\n";
		if (utrailer)
			o += "\tmach_msg_max_trailer_t *TrailerP;\n";
		if (rq.nvar || (!r.simple))
			o += "\tunsigned int msgh_size;\n";
		if (rq.nvar || rp.nvar)
			o += "\tunsigned int msgh_size_delta;\n";
		if (rp.nvar && !r.simple)
			o += "\tunsigned int msgh_used;\n";
		o += "\n";
		o += fmt("\t%s(%d, \"%s\")\n", r.simple ? "__DeclareSendSimple" : "__DeclareSendRpc", ri.id,
			 r.name.c_str());
		// descriptors
		if (rq.ndesc)
			o += fmt("\tInP->msgh_body.msgh_descriptor_count = %d;\n", rq.ndesc);
		for (const auto &f : rq.fields) {
			if (f.role != Field::Desc)
				continue;
			const Arg &a = *f.arg;
			o += put_descriptor("InP", a, f.cls, a.name, "return MIG_ARRAY_TOO_LARGE;");
		}
		if (rq.ndr)
			o += "\tInP->NDR = NDR_record;\n";
		if (rq.nvar)
			o += fmt("\tmsgh_size = %ld;\n", rq.min);
		for (const auto &f : rq.fields) {
			const Arg &a = *f.arg;
			const Type &t = *a.type;
			const char *n = a.name.c_str();
			switch (f.role) {
			case Field::Desc:
				break;
			case Field::Count:
				o += fmt("\tInP->%sCnt = %sCnt;\n", n, n);
				if (f.cls == Class::OolPorts && t.kind == TK::VarArray && t.count > 0)
					o += fmt("\tif (%sCnt > %ld)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n", n, t.count);
				break;
			case Field::CountInOut:
				o += fmt("\tInP->%sCnt = (*%sCnt < %ld) ? *%sCnt : %ld;\n", n, n, t.count, n, t.count);
				break;
			case Field::Data:
				o += user_put(f, a);
				break;
			}
		}
		o += "\tInP = &Mess.In;\n";
		std::string reqdisp = fmt("%d", sent_disposition(*ri.request_port->type));
		if (ri.request_port->type->kind == TK::Basic)
			reqdisp = "MACH_MSG_TYPE_COPY_SEND";
		else if (poly_send(*ri.request_port->type))
			reqdisp = ri.request_port->name + "Poly";	// clock_alarm_reply's
		std::string repdisp = "0";
		std::string repport = "MACH_PORT_NULL";
		bool mig_reply = false;
		if (ri.reply_port && ri.reply_port->kind != AK::SReplyPort) {
			repport = ri.reply_port->name;
			repdisp = poly_send(*ri.reply_port->type) ? ri.reply_port->name + "Poly" :
				  fmt("%d", sent_disposition(*ri.reply_port->type));
		} else if (!r.simple) {
			repport = "mig_get_reply_port()";
			repdisp = "MACH_MSG_TYPE_MAKE_SEND_ONCE";
			mig_reply = true;
		}
		o += fmt("\tInP->Head.msgh_bits = %sMACH_MSGH_BITS(%s, %s);\n",
			 rq.ndesc ? "MACH_MSGH_BITS_COMPLEX | " : "", reqdisp.c_str(), repdisp.c_str());
		o += fmt("\tInP->Head.msgh_remote_port = %s;\n", ri.request_port->name.c_str());
		o += fmt("\tInP->Head.msgh_local_port = %s;\n", repport.c_str());
		o += fmt("\tInP->Head.msgh_id = %d;\n\tInP->Head.msgh_voucher_port = MACH_PORT_NULL;\n", ri.id);
		std::string size = rq.nvar ? "msgh_size" : "(mach_msg_size_t)sizeof(Request)";
		o += fmt("\tInP->Head.msgh_size = %s;\n\n", size.c_str());
		// options
		std::string opts = r.simple ? "MACH_SEND_MSG" : "MACH_SEND_MSG|MACH_RCV_MSG";
		std::string timeout = "MACH_MSG_TIMEOUT_NONE";
		if (utrailer)
			opts += "|MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0)";
		if (!r.msgoption.empty())
			opts += "|" + r.msgoption;
		for (const auto &a : r.args)
			if (a.kind == AK::MsgOption)
				opts += "|" + a.name;
		if (utrailer)
			opts += want_audit ? "|MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)"
					   : "|MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER)";
		std::string wt = r.waittime, st = r.sendtime;
		for (const auto &a : r.args) {
			if (a.kind == AK::WaitTime)
				wt = a.name;
			if (a.kind == AK::SendTime)
				st = a.name;
		}
		if (!r.simple && !wt.empty()) {
			opts += "|MACH_RCV_TIMEOUT";
			timeout = wt;
		}
		if (!st.empty()) {
			opts += "|MACH_SEND_TIMEOUT";
			if (r.simple || wt.empty())
				timeout = st;
		}
		// mach_msg has one timeout for both halves: with a wait time
		// too, the wait time is it.
		for (const auto &a : r.args)
			if (a.kind == AK::SendTime && timeout != a.name)
				o += fmt("\t(void)%s;\t/* one timeout: the wait time */\n", a.name.c_str());
		if (r.simple) {
			o += fmt("\t__BeforeSendSimple(%d, \"%s\")\n", ri.id, r.name.c_str());
			o += fmt("\tmsg_result = mach_msg(&InP->Head, %s, %s, 0, MACH_PORT_NULL, %s, MACH_PORT_NULL);\n",
				 opts.c_str(), size.c_str(), timeout.c_str());
			o += fmt("\t__AfterSendSimple(%d, \"%s\")\n", ri.id, r.name.c_str());
			if (r.consume_on_send_error)
				o += "\tif (msg_result != MACH_MSG_SUCCESS && msg_result != MACH_SEND_INVALID_DEST &&\n"
				     "\t    msg_result != MACH_SEND_TIMED_OUT)\n\t\tmach_msg_destroy(&InP->Head);\n";
			o += "\treturn msg_result;\n}\n\n";
			return o;
		}
		o += fmt("\t__BeforeSendRpc(%d, \"%s\")\n", ri.id, r.name.c_str());
		o += fmt("\tmsg_result = mach_msg(&InP->Head, %s, %s, (mach_msg_size_t)sizeof(Reply), "
			 "InP->Head.msgh_local_port, %s, MACH_PORT_NULL);\n",
			 opts.c_str(), size.c_str(), timeout.c_str());
		o += fmt("\t__AfterSendRpc(%d, \"%s\")\n", ri.id, r.name.c_str());
		o += "\tif (msg_result != MACH_MSG_SUCCESS) {\n";
		if (mig_reply)
			o += fmt("\t\t%s(msg_result);\n", wt.empty() ? "__MachMsgErrorWithoutTimeout" :
								       "__MachMsgErrorWithTimeout");
		o += "\t\treturn msg_result;\n\t}\n\n";
		// reply checks
		auto err = [](const char *code) { return fmt("{ mach_msg_destroy(&Out0P->Head); return %s; }", code); };
		o += fmt("\tif (Out0P->Head.msgh_id != %d) {\n"
			 "\t\tif (Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)\n"
			 "\t\t\t{ mach_msg_destroy(&Out0P->Head); return MIG_SERVER_DIED; }\n"
			 "\t\t{ mach_msg_destroy(&Out0P->Head); return MIG_REPLY_MISMATCH; }\n\t}\n", ri.reply_id);
		o += "#if\t__MigTypeCheck\n"
		     "\tif (Out0P->Head.msgh_remote_port != MACH_PORT_NULL)\n"
		     "\t\t{ mach_msg_destroy(&Out0P->Head); return MIG_TYPE_ERROR; }\n"
		     "#endif\t/* __MigTypeCheck */\n";
		// an error reply: simple, the size of mig_reply_error_t, RetCode set
		o += "\tif (!(Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&\n"
		     "\t    Out0P->Head.msgh_size == (mach_msg_size_t)sizeof(mig_reply_error_t) &&\n"
		     "\t    ((mig_reply_error_t *)Out0P)->RetCode != KERN_SUCCESS)\n"
		     "\t\treturn ((mig_reply_error_t *)Out0P)->RetCode;\n";
		o += read_checks(rp, "Out", "Reply", err, true);
		if (rp.retcode)
			o += "\tif (Out0P->RetCode != KERN_SUCCESS)\n\t\treturn Out0P->RetCode;\n";
		if (utrailer) {
			// The trailer follows the message at its rounded size; it
			// must be format 0 and long enough for the fields taken.
			o += "\tTrailerP = (mach_msg_max_trailer_t *)((vm_offset_t)Out0P +\n"
			     "\t\tround_msg(Out0P->Head.msgh_size));\n"
			     "\tif (TrailerP->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0)\n"
			     "\t\t{ mach_msg_destroy(&Out0P->Head); return MIG_TRAILER_ERROR; }\n";
			o += fmt("#if\t__MigTypeCheck\n"
				 "\tif (TrailerP->msgh_trailer_size < %d)\n"
				 "\t\t{ mach_msg_destroy(&Out0P->Head); return MIG_TRAILER_ERROR; }\n"
				 "#endif\t/* __MigTypeCheck */\n", want_audit ? 52 : 20);
			for (const auto &a : r.args) {
				if (a.kind == AK::UserAuditToken || a.kind == AK::AuditToken)
					o += fmt("\t*%s = TrailerP->msgh_audit;\n", a.name.c_str());
				else if (a.kind == AK::UserSecToken || a.kind == AK::SecToken)
					o += fmt("\t*%s = TrailerP->msgh_sender;\n", a.name.c_str());
			}
		}
		// copy out
		for (const auto &f : rp.fields)
			o += user_get(f, rp);
		o += "\treturn KERN_SUCCESS;\n}\n\n";
		return o;
	}

	// Writes one inline datum of the request; moves InP past variable arrays.
	static std::string user_put(const Field &f, const Arg &a)
	{
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		std::string o;
		if (f.cls == Class::Inline) {
			if (t.kind == TK::CString)
				o += fmt("\t(void) mig_strncpy_zerofill(InP->%s, %s, %ld);\n", n, n, t.count);
			else if (t.kind == TK::Array)
				o += fmt("\t(void)memcpy((char *) InP->%s, (const char *) %s, %ld);\n", n, n,
					 fixed_bytes(t));
			else if (a.kind == AK::InOut)
				o += fmt("\tInP->%s = *%s;\n", n, n);
			else
				o += fmt("\tInP->%s = %s;\n", n, n);
			if (f.bytes > fixed_bytes(t))
				o += fmt("\t(void)memset(InP->%sPad, 0, %ld);\n", n, f.bytes - fixed_bytes(t));
			return o;
		}
		// Var
		long eb = elem_bytes(t);
		if (t.kind == TK::CString) {
			o += fmt("\tInP->%sOffset = 0;\n", n);
			o += fmt("\tInP->%sCnt = (mach_msg_type_number_t) mig_strncpy(InP->%s, %s, %ld);\n", n, n, n,
				 t.count);
		} else {
			const char *cnt = a.kind == AK::InOut ? "*" : "";
			o += fmt("\tif (%s%sCnt > %ld)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n", cnt, n, t.count);
			o += fmt("\t(void)memcpy((char *) InP->%s, (const char *) %s, %ld * %s%sCnt);\n", n, n, eb,
				 cnt, n);
			o += fmt("\tInP->%sCnt = %s%sCnt;\n", n, cnt, n);
		}
		o += fmt("\tmsgh_size_delta = _WALIGN_(%ld * InP->%sCnt);\n", eb, n);
		o += fmt("\t(void)memset((char *) InP->%s + %ld * InP->%sCnt, 0, msgh_size_delta - %ld * InP->%sCnt);\n",
			 n, eb, n, eb, n);
		o += "\tmsgh_size += msgh_size_delta;\n";
		o += fmt("\tInP = (Request *) ((char *) InP + msgh_size_delta - %ld);\n", f.bytes);
		return o;
	}

	static std::string user_get(const Field &f, const Msg &m)
	{
		(void)m;
		const Arg &a = *f.arg;
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		std::string p = seg_ptr("Out", f.segment);
		std::string ct = ctype(t, false);
		std::string o;
		switch (f.role) {
		case Field::Desc:
			if (f.cls == Class::Port) {
				o += fmt("\t*%s = Out0P->%s.name;\n", n, n);
				if (poly_recv(t))
					o += fmt("\t*%sPoly = Out0P->%s.disposition;\n", n, n);
			} else if (f.cls == Class::PortArray) {
				if (t.kind == TK::Array)
					o += fmt("\t{\n\t\tunsigned int i;\n\n\t\tfor (i = 0; i < %ld; i++)\n"
						 "\t\t\t%s[i] = Out0P->%s[i].name;\n\t}\n", t.count, n, n);
				if (poly_array_recv(t))
					o += fmt("\t*%sPoly = Out0P->%s[0].disposition;\n", n, n);
			} else {
				o += fmt("\t*%s = (%s)(Out0P->%s.address);\n", n, ct.c_str(), n);
				if (f.cls == Class::OolPorts && poly_recv(t))
					o += fmt("\t*%sPoly = Out0P->%s.disposition;\n", n, n);
			}
			break;
		case Field::Count:
			if (f.cls == Class::PortArray) {
				o += fmt("\tif (%s->%sCnt > *%sCnt) {\n\t\t*%sCnt = %s->%sCnt;\n"
					 "\t\tmach_msg_destroy(&Out0P->Head);\n\t\treturn MIG_ARRAY_TOO_LARGE;\n\t}\n",
					 p.c_str(), n, n, n, p.c_str(), n);
				o += fmt("\t{\n\t\tunsigned int i;\n\n\t\tfor (i = 0; i < %s->%sCnt; i++)\n"
					 "\t\t\t%s[i] = Out0P->%s[i].name;\n\t}\n", p.c_str(), n, n, n);
			}
			o += fmt("\t*%sCnt = %s->%sCnt;\n", n, p.c_str(), n);
			break;
		case Field::CountInOut:
			break;
		case Field::Data:
			if (f.cls == Class::Inline) {
				if (t.kind == TK::CString)
					o += fmt("\t(void) mig_strncpy(%s, %s->%s, %ld);\n", n, p.c_str(), n, t.count);
				else if (t.kind == TK::Array)
					o += fmt("\t(void)memcpy((char *) %s, (const char *) %s->%s, %ld);\n", n,
						 p.c_str(), n, fixed_bytes(t));
				else
					o += fmt("\t*%s = %s->%s;\n", n, p.c_str(), n);
			} else if (t.kind == TK::CString) {
				o += fmt("\t(void) mig_strncpy(%s, %s->%s, %ld);\n", n, p.c_str(), n, t.count);
			} else {
				long eb = elem_bytes(t);
				o += fmt("\tif (%s->%sCnt > *%sCnt) {\n"
					 "\t\t(void)memcpy((char *) %s, (const char *) %s->%s, %ld * *%sCnt);\n"
					 "\t\t*%sCnt = %s->%sCnt;\n\t\treturn MIG_ARRAY_TOO_LARGE;\n\t}\n",
					 p.c_str(), n, n, n, p.c_str(), n, eb, n, n, p.c_str(), n);
				o += fmt("\t(void)memcpy((char *) %s, (const char *) %s->%s, %ld * %s->%sCnt);\n", n,
					 p.c_str(), n, eb, p.c_str(), n);
				o += fmt("\t*%sCnt = %s->%sCnt;\n", n, p.c_str(), n);
			}
			break;
		}
		return o;
	}

	// ---- server side ---------------------------------------------------------

	std::string server_file() const
	{
		const std::string &n = s_.name;
		std::string o = banner("Server stubs");
		o += fmt("#define\t__MIG_check__Request__%s_subsystem__ 1\n\n", n.c_str());
		// Self-contained, as Apple's: the server header (if any) is for
		// the implementation's sources, and declares the subsystem too.
		o += common_prologue();
		o += "#include <mach/mach.h>\n#include <mach/std_types.h>\n#include <mach/mig.h>\n";
		o += imports(false) + "\n";
		o += file_macros();
		o += "#ifndef\tMACH_MSGH_BITS_REPLY\n"
		     "#define\tMACH_MSGH_BITS_REPLY(bits)\t((bits) & MACH_MSGH_BITS_REMOTE_MASK)\n#endif\n\n";
		o += "#ifndef MIG_SERVER_ROUTINE\n#define MIG_SERVER_ROUTINE\n#endif\n\n";
		o += typedefs(false);
		o += "/* The routines the server implements. */\n";
		for (const auto &ri : rs_)
			o += fmt("/* %s %s */\nmig_external MIG_SERVER_ROUTINE kern_return_t %s\n%s;\n\n",
				 ri.r->simple ? "SimpleRoutine" : "Routine", ri.r->name.c_str(),
				 sname(*ri.r).c_str(), join_params(server_params(*ri.r)).c_str());
		o += fmt("mig_external boolean_t %s\n\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);\n", demux().c_str());
		o += fmt("mig_external mig_routine_t %s_routine\n\t(mach_msg_header_t *InHeadP);\n\n", demux().c_str());
		o += "extern const " + subsystem_decl() + " " + server_subsys() + ";\n\n";
		o += "#ifndef\tmig_external_server\n#define\tmig_external_server\n#endif\n"
		     "#ifndef\tnovalue\n#define novalue void\n#endif\n\n"
		     "#define\tMIG_RETURN_ERROR(X, code)\t{\\\n"
		     "\t\t\t\t((mig_reply_error_t *)X)->RetCode = code;\\\n"
		     "\t\t\t\t((mig_reply_error_t *)X)->NDR = NDR_record;\\\n"
		     "\t\t\t\treturn;\\\n\t\t\t}\n\n";
		for (const auto &ri : rs_)
			o += server_stub(ri);
		// subsystem table
		o += "/* Description of this subsystem, for use in direct RPC */\n";
		const std::string ss = server_subsys();
		o += "const struct " + ss + " " + ss + " = {\n";
		o += fmt("\t%s_routine,\n\t%ld,\n\t%ld,\n"
			 "\t(mach_msg_size_t)sizeof(union __ReplyUnion__%s),\n\t(vm_address_t)0,\n\t{\n",
			 demux().c_str(), s_.base, s_.base + static_cast<long>(s_.routines.size()), ss.c_str());
		for (const auto &r : s_.routines) {
			if (r.skip) {
				o += "\t\t{0, 0, 0, 0, 0, 0},\n";
				continue;
			}
			size_t argc = server_params(r).size();
			o += fmt("\t\t{ (mig_impl_routine_t) 0,\n\t\t  (mig_stub_routine_t) _X%s, %zu, 0, "
				 "(routine_arg_descriptor_t)0, (mach_msg_size_t)sizeof(__Reply__%s_t)},\n",
				 r.name.c_str(), argc, r.name.c_str());
		}
		o += "\t}\n};\n\n";
		// demux
		o += fmt("mig_external boolean_t %s\n\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n"
			 "\tmig_routine_t routine;\n\n"
			 "\tOutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(InHeadP->msgh_bits), 0);\n"
			 "\tOutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;\n"
			 "\t/* Minimal size: the routine changes it if needed */\n"
			 "\tOutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);\n"
			 "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;\n"
			 "\tOutHeadP->msgh_id = InHeadP->msgh_id + 100;\n"
			 "\tOutHeadP->msgh_voucher_port = MACH_PORT_NULL;\n\n"
			 "\tif ((InHeadP->msgh_id > %ld) || (InHeadP->msgh_id < %ld) ||\n"
			 "\t    ((routine = %s.routine[InHeadP->msgh_id - %ld].stub_routine) == 0)) {\n"
			 "\t\t((mig_reply_error_t *)OutHeadP)->NDR = NDR_record;\n"
			 "\t\t((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;\n"
			 "\t\treturn FALSE;\n\t}\n"
			 "\t(*routine) (InHeadP, OutHeadP);\n\treturn TRUE;\n}\n\n",
			 demux().c_str(), s_.base + static_cast<long>(s_.routines.size()) - 1, s_.base, ss.c_str(),
			 s_.base);
		o += fmt("mig_external mig_routine_t %s_routine\n\t(mach_msg_header_t *InHeadP)\n{\n"
			 "\tint msgh_id;\n\n\tmsgh_id = InHeadP->msgh_id - %ld;\n\n"
			 "\tif ((msgh_id > %zu) || (msgh_id < 0))\n\t\treturn 0;\n\n"
			 "\treturn %s.routine[msgh_id].stub_routine;\n}\n",
			 demux().c_str(), s_.base, s_.routines.size() - 1, ss.c_str());
		return o;
	}

	std::string server_stub(const RoutineInfo &ri) const
	{
		const Routine &r = *ri.r;
		const Msg &rq = ri.req, &rp = ri.rep;
		std::string o;
		o += fmt("/* %s %s */\nmig_internal novalue _X%s\n"
			 "\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n",
			 r.simple ? "SimpleRoutine" : "Routine", r.name.c_str(), r.name.c_str());
		o += struct_decl(rq, false, "Request", "mach_msg_trailer_t");
		o += struct_decl(rp, true, "Reply", nullptr);
		for (int k = 0; k <= rq.nvar; k++)
			o += fmt("\tRequest *In%dP%s;\n", k, k == 0 ? " = (Request *) InHeadP" : " __attribute__((unused))");
		o += "\tReply *OutP = (Reply *) OutHeadP;\n";
		o += "\tunsigned int msgh_size;\n";
		if (rq.nvar || rp.nvar)
			o += "\tunsigned int msgh_size_delta;\n";
		if (rq.nvar)
			o += "\tunsigned int msgh_used;\n";
		bool trailer = false;
		for (const auto &a : r.args)
			if (server_only(a.kind))
				trailer = true;
		if (trailer)
			o += "\tmach_msg_max_trailer_t *TrailerP;\n";
		o += "\tkern_return_t RetCode;\n";
		// locals for out arguments
		for (const auto &a : r.args) {
			if (!is_reply(a.kind))
				continue;
			o += server_local(a);
		}
		o += "\n";
		auto err = [](const char *code) { return fmt("MIG_RETURN_ERROR(OutP, %s)", code); };
		o += read_checks(rq, "In", "Request", err, false);
		if (trailer) {
			o += "\tTrailerP = (mach_msg_max_trailer_t *)((vm_offset_t)In0P +\n"
			     "\t\tround_msg(In0P->Head.msgh_size));\n"
			     "\tif (TrailerP->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0)\n"
			     "\t\tMIG_RETURN_ERROR(OutP, MIG_TRAILER_ERROR);\n";
			size_t need = 8;
			for (const auto &a : r.args) {
				if (a.kind == AK::MsgSeqno)
					need = std::max<size_t>(need, 12);
				if (a.kind == AK::SecToken || a.kind == AK::ServerSecToken)
					need = std::max<size_t>(need, 20);
				if (a.kind == AK::AuditToken || a.kind == AK::ServerAuditToken)
					need = std::max<size_t>(need, 52);
				if (a.kind == AK::ServerContext)
					need = std::max<size_t>(need, 60);
			}
			o += fmt("\tif (TrailerP->msgh_trailer_size < %zu)\n"
				 "\t\tMIG_RETURN_ERROR(OutP, MIG_TRAILER_ERROR);\n", need);
		}
		// inout values and CountInOut limits into the locals
		for (const auto &f : rq.fields) {
			const Arg &a = *f.arg;
			const char *n = a.name.c_str();
			std::string p = seg_ptr("In", f.segment);
			if (f.role == Field::CountInOut)
				o += fmt("\t%sCnt = %s->%sCnt < %ld ? %s->%sCnt : %ld;\n", n, p.c_str(), n,
					 a.type->count, p.c_str(), n, a.type->count);
			if (a.kind != AK::InOut || f.role != Field::Data)
				continue;
			if (f.cls == Class::Inline) {
				if (a.type->kind == TK::Array || a.type->kind == TK::CString)
					o += fmt("\t(void)memcpy(&%s, %s->%s, sizeof(%s));\n", n, p.c_str(), n, n);
				else
					o += fmt("\t%s = %s->%s;\n", n, p.c_str(), n);
			} else if (f.cls == Class::Var) {
				o += fmt("\t%sCnt = %s->%sCnt;\n\t(void)memcpy(%s, %s->%s, %ld * %sCnt);\n", n, p.c_str(), n,
					 n, p.c_str(), n, elem_bytes(*a.type), n);
			}
		}
		// the call
		std::vector<std::string> pre, call, destroy;
		for (const auto &a : r.args) {
			if (user_only(a.kind))
				continue;
			call_args(ri, a, pre, call, destroy);
		}
		for (const auto &p : pre)
			o += p;
		o += "\tRetCode = " + sname(r) + "(";
		for (size_t i = 0; i < call.size(); i++)
			o += (i ? ", " : "") + call[i];
		o += ");\n";
		for (const auto &d : destroy)
			o += d;
		if (r.simple || rp.retcode)
			o += "\t((mig_reply_error_t *)OutP)->RetCode = RetCode;\n";
		o += "\tif (RetCode != KERN_SUCCESS)\n\t\tMIG_RETURN_ERROR(OutP, RetCode);\n";
		if (r.simple) {
			o += "}\n\n";
			return o;
		}
		// the reply
		if (rp.ndesc)
			o += fmt("\tOutP->msgh_body.msgh_descriptor_count = %d;\n", rp.ndesc);
		for (const auto &f : rp.fields) {
			if (f.role != Field::Desc)
				continue;
			const Arg &a = *f.arg;
			std::string v = a.type->outtran_fn.empty() || f.cls != Class::Port
				? a.name : a.type->outtran_fn + "(" + a.name + ")";
			o += put_descriptor("OutP", a, f.cls, v, "MIG_RETURN_ERROR(OutP, MIG_ARRAY_TOO_LARGE);");
		}
		if (rp.ndr)
			o += "\tOutP->NDR = NDR_record;\n";
		o += fmt("\tmsgh_size = %ld;\n", rp.min);
		for (const auto &f : rp.fields) {
			const Arg &a = *f.arg;
			const Type &t = *a.type;
			const char *n = a.name.c_str();
			if (f.role == Field::Count) {
				o += fmt("\tOutP->%sCnt = %sCnt;\n", n, n);
				continue;
			}
			if (f.role != Field::Data)
				continue;
			if (f.cls == Class::Inline) {
				std::string v = t.outtran_fn.empty() ? a.name : t.outtran_fn + "(" + a.name + ")";
				if (t.kind == TK::CString)
					o += fmt("\t(void) mig_strncpy_zerofill(OutP->%s, %s, %ld);\n", n, n, t.count);
				else if (t.kind == TK::Array)
					o += fmt("\t(void)memcpy((char *) OutP->%s, (const char *) %s, %ld);\n", n, n,
						 fixed_bytes(t));
				else
					o += fmt("\tOutP->%s = %s;\n", n, v.c_str());
				if (f.bytes > fixed_bytes(t))
					o += fmt("\t(void)memset(OutP->%sPad, 0, %ld);\n", n, f.bytes - fixed_bytes(t));
				continue;
			}
			long eb = elem_bytes(t);
			if (t.kind == TK::CString) {
				o += fmt("\tOutP->%sOffset = 0;\n", n);
				o += fmt("\tOutP->%sCnt = (mach_msg_type_number_t) mig_strncpy(OutP->%s, %s, %ld);\n", n, n,
					 n, t.count);
			} else {
				o += fmt("\tif (%sCnt > %ld)\n\t\tMIG_RETURN_ERROR(OutP, MIG_ARRAY_TOO_LARGE);\n", n, t.count);
				o += fmt("\t(void)memcpy((char *) OutP->%s, (const char *) %s, %ld * %sCnt);\n", n, n, eb, n);
				o += fmt("\tOutP->%sCnt = %sCnt;\n", n, n);
			}
			o += fmt("\tmsgh_size_delta = _WALIGN_(%ld * OutP->%sCnt);\n", eb, n);
			o += fmt("\t(void)memset((char *) OutP->%s + %ld * OutP->%sCnt, 0, msgh_size_delta - %ld * OutP->%sCnt);\n",
				 n, eb, n, eb, n);
			o += "\tmsgh_size += msgh_size_delta;\n";
			o += fmt("\tOutP = (Reply *) ((char *) OutP + msgh_size_delta - %ld);\n", f.bytes);
		}
		o += "\tOutP = (Reply *) OutHeadP;\n";
		if (rp.ndesc)
			o += "\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;\n";
		o += "\tOutP->Head.msgh_size = msgh_size;\n";
		o += "}\n\n";
		return o;
	}

	static std::string server_local(const Arg &a)
	{
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		std::string ct = ctype(t, true);
		if (!t.outtran_fn.empty())
			ct = t.outtran_type;
		std::string o;
		switch (classify(t)) {
		case Class::Inline:
			if (t.name.empty() && t.ctype.empty() && t.kind != TK::Basic)
				o += fmt("\t%s %s[%ld];\n", t.kind == TK::CString ? "char" : anon_elem_ctype(element(t)).c_str(), n, t.count);
			else
				o += fmt("\t%s %s;\n", ct.c_str(), n);
			break;
		case Class::Var:
			if (t.kind != TK::CString) {
				o += fmt("\t%s %s[%ld];\n", anon_elem_ctype(element(t)).c_str(), n, t.count);
				o += fmt("\tmach_msg_type_number_t %sCnt = %ld;\n", n, t.count);
			} else {
				o += fmt("\tchar %s[%ld] = { 0 };\n", n, t.count);
			}
			break;
		case Class::PortArray:
			o += fmt("\tmach_port_t %s[%ld] = { 0 };\n", n, t.count);
			if (poly_array_send(t))
				o += fmt("\tmach_msg_type_name_t %sPoly = 0;\n", n);
			if (t.kind == TK::VarArray)
				o += fmt("\tmach_msg_type_number_t %sCnt = %ld;\n", n, t.count);
			break;
		case Class::Port:
			o += fmt("\t%s %s = MACH_PORT_NULL;\n", ct.c_str(), n);
			if (poly_send(t))
				o += fmt("\tmach_msg_type_name_t %sPoly = 0;\n", n);
			break;
		case Class::Ool:
		case Class::OolPorts:
			o += fmt("\t%s %s = 0;\n", ct.c_str(), n);
			if (!fixed_ool(t))
				o += fmt("\tmach_msg_type_number_t %sCnt = 0;\n", n);
			if (classify(t) == Class::OolPorts && poly_send(t))
				o += fmt("\tmach_msg_type_name_t %sPoly = 0;\n", n);
			if (a.dealloc_maybe)
				o += fmt("\tboolean_t %sDealloc = FALSE;\n", n);
			break;
		}
		return o;
	}

	void call_args(const RoutineInfo &ri, const Arg &a, std::vector<std::string> &pre,
		       std::vector<std::string> &call, std::vector<std::string> &destroy) const
	{
		const Type &t = *a.type;
		const char *n = a.name.c_str();
		// The request field of this argument (its data, or its count).
		auto in_field = [&](const char *suffix) {
			for (const auto &f : ri.req.fields)
				if (f.arg == &a && (f.role == Field::Data || f.role == Field::Count))
					return seg_ptr("In", f.segment) + "->" + a.name + suffix;
			return std::string();
		};
		auto tran = [&](std::string v) {
			if (t.intran_fn.empty())
				return v;
			if (t.destructor_fn.empty())
				return t.intran_fn + "(" + v + ")";
			// keep the translated value for its destructor
			pre.push_back(fmt("\t%s %s_in = %s(%s);\n", t.intran_type.c_str(), n,
					  t.intran_fn.c_str(), v.c_str()));
			destroy.push_back(fmt("\t%s(%s_in);\n", t.destructor_fn.c_str(), n));
			return a.name + "_in";
		};
		switch (a.kind) {
		case AK::RequestPort:
			call.push_back(tran("In0P->Head.msgh_local_port"));
			return;
		case AK::ReplyPort:
		case AK::SReplyPort:
			call.push_back("In0P->Head.msgh_remote_port");
			return;
		case AK::MsgSeqno:
			call.push_back("TrailerP->msgh_seqno");
			return;
		// The both-sides tokens reach the server by pointer (Apple's).
		case AK::SecToken:
			call.push_back("&TrailerP->msgh_sender");
			return;
		case AK::ServerSecToken:
			call.push_back("TrailerP->msgh_sender");
			return;
		case AK::AuditToken:
			call.push_back("&TrailerP->msgh_audit");
			return;
		case AK::ServerAuditToken:
			call.push_back("TrailerP->msgh_audit");
			return;
		case AK::ServerContext:
			call.push_back("TrailerP->msgh_context");
			return;
		default:
			break;
		}
		Class c = classify(t);
		bool out = is_reply(a.kind);
		if (out) {
			switch (c) {
			case Class::Inline:
				call.push_back(t.kind == TK::Array || t.kind == TK::CString ? a.name : "&" + a.name);
				break;
			case Class::Var:
			case Class::PortArray:
				call.push_back(a.name);
				if (poly_array_send(t))
					call.push_back("&" + a.name + "Poly");
				if (t.kind != TK::CString && t.kind != TK::Array)
					call.push_back("&" + a.name + "Cnt");
				break;
			case Class::Port:
				call.push_back("&" + a.name);
				if (poly_send(t))
					call.push_back("&" + a.name + "Poly");
				break;
			case Class::Ool:
			case Class::OolPorts:
				call.push_back("&" + a.name);
				if (c == Class::OolPorts && poly_send(t))
					call.push_back("&" + a.name + "Poly");
				if (!fixed_ool(t))
					call.push_back("&" + a.name + "Cnt");
				if (a.dealloc_maybe)
					call.push_back("&" + a.name + "Dealloc");
				break;
			}
			return;
		}
		std::string ct = ctype(t, true);
		switch (c) {
		case Class::Inline:
			if (t.kind == TK::Array || t.kind == TK::CString)
				call.push_back(in_field(""));
			else
				call.push_back(tran(in_field("")));
			break;
		case Class::Var:
			call.push_back(fmt("(%s)(void *)(%s)", ct.c_str(), in_field("").c_str()));
			if (t.kind != TK::CString)
				call.push_back(in_field("Cnt"));
			break;
		case Class::PortArray:
			pre.push_back(fmt("\tmach_port_t %s[%ld];\n\t{\n\t\tunsigned int i;\n\n"
					  "\t\tfor (i = 0; i < %ld; i++)\n\t\t\t%s[i] = In0P->%s[i].name;\n\t}\n",
					  n, t.count, t.count, n, n));
			call.push_back(a.name);
			if (poly_array_recv(t))
				call.push_back("In0P->" + a.name + "[0].disposition");
			if (t.kind == TK::VarArray)
				call.push_back(in_field("Cnt"));
			break;
		case Class::Port:
			call.push_back(tran("In0P->" + a.name + ".name"));
			if (poly_recv(t))
				call.push_back("In0P->" + a.name + ".disposition");
			break;
		case Class::Ool:
		case Class::OolPorts:
			call.push_back(fmt("(%s)(In0P->%s.address)", ct.c_str(), n));
			if (c == Class::OolPorts && poly_recv(t))
				call.push_back("In0P->" + a.name + ".disposition");
			if (!fixed_ool(t))
				call.push_back(in_field("Cnt"));
			break;
		}
	}

	const Subsystem &s_;
	const GenOptions &o_;
	std::vector<RoutineInfo> rs_;
};

} // namespace

Outputs generate(const Subsystem &s, const GenOptions &opt)
{
	Gen g(s, opt);
	return g.run();
}

} // namespace mig
