# shellcheck shell=bash
# A private apt configuration for Debian 12's bookworm-backports suite, which
# carries the 6.12 LTS kernel.  Source it, don't run it.
#
#   mach_bpo_apt apt-get|apt-cache ARGS...   run apt with the private config
#   mach_bpo_update [--force]                refresh its lists (once a day);
#                                            status 1 when that failed
#
# The machine's own sources, lists and caches are never written, and its
# sources are read only for the archive's address: the source list, the
# lists and apt's caches live in $MACH_CACHE/apt-bpo/, with only the
# backports suite in it.  The archive's address is the one the
# machine already uses for its "bookworm" suite (apt-get indextargets, or
# before any apt-get update, the URIs an update would fetch), so
# nothing here names a mirror; MACH_BPO_URI overrides it.

MACH_BPO_DIR=$MACH_CACHE/apt-bpo
MACH_BPO_SUITE=bookworm-backports
MACH_BPO_KEYRING=${MACH_BPO_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

mach_bpo_uri() {
	if [[ -n ${MACH_BPO_URI:-} ]]; then
		printf '%s\n' "$MACH_BPO_URI"
		return 0
	fi
	local uri
	# shellcheck disable=SC2016 # apt expands $(...) itself
	uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 == "bookworm" {print $1; exit}')
	if [[ -z $uri ]]; then
		# No lists yet (a fresh machine): what an update would fetch,
		# asked with empty private lists so nothing is locked or written.
		mkdir -p "$MACH_BPO_DIR/probe/partial"
		uri=$(apt-get -o "Dir::State::Lists=$MACH_BPO_DIR/probe" update --print-uris 2>/dev/null |
			sed -n "s|^'\(.*/\)dists/bookworm/InRelease'.*|\1|p" | head -n1)
	fi
	printf '%s\n' "$uri"
}

mach_bpo_opts() {
	MACH_BPO_OPTS=(
		-o "Dir::Etc::sourcelist=$MACH_BPO_DIR/sources.list"
		-o "Dir::Etc::sourceparts=-"
		-o "Dir::State::Lists=$MACH_BPO_DIR/lists"
		-o "Dir::Cache=$MACH_BPO_DIR/cache"
		-o "Dir::Cache::archives=$MACH_BPO_DIR/archives"
		-o "APT::Get::List-Cleanup=1"
	)
	# The cache is root's: apt's _apt sandbox user could not write there.
	if [[ $(id -u) == 0 ]]; then MACH_BPO_OPTS+=(-o "APT::Sandbox::User=root"); fi
}

mach_bpo_apt() {
	local tool=$1
	shift
	mach_bpo_opts
	"$tool" "${MACH_BPO_OPTS[@]}" "$@"
}

# Lists older than a day are refreshed: the archive drops superseded ABIs.
# Concurrent runs (several checkouts share the cache) take turns.
mach_bpo_update() {
	local force=${1:-} stamp=$MACH_BPO_DIR/lists/.mach-updated
	mkdir -p "$MACH_BPO_DIR"
	(
		flock 9
		if [[ $force != --force && -f $stamp && -n $(find "$stamp" -mmin -1440 2>/dev/null) ]]; then
			exit 0
		fi
		mach_bpo_update_locked && touch "$stamp"
	) 9>"$MACH_BPO_DIR/.update.lock"
}

mach_bpo_update_locked() {
	local uri
	uri=$(mach_bpo_uri)
	if [[ -z $uri ]]; then
		mach_log "no apt source for 'bookworm' on this machine to take the archive address from (set MACH_BPO_URI)"
		return 1
	fi
	if [[ ! -r $MACH_BPO_KEYRING ]]; then
		mach_log "$MACH_BPO_KEYRING missing (debian-archive-keyring)"
		return 1
	fi
	mkdir -p "$MACH_BPO_DIR/lists/partial" "$MACH_BPO_DIR/cache" "$MACH_BPO_DIR/archives/partial"
	printf 'deb [signed-by=%s] %s %s main\n' "$MACH_BPO_KEYRING" "$uri" "$MACH_BPO_SUITE" \
		>"$MACH_BPO_DIR/sources.list"
	mach_log "apt-get update ($MACH_BPO_SUITE, private lists in $MACH_BPO_DIR)"
	if ! mach_bpo_apt apt-get -qq update; then
		mach_log "apt-get update of $MACH_BPO_SUITE failed"
		return 1
	fi
}
