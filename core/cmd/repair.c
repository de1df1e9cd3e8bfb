/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvconvert --repair VG/POOL, as lvm2's _lvconvert_thin_pool_repair (tools/lvconvert.c): the
 * pool's metadata is repaired by thin_repair from _tmeta into the pool metadata spare, the
 * spare becomes the new _tmeta (the two swap names and ids), the damaged metadata stays as a
 * visible LV <pool>_meta<N>, and a new spare is allocated when the VG has room.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/activate/pooltruth.h"
#include "core/thinbox.h"
#include "lvmfmt/config.h"

/* global/thin_repair_executable (default /usr/sbin/thin_repair) and its options; the strings
 * are borrowed from @ctx's lvm.conf (tb_lvm_conf). */
static int repair_tool(struct tb_ctx *ctx, const char **ret_exe,
		       const struct lvf_cft_node **ret_opts)
{
	const struct lvf_cft_node *layer = NULL;
	int r;

	/* its message names the file, the line and the reason */
	r = tb_lvm_conf_read(ctx, &layer);
	if (r < 0)
		return r;
	if (lvf_config_get_str(&layer, 1, "global/thin_repair_executable", "/usr/sbin/thin_repair",
			       ret_exe) < 0)
		*ret_exe = "/usr/sbin/thin_repair";
	*ret_opts = lvf_config_find(&layer, 1, "global/thin_repair_options");
	if (!(*ret_exe)[0] || access(*ret_exe, X_OK) < 0)
		return tb_fail(ctx, -ENOENT,
			       "thin_repair is not available (%s): install thin-provisioning-tools, "
			       "or set global/thin_repair_executable in lvm.conf.",
			       (*ret_exe)[0] ? *ret_exe : "thin_repair_executable is empty");
	return 0;
}

static int run_repair(struct tb_cmd *c, const char *exe, const struct lvf_cft_node *opts,
		      const char *in, const char *out)
{
	const char *argv[40];
	size_t argc = 0;
	int status;
	pid_t pid;

	argv[argc++] = exe;
	if (opts && opts->type == LVF_CFT_ARRAY) {
		for (const struct lvf_cft_node *o = opts->child; o && argc < 32; o = o->next)
			if (o->type == LVF_CFT_STR && o->s[0])
				argv[argc++] = o->s;
	} else if (opts && opts->type == LVF_CFT_STR && opts->s[0]) {
		argv[argc++] = opts->s;
	}
	argv[argc++] = "-i";
	argv[argc++] = in;
	argv[argc++] = "-o";
	argv[argc++] = out;
	argv[argc] = NULL;
	tb_info(c->ctx, "Executing: %s -i %s -o %s", exe, in, out);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A spare at least as large as @pool's _tmeta: the existing one, grown, or a new one. */
static int spare_ready(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, struct md_lv **ret)
{
	struct md_lv *spare = md_vg_pmspare(vg->md);
	uint32_t need = md_lv_extents(md_pool_meta(pool));
	char name[64], id[MD_ID_LEN + 1];
	int r;

	if (spare && md_lv_extents(spare) >= need) {
		*ret = spare;
		return 0;
	}
	if (spare) {
		r = md_lv_extend_linear(vg->md, spare, need - md_lv_extents(spare), MD_ALLOC_NORMAL,
					NULL, 0);
	} else {
		unsigned n = 0;
		do
			snprintf(name, sizeof(name), "lvol%u_pmspare", n++);
		while (md_vg_find_lv(vg->md, name));
		tb_new_id(id);
		r = md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE, &spare);
		if (r == 0 &&
		    (r = md_lv_extend_linear(vg->md, spare, need, MD_ALLOC_NORMAL, NULL, 0)) < 0)
			md_lv_remove(vg->md, spare);
	}
	if (r == -ENOSPC)
		return tb_fail(c->ctx, r,
			       "Cannot repair thin pool %s/%s: no pool metadata spare and no %u free "
			       "extents for one. Free some space (vgextend).",
			       vg->md->name, pool->name, need);
	if (r < 0)
		return r;
	/* committed before anything is written to it, as lvm2 does */
	if ((r = tb_vg_commit(c, vg)) < 0)
		return r;
	*ret = spare;
	return 0;
}

