# shellcheck shell=bash
# Issue 4: the Docker direct-lvm recipe through thinbox, checked against real lvm2 and the
# kernel; cross-use with lvm2; thin volumes, snapshots and XFS; Docker-style pool use; bad
# input that must change nothing.

LVM=/sbin            # lvm2's own binaries (the oracle)
links() { # a directory with lvm2's command names linked to thinbox, for PATH
	local d=$TB_TMP/bin n
	mkdir -p "$d"
	for n in lvm pvcreate pvremove pvs vgcreate vgremove vgs vgchange vgextend vgreduce \
		lvcreate lvremove lvs lvchange lvconvert lvextend lvresize lvrename; do
		ln -sf "$TB" "$d/$n"
	done
	echo "$d"
}

write_profile() {
	mkdir -p /etc/lvm/profile
	printf 'activation {\n\tthin_pool_autoextend_threshold=80\n\tthin_pool_autoextend_percent=20\n}\n' \
		>/etc/lvm/profile/docker-thinpool.profile
}

# The recipe, typed as the Docker guide gives it, with lvm2's names resolving to thinbox.
recipe() { # DISK
	local bin
	bin=$(links)
	write_profile
	(
		export PATH="$bin:$PATH"
		pvcreate "$1" &&
		vgcreate docker "$1" &&
		lvcreate --wipesignatures y -n thinpool docker -l 95%VG &&
		lvcreate --wipesignatures y -n thinpoolmeta docker -l 1%VG &&
		lvconvert -y --zero n -c 512K --thinpool docker/thinpool --poolmetadata docker/thinpoolmeta &&
		lvchange --metadataprofile docker-thinpool docker/thinpool &&
		lvs -o+seg_monitor
	)
}

# Tables with device numbers replaced by the names of the devices they are (so two runs that
# made the same devices in another order compare equal).
norm_tables() {
	local map
	map=$(dmsetup info -c --noheadings -o major,minor,name --separator ' ' 2>/dev/null |
		awk '{printf "s/ %s:%s / <%s> /g;", $1, $2, $3}')
	for l in $(lsblk -dnro NAME,MAJ:MIN 2>/dev/null | awk '{print $1"="$2}'); do
		map="$map s/ ${l#*=} / <${l%%=*}> /g;"
	done
	dmsetup table 2>/dev/null | grep -E '^docker' | sed -E "$map" | sed 's/ *$//' | sort
}

norm_uuids() { # dm name -> uuid suffix role, ids stripped
	dmsetup info -c --noheadings -o name,uuid --separator ' ' 2>/dev/null | grep '^docker' |
		sed -E 's/ LVM-[A-Za-z0-9]{64}/ LVM-<ids>/' | sort
}

