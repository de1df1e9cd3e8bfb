/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvcreate, lvconvert --thinpool, lvresize/lvextend, lvremove, lvrename, lvchange, vgchange.
 * Each: lock, read, change the model, commit, then touch the kernel; when a step after the
 * commit fails, the change is reverted and committed again so nothing is lost or half-made.
 */
#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/activate/wipe.h"
#include "core/activate/resizefs.h"
#include "core/cmd/cmd.h"
#include "core/monitor/monitor.h"
#include "core/policy/policy.h"
#include "core/monitor/monitor-state.h"
#include "core/activate/pooltruth.h"
#include "core/cmd/raid.h"
#include "core/cmd/stripe.h"
#include "core/cmd/cow.h"
#include "util/units.h"

static int cmd_start(struct tb_ctx *ctx, struct tb_cmd *c, const char *name, const char *vgname,
		     struct tb_vg **vg)
{
	int r;

	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, c, name)) < 0)
		return r;
	if ((r = tb_vg_read(c, vgname, true, vg)) < 0 || (r = tb_vg_check_writable(c, *vg)) < 0) {
		*vg = tb_vg_free(*vg);
		tb_cmd_end(c);
		return r;
	}
	return 0;
}

static void cmd_finish(struct tb_cmd *c, struct tb_vg *vg)
{
	tb_vg_free(vg);
	tb_cmd_end(c);
}

static struct md_lv *need_lv(struct tb_ctx *ctx, struct tb_vg *vg, const char *name, int *r)
{
	struct md_lv *lv = md_vg_find_lv(vg->md, name);
	if (!lv)
		*r = tb_fail(ctx, -ENOENT, "Failed to find logical volume \"%s/%s\"", vg->md->name,
			     name);
	return lv;
}

/* Extents for a size argument. @base_extents: current size (for relative sizes). */
static int size_to_extents(struct tb_ctx *ctx, const struct tb_vg *vg, const struct tb_size *s,
			   uint32_t origin_extents, uint64_t *ret)
{
	uint64_t es = vg->md->extent_size, v = s->value, n;

	switch (s->unit) {
	case TB_SIZE_SECTORS:
		n = DIV_ROUND_UP(v, es);
		if (n * es != v && v)
			tb_info(ctx, "Rounding up size to full physical extent");
		break;
	case TB_SIZE_EXTENTS:
		/* lvm2 2.03.16 reads -l into 32 bits, saturating: "-l 4294967296" asks for
		 * 4294967295 extents (measured) */
		n = MIN(v, (uint64_t)UINT32_MAX);
		break;
	case TB_SIZE_PCT_VG:
		n = md_vg_extent_count(vg->md) * v / 100;
		break;
	case TB_SIZE_PCT_FREE:
		n = md_vg_free_count(vg->md) * v / 100;
		break;
	case TB_SIZE_PCT_PVS:
		n = md_alloc_available(vg->md, NULL, 0) * v / 100;
		break;
	case TB_SIZE_PCT_ORIGIN:
		n = (uint64_t)origin_extents * v / 100;
		break;
	default:
		return tb_fail(ctx, -EINVAL, "Please specify either size or extents");
	}
	if (n > UINT32_MAX && s->unit == TB_SIZE_SECTORS) {
		/* lvm2 2.03.16 lib/metadata/lv_manip.c, its words (measured) */
		char sz[32], ext[32], lim[32];
		units_display_size(v, sz, sizeof(sz));
		units_display_size(es, ext, sizeof(ext));
		units_display_size((uint64_t)UINT32_MAX * es, lim, sizeof(lim));
		return tb_fail(ctx, -ERANGE,
			       "Volume too large (%s) for extent size %s. Upper limit is less than "
			       "%s.",
			       sz, ext, lim);
	}
	if (n > UINT32_MAX)
		return tb_fail(ctx, -ERANGE, "Size is too large for volume group %s", vg->md->name);
	*ret = n;
	return 0;
}

static void lv_stamp(struct md_lv *lv)
{
	struct utsname u;

	lv->has_creation = true;
	lv->creation_time = (int64_t)time(NULL);
	md_lv_set_str(&lv->creation_host, uname(&u) == 0 ? u.nodename : "unknown");
}

void tb_lv_stamp(struct md_lv *lv)
{
	lv_stamp(lv);
}

/* What lvcreate's -p, -k, --setautoactivation and --addtag set on a new LV. */
int tb_lv_new_attrs(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv,
		    const struct tb_lvcreate_opts *o)
{
	int r = tb_tags_apply(ctx, &lv->tags, &o->tags);

	(void)vg;
	if (r < 0)
		return r;
	if (o->permission == 'r')
		lv->status &= ~MD_LV_WRITE;
	if (o->activation_skip == 'y')
		lv->flags |= MD_LVF_ACTIVATION_SKIP;
	else if (o->activation_skip == 'n')
		lv->flags &= ~MD_LVF_ACTIVATION_SKIP;
	if (o->autoactivation == 'n')
		lv->flags |= MD_LVF_NOAUTOACTIVATE;
	return 0;
}

/* The PVs named on the command line, as lvm2's create_pv_list takes them for an allocation: a
 * PV without free extents is left out with lvm2's warning, and none left fails. *ret (caller
 * frees) and *ret_n: the PVs kept; NULL and 0 when none were named. */
static int pvs_from_paths(struct tb_ctx *ctx, struct tb_vg *vg, const char *const *paths, size_t n,
			  struct md_pv ***ret, size_t *ret_n)
{
	struct md_pv **pvs;
	size_t k = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!n)
		return 0;
	pvs = calloc(n, sizeof(*pvs));
	if (!pvs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&vg->scan, paths[i]);
		if (!d || !(pvs[k] = md_vg_find_pv(vg->md, d->id))) {
			free(pvs);
			return tb_fail(ctx, -ENOENT,
				       "Physical Volume \"%s\" not found in Volume "
				       "Group \"%s\".",
				       paths[i], vg->md->name);
		}
		if (pvs[k]->pe_count <= md_pv_used_extents(vg->md, pvs[k])) {
			tb_warn(ctx, "WARNING: No free extents on physical volume \"%s\".",
				paths[i]);
			continue;
		}
		k++;
	}
	if (!k) {
		free(pvs);
		return tb_fail(ctx, -ENOSPC, "No specified PVs have space available.");
	}
	*ret = pvs;
	*ret_n = k;
	return 0;
}

/* Undo a creation whose kernel step failed: drop the LV (a raid LV with its sub-LVs) and
 * commit again; the error message of the failure is kept. */
void tb_lv_revert_create(struct tb_cmd *c, struct tb_vg *vg, const char *name)
{
	struct md_lv *lv = md_vg_find_lv(vg->md, name);
	char msg[sizeof(c->ctx->errmsg)];

	memcpy(msg, c->ctx->errmsg, sizeof(msg));
	if (lv) {
		tb_lv_deactivate(c, vg, lv);
		if ((md_lv_is_raid(lv) ? md_raid_remove(vg->md, lv) : md_lv_remove(vg->md, lv)) == 0)
			tb_vg_commit(c, vg);
	}
	memcpy(c->ctx->errmsg, msg, sizeof(msg));
}

