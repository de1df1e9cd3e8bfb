# shellcheck shell=bash
# Foreign, exported and shared VGs (issue 11): a VG with another host's system ID, an
# exported VG and a VG with an lvmlockd lock_type (sanlock, dlm; lvmlockd is not in the
# guest) are shown but never changed or activated, each with lvm2 2.03.16's refusal
# (lib/metadata/metadata.c, tools/toollib.c ignore_vg); vgimport/vgexport as lvm2. lvm2 runs
# every command first on the same disks; every refused command leaves them byte-identical.
# shellcheck source=tests/integration/damaged-lib.bash
. "$TB_TOP/tests/integration/damaged-lib.bash"

dmf_setup() { # VG: DMF_D holds VG (lvm2, one LV lv1), DMF_E is a free PV
	DMF_D=$(dmg_vg_disk $DMG_SIZE "$1") || die "setup of $1"
	DMF_E=$(dmg_pv_disk $DMG_SIZE) || die "setup of a PV"
}
dmf_edit_vg() { # DEV PERL-SUBST: edit the committed text with valid checksums
	local t=$TB_TMP/text.$$
	$DMG_EDIT text "$1" >"$t" || die "text"
	perl -0pi -e "$2" "$t"
	$DMG_EDIT settext "$1" "$t" || die "settext"
}
# lvm2's report options --shared and --foreign list the VG: the same stdout, exit 0.
dmf_same_report() { # ARGS...
	local a b ra rb
	a=$("$LVM2_BIN" "$@" 2>"$TB_TMP/dmf.a.err" </dev/null); ra=$?
	b=$("$TB" "$@" 2>"$TB_TMP/dmf.b.err" </dev/null); rb=$?
	assert_eq "0 0" "$ra $rb" "exit codes of '$*' (lvm2: $(cat "$TB_TMP/dmf.a.err"), thinbox: $(cat "$TB_TMP/dmf.b.err"))"
	[ -n "$a" ] || die "lvm2 printed nothing for '$*'"
	assert_eq "$a" "$b" "'$*'"
}
# Every command that would change VG, or activate an LV of it, refused by both with MSG.
dmf_refuses_all() { # VG MSG
	local vg=$1 msg=$2 disks="$DMF_D $DMF_E"
	dmg_both_refuse_msg "$disks" "$msg" lvcreate -an -Zn -n lv2 -L 8m "$vg" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" lvremove -y "$vg/lv1" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" lvextend -L +4m "$vg/lv1" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" lvrename "$vg" lv1 lvx >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" vgchange -ay "$vg" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" lvchange -ay "$vg/lv1" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" vgremove -f "$vg" >/dev/null
	dmg_both_refuse_msg "$disks" "$msg" vgextend "$vg" "$DMF_E" >/dev/null
	[ -z "$(dmsetup ls | grep "^$vg-")" ] || die "an LV of $vg is active: $(dmsetup ls)"
}

