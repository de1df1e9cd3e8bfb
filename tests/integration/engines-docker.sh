# shellcheck shell=bash
# Issue 10: the real Docker engine on a thinbox pool. Debian 12's dockerd 20.10 (the last
# series with the devicemapper graph driver) runs containers on the pool the direct-lvm recipe
# made with thinbox; lvm2, dmsetup and thin_check judge the result. Docker reaches the pool
# only through libdevmapper ioctls (moby daemon/graphdriver/devmapper/deviceset.go,
# pkg/devicemapper/devmapper.go): create_thin / create_snap / delete / set_transaction_id
# messages, thin targets it creates and removes itself.

# the recipe, profile and metadata helpers (recipe, write_profile, links, meta_check)
. "$(dirname "${BASH_SOURCE[0]}")/recipe.sh"

DK_RUN=/run/tbt-docker
DK_SOCK=$DK_RUN/docker.sock
DK_PID=
DK_CTRD=
DK_LOG=

dk() { docker -H "unix://$DK_SOCK" "$@"; }

dk_prereqs() {
	local b
	for b in dockerd docker containerd ctr runc mkfs.xfs thin_check thin_dump; do
		command -v "$b" >/dev/null || skip "$b not installed (scripts/deps.sh test installs docker.io)"
	done
	[ -x /bin/busybox ] && file_is_static /bin/busybox || skip "a static /bin/busybox is needed (busybox-static)"
	grep -qw cgroup2 /proc/filesystems || skip "the kernel has no cgroup2"
	grep -qw xfs /proc/filesystems || skip "the kernel has no xfs (Docker's devicemapper default)"
	# runc needs cgroups: the rig's init mounts none
	if ! grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts; then
		mount -t cgroup2 cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2 on /sys/fs/cgroup"
	fi
}

file_is_static() { ! ldd "$1" >/dev/null 2>&1; }

# A docker-archive (`docker save` format) of one layer: busybox-static and its applet links.
# manifest.json names the config (sha256 of its bytes) and the layer; the config's diff_ids
# hold the layer tar's sha256, which `docker load` verifies.
dk_image() { # OUT.tar NAME:TAG
	local w=$TB_TMP/img r diff cfg a
	r=$w/rootfs
	rm -rf "$w" && mkdir -p "$r/bin" "$r/dev" "$r/proc" "$r/sys" "$r/etc" "$r/tmp" "$w/arch"
	cp /bin/busybox "$r/bin/busybox"
	for a in sh dd sync cat ls df grep awk head wc rm mkdir sleep stat; do ln -s busybox "$r/bin/$a"; done
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$r" -cf "$w/layer.tar" . ||
		die "tar of the image layer"
	diff=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
	printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$diff" >"$w/config.json"
	cfg=$(sha256sum "$w/config.json" | cut -d' ' -f1)
	mkdir -p "$w/arch/$diff"
	mv "$w/layer.tar" "$w/arch/$diff/layer.tar"
	mv "$w/config.json" "$w/arch/$cfg.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cfg" "$2" "$diff" \
		>"$w/arch/manifest.json"
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$w/arch" -cf "$1" . ||
		die "tar of the image archive"
}

