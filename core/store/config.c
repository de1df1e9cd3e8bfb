/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lvm2 settings thinbox honours: lvm.conf and metadata profiles (same syntax). */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/backup.h"
#include "core/store/store.h"
#include "lvmfmt/config.h"

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int tb_lvm_conf(struct tb_ctx *ctx, const struct lvf_cft_node **ret, struct lvf_err *reterr)
{
	struct tb_lvm_conf_cache *cc = &ctx->lvm_conf;
	struct lvf_cft_node *root = NULL, **old;
	struct stat st = { 0 };
	char path[600];
	int r;

	snprintf(path, sizeof(path), "%s/lvm.conf", tb_sysconf_dir(ctx));
	/* stat first: a change after it is seen by the next call */
	if (stat(path, &st) < 0)
		memset(&st, 0, sizeof(st));
	if (cc->loaded && (st.st_ino ? same_file(&st, &cc->st) : !cc->st.st_ino))
		goto done;
	if (cc->root) {
		old = realloc(cc->old, (cc->n_old + 1) * sizeof(*old));
		if (!old)
			return -ENOMEM;
		cc->old = old;
		cc->old[cc->n_old++] = cc->root;
		cc->root = NULL;
	}
	memset(&cc->err, 0, sizeof(cc->err));
	r = st.st_ino ? lvf_config_load_file_lean(path, &root, &cc->err) : -ENOENT;
	if (r == -ENOENT) {
		r = 0;
		root = NULL;
		memset(&st, 0, sizeof(st));
	}
	cc->r = r;
	cc->root = r < 0 ? NULL : root;
	cc->st = st;
	cc->loaded = true;
done:
	if (cc->r < 0 && reterr)
		*reterr = cc->err;
	*ret = cc->root;
	return cc->r;
}

int tb_lvm_conf_read(struct tb_ctx *ctx, const struct lvf_cft_node **ret)
{
	struct lvf_err err = { 0 };
	int r = tb_lvm_conf(ctx, ret, &err);

	if (r < 0)
		return tb_fail(ctx, r, "%s/lvm.conf: line %u: %s. Fix the file.",
			       tb_sysconf_dir(ctx), err.line, err.message);
	return 0;
}

static int load(struct tb_ctx *ctx, const char *path, struct lvf_cft_node **ret)
{
	struct lvf_err err = { 0 };
	int r = lvf_config_load_file(path, ret, &err);

	if (r == -ENOENT) {
		*ret = NULL;
		return 0;
	}
	if (r < 0)
		return tb_fail(ctx, r, "%s: line %u: %s. Fix the file.", path, err.line,
			       err.message);
	return 0;
}

int tb_autoextend_policy(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 int64_t *ret_threshold, int64_t *ret_percent)
{
	struct tb_autoextend_limits l;
	int r = tb_autoextend_limits(ctx, vg, pool, &l);

	if (r < 0)
		return r;
	*ret_threshold = l.threshold;
	*ret_percent = l.percent;
	return 0;
}

int tb_autoextend_limits(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 struct tb_autoextend_limits *ret)
{
	struct lvf_cft_node *profile_root = NULL;
	const struct lvf_cft_node *layers[3] = { NULL, NULL, NULL };
	const char *profile = pool->profile ? pool->profile : vg->profile;
	char path[600];
	int64_t t = 100, p = 20, max_mb = 0, ewf = 0;
	int r;

	if (profile) {
		const char *why;
		/* a profile is a name in the profile directory, never a path (lvm2 refuses the
		 * VG outright); a root command or the monitor must not read ../../x.profile */
		if (md_name_check(profile, &why) < 0) {
			r = tb_fail(ctx, -EINVAL,
				    "LV %s/%s: bad profile name \"%s\" (%s): not read. Fix it with "
				    "lvchange --detachprofile or --metadataprofile NAME.",
				    vg->name, pool->name, profile, why);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/profile/%s.profile", tb_sysconf_dir(ctx), profile);
		if ((r = load(ctx, path, &profile_root)) < 0)
			goto out;
		layers[0] = profile_root;
	}
	if ((r = tb_lvm_conf_read(ctx, &layers[1])) < 0)
		goto out;
	if ((r = lvf_config_get_int(layers, 2, "activation/thin_pool_autoextend_threshold", 100,
				    &t)) < 0 ||
	    (r = lvf_config_get_int(layers, 2, "activation/thin_pool_autoextend_percent", 20, &p)) <
		    0 ||
	    /* thinbox's own keys (lvm2 ignores them): see docs/monitor.md */
	    (r = lvf_config_get_int(layers, 2, "activation/thin_pool_autoextend_max_size", 0,
				    &max_mb)) < 0 ||
	    (r = lvf_config_get_int(layers, 2, "activation/thin_pool_autoextend_error_when_full", 0,
				    &ewf)) < 0) {
		r = tb_fail(ctx, r, "Bad autoextend setting in the profile or lvm.conf");
		goto out;
	}
	ret->threshold = t;
	ret->percent = p;
	ret->max_sectors = max_mb > 0 ? (uint64_t)max_mb * 2048 : 0;
	ret->error_when_full = ewf != 0;
	r = 0;
out:
	lvf_cft_free(profile_root);
	return r;
}

bool tb_monitoring_enabled(struct tb_ctx *ctx)
{
	const struct lvf_cft_node *c = NULL;
	int64_t v = 1;

	if (tb_lvm_conf_read(ctx, &c) == 0 && c)
		lvf_config_get_int(&c, 1, "activation/monitoring", 1, &v);
	return v != 0;
}

void tb_backup_settings(struct tb_ctx *ctx, struct tb_backup_settings *ret)
{
	const struct lvf_cft_node *c = NULL, *const *l = &c;
	int64_t min = TB_ARCHIVE_RETAIN_MIN, days = TB_ARCHIVE_RETAIN_DAYS, backup = 1, archive = 1;

	if (tb_lvm_conf_read(ctx, &c) == 0 && c) {
		/* a bad value keeps lvm2's default (lvm2 warns and does the same) */
		if (lvf_config_get_int(l, 1, "backup/retain_min", TB_ARCHIVE_RETAIN_MIN, &min) < 0 ||
		    min < 0 || min > UINT32_MAX)
			min = TB_ARCHIVE_RETAIN_MIN;
		if (lvf_config_get_int(l, 1, "backup/retain_days", TB_ARCHIVE_RETAIN_DAYS, &days) <
			    0 ||
		    days < 0 || days > UINT32_MAX)
			days = TB_ARCHIVE_RETAIN_DAYS;
		if (lvf_config_get_int(l, 1, "backup/backup", 1, &backup) < 0)
			backup = 1;
		if (lvf_config_get_int(l, 1, "backup/archive", 1, &archive) < 0)
			archive = 1;
	}
	ret->retain_min = (unsigned)min;
	ret->retain_days = (unsigned)days;
	ret->backup = backup != 0;
	ret->archive = archive != 0;
}
