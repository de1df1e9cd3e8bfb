/* Old-style (COW) snapshots in the model (metadata/cow.c): lvm2's COW sizes (cow_max_extents,
 * N%ORIGIN, measured with lvm2 2.03.16 in docs/cow-snapshots.md), the snapshotN LV, the COW
 * store's visibility, references and removal. */
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


static struct md_vg *one_pv_vg(void)
{
	return pvs_vg_of(1, 63);
}

static struct md_lv *new_lv(struct md_vg *vg, const char *name, int idn, uint32_t ext)
{
	struct md_lv *lv = NULL;
	assert_int_equal(
		md_lv_new(vg, name, id(idn), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv), 0);
	assert_int_equal(md_lv_extend_linear(vg, lv, ext, MD_ALLOC_NORMAL, NULL, 0), 0);
	return lv;
}


/* lvm2 2.03.16, 4 MiB extents, a 40 MiB origin: 100%ORIGIN 44 MiB, 50%ORIGIN 24 MiB, 200%
 * and -L 100m reduced to 44 MiB ("Reducing COW size ... to maximum usable size 44.00 MiB") */
static void test_sizes_measured(void **state)
{
	(void)state;
	assert_int_equal(md_cow_max_extents(10, 8192, 8), 11);
	assert_int_equal(md_cow_pct_origin(100, 10, 8192, 8), 11);
	assert_int_equal(md_cow_pct_origin(50, 10, 8192, 8), 6);
	assert_int_equal(md_cow_pct_origin(200, 10, 8192, 8), 21); /* then reduced to 11 */
	/* an 8 KiB chunk: the same 11 extents */
	assert_int_equal(md_cow_max_extents(10, 8192, 16), 11);
}

/* lvm2's _cow_max_size by hand: a 1 GiB origin, 4 KiB chunks: 262144 data chunks, 256
 * exceptions per metadata chunk -> 1025 metadata chunks (the terminator included), 1 header:
 * 263170 chunks = 1052680 KiB -> 258 extents of 4 MiB */
static void test_sizes_formula(void **state)
{
	(void)state;
	assert_int_equal(md_cow_max_extents(256, 8192, 8), 258);
	/* 512 KiB chunks, 2048 chunks: 32768 exceptions per area, 1 metadata chunk, 1 header:
	 * 2050 * 512 KiB -> 257 extents */
	assert_int_equal(md_cow_max_extents(256, 8192, 1024), 257);
	/* one-sector extents: exact */
	assert_int_equal(md_cow_max_extents(80, 1, 8), (1 + 10 + 1) * 8);
	assert_true(md_cow_chunk_ok(8) && md_cow_chunk_ok(1024) && md_cow_chunk_ok(64));
	assert_false(md_cow_chunk_ok(4) || md_cow_chunk_ok(2048) || md_cow_chunk_ok(24));
}

static void test_add_drop(void **state)
{
	struct md_vg *vg = one_pv_vg();
	struct md_lv *origin = new_lv(vg, "lv", 2, 10), *cow = new_lv(vg, "snap", 3, 2);
	struct md_lv *cow2 = new_lv(vg, "snap2", 4, 11), *snap = NULL, *snap2 = NULL, *v[4];
	(void)state;

	assert_int_equal(md_cow_snapshot_add(vg, origin, cow, id(5), 8, &snap), 0);
	assert_string_equal(snap->name, "snapshot0");
	assert_int_equal(snap->status, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE);
	assert_int_equal(snap->segs[0].kind, MD_SEG_SNAPSHOT);
	assert_string_equal(snap->segs[0].type, "snapshot");
	assert_int_equal(snap->segs[0].extent_count, 10);
	assert_int_equal(snap->segs[0].chunk_size, 8);
	assert_ptr_equal(snap->segs[0].origin, origin);
	assert_ptr_equal(snap->segs[0].cow, cow);
	/* the store loses VISIBLE but is listed; snapshotN has VISIBLE but never is */
	assert_false(cow->status & MD_LV_VISIBLE);
	assert_true(md_lv_is_visible(cow));
	assert_false(md_lv_is_visible(snap));
	assert_true(md_lv_is_cow(cow) && md_lv_is_snapshot(snap) && !md_lv_is_cow(origin));
	assert_ptr_equal(md_cow_origin(cow), origin);
	valid(vg);
	/* a second one: snapshot1; a store cannot serve two, an origin not be a store */
	assert_int_equal(md_cow_snapshot_add(vg, origin, cow, id(6), 8, NULL), -EINVAL);
	assert_int_equal(md_cow_snapshot_add(vg, cow, cow2, id(6), 8, NULL), -EINVAL);
	assert_int_equal(md_cow_snapshot_add(vg, origin, cow2, id(6), 12, NULL), -EINVAL);
	assert_int_equal(md_cow_snapshot_add(vg, origin, cow2, id(6), 16, &snap2), 0);
	assert_string_equal(snap2->name, "snapshot1");
	assert_int_equal(md_origin_cows(vg, origin, v, 4), 2);
	assert_ptr_equal(v[0], cow);
	assert_ptr_equal(v[1], cow2);
	/* references: the origin and a store cannot go while a snapshot names them */
	assert_int_equal(md_lv_remove(vg, origin), -EBUSY);
	assert_int_equal(md_lv_remove(vg, cow), -EBUSY);
	/* the first dropped: snapshot0 goes, the store is a plain visible LV again */
	assert_int_equal(md_cow_snapshot_drop(vg, cow), 0);
	assert_null(md_vg_find_lv(vg, "snapshot0"));
	assert_true(cow->status & MD_LV_VISIBLE);
	assert_false(md_lv_is_cow(cow));
	assert_int_equal(md_lv_remove(vg, cow), 0);
	assert_int_equal(md_origin_cows(vg, origin, NULL, 0), 1);
	/* the next snapshot takes the lowest free number */
	cow = new_lv(vg, "snap3", 7, 2);
	assert_int_equal(md_cow_snapshot_add(vg, origin, cow, id(8), 8, &snap), 0);
	assert_string_equal(snap->name, "snapshot0");
	valid(vg);
	/* md_cow_link rebuilds the back links (after an import) */
	cow->cow_snapshot = NULL;
	cow2->cow_snapshot = NULL;
	md_cow_link(vg);
	assert_ptr_equal(cow->cow_snapshot, snap);
	assert_ptr_equal(cow2->cow_snapshot, snap2);
	md_vg_free(vg);
}

static void test_validate(void **state)
{
	struct md_vg *vg = one_pv_vg();
	struct md_lv *origin = new_lv(vg, "lv", 2, 10), *cow = new_lv(vg, "snap", 3, 2), *snap;
	char reason[256];
	(void)state;

	assert_int_equal(md_cow_snapshot_add(vg, origin, cow, id(5), 8, &snap), 0);
	snap->segs[0].chunk_size = 12;
	assert_int_equal(md_vg_validate(vg, reason, sizeof(reason)), -EBADMSG);
	assert_non_null(strstr(reason, "chunk_size 12"));
	snap->segs[0].chunk_size = 8;
	valid(vg);
	assert_null(md_cow_unsupported(vg));
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_measured),
		cmocka_unit_test(test_sizes_formula),
		cmocka_unit_test(test_add_drop),
		cmocka_unit_test(test_validate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
