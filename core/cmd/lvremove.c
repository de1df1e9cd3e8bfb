/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvremove of one LV, of a pool with its thin LVs, of every LV of a VG (vgremove).
 */
#include <errno.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/activate/pooltruth.h"
#include "core/cmd/cmd.h"
#include "core/cmd/cow.h"

/* Removing a pool removes every device in it: refuse while it holds devices of another
 * program (ids no thin LV of the VG has), which thinbox never deletes. */
static int pool_foreign_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
{
	_cleanup_free_ uint32_t *ids = NULL;
	size_t n = 0;
	int r = tb_pool_foreign_ids(c, vg, pool, &ids, &n);

	if (r < 0 || n == 0)
		return r;
	return tb_fail(c->ctx, -EBUSY,
		       "Thin pool %s/%s holds %zu thin device%s of another program (device id %u%s). "
		       "Remove %s with that program (or dmsetup message ... delete ID) first.",
		       vg->md->name, pool->name, n, n == 1 ? "" : "s", ids[0], n > 1 ? ", ..." : "",
		       n == 1 ? "it" : "them");
}

static int remove_one(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct tb_ctx *ctx = c->ctx;
	_cleanup_free_ char *name = strdup(lv->name);
	bool active = false;
	int r;

	if (!name)
		return -ENOMEM;
	if (md_lv_is_thin_pool(lv)) {
		struct md_lv *data = md_pool_data(lv), *meta = md_pool_meta(lv), *one;
		if (md_pool_thins(vg->md, lv, &one, 1))
			return tb_fail(ctx, -EBUSY,
				       "Thin pool %s/%s still has thin volumes (%s); remove them first.",
				       vg->md->name, name, one->name);
		if ((r = tb_lv_open_check(c, vg, lv, &active)) < 0 ||
		    (r = pool_foreign_check(c, vg, lv)) < 0 || (r = tb_lv_deactivate(c, vg, lv)) < 0)
			return r;
		if ((r = md_lv_remove(vg->md, lv)) < 0 || (r = md_lv_remove(vg->md, data)) < 0 ||
		    (r = md_lv_remove(vg->md, meta)) < 0)
			return r;
		/* no pool left: no spare needed */
		{
			bool any = false;
			for (size_t i = 0; i < vg->md->n_lvs; i++)
				any |= md_lv_is_thin_pool(vg->md->lvs[i]);
			if (!any && md_vg_pmspare(vg->md))
				md_lv_remove(vg->md, md_vg_pmspare(vg->md));
		}
		return tb_vg_commit(c, vg);
	}
	if ((r = tb_lv_open_check(c, vg, lv, &active)) < 0)
		return r;
	if (md_lv_is_cow(lv))
		return tb_cow_remove(c, vg, lv);
	if (md_lv_is_thin(lv)) {
		struct md_lv *pool = lv->segs[0].thin_pool;
		struct tb_lv_state ps;
		if (pool->segs[0].n_msgs)
			return tb_fail(ctx, -EBUSY,
				       "Thin pool %s/%s has queued messages; activate it "
				       "first.",
				       vg->md->name, pool->name);
		if ((r = tb_pool_kernel_check(c, vg, pool)) < 0 ||
		    (r = tb_lv_state_get(ctx, vg->md, pool, &ps)) < 0 ||
		    (r = tb_lv_deactivate(c, vg, lv)) < 0)
			return r;
		if ((r = md_thin_remove(vg->md, lv)) < 0)
			return tb_fail(ctx, r, "Cannot remove %s/%s: %s", vg->md->name, name,
				       strerror(-r));
		if ((r = tb_vg_commit(c, vg)) < 0 ||
		    (r = tb_pool_commit_messages(c, vg, pool, 0, NULL)) < 0)
			return r;
		/* the pool's devices go with the last active thin LV unless the pool LV itself
		 * is active (lvm2 does the same; the message step may have loaded them) */
		if (!ps.active)
			tb_lv_deactivate(c, vg, pool);
		return 0;
	}
	if (md_lv_pool_of(vg->md, lv) || md_lv_is_pmspare(lv))
		return tb_fail(ctx, -EINVAL,
			       "Can't remove logical volume %s used as a thin pool "
			       "component.",
			       name);
	if ((r = tb_lv_deactivate(c, vg, lv)) < 0)
		return r;
	if (md_lv_is_raid(lv)) {
		if ((r = md_raid_remove(vg->md, lv)) < 0)
			return tb_fail(ctx, r, "Cannot remove %s/%s: %s", vg->md->name, name,
				       strerror(-r));
		return tb_vg_commit(c, vg);
	}
	if ((r = md_lv_remove(vg->md, lv)) < 0)
		return tb_fail(ctx, r, "Cannot remove %s/%s: it is in use by another LV.",
			       vg->md->name, name);
	return tb_vg_commit(c, vg);
}

