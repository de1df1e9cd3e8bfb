# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- lvmlockd's options on local VGs: lvm2 2.03.16 with use_lvmlockd = 0 (the rig's lvm.conf
# default, and what thinbox is: it has no lvmlockd). Same exit code, stdout and stderr, same VG
# afterwards. lvm2's vgchange --lockstart/--lockstop/--locktype functions return 0 after their
# refusal, so lvm2 exits 0 there (measured here; tools/vgchange.c vgchange_lock_start_stop_cmd,
# vgchange_locktype_cmd). ----

# The VG's metadata lines that name a lock (lock_type, lock_args), from lvm2's vgcfgbackup.
lk_meta() { # VG
	"$LC_LVM" vgcfgbackup -f "$TB_TMP/lk.$1" "$1" >/dev/null 2>&1 || die "vgcfgbackup $1"
	grep -E '^[[:space:]]*lock_(type|args) =' "$TB_TMP/lk.$1" | tr -d '\t'
}
lk_seqno() { # VG
	"$LC_LVM" vgs --noheadings -o vg_seqno "$1" 2>/dev/null | tr -d ' '
}

testcase_lvmcmds_lockd_incus() {
	local sa sb
	lc_vgs 512M
	# an Incus-like VG: its thin pool (active), a thin volume with activation skip, a plain LV
	lc_both 0 lvcreate --yes --wipesignatures y --thinpool @VG@/IncusThinPool -L 64m
	lc_both 0 lvcreate --name containers_c1 --yes --wipesignatures y --thin --virtualsize \
		33554432b @VG@/IncusThinPool
	lc_both 0 lvchange --setactivationskip y /dev/@VG@/containers_c1
	lc_step 0 lvcreate -n custom_v1 -L 8m @VG@
	# Incus internal/server/storage/drivers/driver_lvm.go Mount (lvmcluster): "Error starting
	# lock manager" unless this exits 0; lvm2 without lvmlockd says why and exits 0
	lc_same 0 vgchange --lockstart
	lc_same 0 vgchange --lockstart @VG@
	lc_same 0 vgchange --lockstop @VG@
	lc_same 0 vgchange --lockstart --lockopt auto @VG@
	lc_same 0 vgchange --lock-start nosuchvg
	lc_same 3 vgchange --lockstart --lockstop @VG@
	lc_same 3 vgchange --lockstart -ay @VG@
	lc_same 0 lvmconfig --type default global/use_lvmlockd
	lc_same_state "vgchange --lockstart"
	# driver_lvm_utils.go acquireExclusive: exclusive for the operation, shared again after
	lc_step 0 lvchange --activate ey --ignoreactivationskip /dev/@VG@/containers_c1
	lc_step 0 lvchange --activate sy --ignoreactivationskip /dev/@VG@/containers_c1
	lc_both 0 lvchange --activate n --ignoreactivationskip /dev/@VG@/containers_c1
	# driver_lvm_utils.go activateVolume (lvmcluster): shared activation
	lc_step 0 lvchange --activate sy --ignoreactivationskip /dev/@VG@/containers_c1
	lc_both 0 lvchange --activate n --ignoreactivationskip /dev/@VG@/containers_c1
	lc_both 0 lvchange -an /dev/@VG@/custom_v1
	lc_step 0 lvchange --activate sy --ignoreactivationskip /dev/@VG@/custom_v1
	# the other spellings of lvm2 activation_arg, --lockopt (accepted by every command, used
	# only with lvmlockd), vgchange -asy/-aey
	lc_both 0 vgchange -an @VG@
	lc_step 0 vgchange --lockopt skipgl -asy @VG@
	lc_both 0 vgchange -an @VG@
	lc_step 0 vgchange -aey @VG@
	lc_both 0 lvchange -an @VG@/custom_v1
	lc_step 0 lvchange --activate e @VG@/custom_v1
	lc_both 0 lvchange -an @VG@/custom_v1
	lc_step 0 lvchange --activate ys --lockopt x @VG@/custom_v1
	lc_same 0 lvs --lockopt x --noheadings -o lv_name,vg_lock_type,vg_shared @VG@/custom_v1
	# vgchange --locktype: refused without lvmlockd, exit 0; nothing written
	sa=$(lk_seqno "$LC_A") sb=$(lk_seqno "$LC_B")
	lc_same 0 vgchange --locktype none @VG@
	lc_same 0 vgchange --lock-type sanlock @VG@
	lc_same 0 vgchange --locktype dlm @VG@
	lc_same 0 vgchange --locktype clvm @VG@
	lc_same 3 vgchange --locktype foo @VG@
	lc_same 3 vgchange --locktype none
	lc_same 3 vgchange --locktype none -ay @VG@
	lc_same 0 vgchange --locktype sanlock --lockopt force @VG@
	lc_same 0 vgchange --locktype none --lockopt force @VG@
	lc_same 5 vgchange --locktype none --lockopt force -y nosuchvg
	assert_eq "$sa $sb" "$(lk_seqno "$LC_A") $(lk_seqno "$LC_B")" "seqnos after the refusals"
	assert_eq "" "$(lk_meta "$LC_A")$(lk_meta "$LC_B")" "lock lines after the refusals"
	lc_same_state "vgchange --locktype (refused)"
	# the recovery path lvm2 runs without lvmlockd: lock_type "none" written, seqno + 1
	lc_same 0 vgchange --locktype none --lockopt force -y @VG@
	assert_eq "$((sa + 1)) $((sb + 1))" "$(lk_seqno "$LC_A") $(lk_seqno "$LC_B")" \
		"seqnos after --lockopt force"
	assert_eq 'lock_type = "none"' "$(lk_meta "$LC_A")" "lvm2's lock lines"
	assert_eq 'lock_type = "none"' "$(lk_meta "$LC_B")" "thinbox's lock lines"
	lc_same 0 vgs --noheadings -o vg_name,vg_lock_type,vg_shared,vg_attr @VG@
	lc_lvm2_reads
	# the VG stays a local one to both
	lc_step 0 lvcreate -n custom_v2 -L 8m @VG@
	lc_step 0 vgchange -an @VG@
	return 0
}

