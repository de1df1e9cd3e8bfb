# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- csi-driver-lvm (metal-stack/csi-driver-lvm pkg/lvm/lvm.go) ----
testcase_lvmcmds_csi_driver_lvm() {
	LC_PVA=$(tb_disk 1G) && LC_PVB=$(tb_disk 1G) || exit 1
	# CreateVG (vgcreate makes the PV; --add-tag is lvm2's --addtag)
	lc_both 0 vgcreate -v @VG@ @PV@ --add-tag vg.metal-stack.io/csi-lvm
	lc_same_state "vgcreate"
	# CreateLVS
	lc_step 0 lvcreate -v -n pvc-1 -W y -L 8388608b --add-tag lv.metal-stack.io/csi-lvm @VG@
	# vgActivate: vgscan, then vgchange -ay over every VG
	lc_both 0 vgscan
	lc_both 0 lvchange -an @VG@/pvc-1
	"$TB" vgchange -ay >/dev/null 2>&1 || die "thinbox vgchange -ay (every VG) failed"
	"$LC_LVM" vgchange -ay "$LC_A" >/dev/null 2>&1
	lc_same_state "vgchange -ay"
	# extendLVS with -r: thinbox says it cannot resize filesystems and changes nothing
	out=$(assert_fails 3 "$TB" lvextend -L 16777216b -r "$LC_B/pvc-1") || exit 1
	assert_match "resizefs" "$out" "lvextend -r refusal"
	lc_lvm2_reads
}
