# shellcheck shell=bash
# Crash-consistency harness (docs/crash.md), sourced inside the VM guest after
# tests/integration/lib.sh. Two kinds of stops, judged the same way:
#
#  kills       each thinbox command is run once under strace to list its effects (block-device
#              writes and flushes, state-changing device-mapper ioctls); then, for every effect
#              k, the command is re-run from the same starting state with strace injecting
#              SIGKILL at the entry of effect k (the syscall never runs: cr_selftest proves it on
#              the rig kernel), and once to completion ("after the last effect").
#  power cuts  the PV sits on a dm-log-writes device logging to a second loop device; the
#              command runs once; tests/crash/lw-replay rebuilds the PV as it was at every
#              flush/FUA entry of the log (and, between two, with the unflushed writes dropped
#              but the last one).
#
# Judges, after every stop (cr_judge): lvm2 reads the VG (vgck, vgs: exit 0, nothing on
# stderr); thinbox vgchange -ay then -an succeed and leave no device of the VG; the data written
# before the command reads back with the same checksum; for every pool, thin_check is clean and
# thin_dump lists exactly the device ids of the VG's thin LVs and the VG's transaction id;
# lvm2 activates the VG, creates a thin LV in every pool and deactivates again, warning-free.

CR_VG=tbtc
CR_DIR=$TB_TMP/crash
CR_PVSIZE=128M
CR_PVNAME=/dev/loop7    # the PV's loop device: fixed, so that the lvm2 filter can name it
CR_LOG=${CR_LOG:-/dev/null}       # detailed log (per point: outputs of failing judges)
CR_REPLAY=${CR_REPLAY:-$TB_BUILD/tests/crash/lw-replay}
# lvm2 judges: no dmeventd (nothing would stop it), and only our PV scanned (speed)
# (threshold 100 over the pools' profiles: the monitor and autoextend scenarios fill the pool
# past its threshold on purpose, and at a point before the extension lvm2 would refuse the
# judge's new thin LV by policy: "free space in thin pool reached threshold")
LVMQ=(--config "activation { monitoring = 0 thin_pool_autoextend_threshold = 100 } devices { global_filter = [ \"a|^$CR_PVNAME\$|\", \"r|.*|\" ] }")
# every scenario, in the order the issue lists the commands
CR_SCENARIOS="convert poolcreate thin snap rmthin rmpool extdata extmeta lvchange_ay lvchange_an vgchange_ay vgchange_an monitor autoextend daemon daemonlwm extthin extlinear"

# t0's checksum covers its size in the base VG (8 MiB: the 4 MiB of data and what follows), so
# that a scenario that grows t0 (extthin) is judged on the same bytes
CR_SUMLEN=$((8 * 1024 * 1024))

cr_log() { printf '%s %s\n' "$(date +%s.%N | cut -c7-14)" "$*" >> "$CR_LOG"; }

# ------------------------------------------------------------------ disks and state

# Remove every device-mapper device of the VG (and a log-writes device), whatever state a kill
# left it in: inactive tables cleared, suspended devices resumed, children first.
cr_dm_sweep() {
	local d i names
	# few processes: under TCG every exec costs
	for d in $(dmsetup info -c --noheadings -o name,attr 2>/dev/null |
		   awk -v p="^($CR_VG-|tbtlw|tbtcjudge)" '$1 ~ p && $2 ~ /[si]/ {print $1}'); do
		dmsetup clear "$d" >/dev/null 2>&1
		dmsetup resume "$d" >/dev/null 2>&1
	done
	for i in 1 2 3 4 5 6; do
		names=$(dmsetup ls 2>/dev/null | awk '{print $1}' | grep -E "^($CR_VG-|tbtlw|tbtcjudge)" | sort -r)
		[ -n "$names" ] || break
		# one at a time (dmsetup remove A B stops at the first that fails), a device that
		# still has holders (sysfs) after its holders' turn
		for d in $names; do
			dmsetup remove "$d" >/dev/null 2>&1
		done
	done
	rm -rf "/dev/$CR_VG" /dev/mapper/"$CR_VG"-* /run/lvm/hints
	rm -rf /etc/lvm/backup/"$CR_VG" /etc/lvm/archive/"$CR_VG"_*
}

# cr_restore IMAGE: the PV loop device gets IMAGE's content (and nothing of the kernel's state
# survives: devices removed, the loop device detached and attached again so that no page
# cache of the old content remains).
cr_restore() {
	cr_dm_sweep
	losetup -d "$CR_PV" 2>/dev/null
	cp --sparse=always "$1" "$CR_DIR/pv.img" || die "cannot copy $1"
	losetup "$CR_PV" "$CR_DIR/pv.img" || die "cannot attach $CR_PV"
}

# cr_save IMAGE: the PV's content now (everything deactivated first).
cr_save() {
	cr_dm_sweep
	sync
	blockdev --flushbufs "$CR_PV"
	cp --sparse=always "$CR_DIR/pv.img" "$1" || die "cannot save $1"
}

