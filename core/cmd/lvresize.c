/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvresize and lvextend: linear, striped, raid1, thin LVs and pools (data and metadata).
 */
#include <errno.h>
#include <inttypes.h>

#include "core/activate/activate.h"
#include "core/activate/resizefs.h"
#include "core/cmd/cmd.h"
#include "core/cmd/cow.h"
#include "core/cmd/raid.h"
#include "core/cmd/stripe.h"
#include "core/policy/policy.h"
#include "util/units.h"

static int resize_target(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_size *s,
			 uint32_t cur, bool extend_only, uint64_t *ret_new)
{
	uint64_t n;
	int r = tb_size_to_extents(ctx, vg, s, cur, &n);

	if (r < 0)
		return r;
	if (s->sign > 0)
		n = cur + n;
	else if (s->sign < 0)
		n = n >= cur ? 0 : cur - n;
	if (n > UINT32_MAX)
		return tb_fail(ctx, -ERANGE, "Size is too large.");
	if (n < cur)
		return tb_fail(ctx, -EINVAL,
			       extend_only ? "New size given (%" PRIu64
					     " extents) not larger than existing size "
					     "(%u extents)"
					   : "Reducing is not supported by thinbox (%" PRIu64
					     " < %u extents).",
			       n, cur);
	*ret_new = n;
	return 0;
}

/* lvm2 2.03.16 _lvresize_extents_from_percent: which sizes are an upper limit */
static bool resize_approx(const struct tb_size *s)
{
	return (s->sign == 0 && (s->unit == TB_SIZE_PCT_VG || s->unit == TB_SIZE_PCT_FREE ||
				 s->unit == TB_SIZE_PCT_PVS)) ||
	       (s->sign > 0 && s->unit == TB_SIZE_PCT_FREE);
}

