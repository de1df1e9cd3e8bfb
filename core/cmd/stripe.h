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
/* lvcreate --type thin-pool -i N: tools/lvcreate.c's rounding of a percentage down to whole
 * stripes (with its note), done before the pool's metadata is sized. The new @ext. */
uint64_t tb_pool_stripe_round_down(struct tb_ctx *ctx, const struct tb_vg *vg,
				   const struct tb_lvcreate_opts *o, uint64_t ext);
/* lvcreate --type thin-pool -i N: lvm2's stripe-size reduction, rounding up to whole stripes,
 * PV-count and free-space checks (with their messages), the metadata spare first as lvm2
 * allocates it, then @ext extents of striped @data (a percentage: at most what fits) and
 * @meta_ext of linear @meta. 0 or -errno. */
int tb_pool_alloc_striped(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *data,
			  struct md_lv *meta, uint64_t ext, uint32_t meta_ext,
			  const struct tb_lvcreate_opts *o, struct md_pv *const *pvs, size_t n_pvs);

/* The geometry of an extension: @stripes areas of @stripe_size sectors; @use: allocate it
 * with the striped allocator (more than one stripe, or a striped last segment). */
struct tb_stripe_geom {
	uint32_t stripes, stripe_size;
	bool use;
};
/* lvextend [-i N] [-I SIZE] of @lv (a pool's data LV for a pool): the new segment's geometry
 * as lvm2 picks it (given, or the segments'; its notes and its refusal when the segments
 * differ and -i/-I are not given). @stripes/@stripe_size 0: not given. 0 or -EINVAL. */
int tb_striped_resize_geom(struct tb_ctx *ctx, const struct md_lv *lv, uint32_t stripes,
			   uint32_t stripe_size, struct tb_stripe_geom *g);
/* Round *@new_ext (from @cur) to whole stripes of @g as lvm2, with its note: up, or down for
 * a percentage (@percent) that does not fit. 0 or -EINVAL (a stripe size below 4 KiB). */
int tb_striped_resize_round(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_stripe_geom *g,
			    bool percent, uint32_t cur, uint64_t *new_ext);
/* Extend @lv (a pool: its data) by @add extents (a multiple of @g's stripes) with @g;
 * @approx (a percentage of the free space, lvm2's approx_alloc): at most @add, as much as
 * the PVs hold. */
int tb_striped_resize_extend(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv,
			     const struct tb_stripe_geom *g, uint32_t add, bool approx);
