#!/bin/bash
# Run cmocka unit-test binaries; print per-binary results and a tally line that run-all.sh
# reads ("unit-tally: P F").
set -uo pipefail
build=$1; shift
pass=0 fail=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n1)
	p=${p:-0} f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi # crashed, or a sanitizer stopped it
	if [ $rc -ne 0 ]; then
		echo "$out" | tail -n 60
		echo "FAIL $t ($p passed, $f failed, exit $rc)"
	else
		echo "ok   $t ($p passed)"
	fi
	pass=$((pass + p)) fail=$((fail + f))
done
echo "unit-tally: $pass $fail"
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
