/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvcreate (linear, striped, raid1, thin, COW snapshot, thin pool, pool and thin in one) and
 * lvconvert --thinpool. Each: lock, read, change the model, commit, then touch the kernel; when a
 * step after the commit fails, the change is reverted and committed again so nothing is lost or
 * half-made.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/activate/pooltruth.h"
#include "core/activate/wipe.h"
#include "core/cmd/cmd.h"
#include "core/cmd/cow.h"
#include "core/cmd/raid.h"
#include "core/cmd/stripe.h"
#include "core/monitor/monitor.h"
#include "util/units.h"

/* A new LV's extents from -L/-l; N%VG beyond what is free is cut to the free space with
 * lvm2 2.03.16's note (lvcreate.c _update_extents_params). */
static int new_extents(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		       uint64_t *ext)
{
	int r = tb_size_to_extents(ctx, vg, &o->size, 0, ext);

	if (r < 0)
		return r;
	if (o->size.unit == TB_SIZE_PCT_VG && *ext > md_vg_free_count(vg->md)) {
		char fs[32];
		*ext = md_vg_free_count(vg->md);
		units_display_size(*ext * vg->md->extent_size, fs, sizeof(fs));
		tb_notice(ctx, "Reducing %" PRIu64 "%%VG to remaining free space %s in VG.",
			  o->size.value, fs);
	}
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
		origin = tb_lv_need(ctx, vg, o->origin, &r);
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
		pool = tb_lv_need(ctx, vg, o->pool, &r);
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
	if ((r = tb_pool_kernel_check(c, vg, pool)) < 0)
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
	tb_lv_stamp(lv);
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		return r; /* nothing committed: the VG on disk is unchanged */
	tb_thin_overprovision_warn(ctx, vg, lv);
	/* commit with the message queued and the tid bumped, then tell the kernel */
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	r = tb_pool_commit_messages(c, vg, pool, TB_APPLY_FRESH, &untouched);
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
		   (r = tb_size_to_extents(ctx, vg, &o->size, 0, &ext)) < 0) {
		return r;
	}
	if ((r = tb_cow_prepare(ctx, vg, o, ext, &origin, &chunk, &ext)) < 0)
		return r;
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &lv)) < 0)
		return r;
	tb_lv_stamp(lv);
	if ((r = tb_lv_new_attrs(ctx, vg, lv, o)) < 0)
		return r;
	r = md_lv_extend_linear(vg->md, lv, (uint32_t)ext,
				o->contiguous ? MD_ALLOC_CONTIGUOUS : MD_ALLOC_NORMAL, pvs, n_pvs);
	if (r == -ENOSPC)
		return tb_vg_no_space(ctx, vg, ext);
	if (r < 0)
		return r;
	tb_thin_overprovision_warn(ctx, vg, lv);
	if ((r = tb_cow_finish(c, vg, o, origin, lv, chunk)) < 0)
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
	if ((r = tb_lvcmd_start(ctx, &c, "lvcreate", o->vg, &vg)) < 0)
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
	if (o->stripes > 1 && o->origin) {
		r = tb_fail(ctx, -EOPNOTSUPP,
			    "Striped snapshots are not supported by thinbox; omit -i/--stripes.");
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
	if ((r = new_extents(ctx, vg, o, &ext)) < 0)
		goto out;
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
	tb_lv_stamp(lv);
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
	tb_thin_overprovision_warn(ctx, vg, lv);
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
	tb_lvcmd_finish(&c, vg);
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

/* A new pool's parameters (lvcreate and lvconvert alike): chunk, --zero, --discards (unset:
 * passdown), a spare metadata LV; fresh ids for the pool and the spare. */
static void pool_params_set(struct md_pool_params *pp, uint32_t chunk, int zero, int discards,
			    char *pid, char *sid)
{
	pp->chunk_size = chunk;
	pp->zero = zero != 0;
	pp->discards = discards < 0 ? MD_DISCARDS_PASSDOWN : (enum md_discards)discards;
	pp->make_spare = true;
	tb_new_id(pid);
	tb_new_id(sid);
}

static void pool_info_msg(struct tb_ctx *ctx, uint32_t chunk)
{
	char cs[32], max[32];
	/* lvm2 2.03.16 (_estimate_max_data_size): 2^28 - 2^21 blocks; "127.00 TiB" for 512 KiB
	 * chunks, "<15.88 TiB" for 64 KiB (measured), display_size's "<" kept */
	units_display_size(chunk, cs, sizeof(cs));
	units_display_size((uint64_t)chunk * ((1ull << 28) - (1ull << 21)), max, sizeof(max));
	tb_notice(ctx, "Thin pool volume with chunk size %s can address at most %s of data.", cs,
		  max);
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

	if ((r = new_extents(ctx, vg, o, &ext)) < 0)
		return r;
	ext = tb_pool_stripe_round_down(ctx, vg, o, ext); /* -i N: core/cmd/stripe.c */
	if (!ext)
		return tb_fail(ctx, -EINVAL, "Unable to create new logical volume with no extents.");
	if ((r = pool_params(ctx, ext * vg->md->extent_size, &a, &chunk, &md_sectors)) < 0)
		return r;
	if (o->stripes > 1) /* lvm2 says it before the striped allocation's notes */
		pool_info_msg(ctx, chunk);
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
	if (o->stripes <= 1 && md_alloc_available(vg->md, pvs, n_pvs) < ext + meta_ext)
		return tb_vg_no_space(ctx, vg, ext + meta_ext);
	/* data and metadata as plain LVs, then the conversion lvconvert does */
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE | MD_LV_VISIBLE, &data)) < 0)
		return r;
	tb_lv_stamp(data);
	snprintf(mname, sizeof(mname), "%s_tmetanew", name);
	tb_new_id(id);
	if ((r = md_lv_new(vg->md, mname, id, MD_LV_READ | MD_LV_WRITE, &meta)) < 0)
		return r;
	tb_lv_stamp(meta);
	if (o->stripes > 1) {
		/* striped _tdata, linear _tmeta (core/cmd/stripe.c) */
		if ((r = tb_pool_alloc_striped(ctx, vg, data, meta, ext, (uint32_t)meta_ext, o, pvs,
					       n_pvs)) < 0)
			return r;
	} else if ((r = md_lv_extend_linear(vg->md, data, (uint32_t)ext, MD_ALLOC_NORMAL, pvs,
					    n_pvs)) < 0) {
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, ext) : r;
	} else if ((r = md_lv_extend_linear(vg->md, meta, (uint32_t)meta_ext, MD_ALLOC_NORMAL, pvs,
					    n_pvs)) < 0) {
		return r == -ENOSPC ? tb_vg_no_space(ctx, vg, ext + meta_ext) : r;
	}
	pool_params_set(&pp, chunk, o->zero, o->discards, pid, sid);
	if ((r = md_pool_convert(vg->md, data, meta, pid, sid, &pp, &pool)) < 0)
		return tb_fail(ctx, r, "Cannot make thin pool %s: %s", name, strerror(-r));
	tb_lv_stamp(pool);
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
	if (o->stripes <= 1)
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
	if ((r = tb_lvcmd_start(ctx, &c, "lvconvert", o->vg, &vg)) < 0)
		return r;
	if (!(data = tb_lv_need(ctx, vg, o->thinpool, &r)))
		goto out;
	if (!o->poolmetadata) {
		r = tb_fail(ctx, -EINVAL, "Please give the metadata LV with --poolmetadata.");
		goto out;
	}
	if (!(meta = tb_lv_need(ctx, vg, o->poolmetadata, &r)))
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
		if ((r = tb_lv_open_check(&c, vg, lv, i ? &meta_active : &data_active)) < 0)
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
	pool_params_set(&pp, chunk, o->zero, o->discards, pid, sid);
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
	tb_lvcmd_finish(&c, vg);
	if (r == 0 && data_active)
		tb_monitor_autostart(ctx);
	return r;
}
