/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A pool extension staged ahead of need (see core/policy/policy.h "staged ahead" and
 * docs/monitor.md "The fast path").
 *
 * The ordinary autoextend step, on the event, scans the devices, reads and parses the VG,
 * allocates, writes the new text and commits it in lvm2's three rounds (text, precommit,
 * commit, a flush after each), then reloads the pool. All of that but the last header round
 * and the reload can be done while the pool is still under its threshold: the text of the VG
 * as it will be after the extension sits in each metadata area after the committed copy, where
 * no reader looks (they follow slot 0 of the header only). When the event comes, the commit is
 * one 512-byte header write per area, under the VG lock, and only if nothing changed in
 * between (its flush waits until after the reload: see tb_pool_stage_apply); any doubt sends
 * the monitor down the ordinary path, which stays correct on its own.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/activate/activate.h"
#include "core/policy/policy.h"
#include "util/macros.h"

struct tb_pool_stage {
	char vgname[MD_NAME_MAX + 1], lvname[MD_NAME_MAX + 1];
	struct tb_vg *vg;         /* as it will be once committed (seqno + 1); its PVs open */
	struct lvf_mda_ref *mdas; /* borrowing vg's bdevs */
	struct lvf_raw_locn *base, *staged;
	bool *own_flush; /* the area's disk is not under the pool's _tmeta */
	size_t n;
	uint32_t data_old, data_new; /* extents */
	uint32_t meta_extents;
	int64_t threshold, percent;
};

struct tb_pool_stage *tb_pool_stage_free(struct tb_pool_stage *s)
{
	if (!s)
		return NULL;
	free(s->mdas);
	free(s->base);
	free(s->staged);
	free(s->own_flush);
	tb_vg_free(s->vg);
	free(s);
	return NULL;
}

/* The kernel's pool has exactly the data size the VG gives it, nothing committed waiting. */
static bool kernel_in_step(const struct md_vg *vg, const struct md_lv *pool,
			   const struct dmk_thin_pool_status *st)
{
	uint32_t chunk = pool->segs[0].chunk_size;

	return chunk && !tb_pool_size_pending(vg, pool, st) &&
	       st->total_data_blocks ==
		       (uint64_t)md_lv_extents(md_pool_data(pool)) * vg->extent_size / chunk;
}

/* Is @b (one of @vg's PVs) a block device that the pool's _tmeta has extents on? A cache flush
 * of _tmeta reaches every such disk. */
static bool under_tmeta(const struct tb_vg *vg, const struct md_lv *pool, const struct lvf_bdev *b)
{
	const struct md_lv *meta = md_pool_meta(pool);
	dev_t rdev = 0;

	for (size_t i = 0; i < vg->n_pvdevs; i++)
		if (vg->pvdevs[i] && vg->pvdevs[i]->bdev == b)
			rdev = vg->pvdevs[i]->rdev;
	if (!rdev)
		return false;
	for (size_t s = 0; s < meta->n_segs; s++)
		for (uint32_t a = 0; a < meta->segs[s].stripe_count; a++) {
			const struct md_area *ar = &meta->segs[s].areas[a];
			const struct tb_pvdev *d = ar->pv ? tb_vg_pvdev_for(vg, ar->pv) : NULL;
			if (d && d->rdev == rdev)
				return true;
		}
	return false;
}

int tb_pool_stage_prepare(struct tb_ctx *ctx, const char *vgname, const char *lvname,
			  struct tb_pool_stage **ret)
{
	struct tb_pool_stage *s = NULL;
	struct tb_autoextend_limits lim;
	struct dmk_thin_pool_status st;
	struct lvf_err err = { 0 };
	struct strbuf raw = { 0 };
	struct tb_vg *vg = NULL;
	struct md_lv *pool;
	struct tb_cmd c;
	uint64_t add, cur_sectors, free_ext;
	uint32_t es, cur;
	int64_t thr;
	int r;

