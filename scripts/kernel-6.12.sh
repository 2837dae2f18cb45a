#!/usr/bin/env bash
# Debian's 6.12 LTS kernel (Debian 12's bookworm-backports suite, the kernel
# Debian 13 ships): fetch once, never install.
#
#   scripts/kernel-6.12.sh abi       the ABI, e.g. 6.12.95+deb12-amd64
#   scripts/kernel-6.12.sh kdir      the headers tree (KDIR for the module)
#   scripts/kernel-6.12.sh vmlinuz   the stock image (boots the test VM)
#
# The ABI is resolved like scripts/kabi.sh does for 6.1: $MACH_KABI_612 if
# set, else what the suite's linux-headers-amd64 depends on now, else the
# newest one already in the cache (offline).  Packages come through the
# private apt configuration of scripts/apt-bpo.sh and are unpacked with
# dpkg -x into the cache:
#
#   $MACH_CACHE/stock-kernel/<abi>/{vmlinuz,config}-<abi>
#   $MACH_CACHE/headers/<abi>/usr/src/linux-headers-<abi>      (KDIR)
#
# Why unpack instead of installing the headers: Debian's headers package
# depends on the matching linux-image package, so installing it would put a
# second kernel (and an initramfs build) on the machine, which the project
# must not do; and dpkg -x needs neither root nor the machine's package
# state.  The headers tree includes its -common tree by absolute path and
# points at the kbuild package through absolute symlinks: both are rewritten
# to the unpacked copies, so the tree builds from wherever the cache is.
set -euo pipefail
MACH_LOG_TAG=kernel-6.12
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=scripts/apt-bpo.sh
. "$MACH_ROOT/scripts/apt-bpo.sh"

what=${1:-}
case $what in abi | kdir | vmlinuz) ;; *) mach_die "usage: $0 abi|kdir|vmlinuz" ;; esac

ABI_RE='6\.12\.[0-9]+\+deb12-amd64'

resolve_abi() {
	if [[ -n ${MACH_KABI_612:-} ]]; then
		printf '%s\n' "$MACH_KABI_612"
		return 0
	fi
	local dep d
	# a failed refresh leaves the old lists, if any, to answer
	mach_bpo_update >&2 || true
	dep=$(mach_bpo_apt apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -En "s/^ *Depends: linux-headers-($ABI_RE)\$/\\1/p" | head -n1)
	if [[ -n $dep ]]; then
		printf '%s\n' "$dep"
		return 0
	fi
	d=$(find "$MACH_CACHE/headers" -maxdepth 2 -name .mach-done -printf '%h\n' 2>/dev/null |
		xargs -r -n1 basename | grep -E "^$ABI_RE\$" | sort -V | tail -n1)
	if [[ -n $d ]]; then
		printf '%s\n' "$d"
		return 0
	fi
	mach_die "cannot resolve the Debian 6.12 kernel ABI (no network? set MACH_KABI_612)"
}

abi=$(resolve_abi)
[[ $abi =~ ^$ABI_RE$ ]] || mach_die "'$abi' is not a Debian 12 backports 6.12 ABI"
ver=${abi%-amd64}			# 6.12.95+deb12

# fetch PKG... into DIR (apt-get download writes into the current directory)
fetch() {
	local dir=$1
	shift
	if ! (cd "$dir" && mach_bpo_apt apt-get download -q "$@" >&2); then
		mach_bpo_update --force >&2 || true
		(cd "$dir" && mach_bpo_apt apt-get download -q "$@" >&2) ||
			mach_die "apt-get download $* failed"
	fi
}

ensure_image() {
	local dir=$MACH_CACHE/stock-kernel/$abi pkg=linux-image-$abi-unsigned deb
	[[ -f $dir/.mach-done ]] && return 0
	mach_lock "$MACH_CACHE/stock-kernel/.lock"
	[[ -f $dir/.mach-done ]] && return 0
	mach_log "downloading $pkg"
	rm -rf "$dir"
	mkdir -p "$dir"
	fetch "$dir" "$pkg"
	deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	[[ -n $deb ]] || mach_die "no .deb for $pkg in $dir"
	mach_log "unpacking $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$dir" --strip-components=2 "./boot/vmlinuz-$abi" "./boot/config-$abi"
	[[ -f $dir/vmlinuz-$abi ]] || mach_die "vmlinuz-$abi not in $(basename "$deb")"
	rm -f "$deb"
	touch "$dir/.mach-done"
}

ensure_headers() {
	local dir=$MACH_CACHE/headers/$abi tmp deb l t
	[[ -f $dir/.mach-done ]] && return 0
	mach_lock "$MACH_CACHE/headers/.lock"
	[[ -f $dir/.mach-done ]] && return 0
	tmp=$dir.tmp
	rm -rf "$dir" "$tmp"
	mkdir -p "$tmp/debs"
	mach_log "downloading the headers of $abi"
	fetch "$tmp/debs" "linux-headers-$abi" "linux-headers-$ver-common" "linux-kbuild-$ver"
	for deb in "$tmp"/debs/*.deb; do
		dpkg -x "$deb" "$tmp"
	done
	rm -rf "$tmp/debs"
	kdir=$tmp/usr/src/linux-headers-$abi
	[[ -f $kdir/Makefile ]] || mach_die "no Makefile in linux-headers-$abi"
	# Absolute paths into /usr/src and /usr/lib become paths into the copy.
	sed -i "s|^include /usr/src/|include $dir/usr/src/|" "$kdir/Makefile"
	find "$tmp" -type l -lname '/*' -print0 | while IFS= read -r -d '' l; do
		t=$(readlink "$l")
		ln -sfn "$dir$t" "$l"
	done
	mv "$tmp" "$dir"
	make -s -C "$dir/usr/src/linux-headers-$abi" kernelversion >/dev/null ||
		mach_die "the unpacked headers of $abi do not work"
	touch "$dir/.mach-done"
}

case $what in
abi) printf '%s\n' "$abi" ;;
kdir)
	ensure_headers
	printf '%s\n' "$MACH_CACHE/headers/$abi/usr/src/linux-headers-$abi"
	;;
vmlinuz)
	ensure_image
	printf '%s\n' "$MACH_CACHE/stock-kernel/$abi/vmlinuz-$abi"
	;;
esac
