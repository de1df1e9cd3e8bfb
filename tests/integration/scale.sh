# Scale (issue 13): a VG of hundreds of LVs written by lvm2, read and changed by thinbox; the
# metadata area filling up (warning, then a clean refusal); archives bounded by lvm.conf.
# Small N so that it fits make check; the large N are in make bench-scale (bench/scale).

SCALE_VG=${TB_PREFIX}scale

# scale_make_vg DEV N [extent]: lvm2 makes VG $SCALE_VG on DEV, N one-extent LVs lv1..lvN
# restored from generated text (the way bench/scale and issue 13 build it)
scale_make_vg() {
	local dev=$1 n=$2
	lvm_clean vgcreate -s "${3:-4m}" "$SCALE_VG" "$dev" >/dev/null
	lvm_clean vgcfgbackup -f "$TB_TMP/scale-empty.vg" "$SCALE_VG" >/dev/null
	awk -v n="$n" -f "$TB_TOP/bench/scale-gen.awk" "$TB_TMP/scale-empty.vg" >"$TB_TMP/scale.vg" ||
		die "scale-gen.awk"
	lvm_clean vgcfgrestore -f "$TB_TMP/scale.vg" "$SCALE_VG" >/dev/null
}

scale_layout() { # every LV of $SCALE_VG with its size and extents, as lvm2 reads them
	lvm_clean lvs -o lv_name,lv_size,seg_start_pe,devices --noheadings --separator '|' \
		--units s "$SCALE_VG" | tr -d ' ' | sort
}

scale_count() { # VG: LVs as lvm2 counts them
	lvm_clean lvs --noheadings -o lv_name "$1" | grep -c .
}

testcase_scale_300_lvs_read_and_changed() {
	local d out
	d=$(tb_disk 2G) || exit 1
	lvm_clean pvcreate --metadatasize 4m "$d" >/dev/null
	scale_make_vg "$d" 300
	assert_eq 300 "$(scale_count "$SCALE_VG")" "LVs restored by lvm2"
	# the report is byte for byte lvm2's, sorted the same way (lv1, lv10, lv100, ...)
	out=$(lvm_clean lvs "$SCALE_VG")
	assert_eq "$out" "$(assert_ok "$TB" lvs "$SCALE_VG")" "lvs of 300 LVs"
	out=$(scale_layout)
	# thinbox changes it: create, rename, remove (metadata only, as the issue's probe)
	assert_ok "$TB" lvcreate --driverloaded n -an -Zn -n probe -L 4M "$SCALE_VG" >/dev/null
	assert_ok "$TB" lvrename "$SCALE_VG" probe probe2 >/dev/null
	assert_ok "$TB" lvremove -y "$SCALE_VG/lv150" >/dev/null
	lvm_clean vgck "$SCALE_VG" >/dev/null
	assert_eq 300 "$(scale_count "$SCALE_VG")" "LVs after create + remove"
	assert_eq "probe2" "$(lvm_clean lvs --noheadings -o lv_name "$SCALE_VG/probe2" | tr -d ' ')" \
		"lvm2 sees the renamed LV"
	assert_fails any "$LVM2_BIN" lvs "$SCALE_VG/lv150" >/dev/null
	# the new LV took the first free extent (lv1..lv300 hold 0..299): 300, as lvm2 allocates
	assert_match '\(300\)' "$(lvm_clean lvs --noheadings -o devices "$SCALE_VG/probe2")" \
		"probe2 placement"
	# every other LV is where it was
	assert_eq "$(printf '%s\n' "$out" | grep -v '^lv150|')" \
		"$(scale_layout | grep -v '^probe2|')" "untouched LVs"
	# and lvm2's change is read back by thinbox
	assert_ok "$LVM2_BIN" lvcreate -an -Zn -n bylvm2 -L 4M "$SCALE_VG" >/dev/null
	out=$(lvm_clean lvs "$SCALE_VG")
	assert_eq "$out" "$(assert_ok "$TB" lvs "$SCALE_VG")" "lvs after lvm2's lvcreate"
}

