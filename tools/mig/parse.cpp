// SPDX-License-Identifier: LGPL-2.1 OR MIT
//
// The .defs language, after the C preprocessor: a hand-written lexer that
// follows cpp's line markers (so errors name the original file and line),
// and a recursive-descent parser building the model of mig.hpp.

#include "mig.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <cstring>
#include <strings.h>

namespace mig {

void fatal(const Loc &loc, const std::string &msg)
{
	fprintf(stderr, "%s:%d: error: %s\n", loc.file.c_str(), loc.line, msg.c_str());
	exit(1);
}

namespace {

enum class T { End, Ident, Number, String, FileName, Punct };

struct Token {
	T t = T::End;
	std::string s;
	long n = 0;
	Loc loc;
};

class Lexer {
public:
	Lexer(const std::string &text, const std::string &file) : text_(text)
	{
		loc_.file = file;
		loc_.line = 1;
	}

	// A file name after import: <...> or "...".
	Token file_name()
	{
		skip_space();
		Token tok;
		tok.loc = loc_;
		char open = peek();
		char close = open == '<' ? '>' : open == '"' ? '"' : 0;
		if (!close)
			fatal(loc_, "expected a file name in <> or \"\" after import");
		size_t end = text_.find(close, pos_ + 1);
		size_t nl = text_.find('\n', pos_ + 1);
		if (end == std::string::npos || (nl != std::string::npos && nl < end))
			fatal(loc_, "unterminated file name");
		tok.t = T::FileName;
		tok.s = text_.substr(pos_, end + 1 - pos_);
		pos_ = end + 1;
		return tok;
	}

	// The rest of a `waittime X;` / `msgoption X;` statement, up to ';'.
	Token rest_string()
	{
		skip_space();
		Token tok;
		tok.loc = loc_;
		tok.t = T::String;
		if (peek() == '"') {
			size_t end = text_.find('"', pos_ + 1);
			if (end == std::string::npos)
				fatal(loc_, "unterminated string");
			tok.s = text_.substr(pos_ + 1, end - pos_ - 1);
			pos_ = end + 1;
			return tok;
		}
		size_t start = pos_;
		while (pos_ < text_.size() && text_[pos_] != ';' && text_[pos_] != '\n')
			pos_++;
		tok.s = text_.substr(start, pos_ - start);
		while (!tok.s.empty() && isspace(static_cast<unsigned char>(tok.s.back())))
			tok.s.pop_back();
		if (tok.s.empty())
			fatal(tok.loc, "expected a value");
		return tok;
	}

	Token next()
	{
		skip_space();
		Token tok;
		tok.loc = loc_;
		if (pos_ >= text_.size())
			return tok;
		char c = text_[pos_];
		if (isalpha(static_cast<unsigned char>(c)) || c == '_') {
			size_t start = pos_;
			while (pos_ < text_.size() &&
			       (isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
				pos_++;
			tok.t = T::Ident;
			tok.s = text_.substr(start, pos_ - start);
			return tok;
		}
		if (isdigit(static_cast<unsigned char>(c))) {
			size_t start = pos_;
			while (pos_ < text_.size() && isalnum(static_cast<unsigned char>(text_[pos_])))
				pos_++;
			tok.s = text_.substr(start, pos_ - start);
			std::string digits = tok.s;
			while (!digits.empty() && (digits.back() == 'u' || digits.back() == 'U' ||
						  digits.back() == 'l' || digits.back() == 'L'))
				digits.pop_back();
			char *end = nullptr;
			tok.n = strtol(digits.c_str(), &end, 0);
			if (digits.empty() || *end)
				fatal(loc_, "bad number '" + tok.s + "'");
			tok.t = T::Number;
			return tok;
		}
		if (c == '"') {
			size_t end = text_.find('"', pos_ + 1);
			if (end == std::string::npos)
				fatal(loc_, "unterminated string");
			tok.t = T::String;
			tok.s = text_.substr(pos_ + 1, end - pos_ - 1);
			pos_ = end + 1;
			return tok;
		}
		if (strchr(":;,+-*/()=^~<>[]|", c)) {
			tok.t = T::Punct;
			tok.s = std::string(1, c);
			pos_++;
			return tok;
		}
		fatal(loc_, std::string("unexpected character '") + c + "'");
	}

	const Loc &loc() const { return loc_; }

private:
	char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

	// Blanks, comments, and cpp's `# N "file"` line markers (the only
	// directives left after preprocessing; others are ignored).
	void skip_space()
	{
		for (;;) {
			if (pos_ >= text_.size())
				return;
			char c = text_[pos_];
			if (c == '\n') {
				loc_.line++;
				pos_++;
				at_bol_ = true;
				continue;
			}
			if (isspace(static_cast<unsigned char>(c))) {
				pos_++;
				continue;
			}
			if (c == '#' && at_bol_) {
				line_marker();
				continue;
			}
			if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
				while (pos_ < text_.size() && text_[pos_] != '\n')
					pos_++;
				continue;
			}
			if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
				size_t end = text_.find("*/", pos_ + 2);
				if (end == std::string::npos)
					fatal(loc_, "unterminated comment");
				for (size_t i = pos_; i < end; i++)
					if (text_[i] == '\n')
						loc_.line++;
				pos_ = end + 2;
				continue;
			}
			at_bol_ = false;
			return;
		}
	}

