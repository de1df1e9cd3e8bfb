/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "core/store/store.h"
#include "metadata/md.h"

/* lvextend/lvresize --resizefs (core/activate/resizefs.c): check that @lv is active and carries a
 * filesystem thinbox can grow (ext2/3/4; XFS when mounted), before anything changes; then,
 * after the LV grew, grow it (resize2fs, after e2fsck -f -p when unmounted; xfs_growfs). */
struct tb_lv_fs {
	char path[300]; /* /dev/mapper/<dm name> */
	char type[32];
	bool mounted;
	char mnt[4096];
};
int tb_lv_fs_check(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv, struct tb_lv_fs *ret);
int tb_lv_fs_resize(struct tb_cmd *c, const struct tb_lv_fs *fs);
