# shellcheck shell=bash
# Old-style (COW) snapshots, the operations after creation (docs/cow-snapshots.md): lvrename of
# an active origin and of an active snapshot (renamed live with their -real/-cow devices),
# lvremove of an active snapshot (lvm2's prompt, -f/-y), lvresize/lvextend of an origin that
# has snapshots (refused while active, extended while inactive) and of a snapshot with
# N%ORIGIN. The same command run by real lvm2 2.03.16 on one VG and by thinbox on an
# equivalent one (one 256 MiB PV each), judged by lvm2: exit codes and messages, the metadata
# lvm2 writes back, the device-mapper tables (normalised), vgck, the data, and each tool
# taking over the other's result.
# vm-sample: 2
# shellcheck source=tests/integration/lvtypes-lib.bash
. "$TB_TOP/tests/integration/lvtypes-lib.bash"

# The VG's dm devices: name, table, attr, open count, uuid; device numbers replaced by device
# names (the PV by PV1), the VG's and LVs' ids by their names, /dev/VG's links listed.
c2_dm() { # A|B
	local v pv s n d u id
	if [ "$1" = A ]; then v=$ST_A pv=$ST_A1; else v=$ST_B pv=$ST_B1; fi
	s="s/\\b$((0x$(stat -c %t "$pv"))):$((0x$(stat -c %T "$pv")))\\b/PV1/g;"
	dmsetup info -c --noheadings --separator ' ' -o name,major,minor 2>/dev/null |
		awk -v v="$v-" 'index($1, v) == 1 { print $1, $2 ":" $3 }' >"$TB_TMP/c2.devs"
	while read -r n d; do
		[ -n "$n" ] && s="$s s/\\b$d\\b/$n/g;"
	done <"$TB_TMP/c2.devs"
	u=$("$LVM2_BIN" vgs --noheadings -o vg_uuid "$v" | tr -d ' -')
	s="$s s/$u/<VG>/g;"
	"$LVM2_BIN" lvs -a --noheadings -o lv_name,lv_uuid "$v" | tr -d '[]' >"$TB_TMP/c2.ids"
	while read -r n id; do
		[ -n "$n" ] && s="$s s/<VG>${id//-/}/<VG><$n>/g;"
	done <"$TB_TMP/c2.ids"
	for d in $(dmsetup ls | awk '{print $1}' | grep "^$v-" | sort); do
		printf '%s | %s | %s\n' "$d" "$(dmsetup table "$d" | tr '\n' ';')" \
			"$(dmsetup info -c --noheadings -o attr,open,uuid "$d")"
	done | sed -e "$s" | sed -e "s/$v/VG/g"
	echo "links: $(cd "/dev/$v" 2>/dev/null && echo *)"
}
c2_same_dm() { # what
	c2_dm A >"$TB_TMP/c2.dm.a"
	c2_dm B >"$TB_TMP/c2.dm.b"
	cmp -s "$TB_TMP/c2.dm.a" "$TB_TMP/c2.dm.b" ||
		die "$1: different devices: lvm2's: $(cat "$TB_TMP/c2.dm.a") thinbox's: $(cat "$TB_TMP/c2.dm.b")"
}
# The metadata as lvm2 writes it back (vgcfgbackup), without ids, times and hosts; vgck clean.
c2_md() { # A|B
	local v
	if [ "$1" = A ]; then v=$ST_A; else v=$ST_B; fi
	"$LVM2_BIN" vgcfgbackup -q -f "$TB_TMP/c2.md.$1" "$v" >/dev/null 2>&1 || die "vgcfgbackup $v"
	sed -n '/logical_volumes {/,$p' "$TB_TMP/c2.md.$1" |
		grep -v -E '^\s*(id|creation_time|creation_host) = ' | sed -e "s/$v/VG/g"
}
c2_same_md() { # what
	c2_md A >"$TB_TMP/c2.md.a"
	c2_md B >"$TB_TMP/c2.md.b"
	cmp -s "$TB_TMP/c2.md.a" "$TB_TMP/c2.md.b" ||
		die "$1: different metadata: lvm2's: $(cat "$TB_TMP/c2.md.a") thinbox's: $(cat "$TB_TMP/c2.md.b")"
	lvm_clean vgck "$ST_A" >/dev/null
	lvm_clean vgck "$ST_B" >/dev/null
}
C2_F=lv_name,lv_attr,lv_size,origin,origin_size,chunk_size,lv_role
# lvm2's report of both VGs equal; thinbox's report of its VG equal to lvm2's of it.
c2_same_report() { # what
	local a b
	a=$(lvm_clean lvs -a --units b -o "$C2_F" "$ST_A" | st_norm A)
	b=$(lvm_clean lvs -a --units b -o "$C2_F" "$ST_B" | st_norm B)
	assert_eq "$a" "$b" "$1: lvm2's lvs of lvm2's and of thinbox's VG"
	a=$(lvm_clean lvs -a --units b -o "$C2_F" "$ST_B")
	b=$("$TB" lvs -a --units b -o "$C2_F" "$ST_B" 2>&1) || die "thinbox lvs: $b"
	assert_eq "$a" "$b" "$1: thinbox's lvs of its VG (lvm2's first)"
}
# An origin LV (40 MiB) with DATA written, on both VGs.
c2_origin() { # data
	st_vgs 256M 1
	st_both 0 lvcreate -q -n lv -L 40m @VG@
	head -c 2097152 /dev/urandom >"$1"
	for v in "$ST_A" "$ST_B"; do
		dd if="$1" of="/dev/$v/lv" bs=1M oflag=direct status=none || die "dd to $v/lv"
	done
}
# The origin's first MiB overwritten with zeros on both VGs.
c2_overwrite() { # LV
	for v in "$ST_A" "$ST_B"; do
		dd if=/dev/zero of="/dev/$v/$1" bs=1M count=1 oflag=direct status=none || die "dd $v/$1"
	done
}
c2_reads() { # what file dev
	cmp -n 2097152 "$2" "$3" || die "$1: $3 does not read the data it should"
}

