# shellcheck shell=bash
# Old-style (COW) snapshots of linear LVs (docs/cow-snapshots.md): the same commands run by real
# lvm2 2.03.16 on one VG and by thinbox on an equivalent one (one 256 MiB PV each), judged by
# lvm2: exit codes and messages, the metadata lvm2 writes back (vgcfgbackup), the reports
# lvm2 gives of both VGs, the device-mapper tables (normalised: device numbers by name, uuids
# by LV name), vgck, and the data (an overwritten origin, the snapshot still reads the old data).

CW_A=${TB_PREFIX}cwa # lvm2's VG
CW_B=${TB_PREFIX}cwb # thinbox's VG

cw_vgs() {
	CW_A1=$(tb_disk 256M) && CW_B1=$(tb_disk 256M) || exit 1
	lvm_clean pvcreate -q "$CW_A1" >/dev/null
	lvm_clean vgcreate -q "$CW_A" "$CW_A1" >/dev/null
	"$TB" pvcreate "$CW_B1" >/dev/null 2>&1 || die "thinbox pvcreate"
	"$TB" vgcreate "$CW_B" "$CW_B1" >/dev/null 2>&1 || die "thinbox vgcreate"
}
cw_vg() { [ "$1" = A ] && echo "$CW_A" || echo "$CW_B"; }
cw_pv() { [ "$1" = A ] && echo "$CW_A1" || echo "$CW_B1"; }
cw_norm() { # A|B
	sed -e "s|$(cw_pv "$1")\\b|PV|g" -e "s|$(cw_vg "$1")|VG|g"
}
# Run ARGS with @VG@ as lvm2 on $CW_A and as thinbox on $CW_B: same exit code (RC unless any),
# same stdout and stderr (names normalised; not compared with LOOSE=1).
cw_both() { # RC ARGS...
	local want=$1 ra rb x
	shift
	local -a a=() b=()
	for x in "$@"; do
		a+=("${x//@VG@/$CW_A}")
		b+=("${x//@VG@/$CW_B}")
	done
	"$LVM2_BIN" "${a[@]}" >"$TB_TMP/cw.a.out" 2>"$TB_TMP/cw.a.err" </dev/null; ra=$?
	"$TB" "${b[@]}" >"$TB_TMP/cw.b.out" 2>"$TB_TMP/cw.b.err" </dev/null; rb=$?
	[ "$ra" = "$rb" ] || die "exit codes differ for '$*': lvm2 $ra ($(cat "$TB_TMP/cw.a.out" "$TB_TMP/cw.a.err")), thinbox $rb ($(cat "$TB_TMP/cw.b.out" "$TB_TMP/cw.b.err"))"
	[ "$want" = any ] || [ "$ra" = "$want" ] || die "'$*' exited $ra, expected $want: $(cat "$TB_TMP/cw.a.out" "$TB_TMP/cw.a.err")"
	[ "${LOOSE:-0}" = 1 ] && return 0
	for x in out err; do
		cw_norm A <"$TB_TMP/cw.a.$x" >"$TB_TMP/cw.a.$x.n"
		cw_norm B <"$TB_TMP/cw.b.$x" >"$TB_TMP/cw.b.$x.n"
		cmp -s "$TB_TMP/cw.a.$x.n" "$TB_TMP/cw.b.$x.n" ||
			die "std$x differs for '$*': lvm2: '$(cat "$TB_TMP/cw.a.$x.n")' thinbox: '$(cat "$TB_TMP/cw.b.$x.n")'"
	done
	return 0
}
# The VG's dm devices: name, table, attr, open count, uuid; device numbers replaced by device
# names (the PV by PV), the VG's and LVs' ids by their names (lvm2 lists the LVs).
cw_dm() { # A|B
	local v pv d s='' n u id
	v=$(cw_vg "$1") pv=$(cw_pv "$1")
	s="s/\\b$((0x$(stat -c %t "$pv"))):$((0x$(stat -c %T "$pv")))\\b/PV/g;"
	while read -r n d; do
		[ -n "$n" ] && s="$s s/\\b$d\\b/$n/g;"
	done <<<"$(dmsetup info -c --noheadings --separator ' ' -o name,major,minor |
		awk -v v="$v-" 'index($1, v) == 1 { print $1, $2 ":" $3 }')"
	u=$("$LVM2_BIN" vgs --noheadings -o vg_uuid "$v" | tr -d ' -')
	s="$s s/$u/<VG>/g;"
	while read -r n id; do
		[ -n "$n" ] && s="$s s/<VG>${id//-/}/<VG><$n>/g;"
	done <<<"$("$LVM2_BIN" lvs -a --noheadings -o lv_name,lv_uuid "$v" | tr -d '[]')"
	for d in $(dmsetup ls | awk '{print $1}' | grep "^$v-" | sort); do
		printf '%s | %s | %s\n' "$d" "$(dmsetup table "$d" | tr '\n' ';')" \
			"$(dmsetup info -c --noheadings -o attr,open,uuid "$d")"
	done | sed -e "$s" | sed -e "s/$v/VG/g"
}
cw_same_dm() { # what
	cw_dm A >"$TB_TMP/cw.dm.a"
	cw_dm B >"$TB_TMP/cw.dm.b"
	cmp -s "$TB_TMP/cw.dm.a" "$TB_TMP/cw.dm.b" ||
		die "$1: different devices: lvm2's: $(cat "$TB_TMP/cw.dm.a") thinbox's: $(cat "$TB_TMP/cw.dm.b")"
}
# The metadata as lvm2 writes it back (vgcfgbackup), without ids, times and hosts.
cw_md() { # A|B
	local v
	v=$(cw_vg "$1")
	"$LVM2_BIN" vgcfgbackup -q -f "$TB_TMP/cw.md.$1" "$v" >/dev/null 2>&1 || die "vgcfgbackup $v"
	sed -n '/logical_volumes {/,$p' "$TB_TMP/cw.md.$1" |
		grep -v -E '^\s*(id|creation_time|creation_host) = ' | sed -e "s/$v/VG/g"
}
cw_same_md() { # what
	cw_md A >"$TB_TMP/cw.mdn.a"
	cw_md B >"$TB_TMP/cw.mdn.b"
	cmp -s "$TB_TMP/cw.mdn.a" "$TB_TMP/cw.mdn.b" ||
		die "$1: different metadata: lvm2's: $(cat "$TB_TMP/cw.mdn.a") thinbox's: $(cat "$TB_TMP/cw.mdn.b")"
	lvm_clean vgck "$CW_B" >/dev/null
}
CW_F=lv_name,lv_attr,lv_size,origin,snap_percent,data_percent,chunk_size,origin_size,lv_layout,lv_role,segtype,devices
# lvm2's report of both VGs equal; thinbox's report of its VG equal to lvm2's of it.
cw_same_report() { # what [fields]
	local f=${2:-$CW_F} a b
	a=$(lvm_clean lvs -a -o "$f" "$CW_A" | cw_norm A)
	b=$(lvm_clean lvs -a -o "$f" "$CW_B" | cw_norm B)
	assert_eq "$a" "$b" "$1: lvm2's lvs of lvm2's and of thinbox's VG"
	a=$(lvm_clean lvs -a -o "$f" "$CW_B")
	b=$("$TB" lvs -a -o "$f" "$CW_B" 2>&1) || die "thinbox lvs: $b"
	assert_eq "$a" "$b" "$1: thinbox's lvs of its VG (lvm2's first)"
	a=$(lvm_clean lvs --units b --nosuffix --noheadings --separator '|' -o "$f" "$CW_B")
	b=$("$TB" lvs --units b --nosuffix --noheadings --separator '|' -o "$f" "$CW_B" 2>&1)
	assert_eq "$a" "$b" "$1: thinbox's lvs --units b of its VG (lvm2's first)"
}

