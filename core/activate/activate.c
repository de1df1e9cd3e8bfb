/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Activation: VG model -> device-mapper tables, as lvm2 2.03 loads them. See activate.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/activate/pooltruth.h"
#include "util/strbuf.h"

/* ---------------------------------------------------------------- tables */

static int linear_targets(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			  struct dmk_target **ret, size_t *ret_n)
{
	uint32_t es = vg->md->extent_size;
	struct dmk_target *t = calloc(lv->n_segs ? lv->n_segs : 1, sizeof(*t));
	size_t n = 0;
	int r;

	if (!t)
		return -ENOMEM;
	for (size_t s = 0; s < lv->n_segs; s++) {
		const struct md_seg *seg = &lv->segs[s];
		struct strbuf sb = { 0 };

		if (seg->kind != MD_SEG_STRIPED) {
			r = tb_fail(c->ctx, -EINVAL, "Internal error: LV %s/%s is not linear",
				    vg->md->name, lv->name);
			goto fail;
		}
		t[n].start = (uint64_t)seg->start_extent * es;
		t[n].len = (uint64_t)seg->extent_count * es;
		if (seg->stripe_count > 1) {
			snprintf(t[n].type, sizeof(t[n].type), "striped");
			strbuf_appendf(&sb, "%u %u", seg->stripe_count, seg->stripe_size);
		} else {
			snprintf(t[n].type, sizeof(t[n].type), "linear");
		}
		for (uint32_t a = 0; a < seg->stripe_count; a++) {
			const struct md_area *ar = &seg->areas[a];
			struct tb_pvdev *d = ar->pv ? tb_vg_pvdev_for(vg, ar->pv) : NULL;
			if (!d || !d->rdev) {
				strbuf_release(&sb);
				r = tb_fail(c->ctx, -ENODEV,
					    "Cannot activate %s/%s: %s. Check that all PVs are present "
					    "block devices.",
					    vg->md->name, lv->name,
					    ar->lv ? "stacked LV segments are not supported"
					    : !d   ? "a PV is missing"
						   : "a PV is not a block device");
				goto fail;
			}
			strbuf_appendf(&sb, "%s%u:%u %" PRIu64,
				       a || seg->stripe_count > 1 ? " " : "", major(d->rdev),
				       minor(d->rdev), ar->pv->pe_start + (uint64_t)ar->start * es);
		}
		if (!strbuf_ok(&sb)) {
			r = -ENOMEM;
			goto fail;
		}
		t[n++].params = strbuf_steal(&sb);
	}
	*ret = t;
	*ret_n = n;
	return 0;
fail:
	dmk_targets_free(t, n);
	return r;
}

static int one_target(uint64_t len, const char *type, char *params, struct dmk_target **ret)
{
	struct dmk_target *t = calloc(1, sizeof(*t));

	if (!t || !params) {
		free(t);
		free(params);
		return -ENOMEM;
	}
	t->len = len;
	snprintf(t->type, sizeof(t->type), "%s", type);
	t->params = params;
	*ret = t;
	return 0;
}

static int pool_target(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *pool, dev_t meta,
		       dev_t data, struct dmk_target **ret)
{
	const struct md_seg *seg = &pool->segs[0];
	struct dmk_thin_pool_params p = { 0 };
	uint64_t len = (uint64_t)md_lv_extents(md_pool_data(pool)) * vg->md->extent_size;
	int64_t threshold = 100, percent = 20;
	char *params = NULL;
	int r;

	tb_autoextend_policy(c->ctx, vg->md, pool, &threshold, &percent);
	p.meta = meta;
	p.data = data;
	p.block_sectors = seg->chunk_size;
	p.low_water_blocks = md_pool_low_water_mark(len, seg->chunk_size, threshold);
	p.skip_block_zeroing = !seg->zero_new_blocks;
	p.ignore_discard = seg->discards == MD_DISCARDS_IGNORE;
	p.no_discard_passdown = seg->discards == MD_DISCARDS_NOPASSDOWN;
	p.error_if_no_space = pool->flags & MD_LVF_ERROR_WHEN_FULL;
	r = dmk_thin_pool_params_format(&p, &params);
	if (r < 0)
		return r;
	return one_target(len, "thin-pool", params, ret);
}

/* ---------------------------------------------------------------- devices */

/* Create @name/@uuid with @t, resume, make the node. Removes it again on failure. */
static int dev_create(struct tb_cmd *c, const char *name, const char *uuid,
		      const struct dmk_target *t, size_t n, unsigned load_flags,
		      struct dmk_info *ret)
{
	struct dmk_ctx *dmk;
	struct dmk_info info = { 0 };
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	r = dmk_create(dmk, name, uuid, 0, NULL);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to create device-mapper device %s: %s", name,
			       dmk_errmsg(dmk));
	r = dmk_load(dmk, name, t, n, load_flags);
	if (r == 0)
		r = dmk_resume(dmk, name, 0, &info);
	if (r < 0) {
		tb_fail(c->ctx, r, "Failed to load the table of %s: %s", name, dmk_errmsg(dmk));
		dmk_remove(dmk, name, DMK_RETRY);
		return r;
	}
	r = dmk_node_add(dmk, name, info.dev);
	if (r < 0)
		tb_warn(c->ctx, "WARNING: cannot create /dev/mapper/%s: %s", name, strerror(-r));
	if (ret)
		*ret = info;
	return 0;
}

/* A device an interrupted command left half-made: created without a table, loaded but not
 * resumed, or suspended (docs/crash.md). Activation adopts it (dev_adopt) instead of taking it
 * as active: a pool loaded over a sub-device without a table fails with -EIO. */
static bool dev_half_made(const struct dmk_info *info)
{
	return !info->live_table || info->suspended || info->inactive_table;
}

/* Give the half-made device @info the table @t the VG says it has, and resume it. */
static int dev_adopt(struct tb_cmd *c, struct dmk_info *info, const struct dmk_target *t, size_t n,
		     unsigned load_flags)
{
	char name[sizeof(info->name)];
	struct dmk_ctx *dmk;
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	snprintf(name, sizeof(name), "%s", info->name);
	if (info->inactive_table)
		dmk_clear(dmk, name);
	r = dmk_load(dmk, name, t, n, load_flags);
	if (r == 0)
		r = dmk_resume(dmk, name, 0, info);
	if (r < 0)
		return tb_fail(c->ctx, r,
			       "Device %s was left half-made by an interrupted command and cannot "
			       "be completed: %s. Remove it (dmsetup remove %s) and retry.",
			       name, dmk_errmsg(dmk), name);
	tb_notice(c->ctx, "Completed device %s, left half-made by an interrupted command.", name);
	dmk_node_add(dmk, name, info->dev);
	return 0;
}

static int dev_remove(struct tb_cmd *c, const char *name)
{
	struct dmk_ctx *dmk;
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	r = dmk_remove(dmk, name, DMK_RETRY);
	if (r == -ENXIO)
		r = 0;
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to remove device-mapper device %s: %s%s", name,
			       dmk_errmsg(dmk),
			       r == -EBUSY ? ". It is open: close it (umount) and retry." : "");
	dmk_node_remove(dmk, name);
	return 0;
}

/* Swap in a new table for an active device: load, suspend, resume (lvm2's order). */
static long us_between(const struct timespec *a, const struct timespec *b)
{
	return (long)((b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000);
}

static int dev_reload(struct tb_cmd *c, const char *name, const struct dmk_target *t, size_t n,
		      unsigned load_flags)
{
	struct dmk_ctx *dmk;
	struct timespec ts[4];
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts[0]);
	r = dmk_load(dmk, name, t, n, load_flags);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to load a new table into %s: %s", name,
			       dmk_errmsg(dmk));
	clock_gettime(CLOCK_MONOTONIC, &ts[1]);
	r = dmk_suspend(dmk, name, DMK_NOFLUSH);
	if (r < 0) {
		dmk_clear(dmk, name);
		return tb_fail(c->ctx, r, "Failed to suspend %s: %s", name, dmk_errmsg(dmk));
	}
	clock_gettime(CLOCK_MONOTONIC, &ts[2]);
	r = dmk_resume(dmk, name, 0, NULL);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to resume %s: %s", name, dmk_errmsg(dmk));
	clock_gettime(CLOCK_MONOTONIC, &ts[3]);
	tb_dbg(c->ctx, "%s reloaded: load %ld, suspend %ld, resume %ld us", name,
	       us_between(&ts[0], &ts[1]), us_between(&ts[1], &ts[2]), us_between(&ts[2], &ts[3]));
	return 0;
}

