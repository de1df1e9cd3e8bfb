/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Striped LVs (lvcreate -i N [-I SIZE], --type striped --stripes N; lvextend keeps the
 * geometry), with lvm2 2.03.16's checks and notes: tools/lvcreate.c _update_extents_params,
 * lib/metadata/lv_manip.c _lv_create_an_lv, _lvresize_adjust_extents. The allocation itself
 * is metadata/stripe.c; activation builds a "striped" table (core/activate.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cmd/stripe.h"
#include "util/units.h"
#include "util/macros.h"

bool tb_lv_striped(const struct md_lv *lv)
{
	const struct md_seg *s = lv->n_segs ? &lv->segs[lv->n_segs - 1] : NULL;
	return s && s->kind == MD_SEG_STRIPED && s->stripe_count > 1;
}

static int no_room(struct tb_ctx *ctx, const struct md_lv *lv, uint32_t more)
{
	return tb_fail(ctx, -ENOSPC,
		       "Insufficient suitable allocatable extents for logical volume %s: %" PRIu32
		       " more required",
		       lv->name, more);
}

/* lvm2's stripe size cap and its rounding up to whole stripes, with its notes, in its order
 * (lib/metadata/lv_manip.c _lv_create_an_lv). */
static void stripe_round(struct tb_ctx *ctx, uint32_t es, uint32_t n, uint32_t *ss, uint64_t *ext)
{
	char a[32], b[32];

	if (*ss > es) {
		units_display_size(*ss, a, sizeof(a));
		units_display_size(es, b, sizeof(b));
		tb_notice(ctx,
			  "Reducing requested stripe size %s to maximum, physical extent size %s.",
			  a, b);
		*ss = es;
	}
	if (*ext % n) {
		uint64_t up = *ext + n - *ext % n;
		units_display_size(*ext * es, a, sizeof(a));
		units_display_size(up * es, b, sizeof(b));
		tb_notice(ctx,
			  "Rounding size %s (%" PRIu64
			  " extents) up to stripe boundary size %s (%" PRIu64 " extents).",
			  a, *ext, b, up);
		*ext = up;
	}
}

int tb_lv_alloc_striped(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv, uint64_t ext,
			const struct tb_lvcreate_opts *o, struct md_pv *const *pvs, size_t n_pvs)
{
	uint32_t es = vg->md->extent_size, ss = o->stripe_size, n = o->stripes, got = 0;
	uint32_t sse = ss / es ? ss / es : 1;
	uint64_t free_ext = md_vg_free_count(vg->md), rest;
	size_t npv = n_pvs ? n_pvs : vg->md->n_pvs;
	int r;

	/* a percentage that does not fit rounded up is rounded down (tools/lvcreate.c) */
	if (o->size.unit >= TB_SIZE_PCT_VG && (rest = ext % ((uint64_t)n * sse)) &&
	    free_ext < ext - rest + (uint64_t)n * sse) {
		tb_notice(ctx,
			  "Rounding size (%" PRIu64
			  " extents) down to stripe boundary size (%" PRIu64 " extents)",
			  ext, ext - rest);
		ext -= rest;
	}
	stripe_round(ctx, es, n, &ss, &ext);
	if (!ext)
		return tb_fail(ctx, -EINVAL, "Unable to create new logical volume with no extents.");
	if (n > npv)
		return tb_fail(ctx, -EINVAL,
			       "Number of stripes (%" PRIu32 ") must not exceed number of physical "
			       "volumes (%zu)",
			       n, npv);
	if (free_ext < ext)
		return tb_fail(ctx, -ENOSPC,
			       "Volume group \"%s\" has insufficient free space (%" PRIu64
			       " extents): %" PRIu64 " required.",
			       vg->md->name, free_ext, ext);
	if (ext > UINT32_MAX)
		return tb_fail(ctx, -ERANGE, "Size is too large for volume group %s", vg->md->name);
	r = md_lv_extend_striped(vg->md, lv, (uint32_t)ext, n, ss, pvs, n_pvs, &got);
	if (r == -ENOSPC)
		return no_room(ctx, lv, (uint32_t)ext - got);
	return r;
}

/* ---------------------------------------------------------------- striped thin pools */

/* lvm2 2.03.16 lib/metadata/pool_manip.c handle_pool_metadata_spare, called by lvcreate
 * before the pool is allocated: a new VG's spare comes first (lvm2's order). No room: none,
 * md_pool_convert then warns as for linear pools. */
static int spare_first(struct tb_vg *vg, uint32_t meta_ext, struct md_pv *const *pvs, size_t n_pvs)
{
	struct md_lv *spare = NULL;
	char name[32], id[MD_ID_LEN + 1];
	unsigned n = 0;
	int r;

	if ((spare = md_vg_pmspare(vg->md))) {
		/* lvm2 grows a smaller spare first too; no room: as linear pools, later or not */
		uint32_t have = md_lv_extents(spare);
		if (have >= meta_ext || !spare->n_segs ||
		    spare->segs[spare->n_segs - 1].stripe_count != 1)
			return 0;
		r = md_lv_extend_striped(vg->md, spare, meta_ext - have, 1, 0, pvs, n_pvs, NULL);
		return r == -ENOSPC ? 0 : r;
	}
	if (md_alloc_available(vg->md, pvs, n_pvs) < meta_ext)
		return 0;
	do
		snprintf(name, sizeof(name), "lvol%u_pmspare", n++);
	while (md_vg_find_lv(vg->md, name));
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE, &spare)) < 0)
		return r;
	tb_lv_stamp(spare);
	/* one area, chosen as lvm2's normal policy chooses (metadata/stripe.c) */
	r = md_lv_extend_striped(vg->md, spare, meta_ext, 1, 0, pvs, n_pvs, NULL);
	if (r < 0)
		md_lv_remove(vg->md, spare);
	return r == -ENOSPC ? 0 : r;
}

