# shellcheck shell=bash
# Helpers for VM integration tests (sourced by guest-suite.sh, bash, inside the guest).
# A test file defines testcase_* functions; each runs in its own shell with `set -e`-free
# explicit checks: use the assert_* helpers, which print what differed and exit 1.
#
# Every DM device a test makes must be named with $TB_PREFIX (or be in a VG named with it)
# so that tb_teardown can sweep it. Disks: tb_disk SIZE -> a loop device on a sparse file.

TB_TOP=${THINBOX_TOP:?}
TB_BUILD=${build:-$TB_TOP/build}
TB=$TB_BUILD/thinbox
TB_PREFIX=tbt
TB_TMP=/tmp/tbtest
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
# activation starts `thinbox monitor --daemon`; tests that want it unset this (and teardown
# stops every monitor)
export THINBOX_NO_MONITOR_START=1

die() { echo "FAILED: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
assert_eq() { # expected actual [what]
	[ "$1" = "$2" ] || die "${3:-value}: expected '$1', got '$2'"
}
assert_match() { # regex actual [what]
	printf '%s\n' "$2" | grep -qE -- "$1" || die "${3:-value}: '$2' does not match /$1/"
}
assert_ok() { # command...: must exit 0
	local out rc
	out=$("$@" 2>&1); rc=$?
	[ $rc = 0 ] || die "'$*' exited $rc: $out"
	printf '%s\n' "$out"
}
assert_fails() { # expected-rc-or-any command...: must fail; prints its output
	local want=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	[ $rc != 0 ] || die "'$*' succeeded, it should have failed: $out"
	[ "$want" = any ] || [ "$rc" = "$want" ] || die "'$*' exited $rc, expected $want: $out"
	printf '%s\n' "$out"
}

# lvm2, by its absolute path so that an installed thinbox link (make install-links) can never
# stand in for it.
LVM2_BIN=/usr/sbin/lvm
# Run lvm2: must exit 0 and print nothing on stderr (no warning of any kind). Prints stdout.
lvm_clean() {
	local out err rc
	err=$(mktemp "$TB_TMP/err.XXXXXX")
	out=$("$LVM2_BIN" "$@" 2>"$err"); rc=$?
	[ $rc = 0 ] || die "lvm $* exited $rc: $(cat "$err") $out"
	[ ! -s "$err" ] || die "lvm $* wrote to stderr: $(cat "$err")"
	rm -f "$err"
	printf '%s\n' "$out"
}

tb_disk() { # SIZE -> prints /dev/loopN backed by a sparse file
	mkdir -p "$TB_TMP"
	local f
	f=$(mktemp "$TB_TMP/disk.XXXXXX")
	truncate -s "$1" "$f" || die "truncate $1"
	losetup -f --show "$f" || die "losetup $f"
}

tb_setup() {
	mkdir -p "$TB_TMP" /run/lock/lvm /etc/lvm/profile
	[ -x "$TB" ] || die "no thinbox binary at $TB (run make first)"
	[ -e /dev/mapper/control ] || skip "no device-mapper in this kernel"
}

# Remove every DM device this test made (name starts with the prefix, or belongs to a VG
# whose name starts with it), children first; detach our loop devices.
tb_teardown() {
	local i n
	pkill -TERM -f "$TB monitor" 2>/dev/null && sleep 0.5
	# lvm2 starts dmeventd for pools it activates; it outlives the test and may sit on lvm2's
	# locks (its thin plugin runs lvextend), so the next test could wait forever
	pkill -KILL dmeventd 2>/dev/null
	rm -f /run/lock/lvm/* 2>/dev/null
	for i in 1 2 3 4 5; do
		n=0
		for d in $(dmsetup ls 2>/dev/null | awk '{print $1}' | grep -E "^($TB_PREFIX|docker)" | sort -r); do
			dmsetup remove "$d" >/dev/null 2>&1 && n=$((n + 1))
		done
		[ $n = 0 ] && break
	done
	for l in $(losetup -n -O NAME,BACK-FILE 2>/dev/null | awk -v d="$TB_TMP" 'index($2, d) == 1 {print $1}'); do
		losetup -d "$l" 2>/dev/null
	done
	rm -rf "$TB_TMP"
	# /dev/<vg> links of test VGs (dmsetup remove above does not touch them), and test
	# profiles/backups, so the next test starts clean
	rm -rf /dev/docker /dev/${TB_PREFIX}* /etc/lvm/backup/docker /etc/lvm/backup/${TB_PREFIX}*
	return 0
}
