#!/usr/bin/env bash
# The body of `make check` (the Makefile builds everything first):
#   1. the host-side self-tests of these scripts (scripts/tests/*.test.sh)
#      and libmach's host tests (make -C lib check);
#   2. the selftests in a VM on each kernel: Debian 12's stock 6.1, Debian's
#      stock 6.12 LTS (bookworm-backports), then the debug kernel, where the
#      bounded run of the fuzzer (/fuzz/mach-fuzz, fuzz/) follows;
#   3. installation: scripts/dkms-test.sh (DKMS builds for each kernel ABI)
#      and scripts/install-test.sh (the README's steps into a DESTDIR, the
#      tree used in a VM).  MACH_CHECK_INSTALL=0 leaves them out.
# Every part's KTAP results are counted by ktap-summary.sh; a VM run that
# fails by itself (kernel report, failed rmmod, crash, timeout) counts one
# more failed test.  The last line printed is the total over all parts:
#   N passed, N failed, N skipped
# Exit status 1 if anything failed.  MACH_CHECK_FLAVOURS (default
# "stock stock-6.12 debug minimal") picks the kernels; minimal is the debug
# kernel without SysV IPC, IPC namespaces and io_uring (scripts/minimal.config).
set -uo pipefail
MACH_LOG_TAG=check
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
S=$MACH_ROOT/scripts
logs=$MACH_BUILD/logs
mkdir -p "$logs"
rm -f "$logs"/check-*.counts "$logs/check-summary.txt"

summaries=()
vm_failures=()

# 1. host self-tests of the scripts
"$S/run-selftests.sh" "$S/tests" >"$logs/check-host.log" 2>&1
summaries+=("$("$S/ktap-summary.sh" --counts "$logs/check-host.counts" host "$logs/check-host.log")")

# 1b. libmach's host tests (headers, symbols, unit and wiring tests against
# a fake device): one result, by make's status
make -s -C "$MACH_ROOT/lib" check BUILD="$MACH_BUILD" >"$logs/check-lib.out" 2>&1
rc=$?
{
	echo "# MACH-SELFTEST-BEGIN libmach-host-check"
	echo "# (output in $logs/check-lib.out)"
	echo "# MACH-SELFTEST-END libmach-host-check rc=$rc"
} >"$logs/check-lib.log"
summaries+=("$("$S/ktap-summary.sh" --counts "$logs/check-lib.counts" lib "$logs/check-lib.log")")

# 2. selftests on each kernel
for flavour in ${MACH_CHECK_FLAVOURS:-stock stock-6.12 debug minimal}; do
	log=$logs/check-$flavour.log
	mach_log "selftests on the $flavour kernel"
	dirs=
	[[ $flavour == debug ]] && dirs="/selftests /libtests /fuzz"
	# Without SysV IPC, IPC namespaces and io_uring: the calls that do not
	# need a namespace of their own (the others cannot be made there), and
	# the io_uring tests, which must skip.
	[[ $flavour == minimal ]] && dirs=$(printf '/selftests/%s ' mach_dev_test mach_port_test \
		mach_msg_header_test mach_msg_queue_test mach_notify_test mach_ool_test mach_uring_test)
	# shellcheck disable=SC2086 # dirs: words
	"$S/vm-run.sh" --log "$log" "$flavour" run-selftests $dirs
	# Judge the VM itself, apart from the tests' own status.
	if ! vmres=$("$S/scan-log.sh" --ignore-cmd-status --label "$flavour" "$log"); then
		vm_failures+=("$(tail -n1 <<<"$vmres")")
		echo "1" >"$logs/check-$flavour-vm.counts"
	fi
	summaries+=("$("$S/ktap-summary.sh" --counts "$logs/check-$flavour.counts" "$flavour" "$log")")
done

# 3. installation (KTAP from both scripts)
if [[ ${MACH_CHECK_INSTALL:-1} != 0 ]]; then
	mach_log "DKMS builds"
	"$S/dkms-test.sh" >"$logs/check-dkms.log" 2>&1
	summaries+=("$("$S/ktap-summary.sh" --counts "$logs/check-dkms.counts" dkms "$logs/check-dkms.log")")
	mach_log "make install into a DESTDIR, used in a VM"
	"$S/install-test.sh" --log "$logs/check-install-vm.log" >"$logs/check-install.log" 2>&1
	summaries+=("$("$S/ktap-summary.sh" --counts "$logs/check-install.counts" install "$logs/check-install.log")")
fi

p=0 f=0 s=0
for c in "$logs"/check-*.counts; do
	[[ -f $c ]] || continue
	case $c in
	*-vm.counts) f=$((f + 1)) ;;
	*)
		read -r cp cf cs <"$c"
		p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
		;;
	esac
done

echo
echo "==== summary ===="
printf '%s\n' "${summaries[@]}"
((${#vm_failures[@]})) && printf '%s\n' "${vm_failures[@]}"
echo "logs: $logs/check-*.log"
line="$p passed, $f failed, $s skipped"
echo "$line" >"$logs/check-summary.txt"
echo "$line"
((f == 0))