static int check_pool_kernel(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
{
	struct tb_lv_state st;
	int r = tb_lv_state_get(c->ctx, vg->md, pool, &st);

	if (r < 0 || !st.has_pool_status)
		return r < 0 ? r : 0;
	if (dmk_pool_status_broken(&st.pool_status))
		return tb_fail(c->ctx, -EIO,
			       "Thin pool %s/%s is %s: thinbox will not change it. Repair it first.",
			       vg->md->name, pool->name, dmk_pool_status_what(&st.pool_status));
	if (st.pool_status.transaction_id != pool->segs[0].transaction_id)
		return tb_fail(c->ctx, -EINVAL,
			       "Thin pool %s/%s transaction_id is %" PRIu64
			       ", while expected %" PRIu64
			       ". Another program (such as Docker) manages thin devices in this pool; "
			       "thinbox will not create or remove thin LVs in it.",
			       vg->md->name, pool->name, st.pool_status.transaction_id,
			       pool->segs[0].transaction_id);
	return 0;
}

/* A free device id for a new thin LV of @pool: none of the VG's, none the pool's kernel
 * metadata holds (another program's devices, e.g. containerd's snapshotter's), the lowest. */
static int pick_device_id(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, uint32_t *ret)
{
	_cleanup_free_ uint32_t *taken = NULL;
	const char *force = secure_getenv("THINBOX_TEST_DEVICE_ID");
	size_t n = 0;
	int r;

	/* fault injection for the VM tests (docs/test-rig.md): take this id, as a program that
	 * raced us to it would leave us, so that the kernel's EEXIST path can be exercised */
	if (force && *force) {
		*ret = (uint32_t)strtoul(force, NULL, 10);
		return 0;
	}
	if ((r = tb_pool_foreign_ids(c, vg, pool, &taken, &n)) < 0)
		return r;
	r = md_pool_free_device_id(vg->md, pool, taken, n, ret);
	if (r == -ENOSPC)
		return tb_fail(c->ctx, r, "Thin pool %s/%s has no free thin device id.",
			       vg->md->name, pool->name);
	if (r < 0)
		return r;
	if (n)
		tb_info(c->ctx,
			"Thin pool %s/%s holds %zu device id%s of another program; using "
			"device id %u.",
			vg->md->name, pool->name, n, n == 1 ? "" : "s", *ret);
	return 0;
}

/* The kernel refused the new thin LV's message before taking anything: put the VG back
 * exactly as it was (no LV, no queued message, the old transaction id) and the pool as it was
 * (inactive again if this command activated it). */
/* Send the pool's queued messages (activate/) and commit the VG that no longer queues them. */
static int pool_apply_messages(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			       unsigned flags, bool *ret_untouched)
{
	bool queued = pool->segs[0].n_msgs > 0;
	int r = tb_pool_send_messages(c, vg, pool, flags, ret_untouched);

	if (r == 0 && queued)
		r = tb_vg_commit(c, vg);
	return r;
}

static void rollback_thin_create(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
				 struct md_lv *lv, bool pool_was_active)
{
	char msg[sizeof(c->ctx->errmsg)];

	memcpy(msg, c->ctx->errmsg, sizeof(msg));
	md_pool_clear_messages(pool);
	pool->segs[0].transaction_id = lv->segs[0].transaction_id;
	if (md_lv_remove(vg->md, lv) == 0 && tb_vg_commit(c, vg) == 0) {
		if (!pool_was_active)
			tb_lv_deactivate(c, vg, pool);
		else
			tb_lv_activate(c, vg, pool); /* back to a new pool's layout if it was one */
	}
	memcpy(c->ctx->errmsg, msg, sizeof(msg));
}

static int lvcreate_thin(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
			 const char *name)
{
	struct tb_ctx *ctx = c->ctx;
	struct md_lv *pool = NULL, *origin = NULL, *lv = NULL;
	char id[MD_ID_LEN + 1];
	uint64_t ext = 0;
	bool pool_was_active, untouched;
	struct tb_lv_state ps;
	uint32_t dev_id;
	int r;

	if (o->origin) {
		origin = need_lv(ctx, vg, o->origin, &r);
		if (!origin)
			return r;
		if (!md_lv_is_thin(origin))
			return tb_fail(ctx, -EINVAL,
				       "Snapshots of %s/%s are not supported: thinbox makes thin "
				       "snapshots of thin LVs only (omit the size).",
				       vg->md->name, origin->name);
		pool = origin->segs[0].thin_pool;
		ext = origin->segs[0].extent_count;
	} else {
		pool = need_lv(ctx, vg, o->pool, &r);
		if (!pool)
			return r;
		if (!md_lv_is_thin_pool(pool))
			return tb_fail(ctx, -EINVAL, "Logical volume %s/%s is not a thin pool.",
				       vg->md->name, pool->name);
		ext = DIV_ROUND_UP(o->virtual_size, vg->md->extent_size);
		/* lvm2 rounds thin sizes up to whole chunks when chunks exceed an extent */
		if ((uint64_t)pool->segs[0].chunk_size > vg->md->extent_size) {
			uint64_t per = pool->segs[0].chunk_size / vg->md->extent_size;
			ext = ROUND_UP(ext, per);
		}
		if (!ext || ext > UINT32_MAX)
			return tb_fail(ctx, -EINVAL, "Invalid virtual size for thin volume.");
	}
	if (pool->segs[0].n_msgs)
		return tb_fail(ctx, -EBUSY,
			       "Thin pool %s/%s has queued messages from an interrupted command; "
			       "activate it (lvchange -ay) to finish them first.",
			       vg->md->name, pool->name);
	if ((r = check_pool_kernel(c, vg, pool)) < 0)
		return r;
	if ((r = tb_lv_state_get(ctx, vg->md, pool, &ps)) < 0)
		return r;
	pool_was_active = ps.pool_active;
	if ((r = pick_device_id(c, vg, pool, &dev_id)) < 0)
		return r;
	tb_new_id(id);
	r = md_thin_create_id(vg->md, pool, name, id, (uint32_t)ext, origin, dev_id, &lv);
	if (r == -EEXIST)
		return tb_fail(ctx, r, "Logical Volume \"%s\" already exists in volume group \"%s\"",
			       name, vg->md->name);
	if (r == -ENOSPC)
		return tb_fail(ctx, r, "Thin pool %s/%s has no free thin device id.", vg->md->name,
			       pool->name);
	if (r < 0)
		return tb_fail(ctx, r, "Cannot create thin LV %s: %s", name, strerror(-r));
	lv_stamp(lv);
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		return r; /* nothing committed: the VG on disk is unchanged */
	/* commit with the message queued and the tid bumped, then tell the kernel */
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	r = pool_apply_messages(c, vg, pool, TB_APPLY_FRESH, &untouched);
	if (r < 0 && untouched)
		rollback_thin_create(c, vg, pool, lv, pool_was_active);
	if (r < 0)
		return r; /* else the queued message stays: the next activation finishes it */
	if (o->activate != 0 &&
	    (!(lv->flags & MD_LVF_ACTIVATION_SKIP) || o->ignore_activation_skip)) {
		if ((r = tb_lv_activate(c, vg, lv)) < 0)
			return r;
	} else if (!pool_was_active) {
		struct md_lv *p = pool;
		tb_lv_deactivate(c, vg, p);
	}
	/* an active pool LV stays active, as lvm2 keeps it: a pool that just became used gets
	 * its public read-only layer over -tpool */
	if (ps.active && (r = tb_lv_activate(c, vg, pool)) < 0)
		return r;
	tb_notice(ctx, "Logical volume \"%s\" created.", name);
	return 0;
}

/* lvcreate -s VG/LV -L|-l: the COW store as a new linear LV, then core/cmd/cow.c */
static int lvcreate_cow(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
			const char *name, struct md_pv **pvs, size_t n_pvs)
{
	struct tb_ctx *ctx = c->ctx;
	struct md_lv *origin = NULL, *lv = NULL;
	char id[MD_ID_LEN + 1];
	uint64_t ext = 0;
	uint32_t chunk;
	int r;

	if (!md_vg_find_lv(vg->md, o->origin))
		return tb_fail(ctx, -ENOENT, "Snapshot origin LV %s not found in Volume group %s.",
			       o->origin, vg->md->name);
	if (o->size.unit == TB_SIZE_SECTORS) {
		/* lvm2 _lv_create_an_lv's note, with the size (tools/lvcreate.c) */
		char sz[32];
		ext = DIV_ROUND_UP(o->size.value, vg->md->extent_size);
		units_display_size(ext * vg->md->extent_size, sz, sizeof(sz));
		if (ext * vg->md->extent_size != o->size.value)
			tb_notice(ctx, "Rounding up size to full physical extent %s", sz);
	} else if (o->size.unit != TB_SIZE_PCT_ORIGIN &&
		   (r = size_to_extents(ctx, vg, &o->size, 0, &ext)) < 0) {
		return r;
	}
	if ((r = tb_cow_prepare(ctx, vg, o, ext, &origin, &chunk, &ext)) < 0)
		return r;
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv)) < 0)
		return r;
	lv_stamp(lv);
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		return r;
	r = md_lv_extend_linear(vg->md, lv, (uint32_t)ext,
				o->contiguous ? MD_ALLOC_CONTIGUOUS : MD_ALLOC_NORMAL, pvs, n_pvs);
	if (r == -ENOSPC)
		return tb_vg_no_space(ctx, vg, ext);
	if (r < 0 || (r = tb_cow_finish(c, vg, o, origin, lv, chunk)) < 0)
		return r;
	tb_notice(ctx, "Logical volume \"%s\" created.", name);
	return 0;
}