testcase_recipe_verbatim() {
	local disk out a b
	disk=$(tb_disk 4G)
	# as on a real host: activation starts the autoextend monitor, and lvs says so
	out=$(unset THINBOX_NO_MONITOR_START; recipe "$disk" 2>&1) || die "recipe failed: $out"
	echo "$out"
	assert_match 'thinpool docker twi-a-t--- 3\.79g +0\.00 +[0-9.]+ +monitored' "$out" "thinbox lvs after the recipe"
	pkill -TERM -f "$TB monitor"; sleep 1
	[ -b /dev/mapper/docker-thinpool ] || die "/dev/mapper/docker-thinpool is missing"
	[ -L /dev/docker/thinpool ] || die "/dev/docker/thinpool link is missing"
	assert_match '^0 7954432 thin-pool [0-9]+:[0-9]+ [0-9]+:[0-9]+ 1024 1553 1 skip_block_zeroing' \
		"$(dmsetup table docker-thinpool)" "pool table (chunk 512K, -Zn, low water 20% of 7768 blocks)"
	# lvm2 reads what we wrote: no warnings, same structure as its own reference run
	out=$($LVM/vgck --verbose docker 2>&1) || die "vgck: $out"
	assert_eq "" "$(echo "$out" | grep -iE 'warn|error|fail|invalid' || true)" "vgck warnings"
	out=$($LVM/lvs -a --noheadings -o lv_name,lv_attr,lv_size,segtype,chunk_size,seg_pe_ranges,lv_profile \
		--units b docker 2>&1) || die "lvm2 lvs: $out"
	assert_eq "" "$(echo "$out" | grep -iE 'warn' || true)" "lvm2 lvs warnings"
	assert_match '\[lvol0_pmspare\] +ewi------- +41943040B +linear +0B +/dev/[a-z0-9]+:981-990' "$out" "pmspare"
	assert_match 'thinpool +twi-a-t--- +4072669184B +thin-pool +524288B +thinpool_tdata:0-970 +docker-thinpool' "$out" "pool"
	assert_match '\[thinpool_tdata\] +Twi-ao---- +4072669184B +linear +0B +/dev/[a-z0-9]+:0-970' "$out" "tdata"
	assert_match '\[thinpool_tmeta\] +ewi-ao---- +41943040B +linear +0B +/dev/[a-z0-9]+:971-980' "$out" "tmeta"
	out=$($LVM/vgs --noheadings -o vg_attr,vg_size,vg_free,pv_count,lv_count --units b docker 2>&1)
	assert_match 'wz--n- +4290772992B +134217728B +1 +1' "$out" "lvm2 vgs"
	# tables: thinbox's activation vs lvm2's for the same metadata
	assert_ok $TB vgchange -an docker >/dev/null
	assert_eq "" "$(dmsetup ls | grep '^docker' || true)" "devices after thinbox vgchange -an"
	assert_ok $LVM/vgchange -ay --ignoremonitoring docker >/dev/null
	a=$(norm_tables) && b=$(norm_uuids)
	assert_ok $LVM/vgchange -an docker >/dev/null
	assert_ok $TB vgchange -ay docker >/dev/null
	assert_eq "$a" "$(norm_tables)" "dm tables: lvm2 (expected) vs thinbox, same metadata"
	assert_eq "$b" "$(norm_uuids)" "dm names and uuid roles: lvm2 (expected) vs thinbox"
	# a used pool (thin LV + snapshot): -tpool layer, read-only linear public device, thin tables
	assert_ok $TB lvcreate -V 1G -T docker/thinpool -n thin1 >/dev/null
	assert_ok $TB lvcreate -s docker/thin1 -n snap1 >/dev/null
	assert_ok $TB vgchange -an docker >/dev/null
	assert_ok $LVM/vgchange -ay --ignoremonitoring docker >/dev/null
	a=$(norm_tables) && b=$(norm_uuids)
	assert_match 'docker-thinpool: 0 7954432 linear <docker-thinpool-tpool> 0' "$a" "lvm2's public pool layer"
	assert_ok $LVM/vgchange -an docker >/dev/null
	assert_ok $TB vgchange -ay docker >/dev/null
	assert_eq "$a" "$(norm_tables)" "used pool tables: lvm2 (expected) vs thinbox"
	assert_eq "$b" "$(norm_uuids)" "used pool names and uuid roles: lvm2 (expected) vs thinbox"
	assert_eq "L--r" "$(dmsetup info -c --noheadings -o attr docker-thinpool | tr -d ' ')" "public pool device read-only"
	assert_ok $TB vgchange -an docker >/dev/null
	meta_check docker thinpool
}

# Data written through a thin LV reads back identically.
write_pattern() { # DEV SEED MiB
	openssl enc -aes-128-ctr -pass pass:"$2" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
		head -c $(($3 * 1048576)) | dd of="$1" bs=1M oflag=direct status=none
}
check_pattern() { # DEV SEED MiB
	local a b
	a=$(openssl enc -aes-128-ctr -pass pass:"$2" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
		head -c $(($3 * 1048576)) | md5sum)
	b=$(head -c $(($3 * 1048576)) "$1" | md5sum)
	assert_eq "$a" "$b" "data read back from $1"
}

