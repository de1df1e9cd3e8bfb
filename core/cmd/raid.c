/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid1 LVs (lvcreate --type raid1 -m N, csi-driver-lvm's CreateLVS --type raid1 --mirrors 1
 * --nosync), with lvm2 2.03.16's checks and notes: tools/lvcreate.c, lib/metadata/lv_manip.c
 * _lv_create_an_lv (adjusted_mirror_region_size, raid_ensure_min_region_size, the --nosync
 * warning), lib/metadata/lv_manip.c activate_and_wipe_lvlist (the metadata sub-LVs wiped
 * before first use). The layout is metadata/raid.c; activation builds the "raid" table
 * (core/activate/activate.c). docs/raid1.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activate/activate.h"
#include "lvmfmt/bdev.h"
#include "core/cmd/raid.h"
#include "util/macros.h"
#include "util/units.h"

#define RAID_REGION_DEFAULT 4096 /* sectors: lvm2's activation/raid_region_size, 2048 KiB */

static size_t allocatable_pvs(const struct md_vg *vg, struct md_pv *const *pvs, size_t n_pvs)
{
	size_t n = 0;

	if (n_pvs)
		return n_pvs;
	for (size_t i = 0; i < vg->n_pvs; i++)
		n += (vg->pvs[i]->status & MD_PV_ALLOCATABLE) &&
		     !(vg->pvs[i]->status & MD_PV_MISSING);
	return n;
}

/* lvm2's region size for a new raid1 LV of @ext extents: the default or -R, reduced to the
 * LV size (adjusted_mirror_region_size, with its note), then doubled until the bitmap tracks
 * at most 2^21 regions (raid_ensure_min_region_size). */
static uint32_t region_for(struct tb_ctx *ctx, const struct md_vg *vg, uint64_t ext, uint32_t req)
{
	uint64_t size = ext * vg->extent_size;
	uint32_t region = req ? req : RAID_REGION_DEFAULT;
	char s[32];

	if (size < UINT32_MAX && region > size) {
		region = 1u << (31 - __builtin_clz((uint32_t)size));
		units_display_size(region, s, sizeof(s));
		tb_notice(ctx, "Using reduced mirror region size of %s", s);
	}
	while (region < size / (1u << 21))
		region *= 2;
	return region;
}

/* Zero the first 4 KiB of the metadata sub-LV @m straight on its PV. */
static int wipe_meta(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *m)
{
	const struct md_area *ar = m->n_segs ? &m->segs[0].areas[0] : NULL;
	struct tb_pvdev *d = ar && ar->pv ? tb_vg_pvdev_for(vg, ar->pv) : NULL;
	int r;

	if (!d || !d->bdev)
		return tb_fail(c->ctx, -ENODEV,
			       "Cannot wipe %s/%s: a PV is missing. Check that all PVs are present.",
			       vg->md->name, m->name);
	r = lvf_bdev_zero(d->bdev,
			  (ar->pv->pe_start + (uint64_t)ar->start * vg->md->extent_size) * 512,
			  4096);
	if (r == 0)
		r = lvf_bdev_flush(d->bdev);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to wipe %s/%s on %s: %s", vg->md->name, m->name,
			       d->path, strerror(-r));
	return 0;
}

