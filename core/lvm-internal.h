/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core/ internals for the LVM commands: scanned devices, a VG read under its lock, commits. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx-internal.h"
#include "core/lock.h"
#include "lvmfmt/bdev.h"
#include "lvmfmt/label.h"
#include "lvmfmt/mda.h"
#include "metadata/md.h"
#include "util/strbuf.h"

/* One device that carries an LVM label. */
struct tb_pvdev {
	char *path;
	struct lvf_bdev *bdev;
	dev_t rdev; /* 0 for regular files */
	struct lvf_pv_header hdr;
	char id[MD_ID_LEN + 1];
	/* the newest metadata found on its mdas (none for an orphan PV) */
	char *text;
	size_t text_len;
	uint32_t text_crc; /* its checksum (finds its parsed VG in the ctx's mdcache) */
	char vgname[MD_NAME_MAX + 1];
	char vgid[MD_ID_LEN + 1];
	uint32_t seqno;
	bool mda_bad;                  /* an mda could not be read */
	bool mda_hdr_bad[LVF_MAX_MDA]; /* that mda's header does not decode: rewritten (empty)
					  before the next commit of the VG */
	bool mda_ignored[LVF_MAX_MDA]; /* its slot 0 is IGNORED (metadataignore): commits keep it
					  so (lvm2 writes no text there either) */
	/* health, as the scan found it (core/damaged.c): carried to every command and report */
	char *pv_ids; /* the PVs @text lists, MD_ID_LEN characters each */
	size_t n_pv_ids;
	bool label_unchecked; /* label valid, its area list not: areas untrusted, unused */
	bool in_doubt;        /* a PV whose VG cannot be read: never free, never reused
				        without -ff */
	bool dup;             /* another scanned device carries the same PV id */
	bool shrunk;          /* the device is smaller than its PV header says */
	char member_vg[MD_NAME_MAX + 1]; /* VG whose newest text lists this PV ("" none) */
	uint32_t member_seqno;
	struct strbuf warn; /* lvm2-style warnings about this device, one a line */
};

struct tb_scan {
	struct tb_pvdev **devs;
	size_t n;
};

/* Scan candidate block devices ($THINBOX_DEVICES, colon-separated, or /proc/partitions) for
 * labels; @writable opens them read-write. */
int tb_scan_devices(struct tb_ctx *ctx, bool writable, struct tb_scan *ret);
void tb_scan_free(struct tb_scan *s);
struct tb_pvdev *tb_scan_find_path(struct tb_scan *s, const char *path);
struct tb_cmd;
struct tb_vg;
/* @lv has an extent on a missing PV, itself or through its sub-LVs (lvm2's LV_PARTIAL). */
bool tb_lv_is_partial(const struct md_lv *lv);
/* After a scan (core/damaged.c): which VG lists each PV, duplicate PV ids, PVs in doubt; each
 * device's warnings given once. */
void tb_scan_assess(struct tb_ctx *ctx, struct tb_scan *s);
/* The VG a PV belongs to as far as anything on disk says ("<unknown>" when in doubt, NULL
 * when free). */
const char *tb_pvdev_owner(const struct tb_pvdev *d);
/* Refuse a write to VG @name (read for writing as @vg) when two devices carry one of its PV
 * ids, as lvm2: "Cannot update volume group ... with duplicate PV devices." */
int tb_vg_check_duplicates(struct tb_cmd *c, const struct tb_vg *vg);
/* Foreign, shared or exported VG (core/foreign.c): lvm2's refusal line in @buf, or NULL. */
const char *tb_vg_foreign_reason(const struct md_vg *md, char *buf, size_t len);
/* Refuse (-EPERM, lvm2's words) a change to or an activation of such a VG. */
int tb_vg_check_foreign(struct tb_cmd *c, const struct tb_vg *vg);
/* Open one device (label or not) for a command that will write it (O_EXCL). */
int tb_pvdev_open(struct tb_ctx *ctx, const char *path, bool excl, struct tb_pvdev **ret);
struct tb_pvdev *tb_pvdev_free(struct tb_pvdev *d);

