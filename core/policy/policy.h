/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core/policy/: the autoextend policy (autoextend.c) and the staged extension (stage.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/store/store.h"
#include "metadata/md.h"

struct dmk_thin_pool_status;

/* The autoextend step (lvextend --use-policies, and the monitor): with @vg read for writing
 * under its lock, grow @pool's data and/or metadata by the policy amount when their usage is
 * at or above the threshold (at least percent %, more to get back under it), commit, then
 * reload the pool. A size committed earlier but not yet live in the kernel (a crash between
 * commit and reload) is loaded first, without allocating more. @partial: when the VG has
 * less free space than the policy wants, take what there is (the monitor) instead of
 * failing (lvm2's lvextend). Returns 0 (ret says what happened; nothing to do is 0 too),
 * -ENOSPC when growth is wanted but the VG has no free extent or the cap is reached, -EIO
 * for a failed/needs_check/read-only pool (never touched), other -errno. */
struct tb_autoextend_result {
	bool data_wanted, meta_wanted; /* usage was at/over the threshold */
	bool capped, vg_short;         /* limited by the cap / by free extents */
	bool reloaded_only;            /* a pending committed size was made live */
	uint32_t data_old, data_new;   /* extents */
	uint32_t meta_old, meta_new;
};
/* Why an extension could not be done (-ENOSPC): the threshold side and the limit hit. */
struct tb_autoextend_err {
	bool data_wanted, capped, vg_short;
};
/* *ret is written only on success; on -ENOSPC @reterr (may be NULL) says why. */
int tb_pool_autoextend(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, bool partial,
		       struct tb_autoextend_result *ret, struct tb_autoextend_err *reterr);
/* lvm2's "Size of logical volume ... changed" and "successfully resized" lines for @res. */
void tb_resize_notices(struct tb_ctx *ctx, const struct tb_vg *vg, const struct md_lv *pool,
		       const struct tb_autoextend_result *res);
/* Extents to add to @cur so that @used_sectors is back under @threshold %, at least @percent %
 * of @cur (lvm2's policy amount). */
uint64_t tb_policy_add(uint64_t cur, uint64_t used_sectors, uint32_t es, int64_t threshold,
		       int64_t percent);
/* A size committed in the VG is not live in the kernel yet (a crash between commit and
 * reload): the kernel's data or metadata device is smaller than the VG says. */
bool tb_pool_size_pending(const struct md_vg *vg, const struct md_lv *pool,
			  const struct dmk_thin_pool_status *st);
/* @used of @total is at or over @threshold % (false when @total is 0). */
bool tb_usage_at_or_over(uint64_t used, uint64_t total, int64_t threshold);
/* The active pool's status without a metadata commit; -ENXIO when it is not active. */
int tb_pool_status_now(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
		       struct dmk_thin_pool_status *ret);

/* ---- a pool extension staged ahead (core/policy/stage.c; the monitor's fast path) ----
 * While a pool is under its threshold, the monitor prepares its next policy extension: the
 * extents allocated in a private copy of the VG and that VG's text written (and flushed)
 * after the committed copy in every metadata area, no header changed, so nothing is visible
 * to any reader. When the pool crosses the threshold, tb_pool_stage_apply takes the VG lock,
 * checks that nothing changed since (every mda header as it was, every staged copy intact,
 * the kernel pool the size staged against, the amount still enough), commits with one header
 * write per area, reloads the pool, then flushes. Anything else: the ordinary path. */
struct tb_pool_stage;
/* Stage the next extension of @vgname/@lvname. *ret = NULL (and 0) when there is nothing to
 * stage: policy off, the pool not active or not healthy, already over its threshold, the
 * amount capped or more than the VG has free (those go through the ordinary path, which says
 * so). */
int tb_pool_stage_prepare(struct tb_ctx *ctx, const char *vgname, const char *lvname,
			  struct tb_pool_stage **ret);
/* Unlocked hint: every mda header is as it was when staged (else the stage is useless). */
bool tb_pool_stage_fresh(struct tb_pool_stage *s);
/* With @st the pool's status just read: 1 = committed and reloaded (*ret filled), 0 = the
 * stage no longer fits (nothing written: use tb_pool_autoextend), <0 = failed after or while
 * committing (the VG may hold the new size; tb_pool_autoextend makes it live later). */
int tb_pool_stage_apply(struct tb_ctx *ctx, struct tb_pool_stage *s,
			const struct dmk_thin_pool_status *st, struct tb_autoextend_result *ret);
struct tb_pool_stage *tb_pool_stage_free(struct tb_pool_stage *s);