static int link_add(struct tb_cmd *c, const struct md_vg *vg, const struct md_lv *lv,
		    const char *dmname)
{
	struct dmk_ctx *dmk;
	int r = tb_ctx_dmk(c->ctx, &dmk);
	if (r == 0 && dmk_symlink_add(dmk, vg->name, lv->name, dmname) < 0)
		tb_warn(c->ctx, "WARNING: cannot create /dev/%s/%s", vg->name, lv->name);
	return 0;
}

static void link_remove(struct tb_cmd *c, const struct md_vg *vg, const struct md_lv *lv)
{
	struct dmk_ctx *dmk;
	if (tb_ctx_dmk(c->ctx, &dmk) == 0)
		dmk_symlink_remove(dmk, vg->name, lv->name);
}

/* A visible LV without WRITE in its status (lvcreate/lvchange -p r) gets a read-only table,
 * as lvm2 loads it; pool sub-LVs are always read-write. */
static unsigned lv_load_flags(const struct md_lv *lv)
{
	return md_lv_is_visible(lv) && !(lv->status & MD_LV_WRITE) ? DMK_READONLY : 0;
}

/* What activation says when it gave a live device the size its VG records. */
static void reloaded_notice(struct tb_cmd *c, const struct tb_vg *vg, const struct md_lv *lv)
{
	tb_notice(c->ctx,
		  "Reloaded %s/%s to the size its VG records, left by an interrupted command.",
		  vg->md->name, lv->name);
}

/* The total length of the live table of device @name; 0 when it has none or cannot be read. */
static uint64_t live_len(struct tb_cmd *c, const char *name)
{
	struct dmk_target *t = NULL;
	struct dmk_ctx *dmk;
	uint64_t len = 0;
	size_t n = 0;

	if (tb_ctx_dmk(c->ctx, &dmk) < 0 || dmk_table(dmk, name, 0, &t, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		len += t[i].len;
	dmk_targets_free(t, n);
	return len;
}

/* A live linear or thin LV @lv (@info) whose table has another length than its VG records: a
 * resize (lvextend, lvreduce) stopped between its commit and its reload. It gets the VG's
 * table, as lvm2's activation reloads a live table that differs from its metadata (a larger
 * live LV would map extents the VG has freed). */
static int live_size_sync(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv,
			  const struct dmk_info *info)
{
	uint64_t have = live_len(c, info->name);
	int r;

	if (!have || have == (uint64_t)md_lv_extents(lv) * vg->md->extent_size)
		return 0;
	if ((r = tb_lv_reload(c, vg, lv)) < 0)
		return r;
	reloaded_notice(c, vg, lv);
	return 0;
}

/* A linear LV (ordinary, _tdata, _tmeta, pmspare) under its own name. */
static int linear_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv,
			   struct dmk_info *ret)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL;
	struct dmk_target *t = NULL;
	struct dmk_info info;
	size_t n = 0;
	int r;

	bool found;

	r = tb_lv_find(c->ctx, vg->md, lv, tb_lv_own_suffix(vg->md, lv), &info);
	if (r < 0)
		return r;
	found = r > 0;
	if (found && !dev_half_made(&info)) {
		if (ret)
			*ret = info;
		/* a plain LV of its own (not a pool's or raid's part, not an origin's layer) */
		if (md_lv_is_visible(lv) && !tb_lv_own_suffix(vg->md, lv))
			return live_size_sync(c, vg, lv, &info);
		return 0;
	}
	if ((r = tb_lv_dm_name(vg->md, lv, NULL, &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, lv, tb_lv_own_suffix(vg->md, lv), &uuid)) < 0 ||
	    (r = linear_targets(c, vg, lv, &t, &n)) < 0)
		return r;
	if (found) {
		r = dev_adopt(c, &info, t, n, lv_load_flags(lv));
		if (r == 0 && ret)
			*ret = info;
	} else {
		r = dev_create(c, name, uuid, t, n, lv_load_flags(lv), ret);
	}
	dmk_targets_free(t, n);
	if (r == 0 && md_lv_is_visible(lv))
		link_add(c, vg->md, lv, name);
	return r;
}

static int remove_if_active(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			    const char *suffix);

/* Is the live thin-pool device @info of @pool under the pool's plain name (the layout of a new
 * pool: no -tpool name, no read-only linear layer)? */
static bool is_plain_name(const struct md_vg *vg, const struct md_lv *pool,
			  const struct dmk_info *info)
{
	_cleanup_free_ char *plain = NULL;
	return tb_lv_dm_name(vg, pool, NULL, &plain) == 0 && streq(plain, info->name);
}

/* A used pool live under its plain name: the public device is the thin-pool itself. */
static bool pool_live_plain(struct tb_cmd *c, const struct md_vg *vg, const struct md_lv *pool)
{
	struct dmk_info info;
	return tb_lv_find(c->ctx, vg, pool, "tpool", &info) > 0 && is_plain_name(vg, pool, &info);
}

/* A pool live under its plain name whose kernel metadata holds device ids that are no thin
 * LV of the VG was opened by that name by another program (containerd's pool_name, a
 * dmsetup script): renaming it to -tpool would take the name from under that program, so
 * it keeps the layout it has (1). 0: rename as lvm2 does. */
static int keeps_plain_name(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			    const struct dmk_info *info)
{
	_cleanup_free_ uint32_t *ids = NULL;
	size_t n = 0;
	int r;

	if (!is_plain_name(vg->md, pool, info))
		return 0;
	if ((r = tb_pool_foreign_ids(c, vg, pool, &ids, &n)) < 0)
		return r;
	if (n == 0)
		return 0;
	tb_info(c->ctx,
		"Thin pool %s/%s keeps its device name %s: it holds %zu device id%s "
		"(%u%s) of another program.",
		vg->md->name, pool->name, info->name, n, n == 1 ? "" : "s", ids[0],
		n > 1 ? ", ..." : "");
	return 1;
}

static bool sub_is_live(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			const char *suffix);

/* Give the pool sub-LV @lv, live before this activation (@was_live), the VG's table when its
 * live table has another size. */
static int sub_sync(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, const char *suffix,
		    bool was_live)
{
	int r;

	if (!was_live || sub_is_live(c, vg, lv, suffix))
		return 0;
	if ((r = tb_lv_reload(c, vg, lv)) < 0)
		return r;
	reloaded_notice(c, vg, lv);
	return 0;
}

/* A pool live and complete (@tp) whose devices are smaller than its VG records: an extension
 * (lvextend, the monitor) stopped after its commit and before its reload, with every device
 * resumed (docs/activation.md "A live pool smaller than its VG"). The pool is grown as the extension would have, as
 * lvm2's activation reloads a live table that differs from its metadata. */
static int pool_live_sync(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			  const struct dmk_info *tp)
{
	uint64_t want = (uint64_t)md_lv_extents(md_pool_data(pool)) * vg->md->extent_size;
	uint64_t have = live_len(c, tp->name);
	int r;

	if (!have)
		return 0;
	/* (the read-only public layer of a used pool: pool_activate) */
	if (have == want && sub_is_live(c, vg, md_pool_meta(pool), "tmeta") &&
	    sub_is_live(c, vg, md_pool_data(pool), "tdata"))
		return 0;
	if (have > want)
		return 0; /* a pool never shrinks: not left by our extension, left alone */
	if ((r = tb_pool_reload(c, vg, pool)) < 0)
		return r;
	reloaded_notice(c, vg, pool);
	return 0;
}

