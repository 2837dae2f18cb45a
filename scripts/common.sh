# shellcheck shell=bash
# Shared settings for the scripts in this directory; source it, don't run it.
#
#   MACH_ROOT   the repository (this file's parent directory)
#   MACH_BUILD  build output (default $MACH_ROOT/build)
#   MACH_CACHE  downloads and kernel builds shared by every checkout
#               (default ${XDG_CACHE_HOME:-~/.cache}/mach-linux)

MACH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MACH_BUILD=${MACH_BUILD:-$MACH_ROOT/build}
MACH_CACHE=${MACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mach-linux}
export MACH_ROOT MACH_BUILD MACH_CACHE

mach_log() { printf '[%s] %s\n' "${MACH_LOG_TAG:-mach}" "$*" >&2; }
mach_die() { printf '[%s] error: %s\n' "${MACH_LOG_TAG:-mach}" "$*" >&2; exit 1; }

# mach_lock FILE: hold an exclusive lock on FILE for the rest of the script,
# so that two concurrent runs don't unpack or build the same cache entry.
mach_lock() {
	mkdir -p "$(dirname "$1")"
	exec {MACH_LOCK_FD}>"$1"
	flock "$MACH_LOCK_FD"
}
