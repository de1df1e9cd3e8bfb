# shellcheck shell=bash
# The pool's own metadata as the truth about device ids: thin LVs in a pool shared with an
# outside program (containerd's snapshotter), the kernel's EEXIST rolled back, interrupted
# transactions reconciled, damaged superblocks refused before activation. Judged by lvm2
# (vgck, lvs), dmsetup, thin_dump and thin_check.

LVM=/sbin

pt_vgck() { # VG
	local out
	out=$($LVM/vgck --verbose "$1" 2>&1) || die "vgck $1: $out"
	if echo "$out" | grep -qiE 'warn|error|invalid'; then die "vgck $1 warns: $out"; fi
}

# Device ids thin_dump lists for the live pool device $1 whose metadata device is $2, read
# through a metadata snapshot (thin_dump -m) the way one reads a live pool.
pt_ids() { # POOLDEV TMETA
	local x
	dmsetup message "$1" 0 reserve_metadata_snap || die "reserve_metadata_snap on $1"
	x=$(thin_dump -m "/dev/mapper/$2" 2>&1); local rc=$?
	dmsetup message "$1" 0 release_metadata_snap || die "release_metadata_snap on $1"
	[ $rc = 0 ] || die "thin_dump -m $2: $x"
	printf '%s\n' "$x" | sed -n 's/.*<device dev_id="\([0-9]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//'
}

# Run CMD... /dev/mapper/<copy> on the inactive pool's metadata, through a read-only copy of
# its table (taken while the pool is active); prints CMD's output, fails when CMD does.
pt_offline() { # VG POOL CMD...
	local vg=$1 pool=$2 t out rc; shift 2
	t=$(dmsetup table "$vg-${pool}_tmeta") || die "no $vg-${pool}_tmeta"
	assert_ok $TB vgchange -an "$vg" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-chk" --readonly --table "$t" >/dev/null
	out=$("$@" "/dev/mapper/$TB_PREFIX-chk" 2>&1); rc=$?
	dmsetup remove "$TB_PREFIX-chk"
	[ $rc = 0 ] || die "$* on $vg/$pool: $out"
	printf '%s\n' "$out"
}
pt_thin_check() { pt_offline "$1" "$2" thin_check >/dev/null; }

pt_pool_new() { # VG -> a VG with a new (unused) thin pool "pool", active under its plain name
	local d
	command -v thin_dump >/dev/null || skip "no thin_dump"
	d=$(tb_disk 1G)
	assert_ok $TB vgcreate "$1" "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 200M -n pool "$1" >/dev/null
	assert_eq "thin-pool" "$(dmsetup table "$1-pool" | awk '{print $3}')" "new pool under its plain name"
}

