/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgck [--updatemetadata] (report, then repair, bad or stale metadata copies of one VG from
 * the newest good copy; lvm2 2.03.16 tools/vgck.c) and vgreduce --removemissing. The scan
 * says what is wrong where (core/store/store.c, core/store/damaged.c); the repair is an ordinary commit,
 * which rewrites a bad header first (tb_vg_commit). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/store/hints.h"
#include "core/cmd/cmd.h"

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
			snprintf(buf, len,
				 "the PV header on %s lists a metadata area past the device "
				 "end",
				 d->path);
			return true;
		}
		if (d->mda_bad) {
			snprintf(buf, len, "a metadata area on %s is bad", d->path);
			return true;
		}
		if (d->text && d->seqno < vg->md->seqno) {
			snprintf(buf, len, "the metadata on %s is old (seqno %u, newest %u)",
				 d->path, d->seqno, vg->md->seqno);
			return true;
		}
	}
	if (md_vg_check_overlaps(vg->md, buf, len) < 0)
		return true;
	return false;
}

TB_EXPORT int tb_vgck(struct tb_ctx *ctx, const char *name, bool update)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	char why[400];
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_cmd_begin(ctx, &c, "vgck")) < 0)
		return r;
	if ((r = tb_vg_read(&c, name, update, &vg)) < 0)
		goto out;
	if (!update) {
		if (vg_problem(vg, why, sizeof(why)))
			r = tb_fail(ctx, -EBADMSG,
				    "VG %s: %s. Repair with vgck --updatemetadata %s.", name, why,
				    name);
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

/* What tb_vg_check_writable refuses, except the missing PVs this command is about. */
static int check_writable_but_missing(struct tb_cmd *c, struct tb_vg *vg)
{
	unsigned *saved = calloc(vg->md->n_pvs + 1, sizeof(*saved));
	int r;

	if (!saved)
		return -ENOMEM;
	for (size_t i = 0; i < vg->md->n_pvs; i++) {
		saved[i] = vg->md->pvs[i]->status;
		vg->md->pvs[i]->status &= ~MD_PV_MISSING;
	}
	r = tb_vg_check_writable(c, vg);
	for (size_t i = 0; i < vg->md->n_pvs; i++)
		vg->md->pvs[i]->status = saved[i];
	free(saved);
	return r;
}

TB_EXPORT int tb_vgreduce_missing(struct tb_ctx *ctx, const char *name, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	size_t n_missing = 0, n_partial = 0;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgreduce")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_vg_read(&c, name, true, &vg)) < 0 ||
	    (r = check_writable_but_missing(&c, vg)) < 0)
		goto out;
	for (size_t i = 0; i < vg->md->n_pvs; i++)
		n_missing += !vg->pvdevs[i];
	if (!n_missing) {
		tb_notice(ctx, "Volume group \"%s\" is already consistent.", name);
		goto out;
	}
	/* lvm2 2.03.16 tools/vgreduce.c _make_vg_consistent wording */
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		struct tb_lv_state st = { 0 };
		if (!tb_lv_is_partial(lv))
			continue;
		n_partial++;
		if (!force) {
			tb_warn(ctx, "WARNING: Partial LV %s needs to be repaired or removed. ",
				lv->name);
			continue;
		}
		if (!md_lv_is_visible(lv) || md_lv_is_thin_pool(lv) || md_lv_is_thin(lv)) {
			r = tb_fail(ctx, -EOPNOTSUPP,
				    "Partial LV %s is part of a thin pool: thinbox removes only plain "
				    "LVs here. Use lvm2's vgreduce --removemissing --force.",
				    lv->name);
			goto out;
		}
		if (tb_lv_state_get(ctx, vg->md, lv, &st) == 0 && st.active) {
			r = tb_fail(ctx, -EBUSY, "Partial LV %s is active: deactivate it first.",
				    lv->name);
			goto out;
		}
	}
	if (n_partial && !force) {
		r = tb_fail(ctx, -EBUSY,
			    "There are still partial LVs in VG %s.\n"
			    "  To remove them unconditionally use: vgreduce --removemissing --force.",
			    name);
		goto out;
	}
	for (size_t i = vg->md->n_lvs; i-- > 0;) {
		struct md_lv *lv = vg->md->lvs[i];
		if (!tb_lv_is_partial(lv))
			continue;
		tb_notice(ctx, "Logical volume \"%s\" successfully removed.", lv->name);
		if ((r = md_lv_remove(vg->md, lv)) < 0)
			goto out;
	}
	for (size_t i = vg->md->n_pvs; i-- > 0;) {
		if (vg->pvdevs[i])
			continue;
		if ((r = md_vg_remove_pv(vg->md, vg->md->pvs[i])) < 0) {
			r = tb_fail(ctx, r, "Cannot remove a missing PV from VG %s: %s", name,
				    strerror(-r));
			goto out;
		}
		memmove(&vg->pvdevs[i], &vg->pvdevs[i + 1],
			(vg->n_pvdevs - i - 1) * sizeof(*vg->pvdevs));
		vg->n_pvdevs--;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Wrote out consistent volume group %s.", name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
