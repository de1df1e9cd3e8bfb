/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Derived lookup indexes of a VG, so that name and pool look-ups stay O(1) at tens of
 * thousands of LVs (issue 13): an open-addressing hash of LV names, a map from a pool's
 * _tdata/_tmeta sub-LV to the pool, and maps from an origin to its thin and its COW snapshots.
 * All are caches of what vg->lvs says: built on first use, the name index kept up to date by
 * md_lv_new, and all dropped (md_vg_index_drop) by every change that renames, removes or
 * re-links LVs, so a look-up after that rebuilds from the list. A hit is always checked
 * against the LV itself; the count of indexed LVs is checked against vg->n_lvs, so a list
 * changed behind the model's back cannot return a stale answer for an added or removed LV
 * either.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

/* Snapshots by origin: key origin, value a run of kids[] (the snapshot LVs) in VG order. */
struct kid_map {
	const struct md_lv **keys;
	size_t *start, *n;
	struct md_lv **kids;
	size_t cap;
	size_t lvs; /* vg->n_lvs when built */
	bool valid;
	bool (*is_kid)(const struct md_lv *lv);
};

struct md_vg_index {
	/* names: power-of-two table of LV pointers keyed by name, NULL = empty */
	struct md_lv **names;
	size_t names_cap, names_n;
	bool names_valid;
	/* pool sub-LVs: key sub-LV, value pool (parallel arrays) */
	const struct md_lv **sub_keys;
	struct md_lv **sub_pools;
	size_t sub_cap;
	size_t sub_lvs; /* vg->n_lvs when built */
	bool sub_valid;
	/* snapshots by origin: thin snapshots, and the hidden snapshotN LVs of COW snapshots */
	struct kid_map thin, cow;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ^ (h >> 29);
}

static uint64_t hash_ptr(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 31);
}

static bool is_thin_snapshot(const struct md_lv *lv)
{
	return md_lv_is_thin(lv) && lv->segs[0].origin;
}

static bool is_cow_snapshot(const struct md_lv *lv)
{
	return md_lv_is_snapshot(lv) && lv->segs[0].origin && lv->segs[0].cow;
}

static struct md_vg_index *idx_get(struct md_vg *vg)
{
	if (!vg->idx && (vg->idx = calloc(1, sizeof(*vg->idx)))) {
		vg->idx->thin.is_kid = is_thin_snapshot;
		vg->idx->cow.is_kid = is_cow_snapshot;
	}
	return vg->idx;
}

static void kid_map_free(struct kid_map *m)
{
	free(m->keys);
	free(m->start);
	free(m->n);
	free(m->kids);
}

void md_vg_index_drop(struct md_vg *vg)
{
	if (!vg->idx)
		return;
	vg->idx->names_valid = false;
	vg->idx->sub_valid = false;
	vg->idx->thin.valid = false;
	vg->idx->cow.valid = false;
}

void md_vg_index_free(struct md_vg *vg)
{
	if (!vg->idx)
		return;
	free(vg->idx->names);
	free(vg->idx->sub_keys);
	free(vg->idx->sub_pools);
	kid_map_free(&vg->idx->thin);
	kid_map_free(&vg->idx->cow);
	free(vg->idx);
	vg->idx = NULL;
}

static size_t cap_for(size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n + 2)
		cap *= 2;
	return cap;
}

static void names_put(struct md_vg_index *x, struct md_lv *lv)
{
	size_t m = x->names_cap - 1, i = hash_str(lv->name) & m;
	while (x->names[i])
		i = (i + 1) & m;
	x->names[i] = lv;
	x->names_n++;
}

/* The table for @want LVs (cap_for), or of @cap entries when @cap is not 0. */
static int names_build(struct md_vg *vg, struct md_vg_index *x, size_t want, size_t cap)
{
	struct md_lv **t;

	if (!cap)
		cap = cap_for(want);
	t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	free(x->names);
	x->names = t;
	x->names_cap = cap;
	x->names_n = 0;
	for (size_t i = 0; i < vg->n_lvs; i++)
		names_put(x, vg->lvs[i]);
	x->names_valid = true;
	return 0;
}

