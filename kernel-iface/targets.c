/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed tables and statuses of the linear, thin-pool and thin targets, and thin-pool
 * messages. Syntax: the kernel's Documentation/admin-guide/device-mapper/linear.rst and
 * thin-provisioning.rst; status fields as drivers/md/dm-thin.c pool_status/thin_status
 * emit them. Parsers are pure and strict: anything unexpected is -EBADMSG. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "util/macros.h"
#include "util/strbuf.h"

#include "dmk-internal.h"

#define THIN_DEV_ID_MAX ((1U << 24) - 1)
#define MAX_TOKENS 32

/* Split @s on blanks into at most MAX_TOKENS tokens in @store. Returns the count or -EBADMSG
 * (too many tokens). */
struct tokens {
	char *copy;
	char *v[MAX_TOKENS];
	size_t n;
};

static void tokens_release(struct tokens *t)
{
	free(t->copy);
	t->copy = NULL;
}

static int tokenize(const char *s, struct tokens *ret)
{
	char *p, *save = NULL, *tok;

	if (!s)
		return -EBADMSG;
	ret->n = 0;
	ret->copy = strdup(s);
	if (!ret->copy)
		return -ENOMEM;
	p = ret->copy;
	while ((tok = strtok_r(p, " \t\n", &save))) {
		p = NULL;
		if (ret->n == MAX_TOKENS) {
			tokens_release(ret);
			return -EBADMSG;
		}
		ret->v[ret->n++] = tok;
	}
	return 0;
}

/* Strict unsigned decimal: digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EBADMSG;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EBADMSG;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return -EBADMSG;
	}
	*ret = v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v;
	if (parse_u64(s, &v) < 0 || v > UINT32_MAX)
		return -EBADMSG;
	*ret = (uint32_t)v;
	return 0;
}

/* "used/total" */
static int parse_ratio(const char *s, uint64_t *used, uint64_t *total)
{
	const char *slash = strchr(s, '/');
	char a[32];

	if (!slash || (size_t)(slash - s) >= sizeof(a))
		return -EBADMSG;
	memcpy(a, s, (size_t)(slash - s));
	a[slash - s] = '\0';
	if (parse_u64(a, used) < 0 || parse_u64(slash + 1, total) < 0)
		return -EBADMSG;
	return 0;
}

/* "MAJ:MIN" as the kernel prints devices in tables. */
static int parse_dev(const char *s, dev_t *ret)
{
	const char *colon = strchr(s, ':');
	char a[16];
	uint32_t ma, mi;

	if (!colon || (size_t)(colon - s) >= sizeof(a))
		return -EBADMSG;
	memcpy(a, s, (size_t)(colon - s));
	a[colon - s] = '\0';
	if (parse_u32(a, &ma) < 0 || parse_u32(colon + 1, &mi) < 0 || ma > 0xfff || mi > 0xfffff)
		return -EBADMSG;
	*ret = makedev(ma, mi);
	return 0;
}

static int finish(struct strbuf *sb, char **ret)
{
	if (!strbuf_ok(sb)) {
		strbuf_release(sb);
		return -ENOMEM;
	}
	*ret = strbuf_steal(sb);
	return *ret ? 0 : -ENOMEM;
}

/* ---- table lines ---- */

int dmk_target_parse_line(const char *line, struct dmk_target *ret)
{
	struct dmk_target t = { 0 };
	const char *p = line, *e;
	char num[32];
	size_t l;

	for (int field = 0; field < 3; field++) {
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strcspn(p, " \t\n");
		l = (size_t)(e - p);
		if (l == 0)
			return -EINVAL;
		if (field < 2) {
			uint64_t v;
			if (l >= sizeof(num))
				return -EINVAL;
			memcpy(num, p, l);
			num[l] = '\0';
			if (parse_u64(num, &v) < 0)
				return -EINVAL;
			if (field == 0)
				t.start = v;
			else
				t.len = v;
		} else {
			if (l >= sizeof(t.type))
				return -EINVAL;
			memcpy(t.type, p, l);
			t.type[l] = '\0';
		}
		p = e;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	l = strcspn(p, "\n");
	while (l && (p[l - 1] == ' ' || p[l - 1] == '\t' || p[l - 1] == '\r'))
		l--;
	t.params = strndup(p, l);
	if (!t.params)
		return -ENOMEM;
	*ret = t;
	return 0;
}

int dmk_table_parse(const char *text, struct dmk_target **ret, size_t *ret_n)
{
	struct dmk_target *t = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;
	int r;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);
		_cleanup_free_ char *line = strndup(p, l);
		const char *q;

		if (!line) {
			r = -ENOMEM;
			goto fail;
		}
		p = eol ? eol + 1 : p + l;
		q = line + strspn(line, " \t\r");
		if (!*q || *q == '#')
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct dmk_target *nt = realloc(t, nc * sizeof(*nt));
			if (!nt) {
				r = -ENOMEM;
				goto fail;
			}
			t = nt;
			cap = nc;
		}
		r = dmk_target_parse_line(q, &t[n]);
		if (r < 0)
			goto fail;
		n++;
	}
	*ret = t;
	*ret_n = n;
	return 0;