	void line_marker()
	{
		size_t eol = text_.find('\n', pos_);
		if (eol == std::string::npos)
			eol = text_.size();
		std::string l = text_.substr(pos_ + 1, eol - pos_ - 1);
		pos_ = eol;
		size_t i = 0;
		while (i < l.size() && isspace(static_cast<unsigned char>(l[i])))
			i++;
		if (l.compare(i, 4, "line") == 0)
			i += 4;
		if (i >= l.size() || !isspace(static_cast<unsigned char>(l[i])) ) {
			if (i < l.size() && !isdigit(static_cast<unsigned char>(l[i])))
				return;	// #pragma, #ident: ignored
		}
		while (i < l.size() && isspace(static_cast<unsigned char>(l[i])))
			i++;
		if (i >= l.size() || !isdigit(static_cast<unsigned char>(l[i])))
			return;
		int line = atoi(l.c_str() + i);
		size_t q = l.find('"', i);
		if (q != std::string::npos) {
			size_t q2 = l.find('"', q + 1);
			if (q2 != std::string::npos)
				loc_.file = l.substr(q + 1, q2 - q - 1);
		}
		// The newline ending the marker is counted by skip_space.
		loc_.line = line - 1;
	}

	const std::string &text_;
	size_t pos_ = 0;
	bool at_bol_ = true;
	Loc loc_;
};

bool is_kw(const Token &t, const char *kw)
{
	return t.t == T::Ident && strcasecmp(t.s.c_str(), kw) == 0;
}

bool is_p(const Token &t, char c)
{
	return t.t == T::Punct && t.s[0] == c;
}

struct MsgType {
	const char *name;
	int msgt;		// as sent
	int msgt_out;		// as received
	int bytes;
	bool port;
};

// The symbolic IPC types, and what each means on the wire.
const MsgType msg_types[] = {
	{ "MACH_MSG_TYPE_UNSTRUCTURED", MT_UNSTRUCTURED, MT_UNSTRUCTURED, 0, false },
	{ "MACH_MSG_TYPE_BIT", MT_UNSTRUCTURED, MT_UNSTRUCTURED, 0, false },
	{ "MACH_MSG_TYPE_BOOLEAN", MT_BOOLEAN, MT_BOOLEAN, 4, false },
	{ "MACH_MSG_TYPE_INTEGER_8", MT_BYTE, MT_BYTE, 1, false },
	{ "MACH_MSG_TYPE_INTEGER_16", MT_INTEGER_16, MT_INTEGER_16, 2, false },
	{ "MACH_MSG_TYPE_INTEGER_32", MT_INTEGER_32, MT_INTEGER_32, 4, false },
	{ "MACH_MSG_TYPE_INTEGER_64", MT_INTEGER_64, MT_INTEGER_64, 8, false },
	{ "MACH_MSG_TYPE_REAL_32", MT_REAL, MT_REAL, 4, false },
	{ "MACH_MSG_TYPE_REAL_64", MT_REAL, MT_REAL, 8, false },
	{ "MACH_MSG_TYPE_CHAR", MT_CHAR, MT_CHAR, 1, false },
	{ "MACH_MSG_TYPE_BYTE", MT_BYTE, MT_BYTE, 1, false },
	{ "MACH_MSG_TYPE_MOVE_RECEIVE", MT_MOVE_RECEIVE, MT_MOVE_RECEIVE, 4, true },
	{ "MACH_MSG_TYPE_COPY_SEND", MT_COPY_SEND, MT_MOVE_SEND, 4, true },
	{ "MACH_MSG_TYPE_MAKE_SEND", MT_MAKE_SEND, MT_MOVE_SEND, 4, true },
	{ "MACH_MSG_TYPE_MOVE_SEND", MT_MOVE_SEND, MT_MOVE_SEND, 4, true },
	{ "MACH_MSG_TYPE_MAKE_SEND_ONCE", MT_MAKE_SEND_ONCE, MT_MOVE_SEND_ONCE, 4, true },
	{ "MACH_MSG_TYPE_MOVE_SEND_ONCE", MT_MOVE_SEND_ONCE, MT_MOVE_SEND_ONCE, 4, true },
	{ "MACH_MSG_TYPE_PORT_NAME", MT_PORT_NAME, MT_PORT_NAME, 4, false },
	{ "MACH_MSG_TYPE_PORT_RECEIVE", MT_POLYMORPHIC, MT_MOVE_RECEIVE, 4, true },
	{ "MACH_MSG_TYPE_PORT_SEND", MT_POLYMORPHIC, MT_MOVE_SEND, 4, true },
	{ "MACH_MSG_TYPE_PORT_SEND_ONCE", MT_POLYMORPHIC, MT_MOVE_SEND_ONCE, 4, true },
	{ "MACH_MSG_TYPE_POLYMORPHIC", MT_POLYMORPHIC, MT_POLYMORPHIC, 4, true },
	{ "polymorphic", MT_POLYMORPHIC, MT_POLYMORPHIC, 4, true },
};

const MsgType *find_msg_type(const std::string &s)
{
	for (const auto &m : msg_types)
		if (strcasecmp(m.name, s.c_str()) == 0)
			return &m;
	return nullptr;
}

class Parser {
public:
	Parser(const std::string &text, const std::string &file) : lex_(text, file)
	{
		advance();
	}

