/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's report engine (lvs, vgs, pvs output), as pure code writing to a FILE *.
 *
 * Mirrors lvm2 2.03: libdm/libdm-report.c (widths, alignment, separators, JSON shape, percent
 * rounding), libdm/libdm-string.c dm_size_to_string (units, '<' for rounded-up sizes),
 * lib/report/columns.h (field ids, headings, minimum widths) and lib/config/defaults.h
 * (default columns, sort keys, units "r").
 *
 * Use: pick a report type (cli_report_lvs, _vgs, _pvs, or your own), create a report with the
 * user's options, add one row per object and set every field you know (fields that are not
 * shown are ignored, so set them all; fields left unset print empty, as lvm2 prints an unknown
 * Data%), then print:
 *
 *	struct cli_report *rep;
 *	char *err;
 *	if (cli_report_new(&cli_report_lvs, &opts, &rep, &err) < 0) { cli_err("%s", err); ... }
 *	size_t row;
 *	cli_report_add_row(rep, &row);
 *	cli_report_set_name(rep, row, "lv_name", "[thinpool_tdata]", "thinpool_tdata");
 *	cli_report_set_size(rep, row, "lv_size", 7954432);
 *	cli_report_set_percent(rep, row, "data_percent", used_blocks, total_blocks);
 *	cli_report_print(rep, stdout);
 *	cli_report_free(rep);
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/args.h"

enum cli_field_kind {
	CLI_FIELD_STR = 0, /* left-aligned string */
	CLI_FIELD_SIZE,    /* uint64 sectors, shown in --units, right-aligned */
	CLI_FIELD_NUM,     /* uint64, right-aligned */
	CLI_FIELD_PERCENT, /* "%.2f" of an lvm2 dm_percent_t, left-aligned (as lvm2) */
	CLI_FIELD_BIN,  /* lvm2 BIN: the field's word or "", "1"/"0" with --binary; right-aligned */
	CLI_FIELD_LIST, /* string list (tags): left-aligned string */
	CLI_FIELD_TIME, /* seconds since the epoch, shown with report/time_format */
};

/* Which lvm2 object a field belongs to (lvm2 report types; lv_all = every CLI_FT_LV field). */
#define CLI_FT_LV 1u        /* LVS, LVSINFO, LVSSTATUS, LVSINFOSTATUS */
#define CLI_FT_VG 2u        /* VGS */
#define CLI_FT_PV 4u        /* PVS, LABEL */
#define CLI_FT_SEG 8u       /* SEGS */
#define CLI_FT_PVSEG 16u    /* PVSEGS */
#define CLI_FT_LVSTATUS 32u /* with CLI_FT_LV: lvm2 LVSSTATUS/LVSINFOSTATUS (kernel status) */

struct cli_report_field {
	const char *id;      /* lvm2 field name, e.g. "lv_name"; the JSON key */
	const char *heading; /* lvm2 column heading, e.g. "LV" */
	enum cli_field_kind kind;
	unsigned width;       /* lvm2's minimum width (columns.h); 0 = the heading's length */
	unsigned types;       /* CLI_FT_*; 0 = any */
	const char *bin_word; /* CLI_FIELD_BIN: what a set value shows ("active locally") */
};

/* Every field lvm2 2.03.16 knows, in lvm2's order (cli/report-fields.c). */
extern const struct cli_report_field cli_report_fields[];
extern const size_t cli_report_n_fields;

struct cli_report_type {
	const char *name;   /* JSON array name: "lv", "vg", "pv" */
	const char *prefix; /* lvm2 field prefix that may be omitted in -o: "lv_" */
	const struct cli_report_field *fields;
	size_t n_fields;
	const char *default_cols; /* lvm2 DEFAULT_LVS_COLS... */
	const char *default_sort; /* lvm2 DEFAULT_LVS_SORT...; "-" before a key = descending */
	unsigned allowed;         /* CLI_FT_* the report can show; 0 = every field of @fields */
};

