# Add N one-extent linear LVs (lv1..lvN, on pv0 extents 0..N-1) to the vgcfgbackup text of an
# empty one-PV VG, for vgcfgrestore. Usage: awk -v n=N -f bench/scale-gen.awk EMPTY.vg > FULL.vg
# Ids are deterministic (the index in lvm2's id alphabet), so every run builds the same VG.
function lvid(i,   a, s, k) {
	a = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	s = ""
	for (k = 0; k < 32; k++) {
		s = s substr(a, (i % 62) + 1, 1)
		i = int(i / 62)
		if (k == 5 || k == 9 || k == 13 || k == 17 || k == 21 || k == 25)
			s = s "-"
	}
	return s
}
{ line[NR] = $0 }
END {
	for (last = NR; last > 0 && line[last] != "}"; last--)
		;
	for (i = 1; i < last; i++) {
		l = line[i]
		if (l ~ /^\tseqno = /) {
			split(l, f, " = ")
			l = "\tseqno = " (f[2] + 1)
		}
		print l
	}
	print "\tlogical_volumes {"
	for (i = 1; i <= n; i++) {
		print ""
		printf "\t\tlv%d {\n", i
		printf "\t\t\tid = \"%s\"\n", lvid(i * 7919 + 17)
		print "\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]"
		print "\t\t\tflags = []"
		print "\t\t\tcreation_time = 1796124333"
		print "\t\t\tcreation_host = \"bench\""
		print "\t\t\tsegment_count = 1"
		print ""
		print "\t\t\tsegment1 {"
		print "\t\t\t\tstart_extent = 0"
		print "\t\t\t\textent_count = 1"
		print ""
		print "\t\t\t\ttype = \"striped\""
		print "\t\t\t\tstripe_count = 1"
		print ""
		print "\t\t\t\tstripes = ["
		printf "\t\t\t\t\t\"pv0\", %d\n", i - 1
		print "\t\t\t\t]"
		print "\t\t\t}"
		print "\t\t}"
	}
	print "\t}"
	for (i = last; i <= NR; i++)
		print line[i]
}