/* The thin-pool target of @pool (and its sub-devices); *ret = the target's device. */
static int pool_activate_target(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
				struct dmk_info *ret)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL, *mpath = NULL;
	struct dmk_info meta, data, info, sub;
	struct dmk_target *t = NULL;
	bool fresh = tb_pool_is_new(vg->md, pool), found;
	int r, had_meta, had_data;

	r = tb_lv_find(c->ctx, vg->md, pool, "tpool", &info);
	if (r < 0)
		return r;
	found = r > 0;
	if (found) {
		/* a pool that became used while active moves to its -tpool name */
		_cleanup_free_ char *want = NULL;
		struct dmk_ctx *dmk;
		if ((r = tb_lv_dm_name(vg->md, pool, fresh ? NULL : "tpool", &want)) < 0 ||
		    (r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
			return r;
		if (!streq(want, info.name) && !fresh && (r = keeps_plain_name(c, vg, pool, &info)))
			return r < 0 ? r : (*ret = info, 0);
		if (!streq(want, info.name)) {
			r = dmk_rename(dmk, info.name, want);
			if (r < 0)
				return tb_fail(c->ctx, r, "Failed to rename %s to %s: %s",
					       info.name, want, dmk_errmsg(dmk));
			dmk_node_rename(dmk, info.name, want, info.dev);
			if (fresh == false)
				link_remove(c, vg->md, pool);
			snprintf(info.name, sizeof(info.name), "%s", want);
		}
		if (!dev_half_made(&info)) {
			*ret = info;
			return pool_live_sync(c, vg, pool, &info);
		}
	}
	had_meta = tb_lv_find(c->ctx, vg->md, md_pool_meta(pool), "tmeta", &sub);
	had_data = tb_lv_find(c->ctx, vg->md, md_pool_data(pool), "tdata", &sub);
	if (had_meta < 0 || had_data < 0)
		return had_meta < 0 ? had_meta : had_data;
	if ((r = linear_activate(c, vg, md_pool_meta(pool), &meta)) < 0)
		return r;
	if ((r = linear_activate(c, vg, md_pool_data(pool), &data)) < 0)
		goto undo;
	/* children first: a sub-device live at another size than the VG's (an extension killed
	 * after the commit, before the sub-device's reload: docs/crash.md) gets the VG's table
	 * before the pool's table, sized from the VG, is loaded over it */
	if ((r = sub_sync(c, vg, md_pool_meta(pool), "tmeta", had_meta > 0)) < 0 ||
	    (r = sub_sync(c, vg, md_pool_data(pool), "tdata", had_data > 0)) < 0)
		goto undo;
	/* the pool's own superblock (and thin_check where lvm.conf asks) before the kernel
	 * loads it: lvm2's _thin_pool_callback point */
	if (asprintf(&mpath, "/dev/mapper/%s", meta.name) < 0) {
		r = -ENOMEM;
		goto undo;
	}
	if ((r = tb_pool_precheck(c, vg, pool, mpath)) < 0)
		goto undo;
	if ((r = tb_lv_dm_name(vg->md, pool, fresh ? NULL : "tpool", &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, pool, "tpool", &uuid)) < 0 ||
	    (r = pool_target(c, vg, pool, meta.dev, data.dev, &t)) < 0)
		goto undo;
	if (found) {
		r = dev_adopt(c, &info, t, 1, 0);
		if (r == 0)
			*ret = info;
	} else {
		r = dev_create(c, name, uuid, t, 1, 0, ret);
	}
	dmk_targets_free(t, 1);
	if (r < 0)
		goto undo;
	if (fresh)
		link_add(c, vg->md, pool, name);
	return 0;
undo:
	/* a refused activation leaves the kernel as it was */
	if (!had_data)
		remove_if_active(c, vg, md_pool_data(pool), "tdata");
	if (!had_meta)
		remove_if_active(c, vg, md_pool_meta(pool), "tmeta");
	return r;
}

static int pool_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL, *params = NULL;
	uint64_t want = (uint64_t)md_lv_extents(md_pool_data(pool)) * vg->md->extent_size;
	struct dmk_info tp, info;
	struct dmk_target *t = NULL;
	bool found, live;
	int r;

	if ((r = pool_activate_target(c, vg, pool, &tp)) < 0)
		return r;
	if (tb_pool_is_new(vg->md, pool) || is_plain_name(vg->md, pool, &tp))
		return 0;
	/* a used pool: the public device is a read-only linear layer over -tpool */
	r = tb_lv_find(c->ctx, vg->md, pool, "pool", &info);
	if (r < 0)
		return r;
	found = r > 0;
	live = found && !dev_half_made(&info);
	/* live at its VG's size; else it is the one an extension reloads last (stopped before
	 * that: docs/activation.md "A live pool smaller than its VG") */
	if (live && live_len(c, info.name) == want)
		return 0;
	if ((r = tb_lv_dm_name(vg->md, pool, NULL, &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, pool, "pool", &uuid)) < 0)
		return r;
	if (asprintf(&params, "%u:%u 0", major(tp.dev), minor(tp.dev)) < 0)
		return -ENOMEM;
	if ((r = one_target(want, "linear", TAKE_PTR(params), &t)) < 0)
		return r;
	if (live)
		r = dev_reload(c, info.name, t, 1, DMK_READONLY);
	else if (found)
		r = dev_adopt(c, &info, t, 1, DMK_READONLY);
	else
		r = dev_create(c, name, uuid, t, 1, DMK_READONLY, NULL);
	dmk_targets_free(t, 1);
	if (r == 0 && live)
		reloaded_notice(c, vg, pool);
	else if (r == 0)
		link_add(c, vg->md, pool, name);
	return r;
}

/* The one-target device of visible LV @lv: @half (a half-made device found) completed, else
 * created; then its /dev/VG/LV link. Frees @t. */
static int dev_make(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
		    struct dmk_info *half, const char *name, const char *uuid, struct dmk_target *t)
{
	int r = half ? dev_adopt(c, half, t, 1, lv_load_flags(lv))
		     : dev_create(c, name, uuid, t, 1, lv_load_flags(lv), NULL);

	dmk_targets_free(t, 1);
	if (r == 0)
		link_add(c, vg->md, lv, name);
	return r;
}

/* A thin LV whose table the kernel refused: say so plainly when the pool's metadata has no
 * device with its id (lost to a crash of another tool, or deleted by hand); else keep @r. */
static int thin_missing(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, int r)
{
	struct md_lv *pool = lv->segs[0].thin_pool;
	struct tf_pool p;

	if (tb_pool_metadata_read(c, vg, pool, &p) < 0)
		return r;
	if (!tf_pool_has_device(&p, lv->segs[0].device_id))
		r = tb_fail(c->ctx, -ENODATA,
			    "Thin pool %s/%s has no thin device with id %u, which thin LV %s/%s "
			    "names: its data is not in the pool. Remove the LV (lvremove %s/%s) or "
			    "restore the pool's metadata.",
			    vg->md->name, pool->name, lv->segs[0].device_id, vg->md->name, lv->name,
			    vg->md->name, lv->name);
	tf_pool_release(&p);
	return r;
}

static int thin_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL, *params = NULL;
	struct md_lv *pool = lv->segs[0].thin_pool;
	struct dmk_thin_params p = { 0 };
	struct dmk_info tp, info;
	struct dmk_target *t = NULL;
	int r;

	bool found;

	r = tb_lv_find(c->ctx, vg->md, lv, NULL, &info);
	if (r < 0)
		return r;
	if (r > 0 && !dev_half_made(&info))
		return live_size_sync(c, vg, lv, &info);
	found = r > 0;
	if ((r = pool_activate_target(c, vg, pool, &tp)) < 0)
		return r;
	p.pool = tp.dev;
	p.dev_id = lv->segs[0].device_id;
	if ((r = dmk_thin_params_format(&p, &params)) < 0)
		return r;
	if ((r = tb_lv_dm_name(vg->md, lv, NULL, &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, lv, NULL, &uuid)) < 0)
		return r;
	r = one_target((uint64_t)lv->segs[0].extent_count * vg->md->extent_size, "thin",
		       TAKE_PTR(params), &t);
	if (r < 0)
		return r;
	r = dev_make(c, vg, lv, found ? &info : NULL, name, uuid, t);
	if (r < 0)
		r = thin_missing(c, vg, lv, r);
	return r;
}

static int origin_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin);
static int origin_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin);
static int cow_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv);
/* The raid table of @lv over its sub-devices @meta[k], @img[k] (lvm2's
 * _raid_emit_segment_line for dm-raid 1.11+: "raid1 <#params> 0 [nosync] [region_size R]
 * <#devices> <meta> <image>..."; "-" for a missing metadata device). */
static int raid_target(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
		       const struct dmk_info *meta, const struct dmk_info *img,
		       struct dmk_target **ret)
{
	const struct md_seg *rs = &lv->segs[0];
	/* lvm2 loads "nosync" only in the command that skips the sync (creation with --nosync,
	 * lvextend of a NOTSYNCED LV): later activations find the superblocks in sync */
	bool nosync = c->raid_nosync;
	struct strbuf sb = { 0 };

