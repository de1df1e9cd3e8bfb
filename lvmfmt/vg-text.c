/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VG <-> lvm2 text metadata. See vg-text.h and docs/format.md. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lvmfmt/vg-text.h"
#include "util/macros.h"

struct word {
	const char *name;
	unsigned bit;
};

static const struct word vg_status_words[] = {
	{ "RESIZEABLE", MD_VG_RESIZEABLE }, { "READ", MD_VG_READ },
	{ "WRITE", MD_VG_WRITE },           { "EXPORTED", MD_VG_EXPORTED },
	{ "PVMOVE", MD_VG_PVMOVE },         { "CLUSTERED", MD_VG_CLUSTERED },
	{ "SHARED", MD_VG_SHARED },         { "PARTIAL", MD_VG_PARTIAL },
};
static const struct word pv_status_words[] = {
	{ "ALLOCATABLE", MD_PV_ALLOCATABLE },
	{ "EXPORTED", MD_PV_EXPORTED },
	{ "MISSING", MD_PV_MISSING },
};
static const struct word lv_status_words[] = {
	{ "READ", MD_LV_READ },
	{ "WRITE", MD_LV_WRITE },
	{ "VISIBLE", MD_LV_VISIBLE },
	{ "FIXED_MINOR", MD_LV_FIXED_MINOR },
	{ "PVMOVE", MD_LV_PVMOVE },
	{ "LOCKED", MD_LV_LOCKED },
	{ "NOTSYNCED", MD_LV_NOTSYNCED },
	{ "REBUILD", MD_LV_REBUILD },
	{ "WRITEMOSTLY", MD_LV_WRITEMOSTLY },
};
/* lvm2 writes a VG with a system ID or an lvmlockd lock type, and its LVs, with WRITE_LOCKED
 * in "flags" in place of WRITE in "status", so that versions before the flag cannot write it
 * (2.03.16 format_text/export.c, vg_flag_write_locked); reading turns it back into WRITE
 * (import_vsn1.c). */
static const struct word vg_flag_words[] = {
	{ "WRITE_LOCKED", 1 },
};
static bool vg_write_locked(const struct md_vg *vg)
{
	return (vg->system_id && vg->system_id[0]) ||
	       (vg->lock_type && vg->lock_type[0] && !streq(vg->lock_type, "none"));
}

static const struct word lv_flag_words[] = {
	{ "WRITE_LOCKED", MD_LVF_WRITE_LOCKED },     { "ACTIVATION_SKIP", MD_LVF_ACTIVATION_SKIP },
	{ "NOAUTOACTIVATE", MD_LVF_NOAUTOACTIVATE }, { "ERROR_WHEN_FULL", MD_LVF_ERROR_WHEN_FULL },
	{ "CACHE_VOL", MD_LVF_CACHE_VOL },
};

/* ---------------------------------------------------------------- import helpers */

/* A reference to an LV not read yet (streamed import): resolved when every LV is known. */
struct fixup {
	struct md_lv **dst;
	char *name;
	char *msg; /* the error when it names no LV */
	unsigned line;
};

struct importer {
	struct md_vg *vg;
	struct lvf_err *err;
	char **pv_keys; /* section name of each PV ("pv0", ...), parallel to vg->pvs */
	size_t n_keys;
	/* streamed import (lvf_vg_import_text): LVs are read as the parser finishes each, so a
	 * reference may name an LV further on; it waits in fixups, and segment sorting waits for
	 * the fixups (they point into the segment arrays) */
	bool defer;
	struct fixup *fx;
	size_t n_fx, cap_fx;
	struct md_lv **unsorted;
	size_t n_unsorted, cap_unsorted;
	size_t n_direct;                 /* LVs read by lv_direct */
	bool no_template, only_template; /* LVF_VG_IMPORT_NO_TEMPLATE, _ONLY_TEMPLATE */
};

/* "a b c" into @buf (the "what" of error messages) without printf: made for every LV */
static const char *what3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;

	if (la + lb + lc + 3 > size) {
		snprintf(buf, size, c ? "%s %s %s" : "%s %s", a, b, c);
		return buf;
	}
	memcpy(buf, a, la);
	buf[la] = ' ';
	memcpy(buf + la + 1, b, lb);
	if (c) {
		buf[la + 1 + lb] = ' ';
		memcpy(buf + la + 2 + lb, c, lc);
		buf[la + 2 + lb + lc] = '\0';
	} else {
		buf[la + 1 + lb] = '\0';
	}
	return buf;
}

static int fail(struct importer *im, const struct lvf_cft_node *at, const char *fmt, ...)
	_printf_(3, 4);
static int fail(struct importer *im, const struct lvf_cft_node *at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (im->err) {
		lvf_err_set(im->err, -EBADMSG, "%s", msg);
		im->err->line = at ? at->line : 0;
	}
	return -EBADMSG;
}

static const struct lvf_cft_node *child(const struct lvf_cft_node *sec, const char *key)
{
	/* the first byte first: most keys differ there (thousands of LVs, a dozen keys each);
	 * a lean parse's shared keys are often the very literal asked for (merged by the linker) */
	for (const struct lvf_cft_node *n = sec->child; n; n = n->next)
		if (n->key == key || (n->key && n->key[0] == key[0] && streq(n->key, key)))
			return n;
	return NULL;
}

static int get_int(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		   const char *key, bool required, int64_t min, int64_t max, int64_t *ret)
{
	const struct lvf_cft_node *n = child(sec, key);

	if (!n) {
		if (required)
			return fail(im, sec, "%s: required field '%s' is missing", what, key);
		return -ENOENT;
	}
	if (n->type != LVF_CFT_INT)
		return fail(im, n, "%s: field '%s' must be an integer", what, key);
	if (n->i < min || n->i > max)
		return fail(im, n, "%s: field '%s' = %" PRId64 " is out of range", what, key, n->i);
	*ret = n->i;
	return 0;
}

static int get_str(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		   const char *key, bool required, const char **ret)
{
	const struct lvf_cft_node *n = child(sec, key);

	if (!n) {
		if (required)
			return fail(im, sec, "%s: required field '%s' is missing", what, key);
		return -ENOENT;
	}
	if (n->type != LVF_CFT_STR)
		return fail(im, n, "%s: field '%s' must be a string", what, key);
	*ret = n->s;
	return 0;
}

static int dup_opt_str(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		       const char *key, char **field)
{
	const char *s = NULL;
	int r = get_str(im, sec, what, key, false, &s);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	return md_lv_set_str(field, s);
}

/* A string list: ["A", "B"] (or [] ). Calls @fn for each word. */
static int for_words(struct importer *im, const struct lvf_cft_node *n, const char *what,
		     int (*fn)(struct importer *, const struct lvf_cft_node *, const char *, void *),
		     void *data)
{
	int r;

	if (n->type == LVF_CFT_STR)
		return fn(im, n, n->s, data);
	if (n->type != LVF_CFT_ARRAY)
		return fail(im, n, "%s: field '%s' must be a list of strings", what, n->key);
	for (const struct lvf_cft_node *e = n->child; e; e = e->next) {
		if (e->type != LVF_CFT_STR)
			return fail(im, e, "%s: field '%s' must hold only strings", what, n->key);
		r = fn(im, e, e->s, data);
		if (r < 0)
			return r;
	}
	return 0;
}

struct words_ctx {
	const struct word *words;
	size_t n;
	unsigned *bits;
	md_strv *other; /* NULL: unknown words are an error */
	const char *what;
};

static int word_cb(struct importer *im, const struct lvf_cft_node *at, const char *w, void *data)
{
	struct words_ctx *c = data;

	for (size_t i = 0; i < c->n; i++)
		if (streq(c->words[i].name, w)) {
			*c->bits |= c->words[i].bit;
			return 0;
		}
	if (!c->other)
		return fail(im, at, "%s: unknown status flag '%s'", c->what, w);
	return md_strv_push(c->other, w);
}

static int strv_cb(struct importer *im, const struct lvf_cft_node *at, const char *w, void *data)
{
	return md_strv_push(data, w);
}

static int read_words(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		      const char *key, bool required, const struct word *words, size_t n,
		      unsigned *bits, md_strv *other)
{
	const struct lvf_cft_node *f = child(sec, key);
	struct words_ctx c = { words, n, bits, other, what };

	if (!f)
		return required ? fail(im, sec, "%s: required field '%s' is missing", what, key) : 0;
	return for_words(im, f, what, word_cb, &c);
}

static int read_strv(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		     const char *key, md_strv *v)
{
	const struct lvf_cft_node *f = child(sec, key);
	return f ? for_words(im, f, what, strv_cb, v) : 0;
}

/* Deep copy of @n appended to @parent (cft has builders, not a copy). */
static int copy_node(struct lvf_cft_node *parent, const struct lvf_cft_node *n)
{
	struct lvf_cft_node *c = NULL;

	switch (n->type) {
	case LVF_CFT_SECTION:
		c = lvf_cft_add_section(parent, n->key);
		break;
	case LVF_CFT_ARRAY:
		c = lvf_cft_add_array(parent, n->key);
		break;
	case LVF_CFT_INT:
		c = lvf_cft_add_int(parent, n->key, n->i);
		break;
	case LVF_CFT_FLOAT:
		c = lvf_cft_add_int(parent, n->key, 0);
		if (c) {
			c->type = LVF_CFT_FLOAT;
			c->f = n->f;
		}
		break;
	case LVF_CFT_STR:
		c = lvf_cft_add_str(parent, n->key, n->s);
		break;
	}
	if (!c)
		return -ENOMEM;
	for (const struct lvf_cft_node *k = n->child; k; k = k->next)
		if (copy_node(c, k) < 0)
			return -ENOMEM;
	return 0;
}

static void extra_free(void *p)
{
	lvf_cft_free(p);
}

/* Move children of @sec whose key is not in @known (NULL-terminated) into @e. Subsections
 * are left alone when @keep_sections (the caller handles them). */
/* Is @key in @known? A lean parse's shared key is often the very literal of the list: the
 * addresses first, then the bytes. */
static bool is_known(const char *key, const char *const *known)
{
	for (size_t i = 0; known[i]; i++)
		if (known[i] == key)
			return true;
	for (size_t i = 0; known[i]; i++)
		if (known[i][0] == key[0] && streq(known[i], key))
			return true;
	return false;
}

static int keep_unknown(const struct lvf_cft_node *sec, const char *const *known,
			bool keep_sections, struct md_extra *e)
{
	struct lvf_cft_node *root = NULL;

	for (struct lvf_cft_node *n = sec->child; n; n = n->next) {
		if (!n->key || (keep_sections && n->type == LVF_CFT_SECTION))
			continue;
		if (is_known(n->key, known))
			continue;
		if (!root && !(root = lvf_cft_new_root()))
			return -ENOMEM;
		if (copy_node(root, n) < 0) {
			lvf_cft_free(root);
			return -ENOMEM;
		}
	}
	if (root) {
		e->data = root;
		e->free = extra_free;
	}
	return 0;
}

/* ---------------------------------------------------------------- import */

static int import_pv(struct importer *im, const struct lvf_cft_node *sec)
{
	static const char *const known[] = { "id",       "device",   "status",         "flags",
					     "tags",     "dev_size", "pe_start",       "pe_count",
					     "ba_start", "ba_size",  "device_id_type", "device_id",
					     NULL };
	char what[160];
	const char *s;
	char id[MD_ID_LEN + 1];
	int64_t v, pe_start, pe_count, dev_size = 0;
	struct md_pv *pv, **npvs;
	char **nkeys;
	int r;

	snprintf(what, sizeof(what), "PV section %s", sec->key);
	r = get_str(im, sec, what, "id", true, &s);
	if (r < 0)
		return r;
	if (md_id_parse(s, id) < 0)
		return fail(im, child(sec, "id"), "%s: id '%s' is not a valid LVM id", what, s);
	if (md_vg_find_pv(im->vg, id))
		return fail(im, sec, "%s: PV id %s appears twice", what, s);
	r = get_int(im, sec, what, "pe_start", true, 0, INT64_MAX, &pe_start);
	if (r < 0)
		return r;
	r = get_int(im, sec, what, "pe_count", true, 0, UINT32_MAX, &pe_count);
	if (r < 0)
		return r;
	r = get_int(im, sec, what, "dev_size", false, 0, INT64_MAX, &dev_size);
	if (r < 0 && r != -ENOENT)
		return r;
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	npvs = realloc(im->vg->pvs, (im->vg->n_pvs + 1) * sizeof(*npvs));
	if (npvs)
		im->vg->pvs = npvs;
	nkeys = realloc(im->pv_keys, (im->vg->n_pvs + 1) * sizeof(*nkeys));
	if (nkeys)
		im->pv_keys = nkeys;
	if (!npvs || !nkeys || !(im->pv_keys[im->vg->n_pvs] = strdup(sec->key))) {
		free(pv);
		return -ENOMEM;
	}
	im->n_keys++;
	im->vg->pvs[im->vg->n_pvs++] = pv;
	memcpy(pv->id, id, sizeof(id));
	pv->pe_start = (uint64_t)pe_start;
	pv->pe_count = (uint32_t)pe_count;
	pv->dev_size = (uint64_t)dev_size;
	r = dup_opt_str(im, sec, what, "device", &pv->device);
	if (r < 0)
		return r;
	r = read_words(im, sec, what, "status", true, pv_status_words, ARRAY_SIZE(pv_status_words),
		       &pv->status, NULL);
	if (r < 0)
		return r;
	r = read_strv(im, sec, what, "flags", &pv->flags);
	if (r < 0)
		return r;
	r = read_strv(im, sec, what, "tags", &pv->tags);
	if (r < 0)
		return r;
	if (child(sec, "ba_start") || child(sec, "ba_size")) {
		r = get_int(im, sec, what, "ba_start", true, 0, INT64_MAX, &v);
		if (r < 0)
			return r;
		pv->ba_start = (uint64_t)v;
		r = get_int(im, sec, what, "ba_size", true, 0, INT64_MAX, &v);
		if (r < 0)
			return r;
		pv->ba_size = (uint64_t)v;
		pv->has_ba = true;
	}
	return keep_unknown(sec, known, false, &pv->extra);
}

