/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "util/macros.h"
#include "util/units.h"

void units_display_size(uint64_t sectors, char *buf, size_t len)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned __int128 bytes100 = (unsigned __int128)sectors * 512 * 100, byte = 1024, h, rem;
	size_t i = 0;

	while (bytes100 >= (unsigned __int128)byte * 1024 * 100 && i + 1 < ARRAY_SIZE(u)) {
		byte *= 1024;
		i++;
	}
	/* lvm2 2.03.16 (dm_size_to_string, as cli/report.c): the nearest hundredth, marked "<"
	 * when that rounded it up; measured: UINT32_MAX sectors is "<2.00 TiB". Integers only:
	 * a double's error hid that last rounding. */
	h = bytes100 / byte;
	rem = bytes100 % byte;
	if (rem && 2 * rem >= byte)
		h++;
	snprintf(buf, len, "%s%llu.%02llu %s", rem && 2 * rem >= byte ? "<" : "",
		 (unsigned long long)(h / 100), (unsigned long long)(h % 100), u[i]);
}
