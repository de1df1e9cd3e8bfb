#!/bin/bash
# Guest side of bench/recipe. RUNS rounds; in each, lvm2 and then thinbox (under lvm2's command
# names, through `thinbox NAME`) run the recipe on a fresh 4 GiB sparse loop disk (the pool takes
# 95%VG; lvextend +64M needs what is left):
#   pvcreate, vgcreate, lvcreate 95%VG, lvcreate 1%VG, lvconvert --thinpool, lvchange
#   --metadataprofile, lvs -o+seg_monitor, lvcreate -V (thin), lvcreate -s (snapshot),
#   lvextend -L (pool data), lvextend --poolmetadatasize, lvs -a
# Each command's wall time (bash EPOCHREALTIME, no fork for the clock) and CPU time (user+sys
# of /usr/bin/time), minus the medians of /bin/true run the same way in this boot (the floor).
# Monitoring is each tool's default (lvm2: dmeventd, started by lvconvert; thinbox: its
# monitor, started by lvconvert); both are stopped between rounds. Prints one row per command:
# the medians, net of the floor, and thinbox / lvm2; then the sums.
# usage: recipe-guest.sh THINBOX RUNS
set -uo pipefail
TB=$1 RUNS=$2
LVM=/usr/sbin/lvm
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
work=/tmp/bench-recipe
mkdir -p "$work" /run/lock/lvm /etc/lvm/backup /etc/lvm/archive /etc/lvm/profile
printf 'activation {\n\tthin_pool_autoextend_threshold=80\n\tthin_pool_autoextend_percent=20\n}\n' \
	>/etc/lvm/profile/docker-thinpool.profile
VG=docker
CMDS=(
	"pvcreate @DEV@"
	"vgcreate $VG @DEV@"
	"lvcreate --wipesignatures y -n thinpool $VG -l 95%VG"
	"lvcreate --wipesignatures y -n thinpoolmeta $VG -l 1%VG"
	"lvconvert -y --zero n -c 512K --thinpool $VG/thinpool --poolmetadata $VG/thinpoolmeta"
	"lvchange --metadataprofile docker-thinpool $VG/thinpool"
	"lvs -o+seg_monitor"
	"lvcreate -V 1G -T $VG/thinpool -n thin1"
	"lvcreate -s $VG/thin1 -n snap1"
	"lvextend -L +64M $VG/thinpool"
	"lvextend --poolmetadatasize +8M $VG/thinpool"
	"lvs -a"
)
NC=${#CMDS[@]}

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
# run_timed CMD...: sets W (wall us) and C (cpu ms); dies on failure
run_timed() {
	local t0 t1 rc
	t0=$(now_us)
	/usr/bin/time -o "$work/time" -f '%U %S' "$@" >"$work/out" 2>"$work/err"; rc=$?
	t1=$(now_us)
	if [ $rc != 0 ]; then
		echo "bench: '$*' failed ($rc): $(head -c 600 "$work/err")" >&2
		exit 1
	fi
	W=$((t1 - t0))
	C=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/time")
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stop_monitors() {
	pkill -x dmeventd 2>/dev/null
	pkill -f "$TB monitor" 2>/dev/null
	sleep 1
}
teardown() {
	local dev=$1 tool=$2 pass d
	stop_monitors
	# each tool deactivates its own VG; whatever is left is removed top-down, then checked
	if [ "$tool" = lvm2 ]; then $LVM vgchange -an $VG >/dev/null 2>&1; else "$TB" vgchange -an $VG >/dev/null 2>&1; fi
	for pass in 1 2 3 4 5 6; do
		for d in $(dmsetup ls 2>/dev/null | awk '{print $1}' | grep "^$VG-"); do
			dmsetup remove "$d" >/dev/null 2>&1
		done
	done
	[ -z "$(dmsetup ls 2>/dev/null | grep "^$VG-")" ] ||
		{ echo "bench: devices of $VG left after the $tool round: $(dmsetup ls)" >&2; exit 1; }
	# without udev each tool made its /dev/VG links itself; both refuse a vgcreate over them
	rm -rf "/dev/$VG"
	losetup -d "$dev" || { echo "bench: cannot detach $dev" >&2; exit 1; }
}

fw=""; fc=""
for i in $(seq 9); do run_timed /bin/true; fw="$fw $W"; fc="$fc $C"; done
FW=$(echo $fw | median) FC=$(echo $fc | median)
echo "# guest floor (/bin/true): wall median $((FW / 1000)) ms, CPU median $FC ms"
declare -A WA CA
for r in $(seq "$RUNS"); do
	for tool in lvm2 thinbox; do
		img=$work/disk.img
		rm -f "$img"; truncate -s 4G "$img"
		dev=$(losetup -f --show "$img") || exit 1
		rm -f /etc/lvm/archive/${VG}_* /etc/lvm/backup/$VG
		for k in $(seq 0 $((NC - 1))); do
			cmd=${CMDS[$k]//@DEV@/$dev}
			if [ $tool = lvm2 ]; then
				# shellcheck disable=SC2086
				run_timed $LVM $cmd
			else
				# shellcheck disable=SC2086
				run_timed "$TB" $cmd
			fi
			cp "$work/out" "$work/out.$tool.$k"
			WA[$tool,$k]="${WA[$tool,$k]:-} $W"
			CA[$tool,$k]="${CA[$tool,$k]:-} $C"
		done
		[ $tool = thinbox ] && { $LVM vgck $VG >/dev/null 2>&1 ||
			{ echo "bench: lvm2 vgck $VG failed after thinbox's recipe" >&2; exit 1; }; }
		teardown "$dev" $tool
	done
done
# net of the floor, never below 0
net_w() { local m; m=$(echo $1 | median); m=$((m - FW)); [ $m -lt 0 ] && m=0; echo $((m / 1000)); }
net_c() { local m; m=$(echo $1 | median); m=$((m - FC)); [ $m -lt 0 ] && m=0; echo $m; }
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' command lvm2_ms thinbox_ms ratio lvm2_cpu_ms thinbox_cpu_ms cpu_ratio
sa=0 sb=0 sc=0 sd=0
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{ if (y > 0) printf "%.3f", x / y; else print "-" }'; }
for k in $(seq 0 $((NC - 1))); do
	a=$(net_w "${WA[lvm2,$k]}") b=$(net_w "${WA[thinbox,$k]}")
	c=$(net_c "${CA[lvm2,$k]}") d=$(net_c "${CA[thinbox,$k]}")
	sa=$((sa + a)) sb=$((sb + b)) sc=$((sc + c)) sd=$((sd + d))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${CMDS[$k]}" "$a" "$b" "$(ratio $b $a)" \
		"$c" "$d" "$(ratio $d $c)" | sed 's/@DEV@/DEV/'
done
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' SUM "$sa" "$sb" "$(ratio $sb $sa)" "$sc" "$sd" "$(ratio $sd $sc)"
for k in $(seq 0 $((NC - 1))); do
	echo "# runs (wall us) $k lvm2:${WA[lvm2,$k]} | thinbox:${WA[thinbox,$k]}"
done
diff "$work/out.lvm2.11" "$work/out.thinbox.11" >/dev/null ||
	{ echo "# lvs -a outputs differ:"; diff "$work/out.lvm2.11" "$work/out.thinbox.11" | head; }
