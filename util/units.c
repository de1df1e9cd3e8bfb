/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "util/macros.h"
#include "util/units.h"

void units_display_size(uint64_t sectors, char *buf, size_t len)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)sectors / 2.0;
	size_t i = 0;
	double rounded;

	while (v >= 1024.0 && i + 1 < ARRAY_SIZE(u)) {
		v /= 1024.0;
		i++;
	}
	rounded = (double)(uint64_t)(v * 100.0 + 0.5) / 100.0;
	snprintf(buf, len, "%s%.2f %s", rounded > v + 1e-9 ? "<" : "",
		 rounded > v + 1e-9 ? (double)(uint64_t)(v * 100.0) / 100.0 : rounded, u[i]);
}
