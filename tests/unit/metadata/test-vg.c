/* Unit tests: metadata/vg.c (names in any locale, ids, string vectors, extent
 * sizes, PVs, LVs and the "can thinbox change this VG" rule; md_dm_name: test-vg-text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <locale.h>
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

static void check_names(void)
{
	const char *why = NULL;
	char name[200];

	assert_int_equal(md_name_check("vg0", &why), 0);
	assert_int_equal(md_name_check("A+_.-z9", &why), 0);
	assert_int_equal(md_name_check("", &why), -EINVAL);
	assert_string_equal(why, "name is empty");
	assert_int_equal(md_name_check("-vg", &why), -EINVAL);
	assert_int_equal(md_name_check(".", &why), -EINVAL);
	assert_int_equal(md_name_check("..", &why), -EINVAL);
	assert_int_equal(md_name_check("...", &why), 0);
	assert_int_equal(md_name_check("a/b", &why), -EINVAL);
	assert_int_equal(md_name_check("a b", &why), -EINVAL);
	/* bytes >= 0x80 (an é in Latin-1 or UTF-8) are never name characters */
	assert_int_equal(md_name_check("caf\xe9", &why), -EINVAL);
	assert_int_equal(md_name_check("caf\xc3\xa9", &why), -EINVAL);
	for (int c = 0; c < 256; c++) {
		bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || c == '+' || c == '_' || c == '.' || c == '-';
		assert_int_equal(md_name_char_is_valid((char)c), want);
	}
	/* 127 characters are fine, 128 are not */
	memset(name, 'x', 128);
	name[128] = '\0';
	assert_int_equal(md_name_check(name, &why), -EINVAL);
	name[127] = '\0';
	assert_int_equal(md_name_check(name, &why), 0);
	/* the length form needs no NUL and checks only @len bytes */
	assert_int_equal(md_name_check_len("vg0/lv", 3, NULL), 0);
	assert_int_equal(md_name_check_len("..x", 2, NULL), -EINVAL);
	assert_int_equal(md_name_check_len("x", 0, NULL), -EINVAL);
}

static void test_names_any_locale(void **state)
{
	static const char *const locales[] = {
		"C", "C.UTF-8", "en_US.UTF-8", "de_DE.ISO-8859-1", "fr_FR.ISO-8859-15", ""
	};
	for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_ALL, locales[i]))
			check_names(); /* the same answers in every locale this host has */
	setlocale(LC_ALL, "C");
}

static void test_lv_names_reserved(void **state)
{
	const char *why = NULL;

	assert_int_equal(md_lv_name_check_user("data", &why), 0);
	assert_int_equal(md_lv_name_check_user("snapshot0", &why), -EINVAL);
	assert_int_equal(md_lv_name_check_user("pvmove1", &why), -EINVAL);
	assert_int_equal(md_lv_name_check_user("x_tdata", &why), -EINVAL);
	assert_int_equal(md_lv_name_check_user("a_pmspare_b", &why), -EINVAL);
	assert_int_equal(md_lv_name_check_user("-x", &why), -EINVAL);
}

