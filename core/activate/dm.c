/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Raw device-mapper for `thinbox dm`: the public tb_dm_* calls over kernel-iface, and the
 * ctx's one dmk context. Node handling follows dmsetup without udev: a node after every
 * resume, none after remove. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "core/ctx-internal.h"
#include "kernel-iface/dmk.h"

/* tb_ctx_dmk() lives in core/store/ctx.c. */

TB_EXPORT void tb_ctx_set_trace(struct tb_ctx *ctx, bool on)
{
	tb_ctx_clear_error(ctx);
	ctx->trace = on;
	if (ctx->dmk)
		dmk_set_trace(ctx->dmk, on ? stderr : NULL);
}

/* Copy the kernel-iface message of the failure being returned into the ctx. */
static int fail_dmk(struct tb_ctx *ctx, struct dmk_ctx *dmk, int r)
{
	return tb_fail(ctx, r, "%s", dmk_errmsg(dmk));
}

#define GET_DMK(ctx, dmk)                                                                          \
	do {                                                                                       \
		int _r = tb_ctx_dmk(ctx, &(dmk));                                                  \
		if (_r < 0)                                                                        \
			return _r;                                                                 \
	} while (0)

static void info_from_dmk(const struct dmk_info *i, struct tb_dm_info *o)
{
	memset(o, 0, sizeof(*o));
	o->suspended = i->suspended;
	o->read_only = i->read_only;
	o->live_table = i->live_table;
	o->inactive_table = i->inactive_table;
	o->deferred_remove = i->deferred_remove;
	o->open_count = i->open_count;
	o->event_nr = i->event_nr;
	o->target_count = i->target_count;
	o->major = major(i->dev);
	o->minor = minor(i->dev);
	snprintf(o->name, sizeof(o->name), "%s", i->name);
	snprintf(o->uuid, sizeof(o->uuid), "%s", i->uuid);
}

/* /sys/dev/block/M:m/queue/read_ahead_kb, in sectors; 0 when unknown. */
static uint32_t read_ahead_sectors(uint32_t ma, uint32_t mi)
{
	char path[96];
	unsigned long kb;
	FILE *f;
	uint32_t r = 0;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/read_ahead_kb", ma, mi);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &kb) == 1 && kb < UINT32_MAX / 2)
		r = (uint32_t)(kb * 2);
	fclose(f);
	return r;
}

TB_EXPORT int tb_dm_driver_version(struct tb_ctx *ctx, uint32_t ret[3])
{
	struct dmk_ctx *dmk = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_version(dmk, ret);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_list(struct tb_ctx *ctx, struct tb_dm_dev **ret, size_t *ret_n)
{
	_cleanup_free_ struct dmk_dev *d = NULL;
	struct tb_dm_dev *o;
	struct dmk_ctx *dmk = NULL;
	size_t n;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_list_devices(dmk, &d, &n);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	o = calloc(n ? n : 1, sizeof(*o));
	if (!o)
		return tb_fail(ctx, -ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++) {
		o[i].major = major(d[i].dev);
		o[i].minor = minor(d[i].dev);
		o[i].event_nr = d[i].event_nr;
		snprintf(o[i].name, sizeof(o[i].name), "%s", d[i].name);
		snprintf(o[i].uuid, sizeof(o[i].uuid), "%s", d[i].uuid);
	}
	*ret = o;
	*ret_n = n;
	return 0;
}

TB_EXPORT int tb_dm_target_types(struct tb_ctx *ctx, struct tb_dm_target_type **ret, size_t *ret_n)
{
	_cleanup_free_ struct dmk_target_version *v = NULL;
	struct tb_dm_target_type *o;
	struct dmk_ctx *dmk = NULL;
	size_t n;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_list_targets(dmk, &v, &n);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	o = calloc(n ? n : 1, sizeof(*o));
	if (!o)
		return tb_fail(ctx, -ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++) {
		snprintf(o[i].name, sizeof(o[i].name), "%s", v[i].name);
		memcpy(o[i].version, v[i].version, sizeof(o[i].version));
	}
	*ret = o;
	*ret_n = n;
	return 0;
}

TB_EXPORT int tb_dm_info(struct tb_ctx *ctx, const char *name, struct tb_dm_info *ret)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_info(dmk, name, &i);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	info_from_dmk(&i, ret);
	ret->read_ahead_sectors = read_ahead_sectors(ret->major, ret->minor);
	return 0;
}

