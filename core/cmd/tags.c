/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tags (--addtag, --deltag, @tag arguments) and the VG flag lists: shared by the LV and VG
 * commands (lvcreate.c, lvchange.c, lvmcmds.c, pvvg.c, raid.c). */
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"

TB_EXPORT const char *tb_tag_check(const char *arg)
{
	const char *t = arg && *arg == '@' ? arg + 1 : arg;

	if (!t || !*t)
		return NULL;
	for (const char *p = t; *p; p++)
		/* lvm2 validate_tag: its name alphabet and / = ! : & #, in ASCII whatever the locale */
		if (!md_name_char_is_valid(*p) && !strchr("/=!:&#", *p))
			return NULL;
	return t;
}

static void strv_del(md_strv v, const char *s)
{
	size_t n = md_strv_len(v);

	for (size_t i = 0; i < n; i++)
		if (streq(v[i], s)) {
			free(v[i]);
			memmove(&v[i], &v[i + 1], (n - i) * sizeof(*v));
			return;
		}
}

int tb_tags_apply(struct tb_ctx *ctx, md_strv *v, const struct tb_tags *t)
{
	int r;

	if (!t)
		return 0;
	/* lvm2 (change_tag): every --deltag, then every --addtag; adding a tag that is there
	 * already keeps one copy (str_list_add) */
	for (size_t i = 0; i < t->n_del; i++) {
		const char *tag = tb_tag_check(t->del[i]);
		if (!tag)
			return tb_fail(ctx, -EINVAL, "Invalid argument for --deltag: %s", t->del[i]);
		strv_del(*v, tag);
	}
	for (size_t i = 0; i < t->n_add; i++) {
		const char *tag = tb_tag_check(t->add[i]);
		if (!tag)
			return tb_fail(ctx, -EINVAL, "Invalid argument for --addtag: %s", t->add[i]);
		if (!md_strv_contains(*v, tag) && (r = md_strv_push(v, tag)) < 0)
			return r;
	}
	return 0;
}

int tb_vg_set_autoactivation(struct md_vg *vg, char yn)
{
	if (yn == 'n')
		return md_strv_contains(vg->flags, "NOAUTOACTIVATE")
			       ? 0
			       : md_strv_push(&vg->flags, "NOAUTOACTIVATE");
	strv_del(vg->flags, "NOAUTOACTIVATE");
	return 0;
}
