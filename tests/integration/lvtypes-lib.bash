# shellcheck shell=bash
# Helpers of the lvtypes-*.sh files: the same command run by real lvm2 2.03.16 on one VG and by
# thinbox on an equivalent one, outputs compared after the VG names and PV paths are
# normalised; the segments lvm2 reads back from both VGs compared.

ST_A=${TB_PREFIX}sta # lvm2's VG
ST_B=${TB_PREFIX}stb # thinbox's VG

# Two VGs of N (default 3) PVs each (SIZE each; extent size 4 MiB); ST_A1.., ST_B1.. the PVs.
st_vgs() { # SIZE [N]
	local i n=${2:-3}
	local -a a=() b=()
	for i in $(seq 1 "$n"); do
		eval "ST_A$i=\$(tb_disk $1)" && eval "ST_B$i=\$(tb_disk $1)" || exit 1
		eval "a+=(\"\$ST_A$i\") b+=(\"\$ST_B$i\")"
	done
	ST_N=$n
	lvm_clean pvcreate -q "${a[@]}" >/dev/null
	lvm_clean vgcreate -q "$ST_A" "${a[@]}" >/dev/null
	"$TB" pvcreate "${b[@]}" >/dev/null 2>&1 || die "thinbox pvcreate"
	"$TB" vgcreate "$ST_B" "${b[@]}" >/dev/null 2>&1 || die "thinbox vgcreate"
}
# Replace a VG's name and PV paths by VG / PV1..PVN so both VGs' outputs compare.
st_norm() { # VG-letter (A|B)
	local v i p
	local -a e=()
	if [ "$1" = A ]; then v=$ST_A; else v=$ST_B; fi
	for i in $(seq 1 "${ST_N:-3}"); do
		eval "p=\$ST_$1$i"
		e+=(-e "s|$p\\b|PV$i|g")
	done
	sed "${e[@]}" -e "s|$v|VG|g"
}
# Run ARGS with @VG@ (and @PV1@..) as lvm2 on $ST_A and as thinbox on $ST_B: same exit code (RC unless any),
# same stdout and stderr (names normalised; lvm2's -v debug lines and thinbox's are not
# compared when LOOSE=1).
st_both() { # RC ARGS...
	local want=$1 ra rb x i pa pb
	shift
	local -a a=() b=()
	for x in "$@"; do
		pa=$x pb=$x
		for i in $(seq 1 "${ST_N:-3}"); do
			eval "pa=\${pa//@PV$i@/\$ST_A$i} pb=\${pb//@PV$i@/\$ST_B$i}"
		done
		a+=("${pa//@VG@/$ST_A}")
		b+=("${pb//@VG@/$ST_B}")
	done
	"$LVM2_BIN" "${a[@]}" >"$TB_TMP/st.a.out" 2>"$TB_TMP/st.a.err" </dev/null; ra=$?
	"$TB" "${b[@]}" >"$TB_TMP/st.b.out" 2>"$TB_TMP/st.b.err" </dev/null; rb=$?
	[ "$ra" = "$rb" ] || die "exit codes differ for '$*': lvm2 $ra ($(cat "$TB_TMP/st.a.out" "$TB_TMP/st.a.err")), thinbox $rb ($(cat "$TB_TMP/st.b.out" "$TB_TMP/st.b.err"))"
	[ "$want" = any ] || [ "$ra" = "$want" ] || die "'$*' exited $ra, expected $want: $(cat "$TB_TMP/st.a.err")"
	[ "${LOOSE:-0}" = 1 ] && return 0
	for x in out err; do
		st_norm A <"$TB_TMP/st.a.$x" >"$TB_TMP/st.a.$x.n"
		st_norm B <"$TB_TMP/st.b.$x" >"$TB_TMP/st.b.$x.n"
		cmp -s "$TB_TMP/st.a.$x.n" "$TB_TMP/st.b.$x.n" ||
			die "std$x differs for '$*': lvm2: '$(cat "$TB_TMP/st.a.$x.n")' thinbox: '$(cat "$TB_TMP/st.b.$x.n")'"
	done
	return 0
}
# The segments as lvm2 reads them (the fields clients parse), of VG A and VG B, compared.
ST_SEGF=lv_name,lv_attr,lv_size,segtype,stripes,stripe_size,seg_start_pe,seg_size,devices,seg_pe_ranges,lv_tags
st_same_segs() { # what
	"$LVM2_BIN" lvs -a --segments --noheadings --separator '|' --units b --nosuffix -o "$ST_SEGF" "$ST_A" 2>&1 |
		st_norm A >"$TB_TMP/st.segs.a"
	"$LVM2_BIN" lvs -a --segments --noheadings --separator '|' --units b --nosuffix -o "$ST_SEGF" "$ST_B" 2>&1 |
		st_norm B >"$TB_TMP/st.segs.b"
	cmp -s "$TB_TMP/st.segs.a" "$TB_TMP/st.segs.b" ||
		die "$1: lvm2 reads different segments: lvm2's VG: $(cat "$TB_TMP/st.segs.a") thinbox's VG: $(cat "$TB_TMP/st.segs.b")"
	lvm_clean vgck "$ST_B" >/dev/null
}
# thinbox's own report of its VG equals lvm2's report of it, byte for byte.
st_same_report() {
	local a b
	# segment fields: one row per segment (thinbox has no --segments; lvm2 gives the same rows)
	a=$(lvm_clean lvs -a -o "$ST_SEGF" "$ST_B")
	b=$("$TB" lvs -a -o "$ST_SEGF" "$ST_B" 2>&1) || die "thinbox lvs: $b"
	assert_eq "$a" "$b" "thinbox lvs -o segment fields of a striped LV (lvm2's first)"
	a=$(lvm_clean lvs --noheadings --separator , -o lv_name,segtype,stripes,stripesize,devices "$ST_B")
	b=$("$TB" lvs --noheadings --separator , -o lv_name,segtype,stripes,stripesize,devices "$ST_B" 2>&1)
	assert_eq "$a" "$b" "thinbox lvs -o segtype,stripes,stripesize,devices"
}