# ---- lvrename of an active origin and of active snapshots: renamed live ----
# Incus (lxc/incus internal/server/storage/drivers/driver_lvm_volumes.go RenameVolume,
# RenameVolumeSnapshot; driver_lvm_utils.go renameLogicalVolume): lvrename /dev/VG/OLD
# /dev/VG/NEW, for each snapshot of a volume and then the volume; Incus' snapshots of non-thin
# volumes are COW snapshots (createLogicalVolumeSnapshot: -s --setactivationskip y
# -l 100%ORIGIN -pr).
testcase_lvtypes_cow2_rename() {
	local data=$TB_TMP/c2.data old=$TB_TMP/c2.old
	c2_origin "$data"
	st_both 0 lvcreate -n lv-snap0 -s /dev/@VG@/lv --setactivationskip y -l 100%ORIGIN -pr
	st_both 0 lvcreate -s -n s1 -L 8m @VG@/lv
	c2_overwrite lv
	head -c 1048576 /dev/zero >"$old" && tail -c +1048577 "$data" >>"$old"
	c2_same_dm "two snapshots"
	# RenameVolumeSnapshot, then RenameVolume: the snapshots first, then the origin
	st_both 0 lvrename /dev/@VG@/lv-snap0 /dev/@VG@/lv2-snap0
	c2_same_dm "lvrename of an active snapshot"
	st_both 0 lvrename /dev/@VG@/lv /dev/@VG@/lv2
	c2_same_dm "lvrename of an active origin"
	c2_same_md "the renamed origin and snapshot"
	c2_same_report "the renamed origin and snapshot"
	# the other spellings: VG OLD NEW (pve-storage LVMPlugin.pm lvrename), VG/OLD VG/NEW
	st_both 0 lvrename @VG@ s1 s1b
	st_both 0 lvrename @VG@/s1b @VG@/s1
	c2_same_dm "lvrename VG OLD NEW of a snapshot"
	c2_same_md "lvrename VG OLD NEW of a snapshot"
	c2_reads "the renamed origin" "$old" "/dev/$ST_B/lv2"
	c2_reads "the renamed snapshot" "$data" "/dev/$ST_B/lv2-snap0"
	c2_reads "the other snapshot" "$data" "/dev/$ST_B/s1"
	# lvm2 takes over thinbox's renamed devices, and thinbox renames lvm2's
	lvm_clean vgchange -an "$ST_B" >/dev/null
	assert_eq "" "$(dmsetup ls | grep "^$ST_B-" || true)" "lvm2 vgchange -an of thinbox's renamed VG"
	lvm_clean vgchange -ay "$ST_B" >/dev/null
	c2_same_dm "lvm2's activation of thinbox's renamed VG"
	c2_reads "lvm2's snapshot of thinbox's VG" "$data" "/dev/$ST_B/lv2-snap0"
	assert_ok "$TB" lvrename "$ST_A/lv2" "$ST_A/lv" >/dev/null
	assert_ok "$TB" lvrename "$ST_A/s1" "$ST_A/s2" >/dev/null
	lvm_clean lvrename "$ST_B/lv2" "$ST_B/lv" >/dev/null
	lvm_clean lvrename "$ST_B/s1" "$ST_B/s2" >/dev/null
	c2_same_dm "each renamed the other's"
	c2_same_md "each renamed the other's"
	c2_reads "lvm2's origin renamed by thinbox" "$old" "/dev/$ST_A/lv"
	c2_reads "lvm2's snapshot renamed by thinbox" "$data" "/dev/$ST_A/s2"
	# a taken name changes nothing
	st_both 5 lvrename @VG@/s2 @VG@/lv
	c2_same_dm "a refused rename"
	st_both 0 lvremove -y @VG@/lv
	c2_same_dm "all removed"
}

