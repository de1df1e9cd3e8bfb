#!/bin/bash
# make demo: the main job. Runs scripts/demo-guest.sh directly when this kernel has
# device-mapper (and we are root), otherwise inside the VM rig on a sparse 4 GiB disk.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
if [ "$(id -u)" = 0 ] && [ -e /dev/mapper/control ] && grep -qw thin-pool <(dmsetup targets 2>/dev/null); then
	exec "$top/scripts/demo-guest.sh" "$build"
fi
echo "thinbox demo: this kernel has no device-mapper; running in the VM rig (qemu, TCG)"
THINBOX_VM_CACHE=$build/vm exec "$top/tests/vm/run.sh" --disk 4G "$top/scripts/demo-guest.sh" "$build" /dev/vda
