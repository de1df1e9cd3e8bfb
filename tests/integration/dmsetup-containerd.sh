# Debian 12's containerd (1.6) with its devmapper snapshotter, on a PATH whose only dmsetup
# is thinbox: the pool made with `dmsetup create` (containerd's docs/snapshotters/
# devmapper.md recipe), an image built here from busybox-static and imported with
# `ctr images import`, a container run with `ctr run --snapshotter devmapper`; then the real
# dmsetup and thin_check judge what containerd left in the pool.

ctd_image() { # DIR -> an OCI archive DIR/image.tar of one layer: a static busybox as /bin/sh
	local d=$1 ld cd md ls cs ms
	mkdir -p "$d/rootfs/bin" "$d/oci/blobs/sha256"
	cp "$(command -v busybox)" "$d/rootfs/bin/busybox" || return 1
	ln -s busybox "$d/rootfs/bin/sh"
	mkdir -p "$d/rootfs/tmp" "$d/rootfs/proc" "$d/rootfs/sys" "$d/rootfs/dev"
	tar -C "$d/rootfs" --owner=0 --group=0 -cf "$d/layer.tar" . || return 1
	ld=$(sha256sum "$d/layer.tar" | cut -d' ' -f1); ls=$(stat -c %s "$d/layer.tar")
	cp "$d/layer.tar" "$d/oci/blobs/sha256/$ld"
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$ld" >"$d/config.json"
	cd=$(sha256sum "$d/config.json" | cut -d' ' -f1); cs=$(stat -c %s "$d/config.json")
	cp "$d/config.json" "$d/oci/blobs/sha256/$cd"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$cd" "$cs" "$ld" "$ls" >"$d/manifest.json"
	md=$(sha256sum "$d/manifest.json" | cut -d' ' -f1); ms=$(stat -c %s "$d/manifest.json")
	cp "$d/manifest.json" "$d/oci/blobs/sha256/$md"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"localhost/tbt-busybox:latest","org.opencontainers.image.ref.name":"latest"}}]}' \
		"$md" "$ms" >"$d/oci/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci/oci-layout"
	tar -C "$d/oci" -cf "$d/image.tar" . || return 1
}

