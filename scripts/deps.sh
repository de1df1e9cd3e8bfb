#!/bin/bash
# Check (and, as root on Debian, install) what thinbox needs.
#   deps.sh build   compiler, pkg-config, libblkid, libuuid
#   deps.sh test    + cmocka, lvm2, thin-provisioning-tools, qemu, a Debian kernel, busybox...
set -euo pipefail
what=${1:-build}
build_pkgs="build-essential pkg-config libblkid-dev uuid-dev"
test_pkgs="libcmocka-dev lvm2 thin-provisioning-tools qemu-system-x86 linux-image-amd64
	busybox-static xfsprogs kmod cpio clang util-linux e2fsprogs openssl xz-utils python3
	docker.io containerd runc jq strace mandoc clang-format"
pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"

missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
	echo "thinbox: missing packages: ${missing[*]}" >&2
	echo "thinbox: install them (e.g. 'apt-get install ${missing[*]}' as root) and run make again." >&2
	exit 1
fi
echo "thinbox: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
	apt-get update -qq >&2
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
