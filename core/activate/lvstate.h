/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the kernel has for an LV, looked up by uuid: the dm names and uuids lvm2 2.03 gives an
 * LV's devices (see docs/activation.md), whether they exist and their targets' status. Read
 * only: nothing here changes the kernel. activate.c, pooltruth.c and resizefs.c build on it;
 * it calls no other file of core/activate/ (docs/architecture.md "The core DAG").
 */
#pragma once

#include "core/store/store.h"
#include "kernel-iface/dmk.h"

/* What the kernel has for an LV (looked up by uuid). */
struct tb_lv_state {
	bool active;          /* the LV's own device exists */
	struct dmk_info info; /* of the LV's own device */
	bool pool_active;     /* thin pools: the thin-pool target (-tpool uuid) exists */
	struct dmk_info pool_info;
	bool has_pool_status;
	struct dmk_thin_pool_status pool_status;
	bool has_thin_status;
	struct dmk_thin_status thin_status;
	/* a COW snapshot (tb_cow_state): its snapshot target's status */
	bool has_snap_status, snap_invalid, snap_merge_failed;
	uint64_t snap_used, snap_total, snap_meta; /* sectors */
	bool has_raid_status; /* raid LVs: dm-raid's status of the LV's device */
	struct dmk_raid_status raid_status;
};

/* dm name / uuid of @lv with @layer ("tpool", "tdata" ... or NULL). Caller frees. */
int tb_lv_dm_name(const struct md_vg *vg, const struct md_lv *lv, const char *layer, char **ret);
int tb_lv_dm_uuid(const struct md_vg *vg, const struct md_lv *lv, const char *suffix, char **ret);

/* For a read-only report of many LVs: list the kernel's devices once (DM_LIST_DEVICES) so
 * that tb_lv_state_get asks the kernel only about LVs whose uuid is in the list, instead of
 * one DM_DEV_STATUS per LV (issue 13). No-op without device-mapper or when the kernel does
 * not report uuids. End it before anything that changes the kernel's devices. */
void tb_dm_snapshot_begin(struct tb_ctx *ctx);
void tb_dm_snapshot_end(struct tb_ctx *ctx);
int tb_lv_state_get(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *lv,
		    struct tb_lv_state *ret);

/* Kernel names of a pool's devices. A pool with transaction id 0 and no thin LV is "new": its
 * thin-pool target is the public device itself (name vg-pool, uuid -tpool). */
bool tb_pool_is_new(const struct md_vg *vg, const struct md_lv *pool);
/* Look up the device of @lv with uuid suffix @suffix (NULL: none) by uuid: 1 and *ret filled
 * when it exists; 0 when it does not, when there is no device-mapper, or when a report's device
 * list (tb_dm_snapshot_begin) does not hold the uuid; -errno when device-mapper cannot be asked
 * (the context's message names the LV). */
int tb_lv_find(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *lv,
	       const char *suffix, struct dmk_info *ret);
/* uuid suffix of an LV's own device */
const char *tb_lv_own_suffix(const struct md_vg *vg, const struct md_lv *lv);
/* Fill @st's snapshot status for an active COW store. */
void tb_cow_state(struct tb_ctx *ctx, const struct md_lv *lv, struct tb_lv_state *st);