	*ret = NULL;
	if ((r = tb_cmd_begin(ctx, &c, "lvextend")) < 0)
		return r;
	if ((r = tb_vg_read(&c, vgname, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	pool = md_vg_find_lv(vg->md, lvname);
	if (!pool || !md_lv_is_thin_pool(pool) || !pool->n_segs)
		goto out; /* r = 0: nothing to stage */
	if ((r = tb_autoextend_limits(ctx, vg->md, pool, &lim)) < 0)
		goto out;
	if (lim.threshold >= 100 || lim.percent <= 0)
		goto out;
	thr = md_threshold_clamp(lim.threshold);
	r = tb_pool_status_now(&c, vg, pool, &st);
	if (r < 0) {
		r = r == -ENXIO ? 0 : r;
		goto out;
	}
	if (dmk_pool_status_broken(&st) || !kernel_in_step(vg->md, pool, &st) ||
	    tb_usage_at_or_over(st.used_data_blocks, st.total_data_blocks, thr) ||
	    tb_usage_at_or_over(st.used_meta_blocks, st.total_meta_blocks, thr))
		goto out;
	es = vg->md->extent_size;
	cur = md_lv_extents(md_pool_data(pool));
	cur_sectors = (uint64_t)cur * es;
	/* the amount for a crossing just at the threshold; apply checks it against the real
	 * usage then */
	add = tb_policy_add(cur, DIV_ROUND_UP(cur_sectors * (uint64_t)thr, 100), es, thr,
			    lim.percent);
	free_ext = md_vg_free_count(vg->md);
	if (add > free_ext || (lim.max_sectors && cur_sectors + add * es > lim.max_sectors) ||
	    cur + add > UINT32_MAX)
		goto out; /* the ordinary path takes what there is and says so */
	r = md_pool_extend_data(vg->md, pool, (uint32_t)add, MD_ALLOC_NORMAL);
	if (r < 0) {
		r = r == -ENOSPC ? 0 : r;
		goto out;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		r = -ENOMEM;
		goto out;
	}
	snprintf(s->vgname, sizeof(s->vgname), "%s", vgname);
	snprintf(s->lvname, sizeof(s->lvname), "%s", lvname);
	s->data_old = cur;
	s->data_new = md_lv_extents(md_pool_data(pool));
	s->meta_extents = md_lv_extents(md_pool_meta(pool));
	s->threshold = thr;
	s->percent = lim.percent;
	if ((r = tb_vg_prepare_text(&c, vg, &raw)) < 0 ||
	    (r = tb_vg_mda_refs(&c, vg, &s->mdas, &s->n)) < 0)
		goto out;
	s->base = calloc(s->n, sizeof(*s->base));
	s->staged = calloc(s->n, sizeof(*s->staged));
	s->own_flush = calloc(s->n, sizeof(*s->own_flush));
	if (!s->base || !s->staged || !s->own_flush) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n; i++)
		s->own_flush[i] = !under_tmeta(vg, pool, s->mdas[i].bdev);
	r = lvf_mdas_stage(s->mdas, s->n, strbuf_str(&raw), raw.len + 1, s->base, s->staged, &err);
	if (r < 0) {
		r = tb_fail(ctx, r, "Cannot stage the next extension of %s/%s: %s", vgname, lvname,
			    err.message);
		goto out;
	}
	tb_dbg(ctx,
	       "%s/%s: staged the next extension (seqno %" PRIu32 ", data %u -> %u "
	       "extents).",
	       vgname, lvname, vg->md->seqno, s->data_old, s->data_new);
	tb_vg_keep_own_devices(vg);
	s->vg = TAKE_PTR(vg);
	*ret = TAKE_PTR(s);
	r = 0;
out:
	strbuf_release(&raw);
	tb_pool_stage_free(s);
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

bool tb_pool_stage_fresh(struct tb_pool_stage *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		struct lvf_mda_header h;
		const struct lvf_raw_locn *a = &h.slot[0], *b = &s->base[i];

		if (lvf_mda_read_header(&s->mdas[i], &h, NULL) < 0 || a->offset != b->offset ||
		    a->size != b->size || a->checksum != b->checksum || a->flags != b->flags)
			return false;
	}
	return s != NULL;
}

int tb_pool_stage_apply(struct tb_ctx *ctx, struct tb_pool_stage *s,
			const struct dmk_thin_pool_status *st, struct tb_autoextend_result *ret)
{
	struct tb_autoextend_result res = { 0 };
	struct lvf_err err = { 0 };
	struct tb_cmd c;
	struct md_lv *pool;
	struct md_vg *md = s->vg->md;
	uint32_t es = md->extent_size, chunk;
	struct timespec t0, t1;
	uint64_t need;
	int r;

	pool = md_vg_find_lv(md, s->lvname);
	if (!pool || !pool->n_segs || !(chunk = pool->segs[0].chunk_size) ||
	    dmk_pool_status_broken(st))
		return 0;
	/* the kernel pool still has the size staged against, the metadata needs nothing, and
	 * the staged amount covers the usage now */
	if (st->total_data_blocks != (uint64_t)s->data_old * es / chunk ||
	    tb_usage_at_or_over(st->used_meta_blocks, st->total_meta_blocks, s->threshold))
		return 0;
	need = tb_policy_add(s->data_old, st->used_data_blocks * chunk, es, s->threshold,
			     s->percent);
	if ((uint64_t)s->data_old + need > s->data_new)
		return 0;
	if ((r = tb_cmd_begin(ctx, &c, "lvextend")) < 0)
		return r;
	if ((r = tb_lock_vg(&c.locks, s->vgname, true)) < 0) {
		r = tb_fail(ctx, r, "%s",
			    c.locks.errmsg[0] ? c.locks.errmsg : "Cannot lock the volume group");
		goto out;
	}
	/* The headers go out without a flush of their own on the way to the kernel step: the
	 * writes have reached the disks (O_DIRECT), and the pool's metadata can only become
	 * durable through a cache flush of the disks under _tmeta issued after that (its
	 * suspend's commit, at the latest its next one), which makes the headers durable
	 * first. Areas on other disks are flushed here, before the reload. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = lvf_mdas_commit_staged(s->mdas, s->n, s->base, s->staged, false, &err);
	for (size_t i = 0; r == 0 && i < s->n; i++)
		if (s->own_flush[i] && (r = lvf_bdev_flush(s->mdas[i].bdev)) < 0)
			snprintf(err.message, sizeof(err.message), "cannot flush %s: %s",
				 s->mdas[i].bdev->name, strerror(-r));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r == -ESTALE) {
		tb_dbg(ctx, "%s/%s: the staged extension is stale (%s).", s->vgname, s->lvname,
		       err.message);
		r = 0;
		goto out;
	}
	if (r < 0) {
		r = tb_fail(ctx, r, "Failed to write metadata of VG %s: %s", s->vgname, err.message);
		goto out;
	}
	tb_dbg(ctx, "Committed VG %s seqno %" PRIu32 " to %zu metadata areas (staged, %ld us).",
	       s->vgname, md->seqno, s->n,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
	res.data_wanted = true;
	res.data_old = s->data_old;
	res.data_new = s->data_new;
	res.meta_old = res.meta_new = s->meta_extents;
	/* from here on the VG holds the new size: a failed reload is made good by the ordinary
	 * path, which loads a committed size that is not live yet */
	if ((r = tb_pool_reload(&c, s->vg, pool)) < 0)
		goto out;
	/* and the commit durable on every area now, whatever the pool does */
	for (size_t i = 0; i < s->n; i++)
		if ((i == 0 || s->mdas[i].bdev != s->mdas[i - 1].bdev) &&
		    lvf_bdev_flush(s->mdas[i].bdev) < 0)
			tb_warn(ctx, "WARNING: cannot flush the metadata of VG %s on %s.",
				s->vgname, s->mdas[i].bdev->name);
	tb_vg_backup(&c, s->vg);
	tb_resize_notices(ctx, s->vg, pool, &res);
	*ret = res;
	r = 1;
out:
	tb_cmd_end(&c);
	return r;
}
