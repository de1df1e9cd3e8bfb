/* Unit tests: cli/dm-report, dmsetup's column report. Every expected text is what Debian 12's
 * dmsetup 1.02.185 printed in the VM rig for the same devices (tests/integration/dmsetup.sh
 * compares the live outputs; these pin the formatting rules without a kernel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/dm-report.h"

static struct tb_dm_info mk_info(const char *name, uint32_t minor, bool live, bool ro)
{
	struct tb_dm_info i = { 0 };

	snprintf(i.name, sizeof(i.name), "%s", name);
	i.major = 253;
	i.minor = minor;
	i.live_table = live;
	i.read_only = ro;
	i.target_count = live ? 1 : 0;
	return i;
}

static char *run(const struct cli_dm_report_opts *o, const struct tb_dm_info *infos, size_t n)
{
	struct cli_dm_report *r = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	assert_int_equal(cli_dm_report_new(o, &r), 0);
	for (size_t i = 0; i < n; i++) {
		struct cli_dm_report_dev d = { .info = &infos[i], .name = infos[i].name,
					   .uuid = infos[i].uuid };
		assert_int_equal(cli_dm_report_add(r, &d), 0);
	}
	m = open_memstream(&buf, &len);
	cli_dm_report_output_free(r, m);
	fclose(m);
	return buf;
}

static void test_default_columns(void **state)
{
	struct cli_dm_report_opts o = { 0 };
	struct tb_dm_info i = mk_info("xnotab", 3, false, false);
	char *out = run(&o, &i, 1);

	assert_string_equal(out,
			    "Name             Maj Min Stat Open Targ Event  UUID                            \n"
			    "xnotab           253   3 ---w    0    0      0                                 \n");
	free(out);
}

static void test_containerd_line(void **state)
{
	/* containerd's Info(): --noheadings, --separator " " (blkdevname needs sysfs: left out) */
	struct cli_dm_report_opts o = { .fields = "name,attr,major,minor,open,segments,events",
				    .separator = " ", .noheadings = true };
	struct tb_dm_info i = mk_info("xp", 0, true, false);
	char *out = run(&o, &i, 1);

	assert_string_equal(out, "xp L--w 253 0 0 1 0\n");
	free(out);
}

static void test_noheadings_colon_and_prefixes(void **state)
{
	struct cli_dm_report_opts a = { .fields = "name,attr", .noheadings = true };
	struct cli_dm_report_opts b = { .fields = "name,attr", .nameprefixes = true };
	struct cli_dm_report_opts c = { .fields = "attr,tables_loaded" };
	struct tb_dm_info i = mk_info("xp", 0, true, false);
	char *out;

	out = run(&a, &i, 1);
	assert_string_equal(out, "xp:L--w\n"); /* --noheadings alone: ':' and unaligned */
	free(out);
	out = run(&b, &i, 1);
	assert_string_equal(out, "Name Stat\nDM_NAME='xp' DM_ATTR='L--w'\n");
	free(out);
	i.inactive_table = true;
	out = run(&c, &i, 1);
	assert_string_equal(out, "Stat Tables\nLI-w Both  \n");
	free(out);
}

static void test_sort_and_width(void **state)
{
	struct cli_dm_report_opts o = { .sort = "name" };
	struct cli_dm_report_opts n = { .fields = "name" };
	struct tb_dm_info i[3] = { mk_info("xp", 0, true, false), mk_info("xro", 2, true, true),
				   mk_info("xlin", 1, true, false) };
	char *out = run(&o, i, 3);

	assert_string_equal(out,
			    "Name             Maj Min Stat Open Targ Event  UUID                            \n"
			    "xlin             253   1 L--w    0    1      0                                 \n"
			    "xp               253   0 L--w    0    1      0                                 \n"
			    "xro              253   2 L--r    0    1      0                                 \n");
	free(out);
	out = run(&n, i, 1);
	assert_string_equal(out, "Name            \nxp              \n");
	free(out);
}

static void test_no_rows_no_headings(void **state)
{
	struct cli_dm_report_opts o = { 0 };
	char *out = run(&o, NULL, 0);

	assert_string_equal(out, "");
	free(out);
}

static void test_unknown_field(void **state)
{
	struct cli_dm_report_opts o = { .fields = "name,nosuchfield" };
	struct cli_dm_report *r = NULL;

	assert_int_equal(cli_dm_report_new(&o, &r), -EINVAL);
	assert_null(r);
}

static void test_splitname(void **state)
{
	struct cli_dm_report_opts o = { .splitname = true };
	struct cli_dm_report_opts c = { .splitname = true, .fields = "vg_name,lv_name",
				    .noheadings = true, .separator = ":" };
	const char *names[] = { "vg-lv", "vg-lv-tpool", "a--b-c_tdata" };
	const char *want[] = { "VG   LV   LVLayer\nvg   lv          \n",
			       "VG   LV   LVLayer\nvg   lv   tpool  \n",
			       "VG   LV      LVLayer\na-b  c_tdata        \n" };

	for (size_t k = 0; k < 3; k++) {
		struct cli_dm_report *r = NULL;
		struct cli_dm_report_dev d = { .name = names[k], .uuid = "LVM" };
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		assert_int_equal(cli_dm_report_new(k == 0 ? &c : &o, &r), 0);
		assert_int_equal(cli_dm_report_add(r, &d), 0);
		m = open_memstream(&buf, &len);
		cli_dm_report_output_free(r, m);
		fclose(m);
		assert_string_equal(buf, k == 0 ? "vg:lv\n" : want[k]);
		free(buf);
	}
	(void)want[0];
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_columns),
		cmocka_unit_test(test_containerd_line),
		cmocka_unit_test(test_noheadings_colon_and_prefixes),
		cmocka_unit_test(test_sort_and_width),
		cmocka_unit_test(test_no_rows_no_headings),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_splitname),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
