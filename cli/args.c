/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2-compatible value parsers and a reentrant option parser. Syntax and messages follow
 * lvm2 2.03 tools/lvmcmdline.c; the getopt-style messages follow glibc's getopt_long. */
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

#include "cli/args.h"
#include "cli/cli.h"

/* lvm2's size limit: UINT64_MAX >> SECTOR_SHIFT sectors ("Size is too big (>=16EiB)."). */
#define SIZE_LIMIT_SECTORS (UINT64_MAX >> 9)
#define MAX_FRACTION_DIGITS 19

_printf_(3, 4) static int fail(char **ret_err, int r, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (!ret_err)
		return r;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	*ret_err = msg;
	return r;
}

/* A failure for which lvm2 prints nothing of its own (only "Invalid argument for ..."). */
static int fail_quiet(char **ret_err, int r)
{
	if (ret_err)
		*ret_err = NULL;
	return r;
}

static const char *skip_sign(const char *s, enum cli_sign *sign)
{
	switch (*s) {
	case '+':
		*sign = CLI_SIGN_PLUS;
		return s + 1;
	case '-':
		*sign = CLI_SIGN_MINUS;
		return s + 1;
	default:
		*sign = CLI_SIGN_NONE;
		return s;
	}
}

/* Sectors per unit for k m g t p e (powers of 1024, either case) and s; 0 for b (bytes) and
 * -1 for not a unit. */
static int64_t unit_sectors(char c)
{
	static const char order[] = "kmgtpe";
	const char *p;
	int64_t m = 2;

	c = (char)tolower((unsigned char)c);
	if (c == 's')
		return 1;
	if (c == 'b')
		return 0;
	if (!c || !(p = strchr(order, c)))
		return -1;
	for (ptrdiff_t i = 0; i < p - order; i++)
		m *= 1024;
	return m;
}

int cli_parse_size(const char *s, char default_unit, uint64_t *ret_sectors, enum cli_sign *ret_sign,
		   char **ret_err)
{
	enum cli_sign sign;
	const char *p, *digits;
	unsigned __int128 ip = 0, fp = 0, pow10 = 1, sectors, frac_sectors;
	bool ip_overflow = false, sticky = false, unit_is_bytes = false;
	unsigned nfrac = 0;
	int64_t mult;
	char unit;

	if (!s)
		return fail(ret_err, -EINVAL, "Size requires number argument.");
	p = skip_sign(s, &sign);
	if (*p == '+' || *p == '-')
		return fail(ret_err, -EINVAL, "Multiple sign symbols detected.");
	if (!isdigit((unsigned char)*p) && *p != '.')
		return fail(ret_err, -EINVAL, "Size requires number argument.");

	digits = p;
	for (; isdigit((unsigned char)*p); p++) {
		ip = ip * 10 + (unsigned)(*p - '0');
		if (ip > UINT64_MAX) {
			ip_overflow = true;
			ip = UINT64_MAX;
		}
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++) {
			if (nfrac < MAX_FRACTION_DIGITS) {
				fp = fp * 10 + (unsigned)(*p - '0');
				pow10 *= 10;
				nfrac++;
			} else if (*p != '0') {
				sticky = true;
			}
		}
	}
	/* "." alone or "+." is no number (lvm2: strtod fails there). */
	if (p == digits + 1 && *digits == '.')
		return fail(ret_err, -EINVAL, "Can't parse size argument at '%c'.", *digits);

	unit = *p ? *p : default_unit;
	mult = unit_sectors(unit);
	if (mult < 0) {
		if (*p)
			return fail(ret_err, -EINVAL, "Can't parse size argument.");
		return fail(ret_err, -EINVAL, "Invalid default unit '%c'.", unit);
	}
	if (*p) {
		const char *rest = p + 1;
		/* lvm2 looks only at the unit character; we allow the common spellings "GiB"/"GB". */
		if (*rest && mult > 1 && (strcasecmp(rest, "b") == 0 || strcasecmp(rest, "ib") == 0))
			rest += strlen(rest);
		if (*rest)
			return fail(ret_err, -EINVAL, "Can't parse size argument.");
	}
	unit_is_bytes = mult == 0;

	if (ip_overflow)
		return fail(ret_err, -ERANGE, "Size is too big (>=16EiB).");

	if (unit_is_bytes) {
		/* As lvm2: the byte count (fraction dropped) must be a multiple of 512. */
		uint64_t bytes = (uint64_t)ip, adj = bytes % 512;
		if (adj) {
			uint64_t up = bytes + (512 - adj);
			return fail(ret_err, -EINVAL,
				    "Size is not a multiple of 512. Try using %" PRIu64
				    " or %" PRIu64 ".",
				    up - 512, up);
		}
		sectors = bytes / 512;
	} else {
		/* ip <= 2^64, mult <= 2^51: no 128-bit overflow. */
		sectors = ip * (uint64_t)mult;
		/* fp < 10^19 and mult <= 2^51: the product fits in 128 bits. */
		frac_sectors = fp * (uint64_t)mult;
		sectors += frac_sectors / pow10;
		if (frac_sectors % pow10 || (sticky && mult))
			sectors++;
	}
	if (sectors >= SIZE_LIMIT_SECTORS)
		return fail(ret_err, -ERANGE, "Size is too big (>=16EiB).");

	*ret_sectors = (uint64_t)sectors;
	if (ret_sign)
		*ret_sign = sign;
	return 0;
}

