#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole benchmark (issue 7), what `make bench` runs:
#   1. build mach.ko (stock), libmach and bench/ into $MACH_BUILD (default ./build)
#   2. boot the stock kernel in the deterministic mode (-smp 1 -icount
#      shift=0,sleep=off): /bench/run.sh det, one repetition
#   3. boot it with 2 vCPUs (TCG): /bench/run.sh smp2, BENCH_REPS repetitions
#   4. bench/report.py: $MACH_BUILD/bench/results.{json,md}, latency.png
#
#   bench/bench.sh [det|smp2|all]   (default all)
# Environment:
#   BENCH_SECS=0.3      target guest seconds per figure (deterministic mode)
#   BENCH_SECS_SMP=0.2  the same on 2 vCPUs
#   BENCH_REPS=3        repetitions on 2 vCPUs (medians are reported)
#   BENCH_SECTIONS="rpc self oneway ool many uring"
#   BENCH_NO_BUILD=1    use what is in $MACH_BUILD
# The console logs are kept as $MACH_BUILD/logs/bench-{det,smp2}-<time>.log.
# The benchmarks are never part of `make check`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MACH_BUILD=${MACH_BUILD:-$root/build}
what=${1:-all}
secs=${BENCH_SECS:-0.3}
secs_smp=${BENCH_SECS_SMP:-0.2}
reps=${BENCH_REPS:-3}
sections=${BENCH_SECTIONS:-rpc self oneway ool many uring}
case $what in det | smp2 | all) ;; *) echo "usage: $0 [det|smp2|all]" >&2; exit 2 ;; esac

if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
	"$root/scripts/build-module.sh" stock
	make -C "$root/lib" BUILD="$MACH_BUILD" UAPI="$root/uapi"
	make -C "$root/bench" BUILD="$MACH_BUILD"
fi

mkdir -p "$MACH_BUILD/logs"
stamp=$(date +%Y%m%d-%H%M%S)
logs=()
rc=0
if [[ $what == det || $what == all ]]; then
	log=$MACH_BUILD/logs/bench-det-$stamp.log
	echo "bench: deterministic mode (log: $log)"
	"$root/scripts/vm-run.sh" --deterministic --quiet --log "$log" stock -- \
		/bench/run.sh det 1 "$secs" "'$sections'" || rc=$?
	logs+=("$log")
fi
if [[ $what == smp2 || $what == all ]]; then
	log=$MACH_BUILD/logs/bench-smp2-$stamp.log
	echo "bench: 2 vCPUs, $reps repetitions (log: $log)"
	MACH_VM_SMP=2 "$root/scripts/vm-run.sh" --quiet --log "$log" stock -- \
		/bench/run.sh smp2 "$reps" "$secs_smp" "'${sections/uring/}'" || rc=$?
	logs+=("$log")
fi
python3 "$root/bench/report.py" --out "$MACH_BUILD/bench" "${logs[@]}" || rc=$?
exit $rc
