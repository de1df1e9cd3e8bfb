# shellcheck shell=bash
# thinbox monitor: in-process autoextend (docs/monitor.md). Each test runs the monitor in the
# foreground against its own VGs, with its own run, lock and lvm.conf directories, and ends
# with the written data compared byte for byte and thin_check on the pool's metadata.

mon_env() { # DEVICES...
	trap 'mon_stop; tb_teardown' EXIT
	export THINBOX_RUN_DIR=$TB_TMP/run LVM_SYSTEM_DIR=$TB_TMP/lvm THINBOX_NO_MONITOR_START=1
	export THINBOX_DEVICES
	THINBOX_DEVICES=$(IFS=:; echo "$*")
	mkdir -p "$THINBOX_RUN_DIR" "$LVM_SYSTEM_DIR/profile"
	: > "$LVM_SYSTEM_DIR/lvm.conf"
}

mon_profile() { # NAME THRESHOLD PERCENT [extra lines]
	{
		echo "activation {"
		echo "	thin_pool_autoextend_threshold=$2"
		echo "	thin_pool_autoextend_percent=$3"
		[ -n "${4:-}" ] && printf '\t%s\n' "$4"
		echo "}"
	} > "$LVM_SYSTEM_DIR/profile/$1.profile"
}

# VG POOL SIZE PROFILE [lvcreate args]: a pool with the profile, active
mon_pool() {
	local vg=$1 pool=$2 size=$3 prof=$4; shift 4
	assert_ok $TB lvcreate --type thin-pool -L "$size" -n "$pool" --metadataprofile "$prof" "$@" "$vg" >/dev/null
}

