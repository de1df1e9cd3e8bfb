/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Old-style (COW) snapshots of linear and striped LVs, with lvm2 2.03.16's checks and notes:
 * tools/lvcreate.c _update_extents_params (N%ORIGIN, "Reducing COW size"), lib/metadata/
 * snapshot_manip.c (cow_max_extents, cow_has_min_chunks, vg_remove_snapshot), lv_manip.c
 * (the COW header cleared before the snapshot is loaded). Measured in docs/cow-snapshots.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/cmd/cow.h"
#include "util/macros.h"
#include "util/units.h"

static bool plain_lv(const struct tb_vg *vg, const struct md_lv *lv)
{
	if (!lv->n_segs || !md_lv_is_visible(lv) || md_lv_is_cow(lv) || md_lv_pool_of(vg->md, lv) ||
	    md_lv_is_pmspare(lv))
		return false;
	for (size_t s = 0; s < lv->n_segs; s++)
		if (lv->segs[s].kind != MD_SEG_STRIPED)
			return false;
	return true;
}

int tb_cow_prepare(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		   uint64_t ext, struct md_lv **ret_origin, uint32_t *ret_chunk, uint64_t *ret_ext)
{
	struct md_lv *origin = md_vg_find_lv(vg->md, o->origin);
	uint32_t es = vg->md->extent_size, chunk = o->chunk_size ? o->chunk_size : 8, max;
	char a[32], b[32];

	if (!origin)
		return tb_fail(ctx, -ENOENT, "Failed to find logical volume \"%s/%s\"",
			       vg->md->name, o->origin);
	if (md_lv_is_thin(origin) || md_lv_is_thin_pool(origin))
		return tb_fail(ctx, -EOPNOTSUPP,
			       "Old-style (COW) snapshots of thin LV %s/%s are not supported by "
			       "thinbox; omit the size to make a thin snapshot.",
			       vg->md->name, origin->name);
	if (md_lv_is_cow(origin))
		return tb_fail(ctx, -EINVAL, "Snapshots of snapshots are not supported.");
	if (!plain_lv(vg, origin))
		return tb_fail(ctx, -EOPNOTSUPP,
			       "Snapshots of %s/%s are not supported: thinbox makes old-style "
			       "snapshots of linear and striped LVs only.",
			       vg->md->name, origin->name);
	if (!md_cow_chunk_ok(chunk))
		return tb_fail(ctx, -EINVAL,
			       "Chunk size must be a power of 2 in the range 4K to 512K.");
	if (o->size.unit == TB_SIZE_PCT_ORIGIN)
		ext = md_cow_pct_origin((uint32_t)MIN(o->size.value, (uint64_t)UINT32_MAX),
					md_lv_extents(origin), es, chunk);
	if (!ext)
		return tb_fail(ctx, -EINVAL, "Unable to create new logical volume with no extents.");
	max = md_cow_max_extents(md_lv_extents(origin), es, chunk);
	if (ext > max) {
		units_display_size(ext * es, a, sizeof(a));
		units_display_size((uint64_t)max * es, b, sizeof(b));
		tb_notice(ctx, "Reducing COW size %s down to maximum usable size %s.", a, b);
		ext = max;
	}
	if (ext * es < (uint64_t)MD_COW_MIN_CHUNKS * chunk) {
		units_display_size((uint64_t)MD_COW_MIN_CHUNKS * chunk, a, sizeof(a));
		return tb_fail(ctx, -EINVAL,
			       "Snapshot volume cannot be smaller than 3 chunks (%" PRIu64
			       " extents, %s).",
			       DIV_ROUND_UP((uint64_t)MD_COW_MIN_CHUNKS * chunk, es), a);
	}
	*ret_origin = origin;
	*ret_chunk = chunk;
	*ret_ext = ext;
	return 0;
}

static bool lv_active(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv)
{
	struct tb_lv_state st;
	return tb_lv_state_get(ctx, vg->md, lv, &st) == 0 && st.active;
}

int tb_cow_finish(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		  struct md_lv *origin, struct md_lv *cow, uint32_t chunk)
{
	struct tb_ctx *ctx = c->ctx;
	char sid[MD_ID_LEN + 1];
	bool was_active = lv_active(ctx, vg, origin);
	struct md_lv *snap = NULL;
	int r;

	/* lvm2 (_read_activation_params): "Snapshot has to zero COW header" */
	if ((r = tb_cow_zero_header(c, vg, cow)) < 0)
		return r;
	tb_new_id(sid);
	if ((r = md_cow_snapshot_add(vg->md, origin, cow, sid, chunk, &snap)) < 0)
		return tb_fail(ctx, r, "Cannot make %s/%s a snapshot of %s: %s", vg->md->name,
			       cow->name, origin->name, strerror(-r));
	snap->has_creation = cow->has_creation;
	snap->creation_time = cow->creation_time;
	md_lv_set_str(&snap->creation_host, cow->creation_host);
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	/* lvm2 (measured): a snapshot of an inactive origin stays inactive, one of an active
	 * origin is loaded at once, even with -an */
	(void)o;
	if (!was_active)
		return 0;
	if ((r = tb_cow_origin_activate(c, vg, origin)) < 0) {
		char msg[sizeof(ctx->errmsg)];
		memcpy(msg, ctx->errmsg, sizeof(msg));
		/* back to the VG as it was: the snapshot's devices and LVs go */
		if (was_active)
			tb_cow_snapshot_release(c, vg, cow, origin,
						md_origin_cows(vg->md, origin, NULL, 0) - 1);
		else
			tb_cow_origin_deactivate(c, vg, origin);
		if (md_cow_snapshot_drop(vg->md, cow) == 0 && md_lv_remove(vg->md, cow) == 0)
			tb_vg_commit(c, vg);
		memcpy(ctx->errmsg, msg, sizeof(msg));
		return r;
	}
	return 0;
}

