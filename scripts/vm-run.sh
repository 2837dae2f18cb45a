#!/usr/bin/env bash
# Boot a kernel in qemu with mach.ko loaded and run one command in it.
#
#   scripts/vm-run.sh [options] stock|stock-6.12|debug|minimal [--] COMMAND...
#   scripts/vm-run.sh [options] stock|stock-6.12|debug --shell
#
# stock is Debian 12's 6.1 kernel, stock-6.12 Debian's 6.12 LTS (from
# bookworm-backports, scripts/kernel-6.12.sh), debug the KASAN/lockdep build.
#
# COMMAND is joined with spaces and run by the guest's busybox sh (like ssh),
# in /tmp, with a timeout.  The VM's /init (scripts/vm-init.sh) mounts
# proc/sys/devtmpfs/debugfs/tmpfs, does `insmod /mach.ko`, checks /dev/mach,
# runs the command, kills what it left, `rmmod mach`, scans kmemleak (debug
# kernel), dumps dmesg and prints "MACH-VM-RESULT: cmd=<rc> rmmod=<rc>".
# The console log is kept in build/logs/ and checked by scan-log.sh.
#
# Exit status: the command's status; otherwise 1 when the console shows a
# kernel report (WARNING, BUG, KASAN, lockdep, kmemleak, ...) or rmmod failed,
# 124 when the host timeout killed qemu, 125 when the VM died without a result.
#
# Options:
#   --shell            interactive shell on the terminal instead of COMMAND
#   --deterministic    -smp 1 -icount shift=0,sleep=off (for benchmarks)
#   --no-module        don't insmod/rmmod (boot the kernel only)
#   --no-insmod        don't insmod /mach.ko at boot: COMMAND loads mach.ko
#                      itself (modprobe, or opening /dev/mach); rmmod and the
#                      leak checks still run at the end if it is loaded
#   --root DIR         copy the tree DIR into the VM's / (repeatable).  With
#                      --root, nothing of build/ goes in unless
#                      MACH_VM_PAYLOAD names it: the VM has only those trees
#   --log FILE         console log (default build/logs/<flavour>-<time>.log)
#   --quiet            don't echo the console to stdout (log file only)
# Environment:
#   MACH_VM_ACCEL=tcg|kvm   accelerator (default tcg: nested KVM hangs here)
#   MACH_VM_SMP=N, MACH_VM_MEM=2G
#   MACH_VM_TIMEOUT=secs    host-side limit for the whole VM (default 1200)
#   MACH_VM_CMD_TIMEOUT=s   guest-side limit for COMMAND (default TIMEOUT-120)
#   MACH_VM_PAYLOAD="src:dst ..."  what of build/ goes into the VM (below)
#   MACH_VM_APPEND="..."    extra kernel command line
#   MACH_SELFTEST_TIMEOUT=s per test binary in run-selftests (default 300)
#   MACH_VM_KEEP=1          keep build/vm/<flavour>.XXXXXX (initramfs tree)
set -euo pipefail
MACH_LOG_TAG=vm-run
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# User-space payload, "source:destination" pairs; a source is relative to
# $MACH_BUILD and skipped when absent.  A directory source contributes its
# executables and shared objects (not *.o/*.a), keeping the tree under it;
# a file source is copied to the destination path.  Dynamic libraries they
# need (libc, libstdc++, ...) are added automatically with ldd.
PAYLOAD=${MACH_VM_PAYLOAD:-"lib:/usr/lib lib-tests:/libtests selftests:/selftests tools:/usr/local/bin bench:/bench demo:/demo fuzz:/fuzz"}