# ---- resizing an origin that has snapshots, and a snapshot with N%ORIGIN ----
# OpenEBS (lvm_util.go ResizeLVMVolume, buildVolumeResizeArgs): lvextend /dev/VG/LV -L Nb [-r];
# Incus (driver_lvm_volumes.go SetVolumeQuota, driver_lvm_utils.go resizeLogicalVolume):
# lvresize -L Nb -f /dev/VG/LV; Incus RestoreVolume (non-thin pools): lvresize -l +100%ORIGIN
# -f /dev/VG/SNAP when snapshotNeedsCoWGrow (lv_size <= origin_size).
testcase_lvtypes_cow2_resize() {
	local data=$TB_TMP/c2.data old=$TB_TMP/c2.old
	c2_origin "$data"
	st_both 0 lvcreate -s -n s1 -L 8m @VG@/lv
	st_both 0 lvcreate -n s2 -s /dev/@VG@/lv --setactivationskip y -l 100%ORIGIN -pr
	c2_overwrite lv
	head -c 1048576 /dev/zero >"$old" && tail -c +1048577 "$data" >>"$old"
	# active origin: refused with lvm2's message, nothing changed
	st_both 5 lvresize -L 50331648b -f /dev/@VG@/lv
	st_both 5 lvextend /dev/@VG@/lv -L 50331648b
	c2_same_dm "a refused resize of an active origin"
	c2_same_md "a refused resize of an active origin"
	# RestoreVolume: the snapshot's COW store grown to the most it can use
	st_both 0 lvs --noheadings --nosuffix --units b -o lv_size,origin_size /dev/@VG@/s1
	st_both 0 lvresize -l +100%ORIGIN -f /dev/@VG@/s1
	st_both 0 lvs --noheadings --nosuffix --units b -o lv_size,origin_size /dev/@VG@/s1
	st_both any lvresize -l +100%ORIGIN -f /dev/@VG@/s2
	c2_same_dm "COW stores grown by N%ORIGIN"
	c2_same_md "COW stores grown by N%ORIGIN"
	c2_reads "the grown snapshot" "$data" "/dev/$ST_B/s1"
	# inactive origin: extended; its snapshots keep the length the origin had
	st_both 0 lvchange -an @VG@/lv
	st_both 0 lvresize -L 50331648b -f /dev/@VG@/lv
	st_both 0 lvextend -L +4m @VG@/lv
	c2_same_md "the inactive origin extended"
	st_both 0 lvchange -ay @VG@/lv
	c2_same_dm "the extended origin with its snapshots"
	c2_same_report "the extended origin with its snapshots"
	c2_reads "the extended origin" "$old" "/dev/$ST_B/lv"
	c2_reads "a snapshot of the extended origin" "$data" "/dev/$ST_B/s1"
	c2_reads "the other snapshot" "$data" "/dev/$ST_B/s2"
	# a new snapshot has the new length
	st_both 0 lvcreate -s -n s3 -L 8m @VG@/lv
	c2_same_dm "a snapshot of the extended origin"
	c2_same_md "a snapshot of the extended origin"
	# each tool activates the other's extended origin with the same tables
	lvm_clean vgchange -an "$ST_B" >/dev/null
	lvm_clean vgchange -ay "$ST_B" >/dev/null
	assert_ok "$TB" vgchange -an "$ST_A" >/dev/null
	assert_ok "$TB" vgchange -ay "$ST_A" >/dev/null
	c2_same_dm "each activated the other's"
	c2_reads "lvm2's origin activated by thinbox" "$old" "/dev/$ST_A/lv"
	c2_reads "lvm2's snapshot activated by thinbox" "$data" "/dev/$ST_A/s2"
	st_both 0 lvremove -y @VG@/lv
	c2_same_md "all removed"
}