# A small metadata area: thinbox warns once a commit takes over half of the largest copy the
# area holds, and refuses the commit that would not fit, before writing anything.
testcase_scale_metadata_area_full() {
	local d out seq0 n0 i rc warned=0 refused=0
	d=$(tb_disk 1G) || exit 1
	# a ~124 KiB area (pe_start 128 KiB): at most 62720 bytes of text per copy
	assert_ok "$TB" pvcreate --metadatasize 96k --dataalignment 128k "$d" >/dev/null
	scale_make_vg "$d" 195 1m
	seq0=$(lvm_clean vgs --noheadings -o vg_seqno "$SCALE_VG" | tr -d ' ')
	for i in $(seq 1 120); do
		out=$("$TB" lvcreate --driverloaded n -an -Zn -L 1m \
			-n "a_long_name_that_fills_the_metadata_area_quickly_with_each_new_lv_$i" \
			"$SCALE_VG" 2>&1); rc=$?
		if [ $rc != 0 ]; then
			refused=$i
			break
		fi
		case "$out" in *"is over half of the largest copy"*) warned=$((warned + 1)) ;; esac
	done
	[ "$refused" != 0 ] || die "120 LVs more and still no refusal: $out"
	[ "$warned" -gt 0 ] || die "no warning before the refusal at LV $refused"
	assert_eq 5 "$rc" "exit code of the refused lvcreate"
	assert_match "VG $SCALE_VG [0-9]+ metadata on $d \([0-9]+ bytes\) exceeds maximum metadata size \(62720 bytes\)" \
		"$out" "refusal message"
	assert_match "Failed to write VG $SCALE_VG" "$out" "refusal message"
	# nothing changed: lvm2 reads the VG as it was before the refused command
	lvm_clean vgck "$SCALE_VG" >/dev/null
	# one commit per created LV, none for the refused one
	assert_eq $((seq0 + refused - 1)) "$(lvm_clean vgs --noheadings -o vg_seqno "$SCALE_VG" | tr -d ' ')" \
		"seqno after the refusal"
	n0=$(scale_count "$SCALE_VG")
	assert_eq $((195 + refused - 1)) "$n0" "LV count"
	assert_fails any "$LVM2_BIN" lvs "$SCALE_VG/a_long_name_that_fills_the_metadata_area_quickly_with_each_new_lv_$refused" >/dev/null
	# making room works again: remove one, then lvm2 and thinbox both still write the VG
	assert_ok "$TB" lvremove -y "$SCALE_VG/lv1" >/dev/null
	lvm_clean lvremove -y "$SCALE_VG/lv2" >/dev/null
	lvm_clean vgck "$SCALE_VG" >/dev/null
	assert_eq $((n0 - 2)) "$(scale_count "$SCALE_VG")" "LV count after removals"
}

# lvm.conf backup/retain_min and retain_days bound the archive: 50 commits with retain_min = 5
# and retain_days = 0 leave 5 archives, the newest holding the metadata before the last commit.
testcase_scale_archive_bounded() {
	local d sys n newest seq
	d=$(tb_disk 1G) || exit 1
	sys=$TB_TMP/scale-etc
	rm -rf "$sys" && mkdir -p "$sys" || die "mkdir $sys"
	printf 'backup {\n\tretain_min = 5\n\tretain_days = 0\n}\n' >"$sys/lvm.conf"
	LVM_SYSTEM_DIR=$sys assert_ok "$TB" pvcreate "$d" >/dev/null
	LVM_SYSTEM_DIR=$sys assert_ok "$TB" vgcreate "$SCALE_VG" "$d" >/dev/null
	for i in $(seq 1 25); do
		LVM_SYSTEM_DIR=$sys assert_ok "$TB" lvcreate --driverloaded n -an -Zn -n "a$i" -L 4m "$SCALE_VG" >/dev/null
		LVM_SYSTEM_DIR=$sys assert_ok "$TB" lvrename "$SCALE_VG" "a$i" "b$i" >/dev/null
	done
	n=$(ls "$sys/archive" | grep -c "^${SCALE_VG}_.*\.vg\$")
	assert_eq 5 "$n" "archives left after 51 commits"
	newest=$(ls "$sys/archive" | grep "^${SCALE_VG}_" | sort | tail -1)
	seq=$(lvm_clean vgs --noheadings -o vg_seqno "$SCALE_VG" | tr -d ' ')
	assert_match "seqno = $((seq - 1))\$" "$(grep 'seqno = ' "$sys/archive/$newest")" "newest archive"
	assert_match "seqno = $seq\$" "$(grep 'seqno = ' "$sys/backup/$SCALE_VG")" "backup"
	# lvm2 reads the kept archive as a VG description (vgcfgrestore --list parses each file)
	out=$("$LVM2_BIN" vgcfgrestore --list -f "$sys/archive/$newest" "$SCALE_VG" 2>&1) ||
		die "lvm2 cannot read archive $newest: $out"
	# with lvm2's defaults (no lvm.conf: retain_days 30) every archive of the last 30 days stays
	rm -f "$sys/lvm.conf"
	for i in 1 2 3; do
		LVM_SYSTEM_DIR=$sys assert_ok "$TB" lvremove -y "$SCALE_VG/b$i" >/dev/null
	done
	assert_eq 8 "$(ls "$sys/archive" | grep -c "^${SCALE_VG}_.*\.vg\$")" "archives with defaults"
	lvm_clean vgck "$SCALE_VG" >/dev/null
}