cr_tb() { "$TB" "$@" >> "$CR_LOG" 2>&1 || die "setup: thinbox $* failed (see $CR_LOG)"; }

# The base VG every scenario starts from: pool p0 (24 MiB, 64 KiB chunks) with thin LV t0
# holding 4 MiB of known data (its checksum in $CR_DIR/sum), plus a stale-bytes pattern file.
cr_base() {
	mkdir -p "$CR_DIR" /etc/lvm/profile /run/lock/lvm
	truncate -s "$CR_PVSIZE" "$CR_DIR/pv.img"
	CR_PV=$CR_PVNAME
	losetup "$CR_PV" "$CR_DIR/pv.img" || die "cannot attach $CR_PV to the PV image"
	yes 'stale bytes, not thin-pool metadata' | head -c 8M > "$CR_DIR/junk"
	# an autoextend profile: the monitor and autoextend scenarios fill their pool over it
	printf 'activation {\n\tthin_pool_autoextend_threshold = 50\n\tthin_pool_autoextend_percent = 50\n}\n' \
		> /etc/lvm/profile/tbtcauto.profile
	cr_tb pvcreate "$CR_PV"
	cr_tb vgcreate "$CR_VG" "$CR_PV"
	cr_tb lvcreate --type thin-pool -L 24M -c 64K -n p0 "$CR_VG"
	cr_tb lvcreate -V 8M -T "$CR_VG/p0" -n t0
	dd if=/dev/urandom of="$CR_DIR/data" bs=1M count=4 2>/dev/null
	dd if="$CR_DIR/data" of="/dev/mapper/$CR_VG-t0" bs=1M oflag=direct 2>/dev/null || die "write t0"
	head -c "$CR_SUMLEN" "/dev/mapper/$CR_VG-t0" | md5sum | cut -d' ' -f1 > "$CR_DIR/sum"
	cr_tb vgchange -an "$CR_VG"
	cr_save "$CR_DIR/base.img"
	cr_geometry
}

# extent size and first PE of the PV, in sectors, as lvm2 reports them (for cr_judge)
cr_geometry() {
	CR_ES=$("$LVM2_BIN" vgs --noheadings --units s --nosuffix -o vg_extent_size "${LVMQ[@]}" "$CR_VG" | tr -d ' ')
	CR_PESTART=$("$LVM2_BIN" pvs --noheadings --units s --nosuffix -o pe_start "${LVMQ[@]}" "$CR_PV" | tr -d ' ')
	[ -n "$CR_ES" ] && [ -n "$CR_PESTART" ] || die "cannot read the VG's geometry with lvm2"
}

# ------------------------------------------------------------------ scenarios
# cr_sc_<name> prints three lines: the preparation (run once on top of the base, then saved),
# the start (run from the saved image before every stop: the kernel state the command finds),
# and the command. "-" for none. Words are split by the shell (no quoting inside).

