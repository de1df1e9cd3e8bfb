/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Zeroing an LV's extents straight on its PVs, without device-mapper (docs/crash.md). */
#pragma once

#include "core/store/store.h"

/* Write zeros over every extent of @lv (linear or striped segments over PVs) through the PV
 * devices of @vg, then flush them. Needs no kernel device, so it can run before the LV is
 * committed: a command killed during the zeroing leaves neither a half-made device nor a
 * committed LV that points at stale bytes. Returns 0 or -errno (with the error set). */
int tb_lv_zero_on_pvs(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv);
