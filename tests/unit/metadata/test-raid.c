/* raid1 layout (metadata/raid.c): lvm2's split of parallel metadata+image areas, extension on
 * each image's own PVs, rename and removal of the sub-LVs. */
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

static char ids[8][MD_ID_LEN + 1];

static void mk_ids(int base)
{
	for (int n = 0; n < 8; n++) {
		memset(ids[n], 'A' + base + n, MD_ID_LEN);
		ids[n][MD_ID_LEN] = '\0';
	}
}


/* A VG with @n PVs of 64 extents (4 MiB) each. */
static struct md_vg *pvs_vg(int n)
{
	return pvs_vg_of(n, 64);
}


static struct md_lv *raid(struct md_vg *vg, const char *name, uint32_t ext, uint32_t images,
			  int r_want)
{
	struct md_raid_params rp = { images, 4096, true };
	struct md_lv *lv = NULL;
	mk_ids(name[0] - 'a');
	assert_int_equal(md_raid1_create(vg, name, (const char(*)[MD_ID_LEN + 1])ids, ext, &rp,
					 NULL, 0, NULL, &lv),
			 r_want);
	return lv;
}

static void test_create_layout(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	struct md_lv *r1 = raid(vg, "r1", 10, 2, 0), *l;
	uint32_t k = 9;
	bool meta = true;

	assert_true(md_lv_is_raid(r1));
	assert_true(r1->status & MD_LV_NOTSYNCED);
	assert_true(md_lv_is_visible(r1));
	assert_int_equal(r1->segs[0].stripe_count, 2);
	assert_int_equal(r1->segs[0].extent_count, 10);
	assert_int_equal(r1->segs[0].region_size, 4096);
	assert_string_equal(r1->segs[0].type, "raid1");
	/* lvm2's order: r1, r1_rimage_0, r1_rmeta_0, r1_rimage_1, r1_rmeta_1 */
	assert_int_equal(vg->n_lvs, 5);
	assert_string_equal(vg->lvs[0]->name, "r1");
	assert_string_equal(vg->lvs[1]->name, "r1_rimage_0");
	assert_string_equal(vg->lvs[2]->name, "r1_rmeta_0");
	assert_string_equal(vg->lvs[3]->name, "r1_rimage_1");
	assert_string_equal(vg->lvs[4]->name, "r1_rmeta_1");
	/* each pair on its own PV: metadata at PE 0, the image after it */
	for (uint32_t i = 0; i < 2; i++) {
		const struct md_lv *m = r1->segs[0].meta_areas[i].lv, *im = r1->segs[0].areas[i].lv;
		assert_false(md_lv_is_visible(m));
		assert_false(md_lv_is_visible(im));
		assert_int_equal(md_lv_extents(m), 1);
		assert_int_equal(md_lv_extents(im), 10);
		assert_ptr_equal(m->segs[0].areas[0].pv, vg->pvs[i]);
		assert_int_equal(m->segs[0].areas[0].start, 0);
		assert_ptr_equal(im->segs[0].areas[0].pv, vg->pvs[i]);
		assert_int_equal(im->segs[0].areas[0].start, 1);
	}
	l = md_vg_find_lv(vg, "r1_rmeta_1");
	assert_ptr_equal(md_lv_raid_of(vg, l, &k, &meta), r1);
	assert_int_equal(k, 1);
	assert_true(meta);
	l = md_vg_find_lv(vg, "r1_rimage_0");
	assert_ptr_equal(md_lv_raid_of(vg, l, &k, &meta), r1);
	assert_int_equal(k, 0);
	assert_false(meta);
	assert_null(md_lv_raid_of(vg, r1, NULL, NULL));
	/* sub-LVs are in use: not removable on their own */
	assert_int_equal(md_lv_remove(vg, l), -EBUSY);
	assert_int_equal(md_vg_free_count(vg), 128 - 22);
	valid(vg);
	md_vg_free(vg);
}

static void test_not_enough_pvs(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	/* three images on two PVs, and more extents than a PV has: refused, nothing changed */
	raid(vg, "r1", 4, 3, -ENOSPC);
	raid(vg, "r2", 64, 2, -ENOSPC);
	assert_int_equal(vg->n_lvs, 0);
	assert_int_equal(md_vg_free_count(vg), 128);
	/* the name taken */
	raid(vg, "r3", 2, 2, 0);
	raid(vg, "r3", 2, 2, -EEXIST);
	assert_int_equal(vg->n_lvs, 5);
	valid(vg);
	md_vg_free(vg);
}

static void test_extend_own_pvs(void **state)
{
	struct md_vg *vg = pvs_vg(3);
	struct md_lv *r1 = raid(vg, "r1", 10, 2, 0), *r2 = raid(vg, "r2", 2, 2, 0);

	/* r2 sits after r1 on PVs a and b: r1's images extend on their own PVs */
	assert_int_equal(md_raid_extend(vg, r1, 2, NULL, 0), 0);
	assert_int_equal(r1->segs[0].extent_count, 12);
	for (uint32_t i = 0; i < 2; i++) {
		const struct md_lv *im = r1->segs[0].areas[i].lv;
		assert_int_equal(md_lv_extents(im), 12);
		for (size_t s = 0; s < im->n_segs; s++)
			assert_ptr_equal(im->segs[s].areas[0].pv, vg->pvs[i]);
	}
	/* too much: nothing changes */
	assert_int_equal(md_raid_extend(vg, r2, 100, NULL, 0), -ENOSPC);
	assert_int_equal(r2->segs[0].extent_count, 2);
	assert_int_equal(md_lv_extents(r2->segs[0].areas[0].lv), 2);
	assert_int_equal(md_lv_extents(r2->segs[0].areas[1].lv), 2);
	valid(vg);
	md_vg_free(vg);
}

static void test_rename_remove(void **state)
{
	struct md_vg *vg = pvs_vg(2);
	struct md_lv *r1 = raid(vg, "r1", 4, 2, 0), *o = NULL;

	assert_int_equal(md_raid_rename(vg, r1, "data"), 0);
	assert_non_null(md_vg_find_lv(vg, "data_rimage_0"));
	assert_non_null(md_vg_find_lv(vg, "data_rmeta_1"));
	assert_null(md_vg_find_lv(vg, "r1_rimage_0"));
	/* a sub-LV name taken: refused, nothing renamed */
	assert_int_equal(md_lv_new(vg, "x_rmeta_1", id(9), MD_LV_READ | MD_LV_VISIBLE, &o), 0);
	assert_int_equal(md_raid_rename(vg, r1, "x"), -EEXIST);
	assert_string_equal(r1->name, "data");
	assert_non_null(md_vg_find_lv(vg, "data_rmeta_1"));
	assert_int_equal(md_lv_remove(vg, o), 0);
	assert_int_equal(md_raid_remove(vg, r1), 0);
	assert_int_equal(vg->n_lvs, 0);
	assert_int_equal(md_vg_free_count(vg), 128);
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_layout),
		cmocka_unit_test(test_not_enough_pvs),
		cmocka_unit_test(test_extend_own_pvs),
		cmocka_unit_test(test_rename_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
