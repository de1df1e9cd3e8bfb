/* Unit tests: foreign, shared and exported VGs (core/store/foreign-check.c, core/cmd/foreign.c, core/report/report.c) on in-memory
 * devices behind the ctx's open hook: every change refused with lvm2's line and the device
 * unchanged; reports skip them (named: an error); vgexport/vgimport round trip. No root,
 * devices or kernel (device-mapper off, locks and backups in a temporary directory). */
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
#include "lvmfmt/mda.h"
#include "util/crc.h"
#include "util/endian.h"

static char dir[] = "/tmp/test-foreign.XXXXXX";

#include "two-fake-pvs.h"


/* Rewrite the committed text of DEV_A's mda with @edit applied (valid checksums). */
static void edit_text(const char *find, const char *add)
{
	uint8_t h[512], *t;
	uint64_t off, size;
	char *n, *p;

	rd(0, 4096, h, sizeof(h));
	off = get_le64(h + 40);
	size = get_le64(h + 48);
	assert_non_null(t = calloc(1, size + 256));
	rd(0, 4096 + off, t, size);
	assert_non_null(p = strstr((char *)t, find));
	p += strlen(find);
	assert_non_null(n = calloc(1, size + 256));
	memcpy(n, t, (size_t)(p - (char *)t));
	strcat(n, add);
	strcat(n, p);
	size = strlen(n) + 1;
	wr(0, 4096 + off, n, size);
	put_le64(h + 48, size);
	put_le32(h + 56, lvm_crc(LVM_INITIAL_CRC, n, size));
	put_le32(h, lvm_crc(LVM_INITIAL_CRC, h + 4, 508));
	wr(0, 4096, h, sizeof(h));
	free(n);
	free(t);
}

static int count_rows(void *userdata, const void *row)
{
	(void)row;
	(*(int *)userdata)++;
	return 0;
}
static int lv_row(void *u, const struct tb_lv_row *r) { return count_rows(u, r); }
static int vg_row(void *u, const struct tb_vg_row *r) { return count_rows(u, r); }
static int pv_row(void *u, const struct tb_pv_row *r)
{
	if (r->name && !strcmp(r->name, DEV_A))
		(*(int *)u)++;
	return 0;
}

/* Every change refused with @msg; DEV_A unchanged. */
static void refuses_all(const char *vg, const char *msg)
{
	struct tb_ctx *ctx = new_ctx();
	struct tb_lvcreate_opts lo = { .vg = vg, .name = "lv9", .activate = 0, .discards = -1,
				       .errorwhenfull = -1 };
	const char *b[] = { DEV_B };
	uint8_t *before = image(0), *after;

	lo.size = (struct tb_size){ TB_SIZE_SECTORS, 8192, 0 };
	assert_true(tb_lvcreate(ctx, &lo) < 0);
	assert_string_equal(tb_ctx_errmsg(ctx), msg);
	assert_true(tb_vgchange(ctx, vg, 1, -1) < 0);
	assert_string_equal(tb_ctx_errmsg(ctx), msg);
	assert_true(tb_vgremove(ctx, vg, true) < 0);
	assert_string_equal(tb_ctx_errmsg(ctx), msg);
	assert_true(tb_vgextend(ctx, vg, b, 1, NULL) < 0);
	assert_string_equal(tb_ctx_errmsg(ctx), msg);
	assert_true(tb_vgck(ctx, vg, true) < 0);
	after = image(0);
	assert_memory_equal(before, after, 2U << 20);
	free(after);
	free(before);
	tb_ctx_unref(ctx);
}

static void reports(const char *vg, int want_vgs, int want_lvs, int want_pv_rows, int named_rc)
{
	struct tb_ctx *ctx = new_ctx();
	const char *v[] = { vg };
	int n = 0;

	assert_int_equal(tb_report_vgs(ctx, NULL, 0, vg_row, &n), 0);
	assert_int_equal(n, want_vgs);
	n = 0;
	assert_int_equal(tb_report_lvs(ctx, NULL, 0, false, lv_row, &n), 0);
	assert_int_equal(n, want_lvs);
	n = 0;
	assert_int_equal(tb_report_pvs(ctx, NULL, 0, pv_row, &n), 0);
	assert_int_equal(n, want_pv_rows);
	n = 0;
	assert_int_equal(tb_report_lvs(ctx, v, 1, false, lv_row, &n), named_rc);
	tb_ctx_unref(ctx);
}

static void test_foreign_system_id(void **state)
{
	(void)state;
	make_vg(DEV_A, "vgf");
	edit_text("status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n", "system_id = \"otherhost\"\n");
	refuses_all("vgf", "Cannot access VG vgf with system ID otherhost with unknown local "
			   "system ID.");
	reports("vgf", 0, 0, 0, -EPERM);
}

