# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- Proxmox VE (proxmox/pve-storage src/PVE/Storage/LvmThinPlugin.pm, LVMPlugin.pm) ----
testcase_lvmcmds_proxmox() {
	LC_PVA=$(tb_disk 1G) && LC_PVB=$(tb_disk 1G) || exit 1
	# LVMPlugin::lvm_create_volume_group
	lc_both 0 pvcreate --metadatasize 250k @PV@
	lc_both 0 vgcreate @VG@ @PV@
	lc_same_state "vgcreate"
	lvm_clean lvcreate -q -T "$LC_A/data" -L 200m >/dev/null
	tb_clean_lc lvcreate -T "$LC_B/data" -L 200m
	# LvmThinPlugin::alloc_image, then $set_lv_autoactivation
	lc_step 0 lvcreate -aly -V 102400k --name vm-100-disk-0 --thinpool @VG@/data
	lc_both 0 lvchange --setautoactivation n @VG@/vm-100-disk-0
	# volume_snapshot, activate_volume of it ($activate_lv), deactivate_volume
	lc_both 0 lvcreate -n snap_vm-100-disk-0_s1 -pr -s @VG@/vm-100-disk-0
	lc_step 0 lvchange -ay -K @VG@/snap_vm-100-disk-0_s1
	lc_both 0 lvchange -an @VG@/snap_vm-100-disk-0_s1
	# volume_snapshot_rollback
	lc_both 0 lvremove -f @VG@/vm-100-disk-0
	lc_both 0 lvcreate -kn -n vm-100-disk-0 -s @VG@/snap_vm-100-disk-0_s1
	# create_base: rename, then inactive + read-only + activation skip
	lc_both 0 lvrename @VG@ vm-100-disk-0 base-100-disk-0
	lc_step 0 lvchange -an -pr -ky @VG@/base-100-disk-0
	# clone_image
	lc_both 0 lvcreate -n vm-101-disk-0 -prw -kn -s @VG@/base-100-disk-0
	# volume_snapshot_delete
	lc_both 0 lvremove -f @VG@/snap_vm-100-disk-0_s1
	lc_lvm2_reads
}

# LVMPlugin (thick LVs): lvcreate with a tag, resize, @tag activation, vgscan, vgchange -aln,
# vgremove -y.
testcase_lvmcmds_proxmox_lvm() {
	LC_PVA=$(tb_disk 1G) && LC_PVB=$(tb_disk 1G) || exit 1
	lc_both 0 pvcreate --metadatasize 250k @PV@
	lc_both 0 vgcreate @VG@ @PV@
	lvm_clean lvcreate -q -T "$LC_A/data" -L 64m >/dev/null
	tb_clean_lc lvcreate -T "$LC_B/data" -L 64m
	# LVMPlugin::lvcreate (thick, tagged), volume_resize, free_lvm_volumes
	lc_both 0 lvcreate -aly -Wy --yes --size 8192k --name vm-102-disk-0 --setautoactivation n \
		--addtag pve-vm-102 @VG@
	lc_both 0 lvextend -L 16384k /dev/@VG@/vm-102-disk-0
	lc_step 0 lvchange -aly @pve-vm-102
	# activate_volume (a raw volume: its path, exclusive mode, then --refresh), deactivate_volume
	lc_both 0 lvchange -aey /dev/@VG@/vm-102-disk-0
	lc_step 0 lvchange --refresh /dev/@VG@/vm-102-disk-0
	lc_step 0 lvchange -aln /dev/@VG@/vm-102-disk-0
	# free_lvm_volumes with saferemove: renamed to del-NAME first, removed by the zero-out worker
	lc_both 0 lvrename @VG@ vm-102-disk-0 del-vm-102-disk-0
	lc_step 0 lvremove -f @VG@/del-vm-102-disk-0
	lc_both 0 lvcreate -aly -Wy --yes --size 8192k --name vm-102-disk-0 --setautoactivation n \
		--addtag pve-vm-102 @VG@
	# activate_storage: vgscan (lvm2 exits 5 in the rig, without udev, over --mknodes; the
	# listing must agree), deactivate_storage
	"$LC_LVM" vgscan --ignorelockingfailure --mknodes >"$TB_TMP/lc.a.out" 2>/dev/null
	assert_ok "$TB" vgscan --ignorelockingfailure --mknodes >"$TB_TMP/lc.b.out"
	assert_eq "$(grep -c "Found volume group \"$LC_A\"" "$TB_TMP/lc.a.out")" \
		"$(grep -c "Found volume group \"$LC_B\"" "$TB_TMP/lc.b.out")" "vgscan lines"
	lc_step 0 vgchange -aln @VG@
	lc_lvm2_reads
	# lvm_destroy_volume_group
	lc_both 0 vgremove -y @VG@
	sed "s/$LC_A/VG/g" "$TB_TMP/lc.a.out" | LC_ALL=C sort >"$TB_TMP/lc.a.s"
	sed "s/$LC_B/VG/g" "$TB_TMP/lc.b.out" | LC_ALL=C sort >"$TB_TMP/lc.b.s"
	cmp -s "$TB_TMP/lc.a.s" "$TB_TMP/lc.b.s" ||
		die "vgremove -y output: lvm2 $(cat "$TB_TMP/lc.a.s") thinbox $(cat "$TB_TMP/lc.b.s")"
}