/* lvs, vgs and pvs as lvm2 2.03 defines them (headings, widths, default columns and sort).
 * cli_report_lvs knows: lv_name lv_full_name lv_path lv_dm_path lv_uuid lv_attr lv_size
 * lv_layout lv_role lv_active lv_profile lv_tags lv_kernel_major lv_kernel_minor
 * origin origin_size pool_lv data_lv metadata_lv move_pv mirror_log convert_lv data_percent
 * snap_percent metadata_percent copy_percent sync_percent lv_metadata_size segtype
 * seg_count chunk_size seg_size seg_pe_ranges devices transaction_id thin_id discards zero
 * seg_monitor lv_when_full and the vg_ fields below (vg_name vg_uuid vg_size vg_free
 * vg_extent_size). cli_report_vgs: vg_name vg_uuid vg_attr vg_fmt vg_size vg_free
 * vg_extent_size vg_extent_count vg_free_count pv_count lv_count snap_count vg_seqno
 * vg_mda_count vg_mda_used_count vg_mda_free vg_mda_size vg_tags vg_profile. cli_report_pvs:
 * pv_name pv_uuid pv_fmt pv_attr pv_size pv_free pv_used dev_size pe_start pv_pe_count
 * pv_pe_alloc_count pv_mda_count pv_mda_used_count pv_mda_free pv_mda_size pv_tags and the
 * vg fields vg_name vg_uuid vg_attr vg_size vg_free vg_extent_size. */
extern const struct cli_report_type cli_report_lvs;
extern const struct cli_report_type cli_report_vgs;
extern const struct cli_report_type cli_report_pvs;
/* The sub-reports of `lvm fullreport` (lvm2 tools/reporter.c, report types of each VG). */
extern const struct cli_report_type cli_report_full_vg, cli_report_full_pv, cli_report_full_lv,
	cli_report_full_pvseg, cli_report_full_seg;

enum cli_report_format {
	CLI_REPORT_BASIC = 0, /* columns */
	CLI_REPORT_JSON,      /* --reportformat json: every value a string */
	CLI_REPORT_JSON_STD,  /* --reportformat json_std: numbers/percents bare, empty -> null */
};

struct cli_report_opts {
	/* Each -o argument in order: "a,b" replaces the list, "+a,b" appends, "-a" removes.
	 * Field names are lvm2's: case-insensitive, '_' ignored, type prefix optional
	 * ("name" = "lv_name" in lvs). NULL/0 = the type's default columns. */
	const char *const *columns;
	size_t n_columns;
	const char *sort;      /* -O keys; NULL = the type's default sort */
	bool noheadings;       /* --noheadings */
	bool nosuffix;         /* --nosuffix (ignored for h/H/r/R units, as lvm2) */
	const char *separator; /* --separator; NULL = " " with aligned columns */
	bool aligned;          /* --aligned: pad columns even with a separator */
	char units;            /* --units char (see cli_format_size); 0 = 'r', lvm2's default */
	enum cli_report_format format;
	bool binary;             /* --binary: binary fields as 1/0 (-1 undefined) */
	bool nameprefixes;       /* --nameprefixes: LVM2_FIELD='value' */
	bool rows;               /* --rows: one output line per field */
	bool unbuffered;         /* --unbuffered: rows in the order added, not sorted */
	const char *select;      /* -S/--select expression (lvm2 selection syntax), NULL = all */
	const char *time_format; /* report/time_format (strftime); NULL = lvm2's default */
};

struct cli_report;

/* Parse the columns and sort keys. Returns 0 and *ret (caller frees with cli_report_free), or
 * -EINVAL with *ret_err = "Unrecognised field: foo" / "Invalid units ..." (caller frees;
 * ret_err may be NULL), or -ENOMEM. */
int cli_report_new(const struct cli_report_type *type, const struct cli_report_opts *opts,
		   struct cli_report **ret, char **ret_err);
struct cli_report *cli_report_free(struct cli_report *rep);

/* Append an empty row; *ret_row is its index for the setters. 0 or -ENOMEM. */
int cli_report_add_row(struct cli_report *rep, size_t *ret_row);

/* Setters: @id is the field id exactly as in the type's table (not an alias). They return 0,
 * -EINVAL for an id the type does not have (or set_size/num/percent on a field of another
 * kind), -ERANGE for a bad row, or -ENOMEM. Setting a field again replaces the value.
 * set_str works on any kind (e.g. "-1" for lv_kernel_major); the column keeps its alignment. */
int cli_report_set_str(struct cli_report *rep, size_t row, const char *id, const char *s);
/* A string shown as @display but sorted as @sort_key (lvm2 sorts "[thinpool_tdata]" as
 * "thinpool_tdata"). */
int cli_report_set_name(struct cli_report *rep, size_t row, const char *id, const char *display,
			const char *sort_key);
int cli_report_set_size(struct cli_report *rep, size_t row, const char *id, uint64_t sectors);
int cli_report_set_num(struct cli_report *rep, size_t row, const char *id, uint64_t value);
/* lvm2's percentage of @numerator / @denominator (dm_make_percent: 0 only when 0, 100 only
 * when equal; a zero denominator counts as 100%, as lvm2). */
int cli_report_set_percent(struct cli_report *rep, size_t row, const char *id, uint64_t numerator,
			   uint64_t denominator);