# dockerd with the storage options of Docker's direct-lvm guide, its data root on a tmpfs,
# no networking (no bridge, no iptables: the rig has no netfilter modules). The udev sync
# check is overridden: the rig runs no udev, so libdevmapper reports no udev sync support and
# Docker would refuse to start (deviceset.go, initDevmapper); libdevmapper then makes the
# /dev/mapper nodes itself. containerd is started first, by us, and polled until it answers:
# dockerd's own managed containerd must come up within dockerd's fixed 15 s, which a loaded
# TCG guest does not always make.
# usage: dk_start [--config-file FILE | dockerd storage flags...]
dk_start() {
	local i root=$TB_TMP/docker-root
	mkdir -p "$root" "$DK_RUN"
	mountpoint -q "$root" || mount -t tmpfs -o size=256m tmpfs "$root" || die "tmpfs for dockerd"
	DK_LOG=$TB_TMP/dockerd.log
	trap 'dk_stop; tb_teardown' EXIT
	printf 'version = 2\n' >"$TB_TMP/containerd.toml"
	PATH=${DK_PATH:-$PATH} "$(command -v containerd)" --config "$TB_TMP/containerd.toml" \
		--address "$DK_RUN/containerd.sock" --root "$root/containerd" \
		--state "$DK_RUN/containerd" >"$TB_TMP/containerd.log" 2>&1 &
	DK_CTRD=$!
	for i in $(seq 1 600); do
		ctr -a "$DK_RUN/containerd.sock" version >/dev/null 2>&1 && break
		kill -0 "$DK_CTRD" 2>/dev/null || die "containerd exited: $(tail -n 40 "$TB_TMP/containerd.log")"
		sleep 0.5
	done
	ctr -a "$DK_RUN/containerd.sock" version >/dev/null 2>&1 ||
		die "containerd not ready after 300 s: $(tail -n 40 "$TB_TMP/containerd.log")"
	PATH=${DK_PATH:-$PATH} "$(command -v dockerd)" --data-root "$root" --exec-root "$DK_RUN" \
		-H "unix://$DK_SOCK" --containerd "$DK_RUN/containerd.sock" \
		--pidfile "$DK_RUN/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
		--log-level=debug "$@" >"$DK_LOG" 2>&1 &
	DK_PID=$!
	# under TCG dockerd takes a while: poll, bounded
	for i in $(seq 1 600); do
		dk info >/dev/null 2>&1 && return 0
		kill -0 "$DK_PID" 2>/dev/null || die "dockerd exited: $(tail -n 40 "$DK_LOG")"
		sleep 0.5
	done
	die "dockerd not ready after 300 s: $(tail -n 40 "$DK_LOG")"
}

stop_pid() { # PID: TERM, wait (bounded), KILL
	local i
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 1 600); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$1" 2>/dev/null && { kill -KILL "$1"; echo "pid $1 did not stop: killed" >&2; }
	wait "$1" 2>/dev/null
	return 0
}

dk_stop() {
	[ -n "$DK_PID" ] && stop_pid "$DK_PID"
	DK_PID=
	[ -n "$DK_CTRD" ] && stop_pid "$DK_CTRD"
	DK_CTRD=
	umount "$TB_TMP/docker-root" 2>/dev/null
	return 0
}

DK_OPTS=(--storage-driver=devicemapper --storage-opt dm.thinpooldev=/dev/mapper/docker-thinpool
	--storage-opt dm.use_deferred_removal=true --storage-opt dm.override_udev_sync_check=true)

pool_used() { # used data blocks of docker-thinpool, from the kernel's status
	dmsetup status docker-thinpool | awk '{ split($6, a, "/"); print a[1] }'
}
lvm2_data_percent() { lvm_clean lvs --noheadings -o data_percent docker/thinpool | tr -d ' '; }

# After dockerd stopped: no Docker device left, the pool inactive, its metadata clean and
# holding Docker's thin devices; lvm2 finds the VG consistent.
dk_after() { # MIN_DEVICES
	local out i n
	for i in $(seq 1 100); do
		out=$(dmsetup ls | awk '$1 ~ /^docker-[0-9]/ {print $1}')
		[ -z "$out" ] && break
		sleep 0.2
	done
	assert_eq "" "$out" "Docker's thin devices after dockerd stopped"
	assert_ok $TB vgchange -an docker >/dev/null
	out=$($LVM/lvchange -ay -y docker/thinpool_tmeta 2>&1) || die "activate thinpool_tmeta: $out"
	out=$(thin_check /dev/mapper/docker-thinpool_tmeta 2>&1) || die "thin_check after Docker: $out"
	n=$(thin_dump /dev/mapper/docker-thinpool_tmeta | grep -c '<device ')
	[ "$n" -ge "$1" ] || die "thin_dump: $n thin devices in the pool, Docker made at least $1"
	$LVM/lvchange -an docker/thinpool_tmeta >/dev/null 2>&1 || die "deactivate thinpool_tmeta"
	out=$($LVM/vgck --verbose docker 2>&1) || die "vgck after Docker: $out"
	assert_eq "" "$(echo "$out" | grep -iE 'warn|error|fail|invalid' || true)" "vgck warnings"
}

