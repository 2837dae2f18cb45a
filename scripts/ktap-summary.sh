#!/usr/bin/env bash
# Count kselftest results in a console log (KTAP/TAP 13).
#
#   scripts/ktap-summary.sh [--counts FILE] LABEL LOG
#
# Counts the unindented "ok N ...", "not ok N ..." and "ok N ... # SKIP"
# lines (a "# TODO" result counts as passed: an expected failure).  A framed
# binary that printed no result at all counts as one test, by its exit
# status: 0 passed, 4 skipped, else failed.  When the
# log frames binaries with run-selftests' "# MACH-SELFTEST-BEGIN name" /
# "# MACH-SELFTEST-END name rc=N" lines, a binary also counts one failure
# when it crashed or was killed (rc >= 128), exited non-zero (other than 4,
# kselftest's skip) without reporting a failed test, printed fewer results
# than its plan "1..N", or never finished (the VM died).  Lines between
# MACH-VM-DMESG-BEGIN/END (the kernel log) are ignored.
#
# Prints the failed tests, then "LABEL: P passed, F failed, S skipped";
# with --counts, also writes "P F S" to FILE.  Exit status 1 if F > 0.
set -euo pipefail
counts=
if [[ ${1:-} == --counts ]]; then counts=$2; shift 2; fi
label=${1:?usage: ktap-summary.sh [--counts FILE] LABEL LOG}
log=${2:?usage: ktap-summary.sh [--counts FILE] LABEL LOG}
[[ -r $log ]] || { echo "ktap-summary: cannot read $log" >&2; exit 2; }

awk -v label="$label" -v counts="$counts" '
	function fail(what) { f++; printf "FAIL %s: %s\n", label, what }
	function close_bin(rc) {
		if (rc == "") { fail(bin " did not finish (VM crashed or timed out)"); bin = ""; return }
		rc += 0
		if (bin_results == 0 && plan == 0) {
			if (rc == 0) p++
			else if (rc == 4) s++
			else fail(bin (rc >= 128 ? " killed by signal " rc - 128 : " exited with status " rc))
			bin = ""; return
		}
		if (rc >= 128) fail(bin " killed by signal " rc - 128 (rc == 137 ? " (timeout?)" : ""))
		else if (rc != 0 && rc != 4 && bin_fail == 0) fail(bin " exited with status " rc)
		else if (plan > 0 && bin_results < plan) fail(bin " reported " bin_results " of " plan " planned results")
		bin = ""
	}
	{ sub(/\r$/, "") }
	/MACH-VM-DMESG-BEGIN/ { dmesg = 1; next }
	/MACH-VM-DMESG-END/ { dmesg = 0; next }
	dmesg { next }
	/^# MACH-SELFTEST-BEGIN / {
		if (bin != "") close_bin("")
		bin = $3; bin_fail = 0; bin_results = 0; plan = 0; next
	}
	/^# MACH-SELFTEST-END / {
		rc = $4; sub(/^rc=/, "", rc)
		if (bin != "") close_bin(rc)
		next
	}
	/^1\.\.[0-9]+/ { if (bin != "" && plan == 0) { plan = substr($1, 4) + 0 }; next }
	/^(not )?ok [0-9]+/ {
		bin_results++
		name = $0; sub(/^(not )?ok [0-9]+ *(- )?/, "", name)
		if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) s++
		else if ($0 ~ /^not ok/ && $0 !~ /#[ \t]*TODO/) { bin_fail++; fail((bin != "" ? bin ": " : "") name) }
		else p++
	}
	END {
		if (bin != "") close_bin("")
		printf "%s: %d passed, %d failed, %d skipped\n", label, p, f, s
		if (counts != "") printf "%d %d %d\n", p, f, s > counts
		exit f > 0
	}' "$log"
