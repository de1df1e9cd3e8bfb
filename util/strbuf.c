/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static bool grow(struct strbuf *sb, size_t extra)
{
	if (sb->failed)
		return false;
	if (extra >= (size_t)-1 - sb->len) { /* len + extra + 1 would wrap */
		sb->failed = true;
		return false;
	}
	if (sb->len + extra + 1 <= sb->cap)
		return true;
	size_t ncap = sb->cap ? sb->cap : 64;
	while (ncap < sb->len + extra + 1) {
		if (ncap > ((size_t)-1) / 2) {
			sb->failed = true;
			return false;
		}
		ncap *= 2;
	}
	char *n = realloc(sb->buf, ncap);
	if (!n) {
		sb->failed = true;
		return false;
	}
	sb->buf = n;
	sb->cap = ncap;
	return true;
}

bool strbuf_reserve(struct strbuf *sb, size_t extra)
{
	return grow(sb, extra);
}

bool strbuf_reserve_aligned(struct strbuf *sb, size_t extra, size_t align)
{
	void *n;

	if (sb->failed)
		return false;
	if (sb->len || extra == (size_t)-1 || extra + 1 <= sb->cap)
		return grow(sb, extra);
	if (posix_memalign(&n, align, extra + 1) != 0) {
		sb->failed = true;
		return false;
	}
	free(sb->buf);
	sb->buf = n;
	sb->cap = extra + 1;
	sb->buf[0] = '\0';
	return true;
}

void strbuf_appendn_slow(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->failed || (sb->len + n + 1 > sb->cap && !grow(sb, n)))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_appendc_slow(struct strbuf *sb, char c)
{
	if (sb->failed || (sb->len + 2 > sb->cap && !grow(sb, 1)))
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (!grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vappendf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *strbuf_steal(struct strbuf *sb)
{
	char *r;
	if (sb->failed) {
		strbuf_release(sb);
		return NULL;
	}
	r = sb->buf ? sb->buf : strdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return r;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	*sb = (struct strbuf){ 0 };
}

void strbuf_append_quoted(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	for (;;) { /* runs without a byte to escape, found by strcspn (ids, names: one run) */
		size_t k = strcspn(s, "\"\\");
		strbuf_appendn(sb, s, k);
		s += k;
		if (!*s)
			break;
		strbuf_appendc(sb, '\\');
		strbuf_appendc(sb, *s++);
	}
	strbuf_appendc(sb, '"');
}