/* Swap names and ids of @a and @b (lvm2's swap_lv_identifiers). */
static void swap_identity(struct md_lv *a, struct md_lv *b)
{
	char *n = a->name;
	char id[sizeof(a->id)];

	a->name = b->name;
	b->name = n;
	memcpy(id, a->id, sizeof(id));
	memcpy(a->id, b->id, sizeof(id));
	memcpy(b->id, id, sizeof(id));
}

/* Do @a and @b lie on the same PVs? */
static bool lv_on_pv(const struct md_lv *lv, const struct md_pv *pv)
{
	for (size_t s = 0; s < lv->n_segs; s++)
		for (uint32_t i = 0; i < lv->segs[s].stripe_count; i++)
			if (lv->segs[s].areas[i].pv == pv)
				return true;
	return false;
}

static bool covered(const struct md_lv *a, const struct md_lv *b)
{
	for (size_t s = 0; s < a->n_segs; s++)
		for (uint32_t i = 0; i < a->segs[s].stripe_count; i++)
			if (a->segs[s].areas[i].pv && !lv_on_pv(b, a->segs[s].areas[i].pv))
				return false;
	return true;
}

static bool same_pvs(const struct md_lv *a, const struct md_lv *b)
{
	return covered(a, b) && covered(b, a);
}

static int dev_path(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *lv, char **ret)
{
	struct tb_lv_state st;
	int r = tb_lv_state_get(ctx, vg, lv, &st);

	if (r < 0)
		return r;
	if (!st.active)
		return -ENXIO;
	return asprintf(ret, "/dev/mapper/%s", st.info.name) < 0 ? -ENOMEM : 0;
}

/* What thin_repair wrote: a sound superblock; say when its transaction id is not the VG's
 * (lvm2 logs the same, after reading the first line of thin_dump). */
static int check_output(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, const char *path)
{
	_cleanup_free_ uint8_t *buf = malloc(TF_BLOCK_SIZE);
	struct lvf_bdev *dev = NULL;
	struct tf_superblock sb;
	const char *why = NULL;
	uint64_t tid = pool->segs[0].transaction_id;
	int r;

	if (!buf)
		return -ENOMEM;
	r = lvf_bdev_open(path, O_RDONLY, &dev);
	if (r == 0)
		r = lvf_bdev_read(dev, 0, buf, TF_BLOCK_SIZE);
	lvf_bdev_free(dev);
	if (r == 0)
		r = tf_superblock_decode(buf, TF_BLOCK_SIZE, 0, &sb, &why);
	if (r < 0)
		return tb_fail(c->ctx, r == -ENODATA ? -EBADMSG : r,
			       "Repair of thin metadata volume of thin pool %s/%s wrote no usable "
			       "metadata (%s). Manual repair required!",
			       vg->md->name, pool->name, why ? why : strerror(-r));
	if (sb.transaction_id != tid && sb.transaction_id - 1 != tid)
		tb_warn(c->ctx,
			"Transaction id %" PRIu64 " from pool \"%s/%s\" does not match "
			"repaired transaction id %" PRIu64 " from %s.",
			tid, vg->md->name, pool->name, sb.transaction_id, path);
	return 0;
}