testcase_damaged_foreign_system_id() {
	local out
	dmf_setup tbtf
	# another host's system ID, as lvm2 sets it (lvmsystemid(7)); -y answers its question
	"$LVM2_BIN" vgchange -y --systemid otherhost tbtf >/dev/null 2>&1 ||
		dmf_edit_vg "$DMF_D" 's/^(status = .*\n)/$1system_id = "otherhost"\n/m'
	assert_match 'system_id = "otherhost"' "$($DMG_EDIT text "$DMF_D")" "the VG is foreign"
	dmf_refuses_all tbtf \
		'Cannot access VG tbtf with system ID otherhost with unknown local system ID'
	# reports: named, it is an error; unnamed, it is skipped (lvm2 --foreign shows it)
	dmg_both_refuse_msg "$DMF_D $DMF_E" 'Cannot access VG tbtf with system ID otherhost' \
		vgs tbtf >/dev/null
	dmg_both_refuse_msg "$DMF_D $DMF_E" 'Cannot access VG tbtf with system ID otherhost' \
		lvs tbtf >/dev/null
	out=$("$LVM2_BIN" vgs --noheadings -o vg_name 2>&1)
	[ -z "$(echo "$out" | grep -v 'Cannot access' | grep -w tbtf)" ] ||
		die "lvm2 lists the foreign VG: $out"
	out=$("$TB" vgs --noheadings -o vg_name 2>&1)
	[ -z "$(echo "$out" | grep -v 'Cannot access' | grep -w tbtf)" ] ||
		die "thinbox lists the foreign VG: $out"
	# pvs (reading VGs) leaves its PV out, silently, in both (the first VM runs of this test:
	# lvm2 prints no "Cannot use PV" line; a label-only -o pv_name lists it in lvm2)
	for b in "$LVM2_BIN" "$TB"; do
		out=$("$b" pvs --noheadings -o pv_name,vg_name 2>&1 </dev/null) ||
			die "$b pvs failed: $out"
		[ -z "$(echo "$out" | grep -w "$DMF_D")" ] || die "$b pvs lists $DMF_D: $out"
	done
	# --foreign lists it (tools/toollib.c ignore_vg: arg_is_set(cmd, foreign_ARG))
	dmf_same_report vgs --foreign --noheadings -o vg_name,vg_systemid,lv_count tbtf
	dmf_same_report vgs --foreign -o vg_name,vg_attr,vg_size
	dmf_same_report lvs --foreign -o lv_name,lv_attr,lv_size tbtf
	dmf_same_report pvs --foreign --noheadings -o pv_name,vg_name "$DMF_D"
	# its PV is never free: pvremove/pvcreate refused
	dmg_both_refuse "$DMF_D $DMF_E" pvremove "$DMF_D" >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" pvcreate "$DMF_D" >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" vgcreate tbtn "$DMF_D" >/dev/null
}

dmf_shared() { # LOCK_TYPE
	local lt=$1 out
	dmf_setup tbts
	# as lvm2 writes a shared VG (format_text/export.c, vg_flag_write_locked): WRITE_LOCKED
	# in the VG's and the LVs' flags in place of WRITE
	dmf_edit_vg "$DMF_D" 's/^status = \["RESIZEABLE", "READ", "WRITE"\]\nflags = \[\]/status = ["RESIZEABLE", "READ"]\nflags = ["WRITE_LOCKED"]/m; s/^status = \["READ", "WRITE", "VISIBLE"\]\nflags = \[\]/status = ["READ", "VISIBLE"]\nflags = ["WRITE_LOCKED"]/mg'
	assert_match 'flags = \["WRITE_LOCKED"\]' "$($DMG_EDIT text "$DMF_D")" "WRITE_LOCKED"
	dmf_edit_vg "$DMF_D" "s/^(status = .*\\n)/\$1lock_type = \"$lt\"\\n/m"
	assert_match "lock_type = \"$lt\"" "$($DMG_EDIT text "$DMF_D")" "the VG is shared"
	dmf_refuses_all tbts "Cannot access VG tbts with lock type $lt that requires lvmlockd"
	# --shared lists it (tools/toollib.c ignore_vg: arg_is_set(cmd, shared_ARG))
	dmf_same_report vgs --shared --noheadings -o vg_name,vg_lock_type,vg_shared,lv_count tbts
	dmf_same_report vgs --shared -o vg_name,vg_attr,vg_size
	dmf_same_report lvs --shared -o lv_name,lv_attr,lv_size tbts
	dmf_same_report pvs --shared --noheadings -o pv_name,vg_name "$DMF_D"
	# and a shared VG is still not a foreign one
	dmg_both_refuse_msg "$DMF_D $DMF_E" "Cannot access VG tbts with lock type $lt" \
		vgs --foreign tbts >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" pvremove "$DMF_D" >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" pvcreate "$DMF_D" >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" vgcreate tbtn "$DMF_D" >/dev/null
	# taken back as a local VG by thinbox (lvm2's recovery path without lvmlockd): writable
	# for lvm2 again, WRITE_LOCKED gone
	assert_ok "$TB" vgchange --locktype none --lockopt force -y tbts >/dev/null
	lvm_clean vgck tbts >/dev/null
	assert_match '^tbts wz--n-$' "$(lvm_clean vgs --noheadings -o vg_name,vg_attr tbts |
		awk '{$1 = $1; print}')" "local again"
	assert_match '^lv1 -wi-------$' "$(lvm_clean lvs --noheadings -o lv_name,lv_attr tbts |
		awk '{$1 = $1; print}')" "its LV writable"
	[ -z "$($DMG_EDIT text "$DMF_D" | grep WRITE_LOCKED)" ] || die "WRITE_LOCKED still written"
	"$LVM2_BIN" lvcreate -q -an -Zn -n lv2 -L 4m tbts >/dev/null 2>&1 || die "lvm2 lvcreate"
	dmg_forget
}
testcase_damaged_foreign_shared_sanlock() { dmf_shared sanlock; }
testcase_damaged_foreign_shared_dlm() { dmf_shared dlm; }

