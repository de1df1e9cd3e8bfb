# shellcheck shell=bash
# Thin pools with striped data (lvcreate --type thin-pool -i N [-I SIZE], -T VG/POOL -i N,
# --thinpool VG/POOL --stripes N as Incus runs it; lvextend [-i N] [-I SIZE] of such a pool):
# the same command run by real lvm2 2.03.16 on one VG and by thinbox on an equivalent one
# (three PVs each), judged by lvm2: exit codes and messages, the segments lvm2 reads back
# (segtype, #Str, Stripe, chunk size, sizes, how many PVs each segment spans; the PE positions
# differ: docs/lvm2-differences.md "allocation order"), vgck after every thinbox commit, the
# dm tables, data through a thin LV across reactivation by the other tool, and thin_check.
# Measured with tests/vm/measure-stripedpool-lvm2.sh.

# shellcheck source=tests/integration/lvtypes-lib.bash
. "$TB_TOP/tests/integration/lvtypes-lib.bash"

SP_SEGF=lv_name,lv_attr,lv_size,segtype,stripes,stripe_size,chunk_size,seg_start_pe,seg_size,devices

# The segments lvm2 reads back from VG A and from VG B, PV areas reduced to "PV" (where on a PV
# an area lies is allowed to differ), compared; then lvm2's vgck of thinbox's VG.
sp_same() { # what
	local x
	for x in A B; do
		local v=$ST_A
		[ $x = B ] && v=$ST_B
		"$LVM2_BIN" lvs -a --segments --noheadings --separator '|' --units b --nosuffix \
			-o "$SP_SEGF" "$v" 2>&1 | st_norm $x | sed -E 's/PV[0-9]+\([0-9]+\)/PV/g' \
			>"$TB_TMP/sp.segs.$x"
	done
	cmp -s "$TB_TMP/sp.segs.A" "$TB_TMP/sp.segs.B" ||
		die "$1: lvm2 reads different segments: lvm2's VG: $(cat "$TB_TMP/sp.segs.A") thinbox's VG: $(cat "$TB_TMP/sp.segs.B")"
	lvm_clean vgck "$ST_B" >/dev/null
}

# The dm tables of a VG's devices: each major:minor replaced by the device's name, PV loop
# devices by PVk; with "shape", a PV and its offset become "PV" (positions may differ).
sp_tables() { # A|B [shape]
	local v d m n
	if [ "$1" = A ]; then v=$ST_A; else v=$ST_B; fi
	dmsetup table 2>/dev/null | grep "^$v-" | sort >"$TB_TMP/sp.t"
	dmsetup info -c --noheadings -o name,major,minor --separator ' ' 2>/dev/null |
		awk -v p="^$v-" '$1 ~ p {print $1, $2 ":" $3}' >"$TB_TMP/sp.devs"
	while read -r n m; do
		sed -i "s| $m\\b| $n|g" "$TB_TMP/sp.t"
	done <"$TB_TMP/sp.devs"
	for d in $(seq 1 "$ST_N"); do
		eval "n=\$ST_$1$d"
		m=$(lsblk -dno MAJ:MIN "$n" | tr -d ' ')
		sed -i "s| $m\\b| $n|g" "$TB_TMP/sp.t"
	done
	if [ "${2:-}" = shape ]; then
		st_norm "$1" <"$TB_TMP/sp.t" | sed -E 's/ PV[0-9]+ [0-9]+/ PV/g'
	else
		st_norm "$1" <"$TB_TMP/sp.t"
	fi
}

# thin_check of a pool's metadata: the VG deactivated (by @tool), the _tmeta table loaded
# read-only on its own.
sp_thin_check() { # A|B POOL
	local v t out rc
	if [ "$1" = A ]; then v=$ST_A; else v=$ST_B; fi
	t=$(dmsetup table "$v-$2_tmeta") || die "no $v-$2_tmeta"
	lvm_clean vgchange -an "$v" >/dev/null
	dmsetup create "$TB_PREFIX-chk" --readonly --table "$t" >/dev/null || die "dmsetup create chk"
	out=$(thin_check "/dev/mapper/$TB_PREFIX-chk" 2>&1); rc=$?
	dmsetup remove "$TB_PREFIX-chk"
	[ $rc = 0 ] || die "thin_check $v/$2: $out"
}

