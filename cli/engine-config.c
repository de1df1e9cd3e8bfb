/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Docker's daemon.json and containerd's config.toml, merged (cli/engine-config.h). The JSON
 * side is a strict RFC 8259 scanner that keeps every member's text as it was; the TOML side
 * works on lines (table headers and "key = value" lines of one table), enough for the
 * files containerd writes (`containerd config default`) and people edit. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/engine-config.h"
#include "util/macros.h"
#include "util/strbuf.h"

static int set_err(char **ret_err, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_err(char **ret_err, int r, const char *fmt, ...)
{
	va_list ap;

	if (ret_err) {
		va_start(ap, fmt);
		if (vasprintf(ret_err, fmt, ap) < 0)
			*ret_err = NULL;
		va_end(ap);
	}
	return r;
}

/* ---------------------------------------------------------------- JSON */

struct js {
	const char *s;
	size_t n, i;
};

struct span {
	size_t start, end; /* [start, end) in the text */
};

static void js_ws(struct js *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
			       j->s[j->i] == '\r'))
		j->i++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string at j->i ('"'); decoded into @dec when not NULL (non-ASCII escapes become '?',
 * which never equals the ASCII keys we compare with). */
static int js_string(struct js *j, struct strbuf *dec)
{
	if (j->i >= j->n || j->s[j->i] != '"')
		return -EINVAL;
	j->i++;
	while (j->i < j->n) {
		unsigned char c = (unsigned char)j->s[j->i++];
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -EINVAL;
		if (c != '\\') {
			if (dec)
				strbuf_appendc(dec, (char)c);
			continue;
		}
		if (j->i >= j->n)
			return -EINVAL;
		c = (unsigned char)j->s[j->i++];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u': {
			int v = 0;
			if (j->i + 4 > j->n)
				return -EINVAL;
			for (int k = 0; k < 4; k++) {
				int h = hexval(j->s[j->i++]);
				if (h < 0)
					return -EINVAL;
				v = v * 16 + h;
			}
			c = v > 0 && v < 0x80 ? (unsigned char)v : '?';
			break;
		}
		default:
			return -EINVAL;
		}
		if (dec)
			strbuf_appendc(dec, (char)c);
	}
	return -EINVAL;
}

static int js_digits(struct js *j)
{
	size_t start = j->i;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > start ? 0 : -EINVAL;
}

static int js_value(struct js *j, int depth);

static int js_container(struct js *j, int depth, char close)
{
	j->i++;
	js_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		int r;
		js_ws(j);
		if (close == '}') {
			if ((r = js_string(j, NULL)) < 0)
				return r;
			js_ws(j);
			if (j->i >= j->n || j->s[j->i] != ':')
				return -EINVAL;
			j->i++;
		}
		if ((r = js_value(j, depth + 1)) < 0)
			return r;
		js_ws(j);
		if (j->i >= j->n)
			return -EINVAL;
		if (j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->s[j->i] != close)
			return -EINVAL;
		j->i++;
		return 0;
	}
}

static int js_value(struct js *j, int depth)
{
	static const char *const lit[] = { "true", "false", "null" };

	if (depth > 64)
		return -EINVAL;
	js_ws(j);
	if (j->i >= j->n)
		return -EINVAL;
	switch (j->s[j->i]) {
	case '{':
		return js_container(j, depth, '}');
	case '[':
		return js_container(j, depth, ']');
	case '"':
		return js_string(j, NULL);
	default:
		break;
	}
	for (size_t k = 0; k < ARRAY_SIZE(lit); k++) {
		size_t l = strlen(lit[k]);
		if (j->n - j->i >= l && !memcmp(j->s + j->i, lit[k], l)) {
			j->i += l;
			return 0;
		}
	}
	if (j->s[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (js_digits(j) < 0)
		return -EINVAL;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (js_digits(j) < 0)
			return -EINVAL;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (js_digits(j) < 0)
			return -EINVAL;
	}
	return 0;
}

struct member {
	char *key;       /* decoded */
	struct span raw; /* the key's text, quotes included */
	struct span val; /* the value's text */
};

struct members {
	struct member *m;
	size_t n;
};

static void members_free(struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].key);
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
}

