# Interop of core/lock, core/hints and core/backup with real lvm2 2.03: the same flock files under
# /run/lock/lvm (P_global, V_<vg>, :aux write priority), /run/lvm/hints invalidation, and backup
# files that lvm2's vgcfgrestore reads. thinbox's side is driven by the helper program
# tests/integration/tb-lock-helper.c (built by `make check-vm`). Also passes on the host as root:
#   THINBOX_TOP=$PWD bash -c '. tests/integration/lib.sh; . tests/integration/locks.sh; \
#       tb_setup; testcase_lvm2_waits_for_thinbox_vg_lock; tb_teardown'

LOCKDIR=/run/lock/lvm

lk_helper() {
	LKH=$TB_BUILD/tests/integration/tb-lock-helper
	[ -x "$LKH" ] || skip "no $LKH (make $TB_BUILD/tests/integration/tb-lock-helper)"
	command -v vgcreate >/dev/null || skip "no lvm2"
}

# Start the helper holding SPEC... in the background; waits until it reports "locked".
lk_hold() {
	coproc LK { "$LKH" lock "$LOCKDIR" 0 "$@" 2>&1; }
	local line
	read -r line <&"${LK[0]}" || die "lock helper died"
	assert_eq locked "$line" "lock helper ($*)"
}

lk_release() {
	local line
	eval "exec ${LK[1]}>&-"
	read -r line <&"${LK[0]}"
	assert_eq released "$line" "lock helper release"
	wait "$LK_PID" 2>/dev/null
}

lk_vg() { # -> creates a VG named $1 on a new disk with lvm2
	local d
	d=$(tb_disk 64M)
	assert_ok pvcreate -q "$d" >/dev/null
	assert_ok vgcreate -q "$1" "$d" >/dev/null
}

NOWAIT=(--config 'global/wait_for_locks=0')

testcase_lvm2_waits_for_thinbox_vg_lock() {
	lk_helper
	local vg=${TB_PREFIX}lk1 out
	lk_vg $vg
	lk_hold "$vg:ex"
	[ -e "$LOCKDIR/V_$vg" ] || die "no $LOCKDIR/V_$vg while thinbox holds it"
	[ ! -e "$LOCKDIR/V_$vg:aux" ] || die ":aux left behind after locking"
	out=$(assert_fails 5 vgs "${NOWAIT[@]}" "$vg") || exit 1
	assert_match "Can't get lock for $vg" "$out" "vgs while thinbox holds V_$vg EX"
	out=$(assert_fails 5 lvcreate "${NOWAIT[@]}" --driverloaded n -an -Zn -L4M -n l1 "$vg") || exit 1
	assert_match "Can't get lock for $vg" "$out" "lvcreate while thinbox holds V_$vg EX"
	lk_release
	[ ! -e "$LOCKDIR/V_$vg" ] || die "lock file V_$vg not deleted after unlock"
	assert_ok vgs "${NOWAIT[@]}" "$vg" >/dev/null

	# shared: lvm2 readers coexist, writers do not
	lk_hold "$vg:sh"
	assert_ok vgs "${NOWAIT[@]}" "$vg" >/dev/null
	assert_fails 5 lvcreate "${NOWAIT[@]}" --driverloaded n -an -Zn -L4M -n l1 "$vg" >/dev/null
	lk_release
}

testcase_lvm2_waits_for_thinbox_global_lock() {
	lk_helper
	local vg=${TB_PREFIX}lk2 d out
	lk_vg $vg
	d=$(tb_disk 64M)
	lk_hold global:ex
	out=$(assert_fails any pvcreate "${NOWAIT[@]}" "$d") || exit 1
	assert_match "lock|Lock" "$out" "pvcreate while thinbox holds P_global EX"
	out=$(assert_fails any vgs "${NOWAIT[@]}") || exit 1
	assert_match "lock|Lock" "$out" "vgs (all VGs) while thinbox holds P_global EX"
	lk_release
	[ ! -e "$LOCKDIR/P_global" ] || die "P_global not deleted after unlock"
	assert_ok pvcreate -q "$d" >/dev/null
}

testcase_thinbox_sees_lvm2_locks() {
	lk_helper
	local vg=${TB_PREFIX}lk3 out pid i
	lk_vg $vg
	# thinbox holds V_vg EX; `vgs` (waiting, default) takes P_global SH and blocks on V_vg
	lk_hold "$vg:ex"
	vgs >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ -e "$LOCKDIR/P_global" ] && break; sleep 0.1; done
	[ -e "$LOCKDIR/P_global" ] || die "vgs never took P_global"
	out=$("$LKH" lock "$LOCKDIR" 0 global:ex </dev/null 2>&1) && die "thinbox got P_global EX while vgs holds it SH"
	assert_match "Another command holds the global lock \(P_global\); retry when it finishes" "$out"
	out=$("$LKH" lock "$LOCKDIR" 200 global:ex </dev/null 2>&1) && die "bounded wait succeeded"
	assert_match "^error 110: " "$out" "bounded wait ends in ETIMEDOUT"
	assert_ok "$LKH" lock "$LOCKDIR" 0 global:sh </dev/null >/dev/null
	lk_release
	wait $pid || die "vgs failed after thinbox released V_$vg"
}

