/* The streamed import's direct LV reader (vg-text.c lv_direct, issue 13): a plain LV section
 * read straight into the model must give the very model the tree path gives (the streamed
 * import through tree nodes, and the whole-tree import), or decline so that the tree path
 * reports the same error (code, message, line, column); its template of lvm2's layout and its
 * general reader each alone too. Adversarial LV sections, every cut of
 * them, and seeded mutations of a VG text. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvmfmt/cft.h"
#include "lvmfmt/vg-text.h"
#include "metadata/md.h"
#include "util/macros.h"

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool strv_eq(md_strv a, md_strv b)
{
	size_t n = md_strv_len(a);

	if (n != md_strv_len(b))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

/* @x in @a and @y in @b name the same LV (by list position) */
static bool lv_ref_eq(const struct md_vg *a, const struct md_lv *x, const struct md_vg *b,
		      const struct md_lv *y)
{
	if (!x || !y)
		return !x && !y;
	for (size_t i = 0; i < a->n_lvs; i++)
		if (a->lvs[i] == x)
			return i < b->n_lvs && b->lvs[i] == y;
	return false;
}

static bool pv_ref_eq(const struct md_vg *a, const struct md_pv *x, const struct md_vg *b,
		      const struct md_pv *y)
{
	if (!x || !y)
		return !x && !y;
	for (size_t i = 0; i < a->n_pvs; i++)
		if (a->pvs[i] == x)
			return i < b->n_pvs && b->pvs[i] == y;
	return false;
}

static bool areas_eq(const struct md_vg *a, const struct md_area *x, const struct md_vg *b,
		     const struct md_area *y, size_t n)
{
	if (!x || !y)
		return !x && !y;
	for (size_t i = 0; i < n; i++)
		if (x[i].start != y[i].start || !pv_ref_eq(a, x[i].pv, b, y[i].pv) ||
		    !lv_ref_eq(a, x[i].lv, b, y[i].lv))
			return false;
	return true;
}

static bool seg_eq(const struct md_vg *a, const struct md_seg *x, const struct md_vg *b,
		   const struct md_seg *y)
{
	if (x->start_extent != y->start_extent || x->extent_count != y->extent_count ||
	    x->kind != y->kind || !str_eq(x->type, y->type) || x->stripe_count != y->stripe_count ||
	    x->stripe_size != y->stripe_size || x->transaction_id != y->transaction_id ||
	    x->chunk_size != y->chunk_size || x->discards != y->discards ||
	    x->zero_new_blocks != y->zero_new_blocks || x->has_crop_metadata != y->has_crop_metadata ||
	    x->crop_metadata != y->crop_metadata || x->n_msgs != y->n_msgs ||
	    x->region_size != y->region_size || x->device_id != y->device_id ||
	    !x->extra.data != !y->extra.data)
		return false;
	if (!areas_eq(a, x->areas, b, y->areas, x->stripe_count) ||
	    !areas_eq(a, x->meta_areas, b, y->meta_areas, x->stripe_count))
		return false;
	return lv_ref_eq(a, x->pool_meta, b, y->pool_meta) &&
	       lv_ref_eq(a, x->pool_data, b, y->pool_data) &&
	       lv_ref_eq(a, x->thin_pool, b, y->thin_pool) && lv_ref_eq(a, x->origin, b, y->origin) &&
	       lv_ref_eq(a, x->merge, b, y->merge) &&
	       lv_ref_eq(a, x->external_origin, b, y->external_origin) &&
	       lv_ref_eq(a, x->cow, b, y->cow);
}