# ---- OpenEBS LVM LocalPV (openebs/lvm-localpv pkg/lvm/lvm_util.go) ----
testcase_lvtypes_cow_openebs() {
	local data=$TB_TMP/cw.data
	cw_vgs
	cw_both 0 lvcreate -q -n lv -L 40m @VG@
	head -c 1048576 /dev/urandom >"$data"
	for v in "$CW_A" "$CW_B"; do
		dd if="$data" of="/dev/$v/lv" bs=1M oflag=direct status=none || die "dd to $v/lv"
	done
	# buildLVMSnapCreateArgs: lvcreate --snapshot --name SNAP --permission r /dev/VG/LV --size Nb
	cw_both 0 lvcreate --snapshot --name snap --permission r /dev/@VG@/lv --size 8388608b
	cw_same_md "lvcreate --snapshot --permission r --size"
	cw_same_dm "the snapshot loaded"
	cw_same_report "a read-only snapshot"
	# OpenEBS' size query: lvs VG/SNAP --noheadings -o lv_size --units b --nosuffix
	cw_both 0 lvs @VG@/snap --noheadings -o lv_size,origin_size --units b --nosuffix
	cmp -n 1048576 "$data" "/dev/$CW_B/snap" || die "the snapshot does not read the origin's data"
	# the origin overwritten: the snapshot still reads the old data, Snap% grows the same
	for v in "$CW_A" "$CW_B"; do
		dd if=/dev/zero of="/dev/$v/lv" bs=1M count=1 oflag=direct status=none || die "dd $v/lv"
	done
	cmp -n 1048576 "$data" "/dev/$CW_B/snap" || die "the snapshot lost the old data"
	cmp -n 1048576 /dev/zero "/dev/$CW_B/lv" || die "the origin does not read the new data"
	cw_same_report "after the origin was overwritten" lv_name,lv_attr,snap_percent,data_percent
	assert_fails any dd if=/dev/zero of="/dev/$CW_B/snap" bs=4096 count=1 oflag=direct status=none >/dev/null
	# a second snapshot (rw), then the first removed: the origin keeps its snapshot-origin
	cw_both 0 lvcreate -s -n snap2 -L 12m @VG@/lv
	cw_same_dm "two snapshots"
	cw_same_md "two snapshots"
	# buildLVMSnapDestroyArgs: lvremove -y /dev/VG/SNAP
	cw_both 0 lvremove -y /dev/@VG@/snap
	cw_same_dm "one snapshot removed"
	cw_same_md "one snapshot removed"
	cmp -n 1048576 /dev/zero "/dev/$CW_B/lv" || die "the origin's data after a snapshot went"
	# the last one: the origin is a plain linear LV again
	cw_both 0 lvremove -y /dev/@VG@/snap2
	cw_same_dm "the last snapshot removed"
	cw_same_md "the last snapshot removed"
	cw_same_report "no snapshot left"
}

