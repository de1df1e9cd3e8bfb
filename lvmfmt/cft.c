/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvm2's config text syntax. The tokenizer follows lvm2's libdm/libdm-config.c (_get_token,
 * _eat_space, _type); the two layouts follow lvm2's lib/format_text/export.c
 * (_out_with_comment_raw for on-disk metadata, _out_with_comment_file for backups).
 * Written from those facts, not from that code.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/macros.h"
#include "util/strbuf.h"

#include "lvmfmt/cft.h"
#include "lvmfmt/err.h"

/* lvm2 export.c: indentation stops at 5 tabs; comments line up at tab stop 6. */
#define INDENT_MAX 5
#define COMMENT_TAB 6
/* How much of an offending token an error message quotes. */
#define SHOW_MAX 40

/* ---- nodes ---- */

static struct lvf_cft_node *node_new(enum lvf_cft_type type)
{
	struct lvf_cft_node *n = calloc(1, sizeof(*n));

	if (n)
		n->type = type;
	return n;
}

/* A bump allocator for the parser: a parse of megabytes of metadata makes hundreds of
 * thousands of nodes and strings; one arena makes that a few large allocations, freed at
 * once with the root (issue 13). */
#define HUGE_SZ ((size_t)2 << 20)
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};
struct lvf_cft_arena {
	struct arena_block *head;
	size_t next_size;
};

/* @align: a power of two up to _Alignof(max_align_t); 1 for strings, 8 for nodes. */
static void *arena_alloc_aligned(struct lvf_cft_arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;

	if (b)
		b->used = (b->used + align - 1) & ~(align - 1);
	if (!b || b->used > b->size || b->size - b->used < n) {
		size_t sz = MAX(a->next_size, n);
		if (sizeof(*b) + sz >= HUGE_SZ) {
			/* whole transparent huge pages: one fault per 2 MiB instead of 512 */
			void *m = NULL;
			sz = ((sizeof(*b) + sz + HUGE_SZ - 1) & ~(HUGE_SZ - 1)) - sizeof(*b);
			if (posix_memalign(&m, HUGE_SZ, sizeof(*b) + sz))
				return NULL;
			(void)madvise(m, sizeof(*b) + sz, MADV_HUGEPAGE);
			b = m;
		} else if (!(b = malloc(sizeof(*b) + sz))) {
			return NULL;
		}
		b->size = sz;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		if (a->next_size < (8u << 20))
			a->next_size *= 2;
	}
	b->used += n;
	return b->data + b->used - n;
}

/* A point to go back to: what was allocated after it is released by arena_rewind. */
struct arena_mark {
	struct arena_block *head;
	size_t used;
};

static struct arena_mark arena_mark(const struct lvf_cft_arena *a)
{
	return (struct arena_mark){ a->head, a->head ? a->head->used : 0 };
}

static void arena_rewind(struct lvf_cft_arena *a, struct arena_mark m)
{
	/* blocks made after the mark: keep the newest (the next allocations reuse it), free
	 * the others; without a new block, back to the mark's fill */
	if (a->head == m.head) {
		if (m.head)
			m.head->used = m.used;
		return;
	}
	while (a->head->next != m.head) {
		struct arena_block *b = a->head->next;
		a->head->next = b->next;
		free(b);
	}
	a->head->used = 0;
	if (m.head)
		m.head->used = m.used;
}

static void *arena_alloc(struct lvf_cft_arena *a, size_t n)
{
	return arena_alloc_aligned(a, n, _Alignof(struct lvf_cft_node));
}

