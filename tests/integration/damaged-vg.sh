# shellcheck shell=bash
# Damaged disks (issue 11), whole VGs: duplicate PVs, overlapping extents, a shrunk device, a
# missing PV, names that match nothing, profile names, lvextend --use-policies. lvm2 2.03.16
# runs each refused command first on the same devices; disks are compared byte for byte.
# shellcheck source=tests/integration/damaged-lib.bash
. "$TB_TOP/tests/integration/damaged-lib.bash"

testcase_damaged_not_found_exit_codes() {
	local d out
	d=$(tb_disk $DMG_SIZE)
	# no VG at all, then one VG: a name that matches nothing is an error (scripts do `if vgs X`)
	out=$(dmg_both_refuse "$d" vgs nosuch)
	assert_match 'Volume group "nosuch" not found' "$out" "vgs, no VG at all"
	dmg_both_refuse "$d" lvs nosuch >/dev/null
	dmg_vg "$d" tbtd
	out=$(dmg_both_refuse "$d" vgs nosuch)
	assert_match 'Volume group "nosuch" not found' "$out" "vgs"
	dmg_both_refuse "$d" lvs nosuch >/dev/null
	out=$(dmg_both_refuse "$d" lvs tbtd/nosuch)
	assert_match 'Failed to find logical volume "tbtd/nosuch"' "$out" "lvs VG/LV"
	# one found, one not: the row is printed, the exit code says one was missing
	out=$(dmg_both_refuse "$d" lvs --noheadings -o lv_name tbtd/lv1 tbtd/nosuch)
	assert_match 'lv1' "$out" "lvs prints what it found"
	assert_ok "$TB" vgs tbtd >/dev/null
	assert_ok "$TB" lvs tbtd/lv1 >/dev/null
}

testcase_damaged_profile_name_is_a_name() {
	local d s out
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	# $LVM_SYSTEM_DIR/profile/../../x.profile is /etc/x.profile: it must never be read
	printf 'activation {\n thin_pool_autoextend_threshold=50\n}\n' >/etc/x.profile
	s=$(dmg_sums "$d")
	out=$(assert_fails 5 "$TB" lvchange --metadataprofile ../../x tbtd/lv1)
	assert_match 'Profile name "../../x" is invalid' "$out" "lvchange"
	out=$(assert_fails 5 "$TB" lvcreate -an -Zn -n lv2 -L 8m --metadataprofile ../../x tbtd)
	assert_match 'Profile name "../../x" is invalid' "$out" "lvcreate"
	assert_eq "$s" "$(dmg_sums "$d")" "disk after the refused commands"
	rm -f /etc/x.profile
	# lvm2 still reads the VG, and sees no profile on lv1
	assert_eq "" "$(lvm_clean lvs --noheadings -o lv_profile tbtd/lv1 | tr -d ' ')" "lv_profile"
}

# lvextend --use-policies grows a pool over its threshold by the profile's percent (it
# always failed with "Please specify either size or extents"). dracut's lvm module and
# lvm2's dmeventd thin plugin run exactly this (lvm2 daemons/dmeventd/plugins/thin/
# dmeventd_thin.c _use_policy: "lvextend --use-policies").
testcase_damaged_use_policies_grows_pool() {
	local d out before after
	d=$(tb_disk 256M)
	assert_ok "$TB" pvcreate "$d" >/dev/null
	assert_ok "$TB" vgcreate tbtu "$d" >/dev/null
	assert_ok "$TB" lvcreate -T tbtu/pool -L 40m >/dev/null
	printf 'activation {\n thin_pool_autoextend_threshold=50\n thin_pool_autoextend_percent=50\n}\n' \
		>/etc/lvm/profile/tbtu-grow.profile
	assert_ok "$TB" lvchange --metadataprofile tbtu-grow tbtu/pool >/dev/null
	assert_ok "$TB" lvcreate -V 100m -n thin -T tbtu/pool >/dev/null
	# 32 MiB written of 40: 80%, over the threshold of 50
	dd if=/dev/urandom of=/dev/mapper/tbtu-thin bs=1M count=32 oflag=direct status=none ||
		die "write to thin LV"
	before=$(lvm_clean lvs --noheadings --units s --nosuffix -o lv_size tbtu/pool | tr -d ' ')
	out=$(assert_ok "$TB" lvextend --use-policies tbtu/pool)
	after=$(lvm_clean lvs --noheadings --units s --nosuffix -o lv_size tbtu/pool | tr -d ' ')
	[ "$after" -ge $((before * 3 / 2)) ] || die "pool $before -> $after sectors, wanted +50%: $out"
	out=$(assert_ok "$TB" lvextend --usepolicies tbtu/pool)
	rm -f /etc/lvm/profile/tbtu-grow.profile
	assert_ok "$TB" vgchange -an tbtu >/dev/null
	lvm_clean vgck tbtu >/dev/null
}

