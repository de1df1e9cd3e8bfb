/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* raid1 LVs: lvcreate --type raid1 -m N [--nosync] [-R SIZE], lvextend, lvremove and lvrename
 * of raid1 LVs, with lvm2 2.03.16's messages (docs/raid1.md). */
#pragma once

#include "core/cmd/cmd.h"

/* lvcreate of raid1 LV @name of @ext extents (@o->mirrors + 1 images) from @pvs (n_pvs 0:
 * any). Commits, activates and wipes as lvcreate does; a refused call changes nothing. */
int tb_lvcreate_raid1(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		      const char *name, uint64_t ext, struct md_pv *const *pvs, size_t n_pvs);
/* lvextend of raid1 LV @lv by @add extents (each image on its own PVs); no commit. Sets
 * @c->raid_nosync for the reload when @lv is NOTSYNCED (it must then be active). */
int tb_raid_extend(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, uint32_t add,
		   struct md_pv *const *pvs, size_t n_pvs);