/* The index is usable when built and covering exactly vg->n_lvs LVs. */
static struct md_vg_index *names_ready(const struct md_vg *cvg)
{
	struct md_vg *vg = (struct md_vg *)cvg; /* the index is a cache, not VG state */
	struct md_vg_index *x = idx_get(vg);

	if (!x)
		return NULL;
	if (x->names_valid && x->names_n == vg->n_lvs)
		return x;
	return names_build(vg, x, vg->n_lvs, 0) < 0 ? NULL : x;
}

struct md_lv *md_vg_index_find_lv(const struct md_vg *vg, const char *name)
{
	struct md_vg_index *x = names_ready(vg);
	size_t m, i;

	if (!x) { /* out of memory: the plain scan still answers */
		for (size_t k = 0; k < vg->n_lvs; k++)
			if (streq(vg->lvs[k]->name, name))
				return vg->lvs[k];
		return NULL;
	}
	m = x->names_cap - 1;
	for (i = hash_str(name) & m; x->names[i]; i = (i + 1) & m)
		if (streq(x->names[i]->name, name))
			return x->names[i];
	return NULL;
}

void md_vg_index_added(struct md_vg *vg, struct md_lv *lv)
{
	struct md_vg_index *x = vg->idx;

	if (!x)
		return;
	x->sub_valid = false;
	x->thin.valid = false;
	x->cow.valid = false;
	if (!x->names_valid || x->names_n + 1 != vg->n_lvs)
		return (void)(x->names_valid = false);
	if (2 * (x->names_n + 1) + 2 > x->names_cap) {
		/* twice the entries: at most half full, a quarter just after growing */
		if (names_build(vg, x, vg->n_lvs, 2 * x->names_cap) < 0)
			x->names_valid = false;
		return;
	}
	names_put(x, lv);
}

static void sub_put(struct md_vg_index *x, const struct md_lv *sub, struct md_lv *pool)
{
	size_t m = x->sub_cap - 1, i = hash_ptr(sub) & m;
	while (x->sub_keys[i] && x->sub_keys[i] != sub)
		i = (i + 1) & m;
	if (!x->sub_keys[i]) /* first pool naming a sub-LV wins, as the list scan did */
		x->sub_keys[i] = sub, x->sub_pools[i] = pool;
}

static int sub_build(struct md_vg *vg, struct md_vg_index *x)
{
	size_t pools = 0, cap;

	for (size_t i = 0; i < vg->n_lvs; i++)
		pools += md_lv_is_thin_pool(vg->lvs[i]);
	cap = cap_for(2 * pools);
	free(x->sub_keys);
	free(x->sub_pools);
	x->sub_keys = calloc(cap, sizeof(*x->sub_keys));
	x->sub_pools = calloc(cap, sizeof(*x->sub_pools));
	if (!x->sub_keys || !x->sub_pools) {
		x->sub_valid = false;
		return -ENOMEM;
	}
	x->sub_cap = cap;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *p = vg->lvs[i];
		if (!md_lv_is_thin_pool(p))
			continue;
		if (p->segs[0].pool_data)
			sub_put(x, p->segs[0].pool_data, p);
		if (p->segs[0].pool_meta)
			sub_put(x, p->segs[0].pool_meta, p);
	}
	x->sub_lvs = vg->n_lvs;
	x->sub_valid = true;
	return 0;
}

struct md_lv *md_vg_index_pool_of(const struct md_vg *cvg, const struct md_lv *lv)
{
	struct md_vg *vg = (struct md_vg *)cvg;
	struct md_vg_index *x = idx_get(vg);
	size_t m, i;

	if (!x || ((!x->sub_valid || x->sub_lvs != vg->n_lvs) && sub_build(vg, x) < 0)) {
		for (size_t k = 0; k < vg->n_lvs; k++) {
			struct md_lv *p = vg->lvs[k];
			if (md_lv_is_thin_pool(p) &&
			    (p->segs[0].pool_data == lv || p->segs[0].pool_meta == lv))
				return p;
		}
		return NULL;
	}
	m = x->sub_cap - 1;
	for (i = hash_ptr(lv) & m; x->sub_keys[i]; i = (i + 1) & m)
		if (x->sub_keys[i] == lv) {
			struct md_lv *p = x->sub_pools[i];
			/* re-check: a pool re-linked without a drop must not answer */
			if (md_lv_is_thin_pool(p) &&
			    (p->segs[0].pool_data == lv || p->segs[0].pool_meta == lv))
				return p;
			x->sub_valid = false;
			return md_vg_index_pool_of(vg, lv);
		}
	return NULL;
}