static void test_shared_lock_type(void **state)
{
	(void)state;
	make_vg(DEV_A, "vgs");
	edit_text("status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n", "lock_type = \"sanlock\"\n");
	refuses_all("vgs", "Cannot access VG vgs with lock type sanlock that requires lvmlockd.");
	reports("vgs", 0, 0, 0, -EPERM);
}

static void test_export_import(void **state)
{
	struct tb_ctx *ctx;

	(void)state;
	make_vg(DEV_A, "vgx");
	ctx = new_ctx();
	assert_int_equal(tb_vgimport(ctx, "vgx"), -EINVAL);
	assert_string_equal(tb_ctx_errmsg(ctx), "Volume group \"vgx\" is not exported");
	assert_int_equal(tb_vgexport(ctx, "vgx"), 0);
	tb_ctx_unref(ctx);
	refuses_all("vgx", "Volume group vgx is exported");
	/* vgs and pvs show it, lvs does not */
	reports("vgx", 1, 0, 1, -EPERM);
	ctx = new_ctx();
	assert_int_equal(tb_vgimport(ctx, "vgx"), 0);
	assert_int_equal(tb_vgck(ctx, "vgx", false), 0);
	tb_ctx_unref(ctx);
	reports("vgx", 1, 2, 1, 0);
}

/* tb_report_lvs_want builds only what its caller asks for: the further fields, the uuid, the
 * device path and the segment sets each only when asked; tb_report_lvs all of them. */
struct want_seen {
	const char *yes[4];
	size_t rows, with_uuid, with_path, with_segs, with_fields;
};

static bool want_some(void *ud, const char *id)
{
	struct want_seen *w = ud;
	for (size_t i = 0; i < 4 && w->yes[i]; i++)
		if (!strcmp(w->yes[i], id))
			return true;
	return false;
}

static int want_row(void *ud, const struct tb_lv_row *r)
{
	struct want_seen *w = ud;
	w->rows++;
	w->with_uuid += strlen(r->uuid) == 38;
	w->with_path += strncmp(r->dm_path, "/dev/mapper/vgw-", 16) == 0;
	w->with_segs += r->n_segs > 0;
	w->with_fields += r->n_fields > 0;
	return 0;
}

static void test_report_want(void **state)
{
	struct tb_ctx *ctx;
	struct want_seen none = { { NULL } }, some = { { "_segments", "lv_uuid", "lv_tags" } },
			 all = { { NULL } };

	(void)state;
	make_vg(DEV_A, "vgw");
	ctx = new_ctx();
	assert_int_equal(tb_report_lvs_want(ctx, NULL, 0, false, want_some, &none, want_row, &none),
			 0);
	assert_int_equal(none.rows, 2);
	assert_int_equal(none.with_uuid + none.with_path + none.with_segs + none.with_fields, 0);
	assert_int_equal(tb_report_lvs_want(ctx, NULL, 0, false, want_some, &some, want_row, &some),
			 0);
	assert_int_equal(some.rows, 2);
	assert_int_equal(some.with_uuid, 2);
	assert_int_equal(some.with_path, 0);
	assert_int_equal(some.with_segs, 2);
	assert_int_equal(some.with_fields, 2); /* lv_tags, empty but there */
	assert_int_equal(tb_report_lvs(ctx, NULL, 0, false, want_row, &all), 0);
	assert_int_equal(all.rows, 2);
	assert_int_equal(all.with_uuid + all.with_path + all.with_segs, 6);
	assert_int_equal(all.with_fields, 2);
	tb_ctx_unref(ctx);
}

/* lvs rows come in strcmp order of the names, whatever their creation order: names sharing
 * their first 8 bytes, names shorter than 8, prefixes of each other. */
struct names_seen {
	char names[16][32];
	size_t n;
};

static int name_row(void *ud, const struct tb_lv_row *r)
{
	struct names_seen *w = ud;
	if (w->n < 16)
		snprintf(w->names[w->n++], sizeof(w->names[0]), "%s", r->name);
	return 0;
}