testcase_damaged_foreign_exported() {
	local want
	dmf_setup tbtx
	lvm_clean vgexport tbtx >/dev/null
	dmg_forget
	want=$("$LVM2_BIN" vgs --noheadings -o vg_name,vg_attr tbtx 2>/dev/null | awk '{$1 = $1; print}')
	assert_eq 'tbtx wzx-n-' "$want" "lvm2's vg_attr has x"
	assert_eq "$want" "$("$TB" vgs --noheadings -o vg_name,vg_attr tbtx 2>/dev/null |
		awk '{$1 = $1; print}')" "thinbox's vgs row"
	want=$(dmg_pvrow "$LVM2_BIN" "$DMF_D")
	assert_eq "$want" "$(dmg_pvrow "$TB" "$DMF_D")" "pvs row"
	# lvs does not list its LVs; named, that is an error for both (the same rc)
	dmg_both_refuse_msg "$DMF_D $DMF_E" 'Volume group tbtx is exported' lvs tbtx >/dev/null
	dmf_refuses_all tbtx 'Volume group tbtx is exported'
	dmg_both_refuse "$DMF_D $DMF_E" pvremove "$DMF_D" >/dev/null
	dmg_both_refuse "$DMF_D $DMF_E" pvcreate "$DMF_D" >/dev/null
	# vgimport by thinbox: lvm2 reads the result clean, and can change it again
	assert_ok "$TB" vgimport tbtx >/dev/null
	lvm_clean vgck tbtx >/dev/null
	assert_match '^tbtx wz--n-$' "$(lvm_clean vgs --noheadings -o vg_name,vg_attr tbtx |
		awk '{$1 = $1; print}')" "imported"
	"$LVM2_BIN" lvcreate -q -an -Zn -n lv2 -L 4m tbtx >/dev/null 2>&1 || die "lvm2 lvcreate"
	# thinbox vgimport of a VG that is not exported: refused as lvm2, nothing written
	dmg_forget
	dmg_both_refuse_msg "$DMF_D $DMF_E" 'Volume group "tbtx" is not exported' vgimport tbtx \
		>/dev/null
	# vgexport by thinbox, vgimport by lvm2
	assert_ok "$TB" vgexport tbtx >/dev/null
	assert_match '^tbtx wzx-n-$' "$("$LVM2_BIN" vgs --noheadings -o vg_name,vg_attr tbtx \
		2>/dev/null | awk '{$1 = $1; print}')" "lvm2 sees it exported"
	lvm_clean vgimport tbtx >/dev/null
	lvm_clean vgck tbtx >/dev/null
	assert_eq "lv1 lv2" "$(echo $(lvm_clean lvs --noheadings -o lv_name tbtx))" "LVs"
	# an active LV: vgexport refused by both
	"$LVM2_BIN" lvchange -ay tbtx/lv1 >/dev/null 2>&1 || die "lvm2 lvchange -ay"
	dmg_forget
	dmg_both_refuse_msg "$DMF_D $DMF_E" 'Volume group "tbtx" has active logical volumes' \
		vgexport tbtx >/dev/null
}
