#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: a long mach-fuzz run in a VM on the debug kernel (KASAN,
# lockdep, kmemleak, ...), never part of `make check`.
#
#   fuzz/run.sh                     FUZZ_OPS (default 1000000) operations
#   FUZZ_SEED=n FUZZ_OPS=n FUZZ_ARGS="--workers 8 --known none" fuzz/run.sh
#
# Without FUZZ_SEED the seed is taken from the clock and printed: replay a
# failure with the same FUZZ_SEED (and FUZZ_ARGS).  The console log is in
# build/logs/fuzz-<seed>.log; the run fails on a failed fuzz test, a kernel
# report, a leak at rmmod, or a VM that crashed or timed out.
# FUZZ_VM_TIMEOUT (seconds) bounds the whole VM; default: generous for the
# number of operations (the debug kernel under TCG does ~100-300 ops/s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ops=${FUZZ_OPS:-1000000}
seed=${FUZZ_SEED:-$(date +%s)}
args=${FUZZ_ARGS:-}
vm_timeout=${FUZZ_VM_TIMEOUT:-$((ops / 40 + 900))}
build=${MACH_BUILD:-$root/build}
log=$build/logs/fuzz-$seed.log
mkdir -p "$build/logs"
echo "[fuzz] seed $seed, $ops operations, VM limit ${vm_timeout}s, log $log" >&2
rc=0
MACH_VM_TIMEOUT=$vm_timeout "$root/scripts/vm-run.sh" --quiet --log "$log" debug \
	/fuzz/mach-fuzz --seed "$seed" --ops "$ops" --time "$((vm_timeout - 300))" --verbose $args || rc=$?
grep -a '^# coordinator:\|^ok \|^not ok \|^# live objects\|^# slot .* \(died\|stuck\|exited\)\|^# .*check:' "$log" || true
"$root/scripts/ktap-summary.sh" fuzz "$log" || rc=1
echo "[fuzz] seed $seed: $([[ $rc == 0 ]] && echo PASS || echo "FAIL (status $rc)")" >&2
exit "$rc"
