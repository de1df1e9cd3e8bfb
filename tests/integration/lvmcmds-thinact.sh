# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- Thin LVs active while their pool LV is not, and lvm2's over-provisioning warnings
# (docs/lvm2-differences.md; first measured with tests/vm/measure-thinact-lvm2.sh). lvm2 and
# thinbox run the same lines on two VGs: the same exit code, stdout and stderr, the same state
# as lvm2 reads it and the same kernel devices after each step. ----

# The pool as lvs shows it, with the devices of the VG (dmsetup ls), on both.
ta_report() { # what
	lc_same 0 lvs -a -o lv_name,lv_attr,lv_active,lv_active_locally,data_percent @VG@
	lc_same_state "$1"
}

testcase_lvmcmds_thinact() {
	lc_vgs 256M
	lc_same 0 lvcreate -L 64m -T @VG@/pool
	lc_same 0 lvcreate -V 32m -T @VG@/pool -n t1
	lc_same 0 lvcreate -V 32m -T @VG@/pool -n t2
	lc_both 0 vgchange -an @VG@
	# a thin LV of an inactive pool: only -tpool, _tdata and _tmeta come with it, and the
	# pool reports inactive (twi---tz--, lv_active empty, Data% from -tpool)
	lc_same 0 lvchange -ay @VG@/t1
	ta_report "lvchange -ay t1"
	lc_same 0 lvchange -ay @VG@/t2
	ta_report "lvchange -ay t2"
	lc_same 0 lvchange -an @VG@/t1
	ta_report "lvchange -an t1"
	lc_same 0 lvchange -an @VG@/t2
	ta_report "lvchange -an t2 (the last one)"
	lc_same 0 lvchange -ay @VG@/t1
	lc_same 0 lvchange -ay @VG@/pool
	ta_report "lvchange -ay pool"
	lc_same 0 lvchange -an @VG@/pool
	ta_report "lvchange -an pool, t1 active"
	lc_same 0 lvchange -an @VG@/t1
	ta_report "lvchange -an t1 after the pool"
	lc_both 0 vgchange -ay @VG@
	lc_both 0 vgchange -an @VG@
	# over-provisioning: a thin LV, then a thin snapshot, make the sum exceed the pool
	# (lvm2 lib/metadata/thin_manip.c thin_pool_check_overprovisioning: the first line on
	# stderr, the rest on stdout)
	lc_same 0 lvcreate -V 16m -T @VG@/pool -n t3
	ta_report "lvcreate -V over-provisioned, pool inactive"
	lc_both 0 vgchange -an @VG@
	lc_same 0 lvcreate -s -n s1 @VG@/t1 -K
	ta_report "lvcreate -s over-provisioned"
	# lvremove of the last active thin LV takes the pool's devices with it
	lc_same 0 lvremove -y @VG@/s1
	ta_report "lvremove -y of the last active thin LV"
	# the sum beyond the VG's size, then a plain LV in an over-provisioned VG (every pool
	# counted: "thin pools"), then lvextend of a thin LV; -q changes nothing, -qq keeps only
	# the stderr line (lvm2 tools/lvmcmdline.c: silent with two -q)
	lc_same 0 lvcreate -an -V 1g -T @VG@/pool -n big
	lc_same 0 lvcreate -L 8m -n lin @VG@
	lc_same 0 lvcreate -q -an -V 8m -T @VG@/pool -n t4
	lc_same 0 lvcreate -qq -an -V 8m -T @VG@/pool -n t5
	lc_same 0 lvextend -L +8m @VG@/t4
	lc_same_state "over-provisioned"
	lc_lvm2_reads
}
