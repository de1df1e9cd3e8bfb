# shellcheck shell=bash
# Interoperability with lvm2 (Debian 12's lvm2 2.03.16 in the guest), both ways:
#  - what thinbox writes, lvm2 reads with no warning (pvs, vgs, pvck, vgck --verbose, blkid);
#  - what lvm2 writes (linear LVs, a thin pool, thin LVs, a thin snapshot), thinbox reports
#    with the same field values as lvm2's own pvs/vgs/lvs;
#  - changes alternate between the two tools and each commit moves seqno by exactly one;
#  - a no-op change by thinbox keeps the metadata semantically identical (see
#    testcase_metadata_round_trip for the method);
#  - refused commands leave the disks byte-identical.
# lvm2's commands are called by their absolute path so that an installed thinbox link
# (make install-links) can never stand in for them.

LVM=$LVM2_BIN
VG1=${TB_PREFIX}vg1
VG2=${TB_PREFIX}vg2

# lvm2 making a change: must exit 0; stderr may hold only the advice lvm2 gives about what
# was asked (not zeroing, thin over-provisioning, autoextend policy), nothing about reading.
LVM_ADVICE='WARNING: Logical volume .* not zeroed\.|WARNING: Sum of all thin volume sizes|WARNING: You have not turned on protection|WARNING: Set activation/thin_pool_autoextend|WARNING: Pool zeroing and|WARNING: Thin pool .* is not zeroed'
lvm_do() {
	local out err rc
	err=$(mktemp "$TB_TMP/err.XXXXXX")
	out=$("$LVM" "$@" 2>"$err"); rc=$?
	[ $rc = 0 ] || die "lvm $* exited $rc: $(cat "$err") $out"
	if grep -v -E "$LVM_ADVICE" "$err" | grep -q .; then
		die "lvm $* wrote to stderr: $(cat "$err")"
	fi
	rm -f "$err"
	printf '%s\n' "$out"
}
# lvm2 reads a backup file thinbox wrote: vgcfgrestore --test parses it, matches its PVs to the
# devices and validates the VG without writing anything (stderr: only the test-mode notice).
lvm2_reads_backup() { # VG FILE [extra vgcfgrestore args]
	local vg=$1 f=$2 err rc
	shift 2
	[ -s "$f" ] || die "no backup file $f"
	err=$(mktemp "$TB_TMP/err.XXXXXX")
	"$LVM" vgcfgrestore --test "$@" -f "$f" "$vg" >/dev/null 2>"$err" </dev/null; rc=$?
	[ $rc = 0 ] || die "lvm vgcfgrestore --test -f $f exited $rc: $(cat "$err")"
	if grep -v -E 'TEST MODE: Metadata will NOT be updated|WARNING: Forced restore of Volume Group .* with thin volumes\.' "$err" | grep -q .; then
		die "lvm vgcfgrestore --test -f $f wrote to stderr: $(cat "$err")"
	fi
}
# The same for thinbox.
tb_clean() {
	local out err rc
	err=$(mktemp "$TB_TMP/err.XXXXXX")
	out=$("$TB" "$@" 2>"$err"); rc=$?
	[ $rc = 0 ] || die "thinbox $* exited $rc: $(cat "$err") $out"
	[ ! -s "$err" ] || die "thinbox $* wrote to stderr: $(cat "$err")"
	rm -f "$err"
	printf '%s\n' "$out"
}

# report TOOL KIND COLUMNS ARGS...: rows of "a|b|c", fields trimmed, rows sorted, equal rows
# folded into one: when a segment column (segtype, chunk_size, thin_id...) is asked for, lvm2
# prints one row per segment of an LV, thinbox one row per LV (see docs/lvm2-differences.md);
# for the columns compared here the rows of one LV's segments are equal.
REPORT_FLAGS=(--noheadings --separator '|' --units b --nosuffix)
report() {
	local tool=$1 kind=$2 cols=$3 out
	shift 3
	if [ "$tool" = lvm2 ]; then
		out=$(lvm_clean "$kind" "${REPORT_FLAGS[@]}" -o "$cols" "$@") || exit 1
	else
		out=$(tb_clean "$kind" "${REPORT_FLAGS[@]}" -o "$cols" "$@") || exit 1
	fi
	printf '%s\n' "$out" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*|[[:space:]]*/|/g' \
		-e 's/[[:space:]]*$//' | grep -v '^$' | LC_ALL=C sort -u
}

