# shellcheck shell=bash
# Helpers of tests/integration/damaged-*.sh (sourced by each; not a test file itself).

DMG_EDIT="perl $TB_TOP/tests/integration/damaged-edit.pl"

dmg_vg() { # DEV VG: lvm2 makes VG on DEV with one inactive 8m LV lv1
	dmg_forget
	"$LVM2_BIN" pvcreate -q "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" vgcreate -q "$2" "$1" >/dev/null 2>&1 &&
		"$LVM2_BIN" lvcreate -q -an -Zn -n lv1 -L 8m "$2" >/dev/null 2>&1 ||
		die "lvm2 could not set up $2 on $1"
}
# Template images: the three lvm2 commands of dmg_vg cost about 4 s under TCG, so lvm2 builds
# each template once a guest boot and every testcase after that gets a sparse copy on a loop
# device of its own (cp of a sparse file: 0.2 s). Copies of one template carry the same PV and
# VG UUIDs: a testcase attaches one copy of each template at most (damaged-vg's duplicate-PV
# case clones a disk on purpose). The templates live in the guest's /run (a tmpfs of this boot,
# never the host's), not in $TB_TMP, which tb_teardown empties after every testcase.
DMG_TPL=/run/tbdmg-tpl
# The size of most damaged disks, and lvm2's pv_size of one
DMG_SIZE=64M DMG_PVSIZE=64.00m
dmg_backing() { # DEV: the file behind loop device DEV (no fork: read from sysfs)
	local f
	read -r f <"/sys/block/${1#/dev/}/loop/backing_file" || die "no backing file of $1"
	printf '%s\n' "$f"
}
dmg_tpl_disk() { # SIZE KEY BUILD ARGS...: a new loop device with a copy of template KEY-SIZE
	# (BUILD DEV ARGS... makes it, the first time, on a fresh disk of SIZE)
	local size=$1 t=$DMG_TPL/$2-$1.img build=$3 d f
	shift 3
	mkdir -p "$TB_TMP" "$DMG_TPL"
	if [ ! -s "$t" ]; then
		d=$(tb_disk "$size") || exit 1
		"$build" "$d" "$@"
		cp --sparse=always "$(dmg_backing "$d")" "$t.new" && mv "$t.new" "$t" ||
			die "template $t"
		printf '%s\n' "$d"
		return 0
	fi
	f=$(mktemp "$TB_TMP/disk.XXXXXX") && cp --sparse=always "$t" "$f" || die "copy of $t"
	losetup -f --show "$f" || die "losetup $f"
}
dmg_vg_disk() { # SIZE VG: a new disk of SIZE holding dmg_vg's VG (from a template)
	dmg_tpl_disk "$1" "vg-$2" dmg_vg "$2"
}
_dmg_pv() { "$LVM2_BIN" pvcreate -q "$1" >/dev/null 2>&1 || die "lvm2 pvcreate $1"; }
dmg_pv_disk() { # SIZE: a new disk of SIZE holding an orphan PV lvm2 made (from a template)
	dmg_tpl_disk "$1" pv _dmg_pv
}
DMG_SUM=$TB_BUILD/tests/integration/dmg-sum
dmg_sums() { # DEV...: one line per device, a hash of every byte it holds (dmg-sum.c)
	# cksum of the whole device (a second per 16 MiB under TCG, sha256 more) made these
	# files the longest of the suite; dmg-sum reads only the data of the sparse image behind
	# each loop device, and fails the test when it cannot read one
	[ -x "$DMG_SUM" ] || die "no $DMG_SUM (make check-vm builds it)"
	"$DMG_SUM" "$@" || die "dmg-sum $*"
}
# The sums of the last refused command's disks, the "before" of the next refused command on
# the same disks (one pass over the disks less per command; a file, since callers run the
# helpers in $(...) subshells). Whatever else writes to those disks in between calls
# dmg_forget; an entry left stale can only fail a test (before and after differ), never pass one.
dmg_forget() { rm -f "$TB_TMP/dmg-known"; }
dmg_known() { # DISKS: prints the remembered sums of exactly DISKS, else computes them
	local k=
	[ -e "$TB_TMP/dmg-known" ] && read -r -d '' k <"$TB_TMP/dmg-known"
	if [ "${k%%$'\n'*}" = "$1" ]; then
		printf '%s\n' "${k#*$'\n'}"
	else
		# shellcheck disable=SC2086
		dmg_sums $1
	fi
}
dmg_remember() { printf '%s\n%s\n' "$1" "$2" >"$TB_TMP/dmg-known"; } # DISKS SUMS
# DISKS REGEX CMD ARGS...: lvm2, then thinbox, run the same command; each must exit 5 and
# leave every disk of DISKS (space-separated) byte-identical, and (REGEX not empty) both
# outputs match REGEX (lvm2's refusal line). Prints thinbox's output.
dmg_refuse_check() {
	local disks=$1 re=$2 s0 out rc
	shift 2
	s0=$(dmg_known "$disks")
	out=$("$LVM2_BIN" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || die "lvm2 $*: exited $rc, expected 5: $out"
	[ -z "$re" ] || assert_match "$re" "$out" "lvm2 $*"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || {
		dmg_forget
		die "lvm2 $* changed the disks (or a step since the last refused command did, without dmg_forget)"
	}
	out=$("$TB" "$@" 2>&1 </dev/null); rc=$?
	[ $rc = 5 ] || { dmg_forget; die "thinbox $*: exited $rc, expected 5: $out"; }
	[ -z "$re" ] || assert_match "$re" "$out" "thinbox $*"
	# shellcheck disable=SC2086
	[ "$(dmg_sums $disks)" = "$s0" ] || { dmg_forget; die "thinbox $* changed the disks: $out"; }
	dmg_remember "$disks" "$s0"
	printf '%s\n' "$out"
}
# DISKS CMD ARGS...: as dmg_refuse_check without a message to match.
dmg_both_refuse() {
	local disks=$1
	shift
	dmg_refuse_check "$disks" "" "$@"
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
	assert_eq "[unknown] u-- $DMG_PVSIZE 0m" "$want" "lvm2's pvs row"
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
	e=$(dmg_vg_disk $DMG_SIZE tbte) || die "setup of tbte"
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
dmg_both_refuse_msg() { dmg_refuse_check "$@"; }