static void test_ids(void **state)
{
	char in[MD_ID_LEN + 1], out[MD_ID_LEN + 1], dashed[MD_ID_LEN + 7];
	uint8_t rnd[MD_ID_LEN];

	for (size_t i = 0; i < MD_ID_LEN; i++)
		rnd[i] = (uint8_t)(i * 37 + 255);
	md_id_from_random(rnd, in);
	assert_int_equal(strlen(in), MD_ID_LEN);
	md_id_format(in, dashed);
	assert_int_equal(strlen(dashed), MD_ID_LEN + 6);
	assert_true(dashed[6] == '-' && dashed[11] == '-' && dashed[31] == '-');
	assert_int_equal(md_id_parse(dashed, out), 0);
	assert_string_equal(out, in);
	assert_int_equal(md_id_parse(in, out), 0);
	assert_string_equal(out, in);
	memcpy(out, "unchanged", 10);
	assert_int_equal(md_id_parse("too-short", out), -EINVAL);
	assert_string_equal(out, "unchanged");
	dashed[0] = '/'; /* not in lvm2's id alphabet (which has ! and #) */
	assert_int_equal(md_id_parse(dashed, out), -EINVAL);
	dashed[0] = in[0];
	/* md_id_parse_n: the dashed form's fast path and the general loop agree */
	assert_int_equal(md_id_parse_n(dashed, strlen(dashed), out), 0);
	assert_string_equal(out, in);
	for (size_t i = 0; i < strlen(dashed); i++) { /* any bad byte, dash or not, refused */
		char bad[64];
		memcpy(bad, dashed, strlen(dashed) + 1);
		bad[i] = i % 2 ? '/' : '\0';
		memcpy(out, "unchanged", 10);
		assert_int_equal(md_id_parse_n(bad, strlen(dashed), out), -EINVAL);
		assert_string_equal(out, "unchanged");
	}
	{ /* dashes elsewhere, the same 32 bytes: the general loop takes it */
		char moved[64];
		memcpy(moved, in, 5);
		moved[5] = '-';
		memcpy(moved + 6, in + 5, MD_ID_LEN - 5);
		memcpy(moved + 6 + MD_ID_LEN - 5, "-----", 6);
		assert_int_equal(strlen(moved), MD_ID_LEN + 6);
		assert_int_equal(md_id_parse_n(moved, strlen(moved), out), 0);
		assert_string_equal(out, in);
	}
	/* 33 id bytes in the dashed length (one dash fewer): refused */
	char extra[64];
	memcpy(extra, dashed, strlen(dashed) + 1);
	extra[6] = 'x';
	assert_int_equal(md_id_parse_n(extra, strlen(extra), out), -EINVAL);
	extra[6] = '-';
	extra[11] = '!'; /* '!' is an id byte, so it makes 33 */
	assert_int_equal(md_id_parse_n(extra, strlen(extra), out), -EINVAL);
}

static void test_strv(void **state)
{
	md_strv v = NULL;

	assert_int_equal(md_strv_len(v), 0);
	assert_false(md_strv_contains(v, "a"));
	assert_int_equal(md_strv_push(&v, "a"), 0);
	assert_int_equal(md_strv_push(&v, "b"), 0);
	assert_int_equal(md_strv_len(v), 2);
	assert_true(md_strv_contains(v, "b"));
	assert_false(md_strv_contains(v, "c"));
	assert_null(md_strv_free(v));
}

static void test_extent_size(void **state)
{
	const char *why = NULL;

	assert_int_equal(md_extent_size_check(8192, &why), 0); /* 4 MiB */
	assert_int_equal(md_extent_size_check(8, &why), 0);    /* 4 KiB */
	assert_int_equal(md_extent_size_check(768, &why), 0);  /* 3 x 128 KiB */
	assert_int_equal(md_extent_size_check(0, &why), -EINVAL);
	assert_int_equal(md_extent_size_check(4, &why), -EINVAL);
	assert_int_equal(md_extent_size_check(24, &why), -EINVAL); /* 12 KiB */
	assert_int_equal(md_extent_size_check(1ULL << 33, &why), -EINVAL);
}

