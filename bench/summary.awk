# bench/autoextend: one table from the tsv lines (impl thr use reactions oods size0 size1 MB/s
# monitored), every run of a configuration pooled: the median and the worst of all its
# low-water -> growing delays, whether any run went out of data space.
# usage: awk -F'\t' -v impls="thinbox lvm2" -f bench/summary.awk bench.tsv
function sortn(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t } }
function med(s,   a, n) { n = split(s, a, ","); if (n == 0) return -1; sortn(a, n)
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function worst(s,   a, n) { n = split(s, a, ","); if (n == 0) return -1; sortn(a, n); return a[n] }
{ k = $2 " " $3
  if ($4 != "-") d[$1, k] = d[$1, k] (d[$1, k] == "" ? "" : ",") $4
  if ($5 == "yes") oo[$1, k] = "yes"; else if (!(($1, k) in oo)) oo[$1, k] = "no"
  nr[$1, k]++; sz[$1, k] = $7
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
}