static char *arena_strndup(struct lvf_cft_arena *a, const char *s, size_t n)
{
	char *d = arena_alloc_aligned(a, n + 1, 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void arena_free(struct lvf_cft_arena *a)
{
	while (a && a->head) {
		struct arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
	free(a);
}

/* @lean: only the fields before the layout hints (lvf_cft_parse_lean) */
static struct lvf_cft_node *arena_node(struct lvf_cft_arena *a, enum lvf_cft_type type, bool lean)
{
	size_t sz = lean ? offsetof(struct lvf_cft_node, pre_comment) : sizeof(struct lvf_cft_node);
	struct lvf_cft_node *n = arena_alloc(a, sz);

	if (n) {
		memset(n, 0, sz);
		n->type = type;
		n->in_arena = true;
	}
	return n;
}

struct lvf_cft_node *lvf_cft_free(struct lvf_cft_node *n)
{
	struct lvf_cft_node *c, *next;

	if (!n)
		return NULL;
	for (c = n->child; c; c = next) {
		next = c->next;
		lvf_cft_free(c);
	}
	if (!n->in_arena) {
		free(n->key);
		free(n->s);
		free(n->pre_comment);
		free(n->comment);
		arena_free(n->arena);
		free(n);
	}
	return NULL;
}

/* ---- parser ---- */

struct parser {
	const char *p, *e; /* cursor, end of text (len or first NUL) */
	const char *lb;    /* start of the cursor's line */
	unsigned line;
	size_t nodes;
	struct lvf_err *err;

	/* What the gap after the last token held (whitespace, comments, newlines). */
	bool gap_nl;                   /* a newline was crossed */
	const char *trail_b, *trail_e; /* comment on the last token's line */
	bool trail_tab;                /* ... preceded by exactly one tab */
	struct strbuf pre;             /* full-line comments, '\n'-separated */
	struct lvf_cft_arena *A;       /* where nodes and strings go */
	bool lean;                     /* lvf_cft_parse_lean: no layout */
	lvf_cft_item_hook hook;        /* lvf_cft_parse_lean_hook */
	lvf_cft_text_hook text_hook;   /* lvf_cft_parse_lean_hooks */
	void *hook_ud;
	struct lvf_cft_node *open[3]; /* the sections whose bodies are being parsed, depth 0-2 */
	unsigned pre_n;               /* lines in pre */
	size_t pre_len;               /* bytes of pre (a lean parse only counts them) */
	unsigned blank;               /* empty lines after the last full-line comment */
	size_t tok_len;               /* length of the last bare word read */
	bool tok_slash;               /* ... and whether it holds a '/' */
};

/* Byte classes of the tokenizer, one table look-up per byte. */
enum { CC_SPACE = 1, CC_CTL = 2, CC_ENDS_BARE = 4, CC_SLASH = 8 };
#define CC_WS (CC_SPACE | CC_CTL | CC_ENDS_BARE) /* whitespace below 0x20 */
static const unsigned char cclass[256] = {
	[0 ... 0x08] = CC_CTL,
	['\t' ... '\r'] = CC_WS,
	[0x0e ... 0x1f] = CC_CTL,
	[0x7f] = CC_CTL,
	[' '] = CC_SPACE | CC_ENDS_BARE,
	['#'] = CC_ENDS_BARE,
	['='] = CC_ENDS_BARE,
	['{'] = CC_ENDS_BARE,
	['}'] = CC_ENDS_BARE,
	['/'] = CC_SLASH,
};

static bool is_space(char c)
{
	return cclass[(unsigned char)c] & CC_SPACE;
}

static bool is_ctl(char c)
{
	return cclass[(unsigned char)c] & CC_CTL;
}

/* A bare word (key or unquoted value) ends here, as in lvm2. */
static bool ends_bare(char c)
{
	return cclass[(unsigned char)c] & CC_ENDS_BARE;
}

/* Copy at most SHOW_MAX bytes of s[0..n) into dst for an error message, '?' for control bytes. */
static const char *show(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && i < SHOW_MAX && k + 4 < dstlen; i++)
		dst[k++] = is_ctl(s[i]) ? '?' : s[i];
	if (i < n && k + 4 < dstlen) {
		memcpy(dst + k, "...", 3);
		k += 3;
	}
	dst[k] = '\0';
	return dst;
}

static unsigned col_of(const struct parser *P, const char *at)
{
	return (unsigned)(at - P->lb) + 1;
}

_printf_(5, 6) static int fail_at(struct parser *P, unsigned line, unsigned col, int r,
				  const char *fmt, ...)
{
	va_list ap;

	if (P->err) {
		P->err->line = line;
		P->err->column = col;
		P->err->offset = UINT64_MAX;
		va_start(ap, fmt);
		vsnprintf(P->err->msg, sizeof(P->err->msg), fmt, ap);
		va_end(ap);
	}
	return r;
}

#define fail(P, r, ...) fail_at((P), (P)->line, col_of((P), (P)->p), (r), __VA_ARGS__)

static int oom(struct parser *P)
{
	return fail(P, -ENOMEM, "out of memory");
}

static unsigned sat_inc(unsigned v)
{
	return v < LVF_CFT_MAX_BLANK ? v + 1 : v;
}

/*
 * Skip whitespace and comments up to the next token, recording the layout: a comment on the
 * line of the previous token is its trailing comment, later comments are full-line comments
 * for the next node, and lines with nothing on them are blank lines.
 */
static void gap_begin(struct parser *P, bool after_token)
{
	P->gap_nl = !after_token;
	P->trail_b = P->trail_e = NULL;
	P->trail_tab = false;
	if (P->pre_n)
		strbuf_reset(&P->pre);
	P->pre_n = 0;
	P->pre_len = 0;
	P->blank = 0;
}

/* not inlined into skip_gap: its short path stays a leaf without the register saves */
__attribute__((noinline)) static int skip_gap_any(struct parser *P, bool after_token)
{
	bool content = after_token; /* the current line has had a token or comment */
	const char *ws = P->p;      /* start of the whitespace before a comment */

	gap_begin(P, after_token);

	while (P->p < P->e) {
		char c = *P->p;

		if (c == '\n') {
			if (!content)
				P->blank = sat_inc(P->blank);
			content = false;
			P->gap_nl = true;
			P->line++;
			P->p++;
			P->lb = ws = P->p;
		} else if (is_space(c)) {
			P->p++;
		} else if (c == '#') {
			const char *cb = P->p, *ce, *nl = memchr(P->p, '\n', (size_t)(P->e - P->p));

			P->p = nl ? nl : P->e;
			ce = P->p;
			while (ce > cb && is_space(ce[-1]))
				ce--;
			if ((size_t)(ce - cb) > LVF_CFT_MAX_STRING)
				return fail_at(P, P->line, col_of(P, cb), -EBADMSG,
					       "comment longer than %u bytes", LVF_CFT_MAX_STRING);
			if (!P->gap_nl) {
				P->trail_b = cb;
				P->trail_e = ce;
				P->trail_tab = cb - ws == 1 && *ws == '\t';
			} else {
				/* a lean parse keeps nothing, but counts: the limit is the same */
				for (unsigned k = 0; k < P->blank + 1; k++) {
					if (P->pre_n++) {
						P->pre_len++;
						if (!P->lean)
							strbuf_appendc(&P->pre, '\n');
					}
				}
				P->pre_len += (size_t)(ce - cb);
				if (!P->lean)
					strbuf_appendn(&P->pre, cb, (size_t)(ce - cb));
				P->blank = 0;
				if (!P->lean && !strbuf_ok(&P->pre))
					return oom(P);
				if (P->pre_len > LVF_CFT_MAX_STRING)
					return fail_at(P, P->line, col_of(P, cb), -EBADMSG,
						       "comment block longer than %u bytes",
						       LVF_CFT_MAX_STRING);
			}
			content = true;
		} else {
			break;
		}
	}
	return 0;
}

/* skip_gap_any, with the gaps of the on-disk layout (one blank or one newline between two
 * tokens: most gaps of a large VG's text) taken without its loop. */
static int skip_gap(struct parser *P, bool after_token)
{
	const char *p = P->p;

	if (after_token && P->e - p >= 2 && (p[0] == ' ' || p[0] == '\n') && !is_space(p[1]) &&
	    p[1] != '#') {
		gap_begin(P, true);
		if (p[0] == '\n') {
			P->gap_nl = true;
			P->line++;
			P->lb = p + 1;
		}
		P->p = p + 1;
		return 0;
	}
	return skip_gap_any(P, after_token);
}

/* A word a lean parse shares instead of copying: @w when s[0..n) is @w (n is its length). */
#define LEAN_IS(w) (memcmp(s, w, sizeof(w) - 1) ? NULL : (char *)(w))

/* Status words and segment types, shared like lean_key's: by length, then the bytes (the
 * compares of a constant length are a few loads, no scan of a list). */
static char *lean_value(const char *s, size_t n)
{
	switch (n) {
	case 3:
		return LEAN_IS("pv0") ?: LEAN_IS("pv1");
	case 4:
		return LEAN_IS("READ") ?: LEAN_IS("thin");
	case 5:
		return LEAN_IS("WRITE");
	case 6:
		return LEAN_IS("linear");
	case 7:
		return LEAN_IS("VISIBLE") ?: LEAN_IS("striped");
	case 9:
		return LEAN_IS("thin-pool");
	}
	return NULL;
}

/* Read a "..." or '...' token at the cursor into *ret (unescaped for "..."). */
static int read_quoted(struct parser *P, const char *what, char **ret)
{
	const char q = *P->p;
	const unsigned sline = P->line, scol = col_of(P, P->p);
	_cleanup_(strbuf_release) struct strbuf sb = { 0 };

	P->p++;
	{
		/* the common case: no escape, no newline; copied straight into the arena */
		size_t span = MIN((size_t)(P->e - P->p), (size_t)LVF_CFT_MAX_STRING + 1);
		const char *t = memchr(P->p, q, span);
		if (t && (size_t)(t - P->p) <= LVF_CFT_MAX_STRING &&
		    !memchr(P->p, '\\', (size_t)(t - P->p)) &&
		    !memchr(P->p, '\n', (size_t)(t - P->p))) {
			if (!(P->lean && t > P->p && (*ret = lean_value(P->p, (size_t)(t - P->p)))) &&
			    !(*ret = arena_strndup(P->A, P->p, (size_t)(t - P->p))))
				return oom(P);
			P->p = t + 1;
			return 0;
		}
	}
	for (;;) {
		char c;

		if (P->p >= P->e)
			return fail_at(P, sline, scol, -EBADMSG,
				       "unterminated %s (missing closing %c)", what, q);
		c = *P->p++;
		if (c == q)
			break;
		if (q == '"' && c == '\\') {
			/* The backslash always protects the next byte from ending the string;
			 * only \" and \\ lose their backslash (lvm2's dm_unescape_double_quotes). */
			if (P->p >= P->e)
				return fail_at(P, sline, scol, -EBADMSG,
					       "unterminated %s (missing closing %c)", what, q);
			if (*P->p != '"' && *P->p != '\\')
				strbuf_appendc(&sb, '\\');
			c = *P->p++;
		}
		if (c == '\n') {
			P->line++;
			P->lb = P->p;
		}
		strbuf_appendc(&sb, c);
		if (sb.len > LVF_CFT_MAX_STRING)
			return fail_at(P, sline, scol, -EBADMSG, "%s longer than %u bytes", what,
				       LVF_CFT_MAX_STRING);
	}
	if (!strbuf_ok(&sb))
		return oom(P);
	*ret = arena_strndup(P->A, sb.buf ? sb.buf : "", sb.len);
	if (!*ret)
		return oom(P);
	return 0;
}

/* The keys of a VG's LV sections, shared by every node of a lean parse (which is read-only)
 * instead of a copy each: most nodes of a large VG's text carry one of these. */
static char *lean_key(const char *s, size_t n)
{
	switch (n) {
	case 2:
		return LEAN_IS("id");
	case 4:
		return LEAN_IS("type") ?: LEAN_IS("tags");
	case 5:
		return LEAN_IS("flags");
	case 6:
		return LEAN_IS("status");
	case 7:
		return LEAN_IS("stripes");
	case 8:
		return LEAN_IS("segment1");
	case 9:
		return LEAN_IS("thin_pool") ?: LEAN_IS("device_id");
	case 12:
		return LEAN_IS("start_extent") ?: LEAN_IS("extent_count") ?: LEAN_IS("stripe_count");
	case 13:
		return LEAN_IS("creation_time") ?: LEAN_IS("creation_host") ?: LEAN_IS("segment_count");
	case 14:
		return LEAN_IS("transaction_id");
	}
	return NULL;
}

/* Read a bare word at the cursor (up to whitespace, '#', '=', '{', '}'). */
static int read_bare(struct parser *P, const char *what, char **ret)
{
	const char *s = P->p, *q = s;
	char *r;

	P->tok_slash = false;
	for (; q < P->e; q++) {
		unsigned k = cclass[(unsigned char)*q];
		if (!k)
			continue;
		if (k & CC_ENDS_BARE)
			break;
		if (k & CC_CTL) {
			P->p = q; /* where the error is */
			return fail(P, -EBADMSG, "unexpected byte 0x%02x in %s", (unsigned char)*q,
				    what);
		}
		P->tok_slash = true;
	}
	P->p = q;
	P->tok_len = (size_t)(P->p - s);
	if ((size_t)(P->p - s) > LVF_CFT_MAX_STRING)
		return fail_at(P, P->line, col_of(P, s), -EBADMSG, "%s longer than %u bytes", what,
			       LVF_CFT_MAX_STRING);
	if (P->lean && P->p > s && (r = lean_key(s, (size_t)(P->p - s)))) {
		*ret = r;
		return 0;
	}
	r = arena_strndup(P->A, s, (size_t)(P->p - s));
	if (!r)
		return oom(P);
	*ret = r;
	return 0;
}

/* Integer or float token at the cursor, into n. */
static int read_number(struct parser *P, struct lvf_cft_node *n)
{
	const char *s = P->p, *t = s + 1;
	const unsigned col = col_of(P, s);
	bool is_float = *s == '.', digits = *s >= '0' && *s <= '9';
	char buf[LVF_CFT_MAX_NUMBER + 1], shown[SHOW_MAX + 8];
	size_t len;

	while (t < P->e) {
		if (*t >= '0' && *t <= '9')
			digits = true;
		else if (*t == '.' && !is_float)
			is_float = true;
		else
			break;
		t++;
	}
	if (t < P->e && !is_space(*t) && *t != '#' && *t != ',' && *t != ']' && *t != '}') {
		const char *x = t;

		while (x < P->e && !ends_bare(*x) && *x != ',' && *x != ']')
			x++;
		return fail_at(P, P->line, col, -EBADMSG,
			       "invalid number '%s' (decimal, or octal with a leading 0; no hex)",
			       show(shown, sizeof(shown), s, (size_t)(x - s)));
	}
	len = (size_t)(t - s);
	if (!is_float && len <= 18 && (*s != '0' || len == 1) && *s >= '0' && *s <= '9') {
		/* a plain decimal of up to 18 digits (nearly all): no copy, no overflow */
		int64_t v = 0;
		for (const char *d = s; d < t; d++)
			v = v * 10 + (*d - '0');
		n->type = LVF_CFT_INT;
		n->i = v;
		P->p = t;
		return 0;
	}
	if (len > LVF_CFT_MAX_NUMBER)
		return fail_at(P, P->line, col, -EBADMSG, "number longer than %u bytes",
			       LVF_CFT_MAX_NUMBER);
	if (!digits)
		return fail_at(P, P->line, col, -EBADMSG, "invalid number '%s'",
			       show(shown, sizeof(shown), s, len));
	memcpy(buf, s, len);
	buf[len] = '\0';
	P->p = t;

	if (is_float) {
		char *end;
		double f = strtod(buf, &end);

		if (end != buf + len)
			return fail_at(P, P->line, col, -EBADMSG, "invalid number '%s'",
				       show(shown, sizeof(shown), s, len));
		if (isinf(f) || isnan(f))
			return fail_at(P, P->line, col, -ERANGE, "number '%s' is out of range",
				       show(shown, sizeof(shown), s, len));
		n->type = LVF_CFT_FLOAT;
		n->f = f;
	} else {
		const char *d = buf;
		bool neg = false;
		unsigned base;
		uint64_t v = 0, limit;

		if (*d == '+' || *d == '-')
			neg = *d++ == '-';
		base = (d[0] == '0' && d[1]) ? 8 : 10;
		limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		for (; *d; d++) {
			unsigned dig = (unsigned)(*d - '0');

			if (dig >= base)
				return fail_at(P, P->line, col, -EBADMSG,
					       "invalid octal number '%s' (a leading 0 means octal)",
					       show(shown, sizeof(shown), s, len));
			if (v > (limit - dig) / base)
				return fail_at(P, P->line, col, -ERANGE,
					       "integer '%s' is out of range for 64 bits",
					       show(shown, sizeof(shown), s, len));
			v = v * base + dig;
		}
		n->type = LVF_CFT_INT;
		if (neg)
			n->i = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		else
			n->i = (int64_t)v;
	}
	return 0;
}

static int count_node(struct parser *P)
{
	if (++P->nodes > LVF_CFT_MAX_NODES)
		return fail(P, -EBADMSG, "more than %u nodes", LVF_CFT_MAX_NODES);
	return 0;
}

/* One scalar (array element or value) at the cursor, then the gap after it. */
static int parse_scalar(struct parser *P, struct lvf_cft_node *n, const char *key)
{
	char shown[SHOW_MAX + 8];
	char c;
	int r;

	if (P->p >= P->e)
		return fail(P, -EBADMSG, "expected a value for key '%s' but the text ended",
			    show(shown, sizeof(shown), key, strlen(key)));
	c = *P->p;
	if (c == '"' || c == '\'') {
		n->type = LVF_CFT_STR;
		r = read_quoted(P, "string", &n->s);
	} else if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
		r = read_number(P, n);
	} else if (c == '[') {
		r = fail(P, -EBADMSG, "arrays cannot be nested (key '%s')",
			 show(shown, sizeof(shown), key, strlen(key)));
	} else if (c == ']' || c == ',' || c == '{' || c == '}' || c == '=') {
		r = fail(P, -EBADMSG, "expected a value for key '%s', found '%c'",
			 show(shown, sizeof(shown), key, strlen(key)), c);
	} else if (is_ctl(c)) {
		r = fail(P, -EBADMSG, "unexpected byte 0x%02x where a value for key '%s' should be",
			 (unsigned char)c, show(shown, sizeof(shown), key, strlen(key)));
	} else {
		n->type = LVF_CFT_STR;
		r = read_bare(P, "value", &n->s);
	}
	if (r < 0)
		return r;
	return skip_gap(P, true);
}

static int take_trailing(struct parser *P, struct lvf_cft_node *n, unsigned depth)
{
	if (!P->trail_b || P->lean)
		return 0;
	n->comment = arena_strndup(P->A, P->trail_b, (size_t)(P->trail_e - P->trail_b));
	if (!n->comment)
		return oom(P);
	n->comment_style = depth == 0 && P->trail_tab ? LVF_CFT_COMMENT_TAB
						      : LVF_CFT_COMMENT_ALIGNED;
	return 0;
}

static int parse_value(struct parser *P, struct lvf_cft_node *n, unsigned depth)
{
	struct lvf_cft_node *tail = NULL, *el;
	unsigned open_line, open_col, count = 0, first_line = 0;
	bool multi, first_done;
	int r;

	if (P->p >= P->e || *P->p != '[') {
		r = parse_scalar(P, n, n->key);
		if (r < 0)
			return r;
		return take_trailing(P, n, depth);
	}

	n->type = LVF_CFT_ARRAY;
	open_line = P->line;
	open_col = col_of(P, P->p);
	P->p++;
	r = skip_gap(P, true);
	if (r < 0)
		return r;
	multi = P->gap_nl;
	first_done = !multi;
	for (;;) {
		if (P->p >= P->e) {
			char shown[SHOW_MAX + 8];

			return fail_at(P, open_line, open_col, -EBADMSG,
				       "missing ']' for the array of key '%s'",
				       show(shown, sizeof(shown), n->key, strlen(n->key)));
		}
		if (*P->p == ']')
			break;
		r = count_node(P);
		if (r < 0)
			return r;
		el = arena_node(P->A, LVF_CFT_STR, P->lean);
		if (!el)
			return oom(P);
		el->parent = n;
		el->line = P->line;
		if (tail)
			tail->next = el;
		else
			n->child = el;
		tail = el;
		r = parse_scalar(P, el, n->key);
		if (r < 0)
			return r;
		count++;
		if (P->p < P->e && *P->p == ',') {
			P->p++;
			r = skip_gap(P, true);
			if (r < 0)
				return r;
		}
		if (!first_done && P->gap_nl) {
			first_line = count;
			first_done = true;
		}
	}
	P->p++; /* ']' */
	r = skip_gap(P, true);
	if (r < 0)
		return r;
	if (multi && count && !P->lean)
		n->per_line = first_line ? first_line : count;
	return take_trailing(P, n, depth);
}

static int parse_body(struct parser *P, struct lvf_cft_node *sec, unsigned depth,
		      unsigned open_line, unsigned open_col);

/* key '=' value | key '{' body '}' at the cursor; *ret is the new (outermost) node. */
static int parse_item(struct parser *P, unsigned depth, struct lvf_cft_node **ret)
{
	char *key = NULL, *pre = NULL; /* in the arena */
	struct lvf_cft_node *outer = NULL;
	struct lvf_cft_node *n = NULL;
	const unsigned line = P->line, col = col_of(P, P->p), blank = P->blank;
	char shown[SHOW_MAX + 8];
	const char *comp, *slash;
	char c = *P->p;
	int r;

	if (P->pre_n && !P->lean) {
		pre = arena_strndup(P->A, P->pre.buf ? P->pre.buf : "", P->pre.len);
		strbuf_reset(&P->pre);
		P->pre_len = 0;
		if (!pre)
			return oom(P);
	}

	P->tok_slash = true; /* a quoted key: look for '/' in it */
	if (c == '"' || c == '\'')
		r = read_quoted(P, "key", &key);
	else if (c == '[' || c == ']' || c == ',' || c == '=' || c == '{')
		return fail(P, -EBADMSG, "expected a key, found '%c'", c);
	else if (is_ctl(c))
		return fail(P, -EBADMSG, "unexpected byte 0x%02x where a key should be",
			    (unsigned char)c);
	else
		r = read_bare(P, "key", &key);
	if (r < 0)
		return r;
	r = skip_gap(P, true);
	if (r < 0)
		return r;

	/* "a/b/c" is sections a and b holding c; empty components are skipped, as lvm2 does. */
	for (comp = key;; comp = slash + 1) {
		struct lvf_cft_node *m;
		size_t l;

		while (*comp == '/')
			comp++;
		if (!*comp)
			break;
		/* a bare key without '/' (nearly all) ends where read_bare stopped */
		slash = P->tok_slash ? strchrnul(comp, '/') : key + P->tok_len;
		l = (size_t)(slash - comp);
		if (n) {
			if (depth >= LVF_CFT_MAX_DEPTH)
				return fail_at(P, line, col, -EBADMSG,
					       "sections nested deeper than %u levels",
					       LVF_CFT_MAX_DEPTH);
			n->type = LVF_CFT_SECTION;
			depth++;
		}
		r = count_node(P);
		if (r < 0)
			return r;
		m = arena_node(P->A, LVF_CFT_SECTION, P->lean);
		if (!m)
			return oom(P);
		m->line = line;
		/* a key without '/' (nearly all) is the node's key as read: no second copy */
		m->key = comp == key && !*slash ? key : arena_strndup(P->A, comp, l);
		if (!m->key)
			return oom(P);
		if (n) {
			m->parent = n;
			n->child = m;
		} else {
			outer = m;
		}
		n = m;
		if (!*slash)
			break;
	}
	if (!n)
		return fail_at(P, line, col, -EBADMSG, "empty key");
	if (!P->lean) {
		outer->pre_comment = TAKE_PTR(pre);
		outer->blank_before = blank;
	}

	if (P->p >= P->e)
		return fail_at(P, line, col, -EBADMSG,
			       "expected '=' or '{' after key '%s' but the text ended",
			       show(shown, sizeof(shown), key, strlen(key)));
	if (*P->p == '{') {
		const unsigned oline = P->line, ocol = col_of(P, P->p);

		if (depth >= LVF_CFT_MAX_DEPTH)
			return fail(P, -EBADMSG, "sections nested deeper than %u levels",
				    LVF_CFT_MAX_DEPTH);
		n->type = LVF_CFT_SECTION;
		P->p++;
		r = skip_gap(P, true);
		if (r < 0)
			return r;
		r = take_trailing(P, n, depth);
		if (r < 0)
			return r;
		r = parse_body(P, n, depth + 1, oline, ocol);
	} else if (*P->p == '=') {
		P->p++;
		r = skip_gap(P, true);
		if (r < 0)
			return r;
		r = parse_value(P, n, depth);
	} else {
		r = fail(P, -EBADMSG, "expected '=' or '{' after key '%s'",
			 show(shown, sizeof(shown), key, strlen(key)));
	}
	if (r < 0)
		return r;
	*ret = outer;
	return 0;
}

/* ---- the streamed items' fast path ----
 * A streamed parse (a hook: the VG's LV and PV sections at depth 2) takes each such item in
 * the plain layout lvm2 and thinbox write (keys of [A-Za-z0-9_.+-], "strings" without escapes
 * or newlines, plain decimals, one-level arrays of those, subsections; blanks, tabs and
 * newlines between tokens) in one tight pass, making the very nodes (keys, values, lines)
 * parse_item would make. Anything else (a comment, another byte, a long or odd token, the
 * node limit, the end of the text) declines: the cursor, line, node count and arena go back
 * and parse_item reads the item, with its errors exactly as before. */
static const unsigned char fast_key_byte[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['_'] = 1,
	['.'] = 1,         ['+'] = 1,         ['-'] = 1,
};
/* where a "string" the fast path takes ends, or one it leaves to read_quoted */
static const unsigned char fast_str_stop[256] = { ['"'] = 1, ['\\'] = 1, ['\n'] = 1 };
#define FAST_MAX_DEPTH 8

/* Blanks, tabs and newlines; false on a comment, another space byte or the end of the text
 * (an item always goes on: the plain parse reports it). */
__attribute__((noinline)) static bool fast_gap_any(struct parser *P)
{
	const char *p = P->p;

	for (; p < P->e; p++) {
		char c = *p;

		if (c == ' ' || c == '\t')
			continue;
		if (c == '\n') {
			P->line++;
			P->lb = p + 1;
			continue;
		}
		if (c == '#' || is_space(c))
			return false;
		break;
	}
	P->p = p;
	return p < P->e;
}

/* fast_gap_any, with a gap of one blank or one newline before a token (most) taken inline */
static inline bool fast_gap(struct parser *P)
{
	const char *p = P->p;

	if (P->e - p >= 2 && !is_space(p[1]) && p[1] != '#') {
		if (p[0] == ' ') {
			P->p = p + 1;
			return true;
		}
		if (p[0] == '\n') {
			P->line++;
			P->lb = P->p = p + 1;
			return true;
		}
	}
	return fast_gap_any(P);
}

/* Is the key at @s lean_key's word @w (whole: no key byte after it)? */
#define FAST_IS(w)                                                                                 \
	(e - s > (ptrdiff_t)sizeof(w) - 1 && !memcmp(s, w, sizeof(w) - 1) &&                       \
	 !fast_key_byte[(unsigned char)s[sizeof(w) - 1]] &&                                        \
	 (q = s + sizeof(w) - 1, *key = (char *)(w)))

/* The keys of lvm2's LV sections tried first, by their first byte: where one matches, the
 * byte loop of fast_key would have stopped at its end. */
static const char *fast_known_key(const char *s, const char *e, char **key)
{
	const char *q = NULL;

	switch (*s) {
	case 'i':
		(void)(FAST_IS("id"));
		break;
	case 's':
		(void)(FAST_IS("status") || FAST_IS("segment_count") || FAST_IS("segment1") ||
		       FAST_IS("start_extent") || FAST_IS("stripe_count") || FAST_IS("stripes"));
		break;
	case 'f':
		(void)(FAST_IS("flags"));
		break;
	case 'c':
		(void)(FAST_IS("creation_time") || FAST_IS("creation_host"));
		break;
	case 'e':
		(void)(FAST_IS("extent_count"));
		break;
	case 't':
		(void)(FAST_IS("type") || FAST_IS("tags") || FAST_IS("thin_pool") ||
		       FAST_IS("transaction_id"));
		break;
	case 'd':
		(void)(FAST_IS("device_id"));
		break;
	}
	return q;
}

static bool fast_key(struct parser *P, char **key)
{
	const char *s = P->p, *q = fast_known_key(s, P->e, key);

	if (q) {
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '=' && *q != '{')
			return false;
		P->p = q;
		return true;
	}
	q = s;
	while (q < P->e && fast_key_byte[(unsigned char)*q])
		q++;
	if (q == s || q == P->e || (size_t)(q - s) > LVF_CFT_MAX_STRING)
		return false;
	if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '=' && *q != '{')
		return false;
	if (!(*key = lean_key(s, (size_t)(q - s))) &&
	    !(*key = arena_strndup(P->A, s, (size_t)(q - s))))
		return false;
	P->p = q;
	return true;
}

