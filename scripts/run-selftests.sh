#!/bin/sh
# Run every executable directly in the test directories (default: /selftests
# and /libtests, the ones that exist), and each test binary named, each with
# its own timeout; installed in the VM as /usr/bin/run-selftests.  Also
# usable on the host.
#
#   run-selftests [DIR|BINARY...]   MACH_SELFTEST_TIMEOUT=secs per binary (default 300)
#
# Each binary's KTAP output is framed by two diagnostic lines, which TAP
# parsers ignore and scripts/ktap-summary.sh uses to tell the binaries apart:
#   # MACH-SELFTEST-BEGIN <name>
#   # MACH-SELFTEST-END <name> rc=<exit status>
# Exit status: 0 when every binary exited 0 or 4 (kselftest's "skip"), else 1.
[ $# -gt 0 ] || set -- /selftests /libtests
per_test=${MACH_SELFTEST_TIMEOUT:-300}
status=0
n=0
run_one() {
	t=$1
	dir=${t%/*}
	name=${t##*/}
	n=$((n + 1))
	echo "# MACH-SELFTEST-BEGIN $name"
	(cd "$dir" && exec timeout -s KILL "$per_test" "./$name")
	rc=$?
	echo "# MACH-SELFTEST-END $name rc=$rc"
	case $rc in
	0 | 4) ;;
	137) echo "# $name: killed after ${per_test}s (timeout)"; status=1 ;;
	*) status=1 ;;
	esac
}
for arg in "$@"; do
	if [ -f "$arg" ] && [ -x "$arg" ]; then
		run_one "$arg"
		continue
	fi
	[ -d "$arg" ] || continue
	for t in "$arg"/*; do
		if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
		run_one "$t"
	done
done
[ $n -gt 0 ] || { echo "# no test binaries in $*"; status=1; }
exit $status
