# shellcheck shell=bash
# The report command lines of real clients, run against lvm2 2.03.16 and against thinbox on
# the same VG (made by lvm2: linear LVs with tags, a two-segment LV, a thin pool, a thin LV, a
# thin snapshot, an inactive LV). Compared: what each client parses. Live kernel percentages
# (data_percent, metadata_percent, snap_percent) are masked, never compared.

VGR=${TB_PREFIX}rv

# lvm2 builds the VG; thinbox only reads it
reports_setup() {
	local a b
	a=$(tb_disk 400M) b=$(tb_disk 200M)
	lvm_q() { "$LVM2_BIN" "$@" >/dev/null 2>&1 || die "lvm $* failed"; }
	lvm_q pvcreate -y "$a" "$b"
	lvm_q vgcreate --addtag vgtag1 --addtag vgtag2 "$VGR" "$a" "$b"
	lvm_q lvcreate -n lin -L 8M --addtag t1 --addtag t2 "$VGR" "$a"
	lvm_q lvcreate -n lin2 -L 4M "$VGR" "$b"
	lvm_q lvextend -L +4M "$VGR/lin2" "$a"
	lvm_q lvcreate -T "$VGR/pool" -L 64M
	lvm_q lvcreate -V 32M -T "$VGR/pool" -n thin --addtag thintag
	lvm_q lvcreate -s "$VGR/thin" -n snap
	lvm_q lvcreate -an -Zn -n off -L 4M "$VGR"
	export THINBOX_DEVICES="$a:$b" RPV_A=$a RPV_B=$b
	if [ "${1:-}" = two ]; then # a second VG: fullreport's JSON has one object per VG
		local c
		c=$(tb_disk 100M)
		lvm_q pvcreate -y "$c"
		lvm_q vgcreate "${VGR}2" "$c"
		lvm_q lvcreate -n other -L 8M "${VGR}2"
		export THINBOX_DEVICES="$a:$b:$c"
	fi
}

# mask live percentages in JSON and in ':'-separated Proxmox lines
mask_json() { sed -E 's/"(data_percent|metadata_percent|snap_percent)":"[^"]*"/"\1":"*"/g'; }

# both TOOL-prefixed runs of the same arguments must print the same (after FILTER)
same_out() { # FILTER ARGS...
	local filter=$1 a b ea eb ra rb
	shift
	ea=$(mktemp "$TB_TMP/e.XXXXXX") eb=$(mktemp "$TB_TMP/e.XXXXXX")
	a=$("$LVM2_BIN" "$@" 2>"$ea"); ra=$?
	b=$("$TB" "$@" 2>"$eb"); rb=$?
	[ "$ra" = "$rb" ] || die "$*: lvm2 exited $ra ($(cat "$ea")), thinbox $rb ($(cat "$eb"))"
	a=$(printf '%s\n' "$a" | eval "$filter")
	b=$(printf '%s\n' "$b" | eval "$filter")
	if [ "$a" != "$b" ]; then
		printf '%s\n' "$a" >"$ea"
		printf '%s\n' "$b" >"$eb"
		diff "$ea" "$eb" >&2
		die "$*: output differs (< lvm2, > thinbox)"
	fi
}

# TopoLVM internal/lvmd/command/lvm_state_json.go getLVMState: the fullreport it decodes
# (report[].vg[], report[].lv[] as strings), lvm_lvs.go getLVReport, lvm_vgs.go getVGReport.
testcase_topolvm() {
	reports_setup two
	local lvcols=lv_uuid,lv_name,lv_full_name,lv_path,lv_size,lv_kernel_major,lv_kernel_minor,origin,origin_size,pool_lv,lv_tags,lv_attr,vg_name,data_percent,metadata_percent,pool_lv
	# one object per VG, in lvm2's processing order (lvmcache's); TopoLVM iterates them all:
	# compared per VG
	same_out "mask_json | jq -S '.report | sort_by(.vg[0].vg_name)'" \
		fullreport --reportformat json --units b --nosuffix \
		--configreport vg -o vg_name,vg_uuid,vg_size,vg_free \
		--configreport lv -o "$lvcols" \
		--configreport pv -o, --configreport pvseg -o, --configreport seg -o,
	# the JSON text itself, byte for byte, for one VG
	same_out mask_json fullreport "$VGR" --reportformat json --units b --nosuffix \
		--configreport vg -o vg_name,vg_uuid,vg_size,vg_free \
		--configreport lv -o "$lvcols" \
		--configreport pv -o, --configreport pvseg -o, --configreport seg -o,
	same_out mask_json lvs "$VGR" -o "$lvcols" --units b --nosuffix --reportformat json
	same_out mask_json vgs "$VGR" -o vg_uuid,vg_name,vg_size,vg_free --units b --nosuffix \
		--reportformat json
}

