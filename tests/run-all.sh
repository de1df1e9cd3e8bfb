#!/bin/bash
# make check: layers, unit tests (plain and ASan+UBSan), fuzz smoke, VM integration tests.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
unit=$1 asan=$2; shift 2
filter=${1:-}
pass=0 fail=0 skip=0
tally() { # add "P F" from a stage's tally line
	local line
	line=$(grep -E "^$1-tally: " "$2" | tail -n1)
	if [ -z "$line" ]; then fail=$((fail + 1)); echo "stage $1 produced no tally: counted as failed"; return; fi
	set -- $line
	pass=$((pass + $2)) fail=$((fail + $3)); [ -n "${4:-}" ] && skip=$((skip + $4))
	return 0
}
log=$(mktemp); trap 'rm -f "$log"' EXIT

echo "== check-layers"
if scripts/check-layers.sh; then pass=$((pass + 1)); else fail=$((fail + 1)); fi

if [ -z "$filter" ]; then
	echo "== unit tests"
	tests/run-unit.sh "$build" $unit | tee "$log"; tally unit "$log"
	echo "== unit tests under ASan+UBSan"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-unit.sh "$build" $asan | tee "$log"; tally unit "$log"
	if [ -n "${FUZZ_BINS:-}" ]; then
		echo "== fuzz smoke (${FUZZ_SMOKE_SECONDS:-5} s per target)"
		for f in $FUZZ_BINS; do
			if tests/run-fuzz.sh "${FUZZ_SMOKE_SECONDS:-5}" "$f"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
		done
	fi
fi

echo "== VM integration tests (real kernel, qemu TCG)"
BUILD=$build tests/vm/suite.sh $filter | tee "$log"; tally vm "$log"

echo
[ $skip -gt 0 ] && echo "($skip skipped)"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
