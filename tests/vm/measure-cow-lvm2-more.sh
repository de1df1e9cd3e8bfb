#!/bin/bash
# Measure the COW snapshot steps docs/cow-snapshots.md listed as "Not measured yet", on a VG
# that keeps its origin: run in the VM rig,
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-cow-lvm2-more.sh
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
truncate -s 256M /tmp/m/d1; D=$(losetup -f --show /tmp/m/d1)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
T() { echo "### dmsetup table"; dmsetup table | sort; dmsetup info -c --noheadings -o name,uuid,attr,open | sort; }
x $L pvcreate $D; x $L vgcreate mvg $D
x $L lvcreate -n lv -L 40m mvg
x $L lvcreate -s -n s1 -L 8m mvg/lv
x $L lvcreate -s -n s2 -l 2 -c 8k mvg/lv
x $L lvcreate -s -n s3 -l 50%ORIGIN mvg/lv
x $L lvcreate -n s4 -s /dev/mvg/lv --setactivationskip y -l 100%ORIGIN -pr
x $L lvcreate -s -n s5 -L 1m mvg/lv
x $L lvcreate -s -n s6 -L 5m mvg/lv
x $L lvcreate -s -n s7 -l 200%ORIGIN mvg/lv
x $L lvcreate -s -n s8 -L 100m mvg/lv
x $L vgcfgbackup -f /tmp/m/b1 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b1
T
x $L lvs -a -o lv_name,lv_attr,lv_size,origin,snap_percent,data_percent,chunk_size,origin_size,lv_layout,lv_role,segtype,devices mvg
x $L lvs mvg
x $L lvs --reportformat json -o lv_name,lv_attr,origin,snap_percent,data_percent,lv_size mvg
x $L lvs --units b --nosuffix -o lv_name,lv_size,origin_size,chunk_size,snap_percent,seg_size,seg_size_pe mvg
x $L lvs -o lv_name,lv_attr,lv_active,lv_permissions,lv_skip_activation,lv_snapshot_invalid,lv_merging,lv_health_status mvg
x $L lvextend -L +4m mvg/lv
x $L lvextend -L +4m mvg/s1
x $L lvresize -L 16m mvg/s1
x $L lvconvert --merge mvg/s1
x $L lvrename mvg/s2 s2r
x $L lvrename mvg/lv lvr
x $L lvchange -p rw mvg/s4
x $L lvremove -y mvg/s8
T
x $L lvremove mvg/s2r
x $L lvremove -y mvg/s7
T
x $L vgchange -an mvg; T
x $L vgchange -ay mvg; T
x $L lvs -a -o lv_name,lv_attr mvg
x $L lvchange -ay mvg/s4; T
x $L lvchange -ay -K mvg/s4; T
x $L lvchange -an mvg/s3; T
x $L lvchange -an mvg/lv; T
x $L lvs -a -o lv_name,lv_attr,snap_percent,data_percent mvg
x $L lvchange -ay mvg/s3; T
x $L lvchange -an mvg/s3; T
x $L lvchange -ay mvg/lv; T
x $L lvchange -an mvg/s1; T
x $L lvchange -an mvg/s3; T
x $L lvchange -an mvg/s4; T
x $L lvs -a -o lv_name,lv_attr mvg
x $L lvchange -an mvg/lv; T
x $L lvchange -ay mvg/s1; T
x $L lvremove -y mvg/s1; T
x $L lvremove -y mvg/s3; T
x $L lvremove -y mvg/s4; T
x $L lvs -a -o lv_name,lv_attr,lv_layout,lv_role mvg
x $L vgcfgbackup -f /tmp/m/b2 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b2
x $L lvcreate -s -n t1 -L 8m mvg/lv
x $L lvchange -an mvg/lv; T
x $L lvcreate -s -n t2 -L 8m mvg/lv; T
x $L lvs -a -o lv_name,lv_attr mvg
x $L lvremove mvg/lv; x $L lvremove -f mvg/lv; T
x $L lvcreate -n lv2 -L 8m mvg; x $L lvcreate -s -n t3 -L 4m mvg/lv2
x $L vgchange -an mvg; x $L lvremove mvg/lv2; x $L lvremove -y mvg/lv2
x $L lvs -a mvg
x $L lvcreate -T -L 16m mvg/pool; x $L lvcreate -V 8m -T mvg/pool -n th
x $L lvcreate -s -L 4m -n ts mvg/th
x $L lvs -a -o lv_name,lv_attr,origin,pool_lv mvg
x $L vgchange -an mvg
