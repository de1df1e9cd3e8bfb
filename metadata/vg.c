/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VG, PV and LV objects, ids and names. No I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata/md.h"
#include "util/macros.h"

static const char id_chars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#";

size_t md_strv_len(md_strv v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int md_strv_push(md_strv *v, const char *s)
{
	size_t n = md_strv_len(*v);
	char *dup = strdup(s);
	char **nv;

	if (!dup)
		return -ENOMEM;
	nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(dup);
		return -ENOMEM;
	}
	nv[n] = dup;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

bool md_strv_contains(md_strv v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

md_strv md_strv_free(md_strv v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
	return NULL;
}

void md_extra_clear(struct md_extra *e)
{
	if (e->data && e->free)
		e->free(e->data);
	e->data = NULL;
	e->free = NULL;
}

void md_id_from_random(const uint8_t rnd[MD_ID_LEN], char ret[MD_ID_LEN + 1])
{
	for (size_t i = 0; i < MD_ID_LEN; i++)
		ret[i] = id_chars[rnd[i] % 62];
	ret[MD_ID_LEN] = '\0';
}

/* Is @c one of id_chars? (A compare per range instead of a memchr per character.) */
/* lvm2's id bytes (1) and the dashes of the printed form (2); 0 for anything else */
static const unsigned char id_byte[256] = {
	['0' ... '9'] = 1, ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['!'] = 1, ['#'] = 1, ['-'] = 2,
};

int md_id_parse_n(const char *s, size_t len, char ret[MD_ID_LEN + 1])
{
	char out[MD_ID_LEN + 1];
	size_t n = 0;

	/* lvm2's printed form (6-4-4-4-4-4-6, as every text it writes holds): the groups
	 * copied, their bytes checked in one pass */
	if (len == MD_ID_LEN + 6 && s[6] == '-' && s[11] == '-' && s[16] == '-' && s[21] == '-' &&
	    s[26] == '-' && s[31] == '-') {
		unsigned char ok = 1;
		memcpy(out, s, 6);
		memcpy(out + 6, s + 7, 4);
		memcpy(out + 10, s + 12, 4);
		memcpy(out + 14, s + 17, 4);
		memcpy(out + 18, s + 22, 4);
		memcpy(out + 22, s + 27, 4);
		memcpy(out + 26, s + 32, 6);
		for (size_t i = 0; i < MD_ID_LEN; i++)
			ok &= id_byte[(unsigned char)out[i]];
		if (!ok)
			return -EINVAL;
		out[MD_ID_LEN] = '\0';
		memcpy(ret, out, sizeof(out));
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char k = id_byte[(unsigned char)s[i]];
		if (k == 1) {
			if (n == MD_ID_LEN)
				return -EINVAL;
			out[n++] = s[i];
		} else if (k != 2) {
			return -EINVAL;
		}
	}
	if (n != MD_ID_LEN)
		return -EINVAL;
	out[n] = '\0';
	memcpy(ret, out, sizeof(out));
	return 0;
}

int md_id_parse(const char *s, char ret[MD_ID_LEN + 1])
{
	return md_id_parse_n(s, strlen(s), ret);
}

void md_id_format(const char *id, char ret[MD_ID_LEN + 7])
{
	/* the groups 6-4-4-4-4-4-6, each a copy of constant size */
	memcpy(ret, id, 6);
	ret[6] = '-';
	memcpy(ret + 7, id + 6, 4);
	ret[11] = '-';
	memcpy(ret + 12, id + 10, 4);
	ret[16] = '-';
	memcpy(ret + 17, id + 14, 4);
	ret[21] = '-';
	memcpy(ret + 22, id + 18, 4);
	ret[26] = '-';
	memcpy(ret + 27, id + 22, 4);
	ret[31] = '-';
	memcpy(ret + 32, id + 26, 6);
	ret[38] = '\0';
}

bool md_name_char_is_valid(char c)
{
	/* ASCII ranges, never isalnum(): a locale must not change which names are valid */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '+' || c == '_' || c == '.' || c == '-';
}

int md_name_check_len(const char *name, size_t len, const char **ret_reason)
{
	const char *reason = NULL;

	if (len == 0)
		reason = "name is empty";
	else if (len > MD_NAME_MAX)
		reason = "name is longer than 127 characters";
	else if (name[0] == '-')
		reason = "name may not start with '-'";
	else if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		reason = "name may not be '.' or '..'";
	else
		for (size_t i = 0; i < len; i++)
			if (!md_name_char_is_valid(name[i])) {
				reason = "name may contain only A-Z a-z 0-9 + _ . -";
				break;
			}
	if (!reason)
		return 0;
	if (ret_reason)
		*ret_reason = reason;
	return -EINVAL;
}

int md_name_check(const char *name, const char **ret_reason)
{
	return md_name_check_len(name, strlen(name), ret_reason);
}

static const char *const reserved_suffixes[] = {
	"_cdata",  "_cmeta", "_corig",  "_cpool",   "_cvol",    "_wcorig",
	"_mimage", "_mlog",  "_rimage", "_rmeta",   "_tdata",   "_tmeta",
	"_vdata",  "_imeta", "_iorig",  "_pmspare", "_vorigin",
};

int md_lv_name_check_user(const char *name, const char **ret_reason)
{
	const char *reason = NULL;
	int r = md_name_check(name, ret_reason);

	if (r < 0)
		return r;
	if (!strncmp(name, "snapshot", 8) || !strncmp(name, "pvmove", 6))
		reason = "names starting with 'snapshot' or 'pvmove' are reserved";
	for (size_t i = 0; !reason && i < ARRAY_SIZE(reserved_suffixes); i++)
		if (strstr(name, reserved_suffixes[i]))
			reason = "names containing an internal suffix such as _tdata, _tmeta or "
				 "_pmspare are reserved";
	if (!reason)
		return 0;
	if (ret_reason)
		*ret_reason = reason;
	return -EINVAL;
}

static void append_doubled(char **o, const char *s)
{
	for (; *s; s++) {
		*(*o)++ = *s;
		if (*s == '-')
			*(*o)++ = '-';
	}
}

int md_dm_name(const char *vg, const char *lv, const char *layer, char **ret)
{
	size_t len = 2 * strlen(vg) + 2 * strlen(lv) + (layer ? strlen(layer) + 1 : 0) + 2;
	char *buf = malloc(len), *o = buf;

	if (!buf)
		return -ENOMEM;
	append_doubled(&o, vg);
	*o++ = '-';
	append_doubled(&o, lv);
	if (layer) {
		if (layer[0] != '_')
			*o++ = '-';
		strcpy(o, layer);
		o += strlen(layer);
	}
	*o = '\0';
	*ret = buf;
	return 0;
}

int md_extent_size_check(uint64_t sectors, const char **ret_reason)
{
	const char *reason = NULL;

	if (sectors == 0)
		reason = "extent size may not be zero";
	else if (sectors < 8)
		reason = "extent size must be at least 4 KiB";
	else if (sectors > UINT32_MAX)
		reason = "extent size is too large";
	else if ((sectors & (sectors - 1)) && sectors % 256)
		reason = "extent size must be a power of 2 or a multiple of 128 KiB";
	if (!reason)
		return 0;
	if (ret_reason)
		*ret_reason = reason;
	return -EINVAL;
}

int md_vg_new(const char *name, const char *id, uint32_t extent_size, struct md_vg **ret)
{
	struct md_vg *vg = calloc(1, sizeof(*vg));

	if (!vg)
		return -ENOMEM;
	vg->name = strdup(name);
	vg->format = strdup("lvm2");
	if (!vg->name || !vg->format) {
		md_vg_free(vg);
		return -ENOMEM;
	}
	snprintf(vg->id, sizeof(vg->id), "%s", id);
	vg->seqno = 1;
	vg->status = MD_VG_RESIZEABLE | MD_VG_READ | MD_VG_WRITE;
	vg->extent_size = extent_size;
	*ret = vg;
	return 0;
}

static char striped_type[] = "striped";

char *md_seg_type_striped(void)
{
	return striped_type;
}

char *md_seg_type_dup(const char *type, size_t len)
{
	if (len == sizeof(striped_type) - 1 && !memcmp(type, striped_type, len))
		return striped_type;
	return strndup(type, len);
}

void md_seg_type_free(char *type)
{
	if (type != striped_type)
		free(type);
}

static void seg_clear(struct md_seg *s)
{
	md_seg_type_free(s->type);
	free(s->areas);
	free(s->meta_areas);
	free(s->msgs);
	md_extra_clear(&s->extra);
}

static void lv_free(struct md_lv *lv)
{
	if (!lv)
		return;
	for (size_t i = 0; i < lv->n_segs; i++)
		seg_clear(&lv->segs[i]);
	free(lv->segs);
	free(lv->name);
	free(lv->creation_host);
	free(lv->profile);
	free(lv->allocation_policy);
	free(lv->lock_args);
	md_strv_free(lv->flags_other);
	md_strv_free(lv->tags);
	md_extra_clear(&lv->extra);
	free(lv);
}

static void pv_free(struct md_pv *pv)
{
	if (!pv)
		return;
	free(pv->device);
	md_strv_free(pv->flags);
	md_strv_free(pv->tags);
	md_extra_clear(&pv->extra);
	free(pv);
}

struct md_vg *md_vg_free(struct md_vg *vg)
{
	if (!vg)
		return NULL;
	for (size_t i = 0; i < vg->n_lvs; i++)
		lv_free(vg->lvs[i]);
	for (size_t i = 0; i < vg->n_pvs; i++)
		pv_free(vg->pvs[i]);
	free(vg->lvs);
	free(vg->pvs);
	free(vg->name);
	free(vg->format);
	free(vg->system_id);
	free(vg->lock_type);
	free(vg->lock_args);
	free(vg->allocation_policy);
	free(vg->profile);
	md_strv_free(vg->flags);
	md_strv_free(vg->tags);
	md_extra_clear(&vg->extra);
	md_extra_clear(&vg->extra_top);
	md_vg_index_free(vg);
	free(vg);
	return NULL;
}

int md_vg_add_pv(struct md_vg *vg, const char *id, const char *device, uint64_t dev_size,
		 uint64_t pe_start, struct md_pv **ret)
{
	struct md_pv *pv, **npvs;
	uint64_t count;

	if (md_vg_find_pv(vg, id))
		return -EEXIST;
	if (dev_size <= pe_start || vg->extent_size == 0)
		return -ENOSPC;
	count = (dev_size - pe_start) / vg->extent_size;
	if (count == 0)
		return -ENOSPC;
	if (count > UINT32_MAX)
		return -ERANGE;
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	snprintf(pv->id, sizeof(pv->id), "%s", id);
	if (device && !(pv->device = strdup(device))) {
		pv_free(pv);
		return -ENOMEM;
	}
	pv->status = MD_PV_ALLOCATABLE;
	pv->dev_size = dev_size;
	pv->pe_start = pe_start;
	pv->pe_count = (uint32_t)count;
	npvs = realloc(vg->pvs, (vg->n_pvs + 1) * sizeof(*npvs));
	if (!npvs) {
		pv_free(pv);
		return -ENOMEM;
	}
	vg->pvs = npvs;
	vg->pvs[vg->n_pvs++] = pv;
	if (ret)
		*ret = pv;
	return 0;
}

int md_vg_remove_pv(struct md_vg *vg, struct md_pv *pv)
{
	size_t i = md_vg_pv_index(vg, pv);

	if (i == vg->n_pvs)
		return -ENOENT;
	if (md_pv_used_extents(vg, pv))
		return -EBUSY;
	pv_free(pv);
	memmove(&vg->pvs[i], &vg->pvs[i + 1], (vg->n_pvs - i - 1) * sizeof(*vg->pvs));
	vg->n_pvs--;
	return 0;
}

struct md_pv *md_vg_find_pv(const struct md_vg *vg, const char *id)
{
	for (size_t i = 0; i < vg->n_pvs; i++)
		if (streq(vg->pvs[i]->id, id))
			return vg->pvs[i];
	return NULL;
}

struct md_lv *md_vg_find_lv(const struct md_vg *vg, const char *name)
{
	return md_vg_index_find_lv(vg, name);
}

size_t md_vg_pv_index(const struct md_vg *vg, const struct md_pv *pv)
{
	size_t i;
	for (i = 0; i < vg->n_pvs; i++)
		if (vg->pvs[i] == pv)
			break;
	return i;
}

uint64_t md_vg_extent_count(const struct md_vg *vg)
{
	uint64_t n = 0;
	for (size_t i = 0; i < vg->n_pvs; i++)
		n += vg->pvs[i]->pe_count;
	return n;
}

uint32_t md_pv_used_extents(const struct md_vg *vg, const struct md_pv *pv)
{
	uint64_t used = 0;

	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		for (size_t s = 0; s < lv->n_segs; s++) {
			const struct md_seg *seg = &lv->segs[s];
			if (seg->kind != MD_SEG_STRIPED || !seg->stripe_count)
				continue;
			for (uint32_t a = 0; a < seg->stripe_count; a++)
				if (seg->areas[a].pv == pv)
					used += seg->extent_count / seg->stripe_count;
		}
	}
	return (uint32_t)MIN(used, UINT32_MAX);
}

uint64_t md_vg_free_count(const struct md_vg *vg)
{
	uint64_t n = 0;
	for (size_t i = 0; i < vg->n_pvs; i++)
		n += vg->pvs[i]->pe_count - md_pv_used_extents(vg, vg->pvs[i]);
	return n;
}

bool md_vg_is_readonly_for_us(const struct md_vg *vg, const char **ret_reason)
{
	const char *reason = NULL;

	if (vg->lock_type && !streq(vg->lock_type, "none"))
		reason = "it is a shared VG (lock_type is set); thinbox does not do lvmlockd";
	else if (vg->system_id && vg->system_id[0])
		reason = "it has a system_id; thinbox does not manage foreign VGs";
	else if (vg->status &
		 (MD_VG_EXPORTED | MD_VG_PVMOVE | MD_VG_CLUSTERED | MD_VG_SHARED | MD_VG_PARTIAL))
		reason = "its status (exported, pvmove, clustered or partial) is one thinbox cannot "
			 "honour";
	else if (!(vg->status & MD_VG_WRITE))
		reason = "it is not writable (status lacks WRITE)";
	for (size_t i = 0; !reason && i < vg->n_lvs; i++)
		for (size_t s = 0; s < vg->lvs[i]->n_segs; s++)
			if (vg->lvs[i]->segs[s].kind == MD_SEG_UNKNOWN) {
				reason = "it holds a segment type thinbox does not understand";
				break;
			}
	if (!reason)
		reason = md_cow_unsupported(vg);
	for (size_t i = 0; !reason && i < vg->n_pvs; i++)
		if (vg->pvs[i]->status & MD_PV_MISSING)
			reason = "a PV is missing";
	if (!reason)
		return false;
	if (ret_reason)
		*ret_reason = reason;
	return true;
}

uint32_t md_lv_extents(const struct md_lv *lv)
{
	uint64_t n = 0;
	for (size_t i = 0; i < lv->n_segs; i++)
		n += lv->segs[i].extent_count;
	return (uint32_t)MIN(n, UINT32_MAX);
}

bool md_lv_is_visible(const struct md_lv *lv)
{
	/* lvm2 lv_is_visible: a snapshotN LV never, a COW store as its origin */
	if (lv->cow_snapshot)
		return true;
	if (lv->n_segs && lv->segs[0].kind == MD_SEG_SNAPSHOT)
		return false;
	return lv->status & MD_LV_VISIBLE;
}

bool md_lv_is_thin_pool(const struct md_lv *lv)
{
	return lv->n_segs && lv->segs[0].kind == MD_SEG_THIN_POOL;
}

bool md_lv_is_thin(const struct md_lv *lv)
{
	return lv->n_segs && lv->segs[0].kind == MD_SEG_THIN;
}

bool md_lv_is_pmspare(const struct md_lv *lv)
{
	return !md_lv_is_visible(lv) && strstr(lv->name, "_pmspare");
}

struct md_lv *md_lv_pool_of(const struct md_vg *vg, const struct md_lv *lv)
{
	return md_vg_index_pool_of(vg, lv);
}

bool md_lv_is_pool_data(const struct md_vg *vg, const struct md_lv *lv)
{
	struct md_lv *p = md_lv_pool_of(vg, lv);
	return p && p->segs[0].pool_data == lv;
}

bool md_lv_is_pool_meta(const struct md_vg *vg, const struct md_lv *lv)
{
	struct md_lv *p = md_lv_pool_of(vg, lv);
	return p && p->segs[0].pool_meta == lv;
}

size_t md_pool_thins(const struct md_vg *vg, const struct md_lv *pool, struct md_lv **out,
		     size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < vg->n_lvs; i++)
		if (md_lv_is_thin(vg->lvs[i]) && vg->lvs[i]->segs[0].thin_pool == pool) {
			if (n < max)
				out[n] = vg->lvs[i];
			n++;
		}
	return n;
}

