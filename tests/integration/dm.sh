# thinbox dm (kernel-iface over /dev/mapper/control): linear, thin-pool and thin devices made
# with `$TB dm` agree with dmsetup; thin-pool messages confirmed by thin_dump; event wait;
# errno and message of each error path; nothing left behind.

# dm_same VERB NAME: `$TB dm VERB NAME` and `dmsetup VERB NAME` print the same.
dm_same() {
	local a b
	a=$("$TB" dm "$@" 2>&1) || die "thinbox dm $*: $a"
	b=$(dmsetup "$@" 2>&1) || die "dmsetup $*: $b"
	[ "$a" = "$b" ] || die "thinbox dm $* differs from dmsetup:
--- thinbox
$a
--- dmsetup
$b"
}

dm_gone() { # NAME: no device, no node
	dmsetup info "$1" >/dev/null 2>&1 && die "device $1 still exists"
	[ ! -e "/dev/mapper/$1" ] || die "node /dev/mapper/$1 still exists"
	return 0
}

dm_pool() { # NAME META DATA SECTORS [LOW_WATER] : a fresh thin-pool of 64 KiB blocks
	dd if=/dev/zero of="$2" bs=4096 count=1 conv=fsync 2>/dev/null
	assert_ok "$TB" dm create "$1" --table "0 $4 thin-pool $2 $3 128 ${5:-0} 1 skip_block_zeroing" >/dev/null
}

