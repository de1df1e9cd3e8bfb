#!/bin/bash
# make check-abi, second part: the files of core/ call each other without a cycle (docs/architecture.md
# "The core DAG": the folders are checked by check-layers from the includes; this checks the
# files, from the objects: an edge A -> B when A.o uses a symbol B.o defines).
# usage: check-core-files.sh OBJ...   env: NM
set -uo pipefail
export LC_ALL=C
nm=${NM:-nm}
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
for o in "$@"; do
	"$nm" --defined-only "$o" | awk -v o="$o" 'NF == 3 && $2 ~ /[TDBR]/ {print $3, o}'
done | sort -k1,1 >"$defs"
edges=$(for o in "$@"; do
	"$nm" --undefined-only "$o" | awk '{print $NF}' | sort -u | join - "$defs" |
		awk -v o="$o" '$2 != o {print o, $2}'
done | sort -u)
# every file a node, so a file with no edge is still listed
if ! out=$( (printf '%s\n' "$edges"; for o in "$@"; do echo "$o $o"; done) | tsort 2>&1 >/dev/null); then
	echo "check-core-files: the files of core/ call each other in a cycle (move the shared functions into a file both use, as core/activate/lvstate.c):" >&2
	printf '%s\n' "$out" | sed 's|^tsort: |  |' >&2
	exit 1
fi
echo "check-core-files: ok ($# files, $(printf '%s\n' "$edges" | grep -c .) calls between them, no cycle)"
