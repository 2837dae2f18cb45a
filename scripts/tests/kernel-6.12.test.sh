#!/usr/bin/env bash
# Host self-test of the 6.12 kernel plumbing (KTAP output): the ABI comes
# from the private backports apt configuration (never the machine's
# sources), or from the cache when offline; build-module.sh with MACH_KDIR
# resolves nothing.  apt is replaced by fakes that log their arguments.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() {	# ok NAME CONDITION-STATUS [diagnostic]
	n=$((n + 1))
	if [[ $2 == 0 ]]; then
		echo "ok $n kernel_6_12.$1"
	else
		echo "not ok $n kernel_6_12.$1"
		[[ -n ${3:-} ]] && printf '%s\n' "$3" | sed 's/^/#   /'
		failed=1
	fi
}

# Fake apt-get / apt-cache: log the arguments; answer from $FAKE_* files.
mkdir -p "$tmp/bin"
for tool in apt-get apt-cache; do
	cat >"$tmp/bin/$tool" <<'FAKE'
#!/usr/bin/env bash
echo "$(basename "$0") $*" >>"$FAKE_LOG"
case " $* " in
*" indextargets "*) echo "http://archive.invalid/debian/ bookworm" ;;
*" update"*) [[ ${FAKE_UPDATE_FAILS:-0} == 1 ]] && exit 100; exit 0 ;;
*" depends linux-headers-amd64"*) [[ -n ${FAKE_DEPENDS:-} ]] && printf 'linux-headers-amd64\n  Depends: %s\n' "$FAKE_DEPENDS"; exit 0 ;;
esac
exit 0
FAKE
	chmod +x "$tmp/bin/$tool"
done
run() {	# run CACHE ARGS... (environment: FAKE_*)
	local cache=$1
	shift
	PATH=$tmp/bin:$PATH MACH_CACHE=$cache FAKE_LOG=$tmp/apt.log "$@"
}

# 1. the override wins, and a malformed one is refused
out=$(run "$tmp/c1" env MACH_KABI_612=6.12.11+deb12-amd64 "$scripts/kernel-6.12.sh" abi 2>&1) || true
ok abi_from_environment "$([[ $out == 6.12.11+deb12-amd64 ]]; echo $?)" "$out"
rc=0
out=$(run "$tmp/c1" env MACH_KABI_612=6.1.0-9-amd64 "$scripts/kernel-6.12.sh" abi 2>&1) || rc=$?
ok malformed_abi_refused "$([[ $rc != 0 && $out == *"not a Debian 12 backports 6.12 ABI"* ]]; echo $?)" "$out"

# 2. resolved from the suite's linux-headers-amd64 through the private config
: >"$tmp/apt.log"
out=$(run "$tmp/c2" env FAKE_DEPENDS=linux-headers-6.12.77+deb12-amd64 \
	"$scripts/kernel-6.12.sh" abi 2>/dev/null) || true
ok abi_from_backports "$([[ $out == 6.12.77+deb12-amd64 ]]; echo $?)" "$out"
log=$(cat "$tmp/apt.log")
private=0
while IFS= read -r line; do
	case $line in
	"apt-get indextargets"*) ;;
	*) [[ $line == *"Dir::Etc::sourcelist=$tmp/c2/apt-bpo/sources.list"* &&
		$line == *"Dir::Etc::sourceparts=-"* &&
		$line == *"Dir::State::Lists=$tmp/c2/apt-bpo/lists"* ]] || private=1 ;;
	esac
done <<<"$log"
ok apt_only_with_private_config "$private" "$log"
src=$(cat "$tmp/c2/apt-bpo/sources.list" 2>/dev/null || true)
ok sources_list_is_backports "$([[ $src == *"http://archive.invalid/debian/ bookworm-backports main"* ]]; echo $?)" "$src"

# 3. offline: the newest ABI already in the cache
mkdir -p "$tmp/c3/headers/6.12.40+deb12-amd64" "$tmp/c3/headers/6.12.100+deb12-amd64" \
	"$tmp/c3/headers/6.12.200+deb12-amd64"
touch "$tmp/c3/headers/6.12.40+deb12-amd64/.mach-done" "$tmp/c3/headers/6.12.100+deb12-amd64/.mach-done"
out=$(run "$tmp/c3" env FAKE_UPDATE_FAILS=1 "$scripts/kernel-6.12.sh" abi 2>/dev/null) || true
ok offline_abi_from_cache "$([[ $out == 6.12.100+deb12-amd64 ]]; echo $?)" "$out"

# 4. build-module.sh with MACH_KDIR: no ABI, no apt, a clear error for a bad tree
: >"$tmp/apt.log"
rc=0
out=$(run "$tmp/c4" env MACH_BUILD="$tmp/build" MACH_KDIR="$tmp/nowhere" \
	"$scripts/build-module.sh" stock 2>&1) || rc=$?
ok kdir_needs_no_abi "$([[ $rc != 0 && $out == *"MACH_KDIR=$tmp/nowhere is not a kernel build tree"* && ! -s $tmp/apt.log ]]; echo $?)" \
	"rc=$rc: $out; apt: $(cat "$tmp/apt.log")"

echo "1..$n"
exit $failed