/* lvm2 allocates a new pool's metadata with its data, as the "log" area of the same
 * allocation (lib/metadata/lv_manip.c _find_some_parallel_space): on a PV the data does not
 * use when there is one with room, else after the data on a PV it uses; of the candidate areas
 * (per PV the smallest free area holding a whole stripe @need, else the largest, sorted by
 * what they give, largest first, PV order for ties) the last that holds the metadata. */
static int place_meta(struct md_vg *vg, struct md_lv *meta, uint32_t meta_ext, uint32_t need,
		      const struct md_seg *ds, struct md_pv *const *pvs, size_t n_pvs)
{
	struct md_pv *best_pv = NULL;
	uint32_t best_start = 0, best_used = 0;
	int r = 0;

	for (int pass = 0; pass < 2 && !best_pv; pass++) {
		for (size_t i = 0; i < (n_pvs ? n_pvs : vg->n_pvs); i++) {
			struct md_pv *pv = n_pvs ? pvs[i] : vg->pvs[i];
			struct md_range *fr = NULL, *c = NULL, *fit = NULL, *big = NULL;
			size_t nf = 0;
			bool in_data = false;
			uint32_t used;

			if (!(pv->status & MD_PV_ALLOCATABLE) || (pv->status & MD_PV_MISSING))
				continue;
			for (uint32_t k = 0; ds && k < ds->stripe_count; k++)
				in_data |= ds->areas[k].pv == pv;
			if (in_data != (pass == 1))
				continue;
			if ((r = md_pv_free_ranges(vg, pv, &fr, &nf)) < 0)
				return r;
			for (size_t k = 0; k < nf; k++) {
				/* lvm2 reserved a whole stripe (@need) of the area the data came
				 * from, not only what the data took: the rest of it is smaller */
				for (uint32_t a = 0; ds && a < ds->stripe_count; a++) {
					uint32_t al = ds->extent_count / ds->stripe_count;
					if (ds->areas[a].pv == pv &&
					    ds->areas[a].start + al == fr[k].start)
						fr[k].len = al + fr[k].len > need
								    ? al + fr[k].len - need
								    : 0;
				}
				if (!fr[k].len)
					continue;
				if (fr[k].len >= need && (!fit || fr[k].len < fit->len))
					fit = &fr[k];
				if (!big || fr[k].len > big->len)
					big = &fr[k];
			}
			c = fit ? fit : big;
			used = c ? MIN(c->len, need) : 0;
			/* sorted largest first: the last that holds the metadata is the smallest */
			if (c && c->len >= meta_ext && (!best_pv || used <= best_used)) {
				best_pv = pv;
				best_start = c->start;
				best_used = used;
			}
			free(fr);
		}
	}
	if (!best_pv)
		return -ENOSPC;
	return md_lv_add_linear_seg(meta, best_pv, best_start, meta_ext);
}