# ---- Incus (lxc/incus internal/server/storage/drivers/driver_lvm_utils.go) ----
testcase_lvtypes_cow_incus() {
	cw_vgs
	cw_both 0 lvcreate -q -n lv -L 40m @VG@
	# createLogicalVolumeSnapshot, non-thin origin: lvcreate -n SNAP -s /dev/VG/LV
	# --setactivationskip y -l 100%ORIGIN -pr (or -prw): 44 MiB for the 40 MiB origin
	cw_both 0 lvcreate -n snap -s /dev/@VG@/lv --setactivationskip y -l 100%ORIGIN -pr
	cw_both 0 lvcreate -n snaprw -s /dev/@VG@/lv --setactivationskip y -l 100%ORIGIN -prw
	cw_same_md "Incus' snapshots"
	cw_same_dm "Incus' snapshots"
	cw_same_report "Incus' snapshots"
	cw_both 0 lvs -o lv_name,lv_attr,lv_size,origin,snap_percent @VG@
	cw_both 0 vgs -o vg_name,lv_count,snap_count @VG@
	# deactivation of the VG takes every snapshot; activation brings back every one, also the
	# ones flagged activation-skip (they come with their origin)
	cw_both 0 vgchange -an @VG@
	cw_same_dm "vgchange -an"
	cw_same_report "inactive" lv_name,lv_attr,origin,snap_percent
	cw_both 0 vgchange -ay @VG@
	cw_same_dm "vgchange -ay"
	cw_both 0 lvchange -an @VG@/lv
	cw_same_dm "lvchange -an of the origin"
	# activateVolume: lvchange --activate y --ignoreactivationskip /dev/VG/PARENT (the parent:
	# "activating the parent volume also activates its snapshots")
	cw_both 0 lvchange --activate y --ignoreactivationskip /dev/@VG@/lv
	cw_same_dm "lvchange -ay -K of the origin"
	# -a of a snapshot asks, and no answer changes nothing
	cw_both 5 lvchange -an @VG@/snap
	cw_both 5 lvchange -ay --ignoreactivationskip @VG@/snap
	cw_same_dm "lvchange -a of a snapshot, not confirmed"
	cw_both 0 lvchange -an -y @VG@/snaprw
	cw_same_dm "lvchange -an -y of a snapshot"
	# the flag is the named snapshot's: lvchange -ay -y of a flagged one activates nothing
	cw_both 0 lvchange -ay -y @VG@/snaprw
	cw_same_dm "lvchange -ay -y of a flagged snapshot"
	cw_both 0 lvchange -ay -y -K @VG@/snaprw
	cw_same_dm "lvchange -ay -y -K of a flagged snapshot"
	# the origin: the prompt when it is active, not removed, exit 5; -f removes all
	cw_both 5 lvremove @VG@/lv
	cw_same_dm "lvremove of the origin, not confirmed"
	cw_both 0 lvremove -f @VG@/lv
	cw_same_dm "lvremove -f of the origin"
	cw_same_md "lvremove -f of the origin"
}