static int lvcreate_pool(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
			 const char *name, struct md_pv **pvs, size_t n_pvs);
static int lvcreate_pool_and_thin(struct tb_cmd *c, struct tb_vg *vg,
				  const struct tb_lvcreate_opts *o, const char *name);

TB_EXPORT int tb_lvcreate(struct tb_ctx *ctx, const struct tb_lvcreate_opts *o)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv = NULL;
	_cleanup_free_ struct md_pv **pvs = NULL;
	size_t n_pvs = 0;
	char name[MD_NAME_MAX + 1], id[MD_ID_LEN + 1];
	const char *why;
	uint64_t ext;
	int r;

	tb_ctx_clear_error(ctx);
	if (o->name) {
		if (md_lv_name_check_user(o->name, &why) < 0)
			return tb_fail(ctx, -EINVAL, "Logical volume name \"%s\" is invalid: %s.",
				       o->name, why);
		if (strlen(o->vg) + strlen(o->name) + 3 >= 128)
			return tb_fail(ctx, -EINVAL,
				       "Logical volume name \"%s\" is too long for "
				       "volume group \"%s\".",
				       o->name, o->vg);
	}
	if ((r = cmd_start(ctx, &c, "lvcreate", o->vg, &vg)) < 0)
		return r;
	if (o->name) {
		snprintf(name, sizeof(name), "%s", o->name);
		if (md_vg_find_lv(vg->md, name)) {
			r = tb_fail(ctx, -EEXIST,
				    "Logical Volume \"%s\" already exists in volume group \"%s\"",
				    name, o->vg);
			goto out;
		}
	} else {
		unsigned i = 0;
		do
			snprintf(name, sizeof(name), "lvol%u", i++);
		while (md_vg_find_lv(vg->md, name));
	}
	if (o->mirrors && (o->thin_pool || o->pool || o->origin || o->stripes > 1)) {
		r = tb_fail(ctx, -EOPNOTSUPP,
			    "raid1 thin pools, snapshots and striped mirrors are not supported by "
			    "thinbox; create a plain raid1 LV (--type raid1 -m N).");
		goto out;
	}
	if (o->stripes > 1 && (o->thin_pool || o->pool || o->origin)) {
		r = tb_fail(ctx, -EOPNOTSUPP,
			    "Striped thin pools and snapshots are not supported by thinbox; "
			    "omit -i/--stripes.");
		goto out;
	}
	if (o->thin_pool && o->pool_name && o->virtual_size) {
		r = lvcreate_pool_and_thin(&c, vg, o, name);
		goto out;
	}
	if (o->pool || (o->origin && o->size.unit == TB_SIZE_NONE)) {
		r = lvcreate_thin(&c, vg, o, name);
		goto out;
	}
	if ((r = pvs_from_paths(ctx, vg, o->pvs, o->n_pvs, &pvs, &n_pvs)) < 0)
		goto out;
	if (o->origin) { /* -s with a size: an old-style (COW) snapshot */
		r = lvcreate_cow(&c, vg, o, name, pvs, n_pvs);
		goto out;
	}
	if (o->thin_pool) {
		r = lvcreate_pool(&c, vg, o, name, pvs, n_pvs);
		goto out;
	}
	if ((r = size_to_extents(ctx, vg, &o->size, 0, &ext)) < 0)
		goto out;
	/* lvm2 2.03.16 lvcreate.c _update_extents_params: N%VG beyond what is free */
	if (o->size.unit == TB_SIZE_PCT_VG && ext > md_vg_free_count(vg->md)) {
		char fs[32];
		ext = md_vg_free_count(vg->md);
		units_display_size(ext * vg->md->extent_size, fs, sizeof(fs));
		tb_notice(ctx, "Reducing %" PRIu64 "%%VG to remaining free space %s in VG.",
			  o->size.value, fs);
	}
	if (ext == 0) {
		r = tb_fail(ctx, -EINVAL, "Unable to create new logical volume with no extents.");
		goto out;
	}
	if (o->profile && md_name_check(o->profile, &(const char *){ NULL }) < 0) {
		r = tb_fail(ctx, -EINVAL,
			    "Profile name \"%s\" is invalid: a profile is a name, not "
			    "a path.",
			    o->profile);
		goto out;
	}
	if (o->mirrors) {
		r = tb_lvcreate_raid1(&c, vg, o, name, ext, pvs, n_pvs);
		goto out;
	}
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv)) < 0)
		goto out;
	lv_stamp(lv);
	if (o->profile)
		md_lv_set_str(&lv->profile, o->profile);
	if (o->errorwhenfull == 1)
		lv->flags |= MD_LVF_ERROR_WHEN_FULL;
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		goto out;
	r = o->stripes > 1
		    ? tb_lv_alloc_striped(ctx, vg, lv, ext, o, pvs, n_pvs)
		    : md_lv_extend_linear(vg->md, lv, (uint32_t)ext,
					  o->contiguous ? MD_ALLOC_CONTIGUOUS : MD_ALLOC_NORMAL,
					  pvs, n_pvs);
	if (r == -ENOSPC && o->stripes <= 1) {
		r = tb_vg_no_space(ctx, vg, ext);
		goto out;
	}
	if (r < 0)
		goto out;
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	if (o->activate != 0 &&
	    (!(lv->flags & MD_LVF_ACTIVATION_SKIP) || o->ignore_activation_skip)) {
		r = tb_lv_activate(&c, vg, lv);
		if (r == 0 && o->zero != 0 && (lv->status & MD_LV_WRITE))
			r = (o->wipesignatures == 0) ? tb_lv_zero(&c, vg, lv, 4096)
						     : tb_lv_wipe_signatures(&c, vg, lv);
		if (r < 0) {
			tb_lv_revert_create(&c, vg, name);
			goto out;
		}
	} else if (o->zero == 1) {
		tb_warn(ctx, "WARNING: Logical volume %s/%s not zeroed.", o->vg, name);
	}
	tb_notice(ctx, "Logical volume \"%s\" created.", name);
out:
	cmd_finish(&c, vg);
	if (r == 0 && o->activate != 0 &&
	    (o->thin_pool || o->pool || (o->origin && o->size.unit == TB_SIZE_NONE)))
		tb_monitor_autostart(ctx);
	return r;
}

/* ---------------------------------------------------------------- thin pools */

struct convert_args {
	uint32_t chunk;
	uint64_t meta_sectors;
	int zero, discards;
};

static int pool_params(struct tb_ctx *ctx, uint64_t data_sectors, const struct convert_args *a,
		       uint32_t *ret_chunk, uint64_t *ret_meta)
{
	uint32_t chunk;
	uint64_t meta;
	int r;

	if (a->chunk && (a->chunk < MD_THIN_MIN_CHUNK || a->chunk > MD_THIN_MAX_CHUNK ||
			 a->chunk % MD_THIN_MIN_CHUNK))
		return tb_fail(ctx, -EINVAL,
			       "Chunk size must be a multiple of 64 KiB between 64 KiB and 1 GiB "
			       "(got %u sectors).",
			       a->chunk);
	r = md_pool_estimate(data_sectors, a->chunk, a->meta_sectors, &chunk, &meta);
	if (r < 0)
		return tb_fail(ctx, r, "Chunk size is bigger than the pool data size.");
	*ret_chunk = chunk;
	*ret_meta = meta;
	return 0;
}

static void pool_info_msg(struct tb_ctx *ctx, uint32_t chunk)
{
	char cs[32], max[32];
	/* lvm2 2.03.16 printed 127.00 TiB for 512 KiB chunks: 2^28 - 2^21 blocks */
	units_display_size(chunk, cs, sizeof(cs));
	units_display_size((uint64_t)chunk * ((1ull << 28) - (1ull << 21)), max, sizeof(max));
	tb_notice(ctx, "Thin pool volume with chunk size %s can address at most %s of data.", cs,
		  max[0] == '<' ? max + 1 : max);
}