struct md_lv *md_thin_by_device_id(const struct md_vg *vg, const struct md_lv *pool, uint32_t id)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		struct md_lv *lv = vg->lvs[i];
		if (md_lv_is_thin(lv) && lv->segs[0].thin_pool == pool && lv->segs[0].device_id == id)
			return lv;
	}
	return NULL;
}

int md_lv_set_str(char **field, const char *value)
{
	char *dup = NULL;
	if (value && !(dup = strdup(value)))
		return -ENOMEM;
	free(*field);
	*field = dup;
	return 0;
}

int md_lv_new(struct md_vg *vg, const char *name, const char *id, unsigned status,
	      struct md_lv **ret)
{
	struct md_lv *lv, **nlvs;

	if (md_vg_find_lv(vg, name))
		return -EEXIST;
	lv = calloc(1, sizeof(*lv));
	if (!lv)
		return -ENOMEM;
	lv->name = strdup(name);
	if (!lv->name) {
		lv_free(lv);
		return -ENOMEM;
	}
	memcpy(lv->id, id, strnlen(id, MD_ID_LEN)); /* a bounded copy, no printf per LV */
	lv->status = status;
	/* capacity doubles: grown when n_lvs is 0 or a power of two (a realloc per LV copied the
	 * array each time behind the LVs allocated after it) */
	if (vg->n_lvs < 16 || !(vg->n_lvs & (vg->n_lvs - 1))) {
		size_t cap = vg->n_lvs < 16 ? 16 : 2 * vg->n_lvs;
		nlvs = realloc(vg->lvs, cap * sizeof(*nlvs));
		if (!nlvs) {
			lv_free(lv);
			return -ENOMEM;
		}
		vg->lvs = nlvs;
	}
	vg->lvs[vg->n_lvs++] = lv;
	md_vg_index_added(vg, lv);
	*ret = lv;
	return 0;
}

