/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid1 LVs as lvm2 2.03 lays them out (docs/raid1.md): the visible LV has one segment of type
 * "raid1" naming N image LVs NAME_rimage_K and N metadata LVs NAME_rmeta_K (one extent each,
 * the dm-raid superblock and bitmap). lvm2 allocates each image's metadata and data together,
 * as parallel areas on distinct PVs (like stripes), and splits every area: its first extent is
 * the metadata LV, the rest the image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

bool md_lv_is_raid(const struct md_lv *lv)
{
	return lv->n_segs && lv->segs[0].kind == MD_SEG_RAID;
}

/* "NAME_rimage_K" / "NAME_rmeta_K": the length of NAME, *k and *meta; 0 if not such a name */
static size_t sub_name(const char *s, uint32_t *k, bool *meta)
{
	const char *u = strrchr(s, '_'), *t;
	char *end;
	unsigned long v;

	if (!u || u == s || !u[1])
		return 0;
	v = strtoul(u + 1, &end, 10);
	if (*end || v >= MD_RAID1_MAX_IMAGES * 10)
		return 0;
	for (t = u - 1; t > s && *t != '_'; t--)
		;
	if (*t != '_')
		return 0;
	if ((size_t)(u - t) == 7 && !strncmp(t, "_rimage", 7))
		*meta = false;
	else if ((size_t)(u - t) == 6 && !strncmp(t, "_rmeta", 6))
		*meta = true;
	else
		return 0;
	*k = (uint32_t)v;
	return (size_t)(t - s);
}

struct md_lv *md_lv_raid_of(const struct md_vg *vg, const struct md_lv *lv, uint32_t *ret_idx,
			    bool *ret_meta)
{
	uint32_t k;
	bool meta;
	size_t n = sub_name(lv->name, &k, &meta);
	char top[256];
	struct md_lv *r;

	if (!n || md_lv_is_visible(lv) || n >= sizeof(top))
		return NULL;
	memcpy(top, lv->name, n);
	top[n] = '\0';
	r = md_vg_find_lv(vg, top);
	if (!r || !md_lv_is_raid(r) || k >= r->segs[0].stripe_count)
		return NULL;
	if ((meta ? (r->segs[0].meta_areas ? r->segs[0].meta_areas[k].lv : NULL)
		  : r->segs[0].areas[k].lv) != lv)
		return NULL;
	if (ret_idx)
		*ret_idx = k;
	if (ret_meta)
		*ret_meta = meta;
	return r;
}

/* Append a linear segment (@len extents at @start of @pv) to @lv, merged with its last. */
static int add_linear(struct md_lv *lv, struct md_pv *pv, uint32_t start, uint32_t len)
{
	int r = md_lv_add_linear_seg(lv, pv, start, len);

	if (r == 0)
		md_lv_merge_segments(lv);
	return r;
}

static int sub_new(struct md_vg *vg, const char *name, const char *sfx, uint32_t k, const char *id,
		   struct md_lv **ret)
{
	char n[256];
	int r;

	if ((size_t)snprintf(n, sizeof(n), "%s_%s_%u", name, sfx, k) >= sizeof(n))
		return -ENAMETOOLONG;
	if (md_vg_find_lv(vg, n))
		return -EEXIST;
	r = md_lv_new(vg, n, id, MD_LV_READ | MD_LV_WRITE, ret);
	return r;
}