	strbuf_appendf(&sb, "%s %u 0", rs->type, 1 + (nosync ? 1 : 0) + (rs->region_size ? 2 : 0));
	if (nosync)
		strbuf_append(&sb, " nosync");
	if (rs->region_size)
		strbuf_appendf(&sb, " region_size %u", rs->region_size);
	strbuf_appendf(&sb, " %u", rs->stripe_count);
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		if (rs->meta_areas)
			strbuf_appendf(&sb, " %u:%u", major(meta[k].dev), minor(meta[k].dev));
		else
			strbuf_append(&sb, " -");
		strbuf_appendf(&sb, " %u:%u", major(img[k].dev), minor(img[k].dev));
	}
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return -ENOMEM;
	}
	return one_target((uint64_t)rs->extent_count * vg->md->extent_size, "raid",
			  strbuf_steal(&sb), ret);
}

/* A raid LV: its metadata and image sub-devices (each pair in order), then the raid device. */
static int raid_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL;
	const struct md_seg *rs = &lv->segs[0];
	struct dmk_info meta[MD_RAID1_MAX_IMAGES], img[MD_RAID1_MAX_IMAGES], info;
	struct dmk_target *t = NULL;
	bool found;
	int r;

	if (rs->stripe_count > MD_RAID1_MAX_IMAGES)
		return -EINVAL;
	r = tb_lv_find(c->ctx, vg->md, lv, NULL, &info);
	if (r < 0 || (r > 0 && !dev_half_made(&info)))
		return r < 0 ? r : 0;
	found = r > 0;
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		if (rs->meta_areas &&
		    (r = linear_activate(c, vg, rs->meta_areas[k].lv, &meta[k])) < 0)
			return r;
		if ((r = linear_activate(c, vg, rs->areas[k].lv, &img[k])) < 0)
			return r;
	}
	if ((r = tb_lv_dm_name(vg->md, lv, NULL, &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, lv, NULL, &uuid)) < 0 ||
	    (r = raid_target(c, vg, lv, meta, img, &t)) < 0)
		return r;
	return dev_make(c, vg, lv, found ? &info : NULL, name, uuid, t);
}

int tb_lv_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	/* old-style snapshots come and go with their origin, as lvm2 loads them */
	if (md_lv_is_snapshot(lv))
		return 0;
	if (md_lv_is_cow(lv))
		return origin_activate(c, vg, md_cow_origin(lv));
	if (md_origin_cows(vg->md, lv, NULL, 0))
		return origin_activate(c, vg, lv);
	for (size_t s = 0; s < lv->n_segs; s++)
		if (lv->segs[s].kind == MD_SEG_UNKNOWN)
			return tb_fail(c->ctx, -EOPNOTSUPP,
				       "Cannot activate %s/%s: segment type %s is not supported by "
				       "thinbox.",
				       vg->md->name, lv->name, lv->segs[s].type);
	if (md_lv_is_thin_pool(lv))
		return pool_activate(c, vg, lv);
	if (md_lv_is_thin(lv))
		return thin_activate(c, vg, lv);
	if (md_lv_is_raid(lv))
		return raid_activate(c, vg, lv);
	if (md_lv_raid_of(vg->md, lv, NULL, NULL))
		return tb_fail(c->ctx, -EINVAL,
			       "Unable to change internal LV %s/%s directly. Activate its raid LV.",
			       vg->md->name, lv->name);
	return linear_activate(c, vg, lv, NULL);
}

/* ---------------------------------------------------------------- deactivation */

static int remove_if_active(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			    const char *suffix)
{
	struct dmk_info info;
	int r = tb_lv_find(c->ctx, vg->md, lv, suffix, &info);

	if (r <= 0)
		return r;
	return dev_remove(c, info.name);
}

static bool any_thin_active(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *pool,
			    const struct md_lv *except)
{
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		struct dmk_info info;
		if (lv == except || !md_lv_is_thin(lv) || lv->segs[0].thin_pool != pool)
			continue;
		if (tb_lv_find(c->ctx, vg->md, lv, NULL, &info) > 0)
			return true;
	}
	return false;
}

/* Remove the pool's target and sub-devices unless a thin LV still needs them. */
static int pool_release(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			const struct md_lv *except)
{
	struct dmk_info info;
	int r;

	if (any_thin_active(c, vg, pool, except))
		return 0;
	/* the public device of a used pool keeps the target busy */
	if (!tb_pool_is_new(vg->md, pool) && tb_lv_find(c->ctx, vg->md, pool, "pool", &info) > 0)
		return 0;
	if ((r = remove_if_active(c, vg, pool, "tpool")) < 0 ||
	    (r = remove_if_active(c, vg, md_pool_data(pool), "tdata")) < 0 ||
	    (r = remove_if_active(c, vg, md_pool_meta(pool), "tmeta")) < 0)
		return r;
	return 0;
}

int tb_lv_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct dmk_info info;
	int r;

	if (md_lv_is_snapshot(lv))
		return 0;
	if (md_lv_is_cow(lv))
		return origin_deactivate(c, vg, md_cow_origin(lv));
	if (md_origin_cows(vg->md, lv, NULL, 0))
		return origin_deactivate(c, vg, lv);

	if (md_lv_is_thin_pool(lv)) {
		if (!tb_pool_is_new(vg->md, lv)) {
			r = tb_lv_find(c->ctx, vg->md, lv, "pool", &info);
			if (r < 0)
				return r;
			if (r > 0) {
				if (info.open_count > 0)
					return tb_fail(c->ctx, -EBUSY,
						       "Logical volume %s/%s in use.", vg->md->name,
						       lv->name);
				if ((r = dev_remove(c, info.name)) < 0)
					return r;
			}
		} else if (any_thin_active(c, vg, lv, NULL) == false) {
			r = tb_lv_find(c->ctx, vg->md, lv, "tpool", &info);
			if (r > 0 && info.open_count > 0)
				return tb_fail(c->ctx, -EBUSY, "Logical volume %s/%s in use.",
					       vg->md->name, lv->name);
		}
		link_remove(c, vg->md, lv);
		return pool_release(c, vg, lv, NULL);
	}
	r = tb_lv_find(c->ctx, vg->md, lv, tb_lv_own_suffix(vg->md, lv), &info);
	if (r < 0)
		return r;
	if (r > 0) {
		if (info.open_count > 0)
			return tb_fail(c->ctx, -EBUSY, "Logical volume %s/%s in use.", vg->md->name,
				       lv->name);
		if ((r = dev_remove(c, info.name)) < 0)
			return r;
	}
	link_remove(c, vg->md, lv);
	if (md_lv_is_raid(lv)) {
		const struct md_seg *rs = &lv->segs[0];
		for (uint32_t k = 0; k < rs->stripe_count; k++) {
			if ((r = remove_if_active(c, vg, rs->areas[k].lv, NULL)) < 0)
				return r;
			if (rs->meta_areas &&
			    (r = remove_if_active(c, vg, rs->meta_areas[k].lv, NULL)) < 0)
				return r;
		}
		return 0;
	}
	if (md_lv_is_thin(lv)) {
		struct md_lv *pool = lv->segs[0].thin_pool;
		struct dmk_info pub;
		/* keep the pool if its own LV is active */
		if (tb_pool_is_new(vg->md, pool) ||
		    tb_lv_find(c->ctx, vg->md, pool, "pool", &pub) > 0 ||
		    pool_live_plain(c, vg->md, pool))
			return 0;
		return pool_release(c, vg, pool, lv);
	}
	return 0;
}

int tb_vg_deactivate_all(struct tb_cmd *c, struct tb_vg *vg)
{
	int r;

	/* thin LVs, then pools, then everything else: reverse of the dependency order */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < vg->md->n_lvs; i++) {
			struct md_lv *lv = vg->md->lvs[i];
			int kind = md_lv_is_thin(lv) ? 0 : md_lv_is_thin_pool(lv) ? 1 : 2;
			if (kind != pass)
				continue;
			if (kind == 2 &&
			    (md_lv_pool_of(vg->md, lv) || md_lv_raid_of(vg->md, lv, NULL, NULL)))
				continue; /* released with its pool or raid LV */
			if ((r = tb_lv_deactivate(c, vg, lv)) < 0)
				return r;
		}
	return 0;
}

/* ---------------------------------------------------------------- pool operations */

static int pool_status(struct tb_cmd *c, const char *name, struct dmk_thin_pool_status *ret)
{
	struct dmk_ctx *dmk;
	struct dmk_target *t = NULL;
	size_t n = 0;
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	r = dmk_status(dmk, name, 0, &t, &n);
	if (r == 0 && (n != 1 || dmk_thin_pool_status_parse(t[0].params, ret) < 0))
		r = -EBADMSG;
	dmk_targets_free(t, n);
	if (r < 0)
		return tb_fail(c->ctx, r, "Cannot read the status of thin pool %s", name);
	return 0;
}