# A loop image copied with cp and attached twice: the same PV id on two devices. Every
# writing command is refused before it writes, and neither copy changes (lvm2: "Cannot
# update volume group VG with duplicate PV devices.").
testcase_damaged_duplicate_pvs() {
	local d1 d2 f2 out cmd
	d1=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	f2=$TB_TMP/clone.img
	cp --sparse=always "$(dmg_backing "$d1")" "$f2" || die "cp"
	d2=$(losetup -f --show "$f2") || die "losetup clone"
	out=$("$TB" pvs 2>&1 </dev/null)
	assert_match "WARNING: Not using device $d2 for PV" "$out" "pvs warns"
	for cmd in "lvcreate -an -Zn -n lv2 -L 8m tbtd" "lvremove -y tbtd/lv1" \
		"lvextend -L +4m tbtd/lv1" "lvrename tbtd lv1 lv9" "vgremove -f tbtd"; do
		# shellcheck disable=SC2086
		out=$(dmg_both_refuse "$d1 $d2" $cmd)
		assert_match "Cannot update volume group tbtd with duplicate PV devices" "$out" "$cmd"
	done
	# and the label of neither copy can be wiped or remade until one is detached
	local s
	s=$(dmg_sums "$d1" "$d2")
	assert_fails 5 "$TB" pvcreate -ff -y "$d2" >/dev/null
	assert_fails 5 "$TB" pvremove -ff -y "$d2" >/dev/null
	assert_eq "$s" "$(dmg_sums "$d1" "$d2")" "both copies after the refused commands"
	losetup -d "$d2"
	assert_ok "$TB" lvcreate -an -Zn -n lv2 -L 8m tbtd >/dev/null
	lvm_clean vgck tbtd >/dev/null
}

# Metadata with valid checksums that maps one extent to two LVs: never committed on top of.
testcase_damaged_overlapping_extents() {
	local d t out cmd
	d=$(dmg_vg_disk $DMG_SIZE tbtd) || die "setup"
	"$LVM2_BIN" lvcreate -q -an -Zn -n lv2 -L 8m tbtd >/dev/null 2>&1 || die "lv2"
	t=$TB_TMP/text
	$DMG_EDIT text "$d" >"$t" || die "text"
	# lv2's only segment starts on pv0 extent 0, where lv1 is
	perl -0pi -e 's/(lv2 \{.*?stripes = \[\s*"pv0", )(\d+)/${1}0/s' "$t"
	grep -A30 'lv2 {' "$t" | grep -q '"pv0", 0' || die "text edit did not apply"
	$DMG_EDIT settext "$d" "$t" || die "settext"
	for cmd in "lvcreate -an -Zn -n lv3 -L 4m tbtd" "lvremove -y tbtd/lv1" \
		"lvextend -L +4m tbtd/lv2"; do
		# shellcheck disable=SC2086
		out=$(dmg_both_refuse "$d" $cmd)
		assert_match "pe_alloc_count mismatch" "$out" "$cmd"
	done
}

