/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * thin-snapshot VG POOL THIN SIZE_MIB SNAP: create the thin volume VG/THIN of SIZE_MIB MiB in
 * the thin pool VG/POOL, then the thin snapshot VG/SNAP of it, as
 *     lvcreate -T VG/POOL -V SIZE_MIBm -n THIN && lvcreate -s VG/THIN -n SNAP
 * would. lvm2's messages ("Logical volume ... created.") are printed on stdout.
 *     cc -o thin-snapshot thin-snapshot.c $(pkg-config --cflags --libs thinbox)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thinbox.h>

static void log_stdout(void *userdata, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	FILE *out = priority <= LOG_WARNING ? stderr : stdout;

	(void)userdata, (void)file, (void)line, (void)fn;
	vfprintf(out, format, args);
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	struct tb_lvcreate_opts thin = { 0 }, snap = { 0 };
	struct tb_ctx *ctx = NULL;
	char *end = NULL;
	uint64_t mib;
	int r;

	if (argc != 6) {
		fprintf(stderr, "usage: thin-snapshot VG POOL THIN SIZE_MIB SNAP\n");
		return 2;
	}
	errno = 0;
	mib = strtoull(argv[4], &end, 10);
	if (errno || !*argv[4] || *end || mib == 0 || mib > UINT64_MAX / 2048) {
		fprintf(stderr, "thin-snapshot: bad size in MiB: %s\n", argv[4]);
		return 2;
	}
	r = tb_ctx_new(0, &ctx);
	if (r < 0) {
		fprintf(stderr, "thin-snapshot: cannot create a thinbox context: %s\n",
			strerror(-r));
		return 1;
	}
	tb_ctx_set_log_fn(ctx, log_stdout, NULL);
	tb_ctx_set_log_priority(ctx, LOG_NOTICE);

	/* tb_lvcreate_opts: -1 means "lvm2's default" for the tri-state fields */
	thin.vg = argv[1];
	thin.pool = argv[2];
	thin.name = argv[3];
	thin.virtual_size = mib * 2048; /* sectors */
	thin.zero = thin.wipesignatures = thin.activate = -1;
	thin.discards = thin.errorwhenfull = -1;
	r = tb_lvcreate(ctx, &thin);
	if (r < 0) {
		fprintf(stderr, "thin-snapshot: cannot create %s/%s: %s\n", argv[1], argv[3],
			tb_ctx_errmsg(ctx));
		goto out;
	}

	snap.vg = argv[1];
	snap.origin = argv[3];
	snap.name = argv[5];
	snap.zero = snap.wipesignatures = snap.activate = -1;
	snap.discards = snap.errorwhenfull = -1;
	r = tb_lvcreate(ctx, &snap);
	if (r < 0)
		fprintf(stderr, "thin-snapshot: cannot snapshot %s/%s: %s\n", argv[1], argv[3],
			tb_ctx_errmsg(ctx));
out:
	tb_ctx_unref(ctx);
	return r < 0 ? 1 : 0;
}