static int lvcreate_pool(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
			 const char *name, struct md_pv **pvs, size_t n_pvs)
{
	struct tb_ctx *ctx = c->ctx;
	struct convert_args a = { o->chunk_size, o->poolmetadatasize, o->zero, o->discards };
	struct md_pool_params pp = { 0 };
	struct md_lv *data = NULL, *meta = NULL, *pool = NULL;
	char id[MD_ID_LEN + 1], sid[MD_ID_LEN + 1], pid[MD_ID_LEN + 1], mname[MD_NAME_MAX + 16];
	uint64_t ext, meta_ext, md_sectors;
	uint32_t chunk;
	int r;

	if ((r = size_to_extents(ctx, vg, &o->size, 0, &ext)) < 0)
		return r;
	if (!ext)
		return tb_fail(ctx, -EINVAL, "Unable to create new logical volume with no extents.");
	if ((r = pool_params(ctx, ext * vg->md->extent_size, &a, &chunk, &md_sectors)) < 0)
		return r;
	meta_ext = DIV_ROUND_UP(MAX(md_sectors, (uint64_t)MD_THIN_MIN_META), vg->md->extent_size);
	if (meta_ext * vg->md->extent_size > MD_THIN_MAX_META)
		meta_ext = MD_THIN_MAX_META / vg->md->extent_size;
	/* lvm2 (lvcreate.c _update_extents_params): N%FREE and N%PVS of a new pool leave room
	 * for its metadata and the spare, taken from the percentage */
	if (o->size.unit == TB_SIZE_PCT_FREE || o->size.unit == TB_SIZE_PCT_PVS) {
		if (ext <= 2 * meta_ext)
			return tb_fail(ctx, -ENOSPC, "Not enough space for thin pool creation.");
		ext -= 2 * meta_ext;
	}
	if (md_alloc_available(vg->md, pvs, n_pvs) < ext + meta_ext)
		return tb_vg_no_space(ctx, vg, ext + meta_ext);
	/* data and metadata as plain LVs, then the conversion lvconvert does */
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &data)) < 0)
		return r;
	lv_stamp(data);
	if ((r = md_lv_extend_linear(vg->md, data, (uint32_t)ext, MD_ALLOC_NORMAL, pvs, n_pvs)) < 0)
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, ext) : r;
	snprintf(mname, sizeof(mname), "%s_tmetanew", name);
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, mname, id, MD_LV_READ | MD_LV_WRITE, &meta)) < 0)
		return r;
	lv_stamp(meta);
	if ((r = md_lv_extend_linear(vg->md, meta, (uint32_t)meta_ext, MD_ALLOC_NORMAL, pvs,
				     n_pvs)) < 0)
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, ext + meta_ext) : r;
	pp.chunk_size = chunk;
	pp.zero = o->zero != 0;
	pp.discards = o->discards < 0 ? MD_DISCARDS_PASSDOWN : (enum md_discards)o->discards;
	pp.make_spare = true;
	tb_new_id(pid);
	tb_new_id(sid);
	if ((r = md_pool_convert(vg->md, data, meta, pid, sid, &pp, &pool)) < 0)
		return tb_fail(ctx, r, "Cannot make thin pool %s: %s", name, strerror(-r));
	lv_stamp(pool);
	if (o->profile && md_name_check(o->profile, &(const char *){ NULL }) < 0)
		return tb_fail(ctx, -EINVAL,
			       "Profile name \"%s\" is invalid: a profile is a name, "
			       "not a path.",
			       o->profile);
	if ((r = tb_tags_apply(ctx, &pool->tags, &o->tags)) < 0)
		return r;
	if (o->activation_skip == 'y')
		pool->flags |= MD_LVF_ACTIVATION_SKIP;
	if (o->autoactivation == 'n')
		pool->flags |= MD_LVF_NOAUTOACTIVATE;
	if (o->profile)
		md_lv_set_str(&pool->profile, o->profile);
	if (o->errorwhenfull == 1)
		pool->flags |= MD_LVF_ERROR_WHEN_FULL;
	if (!md_vg_pmspare(vg->md))
		tb_warn(ctx, "WARNING: Not enough space for a pool metadata spare in VG %s.",
			vg->md->name);
	/* zero the metadata on its PVs before the commit that makes it the pool's: a kill at any
	 * point leaves the old VG (the extents still free) or a pool whose metadata is zeroed
	 * (docs/crash.md); no kernel device is needed for it */
	if ((r = tb_lv_zero_on_pvs(c, vg, meta)) < 0)
		return r;
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	if (o->activate != 0 &&
	    (!(pool->flags & MD_LVF_ACTIVATION_SKIP) || o->ignore_activation_skip))
		r = tb_lv_activate(c, vg, pool);
	if (r < 0) {
		char msg[sizeof(ctx->errmsg)];
		memcpy(msg, ctx->errmsg, sizeof(msg));
		tb_lv_deactivate(c, vg, pool);
		tb_lv_deactivate(c, vg, meta);
		tb_lv_deactivate(c, vg, data);
		if (md_lv_remove(vg->md, pool) == 0 && md_lv_remove(vg->md, meta) == 0 &&
		    md_lv_remove(vg->md, data) == 0)
			tb_vg_commit(c, vg);
		memcpy(ctx->errmsg, msg, sizeof(msg));
		return r;
	}
	pool_info_msg(ctx, chunk);
	if (!o->pool_name) /* pool and thin LV in one command: lvm2 names only the thin LV */
		tb_notice(ctx, "Logical volume \"%s\" created.", name);
	return 0;
}

/* lvcreate -L SIZE -T VG/POOL -V SIZE -n THIN: the pool, then the thin LV in it. When the
 * thin LV fails, the pool stays (as lvm2 leaves it). */
static int lvcreate_pool_and_thin(struct tb_cmd *c, struct tb_vg *vg,
				  const struct tb_lvcreate_opts *o, const char *name)
{
	struct tb_lvcreate_opts po = *o, to = *o;
	_cleanup_free_ struct md_pv **pvs = NULL;
	size_t n_pvs = 0;
	int r;

	if (md_vg_find_lv(vg->md, o->pool_name))
		return tb_fail(c->ctx, -EEXIST,
			       "Logical Volume \"%s\" already exists in volume group \"%s\"",
			       o->pool_name, vg->md->name);
	if ((r = pvs_from_paths(c->ctx, vg, o->pvs, o->n_pvs, &pvs, &n_pvs)) < 0)
		return r;
	memset(&po.tags, 0, sizeof(po.tags));
	po.permission = 0;
	po.activation_skip = 0;
	po.autoactivation = 0;
	if ((r = lvcreate_pool(c, vg, &po, o->pool_name, pvs, n_pvs)) < 0)
		return r;
	to.pool = o->pool_name;
	to.thin_pool = false;
	return lvcreate_thin(c, vg, &to, name);
}

static int lv_open_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, bool *ret_active)
{
	struct tb_lv_state st;
	int r = tb_lv_state_get(c->ctx, vg->md, lv, &st);

	if (r < 0)
		return r;
	if (st.active && st.info.open_count > 0)
		return tb_fail(c->ctx, -EBUSY,
			       "Logical volume %s/%s is in use (open %d times); close it (umount) "
			       "first.",
			       vg->md->name, lv->name, st.info.open_count);
	*ret_active = st.active;
	return 0;
}