# containerd's devmapper snapshotter creates thin devices with raw pool messages and never
# sets the transaction id: containerd snapshots/devmapper/pool_device.go CreateThinDevice ->
# createDevice -> dmsetup.CreateDevice (snapshots/devmapper/dmsetup/dmsetup.go), which runs
# `dmsetup message <pool_name> 0 "create_thin <id>"`; DeleteDevice sends "delete <id>".
testcase_pooltruth_containerd_ids() {
	local vg=${TB_PREFIX}C out
	pt_pool_new $vg
	for i in 1 2 4; do
		assert_ok dmsetup message $vg-pool 0 "create_thin $i" >/dev/null
	done
	out=$(assert_ok $TB lvcreate -V 64M -T $vg/pool -n probe)
	assert_match 'Logical volume "probe" created' "$out" "lvcreate in the shared pool"
	assert_eq "3" "$($LVM/lvs --noheadings -o thin_id $vg/probe | tr -d ' ')" "probe takes the free id 3"
	# the pool keeps the layout containerd opened: its pool_name is still the thin-pool
	assert_eq "thin-pool" "$(dmsetup table $vg-pool | awk '{print $3}')" "pool keeps its plain name"
	dmsetup info $vg-pool-tpool >/dev/null 2>&1 && die "the pool was renamed to -tpool"
	assert_eq "1 2 3 4" "$(pt_ids $vg-pool ${vg}-pool_tmeta)" "thin_dump: containerd's ids and probe's"
	pt_vgck $vg
	# containerd goes on using its pool by name
	assert_ok dmsetup message $vg-pool 0 "create_thin 5" >/dev/null
	# probe works: write, read back
	[ -b /dev/mapper/$vg-probe ] || die "probe is not active"
	printf 'pooltruth' | dd of=/dev/mapper/$vg-probe bs=512 conv=sync,fsync status=none
	assert_eq "pooltruth" "$(head -c 9 /dev/mapper/$vg-probe)" "probe data"
	# a second thin LV and a snapshot take the next holes (6: 5 is containerd's now)
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n second >/dev/null
	assert_eq "6" "$($LVM/lvs --noheadings -o thin_id $vg/second | tr -d ' ')" "second takes 6"
	assert_ok $TB lvremove -y $vg/probe >/dev/null
	assert_eq "1 2 4 5 6" "$(pt_ids $vg-pool ${vg}-pool_tmeta)" "lvremove deletes probe's id only"
	pt_vgck $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n third >/dev/null
	assert_eq "3" "$($LVM/lvs --noheadings -o thin_id $vg/third | tr -d ' ')" "the freed id is reused"
	pt_vgck $vg
	out=$(lvm_clean lvs --noheadings -o lv_name,transaction_id $vg/pool)
	assert_match 'pool +4$' "$out" "lvm2 reads the pool's transaction id"
	# a pool holding another program's devices is not removed (that would delete them)
	assert_ok $TB lvremove -y $vg/third >/dev/null
	assert_ok $TB lvremove -y $vg/second >/dev/null
	out=$(assert_fails 5 $TB lvremove -y $vg/pool)
	assert_match 'holds 4 thin devices of another program \(device id 1, \.\.\.\)' "$out" \
		"pool with containerd's devices kept"
	assert_eq "1 2 4 5" "$(pt_ids $vg-pool ${vg}-pool_tmeta)" "containerd's devices are intact"
	# containerd cleans up its devices; the pool's metadata is sound; then it can go
	for i in 1 2 4 5; do assert_ok dmsetup message $vg-pool 0 "delete $i" >/dev/null; done
	assert_eq "" "$(pt_ids $vg-pool ${vg}-pool_tmeta)" "no device left"
	pt_thin_check $vg pool
	pt_vgck $vg
	assert_ok $TB lvremove -y $vg/pool >/dev/null
	pt_vgck $vg
}

# The kernel still answers EEXIST (another program took the id between our look and our
# message; THINBOX_TEST_DEVICE_ID forces that id): the VG is rolled back to exactly what it
# was, the pool keeps its layout and its devices.
testcase_pooltruth_eexist_rolls_back() {
	local vg=${TB_PREFIX}E out before after
	pt_pool_new $vg
	assert_ok dmsetup message $vg-pool 0 "create_thin 1" >/dev/null
	assert_ok dmsetup message $vg-pool 0 "create_thin 2" >/dev/null
	before=$(lvm_clean lvs --noheadings -a -o lv_name,lv_attr,transaction_id,thin_id $vg)
	out=$(THINBOX_TEST_DEVICE_ID=1 assert_fails 5 $TB lvcreate -V 64M -T $vg/pool -n probe)
	assert_match 'refused a message: .*File exists' "$out" "the kernel's EEXIST is reported"
	after=$(lvm_clean lvs --noheadings -a -o lv_name,lv_attr,transaction_id,thin_id $vg)
	assert_eq "$before" "$after" "lvm2 sees the VG exactly as before"
	lvm_clean vgcfgbackup -f $TB_TMP/e.vg $vg >/dev/null
	grep -q 'message1' $TB_TMP/e.vg && die "a queued message is left in the VG"
	grep -q 'probe' $TB_TMP/e.vg && die "LV probe is left in the VG"
	assert_eq "thin-pool" "$(dmsetup table $vg-pool | awk '{print $3}')" "pool keeps its plain name"
	dmsetup info $vg-pool-tpool >/dev/null 2>&1 && die "the pool was renamed to -tpool"
	assert_eq "1 2" "$(pt_ids $vg-pool ${vg}-pool_tmeta)" "the pool's devices are untouched"
	pt_vgck $vg
	# nothing is stuck: the VG deactivates and activates, and the next lvcreate works
	assert_ok $TB vgchange -an $vg >/dev/null
	assert_ok $TB vgchange -ay $vg >/dev/null
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n probe >/dev/null
	assert_eq "3" "$($LVM/lvs --noheadings -o thin_id $vg/probe | tr -d ' ')" "probe takes the free id 3"
	pt_vgck $vg
}

