/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The autoextend policy (lvextend --use-policies and the monitor): how much a pool grows
 * (tb_policy_add), when (tb_usage_at_or_over), the step itself (tb_pool_autoextend: allocate,
 * commit, reload) and lvm2's messages about it. Moved out of core/cmd/lvcmds.c (issue 14) so
 * that the monitor and the staged path (core/policy/stage.c) need no command file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "core/activate/activate.h"
#include "core/policy/policy.h"
#include "kernel-iface/dmk.h"
#include "util/units.h"

/* Extents to add so that @used_sectors of @cur extents is back under @threshold %, at least
 * @percent % of @cur. */
uint64_t tb_policy_add(uint64_t cur, uint64_t used_sectors, uint32_t es, int64_t threshold,
		       int64_t percent)
{
	uint64_t add = DIV_ROUND_UP(cur * (uint64_t)percent, 100);
	uint64_t used_ext = DIV_ROUND_UP(used_sectors, es);
	uint64_t need = DIV_ROUND_UP(used_ext * 100, (uint64_t)threshold) + 1;

	if (need > cur + add)
		add = need - cur;
	return add;
}

/* The pool's status without a metadata commit (DM_NOFLUSH: no I/O in the path of a pool
 * waiting for space; the counts are the kernel's in-core ones). -ENXIO: not active. */
int tb_pool_status_now(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
		       struct dmk_thin_pool_status *ret)
{
	_cleanup_free_ char *uuid = NULL;
	struct dmk_target *t = NULL;
	struct dmk_info info;
	struct dmk_ctx *dmk;
	size_t n = 0;
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, pool, "tpool", &uuid)) < 0)
		return r;
	r = dmk_info_uuid(dmk, uuid, &info);
	if (r == -ENOENT || (r == 0 && !info.exists))
		r = -ENXIO;
	if (r < 0)
		return r;
	r = dmk_status(dmk, info.name, DMK_NOFLUSH, &t, &n);
	if (r == 0 && (n != 1 || dmk_thin_pool_status_parse(t[0].params, ret) < 0))
		r = tb_fail(c->ctx, -EBADMSG, "Cannot parse the status of thin pool %s/%s",
			    vg->md->name, pool->name);
	dmk_targets_free(t, n);
	return r;
}

bool tb_pool_size_pending(const struct md_vg *vg, const struct md_lv *pool,
			  const struct dmk_thin_pool_status *st)
{
	uint32_t es = vg->extent_size, chunk = pool->segs[0].chunk_size;
	uint64_t meta_sectors = (uint64_t)md_lv_extents(md_pool_meta(pool)) * es;

	/* the kernel caps the metadata device it uses a little under lvm2's maximum */
	return chunk &&
	       (st->total_data_blocks < (uint64_t)md_lv_extents(md_pool_data(pool)) * es / chunk ||
		(st->total_meta_blocks * 8 < meta_sectors &&
		 st->total_meta_blocks * 8 < MD_THIN_MAX_META - 8 * 1024));
}

bool tb_usage_at_or_over(uint64_t used, uint64_t total, int64_t threshold)
{
	return total && used * 100 >= (uint64_t)threshold * total;
}

static int autoextend_nospace(const struct tb_autoextend_result *res,
			      struct tb_autoextend_err *reterr)
{
	if (reterr)
		*reterr = (struct tb_autoextend_err){ .data_wanted = res->data_wanted,
						      .capped = res->capped,
						      .vg_short = res->vg_short };
	return -ENOSPC;
}

int tb_pool_autoextend(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, bool partial,
		       struct tb_autoextend_result *ret, struct tb_autoextend_err *reterr)
{
	struct tb_ctx *ctx = c->ctx;
	struct tb_autoextend_result res = { 0 };
	struct tb_autoextend_limits lim;
	struct dmk_thin_pool_status st;
	struct md_lv *data = md_pool_data(pool), *meta = md_pool_meta(pool);
	uint32_t es = vg->md->extent_size, chunk = pool->segs[0].chunk_size;
	uint64_t add_data = 0, add_meta = 0, free_ext;
	struct timespec t0, t1, t2;
	int r;