	Subsystem run()
	{
		while (tok_.t != T::End)
			statement();
		if (!have_subsystem_)
			fatal(lex_.loc(), "no subsystem statement");
		if (sub_.routines.empty())
			fatal(lex_.loc(), "no routines in subsystem " + sub_.name);
		return std::move(sub_);
	}

private:
	void advance() { tok_ = lex_.next(); }

	[[noreturn]] void unexpected(const std::string &what)
	{
		std::string got = tok_.t == T::End ? "end of file" : "'" + tok_.s + "'";
		fatal(tok_.loc, "expected " + what + ", found " + got);
	}

	void expect(char c)
	{
		if (!is_p(tok_, c))
			unexpected(std::string("'") + c + "'");
		advance();
	}

	std::string ident(const char *what)
	{
		if (tok_.t != T::Ident)
			unexpected(what);
		std::string s = tok_.s;
		advance();
		return s;
	}

	void need_subsystem(const Loc &loc)
	{
		if (!have_subsystem_)
			fatal(loc, "statement before the subsystem statement");
	}

	void statement()
	{
		Token t = tok_;
		if (is_p(t, ';')) {
			advance();
			return;
		}
		if (t.t != T::Ident)
			unexpected("a statement");
		if (is_kw(t, "subsystem")) {
			advance();
			subsystem(t.loc);
		} else if (is_kw(t, "routine") || is_kw(t, "simpleroutine")) {
			need_subsystem(t.loc);
			advance();
			routine(t.loc, is_kw(t, "simpleroutine"));
		} else if (is_kw(t, "skip")) {
			need_subsystem(t.loc);
			advance();
			Routine r;
			r.skip = true;
			r.loc = t.loc;
			r.number = next_number_++;
			sub_.routines.push_back(std::move(r));
		} else if (is_kw(t, "type")) {
			advance();
			type_decl();
		} else if (is_kw(t, "import") || is_kw(t, "uimport") || is_kw(t, "simport") ||
			   is_kw(t, "dimport") || is_kw(t, "iimport")) {
			Import im;
			im.kind = is_kw(t, "uimport") ? Import::User :
				  is_kw(t, "simport") ? Import::Server :
				  is_kw(t, "dimport") ? Import::Header :
				  is_kw(t, "iimport") ? Import::IHeader : Import::Both;
			im.file = lex_.file_name().s;
			sub_.imports.push_back(im);
			advance();
		} else if (is_kw(t, "serverprefix")) {
			advance();
			sub_.server_prefix = ident("a prefix after ServerPrefix");
		} else if (is_kw(t, "userprefix")) {
			advance();
			sub_.user_prefix = ident("a prefix after UserPrefix");
		} else if (is_kw(t, "serverdemux")) {
			advance();
			sub_.server_demux = ident("a function name after serverdemux");
		} else if (is_kw(t, "error")) {
			advance();
			sub_.error_proc = ident("a function name after error");
		} else if (is_kw(t, "rcsid")) {
			Token s = lex_.next();
			if (s.t != T::String)
				fatal(s.loc, "expected a quoted string after rcsid");
			sub_.rcsid = s.s;
			advance();
		} else if (is_kw(t, "waittime")) {
			waittime_ = lex_.rest_string().s;
			advance();
		} else if (is_kw(t, "nowaittime")) {
			waittime_.clear();
			advance();
		} else if (is_kw(t, "sendtime")) {
			sendtime_ = lex_.rest_string().s;
			advance();
		} else if (is_kw(t, "nosendtime")) {
			sendtime_.clear();
			advance();
		} else if (is_kw(t, "msgoption")) {
			msgoption_ = lex_.rest_string().s;
			if (msgoption_ == "MACH_MSG_OPTION_NONE")
				msgoption_.clear();
			advance();
		} else if (is_kw(t, "ConsumeOnSendError")) {
			std::string v = lex_.rest_string().s;
			if (strcasecmp(v.c_str(), "None") == 0)
				consume_ = false;
			else if (strcasecmp(v.c_str(), "Timeout") == 0 ||
				 strcasecmp(v.c_str(), "Any") == 0)
				consume_ = true;
			else
				fatal(t.loc, "ConsumeOnSendError takes None, Timeout or Any, not " + v);
			advance();
		} else if (is_kw(t, "UseSpecialReplyPort")) {
			advance();
			// Accepted either way.  Linux Mach has no special reply
			// ports (thread_get_special_reply_port, the SYNC_*
			// options), so the stubs use the thread's MIG reply port
			// (mig_get_reply_port), as with UseSpecialReplyPort 0:
			// the messages on the wire are the same.
			if (tok_.t != T::Number || (tok_.n != 0 && tok_.n != 1))
				unexpected("0 or 1 after UseSpecialReplyPort");
			advance();
		} else if (is_kw(t, "UserTypeLimit") || is_kw(t, "OnStackLimit")) {
			advance();
			if (tok_.t != T::Number)
				unexpected("a number");
			advance();
		} else {
			fatal(t.loc, "unknown statement '" + t.s + "'");
		}
		if (!is_p(tok_, ';'))
			unexpected("';'");
		advance();
	}

