# shellcheck shell=bash
# thinbox check (pvck-style): healthy PVs pass, each corruption is named, as lvm2's pvck sees it.

testcase_check_healthy_and_corrupt() {
	local d out
	d=$(tb_disk 256M)
	assert_ok $TB pvcreate --pvmetadatacopies 2 "$d" >/dev/null
	assert_ok $TB vgcreate tbtK "$d" >/dev/null
	out=$(assert_ok $TB check "$d")
	assert_match 'label: sector 1, ok' "$out" "label"
	assert_match 'mda0: offset 4096 size 1044480: ok, VG tbtK seqno 1' "$out" "mda0"
	assert_match 'mda1: offset [0-9]+ size [0-9]+: ok, VG tbtK seqno 1' "$out" "mda1"
	assert_ok /sbin/pvck "$d" >/dev/null
	# break the second mda header's magic: check names it, lvm2's pvck agrees
	local off
	off=$(echo "$out" | sed -n 's/.*mda1: offset \([0-9]*\) .*/\1/p')
	printf 'XXXX' | dd of="$d" bs=1 seek=$((off + 8)) conv=notrunc status=none
	out=$(assert_fails 5 $TB check "$d")
	assert_match 'mda1: .*BAD: .*(magic|checksum|CRC)' "$out" "broken mda1 named"
	assert_fails any /sbin/pvck "$d" >/dev/null
	# break the label's CRC
	printf '\377' | dd of="$d" bs=1 seek=$((512 + 100)) conv=notrunc status=none
	out=$(assert_fails 5 $TB check "$d")
	assert_match 'label: .*(CRC|checksum)' "$out" "broken label named"
}

testcase_check_not_a_pv() {
	local d out
	d=$(tb_disk 64M)
	out=$(assert_ok $TB check "$d")
	assert_match 'no LVM label' "$out" "plain disk"
}
