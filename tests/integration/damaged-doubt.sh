# shellcheck shell=bash
# Damaged disks (issue 11), PVs in doubt and half-done writes: each case is first run by lvm2
# 2.03.16 on the same loop device (the oracle: its rc and report), then by thinbox; every
# refused command leaves every disk byte-identical (dmg_sums of the devices before and after
# each command). docs/damaged-disks.md lists the cases with what lvm2 and thinbox do.
# shellcheck source=tests/integration/damaged-lib.bash
. "$TB_TOP/tests/integration/damaged-lib.bash"

testcase_damaged_mda_header_checksum() {
	local d
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	# two bytes of the mda header's checksum (issue 11's first table)
	printf 'XX' | dd of="$d" bs=1 seek=4096 conv=notrunc status=none
	dmg_in_doubt_common "$d" "WARNING: wrong checksum [0-9a-f]+ in mda header on $d at 4096"
}

testcase_damaged_text_checksum() {
	local d off
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	off=$(dmg_text_off "$d")
	printf 'Q' | dd of="$d" bs=1 seek=$((off + 60)) conv=notrunc status=none
	dmg_in_doubt_common "$d" "WARNING: Checksum error on $d at offset $off"
}

testcase_damaged_text_unparseable() {
	local d t
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	# a truncated text with valid checksums: only parsing can tell
	t=$TB_TMP/text
	$DMG_EDIT text "$d" | head -c 300 >"$t"
	$DMG_EDIT settext "$d" "$t" || die "settext"
	dmg_in_doubt_common "$d" "WARNING: .*metadata.* on $d"
}

testcase_damaged_used_flag_without_vg() {
	local d s
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	# the mda header says "no metadata" (both slots empty, checksum valid) while the PV
	# header keeps PV_EXT_USED: a vgremove cut short between the two writes
	local mh=$TB_TMP/mh
	dd if="$d" of="$mh" bs=512 skip=8 count=1 status=none
	perl -e 'open(F, "+<:raw", $ARGV[0]) or die; sysread(F, $h, 512); substr($h, 40, 48) = "\0" x 48;
		sub c { my ($c, $b) = @_; for (unpack("C*", $b)) { $c ^= $_; for (1..8) { $c = $c & 1 ? ($c >> 1) ^ 0xEDB88320 : $c >> 1 } } $c }
		substr($h, 0, 4) = pack("V", c(0xf597a6cf, substr($h, 4))); sysseek(F, 0, 0); syswrite(F, $h)' "$mh"
	dd if="$mh" of="$d" bs=512 seek=8 count=1 conv=notrunc status=none
	assert_eq "[unknown] u-- $DMG_PVSIZE 0m" "$(dmg_pvrow "$LVM2_BIN" "$d")" "lvm2's pvs row"
	assert_eq "[unknown] u-- $DMG_PVSIZE 0m" "$(dmg_pvrow "$TB" "$d")" "thinbox's pvs row"
	dmg_both_refuse "$d" pvremove "$d" >/dev/null
	dmg_both_refuse "$d" pvcreate "$d" >/dev/null
	dmg_both_refuse "$d" vgcreate tbtn "$d" >/dev/null
}

testcase_damaged_label_mda_past_device_end() {
	local d want out
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	# the PV header's mda size says 1 TiB: lvm2 still reads the VG (the mda header's own
	# size is right), and so must thinbox (it called the disk blank before)
	$DMG_EDIT label-mda-size "$d" 1099511627776 || die "label edit"
	want=$(dmg_pvrow "$LVM2_BIN" "$d")
	assert_match '^tbtd a-- ' "$want" "lvm2 reads the VG"
	assert_eq "$want" "$(dmg_pvrow "$TB" "$d")" "thinbox's pvs row"
	out=$("$TB" pvs "$d" 2>&1 </dev/null)
	assert_match "ends past the device size" "$out" "the warning names the cause"
	# the next commit writes the header back with the area's real size
	out=$(assert_ok "$TB" lvcreate -an -Zn -n lv2 -L 8m tbtd)
	assert_match "Repairing the PV header on $d" "$out" "lvcreate says it repairs"
	lvm_clean vgck tbtd >/dev/null
	assert_eq "lv1 lv2" "$(echo $(lvm_clean lvs --noheadings -o lv_name tbtd))" "LVs"
	assert_ok "$TB" check "$d" >/dev/null
}

