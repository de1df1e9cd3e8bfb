# thinbox as `dmsetup`: every command line containerd's devmapper snapshotter runs
# (containerd plugins/snapshots/devmapper/dmsetup/dmsetup.go and pool_device.go, v1.6 and
# main), replayed with Debian's dmsetup 1.02 (/usr/sbin/dmsetup, the oracle) and with thinbox
# under the name dmsetup: stdout, stderr (the first line, which containerd's
# parseDmsetupError reads for the errno) and exit codes must agree. Then containerd's whole
# pool lifecycle through thinbox alone, checked with the real dmsetup, thin_check, thin_dump.

DMS=/usr/sbin/dmsetup

# thinbox under the name dmsetup, in a directory of its own (never /usr/sbin)
dms_tb() {
	mkdir -p "$TB_TMP/bin"
	ln -sf "$TB" "$TB_TMP/bin/dmsetup"
	echo "$TB_TMP/bin/dmsetup"
}

# containerd's tryGetUnixError/parseDmsetupError (dmsetup.go): from the first line of the
# combined output, "not found" -> ENXIO's text, else the lowercased text after the last
# "failed: ". Prints "" when containerd would find no errno.
dms_errno_text() {
	local first
	first=$(printf '%s\n' "$1" | head -n1)
	[ "$(printf '%s\n' "$1" | wc -l)" -ge 2 ] || { echo ""; return; }
	case "$first" in
	*"not found") echo "no such device or address" ;;
	*"failed: "*) printf '%s\n' "${first##*failed: }" | tr 'A-Z' 'a-z' ;;
	*) echo "" ;;
	esac
}

# dms_same ARGS...: both tools on the same devices: stdout, stderr and exit code identical.
# Only for commands that change nothing (reads, and refused changes).
dms_same() {
	local tbd ro re rc to te tc
	tbd=$(dms_tb)
	ro=$("$DMS" "$@" 2>"$TB_TMP/dms.err"); rc=$?; re=$(cat "$TB_TMP/dms.err")
	to=$("$tbd" "$@" 2>"$TB_TMP/dms.err"); tc=$?; te=$(cat "$TB_TMP/dms.err")
	[ "$ro" = "$to" ] && [ "$re" = "$te" ] && [ $rc = $tc ] || die "dmsetup $* differs:
--- dmsetup (exit $rc)
$ro
--- stderr
$re
--- thinbox as dmsetup (exit $tc)
$to
--- stderr
$te"
	DMS_RC=$rc DMS_OUT=$ro DMS_ERR=$re
}