# Put VG $1's backup $2 back with lvm2 (after adding a queued message section after the pool's
# "transaction_id = $3" line), VG deactivated.
pt_restore_with_message() { # VG FILE TID MESSAGE-LINE
	local f=$2.msg
	awk -v tid="$3" -v m="$4" '
		{ print }
		$0 ~ "^[\t ]*transaction_id = " tid "$" && !done {
			print "message1 {"; print m; print "}"; done = 1 }' "$2" > "$f"
	grep -q '^message1' "$f" || die "no pool segment with transaction_id = $3 in $2"
	assert_ok $TB vgchange -an "$1" >/dev/null
	out=$($LVM/vgcfgrestore --force -y -f "$f" "$1" 2>&1) || die "vgcfgrestore: $out"
}

# A command killed after the VG commit with the queued message (docs/activation.md, crash
# points): the next activation finishes it from what the pool's metadata says.
testcase_pooltruth_reconcile_interrupted() {
	local vg=${TB_PREFIX}R out
	pt_pool_new $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t2 >/dev/null
	lvm_clean vgcfgbackup -f $TB_TMP/b.vg $vg >/dev/null
	# (1) killed between create_thin and set_transaction_id: the kernel has id 2 at
	# transaction 1 (its id moved back by hand), the VG has t2 with its create queued at 2
	assert_ok dmsetup message $vg-pool-tpool 0 "set_transaction_id 2 1" >/dev/null
	pt_restore_with_message $vg $TB_TMP/b.vg 2 'create = "t2"'
	out=$(assert_ok $TB vgchange -ay $vg)
	assert_match '1 of 1 queued messages were already in the kernel' "$out" "says what it finished"
	assert_match '^0 [0-9]+ thin-pool 2 ' "$(dmsetup status $vg-pool-tpool)" "kernel transaction 2"
	lvm_clean vgcfgbackup -f $TB_TMP/b1.vg $vg >/dev/null
	grep -q 'message1' $TB_TMP/b1.vg && die "the message is still queued"
	assert_eq "1 2" "$(pt_ids $vg-pool-tpool ${vg}-pool_tmeta)" "thin_dump: t1 and t2"
	pt_vgck $vg
	# (2) killed after set_transaction_id, before the second VG commit: kernel at 2 already
	pt_restore_with_message $vg $TB_TMP/b.vg 2 'create = "t2"'
	out=$(assert_ok $TB vgchange -ay $vg)
	assert_match 'already took the interrupted command' "$out" "says what it finished"
	lvm_clean vgcfgbackup -f $TB_TMP/b2.vg $vg >/dev/null
	grep -q 'message1' $TB_TMP/b2.vg && die "the message is still queued"
	# (3) lvremove killed between delete and set_transaction_id
	assert_ok $TB lvremove -y $vg/t2 >/dev/null
	lvm_clean vgcfgbackup -f $TB_TMP/c.vg $vg >/dev/null
	assert_ok $TB lvchange -ay $vg/pool >/dev/null
	assert_ok dmsetup message $vg-pool-tpool 0 "set_transaction_id 3 2" >/dev/null
	pt_restore_with_message $vg $TB_TMP/c.vg 3 'delete = 2'
	out=$(assert_ok $TB vgchange -ay $vg)
	assert_match '1 of 1 queued messages were already in the kernel' "$out" "delete finished"
	assert_match '^0 [0-9]+ thin-pool 3 ' "$(dmsetup status $vg-pool-tpool)" "kernel transaction 3"
	assert_eq "1" "$(pt_ids $vg-pool-tpool ${vg}-pool_tmeta)" "thin_dump: t1 only"
	pt_vgck $vg
	# lvm2 agrees: it activates the pool (running thin_check) and creates a thin LV in it
	pt_thin_check $vg pool
	out=$($LVM/vgchange -ay $vg 2>&1) || die "lvm2 vgchange -ay: $out"
	out=$($LVM/lvcreate -V 64M -T $vg/pool -n bylvm 2>&1) || die "lvm2 lvcreate: $out"
	$LVM/vgchange -an $vg >/dev/null 2>&1
}