/* Send one queued message. */
static int send_msg(struct tb_cmd *c, struct tb_vg *vg, struct dmk_ctx *dmk, const char *tpool,
		    const struct md_msg *msg)
{
	struct md_lv *o;
	struct dmk_info oi;
	bool susp;
	int r;

	if (msg->kind == MD_MSG_DELETE)
		return dmk_thin_msg_delete(dmk, tpool, msg->device_id);
	o = msg->lv->segs[0].origin;
	if (!o)
		return dmk_thin_msg_create_thin(dmk, tpool, msg->lv->segs[0].device_id);
	/* the kernel wants the origin suspended while it is snapshotted */
	susp = tb_lv_find(c->ctx, vg->md, o, NULL, &oi) > 0;
	if (susp && (r = dmk_suspend(dmk, oi.name, 0)) < 0)
		return tb_fail(c->ctx, r, "Failed to suspend origin %s: %s", oi.name,
			       dmk_errmsg(dmk));
	r = dmk_thin_msg_create_snap(dmk, tpool, msg->lv->segs[0].device_id, o->segs[0].device_id);
	if (susp) {
		/* an origin left suspended blocks every I/O to it: never pass over this */
		int rr = dmk_resume(dmk, oi.name, 0, NULL);
		if (rr < 0 && r >= 0)
			r = tb_fail(c->ctx, rr,
				    "Failed to resume origin %s after its snapshot: %s. It is still "
				    "suspended: run 'dmsetup resume %s'.",
				    oi.name, dmk_errmsg(dmk), oi.name);
		else if (rr < 0)
			tb_warn(c->ctx,
				"WARNING: origin %s is still suspended: run 'dmsetup resume %s'.",
				oi.name, oi.name);
	}
	return r;
}

static uint32_t msg_id(const struct md_msg *msg)
{
	return msg->kind == MD_MSG_DELETE ? msg->device_id : msg->lv->segs[0].device_id;
}

/* Has the kernel already done @msg (an interrupted command sent it, then died before
 * set_transaction_id or before the VG commit)? A create counts as done only for a device
 * made in the kernel's current transaction @k_tid and, for a plain thin, never written. */
static bool msg_done(const struct tf_pool *p, const struct md_msg *msg, uint64_t k_tid,
		     bool *ret_foreign)
{
	uint32_t id = msg_id(msg);

	*ret_foreign = false;
	if (msg->kind == MD_MSG_DELETE)
		return !tf_pool_has_device(p, id);
	for (size_t i = 0; i < p->n_devs; i++)
		if (p->devs[i].dev_id == id) {
			const struct tf_device_details *d = &p->devs[i].details;
			if (d->transaction_id != k_tid ||
			    (!msg->lv->segs[0].origin && d->mapped_blocks != 0)) {
				*ret_foreign = true;
				return false;
			}
			return true;
		}
	return false;
}

int tb_pool_send_messages(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, unsigned flags,
			  bool *ret_untouched)
{
	struct md_seg *seg = &pool->segs[0];
	struct dmk_thin_pool_status st;
	struct tf_pool p = { 0 };
	struct dmk_info tp;
	struct dmk_ctx *dmk;
	uint64_t want = seg->transaction_id;
	bool fresh = flags & TB_APPLY_FRESH, foreign;
	size_t sent = 0, skipped = 0;
	int r;

	if (ret_untouched)
		*ret_untouched = true;
	if (!seg->n_msgs)
		return 0;
	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	if ((r = pool_activate_target(c, vg, pool, &tp)) < 0)
		return r;
	if ((r = pool_status(c, tp.name, &st)) < 0)
		return r;
	if (dmk_pool_status_broken(&st))
		return tb_fail(c->ctx, -EIO,
			       "Thin pool %s/%s is %s; no changes are sent to it. Repair it "
			       "(lvconvert --repair with lvm2, or thin_repair) first.",
			       vg->md->name, pool->name, dmk_pool_status_what(&st));
	/* an interrupted command: what of it did the kernel already take? */
	if (!fresh && (st.transaction_id + 1 == want || st.transaction_id == want)) {
		r = tb_pool_metadata_read(c, vg, pool, &p);
		if (r < 0 && r != -ENODATA)
			return r;
	}
	if (st.transaction_id + 1 == want) {
		for (size_t m = 0; m < seg->n_msgs; m++) {
			const struct md_msg *msg = &seg->msgs[m];
			if (!fresh && msg_done(&p, msg, st.transaction_id, &foreign)) {
				skipped++;
				continue;
			}
			if (!fresh && foreign) {
				tf_pool_release(&p);
				return tb_fail(c->ctx, -EEXIST,
					       "Thin pool %s/%s already has device id %u, which is not "
					       "the one the interrupted command created (another program "
					       "made it); thinbox leaves the pool alone.",
					       vg->md->name, pool->name, msg_id(msg));
			}
			r = send_msg(c, vg, dmk, tp.name, msg);
			if (r < 0) {
				tf_pool_release(&p);
				if (ret_untouched)
					*ret_untouched = sent == 0 && skipped == 0;
				return tb_fail(c->ctx, r, "Thin pool %s/%s refused a message: %s%s",
					       vg->md->name, pool->name, dmk_errmsg(dmk),
					       r == -EEXIST ? " (another program uses that device "
							      "id)"
							    : "");
			}
			sent++;
		}
		if (ret_untouched)
			*ret_untouched = false;
		r = dmk_thin_msg_set_transaction_id(dmk, tp.name, want - 1, want);
		if (r < 0) {
			tf_pool_release(&p);
			return tb_fail(c->ctx, r,
				       "Failed to set transaction id %" PRIu64
				       " on thin pool %s/%s: %s",
				       want, vg->md->name, pool->name, dmk_errmsg(dmk));
		}
		if (skipped)
			tb_notice(c->ctx,
				  "Thin pool %s/%s: %zu of %zu queued messages were already "
				  "in the kernel (an interrupted command); finished the transaction "
				  "to %" PRIu64 ".",
				  vg->md->name, pool->name, skipped, seg->n_msgs, want);
		if ((r = pool_status(c, tp.name, &st)) < 0) {
			tf_pool_release(&p);
			return r;
		}
	} else if (!fresh && st.transaction_id == want) {
		/* the kernel finished; only the VG's second commit is missing: check that the
		 * pool holds what the messages say before taking them as done */
		for (size_t m = 0; m < seg->n_msgs; m++)
			if (tf_pool_has_device(&p, msg_id(&seg->msgs[m])) ==
			    (seg->msgs[m].kind == MD_MSG_DELETE)) {
				tf_pool_release(&p);
				return tb_fail(c->ctx, -EINVAL,
					       "Thin pool %s/%s transaction_id is %" PRIu64
					       " as the VG "
					       "expects, but device id %u is %s the pool. Another program "
					       "changed the pool; thinbox leaves it alone.",
					       vg->md->name, pool->name, want, msg_id(&seg->msgs[m]),
					       seg->msgs[m].kind == MD_MSG_DELETE ? "still in"
										  : "not in");
			}
		tb_notice(c->ctx,
			  "Thin pool %s/%s: the kernel already took the interrupted "
			  "command's messages (transaction_id %" PRIu64
			  "); the VG records them now.",
			  vg->md->name, pool->name, want);
	}
	tf_pool_release(&p);
	/* (a fresh transaction the kernel is already at was not ours: someone else moved it) */
	if (st.transaction_id != want || (fresh && !sent))
		return tb_fail(c->ctx, -EINVAL,
			       "Thin pool %s/%s transaction_id is %" PRIu64
			       ", while expected %" PRIu64
			       ". Another program changed the pool; thinbox leaves it alone.",
			       vg->md->name, pool->name, st.transaction_id,
			       want - (fresh && !sent ? 1 : 0));
	if (ret_untouched)
		*ret_untouched = false;
	md_pool_clear_messages(pool);
	return 0;
}

/* Does the live table of the pool sub-LV @lv already cover its size? */
static bool sub_is_live(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			const char *suffix)
{
	struct dmk_info info;

	/* (live_len is 0 when the table cannot be read: never an LV's size) */
	return tb_lv_find(c->ctx, vg->md, lv, suffix, &info) > 0 &&
	       live_len(c, info.name) == (uint64_t)md_lv_extents(lv) * vg->md->extent_size;
}