testcase_docker_devicemapper() {
	local disk out before after pb pa img=$TB_TMP/busybox.tar
	dk_prereqs
	disk=$(tb_disk 4G)
	out=$(recipe "$disk" 2>&1) || die "recipe failed: $out"
	dk_image "$img" tbt-busybox:1
	dk_start "${DK_OPTS[@]}"
	out=$(dk info 2>&1)
	assert_match 'Storage Driver: devicemapper' "$out" "docker info"
	assert_match 'Pool Name: docker-thinpool' "$out" "docker info"
	assert_ok dk load -i "$img" >/dev/null
	out=$(assert_ok dk run --rm --network none tbt-busybox:1 sh -c 'grep " / " /proc/mounts')
	assert_match '^/dev/mapper/docker-[0-9]+:[0-9]+-[0-9]+-[0-9a-f]+ / xfs ' "$out" "container root on a thin device"
	before=$(lvm2_data_percent) pb=$(pool_used)
	# 64 MiB written in the container land in the pool (512 KiB chunks: >= 128 blocks)
	out=$(assert_ok dk run --name tbt-writer --network none tbt-busybox:1 \
		sh -c 'dd if=/dev/zero of=/fill bs=1M count=64 conv=fsync 2>&1 && sync && echo written')
	assert_match written "$out" "container's write"
	after=$(lvm2_data_percent) pa=$(pool_used)
	[ $((pa - pb)) -ge 128 ] || die "pool used blocks $pb -> $pa, 64 MiB need 128 more"
	awk -v a="$before" -v b="$after" 'BEGIN { exit !(b > a + 1.5) }' ||
		die "lvm2 Data% $before -> $after, expected over 1.5 points more"
	echo "lvm2 Data%: $before -> $after; pool blocks $pb -> $pa"
	# removing the container deletes its thin device: the blocks return to the pool
	assert_ok dk rm tbt-writer >/dev/null
	[ "$(pool_used)" -lt "$pa" ] || die "pool used blocks after docker rm: $(pool_used), was $pa"
	# Docker keeps its transaction id in the pool (set_transaction_id)
	out=$(dmsetup status docker-thinpool | awk '{print $4}')
	[ "$out" -gt 0 ] || die "pool transaction id $out after Docker's devices"
	dk_stop
	# base device + image layer at least
	dk_after 2
}

# thinbox's monitor grows the pool while a container fills it: a pool of 40% of a 1 GiB VG
# (408 MiB) with the recipe's profile (threshold 80, percent 20), and 450 MiB written in the
# container, more than the pool had when the container started.
testcase_docker_monitor_grows_pool() {
	local disk out size0 size1 img=$TB_TMP/busybox.tar mon
	dk_prereqs
	disk=$(tb_disk 1G)
	write_profile
	assert_ok $TB pvcreate "$disk" >/dev/null
	assert_ok $TB vgcreate docker "$disk" >/dev/null
	assert_ok $TB lvcreate --wipesignatures y -n thinpool docker -l 40%VG >/dev/null
	assert_ok $TB lvcreate --wipesignatures y -n thinpoolmeta docker -l 1%VG >/dev/null
	assert_ok $TB lvconvert -y --zero n -c 512K --thinpool docker/thinpool --poolmetadata docker/thinpoolmeta >/dev/null
	assert_ok $TB lvchange --metadataprofile docker-thinpool docker/thinpool >/dev/null
	size0=$(lvm_clean lvs --noheadings --units m --nosuffix -o lv_size docker/thinpool | tr -d ' ')
	assert_eq 408.00 "$size0" "pool size before"
	$TB monitor --interval 0.5 docker >"$TB_TMP/monitor.log" 2>&1 &
	mon=$!
	trap 'kill -TERM $mon 2>/dev/null; dk_stop; tb_teardown' EXIT
	for i in $(seq 1 100); do
		grep -q started "$TB_TMP/monitor.log" && break
		kill -0 $mon 2>/dev/null || die "monitor exited: $(cat "$TB_TMP/monitor.log")"
		sleep 0.1
	done
	dk_image "$img" tbt-busybox:1
	dk_start "${DK_OPTS[@]}"
	assert_ok dk load -i "$img" >/dev/null
	out=$(assert_ok dk run --rm --network none tbt-busybox:1 \
		sh -c 'dd if=/dev/zero of=/fill bs=1M count=450 conv=fsync 2>&1 && sync && echo written')
	assert_match written "$out" "450 MiB written in the container"
	size1=$(lvm_clean lvs --noheadings --units m --nosuffix -o lv_size docker/thinpool | tr -d ' ')
	echo "pool size $size0 -> $size1 MiB; monitor:"; cat "$TB_TMP/monitor.log"
	awk -v a="$size0" -v b="$size1" 'BEGIN { exit !(b > a) }' || die "pool not grown: $size1 MiB"
	out=$(dmsetup status docker-thinpool)
	assert_match ' rw ' "$out" "pool status after the growth (not out of space, not read-only)"
	dk_stop
	kill -TERM $mon 2>/dev/null; wait $mon 2>/dev/null
	dk_after 2
}

