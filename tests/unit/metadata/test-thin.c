/* Unit tests: metadata/thin.c (threshold and low water mark, estimates, thin LVs and
 * snapshots with their queued messages and transaction ids, pool growth). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"

static const char *id(int n)
{
	static char ids[32][MD_ID_LEN + 1];
	memset(ids[n], 'a' + n, MD_ID_LEN);
	ids[n][MD_ID_LEN] = '\0';
	return ids[n];
}

/* VG "vg" with one PV of 200 extents (4 MiB) and a pool "pool" of 50 data, 1 meta extents
 * (chunk 64 KiB), a pmspare of 1. */
static struct md_vg *vg_with_pool(struct md_lv **ret_pool)
{
	struct md_vg *vg = NULL;
	struct md_lv *d = NULL, *m = NULL;
	struct md_pool_params pp = { 128, false, MD_DISCARDS_PASSDOWN, true };

	assert_int_equal(md_vg_new("vg", id(0), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/a", 2048 + 200 * 8192, 2048, NULL), 0);
	assert_int_equal(md_lv_new(vg, "pool", id(2), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &d),
			 0);
	assert_int_equal(md_lv_new(vg, "meta", id(3), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &m),
			 0);
	assert_int_equal(md_lv_extend_linear(vg, d, 50, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_lv_extend_linear(vg, m, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_pool_convert(vg, d, m, id(4), id(5), &pp, ret_pool), 0);
	return vg;
}

static void assert_valid(const struct md_vg *vg)
{
	char why[256] = "";
	assert_int_equal(md_vg_validate(vg, why, sizeof(why)), 0);
}

static void test_threshold_and_low_water_mark(void **state)
{
	/* lvm2 acts on at least 50 % */
	assert_int_equal(md_threshold_clamp(0), 50);
	assert_int_equal(md_threshold_clamp(-5), 50);
	assert_int_equal(md_threshold_clamp(49), 50);
	assert_int_equal(md_threshold_clamp(50), 50);
	assert_int_equal(md_threshold_clamp(80), 80);
	assert_int_equal(md_threshold_clamp(100), 100);
	/* 1 GiB of 64 KiB chunks = 16384 blocks: 20 % of them below 80 % */
	assert_int_equal(md_pool_low_water_mark(2097152, 128, 80), 16384 * 20 / 100);
	assert_int_equal(md_pool_low_water_mark(2097152, 128, 10), 16384 / 2); /* clamped to 50 */
	assert_int_equal(md_pool_low_water_mark(2097152, 128, 100), 0);        /* off */
	assert_int_equal(md_pool_low_water_mark(2097152, 0, 80), 0);
}

static void test_estimate_from_metadata_size(void **state)
{
	uint32_t chunk = 0;
	uint64_t meta = 0;

	/* a given metadata size picks the chunk: data / (meta * 8), rounded up to a power of 2 */
	assert_int_equal(md_pool_estimate(2097152, 0, 2048, &chunk, &meta), 0);
	assert_int_equal(meta, 2048);
	assert_int_equal(chunk, 128);
	/* never below the minimum chunk */
	assert_int_equal(md_pool_estimate(2097152, 0, 1 << 20, &chunk, &meta), 0);
	assert_int_equal(chunk, MD_THIN_MIN_CHUNK);
	/* a chunk larger than the data: refused */
	assert_int_equal(md_pool_estimate(64, 128, 0, &chunk, &meta), -EINVAL);
}

static void test_thin_and_snapshot(void **state)
{
	struct md_lv *pool = NULL, *t = NULL, *s = NULL, *lin = NULL, *out[4];
	struct md_vg *vg = vg_with_pool(&pool);
	uint64_t tid = pool->segs[0].transaction_id;

	assert_int_equal(md_thin_create(vg, pool, "t", id(6), 25, NULL, &t), 0);
	assert_int_equal(t->segs[0].device_id, 1);
	assert_ptr_equal(t->segs[0].thin_pool, pool);
	assert_null(t->segs[0].origin);
	assert_false(t->flags & MD_LVF_ACTIVATION_SKIP);
	assert_int_equal(pool->segs[0].transaction_id, tid + 1);
	/* a snapshot in the same transaction: one more message, the same tid */
	assert_int_equal(md_thin_create(vg, pool, "s", id(7), 25, t, &s), 0);
	assert_int_equal(s->segs[0].device_id, 2);
	assert_ptr_equal(s->segs[0].origin, t);
	assert_true(s->flags & MD_LVF_ACTIVATION_SKIP); /* lvm2's thin snapshots: -k */
	assert_int_equal(pool->segs[0].transaction_id, tid + 1);
	assert_int_equal(pool->segs[0].n_msgs, 2);
	assert_int_equal(pool->segs[0].msgs[0].kind, MD_MSG_CREATE);
	assert_ptr_equal(pool->segs[0].msgs[1].lv, s);
	assert_valid(vg);
	/* the pool's thin LVs in VG order; by device id */
	assert_int_equal(md_pool_thins(vg, pool, out, 4), 2);
	assert_ptr_equal(out[0], t);
	assert_ptr_equal(out[1], s);
	assert_ptr_equal(md_thin_by_device_id(vg, pool, 2), s);
	assert_null(md_thin_by_device_id(vg, pool, 3));
	/* an origin that is not a thin LV of this pool, or no size: refused, nothing added */
	assert_int_equal(md_lv_new(vg, "lin", id(8), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lin),
			 0);
	assert_int_equal(md_thin_create(vg, pool, "x", id(9), 25, lin, &out[0]), -EINVAL);
	assert_int_equal(md_thin_create(vg, pool, "x", id(9), 0, NULL, &out[0]), -EINVAL);
	assert_int_equal(md_thin_create(vg, lin, "x", id(9), 25, NULL, &out[0]), -EINVAL);
	assert_null(md_vg_find_lv(vg, "x"));
	assert_int_equal(pool->segs[0].n_msgs, 2);
	/* the kernel took them: the next change is a new transaction */
	md_pool_clear_messages(pool);
	assert_int_equal(md_thin_remove(vg, t), 0);
	assert_null(md_vg_find_lv(vg, "t"));
	assert_null(s->segs[0].origin); /* the snapshot outlives its origin */
	assert_int_equal(pool->segs[0].transaction_id, tid + 2);
	assert_int_equal(pool->segs[0].n_msgs, 1);
	assert_int_equal(pool->segs[0].msgs[0].kind, MD_MSG_DELETE);
	assert_int_equal(pool->segs[0].msgs[0].device_id, 1);
	/* id 1 is not reused while its delete is queued */
	assert_int_equal(md_thin_create(vg, pool, "t2", id(10), 25, NULL, &t), 0);
	assert_int_equal(t->segs[0].device_id, 3);
	assert_int_equal(pool->segs[0].transaction_id, tid + 2);
	assert_valid(vg);
	/* a thin LV is not a pool: md_thin_remove of a pool or linear LV is -EINVAL */
	assert_int_equal(md_thin_remove(vg, pool), -EINVAL);
	assert_int_equal(md_thin_remove(vg, lin), -EINVAL);
	md_vg_free(vg);
}

static void test_pool_growth(void **state)
{
	struct md_lv *pool = NULL;
	struct md_vg *vg = vg_with_pool(&pool);
	struct md_lv *spare = md_vg_pmspare(vg);
	uint64_t free0 = md_vg_free_count(vg);

	assert_non_null(spare);
	assert_int_equal(md_pool_extend_data(vg, pool, 10, MD_ALLOC_NORMAL), 0);
	assert_int_equal(md_lv_extents(md_pool_data(pool)), 60);
	assert_int_equal(pool->segs[0].extent_count, 60); /* the pool segment follows its data */
	assert_int_equal(md_vg_free_count(vg), free0 - 10);
	/* metadata growth keeps the spare as large as the metadata */
	assert_int_equal(md_pool_extend_meta(vg, pool, 2, MD_ALLOC_NORMAL), 0);
	assert_int_equal(md_lv_extents(md_pool_meta(pool)), 3);
	assert_int_equal(md_lv_extents(spare), 3);
	assert_int_equal(md_vg_free_count(vg), free0 - 14);
	/* more than the VG has: -ENOSPC, nothing changes */
	assert_int_equal(md_pool_extend_data(vg, pool, (uint32_t)free0, MD_ALLOC_NORMAL), -ENOSPC);
	assert_int_equal(pool->segs[0].extent_count, 60);
	assert_int_equal(md_vg_free_count(vg), free0 - 14);
	/* past the kernel's metadata maximum: -ERANGE */
	assert_int_equal(md_pool_extend_meta(vg, pool, UINT32_MAX / 2, MD_ALLOC_NORMAL), -ERANGE);
	assert_valid(vg);
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_and_low_water_mark),
		cmocka_unit_test(test_estimate_from_metadata_size),
		cmocka_unit_test(test_thin_and_snapshot),
		cmocka_unit_test(test_pool_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
