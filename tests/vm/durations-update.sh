#!/bin/bash
# durations-update.sh [--full] LOG...: fold the per-testcase times of a VM suite run
# ("PASS file:testcase (Ns)" lines of its console.log or results files) into tests/vm/durations,
# the per-file seconds tests/vm/suite.sh balances its guests by. Without --full the times are
# the sampled run's (make check, column 2); with --full those of make check-vm-full (column 3).
# Files the logs do not mention keep their line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
col=2
[ "${1:-}" = --full ] && { col=3; shift; }
[ $# -gt 0 ] || { echo "usage: $0 [--full] LOG..." >&2; exit 2; }
db=$here/durations
touch "$db"
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat "$@" | tr -d '\r' | grep -E '^(PASS|FAIL|SKIP) [A-Za-z0-9_-]+:testcase_[A-Za-z0-9_]+ \([0-9]+s\)' |
	sed -E 's/^[A-Z]+ ([^:]+):[^ ]+ \(([0-9]+)s\)$/\1 \2/' |
	awk -v col="$col" -v db="$db" '
		FILENAME == db { if ($0 ~ /^#/) next; s[$1] = $2; f[$1] = $3; seen[$1] = 1; next }
		{ t[$1] += $2; seen[$1] = 1 }
		END {
			print "# NAME SAMPLED_S FULL_S: seconds of each tests/integration file in a recorded"
			print "# run (tests/vm/durations-update.sh); tests/vm/suite.sh balances guests by them."
			for (n in seen) {
				if (n in t) { if (col == 2) s[n] = t[n]; else f[n] = t[n] }
				if (!(n in s) || s[n] == "") s[n] = 0
				if (!(n in f) || f[n] == "") f[n] = s[n]
				print n, s[n], f[n]
			}
		}' "$db" - | { read -r a; read -r b; echo "$a"; echo "$b"; sort; } >"$new"
mv "$new" "$db"
trap - EXIT
echo "durations-update: $(grep -vc '^#' "$db") files in $db"