fail:
	dmk_targets_free(t, n);
	return r;
}

/* ---- linear ---- */

int dmk_linear_params_format(const struct dmk_linear_params *p, char **ret)
{
	struct strbuf sb = { 0 };
	strbuf_appendf(&sb, "%u:%u %" PRIu64, major(p->dev), minor(p->dev), p->offset_sectors);
	return finish(&sb, ret);
}

int dmk_linear_params_parse(const char *s, struct dmk_linear_params *ret)
{
	struct tokens tk = { 0 };
	struct dmk_linear_params p = { 0 };
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	if (tk.n != 2 || parse_dev(tk.v[0], &p.dev) < 0 || parse_u64(tk.v[1], &p.offset_sectors) < 0)
		r = -EBADMSG;
	tokens_release(&tk);
	if (r == 0)
		*ret = p;
	return r;
}

/* ---- thin-pool ---- */

int dmk_thin_pool_params_format(const struct dmk_thin_pool_params *p, char **ret)
{
	struct strbuf sb = { 0 };
	/* lvm2's order (libdm _thin_pool_emit_segment_line); the kernel accepts any */
	const struct {
		bool on;
		const char *name;
	} feat[] = {
		{ p->skip_block_zeroing, "skip_block_zeroing" },
		{ p->ignore_discard, "ignore_discard" },
		{ p->no_discard_passdown, "no_discard_passdown" },
		{ p->error_if_no_space, "error_if_no_space" },
		{ p->read_only, "read_only" },
	};
	unsigned n = 0;

	if (p->block_sectors == 0)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(feat); i++)
		n += feat[i].on;
	strbuf_appendf(&sb, "%u:%u %u:%u %" PRIu32 " %" PRIu64 " %u", major(p->meta), minor(p->meta),
		       major(p->data), minor(p->data), p->block_sectors, p->low_water_blocks, n);
	for (size_t i = 0; i < ARRAY_SIZE(feat); i++)
		if (feat[i].on)
			strbuf_appendf(&sb, " %s", feat[i].name);
	return finish(&sb, ret);
}

int dmk_thin_pool_params_parse(const char *s, struct dmk_thin_pool_params *ret)
{
	struct tokens tk = { 0 };
	struct dmk_thin_pool_params p = { 0 };
	uint32_t nfeat;
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	r = -EBADMSG;
	if (tk.n < 4 || parse_dev(tk.v[0], &p.meta) < 0 || parse_dev(tk.v[1], &p.data) < 0 ||
	    parse_u32(tk.v[2], &p.block_sectors) < 0 || p.block_sectors == 0 ||
	    parse_u64(tk.v[3], &p.low_water_blocks) < 0)
		goto out;
	if (tk.n == 4) {
		r = 0;
		goto out;
	}
	if (parse_u32(tk.v[4], &nfeat) < 0 || nfeat != tk.n - 5)
		goto out;
	for (size_t i = 5; i < tk.n; i++) {
		const char *f = tk.v[i];
		if (streq(f, "skip_block_zeroing"))
			p.skip_block_zeroing = true;
		else if (streq(f, "ignore_discard"))
			p.ignore_discard = true;
		else if (streq(f, "no_discard_passdown"))
			p.no_discard_passdown = true;
		else if (streq(f, "read_only"))
			p.read_only = true;
		else if (streq(f, "error_if_no_space"))
			p.error_if_no_space = true;
		else
			goto out;
	}
	r = 0;
out:
	tokens_release(&tk);
	if (r == 0)
		*ret = p;
	return r;
}

const char *dmk_pool_mode_to_string(enum dmk_pool_mode m)
{
	switch (m) {
	case DMK_POOL_RW:
		return "rw";
	case DMK_POOL_RO:
		return "ro";
	case DMK_POOL_OUT_OF_DATA_SPACE:
		return "out_of_data_space";
	}
	return "?";
}

bool dmk_pool_status_broken(const struct dmk_thin_pool_status *st)
{
	return st->fail || st->error || st->needs_check || st->mode == DMK_POOL_RO;
}

const char *dmk_pool_status_what(const struct dmk_thin_pool_status *st)
{
	if (st->fail)
		return "failed";
	if (st->error)
		return "in error (the kernel cannot read its metadata)";
	if (st->needs_check)
		return "flagged needs_check";
	if (st->mode == DMK_POOL_RO)
		return "read-only";
	return "healthy";
}

