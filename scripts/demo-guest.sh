#!/bin/bash
# The demo itself (inside the VM, or on a host with device-mapper). usage: demo-guest.sh BUILD [DISK]
set -euo pipefail
build=$1 disk=${2:-}
export DM_DISABLE_UDEV=1
if [ -z "$disk" ]; then
	img=$(mktemp /tmp/thinbox-demo.XXXXXX)
	truncate -s 4G "$img"
	disk=$(losetup -f --show "$img")
	trap 'losetup -d "$disk"; rm -f "$img"' EXIT
fi
echo "# thinbox demo on $disk (kernel $(uname -r))"
"$build/thinbox" version
# Until the recipe commands land, the demo proves the kernel side with a raw thin pool.
sz=$(( $(blockdev --getsz "$disk") ))
meta=$((8 * 2048))
dmsetup create demo-meta --table "0 $meta linear $disk 0"
dmsetup create demo-data --table "0 $((sz - meta)) linear $disk $meta"
dd if=/dev/zero of=/dev/mapper/demo-meta bs=4096 count=1 conv=fsync 2>/dev/null
dmsetup create demo-pool --table "0 $((sz - meta)) thin-pool /dev/mapper/demo-meta /dev/mapper/demo-data 1024 0 1 skip_block_zeroing"
dmsetup status demo-pool
dmsetup remove demo-pool demo-data demo-meta
