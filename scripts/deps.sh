#!/usr/bin/env bash
# Install, idempotently, every Debian package the project needs.  Does nothing
# (no apt at all) when everything is already there.  Needs root (or sudo) only
# when something is missing.
#
#   scripts/deps.sh          everything (build, VM tests, debug kernel, benches)
set -euo pipefail
MACH_LOG_TAG=deps
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PACKAGES=(
	build-essential pkg-config kmod rsync
	gcc-12 dwarves debian-archive-keyring
	qemu-system-x86 busybox-static cpio
	liburing-dev
	linux-source-6.1 flex bison bc libelf-dev libssl-dev
	gnuplot-nox
	dkms cmake	# scripts/dkms-test.sh, scripts/install-test.sh
)

SUDO=
if [[ $(id -u) != 0 ]]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive


updated=0
apt_update() {
	if ((!updated)); then
		mach_log "apt-get update"
		$SUDO apt-get update -qq
		updated=1
	fi
}

# The ABI is resolved from the apt lists: on a fresh machine they may be empty.
if [[ -z ${MACH_KABI:-} ]] && ! apt-cache depends linux-headers-amd64 2>/dev/null | grep -q 'Depends: linux-headers-6\.1\.0-'; then
	apt_update
fi
# shellcheck source=scripts/kabi.sh
. "$MACH_ROOT/scripts/kabi.sh"
PACKAGES+=("linux-headers-$MACH_KABI")

# One dpkg-query for all: the packages that are not fully installed.
mapfile -t present < <(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null |
	awk '$NF == "installed" && $(NF-1) == "ok" {print $1}')
missing=()
for p in "${PACKAGES[@]}"; do
	[[ " ${present[*]} " == *" $p "* ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi
mach_log "installing: ${missing[*]}"
apt_update
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
	# A stale list may point at a dropped package version: refresh once and retry.
	updated=0
	apt_update
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
