/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Striped allocation, after lvm2 2.03's lib/metadata/lv_manip.c (_find_some_parallel_space
 * with the "normal" policy): each segment has @stripes parallel areas of equal length on
 * distinct PVs. Per PV one area is a candidate: the smallest free area that holds the whole
 * remaining stripe, else the largest; the candidates are sorted by the length they can give
 * (largest first, PV order for ties) and the first @stripes taken, the segment as long as the
 * shortest of them. An extension first continues every area of the last segment in place
 * (contiguous), then clings to the last segment's PVs, then allocates as for a new LV.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

struct sfree {
	struct md_pv *pv;
	struct md_range *r; /* free ranges by start */
	size_t n;
};

struct pick {
	struct md_pv *pv;
	struct md_range *r; /* the range taken from (its start moves on) */
	uint32_t used;
	size_t order;
};

static bool usable(const struct md_pv *pv, struct md_pv *const *pvs, size_t n_pvs)
{
	if (!(pv->status & MD_PV_ALLOCATABLE) || (pv->status & MD_PV_MISSING))
		return false;
	for (size_t i = 0; i < n_pvs; i++)
		if (pvs[i] == pv)
			return true;
	return !n_pvs;
}

static struct sfree *free_of(struct sfree *f, size_t nf, const struct md_pv *pv)
{
	for (size_t i = 0; i < nf; i++)
		if (f[i].pv == pv)
			return &f[i];
	return NULL;
}

/* The candidate range of one PV: the smallest holding @need, else the largest (lvm2). */
static struct md_range *best_range(struct sfree *f, uint32_t need)
{
	struct md_range *fit = NULL, *big = NULL;

	for (size_t k = 0; k < f->n; k++) {
		struct md_range *r = &f->r[k];
		if (!r->len)
			continue;
		if (r->len >= need && (!fit || r->len < fit->len))
			fit = r;
		if (!big || r->len > big->len)
			big = r;
	}
	return fit ? fit : big;
}

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int add_seg(struct md_lv *lv, struct pick *p, uint32_t stripes, uint32_t stripe_size,
		   uint32_t len)
{
	struct md_seg *segs = realloc(lv->segs, (lv->n_segs + 1) * sizeof(*segs));
	struct md_seg *s;

	if (!segs)
		return -ENOMEM;
	lv->segs = segs;
	s = &segs[lv->n_segs];
	memset(s, 0, sizeof(*s));
	s->type = md_seg_type_striped();
	s->areas = calloc(stripes, sizeof(*s->areas));
	if (!s->areas)
		return -ENOMEM;
	s->start_extent = md_lv_extents(lv);
	s->extent_count = len * stripes;
	s->kind = MD_SEG_STRIPED;
	s->stripe_count = stripes;
	s->stripe_size = stripes > 1 ? stripe_size : 0;
	for (uint32_t i = 0; i < stripes; i++) {
		s->areas[i].pv = p[i].pv;
		s->areas[i].start = p[i].r->start;
		p[i].r->start += len;
		p[i].r->len -= len;
	}
	lv->n_segs++;
	return 0;
}

/* Contiguous, then cling: areas on the last segment's PVs, in the same positions. */
static int extend_in_place(struct md_lv *lv, struct sfree *f, size_t nf, struct pick *p,
			   uint32_t stripes, uint32_t stripe_size, uint32_t *need)
{
	for (int cling = 0; cling < 2 && *need; cling++) {
		while (*need) {
			const struct md_seg *ls = &lv->segs[lv->n_segs - 1];
			uint32_t len = *need;
			int r;
			for (uint32_t i = 0; i < stripes; i++) {
				struct sfree *pf = free_of(f, nf, ls->areas[i].pv);
				uint32_t end = ls->areas[i].start + ls->extent_count / stripes;
				p[i].pv = ls->areas[i].pv;
				p[i].r = NULL;
				for (size_t k = 0; pf && !cling && k < pf->n; k++)
					if (pf->r[k].len && pf->r[k].start == end)
						p[i].r = &pf->r[k];
				if (pf && cling)
					p[i].r = best_range(pf, *need);
				if (!p[i].r)
					return 0; /* not every area can continue: next stage */
				len = MIN(len, p[i].r->len);
			}
			if ((r = add_seg(lv, p, stripes, stripe_size, len)) < 0)
				return r;
			*need -= len;
		}
	}
	return 0;
}

