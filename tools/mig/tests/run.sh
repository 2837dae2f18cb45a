#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR MIT
# Host tests of mig (KTAP): run by `make -C tools/mig check` and by
# scripts/tests/mig.test.sh (the host part of `make check`).
#
#   tests/run.sh MIG
#
#  - every .defs in tests/defs and the standard ones generate, and the
#    output compiles warning-free as C (gnu11) and C++20;
#  - layout.c: the generated structures have the sizes and offsets of
#    Apple's MIG (compile-time asserts);
#  - loopback: generated client and server stubs talk through a fake
#    mach_msg in one process (the error replies and checks included);
#  - every tests/bad/*.defs fails with its "file:line: error: text" (first
#    line: "expect: LINE: TEXT"), exits non-zero and writes no file;
#  - the command line: unknown options, default output names, -D/-I, no
#    half-written file when writing fails.
set -uo pipefail
mig=${1:?usage: run.sh MIG}
mig=$(cd "$(dirname "$mig")" && pwd)/$(basename "$mig")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
inc=$root/lib/include
uapi=$root/uapi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MIG_STD_DEFS=$inc
CFLAGS=(-O2 -Wall -Wextra -Werror -I"$inc" -I"$uapi" -I"$here/defs" -I.)

n=0 failed=0
results=()
result() {	# result OK NAME [detail...]
	local ok=$1 name=$2
	shift 2
	n=$((n + 1))
	if [[ $ok == 0 ]]; then
		results+=("ok $n mig.$name")
	else
		results+=("not ok $n mig.$name")
		local l
		while IFS= read -r l; do results+=("# $l"); done < <(printf '%s\n' "$@" | head -n 20)
		failed=1
	fi
}

gen_dir() {	# gen_dir NAME DEFS [mig args...] -> generates in $tmp/NAME
	local name=$1 defs=$2
	shift 2
	mkdir -p "$tmp/$name"
	(cd "$tmp/$name" && "$mig" -sheader "${name}Server.h" "$@" "$defs") >"$tmp/$name.log" 2>&1
}

