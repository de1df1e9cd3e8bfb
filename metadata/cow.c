/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Old-style (COW) snapshots of linear and striped LVs, as lvm2 2.03 keeps them
 * (lib/metadata/snapshot_manip.c, lib/snapshot/snapshot.c): the COW store is an ordinary
 * linear LV without VISIBLE, reported under the snapshot's name; a hidden "snapshotN" LV
 * (status READ, WRITE, VISIBLE, never listed) has one segment of type "snapshot" with the
 * origin's extent count, chunk_size, origin and cow_store. See docs/cow-snapshots.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

bool md_lv_is_snapshot(const struct md_lv *lv)
{
	return lv->n_segs == 1 && lv->segs[0].kind == MD_SEG_SNAPSHOT;
}

bool md_lv_is_cow(const struct md_lv *lv)
{
	return lv->cow_snapshot != NULL;
}

struct md_lv *md_cow_origin(const struct md_lv *cow)
{
	return cow->cow_snapshot ? cow->cow_snapshot->segs[0].origin : NULL;
}

size_t md_origin_cows(const struct md_vg *vg, const struct md_lv *origin, struct md_lv **out,
		      size_t max)
{
	struct md_lv *const *snaps;
	size_t n = 0, k;

	if (md_vg_index_cow_snapshots(vg, origin, &snaps, &k) == 0) {
		for (; out && n < max && n < k; n++)
			out[n] = snaps[n]->segs[0].cow;
		return k;
	}
	for (size_t i = 0; i < vg->n_lvs; i++) { /* out of memory: the plain scan */
		const struct md_lv *lv = vg->lvs[i];
		if (!md_lv_is_snapshot(lv) || lv->segs[0].origin != origin || !lv->segs[0].cow)
			continue;
		if (out && n < max)
			out[n] = lv->segs[0].cow;
		n++;
	}
	return n;
}

/* lvm2 _cow_max_size: chunk 0 is the header, then per metadata area one chunk of exceptions
 * (16 bytes each: chunk << 5 per area) followed by its data chunks; one more metadata chunk
 * ends the table when the origin's chunks fill the last area exactly. */
uint32_t md_cow_max_extents(uint32_t origin_extents, uint32_t extent_size, uint32_t chunk)
{
	uint64_t origin = (uint64_t)origin_extents * extent_size;
	uint64_t origin_chunks, per_area, meta_chunks, size, max;

	if (!chunk || !extent_size)
		return 0;
	origin_chunks = DIV_ROUND_UP(origin, chunk);
	per_area = (uint64_t)chunk << (9 - 4);
	meta_chunks = (origin_chunks + per_area) / per_area;
	size = (1 + origin_chunks + meta_chunks) * chunk;
	size = DIV_ROUND_UP(size, extent_size);
	max = UINT32_MAX; /* lvm2 MAX_EXTENT_COUNT */
	return (uint32_t)MIN(size, max);
}

uint32_t md_cow_pct_origin(uint32_t pct, uint32_t origin_extents, uint32_t extent_size,
			   uint32_t chunk)
{
	uint64_t full = md_cow_max_extents(origin_extents, extent_size, chunk);
	/* lvm2 percent_of_extents(pct, count, roundup=1) */
	uint64_t part = ((uint64_t)pct * origin_extents + 99) / 100;
	uint64_t n = full - origin_extents + part;

	return (uint32_t)MIN(n, (uint64_t)UINT32_MAX);
}

bool md_cow_chunk_ok(uint32_t chunk)
{
	return chunk >= MD_COW_MIN_CHUNK && chunk <= MD_COW_MAX_CHUNK && !(chunk & (chunk - 1));
}

