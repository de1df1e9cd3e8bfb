#!/bin/bash
# Run a script inside a qemu (TCG) guest booted from the installed Debian kernel, with this
# machine's / mounted read-only over 9p under a tmpfs overlay. See docs/test-rig.md.
#
# usage: tests/vm/run.sh [--disk SIZE]... [--mem MIB] [--timeout SEC] [--out DIR] SCRIPT [ARG]...
#        tests/vm/run.sh --prepare   (only build the cached initramfs, then exit)
#   --disk SIZE   add a sparse virtio disk (e.g. 4G, 512M); the first is /dev/vda, then vdb...
#   --out DIR     a writable host directory the guest sees at /vmout (default: a temp dir)
# Env: THINBOX_VM_KVER (kernel version, default: newest in /boot with dm-thin-pool),
#      THINBOX_VM_CACHE (initramfs cache dir, default build/vm), THINBOX_VM_QUIET=1.
# Exit status: the script's, 125 when the rig itself failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
disks=() mem=2048 tmo=1500 out= prepare=0
while [ $# -gt 0 ]; do
	case "$1" in
	--prepare) prepare=1; shift ;;
	--disk) disks+=("$2"); shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option '$1'" >&2; exit 125 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || [ $prepare = 1 ] || { echo "usage: run.sh [--disk SIZE]... SCRIPT [ARG]..." >&2; exit 125; }
[ $prepare = 1 ] || { script=$(realpath "$1"); shift; }

kver=${THINBOX_VM_KVER:-}
if [ -z "$kver" ]; then
	for k in $(ls -1 /lib/modules 2>/dev/null | sort -rV); do
		if [ -e "/boot/vmlinuz-$k" ] && modprobe -S "$k" -D dm-thin-pool >/dev/null 2>&1; then
			kver=$k; break
		fi
	done
fi
if [ -z "$kver" ]; then
	echo "run.sh: no kernel with dm-thin-pool in /boot; install linux-image-amd64" >&2
	exit 125
fi
for t in qemu-system-x86_64 busybox cpio; do
	command -v "$t" >/dev/null || { echo "run.sh: '$t' not found; run 'make deps'" >&2; exit 125; }
done

cache=${THINBOX_VM_CACHE:-$top/build/vm}
mkdir -p "$cache"
key=$(cat "$here/init" "$here/mkinitramfs.sh" /boot/vmlinuz-"$kver" 2>/dev/null | md5sum | cut -c1-12)
initrd=$cache/initramfs-$kver-$key.cpio.gz
if [ ! -s "$initrd" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd" || { echo "run.sh: initramfs build failed" >&2; exit 125; }
fi
[ $prepare = 1 ] && exit 0

work=$(mktemp -d "$cache/run.XXXXXX")
cleanup() { [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -n "$out" ] || out=$work/out
mkdir -p "$out"
out=$(realpath "$out")

# The guest runs this wrapper (it sees the host's / read-only, so the path is the same).
{
	echo "#!/bin/sh"
	printf 'set --'; for a in "$@"; do printf " '%s'" "${a//\'/\'\\\'\'}"; done; echo
	echo "export THINBOX_TOP='$top' THINBOX_VM_OUT=/vmout"
	echo "if [ -x '$script' ]; then '$script' \"\$@\"; else sh '$script' \"\$@\"; fi; rc=\$?"
	echo "if [ \$rc -ne 0 ] && [ \$rc -ne 77 ]; then echo '--- guest kernel, last messages ---'; dmesg | tail -n 40; fi"
	echo "exit \$rc"
} > "$work/cmd.sh"

drives=()
i=0
for d in "${disks[@]}"; do
	f=$work/disk$i.img
	truncate -s "$d" "$f" || exit 125
	drives+=(-drive "file=$f,if=none,id=d$i,format=raw,cache=${THINBOX_VM_DISK_CACHE:-writeback},aio=threads"
		 -device "virtio-blk-pci,drive=d$i,serial=thinbox$i")
	i=$((i + 1))
done

log=$work/console.log
: > "$log"
timeout --kill-after=10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$mem" \
	-machine q35 -nodefaults -no-user-config -display none -no-reboot \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 no_timer_check panic=-1 loglevel=3 quiet thinbox.run=$work/cmd.sh thinbox.cwd=$top" \
	-serial "file:$log" \
	-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap" \
	"${drives[@]}" &
qpid=$!

# Stream the console, without the terminal control sequences the firmware/kernel emit.
strip() { sed -u -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' -e 's/\x1b[cDEHM78=>]//g' -e 's/\r$//'; }
if [ "${THINBOX_VM_QUIET:-0}" = 1 ]; then
	wait "$qpid"; qrc=$?
else
	tail -n +1 -F --pid="$qpid" "$log" 2>/dev/null | strip | grep -v -E '^THINBOX-VM-(READY|EXIT=)|reboot: Power down' &
	tpid=$!
	wait "$qpid"; qrc=$?
	wait "$tpid" 2>/dev/null
fi
qpid=
rc=$(strip < "$log" | sed -n 's/.*THINBOX-VM-EXIT=\([0-9]*\).*/\1/p' | tail -n 1)
if [ -z "$rc" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "run.sh: the guest timed out after ${tmo}s" >&2
	else
		echo "run.sh: the guest died without an exit marker (qemu exit $qrc); console tail:" >&2
		strip < "$log" | tail -n 30 >&2
	fi
	exit 125
fi
exit "$rc"
