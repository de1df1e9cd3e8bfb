/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kernel has for an LV: its dm names and uuids, and its devices and their status, looked
 * up by uuid. See lvstate.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activate/lvstate.h"

int tb_lv_dm_name(const struct md_vg *vg, const struct md_lv *lv, const char *layer, char **ret)
{
	return md_dm_name(vg->name, lv->name, layer, ret);
}

int tb_lv_dm_uuid(const struct md_vg *vg, const struct md_lv *lv, const char *suffix, char **ret)
{
	if (asprintf(ret, "LVM-%s%s%s%s", vg->id, lv->id, suffix ? "-" : "", suffix ? suffix : "") <
	    0)
		return -ENOMEM;
	return 0;
}

bool tb_pool_is_new(const struct md_vg *vg, const struct md_lv *pool)
{
	struct md_lv *one;
	return pool->segs[0].transaction_id == 0 && md_pool_thins(vg, pool, &one, 1) == 0;
}

static int find_uuid(struct dmk_ctx *dmk, const char *uuid, struct dmk_info *ret)
{
	struct dmk_info info;
	int r = dmk_info_uuid(dmk, uuid, &info);

	if (r == -ENXIO || r == -ENOENT || (r == 0 && !info.exists))
		return 0;
	if (r < 0)
		return r;
	*ret = info;
	return 1;
}

static int cmp_uuid(const void *a, const void *b)
{
	return strcmp(a, b);
}

void tb_dm_snapshot_begin(struct tb_ctx *ctx)
{
	struct dmk_dev *devs = NULL;
	struct dmk_ctx *dmk;
	uint32_t v[3];
	size_t n = 0;

	int r;

	tb_dm_snapshot_end(ctx);
	/* no device-mapper in this kernel (no control node): nothing is active, and asking again
	 * for each LV would only fail again */
	if (!ctx->no_dm && (r = tb_ctx_dmk(ctx, &dmk)) == 0 && (r = dmk_version(dmk, v)) < 0 &&
	    (r == -ENODEV || r == -ENOENT)) {
		ctx->dm_uuids = calloc(1, sizeof(*ctx->dm_uuids));
		ctx->dm_snap = ctx->dm_uuids != NULL;
		return;
	}
	/* DM_LIST_DEVICES reports uuids from ioctl interface 4.46 (kernel 5.15) on */
	if (ctx->no_dm || tb_ctx_dmk(ctx, &dmk) < 0 || dmk_version(dmk, v) < 0 || v[0] != 4 ||
	    v[1] < 46 || dmk_list_devices(dmk, &devs, &n) < 0)
		return;
	ctx->dm_uuids = calloc(n ? n : 1, sizeof(*ctx->dm_uuids));
	if (!ctx->dm_uuids)
		goto out;
	for (size_t i = 0; i < n; i++)
		snprintf(ctx->dm_uuids[i], sizeof(ctx->dm_uuids[i]), "%s", devs[i].uuid);
	qsort(ctx->dm_uuids, n, sizeof(*ctx->dm_uuids), cmp_uuid);
	ctx->n_dm_uuids = n;
	ctx->dm_snap = true;
out:
	free(devs);
}

void tb_dm_snapshot_end(struct tb_ctx *ctx)
{
	free(ctx->dm_uuids);
	ctx->dm_uuids = NULL;
	ctx->n_dm_uuids = 0;
	ctx->dm_snap = false;
}

int tb_lv_find(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *lv,
	       const char *suffix, struct dmk_info *ret)
{
	_cleanup_free_ char *uuid = NULL;
	struct dmk_ctx *dmk;
	int r;

	if (ctx->no_dm)
		return 0; /* nothing is active */
	if ((r = tb_ctx_dmk(ctx, &dmk)) < 0)
		return r;
	if ((r = tb_lv_dm_uuid(vg, lv, suffix, &uuid)) < 0)
		return r;
	if (ctx->dm_snap && strlen(uuid) < sizeof(ctx->dm_uuids[0]) &&
	    !bsearch(uuid, ctx->dm_uuids, ctx->n_dm_uuids, sizeof(*ctx->dm_uuids), cmp_uuid))
		return 0; /* not in the kernel's list: not active */
	r = find_uuid(dmk, uuid, ret);
	if (r < 0)
		return tb_fail(ctx, r,
			       "Cannot ask device-mapper about %s/%s: %s. Is the dm-mod module "
			       "loaded (/dev/mapper/control)?",
			       vg->name, lv->name, dmk_errmsg(dmk));
	return r;
}

const char *tb_lv_own_suffix(const struct md_vg *vg, const struct md_lv *lv)
{
	if (md_lv_is_pool_data(vg, lv))
		return "tdata";
	if (md_lv_is_pool_meta(vg, lv))
		return "tmeta";
	if (md_lv_is_thin_pool(lv))
		return tb_pool_is_new(vg, lv) ? "tpool" : "pool";
	return NULL;
}

