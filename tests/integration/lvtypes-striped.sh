# shellcheck shell=bash
# Striped LVs (lvcreate -i N [-I SIZE], --type striped --stripes N, lvextend of a striped LV):
# the same command run by real lvm2 2.03.16 on one VG and by thinbox on an equivalent one
# (three PVs each), judged by lvm2: exit codes and messages, the segments lvm2 reads back
# (segtype, #Str, Stripe, devices with PV areas), vgck, data through the striped table, and
# activation across the two (lvm2 activates what thinbox made and the reverse, same table).

# shellcheck source=tests/integration/lvtypes-lib.bash
. "$TB_TOP/tests/integration/lvtypes-lib.bash"

# ---- csi-driver-lvm (metal-stack/csi-driver-lvm pkg/lvm/lvm.go) ----
testcase_lvtypes_striped_csi_driver_lvm() {
	local n data tbl
	st_vgs 256M
	# pvCount: vgs VG --noheadings -o pv_count (the number of stripes CreateLVS asks for)
	n=$("$TB" vgs "$ST_B" --noheadings -o pv_count | tr -d ' ')
	assert_eq "$(lvm_clean vgs "$ST_B" --noheadings -o pv_count | tr -d ' ')" "$n" "pv_count"
	# CreateLVS, lvmType "striped"
	LOOSE=1 st_both 0 lvcreate -v -n pvc-1 -W y -L 33554432b --type striped --stripes "$n" \
		--add-tag lv.metal-stack.io/csi-lvm @VG@
	st_same_segs "CreateLVS striped"
	st_same_report
	# data through thinbox's striped table reads back after lvm2 re-activates the LV
	data=$TB_TMP/data
	head -c 33554432 /dev/urandom >"$data"
	dd if="$data" of="/dev/$ST_B/pvc-1" bs=1M oflag=direct status=none || die "dd to striped LV"
	tbl=$(dmsetup table "$ST_B-pvc--1" | st_norm B)
	assert_match "^0 73728 striped 3 128 " "$tbl" "thinbox's table (8 extents rounded up to 9)"
	lvm_clean lvchange -an "$ST_B/pvc-1" >/dev/null
	lvm_clean lvchange -ay "$ST_B/pvc-1" >/dev/null
	assert_eq "$tbl" "$(dmsetup table "$ST_B-pvc--1" | st_norm B)" "lvm2's table of thinbox's LV"
	cmp -n 33554432 "$data" "/dev/$ST_B/pvc-1" || die "data read back through lvm2's table differs"
	# thinbox deactivates and activates what lvm2 made, with lvm2's table
	tbl=$(dmsetup table "$ST_A-pvc--1" | st_norm A)
	"$TB" lvchange -an "$ST_A/pvc-1" || die "thinbox lvchange -an of lvm2's striped LV"
	"$TB" lvchange -ay "$ST_A/pvc-1" || die "thinbox lvchange -ay of lvm2's striped LV"
	assert_eq "$tbl" "$(dmsetup table "$ST_A-pvc--1" | st_norm A)" "thinbox's table of lvm2's LV"
	# extendLVS: lvextend -L Nb (the geometry is kept: 3 stripes of 64 KiB)
	st_both 0 lvextend -L 67108864b @VG@/pvc-1
	st_same_segs "lvextend of a striped LV"
	cmp -n 33554432 "$data" "/dev/$ST_B/pvc-1" || die "data after lvextend differs"
	assert_match "^0 147456 striped 3 128 " "$(dmsetup table "$ST_B-pvc--1")" "table after lvextend (18 extents)"
	# another LV between, then an extension that cannot continue in place
	st_both 0 lvcreate -q -n other -L 8m @VG@
	st_both 0 lvextend -L +20m @VG@/pvc-1
	st_same_segs "lvextend after another LV"
	st_same_report
	# RemoveLVS: lvremove -f
	st_both 0 lvremove -f @VG@/pvc-1
	st_same_segs "lvremove"
}

# lvm2's short forms, its notes and its refusals (measured against lvm2 2.03.16)
testcase_lvtypes_striped_options() {
	st_vgs 64M
	# -i -I, size not a multiple of the stripes: rounded up, with lvm2's note
	st_both 0 lvcreate -i 2 -I 8 -L 12m -n s2 @VG@
	# default stripe size note
	st_both 0 lvcreate -i 3 -L 12m -n s3 @VG@
	# a stripe size above the extent size is reduced to it
	st_both 0 lvcreate -i 2 -I 8m -L 8m -n big @VG@
	st_same_segs "striped LVs with -i/-I"
	st_same_report
	# -i 1 with -I: ignored, a linear LV
	# (on PV1 by name: with free space on several PVs the linear allocator may pick another
	# PV than lvm2 does, docs/lvm2-differences.md; the PV1 check below needs the same one)
	st_both 0 lvcreate -i 1 -I 64 -L 4m -n one @VG@ @PV1@
	# refusals: more stripes than PVs, bad stripe sizes and counts, linear type with stripes
	st_both 5 lvcreate -i 4 -L 12m -n four @VG@
	st_both 3 lvcreate -i 2 -I 3 -L 8m -n odd @VG@
	st_both 3 lvcreate -i 2 -I 2 -L 8m -n small @VG@
	st_both 3 lvcreate -i 0 -L 8m -n zero @VG@
	st_both 3 lvcreate -i 129 -L 8m -n many @VG@
	st_both 3 lvcreate --type linear -i 2 -L 8m -n lin @VG@
	# PV 1 full: three stripes have only two PVs with room
	local left
	left=$(lvm_clean pvs --noheadings -o pv_pe_count,pv_pe_alloc_count "$ST_A1" | awk '{print $1 - $2}')
	assert_eq "$left" "$(lvm_clean pvs --noheadings -o pv_pe_count,pv_pe_alloc_count "$ST_B1" |
		awk '{print $1 - $2}')" "PV1 free"
	st_both 0 lvcreate -q -n fill -l "$left" @VG@ @PV1@
	st_both 5 lvcreate -i 3 -L 12m -n three @VG@
	# two PVs given: -i 3 is more stripes than PVs
	st_both 5 lvcreate -i 2 -L 8m -n given @VG@ @PV1@
	st_same_segs "after the refusals"
	# striped thin pools: tests/integration/lvtypes-stripedpool.sh
}