/* A VG as a command holds it. */
struct tb_vg {
	struct md_vg *md;
	struct tb_pvdev **pvdevs; /* parallel to md->pvs; NULL where the PV is missing */
	size_t n_pvdevs;
	struct tb_scan scan; /* owns every device */
	/* the backup-file text printed with the last prepared commit (same pass as the raw
	 * text, lvf_vg_export_pair), valid for seqno backup_seqno */
	struct strbuf backup_section;
	uint32_t backup_seqno;
};

/* The command's session: locks, scan, the lvm.conf tree. */
struct tb_cmd {
	struct tb_ctx *ctx;
	struct tb_lockset locks;
	const char *name; /* "lvcreate", for descriptions */
	/* the monitor: tb_vg_commit leaves the backup file to tb_vg_backup(), called after the
	 * kernel step so that it is not in the path of a pool waiting for space */
	bool defer_backup;
};
int tb_cmd_begin(struct tb_ctx *ctx, struct tb_cmd *c, const char *name);
/* -EPERM with lvm2's message unless root (or THINBOX_ALLOW_NONROOT, for tests). */
int tb_root_check(struct tb_ctx *ctx);
/* The global lock taken exclusively and lvm2's device hints cleared, as lvm2 does before a
 * command changes which PVs or VG names exist (core/hints.h); a failure names the lock. */
int tb_cmd_lock_global(struct tb_cmd *c);
void tb_cmd_end(struct tb_cmd *c);

/* Read VG @name under V_<name> (exclusive when @write). -ENOENT: no such VG. */
int tb_vg_read(struct tb_cmd *c, const char *name, bool write, struct tb_vg **ret);
struct tb_vg *tb_vg_free(struct tb_vg *vg);
/* Commit @vg->md (seqno + 1) to every mda of every PV, then the backup (unless
 * c->defer_backup). */
int tb_vg_commit(struct tb_cmd *c, struct tb_vg *vg);
/* The two halves of tb_vg_commit, for a commit staged ahead (core/stage.c): merge, validate,
 * seqno + 1 and export @vg as the text its mdas hold; the mda refs of its present PVs
 * (*ret malloc'd, borrowing the PVs' bdevs; -ENOSPC with a message when there is none). */
int tb_vg_prepare_text(struct tb_cmd *c, struct tb_vg *vg, struct strbuf *raw);
int tb_vg_mda_refs(struct tb_cmd *c, const struct tb_vg *vg, struct lvf_mda_ref **ret,
		   size_t *ret_n);
/* Before a commit of @len_with_nul bytes of text to @mdas: -ENOSPC with lvm2's message when
 * it exceeds an area's maximum (nothing written), a warning when over half of it. */
int tb_vg_check_fit(struct tb_cmd *c, const struct tb_vg *vg, const struct lvf_mda_ref *mdas,
		    size_t n, uint64_t len_with_nul);
/* Close every scanned device that is not one of @vg's PVs (for a VG kept in memory). */
void tb_vg_keep_own_devices(struct tb_vg *vg);
/* Write the backup of @vg as committed (lvm2's /etc/lvm/backup). Failure is a warning. */
void tb_vg_backup(struct tb_cmd *c, struct tb_vg *vg);
/* Refuse changes to a VG we cannot honour. */
int tb_vg_check_writable(struct tb_cmd *c, const struct tb_vg *vg);
struct tb_pvdev *tb_vg_pvdev_for(const struct tb_vg *vg, const struct md_pv *pv);

/* The first signature other than LVM2's libblkid finds on @path, not wiped (core/pvvg.c).
 * Returns how many it found (0: none) and names the first in @ret_type. */
int tb_probe_signatures(struct tb_ctx *ctx, const char *path, char *ret_type, size_t len,
			uint64_t *ret_off);