meta_check() { # VG POOL: thin_check the metadata of an inactive pool through lvm2's component activation
	local vg=$1 pool=$2 out
	out=$($LVM/lvchange -ay -y "$vg/${pool}_tmeta" 2>&1) || die "activate ${pool}_tmeta: $out"
	out=$(thin_check "/dev/mapper/$vg-${pool}_tmeta" 2>&1) || die "thin_check $vg/$pool: $out"
	$LVM/lvchange -an "$vg/${pool}_tmeta" >/dev/null 2>&1 || die "deactivate ${pool}_tmeta"
}

testcase_cross_use() {
	local d1 d2 out
	command -v openssl >/dev/null || skip "openssl needed for data patterns"
	d1=$(tb_disk 1G) && d2=$(tb_disk 1G)
	# a thinbox pool, used by lvm2
	assert_ok $TB pvcreate "$d1" >/dev/null
	assert_ok $TB vgcreate tbtA "$d1" >/dev/null
	assert_ok $TB lvcreate -n pool -l 60%VG tbtA >/dev/null
	assert_ok $TB lvcreate -n meta -L 8M tbtA >/dev/null
	assert_ok $TB lvconvert -y --thinpool tbtA/pool --poolmetadata tbtA/meta >/dev/null
	assert_ok $TB lvcreate -V 200M -T tbtA/pool -n t1 >/dev/null
	write_pattern /dev/mapper/tbtA-t1 one 50
	assert_ok $TB vgchange -an tbtA >/dev/null
	meta_check tbtA pool
	assert_ok $LVM/vgchange -ay --ignoremonitoring tbtA >/dev/null
	check_pattern /dev/mapper/tbtA-t1 one 50
	assert_ok $LVM/lvextend -L +32M tbtA/pool >/dev/null
	assert_ok $LVM/lvcreate -V 100M -T tbtA/pool -n t2 --ignoremonitoring >/dev/null
	write_pattern /dev/mapper/tbtA-t2 two 20
	assert_ok $LVM/vgchange -an tbtA >/dev/null
	meta_check tbtA pool
	assert_ok $TB vgchange -ay tbtA >/dev/null
	check_pattern /dev/mapper/tbtA-t1 one 50
	check_pattern /dev/mapper/tbtA-t2 two 20
	out=$($TB lvs --noheadings -o lv_name,thin_id,transaction_id tbtA)
	assert_match 't2 +2 +1' "$out" "lvm2's thin LV as thinbox sees it"
	assert_ok $TB vgchange -an tbtA >/dev/null
	# an lvm2 pool, used by thinbox
	assert_ok $LVM/pvcreate "$d2" >/dev/null
	assert_ok $LVM/vgcreate tbtB "$d2" >/dev/null
	assert_ok $LVM/lvcreate --type thin-pool -L 300M -n pool tbtB --ignoremonitoring >/dev/null
	assert_ok $LVM/lvcreate -V 100M -T tbtB/pool -n l1 --ignoremonitoring >/dev/null
	write_pattern /dev/mapper/tbtB-l1 three 30
	assert_ok $LVM/vgchange -an tbtB >/dev/null
	assert_ok $TB vgchange -ay tbtB >/dev/null
	check_pattern /dev/mapper/tbtB-l1 three 30
	assert_ok $TB lvextend -L +64M tbtB/pool >/dev/null
	assert_ok $TB lvcreate -V 64M -T tbtB/pool -n l2 >/dev/null
	write_pattern /dev/mapper/tbtB-l2 four 10
	assert_ok $TB lvremove tbtB/l2 >/dev/null
	assert_ok $TB vgchange -an tbtB >/dev/null
	meta_check tbtB pool
	out=$($LVM/vgck --verbose tbtB 2>&1) || die "vgck after thinbox: $out"
	assert_ok $LVM/vgchange -ay --ignoremonitoring tbtB >/dev/null
	check_pattern /dev/mapper/tbtB-l1 three 30
	out=$($LVM/lvs --noheadings -o lv_name,lv_size --units m tbtB/pool 2>&1)
	assert_match 'pool +364\.00m' "$out" "lvm2 sees thinbox's lvextend"
	assert_ok $LVM/vgchange -an tbtB >/dev/null
}

