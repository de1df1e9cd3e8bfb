/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's report output (lvs/vgs/pvs). Layout rules from lvm2 2.03 libdm/libdm-report.c, units
 * from libdm/libdm-string.c dm_size_to_string, fields from lib/report/columns.h. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/macros.h"
#include "util/strbuf.h"

#include "cli/cli.h"
#include "cli/report.h"

#define S CLI_FIELD_STR
#define Z CLI_FIELD_SIZE
#define N CLI_FIELD_NUM
#define P CLI_FIELD_PERCENT

/* The vg fields that lvs and pvs can show too. */
#define VG_COMMON_FIELDS                                                                           \
	{ "vg_name", "VG", S, 0 }, { "vg_uuid", "VG UUID", S, 38 }, { "vg_attr", "Attr", S, 5 },   \
		{ "vg_size", "VSize", Z, 0 }, { "vg_free", "VFree", Z, 0 },                        \
		{ "vg_extent_size", "Ext", Z, 0 }

static const struct cli_report_field lv_fields[] = {
	{ "lv_name", "LV", S, 4 },
	{ "lv_full_name", "LV", S, 4 },
	{ "lv_path", "Path", S, 0 },
	{ "lv_dm_path", "DMPath", S, 0 },
	{ "lv_uuid", "LV UUID", S, 38 },
	{ "lv_attr", "Attr", S, 0 },
	{ "lv_size", "LSize", Z, 0 },
	{ "lv_layout", "Layout", S, 10 },
	{ "lv_role", "Role", S, 10 },
	{ "lv_active", "Active", S, 0 },
	{ "lv_profile", "LProfile", S, 0 },
	{ "lv_tags", "LV Tags", S, 0 },
	{ "lv_kernel_major", "KMaj", N, 0 },
	{ "lv_kernel_minor", "KMin", N, 0 },
	{ "origin", "Origin", S, 0 },
	{ "origin_size", "OSize", Z, 0 },
	{ "pool_lv", "Pool", S, 0 },
	{ "data_lv", "Data", S, 0 },
	{ "metadata_lv", "Meta", S, 0 },
	{ "move_pv", "Move", S, 0 },
	{ "mirror_log", "Log", S, 0 },
	{ "convert_lv", "Convert", S, 0 },
	{ "data_percent", "Data%", P, 6 },
	{ "snap_percent", "Snap%", P, 6 },
	{ "metadata_percent", "Meta%", P, 6 },
	{ "copy_percent", "Cpy%Sync", P, 0 },
	{ "sync_percent", "Cpy%Sync", P, 0 },
	{ "lv_metadata_size", "MSize", Z, 0 },
	{ "lv_when_full", "WhenFull", S, 15 },
	{ "segtype", "Type", S, 0 },
	{ "seg_count", "#Seg", N, 0 },
	{ "chunk_size", "Chunk", Z, 0 },
	{ "seg_size", "SSize", Z, 0 },
	{ "seg_pe_ranges", "PE Ranges", S, 0 },
	{ "devices", "Devices", S, 0 },
	{ "transaction_id", "TransId", N, 0 },
	{ "thin_id", "ThId", N, 0 },
	{ "discards", "Discards", S, 0 },
	{ "zero", "Zero", S, 0 },
	{ "seg_monitor", "Monitor", S, 0 },
	VG_COMMON_FIELDS,
};

static const struct cli_report_field vg_fields[] = {
	{ "vg_fmt", "Fmt", S, 0 },
	VG_COMMON_FIELDS,
	{ "vg_extent_count", "#Ext", N, 0 },
	{ "vg_free_count", "Free", N, 0 },
	{ "pv_count", "#PV", N, 0 },
	{ "lv_count", "#LV", N, 0 },
	{ "snap_count", "#SN", N, 0 },
	{ "vg_seqno", "Seq", N, 0 },
	{ "vg_mda_count", "#VMda", N, 0 },
	{ "vg_mda_used_count", "#VMdaUse", N, 0 },
	{ "vg_mda_free", "VMdaFree", Z, 9 },
	{ "vg_mda_size", "VMdaSize", Z, 9 },
	{ "vg_tags", "VG Tags", S, 0 },
	{ "vg_profile", "VProfile", S, 0 },
};