# same_report KIND COLUMNS ARGS...: lvm2's and thinbox's reports agree field by field; the
# first column must identify the row. On a difference, names the row, the column and both
# values.
# Commit every active thin pool's metadata now: a thin-pool status without --noflush commits
# (linux drivers/md/dm-thin.c pool_status), and with no writer left nothing changes after it.
# Without this, lvm2 (noflush) and thinbox could read the pool before and after the kernel's
# periodic commit and see different metadata usage (11.43 vs 11.04 once): one instant, not two.
pools_settle() {
	dmsetup status --target thin-pool >/dev/null 2>&1
	return 0
}

same_report() {
	local kind=$1 cols=$2 a b
	shift 2
	pools_settle
	a=$(report lvm2 "$kind" "$cols" "$@") || exit 1
	b=$(report tb "$kind" "$cols" "$@") || exit 1
	[ -n "$a" ] || [ "$kind" = lvs ] || die "lvm2 $kind -o $cols: no rows"
	[ "$a" = "$b" ] && return 0
	# (no process substitution: the guest has no /dev/fd)
	printf '%s\n' "$a" > "$TB_TMP/rep.a"
	printf '%s\n' "$b" > "$TB_TMP/rep.b"
	paste -d '\n' "$TB_TMP/rep.a" "$TB_TMP/rep.b" | awk -v cols="$cols" -F'|' '
		BEGIN { n = split(cols, c, ",") }
		NR % 2 == 1 { split($0, L, "|"); lrow = $0; next }
		{
			split($0, T, "|")
			for (i = 1; i <= n; i++)
				if (L[i] != T[i])
					printf "  row %s: %s: lvm2 \"%s\", thinbox \"%s\"\n", L[1], c[i], L[i], T[i]
		}' >&2
	printf 'lvm2:\n%s\nthinbox:\n%s\n' "$a" "$b" >&2
	die "$kind -o $cols: thinbox differs from lvm2"
}

seqno() { # VG -> lvm2's view of the seqno
	lvm_clean vgs --noheadings -o vg_seqno "$1" | tr -d ' '
}
tb_seqno() {
	tb_clean vgs --noheadings -o vg_seqno "$1" | tr -d ' '
}

# lvm2's checks of a VG and its PVs: all clean, nothing on stderr.
lvm2_checks_clean() { # VG PV...
	local vg=$1 pv
	shift
	lvm_clean vgck --verbose "$vg" >/dev/null
	for pv in "$@"; do
		lvm_clean pvck "$pv" >/dev/null
	done
	lvm_clean vgs "$vg" >/dev/null
	lvm_clean lvs -a "$vg" >/dev/null
	lvm_clean pvs "$@" >/dev/null
}
# thinbox reads the VG with no message.
tb_reads_clean() { # VG
	tb_clean vgs "$1" >/dev/null
	tb_clean lvs -a "$1" >/dev/null
	tb_clean pvs >/dev/null
}

PV_COLS=pv_name,vg_name,pv_fmt,pv_attr,pv_uuid,pv_size,pv_free,dev_size,pe_start,pv_pe_count,pv_pe_alloc_count
VG_COLS=vg_name,vg_uuid,vg_fmt,vg_attr,pv_count,lv_count,snap_count,vg_size,vg_free,vg_extent_size,vg_extent_count,vg_free_count,vg_seqno
# Not compared: seg_monitor (lvm2 asks dmeventd, which does not run in the rig; thinbox
# reports its own monitor state) -- see docs/lvm2-differences.md.
LV_COLS=lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,metadata_percent,lv_uuid,segtype,seg_count,chunk_size,transaction_id,thin_id,lv_profile,lv_dm_path

# ---- thinbox writes, lvm2 reads ----

