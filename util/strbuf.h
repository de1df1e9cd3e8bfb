/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable NUL-terminated string buffer. On allocation failure the buffer is marked
 * failed and further appends are no-ops; check strbuf_ok() once at the end. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/macros.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

void strbuf_append(struct strbuf *sb, const char *s);
void strbuf_appendn(struct strbuf *sb, const char *s, size_t n);
void strbuf_appendf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
void strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap) _printf_(2, 0);
void strbuf_appendc(struct strbuf *sb, char c);
/* Append @s double-quoted with '"' and '\\' backslash-escaped: lvm2's config and metadata
 * text string syntax (the one escaper of lvmfmt/ and core/). */
void strbuf_append_quoted(struct strbuf *sb, const char *s);
void strbuf_reset(struct strbuf *sb);
/* Make room for @extra more bytes (one allocation for a text whose size is known ahead);
 * false when out of memory (the buffer is then failed). */
bool strbuf_reserve(struct strbuf *sb, size_t extra);
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
