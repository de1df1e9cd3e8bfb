/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Activation: the VG model -> device-mapper tables, the way lvm2 2.03 names and loads them
 * (see docs/activation.md): dm names "<vg>-<lv>[-layer]" with '-' doubled, uuids
 * "LVM-<vgid><lvid>[-suffix]", linear tables over PV extents, a new pool as one thin-pool
 * device, a used pool as "-tpool" plus a read-only linear public device, thin LVs over -tpool.
 */
#pragma once

#include "core/activate/lvstate.h"
#include "core/store/store.h"
#include "kernel-iface/dmk.h"

/* Activate @lv and what it needs (pool sub-LVs, the pool for a thin LV). Idempotent. */
int tb_lv_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv);
/* Deactivate @lv (and, for a pool, its sub-devices; for a thin LV, the pool when no other
 * thin LV is active and the pool LV itself is not). -EBUSY if open: nothing changes. */
int tb_lv_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv);
int tb_vg_deactivate_all(struct tb_cmd *c, struct tb_vg *vg);
/* Send the pool's queued messages to the kernel (transaction-id protocol) and drop them from
 * the model; the caller commits the VG (when the pool had messages). The pool is activated
 * first. @flags: TB_APPLY_FRESH = the messages were queued by this command a moment ago (never
 * take a device id found in the pool as already done: that is another program's); without it,
 * messages left by an interrupted command are reconciled with the pool's metadata (see
 * docs/activation.md). *ret_untouched (may be NULL): the failure left the kernel pool as it
 * was (no message reached it), so the caller may roll the VG back. */
#define TB_APPLY_FRESH 1u
int tb_pool_send_messages(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, unsigned flags,
			  bool *ret_untouched);
/* Reload an active pool's table (after growing _tdata/_tmeta, or new features). */
int tb_pool_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool);
/* Reload an active linear LV's table (after lvextend). */
int tb_lv_reload(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv);
/* Zero the first @bytes of an active LV (0: all of it). */
int tb_lv_zero(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, uint64_t bytes);
/* Wipe known signatures at the start of an active LV (lvcreate --wipesignatures). */
int tb_lv_wipe_signatures(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv);
/* After @lv (a thin pool with its sub-LVs, or any other LV) was renamed in @vg from
 * @old_vg (NULL: the same VG)/@old_name: rename its active devices (found by uuid) and move /dev/<vg>/ links, as lvm2's
 * lvrename of an active LV does. Nothing to do when inactive. */
int tb_lv_rename_devices(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, const char *old_vg,
			 const char *old_name);

/* ---- COW snapshots (docs/cow-snapshots.md) ---- */
/* Activate / deactivate an origin with all its snapshots (lvm2 activates them together). */
int tb_cow_origin_activate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin);
int tb_cow_origin_deactivate(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *origin);
/* Remove the devices of snapshot @cow of @origin; with @n_left 0 (it was the last) a live
 * origin is reloaded as a plain LV and its -real device removed. */
int tb_cow_snapshot_release(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow,
			    struct md_lv *origin, size_t n_left);
/* Clear the first 4 KiB of a new COW store (still a plain LV): activates it, writes, drops. */
int tb_cow_zero_header(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *cow);
