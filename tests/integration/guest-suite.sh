#!/bin/sh
# Runs inside the VM guest (see tests/vm/run.sh): every testcase_* function of every
# tests/integration/*.sh file (name filter: $2, comma-separated alternatives, each a substring
# of the file name or =NAME for exactly that file), each in a fresh shell with a time limit.
# Writes PASS/FAIL/SKIP lines to /vmout/results.
build=$1 filter=${2:-} full=${3:-0}
dir=$(cd "$(dirname "$0")" && pwd)
res=${THINBOX_VM_OUT:-/tmp}/results
: > "$res"
rc=0
for file in "$dir"/*.sh; do
	name=$(basename "$file" .sh)
	case "$name" in lib|guest-suite) continue ;; esac
	# the filter may list several names, comma-separated: a file runs when it matches one
	want=0
	for f in $(echo "$filter" | tr ',' ' '); do
		case "$f" in
		=*) [ "$name" = "${f#=}" ] && want=1 ;; # "=NAME": that file only
		*) case "$name" in *"$f"*) want=1 ;; esac ;;
		esac
	done
	[ -z "$filter" ] && want=1
	[ $want = 1 ] || continue
	# a long file says "# vm-sample: N": make check runs its first N testcases, make
	# check-vm-full (full=1) all of them
	sample=$(sed -n 's/^# vm-sample: \([0-9][0-9]*\)$/\1/p' "$file" | head -n 1)
	[ "$full" = 1 ] && sample=
	n=0
	for tc in $(sed -n 's/^\(testcase_[A-Za-z0-9_]*\)[[:space:]]*()[[:space:]]*{*.*/\1/p' "$file"); do
		n=$((n + 1))
		[ -n "$sample" ] && [ "$n" -gt "$sample" ] && continue
		echo "=== $name:$tc"
		start=$(date +%s)
		# $build reaches lib.sh through the environment (BUILD=dir runs that dir's binary)
		build="$build" timeout -k 10 "${THINBOX_TC_TIMEOUT:-600}" \
			bash -c '. "$1"; . "$2"; tb_setup; ( "$3" ); r=$?; tb_teardown; exit $r' \
			tc "$dir/lib.sh" "$file" "$tc"
		r=$?
		secs=$(( $(date +%s) - start ))
		if [ $r = 0 ]; then
			echo "PASS $name:$tc (${secs}s)" | tee -a "$res"
		elif [ $r = 77 ]; then
			echo "SKIP $name:$tc" | tee -a "$res"
		else
			echo "FAIL $name:$tc (exit $r, ${secs}s)" | tee -a "$res"
			rc=1
		fi
	done
done
exit $rc