static bool lv_eq(const struct md_vg *a, const struct md_lv *x, const struct md_vg *b,
		  const struct md_lv *y)
{
	if (!str_eq(x->name, y->name) || strcmp(x->id, y->id) || x->status != y->status ||
	    x->flags != y->flags || !strv_eq(x->flags_other, y->flags_other) ||
	    !strv_eq(x->tags, y->tags) || x->has_creation != y->has_creation ||
	    x->creation_time != y->creation_time || !str_eq(x->creation_host, y->creation_host) ||
	    !str_eq(x->profile, y->profile) || !str_eq(x->allocation_policy, y->allocation_policy) ||
	    x->has_read_ahead != y->has_read_ahead || x->read_ahead != y->read_ahead ||
	    x->has_major != y->has_major || x->has_minor != y->has_minor || x->major != y->major ||
	    x->minor != y->minor || !str_eq(x->lock_args, y->lock_args) || x->n_segs != y->n_segs ||
	    !x->extra.data != !y->extra.data || !lv_ref_eq(a, x->cow_snapshot, b, y->cow_snapshot))
		return false;
	for (size_t i = 0; i < x->n_segs; i++)
		if (!seg_eq(a, &x->segs[i], b, &y->segs[i]))
			return false;
	return true;
}

/* The same model: every LV field, and both printed layouts (which show the kept extras). */
static void assert_vg_same(const struct md_vg *a, const struct md_vg *b, const char *text)
{
	static const struct lvf_vg_export_info info = { "d", "h", NULL, 1 };
	struct strbuf sa = { 0 }, sb = { 0 };

	if (a->n_lvs != b->n_lvs || a->n_pvs != b->n_pvs)
		fail_msg("%zu/%zu LVs, %zu/%zu PVs for:\n%s", a->n_lvs, b->n_lvs, a->n_pvs, b->n_pvs,
			 text);
	for (size_t i = 0; i < a->n_lvs; i++)
		if (!lv_eq(a, a->lvs[i], b, b->lvs[i]))
			fail_msg("LV %s differs for:\n%s", a->lvs[i]->name, text);
	assert_int_equal(lvf_vg_export(a, LVF_VG_RAW, &info, &sa), 0);
	assert_int_equal(lvf_vg_export(b, LVF_VG_RAW, &info, &sb), 0);
	assert_int_equal(lvf_vg_export(a, LVF_VG_SECTION, NULL, &sa), 0);
	assert_int_equal(lvf_vg_export(b, LVF_VG_SECTION, NULL, &sb), 0);
	if (strcmp(strbuf_str(&sa), strbuf_str(&sb)))
		fail_msg("the prints differ for:\n%s", text);
	/* the printer's template of a one-segment LV: the general way's very bytes */
	strbuf_reset(&sb);
	assert_int_equal(lvf_vg_export_opts(a, LVF_VG_RAW, &info, LVF_VG_EXPORT_NO_TEMPLATE, &sb), 0);
	assert_int_equal(lvf_vg_export_opts(a, LVF_VG_SECTION, NULL, LVF_VG_EXPORT_NO_TEMPLATE, &sb),
			 0);
	if (strcmp(strbuf_str(&sa), strbuf_str(&sb)))
		fail_msg("the template prints differently for:\n%s\n--- template:\n%s\n--- general:\n%s",
			 text, strbuf_str(&sa), strbuf_str(&sb));
	strbuf_release(&sa);
	strbuf_release(&sb);
}

/* How many LVs of the last three_way the direct reader's template took */
static size_t last_template;

/* The ways on @text (the direct reader with its template, without it, with only it; no direct
 * reader; the whole tree): the same model or the same error. Returns how many LVs the direct
 * reader took (0 on an error); the template alone must take the same or fewer. */
