/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error report shared by every lvmfmt parser and decoder: where the input went wrong and why.
 * Text parsers fill line and column (1-based); binary decoders leave them 0 and name the field
 * in msg. msg is the reason only, without the position, e.g. "expected '=' after key 'seqno'";
 * print it as "line %u: %s". */
#pragma once

#include "util/macros.h"

struct lvf_err {
	unsigned line, column;
	char msg[200];
};

/* Fill @err (NULL-safe): position and a printf-style reason, truncated to fit. Since: 0.1 */
void lvf_err_set(struct lvf_err *err, unsigned line, unsigned column, const char *fmt, ...)
	_printf_(4, 5);
