# shellcheck shell=bash
# raid1 LVs (lvcreate --type raid1 -m N [--nosync] [-R SIZE], lvextend, lvrename, lvremove):
# the same command run by real lvm2 2.03.16 on one VG and by thinbox on an equivalent one, judged
# by lvm2: exit codes and messages, the LVs and segments lvm2 reads back (the sub-LVs
# NAME_rimage_K/NAME_rmeta_K, their PV areas, tags, region size), vgck, the dm-raid tables
# and status, data on both images, and activation across the two (lvm2 activates what thinbox
# made and the reverse, with the same tables). docs/raid1.md.
# shellcheck source=tests/integration/lvtypes-lib.bash
. "$TB_TOP/tests/integration/lvtypes-lib.bash"

RD_SEGF=lv_name,lv_size,segtype,stripes,region_size,seg_start_pe,seg_size,devices,seg_pe_ranges,lv_tags,lv_layout,lv_role

# The device-mapper tables of a VG's devices, names and device numbers normalised (each
# major:minor replaced by the name of the device it is, PV loop devices by PVk).
rd_tables() { # A|B
	local v d m n
	if [ "$1" = A ]; then v=$ST_A; else v=$ST_B; fi
	dmsetup table 2>/dev/null | grep "^$v-" | sort >"$TB_TMP/rd.t"
	# every dm device number -> its name; every PV's number -> its path
	# (no process substitution in the guest: the list goes through a file)
	dmsetup info -c --noheadings -o name,major,minor --separator ' ' 2>/dev/null |
		awk -v p="^$v-" '$1 ~ p {print $1, $2 ":" $3}' >"$TB_TMP/rd.devs"
	while read -r n m; do
		sed -i "s| $m\\b| $n|g" "$TB_TMP/rd.t"
	done <"$TB_TMP/rd.devs"
	for d in $(seq 1 "$ST_N"); do
		eval "n=\$ST_$1$d"
		m=$(lsblk -dno MAJ:MIN "$n" | tr -d ' ')
		sed -i "s| $m\\b| $n|g" "$TB_TMP/rd.t"
	done
	st_norm "$1" <"$TB_TMP/rd.t"
}

# ---- csi-driver-lvm (metal-stack/csi-driver-lvm pkg/lvm/lvm.go) ----
testcase_lvtypes_raid1_csi_driver_lvm() {
	local data ta tb
	st_vgs 256M 2
	ST_SEGF=$RD_SEGF
	# CreateLVS, lvmType "mirror": lvcreate -v -n NAME -W y -L Nb --type raid1 --mirrors 1
	# --nosync --add-tag lv.metal-stack.io/csi-lvm VG
	LOOSE=1 st_both 0 lvcreate -v -n pvc-1 -W y -L 41943040b --type raid1 --mirrors 1 --nosync \
		--add-tag lv.metal-stack.io/csi-lvm @VG@
	st_same_segs "CreateLVS raid1"
	# what lvm2 reports of thinbox's LV, active, equals what it reports of its own
	ST_SEGF=lv_name,lv_attr,lv_size,copy_percent,raid_sync_action,lv_health_status,$RD_SEGF
	st_same_segs "CreateLVS raid1, attributes and sync"
	st_same_report
	# the tables: created with nosync, as lvm2 loads them
	ta=$(rd_tables A) tb=$(rd_tables B)
	assert_eq "$ta" "$tb" "dm tables of the new raid1 LV (lvm2's first)"
	assert_match "VG-pvc--1: 0 81920 raid raid1 4 0 nosync region_size 4096 2 " "$tb" "the raid table"
	# data: written once, on both images
	data=$TB_TMP/data
	head -c 16777216 /dev/urandom >"$data"
	dd if="$data" of="/dev/$ST_B/pvc-1" bs=1M oflag=direct status=none || die "dd to the raid1 LV"
	cmp -n 16777216 "$data" "/dev/mapper/$ST_B-pvc--1_rimage_0" || die "image 0 differs"
	cmp -n 16777216 "$data" "/dev/mapper/$ST_B-pvc--1_rimage_1" || die "image 1 differs"
	# lvm2 re-activates thinbox's LV (its tables, without nosync now); the data reads back
	lvm_clean lvchange -an "$ST_B/pvc-1" >/dev/null
	[ -z "$(dmsetup ls | grep "^$ST_B-")" ] || die "lvm2 left devices of thinbox's LV: $(dmsetup ls)"
	lvm_clean lvchange -ay "$ST_B/pvc-1" >/dev/null
	tb=$(rd_tables B)
	assert_match "VG-pvc--1: 0 81920 raid raid1 3 0 region_size 4096 2 " "$tb" "lvm2's table of thinbox's LV"
	cmp -n 16777216 "$data" "/dev/$ST_B/pvc-1" || die "data read back through lvm2's table differs"
	# thinbox deactivates and activates what lvm2 made, with lvm2's tables
	"$TB" lvchange -an "$ST_A/pvc-1" || die "thinbox lvchange -an of lvm2's raid1 LV"
	[ -z "$(dmsetup ls | grep "^$ST_A-")" ] || die "thinbox left devices of lvm2's LV: $(dmsetup ls)"
	"$TB" lvchange -ay "$ST_A/pvc-1" || die "thinbox lvchange -ay of lvm2's raid1 LV"
	ta=$(rd_tables A)
	assert_eq "$ta" "$tb" "thinbox's tables of lvm2's raid1 LV"
	# extendLVS: lvextend -L Nb (every image grows on its own PV; the extension of a NOTSYNCED
	# LV is loaded with nosync)
	ST_SEGF=$RD_SEGF
	st_both 0 lvextend -L 67108864b @VG@/pvc-1
	st_same_segs "lvextend of a raid1 LV"
	assert_eq "$(rd_tables A)" "$(rd_tables B)" "tables after lvextend"
	cmp -n 16777216 "$data" "/dev/$ST_B/pvc-1" || die "data after lvextend differs"
	# RemoveLVS: lvremove -f
	st_both 0 lvremove -f @VG@/pvc-1
	st_same_segs "lvremove"
	[ -z "$(dmsetup ls | grep "^$ST_B-")" ] || die "devices left after lvremove: $(dmsetup ls)"
}