# Proxmox pve-storage src/PVE/Storage/LVMPlugin.pm: lvm_list_volumes (splits on ':', reads
# columns 1-12; percents masked), lvm_vgs(1), lvm_pv_info, volume_size_info.
testcase_proxmox() {
	reports_setup
	same_out "awk -F: 'BEGIN{OFS=\":\"} {\$6=\$7=\$8=\"*\"; print}' | sort" \
		lvs --separator : --noheadings --units b --unbuffered --nosuffix \
		--config 'report/time_format="%s"' --options \
		vg_name,lv_name,lv_size,lv_attr,pool_lv,data_percent,metadata_percent,snap_percent,uuid,tags,metadata_size,time
	same_out cat vgs --separator : --noheadings --units b --unbuffered --nosuffix \
		--options vg_name,vg_size,vg_free,lv_count,pv_name,pv_size,pv_free
	same_out cat pvs --separator : --noheadings --units k --unbuffered --nosuffix \
		--options pv_name,pv_size,vg_name,pv_uuid "$RPV_A"
	same_out cat lvs --separator : --noheadings --units b --unbuffered --nosuffix \
		--options lv_size "$VGR/lin2"
	# Diskmanage.pm get_ceph_volume_infos / get_lvm_devices
	same_out cat lvs -S 'lv_name=~^th' -o devices,lv_name,lv_tags --noheadings --readonly \
		--separator ';'
	same_out cat pvs --noheadings --readonly -o pv_name
}

# Incus internal/server/storage/drivers/driver_lvm.go (lvm version: the "version:" lines),
# driver_lvm_utils.go: volumeGroupExists, getPhysicalDevices, volumeGroupExtentSize,
# volumeGroupSize, countLogicalVolumes, countThinVolumes, thinpoolExists, logicalVolumeSize,
# thinPoolVolumeUsage (lv_size only: data_percent is live), snapshotNeedsCoWGrow,
# sanlockVolumeGroups.
testcase_incus() {
	reports_setup
	local ver
	ln -sf "$TB" "$TB_TMP/lvm"
	ver=$("$TB_TMP/lvm" version | awk -F: '/version:/ {sub(/^ +/, "", $2); print $2; exit}')
	assert_eq "2.03.16(2) (2022-05-18)" "$ver" "lvm version's first version: line"
	assert_fails 3 "$TB_TMP/lvm" --version >/dev/null
	same_out cat vgs --noheadings -o vg_tags "$VGR"
	same_out cat pvs --noheadings -o pv_name -S "vg_name=$VGR"
	same_out cat vgs --noheadings --nosuffix --units b -o vg_extent_size "$VGR"
	same_out cat vgs --noheadings --nosuffix --units b -o vg_size "$VGR"
	same_out cat vgs "$VGR" --noheadings --units b --nosuffix --separator , -o vg_size,vg_free
	same_out cat vgs --noheadings -o lv_count "$VGR"
	same_out cat lvs --noheadings -o thin_count "$VGR/pool"
	same_out cat lvs --noheadings -o lv_attr "$VGR/pool"
	same_out cat lvs --noheadings --nosuffix --units b -o lv_size "$VGR/thin"
	same_out "cut -d, -f1" lvs "$VGR/thin" --noheadings --units b --nosuffix --separator , \
		-o lv_size,data_percent
	same_out cat lvs --noheadings --nosuffix --units b -o lv_size,origin_size "$VGR/snap"
	same_out cat lvs --noheadings -o lv_name,lv_attr "$VGR"
	same_out cat vgs --noheadings -o vg_name -S vg_lock_type=sanlock
}

# OpenEBS lvm-localpv pkg/lvm/lvm_util.go ListLVMVolumeGroup / ListLVMLogicalVolume /
# ListLVMPhysicalVolume (JSON maps; the keys parseVolumeGroup/parseLogicalVolume/
# parsePhysicalVolume read), getLVSize, getVGSize, lvThinExists.
testcase_openebs() {
	reports_setup
	same_out "jq -S '[.report[0].vg[] | {vg_name,vg_uuid,pv_count,lv_count,max_lv,max_pv,snap_count,vg_missing_pv_count,vg_mda_count,vg_mda_used_count,vg_size,vg_free,vg_mda_size,vg_mda_free,vg_permissions,vg_allocation_policy}]'" \
		vgs --options vg_all --reportformat json --units b
	same_out "jq -S '[.report[0].lv[] | {lv_name,lv_full_name,lv_uuid,lv_path,lv_dm_path,vg_name,lv_active,lv_size,lv_metadata_size,segtype,lv_host,pool_lv,lv_permissions,lv_when_full,lv_health_status,raid_sync_action}]'" \
		lvs --options lv_all,vg_name,segtype --reportformat json --units b
	same_out "jq -S '[.report[0].pv[] | {pv_name,pv_uuid,pv_in_use,pv_allocatable,pv_missing,vg_name,pv_size,pv_free,pv_used,pv_mda_size,pv_mda_free,dev_size}]'" \
		pvs --options pv_all,vg_name --reportformat json --units b
	same_out cat lvs "$VGR/lin" --noheadings -o lv_size --units b --nosuffix
	same_out cat vgs "$VGR" --noheadings -o vg_free --units b --nosuffix
	same_out cat lvs "$VGR/thin" --noheadings -o lv_name
}

