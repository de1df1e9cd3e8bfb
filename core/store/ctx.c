/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core/ctx-internal.h"
#include "core/store/mdcache.h"
#include "kernel-iface/dmk.h"
#include "lvmfmt/cft.h"

_printf_(6, 0) static void log_stderr(void *userdata, int priority, const char *file, int line,
				      const char *fn, const char *format, va_list args)
{
	fprintf(stderr, "thinbox: ");
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

static int log_priority_from_env(void)
{
	const char *e = secure_getenv("THINBOX_LOG");
	if (!e)
		return LOG_ERR;
	if (streq(e, "debug"))
		return LOG_DEBUG;
	if (streq(e, "info"))
		return LOG_INFO;
	if (streq(e, "notice"))
		return LOG_NOTICE;
	if (streq(e, "warning"))
		return LOG_WARNING;
	return LOG_ERR;
}

/* The defaults of the configuration: the environment (secure_getenv: never in setuid
 * programs), else the built-in value. */
#ifndef THINBOX_MONITOR_BIN
#define THINBOX_MONITOR_BIN "/usr/local/sbin/thinbox"
#endif
static const char *env_or(const char *name, const char *def)
{
	const char *e = name ? secure_getenv(name) : NULL;
	return e && *e ? e : def;
}

static int set_str(char **field, const char *v)
{
	char *d = strdup(v);
	if (!d)
		return -ENOMEM;
	free(*field);
	*field = d;
	return 0;
}

static void free_devices(struct tb_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_devices; i++)
		free(ctx->devices[i]);
	free(ctx->devices);
	ctx->devices = NULL;
	ctx->n_devices = 0;
}

TB_EXPORT int tb_ctx_set_devices(struct tb_ctx *ctx, const char *const *devices, size_t n)
{
	char **d;

	tb_ctx_clear_error(ctx);
	if (n == 0) {
		free_devices(ctx);
		return 0;
	}
	d = calloc(n, sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!devices[i] || !(d[i] = strdup(devices[i]))) {
			for (size_t j = 0; j < i; j++)
				free(d[j]);
			free(d);
			return devices[i] ? -ENOMEM : -EINVAL;
		}
	free_devices(ctx);
	ctx->devices = d;
	ctx->n_devices = n;
	return 0;
}

static int devices_from_env(struct tb_ctx *ctx)
{
	const char *list = secure_getenv("THINBOX_DEVICES");
	_cleanup_free_ char *dup = NULL;
	const char *v[256];
	char *save = NULL;
	size_t n = 0;

	if (!list || !*list)
		return 0;
	dup = strdup(list);
	if (!dup)
		return -ENOMEM;
	for (char *t = strtok_r(dup, ":", &save); t && n < ARRAY_SIZE(v);
	     t = strtok_r(NULL, ":", &save))
		v[n++] = t;
	return tb_ctx_set_devices(ctx, v, n);
}

TB_EXPORT int tb_ctx_set_sysconf_dir(struct tb_ctx *ctx, const char *dir)
{
	tb_ctx_clear_error(ctx);
	return set_str(&ctx->sysconf_dir, dir ? dir : "/etc/lvm");
}

TB_EXPORT int tb_ctx_set_run_dir(struct tb_ctx *ctx, const char *dir)
{
	tb_ctx_clear_error(ctx);
	return set_str(&ctx->run_dir, dir ? dir : "/run/thinbox");
}

TB_EXPORT int tb_ctx_set_lock_dir(struct tb_ctx *ctx, const char *dir)
{
	tb_ctx_clear_error(ctx);
	return set_str(&ctx->lock_dir, dir ? dir : "/run/lock/lvm");
}

TB_EXPORT int tb_ctx_set_dev_dir(struct tb_ctx *ctx, const char *dir)
{
	tb_ctx_clear_error(ctx);
	return set_str(&ctx->dev_dir, dir ? dir : "/dev");
}

TB_EXPORT int tb_ctx_set_monitor_path(struct tb_ctx *ctx, const char *path)
{
	tb_ctx_clear_error(ctx);
	return set_str(&ctx->monitor_path, path ? path : THINBOX_MONITOR_BIN);
}

TB_EXPORT void tb_ctx_set_monitor_start_fn(struct tb_ctx *ctx, tb_monitor_start_fn fn,
					   void *userdata)
{
	ctx->monitor_start_fn = fn;
	ctx->monitor_start_data = userdata;
}

TB_EXPORT const char *tb_ctx_get_sysconf_dir(const struct tb_ctx *ctx)
{
	return ctx->sysconf_dir;
}

TB_EXPORT const char *tb_ctx_get_run_dir(const struct tb_ctx *ctx)
{
	return ctx->run_dir;
}

TB_EXPORT const char *tb_ctx_get_lock_dir(const struct tb_ctx *ctx)
{
	return ctx->lock_dir;
}

const char *tb_ctx_sysconf(const struct tb_ctx *ctx)
{
	return ctx->sysconf_dir;
}

const char *tb_ctx_run(const struct tb_ctx *ctx)
{
	return ctx->run_dir;
}

const char *tb_ctx_lockdir(const struct tb_ctx *ctx)
{
	return ctx->lock_dir;
}

void tb_lvm_conf_drop_old(struct tb_ctx *ctx)
{
	struct tb_lvm_conf_cache *cc = &ctx->lvm_conf;

	for (size_t i = 0; i < cc->n_old; i++)
		lvf_cft_free(cc->old[i]);
	free(cc->old);
	cc->old = NULL;
	cc->n_old = 0;
}

