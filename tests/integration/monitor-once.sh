# shellcheck shell=bash
# thinbox monitor --once: a single pass of the autoextend monitor (docs/monitor.md), the step
# the crash harness (tests/crash, docs/crash.md) stops at every effect. Judged by lvm2 (sizes,
# vgck), thin_check and the data read back.

once_env() { # -> VG name; a profile tbtonce (threshold 50, percent 50) lvm2 can read too
	trap 'tb_teardown; rm -f /etc/lvm/profile/tbtonce.profile' EXIT
	printf 'activation {\n\tthin_pool_autoextend_threshold = 50\n\tthin_pool_autoextend_percent = 50\n}\n' \
		> /etc/lvm/profile/tbtonce.profile
}

once_src() { # MiB -> a random file
	local f=$TB_TMP/once.$1
	[ -f "$f" ] || dd if=/dev/urandom of="$f" bs=1M count="$1" status=none
	echo "$f"
}

# lvm2's size of an LV in MiB
once_size() { lvm_clean lvs --noheadings --units m --nosuffix -o lv_size "$1" | awk '{printf "%d\n", $1}'; }

once_check() { # VG POOL: vgck clean, then thin_check on a read-only copy of _tmeta
	local t out rc
	lvm_clean vgck "$1" >/dev/null
	t=$(dmsetup table "$1-$2_tmeta") || die "no $1-$2_tmeta"
	assert_ok $TB vgchange -an "$1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-oncechk" --readonly --table "$t" >/dev/null
	out=$(thin_check "/dev/mapper/$TB_PREFIX-oncechk" 2>&1); rc=$?
	dmsetup remove "$TB_PREFIX-oncechk"
	[ $rc = 0 ] || die "thin_check $1/$2: $out"
}

testcase_monitor_once_extends_a_pool_over_its_threshold_and_exits() {
	local d vg=${TB_PREFIX}o1 out src
	once_env
	d=$(tb_disk 256M)
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 24M -n pool --metadataprofile tbtonce "$vg" >/dev/null
	assert_ok $TB lvcreate -V 64M -T "$vg/pool" -n thin >/dev/null
	# 8 MiB of 24: under the threshold, one pass changes nothing and says so
	src=$(once_src 16)
	dd if="$src" of="/dev/mapper/$vg-thin" bs=1M count=8 oflag=direct status=none || die "write"
	out=$(assert_ok $TB monitor --once "$vg/pool")
	assert_match "1 thin pool\(s\) checked" "$out" "monitor --once under the threshold"
	assert_eq 24 "$(once_size "$vg/pool")" "pool size under the threshold"
	# 16 MiB of 24 (67 %): one pass grows it by 50 % (lvm2 reads 36 MiB) and exits 0
	dd if="$src" of="/dev/mapper/$vg-thin" bs=1M oflag=direct status=none || die "write"
	out=$(assert_ok $TB monitor --once "$vg/pool")
	assert_match "extended in .*data 6 -> 9 extents" "$out" "monitor --once over the threshold"
	assert_eq 36 "$(once_size "$vg/pool")" "pool size after one pass"
	# one pass watches nothing: no pool is left marked monitored
	assert_match "not monitored" "$($TB lvs --noheadings -o seg_monitor "$vg/pool")" "seg_monitor"
	cmp -n $((16 * 1048576)) "$src" "/dev/mapper/$vg-thin" || die "data on $vg/thin changed"
	once_check "$vg" pool
}

testcase_monitor_once_fails_when_the_pool_cannot_grow() {
	local d vg=${TB_PREFIX}o2 out size
	once_env
	d=$(tb_disk 64M)
	assert_ok $TB vgcreate "$vg" "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 24M -n pool --metadataprofile tbtonce "$vg" >/dev/null
	assert_ok $TB lvcreate -V 64M -T "$vg/pool" -n thin >/dev/null
	# a plain LV takes every free extent: nothing is left to grow the pool
	assert_ok $TB lvcreate -l 100%FREE -n filler "$vg" >/dev/null
	assert_eq 0 "$(lvm_clean vgs --noheadings -o vg_free_count "$vg" | tr -d ' ')" "free extents"
	size=$(once_size "$vg/pool")
	dd if="$(once_src 16)" of="/dev/mapper/$vg-thin" bs=1M oflag=direct status=none || die "write"
	out=$(assert_fails 5 $TB monitor --once "$vg/pool")
	assert_match "CANNOT EXTEND" "$out" "the reason"
	assert_match "1 thin pool\(s\) need attention.*$vg/pool" "$out" "the summary"
	assert_eq "$size" "$(once_size "$vg/pool")" "pool size"
	once_check "$vg" pool
}

testcase_monitor_once_usage() {
	local out
	once_env
	out=$(assert_fails 3 $TB monitor --once --daemon)
	assert_match "does not go with --daemon" "$out" "--once --daemon"
	# no active pool (of this name): nothing to do, exit 0
	out=$(assert_ok $TB monitor --once "${TB_PREFIX}none")
	assert_match "No active thin pool to check" "$out" "no pool"
}
