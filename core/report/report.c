/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rows for lvs, vgs and pvs: VG metadata joined with the kernel's state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/store/mdcache.h"
#include "core/monitor/monitor-state.h"
#include "core/report/report-rf.h"
#include "lvmfmt/vg-text.h"

static bool vg_is_partial(const struct md_vg *vg)
{
	for (size_t i = 0; i < vg->n_pvs; i++)
		if (vg->pvs[i]->status & MD_PV_MISSING)
			return true;
	return (vg->status & MD_VG_PARTIAL) != 0;
}

/* lvm2's 10-character lv_attr (lvs(8)). */
static void lv_attr(const struct md_vg *vg, const struct md_lv *lv, const struct tb_lv_state *st,
		    char a[11])
{
	const struct md_lv *pool = md_lv_is_thin_pool(lv) ? lv
				   : md_lv_is_thin(lv)    ? lv->segs[0].thin_pool
							  : NULL;
	/* a pool with only its -tpool layer loaded (for active thin LVs) is not active: lvm2
	 * shows twi---tz-- */
	bool active = st->active;
	int open = st->active ? st->info.open_count : 0;

	const struct md_lv *raid = md_lv_is_raid(lv) ? lv : NULL, *rsub = NULL;
	uint32_t rk = 0;
	bool rmeta = false;
	const char *health = st->has_raid_status ? st->raid_status.health : NULL;

	if (!raid && !md_lv_is_visible(lv) && (raid = md_lv_raid_of(vg, lv, &rk, &rmeta)))
		rsub = lv;
	memset(a, '-', 10);
	a[10] = '\0';
	if (rsub && rmeta)
		a[0] = 'e';
	else if (rsub)
		a[0] = health && health[rk] == 'A' ? 'i' : 'I';
	else if (raid)
		a[0] = (lv->status & MD_LV_NOTSYNCED) ? 'R' : 'r';
	else if (md_lv_is_thin_pool(lv))
		a[0] = 't';
	else if (md_lv_is_thin(lv))
		a[0] = 'V';
	else if (md_lv_is_pool_data(vg, lv))
		a[0] = 'T';
	else if (md_lv_is_pool_meta(vg, lv) || md_lv_is_pmspare(lv))
		a[0] = 'e';
	a[1] = (lv->status & MD_LV_WRITE) ? 'w' : 'r';
	a[2] = 'i';
	if (lv->allocation_policy) {
		if (streq(lv->allocation_policy, "contiguous"))
			a[2] = 'c';
		else if (streq(lv->allocation_policy, "normal"))
			a[2] = 'n';
		else if (streq(lv->allocation_policy, "anywhere"))
			a[2] = 'a';
		else if (!strncmp(lv->allocation_policy, "cling", 5))
			a[2] = 'l';
	}
	if (lv->status & MD_LV_FIXED_MINOR)
		a[3] = 'm';
	if (active) {
		a[4] = 'a';
		if (st->info.suspended)
			a[4] = 's';
	}
	/* a used pool's -tpool is held open by its public device and thin LVs */
	if (active && md_lv_is_thin_pool(lv) && st->pool_active && st->pool_info.open_count > 0)
		open = st->pool_info.open_count;
	if (open > 0)
		a[5] = 'o';
	if (pool)
		a[6] = 't';
	if (raid)
		a[6] = 'r';
	if (pool && pool->segs[0].zero_new_blocks)
		a[7] = 'z';
	if (st->has_pool_status) {
		if (st->pool_status.fail || st->pool_status.error)
			a[8] = 'F';
		else if (st->pool_status.mode == DMK_POOL_OUT_OF_DATA_SPACE)
			a[8] = 'D';
		else if (st->pool_status.mode == DMK_POOL_RO)
			a[8] = 'M';
	}
	if (md_lv_is_thin(lv) && st->has_thin_status && st->thin_status.fail)
		a[8] = 'F';
	if (raid && health) {
		if (rsub ? health[rk] == 'D' : strchr(health, 'D') != NULL)
			a[8] = 'r';
		else if (!rsub && st->raid_status.mismatch_count)
			a[8] = 'm';
	}
	if (rsub && !rmeta && (lv->status & MD_LV_WRITEMOSTLY) && a[8] == '-')
		a[8] = 'w';
	if (tb_lv_is_partial(lv))
		a[8] = 'p';
	/* old-style snapshots: o origin, s snapshot, target s; an invalid one is s and I
	 * (measured: swi-I-s---) */
	if (md_lv_is_cow(lv) || md_origin_cows(vg, lv, NULL, 0)) {
		a[0] = md_lv_is_cow(lv) ? 's' : 'o';
		a[6] = 's';
		if (active && st->snap_invalid)
			a[4] = 'I';
	}
	if (lv->flags & MD_LVF_ACTIVATION_SKIP)
		a[9] = 'k';
}

