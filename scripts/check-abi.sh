#!/bin/bash
# make check-abi: libthinbox's exported interface is exactly what it says it is.
#   1. the .so's defined dynamic symbols (nm -D --defined-only) == core/thinbox.sym's globals,
#      every one at a THINBOX_ version;
#   2. core/thinbox.sym's globals == the functions core/thinbox.h declares;
#   3. core/thinbox.h compiles alone, outside the tree (no -I), as C11 and with -Wall -Werror;
#   4. the CLI's objects call no tb_ function that is not exported (it could link the .so);
#   5. every function the header declares directly follows a comment of its own that says
#      "Since:" (docs/house-style.md "Comments").
# usage: check-abi.sh LIB.so VERSION-SCRIPT HEADER [CLI-OBJECTS...]
set -uo pipefail
so=$1 sym=$2 hdr=$3; shift 3
NM=${NM:-nm} CC=${CC:-cc}
bad=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# globals of the version script (every node's "global:" list, comments and node ends dropped)
perl -0pe 's|/\*.*?\*/||gs' "$sym" | sed -n '/global:/,/local:/p' | grep -v 'global:\|local:' |
	tr -d ' \t;' | grep -v '^$' | grep -v '^}' | sort > "$tmp/script"
"$NM" -D --defined-only "$so" | awk '$2 ~ /^[TDBRVWi]$/ { print $3 }' | grep -v '^THINBOX_' |
	sort > "$tmp/so-versioned"
sed 's/@.*//' "$tmp/so-versioned" | sort -u > "$tmp/so"
if ! diff -u "$tmp/script" "$tmp/so" > "$tmp/d1"; then
	echo "check-abi: $so exports differ from $sym (- script only, + .so only):" >&2
	cat "$tmp/d1" >&2; bad=1
fi
if grep -v '@@\?THINBOX_[0-9]' "$tmp/so-versioned" | grep . > "$tmp/unv"; then
	echo "check-abi: symbols without a THINBOX_ version in $so:" >&2; cat "$tmp/unv" >&2; bad=1
fi
# functions the header declares: "name(" at the start of a declaration line
grep -oE '^[a-z][a-z0-9_ *]*[ *](tb_[a-z0-9_]+)\(' "$hdr" | grep -oE 'tb_[a-z0-9_]+\($' |
	tr -d '(' | sort -u > "$tmp/hdr"
if ! diff -u "$tmp/script" "$tmp/hdr" > "$tmp/d2"; then
	echo "check-abi: $sym and the functions of $hdr differ (- script only, + header only):" >&2
	cat "$tmp/d2" >&2; bad=1
fi
# a declaration's comment: the /* ... */ block ending on the line right above it
perl -ne 'push @l, $_; END {
	for my $i (0 .. $#l) {
		next unless $l[$i] =~ /^[a-z][a-z0-9_ *]*[ *](tb_[a-z0-9_]+)\(/;
		my ($fn, $j, $c) = ($1, $i - 1, "");
		if ($j >= 0 && $l[$j] =~ m{\*/\s*$}) {
			while ($j >= 0) { $c = $l[$j] . $c; last if $l[$j] =~ m{^\s*/\*}; $j--; }
		}
		print "$fn (line ", $i + 1, ")\n" unless $c =~ /Since:/;
	} }' "$hdr" > "$tmp/since"
if [ -s "$tmp/since" ]; then
	echo "check-abi: functions of $hdr without a comment of their own saying Since: right above:" >&2
	cat "$tmp/since" >&2; bad=1
fi
mkdir -p "$tmp/inc" && cp "$hdr" "$tmp/inc/thinbox.h"
printf '#include <thinbox.h>\nint main(void) { return tb_version() == 0; }\n' > "$tmp/t.c"
if ! (cd "$tmp" && "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -I inc -c t.c -o t.o); then
	echo "check-abi: $hdr does not compile on its own (it must include system headers only)" >&2
	bad=1
fi
if [ $# -gt 0 ]; then
	"$NM" -u "$@" | awk '{ print $NF }' | grep '^tb_' | sort -u > "$tmp/cli"
	if comm -23 "$tmp/cli" "$tmp/script" | grep . > "$tmp/d3"; then
		echo "check-abi: the CLI calls library functions that are not exported:" >&2
		cat "$tmp/d3" >&2; bad=1
	fi
fi
[ $bad = 0 ] && echo "check-abi: ok ($(wc -l < "$tmp/script") symbols, $(sed 's/.*@@\?//' "$tmp/so-versioned" | sort -u | paste -sd ' '))"
exit $bad
