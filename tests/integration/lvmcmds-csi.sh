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
	# extendLVS: lvextend -L Nb -r on an ext4 LV (lvm2's fsadm: e2fsck -f -p, resize2fs)
	mkfs.ext4 -q "/dev/$LC_A/pvc-1" && mkfs.ext4 -q "/dev/$LC_B/pvc-1" || die "mkfs.ext4"
	lc_step 0 lvextend -L 16777216b -r @VG@/pvc-1
	assert_eq "$(tune2fs -l "/dev/$LC_A/pvc-1" | grep '^Block count')" \
		"$(tune2fs -l "/dev/$LC_B/pvc-1" | grep '^Block count')" "ext4 grown by lvextend -r"
	# no filesystem: thinbox refuses before the LV changes
	tb_clean_lc lvcreate -n blank -L 8m "$LC_B"
	out=$(assert_fails 5 "$TB" lvextend -L 16m -r "$LC_B/blank") || exit 1
	assert_match "FSTYPE" "$out" "lvextend -r without a filesystem"
	assert_eq "8388608B" "$(lvm_clean lvs --noheadings --units b -o lv_size "$LC_B/blank" | tr -d ' ')" \
		"a refused lvextend -r changed nothing"
	tb_clean_lc lvremove -y "$LC_B/blank"
	# deletelv (google/lvmd RemoveLV, used by the driver's delete path)
	lc_step 0 lvremove -f @VG@/pvc-1
	lc_lvm2_reads
}
