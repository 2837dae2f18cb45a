#!/usr/bin/env bash
# The one place that decides which Debian 6.1 kernel ABI the project targets.
#
# Prints the ABI string (e.g. "6.1.0-56-amd64") when executed; sets MACH_KABI
# when sourced.  Resolution order:
#   1. $MACH_KABI from the environment (e.g. MACH_KABI=6.1.0-56-amd64);
#   2. the ABI that Debian's linux-headers-amd64 meta-package points at now
#      (the archive drops old ABIs, so this follows the current one);
#   3. the newest installed /lib/modules/6.1.0-*-amd64/build (offline fallback).
# Everything else (headers package, image package, stock KDIR, cache keys)
# derives from this value.

mach_resolve_kabi() {
	if [[ -n "${MACH_KABI:-}" ]]; then
		printf '%s\n' "$MACH_KABI"
		return 0
	fi
	local dep
	dep=$(apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1)
	if [[ -n "$dep" ]]; then
		printf '%s\n' "$dep"
		return 0
	fi
	local d
	d=$(find /lib/modules -maxdepth 1 -name '6.1.0-*-amd64' -printf '%f\n' 2>/dev/null |
		sort -t- -k2,2n | tail -n1)
	if [[ -n "$d" && -d "/lib/modules/$d/build" ]]; then
		printf '%s\n' "$d"
		return 0
	fi
	echo "kabi: cannot resolve the Debian 6.1 kernel ABI (run 'apt-get update' or set MACH_KABI)" >&2
	return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	mach_resolve_kabi
else
	MACH_KABI=$(mach_resolve_kabi) || return 1
	export MACH_KABI
fi
