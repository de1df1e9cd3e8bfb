/* Old-style (COW) snapshots in the metadata text: the snapshotN LV and its "snapshot" segment
 * printed as lvm2 2.03.16 writes them (measured with vgcfgbackup, docs/cow-snapshots.md), read
 * back into the model (the store's link, visibility), and printed again byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvmfmt/vg-text.h"
#include "metadata/md.h"
#include "util/strbuf.h"

static const char *id(int n)
{
	static char ids[16][MD_ID_LEN + 1];
	memset(ids[n], 'A' + n, MD_ID_LEN);
	ids[n][MD_ID_LEN] = '\0';
	return ids[n];
}

static struct md_lv *new_lv(struct md_vg *vg, const char *name, int idn, uint32_t ext)
{
	struct md_lv *lv = NULL;
	assert_int_equal(
		md_lv_new(vg, name, id(idn), MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv), 0);
	assert_int_equal(md_lv_extend_linear(vg, lv, ext, MD_ALLOC_NORMAL, NULL, 0), 0);
	return lv;
}

/* lvm2's text of the snapshot LV (vgcfgbackup of `lvcreate --snapshot --name snap
 * --permission r /dev/mvg/lv --size 8388608b`), without id and creation lines */
static const char snapshot0[] = "\t\tsnapshot0 {\n"
				"\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n"
				"\t\t\tflags = []\n"
				"\t\t\tsegment_count = 1\n"
				"\n"
				"\t\t\tsegment1 {\n"
				"\t\t\t\tstart_extent = 0\n"
				"\t\t\t\textent_count = 10\t# 40 Megabytes\n"
				"\n"
				"\t\t\t\ttype = \"snapshot\"\n"
				"\t\t\t\tchunk_size = 8\n"
				"\t\t\t\torigin = \"lv\"\n"
				"\t\t\t\tcow_store = \"snap\"\n"
				"\t\t\t}\n"
				"\t\t}\n";

/* @text without its "id = " lines */
static char *no_ids(const char *text)
{
	char *out = calloc(1, strlen(text) + 1), *o = out;
	const char *p = text;

	assert_non_null(out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		const char *q = p;
		while (*q == '\t')
			q++;
		if (strncmp(q, "id = ", 5)) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	return out;
}

static void test_text_as_lvm2(void **state)
{
	struct md_vg *vg = NULL, *back = NULL;
	struct md_lv *origin, *cow;
	struct strbuf out = { 0 }, again = { 0 };
	struct lvf_err err = { 0 };
	char *plain;
	const char *at, *store;
	(void)state;

	assert_int_equal(md_vg_new("mvg", id(0), 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, id(1), "/dev/a", 2048 + 63 * 8192, 2048, NULL), 0);
	origin = new_lv(vg, "lv", 2, 10);
	cow = new_lv(vg, "snap", 3, 2);
	cow->status &= ~MD_LV_WRITE; /* -p r */
	assert_int_equal(md_cow_snapshot_add(vg, origin, cow, id(4), 8, NULL), 0);
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	plain = no_ids(strbuf_str(&out));
	/* the store: READ only, no VISIBLE, before snapshot0 (lvm2 writes visible LVs first) */
	store = strstr(plain, "\t\tsnap {\n\t\t\tstatus = [\"READ\"]\n");
	at = strstr(plain, snapshot0);
	if (!store || !at)
		fail_msg("not lvm2's text:\n%s", plain);
	assert_true(store < at);
	/* read back: the store is linked and listed, snapshotN is not, the text is the same */
	if (lvf_vg_import_text(strbuf_str(&out), out.len, &back, &err) < 0)
		fail_msg("import: line %u: %s", err.line, err.message);
	cow = md_vg_find_lv(back, "snap");
	assert_non_null(cow);
	assert_true(md_lv_is_cow(cow) && md_lv_is_visible(cow));
	assert_ptr_equal(md_cow_origin(cow), md_vg_find_lv(back, "lv"));
	assert_false(md_lv_is_visible(md_vg_find_lv(back, "snapshot0")));
	assert_false(md_vg_is_readonly_for_us(back, NULL));
	assert_int_equal(lvf_vg_export(back, LVF_VG_SECTION, NULL, &again), 0);
	assert_string_equal(strbuf_str(&out), strbuf_str(&again));
	free(plain);
	strbuf_release(&out);
	strbuf_release(&again);
	md_vg_free(vg);
	md_vg_free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_as_lvm2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
