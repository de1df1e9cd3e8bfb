/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin pool's own metadata, read by us (thinfmt/), for device ids, reconciliation and the
 * check before activation. See pooltruth.h and docs/activation.md. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/activate/lvstate.h"
#include "core/activate/pooltruth.h"
#include "lvmfmt/config.h"

/* Blocks of an LV: through its active dm device when there is one, else from its PV extents
 * (linear segments only, as _tmeta always is). */
struct lv_reader {
	struct tb_vg *vg;
	const struct md_lv *lv;
	struct lvf_bdev *dev;
};

static int pv_read(const struct lv_reader *lr, uint64_t sector, uint8_t *buf, size_t sectors)
{
	uint32_t es = lr->vg->md->extent_size;

	while (sectors) {
		uint64_t le = sector / es, within = sector % es, run;
		const struct md_seg *seg = NULL;
		struct tb_pvdev *d;
		int r;

		for (size_t s = 0; s < lr->lv->n_segs; s++) {
			const struct md_seg *g = &lr->lv->segs[s];
			if (le >= g->start_extent &&
			    le < (uint64_t)g->start_extent + g->extent_count) {
				seg = g;
				break;
			}
		}
		if (!seg)
			return -ERANGE;
		if (seg->kind != MD_SEG_STRIPED || seg->stripe_count != 1 || !seg->areas[0].pv)
			return -EOPNOTSUPP;
		d = tb_vg_pvdev_for(lr->vg, seg->areas[0].pv);
		if (!d || !d->bdev)
			return -ENODEV;
		run = ((uint64_t)seg->start_extent + seg->extent_count - le) * es - within;
		if (run > sectors)
			run = sectors;
		r = lvf_bdev_read(d->bdev,
				  (seg->areas[0].pv->pe_start +
				   ((uint64_t)seg->areas[0].start + (le - seg->start_extent)) * es +
				   within) *
					  512,
				  buf, (size_t)run * 512);
		if (r < 0)
			return r;
		buf += run * 512;
		sector += run;
		sectors -= (size_t)run;
	}
	return 0;
}

static int lv_read_block(void *userdata, uint64_t blocknr, uint8_t *buf)
{
	const struct lv_reader *lr = userdata;

	if (lr->dev)
		return lvf_bdev_read(lr->dev, blocknr * TF_BLOCK_SIZE, buf, TF_BLOCK_SIZE);
	return pv_read(lr, blocknr * (TF_BLOCK_SIZE / 512), buf, TF_BLOCK_SIZE / 512);
}

static int damaged(struct tb_cmd *c, const struct tb_vg *vg, const struct md_lv *pool, int r,
		   const char *why)
{
	if (r == -EBADMSG)
		return tb_fail(c->ctx, r,
			       "Thin pool %s/%s metadata is damaged (%s). Check it with thin_check "
			       "on its _tmeta, then repair it (lvconvert --repair %s/%s).",
			       vg->md->name, pool->name, why ? why : "corrupt", vg->md->name,
			       pool->name);
	return tb_fail(c->ctx, r, "Cannot read the metadata of thin pool %s/%s: %s", vg->md->name,
		       pool->name, strerror(-r));
}

/* The _tmeta dm device of @pool if active: *ret_name malloc'd. 1 found, 0 not, -errno. */
static int meta_dev(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, char **ret_name)
{
	struct tb_lv_state st;
	int r = tb_lv_state_get(c->ctx, vg->md, md_pool_meta(pool), &st);

	if (r < 0)
		return r;
	if (!st.active)
		return 0;
	if (!(*ret_name = strdup(st.info.name)))
		return -ENOMEM;
	return 1;
}

