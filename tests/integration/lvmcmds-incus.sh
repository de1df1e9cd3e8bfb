# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- Incus (lxc/incus internal/server/storage/drivers/driver_lvm.go, driver_lvm_utils.go) ----
testcase_lvmcmds_incus() {
	lc_vgs 1G
	# createDefaultThinPool (no size: all free space)
	lc_both 0 lvcreate --yes --wipesignatures y --thinpool @VG@/IncusThinPool --extents 100%FREE
	# Create: the pool marker tag
	lc_both 0 vgchange --addtag incus_pool @VG@
	# createLogicalVolume (thin), then activation skip
	lc_step 0 lvcreate --name containers_c1 --yes --wipesignatures y --thin --virtualsize \
		104857600b @VG@/IncusThinPool
	lc_both 0 lvchange --setactivationskip y /dev/@VG@/containers_c1
	# createLogicalVolumeSnapshot (thin, read-only)
	lc_both 0 lvcreate -n containers_c1-snap0 -s /dev/@VG@/containers_c1 --setactivationskip y -pr
	# activateVolume / deactivateVolume
	lc_step 0 lvchange --activate y --ignoreactivationskip /dev/@VG@/containers_c1-snap0
	lc_both 0 lvchange --activate n --ignoreactivationskip /dev/@VG@/containers_c1-snap0
	# renameLogicalVolume (active), resizeLogicalVolume
	lc_both 0 lvrename /dev/@VG@/containers_c1 /dev/@VG@/containers_c2
	lc_both 0 lvresize -L 125829120b -f /dev/@VG@/containers_c2
	# removeLogicalVolume
	lc_both 0 lvremove -f /dev/@VG@/containers_c1-snap0
	# Update: lvm.thinpool_name (the active pool renamed with its _tdata/_tmeta)
	lc_step 0 lvrename @VG@ IncusThinPool NewPool
	# Delete: the marker removed, then vgremove -f
	lc_step 0 vgchange --deltag incus_pool @VG@
	lc_lvm2_reads
	# Update: lvm.vg_name
	lc_both 0 vgrename @VG@ @VG@r
	lvm_clean vgck "${LC_B}r" >/dev/null
	[ -b "/dev/${LC_B}r/containers_c2" ] || die "vgrename: no /dev/${LC_B}r/containers_c2"
	[ ! -e "/dev/$LC_B" ] || die "vgrename: /dev/$LC_B is still there"
	assert_eq "$(dmsetup ls | grep -c "^${LC_A}r-")" "$(dmsetup ls | grep -c "^${LC_B}r-")" \
		"dm devices renamed"
	lc_both 0 vgremove -f @VG@r
	dmsetup ls | grep -q "^$LC_B" && die "devices of $LC_B left: $(dmsetup ls)"
	# Delete (driver_lvm.go): the PV the pool was made on goes too
	lc_both 0 pvremove -f @PV@
	"$LVM2_BIN" pvs "$LC_PVB" >/dev/null 2>&1 && die "pvremove -f: $LC_PVB is still a PV"
	return 0
}