static const struct cli_report_field pv_fields[] = {
	{ "pv_fmt", "Fmt", S, 0 },
	{ "pv_uuid", "PV UUID", S, 38 },
	{ "dev_size", "DevSize", Z, 0 },
	{ "pv_name", "PV", S, 10 },
	{ "pv_mda_free", "PMdaFree", Z, 9 },
	{ "pv_mda_size", "PMdaSize", Z, 9 },
	{ "pe_start", "1st PE", Z, 7 },
	{ "pv_size", "PSize", Z, 0 },
	{ "pv_free", "PFree", Z, 0 },
	{ "pv_used", "Used", Z, 0 },
	{ "pv_attr", "Attr", S, 0 },
	{ "pv_pe_count", "PE", N, 3 },
	{ "pv_pe_alloc_count", "Alloc", N, 0 },
	{ "pv_tags", "PV Tags", S, 0 },
	{ "pv_mda_count", "#PMda", N, 0 },
	{ "pv_mda_used_count", "#PMdaUse", N, 0 },
	VG_COMMON_FIELDS,
};

#undef S
#undef Z
#undef N
#undef P

const struct cli_report_type cli_report_lvs = {
	.name = "lv",
	.prefix = "lv_",
	.fields = lv_fields,
	.n_fields = ARRAY_SIZE(lv_fields),
	.default_cols = "lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,"
			"metadata_percent,move_pv,mirror_log,copy_percent,convert_lv",
	.default_sort = "vg_name,lv_name",
};

const struct cli_report_type cli_report_vgs = {
	.name = "vg",
	.prefix = "vg_",
	.fields = vg_fields,
	.n_fields = ARRAY_SIZE(vg_fields),
	.default_cols = "vg_name,pv_count,lv_count,snap_count,vg_attr,vg_size,vg_free",
	.default_sort = "vg_name",
};

const struct cli_report_type cli_report_pvs = {
	.name = "pv",
	.prefix = "pv_",
	.fields = pv_fields,
	.n_fields = ARRAY_SIZE(pv_fields),
	.default_cols = "pv_name,vg_name,pv_fmt,pv_attr,pv_size,pv_free",
	.default_sort = "pv_name",
};

/* ---- formatting ---- */

/* lvm2's test !_close_enough(floorl(d), nearbyintl(d)) for 0 <= d < 2^53, without libm:
 * does round-half-even of d land above floor(d)? */
static bool rounds_up(double d)
{
	double fl = (double)(uint64_t)d, frac = d - fl;

	if (frac > 0.5)
		return true;
	if (frac < 0.5)
		return false;
	return ((uint64_t)fl & 1) != 0;
}

/* dm_size_to_string, DM_SIZE_UNIT column, use_si_units = 1. */
int cli_format_size(uint64_t sectors, char unit, bool suffix, char *buf, size_t len)
{
	static const char pow1000[] = "EPTGMK", pow1024[] = "eptgmk", special[] = "BUS";
	const char *p, *sfx = NULL, *prefix = "";
	unsigned __int128 bytes; /* sectors * 512 does not fit 64 bits above 2^55 sectors */
	uint64_t byte, units;
	int precision;
	char one[2] = { 0, 0 };
	bool human = false;
	unsigned s;

	if (!unit)
		return -EINVAL;
	if ((p = strchr(pow1000, unit))) {
		s = (unsigned)(p - pow1000);
		one[0] = pow1000[s];
		byte = 1;
		for (unsigned i = s; i < 6; i++)
			byte *= 1000;
	} else if ((p = strchr(pow1024, unit))) {
		s = (unsigned)(p - pow1024);
		one[0] = pow1024[s];
		byte = 1;
		for (unsigned i = s; i < 6; i++)
			byte *= 1024;
	} else if ((p = strchr(special, toupper((unsigned char)unit))) && *p != 'U') {
		one[0] = *p;
		byte = *p == 'B' ? 1 : 512;
	} else if (strchr("hHrR", unit)) {
		human = true;
		byte = 0;
	} else {
		return -EINVAL;
	}

	if (sectors == 0) {
		/* lvm2's BASE_UNKNOWN suffix for human units is a single blank. */
		return snprintf(buf, len, "0%s", suffix ? (human ? " " : one) : "");
	}

	bytes = (unsigned __int128)sectors * 512;
	if (human) {
		bool si = unit == 'H' || unit == 'R';
		units = si ? 1000 : 1024;
		byte = units * units * units * units * units * units;
		for (s = 0; s < 6 && bytes < byte; s++)
			byte /= units;
		one[0] = s < 6 ? (si ? pow1000 : pow1024)[s] : (si ? 'B' : 'b');
		if (s < 6 && (unit == 'R' || unit == 'r')) {
			/* '<' when the two-decimal rounding went up (dm_size_to_string). */
			double d = 100. * (double)bytes / (double)byte;
			if (rounds_up(d))
				prefix = "<";
		}
		suffix = true;
	}
	sfx = suffix ? one : "";
	precision = (toupper((unsigned char)one[0]) == 'B' || toupper((unsigned char)one[0]) == 'S') ? 0 : 2;
	return snprintf(buf, len, "%s%.*f%s", prefix, precision, (double)bytes / (double)byte, sfx);
}

