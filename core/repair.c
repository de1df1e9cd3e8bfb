/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgck [--updatemetadata]: report, then repair, bad or stale metadata copies of one VG from
 * the newest good copy (lvm2 2.03.16 tools/vgck.c). The scan says what is wrong where
 * (core/store.c, core/damaged.c); the repair is an ordinary commit, which rewrites a bad
 * header first (tb_vg_commit). */
#include <errno.h>
#include <stdio.h>

#include "core/lvm-internal.h"

/* The first problem among @vg's copies, in @buf; false when there is none. */
static bool vg_problem(const struct tb_vg *vg, char *buf, size_t len)
{
	for (size_t i = 0; i < vg->n_pvdevs; i++) {
		const struct tb_pvdev *d = vg->pvdevs[i];
		if (!d) {
			snprintf(buf, len, "PV %s of VG %s is missing", vg->md->pvs[i]->id,
				 vg->md->name);
			return true;
		}
		if (d->label_unchecked) {
			snprintf(buf, len, "the PV header on %s lists a metadata area past the device "
				 "end", d->path);
			return true;
		}
		if (d->mda_bad) {
			snprintf(buf, len, "a metadata area on %s is bad", d->path);
			return true;
		}
		if (d->text && d->seqno < vg->md->seqno) {
			snprintf(buf, len, "the metadata on %s is old (seqno %u, newest %u)", d->path,
				 d->seqno, vg->md->seqno);
			return true;
		}
	}
	if (md_vg_check_overlaps(vg->md, buf, len) < 0)
		return true;
	return false;
}

int tb_vgck(struct tb_ctx *ctx, const char *name, bool update)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	char why[400];
	int r;

	if ((r = tb_cmd_begin(ctx, &c, "vgck")) < 0)
		return r;
	if ((r = tb_vg_read(&c, name, update, &vg)) < 0)
		goto out;
	if (!update) {
		if (vg_problem(vg, why, sizeof(why)))
			r = tb_fail(ctx, -EBADMSG, "VG %s: %s. Repair with vgck --updatemetadata %s.",
				    name, why, name);
		goto out;
	}
	if ((r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	if (!vg_problem(vg, why, sizeof(why)))
		goto out; /* nothing to repair: nothing written */
	tb_warn(ctx, "WARNING: VG %s: %s: rewriting every copy from seqno %u.", name, why,
		vg->md->seqno);
	r = tb_vg_commit(&c, vg);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
