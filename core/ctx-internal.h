/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct tb_ctx internals, shared by core/ files only. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "core/thinbox.h"
#include "util/macros.h"

struct dmk_ctx;

struct tb_ctx {
	int refcount;
	tb_log_fn log_fn;
	void *log_data;
	int log_priority;
	char errmsg[1024];
	struct dmk_ctx *dmk; /* device-mapper, opened on first use (tb_ctx_dmk) */
	bool trace;          /* --trace: every ioctl to stderr */
};

/* The ctx's device-mapper context, created on first use; -errno with the message set when
 * /dev/mapper/control cannot be opened. Borrowed. */
int tb_ctx_dmk(struct tb_ctx *ctx, struct dmk_ctx **ret);

void tb_log(struct tb_ctx *ctx, int priority, const char *file, int line, const char *fn,
	    const char *fmt, ...) _printf_(6, 7);
#define tb_dbg(ctx, ...) tb_log(ctx, LOG_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define tb_info(ctx, ...) tb_log(ctx, LOG_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define tb_warn(ctx, ...) tb_log(ctx, LOG_WARNING, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Record the message for the failure being returned, and return @err (a negative errno). */
int tb_fail(struct tb_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);
