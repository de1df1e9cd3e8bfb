#!/bin/bash
# Measure what lvm2 does for raid1 LVs (csi-driver-lvm's CreateLVS --type raid1 --mirrors 1
# --nosync; docs/raid1.md): run in the VM rig,
#   tests/vm/run.sh --timeout 900 --mem 1024 tests/vm/measure-raid1-lvm2.sh
# Prints each command, its output and exit code; a measurement, not a test.
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p /run/lock/lvm /tmp/m
modprobe raid1 2>&1; modprobe dm-raid 2>&1; grep -E "^(raid1|dm_raid|md_mod) " /proc/modules
truncate -s 256M /tmp/m/d1 /tmp/m/d2 /tmp/m/d3
D1=$(losetup -f --show /tmp/m/d1); D2=$(losetup -f --show /tmp/m/d2); D3=$(losetup -f --show /tmp/m/d3)
L=/usr/sbin/lvm
x() { echo "### $*"; "$@" </dev/null; echo "rc=$?"; }
x $L pvcreate $D1 $D2 $D3; x $L vgcreate mvg $D1 $D2
x $L lvcreate -v -n r1 -W y -L 41943040b --type raid1 --mirrors 1 --nosync --add-tag lv.metal-stack.io/csi-lvm mvg
x $L lvs -a -o lv_name,lv_attr,lv_size,copy_percent,sync_percent,raid_sync_action,lv_health_status,lv_layout,lv_role,segtype,seg_size,devices,seg_pe_ranges,region_size,lv_uuid mvg
x $L lvs --reportformat json -o lv_all mvg/r1
x $L vgcfgbackup -f /tmp/m/b1 mvg; sed -n '/logical_volumes/,$p' /tmp/m/b1
x dmsetup ls; x dmsetup table; x dmsetup status; x dmsetup info -c -o name,uuid,attr,open,segments
for d in r1_rmeta_0 r1_rmeta_1; do echo "## head of $d"; dd if=/dev/mapper/mvg-$d bs=4096 count=1 status=none | od -A d -t x1 | head -n 12; done
head -c 4194304 /dev/urandom > /tmp/m/data; dd if=/tmp/m/data of=/dev/mvg/r1 bs=1M oflag=direct status=none
cmp -n 4194304 /tmp/m/data /dev/mapper/mvg-r1_rimage_0 && echo IMG0-SAME
cmp -n 4194304 /tmp/m/data /dev/mapper/mvg-r1_rimage_1 && echo IMG1-SAME
x $L lvcreate -n r2 -L 8m --type raid1 -m 1 mvg
sleep 3
x $L lvs -a -o lv_name,lv_attr,lv_size,copy_percent,raid_sync_action,devices mvg
x dmsetup status
x $L vgcfgbackup -f /tmp/m/b2 mvg; sed -n '/r2 {/,$p' /tmp/m/b2
x $L lvcreate -n r3 -L 8m --type raid1 -m 2 --nosync mvg
x $L lvcreate -n r3 -L 8m --type raid1 -m 1 --nosync -R 1m mvg
x $L lvs -a -o lv_name,region_size mvg
x $L lvextend -L +8m mvg/r1
x $L lvs -a -o lv_name,lv_attr,lv_size,copy_percent,devices,seg_pe_ranges mvg
x dmsetup table; x dmsetup status
x $L vgcfgbackup -f /tmp/m/b3 mvg; echo "## full backup b3"; cat /tmp/m/b3; echo "## end of b3"
x $L vgchange -an mvg; x dmsetup ls
x $L lvs -a -o lv_name,lv_attr,copy_percent,raid_sync_action,lv_health_status mvg
x $L lvextend -L +4m mvg/r3
x $L lvextend -L +4m mvg/r2
x $L vgchange -ay mvg; x dmsetup table
x $L lvchange -an mvg/r1; x dmsetup ls
x $L lvchange -ay mvg/r1; x dmsetup ls
x $L lvs -a -o lv_name,lv_attr,copy_percent mvg; x $L lvremove -f mvg/r1; x dmsetup ls
x $L vgextend mvg $D3
x $L lvcreate -n r4 -L 8m --type raid1 -m 1 --nosync mvg $D3
x $L lvcreate -n r5 -L 8m --type raid1 --mirrors 1 --nosync mvg $D2 $D3
x $L lvs -a -o lv_name,lv_attr,devices mvg
x $L lvs -o lv_name,lv_attr mvg/r5_rimage_0
x $L lvrename mvg r5 r6; x dmsetup ls
x $L lvremove -f mvg/r6_rimage_0
x $L lvchange -an mvg/r6_rmeta_0
x $L lvrename mvg r6_rimage_0 r7x
x $L lvextend -L +4m mvg/r2; x $L lvs -o lv_name,lv_attr mvg/r2; x dmsetup table mvg-r2
x $L lvcreate -n r7 -L 8m --type raid1 -m 1 --nosync -an mvg
x $L lvcreate -n r8 -L 8m --type raid1 -m 1 --nosync -i 2 mvg
x $L lvcreate -n r9 -l 100%FREE --type raid1 -m 1 --nosync mvg
x $L lvs -a -o lv_name,lv_size,devices mvg
x $L vgremove -f mvg; x dmsetup ls