/* Grow the live pool @tp into its new table @t after its grown sub-devices: the pool is
 * suspended first (its suspend drains the thin devices and commits its metadata), so that the
 * sub-devices' own suspends find nothing in flight; each grown sub-device is then reloaded
 * and resumed, then the pool's table loaded and the pool resumed, which grows it (the
 * sub-devices are live at their new size before the pool's preresume looks at them). The pool is resumed whatever
 * fails, with its old table if the new one could not be loaded. */
static int pool_grow(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
		     const struct dmk_info *tp, const struct dmk_target *t, bool meta, bool data)
{
	struct dmk_ctx *dmk;
	struct timespec ts[3];
	int r, rr;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts[0]);
	r = dmk_suspend(dmk, tp->name, DMK_NOFLUSH);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to suspend %s: %s", tp->name, dmk_errmsg(dmk));
	clock_gettime(CLOCK_MONOTONIC, &ts[1]);
	if (meta)
		r = tb_lv_reload(c, vg, md_pool_meta(pool));
	if (r == 0 && data)
		r = tb_lv_reload(c, vg, md_pool_data(pool));
	if (r == 0) {
		r = dmk_load(dmk, tp->name, t, 1, 0);
		if (r < 0)
			r = tb_fail(c->ctx, r, "Failed to load a new table into %s: %s", tp->name,
				    dmk_errmsg(dmk));
	}
	clock_gettime(CLOCK_MONOTONIC, &ts[2]);
	rr = dmk_resume(dmk, tp->name, 0, NULL);
	if (rr < 0 && r == 0)
		r = tb_fail(c->ctx, rr, "Failed to resume %s: %s", tp->name, dmk_errmsg(dmk));
	else if (rr < 0)
		tb_warn(c->ctx, "WARNING: %s could not be resumed (%s); it is suspended.", tp->name,
			dmk_errmsg(dmk));
	if (r == 0)
		tb_dbg(c->ctx, "%s grown: suspend %ld, sub-devices and load %ld us", tp->name,
		       us_between(&ts[0], &ts[1]), us_between(&ts[1], &ts[2]));
	return r;
}

int tb_pool_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
{
	struct dmk_info tp, meta, data, pub;
	struct dmk_target *t = NULL;
	bool grow_meta, grow_data;
	int r;

	r = tb_lv_find(c->ctx, vg->md, pool, "tpool", &tp);
	if (r <= 0)
		return r;
	/* a sub-device whose live table already has its size is left alone (LVs here only
	 * grow); a grown one must be live before the pool's new table is loaded */
	grow_meta = !sub_is_live(c, vg, md_pool_meta(pool), "tmeta");
	grow_data = !sub_is_live(c, vg, md_pool_data(pool), "tdata");
	if (tb_lv_find(c->ctx, vg->md, md_pool_meta(pool), "tmeta", &meta) <= 0 ||
	    tb_lv_find(c->ctx, vg->md, md_pool_data(pool), "tdata", &data) <= 0)
		return tb_fail(c->ctx, -ENXIO, "Pool %s/%s sub-devices are not active",
			       vg->md->name, pool->name);
	if ((r = pool_target(c, vg, pool, meta.dev, data.dev, &t)) < 0)
		return r;
	if (grow_meta || grow_data)
		r = pool_grow(c, vg, pool, &tp, t, grow_meta, grow_data);
	else
		r = dev_reload(c, tp.name, t, 1, 0);
	if (r == 0 && !tb_pool_is_new(vg->md, pool) &&
	    tb_lv_find(c->ctx, vg->md, pool, "pool", &pub) > 0) {
		char *params = NULL;
		struct dmk_target *lt = NULL;
		if (asprintf(&params, "%u:%u 0", major(tp.dev), minor(tp.dev)) < 0)
			r = -ENOMEM;
		else if ((r = one_target(t->len, "linear", params, &lt)) == 0) {
			r = dev_reload(c, pub.name, lt, 1, DMK_READONLY);
			dmk_targets_free(lt, 1);
		}
	}
	dmk_targets_free(t, 1);
	return r;
}

/* Reload a live raid LV after its images grew, in lvm2's deptree order: each grown image
 * reloaded and resumed at its new size first (dm-raid refuses a table longer than its
 * components: "Component device(s) too small"; a larger image under the old raid table is
 * harmless), then the raid device's new table loaded, the device suspended and resumed. */
static int raid_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv,
		       const struct dmk_info *top)
{
	const struct md_seg *rs = &lv->segs[0];
	struct dmk_info meta[MD_RAID1_MAX_IMAGES], img[MD_RAID1_MAX_IMAGES];
	struct dmk_target *t = NULL;
	int r;

	if (rs->stripe_count > MD_RAID1_MAX_IMAGES)
		return -EINVAL;
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		if (tb_lv_find(c->ctx, vg->md, rs->areas[k].lv, NULL, &img[k]) <= 0 ||
		    (rs->meta_areas &&
		     tb_lv_find(c->ctx, vg->md, rs->meta_areas[k].lv, NULL, &meta[k]) <= 0))
			return tb_fail(c->ctx, -ENXIO, "Raid LV %s/%s sub-devices are not active",
				       vg->md->name, lv->name);
	}
	for (uint32_t k = 0; k < rs->stripe_count; k++) {
		size_t n = 0;
		if (sub_is_live(c, vg, rs->areas[k].lv, NULL))
			continue;
		if ((r = linear_targets(c, vg, rs->areas[k].lv, &t, &n)) < 0)
			return r;
		r = dev_reload(c, img[k].name, t, n, 0);
		dmk_targets_free(t, n);
		if (r < 0)
			return r;
	}
	if ((r = raid_target(c, vg, lv, meta, img, &t)) < 0)
		return r;
	r = dev_reload(c, top->name, t, 1, lv_load_flags(lv));
	dmk_targets_free(t, 1);
	return r;
}

int tb_lv_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct dmk_target *t = NULL;
	struct dmk_info info;
	size_t n = 0;
	int r;

	if (md_lv_is_thin_pool(lv))
		return tb_pool_reload(c, vg, lv);
	if (md_lv_is_cow(lv) || md_origin_cows(vg->md, lv, NULL, 0))
		return cow_reload(c, vg, lv);
	r = tb_lv_find(c->ctx, vg->md, lv, tb_lv_own_suffix(vg->md, lv), &info);
	if (r <= 0)
		return r;
	if (md_lv_is_raid(lv))
		return raid_reload(c, vg, lv, &info);
	if (md_lv_is_thin(lv)) {
		_cleanup_free_ char *params = NULL;
		struct dmk_info tp;
		struct dmk_thin_params p = { 0 };
		if (tb_lv_find(c->ctx, vg->md, lv->segs[0].thin_pool, "tpool", &tp) <= 0)
			return -ENXIO;
		p.pool = tp.dev;
		p.dev_id = lv->segs[0].device_id;
		if ((r = dmk_thin_params_format(&p, &params)) < 0 ||
		    (r = one_target((uint64_t)lv->segs[0].extent_count * vg->md->extent_size,
				    "thin", TAKE_PTR(params), &t)) < 0)
			return r;
		n = 1;
	} else if ((r = linear_targets(c, vg, lv, &t, &n)) < 0) {
		return r;
	}
	r = dev_reload(c, info.name, t, n, lv_load_flags(lv));
	dmk_targets_free(t, n);
	return r;
}

int tb_lv_zero(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, uint64_t bytes)
{
	_cleanup_free_ char *path = NULL;
	struct lvf_bdev *dev = NULL;
	struct dmk_info info;
	uint64_t size = (uint64_t)md_lv_extents(lv) * vg->md->extent_size * 512;
	int r;

	r = tb_lv_find(c->ctx, vg->md, lv, tb_lv_own_suffix(vg->md, lv), &info);
	if (r <= 0)
		return r < 0 ? r
			     : tb_fail(c->ctx, -ENXIO, "Internal error: %s/%s is not active",
				       vg->md->name, lv->name);
	if (asprintf(&path, "/dev/mapper/%s", info.name) < 0)
		return -ENOMEM;
	if (bytes == 0 || bytes > size)
		bytes = size;
	r = lvf_bdev_open(path, O_RDWR, &dev);
	if (r < 0)
		return tb_fail(c->ctx, r, "Cannot open %s to zero it: %s", path, strerror(-r));
	/* BLKZEROOUT where the device takes it (lvm2's wipe_lv does the same), zeros from
	 * memory where it does not; then one flush */
	r = lvf_bdev_zero(dev, 0, MIN(bytes, dev->size_bytes));
	if (r < 0) {
		r = tb_fail(c->ctx, r, "Failed to zero %s: %s", path, strerror(-r));
		goto out;
	}
	r = lvf_bdev_flush(dev);
	if (r < 0)
		r = tb_fail(c->ctx, r, "Failed to flush %s: %s", path, strerror(-r));
out:
	lvf_bdev_free(dev);
	return r;
}