testcase_tb_pvs_read_by_lvm2() {
	local d1 d2 d3 d4 out
	d1=$(tb_disk 64M) && d2=$(tb_disk 96M) && d3=$(tb_disk 40M) && d4=$(tb_disk 48M) || exit 1
	tb_clean pvcreate "$d1" >/dev/null
	tb_clean pvcreate --pvmetadatacopies 2 --metadatasize 2m "$d2" >/dev/null
	tb_clean pvcreate --pvmetadatacopies 0 "$d4" >/dev/null
	tb_clean vgcreate -s 8m "$VG1" "$d1" "$d2" "$d4" >/dev/null
	tb_clean pvcreate "$d3" >/dev/null
	for d in "$d1" "$d2" "$d3" "$d4"; do
		out=$(blkid -p -o export "$d") || die "blkid $d"
		assert_match '^TYPE=LVM2_member$' "$out" "blkid $d"
	done
	lvm2_checks_clean "$VG1" "$d1" "$d2" "$d4"
	lvm_clean pvck "$d3" >/dev/null
	same_report pvs "$PV_COLS"
	same_report vgs "$VG_COLS"
	# the geometry asked for, as lvm2 sees it
	assert_eq 8388608 "$(report lvm2 vgs vg_extent_size "$VG1")" "extent size"
	assert_eq "$d2|2|2" "$(report lvm2 pvs pv_name,pv_mda_count,pv_mda_used_count "$d2")" "mdas of $d2"
	assert_eq "$d1|1" "$(report lvm2 pvs pv_name,pv_mda_count "$d1")" "mdas of $d1"
	# a PV without metadata area belongs to the VG all the same (its metadata is elsewhere)
	assert_eq "$d4|0|$VG1" "$(report lvm2 pvs pv_name,pv_mda_count,vg_name "$d4")" "mdas of $d4"
	assert_eq "$d1|1048576" "$(report lvm2 pvs pv_name,pe_start "$d1")" "pe_start of $d1"
	out=$(report lvm2 pvs pv_name,pv_mda_size "$d2")
	# --metadatasize 2m: lvm2 counts the usable size (2 MiB less the 512-byte header)
	assert_match "^$d2\\|(2096640|2097152)\$" "$out" "mda size of $d2"
	assert_eq 1 "$(seqno "$VG1")" "seqno of a new VG"
	lvm2_reads_backup "$VG1" "/etc/lvm/backup/$VG1"
	# lvm2 can change what thinbox made, and thinbox reads that back
	lvm_do lvcreate -an -Zn -L 16m -n lv1 "$VG1" >/dev/null
	assert_eq 2 "$(tb_seqno "$VG1")" "seqno after lvm2's lvcreate"
	same_report lvs "$LV_COLS" "$VG1"
}

# ---- lvm2 writes, thinbox reads ----

testcase_lvm2_vg_read_by_tb() {
	local d1 d2
	d1=$(tb_disk 128M) && d2=$(tb_disk 128M) || exit 1
	lvm_clean pvcreate "$d1" "$d2" >/dev/null
	lvm_clean vgcreate -s 1m "$VG1" "$d1" "$d2" >/dev/null
	lvm_do lvcreate -an -Zn -L 20m -n lin1 "$VG1" >/dev/null
	lvm_do lvcreate -an -Zn -L 100m -n lin2 "$VG1" >/dev/null # spans both PVs
	lvm_do lvcreate -an -Zn -l 10 -n lin3 "$VG1" "$d2" >/dev/null
	same_report pvs "$PV_COLS"
	same_report vgs "$VG_COLS"
	same_report lvs "$LV_COLS" -a
	tb_reads_clean "$VG1"
}

testcase_lvm2_thin_read_by_tb() {
	local d1
	d1=$(tb_disk 256M) || exit 1
	lvm_clean pvcreate "$d1" >/dev/null
	lvm_clean vgcreate "$VG1" "$d1" >/dev/null
	lvm_do lvcreate -L 64m -T "$VG1/pool" >/dev/null
	lvm_do lvcreate -V 128m -T "$VG1/pool" -n thin1 >/dev/null
	lvm_do lvcreate -s "$VG1/thin1" -n snap1 >/dev/null
	dd if=/dev/urandom of="/dev/mapper/$VG1-thin1" bs=1M count=3 oflag=direct 2>/dev/null ||
		die "write to thin1"
	same_report pvs "$PV_COLS"
	same_report vgs "$VG_COLS"
	same_report lvs "$LV_COLS" -a
	same_report lvs "$LV_COLS" "$VG1"
	tb_reads_clean "$VG1"
	lvm_clean vgchange -an "$VG1" >/dev/null
	same_report lvs "$LV_COLS" -a
}

# ---- both tools change the same VG, in turns ----

