/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error detail for lvmfmt decoders and parsers: the function returns -errno, and when it
 * gives up on bad data it also fills a struct lvf_err (if the caller passed one) with a
 * human-readable reason (the reason only, without the position). Text parsers fill line and
 * column (1-based; print as "line %u: %s"); binary decoders leave them 0 and set `offset`
 * (bytes from the start of the device, or UINT64_MAX when unknown). `msg` and `message` are
 * the same buffer. */
#pragma once

#include <stdint.h>

#include "util/macros.h"

struct lvf_err {
	unsigned line;
	unsigned column;
	uint64_t offset;
	union {
		char message[256];
		char msg[256];
	};
};

/* Fill @e (may be NULL) with a printf-style message and return @errnum (a negative errno),
 * so decoders can `return lvf_err_set(reterr, -EBADMSG, "...")`. line/column are zeroed and
 * offset set to UINT64_MAX. Since: 0.1 */
int lvf_err_set(struct lvf_err *e, int errnum, const char *fmt, ...) _printf_(3, 4);
/* Same, with a byte offset on the device. Since: 0.1 */
int lvf_err_set_at(struct lvf_err *e, int errnum, uint64_t offset, const char *fmt, ...)
	_printf_(4, 5);
/* For text: position and reason (NULL-safe). Since: 0.1 */
void lvf_err_set_pos(struct lvf_err *e, unsigned line, unsigned column, const char *fmt, ...)
	_printf_(4, 5);
