/* Unit tests: core/report/report-rf.c, the further report fields of each LV and segment, on
 * lvm2's own texts (tests/fixtures/lvm2: linear, thin pool, thin LVs and snapshots, COW
 * snapshots, raid1), inactive and as if active. The builders skip the work of fields a report
 * does not want, in blocks (issue 13): whatever one report wants alone, it must get the very
 * field a report wanting everything gets, and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "core/report/report-rf.h"
#include "lvmfmt/vg-text.h"
#include "metadata/md.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A want of exactly one id (and, for segment fields, the segment rows themselves). */
struct one {
	const char *id;
	bool segs;
	size_t asked;
};

static bool want_one(void *ud, const char *id)
{
	struct one *o = ud;
	o->asked++;
	if (!strcmp(id, "_segments"))
		return o->segs;
	return !strcmp(id, o->id);
}

static void same_field(const struct tb_rfield *a, const struct tb_rfield *b)
{
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->kind, b->kind);
	switch (a->kind) {
	case TB_RF_STR:
		assert_string_equal(a->s, b->s);
		break;
	case TB_RF_SIZE:
	case TB_RF_NUM:
		assert_true(a->u == b->u);
		break;
	case TB_RF_BIN:
	case TB_RF_TIME:
		assert_true(a->i == b->i);
		break;
	case TB_RF_PCT:
		assert_true(a->num == b->num && a->den == b->den);
		break;
	}
}

/* Every field of @all (want NULL) is built, alone and unchanged, by a want of it alone; a want
 * of nothing builds nothing. Returns the fields checked. */
static size_t check_lv(const struct md_vg *vg, const struct md_lv *lv, const struct tb_lv_state *st,
		       const char *const *paths)
{
	struct tb_rf_set all = { 0 };
	struct tb_rf_segs all_segs = { 0 };
	size_t checked = 0;

	assert_int_equal(tb_rf_lv_fields(vg, lv, st, paths, false, &all, &all_segs), 0);
	assert_int_equal(all_segs.n, lv->n_segs);
	for (size_t k = 0; k < all.n; k++) {
		struct one o = { .id = all.f[k].id };
		struct tb_rf_want w = { .fn = want_one, .ud = &o };
		struct tb_rf_set one = { .want = &w };
		struct tb_rf_segs segs = { 0 };
		size_t found = 0;

		assert_int_equal(tb_rf_lv_fields(vg, lv, st, paths, false, &one, &segs), 0);
		for (size_t j = 0; j < one.n; j++) {
			assert_string_equal(one.f[j].id, o.id); /* nothing else */
			found++;
		}
		/* the same count (an id may be set twice, the later value counting) */
		size_t want_n = 0;
		const struct tb_rfield *last = NULL, *got = NULL;
		for (size_t j = 0; j < all.n; j++)
			if (!strcmp(all.f[j].id, o.id)) {
				want_n++;
				last = &all.f[j];
			}
		if (found != want_n)
			fail_msg("LV %s: field %s built %zu times alone, %zu times with all", lv->name,
				 o.id, found, want_n);
		got = &one.f[one.n - 1];
		same_field(got, last);
		assert_int_equal(segs.n, 0); /* no segment rows asked for */
		checked++;
		tb_rf_release(&one);
		tb_rf_segs_release(&segs);
		tb_rf_want_release(&w);
	}
	for (size_t g = 0; g < all_segs.n; g++)
		for (size_t k = 0; k < all_segs.v[g].n; k++) {
			const struct tb_rfield *want_f = &all_segs.v[g].f[k];
			struct one o = { .id = want_f->id, .segs = true };
			struct tb_rf_want w = { .fn = want_one, .ud = &o };
			struct tb_rf_set one = { .want = &w };
			struct tb_rf_segs segs = { 0 };
			const struct tb_rfield *last = NULL;

			assert_int_equal(tb_rf_lv_fields(vg, lv, st, paths, false, &one, &segs), 0);
			assert_int_equal(segs.n, lv->n_segs);
			for (size_t j = 0; j < segs.v[g].n; j++) {
				assert_string_equal(segs.v[g].f[j].id, o.id);
				last = &segs.v[g].f[j];
			}
			if (!last)
				fail_msg("LV %s segment %zu: field %s not built alone", lv->name, g,
					 o.id);
			for (size_t j = 0; j < all_segs.v[g].n; j++)
				if (!strcmp(all_segs.v[g].f[j].id, o.id))
					want_f = &all_segs.v[g].f[j];
			same_field(last, want_f);
			checked++;
			tb_rf_release(&one);
			tb_rf_segs_release(&segs);
			tb_rf_want_release(&w);
		}
	{
		struct one o = { .id = "no field has this id" };
		struct tb_rf_want w = { .fn = want_one, .ud = &o };
		struct tb_rf_set none = { .want = &w };
		struct tb_rf_segs segs = { 0 };
		assert_int_equal(tb_rf_lv_fields(vg, lv, st, paths, false, &none, &segs), 0);
		assert_int_equal(none.n, 0);
		assert_int_equal(segs.n, 0);
		assert_true(o.asked > 0);
		tb_rf_release(&none);
		tb_rf_segs_release(&segs);
		tb_rf_want_release(&w);
	}
	tb_rf_release(&all);
	tb_rf_segs_release(&all_segs);
	return checked;
}

static void check_fixture(const char *name)
{
	char path[256];
	size_t len, checked = 0;
	char *text;
	struct md_vg *vg = NULL;
	const char *paths[8] = { "/dev/vda", "/dev/vdb", "/dev/vdc", "/dev/vdd" };

	snprintf(path, sizeof(path), "tests/fixtures/lvm2/%s", name);
	text = slurp(path, &len);
	assert_int_equal(lvf_vg_import_text(text, len, &vg, NULL), 0);
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct tb_lv_state off = { 0 }, on = { 0 };
		on.active = on.pool_active = true;
		on.info.dev = makedev(253, (unsigned)i);
		on.pool_info.dev = makedev(253, 100 + (unsigned)i);
		on.info.open_count = 1;
		checked += check_lv(vg, vg->lvs[i], &off, paths);
		checked += check_lv(vg, vg->lvs[i], &on, paths);
	}
	print_message("%s: %zu LVs, %zu fields each built alone\n", name, vg->n_lvs, checked);
	assert_true(checked > vg->n_lvs * 20);
	md_vg_free(vg);
	free(text);
}

static void test_recipe(void **state)
{
	(void)state;
	check_fixture("1-recipe.vg");
}

static void test_thin_and_snapshot(void **state)
{
	(void)state;
	check_fixture("2-thin-and-snapshot.vg");
}

static void test_extended(void **state)
{
	(void)state;
	check_fixture("3-extended.vg");
}

static void test_raid1(void **state)
{
	(void)state;
	check_fixture("4-raid1.vg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recipe),
		cmocka_unit_test(test_thin_and_snapshot),
		cmocka_unit_test(test_extended),
		cmocka_unit_test(test_raid1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
