#!/bin/bash
# Host side of the VM integration suite: one guest boot runs every tests/integration/*.sh
# (or those whose name contains $1) through tests/integration/guest-suite.sh.
# Prints the guest's output and a tally line "vm-tally: P F S" for run-all.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
filter=${1:-}
out=$(mktemp -d "$build/vm-out.XXXXXX")
trap 'rm -rf "$out"' EXIT
THINBOX_VM_CACHE=$build/vm "$here/run.sh" --out "$out" --mem "${THINBOX_VM_MEM:-3072}" \
	--timeout "${THINBOX_VM_TIMEOUT:-2400}" \
	"$top/tests/integration/guest-suite.sh" "$build" "$filter"
rc=$?
res=$out/results
p=0 f=0 s=0
if [ -f "$res" ]; then
	p=$(grep -c '^PASS ' "$res"); f=$(grep -c '^FAIL ' "$res"); s=$(grep -c '^SKIP ' "$res")
	grep '^FAIL ' "$res" | sed 's/^/vm: /'
fi
if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
	echo "vm: the guest suite exited $rc without reporting a failed test: counted as one failure"
	f=$((f + 1))
fi
if [ $((p + f)) = 0 ]; then
	echo "vm: no VM test ran"; f=1
fi
echo "vm-tally: $p $f $s"
echo "vm: $p passed, $f failed, $s skipped"
[ "$f" = 0 ]
