/* VG <-> text: real lvm2 metadata (tests/fixtures/lvm2) imported and printed back byte for
 * byte, field errors, preservation of what we do not understand, and the recipe's model
 * operations giving lvm2's extent layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lvmfmt/cft.h"
#include "lvmfmt/vg-text.h"
#include "metadata/md.h"

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (ret_len)
		*ret_len = (size_t)n;
	return buf;
}

static struct md_vg *import(const char *text, size_t len)
{
	struct md_vg *vg = NULL;
	struct lvf_err err = { 0 };
	int r = lvf_vg_import_text(text, len, &vg, &err);

	if (r < 0)
		fail_msg("import failed: line %u: %s", err.line, err.message);
	return vg;
}

/* The VG section of an lvm2 backup file, printed back exactly. */
static void roundtrip_backup_vg(const char *path, const char *vgsec)
{
	size_t len;
	char *text = slurp(path, &len);
	struct md_vg *vg = import(text, len);
	struct strbuf out = { 0 };
	const char *sec = strstr(text, vgsec);

	assert_non_null(sec);
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	assert_string_equal(strbuf_str(&out), sec + 1);
	strbuf_release(&out);
	md_vg_free(vg);
	free(text);
}

static void roundtrip_backup(const char *path)
{
	roundtrip_backup_vg(path, "\ndocker {\n");
}

/* lvf_vg_import_text streams LV sections into the model (references to LVs further on wait
 * for the end); the model must be the one the plain tree import makes. */
static void streamed_same(const char *text, size_t len)
{
	struct lvf_cft_node *root = NULL;
	struct md_vg *a = NULL, *b = NULL;
	struct strbuf sa = { 0 }, sb = { 0 };

	assert_int_equal(lvf_vg_import_text(text, len, &a, NULL), 0);
	assert_int_equal(lvf_cft_parse_lean(text, len, &root, NULL), 0);
	assert_int_equal(lvf_vg_import(root, &b, NULL), 0);
	assert_int_equal(lvf_vg_export(a, LVF_VG_SECTION, NULL, &sa), 0);
	assert_int_equal(lvf_vg_export(b, LVF_VG_SECTION, NULL, &sb), 0);
	assert_string_equal(strbuf_str(&sa), strbuf_str(&sb));
	assert_int_equal(a->n_lvs, b->n_lvs);
	for (size_t i = 0; i < a->n_lvs; i++) {
		assert_string_equal(a->lvs[i]->name, b->lvs[i]->name);
		assert_int_equal(a->lvs[i]->n_segs, b->lvs[i]->n_segs);
		for (size_t k = 0; k < a->lvs[i]->n_segs; k++) {
			const struct md_seg *x = &a->lvs[i]->segs[k], *y = &b->lvs[i]->segs[k];
			assert_int_equal(x->start_extent, y->start_extent);
			assert_true(!x->thin_pool == !y->thin_pool);
			assert_true(!x->pool_data == !y->pool_data);
			if (x->pool_data)
				assert_string_equal(x->pool_data->name, y->pool_data->name);
			if (x->pool_meta)
				assert_string_equal(x->pool_meta->name, y->pool_meta->name);
			if (x->origin)
				assert_string_equal(x->origin->name, y->origin->name);
		}
	}
	strbuf_release(&sa);
	strbuf_release(&sb);
	lvf_cft_free(root);
	md_vg_free(a);
	md_vg_free(b);
}

/* The streamed import (fast item parse, LVs straight into the model) against the plain parse
 * and import: the same model, or the same error (code, message, line). */
static void streamed_same_or_error(const char *text, size_t len)
{
	struct lvf_cft_node *root = NULL;
	struct md_vg *a = NULL, *b = NULL;
	struct lvf_err ea = { 0 }, eb = { 0 };
	struct strbuf sa = { 0 }, sb = { 0 };
	int ra = lvf_vg_import_text(text, len, &a, &ea);
	int rb = lvf_cft_parse_lean(text, len, &root, &eb);

	if (rb == 0)
		rb = lvf_vg_import(root, &b, &eb);
	if (ra != rb)
		fail_msg("streamed %d (%s), plain %d (%s) for:\n%s", ra, ea.msg, rb, eb.msg, text);
	if (ra < 0) {
		assert_string_equal(ea.msg, eb.msg);
		assert_int_equal(ea.line, eb.line);
		assert_int_equal(ea.column, eb.column);
	} else {
		assert_int_equal(lvf_vg_export(a, LVF_VG_SECTION, NULL, &sa), 0);
		assert_int_equal(lvf_vg_export(b, LVF_VG_SECTION, NULL, &sb), 0);
		assert_string_equal(strbuf_str(&sa), strbuf_str(&sb));
	}
	strbuf_release(&sa);
	strbuf_release(&sb);
	lvf_cft_free(root);
	md_vg_free(a);
	md_vg_free(b);
}