/* A "string" (as read_quoted's shortcut takes it) or a plain decimal (as read_number's). */
static bool fast_scalar(struct parser *P, struct lvf_cft_node *n)
{
	const char *s = P->p, *t;
	int64_t v = 0;

	if (*s == '"') {
		for (t = ++s; t < P->e && !fast_str_stop[(unsigned char)*t]; t++)
			;
		if (t == P->e || *t != '"' || (size_t)(t - s) > LVF_CFT_MAX_STRING)
			return false;
		n->type = LVF_CFT_STR;
		if (!(t > s && (n->s = lean_value(s, (size_t)(t - s)))) &&
		    !(n->s = arena_strndup(P->A, s, (size_t)(t - s))))
			return false;
		P->p = t + 1;
		return true;
	}
	for (t = s; t < P->e && *t >= '0' && *t <= '9'; t++)
		;
	if (t == s || t == P->e || t - s > 18 || (*s == '0' && t - s > 1))
		return false;
	if (*t != ' ' && *t != '\t' && *t != '\n' && *t != ',' && *t != ']' && *t != '}')
		return false;
	for (const char *d = s; d < t; d++)
		v = v * 10 + (*d - '0');
	n->type = LVF_CFT_INT;
	n->i = v;
	P->p = t;
	return true;
}

