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

int tb_lv_alloc_striped(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv, uint64_t ext,
			const struct tb_lvcreate_opts *o, struct md_pv *const *pvs, size_t n_pvs)
{
	uint32_t es = vg->md->extent_size, ss = o->stripe_size, n = o->stripes, got = 0;
	uint32_t sse = ss / es ? ss / es : 1;
	uint64_t free_ext = md_vg_free_count(vg->md), rest;
	size_t npv = n_pvs ? n_pvs : vg->md->n_pvs;
	char a[32], b[32];
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
	if (ss > es) {
		units_display_size(ss, a, sizeof(a));
		units_display_size(es, b, sizeof(b));
		tb_notice(ctx,
			  "Reducing requested stripe size %s to maximum, physical extent size %s.",
			  a, b);
		ss = es;
	}
	if (ext % n) {
		uint64_t up = ext + n - ext % n;
		units_display_size(ext * es, a, sizeof(a));
		units_display_size(up * es, b, sizeof(b));
		tb_notice(ctx,
			  "Rounding size %s (%" PRIu64
			  " extents) up to stripe boundary size %s (%" PRIu64 " extents).",
			  a, ext, b, up);
		ext = up;
	}
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

int tb_striped_round(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv, uint32_t cur,
		     uint64_t *new_ext)
{
	const struct md_seg *ls = &lv->segs[lv->n_segs - 1];
	uint32_t es = vg->md->extent_size;
	uint64_t se = ls->stripe_count, rest;
	char a[32];

	units_display_size(ls->stripe_size, a, sizeof(a));
	tb_notice(ctx, "Using stripesize of last segment %s", a);
	if (ls->stripe_size > es)
		se *= ls->stripe_size / es;
	if (*new_ext <= cur || !(rest = (*new_ext - cur) % se))
		return 0;
	tb_notice(ctx,
		  "Rounding size (%" PRIu64
		  " extents) up to stripe boundary size for segment (%" PRIu64 " extents).",
		  *new_ext, *new_ext - rest + se);
	*new_ext = *new_ext - rest + se;
	return 0;
}

int tb_striped_extend(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv, uint32_t add)
{
	const struct md_seg *ls = &lv->segs[lv->n_segs - 1];
	uint32_t got = 0;
	int r;

	if (add > md_vg_free_count(vg->md))
		return tb_fail(ctx, -ENOSPC,
			       "Insufficient free space: %" PRIu32
			       " extents needed, but only %" PRIu64 " available",
			       add, md_vg_free_count(vg->md));
	r = md_lv_extend_striped(vg->md, lv, add, ls->stripe_count, ls->stripe_size, NULL, 0, &got);
	if (r == -ENOSPC)
		return no_room(ctx, lv, add - got);
	return r;
}
