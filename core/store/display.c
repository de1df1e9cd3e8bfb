/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's display forms shared by the commands and the policy messages. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "core/store/store.h"

int tb_vg_no_space(struct tb_ctx *ctx, const struct tb_vg *vg, uint64_t need)
{
	return tb_fail(ctx, -ENOSPC,
		       "Volume group \"%s\" has insufficient free space (%" PRIu64
		       " extents): %" PRIu64 " required.",
		       vg->md->name, md_vg_free_count(vg->md), need);
}
