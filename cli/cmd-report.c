/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report rows (see cli/report-rows.h) and the report commands that are not lvs/vgs/pvs:
 * `lvm fullreport` (lvm2 tools/reporter.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/report-rows.h"
#include "util/macros.h"

void cli_rows_set_rf(struct cli_report *rep, size_t i, const struct tb_rfield *f, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		switch (f[k].kind) {
		case TB_RF_STR:
			cli_report_set_str(rep, i, f[k].id, f[k].s);
			break;
		case TB_RF_SIZE:
			if (cli_report_set_size(rep, i, f[k].id, f[k].u) == -EINVAL)
				cli_report_set_num(rep, i, f[k].id, f[k].u);
			break;
		case TB_RF_NUM:
			cli_report_set_num(rep, i, f[k].id, f[k].u);
			break;
		case TB_RF_BIN:
			cli_report_set_bin(rep, i, f[k].id, (int)f[k].i);
			break;
		case TB_RF_PCT:
			cli_report_set_percent(rep, i, f[k].id, f[k].num, f[k].den);
			break;
		case TB_RF_TIME:
			cli_report_set_time(rep, i, f[k].id, f[k].i);
			break;
		}
	}
}

static int lv_row_fields(struct cli_report *rep, size_t i, const struct tb_lv_row *row,
			 const char *sortkey)
{
	cli_report_set_name(rep, i, "lv_name", row->name, sortkey);
	cli_report_set_str(rep, i, "vg_name", row->vg);
	cli_report_set_str(rep, i, "lv_attr", row->attr);
	cli_report_set_size(rep, i, "lv_size", row->size);
	cli_report_set_str(rep, i, "pool_lv", row->pool);
	cli_report_set_str(rep, i, "origin", row->origin);
	cli_report_set_str(rep, i, "lv_uuid", row->uuid);
	cli_report_set_str(rep, i, "lv_dm_path", row->dm_path);
	cli_report_set_str(rep, i, "segtype", row->segtype);
	cli_report_set_str(rep, i, "lv_profile", row->profile);
	cli_report_set_str(rep, i, "seg_monitor", row->seg_monitor);
	cli_report_set_num(rep, i, "seg_count", row->seg_count);
	cli_report_set_size(rep, i, "chunk_size", row->chunk_size);
	if (row->has_data_percent)
		cli_report_set_percent(rep, i, "data_percent", row->data_num, row->data_den);
	if (row->has_meta_percent)
		cli_report_set_percent(rep, i, "metadata_percent", row->meta_num, row->meta_den);
	if (row->has_transaction_id)
		cli_report_set_num(rep, i, "transaction_id", row->transaction_id);
	if (row->has_thin_id)
		cli_report_set_num(rep, i, "thin_id", row->thin_id);
	cli_report_set_str(rep, i, "lv_active", row->active ? "active" : "");
	cli_rows_set_rf(rep, i, row->fields, row->n_fields);
	return 0;
}

int cli_rows_add_lv(struct cli_report *rep, const struct tb_lv_row *row, const char *sortkey)
{
	size_t i;
	int r;

	/* lvm2 reports segments as soon as one segment field is shown: one row each */
	if (cli_report_wants(rep, CLI_FT_SEG) && row->n_segs) {
		for (size_t s = 0; s < row->n_segs; s++) {
			if ((r = cli_report_add_row(rep, &i)) < 0)
				return r;
			lv_row_fields(rep, i, row, sortkey);
			cli_rows_set_rf(rep, i, row->segs[s].fields, row->segs[s].n_fields);
		}
		return 0;
	}
	if ((r = cli_report_add_row(rep, &i)) < 0)
		return r;
	lv_row_fields(rep, i, row, sortkey);
	return 0;
}