int tb_lv_wipe_signatures(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	/* lvm2 wipes known signatures and zeroes the first 4 KiB; the zeroing covers both */
	return tb_lv_zero(c, vg, lv, 4096);
}

/* ---------------------------------------------------------------- rename */

/* The device of @lv (uuid suffix @suffix) gets the name @lv has now (with @layer). 1 when it
 * was renamed, 0 when not active or already named so. */
static int rename_dev(struct tb_cmd *c, const struct md_vg *vg, const struct md_lv *lv,
		      const char *suffix, const char *layer)
{
	_cleanup_free_ char *want = NULL;
	struct dmk_info info;
	struct dmk_ctx *dmk;
	int r = tb_lv_find(c->ctx, vg, lv, suffix, &info);

	if (r <= 0)
		return r;
	if ((r = tb_lv_dm_name(vg, lv, layer, &want)) < 0 || (r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	if (streq(want, info.name))
		return 0;
	r = dmk_rename(dmk, info.name, want);
	if (r < 0)
		return tb_fail(c->ctx, r, "Failed to rename %s to %s: %s", info.name, want,
			       dmk_errmsg(dmk));
	dmk_node_rename(dmk, info.name, want, info.dev);
	return 1;
}

int tb_lv_rename_devices(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, const char *old_vg,
			 const char *old_name)
{
	_cleanup_free_ char *pub = NULL;
	struct dmk_info info;
	struct dmk_ctx *dmk;
	bool pub_active;
	int r;

	if (c->ctx->no_dm)
		return 0;
	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0)
		return r;
	if (md_lv_is_thin_pool(lv)) {
		bool fresh = tb_pool_is_new(vg->md, lv);
		if ((r = rename_dev(c, vg->md, md_pool_data(lv), "tdata", NULL)) < 0 ||
		    (r = rename_dev(c, vg->md, md_pool_meta(lv), "tmeta", NULL)) < 0 ||
		    (r = rename_dev(c, vg->md, lv, "tpool", fresh ? NULL : "tpool")) < 0 ||
		    (!fresh && (r = rename_dev(c, vg->md, lv, "pool", NULL)) < 0))
			return r;
		pub_active = tb_lv_find(c->ctx, vg->md, lv, fresh ? "tpool" : "pool", &info) > 0;
	} else {
		if (md_lv_is_raid(lv)) {
			const struct md_seg *rs = &lv->segs[0];
			for (uint32_t k = 0; k < rs->stripe_count; k++) {
				if ((r = rename_dev(c, vg->md, rs->areas[k].lv, NULL, NULL)) < 0)
					return r;
				if (rs->meta_areas &&
				    (r = rename_dev(c, vg->md, rs->meta_areas[k].lv, NULL, NULL)) < 0)
					return r;
			}
		}
		/* an origin's -real and a snapshot's -cow are renamed with it, as lvm2 does */
		if (md_origin_cows(vg->md, lv, NULL, 0) &&
		    (r = rename_dev(c, vg->md, lv, "real", "real")) < 0)
			return r;
		if (md_lv_is_cow(lv) && (r = rename_dev(c, vg->md, lv, "cow", "cow")) < 0)
			return r;
		if ((r = rename_dev(c, vg->md, lv, tb_lv_own_suffix(vg->md, lv), NULL)) < 0)
			return r;
		pub_active = tb_lv_find(c->ctx, vg->md, lv, tb_lv_own_suffix(vg->md, lv), &info) > 0;
	}
	dmk_symlink_remove(dmk, old_vg ? old_vg : vg->md->name, old_name);
	if (pub_active && md_lv_is_visible(lv)) {
		if ((r = tb_lv_dm_name(vg->md, lv, NULL, &pub)) < 0)
			return r;
		link_add(c, vg->md, lv, pub);
	}
	return 0;
}

/* ---------------------------------------------------------------- COW snapshots
 * As lvm2 2.03 loads them (docs/cow-snapshots.md): an origin with snapshots is VG-LV
 * "snapshot-origin VG-LV-real" (uuid the origin's) over VG-LV-real (its linear table, uuid
 * -real); each snapshot is VG-SNAP "snapshot REAL COW P chunk" (uuid the COW store's, read-only
 * for -p r) over VG-SNAP-cow (the COW store's linear table, uuid -cow). Children first. */

#define COW_MAX_SNAPS 4096

static int cow_list(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *origin,
		    struct md_lv ***ret, size_t *ret_n)
{
	size_t n = md_origin_cows(vg->md, origin, NULL, 0);
	struct md_lv **v;

	if (n > COW_MAX_SNAPS)
		return tb_fail(c->ctx, -E2BIG, "Origin %s/%s has too many snapshots (%zu).",
			       vg->md->name, origin->name, n);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	md_origin_cows(vg->md, origin, v, n);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* A device with @t under @name/@uuid unless one with @uuid is live already. *ret: its info. */
static int cow_dev_ensure(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			  const char *layer, const struct dmk_target *t, size_t n, unsigned flags,
			  struct dmk_info *ret, bool *ret_made)
{
	_cleanup_free_ char *name = NULL, *uuid = NULL;
	struct dmk_info info;
	int r = tb_lv_find(c->ctx, vg->md, lv, layer, &info);

	if (ret_made)
		*ret_made = false;
	if (r < 0)
		return r;
	if (r > 0 && !dev_half_made(&info)) {
		*ret = info;
		return 0;
	}
	if (r > 0) {
		if ((r = dev_adopt(c, &info, t, n, flags)) < 0)
			return r;
		*ret = info;
		return 0;
	}
	if ((r = tb_lv_dm_name(vg->md, lv, layer, &name)) < 0 ||
	    (r = tb_lv_dm_uuid(vg->md, lv, layer, &uuid)) < 0)
		return r;
	if ((r = dev_create(c, name, uuid, t, n, flags, ret)) < 0)
		return r;
	if (ret_made)
		*ret_made = true;
	return 0;
}

static int linear_dev_ensure(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv,
			     const char *layer, unsigned flags, struct dmk_info *ret, bool *made)
{
	struct dmk_target *t = NULL;
	size_t n = 0;
	int r = linear_targets(c, vg, lv, &t, &n);

	if (r < 0)
		return r;
	r = cow_dev_ensure(c, vg, lv, layer, t, n, flags, ret, made);
	dmk_targets_free(t, n);
	return r;
}

static int snap_dev_ensure(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *cow, dev_t real,
			   bool *made)
{
	const struct md_lv *snap = cow->cow_snapshot;
	struct dmk_info ci, si;
	struct dmk_target *t = NULL;
	char *params = NULL;
	int r = tb_lv_find(c->ctx, vg->md, cow, NULL, &si);

	*made = false;
	if (r < 0)
		return r;
	if (r > 0 && !dev_half_made(&si))
		return 0;
	if ((r = linear_dev_ensure(c, vg, cow, "cow", 0, &ci, NULL)) < 0)
		return r;
	if (asprintf(&params, "%u:%u %u:%u P %u", major(real), minor(real), major(ci.dev),
		     minor(ci.dev), snap->segs[0].chunk_size) < 0)
		return -ENOMEM;
	r = one_target((uint64_t)snap->segs[0].extent_count * vg->md->extent_size, "snapshot",
		       params, &t);
	if (r < 0)
		return r;
	r = cow_dev_ensure(c, vg, cow, NULL, t, 1, (cow->status & MD_LV_WRITE) ? 0 : DMK_READONLY,
			   &si, made);
	dmk_targets_free(t, 1);
	if (r == 0) {
		_cleanup_free_ char *name = NULL;
		if (tb_lv_dm_name(vg->md, cow, NULL, &name) == 0)
			link_add(c, vg->md, cow, name);
	}
	return r;
}

/* Activate @origin with every snapshot of it. A live plain origin is suspended while its
 * snapshots come up and then switched to snapshot-origin, so no write escapes them. */
static int origin_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin)
{
	_cleanup_free_ struct md_lv **cows = NULL;
	_cleanup_free_ char *name = NULL, *uuid = NULL, *params = NULL;
	struct dmk_info oi, ri;
	struct dmk_target *t = NULL;
	struct dmk_ctx *dmk;
	bool live, suspended = false, real_made = false, made, missing = false;
	size_t n = 0;
	int r;

	if ((r = tb_ctx_dmk(c->ctx, &dmk)) < 0 || (r = cow_list(c, vg, origin, &cows, &n)) < 0)
		return r;
	if ((r = tb_lv_find(c->ctx, vg->md, origin, NULL, &oi)) < 0)
		return r;
	live = r > 0 && !dev_half_made(&oi);
	if ((r = tb_lv_find(c->ctx, vg->md, origin, "real", &ri)) < 0)
		return r;
	missing = r == 0;
	for (size_t i = 0; i < n && !missing; i++) {
		struct dmk_info si;
		if ((r = tb_lv_find(c->ctx, vg->md, cows[i], NULL, &si)) < 0)
			return r;
		missing = r == 0 || dev_half_made(&si);
	}
	if (live && !missing)
		return 0;
	if (live) {
		if ((r = dmk_suspend(dmk, oi.name, 0)) < 0)
			return tb_fail(c->ctx, r, "Failed to suspend %s: %s", oi.name,
				       dmk_errmsg(dmk));
		suspended = true;
	}
	if ((r = linear_dev_ensure(c, vg, origin, "real", 0, &ri, &real_made)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((r = snap_dev_ensure(c, vg, cows[i], ri.dev, &made)) < 0)
			goto out;
	if (asprintf(&params, "%u:%u", major(ri.dev), minor(ri.dev)) < 0) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = one_target((uint64_t)md_lv_extents(origin) * vg->md->extent_size,
			    "snapshot-origin", TAKE_PTR(params), &t)) < 0)
		goto out;
	if (live) {
		/* a plain origin gets its snapshot-origin table; one that has it already only
		 * resumes (the kernel then takes the new snapshots' chunk sizes) */
		if (real_made && (r = dmk_load(dmk, oi.name, t, 1, lv_load_flags(origin))) < 0) {
			tb_fail(c->ctx, r, "Failed to load a new table into %s: %s", oi.name,
				dmk_errmsg(dmk));
			goto out;
		}
	} else {
		if ((r = tb_lv_dm_name(vg->md, origin, NULL, &name)) < 0 ||
		    (r = tb_lv_dm_uuid(vg->md, origin, NULL, &uuid)) < 0)
			goto out;
		if (r == 0 && tb_lv_find(c->ctx, vg->md, origin, NULL, &oi) > 0)
			r = dev_adopt(c, &oi, t, 1, lv_load_flags(origin));
		else
			r = dev_create(c, name, uuid, t, 1, lv_load_flags(origin), NULL);
		if (r < 0)
			goto out;
		link_add(c, vg->md, origin, name);
	}
out:
	if (t)
		dmk_targets_free(t, 1);
	if (suspended) {
		int q = dmk_resume(dmk, oi.name, 0, NULL);
		if (q < 0 && r == 0)
			r = tb_fail(c->ctx, q, "Failed to resume %s: %s", oi.name, dmk_errmsg(dmk));
	}
	return r;
}

/* Remove one snapshot's devices (the snapshot, then its -cow). -EBUSY if open. */
static int snap_dev_remove(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *cow)
{
	struct dmk_info si;
	int r = tb_lv_find(c->ctx, vg->md, cow, NULL, &si);

	if (r < 0)
		return r;
	if (r > 0) {
		if (si.open_count > 0)
			return tb_fail(c->ctx, -EBUSY, "Logical volume %s/%s in use.", vg->md->name,
				       cow->name);
		if ((r = dev_remove(c, si.name)) < 0)
			return r;
	}
	link_remove(c, vg->md, cow);
	return remove_if_active(c, vg, cow, "cow");
}

/* Deactivate @origin with all its snapshots: snapshots, origin, then -cow and -real. */
static int origin_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin)
{
	_cleanup_free_ struct md_lv **cows = NULL;
	struct dmk_info info;
	size_t n = 0;
	int r;

	if ((r = cow_list(c, vg, origin, &cows, &n)) < 0)
		return r;
	/* nothing goes while anything is open */
	for (size_t i = 0; i <= n; i++) {
		const struct md_lv *lv = i < n ? cows[i] : origin;
		r = tb_lv_find(c->ctx, vg->md, lv, NULL, &info);
		if (r < 0)
			return r;
		if (r > 0 && info.open_count > 0)
			return tb_fail(c->ctx, -EBUSY, "Logical volume %s/%s in use.", vg->md->name,
				       lv->name);
	}
	for (size_t i = 0; i < n; i++)
		if ((r = snap_dev_remove(c, vg, cows[i])) < 0)
			return r;
	if ((r = tb_lv_find(c->ctx, vg->md, origin, NULL, &info)) < 0)
		return r;
	if (r > 0 && (r = dev_remove(c, info.name)) < 0)
		return r;
	link_remove(c, vg->md, origin);
	return remove_if_active(c, vg, origin, "real");
}