testcase_lvmcmds_lockd_vgcreate() {
	lc_vgs 64M
	# vgcreate --shared / --locktype: lvm2 2.03.16 tools/toollib.c vgcreate_params_set_from_args
	# with use_lvmlockd = 0 (exit 3, nothing written: the PV stays a PV of no VG)
	lc_both 0 vgremove -f @VG@
	lc_same 3 vgcreate --shared @VG@ @PV@
	lc_same 3 vgcreate --shared --lockopt nowait @VG@ @PV@
	lc_same 3 vgcreate --locktype sanlock @VG@ @PV@
	lc_same 3 vgcreate --lock-type dlm @VG@ @PV@
	lc_same 3 vgcreate --locktype idm @VG@ @PV@
	lc_same 3 vgcreate --locktype clvm @VG@ @PV@
	lc_same 3 vgcreate --locktype foo @VG@ @PV@
	lc_same 3 vgcreate --shared --locktype none @VG@ @PV@
	lc_same 3 vgcreate --shared --locktype sanlock @VG@ @PV@
	lc_same 3 pvcreate --shared @PV@
	lc_same 5 vgs @VG@
	lc_same 0 pvs --noheadings -o pv_name,vg_name @PV@
	# --locktype none: a local VG, no lock line written (lvm2's lockd_init_vg does nothing)
	lc_same 0 vgcreate --locktype none @VG@ @PV@
	assert_eq "" "$(lk_meta "$LC_A")$(lk_meta "$LC_B")" "lock lines after vgcreate --locktype none"
	lc_same 0 vgs --noheadings -o vg_name,vg_lock_type,vg_shared,vg_attr @VG@
	lc_lvm2_reads
	return 0
}

# A shared VG (lock_type sanlock written into the committed text, as damaged-foreign.sh does):
# without lvmlockd both refuse to activate it; vgchange --locktype none --lockopt force -y,
# lvm2's recovery (tools/vgchange.c vgchange_locktype_cmd), makes it a local VG again.
lk_share() { # DEV
	local t=$TB_TMP/lk.text ed="perl $TB_TOP/tests/integration/damaged-edit.pl"
	$ed text "$1" >"$t" || die "text of $1"
	perl -0pi -e 's/^(status = .*\n)/$1lock_type = "sanlock"\nlock_args = "1.0.0:lvmlock"\n/m;
		s/(\nlv1 \{\n(?:.*\n)*?status = .*\n)/$1lock_args = "1.0.0:70254592"\n/' "$t"
	$ed settext "$1" "$t" || die "settext of $1"
}
testcase_lvmcmds_lockd_shared() {
	lc_vgs 64M
	lc_both 0 lvcreate -an -Zn -n lv1 -L 8m @VG@
	lk_share "$LC_PVA"
	lk_share "$LC_PVB"
	# (lvm2's vgcfgbackup refuses a shared VG: read the text on the disk)
	assert_eq 'lock_type = "sanlock" lock_args = "1.0.0:lvmlock" lock_args = "1.0.0:70254592"' \
		"$(perl "$TB_TOP/tests/integration/damaged-edit.pl" text "$LC_PVB" |
			grep -E '^[[:space:]]*lock_(type|args) =' | tr -d '\t' | paste -sd' ')" \
		"the VG is shared"
	# lvm2 prints its refusal twice, thinbox once (docs/lvm2-differences.md): rc only
	lc_both 5 vgchange -ay @VG@
	lc_same 0 vgchange --lockstart @VG@
	lc_same 0 vgchange --locktype none @VG@
	lc_same 0 vgchange --locktype none --lockopt force -y @VG@
	assert_eq 'lock_type = "none"' "$(lk_meta "$LC_A")" "lvm2's lock lines"
	assert_eq 'lock_type = "none"' "$(lk_meta "$LC_B")" "thinbox's lock lines"
	lc_step 0 vgchange -ay @VG@
	lc_lvm2_reads
	return 0
}