/* --deltag then --addtag on a tag list (lvm2 change_tag); -EINVAL with lvm2's message for an
 * invalid tag. */
struct tb_tags;
int tb_tags_apply(struct tb_ctx *ctx, md_strv *v, const struct tb_tags *t);
/* vgchange --setautoactivation: the VG's NOAUTOACTIVATE flag (@yn 'y' or 'n'). */
int tb_vg_set_autoactivation(struct md_vg *vg, char yn);

/* devices/global_filter then devices/filter (--config, then lvm.conf) accept @path: lvm2's
 * "a|regex|" / "r|regex|" lists, first match wins, no match accepts. */
bool tb_device_accepted(struct tb_ctx *ctx, const char *path);

/* lvextend/lvresize --resizefs (core/resizefs.c): check that @lv is active and carries a
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

/* Fresh random id (lvm2 alphabet). */
void tb_new_id(char ret[MD_ID_LEN + 1]);
/* The lvm2 configuration directory ($LVM_SYSTEM_DIR or /etc/lvm). */
/* The ctx's sysconf dir (NULL: the environment's default, $LVM_SYSTEM_DIR or /etc/lvm). */
const char *tb_sysconf_dir(const struct tb_ctx *ctx);
/* activation/thin_pool_autoextend_threshold and _percent for an LV (profile, then lvm.conf,
 * then lvm2's defaults 100 and 20). */
int tb_autoextend_policy(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 int64_t *ret_threshold, int64_t *ret_percent);
/* Everything the autoextend policy reads, same layers: thin_pool_autoextend_threshold and
 * _percent (lvm2), and thinbox's thin_pool_autoextend_max_size (MiB of pool data, 0: no cap)
 * and thin_pool_autoextend_error_when_full (0/1: switch a pool that cannot grow to
 * error_if_no_space until it can). */
/* lvm.conf backup/retain_min, retain_days (lvm2 defaults 10 and 30), backup, archive. */
struct tb_backup_settings {
	unsigned retain_min, retain_days;
	bool backup, archive;
};
void tb_backup_settings(struct tb_ctx *ctx, struct tb_backup_settings *ret);

struct tb_autoextend_limits {
	int64_t threshold, percent;
	uint64_t max_sectors;
	bool error_when_full;
};
int tb_autoextend_limits(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 struct tb_autoextend_limits *ret);

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
struct dmk_thin_pool_status;
/* Fail, Error, needs_check or read-only: a pool thinbox never resizes or messages. */
bool tb_pool_status_broken(const struct dmk_thin_pool_status *st);
/* What a broken pool is, for messages: "failed", "in error (...)", "flagged needs_check",
 * "read-only" ("healthy" when not broken). Static storage. */
const char *tb_pool_status_what(const struct dmk_thin_pool_status *st);
/* A size committed in the VG is not live in the kernel yet (a crash between commit and
 * reload): the kernel's data or metadata device is smaller than the VG says. */
bool tb_pool_size_pending(const struct md_vg *vg, const struct md_lv *pool,
			  const struct dmk_thin_pool_status *st);
/* @used of @total is at or over @threshold % (false when @total is 0). */
bool tb_usage_at_or_over(uint64_t used, uint64_t total, int64_t threshold);
/* The active pool's status without a metadata commit; -ENXIO when it is not active. */
int tb_pool_status_now(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
		       struct dmk_thin_pool_status *ret);

/* ---- a pool extension staged ahead (core/stage.c; the monitor's fast path) ----
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

/* Start `thinbox monitor --daemon` when activation/monitoring is on, $THINBOX_NO_MONITOR_START
 * is not "1" and no default monitor runs. Call with no lock held. Never fails the caller. */
void tb_monitor_autostart(struct tb_ctx *ctx);

/* activation/monitoring (default 1). */
bool tb_monitoring_enabled(struct tb_ctx *ctx);
