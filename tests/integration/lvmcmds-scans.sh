# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- vgscan, pvscan, lvscan, vgck, vgcfgbackup/restore, pvresize, --config filters ----
testcase_lvmcmds_scans() {
	local f
	lc_vgs 512M
	lvm_clean lvcreate -q -T "$LC_A/pool" -L 64m >/dev/null
	lvm_clean lvcreate -q -T "$LC_A/pool" -V 32m -n th >/dev/null
	tb_clean_lc lvcreate -T "$LC_B/pool" -L 64m
	tb_clean_lc lvcreate -T "$LC_B/pool" -V 32m -n th
	# (lvm2 warns "not zeroed" for any inactive new LV)
	"$LC_LVM" lvcreate -q -an -Zn -n lin -L 8m "$LC_A" >/dev/null 2>&1 || die "lvm2 lvcreate lin"
	tb_clean_lc lvcreate -an -Zn -n lin -L 8m "$LC_B"
	f=$(tb_disk 256M)
	lvm_clean pvcreate "$f" >/dev/null
	# the whole listing of every VG/PV: the same lines, each VG's with its own name
	for c in "pvscan" "lvscan" "lvscan -a" "vgscan" "pvscan --cache"; do
		# shellcheck disable=SC2086
		"$LC_LVM" $c 2>&1 | sed -e 's/pvscan\[[0-9]*\]/pvscan[N]/' >"$TB_TMP/lc.a.out"
		# shellcheck disable=SC2086
		"$TB" $c 2>&1 | sed -e 's/pvscan\[[0-9]*\]/pvscan[N]/' >"$TB_TMP/lc.b.out"
		if true; then # lvm2 orders VGs and PVs its own way (not by name); the lines must match
			sort -o "$TB_TMP/lc.a.out" "$TB_TMP/lc.a.out"
			sort -o "$TB_TMP/lc.b.out" "$TB_TMP/lc.b.out"
		fi
		cmp -s "$TB_TMP/lc.a.out" "$TB_TMP/lc.b.out" ||
			die "$c differs: lvm2:
$(cat "$TB_TMP/lc.a.out")
thinbox:
$(cat "$TB_TMP/lc.b.out")"
	done
	lc_both 0 vgck @VG@
	# vgcfgbackup -f: lvm2 reads thinbox's file (vgcfgrestore --test); thinbox restores it
	"$TB" vgchange -an "$LC_B" >/dev/null 2>&1 || die "vgchange -an"
	"$LC_LVM" vgchange -an "$LC_A" >/dev/null 2>&1
	lc_both 0 vgcfgbackup -f "$TB_TMP/bk-%s" @VG@
	grep -q "^description = \"vgcfgbackup -f $TB_TMP/bk-%s $LC_B\"" "$TB_TMP/bk-$LC_B" ||
		die "backup description: $(grep description "$TB_TMP/bk-$LC_B")"
	"$LC_LVM" vgcfgrestore --test --force -f "$TB_TMP/bk-$LC_B" "$LC_B" >/dev/null 2>&1 </dev/null ||
		die "lvm2 cannot restore thinbox's backup"
	lc_both 5 vgcfgrestore -f "$TB_TMP/bk-@VG@" @VG@
	lc_both 0 vgcfgrestore --force -f "$TB_TMP/bk-@VG@" @VG@
	lc_same_state "vgcfgrestore"
	lvm_clean vgck "$LC_B" >/dev/null
	# pvresize after the disk grew
	truncate -s 768M "$(losetup -n -O BACK-FILE "$LC_PVA")" "$(losetup -n -O BACK-FILE "$LC_PVB")"
	losetup -c "$LC_PVA" && losetup -c "$LC_PVB"
	# Incus Update (driver_lvm.go): pvresize -y on the grown loop device
	lc_both 0 pvresize -y @PV@
	assert_eq "$(lvm_clean pvs --noheadings --units b -o pv_size,pv_pe_count "$LC_PVA")" \
		"$(lvm_clean pvs --noheadings --units b -o pv_size,pv_pe_count "$LC_PVB")" "pvresize"
	lvm_clean vgck "$LC_B" >/dev/null
	# Incus Update (driver_lvm.go): the pool takes the space pvresize added
	lc_step 0 lvresize -f -l +100%FREE /dev/@VG@/pool
	# --config devices filters are honoured (a VG on a filtered device is not seen)
	lc_both 5 vgck --config "devices { filter = [ \"r|^$LC_PVA\$|\", \"r|^$LC_PVB\$|\" ] }" @VG@
	lc_both 5 vgck --config "devices/global_filter=[\"r|.*|\"]" @VG@
	lc_both 0 vgck --config "devices { filter = [ \"a|.*|\" ] }" @VG@
	lc_both 0 pvscan --config "devices { filter = [ \"a|^$LC_PVA\$|\", \"a|^$LC_PVB\$|\", \"r|.*|\" ] }"
	assert_eq "2" "$(grep -c '^  PV ' "$TB_TMP/lc.b.out")" "pvscan through the filter"
	# (rows as a set again: lvm2's PV order is its own)
	LC_ALL=C sort -o "$TB_TMP/lc.a.out" "$TB_TMP/lc.a.out"
	LC_ALL=C sort -o "$TB_TMP/lc.b.out" "$TB_TMP/lc.b.out"
	cmp -s "$TB_TMP/lc.a.out" "$TB_TMP/lc.b.out" ||
		die "filtered pvscan: lvm2 $(cat "$TB_TMP/lc.a.out") thinbox $(cat "$TB_TMP/lc.b.out")"
}