	void subsystem(const Loc &loc)
	{
		if (have_subsystem_)
			fatal(loc, "a second subsystem statement");
		for (;;) {
			if (is_kw(tok_, "KernelUser")) {
				sub_.kernel_user = true;
				advance();
			} else if (is_kw(tok_, "KernelServer")) {
				sub_.kernel_server = true;
				advance();
			} else {
				break;
			}
		}
		sub_.name = ident("the subsystem name");
		if (tok_.t != T::Number)
			unexpected("the subsystem's base message id");
		sub_.base = tok_.n;
		if (sub_.base < 0)
			fatal(loc, "negative subsystem base");
		sub_.loc = loc;
		have_subsystem_ = true;
		advance();
	}

	// ---- types -------------------------------------------------------

	long int_exp()
	{
		long v = int_term();
		while (is_p(tok_, '+') || is_p(tok_, '-')) {
			char op = tok_.s[0];
			advance();
			long r = int_term();
			v = op == '+' ? v + r : v - r;
		}
		return v;
	}

	long int_term()
	{
		long v = int_atom();
		while (is_p(tok_, '*') || is_p(tok_, '/')) {
			char op = tok_.s[0];
			Loc loc = tok_.loc;
			advance();
			long r = int_atom();
			if (op == '/' && r == 0)
				fatal(loc, "division by zero");
			v = op == '*' ? v * r : v / r;
		}
		return v;
	}

	long int_atom()
	{
		if (is_p(tok_, '(')) {
			advance();
			long v = int_exp();
			expect(')');
			return v;
		}
		if (tok_.t != T::Number)
			unexpected("a number");
		long v = tok_.n;
		advance();
		return v;
	}

