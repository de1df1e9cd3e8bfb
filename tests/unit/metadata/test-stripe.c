/* Striped allocation (metadata/stripe.c): lvm2's normal policy for -i N, and lvextend. */
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
#include "md-fixture.h"


/* A VG with @n PVs of 100 extents (4 MiB) each. */
static struct md_vg *pvs_vg(int n)
{
	return pvs_vg_of(n, 100);
}

static struct md_lv *new_lv(struct md_vg *vg, const char *name, int idn)
{
	struct md_lv *lv = NULL;
	assert_int_equal(
		md_lv_new(vg, name, id(idn), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv), 0);
	return lv;
}


static void test_new_striped(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *a = new_lv(vg, "a", 8);

	assert_int_equal(md_lv_extend_striped(vg, a, 30, 3, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 1);
	assert_int_equal(a->segs[0].stripe_count, 3);
	assert_int_equal(a->segs[0].stripe_size, 128);
	assert_int_equal(a->segs[0].extent_count, 30);
	/* equal PVs: PV order, each area 10 extents from PE 0 */
	for (int i = 0; i < 3; i++) {
		assert_ptr_equal(a->segs[0].areas[i].pv, vg->pvs[i]);
		assert_int_equal(a->segs[0].areas[i].start, 0);
		assert_int_equal(md_pv_used_extents(vg, vg->pvs[i]), 10);
	}
	/* not a multiple of the stripes, no stripes: refused, nothing changed */
	assert_int_equal(md_lv_extend_striped(vg, a, 31, 3, 128, NULL, 0, NULL), -EINVAL);
	assert_int_equal(md_lv_extend_striped(vg, a, 30, 0, 128, NULL, 0, NULL), -EINVAL);
	/* a different stripe count than the last segment (lvextend -i 2): a new segment, which
	 * does not continue the 3 areas in place although each of them could */
	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 2);
	assert_int_equal(a->segs[1].start_extent, 30);
	assert_int_equal(a->segs[1].stripe_count, 2);
	assert_int_equal(a->segs[1].extent_count, 20);
	valid(vg);
	md_vg_free(vg);
}

/* lvextend -I with another stripe size, and -i 1 (linear) after stripes: new segments, each
 * with its own geometry, never merged with the last one */
