#!/bin/bash
# Guest side of bench/scale: for each N, one VG "scale" on a loop device, N one-extent linear
# LVs written by lvm2's vgcfgrestore (bench/scale-gen.awk), then `lvs scale` and
# `lvcreate --driverloaded n -an -Zn -n probe -L 4M scale` timed for lvm2 and thinbox in turn
# (median of RUNS, wall clock in ms from bash's EPOCHREALTIME, no fork for the clock).
# usage: scale-guest.sh THINBOX "N..." RUNS MDASIZE
set -uo pipefail
TB=$1 NS=$2 RUNS=$3 MDA=$4
here=$(cd "$(dirname "$0")" && pwd)
# lvm2 reads metadata through a buffer of devices/io_memory_size (8 MiB by default): at 50,000
# LVs (14 MB of text) it warns and may not read the VG; the bench gives it 64 MiB
lvm() { /usr/sbin/lvm "$@" --config 'devices { io_memory_size = 65536 }'; }
LVM=lvm
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
work=/tmp/bench-scale
mkdir -p "$work" /run/lock/lvm /etc/lvm/backup /etc/lvm/archive

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
# time_ms CMD...: run with stdout and stderr to files, print elapsed ms; dies on failure
time_ms() {
	local t0 t1 rc
	t0=$(now_us)
	"$@" >"$work/out" 2>"$work/err"; rc=$?
	t1=$(now_us)
	if [ $rc != 0 ]; then
		echo "bench: '$*' failed ($rc): $(head -c 600 "$work/err")" >&2
		return 1
	fi
	echo $(( (t1 - t0) / 1000 ))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

floor=""
for i in 1 2 3 4 5; do floor="$floor $(time_ms /bin/true)"; done
echo "# guest floor (/bin/true) median: $(echo $floor | median) ms"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' N lvs_lvm2_ms lvs_thinbox_ms lvs_ratio \
	lvcreate_lvm2_ms lvcreate_thinbox_ms lvcreate_ratio text_bytes
k=0
for n in $NS; do
	f=$work/disk-$n
	rm -f "$f"
	truncate -s $(( (n / 250 + 8) * 1024 ))M "$f" || exit 1
	dev=$(losetup -f --show "$f") || exit 1
	$LVM pvcreate -q --metadatasize "$MDA" "$dev" >/dev/null || exit 1
	$LVM vgcreate -q scale "$dev" >/dev/null || exit 1
	$LVM vgcfgbackup -q -f "$work/empty.vg" scale >/dev/null || exit 1
	awk -v n="$n" -f "$here/scale-gen.awk" "$work/empty.vg" >"$work/full.vg" || exit 1
	$LVM vgcfgrestore -q -f "$work/full.vg" scale >/dev/null || exit 1
	rm -f /etc/lvm/archive/scale_*
	got=$($LVM lvs --noheadings -o lv_name scale | wc -l)
	[ "$got" = "$n" ] || { echo "bench: VG has $got LVs, want $n" >&2; exit 1; }
	a=""; b=""; c=""; d=""
	for r in $(seq "$RUNS"); do
		a="$a $(time_ms $LVM lvs scale)" || exit 1
		cp "$work/out" "$work/lvs.lvm2"
		b="$b $(time_ms "$TB" lvs scale)" || exit 1
		cp "$work/out" "$work/lvs.tb"
	done
	for r in $(seq "$RUNS"); do
		k=$((k + 1))
		c="$c $(time_ms $LVM lvcreate --driverloaded n -an -Zn -n lprobe$k -L 4M scale)" || exit 1
		d="$d $(time_ms "$TB" lvcreate --driverloaded n -an -Zn -n probe$k -L 4M scale)" || exit 1
	done
	cmp -s "$work/lvs.lvm2" "$work/lvs.tb" || echo "# N=$n: lvs outputs differ (diff below)" >&2
	cmp -s "$work/lvs.lvm2" "$work/lvs.tb" || diff "$work/lvs.lvm2" "$work/lvs.tb" | head -5 >&2
	$LVM vgck scale || { echo "bench: vgck scale failed after thinbox's commits" >&2; exit 1; }
	ma=$(echo $a | median) mb=$(echo $b | median) mc=$(echo $c | median) md=$(echo $d | median)
	bytes=$($LVM vgcfgbackup -q -f "$work/after.vg" scale >/dev/null && wc -c <"$work/after.vg")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$ma" "$mb" \
		"$(awk -v x="$mb" -v y="$ma" 'BEGIN{printf "%.3f", x / y}')" "$mc" "$md" \
		"$(awk -v x="$md" -v y="$mc" 'BEGIN{printf "%.3f", x / y}')" "$bytes"
	echo "# N=$n runs (ms): lvs lvm2:$a | thinbox:$b | lvcreate lvm2:$c | thinbox:$d"
	# dropping the disk drops the VG (vgremove of 50,000 LVs takes lvm2 minutes under TCG)
	losetup -d "$dev"
	rm -f "$f" /etc/lvm/archive/scale_* /etc/lvm/backup/scale
done
