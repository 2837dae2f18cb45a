#!/usr/bin/env bash
# Build mach.ko for one kernel flavour, out of tree, in its own copy:
#
#   scripts/build-module.sh stock|stock-6.12|debug|minimal   -> prints build/<flavour>/mach.ko
#
# Kbuild, module/ and uapi/ are copied (rsync, mtimes kept, so rebuilds are
# incremental) into build/<flavour>/src and built with
#   make -C $KDIR M=build/<flavour>/src modules
# stock:      KDIR=/lib/modules/<abi>/build (Debian 12's 6.1 headers package)
# stock-6.12: KDIR=the 6.12 LTS headers unpacked in the cache (kernel-6.12.sh)
# debug:      KDIR=the debug kernel build (scripts/debug-kernel.sh, built if needed)
# minimal:    KDIR=the debug kernel without SysV IPC, IPC namespaces and io_uring
#             (scripts/minimal.config)
# MACH_KDIR overrides KDIR, and then nothing else is resolved or fetched
# (no Debian ABI, no download): any configured kernel tree or headers
# directory will do.  MACH_MODULE_SRC overrides the source tree (a
# directory holding Kbuild, module/, uapi/; default: the repository).
set -euo pipefail
MACH_LOG_TAG=build-module
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

flavour=${1:-}
case $flavour in
stock | stock-6.12 | debug | minimal) ;;
*) mach_die "usage: $0 stock|stock-6.12|debug|minimal" ;;
esac
if [[ -n ${MACH_KDIR:-} ]]; then
	kdir=$MACH_KDIR
	[[ -f $kdir/Makefile ]] || mach_die "MACH_KDIR=$kdir is not a kernel build tree (no Makefile)"
else
	case $flavour in
	stock)
		# shellcheck source=scripts/kabi.sh
		. "$MACH_ROOT/scripts/kabi.sh"
		kdir=/lib/modules/$MACH_KABI/build
		[[ -d $kdir ]] || mach_die "$kdir missing: run scripts/deps.sh (linux-headers-$MACH_KABI)"
		;;
	stock-6.12) kdir=$("$MACH_ROOT/scripts/kernel-6.12.sh" kdir) ;;
	debug) kdir=$("$MACH_ROOT/scripts/debug-kernel.sh") ;;
	minimal) kdir=$(MACH_DEBUG_FRAGMENT=$MACH_ROOT/scripts/minimal.config "$MACH_ROOT/scripts/debug-kernel.sh") ;;
	esac
fi

srcroot=${MACH_MODULE_SRC:-$MACH_ROOT}
[[ -f $srcroot/Kbuild ]] || mach_die "$srcroot/Kbuild missing: nothing to build"
out=$MACH_BUILD/$flavour
mkdir -p "$out/src"
items=(Kbuild)
for d in module uapi; do [[ -d $srcroot/$d ]] && items+=("$d"); done
# --delete drops stale sources; excluded build outputs are kept in place.
(cd "$srcroot" && rsync -a --delete \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='modules.order' --exclude='Module.symvers' \
	"${items[@]}" "$out/src/")
mach_log "building mach.ko ($flavour) against $kdir"
make -C "$kdir" M="$out/src" modules >"$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	mach_die "module build failed ($flavour), log: $out/build.log"
}
# Show compiler and modpost warnings: they must not go unnoticed.
grep -E 'warning:|WARNING:' "$out/build.log" >&2 || true
cp "$out/src/mach.ko" "$out/mach.ko"
printf '%s\n' "$out/mach.ko"