static void test_extend_other_geometry(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	struct md_lv *a = new_lv(vg, "a", 8);

	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(md_lv_extend_striped(vg, a, 10, 2, 256, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 2);
	assert_int_equal(a->segs[1].stripe_size, 256);
	/* contiguous on both PVs, yet not merged: the stripe sizes differ */
	assert_int_equal(a->segs[1].areas[0].start, 10);
	assert_int_equal(md_lv_extend_striped(vg, a, 3, 1, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 3);
	assert_int_equal(a->segs[2].stripe_count, 1);
	assert_int_equal(a->segs[2].stripe_size, 0); /* linear: no stripe size */
	assert_int_equal(md_lv_extents(a), 33);
	/* the same geometry again continues the last segment in place */
	assert_int_equal(md_lv_extend_striped(vg, a, 2, 1, 0, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 3);
	assert_int_equal(a->segs[2].extent_count, 5);
	valid(vg);
	md_vg_free(vg);
}

/* A thin pool whose data is striped (lvcreate --type thin-pool -i 2): growing it keeps the
 * stripes (lvextend and the monitor's md_pool_extend_data, rounded up to whole stripes) */
static void test_striped_pool_data(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *data = new_lv(vg, "p", 8), *meta = NULL, *pool = NULL;
	struct md_pool_params pp = { .chunk_size = 128, .zero = true, .make_spare = true };

	assert_int_equal(md_lv_new(vg, "p_tmetanew", id(9), MD_LV_READ | MD_LV_WRITE, &meta), 0);
	assert_int_equal(md_lv_extend_striped(vg, data, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(md_lv_extend_linear(vg, meta, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_pool_convert(vg, data, meta, id(10), id(11), &pp, &pool), 0);
	assert_int_equal(pool->segs[0].extent_count, 20);
	/* 5 more: 6, in the same 2 stripes, continued in place */
	assert_int_equal(md_pool_extend_data(vg, pool, 5, MD_ALLOC_NORMAL), 0);
	assert_int_equal(data->n_segs, 1);
	assert_int_equal(data->segs[0].stripe_count, 2);
	assert_int_equal(md_lv_extents(data), 26);
	assert_int_equal(pool->segs[0].extent_count, 26);
	/* lvextend -i 3: a second segment of 3 stripes; the pool follows its data */
	assert_int_equal(md_pool_extend_data_striped(vg, pool, 9, 3, 128, NULL), 0);
	assert_int_equal(data->n_segs, 2);
	assert_int_equal(data->segs[1].stripe_count, 3);
	assert_int_equal(pool->segs[0].extent_count, 35);
	/* not a multiple of the stripes, or more than the PVs hold: refused, nothing changed */
	assert_int_equal(md_pool_extend_data_striped(vg, pool, 4, 3, 128, NULL), -EINVAL);
	assert_int_equal(md_pool_extend_data_striped(vg, pool, 600, 3, 128, NULL), -ENOSPC);
	assert_int_equal(pool->segs[0].extent_count, 35);
	assert_int_equal(md_lv_extents(data), 35);
	valid(vg);
	md_vg_free(vg);
}

static void test_extend_contiguous(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	struct md_lv *a = new_lv(vg, "a", 8);
	uint32_t got = 99;

	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	/* continues in place on both PVs: still one segment */
	assert_int_equal(md_lv_extend_striped(vg, a, 40, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 1);
	assert_int_equal(a->segs[0].extent_count, 60);
	/* 160 more: the 140 free extents do not hold it, nothing changes, all 160 missing
	 * (each PV has 70 free: the areas continue by 70, then no 2 PVs have room) */
	assert_int_equal(md_lv_extend_striped(vg, a, 160, 2, 128, NULL, 0, &got), -ENOSPC);
	assert_int_equal(got, 140);
	assert_int_equal(a->n_segs, 1);
	assert_int_equal(md_lv_extents(a), 60);
	assert_int_equal(md_vg_free_count(vg), 140);
	valid(vg);
	md_vg_free(vg);
}

static void test_extend_after_other_lv(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	struct md_lv *a = new_lv(vg, "a", 8), *b = new_lv(vg, "b", 9);

	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(md_lv_extend_linear(vg, b, 5, MD_ALLOC_NORMAL, NULL, 0), 0);
	/* b sits right after a's first area: a extends on the same PVs in a second segment */
	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 2);
	assert_int_equal(a->segs[1].start_extent, 20);
	assert_int_equal(a->segs[1].stripe_count, 2);
	for (int i = 0; i < 2; i++)
		assert_ptr_equal(a->segs[1].areas[i].pv, a->segs[0].areas[i].pv);
	valid(vg);
	md_vg_free(vg);
}

static void test_too_few_pvs_with_room(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *full = new_lv(vg, "full", 8), *a = new_lv(vg, "a", 9);
	struct md_pv *only[2];
	uint32_t got = 99;

	assert_int_equal(md_lv_extend_linear(vg, full, 100, MD_ALLOC_CONTIGUOUS, NULL, 0), 0);
	/* one PV is full: 3 stripes cannot be placed at all */
	assert_int_equal(md_lv_extend_striped(vg, a, 3, 3, 128, NULL, 0, &got), -ENOSPC);
	assert_int_equal(got, 0);
	assert_int_equal(a->n_segs, 0);
	/* two PVs: fine, on the two with room */
	assert_int_equal(md_lv_extend_striped(vg, a, 4, 2, 128, NULL, 0, NULL), 0);
	assert_ptr_not_equal(a->segs[0].areas[0].pv, full->segs[0].areas[0].pv);
	assert_ptr_not_equal(a->segs[0].areas[1].pv, full->segs[0].areas[0].pv);
	md_lv_remove(vg, a);
	/* restricted to named PVs: in their order */
	a = new_lv(vg, "a", 9);
	only[0] = vg->pvs[2];
	only[1] = vg->pvs[1];
	assert_ptr_equal(full->segs[0].areas[0].pv, vg->pvs[0]);
	assert_int_equal(md_lv_extend_striped(vg, a, 4, 2, 16, only, 2, NULL), 0);
	assert_ptr_equal(a->segs[0].areas[0].pv, vg->pvs[2]);
	assert_ptr_equal(a->segs[0].areas[1].pv, vg->pvs[1]);
	valid(vg);
	md_vg_free(vg);
}

static void test_largest_first_split(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *f = new_lv(vg, "f", 8), *a = new_lv(vg, "a", 9);
	struct md_pv *p0[1];

	/* PV a has 40 free, b and c 100: 2 stripes of 60 take b and c (largest first) */
	p0[0] = vg->pvs[0];
	assert_int_equal(md_lv_extend_linear(vg, f, 60, MD_ALLOC_NORMAL, p0, 1), 0);
	assert_int_equal(md_lv_extend_striped(vg, a, 120, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(a->n_segs, 1);
	assert_ptr_equal(a->segs[0].areas[0].pv, vg->pvs[1]);
	assert_ptr_equal(a->segs[0].areas[1].pv, vg->pvs[2]);
	/* 3 stripes of 40 now: a's 40 and the 40 left on b and c */
	struct md_lv *c = new_lv(vg, "c", 10);
	assert_int_equal(md_lv_extend_striped(vg, c, 120, 3, 128, NULL, 0, NULL), 0);
	assert_int_equal(md_vg_free_count(vg), 0);
	valid(vg);
	md_vg_free(vg);
}

/* The first parallel area of a request (lvm2 places a new pool's metadata after it): one
 * segment as long as the shortest area chosen for the whole request */
static void test_first_area_only(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *f = new_lv(vg, "f", 8), *a = new_lv(vg, "a", 9);
	struct md_pv *p0[1] = { vg->pvs[0] };
	uint32_t got = 0;

	assert_int_equal(md_lv_extend_linear(vg, f, 60, MD_ALLOC_NORMAL, p0, 1), 0);
	/* 3 stripes of 50: areas of 40 (PV a), 50, 50: one segment of 3 x 40 */
	assert_int_equal(md_lv_extend_striped_first(vg, a, 150, 3, 128, NULL, 0, &got), 0);
	assert_int_equal(got, 120);
	assert_int_equal(a->n_segs, 1);
	assert_int_equal(md_lv_extents(a), 120);
	/* only for a new LV */
	assert_int_equal(md_lv_extend_striped_first(vg, a, 30, 3, 128, NULL, 0, &got), -EINVAL);
	/* the rest continues as an extension */
	assert_int_equal(md_lv_extend_striped(vg, a, 30, 3, 128, NULL, 0, &got), -ENOSPC);
	assert_int_equal(md_lv_extend_striped(vg, a, 20, 2, 128, NULL, 0, NULL), 0);
	assert_int_equal(md_lv_extents(a), 140);
	valid(vg);
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_striped),
		cmocka_unit_test(test_extend_contiguous),
		cmocka_unit_test(test_extend_after_other_lv),
		cmocka_unit_test(test_too_few_pvs_with_room),
		cmocka_unit_test(test_largest_first_split),
		cmocka_unit_test(test_extend_other_geometry),
		cmocka_unit_test(test_striped_pool_data),
		cmocka_unit_test(test_first_area_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