/* lvm2's on-disk layout of a VG with one LV, then @item (an LV section or a variation). */
static void streamed_item(const char *item)
{
	struct strbuf t = { 0 };

	strbuf_append(&t, "vg {\nid = \"Rgisax-7hyE-UyjO-Q8ge-UFVt-lr7u-BXKQdv\"\nseqno = 6\n"
			  "format = \"lvm2\"\nstatus = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n"
			  "flags = []\nextent_size = 8192\nmax_lv = 0\nmax_pv = 0\n\n"
			  "physical_volumes {\n\npv0 {\nid = \"OpJKR0-sPIG-C2QR-WWj3-lK3l-kVej-Impb1c\"\n"
			  "device = \"/dev/vda\"\n\nstatus = [\"ALLOCATABLE\"]\nflags = []\n"
			  "dev_size = 8388608\npe_start = 2048\npe_count = 1023\n}\n}\n\n"
			  "logical_volumes {\n\nlv0 {\nid = \"S1JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n"
			  "status = [\"READ\", \"WRITE\", \"VISIBLE\"]\nflags = []\n"
			  "creation_time = 1795563070\ncreation_host = \"h\"\nsegment_count = 1\n\n"
			  "segment1 {\nstart_extent = 0\nextent_count = 1\n\ntype = \"striped\"\n"
			  "stripe_count = 1\n\nstripes = [\n\"pv0\", 0\n]\n}\n}\n\n");
	strbuf_append(&t, item);
	strbuf_append(&t, "\n}\n}\n");
	assert_true(strbuf_ok(&t));
	streamed_same_or_error(t.buf, t.len);
	strbuf_release(&t);
}

#define LV1_HEAD "lv1 {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n"
#define LV1_SEG                                                                                    \
	"segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n\n"            \
	"type = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"pv0\", 1\n]\n}\n}\n"
#define LV1_STATUS "status = [\"READ\", \"WRITE\", \"VISIBLE\"]\nflags = []\n"

static void test_streamed_adversarial(void **state)
{
	static const char *const items[] = {
		"",
		LV1_HEAD LV1_STATUS "creation_time = 1\ncreation_host = \"h\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS LV1_SEG,
		/* comments, escapes, other tokens: the plain parse reads the item */
		LV1_HEAD "# comment\n" LV1_STATUS LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1 # trailing\ncreation_host = \"h\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1\ncreation_host = \"h\\\"q\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1\ncreation_host = 'h'\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1\ncreation_host = h\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 010\ncreation_host = \"h\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = -5\ncreation_host = \"h\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1.5\ncreation_host = \"h\"\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 99999999999999999999\ncreation_host = \"h\"\n"
			LV1_SEG,
		LV1_HEAD LV1_STATUS "read_ahead = 1234567890123456789\n" LV1_SEG,
		/* what the import rejects or keeps, and keys twice */
		LV1_HEAD LV1_STATUS "foo = 1\nbar = [\"x\", 2]\nbaz { q = 1 }\n" LV1_SEG,
		LV1_HEAD LV1_HEAD LV1_STATUS LV1_SEG "}",
		LV1_HEAD "id = \"bad\"\n" LV1_STATUS LV1_SEG,
		"lv1 {\nid = \"bad\"\n" LV1_STATUS LV1_SEG,
		LV1_HEAD "status = [\"READ\", \"NOPE\"]\n" LV1_SEG,
		LV1_HEAD "status = 1\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "segment_count = 2\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_time = 1\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "creation_host = 1\ncreation_time = 1\n" LV1_SEG,
		LV1_HEAD LV1_STATUS "segment_count = 1\n\nsegment1 {\nstart_extent = 0\n"
				    "extent_count = 2\n\ntype = \"striped\"\nstripe_count = 1\n\n"
				    "stripes = [\n\"pv9\", 1\n]\n}\n}\n",
		LV1_HEAD LV1_STATUS "segment_count = 1\n\nsegment1 {\nstart_extent = 0\n"
				    "extent_count = 2\n\ntype = \"striped\"\nstripe_count = 1\n\n"
				    "stripes = [\n\"pv0\", 0\n]\n}\n}\n",
		LV1_HEAD LV1_STATUS "segment_count = 1\n\nsegment1 {\nstart_extent = 0\n"
				    "extent_count = 2\n\ntype = \"weird\"\n}\n}\n",
		"lv0 {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" LV1_STATUS LV1_SEG,
		"-bad {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" LV1_STATUS LV1_SEG,
		"lv1 = 1\n",
		"lv1 {\n}\n",
		LV1_HEAD LV1_STATUS LV1_SEG LV1_HEAD LV1_STATUS LV1_SEG,
		/* thin LVs naming a pool further on */
		"thin1 {\nid = \"U3JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" LV1_STATUS
		"segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n\n"
		"type = \"thin\"\nthin_pool = \"nopool\"\ntransaction_id = 0\ndevice_id = 1\n}\n}\n",
	};

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		streamed_item(items[i]);
}

