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
#include <time.h>
#include <regex.h>

#include "util/macros.h"
#include "util/strbuf.h"

#include "cli/cli.h"
#include "cli/report.h"

#define NF cli_report_n_fields

/* The report types: every one uses cli_report_fields (one field index space, so rows of one
 * report can be copied into another, e.g. a VG's fields into each of its LVs' rows). */

const struct cli_report_type cli_report_lvs = {
	.name = "lv",
	.prefix = "lv_",
	.fields = cli_report_fields,
	.default_cols = "lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,"
			"metadata_percent,move_pv,mirror_log,copy_percent,convert_lv",
	.default_sort = "vg_name,lv_name",
	.allowed = CLI_FT_LV | CLI_FT_SEG | CLI_FT_VG,
};

const struct cli_report_type cli_report_vgs = {
	.name = "vg",
	.prefix = "vg_",
	.fields = cli_report_fields,
	.default_cols = "vg_name,pv_count,lv_count,snap_count,vg_attr,vg_size,vg_free",
	.default_sort = "vg_name",
	.allowed = CLI_FT_VG | CLI_FT_PV,
};

const struct cli_report_type cli_report_pvs = {
	.name = "pv",
	.prefix = "pv_",
	.fields = cli_report_fields,
	.default_cols = "pv_name,vg_name,pv_fmt,pv_attr,pv_size,pv_free",
	.default_sort = "pv_name",
	.allowed = CLI_FT_PV | CLI_FT_VG | CLI_FT_PVSEG | CLI_FT_LV,
};

/* lvm2 tools/reporter.c _full_report_single: per VG the vg, pv, lv, pvseg and seg reports with
 * lib/config/defaults.h DEFAULT_*_COLS_FULL and sort keys. */
