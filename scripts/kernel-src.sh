#!/usr/bin/env bash
# Unpack (once) Debian's linux-source-6.1 tarball into the cache and print the
# source directory: the debug kernel is built from it (scripts/debug-kernel.sh)
# and the selftests take kselftest.h / kselftest_harness.h from its
# tools/testing/selftests.  Cached as $MACH_CACHE/kernel-src/<package version>.
set -euo pipefail
MACH_LOG_TAG=kernel-src
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TARBALL=/usr/src/linux-source-6.1.tar.xz
[[ -f $TARBALL ]] || mach_die "$TARBALL missing: run scripts/deps.sh (linux-source-6.1)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
src=$MACH_CACHE/kernel-src/$srcver
if [[ ! -f $src/.mach-unpacked ]]; then
	mach_lock "$MACH_CACHE/kernel-src/.lock"
	if [[ ! -f $src/.mach-unpacked ]]; then
		mach_log "unpacking $TARBALL ($srcver) into $src"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xJf "$TARBALL" -C "$src.tmp" --strip-components=1
		touch "$src.tmp/.mach-unpacked"
		mv "$src.tmp" "$src"
	fi
fi
printf '%s\n' "$src"