#define PERCENT_1 1000000
#define PERCENT_100 (100 * PERCENT_1)

/* dm_make_percent: dm_percent_t in millionths of a percent. */
static int32_t make_percent(uint64_t num, uint64_t den)
{
	double v;
	int32_t p;

	if (!den || num == den)
		return PERCENT_100;
	if (!num)
		return 0;
	v = PERCENT_100 * ((double)num / (double)den);
	p = v >= (double)INT32_MAX ? INT32_MAX : (int32_t)v;
	if (p == PERCENT_100)
		return PERCENT_100 - 1;
	if (p == 0)
		return 1;
	return p;
}

/* dm_percent_to_round_float(percent, 2), in float as lvm2 computes it. */
static float percent_round2(int32_t percent)
{
	float f = (float)percent / PERCENT_1 + 0.f;
	float r = PERCENT_1 * .01f;

	if (percent < r && percent > 0)
		f = .01f;
	else if (percent > (PERCENT_100 - r) && percent < PERCENT_100)
		f = (float)(PERCENT_100 - r) / PERCENT_1;
	return f;
}

int cli_format_percent(uint64_t numerator, uint64_t denominator, char *buf, size_t len)
{
	return snprintf(buf, len, "%.2f", (double)percent_round2(make_percent(numerator, denominator)));
}

/* ---- attribute strings ---- */

static char attr_char(char c, const char *allowed, bool *ok)
{
	if (!c)
		return '-';
	if (c == '-' || strchr(allowed, c))
		return c;
	*ok = false;
	return '?';
}

int cli_lv_attr_format(const struct cli_lv_attr *a, char ret[static 11])
{
	char out[11];
	bool ok = true;

	out[0] = attr_char(a->type, "CmMoOrRsSpviIlcVtTdDe", &ok);
	out[1] = attr_char(a->perm, "wrR", &ok);
	out[2] = attr_char(a->alloc, "acilnACILN", &ok);
	out[3] = a->fixed_minor ? 'm' : '-';
	out[4] = attr_char(a->state, "ahsISmMdicCX", &ok);
	out[5] = attr_char(a->open, "oX", &ok);
	out[6] = attr_char(a->target, "CmrstuvdV", &ok);
	out[7] = a->zero ? 'z' : '-';
	out[8] = attr_char(a->health, "prmwXFDME", &ok);
	out[9] = a->skip_activation ? 'k' : '-';
	out[10] = '\0';
	if (!ok)
		return -EINVAL;
	memcpy(ret, out, sizeof(out));
	return 0;
}

int cli_vg_attr_format(const struct cli_vg_attr *a, char ret[static 7])
{
	char out[7];
	bool ok = true;

	out[0] = a->read_only ? 'r' : 'w';
	out[1] = a->resizeable ? 'z' : '-';
	out[2] = a->exported ? 'x' : '-';
	out[3] = a->partial ? 'p' : '-';
	out[4] = attr_char(a->alloc, "cltnai", &ok);
	out[5] = attr_char(a->cluster, "cs", &ok);
	out[6] = '\0';
	if (!ok)
		return -EINVAL;
	memcpy(ret, out, sizeof(out));
	return 0;
}

int cli_pv_attr_format(const struct cli_pv_attr *a, char ret[static 4])
{
	bool ok = true;
	char c = attr_char(a->alloc, "aud", &ok);

	if (!ok)
		return -EINVAL;
	ret[0] = c;
	ret[1] = a->exported ? 'x' : '-';
	ret[2] = a->missing ? 'm' : '-';
	ret[3] = '\0';
	return 0;
}

/* ---- the report ---- */