/* After '=' and its gap: a scalar or an array, and the gap after it (parse_value). */
static bool fast_value(struct parser *P, struct lvf_cft_node *n)
{
	struct lvf_cft_node *tail = NULL, *el;

	if (*P->p != '[')
		return fast_scalar(P, n) && fast_gap(P);
	n->type = LVF_CFT_ARRAY;
	P->p++;
	if (!fast_gap(P))
		return false;
	while (*P->p != ']') {
		if (++P->nodes > LVF_CFT_MAX_NODES || !(el = arena_node(P->A, LVF_CFT_STR, true)))
			return false;
		el->parent = n;
		el->line = P->line;
		if (tail)
			tail->next = el;
		else
			n->child = el;
		tail = el;
		if (!fast_scalar(P, el) || !fast_gap(P))
			return false;
		if (*P->p == ',') {
			P->p++;
			if (!fast_gap(P))
				return false;
		}
	}
	P->p++;
	return fast_gap(P);
}

/* key '=' value | key '{' body '}', and the gap after it unless @top (parse_item). */
static bool fast_item(struct parser *P, unsigned depth, bool top, struct lvf_cft_node **ret)
{
	const unsigned line = P->line;
	struct lvf_cft_node *n, *tail = NULL, *k;
	char *key;

	if (!fast_key(P, &key) || !fast_gap(P))
		return false;
	if (++P->nodes > LVF_CFT_MAX_NODES || !(n = arena_node(P->A, LVF_CFT_SECTION, true)))
		return false;
	n->line = line;
	n->key = key;
	*ret = n;
	if (*P->p == '=') {
		P->p++;
		return !top && fast_gap(P) && fast_value(P, n);
	}
	if (*P->p != '{' || depth >= FAST_MAX_DEPTH)
		return false;
	P->p++;
	if (!fast_gap(P))
		return false;
	while (*P->p != '}') {
		if (!fast_item(P, depth + 1, false, &k))
			return false;
		k->parent = n;
		if (tail)
			tail->next = k;
		else
			n->child = k;
		tail = k;
	}
	P->p++;
	return top || fast_gap(P);
}