static size_t three_way(const char *text, size_t len)
{
	static const unsigned ways[] = { 0, LVF_VG_IMPORT_NO_TEMPLATE, LVF_VG_IMPORT_ONLY_TEMPLATE,
					 LVF_VG_IMPORT_NO_DIRECT, LVF_VG_IMPORT_TREE };
	enum { NW = sizeof(ways) / sizeof(ways[0]) };
	struct md_vg *vg[NW] = { NULL };
	struct lvf_err err[NW];
	size_t direct = 0, d;
	int r[NW];

	last_template = 0;
	for (size_t w = 0; w < NW; w++) {
		memset(&err[w], 0, sizeof(err[w]));
		d = 99;
		r[w] = lvf_vg_import_text_opts(text, len, ways[w], &d, &vg[w], &err[w]);
		if (w == 0 && r[w] == 0)
			direct = d;
		if (w == 1 && r[w] == 0 && d != direct)
			fail_msg("%zu LVs read directly with the template, %zu without, for:\n%.*s",
				 direct, d, (int)len, text);
		if (w == 2 && r[w] == 0) {
			if (d > direct)
				fail_msg("the template alone took %zu LVs, both readers %zu", d,
					 direct);
			last_template = d;
		}
		if (w > 2 && r[w] == 0)
			assert_int_equal(d, 0);
	}
	for (size_t w = 1; w < NW; w++) {
		if (r[0] != r[w])
			fail_msg("way 0: %d (%s), way %zu: %d (%s) for:\n%.*s", r[0], err[0].msg, w,
				 r[w], err[w].msg, (int)len, text);
		if (r[0] < 0) {
			assert_null(vg[0]);
			assert_null(vg[w]);
			if (strcmp(err[0].msg, err[w].msg) || err[0].line != err[w].line ||
			    err[0].column != err[w].column)
				fail_msg("errors differ: %u:%u %s / %u:%u %s for:\n%.*s", err[0].line,
					 err[0].column, err[0].msg, err[w].line, err[w].column,
					 err[w].msg, (int)len, text);
		} else {
			assert_vg_same(vg[0], vg[w], text);
		}
	}
	for (size_t w = 0; w < NW; w++)
		md_vg_free(vg[w]);
	return direct;
}

#define VG_HEAD                                                                                    \
	"vg {\nid = \"Rgisax-7hyE-UyjO-Q8ge-UFVt-lr7u-BXKQdv\"\nseqno = 6\n"                      \
	"format = \"lvm2\"\nstatus = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n"                     \
	"flags = []\nextent_size = 8192\nmax_lv = 0\nmax_pv = 0\n\n"                             \
	"physical_volumes {\n\npv0 {\nid = \"OpJKR0-sPIG-C2QR-WWj3-lK3l-kVej-Impb1c\"\n"          \
	"device = \"/dev/vda\"\n\nstatus = [\"ALLOCATABLE\"]\nflags = []\n"                        \
	"dev_size = 8388608\npe_start = 2048\npe_count = 1023\n}\n\n"                             \
	"pv1 {\nid = \"PpJKR0-sPIG-C2QR-WWj3-lK3l-kVej-Impb1c\"\n"                                \
	"device = \"/dev/vdb\"\n\nstatus = [\"ALLOCATABLE\"]\nflags = []\n"                        \
	"dev_size = 8388608\npe_start = 2048\npe_count = 1023\n}\n}\n\n"                          \
	"logical_volumes {\n\n"
/* the first LV: the tree path reads it (the stream starts there), the direct reader the rest */
#define LV0                                                                                        \
	"lv0 {\nid = \"S1JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n"                                \
	"status = [\"READ\", \"WRITE\", \"VISIBLE\"]\nflags = []\n"                               \
	"creation_time = 1795563070\ncreation_host = \"h\"\nsegment_count = 1\n\n"                \
	"segment1 {\nstart_extent = 0\nextent_count = 1\n\ntype = \"striped\"\n"                  \
	"stripe_count = 1\n\nstripes = [\n\"pv0\", 0\n]\n}\n}\n\n"
#define VG_TAIL "\n}\n}\n"

#define ID1 "id = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n"
#define ST "status = [\"READ\", \"WRITE\", \"VISIBLE\"]\n"
#define CR "creation_time = 1795563071\ncreation_host = \"host.example\"\n"
#define SEG(n, start, count, pv, pe)                                                               \
	"\nsegment" #n " {\nstart_extent = " #start "\nextent_count = " #count                     \
	"\n\ntype = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"" pv "\", " #pe "\n]\n}\n"
#define PLAIN "lv1 {\n" ID1 ST "flags = []\n" CR "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n"

static char *vg_with(const char *items, size_t *ret_len)
{
	struct strbuf t = { 0 };

	strbuf_append(&t, VG_HEAD LV0);
	strbuf_append(&t, items);
	strbuf_append(&t, VG_TAIL);
	assert_true(strbuf_ok(&t));
	*ret_len = t.len;
	return t.buf;
}

