# shellcheck shell=bash
# Helpers of tests/integration/damaged-*.sh (sourced by each; not a test file itself).

DMG_EDIT="perl $TB_TOP/tests/integration/damaged-edit.pl"

dmg_vg() { # DEV VG: lvm2 makes VG on DEV with one inactive 8m LV lv1
	"$LVM2_BIN" pvcreate -q "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" vgcreate -q "$2" "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" lvcreate -q -an -Zn -n lv1 -L 8m "$2" >/dev/null 2>&1 ||
		die "lvm2 could not set up $2 on $1"
}
dmg_sums() { # DEV...: one checksum line per device
	# cksum (CRC32 + length): any change a command makes shows; sha256 cost seconds per
	# 64 MiB disk under TCG and made the name tables run past the per-testcase limit
	local d
	for d in "$@"; do cksum <"$d"; done
}
# DISKS CMD ARGS...: lvm2, then thinbox, run the same command; each must exit 5 and leave
# every disk of DISKS (space-separated) byte-identical. Prints thinbox's output.
dmg_both_refuse() {
	local disks=$1 s0 out rc
	shift
	# shellcheck disable=SC2086
	s0=$(dmg_sums $disks)
	out=$("$LVM2_BIN" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "lvm2 $*: exited $rc, expected 5: $out"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "lvm2 $* changed the disks"
	out=$("$TB" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "thinbox $*: exited $rc, expected 5: $out"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "thinbox $* changed the disks: $out"
	printf '%s\n' "$out"
}
dmg_pvrow() { # BIN DEV: "vg attr psize pfree" of DEV as BIN's pvs reports it
	# (lvm2 prints "Retrying metadata scan." on stdout when a text checksum is bad)
	"$1" pvs --noheadings -o vg_name,pv_attr,pv_size,pv_free --units m "$2" 2>/dev/null \
		</dev/null | grep -v 'Retrying metadata scan' | awk '{$1 = $1; print}'
}
dmg_text_off() { # DEV: device offset of the committed text of the first mda (at 4096)
	echo $((4096 + $(od -An -tu8 -j $((4096 + 40)) -N8 "$1" | tr -d ' ')))
}

# What every "PV in doubt" case shares: lvm2 and thinbox report it as used by an unknown VG
# (never free), refuse to reuse it without -ff, and -ff says what it destroys.
dmg_in_doubt_common() { # DEV CAUSE-REGEX
	local d=$1 cause=$2 want out e
	want=$(dmg_pvrow "$LVM2_BIN" "$d")
	assert_eq "[unknown] u-- 64.00m 0m" "$want" "lvm2's pvs row"
	assert_eq "$want" "$(dmg_pvrow "$TB" "$d")" "thinbox's pvs row"
	out=$("$TB" pvs "$d" 2>&1 </dev/null)
	assert_match "$cause" "$out" "pvs names the cause"
	assert_match "WARNING: PV $d is marked in use but no VG was found using it" "$out" "pvs"
	out=$(dmg_both_refuse "$d" vgs tbtd)
	assert_match "$cause" "$out" "vgs names the cause"
	assert_match 'Volume group "tbtd" not found' "$out" "vgs"
	out=$(dmg_both_refuse "$d" lvs tbtd)
	assert_match 'Volume group "tbtd" not found' "$out" "lvs"
	out=$(dmg_both_refuse "$d" pvremove "$d")
	assert_match "PV $d is used by a VG but its metadata is missing" "$out" "pvremove"
	assert_match "confirm by using --force twice" "$out" "pvremove"
	dmg_both_refuse "$d" pvremove -f "$d" >/dev/null
	out=$(dmg_both_refuse "$d" pvcreate "$d")
	assert_match "Can't initialize PV '$d' without -ff" "$out" "pvcreate"
	dmg_both_refuse "$d" pvcreate -f "$d" >/dev/null
	dmg_both_refuse "$d" vgcreate tbtn "$d" >/dev/null
	e=$(tb_disk 64M)
	dmg_vg "$e" tbte
	dmg_both_refuse "$d $e" vgextend tbte "$d" >/dev/null
	# -ff: lvm2 2.03.16 prints that it wipes the PV of VG <unknown>, then fails with status 5
	# and leaves the label; thinbox does the same (docs/lvm2-differences.md)
	out=$(dmg_both_refuse_msg "$d $e" \
		"Wiping physical volume label from $d of volume group \"<unknown>\"" pvremove -ff -y "$d")
	assert_match "pvcreate -ff $d" "$out" "pvremove -ff says how to reuse the device"
	# the way out: pvcreate -ff, then the PV is an orphan lvm2 sees, and pvremove removes it
	out=$(assert_ok "$TB" pvcreate -ff -y "$d")
	assert_match "Wiping physical volume label from $d of volume group \"<unknown>\"" "$out" \
		"pvcreate -ff"
	assert_eq "$d" "$(lvm_clean pvs --noheadings -o pv_name,vg_name "$d" | awk '{$1 = $1; print}')" \
		"an orphan PV"
	assert_ok "$TB" pvremove "$d" >/dev/null
	[ -z "$("$LVM2_BIN" pvs --noheadings -o pv_name "$d" 2>/dev/null)" ] ||
		die "pvremove left a label lvm2 sees"
}

# DISKS REGEX CMD ARGS...: as dmg_both_refuse, and both lvm2's and thinbox's output match
# REGEX (lvm2's refusal line). Prints thinbox's output.
dmg_both_refuse_msg() {
	local disks=$1 re=$2 s0 out rc
	shift 2
	# shellcheck disable=SC2086
	s0=$(dmg_sums $disks)
	out=$("$LVM2_BIN" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "lvm2 $*: exited $rc, expected 5: $out"
	assert_match "$re" "$out" "lvm2 $*"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "lvm2 $* changed the disks"
	out=$("$TB" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "thinbox $*: exited $rc, expected 5: $out"
	assert_match "$re" "$out" "thinbox $*"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || die "thinbox $* changed the disks: $out"
	printf '%s\n' "$out"
}
