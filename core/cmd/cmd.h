/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core/cmd/: what the command files share among themselves (the top folder of core/). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/store/store.h"
#include "metadata/md.h"

/* The first signature other than LVM2's libblkid finds on @path, not wiped (core/cmd/pvvg.c).
 * Returns how many it found (0: none) and names the first in @ret_type. */
int tb_probe_signatures(struct tb_ctx *ctx, const char *path, char *ret_type, size_t len,
			uint64_t *ret_off);

/* --deltag then --addtag on a tag list (lvm2 change_tag); -EINVAL with lvm2's message for an
 * invalid tag (tags.c). */
struct tb_tags;
int tb_tags_apply(struct tb_ctx *ctx, md_strv *v, const struct tb_tags *t);
/* vgchange --setautoactivation: the VG's NOAUTOACTIVATE flag (@yn 'y' or 'n'). */
int tb_vg_set_autoactivation(struct md_vg *vg, char yn);

/* The LV commands' shared steps (lvcmds.c). tb_lvcmd_start: root check, the command's lock
 * and the VG read for writing; tb_lvcmd_finish ends what it began. */
int tb_lvcmd_start(struct tb_ctx *ctx, struct tb_cmd *c, const char *name, const char *vgname,
		   struct tb_vg **vg);
void tb_lvcmd_finish(struct tb_cmd *c, struct tb_vg *vg);
/* The LV @name of @vg, or NULL with lvm2's "Failed to find logical volume" in *r. */
struct md_lv *tb_lv_need(struct tb_ctx *ctx, struct tb_vg *vg, const char *name, int *r);
/* Extents for a size argument; @origin_extents for %ORIGIN. */
struct tb_size;
int tb_size_to_extents(struct tb_ctx *ctx, const struct tb_vg *vg, const struct tb_size *s,
		       uint32_t origin_extents, uint64_t *ret);
/* -EIO when @pool's kernel pool is failed or needs a check, -EINVAL when its transaction id
 * is not the VG's (another program manages thin devices in it); 0 otherwise or when inactive. */
int tb_pool_kernel_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool);
/* Send @pool's queued messages (activate/) and commit the VG that no longer queues them. */
int tb_pool_commit_messages(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, unsigned flags,
			    bool *ret_untouched);
/* -EBUSY with lvm2's message when @lv is open; *ret_active: whether it is active. */
int tb_lv_open_check(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *lv, bool *ret_active);

/* Undo an lvcreate whose kernel step failed: the LV (a raid LV with its sub-LVs) dropped and
 * the VG committed again, the failure's message kept (lvcmds.c). */
void tb_lv_revert_create(struct tb_cmd *c, struct tb_vg *vg, const char *name);
/* A new LV's creation time and host (lvcmds.c). */
void tb_lv_stamp(struct md_lv *lv);
/* lvm2's over-provisioning warnings for a new or extended @lv, before the commit: when the
 * thin LVs' virtual sizes exceed their pools (@lv's pool first, then all pools of the VG) and
 * nothing is set to grow the pools in time (lvcmds.c). */
void tb_thin_overprovision_warn(struct tb_ctx *ctx, struct tb_vg *vg, const struct md_lv *lv);
/* What lvcreate's -p, -k, --setautoactivation and --addtag set on a new LV (lvcmds.c). */
struct tb_lvcreate_opts;
int tb_lv_new_attrs(struct tb_ctx *ctx, struct tb_vg *vg, struct md_lv *lv,
		    const struct tb_lvcreate_opts *o);