TB_EXPORT int tb_lvconvert_thinpool(struct tb_ctx *ctx, const struct tb_lvconvert_opts *o)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *data, *meta, *pool = NULL;
	struct md_pool_params pp = { 0 };
	struct convert_args a = { o->chunk_size, 0, o->zero, o->discards };
	char pid[MD_ID_LEN + 1], sid[MD_ID_LEN + 1];
	_cleanup_free_ char *data_name = NULL, *meta_name = NULL;
	bool data_active = false, meta_active = false;
	uint64_t md_sectors;
	uint32_t chunk;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, "lvconvert", o->vg, &vg)) < 0)
		return r;
	if (!(data = need_lv(ctx, vg, o->thinpool, &r)))
		goto out;
	if (!o->poolmetadata) {
		r = tb_fail(ctx, -EINVAL, "Please give the metadata LV with --poolmetadata.");
		goto out;
	}
	if (!(meta = need_lv(ctx, vg, o->poolmetadata, &r)))
		goto out;
	if (data == meta) {
		r = tb_fail(ctx, -EINVAL, "The data and metadata LVs must differ.");
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		struct md_lv *lv = i ? meta : data;
		if (md_lv_is_thin_pool(lv)) {
			r = tb_fail(ctx, -EINVAL, "Logical volume %s/%s is already a thin pool.",
				    o->vg, lv->name);
			goto out;
		}
		if (!md_lv_is_visible(lv) || md_lv_is_thin(lv) || lv->n_segs == 0 ||
		    lv->segs[0].kind != MD_SEG_STRIPED || md_lv_pool_of(vg->md, lv)) {
			r = tb_fail(ctx, -EINVAL,
				    "Logical volume %s/%s cannot be converted: only plain visible "
				    "linear LVs can become thin pool data or metadata.",
				    o->vg, lv->name);
			goto out;
		}
		if ((r = lv_open_check(&c, vg, lv, i ? &meta_active : &data_active)) < 0)
			goto out;
	}
	if ((uint64_t)md_lv_extents(meta) * vg->md->extent_size < MD_THIN_MIN_META) {
		r = tb_fail(ctx, -EINVAL,
			    "Thin pool metadata LV %s/%s is smaller than the minimum 2.00 MiB.",
			    o->vg, meta->name);
		goto out;
	}
	if ((uint64_t)md_lv_extents(meta) * vg->md->extent_size > MD_THIN_MAX_META) {
		r = tb_fail(ctx, -EINVAL,
			    "Thin pool metadata LV %s/%s is larger than the maximum 15.88 GiB.",
			    o->vg, meta->name);
		goto out;
	}
	a.meta_sectors = (uint64_t)md_lv_extents(meta) * vg->md->extent_size;
	if ((r = pool_params(ctx, (uint64_t)md_lv_extents(data) * vg->md->extent_size, &a, &chunk,
			     &md_sectors)) < 0)
		goto out;
	if (!o->yes) {
		r = tb_fail(ctx, -EPERM,
			    "Converting %s/%s and %s/%s to a thin pool destroys their content; "
			    "confirm with -y.",
			    o->vg, data->name, o->vg, meta->name);
		goto out;
	}
	data_name = strdup(data->name);
	meta_name = strdup(meta->name);
	if (!data_name || !meta_name) {
		r = -ENOMEM;
		goto out;
	}
	pool_info_msg(ctx, chunk);
	tb_notice(ctx,
		  "WARNING: Converting %s/%s and %s/%s to thin pool's data and metadata volumes "
		  "with metadata wiping.",
		  o->vg, data_name, o->vg, meta_name);
	tb_notice(ctx, "THIS WILL DESTROY CONTENT OF LOGICAL VOLUME (filesystem etc.)");
	/* wipe the metadata LV while it is still a plain LV: no committed pool ever points at
	 * stale bytes */
	if (!meta_active && (r = tb_lv_activate(&c, vg, meta)) < 0)
		goto out;
	r = tb_lv_zero(&c, vg, meta, 0);
	if (r == 0)
		r = tb_lv_deactivate(&c, vg, meta);
	if (r == 0 && data_active)
		r = tb_lv_deactivate(&c, vg, data);
	if (r < 0)
		goto out;
	pp.chunk_size = chunk;
	pp.zero = o->zero != 0;
	pp.discards = o->discards < 0 ? MD_DISCARDS_PASSDOWN : (enum md_discards)o->discards;
	pp.make_spare = true;
	tb_new_id(pid);
	tb_new_id(sid);
	if ((r = md_pool_convert(vg->md, data, meta, pid, sid, &pp, &pool)) < 0) {
		r = tb_fail(ctx, r, "Cannot convert %s/%s to a thin pool: %s", o->vg, data_name,
			    strerror(-r));
		goto out;
	}
	if (!md_vg_pmspare(vg->md))
		tb_warn(ctx, "WARNING: Not enough space for a pool metadata spare in VG %s.", o->vg);
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	if (data_active && (r = tb_lv_activate(&c, vg, pool)) < 0)
		goto out;
	tb_notice(ctx, "Converted %s/%s and %s/%s to thin pool.", o->vg, data_name, o->vg,
		  meta_name);
out:
	cmd_finish(&c, vg);
	if (r == 0 && data_active)
		tb_monitor_autostart(ctx);
	return r;
}

/* ---------------------------------------------------------------- resize */

static int resize_target(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_size *s,
			 uint32_t cur, bool extend_only, uint64_t *ret_new)
{
	uint64_t n;
	int r = size_to_extents(ctx, vg, s, cur, &n);

	if (r < 0)
		return r;
	if (s->sign > 0)
		n = cur + n;
	else if (s->sign < 0)
		n = n >= cur ? 0 : cur - n;
	if (n > UINT32_MAX)
		return tb_fail(ctx, -ERANGE, "Size is too large.");
	if (n < cur)
		return tb_fail(ctx, -EINVAL,
			       extend_only ? "New size given (%" PRIu64
					     " extents) not larger than existing size "
					     "(%u extents)"
					   : "Reducing is not supported by thinbox (%" PRIu64
					     " < %u extents).",
			       n, cur);
	*ret_new = n;
	return 0;
}

TB_EXPORT int tb_lvresize(struct tb_ctx *ctx, const struct tb_lvresize_opts *o)
{
	struct tb_lv_fs fs;
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv, *target;
	struct tb_size size = o->size;
	uint64_t new_ext = 0;
	uint32_t cur;
	char a[32], b[32];
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, o->extend_only ? "lvextend" : "lvresize", o->vg, &vg)) < 0)
		return r;
	if (!(lv = need_lv(ctx, vg, o->lv, &r)) || (r = tb_cow_resize_check(ctx, vg, lv, &size)) < 0)
		goto out;
	if (md_lv_is_thin_pool(lv) && lv->segs[0].n_msgs == 0 &&
	    o->poolmetadatasize.unit != TB_SIZE_NONE) {
		struct md_lv *meta = md_pool_meta(lv);
		cur = md_lv_extents(meta);
		if ((r = resize_target(ctx, vg, &o->poolmetadatasize, cur, true, &new_ext)) < 0)
			goto out;
		if (new_ext > cur) {
			r = md_pool_extend_meta(vg->md, lv, (uint32_t)(new_ext - cur),
						MD_ALLOC_NORMAL);
			if (r == -ENOSPC) {
				r = tb_fail(ctx, r,
					    "Insufficient free space: %" PRIu64 " extents "
					    "needed, but only %" PRIu64 " available",
					    new_ext - cur, md_vg_free_count(vg->md));
				goto out;
			}
			if (r == -ERANGE) {
				r = tb_fail(ctx, r,
					    "Thin pool metadata cannot grow past 15.88 GiB.");
				goto out;
			}
			if (r < 0 || (r = tb_vg_commit(&c, vg)) < 0 ||
			    (r = tb_pool_reload(&c, vg, lv)) < 0)
				goto out;
			units_display_size((uint64_t)cur * vg->md->extent_size, a, sizeof(a));
			units_display_size(new_ext * vg->md->extent_size, b, sizeof(b));
			tb_notice(ctx,
				  "Size of logical volume %s/%s changed from %s (%u extents) to %s "
				  "(%" PRIu64 " extents).",
				  o->vg, meta->name, a, cur, b, new_ext);
			tb_notice(ctx, "Logical volume %s/%s successfully resized.", o->vg,
				  meta->name);
		}
		if (o->size.unit == TB_SIZE_NONE && !o->use_policies)
			goto out;
	}
	target = md_lv_is_thin_pool(lv) ? md_pool_data(lv) : lv;
	cur = md_lv_is_thin(lv) ? lv->segs[0].extent_count : md_lv_extents(target);
	if (o->use_policies) {
		if (!md_lv_is_thin_pool(lv)) {
			r = tb_fail(ctx, -EINVAL, "--use-policies applies to thin pools only.");
			goto out;
		}
		struct tb_autoextend_result res;
		r = tb_pool_autoextend(&c, vg, lv, false, &res, NULL);
		goto out;
	} else if ((r = resize_target(ctx, vg, &size, cur, o->extend_only, &new_ext)) < 0 ||
		   (r = tb_cow_resize_cap(ctx, vg, lv, cur, &new_ext)) != 0) {
		r = MIN(r, 0);
		goto out;
	}
	if (new_ext == cur) {
		r = tb_fail(ctx, -EINVAL,
			    "New size (%u extents) matches existing size (%u extents).", cur, cur);
		goto out;
	}
	if (tb_lv_striped(lv) && (r = tb_striped_round(ctx, vg, lv, cur, &new_ext)) < 0)
		goto out;
	if (o->resizefs && (r = tb_lv_fs_check(&c, vg, lv, &fs)) < 0)
		goto out;
	if (md_lv_is_thin(lv)) {
		lv->segs[0].extent_count = (uint32_t)new_ext;
	} else {
		r = md_lv_is_thin_pool(lv)
			    ? md_pool_extend_data(vg->md, lv, (uint32_t)(new_ext - cur),
						  MD_ALLOC_NORMAL)
		    : md_lv_is_raid(lv)
			    ? tb_raid_extend(&c, vg, lv, (uint32_t)(new_ext - cur), NULL, 0)
		    : tb_lv_striped(lv) ? tb_striped_extend(ctx, vg, lv, (uint32_t)(new_ext - cur))
					: md_lv_extend_linear(vg->md, lv, (uint32_t)(new_ext - cur),
							      MD_ALLOC_NORMAL, NULL, 0);
		if (r == -ENOSPC && !tb_lv_striped(lv) && !md_lv_is_raid(lv)) {
			r = tb_fail(ctx, r,
				    "Insufficient free space: %" PRIu64 " extents needed, but "
				    "only %" PRIu64 " available",
				    new_ext - cur, md_vg_free_count(vg->md));
			goto out;
		}
		if (r < 0)
			goto out;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0 || (r = tb_lv_reload(&c, vg, lv)) < 0)
		goto out;
	units_display_size((uint64_t)cur * vg->md->extent_size, a, sizeof(a));
	units_display_size(new_ext * vg->md->extent_size, b, sizeof(b));
	tb_notice(ctx,
		  "Size of logical volume %s/%s changed from %s (%u extents) to %s (%" PRIu64
		  " extents).",
		  o->vg, target->name, a, cur, b, new_ext);
	tb_notice(ctx, "Logical volume %s/%s successfully resized.", o->vg, lv->name);
	if (o->resizefs)
		r = tb_lv_fs_resize(&c, &fs);
