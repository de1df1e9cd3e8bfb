/* Unit tests: lvmfmt/cft (lvm2 config text syntax) and lvmfmt/config (lvm.conf lookups).
 * Fixtures are read from tests/fixtures/lvm2/ relative to the repository top (make runs the
 * tests from there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strbuf.h"

#include "lvmfmt/cft.h"
#include "lvmfmt/config.h"
#include "lvmfmt/err.h"

#define FIX "tests/fixtures/lvm2/"

static const char *const backups[] = { "1-recipe.vg", "2-thin-and-snapshot.vg", "3-extended.vg" };

static char *slurp(const char *name, size_t *ret_len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), FIX "%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository top)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static struct lvf_cft_node *parse_ok(const char *text, size_t len)
{
	struct lvf_cft_node *root = NULL;
	struct lvf_err e = { 0 };
	int r = lvf_cft_parse(text, len, &root, &e);

	if (r != 0)
		fail_msg("parse failed (%d) line %u col %u: %s", r, e.line, e.column, e.msg);
	assert_non_null(root);
	return root;
}

static struct lvf_cft_node *parse_str(const char *text)
{
	return parse_ok(text, strlen(text));
}

static char *emit(const struct lvf_cft_node *root, enum lvf_cft_style st)
{
	struct strbuf sb = { 0 };

	assert_int_equal(lvf_cft_emit(root, st, &sb), 0);
	strbuf_appendc(&sb, '\0'); /* so empty output is "" not NULL */
	return strbuf_steal(&sb);
}

/* parse -> emit(style) -> parse gives an equal tree, and emitting again is stable */
static void assert_roundtrip(const struct lvf_cft_node *root)
{
	for (int st = LVF_CFT_STYLE_RAW; st <= LVF_CFT_STYLE_INDENT; st++) {
		char *t1 = emit(root, st);
		struct lvf_cft_node *again = parse_str(t1);
		char *t2;

		assert_true(lvf_cft_equal(root, again));
		t2 = emit(again, st);
		assert_string_equal(t1, t2);
		free(t1);
		free(t2);
		lvf_cft_free(again);
	}
}

/* ---- real lvm2 text ---- */

static void test_backups_byte_exact(void **state)
{
	for (size_t k = 0; k < sizeof(backups) / sizeof(backups[0]); k++) {
		size_t len;
		char *text = slurp(backups[k], &len);
		struct lvf_cft_node *root = parse_ok(text, len);
		char *out = emit(root, LVF_CFT_STYLE_INDENT);

		/* parse + INDENT reproduces vgcfgbackup's file byte for byte */
		assert_int_equal(strlen(out), len);
		assert_memory_equal(out, text, len);
		assert_roundtrip(root);
		free(out);
		free(text);
		lvf_cft_free(root);
	}
}

static void test_backups_raw_golden(void **state)
{
	for (size_t k = 0; k < sizeof(backups) / sizeof(backups[0]); k++) {
		char gname[64];
		size_t len, glen;
		char *text = slurp(backups[k], &len);
		struct lvf_cft_node *root = parse_ok(text, len);
		char *out = emit(root, LVF_CFT_STYLE_RAW);
		char *golden;

		snprintf(gname, sizeof(gname), "%s.raw", backups[k]);
		if (getenv("THINBOX_REGEN")) {
			char path[128];
			FILE *f;

			snprintf(path, sizeof(path), FIX "%s", gname);
			f = fopen(path, "wb");
			assert_non_null(f);
			fputs(out, f);
			fclose(f);
		}
		golden = slurp(gname, &glen);
		assert_string_equal(out, golden);
		/* RAW: no indentation, no aligned comments; header comments stay */
		assert_null(strstr(out, "\t\t"));
		assert_null(strstr(out, "Megabytes"));
		assert_non_null(strstr(out, "creation_host = \"(none)\"\t# Linux"));
		free(golden);
		free(out);
		free(text);
		lvf_cft_free(root);
	}
}

static void test_ondisk_raw_byte_exact(void **state)
{
	size_t len, tlen;
	char *text = slurp("3-extended.mda-text", &len);
	struct lvf_cft_node *root;
	char *out;

	/* the on-disk copy includes its NUL; the ring bytes after it are not read */
	tlen = strlen(text);
	assert_int_equal(tlen + 1 + 64, len);
	root = parse_ok(text, len);
	out = emit(root, LVF_CFT_STYLE_RAW);
	assert_string_equal(out, text);
	assert_roundtrip(root);
	free(out);
	free(text);
	lvf_cft_free(root);
}

static void test_profile(void **state)
{
	size_t len;
	char *text = slurp("docker-thinpool.profile", &len);
	struct lvf_cft_node *root = parse_ok(text, len);
	char *out = emit(root, LVF_CFT_STYLE_INDENT);
	int64_t v = 0;

	assert_int_equal(lvf_cft_get_int(root, "activation/thin_pool_autoextend_threshold", &v), 0);
	assert_int_equal(v, 80);
	assert_int_equal(lvf_cft_get_int(root, "activation/thin_pool_autoextend_percent", &v), 0);
	assert_int_equal(v, 20);
	assert_string_equal(out, "activation {\n"
				 "\tthin_pool_autoextend_threshold = 80\n"
				 "\tthin_pool_autoextend_percent = 20\n"
				 "}\n");
	assert_roundtrip(root);
	free(out);
	free(text);
	lvf_cft_free(root);
}

