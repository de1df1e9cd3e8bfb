# Crash consistency (docs/crash.md): a deterministic sample of the crash points that
# `make check-crash` runs in full (tests/crash/crash-lib.sh has the harness and the judges).
# Each testcase runs every STRIDE-th point of a few scenarios (fixed stride and offset, so the
# same points every run) and fails on any judge that fails.

crash_setup() {
	. "$TB_TOP/tests/crash/crash-lib.sh"
	CR_LOG=$TB_TMP/crash.log
	CR_REPLAY=$TB_BUILD/tests/crash/lw-replay
	mkdir -p "$TB_TMP"
	: > "$CR_LOG"
}

crash_report() { # rc: on failure, the detailed log's tail for the suite's output
	[ "$1" = 0 ] || tail -n 60 "$CR_LOG" >&2
	return "$1"
}

testcase_crash_strace_kill_stops_before_the_call() {
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_selftest
}

testcase_crash_kills_pool_creation_sampled() {
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_base
	cr_kills 10 2 poolcreate
	crash_report $?
}

testcase_crash_kills_thin_lvcreate_sampled() {
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_base
	cr_kills 8 1 thin
	crash_report $?
}

testcase_crash_kills_vgchange_ay_sampled() {
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_base
	cr_kills 6 3 vgchange_ay
	crash_report $?
}

testcase_crash_kills_monitor_step_sampled() { # one autoextend pass: thinbox monitor --once
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_base
	cr_kills 5 3 monitor
	crash_report $?
}

# the monitor as a daemon: its loop stages the next extension and applies it when the pool
# crosses its threshold (points 4, 9 and 14 of 16: before the pool's suspend, with the VG
# committed at the new size; before the pool's resume, the public layer still at the old size;
# before the next stage's write)
testcase_crash_kills_monitor_daemon_sampled() {
	crash_setup
	command -v strace >/dev/null || skip "no strace"
	cr_base
	cr_kills 5 3 daemon
	crash_report $?
}

testcase_crash_powercuts_monitor_daemon_sampled() {
	crash_setup
	dmsetup targets | grep -q '^log-writes' || modprobe dm-log-writes 2>/dev/null
	dmsetup targets | grep -q '^log-writes' || skip "no dm-log-writes target"
	[ -x "$CR_REPLAY" ] || skip "no $CR_REPLAY (make builds it)"
	cr_base
	cr_powercuts 7 3 daemon
	crash_report $?
}

testcase_crash_powercuts_pool_creation_sampled() {
	crash_setup
	dmsetup targets | grep -q '^log-writes' || modprobe dm-log-writes 2>/dev/null
	dmsetup targets | grep -q '^log-writes' || skip "no dm-log-writes target"
	[ -x "$CR_REPLAY" ] || skip "no $CR_REPLAY (make builds it)"
	cr_base
	cr_powercuts 6 1 poolcreate
	crash_report $?
}
