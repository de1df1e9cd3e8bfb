/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "lvmfmt/err.h"

static _printf_(3, 0) void vset(struct lvf_err *e, uint64_t offset, const char *fmt, va_list ap)
{
	e->line = 0;
	e->column = 0;
	e->offset = offset;
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
}

int lvf_err_set(struct lvf_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return errnum;
	va_start(ap, fmt);
	vset(e, UINT64_MAX, fmt, ap);
	va_end(ap);
	return errnum;
}

int lvf_err_set_at(struct lvf_err *e, int errnum, uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return errnum;
	va_start(ap, fmt);
	vset(e, offset, fmt, ap);
	va_end(ap);
	return errnum;
}

void lvf_err_set_pos(struct lvf_err *e, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vset(e, UINT64_MAX, fmt, ap);
	va_end(ap);
	e->line = line;
	e->column = column;
}
