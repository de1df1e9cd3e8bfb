/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's display forms shared by the commands and the policy messages. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "core/store/store.h"

/* lvm2's display_size for messages: "40.00 MiB", "<3.86 GiB". */
void tb_display_size(uint64_t sectors, char *buf, size_t len)
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

int tb_vg_no_space(struct tb_ctx *ctx, const struct tb_vg *vg, uint64_t need)
{
	return tb_fail(ctx, -ENOSPC,
		       "Volume group \"%s\" has insufficient free space (%" PRIu64
		       " extents): %" PRIu64 " required.",
		       vg->md->name, md_vg_free_count(vg->md), need);
}
