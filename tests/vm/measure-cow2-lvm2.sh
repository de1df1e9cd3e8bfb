#!/bin/bash
# Measure lvm2's live rename, removal without a prompt, resizing with snapshots and merge of
# old-style (COW) snapshots (docs/cow-snapshots.md). Run in the VM rig:
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-cow2-lvm2.sh
# Prints each command, its stdout (o:) and stderr (e:) and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
truncate -s 256M /tmp/m/d1; D=$(losetup -f --show /tmp/m/d1)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null >/tmp/m/o 2>/tmp/m/e; echo "rc=$?"; sed 's/^/o: /' /tmp/m/o; sed 's/^/e: /' /tmp/m/e; }
T() { echo "### dmsetup table"; dmsetup table | sort; dmsetup info -c --noheadings -o name,attr,open,uuid | sort; ls /dev/mvg 2>&1; }
M() { echo "### metadata"; $L vgcfgbackup -f /tmp/m/b mvg >/dev/null; sed -n '/logical_volumes/,$p' /tmp/m/b | grep -v '^\s*$' | grep -v 'creation_\|id = '; }
x $L pvcreate $D; x $L vgcreate mvg $D
x $L lvcreate -n lv -L 40m mvg
x $L lvcreate -s -n s1 -L 8m mvg/lv
x $L lvcreate -s -n s2 -l 100%ORIGIN mvg/lv
T
x $L lvrename /dev/mvg/lv /dev/mvg/lv2; T
x $L lvrename mvg s1 s1b; T
x $L lvrename mvg/s2 mvg/s2b; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
M
# Incus RestoreVolume: lvresize -l +100%ORIGIN -f SNAP when lv_size <= origin_size
x $L lvs --noheadings --nosuffix --units b -o lv_size,origin_size /dev/mvg/s1b
x $L lvresize -l +100%ORIGIN -f /dev/mvg/s1b; T
x $L lvresize -l +100%ORIGIN -f /dev/mvg/s2b
x $L lvextend -l +100%ORIGIN /dev/mvg/s2b
x $L lvresize -l 50%ORIGIN -f /dev/mvg/s1b
x $L lvextend -l 100%ORIGIN /dev/mvg/s1b
# Incus SetVolumeQuota / OpenEBS ResizeLVMVolume of an active origin
x $L lvresize -L 50331648b -f /dev/mvg/lv2
x $L lvextend /dev/mvg/lv2 -L 50331648b
x $L lvextend /dev/mvg/lv2 -L 50331648b -r
# removal of an active snapshot
x $L lvcreate -s -n s3 -L 8m mvg/lv2
x $L lvremove mvg/s3
x $L lvremove -f mvg/s3; T
x $L lvcreate -s -n s3 -L 8m mvg/lv2
x $L lvremove -y /dev/mvg/s3
# inactive origin: resize and rename
x $L lvchange -an mvg/lv2; T
x $L lvresize -L 50331648b -f /dev/mvg/lv2
x $L lvextend -L +4m mvg/lv2
M
x $L lvs -a -o lv_name,lv_attr,origin,lv_size,origin_size mvg
x $L lvrename mvg lv2 lv
x $L lvrename mvg s1b s1
x $L lvchange -ay mvg/lv; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size,origin_size,snap_percent mvg
# snapshot of a grown origin
x $L lvcreate -s -n s4 -L 8m mvg/lv; T
M
x $L lvremove -y mvg/s4
# merge: active origin not open
echo new >/tmp/m/new; dd if=/dev/urandom of=/tmp/m/new bs=1M count=1 2>/dev/null
dd if=/tmp/m/new of=/dev/mapper/mvg-lv bs=1M count=1 conv=fsync 2>/dev/null
x $L lvconvert --merge mvg/s1; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
M
# merge: inactive origin
x $L lvchange -an mvg/lv
x $L lvconvert --merge mvg/s2b; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
M
x $L lvchange -ay mvg/lv; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
sleep 2
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
M
# merge: origin open
x $L lvcreate -s -n s5 -L 8m mvg/lv
exec 7</dev/mapper/mvg-lv
x $L lvconvert --merge mvg/s5; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
M
exec 7<&-
x $L lvchange -an mvg/lv; x $L lvchange -ay mvg/lv; T
x $L lvs -a -o lv_name,lv_attr,origin,lv_size mvg
x $L vgck mvg
x $L vgchange -an mvg