	TypeP lookup(const Token &t)
	{
		auto it = types_.find(t.s);
		if (it == types_.end())
			fatal(t.loc, "unknown type '" + t.s + "'");
		return it->second;
	}

	TypeP basic_from(const MsgType &m, const Loc &loc)
	{
		auto ty = std::make_shared<Type>();
		ty->loc = loc;
		ty->kind = m.port ? TK::Port : TK::Basic;
		ty->msgt_in = m.msgt;
		ty->msgt_out = m.msgt_out;
		ty->bytes = m.bytes;
		return ty;
	}

	TypeP prim_ipc(const Loc &loc)
	{
		if (tok_.t == T::Number) {
			// A numeric MACH_MSG_TYPE value: a plain datum of 32 bits.
			MsgType m = { "", static_cast<int>(tok_.n), static_cast<int>(tok_.n), 4,
				      tok_.n >= MT_MOVE_RECEIVE && tok_.n <= MT_MAKE_SEND_ONCE };
			advance();
			return basic_from(m, loc);
		}
		const MsgType *m = tok_.t == T::Ident ? find_msg_type(tok_.s) : nullptr;
		if (!m)
			return nullptr;
		advance();
		return basic_from(*m, loc);
	}

	TypeP elem_type(const Loc &loc)
	{
		TypeP t = type_spec();
		if (t->kind == TK::VarArray || t->kind == TK::Pointer || t->kind == TK::CString)
			fatal(loc, "an array's element must have a fixed size");
		return t;
	}

	// A copy of t, so that a named type's attributes can be added to.
	static TypeP clone(const TypeP &t)
	{
		return std::make_shared<Type>(*t);
	}

	TypeP type_spec()
	{
		Loc loc = tok_.loc;
		if (is_p(tok_, '('))
			fatal(loc, "long form type declarations ((type, size)) are not allowed, "
				   "as in Apple's MIG: name an IPC type");
		if (is_p(tok_, '^')) {
			advance();
			auto t = std::make_shared<Type>();
			t->loc = loc;
			t->kind = TK::Pointer;
			t->elem = type_spec();
			if (t->elem->kind == TK::Pointer)
				fatal(loc, "^^ is not a type");
			return t;
		}
		if (is_kw(tok_, "array")) {
			advance();
			expect('[');
			auto t = std::make_shared<Type>();
			t->loc = loc;
			if (is_p(tok_, ']')) {
				t->kind = TK::VarArray;
				t->count = -1;
			} else if (is_p(tok_, '*')) {
				advance();
				t->kind = TK::VarArray;
				t->count = -1;
				if (is_p(tok_, ':')) {
					advance();
					t->count = int_exp();
					if (t->count <= 0)
						fatal(loc, "array[*:N] needs N > 0");
				}
			} else {
				t->kind = TK::Array;
				t->count = int_exp();
				if (t->count <= 0)
					fatal(loc, "array[N] needs N > 0");
			}
			expect(']');
			if (!is_kw(tok_, "of"))
				unexpected("'of'");
			advance();
			t->elem = elem_type(loc);
			return t;
		}
		if (is_kw(tok_, "struct")) {
			advance();
			expect('[');
			auto t = std::make_shared<Type>();
			t->loc = loc;
			t->kind = TK::Struct;
			t->count = int_exp();
			if (t->count <= 0)
				fatal(loc, "struct[N] needs N > 0");
			expect(']');
			if (!is_kw(tok_, "of"))
				unexpected("'of'");
			advance();
			t->elem = elem_type(loc);
			if (t->elem->kind == TK::Port)
				fatal(loc, "a struct of ports is not supported");
			return t;
		}
		if (is_kw(tok_, "c_string")) {
			advance();
			expect('[');
			auto t = std::make_shared<Type>();
			t->loc = loc;
			t->kind = TK::CString;
			if (is_p(tok_, '*')) {
				advance();
				expect(':');
				t->var = true;
			}
			t->count = int_exp();
			if (t->count <= 0)
				fatal(loc, "c_string needs a size > 0");
			expect(']');
			return t;
		}
		if (tok_.t != T::Ident && tok_.t != T::Number)
			unexpected("a type");
		if (TypeP t = prim_ipc(loc)) {
			if (is_p(tok_, '|')) {
				advance();
				TypeP o = prim_ipc(loc);
				if (!o)
					unexpected("an IPC type after '|'");
				t->msgt_out = o->msgt_out;
			}
			return t;
		}
		Token name = tok_;
		advance();
		return lookup(name);
	}

