#!/usr/bin/env bash
# Host self-test of scripts/ktap-summary.sh (KTAP output).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sum=$here/../ktap-summary.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
check() {	# check NAME EXPECTED_RC EXPECTED_TEXT LOG
	local name=$1 want_rc=$2 want_text=$3 log=$4 out rc=0
	n=$((n + 1))
	out=$("$sum" --counts "$tmp/counts" x "$log" 2>&1) || rc=$?
	if [[ $rc == "$want_rc" && $out == *"$want_text"* ]]; then
		echo "ok $n ktap_summary.$name"
	else
		echo "not ok $n ktap_summary.$name"
		echo "# expected rc=$want_rc and '$want_text', got rc=$rc:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		failed=1
	fi
}
mk() { local f=$tmp/$1.log; shift; printf '%s\r\n' "$@" >"$f"; echo "$f"; }

echo "TAP version 13"
echo "1..9"
# Real run-selftests output from a VM: pass, skip, failure, crash, timeout.
log=$here/data/stock-selftests.log
check vm_log_totals 1 "x: 4 passed, 3 failed, 1 skipped" "$log"
check vm_log_failed_test 1 "FAIL x: t_fail: a.y" "$log"
check vm_log_crash 1 "FAIL x: t_crash killed by signal 11" "$log"
check vm_log_timeout 1 "FAIL x: t_hang killed by signal 9 (timeout?)" "$log"
check all_pass 0 "x: 2 passed, 0 failed, 1 skipped" "$(mk pass "# MACH-SELFTEST-BEGIN a" "TAP version 13" "1..3" "ok 1 a.one" "ok 2 a.two" "ok 3 a.three # SKIP nope" "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0" "# MACH-SELFTEST-END a rc=0")"
check unfinished_binary 1 "a did not finish" "$(mk unfinished "# MACH-SELFTEST-BEGIN a" "1..2" "ok 1 a.one" "[   3.0] Kernel panic - not syncing: Fatal exception")"
check missing_results 1 "a reported 1 of 2 planned results" "$(mk missing "# MACH-SELFTEST-BEGIN a" "1..2" "ok 1 a.one" "# MACH-SELFTEST-END a rc=0")"
check nonzero_exit 1 "a exited with status 2" "$(mk exit2 "# MACH-SELFTEST-BEGIN a" "1..1" "ok 1 a.one" "# MACH-SELFTEST-END a rc=2")"
check dmesg_and_nested_ignored 0 "x: 1 passed, 0 failed, 0 skipped" "$(mk nested "# MACH-SELFTEST-BEGIN a" "1..1" "  not ok 1 sub" "ok 1 a.one" "# MACH-SELFTEST-END a rc=0" "MACH-VM-DMESG-BEGIN" "not ok 9 fake" "MACH-VM-DMESG-END")"
exit $failed
