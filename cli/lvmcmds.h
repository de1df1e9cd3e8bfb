/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the lvm2 command handlers (cmd-lvm.c, cmd-lvmcmds.c): --config, tags, and the
 * argument forms lvm2's process_each_* accepts (VG/LV, /dev/VG/LV, VG, @tag). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cli/args.h"
#include "core/thinbox.h"

/* Apply every --config STRING to @ctx. CLI_OK, or CLI_EINVAL with lvm2's message. */
int cli_lvm_config(struct tb_ctx *ctx, const char *const *args, size_t n);
/* Every value of --addtag/--deltag is a valid tag; else lvm2's "Invalid argument for ..." and
 * -EINVAL. */
int cli_tags_check(const struct cli_optval *v, const char *opt);

typedef int (*cli_lv_fn)(struct tb_ctx *ctx, const char *vg, const char *lv, bool force, void *data);
/* For each LV argument: VG/LV or /dev/VG/LV; a VG name (@lv NULL when @vg_whole, else each
 * of its visible LVs); @tag (each LV with the tag or in a VG with it). Failures go on to the
 * next argument, as lvm2; returns CLI_OK, CLI_EINVAL or CLI_FAILED. */
int cli_each_lv(struct tb_ctx *ctx, char **args, int n, bool vg_whole, bool force, cli_lv_fn fn,
		void *data);
int cli_lvremove_one(struct tb_ctx *ctx, const char *vg, const char *lv, bool force, void *data);
/* @data: const struct tb_lvchange_opts * */
int cli_lvchange_one(struct tb_ctx *ctx, const char *vg, const char *lv, bool force, void *data);
/* vgchange over VG names, @tags, or every VG when @n is 0. */
int cli_each_vg(struct tb_ctx *ctx, char **args, int n, const struct tb_vgchange_opts *o);