/* The same by field index (cli_report_field_indexes; -1: -EINVAL as an unknown id): a row
 * builder that sets dozens of fields per row of 10,000s looks its ids up once. */
int cli_report_put_str(struct cli_report *rep, size_t row, int field, const char *s);
int cli_report_put_name(struct cli_report *rep, size_t row, int field, const char *display,
			const char *sort_key);
int cli_report_put_size(struct cli_report *rep, size_t row, int field, uint64_t sectors);
int cli_report_put_num(struct cli_report *rep, size_t row, int field, uint64_t value);
int cli_report_put_percent(struct cli_report *rep, size_t row, int field, uint64_t numerator,
			   uint64_t denominator);
/* The report's type, and the index in @t's table of each of @ids (-1 when it has none). */
const struct cli_report_type *cli_report_type_of(const struct cli_report *rep);
void cli_report_field_indexes(const struct cli_report_type *t, const char *const *ids, size_t n,
			      int *ret);

/* Binary field: 1, 0, or -1 (undefined: "unknown", -1 with --binary). */
int cli_report_set_bin(struct cli_report *rep, size_t row, const char *id, int v);
/* Time field: seconds since the epoch. */
int cli_report_set_time(struct cli_report *rep, size_t row, const char *id, int64_t t);
/* Does the report show (or select on) a field of one of the CLI_FT_* @types? */
bool cli_report_wants(const struct cli_report *rep, unsigned types);
/* The same, not counting the field @except (e.g. "vg_name", which every row has anyway). */
bool cli_report_wants_other(const struct cli_report *rep, unsigned types, const char *except);
/* Copy the cells of row @srow of @src that belong to @types into row @drow of @dst (both
 * reports use cli_report_fields). */
int cli_report_copy_row(struct cli_report *dst, size_t drow, const struct cli_report *src,
			size_t srow, unsigned types);
size_t cli_report_n_rows(const struct cli_report *rep);
/* Does the report keep field @id (shown, sorted or selected on, or a name rows are looked up
 * by)? The set calls ignore the other fields: a row stores only what the report reads. */
bool cli_report_stores(struct cli_report *rep, const char *id);
/* The string value of a cell (for joins): NULL when unset, not stored or not a string. */
const char *cli_report_get_str(const struct cli_report *rep, size_t row, const char *id);

/* Print a report with no header/footer of its own into an lvm2 fullreport JSON group:
 * "name": [ rows ] at lvm2's indent (for cli fullreport). */
int cli_report_print_json_section(struct cli_report *rep, FILE *out);

/* Sort the rows, then write the report. 0, -ENOMEM or -EIO (write error). */
int cli_report_print(struct cli_report *rep, FILE *out);

/* ---- pure formatting helpers ---- */

/* lvm2 dm_size_to_string with DM_SIZE_UNIT suffixes and si_unit_consistency=1 (the default):
 *   h r     human, powers of 1024, suffixes b k m g t p e ("3.79g"); r adds '<' when the
 *           shown value was rounded up ("<3.86g"), as lvm2's default "r" units do
 *   H R     human, powers of 1000, suffixes B K M G T P E
 *   b B     bytes "4290772992B"; s S sectors "8380416S"
 *   k m g t p e   fixed powers of 1024, two decimals ("3.79g")
 *   K M G T P E   fixed powers of 1000 ("4.07G")
 * @suffix false (--nosuffix) drops the unit letter except for h/H/r/R. Zero prints "0" plus
 * the unit letter, and "0 " for h/H/r/R (lvm2's blank human suffix).
 * Returns the length written (like snprintf, buffer always terminated when len > 0), or
 * -EINVAL for an unknown unit. */
int cli_format_size(uint64_t sectors, char unit, bool suffix, char *buf, size_t len);

/* lvm2's dm_make_percent + dm_percent_to_round_float(., 2) + "%.2f": "10.09", never "0.00"
 * for a non-zero numerator nor "100.00" unless full. Returns the length written. */
int cli_format_percent(uint64_t numerator, uint64_t denominator, char *buf, size_t len);