testcase_thin_snapshot_xfs() {
	local d mnt
	d=$(tb_disk 2G)
	assert_ok $TB vgcreate tbtC "$d" >/dev/null
	assert_ok $TB lvcreate --type thin-pool -L 1G -n pool tbtC >/dev/null
	assert_ok $TB lvcreate -V 512M -T tbtC/pool -n vol >/dev/null
	assert_ok mkfs.xfs -q /dev/tbtC/vol >/dev/null
	mnt=$(mktemp -d)
	assert_ok mount /dev/tbtC/vol "$mnt" >/dev/null
	echo before >"$mnt/file"
	sync
	assert_ok $TB lvcreate -s tbtC/vol -n snap >/dev/null
	echo after >"$mnt/file"
	sync
	# a thin snapshot is flagged activation-skip (lv_attr[9] 'k', as lvm2 2.03.16 makes it) and
	# is not activated by lvcreate; -ay skips it, in lvm2 as in thinbox; -K activates it
	out=$(lvm_clean lvs --noheadings -o lv_attr tbtC/snap)
	assert_match '^ *V[^ ]{8}k$' "$out" "lvm2 reads thinbox's thin snapshot attr"
	[ ! -e /dev/mapper/tbtC-snap ] || die "lvcreate -s activated the snapshot"
	assert_ok $TB lvchange -ay tbtC/snap >/dev/null
	[ ! -e /dev/mapper/tbtC-snap ] || die "thinbox lvchange -ay ignored the activation-skip flag"
	assert_ok "$LVM2_BIN" lvchange -ay tbtC/snap >/dev/null
	[ ! -e /dev/mapper/tbtC-snap ] || die "lvm2 lvchange -ay activated the snapshot"
	assert_ok $TB lvchange -ay -K tbtC/snap >/dev/null
	[ -b /dev/mapper/tbtC-snap ] || die "lvchange -ay -K did not activate the snapshot"
	mkdir -p "$mnt.s"
	assert_ok mount -o ro,nouuid /dev/tbtC/snap "$mnt.s" >/dev/null
	assert_eq before "$(cat "$mnt.s/file")" "snapshot content"
	assert_eq after "$(cat "$mnt/file")" "origin content"
	umount "$mnt.s"
	# removing an open LV is refused and changes nothing
	assert_fails any $TB lvremove tbtC/vol >/dev/null
	[ -b /dev/mapper/tbtC-vol ] || die "vol vanished after a refused lvremove"
	umount "$mnt"
	assert_ok $TB lvremove tbtC/snap >/dev/null
	assert_ok $TB lvremove tbtC/vol >/dev/null
	out=$($TB lvs --noheadings -o lv_name,transaction_id tbtC/pool)
	assert_match 'pool +4' "$out" "pool transaction id after 2 creates and 2 deletes"
	assert_ok $TB vgchange -an tbtC >/dev/null
	meta_check tbtC pool
	assert_ok $TB lvremove tbtC/pool >/dev/null
	assert_ok $TB vgremove tbtC >/dev/null
}

# Docker's devmapper driver talks to the pool directly: create_thin and set_transaction_id.
testcase_docker_style() {
	local d st out tid
	d=$(tb_disk 4G)
	recipe "$d" >/dev/null 2>&1 || die "recipe"
	assert_ok dmsetup message docker-thinpool 0 "create_thin 1" >/dev/null
	assert_ok dmsetup message docker-thinpool 0 "set_transaction_id 0 1" >/dev/null
	assert_ok dmsetup create tbt-docker-1 --table "0 2097152 thin /dev/mapper/docker-thinpool 1" >/dev/null
	dd if=/dev/zero of=/dev/mapper/tbt-docker-1 bs=1M count=64 oflag=direct status=none
	out=$($TB lvs --noheadings -o lv_name,data_percent docker)
	assert_match 'thinpool +[1-9]' "$out" "Data% moves with Docker's writes"
	# thinbox leaves a pool an outside user manages alone, but still resizes it
	out=$(assert_fails any $TB lvcreate -V 100M -T docker/thinpool -n mine)
	assert_match 'transaction_id is 1, while expected 0' "$out" "refusal names the transaction ids"
	assert_ok $TB lvextend -l +10 docker/thinpool >/dev/null
	st=$(dmsetup status docker-thinpool)
	tid=$(echo "$st" | awk '{print $4}')
	assert_eq 1 "$tid" "kernel transaction id untouched"
	assert_match "^0 $(( (971 + 10) * 8192 )) thin-pool" "$st" "pool grown while in use"
	dmsetup remove tbt-docker-1
}