testcase_dmsetup_containerd_runs_a_container() {
	local t c meta data bin root pool=$TB_PREFIX-ctd-pool sock pid out i used0 used1 x
	for t in containerd ctr runc containerd-shim-runc-v2 mkfs.xfs busybox thin_check; do
		command -v "$t" >/dev/null || skip "no $t"
	done
	t=$TB_TMP/ctd && root=$t/var && sock=$t/containerd.sock
	mkdir -p "$t" "$root"
	meta=$(tb_disk 64M) && data=$(tb_disk 3G)
	dd if=/dev/zero of="$meta" bs=4096 count=1 conv=fsync 2>/dev/null
	# containerd finds dmsetup, runc, mkfs.xfs on PATH: this directory holds thinbox as dmsetup
	# and links to the others; /usr/sbin (the real dmsetup) is not on it
	bin=$t/bin
	mkdir -p "$bin"
	ln -s "$TB" "$bin/dmsetup"
	for x in runc mkfs.xfs blkdiscard; do ln -s "$(command -v "$x")" "$bin/$x"; done
	c() { PATH="$bin:/usr/bin:/bin" "$@"; }
	assert_eq "$bin/dmsetup" "$(c sh -c 'command -v dmsetup')" "containerd's dmsetup"
	# the pool, as containerd's docs make it (dmsetup create with a thin-pool table)
	assert_ok c dmsetup create "$pool" --table \
		"0 $(( $(blockdev --getsize64 "$data") / 512 )) thin-pool $meta $data 128 32768 1 skip_block_zeroing" >/dev/null
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || skip "no cgroup2"
	cat >"$t/config.toml" <<EOF
version = 2
root = "$root/root"
state = "$root/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[plugins]
  [plugins."io.containerd.snapshotter.v1.devmapper"]
    pool_name = "$pool"
    root_path = "$root/devmapper"
    base_image_size = "512MB"
    fs_type = "xfs"
EOF
	c containerd --config "$t/config.toml" >"$t/containerd.log" 2>&1 &
	pid=$!
	for i in $(seq 1 240); do
		c ctr --address "$sock" version >/dev/null 2>&1 && break
		kill -0 $pid 2>/dev/null || die "containerd exited: $(tail -n 20 "$t/containerd.log")"
		sleep 0.5
	done
	out=$(c ctr --address "$sock" plugins ls 2>&1)
	printf '%s\n' "$out" | grep -E 'io\.containerd\.snapshotter\.v1 +devmapper .* ok' >/dev/null ||
		{ kill $pid; die "devmapper snapshotter not ok: $out $(grep -i devmapper "$t/containerd.log" | tail -n 5)"; }
	# NewPoolDevice logged the output of `dmsetup version`: thinbox's
	grep -q 'thinbox' "$t/containerd.log" || { kill $pid; die "containerd did not run thinbox as dmsetup"; }
	ctd_image "$t/img" || { kill $pid; die "building the image"; }
	out=$(c ctr --address "$sock" images import --snapshotter devmapper "$t/img/image.tar" 2>&1) ||
		{ kill $pid; die "ctr images import: $out"; }
	# a container that runs and exits (its snapshot removed afterwards, as containerd pleases)
	out=$(c ctr --address "$sock" run --rm --snapshotter devmapper localhost/tbt-busybox:latest tbt-c1 \
		/bin/sh -c 'echo hello from devmapper; /bin/busybox wc -c </bin/busybox' 2>&1) ||
		{ kill $pid; die "ctr run: $out $(tail -n 20 "$t/containerd.log")"; }
	assert_match "^hello from devmapper$" "$(echo "$out" | head -n1)" "container output"
	assert_eq "$(stat -c %s "$(command -v busybox)")" "$(echo "$out" | tail -n1)" "image content"
	# a container that writes 16 MiB and stays up: its thin device is active and holds them
	used0=$("$DMS_REAL" status "$pool" | awk '{split($6, a, "/"); print a[1]}')
	out=$(c ctr --address "$sock" run -d --log-uri "file://$t/c2.log" --snapshotter devmapper \
		localhost/tbt-busybox:latest tbt-c2 /bin/sh -c \
		'/bin/busybox dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null; /bin/busybox sync; /bin/busybox wc -c </tmp/data; /bin/busybox sleep 600' 2>&1) ||
		{ kill $pid; die "ctr run -d: $out $(tail -n 20 "$t/containerd.log")"; }
	for i in $(seq 1 240); do grep -q . "$t/c2.log" 2>/dev/null && break; sleep 0.5; done
	assert_match "^16777216$" "$(head -n1 "$t/c2.log" 2>/dev/null)" "container wrote 16 MiB"
	used1=$("$DMS_REAL" status "$pool" | awk '{split($6, a, "/"); print a[1]}')
	# 16 MiB is 256 blocks of 64 KiB; allow for the first container's few blocks freed meanwhile
	[ $((used1 - used0)) -ge 240 ] || { kill $pid; die "pool data blocks grew $used0 -> $used1, expected about 256 more"; }
	# what containerd made, seen by the real dmsetup: the container's thin device, open
	out=$("$DMS_REAL" ls --target thin)
	assert_match "^$pool-snap-[0-9]+" "$out" "containerd's thin device"
	x=
	for i in $(echo "$out" | awk '{print $1}'); do
		[ "$("$DMS_REAL" info -c --noheadings -o open "$i")" -ge 1 ] && x=$i
	done
	[ -n "$x" ] || { kill $pid; die "none of containerd's thin devices is open (mounted): $out"; }
	assert_match "^thin-pool$" "$("$DMS_REAL" table "$pool" | awk '{print $3}')" "pool table"
	assert_match "^0 [0-9]+ thin 253:[0-9]+ [0-9]+$" "$("$DMS_REAL" table "$x")" "table of $x"
	c ctr --address "$sock" task kill -s SIGKILL tbt-c2 >/dev/null 2>&1
	for i in $(seq 1 120); do
		c ctr --address "$sock" task ls 2>/dev/null | grep -q 'tbt-c2.*RUNNING' || break
		sleep 0.5
	done
	c ctr --address "$sock" task rm tbt-c2 >/dev/null 2>&1
	assert_ok c ctr --address "$sock" containers rm tbt-c2 >/dev/null
	# the image's snapshot stays (containerd keeps committed layers as thin devices)
	out=$(c ctr --address "$sock" snapshots --snapshotter devmapper ls 2>&1)
	assert_match "Committed" "$out" "committed image layer"
	kill $pid
	for i in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
	kill -0 $pid 2>/dev/null && { kill -9 $pid; die "containerd did not stop"; }
	# deactivate what is left with the real dmsetup (a device containerd removed deferred may
	# vanish on its own meanwhile); the metadata must check clean and hold the image layer
	for x in $("$DMS_REAL" ls | awk '{print $1}' | grep "^$pool-" | sort -r); do
		"$DMS_REAL" remove "$x" >/dev/null 2>&1 || ! "$DMS_REAL" info "$x" >/dev/null 2>&1 ||
			die "cannot remove containerd's $x"
	done
	assert_ok "$DMS_REAL" remove "$pool" >/dev/null
	assert_ok thin_check "$meta" >/dev/null
	thin_dump "$meta" | grep -q '<device dev_id=' || die "no thin device left for the image layer"
	return 0
}

DMS_REAL=/usr/sbin/dmsetup
