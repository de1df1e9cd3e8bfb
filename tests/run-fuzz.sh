#!/bin/bash
# Run each libFuzzer target for a bounded time, from its seed corpus in tests/fuzz/corpus/<name>.
set -uo pipefail
secs=$1; shift
rc=0
for f in "$@"; do
	name=$(basename "$f")
	corpus=$(dirname "$0")/fuzz/corpus/$name
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	echo "== $name ($secs s)"
	if ! "$f" -max_total_time="$secs" -print_final_stats=0 "$work" 2>"$work.log"; then
		tail -n 40 "$work.log"; echo "FAIL $name"; rc=1
	else
		echo "ok   $name ($(grep -c . <<<"$(ls "$work")") corpus files)"
	fi
	rm -rf "$work" "$work.log"
done
exit $rc
