/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The steps the LV commands (lvcreate.c, lvresize.c, lvremove.c, lvrename.c, lvchange.c)
 * share: lock and read the VG, find an LV, turn a size argument into extents, stamp a new LV,
 * undo a creation, check a pool's kernel state, send and commit a pool's queued messages.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "core/activate/activate.h"
#include "core/cmd/cmd.h"
#include "util/units.h"

int tb_lvcmd_start(struct tb_ctx *ctx, struct tb_cmd *c, const char *name, const char *vgname,
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

void tb_lvcmd_finish(struct tb_cmd *c, struct tb_vg *vg)
{
	tb_vg_free(vg);
	tb_cmd_end(c);
}

struct md_lv *tb_lv_need(struct tb_ctx *ctx, struct tb_vg *vg, const char *name, int *r)
{
	struct md_lv *lv = md_vg_find_lv(vg->md, name);
	if (!lv)
		*r = tb_fail(ctx, -ENOENT, "Failed to find logical volume \"%s/%s\"", vg->md->name,
			     name);
	return lv;
}

/* Extents for a size argument. @base_extents: current size (for relative sizes). */
int tb_size_to_extents(struct tb_ctx *ctx, const struct tb_vg *vg, const struct tb_size *s,
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

/* A new LV's creation time and host, as lvm2 records them. */
void tb_lv_stamp(struct md_lv *lv)
{
	struct utsname u;

	lv->has_creation = true;
	lv->creation_time = (int64_t)time(NULL);
	md_lv_set_str(&lv->creation_host, uname(&u) == 0 ? u.nodename : "unknown");
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

int tb_pool_kernel_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool)
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

/* Send the pool's queued messages (activate/) and commit the VG that no longer queues them. */
int tb_pool_commit_messages(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, unsigned flags,
			    bool *ret_untouched)
{
	bool queued = pool->segs[0].n_msgs > 0;
	int r = tb_pool_send_messages(c, vg, pool, flags, ret_untouched);

	if (r == 0 && queued)
		r = tb_vg_commit(c, vg);
	return r;
}

int tb_lv_open_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, bool *ret_active)
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

/* The virtual sizes of the thin LVs of @pool (NULL: of every pool), in sectors. */
static uint64_t thin_sum(const struct md_vg *vg, const struct md_lv *pool)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *t = vg->lvs[i];
		if (md_lv_is_thin(t) && (!pool || t->segs[0].thin_pool == pool))
			sum += (uint64_t)t->segs[0].extent_count * vg->extent_size;
	}
	return sum;
}

void tb_thin_overprovision_warn(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv)
{
	const struct md_vg *md = vg->md;
	const struct md_lv *pool = md_lv_is_thin(lv)        ? lv->segs[0].thin_pool
				   : md_lv_is_thin_pool(lv) ? lv
							    : NULL;
	uint64_t thins = 0, pools = 0, sz, none = UINT64_MAX;
	int64_t max_threshold = 0, min_percent = 100;
	unsigned more_pools = 0;
	const char *txt = "";
	char a[32], b[32];

	/* lvm2 thin_pool_check_overprovisioning (lib/metadata/thin_manip.c): @lv's pool first */
	if (pool) {
		pools = (uint64_t)md_lv_extents(pool) * md->extent_size;
		thins = thin_sum(md, pool);
		if (thins <= pools)
			return;
	}
	for (size_t i = 0; i < md->n_lvs; i++) {
		const struct md_lv *p = md->lvs[i];
		int64_t t = 100, pc = 20;
		if (!md_lv_is_thin_pool(p))
			continue;
		/* a profile or lvm.conf that cannot be read: lvm2's defaults; the command's
		 * own steps report the file */
		if (tb_autoextend_policy(ctx, md, p, &t, &pc) < 0) {
			tb_ctx_clear_error(ctx);
			t = 100;
			pc = 20;
		}
		max_threshold = MAX(max_threshold, t);
		min_percent = MIN(min_percent, pc);
		if (p == pool)
			continue;
		more_pools++;
		pools += (uint64_t)md_lv_extents(p) * md->extent_size;
	}
	/* every thin LV is in one of the VG's pools: the sum over all pools in one pass */
	thins = thin_sum(md, NULL);
	if (thins <= pools)
		return;
	if ((sz = md_vg_extent_count(md) * md->extent_size) < thins)
		txt = " and the size of whole volume group";
	else if ((sz = md_vg_free_count(md) * md->extent_size) < thins)
		txt = sz ? " and the amount of free space in volume group" : "";
	else if (max_threshold > 99 || !min_percent)
		sz = pools;
	else
		sz = none;
	if (sz == none)
		return;
	units_display_size(thins, a, sizeof(a));
	if (sz)
		units_display_size(sz, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "no free space in volume group");
	tb_warn(ctx,
		"WARNING: Sum of all thin volume sizes (%s) exceeds the size of thin pool%s%s%s%s%s (%s).",
		a, more_pools ? "s" : " ", more_pools ? "" : md->name, more_pools ? "" : "/",
		more_pools ? "" : pool->name, txt, b);
	/* the rest on stdout, as lvm2's log_print_unless_silent */
	if (max_threshold > 99 || !min_percent)
		tb_notice(ctx, "WARNING: You have not turned on protection against thin pools "
			       "running out of space.");
	if (max_threshold > 99)
		tb_notice(ctx, "WARNING: Set activation/thin_pool_autoextend_threshold below 100 to "
			       "trigger automatic extension of thin pools before they get full.");
	if (!min_percent)
		tb_notice(ctx, "WARNING: Set activation/thin_pool_autoextend_percent above 0 to "
			       "specify by how much to extend thin pools reaching the threshold.");
}
