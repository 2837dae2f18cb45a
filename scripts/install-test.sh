#!/usr/bin/env bash
# The install test: README.md's "Using it on a real machine" steps, run as
# written but into a DESTDIR, then the installed tree alone put to use.
#
#   scripts/install-test.sh [--log VM-LOG]      (after `make modules lib tools`)
#
# 1. host: every `make` line of the README's steps, with DESTDIR added and
#    $(uname -r) the stock ABI (scripts/kabi.sh); its `cc` line, with
#    pkg-config pointed at the tree; a CMake project using
#    find_package(libmach) (scripts/install-test/CMakeLists.txt); then checks
#    of the tree: exactly the files `make print-installed` names plus the
#    module and depmod's indexes, the man pages, machd.service
#    (systemd-analyze verify), the version;
# 2. VM, stock kernel, nothing of build/ in it, mach.ko not loaded at boot:
#    scripts/install-test/vm-test.sh (the first open of /dev/mach loads the
#    installed module; the installed machd, lsmach and the programs built
#    above run from the installed libmach);
# 3. `make uninstall` with the same variables leaves no file in the tree.
# KTAP results on stdout (the VM's among its console output); exit status 1
# if any failed.
set -uo pipefail
MACH_LOG_TAG=install
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=scripts/kabi.sh
. "$MACH_ROOT/scripts/kabi.sh" || exit 1
vmlog=$MACH_BUILD/logs/install-vm.log
[[ ${1:-} == --log ]] && vmlog=$2

T=$MACH_ROOT/scripts/install-test
out=$MACH_BUILD/install-test
D=$out/destdir
rm -rf "$out"
mkdir -p "$D" "$out/work" "$out/vmroot/install-test" "$(dirname "$vmlog")"
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
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }

echo "TAP version 13"

# --- 1. the README's steps ----------------------------------------------------
steps=$(sed -n '/<!-- real-machine-steps -->/,/<!-- \/real-machine-steps -->/p' "$MACH_ROOT/README.md" |
	sed -n '/^```sh$/,/^```$/{/^```/d;p}')
[[ -n $steps ]]
result $? "README.md has the real-machine steps"
cp "$T/hello_bootstrap.c" "$out/work/prog.c"
export PKG_CONFIG_LIBDIR=$D/usr/local/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
while IFS= read -r line; do
	cmd=${line%%#*}
	cmd=${cmd#sudo }
	cmd=${cmd//'$(uname -r)'/$MACH_KABI}
	cmd=$(sed 's/[[:space:]]*$//' <<<"$cmd")
	case $cmd in
	make\ *)
		(cd "$MACH_ROOT" && eval "$cmd DESTDIR=$D") >"$out/step.log" 2>&1
		result $? "README step: $cmd (DESTDIR)" "$out/step.log"
		;;
	cc\ * | c++\ *)
		(cd "$out/work" && eval "$cmd") >"$out/step.log" 2>&1
		result $? "README step: $cmd (pkg-config on the tree)" "$out/step.log"
		;;
	*) ;;	# apt-get, systemctl, running the program: the VM's part
	esac
done <<<"$steps"
[[ -x $out/work/prog ]] && cp "$out/work/prog" "$out/vmroot/install-test/hello-pkgconfig"

# CMake, as a user's project does it.
if cmake -S "$T" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$D/usr/local" >"$out/cmake.log" 2>&1 &&
	cmake --build "$out/cmake" >>"$out/cmake.log" 2>&1; then
	cp "$out/cmake/hello-cmake" "$out/cmake/hello-cmake-static" "$out/vmroot/install-test/"
	result 0 "CMake: find_package(libmach) and libmach::mach, libmach::mach_static build"
else
	result 1 "CMake: find_package(libmach) and libmach::mach, libmach::mach_static build" "$out/cmake.log"
fi

# --- the tree ---------------------------------------------------------------
modules=$D/lib/modules/$MACH_KABI
(cd "$MACH_ROOT" && make -s --no-print-directory print-installed DESTDIR="$D") | sort >"$out/expected"
find "$D" ! -type d | grep -v -e "^$modules/updates/mach\.ko" -e "^$modules/modules\." | sort >"$out/found"
diff "$out/expected" "$out/found" >"$out/diff" 2>&1
result $? "the tree holds exactly the files of 'make print-installed' ($(wc -l <"$out/expected")), the module and depmod's" "$out/diff"
ls "$modules"/updates/mach.ko* >/dev/null 2>&1 && grep -qx 'mach mach c10:250' "$modules/modules.devname"
result $? "mach.ko in /lib/modules/$MACH_KABI/updates, /dev/mach in modules.devname"
grep -qx 'alias char-major-10-250 mach' "$modules/modules.alias"
result $? "modules.alias: char-major-10-250 loads mach"