static void test_report_order(void **state)
{
	static const char *const make[] = { "abcdefgh2", "abcdefgh10", "b", "abcdefgh",
					    "abcdefgh1", "abc",        "Z",  "abcdefgi" };
	static const char *const want[] = { "Z",          "abc",       "abcdefgh", "abcdefgh1",
					    "abcdefgh10", "abcdefgh2", "abcdefgi", "b" };
	struct tb_ctx *ctx;
	const char *d[] = { DEV_A };
	struct tb_vgcreate_opts vo = { .extent_size = 2048, .pv.metadatacopies = -1 };
	struct tb_lvcreate_opts lo = { .vg = "vgo", .zero = 0, .wipesignatures = 0,
				       .activate = 0, .discards = -1, .errorwhenfull = -1 };
	struct names_seen seen = { .n = 0 };

	(void)state;
	ctx = new_ctx();
	assert_int_equal(tb_vgcreate(ctx, "vgo", d, 1, &vo), 0);
	lo.size = (struct tb_size){ TB_SIZE_SECTORS, 2048, 0 };
	for (size_t i = 0; i < sizeof(make) / sizeof(make[0]); i++) {
		lo.name = make[i];
		if (tb_lvcreate(ctx, &lo) < 0)
			fail_msg("lvcreate %s: %s", make[i], tb_ctx_errmsg(ctx));
	}
	assert_int_equal(tb_report_lvs(ctx, NULL, 0, false, name_row, &seen), 0);
	assert_int_equal(seen.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < seen.n; i++)
		assert_string_equal(seen.names[i], want[i]);
	tb_ctx_unref(ctx);
}

static int count_row(void *ud, const struct tb_lv_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

static size_t count_lvs(struct tb_ctx *ctx)
{
	size_t n = 0;
	assert_int_equal(tb_report_lvs(ctx, NULL, 0, false, count_row, &n), 0);
	return n;
}

/* tb_ctx_set_exit_frees: a model of 1,000 LVs and more is parked, not freed, when a call is done
 * with it; each further call reads the VG afresh and gets the same answers, and a commit after
 * a parked read changes the VG as ever (under ASan: no use of a parked model, no leak
 * reported, as the parked models stay reachable). */
static void test_exit_frees(void **state)
{
	struct tb_ctx *ctx;
	const char *d[] = { DEV_A };
	struct tb_vgcreate_opts vo = { .extent_size = 16, .pv.metadatacopies = -1 };
	struct tb_lvcreate_opts lo = { .vg = "vgx", .name = "extra", .zero = 0,
				       .wipesignatures = 0, .activate = 0, .discards = -1,
				       .errorwhenfull = -1 };
	char empty[256], full[256], *text, *last;
	FILE *f;
	long len;

	(void)state;
	snprintf(empty, sizeof(empty), "%s/vgx-empty.vg", dir);
	snprintf(full, sizeof(full), "%s/vgx-full.vg", dir);
	ctx = new_ctx();
	assert_int_equal(tb_vgcreate(ctx, "vgx", d, 1, &vo), 0);
	assert_int_equal(tb_vgcfgbackup(ctx, "vgx", empty), 0);
	/* the empty VG's file with 1,000 one-extent LVs added (as bench/scale-gen.awk) */
	assert_non_null(f = fopen(empty, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((len = ftell(f)) > 0);
	rewind(f);
	assert_non_null(text = calloc(1, (size_t)len + 1));
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_non_null(last = strrchr(text, '}'));
	assert_non_null(f = fopen(full, "w"));
	fwrite(text, 1, (size_t)(last - text), f);
	fputs("\tlogical_volumes {\n", f);
	for (int i = 1; i <= 1000; i++)
		fprintf(f,
			"\t\tlv%d {\n\t\t\tid = \"%06d-aaaa-bbbb-cccc-dddd-eeee-ffffff\"\n"
			"\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []\n"
			"\t\t\tsegment_count = 1\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n"
			"\t\t\t\textent_count = 1\n\t\t\t\ttype = \"striped\"\n"
			"\t\t\t\tstripe_count = 1\n\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", %d\n"
			"\t\t\t\t]\n\t\t\t}\n\t\t}\n",
			i, i, i - 1);
	fputs("\t}\n", f);
	fputs(last, f);
	fclose(f);
	free(text);
	if (tb_vgcfgrestore(ctx, "vgx", full, false) < 0)
		fail_msg("vgcfgrestore: %s", tb_ctx_errmsg(ctx));
	tb_ctx_set_exit_frees(ctx, true);
	assert_int_equal(count_lvs(ctx), 1000);
	assert_int_equal(count_lvs(ctx), 1000);
	lo.size = (struct tb_size){ TB_SIZE_SECTORS, 16, 0 };
	if (tb_lvcreate(ctx, &lo) < 0)
		fail_msg("lvcreate: %s", tb_ctx_errmsg(ctx));
	assert_int_equal(count_lvs(ctx), 1001);
	tb_ctx_set_exit_frees(ctx, false);
	assert_int_equal(count_lvs(ctx), 1001);
	tb_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_foreign_system_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_lock_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_want, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_frees, setup, teardown),
	};

	if (fake_pvs_env(dir) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