# container-storage-setup container-storage-setup.sh get_devicemapper_config_options
# (--nameprefixes, eval'd), is_valid_thinpool (lv_name,lv_attr ','), the -S in
# is_dev_part_of_vg, the vgs size lines; metal-stack csi-driver-lvm pkg/lvm/lvm.go VgStats,
# pvCount, VgExists.
testcase_css_csi() {
	reports_setup
	same_out cat lvs --nameprefixes --noheadings -o lv_name,kernel_major,kernel_minor "$VGR"
	same_out cat lvs --noheadings -o lv_name,lv_attr --separator , "$VGR"
	same_out cat pvs --noheadings -o pv_name -S "pv_name=$RPV_A,vg_name=$VGR"
	same_out cat vgs --noheadings --nosuffix --units s -o vg_size "$VGR"
	same_out cat vgs --noheadings --nosuffix --units b -o vg_free "$VGR"
	same_out cat vgs "$VGR" --units B --nosuffix --reportformat json
	same_out cat vgs "$VGR" --noheadings -o pv_count
}

# lvm2's field values for every field of every object thinbox has, in basic format (widths
# included), with the kernel-only fields (read-ahead, percents) left out.
testcase_all_fields() {
	reports_setup
	# live kernel figures masked: percents, open counts
	same_out "mask_json | sed -E 's/\"lv_device_open\":\"[^\"]*\"/*/g'" \
		lvs -a -o lv_all --reportformat json "$VGR"
	same_out "mask_json | sed -E 's/\"lv_device_open\":\"[^\"]*\"/*/g'" \
		lvs -a -o lv_name,lv_kernel_major,lv_kernel_minor,lv_kernel_read_ahead,lv_permissions,lv_suspended,lv_live_table,lv_inactive_table,lv_device_open \
		--reportformat json "$VGR"
	same_out cat vgs -o vg_all "$VGR"
	same_out cat pvs -o pv_all
	# seg_monitor masked: lvm2's pools are watched by dmeventd, thinbox's monitor is off in
	# the rig; and as lvm2, `-o -seg_monitor` does not take back what seg_all brought
	same_out "sed -E 's/\"seg_monitor\":\"[^\"]*\"/*/g'" \
		lvs -a -o lv_name,seg_all -o -seg_monitor --units b --reportformat json "$VGR"
	same_out cat pvs -o pv_name,pvseg_all,lv_uuid
	same_out cat lvs --binary -o lv_name,lv_active_locally,zero,lv_skip_activation "$VGR"
	same_out cat lvs --rows -o lv_name,lv_size "$VGR"
	same_out cat lvs -S 'lv_size>=8m && lv_name!=lin' --noheadings -o lv_name "$VGR"
	same_out cat lvs -S 'lv_tags=t1 || lv_tags={thintag}' --noheadings -o lv_name "$VGR"
	same_out cat lvs -S '!(lv_name=~^l)' --noheadings -o lv_name "$VGR"
	same_out cat lvs -S 'segtype=thin-pool' --noheadings -o lv_name "$VGR"
	for u in h H b B s S k K m M g G t T r R; do
		same_out cat vgs --units $u -o vg_name,vg_size,vg_free,vg_extent_size "$VGR"
	done
}

# Incus driver_lvm_utils.go lvmDevPath: `lvdisplay -c LV`, major and minor from the last two
# ':' fields (and every other field as lvm2); the seed recipe's `vgdisplay docker`; pvdisplay,
# lvscan; container-storage-setup's `lvm dumpconfig --type full | grep profile_dir`
# (container-storage-setup.sh, lines 1105/1136) and the lvmconfig keys thinbox honours.
testcase_display_config() {
	reports_setup
	same_out cat lvdisplay -c "$VGR/thin"
	same_out cat lvdisplay -c "$VGR/off"
	same_out cat lvdisplay -c "$VGR"
	same_out "grep -v 'currently set to'" lvdisplay "$VGR"
	same_out cat vgdisplay "$VGR"
	same_out cat vgdisplay -c "$VGR"
	same_out cat pvdisplay "$RPV_A"
	same_out cat pvdisplay -c "$RPV_A"
	same_out cat lvscan
	same_out cat lvscan -a
	same_out "grep profile_dir | cut -d = -f2 | sed 's/\"//g'" dumpconfig --type full
	for k in activation/thin_pool_autoextend_threshold activation/thin_pool_autoextend_percent \
		config/profile_dir global/locking_type global/thin_check_executable; do
		same_out cat lvmconfig --type full "$k"
		same_out cat lvmconfig --type default "$k"
		same_out cat lvmconfig "$k"
	done
	same_out cat lvmconfig nosuch/key
	"$LVM2_BIN" vgchange -an "$VGR" >/dev/null 2>&1 || die "vgchange -an"
	same_out cat lvdisplay -c "$VGR"
	same_out cat lvdisplay "$VGR/pool"
	same_out cat lvscan
}