/* A pool's thin LVs first, in VG order as lvm2 (its prompt "Removing pool VG/POOL will remove
 * N dependent volume(s). Proceed? [y/n]:" is answered by -f or -y; without them, no). */
static int remove_with_thins(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, bool force)
{
	struct tb_ctx *ctx = c->ctx;
	struct md_lv *victim;
	size_t n;
	int r;

	if (!md_lv_is_thin_pool(lv) || !(n = md_pool_thins(vg->md, lv, NULL, 0)))
		return 0;
	if (!force) {
		tb_notice(ctx,
			  "Removing pool %s/%s will remove %zu dependent volume(s). Proceed? "
			  "[y/n]: [n]",
			  vg->md->name, lv->name, n);
		return tb_fail(ctx, -EBUSY, "Logical volume %s/%s not removed.", vg->md->name,
			       lv->name);
	}
	while (md_pool_thins(vg->md, lv, &victim, 1)) {
		_cleanup_free_ char *vname = strdup(victim->name);
		if (!vname)
			return -ENOMEM;
		if ((r = remove_one(c, vg, victim)) < 0)
			return r;
		tb_notice(ctx, "Logical volume \"%s\" successfully removed.", vname);
	}
	return 0;
}

TB_EXPORT int tb_lvremove(struct tb_ctx *ctx, const char *vgname, const char *lvname, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_lvcmd_start(ctx, &c, "lvremove", vgname, &vg)) < 0)
		return r;
	if (!(lv = tb_lv_need(ctx, vg, lvname, &r)))
		goto out;
	if (md_lv_raid_of(vg->md, lv, NULL, NULL)) {
		r = tb_fail(ctx, -EINVAL, "Can't remove logical volume %s/%s used as RAID device.",
			    vgname, lvname);
		goto out;
	}
	if (!md_lv_is_visible(lv)) {
		r = tb_fail(ctx, -EINVAL, "Can't remove hidden logical volume %s/%s.", vgname,
			    lvname);
		goto out;
	}
	if ((r = remove_with_thins(&c, vg, lv, force)) < 0 ||
	    (r = tb_cow_remove_snapshots(&c, vg, lv, force)) < 0 || (r = remove_one(&c, vg, lv)) < 0)
		goto out;
	tb_notice(ctx, "Logical volume \"%s\" successfully removed.", lvname);
out:
	tb_lvcmd_finish(&c, vg);
	return r;
}

TB_EXPORT int tb_lvremove_vg(struct tb_ctx *ctx, const char *vgname, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_lvcmd_start(ctx, &c, "lvremove", vgname, &vg)) < 0)
		return r;
	/* thin LVs with their pools, then everything else visible, in VG order */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < vg->md->n_lvs;) {
			struct md_lv *lv = vg->md->lvs[i];
			_cleanup_free_ char *name = NULL;
			if (!md_lv_is_visible(lv) || md_lv_is_thin(lv) ||
			    (pass == 0) != md_lv_is_thin_pool(lv)) {
				i++;
				continue;
			}
			if (!(name = strdup(lv->name))) {
				r = -ENOMEM;
				goto out;
			}
			if ((r = remove_with_thins(&c, vg, lv, force)) < 0 ||
			    (r = tb_cow_remove_snapshots(&c, vg, lv, force)) < 0 ||
			    (r = remove_one(&c, vg, lv)) < 0)
				goto out;
			tb_notice(ctx, "Logical volume \"%s\" successfully removed.", name);
			i = 0; /* the list changed */
		}
out:
	tb_lvcmd_finish(&c, vg);
	return r;
}