/* The members of the top-level object of @s (empty text: none). */
static int js_members(const char *s, size_t n, struct members *ret, char **ret_err)
{
	struct js j = { s, n, 0 };
	struct members ms = { 0 };
	int r = -EINVAL;

	js_ws(&j);
	if (j.i == n) {
		*ret = ms;
		return 0;
	}
	if (s[j.i] != '{')
		goto bad;
	j.i++;
	js_ws(&j);
	if (j.i < n && s[j.i] == '}') {
		j.i++;
		goto end;
	}
	for (;;) {
		struct strbuf key = { 0 };
		struct member *nm;
		struct span raw, val;

		js_ws(&j);
		raw.start = j.i;
		if (js_string(&j, &key) < 0) {
			strbuf_release(&key);
			goto bad;
		}
		raw.end = j.i;
		js_ws(&j);
		if (j.i >= n || s[j.i] != ':') {
			strbuf_release(&key);
			goto bad;
		}
		j.i++;
		js_ws(&j);
		val.start = j.i;
		if (js_value(&j, 1) < 0) {
			strbuf_release(&key);
			goto bad;
		}
		val.end = j.i;
		nm = realloc(ms.m, (ms.n + 1) * sizeof(*nm));
		if (!nm || !strbuf_ok(&key)) {
			if (nm)
				ms.m = nm;
			strbuf_release(&key);
			r = -ENOMEM;
			goto fail;
		}
		ms.m = nm;
		ms.m[ms.n].key = strbuf_steal(&key);
		if (!ms.m[ms.n].key)
			ms.m[ms.n].key = strdup("");
		ms.m[ms.n].raw = raw;
		ms.m[ms.n].val = val;
		ms.n++;
		js_ws(&j);
		if (j.i < n && s[j.i] == ',') {
			j.i++;
			continue;
		}
		if (j.i < n && s[j.i] == '}') {
			j.i++;
			break;
		}
		goto bad;
	}
end:
	js_ws(&j);
	if (j.i != n)
		goto bad;
	*ret = ms;
	return 0;
bad:
	r = set_err(ret_err, -EINVAL, "not a JSON object (syntax error at byte %zu)", j.i);
fail:
	members_free(&ms);
	return r;
}

/* The strings of the JSON array @v (text of one value); -EINVAL if it is not an array of
 * strings. */
static int js_string_array(const char *s, struct span v, char ***ret, struct span **ret_raw,
			   size_t *ret_n)
{
	struct js j = { s, v.end, v.start };
	char **out = NULL;
	struct span *raw = NULL;
	size_t n = 0;
	int r = -EINVAL;

	js_ws(&j);
	if (j.i >= j.n || s[j.i] != '[')
		goto fail;
	j.i++;
	js_ws(&j);
	if (j.i < j.n && s[j.i] == ']')
		goto done;
	for (;;) {
		struct strbuf dec = { 0 };
		size_t start;
		void *p;

		js_ws(&j);
		start = j.i;
		if (js_string(&j, &dec) < 0) {
			strbuf_release(&dec);
			goto fail;
		}
		if (!(p = realloc(out, (n + 1) * sizeof(*out)))) {
			strbuf_release(&dec);
			r = -ENOMEM;
			goto fail;
		}
		out = p;
		if (!(p = realloc(raw, (n + 1) * sizeof(*raw)))) {
			strbuf_release(&dec);
			r = -ENOMEM;
			goto fail;
		}
		raw = p;
		out[n] = strbuf_steal(&dec);
		if (!out[n])
			out[n] = strdup("");
		raw[n].start = start;
		raw[n].end = j.i;
		n++;
		js_ws(&j);
		if (j.i < j.n && s[j.i] == ',') {
			j.i++;
			continue;
		}
		if (j.i < j.n && s[j.i] == ']')
			break;
		goto fail;
	}
done:
	*ret = out;
	*ret_raw = raw;
	*ret_n = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		free(out[i]);
	free(out);
	free(raw);
	return r;
}

static size_t keylen(const char *opt)
{
	const char *eq = strchr(opt, '=');
	return eq ? (size_t)(eq - opt) : strlen(opt);
}

static bool same_key(const char *a, const char *b)
{
	size_t la = keylen(a), lb = keylen(b);
	return la == lb && !strncmp(a, b, la);
}

static void json_quote(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_appendc(sb, '\\');
		strbuf_appendc(sb, *s);
	}
	strbuf_appendc(sb, '"');
}