static int extend_striped(struct md_vg *vg, struct md_lv *lv, uint32_t extents, uint32_t stripes,
			  uint32_t stripe_size, struct md_pv *const *pvs, size_t n_pvs,
			  uint32_t *ret_allocated, bool first_only)
{
	struct sfree *f = NULL;
	struct pick *p = NULL;
	size_t nf = 0, orig_segs = lv->n_segs;
	uint32_t need;
	bool same = false;
	int r = 0;

	if (!stripes || extents == 0 || extents % stripes)
		return -EINVAL;
	if ((uint64_t)md_lv_extents(lv) + extents > UINT32_MAX)
		return -ERANGE;
	if (lv->n_segs) {
		const struct md_seg *ls = &lv->segs[lv->n_segs - 1];
		if (ls->kind != MD_SEG_STRIPED)
			return -EINVAL;
		for (uint32_t i = 0; i < ls->stripe_count; i++)
			if (!ls->areas[i].pv)
				return -EINVAL;
		/* lvextend -i/-I with another geometry: new segments, nothing continues in place */
		same = ls->stripe_count == stripes &&
		       (stripes == 1 || ls->stripe_size == stripe_size);
	}
	need = extents / stripes;
	f = calloc(vg->n_pvs ? vg->n_pvs : 1, sizeof(*f));
	p = calloc(vg->n_pvs > stripes ? vg->n_pvs : stripes, sizeof(*p));
	if (!f || !p) {
		r = -ENOMEM;
		goto out;
	}
	/* the PVs in command-line order when given (lvm2 allocates from them in that order) */
	for (size_t i = 0; i < (n_pvs ? n_pvs : vg->n_pvs); i++) {
		struct md_pv *pv = n_pvs ? pvs[i] : vg->pvs[i];
		if (!usable(pv, pvs, n_pvs) || free_of(f, nf, pv))
			continue;
		f[nf].pv = pv;
		if ((r = md_pv_free_ranges(vg, pv, &f[nf].r, &f[nf].n)) < 0)
			goto out;
		nf++;
	}
	if (same && (r = extend_in_place(lv, f, nf, p, stripes, stripe_size, &need)) < 0)
		goto fail;
	while (need) {
		size_t np = 0;
		uint32_t len;
		for (size_t i = 0; i < nf; i++) {
			struct md_range *br = best_range(&f[i], need);
			if (br)
				p[np++] = (struct pick){ f[i].pv, br, MIN(br->len, need), i };
		}
		if (np < stripes) {
			r = -ENOSPC;
			goto fail;
		}
		qsort(p, np, sizeof(*p), cmp_pick);
		len = p[stripes - 1].used;
		if ((r = add_seg(lv, p, stripes, stripe_size, len)) < 0)
			goto fail;
		need -= len;
		if (first_only) {
			if (ret_allocated)
				*ret_allocated = len * stripes;
			r = 0;
			goto out;
		}
	}
	md_lv_merge_segments(lv);
	r = 0;
	goto out;
fail:
	if (ret_allocated)
		*ret_allocated = extents - need * stripes;
	while (lv->n_segs > orig_segs) {
		struct md_seg *s = &lv->segs[--lv->n_segs];
		md_seg_type_free(s->type);
		free(s->areas);
	}
out:
	for (size_t i = 0; f && i < nf; i++)
		free(f[i].r);
	free(f);
	free(p);
	return r;
}

int md_lv_extend_striped(struct md_vg *vg, struct md_lv *lv, uint32_t extents, uint32_t stripes,
			 uint32_t stripe_size, struct md_pv *const *pvs, size_t n_pvs,
			 uint32_t *ret_allocated)
{
	return extend_striped(vg, lv, extents, stripes, stripe_size, pvs, n_pvs, ret_allocated,
			      false);
}

int md_lv_extend_striped_first(struct md_vg *vg, struct md_lv *lv, uint32_t extents,
			       uint32_t stripes, uint32_t stripe_size, struct md_pv *const *pvs,
			       size_t n_pvs, uint32_t *ret_allocated)
{
	if (lv->n_segs)
		return -EINVAL;
	return extend_striped(vg, lv, extents, stripes, stripe_size, pvs, n_pvs, ret_allocated,
			      true);
}
