#!/bin/bash
# Host side of the VM integration suite: every tests/integration/*.sh (or those the filter $1
# picks: comma-separated substrings of file names, or =NAME) runs through
# tests/integration/guest-suite.sh in guest boots. A TCG guest keeps about one host core busy,
# so the files are split over THINBOX_VM_SHARDS guests run side by side (default: 2 on a host
# with 2 or more cores, else 1), balanced by each file's measured duration (tests/vm/durations,
# "NAME SAMPLED_S FULL_S" from a recorded run; a file not listed there counts 40 s a testcase);
# each guest's output is printed when all have ended. Prints a tally line "vm-tally: P F S"
# for run-all.sh. The balance only decides which guest runs what, never a result.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
filter=${1:-}
tmp=$(mktemp -d "$build/vm-out.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The files the filter picks, as guest-suite.sh picks them, with their testcase counts.
names=() counts=()
for file in "$top"/tests/integration/*.sh; do
	name=$(basename "$file" .sh)
	case "$name" in lib|guest-suite) continue ;; esac
	want=0
	for f in $(echo "$filter" | tr ',' ' '); do
		case "$f" in
		=*) [ "$name" = "${f#=}" ] && want=1 ;;
		*) case "$name" in *"$f"*) want=1 ;; esac ;;
		esac
	done
	[ -z "$filter" ] && want=1
	[ $want = 1 ] || continue
	names+=("$name")
	c=$(grep -c '^testcase_[A-Za-z0-9_]*[[:space:]]*()' "$file")
	smp=$(sed -n 's/^# vm-sample: \([0-9][0-9]*\)$/\1/p' "$file" | head -n 1)
	[ "${THINBOX_VM_FULL:-0}" != 1 ] && [ -n "$smp" ] && [ "$smp" -lt "$c" ] && c=$smp
	# the weight: seconds measured (tests/vm/durations), else 40 s a testcase
	col=2
	[ "${THINBOX_VM_FULL:-0}" = 1 ] && col=3
	w=$(awk -v n="$name" -v c=$col '$1 == n { print $c; exit }' "$here/durations" 2>/dev/null)
	case "$w" in '' | *[!0-9]*) w=$((c * 40)) ;; esac
	counts+=("$w")
done

ncpu=$(nproc 2>/dev/null || echo 1)
shards=${THINBOX_VM_SHARDS:-$([ "$ncpu" -ge 2 ] && echo 2 || echo 1)}
[ "$shards" -ge 1 ] 2>/dev/null || shards=1
[ "${#names[@]}" -lt "$shards" ] && shards=${#names[@]}
[ "$shards" -ge 1 ] || shards=1

# Greedy balance: the heaviest file first, each to the lightest shard.
declare -a load sel
for ((i = 0; i < shards; i++)); do load[i]=0; sel[i]=; done
for idx in $(for i in "${!names[@]}"; do echo "${counts[i]} $i"; done | sort -rn | awk '{print $2}'); do
	best=0
	for ((i = 1; i < shards; i++)); do [ "${load[i]}" -lt "${load[best]}" ] && best=$i; done
	load[best]=$((load[best] + counts[idx]))
	sel[best]="${sel[best]:+${sel[best]},}=${names[idx]}"
done

# One initramfs build before the guests start side by side (they share the cache).
THINBOX_VM_CACHE=$build/vm "$here/run.sh" --prepare || exit 125
pids=()
for ((i = 0; i < shards; i++)); do
	mkdir -p "$tmp/out$i"
	[ -n "${sel[i]}" ] || sel[i]=$filter
	THINBOX_VM_CACHE=$build/vm "$here/run.sh" --out "$tmp/out$i" --mem "${THINBOX_VM_MEM:-3072}" \
		--timeout "${THINBOX_VM_TIMEOUT:-4800}" \
		"$top/tests/integration/guest-suite.sh" "$build" "${sel[i]}" "${THINBOX_VM_FULL:-0}" \
		>"$tmp/log$i" 2>&1 &
	pids+=($!)
done
rc=0
for ((i = 0; i < shards; i++)); do
	wait "${pids[i]}" || rc=$?
done
for ((i = 0; i < shards; i++)); do
	[ "$shards" -gt 1 ] && echo "--- guest $((i + 1)) of $shards: ${sel[i]}"
	cat "$tmp/log$i"
done

p=0 f=0 s=0
for ((i = 0; i < shards; i++)); do
	res=$tmp/out$i/results
	[ -f "$res" ] || continue
	p=$((p + $(grep -c '^PASS ' "$res"))); f=$((f + $(grep -c '^FAIL ' "$res")))
	s=$((s + $(grep -c '^SKIP ' "$res")))
	grep '^FAIL ' "$res" | sed 's/^/vm: /'
done
if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
	echo "vm: a guest suite exited $rc without reporting a failed test: counted as one failure"
	f=$((f + 1))
fi
if [ $((p + f)) = 0 ]; then
	echo "vm: no VM test ran"; f=1
fi
echo "vm-tally: $p $f $s"
echo "vm: $p passed, $f failed, $s skipped"
[ "$f" = 0 ]
