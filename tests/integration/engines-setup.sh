# shellcheck shell=bash
# Issue 10: `thinbox setup docker|containerd DEVICE...` — the direct-lvm recipe in one
# command, the engine's configuration merged. Judged by lvm2 (vgck, lvs), dmsetup, the
# engines' own parsers (python3's json for daemon.json, `containerd config dump`), and the
# disk images' checksums (a second run and a refusal must not write a byte).

su_env() {
	export LVM_SYSTEM_DIR=$TB_TMP/lvm THINBOX_RUN_DIR=$TB_TMP/run
	mkdir -p "$LVM_SYSTEM_DIR" "$THINBOX_RUN_DIR" "$TB_TMP/systemd" "$TB_TMP/etc"
	: >"$LVM_SYSTEM_DIR/lvm.conf"
}

backing() { losetup -n -O BACK-FILE "$1" | sed 's/ *$//'; }
# The disk as the loop driver writes it (its backing file): every data extent, where it is and
# what it holds (SEEK_DATA/SEEK_HOLE; holes read as zeros, so this is the whole image without
# reading gigabytes of holes under TCG).
disk_sum() {
	local f
	f=$(backing "$1")
	[ -f "$f" ] || die "no backing file for $1"
	sync
	python3 - "$f" <<'PY'
import hashlib, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
end, off, h = os.fstat(fd).st_size, 0, hashlib.md5()
while off < end:
    try:
        d = os.lseek(fd, off, os.SEEK_DATA)
    except OSError:
        break
    e = os.lseek(fd, d, os.SEEK_HOLE)
    h.update(b"%d-%d:" % (d, e))
    os.lseek(fd, d, os.SEEK_SET)
    n = e - d
    while n > 0:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            break
        h.update(b)
        n -= len(b)
    off = e
print(h.hexdigest(), end)
PY
}

# What lvm2 and the kernel must see after a setup on one 4 GiB disk: the recipe's pool.
su_check_pool() {
	local out
	out=$($LVM2_BIN vgck --verbose docker 2>&1) || die "vgck after setup: $out"
	assert_eq "" "$(echo "$out" | grep -iE 'warn|error|fail|invalid' || true)" "vgck warnings"
	out=$(lvm_clean lvs -a --noheadings -o lv_name,lv_attr,lv_size,segtype,chunk_size,lv_profile \
		--units b docker)
	assert_match 'thinpool +twi-a-t--- +4072669184B +thin-pool +524288B +docker-thinpool' \
		"$(echo "$out" | grep ' thinpool ')" "lvm2 lvs: the pool"
	assert_match '\[thinpool_tmeta\] +ewi-ao---- +41943040B +linear' "$out" "lvm2 lvs: metadata"
	assert_match '^0 7954432 thin-pool [0-9]+:[0-9]+ [0-9]+:[0-9]+ 1024 1553 1 skip_block_zeroing' \
		"$(dmsetup table docker-thinpool)" "pool table (chunk 512K, -Zn)"
}

