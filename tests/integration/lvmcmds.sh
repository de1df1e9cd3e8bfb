# shellcheck shell=bash
# The state-changing lvm2 command lines of the storage clients (docs/clients.md), each run
# against real lvm2 on one VG and against thinbox on an equivalent one: same exit code, and the
# same resulting state as real lvm2 reads it back (lvs -a / vgs / pvs fields, tags, dm tables'
# read-only flag), then lvm2's vgck clean on what thinbox wrote. Every client line cites the
# client's source file and function.

LC_A=${TB_PREFIX}lca   # the VG lvm2 changes
LC_B=${TB_PREFIX}lcb   # the VG thinbox changes
LC_LVM=$LVM2_BIN

# lc_both RC-OR-any ARGS... : run "lvm ARGS" with @VG@ = $LC_A, and "thinbox ARGS" with
# @VG@ = $LC_B (also @PV@ = $LC_PVA / $LC_PVB); both must exit the same (and RC unless any).
# Their stdout and stderr are kept in $TB_TMP/lc.{a,b}.{out,err}.
lc_both() {
	local want=$1 ra rb
	shift
	local -a a=() b=()
	for x in "$@"; do
		a+=("$(printf '%s' "$x" | sed -e "s|@VG@|$LC_A|g" -e "s|@PV@|${LC_PVA:-}|g")")
		b+=("$(printf '%s' "$x" | sed -e "s|@VG@|$LC_B|g" -e "s|@PV@|${LC_PVB:-}|g")")
	done
	"$LC_LVM" "${a[@]}" >"$TB_TMP/lc.a.out" 2>"$TB_TMP/lc.a.err" </dev/null; ra=$?
	"$TB" "${b[@]}" >"$TB_TMP/lc.b.out" 2>"$TB_TMP/lc.b.err" </dev/null; rb=$?
	[ "$ra" = "$rb" ] || die "exit codes differ for '$*': lvm2 $ra ($(cat "$TB_TMP/lc.a.out" "$TB_TMP/lc.a.err")), thinbox $rb ($(cat "$TB_TMP/lc.b.out" "$TB_TMP/lc.b.err"))"
	[ "$want" = any ] || [ "$ra" = "$want" ] || die "'$*' exited $ra, expected $want: $(cat "$TB_TMP/lc.a.err")"
	return 0
}

# The last lc_both printed the same: stdout and stderr, VG and PV names made "VG" and "PV".
lc_same_out() { # what
	local w
	for w in out err; do
		sed -e "s|$LC_A|VG|g" -e "s|${LC_PVA:-@@}|PV|g" "$TB_TMP/lc.a.$w" >"$TB_TMP/lc.a.$w.n"
		sed -e "s|$LC_B|VG|g" -e "s|${LC_PVB:-@@}|PV|g" "$TB_TMP/lc.b.$w" >"$TB_TMP/lc.b.$w.n"
		cmp -s "$TB_TMP/lc.a.$w.n" "$TB_TMP/lc.b.$w.n" ||
			die "${1:-output}: std$w differs: lvm2 '$(cat "$TB_TMP/lc.a.$w.n")', thinbox '$(cat "$TB_TMP/lc.b.$w.n")'"
	done
	return 0
}
# lc_both, then the same output (lc_same_out).
lc_same() { # RC ARGS...
	lc_both "$@"
	lc_same_out "'${*:2}'"
}

# What lvm2 reads of both VGs, in one lvs call (lvm2 is slow under TCG): every LV (hidden too)
# with attr, size, tags, pool, origin and its VG's tags; a VG without LVs by vgs; PV tags when
# $LC_PVTAGS is set; each active LV's dm read-only flag. One file per VG, its name made "VG".
lc_states() {
	local v
	"$LC_LVM" lvs -a --noheadings --separator '|' --units b --nosuffix \
		-o vg_name,lv_name,lv_attr,lv_size,lv_tags,pool_lv,origin,vg_tags "$LC_A" "$LC_B" \
		>"$TB_TMP/lc.lvs" 2>/dev/null
	if [ -n "${LC_PVTAGS:-}" ]; then
		"$LC_LVM" pvs --noheadings --separator '|' -o vg_name,pv_tags >>"$TB_TMP/lc.lvs" 2>/dev/null
	fi
	dmsetup info -c --noheadings -o name,attr >"$TB_TMP/lc.dm" 2>/dev/null
	for v in "$LC_A" "$LC_B"; do
		{
			sed -e 's/^ *//' -e 's/ *| */|/g' -e 's/ *$//' "$TB_TMP/lc.lvs" | grep "^$v|" |
				LC_ALL=C sort
			grep -q "^ *$v|" "$TB_TMP/lc.lvs" ||
				"$LC_LVM" vgs --noheadings --separator '|' -o vg_name,vg_tags,lv_count "$v" 2>/dev/null
			grep "^$v-" "$TB_TMP/lc.dm" | LC_ALL=C sort
		} | sed "s/$v/VG/g" >"$TB_TMP/lc.state.$v"
	done
}
# Both VGs look the same to lvm2.
lc_same_state() { # what
	lc_states
	cmp -s "$TB_TMP/lc.state.$LC_A" "$TB_TMP/lc.state.$LC_B" && return 0
	printf 'lvm2:\n%s\nthinbox:\n%s\n' "$(cat "$TB_TMP/lc.state.$LC_A")" \
		"$(cat "$TB_TMP/lc.state.$LC_B")" >&2
	die "${1:-state}: thinbox's VG differs from lvm2's"
}
# lvm2 reads thinbox's VG with no complaint.
lc_lvm2_reads() {
	lvm_clean vgck "$LC_B" >/dev/null
	lvm_clean vgs "$LC_B" >/dev/null
	lvm_clean lvs -a "$LC_B" >/dev/null
}
# Two equivalent empty VGs, one disk each (SIZE).
lc_vgs() { # SIZE
	LC_PVA=$(tb_disk "$1") && LC_PVB=$(tb_disk "$1") || exit 1
	lvm_clean pvcreate "$LC_PVA" >/dev/null
	lvm_clean vgcreate "$LC_A" "$LC_PVA" >/dev/null
	tb_clean_lc pvcreate "$LC_PVB"
	tb_clean_lc vgcreate "$LC_B" "$LC_PVB"
}
tb_clean_lc() {
	local out rc
	out=$("$TB" "$@" 2>&1); rc=$?
	[ $rc = 0 ] || die "thinbox $* exited $rc: $out"
}
# Both did it: a step, then the states compared.
lc_step() { # RC ARGS...
	lc_both "$@"
	lc_same_state "after '${*:2}'"
}