int tb_pool_metadata_read(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			  struct tf_pool *ret)
{
	struct lv_reader lr = { .vg = vg, .lv = md_pool_meta(pool) };
	struct tf_reader rd = { lv_read_block, &lr, 0 };
	_cleanup_free_ char *mname = NULL, *path = NULL;
	struct tb_lv_state ps;
	struct dmk_ctx *dmk = NULL;
	const char *why = NULL;
	bool held = false;
	int r;

	if (!lr.lv)
		return -EINVAL;
	rd.nr_blocks = (uint64_t)md_lv_extents(lr.lv) * vg->md->extent_size / (TF_BLOCK_SIZE / 512);
	if ((r = tb_lv_state_get(c->ctx, vg->md, pool, &ps)) < 0)
		return r;
	if ((r = meta_dev(c, vg, pool, &mname)) < 0)
		return r;
	if (r > 0) {
		if (asprintf(&path, "/dev/mapper/%s", mname) < 0)
			return -ENOMEM;
		r = tb_bdev_open(c->ctx, path, O_RDONLY, &lr.dev);
		if (r < 0)
			return tb_fail(c->ctx, r, "Cannot open %s to read the pool's metadata: %s",
				       path, strerror(-r));
		if (lr.dev->size_bytes / TF_BLOCK_SIZE < rd.nr_blocks)
			rd.nr_blocks = lr.dev->size_bytes / TF_BLOCK_SIZE;
	}
	if (ps.pool_active && !c->ctx->no_dm && tb_ctx_dmk(c->ctx, &dmk) == 0) {
		/* a consistent view of a live pool: the kernel holds a copy of its roots for us
		 * (thin_dump -m); when another program holds one already, read the live roots,
		 * once more if a commit raced us */
		held = dmk_thin_msg_reserve_metadata_snap(dmk, ps.pool_info.name) == 0;
		r = tf_pool_read(&rd, held, ret, &why);
		if (held && dmk_thin_msg_release_metadata_snap(dmk, ps.pool_info.name) < 0)
			tb_warn(c->ctx, "WARNING: thin pool %s/%s: release_metadata_snap failed: %s",
				vg->md->name, pool->name, dmk_errmsg(dmk));
		if (!held && r == -EBADMSG)
			r = tf_pool_read(&rd, false, ret, &why);
	} else {
		r = tf_pool_read(&rd, false, ret, &why);
	}
	lvf_bdev_free(lr.dev);
	if (r == -ENODATA) {
		memset(ret, 0, sizeof(*ret));
		return r;
	}
	if (r < 0)
		return damaged(c, vg, pool, r, why);
	tb_dbg(c->ctx, "pool %s/%s metadata: transaction %" PRIu64 ", %zu devices%s", vg->md->name,
	       pool->name, ret->sb.transaction_id, ret->n_devs,
	       ret->from_snapshot ? " (metadata snapshot)" : "");
	return 0;
}

