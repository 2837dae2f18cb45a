#!/usr/bin/env bash
# Build (once) the debug kernel: linux-source-6.1 + tinyconfig + debug.config.
#
# Prints the kernel build directory (KDIR for the module; bzImage is at
# $KDIR/arch/x86/boot/bzImage).  Cached under
#   $MACH_CACHE/kernel-src/<linux-source version>/           unpacked source
#   $MACH_CACHE/debug-kernel/<version>-<config hash>/        O= build dir
# so a second run does nothing.  Progress goes to stderr and to
# <build dir>/build.log.
set -euo pipefail
MACH_LOG_TAG=debug-kernel
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Bump when the build recipe below changes in a way that needs a rebuild.
RECIPE=1
FRAGMENT=${MACH_DEBUG_FRAGMENT:-$MACH_ROOT/scripts/debug.config}
JOBS=${MACH_JOBS:-$(nproc)}

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	mach_die "linux-source-6.1 missing: run scripts/deps.sh"
cfghash=$( { echo "recipe=$RECIPE"; cat "$FRAGMENT"; } | sha256sum | cut -c1-12)
top=$MACH_CACHE/debug-kernel
out=$top/$srcver-$cfghash

if [[ -f $out/.mach-done ]]; then
	printf '%s\n' "$out"
	exit 0
fi

mach_lock "$top/.lock"
if [[ -f $out/.mach-done ]]; then	# someone else finished it while we waited
	printf '%s\n' "$out"
	exit 0
fi

src=$("$MACH_ROOT/scripts/kernel-src.sh")
mkdir -p "$out"
log=$out/build.log
: >"$log"
kmake() { make -C "$src" O="$out" -j"$JOBS" "$@" >>"$log" 2>&1; }

mach_log "configuring $out (tinyconfig + $(basename "$FRAGMENT"))"
kmake tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$FRAGMENT" >>"$log" 2>&1
kmake olddefconfig

# Fail loudly when Kconfig silently dropped an option of the fragment.
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/.config" || missing+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo absent))")
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$out/.config"; then missing+=("$line (got: $(grep "^$opt=" "$out/.config"))"); fi
		;;
	esac
done <"$FRAGMENT"
if ((${#missing[@]})); then
	printf '[debug-kernel] error: option not in the final .config: %s\n' "${missing[@]}" >&2
	exit 1
fi

mach_log "building bzImage + modules with -j$JOBS (a few minutes; log: $log)"
start=$SECONDS
if ! kmake bzImage modules; then
	tail -n 40 "$log" >&2
	mach_die "kernel build failed, see $log"
fi
mach_log "built in $((SECONDS - start)) s"
touch "$out/.mach-done"
printf '%s\n' "$out"