# lvm2's forms, notes and refusals (measured against lvm2 2.03.16: tests/vm/measure-raid1-lvm2.sh)
testcase_lvtypes_raid1_options() {
	st_vgs 128M 3
	ST_SEGF=$RD_SEGF
	# -m 1 alone is raid1; -R sets the region size; named PVs
	st_both 0 lvcreate -q -n r1 -L 8m -m 1 --nosync -R 1m @VG@ @PV2@ @PV3@
	# refusals: more images than PVs, one PV named, stripes, a bad region size
	st_both 5 lvcreate -n r2 -L 8m --type raid1 -m 3 --nosync @VG@
	st_both 5 lvcreate -n r2 -L 8m --type raid1 -m 1 --nosync @VG@ @PV1@
	st_both 3 lvcreate -n r2 -L 8m --type raid1 -m 1 -i 2 @VG@
	# inactive: not zeroed (lvm2 warns even without -Z y)
	st_both 0 lvcreate -n r3 -L 8m --type raid1 -m 1 --nosync -an @VG@
	st_same_segs "raid1 LVs with -m, -R, named PVs, -an"
	# live rename: every sub-LV and device follows
	st_both 0 lvrename @VG@ r1 r1b
	assert_eq "$(dmsetup ls | grep "^$ST_A-" | awk '{print $1}' | st_norm A)" \
		"$(dmsetup ls | grep "^$ST_B-" | awk '{print $1}' | st_norm B)" "devices after lvrename"
	# the whole VG off and on; the synced LV's first activation syncs (its attr is not compared:
	# it changes with the kernel's progress)
	st_both 0 vgchange -an @VG@
	[ -z "$(dmsetup ls | grep "^$ST_B-")" ] || die "devices left after vgchange -an: $(dmsetup ls)"
	st_both 0 vgchange -ay @VG@
	assert_eq "$(rd_tables A)" "$(rd_tables B)" "tables after vgchange -ay"
	# an internal LV is not changed by name (lvm2's messages)
	local before
	before=$(lvm_clean vgs --noheadings -o vg_seqno "$ST_B")
	st_both 5 lvremove -f @VG@/r1b_rimage_0
	st_both 5 lvrename @VG@ r1b_rimage_0 r9
	st_both 5 lvrename @VG@ r1b_rmeta_1 r9
	# an inactive NOTSYNCED LV cannot be extended (lvm2 asks for a full resync, answered no)
	st_both 0 lvchange -an @VG@/r3
	LOOSE=1 st_both 5 lvextend -L +4m @VG@/r3
	assert_match "Unable to read sync percent while LV $ST_B/r3 is not locally active" \
		"$(cat "$TB_TMP/st.b.err")" "lvextend of inactive r3"
	assert_eq "$before" "$(lvm_clean vgs --noheadings -o vg_seqno "$ST_B")" "refused commands"
	st_same_segs "after the refusals"
	st_both 0 vgremove -f @VG@
}
