/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvchange and vgchange: activation, monitoring, permission, activation skip, autoactivation,
 * tags.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "core/activate/activate.h"
#include "core/cmd/cmd.h"
#include "core/monitor/monitor-state.h"
#include "core/monitor/monitor.h"

/* Activation of one LV, finishing queued pool messages first. */
static int activate_lv(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv)
{
	struct md_lv *pool = md_lv_is_thin_pool(lv) ? lv
			     : md_lv_is_thin(lv)    ? lv->segs[0].thin_pool
						    : NULL;
	int r;

	if (pool && pool->segs[0].n_msgs && (r = tb_pool_commit_messages(c, vg, pool, 0, NULL)) < 0)
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
	if ((r = tb_lvcmd_start(ctx, &c, "lvchange", vgname, &vg)) < 0)
		return r;
	if (!(lv = tb_lv_need(ctx, vg, lvname, &r)))
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
	tb_lvcmd_finish(&c, vg);
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
	if ((r = tb_lvcmd_start(ctx, &c, "vgchange", vgname, &vg)) < 0)
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
	tb_lvcmd_finish(&c, vg);
	if (r == 0 && (activate == 1 || monitor == 1))
		autostart_if_pool(ctx, vgname, any_pool);
	return r;
}
