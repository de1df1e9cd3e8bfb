/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Thin pools and thin volumes: conversion, pmspare, device ids, queued messages and the
 * transaction id (lvm2 lib/thin, lib/metadata/thin_manip.c semantics; see
 * ../shared/docs/lvm2-format.md 4.9-4.11).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

int64_t md_threshold_clamp(int64_t threshold)
{
	return threshold < 50 ? 50 : threshold; /* as lvm2 (thin_pool_autoextend_threshold) */
}

uint64_t md_pool_low_water_mark(uint64_t data_sectors, uint32_t chunk, int64_t threshold)
{
	if (threshold >= 100 || chunk == 0)
		return 0;
	threshold = md_threshold_clamp(threshold);
	return (data_sectors / chunk) * (uint64_t)(100 - threshold) / 100;
}

int md_pool_estimate(uint64_t data_sectors, uint32_t chunk_in, uint64_t meta_in,
		     uint32_t *ret_chunk, uint64_t *ret_meta_sectors)
{
	uint64_t chunk = chunk_in ? chunk_in : MD_THIN_MIN_CHUNK;
	uint64_t md;

	if (meta_in) {
		md = meta_in;
		if (!chunk_in) {
			uint64_t c = data_sectors / (md * 8);
			if (c > 2047)
				c = ROUND_UP(c, 2048);
			else {
				uint64_t p = 1;
				while (p < c)
					p <<= 1;
				c = p;
			}
			chunk = MIN(MAX(c, MD_THIN_MIN_CHUNK), MD_THIN_MAX_CHUNK);
		}
	} else {
		md = data_sectors / (chunk * 8);
		if (!chunk_in)
			while (md > MD_THIN_OPTIMAL_META && chunk < MD_THIN_MAX_CHUNK) {
				chunk *= 2;
				md /= 2;
			}
	}
	if (chunk > data_sectors && data_sectors)
		return -EINVAL;
	*ret_chunk = (uint32_t)chunk;
	*ret_meta_sectors = md;
	return 0;
}

struct md_lv *md_vg_pmspare(const struct md_vg *vg)
{
	for (size_t i = 0; i < vg->n_lvs; i++)
		if (md_lv_is_pmspare(vg->lvs[i]))
			return vg->lvs[i];
	return NULL;
}

struct md_lv *md_pool_data(const struct md_lv *pool)
{
	return md_lv_is_thin_pool(pool) ? pool->segs[0].pool_data : NULL;
}

struct md_lv *md_pool_meta(const struct md_lv *pool)
{
	return md_lv_is_thin_pool(pool) ? pool->segs[0].pool_meta : NULL;
}

/* Largest _tmeta in the VG, capped as lvm2 caps the spare. */
static uint32_t spare_extents_needed(const struct md_vg *vg)
{
	uint32_t need = 0, cap = (uint32_t)DIV_ROUND_UP(MD_PMSPARE_MAX, vg->extent_size);
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *m = md_pool_meta(vg->lvs[i]);
		if (m)
			need = MAX(need, md_lv_extents(m));
	}
	return MIN(need, cap);
}

/* Create or extend the pmspare to the largest pool metadata; -ENOSPC leaves it as it was. */
static int pmspare_ensure(struct md_vg *vg, const char *spare_id)
{
	struct md_lv *spare = md_vg_pmspare(vg);
	uint32_t need = spare_extents_needed(vg), have;
	char name[32];
	int r;

	if (!need)
		return 0;
	if (!spare) {
		unsigned n = 0;
		do
			snprintf(name, sizeof(name), "lvol%u_pmspare", n++);
		while (md_vg_find_lv(vg, name));
		r = md_lv_new(vg, name, spare_id, MD_LV_READ | MD_LV_WRITE, &spare);
		if (r < 0)
			return r;
		r = md_lv_extend_linear(vg, spare, need, MD_ALLOC_NORMAL, NULL, 0);
		if (r < 0) {
			md_lv_remove(vg, spare);
			return r;
		}
		return 0;
	}
	have = md_lv_extents(spare);
	if (have >= need)
		return 0;
	return md_lv_extend_linear(vg, spare, need - have, MD_ALLOC_NORMAL, NULL, 0);
}