TB_EXPORT int tb_lvresize(struct tb_ctx *ctx, const struct tb_lvresize_opts *o)
{
	struct tb_lv_fs fs;
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv, *target;
	struct tb_stripe_geom geo = { 1, 0, false };
	struct tb_size size = o->size;
	uint64_t new_ext = 0;
	uint32_t cur;
	char a[32], b[32];
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_lvcmd_start(ctx, &c, o->extend_only ? "lvextend" : "lvresize", o->vg, &vg)) < 0)
		return r;
	if (!(lv = tb_lv_need(ctx, vg, o->lv, &r)) ||
	    (r = tb_cow_resize_check(ctx, vg, lv, &size)) < 0)
		goto out;
	if (md_lv_is_thin_pool(lv) && lv->segs[0].n_msgs == 0 &&
	    o->poolmetadatasize.unit != TB_SIZE_NONE) {
		struct md_lv *meta = md_pool_meta(lv);
		cur = md_lv_extents(meta);
		if ((r = resize_target(ctx, vg, &o->poolmetadatasize, cur, true, &new_ext)) < 0)
			goto out;
		if (new_ext > cur) {
			r = md_pool_extend_meta(vg->md, lv, (uint32_t)(new_ext - cur),
						MD_ALLOC_NORMAL);
			if (r == -ENOSPC) {
				r = tb_fail(ctx, r,
					    "Insufficient free space: %" PRIu64 " extents "
					    "needed, but only %" PRIu64 " available",
					    new_ext - cur, md_vg_free_count(vg->md));
				goto out;
			}
			if (r == -ERANGE) {
				r = tb_fail(ctx, r,
					    "Thin pool metadata cannot grow past 15.88 GiB.");
				goto out;
			}
			if (r < 0 || (r = tb_vg_commit(&c, vg)) < 0 ||
			    (r = tb_pool_reload(&c, vg, lv)) < 0)
				goto out;
			units_display_size((uint64_t)cur * vg->md->extent_size, a, sizeof(a));
			units_display_size(new_ext * vg->md->extent_size, b, sizeof(b));
			tb_notice(ctx,
				  "Size of logical volume %s/%s changed from %s (%u extents) to %s "
				  "(%" PRIu64 " extents).",
				  o->vg, meta->name, a, cur, b, new_ext);
			tb_notice(ctx, "Logical volume %s/%s successfully resized.", o->vg,
				  meta->name);
		}
		if (o->size.unit == TB_SIZE_NONE && !o->use_policies)
			goto out;
	}
	target = md_lv_is_thin_pool(lv) ? md_pool_data(lv) : lv;
	cur = md_lv_is_thin(lv) ? lv->segs[0].extent_count : md_lv_extents(target);
	if (o->use_policies) {
		if (!md_lv_is_thin_pool(lv)) {
			r = tb_fail(ctx, -EINVAL, "--use-policies applies to thin pools only.");
			goto out;
		}
		struct tb_autoextend_result res;
		r = tb_pool_autoextend(&c, vg, lv, false, &res, NULL);
		goto out;
	} else if ((r = resize_target(ctx, vg, &size, cur, o->extend_only, &new_ext)) < 0 ||
		   (r = tb_cow_resize_cap(ctx, vg, lv, cur, &new_ext)) != 0) {
		r = MIN(r, 0);
		goto out;
	}
	if (new_ext == cur) {
		r = tb_fail(ctx, -EINVAL,
			    "New size (%u extents) matches existing size (%u extents).", cur, cur);
		goto out;
	}
	/* the new segment's stripes (-i/-I or the segments'), rounding: core/cmd/stripe.c */
	if (!md_lv_is_thin(lv) && !md_lv_is_raid(lv) &&
	    ((r = tb_striped_resize_geom(ctx, target, o->stripes, o->stripe_size, &geo)) < 0 ||
	     (r = tb_striped_resize_round(ctx, vg, &geo, o->size.unit >= TB_SIZE_PCT_VG, cur,
					  &new_ext)) < 0))
		goto out;
	if (o->resizefs && (r = tb_lv_fs_check(&c, vg, lv, &fs)) < 0)
		goto out;
	if (md_lv_is_thin(lv)) {
		lv->segs[0].extent_count = (uint32_t)new_ext;
	} else {
		r = md_lv_is_raid(lv)
			    ? tb_raid_extend(&c, vg, lv, (uint32_t)(new_ext - cur), NULL, 0)
		    : geo.use
			    ? tb_striped_resize_extend(ctx, vg, lv, &geo, (uint32_t)(new_ext - cur),
						       resize_approx(&o->size))
		    : md_lv_is_thin_pool(lv)
			    ? md_pool_extend_data(vg->md, lv, (uint32_t)(new_ext - cur),
						  MD_ALLOC_NORMAL)
			    : md_lv_extend_linear(vg->md, lv, (uint32_t)(new_ext - cur),
						  MD_ALLOC_NORMAL, NULL, 0);
		if (r == -ENOSPC && !geo.use && !md_lv_is_raid(lv)) {
			r = tb_fail(ctx, r,
				    "Insufficient free space: %" PRIu64 " extents needed, but "
				    "only %" PRIu64 " available",
				    new_ext - cur, md_vg_free_count(vg->md));
			goto out;
		}
		if (r < 0)
			goto out;
		new_ext = md_lv_extents(target); /* a percentage may have got less */
	}
	if ((r = tb_vg_commit(&c, vg)) < 0 || (r = tb_lv_reload(&c, vg, lv)) < 0)
		goto out;
	units_display_size((uint64_t)cur * vg->md->extent_size, a, sizeof(a));
	units_display_size(new_ext * vg->md->extent_size, b, sizeof(b));
	if (new_ext == cur) /* a percentage that found no room (tb_striped_resize_extend) */
		tb_notice(ctx, "Size of logical volume %s/%s unchanged from %s (%u extents).",
			  o->vg, target->name, a, cur);
	else
		tb_notice(ctx,
			  "Size of logical volume %s/%s changed from %s (%u extents) to %s "
			  "(%" PRIu64 " extents).",
			  o->vg, target->name, a, cur, b, new_ext);
	/* lvm2 lv_resize: after an extension of a thin pool or thin LV */
	if (new_ext > cur && (md_lv_is_thin(lv) || md_lv_is_thin_pool(lv)))
		tb_thin_overprovision_warn(ctx, vg, lv);
	tb_notice(ctx, "Logical volume %s/%s successfully resized.", o->vg, lv->name);
	if (o->resizefs)
		r = tb_lv_fs_resize(&c, &fs);
out:
	tb_lvcmd_finish(&c, vg);
	return r;
}