TB_EXPORT int tb_dm_deps(struct tb_ctx *ctx, const char *name, struct tb_dm_devno **ret,
			 size_t *ret_n)
{
	_cleanup_free_ dev_t *d = NULL;
	struct tb_dm_devno *o;
	struct dmk_ctx *dmk = NULL;
	size_t n;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_deps(dmk, name, &d, &n);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	o = calloc(n ? n : 1, sizeof(*o));
	if (!o)
		return tb_fail(ctx, -ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++) {
		o[i].major = major(d[i]);
		o[i].minor = minor(d[i]);
	}
	*ret = o;
	*ret_n = n;
	return 0;
}

/* struct tb_dm_target and struct dmk_target have the same members; copy, do not cast. */
static int targets_out(struct dmk_target *t, size_t n, struct tb_dm_target **ret)
{
	struct tb_dm_target *o = calloc(n ? n : 1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		o[i].start = t[i].start;
		o[i].len = t[i].len;
		snprintf(o[i].type, sizeof(o[i].type), "%s", t[i].type);
		o[i].params = TAKE_PTR(t[i].params);
	}
	*ret = o;
	return 0;
}

TB_EXPORT void tb_dm_targets_free(struct tb_dm_target *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		free(t[i].params);
	free(t);
}

static int table_or_status(struct tb_ctx *ctx, const char *name, unsigned flags, bool table,
			   struct tb_dm_target **ret, size_t *ret_n)
{
	struct dmk_target *t = NULL;
	struct dmk_ctx *dmk = NULL;
	unsigned f = 0;
	size_t n;
	int r;

	GET_DMK(ctx, dmk);
	if (flags & TB_DM_INACTIVE)
		f |= DMK_INACTIVE;
	if (flags & TB_DM_NOFLUSH)
		f |= DMK_NOFLUSH;
	r = table ? dmk_table(dmk, name, f, &t, &n) : dmk_status(dmk, name, f, &t, &n);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	r = targets_out(t, n, ret);
	dmk_targets_free(t, n);
	if (r < 0)
		return tb_fail(ctx, r, "Out of memory");
	*ret_n = n;
	return 0;
}

TB_EXPORT int tb_dm_table(struct tb_ctx *ctx, const char *name, unsigned flags,
			  struct tb_dm_target **ret, size_t *ret_n)
{
	tb_ctx_clear_error(ctx);
	return table_or_status(ctx, name, flags, true, ret, ret_n);
}

TB_EXPORT int tb_dm_status(struct tb_ctx *ctx, const char *name, unsigned flags,
			   struct tb_dm_target **ret, size_t *ret_n)
{
	tb_ctx_clear_error(ctx);
	return table_or_status(ctx, name, flags, false, ret, ret_n);
}

static int load_text(struct tb_ctx *ctx, struct dmk_ctx *dmk, const char *name, const char *table,
		     unsigned flags)
{
	struct dmk_target *t = NULL;
	size_t n;
	int r;

	r = dmk_table_parse(table, &t, &n);
	if (r < 0)
		return tb_fail(ctx, r,
			       "Invalid table for '%s': each line must be 'start length type "
			       "params'",
			       name);
	if (n == 0)
		return tb_fail(ctx, -EINVAL, "The table for '%s' is empty", name);
	r = dmk_load(dmk, name, t, n, (flags & TB_DM_READONLY) ? DMK_READONLY : 0);
	dmk_targets_free(t, n);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

static int resume_and_node(struct tb_ctx *ctx, struct dmk_ctx *dmk, const char *name,
			   struct dmk_info *ret)
{
	struct dmk_info i;
	int r;

	r = dmk_resume(dmk, name, 0, &i);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	r = dmk_node_add(dmk, name, i.dev);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	if (ret)
		*ret = i;
	return 0;
}

TB_EXPORT int tb_dm_create(struct tb_ctx *ctx, const char *name, const char *uuid,
			   const char *table, unsigned flags, struct tb_dm_info *ret)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_create(dmk, name, uuid, 0, &i);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	if (table) {
		r = load_text(ctx, dmk, name, table, flags);
		if (r == 0)
			r = resume_and_node(ctx, dmk, name, &i);
		if (r < 0) {
			/* do not leave a half-made device behind; keep the first error */
			char msg[sizeof(ctx->errmsg)];
			memcpy(msg, ctx->errmsg, sizeof(msg));
			(void)dmk_remove(dmk, name, DMK_RETRY);
			(void)dmk_node_remove(dmk, name);
			memcpy(ctx->errmsg, msg, sizeof(msg));
			return r;
		}
	}
	if (ret) {
		info_from_dmk(&i, ret);
		ret->read_ahead_sectors = read_ahead_sectors(ret->major, ret->minor);
	}
	return 0;
}