# step TOOL VG CMD...: run one committing command with TOOL, then the other tool reads the VG
# with no message and lvm2's vgck is clean.
# seqno: every commit moves it by exactly one. thinbox logs each commit at debug level
# ("Committed VG <vg> seqno <n> ..."), so for a thinbox step the seqno lvm2 then reads must be
# the one of the last logged commit, and the logged seqnos must run before+1, before+2, ...
# (a thin LV is two commits, as with lvm2: one with the pool's message queued, one after the
# kernel took it). lvm2 commits some commands more than once too, so for an lvm2 step seqno
# must move forward and thinbox must read the same number lvm2 does.
step() {
	local tool=$1 vg=$2 before after err rc want n
	shift 2
	before=$(seqno "$vg") || exit 1
	if [ "$tool" = lvm2 ]; then
		lvm_do "$@" >/dev/null
		tb_reads_clean "$vg"
		after=$(tb_seqno "$vg") || exit 1
		assert_eq "$(seqno "$vg")" "$after" "seqno of thinbox and lvm2 after lvm2 $*"
		[ "$after" -gt "$before" ] || die "seqno did not move after lvm2 $*"
	else
		err=$TB_TMP/step.err
		THINBOX_LOG=debug "$TB" "$@" >/dev/null 2>"$err"; rc=$?
		[ $rc = 0 ] || die "thinbox $* exited $rc: $(cat "$err")"
		# debug/info lines expected: the commits, devices that are no PV, timings, the
		# monitor a new pool starts, extent rounding, the pool's own metadata read before a thin id is chosen;
		# and lvm2's own advice (over-provisioning), which thinbox gives as lvm2 does
		! grep -v -E "$LVM_ADVICE" "$err" | grep -v -E '^  (Committed VG |/dev/[^:]*: no usable label: |Started thinbox monitor\.$|Rounding up size|[^ /]+/[^ :]+: commit [0-9]+ us|[^ ]+ reloaded: load [0-9]+, suspend [0-9]+, resume [0-9]+ us$|[^ ]+ grown: suspend [0-9]+, sub-devices and load [0-9]+ us$|pool [^ /]+/[^ ]+ metadata: transaction [0-9]+, [0-9]+ devices( \(metadata snapshot\))?$)' | grep -q . ||
			die "thinbox $* wrote to stderr: $(cat "$err")"
		after=$(seqno "$vg") || exit 1
		n=0
		for s in $(sed -n "s/^  Committed VG $vg seqno \([0-9]*\) .*/\1/p" "$err"); do
			n=$((n + 1))
			want=$((before + n))
			assert_eq "$want" "$s" "seqno of commit $n of thinbox $*"
		done
		[ $n -ge 1 ] || die "thinbox $* logged no commit"
		assert_eq $((before + n)) "$after" "seqno lvm2 reads after thinbox $* ($n commits)"
	fi
	lvm_clean vgck --verbose "$vg" >/dev/null
	tb_reads_clean "$vg"
	same_report lvs "$LV_COLS" -a "$vg"
	same_report vgs "$VG_COLS" "$vg"
}

testcase_alternating_changes() {
	local d1 d2
	d1=$(tb_disk 200M) && d2=$(tb_disk 200M) || exit 1
	lvm_clean pvcreate "$d1" >/dev/null
	lvm_clean vgcreate "$VG1" "$d1" >/dev/null
	step tb "$VG1" lvcreate -an -Zn -L 16m -n a "$VG1"
	step lvm2 "$VG1" lvcreate -an -Zn -L 16m -n b "$VG1"
	step tb "$VG1" lvextend -L +8m "$VG1/b"
	step lvm2 "$VG1" lvextend -L +8m "$VG1/a"
	step tb "$VG1" lvremove -y "$VG1/b"
	step lvm2 "$VG1" lvremove -y "$VG1/a"
	# thin: a pool made by thinbox, a thin LV by lvm2, its snapshot by thinbox
	step tb "$VG1" lvcreate -L 32m -T "$VG1/pool" -Zn
	step lvm2 "$VG1" lvcreate -V 64m -T "$VG1/pool" -n thin1
	step tb "$VG1" lvcreate -s "$VG1/thin1" -n snap1
	step lvm2 "$VG1" lvextend -L +8m "$VG1/pool"
	step tb "$VG1" lvextend -L +8m "$VG1/pool"
	step tb "$VG1" lvremove -y "$VG1/snap1"
	step lvm2 "$VG1" lvremove -y "$VG1/thin1"
	# a VG that thinbox made, extended by lvm2 (a second PV; thinbox commits to both)
	tb_clean pvcreate "$d2" >/dev/null
	tb_clean vgcreate "$VG2" "$d2" >/dev/null
	step lvm2 "$VG2" lvcreate -an -Zn -L 8m -n x "$VG2"
	step tb "$VG2" lvcreate -an -Zn -L 8m -n y "$VG2"
	lvm2_checks_clean "$VG1" "$d1"
	lvm2_checks_clean "$VG2" "$d2"
}

