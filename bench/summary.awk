# bench/autoextend: one table from the tsv lines (impl thr use reactions oods size0 size1 MB/s
# monitored), every run of a configuration pooled: the median and the worst of all its
# low-water -> growing delays, whether any run went out of data space.
# usage: awk -F'\t' -v impls="thinbox lvm2" -f bench/summary.awk bench.tsv
function sortn(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t } }
function med(s,   a, n) { n = split(s, a, ","); if (n == 0) return -1; sortn(a, n)
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function worst(s,   a, n) { n = split(s, a, ","); if (n == 0) return -1; sortn(a, n); return a[n] }
/^#/ { next }
{ k = $2 " " $3
  if ($4 != "-") d[$1, k] = d[$1, k] (d[$1, k] == "" ? "" : ",") $4
  if ($5 == "yes") oo[$1, k] = "yes"; else if (!(($1, k) in oo)) oo[$1, k] = "no"
  nr[$1, k]++; sz[$1, k] = $7
  if ($4 != "-") { m = split($4, ev, ",")
	first[$1] = first[$1] (first[$1] == "" ? "" : ",") ev[1]
	for (q = 2; q <= m; q++) later[$1] = later[$1] (later[$1] == "" ? "" : ",") ev[q]
	all[$1] = all[$1] (all[$1] == "" ? "" : ",") $4 }
  if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
END {
	ni = split(impls, im, " ")
	printf "| threshold, use |"
	for (j = 1; j <= ni; j++) printf " %s: median / worst ms, out of space, MiB |", im[j]
	printf " median ratio lvm2 / thinbox |\n|---|"
	for (j = 1; j <= ni; j++) printf "---|"
	printf "---|\n"
	for (i = 1; i <= n; i++) { k = order[i]; printf "| %s |", k
		for (j = 1; j <= ni; j++)
			printf " %.0f / %.0f, %s, %s |", med(d[im[j], k]), worst(d[im[j], k]), oo[im[j], k], sz[im[j], k]
		r = (med(d["thinbox", k]) > 0 && med(d["lvm2", k]) > 0) ? sprintf("%.1f", med(d["lvm2", k]) / med(d["thinbox", k])) : "n/a"
		printf " %s |\n", r }
	# the same delays by position in their run: the first event finds dmeventd's lvm2 context
	# cold, later ones warm
	printf "\n| events (all configurations) |"
	for (j = 1; j <= ni; j++) printf " %s: n, median / worst ms |", im[j]
	printf " median ratio lvm2 / thinbox |\n|---|"
	for (j = 1; j <= ni; j++) printf "---|"
	printf "---|\n"
	split("first later all", rows, " ")
	for (i = 1; i <= 3; i++) { printf "| %s |", rows[i] == "first" ? "first of each run" : rows[i] == "later" ? "later ones" : "all"
		for (j = 1; j <= ni; j++) {
			s = rows[i] == "first" ? first[im[j]] : rows[i] == "later" ? later[im[j]] : all[im[j]]
			printf " %d, %.0f / %.0f |", split(s, tmp, ","), med(s), worst(s) }
		a = rows[i] == "first" ? first["thinbox"] : rows[i] == "later" ? later["thinbox"] : all["thinbox"]
		b = rows[i] == "first" ? first["lvm2"] : rows[i] == "later" ? later["lvm2"] : all["lvm2"]
		printf " %s |\n", (med(a) > 0 && med(b) > 0) ? sprintf("%.1f", med(b) / med(a)) : "n/a" }
}