# vgremove -f while writes to the second PV fail (dm-flakey error_writes: reads work, writes
# fail): the first PV must keep its in-VG flag, and the VG stays readable from the second
# (lvm2 2.03.16 keeps the flag too). thinbox does not scan dm devices by itself (lvm2's
# scan_lvs = 0 rule), so the test names the devices in $THINBOX_DEVICES.
testcase_damaged_vgremove_write_fails_on_second_pv() {
	local d1 d2 sz out flk=tbtflk
	d1=$(tb_disk 64M)
	d2=$(tb_disk 64M)
	sz=$(blockdev --getsz "$d2")
	dmsetup create $flk --table "0 $sz linear $d2 0" || die "dmsetup create"
	export THINBOX_DEVICES="$d1:/dev/mapper/$flk"
	assert_ok "$TB" pvcreate "$d1" /dev/mapper/$flk >/dev/null
	assert_ok "$TB" vgcreate tbtr "$d1" /dev/mapper/$flk >/dev/null
	assert_ok "$TB" lvcreate -an -Zn -n lv1 -L 8m tbtr >/dev/null
	dmsetup suspend $flk && dmsetup load $flk --table "0 $sz flakey $d2 0 0 1 1 error_writes" &&
		dmsetup resume $flk || die "flakey table"
	out=$(assert_fails 5 "$TB" vgremove -f tbtr)
	dmsetup suspend $flk && dmsetup load $flk --table "0 $sz linear $d2 0" &&
		dmsetup resume $flk || die "linear table again"
	out=$(assert_ok "$TB" check "$d1")
	assert_match 'in a VG' "$out" "the first PV keeps PV_EXT_USED"
	# lvm2 still finds the VG (on the second PV's metadata) with both PVs and lv1
	out=$("$LVM2_BIN" pvs --noheadings -o pv_name,vg_name 2>/dev/null | awk '{$1 = $1; print}')
	assert_match "^$d1 tbtr$" "$out" "lvm2 sees the first PV in tbtr"
	assert_eq "lv1" "$("$LVM2_BIN" lvs --noheadings -o lv_name tbtr 2>/dev/null | tr -d ' ')" "lv1"
	# thinbox never calls the first PV free either
	out=$(assert_ok "$TB" pvs --noheadings -o pv_name,vg_name,pv_attr)
	[ -z "$(echo "$out" | awk -v d="$d1" '$1 == d && $2 == "---"')" ] || die "PV free: $out"
	assert_ok "$TB" vgremove -f tbtr >/dev/null
	unset THINBOX_DEVICES
	# (lvm2 would see $d2 and the dm device over it as duplicates: remove that first)
	dmsetup remove $flk
	out=$(lvm_clean pvs --noheadings -o pv_name,vg_name "$d1" | awk '{$1 = $1; print}')
	assert_eq "$d1" "$out" "the first PV is free after the vgremove that worked"
}

testcase_damaged_vgcreate_extent_too_big() {
	local d s out
	d=$(tb_disk 300M)
	# lvm2 2.03.16 makes the VG with a PV of no extent at all (measured: rc 0, 0 extents);
	# thinbox refuses a VG that can hold nothing, and writes nothing (docs/lvm2-differences.md)
	s=$(dmg_sums "$d")
	out=$(assert_fails 5 "$TB" vgcreate -s 1G tbtz "$d")
	assert_match '(room for no extent|extent size)' "$out" "vgcreate names the cause"
	assert_eq "$s" "$(dmg_sums "$d")" "disk after the refused vgcreate"
	assert_eq "" "$("$LVM2_BIN" pvs --noheadings -o pv_name "$d" 2>/dev/null)" "no PV label"
	# what lvm2 does with the same command on the same blank disk (docs/lvm2-differences.md)
	out=$("$LVM2_BIN" vgcreate -s 1G tbtz "$d" 2>&1 </dev/null) || die "lvm2 vgcreate -s 1G: $out"
	assert_eq "0" "$(lvm_clean vgs --noheadings -o vg_extent_count tbtz | tr -d ' ')" \
		"lvm2's VG has no extent"
}