int tb_lvcreate_raid1(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		      const char *name, uint64_t ext, struct md_pv *const *pvs, size_t n_pvs)
{
	struct tb_ctx *ctx = c->ctx;
	struct md_raid_params rp = { 0 };
	char(*ids)[MD_ID_LEN + 1] = NULL;
	struct md_lv *lv = NULL;
	uint32_t images = o->mirrors + 1, got = 0;
	size_t npv = allocatable_pvs(vg->md, pvs, n_pvs);
	int r;

	if (o->mirrors + 1 > MD_RAID1_MAX_IMAGES) {
		r = tb_fail(ctx, -EINVAL, "Only up to %u images in raid1 supported currently.",
			    MD_RAID1_MAX_IMAGES);
		goto out;
	}
	if (o->region_size && (o->region_size & (o->region_size - 1))) {
		r = tb_fail(ctx, -EINVAL, "Region size (%" PRIu32 ") must be a power of 2.",
			    o->region_size);
		goto out;
	}
	if (o->region_size && o->region_size % 8) {
		r = tb_fail(ctx, -EINVAL,
			    "Region size (%" PRIu32 ") must be a multiple of machine memory page "
			    "size (8).",
			    o->region_size);
		goto out;
	}
	if (o->size.unit >= TB_SIZE_PCT_VG) {
		/* lvm2 allocates "as much as it can" up to the percentage (approx_alloc) over
		 * parallel areas; thinbox does not reproduce that size */
		r = tb_fail(ctx, -EINVAL,
			    "A raid1 LV's size as a percentage (-l N%%FREE/%%VG/%%PVS) is not "
			    "supported by thinbox; give the size (-L or -l EXTENTS).");
		goto out;
	}
	if (ext > UINT32_MAX - 1) {
		r = tb_fail(ctx, -ERANGE, "Size is too large for volume group %s", vg->md->name);
		goto out;
	}
	rp.images = images;
	rp.nosync = o->nosync;
	rp.region_size = region_for(ctx, vg->md, ext, o->region_size);
	if (o->nosync)
		tb_warn(ctx, "WARNING: New raid1 won't be synchronised. Don't read what you didn't "
			     "write!");
	if (images > npv) {
		r = tb_fail(ctx, -ENOSPC,
			    "Insufficient suitable allocatable extents for logical volume %s: %" PRIu64
			    " more required",
			    name, (ext + 1) * images);
		goto out;
	}
	if (!(ids = calloc(1 + 2 * images, sizeof(*ids)))) {
		r = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < 1 + 2 * images; i++)
		tb_new_id(ids[i]);
	r = md_raid1_create(vg->md, name, (const char(*)[MD_ID_LEN + 1]) ids, (uint32_t)ext, &rp,
			    pvs, n_pvs, &got, &lv);
	if (r == -ENOSPC) {
		r = tb_fail(ctx, -ENOSPC,
			    "Insufficient suitable allocatable extents for logical volume %s: %" PRIu64
			    " more required",
			    name, (ext + 1) * images - (uint64_t)got * images);
		goto out;
	}
	if (r < 0) {
		r = tb_fail(ctx, r, "Cannot create raid1 LV %s/%s: %s", vg->md->name, name,
			    strerror(-r));
		goto out;
	}
	tb_lv_stamp(lv);
	for (uint32_t k = 0; k < images; k++) {
		tb_lv_stamp(lv->segs[0].areas[k].lv);
		tb_lv_stamp(lv->segs[0].meta_areas[k].lv);
	}
	if (o->profile)
		md_lv_set_str(&lv->profile, o->profile);
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		goto drop;
	/* lvm2 gives the metadata sub-LVs the new LV's tags (not the images) */
	for (uint32_t k = 0; k < images; k++)
		if ((r = tb_tags_apply(ctx, &lv->segs[0].meta_areas[k].lv->tags, &o->tags)) < 0)
			goto drop;
	/* no dm-raid superblock of an earlier LV on the metadata extents: their first 4 KiB
	 * zeroed (as lvm2's activate_and_wipe_lvlist) before the commit, so that a crash leaves
	 * nothing but zeroed free extents */
	for (uint32_t k = 0; k < images; k++)
		if ((r = wipe_meta(c, vg, lv->segs[0].meta_areas[k].lv)) < 0)
			goto drop;
	tb_thin_overprovision_warn(ctx, vg, lv);
	if ((r = tb_vg_commit(c, vg)) < 0)
		goto out;
	if (o->activate != 0 &&
	    (!(lv->flags & MD_LVF_ACTIVATION_SKIP) || o->ignore_activation_skip)) {
		c->raid_nosync = o->nosync;
		r = tb_lv_activate(c, vg, lv);
		c->raid_nosync = false;
		if (r == 0 && o->zero != 0 && (lv->status & MD_LV_WRITE))
			r = (o->wipesignatures == 0) ? tb_lv_zero(c, vg, lv, 4096)
						     : tb_lv_wipe_signatures(c, vg, lv);
		if (r < 0) {
			tb_lv_revert_create(c, vg, name);
			goto out;
		}
	} else if (o->zero != 0) {
		/* measured: lvm2 warns for an inactive raid1 LV also without -Z y */
		tb_warn(ctx, "WARNING: Logical volume %s/%s not zeroed.", vg->md->name, name);
	}
	tb_notice(ctx, "Logical volume \"%s\" created.", name);
	goto out;
drop:
	md_raid_remove(vg->md, lv);
out:
	free(ids);
	return r;
}

int tb_raid_extend(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, uint32_t add,
		   struct md_pv *const *pvs, size_t n_pvs)
{
	struct tb_ctx *ctx = c->ctx;
	struct tb_lv_state st;
	int r;

	/* lvm2 _lv_extend_layered_lv: the extension of a NOTSYNCED LV is not synced either,
	 * which needs the LV active (its sync state); the extension of a synced LV syncs */
	tb_notice(ctx, "Extending %u mirror images.", lv->segs[0].stripe_count);
	if (lv->status & MD_LV_NOTSYNCED) {
		if ((r = tb_lv_state_get(ctx, vg->md, lv, &st)) < 0)
			return r;
		if (!st.active) {
			/* lvm2 asks; nobody answers here */
			tb_notice(ctx, "Do full resync of extended portion of %s/%s?  [y/n]: [n]",
				  vg->md->name, lv->name);
			return tb_fail(ctx, -EINVAL,
				       "Unable to read sync percent while LV %s/%s is not locally "
				       "active.",
				       vg->md->name, lv->name);
		}
		c->raid_nosync = true;
	}
	r = md_raid_extend(vg->md, lv, add, pvs, n_pvs);

	if (r == -ENOSPC)
		return tb_fail(ctx, -ENOSPC,
			       "Insufficient suitable allocatable extents for logical volume %s: %" PRIu64
			       " more required",
			       lv->name, (uint64_t)add * lv->segs[0].stripe_count);
	if (r < 0)
		return tb_fail(ctx, r, "Cannot extend %s/%s: %s", vg->md->name, lv->name,
			       strerror(-r));
	return 0;
}