out:
	cmd_finish(&c, vg);
	return r;
}

/* ---------------------------------------------------------------- remove, rename, change */

/* Removing a pool removes every device in it: refuse while it holds devices of another
 * program (ids no thin LV of the VG has), which thinbox never deletes. */
static int pool_foreign_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
{
	_cleanup_free_ uint32_t *ids = NULL;
	size_t n = 0;
	int r = tb_pool_foreign_ids(c, vg, pool, &ids, &n);

	if (r < 0 || n == 0)
		return r;
	return tb_fail(c->ctx, -EBUSY,
		       "Thin pool %s/%s holds %zu thin device%s of another program (device id %u%s). "
		       "Remove %s with that program (or dmsetup message ... delete ID) first.",
		       vg->md->name, pool->name, n, n == 1 ? "" : "s", ids[0], n > 1 ? ", ..." : "",
		       n == 1 ? "it" : "them");
}

static int remove_one(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct tb_ctx *ctx = c->ctx;
	_cleanup_free_ char *name = strdup(lv->name);
	bool active = false;
	int r;

	if (!name)
		return -ENOMEM;
	if (md_lv_is_thin_pool(lv)) {
		struct md_lv *data = md_pool_data(lv), *meta = md_pool_meta(lv), *one;
		if (md_pool_thins(vg->md, lv, &one, 1))
			return tb_fail(ctx, -EBUSY,
				       "Thin pool %s/%s still has thin volumes (%s); remove them first.",
				       vg->md->name, name, one->name);
		if ((r = lv_open_check(c, vg, lv, &active)) < 0 ||
		    (r = pool_foreign_check(c, vg, lv)) < 0 || (r = tb_lv_deactivate(c, vg, lv)) < 0)
			return r;
		if ((r = md_lv_remove(vg->md, lv)) < 0 || (r = md_lv_remove(vg->md, data)) < 0 ||
		    (r = md_lv_remove(vg->md, meta)) < 0)
			return r;
		/* no pool left: no spare needed */
		{
			bool any = false;
			for (size_t i = 0; i < vg->md->n_lvs; i++)
				any |= md_lv_is_thin_pool(vg->md->lvs[i]);
			if (!any && md_vg_pmspare(vg->md))
				md_lv_remove(vg->md, md_vg_pmspare(vg->md));
		}
		return tb_vg_commit(c, vg);
	}
	if ((r = lv_open_check(c, vg, lv, &active)) < 0)
		return r;
	if (md_lv_is_cow(lv))
		return tb_cow_remove(c, vg, lv);
	if (md_lv_is_thin(lv)) {
		struct md_lv *pool = lv->segs[0].thin_pool;
		struct tb_lv_state ps;
		if (pool->segs[0].n_msgs)
			return tb_fail(ctx, -EBUSY,
				       "Thin pool %s/%s has queued messages; activate it "
				       "first.",
				       vg->md->name, pool->name);
		if ((r = check_pool_kernel(c, vg, pool)) < 0 ||
		    (r = tb_lv_state_get(ctx, vg->md, pool, &ps)) < 0 ||
		    (r = tb_lv_deactivate(c, vg, lv)) < 0)
			return r;
		if ((r = md_thin_remove(vg->md, lv)) < 0)
			return tb_fail(ctx, r, "Cannot remove %s/%s: %s", vg->md->name, name,
				       strerror(-r));
		if ((r = tb_vg_commit(c, vg)) < 0 ||
		    (r = pool_apply_messages(c, vg, pool, 0, NULL)) < 0)
			return r;
		if (!ps.pool_active)
			tb_lv_deactivate(c, vg, pool);
		return 0;
	}
	if (md_lv_pool_of(vg->md, lv) || md_lv_is_pmspare(lv))
		return tb_fail(ctx, -EINVAL,
			       "Can't remove logical volume %s used as a thin pool "
			       "component.",
			       name);
	if ((r = tb_lv_deactivate(c, vg, lv)) < 0)
		return r;
	if (md_lv_is_raid(lv)) {
		if ((r = md_raid_remove(vg->md, lv)) < 0)
			return tb_fail(ctx, r, "Cannot remove %s/%s: %s", vg->md->name, name,
				       strerror(-r));
		return tb_vg_commit(c, vg);
	}
	if ((r = md_lv_remove(vg->md, lv)) < 0)
		return tb_fail(ctx, r, "Cannot remove %s/%s: it is in use by another LV.",
			       vg->md->name, name);
	return tb_vg_commit(c, vg);
}

/* A pool's thin LVs first, in VG order as lvm2 (its prompt "Removing pool VG/POOL will remove
 * N dependent volume(s). Proceed? [y/n]:" is answered by -f or -y; without them, no). */
static int remove_with_thins(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, bool force)
{
	struct tb_ctx *ctx = c->ctx;
	struct md_lv *victim;
	size_t n;
	int r;

	if (!md_lv_is_thin_pool(lv) || !(n = md_pool_thins(vg->md, lv, NULL, 0)))
		return 0;
	if (!force) {
		tb_notice(ctx,
			  "Removing pool %s/%s will remove %zu dependent volume(s). Proceed? "
			  "[y/n]: [n]",
			  vg->md->name, lv->name, n);
		return tb_fail(ctx, -EBUSY, "Logical volume %s/%s not removed.", vg->md->name,
			       lv->name);
	}
	while (md_pool_thins(vg->md, lv, &victim, 1)) {
		_cleanup_free_ char *vname = strdup(victim->name);
		if (!vname)
			return -ENOMEM;
		if ((r = remove_one(c, vg, victim)) < 0)
			return r;
		tb_notice(ctx, "Logical volume \"%s\" successfully removed.", vname);
	}
	return 0;
}