/* LV sections the direct reader takes (@direct LVs each) or leaves to the tree path (0) */
static const struct {
	const char *item;
	size_t direct;
} items[] = {
	{ PLAIN, 1 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 1 },
	{ "lv1 {\n" ID1 ST "flags = []\nsegment_count = 1\n" SEG(1, 0, 2, "pv1", 0) "}\n", 1 },
	/* the raw layout of the backup file: tabs, one line per token */
	{ "\t\tlv1 {\n\t\t\t" ID1 "\t\t\t" ST "\t\t\tflags = []\n\t\t\t" CR
	  "\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n"
	  "\t\t\t\textent_count = 2\n\n\t\t\t\ttype = \"striped\"\n\t\t\t\tstripe_count = 1\n\n"
	  "\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", 1\n\t\t\t\t]\n\t\t\t}\n\t\t}\n",
	  1 },
	/* odd but valid layouts: one line, no blanks where none are needed, no comma */
	{ "lv1{id=\"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\" status=[\"READ\" \"VISIBLE\"]"
	  " segment_count=1 segment1{start_extent=0 extent_count=2 type=\"linear\" "
	  "stripe_count=1 stripes=[\"pv0\" 1,]}}",
	  1 },
	{ "lv1 \t{\n\n\t" ID1 "status = [ ]\nflags = [\"WRITE_LOCKED\", \"odd\", \"ACTIVATION_SKIP\","
	  " \"odd\"]\ntags = [\"a\", \"\", \"b.c\"]\n" CR "segment_count = 2\n" SEG(1, 0, 1, "pv0", 1)
		  SEG(2, 1, 1, "pv1", 7) "}\n",
	  1 },
	{ "lv1 {\n" ID1 ST "flags = [\"NOAUTOACTIVATE\", \"ERROR_WHEN_FULL\", \"CACHE_VOL\"]\n"
	  "tags = []\ncreation_time = 0\ncreation_host = \"\"\nsegment_count = 3\n" SEG(1, 0, 1,
										     "pv0", 1)
		  SEG(2, 1, 1, "pv0", 2) SEG(3, 2, 1, "pv1", 3) "}\n",
	  1 },
	{ "lv1 {\nid = \"T2JObIQPVwsAmTEb2grjYr6AyOOVthJe\"\n" ST "segment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  1 },
	{ PLAIN "lv2 {\nid = \"U2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" ST
		"segment_count = 1\n" SEG(1, 0, 2, "pv0", 3) "}\n",
	  2 },
	{ "a.b+c_d-e {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 1 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 4294967295, 4294967295, "pv0",
						    4294967295) "}\n",
	  0 /* the VG's checks reject it, the same way each way */ },
	/* declined: the tree path reads them (and keeps, or rejects, what they hold) */
	{ "lv1 {\n" ID1 ST "read_ahead = 256\n" CR "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1)
		  "}\n",
	  0 },
	{ "lv1 {\n" ST ID1 "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "flags = []\nflags = [\"x\"]\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1)
		  "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "foo = 1\n}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) SEG(2, 2, 2, "pv0", 3)
		  "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 2\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 0\n}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 2\n" SEG(1, 2, 2, "pv0", 1) SEG(2, 0, 2, "pv0", 5)
		  "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv9", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "lv0", 0) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 0) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 0, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 4294967296) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 4294967296, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 4294967296, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 2\nstripe_size = 128\nstripes = [\"pv0\", 1, \"pv1\","
	  " 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1, \"pv1\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [1, \"pv0\"]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = []\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = \"pv0\"\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\ntags = [\"t\"]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\nx { }\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"Striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped+X\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"error\"\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"thin\"\nthin_pool = \"lv0\"\ntransaction_id = 0\ndevice_id = 1\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\nsegment1 {\nextent_count = 2\nstart_extent = 0\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\nsegmentA {\nstart_extent = 0\nextent_count = 2\n"
	  "type = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\ncreation_host {\nstart_extent = 0\n"
	  "extent_count = 2\ntype = \"striped\"\nstripe_count = 1\nstripes = [\"pv0\", 1]\n}\n}\n",
	  0 },
	{ "lv1 {\n" ID1 "status = [\"READ\", \"FIXED_MINOR\"]\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 "status = [\"READ\", \"FIXED_MINOR\"]\nminor = 3\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 "status = [\"READ\", \"Write\"]\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1)
		  "}\n",
	  0 },
	{ "lv1 {\n" ID1 "status = \"READ\"\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 "status = [\"READ\", 1]\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "flags = \"x\"\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "tags = [\"a\"]\nflags = []\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1)
		  "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_host = \"h\"\ncreation_time = 1\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = 1\nsegment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = 1\ncreation_host = 2\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = \"1\"\ncreation_host = \"h\"\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = 1 # c\ncreation_host = \"h\"\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = 1\ncreation_host = \"a\\\"b\"\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\n" ID1 ST "creation_time = 1\ncreation_host = 'h'\nsegment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\r\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 01\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = +1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1.0\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}}\n", 0 },
	{ "lv1 {\nid = \"bad\"\n" ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe-\"\n" ST "segment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  1 },
	{ "lv1 {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJ\"\n" ST "segment_count = 1\n"
		  SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv1 {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe-----------------------------------\"\n" ST
	  "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n",
	  0 },
	{ "lv0 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ PLAIN PLAIN, 0 /* "appears twice" */ },
	{ "-lv {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ ".. {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv/1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "\"lv1\" {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1) "}\n", 0 },
	{ "lv1 = 1\n", 0 },
	{ "lv1 {\n}\n", 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 1\n" SEG(1, 0, 2, "pv0", 1), 0 },
	{ "lv1 {\n" ID1 ST "segment_count = 9\n" SEG(1, 0, 1, "pv0", 1) SEG(2, 1, 1, "pv0", 2)
		  SEG(3, 2, 1, "pv0", 3) SEG(4, 3, 1, "pv0", 4) SEG(5, 4, 1, "pv0", 5)
			  SEG(6, 5, 1, "pv0", 6) SEG(7, 6, 1, "pv0", 7) SEG(8, 7, 1, "pv0", 8)
				  SEG(9, 8, 1, "pv0", 9) "}\n",
	  0 },
};

static void test_direct_items(void **state)
{
	size_t templ = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		size_t len, d;
		char *t = vg_with(items[i].item, &len);

		d = three_way(t, len);
		if (d != items[i].direct)
			fail_msg("item %zu: %zu LVs read directly, wanted %zu:\n%s", i, d,
				 items[i].direct, items[i].item);
		templ += last_template;
		if (i == 0) /* PLAIN: lvm2's layout */
			assert_int_equal(last_template, 1);
		free(t);
	}
	printf("items: %zu LVs by the template\n", templ);
	assert_true(templ >= 3);
}

/* Every item cut at every byte: the text ends there, or the sections are closed there. */
static void test_direct_cuts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		size_t n = strlen(items[i].item);

		for (size_t cut = 0; cut <= n; cut++) {
			struct strbuf t = { 0 };
			size_t head;

			strbuf_append(&t, VG_HEAD LV0);
			head = t.len;
			strbuf_appendn(&t, items[i].item, cut);
			assert_true(strbuf_ok(&t));
			three_way(t.buf, t.len);
			strbuf_append(&t, "}\n}\n}\n}\n");
			three_way(t.buf, t.len);
			/* the rest of the item after a dropped byte */
			t.len = head;
			strbuf_appendn(&t, items[i].item, cut);
			if (cut < n)
				strbuf_append(&t, items[i].item + cut + 1);
			strbuf_append(&t, VG_TAIL);
			assert_true(strbuf_ok(&t));
			three_way(t.buf, t.len);
			strbuf_release(&t);
		}
	}
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Seeded mutations of a VG text of plain LVs: bytes replaced, dropped, doubled, and tokens
 * lvm2's grammar knows put in at random places. */
static void test_direct_mutations(void **state)
{
	static const char *const tokens[] = {
		" ",	    "\t",	  "\n",		"\r",	      "#",	    "\"",
		"\\",	    "{",	  "}",		"[",	      "]",	    ",",
		"=",	    "0",	  "1",		"9",	      "-",	    "'",
		"/",	    "x",	  "\"pv1\"",	"\"pv9\"",    "\"lv1\"",    "segment2",
		"linear",   "\"READ\"",	  "\"FIXED_MINOR\"", "\"WRITE_LOCKED\"", "flags = []\n",
		"tags = [\"t\"]\n",	  "99999999999999999999", "4294967296", "id = \"x\"\n",
		"creation_time = 5\n",	  "segment_count = 2\n", "read_ahead = 1\n", "lv2 {}",
	};
	const char *base = VG_HEAD LV0 PLAIN
		"lv2 {\nid = \"U2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" ST "flags = []\n"
		"tags = [\"x\"]\n" CR "segment_count = 2\n" SEG(1, 0, 2, "pv0", 3) SEG(2, 2, 1, "pv1", 0)
		"}\nlv3 {\nid = \"V2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVthJe\"\n" ST CR
		"segment_count = 1\n" SEG(1, 0, 2, "pv1", 5) "}\n" VG_TAIL;
	const size_t blen = strlen(base), from = strlen(VG_HEAD LV0);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t direct_total = 0, template_total = 0;

	assert_int_equal(three_way(base, blen), 3);
	for (unsigned iter = 0; iter < 20000; iter++) {
		struct strbuf t = { 0 };
		unsigned edits = 1 + (unsigned)(rnd(&seed) % 3);

		strbuf_append(&t, base);
		for (unsigned k = 0; k < edits && t.len > from; k++) {
			size_t at = from + (size_t)(rnd(&seed) % (t.len - from));
			struct strbuf u = { 0 };
			const char *tok = tokens[rnd(&seed) % (sizeof(tokens) / sizeof(tokens[0]))];

			strbuf_appendn(&u, t.buf, at);
			switch (rnd(&seed) % 4) {
			case 0: /* replace a byte */
				strbuf_append(&u, tok);
				strbuf_appendn(&u, t.buf + at + 1, t.len - at - 1);
				break;
			case 1: /* drop a byte */
				strbuf_appendn(&u, t.buf + at + 1, t.len - at - 1);
				break;
			case 2: /* put a token in */
				strbuf_append(&u, tok);
				strbuf_appendn(&u, t.buf + at, t.len - at);
				break;
			default: /* double a run */
				strbuf_appendn(&u, t.buf + at, MIN(t.len - at, (size_t)40));
				strbuf_appendn(&u, t.buf + at, t.len - at);
				break;
			}
			assert_true(strbuf_ok(&u));
			strbuf_release(&t);
			t = u;
		}
		direct_total += three_way(t.buf, t.len);
		template_total += last_template;
		strbuf_release(&t);
	}
	printf("mutations: %zu LVs direct, %zu by the template\n", direct_total, template_total);
	/* many mutations leave a VG that imports with some LV plain: the direct reader had a say
	 * (about 4,200 LVs of the 20,000 texts) */
	if (direct_total < 2000)
		fail_msg("only %zu LVs read directly", direct_total);
	if (template_total < 1000) /* about 2,600 */
		fail_msg("only %zu LVs read by the template", template_total);
}

/* Node limit and a text that ends in the middle: the direct reader never makes the parse go
 * further than the tree path would. */
static void test_direct_many(void **state)
{
	struct strbuf t = { 0 };
	size_t d;

	(void)state;
	strbuf_append(&t, VG_HEAD LV0);
	for (unsigned i = 1; i <= 300; i++)
		strbuf_appendf(&t,
			       "lv%u {\nid = \"T2JObI-QPVw-sAmT-Eb2g-rjYr-6AyO-OVt%03u\"\n" ST CR
			       "segment_count = 1\n\nsegment1 {\nstart_extent = 0\n"
			       "extent_count = 1\n\ntype = \"striped\"\nstripe_count = 1\n\n"
			       "stripes = [\n\"pv%u\", %u\n]\n}\n}\n",
			       i, i, i % 2, i + 1);
	strbuf_append(&t, VG_TAIL);
	assert_true(strbuf_ok(&t));
	d = three_way(t.buf, t.len);
	assert_int_equal(d, 300);
	assert_int_equal(last_template, 300); /* lvm2's layout: every one by the template */
	strbuf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_items),
		cmocka_unit_test(test_direct_cuts),
		cmocka_unit_test(test_direct_mutations),
		cmocka_unit_test(test_direct_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
