#!/bin/sh
# /init of the test VM (busybox sh).  Copied into the initramfs by vm-run.sh,
# which also writes /etc/mach-vm.conf (FLAVOUR, MODE, CMD_TIMEOUT) and /cmd.sh.
# Everything it prints goes to the serial console; the host parses the
# "MACH-VM-*" lines.
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export HOME=/root TERM="${TERM:-vt100}"

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/shm /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
hostname mach-vm

# shellcheck disable=SC1091 # written by vm-run.sh
. /etc/mach-vm.conf
KMEMLEAK=/sys/kernel/debug/kmemleak

kmemleak_scan() {
	# kmemleak reports only objects older than 5 s that were found
	# unreferenced: scan, wait, scan again.  A failed write means kmemleak
	# turned itself off (e.g. out of metadata), so it would see nothing.
	if ! { echo scan >$KMEMLEAK && sleep 5 && echo scan >$KMEMLEAK; }; then
		echo "MACH-VM-ERROR: kmemleak scan failed (kmemleak disabled itself?)"
	fi
}

echo "MACH-VM-BOOTED: flavour=$FLAVOUR kernel=$(uname -r) cpus=$(nproc)"
if [ "$FLAVOUR" = debug ] && [ ! -w $KMEMLEAK ]; then
	echo "MACH-VM-ERROR: $KMEMLEAK missing on the debug kernel"
fi
if [ -w $KMEMLEAK ]; then
	# Forget what the kernel's own boot left behind: report only our leaks.
	kmemleak_scan
	echo clear >$KMEMLEAK
fi

insmod_rc=0
if [ "$MODE" = noinsmod ]; then
	echo "MACH-VM-MODULE: not loaded at boot (the command loads it)"
elif [ "$MODE" != nomodule ]; then
	insmod /mach.ko; insmod_rc=$?
	if [ $insmod_rc -ne 0 ]; then
		echo "MACH-VM-ERROR: insmod /mach.ko failed ($insmod_rc)"
	elif [ ! -c /dev/mach ]; then
		echo "MACH-VM-ERROR: /dev/mach missing after insmod"
		insmod_rc=1
	else
		echo "MACH-VM-MODULE: $(ls -l /dev/mach)"
	fi
fi

rc=0
if [ $insmod_rc -ne 0 ]; then
	rc=125
elif [ "$MODE" = shell ]; then
	echo "MACH-VM: interactive shell; 'exit' to unload, scan and power off (Ctrl-A x kills qemu)"
	setsid cttyhack sh -l
	rc=$?
else
	cd /tmp || exit 1
	timeout -s KILL "$CMD_TIMEOUT" sh /cmd.sh
	rc=$?
	cd /
	[ $rc -eq 137 ] && echo "MACH-VM-TIMEOUT: command killed (timeout ${CMD_TIMEOUT}s?)"
fi

# Whatever the command left running would pin the module: end it.
kill -TERM -1 2>/dev/null; sleep 1; kill -KILL -1 2>/dev/null; sleep 1

rmmod_rc=-
if [ "$MODE" = noinsmod ] && [ ! -d /sys/module/mach ]; then
	:	# the command never loaded it: nothing to unload
elif [ "$MODE" != nomodule ] && [ $insmod_rc -eq 0 ]; then
	rmmod mach; rmmod_rc=$?
	# A static node (made by the command, as systemd does) outlives rmmod.
	[ "$MODE" != noinsmod ] && [ -e /dev/mach ] && { echo "MACH-VM-ERROR: /dev/mach still there after rmmod"; rmmod_rc=1; }
fi

if [ -w $KMEMLEAK ]; then
	# After rmmod, so that what the module's globals still pointed at counts.
	kmemleak_scan
	echo "MACH-VM-KMEMLEAK-BEGIN"
	cat $KMEMLEAK
	echo "MACH-VM-KMEMLEAK-END"
fi

# The whole kernel log, for messages below the console loglevel (e.g. the
# module's "mach: leak" report).  The host keeps it in the log file only.
echo "MACH-VM-DMESG-BEGIN"
dmesg
echo "MACH-VM-DMESG-END"
echo "MACH-VM-RESULT: cmd=$rc rmmod=$rmmod_rc"
sync
reboot -f
