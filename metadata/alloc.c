/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extent allocation, after lvm2's lib/metadata/lv_manip.c for linear LVs: an LV is extended
 * first contiguously after its last segment, then from the largest free areas first
 * ("normal"); "contiguous" needs one area (adjacent to the last segment if there is one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

struct range {
	uint32_t start, len;
};

static int cmp_range_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Free ranges of @pv, sorted by start. Caller frees *ret. */
static int pv_free_ranges(const struct md_vg *vg, const struct md_pv *pv, struct range **ret,
			  size_t *ret_n)
{
	struct range *used = NULL, *fr = NULL;
	size_t nu = 0, cap = 0, nf = 0;
	uint32_t pos = 0;

	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		for (size_t s = 0; s < lv->n_segs; s++) {
			const struct md_seg *seg = &lv->segs[s];
			if (seg->kind != MD_SEG_STRIPED || !seg->stripe_count)
				continue;
			for (uint32_t a = 0; a < seg->stripe_count; a++) {
				if (seg->areas[a].pv != pv)
					continue;
				if (nu == cap) {
					struct range *n;
					cap = cap ? 2 * cap : 16;
					n = realloc(used, cap * sizeof(*n));
					if (!n) {
						free(used);
						return -ENOMEM;
					}
					used = n;
				}
				used[nu].start = seg->areas[a].start;
				used[nu].len = seg->extent_count / seg->stripe_count;
				nu++;
			}
		}
	}
	if (nu)
		qsort(used, nu, sizeof(*used), cmp_range_start);
	fr = calloc(nu + 1, sizeof(*fr));
	if (!fr) {
		free(used);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nu; i++) {
		if (used[i].start > pos)
			fr[nf++] = (struct range){ pos, used[i].start - pos };
		if (used[i].start + used[i].len > pos)
			pos = used[i].start + used[i].len;
	}
	if (pv->pe_count > pos)
		fr[nf++] = (struct range){ pos, pv->pe_count - pos };
	free(used);
	*ret = fr;
	*ret_n = nf;
	return 0;
}

int md_pv_free_ranges(const struct md_vg *vg, const struct md_pv *pv, struct md_range **ret,
		      size_t *ret_n)
{
	struct range *fr = NULL;
	size_t n = 0;
	int r = pv_free_ranges(vg, pv, &fr, &n);

	if (r < 0)
		return r;
	*ret = calloc(n + 1, sizeof(**ret));
	for (size_t i = 0; *ret && i < n; i++)
		(*ret)[i] = (struct md_range){ fr[i].start, fr[i].len };
	free(fr);
	*ret_n = n;
	return *ret ? 0 : -ENOMEM;
}

static bool pv_usable(const struct md_pv *pv, struct md_pv *const *pvs, size_t n_pvs)
{
	if (!(pv->status & MD_PV_ALLOCATABLE) || (pv->status & MD_PV_MISSING))
		return false;
	if (!n_pvs)
		return true;
	for (size_t i = 0; i < n_pvs; i++)
		if (pvs[i] == pv)
			return true;
	return false;
}

uint64_t md_alloc_available(const struct md_vg *vg, struct md_pv *const *pvs, size_t n_pvs)
{
	uint64_t n = 0;
	for (size_t i = 0; i < vg->n_pvs; i++)
		if (pv_usable(vg->pvs[i], pvs, n_pvs))
			n += vg->pvs[i]->pe_count - md_pv_used_extents(vg, vg->pvs[i]);
	return n;
}

