# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- container-storage-setup (projectatomic/container-storage-setup container-storage-setup.sh) ----
testcase_lvmcmds_css() {
	lc_vgs 1G
	# create_lvm_thin_pool
	lc_step 0 lvcreate -y --type thin-pool --zero n -c 512K --poolmetadatasize 8m -l 60%FREE \
		-n docker-pool @VG@
	# enable_auto_pool_extension... (line 2485: setup_thinpool's activation skip)
	lc_both 0 lvchange -ky @VG@/docker-pool
	# deactivate_devicemapper_thin_pool / activate_devicemapper_thin_pool
	lc_both 0 lvchange -an @VG@/docker-pool
	lc_both 0 lvchange -ay @VG@/docker-pool
	lc_step 0 lvchange -ay -K @VG@/docker-pool
	# create_lv (container root LV), its deactivation and removal
	lc_both 0 lvcreate -y -L 8m -n root-lv @VG@
	lc_both 0 lvchange -an @VG@/root-lv
	lc_both 0 lvremove @VG@/root-lv
	# reset_lvm_thin_pool
	lc_both 0 lvchange -an @VG@/docker-pool
	lc_step 0 lvremove @VG@/docker-pool
	lc_lvm2_reads
}