static bool wanted(const char *name, const char *const *list, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (streq(list[i], name))
			return true;
	return false;
}

/* Names of every VG seen, sorted, unique. Caller frees the array (strings borrowed from scan). */
static int vg_names(struct tb_scan *s, const char ***ret, size_t *ret_n)
{
	const char **names = calloc(s->n + 1, sizeof(*names));
	size_t n = 0;

	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		bool dup = false;
		if (!s->devs[i]->text)
			continue;
		for (size_t k = 0; k < n; k++)
			dup |= streq(names[k], s->devs[i]->vgname);
		if (!dup)
			names[n++] = s->devs[i]->vgname;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			const char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	*ret = names;
	*ret_n = n;
	return 0;
}

/* The mdas of the PVs of @vg that are present, with the committed text's size. */
static struct tb_rf_mda *vg_mdas(struct tb_vg *vg, size_t *ret_n)
{
	struct tb_rf_mda *m = calloc(vg->n_pvdevs * LVF_MAX_MDA + 1, sizeof(*m));
	size_t n = 0;

	for (size_t i = 0; m && i < vg->n_pvdevs; i++) {
		struct tb_pvdev *d = vg->pvdevs[i];
		for (size_t k = 0; d && k < d->hdr.n_mda; k++)
			m[n++] = (struct tb_rf_mda){ d->hdr.mda[k].size,
						     d->text ? d->text_len + 1 : 0,
						     d->mda_ignored[k] };
	}
	*ret_n = n;
	return m;
}

static void release_segs(struct tb_rf_set *segs, size_t n)
{
	for (size_t i = 0; segs && i < n; i++)
		tb_rf_release(&segs[i]);
	free(segs);
}

/* The row's view of the segment sets, one more zeroed as the end, in @buf (grown as needed,
 * kept from row to row; the caller frees it). */
static int rsegs_of(const struct tb_rf_segs *segs, struct tb_rseg **buf, size_t *cap)
{
	if (segs->n + 1 > *cap) {
		struct tb_rseg *rs = realloc(*buf, (segs->n + 1) * sizeof(*rs));
		if (!rs)
			return -ENOMEM;
		*buf = rs;
		*cap = segs->n + 1;
	}
	for (size_t k = 0; k < segs->n; k++)
		(*buf)[k] = (struct tb_rseg){ segs->v[k].f, segs->v[k].n };
	(*buf)[segs->n] = (struct tb_rseg){ 0 };
	return 0;
}

struct lv_at {
	uint64_t key; /* the name's first 8 bytes, big-endian, NUL-padded: strcmp's order */
	struct md_lv *lv;
	size_t index; /* in md->lvs */
};

static uint64_t name_key(const char *n)
{
	uint64_t k = 0;
	size_t i = 0;

	for (; i < 8 && n[i]; i++)
		k = k << 8 | (unsigned char)n[i];
	return k << (8 * (8 - i));
}

/* strcmp order of the names: the keys decide unless equal (then the names share their first 8
 * bytes, or are equal) */
static inline bool lv_at_less(const struct lv_at *x, const struct lv_at *y)
{
	if (x->key != y->key)
		return x->key < y->key;
	return strcmp(x->lv->name, y->lv->name) < 0;
}

/* Bottom-up merge sort of @n entries by name, @tmp as large: no call per comparison (a VG of
 * 10,000s of LVs is sorted once per report). Names in a VG are unique, so order is total. */