enum cell_kind { CELL_UNSET = 0, CELL_STR, CELL_U64, CELL_PERCENT };

struct cell {
	enum cell_kind kind;
	char *str;      /* CELL_STR: display string (owned) */
	char *sort_key; /* CELL_STR: sort string if it differs (owned) */
	uint64_t u64;   /* CELL_U64: sectors or number */
	int32_t percent;
};

struct sort_key {
	size_t field;
	bool descending;
};

struct cli_report {
	const struct cli_report_type *type;
	struct cli_report_opts opts;
	char units;
	size_t *cols; /* field indexes shown, in order */
	size_t n_cols;
	struct sort_key *keys;
	size_t n_keys;
	struct cell *cells; /* n_rows * n_slots */
	size_t n_rows, cap_rows;
	/* Only the fields shown or sorted on are stored (at tens of thousands of rows a cell for
	 * every field of the type was most of the command's memory): slot[f] is field f's index
	 * in a row, -1 when it is not stored (its setters then write to scratch). Made by the
	 * first cli_report_add_row, after the columns and sort keys are known. */
	int *slot;
	size_t n_slots;
	struct cell scratch;
};

_printf_(2, 3) static int set_err(char **ret_err, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (!ret_err)
		return -EINVAL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	*ret_err = msg;
	return -EINVAL;
}

/* lvm2 canonical names: '_' dropped, case ignored (_get_canonical_field_name). */
static bool canon_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && a[i] == '_')
			i++;
		while (j < blen && b[j] == '_')
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
			return false;
		i++;
		j++;
	}
}

/* lvm2 _is_same_field: exact (canonical) match, or the id minus the type's prefix. */
static int field_lookup(const struct cli_report_type *t, const char *name, size_t len)
{
	size_t plen = strlen(t->prefix);

	for (size_t f = 0; f < t->n_fields; f++)
		if (canon_eq(t->fields[f].id, strlen(t->fields[f].id), name, len))
			return (int)f;
	for (size_t f = 0; f < t->n_fields; f++) {
		const char *id = t->fields[f].id;
		if (strncasecmp(id, t->prefix, plen) == 0 &&
		    canon_eq(id + plen, strlen(id) - plen, name, len))
			return (int)f;
	}
	return -1;
}

/* Field lookup by id: every cell of every row goes through here, so tens of thousands of rows
 * made a linear scan of the field table per cell the report's main cost (issue 13). A hash of
 * each report type's ids, built on first use (a few types per process). */
struct field_hash {
	const struct cli_report_type *t;
	int *slot; /* field index + 1, 0 = empty */
	size_t cap;
};

static size_t id_hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static int exact_field_scan(const struct cli_report_type *t, const char *id)
{
	for (size_t f = 0; f < t->n_fields; f++)
		if (streq(t->fields[f].id, id))
			return (int)f;
	return -1;
}

static int exact_field(const struct cli_report_type *t, const char *id)
{
	static struct field_hash cache[8];
	struct field_hash *h = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(cache) && !h; i++)
		if (cache[i].t == t)
			h = &cache[i];
	for (size_t i = 0; i < ARRAY_SIZE(cache) && !h; i++)
		if (!cache[i].t) {
			size_t cap = 16;
			while (cap < 4 * t->n_fields)
				cap *= 2;
			if (!(cache[i].slot = calloc(cap, sizeof(int))))
				return exact_field_scan(t, id);
			for (size_t f = 0; f < t->n_fields; f++) {
				size_t k = id_hash(t->fields[f].id) & (cap - 1);
				while (cache[i].slot[k])
					k = (k + 1) & (cap - 1);
				cache[i].slot[k] = (int)f + 1;
			}
			cache[i].cap = cap;
			cache[i].t = t;
			h = &cache[i];
		}
	if (!h)
		return exact_field_scan(t, id);
	for (size_t k = id_hash(id) & (h->cap - 1); h->slot[k]; k = (k + 1) & (h->cap - 1)) {
		int f = h->slot[k] - 1;
		if (streq(t->fields[f].id, id))
			return f; /* the first of equal ids is inserted first: found first */
	}
	return -1;
}