# ---- metadata round trip ----

# Method: lvm2 itself is the judge. `vgcfgbackup -f` makes lvm2 parse the metadata on disk
# and print its own canonical text of the VG it understood. We take that text for a VG lvm2
# wrote, let thinbox commit the VG twice with a net no-op (attach a metadata profile to the
# pool, then detach it: thinbox parses lvm2's text and prints its own), and take lvm2's text
# again. The two must be equal except for what a commit legitimately changes: seqno (+2) and
# the header (description, creation_time of the backup, the host and time comment). Comparing
# lvm2's print of both (not thinbox's text against lvm2's) means formatting choices do not
# matter and every field lvm2 knows about does; a field thinbox dropped or changed shows up
# as a difference. The report columns are compared too.
canon_backup() { # VG FILE
	lvm_clean vgcfgbackup -f "$2.full" "$1" >/dev/null
	grep -v -E '^(description|creation_time) = |^# Generated by|^contents|^version = |^creation_host = |^$' \
		"$2.full" | sed -E 's/^(\s*seqno = ).*/\1N/' > "$2"
}

testcase_metadata_round_trip() {
	local d1 d2 a b s0 s1 f=$TB_TMP/rt
	d1=$(tb_disk 256M) && d2=$(tb_disk 64M) || exit 1
	mkdir -p "$f"
	printf 'activation {\n\tthin_pool_autoextend_threshold = 80\n\tthin_pool_autoextend_percent = 20\n}\n' \
		> /etc/lvm/profile/${TB_PREFIX}p.profile
	lvm_clean pvcreate "$d1" "$d2" >/dev/null
	lvm_clean vgcreate "$VG1" "$d1" "$d2" >/dev/null
	lvm_do lvcreate -an -Zn -L 12m -n lin --addtag t1 "$VG1" >/dev/null
	lvm_do lvcreate -L 64m -T "$VG1/pool" -c 128k >/dev/null
	lvm_do lvcreate -V 128m -T "$VG1/pool" -n thin1 >/dev/null
	lvm_do lvcreate -s "$VG1/thin1" -n snap1 >/dev/null
	lvm_do lvextend -L +8m "$VG1/pool" >/dev/null
	lvm_clean vgchange -an "$VG1" >/dev/null
	s0=$(seqno "$VG1")
	canon_backup "$VG1" "$f/a"
	a=$(report lvm2 lvs "$LV_COLS" -a "$VG1")
	tb_clean lvchange --metadataprofile ${TB_PREFIX}p "$VG1/pool" >/dev/null
	assert_eq "${TB_PREFIX}p" "$(report lvm2 lvs lv_profile "$VG1/pool")" "profile set by thinbox"
	tb_clean lvchange --detachprofile "$VG1/pool" >/dev/null
	# the backup and the newest archive thinbox wrote parse in lvm2 (thin: needs --force)
	lvm2_reads_backup "$VG1" "/etc/lvm/backup/$VG1" --force
	lvm2_reads_backup "$VG1" "$(ls -t /etc/lvm/archive/"$VG1"_*.vg | head -1)" --force
	s1=$(seqno "$VG1")
	assert_eq $((s0 + 2)) "$s1" "seqno after two thinbox commits"
	canon_backup "$VG1" "$f/b"
	diff -u "$f/a" "$f/b" >&2 || die "lvm2's text of the VG changed after a no-op by thinbox"
	b=$(report lvm2 lvs "$LV_COLS" -a "$VG1")
	assert_eq "$a" "$b" "lvs -a after the round trip"
	lvm2_checks_clean "$VG1" "$d1" "$d2"
	# both PVs carry the same committed text (thinbox commits to every mda)
	lvm_clean pvck --dump metadata "$d1" > "$f/m1" 2>&1
	lvm_clean pvck --dump metadata "$d2" > "$f/m2" 2>&1
	rm -f /etc/lvm/profile/${TB_PREFIX}p.profile
}

