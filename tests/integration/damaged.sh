# shellcheck shell=bash
# Damaged disks (issue 11): each case is first run by lvm2 2.03.16 on the same loop device (the
# oracle: its rc and report), then by thinbox; every refused command leaves every disk
# byte-identical (sha256 of the device before and after each command). docs/damaged-disks.md
# lists the cases with what lvm2 and thinbox do.

DMG_EDIT="perl $TB_TOP/tests/integration/damaged-edit.pl"

dmg_vg() { # DEV VG: lvm2 makes VG on DEV with one inactive 8m LV lv1
	"$LVM2_BIN" pvcreate -q "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" vgcreate -q "$2" "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" lvcreate -q -an -Zn -n lv1 -L 8m "$2" >/dev/null 2>&1 ||
		die "lvm2 could not set up $2 on $1"
}
dmg_sums() { # DEV...: one checksum line per device
	local d
	for d in "$@"; do sha256sum <"$d"; done
}
# DISKS CMD ARGS...: lvm2, then thinbox, run the same command; each must exit 5 and leave
# every disk of DISKS (space-separated) byte-identical. Prints thinbox's output.
dmg_both_refuse() {
	local disks=$1 s0 out rc
	shift
	# shellcheck disable=SC2086
	s0=$(dmg_sums $disks)
	out=$("$LVM2_BIN" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "lvm2 $*: exited $rc, expected 5: $out"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "lvm2 $* changed the disks"
	out=$("$TB" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "thinbox $*: exited $rc, expected 5: $out"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "thinbox $* changed the disks: $out"
	printf '%s\n' "$out"
}
dmg_pvrow() { # BIN DEV: "vg attr psize pfree" of DEV as BIN's pvs reports it
	# (lvm2 prints "Retrying metadata scan." on stdout when a text checksum is bad)
	"$1" pvs --noheadings -o vg_name,pv_attr,pv_size,pv_free --units m "$2" 2>/dev/null \
		</dev/null | grep -v 'Retrying metadata scan' | awk '{$1 = $1; print}'
}
dmg_text_off() { # DEV: device offset of the committed text of the first mda (at 4096)
	echo $((4096 + $(od -An -tu8 -j $((4096 + 40)) -N8 "$1" | tr -d ' ')))
}

# What every "PV in doubt" case shares: lvm2 and thinbox report it as used by an unknown VG
# (never free), refuse to reuse it without -ff, and -ff says what it destroys.
dmg_in_doubt_common() { # DEV CAUSE-REGEX
	local d=$1 cause=$2 want out e
	want=$(dmg_pvrow "$LVM2_BIN" "$d")
	assert_eq "[unknown] u-- 64.00m 0m" "$want" "lvm2's pvs row"
	assert_eq "$want" "$(dmg_pvrow "$TB" "$d")" "thinbox's pvs row"
	out=$("$TB" pvs "$d" 2>&1 </dev/null)
	assert_match "$cause" "$out" "pvs names the cause"
	assert_match "WARNING: PV $d is marked in use but no VG was found using it" "$out" "pvs"
	out=$(dmg_both_refuse "$d" vgs tbtd)
	assert_match "$cause" "$out" "vgs names the cause"
	assert_match 'Volume group "tbtd" not found' "$out" "vgs"
	out=$(dmg_both_refuse "$d" lvs tbtd)
	assert_match 'Volume group "tbtd" not found' "$out" "lvs"
	out=$(dmg_both_refuse "$d" pvremove "$d")
	assert_match "PV $d is used by a VG but its metadata is missing" "$out" "pvremove"
	assert_match "confirm by using --force twice" "$out" "pvremove"
	dmg_both_refuse "$d" pvremove -f "$d" >/dev/null
	out=$(dmg_both_refuse "$d" pvcreate "$d")
	assert_match "Can't initialize PV '$d' without -ff" "$out" "pvcreate"
	dmg_both_refuse "$d" pvcreate -f "$d" >/dev/null
	dmg_both_refuse "$d" vgcreate tbtn "$d" >/dev/null
	e=$(tb_disk 64M)
	dmg_vg "$e" tbte
	dmg_both_refuse "$d $e" vgextend tbte "$d" >/dev/null
	# thinbox with -ff: says what it destroys, and does it (lvm2 2.03.16 prints the same
	# warnings but then fails with status 5 and leaves the label: docs/damaged-disks.md)
	out=$(assert_ok "$TB" pvremove -ff -y "$d")
	assert_match "Wiping physical volume label from $d of volume group \"<unknown>\"" "$out" \
		"pvremove -ff"
	[ -z "$("$LVM2_BIN" pvs --noheadings -o pv_name "$d" 2>/dev/null)" ] ||
		die "pvremove -ff left a label lvm2 sees"
}

testcase_damaged_mda_header_checksum() {
	local d
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
	# two bytes of the mda header's checksum (issue 11's first table)
	printf 'XX' | dd of="$d" bs=1 seek=4096 conv=notrunc status=none
	dmg_in_doubt_common "$d" "WARNING: wrong checksum [0-9a-f]+ in mda header on $d at 4096"
}

testcase_damaged_text_checksum() {
	local d off
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
	off=$(dmg_text_off "$d")
	printf 'Q' | dd of="$d" bs=1 seek=$((off + 60)) conv=notrunc status=none
	dmg_in_doubt_common "$d" "WARNING: Checksum error on $d at offset $off"
}

testcase_damaged_text_unparseable() {
	local d t
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
	# a truncated text with valid checksums: only parsing can tell
	t=$TB_TMP/text
	$DMG_EDIT text "$d" | head -c 300 >"$t"
	$DMG_EDIT settext "$d" "$t" || die "settext"
	dmg_in_doubt_common "$d" "WARNING: .*metadata.* on $d"
}

testcase_damaged_used_flag_without_vg() {
	local d s
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
	# the mda header says "no metadata" (both slots empty, checksum valid) while the PV
	# header keeps PV_EXT_USED: a vgremove cut short between the two writes
	local mh=$TB_TMP/mh
	dd if="$d" of="$mh" bs=512 skip=8 count=1 status=none
	perl -e 'open(F, "+<:raw", $ARGV[0]) or die; sysread(F, $h, 512); substr($h, 40, 48) = "\0" x 48;
		sub c { my ($c, $b) = @_; for (unpack("C*", $b)) { $c ^= $_; for (1..8) { $c = $c & 1 ? ($c >> 1) ^ 0xEDB88320 : $c >> 1 } } $c }
		substr($h, 0, 4) = pack("V", c(0xf597a6cf, substr($h, 4))); sysseek(F, 0, 0); syswrite(F, $h)' "$mh"
	dd if="$mh" of="$d" bs=512 seek=8 count=1 conv=notrunc status=none
	assert_eq "[unknown] u-- 64.00m 0m" "$(dmg_pvrow "$LVM2_BIN" "$d")" "lvm2's pvs row"
	assert_eq "[unknown] u-- 64.00m 0m" "$(dmg_pvrow "$TB" "$d")" "thinbox's pvs row"
	dmg_both_refuse "$d" pvremove "$d" >/dev/null
	dmg_both_refuse "$d" pvcreate "$d" >/dev/null
	dmg_both_refuse "$d" vgcreate tbtn "$d" >/dev/null
}

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

testcase_damaged_label_mda_past_device_end() {
	local d want out
	d=$(tb_disk 64M)
	dmg_vg "$d" tbtd
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
	lvm_clean pvs --noheadings -o pv_name,vg_name "$d1" >/dev/null
	unset THINBOX_DEVICES
	dmsetup remove $flk
}

testcase_damaged_vgcreate_extent_too_big() {
	local d s out
	d=$(tb_disk 300M)
	# lvm2 writes the PV label and then rejects the extent size (docs/lvm2-differences.md);
	# thinbox checks first and writes nothing
	s=$(dmg_sums "$d")
	out=$(assert_fails 5 "$TB" vgcreate -s 1G tbtz "$d")
	assert_match '(room for no extent|extent size)' "$out" "vgcreate names the cause"
	assert_eq "$s" "$(dmg_sums "$d")" "disk after the refused vgcreate"
	assert_eq "" "$("$LVM2_BIN" pvs --noheadings -o pv_name "$d" 2>/dev/null)" "no PV label"
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