static bool lv_is_referenced(const struct md_vg *vg, const struct md_lv *lv)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *o = vg->lvs[i];
		if (o == lv)
			continue;
		for (size_t s = 0; s < o->n_segs; s++) {
			const struct md_seg *seg = &o->segs[s];
			if (seg->pool_meta == lv || seg->pool_data == lv || seg->thin_pool == lv ||
			    seg->origin == lv || seg->merge == lv || seg->external_origin == lv ||
			    seg->cow == lv)
				return true;
			for (uint32_t a = 0; seg->areas && a < seg->stripe_count; a++)
				if (seg->areas[a].lv == lv ||
				    (seg->meta_areas && seg->meta_areas[a].lv == lv))
					return true;
			for (size_t m = 0; m < seg->n_msgs; m++)
				if (seg->msgs[m].lv == lv)
					return true;
		}
	}
	return false;
}

int md_lv_remove(struct md_vg *vg, struct md_lv *lv)
{
	size_t i;

	for (i = 0; i < vg->n_lvs && vg->lvs[i] != lv; i++)
		;
	if (i == vg->n_lvs)
		return -ENOENT;
	if (lv_is_referenced(vg, lv))
		return -EBUSY;
	if (md_lv_is_snapshot(lv) && lv->segs[0].cow)
		lv->segs[0].cow->cow_snapshot = NULL;
	lv_free(lv);
	memmove(&vg->lvs[i], &vg->lvs[i + 1], (vg->n_lvs - i - 1) * sizeof(*vg->lvs));
	vg->n_lvs--;
	md_vg_index_drop(vg);
	return 0;
}

int md_lv_rename(struct md_vg *vg, struct md_lv *lv, const char *new_name)
{
	int r = md_name_check(new_name, NULL);

	if (r < 0)
		return r;
	if (md_vg_find_lv(vg, new_name))
		return -EEXIST;
	r = md_lv_set_str(&lv->name, new_name);
	md_vg_index_drop(vg);
	return r;
}