const struct cli_report_type cli_report_full_vg = {
	.name = "vg",
	.prefix = "vg_",
	.fields = cli_report_fields,
	.default_cols = "vg_all",
	.default_sort = "vg_name",
	.allowed = CLI_FT_VG,
};
const struct cli_report_type cli_report_full_pv = {
	.name = "pv",
	.prefix = "pv_",
	.fields = cli_report_fields,
	.default_cols = "pv_all",
	.default_sort = "pv_name",
	.allowed = CLI_FT_PV | CLI_FT_VG,
};
const struct cli_report_type cli_report_full_lv = {
	.name = "lv",
	.prefix = "lv_",
	.fields = cli_report_fields,
	.default_cols = "lv_all",
	.default_sort = "lv_name",
	.allowed = CLI_FT_LV | CLI_FT_VG,
};
const struct cli_report_type cli_report_full_pvseg = {
	.name = "pvseg",
	.prefix = "pvseg_",
	.fields = cli_report_fields,
	.default_cols = "pvseg_all,pv_uuid,lv_uuid",
	.default_sort = "pv_uuid,pvseg_start",
	.allowed = CLI_FT_PVSEG | CLI_FT_PV | CLI_FT_LV | CLI_FT_VG,
};
const struct cli_report_type cli_report_full_seg = {
	.name = "seg",
	.prefix = "seg_",
	.fields = cli_report_fields,
	.default_cols = "seg_all,lv_uuid",
	.default_sort = "",
	.allowed = CLI_FT_SEG | CLI_FT_LV | CLI_FT_VG,
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

/* "%s%.*f%s" of @bytes / @byte (precision 0 or 2) when the quotient is exact in those decimals
 * and below 2^40 (nearly every size a report shows): the same digits as printf's rounding of
 * the double quotient (its error is far below half a hundredth there), without vfprintf.
 * Returns snprintf's count, or -1 when not exact. */
static int format_exact(char *buf, size_t len, const char *prefix, unsigned __int128 bytes,
			uint64_t byte, int precision, const char *sfx)
{
	char t[64], digits[24];
	size_t n = 0, d = 0;
	uint64_t whole, hundredths_rest;

	if (bytes >> 57 == 0) { /* 64-bit arithmetic (no __int128 division) below 2^57 bytes */
		uint64_t b = (uint64_t)bytes, rest = b % byte * (precision ? 100 : 1);
		if (b / byte >= (1ull << 40) || rest % byte)
			return -1;
		whole = b / byte;
		hundredths_rest = rest / byte;
	} else {
		unsigned __int128 rest = bytes % byte * (precision ? 100 : 1);
		if (bytes / byte >= (1ull << 40) || rest % byte)
			return -1;
		whole = (uint64_t)(bytes / byte);
		hundredths_rest = (uint64_t)(rest / byte);
	}
	for (const char *c = prefix; *c; c++)
		t[n++] = *c;
	do
		digits[d++] = (char)('0' + whole % 10);
	while ((whole /= 10));
	while (d)
		t[n++] = digits[--d];
	if (precision) {
		unsigned hundredths = (unsigned)hundredths_rest;
		t[n++] = '.';
		t[n++] = (char)('0' + hundredths / 10);
		t[n++] = (char)('0' + hundredths % 10);
	}
	for (const char *c = sfx; *c; c++)
		t[n++] = *c;
	if (len) {
		size_t k = MIN(n, len - 1);
		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	return (int)n;
}

static int format_size(uint64_t sectors, char unit, bool suffix, char *buf, size_t len);

/* dm_size_to_string, DM_SIZE_UNIT column, use_si_units = 1. The last answer is kept (per
 * thread): the LVs of a report mostly share their sizes. */
int cli_format_size(uint64_t sectors, char unit, bool suffix, char *buf, size_t len)
{
	static __thread struct {
		bool ok, suffix;
		char unit;
		uint64_t sectors;
		int n;
		char text[64];
	} last;
	int n;

	if (last.ok && last.sectors == sectors && last.unit == unit && last.suffix == suffix &&
	    (size_t)last.n < len) {
		memcpy(buf, last.text, (size_t)last.n + 1);
		return last.n;
	}
	n = format_size(sectors, unit, suffix, buf, len);
	last.ok = n >= 0 && (size_t)n < len && (size_t)n < sizeof(last.text);
	if (last.ok) {
		last.sectors = sectors;
		last.unit = unit;
		last.suffix = suffix;
		last.n = n;
		memcpy(last.text, buf, (size_t)n + 1);
	}
	return n;
}

static int format_size(uint64_t sectors, char unit, bool suffix, char *buf, size_t len)
{
	static const char pow1000[] = "EPTGMK", pow1024[] = "eptgmk", special[] = "BUS";
	const char *p, *sfx = NULL, *prefix = "";
	unsigned __int128 bytes; /* sectors * 512 does not fit 64 bits above 2^55 sectors */
	uint64_t byte, units;
	int precision;
	char one[2] = { 0, 0 };
	bool human = false;
	unsigned s;
	int n;

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
	precision = (toupper((unsigned char)one[0]) == 'B' || toupper((unsigned char)one[0]) == 'S')
			    ? 0
			    : 2;
	if ((n = format_exact(buf, len, prefix, bytes, byte, precision, sfx)) >= 0)
		return n;
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
	return snprintf(buf, len, "%.2f",
			(double)percent_round2(make_percent(numerator, denominator)));
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

enum cell_kind { CELL_UNSET = 0, CELL_STR, CELL_U64, CELL_PERCENT, CELL_BIN, CELL_TIME };

struct cell {
	enum cell_kind kind;
	union {
		struct {
			char *str;      /* CELL_STR: display string (in the report's arena) */
			char *sort_key; /* CELL_STR: sort string if it differs (arena) */
		};
		uint64_t u64;    /* CELL_U64: sectors or number */
		int32_t percent; /* CELL_PERCENT */
		int64_t i64;     /* CELL_BIN: 1, 0, -1; CELL_TIME: seconds */
	};
}; /* 24 bytes: a report of 10,000s of rows holds rows * slots of them (issue 13) */

/* The report's strings: cells' and rendered texts, copied into chunks freed with the report
 * (one allocation per 64 KiB instead of one per cell) */
struct str_chunk {
	struct str_chunk *next;
	size_t used, cap;
	char data[];
};

struct sel_node;

struct sort_key {
	size_t field;
	bool descending;
};

struct cli_report {
	const struct cli_report_type *type;
	struct cli_report_opts opts;
	char units;
	size_t *cols;       /* field indexes shown, in order */
	bool *col_from_all; /* brought in by lv_all & co. (a later "-o -f" does not remove it) */
	size_t n_cols;
	struct sort_key *keys;
	size_t n_keys;
	struct cell *cells; /* n_rows * n_slots */
	size_t n_rows, cap_rows;
	/* field index -> slot of a row's cells, -1 when the report never reads the field (not
	 * shown, sorted on or selected on): a row stores only what the report reads (issue 13) */
	int *slot;
	size_t n_slots;
	const char **ptr_ids; /* id pointers seen by set calls -> field index (a cache) */
	int *ptr_fields;
	size_t ptr_cap;
	struct sel_node *sel;   /* -S */
	unsigned sel_types;     /* CLI_FT_* of the fields -S names */
	struct str_chunk *strs; /* the arena of the report's strings, newest chunk first */
	unsigned col_types;     /* CLI_FT_* of the shown fields (known once slots are built) */
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

static bool allowed(const struct cli_report_type *t, size_t f)
{
	return !t->allowed || !cli_report_fields[f].types ||
	       (cli_report_fields[f].types & t->allowed);
}

/* lvm2 _get_field/_is_same_field: the first field, in lvm2's order, whose id matches exactly
 * (canonically) or once the report's prefix is put before @name. */
/* A hash of the canonical form canon_eq compares (case and '_' ignored): equal forms, equal
 * hashes, so a different hash skips the comparison. */
static uint32_t canon_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			h = (h ^ (uint32_t)tolower((unsigned char)s[i])) * 16777619u;
	return h;
}

static int field_lookup(const struct cli_report_type *t, const char *name, size_t len)
{
	/* the canonical hashes of the ids, computed once: a report looks up each of its
	 * columns, sort keys and -S fields, each against every field */
	static uint32_t *ids;
	size_t plen = strlen(t->prefix);
	uint32_t hn, hp;
	char buf[128];

	if (plen + len >= sizeof(buf))
		return -1;
	memcpy(buf, t->prefix, plen);
	memcpy(buf + plen, name, len);
	if (!ids && (ids = malloc(NF * sizeof(*ids))))
		for (size_t f = 0; f < NF; f++)
			ids[f] = canon_hash(cli_report_fields[f].id,
					    strlen(cli_report_fields[f].id));
	hn = canon_hash(name, len);
	hp = canon_hash(buf, plen + len);
	for (size_t f = 0; f < NF; f++) {
		const char *id = t->fields[f].id;
		if (!allowed(t, f))
			continue;
		if (ids && t->fields == cli_report_fields && ids[f] != hn && ids[f] != hp)
			continue;
		if (canon_eq(id, strlen(id), name, len) || canon_eq(id, strlen(id), buf, plen + len))
			return (int)f;
	}
	return -1;
}

/* "lv_all", "vg_all", "pv_all", "seg_all", "pvseg_all": the CLI_FT_* of that prefix, else 0. */
static unsigned all_match(const char *name, size_t len)
{
	static const struct {
		const char *id;
		unsigned types;
	} alls[] = { { "lv_all", CLI_FT_LV },
		     { "vg_all", CLI_FT_VG },
		     { "pv_all", CLI_FT_PV },
		     { "seg_all", CLI_FT_SEG },
		     { "pvseg_all", CLI_FT_PVSEG } };

	for (size_t i = 0; i < ARRAY_SIZE(alls); i++)
		if (canon_eq(alls[i].id, strlen(alls[i].id), name, len))
			return alls[i].types;
	return 0;
}

/* Field lookup by id: every cell of every row goes through here, so tens of thousands of rows
 * made a linear scan of the field table per cell the report's main cost (issue 13). One hash
 * of cli_report_fields' ids (every report type uses that table), built on first use. */
static size_t id_hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static int exact_field_scan(const char *id)
{
	for (size_t f = 0; f < NF; f++)
		if (streq(cli_report_fields[f].id, id))
			return (int)f;
	return -1;
}

static int exact_field(const struct cli_report_type *t, const char *id)
{
	static int *slot; /* field index + 1, 0 = empty */
	static size_t cap;

	(void)t;
	if (!slot) {
		size_t c = 16;
		while (c < 4 * NF)
			c *= 2;
		if (!(slot = calloc(c, sizeof(int))))
			return exact_field_scan(id);
		for (size_t f = 0; f < NF; f++) {
			size_t k = id_hash(cli_report_fields[f].id) & (c - 1);
			while (slot[k])
				k = (k + 1) & (c - 1);
			slot[k] = (int)f + 1;
		}
		cap = c;
	}
	for (size_t k = id_hash(id) & (cap - 1); slot[k]; k = (k + 1) & (cap - 1)) {
		int f = slot[k] - 1;
		if (streq(cli_report_fields[f].id, id))
			return f; /* the first of equal ids is inserted first: found first */
	}
	return -1;
}

static int cols_add_from(struct cli_report *rep, size_t f, bool from_all)
{
	size_t *n = realloc(rep->cols, (rep->n_cols + 1) * sizeof(*n));
	bool *a;

	if (!n)
		return -ENOMEM;
	rep->cols = n;
	a = realloc(rep->col_from_all, (rep->n_cols + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	rep->col_from_all = a;
	a[rep->n_cols] = from_all;
	n[rep->n_cols++] = f;
	return 0;
}

static int cols_add(struct cli_report *rep, size_t f)
{
	return cols_add_from(rep, f, false);
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
		if (all_match(ws, (size_t)(we - ws))) {
			unsigned types = all_match(ws, (size_t)(we - ws));
			for (size_t k = 0; k < NF; k++)
				if ((cli_report_fields[k].types & types) && mode != '-' &&
				    (r = cols_add_from(rep, k, true)) < 0)
					return r;
			continue;
		}
		f = field_lookup(t, ws, (size_t)(we - ws));
		if (f < 0)
			return set_err(ret_err, "Unrecognised field: %.*s", (int)(we - ws), ws);
		if (mode == '-') {
			/* lvm2 removes the name from the option strings: a field that came with
			 * lv_all & co. stays */
			size_t k = 0;
			for (size_t i = 0; i < rep->n_cols; i++)
				if (rep->cols[i] != (size_t)f || rep->col_from_all[i]) {
					rep->col_from_all[k] = rep->col_from_all[i];
					rep->cols[k++] = rep->cols[i];
				}
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

struct sel_node;
static int sel_parse(struct cli_report *rep, const char *text, char **ret_err);
static struct sel_node *sel_free(struct sel_node *n);

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
	if (r == 0 && opts->select)
		r = sel_parse(rep, opts->select, ret_err);
	if (r < 0)
		goto fail;
	*ret = rep;
	return 0;
fail:
	cli_report_free(rep);
	return r;
}

/* The value of every empty string cell (most of an lvs row): shared, never freed. */
static char empty_str[1];

/* A copy of @s (@n bytes) in @rep's arena; NULL on ENOMEM. */
static char *rep_strndup(struct cli_report *rep, const char *s, size_t n)
{
	struct str_chunk *k = rep->strs;
	char *d;

	if (!n)
		return empty_str;
	if (!k || k->cap - k->used < n + 1) {
		size_t cap = MAX((size_t)65536 - sizeof(*k), n + 1);
		if (!(k = malloc(sizeof(*k) + cap)))
			return NULL;
		k->used = 0;
		k->cap = cap;
		if (rep->strs && rep->strs->cap - rep->strs->used > cap - (n + 1)) {
			/* a long string: its own chunk, behind the one still being filled */
			k->next = rep->strs->next;
			rep->strs->next = k;
		} else {
			k->next = rep->strs;
			rep->strs = k;
		}
	}
	d = k->data + k->used;
	memcpy(d, s, n);
	d[n] = '\0';
	k->used += n + 1;
	return d;
}

static char *rep_strdup(struct cli_report *rep, const char *s)
{
	return rep_strndup(rep, s, strlen(s));
}

static void cell_clear(struct cell *c)
{
	*c = (struct cell){ 0 };
}

struct cli_report *cli_report_free(struct cli_report *rep)
{
	if (!rep)
		return NULL;
	while (rep->strs) {
		struct str_chunk *k = rep->strs;
		rep->strs = k->next;
		free(k);
	}
	free(rep->cells);
	free(rep->slot);
	free(rep->ptr_ids);
	free(rep->ptr_fields);
	free(rep->cols);
	free(rep->col_from_all);
	free(rep->keys);
	sel_free(rep->sel);
	free(rep);
	return NULL;
}

static void slot_mark(struct cli_report *rep, size_t f)
{
	if (f < NF && rep->slot[f] < 0)
		rep->slot[f] = (int)rep->n_slots++;
}

static void slot_mark_sel(struct cli_report *rep, const struct sel_node *n);

static void slot_mark_id(struct cli_report *rep, const char *id)
{
	int f = exact_field(rep->type, id);
	if (f >= 0)
		slot_mark(rep, (size_t)f);
}

/* The slots, once the columns, sort keys and selection are known (at the first row). */
static int slots_build(struct cli_report *rep)
{
	if (!(rep->slot = malloc(NF * sizeof(*rep->slot))))
		return -ENOMEM;
	for (size_t f = 0; f < NF; f++)
		rep->slot[f] = -1;
	rep->col_types = 0;
	for (size_t c = 0; c < rep->n_cols; c++) {
		slot_mark(rep, rep->cols[c]);
		rep->col_types |= cli_report_fields[rep->cols[c]].types;
	}
	for (size_t k = 0; k < rep->n_keys; k++)
		slot_mark(rep, rep->keys[k].field);
	slot_mark_sel(rep, rep->sel);
	/* the names the commands look rows up by (cli_report_get_str, joins) */
	slot_mark_id(rep, "vg_name");
	slot_mark_id(rep, "lv_name");
	slot_mark_id(rep, "pv_name");
	return 0;
}

int cli_report_add_row(struct cli_report *rep, size_t *ret_row)
{
	size_t nf;

	if (!rep->slot && slots_build(rep) < 0)
		return -ENOMEM;
	nf = rep->n_slots;
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

static int exact_field_ptr_slow(struct cli_report *rep, const char *id);

/* exact_field through a cache keyed by the id's address: the row builders pass the same
 * literals for every row, so each id is hashed once per report (the hit at the first probe
 * inline: a report of 10,000s of rows makes 20 of these per row) */
static inline int exact_field_ptr(struct cli_report *rep, const char *id)
{
	if (rep->ptr_ids) {
		size_t i = (size_t)(((uintptr_t)id * 0x9E3779B97F4A7C15ull) >> 40) &
			   (rep->ptr_cap - 1);
		if (rep->ptr_ids[i] == id)
			return rep->ptr_fields[i];
	}
	return exact_field_ptr_slow(rep, id);
}

__attribute__((noinline)) static int exact_field_ptr_slow(struct cli_report *rep, const char *id)
{
	size_t m, i;
	int f;

	if (!rep->ptr_ids) {
		rep->ptr_cap = 1024;
		rep->ptr_ids = calloc(rep->ptr_cap, sizeof(*rep->ptr_ids));
		rep->ptr_fields = calloc(rep->ptr_cap, sizeof(*rep->ptr_fields));
		if (!rep->ptr_ids || !rep->ptr_fields) {
			free(rep->ptr_ids);
			free(rep->ptr_fields);
			rep->ptr_ids = NULL;
			rep->ptr_fields = NULL;
			return exact_field(rep->type, id);
		}
	}
	m = rep->ptr_cap - 1;
	i = (size_t)(((uintptr_t)id * 0x9E3779B97F4A7C15ull) >> 40) & m;
	for (size_t probes = 0; probes < 8; probes++, i = (i + 1) & m) {
		if (rep->ptr_ids[i] == id)
			return rep->ptr_fields[i];
		if (!rep->ptr_ids[i]) {
			f = exact_field(rep->type, id);
			rep->ptr_ids[i] = id;
			rep->ptr_fields[i] = f;
			return f;
		}
	}
	return exact_field(rep->type, id); /* a crowded neighbourhood: no caching */
}

/* 0 and *ret the cell of field @f (an index in the type's table, -1 none); 1 when the report
 * does not store the field (nothing to do) */
static inline int cell_at(struct cli_report *rep, size_t row, int f, int kind, struct cell **ret)
{
	if (f < 0 || (kind >= 0 && rep->type->fields[f].kind != (enum cli_field_kind)kind))
		return -EINVAL;
	if (row >= rep->n_rows)
		return -ERANGE;
	if (rep->slot[f] < 0)
		return 1;
	*ret = &rep->cells[row * rep->n_slots + (size_t)rep->slot[f]];
	return 0;
}

static int cell_get(struct cli_report *rep, size_t row, const char *id, int kind, struct cell **ret)
{
	return cell_at(rep, row, exact_field_ptr(rep, id), kind, ret);
}

const struct cli_report_type *cli_report_type_of(const struct cli_report *rep)
{
	return rep->type;
}

void cli_report_field_indexes(const struct cli_report_type *t, const char *const *ids, size_t n,
			      int *ret)
{
	for (size_t i = 0; i < n; i++)
		ret[i] = exact_field(t, ids[i]);
}

bool cli_report_stores(struct cli_report *rep, const char *id)
{
	int f;

	if (!rep->slot && slots_build(rep) < 0)
		return true;
	f = exact_field_ptr(rep, id);
	return f >= 0 && rep->slot[f] >= 0;
}

int cli_report_set_name(struct cli_report *rep, size_t row, const char *id, const char *display,
			const char *sort_key)
{
	return cli_report_put_name(rep, row, exact_field_ptr(rep, id), display, sort_key);
}

int cli_report_put_name(struct cli_report *rep, size_t row, int f, const char *display,
			const char *sort_key)
{
	struct cell *c;
	char *s, *k = NULL;
	int r = cell_at(rep, row, f, -1, &c);

	if (r)
		return r < 0 ? r : 0;
	s = display && *display ? rep_strdup(rep, display) : empty_str;
	if (sort_key && !streq(sort_key, s ? s : "") && !(k = rep_strdup(rep, sort_key)))
		return -ENOMEM;
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

int cli_report_put_str(struct cli_report *rep, size_t row, int f, const char *s)
{
	return cli_report_put_name(rep, row, f, s, NULL);
}

static int put_u64(struct cli_report *rep, size_t row, int f, enum cli_field_kind kind, uint64_t v)
{
	struct cell *c;
	int r = cell_at(rep, row, f, (int)kind, &c);

	if (r)
		return r < 0 ? r : 0;
	cell_clear(c);
	c->kind = CELL_U64;
	c->u64 = v;
	return 0;
}

int cli_report_set_size(struct cli_report *rep, size_t row, const char *id, uint64_t sectors)
{
	return put_u64(rep, row, exact_field_ptr(rep, id), CLI_FIELD_SIZE, sectors);
}

int cli_report_set_num(struct cli_report *rep, size_t row, const char *id, uint64_t value)
{
	return put_u64(rep, row, exact_field_ptr(rep, id), CLI_FIELD_NUM, value);
}

int cli_report_put_size(struct cli_report *rep, size_t row, int f, uint64_t sectors)
{
	return put_u64(rep, row, f, CLI_FIELD_SIZE, sectors);
}

int cli_report_put_num(struct cli_report *rep, size_t row, int f, uint64_t value)
{
	return put_u64(rep, row, f, CLI_FIELD_NUM, value);
}

int cli_report_set_percent(struct cli_report *rep, size_t row, const char *id, uint64_t numerator,
			   uint64_t denominator)
{
	return cli_report_put_percent(rep, row, exact_field_ptr(rep, id), numerator, denominator);
}

int cli_report_put_percent(struct cli_report *rep, size_t row, int f, uint64_t numerator,
			   uint64_t denominator)
{
	struct cell *c;
	int r = cell_at(rep, row, f, CLI_FIELD_PERCENT, &c);

	if (r)
		return r < 0 ? r : 0;
	cell_clear(c);
	c->kind = CELL_PERCENT;
	c->percent = make_percent(numerator, denominator);
	return 0;
}

int cli_report_set_bin(struct cli_report *rep, size_t row, const char *id, int v)
{
	struct cell *c;
	int r = cell_get(rep, row, id, CLI_FIELD_BIN, &c);

	if (r)
		return r < 0 ? r : 0;
	cell_clear(c);
	c->kind = CELL_BIN;
	c->i64 = v > 0 ? 1 : v;
	return 0;
}

int cli_report_set_time(struct cli_report *rep, size_t row, const char *id, int64_t t)
{
	struct cell *c;
	int r = cell_get(rep, row, id, CLI_FIELD_TIME, &c);

	if (r)
		return r < 0 ? r : 0;
	cell_clear(c);
	c->kind = CELL_TIME;
	c->i64 = t;
	return 0;
}

bool cli_report_wants(const struct cli_report *rep, unsigned types)
{
	if (rep->slot) /* the columns are fixed once rows are added: their types are known */
		return (rep->col_types & types) || (rep->opts.select && rep->sel_types & types);
	for (size_t c = 0; c < rep->n_cols; c++)
		if (cli_report_fields[rep->cols[c]].types & types)
			return true;
	return rep->opts.select && rep->sel_types & types;
}

bool cli_report_wants_other(const struct cli_report *rep, unsigned types, const char *except)
{
	for (size_t c = 0; c < rep->n_cols; c++)
		if ((cli_report_fields[rep->cols[c]].types & types) &&
		    !streq(cli_report_fields[rep->cols[c]].id, except))
			return true;
	return rep->opts.select && rep->sel_types & types;
}

size_t cli_report_n_rows(const struct cli_report *rep)
{
	return rep->n_rows;
}

const char *cli_report_get_str(const struct cli_report *rep, size_t row, const char *id)
{
	int f = exact_field(rep->type, id);
	const struct cell *c;

	if (f < 0 || row >= rep->n_rows || rep->slot[f] < 0)
		return NULL;
	c = &rep->cells[row * rep->n_slots + (size_t)rep->slot[f]];
	return c->kind == CELL_STR ? c->str : NULL;
}

static int cell_copy(struct cli_report *dst, struct cell *d, const struct cell *s)
{
	*d = *s;
	if (s->kind != CELL_STR)
		return 0;
	d->sort_key = NULL;
	if (!(d->str = rep_strdup(dst, s->str)))
		return -ENOMEM;
	if (s->sort_key && !(d->sort_key = rep_strdup(dst, s->sort_key)))
		return -ENOMEM;
	return 0;
}

int cli_report_copy_row(struct cli_report *dst, size_t drow, const struct cli_report *src,
			size_t srow, unsigned types)
{
	if (drow >= dst->n_rows || srow >= src->n_rows)
		return -ERANGE;
	for (size_t f = 0; f < NF; f++) {
		const struct cell *sc;
		int r;
		if (dst->slot[f] < 0 || src->slot[f] < 0)
			continue;
		sc = &src->cells[srow * src->n_slots + (size_t)src->slot[f]];
		if (sc->kind == CELL_UNSET || !(cli_report_fields[f].types & types))
			continue;
		if ((r = cell_copy(dst, &dst->cells[drow * dst->n_slots + (size_t)dst->slot[f]],
				   sc)) < 0)
			return r;
	}
	return 0;
}

/* lvm2 _lvtime_disp: strftime of report/time_format (default "%Y-%m-%d %T %z"), local time. */
static const char *time_format(const struct cli_report *rep, int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return "";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* the format is the user's report/time_format, as lvm2 passes it to strftime */
	if (!strftime(buf, len, rep->opts.time_format ? rep->opts.time_format : "%Y-%m-%d %T %z",
		      &tm))
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return buf;
}

/* The display string of a cell: the cell's own, a constant, or written into @buf. */
static const char *cell_format(const struct cli_report *rep, const struct cli_report_field *fld,
			       const struct cell *c, char *buf, size_t len)
{
	switch (c->kind) {
	case CELL_UNSET:
		return "";
	case CELL_STR:
		return c->str;
	case CELL_BIN:
		if (rep->opts.binary)
			return c->i64 > 0 ? "1" : c->i64 == 0 ? "0" : "-1";
		return c->i64 > 0    ? (fld->bin_word ? fld->bin_word : "1")
		       : c->i64 == 0 ? ""
				     : "unknown";
	case CELL_TIME:
		return time_format(rep, c->i64, buf, len);
	case CELL_PERCENT:
		snprintf(buf, len, "%.2f", (double)percent_round2(c->percent));
		return buf;
	case CELL_U64:
		if (fld->kind == CLI_FIELD_SIZE)
			cli_format_size(c->u64, rep->units, !rep->opts.nosuffix, buf, len);
		else
			snprintf(buf, len, "%" PRIu64, c->u64);
		return buf;
	}
	return "";
}

#define CELL_BUF 256

/* The display string of a cell (owned by the caller) or NULL on ENOMEM. */
static char *cell_render(const struct cli_report *rep, const struct cli_report_field *fld,
			 const struct cell *c)
{
	char buf[CELL_BUF];

	return strdup(cell_format(rep, fld, c, buf, sizeof(buf)));
}

/* ---- -S/--select: lvm2's selection (libdm-report.c _parse_selection) ----
 * expr: term {("||"|"#") term}; term: factor {("&&"|",") factor}; factor: "!" factor |
 * "(" expr ")" | FIELD OP VALUE; OP: =~ !~ = == != >= <= > <; VALUE: 'quoted', "quoted",
 * {a,b} (list contains all), [a,b] (list is exactly) or a bare word. Sizes take lvm2 unit
 * letters (default m), percents an optional '%'. */
enum sel_op { SEL_AND, SEL_OR, SEL_NOT, SEL_COND };
enum sel_cmp { CMP_EQ, CMP_NE, CMP_RE, CMP_NRE, CMP_GT, CMP_GE, CMP_LT, CMP_LE };

struct sel_node {
	enum sel_op op;
	struct sel_node *a, *b;
	size_t field;
	enum sel_cmp cmp;
	char *value; /* bare/quoted text */
	char **list; /* {..} or [..] items */
	size_t n_list;
	bool list_exact; /* [..] */
	bool has_re;
	regex_t re;
};

static void slot_mark_sel(struct cli_report *rep, const struct sel_node *n)
{
	if (!n)
		return;
	if (n->op == SEL_COND)
		slot_mark(rep, n->field);
	slot_mark_sel(rep, n->a);
	slot_mark_sel(rep, n->b);
}

static struct sel_node *sel_free(struct sel_node *n)
{
	if (!n)
		return NULL;
	sel_free(n->a);
	sel_free(n->b);
	free(n->value);
	for (size_t i = 0; i < n->n_list; i++)
		free(n->list[i]);
	free(n->list);
	if (n->has_re)
		regfree(&n->re);
	free(n);
	return NULL;
}

struct sel_parser {
	struct cli_report *rep;
	const char *p;
	char **err;
};

static void sel_ws(struct sel_parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int sel_syntax(struct sel_parser *ps, const char *at)
{
	return set_err(ps->err, "Selection syntax error at '%s'.", at);
}

static int sel_expr(struct sel_parser *ps, struct sel_node **ret);

/* A bare word: up to whitespace or an operator character. */
static char *sel_word(struct sel_parser *ps)
{
	const char *s = ps->p;
	char q = *s;

	if (q == '\'' || q == '"') {
		const char *e = strchr(s + 1, q);
		if (!e)
			return NULL;
		ps->p = e + 1;
		return strndup(s + 1, (size_t)(e - s - 1));
	}
	while (*ps->p && !isspace((unsigned char)*ps->p) && !strchr("(),#&|!=~<>{}[]", *ps->p))
		ps->p++;
	return strndup(s, (size_t)(ps->p - s));
}

static int sel_cond(struct sel_parser *ps, struct sel_node **ret)
{
	const char *start = ps->p, *fs = ps->p;
	struct sel_node *n;
	int f;

	while (*ps->p && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
		ps->p++;
	if (ps->p == fs)
		return sel_syntax(ps, start);
	f = field_lookup(ps->rep->type, fs, (size_t)(ps->p - fs));
	if (f < 0) {
		/* lvm2 prints the field list first; we name the field */
		int r = set_err(ps->err,
				"Unrecognised selection field: %.*s\n  "
				"Selection syntax error at '%s'.\n  "
				"Use 'help' for selection to get more help.",
				(int)(ps->p - fs), fs, start);
		return r;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->op = SEL_COND;
	n->field = (size_t)f;
	ps->rep->sel_types |= cli_report_fields[f].types;
	sel_ws(ps);
	if (!strncmp(ps->p, "=~", 2))
		n->cmp = CMP_RE, ps->p += 2;
	else if (!strncmp(ps->p, "!~", 2))
		n->cmp = CMP_NRE, ps->p += 2;
	else if (!strncmp(ps->p, "==", 2))
		n->cmp = CMP_EQ, ps->p += 2;
	else if (!strncmp(ps->p, "!=", 2))
		n->cmp = CMP_NE, ps->p += 2;
	else if (!strncmp(ps->p, ">=", 2))
		n->cmp = CMP_GE, ps->p += 2;
	else if (!strncmp(ps->p, "<=", 2))
		n->cmp = CMP_LE, ps->p += 2;
	else if (*ps->p == '=')
		n->cmp = CMP_EQ, ps->p++;
	else if (*ps->p == '>')
		n->cmp = CMP_GT, ps->p++;
	else if (*ps->p == '<')
		n->cmp = CMP_LT, ps->p++;
	else {
		sel_free(n);
		return sel_syntax(ps, start);
	}
	sel_ws(ps);
	if (*ps->p == '{' || *ps->p == '[') {
		char close = *ps->p == '{' ? '}' : ']';
		n->list_exact = close == ']';
		ps->p++;
		for (;;) {
			char *w, **nl;
			sel_ws(ps);
			if (*ps->p == close) {
				ps->p++;
				break;
			}
			if (*ps->p == ',' || (*ps->p == '&' && ps->p[1] == '&')) {
				ps->p += *ps->p == ',' ? 1 : 2;
				continue;
			}
			w = sel_word(ps);
			if (!w || !*w) {
				free(w);
				sel_free(n);
				return sel_syntax(ps, start);
			}
			nl = realloc(n->list, (n->n_list + 1) * sizeof(*nl));
			if (!nl) {
				free(w);
				sel_free(n);
				return -ENOMEM;
			}
			n->list = nl;
			n->list[n->n_list++] = w;
		}
		n->value = strdup("");
	} else {
		n->value = sel_word(ps);
	}
	if (!n->value) {
		sel_free(n);
		return sel_syntax(ps, start);
	}
	if (n->cmp == CMP_RE || n->cmp == CMP_NRE) {
		if (regcomp(&n->re, n->value, REG_EXTENDED | REG_NOSUB) != 0) {
			sel_free(n);
			return set_err(ps->err, "Selection syntax error at '%s'.", start);
		}
		n->has_re = true;
	}
	*ret = n;
	return 0;
}

static int sel_factor(struct sel_parser *ps, struct sel_node **ret)
{
	int r;

	sel_ws(ps);
	if (*ps->p == '!' && ps->p[1] != '=' && ps->p[1] != '~') {
		struct sel_node *n = calloc(1, sizeof(*n));
		if (!n)
			return -ENOMEM;
		ps->p++;
		n->op = SEL_NOT;
		if ((r = sel_factor(ps, &n->a)) < 0) {
			sel_free(n);
			return r;
		}
		*ret = n;
		return 0;
	}
	if (*ps->p == '(') {
		const char *at = ps->p;
		ps->p++;
		if ((r = sel_expr(ps, ret)) < 0)
			return r;
		sel_ws(ps);
		if (*ps->p != ')') {
			*ret = sel_free(*ret);
			return sel_syntax(ps, at);
		}
		ps->p++;
		return 0;
	}
	return sel_cond(ps, ret);
}

static int sel_binary(struct sel_parser *ps, struct sel_node **ret, bool or)
{
	struct sel_node *left = NULL;
	int r = or ? sel_binary(ps, &left, false) : sel_factor(ps, &left);

	if (r < 0)
		return r;
	for (;;) {
		struct sel_node *n, *right = NULL;
		sel_ws(ps);
		if (or &&(!strncmp(ps->p, "||", 2) || *ps->p == '#'))
			ps->p += *ps->p == '#' ? 1 : 2;
		else if (! or &&(!strncmp(ps->p, "&&", 2) || *ps->p == ','))
			ps->p += *ps->p == ',' ? 1 : 2;
		else
			break;
		r = or ? sel_binary(ps, &right, false) : sel_factor(ps, &right);
		if (r < 0 || !(n = calloc(1, sizeof(*n)))) {
			sel_free(left);
			sel_free(right);
			return r < 0 ? r : -ENOMEM;
		}
		n->op = or ? SEL_OR : SEL_AND;
		n->a = left;
		n->b = right;
		left = n;
	}
	*ret = left;
	return 0;
}

static int sel_expr(struct sel_parser *ps, struct sel_node **ret)
{
	return sel_binary(ps, ret, true);
}

static int sel_parse(struct cli_report *rep, const char *text, char **ret_err)
{
	struct sel_parser ps = { rep, text, ret_err };
	int r;

	sel_ws(&ps);
	if (!*ps.p)
		return 0;
	if ((r = sel_expr(&ps, &rep->sel)) < 0)
		return r;
	sel_ws(&ps);
	if (*ps.p) {
		rep->sel = sel_free(rep->sel);
		return sel_syntax(&ps, ps.p);
	}
	return 0;
}

static int ord(double a, double b)
{
	return (a > b) - (a < b);
}

static bool cmp_holds(enum sel_cmp cmp, int o)
{
	switch (cmp) {
	case CMP_EQ:
		return o == 0;
	case CMP_NE:
		return o != 0;
	case CMP_GT:
		return o > 0;
	case CMP_GE:
		return o >= 0;
	case CMP_LT:
		return o < 0;
	case CMP_LE:
		return o <= 0;
	default:
		return false;
	}
}

/* A size with lvm2's unit letters in sectors; default unit m. */
static bool parse_size_sectors(const char *s, double *ret)
{
	static const char units[] = "kmgtpe";
	char *end;
	double v = strtod(s, &end), mul;
	char u = *end ? *end : 'm';
	const char *pos;

	if (end == s || (*end && end[1]))
		return false;
	if (u == 'b' || u == 'B') {
		mul = 1.0 / 512;
	} else if (u == 's' || u == 'S') {
		mul = 1;
	} else if ((pos = strchr(units, tolower((unsigned char)u)))) {
		mul = 1.0 / 512;
		for (const char *k = units; k <= pos; k++)
			mul *= isupper((unsigned char)u) ? 1000 : 1024;
	} else {
		return false;
	}
	*ret = v * mul;
	return true;
}

static bool list_has(const char *csv, const char *item)
{
	size_t il = strlen(item);

	for (const char *p = csv; *p;) {
		size_t l = strcspn(p, ",");
		if (l == il && !strncmp(p, item, l))
			return true;
		p += l;
		if (*p)
			p++;
	}
	return false;
}

static size_t list_count(const char *csv)
{
	size_t n = *csv ? 1 : 0;
	for (; *csv; csv++)
		n += *csv == ',';
	return n;
}

static bool sel_eval(const struct cli_report *rep, const struct sel_node *n, size_t row,
		     char **text_of_field)
{
	const struct cli_report_field *f;
	const struct cell *c;

	switch (n->op) {
	case SEL_AND:
		return sel_eval(rep, n->a, row, text_of_field) &&
		       sel_eval(rep, n->b, row, text_of_field);
	case SEL_OR:
		return sel_eval(rep, n->a, row, text_of_field) ||
		       sel_eval(rep, n->b, row, text_of_field);
	case SEL_NOT:
		return !sel_eval(rep, n->a, row, text_of_field);
	case SEL_COND:
		break;
	}
	f = &cli_report_fields[n->field];
	c = &rep->cells[row * rep->n_slots + (size_t)rep->slot[n->field]];
	if (n->cmp == CMP_RE || n->cmp == CMP_NRE) {
		_cleanup_free_ char *t = cell_render(rep, f, c);
		bool m = false;
		if (!t)
			return false;
		if (f->kind == CLI_FIELD_LIST) {
			for (char *p = t, *tok; (tok = strsep(&p, ","));)
				m |= regexec(&n->re, tok, 0, NULL, 0) == 0;
		} else {
			m = regexec(&n->re, t, 0, NULL, 0) == 0;
		}
		return n->cmp == CMP_RE ? m : !m;
	}
	if (c->kind == CELL_U64 || c->kind == CELL_PERCENT || c->kind == CELL_BIN) {
		double want, have;
		char *end;
		if (f->kind == CLI_FIELD_SIZE) {
			if (!parse_size_sectors(n->value, &want))
				return false;
			have = (double)c->u64;
		} else if (c->kind == CELL_PERCENT) {
			want = strtod(n->value, &end);
			if (end == n->value || (*end && strcmp(end, "%")))
				return false;
			have = (double)percent_round2(c->percent);
		} else {
			want = strtod(n->value, &end);
			if (end == n->value || *end) {
				if (c->kind != CELL_BIN || !f->bin_word)
					return false;
				want = streq(n->value, f->bin_word) ? 1 : !*n->value ? 0 : -2;
			}
			have = c->kind == CELL_BIN ? (double)c->i64 : (double)c->u64;
		}
		return cmp_holds(n->cmp, ord(have, want));
	} else {
		_cleanup_free_ char *t = cell_render(rep, f, c);
		bool eq;
		if (!t)
			return false;
		if (f->kind == CLI_FIELD_LIST) {
			if (n->list) {
				eq = true;
				for (size_t i = 0; i < n->n_list; i++)
					eq &= list_has(t, n->list[i]);
				if (n->list_exact)
					eq &= list_count(t) == n->n_list;
			} else {
				eq = list_has(t, n->value) || (!*n->value && !*t);
			}
			return n->cmp == CMP_EQ ? eq : n->cmp == CMP_NE ? !eq : false;
		}
		(void)text_of_field;
		return cmp_holds(n->cmp, strcmp(t, n->value) < 0 ? -1 : strcmp(t, n->value) > 0);
	}
}

static int cell_cmp(const struct cell *a, const struct cell *b)
{
	if (a->kind == CELL_UNSET || b->kind == CELL_UNSET)
		return (a->kind != CELL_UNSET) - (b->kind != CELL_UNSET);
	if (a->kind == CELL_STR && b->kind == CELL_STR)
		return strcmp(a->sort_key ? a->sort_key : a->str,
			      b->sort_key ? b->sort_key : b->str);
	if (a->kind == CELL_STR || b->kind == CELL_STR) /* mixed: strings last */
		return (a->kind == CELL_STR) - (b->kind == CELL_STR);
	if (a->kind == CELL_PERCENT)
		return (a->percent > b->percent) - (a->percent < b->percent);
	if (a->kind == CELL_BIN || a->kind == CELL_TIME)
		return (a->i64 > b->i64) - (a->i64 < b->i64);
	return (a->u64 > b->u64) - (a->u64 < b->u64);
}

static int row_cmp(const struct cli_report *rep, size_t ra, size_t rb)
{
	size_t nf = rep->n_slots;

	for (size_t k = 0; k < rep->n_keys; k++) {
		const struct sort_key *key = &rep->keys[k];
		size_t sl = (size_t)rep->slot[key->field];
		int c = cell_cmp(&rep->cells[ra * nf + sl], &rep->cells[rb * nf + sl]);
		if (c)
			return key->descending ? -c : c;
	}
	return (ra > rb) - (ra < rb); /* stable */
}

static int row_cmp_r(const void *a, const void *b, void *rep)
{
	return row_cmp(rep, *(const size_t *)a, *(const size_t *)b);
}

/* row_cmp ends on the row index, so qsort_r's order is stable: O(n log n) at 10,000s of rows */
static void sort_rows(const struct cli_report *rep, size_t *order, size_t n)
{
	if (n > 1)
		qsort_r(order, n, sizeof(*order), row_cmp_r, (void *)rep);
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

/* Upper-case copy of a field id for --nameprefixes (LVM2_LV_NAME). */
static void prefixed(struct strbuf *sb, const char *id, const char *v)
{
	strbuf_append(sb, "LVM2_");
	for (; *id; id++)
		strbuf_appendc(sb, (char)toupper((unsigned char)*id));
	strbuf_append(sb, "='");
	strbuf_append(sb, v);
	strbuf_appendc(sb, '\'');
}

/* lvm2 _output_as_rows (--rows): one line per field, heading then the values. */
static void print_rows(const struct cli_report *rep, char **text, const size_t *order, size_t n,
		       struct strbuf *sb)
{
	const char *sep = rep->opts.separator ? rep->opts.separator : " ";

	for (size_t c = 0; c < rep->n_cols; c++) {
		strbuf_append(sb, "  ");
		if (!rep->opts.noheadings) {
			strbuf_append(sb, cli_report_fields[rep->cols[c]].heading);
			strbuf_append(sb, sep);
		}
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_append(sb, sep);
			strbuf_append(sb, text[order[i] * rep->n_cols + c]);
		}
		strbuf_appendc(sb, '\n');
	}
}

/* "%-*.*s" / "%*.*s" of @v (@l bytes) in @w bytes at *o. */
static char *put_aligned(char *o, const char *v, size_t l, size_t w, bool right)
{
	if (l > w)
		l = w;
	if (right) {
		memset(o, ' ', w - l);
		o += w - l;
	}
	memcpy(o, v, l);
	o += l;
	if (!right) {
		memset(o, ' ', w - l);
		o += w - l;
	}
	return o;
}

/* The aligned table: every line is the same length, so the text is sized once and written
 * without a check per cell (10,000s of rows). lvm2 right-aligns only NUMBER (BIN too) and
 * SIZE fields; heading cells are left-aligned. */
/* The aligned table into @sb; with @out, written to @out in pieces of about 64 KiB as it
 * goes (a report of 10,000s of rows is never whole in memory; *io_err set when a write
 * fails), @sb left empty. */
static void print_aligned(const struct cli_report *rep, char **text, const size_t *order, size_t n,
			  const char *sep, struct strbuf *sb, FILE *out, bool *io_err)
{
	const struct cli_report_type *t = rep->type;
	size_t seplen = strlen(sep), line = 3, lines = n + !rep->opts.noheadings, total,
	       nc = rep->n_cols;
	/* each shown text's length, measured once for the widths and the writing */
	uint32_t *len = n && nc ? malloc(n * nc * sizeof(*len)) : NULL;
	size_t *width = calloc(nc ? nc : 1, sizeof(*width));
	char *o;

	if ((n && nc && !len) || !width) {
		sb->failed = true;
		free(len);
		free(width);
		return;
	}
	for (size_t c = 0; c < nc; c++) {
		const struct cli_report_field *f = &t->fields[rep->cols[c]];
		width[c] = f->width ? f->width : strlen(f->heading);
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(text[order[i] * nc + c]);
			len[i * nc + c] = (uint32_t)MIN(l, (size_t)UINT32_MAX);
			width[c] = MAX(width[c], len[i * nc + c]);
		}
	}
	for (size_t c = 0; c < nc; c++)
		line += width[c] + (c ? seplen : 0);
	/* the lines of one piece: all of them without @out */
	size_t piece = out ? MAX((size_t)65536 / line, (size_t)1) : lines;
	if (__builtin_mul_overflow(line, MIN(piece, lines), &total) ||
	    !strbuf_reserve(sb, total + 1)) {
		sb->failed = true;
		free(len);
		free(width);
		return;
	}
	o = sb->buf + sb->len;
	for (size_t i = 0; i < lines; i++) {
		bool head = !rep->opts.noheadings && i == 0;
		if (out && i && i % piece == 0) { /* the piece done: written, the room reused */
			sb->len = (size_t)(o - sb->buf);
			if (fwrite(sb->buf, 1, sb->len, out) != sb->len)
				*io_err = true;
			sb->len = 0;
			o = sb->buf;
		}
		size_t k = head ? 0 : i - !rep->opts.noheadings, r = head ? 0 : order[k];
		*o++ = ' ';
		*o++ = ' ';
		for (size_t c = 0; c < nc; c++) {
			const struct cli_report_field *f = &t->fields[rep->cols[c]];
			const char *v = head ? f->heading : text[r * nc + c];
			if (c) {
				memcpy(o, sep, seplen);
				o += seplen;
			}
			o = put_aligned(o, v, head ? strlen(v) : len[k * nc + c], width[c],
					!head && (f->kind == CLI_FIELD_NUM ||
						  f->kind == CLI_FIELD_SIZE ||
						  f->kind == CLI_FIELD_BIN));
		}
		*o++ = '\n';
	}
	sb->len = (size_t)(o - sb->buf);
	sb->buf[sb->len] = '\0';
	if (out) {
		if (sb->len && fwrite(sb->buf, 1, sb->len, out) != sb->len)
			*io_err = true;
		sb->len = 0;
		sb->buf[0] = '\0';
	}
	free(len);
	free(width);
}

/* The basic layouts into @sb; the aligned one written to @out as it goes when @out is not
 * NULL (print_aligned). */
static void print_basic(const struct cli_report *rep, char **text, const size_t *order, size_t n,
			struct strbuf *sb, FILE *out, bool *io_err)
{
	const struct cli_report_type *t = rep->type;
	bool np = rep->opts.nameprefixes;
	bool aligned = (!rep->opts.separator || rep->opts.aligned) && !np;
	const char *sep = rep->opts.separator ? rep->opts.separator : " ";

	if (n == 0) /* lvm2 prints nothing, not even headings */
		return;
	if (rep->opts.rows) {
		print_rows(rep, text, order, n, sb);
		return;
	}
	if (aligned) {
		print_aligned(rep, text, order, n, sep, sb, out, io_err);
		return;
	}

	if (!rep->opts.noheadings) {
		strbuf_append(sb, "  ");
		for (size_t c = 0; c < rep->n_cols; c++) {
			const char *h = t->fields[rep->cols[c]].heading;
			if (c)
				strbuf_append(sb, sep);
			strbuf_append(sb, h);
		}
		strbuf_appendc(sb, '\n');
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = order[i];
		strbuf_append(sb, "  ");
		for (size_t c = 0; c < rep->n_cols; c++) {
			const char *v = text[r * rep->n_cols + c];
			if (c)
				strbuf_append(sb, sep);
			if (np)
				prefixed(sb, t->fields[rep->cols[c]].id, v);
			else
				strbuf_append(sb, v);
		}
		strbuf_appendc(sb, '\n');
	}
}

/* The rows of one JSON report array, each at @indent. */
static void json_rows(const struct cli_report *rep, char **text, const size_t *order, size_t n,
		      struct strbuf *sb, const char *indent)
{
	const struct cli_report_type *t = rep->type;
	bool std = rep->opts.format == CLI_REPORT_JSON_STD;

	for (size_t i = 0; i < n; i++) {
		size_t r = order[i];
		strbuf_append(sb, indent);
		strbuf_appendc(sb, '{');
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
		strbuf_append(sb, i + 1 < n ? "},\n" : "}\n");
	}
}

/* lvm2's JSON layout: every line has lvm2's two-space log prefix, then 4-space indents. */
static void print_json(const struct cli_report *rep, char **text, const size_t *order, size_t n,
		       struct strbuf *sb)
{
	strbuf_append(sb, "  {\n");
	strbuf_append(sb, "      \"report\": [\n");
	strbuf_append(sb, "          {\n");
	strbuf_appendf(sb, "              \"%s\": [\n", rep->type->name);
	json_rows(rep, text, order, n, sb, "                  ");
	strbuf_append(sb, "              ]\n");
	strbuf_append(sb, "          }\n");
	strbuf_append(sb, "      ]\n");
	strbuf_append(sb, "  }\n");
}

/* Render every cell, select and sort the rows: *ret_order holds the shown rows. */
static char no_text[1]; /* the shown text of an empty cell (never written, never freed) */

static int prepare(struct cli_report *rep, char ***ret_text, size_t **ret_order, size_t *ret_n)
{
	size_t n_text = rep->n_rows * rep->n_cols, n = 0;
	char **text = calloc(n_text ? n_text : 1, sizeof(*text));
	size_t *order = calloc(rep->n_rows ? rep->n_rows : 1, sizeof(*order));

	*ret_text = text;
	*ret_order = order;
	*ret_n = 0;
	if (!text || !order)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n_rows; i++) {
		for (size_t c = 0; c < rep->n_cols; c++) {
			size_t f = rep->cols[c];
			const struct cell *cl = &rep->cells[i * rep->n_slots + (size_t)rep->slot[f]];
			char *s;
			/* strings and empty cells are shown as they are (borrowed from the cell or
			 * shared): no copy per cell of 10,000s of rows */
			if (cl->kind == CELL_STR)
				s = cl->str[0] ? cl->str : no_text;
			else if (cl->kind == CELL_UNSET)
				s = no_text;
			else {
				char buf[CELL_BUF];
				const char *t = cell_format(rep, &cli_report_fields[f], cl, buf,
							    sizeof(buf));
				if (!*t)
					s = no_text;
				else if (!(s = rep_strdup(rep, t)))
					return -ENOMEM;
			}
			text[i * rep->n_cols + c] = s;
		}
		if (!rep->sel || sel_eval(rep, rep->sel, i, NULL))
			order[n++] = i;
	}
	/* --unbuffered: lvm2 prints in processing order, which callers give as sort keys */
	{
		bool sorted = true; /* rows come in the core's name order: usually nothing to do */
		for (size_t i = 1; sorted && i < n; i++)
			sorted = row_cmp(rep, order[i - 1], order[i]) < 0;
		if (!sorted)
			sort_rows(rep, order, n);
	}
	*ret_n = n;
	return 0;
}

int cli_report_print_json_section(struct cli_report *rep, FILE *out)
{
	struct strbuf sb = { 0 };
	char **text = NULL;
	size_t *order = NULL, n = 0;
	int r = prepare(rep, &text, &order, &n);

	if (r == 0) {
		strbuf_appendf(&sb, "              \"%s\": [\n", rep->type->name);
		json_rows(rep, text, order, n, &sb, "                  ");
		strbuf_append(&sb, "              ]\n");
		if (!strbuf_ok(&sb))
			r = -ENOMEM;
		else if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
			r = -EIO;
	}
	free(text);
	free(order);
	strbuf_release(&sb);
	return r;
}

int cli_report_print(struct cli_report *rep, FILE *out)
{
	struct strbuf sb = { 0 };
	char **text = NULL;
	size_t *order = NULL, n = 0;
	bool io_err = false;
	int r = prepare(rep, &text, &order, &n);

	if (r < 0)
		goto out;
	if (rep->opts.format == CLI_REPORT_BASIC)
		print_basic(rep, text, order, n, &sb, out, &io_err);
	else
		print_json(rep, text, order, n, &sb);
	if (!strbuf_ok(&sb)) {
		r = -ENOMEM;
		goto out;
	}
	if (io_err || (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len))
		r = -EIO;
	if (r == 0 && fflush(out) != 0)
		r = -EIO;
out:
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
	if (cli_report_format_parse(fmt, err, &o.format) != CLI_OK)
		return CLI_EINVAL;
	*ret = o;
	return CLI_OK;
}

int cli_report_format_parse(const char *fmt, FILE *err, enum cli_report_format *ret)
{
	if (!fmt || streq(fmt, "basic")) {
		*ret = CLI_REPORT_BASIC;
	} else if (streq(fmt, "json")) {
		*ret = CLI_REPORT_JSON;
	} else {
		/* lvm2 2.03.16 refuses it while parsing the command line (tools/lvmcmdline.c
		 * reportformat_arg: basic or json); json_std came in 2.03.17 (CLI_REPORT_JSON_STD
		 * stays in the formatter for that version) */
		fprintf(err, "  Invalid argument for --reportformat: %s\n", fmt);
		fprintf(err, "  Error during parsing of command line.\n");
		return CLI_EINVAL;
	}
	return CLI_OK;
}
