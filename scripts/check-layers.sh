#!/bin/bash
# Enforce the include rules of docs/architecture.md "Layers" and docs/building.md, as
# docs/house-style.md "Layers" states them for thinbox (from the shared rules,
# ../shared/docs/house-style.md; thinfmt/ and the core DAG are thinbox's additions):
#   util/ -> (nothing of ours)   kernel-iface/ -> util/   metadata/ -> util/
#   lvmfmt/ -> util/, metadata/  thinfmt/ -> util/   core/ -> all five   cli/ -> core/thinbox.h, util/
# and inside core/ the DAG of folders of docs/architecture.md "The core DAG", as the Makefile
# declares it (CORE_DIRS, DEPS_core/<folder>): a core/<folder>/ file includes its own folder,
# the folders below it, the root (core/thinbox.h, core/ctx-internal.h) and the layers above.
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
# ---- the core DAG, from the Makefile
core_dirs=$(sed -n 's/^CORE_DIRS[[:space:]]*:=[[:space:]]*//p' Makefile)
core_deps() { sed -n "s|^DEPS_core/$1[[:space:]]*:=[[:space:]]*||p" Makefile; }
if [ -z "$core_dirs" ]; then
	echo "check-layers: the Makefile declares no CORE_DIRS" >&2
	bad=1
fi
# Each folder's dependencies come before it in CORE_DIRS: the declared graph is a DAG.
seen=""
for d in $core_dirs; do
	for dep in $(core_deps "$d"); do
		case " $seen " in
		*" $dep "*) ;;
		*)
			echo "check-layers: Makefile: DEPS_core/$d names \"$dep\", which is not a folder before $d in CORE_DIRS ($core_dirs)" >&2
			bad=1
			;;
		esac
	done
	seen="$seen $d"
done
# A file directly in core/ is the root: it includes no core/ folder. Elsewhere the folder's
# own files, its DEPS_core/<folder> and the root.
core_include() { # file target
	local f=$1 target=$2 rest dir tdir
	rest=${target#core/}
	[ "$rest" = "${rest#*/}" ] && return 0 # core/thinbox.h, core/ctx-internal.h
	tdir=${rest%%/*}
	dir=${f#core/}
	if [ "$dir" = "${dir#*/}" ]; then
		echo "check-layers: $f includes \"$target\": the root of core/ (core/*.h) includes no core/ folder" >&2
		return 1
	fi
	dir=${dir%%/*}
	[ "$tdir" = "$dir" ] && return 0
	for dep in $(core_deps "$dir"); do
		[ "$dep" = "$tdir" ] && return 0
	done
	echo "check-layers: $f includes \"$target\": core/$dir/ may include only core/ folders $(core_deps "$dir" | sed 's/[^ ][^ ]*/&\//g; s/^ *$/(none)/') and the root (the core DAG: Makefile DEPS_core/$dir, docs/architecture.md)" >&2
	return 1
}
for f in core/*.c core/*/*.[ch]; do
	[ -e "$f" ] || continue
	case "$f" in
	core/*/*)
		dir=${f#core/}
		dir=${dir%%/*}
		case " $core_dirs " in
		*" $dir "*) ;;
		*)
			echo "check-layers: $f: core/$dir/ is not a folder of the core DAG (add it to CORE_DIRS and DEPS_core/$dir in the Makefile)" >&2
			bad=1
			;;
		esac
		;;
	*)
		echo "check-layers: $f: core/ holds only the root headers; put it in a folder of the core DAG ($core_dirs)" >&2
		bad=1
		;;
	esac
done

for layer in util kernel-iface metadata lvmfmt thinfmt core cli; do
	ok=$(allowed "$layer")
	for f in "$layer"/*.[ch] "$layer"/*/*.[ch]; do
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
			elif [ "$layer" = core ] && [ "$top" = core ]; then
				core_include "$f" "$target" || bad=1
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
# activate/ changes the kernel, never the VG on disk: its callers commit (issue 14).
if grep -nE '\btb_vg_commit\b' core/activate/*.[ch] 2>/dev/null | head -n 5 | grep .; then
	echo "check-layers: core/activate/ must not commit the VG (its caller commits)" >&2
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