int tb_cow_origin_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin)
{
	return origin_activate(c, vg, origin);
}

int tb_cow_origin_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin)
{
	return origin_deactivate(c, vg, origin);
}

int tb_cow_snapshot_release(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow,
			    struct md_lv *origin, size_t n_left)
{
	struct dmk_info oi;
	struct dmk_target *t = NULL;
	size_t n = 0;
	int r = snap_dev_remove(c, vg, cow);

	if (r < 0 || n_left)
		return r;
	/* the last snapshot gone: the live origin back to its plain table, -real removed */
	if ((r = tb_lv_find(c->ctx, vg->md, origin, NULL, &oi)) <= 0)
		return r < 0 ? r : remove_if_active(c, vg, origin, "real");
	if ((r = linear_targets(c, vg, origin, &t, &n)) < 0)
		return r;
	r = dev_reload(c, oi.name, t, n, lv_load_flags(origin));
	dmk_targets_free(t, n);
	if (r < 0)
		return r;
	return remove_if_active(c, vg, origin, "real");
}

int tb_cow_zero_header(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow)
{
	struct dmk_info info;
	int r, q;

	/* lvm2 activates the new COW store as a plain LV to clear its header, then drops it */
	if ((r = linear_dev_ensure(c, vg, cow, NULL, 0, &info, NULL)) < 0)
		return r;
	r = tb_lv_zero(c, vg, cow, 4096);
	q = dev_remove(c, info.name);
	return r < 0 ? r : q;
}

/* lvchange -p/--refresh of an active origin or snapshot: its table again, with its
 * permission (snapshot-origin over -real, or snapshot over -real and -cow). */
static int cow_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct md_lv *origin = md_lv_is_cow(lv) ? md_cow_origin(lv) : lv;
	struct dmk_info info, ri, ci;
	struct dmk_target *t = NULL;
	char *params = NULL;
	uint64_t len = (uint64_t)md_lv_extents(origin) * vg->md->extent_size;
	int r = tb_lv_find(c->ctx, vg->md, lv, NULL, &info);

	if (r <= 0)
		return r;
	if ((r = tb_lv_find(c->ctx, vg->md, origin, "real", &ri)) <= 0)
		return r < 0 ? r : -ENXIO;
	if (lv == origin) {
		if (asprintf(&params, "%u:%u", major(ri.dev), minor(ri.dev)) < 0)
			return -ENOMEM;
		r = one_target(len, "snapshot-origin", params, &t);
	} else {
		struct dmk_target *ct = NULL;
		size_t cn = 0;
		if ((r = tb_lv_find(c->ctx, vg->md, lv, "cow", &ci)) <= 0)
			return r < 0 ? r : -ENXIO;
		/* the store may have grown (lvextend): its -cow table first */
		if ((r = linear_targets(c, vg, lv, &ct, &cn)) < 0)
			return r;
		r = dev_reload(c, ci.name, ct, cn, 0);
		dmk_targets_free(ct, cn);
		if (r < 0)
			return r;
		if (asprintf(&params, "%u:%u %u:%u P %u", major(ri.dev), minor(ri.dev),
			     major(ci.dev), minor(ci.dev), lv->cow_snapshot->segs[0].chunk_size) < 0)
			return -ENOMEM;
		/* a snapshot keeps the length its origin had when it was made (lvm2) */
		len = (uint64_t)lv->cow_snapshot->segs[0].extent_count * vg->md->extent_size;
		r = one_target(len, "snapshot", params, &t);
	}
	if (r < 0)
		return r;
	r = dev_reload(c, info.name, t, 1,
		       lv == origin ? lv_load_flags(lv)
				    : ((lv->status & MD_LV_WRITE) ? 0 : DMK_READONLY));
	dmk_targets_free(t, 1);
	return r;
}