	// intran: RESULT FUNC(ARG) / outtran: RESULT FUNC(ARG) / destructor: FUNC(ARG).
	// The server-side C type is intran's RESULT and outtran's ARG.
	std::string trans_fn(std::string *result, std::string *arg)
	{
		expect(':');
		std::string a = ident("a type or function name");
		std::string fn = a;
		if (result) {
			*result = a;
			fn = ident("a translation function name");
		}
		expect('(');
		std::string at = ident("the translated type");
		if (arg)
			*arg = at;
		expect(')');
		return fn;
	}

	// A type spec and its attributes.  The result is always a fresh type:
	// attributes (C types, translations) are never inherited from the
	// type it is defined in terms of, as a named type is its own C type.
	TypeP trans_type_spec()
	{
		TypeP t = clone(type_spec());
		t->name.clear();
		t->ctype.clear();
		t->cusertype.clear();
		t->cservertype.clear();
		t->intran_type.clear();
		t->intran_fn.clear();
		t->outtran_type.clear();
		t->outtran_fn.clear();
		t->destructor_fn.clear();
		for (;;) {
			if (is_kw(tok_, "intran")) {
				advance();
				t->intran_fn = trans_fn(&t->intran_type, nullptr);
			} else if (is_kw(tok_, "outtran")) {
				advance();
				std::string result;
				t->outtran_fn = trans_fn(&result, &t->outtran_type);
			} else if (is_kw(tok_, "destructor")) {
				advance();
				t->destructor_fn = trans_fn(nullptr, nullptr);
			} else if (is_kw(tok_, "ctype") || is_kw(tok_, "cusertype") ||
				   is_kw(tok_, "cservertype")) {
				std::string kw = tok_.s;
				advance();
				expect(':');
				std::string v = ident("a C type name");
				if (strcasecmp(kw.c_str(), "ctype") == 0)
					t->ctype = v;
				else if (strcasecmp(kw.c_str(), "cusertype") == 0)
					t->cusertype = v;
				else
					t->cservertype = v;
			} else {
				break;
			}
		}
		return t;
	}

	// type NAME = spec
	TypeP named_type()
	{
		Token name = tok_;
		if (name.t != T::Ident)
			unexpected("a type name");
		advance();
		expect('=');
		TypeP t = trans_type_spec();
		t->name = name.s;
		t->loc = name.loc;
		// Apple's MIG lets a later definition win, with a warning (XNU's
		// clock_types.defs redefines what other .defs already have).
		if (types_.count(name.s))
			fprintf(stderr, "%s:%d: warning: overriding previous definition of %s\n",
				name.loc.file.c_str(), name.loc.line, name.s.c_str());
		types_[name.s] = t;
		return t;
	}

	void type_decl()
	{
		named_type();
	}

	// ---- routines ----------------------------------------------------

	void routine(const Loc &loc, bool simple)
	{
		Routine r;
		r.loc = loc;
		r.simple = simple;
		r.name = ident("the routine name");
		r.number = next_number_++;
		r.waittime = waittime_;
		r.sendtime = sendtime_;
		r.msgoption = msgoption_;
		r.consume_on_send_error = consume_;
		expect('(');
		if (!is_p(tok_, ')')) {
			for (;;) {
				r.args.push_back(argument(r));
				if (is_p(tok_, ';')) {
					advance();
					continue;
				}
				break;
			}
		}
		expect(')');
		for (const auto &o : sub_.routines)
			if (!o.skip && o.name == r.name)
				fatal(loc, "routine '" + r.name + "' is already defined");
		sub_.routines.push_back(std::move(r));
	}