/* lvm2's 10-character lv_attr (lvs(8) "lv_attr bits"). A 0 char means '-'. */
struct cli_lv_attr {
	char type;  /* 1: t thin pool, V thin volume, T pool data, e pool metadata or pmspare,
		       * C cache, m/M mirror, o/O origin, r/R raid, s/S snapshot, p pvmove,
		       * v virtual, i/I image, l log, c converting, d/D vdo; 0 linear */
	char perm;  /* 2: w writeable, r read-only, R read-only activation of a rw LV */
	char alloc; /* 3: i inherit, n normal, c contiguous, l cling, a anywhere (upper = locked) */
	bool fixed_minor; /* 4: m */
	char state;       /* 5: a active, h historical, s suspended, I/S invalid snapshot, m/M merge
		       * failed, d no table, i inactive table, c/C check needed, X unknown */
	char open;        /* 6: o open, X unknown */
	char target;      /* 7: t thin, C cache, m mirror, r raid, s snapshot, u unknown, v virtual,
		       * d vdo */
	bool zero;        /* 8: z (newly-allocated blocks zeroed) */
	char health;      /* 9: p partial, r refresh, m mismatches, w writemostly, X unknown,
		       * F failed, D out of data space, M metadata read-only, E dm-writecache error */
	bool skip_activation; /* 10: k */
};
/* Returns 0 and the string in ret (11 bytes with NUL), or -EINVAL for a char lvm2 does not
 * use in that position. */
int cli_lv_attr_format(const struct cli_lv_attr *a, char ret[static 11]);

/* vg_attr (6 chars, vgs(8)): "wz--n-" for a writeable, resizeable VG with normal policy. */
struct cli_vg_attr {
	bool read_only;  /* 1: r instead of w */
	bool resizeable; /* 2: z */
	bool exported;   /* 3: x */
	bool partial;    /* 4: p */
	char alloc;      /* 5: n normal, c contiguous, l cling, a anywhere */
	char cluster;    /* 6: c clustered, s shared, 0 neither */
};
int cli_vg_attr_format(const struct cli_vg_attr *a, char ret[static 7]);

/* pv_attr (3 chars, pvs(8)): "a--" for an allocatable PV in a VG. */
struct cli_pv_attr {
	char alloc; /* 1: a allocatable, u used but not allocatable, d unused duplicate, 0 none */
	bool exported; /* 2: x */
	bool missing;  /* 3: m */
};
int cli_pv_attr_format(const struct cli_pv_attr *a, char ret[static 4]);

/* ---- the report options of lvs/vgs/pvs, for a command's option table ---- */

/* Option ids; large so they never clash with a command's short letters. */
enum {
	CLI_ROPT_OPTIONS = 0x10000, /* -o/--options, repeatable */
	CLI_ROPT_SORT,              /* -O/--sort */
	CLI_ROPT_NOHEADINGS,        /* --noheadings */
	CLI_ROPT_NOSUFFIX,          /* --nosuffix */
	CLI_ROPT_SEPARATOR,         /* --separator */
	CLI_ROPT_ALIGNED,           /* --aligned */
	CLI_ROPT_UNITS,             /* --units */
	CLI_ROPT_REPORTFORMAT,      /* --reportformat basic|json|json_std */
};

/* Entries to put in a command's struct cli_option array initializer:
 *	static const struct cli_option lvs_opts[] = { CLI_REPORT_OPTIONS, { 'a', 'a', "all", ... } };
 */
#define CLI_REPORT_OPTIONS                                                                         \
	{ CLI_ROPT_OPTIONS, 'o', "options", CLI_OPT_STR, CLI_OPTF_REPEATABLE },                    \
		{ CLI_ROPT_SORT, 'O', "sort", CLI_OPT_STR, 0 },                                    \
		{ CLI_ROPT_NOHEADINGS, 0, "noheadings", CLI_OPT_FLAG, 0 },                         \
		{ CLI_ROPT_NOSUFFIX, 0, "nosuffix", CLI_OPT_FLAG, 0 },                             \
		{ CLI_ROPT_SEPARATOR, 0, "separator", CLI_OPT_STR, 0 },                            \
		{ CLI_ROPT_ALIGNED, 0, "aligned", CLI_OPT_FLAG, 0 },                               \
		{ CLI_ROPT_UNITS, 0, "units", CLI_OPT_UNITS, 0 },                                  \
	{                                                                                          \
		CLI_ROPT_REPORTFORMAT, 0, "reportformat", CLI_OPT_STR, 0                           \
	}

/* Fill *ret from the CLI_REPORT_OPTIONS values in @p (those absent from @p's table count as
 * not given). Strings in *ret are borrowed from @p (valid until cli_parsed_free). An unknown
 * --reportformat prints lvm2's two messages to @err and returns CLI_EINVAL; else CLI_OK. */
int cli_report_opts_from_args(const struct cli_parsed *p, FILE *err, struct cli_report_opts *ret);
/* --reportformat @fmt (NULL: basic) as lvm2 2.03.16's reportformat_arg: "basic" or "json";
 * anything else, "json_std" included (lvm2 2.03.17's), prints lvm2's two command-line error
 * lines to @err and returns CLI_EINVAL (lvm2 exits 3). */
int cli_report_format_parse(const char *fmt, FILE *err, enum cli_report_format *ret);
