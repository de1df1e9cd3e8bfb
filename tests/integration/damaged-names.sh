# shellcheck shell=bash
# Names and sizes (issue 11): every VG/LV name rule and reserved name of lvm2 2.03.16
# (lib/misc/lvm-string.c validate_name, apply_lvname_restrictions; tools/toollib.c
# validate_vg_name_params) and sizes of 0, negative, overflowing, over 100%, run by lvm2 and
# by thinbox on the same disks. The log has the table: command, lvm2 rc and first line,
# thinbox rc and first line. The exit codes must be equal; a refused command must leave the
# disks byte-identical and print lvm2's first line (docs/damaged-disks.md "Names and sizes").
# shellcheck source=tests/integration/damaged-lib.bash
# vm-sample: 0
. "$TB_TOP/tests/integration/damaged-lib.bash"

DMN_BAD=""
dmn_first() { # OUTPUT: its first line that is not a WARNING, trimmed
	printf '%s\n' "$1" | grep -v 'WARNING' | sed -n '/./{s/^ *//;p;q}'
}
dmn() { # CLEANUP CMD...: one row of the table (CLEANUP: lvm2 arguments run after a success)
	local clean=$1 s0 o1 r1 o2 r2 f1 f2
	shift
	s0=$(dmg_sums $DMN_DISKS)
	o1=$("$LVM2_BIN" "$@" 2>&1 </dev/null); r1=$?
	if [ $r1 = 0 ]; then
		[ -z "$clean" ] || eval "\"\$LVM2_BIN\" $clean" >/dev/null 2>&1 || die "cleanup $clean"
	elif [ "$(dmg_sums $DMN_DISKS)" != "$s0" ]; then
		die "lvm2 $*: exited $r1 and changed the disks"
	fi
	s0=$(dmg_sums $DMN_DISKS)
	o2=$("$TB" "$@" 2>&1 </dev/null); r2=$?
	if [ $r2 = 0 ]; then
		[ -z "$clean" ] || eval "\"\$LVM2_BIN\" $clean" >/dev/null 2>&1 ||
			die "cleanup $clean after thinbox"
	elif [ "$(dmg_sums $DMN_DISKS)" != "$s0" ]; then
		DMN_BAD="$DMN_BAD
thinbox $* exited $r2 and changed the disks"
	fi
	f1=$(dmn_first "$o1")
	f2=$(dmn_first "$o2")
	printf '| `%s` | %s: %s | %s: %s |\n' "$*" "$r1" "$f1" "$r2" "$f2" >&2
	if [ "$r1" != "$r2" ]; then
		DMN_BAD="$DMN_BAD
$*: lvm2 rc $r1 ($f1), thinbox rc $r2 ($f2)"
	elif [ $r1 != 0 ] && ! printf '%s\n' "$o2" | grep -qF -- "$f1"; then
		DMN_BAD="$DMN_BAD
$*: thinbox does not print lvm2's '$f1' (it printed '$f2')"
	fi
}
dmn_done() {
	[ -z "$DMN_BAD" ] || die "differences from lvm2:$DMN_BAD"
}

dmn_setup() {
	local d e
	d=$(tb_disk 64M)
	e=$(tb_disk 64M)
	dmg_vg "$d" tbtf
	"$LVM2_BIN" pvcreate -q "$e" >/dev/null 2>&1 || die "pvcreate $e"
	DMN_D=$d DMN_E=$e DMN_DISKS="$d $e"
}

L127=$(printf 'a%.0s' $(seq 127))
L128=$(printf 'a%.0s' $(seq 128))

DMN_LV_NAMES=(- -a . .. a..b .a a. snapshot snapshotx xsnapshot pvmove pvmove0 xpvmove
	a_cdata a_cmeta a_corig a_cpool a_cvol a_wcorig a_mimage a_mlog a_rimage a_rmeta
	a_tdata a_tmeta a_vdata a_vorigin a_imeta a_iorig a_pmspare a_tmetax _tmeta a_
	'a+b' 'a b' 'a/b' 'a:b' 'a@b' 'a%b' '#a' 'ä' "$L127" "${L127:0:120}" "$L128" '')

testcase_damaged_names_lvcreate() {
	local n
	dmn_setup
	for n in "${DMN_LV_NAMES[@]}"; do
		dmn "lvremove -qy tbtf/$n" lvcreate -an -Zn -n "$n" -L 4m tbtf
	done
	dmn "" lvcreate -an -Zn -n lv1 -L 4m tbtf
	dmn_done
}

testcase_damaged_names_lvrename() {
	local n
	dmn_setup
	for n in "${DMN_LV_NAMES[@]}"; do
		dmn "lvrename -q tbtf $n lv1" lvrename tbtf lv1 "$n"
	done
	dmn_done
}

testcase_damaged_names_vg() {
	local n
	dmn_setup
	for n in - -a . .. a..b snapshot pvmove a_tmeta 'a b' 'a/b' 'a:b' "$L127" "$L128" '' tbtf \
		lvm dev mapper '#orphans' '#orphans_lvm2' 'a+b' '_a' 'a.'; do
		dmn "vgremove -qy $n" vgcreate "$n" "$DMN_E"
	done
	dmn_done
}

testcase_damaged_sizes_lvcreate() {
	local s
	dmn_setup
	for s in 0 -4m -0 4 4s 1s 0.5k 18446744073709551615 18446744073709551616 \
		99999999999999999999t 16e 8e 1.5m 0.1 abc 4x 4M 4MiB 4mb +4m; do
		dmn "lvremove -qy tbtf/sz" lvcreate -an -Zn -n sz -L "$s" tbtf
	done
	for s in 0 -1 1 100%FREE 101%FREE 0%FREE 100%VG 200%VG 50%PVS 100%ORIGIN 1000000 \
		4294967296 18446744073709551616 %FREE x%FREE 100%free 1%; do
		dmn "lvremove -qy tbtf/sz" lvcreate -an -Zn -n sz -l "$s" tbtf
	done
	dmn_done
}

testcase_damaged_sizes_other() {
	local s
	dmn_setup
	for s in +0 -4m 0 +1000g +18446744073709551615 4m 8m; do
		dmn "" lvextend -L "$s" tbtf/lv1
	done
	for s in +0 +101%FREE +0%FREE 2; do
		dmn "" lvextend -l "$s" tbtf/lv1
	done
	for s in 0 3k 1k 4k 3m 16g 17g 1t 1e -4m abc; do
		dmn "vgremove -qy tbtn" vgcreate -s "$s" tbtn "$DMN_E"
	done
	dmn_done
}