# 1. generation and compilation
defs=("$here"/defs/*.defs "$inc"/mach/notify.defs "$inc"/mach/exc.defs "$inc"/mach/mach_exc.defs)
for d in "${defs[@]}"; do
	b=$(basename "$d" .defs)
	if ! gen_dir "$b" "$d"; then
		result 1 "generate.$b" "$(cat "$tmp/$b.log")"
		continue
	fi
	result 0 "generate.$b"
	for f in "$tmp/$b"/*.c; do
		k=$(basename "$f" .c)
		out=$(cd "$tmp/$b" && cc -std=gnu11 "${CFLAGS[@]}" -c "$f" -o /dev/null 2>&1)
		result $? "compile_c.$k" "$out"
		out=$(cd "$tmp/$b" && c++ -std=c++20 -x c++ "${CFLAGS[@]}" -c "$f" -o /dev/null 2>&1)
		result $? "compile_cxx.$k" "$out"
	done
done
# notify with the seqno variants
if gen_dir notify_seqnos "$inc/mach/notify.defs" -DSEQNOS=1; then
	out=$(cd "$tmp/notify_seqnos" && cc -std=gnu11 "${CFLAGS[@]}" -c notifyServer.c -o /dev/null 2>&1 &&
	      grep -q 'do_seqnos_mach_notify_no_senders' notifyServer.c && grep -q 'seqnos_notify_server' notifyServer.c)
	result $? notify_seqnos "$out"
else
	result 1 notify_seqnos "$(cat "$tmp/notify_seqnos.log")"
fi

# 2. layouts against Apple's numbers
mkdir -p "$tmp/layout"
cp "$tmp"/{notify,exc,mach_exc,child_port,port_subset,everything,constructs}/*.h "$tmp/layout/" 2>/dev/null
out=$(cd "$tmp/layout" && cc -std=gnu11 "${CFLAGS[@]}" -c "$here/layout.c" -o /dev/null 2>&1)
result $? layout_c "$out"
out=$(cd "$tmp/layout" && c++ -std=c++20 -x c++ "${CFLAGS[@]}" -c "$here/layout.c" -o /dev/null 2>&1)
result $? layout_cxx "$out"
# Without __MigPackStructs the 8-byte fields are naturally aligned: the
# request of mach_exception_raise grows to 88 bytes (the bug of an
# unpacked runtime), so the test above really depends on the packing.
printf '#define __MigPackStructs 0\n#undef __MigPackStructs\n#include <mach/mig.h>\n#undef __MigPackStructs\n#include "mach_exc.h"\n_Static_assert(sizeof(__Request__mach_exception_raise_t) == 88, "unpacked");\n' \
	>"$tmp/layout/unpacked.c"
out=$(cd "$tmp/layout" && cc -std=gnu11 "${CFLAGS[@]}" -c unpacked.c -o /dev/null 2>&1)
result $? layout_needs_packing "$out"

# 3. loopback: client and server stubs in one process
if gen_dir loop "$here/loop.defs"; then
	out=$(cd "$tmp/loop" && cc -std=gnu11 "${CFLAGS[@]}" -Wno-unused-parameter -o loop \
		"$here/loopback.c" loopUser.c loopServer.c 2>&1)
	if [[ $? == 0 ]]; then
		while IFS= read -r line; do
			case $line in
			PASS\ *) result 0 "loopback.${line#PASS }" ;;
			FAIL\ *) result 1 "loopback.${line#FAIL }" "$line" ;;
			END\ 0 | END\ 1) ;;
			END\ *) result 1 loopback_exit "the loopback test died: status ${line#END }" ;;
			esac
		done < <("$tmp/loop/loop" 2>&1; echo "END $?")
	else
		result 1 loopback_build "$out"
	fi
else
	result 1 loopback_generate "$(cat "$tmp/loop.log")"
fi

# 4. errors
for d in "$here"/bad/*.defs; do
	b=$(basename "$d" .defs)
	want=$(head -1 "$d" | sed -n 's/.*expect: \([0-9]*\): \(.*\) \*\/.*/\1|\2/p')
	line=${want%%|*} text=${want#*|}
	mkdir -p "$tmp/bad/$b"
	out=$(cd "$tmp/bad/$b" && "$mig" -sheader s.h "$d" 2>&1)
	rc=$?
	files=$(ls -A "$tmp/bad/$b")
	if [[ $line == 0 ]]; then
		where="mig: "
	else
		where="$d:$line: error: "
	fi
	if [[ $rc != 0 && $out == *"$where"*"$text"* && -z $files ]]; then
		result 0 "error.$b"
	else
		result 1 "error.$b" "want rc!=0, '$where$text', no files; got rc=$rc files='$files'" "$out"
	fi
done

# 5. the command line
out=$("$mig" -frobnicate x.defs 2>&1); rc=$?
[[ $rc == 2 && $out == *"unknown option -frobnicate"* ]]; result $? cli.unknown_option "$out"
out=$("$mig" 2>&1); rc=$?
[[ $rc == 2 && $out == *"no .defs file"* ]]; result $? cli.no_file "$out"
out=$("$mig" "$tmp/none.defs" 2>&1); rc=$?
[[ $rc == 1 && $out == *"cannot read"* ]]; result $? cli.unreadable "$out"
out=$("$mig" -arch i386 "$here/defs/child_port.defs" 2>&1); rc=$?
[[ $rc == 2 && $out == *"unsupported -arch i386"* ]]; result $? cli.arch "$out"
mkdir -p "$tmp/cli" && cd "$tmp/cli" || exit 1
"$mig" -arch x86_64 "$here/defs/child_port.defs" >/dev/null 2>&1
[[ -f child_portUser.c && -f child_portServer.c && -f child_port.h && ! -e child_portServer.h ]]
result $? cli.default_names "$(ls)"
printf 'subsystem d 10;\n#include <mach/std_types.defs>\n#include "inc.defs"\nroutine r(p: mach_port_t; x: T);\n' >"$tmp/cli/d.defs"
mkdir -p "$tmp/cli/idir" && echo 'type T = int;' >"$tmp/cli/idir/inc.defs"
"$mig" -I "$tmp/cli/idir" -DFOO=1 -user u.c -server s.c -header h.h "$tmp/cli/d.defs" >/dev/null 2>&1
[[ -f u.c && -f s.c && -f h.h ]] && grep -q '#include "h.h"' u.c
result $? cli.include_dir_and_names
printf 'subsystem e 10;\n#include <mach/std_types.defs>\n#if FOO == 7\nroutine r(p: mach_port_t);\n#endif\n' >"$tmp/cli/e.defs"
"$mig" -DFOO=7 -user e1.c -server /dev/null -header /dev/null "$tmp/cli/e.defs" >/dev/null 2>&1
r1=$?
"$mig" -user e2.c -server /dev/null -header /dev/null "$tmp/cli/e.defs" >/dev/null 2>&1
r2=$?
[[ $r1 == 0 && -f e1.c && $r2 != 0 && ! -e e2.c ]]
result $? cli.define "r1=$r1 r2=$r2"
# A failed write keeps the old files and leaves no temporary behind.
echo old >keep.c
"$mig" -user keep.c -server "$tmp/cli/no/such/dir/s.c" -header hh.h "$here/defs/child_port.defs" >/dev/null 2>&1
rc=$?
[[ $rc != 0 && $(cat keep.c) == old && ! -e hh.h && -z $(ls | grep mig-tmp) ]]
result $? cli.no_half_written_file "rc=$rc $(ls)"
"$mig" -user keep.c -server /dev/null -header /dev/null "$here/bad/missing_semi.defs" >/dev/null 2>&1
[[ $(cat keep.c) == old ]]
result $? cli.error_keeps_old_output
"$mig" -cpp "cc -E" -user c.c -server /dev/null -header /dev/null "$here/defs/child_port.defs" >/dev/null 2>&1
result $? cli.cpp_option
# A type defined twice: Apple's MIG warns and the later definition wins
# (b_t is char, so y gets three bytes of padding).
printf 'subsystem o 10;\n#include <mach/std_types.defs>\ntype b_t = int;\ntype b_t = char;\nroutine r(p: mach_port_t; y: b_t);\n' >"$tmp/cli/o.defs"
out=$("$mig" -user o.c -server /dev/null -header o.h "$tmp/cli/o.defs" 2>&1); rc=$?
[[ $rc == 0 && $out == *"o.defs:4: warning: overriding previous definition of b_t"* ]] &&
	grep -q 'yPad\[3\]' o.h
result $? cli.type_redefinition "rc=$rc $out"
cd "$here" || exit 1

echo "TAP version 13"
echo "1..$n"
printf '%s\n' "${results[@]}"
exit $failed
