# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- OpenEBS LVM LocalPV (openebs/lvm-localpv pkg/lvm/lvm_util.go) ----
testcase_lvmcmds_openebs() {
	lc_vgs 1G
	# buildLVMCreateArgs, first thin volume: the pool and the volume in one lvcreate
	lc_both 0 lvcreate -L 209715200b -T @VG@/@VG@_thinpool -V 104857600b -n pvc-1 -y
	# buildLVMCreateArgs, the pool exists
	lc_both 0 lvcreate -T @VG@/@VG@_thinpool -V 104857600b -n pvc-2 -y
	# buildLVMCreateArgs, thick volume
	lc_both 0 lvcreate -L 8388608b -n pvc-3 @VG@ -y
	# buildLVMSnapCreateArgs (thin: no size)
	lc_step 0 lvcreate --snapshot --name snap1 --permission r /dev/@VG@/pvc-1
	# buildLVMRestoreThinSnapshotArgs, then buildLVMVolumeActivateArgs
	lc_both 0 lvcreate -s -n restore1 @VG@/snap1 -y
	lc_step 0 lvchange -kn -ay @VG@/restore1
	# buildVolumeResizeArgs (resizefs off)
	lc_both 0 lvextend /dev/@VG@/pvc-2 -L 125829120b
	# ReloadLVMMetadataCache
	lc_both 0 pvscan --cache
	# buildLVMSnapDestroyArgs, buildLVMDestroyArgs
	lc_both 0 lvremove -y /dev/@VG@/snap1
	lc_both 0 lvremove -y /dev/@VG@/pvc-1
	# DestroyVolume: the pool removal is answered "n" while thin LVs remain
	lc_both 5 lvremove @VG@/@VG@_thinpool
	grep -q 'will remove 2 dependent volume' "$TB_TMP/lc.b.out" "$TB_TMP/lc.b.err" ||
		die "thinbox did not say the pool has dependent volumes: $(cat "$TB_TMP/lc.b.out" "$TB_TMP/lc.b.err")"
	lc_step 0 lvremove -y @VG@/@VG@_thinpool
	lc_lvm2_reads
}