TB_EXPORT int tb_lvremove(struct tb_ctx *ctx, const char *vgname, const char *lvname, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, "lvremove", vgname, &vg)) < 0)
		return r;
	if (!(lv = need_lv(ctx, vg, lvname, &r)))
		goto out;
	if (md_lv_raid_of(vg->md, lv, NULL, NULL)) {
		r = tb_fail(ctx, -EINVAL, "Can't remove logical volume %s/%s used as RAID device.",
			    vgname, lvname);
		goto out;
	}
	if (!md_lv_is_visible(lv)) {
		r = tb_fail(ctx, -EINVAL, "Can't remove hidden logical volume %s/%s.", vgname,
			    lvname);
		goto out;
	}
	if ((r = remove_with_thins(&c, vg, lv, force)) < 0 ||
	    (r = tb_cow_remove_snapshots(&c, vg, lv, force)) < 0 || (r = remove_one(&c, vg, lv)) < 0)
		goto out;
	tb_notice(ctx, "Logical volume \"%s\" successfully removed.", lvname);
out:
	cmd_finish(&c, vg);
	return r;
}

TB_EXPORT int tb_lvremove_vg(struct tb_ctx *ctx, const char *vgname, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, "lvremove", vgname, &vg)) < 0)
		return r;
	/* thin LVs with their pools, then everything else visible, in VG order */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < vg->md->n_lvs;) {
			struct md_lv *lv = vg->md->lvs[i];
			_cleanup_free_ char *name = NULL;
			if (!md_lv_is_visible(lv) || md_lv_is_thin(lv) ||
			    (pass == 0) != md_lv_is_thin_pool(lv)) {
				i++;
				continue;
			}
			if (!(name = strdup(lv->name))) {
				r = -ENOMEM;
				goto out;
			}
			if ((r = remove_with_thins(&c, vg, lv, force)) < 0 ||
			    (r = tb_cow_remove_snapshots(&c, vg, lv, force)) < 0 ||
			    (r = remove_one(&c, vg, lv)) < 0)
				goto out;
			tb_notice(ctx, "Logical volume \"%s\" successfully removed.", name);
			i = 0; /* the list changed */
		}
out:
	cmd_finish(&c, vg);
	return r;
}

TB_EXPORT int tb_lvrename(struct tb_ctx *ctx, const char *vgname, const char *lvname,
			  const char *new_name)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv;
	const char *why;
	int r;

	tb_ctx_clear_error(ctx);
	if (md_lv_name_check_user(new_name, &why) < 0)
		return tb_fail(ctx, -EINVAL, "New logical volume name \"%s\" is invalid: %s.",
			       new_name, why);
	if ((r = cmd_start(ctx, &c, "lvrename", vgname, &vg)) < 0)
		return r;
	if (!(lv = need_lv(ctx, vg, lvname, &r)))
		goto out;
	if (md_vg_find_lv(vg->md, new_name)) {
		r = tb_fail(ctx, -EEXIST,
			    "Logical Volume \"%s\" already exists in volume group "
			    "\"%s\"",
			    new_name, vgname);
		goto out;
	}
	{
		bool rmeta = false;
		if (md_lv_raid_of(vg->md, lv, NULL, &rmeta)) {
			r = tb_fail(ctx, -EINVAL, "Cannot rename a RAID %s directly",
				    rmeta ? "metadata area" : "image");
			goto out;
		}
	}
	if (!md_lv_is_visible(lv)) {
		r = tb_fail(ctx, -EINVAL, "Cannot rename internal LV \"%s\".", lvname);
		goto out;
	}
	if (md_lv_is_raid(lv)) {
		if ((r = md_raid_rename(vg->md, lv, new_name)) < 0) {
			r = tb_fail(ctx, r, "Cannot rename %s/%s to %s: %s", vgname, lvname,
				    new_name,
				    r == -EEXIST ? "a sub-LV name is taken" : strerror(-r));
			goto out;
		}
		if ((r = tb_vg_commit(&c, vg)) < 0 ||
		    (r = tb_lv_rename_devices(&c, vg, lv, NULL, lvname)) < 0)
			goto out;
		tb_notice(ctx, "Renamed \"%s\" to \"%s\" in volume group \"%s\"", lvname, new_name,
			  vgname);
		goto out;
	}
	/* lvm2 renames a pool's _tdata and _tmeta with it (lv_rename_update) */
	if (md_lv_is_thin_pool(lv)) {
		struct md_lv *subs[2] = { md_pool_data(lv), md_pool_meta(lv) };
		for (size_t k = 0; k < 2; k++) {
			size_t ol = strlen(lvname);
			char nn[MD_NAME_MAX + 1];
			if (strncmp(subs[k]->name, lvname, ol) || subs[k]->name[ol] != '_')
				continue;
			if (snprintf(nn, sizeof(nn), "%s%s", new_name, subs[k]->name + ol) >=
			    (int)sizeof(nn)) {
				r = tb_fail(ctx, -EINVAL,
					    "New logical volume name \"%s\" is too long.", new_name);
				goto out;
			}
			if ((r = md_lv_rename(vg->md, subs[k], nn)) < 0) {
				r = tb_fail(ctx, r, "Cannot rename %s/%s to %s.", vgname,
					    subs[k]->name, nn);
				goto out;
			}
		}
	}
	if ((r = md_lv_rename(vg->md, lv, new_name)) < 0 || (r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	/* an active LV is renamed live, as lvm2 does (dm rename, /dev links) */
	if ((r = tb_lv_rename_devices(&c, vg, lv, NULL, lvname)) < 0)
		goto out;
	tb_notice(ctx, "Renamed \"%s\" to \"%s\" in volume group \"%s\"", lvname, new_name, vgname);
out:
	cmd_finish(&c, vg);
	return r;
}

/* Activation of one LV, finishing queued pool messages first. */
static int activate_lv(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct md_lv *pool = md_lv_is_thin_pool(lv) ? lv
			     : md_lv_is_thin(lv)    ? lv->segs[0].thin_pool
						    : NULL;
	int r;

	if (pool && pool->segs[0].n_msgs && (r = pool_apply_messages(c, vg, pool, 0, NULL)) < 0)
		return r;
	return tb_lv_activate(c, vg, lv);
}

/* --monitor y|n for one pool (a thin LV: its pool). y also wakes a running monitor. */
static void set_monitor(struct tb_ctx *ctx, const char *vgname, const struct md_lv *lv, int on)
{
	const struct md_lv *pool = md_lv_is_thin(lv) ? lv->segs[0].thin_pool : lv;
	pid_t pid;
	int r;

	if (on < 0 || !md_lv_is_thin_pool(pool))
		return;
	r = tb_monitor_set_disabled(ctx, vgname, pool->name, !on);
	if (r < 0)
		tb_warn(ctx, "WARNING: cannot record --monitor for %s/%s in %s: %s", vgname,
			pool->name, tb_run_dir(ctx), strerror(-r));
	if (on && (pid = tb_monitor_running(ctx, NULL)) > 0)
		kill(pid, SIGHUP);
}

/* After a command that may have activated a pool: start the monitor if none runs. */
static void autostart_if_pool(struct tb_ctx *ctx, const char *vgname, bool any_pool)
{
	(void)vgname;
	if (any_pool)
		tb_monitor_autostart(ctx);
}

/* lvchange's -p, -k, --setautoactivation and tags, with lvm2's checks and messages. */
static int lvchange_more(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv,
			 const struct tb_lvchange_opts *o, bool *changed)
{
	struct tb_ctx *ctx = c->ctx;
	int r;

	if (o->tags.n_add || o->tags.n_del) {
		if ((r = tb_tags_apply(ctx, &lv->tags, &o->tags)) < 0)
			return r;
		*changed = true;
	}
	if (o->permission) {
		bool want_rw = o->permission == 'w', is_rw = lv->status & MD_LV_WRITE;
		if (md_lv_is_thin_pool(lv))
			return tb_fail(ctx, -EINVAL, "Cannot change permissions of thin pool %s/%s.",
				       vg->md->name, lv->name);
		if (want_rw == is_rw)
			return tb_fail(ctx, -EINVAL, "Logical volume \"%s/%s\" is already %s.",
				       vg->md->name, lv->name, is_rw ? "writable" : "read only");
		if (want_rw)
			lv->status |= MD_LV_WRITE;
		else
			lv->status &= ~MD_LV_WRITE;
		*changed = true;
	}
	if (o->activation_skip) {
		if (o->activation_skip == 'y')
			lv->flags |= MD_LVF_ACTIVATION_SKIP;
		else
			lv->flags &= ~MD_LVF_ACTIVATION_SKIP;
		*changed = true;
	}
	if (o->autoactivation) {
		if (o->autoactivation == 'n')
			lv->flags |= MD_LVF_NOAUTOACTIVATE;
		else
			lv->flags &= ~MD_LVF_NOAUTOACTIVATE;
		*changed = true;
	}
	return 0;
}

TB_EXPORT int tb_lvchange(struct tb_ctx *ctx, const char *vgname, const char *lvname,
			  const struct tb_lvchange_opts *o)
{
	bool pool_involved = false;
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *lv;
	bool changed = false, reload = false;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, "lvchange", vgname, &vg)) < 0)
		return r;
	if (!(lv = need_lv(ctx, vg, lvname, &r)))
		goto out;
	if (o->metadataprofile || o->detachprofile) {
		if (o->metadataprofile) {
			const char *why;
			if (md_name_check(o->metadataprofile, &why) < 0) {
				r = tb_fail(ctx, -EINVAL,
					    "Profile name \"%s\" is invalid: %s. A profile is the name "
					    "of a file in %s/profile, without .profile.",
					    o->metadataprofile, why, tb_sysconf_dir(ctx));
				goto out;
			}
			char path[600];
			snprintf(path, sizeof(path), "%s/profile/%s.profile", tb_sysconf_dir(ctx),
				 o->metadataprofile);
			if (access(path, R_OK) < 0) {
				r = tb_fail(ctx, -ENOENT, "Failed to find profile %s (%s).",
					    o->metadataprofile, path);
				goto out;
			}
		}
		md_lv_set_str(&lv->profile, o->metadataprofile);
		changed = reload = true;
	}
	if (o->errorwhenfull >= 0) {
		if (!md_lv_is_thin_pool(lv)) {
			r = tb_fail(ctx, -EINVAL, "--errorwhenfull applies to thin pools only.");
			goto out;
		}
		if (o->errorwhenfull)
			lv->flags |= MD_LVF_ERROR_WHEN_FULL;
		else
			lv->flags &= ~MD_LVF_ERROR_WHEN_FULL;
		changed = reload = true;
	}
	if (o->discards >= 0) {
		if (!md_lv_is_thin_pool(lv)) {
			r = tb_fail(ctx, -EINVAL, "--discards applies to thin pools only.");
			goto out;
		}
		lv->segs[0].discards = (enum md_discards)o->discards;
		changed = reload = true;
	}
	if ((r = lvchange_more(&c, vg, lv, o, &changed)) < 0)
		goto out;
	if (changed) {
		if ((r = tb_vg_commit(&c, vg)) < 0)
			goto out;
		if (reload && md_lv_is_thin_pool(lv) && (r = tb_pool_reload(&c, vg, lv)) < 0)
			goto out;
		/* a new permission takes effect on an active LV at once (read-only table) */
		if (o->permission && !md_lv_is_thin_pool(lv) && (r = tb_lv_reload(&c, vg, lv)) < 0)
			goto out;
		tb_notice(ctx, "Logical volume %s/%s changed.", vgname, lvname);
	}
	if (o->refresh && (r = tb_lv_reload(&c, vg, lv)) < 0)
		goto out;
	/* lvm2 (lvchange_activate): -a of a snapshot changes its origin and the other snapshots */
	if (o->activate >= 0 && md_lv_is_cow(lv)) {
		struct md_lv *origin = md_cow_origin(lv);
		if (!o->yes) {
			tb_notice(ctx,
				  "Change of snapshot %s/%s will also change its origin %s/%s and "
				  "%zu other snapshot(s). Proceed? [y/n]: [n]",
				  vgname, lvname, vgname, origin->name,
				  md_origin_cows(vg->md, origin, NULL, 0) - 1);
			r = tb_fail(ctx, -EBUSY, "Logical volume %s/%s not changed.", vgname,
				    lvname);
			goto out;
		}
	}
	/* lvm2 (lv_activation_skip): -ay leaves an LV flagged activation-skip alone unless -K;
	 * -aay also an LV with autoactivation off (a snapshot: its own flags, then its origin) */
	if (o->activate == 1 &&
	    (((lv->flags & MD_LVF_ACTIVATION_SKIP) && !o->ignore_activation_skip) ||
	     (o->autoactivate_only && (lv->flags & MD_LVF_NOAUTOACTIVATE))))
		tb_info(ctx, "ACTIVATION_SKIP flag set for LV %s/%s, skipping activation.", vgname,
			lvname);
	else if (o->activate == 1)
		r = activate_lv(&c, vg, md_lv_is_cow(lv) ? md_cow_origin(lv) : lv);
	else if (o->activate == 0)
		r = tb_lv_deactivate(&c, vg, lv);
	if (r == 0) {
		pool_involved = md_lv_is_thin_pool(lv) || md_lv_is_thin(lv);
		set_monitor(ctx, vgname, lv, o->monitor);
	}