static int fixup_add(struct importer *im, struct md_lv **dst, const char *name,
		     const struct lvf_cft_node *at, const char *fmt, ...) _printf_(5, 6);
static int fixup_add(struct importer *im, struct md_lv **dst, const char *name,
		     const struct lvf_cft_node *at, const char *fmt, ...)
{
	struct fixup *f;
	va_list ap;

	if (im->n_fx == im->cap_fx) {
		size_t cap = im->cap_fx ? 2 * im->cap_fx : 16;
		struct fixup *n = realloc(im->fx, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		im->fx = n;
		im->cap_fx = cap;
	}
	f = &im->fx[im->n_fx];
	*f = (struct fixup){ .dst = dst, .line = at ? at->line : 0 };
	va_start(ap, fmt);
	if (vasprintf(&f->msg, fmt, ap) < 0)
		f->msg = NULL;
	va_end(ap);
	if (!f->msg || !(f->name = strdup(name))) {
		free(f->msg);
		return -ENOMEM;
	}
	im->n_fx++;
	return 0;
}

static void fixups_free(struct importer *im)
{
	for (size_t i = 0; i < im->n_fx; i++) {
		free(im->fx[i].name);
		free(im->fx[i].msg);
	}
	free(im->fx);
	im->fx = NULL;
	im->n_fx = im->cap_fx = 0;
	free(im->unsorted);
	im->unsorted = NULL;
	im->n_unsorted = im->cap_unsorted = 0;
}

/* *dst = the LV named by @key (NULL when absent and not @required) */
static int lv_ref(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		  const char *key, bool required, struct md_lv **dst)
{
	const char *s;
	int r = get_str(im, sec, what, key, required, &s);

	if (r == -ENOENT) {
		*dst = NULL;
		return 0;
	}
	if (r < 0)
		return r;
	*dst = md_vg_find_lv(im->vg, s);
	if (*dst)
		return 0;
	if (im->defer)
		return fixup_add(im, dst, s, child(sec, key),
				 "%s: '%s' names LV %s, which does not exist", what, key, s);
	return fail(im, child(sec, key), "%s: '%s' names LV %s, which does not exist", what, key, s);
}

static int import_striped(struct importer *im, const struct lvf_cft_node *sec, const char *what,
			  struct md_seg *seg)
{
	const struct lvf_cft_node *st, *e;
	int64_t v;
	uint32_t i = 0;
	int r;

	r = get_int(im, sec, what, "stripe_count", true, 1, 128, &v);
	if (r < 0)
		return r;
	seg->stripe_count = (uint32_t)v;
	if (seg->stripe_count > 1) {
		r = get_int(im, sec, what, "stripe_size", true, 1, UINT32_MAX, &v);
		if (r < 0)
			return r;
		seg->stripe_size = (uint32_t)v;
	}
	if (seg->extent_count % seg->stripe_count)
		return fail(im, sec, "%s: extent_count is not a multiple of stripe_count", what);
	st = child(sec, "stripes");
	if (!st || st->type != LVF_CFT_ARRAY)
		return fail(im, st ? st : sec, "%s: 'stripes' must be a list", what);
	seg->areas = calloc(seg->stripe_count, sizeof(*seg->areas));
	if (!seg->areas)
		return -ENOMEM;
	for (e = st->child; e; e = e->next) {
		const struct lvf_cft_node *pe = e->next;
		struct md_area *a;
		if (i == seg->stripe_count)
			return fail(im, e, "%s: more stripes listed than stripe_count", what);
		if (e->type != LVF_CFT_STR || !pe || pe->type != LVF_CFT_INT || pe->i < 0 ||
		    pe->i > UINT32_MAX)
			return fail(im, e, "%s: 'stripes' must hold (\"pvN\", extent) pairs", what);
		a = &seg->areas[i++];
		a->start = (uint32_t)pe->i;
		for (size_t k = 0; k < im->vg->n_pvs; k++)
			if (streq(im->pv_keys[k], e->s))
				a->pv = im->vg->pvs[k];
		if (!a->pv && !(a->lv = md_vg_find_lv(im->vg, e->s))) {
			if (!im->defer)
				return fail(im, e,
					    "%s: stripe names '%s', which is neither a PV nor an LV",
					    what, e->s);
			r = fixup_add(im, &a->lv, e->s, e,
				      "%s: stripe names '%s', which is neither a PV nor an LV",
				      what, e->s);
			if (r < 0)
				return r;
		}
		e = pe;
	}
	if (i != seg->stripe_count)
		return fail(im, st, "%s: %u stripes listed, stripe_count is %u", what, i,
			    seg->stripe_count);
	return 0;
}

/* One LV name of a raid segment's "raids" list into *dst (deferred when not yet read). */
static int raid_ref(struct importer *im, const struct lvf_cft_node *e, const char *what,
		    struct md_lv **dst)
{
	if ((*dst = md_vg_find_lv(im->vg, e->s)))
		return 0;
	if (!im->defer)
		return fail(im, e, "%s: raids names '%s', which is no LV of the VG", what, e->s);
	return fixup_add(im, dst, e->s, e, "%s: raids names '%s', which is no LV of the VG", what,
			 e->s);
}

/* raid1: device_count, region_size, raids = ["META0", "IMAGE0", ...] (or images only). */
static int import_raid(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		       struct md_seg *seg)
{
	const struct lvf_cft_node *st, *e;
	size_t n = 0;
	int64_t v;
	int r;

	r = get_int(im, sec, what, "device_count", true, 1, MD_RAID1_MAX_IMAGES, &v);
	if (r < 0)
		return r;
	seg->stripe_count = (uint32_t)v;
	r = get_int(im, sec, what, "region_size", false, 1, UINT32_MAX, &v);
	if (r == 0)
		seg->region_size = (uint32_t)v;
	else if (r != -ENOENT)
		return r;
	st = child(sec, "raids");
	if (!st || st->type != LVF_CFT_ARRAY)
		return fail(im, st ? st : sec, "%s: 'raids' must be a list", what);
	for (e = st->child; e; e = e->next) {
		if (e->type != LVF_CFT_STR)
			return fail(im, e, "%s: 'raids' must hold LV names", what);
		n++;
	}
	if (n != seg->stripe_count && n != 2 * (size_t)seg->stripe_count)
		return fail(im, st, "%s: %zu raids listed, device_count is %u", what, n,
			    seg->stripe_count);
	seg->areas = calloc(seg->stripe_count, sizeof(*seg->areas));
	if (!seg->areas)
		return -ENOMEM;
	if (n == 2 * (size_t)seg->stripe_count &&
	    !(seg->meta_areas = calloc(seg->stripe_count, sizeof(*seg->meta_areas))))
		return -ENOMEM;
	e = st->child;
	for (uint32_t k = 0; k < seg->stripe_count; k++) {
		if (seg->meta_areas) {
			if ((r = raid_ref(im, e, what, &seg->meta_areas[k].lv)) < 0)
				return r;
			e = e->next;
		}
		if ((r = raid_ref(im, e, what, &seg->areas[k].lv)) < 0)
			return r;
		e = e->next;
	}
	return 0;
}

static int import_thin_pool(struct importer *im, const struct lvf_cft_node *sec, const char *what,
			    struct md_seg *seg)
{
	const char *s;
	int64_t v;
	int r;

	size_t n_msgs = 0;

	r = lv_ref(im, sec, what, "metadata", true, &seg->pool_meta);
	if (r < 0)
		return r;
	r = lv_ref(im, sec, what, "pool", true, &seg->pool_data);
	if (r < 0)
		return r;
	r = get_int(im, sec, what, "transaction_id", true, 0, INT64_MAX, &v);
	if (r < 0)
		return r;
	seg->transaction_id = (uint64_t)v;
	r = get_int(im, sec, what, "chunk_size", true, MD_THIN_MIN_CHUNK, MD_THIN_MAX_CHUNK, &v);
	if (r < 0)
		return r;
	if (v % MD_THIN_MIN_CHUNK)
		return fail(im, child(sec, "chunk_size"),
			    "%s: chunk_size %" PRId64 " is not a multiple of 128 sectors", what, v);
	seg->chunk_size = (uint32_t)v;
	seg->discards = MD_DISCARDS_IGNORE; /* lvm2: missing means ignore */
	r = get_str(im, sec, what, "discards", false, &s);
	if (r == 0) {
		if (!strcasecmp(s, "passdown"))
			seg->discards = MD_DISCARDS_PASSDOWN;
		else if (!strcasecmp(s, "nopassdown"))
			seg->discards = MD_DISCARDS_NOPASSDOWN;
		else if (!strcasecmp(s, "ignore"))
			seg->discards = MD_DISCARDS_IGNORE;
		else
			return fail(im, child(sec, "discards"), "%s: unknown discards value '%s'",
				    what, s);
	} else if (r != -ENOENT)
		return r;
	r = get_int(im, sec, what, "zero_new_blocks", false, INT64_MIN, INT64_MAX, &v);
	if (r == 0)
		seg->zero_new_blocks = v != 0;
	else if (r != -ENOENT)
		return r;
	r = get_int(im, sec, what, "crop_metadata", false, INT64_MIN, INT64_MAX, &v);
	if (r == 0) {
		seg->has_crop_metadata = true;
		seg->crop_metadata = v;
	} else if (r != -ENOENT)
		return r;
	/* one array for the messages: a deferred reference points into it */
	for (const struct lvf_cft_node *m = sec->child; m; m = m->next)
		n_msgs += m->type == LVF_CFT_SECTION;
	if (n_msgs && !(seg->msgs = calloc(n_msgs, sizeof(*seg->msgs))))
		return -ENOMEM;
	for (const struct lvf_cft_node *m = sec->child; m; m = m->next) {
		struct md_msg *msg;
		const struct lvf_cft_node *c, *d;
		if (m->type != LVF_CFT_SECTION)
			continue;
		c = child(m, "create");
		d = child(m, "delete");
		if ((c && d) || (!c && !d))
			return fail(im, m,
				    "%s: message %s must hold exactly one of create or delete",
				    what, m->key);
		msg = &seg->msgs[seg->n_msgs];
		if (c) {
			msg->kind = MD_MSG_CREATE;
			r = lv_ref(im, m, what, "create", true, &msg->lv);
			if (r < 0)
				return r;
		} else {
			if (d->type != LVF_CFT_INT || d->i < 0 || d->i > MD_THIN_MAX_DEVICE_ID)
				return fail(im, d, "%s: bad device id in delete message", what);
			msg->kind = MD_MSG_DELETE;
			msg->device_id = (uint32_t)d->i;
		}
		seg->n_msgs++;
	}
	return 0;
}

static int import_thin(struct importer *im, const struct lvf_cft_node *sec, const char *what,
		       struct md_seg *seg)
{
	int64_t v;
	int r;

	r = lv_ref(im, sec, what, "thin_pool", true, &seg->thin_pool);
	if (r < 0)
		return r;
	r = get_int(im, sec, what, "transaction_id", true, 0, INT64_MAX, &v);
	if (r < 0)
		return r;
	seg->transaction_id = (uint64_t)v;
	r = get_int(im, sec, what, "device_id", true, 0, MD_THIN_MAX_DEVICE_ID, &v);
	if (r < 0)
		return r;
	seg->device_id = (uint32_t)v;
	r = lv_ref(im, sec, what, "origin", false, &seg->origin);
	if (r < 0)
		return r;
	r = lv_ref(im, sec, what, "merge", false, &seg->merge);
	if (r < 0)
		return r;
	return lv_ref(im, sec, what, "external_origin", false, &seg->external_origin);
}

/* lvm2 lib/snapshot/snapshot.c _snap_text_import: chunk_size, origin, cow_store (a merging
 * snapshot's merging_store is kept as an unknown segment type) */
static int import_snapshot(struct importer *im, const struct lvf_cft_node *sec, const char *what,
			   struct md_seg *seg)
{
	int64_t v;
	int r;

	r = get_int(im, sec, what, "chunk_size", true, 1, UINT32_MAX, &v);
	if (r < 0)
		return r;
	seg->chunk_size = (uint32_t)v;
	r = lv_ref(im, sec, what, "origin", true, &seg->origin);
	if (r < 0)
		return r;
	return lv_ref(im, sec, what, "cow_store", true, &seg->cow);
}

static int cmp_seg(const void *a, const void *b)
{
	const struct md_seg *x = a, *y = b;
	return x->start_extent < y->start_extent ? -1 : x->start_extent > y->start_extent;
}

static int import_segments(struct importer *im, const struct lvf_cft_node *sec, struct md_lv *lv)
{
	static const char *const known_common[] = { "start_extent", "extent_count", "type", NULL };
	static const char *const known_striped[] = { "start_extent", "extent_count",
						     "type",         "stripe_count",
						     "stripe_size",  "stripes",
						     "tags",         NULL };
	static const char *const known_pool[] = { "start_extent",
						  "extent_count",
						  "type",
						  "metadata",
						  "pool",
						  "transaction_id",
						  "chunk_size",
						  "discards",
						  "zero_new_blocks",
						  "crop_metadata",
						  NULL };
	static const char *const known_thin[] = {
		"start_extent", "extent_count", "type",  "thin_pool",       "transaction_id",
		"device_id",    "origin",       "merge", "external_origin", NULL
	};
	static const char *const known_snap[] = {
		"start_extent", "extent_count", "type", "chunk_size", "origin", "cow_store", NULL
	};
	static const char *const known_raid[] = {
		"start_extent", "extent_count", "type", "device_count", "region_size", "raids", NULL
	};
	int64_t count, v;
	size_t n = 0;
	int r;

	r = get_int(im, sec, lv->name, "segment_count", true, 1, 1u << 20, &count);
	if (r < 0)
		return r;
	for (const struct lvf_cft_node *s = sec->child; s; s = s->next)
		n += s->type == LVF_CFT_SECTION;
	if ((int64_t)n != count)
		return fail(im, sec, "LV %s: segment_count is %" PRId64 " but %zu segments follow",
			    lv->name, count, n);
	lv->segs = calloc(n, sizeof(*lv->segs));
	if (!lv->segs)
		return -ENOMEM;
	for (const struct lvf_cft_node *s = sec->child; s; s = s->next) {
		struct md_seg *seg;
		const char *type, *plus;
		char what[300];
		const char *const *known = known_common;

		if (s->type != LVF_CFT_SECTION)
			continue;
		seg = &lv->segs[lv->n_segs++];
		what3(what, sizeof(what), "LV", lv->name, s->key);
		r = get_int(im, s, what, "start_extent", true, 0, UINT32_MAX, &v);
		if (r < 0)
			return r;
		seg->start_extent = (uint32_t)v;
		r = get_int(im, s, what, "extent_count", true, 1, UINT32_MAX, &v);
		if (r < 0)
			return r;
		seg->extent_count = (uint32_t)v;
		r = get_str(im, s, what, "type", true, &type);
		if (r < 0)
			return r;
		if (!(seg->type = md_seg_type_dup(type, strlen(type))))
			return -ENOMEM;
		plus = strchr(type, '+');
		if (streq(type, "striped") || streq(type, "linear")) {
			seg->kind = MD_SEG_STRIPED;
			known = known_striped;
			r = import_striped(im, s, what, seg);
		} else if (streq(type, "thin-pool") || streq(type, "thin-pool+CROP_METADATA")) {
			seg->kind = MD_SEG_THIN_POOL;
			known = known_pool;
			r = import_thin_pool(im, s, what, seg);
		} else if (streq(type, "thin")) {
			seg->kind = MD_SEG_THIN;
			known = known_thin;
			r = import_thin(im, s, what, seg);
		} else if (streq(type, "snapshot") && child(s, "cow_store")) {
			seg->kind = MD_SEG_SNAPSHOT;
			known = known_snap;
			r = import_snapshot(im, s, what, seg);
		} else if (streq(type, "raid1")) {
			seg->kind = MD_SEG_RAID;
			known = known_raid;
			r = import_raid(im, s, what, seg);
		} else {
			/* unknown type (or unknown +FLAG): keep the whole section verbatim */
			(void)plus;
			static const char *const known_pos[] = { "start_extent", "extent_count",
								 NULL };
			seg->kind = MD_SEG_UNKNOWN;
			r = keep_unknown(s, known_pos, false, &seg->extra);
			continue;
		}
		if (r < 0)
			return r;
		r = keep_unknown(s, known, true, &seg->extra);
		if (r < 0)
			return r;
	}
	for (size_t i = 1; i < lv->n_segs; i++)
		if (lv->segs[i - 1].start_extent > lv->segs[i].start_extent) {
			if (!im->defer) {
				qsort(lv->segs, lv->n_segs, sizeof(*lv->segs), cmp_seg);
				break;
			}
			/* deferred references point into lv->segs: sorted after they are resolved */
			if (im->n_unsorted == im->cap_unsorted) {
				size_t cap = im->cap_unsorted ? 2 * im->cap_unsorted : 16;
				struct md_lv **nu = realloc(im->unsorted, cap * sizeof(*nu));
				if (!nu)
					return -ENOMEM;
				im->unsorted = nu;
				im->cap_unsorted = cap;
			}
			im->unsorted[im->n_unsorted++] = lv;
			break;
		}
	return 0;
}

static int import_lv(struct importer *im, const struct lvf_cft_node *sec, struct md_lv *lv)
{
	static const char *const known[] = { "id",
					     "status",
					     "flags",
					     "tags",
					     "creation_time",
					     "creation_host",
					     "lock_args",
					     "allocation_policy",
					     "profile",
					     "read_ahead",
					     "major",
					     "minor",
					     "segment_count",
					     NULL };
	char what[160];
	int64_t v;
	int r;

	what3(what, sizeof(what), "LV", lv->name, NULL);
	r = read_words(im, sec, what, "status", true, lv_status_words, ARRAY_SIZE(lv_status_words),
		       &lv->status, NULL);
	if (r < 0)
		return r;
	r = read_words(im, sec, what, "flags", false, lv_flag_words, ARRAY_SIZE(lv_flag_words),
		       &lv->flags, &lv->flags_other);
	if (r < 0)
		return r;
	if (lv->flags & MD_LVF_WRITE_LOCKED) {
		lv->flags &= ~MD_LVF_WRITE_LOCKED;
		lv->status |= MD_LV_WRITE;
	}
	r = read_strv(im, sec, what, "tags", &lv->tags);
	if (r < 0)
		return r;
	if (!!child(sec, "creation_time") != !!child(sec, "creation_host"))
		return fail(im, sec, "%s: creation_time and creation_host must appear together",
			    what);
	if (child(sec, "creation_time")) {
		r = get_int(im, sec, what, "creation_time", true, INT64_MIN, INT64_MAX,
			    &lv->creation_time);
		if (r < 0)
			return r;
		r = dup_opt_str(im, sec, what, "creation_host", &lv->creation_host);
		if (r < 0)
			return r;
		if (!lv->creation_host)
			return fail(im, sec, "%s: creation_host must be a string", what);
		lv->has_creation = true;
	}
	if ((r = dup_opt_str(im, sec, what, "lock_args", &lv->lock_args)) < 0 ||
	    (r = dup_opt_str(im, sec, what, "allocation_policy", &lv->allocation_policy)) < 0 ||
	    (r = dup_opt_str(im, sec, what, "profile", &lv->profile)) < 0)
		return r;
	r = get_int(im, sec, what, "read_ahead", false, INT64_MIN, INT64_MAX, &v);
	if (r == 0) {
		lv->has_read_ahead = true;
		lv->read_ahead = v;
	} else if (r != -ENOENT)
		return r;
	r = get_int(im, sec, what, "major", false, INT64_MIN, INT64_MAX, &lv->major);
	if (r == 0)
		lv->has_major = true;
	else if (r != -ENOENT)
		return r;
	r = get_int(im, sec, what, "minor", (lv->status & MD_LV_FIXED_MINOR), INT64_MIN, INT64_MAX,
		    &lv->minor);
	if (r == 0)
		lv->has_minor = true;
	else if (r != -ENOENT)
		return r;
	r = import_segments(im, sec, lv);
	if (r < 0)
		return r;
	return keep_unknown(sec, known, true, &lv->extra);
}

static const char *const known_vg[] = { "id",
					"seqno",
					"format",
					"status",
					"flags",
					"tags",
					"system_id",
					"lock_type",
					"lock_args",
					"extent_size",
					"max_lv",
					"max_pv",
					"allocation_policy",
					"profile",
					"metadata_copies",
					"physical_volumes",
					"logical_volumes",
					NULL };

static int root_check(struct importer *im, const struct lvf_cft_node *root)
{
	const struct lvf_cft_node *n = child(root, "contents");

	if (n && (n->type != LVF_CFT_STR || !streq(n->s, "Text Format Volume Group")))
		return fail(im, n, "'contents' is not \"Text Format Volume Group\"");
	n = child(root, "version");
	if (n && (n->type != LVF_CFT_INT || n->i != 1))
		return fail(im, n, "unsupported metadata 'version' (only 1 is known)");
	return 0;
}

/* The VG section's own fields and its PVs: im->vg made. */
static int vg_begin(struct importer *im, const struct lvf_cft_node *sec)
{
	const struct lvf_cft_node *pvs, *n;
	const char *s;
	char id[MD_ID_LEN + 1];
	int64_t v;
	int r;

	r = get_str(im, sec, "VG", "id", true, &s);
	if (r < 0)
		return r;
	if (md_id_parse(s, id) < 0)
		return fail(im, child(sec, "id"), "VG %s: id '%s' is not a valid LVM id", sec->key,
			    s);
	r = get_int(im, sec, "VG", "extent_size", true, 1, UINT32_MAX, &v);
	if (r < 0)
		return r;
	r = md_vg_new(sec->key, id, (uint32_t)v, &im->vg);
	if (r < 0)
		return r;
	im->vg->status = 0;
	if ((r = get_int(im, sec, "VG", "seqno", true, 0, UINT32_MAX, &v)) < 0)
		return r;
	im->vg->seqno = (uint32_t)v;
	r = get_str(im, sec, "VG", "format", false, &s);
	if (r == 0 && !streq(s, "lvm2"))
		return fail(im, child(sec, "format"), "VG %s: unknown format '%s'", sec->key, s);
	if ((r = read_words(im, sec, "VG", "status", true, vg_status_words,
			    ARRAY_SIZE(vg_status_words), &im->vg->status, NULL)) < 0 ||
	    (r = read_strv(im, sec, "VG", "flags", &im->vg->flags)) < 0 ||
	    (r = read_strv(im, sec, "VG", "tags", &im->vg->tags)) < 0 ||
	    (r = dup_opt_str(im, sec, "VG", "system_id", &im->vg->system_id)) < 0 ||
	    (r = dup_opt_str(im, sec, "VG", "lock_type", &im->vg->lock_type)) < 0 ||
	    (r = dup_opt_str(im, sec, "VG", "lock_args", &im->vg->lock_args)) < 0 ||
	    (r = dup_opt_str(im, sec, "VG", "allocation_policy", &im->vg->allocation_policy)) < 0 ||
	    (r = dup_opt_str(im, sec, "VG", "profile", &im->vg->profile)) < 0)
		return r;
	if (im->vg->flags) {
		size_t j = 0;
		for (size_t i = 0; im->vg->flags[i]; i++) {
			if (streq(im->vg->flags[i], "WRITE_LOCKED")) {
				free(im->vg->flags[i]);
				im->vg->status |= MD_VG_WRITE;
			} else {
				im->vg->flags[j++] = im->vg->flags[i];
			}
		}
		im->vg->flags[j] = NULL;
	}
	if ((r = get_int(im, sec, "VG", "max_lv", true, 0, UINT32_MAX, &v)) < 0)
		return r;
	im->vg->max_lv = (uint32_t)v;
	if ((r = get_int(im, sec, "VG", "max_pv", true, 0, UINT32_MAX, &v)) < 0)
		return r;
	im->vg->max_pv = (uint32_t)v;
	r = get_int(im, sec, "VG", "metadata_copies", false, INT64_MIN, INT64_MAX, &v);
	if (r == 0) {
		im->vg->has_metadata_copies = true;
		im->vg->metadata_copies = v;
	} else if (r != -ENOENT)
		return r;

	pvs = child(sec, "physical_volumes");
	if (!pvs || pvs->type != LVF_CFT_SECTION)
		return fail(im, sec, "VG %s: 'physical_volumes' section is missing", sec->key);
	for (n = pvs->child; n; n = n->next) {
		if (n->type != LVF_CFT_SECTION)
			continue;
		if ((r = import_pv(im, n)) < 0)
			return r;
	}
	return 0;
}

/* A new LV for section @n: name and id (the rest is import_lv). */
static int lv_add(struct importer *im, const struct lvf_cft_node *n, struct md_lv **ret)
{
	char id[MD_ID_LEN + 1];
	const char *s;
	int r;

	if (md_name_check(n->key, &s) < 0)
		return fail(im, n, "LV name '%s' is invalid: %s", n->key, s);
	r = get_str(im, n, n->key, "id", true, &s);
	if (r < 0)
		return r;
	if (md_id_parse(s, id) < 0)
		return fail(im, child(n, "id"), "LV %s: id '%s' is not a valid LVM id", n->key, s);
	r = md_lv_new(im->vg, n->key, id, 0, ret);
	if (r == -EEXIST)
		r = fail(im, n, "LV %s appears twice", n->key);
	return r;
}

/* After the LVs: deferred references, unknown fields kept, the checks. */
static int vg_end(struct importer *im, const struct lvf_cft_node *root,
		  const struct lvf_cft_node *sec)
{
	char reason[256];
	int r;

	for (size_t i = 0; i < im->n_fx; i++) {
		struct fixup *f = &im->fx[i];
		if (!(*f->dst = md_vg_find_lv(im->vg, f->name))) {
			r = fail(im, NULL, "%s", f->msg);
			if (im->err)
				im->err->line = f->line;
			return r;
		}
	}
	for (size_t i = 0; i < im->n_unsorted; i++)
		qsort(im->unsorted[i]->segs, im->unsorted[i]->n_segs, sizeof(struct md_seg),
		      cmp_seg);
	md_vg_index_drop(im->vg); /* segments now link LVs: pool look-ups rebuild */
	md_cow_link(im->vg);
	if ((r = keep_unknown(sec, known_vg, false, &im->vg->extra)) < 0)
		return r;
	{
		/* top-level fields other than the ones we regenerate are kept */
		static const char *const regen[] = { "contents",      "version",
						     "description",   "creation_host",
						     "creation_time", NULL };
		if ((r = keep_unknown(root, regen, true, &im->vg->extra_top)) < 0)
			return r;
	}
	r = md_vg_validate(im->vg, reason, sizeof(reason));
	if (r < 0)
		return fail(im, sec, "VG %s: %s", sec->key, reason);
	return 0;
}

static void importer_release(struct importer *im)
{
	for (size_t i = 0; i < im->n_keys; i++)
		free(im->pv_keys[i]);
	free(im->pv_keys);
	im->pv_keys = NULL;
	im->n_keys = 0;
	fixups_free(im);
	im->vg = md_vg_free(im->vg);
}

static const struct lvf_cft_node *first_section(const struct lvf_cft_node *root)
{
	for (const struct lvf_cft_node *n = root->child; n; n = n->next)
		if (n->type == LVF_CFT_SECTION)
			return n;
	return NULL;
}

int lvf_vg_import(const struct lvf_cft_node *root, struct md_vg **ret, struct lvf_err *reterr)
{
	struct importer im = { .err = reterr };
	const struct lvf_cft_node *sec, *lvs, *n;
	const char *s;
	int r;

	sec = first_section(root);
	if (!sec)
		return fail(&im, root, "no volume group section found");
	if (md_name_check(sec->key, &s) < 0)
		return fail(&im, sec, "volume group name '%s' is invalid: %s", sec->key, s);
	if ((r = root_check(&im, root)) < 0 || (r = vg_begin(&im, sec)) < 0)
		goto out;
	lvs = child(sec, "logical_volumes");
	if (lvs && lvs->type == LVF_CFT_SECTION) {
		/* names first, so that segments can refer to any LV */
		for (n = lvs->child; n; n = n->next) {
			struct md_lv *lv;
			if (n->type != LVF_CFT_SECTION)
				continue;
			if ((r = lv_add(&im, n, &lv)) < 0)
				goto out;
		}
		for (n = lvs->child; n; n = n->next) {
			if (n->type != LVF_CFT_SECTION)
				continue;
			if ((r = import_lv(&im, n, md_vg_find_lv(im.vg, n->key))) < 0)
				goto out;
		}
	}
	if ((r = vg_end(&im, root, sec)) < 0)
		goto out;
	*ret = TAKE_PTR(im.vg);
	r = 0;
out:
	importer_release(&im);
	return r;
}

/* ---------------------------------------------------------------- direct LV import
 * A streamed import (lvf_vg_import_text) reads an LV section of the plain layout straight from
 * the text into the model, without tree nodes: a linear LV as lvm2 and thinbox write it (id,
 * status, optional flags and tags, creation_time with creation_host, segment_count, then
 * segments of type "striped" or "linear" with stripe_count 1 on a PV, in order). Its tokens
 * are the parser's fast path's (cft.c fast_item: keys of [A-Za-z0-9_.+-], "strings" without
 * escapes or newlines, plain decimals, arrays of those; blanks, tabs and newlines between),
 * and it takes only what that path would take, so the item it reads is the tree import_lv
 * would get. Anything else, a key out of that order, a value the import would reject or
 * question (a bad id or name, a duplicate LV, an unknown status word, FIXED_MINOR, an LV
 * named as stripe, segments out of order) and it declines before it changes anything: the
 * parser reads the item and import_lv imports it, with its errors. The unit tests and the
 * fuzz target compare both ways. */
static const unsigned char direct_key_byte[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['_'] = 1,
	['.'] = 1,         ['+'] = 1,         ['-'] = 1,
};
#define DIRECT_MAX_SEGS 8
#define DIRECT_MAX_WORDS 16

struct dtext {
	const char *p, *e, *lb;
	unsigned line;
	size_t nodes_left;
};

struct dspan {
	const char *s;
	size_t n;
};

struct dseg {
	int64_t start, count, pe;
	struct dspan type;
	struct md_pv *pv;
};

#define SPAN_IS(sp, w) ((sp).n == sizeof(w) - 1 && !memcmp((sp).s, w, sizeof(w) - 1))

/* The bytes a gap takes or declines on (d_gap): after a token and one blank, any other byte
 * ends the gap there. */
static const unsigned char d_gap_byte[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, ['#'] = 1,
};

/* cft.c fast_gap_any: blanks, tabs and newlines; false on a comment, another space byte or
 * the end of the text */
__attribute__((noinline)) static bool d_gap_any(struct dtext *d)
{
	const char *p = d->p;

	for (; p < d->e; p++) {
		char c = *p;

		if (c == ' ' || c == '\t')
			continue;
		if (c == '\n') {
			d->line++;
			d->lb = p + 1;
			continue;
		}
		if (c == '#' || (c >= '\t' && c <= '\r'))
			return false;
		break;
	}
	d->p = p;
	return p < d->e;
}

/* d_gap_any, with one blank or one newline before a token (most gaps) taken inline */
static inline bool d_gap(struct dtext *d)
{
	const char *p = d->p;

	if (d->e - p >= 2 && (p[0] == ' ' || p[0] == '\n') && !d_gap_byte[(unsigned char)p[1]]) {
		if (p[0] == '\n') {
			d->line++;
			d->lb = p + 1;
		}
		d->p = p + 1;
		return true;
	}
	/* an empty line: lvm2 puts one before a segment, its type and its stripes */
	if (d->e - p >= 3 && p[0] == '\n' && p[1] == '\n' && !d_gap_byte[(unsigned char)p[2]]) {
		d->line += 2;
		d->lb = d->p = p + 2;
		return true;
	}
	return d_gap_any(d);
}

static bool d_node(struct dtext *d)
{
	if (!d->nodes_left)
		return false;
	d->nodes_left--;
	return true;
}

/* cft.c fast_item's head: a key, its gap, '=' or '{' and the gap after it; the item's node
 * counted. *ret_sec: a section. */
static bool d_head(struct dtext *d, struct dspan *key, bool *ret_sec)
{
	const char *s = d->p, *q = s;

	while (q < d->e && direct_key_byte[(unsigned char)*q])
		q++;
	if (q == s || q == d->e || (size_t)(q - s) > LVF_CFT_MAX_STRING)
		return false;
	if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '=' && *q != '{')
		return false;
	key->s = s;
	key->n = (size_t)(q - s);
	d->p = q;
	if (!d_gap(d) || !d_node(d))
		return false;
	if (*d->p != '=' && *d->p != '{')
		return false;
	*ret_sec = *d->p == '{';
	d->p++;
	return d_gap(d);
}