TB_EXPORT int tb_dm_load(struct tb_ctx *ctx, const char *name, const char *table, unsigned flags)
{
	struct dmk_ctx *dmk = NULL;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	return load_text(ctx, dmk, name, table, flags);
}

TB_EXPORT int tb_dm_clear(struct tb_ctx *ctx, const char *name)
{
	struct dmk_ctx *dmk = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_clear(dmk, name);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_suspend(struct tb_ctx *ctx, const char *name, unsigned flags)
{
	struct dmk_ctx *dmk = NULL;
	unsigned f = 0;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	if (flags & TB_DM_NOFLUSH)
		f |= DMK_NOFLUSH;
	if (flags & TB_DM_SKIP_LOCKFS)
		f |= DMK_SKIP_LOCKFS;
	r = dmk_suspend(dmk, name, f);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_resume(struct tb_ctx *ctx, const char *name)
{
	struct dmk_ctx *dmk = NULL;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	return resume_and_node(ctx, dmk, name, NULL);
}

TB_EXPORT int tb_dm_remove(struct tb_ctx *ctx, const char *name, unsigned flags)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	unsigned f = 0;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	if (flags & TB_DM_DEFERRED)
		f |= DMK_DEFERRED;
	if (flags & TB_DM_RETRY)
		f |= DMK_RETRY;
	r = dmk_remove(dmk, name, f);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	/* a deferred remove of an open device leaves it in place, node included */
	if ((flags & TB_DM_DEFERRED) && dmk_info(dmk, name, &i) == 0)
		return 0;
	r = dmk_node_remove(dmk, name);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_rename(struct tb_ctx *ctx, const char *old, const char *new_name)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_rename(dmk, old, new_name);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	r = dmk_info(dmk, new_name, &i);
	if (r == 0)
		r = i.live_table ? dmk_node_rename(dmk, old, new_name, i.dev)
				 : dmk_node_remove(dmk, old);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_message(struct tb_ctx *ctx, const char *name, uint64_t sector, const char *msg,
			    char **ret_reply)
{
	struct dmk_ctx *dmk = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_message(dmk, name, sector, msg, ret_reply);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}

TB_EXPORT int tb_dm_wait(struct tb_ctx *ctx, const char *name, uint32_t event_nr,
			 struct tb_dm_info *ret)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	r = dmk_wait_event(dmk, name, event_nr, &i);
	if (r < 0)
		return fail_dmk(ctx, dmk, r);
	if (ret)
		info_from_dmk(&i, ret);
	return 0;
}

TB_EXPORT int tb_dm_mknodes(struct tb_ctx *ctx, const char *name)
{
	struct dmk_ctx *dmk = NULL;
	struct dmk_info i;
	int r;

	tb_ctx_clear_error(ctx);
	GET_DMK(ctx, dmk);
	if (!name) {
		r = dmk_nodes_sync(dmk);
		return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
	}
	r = dmk_info(dmk, name, &i);
	if (r == -ENXIO)
		r = dmk_node_remove(dmk, name);
	else if (r == 0)
		r = i.live_table ? dmk_node_add(dmk, name, i.dev) : dmk_node_remove(dmk, name);
	return r < 0 ? fail_dmk(ctx, dmk, r) : 0;
}
