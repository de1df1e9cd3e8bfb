# shellcheck shell=bash
# Damaged disks (issue 11), whole VGs: duplicate PVs, overlapping extents, a shrunk device, a
# missing PV, names that match nothing, profile names, lvextend --use-policies. lvm2 2.03.16
# runs each refused command first on the same devices; disks are compared byte for byte.
# shellcheck source=tests/integration/damaged-lib.bash
. "$TB_TOP/tests/integration/damaged-lib.bash"

testcase_damaged_not_found_exit_codes() {
	local d out
	d=$(tb_disk 64M)
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
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
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
	d1=$(tb_disk 64M)
	dmg_vg "$d1" tbtd
	f2=$TB_TMP/clone.img
	cp --sparse=always "$(losetup -n -O BACK-FILE "$d1" | tr -d ' ')" "$f2" || die "cp"
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
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
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
	d1=$(tb_disk 64M)
	d2=$(tb_disk 64M)
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
}