static void test_streamed_import(void **state)
{
	static const char *const files[] = {
		"tests/fixtures/lvm2/1-recipe.vg",	"tests/fixtures/lvm2/1-recipe.vg.raw",
		"tests/fixtures/lvm2/2-thin-and-snapshot.vg", "tests/fixtures/lvm2/2-thin-and-snapshot.vg.raw",
		"tests/fixtures/lvm2/3-extended.vg",	"tests/fixtures/lvm2/3-extended.vg.raw",
		"tests/fixtures/lvm2/3-extended.mda-text",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *t = slurp(files[i], &len);
		streamed_same(t, len);
		free(t);
	}
}

static void test_backup_roundtrip(void **state)
{
	roundtrip_backup("tests/fixtures/lvm2/1-recipe.vg");
	roundtrip_backup("tests/fixtures/lvm2/2-thin-and-snapshot.vg");
	roundtrip_backup("tests/fixtures/lvm2/3-extended.vg");
	roundtrip_backup_vg("tests/fixtures/lvm2/4-raid1.vg", "\nmvg {\n");
}

/* The on-disk copy lvm2 wrote (raw layout), printed back exactly up to our header. */
static void test_raw_roundtrip(void **state)
{
	size_t len;
	char *text = slurp("tests/fixtures/lvm2/3-extended.mda-text", &len);
	struct md_vg *vg = import(text, len);
	struct lvf_vg_export_info info = { "Write from test.", "host", NULL, 0 };
	struct strbuf out = { 0 };
	const char *gen = strstr(text, "# Generated by");
	const char *ours;

	assert_non_null(gen);
	assert_int_equal(vg->seqno, 12);
	assert_int_equal(lvf_vg_export(vg, LVF_VG_RAW, &info, &out), 0);
	ours = strstr(strbuf_str(&out), "# Generated by");
	assert_non_null(ours);
	assert_int_equal(ours - strbuf_str(&out), gen - text);
	assert_memory_equal(strbuf_str(&out), text, (size_t)(gen - text));
	/* the text we print is read back to the same VG */
	{
		struct md_vg *again = import(strbuf_str(&out), out.len);
		struct strbuf a = { 0 }, b = { 0 };
		lvf_vg_export(vg, LVF_VG_SECTION, NULL, &a);
		lvf_vg_export(again, LVF_VG_SECTION, NULL, &b);
		assert_string_equal(strbuf_str(&a), strbuf_str(&b));
		strbuf_release(&a);
		strbuf_release(&b);
		md_vg_free(again);
	}
	strbuf_release(&out);
	md_vg_free(vg);
	free(text);
}

