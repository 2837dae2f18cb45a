#!/usr/bin/env bash
# The licence of every tracked file, by directory (LICENSE at the top says
# why): its SPDX line (first line, or second after "#!") must name the
# directory's licence.  KTAP, one result per directory.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1

# directory (git pathspec)  expected identifier  files that may go untagged
checks=(
	"module|GPL-2.0|"
	"uapi|GPL-2.0 WITH Linux-syscall-note|"
	"lib|LGPL-2.1 OR MIT|*.md"
	"tools|LGPL-2.1 OR MIT|*.md *.8 tools/mig/tests/bad/*.defs"
	"selftests|GPL-2.0|.gitignore config settings"
	"fuzz|GPL-2.0|*.md"
)

spdx() {
	sed -n '1,2{s/.*SPDX-License-Identifier: \(.*\)$/\1/p}' "$1" |
		sed 's@ *\*/ *$@@; s/ *-->$//' | head -n1
}

echo "TAP version 13"
echo "1..$((${#checks[@]} + 1))"
n=0 failed=0
for c in "${checks[@]}"; do
	IFS='|' read -r dir want untagged <<<"$c"
	n=$((n + 1))
	bad=()
	while IFS= read -r f; do
		got=$(spdx "$f")
		if [[ -z $got ]]; then
			skip=0
			for pat in $untagged; do
				# shellcheck disable=SC2053 # glob match intended
				# a pattern with a slash matches the path (fixtures whose
				# line numbers the tests check), one without the file name
				if [[ $pat == */* ]]; then
					[[ $f == $pat ]] && skip=1
				else
					[[ ${f##*/} == $pat ]] && skip=1
				fi
			done
			((skip)) || bad+=("$f: no SPDX line")
		elif [[ $got != "$want" ]]; then
			bad+=("$f: $got")
		fi
	done < <(git ls-files -- "$dir" 2>/dev/null || find "$dir" -type f)
	if ((${#bad[@]})); then
		printf '# %s\n' "${bad[@]}"
		echo "not ok $n $dir is $want"
		failed=1
	else
		echo "ok $n $dir is $want"
	fi
done
n=$((n + 1))
missing=()
for f in LICENSE COPYING LICENSES/GPL-2.0 LICENSES/LGPL-2.1 LICENSES/MIT LICENSES/Linux-syscall-note; do
	[[ -s $f ]] || missing+=("$f")
done
if ((${#missing[@]})); then
	echo "# missing: ${missing[*]}"
	echo "not ok $n licence texts"
	failed=1
else
	echo "ok $n licence texts"
fi
exit $failed