int cli_engine_docker_merge(const char *old, size_t len, const char *const *opts, size_t n_opts,
			    bool force, char **ret_text, bool *ret_changed, char **ret_err)
{
	struct members ms = { 0 };
	struct member *drv = NULL, *sopts = NULL;
	char **have = NULL;
	struct span *have_raw = NULL;
	size_t n_have = 0;
	bool changed = false;
	struct strbuf sb = { 0 };
	bool first = true;
	int r;

	if (!old)
		old = "", len = 0;
	if (memchr(old, '\0', len))
		return set_err(ret_err, -EINVAL, "not a JSON object (a NUL byte)");
	r = js_members(old, len, &ms, ret_err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ms.n; i++) {
		if (streq(ms.m[i].key, "storage-driver"))
			drv = &ms.m[i];
		else if (streq(ms.m[i].key, "storage-opts"))
			sopts = &ms.m[i];
	}
	if (drv) {
		struct js j = { old, drv->val.end, drv->val.start };
		struct strbuf v = { 0 };
		if (js_string(&j, &v) < 0) {
			r = set_err(ret_err, -EINVAL, "\"storage-driver\" is not a string");
		} else if (!streq(strbuf_str(&v), "devicemapper")) {
			changed = true;
			if (!force)
				r = set_err(ret_err, -EEXIST,
					    "\"storage-driver\" is \"%s\"; Docker would no longer see the "
					    "images and containers of that driver. Use --force to set "
					    "\"devicemapper\" anyway.",
					    strbuf_str(&v));
		}
		strbuf_release(&v);
		if (r < 0)
			goto out;
	} else {
		changed = true;
	}
	if (sopts && js_string_array(old, sopts->val, &have, &have_raw, &n_have) < 0) {
		if (!force) {
			r = set_err(ret_err, -EINVAL,
				    "\"storage-opts\" is not an array of strings; use --force to "
				    "replace it");
			goto out;
		}
		sopts = NULL; /* replaced below: its entries are dropped */
		changed = true;
	}
	for (size_t k = 0; k < n_opts; k++) {
		bool found = false;
		for (size_t i = 0; i < n_have; i++) {
			if (!same_key(have[i], opts[k]))
				continue;
			found = true;
			if (streq(have[i], opts[k]))
				continue;
			changed = true;
			if (!force) {
				r = set_err(ret_err, -EEXIST,
					    "\"storage-opts\" has \"%s\", thinbox setup wants \"%s\". "
					    "Use --force to replace it.",
					    have[i], opts[k]);
				goto out;
			}
		}
		if (!found)
			changed = true;
	}
	if (!changed) {
		*ret_text = strndup(old, len);
		*ret_changed = false;
		r = *ret_text ? 0 : -ENOMEM;
		goto out;
	}
	/* the other members first, as they were; then ours */
	strbuf_append(&sb, "{\n");
	for (size_t i = 0; i < ms.n; i++) {
		if (&ms.m[i] == drv || &ms.m[i] == sopts || streq(ms.m[i].key, "storage-opts"))
			continue;
		strbuf_append(&sb, "  ");
		strbuf_appendn(&sb, old + ms.m[i].raw.start, ms.m[i].raw.end - ms.m[i].raw.start);
		strbuf_append(&sb, ": ");
		strbuf_appendn(&sb, old + ms.m[i].val.start, ms.m[i].val.end - ms.m[i].val.start);
		strbuf_append(&sb, ",\n");
	}
	strbuf_append(&sb, "  \"storage-driver\": \"devicemapper\",\n  \"storage-opts\": [");
	for (size_t i = 0; i < n_have; i++) {
		bool ours = false;
		for (size_t k = 0; k < n_opts; k++)
			ours = ours || same_key(have[i], opts[k]);
		if (ours)
			continue;
		strbuf_append(&sb, first ? "\n    " : ",\n    ");
		strbuf_appendn(&sb, old + have_raw[i].start, have_raw[i].end - have_raw[i].start);
		first = false;
	}
	for (size_t k = 0; k < n_opts; k++) {
		strbuf_append(&sb, first ? "\n    " : ",\n    ");
		json_quote(&sb, opts[k]);
		first = false;
	}
	strbuf_append(&sb, "\n  ]\n}\n");
	if (!strbuf_ok(&sb)) {
		r = -ENOMEM;
		goto out;
	}
	*ret_text = strbuf_steal(&sb);
	*ret_changed = true;
	r = 0;
out:
	strbuf_release(&sb);
	for (size_t i = 0; i < n_have; i++)
		free(have[i]);
	free(have);
	free(have_raw);
	members_free(&ms);
	return r;
}

/* ---------------------------------------------------------------- TOML */

