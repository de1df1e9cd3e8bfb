/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * thinbox public API. The only header cli/ (and any other user of the library) includes.
 *
 * Objects are opaque. struct tb_ctx owns the device-mapper control fd, the log sink and the
 * configuration; every other object borrows a ctx. Functions return 0 (or a documented
 * positive value) on success and a negative errno on failure; the ctx keeps a message for
 * the last failure (tb_ctx_errmsg) naming the object and what to do.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/log.h"

struct tb_ctx;

/* Create a context. @flags: 0. Caller frees with tb_ctx_unref. Since: 0.1 */
int tb_ctx_new(unsigned flags, struct tb_ctx **ret);
/* Refcounting; unref accepts NULL and returns NULL. Since: 0.1 */
struct tb_ctx *tb_ctx_ref(struct tb_ctx *ctx);
struct tb_ctx *tb_ctx_unref(struct tb_ctx *ctx);
/* Route log messages (DEBUG/INFO/NOTICE, never errors of returned calls). Since: 0.1 */
void tb_ctx_set_log_fn(struct tb_ctx *ctx, tb_log_fn fn, void *userdata);
void tb_ctx_set_log_priority(struct tb_ctx *ctx, int priority);
int tb_ctx_get_log_priority(const struct tb_ctx *ctx);
/* The message of the last failed call on @ctx (borrowed, valid until the next call). */
const char *tb_ctx_errmsg(const struct tb_ctx *ctx);
/* The library version string. Since: 0.1 */
const char *tb_version(void);
