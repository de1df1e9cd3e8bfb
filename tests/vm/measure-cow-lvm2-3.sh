#!/bin/bash
# Measure the rest of lvm2's COW snapshot behaviour (docs/cow-snapshots.md): activation of an
# origin and its snapshots with lvchange -y, creation with an inactive origin, lvextend of an
# inactive origin, the last snapshot's removal, chunk-size refusals. Run in the VM rig:
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-cow-lvm2-3.sh
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
truncate -s 256M /tmp/m/d1; D=$(losetup -f --show /tmp/m/d1)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
T() { echo "### dmsetup table"; dmsetup table | sort; dmsetup info -c --noheadings -o name,attr,open | sort; }
x $L pvcreate $D; x $L vgcreate mvg $D
x $L lvcreate -n lv -L 40m mvg
x $L lvcreate -s -n s1 -L 8m mvg/lv
x $L lvcreate -s -n s2 -L 8m -k y mvg/lv
x $L lvcreate -s -n s3 -L 8m mvg/nolv
x $L lvchange -an mvg/lv; T
x $L lvs -a -o lv_name,lv_attr,snap_percent,data_percent,lv_active mvg
x $L lvchange -ay mvg/lv; T
x $L lvchange -an -y mvg/s1; T
x $L lvchange -ay -y mvg/s2; T
x $L lvchange -an mvg/lv
x $L lvcreate -s -n s4 -L 8m mvg/lv; T
x $L lvs -a -o lv_name,lv_attr mvg
x $L lvextend -L +4m mvg/lv
x $L lvremove -y mvg/s4; T
x $L lvchange -ay mvg/lv; T
x $L lvcreate -s -n s5 -L 8m -an mvg/lv; T
x $L lvremove -y mvg/s1; T
x $L lvremove -y mvg/s2; T
x $L lvremove -y mvg/s5; T
x $L lvs -a -o lv_name,lv_attr,lv_role mvg
x $L lvcreate -s -n s6 -L 8m -pr mvg/lv
x $L lvs -o lv_name,lv_attr mvg
x $L lvremove mvg/s6; x $L lvremove -f mvg/s6
x $L lvcreate -s -n s7 -L 2m -c 512k mvg/lv
x $L lvcreate -s -n s7 -L 4m -c 3k mvg/lv
x $L lvcreate -s -n s7 -L 4m -c 1024k mvg/lv
x $L lvcreate -s -L 4m mvg/lv
x $L lvs -o lv_name,lv_attr mvg
x $L vgchange -an mvg
