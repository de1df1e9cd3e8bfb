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

# What lvm2 reads of a VG, with the VG's name replaced by VG: LVs (hidden too) with attr, size,
# tags, pool, origin; the VG's tags and LV count; each active LV's dm read-only flag.
lc_state() { # VG
	local vg=$1
	"$LC_LVM" lvs -a --noheadings --separator '|' --units b --nosuffix \
		-o lv_name,lv_attr,lv_size,lv_tags,pool_lv,origin "$vg" 2>/dev/null |
		sed -e 's/^ *//' -e 's/ *| */|/g' -e 's/ *$//' | LC_ALL=C sort
	"$LC_LVM" vgs --noheadings --separator '|' -o vg_tags,lv_count,pv_count,vg_attr "$vg" 2>/dev/null |
		sed -e 's/^ *//' -e 's/ *| */|/g' -e 's/ *$//'
	"$LC_LVM" pvs --noheadings --separator '|' -o pv_tags,vg_name 2>/dev/null |
		sed -e 's/^ *//' -e 's/ *| */|/g' -e 's/ *$//' | grep "|$vg\$" | LC_ALL=C sort
	dmsetup info -c --noheadings -o name,attr 2>/dev/null | grep "^$vg-" | sed "s/^$vg-//" |
		LC_ALL=C sort
}
# Both VGs look the same to lvm2.
lc_same_state() { # what
	local a b
	a=$(lc_state "$LC_A" | sed "s/$LC_A/VG/g")
	b=$(lc_state "$LC_B" | sed "s/$LC_B/VG/g")
	[ "$a" = "$b" ] && return 0
	printf 'lvm2:\n%s\nthinbox:\n%s\n' "$a" "$b" >&2
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
