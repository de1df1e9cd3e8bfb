# shellcheck shell=bash
# lvconvert --repair of thin pools, thinbox and lvm2 side by side (helpers: pooltruth.sh).
. "$(dirname "${BASH_SOURCE[0]}")/pooltruth.sh"

# Set needs_check in the superblock of the inactive pool VG/pool (through a dm copy of _tmeta's
# table taken while active), checksum recomputed as the kernel does (crc32c ^ 160774).
pt_set_needs_check() { # VG
	local t
	t=$(dmsetup table "$1-pool_tmeta") || die "no $1-pool_tmeta"
	assert_ok $TB vgchange -an "$1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-nc" --table "$t" >/dev/null
	python3 - "/dev/mapper/$TB_PREFIX-nc" <<'PY' || die "cannot set needs_check"
import sys, struct, os
def crc32c(b, crc=0xffffffff):
    for x in b:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc
fd = os.open(sys.argv[1], os.O_RDWR)
blk = bytearray(os.pread(fd, 4096, 0))
blk[4:8] = struct.pack('<I', 1)
blk[0:4] = struct.pack('<I', crc32c(bytes(blk[4:])) ^ 160774)
os.pwrite(fd, bytes(blk), 0); os.fsync(fd); os.close(fd)
PY
	dmsetup remove "$TB_PREFIX-nc"
}

# lvconvert --repair VG/POOL, thinbox and lvm2 side by side on two equal VGs whose pools are
# flagged needs_check: the same LVs afterwards, the data intact, the metadata sound.
testcase_pooltruth_repair_like_lvm2() {
	local a=${TB_PREFIX}A b=${TB_PREFIX}B out lout sum la lb
	command -v thin_repair >/dev/null || skip "no thin_repair"
	for vg in $a $b; do
		pt_pool_new $vg
		assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
		dd if=/dev/urandom of=$TB_TMP/data bs=1M count=4 status=none
		dd if=$TB_TMP/data of=/dev/mapper/$vg-t1 bs=1M conv=fsync status=none
		pt_set_needs_check $vg
	done
	sum=$(md5sum < $TB_TMP/data)
	out=$(assert_fails 5 $TB vgchange -ay $a)
	assert_match 'needs_check.*lvconvert --repair' "$out" "needs_check refused, repair named"
	out=$(assert_ok $TB lvconvert --repair $a/pool)
	assert_match "LV $a/pool_meta0 holds a backup of the unrepaired metadata" "$out" "thinbox's warning"
	lout=$($LVM/lvconvert --repair $b/pool 2>&1) || die "lvm2 lvconvert --repair: $lout"
	# the same warnings as lvm2's (VG names aside)
	assert_eq "$(printf '%s\n' "$lout" | grep 'WARNING: \(LV\|New metadata\)' | sed "s/$b/VG/g; s/^ *//")" \
		"$(printf '%s\n' "$out" | grep 'WARNING: \(LV\|New metadata\)' | sed "s/$a/VG/g; s/^ *//")" \
		"warnings as lvm2's"
	la=$(lvm_clean lvs -a --noheadings -o lv_name,segtype,lv_size --units m $a | sort)
	lb=$(lvm_clean lvs -a --noheadings -o lv_name,segtype,lv_size --units m $b | sort)
	assert_eq "$lb" "$la" "the same LVs as lvm2's repair"
	pt_vgck $a
	assert_ok $TB vgchange -ay $a >/dev/null
	assert_eq "$sum" "$(head -c 4194304 /dev/mapper/$a-t1 | md5sum)" "t1's data after the repair"
	pt_thin_check $a pool
	# lvm2 activates the repaired pool too
	out=$($LVM/vgchange -ay $a 2>&1) || die "lvm2 vgchange -ay after thinbox's repair: $out"
	$LVM/vgchange -an $a >/dev/null 2>&1
	$LVM/vgchange -an $b >/dev/null 2>&1
	# an active pool is refused
	assert_ok $TB vgchange -ay $a >/dev/null
	out=$(assert_fails 5 $TB lvconvert --repair $a/pool)
	assert_match 'Active pools cannot be repaired' "$out" "active pool refused"
}