struct cand {
	struct md_pv *pv;
	uint32_t start, len;
	size_t pv_index;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1; /* largest first */
	if (x->pv_index != y->pv_index)
		return x->pv_index < y->pv_index ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

int md_lv_add_linear_seg(struct md_lv *lv, struct md_pv *pv, uint32_t pe, uint32_t count)
{
	struct md_seg *segs = realloc(lv->segs, (lv->n_segs + 1) * sizeof(*segs));
	struct md_seg *s;

	if (!segs)
		return -ENOMEM;
	lv->segs = segs;
	s = &segs[lv->n_segs];
	memset(s, 0, sizeof(*s));
	s->type = md_seg_type_striped();
	s->areas = calloc(1, sizeof(*s->areas));
	if (!s->areas)
		return -ENOMEM;
	s->start_extent = md_lv_extents(lv);
	s->extent_count = count;
	s->kind = MD_SEG_STRIPED;
	s->stripe_count = 1;
	s->areas[0].pv = pv;
	s->areas[0].start = pe;
	lv->n_segs++;
	return 0;
}

void md_lv_merge_segments(struct md_lv *lv)
{
	size_t i = 1;

	while (i < lv->n_segs) {
		struct md_seg *a = &lv->segs[i - 1], *b = &lv->segs[i];
		bool ok = a->kind == MD_SEG_STRIPED && b->kind == MD_SEG_STRIPED &&
			  a->stripe_count >= 1 && a->stripe_count == b->stripe_count &&
			  a->stripe_size == b->stripe_size && !a->extra.data && !b->extra.data;
		/* each area continues on its PV: a linear segment's one area, or every stripe */
		for (uint32_t k = 0; ok && k < a->stripe_count; k++)
			ok = a->areas[k].pv && a->areas[k].pv == b->areas[k].pv &&
			     a->areas[k].start + a->extent_count / a->stripe_count ==
				     b->areas[k].start;
		if (!ok) {
			i++;
			continue;
		}
		a->extent_count += b->extent_count;
		md_seg_type_free(b->type);
		free(b->areas);
		memmove(b, b + 1, (lv->n_segs - i - 1) * sizeof(*b));
		lv->n_segs--;
	}
}

int md_lv_extend_linear(struct md_vg *vg, struct md_lv *lv, uint32_t extents,
			enum md_alloc_policy policy, struct md_pv *const *pvs, size_t n_pvs)
{
	struct cand *cands = NULL;
	size_t nc = 0, cap = 0, orig_segs = lv->n_segs;
	struct md_pv *last_pv = NULL;
	uint32_t last_end = 0, need = extents;
	int r = 0;

	if (extents == 0)
		return -EINVAL;
	if ((uint64_t)md_lv_extents(lv) + extents > UINT32_MAX)
		return -ERANGE;
	if (lv->n_segs) {
		const struct md_seg *ls = &lv->segs[lv->n_segs - 1];
		if (ls->kind != MD_SEG_STRIPED || ls->stripe_count != 1 || !ls->areas[0].pv)
			return -EINVAL;
		last_pv = ls->areas[0].pv;
		last_end = ls->areas[0].start + ls->extent_count;
	}
	for (size_t i = 0; i < vg->n_pvs; i++) {
		struct range *fr = NULL;
		size_t nf = 0;
		if (!pv_usable(vg->pvs[i], pvs, n_pvs))
			continue;
		r = pv_free_ranges(vg, vg->pvs[i], &fr, &nf);
		if (r < 0)
			goto out;
		for (size_t k = 0; k < nf; k++) {
			if (nc == cap) {
				struct cand *n;
				cap = cap ? 2 * cap : 16;
				n = realloc(cands, cap * sizeof(*n));
				if (!n) {
					free(fr);
					r = -ENOMEM;
					goto out;
				}
				cands = n;
			}
			cands[nc++] = (struct cand){ vg->pvs[i], fr[k].start, fr[k].len, i };
		}
		free(fr);
	}

	/* Contiguous to the last segment first (both policies prefer it). */
	for (size_t k = 0; last_pv && k < nc; k++) {
		if (cands[k].pv != last_pv || cands[k].start != last_end)
			continue;
		if (policy == MD_ALLOC_CONTIGUOUS && cands[k].len < need)
			break;
		uint32_t take = MIN(need, cands[k].len);
		r = md_lv_add_linear_seg(lv, last_pv, cands[k].start, take);
		if (r < 0)
			goto fail;
		cands[k].start += take;
		cands[k].len -= take;
		need -= take;
		break;
	}
	if (need && policy == MD_ALLOC_CONTIGUOUS) {
		if (last_pv) {
			r = -ENOSPC;
			goto fail;
		}
		/* A new LV: the first (lowest PV, lowest PE) area big enough. */
		for (size_t k = 0; k < nc; k++)
			if (cands[k].len >= need) {
				r = md_lv_add_linear_seg(lv, cands[k].pv, cands[k].start, need);
				if (r < 0)
					goto fail;
				need = 0;
				break;
			}
		if (need) {
			r = -ENOSPC;
			goto fail;
		}
	}
	if (need) {
		uint64_t avail = 0;
		for (size_t k = 0; k < nc; k++)
			avail += cands[k].len;
		if (avail < need) {
			r = -ENOSPC;
			goto fail;
		}
		qsort(cands, nc, sizeof(*cands), cmp_cand);
		for (size_t k = 0; need && k < nc; k++) {
			uint32_t take;
			if (!cands[k].len)
				continue;
			take = MIN(need, cands[k].len);
			r = md_lv_add_linear_seg(lv, cands[k].pv, cands[k].start, take);
			if (r < 0)
				goto fail;
			need -= take;
		}
	}
	md_lv_merge_segments(lv);
	r = 0;
	goto out;
fail:
	while (lv->n_segs > orig_segs) {
		struct md_seg *s = &lv->segs[--lv->n_segs];
		md_seg_type_free(s->type);
		free(s->areas);
	}
out:
	free(cands);
	return r;
}