cr_sc_convert() {   # Docker's direct-lvm recipe: lvcreate data, lvcreate meta, lvconvert
	echo "lvcreate -L 16M -n cdata $CR_VG ; lvcreate -L 4M -n cmeta $CR_VG ; JUNK cmeta"
	echo "vgchange -ay $CR_VG"
	echo "lvconvert -y --zero n -c 64K --thinpool $CR_VG/cdata --poolmetadata $CR_VG/cmeta"
}
cr_sc_poolcreate() { # the new pool lands on extents that hold stale bytes
	echo "lvcreate -L 28M -n junk $CR_VG ; JUNK junk ; lvremove -y $CR_VG/junk"
	echo "vgchange -ay $CR_VG"
	echo "lvcreate --type thin-pool -L 16M -n np $CR_VG"
}
cr_sc_thin() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvcreate -V 8M -T $CR_VG/p0 -n t1"
}
cr_sc_snap() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvcreate -s -n s1 $CR_VG/t0"
}
cr_sc_rmthin() {
	echo "lvcreate -V 8M -T $CR_VG/p0 -n t2"; echo "vgchange -ay $CR_VG"; echo "lvremove -y $CR_VG/t2"
}
cr_sc_rmpool() {    # a used pool (transaction id 2) without thin LVs left
	echo "lvcreate --type thin-pool -L 8M -n p1 $CR_VG ; lvcreate -V 4M -T $CR_VG/p1 -n t3 ; lvremove -y $CR_VG/t3"
	echo "vgchange -ay $CR_VG"; echo "lvremove -y $CR_VG/p1"
}
cr_sc_extdata() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvextend -L +8M $CR_VG/p0"
}
cr_sc_extmeta() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvextend --poolmetadatasize +4M $CR_VG/p0"
}
cr_sc_lvchange_ay() {
	echo "-"; echo "-"; echo "lvchange -ay $CR_VG/t0"
}
cr_sc_lvchange_an() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvchange -an $CR_VG/t0"
}
cr_sc_vgchange_ay() {
	echo "-"; echo "-"; echo "vgchange -ay $CR_VG"
}
cr_sc_vgchange_an() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "vgchange -an $CR_VG"
}
# resizes of a thin and of a plain LV, live (Proxmox, Incus grow thin volumes; TopoLVM and
# OpenEBS LVM LocalPV grow plain ones: lvextend -L)
cr_sc_extthin() {
	echo "-"; echo "vgchange -ay $CR_VG"; echo "lvextend -L +4M $CR_VG/t0"
}
cr_sc_extlinear() {
	echo "lvcreate -L 8M -n l0 $CR_VG"; echo "vgchange -ay $CR_VG"; echo "lvextend -L +4M $CR_VG/l0"
}
# p0 over its profile's threshold (50 %): 4 MiB of t0 and 10 MiB of f1 in 24 MiB
cr_autoextend_prep() {
	echo "lvchange --metadataprofile tbtcauto $CR_VG/p0 ; lvcreate -V 16M -T $CR_VG/p0 -n f1 ; FILL f1 10"
}
cr_sc_monitor() {   # one autoextend step of the monitor: a single pass (monitor --once)
	cr_autoextend_prep; echo "vgchange -ay $CR_VG"; echo "monitor --once $CR_VG/p0"
}
cr_sc_autoextend() { # the same step as a command: lvextend --use-policies (tb_pool_autoextend)
	cr_autoextend_prep; echo "vgchange -ay $CR_VG"; echo "lvextend --use-policies $CR_VG/p0"
}
# The monitor as a daemon, its loop and its fast path (docs/monitor.md "staged ahead"): p0 just
# under its threshold (t0's 64 and f1's 127 blocks of 64 KiB: 191 of 384, 49.7 %), so the
# daemon's first pass stages the next extension (the VG text written after the committed copy,
# flushed); cr_drive_daemon then writes the blocks that take p0 over 50 %, the kernel's
# low-water event wakes the loop, the stage is applied (one header write per metadata area,
# the pool reloaded at 36 MiB, the areas flushed) and the next extension staged; then SIGTERM.
# Long timers: the loop wakes only on device-mapper events, so every run makes the same calls.
cr_sc_daemon() {
	echo "lvchange --metadataprofile tbtcauto $CR_VG/p0 ; lvcreate -V 16M -T $CR_VG/p0 -n f1 ; FILLB f1 127"
	echo "vgchange -ay $CR_VG"
	echo "monitor -v --interval 3600 --rescan 3600 --retrymax 3600 $CR_VG/p0"
}

# The same, with the pool's low water mark at 0 (as a tool that ignores the profile loads it):
# the daemon's first pass reloads the pool with its threshold's mark first (docs/monitor.md
# "The low water mark"), then goes on as above.
cr_sc_daemonlwm() {
	echo "lvchange --metadataprofile tbtcauto $CR_VG/p0 ; lvcreate -V 16M -T $CR_VG/p0 -n f1 ; FILLB f1 127"
	echo "vgchange -ay $CR_VG ; LWM0 p0"
	echo "monitor -v --interval 3600 --rescan 3600 --retrymax 3600 $CR_VG/p0"
}
cr_drive_daemonlwm() { cr_drive_daemon "$@"; }

# cr_drive_daemon PID: drives the daemon started in the background as PID (strace's, under a
# kill; its output in $CR_DIR/drive.out). Returns 0 when it drove the run to its end or the
# command died on its way (a kill), 1 when the daemon did not get on (then it is killed).
# A writer left blocked by a pool the kill left suspended is $CR_BG_PID, for cr_judge.
CR_BG_PID=
cr_drive_daemon() {
	local bg=$1 st used total need mpid
	cr_drive_wait "$bg" 1 || return $?
	# cross the threshold: the blocks that make used > total / 2 (the low water mark of 50 %)
	st=$(dmsetup status "$CR_VG-p0-tpool") || { cr_log "drive: no status of $CR_VG-p0-tpool"; return 1; }
	used=$(echo "$st" | awk '{split($6, d, "/"); print d[1]}')
	total=$(echo "$st" | awk '{split($6, d, "/"); print d[2]}')
	need=$((total / 2 + 1 - used))
	if [ "$used" != 191 ] || [ "$need" -lt 1 ]; then
		cr_log "drive: p0 at $used of $total data blocks, not the scenario's 191 of 384"
		kill -KILL "$bg" 2>/dev/null
		return 1
	fi
	dd if=/dev/urandom of="/dev/mapper/$CR_VG-f1" bs=64K seek=127 count="$need" \
		oflag=direct 2>/dev/null &
	CR_BG_PID=$!
	cr_drive_wait "$bg" 2 || return $?
	wait "$CR_BG_PID"; CR_BG_PID=
	mpid=$(sed -n 's/.*thinbox monitor .* started (pid \([0-9]*\).*/\1/p' "$CR_DIR/drive.out" | head -n 1)
	if [ -z "$mpid" ]; then
		cr_log "drive: no monitor pid"
		kill -KILL "$bg"
		return 1
	fi
	kill -TERM "$mpid"
}

