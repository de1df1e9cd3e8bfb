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
	# enable_auto_pool_extension / disable_auto_pool_extension: a profile written to lvm2's
	# profile_dir (`lvm dumpconfig --type full | grep profile_dir`), attached, later detached
	local pd
	pd=$("$LC_LVM" dumpconfig --type full 2>/dev/null | grep profile_dir | cut -d= -f2 | sed 's/"//g')
	assert_eq "$pd" \
		"$("$TB" dumpconfig --type full 2>/dev/null | grep profile_dir | cut -d= -f2 | sed 's/"//g')" \
		"profile_dir"
	[ -n "$pd" ] || die "no profile_dir in lvm2's full configuration dump"
	mkdir -p "$pd"
	printf 'activation {\n\tthin_pool_autoextend_threshold=80\n\tthin_pool_autoextend_percent=20\n\n}\n' \
		>"$pd/tbt-css-extend.profile"
	lc_both 0 lvchange --metadataprofile tbt-css-extend @VG@/docker-pool
	assert_eq "tbt-css-extend tbt-css-extend" \
		"$(lvm_clean lvs --noheadings -o lv_profile "$LC_A/docker-pool" "$LC_B/docker-pool" | tr -d ' ' | paste -sd' ')" \
		"lv_profile after --metadataprofile"
	lc_both 0 lvchange --detachprofile @VG@/docker-pool
	assert_eq "" \
		"$(lvm_clean lvs --noheadings -o lv_profile "$LC_A/docker-pool" "$LC_B/docker-pool" | tr -d ' ')" \
		"lv_profile after --detachprofile"
	rm -f "$pd/tbt-css-extend.profile"
	# create_lv (container root LV), its deactivation and removal
	lc_both 0 lvcreate -y -L 8m -n root-lv @VG@
	lc_both 0 lvchange -an @VG@/root-lv
	lc_both 0 lvremove @VG@/root-lv
	# reset_lvm_thin_pool
	lc_both 0 lvchange -an @VG@/docker-pool
	lc_step 0 lvremove @VG@/docker-pool
	lc_lvm2_reads
}
