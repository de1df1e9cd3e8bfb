#!/bin/bash
# Measure what lvm2 2.03.16 does for thin pools with striped data (Incus createDefaultThinPool
# --stripes/--stripesize, lvcreate --type thin-pool -i/-I, -T -i, lvextend -i/-I of a striped
# pool): run in the VM rig,
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-stripedpool-lvm2.sh
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
for i in 1 2 3 4; do truncate -s 256M /tmp/m/d$i; done
D1=$(losetup -f --show /tmp/m/d1); D2=$(losetup -f --show /tmp/m/d2); D3=$(losetup -f --show /tmp/m/d3); D4=$(losetup -f --show /tmp/m/d4)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
F=lv_name,lv_attr,lv_size,segtype,stripes,stripe_size,chunk_size,seg_start_pe,seg_size,devices,seg_pe_ranges
rep() { x $L lvs -a --segments --units b --nosuffix -o $F "$1"; x $L lvs -a -o+stripes,stripesize,devices "$1"; }
back() { x $L vgcfgbackup -f /tmp/m/b "$1"; sed -n '/logical_volumes/,$p' /tmp/m/b; }
fresh() { $L vgremove -ff -y mvg >/dev/null 2>&1; $L vgcreate -q mvg "$@" >/dev/null; echo "## fresh VG mvg on $*"; }
x $L pvcreate -q $D1 $D2 $D3 $D4
# 1: Incus createDefaultThinPool, 100%FREE, 3 stripes of 64 KiB given in bytes
fresh $D1 $D2 $D3
x $L lvcreate --yes --wipesignatures y --thinpool mvg/IncusThinPool --extents 100%FREE --stripes 3 --stripesize 65536b
rep mvg; back mvg; x dmsetup table; x $L vgs -o vg_free_count,vg_extent_count mvg
# thin LV in it, data
x $L lvcreate -n t1 -V 64m -T mvg/IncusThinPool
x dmsetup table
x $L lvextend -l +100%FREE mvg/IncusThinPool
# 2: Incus with --size, --stripes 2, no stripe size, poolmetadatasize
fresh $D1 $D2 $D3
x $L lvcreate --yes --wipesignatures y --thinpool mvg/IncusThinPool --poolmetadatasize 8388608b --size 104857600b --stripes 2
rep mvg; back mvg; x dmsetup table
# lvextend of the striped pool: keeps stripes; -i/-I given same/different; more than PVs
x $L lvextend -L +20m mvg/IncusThinPool
rep mvg
x $L lvextend -i 2 -L +8m mvg/IncusThinPool
x $L lvextend -i 3 -L +12m mvg/IncusThinPool
rep mvg
x $L lvextend -i 2 -I 128k -L +8m mvg/IncusThinPool
x $L lvextend -I 128k -L +8m mvg/IncusThinPool
x $L lvextend -i 4 -L +8m mvg/IncusThinPool
x $L lvextend -i 1 -L +4m mvg/IncusThinPool
rep mvg; back mvg; x dmsetup table
x $L lvextend -l +100%FREE mvg/IncusThinPool
rep mvg; x $L vgs -o vg_free_count mvg
# 3: lvcreate --type thin-pool -i -I, odd size, chunk
fresh $D1 $D2 $D3
x $L lvcreate --type thin-pool -i 2 -I 64 -L 100m -n p1 mvg
x $L lvcreate --type thin-pool -i 3 -I 128 -L 50m -n p2 mvg
x $L lvcreate -T mvg/p3 -i 3 -L 40m
x $L lvcreate -T -i 2 -L 40m -V 20m -n thin3 mvg/p4
x $L lvcreate -i 2 -L 40m -T mvg/p5 -c 256k
x $L lvcreate -i 2 -I 512 -L 40m -T mvg/p6
rep mvg; back mvg; x dmsetup table
# TopoLVM ThinPool.CreateVolume passes -i/-I to a thin LV
x $L lvcreate -T mvg/p1 -n tv -V 33554432b -W y -y -i 2 -I 64k
x $L lvs -a -o lv_name,segtype,stripes,stripe_size mvg/tv
# refusals
x $L lvcreate --type thin-pool -i 4 -L 40m -n r1 mvg
x $L lvcreate --type thin-pool -i 2 -L 40m -n r2 mvg $D1
x $L lvcreate --type thin-pool -i 2 -L 4g -n r3 mvg
x $L lvcreate --type thin-pool -i 2 -I 3 -L 40m -n r4 mvg
x $L lvcreate --type thin-pool -i 2 -I 8m -L 40m -n r5 mvg
x $L vgs -o vg_seqno mvg
# 4: 100%FREE with unequal free space, 4 PVs, 2 stripes; and 100%VG/50%FREE
fresh $D1 $D2 $D3 $D4
x $L lvcreate -n fill -l 7 mvg $D1
x $L lvcreate --type thin-pool -i 3 -l 100%FREE -n pf mvg
rep mvg; x $L vgs -o vg_free_count mvg
fresh $D1 $D2 $D3
x $L lvcreate --type thin-pool -i 2 -l 50%FREE -n ph mvg
x $L lvcreate --type thin-pool -i 2 -l 37%VG -n pv mvg
rep mvg; back mvg; x $L vgs -o vg_free_count mvg
fresh $D1 $D2
x $L lvcreate --type thin-pool -i 2 -l 100%FREE -n pp mvg
rep mvg; x $L vgs -o vg_free_count mvg
# striped thick LV lvextend with -i/-I (TopoLVM passes -i -I at lvcreate; lvresize -L)
fresh $D1 $D2 $D3
x $L lvcreate -n s -L 16m -i 2 -W y -y mvg
x $L lvextend -i 3 -L +12m mvg/s
x $L lvextend -i 2 -I 128k -L +8m mvg/s
x $L lvresize -L 67108864b mvg/s
x $L lvs -a --segments -o $F mvg
# data through a thin LV of a striped pool
fresh $D1 $D2 $D3
x $L lvcreate --type thin-pool -i 3 -L 60m -n p mvg
x $L lvcreate -n t -V 40m -T mvg/p
head -c 16777216 /dev/urandom > /tmp/m/data; dd if=/tmp/m/data of=/dev/mvg/t bs=1M oflag=direct status=none
x $L vgchange -an mvg; x $L vgchange -ay mvg
cmp -n 16777216 /tmp/m/data /dev/mvg/t && echo DATA-SAME
x dmsetup table
x $L lvchange -an mvg/t; x $L lvchange -an mvg/p
x thin_check /dev/mapper/mvg-p_tmeta 2>&1 || true
x $L lvchange -ay mvg/p_tmeta -y
x $L vgremove -ff mvg