# A device shrunk below the size its PV header records: warned as lvm2, and no extent is
# ever placed past the device's end.
testcase_damaged_shrunk_device() {
	local d f out s re
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
	f=$(losetup -n -O BACK-FILE "$d" | tr -d ' ')
	truncate -s 40M "$f" && losetup -c "$d" || die "shrink"
	re="WARNING: Device $d has size of [0-9]+ sectors which is smaller than corresponding PV size of [0-9]+ sectors"
	out=$("$LVM2_BIN" vgs tbtd 2>&1 </dev/null)
	assert_match "$re" "$out" "lvm2's warning"
	out=$("$TB" vgs tbtd 2>&1 </dev/null)
	assert_match "$re" "$out" "thinbox's warning"
	s=$(dmg_sums "$d")
	out=$(assert_fails 5 "$TB" lvcreate -an -Zn -n big -L 40m tbtd)
	assert_eq "$s" "$(dmg_sums "$d")" "disk after the refused lvcreate"
	assert_match "smaller|resized" "$out" "lvcreate names the cause"
}

# One PV of two missing: reported partial as lvm2 does, changes refused, nothing lost.
testcase_damaged_partial_vg() {
	local d1 d2 out want s
	d1=$(tb_disk $DMG_SIZE)
	d2=$(tb_disk $DMG_SIZE)
	"$LVM2_BIN" vgcreate -q tbtp "$d1" "$d2" >/dev/null 2>&1 &&
		"$LVM2_BIN" lvcreate -q -an -Zn -n on1 -L 8m tbtp "$d1" >/dev/null 2>&1 &&
		"$LVM2_BIN" lvcreate -q -an -Zn -n on2 -L 8m tbtp "$d2" >/dev/null 2>&1 ||
		die "lvm2 setup"
	losetup -d "$d2"
	want=$("$LVM2_BIN" vgs --noheadings -o vg_attr tbtp 2>/dev/null </dev/null | tr -d ' ')
	assert_eq "wz-pn-" "$want" "lvm2's vg_attr"
	assert_eq "$want" "$("$TB" vgs --noheadings -o vg_attr tbtp 2>/dev/null </dev/null | tr -d ' ')" \
		"thinbox's vg_attr"
	want=$("$LVM2_BIN" lvs --noheadings -o lv_name,lv_attr tbtp 2>/dev/null </dev/null | awk '{$1 = $1; print}')
	assert_eq "$want" "$("$TB" lvs --noheadings -o lv_name,lv_attr tbtp 2>/dev/null </dev/null | awk '{$1 = $1; print}')" \
		"lv_attr"
	out=$("$TB" vgs tbtp 2>&1 </dev/null)
	assert_match "WARNING: Couldn't find device with uuid" "$out" "the warning"
	out=$("$TB" pvs --noheadings -o pv_name,vg_name,pv_attr 2>/dev/null </dev/null | awk '{$1 = $1; print}')
	assert_match "^\[unknown\] tbtp a-m$" "$out" "pvs lists the missing PV"
	dmg_both_refuse "$d1" lvcreate -an -Zn -n x -L 4m tbtp >/dev/null
	s=$(dmg_sums "$d1")
	assert_fails 5 "$TB" lvremove -y tbtp/on1 >/dev/null
	assert_eq "$s" "$(dmg_sums "$d1")" "disk after the refused lvremove"
	# vgreduce --removemissing: the partial LV on2 blocks it without --force
	out=$(assert_fails 5 "$TB" vgreduce --removemissing tbtp)
	assert_match "Partial LV on2 needs to be repaired or removed" "$out" "names the partial LV"
	assert_match "vgreduce --removemissing --force" "$out" "says what to do"
	assert_eq "$s" "$(dmg_sums "$d1")" "disk after the refused vgreduce"
	out=$(assert_ok "$TB" vgreduce --removemissing --force tbtp)
	assert_match "Wrote out consistent volume group tbtp" "$out" "vgreduce --force"
	lvm_clean vgck tbtp >/dev/null
	assert_eq "1 on1" "$(echo $(lvm_clean vgs --noheadings -o pv_count tbtp) \
		$(lvm_clean lvs --noheadings -o lv_name tbtp))" "one PV, on1 kept"
	assert_eq "wz--n-" "$(lvm_clean vgs --noheadings -o vg_attr tbtp | tr -d ' ')" "vg_attr"
}