/* "key =" for the key @w (its length @n): the text holds @w and no key byte after it, which is
 * the key fast_key would lex; then its gap, '=' and the gap after it. " = " before a token (as
 * lvm2 writes) is taken inline. */
static inline bool d_field(struct dtext *d, const char *w, size_t n)
{
	const char *p = d->p;

	if ((size_t)(d->e - p) <= n + 3 || memcmp(p, w, n))
		return false;
	p += n;
	if (p[0] == ' ' && p[1] == '=' && p[2] == ' ' && !d_gap_byte[(unsigned char)p[3]]) {
		d->p = p + 3;
		return d_node(d);
	}
	if (direct_key_byte[(unsigned char)*p] ||
	    (*p != ' ' && *p != '\t' && *p != '\n' && *p != '=' && *p != '{'))
		return false;
	d->p = p;
	if (!d_gap(d) || !d_node(d) || *d->p != '=')
		return false;
	d->p++;
	return d_gap(d);
}
#define D_FIELD(d, w) d_field(d, w, sizeof(w) - 1)

/* Is the next key @w? (a look without moving) */
static bool d_next_is(const struct dtext *d, const char *w, size_t n)
{
	return (size_t)(d->e - d->p) > n && !memcmp(d->p, w, n) &&
	       !direct_key_byte[(unsigned char)d->p[n]];
}
#define D_NEXT_IS(d, w) d_next_is(d, w, sizeof(w) - 1)