static size_t kid_slot(const struct kid_map *x, const struct md_lv *origin)
{
	size_t m = x->cap - 1, i = hash_ptr(origin) & m;
	while (x->keys[i] && x->keys[i] != origin)
		i = (i + 1) & m;
	return i;
}

static int kid_build(struct md_vg *vg, struct kid_map *x)
{
	size_t n = 0, cap, at = 0;

	for (size_t i = 0; i < vg->n_lvs; i++)
		n += x->is_kid(vg->lvs[i]);
	cap = cap_for(n);
	kid_map_free(x);
	x->keys = calloc(cap, sizeof(*x->keys));
	x->start = calloc(cap, sizeof(*x->start));
	x->n = calloc(cap, sizeof(*x->n));
	x->kids = calloc(n + 1, sizeof(*x->kids));
	x->valid = false;
	if (!x->keys || !x->start || !x->n || !x->kids)
		return -ENOMEM;
	x->cap = cap;
	for (size_t i = 0; i < vg->n_lvs; i++)
		if (x->is_kid(vg->lvs[i])) {
			size_t k = kid_slot(x, vg->lvs[i]->segs[0].origin);
			x->keys[k] = vg->lvs[i]->segs[0].origin;
			x->n[k]++;
		}
	for (size_t k = 0; k < cap; k++) {
		x->start[k] = at;
		at += x->n[k];
		x->n[k] = 0;
	}
	for (size_t i = 0; i < vg->n_lvs; i++)
		if (x->is_kid(vg->lvs[i])) {
			size_t k = kid_slot(x, vg->lvs[i]->segs[0].origin);
			x->kids[x->start[k] + x->n[k]++] = vg->lvs[i];
		}
	x->lvs = vg->n_lvs;
	x->valid = true;
	return 0;
}

/* The snapshots of @origin in @x: *ret (borrowed) and their count *ret_n; 0, or -ENOMEM when
 * the map cannot be built. */
static int kid_find(struct md_vg *vg, struct kid_map *x, const struct md_lv *origin,
		    struct md_lv *const **ret, size_t *ret_n)
{
	size_t k, n;

	*ret = NULL;
	*ret_n = 0;
	if ((!x->valid || x->lvs != vg->n_lvs) && kid_build(vg, x) < 0)
		return -ENOMEM;
	k = kid_slot(x, origin);
	if (x->keys[k] != origin)
		return 0;
	n = x->n[k];
	for (size_t i = 0; i < n; i++) /* re-check: a snapshot re-linked without a drop */
		if (!x->is_kid(x->kids[x->start[k] + i]) ||
		    x->kids[x->start[k] + i]->segs[0].origin != origin) {
			x->valid = false;
			return kid_find(vg, x, origin, ret, ret_n);
		}
	*ret = x->kids + x->start[k];
	*ret_n = n;
	return 0;
}

size_t md_vg_index_thin_children(const struct md_vg *cvg, const struct md_lv *origin,
				 struct md_lv *const **ret)
{
	struct md_vg *vg = (struct md_vg *)cvg;
	struct md_vg_index *x = idx_get(vg);
	size_t n;

	*ret = NULL;
	if (!x || kid_find(vg, &x->thin, origin, ret, &n) < 0)
		return 0; /* out of memory: the report shows no descendants rather than failing */
	return n;
}

int md_vg_index_cow_snapshots(const struct md_vg *cvg, const struct md_lv *origin,
			      struct md_lv *const **ret, size_t *n)
{
	struct md_vg *vg = (struct md_vg *)cvg;
	struct md_vg_index *x = idx_get(vg);

	*ret = NULL;
	*n = 0;
	return x ? kid_find(vg, &x->cow, origin, ret, n) : -ENOMEM;
}
