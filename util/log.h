/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The log callback type shared by the layers that log (core/, via ctx). Library code never
 * prints: it calls the sink it was given, which may be NULL (then nothing is logged). */
#pragma once

#include <stdarg.h>
#include <syslog.h>

typedef void (*tb_log_fn)(void *userdata, int priority, const char *file, int line, const char *fn,
			  const char *format, va_list args);