# lvm2's sizes, notes and refusals for COW snapshots (measured against lvm2 2.03.16)
testcase_lvtypes_cow_options() {
	cw_vgs
	cw_both 0 lvcreate -q -n lv -L 40m @VG@
	cw_both 5 lvcreate -s -n s0 -L 8m @VG@/nolv
	cw_both 0 lvcreate -s -n s1 -L 1m @VG@/lv
	cw_both 0 lvcreate -s -n s2 -l 2 -c 8k @VG@/lv
	cw_both 0 lvcreate -s -n s3 -l 50%ORIGIN @VG@/lv
	cw_both 0 lvcreate -s -n s4 -l 200%ORIGIN @VG@/lv
	cw_both 0 lvcreate -s -n s5 -L 100m @VG@/lv
	cw_both 3 lvcreate -s -n s6 -L 4m -c 3k @VG@/lv
	cw_both 3 lvcreate -s -n s6 -L 4m -c 1024k @VG@/lv
	cw_both 0 lvcreate -s -L 4m @VG@/lv
	cw_same_md "sizes and chunks"
	cw_same_dm "sizes and chunks"
	cw_same_report "sizes and chunks"
	# an active origin cannot be resized
	cw_both 5 lvextend -L +4m @VG@/lv
	# lvchange -p r of an active snapshot: its table reloaded read-only
	cw_both 0 lvchange -p r @VG@/s1
	cw_same_dm "lvchange -p r of a snapshot"
	cw_both 0 lvremove -y @VG@/lv
	cw_same_md "all removed"
	# thin LVs: thin snapshots only (thinbox refuses an old-style snapshot of a thin LV)
	"$TB" lvcreate -q -T -L 16m "$CW_B/pool" >/dev/null 2>&1 || die "thinbox thin pool"
	"$TB" lvcreate -q -V 8m -T "$CW_B/pool" -n th >/dev/null 2>&1 || die "thinbox thin LV"
	assert_match "not supported by thinbox" "$(assert_fails 5 "$TB" lvcreate -s -L 4m -n ts "$CW_B/th")"
	lvm_clean vgck "$CW_B" >/dev/null
}

# Interop: lvm2 reads, activates, deactivates and removes what thinbox made, and the reverse.
testcase_lvtypes_cow_interop() {
	local data=$TB_TMP/cw.data tbl
	cw_vgs
	head -c 2097152 /dev/urandom >"$data"
	# thinbox makes, lvm2 takes over
	"$TB" lvcreate -q -n lv -L 40m "$CW_B" >/dev/null 2>&1 || die "thinbox lvcreate"
	dd if="$data" of="/dev/$CW_B/lv" bs=1M oflag=direct status=none || die "dd"
	assert_ok "$TB" lvcreate -s -n snap -L 8m "$CW_B/lv" >/dev/null
	dd if=/dev/zero of="/dev/$CW_B/lv" bs=1M count=1 oflag=direct status=none || die "dd"
	tbl=$(cw_dm B)
	lvm_clean vgchange -an "$CW_B" >/dev/null
	assert_eq "" "$(dmsetup ls | grep "^$CW_B-" || true)" "lvm2 vgchange -an of thinbox's VG"
	lvm_clean vgchange -ay "$CW_B" >/dev/null
	assert_eq "$tbl" "$(cw_dm B)" "lvm2's devices of thinbox's snapshot"
	cmp -n 2097152 "$data" "/dev/$CW_B/snap" || die "lvm2 reads other data from thinbox's snapshot"
	lvm_clean lvremove -y "$CW_B/snap" >/dev/null
	lvm_clean vgck "$CW_B" >/dev/null
	# lvm2 makes, thinbox takes over
	lvm_clean lvcreate -q -n lv -L 40m "$CW_A" >/dev/null
	dd if="$data" of="/dev/$CW_A/lv" bs=1M oflag=direct status=none || die "dd"
	lvm_clean lvcreate -q -s -n snap -L 8m "$CW_A/lv" >/dev/null
	lvm_clean lvcreate -q -s -n snap2 -l 100%ORIGIN -pr --setactivationskip y "$CW_A/lv" >/dev/null
	dd if=/dev/zero of="/dev/$CW_A/lv" bs=1M count=1 oflag=direct status=none || die "dd"
	tbl=$(cw_dm A)
	local a b
	a=$(lvm_clean lvs -a -o "$CW_F,lv_active" "$CW_A")
	b=$("$TB" lvs -a -o "$CW_F,lv_active" "$CW_A" 2>&1) || die "thinbox lvs: $b"
	assert_eq "$a" "$b" "thinbox's lvs of lvm2's snapshots"
	assert_ok "$TB" vgchange -an "$CW_A" >/dev/null
	assert_eq "" "$(dmsetup ls | grep "^$CW_A-" || true)" "thinbox vgchange -an of lvm2's VG"
	assert_ok "$TB" vgchange -ay "$CW_A" >/dev/null
	assert_eq "$tbl" "$(cw_dm A)" "thinbox's devices of lvm2's snapshots"
	cmp -n 2097152 "$data" "/dev/$CW_A/snap" || die "thinbox's table reads other data"
	cmp -n 2097152 "$data" "/dev/$CW_A/snap2" || die "thinbox's table reads other data (snap2)"
	assert_ok "$TB" lvremove -y "$CW_A/snap" >/dev/null
	assert_ok "$TB" lvremove -y "$CW_A/lv" >/dev/null
	assert_eq "" "$(dmsetup ls | grep "^$CW_A-" || true)" "thinbox lvremove of lvm2's origin"
	lvm_clean vgck "$CW_A" >/dev/null
	assert_eq "" "$(lvm_clean lvs --noheadings -a "$CW_A")" "nothing left in lvm2's VG"
}

