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
			/* lvm2 shows some extent counts (seg_size_pe) in a SIZ-typed column */
			if (cli_report_set_num(rep, i, f[k].id, f[k].u) == -EINVAL) {
				char b[24];
				snprintf(b, sizeof(b), "%llu", (unsigned long long)f[k].u);
				cli_report_set_str(rep, i, f[k].id, b);
			}
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

/* The fields every LV row sets, looked up once per report type (lv_row_fields runs per row). */
enum {
	LF_NAME,
	LF_VG,
	LF_ATTR,
	LF_SIZE,
	LF_POOL,
	LF_ORIGIN,
	LF_UUID,
	LF_DM_PATH,
	LF_SEGTYPE,
	LF_PROFILE,
	LF_SEG_MONITOR,
	LF_SEG_COUNT,
	LF_CHUNK_SIZE,
	LF_DATA_PERCENT,
	LF_META_PERCENT,
	LF_TRANSACTION_ID,
	LF_THIN_ID,
	LF_ACTIVE,
	LF_N
};

static const int *lv_field_indexes(const struct cli_report *rep)
{
	static const char *const ids[LF_N] = {
		[LF_NAME] = "lv_name",
		[LF_VG] = "vg_name",
		[LF_ATTR] = "lv_attr",
		[LF_SIZE] = "lv_size",
		[LF_POOL] = "pool_lv",
		[LF_ORIGIN] = "origin",
		[LF_UUID] = "lv_uuid",
		[LF_DM_PATH] = "lv_dm_path",
		[LF_SEGTYPE] = "segtype",
		[LF_PROFILE] = "lv_profile",
		[LF_SEG_MONITOR] = "seg_monitor",
		[LF_SEG_COUNT] = "seg_count",
		[LF_CHUNK_SIZE] = "chunk_size",
		[LF_DATA_PERCENT] = "data_percent",
		[LF_META_PERCENT] = "metadata_percent",
		[LF_TRANSACTION_ID] = "transaction_id",
		[LF_THIN_ID] = "thin_id",
		[LF_ACTIVE] = "lv_active",
	};
	/* per type (the indexes are the type's), the last one asked for: the CLI reports one
	 * type of LV rows at a time */
	static const struct cli_report_type *type;
	static int idx[LF_N];
	const struct cli_report_type *t = cli_report_type_of(rep);

	if (t != type) {
		cli_report_field_indexes(t, ids, LF_N, idx);
		type = t;
	}
	return idx;
}

