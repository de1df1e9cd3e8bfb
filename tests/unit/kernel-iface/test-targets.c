/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: kernel-iface/targets.c params format/parse round trips and status parsers on
 * real kernel samples, truncated and garbage text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "util/macros.h"

#include "kernel-iface/dmk.h"

static void test_pool_status_samples(void **state)
{
	struct dmk_thin_pool_status s;

	assert_int_equal(dmk_thin_pool_status_parse(
				 "1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
				 &s),
			 0);
	assert_false(s.fail);
	assert_int_equal(s.transaction_id, 1);
	assert_int_equal(s.used_meta_blocks, 112);
	assert_int_equal(s.total_meta_blocks, 1024);
	assert_int_equal(s.used_data_blocks, 0);
	assert_int_equal(s.total_data_blocks, 6528);
	assert_false(s.has_held_root);
	assert_int_equal(s.mode, DMK_POOL_RW);
	assert_true(s.discard_passdown);
	assert_false(s.ignore_discard);
	assert_false(s.error_if_no_space);
	assert_false(s.needs_check);
	assert_true(s.has_meta_low_water);
	assert_int_equal(s.meta_low_water_blocks, 256);

	assert_int_equal(dmk_thin_pool_status_parse("0 10/1024 0/100 - rw no_discard_passdown "
						    "error_if_no_space needs_check -",
						    &s),
			 0); /* "-": no low water mark reported */
	assert_false(s.has_meta_low_water);
	assert_int_equal(dmk_thin_pool_status_parse("0 10/1024 0/100 - rw no_discard_passdown "
						    "error_if_no_space needs_check",
						    &s),
			 0);
	assert_false(s.discard_passdown);
	assert_true(s.error_if_no_space);
	assert_true(s.needs_check);
	assert_false(s.has_meta_low_water);

	/* lvm2 seed recipe, as dmsetup printed it (trailing blank) */
	assert_int_equal(dmk_thin_pool_status_parse("2 1238/12288 0/7896 - rw discard_passdown "
						    "queue_if_no_space - 1024 ",
						    &s),
			 0);
	assert_int_equal(s.transaction_id, 2);
	assert_int_equal(s.total_meta_blocks, 12288);
	assert_int_equal(s.meta_low_water_blocks, 1024);

	assert_int_equal(dmk_thin_pool_status_parse("5 20/1024 100/100 77 out_of_data_space "
						    "ignore_discard queue_if_no_space - 256",
						    &s),
			 0);
	assert_int_equal(s.mode, DMK_POOL_OUT_OF_DATA_SPACE);
	assert_true(s.has_held_root);
	assert_int_equal(s.held_root, 77);
	assert_true(s.ignore_discard);
	assert_string_equal(dmk_pool_mode_to_string(s.mode), "out_of_data_space");

	assert_int_equal(dmk_thin_pool_status_parse("5 20/1024 1/100 - ro discard_passdown "
						    "error_if_no_space needs_check 256",
						    &s),
			 0);
	assert_int_equal(s.mode, DMK_POOL_RO);

	assert_int_equal(dmk_thin_pool_status_parse("Fail", &s), 0);
	assert_true(s.fail);
	assert_int_equal(s.transaction_id, 0);
	assert_int_equal(dmk_thin_pool_status_parse("Error", &s), 0);
	assert_true(s.error);
}

static void test_pool_status_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"Fail Fail",
		"fail",
		"1",
		"1 112/1024",
		"1 112/1024 0/6528 - rw discard_passdown queue_if_no_space",
		"1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256 9",
		"x 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"-1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 112-1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 112/ 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 /1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 2000/1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 112/1024 0/6528 x rw discard_passdown queue_if_no_space - 256",
		"1 112/1024 0/6528 - rx discard_passdown queue_if_no_space - 256",
		"1 112/1024 0/6528 - rw passdown queue_if_no_space - 256",
		"1 112/1024 0/6528 - rw discard_passdown queue - 256",
		"1 112/1024 0/6528 - rw discard_passdown queue_if_no_space ? 256",
		"1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 25x",
		"99999999999999999999 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256",
		"1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256 a b c d e f g h i j "
		"k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8",
	};
	struct dmk_thin_pool_status s, before;

	memset(&s, 0x5a, sizeof(s));
	before = s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dmk_thin_pool_status_parse(bad[i], &s), -EBADMSG);
		assert_memory_equal(&s, &before, sizeof(s)); /* untouched on failure */
	}
	assert_int_equal(dmk_thin_pool_status_parse(NULL, &s), -EBADMSG);
	/* every truncation of a good line but the two that end a field is an error */
	const char *good = "1 112/1024 0/6528 - rw discard_passdown queue_if_no_space - 256";
	for (size_t l = 0; l < strlen(good); l++) {
		char *t = strndup(good, l);
		int r = dmk_thin_pool_status_parse(t, &s);
		if (r == 0)
			assert_true(streq(t, "1 112/1024 0/6528 - rw discard_passdown "
					     "queue_if_no_space - ") ||
				    streq(t, "1 112/1024 0/6528 - rw discard_passdown "
					     "queue_if_no_space -") ||
				    strncmp(t, "1 112/1024 0/6528 - rw discard_passdown "
					       "queue_if_no_space - 2",
					    60) == 0);
		free(t);
	}
}