uint64_t tb_pool_stripe_round_down(struct tb_ctx *ctx, const struct tb_vg *vg,
				   const struct tb_lvcreate_opts *o, uint64_t ext)
{
	uint32_t es = vg->md->extent_size, sse = o->stripe_size / es ? o->stripe_size / es : 1;
	uint64_t rest, free_ext = md_vg_free_count(vg->md), unit = (uint64_t)o->stripes * sse;

	/* tools/lvcreate.c _update_extents_params, before the pool's metadata is sized */
	if (o->stripes > 1 && o->size.unit >= TB_SIZE_PCT_VG && (rest = ext % unit) &&
	    free_ext < ext - rest + unit) {
		tb_notice(ctx,
			  "Rounding size (%" PRIu64
			  " extents) down to stripe boundary size (%" PRIu64 " extents)",
			  ext, ext - rest);
		ext -= rest;
	}
	return ext;
}

int tb_pool_alloc_striped(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *data,
			  struct md_lv *meta, uint64_t ext, uint32_t meta_ext,
			  const struct tb_lvcreate_opts *o, struct md_pv *const *pvs, size_t n_pvs)
{
	uint32_t es = vg->md->extent_size, ss = o->stripe_size, n = o->stripes, got = 0, first = 0;
	size_t npv = n_pvs ? n_pvs : vg->md->n_pvs;
	bool approx = o->size.unit >= TB_SIZE_PCT_VG;
	int r;

	/* lib/metadata/lv_manip.c _lv_create_an_lv, in its order */
	stripe_round(ctx, es, n, &ss, &ext);
	if (n > npv)
		return tb_fail(ctx, -EINVAL,
			       "Number of stripes (%" PRIu32 ") must not exceed number of physical "
			       "volumes (%zu)",
			       n, npv);
	if ((r = spare_first(vg, meta_ext, pvs, n_pvs)) < 0)
		return r;
	if (!approx && md_vg_free_count(vg->md) < ext)
		return tb_fail(ctx, -ENOSPC,
			       "Volume group \"%s\" has insufficient free space (%" PRIu64
			       " extents): %" PRIu64 " required.",
			       vg->md->name, md_vg_free_count(vg->md), ext);
	if (ext > UINT32_MAX)
		return tb_fail(ctx, -ERANGE, "Size is too large for volume group %s", vg->md->name);
	/* lvm2 allocates data and metadata in one go: the first parallel area of the data (sized
	 * for the whole request), the metadata beside it (place_meta), then the rest of the
	 * data; a percentage is an upper limit (approx_alloc: what the PVs hold) */
	r = md_lv_extend_striped_first(vg->md, data, (uint32_t)ext, n, ss, pvs, n_pvs, &first);
	if (r == 0)
		r = place_meta(vg->md, meta, meta_ext, (uint32_t)(ext / n), &data->segs[0], pvs,
			       n_pvs);
	if (r == -ENOSPC && approx)
		return tb_fail(ctx, r,
			       "Insufficient suitable allocatable extents found for logical volume "
			       "%s.",
			       data->name);
	if (r == -ENOSPC)
		return tb_fail(ctx, r,
			       "Insufficient suitable allocatable extents for logical volume %s: %" PRIu64
			       " more required",
			       data->name, ext);
	if (r < 0 || first == ext)
		return r;
	r = md_lv_extend_striped(vg->md, data, (uint32_t)(ext - first), n, ss, pvs, n_pvs, &got);
	if (r == -ENOSPC && approx)
		r = got ? md_lv_extend_striped(vg->md, data, got, n, ss, pvs, n_pvs, NULL) : 0;
	if (r == -ENOSPC)
		return tb_fail(ctx, r,
			       "Insufficient suitable allocatable extents for logical volume %s: %" PRIu64
			       " more required",
			       data->name, ext - first - got);
	return r;
}