int tb_pool_foreign_ids(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, uint32_t **ret,
			size_t *ret_n)
{
	struct tf_pool p;
	uint32_t *ids = NULL;
	size_t n = 0;
	int r = tb_pool_metadata_read(c, vg, pool, &p);

	if (r == -ENODATA) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (r < 0)
		return r;
	if (p.n_devs && !(ids = malloc(p.n_devs * sizeof(*ids)))) {
		tf_pool_release(&p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p.n_devs; i++)
		if (!md_thin_by_device_id(vg->md, pool, p.devs[i].dev_id))
			ids[n++] = p.devs[i].dev_id;
	tf_pool_release(&p);
	*ret = ids;
	*ret_n = n;
	return 0;
}

/* ---------------------------------------------------------------- before activation */

/* lvm2's _thin_pool_callback: global/thin_check_executable with global/thin_check_options
 * (default "-q", as `lvmconfig --type default` says on Debian) on the _tmeta device, before
 * the pool is loaded; lvm2's failure message. */
static int run_thin_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			  const char *meta_path)
{
	const struct lvf_cft_node *layer = NULL, *opts;
	const char *exe = NULL;
	const char *argv[34];
	size_t argc = 0;
	int r, status;
	pid_t pid;

	/* its message names the file, the line and the reason */
	r = tb_lvm_conf_read(c->ctx, &layer);
	if (r < 0)
		return r;
	if (!layer)
		return 0;
	if (lvf_config_get_str(&layer, 1, "global/thin_check_executable", "", &exe) < 0 || !exe[0])
		return 0; /* not asked for: our own superblock check only */
	argv[argc++] = exe;
	opts = lvf_config_find(&layer, 1, "global/thin_check_options");
	if (opts && opts->type == LVF_CFT_ARRAY) {
		for (const struct lvf_cft_node *o = opts->child; o && argc < 32; o = o->next)
			if (o->type == LVF_CFT_STR)
				argv[argc++] = o->s;
	} else if (opts && opts->type == LVF_CFT_STR) {
		argv[argc++] = opts->s;
	} else {
		argv[argc++] = "-q"; /* Debian's lvm2 2.03.16 default (built without
				      * THIN_CHECK_NEEDS_CHECK: no --clear-needs-check-flag) */
	}
	argv[argc++] = meta_path;
	argv[argc] = NULL;
	tb_info(c->ctx, "Running %s on %s.", exe, meta_path);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		return tb_fail(c->ctx, r, "Cannot run %s: %m", exe);
	}
	if (pid == 0) {
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	r = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = tb_fail(c->ctx, -EIO,
			    "Check of pool %s/%s failed (status:%d). Manual repair required!",
			    vg->md->name, pool->name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return r;
}

int tb_pool_precheck(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, const char *meta_path)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct lvf_bdev *dev = NULL;
	struct tf_superblock sb;
	const struct md_seg *seg = &pool->segs[0];
	const char *why = NULL;
	struct md_lv *one;
	bool in_use = seg->transaction_id != 0 || md_pool_thins(vg->md, pool, &one, 1) > 0;
	int r;

	if ((r = run_thin_check(c, vg, pool, meta_path)) < 0)
		return r;
	if (!(buf = malloc(TF_BLOCK_SIZE)))
		return -ENOMEM;
	r = tb_bdev_open(c->ctx, meta_path, O_RDONLY, &dev);
	if (r == 0)
		r = lvf_bdev_read(dev, 0, buf, TF_BLOCK_SIZE);
	lvf_bdev_free(dev);
	if (r < 0)
		return tb_fail(c->ctx, r,
			       "Cannot read the superblock of thin pool %s/%s from %s: %s",
			       vg->md->name, pool->name, meta_path, strerror(-r));
	r = tf_superblock_decode(buf, TF_BLOCK_SIZE, 0, &sb, &why);
	if (r == -ENODATA) {
		if (!in_use)
			return 0; /* a new pool: the kernel formats its zeroed metadata */
		return tb_fail(c->ctx, -EBADMSG,
			       "Thin pool %s/%s metadata is blank, but the VG says the pool is in use "
			       "(transaction_id %" PRIu64 "). Activating it would lose every thin "
			       "volume: restore the metadata (lvconvert --repair %s/%s, or "
			       "thin_restore from a thin_dump).",
			       vg->md->name, pool->name, seg->transaction_id, vg->md->name,
			       pool->name);
	}
	if (r < 0)
		return damaged(c, vg, pool, r, why);
	if (sb.flags & TF_SB_NEEDS_CHECK)
		return tb_fail(c->ctx, -EIO,
			       "Thin pool %s/%s metadata is flagged needs_check. Check it and clear "
			       "the flag with thin_check: set global/thin_check_executable = "
			       "\"/usr/sbin/thin_check\" and thin_check_options = [ \"-q\", "
			       "\"--clear-needs-check-flag\" ] in lvm.conf and activate again "
			       "(thinbox then runs it on %s first, as lvm2); if thin_check finds "
			       "damage, repair it (lvconvert --repair %s/%s).",
			       vg->md->name, pool->name, meta_path, vg->md->name, pool->name);
	if (sb.data_block_size != seg->chunk_size)
		return tb_fail(c->ctx, -EBADMSG,
			       "Thin pool %s/%s metadata has data block size %u sectors, but the VG's "
			       "chunk size is %u sectors: this metadata belongs to another pool. "
			       "Restore the right metadata (vgcfgrestore, or lvconvert --repair %s/%s).",
			       vg->md->name, pool->name, sb.data_block_size, seg->chunk_size,
			       vg->md->name, pool->name);
	return 0;
}
