# shellcheck shell=bash
# lvmcmds (see lvmcmds.sh for the helpers and the method).
# shellcheck source=tests/integration/lvmcmds.sh
. "$(dirname "${BASH_SOURCE[0]}")/lvmcmds.sh"

# ---- --reportformat values lvm2 2.03.16 does not know (json_std came in 2.03.17) ----
# The same exit code and the same stderr lines as the guest's lvm2, for the report commands and
# for a listing command that takes --reportformat; json and basic still work.
testcase_lvmcmds_reportformat() {
	lc_vgs 128M
	for fmt in json_std xml; do
		for c in "lvs @VG@" "vgs @VG@" "pvs @PV@" "fullreport @VG@" "vgscan"; do
			# shellcheck disable=SC2086
			lc_both any $c --reportformat "$fmt"
			[ "$(cat "$TB_TMP/lc.a.out")" = "$(cat "$TB_TMP/lc.b.out")" ] ||
				die "$c --reportformat $fmt: stdout differs: lvm2 '$(cat "$TB_TMP/lc.a.out")', thinbox '$(cat "$TB_TMP/lc.b.out")'"
			sed -e "s|$LC_A|VG|g" -e "s|$LC_PVA|PV|g" "$TB_TMP/lc.a.err" >"$TB_TMP/lc.a.e2"
			sed -e "s|$LC_B|VG|g" -e "s|$LC_PVB|PV|g" "$TB_TMP/lc.b.err" >"$TB_TMP/lc.b.e2"
			cmp -s "$TB_TMP/lc.a.e2" "$TB_TMP/lc.b.e2" ||
				die "$c --reportformat $fmt: stderr differs: lvm2 '$(cat "$TB_TMP/lc.a.e2")', thinbox '$(cat "$TB_TMP/lc.b.e2")'"
		done
	done
	# the measured answer itself, so that a change of lvm2 in the guest is noticed
	lc_both 3 vgs @VG@ --reportformat json_std
	grep -qx '  Invalid argument for --reportformat: json_std' "$TB_TMP/lc.b.err" ||
		die "json_std message: $(cat "$TB_TMP/lc.b.err")"
	lc_both 0 vgs @VG@ --reportformat json -o vg_name
	lc_both 0 vgs @VG@ --reportformat basic -o vg_name
}
