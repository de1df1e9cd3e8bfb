/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which pools a live thinbox monitor watches: one file per pool in the ctx's run directory
 * (tb_ctx_set_run_dir: $THINBOX_RUN_DIR or /run/thinbox) "monitor/<vg>/<lv>" holding the
 * monitor's pid. A file whose pid is gone counts as not monitored, so no stale answer
 * survives a dead daemon. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct tb_ctx;
/* The ctx's run dir (tb_ctx_set_run_dir; default $THINBOX_RUN_DIR or /run/thinbox). */
const char *tb_run_dir(const struct tb_ctx *ctx);
bool tb_monitor_watches(const struct tb_ctx *ctx, const char *vg, const char *lv);
int tb_monitor_mark(const struct tb_ctx *ctx, const char *vg, const char *lv, pid_t pid);
int tb_monitor_unmark(const struct tb_ctx *ctx, const char *vg, const char *lv);

/* lvchange/vgchange --monitor n: "monitor/<vg>/<lv>.off" tells monitors to leave the pool
 * alone (and removes its mark at once); --monitor y removes it. */
int tb_monitor_set_disabled(const struct tb_ctx *ctx, const char *vg, const char *lv, bool disabled);
bool tb_monitor_disabled(const struct tb_ctx *ctx, const char *vg, const char *lv);
/* The default daemon's pidfile, "<run dir>/monitor.pid". */
void tb_monitor_pidfile(const struct tb_ctx *ctx, char *buf, size_t len);
/* Pid of the monitor holding the lock on @pidfile (NULL: the default), 0 when none runs. */
pid_t tb_monitor_running(const struct tb_ctx *ctx, const char *pidfile);