/* where cft.c fast_scalar's "string" ends, or one it declines */
static const unsigned char d_str_stop[256] = { ['"'] = 1, ['\\'] = 1, ['\n'] = 1 };

/* cft.c fast_scalar's "string" at @p (before @e): its bytes in *ret, and where it ends (after
 * the closing '"'); NULL for any other token, or one fast_scalar declines */
static inline const char *scan_str(const char *p, const char *e, struct dspan *ret)
{
	const char *s = p + 1, *t = s;

	if (p == e || *p != '"')
		return NULL;
	while (t < e && !d_str_stop[(unsigned char)*t])
		t++;
	if (t == e || *t != '"' || (size_t)(t - s) > LVF_CFT_MAX_STRING)
		return NULL;
	ret->s = s;
	ret->n = (size_t)(t - s);
	return t + 1;
}

/* cft.c fast_scalar's plain decimal at @p (before @e; at most 18 digits, no leading zero): its
 * value in *ret and where its digits end; NULL when there is none or the text ends there */
static inline const char *scan_dec(const char *p, const char *e, int64_t *ret)
{
	const char *t = p;
	uint64_t v = 0;

	while (t < e && (unsigned)(*t - '0') < 10 && t - p <= 18)
		v = v * 10 + (unsigned)(*t++ - '0');
	if (t == p || t == e || t - p > 18 || (*p == '0' && t - p > 1))
		return NULL;
	*ret = (int64_t)v;
	return t;
}

/* cft.c fast_scalar's "string" (no gap after it) */
static bool d_str_tok(struct dtext *d, struct dspan *ret)
{
	const char *t = scan_str(d->p, d->e, ret);

	if (!t)
		return false;
	d->p = t;
	return true;
}

/* a "string" value and the gap after it */
static bool d_str(struct dtext *d, struct dspan *ret)
{
	return d_str_tok(d, ret) && d_gap(d);
}

/* cft.c fast_scalar's plain decimal and the gap after it */
static bool d_int(struct dtext *d, int64_t *ret)
{
	int64_t v;
	const char *t = scan_dec(d->p, d->e, &v);

	if (!t || (*t != ' ' && *t != '\t' && *t != '\n' && *t != ',' && *t != ']' && *t != '}'))
		return false;
	*ret = v;
	d->p = t;
	return d_gap(d);
}

/* cft.c fast_value's array, of strings only (at most @max), and the gap after it */
static bool d_strs(struct dtext *d, struct dspan *out, size_t max, size_t *ret_n)
{
	size_t n = 0;

	if (*d->p != '[')
		return false;
	d->p++;
	if (!d_gap(d))
		return false;
	while (*d->p != ']') {
		if (n == max || !d_node(d) || !d_str(d, &out[n++]))
			return false;
		if (*d->p == ',') {
			d->p++;
			if (!d_gap(d))
				return false;
		}
	}
	d->p++;
	*ret_n = n;
	return d_gap(d);
}

/* The bit of @w in @words, or 0 */
static unsigned d_word_bit(const struct word *words, size_t n, struct dspan w)
{
	for (size_t i = 0; i < n; i++)
		if (w.n && words[i].name[0] == w.s[0] && !strncmp(words[i].name, w.s, w.n) &&
		    !words[i].name[w.n])
			return words[i].bit;
	return 0;
}

