/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable NUL-terminated string buffer. On allocation failure the buffer is marked
 * failed and further appends are no-ops; check strbuf_ok() once at the end. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "util/macros.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

/* the growing (or failed) case of strbuf_appendn and strbuf_appendc */
void strbuf_appendn_slow(struct strbuf *sb, const char *s, size_t n);
void strbuf_appendc_slow(struct strbuf *sb, char c);
/* inline when there is room: a large VG's text is millions of short appends */
static inline void strbuf_appendn(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->failed || sb->len + n + 1 > sb->cap) {
		strbuf_appendn_slow(sb, s, n);
		return;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}
/* inline: the length of a literal is known at compile time */
static inline void strbuf_append(struct strbuf *sb, const char *s)
{
	strbuf_appendn(sb, s, strlen(s));
}
void strbuf_appendf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
void strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap) _printf_(2, 0);
static inline void strbuf_appendc(struct strbuf *sb, char c)
{
	if (sb->failed || sb->len + 2 > sb->cap) {
		strbuf_appendc_slow(sb, c);
		return;
	}
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}
/* Append @s double-quoted with '"' and '\\' backslash-escaped: lvm2's config and metadata
 * text string syntax (the one escaper of lvmfmt/ and core/). */
void strbuf_append_quoted(struct strbuf *sb, const char *s);
void strbuf_reset(struct strbuf *sb);
/* Make room for @extra more bytes (one allocation for a text whose size is known ahead);
 * false when out of memory (the buffer is then failed). */
bool strbuf_reserve(struct strbuf *sb, size_t extra);
/* strbuf_reserve of an empty buffer whose new room starts on an @align boundary (a power of
 * two; a text written with O_DIRECT from where it is). Still free()d as ever; a later growth
 * may lose the alignment. A buffer with text, or with the room already, is left as it is. */
bool strbuf_reserve_aligned(struct strbuf *sb, size_t extra, size_t align);
static inline bool strbuf_ok(const struct strbuf *sb)
{
	return !sb->failed;
}
/* Return the string (never NULL unless failed) and reset @sb; caller frees. */
char *strbuf_steal(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
static inline const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
