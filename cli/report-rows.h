/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rows of lvs/vgs/pvs from the core's row structs: the named fields, every further lvm2 field
 * (tb_rfield), one row per segment when segment fields are shown, and the joins lvm2 makes
 * (VG fields on LV and PV rows, PV fields on VG rows). cli/cmd-report.c. */
#pragma once

#include "cli/report.h"

/* Add @row's fields to row @i of @rep. */
void cli_rows_set_rf(struct cli_report *rep, size_t i, const struct tb_rfield *f, size_t n);
/* Add the rows of one LV / VG / PV. */
int cli_rows_add_lv(struct cli_report *rep, const struct tb_lv_row *row, const char *sortkey);
int cli_rows_add_vg(struct cli_report *rep, const struct tb_vg_row *row);
int cli_rows_add_pv(struct cli_report *rep, const struct tb_pv_row *row);
/* The VGs (all when n == 0) as a report with every VG field, for joins; -ENOENT as tb_. */
int cli_rows_vg_table(struct tb_ctx *ctx, const char *const *vgs, size_t n, struct cli_report **ret);
/* Copy the VG fields of the VG named @vg from @vgt into row @i of @rep. */
void cli_rows_join_vg(struct cli_report *rep, size_t i, const struct cli_report *vgt,
		      const char *vg);
