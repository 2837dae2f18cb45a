#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run in the VM by scripts/install-test.sh (as /install-test/vm-test.sh),
# with nothing of build/ in it: only the tree `make install DESTDIR=...`
# made, Debian's ld.so configuration, ldconfig and kmod, and the programs
# built against the installed tree.  mach.ko is not loaded at boot: the first
# open of /dev/mach must load it, as on a machine booted with systemd.  KTAP.
export PATH=/usr/local/sbin:/usr/local/bin:$PATH
T=/install-test
kver=$(uname -r)
n=0 failed=0
result() {	# result STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

echo "TAP version 13"
echo "1..10"

[ ! -d /sys/module/mach ] && [ ! -e /dev/mach ]
result $? "mach.ko is not loaded before /dev/mach is opened"

ldconfig && ldconfig -p | grep -q 'libmach\.so\.1 .*=> /usr/local/lib/libmach\.so\.1$'
result $? "ldconfig finds the installed /usr/local/lib/libmach.so.1"

# What systemd's kmod-static-nodes does at boot, from depmod's output.
node=$(sed -n 's/^mach mach c\([0-9]*\):\([0-9]*\)$/\1 \2/p' "/lib/modules/$kver/modules.devname")
[ -n "$node" ] && mknod -m 0666 /dev/mach c $node
result $? "modules.devname gives /dev/mach (${node:-missing})"

machd_pid=$("$T/sd_notify_wait" 60 machd -q)
result $? "machd (installed) tells READY=1 through \$NOTIFY_SOCKET"

# The installed module is the only one in the VM.
kos=$(find / -xdev -name 'mach.ko*' 2>/dev/null)
[ -d /sys/module/mach ] && [ "$kos" = "$(ls /lib/modules/$kver/updates/mach.ko*)" ]
result $? "opening /dev/mach loaded the installed mach.ko (${kos:-none})"

[ "$(stat -c %a /dev/mach)" = 666 ]
result $? "/dev/mach is mode 0666"

for prog in hello-pkgconfig hello-cmake hello-cmake-static; do
	"$T/$prog"
	result $? "$prog (a Darwin program built against the install tree) runs"
done

[ -n "$machd_pid" ] && lsmach -p "$machd_pid" | grep -q "^pid $machd_pid (machd)"
result $? "lsmach (installed) shows machd's space"

[ -z "$machd_pid" ] || { kill "$machd_pid"; sleep 1; }
exit $failed