static void test_thin_status(void **state)
{
	struct dmk_thin_status s;

	assert_int_equal(dmk_thin_status_parse("0 -", &s), 0);
	assert_false(s.has_highest);
	assert_int_equal(dmk_thin_status_parse("8192 8191", &s), 0);
	assert_int_equal(s.mapped_sectors, 8192);
	assert_true(s.has_highest);
	assert_int_equal(s.highest_mapped_sector, 8191);
	assert_int_equal(dmk_thin_status_parse("Fail", &s), 0);
	assert_true(s.fail);
	assert_int_equal(dmk_thin_status_parse("", &s), -EBADMSG);
	assert_int_equal(dmk_thin_status_parse("0", &s), -EBADMSG);
	assert_int_equal(dmk_thin_status_parse("0 - 1", &s), -EBADMSG);
	assert_int_equal(dmk_thin_status_parse("a -", &s), -EBADMSG);
	assert_int_equal(dmk_thin_status_parse("1 +2", &s), -EBADMSG);
}

static void test_pool_params(void **state)
{
	struct dmk_thin_pool_params p = {
		.meta = makedev(254, 0),
		.data = makedev(254, 1),
		.block_sectors = 1024,
		.low_water_blocks = 1553,
		.skip_block_zeroing = true,
	}, q;
	char *s;

	assert_int_equal(dmk_thin_pool_params_format(&p, &s), 0);
	/* lvm2 seed recipe, 2-thin-and-snapshot.dmtable (without dmsetup's trailing blank) */
	assert_string_equal(s, "254:0 254:1 1024 1553 1 skip_block_zeroing");
	free(s);
	p.ignore_discard = p.no_discard_passdown = p.read_only = p.error_if_no_space = true;
	assert_int_equal(dmk_thin_pool_params_format(&p, &s), 0);
	assert_string_equal(s, "254:0 254:1 1024 1553 5 skip_block_zeroing ignore_discard "
			       "no_discard_passdown error_if_no_space read_only");
	assert_int_equal(dmk_thin_pool_params_parse(s, &q), 0);
	assert_memory_equal(&p, &q, sizeof(p));
	free(s);
	/* the kernel's table order (read_only before error_if_no_space), trailing blank */
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 128 0 2 read_only "
						    "error_if_no_space ",
						    &q),
			 0);
	assert_true(q.read_only && q.error_if_no_space && !q.skip_block_zeroing);
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 128 0", &q), 0);
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 128 0 1", &q), -EBADMSG);
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 128 0 1 bogus", &q), -EBADMSG);
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 0 0", &q), -EBADMSG);
	assert_int_equal(dmk_thin_pool_params_parse("254 254:1 128 0", &q), -EBADMSG);
	assert_int_equal(dmk_thin_pool_params_parse("254:0 254:1 128", &q), -EBADMSG);
}