static int strv_push_n(md_strv *v, struct dspan w)
{
	_cleanup_free_ char *s = strndup(w.s, w.n);

	return s ? md_strv_push(v, s) : -ENOMEM;
}

/* The PV a stripe names by its key ("pv0"): the last of equal keys, as import_striped */
static struct md_pv *pv_of_key(const struct importer *im, struct dspan key)
{
	struct md_pv *pv = NULL;

	for (size_t i = 0; i < im->vg->n_pvs; i++)
		if (strlen(im->pv_keys[i]) == key.n && !memcmp(im->pv_keys[i], key.s, key.n))
			pv = im->vg->pvs[i];
	return pv;
}

/* One segment section: "segmentN {" ... "}" and the gap after it */
static bool d_seg(struct importer *im, struct dtext *d, struct dseg *g)
{
	struct dspan k, pv[1];
	int64_t stripes;
	bool sec;

	if (!d_head(d, &k, &sec) || !sec || k.n < 8 || memcmp(k.s, "segment", 7))
		return false;
	for (size_t i = 7; i < k.n; i++)
		if (k.s[i] < '0' || k.s[i] > '9')
			return false;
	if (!D_FIELD(d, "start_extent") || !d_int(d, &g->start) || g->start > UINT32_MAX ||
	    !D_FIELD(d, "extent_count") || !d_int(d, &g->count) || g->count < 1 ||
	    g->count > UINT32_MAX || !D_FIELD(d, "type") || !d_str(d, &g->type) ||
	    !(SPAN_IS(g->type, "striped") || SPAN_IS(g->type, "linear")) ||
	    !D_FIELD(d, "stripe_count") || !d_int(d, &stripes) || stripes != 1 ||
	    !D_FIELD(d, "stripes") || *d->p != '[')
		return false;
	/* ["pvN", extent]: two elements, a comma between or not (as fast_value) */
	d->p++;
	if (!d_gap(d) || !d_node(d) || !d_str(d, &pv[0]))
		return false;
	if (*d->p == ',') {
		d->p++;
		if (!d_gap(d))
			return false;
	}
	if (!d_node(d) || !d_int(d, &g->pe) || g->pe > UINT32_MAX)
		return false;
	if (*d->p == ',') {
		d->p++;
		if (!d_gap(d))
			return false;
	}
	if (*d->p != ']')
		return false;
	d->p++;
	if (!d_gap(d) || *d->p != '}')
		return false;
	d->p++;
	g->pv = pv_of_key(im, pv[0]);
	return g->pv && d_gap(d);
}

/* What an LV section of the plain layout holds, read and checked before the model changes. */
struct dlv {
	char name[MD_NAME_MAX + 1];
	char id[MD_ID_LEN + 1];
	unsigned status, flags;
	struct dspan other[DIRECT_MAX_WORDS], tags[DIRECT_MAX_WORDS];
	size_t n_other, n_tags;
	bool has_creation;
	int64_t creation_time;
	struct dspan host;
	struct dseg segs[DIRECT_MAX_SEGS];
	size_t n_segs;
};

static bool d_lv(struct importer *im, struct dtext *d, struct dlv *lv)
{
	struct dspan k, w[DIRECT_MAX_WORDS];
	int64_t count;
	size_t n;
	bool sec;
	const char *why;

	if (!d_head(d, &k, &sec) || !sec || k.n > MD_NAME_MAX ||
	    md_name_check_len(k.s, k.n, &why) < 0)
		return false;
	memcpy(lv->name, k.s, k.n);
	lv->name[k.n] = '\0';
	if (!D_FIELD(d, "id") || !d_str(d, &k) || k.n >= 64 || md_id_parse_n(k.s, k.n, lv->id) < 0)
		return false;
	if (!D_FIELD(d, "status") || !d_strs(d, w, ARRAY_SIZE(w), &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned bit = d_word_bit(lv_status_words, ARRAY_SIZE(lv_status_words), w[i]);
		if (!bit || bit == MD_LV_FIXED_MINOR) /* unknown: an error; FIXED_MINOR: minor */
			return false;
		lv->status |= bit;
	}
	if (D_NEXT_IS(d, "flags")) {
		if (!D_FIELD(d, "flags") || !d_strs(d, w, ARRAY_SIZE(w), &n))
			return false;
		for (size_t i = 0; i < n; i++) {
			unsigned bit = d_word_bit(lv_flag_words, ARRAY_SIZE(lv_flag_words), w[i]);
			if (bit)
				lv->flags |= bit;
			else
				lv->other[lv->n_other++] = w[i];
		}
		if (lv->flags & MD_LVF_WRITE_LOCKED) {
			lv->flags &= ~MD_LVF_WRITE_LOCKED;
			lv->status |= MD_LV_WRITE;
		}
	}
	if (D_NEXT_IS(d, "tags") &&
	    (!D_FIELD(d, "tags") || !d_strs(d, lv->tags, ARRAY_SIZE(lv->tags), &lv->n_tags)))
		return false;
	if (D_NEXT_IS(d, "creation_time")) {
		if (!D_FIELD(d, "creation_time") || !d_int(d, &lv->creation_time) ||
		    !D_FIELD(d, "creation_host") || !d_str(d, &lv->host))
			return false;
		lv->has_creation = true;
	}
	if (!D_FIELD(d, "segment_count") || !d_int(d, &count) || count < 1 ||
	    count > DIRECT_MAX_SEGS)
		return false;
	for (; lv->n_segs < (size_t)count; lv->n_segs++) {
		struct dseg *g = &lv->segs[lv->n_segs];
		if (!d_seg(im, d, g) || (lv->n_segs && g[-1].start > g->start))
			return false; /* out of order: import_segments sorts after the fixups */
	}
	if (*d->p != '}')
		return false;
	d->p++;
	return true;
}

/* ---- the template of an LV section as lvm2 (and thinbox) write it in a metadata area ----
 * One one-segment striped LV, field by field in lvm2's order with lvm2's spacing, read by
 * matching its fixed text: a tenth of the generic reader's work per LV. Anything else (tags,
 * flags, more segments, other spacing, a bad value) is not the template, and d_lv reads it:
 * what the template takes, d_lv takes too and reads to the same struct dlv, with the same
 * lines and nodes counted. */
struct tpl {
	const char *p, *e;
	unsigned nl; /* newlines passed */
};

/* the fixed text @w next (a constant: the compare is inline) */
#define T_LIT(t, w)                                                                                \
	((size_t)((t)->e - (t)->p) >= sizeof(w) - 1 && !memcmp((t)->p, w, sizeof(w) - 1)           \
		 ? ((t)->p += sizeof(w) - 1, true)                                                 \
		 : false)

/* d_str_tok's "string" */
static inline bool t_str(struct tpl *t, struct dspan *ret)
{
	const char *q = scan_str(t->p, t->e, ret);

	if (!q)
		return false;
	t->p = q;
	return true;
}

/* d_int's plain decimal (its delimiter is the template's next fixed text) */
static inline bool t_int(struct tpl *t, int64_t *ret)
{
	int64_t v;
	const char *q = scan_dec(t->p, t->e, &v);

	if (!q)
		return false;
	*ret = v;
	t->p = q;
	return true;
}

static bool d_lv_template(struct importer *im, struct dtext *d, struct dlv *lv)
{
	struct tpl t = { d->p, d->e, 0 };
	struct dspan k, pv;
	size_t nodes = 12, nw = 0; /* d_lv's d_node calls: the items, each word, 2 stripes */
	struct dseg *g = &lv->segs[0];
	const char *q = t.p, *why;
	int64_t count;

	while (q < t.e && direct_key_byte[(unsigned char)*q])
		q++;
	k.s = t.p;
	k.n = (size_t)(q - t.p);
	if (!k.n || k.n > MD_NAME_MAX || md_name_check_len(k.s, k.n, &why) < 0)
		return false;
	memcpy(lv->name, k.s, k.n);
	lv->name[k.n] = '\0';
	t.p = q;
	if (!T_LIT(&t, " {\nid = ") || !t_str(&t, &k) || k.n != MD_ID_LEN + 6 ||
	    md_id_parse_n(k.s, k.n, lv->id) < 0 || !T_LIT(&t, "\nstatus = ["))
		return false;
	for (;;) { /* "WORD", "WORD"] */
		struct dspan w;
		unsigned bit;
		if (!t_str(&t, &w))
			return false;
		bit = d_word_bit(lv_status_words, ARRAY_SIZE(lv_status_words), w);
		if (!bit || bit == MD_LV_FIXED_MINOR || ++nw > DIRECT_MAX_WORDS)
			return false;
		lv->status |= bit;
		if (T_LIT(&t, "]\n"))
			break;
		if (!T_LIT(&t, ", "))
			return false;
	}
	t.nl += 3; /* " {\n", the id's and the status's */
	nodes += nw;
	if (T_LIT(&t, "flags = []\n")) {
		t.nl++;
		nodes++;
	}
	if (T_LIT(&t, "creation_time = ")) {
		if (!t_int(&t, &lv->creation_time) || !T_LIT(&t, "\ncreation_host = ") ||
		    !t_str(&t, &lv->host) || !T_LIT(&t, "\n"))
			return false;
		lv->has_creation = true;
		t.nl += 2;
		nodes += 2;
	}
	if (!T_LIT(&t, "segment_count = ") || !t_int(&t, &count) || count != 1 ||
	    !T_LIT(&t, "\n\nsegment1 {\nstart_extent = ") || !t_int(&t, &g->start) ||
	    g->start > UINT32_MAX || !T_LIT(&t, "\nextent_count = ") || !t_int(&t, &g->count) ||
	    g->count < 1 || g->count > UINT32_MAX ||
	    !T_LIT(&t, "\n\ntype = \"striped\"\nstripe_count = 1\n\nstripes = [\n") ||
	    !t_str(&t, &pv) || !T_LIT(&t, ", ") || !t_int(&t, &g->pe) || g->pe > UINT32_MAX ||
	    !T_LIT(&t, "\n]\n}\n}"))
		return false;
	t.nl += 13; /* segment_count's line to the last "}" */
	if (nodes > d->nodes_left)
		return false;
	g->type.s = "striped";
	g->type.n = 7;
	if (!(g->pv = pv_of_key(im, pv)))
		return false;
	lv->n_segs = 1;
	d->p = t.p;
	d->lb = t.p - 1; /* after the newline before the last "}" */
	d->line += t.nl;
	d->nodes_left -= nodes;
	return true;
}

/* The model side of a read section: the LV as import_lv makes it from the same item. */
static int d_lv_add(struct importer *im, const struct dlv *dl)
{
	struct md_lv *lv;
	int r;

	r = md_lv_new(im->vg, dl->name, dl->id, 0, &lv);
	if (r < 0)
		goto out;
	lv->status = dl->status;
	lv->flags = dl->flags;
	for (size_t i = 0; i < dl->n_other; i++)
		if ((r = strv_push_n(&lv->flags_other, dl->other[i])) < 0)
			goto out;
	for (size_t i = 0; i < dl->n_tags; i++)
		if ((r = strv_push_n(&lv->tags, dl->tags[i])) < 0)
			goto out;
	if (dl->has_creation) {
		lv->creation_time = dl->creation_time;
		if (!(lv->creation_host = strndup(dl->host.s, dl->host.n))) {
			r = -ENOMEM;
			goto out;
		}
		lv->has_creation = true;
	}
	lv->segs = calloc(dl->n_segs, sizeof(*lv->segs));
	if (!lv->segs) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < dl->n_segs; i++) {
		const struct dseg *g = &dl->segs[i];
		struct md_seg *seg = &lv->segs[lv->n_segs++];

		seg->start_extent = (uint32_t)g->start;
		seg->extent_count = (uint32_t)g->count;
		seg->kind = MD_SEG_STRIPED;
		seg->stripe_count = 1;
		if (!(seg->type = md_seg_type_dup(g->type.s, g->type.n)) ||
		    !(seg->areas = calloc(1, sizeof(*seg->areas)))) {
			r = -ENOMEM;
			goto out;
		}
		seg->areas[0].pv = g->pv;
		seg->areas[0].start = (uint32_t)g->pe;
	}
	r = 0;
out:
	return r;
}

/* What d_lv and d_lv_template add to (the rest they set before reading it) */
static void dlv_clear(struct dlv *dl)
{
	dl->status = dl->flags = 0;
	dl->n_other = dl->n_tags = dl->n_segs = 0;
	dl->has_creation = false;
}

/* lvf_cft_text_hook's work for one LV section at @cur: 1 taken (the LV in the model, *cur past
 * its '}'), 0 declined (nothing changed), -ENOMEM with the model half made. */