MONLOG=
mon_start() { # [monitor args...]: start in the background, wait until it watches
	MONLOG=${MONLOG:-$TB_TMP/monitor.log}
	$TB monitor --interval 0.5 --retrymax 1 "$@" >>"$MONLOG" 2>&1 &
	MONPID=$!
	local i
	for i in $(seq 1 100); do
		grep -q "started" "$MONLOG" 2>/dev/null && [ -e "$THINBOX_RUN_DIR/monitor.pid" -o $# -gt 0 ] && return 0
		kill -0 $MONPID 2>/dev/null || die "monitor exited: $(cat "$MONLOG")"
		sleep 0.1
	done
	die "monitor did not start: $(cat "$MONLOG")"
}
mon_stop() {
	[ -n "${MONPID:-}" ] || return 0
	kill -TERM "$MONPID" 2>/dev/null
	wait "$MONPID" 2>/dev/null
	MONPID=
}

lvfield() { # VG LV FIELD [lvs args]: one field of one LV (hidden ones as [name])
	local vg=$1 lv=$2 f=$3; shift 3
	$TB lvs --noheadings -a --separator '|' "$@" -o "lv_name,$f" "$vg" |
		awk -F'|' -v n="$lv" '{ sub(/^ +/, "", $1) } $1 == n { print $2 }' | sed 's/^ *//; s/ *$//'
}
data_extents() { # VG POOL -> 4 MiB extents of the pool's data LV
	lvfield "$1" "$2" lv_size --units m --nosuffix | awk '{printf "%d\n", $1 / 4}'
}
monstate() { lvfield "$1" "$2" seg_monitor; }
meta_extents() { # VG POOL -> 4 MiB extents of the pool's metadata LV
	lvfield "$1" "[$2_tmeta]" lv_size --units m --nosuffix | awk '{printf "%d\n", $1 / 4}'
}
seqno() { $TB vgs --noheadings -o vg_seqno "$1" | tr -d ' '; }
pool_field() { # DMNAME FIELD(1-based after "thin-pool") -> status field
	dmsetup status "$1" | awk -v f="$2" '{print $(3 + f)}'
}
wait_for() { # SECONDS COMMAND...: until the command succeeds
	local end=$(( $(date +%s) + $1 )); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 0.2
	done
}

src_file() { # MiB -> a random file
	local f=$TB_TMP/src.$1
	[ -f "$f" ] || dd if=/dev/urandom of="$f" bs=1M count="$1" status=none
	echo "$f"
}

write_thin() { # DEV MiB [SEEK_MiB] -> writes random data, keeps the source for compare
	local f; f=$(src_file "$2")
	dd if="$f" of="$1" bs=1M seek="${3:-0}" oflag=direct status=none || die "write to $1 failed"
}
same_data() { # DEV MiB [SKIP_MiB]
	local f; f=$(src_file "$2")
	dd if="$1" bs=1M skip="${3:-0}" count="$2" iflag=direct status=none | cmp -n $(( $2 * 1048576 )) "$f" - ||
		die "data on $1 differs from what was written"
}

no_oods() { # the kernel never switched a pool to out-of-data-space
	if dmesg | grep -q "switching pool to out-of-data-space"; then
		dmesg | grep -E "thin|pool" | tail -n 20 >&2
		die "a pool ran out of data space before the monitor grew it"
	fi
}

# Deactivate the VG and run thin_check on a read-only copy of the pool's metadata table.
pool_check() { # VG POOL
	local t
	t=$(dmsetup table "$1-$2_tmeta") || die "no $1-$2_tmeta"
	assert_ok $TB vgchange -an "$1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-chk" --readonly --table "$t" >/dev/null
	local out rc
	out=$(thin_check /dev/mapper/$TB_PREFIX-chk 2>&1); rc=$?
	dmsetup remove "$TB_PREFIX-chk"
	[ $rc = 0 ] || die "thin_check $1/$2: $out"
}

mon_teardown() {
	mon_stop
	dmesg -c >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------

# The body of the first test; $1: "staged" (the default monitor: the extension staged ahead)
# or "ordinary" (--no-stage: read, allocate and commit the VG when the threshold is crossed).
grows_before_full() {
	local d vg=${TB_PREFIX}m1 how=$1 args=
	[ "$how" = ordinary ] && args=--no-stage
	dmesg -c >/dev/null
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	assert_ok $TB lvcreate -V 600M -T "$vg/pool" -n thin >/dev/null
	mon_start -v $args
	assert_eq monitored "$(monstate "$vg" pool)" "seg_monitor"
	# 76 MiB: under 80 % of 100 MiB, nothing happens
	write_thin "/dev/$vg/thin" 76
	sleep 1
	assert_eq 25 "$(data_extents "$vg" pool)" "pool size under the threshold"
	# then over it: the monitor grows the pool; writes go on past the old size
	write_thin "/dev/$vg/thin" 120
	wait_for 10 grew "$vg" pool 30 || die "pool did not grow: $(cat "$MONLOG")"
	local ext; ext=$(data_extents "$vg" pool)
	# at least +20 %, and Data% back under 80
	[ "$ext" -ge 30 ] || die "grew to $ext extents"
	wait_for 10 data_pct_under "$vg" pool 80 ||
		die "Data% still over the threshold: $($TB lvs $vg)"
	no_oods
	grep -q "extended in" "$MONLOG" || die "no extension logged"
	if [ "$how" = staged ]; then
		grep -q "extended in .* ms (staged)" "$MONLOG" ||
			die "the staged extension was not used: $(cat "$MONLOG")"
	else
		! grep -q "staged" "$MONLOG" || die "--no-stage staged: $(cat "$MONLOG")"
	fi
	same_data "/dev/$vg/thin" 120
	mon_stop
	assert_match "not monitored" "$(monstate "$vg" pool)" "after stop"
	pool_check "$vg" pool
	mon_teardown
}
testcase_threshold_grows_before_full() { grows_before_full staged; }
testcase_threshold_grows_before_full_ordinary_path() { grows_before_full ordinary; }

testcase_growth_to_vg_exhaustion_then_vgextend() {
	local d d2 vg=${TB_PREFIX}m2
	dmesg -c >/dev/null
	d=$(tb_disk 400M); d2=$(tb_disk 400M); mon_env "$d" "$d2"
	mon_profile tp 70 50
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 80M tp
	assert_ok $TB lvcreate -V 1G -T "$vg/pool" -n thin >/dev/null
	mon_start
	# write in steps: every step pushes the pool over 70 %, the monitor grows it each time,
	# until the VG has no free extent left
	local i off=0
	for i in 1 2 3 4 5 6 7; do
		write_thin "/dev/$vg/thin" 50 $off
		off=$((off + 50))
		sleep 1
		vg_full "$vg" && break
	done
	wait_for 10 vg_full "$vg" || die "VG not exhausted: $($TB vgs $vg) $(cat "$MONLOG")"
	local n; n=$(grep -c "extended in" "$MONLOG")
	[ "$n" -ge 2 ] || die "expected repeated growth, saw $n extensions"
	# push it over the threshold (85 % of its last size) with the VG full: the monitor says
	# so, once
	local p=$(( $(data_extents "$vg" pool) * 4 )) more
	more=$(( p * 85 / 100 - off ))
	[ $more -gt 0 ] && write_thin "/dev/$vg/thin" $more $off
	wait_for 10 grep -q "CANNOT EXTEND" "$MONLOG" || die "no VG-full message: $(cat "$MONLOG")"
	sleep 2
	assert_eq 1 "$(grep -c 'CANNOT EXTEND' "$MONLOG")" "VG-full messages (once per state change)"
	local before; before=$(data_extents "$vg" pool)
	# recovery: vgextend, and the monitor grows the pool without being told
	assert_ok $TB vgextend "$vg" "$d2" >/dev/null
	wait_for 15 grew "$vg" pool "$before" ||
		die "no growth after vgextend: $(cat "$MONLOG")"
	wait_for 10 grep -q "extending works again\|back under" "$MONLOG" || die "no recovery message"
	local k; for k in $(seq 0 50 $((off - 50))); do same_data "/dev/$vg/thin" 50 $k; done
	[ $more -gt 0 ] && same_data "/dev/$vg/thin" $more $off
	mon_stop
	pool_check "$vg" pool
	mon_teardown
}

grew() { [ "$(data_extents "$1" "$2")" -gt "$3" ]; } # VG POOL EXTENTS
test_meta_grew() { [ "$(meta_extents "$1" pool)" -gt "$2" ]; }
data_pct_under() { # VG POOL PCT
	local v; v=$(lvfield "$1" "$2" data_percent | cut -d. -f1)
	[ "$v" -lt "$3" ]
}
vg_full() { [ "$($TB vgs --noheadings -o vg_free_count "$1" | tr -d ' ')" = 0 ]; }

testcase_metadata_growth() {
	local d vg=${TB_PREFIX}m3
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 50 50
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	# the 2 MiB minimum metadata (512 blocks); every thin device made costs a root block
	mon_pool "$vg" pool 200M tp --poolmetadatasize 2M
	local meta0; meta0=$(meta_extents "$vg" pool)
	[ "$meta0" = 1 ] || die "metadata LV is $meta0 extents"
	mon_start
	local dm=/dev/mapper/$vg-pool i
	for i in $(seq 1 440); do
		dmsetup message "$dm" 0 "create_thin $i" || die "create_thin $i"
	done
	assert_ok dmsetup create "$TB_PREFIX-mthin" --table "0 $((100 * 2048)) thin $dm 1" >/dev/null
	write_thin "/dev/mapper/$TB_PREFIX-mthin" 20
	wait_for 15 test_meta_grew "$vg" "$meta0" ||
		die "metadata did not grow (Meta% $(lvfield "$vg" pool metadata_percent)): $(cat "$MONLOG")"
	local meta1; meta1=$(meta_extents "$vg" pool)
	# the kernel sees the new size
	local tot; tot=$(pool_field "$vg-pool" 2 | cut -d/ -f2)
	[ "$tot" -gt 512 ] || die "kernel metadata blocks still $tot"
	echo "metadata $meta0 -> $meta1 extents, kernel $tot blocks"
	same_data "/dev/mapper/$TB_PREFIX-mthin" 20
	assert_ok dmsetup remove "$TB_PREFIX-mthin" >/dev/null
	mon_stop
	pool_check "$vg" pool
	mon_teardown
}

testcase_restart_mid_run() {
	local d vg=${TB_PREFIX}m4
	dmesg -c >/dev/null
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	assert_ok $TB lvcreate -V 600M -T "$vg/pool" -n thin >/dev/null
	mon_start
	write_thin "/dev/$vg/thin" 90
	wait_for 10 grew "$vg" pool 25 || die "no first growth"
	# kill -9: no clean exit, its marks stay but name a dead pid
	kill -KILL "$MONPID"; wait "$MONPID" 2>/dev/null; MONPID=
	assert_match "not monitored" "$(monstate "$vg" pool)" "after kill -9"
	# while no monitor runs the pool goes over its threshold
	local e1; e1=$(data_extents "$vg" pool)
	write_thin "/dev/$vg/thin" $(( e1 * 4 * 85 / 100 - 90 )) 90
	sleep 1
	assert_eq "$e1" "$(data_extents "$vg" pool)" "size while no monitor runs"
	# the restarted monitor continues from the current state: it grows the pool at once
	mon_start
	wait_for 10 grew "$vg" pool "$e1" || die "no growth after restart: $(cat "$MONLOG")"
	assert_eq monitored "$(monstate "$vg" pool)" "after restart"
	# SIGHUP: reload, still running, still watching
	kill -HUP "$MONPID"; sleep 1
	kill -0 "$MONPID" || die "monitor died on SIGHUP"
	grep -q "SIGHUP" "$MONLOG" || die "SIGHUP not logged"
	same_data "/dev/$vg/thin" 90
	same_data "/dev/$vg/thin" $(( e1 * 4 * 85 / 100 - 90 )) 90
	mon_stop
	pool_check "$vg" pool
	mon_teardown
}

both_monitored() {
	[ "$(monstate "$1" pool)" = monitored ] && [ "$(monstate "$2" pool)" = monitored ]
}

testcase_two_pools_two_vgs() {
	local d1 d2 a=${TB_PREFIX}ma b=${TB_PREFIX}mb
	dmesg -c >/dev/null
	d1=$(tb_disk 600M); d2=$(tb_disk 600M); mon_env "$d1" "$d2"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$a" "$d1" >/dev/null
	assert_ok $TB vgcreate "$b" "$d2" >/dev/null
	mon_start
	# pools made while the monitor runs are picked up
	mon_pool "$a" pool 100M tp
	mon_pool "$b" pool 100M tp
	assert_ok $TB lvcreate -V 400M -T "$a/pool" -n thin >/dev/null
	assert_ok $TB lvcreate -V 400M -T "$b/pool" -n thin >/dev/null
	wait_for 10 both_monitored "$a" "$b" ||
		die "both pools not monitored: $($TB lvs -o+seg_monitor $a $b)"
	write_thin "/dev/$a/thin" 90 &
	local w=$!
	write_thin "/dev/$b/thin" 90
	wait $w || die "writer a"
	wait_for 10 grew "$a" pool 25 || die "pool a did not grow"
	wait_for 10 grew "$b" pool 25 || die "pool b did not grow"
	no_oods
	# lvchange --monitor n takes one out; y brings it back
	assert_ok $TB lvchange --monitor n "$b/pool" >/dev/null
	assert_match "not monitored" "$(monstate "$b" pool)" "after --monitor n"
	local eb more; eb=$(data_extents "$b" pool)
	more=$(( eb * 4 * 85 / 100 - 90 ))
	write_thin "/dev/$b/thin" $more 90
	sleep 2
	assert_eq "$eb" "$(data_extents "$b" pool)" "an unmonitored pool does not grow"
	assert_ok $TB lvchange --monitor y "$b/pool" >/dev/null
	wait_for 10 grew "$b" pool "$eb" || die "no growth after --monitor y"
	# a pool deactivated while the monitor runs is dropped
	same_data "/dev/$a/thin" 90
	same_data "/dev/$b/thin" 90
	same_data "/dev/$b/thin" $more 90
	pool_check "$a" pool
	wait_for 5 grep -q "$a/pool: deactivated" "$MONLOG" || die "deactivation not noticed: $(cat "$MONLOG")"
	mon_stop
	pool_check "$b" pool
	mon_teardown
}

testcase_docker_style_outside_messages() {
	local d vg=${TB_PREFIX}md
	dmesg -c >/dev/null
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	local dm=/dev/mapper/$vg-pool
	# Docker's way: its own thin device through messages, its own transaction id
	assert_ok dmsetup message "$dm" 0 "create_thin 7" >/dev/null
	assert_ok dmsetup message "$dm" 0 "set_transaction_id 0 1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-dthin" --table "0 $((600 * 2048)) thin $dm 7" >/dev/null
	mon_start
	write_thin "/dev/mapper/$TB_PREFIX-dthin" 150
	wait_for 10 grew "$vg" pool 30 || die "Docker's pool did not grow: $(cat "$MONLOG")"
	no_oods
	# the pool was extended, its thin devices left alone: tid still Docker's, device 7 intact
	assert_eq 1 "$(pool_field "$vg-pool" 1)" "kernel transaction id"
	grep -q "another program" "$MONLOG" || die "outside user not noted"
	same_data "/dev/mapper/$TB_PREFIX-dthin" 150
	assert_ok dmsetup remove "$TB_PREFIX-dthin" >/dev/null
	mon_stop
	pool_check "$vg" pool
	mon_teardown
}

# Set the needs_check flag in the superblock of an inactive pool (thin-provisioning-tools'
# layout: flags at byte 4, checksum crc32c(bytes 4..4095) ^ 160774 at byte 0).
set_needs_check() { # DEV OFFSET_SECTORS
	python3 - "$1" "$2" <<'EOF'
import os, struct, sys
def crc32c(data, crc=0xffffffff):
    tab = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        tab.append(c)
    for b in data:
        crc = tab[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc
fd = os.open(sys.argv[1], os.O_RDWR)
off = int(sys.argv[2]) * 512
sb = bytearray(os.pread(fd, 4096, off))
flags = struct.unpack_from('<I', sb, 4)[0] | 1
struct.pack_into('<I', sb, 4, flags)
csum = crc32c(bytes(sb[4:])) ^ 160774
struct.pack_into('<I', sb, 0, csum)
os.pwrite(fd, bytes(sb), off)
os.fsync(fd)
EOF
}

testcase_needs_check_never_touched() {
	local d vg=${TB_PREFIX}mn
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	assert_ok $TB lvcreate -V 600M -T "$vg/pool" -n thin >/dev/null
	# over the threshold with no monitor running
	write_thin "/dev/$vg/thin" 90
	# The kernel flags the pool at run time (activation refuses a pool whose superblock
	# already says needs_check, tests/integration/pooltruth.sh): the devices that hold the
	# kernel's pool object are torn down and rebuilt from their own tables and uuids with
	# plain dmsetup, the superblock's needs_check bit set while the pool is closed; the
	# kernel reads the bit when it opens the pool again, keeps it read-only and says
	# needs_check in its status. thinbox takes no part in that.
	local n tp_old tp_new names=() tabs=() uuids=()
	tp_old=$(dmsetup info -c --noheadings -o major,minor --separator : "$vg-pool-tpool")
	for n in "$vg-thin" "$vg-pool" "$vg-pool-tpool"; do
		dmsetup info "$n" >/dev/null 2>&1 || continue
		names+=("$n")
		tabs+=("$(dmsetup table "$n")")
		uuids+=("$(dmsetup info -c --noheadings -o uuid "$n")")
	done
	for n in "${names[@]}"; do dmsetup remove "$n" || die "dmsetup remove $n"; done
	set_needs_check "/dev/mapper/$vg-pool_tmeta" 0 || die "cannot set needs_check"
	local i
	for (( i = ${#names[@]} - 1; i >= 0; i-- )); do
		if [ -n "${tp_new-}" ]; then tabs[i]=$(echo "${tabs[i]}" | sed "s/ $tp_old / $tp_new /"); fi
		dmsetup create "${names[i]}" -u "${uuids[i]}" --table "${tabs[i]}" ||
			die "dmsetup create ${names[i]}: ${tabs[i]}"
		if [ "${names[i]}" = "$vg-pool-tpool" ]; then
			tp_new=$(dmsetup info -c --noheadings -o major,minor --separator : "$vg-pool-tpool")
		fi
	done
	dmsetup status "$vg-pool-tpool" | grep -q needs_check ||
		die "the kernel did not report needs_check: $(dmsetup status "$vg-pool-tpool")"
	local seq0 ext0 tab0
	seq0=$(seqno "$vg")
	ext0=$(data_extents "$vg" pool)
	tab0=$(dmsetup table "$vg-pool-tpool")
	mon_start
	sleep 3
	grep -q "needs_check" "$MONLOG" || die "needs_check not reported: $(cat "$MONLOG")"
	assert_eq "$seq0" "$(seqno "$vg")" "VG seqno"
	assert_eq "$ext0" "$(data_extents "$vg" pool)" "pool size"
	assert_eq "$tab0" "$(dmsetup table "$vg-pool-tpool")" "pool table"
	assert_eq 1 "$(grep -c 'needs_check' "$MONLOG")" "needs_check messages (once)"
	same_data "/dev/mapper/$vg-thin" 90
	mon_stop
	local t
	t=$(dmsetup table "$vg-pool_tmeta")
	assert_ok $TB vgchange -an "$vg" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-chk" --table "$t" >/dev/null
	local out
	out=$(thin_check --clear-needs-check-flag /dev/mapper/$TB_PREFIX-chk 2>&1) || die "thin_check: $out"
	dmsetup remove "$TB_PREFIX-chk"
	mon_teardown
}

daemon_pid() { cat "$THINBOX_RUN_DIR/monitor.pid" 2>/dev/null; }
daemon_alive() { local p; p=$(daemon_pid); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
daemon_gone() { ! daemon_alive; }
is_monitored() { [ "$(monstate "$1" pool)" = monitored ]; }
not_monitored() { [ "$(monstate "$1" pool)" = "not monitored" ]; }

testcase_autostart_on_activation() {
	local d vg=${TB_PREFIX}ms
	d=$(tb_disk 600M); mon_env "$d"
	unset THINBOX_NO_MONITOR_START
	export THINBOX_MONITOR_LOG=$TB_TMP/auto.log
	trap 'p=$(daemon_pid); [ -n "$p" ] && kill "$p"; sleep 0.5; tb_teardown' EXIT
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	# creating an active pool starts the daemon (activation/monitoring defaults to 1)
	mon_pool "$vg" pool 100M tp
	wait_for 5 daemon_alive || die "no monitor daemon after lvcreate: $(cat "$THINBOX_MONITOR_LOG" 2>&1)"
	wait_for 5 is_monitored "$vg" || die "pool not monitored: $(cat "$THINBOX_MONITOR_LOG")"
	assert_ok $TB lvcreate -V 300M -T "$vg/pool" -n thin >/dev/null
	# a second start finds it running
	assert_fails 4 $TB monitor --daemon >/dev/null
	# it extends like the foreground one
	write_thin "/dev/$vg/thin" 90
	wait_for 10 grew "$vg" pool 25 || die "the daemon did not grow the pool: $(cat "$THINBOX_MONITOR_LOG")"
	# --monitor n / y
	assert_ok $TB lvchange --monitor n "$vg/pool" >/dev/null
	assert_eq "not monitored" "$(monstate "$vg" pool)" "after --monitor n"
	assert_ok $TB lvchange --monitor y "$vg/pool" >/dev/null
	wait_for 5 is_monitored "$vg" || die "not monitored after --monitor y: $(ls -la $THINBOX_RUN_DIR $THINBOX_RUN_DIR/monitor/*; cat "$THINBOX_MONITOR_LOG")"
	# SIGTERM: clean exit, nothing left marked
	kill -TERM "$(daemon_pid)"
	wait_for 5 daemon_gone || die "daemon did not stop"
	wait_for 5 not_monitored "$vg" || die "still monitored after the daemon stopped"
	# activation/monitoring = 0: activation starts nothing
	printf 'activation {\n\tmonitoring = 0\n}\n' > "$LVM_SYSTEM_DIR/lvm.conf"
	assert_ok $TB vgchange -an "$vg" >/dev/null
	assert_ok $TB vgchange -ay "$vg" >/dev/null
	sleep 1
	daemon_gone || die "a monitor started although activation/monitoring = 0"
	# back on: vgchange -ay starts it
	: > "$LVM_SYSTEM_DIR/lvm.conf"
	assert_ok $TB vgchange -ay "$vg" >/dev/null
	wait_for 5 daemon_alive || die "vgchange -ay did not start the monitor"
	wait_for 5 is_monitored "$vg" || die "not monitored after vgchange -ay"
	same_data "/dev/$vg/thin" 90
	kill -TERM "$(daemon_pid)"
	wait_for 5 daemon_gone || die "daemon did not stop"
	pool_check "$vg" pool
}

tpool_table() { dmsetup table "$1-pool-tpool"; }
has_ewf() { tpool_table "$1" | grep -q error_if_no_space; }
no_ewf() { ! has_ewf "$1"; }

testcase_cap_and_error_when_full() {
	local d vg=${TB_PREFIX}mc
	d=$(tb_disk 1G); mon_env "$d"
	# cap at 120 MiB; a pool that cannot grow switches to error_if_no_space
	mon_profile tp 80 50 "thin_pool_autoextend_max_size=120
	thin_pool_autoextend_error_when_full=1"
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	assert_ok $TB lvcreate -V 600M -T "$vg/pool" -n thin >/dev/null
	no_ewf "$vg" || die "pool starts with error_if_no_space"
	mon_start
	write_thin "/dev/$vg/thin" 90
	wait_for 10 grew "$vg" pool 25 || die "no growth: $(cat "$MONLOG")"
	sleep 1
	assert_eq 30 "$(data_extents "$vg" pool)" "size capped at 120 MiB"
	# over the threshold at the cap: said once, and the pool errors instead of queueing
	write_thin "/dev/$vg/thin" 10 90
	wait_for 10 grep -q "CANNOT EXTEND.*max_size" "$MONLOG" || die "no cap message: $(cat "$MONLOG")"
	wait_for 10 has_ewf "$vg" || die "not switched to error_if_no_space: $(tpool_table "$vg")"
	# raise the cap: SIGHUP, the pool grows and queues again
	mon_profile tp 80 50 "thin_pool_autoextend_max_size=400"
	kill -HUP "$MONPID"
	wait_for 10 grew "$vg" pool 30 || die "no growth after raising the cap: $(cat "$MONLOG")"
	wait_for 10 no_ewf "$vg" || die "error_if_no_space still on: $(tpool_table "$vg")"
	same_data "/dev/$vg/thin" 90
	same_data "/dev/$vg/thin" 10 90
	mon_stop
	pool_check "$vg" pool
	mon_teardown
}

# ---------------------------------------------------------------------------------------------
# The staged extension (core/policy/stage.c): invisible until used, dropped when the VG changes under
# it, and lvm2 reads everything with no warning at every step.


testcase_staged_extension_invisible_until_used() {
	local d vg=${TB_PREFIX}ms s0 n
	dmesg -c >/dev/null
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" pool 100M tp
	assert_ok $TB lvcreate -V 600M -T "$vg/pool" -n thin >/dev/null
	s0=$(seqno "$vg")
	mon_start -v
	wait_for 10 grep -q "staged the next extension" "$MONLOG" ||
		die "nothing staged: $(cat "$MONLOG")"
	# staged: the text sits after the committed copy; no reader sees it
	assert_eq "$s0" "$(seqno "$vg")" "seqno after staging"
	assert_eq 25 "$(data_extents "$vg" pool)" "size after staging"
	lvm_clean vgck "$vg" >/dev/null
	lvm_clean pvck "$d" >/dev/null
	assert_eq 100.00m "$(lvm_clean lvs --noheadings -o lv_size "$vg/pool" | tr -d ' ')" "lvm2 lvs"
	# lvm2 changes the VG: the stage is stale; the monitor sees it and stages again
	"$LVM2_BIN" lvcreate -an -Zn -L 4M -n other "$vg" >/dev/null 2>&1 || die "lvm2 lvcreate failed"
	assert_eq $((s0 + 1)) "$(seqno "$vg")" "seqno after lvm2's change"
	wait_for 10 grep -q "the VG changed; staging the next extension again" "$MONLOG" ||
		die "the stale stage was not noticed: $(cat "$MONLOG")"
	wait_for 10 test "$(grep -c "staged the next extension" "$MONLOG")" -ge 2 ||
		die "not staged again: $(cat "$MONLOG")"
	# over the threshold: the staged extension, exactly one commit
	write_thin "/dev/$vg/thin" 90
	wait_for 10 grew "$vg" pool 25 || die "pool did not grow: $(cat "$MONLOG")"
	grep -q "extended in .* ms (staged)" "$MONLOG" || die "not the staged path: $(cat "$MONLOG")"
	assert_eq 30 "$(data_extents "$vg" pool)" "size after the extension"
	assert_eq $((s0 + 2)) "$(seqno "$vg")" "seqno after the extension"
	no_oods
	lvm_clean vgck "$vg" >/dev/null
	assert_eq 120.00m "$(lvm_clean lvs --noheadings -o lv_size "$vg/pool" | tr -d ' ')" "lvm2 lvs"
	# the kernel runs the size the VG says
	n=$(dmsetup table "$vg-pool-tpool" | awk '{print $2}')
	assert_eq $((120 * 2048)) "$n" "pool table length"
	same_data "/dev/$vg/thin" 90
	mon_stop
	pool_check "$vg" pool
	lvm_clean vgck "$vg" >/dev/null
	mon_teardown
}

# What the staged commit relies on (core/policy/stage.c): the VG header goes out with O_DIRECT and no
# flush of its own, because the pool cannot grow into new space without a cache flush of the
# disk under its metadata first. Here with no other I/O: a quiet pool is reloaded bigger
# (suspend, resume with "growing the data device"), and the disk's flush count must move.
testcase_pool_resize_flushes_the_metadata_disk() {
	local d dev m=${TB_PREFIX}fm da=${TB_PREFIX}fd p=${TB_PREFIX}fp t=${TB_PREFIX}ft f0 f1
	dmesg -c >/dev/null
	d=$(tb_disk 200M); mon_env "$d"
	dev=$(basename "$(readlink -f "$d")")
	[ "$(wc -w < "/sys/block/$dev/stat")" -ge 17 ] || skip "no flush counters in /sys/block/$dev/stat"
	dd if=/dev/zero of="$d" bs=4096 count=1 oflag=direct status=none
	assert_ok dmsetup create "$m" --table "0 8192 linear $d 0"
	assert_ok dmsetup create "$da" --table "0 131072 linear $d 8192"
	assert_ok dmsetup create "$p" --table "0 131072 thin-pool /dev/mapper/$m /dev/mapper/$da 128 0 1 skip_block_zeroing"
	assert_ok dmsetup message "$p" 0 "create_thin 0"
	assert_ok dmsetup create "$t" --table "0 262144 thin /dev/mapper/$p 0"
	dd if=/dev/urandom of="/dev/mapper/$t" bs=1M count=16 oflag=direct status=none
	sleep 2 # the pool's periodic commit has run; nothing is left to write
	f0=$(awk '{print $16}' "/sys/block/$dev/stat")
	assert_ok dmsetup reload "$da" --table "0 262144 linear $d 8192"
	assert_ok dmsetup suspend "$da"
	assert_ok dmsetup resume "$da"
	assert_ok dmsetup reload "$p" --table "0 262144 thin-pool /dev/mapper/$m /dev/mapper/$da 128 0 1 skip_block_zeroing"
	assert_ok dmsetup suspend "$p"
	assert_ok dmsetup resume "$p"
	f1=$(awk '{print $16}' "/sys/block/$dev/stat")
	dmesg | grep -q "growing the data device from 1024 to 2048 blocks" || die "no resize: $(dmesg | tail -5)"
	[ "$f1" -gt "$f0" ] || die "no cache flush of $dev while the pool grew ($f0 -> $f1)"
	dmsetup remove "$t"; dmsetup remove "$p"; dmsetup remove "$da"; dmsetup remove "$m"
	mon_teardown
}

# Two pools in one VG: one stage per VG (every stage would put its text at the same offset);
# both grow, each commit moves seqno by one, and lvm2 reads the result with no warning.
testcase_two_pools_one_vg_staged() {
	local d vg=${TB_PREFIX}m2p s0 s1
	dmesg -c >/dev/null
	d=$(tb_disk 1G); mon_env "$d"
	mon_profile tp 80 20
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	mon_pool "$vg" p1 100M tp
	mon_pool "$vg" p2 100M tp
	assert_ok $TB lvcreate -V 400M -T "$vg/p1" -n t1 >/dev/null
	assert_ok $TB lvcreate -V 400M -T "$vg/p2" -n t2 >/dev/null
	s0=$(seqno "$vg")
	mon_start -v
	wait_for 10 grep -q "staged the next extension" "$MONLOG" || die "nothing staged: $(cat "$MONLOG")"
	sleep 1
	assert_eq 1 "$(grep -c "staged the next extension" "$MONLOG")" "stages while both wait"
	assert_eq "$s0" "$(seqno "$vg")" "seqno after staging"
	write_thin "/dev/$vg/t1" 90 &
	local w=$!
	write_thin "/dev/$vg/t2" 90
	wait $w || die "writer t1"
	wait_for 10 grew "$vg" p1 25 || die "p1 did not grow: $(cat "$MONLOG")"
	wait_for 10 grew "$vg" p2 25 || die "p2 did not grow: $(cat "$MONLOG")"
	no_oods
	sleep 1
	s1=$(seqno "$vg")
	assert_eq $((s0 + $(grep -c "extended in" "$MONLOG"))) "$s1" "one commit per extension"
	lvm_clean vgck "$vg" >/dev/null
	lvm_clean lvs "$vg" >/dev/null
	same_data "/dev/$vg/t1" 90
	same_data "/dev/$vg/t2" 90
	mon_stop
	pool_check "$vg" p1
	assert_ok $TB vgchange -ay "$vg" >/dev/null
	pool_check "$vg" p2
	mon_teardown
}