# ---- refusals change nothing ----

snapshot_disks() { # DIR DEV...: copy each disk's bytes
	local dir=$1 i=0
	shift
	mkdir -p "$dir"
	for d in "$@"; do
		cp --sparse=always "$d" "$dir/$i" || die "copy $d"
		i=$((i + 1))
	done
}
same_disks() { # DIR WHAT DEV...
	local dir=$1 what=$2 i=0
	shift 2
	for d in "$@"; do
		cmp -s "$d" "$dir/$i" || die "$what changed the bytes of $d"
		i=$((i + 1))
	done
}

testcase_refusals_change_nothing() {
	local dx d1 d2 d3 s=$TB_TMP/snap out
	dx=$(tb_disk 320M) && d1=$(tb_disk 64M) && d2=$(tb_disk 64M) && d3=$(tb_disk 64M) || exit 1
	mkfs.xfs -q -f "$dx" >/dev/null 2>&1 || skip "mkfs.xfs failed"
	assert_match 'TYPE=xfs' "$(blkid -p -o export "$dx")" "blkid of the xfs disk"
	tb_clean pvcreate "$d1" "$d2" >/dev/null
	tb_clean vgcreate "$VG1" "$d1" >/dev/null
	snapshot_disks "$s" "$dx" "$d1" "$d2"
	local all=("$dx" "$d1" "$d2")

	# a filesystem signature without -y (the prompt reads "n" from a closed stdin)
	out=$(assert_fails any "$TB" pvcreate "$dx" </dev/null) || exit 1
	assert_match 'xfs' "$out" "pvcreate on xfs"
	same_disks "$s" "pvcreate on xfs" "${all[@]}"
	out=$(assert_fails any "$TB" vgcreate "$VG2" "$dx" </dev/null) || exit 1
	same_disks "$s" "vgcreate on xfs" "${all[@]}"
	# a PV that belongs to a VG, without -ff
	out=$(assert_fails any "$TB" pvcreate "$d1" </dev/null) || exit 1
	assert_match "$VG1" "$out" "pvcreate on a PV of $VG1"
	out=$(assert_fails any "$TB" pvcreate -f "$d1" </dev/null) || exit 1
	out=$(assert_fails any "$TB" pvremove "$d1" </dev/null) || exit 1
	same_disks "$s" "pvcreate/pvremove on a used PV" "${all[@]}"
	# vgcreate: the name exists, a bad name, a bad extent size, a PV of another VG
	out=$(assert_fails any "$TB" vgcreate "$VG1" "$d2") || exit 1
	assert_match 'exists' "$out" "vgcreate with an existing name"
	# each bad value is refused by lvm2 too (on d3, not compared: lvm2's vgcreate makes the
	# blank disk a PV before it checks the extent size)
	for n in "-bad" "a/b" "." ".." "a b" "x@y" "$(printf 'x%.0s' {1..128})"; do
		out=$(assert_fails any "$TB" vgcreate "$n" "$d2") || exit 1
		out=$(assert_fails any "$LVM" vgcreate "$n" "$d3") || exit 1
	done
	for sz in 0 3k 136k 255k 100t -4m; do
		out=$(assert_fails any "$TB" vgcreate -s "$sz" "$VG2" "$d2") || exit 1
		out=$(assert_fails any "$LVM" vgcreate -s "$sz" "$VG2" "$d3") || exit 1
	done
	out=$(assert_fails any "$TB" vgcreate "$VG2" "$d1") || exit 1
	out=$(assert_fails any "$TB" vgcreate "$VG2" "$d2" /dev/nonexistent) || exit 1
	same_disks "$s" "refused vgcreate" "${all[@]}"
	# lvm2 agrees nothing happened
	lvm2_checks_clean "$VG1" "$d1"
	assert_eq 1 "$(seqno "$VG1")" "seqno after refusals"
	lvm_clean pvck "$d2" >/dev/null
	assert_eq "xfs" "$(blkid -p -s TYPE -o value "$dx")" "xfs is still there"
}
