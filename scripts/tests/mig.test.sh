#!/usr/bin/env bash
# Host tests of the interface generator (tools/mig/tests/run.sh: parser,
# generator, layouts against Apple's MIG, loopback stubs, errors, command
# line), as part of `make check`'s host step.  Builds mig if needed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${MACH_BUILD:-$root/build}
make -s -C "$root/tools/mig" BUILD="$build" >&2
exec "$root/tools/mig/tests/run.sh" "$build/mig/mig"
