# shellcheck shell=bash
# Damaged disks (issue 11): pvck --repair (lvm2 2.03.16 tools/pvck.c: --repair is
# --repairtype pv_header then metadata) gives a PV whose label/PV header and mda header were
# wiped its headers back, from a vgcfgbackup file (-f) or, thinbox only, from the newest copy
# still in the metadata area; refused with nothing written when that is not certain. lvm2
# judges every result (vgck, lvs, pvck); refused commands leave the disks byte-identical.
# shellcheck source=tests/integration/damaged-lib.bash
# vm-sample: 1
. "$TB_TOP/tests/integration/damaged-lib.bash"

pvk_wipe_headers() { # DEV: zero the label sector (1) and the first mda header (at 4096)
	dd if=/dev/zero of="$1" bs=512 seek=1 count=1 conv=notrunc status=none &&
		dd if=/dev/zero of="$1" bs=512 seek=8 count=1 conv=notrunc status=none ||
		die "wipe headers of $1"
}
pvk_sector1() { dd if="$1" bs=512 skip=1 count=1 status=none | sha256sum; }
pvk_img() { losetup -n -O BACK-FILE "$1" | tr -d ' '; }

# lvm2 sees nothing on the wiped PV; thinbox's repair from the ring gives it back with the
# very PV header lvm2 wrote, and lvm2 reads the VG clean.
testcase_damaged_pvck_repair_from_ring() {
	local d s1 out
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtk
	"$LVM2_BIN" lvcreate -q -an -Zn -n lv2 -L 8m tbtk >/dev/null 2>&1 || die "lvm2 lvcreate lv2"
	s1=$(pvk_sector1 "$d")
	pvk_wipe_headers "$d"
	assert_eq "" "$("$LVM2_BIN" pvs --noheadings -o pv_name "$d" 2>/dev/null)" "lvm2: no PV"
	out=$(assert_ok "$TB" pvck --repair -y "$d")
	assert_match "Found metadata of VG tbtk seqno 3 at" "$out" "the newest copy is used"
	assert_eq "$s1" "$(pvk_sector1 "$d")" "label sector as lvm2 wrote it"
	lvm_clean vgck tbtk >/dev/null
	lvm_clean pvck "$d" >/dev/null
	assert_eq "lv1 lv2" "$(echo $(lvm_clean lvs --noheadings -o lv_name tbtk))" "LVs"
	assert_ok "$TB" check "$d" >/dev/null
}

# From a vgcfgbackup file: lvm2's own pvck --repair -f and thinbox's, each on the same
# damaged image, write the same label sector and both leave a VG lvm2 reads clean.
testcase_damaged_pvck_repair_from_backup() {
	local d f img s1 sl st
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtk
	f=$TB_TMP/tbtk.vgcfg
	lvm_clean vgcfgbackup -f "$f" tbtk >/dev/null
	s1=$(pvk_sector1 "$d")
	pvk_wipe_headers "$d"
	img=$(pvk_img "$d")
	cp --sparse=always "$img" "$TB_TMP/damaged.img" || die "cp"
	"$LVM2_BIN" pvck --repair -y -f "$f" "$d" >/dev/null 2>&1 || die "lvm2 pvck --repair -f"
	sl=$(pvk_sector1 "$d")
	lvm_clean vgck tbtk >/dev/null
	# the same damage again, repaired by thinbox this time
	cp --sparse=always "$TB_TMP/damaged.img" "$img" || die "cp back"
	blockdev --flushbufs "$d" 2>/dev/null
	assert_ok "$TB" pvck --repair -y -f "$f" "$d" >/dev/null
	st=$(pvk_sector1 "$d")
	assert_eq "$sl" "$st" "thinbox's label sector = lvm2's"
	assert_eq "$s1" "$st" "label sector as pvcreate wrote it"
	lvm_clean vgck tbtk >/dev/null
	lvm_clean pvck "$d" >/dev/null
	assert_eq "lv1" "$(lvm_clean lvs --noheadings -o lv_name tbtk | tr -d ' ')" "LVs"
}

# Refusals: nothing written, by lvm2 or by thinbox.
testcase_damaged_pvck_repair_refusals() {
	local d e f t out s0
	d=$(tb_disk 64M)
	e=$(tb_disk 64M)
	dmg_vg "$d" tbtk
	dmg_vg "$e" tbte
	f=$TB_TMP/tbte.vgcfg
	lvm_clean vgcfgbackup -f "$f" tbte >/dev/null
	lvm_clean vgcfgbackup -f "$TB_TMP/tbtk.vgcfg" tbtk >/dev/null
	t=$TB_TMP/text
	$DMG_EDIT text "$d" >"$t" || die "text"
	# only the mda header is broken: the PV id its header still has is not in the backup of
	# another VG
	printf 'XX' | dd of="$d" bs=1 seek=4096 conv=notrunc status=none
	dmg_both_refuse_msg "$d $e" "in existing pv_header not found in metadata file" \
		pvck --repair -y -f "$f" "$d" >/dev/null
	# a backup that does not parse (cut inside its PV list)
	awk '/physical_volumes/ {print; print "pv0 {"; print "id ="; exit} {print}' "$f" \
		>"$TB_TMP/bad.vgcfg"
	dmg_both_refuse_msg "$d $e" "Invalid metadata file" \
		pvck --repair -y -f "$TB_TMP/bad.vgcfg" "$d" >/dev/null
	# two different copies with the newest seqno in the ring (the second one written by
	# hand, its lv1 renamed): which one is right cannot be told (thinbox only: lvm2's
	# pvck --repair always needs a file)
	assert_match '^seqno = 2$' "$(grep '^seqno = ' "$t")" "the newest text"
	sed 's/^lv1 {$/lvX {/' "$t" >"$t.2"
	printf '\0' >>"$t.2"
	dd if="$t.2" of="$d" bs=512 seek=$(((4096 + 512 * 40) / 512)) conv=notrunc status=none
	pvk_wipe_headers "$d"
	s0=$(dmg_sums "$d" "$e")
	out=$(assert_fails 5 "$TB" pvck --repair -y "$d")
	assert_match "Two different metadata copies with seqno 2" "$out" "pvck --repair"
	assert_eq "$s0" "$(dmg_sums "$d" "$e")" "disks after the refused repair"
	# with this VG's own backup it is certain again
	assert_ok "$TB" pvck --repair -y -f "$TB_TMP/tbtk.vgcfg" "$d" >/dev/null
	lvm_clean vgck tbtk >/dev/null
	assert_eq "lv1" "$(lvm_clean lvs --noheadings -o lv_name tbtk | tr -d ' ')" "LVs"
	lvm_clean vgck tbte >/dev/null
}
