# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- tags: lvm2's rules, and lvm2 reads back what thinbox wrote ----
testcase_lvmcmds_tags() {
	LC_PVTAGS=1
	lc_vgs 512M
	lc_both 0 lvcreate -n l1 -L 8m --addtag a.b_c+d-e/f=g!h:i\&j#k @VG@
	lc_both 3 lvchange --addtag 'bad tag' @VG@/l1
	lc_both 3 lvchange --addtag 'x,y' @VG@/l1
	lc_both 3 lvchange --addtag '' @VG@/l1
	lc_both 0 lvchange --addtag t2 --addtag t2 --addtag @t3 @VG@/l1
	lc_step 0 lvchange --deltag t2 --deltag nosuch --addtag t4 @VG@/l1
	lc_both 0 vgchange --addtag v1 --addtag v2_@VG@ @VG@
	lc_both 0 vgchange --deltag v1 @VG@
	lc_both 0 pvchange --addtag p1 @PV@
	lc_step 0 pvchange --deltag p1 --addtag p2 @PV@
	# @tag selection: an LV's own tag, and a VG's tag selects all its LVs
	lc_both 0 lvcreate -n l2 -L 8m -an -Zn --addtag sel_@VG@ @VG@
	lc_both 0 lvchange -ay @sel_@VG@
	lc_both 0 lvchange -an @v2_@VG@
	lc_step 0 vgchange -ay @v2_@VG@
	lc_both 0 lvchange -an @nosuchtag
	assert_eq "a.b_c+d-e/f=g!h:i&j#k t3 t4" \
		"$(lvm_clean lvs --noheadings -o lv_tags "$LC_B/l1" | tr -d ' ' | tr ',' '\n' | LC_ALL=C sort | paste -sd' ')" \
		"lvm2 reads thinbox's tags"
	lc_lvm2_reads
}
