/* The VG's look-up indexes (metadata/index.c): every answer of md_vg_find_lv and
 * md_lv_pool_of equals a scan of the LV list, through creation, renames, removals, pool
 * conversion and thin LVs, at a few thousand LVs (so the tables grow several times); and
 * md_origin_cows equals a scan through COW snapshots made and dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"

static const char *mkid(unsigned n)
{
	static char buf[MD_ID_LEN + 1];
	static const char a[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	for (unsigned i = 0; i < MD_ID_LEN; i++, n /= 62)
		buf[i] = a[n % 62];
	buf[MD_ID_LEN] = '\0';
	return buf;
}

static struct md_lv *scan_name(const struct md_vg *vg, const char *name)
{
	for (size_t i = 0; i < vg->n_lvs; i++)
		if (!strcmp(vg->lvs[i]->name, name))
			return vg->lvs[i];
	return NULL;
}

static struct md_lv *scan_pool_of(const struct md_vg *vg, const struct md_lv *lv)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *p = vg->lvs[i];
		if (md_lv_is_thin_pool(p) && (p->segs[0].pool_data == lv || p->segs[0].pool_meta == lv))
			return p;
	}
	return NULL;
}

/* Every LV by its name, some names that do not exist, and pool_of of every LV. */
static void check_all(const struct md_vg *vg)
{
	char name[64];
	for (size_t i = 0; i < vg->n_lvs; i++) {
		assert_ptr_equal(md_vg_find_lv(vg, vg->lvs[i]->name), vg->lvs[i]);
		assert_ptr_equal(md_lv_pool_of(vg, vg->lvs[i]), scan_pool_of(vg, vg->lvs[i]));
	}
	for (unsigned k = 0; k < 50; k++) {
		snprintf(name, sizeof(name), "absent%u", k);
		assert_null(md_vg_find_lv(vg, name));
	}
}

