/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers every command file uses (outside main.c, so unit tests can link them). */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("  ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
