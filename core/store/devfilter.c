/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --config layers (tb_ctx_set_config) and lvm2's device filters (devices/global_filter, then
 * devices/filter) that decide which devices the scan reads. */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/store.h"
#include "lvmfmt/cft.h"
#include "lvmfmt/config.h"

TB_EXPORT int tb_ctx_set_config(struct tb_ctx *ctx, const char *config)
{
	struct lvf_cft_node *root = NULL;
	struct lvf_err err = { 0 };
	int r;

	tb_ctx_clear_error(ctx);
	if (!config)
		return 0;
	r = lvf_cft_parse(config, strlen(config), &root, &err);
	if (r < 0)
		return tb_fail(ctx, r, "Parse error at line %u: %s in --config '%s'", err.line,
			       err.message, config);
	if (ctx->n_config_layers == ARRAY_SIZE(ctx->config_layers)) {
		lvf_cft_free(root);
		return tb_fail(ctx, -E2BIG, "Too many --config options.");
	}
	memmove(&ctx->config_layers[1], &ctx->config_layers[0],
		ctx->n_config_layers * sizeof(ctx->config_layers[0]));
	ctx->config_layers[0] = root;
	ctx->n_config_layers++;
	return 0;
}

/* One lvm2 filter pattern: 'a' or 'r', a delimiter, the regex, the same delimiter. 1 accept,
 * 0 reject, -1 no match (or a pattern lvm2 would refuse: ignored). */
static int filter_match(const char *pat, const char *path)
{
	size_t len = pat ? strlen(pat) : 0;
	_cleanup_free_ char *re = NULL;
	regex_t rx;
	int m;

	if (len < 3 || (pat[0] != 'a' && pat[0] != 'r') || pat[len - 1] != pat[1])
		return -1;
	if (!(re = strndup(pat + 2, len - 3)))
		return -1;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	m = regexec(&rx, path, 0, NULL, 0);
	regfree(&rx);
	if (m != 0)
		return -1;
	return pat[0] == 'a';
}

static int filter_list(const struct lvf_cft_node *arr, const char *path)
{
	if (!arr)
		return -1;
	if (arr->type == LVF_CFT_STR)
		return filter_match(arr->s, path);
	if (arr->type != LVF_CFT_ARRAY)
		return -1;
	for (const struct lvf_cft_node *e = arr->child; e; e = e->next) {
		int m = e->type == LVF_CFT_STR ? filter_match(e->s, path) : -1;
		if (m >= 0)
			return m;
	}
	return -1;
}

bool tb_device_accepted(struct tb_ctx *ctx, const char *path)
{
	const struct lvf_cft_node *conf = NULL, *layers[ARRAY_SIZE(ctx->config_layers) + 1];
	char real[PATH_MAX];
	size_t n = 0;
	bool ok = true;

	for (size_t i = 0; i < ctx->n_config_layers; i++)
		layers[n++] = ctx->config_layers[i];
	/* an lvm.conf that does not parse filters nothing here: the commands that read it say so */
	if (tb_lvm_conf(ctx, &conf, NULL) == 0 && conf)
		layers[n++] = conf;
	for (int k = 0; k < 2 && ok; k++) {
		const struct lvf_cft_node *f = lvf_config_find(layers, n,
							       k == 0 ? "devices/global_filter"
								      : "devices/filter");
		int m = filter_list(f, path);
		/* lvm2 matches every name of a device; the resolved path is one of them */
		if (m < 0 && realpath(path, real) && !streq(real, path))
			m = filter_list(f, real);
		if (m == 0)
			ok = false;
	}
	return ok;
}
