/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core/store/: scanned devices, a VG read under its lock, commits, the lvm.conf keys, the
 * device filters; the lowest folder of core/ (docs/architecture.md "The core DAG"). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx-internal.h"
#include "core/store/lock.h"
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
	struct tb_text *text_ref; /* owns @text when set (shared with the ctx's mdcache) */
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
	/* health, as the scan found it (core/store/damaged.c): carried to every command and report */
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
/* After a scan (core/store/damaged.c): which VG lists each PV, duplicate PV ids, PVs in doubt; each
 * device's warnings given once. */
void tb_scan_assess(struct tb_ctx *ctx, struct tb_scan *s);
/* The VG a PV belongs to as far as anything on disk says ("<unknown>" when in doubt, NULL
 * when free). */
const char *tb_pvdev_owner(const struct tb_pvdev *d);
/* Refuse a write to VG @name (read for writing as @vg) when two devices carry one of its PV
 * ids, as lvm2: "Cannot update volume group ... with duplicate PV devices." */
int tb_vg_check_duplicates(struct tb_cmd *c, const struct tb_vg *vg);
/* Foreign, shared or exported VG (core/store/foreign-check.c): lvm2's refusal line in @buf, or NULL. */
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
	bool exit_frees; /* the ctx's tb_ctx_set_exit_frees when read: tb_vg_free may park md */
};

/* The command's session: locks, scan, the lvm.conf tree. */
struct tb_cmd {
	struct tb_ctx *ctx;
	struct tb_lockset locks;
	const char *name; /* "lvcreate", for descriptions */
	/* the monitor: tb_vg_commit leaves the backup file to tb_vg_backup(), called after the
	 * kernel step so that it is not in the path of a pool waiting for space */
	bool defer_backup;
	/* raid LVs this command loads skip their initial sync ("nosync" in the table): lvcreate
	 * --nosync, and lvextend of a NOTSYNCED raid LV (lvm2's init_mirror_in_sync) */
	bool raid_nosync;
};
int tb_cmd_begin(struct tb_ctx *ctx, struct tb_cmd *c, const char *name);
/* -EPERM with lvm2's message unless root (or THINBOX_ALLOW_NONROOT, for tests). */
int tb_root_check(struct tb_ctx *ctx);
/* The global lock taken exclusively and lvm2's device hints cleared, as lvm2 does before a
 * command changes which PVs or VG names exist (core/store/hints.h); a failure names the lock. */
int tb_cmd_lock_global(struct tb_cmd *c);
void tb_cmd_end(struct tb_cmd *c);

/* Read VG @name under V_<name> (exclusive when @write). -ENOENT: no such VG. */
int tb_vg_read(struct tb_cmd *c, const char *name, bool write, struct tb_vg **ret);
struct tb_vg *tb_vg_free(struct tb_vg *vg);
/* Commit @vg->md (seqno + 1) to every mda of every PV, then the backup (unless
 * c->defer_backup). */
int tb_vg_commit(struct tb_cmd *c, struct tb_vg *vg);
/* The two halves of tb_vg_commit, for a commit staged ahead (core/policy/stage.c): merge, validate,
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

/* devices/global_filter then devices/filter (--config, then lvm.conf) accept @path: lvm2's
 * "a|regex|" / "r|regex|" lists, first match wins, no match accepts. */
bool tb_device_accepted(struct tb_ctx *ctx, const char *path);

/* Fresh random id (lvm2 alphabet). */
void tb_new_id(char ret[MD_ID_LEN + 1]);
/* The sysconf dir's lvm.conf, parsed on first use and again only when the file changes (its
 * device, inode, size, mtime or ctime): every setting of a command reads one parse. *ret is
 * borrowed and stays valid until tb_ctx_unref (older versions are kept, not freed); NULL when
 * there is no lvm.conf. Returns 0, or the load's -errno with the parser's reason in @reterr
 * (may be NULL); sets no error message: each caller says what it needed the file for. */
int tb_lvm_conf(struct tb_ctx *ctx, const struct lvf_cft_node **ret, struct lvf_err *reterr);
/* tb_lvm_conf with the message a setting's reader gives when the file does not parse
 * ("DIR/lvm.conf: line N: REASON. Fix the file."). */
int tb_lvm_conf_read(struct tb_ctx *ctx, const struct lvf_cft_node **ret);
/* activation/thin_pool_autoextend_threshold and _percent for an LV (profile, then lvm.conf,
 * then lvm2's defaults 100 and 20). */
int tb_autoextend_policy(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 int64_t *ret_threshold, int64_t *ret_percent);
/* lvm.conf backup/retain_min, retain_days (lvm2 defaults 10 and 30), backup, archive. */
struct tb_backup_settings {
	unsigned retain_min, retain_days;
	bool backup, archive;
};
void tb_backup_settings(struct tb_ctx *ctx, struct tb_backup_settings *ret);

/* Everything the autoextend policy reads, same layers: thin_pool_autoextend_threshold and
 * _percent (lvm2), and thinbox's thin_pool_autoextend_max_size (MiB of pool data, 0: no cap)
 * and thin_pool_autoextend_error_when_full (0/1: switch a pool that cannot grow to
 * error_if_no_space until it can). */
struct tb_autoextend_limits {
	int64_t threshold, percent;
	uint64_t max_sectors;
	bool error_when_full;
};
int tb_autoextend_limits(struct tb_ctx *ctx, const struct md_vg *vg, const struct md_lv *pool,
			 struct tb_autoextend_limits *ret);

/* activation/monitoring (default 1). */
bool tb_monitoring_enabled(struct tb_ctx *ctx);

/* -ENOSPC with lvm2's "Volume group ... has insufficient free space" for @need extents. */
int tb_vg_no_space(struct tb_ctx *ctx, const struct tb_vg *vg, uint64_t need);