static void test_index_matches_scan(void **state)
{
	struct md_vg *vg = NULL;
	struct md_lv *lv, *data, *meta, *pool = NULL, *thin = NULL;
	char name[64], name2[64];
	const unsigned n = 3000;

	assert_int_equal(md_vg_new("vg", mkid(1), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, mkid(2), "/dev/a", 2048 + (uint64_t)(n + 200) * 8192, 2048,
				      NULL), 0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "lv%u", i);
		assert_int_equal(md_lv_new(vg, name, mkid(100 + i), MD_LV_READ | MD_LV_WRITE |
					   MD_LV_VISIBLE, &lv), 0);
		assert_int_equal(md_lv_extend_linear(vg, lv, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
		/* looked up while the table grows */
		if (i % 97 == 0)
			assert_ptr_equal(md_vg_find_lv(vg, "lv0"), vg->lvs[0]);
	}
	assert_int_equal(md_lv_new(vg, "lv7", mkid(9), 0, &lv), -EEXIST);
	check_all(vg);

	/* renames: the old name is gone, the new one found */
	for (unsigned i = 0; i < n; i += 37) {
		snprintf(name, sizeof(name), "lv%u", i);
		snprintf(name2, sizeof(name2), "renamed%u", i);
		lv = md_vg_find_lv(vg, name);
		assert_non_null(lv);
		assert_int_equal(md_lv_rename(vg, lv, name2), 0);
		assert_null(md_vg_find_lv(vg, name));
		assert_ptr_equal(md_vg_find_lv(vg, name2), lv);
	}
	/* removals */
	for (unsigned i = 1; i < n; i += 41) {
		snprintf(name, sizeof(name), "lv%u", i);
		lv = md_vg_find_lv(vg, name);
		if (!lv)
			continue;
		assert_int_equal(md_lv_remove(vg, lv), 0);
		assert_null(md_vg_find_lv(vg, name));
		assert_null(scan_name(vg, name));
	}
	check_all(vg);

	/* a pool made of two LVs: its sub-LVs answer pool_of, renamed _tdata/_tmeta */
	assert_int_equal(md_lv_new(vg, "data", mkid(90001), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE,
				   &data), 0);
	assert_int_equal(md_lv_extend_linear(vg, data, 8, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_lv_new(vg, "meta", mkid(90002), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE,
				   &meta), 0);
	assert_int_equal(md_lv_extend_linear(vg, meta, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_null(md_lv_pool_of(vg, data)); /* asked before the conversion: cached as none */
	struct md_pool_params pp = { .chunk_size = 128, .zero = false, .make_spare = false };
	assert_int_equal(md_pool_convert(vg, data, meta, mkid(90003), mkid(90004), &pp, &pool), 0);
	assert_ptr_equal(md_lv_pool_of(vg, data), pool);
	assert_ptr_equal(md_lv_pool_of(vg, meta), pool);
	assert_ptr_equal(md_vg_find_lv(vg, "data"), pool);
	assert_ptr_equal(md_vg_find_lv(vg, "data_tdata"), data);
	assert_ptr_equal(md_vg_find_lv(vg, "data_tmeta"), meta);
	assert_null(md_vg_find_lv(vg, "meta"));
	assert_int_equal(md_thin_create(vg, pool, "thin1", mkid(90005), 4, NULL, &thin), 0);
	assert_ptr_equal(md_vg_find_lv(vg, "thin1"), thin);
	assert_null(md_lv_pool_of(vg, thin));
	check_all(vg);
	md_pool_clear_messages(pool); /* as after the kernel applied the create */
	assert_int_equal(md_thin_remove(vg, thin), 0);
	assert_null(md_vg_find_lv(vg, "thin1"));
	check_all(vg);
	md_vg_free(vg);
}

/* md_origin_cows as the list scan it replaced: the COW stores of @origin in VG order. */
static size_t scan_cows(const struct md_vg *vg, const struct md_lv *origin, struct md_lv **out,
			size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		if (!md_lv_is_snapshot(lv) || lv->segs[0].origin != origin || !lv->segs[0].cow)
			continue;
		if (out && n < max)
			out[n] = lv->segs[0].cow;
		n++;
	}
	return n;
}

static void check_cows(const struct md_vg *vg)
{
	struct md_lv *a[8], *b[8];
	for (size_t i = 0; i < vg->n_lvs; i++) {
		size_t n = scan_cows(vg, vg->lvs[i], a, 8);
		assert_int_equal(md_origin_cows(vg, vg->lvs[i], b, 8), n);
		assert_int_equal(md_origin_cows(vg, vg->lvs[i], NULL, 0), n);
		for (size_t k = 0; k < n && k < 8; k++)
			assert_ptr_equal(a[k], b[k]);
	}
}

static void test_cow_index_matches_scan(void **state)
{
	struct md_vg *vg = NULL;
	struct md_lv *lv, *snap;
	char name[64];
	const unsigned n = 600;
	unsigned ids = 1000;

	assert_int_equal(md_vg_new("vg", mkid(1), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, mkid(2), "/dev/a", 2048 + (uint64_t)(n + 200) * 8192, 2048,
				      NULL), 0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "lv%u", i);
		assert_int_equal(md_lv_new(vg, name, mkid(100 + i), MD_LV_READ | MD_LV_WRITE |
					   MD_LV_VISIBLE, &lv), 0);
		assert_int_equal(md_lv_extend_linear(vg, lv, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
	}
	check_cows(vg); /* none: asked before any snapshot, then the index must follow */
	/* lvK (K < 20) the origin of one to three snapshots, their stores lv(100 + ...) */
	for (unsigned i = 0, c = 100; i < 20; i++)
		for (unsigned k = 0; k <= i % 3; k++, c++) {
			struct md_lv *origin = vg->lvs[i], *cow = vg->lvs[c];
			assert_int_equal(md_cow_snapshot_add(vg, origin, cow, mkid(ids++), 8, &snap), 0);
			if (c % 7 == 0)
				check_cows(vg);
		}
	check_cows(vg);
	/* some snapshots dropped, an origin's snapshot store removed with it */
	for (unsigned c = 100; c < 140; c += 3) {
		snprintf(name, sizeof(name), "lv%u", c);
		lv = md_vg_find_lv(vg, name);
		assert_non_null(lv);
		if (!md_lv_is_cow(lv))
			continue;
		assert_int_equal(md_cow_snapshot_drop(vg, lv), 0);
		if (c % 2)
			assert_int_equal(md_lv_remove(vg, lv), 0);
	}
	check_cows(vg);
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_matches_scan),
		cmocka_unit_test(test_cow_index_matches_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
