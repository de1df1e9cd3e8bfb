# The rig itself: a real dm-thin-pool made with the guest's dmsetup on two small disks.

testcase_kernel_has_dm_thin() {
	local v
	v=$(dmsetup targets) || die "dmsetup targets"
	assert_match '^thin-pool ' "$v" "dm targets"
	assert_match '^thin ' "$v" "dm targets"
	assert_match '^linear ' "$v" "dm targets"
}

testcase_dmsetup_thin_pool() {
	local meta data st
	meta=$(tb_disk 16M) && data=$(tb_disk 256M)
	dd if=/dev/zero of="$meta" bs=4096 count=1 conv=fsync 2>/dev/null
	local sz=$((256 * 2048))
	assert_ok dmsetup create "$TB_PREFIX-pool" --table "0 $sz thin-pool $meta $data 128 64 1 skip_block_zeroing" >/dev/null
	st=$(dmsetup status "$TB_PREFIX-pool")
	# 0 524288 thin-pool <tid> <used>/<total meta> <used>/<total data> - rw ...
	assert_match "^0 $sz thin-pool 0 [0-9]+/4096 0/4096 - rw " "$st" "fresh pool status"
	assert_ok dmsetup message "$TB_PREFIX-pool" 0 "create_thin 1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-thin" --table "0 204800 thin /dev/mapper/$TB_PREFIX-pool 1" >/dev/null
	dd if=/dev/urandom of=/dev/mapper/$TB_PREFIX-thin bs=1M count=4 oflag=direct 2>/dev/null ||
		die "write to the thin device"
	st=$(dmsetup status "$TB_PREFIX-pool")
	assert_match "^0 $sz thin-pool 0 [0-9]+/4096 64/4096 - rw " "$st" "pool after a 4 MiB write"
	assert_ok dmsetup remove "$TB_PREFIX-thin" >/dev/null
	assert_ok dmsetup remove "$TB_PREFIX-pool" >/dev/null
	command -v thin_check >/dev/null && assert_ok thin_check "$meta" >/dev/null
}