int md_cow_snapshot_add(struct md_vg *vg, struct md_lv *origin, struct md_lv *cow,
			const char *snap_id, uint32_t chunk, struct md_lv **ret)
{
	char name[32];
	struct md_lv *snap = NULL;
	struct md_seg *seg;
	unsigned i = 0;
	int r;

	if (cow == origin || md_lv_is_cow(cow) || md_lv_is_cow(origin) ||
	    md_lv_is_snapshot(origin) || !md_cow_chunk_ok(chunk))
		return -EINVAL;
	do
		snprintf(name, sizeof(name), "snapshot%u", i++);
	while (md_vg_find_lv(vg, name));
	if ((r = md_lv_new(vg, name, snap_id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &snap)) < 0)
		return r;
	seg = calloc(1, sizeof(*seg));
	if (!seg || !(seg->type = strdup("snapshot"))) {
		free(seg);
		md_lv_remove(vg, snap);
		return -ENOMEM;
	}
	seg->kind = MD_SEG_SNAPSHOT;
	seg->start_extent = 0;
	seg->extent_count = md_lv_extents(origin);
	seg->chunk_size = chunk;
	seg->origin = origin;
	seg->cow = cow;
	snap->segs = seg;
	snap->n_segs = 1;
	cow->status &= ~MD_LV_VISIBLE;
	cow->cow_snapshot = snap;
	md_vg_index_drop(vg);
	if (ret)
		*ret = snap;
	return 0;
}

int md_cow_snapshot_drop(struct md_vg *vg, struct md_lv *cow)
{
	struct md_lv *snap = cow->cow_snapshot;
	struct md_seg *seg;
	int r;

	if (!snap)
		return -EINVAL;
	/* the segment's links go first so that md_lv_remove sees no reference */
	seg = &snap->segs[0];
	seg->origin = NULL;
	seg->cow = NULL;
	if ((r = md_lv_remove(vg, snap)) < 0) {
		seg->origin = md_cow_origin(cow);
		seg->cow = cow;
		return r;
	}
	cow->cow_snapshot = NULL;
	cow->status |= MD_LV_VISIBLE; /* lvm2 vg_remove_snapshot: lv_set_visible(cow) */
	md_vg_index_drop(vg);
	return 0;
}

void md_cow_link(struct md_vg *vg)
{
	for (size_t i = 0; i < vg->n_lvs; i++)
		vg->lvs[i]->cow_snapshot = NULL;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *lv = vg->lvs[i];
		if (md_lv_is_snapshot(lv) && lv->segs[0].cow)
			lv->segs[0].cow->cow_snapshot = lv;
	}
}

static bool is_plain(const struct md_lv *lv)
{
	if (!lv->n_segs)
		return false;
	for (size_t s = 0; s < lv->n_segs; s++)
		if (lv->segs[s].kind != MD_SEG_STRIPED)
			return false;
	return true;
}

const char *md_cow_unsupported(const struct md_vg *vg)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_seg *seg = vg->lvs[i]->n_segs ? &vg->lvs[i]->segs[0] : NULL;
		if (md_lv_is_snapshot(vg->lvs[i]) && (!is_plain(seg->cow) || !is_plain(seg->origin)))
			return "it holds a COW snapshot of an LV that is not linear or striped "
			       "(thinbox makes COW snapshots of linear and striped LVs only)";
	}
	return NULL;
}

int md_cow_validate(const struct md_vg *vg, char *reason, size_t reason_len)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		const struct md_seg *seg;

		for (size_t s = 0; s < lv->n_segs; s++)
			if (lv->segs[s].kind == MD_SEG_SNAPSHOT && lv->n_segs != 1) {
				snprintf(reason, reason_len,
					 "snapshot %s must have exactly one segment", lv->name);
				return -EBADMSG;
			}
		if (!md_lv_is_snapshot(lv))
			continue;
		seg = &lv->segs[0];
		if (!seg->origin || !seg->cow || seg->origin == seg->cow) {
			snprintf(reason, reason_len, "snapshot %s needs an origin and a cow_store",
				 lv->name);
			return -EBADMSG;
		}
		if (!md_cow_chunk_ok(seg->chunk_size)) {
			snprintf(reason, reason_len,
				 "snapshot %s: chunk_size %u is not a power of 2 from 8 to 1024",
				 lv->name, seg->chunk_size);
			return -EBADMSG;
		}
		for (size_t j = 0; j < i; j++) {
			const struct md_lv *o = vg->lvs[j];
			if (md_lv_is_snapshot(o) && o->segs[0].cow == seg->cow) {
				snprintf(reason, reason_len,
					 "snapshots %s and %s share cow_store %s", o->name,
					 lv->name, seg->cow->name);
				return -EBADMSG;
			}
		}
	}
	return 0;
}
