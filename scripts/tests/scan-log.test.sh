#!/usr/bin/env bash
# Host self-test of scripts/scan-log.sh on canned console logs (KTAP output).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scan=$here/../scan-log.sh
data=$here/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
# check NAME EXPECTED_RC EXPECTED_TEXT LOG [scan-log options]
check() {
	local name=$1 want_rc=$2 want_text=$3 log=$4 out rc
	shift 4
	n=$((n + 1))
	rc=0
	out=$("$scan" --label t "$@" "$log" 2>&1) || rc=$?
	if [[ $rc == "$want_rc" && $out == *"$want_text"* ]]; then
		echo "ok $n scan_log.$name"
	else
		echo "not ok $n scan_log.$name"
		echo "# expected rc=$want_rc and '$want_text', got rc=$rc:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		failed=1
	fi
}

# A synthetic log: kernel lines get a timestamp, the rest is verbatim.
synth() {	# synth NAME LINE... -> path
	local f=$tmp/$1.log
	shift
	{
		echo "[    0.000000] Linux version 6.1.0"
		echo "MACH-VM-BOOTED: flavour=debug kernel=6.1 cpus=2"
		printf '%s\n' "$@"
	} >"$f"
	echo "$f"
}
ok_end="MACH-VM-RESULT: cmd=0 rmmod=0"

echo "TAP version 13"
echo "1..20"
check stock_clean_boot 0 "PASS [t]" "$data/stock-clean.log"
check debug_clean_boot 0 "PASS [t]" "$data/debug-clean.log"
check debug_warn_on 1 'kernel report "WARNING: CPU: 1 PID: 47 at' "$data/debug-warn-kmemleak.log"
check debug_kmemleak 1 "kmemleak suspect" "$data/debug-warn-kmemleak.log"
check module_leak_message 1 'kernel report "mach: leak' "$data/stock-module-leak.log"
check panic_no_result 125 'no MACH-VM-RESULT line: the VM crashed' "$data/stock-panic.log"
check panic_reason 125 'Kernel panic - not syncing' "$data/stock-panic.log"
check host_timeout 124 'host timeout after 15s' "$data/stock-timeout.log" --timed-out 15
check command_status 1 'command exited with status 1' "$data/stock-selftests.log"
check rmmod_failed 1 'rmmod mach failed (1)' "$(synth rmmod "rmmod: can't unload module 'mach': Resource temporarily unavailable" "MACH-VM-RESULT: cmd=0 rmmod=1")"
check insmod_failed 125 'insmod /mach.ko failed' "$(synth insmod "MACH-VM-ERROR: insmod /mach.ko failed (1)" "MACH-VM-RESULT: cmd=125 rmmod=-")"
check user_text_ignored 0 "PASS" "$(synth user "WARNING: a test printed this" "# BUG: not a kernel line" "ok 1 Call Trace parser" "$ok_end")"
check kasan 1 'BUG: KASAN: slab-use-after-free in mach_port_release' "$(synth kasan "[   12.345678] ==================================================================" "[   12.345679] BUG: KASAN: slab-use-after-free in mach_port_release+0x1c/0x80 [mach]" "$ok_end")"
check lockdep_circular 1 'possible circular locking dependency' "$(synth lockdep "[   3.100000] ======================================================" "[   3.100001] WARNING: possible circular locking dependency detected" "$ok_end")"
check ubsan 1 'UBSAN: shift-out-of-bounds' "$(synth ubsan "[    5.000000] UBSAN: shift-out-of-bounds in module/port.c:42:7" "$ok_end")"
check hung_task 1 'blocked for more than 120 seconds' "$(synth hung "[  130.000000] INFO: task mach_test:77 blocked for more than 120 seconds." "$ok_end")"
check sleep_in_atomic 1 'sleeping function called from invalid context' "$(synth atomic "[    7.000000] BUG: sleeping function called from invalid context at mm/slab.h:723" "$ok_end")"
check gpf 1 'general protection fault' "$(synth gpf "[    7.000000] general protection fault, probably for non-canonical address 0xdffffc0000000002: 0000 [#1] PREEMPT SMP KASAN" "$ok_end")"
check interleaved_console 1 'WARNING: CPU: 0 PID: 1' "$(synth interleaved "ok 3 global.se[    9.000000] WARNING: CPU: 0 PID: 1 at module/space.c:10 f+0x1/0x2 [mach]" "$ok_end")"
check kmemleak_dump 1 'kmemleak suspect "unreferenced object 0xffff888001234500' "$(synth kml "MACH-VM-KMEMLEAK-BEGIN" "unreferenced object 0xffff888001234500 (size 64):" "MACH-VM-KMEMLEAK-END" "$ok_end")"
exit $failed