static void test_linear_thin_params(void **state)
{
	struct dmk_linear_params l = { makedev(253, 0), 7956480 }, l2;
	struct dmk_thin_params t = { .pool = makedev(254, 2), .dev_id = 1 }, t2;
	char *s;

	assert_int_equal(dmk_linear_params_format(&l, &s), 0);
	assert_string_equal(s, "253:0 7956480");
	assert_int_equal(dmk_linear_params_parse(s, &l2), 0);
	assert_memory_equal(&l, &l2, sizeof(l));
	free(s);
	assert_int_equal(dmk_linear_params_parse("253:0", &l2), -EBADMSG);
	assert_int_equal(dmk_linear_params_parse("253:0 1 2", &l2), -EBADMSG);

	assert_int_equal(dmk_thin_params_format(&t, &s), 0);
	assert_string_equal(s, "254:2 1");
	assert_int_equal(dmk_thin_params_parse(s, &t2), 0);
	assert_memory_equal(&t, &t2, sizeof(t));
	free(s);
	t.has_external_origin = true;
	t.external_origin = makedev(7, 3);
	assert_int_equal(dmk_thin_params_format(&t, &s), 0);
	assert_string_equal(s, "254:2 1 7:3");
	free(s);
	t.dev_id = 1U << 24;
	assert_int_equal(dmk_thin_params_format(&t, &s), -EINVAL);
	assert_int_equal(dmk_thin_params_parse("254:2 16777216", &t2), -EBADMSG);
	assert_int_equal(dmk_thin_params_parse("254:2", &t2), -EBADMSG);
}

/* dm-raid status lines as the rig's kernel (dm-raid 1.15) printed them (docs/raid1.md) */
static void test_raid_status(void **state)
{
	struct dmk_raid_status st;
	(void)state;

	assert_int_equal(dmk_raid_status_parse("raid1 2 AA 81920/81920 idle 0 0 -", &st), 0);
	assert_string_equal(st.raid_type, "raid1");
	assert_int_equal(st.devices, 2);
	assert_string_equal(st.health, "AA");
	assert_int_equal(st.sync_cur, 81920);
	assert_int_equal(st.sync_total, 81920);
	assert_string_equal(st.sync_action, "idle");
	assert_int_equal(st.mismatch_count, 0);
	assert_true(st.has_data_offset);
	assert_int_equal(st.journal, '-');
	assert_true(dmk_raid_status_in_sync(&st));
	/* resyncing, one leg dead, an older target without data offset and journal */
	assert_int_equal(dmk_raid_status_parse("raid1 3 aaA 1024/16384 resync 0", &st), 0);
	assert_false(st.has_data_offset);
	assert_false(dmk_raid_status_in_sync(&st));
	assert_int_equal(dmk_raid_status_parse("raid1 2 DA 16384/16384 idle 0 0 -", &st), 0);
	assert_false(dmk_raid_status_in_sync(&st));
	/* garbage: device count and health disagree, bad ratio, bad health letter */
	assert_int_equal(dmk_raid_status_parse("raid1 2 AAA 1/1 idle 0 0 -", &st), -EBADMSG);
	assert_int_equal(dmk_raid_status_parse("raid1 2 AA 11 idle 0 0 -", &st), -EBADMSG);
	assert_int_equal(dmk_raid_status_parse("raid1 2 AX 1/1 idle 0 0 -", &st), -EBADMSG);
	assert_int_equal(dmk_raid_status_parse("raid1 0  1/1 idle 0", &st), -EBADMSG);
	assert_int_equal(dmk_raid_status_parse("", &st), -EBADMSG);
}

static void test_table_parse(void **state)
{
	struct dmk_target *t;
	size_t n;

	assert_int_equal(dmk_table_parse("# comment\n0 7954432 linear 253:0 2048\n\n"
					 "  7954432\t131072 linear /dev/loop0 8120320  \n",
					 &t, &n),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].len, 7954432);
	assert_string_equal(t[0].type, "linear");
	assert_string_equal(t[0].params, "253:0 2048");
	assert_int_equal(t[1].start, 7954432);
	assert_string_equal(t[1].params, "/dev/loop0 8120320");
	dmk_targets_free(t, n);
	assert_int_equal(dmk_table_parse("0 10 zero", &t, &n), 0);
	assert_string_equal(t[0].params, "");
	dmk_targets_free(t, n);
	assert_int_equal(dmk_table_parse("0 10", &t, &n), -EINVAL);
	assert_int_equal(dmk_table_parse("x 10 linear 1:2 0", &t, &n), -EINVAL);
	assert_int_equal(dmk_table_parse("0 10 averyveryverylongtargettype x", &t, &n), -EINVAL);
	assert_int_equal(dmk_table_parse("", &t, &n), 0);
	assert_int_equal(n, 0);
	dmk_targets_free(t, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_status_samples), cmocka_unit_test(test_pool_status_garbage),
		cmocka_unit_test(test_thin_status),	    cmocka_unit_test(test_pool_params),
		cmocka_unit_test(test_linear_thin_params),  cmocka_unit_test(test_table_parse),
		cmocka_unit_test(test_raid_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
