/* libFuzzer target for lvmfmt/vg-text: the streamed import (lvf_vg_import_text, with the
 * parser's fast path for plain PV and LV items and the direct reader of plain LV sections,
 * issue 13), the streamed import without the direct reader and the plain one (the lean tree,
 * then lvf_vg_import) agree on every input: all fail with the same error (code, message, line,
 * column; the first two, and the first with the plain one's message), or all give a VG that
 * prints to the same text; a VG that imports prints to a text that imports again to the same
 * print. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

#include "lvmfmt/cft.h"
#include "lvmfmt/err.h"
#include "lvmfmt/vg-text.h"
#include "metadata/md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-vgtext: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvf_cft_node *root = NULL;
	struct md_vg *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	struct strbuf sa = { 0 }, sb = { 0 }, sc = { 0 }, sd = { 0 };
	struct lvf_err ea = { 0 }, eb = { 0 }, ed = { 0 };
	int ra, rb, rd;

	ra = lvf_vg_import_text((const char *)data, size, &a, &ea);
	rd = lvf_vg_import_text_opts((const char *)data, size, LVF_VG_IMPORT_NO_DIRECT, NULL, &d,
				     &ed);
	rb = lvf_cft_parse_lean((const char *)data, size, &root, &eb);
	if (rb == 0)
		rb = lvf_vg_import(root, &b, &eb);
	if (ra == -ENOMEM || rb == -ENOMEM || rd == -ENOMEM)
		goto out;
	check((ra < 0) == (rb < 0), "the streamed and the plain import disagree");
	check(ra == rd, "the direct and the tree-streamed import disagree");
	if (ra < 0) {
		check(!a && !b && !d, "a VG returned on failure");
		check(ea.msg[0] && eb.msg[0], "a failure without a reason");
		check(!strcmp(ea.msg, ed.msg) && ea.line == ed.line && ea.column == ed.column,
		      "the direct and the tree-streamed import fail differently");
		goto out;
	}
	check(lvf_vg_export(a, LVF_VG_SECTION, NULL, &sa) == 0, "export of the streamed VG");
	check(lvf_vg_export(b, LVF_VG_SECTION, NULL, &sb) == 0, "export of the plain VG");
	check(lvf_vg_export(d, LVF_VG_SECTION, NULL, &sd) == 0, "export of the tree-streamed VG");
	check(sa.len == sb.len && memcmp(strbuf_str(&sa), strbuf_str(&sb), sa.len) == 0,
	      "the streamed and the plain VG print differently");
	check(sa.len == sd.len && memcmp(strbuf_str(&sa), strbuf_str(&sd), sa.len) == 0,
	      "the direct and the tree-streamed VG print differently");
	check(a->n_lvs == d->n_lvs, "LV counts differ");
	for (size_t i = 0; i < a->n_lvs; i++) {
		const struct md_lv *x = a->lvs[i], *y = d->lvs[i];
		check(x->status == y->status && x->flags == y->flags &&
			      x->has_creation == y->has_creation && x->n_segs == y->n_segs &&
			      !x->extra.data == !y->extra.data,
		      "an LV of the direct and the tree-streamed VG differs");
	}
	/* what we print reads back to the same print */
	check(lvf_vg_import_text(strbuf_str(&sa), sa.len, &c, NULL) == 0, "our print does not import");
	check(lvf_vg_export(c, LVF_VG_SECTION, NULL, &sc) == 0, "second export");
	check(sc.len == sa.len && memcmp(strbuf_str(&sc), strbuf_str(&sa), sa.len) == 0,
	      "printing is not stable");
	/* the printer's template of a one-segment LV gives the general way's bytes, both layouts */
	for (int style = LVF_VG_RAW; style <= LVF_VG_SECTION; style++) {
		static const struct lvf_vg_export_info info = { "d", "h", NULL, 1 };
		struct strbuf t1 = { 0 }, t2 = { 0 };
		check(lvf_vg_export_opts(a, (enum lvf_vg_style)style, &info, 0, &t1) == 0 &&
			      lvf_vg_export_opts(a, (enum lvf_vg_style)style, &info,
						 LVF_VG_EXPORT_NO_TEMPLATE, &t2) == 0,
		      "export with and without the template");
		check(t1.len == t2.len && memcmp(strbuf_str(&t1), strbuf_str(&t2), t1.len) == 0,
		      "the template prints differently");
		strbuf_release(&t1);
		strbuf_release(&t2);
	}
out:
	strbuf_release(&sa);
	strbuf_release(&sb);
	strbuf_release(&sc);
	strbuf_release(&sd);
	md_vg_free(d);
	md_vg_free(a);
	md_vg_free(b);
	md_vg_free(c);
	lvf_cft_free(root);
	return 0;
}
