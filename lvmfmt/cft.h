/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The config tree: lvm2's text syntax ("config tree", libdm/libdm-config.c), parsed and printed
 * with no LVM meaning. It carries VG metadata on disk, backup files, lvm.conf and profiles.
 *
 * Syntax accepted (as lvm2's tokenizer):
 *   item    := key '=' value | key '{' item* '}'
 *   key     := bare word | "double-quoted" | 'single-quoted'; a '/' in a key is a path
 *              separator: `a/b = 1` parses as `a { b = 1 }` (a new section a; lvm2 would add
 *              b to an earlier sibling section a, which the lvm.conf lookups of config.h
 *              reproduce by searching all same-named sections)
 *   value   := scalar | '[' (scalar ','?)* ']'       (commas optional, arrays do not nest)
 *   scalar  := integer | float | "string" | 'string' | bare word
 *   integer := [+-]?[0-9]+, signed 64-bit, a leading 0 means octal, no hex
 *   float   := a number with one '.', e.g. 0.5 or .5
 *   "..."   : backslash escapes; only \" and \\ are unescaped, other pairs stay as they are
 *   '...'   : literal
 *   bare    : runs to whitespace, '#', '=', '{' or '}' (so it swallows ',' and ']')
 *   '#' starts a comment to the end of the line. The text ends at len or at the first NUL.
 *
 * Differences from lvm2, all stricter: numbers must end at a delimiter (lvm2 reads "5abc" as 5
 * followed by a key), bad octal digits and out-of-range numbers are errors (lvm2 uses strtoll
 * without checks), control bytes outside strings and comments are errors, and the limits below.
 *
 * Duplicates are kept, in file order. lvf_cft_find() returns what lvm2's metadata reader
 * returns: at each path component, the first child of that name (see lvmfmt/config.h for the
 * lvm.conf rule, where the last value wins).
 *
 * Layout: the parser records blank lines and comments in the layout-hint fields, and
 * lvf_cft_emit() prints them back, so an lvm2-written file (backup or on-disk metadata text)
 * parses and re-prints byte for byte. Builders set the same fields to produce lvm2's layout.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#include "lvmfmt/err.h"

/* Limits on parsed input (hostile text is normal text). Builders are not limited except by
 * LVF_CFT_MAX_DEPTH, which lvf_cft_emit() also enforces so that its output always parses. */
#define LVF_CFT_MAX_DEPTH 64          /* nested sections */
#define LVF_CFT_MAX_NODES (1u << 22)  /* nodes in one parse, array elements included */
#define LVF_CFT_MAX_STRING (1u << 20) /* bytes in one key, string or comment */
#define LVF_CFT_MAX_NUMBER 1024       /* bytes in one numeric token */
#define LVF_CFT_MAX_TEXT (1u << 30)   /* bytes of text */
#define LVF_CFT_MAX_BLANK 65535u      /* blank_before/blank_after saturate here */

enum lvf_cft_type { LVF_CFT_SECTION, LVF_CFT_INT, LVF_CFT_FLOAT, LVF_CFT_STR, LVF_CFT_ARRAY };

/* How a trailing comment (lvf_cft_node.comment) is printed. */
enum lvf_cft_comment_style {
	/* lvm2's out_size()/out_hint()/outfc() comments ("# 4 Megabytes", "# Hint only"): printed
	 * in LVF_CFT_STYLE_INDENT only, after tabs that line it up the way lvm2's backup files do;
	 * dropped in LVF_CFT_STYLE_RAW, as lvm2 drops them from on-disk metadata. */
	LVF_CFT_COMMENT_ALIGNED = 0,
	/* Part of the line in both styles, after exactly one tab: lvm2's header lines
	 * `creation_host = "h"\t# Linux ...` and `creation_time = N\t# <ctime>`. */
	LVF_CFT_COMMENT_TAB,
};

struct lvf_cft_node {
	/* (field order packs the node: a parse of large metadata makes hundreds of thousands) */
	char *key;                  /* NULL for array elements and the root */
	char *s;                    /* LVF_CFT_STR (unescaped) */
	struct lvf_cft_node *child; /* first child of a SECTION or first element of an ARRAY */
	struct lvf_cft_node *next;  /* next sibling, in file order */
	struct lvf_cft_node *parent;
	union {
		int64_t i; /* LVF_CFT_INT */
		double f;  /* LVF_CFT_FLOAT */
	};
	enum lvf_cft_type type;
	unsigned line; /* 1-based source line, 0 when built in memory */
	bool in_arena; /* internal, see "Memory" below */
	/* A lean parse (lvf_cft_parse_lean) allocates each node only up to here. */

	/* Layout hints. They never change meaning, lvf_cft_equal() ignores them, the parser fills
	 * them, builders may set them (strings are owned by the node and freed with it). */
	char *pre_comment;     /* full-line comments printed before the node: lines separated by
			      * '\n', each empty or "# ..." (a line not starting with '#' gets
			      * "# " prepended on output); NULL for none */
	char *comment;         /* trailing comment, "# ..." without newline; for a SECTION it
				* follows "key {", for a multi-line ARRAY the closing ']' */
	unsigned blank_before; /* empty lines between pre_comment and the node */
	unsigned blank_after;  /* empty lines after the node (after its closing '}' or ']') */
	enum lvf_cft_comment_style comment_style;
	unsigned per_line; /* ARRAY: 0 prints `k = [a, b]` on one line; N > 0 prints `k = [`,
				* then N elements per line (lines end with ',' but the last), then
				* `]` alone, as lvm2 prints segment areas (`stripes = [` / `"pv0", 0` /
				* `]`). The parser sets it when a newline follows '['. */

	/* Memory (internal): a parsed tree's nodes and strings live in one arena owned by its
	 * root, freed at once by lvf_cft_free(root). Such nodes have in_arena set; setters copy
	 * into the arena of the node's root; detached arena subtrees are freed with that root. */
	struct lvf_cft_arena *arena; /* root of a parsed tree only */
};

/*
 * Parse @len bytes of @text (need not be NUL-terminated; a NUL byte ends the text, as in lvm2's
 * on-disk metadata which includes its terminating NUL). Empty input (or only comments) gives an
 * empty root, as lvm2 does; callers that need content check root->child.
 * On success *ret_root is an unnamed SECTION (caller frees with lvf_cft_free).
 * Returns 0; -EBADMSG syntax error or limit exceeded; -ERANGE integer/float out of range;
 * -ENOMEM. On error, *reterr (may be NULL) holds line, column and reason.
 * Since: 0.1
 */
int lvf_cft_parse(const char *text, size_t len, struct lvf_cft_node **ret_root,
		  struct lvf_err *reterr);

/* lvf_cft_parse for reading only (the VG import): no layout is recorded and every node but the
 * root is allocated without its layout fields (offsetof(struct lvf_cft_node, pre_comment)
 * bytes), so a parse of large metadata takes about 40% less memory. The tree may be searched,
 * read (key, type, values, child, next, parent, line) and freed; nothing may read, set or print
 * its layout: no lvf_cft_emit, lvf_cft_set_*, lvf_cft_clone or lvf_cft_append on it. Since: 0.2 */
int lvf_cft_parse_lean(const char *text, size_t len, struct lvf_cft_node **ret_root,
		       struct lvf_err *reterr);

/* lvf_cft_parse_lean streaming the sections two levels down (a VG's LV sections) to @hook as
 * each is complete: @hook(@ud, root, outer, sec, item) with @outer the section of the root
 * and @sec the section of @outer holding @item. Neither @outer nor @sec is linked to its
 * parent yet (their children so far are). Returning 1 drops @item from the tree (its memory
 * is reused for the next one: the tree of a large VG never holds its LVs at once), 0 keeps
 * it, < 0 ends the parse with that error. Since: 0.2 */
typedef int (*lvf_cft_item_hook)(void *ud, const struct lvf_cft_node *root,
				 const struct lvf_cft_node *outer, const struct lvf_cft_node *sec,
				 const struct lvf_cft_node *item);
int lvf_cft_parse_lean_hook(const char *text, size_t len, lvf_cft_item_hook hook, void *ud,
			    struct lvf_cft_node **ret_root, struct lvf_err *reterr);

/* Where a streamed parse stands when it offers an item's text to an lvf_cft_text_hook: @p the
 * item's first byte, @lb the start of its line, @line that line (1-based), @nodes_left how
 * many nodes the parse may still make (LVF_CFT_MAX_NODES less those made). */
struct lvf_cft_cursor {
	const char *p, *lb;
	unsigned line;
	size_t nodes_left;
};
/* Offered each item two levels down (in @sec, as lvf_cft_item_hook's) as text before the
 * parser reads it: @hook(@ud, sec, end, cur) with @end the end of the text. Returning 1 takes
 * the item: *cur is past its closing '}' (line and lb counted, nodes_left less every node the
 * parse would have made for it; it never makes more than there were), and the parser goes on
 * from there as after a parsed item. 0 declines (*cur untouched): the item is parsed and given
 * to the item hook. < 0 ends the parse with that error. */
typedef int (*lvf_cft_text_hook)(void *ud, const struct lvf_cft_node *sec, const char *end,
				 struct lvf_cft_cursor *cur);
/* lvf_cft_parse_lean_hook with a text hook too (@text_hook may be NULL). Since: 0.2 */
int lvf_cft_parse_lean_hooks(const char *text, size_t len, lvf_cft_item_hook hook,
			     lvf_cft_text_hook text_hook, void *ud, struct lvf_cft_node **ret_root,
			     struct lvf_err *reterr);

/* Free @n, its subtree and its layout strings; does not unlink it from a parent or siblings.
 * Nodes of a parsed tree are released with its root (see in_arena). NULL-safe; returns NULL.
 * Since: 0.1 */
struct lvf_cft_node *lvf_cft_free(struct lvf_cft_node *n);
DEFINE_FREE_FUNC(struct lvf_cft_node, lvf_cft_free);
#define _cleanup_cft_ _cleanup_(lvf_cft_freep)

/*
 * Lookup of "a/b/c" (leading and repeated '/' ignored, "" is @sec itself) under section @sec.
 * At each component the first child with that key wins (lvm2's metadata lookup). Returns the
 * node (borrowed, valid while the tree is unchanged) or NULL when absent or @sec is not a
 * section. Since: 0.1
 */
const struct lvf_cft_node *lvf_cft_find(const struct lvf_cft_node *sec, const char *path);
/* Typed lookups: 0 and *ret set; -ENOENT absent; -EBADMSG present with another type.
 * get_str's *ret is borrowed from the tree. get_float accepts an INT and converts it. */
int lvf_cft_get_int(const struct lvf_cft_node *sec, const char *path, int64_t *ret);
int lvf_cft_get_str(const struct lvf_cft_node *sec, const char *path, const char **ret);
int lvf_cft_get_float(const struct lvf_cft_node *sec, const char *path, double *ret);
/* Number of elements of an ARRAY node (0 for anything else). */
size_t lvf_cft_array_len(const struct lvf_cft_node *arr);

/*
 * Building. Each returns the new node appended as last child of @parent (a SECTION, or an ARRAY
 * for elements, which take key NULL), or NULL on ENOMEM or when @parent is NULL. Keys and strings
 * are copied. Since: 0.1
 */
struct lvf_cft_node *lvf_cft_new_root(void);
struct lvf_cft_node *lvf_cft_add_section(struct lvf_cft_node *parent, const char *key);
struct lvf_cft_node *lvf_cft_add_int(struct lvf_cft_node *parent, const char *key, int64_t v);
struct lvf_cft_node *lvf_cft_add_float(struct lvf_cft_node *parent, const char *key, double v);
struct lvf_cft_node *lvf_cft_add_str(struct lvf_cft_node *parent, const char *key, const char *v);
struct lvf_cft_node *lvf_cft_add_array(struct lvf_cft_node *parent, const char *key);
/* Layout setters: copy @text (NULL clears). 0 or -ENOMEM. */
int lvf_cft_set_comment(struct lvf_cft_node *n, const char *text, enum lvf_cft_comment_style st);
int lvf_cft_set_pre_comment(struct lvf_cft_node *n, const char *text);
/* Deep copy of @n and its subtree (layout included; line kept), detached: parent and next NULL.
 * NULL on ENOMEM. Caller frees. */
struct lvf_cft_node *lvf_cft_clone(const struct lvf_cft_node *n);
/* Append the detached subtree @child as last child of @parent (takes ownership). */
void lvf_cft_append(struct lvf_cft_node *parent, struct lvf_cft_node *child);
/* Same keys, types, values and order, recursively; layout hints and lines ignored. */
bool lvf_cft_equal(const struct lvf_cft_node *a, const struct lvf_cft_node *b);

/*
 * Printing. RAW is lvm2's on-disk metadata layout (no indentation, aligned comments dropped);
 * INDENT is the layout of lvm2's backup files (one tab per level, at most 5 as lvm2, aligned
 * comments). Both: `key = value`, `key {` ... `}`, arrays `k = ["a", 1]`, integers in decimal,
 * floats as "%f" (more digits only when needed to read back the same double), strings quoted
 * with " and \ escaped, keys quoted when they are not plain words. Output is appended to @out.
 * @root is the unnamed root (a named section prints its children).
 * Returns 0; -EINVAL when the tree cannot be printed so that it parses back the same (key
 * NULL/empty/containing '/' in a section, keyed array element, nested array, non-finite float,
 * NULL string, depth beyond LVF_CFT_MAX_DEPTH); -ENOMEM when @out failed.
 * Since: 0.1
 */
enum lvf_cft_style { LVF_CFT_STYLE_RAW, LVF_CFT_STYLE_INDENT };
int lvf_cft_emit(const struct lvf_cft_node *root, enum lvf_cft_style style, struct strbuf *out);
/* Same for the children of section @sec printed as if nested @depth sections deep (INDENT
 * indents them by @depth tabs, capped at 5), e.g. to splice preserved unknown fields into a
 * hand-written layout. Multi-line strings stay intact (unlike indenting printed lines). */
int lvf_cft_emit_at(const struct lvf_cft_node *sec, enum lvf_cft_style style, unsigned depth,
		    struct strbuf *out);
