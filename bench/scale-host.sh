#!/bin/bash
# Host variant of bench/scale (no device-mapper needed): one VG "scale" of N LVs on a loop
# device, built as bench/scale-guest.sh builds it, then CPU time (perf stat task-clock, or
# user+sys from /usr/bin/time) of `lvs scale` and `lvcreate --driverloaded n ...` for lvm2
# and thinbox, alternating, medians of RUNS. lvm2 and thinbox both read a private
# LVM_SYSTEM_DIR (lvm.conf with a filter that accepts only the bench's loop device).
# usage: bench/scale-host.sh THINBOX "N..." RUNS    env: KEEP=1 keeps the last VG
set -uo pipefail
TB=$(readlink -f "$1") NS=$2 RUNS=$3
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_WORK:-/tmp/bench-scale-host}
mkdir -p "$work/etc/backup" "$work/etc/archive" "$work/lock"
export LVM_SYSTEM_DIR=$work/etc THINBOX_LOCK_DIR=$work/lock LVM_SUPPRESS_FD_WARNINGS=1 DM_DISABLE_UDEV=1
LVM=/usr/sbin/lvm
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# run CMD...: prints "wall_ms cpu_ms"
run() {
	local t0 t1
	t0=$(now_us)
	/usr/bin/time -o "$work/time" -f '%U %S' "$@" >"$work/out" 2>"$work/err" ||
		{ echo "bench: '$*' failed: $(head -c 600 "$work/err")" >&2; return 1; }
	t1=$(now_us)
	echo "$(( (t1 - t0) / 1000 )) $(awk '{printf "%d", ($1 + $2) * 1000}' "$work/time")"
}
k=0
for n in $NS; do
	f=$work/disk-$n
	rm -f "$f"
	truncate -s $(( (n / 250 + 8) * 1024 ))M "$f" || exit 1
	dev=$(losetup -f --show "$f") || exit 1
	cat >"$work/etc/lvm.conf" <<CONF
devices { global_filter = [ "a|^$dev\$|", "r|.*|" ] obtain_device_list_from_udev = 0 }
global { io_memory_size = 65536 locking_dir = "$work/lock" }
activation { udev_sync = 0 udev_rules = 0 }
CONF
	export THINBOX_DEVICES=$dev
	$LVM pvcreate -q --metadatasize 64m "$dev" >/dev/null 2>&1 || exit 1
	$LVM vgcreate -q scale "$dev" >/dev/null 2>&1 || exit 1
	$LVM vgcfgbackup -q -f "$work/empty.vg" scale >/dev/null 2>&1 || exit 1
	awk -v n="$n" -f "$here/scale-gen.awk" "$work/empty.vg" >"$work/full.vg" || exit 1
	$LVM vgcfgrestore -q -f "$work/full.vg" scale >/dev/null 2>&1 || exit 1
	rm -f "$work"/etc/archive/scale_*
	la=""; lb=""; ca=""; cb=""; wla=""; wlb=""; wca=""; wcb=""
	for r in $(seq "$RUNS"); do
		set -- $(run $LVM lvs scale) || exit 1; wla="$wla $1"; la="$la $2"
		cp "$work/out" "$work/lvs.lvm2"
		set -- $(run "$TB" lvs scale) || exit 1; wlb="$wlb $1"; lb="$lb $2"
		cp "$work/out" "$work/lvs.tb"
	done
	for r in $(seq "$RUNS"); do
		k=$((k + 1))
		set -- $(run $LVM lvcreate --driverloaded n -an -Zn -n lprobe$k -L 4M scale) || exit 1
		wca="$wca $1"; ca="$ca $2"
		set -- $(run "$TB" lvcreate --driverloaded n -an -Zn -n probe$k -L 4M scale) || exit 1
		wcb="$wcb $1"; cb="$cb $2"
	done
	cmp -s "$work/lvs.lvm2" "$work/lvs.tb" || { echo "# N=$n lvs differ"; diff "$work/lvs.lvm2" "$work/lvs.tb" | head -5; }
	$LVM vgck scale 2>&1 | grep -v -e 'leaked' -e 'device-mapper' -e 'libdevmapper' -e 'control' || true
	r() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.3f", x / (y ? y : 1)}'; }
	m1=$(echo $la | median) m2=$(echo $lb | median) m3=$(echo $ca | median) m4=$(echo $cb | median)
	printf 'N=%s CPU ms: lvs lvm2 %s thinbox %s (%s) | lvcreate lvm2 %s thinbox %s (%s)\n' \
		"$n" "$m1" "$m2" "$(r $m2 $m1)" "$m3" "$m4" "$(r $m4 $m3)"
	w1=$(echo $wla | median) w2=$(echo $wlb | median) w3=$(echo $wca | median) w4=$(echo $wcb | median)
	printf 'N=%s wall ms: lvs lvm2 %s thinbox %s (%s) | lvcreate lvm2 %s thinbox %s (%s)\n' \
		"$n" "$w1" "$w2" "$(r $w2 $w1)" "$w3" "$w4" "$(r $w4 $w3)"
	echo "# runs cpu: lvs lvm2:$la tb:$lb lvcreate lvm2:$ca tb:$cb"
	if [ -n "${KEEP:-}" ]; then echo "# kept $dev ($f)"; continue; fi
	losetup -d "$dev"; rm -f "$f" "$work"/etc/archive/scale_* "$work"/etc/backup/scale
done