int md_raid1_create(struct md_vg *vg, const char *name, const char (*ids)[MD_ID_LEN + 1],
		    uint32_t extents, const struct md_raid_params *rp, struct md_pv *const *pvs,
		    size_t n_pvs, uint32_t *ret_allocated, struct md_lv **ret)
{
	uint32_t n = rp->images;
	struct md_lv *tmp = NULL, *lv = NULL, *subs[2 * MD_RAID1_MAX_IMAGES] = { 0 };
	struct md_seg *seg;
	char tmpname[64];
	uint32_t got = 0;
	int r;

	if (n < 2 || n > MD_RAID1_MAX_IMAGES || extents == 0)
		return -EINVAL;
	if ((uint64_t)extents + 1 > UINT32_MAX / n)
		return -ERANGE;
	if (md_vg_find_lv(vg, name))
		return -EEXIST;
	/* the parallel areas, on a scratch LV: n stripes of 1 + extents */
	snprintf(tmpname, sizeof(tmpname), "raid1_alloc_%u", vg->seqno);
	if ((r = md_lv_new(vg, tmpname, ids[0], MD_LV_READ, &tmp)) < 0)
		return r;
	r = md_lv_extend_striped(vg, tmp, n * (extents + 1), n, 0, pvs, n_pvs, &got);
	if (r < 0) {
		if (ret_allocated)
			*ret_allocated = r == -ENOSPC && got / n > 0 ? got / n - 1 : 0;
		goto fail;
	}
	if ((r = md_lv_new(vg, name, ids[0], MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv)) < 0)
		goto fail;
	if (rp->nosync)
		lv->status |= MD_LV_NOTSYNCED;
	/* lvm2's list order: NAME_rimage_0, NAME_rmeta_0, NAME_rimage_1, ... */
	for (uint32_t k = 0; k < n; k++) {
		if ((r = sub_new(vg, name, "rimage", k, ids[2 + 2 * k], &subs[2 * k + 1])) < 0 ||
		    (r = sub_new(vg, name, "rmeta", k, ids[1 + 2 * k], &subs[2 * k])) < 0)
			goto fail;
	}
	/* split every area: its first extent is the metadata LV, the rest the image */
	for (size_t s = 0; s < tmp->n_segs; s++) {
		const struct md_seg *ts = &tmp->segs[s];
		uint32_t len = ts->extent_count / n;
		for (uint32_t k = 0; k < n; k++) {
			struct md_pv *pv = ts->areas[k].pv;
			uint32_t start = ts->areas[k].start, l = len;
			if (md_lv_extents(subs[2 * k]) == 0) {
				if ((r = add_linear(subs[2 * k], pv, start, 1)) < 0)
					goto fail;
				start++;
				l--;
			}
			if (l && (r = add_linear(subs[2 * k + 1], pv, start, l)) < 0)
				goto fail;
		}
	}
	if ((r = md_lv_remove(vg, tmp)) < 0)
		goto fail;
	tmp = NULL;
	if (!(lv->segs = calloc(1, sizeof(*lv->segs)))) {
		r = -ENOMEM;
		goto fail;
	}
	lv->n_segs = 1;
	seg = &lv->segs[0];
	seg->kind = MD_SEG_RAID;
	seg->extent_count = extents;
	seg->stripe_count = n;
	seg->region_size = rp->region_size;
	seg->type = strdup("raid1");
	seg->areas = calloc(n, sizeof(*seg->areas));
	seg->meta_areas = calloc(n, sizeof(*seg->meta_areas));
	if (!seg->type || !seg->areas || !seg->meta_areas) {
		r = -ENOMEM;
		goto fail;
	}
	for (uint32_t k = 0; k < n; k++) {
		seg->meta_areas[k].lv = subs[2 * k];
		seg->areas[k].lv = subs[2 * k + 1];
	}
	md_vg_index_drop(vg);
	*ret = lv;
	return 0;
fail:
	if (lv) {
		lv->n_segs = 0; /* the segment (if any) refers to the sub-LVs: drop it first */
		md_seg_type_free(lv->segs ? lv->segs[0].type : NULL);
		free(lv->segs ? lv->segs[0].areas : NULL);
		free(lv->segs ? lv->segs[0].meta_areas : NULL);
		free(lv->segs);
		lv->segs = NULL;
		md_lv_remove(vg, lv);
	}
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		if (subs[i])
			md_lv_remove(vg, subs[i]);
	if (tmp)
		md_lv_remove(vg, tmp);
	return r;
}

static bool uses_pv(const struct md_lv *lv, const struct md_pv *pv)
{
	for (size_t s = 0; s < lv->n_segs; s++)
		for (uint32_t a = 0; a < lv->segs[s].stripe_count; a++)
			if (lv->segs[s].areas[a].pv == pv)
				return true;
	return false;
}

/* Is @pv used by an image or metadata LV of @lv other than image @k? */
static bool pv_of_other(const struct md_lv *lv, uint32_t k, const struct md_pv *pv)
{
	const struct md_seg *rs = &lv->segs[0];

	for (uint32_t i = 0; i < rs->stripe_count; i++) {
		const struct md_lv *subs[2] = { rs->areas[i].lv,
						rs->meta_areas ? rs->meta_areas[i].lv : NULL };
		if (i == k)
			continue;
		for (size_t j = 0; j < 2; j++)
			for (size_t s = 0; subs[j] && s < subs[j]->n_segs; s++)
				for (uint32_t a = 0; a < subs[j]->segs[s].stripe_count; a++)
					if (subs[j]->segs[s].areas[a].pv == pv)
						return true;
	}
	return false;
}