# cr_drive_wait PID N: until the daemon's output has N "staged the next extension" lines (0) or
# PID ended (2: killed on the way); 1 after two minutes (PID killed).
cr_drive_wait() {
	local i
	for i in $(seq 1 600); do
		[ "$(grep -c 'staged the next extension' "$CR_DIR/drive.out")" -ge "$2" ] && return 0
		kill -0 "$1" 2>/dev/null || return 2
		sleep 0.2
	done
	cr_log "drive: no stage $2 after 120 s"
	kill -KILL "$1" 2>/dev/null
	return 1
}

# cr_exec NAME CMD...: run CMD (the scenario's command, maybe under strace) to its end, output
# to the log; a scenario with a driver (cr_drive_NAME) runs it in the background while the
# driver acts on it. Returns CMD's status, 124 when the driver failed.
cr_exec() {
	local name=$1 pid rc drc; shift
	if ! declare -F "cr_drive_$name" >/dev/null; then
		"$@" >> "$CR_LOG" 2>&1
		return
	fi
	: > "$CR_DIR/drive.out"
	"$@" > "$CR_DIR/drive.out" 2>&1 &
	pid=$!
	"cr_drive_$name" "$pid"; drc=$?
	wait "$pid"; rc=$?
	cat "$CR_DIR/drive.out" >> "$CR_LOG"
	[ "$drc" = 1 ] && return 124
	return $rc
}

# Run one ;-separated list of thinbox commands (JUNK LV: fill the LV with the stale pattern;
# FILL LV MIB, FILLB LV N: write MIB MiB or N blocks of 64 KiB of random data at its start;
# LWM0 POOL: load the used pool's table again with low water mark 0).
cr_run_list() {
	local list=$1 cmd
	[ "$list" = - ] && return 0
	local IFS=';'
	for cmd in $list; do
		IFS=' '
		# shellcheck disable=SC2086
		set -- $cmd
		if [ "$1" = JUNK ]; then
			cr_tb lvchange -ay "$CR_VG/$2"
			dd if="$CR_DIR/junk" of="/dev/mapper/$CR_VG-$2" bs=1M count=4 oflag=direct 2>/dev/null ||
				die "junk $2"
		elif [ "$1" = LWM0 ]; then
			# the used pool's thin-pool table with low_water_mark 0 (its 7th field)
			local tp="$CR_VG-$2-tpool" tbl
			tbl=$(dmsetup table "$tp" | awk '{$7 = 0; print}') || die "table of $tp"
			{ echo "$tbl" | dmsetup load "$tp" && dmsetup suspend "$tp" &&
				dmsetup resume "$tp"; } >> "$CR_LOG" 2>&1 || die "low water mark 0 on $tp"
		elif [ "$1" = FILL ] || [ "$1" = FILLB ]; then
			cr_tb lvchange -ay "$CR_VG/$2"
			dd if=/dev/urandom of="/dev/mapper/$CR_VG-$2" bs="$([ "$1" = FILL ] && echo 1M || echo 64K)" \
				count="$3" oflag=direct 2>/dev/null || die "fill $2"
		else
			cr_tb "$@"
		fi
	done
}

# cr_prepare NAME: $CR_DIR/NAME.img (the scenario's starting disk); sets CR_START, CR_CMD.
cr_prepare() {
	local lines
	mapfile -t lines <<< "$("cr_sc_$1")"
	CR_START=${lines[1]} CR_CMD=${lines[2]}
	[ -s "$CR_DIR/$1.img" ] && return 0
	if [ "${lines[0]}" = - ]; then
		ln -s base.img "$CR_DIR/$1.img"
		return 0
	fi
	cr_restore "$CR_DIR/base.img"
	cr_run_list "${lines[0]}"
	cr_tb vgchange -an "$CR_VG"
	cr_save "$CR_DIR/$1.img"
}

# ------------------------------------------------------------------ effects (strace)