# dms_pair ARGS...: a change, run by dmsetup on the tbt-r-* devices and by thinbox on the
# tbt-t-* twins: "@" in ARGS stands for the prefix. Outputs (twin names mapped back) and exit
# codes must agree; sets DMS_RC and DMS_OUT (dmsetup's combined output).
dms_pair() {
	local tbd ro rc to tc a ra=() ta=()
	tbd=$(dms_tb)
	for a in "$@"; do ra+=("${a//@/$TB_PREFIX-r-}"); ta+=("${a//@/$TB_PREFIX-t-}"); done
	ro=$("$DMS" "${ra[@]}" 2>&1); rc=$?
	to=$("$tbd" "${ta[@]}" 2>&1); tc=$?
	to=${to//$TB_PREFIX-t-/$TB_PREFIX-r-}
	[ "$ro" = "$to" ] && [ $rc = $tc ] || die "dmsetup ${ra[*]} differs:
--- dmsetup (exit $rc)
$ro
--- thinbox as dmsetup (exit $tc)
$to"
	DMS_RC=$rc DMS_OUT=$ro
}

# dms_twin_cmds "ARGS for r" "ARGS for t": the same, where the twins' arguments differ in
# more than the name (loop devices in a pool table)
dms_twin_run() { # WHAT -- R-ARGS... -- T-ARGS...
	local what=$1 ro rc to tc ra=() ta=()
	shift 2
	while [ "$1" != -- ]; do ra+=("$1"); shift; done
	shift
	ta=("$@")
	ro=$("$DMS" "${ra[@]}" 2>&1 <"${DMS_IN_R:-/dev/null}"); rc=$?
	to=$("$(dms_tb)" "${ta[@]}" 2>&1 <"${DMS_IN_T:-/dev/null}"); tc=$?
	to=${to//$TB_PREFIX-t-/$TB_PREFIX-r-}
	assert_eq "$ro (exit $rc)" "$to (exit $tc)" "$what"
}

# the twins' state, as the real dmsetup sees it (names mapped; numbers left out)
dms_twins_same() { # SUFFIX
	local r t
	r=$("$DMS" info -c --noheadings -o name,attr,open,segments,uuid "$TB_PREFIX-r-$1" 2>&1)
	t=$("$DMS" info -c --noheadings -o name,attr,open,segments,uuid "$TB_PREFIX-t-$1" 2>&1)
	assert_eq "$r" "${t//$TB_PREFIX-t-/$TB_PREFIX-r-}" "state of $1"
	r=$("$DMS" status "$TB_PREFIX-r-$1" 2>&1)
	t=$("$DMS" status "$TB_PREFIX-t-$1" 2>&1)
	assert_eq "$r" "$t" "status of $1"
}

# containerd's makeThinPoolMapping (dmsetup.go): data size in sectors, low water 32768,
# skip_block_zeroing; 128-sector blocks as its default config.
dms_pool_table() { # META DATA
	echo "0 $(( $(blockdev --getsize64 "$2") / 512 )) thin-pool $1 $2 128 32768 1 skip_block_zeroing"
}

# A pool and a thin device made by the real dmsetup, for the read-only comparisons.
dms_setup_pool() { # -> sets P T META DATA
	META=$(tb_disk 16M) && DATA=$(tb_disk 256M)
	P=$TB_PREFIX-pool T=$TB_PREFIX-thin
	assert_ok "$DMS" create "$P" --table "$(dms_pool_table "$META" "$DATA")" >/dev/null
	assert_ok "$DMS" message "$P" 0 "create_thin 1" >/dev/null
	assert_ok "$DMS" create "$T" --table "0 204800 thin /dev/mapper/$P 1" >/dev/null
	dd if=/dev/urandom of="/dev/mapper/$T" bs=64k count=16 oflag=direct 2>/dev/null || die "write"
}

testcase_dmsetup_containerd_reads_match() {
	local P T META DATA o
	dms_setup_pool
	# NewPoolDevice: Version(); only the driver line can be the same
	o=$("$(dms_tb)" version) || die "version: $o"
	assert_match "^Library version:   1\.02\.[0-9]+ \(thinbox " "$(echo "$o" | head -n1)" "library line"
	assert_eq "$("$DMS" version | sed -n 2p)" "$(echo "$o" | sed -n 2p)" "driver line"
	# NewPoolDevice / IsActivated / IsLoaded / isInUse: Info(path or name) (dmsetup.go Info)
	for a in "/dev/mapper/$P" "$P" "$T" "/dev/mapper/$T"; do
		dms_same info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "$a"
		assert_eq 0 "$DMS_RC" "info $a"
	done
	o=$("$(dms_tb)" info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "/dev/mapper/$P")
	assert_match "^$P dm-[0-9]+ L--w 253 [0-9]+ 1 1 [0-9]+$" "$o" "pool line as containerd's Sscan reads it"
	# GetUsage: Status(name); Table(name)
	dms_same status "$T"
	dms_same status "$P"
	dms_same table "$T"
	dms_same table "$P"
	# what scripts run (lvm2's test suite, monitoring and clone scripts: status/table --noflush,
	# single -o fields with --noheadings, deps -o devname)
	dms_same status --noflush "$P"
	dms_same table --noflush "$T"
	dms_same info -c --noheadings -o events "$P"
	dms_same info -c --noheadings -o open "$T"
	dms_same info -c --noheadings -o uuid "$T"
	dms_same info "$P"
	dms_same info "$P" "$T"
	dms_same info -c
	dms_same info -c "$T" "$P"
	dms_same info -C -o name,uuid,suspended,readonly,open,tables_loaded,devno,read_ahead,major,minor,segments,attr,blkdevname "$P"
	dms_same info -c -o name,device_count,devnos_used,blkdevs_used,devs_used,device_ref_count,names_using_dev,devnos_using_dev
	dms_same info -c --nameprefixes -o name,attr "$P"
	dms_same info -c --noheadings -o name,attr "$P"
	dms_same info -c --noheadings -o name,attr --separator : "$P"
	dms_same info -c -O name "$T" "$P"
	dms_same info -c -o name,open -O -open
	dms_same info -c -o name,subsystem,vg_name,lv_name,lv_layer "$P"
	dms_same ls
	dms_same ls --target thin-pool
	dms_same ls --target thin
	dms_same ls --target nonesuch
	dms_same ls -o blkdevname
	dms_same ls --tree
	dms_same status
	dms_same status --target thin-pool
	dms_same table --target thin
	dms_same table
	dms_same deps
	dms_same deps "$T"
	dms_same deps -o devname "$T"
	dms_same deps -o blkdevname "$P"
	dms_same targets
	dms_same splitname vg-lv
	dms_same splitname vg-lv-tpool
	dms_same splitname a--b-c_tdata
	dms_same splitname -c -o vg_name,lv_name --noheadings --separator : docker-thinpool
	dms_same udevflags 0x0d0e0000
	dms_same mknodes "$P"
	dms_same mknodes
}

testcase_dmsetup_containerd_errors_match() {
	local P T META DATA e
	dms_setup_pool
	# each: same output and exit code, and the errno containerd derives from it
	check() { # EXPECTED-ERRNO-TEXT ARGS...
		local want=$1; shift
		dms_same "$@"
		assert_eq 1 "$DMS_RC" "exit code of dmsetup $*"
		e=$(dms_errno_text "$DMS_ERR")
		assert_eq "$want" "$e" "errno containerd reads from dmsetup $*"
	}
	# Info of a missing device: by path "not found" -> ENXIO; by name no errno (IsLoaded false)
	check "no such device or address" info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "/dev/mapper/$TB_PREFIX-none"
	check "" info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "$TB_PREFIX-none"
	check "" info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " ""
	check "" info "$TB_PREFIX-none"
	# CreateDevice/CreateSnapshot/DeleteDevice messages (pool_device.go deleteDevice ignores ENODATA)
	check "file exists" message "$P" 0 "create_thin 1"
	check "no data available" message "$P" 0 "delete 77"
	check "no data available" message "$P" 0 "create_snap 5 99"
	check "invalid argument" message "$P" 0 "bogus 1"
	check "no such device or address" message "$TB_PREFIX-none" 0 "create_thin 1"
	check "no such device or address" message "/dev/mapper/$TB_PREFIX-none" 0 "create_thin 1"
	# RemoveDevice: busy (RemovePool's pool is still used by the thin), missing (ENXIO ignored)
	check "device or resource busy" remove "/dev/mapper/$P"
	check "device or resource busy" remove --retry "/dev/mapper/$P"
	check "no such device or address" remove --retry "/dev/mapper/$TB_PREFIX-none"
	check "no such device or address" remove "$TB_PREFIX-none"
	check "no such device or address" remove --force "$TB_PREFIX-none"
	check "no such device or address" remove --force --retry --deferred "/dev/mapper/$TB_PREFIX-none"
	# SuspendDevice/ResumeDevice/ActivateDevice/ReloadPool on missing or taken names
	check "no such device or address" suspend "$TB_PREFIX-none"
	check "no such device or address" resume "$TB_PREFIX-none"
	check "no such device or address" table "$TB_PREFIX-none"
	check "" status "$TB_PREFIX-none"
	check "no such device or address" reload "$TB_PREFIX-none" --table "0 2048 error"
	check "device or resource busy" create "$T" --table "0 2048 error"
	check "" create "$TB_PREFIX-a/b" --table "0 2048 error"
	check "" create "$TB_PREFIX-bad" --table "0 2048"
	check "" message "$P" x "create_thin 1"
	# usage errors: the first line and the exit code (the usage text after it is thinbox's)
	for a in bogusverb create "message $P"; do
		e=$("$DMS" $a 2>&1 | head -n1)
		assert_eq "$e" "$("$(dms_tb)" $a 2>&1 | head -n1)" "dmsetup $a"
		"$(dms_tb)" $a >/dev/null 2>&1; assert_eq 1 $? "exit code of dmsetup $a"
	done
	e=$("$(dms_tb)" info --bogus 2>&1); assert_eq 1 $? "unknown option"
	assert_match "unrecognized option '--bogus'" "$e" "unknown option"
	assert_match "^Couldn't process command line\.$" "$(echo "$e" | tail -n1)" "unknown option"
	# a refused table: the load's line names the new device by number; nothing left behind
	e=$("$(dms_tb)" create "$TB_PREFIX-bad" --table "0 2048 linear /dev/loop0" 2>&1) && die "bad table accepted"
	assert_match "^device-mapper: reload ioctl on $TB_PREFIX-bad \(253:[0-9]+\) failed: Invalid argument$" "$(echo "$e" | head -n1)" "refused table"
	assert_eq "Command failed." "$(echo "$e" | sed -n 2p)" "refused table"
	"$DMS" info "$TB_PREFIX-bad" >/dev/null 2>&1 && die "half-made device left behind"
	[ ! -e "/dev/mapper/$TB_PREFIX-bad" ] || die "node left behind"
	# the same answers, and nothing changed
	dms_same status "$P"
	dms_same info -c
	return 0
}

testcase_dmsetup_containerd_changes_match() {
	local x s o
	for x in r t; do
		eval "META_$x=\$(tb_disk 16M) DATA_$x=\$(tb_disk 256M)"
		dd if=/dev/zero of="$(eval echo \$META_$x)" bs=4096 count=1 conv=fsync 2>/dev/null
	done
	# CreatePool (dmsetup.go: create NAME --table T); the tables differ only in the loops
	dms_twin_run CreatePool -- create "$TB_PREFIX-r-pool" --table "$(dms_pool_table "$META_r" "$DATA_r")" \
		-- create "$TB_PREFIX-t-pool" --table "$(dms_pool_table "$META_t" "$DATA_t")"
	dms_twins_same pool
	# CreateDevice, ActivateDevice (the thin table names the pool by path)
	dms_pair message @pool 0 "create_thin 1"
	dms_pair create @thin --table "0 204800 thin /dev/mapper/@pool 1"
	assert_eq 0 "$DMS_RC" "activate"
	dms_twins_same thin
	assert_eq "$("$DMS" table "$TB_PREFIX-r-thin" | sed 's/ [0-9]*:[0-9]* / POOL /')" \
		"$("$DMS" table "$TB_PREFIX-t-thin" | sed 's/ [0-9]*:[0-9]* / POOL /')" "thin tables"
	for x in r t; do
		dd if=/dev/urandom of="/dev/mapper/$TB_PREFIX-$x-thin" bs=64k count=8 oflag=direct 2>/dev/null || die "write $x"
	done
	dms_twins_same thin
	dms_twins_same pool
	# CreateSnapshotDevice: suspend base, create_snap, resume base, activate the snapshot
	dms_pair suspend @thin
	assert_match "^L-sw$" "$("$DMS" info -c --noheadings -o attr "$TB_PREFIX-t-thin")" "suspended"
	dms_twins_same thin
	dms_pair message @pool 0 "create_snap 2 1"
	dms_pair resume @thin
	dms_pair create @snap --table "0 204800 thin /dev/mapper/@pool 2"
	dms_twins_same snap
	cmp -n 524288 "/dev/mapper/$TB_PREFIX-t-thin" "/dev/mapper/$TB_PREFIX-t-snap" || die "snapshot content"
	# suspend --nolockfs --noflush, a table on stdin, read-only create
	dms_pair suspend --nolockfs --noflush @snap
	dms_pair resume /dev/mapper/@snap
	for x in r t; do echo "0 2048 linear $(eval echo \$DATA_$x) 0   # a comment" >"$TB_TMP/table.$x"; done
	DMS_IN_R=$TB_TMP/table.r DMS_IN_T=$TB_TMP/table.t dms_twin_run "table on stdin" -- \
		create "$TB_PREFIX-r-lin" -- create "$TB_PREFIX-t-lin"
	# a refused reload leaves the twins as they were
	dms_twin_run "refused reload" -- reload "$TB_PREFIX-r-lin" --table "0 2048 linear $DATA_r" \
		-- reload "$TB_PREFIX-t-lin" --table "0 2048 linear $DATA_t"
	dms_twins_same lin
	dms_pair create @ro --readonly --table "0 1024 zero"
	dms_twins_same ro
	dms_pair create @notab --notable
	dms_twins_same notab
	dms_pair remove @notab
	# ReloadPool (reload NAME --table): inactive table present, then resumed
	dms_pair reload @snap --table "0 409600 thin /dev/mapper/@pool 2"
	dms_twins_same snap
	assert_match "^LI-w$" "$("$DMS" info -c --noheadings -o attr "$TB_PREFIX-t-snap")" "inactive table"
	dms_pair resume @snap
	assert_eq 409600 "$(blockdev --getsz "/dev/mapper/$TB_PREFIX-t-snap")" "reloaded size"
	# DeactivateDevice of an open device: remove --retry --force fails EBUSY (5 s) and leaves
	# the error table; remove --retry --deferred --force succeeds and removes it on close
	exec 3<"/dev/mapper/$TB_PREFIX-r-snap" 4<"/dev/mapper/$TB_PREFIX-t-snap"
	dms_pair remove --retry --force /dev/mapper/@snap
	assert_eq 1 "$DMS_RC" "busy remove"
	assert_eq "device or resource busy" "$(dms_errno_text "$DMS_OUT")" "busy remove errno"
	assert_eq "0 409600 error " "$("$DMS" table "$TB_PREFIX-t-snap")" "error table after --force"
	dms_twins_same snap
	dms_pair remove --retry --deferred --force /dev/mapper/@snap
	assert_eq 0 "$DMS_RC" "deferred remove"
	assert_match "DEFERRED REMOVE" "$("$DMS" info "$TB_PREFIX-t-snap")" "deferred state"
	dms_twins_same snap
	exec 3<&- 4<&-
	for x in $(seq 1 25); do "$DMS" info "$TB_PREFIX-t-snap" >/dev/null 2>&1 || break; sleep 0.2; done
	"$DMS" info "$TB_PREFIX-t-snap" >/dev/null 2>&1 && die "deferred remove did not happen"
	# RemoveDevice: remove --retry --force of a closed device, then DeleteDevice twice
	dms_pair remove --retry --force /dev/mapper/@thin
	assert_eq 0 "$DMS_RC" "remove thin"
	[ ! -e "/dev/mapper/$TB_PREFIX-t-thin" ] || die "node of the removed thin"
	dms_pair message @pool 0 "delete 1"
	dms_pair message @pool 0 "delete 1"
	assert_eq "no data available" "$(dms_errno_text "$DMS_OUT")" "second delete"
	dms_pair message @pool 0 "delete 2"
	dms_twins_same pool
	dms_pair remove @lin @ro
	# RemovePool: remove --force --retry --deferred
	dms_pair remove --force --retry --deferred @pool
	assert_eq 0 "$DMS_RC" "remove pool"
	for x in r t; do
		s=$(eval echo \$META_$x)
		assert_ok thin_check "$s" >/dev/null
		thin_dump "$s" | grep -q '<device ' && die "devices left in the $x pool"
	done
	return 0
}

testcase_dmsetup_containerd_lifecycle_thinbox_only() {
	local meta data dir pool=$TB_PREFIX-cpool o i
	command -v thin_dump >/dev/null || skip "no thin_dump"
	meta=$(tb_disk 16M) && data=$(tb_disk 256M)
	dd if=/dev/zero of="$meta" bs=4096 count=1 conv=fsync 2>/dev/null
	dir=$(dirname "$(dms_tb)")
	# containerd forks "dmsetup" from PATH: here the only one is thinbox
	lc() { PATH="$dir:/usr/bin:/bin" dmsetup "$@"; }
	assert_eq "$dir/dmsetup" "$(PATH="$dir:/usr/bin:/bin" command -v dmsetup)" "dmsetup on PATH"
	# NewPoolDevice
	o=$(lc version) || die "version: $o"
	# CreatePool, then Info(/dev/mapper/pool)
	assert_ok lc create "$pool" --table "$(dms_pool_table "$meta" "$data")" >/dev/null
	o=$(lc info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "/dev/mapper/$pool")
	assert_match "^$pool dm-[0-9]+ L--w [0-9]+ [0-9]+ 0 1 0$" "$o" "pool info"
	# CreateThinDevice: create_thin 1, activate as "base" (IsLoaded first, not loaded yet)
	lc info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "$TB_PREFIX-base" >/dev/null 2>&1 && die "base loaded before creation"
	assert_ok lc message "$pool" 0 "create_thin 1" >/dev/null
	assert_ok lc create "$TB_PREFIX-base" --table "0 204800 thin /dev/mapper/$pool 1" >/dev/null
	dd if=/dev/urandom of="$TB_TMP/pattern" bs=64k count=32 2>/dev/null
	dd if="$TB_TMP/pattern" of="/dev/mapper/$TB_PREFIX-base" bs=64k oflag=direct 2>/dev/null || die "write base"
	# GetUsage
	o=$(lc status "$TB_PREFIX-base")
	assert_match "^0 204800 thin 4096 [0-9]+$" "$o" "usage of base"
	# CreateSnapshotDevice: IsLoaded, suspend, create_snap 2 1, resume, activate
	for i in 2 3; do
		assert_ok lc info --columns --noheadings -o name,blkdevname,attr,major,minor,open,segments,events --separator " " "$TB_PREFIX-base" >/dev/null
		assert_ok lc suspend "$TB_PREFIX-base" >/dev/null
		assert_ok lc message "$pool" 0 "create_snap $i 1" >/dev/null
		assert_ok lc resume "$TB_PREFIX-base" >/dev/null
		assert_ok lc create "$TB_PREFIX-snap$i" --table "0 204800 thin /dev/mapper/$pool $i" >/dev/null
	done
	# an id in use: EEXIST, and the pool is unchanged
	o=$(lc message "$pool" 0 "create_thin 2" 2>&1) && die "duplicate id accepted"
	assert_eq "file exists" "$(dms_errno_text "$o")" "duplicate id"
	cmp -n $((32 * 65536)) "$TB_TMP/pattern" "/dev/mapper/$TB_PREFIX-snap2" || die "snapshot 2 content"
	dd if=/dev/zero of="/dev/mapper/$TB_PREFIX-snap3" bs=64k count=4 oflag=direct 2>/dev/null || die "write snap3"
	cmp -n $((32 * 65536)) "$TB_TMP/pattern" "/dev/mapper/$TB_PREFIX-base" || die "base changed by a write to its snapshot"
	# the real dmsetup sees what containerd made
	assert_match "^0 204800 thin /dev/mapper/$pool|^0 204800 thin 253:[0-9]+ 2$" "$("$DMS" table "$TB_PREFIX-snap2")" "snapshot table"
	assert_eq "$(printf '%s\t(%s)\n' "$pool" "$("$DMS" info -c --noheadings -o major,minor --separator ', ' "$pool")")" \
		"$("$DMS" ls --target thin-pool | grep "^$pool")" "pool listed"
	# DeactivateDevice (remove --retry [--deferred] [--force] /dev/mapper/NAME), RemoveDevice
	assert_ok lc remove --retry --force "/dev/mapper/$TB_PREFIX-snap3" >/dev/null
	assert_ok lc message "$pool" 0 "delete 3" >/dev/null
	assert_ok lc remove --retry --deferred "/dev/mapper/$TB_PREFIX-snap2" >/dev/null
	# deleteDevice of an id already gone: ENODATA, which containerd ignores
	o=$(lc message "$pool" 0 "delete 3" 2>&1) && die "second delete accepted"
	assert_eq "no data available" "$(dms_errno_text "$o")" "second delete"
	# a device removed twice: ENXIO via "not found", which RemoveDevice ignores
	o=$(lc remove --retry "/dev/mapper/$TB_PREFIX-snap3" 2>&1) && die "second remove accepted"
	assert_eq "no such device or address" "$(dms_errno_text "$o")" "second remove"
	assert_ok lc remove --retry "/dev/mapper/$TB_PREFIX-base" >/dev/null
	# RemovePool (remove --force --retry --deferred), with snapshot 2 and base kept in the pool
	assert_ok lc remove --force --retry --deferred "$pool" >/dev/null
	"$DMS" info "$pool" >/dev/null 2>&1 && die "pool still there"
	assert_ok thin_check "$meta" >/dev/null
	o=$(thin_dump "$meta")
	assert_match '<device dev_id="1"' "$o" "base kept"
	assert_match '<device dev_id="2"' "$o" "snapshot 2 kept"
	printf '%s\n' "$o" | grep -q '<device dev_id="3"' && die "deleted snapshot 3 still in the metadata"
	# the pool reopened by the real dmsetup: base's data is intact
	assert_ok "$DMS" create "$pool" --table "$(dms_pool_table "$meta" "$data")" >/dev/null
	assert_ok "$DMS" create "$TB_PREFIX-base" --table "0 204800 thin /dev/mapper/$pool 1" >/dev/null
	cmp -n $((32 * 65536)) "$TB_TMP/pattern" "/dev/mapper/$TB_PREFIX-base" || die "base content after reopen"
	assert_ok "$DMS" remove "$TB_PREFIX-base" >/dev/null
	assert_ok "$DMS" remove "$pool" >/dev/null
	return 0
}

testcase_dmsetup_thinbox_dm_and_uuid_args() {
	local d n=$TB_PREFIX-u o
	d=$(tb_disk 64M)
	# `thinbox dm` has the same syntax (with thinbox's messages)
	assert_ok "$TB" dm create "$n" -u "TBT-UUID-1" --table "0 2048 linear $d 0" >/dev/null
	o=$("$TB" dm info --columns --noheadings -o name,attr,uuid --separator " " "/dev/mapper/$n")
	assert_eq "$n L--w TBT-UUID-1" "$o" "thinbox dm info -c"
	# -u UUID and -j/-m instead of a name
	dms_same info -u TBT-UUID-1
	dms_same info -c -o name,uuid -u TBT-UUID-1
	dms_same info -c -o name -j "$("$DMS" info -c --noheadings -o major "$n" | tr -d ' ')" \
		-m "$("$DMS" info -c --noheadings -o minor "$n" | tr -d ' ')"
	dms_same table -u TBT-UUID-1
	dms_same remove -u TBT-UUID-NONE
	dms_same info -u TBT-UUID-NONE
	o=$("$(dms_tb)" create "$n" -u TBT-UUID-2 --table "0 2048 error" 2>&1) && die "name taken"
	assert_eq "device-mapper: create ioctl on $n TBT-UUID-2 failed: Device or resource busy" "$(echo "$o" | head -n1)" "create line with uuid"
	assert_ok "$(dms_tb)" remove -u TBT-UUID-1 >/dev/null
	"$DMS" info "$n" >/dev/null 2>&1 && die "remove by uuid"
	return 0
}
