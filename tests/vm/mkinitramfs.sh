#!/bin/bash
# Build the busybox-static initramfs for the VM test rig.
# usage: mkinitramfs.sh KVER OUT.cpio.gz
# The archive holds busybox, the needed kernel modules (in modprobe -D order) and /init.
set -euo pipefail
kver=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mods=(virtio_pci virtio_blk 9p 9pnet_virtio overlay dm-mod dm-thin-pool dm-delay dm-flakey
      dm-zero dm-log-writes dm-raid raid1 loop xfs)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,sbin,proc,sys,dev,host,rw,newroot,mods,out}
cp /bin/busybox "$tmp/bin/busybox"
for a in sh mount umount insmod mkdir cat echo poweroff sleep chroot ls dmesg grep; do
	ln -s busybox "$tmp/bin/$a"
done
: > "$tmp/mods/order"
for m in "${mods[@]}"; do
	modprobe -S "$kver" -D "$m" | while read -r cmd path _; do
		[ "$cmd" = insmod ] || continue
		base=$(basename "$path")
		base=${base%.xz}; base=${base%.zst}
		grep -qx "$base" "$tmp/mods/order" && continue
		case "$path" in
		*.xz) xz -dc "$path" > "$tmp/mods/$base" ;;
		*.zst) zstd -qdc "$path" > "$tmp/mods/$base" ;;
		*) cp "$path" "$tmp/mods/$base" ;;
		esac
		echo "$base" >> "$tmp/mods/order"
	done
done
cp "$here/init" "$tmp/init"
chmod +x "$tmp/init"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