# Snapshot of everything a refused command must not change.
state() { # DISK...
	local d
	for d in "$@"; do head -c 2097152 "$d" | md5sum; done
	dmsetup table 2>/dev/null | sort
	ls -l /dev/mapper /dev/docker 2>/dev/null | awk '{print $NF}'
}

refused() { # what command... : must fail with a message and leave $disk's state alone
	local what=$1 before after out rc; shift
	before=$(state "$disk")
	out=$("$@" 2>&1); rc=$?
	after=$(state "$disk")
	[ $rc != 0 ] || die "$what: '$*' succeeded: $out"
	[ -n "$out" ] || die "$what: '$*' failed without a message"
	[ "$before" = "$after" ] || die "$what: '$*' changed disk or kernel state"
	echo "ok: $what -> $out"
}

testcase_bad_input() {
	local disk mnt
	disk=$(tb_disk 4G)
	recipe "$disk" >/dev/null 2>&1 || die "recipe"
	refused "unknown option" $TB lvcreate --bogus -L 1G docker
	refused "no such VG" $TB lvcreate -L 10M -n x nosuchvg
	refused "no such LV" $TB lvremove docker/nosuch
	refused "name collision" $TB lvcreate -L 8M -n thinpool docker
	refused "reserved name" $TB lvcreate -L 8M -n foo_tmeta docker
	refused "bad name" $TB lvcreate -L 8M -n 'a b' docker
	refused "too big" $TB lvcreate -L 100G -n big docker
	refused "same LV twice" $TB lvconvert -y --thinpool docker/thinpool --poolmetadata docker/thinpool
	assert_ok $TB lvcreate -L 8M -n spare8 docker >/dev/null
	refused "already a pool" $TB lvconvert -y --thinpool docker/thinpool --poolmetadata docker/spare8
	assert_ok $TB lvcreate -L 8M -n spare9 docker >/dev/null
	refused "convert without -y" $TB lvconvert --thinpool docker/spare8 --poolmetadata docker/spare9
	refused "vg name taken" $TB vgcreate docker "$disk"
	refused "pv in a VG" $TB pvcreate "$disk"
	refused "bad extent size" $TB vgcreate -s 7k tbtbad "$disk"
	refused "no such pool" $TB lvcreate -V 1G -T docker/nopool -n t
	# a metadata LV below the kernel minimum (2 MiB), in a VG with 1 MiB extents
	local d2
	d2=$(tb_disk 256M)
	assert_ok $TB vgcreate -s 1m tbtS "$d2" >/dev/null
	assert_ok $TB lvcreate -n data -L 64M tbtS >/dev/null
	assert_ok $TB lvcreate -n meta -L 1M tbtS >/dev/null
	disk=$d2 refused "small metadata" $TB lvconvert -y --thinpool tbtS/data --poolmetadata tbtS/meta
	# a mounted thin LV cannot be removed, deactivated or its VG deactivated
	assert_ok $TB lvcreate -V 512M -T docker/thinpool -n busy >/dev/null
	assert_ok mkfs.xfs -q /dev/docker/busy >/dev/null
	mnt=$(mktemp -d)
	assert_ok mount /dev/docker/busy "$mnt" >/dev/null
	refused "open LV remove" $TB lvremove docker/busy
	refused "open LV deactivate" $TB lvchange -an docker/busy
	refused "mounted device pvcreate" $TB pvcreate /dev/mapper/docker-busy
	umount "$mnt"
	# not root
	if command -v setpriv >/dev/null; then
		refused "non-root" setpriv --reuid 65534 --regid 65534 --clear-groups $TB lvcreate -L 8M -n x docker
	fi
}
