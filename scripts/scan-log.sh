#!/usr/bin/env bash
# Judge a VM console log written by vm-run.sh.
#
#   scripts/scan-log.sh [--label NAME] [--timed-out SECS] [--ignore-cmd-status] LOG
#
# Prints "vm-run: PASS ..." or, for a failure, the offending lines and one
# line "vm-run: FAIL [NAME]: <reason> (log: LOG)".  Exit status: the guest
# command's status when it failed, else 1 for a kernel report (any line
# matching KERNEL_REPORT below, a kmemleak suspect, the module's "mach: leak")
# or a failed rmmod, 124 when the host timeout fired, 125 when the log has no
# "MACH-VM-RESULT:" line (the VM crashed or hung), 0 when all is well.
set -euo pipefail

label=vm timed_out='' ignore_cmd=0
while (($#)); do
	case $1 in
	--ignore-cmd-status) ignore_cmd=1; shift ;;
	--label) label=$2; shift 2 ;;
	--timed-out) timed_out=$2; shift 2 ;;
	*) break ;;
	esac
done
log=${1:?usage: scan-log.sh [--label NAME] [--timed-out SECS] LOG}
[[ -r $log ]] || { echo "scan-log: cannot read $log" >&2; exit 2; }

# Kernel reports.  They only count on a kernel line, i.e. after a printk
# timestamp "[   12.345678]" (vm-run boots with printk.time=1), so that a
# test that prints one of these words cannot fail the run by itself.
KERNEL_REPORT='BUG:|WARNING:|KASAN:|UBSAN:|kernel BUG at|Oops|general protection fault|Kernel panic|Call Trace|RIP: |INFO: |possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|bad unlock balance|=====+$|hung task|blocked for more than|sleeping function called from invalid context|list_(add|del) corruption|mach: leak'
# Anywhere in the log (kmemleak's report is printed by the guest's `cat`).
ANYWHERE='unreferenced object 0x'

awk -v label="$label" -v logf="$log" -v timed_out="$timed_out" -v ignore_cmd="$ignore_cmd" \
	-v report="$KERNEL_REPORT" -v anywhere="$ANYWHERE" '
	function problem(what, line) {
		nprob++
		if (nprob <= 8) printf "vm-run: %s at %s:%d: %s\n", what, logf, NR, line
		if (first == "") first = what " \"" substr(line, 1, 160) "\" (line " NR ")"
	}
	{ sub(/\r$/, "") }
	match($0, /\[ *[0-9]+\.[0-9]+\] /) {
		k = substr($0, RSTART + RLENGTH)
		if (k ~ report) {
			# The dmesg dump at the end repeats what the console showed.
			key = substr($0, RSTART)
			if (!(key in seen)) problem("kernel report", k)
			seen[key] = 1
			next
		}
	}
	$0 ~ anywhere { problem("kmemleak suspect", $0); next }
	/MACH-VM-ERROR: / { sub(/.*MACH-VM-ERROR: /, ""); if (err == "") err = $0; next }
	/MACH-VM-TIMEOUT: / { sub(/.*MACH-VM-TIMEOUT: /, ""); if (cmd_note == "") cmd_note = $0; next }
	/MACH-VM-RESULT: cmd=/ {
		s = $0; sub(/.*MACH-VM-RESULT: /, "", s)
		n = split(s, kv, " ")
		for (i = 1; i <= n; i++) { split(kv[i], p, "="); res[p[1]] = p[2] }
		have_result = 1
	}
	END {
		rc = 0; reason = ""
		if (!have_result) {
			rc = (timed_out != "") ? 124 : 125
			reason = (timed_out != "") ? "host timeout after " timed_out "s: VM killed" : "no MACH-VM-RESULT line: the VM crashed, panicked or hung"
			if (err != "") reason = reason "; " err
			if (first != "") reason = reason "; first report: " first
		} else {
			cmd = ignore_cmd ? 0 : res["cmd"] + 0
			if (err != "") { rc = 1; reason = err }
			if (cmd != 0) {
				rc = cmd
				reason = (reason == "" ? "" : reason "; ") "command exited with status " cmd
				if (cmd_note != "") reason = reason " (" cmd_note ")"
			}
			if (res["rmmod"] != "0" && res["rmmod"] != "-") {
				if (rc == 0) rc = 1
				reason = (reason == "" ? "" : reason "; ") "rmmod mach failed (" res["rmmod"] ")"
			}
			if (nprob) {
				if (rc == 0) rc = 1
				reason = (reason == "" ? "" : reason "; ") first
			}
		}
		if (nprob > 8) printf "vm-run: ... %d more report lines\n", nprob - 8
		if (rc == 0) printf "vm-run: PASS [%s] (log: %s)\n", label, logf
		else printf "vm-run: FAIL [%s]: %s (log: %s)\n", label, reason, logf
		exit rc
	}' "$log"