static void sort_lv_at(struct lv_at *v, struct lv_at *tmp, size_t n)
{
	struct lv_at *src = v, *dst = tmp;

	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = MIN(lo + w, n), hi = MIN(lo + 2 * w, n), i = lo, j = mid,
			       k = lo;
			while (i < mid && j < hi)
				dst[k++] = lv_at_less(&src[j], &src[i]) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct lv_at *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

static int report_vg_lvs(struct tb_cmd *c, struct tb_vg *vg, bool all, struct tb_rf_want *want,
			 int (*cb)(void *, const struct tb_lv_row *), void *userdata)
{
	struct md_vg *md = vg->md;
	struct lv_at *sorted = calloc(2 * md->n_lvs + 1, sizeof(*sorted));
	const char **paths = calloc(md->n_pvs + 1, sizeof(*paths));
	struct tb_rf_set rf = { .want = want }; /* one set and one segment list for every row */
	struct tb_rf_segs segs = { 0 };
	struct tb_rseg *rs = NULL;
	size_t rs_cap = 0;
	int r = 0;

	if (!sorted || !paths) {
		free(sorted);
		free(paths);
		return -ENOMEM;
	}
	for (size_t k = 0; k < md->n_pvs && k < vg->n_pvdevs; k++)
		paths[k] = vg->pvdevs[k] ? vg->pvdevs[k]->path : NULL;
	for (size_t i = 0; i < md->n_lvs; i++)
		sorted[i] = (struct lv_at){ name_key(md->lvs[i]->name), md->lvs[i], i };
	sort_lv_at(sorted, sorted + md->n_lvs, md->n_lvs);
	tb_dm_snapshot_begin(c->ctx); /* one device list instead of one ioctl per LV */
	for (size_t i = 0; i < md->n_lvs && r == 0; i++) {
		struct md_lv *lv = sorted[i].lv;
		struct tb_lv_row row = { 0 };
		struct tb_lv_state st; /* tb_lv_state_get sets all of it, or fails */
		char name[MD_NAME_MAX + 3], uuid[MD_ID_LEN + 7], path[600];
		_cleanup_free_ char *dmname = NULL;

		if ((!md_lv_is_visible(lv) && !all) || md_lv_is_snapshot(lv))
			continue; /* lvm2 never lists an old-style snapshot's snapshotN LV */
		if (tb_lv_state_get(c->ctx, md, lv, &st) < 0)
			memset(&st, 0, sizeof(st));
		{
			/* "name" or "[name]", "/dev/mapper/DMNAME": copies, not two printfs per LV */
			size_t nl = strnlen(lv->name, MD_NAME_MAX), at = 0, dl;
			if (!md_lv_is_visible(lv))
				name[at++] = '[';
			memcpy(name + at, lv->name, nl);
			at += nl;
			if (!md_lv_is_visible(lv))
				name[at++] = ']';
			name[at] = '\0';
			/* a report that shows neither pays for neither (the rows of lvs -o) */
			uuid[0] = '\0';
			if (tb_rf_wanted(&rf, "lv_uuid"))
				md_id_format(lv->id, uuid);
			if (tb_rf_wanted(&rf, "lv_dm_path"))
				tb_lv_dm_name(md, lv, NULL, &dmname);
			dl = dmname ? strnlen(dmname, sizeof(path) - 13) : 0;
			memcpy(path, "/dev/mapper/", 12);
			if (dl)
				memcpy(path + 12, dmname, dl);
			path[12 + dl] = '\0';
		}
		row.vg = md->name;
		row.name = name;
		row.uuid = uuid;
		row.dm_path = path;
		row.profile = lv->profile ? lv->profile : "";
		row.pool = md_lv_is_thin(lv) ? lv->segs[0].thin_pool->name : "";
		row.origin = md_lv_is_thin(lv) && lv->segs[0].origin ? lv->segs[0].origin->name : "";
		row.segtype = lv->n_segs ? (lv->segs[0].kind == MD_SEG_STRIPED
						    ? (lv->segs[0].stripe_count > 1 ? "striped"
										    : "linear")
						    : lv->segs[0].type)
					 : "";
		lv_attr(md, lv, &st, row.attr);
		row.visible = md_lv_is_visible(lv);
		row.active = st.active;
		row.seg_count = lv->n_segs;
		if (md_lv_is_thin(lv)) {
			row.size = (uint64_t)lv->segs[0].extent_count * md->extent_size;
			row.is_thin = true;
			row.has_transaction_id = true;
			row.transaction_id = lv->segs[0].transaction_id;
			row.has_thin_id = true;
			row.thin_id = lv->segs[0].device_id;
			if (st.has_thin_status && row.size) {
				row.has_data_percent = true;
				row.data_num = st.thin_status.mapped_sectors;
				row.data_den = row.size;
			}
		} else {
			row.size = (uint64_t)md_lv_extents(lv) * md->extent_size;
		}
		if (md_lv_is_cow(lv)) {
			row.chunk_size = lv->cow_snapshot->segs[0].chunk_size;
			if (st.has_snap_status && !st.snap_invalid && !st.snap_merge_failed &&
			    st.snap_total) {
				/* lvm2 _snap_target_percent: only metadata used is 0, all is 100 */
				row.has_data_percent = true;
				row.data_num = st.snap_used == st.snap_meta ? 0 : st.snap_used;
				row.data_den = st.snap_total;
			}
		}
		if (md_lv_is_thin_pool(lv)) {
			row.is_pool = true;
			row.chunk_size = lv->segs[0].chunk_size;
			row.has_transaction_id = true;
			row.transaction_id = lv->segs[0].transaction_id;
			if (st.has_pool_status && !st.pool_status.fail &&
			    st.pool_status.total_data_blocks && st.pool_status.total_meta_blocks) {
				row.has_data_percent = row.has_meta_percent = true;
				row.data_num = st.pool_status.used_data_blocks;
				row.data_den = st.pool_status.total_data_blocks;
				row.meta_num = st.pool_status.used_meta_blocks;
				row.meta_den = st.pool_status.total_meta_blocks;
			}
			row.seg_monitor = !st.pool_active ? ""
					  : tb_monitor_watches(c->ctx, md->name, lv->name)
						  ? "monitored"
						  : "not monitored";
		} else {
			row.seg_monitor = "";
		}
		{
			/* the monitor's state file matters only for an active pool's seg_monitor */
			bool mon = md_lv_is_thin_pool(lv) && st.pool_active &&
				   tb_monitor_watches(c->ctx, md->name, lv->name);
			r = tb_rf_lv_fields(md, lv, &st, paths, mon, &rf, &segs);
			if (r == 0)
				r = rsegs_of(&segs, &rs, &rs_cap);
			row.md_index = sorted[i].index;
			row.fields = rf.f;
			row.n_fields = rf.n;
			row.segs = rs;
			row.n_segs = segs.n;
			if (r == 0)
				r = cb(userdata, &row);
		}
	}
	tb_dm_snapshot_end(c->ctx);
	tb_rf_release(&rf);
	tb_rf_segs_release(&segs);
	free(rs);
	free(sorted);
	free(paths);
	return r;
}

/* The reason a report leaves @md out (tb_vg_foreign_reason), NULL when it shows it: lvm2's
 * --shared and --foreign (tb_ctx_set_report_include) show shared and foreign VGs. */
static const char *report_hides(struct tb_ctx *ctx, const struct md_vg *md, char *why, size_t len)
{
	struct md_vg shown = *md; /* a shallow copy, read only */

	if (ctx->report_include & TB_REPORT_SHARED)
		shown.lock_type = NULL;
	if (ctx->report_include & TB_REPORT_FOREIGN)
		shown.system_id = NULL;
	return tb_vg_foreign_reason(&shown, why, len);
}

/* lvm2 2.03.16 tools/toollib.c ignore_vg: a foreign VG (system ID) or a shared one
 * (lock_type, no lvmlockd) is skipped by reports (lvm2's --foreign and --shared show them),
 * and so is an exported VG by lvs; named, it is an error (*r, lvm2's words). */
static bool report_skips(struct tb_cmd *c, const struct tb_vg *vg, bool named, int *r)
{
	char why[400];

	/* vgs and pvs show an exported VG, lvs does not: "Volume group VG is exported" */
	if ((vg->md->status & MD_VG_EXPORTED) && !streq(c->name, "lvs"))
		return false;
	if (!report_hides(c->ctx, vg->md, why, sizeof(why)))
		return false;
	if (named)
		*r = tb_fail(c->ctx, -EPERM, "%s", why);
	else if (!vg->md->lock_type || !vg->md->lock_type[0])
		tb_warn(c->ctx, "%s", why); /* lvm2: said for a foreign VG (rc 0), not a shared one */
	return true;
}

/* Read each wanted VG (all when @n is 0) under a shared lock and hand it to @fn, sorted by
 * name; -ENOENT when a named VG does not exist. */
static int for_each_vg(struct tb_ctx *ctx, const char *cmd, const char *const *vgs, size_t n,
		       int (*fn)(struct tb_cmd *c, struct tb_vg *vg, void *data), void *data)
{
	struct tb_cmd c;
	struct tb_scan s = { 0 };
	const char **names = NULL;
	size_t nn = 0;
	int r;

	if ((r = tb_cmd_begin(ctx, &c, cmd)) < 0)
		return r;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0 || (r = vg_names(&s, &names, &nn)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!nn || !wanted(vgs[i], names, nn)) {
			r = tb_fail(ctx, -ENOENT,
				    "Volume group \"%s\" not found\n  Cannot process volume group %s",
				    vgs[i], vgs[i]);
			goto out;
		}
	for (size_t i = 0; i < nn && r == 0; i++) {
		struct tb_vg *vg = NULL;
		if (!wanted(names[i], vgs, n))
			continue;
		r = tb_vg_read(&c, names[i], false, &vg);
		if (r == 0 && report_skips(&c, vg, n > 0, &r))
			; /* a foreign or shared VG (core/store/foreign-check.c) */
		else if (r == 0)
			r = fn(&c, vg, data);
		tb_vg_free(vg);
		tb_unlock_vg(&c.locks, names[i]);
	}
out:
	free(names);
	tb_scan_free(&s);
	tb_cmd_end(&c);
	return r;
}

struct lvs_args {
	bool all;
	int (*cb)(void *, const struct tb_lv_row *);
	void *userdata;
	struct tb_rf_want *want;
};

static int lvs_one(struct tb_cmd *c, struct tb_vg *vg, void *data)
{
	struct lvs_args *a = data;
	return report_vg_lvs(c, vg, a->all, a->want, a->cb, a->userdata);
}

TB_EXPORT int tb_report_lvs(struct tb_ctx *ctx, const char *const *vgs, size_t n, bool all,
			    int (*cb)(void *userdata, const struct tb_lv_row *row), void *userdata)
{
	tb_ctx_clear_error(ctx);
	return tb_report_lvs_want(ctx, vgs, n, all, NULL, NULL, cb, userdata);
}

TB_EXPORT int tb_report_lvs_want(struct tb_ctx *ctx, const char *const *vgs, size_t n, bool all,
				 bool (*want)(void *want_ud, const char *id), void *want_ud,
				 int (*cb)(void *userdata, const struct tb_lv_row *row),
				 void *userdata)
{
	struct tb_rf_want w = { .fn = want, .ud = want_ud };
	struct lvs_args a = { all, cb, userdata, want ? &w : NULL };
	int r = for_each_vg(ctx, "lvs", vgs, n, lvs_one, &a);

	tb_rf_want_release(&w);
	return r;
}

struct vgs_args {
	int (*cb)(void *, const struct tb_vg_row *);
	void *userdata;
};

static int vgs_one(struct tb_cmd *c, struct tb_vg *vg, void *data)
{
	struct vgs_args *a = data;
	struct md_vg *md = vg->md;
	struct tb_vg_row row = { 0 };
	char uuid[MD_ID_LEN + 7];

	md_id_format(md->id, uuid);
	row.name = md->name;
	row.uuid = uuid;
	snprintf(row.attr, sizeof(row.attr), "%c%c%c%c%c%c", (md->status & MD_VG_WRITE) ? 'w' : 'r',
		 (md->status & MD_VG_RESIZEABLE) ? 'z' : '-',
		 (md->status & MD_VG_EXPORTED) ? 'x' : '-', vg_is_partial(md) ? 'p' : '-', 'n',
		 (md->status & MD_VG_CLUSTERED)            ? 'c'
		 : tb_rf_lock_type_is_lockd(md->lock_type) ? 's'
							   : '-');
	row.pv_count = (uint32_t)md->n_pvs;
	for (size_t k = 0; k < md->n_lvs; k++) {
		row.lv_count += md_lv_is_visible(md->lvs[k]);
		row.snap_count += md_lv_is_cow(md->lvs[k]); /* lvm2 snapshot_count */
	}
	row.extent_size = md->extent_size;
	row.extent_count = md_vg_extent_count(md);
	row.free_count = md_vg_free_count(md);
	row.size = row.extent_count * md->extent_size;
	row.free = row.free_count * md->extent_size;
	row.seqno = md->seqno;
	{
		size_t n_mdas = 0;
		struct tb_rf_mda *mdas = vg_mdas(vg, &n_mdas);
		struct tb_rf_set rf = { 0 };
		int r = mdas ? tb_rf_vg_fields(md, mdas, n_mdas, &rf) : -ENOMEM;
		row.fields = rf.f;
		row.n_fields = rf.n;
		if (r == 0)
			r = a->cb(a->userdata, &row);
		tb_rf_release(&rf);
		free(mdas);
		return r;
	}
}

TB_EXPORT int tb_report_vgs(struct tb_ctx *ctx, const char *const *vgs, size_t n,
			    int (*cb)(void *userdata, const struct tb_vg_row *row), void *userdata)
{
	tb_ctx_clear_error(ctx);
	struct vgs_args a = { cb, userdata };
	return for_each_vg(ctx, "vgs", vgs, n, vgs_one, &a);
}

TB_EXPORT int tb_report_pvs(struct tb_ctx *ctx, const char *const *pvs, size_t n,
			    int (*cb)(void *userdata, const struct tb_pv_row *row), void *userdata)
{
	struct tb_cmd c;
	struct tb_scan s = { 0 };
	struct md_vg **mds = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_cmd_begin(ctx, &c, "pvs")) < 0)
		return r;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!tb_scan_find_path(&s, pvs[i])) {
			r = tb_fail(ctx, -ENOENT, "Failed to find physical volume \"%s\".", pvs[i]);
			goto out;
		}
	/* A PV belongs to the VG whose newest metadata lists it, wherever that text was read:
	 * its own mdas may hold an older copy (a commit cut short between PVs) or none at all
	 * (a PV without metadata areas, or a vgcreate cut short), as lvm2 reads it. */
	mds = calloc(s.n ? s.n : 1, sizeof(*mds));
	if (!mds) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t j = 0; j < s.n; j++) {
		struct tb_pvdev *d = s.devs[j];
		if (!d->text)
			continue;
		/* parsed by the scan already (core/store/mdcache.h); PVs of one VG share one text */
		for (size_t k = 0; k < j && !mds[j]; k++)
			if (mds[k] && s.devs[k]->text_len == d->text_len &&
			    s.devs[k]->text_crc == d->text_crc &&
			    !memcmp(s.devs[k]->text, d->text, d->text_len))
				mds[j] = mds[k];
		if (!mds[j] && !(mds[j] = tb_mdcache_take(ctx, d->text, d->text_len, d->text_crc)) &&
		    lvf_vg_import_text(d->text, d->text_len, &mds[j], NULL) < 0)
			mds[j] = NULL;
	}
	for (size_t i = 0; i < s.n && r == 0; i++) {
		struct tb_pvdev *d = s.devs[i];
		struct tb_pv_row row = { 0 };
		struct md_vg *md = NULL;
		struct md_pv *pv = NULL;
		char uuid[MD_ID_LEN + 7];
		bool keep = !n;

		for (size_t k = 0; k < n; k++)
			keep |= tb_scan_find_path(&s, pvs[k]) == d;
		if (!keep)
			continue;
		for (size_t j = 0; j < s.n; j++) {
			struct md_pv *p = mds[j] ? md_vg_find_pv(mds[j], d->id) : NULL;
			if (p && (!md || mds[j]->seqno > md->seqno)) {
				md = mds[j];
				pv = p;
			}
		}
		/* a foreign or shared VG's PV is left out, silently, as lvm2 2.03.16's pvs does when
		 * it reads VGs (damaged-foreign.sh; its label-only reports such as -o pv_name list
		 * it, docs/lvm2-differences.md); never shown free */
		if (md && md->name && !(md->status & MD_VG_EXPORTED)) {
			char why[400];
			if (report_hides(ctx, md, why, sizeof(why)))
				continue;
		}
		md_id_format(d->id, uuid);
		row.name = d->path;
		row.uuid = uuid;
		row.fmt = "lvm2";
		row.vg = md ? md->name : "";
		row.dev_size = d->hdr.device_size / 512;
		row.pe_start = d->hdr.n_da ? d->hdr.da[0].offset / 512 : 0;
		if (pv) {
			row.pe_count = pv->pe_count;
			row.pe_alloc = md_pv_used_extents(md, pv);
			row.size = (uint64_t)pv->pe_count * md->extent_size;
			row.free = (row.pe_count - row.pe_alloc) * md->extent_size;
			snprintf(row.attr, sizeof(row.attr), "%c%c%c",
				 (pv->status & MD_PV_ALLOCATABLE) ? 'a' : '-',
				 (pv->status & MD_PV_EXPORTED) ? 'x' : '-',
				 (pv->status & MD_PV_MISSING) ? 'm' : '-');
		} else if (d->in_doubt) {
			/* lvm2: the PV is used by a VG it cannot read; never report it free */
			char w[300];
			snprintf(w, sizeof(w),
				 "WARNING: PV %s is marked in use but no VG was found using it.",
				 d->path);
			tb_warn_once(ctx, w);
			snprintf(w, sizeof(w), "WARNING: PV %s might need repairing.", d->path);
			tb_warn_once(ctx, w);
			row.vg = "[unknown]";
			row.size = row.dev_size;
			row.free = 0;
			snprintf(row.attr, sizeof(row.attr), "u--");
		} else {
			row.size = row.free = row.dev_size;
			snprintf(row.attr, sizeof(row.attr), "---");
		}
		{
			struct tb_rf_mda mdas[LVF_MAX_MDA];
			struct tb_rf_set rf = { 0 }, *segs = NULL;
			struct tb_rseg *rs = NULL;
			size_t n_segs = 0, n_mdas = 0, rs_cap = 0;
			for (size_t k = 0; k < d->hdr.n_mda && k < LVF_MAX_MDA; k++)
				mdas[n_mdas++] = (struct tb_rf_mda){ d->hdr.mda[k].size,
								     d->text ? d->text_len + 1 : 0,
								     d->mda_ignored[k] };
			r = tb_rf_pv_fields(md, pv, d, mdas, n_mdas, &rf, &segs, &n_segs);
			if (r == 0)
				r = rsegs_of(&(struct tb_rf_segs){ segs, n_segs, n_segs }, &rs,
					     &rs_cap);
			row.fields = rf.f;
			row.n_fields = rf.n;
			row.pvsegs = rs;
			row.n_pvsegs = n_segs;
			if (r == 0)
				r = cb(userdata, &row);
			free(rs);
			release_segs(segs, n_segs);
			tb_rf_release(&rf);
		}
	}
	/* PVs a VG lists that no device carries: lvm2 shows them as "[unknown]", attr m */
	for (size_t j = 0; !n && j < s.n && r == 0; j++) {
		struct md_vg *md = mds[j];
		bool newest = md != NULL;
		for (size_t k = 0; md && k < s.n && newest; k++)
			if (k != j && mds[k] && streq(mds[k]->name, md->name) &&
			    (mds[k]->seqno > md->seqno || (mds[k]->seqno == md->seqno && k < j)))
				newest = false;
		for (size_t p = 0; newest && p < md->n_pvs && r == 0; p++) {
			struct md_pv *pv = md->pvs[p];
			struct tb_pv_row row = { 0 };
			char uuid[MD_ID_LEN + 7], w[400];
			bool seen = false;
			for (size_t k = 0; k < s.n; k++)
				seen |= streq(s.devs[k]->id, pv->id);
			if (seen)
				continue;
			md_id_format(pv->id, uuid);
			snprintf(w, sizeof(w), "WARNING: Couldn't find device with uuid %s.", uuid);
			tb_warn_once(ctx, w);
			snprintf(w, sizeof(w),
				 "WARNING: VG %s is missing PV %s (last written to %s).", md->name,
				 uuid, pv->device ? pv->device : "[unknown]");
			tb_warn_once(ctx, w);
			row.name = "[unknown]";
			row.uuid = uuid;
			row.fmt = "lvm2";
			row.vg = md->name;
			row.dev_size = 0;
			row.pe_start = pv->pe_start;
			row.pe_count = pv->pe_count;
			row.pe_alloc = md_pv_used_extents(md, pv);
			row.size = (uint64_t)pv->pe_count * md->extent_size;
			row.free = (row.pe_count - row.pe_alloc) * md->extent_size;
			snprintf(row.attr, sizeof(row.attr), "%c%cm",
				 (pv->status & MD_PV_ALLOCATABLE) ? 'a' : '-',
				 (pv->status & MD_PV_EXPORTED) ? 'x' : '-');
			r = cb(userdata, &row);
		}
	}
out:
	for (size_t j = 0; mds && j < s.n; j++) {
		bool shared = false;
		for (size_t k = 0; k < j && !shared; k++)
			shared = mds[k] == mds[j];
		if (!shared)
			md_vg_free(mds[j]);
	}
	free(mds);
	tb_scan_free(&s);
	tb_cmd_end(&c);
	return r;
}