int tb_cow_remove(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow)
{
	struct md_lv *origin = md_cow_origin(cow);
	size_t left = md_origin_cows(vg->md, origin, NULL, 0) - 1;
	int r;

	if ((r = tb_cow_snapshot_release(c, vg, cow, origin, left)) < 0)
		return r;
	if ((r = md_cow_snapshot_drop(vg->md, cow)) < 0 || (r = md_lv_remove(vg->md, cow)) < 0)
		return tb_fail(c->ctx, r, "Cannot remove %s/%s: %s", vg->md->name, cow->name,
			       strerror(-r));
	return tb_vg_commit(c, vg);
}

int tb_cow_remove_snapshots(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin, bool force)
{
	struct tb_ctx *ctx = c->ctx;
	size_t n = md_origin_cows(vg->md, origin, NULL, 0);
	struct md_lv *cow;
	int r;

	/* lvm2 lv_manip.c lv_remove_single: an active visible LV is removed only when confirmed */
	if (md_lv_is_cow(origin) && !force && lv_active(ctx, vg, origin)) {
		tb_notice(ctx,
			  "Do you really want to remove active logical volume %s/%s? [y/n]: [n]",
			  vg->md->name, origin->name);
		return tb_fail(ctx, -EBUSY, "Logical volume %s/%s not removed.", vg->md->name,
			       origin->name);
	}
	if (!n)
		return 0;
	/* lvm2 lib/metadata/lv_manip.c lv_remove_with_dependencies (measured): it asks for an
	 * active origin only */
	if (!force && lv_active(ctx, vg, origin)) {
		tb_notice(ctx,
			  "Do you really want to remove active origin logical volume %s/%s with %zu "
			  "snapshots(s)? [y/n]: [n]",
			  vg->md->name, origin->name, n);
		return tb_fail(ctx, -EBUSY, "Logical volume %s/%s not removed.", vg->md->name,
			       origin->name);
	}
	while (md_origin_cows(vg->md, origin, &cow, 1)) {
		_cleanup_free_ char *name = strdup(cow->name);
		if (!name)
			return -ENOMEM;
		if ((r = tb_cow_remove(c, vg, cow)) < 0)
			return r;
		tb_notice(ctx, "Logical volume \"%s\" successfully removed.", name);
	}
	return 0;
}

int tb_cow_resize_check(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv,
			struct tb_size *size)
{
	/* lvm2 lv_manip.c _lvresize_extents_from_percent: N% of the origin, rounded up unless
	 * reducing (percent_of_extents) */
	if (size->unit == TB_SIZE_PCT_ORIGIN) {
		uint64_t oe;
		if (!md_lv_is_cow(lv))
			return tb_fail(ctx, -EINVAL, "Specified LV does not have an origin LV.");
		oe = md_lv_extents(md_cow_origin(lv));
		size->value = (size->value * oe + (size->sign < 0 ? 0 : 99)) / 100;
		size->unit = TB_SIZE_EXTENTS;
	}
	/* _lvresize_check_type: an origin only while inactive; lvm2 then extends it and leaves
	 * its snapshots' lengths (measured) */
	if (md_origin_cows(vg->md, lv, NULL, 0) && lv_active(ctx, vg, lv))
		return tb_fail(ctx, -EOPNOTSUPP,
			       "Snapshot origin volumes can be resized only while inactive: try "
			       "lvchange -an.");
	/* a COW store grows as a linear LV; its -cow device and the snapshot are reloaded */
	return 0;
}

int tb_cow_resize_cap(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv, uint32_t cur,
		      uint64_t *new_ext)
{
	uint32_t es = vg->md->extent_size, max;
	char a[32];

	if (!md_lv_is_cow(lv) || *new_ext <= cur)
		return 0;
	/* lvm2 _lvresize_adjust_extents: "Don't allow a cow to grow larger than necessary" */
	max = md_cow_max_extents(md_lv_extents(md_cow_origin(lv)), es,
				 lv->cow_snapshot->segs[0].chunk_size);
	if (max >= *new_ext)
		return 0;
	units_display_size((uint64_t)max * es, a, sizeof(a));
	tb_notice(ctx, "Reached maximum COW size %s (%u extents).", a, max);
	*new_ext = MAX(max, cur);
	if (*new_ext > cur)
		return 0;
	units_display_size((uint64_t)cur * es, a, sizeof(a));
	tb_notice(ctx, "Size of logical volume %s/%s unchanged from %s (%u extents).", vg->md->name,
		  lv->name, a, cur);
	tb_notice(ctx, "Logical volume %s/%s successfully resized.", vg->md->name, lv->name);
	return 1;
}