static int lv_direct(struct importer *im, const char *end, struct lvf_cft_cursor *cur)
{
	struct dtext d = { cur->p, end, cur->lb, cur->line, cur->nodes_left };
	struct dlv dl;
	int r;

	dlv_clear(&dl);
	if (im->no_template || !d_lv_template(im, &d, &dl)) {
		dlv_clear(&dl); /* what the template set on its way */
		if (im->only_template || !d_lv(im, &d, &dl))
			return 0;
	}
	r = d_lv_add(im, &dl);
	if (r == -EEXIST) /* a second LV of the name: md_lv_new changed nothing */
		return 0;
	if (r < 0)
		return r;
	cur->p = d.p;
	cur->lb = d.lb;
	cur->line = d.line;
	cur->nodes_left = d.nodes_left;
	im->n_direct++;
	return 1;
}

/* The streamed import: the parser hands over each LV section of the VG as it completes it, and
 * the LV goes into the model at once, so the text never exists as a whole tree (at 10,000s of
 * LVs the tree was 4 times the text's size and its memory the largest cost of a read). Any
 * doubt (the VG's fields after its LVs, a duplicate section, a bad LV) and the text is read
 * again the plain way, which gives the same model or the same error as before. */
enum stream_state { ST_IDLE, ST_ON, ST_OFF, ST_FAILED };
struct streamer {
	struct importer im;
	enum stream_state state;
	const struct lvf_cft_node *vg_sec, *lvs_sec;
};

static int stream_hook(void *ud, const struct lvf_cft_node *root, const struct lvf_cft_node *outer,
		       const struct lvf_cft_node *sec, const struct lvf_cft_node *item)
{
	struct streamer *st = ud;
	struct md_lv *lv;
	const char *why;

	if (!sec->key || !streq(sec->key, "logical_volumes"))
		return 0; /* PV sections, or what the plain import handles */
	if (st->state == ST_IDLE) {
		bool ok = outer && !first_section(root) && outer->key &&
			  md_name_check(outer->key, &why) == 0 && !child(outer, "logical_volumes");
		if (!ok || vg_begin(&st->im, outer) < 0) {
			importer_release(&st->im);
			st->state = ST_OFF;
			return 0;
		}
		st->state = ST_ON;
		st->vg_sec = outer;
		st->lvs_sec = sec;
	}
	if (st->state != ST_ON || sec != st->lvs_sec)
		return 0;
	if (lv_add(&st->im, item, &lv) < 0 || import_lv(&st->im, item, lv) < 0) {
		st->state = ST_FAILED;
		return -ECANCELED;
	}
	return 1;
}

/* lvf_cft_text_hook: an LV section of the VG being streamed straight into the model */
static int direct_hook(void *ud, const struct lvf_cft_node *sec, const char *end,
		       struct lvf_cft_cursor *cur)
{
	struct streamer *st = ud;
	int r;

	if (st->state != ST_ON || sec != st->lvs_sec)
		return 0;
	r = lv_direct(&st->im, end, cur);
	if (r < 0) {
		st->state = ST_FAILED;
		return -ECANCELED;
	}
	return r;
}

int lvf_vg_import_text_opts(const char *text, size_t len, unsigned flags, size_t *ret_direct,
			    struct md_vg **ret, struct lvf_err *reterr)
{
	struct lvf_cft_node *root = NULL;
	struct streamer st = { .im = { .defer = true,
				       .no_template = flags & LVF_VG_IMPORT_NO_TEMPLATE,
				       .only_template = flags & LVF_VG_IMPORT_ONLY_TEMPLATE } };
	int r;

	if (flags & LVF_VG_IMPORT_TREE)
		goto plain;
	r = lvf_cft_parse_lean_hooks(text, len, stream_hook,
				     flags & LVF_VG_IMPORT_NO_DIRECT ? NULL : direct_hook, &st,
				     &root, NULL);
	if (r == 0 && st.state == ST_ON) {
		const struct lvf_cft_node *vg = first_section(root);
		bool same = vg == st.vg_sec && child(vg, "logical_volumes") == st.lvs_sec;
		for (const struct lvf_cft_node *n = st.lvs_sec->child; same && n; n = n->next)
			same = n->type != LVF_CFT_SECTION;
		if (same && root_check(&st.im, root) == 0 && vg_end(&st.im, root, vg) == 0) {
			if (ret_direct)
				*ret_direct = st.im.n_direct;
			*ret = TAKE_PTR(st.im.vg);
			importer_release(&st.im);
			lvf_cft_free(root);
			return 0;
		}
	} else if (r == 0 && st.state != ST_FAILED) {
		/* no LV streamed: the tree is whole */
		importer_release(&st.im);
		r = lvf_vg_import(root, ret, reterr);
		if (r == 0 && ret_direct)
			*ret_direct = 0;
		lvf_cft_free(root);
		return r;
	}
	importer_release(&st.im);
	lvf_cft_free(root);
	root = NULL;
plain:
	/* the plain way, for its exact answer (the import reads no layout: a lean tree) */
	r = lvf_cft_parse_lean(text, len, &root, reterr);
	if (r == 0)
		r = lvf_vg_import(root, ret, reterr);
	if (r == 0 && ret_direct)
		*ret_direct = 0;
	lvf_cft_free(root);
	return r;
}

int lvf_vg_import_text(const char *text, size_t len, struct md_vg **ret, struct lvf_err *reterr)
{
	return lvf_vg_import_text_opts(text, len, 0, NULL, ret, reterr);
}

/* ---------------------------------------------------------------- export */

/* One pass prints both layouts when asked (lvf_vg_export_pair): each line is formatted once
 * into p->line, then appended to the raw text as it is and to the backup-file text indented,
 * with its aligned comment. Either output may be NULL. */
struct printer {
	struct strbuf *raw;  /* on-disk layout */
	struct strbuf *file; /* backup-file layout */
	int indent;
	bool no_template; /* LVF_VG_EXPORT_NO_TEMPLATE: every LV the general way */
	struct strbuf line;
	/* size_comment's last answer: LVs of one VG mostly share their segment sizes */
	bool size_valid;
	uint64_t size_sectors;
	char size_buf[64];
	/* time_comment's last local hour (ok false: none yet, or not usable) */
	struct hour_memo {
		bool ok;
		int64_t hour; /* t - t % 3600 */
		struct tm tm; /* localtime of hour */
	} hour;
};

/* Room for @n more bytes and the NUL in @sb (false: failed, or out of memory). */
static inline bool room(struct strbuf *sb, size_t n)
{
	return !sb->failed && (sb->len + n + 1 <= sb->cap || strbuf_reserve(sb, n));
}

/* lvm2's tabs before a line's comment (column 40) after @n bytes at indent @ind */
static size_t comment_tabs(size_t ind, size_t n)
{
	size_t col = ind * 8 + n;
	return MAX(col < 40 ? (40 - col + 7) / 8 : 1, (size_t)1);
}

/* @n tabs at @o (at most 8: one 8-byte store, the room has 8 to spare; the rest is written
 * over) */
static inline char *put_tabs(char *o, size_t n)
{
	memcpy(o, "\t\t\t\t\t\t\t\t", 8);
	return o + n;
}

/* One line @l (@n bytes) into each output (the file layout indented, with @comment). */
static void emit_line(struct printer *p, const char *l, size_t n, const char *comment)
{
	/* each output's room made once per line, then plain copies (a large VG's text is
	 * hundreds of thousands of lines, twice) */
	if (p->raw && room(p->raw, n + 1)) {
		char *o = p->raw->buf + p->raw->len;
		memcpy(o, l, n);
		o[n] = '\n';
		o[n + 1] = '\0';
		p->raw->len += n + 1;
	}
	if (p->file) {
		size_t ind = p->indent > 0 ? (size_t)p->indent : 0, cl = 0, ctabs = 0, need;
		if (comment) {
			ctabs = comment_tabs(ind, n);
			cl = strlen(comment);
		}
		need = ind + n + (comment ? ctabs + 2 + cl : 0) + 1;
		if (room(p->file, need + 8)) { /* + 8: the indent's one 8-byte store */
			char *o = p->file->buf + p->file->len;
			if (ind <= 8)
				o = put_tabs(o, ind);
			else
				o = (char *)memset(o, '\t', ind) + ind;
			memcpy(o, l, n);
			o += n;
			if (comment) {
				if (ctabs <= 8) /* within the + 8: o is at most need - 3 in */
					o = put_tabs(o, ctabs);
				else
					o = (char *)memset(o, '\t', ctabs) + ctabs;
				*o++ = '#';
				*o++ = ' ';
				memcpy(o, comment, cl);
				o += cl;
			}
			*o++ = '\n';
			*o = '\0';
			p->file->len += need;
		}
	}
}

/* p->line as the next line, then emptied. */
static void emit(struct printer *p, const char *comment)
{
	if (!strbuf_ok(&p->line)) {
		if (p->raw)
			p->raw->failed = true;
		if (p->file)
			p->file->failed = true;
	}
	emit_line(p, strbuf_str(&p->line), p->line.len, comment);
	p->line.len = 0;
	if (p->line.buf)
		p->line.buf[0] = '\0';
}

/* A "key = value" line; in file style an optional comment aligned as lvm2 does (column 40). */
static void outc(struct printer *p, const char *comment, const char *fmt, ...) _printf_(3, 4);
static void outc(struct printer *p, const char *comment, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&p->line);
	va_start(ap, fmt);
	strbuf_vappendf(&p->line, fmt, ap);
	va_end(ap);
	emit(p, comment);
}
#define outf(p, ...) outc(p, NULL, __VA_ARGS__)

/* The decimal digits of @v at the end of @d; returns where they start. */
static size_t u64_digits(char d[static 24], uint64_t v)
{
	size_t i = 24;

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	return i;
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	char d[24];
	size_t i = u64_digits(d, v);

	strbuf_appendn(sb, d + i, sizeof(d) - i);
}

/* "key = N" without printf (the hot lines of every LV and segment). */
static void out_u(struct printer *p, const char *key, uint64_t v, const char *comment)
{
	char b[128], d[24];
	size_t kl = strlen(key), i = u64_digits(d, v), n = sizeof(d) - i;

	if (kl + 3 + sizeof(d) > sizeof(b)) { /* a long key: the general way */
		strbuf_reset(&p->line);
		strbuf_append(&p->line, key);
		strbuf_appendn(&p->line, " = ", 3);
		strbuf_appendn(&p->line, d + i, n);
		emit(p, comment);
		return;
	}
	memcpy(b, key, kl);
	memcpy(b + kl, " = ", 3);
	memcpy(b + kl + 3, d + i, n);
	emit_line(p, b, kl + 3 + n, comment);
}

static void blank(struct printer *p)
{
	if (p->raw)
		strbuf_appendc(p->raw, '\n');
	if (p->file)
		strbuf_appendc(p->file, '\n');
}

static void open_sec(struct printer *p, const char *name)
{
	strbuf_reset(&p->line);
	strbuf_append(&p->line, name);
	strbuf_appendn(&p->line, " {", 2);
	emit(p, NULL);
	p->indent++;
}

static void close_sec(struct printer *p)
{
	p->indent--;
	strbuf_reset(&p->line);
	strbuf_appendc(&p->line, '}');
	emit(p, NULL);
}

static void out_str(struct printer *p, const char *key, const char *v, const char *comment)
{
	char b[256];
	size_t kl = strlen(key), vl = strlen(v);

	/* the common case, a short value with nothing to escape, built on the stack */
	if (kl + vl + 5 <= sizeof(b) && v[strcspn(v, "\"\\")] == '\0') {
		memcpy(b, key, kl);
		memcpy(b + kl, " = \"", 4);
		memcpy(b + kl + 4, v, vl);
		b[kl + 4 + vl] = '"';
		emit_line(p, b, kl + vl + 5, comment);
		return;
	}
	strbuf_reset(&p->line);
	strbuf_append(&p->line, key);
	strbuf_appendn(&p->line, " = ", 3);
	strbuf_append_quoted(&p->line, v);
	emit(p, comment);
}

static void out_list(struct printer *p, const char *key, const struct word *words, size_t n,
		     unsigned bits, md_strv other)
{
	struct strbuf *sb = &p->line;
	bool first = true;

	strbuf_reset(sb);
	strbuf_append(sb, key);
	strbuf_appendn(sb, " = [", 4);
	for (size_t i = 0; i < n; i++)
		if (bits & words[i].bit) {
			if (!first)
				strbuf_appendn(sb, ", ", 2);
			strbuf_append_quoted(sb, words[i].name);
			first = false;
		}
	for (size_t i = 0; other && other[i]; i++) {
		if (!first)
			strbuf_appendn(sb, ", ", 2);
		strbuf_append_quoted(sb, other[i]);
		first = false;
	}
	strbuf_appendc(sb, ']');
	emit(p, NULL);
}

static void size_comment_fmt(uint64_t sectors, char *buf, size_t len);
/* lvm2's size comment: "4 Megabytes", "3.79297 Gigabytes". */
static void size_comment(struct printer *p, uint64_t sectors, char *buf, size_t len)
{
	if (p->size_valid && sectors == p->size_sectors && len >= sizeof(p->size_buf)) {
		memcpy(buf, p->size_buf, sizeof(p->size_buf));
		return;
	}
	size_comment_fmt(sectors, buf, len);
	if (len >= sizeof(p->size_buf)) {
		memcpy(p->size_buf, buf, sizeof(p->size_buf));
		p->size_sectors = sectors;
		p->size_valid = true;
	}
}

