#!/bin/bash
# Host side of make check-crash: one VM boot runs tests/crash/guest.sh; prints its failures and
# tallies ("kills: N crash points, P passed, F failed", the same for power cuts). The guest's
# detailed log is kept in $BUILD/crash.log.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
out=$(mktemp -d "$build/crash-out.XXXXXX")
trap 'rm -rf "$out"' EXIT
THINBOX_VM_CACHE=$build/vm "$here/../vm/run.sh" --out "$out" --mem "${THINBOX_VM_MEM:-2048}" \
	--timeout "${THINBOX_CRASH_TIMEOUT:-14400}" "$here/guest.sh" "$build" "${CR_STRIDE:-1}" "${CR_OFFSET:-0}" \
	"${CR_WHAT:-kills powercuts}" "${CR_SCEN:-}" "${CR_CUT_STRIDE:-}" "${CR_CUT_SCEN:-}"
rc=$?
cp "$out/crash.log" "$build/crash.log" 2>/dev/null
exit $rc