int tb_lv_state_get(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *lv,
		    struct tb_lv_state *ret)
{
	struct tb_lv_state st;
	struct dmk_ctx *dmk;
	int r;

	/* no device-mapper, or a report's device list (tb_dm_snapshot_begin) that is empty:
	 * nothing is active (*ret cleared in place: the state is ~1 KB, and a report asks this
	 * once per LV) */
	if (ctx->no_dm || (ctx->dm_snap && !ctx->n_dm_uuids)) {
		memset(ret, 0, sizeof(*ret));
		return 0;
	}
	memset(&st, 0, sizeof(st));
	if ((r = tb_ctx_dmk(ctx, &dmk)) < 0)
		return r;
	if (md_lv_is_thin_pool(lv)) {
		r = tb_lv_find(ctx, vg, lv, "tpool", &st.pool_info);
		if (r < 0)
			return r;
		st.pool_active = r > 0;
		r = tb_lv_find(ctx, vg, lv, "pool", &st.info);
		if (r < 0)
			return r;
		st.active = r > 0;
		/* a new pool's public device is the thin-pool itself */
		if (!st.active && st.pool_active && streq(st.pool_info.name + 0, st.pool_info.name)) {
			_cleanup_free_ char *pub = NULL;
			if (tb_lv_dm_name(vg, lv, NULL, &pub) == 0 && streq(pub, st.pool_info.name)) {
				st.active = true;
				st.info = st.pool_info;
			}
		}
		if (st.pool_active) {
			struct dmk_target *t = NULL;
			size_t n = 0;
			if (dmk_status(dmk, st.pool_info.name, 0, &t, &n) == 0 && n == 1 &&
			    dmk_thin_pool_status_parse(t[0].params, &st.pool_status) == 0)
				st.has_pool_status = true;
			dmk_targets_free(t, n);
		}
	} else {
		r = tb_lv_find(ctx, vg, lv, tb_lv_own_suffix(vg, lv), &st.info);
		if (r < 0)
			return r;
		st.active = r > 0;
		if (st.active && md_lv_is_thin(lv)) {
			struct dmk_target *t = NULL;
			size_t n = 0;
			if (dmk_status(dmk, st.info.name, 0, &t, &n) == 0 && n == 1 &&
			    dmk_thin_status_parse(t[0].params, &st.thin_status) == 0)
				st.has_thin_status = true;
			dmk_targets_free(t, n);
		}
		if (st.active && md_lv_is_cow(lv))
			tb_cow_state(ctx, lv, &st);
		/* a raid LV's status, also for its sub-LVs (their attr shows their health) */
		const struct md_lv *raid = md_lv_is_raid(lv) ? lv
					   : !md_lv_is_visible(lv)
						   ? md_lv_raid_of(vg, lv, NULL, NULL)
						   : NULL;
		if (raid) {
			struct dmk_info ri = st.info;
			struct dmk_target *t = NULL;
			size_t n = 0;
			bool on = raid == lv ? st.active : tb_lv_find(ctx, vg, raid, NULL, &ri) > 0;
			if (on && dmk_status(dmk, ri.name, 0, &t, &n) == 0 && n == 1 &&
			    streq(t[0].type, "raid") &&
			    dmk_raid_status_parse(t[0].params, &st.raid_status) == 0)
				st.has_raid_status = true;
			dmk_targets_free(t, n);
		}
	}
	*ret = st;
	return 0;
}

/* "USED/TOTAL META" (or Invalid, Overflow, Merge failed) of a snapshot target */
static void snap_status_parse(const char *s, struct tb_lv_state *st)
{
	unsigned long long u, t, m;

	if (!strncmp(s, "Invalid", 7) || !strncmp(s, "Overflow", 8)) {
		st->has_snap_status = true;
		st->snap_invalid = true;
	} else if (!strncmp(s, "Merge failed", 12)) {
		st->has_snap_status = true;
		st->snap_merge_failed = true;
	} else if (sscanf(s, "%llu/%llu %llu", &u, &t, &m) == 3) {
		st->has_snap_status = true;
		st->snap_used = u;
		st->snap_total = t;
		st->snap_meta = m;
	}
}

void tb_cow_state(struct tb_ctx *ctx, const struct md_lv *lv, struct tb_lv_state *st)
{
	struct dmk_target *t = NULL;
	struct dmk_ctx *dmk;
	size_t n = 0;

	if (!st->active || !md_lv_is_cow(lv) || tb_ctx_dmk(ctx, &dmk) < 0)
		return;
	if (dmk_status(dmk, st->info.name, 0, &t, &n) == 0 && n == 1 && streq(t[0].type, "snapshot"))
		snap_status_parse(t[0].params, st);
	dmk_targets_free(t, n);
}