	res.data_old = res.data_new = md_lv_extents(data);
	res.meta_old = res.meta_new = md_lv_extents(meta);
	if ((r = tb_autoextend_limits(ctx, vg->md, pool, &lim)) < 0)
		return r;
	if ((r = tb_pool_status_now(c, vg, pool, &st)) < 0)
		return r == -ENXIO ? 0 : r;
	if (dmk_pool_status_broken(&st))
		return tb_fail(ctx, -EIO,
			       "Thin pool %s/%s is %s: thinbox will not resize it. Deactivate it and "
			       "repair it (thin_check, then lvconvert --repair or thin_repair).",
			       vg->md->name, pool->name, dmk_pool_status_what(&st));
	/* a size committed earlier but not live yet: make it live, allocate nothing */
	if (tb_pool_size_pending(vg->md, pool, &st)) {
		if ((r = tb_pool_reload(c, vg, pool)) < 0)
			return r;
		res.reloaded_only = true;
		tb_notice(ctx,
			  "Thin pool %s/%s: loaded the size committed earlier (%u data extents).",
			  vg->md->name, pool->name, res.data_old);
		if ((r = tb_pool_status_now(c, vg, pool, &st)) < 0)
			return r == -ENXIO ? 0 : r;
	}
	if (lim.threshold >= 100 || lim.percent <= 0 || !st.total_data_blocks ||
	    !st.total_meta_blocks) {
		*ret = res;
		return 0;
	}
	lim.threshold = md_threshold_clamp(lim.threshold);
	res.data_wanted = tb_usage_at_or_over(st.used_data_blocks, st.total_data_blocks,
					      lim.threshold);
	res.meta_wanted = tb_usage_at_or_over(st.used_meta_blocks, st.total_meta_blocks,
					      lim.threshold);
	if (res.data_wanted) {
		add_data = tb_policy_add(res.data_old, st.used_data_blocks * chunk, es,
					 lim.threshold, lim.percent);
		if (lim.max_sectors) {
			uint64_t cap = lim.max_sectors / es;
			if (res.data_old >= cap)
				add_data = 0;
			else if (res.data_old + add_data > cap)
				add_data = cap - res.data_old;
			res.capped = res.data_old + add_data >= cap;
		}
	}
	if (res.meta_wanted) {
		uint64_t maxe = MD_THIN_MAX_META / es;
		add_meta = tb_policy_add(res.meta_old, st.used_meta_blocks * 8, es, lim.threshold,
					 lim.percent);
		if (res.meta_old + add_meta > maxe)
			add_meta = res.meta_old >= maxe ? 0 : maxe - res.meta_old;
	}
	free_ext = md_vg_free_count(vg->md);
	if (add_data + add_meta > free_ext) {
		if (!partial) {
			tb_fail(ctx, -ENOSPC,
				"Insufficient free space: %" PRIu64 " extents needed, but only "
				"%" PRIu64 " available",
				add_data + add_meta, free_ext);
			return autoextend_nospace(&res, reterr);
		}
		res.vg_short = true;
		/* metadata first: running out of it is worse than out of data */
		if (add_meta > free_ext)
			add_meta = free_ext;
		add_data = MIN(add_data, free_ext - add_meta);
	}
	if (!add_data && !add_meta) {
		if (!res.data_wanted && !res.meta_wanted) {
			*ret = res;
			return 0;
		}
		tb_fail(ctx, -ENOSPC, "Thin pool %s/%s cannot grow: %s.", vg->md->name, pool->name,
			res.capped && !res.vg_short
				? "thin_pool_autoextend_max_size is reached"
				: "the volume group has no free extents (add a PV with vgextend)");
		return autoextend_nospace(&res, reterr);
	}
	if (add_meta &&
	    (r = md_pool_extend_meta(vg->md, pool, (uint32_t)add_meta, MD_ALLOC_NORMAL)) < 0)
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, add_meta) : r;
	if (add_data &&
	    (r = md_pool_extend_data(vg->md, pool, (uint32_t)add_data, MD_ALLOC_NORMAL)) < 0)
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, add_data) : r;
	/* lvm2's order: the metadata committed first, then the kernel */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((r = tb_pool_reload(c, vg, pool)) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &t2);
	tb_dbg(ctx, "%s/%s: commit %ld us, reload %ld us", vg->md->name, pool->name,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000),
	       (long)((t2.tv_sec - t1.tv_sec) * 1000000 + (t2.tv_nsec - t1.tv_nsec) / 1000));
	res.data_new = md_lv_extents(data);
	res.meta_new = md_lv_extents(meta);
	tb_resize_notices(ctx, vg, pool, &res);
	*ret = res;
	return 0;
}

void tb_resize_notices(struct tb_ctx *ctx, const struct tb_vg *vg, const struct md_lv *pool,
		       const struct tb_autoextend_result *res)
{
	uint32_t es = vg->md->extent_size;
	char a[32], b[32];

	for (int i = 0; i < 2; i++) {
		uint32_t o = i ? res->meta_old : res->data_old,
			 n = i ? res->meta_new : res->data_new;
		if (o == n)
			continue;
		units_display_size((uint64_t)o * es, a, sizeof(a));
		units_display_size((uint64_t)n * es, b, sizeof(b));
		tb_notice(ctx,
			  "Size of logical volume %s/%s changed from %s (%u extents) to %s (%u "
			  "extents).",
			  vg->md->name, (i ? md_pool_meta(pool) : md_pool_data(pool))->name, a, o,
			  b, n);
	}
	tb_notice(ctx, "Logical volume %s/%s successfully resized.", vg->md->name, pool->name);
}