static void test_model_of_fixture(void **state)
{
	size_t len;
	char *text = slurp("tests/fixtures/lvm2/2-thin-and-snapshot.vg", &len);
	struct md_vg *vg = import(text, len);
	struct md_lv *pool = md_vg_find_lv(vg, "thinpool"), *snap = md_vg_find_lv(vg, "snap1");
	uint32_t next;

	assert_non_null(pool);
	assert_true(md_lv_is_thin_pool(pool));
	assert_int_equal(pool->segs[0].transaction_id, 2);
	assert_int_equal(pool->segs[0].chunk_size, 1024);
	assert_false(pool->segs[0].zero_new_blocks);
	assert_int_equal(pool->segs[0].discards, MD_DISCARDS_PASSDOWN);
	assert_string_equal(pool->profile, "docker-thinpool");
	assert_true(md_lv_is_pool_data(vg, md_vg_find_lv(vg, "thinpool_tdata")));
	assert_true(md_lv_is_pool_meta(vg, md_vg_find_lv(vg, "thinpool_tmeta")));
	assert_true(md_lv_is_pmspare(md_vg_find_lv(vg, "lvol0_pmspare")));
	assert_true(md_lv_is_thin(snap));
	assert_ptr_equal(snap->segs[0].origin, md_vg_find_lv(vg, "thin1"));
	assert_true(snap->flags & MD_LVF_ACTIVATION_SKIP);
	assert_int_equal(md_pool_next_device_id(vg, pool, &next), 0);
	assert_int_equal(next, 3);
	assert_int_equal(md_vg_free_count(vg), 1023 - 971 - 10 - 10);
	assert_false(md_vg_is_readonly_for_us(vg, NULL));
	md_vg_free(vg);
	free(text);
}

static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	assert_non_null(at);
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static void expect_error(const char *text, const char *from, const char *to, const char *msg_part)
{
	char *bad = replace(text, from, to);
	struct md_vg *vg = NULL;
	struct lvf_err err = { 0 };
	int r = lvf_vg_import_text(bad, strlen(bad), &vg, &err);

	if (r != -EBADMSG || !strstr(err.message, msg_part))
		fail_msg("replacing '%s' with '%s': r=%d, message '%s' (wanted '%s')", from, to, r,
			 err.message, msg_part);
	assert_null(vg);
	free(bad);
}

static void test_errors(void **state)
{
	char *t = slurp("tests/fixtures/lvm2/2-thin-and-snapshot.vg", NULL);

	expect_error(t, "\tseqno = 10\n", "\n", "'seqno' is missing");
	expect_error(t, "\"RESIZEABLE\", ", "\"RESIZEABLE\", \"BOGUS\", ", "unknown status flag 'BOGUS'");
	expect_error(t, "extent_size = 8192", "extent_size = \"8192\"", "must be an integer");
	expect_error(t, "chunk_size = 1024", "chunk_size = 192", "not a multiple of 128");
	expect_error(t, "chunk_size = 1024", "chunk_size = 64", "out of range");
	expect_error(t, "thin_pool = \"thinpool\"", "thin_pool = \"nopool\"", "does not exist");
	expect_error(t, "device_id = 2", "device_id = 1", "share device_id 1");
	expect_error(t, "device_id = 2", "device_id = 16777216", "out of range");
	expect_error(t, "segment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 256",
		     "segment_count = 2\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 256",
		     "segment_count is 2 but 1 segments follow");
	expect_error(t, "\t\t\tcreation_host = \"(none)\"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 256",
		     "\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 256",
		     "must appear together");
	expect_error(t, "\"pv0\", 0\n", "\"pv9\", 0\n", "neither a PV nor an LV");
	expect_error(t, "\"pv0\", 981", "\"pv0\", 1020", "runs past the end of its PV");
	expect_error(t, "id = \"Rgisax-7hyE-UyjO-Q8ge-UFVt-lr7u-BXKQdv\"",
		     "id = \"Rgisax-7hyE-UyjO-Q8ge-UFVt-lr7u-BXKQd_\"", "not a valid LVM id");
	expect_error(t, "discards = \"passdown\"", "discards = \"sometimes\"", "unknown discards");
	free(t);
}

/* Unknown fields, unknown flags and unknown segment types survive a round trip; such a VG is
 * read but refused for changes. */
