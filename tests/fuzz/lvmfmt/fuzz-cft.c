/* libFuzzer target for lvmfmt/cft: any input either fails to parse with a positioned reason,
 * or parses to a tree that prints in both layouts, re-parses to an equal tree, and prints
 * again to the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

#include "lvmfmt/cft.h"
#include "lvmfmt/config.h"
#include "lvmfmt/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-cft: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvf_cft_node *root = NULL, *copy;
	struct lvf_err err = { 0 };
	int r;

	r = lvf_cft_parse((const char *)data, size, &root, &err);
	if (r < 0) {
		struct lvf_cft_node *lean = NULL;
		check(lvf_cft_parse_lean((const char *)data, size, &lean, NULL) == r && !lean,
		      "lean parse disagrees on a bad text");
		check(root == NULL, "output written on failure");
		check(r == -ENOMEM || (err.line > 0 && err.column > 0 && err.msg[0]),
		      "error without position or reason");
		return 0;
	}
	check(root && root->type == LVF_CFT_SECTION && !root->key, "bad root");
	{
		/* the lean parse (the VG import's) accepts the same text, to an equal tree */
		struct lvf_cft_node *lean = NULL;
		check(lvf_cft_parse_lean((const char *)data, size, &lean, NULL) == 0,
		      "lean parse failed where the full one did not");
		check(lvf_cft_equal(root, lean), "lean tree differs");
		lvf_cft_free(lean);
	}

	for (int st = LVF_CFT_STYLE_RAW; st <= LVF_CFT_STYLE_INDENT; st++) {
		struct strbuf t1 = { 0 }, t2 = { 0 };
		struct lvf_cft_node *again = NULL;

		check(lvf_cft_emit(root, st, &t1) == 0, "emit of a parsed tree failed");
		r = lvf_cft_parse(strbuf_str(&t1), t1.len, &again, &err);
		if (r < 0)
			fprintf(stderr, "re-parse: line %u col %u: %s\n", err.line, err.column,
				err.msg);
		check(r == 0, "printed text does not parse");
		check(lvf_cft_equal(root, again), "re-parsed tree differs");
		check(lvf_cft_emit(again, st, &t2) == 0, "second emit failed");
		check(t1.len == t2.len && memcmp(strbuf_str(&t1), strbuf_str(&t2), t1.len) == 0,
		      "printing is not stable");
		lvf_cft_free(again);
		strbuf_release(&t1);
		strbuf_release(&t2);
	}

	copy = lvf_cft_clone(root);
	check(copy && lvf_cft_equal(root, copy), "clone differs");
	lvf_cft_free(copy);

	/* lookups walk the tree without tripping over anything */
	if (root->child && root->child->key) {
		const struct lvf_cft_node *layers[] = { root };
		int64_t v;

		(void)lvf_cft_find(root, root->child->key);
		(void)lvf_config_get_int(layers, 1, root->child->key, 0, &v);
	}
	lvf_cft_free(root);
	return 0;
}
