#!/bin/bash
# The demo itself: the classic Docker direct-lvm recipe, verbatim, through lvm2's command
# names linked to thinbox (no lvm2 involved), then a thin LV with XFS and data, and lvs.
# Runs inside the VM, or on a host with device-mapper. usage: demo-guest.sh BUILD [DISK]
set -euo pipefail
build=$(cd "$1" && pwd) disk=${2:-}
export DM_DISABLE_UDEV=1
if [ -z "$disk" ]; then
	img=$(mktemp /tmp/thinbox-demo.XXXXXX)
	truncate -s 4G "$img"
	disk=$(losetup -f --show "$img")
	trap 'losetup -d "$disk"; rm -f "$img"' EXIT
fi
# lvm2's names, linked to our binary, first on PATH: the recipe below runs without lvm2.
bin=$(mktemp -d /tmp/thinbox-bin.XXXXXX)
for n in lvm pvcreate pvs vgcreate vgs vgchange lvcreate lvs lvchange lvconvert lvextend \
	lvremove vgremove; do
	ln -s "$build/thinbox" "$bin/$n"
done
export PATH="$bin:$PATH"
etc=${LVM_SYSTEM_DIR:-/etc/lvm}
run() { echo "# $*"; "$@"; }

echo "# thinbox $("$build/thinbox" version) on $disk, kernel $(uname -r)"
run pvcreate "$disk"
run vgcreate docker "$disk"
run lvcreate --wipesignatures y -n thinpool docker -l 95%VG
run lvcreate --wipesignatures y -n thinpoolmeta docker -l 1%VG
run lvconvert -y --zero n -c 512K --thinpool docker/thinpool --poolmetadata docker/thinpoolmeta
mkdir -p "$etc/profile"
cat >"$etc/profile/docker-thinpool.profile" <<'EOF'
activation {
	thin_pool_autoextend_threshold=80
	thin_pool_autoextend_percent=20
}
EOF
run lvchange --metadataprofile docker-thinpool docker/thinpool
run lvs -o+seg_monitor
echo "# /dev/mapper/docker-thinpool is the pool Docker's dm.thinpooldev opens:"
dmsetup table docker-thinpool
# beyond the recipe: a thin LV with a filesystem and data, and Data% growing
run lvcreate -V 1G -T docker/thinpool -n demo
run mkfs.xfs -q /dev/docker/demo
mnt=$(mktemp -d)
mount /dev/docker/demo "$mnt"
dd if=/dev/urandom of="$mnt/data" bs=1M count=200 status=none
sync
run lvs -a -o+seg_monitor
umount "$mnt"
run lvchange -an docker/demo
run vgchange -an docker
# activation started the autoextend monitor (as lvm2 starts dmeventd); the demo stops its own
pkill -TERM -f "$build/thinbox monitor" 2>/dev/null || true
echo "# demo done"
