# shellcheck shell=bash
# The rest of the LV/VG commands, each checked by lvm2's own reading of the result.

LVM=/sbin

vgck_clean() { # VG
	local out
	out=$($LVM/vgck --verbose "$1" 2>&1) || die "vgck $1: $out"
	if echo "$out" | grep -qiE 'warn|error|invalid'; then die "vgck $1 warns: $out"; fi
}

testcase_vgextend_vgreduce() {
	local a b out
	a=$(tb_disk 256M) && b=$(tb_disk 256M)
	assert_ok $TB vgcreate tbtE "$a" >/dev/null
	assert_ok $TB vgextend tbtE "$b" >/dev/null
	vgck_clean tbtE
	out=$($LVM/vgs --noheadings -o pv_count,vg_extent_count tbtE)
	assert_match '2 +126' "$out" "lvm2 sees two PVs"
	# an LV on the first PV only; the second is empty and can go
	assert_ok $TB lvcreate -n l -l 10 tbtE "$a" >/dev/null
	out=$(assert_fails any $TB vgreduce tbtE "$a")
	assert_match 'still in use' "$out" "vgreduce of a used PV"
	assert_ok $TB vgreduce tbtE "$b" >/dev/null
	vgck_clean tbtE
	assert_eq "" "$($LVM/pvs --noheadings -o vg_name "$b" | tr -d ' ')" "reduced PV is an orphan"
	out=$(assert_fails any $TB vgreduce tbtE "$a")
	assert_match 'final physical volume' "$out" "last PV"
	assert_ok $TB vgchange -an tbtE >/dev/null
	assert_ok $TB lvremove tbtE/l >/dev/null
	assert_ok $TB vgremove tbtE >/dev/null
	out=$($LVM/pvs --noheadings -o pv_name,vg_name "$a" 2>&1)
	assert_match "$a" "$out" "PV left after vgremove"
	assert_ok $TB pvremove "$a" "$b" >/dev/null
	out=$(blkid -p "$a" 2>&1 || true)
	[ -z "$(echo "$out" | grep LVM2_member)" ] || die "label still there after pvremove: $out"
}

testcase_resize_and_rename() {
	local d out
	d=$(tb_disk 1G)
	assert_ok $TB vgcreate tbtR "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 200M -n pool tbtR >/dev/null
	assert_ok $TB lvcreate -V 100M -T tbtR/pool -n t >/dev/null
	assert_ok $TB lvextend -L +100M tbtR/pool >/dev/null
	assert_ok $TB lvextend --poolmetadatasize +4M tbtR/pool >/dev/null
	assert_ok $TB lvextend -L 300M tbtR/t >/dev/null
	assert_ok $TB lvcreate -n lin -L 20M tbtR >/dev/null
	assert_ok $TB lvresize -l +5 tbtR/lin >/dev/null
	assert_match '^0 [0-9]+ thin-pool' "$(dmsetup table tbtR-pool-tpool)" "pool reloaded"
	assert_eq "$((300 * 2048))" "$(blockdev --getsz /dev/mapper/tbtR-t)" "thin LV size live"
	assert_eq "$((300 * 2048))" "$(dmsetup table tbtR-pool-tpool | awk '{print $2}')" "pool data size live"
	assert_eq "$((40 * 2048))" "$(blockdev --getsz /dev/mapper/tbtR-lin)" "linear size live"
	out=$(assert_fails any $TB lvresize -L 10M tbtR/lin)
	assert_match 'Reducing is not supported' "$out" "no shrinking"
	assert_ok $TB lvchange -an tbtR/lin >/dev/null
	assert_ok $TB lvrename tbtR/lin lin2 >/dev/null
	assert_ok $TB lvchange -ay tbtR/lin2 >/dev/null
	[ -b /dev/mapper/tbtR-lin2 ] || die "renamed LV does not activate"
	vgck_clean tbtR
	out=$($LVM/lvs --noheadings -o lv_name,lv_size,lv_metadata_size --units m tbtR 2>&1)
	assert_match 'lin2 +40\.00m' "$out" "lvm2 sees the rename and resize"
	assert_match 'pool +300\.00m +8\.00m' "$out" "lvm2 sees pool data and metadata sizes"
	assert_match ' t +300\.00m' "$out" "lvm2 sees the thin LV size"
	assert_ok $TB vgchange -an tbtR >/dev/null
	out=$($LVM/lvchange -ay -y tbtR/pool_tmeta 2>&1) || die "$out"
	assert_ok thin_check /dev/mapper/tbtR-pool_tmeta >/dev/null
	$LVM/lvchange -an tbtR/pool_tmeta >/dev/null 2>&1
}

testcase_errorwhenfull_and_discards() {
	local d t
	d=$(tb_disk 512M)
	assert_ok $TB vgcreate tbtW "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 100M -n pool --discards nopassdown tbtW >/dev/null
	t=$(dmsetup table tbtW-pool)
	assert_match ' no_discard_passdown$' "$(echo "$t" | sed 's/ *$//')" "nopassdown feature"
	assert_ok $TB lvchange --errorwhenfull y tbtW/pool >/dev/null
	t=$(dmsetup table tbtW-pool)
	assert_match 'no_discard_passdown error_if_no_space' "$t" "error_if_no_space after lvchange"
	assert_match 'error_if_no_space' "$(dmsetup status tbtW-pool)" "kernel mode"
	assert_eq "error" "$($LVM/lvs --noheadings -o lv_when_full tbtW/pool 2>/dev/null | tr -d ' ')" "lvm2 lv_when_full"
	vgck_clean tbtW
}