testcase_write_priority_interop() {
	lk_helper
	local vg=${TB_PREFIX}lk4 out pid i
	lk_vg $vg
	# thinbox reads (SH); lvm2 lvcreate wants EX and waits holding V_vg:aux; a new thinbox
	# reader must queue behind the writer although SH+SH would be compatible
	lk_hold "$vg:sh"
	lvcreate -q --driverloaded n -an -Zn -L4M -n l1 "$vg" >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ -e "$LOCKDIR/V_$vg:aux" ] && break; sleep 0.1; done
	[ -e "$LOCKDIR/V_$vg:aux" ] || die "lvcreate never took V_$vg:aux"
	out=$("$LKH" lock "$LOCKDIR" 0 "$vg:sh" </dev/null 2>&1) && die "reader overtook a waiting lvm2 writer"
	assert_match "Another command holds the lock on VG $vg \(V_$vg\); retry when it finishes" "$out"
	lk_release
	wait $pid || die "lvcreate failed after thinbox released V_$vg"
	assert_match l1 "$(lvs --noheadings -o lv_name "$vg")" "lvcreate result"
	[ ! -e "$LOCKDIR/V_$vg" ] && [ ! -e "$LOCKDIR/V_$vg:aux" ] || die "lock files left behind"
}

testcase_hints_invalidated() {
	lk_helper
	local vg=${TB_PREFIX}lk5
	lk_vg $vg
	mkdir -p /run/lvm # systemd-tmpfiles makes it on a real system; lvm2 needs it for hints
	pvs >/dev/null 2>&1
	[ -f /run/lvm/hints ] || skip "lvm2 keeps no hints here (devices/hints = none?)"
	rm -f /run/lvm/newhints
	assert_ok "$LKH" hints /run/lvm thinbox >/dev/null
	assert_match "^# Created empty by thinbox pid [0-9]+ " "$(head -n1 /run/lvm/hints)" "hints"
	[ "$(wc -l </run/lvm/hints)" = 1 ] || die "hints not emptied: $(cat /run/lvm/hints)"
	[ -e /run/lvm/newhints ] || die "no newhints"
	[ ! -e /run/lvm/nohints ] || die "nohints left behind"
	# lvm2 notices and rebuilds
	assert_ok pvs >/dev/null
	assert_match "^hints_version:" "$(grep hints_version /run/lvm/hints)" "hints rebuilt by lvm2"
	[ ! -e /run/lvm/newhints ] || die "lvm2 did not consume newhints"
}

testcase_backup_read_by_vgcfgrestore() {
	lk_helper
	local vg=${TB_PREFIX}lk6 out
	lk_vg $vg
	assert_ok lvcreate -q --driverloaded n -an -Zn -L4M -n l1 "$vg" >/dev/null
	[ -f "/etc/lvm/backup/$vg" ] || skip "lvm2 wrote no backup (backup disabled?)"
	sed -n "/^$vg {/,\$p" "/etc/lvm/backup/$vg" >"$TB_TMP/body"
	mkdir -p "$TB_TMP/b" "$TB_TMP/a"
	assert_ok "$LKH" backup "$TB_TMP/b" "$TB_TMP/a" "$vg" "$TB_TMP/body" "thinbox one" >/dev/null
	assert_ok "$LKH" backup "$TB_TMP/b" "$TB_TMP/a" "$vg" "$TB_TMP/body" "thinbox two" >/dev/null
	out=$(assert_ok vgcfgrestore --list -f "$TB_TMP/b/$vg" "$vg") || exit 1
	assert_match "Description:.*Created \*after\* executing 'thinbox two'" "$out" "backup description"
	out=$(assert_ok vgcfgrestore --list -f "$(ls "$TB_TMP"/a/"${vg}"_00000-*.vg)" "$vg") || exit 1
	assert_match "Description:.*Created \*before\* executing 'thinbox two'" "$out" "archive description"
	out=$(assert_ok vgcfgrestore --test -f "$TB_TMP/b/$vg" "$vg") || exit 1
	assert_match "Restored volume group $vg" "$out" "vgcfgrestore --test of thinbox's backup"
}
