/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Old-style (COW) snapshots of linear and striped LVs (lvcreate -s with a size, lvremove,
 * activation, lvresize refusals) with lvm2 2.03.16's checks and messages; docs/cow-snapshots.md.
 * The model is metadata/cow.c, the devices core/activate/activate.c (tb_cow_*). */
#pragma once

#include "core/cmd/cmd.h"

/* lvcreate -s ORIGIN -L/-l: the origin (must be linear or striped), the chunk size (-c, else
 * 4 KiB) and the COW store's extents from @ext (or N%ORIGIN when @pct_origin), reduced to
 * lvm2's maximum usable size with its note; the minimum-chunks check. 0 or -errno. */
int tb_cow_prepare(struct tb_ctx *ctx, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		   uint64_t ext, struct md_lv **ret_origin, uint32_t *ret_chunk, uint64_t *ret_ext);
/* @cow: the new COW store, allocated and not committed. Clears its header, makes it the
 * snapshot of @origin, commits, and brings the snapshot up when the origin is active (even
 * with -an; a snapshot of an inactive origin stays inactive, as lvm2). On a kernel failure
 * the VG is put back. 0 or -errno. */
int tb_cow_finish(struct tb_cmd *c, struct tb_vg *vg, const struct tb_lvcreate_opts *o,
		  struct md_lv *origin, struct md_lv *cow, uint32_t chunk);
/* lvremove of COW store @cow: its devices go (the origin reloaded plain after the last), then
 * the snapshot and the store, committed. 0 or -errno. */
int tb_cow_remove(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow);
/* lvremove of an origin: active and without @force, lvm2's prompt answered no (-EBUSY);
 * else the snapshots first, each with its "successfully removed" line. 0 when all went. Of an
 * active COW store without @force: lvm2's prompt for it answered no (-EBUSY). */
int tb_cow_remove_snapshots(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin, bool force);
/* What lvresize/lvextend cannot do to @lv: an active origin with snapshots is refused with
 * lvm2's message (an inactive one is extended; its snapshots keep their length). A COW store
 * grows like a linear LV. @size: the size asked for, N%ORIGIN of a COW store turned into
 * extents of its origin (lvm2 rounds up); N%ORIGIN of any other LV is refused. 0 or -errno. */
int tb_cow_resize_check(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv,
			struct tb_size *size);
/* A COW store grown past what it can use is cut to lvm2's cow_max_extents ("Reached maximum
 * COW size"); 1 when that leaves it as it was (lvm2's "unchanged" lines printed: nothing more
 * to do, success), else 0. */
int tb_cow_resize_cap(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv, uint32_t cur,
		      uint64_t *new_ext);