int md_raid_extend(struct md_vg *vg, struct md_lv *lv, uint32_t extents, struct md_pv *const *pvs,
		   size_t n_pvs)
{
	struct md_seg *rs;
	uint32_t n, k;
	size_t orig[MD_RAID1_MAX_IMAGES] = { 0 };
	struct md_pv **cand = NULL;
	int r = 0;

	if (!md_lv_is_raid(lv) || extents == 0)
		return -EINVAL;
	rs = &lv->segs[0];
	n = rs->stripe_count;
	if (n > MD_RAID1_MAX_IMAGES)
		return -EINVAL;
	if ((uint64_t)rs->extent_count + extents > UINT32_MAX)
		return -ERANGE;
	if (!(cand = calloc(vg->n_pvs ? vg->n_pvs : 1, sizeof(*cand))))
		return -ENOMEM;
	for (k = 0; k < n; k++)
		orig[k] = rs->areas[k].lv->n_segs;
	for (k = 0; k < n; k++) {
		struct md_lv *img = rs->areas[k].lv;
		size_t nc = 0, nown = 0;
		/* the PVs this image may use: given ones (or all) that no other image uses; the
		 * image's own PVs first (lvm2 measured: the image grows on its PV while it has
		 * room), then any of them */
		for (size_t i = 0; i < (n_pvs ? n_pvs : vg->n_pvs); i++) {
			struct md_pv *pv = n_pvs ? pvs[i] : vg->pvs[i];
			if (pv_of_other(lv, k, pv))
				continue;
			cand[nc++] = pv;
			if (uses_pv(img, pv)) {
				cand[nc - 1] = cand[nown];
				cand[nown++] = pv;
			}
		}
		r = nown ? md_lv_extend_linear(vg, img, extents, MD_ALLOC_NORMAL, cand, nown)
			 : -ENOSPC;
		if (r == -ENOSPC && nc > nown)
			r = md_lv_extend_linear(vg, img, extents, MD_ALLOC_NORMAL, cand, nc);
		if (r < 0)
			goto undo;
	}
	rs->extent_count += extents;
	goto out;
undo:
	for (uint32_t i = 0; i <= k && i < n; i++) {
		struct md_lv *img = rs->areas[i].lv;
		uint32_t want = rs->extent_count;
		while (img->n_segs > orig[i]) {
			struct md_seg *s = &img->segs[--img->n_segs];
			md_seg_type_free(s->type);
			free(s->areas);
		}
		/* a merged last segment grew in place: cut it back */
		if (img->n_segs && md_lv_extents(img) > want)
			img->segs[img->n_segs - 1].extent_count -= md_lv_extents(img) - want;
	}
out:
	free(cand);
	return r;
}

int md_raid_remove(struct md_vg *vg, struct md_lv *lv)
{
	struct md_lv *subs[2 * MD_RAID1_MAX_IMAGES] = { 0 };
	struct md_seg *rs;
	uint32_t n;
	int r;

	if (!md_lv_is_raid(lv))
		return -EINVAL;
	rs = &lv->segs[0];
	n = MIN(rs->stripe_count, (uint32_t)MD_RAID1_MAX_IMAGES);
	for (uint32_t k = 0; k < n; k++) {
		subs[2 * k] = rs->meta_areas ? rs->meta_areas[k].lv : NULL;
		subs[2 * k + 1] = rs->areas[k].lv;
	}
	if ((r = md_lv_remove(vg, lv)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
		if (subs[i] && (r = md_lv_remove(vg, subs[i])) < 0)
			return r;
	return 0;
}

int md_raid_rename(struct md_vg *vg, struct md_lv *lv, const char *new_name)
{
	struct md_seg *rs;
	char n[256];
	int r;

	if (!md_lv_is_raid(lv))
		return -EINVAL;
	rs = &lv->segs[0];
	/* every new name first: a refused rename changes nothing */
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		if ((size_t)snprintf(n, sizeof(n), "%s_rimage_%u", new_name, k) >= sizeof(n))
			return -ENAMETOOLONG;
		if (md_vg_find_lv(vg, n) || md_name_check(n, NULL) < 0)
			return md_vg_find_lv(vg, n) ? -EEXIST : -EINVAL;
		snprintf(n, sizeof(n), "%s_rmeta_%u", new_name, k);
		if (md_vg_find_lv(vg, n))
			return -EEXIST;
	}
	if ((r = md_lv_rename(vg, lv, new_name)) < 0)
		return r;
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		snprintf(n, sizeof(n), "%s_rimage_%u", new_name, k);
		if ((r = md_lv_rename(vg, rs->areas[k].lv, n)) < 0)
			return r;
		if (rs->meta_areas && rs->meta_areas[k].lv) {
			snprintf(n, sizeof(n), "%s_rmeta_%u", new_name, k);
			if ((r = md_lv_rename(vg, rs->meta_areas[k].lv, n)) < 0)
				return r;
		}
	}
	return 0;
}