seqno() { lvm_clean vgs --noheadings -o vg_seqno "$ST_B" | tr -d ' '; }

# Both VGs removed, each by its own tool (for a fresh pair from st_vgs).
sp_drop() {
	lvm_clean vgremove -ff "$ST_A" >/dev/null
	"$TB" vgremove -f "$ST_B" >/dev/null 2>&1 || die "thinbox vgremove -f $ST_B"
}

# ---- Incus (lxc/incus internal/server/storage/drivers/driver_lvm_utils.go) ----
testcase_lvtypes_stripedpool_incus() {
	local data ta tb
	st_vgs 256M 3
	# createDefaultThinPool with volume.lvm.stripes=3, volume.lvm.stripes.size=64KiB and no
	# size: lvcreate --yes --wipesignatures y --thinpool VG/POOL --extents 100%FREE
	# --stripes N --stripesize Nb (roundedSizeBytesString: bytes)
	# (as many stripes as PVs: lvm2's one allocation of data and metadata may find no room for
	# the metadata beside the data; then both refuse alike and the pool is made with 2)
	st_both any lvcreate --yes --wipesignatures y --thinpool @VG@/IncusThinPool \
		--extents 100%FREE --stripes 3 --stripesize 65536b
	sp_same "createDefaultThinPool, 100%FREE, 3 stripes"
	if ! "$LVM2_BIN" lvs "$ST_A/IncusThinPool" >/dev/null 2>&1; then
		st_both 0 lvcreate --yes --wipesignatures y --thinpool @VG@/IncusThinPool \
			--extents 100%FREE --stripes 2 --stripesize 65536b
		sp_same "createDefaultThinPool, 100%FREE, 2 stripes"
	fi
	st_same_report
	assert_match " striped [23] 128 " "$(sp_tables B)" "thinbox's _tdata table"
	assert_eq "$(sp_tables A shape)" "$(sp_tables B shape)" "tables of the new pools (lvm2's first)"
	# createLogicalVolume (thin): --name N --yes --wipesignatures y --thin --virtualsize Nb VG/POOL
	st_both 0 lvcreate --name custom_vol --yes --wipesignatures y --thin --virtualsize 67108864b \
		@VG@/IncusThinPool
	sp_same "createLogicalVolume in the striped pool"
	# the report users read: lvm2's of thinbox's VG, and thinbox's of it, the same
	assert_eq "$(lvm_clean lvs -a -o+stripes,stripesize,devices "$ST_B")" \
		"$("$TB" lvs -a -o+stripes,stripesize,devices "$ST_B" 2>&1)" "lvs -a -o+stripes,stripesize,devices"
	assert_eq "$(sp_tables A shape)" "$(sp_tables B shape)" "tables with the thin LV"
	# data through thinbox's thin LV; lvm2 deactivates and activates the VG (its tables of
	# thinbox's pool equal thinbox's), the data reads back
	data=$TB_TMP/data
	head -c 16777216 /dev/urandom >"$data"
	dd if="$data" of="/dev/$ST_B/custom_vol" bs=1M oflag=direct status=none || die "dd to the thin LV"
	tb=$(sp_tables B)
	lvm_clean vgchange -an "$ST_B" >/dev/null
	[ -z "$(dmsetup ls | grep "^$ST_B-")" ] || die "lvm2 left devices of thinbox's VG: $(dmsetup ls)"
	lvm_clean vgchange -ay "$ST_B" >/dev/null
	lvm_clean lvchange -ay -K "$ST_B/custom_vol" >/dev/null
	assert_eq "$tb" "$(sp_tables B)" "lvm2's tables of thinbox's striped pool"
	cmp -n 16777216 "$data" "/dev/$ST_B/custom_vol" || die "data read back through lvm2's tables differs"
	# thinbox deactivates and activates lvm2's VG, with lvm2's tables
	lvm_clean lvchange -ay -K "$ST_A/custom_vol" >/dev/null
	ta=$(sp_tables A)
	"$TB" vgchange -an "$ST_A" >/dev/null || die "thinbox vgchange -an of lvm2's VG"
	[ -z "$(dmsetup ls | grep "^$ST_A-")" ] || die "thinbox left devices of lvm2's VG: $(dmsetup ls)"
	"$TB" vgchange -ay "$ST_A" >/dev/null || die "thinbox vgchange -ay of lvm2's VG"
	"$TB" lvchange -ay -K "$ST_A/custom_vol" >/dev/null || die "thinbox lvchange -ay of lvm2's thin LV"
	assert_eq "$ta" "$(sp_tables A)" "thinbox's tables of lvm2's striped pool"
	# the pool grows by all that is left (Incus' old-lvm2 path: lvextend --alloc anywhere
	# -l 100%FREE; here no whole stripe set is left: lvm2 leaves the pool unchanged and
	# succeeds, thinbox the same)
	st_both any lvextend -l +100%FREE @VG@/IncusThinPool
	sp_same "lvextend -l +100%FREE of a full VG"
	cmp -n 16777216 "$data" "/dev/$ST_B/custom_vol" || die "data after the lvextend differs"
	sp_thin_check B IncusThinPool
	sp_thin_check A IncusThinPool
}