# `thinbox setup docker` writes the daemon.json dockerd then runs with (no storage flags).
testcase_docker_after_setup() {
	local disk out img=$TB_TMP/busybox.tar cfg=$TB_TMP/daemon.json
	dk_prereqs
	disk=$(tb_disk 4G)
	out=$(assert_ok $TB setup docker --config "$cfg" --systemd-dir "$TB_TMP/none" "$disk")
	echo "$out"
	dk_image "$img" tbt-busybox:1
	dk_start --config-file "$cfg"
	out=$(dk info 2>&1)
	assert_match 'Storage Driver: devicemapper' "$out" "docker info"
	assert_match 'Pool Name: docker-thinpool' "$out" "docker info"
	assert_match 'Deferred Removal Enabled: true' "$out" "docker info"
	assert_match 'Deferred Deletion Enabled: true' "$out" "docker info"
	assert_ok dk load -i "$img" >/dev/null
	out=$(assert_ok dk run --rm --network none tbt-busybox:1 sh -c 'echo hello from $(grep " / " /proc/mounts | cut -d" " -f1)')
	assert_match '^hello from /dev/mapper/docker-' "$out" "container on the pool"
	dk_stop
	dk_after 2
}

# Docker's own direct-lvm mode (dm.directlvm_device): dockerd runs the recipe itself
# (moby daemon/graphdriver/devmapper/device_setup.go, setupDirectLVM): pvcreate -f, vgcreate,
# lvcreate --extents 95%VG / 1%VG, lvconvert, its profile in /etc/lvm/profile, lvchange
# --metadataprofile. On its PATH lvm2's names are thinbox and lvm2 itself is absent
# (lvmdiskscan and pvdisplay, which Docker runs only when found, are not there).
testcase_docker_directlvm() {
	local disk out img=$TB_TMP/busybox.tar bin b
	dk_prereqs
	disk=$(tb_disk 4G)
	bin=$(links)
	for b in runc mkfs.xfs thin_check blkid; do ln -sf "$(command -v $b)" "$bin/$b"; done
	rm -f /etc/lvm/profile/docker-thinpool.profile
	dk_image "$img" tbt-busybox:1
	DK_PATH=$bin:/usr/bin dk_start --storage-driver=devicemapper --storage-opt "dm.directlvm_device=$disk" \
		--storage-opt dm.use_deferred_removal=true --storage-opt dm.override_udev_sync_check=true
	out=$(dk info 2>&1)
	assert_match 'Pool Name: docker-thinpool' "$out" "docker info"
	assert_eq "$(printf 'activation{\nthin_pool_autoextend_threshold=80\nthin_pool_autoextend_percent=20\n}')" \
		"$(cat /etc/lvm/profile/docker-thinpool.profile)" "Docker's profile"
	out=$(lvm_clean lvs -a --noheadings -o lv_name,lv_attr,lv_size,chunk_size,lv_profile --units b docker)
	assert_match 'thinpool +twi-a-t--- +4072669184B +524288B +docker-thinpool' "$out" "lvm2 lvs: Docker's recipe through thinbox"
	# thinbox's autoextend policy reads Docker's profile (no space before '{'): under the
	# threshold, nothing to do, no error
	assert_ok $TB lvextend --use-policies docker/thinpool >/dev/null
	assert_ok dk load -i "$img" >/dev/null
	out=$(assert_ok dk run --rm --network none tbt-busybox:1 sh -c 'dd if=/dev/zero of=/f bs=1M count=16 2>/dev/null && echo ok')
	assert_eq ok "$out" "container on Docker's own pool"
	dk_stop
	dk_after 2
}
