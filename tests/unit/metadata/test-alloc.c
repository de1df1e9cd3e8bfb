/* Extent allocation and thin-pool rules of the VG model. */
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
	static char ids[16][MD_ID_LEN + 1];
	memset(ids[n], 'a' + n, MD_ID_LEN);
	ids[n][MD_ID_LEN] = '\0';
	return ids[n];
}

/* A VG with two PVs of 100 extents (4 MiB) each. */
static struct md_vg *two_pvs(void)
{
	struct md_vg *vg = NULL;
	assert_int_equal(md_vg_new("vg", id(0), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/a", 2048 + 100 * 8192, 2048, NULL), 0);
	assert_int_equal(md_vg_add_pv(vg, id(2), "/dev/b", 2048 + 100 * 8192, 2048, NULL), 0);
	return vg;
}

static struct md_lv *new_lv(struct md_vg *vg, const char *name, int idn)
{
	struct md_lv *lv = NULL;
	assert_int_equal(md_lv_new(vg, name, id(idn), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv), 0);
	return lv;
}

static void test_normal_spans_pvs(void **state)
{
	struct md_vg *vg = two_pvs();
	struct md_lv *a = new_lv(vg, "a", 3), *b = new_lv(vg, "b", 4);

	assert_int_equal(md_lv_extend_linear(vg, a, 150, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(a->n_segs, 2);
	assert_int_equal(md_lv_extents(a), 150);
	assert_int_equal(md_vg_free_count(vg), 50);
	/* extending continues right after the last segment */
	assert_int_equal(md_lv_extend_linear(vg, a, 10, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(a->n_segs, 2);
	assert_int_equal(a->segs[1].extent_count, 60);
	/* too much: -ENOSPC and nothing changes */
	assert_int_equal(md_lv_extend_linear(vg, b, 41, MD_ALLOC_NORMAL, NULL, 0), -ENOSPC);
	assert_int_equal(b->n_segs, 0);
	assert_int_equal(md_vg_free_count(vg), 40);
	assert_int_equal(md_lv_extend_linear(vg, b, 40, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_vg_free_count(vg), 0);
	assert_int_equal(md_vg_validate(vg, (char[64]){ 0 }, 64), 0);
	md_vg_free(vg);
}

static void test_contiguous(void **state)
{
	struct md_vg *vg = two_pvs();
	struct md_lv *a = new_lv(vg, "a", 3), *b = new_lv(vg, "b", 4), *c = new_lv(vg, "c", 5);

	assert_int_equal(md_lv_extend_linear(vg, a, 60, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_lv_extend_linear(vg, b, 10, MD_ALLOC_NORMAL, NULL, 0), 0);
	/* normal allocation takes the largest free area first, as lvm2: the empty second PV */
	assert_ptr_equal(b->segs[0].areas[0].pv, vg->pvs[1]);
	/* 70 contiguous: only the second PV has that */
	assert_int_equal(md_lv_extend_linear(vg, c, 70, MD_ALLOC_CONTIGUOUS, NULL, 0), 0);
	assert_int_equal(c->n_segs, 1);
	assert_ptr_equal(c->segs[0].areas[0].pv, vg->pvs[1]);
	/* a extends contiguously into the 40 free extents after it, and not one more */
	assert_int_equal(md_lv_extend_linear(vg, a, 40, MD_ALLOC_CONTIGUOUS, NULL, 0), 0);
	assert_int_equal(a->n_segs, 1);
	assert_int_equal(md_lv_extend_linear(vg, a, 1, MD_ALLOC_CONTIGUOUS, NULL, 0), -ENOSPC);
	assert_int_equal(md_lv_extents(a), 100);
	assert_int_equal(md_vg_free_count(vg), 20);
	md_vg_free(vg);
}

static void test_restricted_pvs_and_remove(void **state)
{
	struct md_vg *vg = two_pvs();
	struct md_lv *a = new_lv(vg, "a", 3);
	struct md_pv *only = vg->pvs[1];

	assert_int_equal(md_lv_extend_linear(vg, a, 20, MD_ALLOC_NORMAL, &only, 1), 0);
	assert_ptr_equal(a->segs[0].areas[0].pv, vg->pvs[1]);
	assert_int_equal(md_alloc_available(vg, &only, 1), 80);
	assert_int_equal(md_vg_remove_pv(vg, vg->pvs[1]), -EBUSY);
	assert_int_equal(md_vg_remove_pv(vg, vg->pvs[0]), 0);
	assert_int_equal(vg->n_pvs, 1);
	assert_int_equal(md_lv_remove(vg, a), 0);
	assert_int_equal(md_vg_free_count(vg), 100);
	md_vg_free(vg);
}

static void test_pool_rules(void **state)
{
	struct md_vg *vg = two_pvs();
	struct md_lv *d = new_lv(vg, "d", 3), *m = new_lv(vg, "m", 4), *pool = NULL, *t = NULL;
	struct md_pool_params pp = { 128, true, MD_DISCARDS_PASSDOWN, true };
	uint32_t chunk;
	uint64_t meta;

	assert_int_equal(md_lv_extend_linear(vg, d, 50, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_lv_extend_linear(vg, m, 1, MD_ALLOC_NORMAL, NULL, 0), 0);
	pp.chunk_size = 192;
	assert_int_equal(md_pool_convert(vg, d, m, id(5), id(6), &pp, &pool), -EINVAL);
	assert_string_equal(d->name, "d");
	pp.chunk_size = 128;
	assert_int_equal(md_pool_convert(vg, d, m, id(5), id(6), &pp, &pool), 0);
	assert_string_equal(d->name, "d_tdata");
	assert_string_equal(m->name, "d_tmeta");
	assert_false(md_lv_is_visible(d));
	assert_ptr_equal(vg->lvs[0], pool);
	assert_non_null(md_vg_pmspare(vg));
	assert_int_equal(md_lv_extents(md_vg_pmspare(vg)), 1);
	/* referenced sub-LVs cannot be removed */
	assert_int_equal(md_lv_remove(vg, d), -EBUSY);
	assert_int_equal(md_thin_create(vg, pool, "t", id(7), 25, NULL, &t), 0);
	assert_int_equal(md_thin_remove(vg, t), -EBUSY); /* its create is still queued */
	md_pool_clear_messages(pool);
	assert_int_equal(md_thin_remove(vg, t), 0);
	assert_int_equal(pool->segs[0].transaction_id, 2);
	assert_int_equal(pool->segs[0].n_msgs, 1);
	assert_int_equal(pool->segs[0].msgs[0].kind, MD_MSG_DELETE);
	/* a deleted id is not reused while its delete is queued */
	{
		uint32_t next;
		assert_int_equal(md_pool_next_device_id(vg, pool, &next), 0);
		assert_int_equal(next, 2);
	}
	/* ids the pool's kernel metadata holds (another program's) are skipped: lowest hole */
	{
		static const uint32_t taken[] = { 5, 3, 2 };
		struct md_lv *t2;
		uint32_t next;
		assert_int_equal(md_pool_free_device_id(vg, pool, taken, 3, &next), 0);
		assert_int_equal(next, 4);
		assert_int_equal(md_thin_create_id(vg, pool, "t2", id(8), 25, NULL, next, &t2), 0);
		assert_int_equal(t2->segs[0].device_id, 4);
		assert_int_equal(md_thin_create_id(vg, pool, "t3", id(9), 25, NULL, 4, &t2), -EEXIST);
		assert_int_equal(md_thin_create_id(vg, pool, "t3", id(9), 25, NULL, 1u << 24, &t2),
				 -EINVAL);
		assert_int_equal(md_pool_free_device_id(vg, pool, taken, 3, &next), 0);
		assert_int_equal(next, 6);
	}
	/* lvm2's estimates: 100 GiB at 64 KiB -> 204800 sectors of metadata; 1 TiB doubles to 512 KiB */
	assert_int_equal(md_pool_estimate(209715200, 0, 0, &chunk, &meta), 0);
	assert_int_equal(chunk, 128);
	assert_int_equal(meta, 204800);
	assert_int_equal(md_pool_estimate(2147483648ull, 0, 0, &chunk, &meta), 0);
	assert_int_equal(chunk, 1024);
	assert_int_equal(meta, 262144);
	md_vg_free(vg);
}

static void test_ids(void **state)
{
	uint8_t rnd[MD_ID_LEN];
	char a[MD_ID_LEN + 1], d[MD_ID_LEN + 7], back[MD_ID_LEN + 1];

	for (int i = 0; i < MD_ID_LEN; i++)
		rnd[i] = (uint8_t)(i * 37 + 250);
	md_id_from_random(rnd, a);
	assert_int_equal(strlen(a), 32);
	assert_null(strpbrk(a, "!#"));
	md_id_format(a, d);
	assert_int_equal(strlen(d), 38);
	assert_int_equal(d[6], '-');
	assert_int_equal(md_id_parse(d, back), 0);
	assert_string_equal(a, back);
	assert_int_equal(md_id_parse("short", back), -EINVAL);
	assert_int_equal(md_id_parse("SEV23W-ovLY-mlXT-AXLH-ZEBf-vx30-ea9eV_", back), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_spans_pvs),
		cmocka_unit_test(test_contiguous),
		cmocka_unit_test(test_restricted_pvs_and_remove),
		cmocka_unit_test(test_pool_rules),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