int cli_rows_add_vg(struct cli_report *rep, const struct tb_vg_row *row)
{
	size_t i;
	int r;

	if ((r = cli_report_add_row(rep, &i)) < 0)
		return r;
	cli_report_set_str(rep, i, "vg_name", row->name);
	cli_report_set_str(rep, i, "vg_uuid", row->uuid);
	cli_report_set_str(rep, i, "vg_attr", row->attr);
	cli_report_set_str(rep, i, "vg_fmt", "lvm2");
	cli_report_set_num(rep, i, "pv_count", row->pv_count);
	cli_report_set_num(rep, i, "lv_count", row->lv_count);
	cli_report_set_num(rep, i, "snap_count", row->snap_count);
	cli_report_set_size(rep, i, "vg_size", row->size);
	cli_report_set_size(rep, i, "vg_free", row->free);
	cli_report_set_size(rep, i, "vg_extent_size", row->extent_size);
	cli_report_set_num(rep, i, "vg_extent_count", row->extent_count);
	cli_report_set_num(rep, i, "vg_free_count", row->free_count);
	cli_report_set_num(rep, i, "vg_seqno", row->seqno);
	cli_rows_set_rf(rep, i, row->fields, row->n_fields);
	return 0;
}

static void pv_row_fields(struct cli_report *rep, size_t i, const struct tb_pv_row *row)
{
	cli_report_set_str(rep, i, "pv_name", row->name);
	cli_report_set_str(rep, i, "vg_name", row->vg);
	cli_report_set_str(rep, i, "pv_fmt", row->fmt);
	cli_report_set_str(rep, i, "pv_attr", row->attr);
	cli_report_set_str(rep, i, "pv_uuid", row->uuid);
	cli_report_set_size(rep, i, "pv_size", row->size);
	cli_report_set_size(rep, i, "pv_free", row->free);
	cli_report_set_size(rep, i, "dev_size", row->dev_size);
	cli_report_set_size(rep, i, "pe_start", row->pe_start);
	cli_report_set_num(rep, i, "pv_pe_count", row->pe_count);
	cli_report_set_num(rep, i, "pv_pe_alloc_count", row->pe_alloc);
	cli_rows_set_rf(rep, i, row->fields, row->n_fields);
}

int cli_rows_add_pv(struct cli_report *rep, const struct tb_pv_row *row)
{
	size_t i;
	int r;

	if (cli_report_wants(rep, CLI_FT_PVSEG) && row->n_pvsegs) {
		for (size_t s = 0; s < row->n_pvsegs; s++) {
			if ((r = cli_report_add_row(rep, &i)) < 0)
				return r;
			pv_row_fields(rep, i, row);
			cli_rows_set_rf(rep, i, row->pvsegs[s].fields, row->pvsegs[s].n_fields);
		}
		return 0;
	}
	if ((r = cli_report_add_row(rep, &i)) < 0)
		return r;
	pv_row_fields(rep, i, row);
	return 0;
}

static int vg_table_row(void *userdata, const struct tb_vg_row *row)
{
	return cli_rows_add_vg(userdata, row);
}

int cli_rows_vg_table(struct tb_ctx *ctx, const char *const *vgs, size_t n,
		      struct cli_report **ret)
{
	static const char *const all[] = { "vg_all" };
	struct cli_report_opts o = { .columns = all, .n_columns = 1 };
	struct cli_report *t = NULL;
	int r = cli_report_new(&cli_report_vgs, &o, &t, NULL);

	if (r == 0)
		r = tb_report_vgs(ctx, vgs, n, vg_table_row, t);
	if (r < 0)
		t = cli_report_free(t);
	*ret = t;
	return r;
}

void cli_rows_join_vg(struct cli_report *rep, size_t i, const struct cli_report *vgt,
		      const char *vg)
{
	for (size_t k = 0; vgt && vg && k < cli_report_n_rows(vgt); k++) {
		const char *n = cli_report_get_str(vgt, k, "vg_name");
		if (n && streq(n, vg)) {
			cli_report_copy_row(rep, i, vgt, k, CLI_FT_VG);
			return;
		}
	}
}
