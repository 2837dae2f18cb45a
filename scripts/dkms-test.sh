#!/usr/bin/env bash
# The DKMS test: `make dkms-install` and `make dkms-uninstall`, run as a user
# would, but with DKMS's trees (source, build, install) under
# build/dkms-test, so the machine's own /usr/src, /var/lib/dkms and
# /lib/modules are not touched; for each kernel of dkms_kernels below, none
# of which needs to be the running one.
#
#   scripts/dkms-test.sh           (needs dkms: scripts/deps.sh installs it)
#
# For each kernel: DKMS builds and installs mach.ko; the module is for that
# ABI (vermagic), signed with the MOK key DKMS made (as on a Secure Boot
# machine), carries the /dev/mach aliases, and its build log has no
# warning.  Then dkms-uninstall leaves nothing behind.  KTAP on stdout.
set -uo pipefail
MACH_LOG_TAG=dkms
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The kernels to build for: "ABI HEADERS-DIR", one line each.
dkms_kernels() {
	# Debian 12's 6.1 (scripts/kabi.sh; headers from scripts/deps.sh)
	(. "$MACH_ROOT/scripts/kabi.sh" && echo "$MACH_KABI /lib/modules/$MACH_KABI/build")
	# Debian 13's 6.12 LTS (bookworm-backports; headers unpacked in the
	# cache by scripts/kernel-6.12.sh)
	echo "$("$MACH_ROOT/scripts/kernel-6.12.sh" abi) $("$MACH_ROOT/scripts/kernel-6.12.sh" kdir)"
}

out=$MACH_BUILD/dkms-test
rm -rf "$out"
mkdir -p "$out/src" "$out/tree" "$out/install"
n=0 failed=0
result() {	# result STATUS DESCRIPTION [LOGFILE shown on failure]
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
		[[ -z ${3:-} ]] || sed 's/^/# /' "$3" | tail -n 30
	fi
}

echo "TAP version 13"
mapfile -t kernels < <(dkms_kernels)
((${#kernels[@]})) && command -v dkms >/dev/null
result $? "dkms is installed and there are kernels to build for (${#kernels[@]})"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$MACH_ROOT/dkms.conf")
pairs=()
for k in "${kernels[@]}"; do
	read -r abi dir <<<"$k"
	[[ -d $dir ]]
	result $? "headers of $abi at $dir"
	mkdir -p "$out/install/$abi"	# dkms installs into existing kernel trees only
	pairs+=("$abi:$dir")
	# DKMS finds sign-file in Debian's installed linux-kbuild-X.Y or under
	# /lib/modules/ABI/build; headers unpacked elsewhere (the 6.12 tree in
	# the cache) have it in their own scripts/.  sign-file does not depend
	# on the kernel version (it appends a PKCS#7 signature), so one found
	# this way serves every kernel of the run.
	if [[ ! -e /lib/modules/$abi/build && -x $dir/scripts/sign-file && -z ${sign_file:-} ]]; then
		export sign_file=$dir/scripts/sign-file
	fi
done

# DKMS makes its MOK key where these say, instead of /var/lib/dkms.
export mok_signing_key=$out/mok.key mok_certificate=$out/mok.pub
dkms="dkms --dkmstree $out/tree --sourcetree $out/src --installtree $out/install --no-depmod"
args=(DKMS="$dkms" DKMS_SRCTREE="$out/src" DKMS_KERNELS="${pairs[*]}")
make -s -C "$MACH_ROOT" dkms-install "${args[@]}" >"$out/install.log" 2>&1
result $? "make dkms-install for ${pairs[*]%%:*}" "$out/install.log"
$dkms status >"$out/status" 2>&1

for k in "${kernels[@]}"; do
	read -r abi dir <<<"$k"
	ko=$(ls "$out/install/$abi/updates/dkms"/mach.ko* 2>/dev/null | head -n1)
	[[ -n $ko ]] && grep -q "^mach/$version, $abi, x86_64: installed" "$out/status"
	result $? "$abi: dkms status installed, module in updates/dkms" "$out/status"
	info=$(modinfo "$ko" 2>&1)
	vermagic=$(sed -n 's/^vermagic: *\([^ ]*\).*/\1/p' <<<"$info")
	[[ $vermagic == "$abi" ]]
	result $? "$abi: vermagic ${vermagic:-none}"
	grep -q '^signer: *DKMS module signing key' <<<"$info"
	result $? "$abi: signed with DKMS's MOK key"
	grep -q '^alias: *char-major-10-250' <<<"$info" && grep -q '^alias: *devname:mach' <<<"$info"
	result $? "$abi: aliases char-major-10-250 and devname:mach"
	mlog=$out/tree/mach/$version/$abi/x86_64/log/make.log
	[[ -f $mlog ]] && ! grep -E 'warning:|WARNING:' "$mlog" >"$out/warnings"
	result $? "$abi: built without compiler or modpost warnings" "$out/warnings"
done

make -s -C "$MACH_ROOT" dkms-uninstall "${args[@]}" >"$out/uninstall.log" 2>&1
rc=$?
left=$(find "$out/src" "$out/tree" "$out/install" ! -type d 2>/dev/null)
[[ $rc == 0 && -z $left ]]
result $? "make dkms-uninstall leaves nothing in DKMS's trees" "$out/uninstall.log"
echo "1..$n"
exit $failed