: >"$out/man.log"
for m in "$D"/usr/local/share/man/man8/*.8; do
	LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$m" 2>>"$out/man.log" >/dev/null
done
[[ -f $D/usr/local/share/man/man8/machd.8 && ! -s $out/man.log ]]
result $? "man pages machd(8), lsmach(8) format without warnings" "$out/man.log"

if command -v systemd-analyze >/dev/null; then
	unit=$D/etc/systemd/system/machd.service
	grep -qx 'ExecStart=/usr/local/sbin/machd -q' "$unit" &&
		SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --root="$D" /etc/systemd/system/machd.service >"$out/unit.log" 2>&1 &&
		! grep -q machd.service "$out/unit.log"
	result $? "machd.service passes systemd-analyze verify" "$out/unit.log"
else
	skip "machd.service passes systemd-analyze verify" "no systemd-analyze"
fi

pcver=$(PKG_CONFIG_LIBDIR=$D/usr/local/lib/pkgconfig pkg-config --modversion libmach 2>/dev/null)
dkmsver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$MACH_ROOT/dkms.conf")
[[ -n $pcver && $pcver == "$dkmsver" ]]
result $? "one version: libmach.pc $pcver, dkms.conf $dkmsver"

# --- 2. the VM ----------------------------------------------------------------
# The system around the installed files: Debian's ld.so configuration and
# ldconfig (static), kmod as modprobe/modinfo (the kernel runs /sbin/modprobe
# for char-major-10-250).
vr=$out/vmroot
mkdir -p "$vr/etc" "$vr/sbin" "$vr/usr/bin"
cp -a /etc/ld.so.conf /etc/ld.so.conf.d "$vr/etc/"
cp -L /sbin/ldconfig "$vr/sbin/ldconfig"
cp -L "$(command -v kmod)" "$vr/usr/bin/kmod"
for t in modprobe modinfo depmod lsmod rmmod insmod; do ln -sf /usr/bin/kmod "$vr/sbin/$t"; done
cc -O2 -Wall -Wextra -Werror "$T/sd_notify_wait.c" -o "$vr/install-test/sd_notify_wait" 2>"$out/cc.log"
result $? "sd_notify_wait builds" "$out/cc.log"
install -m 755 "$T/vm-test.sh" "$vr/install-test/vm-test.sh"
MACH_VM_PAYLOAD='' "$MACH_ROOT/scripts/vm-run.sh" --quiet --log "$vmlog" --no-insmod \
	--root "$D" --root "$vr" stock /install-test/vm-test.sh >/dev/null 2>&1
# The VM's own KTAP results, numbered into ours.
vm_results=0
while IFS= read -r line; do
	vm_results=$((vm_results + 1))
	desc=$(sed -E 's/^(not )?ok [0-9]+ //' <<<"$line")
	case $line in
	not\ ok*) result 1 "VM: $desc" ;;
	*'# SKIP'*) skip "VM: ${desc%% # SKIP*}" "${desc#* # SKIP }" ;;
	*) result 0 "VM: $desc" ;;
	esac
done < <(tr -d '\r' <"$vmlog" | sed '/MACH-VM-DMESG-BEGIN/,/MACH-VM-DMESG-END/d' |
	grep -E '^(not )?ok [0-9]+ ')
vm_plan=$(tr -d '\r' <"$vmlog" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n1)
[[ -n $vm_plan && $vm_results == "$vm_plan" ]]
result $? "the VM reported $vm_results of ${vm_plan:-?} planned results"
"$MACH_ROOT/scripts/scan-log.sh" --ignore-cmd-status --label install "$vmlog" >"$out/scan.log" 2>&1
result $? "the VM run is clean (no kernel report, rmmod ok, no leak)" "$out/scan.log"

# --- 3. uninstall -------------------------------------------------------------
(cd "$MACH_ROOT" && make uninstall DESTDIR="$D" KVER="$MACH_KABI") >"$out/uninstall.log" 2>&1
find "$D" ! -type d >>"$out/uninstall.log"
[[ -z $(find "$D" ! -type d) ]]
result $? "make uninstall leaves no file in the tree" "$out/uninstall.log"
echo "1..$n"
exit $failed