static void test_preserve_unknown(void **state)
{
	char *t = slurp("tests/fixtures/lvm2/1-recipe.vg", NULL);
	char *a = replace(t, "\tmax_pv = 0\n", "\tmax_pv = 0\n\tfuture_field = \"x\"\n");
	char *b = replace(a, "\t\t\tflags = []\n\t\t\tcreation_time = 1795563070",
			  "\t\t\tflags = [\"FUTURE_FLAG\"]\n\t\t\tcreation_time = 1795563070");
	char *c = replace(b, "type = \"thin-pool\"", "type = \"thin-pool\"\n\t\t\t\tnew_knob = 7");
	char *d = replace(c, "\t\t\t\ttype = \"striped\"\n\t\t\t\tstripe_count = 1\t# linear\n\n\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", 981",
			  "\t\t\t\ttype = \"raid9\"\n\t\t\t\tweird = [\"a\", 1]\n\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", 981");
	struct md_vg *vg = import(d, strlen(d));
	struct strbuf out = { 0 };
	const char *why = NULL;

	assert_true(md_vg_is_readonly_for_us(vg, &why));
	assert_non_null(strstr(why, "segment type"));
	assert_int_equal(lvf_vg_export(vg, LVF_VG_RAW, &(struct lvf_vg_export_info){ 0 }, &out), 0);
	assert_non_null(strstr(strbuf_str(&out), "future_field = \"x\""));
	assert_non_null(strstr(strbuf_str(&out), "flags = [\"FUTURE_FLAG\"]"));
	assert_non_null(strstr(strbuf_str(&out), "new_knob = 7"));
	assert_non_null(strstr(strbuf_str(&out), "type = \"raid9\""));
	assert_non_null(strstr(strbuf_str(&out), "weird = [\"a\", 1]"));
	{
		/* and the printed text reads back with everything still there */
		struct md_vg *again = import(strbuf_str(&out), out.len);
		struct strbuf o2 = { 0 };
		lvf_vg_export(again, LVF_VG_RAW, &(struct lvf_vg_export_info){ 0 }, &o2);
		assert_string_equal(strbuf_str(&out), strbuf_str(&o2));
		strbuf_release(&o2);
		md_vg_free(again);
	}
	strbuf_release(&out);
	md_vg_free(vg);
	free(t);
	free(a);
	free(b);
	free(c);
	free(d);
}

/* Every occurrence of @from replaced (test helper; caller frees). */
static char *replace_all(const char *text, const char *from, const char *to)
{
	char *cur = strdup(text), *next;

	assert_non_null(cur);
	while (strstr(cur, from)) {
		next = replace(cur, from, to);
		free(cur);
		cur = next;
	}
	return cur;
}

/* A VG with a system ID (or an lvmlockd lock type) as lvm2 writes it: WRITE_LOCKED in the VG's
 * and each LV's flags in place of WRITE (2.03.16 format_text/export.c). It reads as writable,
 * prints back exactly, and prints WRITE again once the VG has neither. */
static void test_write_locked(void **state)
{
	char *t = slurp("tests/fixtures/lvm2/1-recipe.vg", NULL);
	char *a = replace(t, "\tstatus = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n\tflags = []\n",
			  "\tstatus = [\"RESIZEABLE\", \"READ\"]\n\tflags = [\"WRITE_LOCKED\"]\n"
			  "\tsystem_id = \"otherhost\"\n");
	char *b = replace_all(a, "status = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []",
			      "status = [\"READ\", \"VISIBLE\"]\n\t\t\tflags = [\"WRITE_LOCKED\"]");
	char *c = replace_all(b, "status = [\"READ\", \"WRITE\"]\n\t\t\tflags = []",
			      "status = [\"READ\"]\n\t\t\tflags = [\"WRITE_LOCKED\"]");
	struct md_vg *vg = import(c, strlen(c));
	struct strbuf out = { 0 };
	const char *sec = strstr(c, "\ndocker {\n");

	assert_true(vg->status & MD_VG_WRITE);
	assert_int_equal(md_strv_len(vg->flags), 0);
	assert_true(vg->n_lvs > 0);
	for (size_t i = 0; i < vg->n_lvs; i++) {
		assert_true(vg->lvs[i]->status & MD_LV_WRITE);
		assert_false(vg->lvs[i]->flags & MD_LVF_WRITE_LOCKED);
	}
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	assert_string_equal(strbuf_str(&out), sec + 1);
	strbuf_release(&out);
	/* local again (vgchange --locktype none, or no system ID): WRITE, as before */
	free(vg->system_id);
	vg->system_id = NULL;
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	assert_null(strstr(strbuf_str(&out), "WRITE_LOCKED"));
	assert_non_null(strstr(strbuf_str(&out), "\tstatus = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n\tflags = []\n"));
	assert_non_null(strstr(strbuf_str(&out), "status = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []"));
	strbuf_release(&out);
	/* an lvmlockd lock type locks writes the same way; lock_type "none" does not */
	vg->lock_type = strdup("sanlock");
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	assert_non_null(strstr(strbuf_str(&out), "\tflags = [\"WRITE_LOCKED\"]\n"));
	strbuf_release(&out);
	free(vg->lock_type);
	vg->lock_type = strdup("none");
	assert_int_equal(lvf_vg_export(vg, LVF_VG_SECTION, NULL, &out), 0);
	assert_null(strstr(strbuf_str(&out), "WRITE_LOCKED"));
	strbuf_release(&out);
	md_vg_free(vg);
	free(t);
	free(a);
	free(b);
	free(c);
}

/* lvm2's raid1 VG (4-raid1.vg) reads into raid segments: not read-only for thinbox, each
 * raid1 LV's metadata/image pairs resolved, and the VG valid. */
static void test_raid1_import(void **state)
{
	char *t = slurp("tests/fixtures/lvm2/4-raid1.vg", NULL);
	struct md_vg *vg = import(t, strlen(t));
	struct md_lv *r1 = md_vg_find_lv(vg, "r1"), *img;
	char reason[256] = "";
	uint32_t k = 9;
	bool meta = true;

	assert_false(md_vg_is_readonly_for_us(vg, NULL));
	assert_int_equal(md_vg_validate(vg, reason, sizeof(reason)), 0);
	assert_non_null(r1);
	assert_true(md_lv_is_raid(r1));
	assert_true(r1->status & MD_LV_NOTSYNCED);
	assert_int_equal(r1->segs[0].stripe_count, 2);
	assert_int_equal(r1->segs[0].region_size, 4096);
	assert_int_equal(r1->segs[0].extent_count, 12);
	img = r1->segs[0].areas[1].lv;
	assert_string_equal(img->name, "r1_rimage_1");
	assert_int_equal(img->n_segs, 2);
	assert_string_equal(r1->segs[0].meta_areas[0].lv->name, "r1_rmeta_0");
	assert_ptr_equal(md_lv_raid_of(vg, img, &k, &meta), r1);
	assert_int_equal(k, 1);
	assert_false(meta);
	assert_int_equal(md_vg_find_lv(vg, "r3")->segs[0].region_size, 2048);
	assert_false(md_vg_find_lv(vg, "r2")->status & MD_LV_NOTSYNCED);
	md_vg_free(vg);
	free(t);
}

/* The recipe done on the model gives the extents lvm2 chose (1-recipe.vg). */
static void test_recipe_layout(void **state)
{
	struct md_vg *vg = NULL, *ref;
	struct md_lv *data, *meta, *pool;
	struct md_pool_params pp = { 1024, false, MD_DISCARDS_PASSDOWN, true };
	char *t = slurp("tests/fixtures/lvm2/1-recipe.vg", NULL);
	const char *ids[] = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
			      "cccccccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddddddd",
			      "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "ffffffffffffffffffffffffffffffff" };

	ref = import(t, strlen(t));
	assert_int_equal(md_vg_new("docker", ids[0], 8192, &vg), 0);
	assert_int_equal(md_vg_add_pv(vg, ids[1], "/dev/vda", 8388608, 2048, NULL), 0);
	assert_int_equal(vg->pvs[0]->pe_count, 1023);
	assert_int_equal(md_lv_new(vg, "thinpool", ids[2], MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE,
				   &data), 0);
	assert_int_equal(md_lv_extend_linear(vg, data, 1023 * 95 / 100, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_lv_new(vg, "thinpoolmeta", ids[3],
				   MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &meta), 0);
	assert_int_equal(md_lv_extend_linear(vg, meta, 1023 / 100, MD_ALLOC_NORMAL, NULL, 0), 0);
	assert_int_equal(md_pool_convert(vg, data, meta, ids[4], ids[5], &pp, &pool), 0);
	assert_int_equal(vg->n_lvs, ref->n_lvs);
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *a = vg->lvs[i], *b = ref->lvs[i];
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->status, b->status);
		assert_int_equal(a->n_segs, b->n_segs);
		assert_int_equal(a->segs[0].kind, b->segs[0].kind);
		assert_int_equal(a->segs[0].extent_count, b->segs[0].extent_count);
		if (a->segs[0].kind == MD_SEG_STRIPED)
			assert_int_equal(a->segs[0].areas[0].start, b->segs[0].areas[0].start);
	}
	/* and lvextend -L +64M of the pool data lands where lvm2 put it (3-extended.vg) */
	assert_int_equal(md_pool_extend_data(vg, pool, 16, MD_ALLOC_NORMAL), 0);
	assert_int_equal(data->n_segs, 2);
	assert_int_equal(data->segs[1].areas[0].start, 991);
	assert_int_equal(pool->segs[0].extent_count, 987);
	/* a thin LV: device id 1, tid 0 recorded, pool tid bumped once with one queued message */
	{
		struct md_lv *thin = NULL, *snap = NULL;
		assert_int_equal(md_thin_create(vg, pool, "thin1", ids[0], 256, NULL, &thin), 0);
		assert_int_equal(thin->segs[0].device_id, 1);
		assert_int_equal(thin->segs[0].transaction_id, 0);
		assert_int_equal(pool->segs[0].transaction_id, 1);
		assert_int_equal(pool->segs[0].n_msgs, 1);
		md_pool_clear_messages(pool);
		assert_int_equal(md_thin_create(vg, pool, "snap1", ids[1], 256, thin, &snap), 0);
		assert_int_equal(snap->segs[0].device_id, 2);
		assert_int_equal(snap->segs[0].transaction_id, 1);
		assert_true(snap->flags & MD_LVF_ACTIVATION_SKIP);
		assert_int_equal(pool->segs[0].transaction_id, 2);
	}
	/* no space: nothing changes */
	{
		uint32_t before = md_lv_extents(data);
		size_t segs = data->n_segs;
		assert_int_equal(md_pool_extend_data(vg, pool, 1000, MD_ALLOC_NORMAL), -ENOSPC);
		assert_int_equal(md_lv_extents(data), before);
		assert_int_equal(data->n_segs, segs);
	}
	md_vg_free(vg);
	md_vg_free(ref);
	free(t);
}

