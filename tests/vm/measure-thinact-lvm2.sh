#!/bin/bash
# Measure what lvm2 (or thinbox, given as THINBOX) does when a thin LV of an inactive pool is
# activated and deactivated (docs/lvm2-differences.md "A thin LV active while its pool LV is
# not"), and `vgs --shared`:
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-thinact-lvm2.sh [THINBOX]
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
truncate -s 256M /tmp/m/d1
D1=$(losetup -f --show /tmp/m/d1)
L=${1:-/usr/sbin/lvm}  # or thinbox, for the same lines
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
st() { x $L lvs -a -o lv_name,lv_attr,lv_active,lv_active_locally,data_percent mvg; x dmsetup ls; x dmsetup info -c -o name,open,attr; }
x $L pvcreate $D1; x $L vgcreate mvg $D1
x $L lvcreate -L 64m -T mvg/pool; x $L lvcreate -V 32m -T mvg/pool -n t1; x $L lvcreate -V 32m -T mvg/pool -n t2
x $L vgchange -an mvg; st
x $L lvchange -ay mvg/t1; st
x $L lvchange -ay mvg/t2; st
x $L lvchange -an mvg/t1; st
x $L lvchange -an mvg/t2; st
x $L lvchange -ay mvg/t1; x $L lvchange -ay mvg/pool; st
x $L lvchange -an mvg/pool; st
x $L lvchange -an mvg/t1; st
x $L lvchange -ay mvg/pool; st
x $L lvchange -ay mvg/t1; x $L lvchange -an mvg/t1; st
x $L vgchange -an mvg; x $L vgchange -ay mvg; st
x $L vgchange -an mvg; x $L lvcreate -V 16m -T mvg/pool -n t3; st
x $L vgchange -an mvg; x $L lvcreate -s -n s1 mvg/t1 -K; st
x $L lvremove -y mvg/s1; st
x $L vgs --shared; x $L vgs --shared -o vg_name,vg_lock_type mvg
x $L lvs --shared mvg; x $L pvs --shared