mode=run deterministic=0 quiet=0 log=
roots=()
while (($#)); do
	case $1 in
	--shell) mode=shell ;;
	--deterministic) deterministic=1 ;;
	--no-module) mode=nomodule ;;
	--no-insmod) mode=noinsmod ;;
	--root) roots+=("$(realpath "$2")"); shift ;;
	--quiet) quiet=1 ;;
	--log) log=$2; shift ;;
	--log=*) log=${1#--log=} ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) break ;;
	esac
	shift
done
flavour=${1:-}
shift || true
case $flavour in
stock | stock-6.12 | debug | minimal) ;;
*) mach_die "usage: $0 [options] stock|stock-6.12|debug|minimal [--] COMMAND... | --shell (see --help)" ;;
esac
[[ ${1:-} == -- ]] && shift
if [[ ${1:-} == --shell ]]; then mode=shell; shift; fi
if [[ $mode != shell && $# -eq 0 ]]; then mach_die "no command (or --shell) given"; fi

if ((${#roots[@]})) && [[ -z ${MACH_VM_PAYLOAD:-} ]]; then PAYLOAD=; fi

host_timeout=${MACH_VM_TIMEOUT:-1200}
cmd_timeout=${MACH_VM_CMD_TIMEOUT:-$((host_timeout > 240 ? host_timeout - 120 : host_timeout / 2))}

# --- kernel and module -------------------------------------------------------
case $flavour in
stock)
	kernel=$("$MACH_ROOT/scripts/stock-kernel.sh")
	append_flavour=""
	;;
stock-6.12)
	kernel=$("$MACH_ROOT/scripts/kernel-6.12.sh" vmlinuz)
	append_flavour=""
	;;
debug)
	kdir=$("$MACH_ROOT/scripts/debug-kernel.sh")
	kernel=$kdir/arch/x86/boot/bzImage
	append_flavour="kmemleak=on"
	;;
minimal)
	kdir=$(MACH_DEBUG_FRAGMENT=$MACH_ROOT/scripts/minimal.config "$MACH_ROOT/scripts/debug-kernel.sh")
	kernel=$kdir/arch/x86/boot/bzImage
	append_flavour="kmemleak=on"
	;;
esac
ko=$MACH_BUILD/$flavour/mach.ko
if [[ $mode == run || $mode == shell ]] && [[ ! -f $ko ]]; then
	mach_die "$ko missing: run 'make module FLAVOUR=$flavour'"
fi

# --- initramfs ---------------------------------------------------------------
# A directory per run, so that runs can go on in parallel; removed at the end
# unless MACH_VM_KEEP=1.
mkdir -p "$MACH_BUILD/vm"
vmdir=$(mktemp -d "$MACH_BUILD/vm/$flavour.XXXXXX")
if [[ ${MACH_VM_KEEP:-0} != 1 ]]; then trap 'rm -rf "$vmdir"' EXIT; fi
root=$vmdir/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/local/bin,etc,proc,sys,dev,tmp,root,selftests}
busybox=$(dpkg -L busybox-static 2>/dev/null | grep -m1 '/busybox$' || true)
[[ -x $busybox ]] || mach_die "busybox-static missing: run scripts/deps.sh"
cp "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	[[ -e $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
done
if [[ $(id -u) == 0 ]]; then mknod -m 600 "$root/dev/console" c 5 1; fi

[[ $mode == nomodule || $mode == noinsmod ]] || cp "$ko" "$root/mach.ko"
install -m 755 "$MACH_ROOT/scripts/vm-init.sh" "$root/init"
install -m 755 "$MACH_ROOT/scripts/run-selftests.sh" "$root/usr/bin/run-selftests"

# The given trees, as they are (symlinks too, replacing busybox's applets).
for r in "${roots[@]}"; do
	[[ -d $r ]] || mach_die "--root $r: not a directory"
	cp -a --remove-destination "$r/." "$root/"
done

for entry in $PAYLOAD; do
	src=$MACH_BUILD/${entry%%:*} dst=$root${entry#*:}
	if [[ -f $src ]]; then
		mkdir -p "$(dirname "$dst")"
		cp -L "$src" "$dst"
	elif [[ -d $src ]]; then
		(cd "$src" && find . -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) \
			! -name '*.o' ! -name '*.a' -print0) |
			while IFS= read -r -d '' f; do
				mkdir -p "$dst/$(dirname "$f")"
				cp -L "$src/$f" "$dst/$f"
			done
		# Keep versioned symlinks of shared libraries (libmach.so.1 -> ...).
		(cd "$src" && find . -type l -name '*.so*' -print0) |
			while IFS= read -r -d '' f; do
				mkdir -p "$dst/$(dirname "$f")"
				cp -L "$src/$f" "$dst/$f"
			done
	fi
