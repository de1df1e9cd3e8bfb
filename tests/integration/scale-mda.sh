# The metadata area that grows (issue 13): `pvchange --metadatasize SIZE PV`, a thinbox
# extension, adds or enlarges a PV's metadata area at the device end (lvm2's mda1 layout) out
# of free end extents; lvm2 reads the VG afterwards, writes metadata larger than the first
# area could hold, and changes it; thinbox reads lvm2's change. Refused cleanly (the disk
# byte for byte unchanged) when an LV holds the extents the area needs.

MDA_VG=${TB_PREFIX}mda

mda_pv_fields() { # DEV: mda count, mdas in use, PE count, as lvm2 reads them
	lvm_clean pvs --noheadings -o pv_mda_count,pv_mda_used_count,pv_pe_count "$1" | xargs
}

# N one-extent LVs lv1..lvN written by lvm2 (vgcfgrestore of generated text, as bench/scale)
mda_restore_lvs() {
	local n=$1
	lvm_clean vgcfgbackup -f "$TB_TMP/mda-empty.vg" "$MDA_VG" >/dev/null
	awk -v n="$n" -f "$TB_TOP/bench/scale-gen.awk" "$TB_TMP/mda-empty.vg" >"$TB_TMP/mda.vg" ||
		die "scale-gen.awk"
	"$LVM2_BIN" vgcfgrestore -f "$TB_TMP/mda.vg" "$MDA_VG" >/dev/null 2>"$TB_TMP/mda.err" ||
		die "lvm2 vgcfgrestore of $n LVs: $(cat "$TB_TMP/mda.err")"
}

testcase_scale_mda_grow_lvm2_writes_more_than_first_area() {
	local d out text
	d=$(tb_disk 2G) || exit 1
	# a first area of 124 KiB: at most ~62 KB of text (lvm2's half-area rule)
	lvm_clean pvcreate --metadatasize 64k --dataalignment 64k "$d" >/dev/null
	lvm_clean vgcreate -s 4m "$MDA_VG" "$d" >/dev/null
	assert_eq "1 1 511" "$(mda_pv_fields "$d")" "PV before"
	out=$(assert_ok "$TB" pvchange --metadatasize 8m "$d")
	assert_match 'metadata area of 8 MiB at its end; its first one is now set to metadataignore' \
		"$out" "pvchange message"
	# lvm2: two areas, the first ignored; the data area ends before the new one
	assert_eq "2 1 509" "$(mda_pv_fields "$d")" "PV after"
	lvm_clean vgck "$MDA_VG" >/dev/null
	# thinbox reports the areas as lvm2 does (the ignored one: no free space; the VG's
	# figures over the areas in use)
	local f=pv_mda_count,pv_mda_used_count,pv_mda_size,pv_mda_free,vg_mda_count,vg_mda_used_count,vg_mda_size,vg_mda_free
	assert_eq "$(lvm_clean pvs --units s -o "$f" "$d")" "$(assert_ok "$TB" pvs --units s -o "$f" "$d")" \
		"pvs of the metadata areas"
	assert_match 'offset=2139095040, size=8388608' "$(assert_ok "$LVM2_BIN" pvck "$d")" \
		"pvck sees the new area at the end"
	# 300 LVs: ~90 KB of text, more than the first area ever held; lvm2 writes them
	mda_restore_lvs 300
	text=$(lvm_clean vgcfgbackup -f "$TB_TMP/mda-300.vg" "$MDA_VG" >/dev/null; wc -c <"$TB_TMP/mda-300.vg")
	[ "$text" -gt 65536 ] || die "text of 300 LVs is only $text bytes"
	lvm_clean vgck "$MDA_VG" >/dev/null
	assert_eq "300" "$(lvm_clean lvs --noheadings -o lv_name "$MDA_VG" | grep -c .)" "LVs by lvm2"
	# thinbox reads lvm2's VG and changes it; its commits keep the first area ignored
	assert_eq "$(lvm_clean lvs "$MDA_VG")" "$(assert_ok "$TB" lvs "$MDA_VG")" "lvs of lvm2's VG"
	assert_ok "$TB" lvcreate --driverloaded n -an -Zn -n tbprobe -L 4M "$MDA_VG" >/dev/null
	assert_eq "2 1 509" "$(mda_pv_fields "$d")" "PV after thinbox's commit"
	lvm_clean vgck "$MDA_VG" >/dev/null
	# lvm2 changes it again; thinbox reads that change
	assert_ok "$LVM2_BIN" lvcreate -an -Zn -n lvmprobe -L 4M "$MDA_VG" >/dev/null
	assert_match 'lvmprobe' "$(assert_ok "$TB" lvs --noheadings -o lv_name "$MDA_VG/lvmprobe")" \
		"thinbox reads lvm2's LV"
	assert_match 'tbprobe' "$(lvm_clean lvs --noheadings -o lv_name "$MDA_VG/tbprobe")" \
		"lvm2 reads thinbox's LV"
	lvm_clean vgck "$MDA_VG" >/dev/null
}