/* parse_item for a streamed item at depth 2: 1 when it declines (nothing changed). */
static int parse_item_fast(struct parser *P, struct lvf_cft_node **ret)
{
	const char *p = P->p, *lb = P->lb;
	const unsigned line = P->line;
	const size_t nodes = P->nodes;
	const struct arena_mark mark = arena_mark(P->A);

	if (fast_item(P, 2, true, ret))
		return skip_gap(P, true); /* after the '}', as parse_body's */
	P->p = p;
	P->lb = lb;
	P->line = line;
	P->nodes = nodes;
	arena_rewind(P->A, mark);
	*ret = NULL;
	return 1;
}

/* Items up to the closing '}' (consumed) of a section, or to the end of the text at depth 0. */
static int parse_body(struct parser *P, struct lvf_cft_node *sec, unsigned depth,
		      unsigned open_line, unsigned open_col)
{
	struct lvf_cft_node *tail = NULL, *n;
	struct arena_mark mark;
	int r;

	if (depth < ARRAY_SIZE(P->open))
		P->open[depth] = sec;
	for (;;) {
		if (P->p >= P->e) {
			char shown[SHOW_MAX + 8];

			if (depth > 0)
				return fail_at(P, open_line, open_col, -EBADMSG,
					       "missing '}' for section '%s'",
					       show(shown, sizeof(shown), sec->key,
						    strlen(sec->key)));
			if (tail && !P->lean)
				tail->blank_after = P->blank;
			return 0;
		}
		if (*P->p == '}') {
			if (depth == 0)
				return fail(P, -EBADMSG, "unexpected '}' outside any section");
			if (tail && !P->lean)
				tail->blank_after = P->blank;
			P->p++;
			return skip_gap(P, true);
		}
		if (P->text_hook && depth == 2) {
			struct lvf_cft_cursor c = { P->p, P->lb, P->line,
						    LVF_CFT_MAX_NODES -
							    MIN(P->nodes, LVF_CFT_MAX_NODES) };
			r = P->text_hook(P->hook_ud, sec, P->e, &c);
			if (r < 0)
				return r;
			if (r > 0) { /* taken: on as after parse_item_fast's item */
				P->nodes = LVF_CFT_MAX_NODES - c.nodes_left;
				P->p = c.p;
				P->lb = c.lb;
				P->line = c.line;
				r = skip_gap(P, true);
				if (r < 0)
					return r;
				continue;
			}
		}
		n = NULL;
		mark = arena_mark(P->A);
		r = P->hook && P->lean && depth == 2 ? parse_item_fast(P, &n) : 1;
		if (r > 0)
			r = parse_item(P, depth, &n);
		if (r < 0)
			return r;
		if (P->hook && depth == 2 && n->type == LVF_CFT_SECTION) {
			r = P->hook(P->hook_ud, P->open[0], P->open[1], sec, n);
			if (r < 0)
				return r;
			if (r > 0) { /* taken: the item and its memory go */
				arena_rewind(P->A, mark);
				continue;
			}
		}
		n->parent = sec;
		if (tail)
			tail->next = n;
		else
			sec->child = n;
		tail = n;
	}
}