static void test_names(void **state)
{
	char *n = NULL;
	const char *why;

	assert_int_equal(md_dm_name("my-vg", "my-lv", NULL, &n), 0);
	assert_string_equal(n, "my--vg-my--lv");
	free(n);
	assert_int_equal(md_dm_name("docker", "thinpool", "tpool", &n), 0);
	assert_string_equal(n, "docker-thinpool-tpool");
	free(n);
	assert_int_equal(md_dm_name("docker", "thinpool", "_tdata", &n), 0);
	assert_string_equal(n, "docker-thinpool_tdata");
	free(n);
	assert_int_equal(md_lv_name_check_user("pool_tmeta", &why), -EINVAL);
	assert_int_equal(md_lv_name_check_user("snapshot1", &why), -EINVAL);
	assert_int_equal(md_name_check("-x", &why), -EINVAL);
	assert_int_equal(md_name_check("..", &why), -EINVAL);
	assert_int_equal(md_name_check("a b", &why), -EINVAL);
	assert_int_equal(md_name_check("ok.name+_-1", &why), 0);
	assert_int_equal(md_extent_size_check(8192, &why), 0);
	assert_int_equal(md_extent_size_check(0, &why), -EINVAL);
	assert_int_equal(md_extent_size_check(14, &why), -EINVAL); /* 7 KiB */
	assert_int_equal(md_pool_low_water_mark(7954432, 1024, 80), 1553);
	assert_int_equal(md_pool_low_water_mark(81920, 128, 100), 0);
	assert_int_equal(md_pool_low_water_mark(81920, 128, 20), 320);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_roundtrip), cmocka_unit_test(test_raw_roundtrip),
		cmocka_unit_test(test_model_of_fixture), cmocka_unit_test(test_errors),
		cmocka_unit_test(test_preserve_unknown), cmocka_unit_test(test_write_locked),
		cmocka_unit_test(test_raid1_import), cmocka_unit_test(test_recipe_layout),
		cmocka_unit_test(test_names), cmocka_unit_test(test_streamed_import),
		cmocka_unit_test(test_streamed_adversarial),
	};
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
