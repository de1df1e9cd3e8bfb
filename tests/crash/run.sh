#!/bin/bash
# Host side of make check-crash: tests/crash/guest.sh in THINBOX_CRASH_GUESTS VM guests side by
# side (default: one per two host CPUs, as each guest runs two vCPUs; at least 1). With G guests, guest g (0-based) runs
# the points whose global index i has i % (STRIDE * G) == OFFSET + STRIDE * g: together every
# point the knobs select, each once. Every guest enumerates each scenario's effects on its own;
# the guests must agree on each scenario's number of points (else the run fails: a command
# whose effects differ between runs; a power-cut recording can differ too, when the command runs
# long enough to see the pool's periodic metadata commit, so one guest is the sure way). Prints every failure and, for each kind, the total
# "kills: N crash points, P passed, F failed" (the same for power cuts). The guests' detailed
# logs are kept in $BUILD/crash.log (guest 1) and $BUILD/crash.N.log.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
ncpu=$(nproc 2>/dev/null || echo 1)
guests=${THINBOX_CRASH_GUESTS:-$((ncpu / 2))}
[ "$guests" -ge 1 ] 2>/dev/null || guests=1
stride=${CR_STRIDE:-1} off=${CR_OFFSET:-0}
cut_stride=${CR_CUT_STRIDE:-$stride}
if [ "$off" -ge "$stride" ] || [ "$off" -ge "$cut_stride" ]; then
	echo "run.sh: CR_OFFSET ($off) must be below CR_STRIDE ($stride) and CR_CUT_STRIDE ($cut_stride)" >&2
	exit 2
fi
outs=() pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "${outs[@]}"' EXIT
for ((g = 0; g < guests; g++)); do
	outs[g]=$(mktemp -d "$build/crash-out.XXXXXX")
done
# the guests share the initramfs cache: build it once, before they start
THINBOX_VM_CACHE=$build/vm "$here/../vm/run.sh" --prepare || exit 125
for ((g = 0; g < guests; g++)); do
	# guest g's offset, for the kills and for the power cuts (each kind has its stride)
	args=("$build" "$((stride * guests))" "$((off + stride * g))" "${CR_WHAT:-kills powercuts}"
	      "${CR_SCEN:-}" "$((cut_stride * guests))" "${CR_CUT_SCEN:-}" "$((off + cut_stride * g))")
	if [ "$guests" = 1 ]; then
		THINBOX_VM_CACHE=$build/vm "$here/../vm/run.sh" --out "${outs[0]}" \
			--mem "${THINBOX_VM_MEM:-2048}" --timeout "${THINBOX_CRASH_TIMEOUT:-14400}" \
			"$here/guest.sh" "${args[@]}"
		rc=$?
		cp "${outs[0]}/crash.log" "$build/crash.log" 2>/dev/null
		exit $rc
	fi
	# (not THINBOX_VM_QUIET: that drops the guest's output, and with it the tallies)
	THINBOX_VM_CACHE=$build/vm "$here/../vm/run.sh" --out "${outs[g]}" \
		--mem "${THINBOX_VM_MEM:-2048}" --timeout "${THINBOX_CRASH_TIMEOUT:-14400}" \
		"$here/guest.sh" "${args[@]}" > "${outs[g]}/stdout" 2>&1 &
	pids[g]=$!
done
rc=0
for ((g = 0; g < guests; g++)); do
	wait "${pids[g]}" || rc=1
done
pids=()
for ((g = 0; g < guests; g++)); do
	echo "--- guest $((g + 1)) of $guests"
	grep -v '^kills: [0-9]* crash points\|^power cuts: [0-9]* crash points' "${outs[g]}/stdout"
	if [ "$g" = 0 ]; then
		cp "${outs[g]}/crash.log" "$build/crash.log" 2>/dev/null
	else
		cp "${outs[g]}/crash.log" "$build/crash.$((g + 1)).log" 2>/dev/null
	fi
done
# every guest enumerated every scenario: the same points, or the union is not the set
for kind in kill power-cut; do
	n=$(for ((g = 0; g < guests; g++)); do
		grep "^$kind: [a-z_]*: .* points\$" "${outs[g]}/stdout" | sort | md5sum
	done | sort -u | wc -l)
	if [ "$n" -gt 1 ]; then
		echo "FAIL the guests enumerated different $kind points (a command's effects differ between runs):"
		for ((g = 0; g < guests; g++)); do
			grep "^$kind: [a-z_]*: .* points\$" "${outs[g]}/stdout" | sed "s/^/  guest $((g + 1)): /"
		done
		rc=1
	fi
done
for kind in kills "power cuts"; do
	cat "${outs[@]/%//stdout}" | awk -v k="$kind" '
		index($0, k ": ") == 1 && $0 ~ /crash points, [0-9]+ passed, [0-9]+ failed$/ {
			sub(k ": ", ""); split($0, a, /[ ,]+/); n += a[1]; p += a[4]; f += a[6]; seen = 1 }
		END { if (seen) printf "%s: %d crash points, %d passed, %d failed\n", k, n, p, f }'
done
# a guest that ended without its tallies (the rig failed, a die in the harness)
for ((g = 0; g < guests; g++)); do
	for kind in ${CR_WHAT:-kills powercuts}; do
		pat='^kills: [0-9]* crash points'
		[ "$kind" = powercuts ] && pat='^power cuts: [0-9]* crash points'
		grep -q "$pat" "${outs[g]}/stdout" || { echo "FAIL guest $((g + 1)) printed no $kind tally"; rc=1; }
	done
done
exit $rc