static int parse(const char *text, size_t len, bool lean, lvf_cft_item_hook hook,
		 lvf_cft_text_hook text_hook, void *hook_ud, struct lvf_cft_node **ret_root,
		 struct lvf_err *reterr)
{
	_cleanup_cft_ struct lvf_cft_node *root = NULL;
	struct parser P = { .line = 1,
			    .err = reterr,
			    .lean = lean,
			    .hook = hook,
			    .text_hook = hook ? text_hook : NULL,
			    .hook_ud = hook_ud };
	const char *nul;
	int r;

	if (!ret_root || (!text && len))
		return -EINVAL;
	if (len > LVF_CFT_MAX_TEXT) {
		lvf_err_set_pos(reterr, 1, 1, "text of %zu bytes is larger than the %u byte limit",
				len, LVF_CFT_MAX_TEXT);
		return -EBADMSG;
	}
	nul = len ? memchr(text, '\0', len) : NULL;
	P.p = P.lb = text;
	P.e = nul ? nul : text + len;

	root = node_new(LVF_CFT_SECTION);
	if (!root || !(root->arena = calloc(1, sizeof(*root->arena))))
		return -ENOMEM;
	/* about one node per 16 bytes of text */
	root->arena->next_size = MAX((size_t)4096, MIN((size_t)(P.e - text) * 4, (size_t)8 << 20));
	if (hook) /* the streamed sections' memory is reused: the tree stays small */
		root->arena->next_size = MIN(root->arena->next_size, (size_t)64 << 10);
	P.A = root->arena;
	r = skip_gap(&P, false);
	if (r >= 0)
		r = parse_body(&P, root, 0, 0, 0);
	strbuf_release(&P.pre);
	if (r < 0)
		return r;
	*ret_root = TAKE_PTR(root);
	return 0;
}

int lvf_cft_parse(const char *text, size_t len, struct lvf_cft_node **ret_root,
		  struct lvf_err *reterr)
{
	return parse(text, len, false, NULL, NULL, NULL, ret_root, reterr);
}

int lvf_cft_parse_lean(const char *text, size_t len, struct lvf_cft_node **ret_root,
		       struct lvf_err *reterr)
{
	return parse(text, len, true, NULL, NULL, NULL, ret_root, reterr);
}

int lvf_cft_parse_lean_hook(const char *text, size_t len, lvf_cft_item_hook hook, void *ud,
			    struct lvf_cft_node **ret_root, struct lvf_err *reterr)
{
	return parse(text, len, true, hook, NULL, ud, ret_root, reterr);
}

int lvf_cft_parse_lean_hooks(const char *text, size_t len, lvf_cft_item_hook hook,
			     lvf_cft_text_hook text_hook, void *ud, struct lvf_cft_node **ret_root,
			     struct lvf_err *reterr)
{
	return parse(text, len, true, hook, text_hook, ud, ret_root, reterr);
}

/* ---- lookup ---- */

const struct lvf_cft_node *lvf_cft_find(const struct lvf_cft_node *sec, const char *path)
{
	const struct lvf_cft_node *cur = sec;

	if (!sec || !path)
		return NULL;
	for (;;) {
		const struct lvf_cft_node *c;
		const char *e;
		size_t l;

		while (*path == '/')
			path++;
		if (!*path)
			return cur;
		if (cur->type != LVF_CFT_SECTION)
			return NULL;
		e = strchrnul(path, '/');
		l = (size_t)(e - path);
		for (c = cur->child; c; c = c->next)
			if (c->key && strncmp(c->key, path, l) == 0 && c->key[l] == '\0')
				break;
		if (!c)
			return NULL;
		cur = c;
		path = e;
	}
}