# Incus with a size, --stripes without --stripesize, --poolmetadatasize; then lvextend of the
# striped pool with and without -i/-I (lvm2 2.03.16 _lvresize_adjust_extents)
testcase_lvtypes_stripedpool_extend() {
	local data before
	st_vgs 256M 3
	st_both 0 lvcreate --yes --wipesignatures y --thinpool @VG@/IncusThinPool \
		--poolmetadatasize 8388608b --size 104857600b --stripes 2
	sp_same "createDefaultThinPool with a size, 2 stripes"
	st_both 0 lvcreate -n t -V 48m -T @VG@/IncusThinPool
	data=$TB_TMP/data
	head -c 33554432 /dev/urandom >"$data"
	dd if="$data" of="/dev/$ST_B/t" bs=1M oflag=direct status=none || die "dd to the thin LV"
	# the stripes are kept, the size rounded up to whole stripes
	st_both 0 lvextend -L +20m @VG@/IncusThinPool
	sp_same "lvextend +20m keeps 2 stripes"
	st_both 0 lvextend -i 2 -L +8m @VG@/IncusThinPool
	# another stripe count: a new segment; then lvm2 wants -i and -I
	st_both 0 lvextend -i 3 -L +12m @VG@/IncusThinPool
	sp_same "lvextend -i 3"
	st_both any lvextend -L +12m @VG@/IncusThinPool
	st_both 0 lvextend -i 2 -I 128k -L +8m @VG@/IncusThinPool
	st_both 0 lvextend -i 1 -L +4m @VG@/IncusThinPool
	sp_same "lvextend -i 2 -I 128k, -i 1"
	# refused: more stripes than PVs; nothing changes
	before=$(seqno)
	st_both any lvextend -i 4 -L +8m @VG@/IncusThinPool
	st_both any lvextend -i 0 -L +8m @VG@/IncusThinPool
	assert_eq "$before" "$(seqno)" "refused lvextend -i 4"
	assert_eq "$(sp_tables A shape)" "$(sp_tables B shape)" "tables after the extensions"
	cmp -n 33554432 "$data" "/dev/$ST_B/t" || die "data after the extensions differs"
	# everything left, rounded as lvm2 rounds a percentage
	st_both any lvextend -i 3 -I 64k -l +100%FREE @VG@/IncusThinPool
	sp_same "lvextend -i 3 -I 64k -l +100%FREE"
	# lvm2 reactivates thinbox's pool: same tables, same data
	local tb
	tb=$(sp_tables B)
	lvm_clean vgchange -an "$ST_B" >/dev/null
	lvm_clean vgchange -ay "$ST_B" >/dev/null
	assert_eq "$tb" "$(sp_tables B)" "lvm2's tables of thinbox's extended pool"
	cmp -n 33554432 "$data" "/dev/$ST_B/t" || die "data after lvm2's reactivation differs"
	sp_thin_check B IncusThinPool
}