static void size_comment_fmt(uint64_t sectors, char *buf, size_t len)
{
	static const char *const units[] = { "Kilobytes", "Megabytes", "Gigabytes",
					     "Terabytes", "Petabytes", "Exabytes" };
	double v = (double)sectors / 2.0;
	size_t u = 0;

	while (v > 1024.0 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%g %s", v, units[u]);
}

static void out_extra(struct printer *p, const struct md_extra *e)
{
	struct strbuf sb = { 0 };
	const char *s, *nl;

	if (!e->data)
		return;
	if (lvf_cft_emit(e->data, LVF_CFT_STYLE_RAW, &sb) < 0 || !strbuf_ok(&sb)) {
		if (p->raw)
			p->raw->failed = true;
		if (p->file)
			p->file->failed = true;
		strbuf_release(&sb);
		return;
	}
	for (s = strbuf_str(&sb); *s; s = nl + 1) {
		/* the line ends at a newline outside a quoted string: one inside a value is part
		 * of it and gets no indentation (found by fuzz-vgtext) */
		bool quoted = false;
		for (nl = s; *nl && (quoted || *nl != '\n'); nl++) {
			if (quoted && *nl == '\\' && nl[1])
				nl++;
			else if (*nl == '"')
				quoted = !quoted;
		}
		strbuf_reset(&p->line);
		strbuf_appendn(&p->line, s, (size_t)(nl - s));
		emit(p, NULL);
		if (!*nl)
			break;
	}
	strbuf_release(&sb);
}

static void out_id(struct printer *p, const char *id)
{
	char d[MD_ID_LEN + 7];
	md_id_format(id, d);
	out_str(p, "id", d, NULL);
}

static void out_strv(struct printer *p, const char *key, md_strv v, bool always)
{
	if (!always && !md_strv_len(v))
		return;
	out_list(p, key, NULL, 0, 0, v);
}

static const char *area_name(const struct md_vg *vg, const struct md_area *a, char *buf, size_t len)
{
	if (a->lv)
		return a->lv->name;
	size_t i = md_vg_pv_index(vg, a->pv);
	if (i < 10 && len >= 4) { /* the usual case, without printf */
		buf[0] = 'p', buf[1] = 'v', buf[2] = (char)('0' + i), buf[3] = '\0';
		return buf;
	}
	snprintf(buf, len, "pv%zu", i);
	return buf;
}

/* "KEY = [" on its own line, the entries indented under it; list_close ends it with "]". */
static void list_open(struct printer *p, const char *key)
{
	strbuf_append(&p->line, key);
	strbuf_append(&p->line, " = [");
	emit(p, NULL);
	p->indent++;
}

static void list_close(struct printer *p)
{
	p->indent--;
	strbuf_appendc(&p->line, ']');
	emit(p, NULL);
}

static void export_seg(struct printer *p, const struct md_vg *vg, const struct md_seg *seg,
		       size_t idx)
{
	char name[32], cmt[64];

	memcpy(name, "segment", 7);
	if (idx < 9)
		name[7] = (char)('1' + idx), name[8] = '\0';
	else
		snprintf(name + 7, sizeof(name) - 7, "%zu", idx + 1);
	if (idx == 0)
		blank(p);
	open_sec(p, name);
	out_u(p, "start_extent", seg->start_extent, NULL);
	if (p->file)
		size_comment(p, (uint64_t)seg->extent_count * vg->extent_size, cmt, sizeof(cmt));
	out_u(p, "extent_count", seg->extent_count, p->file ? cmt : NULL);
	blank(p);
	if (seg->kind == MD_SEG_UNKNOWN) {
		out_extra(p, &seg->extra);
		close_sec(p);
		return;
	}
	out_str(p, "type", seg->type, NULL);
	switch (seg->kind) {
	case MD_SEG_STRIPED:
		out_u(p, "stripe_count", seg->stripe_count,
		      seg->stripe_count == 1 ? "linear" : NULL);
		if (seg->stripe_count > 1) {
			size_comment(p, seg->stripe_size, cmt, sizeof(cmt));
			outc(p, cmt, "stripe_size = %u", seg->stripe_size);
		}
		blank(p);
		list_open(p, "stripes");
		for (uint32_t a = 0; a < seg->stripe_count; a++) {
			char pvn[32];
			strbuf_append_quoted(&p->line,
					     area_name(vg, &seg->areas[a], pvn, sizeof(pvn)));
			strbuf_appendn(&p->line, ", ", 2);
			put_u64(&p->line, seg->areas[a].start);
			if (a + 1 < seg->stripe_count)
				strbuf_appendc(&p->line, ',');
			emit(p, NULL);
		}
		list_close(p);
		break;
	case MD_SEG_THIN_POOL:
		out_str(p, "metadata", seg->pool_meta->name, NULL);
		out_str(p, "pool", seg->pool_data->name, NULL);
		outf(p, "transaction_id = %" PRIu64, seg->transaction_id);
		size_comment(p, seg->chunk_size, cmt, sizeof(cmt));
		outc(p, cmt, "chunk_size = %u", seg->chunk_size);
		out_str(p, "discards",
			seg->discards == MD_DISCARDS_PASSDOWN     ? "passdown"
			: seg->discards == MD_DISCARDS_NOPASSDOWN ? "nopassdown"
								  : "ignore",
			NULL);
		if (seg->zero_new_blocks)
			outf(p, "zero_new_blocks = 1");
		if (seg->has_crop_metadata)
			outf(p, "crop_metadata = %" PRId64, seg->crop_metadata);
		for (size_t m = 0; m < seg->n_msgs; m++) {
			snprintf(name, sizeof(name), "message%zu", m + 1);
			blank(p);
			open_sec(p, name);
			if (seg->msgs[m].kind == MD_MSG_CREATE)
				out_str(p, "create", seg->msgs[m].lv->name, NULL);
			else
				outf(p, "delete = %u", seg->msgs[m].device_id);
			close_sec(p);
		}
		break;
	case MD_SEG_THIN:
		out_str(p, "thin_pool", seg->thin_pool->name, NULL);
		out_u(p, "transaction_id", seg->transaction_id, NULL);
		out_u(p, "device_id", seg->device_id, NULL);
		if (seg->origin)
			out_str(p, "origin", seg->origin->name, NULL);
		if (seg->merge)
			out_str(p, "merge", seg->merge->name, NULL);
		if (seg->external_origin)
			out_str(p, "external_origin", seg->external_origin->name, NULL);
		break;
	case MD_SEG_SNAPSHOT:
		out_u(p, "chunk_size", seg->chunk_size, NULL);
		out_str(p, "origin", seg->origin->name, NULL);
		out_str(p, "cow_store", seg->cow->name, NULL);
		break;
	case MD_SEG_RAID:
		out_u(p, "device_count", seg->stripe_count, NULL);
		if (seg->region_size)
			out_u(p, "region_size", seg->region_size, NULL);
		blank(p);
		list_open(p, "raids");
		for (uint32_t a = 0; a < seg->stripe_count; a++) {
			if (seg->meta_areas) {
				strbuf_append_quoted(&p->line, seg->meta_areas[a].lv->name);
				strbuf_appendn(&p->line, ", ", 2);
			}
			strbuf_append_quoted(&p->line, seg->areas[a].lv->name);
			if (a + 1 < seg->stripe_count)
				strbuf_appendc(&p->line, ',');
			emit(p, NULL);
		}
		list_close(p);
		break;
	case MD_SEG_UNKNOWN:
		break;
	}
	out_extra(p, &seg->extra);
	close_sec(p);
}

/* "%Y-%m-%d %H:%M:%S %z" of @t in local time. localtime_r is costly at tens of thousands of
 * LVs; LVs made together share the hour, so the broken-down start of the last hour is kept
 * and minutes and seconds added while the UTC offset is whole minutes and the time stays in
 * that hour (an offset change inside the hour is re-checked at its end by localtime_r). */
static void time_comment(struct printer *p, int64_t t, char *buf, size_t len)
{
	struct hour_memo *c = &p->hour;
	struct tm tm;
	long off;
	int64_t h = t - ((t % 3600) + 3600) % 3600;

	if (!c->ok || c->hour != h) {
		time_t tt = (time_t)h, te = (time_t)(h + 3599);
		struct tm end;
		c->ok = localtime_r(&tt, &c->tm) && localtime_r(&te, &end) &&
			end.tm_gmtoff == c->tm.tm_gmtoff && c->tm.tm_gmtoff % 60 == 0;
		c->hour = h;
	}
	if (c->ok) {
		int64_t d = t - h; /* 0..3599 */
		tm = c->tm;
		int64_t s = tm.tm_min * 60 + tm.tm_sec + d;
		if (s >= 3600) { /* crosses a local hour: let libc do it */
			time_t tt = (time_t)t;
			if (!localtime_r(&tt, &tm)) {
				buf[0] = '\0';
				return;
			}
		} else {
			tm.tm_min = (int)(s / 60);
			tm.tm_sec = (int)(s % 60);
		}
	} else {
		time_t tt = (time_t)t;
		if (!localtime_r(&tt, &tm)) {
			buf[0] = '\0';
			return;
		}
	}
	off = tm.tm_gmtoff;
	if (len >= 25 && tm.tm_year + 1900 >= 0 && tm.tm_year + 1900 <= 9999) {
		/* "YYYY-MM-DD HH:MM:SS +HHMM" without printf (one per LV in the backup) */
		long y = tm.tm_year + 1900, ao = labs(off) / 60;
		const int v[] = { tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
		static const char sep[] = "-- ::";
		char *o = buf;
		*o++ = (char)('0' + y / 1000), *o++ = (char)('0' + y / 100 % 10);
		*o++ = (char)('0' + y / 10 % 10), *o++ = (char)('0' + y % 10);
		for (int k = 0; k < 5; k++) {
			*o++ = sep[k];
			*o++ = (char)('0' + v[k] / 10 % 10), *o++ = (char)('0' + v[k] % 10);
		}
		*o++ = ' ', *o++ = off < 0 ? '-' : '+';
		*o++ = (char)('0' + ao / 60 / 10 % 10), *o++ = (char)('0' + ao / 60 % 10);
		*o++ = (char)('0' + ao % 60 / 10), *o++ = (char)('0' + ao % 10);
		*o = '\0';
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d %c%02ld%02ld", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
		 labs(off) / 3600, (labs(off) / 60) % 60);
}

/* ---- the template of a one-segment striped LV (export_lv's lines for it, written at once) ----
 * What export_lv prints for an LV of lvm2's usual shape (no tags, flags, profile or other
 * optional field; creation time and host; one striped segment of one PV area) at the usual
 * depth (inside logical_volumes), byte for byte, as runs of fixed text and the values between
 * them: a tenth of the general way's work. Anything else is printed the general way; the
 * tests print both ways and compare (LVF_VG_EXPORT_NO_TEMPLATE). */

static inline char *tpl_put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}
#define TPL_LIT(o, w) tpl_put(o, w, sizeof(w) - 1)

static bool export_lv_template(struct printer *p, const struct md_vg *vg, const struct md_lv *lv)
{
	const struct md_seg *seg = &lv->segs[0];
	char id[MD_ID_LEN + 7], words[256], pvn[32], tcmt[64], scmt[64], d[4][24];
	size_t nl, hl, wl = 0, pl, di[4], dn[4];
	const char *pv;
	uint64_t v[4];

	if (p->no_template || p->indent != 2 || md_strv_len(lv->tags) ||
	    md_strv_len(lv->flags_other) || lv->flags || !lv->has_creation ||
	    lv->creation_time < 0 || !lv->creation_host || lv->lock_args || lv->allocation_policy ||
	    lv->profile || lv->has_read_ahead || lv->has_major || lv->has_minor || lv->extra.data ||
	    lv->n_segs != 1 || seg->kind != MD_SEG_STRIPED || seg->stripe_count != 1 || !seg->type ||
	    strcmp(seg->type, "striped") || seg->extra.data || !seg->areas || seg->areas[0].lv ||
	    !seg->areas[0].pv || ((lv->status & MD_LV_WRITE) && vg_write_locked(vg)))
		return false;
	nl = strlen(lv->name);
	hl = strlen(lv->creation_host);
	if (nl > MD_NAME_MAX || hl > 255 || lv->creation_host[strcspn(lv->creation_host, "\"\\")])
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(lv_status_words); i++) /* as out_list */
		if (lv->status & lv_status_words[i].bit) {
			size_t k = strlen(lv_status_words[i].name);
			if (wl + k + 4 > sizeof(words))
				return false;
			if (wl)
				words[wl++] = ',', words[wl++] = ' ';
			words[wl++] = '"';
			memcpy(words + wl, lv_status_words[i].name, k);
			wl += k;
			words[wl++] = '"';
		}
	pv = area_name(vg, &seg->areas[0], pvn, sizeof(pvn));
	pl = strlen(pv);
	if (pl > 128 || pv[strcspn(pv, "\"\\")])
		return false;
	md_id_format(lv->id, id);
	v[0] = (uint64_t)lv->creation_time;
	v[1] = seg->start_extent;
	v[2] = seg->extent_count;
	v[3] = seg->areas[0].start;
	for (size_t i = 0; i < 4; i++) {
		di[i] = u64_digits(d[i], v[i]);
		dn[i] = sizeof(d[i]) - di[i];
	}
	/* fixed text, the values, and 8 bytes to spare for put_tabs */
	size_t need = 360 + nl + MD_ID_LEN + 6 + wl + hl + pl + 4 * 24;
	if (p->raw && room(p->raw, need)) {
		char *o = p->raw->buf + p->raw->len;
		*o++ = '\n';
		o = tpl_put(o, lv->name, nl);
		o = TPL_LIT(o, " {\nid = \"");
		o = tpl_put(o, id, MD_ID_LEN + 6);
		o = TPL_LIT(o, "\"\nstatus = [");
		o = tpl_put(o, words, wl);
		o = TPL_LIT(o, "]\nflags = []\ncreation_time = ");
		o = tpl_put(o, d[0] + di[0], dn[0]);
		o = TPL_LIT(o, "\ncreation_host = \"");
		o = tpl_put(o, lv->creation_host, hl);
		o = TPL_LIT(o, "\"\nsegment_count = 1\n\nsegment1 {\nstart_extent = ");
		o = tpl_put(o, d[1] + di[1], dn[1]);
		o = TPL_LIT(o, "\nextent_count = ");
		o = tpl_put(o, d[2] + di[2], dn[2]);
		o = TPL_LIT(o, "\n\ntype = \"striped\"\nstripe_count = 1\n\nstripes = [\n\"");
		o = tpl_put(o, pv, pl);
		o = TPL_LIT(o, "\", ");
		o = tpl_put(o, d[3] + di[3], dn[3]);
		o = TPL_LIT(o, "\n]\n}\n}\n");
		*o = '\0';
		p->raw->len = (size_t)(o - p->raw->buf);
	}
	if (p->file) {
		size_t tl, sl;
		time_comment(p, lv->creation_time, tcmt, sizeof(tcmt));
		size_comment(p, (uint64_t)seg->extent_count * vg->extent_size, scmt, sizeof(scmt));
		tl = strlen(tcmt);
		sl = strlen(scmt);
		if (room(p->file, need + 120 + tl + sl)) {
			char *o = p->file->buf + p->file->len;
			*o++ = '\n';
			o = TPL_LIT(o, "\t\t");
			o = tpl_put(o, lv->name, nl);
			o = TPL_LIT(o, " {\n\t\t\tid = \"");
			o = tpl_put(o, id, MD_ID_LEN + 6);
			o = TPL_LIT(o, "\"\n\t\t\tstatus = [");
			o = tpl_put(o, words, wl);
			o = TPL_LIT(o, "]\n\t\t\tflags = []\n\t\t\tcreation_time = ");
			o = tpl_put(o, d[0] + di[0], dn[0]);
			o = put_tabs(o, comment_tabs(3, sizeof("creation_time = ") - 1 + dn[0]));
			*o++ = '#', *o++ = ' ';
			o = tpl_put(o, tcmt, tl);
			o = TPL_LIT(o, "\n\t\t\tcreation_host = \"");
			o = tpl_put(o, lv->creation_host, hl);
			o = TPL_LIT(o, "\"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n"
				       "\t\t\t\tstart_extent = ");
			o = tpl_put(o, d[1] + di[1], dn[1]);
			o = TPL_LIT(o, "\n\t\t\t\textent_count = ");
			o = tpl_put(o, d[2] + di[2], dn[2]);
			o = put_tabs(o, comment_tabs(4, sizeof("extent_count = ") - 1 + dn[2]));
			*o++ = '#', *o++ = ' ';
			o = tpl_put(o, scmt, sl);
			o = TPL_LIT(o,
				    "\n\n\t\t\t\ttype = \"striped\"\n\t\t\t\tstripe_count = 1\t# linear\n"
				    "\n\t\t\t\tstripes = [\n\t\t\t\t\t\"");
			o = tpl_put(o, pv, pl);
			o = TPL_LIT(o, "\", ");
			o = tpl_put(o, d[3] + di[3], dn[3]);
			o = TPL_LIT(o, "\n\t\t\t\t]\n\t\t\t}\n\t\t}\n");
			*o = '\0';
			p->file->len = (size_t)(o - p->file->buf);
		}
	}
	return true;
}

