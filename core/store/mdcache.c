/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Metadata text cache: see mdcache.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/mdcache.h"
#include "lvmfmt/vg-text.h"

struct entry {
	char *path;
	uint64_t mda_start;
	struct lvf_raw_locn locn;
	char *text;
	struct tb_text *shared; /* owns @text when set */
	size_t len;
	struct md_vg *md; /* NULL once taken, or when another entry has the same text */
	uint32_t seqno;
	char vgname[MD_NAME_MAX + 1];
	char vgid[MD_ID_LEN + 1];
	char *pv_ids; /* the PVs the text lists, MD_ID_LEN characters each (core/store/damaged.c) */
	size_t n_pv_ids;
};

struct tb_mdcache {
	struct entry *e;
	size_t n;
};

struct tb_text *tb_text_get(struct tb_text *t)
{
	t->refs++;
	return t;
}

void tb_text_put(struct tb_text *t)
{
	if (t && !--t->refs) {
		free(t->text);
		free(t);
	}
}

static void entry_clear(struct entry *x)
{
	free(x->path);
	if (x->shared)
		tb_text_put(x->shared);
	else
		free(x->text);
	free(x->pv_ids);
	md_vg_free(x->md);
	memset(x, 0, sizeof(*x));
}

void tb_mdcache_free(struct tb_ctx *ctx)
{
	struct tb_mdcache *c = ctx->mdcache;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_clear(&c->e[i]);
	free(c->e);
	free(c);
	ctx->mdcache = NULL;
}

static bool same_locn(const struct lvf_raw_locn *a, const struct lvf_raw_locn *b)
{
	return a->offset == b->offset && a->size == b->size && a->checksum == b->checksum &&
	       a->flags == b->flags;
}

static void describe(const struct entry *x, struct tb_mdtext *ret)
{
	*ret = (struct tb_mdtext){ x->text,   x->shared, x->len,    x->locn.checksum, x->seqno,
				   x->vgname, x->vgid,   x->pv_ids, x->n_pv_ids };
}

int tb_mdcache_read(struct tb_ctx *ctx, const char *path, const struct lvf_mda_ref *ref,
		    struct tb_mdtext *ret, struct lvf_err *err)
{
	struct tb_mdcache *c = ctx->mdcache;
	struct lvf_mda_header h;
	struct entry *slot = NULL, nx = { 0 };
	int r;

	if (!c && !(c = ctx->mdcache = calloc(1, sizeof(*c))))
		return -ENOMEM;
	r = lvf_mda_read_header(ref, &h, err);
	if (r < 0)
		return r;
	if (h.slot[0].flags & LVF_RAW_LOCN_IGNORED)
		return lvf_err_set_at(err, -ENODATA, ref->start,
				      "metadata area is marked ignored (metadataignore)");
	if (lvf_raw_locn_is_empty(&h.slot[0]))
		return lvf_err_set_at(err, -ENODATA, ref->start, "no metadata in this area");
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].mda_start == ref->start && !strcmp(c->e[i].path, path)) {
			slot = &c->e[i];
			break;
		}
	if (slot && same_locn(&slot->locn, &h.slot[0])) {
		describe(slot, ret);
		return 0;
	}
	r = lvf_mda_read_text_at(ref, &h.slot[0], &nx.text, &nx.len, err);
	if (r < 0)
		return r;
	nx.locn = h.slot[0];
	nx.mda_start = ref->start;
	/* the same text on another area (a second mda, another PV of the VG): parsed once */
	for (size_t i = 0; i < c->n; i++) {
		struct entry *o = &c->e[i];
		if (o == slot || o->len != nx.len || o->locn.checksum != nx.locn.checksum ||
		    memcmp(o->text, nx.text, nx.len))
			continue;
		nx.seqno = o->seqno;
		memcpy(nx.vgname, o->vgname, sizeof(nx.vgname));
		memcpy(nx.vgid, o->vgid, sizeof(nx.vgid));
		if (o->n_pv_ids && !(nx.pv_ids = malloc(o->n_pv_ids * MD_ID_LEN))) {
			free(nx.text);
			return -ENOMEM;
		}
		if (o->n_pv_ids)
			memcpy(nx.pv_ids, o->pv_ids, o->n_pv_ids * MD_ID_LEN);
		nx.n_pv_ids = o->n_pv_ids;
		goto store;
	}
	r = lvf_vg_import_text(nx.text, nx.len, &nx.md, err);
	if (r < 0) {
		free(nx.text);
		return r;
	}
	nx.seqno = nx.md->seqno;
	snprintf(nx.vgname, sizeof(nx.vgname), "%s", nx.md->name);
	memcpy(nx.vgid, nx.md->id, sizeof(nx.vgid));
	if (nx.md->n_pvs && !(nx.pv_ids = malloc(nx.md->n_pvs * MD_ID_LEN))) {
		free(nx.text);
		md_vg_free(nx.md);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nx.md->n_pvs; i++)
		memcpy(nx.pv_ids + i * MD_ID_LEN, nx.md->pvs[i]->id, MD_ID_LEN);
	nx.n_pv_ids = nx.md->n_pvs;
store:
	if (!(nx.path = strdup(path))) {
		free(nx.text);
		free(nx.pv_ids);
		md_vg_free(nx.md);
		return -ENOMEM;
	}
	if (!slot) {
		struct entry *ne = realloc(c->e, (c->n + 1) * sizeof(*ne));
		if (!ne) {
			free(nx.path);
			free(nx.text);
			free(nx.pv_ids);
			md_vg_free(nx.md);
			return -ENOMEM;
		}
		c->e = ne;
		slot = &c->e[c->n++];
	} else {
		/* a parsed VG of the replaced text may be the only one of that text: keep it
		 * for an identical entry elsewhere */
		for (size_t i = 0; slot->md && i < c->n; i++) {
			struct entry *o = &c->e[i];
			if (o != slot && !o->md && o->len == slot->len &&
			    o->locn.checksum == slot->locn.checksum &&
			    !memcmp(o->text, slot->text, o->len))
				o->md = TAKE_PTR(slot->md);
		}
		entry_clear(slot);
	}
	/* without memory for the share, the entry owns the text and the PVs copy it */
	if ((nx.shared = malloc(sizeof(*nx.shared))))
		*nx.shared = (struct tb_text){ 1, nx.text };
	*slot = nx;
	describe(slot, ret);
	return 0;
}

struct md_vg *tb_mdcache_take(struct tb_ctx *ctx, const char *text, size_t len, uint32_t checksum)
{
	struct tb_mdcache *c = ctx->mdcache;

	for (size_t i = 0; c && i < c->n; i++) {
		struct entry *o = &c->e[i];
		if (o->md && o->len == len && o->locn.checksum == checksum &&
		    (o->text == text || !memcmp(o->text, text, len)))
			return TAKE_PTR(o->md);
	}
	return NULL;
}
