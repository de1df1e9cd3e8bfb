/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* No physical extent may belong to two LVs: metadata that says so (checksum valid, content
 * wrong) is never committed on top of. lvm2 refuses the same VG ("PV segment pe_alloc_count
 * mismatch", lib/metadata/pv_manip.c check_pv_segments). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "metadata/md.h"

int md_vg_check_overlaps(const struct md_vg *vg, char *reason, size_t reason_len)
{
	for (size_t p = 0; p < vg->n_pvs; p++) {
		const struct md_pv *pv = vg->pvs[p];
		const struct md_lv **owner;
		int r = 0;

		if (!pv->pe_count)
			continue;
		owner = calloc(pv->pe_count, sizeof(*owner));
		if (!owner)
			return -ENOMEM;
		for (size_t i = 0; i < vg->n_lvs && !r; i++) {
			const struct md_lv *lv = vg->lvs[i];
			for (size_t s = 0; s < lv->n_segs && !r; s++) {
				const struct md_seg *seg = &lv->segs[s];
				uint32_t len;
				if (seg->kind != MD_SEG_STRIPED || !seg->stripe_count)
					continue;
				len = seg->extent_count / seg->stripe_count;
				for (uint32_t a = 0; a < seg->stripe_count && !r; a++) {
					const struct md_area *ar = &seg->areas[a];
					if (ar->pv != pv)
						continue;
					for (uint64_t e = ar->start; e < (uint64_t)ar->start + len;
					     e++) {
						if (e >= pv->pe_count)
							break; /* md_vg_validate names that one */
						if (owner[e]) {
							snprintf(reason, reason_len,
								 "PV segment pe_alloc_count mismatch: "
								 "extent %llu of PV %s is in LV %s and "
								 "in LV %s",
								 (unsigned long long)e,
								 pv->device ? pv->device : pv->id,
								 owner[e]->name, lv->name);
							r = -EBADMSG;
							break;
						}
						owner[e] = lv;
					}
				}
			}
		}
		free(owner);
		if (r < 0)
			return r;
	}
	return 0;
}
