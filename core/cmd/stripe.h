/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Striped LVs: lvcreate -i/-I and lvextend of a striped LV, with lvm2 2.03.16's messages. */
#pragma once

#include "core/cmd/cmd.h"

/* The LV's last segment has several stripes (lvextend keeps that geometry). */
bool tb_lv_striped(const struct md_lv *lv);
/* lvcreate -i N (N > 1): lvm2's stripe-size reduction, rounding of *@ext up to a multiple of
 * N, the PV-count and free-space checks, then the allocation into @lv. 0 or -errno with
 * lvm2's message (-ENOSPC, -EINVAL). @pvs/@n_pvs: the PVs to use (n_pvs 0: any). */
int tb_lv_alloc_striped(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv, uint64_t ext,
			const struct tb_lvcreate_opts *o, struct md_pv *const *pvs, size_t n_pvs);
/* lvextend of a striped LV: rounds *@new_ext up to the stripe boundary as lvm2 (with its
 * note). 0 or -errno. */
int tb_striped_round(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv, uint32_t cur,
		     uint64_t *new_ext);
/* lvextend of a striped LV by @add extents (a multiple of its stripes): same geometry. */
int tb_striped_extend(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv, uint32_t add);