struct line {
	const char *s;
	size_t len; /* without the newline */
};

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A table header line "[a.b]" (not "[[array]]"), normalized: whitespace dropped and single
 * quotes made double, into @buf. */
static bool toml_header(struct line l, char *buf, size_t size)
{
	const char *p = skip_ws(l.s, l.s + l.len), *end = l.s + l.len;
	size_t o = 0;
	bool in_str = false;

	if (p >= end || *p != '[')
		return false;
	for (; p < end && o + 1 < size; p++) {
		char c = *p == '\'' ? '"' : *p;
		if (c == '"')
			in_str = !in_str;
		if (!in_str && (c == ' ' || c == '\t'))
			continue;
		if (!in_str && c == '#')
			break;
		buf[o++] = c;
	}
	buf[o] = '\0';
	return true;
}

/* "key = value" of line @l: the key (bare or quoted) and the value's text, comments and
 * trailing whitespace cut. */
static bool toml_keyval(struct line l, char *key, size_t ksize, const char **ret_val,
			size_t *ret_vlen)
{
	const char *p = skip_ws(l.s, l.s + l.len), *end = l.s + l.len, *v, *ve;
	size_t o = 0;

	if (p >= end || *p == '#' || *p == '[')
		return false;
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		while (p < end && *p != q && o + 1 < ksize)
			key[o++] = *p++;
		if (p >= end)
			return false;
		p++;
	} else {
		while (p < end && *p != '=' && *p != ' ' && *p != '\t' && o + 1 < ksize)
			key[o++] = *p++;
	}
	key[o] = '\0';
	p = skip_ws(p, end);
	if (p >= end || *p != '=')
		return false;
	v = skip_ws(p + 1, end);
	ve = end;
	if (v < end && (*v == '"' || *v == '\'')) {
		/* a one-line string: up to its closing quote */
		const char *q = v + 1;
		while (q < end && *q != *v) {
			if (*v == '"' && *q == '\\' && q + 1 < end)
				q++;
			q++;
		}
		ve = q < end ? q + 1 : end;
	} else {
		const char *h = memchr(v, '#', (size_t)(end - v));
		if (h)
			ve = h;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
	}
	*ret_val = v;
	*ret_vlen = (size_t)(ve - v);
	return true;
}

/* The decoded one-line string value, or the raw text when it is not a string. */
static char *toml_value_str(const char *v, size_t len)
{
	struct strbuf sb = { 0 };

	if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'')
		return strndup(v + 1, len - 2);
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		for (size_t i = 1; i + 1 < len; i++) {
			if (v[i] == '\\' && i + 2 < len)
				i++;
			strbuf_appendc(&sb, v[i]);
		}
		if (!strbuf_ok(&sb))
			return NULL;
		return strbuf_steal(&sb) ?: strdup("");
	}
	return strndup(v, len);
}

static void toml_quote(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_appendc(sb, '\\');
		strbuf_appendc(sb, *s);
	}
	strbuf_appendc(sb, '"');
}