int lvf_cft_get_int(const struct lvf_cft_node *sec, const char *path, int64_t *ret)
{
	const struct lvf_cft_node *n = lvf_cft_find(sec, path);

	if (!n)
		return -ENOENT;
	if (n->type != LVF_CFT_INT)
		return -EBADMSG;
	if (ret)
		*ret = n->i;
	return 0;
}

int lvf_cft_get_str(const struct lvf_cft_node *sec, const char *path, const char **ret)
{
	const struct lvf_cft_node *n = lvf_cft_find(sec, path);

	if (!n)
		return -ENOENT;
	if (n->type != LVF_CFT_STR)
		return -EBADMSG;
	if (ret)
		*ret = n->s;
	return 0;
}

int lvf_cft_get_float(const struct lvf_cft_node *sec, const char *path, double *ret)
{
	const struct lvf_cft_node *n = lvf_cft_find(sec, path);

	if (!n)
		return -ENOENT;
	if (n->type == LVF_CFT_INT) {
		if (ret)
			*ret = (double)n->i;
		return 0;
	}
	if (n->type != LVF_CFT_FLOAT)
		return -EBADMSG;
	if (ret)
		*ret = n->f;
	return 0;
}

size_t lvf_cft_array_len(const struct lvf_cft_node *arr)
{
	size_t k = 0;

	if (!arr || arr->type != LVF_CFT_ARRAY)
		return 0;
	for (const struct lvf_cft_node *c = arr->child; c; c = c->next)
		k++;
	return k;
}

/* ---- building ---- */

void lvf_cft_append(struct lvf_cft_node *parent, struct lvf_cft_node *child)
{
	struct lvf_cft_node **pp;

	if (!parent || !child)
		return;
	for (pp = &parent->child; *pp; pp = &(*pp)->next)
		;
	*pp = child;
	child->parent = parent;
	child->next = NULL;
}

static struct lvf_cft_node *add(struct lvf_cft_node *parent, const char *key, enum lvf_cft_type type)
{
	struct lvf_cft_node *n;

	if (!parent || (parent->type != LVF_CFT_SECTION && parent->type != LVF_CFT_ARRAY))
		return NULL;
	n = node_new(type);
	if (!n)
		return NULL;
	if (key && !(n->key = strdup(key)))
		return lvf_cft_free(n);
	lvf_cft_append(parent, n);
	return n;
}

struct lvf_cft_node *lvf_cft_new_root(void)
{
	return node_new(LVF_CFT_SECTION);
}

struct lvf_cft_node *lvf_cft_add_section(struct lvf_cft_node *parent, const char *key)
{
	return add(parent, key, LVF_CFT_SECTION);
}

struct lvf_cft_node *lvf_cft_add_int(struct lvf_cft_node *parent, const char *key, int64_t v)
{
	struct lvf_cft_node *n = add(parent, key, LVF_CFT_INT);

	if (n)
		n->i = v;
	return n;
}

struct lvf_cft_node *lvf_cft_add_float(struct lvf_cft_node *parent, const char *key, double v)
{
	struct lvf_cft_node *n = add(parent, key, LVF_CFT_FLOAT);

	if (n)
		n->f = v;
	return n;
}

struct lvf_cft_node *lvf_cft_add_str(struct lvf_cft_node *parent, const char *key, const char *v)
{
	struct lvf_cft_node *n;
	char *s;

	if (!v || !(s = strdup(v)))
		return NULL;
	n = add(parent, key, LVF_CFT_STR);
	if (!n) {
		free(s);
		return NULL;
	}
	n->s = s;
	return n;
}

struct lvf_cft_node *lvf_cft_add_array(struct lvf_cft_node *parent, const char *key)
{
	return add(parent, key, LVF_CFT_ARRAY);
}