void tb_lvm_conf_free(struct tb_ctx *ctx)
{
	tb_lvm_conf_drop_old(ctx);
	lvf_cft_free(ctx->lvm_conf.root);
	memset(&ctx->lvm_conf, 0, sizeof(ctx->lvm_conf));
}

const char *tb_sysconf_dir(const struct tb_ctx *ctx)
{
	const char *d;
	if (ctx)
		return tb_ctx_sysconf(ctx);
	d = secure_getenv("LVM_SYSTEM_DIR");
	return d && *d ? d : "/etc/lvm";
}

void tb_ctx_config_free(struct tb_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_config_layers; i++)
		lvf_cft_free(ctx->config_layers[i]);
	ctx->n_config_layers = 0;
}

TB_EXPORT int tb_ctx_new(unsigned flags, struct tb_ctx **ret)
{
	struct tb_ctx *ctx;
	if (flags)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = log_stderr;
	ctx->log_priority = log_priority_from_env();
	if (set_str(&ctx->sysconf_dir, env_or("LVM_SYSTEM_DIR", "/etc/lvm")) < 0 ||
	    set_str(&ctx->run_dir, env_or("THINBOX_RUN_DIR", "/run/thinbox")) < 0 ||
	    set_str(&ctx->lock_dir, env_or("THINBOX_LOCK_DIR", "/run/lock/lvm")) < 0 ||
	    set_str(&ctx->dev_dir, env_or("THINBOX_DEV_DIR", "/dev")) < 0 ||
	    set_str(&ctx->monitor_path, env_or("THINBOX_MONITOR_BIN", THINBOX_MONITOR_BIN)) < 0 ||
	    devices_from_env(ctx) < 0) {
		tb_ctx_unref(ctx);
		return -ENOMEM;
	}
	*ret = ctx;
	return 0;
}

TB_EXPORT struct tb_ctx *tb_ctx_ref(struct tb_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

TB_EXPORT struct tb_ctx *tb_ctx_unref(struct tb_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	dmk_ctx_free(ctx->dmk);
	free(ctx->warned);
	tb_ctx_config_free(ctx);
	tb_mdcache_free(ctx);
	tb_lvm_conf_free(ctx);
	free(ctx->dm_uuids);
	free(ctx->sysconf_dir);
	free(ctx->run_dir);
	free(ctx->lock_dir);
	free(ctx->dev_dir);
	free(ctx->monitor_path);
	free_devices(ctx);
	free(ctx);
	return NULL;
}

TB_EXPORT void tb_ctx_set_log_fn(struct tb_ctx *ctx, tb_log_fn fn, void *userdata)
{
	tb_ctx_clear_error(ctx);
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

TB_EXPORT void tb_ctx_set_log_priority(struct tb_ctx *ctx, int priority)
{
	tb_ctx_clear_error(ctx);
	ctx->log_priority = priority;
}

TB_EXPORT int tb_ctx_get_log_priority(const struct tb_ctx *ctx)
{
	return ctx->log_priority;
}

TB_EXPORT const char *tb_ctx_errmsg(const struct tb_ctx *ctx)
{
	return ctx->errmsg[0] ? ctx->errmsg : "unknown error";
}

TB_EXPORT const char *tb_version(void)
{
	return THINBOX_VERSION;
}

void tb_log(struct tb_ctx *ctx, int priority, const char *file, int line, const char *fn,
	    const char *fmt, ...)
{
	va_list ap;
	if (!ctx || !ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, fmt, ap);
	va_end(ap);
}

void tb_warn_once(struct tb_ctx *ctx, const char *line)
{
	size_t len = strlen(line);
	char *n;

	for (const char *p = ctx->warned; p && p < ctx->warned + ctx->warned_len; p += strlen(p) + 1)
		if (streq(p, line))
			return;
	tb_warn(ctx, "%s", line);
	n = realloc(ctx->warned, ctx->warned_len + len + 1);
	if (!n)
		return;
	memcpy(n + ctx->warned_len, line, len + 1);
	ctx->warned = n;
	ctx->warned_len += len + 1;
}

int tb_fail(struct tb_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

int tb_ctx_dmk(struct tb_ctx *ctx, struct dmk_ctx **ret)
{
	const char *t = secure_getenv("THINBOX_TRACE");
	int r;

	if (ctx->no_dm)
		return tb_fail(ctx, -ENODEV,
			       "Device-mapper is disabled here: cannot activate or "
			       "change active LVs.");
	if (!ctx->dmk) {
		r = dmk_ctx_new(&ctx->dmk);
		if (r < 0)
			return tb_fail(ctx, r, "Cannot use device-mapper: %s", strerror(-r));
		if (ctx->trace || (t && streq(t, "1")))
			dmk_set_trace(ctx->dmk, stderr);
	}
	*ret = ctx->dmk;
	return 0;
}

TB_EXPORT void tb_ctx_set_no_dm(struct tb_ctx *ctx, bool no_dm)
{
	tb_ctx_clear_error(ctx);
	ctx->no_dm = no_dm;
}

TB_EXPORT void tb_ctx_set_exit_frees(struct tb_ctx *ctx, bool on)
{
	tb_ctx_clear_error(ctx);
	ctx->exit_frees = on;
}

TB_EXPORT void tb_ctx_set_report_include(struct tb_ctx *ctx, unsigned flags)
{
	tb_ctx_clear_error(ctx);
	ctx->report_include = flags & (TB_REPORT_SHARED | TB_REPORT_FOREIGN);
}