int md_pool_convert(struct md_vg *vg, struct md_lv *data, struct md_lv *meta, const char *pool_id,
		    const char *spare_id, const struct md_pool_params *p, struct md_lv **ret_pool)
{
	_cleanup_free_ char *pool_name = NULL, *tdata = NULL, *tmeta = NULL;
	struct md_lv *pool = NULL;
	struct md_seg *seg;
	size_t data_idx, n;
	int r;

	if (data == meta || md_lv_is_thin_pool(data) || md_lv_is_thin_pool(meta) ||
	    md_lv_is_thin(data) || md_lv_is_thin(meta) || md_lv_pool_of(vg, data) ||
	    md_lv_pool_of(vg, meta))
		return -EINVAL;
	if (p->chunk_size < MD_THIN_MIN_CHUNK || p->chunk_size > MD_THIN_MAX_CHUNK ||
	    p->chunk_size % MD_THIN_MIN_CHUNK)
		return -EINVAL;
	if ((uint64_t)md_lv_extents(meta) * vg->extent_size < MD_THIN_MIN_META)
		return -ENOSPC;
	pool_name = strdup(data->name);
	if (!pool_name || asprintf(&tdata, "%s_tdata", data->name) < 0 ||
	    asprintf(&tmeta, "%s_tmeta", data->name) < 0)
		return -ENOMEM;
	if (md_vg_find_lv(vg, tdata) || md_vg_find_lv(vg, tmeta))
		return -EEXIST;

	/* The pool LV takes the data LV's place in the list (lvm2 writes it first). */
	for (data_idx = 0; vg->lvs[data_idx] != data; data_idx++)
		;
	r = md_lv_set_str(&data->name, tdata);
	md_vg_index_drop(vg);
	if (r < 0)
		return r;
	r = md_lv_new(vg, pool_name, pool_id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &pool);
	if (r < 0)
		goto undo_name;
	seg = calloc(1, sizeof(*seg));
	if (!seg || !(seg->type = strdup("thin-pool"))) {
		free(seg);
		r = -ENOMEM;
		goto undo_pool;
	}
	seg->kind = MD_SEG_THIN_POOL;
	seg->extent_count = md_lv_extents(data);
	seg->pool_data = data;
	seg->pool_meta = meta;
	seg->chunk_size = p->chunk_size;
	seg->zero_new_blocks = p->zero;
	seg->discards = p->discards;
	pool->segs = seg;
	pool->n_segs = 1;
	pool->has_creation = data->has_creation;
	pool->creation_time = data->creation_time;
	if (data->creation_host && (r = md_lv_set_str(&pool->creation_host, data->creation_host)) < 0)
		goto undo_pool;
	/* move pool from the end to data's slot; data and meta lose VISIBLE */
	n = vg->n_lvs;
	memmove(&vg->lvs[data_idx + 1], &vg->lvs[data_idx], (n - 1 - data_idx) * sizeof(*vg->lvs));
	vg->lvs[data_idx] = pool;
	r = md_lv_set_str(&meta->name, tmeta);
	md_vg_index_drop(vg);
	if (r < 0)
		goto undo_order;
	data->status &= ~MD_LV_VISIBLE;
	meta->status &= ~MD_LV_VISIBLE;
	if (p->make_spare) {
		r = pmspare_ensure(vg, spare_id);
		if (r < 0) {
			/* lvm2 goes on without a spare when the VG has no room; so do we */
			if (r != -ENOSPC)
				goto undo_order;
		}
	}
	md_vg_index_drop(vg);
	*ret_pool = pool;
	return 0;

undo_order:
	memmove(&vg->lvs[data_idx], &vg->lvs[data_idx + 1], (n - 1 - data_idx) * sizeof(*vg->lvs));
	vg->lvs[n - 1] = pool;
undo_pool:
	md_lv_remove(vg, pool);
undo_name:
	md_lv_set_str(&data->name, pool_name);
	md_vg_index_drop(vg);
	return r;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int md_pool_free_device_id(const struct md_vg *vg, const struct md_lv *pool, const uint32_t *taken,
			   size_t n_taken, uint32_t *ret)
{
	_cleanup_free_ uint32_t *ids = NULL;
	size_t n = 0, cap = n_taken + pool->segs[0].n_msgs;
	uint32_t want = 1;

	for (size_t i = 0; i < vg->n_lvs; i++)
		cap += md_lv_is_thin(vg->lvs[i]);
	ids = malloc((cap ? cap : 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		if (md_lv_is_thin(lv) && lv->segs[0].thin_pool == pool)
			ids[n++] = lv->segs[0].device_id;
	}
	/* a deleted id is not reused while its delete is queued */
	for (size_t m = 0; m < pool->segs[0].n_msgs; m++)
		if (pool->segs[0].msgs[m].kind == MD_MSG_DELETE)
			ids[n++] = pool->segs[0].msgs[m].device_id;
	for (size_t t = 0; t < n_taken; t++)
		ids[n++] = taken[t];
	qsort(ids, n, sizeof(*ids), cmp_u32);
	/* the lowest hole from 1 (lvm2 takes max + 1 and gives up at 2^24) */
	for (size_t i = 0; i < n && ids[i] <= want; i++)
		if (ids[i] == want)
			want++;
	if (want > MD_THIN_MAX_DEVICE_ID)
		return -ENOSPC;
	*ret = want;
	return 0;
}

int md_pool_next_device_id(const struct md_vg *vg, const struct md_lv *pool, uint32_t *ret)
{
	return md_pool_free_device_id(vg, pool, NULL, 0, ret);
}

static int pool_queue(struct md_lv *pool, struct md_msg msg)
{
	struct md_seg *ps = &pool->segs[0];
	struct md_msg *n = realloc(ps->msgs, (ps->n_msgs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	ps->msgs = n;
	/* one transaction: the tid moves on with the first queued message only */
	if (ps->n_msgs == 0)
		ps->transaction_id++;
	ps->msgs[ps->n_msgs++] = msg;
	return 0;
}

int md_thin_create(struct md_vg *vg, struct md_lv *pool, const char *name, const char *id,
		   uint32_t virt_extents, struct md_lv *origin, struct md_lv **ret)
{
	uint32_t dev_id;
	int r;

	if (!md_lv_is_thin_pool(pool))
		return -EINVAL;
	r = md_pool_next_device_id(vg, pool, &dev_id);
	if (r < 0)
		return r;
	return md_thin_create_id(vg, pool, name, id, virt_extents, origin, dev_id, ret);
}

int md_thin_create_id(struct md_vg *vg, struct md_lv *pool, const char *name, const char *id,
		      uint32_t virt_extents, struct md_lv *origin, uint32_t dev_id,
		      struct md_lv **ret)
{
	struct md_lv *lv = NULL;
	struct md_seg *seg;
	int r;

	if (!md_lv_is_thin_pool(pool) ||
	    (origin && (!md_lv_is_thin(origin) || origin->segs[0].thin_pool != pool)))
		return -EINVAL;
	if (virt_extents == 0 || dev_id > MD_THIN_MAX_DEVICE_ID)
		return -EINVAL;
	if (md_thin_by_device_id(vg, pool, dev_id))
		return -EEXIST;
	r = md_lv_new(vg, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv);
	if (r < 0)
		return r;
	seg = calloc(1, sizeof(*seg));
	if (!seg || !(seg->type = strdup("thin"))) {
		free(seg);
		md_lv_remove(vg, lv);
		return -ENOMEM;
	}
	seg->kind = MD_SEG_THIN;
	seg->extent_count = virt_extents;
	seg->thin_pool = pool;
	seg->origin = origin;
	seg->device_id = dev_id;
	seg->transaction_id = pool->segs[0].transaction_id;
	lv->segs = seg;
	lv->n_segs = 1;
	if (origin)
		lv->flags |= MD_LVF_ACTIVATION_SKIP;
	r = pool_queue(pool, (struct md_msg){ .kind = MD_MSG_CREATE, .lv = lv });
	if (r < 0) {
		md_lv_remove(vg, lv);
		return r;
	}
	*ret = lv;
	return 0;
}

int md_thin_remove(struct md_vg *vg, struct md_lv *thin)
{
	struct md_lv *pool;
	int r;

	if (!md_lv_is_thin(thin))
		return -EINVAL;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *o = vg->lvs[i];
		if (!md_lv_is_thin(o))
			continue;
		if (o->segs[0].origin == thin)
			o->segs[0].origin = NULL;
		if (o->segs[0].merge == thin)
			o->segs[0].merge = NULL;
	}
	pool = thin->segs[0].thin_pool;
	/* a create still queued for this LV cancels out instead of queueing a delete */
	for (size_t m = 0; m < pool->segs[0].n_msgs; m++)
		if (pool->segs[0].msgs[m].kind == MD_MSG_CREATE && pool->segs[0].msgs[m].lv == thin)
			return -EBUSY;
	r = pool_queue(pool, (struct md_msg){ .kind = MD_MSG_DELETE,
					      .device_id = thin->segs[0].device_id });
	if (r < 0)
		return r;
	thin->segs[0].thin_pool = NULL;
	r = md_lv_remove(vg, thin);
	if (r < 0) {
		thin->segs[0].thin_pool = pool;
		pool->segs[0].n_msgs--;
		if (pool->segs[0].n_msgs == 0)
			pool->segs[0].transaction_id--;
	}
	return r;
}

void md_pool_clear_messages(struct md_lv *pool)
{
	if (!md_lv_is_thin_pool(pool))
		return;
	free(pool->segs[0].msgs);
	pool->segs[0].msgs = NULL;
	pool->segs[0].n_msgs = 0;
}

int md_pool_extend_data(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
			enum md_alloc_policy policy)
{
	struct md_lv *data = md_pool_data(pool);
	const struct md_seg *ls;
	int r;

	if (!data || pool->n_segs != 1 || !data->n_segs)
		return -EINVAL;
	ls = &data->segs[data->n_segs - 1];
	if (ls->kind == MD_SEG_STRIPED && ls->stripe_count > 1) {
		uint64_t n = ROUND_UP((uint64_t)extents, ls->stripe_count);
		if (n > UINT32_MAX)
			return -ERANGE;
		return md_pool_extend_data_striped(vg, pool, (uint32_t)n, ls->stripe_count,
						   ls->stripe_size, NULL);
	}
	r = md_lv_extend_linear(vg, data, extents, policy, NULL, 0);
	if (r < 0)
		return r;
	pool->segs[0].extent_count = md_lv_extents(data);
	return 0;
}

int md_pool_extend_data_striped(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
				uint32_t stripes, uint32_t stripe_size, uint32_t *ret_allocated)
{
	struct md_lv *data = md_pool_data(pool);
	int r;

	if (!data || pool->n_segs != 1)
		return -EINVAL;
	r = md_lv_extend_striped(vg, data, extents, stripes, stripe_size, NULL, 0, ret_allocated);
	if (r < 0)
		return r;
	pool->segs[0].extent_count = md_lv_extents(data);
	return 0;
}

int md_pool_extend_meta(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
			enum md_alloc_policy policy)
{
	struct md_lv *meta = md_pool_meta(pool);
	uint64_t max = DIV_ROUND_UP(MD_THIN_MAX_META, vg->extent_size);
	struct md_lv *spare;
	int r;

	if (!meta)
		return -EINVAL;
	if (md_lv_extents(meta) + (uint64_t)extents > max)
		return -ERANGE;
	r = md_lv_extend_linear(vg, meta, extents, policy, NULL, 0);
	if (r < 0)
		return r;
	/* keep the spare at least as large, as lvm2 does, when there is room */
	spare = md_vg_pmspare(vg);
	if (spare && md_lv_extents(spare) < md_lv_extents(meta))
		(void)md_lv_extend_linear(vg, spare, md_lv_extents(meta) - md_lv_extents(spare),
					  MD_ALLOC_NORMAL, NULL, 0);
	return 0;
}

int md_vg_validate(const struct md_vg *vg, char *reason, size_t reason_len)
{
	int r = md_vg_check_overlaps(vg, reason, reason_len);

	if (r < 0)
		return r;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		uint32_t next = 0;

		for (size_t s = 0; s < lv->n_segs; s++) {
			const struct md_seg *seg = &lv->segs[s];
			if (seg->start_extent != next) {
				snprintf(reason, reason_len,
					 "LV %s: segment %zu starts at extent %u, expected %u",
					 lv->name, s + 1, seg->start_extent, next);
				return -EBADMSG;
			}
			if ((uint64_t)next + seg->extent_count > UINT32_MAX) {
				snprintf(reason, reason_len, "LV %s: too many extents", lv->name);
				return -EBADMSG;
			}
			next += seg->extent_count;
			if (seg->kind == MD_SEG_STRIPED) {
				for (uint32_t a = 0; a < seg->stripe_count; a++) {
					const struct md_area *ar = &seg->areas[a];
					uint64_t len = seg->extent_count / seg->stripe_count;
					if (ar->pv && (uint64_t)ar->start + len > ar->pv->pe_count) {
						snprintf(reason, reason_len,
							 "LV %s: segment %zu runs past the end of its PV",
							 lv->name, s + 1);
						return -EBADMSG;
					}
				}
			}
			if (seg->kind == MD_SEG_THIN_POOL) {
				if (lv->n_segs != 1 || !seg->pool_data || !seg->pool_meta) {
					snprintf(reason, reason_len, "thin pool %s is malformed",
						 lv->name);
					return -EBADMSG;
				}
				if (seg->chunk_size < MD_THIN_MIN_CHUNK ||
				    seg->chunk_size > MD_THIN_MAX_CHUNK ||
				    seg->chunk_size % MD_THIN_MIN_CHUNK) {
					snprintf(reason, reason_len,
						 "thin pool %s: chunk_size %u is outside 128..2097152 "
						 "or not a multiple of 128",
						 lv->name, seg->chunk_size);
					return -EBADMSG;
				}
			}
			if (seg->kind == MD_SEG_RAID) {
				bool bad = lv->n_segs != 1;
				for (uint32_t k = 0; !bad && k < seg->stripe_count; k++) {
					const struct md_lv *img = seg->areas[k].lv;
					const struct md_lv *meta = seg->meta_areas
									   ? seg->meta_areas[k].lv
									   : NULL;
					bad = !img || img == lv || md_lv_is_visible(img) ||
					      md_lv_extents(img) != seg->extent_count ||
					      (seg->meta_areas && (!meta || meta == lv));
				}
				if (bad) {
					snprintf(reason, reason_len,
						 "raid1 LV %s is malformed: every image must be a "
						 "hidden LV of its size",
						 lv->name);
					return -EBADMSG;
				}
			}
			if (seg->kind == MD_SEG_THIN) {
				if (!seg->thin_pool || !md_lv_is_thin_pool(seg->thin_pool)) {
					snprintf(reason, reason_len,
						 "thin LV %s does not name a thin pool", lv->name);
					return -EBADMSG;
				}
				if (seg->device_id > MD_THIN_MAX_DEVICE_ID) {
					snprintf(reason, reason_len,
						 "thin LV %s: device_id %u is above 2^24-1",
						 lv->name, seg->device_id);
					return -EBADMSG;
				}
				for (size_t j = 0; j < i; j++) {
					const struct md_lv *o = vg->lvs[j];
					if (md_lv_is_thin(o) &&
					    o->segs[0].thin_pool == seg->thin_pool &&
					    o->segs[0].device_id == seg->device_id) {
						snprintf(reason, reason_len,
							 "thin LVs %s and %s share device_id %u",
							 o->name, lv->name, seg->device_id);
						return -EBADMSG;
					}
				}
			}
		}
	}
	if ((r = md_cow_validate(vg, reason, reason_len)) < 0)
		return r;
	if (md_vg_pmspare(vg)) {
		size_t n = 0;
		for (size_t i = 0; i < vg->n_lvs; i++)
			n += md_lv_is_pmspare(vg->lvs[i]);
		if (n > 1) {
			snprintf(reason, reason_len, "more than one pool metadata spare");
			return -EBADMSG;
		}
	}
	return 0;
}