static void export_lv(struct printer *p, const struct md_vg *vg, const struct md_lv *lv)
{
	if (export_lv_template(p, vg, lv))
		return;
	blank(p);
	open_sec(p, lv->name);
	out_id(p, lv->id);
	{
		bool locked = (lv->status & MD_LV_WRITE) && vg_write_locked(vg);
		out_list(p, "status", lv_status_words, ARRAY_SIZE(lv_status_words),
			 locked ? lv->status & ~MD_LV_WRITE : lv->status, NULL);
		out_list(p, "flags", lv_flag_words, ARRAY_SIZE(lv_flag_words),
			 locked ? lv->flags | MD_LVF_WRITE_LOCKED : lv->flags, lv->flags_other);
	}
	out_strv(p, "tags", lv->tags, false);
	if (lv->has_creation) {
		char cmt[64] = "";
		if (p->file)
			time_comment(p, lv->creation_time, cmt, sizeof(cmt));
		strbuf_reset(&p->line);
		strbuf_append(&p->line, "creation_time = ");
		if (lv->creation_time < 0)
			strbuf_appendc(&p->line, '-');
		put_u64(&p->line, lv->creation_time < 0 ? 0 - (uint64_t)lv->creation_time
							: (uint64_t)lv->creation_time);
		emit(p, p->file ? cmt : NULL);
		out_str(p, "creation_host", lv->creation_host, NULL);
	}
	if (lv->lock_args)
		out_str(p, "lock_args", lv->lock_args, NULL);
	if (lv->allocation_policy)
		out_str(p, "allocation_policy", lv->allocation_policy, NULL);
	if (lv->profile)
		out_str(p, "profile", lv->profile, NULL);
	if (lv->has_read_ahead)
		outf(p, "read_ahead = %" PRId64, lv->read_ahead);
	if (lv->has_major)
		outf(p, "major = %" PRId64, lv->major);
	if (lv->has_minor)
		outf(p, "minor = %" PRId64, lv->minor);
	out_extra(p, &lv->extra);
	out_u(p, "segment_count", lv->n_segs, NULL);
	for (size_t s = 0; s < lv->n_segs; s++)
		export_seg(p, vg, &lv->segs[s], s);
	close_sec(p);
}

static void export_vg_section(struct printer *p, const struct md_vg *vg)
{
	char cmt[64];

	open_sec(p, vg->name);
	out_id(p, vg->id);
	outf(p, "seqno = %u", vg->seqno);
	if (vg->format)
		out_str(p, "format", vg->format, "informational");
	{
		bool locked = (vg->status & MD_VG_WRITE) && vg_write_locked(vg);
		out_list(p, "status", vg_status_words, ARRAY_SIZE(vg_status_words),
			 locked ? vg->status & ~MD_VG_WRITE : vg->status, NULL);
		out_list(p, "flags", vg_flag_words, ARRAY_SIZE(vg_flag_words), locked ? 1 : 0,
			 vg->flags);
	}
	out_strv(p, "tags", vg->tags, false);
	if (vg->system_id)
		out_str(p, "system_id", vg->system_id, NULL);
	if (vg->lock_type)
		out_str(p, "lock_type", vg->lock_type, NULL);
	if (vg->lock_args)
		out_str(p, "lock_args", vg->lock_args, NULL);
	size_comment(p, vg->extent_size, cmt, sizeof(cmt));
	outc(p, cmt, "extent_size = %u", vg->extent_size);
	outf(p, "max_lv = %u", vg->max_lv);
	outf(p, "max_pv = %u", vg->max_pv);
	outf(p, "metadata_copies = %" PRId64, vg->has_metadata_copies ? vg->metadata_copies : 0);
	if (vg->allocation_policy && !streq(vg->allocation_policy, "normal") &&
	    !streq(vg->allocation_policy, "inherit")) {
		blank(p);
		out_str(p, "allocation_policy", vg->allocation_policy, NULL);
	}
	if (vg->profile)
		out_str(p, "profile", vg->profile, NULL);
	out_extra(p, &vg->extra);
	blank(p);
	open_sec(p, "physical_volumes");
	for (size_t i = 0; i < vg->n_pvs; i++) {
		const struct md_pv *pv = vg->pvs[i];
		char name[32];
		snprintf(name, sizeof(name), "pv%zu", i);
		blank(p);
		open_sec(p, name);
		out_id(p, pv->id);
		if (pv->device)
			out_str(p, "device", pv->device, "Hint only");
		blank(p);
		out_list(p, "status", pv_status_words, ARRAY_SIZE(pv_status_words), pv->status,
			 NULL);
		out_strv(p, "flags", pv->flags, true);
		out_strv(p, "tags", pv->tags, false);
		size_comment(p, pv->dev_size, cmt, sizeof(cmt));
		outc(p, cmt, "dev_size = %" PRIu64, pv->dev_size);
		outf(p, "pe_start = %" PRIu64, pv->pe_start);
		size_comment(p, (uint64_t)pv->pe_count * vg->extent_size, cmt, sizeof(cmt));
		outc(p, cmt, "pe_count = %u", pv->pe_count);
		if (pv->has_ba) {
			outf(p, "ba_start = %" PRIu64, pv->ba_start);
			outf(p, "ba_size = %" PRIu64, pv->ba_size);
		}
		out_extra(p, &pv->extra);
		close_sec(p);
	}
	close_sec(p);
	if (vg->n_lvs) {
		blank(p);
		open_sec(p, "logical_volumes");
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < vg->n_lvs; i++)
				if (md_lv_is_visible(vg->lvs[i]) == (pass == 0))
					export_lv(p, vg, vg->lvs[i]);
		close_sec(p);
	}
	blank(p);
	close_sec(p);
}

static void export_header(struct strbuf *out, const struct md_vg *vg,
			  const struct lvf_vg_export_info *info, bool file)
{
	struct printer hp = { .raw = file ? NULL : out, .file = file ? out : NULL };
	time_t t = (time_t)info->creation_time;
	char when[64] = "";
	struct tm tm;
	struct strbuf sb = { 0 };

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	strbuf_appendf(out, "# Generated by thinbox version %s: %s\n\n", THINBOX_VERSION, when);
	strbuf_append(out, "contents = \"Text Format Volume Group\"\nversion = 1\n\n");
	strbuf_append_quoted(&sb, info->description ? info->description : "");
	strbuf_appendf(out, "description = %s\n\n", strbuf_str(&sb));
	strbuf_reset(&sb);
	strbuf_append_quoted(&sb, info->creation_host ? info->creation_host : "");
	strbuf_appendf(out, "creation_host = %s", strbuf_str(&sb));
	if (info->uname)
		strbuf_appendf(out, "\t# %s", info->uname);
	strbuf_appendf(out, "\ncreation_time = %" PRId64 "\t# %s\n\n", info->creation_time, when);
	strbuf_release(&sb);
	out_extra(&hp, &vg->extra_top);
	strbuf_release(&hp.line);
}

int lvf_vg_export(const struct md_vg *vg, enum lvf_vg_style style,
		  const struct lvf_vg_export_info *info, struct strbuf *out)
{
	return lvf_vg_export_opts(vg, style, info, 0, out);
}

int lvf_vg_export_opts(const struct md_vg *vg, enum lvf_vg_style style,
		       const struct lvf_vg_export_info *info, unsigned flags, struct strbuf *out)
{
	bool file = style != LVF_VG_RAW;
	struct printer p = { .raw = file ? NULL : out,
			     .file = file ? out : NULL,
			     .no_template = flags & LVF_VG_EXPORT_NO_TEMPLATE };

	if (style == LVF_VG_SECTION) {
		export_vg_section(&p, vg);
	} else if (file) {
		export_header(out, vg, info, true);
		export_vg_section(&p, vg);
	} else {
		export_vg_section(&p, vg);
		export_header(out, vg, info, false);
	}
	strbuf_release(&p.line);
	return strbuf_ok(out) ? 0 : -ENOMEM;
}

int lvf_vg_export_pair(const struct md_vg *vg, const struct lvf_vg_export_info *info,
		       struct strbuf *raw, struct strbuf *section)
{
	struct printer p = { .raw = raw, .file = section };

	export_vg_section(&p, vg);
	export_header(raw, vg, info, false);
	strbuf_release(&p.line);
	return strbuf_ok(raw) && strbuf_ok(section) && strbuf_ok(&p.line) ? 0 : -ENOMEM;
}
