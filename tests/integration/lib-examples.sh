# shellcheck shell=bash
# examples/ (issue 14): programs outside the tree, built by `make` against the INSTALLED
# libthinbox (make install-lib into $BUILD/stage, then pkg-config --cflags --libs thinbox with
# PKG_CONFIG_SYSROOT_DIR/PKG_CONFIG_PATH on that stage; see the Makefile's examples rule).
# They run here against a real pool that lvm2 made; lvm2, dmsetup and thin_check judge.

VGE=${TB_PREFIX}ex

lib_examples_setup() {
	local a
	STAGE_LIB=$(dirname "$(find "$TB_BUILD/stage" -name 'libthinbox.so.0' | head -n1)")
	[ -e "$STAGE_LIB/libthinbox.so.0" ] || die "no installed libthinbox.so.0 under $TB_BUILD/stage (run make)"
	LIST=$TB_BUILD/examples/list-pools SNAP=$TB_BUILD/examples/thin-snapshot
	[ -x "$LIST" ] && [ -x "$SNAP" ] || die "examples not built (run make)"
	# they link the shared library, found through the stage, not the build tree
	readelf -d "$LIST" | grep -q 'NEEDED.*\[libthinbox\.so\.0\]' || die "$LIST does not link libthinbox.so.0"
	export LD_LIBRARY_PATH=$STAGE_LIB
	a=$(tb_disk 300M)
	lvm_clean pvcreate -y "$a" >/dev/null
	lvm_clean vgcreate "$VGE" "$a" >/dev/null
	# chunk 64 KiB, zeroing off: the pool's used blocks after a write are exact
	lvm_clean lvcreate -T "$VGE/pool" -L 64M -c 64k -Zn >/dev/null
	export THINBOX_DEVICES=$a
}

# lvm2's two-decimal percentage of NUM/DEN (libdevmapper dm_make_percent +
# dm_percent_to_round_float), computed here from one dmsetup status read
pct() {
	awk -v n="$1" -v d="$2" 'BEGIN {
		if (d == 0 || n >= d) { print "100.00"; exit }
		if (n == 0) { print "0.00"; exit }
		p = int(100000000 * (n / d)); if (p < 10000) p = 10000; if (p > 99990000) p = 99990000
		printf "%.2f\n", p / 1000000 }'
}

testcase_lib_example_list_pools() {
	lib_examples_setup
	local out st st2 meta data expect
	# 4 MiB into a thin LV = 64 chunks of 64 KiB
	lvm_clean lvcreate -T "$VGE/pool" -V 32M -n w >/dev/null
	dd if=/dev/urandom of="/dev/$VGE/w" bs=1M count=4 oflag=direct conv=fsync 2>/dev/null || die "write"
	st=$(dmsetup status "$VGE-pool-tpool")
	out=$(assert_ok "$LIST" "$VGE")
	st2=$(dmsetup status "$VGE-pool-tpool")
	# an idle pool: the status is the same around the report, so one read judges it
	assert_eq "$st" "$st2" "pool status around the report (pool idle)"
	meta=$(awk '{ print $5 }' <<<"$st") data=$(awk '{ print $6 }' <<<"$st")
	assert_eq "64" "${data%/*}" "pool data blocks used (dmsetup status)"
	expect="$VGE/pool $(pct "${data%/*}" "${data#*/}") $(pct "${meta%/*}" "${meta#*/}")"
	assert_eq "$expect" "$out" "list-pools line"
	# lvm2's own Data%/Meta% of the same idle pool
	assert_eq "$expect" "$VGE/$(lvm_clean lvs --noheadings -o lv_name,data_percent,metadata_percent \
		"$VGE/pool" | awk '{ print $1 " " $2 " " $3 }')" "lvm2 lvs Data% Meta%"
	# no VG argument: every VG; a VG with no pool: nothing, exit 0; a missing VG: exit 1
	assert_match "^$VGE/pool " "$(assert_ok "$LIST")" "list-pools of every VG"
	out=$(assert_fails 1 "$LIST" "${TB_PREFIX}nosuchvg")
	assert_match "${TB_PREFIX}nosuchvg" "$out" "list-pools of a missing VG"
	# an inactive pool has no usage
	lvm_clean vgchange -an "$VGE" >/dev/null
	assert_eq "$VGE/pool - -" "$(assert_ok "$LIST" "$VGE")" "list-pools of an inactive pool"
}

testcase_lib_example_thin_snapshot() {
	lib_examples_setup
	local out run pid
	run=$TB_TMP/run
	# the library starts the monitor by spawning the configured program, never itself
	# (/proc/self/exe here is the example): THINBOX_MONITOR_BIN is the thinbox under test
	unset THINBOX_NO_MONITOR_START
	export THINBOX_MONITOR_BIN=$TB THINBOX_RUN_DIR=$run
	out=$(assert_ok "$SNAP" "$VGE" pool thin 48 snap)
	assert_match "Logical volume \"thin\" created\." "$out" "thin-snapshot: thin LV message"
	assert_match "Logical volume \"snap\" created\." "$out" "thin-snapshot: snapshot message"
	pid=$(cat "$run/monitor.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "no thinbox monitor started (pidfile $run/monitor.pid)"
	assert_match "thinbox.*monitor" "$(tr '\0' ' ' < "/proc/$pid/cmdline")" "the monitor runs the configured program"
	kill -TERM "$pid"
	# lvm2 judges: a thin LV of 48 MiB in the pool, its snapshot with origin thin (and
	# activation skip, as lvm2's own thin snapshots)
	assert_eq "thin thin pool 48.00m" "$(lvm_clean lvs --noheadings --units m -o lv_name,segtype,pool_lv,lv_size \
		"$VGE/thin" | awk '{ print $1, $2, $3, $4 }')" "lvm2 lvs thin"
	assert_eq "snap thin pool thin" "$(lvm_clean lvs --noheadings -o lv_name,segtype,pool_lv,origin \
		"$VGE/snap" | awk '{ print $1, $2, $3, $4 }')" "lvm2 lvs snap"
	assert_match "^V...a" "$(lvm_clean lvs --noheadings -o lv_attr "$VGE/thin" | tr -d ' ')" "lvm2 attr of thin (active)"
	assert_match "^V...-.*k$" "$(lvm_clean lvs --noheadings -o lv_attr "$VGE/snap" | tr -d ' ')" \
		"lvm2 attr of snap (inactive, activation skip)"
	[ -b "/dev/mapper/$VGE-thin" ] || die "thin LV not active"
	lvm_clean vgck "$VGE" >/dev/null
	# the pool's metadata is sound (thin_check on the inactive pool's _tmeta, through lvm2)
	lvm_clean vgchange -an "$VGE" >/dev/null
	assert_ok "$LVM2_BIN" lvchange -ay -y "$VGE/pool_tmeta" >/dev/null
	assert_ok thin_check "/dev/mapper/$VGE-pool_tmeta" >/dev/null
	lvm_clean lvchange -an "$VGE/pool_tmeta" >/dev/null
	# a refused call changes nothing: the name "thin" is taken
	out=$(assert_fails 1 "$SNAP" "$VGE" pool thin 8 snap2)
	assert_match "thin" "$out" "refused thin LV names the LV"
	assert_eq "" "$(lvm_clean lvs --noheadings -o lv_name "$VGE" | tr -d ' ' | grep -x snap2)" "snap2 made"
}