/* lvm2 _get_int_arg: sign, at least one digit, decimal. Returns the end pointer or NULL. */
static const char *parse_u64(const char *s, uint64_t *ret, enum cli_sign *ret_sign, bool *ret_range)
{
	enum cli_sign sign;
	const char *p = skip_sign(s, &sign);
	uint64_t v = 0;

	*ret_range = false;
	if (!isdigit((unsigned char)*p))
		return NULL;
	for (; isdigit((unsigned char)*p); p++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v)) {
			*ret_range = true;
			return NULL;
		}
	}
	*ret = v;
	*ret_sign = sign;
	return p;
}

static int parse_percent(const char *p, enum cli_percent *ret, char **ret_err)
{
	static const struct {
		const char *name;
		enum cli_percent pct;
	} names[] = {
		{ "V", CLI_PERCENT_VG },          { "VG", CLI_PERCENT_VG },
		{ "L", CLI_PERCENT_LV },          { "LV", CLI_PERCENT_LV },
		{ "P", CLI_PERCENT_PVS },         { "PV", CLI_PERCENT_PVS },
		{ "PVS", CLI_PERCENT_PVS },       { "F", CLI_PERCENT_FREE },
		{ "FR", CLI_PERCENT_FREE },       { "FREE", CLI_PERCENT_FREE },
		{ "O", CLI_PERCENT_ORIGIN },      { "OR", CLI_PERCENT_ORIGIN },
		{ "ORIGIN", CLI_PERCENT_ORIGIN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(p, names[i].name) == 0) {
			*ret = names[i].pct;
			return 0;
		}
	return fail(ret_err, -EINVAL, "Specified %%%s is unknown.", p);
}

int cli_parse_extents(const char *s, struct cli_extents *ret, char **ret_err)
{
	struct cli_extents e = { 0 };
	const char *p;
	bool range = false;

	if (!s || !(p = parse_u64(s, &e.value, &e.sign, &range)))
		return fail_quiet(ret_err, range ? -ERANGE : -EINVAL);
	if (*p) {
		/* lvm2 prints nothing of its own for these, only "Invalid argument for ...". */
		if (*p != '%')
			return fail_quiet(ret_err, -EINVAL);
		if (parse_percent(p + 1, &e.percent, ret_err) < 0)
			return -EINVAL;
		if (e.value >= UINT32_MAX)
			return fail(ret_err, -ERANGE, "Percentage is too big (>=%u%%).", UINT32_MAX);
	}
	*ret = e;
	return 0;
}

int cli_parse_bool(const char *s, bool *ret, char **ret_err)
{
	if (s && streq(s, "y")) {
		*ret = true;
		return 0;
	}
	if (s && streq(s, "n")) {
		*ret = false;
		return 0;
	}
	return fail_quiet(ret_err, -EINVAL);
}

int cli_parse_int(const char *s, uint64_t *ret_value, enum cli_sign *ret_sign, char **ret_err)
{
	enum cli_sign sign;
	uint64_t v;
	const char *p;
	bool range = false;

	if (!s || !(p = parse_u64(s, &v, &sign, &range)))
		return fail_quiet(ret_err, range ? -ERANGE : -EINVAL);
	if (*p)
		return fail_quiet(ret_err, -EINVAL);
	*ret_value = v;
	if (ret_sign)
		*ret_sign = sign;
	return 0;
}

int cli_parse_activation(const char *s, enum cli_activation *ret, char **ret_err)
{
	static const struct {
		const char *name;
		enum cli_activation act;
	} names[] = {
		{ "y", CLI_ACTIVATE_Y },        { "n", CLI_ACTIVATE_N },
		{ "en", CLI_ACTIVATE_N },       { "ne", CLI_ACTIVATE_N },
		{ "a", CLI_ACTIVATE_AUTO },     { "ay", CLI_ACTIVATE_AUTO },
		{ "ya", CLI_ACTIVATE_AUTO },    { "e", CLI_ACTIVATE_EXCL },
		{ "ey", CLI_ACTIVATE_EXCL },    { "ye", CLI_ACTIVATE_EXCL },
		{ "s", CLI_ACTIVATE_SHARED },   { "sy", CLI_ACTIVATE_SHARED },
		{ "ys", CLI_ACTIVATE_SHARED },  { "ly", CLI_ACTIVATE_LOCAL_Y },
		{ "yl", CLI_ACTIVATE_LOCAL_Y }, { "ln", CLI_ACTIVATE_LOCAL_N },
		{ "nl", CLI_ACTIVATE_LOCAL_N },
	};

	for (size_t i = 0; s && i < ARRAY_SIZE(names); i++)
		if (streq(s, names[i].name)) {
			*ret = names[i].act;
			return 0;
		}
	return fail_quiet(ret_err, -EINVAL);
}

int cli_parse_units(const char *s, char *ret_unit, char **ret_err)
{
	if (!s || !s[0] || s[1] || !strchr("hHrRbBsSkKmMgGtTpPeE", s[0]))
		return fail_quiet(ret_err, -EINVAL);
	*ret_unit = s[0];
	return 0;
}

/* ---- option parser ---- */

struct parse_state {
	const char *cmd;
	FILE *err;
	struct cli_parsed *p;
};

/* The name lvm2 uses in messages: "--size", or "-x" for an option without a long name. */
static void opt_display(const struct cli_option *o, char *buf, size_t len)
{
	if (o->long_name)
		snprintf(buf, len, "--%s", o->long_name);
	else
		snprintf(buf, len, "-%c", o->short_name);
}

static int sign_check(const struct cli_option *o, enum cli_sign sign, const char *what, FILE *err)
{
	bool plus = o->flags & CLI_OPTF_PLUS, minus = o->flags & CLI_OPTF_MINUS;

	if (sign == CLI_SIGN_NONE || (sign == CLI_SIGN_PLUS && plus) ||
	    (sign == CLI_SIGN_MINUS && minus))
		return 0;
	if (!plus && !minus)
		fprintf(err, "  %s may not be relative/signed.\n", what);
	else if (sign == CLI_SIGN_MINUS)
		fprintf(err, "  %s may not be negative.\n", what);
	else
		fprintf(err, "  %s may not be positive.\n", what);
	return -EINVAL;
}

static int convert_value(const struct cli_option *o, const char *arg, struct cli_optval *v,
			 FILE *err)
{
	_cleanup_free_ char *msg = NULL;
	int r = 0;

	switch (o->type) {
	case CLI_OPT_FLAG:
	case CLI_OPT_STR:
		break;
	case CLI_OPT_INT:
		r = cli_parse_int(arg, &v->u64, &v->sign, &msg);
		/* lvm2 int_arg refuses "-N" silently; int_arg_with_plus says why. */
		if (r == 0 && v->sign == CLI_SIGN_MINUS && !(o->flags & CLI_OPTF_MINUS)) {
			if (o->flags & CLI_OPTF_PLUS)
				fprintf(err, "  Number may not be negative.\n");
			r = -EINVAL;
		}
		break;
	case CLI_OPT_BOOL:
		r = cli_parse_bool(arg, &v->b, &msg);
		break;
	case CLI_OPT_SIZE_MB:
	case CLI_OPT_SIZE_KB:
		r = cli_parse_size(arg, o->type == CLI_OPT_SIZE_MB ? 'm' : 'k', &v->u64, &v->sign,
				   &msg);
		if (r == 0)
			r = sign_check(o, v->sign, "Size", err);
		break;
	case CLI_OPT_EXTENTS:
		r = cli_parse_extents(arg, &v->extents, &msg);
		if (r == 0) {
			v->sign = v->extents.sign;
			r = sign_check(o, v->sign, "Extents", err);
		}
		break;
	case CLI_OPT_ACTIVATION:
		r = cli_parse_activation(arg, &v->activation, &msg);
		break;
	case CLI_OPT_UNITS:
		r = cli_parse_units(arg, &v->unit, &msg);
		break;
	}
	if (r < 0 && msg)
		fprintf(err, "  %s\n", msg);
	return r;
}

static int record(struct parse_state *st, size_t idx, const char *arg)
{
	const struct cli_option *o = &st->p->table[idx];
	struct cli_optval *v = &st->p->val[idx];
	char name[64];
	const char **args;

	if (v->count && !(o->flags & CLI_OPTF_REPEATABLE)) {
		/* lvm2: "Option -n/--name may not be repeated." */
		fprintf(st->err, "  Option");
		if (o->short_name)
			fprintf(st->err, " -%c", o->short_name);
		if (o->long_name)
			fprintf(st->err, "%s--%s", o->short_name ? "/" : " ", o->long_name);
		fprintf(st->err, " may not be repeated.\n");
		return -EINVAL;
	}
	if (o->type != CLI_OPT_FLAG && convert_value(o, arg, v, st->err) < 0) {
		opt_display(o, name, sizeof(name));
		fprintf(st->err, "  Invalid argument for %s: %s\n", name, arg);
		return -EINVAL;
	}
	args = realloc(v->args, (v->count + 1) * sizeof(*args));
	if (!args)
		return -ENOMEM;
	args[v->count] = arg;
	v->args = args;
	v->arg = arg;
	v->count++;
	return 0;
}

/* lvm2 drops every '-' in a long option's name (not in its "=value"). */
static char *strip_hyphens(const char *name)
{
	char *out = malloc(strlen(name) + 1), *q = out;
	bool in_value = false;

	if (!out)
		return NULL;
	for (const char *c = name; *c; c++) {
		if (*c == '=')
			in_value = true;
		if (*c != '-' || in_value)
			*q++ = *c;
	}
	*q = '\0';
	return out;
}

static int parse_long(struct parse_state *st, int argc, char *const *argv, int *i)
{
	const struct cli_parsed *p = st->p;
	_cleanup_free_ char *name = strip_hyphens(argv[*i] + 2);
	const char *eq, *arg = NULL;
	size_t namelen, found = SIZE_MAX, nmatch = 0;

	if (!name)
		return -ENOMEM;
	eq = strchr(name, '=');
	namelen = eq ? (size_t)(eq - name) : strlen(name);

	for (size_t k = 0; k < p->n_table; k++) {
		const char *ln = p->table[k].long_name;
		if (!ln || strncmp(ln, name, namelen) != 0)
			continue;
		if (strlen(ln) == namelen) { /* exact match wins */
			found = k;
			nmatch = 1;
			break;
		}
		if (nmatch++ == 0)
			found = k;
	}
	if (nmatch == 0) {
		fprintf(st->err, "%s: unrecognized option '--%s'\n", st->cmd, name);
		return -EINVAL;
	}
	if (nmatch > 1) {
		fprintf(st->err, "%s: option '--%.*s' is ambiguous; possibilities:", st->cmd,
			(int)namelen, name);
		for (size_t k = 0; k < p->n_table; k++) {
			const char *ln = p->table[k].long_name;
			if (ln && strncmp(ln, name, namelen) == 0)
				fprintf(st->err, " '--%s'", ln);
		}
		fprintf(st->err, "\n");
		return -EINVAL;
	}

	if (p->table[found].type == CLI_OPT_FLAG) {
		if (eq) {
			fprintf(st->err, "%s: option '--%s' doesn't allow an argument\n", st->cmd,
				p->table[found].long_name);
			return -EINVAL;
		}
	} else if (eq) {
		/* Point into argv, not into our stripped copy: the value outlives this call. */
		arg = strchr(argv[*i], '=') + 1;
	} else if (*i + 1 < argc) {
		arg = argv[++*i];
	} else {
		fprintf(st->err, "%s: option '--%s' requires an argument\n", st->cmd,
			p->table[found].long_name);
		return -EINVAL;
	}
	return record(st, found, arg);
}

static int parse_short(struct parse_state *st, int argc, char *const *argv, int *i)
{
	const struct cli_parsed *p = st->p;
	const char *a = argv[*i];

	for (size_t j = 1; a[j]; j++) {
		size_t k;
		int r;

		for (k = 0; k < p->n_table; k++)
			if (p->table[k].short_name && p->table[k].short_name == a[j])
				break;
		if (k == p->n_table) {
			fprintf(st->err, "%s: invalid option -- '%c'\n", st->cmd, a[j]);
			return -EINVAL;
		}
		if (p->table[k].type == CLI_OPT_FLAG) {
			r = record(st, k, NULL);
			if (r < 0)
				return r;
			continue;
		}
		if (a[j + 1])
			return record(st, k, &a[j + 1]);
		if (*i + 1 < argc)
			return record(st, k, argv[++*i]);
		fprintf(st->err, "%s: option requires an argument -- '%c'\n", st->cmd, a[j]);
		return -EINVAL;
	}
	return 0;
}

int cli_options_parse(const char *cmd, const struct cli_option *table, size_t n, int argc,
		      char *const *argv, FILE *err, struct cli_parsed **ret)
{
	struct cli_parsed *p = calloc(1, sizeof(*p));
	struct parse_state st = { .cmd = cmd, .err = err, .p = p };
	bool options_done = false;
	int r = 0;

	if (!p)
		return CLI_FAILED;
	p->table = table;
	p->n_table = n;
	p->val = calloc(n ? n : 1, sizeof(*p->val));
	p->pos = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*p->pos));
	if (!p->val || !p->pos) {
		cli_parsed_free(p);
		return CLI_FAILED;
	}

	for (int i = 1; i < argc && r == 0; i++) {
		const char *a = argv[i];

		if (options_done || a[0] != '-' || a[1] == '\0') {
			p->pos[p->n_pos++] = argv[i];
		} else if (streq(a, "--")) {
			options_done = true;
		} else if (a[1] == '-') {
			r = parse_long(&st, argc, argv, &i);
		} else {
			r = parse_short(&st, argc, argv, &i);
		}
	}
	if (r == -ENOMEM) {
		cli_parsed_free(p);
		return CLI_FAILED;
	}
	if (r < 0) {
		fprintf(err, "  Error during parsing of command line.\n");
		cli_parsed_free(p);
		return CLI_EINVAL;
	}
	*ret = p;
	return CLI_OK;
}

const struct cli_optval *cli_opt(const struct cli_parsed *p, int id)
{
	for (size_t k = 0; k < p->n_table; k++)
		if (p->table[k].id == id)
			return &p->val[k];
	return NULL;
}

bool cli_opt_isset(const struct cli_parsed *p, int id)
{
	const struct cli_optval *v = cli_opt(p, id);
	return v && v->count > 0;
}

const char *cli_opt_str(const struct cli_parsed *p, int id, const char *def)
{
	const struct cli_optval *v = cli_opt(p, id);
	return v && v->count && v->arg ? v->arg : def;
}

struct cli_parsed *cli_parsed_free(struct cli_parsed *p)
{
	if (!p)
		return NULL;
	for (size_t k = 0; p->val && k < p->n_table; k++)
		free(p->val[k].args);
	free(p->val);
	free(p->pos);
	free(p);
	return NULL;
}