testcase_setup_docker_first_and_second_run() {
	local disk out cfg=$TB_TMP/etc/docker/daemon.json unit=$TB_TMP/systemd/thinbox-monitor.service
	local s1 s2 c1 c2 u1 u2 pid i
	su_env
	disk=$(tb_disk 4G)
	mkdir -p "$(dirname "$cfg")"
	printf '{\n  "log-level": "warn",\n  "storage-opts": ["dm.basesize=20G"]\n}\n' >"$cfg"
	# as on a host: the monitor starts (its pidfile under THINBOX_RUN_DIR)
	out=$(unset THINBOX_NO_MONITOR_START; assert_ok $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	echo "$out"
	assert_match 'ready for docker' "$out" "first run"
	assert_match '"storage-driver": "devicemapper"' "$out" "the config is printed"
	pid=$(cat "$THINBOX_RUN_DIR/monitor.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "no monitor running after setup: $out"
	trap 'kill -TERM $pid 2>/dev/null' EXIT
	su_check_pool
	assert_eq "$(printf 'activation {\n\tthin_pool_autoextend_threshold=80\n\tthin_pool_autoextend_percent=20\n}')" \
		"$(cat "$LVM_SYSTEM_DIR/profile/docker-thinpool.profile")" "profile"
	# lvm2 reads the profile the pool names
	out=$(lvm_clean lvs --noheadings -o lv_name,lv_profile docker/thinpool)
	assert_match 'thinpool +docker-thinpool' "$out" "lvm2: the pool's profile"
	# daemon.json: valid JSON, the other keys kept, Docker's guide's options
	out=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["log-level"], d["storage-driver"], " ".join(d["storage-opts"]))' "$cfg") ||
		die "daemon.json is not valid JSON: $(cat "$cfg")"
	assert_match '^warn devicemapper dm.basesize=20G dm.thinpooldev=/dev/mapper/docker-thinpool dm.use_deferred_removal=true dm.use_deferred_deletion=true' \
		"$out" "daemon.json"
	assert_ok python3 -m json.tool "$cfg" >/dev/null
	grep -qx "ExecStart=$(readlink -f "$TB") monitor" "$unit" || die "unit: $(cat "$unit")"
	assert_eq "$unit" "$(readlink "$TB_TMP/systemd/multi-user.target.wants/thinbox-monitor.service")" "enabled"
	# second run: finds everything, the monitor running
	out=$(unset THINBOX_NO_MONITOR_START; assert_ok $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	echo "$out"
	assert_match 'thinbox monitor already runs' "$out" "second run: the monitor"
	assert_match 'already set up for docker; nothing changed' "$out" "second run"
	# the monitor writes its staged extension into the metadata areas when it likes: stopped
	# (bounded wait), the disk is quiet, and a third run must not write a byte
	kill -TERM "$pid"
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && die "monitor $pid did not stop"
	s1=$(disk_sum "$disk") c1=$(md5sum <"$cfg") u1=$(stat -c %Y.%i "$unit")
	out=$(assert_ok $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	assert_match 'already set up for docker; nothing changed' "$out" "third run"
	s2=$(disk_sum "$disk") c2=$(md5sum <"$cfg") u2=$(stat -c %Y.%i "$unit")
	assert_eq "$s1" "$s2" "disk image after the third run"
	assert_eq "$c1" "$c2" "daemon.json after the third run"
	assert_eq "$u1" "$u2" "unit file after the third run"
	su_check_pool
	# a deactivated pool (a reboot): setup activates it, and writes no metadata for it
	assert_ok $TB vgchange -an docker >/dev/null
	s1=$(disk_sum "$disk")
	out=$(assert_ok $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	assert_match 'lvchange -ay docker/thinpool' "$out" "inactive pool activated"
	[ -b /dev/mapper/docker-thinpool ] || die "pool not active after setup"
	assert_ok $TB vgchange -an docker >/dev/null
	assert_eq "$s1" "$(disk_sum "$disk")" "disk image after activation only"
}

# Refusals: nothing written, not a byte; the message says why and what to do.
su_refused() { # WHAT DISK command...
	local what=$1 disk=$2 before after out rc; shift 2
	before=$(disk_sum "$disk")
	out=$("$@" 2>&1); rc=$?
	after=$(disk_sum "$disk")
	[ $rc = 5 ] || die "$what: '$*' exited $rc (expected 5): $out"
	[ "$before" = "$after" ] || die "$what: '$*' changed the disk"
	echo "ok: $what -> $out"
	printf '%s\n' "$out"
}

testcase_setup_refusals() {
	local d1 d2 d3 out mnt before cfg=$TB_TMP/etc/daemon.json
	su_env
	d1=$(tb_disk 1G) d2=$(tb_disk 1G) d3=$(tb_disk 1G)
	# a filesystem: refused without -f
	assert_ok mkfs.xfs -q "$d1" >/dev/null
	out=$(su_refused "xfs signature" "$d1" $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/none" "$d1")
	assert_match 'xfs signature at offset 0; thinbox setup wipes it only with -f' "$out" "message"
	[ ! -e "$cfg" ] || die "config written by a refused setup"
	# mounted: refused even with -f
	mnt=$(mktemp -d)
	assert_ok mount "$d1" "$mnt" >/dev/null
	out=$(su_refused "mounted" "$d1" $TB setup docker -f --config "$cfg" --systemd-dir "$TB_TMP/none" "$d1")
	assert_match 'is in use' "$out" "message"
	umount "$mnt"
	# a PV of another VG (lvm2's): refused with -f too
	assert_ok $LVM2_BIN vgcreate tbtother "$d2" >/dev/null
	out=$(su_refused "PV of another VG" "$d2" $TB setup docker -f --config "$cfg" --systemd-dir "$TB_TMP/none" "$d2")
	assert_match 'physical volume of volume group "tbtother"; thinbox setup takes it only with -ff' "$out" "message"
	# one bad device among good ones: nothing done on the good one either
	out=$(su_refused "good and bad together" "$d3" $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/none" "$d3" "$d2")
	$LVM2_BIN vgs docker >/dev/null 2>&1 && die "VG docker made by a refused setup"
	# dry run on a free disk: says what it would do, writes nothing
	before=$(disk_sum "$d3")
	out=$(assert_ok $TB setup docker --dry-run --config "$cfg" --systemd-dir "$TB_TMP/none" "$d3")
	assert_match '# pvcreate .*dry run: not done' "$out" "dry run pvcreate"
	assert_match 'lvconvert -y --zero n -c 512K --thinpool docker/thinpool --poolmetadata docker/thinpoolmeta +\(dry run' "$out" "dry run lvconvert"
	assert_match 'dry run, nothing changed' "$out" "dry run"
	assert_eq "$before" "$(disk_sum "$d3")" "disk after a dry run"
	[ ! -e "$cfg" ] || die "config written by a dry run"
	[ ! -e "$LVM_SYSTEM_DIR/profile/docker-thinpool.profile" ] || die "profile written by a dry run"
	# the xfs disk with -f: wiped and set up (and the checksum sees it)
	before=$(disk_sum "$d1")
	out=$(assert_ok $TB setup docker -f --config "$cfg" --systemd-dir "$TB_TMP/none" "$d1")
	[ "$before" != "$(disk_sum "$d1")" ] || die "disk_sum did not change after a setup wrote the disk"
	assert_match 'ready for docker' "$out" "forced run"
	assert_eq "" "$(blkid -p -o value -s TYPE "$d1" | grep -v LVM2_member || true)" "xfs wiped"
	lvm_clean vgck docker >/dev/null
	# VG docker exists on d1: another device is refused
	out=$(su_refused "docker VG elsewhere" "$d3" $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/none" "$d3")
	assert_match 'Volume group "docker" already exists, and .* is not one of its physical volumes' "$out" "message"
	# bad engine name, no device: command-line errors
	assert_fails 3 $TB setup podman "$d3" >/dev/null
	assert_fails 3 $TB setup docker >/dev/null
	$TB vgchange -an docker >/dev/null
}

testcase_setup_containerd() {
	local disk out cfg=$TB_TMP/etc/containerd/config.toml c1 s1 sock=$TB_TMP/ctrd.sock i pid
	su_env
	command -v containerd >/dev/null || skip "containerd not installed"
	disk=$(tb_disk 4G)
	mkdir -p "$(dirname "$cfg")"
	# Debian's own config.toml, which setup must extend without losing anything
	[ -f /etc/containerd/config.toml ] && cp /etc/containerd/config.toml "$cfg"
	cp "$cfg" "$cfg.orig" 2>/dev/null || : >"$cfg.orig"
	out=$(assert_ok $TB setup containerd --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	echo "$out"
	assert_match 'ready for containerd' "$out" "first run"
	su_check_pool
	# nothing of the original lost: it is the new file's beginning
	assert_eq "$(cat "$cfg.orig")" "$(head -c "$(stat -c %s "$cfg.orig")" "$cfg")" "original config kept"
	# containerd parses it and sees the snapshotter's settings
	out=$(containerd --config "$cfg" config dump 2>&1) || die "containerd config dump: $out"
	echo "$out" | grep -A8 'io.containerd.snapshotter.v1.devmapper' >"$TB_TMP/dm.toml"
	assert_match 'pool_name = "docker-thinpool"' "$(cat "$TB_TMP/dm.toml")" "dump: pool_name"
	assert_match 'base_image_size = "10GB"' "$(cat "$TB_TMP/dm.toml")" "dump: base_image_size"
	assert_match 'root_path = "/var/lib/containerd/io.containerd.snapshotter.v1.devmapper"' \
		"$(cat "$TB_TMP/dm.toml")" "dump: root_path"
	# second run: nothing written
	s1=$(disk_sum "$disk") c1=$(md5sum <"$cfg")
	out=$(assert_ok $TB setup containerd --config "$cfg" --systemd-dir "$TB_TMP/systemd" "$disk")
	assert_match 'nothing changed' "$out" "second run"
	assert_eq "$s1" "$(disk_sum "$disk")" "disk after the second run"
	assert_eq "$c1" "$(md5sum <"$cfg")" "config after the second run"
	# containerd itself loads the devmapper snapshotter on the pool (it forks dmsetup)
	command -v ctr >/dev/null || return 0
	containerd --config "$cfg" --address "$sock" --root "$TB_TMP/ctrd-root" --state "$TB_TMP/ctrd-state" \
		>"$TB_TMP/containerd.log" 2>&1 &
	pid=$!
	for i in $(seq 1 240); do
		out=$(ctr -a "$sock" plugins ls 2>/dev/null | grep -E 'io\.containerd\.snapshotter\.v1 +devmapper') && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
	done
	kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null
	assert_match 'devmapper +linux/amd64 +ok' "$out" "containerd's devmapper snapshotter on the pool ($(tail -n 20 "$TB_TMP/containerd.log"))"
}
