/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The metadata area that grows (issue 13): `pvchange --metadatasize SIZE PV`, a thinbox
 * extension. lvm2 fixes a PV's metadata areas at pvcreate; a VG of many LVs then fails with
 * "Metadata too large for circular buffer". This adds, or enlarges, the PV's second metadata
 * area (mda1) at the end of the device, in the layout lvm2's own `pvcreate
 * --pvmetadatacopies 2` makes (lib/format_text/format-text.c _text_pv_add_metadata_area:
 * mda1 ends at the device end, its start pulled down to the data alignment, the data area
 * ends before it), out of extents at the PV's end that no LV uses. When the new area is
 * larger than the first one, the first is then set to metadataignore (lvm2's `pvchange
 * --metadataignore y` state: slot 0 IGNORED, no text written there), so that the VG's text
 * may grow to what the new area holds; lvm2 reads and honours that.
 *
 * Order (each step leaves a VG that lvm2 and thinbox read):
 *   1. an empty header at the new area's start (extents nobody uses, named by no label);
 *   2. the VG committed, its PV's pe_count cut to the extents before the area, to every area
 *      including the new one (the label does not name it yet: readers see the old areas,
 *      which hold the same new text);
 *   3. the label rewritten to name the new area (one sector);
 *   4. only then, if the first area is the smaller, a commit that marks it IGNORED.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "util/macros.h"

#define MDA_MIN_BYTES (32U * 1024U) /* lvm2: 8 pages */

/* One past the last extent of @pv an LV uses (0 when none), and that LV. */
static uint32_t used_end(const struct md_vg *vg, const struct md_pv *pv, const struct md_lv **who)
{
	uint32_t end = 0;

	*who = NULL;
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		for (size_t k = 0; k < lv->n_segs; k++) {
			const struct md_seg *sg = &lv->segs[k];
			uint32_t per;
			if (sg->kind != MD_SEG_STRIPED || !sg->stripe_count)
				continue;
			per = sg->extent_count / sg->stripe_count;
			for (uint32_t a = 0; a < sg->stripe_count; a++)
				if (sg->areas[a].pv == pv && sg->areas[a].start + per > end) {
					end = sg->areas[a].start + per;
					*who = lv;
				}
		}
	}
	return end;
}

static void size_str(uint64_t bytes, char *buf, size_t len)
{
	if (bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
}

TB_EXPORT int tb_pvchange_metadatasize(struct tb_ctx *ctx, const char *path, uint64_t size)
{
	struct tb_cmd c;
	struct tb_scan s = { 0 };
	struct tb_vg *vg = NULL;
	struct tb_pvdev *d = NULL;
	struct md_pv *pv = NULL;
	const struct md_lv *who;
	char vgname[MD_NAME_MAX + 1], want_s[32], have_s[32];
	uint64_t dev, es, pe0, start, size1, align = LVF_DEFAULT_DATA_ALIGNMENT, pe_end;
	uint32_t new_count, end;
	size_t idx1;
	bool ignore0;
	const char *owner;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if (size < MDA_MIN_BYTES)
		return tb_fail(ctx, -EINVAL,
			       "Metadata area size %llu bytes is below lvm2's minimum "
			       "of %u KiB.",
			       (unsigned long long)size, MDA_MIN_BYTES / 1024);
	if ((r = tb_cmd_begin(ctx, &c, "pvchange")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		goto out;
	d = tb_scan_find_path(&s, path);
	if (!d || !d->id[0]) {
		r = tb_fail(ctx, -ENOENT, "Failed to find physical volume \"%s\".", path);
		goto out;
	}
	owner = tb_pvdev_owner(d);
	if (!owner || streq(owner, "<unknown>")) {
		r = tb_fail(ctx, -EINVAL,
			    "Physical volume \"%s\" is not in a volume group: give a new PV its "
			    "metadata area size with pvcreate --metadatasize.",
			    path);
		goto out;
	}
	snprintf(vgname, sizeof(vgname), "%s", owner);
	tb_scan_free(&s);
	if ((r = tb_vg_read(&c, vgname, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	d = tb_scan_find_path(&vg->scan, path);
	for (size_t i = 0; d && i < vg->n_pvdevs; i++)
		if (vg->pvdevs[i] == d)
			pv = vg->md->pvs[i];
	if (!pv) {
		r = tb_fail(ctx, -ENOENT, "Physical volume \"%s\" is not a present PV of VG %s.",
			    path, vgname);
		goto out;
	}
	if (d->hdr.n_mda == 0) {
		r = tb_fail(ctx, -EINVAL,
			    "Physical volume \"%s\" has no metadata area (pvcreate "
			    "--pvmetadatacopies 0): thinbox adds one only beside an existing one.",
			    path);
		goto out;
	}

	/* the new mda1: [start, dev), start pulled down to the alignment as lvm2 lays it out */
	dev = d->hdr.device_size ? d->hdr.device_size : d->bdev->size_bytes;
	es = (uint64_t)vg->md->extent_size * 512;
	pe0 = pv->pe_start * 512;
	size = ROUND_UP(size, 512);
	if (size >= dev || dev - size < pe0 + es) {
		size_str(size, want_s, sizeof(want_s));
		r = tb_fail(ctx, -ENOSPC,
			    "Cannot give PV %s a metadata area of %s: the device is too small.",
			    path, want_s);
		goto out;
	}
	start = (dev - size) / align * align;
	if (start < pe0 + es)
		start = dev - size;
	size1 = dev - start;
	idx1 = d->hdr.n_mda; /* a new mda1, or the one at the end replaced */
	for (size_t m = 0; m < d->hdr.n_mda; m++)
		if (d->hdr.mda[m].offset > pe0)
			idx1 = m;
	size_str(size1, want_s, sizeof(want_s));
	if (idx1 < d->hdr.n_mda && d->hdr.mda[idx1].size >= size1) {
		size_str(d->hdr.mda[idx1].size, have_s, sizeof(have_s));
		tb_notice(ctx,
			  "Physical volume \"%s\" already has a metadata area of %s at its end.",
			  path, have_s);
		r = 0;
		goto out;
	}
	if (idx1 >= LVF_MAX_MDA) {
		r = tb_fail(ctx, -EINVAL,
			    "Physical volume \"%s\" has no room for another metadata "
			    "area in its label.",
			    path);
		goto out;
	}
	new_count = (uint32_t)MIN((uint64_t)pv->pe_count, (start - pe0) / es);
	end = used_end(vg->md, pv, &who);
	if (end > new_count) {
		r = tb_fail(ctx, -ENOSPC,
			    "Cannot give PV %s a metadata area of %s: it needs extents %u-%u of the "
			    "PV, and LV %s/%s uses extent %u. Free the end of the PV first (or ask "
			    "for a smaller area).",
			    path, want_s, new_count, pv->pe_count - 1, vgname,
			    who ? who->name : "?", end - 1);
		goto out;
	}
	pe_end = pe0 + (uint64_t)new_count * es;
	if (idx1 < d->hdr.n_mda) {
		/* an existing mda1 grows downwards: its header must survive a crash before the
		 * label names the new start, so the new text (written just after the new start)
		 * must end below the old header */
		uint64_t text = 0;
		for (size_t i = 0; i < vg->n_pvdevs; i++)
			if (vg->pvdevs[i] && vg->pvdevs[i]->text_len > text)
				text = vg->pvdevs[i]->text_len;
		if (start + 512 + 2 * (text + 4096) > d->hdr.mda[idx1].offset) {
			size_str(d->hdr.mda[idx1].size, have_s, sizeof(have_s));
			r = tb_fail(ctx, -EINVAL,
				    "Cannot grow the metadata area at the end of PV %s from %s to %s in "
				    "one step: the new area must grow by more than twice the VG's text "
				    "(%llu bytes). Ask for a larger size.",
				    path, have_s, want_s, (unsigned long long)text);
			goto out;
		}
	}
	if (start < pe_end) {
		r = tb_fail(ctx, -EINVAL,
			    "Internal error: metadata area at %llu overlaps the data "
			    "area of PV %s.",
			    (unsigned long long)start, path);
		goto out;
	}

	/* 1. the new area's header, where nothing points yet */
	{
		struct lvf_mda_ref ref1 = { d->bdev, start, size1, false };
		r = lvf_mda_init(&ref1);
		if (r < 0) {
			r = tb_fail(ctx, r, "Cannot write the new metadata area of %s: %s", path,
				    strerror(-r));
			goto out;
		}
	}
	/* 2. the VG, its PV shortened, into every area including the new one */
	ignore0 = d->hdr.mda[0].offset < pe0 && d->hdr.mda[0].size < size1 && !d->mda_ignored[0];
	pv->pe_count = new_count;
	d->hdr.mda[idx1].offset = start;
	d->hdr.mda[idx1].size = size1;
	d->mda_ignored[idx1] = false;
	d->mda_hdr_bad[idx1] = false;
	if (idx1 == d->hdr.n_mda)
		d->hdr.n_mda++;
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	/* 3. the label names it */
	r = lvf_label_write(d->bdev, &d->hdr);
	if (r < 0) {
		r = tb_fail(ctx, r,
			    "Cannot write the label of %s: %s (the VG is committed; the new "
			    "area is not in use yet: run the command again)",
			    path, strerror(-r));
		goto out;
	}
	/* 4. the smaller first area stops limiting the VG */
	if (ignore0) {
		d->mda_ignored[0] = true;
		if ((r = tb_vg_commit(&c, vg)) < 0)
			goto out;
	}
	tb_notice(ctx, "Physical volume \"%s\" has a metadata area of %s at its end%s.", path,
		  want_s, ignore0 ? "; its first one is now set to metadataignore" : "");
	r = 0;
out:
	tb_vg_free(vg);
	tb_scan_free(&s);
	tb_cmd_end(&c);
	return r;
}