static void test_pvs_and_lvs(void **state)
{
	struct md_vg *vg = NULL;
	struct md_pv *a = NULL, *b = NULL;
	struct md_lv *lv = NULL, *other = NULL;

	assert_int_equal(md_vg_new("vg", id(0), 8192, &vg), 0);
	assert_int_equal(vg->seqno, 1);
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/a", 2048 + 10 * 8192 + 100, 2048, &a), 0);
	assert_int_equal(a->pe_count, 10); /* the tail that is no whole extent is unused */
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/x", 1 << 20, 2048, NULL), -EEXIST);
	assert_int_equal(md_vg_add_pv(vg, id(2), "/dev/x", 2048, 2048, NULL), -ENOSPC);
	assert_int_equal(md_vg_add_pv(vg, id(2), "/dev/x", 2048 + 8191, 2048, NULL), -ENOSPC);
	assert_int_equal(md_vg_add_pv(vg, id(2), "/dev/b", 2048 + 5 * 8192, 2048, &b), 0);
	assert_ptr_equal(md_vg_find_pv(vg, id(2)), b);
	assert_int_equal(md_vg_pv_index(vg, b), 1);
	assert_int_equal(md_vg_extent_count(vg), 15);
	assert_int_equal(md_vg_free_count(vg), 15);

	assert_int_equal(md_lv_new(vg, "lv", id(3), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv),
			 0);
	assert_int_equal(md_lv_new(vg, "lv", id(4), MD_LV_READ | MD_LV_WRITE, &other), -EEXIST);
	assert_int_equal(md_lv_extend_linear(vg, lv, 12, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_pv_used_extents(vg, a) + md_pv_used_extents(vg, b), 12);
	assert_int_equal(md_vg_free_count(vg), 3);
	/* a PV with used extents stays */
	assert_int_equal(md_vg_remove_pv(vg, a), -EBUSY);
	assert_int_equal(vg->n_pvs, 2);

	assert_int_equal(md_lv_new(vg, "other", id(4), MD_LV_READ | MD_LV_WRITE, &other), 0);
	assert_int_equal(md_lv_rename(vg, lv, "other"), -EEXIST);
	assert_int_equal(md_lv_rename(vg, lv, "bad/name"), -EINVAL);
	assert_int_equal(md_lv_rename(vg, lv, "renamed"), 0);
	assert_ptr_equal(md_vg_find_lv(vg, "renamed"), lv);
	assert_null(md_vg_find_lv(vg, "lv"));
	assert_true(md_lv_is_visible(lv));
	assert_false(md_lv_is_visible(other));

	assert_int_equal(md_lv_remove(vg, lv), 0);
	assert_null(md_vg_find_lv(vg, "renamed"));
	assert_int_equal(md_vg_free_count(vg), 15);
	assert_int_equal(md_lv_remove(vg, lv == other ? NULL : other), 0);
	assert_int_equal(md_vg_remove_pv(vg, b), 0);
	assert_int_equal(vg->n_pvs, 1);
	assert_int_equal(md_vg_extent_count(vg), 10);
	assert_null(md_vg_free(vg));
}

static void test_readonly_for_us(void **state)
{
	struct md_vg *vg = NULL;
	const char *why = NULL;

	assert_int_equal(md_vg_new("vg", id(0), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/a", 2048 + 10 * 8192, 2048, NULL), 0);
	assert_false(md_vg_is_readonly_for_us(vg, &why));
	vg->status &= ~(unsigned)MD_VG_WRITE;
	assert_true(md_vg_is_readonly_for_us(vg, &why));
	assert_non_null(strstr(why, "not writable"));
	vg->status |= MD_VG_WRITE | MD_VG_EXPORTED;
	assert_true(md_vg_is_readonly_for_us(vg, &why));
	vg->status &= ~(unsigned)MD_VG_EXPORTED;
	vg->pvs[0]->status |= MD_PV_MISSING;
	assert_true(md_vg_is_readonly_for_us(vg, &why));
	assert_string_equal(why, "a PV is missing");
	vg->pvs[0]->status &= ~(unsigned)MD_PV_MISSING;
	assert_false(md_vg_is_readonly_for_us(vg, NULL));
	md_vg_free(vg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_any_locale),
		cmocka_unit_test(test_lv_names_reserved),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_extent_size),
		cmocka_unit_test(test_pvs_and_lvs),
		cmocka_unit_test(test_readonly_for_us),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