int dmk_thin_pool_status_parse(const char *s, struct dmk_thin_pool_status *ret)
{
	struct tokens tk = { 0 };
	struct dmk_thin_pool_status st = { 0 };
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	r = -EBADMSG;
	if (tk.n == 1 && streq(tk.v[0], "Fail")) {
		st.fail = true;
		r = 0;
		goto out;
	}
	if (tk.n == 1 && streq(tk.v[0], "Error")) {
		st.error = true;
		r = 0;
		goto out;
	}
	/* tid meta data held mode discard space check [lowwater]; older kernels stop earlier,
	 * but every kernel with thin-pool 1.x prints at least through the discard field */
	if (tk.n < 8 || tk.n > 9)
		goto out;
	if (parse_u64(tk.v[0], &st.transaction_id) < 0 ||
	    parse_ratio(tk.v[1], &st.used_meta_blocks, &st.total_meta_blocks) < 0 ||
	    parse_ratio(tk.v[2], &st.used_data_blocks, &st.total_data_blocks) < 0)
		goto out;
	if (st.used_meta_blocks > st.total_meta_blocks || st.used_data_blocks > st.total_data_blocks)
		goto out;
	if (!streq(tk.v[3], "-")) {
		if (parse_u64(tk.v[3], &st.held_root) < 0)
			goto out;
		st.has_held_root = true;
	}
	if (streq(tk.v[4], "rw"))
		st.mode = DMK_POOL_RW;
	else if (streq(tk.v[4], "ro"))
		st.mode = DMK_POOL_RO;
	else if (streq(tk.v[4], "out_of_data_space"))
		st.mode = DMK_POOL_OUT_OF_DATA_SPACE;
	else
		goto out;
	if (streq(tk.v[5], "discard_passdown"))
		st.discard_passdown = true;
	else if (streq(tk.v[5], "ignore_discard"))
		st.ignore_discard = true;
	else if (!streq(tk.v[5], "no_discard_passdown"))
		goto out;
	if (streq(tk.v[6], "error_if_no_space"))
		st.error_if_no_space = true;
	else if (!streq(tk.v[6], "queue_if_no_space"))
		goto out;
	if (streq(tk.v[7], "needs_check"))
		st.needs_check = true;
	else if (!streq(tk.v[7], "-"))
		goto out;
	if (tk.n == 9 && !streq(tk.v[8], "-")) {
		if (parse_u64(tk.v[8], &st.meta_low_water_blocks) < 0)
			goto out;
		st.has_meta_low_water = true;
	}
	r = 0;
out:
	tokens_release(&tk);
	if (r == 0)
		*ret = st;
	return r;
}

/* ---- thin ---- */

int dmk_thin_params_format(const struct dmk_thin_params *p, char **ret)
{
	struct strbuf sb = { 0 };

	if (p->dev_id > THIN_DEV_ID_MAX)
		return -EINVAL;
	strbuf_appendf(&sb, "%u:%u %" PRIu32, major(p->pool), minor(p->pool), p->dev_id);
	if (p->has_external_origin)
		strbuf_appendf(&sb, " %u:%u", major(p->external_origin), minor(p->external_origin));
	return finish(&sb, ret);
}

int dmk_thin_params_parse(const char *s, struct dmk_thin_params *ret)
{
	struct tokens tk = { 0 };
	struct dmk_thin_params p = { 0 };
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	r = -EBADMSG;
	if (tk.n < 2 || tk.n > 3 || parse_dev(tk.v[0], &p.pool) < 0 ||
	    parse_u32(tk.v[1], &p.dev_id) < 0 || p.dev_id > THIN_DEV_ID_MAX)
		goto out;
	if (tk.n == 3) {
		if (parse_dev(tk.v[2], &p.external_origin) < 0)
			goto out;
		p.has_external_origin = true;
	}
	r = 0;
out:
	tokens_release(&tk);
	if (r == 0)
		*ret = p;
	return r;
}

int dmk_thin_status_parse(const char *s, struct dmk_thin_status *ret)
{
	struct tokens tk = { 0 };
	struct dmk_thin_status st = { 0 };
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	r = -EBADMSG;
	if (tk.n == 1 && (streq(tk.v[0], "Fail") || streq(tk.v[0], "Error"))) {
		st.fail = streq(tk.v[0], "Fail");
		st.error = !st.fail;
		r = 0;
		goto out;
	}
	if (tk.n != 2 || parse_u64(tk.v[0], &st.mapped_sectors) < 0)
		goto out;
	if (!streq(tk.v[1], "-")) {
		if (parse_u64(tk.v[1], &st.highest_mapped_sector) < 0)
			goto out;
		st.has_highest = true;
	}
	r = 0;
out:
	tokens_release(&tk);
	if (r == 0)
		*ret = st;
	return r;
}