static void test_lookup(void **state)
{
	size_t len;
	char *text = slurp("2-thin-and-snapshot.vg", &len);
	struct lvf_cft_node *root = parse_ok(text, len);
	const struct lvf_cft_node *n;
	const char *s = NULL;
	int64_t i = 0;
	double f = 0;

	assert_int_equal(lvf_cft_get_int(root, "docker/seqno", &i), 0);
	assert_int_equal(i, 10);
	assert_int_equal(lvf_cft_get_int(root, "/docker//seqno", &i), 0);
	assert_int_equal(lvf_cft_get_int(root, "version", &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(lvf_cft_get_str(root, "docker/logical_volumes/thinpool/segment1/type", &s),
			 0);
	assert_string_equal(s, "thin-pool");
	assert_int_equal(lvf_cft_get_str(root, "docker/physical_volumes/pv0/device", &s), 0);
	assert_string_equal(s, "/dev/vda");
	assert_int_equal(lvf_cft_get_int(root, "docker/id", &i), -EBADMSG);
	assert_int_equal(lvf_cft_get_str(root, "docker/seqno", &s), -EBADMSG);
	assert_int_equal(lvf_cft_get_int(root, "docker/nope", &i), -ENOENT);
	assert_int_equal(lvf_cft_get_int(root, "docker/seqno/deeper", &i), -ENOENT);
	assert_int_equal(lvf_cft_get_float(root, "docker/extent_size", &f), 0);
	assert_true(f == 8192.0);

	n = lvf_cft_find(root, "docker/logical_volumes/thinpool_tdata/segment1/stripes");
	assert_non_null(n);
	assert_int_equal(n->type, LVF_CFT_ARRAY);
	assert_int_equal(n->per_line, 2);
	assert_int_equal(lvf_cft_array_len(n), 2);
	assert_int_equal(n->child->type, LVF_CFT_STR);
	assert_string_equal(n->child->s, "pv0");
	assert_int_equal(n->child->next->type, LVF_CFT_INT);
	assert_int_equal(n->child->next->i, 0);
	assert_ptr_equal(n->child->parent, n);

	n = lvf_cft_find(root, "docker/flags");
	assert_non_null(n);
	assert_int_equal(n->type, LVF_CFT_ARRAY);
	assert_null(n->child);
	assert_int_equal(n->line, 16);

	n = lvf_cft_find(root, "docker/format");
	assert_string_equal(n->comment, "# informational");
	assert_int_equal(n->comment_style, LVF_CFT_COMMENT_ALIGNED);
	n = lvf_cft_find(root, "creation_host");
	assert_int_equal(n->comment_style, LVF_CFT_COMMENT_TAB);
	n = lvf_cft_find(root, "contents");
	assert_non_null(n->pre_comment);
	assert_memory_equal(n->pre_comment, "# Generated by LVM2 version 2.03.16(2)", 38);
	assert_int_equal(n->blank_before, 1);

	assert_ptr_equal(lvf_cft_find(root, ""), root);
	assert_null(lvf_cft_find(NULL, "a"));
	free(text);
	lvf_cft_free(root);
}

/* ---- values ---- */

static void test_values(void **state)
{
	struct lvf_cft_node *root = parse_str("a = 04000\n"
					      "b = -1\n"
					      "c = 9223372036854775807\n"
					      "d = -9223372036854775808\n"
					      "e = 0.5\n"
					      "f = \"q\\\"b\\\\s\\d\"\n"
					      "g = 'lit\\eral'\n"
					      "h = bare,word]\n"
					      "i = [ \"x\", 1 2.5\n \"y\" ]\n"
					      "j = +7\n"
					      "k = 00\n"
					      "l = .25\n"
					      "m = \"\"\n"
					      "\"quoted key\" = 1\n"
					      "n = [ ]\n");
	int64_t v;
	const char *s;
	double f;
	const struct lvf_cft_node *n;

	assert_int_equal(lvf_cft_get_int(root, "a", &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(lvf_cft_get_int(root, "b", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(lvf_cft_get_int(root, "c", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(lvf_cft_get_int(root, "d", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(lvf_cft_get_float(root, "e", &f), 0);
	assert_true(f == 0.5);
	assert_int_equal(lvf_cft_get_int(root, "e", &v), -EBADMSG);
	assert_int_equal(lvf_cft_get_str(root, "f", &s), 0);
	assert_string_equal(s, "q\"b\\s\\d");
	assert_int_equal(lvf_cft_get_str(root, "g", &s), 0);
	assert_string_equal(s, "lit\\eral");
	assert_int_equal(lvf_cft_get_str(root, "h", &s), 0);
	assert_string_equal(s, "bare,word]");
	n = lvf_cft_find(root, "i");
	assert_int_equal(lvf_cft_array_len(n), 4);
	assert_int_equal(n->per_line, 0);
	assert_int_equal(n->child->next->next->type, LVF_CFT_FLOAT);
	assert_int_equal(lvf_cft_get_int(root, "j", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(lvf_cft_get_int(root, "k", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(lvf_cft_get_float(root, "l", &f), 0);
	assert_true(f == 0.25);
	assert_int_equal(lvf_cft_get_str(root, "m", &s), 0);
	assert_string_equal(s, "");
	assert_int_equal(lvf_cft_get_int(root, "quoted key", &v), 0);
	n = lvf_cft_find(root, "n");
	assert_int_equal(n->type, LVF_CFT_ARRAY);
	assert_null(n->child);

	char *out = emit(root, LVF_CFT_STYLE_RAW);
	assert_string_equal(out, "a = 2048\n"
				 "b = -1\n"
				 "c = 9223372036854775807\n"
				 "d = -9223372036854775808\n"
				 "e = 0.500000\n"
				 "f = \"q\\\"b\\\\s\\\\d\"\n"
				 "g = \"lit\\\\eral\"\n"
				 "h = \"bare,word]\"\n"
				 "i = [\"x\", 1, 2.500000, \"y\"]\n"
				 "j = 7\n"
				 "k = 0\n"
				 "l = 0.250000\n"
				 "m = \"\"\n"
				 "\"quoted key\" = 1\n"
				 "n = []\n");
	assert_roundtrip(root);
	free(out);
	lvf_cft_free(root);
}

static void test_floats(void **state)
{
	const double vals[] = { 0.5, -2.25, 1e-7, 1e300, 5e-324, 0.1, 123456.789, -0.0 };
	struct lvf_cft_node *root = lvf_cft_new_root();

	for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
		char key[8];

		snprintf(key, sizeof(key), "f%zu", k);
		assert_non_null(lvf_cft_add_float(root, key, vals[k]));
	}
	assert_roundtrip(root);
	char *out = emit(root, LVF_CFT_STYLE_RAW);
	assert_non_null(strstr(out, "f0 = 0.500000\n"));
	assert_non_null(strstr(out, "f2 = 0.0000001"));
	assert_null(strchr(out, 'e')); /* never an exponent: lvm2 cannot read one */
	free(out);
	lvf_cft_free(root);
}

/* ---- layout of built trees: lvm2's two layouts ---- */

static struct lvf_cft_node *build_vg(void)
{
	struct lvf_cft_node *root = lvf_cft_new_root(), *vg, *n, *pvs, *pv, *lvs, *lv, *seg, *a;

	assert_non_null(root);
	vg = lvf_cft_add_section(root, "vg0");
	lvf_cft_add_str(vg, "id", "abc");
	n = lvf_cft_add_str(vg, "format", "lvm2");
	lvf_cft_set_comment(n, "# informational", LVF_CFT_COMMENT_ALIGNED);
	a = lvf_cft_add_array(vg, "status");
	lvf_cft_add_str(a, NULL, "READ");
	lvf_cft_add_str(a, NULL, "WRITE");
	lvf_cft_add_array(vg, "flags");
	n = lvf_cft_add_int(vg, "extent_size", 8192);
	lvf_cft_set_comment(n, "# 4 Megabytes", LVF_CFT_COMMENT_ALIGNED);
	pvs = lvf_cft_add_section(vg, "physical_volumes");
	pvs->blank_before = 1;
	pv = lvf_cft_add_section(pvs, "pv0");
	pv->blank_before = 1;
	n = lvf_cft_add_str(pv, "device", "/dev/a\"b");
	lvf_cft_set_comment(n, "# Hint only", LVF_CFT_COMMENT_ALIGNED);
	lvs = lvf_cft_add_section(vg, "logical_volumes");
	lvs->blank_before = 1;
	lv = lvf_cft_add_section(lvs, "lv");
	lv->blank_before = 1;
	lvf_cft_add_int(lv, "segment_count", 1);
	seg = lvf_cft_add_section(lv, "segment1");
	seg->blank_before = 1;
	a = lvf_cft_add_array(seg, "stripes");
	a->blank_before = 1;
	a->per_line = 2;
	lvf_cft_add_str(a, NULL, "pv0");
	lvf_cft_add_int(a, NULL, 0);
	lvf_cft_add_str(a, NULL, "pv1");
	lvf_cft_add_int(a, NULL, 10);
	lvs->blank_after = 1;
	n = lvf_cft_add_str(root, "contents", "Text Format Volume Group");
	lvf_cft_set_pre_comment(n, "# Generated by test");
	n->blank_before = 1; /* after the pre-comment */
	n = lvf_cft_add_int(root, "creation_time", 1795563080);
	lvf_cft_set_comment(n, "# Tue Nov 24 23:31:20 2026", LVF_CFT_COMMENT_TAB);
	n->blank_after = 1;
	return root;
}

static void test_build_layouts(void **state)
{
	struct lvf_cft_node *root = build_vg();
	char *raw = emit(root, LVF_CFT_STYLE_RAW), *ind = emit(root, LVF_CFT_STYLE_INDENT);

	assert_string_equal(raw, "vg0 {\n"
				 "id = \"abc\"\n"
				 "format = \"lvm2\"\n"
				 "status = [\"READ\", \"WRITE\"]\n"
				 "flags = []\n"
				 "extent_size = 8192\n"
				 "\n"
				 "physical_volumes {\n"
				 "\n"
				 "pv0 {\n"
				 "device = \"/dev/a\\\"b\"\n"
				 "}\n"
				 "}\n"
				 "\n"
				 "logical_volumes {\n"
				 "\n"
				 "lv {\n"
				 "segment_count = 1\n"
				 "\n"
				 "segment1 {\n"
				 "\n"
				 "stripes = [\n"
				 "\"pv0\", 0,\n"
				 "\"pv1\", 10\n"
				 "]\n"
				 "}\n"
				 "}\n"
				 "}\n"
				 "\n"
				 "}\n"
				 "# Generated by test\n"
				 "\n"
				 "contents = \"Text Format Volume Group\"\n"
				 "creation_time = 1795563080\t# Tue Nov 24 23:31:20 2026\n"
				 "\n");
	assert_string_equal(ind, "vg0 {\n"
				 "\tid = \"abc\"\n"
				 "\tformat = \"lvm2\"\t\t\t# informational\n"
				 "\tstatus = [\"READ\", \"WRITE\"]\n"
				 "\tflags = []\n"
				 "\textent_size = 8192\t\t# 4 Megabytes\n"
				 "\n"
				 "\tphysical_volumes {\n"
				 "\n"
				 "\t\tpv0 {\n"
				 "\t\t\tdevice = \"/dev/a\\\"b\"\t# Hint only\n"
				 "\t\t}\n"
				 "\t}\n"
				 "\n"
				 "\tlogical_volumes {\n"
				 "\n"
				 "\t\tlv {\n"
				 "\t\t\tsegment_count = 1\n"
				 "\n"
				 "\t\t\tsegment1 {\n"
				 "\n"
				 "\t\t\t\tstripes = [\n"
				 "\t\t\t\t\t\"pv0\", 0,\n"
				 "\t\t\t\t\t\"pv1\", 10\n"
				 "\t\t\t\t]\n"
				 "\t\t\t}\n"
				 "\t\t}\n"
				 "\t}\n"
				 "\n"
				 "}\n"
				 "# Generated by test\n"
				 "\n"
				 "contents = \"Text Format Volume Group\"\n"
				 "creation_time = 1795563080\t# Tue Nov 24 23:31:20 2026\n"
				 "\n");
	/* re-parsing the printed text gives back the same tree and the same layout */
	struct lvf_cft_node *again = parse_str(ind);
	char *ind2 = emit(again, LVF_CFT_STYLE_INDENT), *raw2 = emit(again, LVF_CFT_STYLE_RAW);
	assert_true(lvf_cft_equal(root, again));
	assert_string_equal(ind, ind2);
	assert_string_equal(raw, raw2);

	/* a subtree printed at a given depth */
	struct strbuf sb = { 0 };
	assert_int_equal(lvf_cft_emit_at(lvf_cft_find(root, "vg0/physical_volumes"),
					 LVF_CFT_STYLE_INDENT, 2, &sb),
			 0);
	assert_string_equal(strbuf_str(&sb), "\n"
					     "\t\tpv0 {\n"
					     "\t\t\tdevice = \"/dev/a\\\"b\"\t# Hint only\n"
					     "\t\t}\n");
	strbuf_release(&sb);

	/* clone keeps values and layout */
	struct lvf_cft_node *c = lvf_cft_clone(root);
	char *ind3 = emit(c, LVF_CFT_STYLE_INDENT);
	assert_true(lvf_cft_equal(root, c));
	assert_string_equal(ind, ind3);
	assert_int_equal(lvf_cft_get_int(c, "vg0/extent_size", &(int64_t){ 0 }), 0);

	free(ind3);
	lvf_cft_free(c);
	free(ind2);
	free(raw2);
	lvf_cft_free(again);
	free(raw);
	free(ind);
	lvf_cft_free(root);
}

static void test_emit_keys_and_comments(void **state)
{
	struct lvf_cft_node *root = lvf_cft_new_root(), *n;
	char *out;

	lvf_cft_add_int(root, "has space", 1);
	lvf_cft_add_int(root, "[x", 2);
	lvf_cft_add_int(root, "a\"b", 3);
	lvf_cft_add_int(root, "it's", 4);
	lvf_cft_add_int(root, "0lead-ing_.+x", 5);
	n = lvf_cft_add_int(root, "c", 6);
	lvf_cft_set_comment(n, "no hash\nnewline", LVF_CFT_COMMENT_TAB);
	lvf_cft_set_pre_comment(n, "first\n\n# third");
	out = emit(root, LVF_CFT_STYLE_RAW);
	assert_string_equal(out, "\"has space\" = 1\n"
				 "\"[x\" = 2\n"
				 "\"a\\\"b\" = 3\n"
				 "\"it's\" = 4\n"
				 "0lead-ing_.+x = 5\n"
				 "# first\n"
				 "\n"
				 "# third\n"
				 "c = 6\t# no hash newline\n");
	assert_roundtrip(root);
	free(out);
	lvf_cft_free(root);
}

static void test_emit_invalid(void **state)
{
	struct strbuf sb = { 0 };
	struct lvf_cft_node *root, *n, *a;

	root = lvf_cft_new_root();
	lvf_cft_add_int(root, "a/b", 1);
	assert_int_equal(lvf_cft_emit(root, LVF_CFT_STYLE_RAW, &sb), -EINVAL);
	lvf_cft_free(root);

	root = lvf_cft_new_root();
	lvf_cft_add_float(root, "nan", NAN);
	assert_int_equal(lvf_cft_emit(root, LVF_CFT_STYLE_RAW, &sb), -EINVAL);
	lvf_cft_free(root);

	root = lvf_cft_new_root();
	lvf_cft_add_int(root, NULL, 1);
	assert_int_equal(lvf_cft_emit(root, LVF_CFT_STYLE_RAW, &sb), -EINVAL);
	lvf_cft_free(root);

	root = lvf_cft_new_root();
	a = lvf_cft_add_array(root, "arr");
	lvf_cft_add_array(a, NULL);
	assert_int_equal(lvf_cft_emit(root, LVF_CFT_STYLE_RAW, &sb), -EINVAL);
	lvf_cft_free(root);

	root = lvf_cft_new_root();
	n = root;
	for (int d = 0; d <= LVF_CFT_MAX_DEPTH; d++)
		n = lvf_cft_add_section(n, "s");
	assert_int_equal(lvf_cft_emit(root, LVF_CFT_STYLE_INDENT, &sb), -EINVAL);
	lvf_cft_free(root);

	assert_int_equal(lvf_cft_emit(NULL, LVF_CFT_STYLE_RAW, &sb), -EINVAL);
	assert_null(lvf_cft_add_int(NULL, "x", 1));
	assert_null(lvf_cft_free(NULL));
	strbuf_release(&sb);
}

/* ---- duplicates and split keys ---- */

static void test_duplicates(void **state)
{
	struct lvf_cft_node *root = parse_str("a = 1\n"
					      "a = 2\n"
					      "s { x = 1 }\n"
					      "s { x = 2 y = 3 }\n"
					      "p/q = 4\n");
	const struct lvf_cft_node *layers[] = { root };
	const struct lvf_cft_node *p;
	int64_t v;

	/* metadata rule: first match at each level */
	assert_int_equal(lvf_cft_get_int(root, "a", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lvf_cft_get_int(root, "s/x", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lvf_cft_get_int(root, "s/y", &v), -ENOENT);
	/* both kept, in order */
	assert_string_equal(root->child->key, "a");
	assert_string_equal(root->child->next->key, "a");
	/* lvm.conf rule: merged sections, last value wins */
	assert_int_equal(lvf_config_get_int(layers, 1, "a", 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(lvf_config_get_int(layers, 1, "s/x", 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(lvf_config_get_int(layers, 1, "s/y", 0, &v), 0);
	assert_int_equal(v, 3);
	/* a/b key = nested sections */
	p = lvf_cft_find(root, "p");
	assert_int_equal(p->type, LVF_CFT_SECTION);
	assert_int_equal(lvf_cft_get_int(root, "p/q", &v), 0);
	assert_int_equal(v, 4);
	char *out = emit(p->parent, LVF_CFT_STYLE_INDENT);
	assert_non_null(strstr(out, "p {\n\tq = 4\n}\n"));
	free(out);
	assert_roundtrip(root);
	lvf_cft_free(root);
}

/* The tokenizer's shortcuts (keys and words shared in a lean parse, a bare key's '/' noted
 * while it is read, quoted strings without escapes copied at once) give the same tree as the
 * general paths, for words that only nearly match the shared ones too. */
static void test_lean_same_tree(void **state)
{
	static const char text[] =
		"vg {\n"
		"\tid = \"abc\"\n"
		"\tids = \"abc\"\n"
		"\ti = 1\n"
		"\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\", \"VISIBLEX\", \"REA\"]\n"
		"\ttype = \"thin-pool\"\n"
		"\tthin = \"thin\"\n"
		"\tstripes = [\"pv0\", 0, \"pv10\", 3]\n"
		"\ta/b//c = 2\n"
		"\t\"q/r\" = 3\n"
		"\t\"s\" = 4\n"
		"\tesc = \"a\\\"b\\\\c\\d\"\n"
		"\tnl = \"x\ny\"\n"
		"\tsq = 'it'\n"
		"\tbare = word/with/slash\n"
		"\tREAD = READ\n"
		"}\n";
	struct lvf_cft_node *plain = NULL, *lean = NULL;
	int64_t v;
	const char *s;

	assert_int_equal(lvf_cft_parse(text, sizeof(text) - 1, &plain, NULL), 0);
	assert_int_equal(lvf_cft_parse_lean(text, sizeof(text) - 1, &lean, NULL), 0);
	assert_true(lvf_cft_equal(plain, lean));
	assert_int_equal(lvf_cft_get_int(lean, "vg/a/b/c", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(lvf_cft_get_int(lean, "vg/q/r", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(lvf_cft_get_int(lean, "vg/s", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(lvf_cft_get_str(lean, "vg/esc", &s), 0);
	assert_string_equal(s, "a\"b\\c\\d");
	assert_int_equal(lvf_cft_get_str(lean, "vg/nl", &s), 0);
	assert_string_equal(s, "x\ny");
	assert_int_equal(lvf_cft_get_str(lean, "vg/bare", &s), 0);
	assert_string_equal(s, "word/with/slash");
	assert_int_equal(lvf_cft_get_str(lean, "vg/ids", &s), 0);
	assert_string_equal(s, "abc");
	lvf_cft_free(plain);
	lvf_cft_free(lean);
}

/* The streamed parse's fast path for the depth-2 items (a VG's LV and PV sections): the same
 * tree, node lines included, and the same error (code, line, column, message) as the plain
 * parse, for the layouts it takes and for everything it must leave to the plain parse. */
static void same_nodes(const struct lvf_cft_node *a, const struct lvf_cft_node *b)
{
	for (; a || b; a = a->next, b = b->next) {
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->type, b->type);
		assert_true(!a->key == !b->key);
		if (a->key)
			assert_string_equal(a->key, b->key);
		if (a->type == LVF_CFT_STR)
			assert_string_equal(a->s, b->s);
		if (a->type == LVF_CFT_INT)
			assert_true(a->i == b->i);
		if (a->type == LVF_CFT_FLOAT)
			assert_memory_equal(&a->f, &b->f, sizeof(a->f));
		for (const struct lvf_cft_node *k = a->child; k; k = k->next)
			assert_ptr_equal(k->parent, a);
		same_nodes(a->child, b->child);
	}
}

static int keep_item(void *ud, const struct lvf_cft_node *root, const struct lvf_cft_node *outer,
		     const struct lvf_cft_node *sec, const struct lvf_cft_node *item)
{
	(*(unsigned *)ud)++;
	return 0;
}

static void fast_same(const char *text, size_t len)
{
	struct lvf_cft_node *plain = NULL, *fast = NULL;
	struct lvf_err ep = { 0 }, ef = { 0 };
	unsigned items = 0;
	int rp = lvf_cft_parse(text, len, &plain, &ep);
	int rf = lvf_cft_parse_lean_hook(text, len, keep_item, &items, &fast, &ef);

	if (rp != rf)
		fail_msg("plain %d (%s), streamed %d (%s) for:\n%s", rp, ep.msg, rf, ef.msg, text);
	if (rp < 0) {
		assert_string_equal(ep.msg, ef.msg);
		assert_int_equal(ep.line, ef.line);
		assert_int_equal(ep.column, ef.column);
		return;
	}
	assert_true(lvf_cft_equal(plain, fast));
	same_nodes(plain->child, fast->child);
	lvf_cft_free(plain);
	lvf_cft_free(fast);
}

static void test_streamed_fast_same(void **state)
{
	static const char *const items[] = {
		/* the layouts the fast path takes: lvm2's on-disk text and its backup files */
		"lv1 {\nid = \"R0k300-0000-0000-0000-0000-0000-000000\"\nstatus = [\"READ\", "
		"\"WRITE\", \"VISIBLE\"]\nflags = []\ncreation_time = 1796124333\ncreation_host = "
		"\"bench\"\nsegment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 1\n\n"
		"type = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"pv0\", 99\n]\n}\n}\n",
		"\t\tlv1 {\n\t\t\tid = \"x\"\n\t\t\tstatus = [\"READ\"]\n\n\t\t\tsegment1 {\n"
		"\t\t\t\tstart_extent = 0\n\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", 0\n\t\t\t\t]\n"
		"\t\t\t}\n\t\t}\n",
		"lv1{a=1 b=\"\" c=[] d=[1,2,] e=[1 2] f = [ \"x\" , 0 ]}",
		"lv1 {\n\ta = 0\n\tb = 123456789012345678\n\tc = \"pv1\"\n\td = \"thin-pool\"\n}",
		"lv1\n{\ns\n{\nt\n{\nu = 1\n}\n}\n}\n",
		"lv1 { a = 1 a = 2 a { } }",
		"lv-1.x+y_Z {\n\tid = \"a\"\n}\n",
		/* keys that only nearly are the shared ones */
		"lv1 { ids = 1 id2 = 2 statusX = 3 segment10 { } stripes_x = 4 type.x = 5 tags+ = 6 "
		"flags- = 7 id=1 id{ } creation_timex = 8 stripe_coun = 9 d = 10 device_id1 = 11 "
		"thin_pool = \"READX\" transaction_id = \"\" i = \"pv01\" s = [\"linea\"] }",
		"lv1 { deep { d2 { d3 { d4 { d5 { d6 { d7 { d8 { d9 { x = 1 } } } } } } } } } }",
		/* what it leaves to the plain parse */
		"lv1 {\n\t# a comment\n\ta = 1\n}",
		"lv1 {\n\ta = 1 # trailing\n}",
		"# before\nlv1 { a = 1 }",
		"lv1 { a = \"es\\\"c\" }",
		"lv1 { a = \"back\\\\slash\" }",
		"lv1 { a = \"new\nline\" }",
		"lv1 { a = 'single' }",
		"lv1 { a = bare }",
		"lv1 { a = 010 }",
		"lv1 { a = 08 }",
		"lv1 { a = -1 }",
		"lv1 { a = +1 }",
		"lv1 { a = 1.5 }",
		"lv1 { a = 1234567890123456789 }",
		"lv1 { a = 99999999999999999999 }",
		"lv1 { a = 12ab }",
		"lv1 { a = [[1]] }",
		"lv1 { a = [1}",
		"lv1 { a = [\"x\" }",
		"lv1 { a = }",
		"lv1 { a = , }",
		"lv1 { a/b = 1 }",
		"lv1/x { a = 1 }",
		"\"lv1\" { a = 1 }",
		"lv1 { \"a\" = 1 }",
		"lv1 { a\x01 = 1 }",
		"lv1 { a = 1\r\n}",
		"lv1 { a = 1\v}",
		"lv1 { a = \"x\x01y\" }",
		"lv1 = 1",
		"lv1 { a = 1 } extra = 2",
		"lv1 { a { b = 1 }",
		"lv1 { a = 1",
		"lv1 { a = \"unterminated",
		"lv1 {",
		"lv1",
		"lv1 { = 1 }",
		"lv1 { a 1 }",
		"lv1 { a = 1 } }",
		"lv1 { a = [1, 2\n",
		"lv1 { a = 1 }\n\t\t# a comment after\n\t\t#\n",
	};
	struct strbuf t = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		size_t at;

		strbuf_reset(&t);
		strbuf_append(&t, "vg {\nid = \"x\"\nphysical_volumes {\npv0 {\nid = \"y\"\n"
				  "pe_count = 10\n}\n}\nlogical_volumes {\n\n");
		at = t.len;
		strbuf_append(&t, items[i]);
		strbuf_append(&t, "\n}\n}\n");
		assert_true(strbuf_ok(&t));
		fast_same(t.buf, t.len);
		/* the item alone at depth 0 (never streamed) */
		fast_same(items[i], strlen(items[i]));
		/* the text ending at every byte (inside the item too), and a NUL in the item */
		for (size_t cut = 0; cut < t.len; cut++)
			fast_same(t.buf, cut);
		at += strlen(items[i]) / 2;
		t.buf[at] = '\0';
		fast_same(t.buf, t.len);
	}
	strbuf_release(&t);
}

/* fast_same on random mutations of lvm2's layout of a VG with two LVs: bytes of the
 * grammar replaced, inserted or deleted (a fixed seed: the same texts every run). */
static void test_streamed_fast_mutations(void **state)
{
	static const char base[] =
		"vg {\nid = \"x\"\nseqno = 1\nphysical_volumes {\n\npv0 {\nid = \"y\"\n"
		"status = [\"ALLOCATABLE\"]\npe_count = 10\n}\n}\n\nlogical_volumes {\n\n"
		"lv1 {\nid = \"R0k300-0000-0000-0000-0000-0000-000000\"\nstatus = [\"READ\", "
		"\"WRITE\", \"VISIBLE\"]\nflags = []\ncreation_time = 1796124333\n"
		"creation_host = \"bench\"\nsegment_count = 1\n\nsegment1 {\nstart_extent = 0\n"
		"extent_count = 1\n\ntype = \"striped\"\nstripe_count = 1\n\nstripes = [\n"
		"\"pv0\", 99\n]\n}\n}\n\nlv2 {\n\tid = \"a\"\n\ttags = [\"t1\", \"t2\"]\n"
		"\tsegment1 {\n\t\ttype = \"thin\"\n\t\tdevice_id = 7\n\t}\n}\n}\n}\n";
	static const char bytes[] = "#\"\\\n \t{}[],=01a/\r'-.+_9x\v";
	char text[sizeof(base) + 16];
	uint64_t seed = 0x9E3779B97F4A7C15ull;

	for (unsigned iter = 0; iter < 20000; iter++) {
		size_t len = sizeof(base) - 1;
		unsigned edits = 1 + iter % 3;

		memcpy(text, base, len);
		for (unsigned k = 0; k < edits; k++) {
			size_t at;
			char c;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			at = (size_t)(seed >> 33) % len;
			c = bytes[(seed >> 20) % (sizeof(bytes) - 1)];
			switch ((seed >> 10) % 3) {
			case 0:
				text[at] = c;
				break;
			case 1:
				if (len + 1 < sizeof(text)) {
					memmove(text + at + 1, text + at, len - at);
					text[at] = c;
					len++;
				}
				break;
			default:
				memmove(text + at, text + at + 1, len - at - 1);
				len--;
				break;
			}
		}
		fast_same(text, len);
	}
}

/* ---- errors ---- */

struct bad {
	const char *text;
	size_t len; /* 0: strlen */
	int rc;
	unsigned line, column;
	const char *msg; /* substring */
};

static void test_errors(void **state)
{
	static const struct bad cases[] = {
		{ "a = \"abc\nb = 1\n", 0, -EBADMSG, 1, 5, "unterminated string" },
		{ "a = 'abc", 0, -EBADMSG, 1, 5, "unterminated string (missing closing ')" },
		{ "a = \"ab\\", 0, -EBADMSG, 1, 5, "unterminated string" },
		{ "\"key = 1\n", 0, -EBADMSG, 1, 1, "unterminated key" },
		{ "vg {\n\tseqno = 1\n", 0, -EBADMSG, 1, 4, "missing '}' for section 'vg'" },
		{ "vg {\n}\n}\n", 0, -EBADMSG, 3, 1, "unexpected '}' outside any section" },
		{ "x = 1\n\nseqno 12\n", 0, -EBADMSG, 3, 7, "expected '=' or '{' after key 'seqno'" },
		{ "seqno", 0, -EBADMSG, 1, 1, "after key 'seqno' but the text ended" },
		{ "a = 08\n", 0, -EBADMSG, 1, 5, "invalid octal number '08'" },
		{ "a = 0x10\n", 0, -EBADMSG, 1, 5, "invalid number '0x10'" },
		{ "a = 12abc\n", 0, -EBADMSG, 1, 5, "invalid number '12abc'" },
		{ "a = 1.2.3\n", 0, -EBADMSG, 1, 5, "invalid number '1.2.3'" },
		{ "a = -\n", 0, -EBADMSG, 1, 5, "invalid number '-'" },
		{ "a = .\n", 0, -EBADMSG, 1, 5, "invalid number '.'" },
		{ "a = 9223372036854775808\n", 0, -ERANGE, 1, 5, "out of range for 64 bits" },
		{ "a = -9223372036854775809\n", 0, -ERANGE, 1, 5, "out of range" },
		{ "a = 99999999999999999999999\n", 0, -ERANGE, 1, 5, "out of range" },
		{ "a = 01777777777777777777777\n", 0, -ERANGE, 1, 5, "out of range" },
		{ "\x01 = 1\n", 0, -EBADMSG, 1, 1, "unexpected byte 0x01 where a key should be" },
		{ "a = 1\nb\x02 = 1\n", 0, -EBADMSG, 2, 2, "unexpected byte 0x02 in key" },
		{ "a = \x7f\n", 0, -EBADMSG, 1, 5, "unexpected byte 0x7f" },
		{ "a = x\x1b\n", 0, -EBADMSG, 1, 6, "unexpected byte 0x1b in value" },
		{ "a {\0}", 5, -EBADMSG, 1, 3, "missing '}' for section 'a'" },
		{ "a = [1, 2\n", 0, -EBADMSG, 1, 5, "missing ']' for the array of key 'a'" },
		{ "a = [[1]]\n", 0, -EBADMSG, 1, 6, "arrays cannot be nested" },
		{ "a = [1, , 2]\n", 0, -EBADMSG, 1, 9, "expected a value for key 'a', found ','" },
		{ "a = }\n", 0, -EBADMSG, 1, 5, "expected a value for key 'a', found '}'" },
		{ "a =", 0, -EBADMSG, 1, 4, "expected a value for key 'a' but the text ended" },
		{ "\"\" = 1\n", 0, -EBADMSG, 1, 1, "empty key" },
		{ "/ = 1\n", 0, -EBADMSG, 1, 1, "empty key" },
		{ "= 1\n", 0, -EBADMSG, 1, 1, "expected a key, found '='" },
		{ "[a] = 1\n", 0, -EBADMSG, 1, 1, "expected a key, found '['" },
		/* line counting across comments and multi-line strings */
		{ "# c\n\na = \"x\ny\"\n# d\nb = 1 c\n", 0, -EBADMSG, 6, 7,
		  "expected '=' or '{' after key 'c' but the text ended" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct bad *b = &cases[k];
		struct lvf_cft_node *root = (void *)0x1;
		struct lvf_err e = { 0 };
		int r = lvf_cft_parse(b->text, b->len ? b->len : strlen(b->text), &root, &e);

		if (r != b->rc || e.line != b->line || e.column != b->column ||
		    !strstr(e.msg, b->msg))
			fail_msg("case %zu: got %d line %u col %u '%s'; want %d line %u col %u '%s'",
				 k, r, e.line, e.column, e.msg, b->rc, b->line, b->column, b->msg);
		assert_ptr_equal(root, (void *)0x1); /* untouched on failure */
	}
}

static void test_depth_limit(void **state)
{
	struct strbuf sb = { 0 };
	struct lvf_cft_node *root = NULL;
	struct lvf_err e = { 0 };

	for (int d = 0; d < LVF_CFT_MAX_DEPTH; d++)
		strbuf_append(&sb, "s {\n");
	for (int d = 0; d < LVF_CFT_MAX_DEPTH; d++)
		strbuf_append(&sb, "}\n");
	root = parse_ok(sb.buf, sb.len);
	assert_roundtrip(root);
	lvf_cft_free(root);
	root = NULL;

	strbuf_reset(&sb);
	for (int d = 0; d <= LVF_CFT_MAX_DEPTH; d++)
		strbuf_append(&sb, "s {\n");
	assert_int_equal(lvf_cft_parse(sb.buf, sb.len, &root, &e), -EBADMSG);
	assert_int_equal(e.line, LVF_CFT_MAX_DEPTH + 1);
	assert_non_null(strstr(e.msg, "nested deeper than 64"));

	/* the same through a split key */
	strbuf_reset(&sb);
	for (int d = 0; d <= LVF_CFT_MAX_DEPTH; d++)
		strbuf_append(&sb, "s/");
	strbuf_append(&sb, "x = 1\n");
	assert_int_equal(lvf_cft_parse(sb.buf, sb.len, &root, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "nested deeper than 64"));
	assert_null(root);
	strbuf_release(&sb);
}

static void test_size_limits(void **state)
{
	size_t big = LVF_CFT_MAX_STRING + 16;
	char *t = malloc(big + 16);
	struct lvf_cft_node *root = NULL;
	struct lvf_err e = { 0 };

	memcpy(t, "a = \"", 5);
	memset(t + 5, 'x', big);
	memcpy(t + 5 + big, "\"\n", 2);
	assert_int_equal(lvf_cft_parse(t, big + 7, &root, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "string longer than"));

	memcpy(t, "a = ", 4);
	memset(t + 4, '1', LVF_CFT_MAX_NUMBER + 1);
	assert_int_equal(lvf_cft_parse(t, 4 + LVF_CFT_MAX_NUMBER + 1, &root, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "number longer than"));

	memcpy(t, "a = 1", 5);
	memset(t + 5, '0', 400);
	memcpy(t + 405, ".0", 2);
	assert_int_equal(lvf_cft_parse(t, 407, &root, &e), -ERANGE);
	assert_null(root);
	free(t);

	assert_int_equal(lvf_cft_parse("x", (size_t)LVF_CFT_MAX_TEXT + 1, &root, &e), -EBADMSG);
	assert_int_equal(lvf_cft_parse(NULL, 1, &root, &e), -EINVAL);
}

static void test_empty_and_nul(void **state)
{
	struct lvf_cft_node *root;
	char *out;

	/* empty text and comment-only text are an empty root, as in lvm2 */
	root = parse_ok("", 0);
	assert_null(root->child);
	assert_int_equal(root->type, LVF_CFT_SECTION);
	assert_null(root->key);
	lvf_cft_free(root);
	root = parse_ok(NULL, 0);
	lvf_cft_free(root);
	root = parse_str("  # only a comment\n\n");
	assert_null(root->child);
	lvf_cft_free(root);

	/* a NUL ends the text: what follows is never read */
	root = parse_ok("a = 1\n\0garbage {{{ \"", 21);
	out = emit(root, LVF_CFT_STYLE_RAW);
	assert_string_equal(out, "a = 1\n");
	free(out);
	lvf_cft_free(root);
}

/* lvm.conf as it ships (comment blocks, trailing comments, blank lines): a lean load reads the
 * same settings as a full one; a comment block over the limit is refused by both alike. */
static void test_lean_config_comments(void **state)
{
	static const char text[] = "# This is an example configuration file\n"
				   "#\n\n"
				   "config {\n"
				   "\t# Configuration option config/checks.\n"
				   "\t#   If enabled, any LVM configuration mismatch is reported.\n"
				   "\tchecks = 1 # trailing\n"
				   "\n"
				   "\t\t# indented comment\n"
				   "\tprofile_dir = \"/etc/lvm/profile\"\n"
				   "}\n"
				   "# last words\n";
	char path[] = "/tmp/tb-cft-XXXXXX";
	struct lvf_cft_node *plain = NULL, *lean = NULL;
	struct lvf_err e1 = { 0 }, e2 = { 0 };
	size_t big = LVF_CFT_MAX_STRING + 4096, o = 0;
	char *blk = malloc(big + 64);
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	assert_int_equal(lvf_config_load_file(path, &plain, NULL), 0);
	assert_int_equal(lvf_config_load_file_lean(path, &lean, NULL), 0);
	assert_true(lvf_cft_equal(plain, lean));
	unlink(path);
	lvf_cft_free(plain);
	lvf_cft_free(lean);
	/* many short comment lines adding up to more than one comment may hold */
	assert_non_null(blk);
	while (o < big) {
		memcpy(blk + o, "# 0123456789abcdef0123456789abcdef\n", 35);
		o += 35;
	}
	memcpy(blk + o, "a = 1\n", 7);
	plain = lean = NULL;
	assert_int_equal(lvf_cft_parse(blk, o + 6, &plain, &e1), -EBADMSG);
	assert_int_equal(lvf_cft_parse_lean(blk, o + 6, &lean, &e2), -EBADMSG);
	assert_int_equal(e1.line, e2.line);
	assert_string_equal(e1.message, e2.message);
	/* under the limit both read it */
	assert_int_equal(lvf_cft_parse(blk + o - 3500, 3506, &plain, NULL), 0);
	assert_int_equal(lvf_cft_parse_lean(blk + o - 3500, 3506, &lean, NULL), 0);
	assert_true(lvf_cft_equal(plain, lean));
	lvf_cft_free(plain);
	lvf_cft_free(lean);
	free(blk);
}

/* ---- lvm.conf layers ---- */

static void test_config_layers(void **state)
{
	struct lvf_cft_node *profile = NULL, *conf;
	struct lvf_err e = { 0 };
	int64_t v = 0;
	const char *s = NULL;

	assert_int_equal(lvf_config_load_file(FIX "docker-thinpool.profile", &profile, &e), 0);
	assert_int_equal(lvf_config_load_file(FIX "does-not-exist.profile", &conf, &e), -ENOENT);
	conf = parse_str("# lvm.conf\n"
			 "activation {\n"
			 "    thin_pool_autoextend_threshold = 100\n"
			 "    thin_pool_autoextend_percent = 20\n"
			 "    monitoring = 1\n"
			 "    volume_list = [ \"vg0\" ]\n"
			 "}\n"
			 "global/umask = 077\n"
			 "global { locking_dir = \"/run/lock/lvm\" }\n");
	const struct lvf_cft_node *layers[] = { profile, NULL, conf };

	assert_int_equal(lvf_config_get_int(layers, 3, "activation/thin_pool_autoextend_threshold",
					    100, &v),
			 0);
	assert_int_equal(v, 80);
	assert_int_equal(lvf_config_get_int(layers, 3, "activation/monitoring", 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lvf_config_get_int(layers, 3, "activation/missing", 42, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(lvf_config_get_int(layers, 3, "global/umask", 0, &v), 0);
	assert_int_equal(v, 077);
	assert_int_equal(lvf_config_get_str(layers, 3, "global/locking_dir", NULL, &s), 0);
	assert_string_equal(s, "/run/lock/lvm");
	assert_int_equal(lvf_config_get_int(layers, 3, "activation/volume_list", 0, &v), -EBADMSG);
	assert_int_equal(lvf_config_get_str(layers, 3, "x/y", "dflt", &s), 0);
	assert_string_equal(s, "dflt");
	assert_int_equal(lvf_config_get_int(layers, 0, "activation/monitoring", 7, &v), 0);
	assert_int_equal(v, 7);

	/* a parse error in a file names the line */
	char path[] = "/tmp/thinbox-cft-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a {\n b = 1\n c 2\n}\n", 18), 18);
	close(fd);
	struct lvf_cft_node *bad = NULL;
	assert_int_equal(lvf_config_load_file(path, &bad, &e), -EBADMSG);
	assert_int_equal(e.line, 3);
	assert_null(bad);
	unlink(path);

	lvf_cft_free(profile);
	lvf_cft_free(conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backups_byte_exact),
		cmocka_unit_test(test_backups_raw_golden),
		cmocka_unit_test(test_ondisk_raw_byte_exact),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_build_layouts),
		cmocka_unit_test(test_emit_keys_and_comments),
		cmocka_unit_test(test_emit_invalid),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_size_limits),
		cmocka_unit_test(test_empty_and_nul),
		cmocka_unit_test(test_config_layers),
		cmocka_unit_test(test_lean_same_tree),
		cmocka_unit_test(test_streamed_fast_same),
		cmocka_unit_test(test_streamed_fast_mutations),
		cmocka_unit_test(test_lean_config_comments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
