/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2 2.03.16's report fields (lib/report/report.c *_disp) for the objects thinbox has:
 * linear/striped LVs, thin pools with their _tdata/_tmeta and the pmspare, thin LVs and thin
 * snapshots; VGs and PVs. Values as lvm2 prints them for these objects (checked against
 * lvm2's own lvs/vgs/pvs -o lv_all/vg_all/pv_all/seg_all/pvseg_all in the VM tests). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "core/report/report-rf.h"
#include "util/macros.h"

void tb_rf_release(struct tb_rf_set *s)
{
	for (size_t i = 0; i < s->n_owned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->f);
	*s = (struct tb_rf_set){ 0 };
}

void tb_rf_clear(struct tb_rf_set *s)
{
	for (size_t i = 0; i < s->n_owned; i++)
		free(s->owned[i]);
	s->n_owned = 0;
	s->n = 0;
	s->failed = false;
}

void tb_rf_segs_release(struct tb_rf_segs *segs)
{
	for (size_t i = 0; i < segs->cap; i++)
		tb_rf_release(&segs->v[i]);
	free(segs->v);
	*segs = (struct tb_rf_segs){ 0 };
}

static bool want_hash(struct tb_rf_set *s, const char *id);

/* tb_rf_wanted's first look-up, its cache made, and answers not cached yet: out of line, so that
 * the hit (hundreds of thousands per report) stays a leaf. @group non-NULL: @key is that list
 * of ids (NULL-terminated) and the answer is whether any of them is wanted. */
__attribute__((noinline)) static bool want_slow(struct tb_rf_set *s, const char *key,
						const char *const *group)
{
	struct tb_rf_want *w = s->want;
	size_t m, i;
	bool v = false;

	if (!w->keys) {
		w->cap = 1024;
		w->keys = calloc(w->cap, sizeof(*w->keys));
		w->vals = calloc(w->cap, sizeof(*w->vals));
		if (!w->keys || !w->vals) {
			free(w->keys);
			free(w->vals);
			w->keys = NULL;
			w->vals = NULL;
		}
	}
	m = w->cap - 1;
	i = (size_t)(((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 40) & m;
	for (size_t probes = 0; w->keys && probes < 8; probes++, i = (i + 1) & m) {
		if (w->keys[i] == key)
			return w->vals[i];
		if (!w->keys[i])
			break;
	}
	if (group) /* each id's answer cached on its own; the table may change meanwhile */
		for (size_t k = 0; group[k] && !v; k++)
			v = want_hash(s, group[k]);
	else
		v = w->fn(w->ud, key);
	i = (size_t)(((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 40) & m;
	for (size_t probes = 0; w->keys && probes < 8; probes++, i = (i + 1) & m)
		if (!w->keys[i]) {
			w->keys[i] = key;
			w->vals[i] = v;
			break;
		}
	return v; /* a crowded neighbourhood: not cached */
}

/* Is field @id wanted? Answers are cached by the id's address (ids are string literals).
 * Inline in this file's builders: hundreds of thousands of look-ups per report. */
static inline __attribute__((always_inline)) bool want_key(struct tb_rf_set *s, const char *key,
							   const char *const *group)
{
	struct tb_rf_want *w = s->want;
	size_t i;

	if (!w || !w->fn)
		return true;
	if (w->keys) { /* the hit at the first probe */
		i = (size_t)(((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 40) & (w->cap - 1);
		if (w->keys[i] == key)
			return w->vals[i];
	}
	return want_slow(s, key, group);
}

static bool want_hash(struct tb_rf_set *s, const char *id)
{
	return want_key(s, id, NULL);
}

#define wanted(s, id) want_key((s), (id), NULL)

/* Is any field of @group (a NULL-terminated list of ids) wanted? One cached answer for the
 * list: the builders skip a block of fields a report shows none of (lvs: most of them). */
static inline __attribute__((always_inline)) bool group_wanted(struct tb_rf_set *s,
							       const char *const *group)
{
	return want_key(s, (const char *)group, group);
}

bool tb_rf_wanted(struct tb_rf_set *s, const char *id)
{
	return wanted(s, id);
}

void tb_rf_want_release(struct tb_rf_want *w)
{
	free(w->keys);
	free(w->vals);
	w->keys = NULL;
	w->vals = NULL;
}

bool tb_rf_lock_type_is_lockd(const char *t)
{
	return t && (streq(t, "sanlock") || streq(t, "dlm") || streq(t, "idm"));
}

/* rf_add's growth of the array, out of line (once per set, the set is reused per row) */
__attribute__((noinline)) static struct tb_rfield *rf_grow(struct tb_rf_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 8; /* PV segment sets hold 4 */
	struct tb_rfield *n = realloc(s->f, cap * sizeof(*n));

	if (!n) {
		s->failed = true;
		return NULL;
	}
	s->f = n;
	s->cap = cap;
	return n;
}

/* The field to fill: a new one in @s, or @s->sink when @id is not wanted or the array cannot
 * grow (the set's own, so that sets filled by different threads share nothing). Inline: a
 * report of 10,000s of rows makes dozens of these per row, most of them not wanted. */
static inline __attribute__((always_inline)) struct tb_rfield *rf_add(struct tb_rf_set *s,
								      const char *id,
								      enum tb_rf_kind kind)
{
	if (s->want && !wanted(s, id))
		return &s->sink;
	if (s->n == s->cap && !rf_grow(s))
		return &s->sink;
	s->f[s->n] = (struct tb_rfield){ .id = id, .kind = kind, .s = "" };
	return &s->f[s->n++];
}

static inline __attribute__((always_inline)) void rf_str(struct tb_rf_set *s, const char *id,
							 const char *v)
{
	rf_add(s, id, TB_RF_STR)->s = v ? v : "";
}

/* @v (malloc'd, NULL on ENOMEM) handed to the set, which frees it on clear or release;
 * NULL and the set marked failed when @v is NULL or cannot be kept. */
static const char *rf_keep(struct tb_rf_set *s, char *v)
{
	if (!v) {
		s->failed = true;
		return NULL;
	}
	if (s->n_owned == s->cap_owned) {
		size_t cap = s->cap_owned ? s->cap_owned * 2 : 16;
		char **n = realloc(s->owned, cap * sizeof(*n));
		if (!n) {
			free(v);
			s->failed = true;
			return NULL;
		}
		s->owned = n;
		s->cap_owned = cap;
	}
	s->owned[s->n_owned++] = v;
	return v;
}

/* A formatted string owned by the set (NULL on ENOMEM, the set marked failed). */
_printf_(2, 3) static const char *rf_own(struct tb_rf_set *s, const char *fmt, ...)
{
	va_list ap;
	char *v = NULL;

	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0)
		v = NULL;
	va_end(ap);
	return rf_keep(s, v);
}

/* A copy of @v owned by the set (rf_own of "%s" without vfprintf; NULL on ENOMEM). */
static const char *rf_own_copy(struct tb_rf_set *s, const char *v)
{
	return rf_keep(s, strdup(v));
}

/* A wanted field with a copy of the string @v. */
#define rf_strdup(s, id, v)                                                                        \
	do {                                                                                       \
		const char *v_ = wanted((s), (id)) ? rf_own_copy((s), (v)) : NULL;                 \
		if (v_)                                                                            \
			rf_str((s), (id), v_);                                                     \
	} while (0)

#define rf_strf(s, id, ...)                                                                        \
	do {                                                                                       \
		const char *v_ = wanted((s), (id)) ? rf_own((s), __VA_ARGS__) : NULL;              \
		if (v_)                                                                            \
			rf_str((s), (id), v_);                                                     \
	} while (0)

static inline __attribute__((always_inline)) void rf_size(struct tb_rf_set *s, const char *id,
							  uint64_t sectors)
{
	rf_add(s, id, TB_RF_SIZE)->u = sectors;
}

static inline __attribute__((always_inline)) void rf_num(struct tb_rf_set *s, const char *id,
							 uint64_t v)
{
	rf_add(s, id, TB_RF_NUM)->u = v;
}

static inline __attribute__((always_inline)) void rf_bin(struct tb_rf_set *s, const char *id, int v)
{
	rf_add(s, id, TB_RF_BIN)->i = v;
}

static inline __attribute__((always_inline)) void rf_pct(struct tb_rf_set *s, const char *id,
							 uint64_t num, uint64_t den)
{
	struct tb_rfield *f = rf_add(s, id, TB_RF_PCT);
	f->num = num;
	f->den = den;
}

/* lvm2 tags: sorted, comma-separated (dm_report_field_string_list). */
static void rf_tags(struct tb_rf_set *s, const char *id, md_strv tags)
{
	size_t n = md_strv_len(tags), len = 1;
	_cleanup_free_ const char **v = NULL;
	_cleanup_free_ char *buf = NULL;

	if (!wanted(s, id))
		return;
	if (!n)
		return rf_str(s, id, "");
	v = calloc(n + 1, sizeof(*v));
	if (!v) {
		s->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = tags[i];
		len += strlen(tags[i]) + 1;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			const char *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	buf = calloc(1, len);
	if (!buf) {
		s->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, v[i]);
	}
	rf_strf(s, id, "%s", buf);
}

static void uuid(char out[MD_ID_LEN + 7], const char *id)
{
	md_id_format(id, out);
}

uint64_t tb_rf_mda_free_sectors(const struct tb_rf_mda *m)
{
	uint64_t max;

	if (m->size < 1024 + 512)
		return 0;
	max = (m->size - 512) / 2 - 512;
	return m->text_size >= max ? 0 : (max - m->text_size) >> 9;
}

/* The thin LVs whose origin is @lv (lvm2 lv_descendants for thin snapshots). */
static void descendants(const struct md_vg *vg, const struct md_lv *lv, struct strbuf *sb)
{
	struct md_lv *const *kids = NULL;
	size_t n = md_vg_index_thin_children(vg, lv, &kids);

	for (size_t i = 0; i < n; i++) {
		if (sb->len)
			strbuf_appendc(sb, ',');
		strbuf_append(sb, kids[i]->name);
	}
}

static void seg_fields(const struct md_vg *vg, const struct md_lv *lv, const struct md_seg *sg,
		       const char *const *pv_paths, bool monitored, bool active, struct tb_rf_set *s)
{
	const struct md_lv *pool = sg->kind == MD_SEG_THIN_POOL ? lv
				   : sg->kind == MD_SEG_THIN    ? sg->thin_pool
								: NULL;
	struct strbuf pe = { 0 }, le = { 0 }, dev = { 0 };
	static const char *const disc[] = { "ignore", "nopassdown", "passdown" };
	bool striped = sg->kind == MD_SEG_STRIPED;
	bool ranges = wanted(s, "seg_pe_ranges") || wanted(s, "seg_le_ranges") ||
		      wanted(s, "devices") || wanted(s, "seg_metadata_le_ranges") ||
		      wanted(s, "metadata_devices");

	bool raid = sg->kind == MD_SEG_RAID;

	rf_str(s, "segtype", striped ? (sg->stripe_count > 1 ? "striped" : "linear") : sg->type);
	rf_num(s, "stripes",
	       striped || raid                ? sg->stripe_count
	       : sg->kind == MD_SEG_THIN_POOL ? 1
					      : 0);
	rf_num(s, "data_stripes",
	       striped                                ? sg->stripe_count
	       : sg->kind == MD_SEG_THIN_POOL || raid ? 1
						      : 0);
	rf_num(s, "data_copies", raid ? sg->stripe_count : 1);
	rf_size(s, "stripe_size", striped && sg->stripe_count > 1 ? sg->stripe_size : 0);
	rf_size(s, "region_size", raid ? sg->region_size : 0);
	rf_size(s, "chunk_size",
		sg->kind == MD_SEG_THIN_POOL ? sg->chunk_size
		: lv->cow_snapshot           ? lv->cow_snapshot->segs[0].chunk_size
					     : 0);
	if (sg->kind == MD_SEG_THIN_POOL && wanted(s, "thin_count"))
		rf_num(s, "thin_count", md_pool_thins(vg, lv, NULL, 0));
	if (pool) {
		rf_str(s, "discards", disc[pool->segs[0].discards]);
		rf_bin(s, "zero", pool->segs[0].zero_new_blocks);
		rf_num(s, "transaction_id", sg->transaction_id);
	} else {
		rf_bin(s, "zero", -1);
	}
	if (sg->kind == MD_SEG_THIN)
		rf_num(s, "thin_id", sg->device_id);
	rf_size(s, "seg_start", (uint64_t)sg->start_extent * vg->extent_size);
	rf_num(s, "seg_start_pe", sg->start_extent);
	rf_size(s, "seg_size", (uint64_t)sg->extent_count * vg->extent_size);
	rf_num(s, "seg_size_pe", sg->extent_count);
	if (!ranges) {
	} else if (striped) {
		uint32_t per = sg->stripe_count ? sg->extent_count / sg->stripe_count : 0;
		for (uint32_t a = 0; a < sg->stripe_count; a++) {
			const struct md_area *ar = &sg->areas[a];
			const char *name = "[unknown]";
			if (ar->pv) {
				size_t k = md_vg_pv_index(vg, ar->pv);
				name = k < vg->n_pvs && pv_paths[k] ? pv_paths[k]
				       : ar->pv->device             ? ar->pv->device
								    : "[unknown]";
			} else if (ar->lv) {
				name = ar->lv->name;
			}
			if (a) {
				strbuf_appendc(&pe, ' ');
				strbuf_appendc(&le, ' ');
				strbuf_appendc(&dev, ',');
			}
			strbuf_appendf(&pe, "%s:%u-%u", name, ar->start, ar->start + per - 1);
			strbuf_appendf(&le, "%s:%u-%u", name, ar->start, ar->start + per - 1);
			strbuf_appendf(&dev, "%s(%u)", name, ar->start);
		}
	} else if (raid) {
		struct strbuf mle = { 0 }, mdev = { 0 };
		for (uint32_t a = 0; a < sg->stripe_count; a++) {
			const char *im = sg->areas[a].lv ? sg->areas[a].lv->name : "";
			const char *me = sg->meta_areas && sg->meta_areas[a].lv
						 ? sg->meta_areas[a].lv->name
						 : NULL;
			if (a) {
				strbuf_appendc(&pe, ' ');
				strbuf_appendc(&le, ',');
				strbuf_appendc(&dev, ',');
				strbuf_appendc(&mle, ',');
				strbuf_appendc(&mdev, ',');
			}
			strbuf_appendf(&pe, "%s:0-%u", im, sg->extent_count - 1);
			strbuf_appendf(&le, "[%s]:0-%u", im, sg->extent_count - 1);
			strbuf_appendf(&dev, "%s(0)", im);
			if (me) {
				strbuf_appendf(&mle, "[%s]:0-0", me);
				strbuf_appendf(&mdev, "%s(0)", me);
			}
		}
		rf_strf(s, "seg_metadata_le_ranges", "%s", mle.len ? mle.buf : "");
		rf_strf(s, "metadata_devices", "%s", mdev.len ? mdev.buf : "");
		if (!strbuf_ok(&mle) || !strbuf_ok(&mdev))
			s->failed = true;
		strbuf_release(&mle);
		strbuf_release(&mdev);
	} else if (sg->kind == MD_SEG_THIN_POOL && sg->pool_data) {
		strbuf_appendf(&pe, "%s:0-%u", sg->pool_data->name, sg->extent_count - 1);
		strbuf_appendf(&le, "[%s]:0-%u", sg->pool_data->name, sg->extent_count - 1);
		strbuf_appendf(&dev, "%s(0)", sg->pool_data->name);
	}
	rf_strf(s, "seg_pe_ranges", "%s", pe.len ? pe.buf : "");
	rf_strf(s, "seg_le_ranges", "%s", le.len ? le.buf : "");
	rf_strf(s, "devices", "%s", dev.len ? dev.buf : "");
	if (!strbuf_ok(&pe) || !strbuf_ok(&le) || !strbuf_ok(&dev))
		s->failed = true;
	strbuf_release(&pe);
	strbuf_release(&le);
	strbuf_release(&dev);
	if (sg->kind == MD_SEG_THIN_POOL)
		rf_str(s, "seg_monitor", !active ? "" : monitored ? "monitored" : "not monitored");
}

/* lvm2's LVSINFO fields from one device's info (NULL: not active), ids prefixed by @pfx. */
static void info_fields(struct tb_rf_set *s, const char *pfx, const struct md_lv *lv,
			const struct dmk_info *ki, bool tpool)
{
	/* ids are string literals (tb_rfield.id): the prefixed ones spelled out */
	static const char *const ids[] = {
		"lv_kernel_major",   "lv_kernel_minor", "lv_kernel_read_ahead",
		"lv_permissions",    "lv_suspended",    "lv_live_table",
		"lv_inactive_table", "lv_device_open",  NULL
	};
	static const char *const pub[] = {
		"_pub_lv_kernel_major",   "_pub_lv_kernel_minor", "_pub_lv_kernel_read_ahead",
		"_pub_lv_permissions",    "_pub_lv_suspended",    "_pub_lv_live_table",
		"_pub_lv_inactive_table", "_pub_lv_device_open",  NULL
	};
	const char *const *id = *pfx ? pub : ids;

	if (!group_wanted(s, id))
		return;

	if (ki) {
		char sys[96];
		FILE *f;
		unsigned long kb;
		if (!tpool && wanted(s, id[2]))
			snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/queue/read_ahead_kb",
				 major(ki->dev), minor(ki->dev));
		if (tpool) /* lvm2 reads no read-ahead for the -tpool layer: 0 */
			rf_size(s, id[2], 0);
		else if (!wanted(s, id[2]))
			; /* no sysfs read per active LV for a report that does not show it */
		else if ((f = fopen(sys, "re"))) {
			if (fscanf(f, "%lu", &kb) == 1)
				rf_size(s, id[2], (uint64_t)kb * 2);
			fclose(f);
		}
		rf_strf(s, id[0], "%u", major(ki->dev));
		rf_strf(s, id[1], "%u", minor(ki->dev));
		rf_str(s, id[3],
		       !ki->read_only               ? "writeable"
		       : (lv->status & MD_LV_WRITE) ? "read-only-override"
						    : "read-only");
		rf_bin(s, id[4], ki->suspended);
		rf_bin(s, id[5], ki->live_table);
		rf_bin(s, id[6], ki->inactive_table);
		rf_bin(s, id[7], ki->open_count > 0);
	} else {
		rf_str(s, id[0], "-1");
		rf_str(s, id[1], "-1");
		rf_str(s, id[2], "-1");
		rf_str(s, id[3], "unknown");
		rf_bin(s, id[4], -1);
		rf_bin(s, id[5], -1);
		rf_bin(s, id[6], -1);
		rf_bin(s, id[7], -1);
	}
}

/* The blocks of tb_rf_lv_fields, each skipped by a report that shows none of its fields (a
 * unit test checks that each field is built when it alone is wanted). */
static const char *const lv_group_attrs[] = { "lv_full_name",
					      "lv_path",
					      "lv_parent",
					      "lv_layout",
					      "lv_role",
					      "lv_descendants",
					      "lv_full_descendants",
					      "lv_allocation_policy",
					      "lv_allocation_locked",
					      "lv_fixed_minor",
					      "lv_skip_activation",
					      "lv_autoactivation",
					      "lv_when_full",
					      "lv_active_locally",
					      "lv_active_remotely",
					      "lv_active_exclusively",
					      "lv_major",
					      "lv_minor",
					      "lv_read_ahead",
					      "lv_metadata_size",
					      NULL };
static const char *const lv_group_links[] = { "origin_uuid",
					      "lv_ancestors",
					      "lv_full_ancestors",
					      "lv_descendants",
					      "lv_full_descendants",
					      "_le",
					      "raidintegrityblocksize",
					      "writecache_block_size",
					      "data_lv",
					      "data_lv_uuid",
					      "metadata_lv",
					      "metadata_lv_uuid",
					      "pool_lv_uuid",
					      "lv_tags",
					      "lv_time",
					      "lv_host",
					      "lv_modules",
					      NULL };
static const char *const lv_group_info[] = { "lv_historical", "_open", "_ro", "_kdev", NULL };

int tb_rf_lv_fields(const struct md_vg *vg, const struct md_lv *lv, const struct tb_lv_state *st,
		    const char *const *pv_paths, bool monitored, struct tb_rf_set *s,
		    struct tb_rf_segs *segs)
{
	bool pool = md_lv_is_thin_pool(lv), thin = md_lv_is_thin(lv);
	bool tdata = md_lv_is_pool_data(vg, lv), tmeta = md_lv_is_pool_meta(vg, lv);
	bool spare = md_lv_is_pmspare(lv), visible = md_lv_is_visible(lv);
	/* a pool is active when its public device is; only its -tpool layer loaded (for
	 * active thin LVs) is not (measured against lvm2: twi---tz--, lv_active empty) */
	bool active = st->active;
	/* lvm2 lvseg_monitor_dup asks the -tpool layer */
	bool seg_active = st->active || (pool && st->pool_active);
	const struct md_lv *cow_origin = md_cow_origin(lv);
	/* an origin's snapshot count: only lv_role and origin_size read it */
	size_t n_cows = cow_origin || !(wanted(s, "lv_role") || wanted(s, "origin_size"))
				? 0
				: md_origin_cows(vg, lv, NULL, 0);
	const struct md_lv *origin = thin ? lv->segs[0].origin : cow_origin;
	bool raid = md_lv_is_raid(lv), rmeta = false;
	struct md_lv *rparent = NULL, *owner = NULL;
	struct strbuf desc = { 0 };
	char u[MD_ID_LEN + 7];

	tb_rf_clear(s);
	if (group_wanted(s, lv_group_attrs)) {
		/* the LV a hidden one belongs to (lv_parent, lv_role) */
		rparent = !visible ? md_lv_raid_of(vg, lv, NULL, &rmeta) : NULL;
		owner = (tdata || tmeta) ? md_lv_pool_of(vg, lv) : rparent;
		rf_strf(s, "lv_full_name", "%s/%s", vg->name, lv->name);
		if (visible && !pool)
			rf_strf(s, "lv_path", "/dev/%s/%s", vg->name, lv->name);
		else
			rf_str(s, "lv_path", "");
		rf_str(s, "lv_parent", owner ? owner->name : "");
		rf_str(s, "lv_layout",
		       pool   ? "thin,pool"
		       : raid ? "raid,raid1"
		       : thin ? "thin,sparse"
		       : lv->n_segs && lv->segs[0].kind == MD_SEG_STRIPED &&
				       lv->segs[0].stripe_count > 1
			       ? "striped"
			       : "linear");
		if (pool)
			rf_str(s, "lv_role", "private");
		else if (rparent)
			rf_str(s, "lv_role", rmeta ? "private,raid,metadata" : "private,raid,image");
		else if (tdata)
			rf_str(s, "lv_role", "private,thin,pool,data");
		else if (tmeta)
			rf_str(s, "lv_role", "private,thin,pool,metadata");
		else if (spare)
			rf_str(s, "lv_role", "private,pool,spare");
		else {
			if (wanted(s, "lv_role") || wanted(s, "lv_descendants") ||
			    wanted(s, "lv_full_descendants"))
				descendants(vg, lv, &desc);
			if (cow_origin)
				rf_str(s, "lv_role", "public,snapshot,thicksnapshot");
			else if (n_cows)
				rf_str(s, "lv_role",
				       n_cows > 1 ? "public,origin,thickorigin,multithickorigin"
						  : "public,origin,thickorigin");
			else
				rf_strf(s, "lv_role", "public%s%s",
					desc.len ? ",origin,thinorigin" : "",
					origin ? ",snapshot,thinsnapshot" : "");
		}
		rf_str(s, "lv_allocation_policy",
		       lv->allocation_policy ? lv->allocation_policy : "inherit");
		rf_bin(s, "lv_allocation_locked", 0);
		rf_bin(s, "lv_fixed_minor", !!(lv->status & MD_LV_FIXED_MINOR));
		rf_bin(s, "lv_skip_activation", !!(lv->flags & MD_LVF_ACTIVATION_SKIP));
		rf_bin(s, "lv_autoactivation", !(lv->flags & MD_LVF_NOAUTOACTIVATE));
		rf_str(s, "lv_when_full",
		       pool ? ((lv->flags & MD_LVF_ERROR_WHEN_FULL) ? "error" : "queue") : "");
		rf_bin(s, "lv_active_locally", active);
		rf_bin(s, "lv_active_remotely", 0);
		rf_bin(s, "lv_active_exclusively", active);
		if (lv->has_major)
			rf_strf(s, "lv_major", "%lld", (long long)lv->major);
		else
			rf_str(s, "lv_major", "-1");
		if (lv->has_minor)
			rf_strf(s, "lv_minor", "%lld", (long long)lv->minor);
		else
			rf_str(s, "lv_minor", "-1");
		if (lv->has_read_ahead && lv->read_ahead >= 0)
			rf_size(s, "lv_read_ahead", (uint64_t)lv->read_ahead);
		else
			rf_str(s, "lv_read_ahead", "auto");
		if (pool && lv->segs[0].pool_meta)
			rf_size(s, "lv_metadata_size",
				(uint64_t)md_lv_extents(lv->segs[0].pool_meta) * vg->extent_size);
	}
	rf_str(s, "origin", origin ? origin->name : "");
	if (group_wanted(s, lv_group_links)) {
		if (origin) {
			uuid(u, origin->id);
			rf_strdup(s, "origin_uuid", u);
			rf_str(s, "lv_ancestors", origin->name);
			rf_str(s, "lv_full_ancestors", origin->name);
		}
		if (desc.len) {
			rf_strdup(s, "lv_descendants", desc.buf);
			rf_strdup(s, "lv_full_descendants", desc.buf);
		}
		rf_num(s, "_le", thin ? lv->segs[0].extent_count : md_lv_extents(lv));
		rf_str(s, "raidintegrityblocksize", "-1");
		rf_str(s, "writecache_block_size", "-1");
		if (pool && lv->segs[0].pool_data) {
			rf_strf(s, "data_lv", "[%s]", lv->segs[0].pool_data->name);
			uuid(u, lv->segs[0].pool_data->id);
			rf_strdup(s, "data_lv_uuid", u);
		}
		if (pool && lv->segs[0].pool_meta) {
			rf_strf(s, "metadata_lv", "[%s]", lv->segs[0].pool_meta->name);
			uuid(u, lv->segs[0].pool_meta->id);
			rf_strdup(s, "metadata_lv_uuid", u);
		}
		if (thin) {
			uuid(u, lv->segs[0].thin_pool->id);
			rf_strdup(s, "pool_lv_uuid", u);
		}
		rf_tags(s, "lv_tags", lv->tags);
		if (lv->has_creation) {
			rf_add(s, "lv_time", TB_RF_TIME)->i = lv->creation_time;
			rf_str(s, "lv_host", lv->creation_host);
		}
		rf_str(s, "lv_modules",
		       pool   ? "thin-pool"
		       : thin ? "thin,thin-pool"
		       : raid ? "raid"
			      : "");
	}
	if (raid && st->has_raid_status) {
		const struct dmk_raid_status *rs = &st->raid_status;
		rf_pct(s, "copy_percent", rs->sync_cur, rs->sync_total);
		rf_pct(s, "sync_percent", rs->sync_cur, rs->sync_total);
		rf_str(s, "raid_sync_action", rs->sync_action);
		rf_num(s, "raid_mismatch_count", rs->mismatch_count);
		rf_str(s, "lv_health_status",
		       strchr(rs->health, 'D') ? "refresh needed"
		       : rs->mismatch_count    ? "mismatches exist"
					       : "");
	}
	if (group_wanted(s, lv_group_info)) {
		rf_bin(s, "lv_historical", 0);
		/* private to the display commands: lvm2's lv_info() of the LV's own device (for a pool
		 * the public read-only one): open count, read-only, major:minor */
		if (st->active) {
			rf_num(s, "_open",
			       (uint64_t)(st->info.open_count > 0 ? st->info.open_count : 0));
			rf_num(s, "_ro", st->info.read_only);
			rf_strf(s, "_kdev", "%u:%u", major(st->info.dev), minor(st->info.dev));
		}
	}
	/* the report's LVSINFO fields: lvm2 reads them with the status when the report shows a
	 * status field (lv_attr, data_percent...), and then asks a thin pool's -tpool layer; the
	 * "_pub_" copies are the pool's public device, for reports without status fields */
	info_fields(s, "", lv,
		    pool ? (st->pool_active ? &st->pool_info : NULL)
			 : (st->active ? &st->info : NULL),
		    pool);
	if (pool)
		info_fields(s, "_pub_", lv, st->active ? &st->info : NULL, false);
	/* lvm2 _snpercent_disp shows a thin volume's or pool's data usage as Snap% too */
	if (thin && st->has_thin_status && lv->segs[0].extent_count)
		rf_pct(s, "snap_percent", st->thin_status.mapped_sectors,
		       (uint64_t)lv->segs[0].extent_count * vg->extent_size);
	if (pool && st->has_pool_status && !st->pool_status.fail &&
	    st->pool_status.total_data_blocks) {
		static const char *const disc[] = { "ignore", "nopassdown", "passdown" };
		rf_pct(s, "snap_percent", st->pool_status.used_data_blocks,
		       st->pool_status.total_data_blocks);
		rf_str(s, "kernel_discards",
		       st->pool_status.ignore_discard     ? disc[0]
		       : st->pool_status.discard_passdown ? disc[2]
							  : disc[1]);
		rf_bin(s, "lv_check_needed", st->pool_status.needs_check);
	} else {
		rf_bin(s, "lv_check_needed", -1);
	}
	/* lvm2 lv_origin_size: a snapshot's own length (the origin's when it was made), an
	 * origin's size */
	if (cow_origin || n_cows)
		rf_size(s, "origin_size",
			(uint64_t)(cow_origin ? lv->cow_snapshot->segs[0].extent_count
					      : md_lv_extents(lv)) *
				vg->extent_size);
	if (cow_origin && st->has_snap_status && !st->snap_invalid && !st->snap_merge_failed &&
	    st->snap_total) {
		uint64_t used = st->snap_used == st->snap_meta ? 0 : st->snap_used;
		rf_pct(s, "snap_percent", used, st->snap_total);
		rf_pct(s, "data_percent", used, st->snap_total);
	} else if (cow_origin && st->has_snap_status && st->snap_invalid) {
		/* lvm2 _snpercent_disp: an invalid snapshot is full */
		rf_pct(s, "snap_percent", 1, 1);
		rf_pct(s, "data_percent", 1, 1);
	}
	rf_bin(s, "lv_merge_failed", cow_origin && st->has_snap_status ? st->snap_merge_failed : -1);
	rf_bin(s, "lv_snapshot_invalid", cow_origin && st->has_snap_status ? st->snap_invalid : -1);
	if (!strbuf_ok(&desc))
		s->failed = true;
	strbuf_release(&desc);

	segs->n = 0;
	/* "_segments": does the report read segment rows at all (lvs without a segment field
	 * does not: no set per segment, 20 look-ups per LV saved) */
	if (!wanted(s, "_segments"))
		return s->failed ? -ENOMEM : 0;
	if (lv->n_segs > segs->cap) {
		struct tb_rf_set *v = realloc(segs->v, lv->n_segs * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + segs->cap, 0, (lv->n_segs - segs->cap) * sizeof(*v));
		segs->v = v;
		segs->cap = lv->n_segs;
	}
	for (size_t i = 0; i < lv->n_segs; i++) {
		tb_rf_clear(&segs->v[i]);
		segs->v[i].want = s->want;
		seg_fields(vg, lv, &lv->segs[i], pv_paths, monitored, seg_active, &segs->v[i]);
	}
	segs->n = lv->n_segs;
	for (size_t i = 0; i < lv->n_segs; i++)
		if (segs->v[i].failed)
			return -ENOMEM;
	return s->failed ? -ENOMEM : 0;
}

int tb_rf_vg_fields(const struct md_vg *vg, const struct tb_rf_mda *mdas, size_t n_mdas,
		    struct tb_rf_set *s)
{
	uint64_t mfree = UINT64_MAX, msize = UINT64_MAX;
	size_t n_used = 0;

	/* lvm2 _vgmdafree_disp/_vgmdasize_disp: over the areas in use only */
	for (size_t i = 0; i < n_mdas; i++) {
		if (mdas[i].ignored)
			continue;
		n_used++;
		mfree = MIN(mfree, tb_rf_mda_free_sectors(&mdas[i]));
		msize = MIN(msize, mdas[i].size / 512);
	}
	rf_str(s, "vg_permissions", (vg->status & MD_VG_WRITE) ? "writeable" : "read-only");
	rf_bin(s, "vg_extendable", !!(vg->status & MD_VG_RESIZEABLE));
	rf_bin(s, "vg_exported", !!(vg->status & MD_VG_EXPORTED));
	rf_bin(s, "vg_autoactivation", 1);
	rf_bin(s, "vg_partial", !!(vg->status & MD_VG_PARTIAL));
	rf_str(s, "vg_allocation_policy", vg->allocation_policy ? vg->allocation_policy : "normal");
	rf_bin(s, "vg_clustered", !!(vg->status & MD_VG_CLUSTERED));
	/* lvm2 2.03.16 _vgshared_disp (vg_is_shared: sanlock, dlm, idm) and _vglocktype_disp
	 * ("none", which vgchange --locktype none --lockopt force writes, shows as "") */
	rf_bin(s, "vg_shared", tb_rf_lock_type_is_lockd(vg->lock_type));
	rf_str(s, "vg_sysid", vg->system_id);
	rf_str(s, "vg_systemid", vg->system_id);
	rf_str(s, "vg_lock_type",
	       vg->lock_type && !streq(vg->lock_type, "none") ? vg->lock_type : "");
	rf_str(s, "vg_lock_args", vg->lock_args);
	rf_num(s, "max_lv", vg->max_lv);
	rf_num(s, "max_pv", vg->max_pv);
	rf_num(s, "vg_missing_pv_count", 0);
	rf_tags(s, "vg_tags", vg->tags);
	rf_str(s, "vg_profile", vg->profile);
	rf_num(s, "vg_mda_count", n_mdas);
	rf_num(s, "vg_mda_used_count", n_used);
	if (n_used) {
		rf_size(s, "vg_mda_free", mfree);
		rf_size(s, "vg_mda_size", msize);
	}
	if (vg->has_metadata_copies && vg->metadata_copies > 0)
		rf_num(s, "vg_mda_copies", (uint64_t)vg->metadata_copies);
	else
		rf_str(s, "vg_mda_copies", "unmanaged");
	return s->failed ? -ENOMEM : 0;
}

struct pe_run {
	uint32_t start, len;
	const struct md_lv *lv;
};

static int cmp_run(const void *a, const void *b)
{
	const struct pe_run *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

int tb_rf_pv_fields(const struct md_vg *vg, const struct md_pv *pv, const struct tb_pvdev *d,
		    const struct tb_rf_mda *mdas, size_t n_mdas, struct tb_rf_set *s,
		    struct tb_rf_set **ret_pvsegs, size_t *ret_n)
{
	uint64_t mfree = UINT64_MAX, msize = UINT64_MAX;
	struct pe_run *runs = NULL;
	size_t n_runs = 0, cap = 0, n_out = 0;
	struct tb_rf_set *out = NULL;
	char pvu[MD_ID_LEN + 7], lvu[MD_ID_LEN + 7];
	uint32_t at = 0;

	*ret_pvsegs = NULL;
	*ret_n = 0;
	size_t n_used = 0;

	/* lvm2 _pvmdafree_disp: an ignored area has no free space; the size is over all */
	for (size_t i = 0; i < n_mdas; i++) {
		n_used += !mdas[i].ignored;
		mfree = MIN(mfree, mdas[i].ignored ? 0 : tb_rf_mda_free_sectors(&mdas[i]));
		msize = MIN(msize, mdas[i].size / 512);
	}
	if (d->rdev) {
		rf_strf(s, "pv_major", "%u", major(d->rdev));
		rf_strf(s, "pv_minor", "%u", minor(d->rdev));
	}
	if (n_mdas) {
		rf_size(s, "pv_mda_free", mfree);
		rf_size(s, "pv_mda_size", msize);
	}
	rf_num(s, "pv_ext_vsn", d->hdr.ext_version);
	rf_num(s, "pv_mda_count", n_mdas);
	rf_num(s, "pv_mda_used_count", n_used);
	rf_size(s, "pv_ba_start", d->hdr.n_ba ? d->hdr.ba[0].offset / 512 : 0);
	rf_size(s, "pv_ba_size", d->hdr.n_ba ? d->hdr.ba[0].size / 512 : 0);
	rf_bin(s, "pv_duplicate", 0);
	if (!pv) {
		rf_size(s, "pv_used", 0);
		rf_bin(s, "pv_allocatable", 0);
		rf_bin(s, "pv_exported", 0);
		rf_bin(s, "pv_missing", 0);
		rf_bin(s, "pv_in_use", 0);
		return s->failed ? -ENOMEM : 0;
	}
	rf_size(s, "pv_used", (uint64_t)md_pv_used_extents(vg, pv) * vg->extent_size);
	rf_bin(s, "pv_allocatable", !!(pv->status & MD_PV_ALLOCATABLE));
	rf_bin(s, "pv_exported", !!(pv->status & MD_PV_EXPORTED));
	rf_bin(s, "pv_missing", !!(pv->status & MD_PV_MISSING));
	rf_bin(s, "pv_in_use", 1);
	rf_tags(s, "pv_tags", pv->tags);

	/* the PV's extent map: used runs from every striped area on it, free gaps between */
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		for (size_t k = 0; k < lv->n_segs; k++) {
			const struct md_seg *sg = &lv->segs[k];
			if (sg->kind != MD_SEG_STRIPED || !sg->stripe_count)
				continue;
			for (uint32_t a = 0; a < sg->stripe_count; a++) {
				if (sg->areas[a].pv != pv)
					continue;
				if (n_runs == cap) {
					struct pe_run *n;
					cap = cap ? cap * 2 : 16;
					if (!(n = realloc(runs, cap * sizeof(*n)))) {
						free(runs);
						return -ENOMEM;
					}
					runs = n;
				}
				runs[n_runs++] = (struct pe_run){
					sg->areas[a].start, sg->extent_count / sg->stripe_count, lv
				};
			}
		}
	}
	if (n_runs)
		qsort(runs, n_runs, sizeof(*runs), cmp_run);
	out = calloc(2 * n_runs + 1, sizeof(*out));
	if (!out) {
		free(runs);
		return -ENOMEM;
	}
	md_id_format(pv->id, pvu);
	/* the PV's uuid once, owned by @s, for every segment (the sets live as long as @s) */
	const char *pvu_own = rf_own_copy(s, pvu);
	for (size_t i = 0; i <= n_runs; i++) {
		uint32_t next = i < n_runs ? runs[i].start : pv->pe_count;
		if (next > at) {
			struct tb_rf_set *g = &out[n_out++];
			rf_num(g, "pvseg_start", at);
			rf_num(g, "pvseg_size", next - at);
			rf_str(g, "pv_uuid", pvu_own);
			rf_str(g, "lv_uuid", "");
		}
		if (i == n_runs)
			break;
		struct tb_rf_set *g = &out[n_out++];
		rf_num(g, "pvseg_start", runs[i].start);
		rf_num(g, "pvseg_size", runs[i].len);
		rf_str(g, "pv_uuid", pvu_own);
		md_id_format(runs[i].lv->id, lvu);
		rf_strdup(g, "lv_uuid", lvu);
		at = runs[i].start + runs[i].len;
	}
	free(runs);
	*ret_pvsegs = out;
	*ret_n = n_out;
	for (size_t i = 0; i < n_out; i++)
		if (out[i].failed)
			return -ENOMEM;
	return s->failed ? -ENOMEM : 0;
}