CR_TRACE_SET=pwrite64,write,pwritev,pwritev2,fdatasync,fsync,ioctl
# Effects in an strace -f -yy log, one line each: "N|PID|SYSCALL|ORDINAL|WHAT", ORDINAL = how
# many calls of that syscall the process had made, this one included (strace's when=).
cr_effects() {
	awk '
	{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line !~ /^[a-z0-9_]+\(/) next
		name = line; sub(/\(.*/, "", name)
		cnt[pid, name]++
		what = ""
		if (name == "ioctl") {
			if (match(line, /DM_(DEV_CREATE|TABLE_LOAD|DEV_SUSPEND|DEV_REMOVE|DEV_RENAME|TABLE_CLEAR|TARGET_MSG|DEV_SET_GEOMETRY|REMOVE_ALL),/)) {
				what = substr(line, RSTART, RLENGTH - 1)
				if (match(line, /name="[^"]*"/)) what = what " " substr(line, RSTART, RLENGTH)
				if (what ~ /SUSPEND/) what = what (line ~ /flags=[^}]*DM_SUSPEND_FLAG/ ? " suspend" : " resume")
				if (match(line, /message="[^"]*"/)) what = what " " substr(line, RSTART, RLENGTH)
			} else if (match(line, /^ioctl\([0-9]+<[^<>]*<block [0-9:]+>>, BLKZEROOUT/)) {
				# a block write too: the zeroing of a new pool metadata LV (as lvm2 wipe_lv)
				fd = substr(line, RSTART, RLENGTH); sub(/^ioctl\(/, "", fd)
				sub(/<block.*/, "", fd); sub(/^[0-9]+</, "", fd)
				what = "BLKZEROOUT " fd
				if (match(line, /BLKZEROOUT, \[[0-9]+, [0-9]+\]/)) {
					a = substr(line, RSTART + 13, RLENGTH - 14)
					split(a, v, ", "); what = what " len=" v[2] " off=" v[1]
				}
			}
		} else if (match(line, /^[a-z0-9_]+\([0-9]+<[^<>]*<block [0-9:]+>>/)) {
			fd = substr(line, RSTART, RLENGTH); sub(/^[a-z0-9_]+\(/, "", fd)
			sub(/<block.*/, "", fd); sub(/^[0-9]+</, "", fd)
			what = name " " fd
			if (name ~ /pwrite/ && match(line, /, [0-9]+, [0-9]+\) += /)) {
				a = substr(line, RSTART + 2, RLENGTH - 2); sub(/\) += /, "", a)
				split(a, v, ", "); what = what " len=" v[1] " off=" v[2]
			}
		}
		if (what != "") printf "%d|%s|%s|%d|%s\n", ++n, pid, name, cnt[pid, name], what
	}' "$1"
}

# cr_enumerate NAME: $CR_DIR/NAME.effects
cr_enumerate() {
	local tr=$CR_DIR/$1.trace
	[ -s "$CR_DIR/$1.effects" ] && return 0
	cr_restore "$CR_DIR/$1.img"
	cr_run_list "$CR_START"
	# shellcheck disable=SC2086
	cr_exec "$1" strace -f -yy -v -s 64 -o "$tr" -e trace=$CR_TRACE_SET "$TB" $CR_CMD ||
		die "scenario $1: '$CR_CMD' fails when nothing interrupts it (see $CR_LOG)"
	cr_effects "$tr" > "$CR_DIR/$1.effects"
	local main
	main=$(head -n 1 "$tr" | awk '{print $1}')
	if awk -F'|' -v m="$main" '$2 != m' "$CR_DIR/$1.effects" | grep -q .; then
		die "scenario $1: effects in a child process; strace cannot select them by ordinal"
	fi
}

# cr_kill NAME K: run the command killed right before effect K (K = number of effects + 1:
# not killed). Returns 0 when the kill hit exactly that effect (or ran to the end).
cr_kill() {
	local name=$1 k=$2 e sys ord what tr=$CR_DIR/kill.trace
	cr_restore "$CR_DIR/$name.img"
	cr_run_list "$CR_START"
	e=$(sed -n "${k}p" "$CR_DIR/$name.effects")
	if [ -z "$e" ]; then
		# shellcheck disable=SC2086
		cr_exec "$name" "$TB" $CR_CMD
		return $?
	fi
	IFS='|' read -r _ _ sys ord what <<< "$e"
	# shellcheck disable=SC2086
	{ cr_exec "$name" strace -yy -v -s 64 -o "$tr" -e trace="$sys" \
		--inject="$sys:signal=KILL:when=$ord" "$TB" $CR_CMD; } 2>/dev/null
	[ $? = 124 ] && { cr_log "the driver could not take the command to effect $k"; return 1; }
	# the process must have died in that very call: the last traced call, killed
	grep -q '+++ killed by SIGKILL +++' "$tr" || { cr_log "not killed"; return 1; }
	local last
	last=$(grep -v '^+++\|^---' "$tr" | tail -n 1)
	echo "1 $last" > "$tr.last"
	cr_effects "$tr.last" | grep -qF "|$what" || { cr_log "killed at '$last', wanted '$what'"; return 1; }
	return 0
}

# ------------------------------------------------------------------ judges

CR_FAIL=
cr_bad() { CR_FAIL="${CR_FAIL:+$CR_FAIL; }$*"; }

# lvm2, quiet: exit 0 and nothing on stderr, else a judge fails with $1 as its name
cr_lvm() {
	local what=$1 out err rc; shift
	out=$("$LVM2_BIN" "$@" "${LVMQ[@]}" 2>"$CR_DIR/lvm.err"); rc=$?
	# lvm2's overprovisioning note is no damage (the judge's thin LV in the monitor scenarios'
	# 24 MiB pool, before the extension, makes the thin LVs' sum exceed the pool)
	err=$(grep -v 'WARNING: Sum of all thin volume sizes .* exceeds the size of thin pool' \
		"$CR_DIR/lvm.err")
	if [ $rc != 0 ] || [ -n "$err" ]; then
		cr_bad "$what: lvm $* exited $rc: $(echo "$err" | head -n 3 | tr '\n' ' ')"
		return 1
	fi
	printf '%s\n' "$out"
}

cr_left_devices() { dmsetup ls 2>/dev/null | awk '{print $1}' | grep -E "^$CR_VG-" | tr '\n' ' '; }

cr_suspended() { dmsetup info -c --noheadings -o name,attr 2>/dev/null | awk -v p="^$CR_VG-" '$1 ~ p && $2 ~ /s/ {print $1}' | tr '\n' ' '; }

# cr_judge: every judge on the current disk and kernel state; CR_FAIL empty when all pass.
cr_judge() {
	local out pools p rows sum tables bad
	CR_FAIL=
	# 1. lvm2 reads the VG as the stop left it
	cr_lvm lvm2-reads vgck "$CR_VG" >/dev/null
	cr_log "judge: lvm2 read"
	# 2. the next thinbox command completes or reconciles by itself
	out=$("$TB" vgchange -ay "$CR_VG" 2>&1) || cr_bad "thinbox-next: vgchange -ay exited $?: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
	cr_log "next: $out"
	# the live tables, for judge 4's check of their sizes against the VG
	tables=$(dmsetup table 2>/dev/null | grep "^$CR_VG-")
	# a writer the stop left blocked on a suspended pool (cr_drive_daemon) goes on now
	if [ -n "$CR_BG_PID" ]; then
		local w
		for w in $(seq 1 150); do kill -0 "$CR_BG_PID" 2>/dev/null || break; sleep 0.2; done
		if kill -0 "$CR_BG_PID" 2>/dev/null; then
			cr_bad "thinbox-next: a writer of $CR_VG/f1 still blocked 30 s after vgchange -ay"
		else
			wait "$CR_BG_PID"
		fi
		CR_BG_PID=
	fi
	# 3. data written before the command (never read through a suspended device: it would hang)
	if [ -n "$(cr_suspended)" ]; then
		cr_bad "thinbox-next: devices still suspended after vgchange -ay: $(cr_suspended)"
	elif [ -b "/dev/mapper/$CR_VG-t0" ]; then
		sum=$(head -c "$CR_SUMLEN" "/dev/mapper/$CR_VG-t0" | md5sum | cut -d' ' -f1)
		[ "$sum" = "$(cat "$CR_DIR/sum")" ] || cr_bad "data: t0 checksum changed"
	else
		cr_bad "data: t0 not active after thinbox vgchange -ay"
	fi
	out=$("$TB" vgchange -an "$CR_VG" 2>&1) || cr_bad "thinbox-next: vgchange -an exited $?: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
	[ -z "$(cr_left_devices)" ] || cr_bad "thinbox-next: devices left after vgchange -an: $(cr_left_devices)"
	cr_dm_sweep
	cr_log "judge: thinbox next"
	# 4. the pools' own metadata: thin_check clean, device ids and transaction id as in the VG.
	# _tmeta is read through a read-only linear device over the extents lvm2 reports for it
	# (lvm2's own component activation refuses hidden LVs on some paths, and costs a command)
	rows=$(cr_lvm lvm2-reads lvs -a --segments --noheadings --separator '|' \
		--units s --nosuffix \
		-o lv_name,segtype,pool_lv,thin_id,transaction_id,seg_start_pe,seg_pe_ranges,lv_size "$CR_VG" |
		tr -d ' []')
	# every device thinbox's vgchange -ay left live had the size its LV has in the VG (an
	# extension stopped between its commit and its reload is grown by the next activation)
	# (no process substitution: the guest has no /dev/fd)
	printf '%s\n' "$rows" > "$CR_DIR/rows"
	bad=$(printf '%s\n' "$tables" | awk -F'|' -v vg="$CR_VG-" '
		FNR == NR { if ($1 != "") size[$1] = $8; next }
		{ name = $1; sub(/:$/, "", name); len[name] += $3 }
		END { for (d in len) { lv = substr(d, length(vg) + 1); sub(/-tpool$/, "", lv)
			if ((lv in size) && size[lv] != len[d]) printf "%s live at %d sectors, the VG says %d; ", d, len[d], size[lv] } }' \
		"$CR_DIR/rows" FS=' ' -) || bad="cannot compare the live tables with the VG (awk failed); "
	cr_log "judge: live sizes: ${bad:-as the VG records} ($(printf '%s\n' "$tables" | awk '{printf "%s %s; ", $1, $3}'))"
	[ -z "$bad" ] || cr_bad "thinbox-next: $bad"
	pools=$(printf '%s\n' "$rows" | awk -F'|' '$2 == "thin-pool" {print $1}')
	for p in $pools; do
		local meta=/dev/mapper/tbtcjudge ids vgids tid vgtid table
		table=$(printf '%s\n' "$rows" | awk -F'|' -v m="${p}_tmeta" -v es="$CR_ES" -v ps="$CR_PESTART" '
			$1 == m { split($7, a, ":"); split(a[2], r, "-");
				  printf "%d %d linear %s %d\n", $6 * es, (r[2] - r[1] + 1) * es, a[1], ps + r[1] * es }')
		if [ -z "$table" ] || ! printf '%s\n' "$table" | dmsetup create tbtcjudge --readonly >/dev/null 2>&1; then
			cr_bad "thin-metadata: cannot map ${p}_tmeta ('$table')"
			continue
		fi
		if ! out=$(thin_check "$meta" 2>&1); then
			cr_bad "thin_check $p: $(echo "$out" | head -n 2 | tr '\n' ' ')"
		else
			out=$(thin_dump "$meta" 2>&1)
			ids=$(printf '%s\n' "$out" | sed -n 's/.*<device dev_id="\([0-9]*\)".*/\1/p' | sort -n | tr '\n' ' ')
			tid=$(printf '%s\n' "$out" | sed -n 's/.*<superblock .*transaction="\([0-9]*\)".*/\1/p')
			vgids=$(printf '%s\n' "$rows" | awk -F'|' -v p="$p" '$2 == "thin" && $3 == p {print $4}' | sort -n | tr '\n' ' ')
			vgtid=$(printf '%s\n' "$rows" | awk -F'|' -v p="$p" '$1 == p {print $5}')
			[ "$ids" = "$vgids" ] || cr_bad "thin_dump $p: device ids '$ids', the VG's thin LVs have '$vgids'"
			[ "$tid" = "$vgtid" ] || cr_bad "thin_dump $p: transaction $tid, the VG says $vgtid"
		fi
		dmsetup remove tbtcjudge >/dev/null 2>&1
	done
	cr_dm_sweep
	cr_log "judge: thin metadata"
	# 5. lvm2 activates the VG and creates a thin LV in every pool
	if cr_lvm lvm2-activates vgchange -ay "$CR_VG" >/dev/null; then
		local j=0
		for p in $pools; do
			# a plain name: lvm2 reserves names containing _cdata, _tmeta...
			j=$((j + 1))
			cr_lvm lvm2-activates lvcreate -V 4M -T "$CR_VG/$p" -n "judge$j" >/dev/null
		done
	fi
	cr_dm_sweep
	cr_log "judge: lvm2 activation"
	[ -z "$CR_FAIL" ]
}

# ------------------------------------------------------------------ the kill run

# cr_kills STRIDE OFFSET [SCENARIO...]: every point whose global index i (0-based, over the
# scenarios in order) has i % STRIDE == OFFSET. Prints one line per failure and the tally
# "N crash points, P passed, F failed".
cr_kills() {
	local stride=$1 off=$2; shift 2
	local names=${*:-$CR_SCENARIOS} name n k i=0 np=0 pass=0 fail=0 e
	for name in $names; do
		cr_prepare "$name"
		cr_enumerate "$name"
		n=$(wc -l < "$CR_DIR/$name.effects")
		echo "kill: $name: '$CR_CMD': $n effects, $((n + 1)) points" >&2
		for k in $(seq 1 $((n + 1))); do
			if [ $((i % stride)) != "$off" ]; then i=$((i + 1)); continue; fi
			i=$((i + 1)); np=$((np + 1))
			e=$(sed -n "${k}p" "$CR_DIR/$name.effects" | cut -d'|' -f5)
			[ -n "$e" ] || e="after the last effect (not killed)"
			cr_log "=== kill $name point $k: before $e"
			if ! cr_kill "$name" "$k"; then
				if [ "$k" -le "$n" ]; then
					CR_FAIL="harness: the kill did not stop the command at that effect"
				else
					CR_FAIL="the command failed when not interrupted"
				fi
			else
				cr_judge
			fi
			if [ -z "$CR_FAIL" ]; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL kill $name (thinbox $CR_CMD) point $k/$((n + 1)) before [$e]: $CR_FAIL"
				cr_log "FAIL: $CR_FAIL"
			fi
		done
	done
	[ "$stride" = 1 ] || echo "kills: sampled every ${stride}th point (offset $off) of $i" >&2
	echo "kills: $np crash points, $pass passed, $fail failed"
	[ "$fail" = 0 ]
}

# ------------------------------------------------------------------ power cuts

# cr_record NAME: run the scenario's start and command on a dm-log-writes device over a copy
# of its image, logging to a second loop device; $CR_DIR/NAME.lwlog is the log,
# $CR_DIR/NAME.lwmark the index of the entry our "start" mark has.
cr_record() {
	local name=$1 lw=/dev/mapper/tbtlw logdev sz
	[ -s "$CR_DIR/$name.lwlog" ] && return 0
	cr_restore "$CR_DIR/$name.img"
	truncate -s 0 "$CR_DIR/$name.lwlog"
	truncate -s 256M "$CR_DIR/$name.lwlog"
	logdev=$(losetup -f --show "$CR_DIR/$name.lwlog") || die "losetup log"
	sz=$(blockdev --getsz "$CR_PV")
	echo "0 $sz log-writes $CR_PV $logdev" | dmsetup create tbtlw || die "cannot create the log-writes device"
	(
		export THINBOX_DEVICES=$lw
		cr_run_list "$CR_START"
		dmsetup message tbtlw 0 mark start || die "mark"
		# shellcheck disable=SC2086
		cr_exec "$name" "$TB" $CR_CMD || die "power-cut $name: '$CR_CMD' failed on the log-writes device"
		# the kernel state goes away as at a power cut; only the log matters
		for d in $(dmsetup ls | awk '{print $1}' | grep -E "^$CR_VG-" | sort -r); do
			dmsetup remove "$d" >/dev/null 2>&1
		done
		cr_dm_sweep
	) || exit 1
	dmsetup remove tbtlw >/dev/null 2>&1
	! dmsetup info tbtlw >/dev/null 2>&1 || die "cannot remove the log-writes device"
	losetup -d "$logdev"
}

# cr_powercuts STRIDE OFFSET [SCENARIO...]: as cr_kills, over the replayed power-cut images.
cr_powercuts() {
	local stride=$1 off=$2; shift 2
	local names=${*:-$CR_SCENARIOS} name i=0 np=0 pass=0 fail=0 pts p how
	[ -x "$CR_REPLAY" ] || die "no replay tool at $CR_REPLAY (make builds it)"
	for name in $names; do
		cr_prepare "$name"
		cr_record "$name" || return 1
		# crash points: "N" = the log's first N entries applied; "N:last" = the entries up to
		# the previous flush, plus the last unflushed write before flush N only
		pts=$("$CR_REPLAY" --points --after-mark start "$CR_DIR/$name.lwlog") ||
			die "lw-replay --points failed for $name"
		echo "power-cut: $name: '$CR_CMD': $(echo "$pts" | wc -w) points" >&2
		for p in $pts; do
			if [ $((i % stride)) != "$off" ]; then i=$((i + 1)); continue; fi
			i=$((i + 1)); np=$((np + 1))
			cr_dm_sweep
			losetup -d "$CR_PV" 2>/dev/null
			cp --sparse=always "$CR_DIR/$name.img" "$CR_DIR/pv.img"
			how=${p#*:}; [ "$how" = "$p" ] && how=
			"$CR_REPLAY" ${how:+--drop-unflushed} "$CR_DIR/$name.lwlog" "$CR_DIR/pv.img" "${p%%:*}" \
				>> "$CR_LOG" 2>&1 || die "lw-replay failed for $name at $p"
			losetup "$CR_PV" "$CR_DIR/pv.img" || die "attach"
			cr_log "=== power cut $name at $p"
			CR_FAIL=
			cr_judge
			if [ -z "$CR_FAIL" ]; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL power-cut $name (thinbox $CR_CMD) at log entry $p: $CR_FAIL"
				cr_log "FAIL: $CR_FAIL"
			fi
		done
	done
	[ "$stride" = 1 ] || echo "power cuts: sampled every ${stride}th point (offset $off) of $i" >&2
	echo "power cuts: $np crash points, $pass passed, $fail failed"
	[ "$fail" = 0 ]
}

# ------------------------------------------------------------------ strace self-check

# The kill must stop the process at the *entry* of the syscall, before it has any effect:
# SIGKILL delivered at syscall-entry stop makes ptrace_report_syscall_entry() return non-zero
# (fatal_signal_pending), so the kernel skips the call. Proved here on the rig kernel with a
# write to a file and a DM_DEV_CREATE.
cr_selftest() {
	local f=$CR_DIR/selftest
	mkdir -p "$CR_DIR"
	printf 'AAAA' > "$f"
	( strace -o /dev/null --inject=write:signal=KILL:when=1 \
		dd if=/dev/zero of="$f" bs=4 count=1 conv=notrunc 2>/dev/null; : ) 2>/dev/null
	[ "$(cat "$f")" = AAAA ] || die "strace self-test: a write killed at entry still happened"
	# the ordinal of DM_DEV_CREATE among dmsetup's ioctls, then a kill right there
	local n
	strace -o "$f.tr" -e trace=ioctl dmsetup create tbtcselftest --table '0 8 zero' >/dev/null 2>&1 ||
		die "strace self-test: dmsetup create failed"
	dmsetup remove tbtcselftest || die "strace self-test: dmsetup remove failed"
	n=$(grep -n 'DM_DEV_CREATE' "$f.tr" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || die "strace self-test: no DM_DEV_CREATE in dmsetup's trace"
	( strace -o /dev/null -e trace=ioctl --inject=ioctl:signal=KILL:when="$n" \
		dmsetup create tbtcselftest --table '0 8 zero' >/dev/null 2>&1; : ) 2>/dev/null
	if dmsetup info tbtcselftest >/dev/null 2>&1; then
		dmsetup remove tbtcselftest
		die "strace self-test: a DM_DEV_CREATE killed at entry still created the device"
	fi
	return 0
}
