/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "lvmfmt/err.h"

void lvf_err_set(struct lvf_err *err, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}