int tb_striped_resize_geom(struct tb_ctx *ctx, const struct md_lv *lv, uint32_t stripes,
			   uint32_t stripe_size, struct tb_stripe_geom *g)
{
	uint32_t seg_stripes = 0, seg_ss = 0;
	const struct md_seg *ls = lv->n_segs ? &lv->segs[lv->n_segs - 1] : NULL;
	char a[32];

	/* lib/metadata/lv_manip.c _lvresize_adjust_extents, extending */
	if (!(stripes == 1 || (stripes > 1 && stripe_size))) {
		for (size_t i = 0; i < lv->n_segs; i++) {
			const struct md_seg *s = &lv->segs[i];
			if (s->kind != MD_SEG_STRIPED)
				continue;
			if ((seg_ss && seg_ss != s->stripe_size && s->stripe_size && !stripe_size) ||
			    (seg_stripes && seg_stripes != s->stripe_count && !stripes))
				return tb_fail(ctx, -EINVAL,
					       "Please specify number of stripes (-i) and stripesize "
					       "(-I)");
			seg_ss = s->stripe_size;
			seg_stripes = s->stripe_count;
		}
		if (!stripes)
			stripes = seg_stripes;
		if (!stripe_size && stripes > 1) {
			if (seg_ss) {
				units_display_size(seg_ss, a, sizeof(a));
				tb_notice(ctx, "Using stripesize of last segment %s", a);
				stripe_size = seg_ss;
			} else {
				stripe_size = 128; /* metadata/stripesize, 64 KiB */
				units_display_size(stripe_size, a, sizeof(a));
				tb_notice(ctx, "Using default stripesize %s", a);
			}
		}
	}
	if (stripes > 1 && !stripe_size)
		return tb_fail(ctx, -EINVAL, "Stripesize for striped segment should not be 0!");
	g->stripes = stripes ? stripes : 1;
	g->stripe_size = g->stripes > 1 ? stripe_size : 0;
	g->use = g->stripes > 1 || (ls && ls->kind == MD_SEG_STRIPED && ls->stripe_count > 1);
	return 0;
}

int tb_striped_resize_round(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_stripe_geom *g,
			    bool percent, uint32_t cur, uint64_t *new_ext)
{
	uint32_t es = vg->md->extent_size;
	uint64_t se = g->stripes, rest;
	char a[32];

	if (g->stripes <= 1)
		return 0;
	if (g->stripe_size < 8) {
		units_display_size(g->stripe_size, a, sizeof(a));
		return tb_fail(ctx, -EINVAL, "Invalid stripe size %s.", a);
	}
	if (g->stripe_size > es)
		se *= g->stripe_size / es;
	if (*new_ext <= cur || !(rest = (*new_ext - cur) % se))
		return 0;
	/* "round toward the original size": down only for a percentage that does not fit */
	if (!percent || md_vg_free_count(vg->md) >= *new_ext - cur - rest + se) {
		tb_notice(ctx,
			  "Rounding size (%" PRIu64
			  " extents) up to stripe boundary size for segment (%" PRIu64 " extents).",
			  *new_ext, *new_ext - rest + se);
		*new_ext = *new_ext - rest + se;
	} else {
		tb_notice(ctx,
			  "Rounding size (%" PRIu64
			  " extents) down to stripe boundary size for segment (%" PRIu64 " extents)",
			  *new_ext, *new_ext - rest);
		*new_ext -= rest;
	}
	return 0;
}

static int extend_geom(struct tb_vg *vg, struct md_lv *lv, const struct tb_stripe_geom *g,
		       uint32_t add, uint32_t *got)
{
	return md_lv_is_thin_pool(lv) ? md_pool_extend_data_striped(vg->md, lv, add, g->stripes,
								    g->stripe_size, got)
				      : md_lv_extend_striped(vg->md, lv, add, g->stripes,
							     g->stripe_size, NULL, 0, got);
}

int tb_striped_resize_extend(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv,
			     const struct tb_stripe_geom *g, uint32_t add, bool approx)
{
	struct md_lv *data = md_lv_is_thin_pool(lv) ? md_pool_data(lv) : lv;
	uint32_t got = 0;
	int r;

	if (!approx && add > md_vg_free_count(vg->md))
		return tb_fail(ctx, -ENOSPC,
			       "Insufficient free space: %" PRIu32
			       " extents needed, but only %" PRIu64 " available",
			       add, md_vg_free_count(vg->md));
	r = extend_geom(vg, lv, g, add, &got);
	/* a percentage of the free space is an upper limit (lvm2's approx_alloc); when no whole
	 * stripe set fits, lvm2 2.03.16 leaves the LV as it is and succeeds ("Size of logical
	 * volume ... unchanged", measured: lvtypes-stripedpool.sh, a 2-stripe pool in a VG whose
	 * free extents are all on one PV) */
	if (r == -ENOSPC && approx && got)
		r = extend_geom(vg, lv, g, got, NULL);
	else if (r == -ENOSPC && approx)
		return 0;
	if (r == -ENOSPC)
		return no_room(ctx, data, add - got);
	return r;
}