# Two metadata copies on one PV (--pvmetadatacopies 2), the first header broken: the VG is read
# from the good copy with a warning, and the next commit rewrites the bad header (lvm2 reads
# and repairs the same way).
testcase_damaged_one_of_two_copies_bad() {
	local d out
	d=$(tb_disk 64M)
	"$LVM2_BIN" pvcreate -q --pvmetadatacopies 2 "$d" >/dev/null 2>&1 &&
		"$LVM2_BIN" vgcreate -q tbtd "$d" >/dev/null 2>&1 || die "lvm2 setup"
	printf 'XX' | dd of="$d" bs=1 seek=4096 conv=notrunc status=none
	out=$("$LVM2_BIN" vgs --noheadings -o vg_name tbtd 2>/dev/null </dev/null | tr -d ' ')
	assert_eq tbtd "$out" "lvm2 reads the VG from the good copy"
	out=$("$TB" vgs --noheadings -o vg_name tbtd 2>&1 </dev/null)
	assert_match "wrong checksum [0-9a-f]+ in mda header on $d at 4096" "$out" "the warning"
	assert_match "^ *tbtd *$" "$(echo "$out" | grep -v WARNING)" "thinbox reads the VG"
	assert_fails 5 "$TB" vgck tbtd >/dev/null
	out=$(assert_ok "$TB" lvcreate -an -Zn -n lv1 -L 8m tbtd)
	assert_match "Repairing the metadata header on $d at 4096" "$out" "the commit repairs"
	lvm_clean vgck tbtd >/dev/null
	lvm_clean pvck "$d" >/dev/null
	assert_eq lv1 "$(lvm_clean lvs --noheadings -o lv_name tbtd | tr -d ' ')" "lv1"
	assert_ok "$TB" vgck tbtd >/dev/null
}

# A stale copy among PVs (one PV's mda put back to an older commit): the newest seqno wins,
# the old copy is named, and vgck --updatemetadata rewrites it.
testcase_damaged_stale_copy_among_pvs() {
	local d1 d2 saved out
	d1=$(tb_disk 64M)
	d2=$(tb_disk 64M)
	"$LVM2_BIN" vgcreate -q tbtd "$d1" "$d2" >/dev/null 2>&1 || die "lvm2 setup"
	saved=$TB_TMP/mda2
	dd if="$d2" of="$saved" bs=1M count=1 status=none
	assert_ok "$TB" lvcreate -an -Zn -n lv1 -L 8m tbtd >/dev/null
	dd if="$saved" of="$d2" bs=1M count=1 conv=notrunc status=none
	out=$("$TB" lvs --noheadings -o lv_name tbtd 2>&1 </dev/null)
	assert_match "WARNING: ignoring metadata seqno 1 on $d2 for seqno 2 on $d1 for VG tbtd" \
		"$out" "the stale copy is named"
	assert_match "lv1" "$out" "the newest copy wins"
	assert_fails 5 "$TB" vgck tbtd >/dev/null
	assert_ok "$TB" vgck --updatemetadata tbtd >/dev/null
	lvm_clean vgck tbtd >/dev/null
	assert_eq lv1 "$(lvm_clean lvs --noheadings -o lv_name tbtd | tr -d ' ')" "lv1"
	assert_ok "$TB" vgck tbtd >/dev/null
}