# A queued create whose id the pool holds as somebody else's device (written to, or made in
# another transaction) is not taken as done: the pool and the VG are left alone.
testcase_pooltruth_reconcile_refuses_foreign() {
	local vg=${TB_PREFIX}F out sz tmeta_table
	pt_pool_new $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t2 >/dev/null
	lvm_clean vgcfgbackup -f $TB_TMP/b.vg $vg >/dev/null
	tmeta_table=$(dmsetup table $vg-pool_tmeta)
	# id 2 becomes "another program's": deleted, made again and written to, tid back at 1
	assert_ok $TB lvchange -an $vg/t2 >/dev/null
	assert_ok dmsetup message $vg-pool-tpool 0 "delete 2" >/dev/null
	assert_ok dmsetup message $vg-pool-tpool 0 "create_thin 2" >/dev/null
	sz=$((64 * 2048))
	assert_ok dmsetup create $TB_PREFIX-other --table "0 $sz thin /dev/mapper/$vg-pool-tpool 2" >/dev/null
	dd if=/dev/urandom of=/dev/mapper/$TB_PREFIX-other bs=64k count=4 conv=fsync status=none
	dmsetup remove $TB_PREFIX-other
	assert_ok dmsetup message $vg-pool-tpool 0 "set_transaction_id 2 1" >/dev/null
	pt_restore_with_message $vg $TB_TMP/b.vg 2 'create = "t2"'
	out=$(assert_fails 5 $TB vgchange -ay $vg)
	assert_match 'already has device id 2, which is not the one the interrupted command created' \
		"$out" "refused as another program's device"
	lvm_clean vgcfgbackup -f $TB_TMP/f.vg $vg >/dev/null
	grep -q 'message1' $TB_TMP/f.vg || die "the VG was changed (its queued message is gone)"
	pt_vgck $vg
	# the pool's metadata is as it was: transaction 1, ids 1 and 2 (thin_dump of a copy)
	assert_ok $TB vgchange -an $vg >/dev/null
	assert_ok dmsetup create $TB_PREFIX-chk --readonly --table "$tmeta_table" >/dev/null
	out=$(thin_dump /dev/mapper/$TB_PREFIX-chk 2>&1); dmsetup remove $TB_PREFIX-chk
	assert_match 'transaction="1"' "$out" "kernel transaction left at 1"
	assert_eq "1 2" "$(printf '%s\n' "$out" | sed -n 's/.*<device dev_id="\([0-9]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//')" "ids left alone"
}

# The superblock check before activation: a damaged checksum, needs_check and a data block
# size that is not the VG's chunk size are refused, with what to run; nothing stays active.
testcase_pooltruth_superblock_refused() {
	local vg=${TB_PREFIX}S out t m
	pt_pool_new $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
	t=$(dmsetup table $vg-pool_tmeta)
	assert_ok $TB vgchange -an $vg >/dev/null
	assert_ok dmsetup create $TB_PREFIX-meta --table "$t" >/dev/null
	m=/dev/mapper/$TB_PREFIX-meta
	dd if=$m of=$TB_TMP/sb bs=4096 count=1 status=none
	# (1) one byte of the superblock changed: bad checksum
	printf '\001' | dd of=$m bs=1 seek=4000 conv=notrunc,fsync status=none
	out=$(assert_fails 5 $TB vgchange -ay $vg)
	assert_match 'metadata is damaged \(superblock: bad checksum\).*thin_check.*lvconvert --repair' "$out" "bad checksum refused"
	dmsetup info $vg-pool_tmeta >/dev/null 2>&1 && die "a refused activation left _tmeta active"
	dmsetup info $vg-pool-tpool >/dev/null 2>&1 && die "a refused activation left the pool active"
	# (2) needs_check, with a valid checksum (flags 1, crc32c recomputed by thin_check's rules)
	dd if=$TB_TMP/sb of=$m bs=4096 count=1 conv=notrunc,fsync status=none
	python3 - "$m" <<'EOF' || die "cannot set needs_check"
import sys, struct
def crc32c(b, crc=0xffffffff):
    for x in b:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc
with open(sys.argv[1], 'r+b') as f:
    blk = bytearray(f.read(4096))
    blk[4:8] = struct.pack('<I', 1)
    blk[0:4] = struct.pack('<I', crc32c(bytes(blk[4:])) ^ 160774)
    f.seek(0); f.write(blk); f.flush()
EOF
	out=$(assert_fails 5 $TB vgchange -ay $vg)
	assert_match 'flagged needs_check.*thin_check_options.*--clear-needs-check-flag' "$out" "needs_check refused"
	dmsetup info $vg-pool-tpool >/dev/null 2>&1 && die "a refused activation left the pool active"
	dmsetup remove $TB_PREFIX-meta
	# (3) what the message says works: thin_check run first, as lvm2 runs it, clears the flag
	mkdir -p $TB_TMP/etc
	printf 'global {\n\tthin_check_executable = "%s"\n\tthin_check_options = [ "-q", "--clear-needs-check-flag" ]\n}\n' \
		"$(command -v thin_check)" > $TB_TMP/etc/lvm.conf
	assert_ok env LVM_SYSTEM_DIR=$TB_TMP/etc $TB vgchange -ay $vg >/dev/null
	[ -b /dev/mapper/$vg-t1 ] || die "t1 not active after thin_check cleared the flag"
	out=$(dmsetup status $vg-pool-tpool)
	printf '%s\n' "$out" | grep -q needs_check && die "the pool still needs_check: $out"
	pt_thin_check $vg pool
	pt_vgck $vg
}

# lvm.conf global/thin_check_executable: run as lvm2 runs it, its failure refuses activation.
testcase_pooltruth_thin_check_executable() {
	local vg=${TB_PREFIX}K out
	pt_pool_new $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
	assert_ok $TB vgchange -an $vg >/dev/null
	mkdir -p $TB_TMP/etc
	printf '#!/bin/sh\necho "$@" > %s/ran\nexit 3\n' "$TB_TMP" > $TB_TMP/fakecheck
	chmod +x $TB_TMP/fakecheck
	printf 'global {\n\tthin_check_executable = "%s"\n}\n' "$TB_TMP/fakecheck" > $TB_TMP/etc/lvm.conf
	out=$(LVM_SYSTEM_DIR=$TB_TMP/etc assert_fails 5 $TB vgchange -ay $vg)
	assert_match "Check of pool $vg/pool failed \(status:3\)\. Manual repair required!" "$out" "lvm2's message"
	assert_eq "-q /dev/mapper/$vg-pool_tmeta" "$(cat $TB_TMP/ran)" "lvm2's default options (lvmconfig --type default)"
	dmsetup info $vg-pool_tmeta >/dev/null 2>&1 && die "a refused activation left _tmeta active"
	printf 'global {\n\tthin_check_executable = "%s"\n}\n' "$(command -v thin_check)" > $TB_TMP/etc/lvm.conf
	assert_ok env LVM_SYSTEM_DIR=$TB_TMP/etc $TB vgchange -ay $vg >/dev/null
	[ -b /dev/mapper/$vg-t1 ] || die "t1 not active with the real thin_check"
}


# A thin LV whose device the pool no longer has (deleted behind thinbox's back): activation
# says so plainly, and lvremove still removes the LV without sending a delete for it.
testcase_pooltruth_missing_device() {
	local vg=${TB_PREFIX}M out tid
	pt_pool_new $vg
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
	assert_ok $TB lvcreate -V 64M -T $vg/pool -n t2 >/dev/null
	assert_ok $TB lvchange -an $vg/t2 >/dev/null
	assert_ok dmsetup message $vg-pool-tpool 0 "delete 2" >/dev/null
	out=$(assert_fails 5 $TB lvchange -ay $vg/t2)
	assert_match 'has no thin device with id 2, which thin LV '"$vg"'/t2 names' "$out" "missing device named"
	dmsetup info $vg-t2 >/dev/null 2>&1 && die "a refused thin LV was left in the kernel"
	assert_ok $TB lvremove -y $vg/t2 >/dev/null
	assert_eq "1" "$(pt_ids $vg-pool-tpool ${vg}-pool_tmeta)" "thin_dump: t1 only"
	tid=$($LVM/lvs --noheadings -o transaction_id $vg/pool | tr -d ' ')
	assert_match "^0 [0-9]+ thin-pool $tid " "$(dmsetup status $vg-pool-tpool)" "kernel and VG agree on the transaction id"
	pt_vgck $vg
	pt_thin_check $vg pool
}
