/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Health of scanned PVs, for every command and report: which VG lists each PV (its own
 * metadata or another PV's), which PVs are "in doubt" (labelled as PVs, VG unreadable: never
 * free, never reused without -ff), duplicate PV ids (a cloned disk: never written), devices
 * smaller than their PV header says. The scan notes what is wrong on each device
 * (core/store/store.c); here the verdict and the warnings, given once per command in lvm2's words.
 * docs/damaged-disks.md has the cases and what lvm2 2.03.16 does with each.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/store.h"

static void warn_lines(struct tb_ctx *ctx, const char *text)
{
	_cleanup_free_ char *dup = text ? strdup(text) : NULL;
	char *save = NULL;

	if (!dup)
		return;
	for (char *l = strtok_r(dup, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		tb_warn_once(ctx, l);
}

void tb_scan_assess(struct tb_ctx *ctx, struct tb_scan *s)
{
	char line[600];

	for (size_t i = 0; i < s->n; i++) {
		struct tb_pvdev *d = s->devs[i];

		d->member_vg[0] = '\0';
		d->member_seqno = 0;
		d->dup = false;
		for (size_t j = 0; j < s->n; j++) {
			const struct tb_pvdev *o = s->devs[j];
			bool listed = false;
			for (size_t k = 0; o->text && k < o->n_pv_ids && !listed; k++)
				listed = !memcmp(o->pv_ids + k * MD_ID_LEN, d->id, MD_ID_LEN);
			if (listed && (!d->member_vg[0] || o->seqno > d->member_seqno)) {
				snprintf(d->member_vg, sizeof(d->member_vg), "%s", o->vgname);
				d->member_seqno = o->seqno;
			}
		}
		for (size_t j = 0; j < s->n; j++)
			if (j != i && streq(s->devs[j]->id, d->id))
				d->dup = true;
		d->shrunk = d->bdev && d->hdr.device_size > d->bdev->size_bytes;
		/* lvm2: a PV with PV_EXT_USED that no VG claims, or whose metadata cannot be read,
		 * is "used" by an unknown VG (pv_attr u, PFree 0), never an orphan */
		d->in_doubt = !d->member_vg[0] &&
			      (d->mda_bad || (d->hdr.ext_flags & LVF_PV_EXT_USED));
	}
	for (size_t i = 0; i < s->n; i++) {
		struct tb_pvdev *d = s->devs[i];

		warn_lines(ctx, strbuf_str(&d->warn));
		if (d->shrunk) {
			/* lvm2 lib/metadata/metadata.c _check_pv_dev_sizes wording */
			snprintf(line, sizeof(line),
				 "WARNING: Device %s has size of %" PRIu64
				 " sectors which is smaller "
				 "than corresponding PV size of %" PRIu64 " sectors. Was device "
				 "resized?",
				 d->path, d->bdev->size_bytes / 512, d->hdr.device_size / 512);
			tb_warn_once(ctx, line);
		}
		if (d->dup) {
			const struct tb_pvdev *first = NULL;
			for (size_t j = 0; j < s->n && !first; j++)
				if (streq(s->devs[j]->id, d->id))
					first = s->devs[j];
			if (first != d) {
				char uuid[MD_ID_LEN + 7];
				/* lvm2 2.03.16 lib/device/dev-cache.c / lvmcache.c wording */
				md_id_format(d->id, uuid);
				snprintf(line, sizeof(line),
					 "WARNING: Not using device %s for PV %s.", d->path, uuid);
				tb_warn_once(ctx, line);
				snprintf(line, sizeof(line),
					 "WARNING: PV %s prefers device %s because device was seen "
					 "first.",
					 uuid, first->path);
				tb_warn_once(ctx, line);
			}
		}
	}
}

const char *tb_pvdev_owner(const struct tb_pvdev *d)
{
	if (d->member_vg[0])
		return d->member_vg;
	return d->in_doubt ? "<unknown>" : NULL;
}

int tb_vg_check_duplicates(struct tb_cmd *c, const struct tb_vg *vg)
{
	for (size_t i = 0; i < vg->md->n_pvs; i++) {
		const struct tb_pvdev *first = NULL;
		bool dup = false;
		/* the same device may be in the scan twice (vgextend reopens it): count paths */
		for (size_t k = 0; k < vg->scan.n; k++) {
			const struct tb_pvdev *d = vg->scan.devs[k];
			if (!streq(d->id, vg->md->pvs[i]->id))
				continue;
			if (!first)
				first = d;
			else if (!streq(first->path, d->path))
				dup = true;
		}
		if (dup)
			return tb_fail(c->ctx, -ENOTUNIQ,
				       "Cannot update volume group %s with duplicate PV devices.",
				       vg->md->name);
	}
	return 0;
}

static bool lv_partial(const struct md_lv *lv, int depth)
{
	if (!lv || depth > 8)
		return false;
	for (size_t s = 0; s < lv->n_segs; s++) {
		const struct md_seg *seg = &lv->segs[s];
		if (seg->kind == MD_SEG_THIN_POOL && (lv_partial(seg->pool_data, depth + 1) ||
						      lv_partial(seg->pool_meta, depth + 1)))
			return true;
		for (uint32_t a = 0; seg->kind == MD_SEG_STRIPED && a < seg->stripe_count; a++)
			if ((seg->areas[a].pv && (seg->areas[a].pv->status & MD_PV_MISSING)) ||
			    lv_partial(seg->areas[a].lv, depth + 1))
				return true;
	}
	return false;
}

bool tb_lv_is_partial(const struct md_lv *lv)
{
	return lv_partial(lv, 0);
}