# lvm2's other forms, notes and refusals (measured against lvm2 2.03.16)
testcase_lvtypes_stripedpool_options() {
	local before
	st_vgs 128M 3
	st_both 0 lvcreate --type thin-pool -i 2 -I 64 -L 100m -n p1 @VG@
	st_both 0 lvcreate -T @VG@/p2 -i 3 -L 40m
	st_both 0 lvcreate -T -i 2 -L 40m -V 20m -n thin3 @VG@/p3
	st_both 0 lvcreate -i 2 -L 40m -T @VG@/p4 -c 256k
	st_both 0 lvcreate -i 2 -I 8m -L 16m -T @VG@/p5
	sp_same "striped pools with -i/-I, -T, pool and thin LV, -c, a stripe size above the extent"
	st_same_report
	assert_eq "$(sp_tables A shape)" "$(sp_tables B shape)" "tables of the new pools"
	# refusals: nothing written
	before=$(seqno)
	# TopoLVM (topolvm/topolvm internal/lvmd/command/lvm.go ThinPool.CreateVolume) passes
	# -i/-I of its device class to a thin LV
	st_both any lvcreate -T @VG@/p1 -n tv -V 33554432b -W y -y -i 2 -I 64k
	st_both any lvcreate --type thin-pool -i 4 -L 40m -n r1 @VG@
	st_both any lvcreate --type thin-pool -i 2 -L 40m -n r2 @VG@ @PV1@
	st_both any lvcreate --type thin-pool -i 2 -L 4g -n r3 @VG@
	st_both any lvcreate --type thin-pool -i 2 -I 3 -L 40m -n r4 @VG@
	assert_eq "$before" "$(seqno)" "refused commands"
	sp_same "after the refusals"
}

# -l N%FREE / N%VG with stripes: lvm2's rounding down and its metadata reserve
testcase_lvtypes_stripedpool_percent() {
	st_vgs 256M 4
	st_both 0 lvcreate -q -n fill -l 7 @VG@ @PV1@
	st_both any lvcreate --type thin-pool -i 3 -l 100%FREE -n pf @VG@
	sp_same "-i 3 -l 100%FREE with one PV partly used"
	sp_drop
	st_vgs 256M 3
	st_both any lvcreate --type thin-pool -i 2 -l 50%FREE -n ph @VG@
	st_both any lvcreate --type thin-pool -i 2 -l 37%VG -n pv @VG@
	sp_same "-i 2 -l 50%FREE, -l 37%VG"
	sp_drop
	st_vgs 256M 2
	st_both any lvcreate --type thin-pool -i 2 -l 100%FREE -n pp @VG@
	sp_same "-i 2 -l 100%FREE on 2 PVs"
}

# striped thick LVs as TopoLVM makes and resizes them (topolvm/topolvm
# internal/lvmd/command/lvm.go: VolumeGroup.CreateVolume -i/-I, LogicalVolume.Resize
# lvresize -L Nb), and lvextend -i/-I of them
testcase_lvtypes_stripedpool_thick_resize() {
	st_vgs 128M 3
	st_both 0 lvcreate -n s -L 16777216b -W y -y -i 2 -I 64k @VG@
	st_both 0 lvresize -L 33554432b @VG@/s
	st_both 0 lvextend -i 3 -L +12m @VG@/s
	st_both any lvresize -L 67108864b @VG@/s
	st_both 0 lvextend -i 2 -I 128k -L +8m @VG@/s
	sp_same "lvextend -i/-I of a striped LV"
	assert_eq "$(sp_tables A shape)" "$(sp_tables B shape)" "tables of the striped LV"
}