out:
	cmd_finish(&c, vg);
	if (r == 0 && pool_involved && (o->activate == 1 || o->monitor == 1))
		autostart_if_pool(ctx, vgname, true);
	return r;
}

TB_EXPORT int tb_vgchange(struct tb_ctx *ctx, const char *vgname, int activate, int monitor)
{
	struct tb_vgchange_opts o = { .activate = activate, .monitor = monitor };
	return tb_vgchange_ex(ctx, vgname, &o);
}

TB_EXPORT int tb_vgchange_ex(struct tb_ctx *ctx, const char *vgname,
			     const struct tb_vgchange_opts *o)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	size_t active = 0;
	bool any_pool = false;
	int activate = o->activate, monitor = o->monitor;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = cmd_start(ctx, &c, "vgchange", vgname, &vg)) < 0)
		return r;
	if (o->tags.n_add || o->tags.n_del || o->autoactivation) {
		if ((r = tb_tags_apply(ctx, &vg->md->tags, &o->tags)) < 0)
			goto out;
		if (o->autoactivation &&
		    (r = tb_vg_set_autoactivation(vg->md, o->autoactivation)) < 0)
			goto out;
		if ((r = tb_vg_commit(&c, vg)) < 0)
			goto out;
		tb_notice(ctx, "Volume group \"%s\" successfully changed", vgname);
	}
	/* -aay: a VG with autoactivation off is left alone */
	if (activate == 1 && o->autoactivate_only &&
	    md_strv_contains(vg->md->flags, "NOAUTOACTIVATE"))
		activate = -1;
	if (activate == 0) {
		if ((r = tb_vg_deactivate_all(&c, vg)) < 0)
			goto out;
	} else if (activate == 1) {
		for (size_t i = 0; i < vg->md->n_lvs; i++) {
			struct md_lv *lv = vg->md->lvs[i];
			if (!md_lv_is_visible(lv) ||
			    ((lv->flags & MD_LVF_ACTIVATION_SKIP) && !o->ignore_activation_skip) ||
			    (o->autoactivate_only && (lv->flags & MD_LVF_NOAUTOACTIVATE)))
				continue;
			if ((r = activate_lv(&c, vg, lv)) < 0)
				goto out;
		}
	}
	for (size_t i = 0; i < vg->md->n_lvs; i++)
		if (md_lv_is_thin_pool(vg->md->lvs[i])) {
			any_pool = true;
			set_monitor(ctx, vgname, vg->md->lvs[i], monitor);
		}
	if (activate >= 0) {
		for (size_t i = 0; i < vg->md->n_lvs; i++) {
			struct tb_lv_state st;
			if (md_lv_is_visible(vg->md->lvs[i]) &&
			    tb_lv_state_get(ctx, vg->md, vg->md->lvs[i], &st) == 0 && st.active)
				active++;
		}
		tb_notice(ctx, "%zu logical volume(s) in volume group \"%s\" now active", active,
			  vgname);
	}
out:
	cmd_finish(&c, vg);
	if (r == 0 && (activate == 1 || monitor == 1))
		autostart_if_pool(ctx, vgname, any_pool);
	return r;
}
