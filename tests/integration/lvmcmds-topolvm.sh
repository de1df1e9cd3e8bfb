# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- TopoLVM (topolvm/topolvm internal/lvmd/command/lvm.go; lvmd runs "lvm <cmd>") ----
testcase_lvmcmds_topolvm() {
	lc_vgs 1G
	# VolumeGroup.CreatePool
	lc_both 0 lvcreate -T @VG@/pool --size 209715200b
	# ThinPool.CreateVolume (tags from the LogicalVolume CR)
	lc_both 0 lvcreate -T @VG@/pool -n thin1 -V 104857600b -W y -y --addtag topolvm/a \
		--addtag @b:2
	# VolumeGroup.CreateVolume
	lc_both 0 lvcreate -n lin1 -L 8388608b -W y -y --addtag lt @VG@
	# LogicalVolume.ThinSnapshot
	lc_step 0 lvcreate -s -k n -n snap1 @VG@/thin1 --addtag s1
	# LogicalVolume.Activate("ro") and ("rw")
	lc_both 0 lvchange -p r /dev/@VG@/snap1
	lc_step 5 lvchange -p r /dev/@VG@/snap1
	lc_both 0 lvchange -k n -a y /dev/@VG@/thin1
	# LogicalVolume.Resize, ThinPool.Resize
	lc_both 0 lvresize -L 16777216b @VG@/lin1
	lc_step 0 lvresize -f -L 314572800b @VG@/pool
	# LogicalVolume.Rename (an active thin LV: lvm2 renames it live)
	lc_both 0 lvrename @VG@ thin1 thin1b
	[ -b "/dev/$LC_B/thin1b" ] && [ ! -e "/dev/$LC_B/thin1" ] || die "/dev/$LC_B links not moved"
	[ -b "/dev/mapper/$LC_B-thin1b" ] || die "no /dev/mapper/$LC_B-thin1b"
	# VolumeGroup.RemoveVolume
	lc_step 0 lvremove -f @VG@/snap1
	lc_both 5 lvremove -f @VG@/nosuch
	lc_lvm2_reads
}
