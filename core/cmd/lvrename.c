/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvrename, live: the dm devices of an active LV are renamed with it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/cmd/cmd.h"

TB_EXPORT int tb_lvrename(struct tb_ctx *ctx, const char *vgname, const char *lvname,
			  const char *new_name)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv;
	const char *why;
	int r;

	tb_ctx_clear_error(ctx);
	if (md_lv_name_check_user(new_name, &why) < 0)
		return tb_fail(ctx, -EINVAL, "New logical volume name \"%s\" is invalid: %s.",
			       new_name, why);
	if ((r = tb_lvcmd_start(ctx, &c, "lvrename", vgname, &vg)) < 0)
		return r;
	if (!(lv = tb_lv_need(ctx, vg, lvname, &r)))
		goto out;
	if (md_vg_find_lv(vg->md, new_name)) {
		r = tb_fail(ctx, -EEXIST,
			    "Logical Volume \"%s\" already exists in volume group "
			    "\"%s\"",
			    new_name, vgname);
		goto out;
	}
	{
		bool rmeta = false;
		if (md_lv_raid_of(vg->md, lv, NULL, &rmeta)) {
			r = tb_fail(ctx, -EINVAL, "Cannot rename a RAID %s directly",
				    rmeta ? "metadata area" : "image");
			goto out;
		}
	}
	if (!md_lv_is_visible(lv)) {
		r = tb_fail(ctx, -EINVAL, "Cannot rename internal LV \"%s\".", lvname);
		goto out;
	}
	if (md_lv_is_raid(lv)) {
		if ((r = md_raid_rename(vg->md, lv, new_name)) < 0) {
			r = tb_fail(ctx, r, "Cannot rename %s/%s to %s: %s", vgname, lvname,
				    new_name,
				    r == -EEXIST ? "a sub-LV name is taken" : strerror(-r));
			goto out;
		}
		if ((r = tb_vg_commit(&c, vg)) < 0 ||
		    (r = tb_lv_rename_devices(&c, vg, lv, NULL, lvname)) < 0)
			goto out;
		tb_notice(ctx, "Renamed \"%s\" to \"%s\" in volume group \"%s\"", lvname, new_name,
			  vgname);
		goto out;
	}
	/* lvm2 renames a pool's _tdata and _tmeta with it (lv_rename_update) */
	if (md_lv_is_thin_pool(lv)) {
		struct md_lv *subs[2] = { md_pool_data(lv), md_pool_meta(lv) };
		for (size_t k = 0; k < 2; k++) {
			size_t ol = strlen(lvname);
			char nn[MD_NAME_MAX + 1];
			if (strncmp(subs[k]->name, lvname, ol) || subs[k]->name[ol] != '_')
				continue;
			if (snprintf(nn, sizeof(nn), "%s%s", new_name, subs[k]->name + ol) >=
			    (int)sizeof(nn)) {
				r = tb_fail(ctx, -EINVAL,
					    "New logical volume name \"%s\" is too long.", new_name);
				goto out;
			}
			if ((r = md_lv_rename(vg->md, subs[k], nn)) < 0) {
				r = tb_fail(ctx, r, "Cannot rename %s/%s to %s.", vgname,
					    subs[k]->name, nn);
				goto out;
			}
		}
	}
	if ((r = md_lv_rename(vg->md, lv, new_name)) < 0 || (r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	/* an active LV is renamed live, as lvm2 does (dm rename, /dev links) */
	if ((r = tb_lv_rename_devices(&c, vg, lv, NULL, lvname)) < 0)
		goto out;
	tb_notice(ctx, "Renamed \"%s\" to \"%s\" in volume group \"%s\"", lvname, new_name, vgname);
out:
	tb_lvcmd_finish(&c, vg);
	return r;
}
