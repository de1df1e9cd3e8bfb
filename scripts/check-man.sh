#!/bin/bash
# make check-man: every man page lints clean and renders.
#   mandoc -Tlint -W warning (Debian's mandoc, scripts/deps.sh test), else groff -ww -z -man;
#   man -l renders it (non-empty, no troff warnings); every thinbox page it refers to exists.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
[ $# -gt 0 ] || { echo "check-man: no man pages given" >&2; exit 1; }
for p in "$@"; do
	if command -v mandoc >/dev/null; then
		out=$(mandoc -Tlint -W warning "$p" 2>&1)
	else
		out=$(groff -ww -z -man "$p" 2>&1)
	fi
	if [ -n "$out" ]; then
		echo "check-man: $p:" >&2; echo "$out" >&2; bad=1
	fi
	if command -v man >/dev/null; then
		text=$(MANWIDTH=80 man -l "$p" 2>"${TMPDIR:-/tmp}/check-man.$$")
		if [ -z "$text" ] || [ -s "${TMPDIR:-/tmp}/check-man.$$" ]; then
			echo "check-man: man -l $p does not render cleanly:" >&2
			cat "${TMPDIR:-/tmp}/check-man.$$" >&2; bad=1
		fi
		rm -f "${TMPDIR:-/tmp}/check-man.$$"
	fi
	for ref in $(grep -oE '(lib)?thinbox(\\-[a-z]+|\.conf)? \([0-9]\)' "$p" | sed 's/\\-/-/; s/ (\(.\))/.\1/' | sort -u); do
		[ -e "man/$ref" ] || { echo "check-man: $p refers to $ref, which does not exist" >&2; bad=1; }
	done
done
[ $bad = 0 ] && echo "check-man: ok ($# pages)"
exit $bad
