#!/bin/bash
# Runs inside the VM (see bench/autoextend). For each threshold and use (a thin LV, or a
# Docker-style thin device made by messages), on the same 2 GiB disk: a VG, a pool of 20 %VG
# with autoextend percent 20, a writer pushing MB MiB with dd oflag=direct as fast as the guest
# allows; once with thinbox's monitor, once with lvm2 + dmeventd. The kernel's log gives the
# times: "reached low water mark" -> "growing the data device" (reaction) and whether the
# pool ever switched to out-of-data-space.
set -uo pipefail
build=$1 disk=$2 thresholds=${3:-80 90 95} modes=${4:-thin docker} mb=${5:-450} runs=${6:-1}
verbose=${7:-0} impls=${8:-thinbox lvm2}
TB=$build/thinbox
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1 THINBOX_NO_MONITOR_START=1
out=${THINBOX_VM_OUT:-/tmp}
res=$out/bench.tsv
: > "$res"
mkdir -p /etc/lvm/profile /run/lock/lvm /run/lvm
# lvm2 without udev, with dmeventd monitoring (its defaults otherwise)
cat > /etc/lvm/lvm.conf <<'CONF'
global {
	use_lvmlockd = 0
	event_activation = 0
}
devices {
	obtain_device_list_from_udev = 0
	scan_lvs = 0
}
activation {
	udev_sync = 0
	udev_rules = 0
	monitoring = 1
}
dmeventd {
	executable = "/usr/sbin/dmeventd"
}
CONF

vg=bench
wipe() {
	pkill -x dmeventd 2>/dev/null
	for d in $(dmsetup ls 2>/dev/null | awk '{print $1}' | grep -E "^(bench|dthin)" | sort -r); do
		dmsetup remove -f "$d" >/dev/null 2>&1
	done
	dd if=/dev/zero of="$disk" bs=1M count=8 oflag=direct status=none
	rm -rf /etc/lvm/backup /etc/lvm/archive /run/lvm/* /run/thinbox
}

# $1 impl (thinbox|lvm2), $2 threshold, $3 mode (thin|docker) -> one tsv line
run_one() {
	local impl=$1 thr=$2 mode=$3 log=/tmp/bench-$1-$2-$3.log mpid= dev t0 t1 rate
	wipe
	printf 'activation {\n\tthin_pool_autoextend_threshold=%s\n\tthin_pool_autoextend_percent=20\n}\n' \
		"$thr" > /etc/lvm/profile/bench.profile
	: > "$log"
	if [ "$impl" != lvm2 ]; then
		L() { "$TB" "$@"; }
	else
		L() { lvm "$@"; }
	fi
	L pvcreate -y -ff "$disk" >>"$log" 2>&1 || { echo "pvcreate failed: $(cat "$log")" >&2; return 1; }
	L vgcreate "$vg" "$disk" >>"$log" 2>&1 || { echo "vgcreate failed: $(cat "$log")" >&2; return 1; }
	L lvcreate -y --type thin-pool -l 20%VG -n pool --metadataprofile bench "$vg" >>"$log" 2>&1 ||
		{ echo "lvcreate failed: $(cat "$log")" >&2; return 1; }
	if [ "$mode" = thin ]; then
		L lvcreate -y -V 1G -T "$vg/pool" -n thin >>"$log" 2>&1 || { echo "thin failed: $(cat "$log")" >&2; return 1; }
		dev=/dev/mapper/$vg-thin
	else
		dmsetup message "/dev/mapper/$vg-pool" 0 "create_thin 1" &&
			dmsetup message "/dev/mapper/$vg-pool" 0 "set_transaction_id 0 1" &&
			dmsetup create dthin --table "0 $((1024 * 2048)) thin /dev/mapper/$vg-pool 1" ||
			{ echo "docker-style device failed" >&2; return 1; }
		dev=/dev/mapper/dthin
	fi
	if [ "$impl" != lvm2 ]; then
		local v=; [ "$verbose" = 1 ] && v=-v
		"$TB" monitor $v "$vg" >>"$log" 2>&1 &
		mpid=$!
		for _ in $(seq 50); do grep -q "Watching" "$log" && break; sleep 0.1; done
	else
		# lvm2 registers the pool with dmeventd on activation; make sure it did
		lvm lvchange --monitor y "$vg/pool" >>"$log" 2>&1
		for _ in $(seq 50); do pgrep -x dmeventd >/dev/null && break; sleep 0.1; done
		sleep 1
	fi
	local mon; mon=$(L lvs --noheadings -o seg_monitor "$vg" 2>/dev/null | grep -c '^ *monitored')
	local size0; size0=$(L lvs --noheadings --units m --nosuffix -o lv_name,lv_size "$vg" 2>/dev/null | awk '$1 == "pool" {print $2}')
	dmesg -c >/dev/null
	t0=$(date +%s.%N)
	dd if=/dev/zero of="$dev" bs=1M count="$mb" oflag=direct 2>>"$log"
	t1=$(date +%s.%N)
	sleep 3 # let the last extension land
	dmesg > /tmp/bench-dmesg-$impl-$thr-$mode
	local size1; size1=$(L lvs --noheadings --units m --nosuffix -o lv_name,lv_size "$vg" 2>/dev/null | awk '$1 == "pool" {print $2}')
	rate=$(awk -v a="$t0" -v b="$t1" -v m="$mb" 'BEGIN{printf "%.0f", m / (b - a)}')
	# reaction: each "reached low water mark" to the next "growing the data device"
	local reac
	reac=$(sed -n 's/^\[ *\([0-9.]*\)\].*\(reached low water mark for data\|growing the data device\).*/\1 \2/p' \
		/tmp/bench-dmesg-$impl-$thr-$mode | awk '
		/reached/ { if (t == "") t = $1; next }
		/growing/ { if (t != "") { d = ($1 - t) * 1000; s = s sep sprintf("%.1f", d); sep = ","; t = "" } }
		END { print (s == "" ? "-" : s) }')
	local oods=no
	grep -q "switching pool to out-of-data-space" /tmp/bench-dmesg-$impl-$thr-$mode && oods=yes
	[ -n "$mpid" ] && { kill "$mpid"; wait "$mpid" 2>/dev/null; }
	[ "$mode" = docker ] && dmsetup remove dthin 2>/dev/null
	L vgchange -an "$vg" >>"$log" 2>&1
	L vgremove -ff "$vg" >>"$log" 2>&1
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$impl" "$thr" "$mode" "$reac" "$oods" \
		"$size0" "$size1" "$rate" "$mon" | tee -a "$res"
	[ "$verbose" = 1 ] && { echo "--- $log"; cat "$log"; grep -E "low water|growing|out-of-data" /tmp/bench-dmesg-$impl-$thr-$mode; }
	return 0
}

echo "# kernel $(uname -r), lvm2 $(lvm version 2>/dev/null | sed -n 's/ *LVM version: *//p'), thinbox $("$TB" version)"
echo "# impl thr mode reaction_ms(each) out_of_data_space size0_MiB size_end_MiB write_MB/s monitored"
for r in $(seq "$runs"); do
	for thr in $thresholds; do
		for mode in $modes; do
			for impl in $impls; do run_one "$impl" "$thr" "$mode"; done
		done
	done
done
wipe
echo "=== summary (every run pooled; reaction = kernel 'reached low water mark' -> 'growing the data device')"
awk -F'\t' -v impls="$impls" -f "$(dirname "$0")/summary.awk" "$res"