static int cols_add(struct cli_report *rep, size_t f)
{
	size_t *n = realloc(rep->cols, (rep->n_cols + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	n[rep->n_cols++] = f;
	rep->cols = n;
	return 0;
}

/* Apply one -o argument: replace, "+" append or "-" remove (lvm2 tools/reporter.c). */
static int apply_columns(struct cli_report *rep, const char *arg, char **ret_err)
{
	const struct cli_report_type *t = rep->type;
	char mode = (*arg == '+' || *arg == '-') ? *arg++ : '=';
	const char *we = arg;

	if (mode == '=')
		rep->n_cols = 0;
	while (*we) {
		const char *ws;
		int f, r;

		while (*we == ',')
			we++;
		ws = we;
		while (*we && *we != ',')
			we++;
		if (we == ws)
			break;
		f = field_lookup(t, ws, (size_t)(we - ws));
		if (f < 0)
			return set_err(ret_err, "Unrecognised field: %.*s", (int)(we - ws), ws);
		if (mode == '-') {
			size_t k = 0;
			for (size_t i = 0; i < rep->n_cols; i++)
				if (rep->cols[i] != (size_t)f)
					rep->cols[k++] = rep->cols[i];
			rep->n_cols = k;
		} else if ((r = cols_add(rep, (size_t)f)) < 0) {
			return r;
		}
	}
	return 0;
}

static int parse_sort(struct cli_report *rep, const char *keys, char **ret_err)
{
	const char *we = keys;

	while (*we) {
		const char *ws;
		bool desc = false;
		struct sort_key *n;
		int f;

		while (*we == ',')
			we++;
		if (*we == '+' || *we == '-')
			desc = *we++ == '-';
		ws = we;
		while (*we && *we != ',')
			we++;
		if (we == ws)
			break;
		f = field_lookup(rep->type, ws, (size_t)(we - ws));
		if (f < 0)
			return set_err(ret_err, "Unrecognised field: %.*s", (int)(we - ws), ws);
		n = realloc(rep->keys, (rep->n_keys + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		n[rep->n_keys++] = (struct sort_key){ (size_t)f, desc };
		rep->keys = n;
	}
	return 0;
}

int cli_report_new(const struct cli_report_type *type, const struct cli_report_opts *opts,
		   struct cli_report **ret, char **ret_err)
{
	static const struct cli_report_opts no_opts;
	struct cli_report *rep;
	int r;

	if (!opts)
		opts = &no_opts;
	if (ret_err)
		*ret_err = NULL;
	rep = calloc(1, sizeof(*rep));
	if (!rep)
		return -ENOMEM;
	rep->type = type;
	rep->opts = *opts;
	rep->units = opts->units ? opts->units : 'r';
	if (!strchr("hHrRbBsSkKmMgGtTpPeE", rep->units)) {
		r = set_err(ret_err, "Invalid units specification '%c'.", rep->units);
		goto fail;
	}

	r = apply_columns(rep, type->default_cols, ret_err);
	for (size_t i = 0; r == 0 && i < opts->n_columns; i++)
		r = apply_columns(rep, opts->columns[i], ret_err);
	if (r == 0)
		r = parse_sort(rep, opts->sort ? opts->sort : type->default_sort, ret_err);
	if (r < 0)
		goto fail;
	*ret = rep;
	return 0;
fail:
	cli_report_free(rep);
	return r;
}

static void cell_clear(struct cell *c)
{
	free(c->str);
	free(c->sort_key);
	*c = (struct cell){ 0 };
}

struct cli_report *cli_report_free(struct cli_report *rep)
{
	if (!rep)
		return NULL;
	for (size_t i = 0; i < rep->n_rows * rep->n_slots; i++)
		cell_clear(&rep->cells[i]);
	cell_clear(&rep->scratch);
	free(rep->cells);
	free(rep->slot);
	free(rep->cols);
	free(rep->keys);
	free(rep);
	return NULL;
}

static int make_slots(struct cli_report *rep)
{
	size_t nf = rep->type->n_fields;

	if (!(rep->slot = malloc((nf ? nf : 1) * sizeof(*rep->slot))))
		return -ENOMEM;
	for (size_t f = 0; f < nf; f++)
		rep->slot[f] = -1;
	for (size_t c = 0; c < rep->n_cols; c++)
		if (rep->slot[rep->cols[c]] < 0)
			rep->slot[rep->cols[c]] = (int)rep->n_slots++;
	for (size_t k = 0; k < rep->n_keys; k++)
		if (rep->slot[rep->keys[k].field] < 0)
			rep->slot[rep->keys[k].field] = (int)rep->n_slots++;
	return 0;
}

/* The stored cell of field @f in @row (NULL when the field is not stored). */
static struct cell *slot_cell(const struct cli_report *rep, size_t row, size_t f)
{
	int s = rep->slot ? rep->slot[f] : -1;
	return s < 0 ? NULL : &rep->cells[row * rep->n_slots + (size_t)s];
}

int cli_report_add_row(struct cli_report *rep, size_t *ret_row)
{
	size_t nf;

	if (!rep->slot && make_slots(rep) < 0)
		return -ENOMEM;
	nf = rep->n_slots ? rep->n_slots : 1;

	if (rep->n_rows == rep->cap_rows) {
		size_t cap = rep->cap_rows ? rep->cap_rows * 2 : 16;
		struct cell *n = realloc(rep->cells, cap * nf * sizeof(*n));
		if (!n)
			return -ENOMEM;
		rep->cells = n;
		rep->cap_rows = cap;
	}
	memset(&rep->cells[rep->n_rows * nf], 0, nf * sizeof(struct cell));
	*ret_row = rep->n_rows++;
	return 0;
}

static int cell_get(struct cli_report *rep, size_t row, const char *id, int kind, struct cell **ret)
{
	int f = exact_field(rep->type, id);

	if (f < 0 || (kind >= 0 && rep->type->fields[f].kind != (enum cli_field_kind)kind))
		return -EINVAL;
	if (row >= rep->n_rows)
		return -ERANGE;
	*ret = slot_cell(rep, row, (size_t)f);
	if (!*ret) /* neither shown nor sorted on: set and forgotten */
		*ret = &rep->scratch;
	return 0;
}

int cli_report_set_name(struct cli_report *rep, size_t row, const char *id, const char *display,
			const char *sort_key)
{
	struct cell *c;
	char *s, *k = NULL;
	int r = cell_get(rep, row, id, -1, &c);

	if (r < 0)
		return r;
	s = strdup(display ? display : "");
	if (sort_key && !streq(sort_key, s ? s : "") && !(k = strdup(sort_key))) {
		free(s);
		return -ENOMEM;
	}
	if (!s)
		return -ENOMEM;
	cell_clear(c);
	c->kind = CELL_STR;
	c->str = s;
	c->sort_key = k;
	return 0;
}

int cli_report_set_str(struct cli_report *rep, size_t row, const char *id, const char *s)
{
	return cli_report_set_name(rep, row, id, s, NULL);
}

static int set_u64(struct cli_report *rep, size_t row, const char *id, enum cli_field_kind kind,
		   uint64_t v)
{
	struct cell *c;
	int r = cell_get(rep, row, id, (int)kind, &c);

	if (r < 0)
		return r;
	cell_clear(c);
	c->kind = CELL_U64;
	c->u64 = v;
	return 0;
}

int cli_report_set_size(struct cli_report *rep, size_t row, const char *id, uint64_t sectors)
{
	return set_u64(rep, row, id, CLI_FIELD_SIZE, sectors);
}

int cli_report_set_num(struct cli_report *rep, size_t row, const char *id, uint64_t value)
{
	return set_u64(rep, row, id, CLI_FIELD_NUM, value);
}

int cli_report_set_percent(struct cli_report *rep, size_t row, const char *id, uint64_t numerator,
			   uint64_t denominator)
{
	struct cell *c;
	int r = cell_get(rep, row, id, CLI_FIELD_PERCENT, &c);

	if (r < 0)
		return r;
	cell_clear(c);
	c->kind = CELL_PERCENT;
	c->percent = make_percent(numerator, denominator);
	return 0;
}

/* The display string of a cell (owned by the caller) or NULL on ENOMEM. */
static char *cell_render(const struct cli_report *rep, const struct cli_report_field *fld,
			 const struct cell *c)
{
	char buf[64];

	switch (c->kind) {
	case CELL_UNSET:
		return strdup("");
	case CELL_STR:
		return strdup(c->str);
	case CELL_PERCENT:
		snprintf(buf, sizeof(buf), "%.2f", (double)percent_round2(c->percent));
		return strdup(buf);
	case CELL_U64:
		if (fld->kind == CLI_FIELD_SIZE)
			cli_format_size(c->u64, rep->units, !rep->opts.nosuffix, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%" PRIu64, c->u64);
		return strdup(buf);
	}
	return strdup("");
}

static int cell_cmp(const struct cell *a, const struct cell *b)
{
	if (a->kind == CELL_UNSET || b->kind == CELL_UNSET)
		return (a->kind != CELL_UNSET) - (b->kind != CELL_UNSET);
	if (a->kind == CELL_STR && b->kind == CELL_STR)
		return strcmp(a->sort_key ? a->sort_key : a->str, b->sort_key ? b->sort_key : b->str);
	if (a->kind == CELL_STR || b->kind == CELL_STR) /* mixed: strings last */
		return (a->kind == CELL_STR) - (b->kind == CELL_STR);
	if (a->kind == CELL_PERCENT)
		return (a->percent > b->percent) - (a->percent < b->percent);
	return (a->u64 > b->u64) - (a->u64 < b->u64);
}

static int row_cmp(const struct cli_report *rep, size_t ra, size_t rb)
{
	for (size_t k = 0; k < rep->n_keys; k++) {
		const struct sort_key *key = &rep->keys[k];
		int c = cell_cmp(slot_cell(rep, ra, key->field), slot_cell(rep, rb, key->field));
		if (c)
			return key->descending ? -c : c;
	}
	return (ra > rb) - (ra < rb); /* stable */
}

/* Insertion sort of row indexes: reports are small and this keeps it stable and reentrant. */
static void sort_rows(const struct cli_report *rep, size_t *order)
{
	for (size_t i = 1; i < rep->n_rows; i++) {
		size_t v = order[i], j = i;
		while (j > 0 && row_cmp(rep, order[j - 1], v) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
}

static void json_str(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_appendc(sb, '\\');
		strbuf_appendc(sb, *s);
	}
	strbuf_appendc(sb, '"');
}

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		strbuf_appendc(sb, ' ');
}

/* "%-*.*s" / "%*.*s" with width w. */
static void aligned_field(struct strbuf *sb, const char *s, size_t w, bool right)
{
	size_t l = strlen(s);

	if (l > w)
		l = w;
	if (right)
		pad(sb, w - l);
	strbuf_appendn(sb, s, l);
	if (!right)
		pad(sb, w - l);
}

static void print_basic(const struct cli_report *rep, char **text, const size_t *order,
			struct strbuf *sb)
{
	const struct cli_report_type *t = rep->type;
	bool aligned = !rep->opts.separator || rep->opts.aligned;
	const char *sep = rep->opts.separator ? rep->opts.separator : " ";
	size_t *width;

	if (rep->n_rows == 0) /* lvm2 prints nothing, not even headings */
		return;
	width = calloc(rep->n_cols ? rep->n_cols : 1, sizeof(*width));
	if (!width) {
		sb->failed = true;
		return;
	}
	for (size_t c = 0; c < rep->n_cols; c++) {
		const struct cli_report_field *f = &t->fields[rep->cols[c]];
		width[c] = f->width ? f->width : strlen(f->heading);
		for (size_t r = 0; r < rep->n_rows; r++)
			width[c] = MAX(width[c], strlen(text[r * rep->n_cols + c]));
	}

	if (!rep->opts.noheadings) {
		strbuf_append(sb, "  ");
		for (size_t c = 0; c < rep->n_cols; c++) {
			const char *h = t->fields[rep->cols[c]].heading;
			if (c)
				strbuf_append(sb, sep);
			if (aligned)
				aligned_field(sb, h, width[c], false);
			else
				strbuf_append(sb, h);
		}
		strbuf_appendc(sb, '\n');
	}
	for (size_t i = 0; i < rep->n_rows; i++) {
		size_t r = order[i];
		strbuf_append(sb, "  ");
		for (size_t c = 0; c < rep->n_cols; c++) {
			const char *v = text[r * rep->n_cols + c];
			enum cli_field_kind k = t->fields[rep->cols[c]].kind;
			if (c)
				strbuf_append(sb, sep);
			/* lvm2 right-aligns only NUMBER and SIZE fields; percents go left. */
			if (aligned)
				aligned_field(sb, v, width[c], k == CLI_FIELD_NUM || k == CLI_FIELD_SIZE);
			else
				strbuf_append(sb, v);
		}
		strbuf_appendc(sb, '\n');
	}
	free(width);
}

/* lvm2's JSON layout: every line has lvm2's two-space log prefix, then 4-space indents. */
static void print_json(const struct cli_report *rep, char **text, const size_t *order,
		       struct strbuf *sb)
{
	const struct cli_report_type *t = rep->type;
	bool std = rep->opts.format == CLI_REPORT_JSON_STD;

	strbuf_append(sb, "  {\n");
	strbuf_append(sb, "      \"report\": [\n");
	strbuf_append(sb, "          {\n");
	strbuf_appendf(sb, "              \"%s\": [\n", t->name);
	for (size_t i = 0; i < rep->n_rows; i++) {
		size_t r = order[i];
		strbuf_append(sb, "                  {");
		for (size_t c = 0; c < rep->n_cols; c++) {
			const struct cli_report_field *f = &t->fields[rep->cols[c]];
			const char *v = text[r * rep->n_cols + c];
			bool numeric = f->kind == CLI_FIELD_NUM || f->kind == CLI_FIELD_PERCENT;
			if (c)
				strbuf_append(sb, ", ");
			json_str(sb, f->id);
			strbuf_appendc(sb, ':');
			if (std && numeric)
				strbuf_append(sb, *v ? v : "null");
			else
				json_str(sb, v);
		}
		strbuf_append(sb, i + 1 < rep->n_rows ? "},\n" : "}\n");
	}
	strbuf_append(sb, "              ]\n");
	strbuf_append(sb, "          }\n");
	strbuf_append(sb, "      ]\n");
	strbuf_append(sb, "  }\n");
}

int cli_report_print(struct cli_report *rep, FILE *out)
{
	const struct cli_report_type *t = rep->type;
	struct strbuf sb = { 0 };
	size_t n_text = rep->n_rows * rep->n_cols;
	char **text = calloc(n_text ? n_text : 1, sizeof(*text));
	size_t *order = calloc(rep->n_rows ? rep->n_rows : 1, sizeof(*order));
	int r = 0;

	if (!text || !order) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < rep->n_rows; i++) {
		order[i] = i;
		for (size_t c = 0; c < rep->n_cols; c++) {
			size_t f = rep->cols[c];
			char *s = cell_render(rep, &t->fields[f], slot_cell(rep, i, f));
			if (!s) {
				r = -ENOMEM;
				goto out;
			}
			text[i * rep->n_cols + c] = s;
		}
	}
	sort_rows(rep, order);

	if (rep->opts.format == CLI_REPORT_BASIC)
		print_basic(rep, text, order, &sb);
	else
		print_json(rep, text, order, &sb);
	if (!strbuf_ok(&sb)) {
		r = -ENOMEM;
		goto out;
	}
	if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		r = -EIO;
	if (r == 0 && fflush(out) != 0)
		r = -EIO;
out:
	for (size_t i = 0; text && i < n_text; i++)
		free(text[i]);
	free(text);
	free(order);
	strbuf_release(&sb);
	return r;
}

int cli_report_opts_from_args(const struct cli_parsed *p, FILE *err, struct cli_report_opts *ret)
{
	struct cli_report_opts o = { 0 };
	const struct cli_optval *v;
	const char *fmt = cli_opt_str(p, CLI_ROPT_REPORTFORMAT, NULL);

	if ((v = cli_opt(p, CLI_ROPT_OPTIONS)) && v->count) {
		o.columns = v->args;
		o.n_columns = v->count;
	}
	o.sort = cli_opt_str(p, CLI_ROPT_SORT, NULL);
	o.noheadings = cli_opt_isset(p, CLI_ROPT_NOHEADINGS);
	o.nosuffix = cli_opt_isset(p, CLI_ROPT_NOSUFFIX);
	o.separator = cli_opt_str(p, CLI_ROPT_SEPARATOR, NULL);
	o.aligned = cli_opt_isset(p, CLI_ROPT_ALIGNED);
	if ((v = cli_opt(p, CLI_ROPT_UNITS)) && v->count)
		o.units = v->unit;
	if (!fmt || streq(fmt, "basic")) {
		o.format = CLI_REPORT_BASIC;
	} else if (streq(fmt, "json")) {
		o.format = CLI_REPORT_JSON;
	} else if (streq(fmt, "json_std")) {
		o.format = CLI_REPORT_JSON_STD;
	} else {
		/* lvm2 tools/reporter.c */
		fprintf(err, "  %s: unknown report format.\n", fmt);
		fprintf(err, "  Supported report formats: basic, json, json_std.\n");
		return CLI_EINVAL;
	}
	*ret = o;
	return CLI_OK;
}
