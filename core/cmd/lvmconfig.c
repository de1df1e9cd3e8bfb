/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm.conf values for `lvmconfig`/`lvm dumpconfig` (the keys clients read). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "lvmfmt/cft.h"
#include "lvmfmt/config.h"

static void value_text(const struct lvf_cft_node *n, struct strbuf *sb)
{
	switch (n->type) {
	case LVF_CFT_INT:
		strbuf_appendf(sb, "%lld", (long long)n->i);
		break;
	case LVF_CFT_FLOAT:
		strbuf_appendf(sb, "%f", n->f);
		break;
	case LVF_CFT_STR:
		strbuf_append_quoted(sb, n->s);
		break;
	case LVF_CFT_ARRAY:
		strbuf_appendc(sb, '[');
		for (const struct lvf_cft_node *c = n->child; c; c = c->next) {
			if (c != n->child)
				strbuf_append(sb, ", ");
			value_text(c, sb);
		}
		strbuf_appendc(sb, ']');
		break;
	case LVF_CFT_SECTION:
		break;
	}
}

TB_EXPORT int tb_config_lookup(struct tb_ctx *ctx, const char *path, char **ret)
{
	const struct lvf_cft_node *root = NULL, *n;
	struct strbuf sb = { 0 };
	int r;

	tb_ctx_clear_error(ctx);
	*ret = NULL;
	if ((r = tb_lvm_conf_read(ctx, &root)) < 0)
		return r;
	if (!root)
		return -ENOENT;
	n = lvf_config_find(&root, 1, path);
	if (!n || n->type == LVF_CFT_SECTION) {
		r = -ENOENT;
		goto out;
	}
	value_text(n, &sb);
	if (!strbuf_ok(&sb)) {
		r = -ENOMEM;
		goto out;
	}
	*ret = strbuf_steal(&sb);
	r = 0;
out:
	strbuf_release(&sb);
	return r;
}