# Incus' snapshotNeedsCoWGrow reads lv_size,origin_size of a snapshot; a COW store grows with
# lvextend (lvm2 reloads its -cow device), the snapshot keeps its data
testcase_lvtypes_cow_extend() {
	local data=$TB_TMP/cw.data
	cw_vgs
	head -c 1048576 /dev/urandom >"$data"
	cw_both 0 lvcreate -q -n lv -L 40m @VG@
	for v in "$CW_A" "$CW_B"; do
		dd if="$data" of="/dev/$v/lv" bs=1M oflag=direct status=none || die "dd to $v/lv"
	done
	cw_both 0 lvcreate -s -n snap -L 4m @VG@/lv
	for v in "$CW_A" "$CW_B"; do
		dd if=/dev/zero of="/dev/$v/lv" bs=1M count=1 oflag=direct status=none || die "dd $v/lv"
	done
	# snapshotNeedsCoWGrow (driver_lvm_utils.go): lvs --noheadings --nosuffix --units b -o
	# lv_size,origin_size SNAP
	cw_both 0 lvs --noheadings --nosuffix --units b -o lv_size,origin_size @VG@/snap
	cw_both 0 lvextend -L +4m @VG@/snap
	cw_both 0 lvresize -L 16m @VG@/snap
	cw_same_md "a grown COW store"
	cw_same_dm "a grown COW store"
	cw_same_report "a grown COW store" lv_name,lv_attr,lv_size,origin_size,snap_percent
	cmp -n 1048576 "$data" "/dev/$CW_B/snap" || die "the grown snapshot lost the old data"
	cw_both 0 lvremove -y @VG@/lv
}

# A COW store that overflows: the kernel invalidates the snapshot; both report it the same
# (attr S/I), and it is removed as any other
testcase_lvtypes_cow_overflow() {
	cw_vgs
	cw_both 0 lvcreate -q -n lv -L 40m @VG@
	cw_both 0 lvcreate -s -n snap -L 4m @VG@/lv
	for v in "$CW_A" "$CW_B"; do
		dd if=/dev/urandom of="/dev/$v/lv" bs=1M count=8 oflag=direct status=none || die "dd $v/lv"
	done
	dmsetup status "$CW_B-snap" | grep -q Invalid || die "thinbox's snapshot was not invalidated: $(dmsetup status "$CW_B-snap")"
	local a b
	a=$("$LVM2_BIN" lvs -a -o lv_name,lv_attr,snap_percent,data_percent,lv_snapshot_invalid "$CW_B" 2>&1)
	b=$("$TB" lvs -a -o lv_name,lv_attr,snap_percent,data_percent,lv_snapshot_invalid "$CW_B" 2>&1)
	assert_eq "$a" "$b" "thinbox's report of an invalid snapshot (lvm2's first)"
	cw_both 0 lvremove -y @VG@/snap
	cw_same_dm "the invalid snapshot removed"
	cw_same_md "the invalid snapshot removed"
}
