# shellcheck shell=bash
# lvconvert --repair of thin pools, thinbox and lvm2 side by side (helpers: pooltruth.sh).
. "$(dirname "${BASH_SOURCE[0]}")/pooltruth.sh"

# Damage the metadata space map of the inactive pool VG/pool (through a dm copy of _tmeta's
# table taken while active): one byte of its index block (the superblock's metadata space map
# root, bytes 192..223: nr_blocks, nr_allocated, index block, ref count root). thin_check
# fails on it and thin_repair rebuilds it from the trees, losing nothing.
pt_damage_space_map() { # VG
	local t
	t=$(dmsetup table "$1-pool_tmeta") || die "no $1-pool_tmeta"
	assert_ok $TB vgchange -an "$1" >/dev/null
	assert_ok dmsetup create "$TB_PREFIX-nc" --table "$t" >/dev/null
	python3 - "/dev/mapper/$TB_PREFIX-nc" <<'PY' || die "cannot damage the space map"
import sys, struct, os
fd = os.open(sys.argv[1], os.O_RDWR | os.O_DIRECT)
import mmap
buf = mmap.mmap(-1, 4096)
os.preadv(fd, [buf], 0)
index = struct.unpack('<Q', buf[208:216])[0]
os.preadv(fd, [buf], index * 4096)
buf[3000] ^= 1
os.pwritev(fd, [buf], index * 4096)
os.fsync(fd); os.close(fd)
PY
	out=$(thin_check "/dev/mapper/$TB_PREFIX-nc" 2>&1) && die "thin_check passes the damaged metadata: $out"
	dmsetup remove "$TB_PREFIX-nc"
}

# lvconvert --repair VG/POOL, thinbox and lvm2 side by side on two equal VGs whose pools have
# a damaged space map: the same LVs afterwards, the data intact, the metadata sound.
testcase_pooltruth_repair_like_lvm2() {
	local a=${TB_PREFIX}A b=${TB_PREFIX}B out lout sum la lb
	command -v thin_repair >/dev/null || skip "no thin_repair"
	mkdir -p $TB_TMP
	dd if=/dev/urandom of=$TB_TMP/data bs=1M count=4 status=none
	for vg in $a $b; do
		pt_pool_new $vg
		assert_ok $TB lvcreate -V 64M -T $vg/pool -n t1 >/dev/null
		dd if=$TB_TMP/data of=/dev/mapper/$vg-t1 bs=1M conv=fsync status=none
		pt_damage_space_map $vg
	done
	sum=$(md5sum < $TB_TMP/data)
	assert_fails any $TB vgchange -ay $a >/dev/null # the kernel refuses the damaged metadata
	dmsetup info $a-pool-tpool >/dev/null 2>&1 && die "a failed activation left the pool"
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