# ---- lvremove of an active snapshot: lvm2's prompt; -f and -y remove at once ----
# OpenEBS (openebs/lvm-localpv pkg/lvm/lvm_util.go DestroySnapshot, buildLVMSnapDestroyArgs):
# lvremove -y /dev/VG/SNAP; Incus (driver_lvm_volumes.go DeleteVolumeSnapshot,
# driver_lvm_utils.go removeLogicalVolume): lvremove -f /dev/VG/SNAP.
testcase_lvtypes_cow2_remove() {
	local data=$TB_TMP/c2.data
	c2_origin "$data"
	st_both 0 lvcreate -s -n s1 -L 8m @VG@/lv
	st_both 0 lvcreate -s -n s2 -L 8m -pr @VG@/lv
	st_both 0 lvcreate -s -n s3 -L 8m @VG@/lv
	st_both 5 lvremove @VG@/s1
	c2_same_dm "lvremove of an active snapshot, not confirmed"
	c2_same_md "lvremove of an active snapshot, not confirmed"
	st_both 0 lvremove -f /dev/@VG@/s1
	c2_same_dm "lvremove -f of an active snapshot"
	st_both 0 lvremove -y /dev/@VG@/s2
	c2_same_dm "lvremove -y of an active snapshot"
	c2_same_md "lvremove -y of an active snapshot"
	c2_reads "the origin" "$data" "/dev/$ST_B/lv"
	c2_reads "the snapshot left" "$data" "/dev/$ST_B/s3"
	# inactive: no prompt
	st_both 0 lvchange -an @VG@/lv
	st_both 0 lvremove @VG@/s3
	c2_same_md "lvremove of an inactive snapshot"
	st_both 0 lvchange -ay @VG@/lv
	c2_same_dm "the origin without snapshots"
	c2_reads "the origin" "$data" "/dev/$ST_B/lv"
}