TB_EXPORT int tb_lvconvert_repair(struct tb_ctx *ctx, const char *vgname, const char *lvname)
{
	_cleanup_free_ char *in = NULL, *out = NULL, *backup = NULL;
	const struct lvf_cft_node *opts = NULL;
	struct md_lv *pool, *meta, *spare = NULL;
	struct tb_lv_state st;
	const char *exe = NULL;
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r, status;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "lvconvert")) < 0)
		return r;
	if ((r = tb_vg_read(&c, vgname, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	pool = md_vg_find_lv(vg->md, lvname);
	if (!pool) {
		r = tb_fail(ctx, -ENOENT, "Failed to find logical volume \"%s/%s\"", vgname, lvname);
		goto out;
	}
	if (!md_lv_is_thin_pool(pool)) {
		r = tb_fail(ctx, -EINVAL, "thinbox repairs thin pools only: %s/%s is not one.",
			    vgname, lvname);
		goto out;
	}
	if ((r = tb_lv_state_get(ctx, vg->md, pool, &st)) < 0)
		goto out;
	if (st.pool_active || st.active) {
		r = tb_fail(ctx, -EBUSY,
			    "Active pools cannot be repaired.  Use lvchange -an first.");
		goto out;
	}
	if ((r = repair_tool(ctx, &exe, &opts)) < 0)
		goto out;
	meta = md_pool_meta(pool);
	if ((r = spare_ready(&c, vg, pool, &spare)) < 0)
		goto out;
	if ((r = tb_lv_activate(&c, vg, meta)) < 0 || (r = tb_lv_activate(&c, vg, spare)) < 0 ||
	    (r = dev_path(ctx, vg->md, meta, &in)) < 0 ||
	    (r = dev_path(ctx, vg->md, spare, &out)) < 0)
		goto deactivate;
	status = run_repair(&c, exe, opts, in, out);
	if (status != 0) {
		r = tb_fail(ctx, status < 0 ? status : -EIO,
			    "Repair of thin metadata volume of thin pool %s/%s failed (status:%d). "
			    "Manual repair required!",
			    vgname, lvname, status);
		goto deactivate;
	}
	r = check_output(&c, vg, pool, out);
deactivate:
	if (spare)
		tb_lv_deactivate(&c, vg, spare);
	tb_lv_deactivate(&c, vg, meta);
	if (r < 0)
		goto out;

	/* the spare (repaired) becomes _tmeta, the old _tmeta the visible <pool>_meta<N> */
	for (unsigned n = 0;; n++) {
		free(backup);
		if (asprintf(&backup, "%s_meta%u", pool->name, n) < 0) {
			backup = NULL;
			r = -ENOMEM;
			goto out;
		}
		if (!md_vg_find_lv(vg->md, backup))
			break;
	}
	swap_identity(meta, spare);
	pool->segs[0].pool_meta = spare;
	md_vg_index_drop(vg->md); /* names and pool links changed behind the look-up indexes */
	/* a new spare when there is room (lvm2's handle_pool_metadata_spare), named while the old
	 * _tmeta still holds the spare's name, as lvm2 does (lvol1_pmspare) */
	{
		struct md_lv *ns;
		char id[MD_ID_LEN + 1], name[64];
		unsigned n = 0;
		do
			snprintf(name, sizeof(name), "lvol%u_pmspare", n++);
		while (md_vg_find_lv(vg->md, name));
		tb_new_id(id);
		if (md_lv_new(vg->md, name, id, MD_LV_READ | MD_LV_WRITE, &ns) == 0 &&
		    md_lv_extend_linear(vg->md, ns, md_lv_extents(spare), MD_ALLOC_NORMAL, NULL,
					0) < 0) {
			md_lv_remove(vg->md, ns);
			tb_warn(ctx,
				"WARNING: No free extents for a new pool metadata spare in volume "
				"group %s.",
				vgname);
		}
	}
	if ((r = md_lv_set_str(&meta->name, backup)) < 0)
		goto out;
	md_vg_index_drop(vg->md);
	meta->status |= MD_LV_VISIBLE;
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	/* lvm2 2.03.16's words (VM-compared: tests/integration/pooltruth-repair.sh) */
	tb_warn(ctx,
		"WARNING: LV %s/%s holds a backup of the unrepaired metadata. Use lvremove "
		"when no longer required.",
		vgname, backup);
	if (!same_pvs(meta, spare))
		tb_warn(ctx,
			"WARNING: New metadata LV %s/%s might use different PVs.  Move it with "
			"pvmove if required.",
			vgname, spare->name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
