/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Zeroing an LV's extents straight on its PVs. See wipe.h. */
#include <errno.h>
#include <string.h>

#include "core/ctx-internal.h"
#include "core/activate/wipe.h"
#include "lvmfmt/bdev.h"

int tb_lv_zero_on_pvs(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv)
{
	uint64_t es = vg->md->extent_size;
	int r;

	for (size_t s = 0; s < lv->n_segs; s++) {
		const struct md_seg *seg = &lv->segs[s];
		if (seg->kind != MD_SEG_STRIPED || !seg->stripe_count)
			return tb_fail(c->ctx, -EINVAL, "Internal error: LV %s/%s is not linear",
				       vg->md->name, lv->name);
		/* each stripe holds extent_count / stripe_count extents of its PV */
		uint64_t per = seg->extent_count / seg->stripe_count;
		for (uint32_t a = 0; a < seg->stripe_count; a++) {
			const struct md_area *ar = &seg->areas[a];
			struct tb_pvdev *d = ar->pv ? tb_vg_pvdev_for(vg, ar->pv) : NULL;
			if (!d || !d->bdev)
				return tb_fail(c->ctx, -ENODEV,
					       "Cannot zero %s/%s: a PV is missing. Check that all PVs "
					       "are present.",
					       vg->md->name, lv->name);
			r = lvf_bdev_zero(d->bdev, (ar->pv->pe_start + ar->start * es) * 512,
					  per * es * 512);
			if (r == 0)
				r = lvf_bdev_flush(d->bdev);
			if (r < 0)
				return tb_fail(c->ctx, r, "Failed to zero %s/%s on %s: %s",
					       vg->md->name, lv->name, d->path, strerror(-r));
		}
	}
	return 0;
}
