#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every benchmark inside the VM (busybox sh); one JSON object per line,
# prefixed "@@BENCH ", on stdout (the console).  bench/report.py parses them.
#
#   /bench/run.sh MODE [REPS] [SECS] [SECTIONS]
#     MODE      a label for the output: det (deterministic) or smp2
#     REPS      repetitions of the whole set (default 1; report.py takes medians)
#     SECS      target duration of each figure, guest seconds (default 0.3)
#     SECTIONS  any of "rpc self oneway ool many uring" (default all); self is
#               the single-process path length (no scheduling), for profiling;
#               uring is issue 8's batched io_uring stream (uring_bench)
#
#   scripts/vm-run.sh --deterministic --quiet stock -- /bench/run.sh det 1 0.3
#   scripts/vm-run.sh --quiet stock -- /bench/run.sh smp2 3 0.2
mode=${1:-unknown}
reps=${2:-1}
secs=${3:-0.3}
sections=${4:-"rpc self oneway ool many uring"}
B=$(dirname "$0")/machbench
fail=0

run() {
	"$B" -m "$mode" -r "$rep" -t "$secs" "$@" || {
		echo "@@BENCH-FAIL $*"
		fail=1
	}
}

echo "@@BENCH-START mode=$mode reps=$reps secs=$secs nproc=$(nproc) kernel=$(uname -r)"
for f in /sys/devices/system/cpu/vulnerabilities/*; do
	[ -r "$f" ] && echo "@@BENCH-VULN $(basename "$f"): $(cat "$f")"
done
rep=1
while [ "$rep" -le "$reps" ]; do
	for s in $sections; do
		case $s in
		rpc)
			for p in 0 64 1024 16384; do
				for m in mach futex pipe eventfd seqpacket stream; do
					run rpc $m $p
				done
			done
			;;
		self)
			for p in 0 64 1024 16384; do
				for m in null mach mach-2call mach-rpc pipe pipe-rpc eventfd; do
					run self $m $p
				done
			done
			;;
		oneway)
			for m in mach mach-q5 pipe; do
				run oneway $m
			done
			;;
		ool)
			for sz in 4096 16384 65536 262144 1048576 4194304 16777216 67108864; do
				for m in mach-phys mach-virt memcpy pipe; do
					run ool $m $sz
				done
			done
			# MPMMtest's complex 1 KiB message against the same bytes inline
			for sz in 1024 4096; do
				for m in mach-inline mach-virt; do
					[ "$m$sz" = mach-virt4096 ] || run ool $m $sz
				done
			done
			;;
		many)
			for sc in "1 1" "1 4" "2 4" "4 4" "2 8"; do
				for m in mach mach-pset unix-epoll; do
					# shellcheck disable=SC2086
					run many $m $sc
				done
			done
			;;
		uring)
			# once: its own best-of-3 over 20000 messages; report.py keeps
			# the lines that start with "uring_bench:" and the table after
			[ "$rep" -eq 1 ] && { "$(dirname "$0")/uring_bench" 20000 3 | sed 's/^/@@URING /' || fail=1; }
			;;
		esac
	done
	rep=$((rep + 1))
done
echo "@@BENCH-END fail=$fail"
exit $fail
