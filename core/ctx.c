/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core/ctx-internal.h"
#include "core/mdcache.h"
#include "kernel-iface/dmk.h"

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
	free(ctx->dm_uuids);
	free(ctx);
	return NULL;
}

TB_EXPORT void tb_ctx_set_log_fn(struct tb_ctx *ctx, tb_log_fn fn, void *userdata)
{
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

TB_EXPORT void tb_ctx_set_log_priority(struct tb_ctx *ctx, int priority)
{
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

	for (const char *p = ctx->warned; p && p < ctx->warned + ctx->warned_len;
	     p += strlen(p) + 1)
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
		return tb_fail(ctx, -ENODEV, "Device-mapper is disabled here: cannot activate or "
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
	ctx->no_dm = no_dm;
}
