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
# The disks as dmn_setup made them: every row starts from these bytes. After a command that
# succeeded, they are copied back into the images behind the loop devices (nobody holds the
# devices open then; blockdev --flushbufs drops any page the kernel still caches, and lvm2's
# device hints are marked stale as thinbox marks them, core/store/hints.c).
dmn_save() {
	local d i=0
	for d in $DMN_DISKS; do
		cp --sparse=always "$(dmg_backing "$d")" "$TB_TMP/dmn-base.$i" || die "save $d"
		i=$((i + 1))
	done
}
dmn_restore() {
	local d i=0
	for d in $DMN_DISKS; do
		cp --sparse=always "$TB_TMP/dmn-base.$i" "$(dmg_backing "$d")" || die "restore $d"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	blockdev --flushbufs $DMN_DISKS || die "flushbufs"
	[ ! -d /run/lvm ] || : >/run/lvm/newhints
}
dmn() { # CMD...: one row of the table, lvm2 and thinbox each run CMD on the saved disks
	local s0 s1 o1 r1 o2 r2 f1 f2
	# DMN_SUMS: the disks as the last row left them, when it ended with a refusal (checked)
	# shellcheck disable=SC2086
	s0=${DMN_SUMS:-$(dmg_sums $DMN_DISKS)}
	DMN_SUMS=
	o1=$("$LVM2_BIN" "$@" 2>&1 </dev/null); r1=$?
	# shellcheck disable=SC2086
	if [ $r1 = 0 ]; then
		dmn_restore
		s0=$(dmg_sums $DMN_DISKS)
	elif [ "$(dmg_sums $DMN_DISKS)" != "$s0" ]; then
		die "lvm2 $*: exited $r1 and changed the disks"
	fi
	o2=$("$TB" "$@" 2>&1 </dev/null); r2=$?
	if [ $r2 = 0 ]; then
		dmn_restore
	else
		# shellcheck disable=SC2086
		s1=$(dmg_sums $DMN_DISKS)
		[ "$s1" = "$s0" ] || DMN_BAD="$DMN_BAD
thinbox $* exited $r2 and changed the disks"
		DMN_SUMS=$s1
	fi
	f1=$(dmn_first "$o1")
	f2=$(dmn_first "$o2")
	printf '| `%s` | %s: %s | %s: %s |\n' "$*" "$r1" "$f1" "$r2" "$f2" >&2
	local key=${*//"$DMN_E"/PV} own
	if [ -n "${DMN_OWN["$key"]+x}" ]; then
		own=${DMN_OWN["$key"]}
		[ "$r2" = "${own%%|*}" ] && printf '%s\n' "$o2" | grep -qF -- "${own#*|}" ||
			DMN_BAD="$DMN_BAD
$*: thinbox (rc $r2, $f2) does not answer as documented: rc ${own%%|*}, '${own#*|}'"
	elif [ "$r1" != "$r2" ]; then
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

dmn_setup() { # a VG tbtf (lv1, 8m) on a 64 MiB disk and an orphan PV (lvm2 made both)
	local d e
	d=$(dmg_vg_disk $DMG_SIZE tbtf) || die "setup of tbtf"
	e=$(dmg_pv_disk $DMG_SIZE) || die "setup of a PV"
	DMN_D=$d DMN_E=$e DMN_DISKS="$d $e" DMN_SUMS=
	dmn_save
}

L127=$(printf 'a%.0s' $(seq 127))
L128=$(printf 'a%.0s' $(seq 128))

# Rows where thinbox answers differently on purpose (docs/lvm2-differences.md, "Names and
# sizes"), as "RC|LINE": thinbox must exit RC and print LINE; lvm2's answer is in the table.
# In a key, the orphan PV's device is "PV".
declare -A DMN_OWN=(
	# lvm2 takes a leading "-" for a historical LV ("Old name references live LV while new
	# name is for historical LV."); thinbox has no historical LVs
	["lvrename tbtf lv1 -"]='3|New logical volume name "-" is invalid'
	# lvm2: "Internal error: LV name "tbtf/a..." length 134 is not supported."
	["lvcreate -an -Zn -n $L127 -L 4m tbtf"]="5|Logical volume name \"$L127\" is too long for volume group \"tbtf\"."
	# lvm2: "Internal error: Couldn't find origin volume."
	["lvcreate -an -Zn -n sz -l 100%ORIGIN tbtf"]='5|Unable to create new logical volume with no extents.'
	# lvm2 makes a VG of 1 KiB extents (a power of 2 of at least one 512-byte sector);
	# thinbox's extents are at least 4 KiB, the sector of a 4Kn device
	["vgcreate -s 1k tbtn PV"]='5|Invalid physical extent size: extent size must be at least 4 KiB.'
	# lvm2 makes a VG whose PV holds no extent (rc 0, 0 extents); thinbox refuses it
	["vgcreate -s 16g tbtn PV"]='5|it has room for no extent of this size'
	["vgcreate -s 17g tbtn PV"]='5|it has room for no extent of this size'
	["vgcreate -s 1t tbtn PV"]='5|it has room for no extent of this size'
)

DMN_LV_NAMES=(- -a . .. a..b .a a. snapshot snapshotx xsnapshot pvmove pvmove0 xpvmove
	a_cdata a_cmeta a_corig a_cpool a_cvol a_wcorig a_mimage a_mlog a_rimage a_rmeta
	a_tdata a_tmeta a_vdata a_vorigin a_imeta a_iorig a_pmspare a_tmetax _tmeta a_
	'a+b' 'a b' 'a/b' 'a:b' 'a@b' 'a%b' '#a' 'ä' "$L127" "${L127:0:120}" "$L128" '')

testcase_damaged_names_lvcreate() {
	local n
	dmn_setup
	for n in "${DMN_LV_NAMES[@]}"; do
		dmn lvcreate -an -Zn -n "$n" -L 4m tbtf
	done
	dmn lvcreate -an -Zn -n lv1 -L 4m tbtf
	dmn_done
}

testcase_damaged_names_lvrename() {
	local n
	dmn_setup
	for n in "${DMN_LV_NAMES[@]}"; do
		dmn lvrename tbtf lv1 "$n"
	done
	dmn_done
}

testcase_damaged_names_vg() {
	local n
	dmn_setup
	for n in - -a . .. a..b snapshot pvmove a_tmeta 'a b' 'a/b' 'a:b' "$L127" "$L128" '' tbtf \
		lvm dev mapper '#orphans' '#orphans_lvm2' 'a+b' '_a' 'a.'; do
		dmn vgcreate "$n" "$DMN_E"
	done
	dmn_done
}

testcase_damaged_sizes_lvcreate() {
	local s
	dmn_setup
	for s in 0 -4m -0 4 4s 1s 0.5k 18446744073709551615 18446744073709551616 \
		99999999999999999999t 16e 8e 1.5m 0.1 abc 4x 4M 4MiB 4mb +4m; do
		dmn lvcreate -an -Zn -n sz -L "$s" tbtf
	done
	for s in 0 -1 1 100%FREE 101%FREE 0%FREE 100%VG 200%VG 50%PVS 100%ORIGIN 1000000 \
		4294967296 18446744073709551616 %FREE x%FREE 100%free 1%; do
		dmn lvcreate -an -Zn -n sz -l "$s" tbtf
	done
	dmn_done
}

testcase_damaged_sizes_other() {
	local s
	dmn_setup
	for s in +0 -4m 0 +1000g +18446744073709551615 4m 8m; do
		dmn lvextend -L "$s" tbtf/lv1
	done
	for s in +0 +101%FREE +0%FREE 2; do
		dmn lvextend -l "$s" tbtf/lv1
	done
	for s in 0 3k 1k 4k 3m 16g 17g 1t 1e -4m abc; do
		dmn vgcreate -s "$s" tbtn "$DMN_E"
	done
	dmn_done
}