static int lv_row_fields(struct cli_report *rep, size_t i, const struct tb_lv_row *row,
			 const char *sortkey)
{
	const int *f = lv_field_indexes(rep);

	cli_report_put_name(rep, i, f[LF_NAME], row->name, sortkey);
	cli_report_put_str(rep, i, f[LF_VG], row->vg);
	cli_report_put_str(rep, i, f[LF_ATTR], row->attr);
	cli_report_put_size(rep, i, f[LF_SIZE], row->size);
	cli_report_put_str(rep, i, f[LF_POOL], row->pool);
	cli_report_put_str(rep, i, f[LF_ORIGIN], row->origin);
	cli_report_put_str(rep, i, f[LF_UUID], row->uuid);
	cli_report_put_str(rep, i, f[LF_DM_PATH], row->dm_path);
	cli_report_put_str(rep, i, f[LF_SEGTYPE], row->segtype);
	cli_report_put_str(rep, i, f[LF_PROFILE], row->profile);
	cli_report_put_str(rep, i, f[LF_SEG_MONITOR], row->seg_monitor);
	cli_report_put_num(rep, i, f[LF_SEG_COUNT], row->seg_count);
	cli_report_put_size(rep, i, f[LF_CHUNK_SIZE], row->chunk_size);
	if (row->has_data_percent)
		cli_report_put_percent(rep, i, f[LF_DATA_PERCENT], row->data_num, row->data_den);
	if (row->has_meta_percent)
		cli_report_put_percent(rep, i, f[LF_META_PERCENT], row->meta_num, row->meta_den);
	if (row->has_transaction_id)
		cli_report_put_num(rep, i, f[LF_TRANSACTION_ID], row->transaction_id);
	if (row->has_thin_id)
		cli_report_put_num(rep, i, f[LF_THIN_ID], row->thin_id);
	cli_report_put_str(rep, i, f[LF_ACTIVE], row->active ? "active" : "");
	cli_rows_set_rf(rep, i, row->fields, row->n_fields);
	/* lvm2 reads a pool's device info from its -tpool layer only together with the status
	 * (lv_attr, percents...); without a status field it is the pool's public device */
	if (row->attr[0] == 't' && !cli_report_wants(rep, CLI_FT_LVSTATUS))
		for (size_t k = 0; k < row->n_fields; k++)
			if (!strncmp(row->fields[k].id, "_pub_", 5)) {
				struct tb_rfield pub = row->fields[k];
				pub.id += 5;
				cli_rows_set_rf(rep, i, &pub, 1);
			}
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

	/* PV segment fields, or LV fields in pvs (lvm2 then reports PV segments) */
	if (cli_report_wants(rep, CLI_FT_PVSEG | CLI_FT_LV) && row->n_pvsegs) {
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

int cli_rows_vg_table(struct tb_ctx *ctx, const char *const *vgs, size_t n, struct cli_report **ret)
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

void cli_rows_join_vg(struct cli_report *rep, size_t i, const struct cli_report *vgt, const char *vg)
{
	for (size_t k = 0; vgt && vg && k < cli_report_n_rows(vgt); k++) {
		const char *n = cli_report_get_str(vgt, k, "vg_name");
		if (n && streq(n, vg)) {
			cli_report_copy_row(rep, i, vgt, k, CLI_FT_VG);
			return;
		}
	}
}

/* ---------------------------------------------------------------- lvm fullreport */

enum {
	F_VERBOSE = 1,
	F_DEBUG,
	F_QUIET,
	F_YES,
	F_CONFIG,
	F_UNITS,
	F_NOSUFFIX,
	F_RFORMAT,
	F_NOHEAD,
	F_SEP,
	F_ALIGNED,
	F_UNBUF,
	F_BINARY,
	F_NAMEPREFIX,
	F_SELECT,
	F_READONLY,
	F_TRACE,
	F_ROWS,
	F_SORT,
	F_SHARED,
	F_FOREIGN,
};

static const struct cli_option full_opts[] = {
	{ F_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ F_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ F_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ F_YES, 'y', "yes", CLI_OPT_FLAG, 0 },
	{ F_CONFIG, 0, "config", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ F_UNITS, 0, "units", CLI_OPT_UNITS, 0 },
	{ F_NOSUFFIX, 0, "nosuffix", CLI_OPT_FLAG, 0 },
	{ F_RFORMAT, 0, "reportformat", CLI_OPT_STR, 0 },
	{ F_NOHEAD, 0, "noheadings", CLI_OPT_FLAG, 0 },
	{ F_SEP, 0, "separator", CLI_OPT_STR, 0 },
	{ F_ALIGNED, 0, "aligned", CLI_OPT_FLAG, 0 },
	{ F_UNBUF, 0, "unbuffered", CLI_OPT_FLAG, 0 },
	{ F_BINARY, 0, "binary", CLI_OPT_FLAG, 0 },
	{ F_NAMEPREFIX, 0, "nameprefixes", CLI_OPT_FLAG, 0 },
	{ F_SELECT, 'S', "select", CLI_OPT_STR, 0 },
	{ F_READONLY, 0, "readonly", CLI_OPT_FLAG, 0 },
	{ F_TRACE, 0, "trace", CLI_OPT_FLAG, 0 },
	{ F_ROWS, 0, "rows", CLI_OPT_FLAG, 0 },
	{ F_SORT, 'O', "sort", CLI_OPT_STR, 0 },
	{ F_SHARED, 0, "shared", CLI_OPT_FLAG, 0 },
	{ F_FOREIGN, 0, "foreign", CLI_OPT_FLAG, 0 },
};

enum { SUB_VG, SUB_PV, SUB_LV, SUB_PVSEG, SUB_SEG, N_SUB };
static const char *const sub_names[N_SUB] = { "vg", "pv", "lv", "pvseg", "seg" };
static const struct cli_report_type *const sub_types[N_SUB] = {
	&cli_report_full_vg,    &cli_report_full_pv,  &cli_report_full_lv,
	&cli_report_full_pvseg, &cli_report_full_seg,
};

struct full_ud {
	struct cli_report *rep[N_SUB];
	const char *vg;
};

static int full_pv_row(void *userdata, const struct tb_pv_row *row)
{
	struct full_ud *u = userdata;
	size_t i;
	int r;

	if (!row->vg || !streq(row->vg, u->vg))
		return 0;
	if ((r = cli_report_add_row(u->rep[SUB_PV], &i)) < 0)
		return r;
	cli_report_set_str(u->rep[SUB_PV], i, "pv_name", row->name);
	cli_report_set_str(u->rep[SUB_PV], i, "vg_name", row->vg);
	cli_report_set_str(u->rep[SUB_PV], i, "pv_fmt", row->fmt);
	cli_report_set_str(u->rep[SUB_PV], i, "pv_attr", row->attr);
	cli_report_set_str(u->rep[SUB_PV], i, "pv_uuid", row->uuid);
	cli_report_set_size(u->rep[SUB_PV], i, "pv_size", row->size);
	cli_report_set_size(u->rep[SUB_PV], i, "pv_free", row->free);
	cli_report_set_size(u->rep[SUB_PV], i, "dev_size", row->dev_size);
	cli_report_set_size(u->rep[SUB_PV], i, "pe_start", row->pe_start);
	cli_report_set_num(u->rep[SUB_PV], i, "pv_pe_count", row->pe_count);
	cli_report_set_num(u->rep[SUB_PV], i, "pv_pe_alloc_count", row->pe_alloc);
	cli_rows_set_rf(u->rep[SUB_PV], i, row->fields, row->n_fields);
	for (size_t s = 0; s < row->n_pvsegs; s++) {
		if ((r = cli_report_add_row(u->rep[SUB_PVSEG], &i)) < 0)
			return r;
		cli_rows_set_rf(u->rep[SUB_PVSEG], i, row->pvsegs[s].fields,
				row->pvsegs[s].n_fields);
	}
	return 0;
}

static int full_lv_row(void *userdata, const struct tb_lv_row *row)
{
	struct full_ud *u = userdata;
	struct tb_lv_row plain = *row;
	int r;

	plain.n_segs = 0; /* the lv report has one row per LV */
	if ((r = cli_rows_add_lv(u->rep[SUB_LV], &plain, row->name)) < 0)
		return r;
	for (size_t s = 0; s < row->n_segs; s++) {
		size_t i;
		if ((r = cli_report_add_row(u->rep[SUB_SEG], &i)) < 0)
			return r;
		cli_report_set_str(u->rep[SUB_SEG], i, "lv_uuid", row->uuid);
		cli_report_set_str(u->rep[SUB_SEG], i, "lv_name", row->name);
		cli_report_set_str(u->rep[SUB_SEG], i, "vg_name", row->vg);
		cli_rows_set_rf(u->rep[SUB_SEG], i, row->segs[s].fields, row->segs[s].n_fields);
	}
	return 0;
}

static int full_vg_row(void *userdata, const struct tb_vg_row *row)
{
	struct full_ud *u = userdata;
	return cli_rows_add_vg(u->rep[SUB_VG], row);
}

struct name_list {
	char **v;
	size_t n;
};

static int collect_vg(void *userdata, const struct tb_vg_row *row)
{
	struct name_list *l = userdata;
	char **n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	l->v = n;
	if (!(l->v[l->n] = strdup(row->name)))
		return -ENOMEM;
	l->n++;
	return 0;
}

static void print_basic_sub(struct cli_report *rep)
{
	cli_report_print(rep, stdout);
}

/* lvm2 fullreport: for each VG its vg, pv, lv, pvseg and seg reports; --configreport NAME
 * selects which report the -o that follows applies to (lvm2 tools/reporter.c). */
static int cmd_fullreport(struct tb_ctx *ctx, int argc, char **argv)
{
	struct cli_parsed *p = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	const char **cols[N_SUB] = { 0 };
	size_t n_cols[N_SUB] = { 0 };
	int n_rest = 0, cur = -1, r, rc = CLI_OK;
	struct cli_report_opts ro = { 0 };
	struct name_list vgs = { 0 };
	const char *fmt;

	if (!rest)
		return CLI_FAILED;
	for (int k = 0; k < N_SUB; k++)
		if (!(cols[k] = calloc((size_t)argc + 1, sizeof(*cols[k])))) {
			rc = CLI_FAILED;
			goto out;
		}
	rest[n_rest++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (!strcmp(a, "--configreport") || !strncmp(a, "--configreport=", 15)) {
			const char *name = a[14] == '=' ? a + 15 : (i + 1 < argc ? argv[++i] : "");
			cur = -1;
			for (int k = 0; k < N_SUB; k++)
				if (streq(name, sub_names[k]))
					cur = k;
			if (cur < 0) {
				cli_err("Invalid argument for --configreport: %s", name);
				cli_err("Error during parsing of command line.");
				rc = CLI_EINVAL;
				goto out;
			}
			continue;
		}
		if (!strcmp(a, "-o") || !strcmp(a, "--options"))
			val = i + 1 < argc ? argv[++i] : "";
		else if (!strncmp(a, "--options=", 10))
			val = a + 10;
		else if (!strncmp(a, "-o", 2))
			val = a + 2;
		if (val) {
			/* -o before any --configreport applies to the first report, as lvm2 */
			int k = cur < 0 ? SUB_VG : cur;
			cols[k][n_cols[k]++] = val;
			continue;
		}
		rest[n_rest++] = argv[i];
	}
	r = cli_options_parse("fullreport", full_opts, ARRAY_SIZE(full_opts), n_rest, rest, stderr,
			      &p);
	if (r) {
		rc = r;
		goto out;
	}
	if (cli_opt_isset(p, F_TRACE))
		setenv("THINBOX_TRACE", "1", 1);
	tb_ctx_set_report_include(ctx,
				  (cli_opt_isset(p, F_SHARED) ? TB_REPORT_SHARED : 0) |
					  (cli_opt_isset(p, F_FOREIGN) ? TB_REPORT_FOREIGN : 0));
	ro.noheadings = cli_opt_isset(p, F_NOHEAD);
	ro.nosuffix = cli_opt_isset(p, F_NOSUFFIX);
	ro.separator = cli_opt_str(p, F_SEP, NULL);
	ro.aligned = cli_opt_isset(p, F_ALIGNED);
	ro.units = cli_opt(p, F_UNITS)->count ? cli_opt(p, F_UNITS)->unit : 0;
	ro.binary = cli_opt_isset(p, F_BINARY);
	ro.nameprefixes = cli_opt_isset(p, F_NAMEPREFIX);
	ro.rows = cli_opt_isset(p, F_ROWS);
	fmt = cli_opt_str(p, F_RFORMAT, NULL);
	if (cli_report_format_parse(fmt, stderr, &ro.format) != CLI_OK) {
		rc = CLI_EINVAL;
		goto out;
	}
	r = tb_report_vgs(ctx, (const char *const *)p->pos, (size_t)p->n_pos, collect_vg, &vgs);
	if (r < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		rc = CLI_FAILED;
		goto out;
	}
	if (ro.format != CLI_REPORT_BASIC)
		printf("  {\n      \"report\": [\n");
	for (size_t v = 0; v < vgs.n && rc == CLI_OK; v++) {
		struct full_ud u = { .vg = vgs.v[v] };
		const char *one[1] = { vgs.v[v] };
		char *err = NULL;

		for (int k = 0; k < N_SUB && rc == CLI_OK; k++) {
			struct cli_report_opts o = ro;
			o.columns = n_cols[k] ? cols[k] : NULL;
			o.n_columns = n_cols[k];
			if (cli_report_new(sub_types[k], &o, &u.rep[k], &err) < 0) {
				cli_err("%s", err ? err : "out of memory");
				free(err);
				rc = CLI_EINVAL;
			}
		}
		if (rc == CLI_OK && ((r = tb_report_vgs(ctx, one, 1, full_vg_row, &u)) < 0 ||
				     (r = tb_report_pvs(ctx, NULL, 0, full_pv_row, &u)) < 0 ||
				     (r = tb_report_lvs(ctx, one, 1, false, full_lv_row, &u)) < 0)) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			rc = CLI_FAILED;
		}
		if (rc == CLI_OK && ro.format != CLI_REPORT_BASIC) {
			if (v)
				printf("          ,\n");
			printf("          {\n");
			for (int k = 0; k < N_SUB; k++) {
				if (k)
					printf("              ,\n");
				fflush(stdout);
				if (cli_report_print_json_section(u.rep[k], stdout) < 0)
					rc = CLI_FAILED;
			}
			printf("          }\n");
		} else if (rc == CLI_OK) {
			for (int k = 0; k < N_SUB; k++)
				if (n_cols[k] == 0 || cols[k][0][0] != ',')
					print_basic_sub(u.rep[k]);
		}
		for (int k = 0; k < N_SUB; k++)
			cli_report_free(u.rep[k]);
	}
	if (ro.format != CLI_REPORT_BASIC && rc == CLI_OK)
		printf("      ]\n  }\n");
	fflush(stdout);
out:
	for (size_t v = 0; v < vgs.n; v++)
		free(vgs.v[v]);
	free(vgs.v);
	for (int k = 0; k < N_SUB; k++)
		free(cols[k]);
	free(rest);
	cli_parsed_free(p);
	return rc;
}
CLI_COMMAND(fullreport, "fullreport", cmd_fullreport,
	    "report everything of each VG (lvm2 fullreport)");