done

# Shared libraries of every dynamic ELF in the payload, at their host paths.
libpath=$MACH_BUILD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
find "$root" -type f \( -perm -u+x -o -name '*.so*' \) ! -path "$root/bin/busybox" -print0 |
	while IFS= read -r -d '' f; do
		[[ $(head -c4 "$f" | od -An -c | tr -d ' ') == 177ELF ]] || continue
		LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null || true
	done |
	sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u |
	while read -r lib; do
		case $lib in "$MACH_BUILD"/*) continue ;; esac	# already in the payload
		[[ -e $root$lib ]] && continue			# brought by a --root tree
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done

if [[ $mode == shell ]]; then
	printf '%s\n' 'exit 0' >"$root/cmd.sh"
else
	printf '%s\n' "$*" >"$root/cmd.sh"
fi
cat >"$root/etc/mach-vm.conf" <<CONF
FLAVOUR=$flavour
MODE=$mode
CMD_TIMEOUT=$cmd_timeout
export MACH_SELFTEST_TIMEOUT=${MACH_SELFTEST_TIMEOUT:-300}
CONF
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

initrd=$vmdir/initramfs.cpio
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) >"$initrd"

# --- qemu ----------------------------------------------------------------------
accel=${MACH_VM_ACCEL:-tcg}
qemu=(qemu-system-x86_64 -accel "$accel" -m "${MACH_VM_MEM:-2G}" -no-reboot
	-kernel "$kernel" -initrd "$initrd")
[[ $accel == kvm ]] && qemu+=(-cpu host)
if ((deterministic)); then
	qemu+=(-smp 1 -icount "shift=0,sleep=off")
else
	qemu+=(-smp "${MACH_VM_SMP:-2}")
fi
# loglevel=5: KERN_WARNING and worse reach the console as they happen;
# the rest is in the dmesg dump at the end.
append="console=ttyS0 panic=-1 oops=panic loglevel=5 printk.time=1 $append_flavour ${MACH_VM_APPEND:-}"
qemu+=(-append "$append")

mkdir -p "$MACH_BUILD/logs"
log=$(realpath -m "${log:-$MACH_BUILD/logs/$flavour-$(date +%Y%m%d-%H%M%S).log}")
mkdir -p "$(dirname "$log")"
ln -sfn "$log" "$MACH_BUILD/logs/$flavour-latest.log"

if [[ $mode == shell ]]; then
	# Console and qemu monitor on the terminal (Ctrl-A x quits, Ctrl-A c monitor).
	qemu+=(-nographic)
	mach_log "booting $flavour kernel with a shell (log: $log)"
	set +e
	"${qemu[@]}" 2>&1 | tee "$log"
	set -e
	"$MACH_ROOT/scripts/scan-log.sh" --label "$flavour" "$log"
	exit 0
fi

qemu+=(-display none -vga none -monitor none -serial stdio)
mach_log "booting $flavour kernel (accel=$accel, timeout ${host_timeout}s, log: $log)"
start=$SECONDS
set +e
timeout -k 10 "$host_timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log" |
	if ((quiet)); then cat >/dev/null; else
		# The dmesg dump is for the log file, not for the terminal.
		awk '{sub(/\r$/, "")} /MACH-VM-DMESG-BEGIN/ {skip = 1} !skip {print; fflush()} /MACH-VM-DMESG-END/ {skip = 0}'
	fi
qemu_rc=${PIPESTATUS[0]}
set -e
mach_log "VM finished in $((SECONDS - start)) s (qemu status $qemu_rc)"
scan_args=(--label "$flavour")
((qemu_rc == 124)) && scan_args+=(--timed-out "$host_timeout")
"$MACH_ROOT/scripts/scan-log.sh" "${scan_args[@]}" "$log"
