#!/usr/bin/env bash
# Fetch (once) Debian's stock kernel image for the pinned ABI and unpack it
# into the cache (never installed).  Prints the path of its vmlinuz.  Only
# the kernel and its config are kept (the VM loads no other module):
#
#   $MACH_CACHE/stock-kernel/<abi>/{vmlinuz,config}-<abi>
set -euo pipefail
MACH_LOG_TAG=stock-kernel
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=scripts/kabi.sh
. "$MACH_ROOT/scripts/kabi.sh"

dir=$MACH_CACHE/stock-kernel/$MACH_KABI
vmlinuz=$dir/vmlinuz-$MACH_KABI
if [[ -f $dir/.mach-done ]]; then
	printf '%s\n' "$vmlinuz"
	exit 0
fi

mach_lock "$MACH_CACHE/stock-kernel/.lock"
if [[ ! -f $dir/.mach-done ]]; then
	pkg=linux-image-$MACH_KABI-unsigned
	mach_log "downloading $pkg"
	rm -rf "$dir"
	mkdir -p "$dir"
	# apt-get download writes into the current directory; as root it warns
	# that it runs unsandboxed, which is expected here.
	(cd "$dir" && apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' >&2) ||
		mach_die "apt-get download $pkg failed (try 'apt-get update', or MACH_KABI=...)"
	deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	[[ -n $deb ]] || mach_die "no .deb for $pkg in $dir"
	mach_log "unpacking $(basename "$deb")"
	dpkg -x "$deb" "$dir/root"
	[[ -f $dir/root/boot/vmlinuz-$MACH_KABI ]] || mach_die "vmlinuz-$MACH_KABI not in $(basename "$deb")"
	mv "$dir/root/boot/vmlinuz-$MACH_KABI" "$dir/root/boot/config-$MACH_KABI" "$dir/"
	rm -rf "$dir/root" "$deb"
	touch "$dir/.mach-done"
fi
printf '%s\n' "$vmlinuz"