testcase_scale_mda_grow_refused_when_extents_used() {
	local d before after out
	d=$(tb_disk 256M) || exit 1
	lvm_clean pvcreate "$d" >/dev/null
	lvm_clean vgcreate -s 4m "$MDA_VG" "$d" >/dev/null
	assert_ok "$LVM2_BIN" lvcreate -an -Zn -n full -l 100%FREE "$MDA_VG" >/dev/null
	before=$(md5sum <"$d")
	out=$(assert_fails 5 "$TB" pvchange --metadatasize 16m "$d")
	assert_match "it needs extents .* and LV $MDA_VG/full uses extent" "$out" "refusal message"
	after=$(md5sum <"$d")
	assert_eq "$before" "$after" "disk after the refused pvchange"
	assert_eq "1 1" "$(lvm_clean pvs --noheadings -o pv_mda_count,pv_mda_used_count "$d" | xargs)" \
		"areas after the refusal"
	lvm_clean vgck "$MDA_VG" >/dev/null
	# once the end extents are free it works, and lvm2 reads the result
	assert_ok "$LVM2_BIN" lvreduce -f -L -20m "$MDA_VG/full" >/dev/null
	assert_ok "$TB" pvchange --metadatasize 16m "$d" >/dev/null
	assert_eq "2 1" "$(lvm_clean pvs --noheadings -o pv_mda_count,pv_mda_used_count "$d" | xargs)" \
		"areas after the pvchange"
	lvm_clean vgck "$MDA_VG" >/dev/null
	assert_ok "$LVM2_BIN" lvcreate -an -Zn -n after -L 4M "$MDA_VG" >/dev/null
	lvm_clean vgck "$MDA_VG" >/dev/null
}

# A PV made by lvm2 with two areas (--pvmetadatacopies 2): the one at the end grows.
testcase_scale_mda_grow_existing_second_area() {
	local d out
	d=$(tb_disk 1G) || exit 1
	lvm_clean pvcreate --pvmetadatacopies 2 --metadatasize 64k --dataalignment 64k "$d" >/dev/null
	lvm_clean vgcreate -s 4m "$MDA_VG" "$d" >/dev/null
	assert_eq "2 2" "$(lvm_clean pvs --noheadings -o pv_mda_count,pv_mda_used_count "$d" | xargs)" \
		"areas made by lvm2"
	assert_ok "$TB" pvchange --metadatasize 4m "$d" >/dev/null
	assert_eq "2 1" "$(lvm_clean pvs --noheadings -o pv_mda_count,pv_mda_used_count "$d" | xargs)" \
		"areas after growing the second"
	lvm_clean vgck "$MDA_VG" >/dev/null
	mda_restore_lvs 200
	lvm_clean vgck "$MDA_VG" >/dev/null
	assert_eq "$(lvm_clean lvs "$MDA_VG")" "$(assert_ok "$TB" lvs "$MDA_VG")" "lvs after growth"
	assert_ok "$TB" lvcreate --driverloaded n -an -Zn -n tbprobe -L 4M "$MDA_VG" >/dev/null
	lvm_clean vgck "$MDA_VG" >/dev/null
	# a second call with the same size changes nothing
	out=$(assert_ok "$TB" pvchange --metadatasize 4m "$d")
	assert_match 'already has a metadata area' "$out" "repeated pvchange"
	# an orphan PV is refused (pvcreate --metadatasize sizes a new PV)
	local o
	o=$(tb_disk 64M) || exit 1
	lvm_clean pvcreate "$o" >/dev/null
	assert_fails 5 "$TB" pvchange --metadatasize 4m "$o" >/dev/null
}