	Arg argument(const Routine &r)
	{
		static const std::map<std::string, AK> kinds = {
			{ "in", AK::In }, { "out", AK::Out }, { "inout", AK::InOut },
			{ "requestport", AK::RequestPort }, { "replyport", AK::ReplyPort },
			{ "sreplyport", AK::SReplyPort }, { "ureplyport", AK::UReplyPort },
			{ "waittime", AK::WaitTime }, { "sendtime", AK::SendTime },
			{ "msgoption", AK::MsgOption }, { "msgseqno", AK::MsgSeqno },
			{ "sectoken", AK::SecToken }, { "audittoken", AK::AuditToken },
			{ "serversectoken", AK::ServerSecToken },
			{ "serveraudittoken", AK::ServerAuditToken },
			{ "servercontexttoken", AK::ServerContext },
			{ "usersectoken", AK::UserSecToken },
			{ "useraudittoken", AK::UserAuditToken },
		};
		Arg a;
		a.loc = tok_.loc;
		bool explicit_kind = false;
		if (tok_.t == T::Ident) {
			std::string lower;
			for (char c : tok_.s)
				lower += static_cast<char>(tolower(c));
			if (lower == "serverimpl" || lower == "userimpl")
				fatal(tok_.loc, tok_.s + " arguments are not supported (Apple's MIG "
						"accepts them but its stubs read a trailer field "
						"that does not exist and do not compile)");
			auto it = kinds.find(lower);
			if (it != kinds.end()) {
				// `in` etc. can also be an argument's name: it is
				// a direction only if an identifier follows.
				Token save = tok_;
				advance();
				if (tok_.t == T::Ident) {
					a.kind = it->second;
					explicit_kind = true;
				} else {
					a.name = save.s;
				}
			}
		}
		if (a.name.empty())
			a.name = ident("an argument name");
		if (!explicit_kind) {
			bool have_rp = false;
			for (const auto &o : r.args)
				if (o.kind == AK::RequestPort)
					have_rp = true;
			a.kind = have_rp ? AK::In : AK::RequestPort;
		}
		expect(':');
		a.type = arg_type();
		while (is_p(tok_, ',')) {
			advance();
			Token f = tok_;
			std::string flag = ident("an argument flag");
			bool brackets = false;
			if (is_p(tok_, '[')) {
				advance();
				expect(']');
				brackets = true;
			}
			if (is_kw(f, "dealloc")) {
				if (brackets)
					a.dealloc_maybe = true;
				else
					a.dealloc = true;
			} else if (is_kw(f, "notdealloc")) {
				a.notdealloc = true;
			} else if (is_kw(f, "servercopy")) {
				a.servercopy = true;
			} else if (is_kw(f, "countinout")) {
				a.countinout = true;
			} else if (is_kw(f, "samecount")) {
				a.samecount = true;
			} else if (is_kw(f, "physicalcopy")) {
				a.physicalcopy = true;
			} else if (is_kw(f, "overwrite")) {
				a.overwrite = true;
			} else if (is_kw(f, "retcode")) {
				a.retcode = true;
			} else if (is_kw(f, "const")) {
				a.isconst = true;
			} else if (is_kw(f, "auto")) {
				// Apple's "auto": the count stays on the stack; no wire effect
			} else {
				fatal(f.loc, "unknown argument flag '" + flag + "'");
			}
			if (brackets && !is_kw(f, "dealloc"))
				fatal(f.loc, "only dealloc takes []");
		}
		for (const auto &o : r.args)
			if (o.name == a.name)
				fatal(a.loc, "argument '" + a.name + "' is already declared");
		return a;
	}

	// An argument's type: a named type as it is, or an anonymous spec.
	TypeP arg_type()
	{
		// `name: NEWTYPE = spec`: a named type declared in the argument
		// (Apple's NamedTypeSpec; XNU's clock_alarm uses it).
		if (tok_.t == T::Ident) {
			Lexer ahead = lex_;
			Token next = ahead.next();
			if (is_p(next, '='))
				return named_type();
		}
		if (tok_.t == T::Ident && types_.count(tok_.s)) {
			TypeP t = types_[tok_.s];
			advance();
			if (!is_kw(tok_, "ctype") && !is_kw(tok_, "intran") &&
			    !is_kw(tok_, "outtran") && !is_kw(tok_, "destructor") &&
			    !is_kw(tok_, "cusertype") && !is_kw(tok_, "cservertype"))
				return t;
			fatal(tok_.loc, "type attributes on an argument: declare a named type");
		}
		return trans_type_spec();
	}

	Lexer lex_;
	Token tok_;
	Subsystem sub_;
	bool have_subsystem_ = false;
	int next_number_ = 0;
	std::map<std::string, TypeP> types_;
	std::string waittime_, sendtime_, msgoption_;
	bool consume_ = false;
};

} // namespace

Subsystem parse(const std::string &text, const std::string &file)
{
	Parser p(text, file);
	return p.run();
}

} // namespace mig
