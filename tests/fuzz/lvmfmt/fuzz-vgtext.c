/* libFuzzer target for lvmfmt/vg-text: the streamed import (lvf_vg_import_text, with the
 * parser's fast path for plain PV and LV items, issue 13) and the plain one (the lean tree,
 * then lvf_vg_import) agree on every input: both fail, or both give a VG that prints to the
 * same text; a VG that imports prints to a text that imports again to the same print. */
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
	struct md_vg *a = NULL, *b = NULL, *c = NULL;
	struct strbuf sa = { 0 }, sb = { 0 }, sc = { 0 };
	struct lvf_err ea = { 0 }, eb = { 0 };
	int ra, rb;

	ra = lvf_vg_import_text((const char *)data, size, &a, &ea);
	rb = lvf_cft_parse_lean((const char *)data, size, &root, &eb);
	if (rb == 0)
		rb = lvf_vg_import(root, &b, &eb);
	if (ra == -ENOMEM || rb == -ENOMEM)
		goto out;
	check((ra < 0) == (rb < 0), "the streamed and the plain import disagree");
	if (ra < 0) {
		check(!a && !b, "a VG returned on failure");
		check(ea.msg[0] && eb.msg[0], "a failure without a reason");
		goto out;
	}
	check(lvf_vg_export(a, LVF_VG_SECTION, NULL, &sa) == 0, "export of the streamed VG");
	check(lvf_vg_export(b, LVF_VG_SECTION, NULL, &sb) == 0, "export of the plain VG");
	check(sa.len == sb.len && memcmp(strbuf_str(&sa), strbuf_str(&sb), sa.len) == 0,
	      "the streamed and the plain VG print differently");
	/* what we print reads back to the same print */
	check(lvf_vg_import_text(strbuf_str(&sa), sa.len, &c, NULL) == 0, "our print does not import");
	check(lvf_vg_export(c, LVF_VG_SECTION, NULL, &sc) == 0, "second export");
	check(sc.len == sa.len && memcmp(strbuf_str(&sc), strbuf_str(&sa), sa.len) == 0,
	      "printing is not stable");
out:
	strbuf_release(&sa);
	strbuf_release(&sb);
	strbuf_release(&sc);
	md_vg_free(a);
	md_vg_free(b);
	md_vg_free(c);
	lvf_cft_free(root);
	return 0;
}