int cli_engine_containerd_merge(const char *old, size_t len, const char *pool_name,
				const char *root_path, const char *base_image_size, bool force,
				char **ret_text, bool *ret_changed, char **ret_err)
{
	const char *keys[3] = { "pool_name", "root_path", "base_image_size" };
	const char *vals[3] = { pool_name, root_path, base_image_size };
	struct line *lines = NULL;
	size_t n = 0, hdr = SIZE_MAX, sect_end = 0, last_key = SIZE_MAX;
	size_t key_line[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX };
	bool key_ok[3] = { false, false, false };
	int version = 1;
	bool seen_table = false, changed = false;
	char want_v1[] = "[plugins.devmapper]";
	char want_v2[] = "[plugins.\"io.containerd.snapshotter.v1.devmapper\"]";
	const char *want;
	char buf[512], indent[64] = "";
	struct strbuf sb = { 0 };
	int r = 0;

	if (!old)
		old = "", len = 0;
	if (memchr(old, '\0', len))
		return set_err(ret_err, -EINVAL, "not a TOML file (a NUL byte)");
	if (len == 0) {
		strbuf_append(&sb, "version = 2\n\n[plugins]\n  ");
		strbuf_append(&sb, want_v2);
		for (int k = 0; k < 3; k++) {
			strbuf_appendf(&sb, "\n    %s = ", keys[k]);
			toml_quote(&sb, vals[k]);
		}
		strbuf_appendc(&sb, '\n');
		goto done;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(old + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (old + i)) : len - i;
		void *p = realloc(lines, (n + 1) * sizeof(*lines));
		if (!p) {
			r = -ENOMEM;
			goto out;
		}
		lines = p;
		lines[n].s = old + i;
		lines[n].len = l;
		n++;
		i += l + (nl ? 1 : 0);
	}
	/* version = N before the first table */
	for (size_t i = 0; i < n; i++) {
		char key[64];
		const char *v;
		size_t vl;
		if (toml_header(lines[i], buf, sizeof(buf))) {
			seen_table = true;
			continue;
		}
		if (!seen_table && toml_keyval(lines[i], key, sizeof(key), &v, &vl) &&
		    streq(key, "version"))
			version = (int)strtol(v, NULL, 10);
	}
	want = version >= 2 ? want_v2 : want_v1;
	for (size_t i = 0; i < n; i++) {
		if (!toml_header(lines[i], buf, sizeof(buf)))
			continue;
		if (hdr != SIZE_MAX) {
			sect_end = i;
			break;
		}
		if (streq(buf, want)) {
			const char *p = skip_ws(lines[i].s, lines[i].s + lines[i].len);
			size_t il = (size_t)(p - lines[i].s);
			hdr = i;
			sect_end = n;
			snprintf(indent, sizeof(indent), "%.*s", (int)(il < 60 ? il : 60),
				 lines[i].s);
		}
	}
	if (hdr != SIZE_MAX) {
		for (size_t i = hdr + 1; i < sect_end; i++) {
			char key[64];
			const char *v;
			size_t vl;
			if (!toml_keyval(lines[i], key, sizeof(key), &v, &vl))
				continue;
			last_key = i;
			for (int k = 0; k < 3; k++) {
				_cleanup_free_ char *s = NULL;
				if (!streq(key, keys[k]))
					continue;
				key_line[k] = i;
				s = toml_value_str(v, vl);
				if (!s) {
					r = -ENOMEM;
					goto out;
				}
				key_ok[k] = streq(s, vals[k]);
				if (!key_ok[k] && !force) {
					r = set_err(ret_err, -EEXIST,
						    "%s has %s = %s, thinbox setup wants \"%s\". Use "
						    "--force to replace it.",
						    want, keys[k], s, vals[k]);
					goto out;
				}
			}
		}
	}
	for (int k = 0; k < 3; k++)
		changed = changed || !key_ok[k];
	if (!changed) {
		*ret_text = strndup(old, len);
		*ret_changed = false;
		r = *ret_text ? 0 : -ENOMEM;
		goto out;
	}
	if (hdr == SIZE_MAX) {
		/* append the table */
		strbuf_appendn(&sb, old, len);
		if (old[len - 1] != '\n')
			strbuf_appendc(&sb, '\n');
		strbuf_appendc(&sb, '\n');
		strbuf_append(&sb, want);
		for (int k = 0; k < 3; k++) {
			strbuf_appendf(&sb, "\n  %s = ", keys[k]);
			toml_quote(&sb, vals[k]);
		}
		strbuf_appendc(&sb, '\n');
		goto done;
	}
	/* rewrite the table: wrong values replaced in place, missing keys after its last key */
	{
		size_t ins = last_key != SIZE_MAX ? last_key : hdr;
		for (size_t i = 0; i < n; i++) {
			bool replaced = false;
			for (int k = 0; k < 3; k++)
				if (key_line[k] == i && !key_ok[k]) {
					strbuf_appendf(&sb, "%s  %s = ", indent, keys[k]);
					toml_quote(&sb, vals[k]);
					strbuf_appendc(&sb, '\n');
					replaced = true;
				}
			if (!replaced) {
				strbuf_appendn(&sb, lines[i].s, lines[i].len);
				if (lines[i].s + lines[i].len < old + len)
					strbuf_appendc(&sb, '\n');
				else if (i == ins)
					strbuf_appendc(&sb, '\n');
			}
			if (i == ins)
				for (int k = 0; k < 3; k++)
					if (key_line[k] == SIZE_MAX) {
						strbuf_appendf(&sb, "%s  %s = ", indent, keys[k]);
						toml_quote(&sb, vals[k]);
						strbuf_appendc(&sb, '\n');
					}
		}
	}
done:
	if (!strbuf_ok(&sb)) {
		r = -ENOMEM;
		goto out;
	}
	*ret_text = strbuf_steal(&sb);
	*ret_changed = true;
	r = 0;
out:
	strbuf_release(&sb);
	free(lines);
	return r;
}
