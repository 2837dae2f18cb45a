#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR MIT
#
# mach-demo: Mach IPC on Linux in one minute (what `make demo` runs in the VM,
# as root, with mach.ko loaded).
#
#  1. machd, the bootstrap name server, claims this namespace's bootstrap
#     port: every process started afterwards can find services through it;
#  2. an echo service checks in under a name;
#  3. a client looks the name up and makes a few hundred RPCs, each with
#     inline data, a port and an out-of-line buffer, and checks every echo;
#  4. lsmach shows the three processes' Mach names while they are alive;
#  5. everything is stopped cleanly.
#
#   mach-demo [COUNT]       (default 300 RPCs)
# The programs are looked up next to this script, then in PATH.
set -u
COUNT=${1:-300}
here=$(dirname "$0")
bin() { if [ -x "$here/$1" ]; then echo "$here/$1"; else command -v "$1"; fi; }
MACHD=$(bin machd) SERVER=$(bin mach-echo-srv) CLIENT=$(bin mach-echo-cli)
LSMACH=$(bin lsmach)
for p in "$MACHD" "$SERVER" "$CLIENT" "$LSMACH"; do
	[ -n "$p" ] || { echo "mach-demo: machd, lsmach or the demo programs are missing" >&2; exit 1; }
done
[ -c /dev/mach ] || { echo "mach-demo: /dev/mach missing: load mach.ko first" >&2; exit 1; }

tmp=$(mktemp -d /tmp/mach-demo.XXXXXX)
machd_pid= server_pid= client_pid=
cleanup() {
	for p in $client_pid $server_pid $machd_pid; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

step() { printf '\n=== %s\n' "$*"; }
# wait_for FILE SECONDS PID: until FILE exists and is not empty; gives up
# when PID exits first
wait_for() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		[ -s "$1" ] && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

step "1. Starting machd, the bootstrap name server"
echo "Mach programs find each other by name through the bootstrap port. machd"
echo "claims it for this IPC namespace; its log lines start with machd[pid]."
"$MACHD" --ready-fd 3 3>"$tmp/machd.ready" &
machd_pid=$!
wait_for "$tmp/machd.ready" 10 "$machd_pid" ||
	{ echo "mach-demo: machd did not start" >&2; exit 1; }

step "2. Starting the echo service"
echo "It checks in under the name \"org.mach-linux.demo.echo\" and gets the"
echo "receive right of a new port: messages sent to that name queue there."
"$SERVER" --ready-fd 3 3>"$tmp/server.ready" &
server_pid=$!
wait_for "$tmp/server.ready" 10 "$server_pid" ||
	{ echo "mach-demo: the echo service did not start" >&2; exit 1; }

step "3. Running the client: $COUNT RPCs"
"$CLIENT" -n "$COUNT" --pause "$tmp/client.paused" &
client_pid=$!
if ! wait_for "$tmp/client.paused" 120 "$client_pid"; then
	wait "$client_pid"; rc=$?; client_pid=
	echo "mach-demo: the client failed (status $rc)" >&2
	exit 1
fi

step "4. What the three processes hold right now (lsmach)"
echo "Each line is a name in that process's port name space: its rights, the"
echo "port it names (a serial id the kernel gives each port, the same in every process) and,"
echo "for send rights, which process holds the port's receive right."
"$LSMACH" -p "$machd_pid" -p "$server_pid" -p "$client_pid"

step "5. Shutting down"
kill -USR1 "$client_pid"
wait "$client_pid"; client_rc=$?; client_pid=
kill -TERM "$server_pid"; wait "$server_pid"; server_pid=
sleep 0.3	# let machd log the service port's death
kill -TERM "$machd_pid"; wait "$machd_pid"; machd_pid=
"$LSMACH" -s

if [ "$client_rc" -eq 0 ]; then
	step "Demo finished: every RPC was echoed correctly."
else
	step "Demo FAILED (client status $client_rc)"
fi
exit "$client_rc"
