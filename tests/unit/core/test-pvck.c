/* Unit tests: pvck --repair (core/cmd/pvck.c) on in-memory devices behind the ctx's open hook:
 * a PV made by thinbox, its label sector and mda header wiped, given back from the newest copy
 * in its metadata area or from its backup file, byte for byte the label pvcreate wrote; and
 * every refusal leaves the device unchanged. No root, devices or kernel (device-mapper off,
 * locks and backups in a temporary directory). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx-internal.h"
#include "core/thinbox.h"
#include "lvmfmt/bdev.h"

static char dir[] = "/tmp/test-pvck.XXXXXX";

#include "two-fake-pvs.h"

static void wipe_headers(int i)
{
	uint8_t z[512] = { 0 };
	wr(i, 512, z, sizeof(z));
	wr(i, 4096, z, sizeof(z));
}

static int count_lvs(void *userdata, const struct tb_lv_row *row)
{
	(void)row;
	(*(int *)userdata)++;
	return 0;
}

static void vg_reads(const char *vg, int want_lvs)
{
	struct tb_ctx *ctx = new_ctx();
	const char *v[] = { vg };
	int n = 0;

	assert_int_equal(tb_vgck(ctx, vg, false), 0);
	assert_int_equal(tb_report_lvs(ctx, v, 1, false, count_lvs, &n), 0);
	assert_int_equal(n, want_lvs);
	tb_ctx_unref(ctx);
}

static void test_repair_from_ring(void **state)
{
	uint8_t label[512], now[512];
	struct tb_ctx *ctx;

	(void)state;
	make_vg(DEV_A, "vga");
	rd(0, 512, label, sizeof(label));
	wipe_headers(0);
	ctx = new_ctx();
	assert_int_equal(tb_vgck(ctx, "vga", false), -ENOENT);
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, NULL), 0);
	tb_ctx_unref(ctx);
	rd(0, 512, now, sizeof(now));
	assert_memory_equal(label, now, sizeof(label));
	vg_reads("vga", 2);
}

static void test_repair_from_backup(void **state)
{
	uint8_t label[512], now[512];
	char path[128];
	struct tb_ctx *ctx;

	(void)state;
	make_vg(DEV_A, "vgb");
	rd(0, 512, label, sizeof(label));
	wipe_headers(0);
	snprintf(path, sizeof(path), "%s/backup/vgb", dir);
	assert_int_equal(access(path, R_OK), 0);
	ctx = new_ctx();
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, path), 0);
	tb_ctx_unref(ctx);
	rd(0, 512, now, sizeof(now));
	assert_memory_equal(label, now, sizeof(label));
	vg_reads("vgb", 2);
}

static void test_refusals_write_nothing(void **state)
{
	char path[128], bad[160];
	uint8_t *before, *after, hdr[512];
	struct tb_ctx *ctx;
	FILE *f;

	(void)state;
	make_vg(DEV_A, "vgc");
	make_vg(DEV_B, "vgd");
	/* the mda header broken, the PV header intact: another VG's backup does not list it */
	rd(0, 4096, hdr, sizeof(hdr));
	hdr[0] ^= 0xff;
	wr(0, 4096, hdr, sizeof(hdr));
	before = image(0);
	ctx = new_ctx();
	snprintf(path, sizeof(path), "%s/backup/vgd", dir);
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, path), -ENOENT);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "in existing pv_header not found"));
	/* a file that does not parse */
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	assert_non_null(f = fopen(bad, "w"));
	fputs("vgc {\nid = \n", f);
	fclose(f);
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, bad), -EBADMSG);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "Invalid metadata file."));
	/* no such file */
	assert_true(tb_pvck_repair(ctx, DEV_A, "/nonexistent/file") < 0);
	after = image(0);
	assert_memory_equal(before, after, 2U << 20);
	free(after);
	free(before);
	/* DEV_B carries DEV_A's PV id (a copy of its first MiB): repairing DEV_A would make
	 * duplicates */
	before = image(0);
	wr(1, 0, before, 1U << 20);
	free(before);
	wipe_headers(0);
	before = image(0);
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, NULL), -EEXIST);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "which exists on " DEV_B));
	after = image(0);
	assert_memory_equal(before, after, 2U << 20);
	free(after);
	free(before);
	tb_ctx_unref(ctx);
}

static void test_two_newest_copies(void **state)
{
	uint8_t *before, *after, *sec;
	char *t;
	size_t off = 4096 + 512 * 40;
	struct tb_ctx *ctx;

	(void)state;
	make_vg(DEV_A, "vge");
	/* a second copy of the newest text (seqno 3), with lv1 renamed, further in the ring */
	before = image(0);
	t = NULL;
	for (size_t o = 4096 + 512; o < (1U << 20) && !t; o += 512)
		if (!memcmp(before + o, "vge {", 5) && strstr((char *)before + o, "seqno = 3"))
			t = (char *)before + o;
	assert_non_null(t);
	sec = (uint8_t *)strdup(t);
	assert_non_null(strstr((char *)sec, "\nlv1 {"));
	memcpy(strstr((char *)sec, "\nlv1 {") + 1, "lvX", 3);
	wr(0, off, sec, strlen((char *)sec) + 1);
	free(sec);
	free(before);
	wipe_headers(0);
	before = image(0);
	ctx = new_ctx();
	assert_int_equal(tb_pvck_repair(ctx, DEV_A, NULL), -ENOTUNIQ);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "Two different metadata copies with seqno 3"));
	tb_ctx_unref(ctx);
	after = image(0);
	assert_memory_equal(before, after, 2U << 20);
	free(after);
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_repair_from_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repair_from_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_newest_copies, setup, teardown),
	};

	if (fake_pvs_env(dir) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
