#!/bin/bash
# Measure what lvm2 does for old-style (COW) snapshots (docs/cow-snapshots.md): run in the VM rig,
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-cow-lvm2.sh
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
truncate -s 256M /tmp/m/d1; D=$(losetup -f --show /tmp/m/d1)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
x $L pvcreate $D; x $L vgcreate mvg $D
x $L lvcreate -n lv -L 40m mvg
head -c 1048576 /dev/urandom > /tmp/m/data; dd if=/tmp/m/data of=/dev/mvg/lv bs=1M oflag=direct status=none
x $L lvcreate --snapshot --name snap --permission r /dev/mvg/lv --size 8388608b
x $L lvs -a -o lv_name,lv_attr,lv_size,origin,snap_percent,data_percent,lv_layout,lv_role,segtype,seg_size,devices,chunk_size,origin_size mvg
x $L lvs --noheadings --nosuffix --units b -o lv_size,origin_size mvg/snap
x $L vgcfgbackup -f /tmp/m/b1 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b1
x dmsetup ls; x dmsetup table; x dmsetup status; x dmsetup info -c -o name,uuid,attr,open,segments
x $L lvcreate -n snap2 -s /dev/mvg/lv --setactivationskip y -l 100%ORIGIN -prw
x $L lvs -a -o lv_name,lv_attr,lv_size,origin,snap_percent mvg
x $L lvcreate -n snap3 -s /dev/mvg/lv --setactivationskip y -l 100%ORIGIN -pr
x $L vgcfgbackup -f /tmp/m/b2 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b2
x dmsetup table; x dmsetup info -c -o name,uuid,attr,open
cmp -n 1048576 /tmp/m/data /dev/mvg/snap && echo SNAPDATA-OK
dd if=/dev/zero of=/dev/mvg/lv bs=1M count=1 oflag=direct status=none
cmp -n 1048576 /tmp/m/data /dev/mvg/snap && echo SNAPDATA-KEPT
x $L lvs -a -o lv_name,lv_attr,snap_percent,data_percent mvg
x $L lvremove mvg/lv </dev/null
x $L lvremove -y mvg/lv < /dev/null
x $L lvextend -L +4m mvg/lv
x $L lvconvert --merge mvg/snap
x $L lvremove -y mvg/snap3
x dmsetup table
x $L vgchange -an mvg; x dmsetup ls; x $L vgchange -ay mvg; x dmsetup table; x dmsetup info -c -o name,uuid
x $L lvchange -an mvg/snap2; x dmsetup table
x $L lvchange -an mvg/lv; x dmsetup ls
x $L lvchange -ay mvg/snap; x dmsetup ls
x $L lvchange -an mvg/snap; x dmsetup ls
x $L lvchange -ay mvg/lv; x dmsetup ls
x $L lvremove -f mvg/lv
x $L vgcfgbackup -f /tmp/m/b3 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b3
# striped
truncate -s 64M /tmp/m/e1 /tmp/m/e2 /tmp/m/e3
E1=$(losetup -f --show /tmp/m/e1); E2=$(losetup -f --show /tmp/m/e2); E3=$(losetup -f --show /tmp/m/e3)
x $L vgcreate svg $E1 $E2 $E3
x $L lvcreate -i 2 -I 8 -L 12m -n s2 svg
x $L lvcreate -i 3 -L 12m -n s3 svg
x $L lvcreate -i 4 -L 12m -n s4 svg
x $L vgcfgbackup -f /tmp/m/s1 svg; sed -n '/logical_volumes/,$p' /tmp/m/s1
x $L vgchange -an mvg svg