static int set_string(char **dst, const char *text)
{
	char *s = NULL;

	if (text && !(s = strdup(text)))
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

/* set_string for a node that may live in a parse arena: its strings go there too. */
static int set_node_string(struct lvf_cft_node *n, char **dst, const char *text)
{
	const struct lvf_cft_node *root = n;

	if (!n->in_arena)
		return set_string(dst, text);
	while (root->parent)
		root = root->parent;
	if (!root->arena)
		return -EINVAL; /* a detached piece of a parsed tree: clone it first */
	if (!text) {
		*dst = NULL;
		return 0;
	}
	if (!(*dst = arena_strndup(root->arena, text, strlen(text))))
		return -ENOMEM;
	return 0;
}

int lvf_cft_set_comment(struct lvf_cft_node *n, const char *text, enum lvf_cft_comment_style st)
{
	int r;

	if (!n)
		return -EINVAL;
	r = set_node_string(n, &n->comment, text);
	if (r == 0)
		n->comment_style = st;
	return r;
}

int lvf_cft_set_pre_comment(struct lvf_cft_node *n, const char *text)
{
	if (!n)
		return -EINVAL;
	return set_node_string(n, &n->pre_comment, text);
}

struct lvf_cft_node *lvf_cft_clone(const struct lvf_cft_node *n)
{
	_cleanup_cft_ struct lvf_cft_node *m = NULL;
	struct lvf_cft_node *tail = NULL;

	if (!n)
		return NULL;
	m = node_new(n->type);
	if (!m)
		return NULL;
	m->i = n->i;
	m->f = n->f;
	m->line = n->line;
	m->blank_before = n->blank_before;
	m->blank_after = n->blank_after;
	m->comment_style = n->comment_style;
	m->per_line = n->per_line;
	if (set_string(&m->key, n->key) < 0 || set_string(&m->s, n->s) < 0 ||
	    set_string(&m->comment, n->comment) < 0 ||
	    set_string(&m->pre_comment, n->pre_comment) < 0)
		return NULL;
	for (const struct lvf_cft_node *c = n->child; c; c = c->next) {
		struct lvf_cft_node *d = lvf_cft_clone(c);

		if (!d)
			return NULL;
		d->parent = m;
		if (tail)
			tail->next = d;
		else
			m->child = d;
		tail = d;
	}
	return TAKE_PTR(m);
}

bool lvf_cft_equal(const struct lvf_cft_node *a, const struct lvf_cft_node *b)
{
	const struct lvf_cft_node *x, *y;

	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return false;
	if ((a->key == NULL) != (b->key == NULL) || (a->key && strcmp(a->key, b->key) != 0))
		return false;
	switch (a->type) {
	case LVF_CFT_INT:
		return a->i == b->i;
	case LVF_CFT_FLOAT:
		return a->f == b->f;
	case LVF_CFT_STR:
		return (a->s == NULL) == (b->s == NULL) && (!a->s || strcmp(a->s, b->s) == 0);
	case LVF_CFT_SECTION:
	case LVF_CFT_ARRAY:
		break;
	}
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if (!lvf_cft_equal(x, y))
			return false;
	return !x && !y;
}

/* ---- printing ---- */

struct emitter {
	struct strbuf *out;
	enum lvf_cft_style style;
};

static void put_tabs(struct strbuf *out, unsigned n)
{
	while (n--)
		strbuf_appendc(out, '\t');
}

static void put_nl(struct strbuf *out, unsigned n)
{
	while (n--)
		strbuf_appendc(out, '\n');
}

/* A key prints bare when the tokenizer reads it back as the same single key token. */
static bool key_is_plain(const char *k)
{
	if (strchr("[],\"'", k[0]))
		return false;
	for (const char *c = k; *c; c++)
		if (is_ctl(*c) || ends_bare(*c) || *c == '"' || *c == '\'')
			return false;
	return true;
}

/* lvm2 prints floats with "%f"; use more digits only when "%f" would not read back equal. */
static void put_float(struct strbuf *out, double f)
{
	char buf[LVF_CFT_MAX_NUMBER];

	for (int prec = 6; prec <= 400; prec++) {
		snprintf(buf, sizeof(buf), "%.*f", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	strbuf_append(out, buf);
}

static int put_scalar(struct emitter *E, const struct lvf_cft_node *n)
{
	switch (n->type) {
	case LVF_CFT_INT:
		strbuf_appendf(E->out, "%" PRId64, n->i);
		return 0;
	case LVF_CFT_FLOAT:
		if (!isfinite(n->f))
			return -EINVAL;
		put_float(E->out, n->f);
		return 0;
	case LVF_CFT_STR:
		if (!n->s)
			return -EINVAL;
		strbuf_append_quoted(E->out, n->s);
		return 0;
	case LVF_CFT_SECTION:
	case LVF_CFT_ARRAY:
		break;
	}
	return -EINVAL;
}

/* Comment text on one line: newlines become spaces, and it starts with '#'. */
static void put_comment_text(struct strbuf *out, const char *c, size_t n)
{
	if (n == 0 || c[0] != '#')
		strbuf_append(out, "# ");
	for (size_t k = 0; k < n; k++)
		strbuf_appendc(out, c[k] == '\n' || c[k] == '\r' ? ' ' : c[k]);
}

/* The trailing comment of a line whose content (after the indentation) started at @ls. */
static void put_trailing(struct emitter *E, const struct lvf_cft_node *n, unsigned ind, size_t ls)
{
	if (!n->comment)
		return;
	if (n->comment_style == LVF_CFT_COMMENT_TAB) {
		strbuf_appendc(E->out, '\t');
	} else {
		size_t i;

		if (E->style != LVF_CFT_STYLE_INDENT)
			return;
		/* lvm2 _out_with_comment_file: tabs up to column 8 * COMMENT_TAB, at least one. */
		i = (E->out->len - ls + 8 * ind) / 8 + 1;
		do
			strbuf_appendc(E->out, '\t');
		while (++i < COMMENT_TAB);
	}
	put_comment_text(E->out, n->comment, strlen(n->comment));
}

static void put_pre_comment(struct emitter *E, const char *pre, unsigned ind)
{
	for (;;) {
		const char *e = strchrnul(pre, '\n');

		if (e > pre) {
			put_tabs(E->out, ind);
			put_comment_text(E->out, pre, (size_t)(e - pre));
		}
		strbuf_appendc(E->out, '\n');
		if (!*e)
			break;
		pre = e + 1;
	}
}

static int emit_node(struct emitter *E, const struct lvf_cft_node *n, unsigned depth);

static int emit_children(struct emitter *E, const struct lvf_cft_node *sec, unsigned depth)
{
	for (const struct lvf_cft_node *c = sec->child; c; c = c->next) {
		int r = emit_node(E, c, depth);

		if (r < 0)
			return r;
	}
	return 0;
}

static int emit_node(struct emitter *E, const struct lvf_cft_node *n, unsigned depth)
{
	const unsigned ind = E->style == LVF_CFT_STYLE_INDENT ? MIN(depth, INDENT_MAX) : 0;
	const unsigned eind = E->style == LVF_CFT_STYLE_INDENT ? MIN(depth + 1, INDENT_MAX) : 0;
	size_t ls;
	int r;

	if (!n->key || !n->key[0] || strchr(n->key, '/'))
		return -EINVAL;
	if (n->pre_comment)
		put_pre_comment(E, n->pre_comment, ind);
	put_nl(E->out, n->blank_before);
	put_tabs(E->out, ind);
	ls = E->out->len;
	if (key_is_plain(n->key))
		strbuf_append(E->out, n->key);
	else
		strbuf_append_quoted(E->out, n->key);

	switch (n->type) {
	case LVF_CFT_SECTION:
		if (depth >= LVF_CFT_MAX_DEPTH)
			return -EINVAL;
		strbuf_append(E->out, " {");
		put_trailing(E, n, ind, ls);
		strbuf_appendc(E->out, '\n');
		r = emit_children(E, n, depth + 1);
		if (r < 0)
			return r;
		put_tabs(E->out, ind);
		strbuf_append(E->out, "}\n");
		break;
	case LVF_CFT_ARRAY: {
		unsigned k = 0;

		strbuf_append(E->out, " = [");
		if (n->per_line && n->child)
			strbuf_appendc(E->out, '\n');
		for (const struct lvf_cft_node *c = n->child; c; c = c->next, k++) {
			if (c->key || c->child)
				return -EINVAL;
			if (n->per_line && k % n->per_line == 0)
				put_tabs(E->out, eind);
			else if (k)
				strbuf_append(E->out, ", ");
			r = put_scalar(E, c);
			if (r < 0)
				return r;
			if (n->per_line && ((k + 1) % n->per_line == 0 || !c->next))
				strbuf_append(E->out, c->next ? ",\n" : "\n");
		}
		if (n->per_line && n->child) {
			put_tabs(E->out, ind);
			ls = E->out->len;
		}
		strbuf_appendc(E->out, ']');
		put_trailing(E, n, ind, ls);
		strbuf_appendc(E->out, '\n');
		break;
	}
	case LVF_CFT_INT:
	case LVF_CFT_FLOAT:
	case LVF_CFT_STR:
		strbuf_append(E->out, " = ");
		r = put_scalar(E, n);
		if (r < 0)
			return r;
		put_trailing(E, n, ind, ls);
		strbuf_appendc(E->out, '\n');
		break;
	default:
		return -EINVAL;
	}
	put_nl(E->out, n->blank_after);
	return 0;
}

int lvf_cft_emit_at(const struct lvf_cft_node *sec, enum lvf_cft_style style, unsigned depth,
		    struct strbuf *out)
{
	struct emitter E = { .out = out, .style = style };
	int r;

	if (!sec || !out || sec->type != LVF_CFT_SECTION || depth > LVF_CFT_MAX_DEPTH ||
	    (style != LVF_CFT_STYLE_RAW && style != LVF_CFT_STYLE_INDENT))
		return -EINVAL;
	r = emit_children(&E, sec, depth);
	if (r < 0)
		return r;
	return strbuf_ok(out) ? 0 : -ENOMEM;
}

int lvf_cft_emit(const struct lvf_cft_node *root, enum lvf_cft_style style, struct strbuf *out)
{
	return lvf_cft_emit_at(root, style, 0, out);
}