testcase_dm_linear_matches_dmsetup() {
	local d n="$TB_PREFIX-lin" mm
	d=$(tb_disk 64M)
	assert_ok "$TB" dm create "$n" --table "0 2048 linear $d 0
2048 2048 linear $d 8192" >/dev/null
	dm_same table "$n"
	dm_same status "$n"
	dm_same info "$n"
	dm_same ls
	dm_same deps "$n"
	# the node: a block device with the kernel's number, root:disk 0660 as Debian's lvm2 makes it
	mm=$(dmsetup info -c --noheadings -o major,minor --separator : "$n")
	assert_eq "$mm" "$(stat -c '%t:%T' "/dev/mapper/$n" | { IFS=: read -r a b; echo "$((16#$a)):$((16#$b))"; })" "node number"
	assert_eq "b 660 0:disk" "$(stat -c '%F' "/dev/mapper/$n" | cut -c1) $(stat -c '%a %u:%G' "/dev/mapper/$n")" "node type/mode/owner"
	assert_eq 4096 "$(blockdev --getsz "/dev/mapper/$n")" "size"
	# table on stdin, read-only
	echo "0 1024 linear $d 0" | "$TB" dm create "$n-ro" -r || die "create from stdin"
	dm_same info "$n-ro"
	assert_match "READ-ONLY" "$("$TB" dm info "$n-ro")" "read-only state"
	assert_ok "$TB" dm remove "$n-ro" >/dev/null
	assert_ok "$TB" dm remove "$n" >/dev/null
	dm_gone "$n"; dm_gone "$n-ro"
}

testcase_dm_thin_pool_and_thin_match_dmsetup() {
	local meta data p="$TB_PREFIX-pool" t="$TB_PREFIX-thin" sz=$((256 * 2048))
	meta=$(tb_disk 16M) && data=$(tb_disk 256M)
	dm_pool "$p" "$meta" "$data" $sz 64
	dm_same table "$p"
	dm_same status "$p"
	dm_same info "$p"
	assert_match "^0 $sz thin-pool 0 [0-9]+/4096 0/4096 - rw discard_passdown queue_if_no_space - [0-9]+" \
		"$("$TB" dm status "$p")" "pool status"
	assert_ok "$TB" dm message "$p" 0 create_thin 1 >/dev/null
	assert_ok "$TB" dm create "$t" --table "0 204800 thin /dev/mapper/$p 1" >/dev/null
	dm_same table "$t"
	dm_same status "$t"
	dm_same info "$t"
	dd if=/dev/urandom of="/dev/mapper/$t" bs=1M count=4 oflag=direct 2>/dev/null || die "write"
	dm_same status "$t"
	dm_same status "$p"
	assert_match "^0 204800 thin 8192 8191$" "$("$TB" dm status "$t")" "thin status after 4 MiB"
	dm_same ls
	dm_same deps "$t"
	dm_same deps
	( unset LANG LC_ALL LC_CTYPE; dm_same ls --tree )
	dm_same table
	dm_same status
	assert_ok "$TB" dm remove "$t" >/dev/null
	assert_ok "$TB" dm remove "$p" >/dev/null
	dm_gone "$t"; dm_gone "$p"
	assert_ok thin_check "$meta" >/dev/null
}

testcase_dm_messages_confirmed_by_thin_dump() {
	local meta data p="$TB_PREFIX-mpool" x
	command -v thin_dump >/dev/null || skip "no thin_dump"
	meta=$(tb_disk 16M) && data=$(tb_disk 128M)
	dm_pool "$p" "$meta" "$data" $((128 * 2048))
	assert_ok "$TB" dm message "$p" 0 create_thin 1 >/dev/null
	assert_ok "$TB" dm message "$p" 0 create_thin 2 >/dev/null
	assert_ok "$TB" dm message "$p" 0 create_snap 3 1 >/dev/null
	assert_ok "$TB" dm message "$p" 0 delete 2 >/dev/null
	assert_ok "$TB" dm message "$p" 0 set_transaction_id 0 7 >/dev/null
	assert_match "^0 [0-9]+ thin-pool 7 " "$("$TB" dm status "$p")" "transaction id in status"
	# a wrong old id is refused by the kernel
	x=$(assert_fails any "$TB" dm message "$p" 0 set_transaction_id 0 8)
	assert_match "Invalid argument" "$x" "stale transaction id"
	assert_ok "$TB" dm remove "$p" >/dev/null
	x=$(thin_dump "$meta") || die "thin_dump: $x"
	assert_match '<superblock [^>]*transaction="7"' "$x" "transaction id in metadata"
	assert_match '<device dev_id="1"' "$x" "thin 1"
	assert_match '<device dev_id="3"' "$x" "snapshot 3"
	printf '%s\n' "$x" | grep -q '<device dev_id="2"' && die "thin 2 was deleted but thin_dump lists it"
	return 0
}

testcase_dm_wait_returns_on_low_water() {
	local meta data p="$TB_PREFIX-wpool" t="$TB_PREFIX-wthin" ev out="$TB_TMP/wait.rc" i
	meta=$(tb_disk 16M) && data=$(tb_disk 64M)
	mkdir -p "$TB_TMP"
	# 1024 blocks of 64 KiB; the event fires once free blocks drop to 1000
	dm_pool "$p" "$meta" "$data" $((64 * 2048)) 1000
	assert_ok "$TB" dm message "$p" 0 create_thin 1 >/dev/null
	assert_ok "$TB" dm create "$t" --table "0 131072 thin /dev/mapper/$p 1" >/dev/null
	ev=$("$TB" dm info "$p" | sed -n 's/^Event number: *//p')
	( timeout 60 "$TB" dm wait "$p" "$ev"; echo $? >"$out" ) &
	sleep 1
	[ ! -s "$out" ] || die "dm wait returned before any event: rc $(cat "$out")"
	dd if=/dev/urandom of="/dev/mapper/$t" bs=1M count=4 oflag=direct 2>/dev/null || die "write"
	for i in $(seq 1 50); do [ -s "$out" ] && break; sleep 0.2; done
	wait
	assert_eq 0 "$(cat "$out")" "dm wait exit status"
	[ "$(dmsetup info -c --noheadings -o events "$p" | tr -d ' ')" -gt "$ev" ] || die "event counter did not move"
	assert_ok "$TB" dm remove "$t" >/dev/null
	assert_ok "$TB" dm remove "$p" >/dev/null
}

testcase_dm_error_paths() {
	local d meta data n="$TB_PREFIX-err" p="$TB_PREFIX-epool" x
	d=$(tb_disk 64M)
	assert_ok "$TB" dm create "$n" --table "0 2048 linear $d 0" >/dev/null
	# name taken: the kernel says EBUSY
	x=$(assert_fails 5 "$TB" dm create "$n" --table "0 2048 linear $d 0")
	assert_match "create device '$n' \(DM_DEV_CREATE\): Device or resource busy: a device with that name" "$x" "duplicate name"
	# missing device: ENXIO
	x=$(assert_fails 5 "$TB" dm info "$TB_PREFIX-none")
	assert_match "'$TB_PREFIX-none' \(DM_DEV_STATUS\): No such device or address" "$x" "missing device"
	x=$(assert_fails 5 "$TB" dm remove "$TB_PREFIX-none")
	assert_match "No such device or address" "$x" "remove missing"
	# refused table: EINVAL with the kernel's reason, and the new device is removed again
	x=$(assert_fails 5 "$TB" dm create "$n-bad" --table "0 2048 linear $d")
	assert_match "load a table into '$n-bad' \(DM_TABLE_LOAD\): Invalid argument: the kernel refused the table" "$x" "bad table"
	assert_match "kernel: .*linear" "$x" "kernel reason"
	dm_gone "$n-bad"
	x=$(assert_fails any "$TB" dm create "$n-bad" --table "0 linear")
	assert_match "Invalid table" "$x" "unparsable table"
	dm_gone "$n-bad"
	# open device: EBUSY, then deferred remove
	exec 3<"/dev/mapper/$n"
	x=$(assert_fails 5 "$TB" dm remove "$n")
	assert_match "remove device '$n' \(DM_DEV_REMOVE\): Device or resource busy" "$x" "remove open device"
	assert_ok "$TB" dm remove --deferred "$n" >/dev/null
	assert_match "DEFERRED REMOVE" "$(dmsetup info "$n")" "deferred state"
	dm_same info "$n"
	exec 3<&-
	for x in $(seq 1 25); do dmsetup info "$n" >/dev/null 2>&1 || break; sleep 0.2; done
	assert_ok "$TB" dm mknodes >/dev/null
	dm_gone "$n"
	# thin-pool: EEXIST for an id in use, ENODATA-ish for a missing one
	meta=$(tb_disk 16M) && data=$(tb_disk 64M)
	dm_pool "$p" "$meta" "$data" $((64 * 2048))
	assert_ok "$TB" dm message "$p" 0 create_thin 1 >/dev/null
	x=$(assert_fails 5 "$TB" dm message "$p" 0 create_thin 1)
	assert_match "send a message to '$p' \(DM_TARGET_MSG\): File exists" "$x" "duplicate thin id"
	x=$(assert_fails 5 "$TB" dm message "$p" 0 bogus_message)
	assert_match "Invalid argument" "$x" "unknown message"
	assert_ok "$TB" dm remove "$p" >/dev/null
	dm_gone "$p"
}

testcase_dm_suspend_load_resume_resize_rename() {
	local d n="$TB_PREFIX-rs" x
	d=$(tb_disk 64M)
	assert_ok "$TB" dm create "$n-old" --table "0 2048 linear $d 0" >/dev/null
	# rename first: Debian 6.1's dm-ima frees a name twice on remove after
	# load+clear+rename (dmsetup hits it too), so clear comes after the rename
	assert_ok "$TB" dm rename "$n-old" "$n" >/dev/null
	[ -b "/dev/mapper/$n" ] && [ ! -e "/dev/mapper/$n-old" ] || die "nodes after rename"
	dm_same info "$n"
	assert_ok "$TB" dm load "$n" --table "0 8192 linear $d 0" >/dev/null
	assert_match "LIVE & INACTIVE" "$("$TB" dm info "$n")" "both tables"
	dm_same table "$n" --inactive
	assert_ok "$TB" dm suspend "$n" >/dev/null
	assert_match "SUSPENDED" "$(dmsetup info "$n")" "suspended"
	assert_ok "$TB" dm resume "$n" >/dev/null
	assert_eq 8192 "$(blockdev --getsz "/dev/mapper/$n")" "size after resize"
	dm_same table "$n"
	assert_ok "$TB" dm suspend --noflush --nolockfs "$n" >/dev/null
	assert_ok "$TB" dm resume "$n" >/dev/null
	assert_ok "$TB" dm load "$n" --table "0 4096 linear $d 0" >/dev/null
	assert_ok "$TB" dm clear "$n" >/dev/null
	assert_match "Tables present:    LIVE$" "$("$TB" dm info "$n" | grep Tables)" "cleared"
	# mknodes repairs a missing node and drops a stale one
	rm -f "/dev/mapper/$n"; mknod "/dev/mapper/$TB_PREFIX-stale" b 253 250
	assert_ok "$TB" dm mknodes >/dev/null
	[ -b "/dev/mapper/$n" ] && [ ! -e "/dev/mapper/$TB_PREFIX-stale" ] || die "mknodes"
	x=$("$TB" dm --trace ls 2>&1 >/dev/null)
	assert_match "dm> DM_LIST_DEVICES" "$x" "trace"
	x=$(THINBOX_TRACE=1 "$TB" dm ls 2>&1 >/dev/null)
	assert_match "dm< DM_LIST_DEVICES = 0" "$x" "THINBOX_TRACE=1"
	assert_ok "$TB" dm remove "$n" >/dev/null
	dm_gone "$n"
}

testcase_dm_version_and_targets() {
	dm_same targets
	assert_eq "$(dmsetup version | sed -n 's/^Driver version: *//p')" \
		"$("$TB" dm version | sed -n 's/^Driver version: *//p')" "driver version"
}

testcase_dm_teardown_leaves_nothing() {
	local d i
	d=$(tb_disk 64M)
	for i in 1 2 3; do
		assert_ok "$TB" dm create "$TB_PREFIX-td$i" --table "0 1024 linear $d $((i * 1024))" >/dev/null
	done
	for i in 3 2 1; do assert_ok "$TB" dm remove "$TB_PREFIX-td$i" >/dev/null; done
	assert_eq "" "$(dmsetup ls | grep "^$TB_PREFIX" || true)" "devices left"
	assert_eq "" "$(ls /dev/mapper | grep "^$TB_PREFIX" || true)" "nodes left"
}