/* ---- raid ---- */

static int copy_word(char *dst, size_t len, const char *w)
{
	size_t n = strlen(w);
	if (n == 0 || n >= len)
		return -EBADMSG;
	memcpy(dst, w, n + 1);
	return 0;
}

int dmk_raid_status_parse(const char *s, struct dmk_raid_status *ret)
{
	struct tokens tk = { 0 };
	struct dmk_raid_status st = { 0 };
	const char *slash;
	char num[32];
	int r = tokenize(s, &tk);

	if (r < 0)
		return r;
	r = -EBADMSG;
	if (tk.n < 6 || tk.n > 8 || copy_word(st.raid_type, sizeof(st.raid_type), tk.v[0]) < 0 ||
	    parse_u32(tk.v[1], &st.devices) < 0 || st.devices == 0 ||
	    st.devices > DMK_RAID_MAX_DEVICES || strlen(tk.v[2]) != st.devices ||
	    strspn(tk.v[2], "ADa") != st.devices)
		goto out;
	memcpy(st.health, tk.v[2], st.devices + 1);
	slash = strchr(tk.v[3], '/');
	if (!slash || (size_t)(slash - tk.v[3]) >= sizeof(num))
		goto out;
	memcpy(num, tk.v[3], (size_t)(slash - tk.v[3]));
	num[slash - tk.v[3]] = '\0';
	if (parse_u64(num, &st.sync_cur) < 0 || parse_u64(slash + 1, &st.sync_total) < 0 ||
	    copy_word(st.sync_action, sizeof(st.sync_action), tk.v[4]) < 0 ||
	    parse_u64(tk.v[5], &st.mismatch_count) < 0)
		goto out;
	if (tk.n > 6) {
		if (parse_u64(tk.v[6], &st.data_offset) < 0)
			goto out;
		st.has_data_offset = true;
	}
	if (tk.n > 7) {
		if (strlen(tk.v[7]) != 1 || !strchr("ADa-", tk.v[7][0]))
			goto out;
		st.journal = tk.v[7][0];
	}
	r = 0;
out:
	tokens_release(&tk);
	if (r == 0)
		*ret = st;
	return r;
}

bool dmk_raid_status_in_sync(const struct dmk_raid_status *st)
{
	return strspn(st->health, "A") == st->devices && st->sync_cur == st->sync_total &&
	       (streq(st->sync_action, "idle") || streq(st->sync_action, "check"));
}

/* ---- thin-pool messages ---- */

static int pool_msg(struct dmk_ctx *ctx, const char *pool, const char *fmt, ...) _printf_(3, 4);
static int pool_msg(struct dmk_ctx *ctx, const char *pool, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmk_message(ctx, pool, 0, msg, NULL);
}

static int check_id(struct dmk_ctx *ctx, const char *pool, uint32_t id)
{
	if (id > THIN_DEV_ID_MAX)
		return dmk_fail(ctx, -EINVAL,
				"Thin device id %" PRIu32 " for pool '%s' is out of range (max %u)",
				id, pool ? pool : "", THIN_DEV_ID_MAX);
	return 0;
}

int dmk_thin_msg_create_thin(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id)
{
	int r = check_id(ctx, pool, dev_id);
	return r < 0 ? r : pool_msg(ctx, pool, "create_thin %" PRIu32, dev_id);
}

int dmk_thin_msg_create_snap(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id,
			     uint32_t origin_id)
{
	int r = check_id(ctx, pool, dev_id);
	if (r == 0)
		r = check_id(ctx, pool, origin_id);
	return r < 0 ? r
		     : pool_msg(ctx, pool, "create_snap %" PRIu32 " %" PRIu32, dev_id, origin_id);
}

int dmk_thin_msg_delete(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id)
{
	int r = check_id(ctx, pool, dev_id);
	return r < 0 ? r : pool_msg(ctx, pool, "delete %" PRIu32, dev_id);
}

int dmk_thin_msg_set_transaction_id(struct dmk_ctx *ctx, const char *pool, uint64_t old_id,
				    uint64_t new_id)
{
	return pool_msg(ctx, pool, "set_transaction_id %" PRIu64 " %" PRIu64, old_id, new_id);
}

int dmk_thin_msg_reserve_metadata_snap(struct dmk_ctx *ctx, const char *pool)
{
	return pool_msg(ctx, pool, "reserve_metadata_snap");
}

int dmk_thin_msg_release_metadata_snap(struct dmk_ctx *ctx, const char *pool)
{
	return pool_msg(ctx, pool, "release_metadata_snap");
}
