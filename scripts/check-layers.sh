#!/bin/bash
# Enforce the include rules of docs/architecture.md "Layers" and docs/building.md (from
# ../shared/docs/house-style.md):
#   util/ -> (nothing of ours)   kernel-iface/ -> util/   metadata/ -> util/
#   lvmfmt/ -> util/, metadata/  thinfmt/ -> util/   core/ -> all five   cli/ -> core/thinbox.h, util/
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
allowed() {
	case "$1" in
	util) echo "util" ;;
	kernel-iface) echo "util kernel-iface" ;;
	metadata) echo "util metadata" ;;
	lvmfmt) echo "util metadata lvmfmt" ;;
	thinfmt) echo "util thinfmt" ;;
	core) echo "util kernel-iface metadata lvmfmt thinfmt core" ;;
	cli) echo "util cli core/thinbox.h" ;;
	esac
}
for layer in util kernel-iface metadata lvmfmt thinfmt core cli; do
	ok=$(allowed "$layer")
	for f in "$layer"/*.[ch]; do
		[ -e "$f" ] || continue
		while IFS= read -r inc; do
			target=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$inc")
			[ -n "$target" ] || continue
			top=${target%%/*}
			[ "$top" = "$target" ] && continue # "local.h": same folder
			pass=0
			for a in $ok; do
				if [ "$a" = "$top" ] || [ "$a" = "$target" ]; then pass=1; fi
			done
			if [ $pass = 0 ]; then
				echo "check-layers: $f includes \"$target\": $layer/ may include only: $ok" >&2
				bad=1
			fi
		done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
	done
done
# metadata/ and thinfmt/ do no I/O: no syscall headers.
if grep -lE '^#\s*include\s*<(unistd|fcntl|sys/ioctl|sys/stat|linux/dm-ioctl)\.h>' metadata/*.[ch] thinfmt/*.[ch] 2>/dev/null; then
	echo "check-layers: metadata/ and thinfmt/ must not do I/O (see the files above)" >&2
	bad=1
fi
# kernel-iface/ knows no LVM types.
if grep -nE '\b(md_|lvf_)[a-z_]+' kernel-iface/*.[ch] 2>/dev/null | head -n 5 | grep .; then
	echo "check-layers: kernel-iface/ must not use LVM types (md_/lvf_)" >&2
	bad=1
fi
# Each command name is registered once (cli/main.c takes the first CLI_COMMAND of a name, so a
# second one would be dead code that its docs and tests believe in).
dups=$(grep -ho 'CLI_COMMAND([a-z0-9_]*, *"[^"]*"' cli/*.c | sed 's/.*"\([^"]*\)"/\1/' | sort | uniq -d)
if [ -n "$dups" ]; then
	echo "check-layers: CLI commands registered twice: $dups (merge them into one)" >&2
	bad=1
fi
[ $bad = 0 ] && echo "check-layers: ok"
exit $bad
