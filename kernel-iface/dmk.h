/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kernel-iface: the device-mapper ioctl interface (/dev/mapper/control, linux/dm-ioctl.h),
 * typed target tables and statuses (linear, thin-pool, thin), and /dev/mapper nodes.
 *
 * This layer knows device-mapper only: names, uuids, tables, messages. It has no idea of
 * PVs, VGs or LVs. Every function returns 0 (or a documented positive value) on success and
 * a negative errno on failure; a failing ioctl keeps the kernel's errno (-EBUSY, -EEXIST,
 * -ENXIO, -EINVAL, ...) and leaves a message naming the device and the operation in
 * dmk_errmsg(). ret_* outputs are written only on success.
 *
 * All requests go through one funnel (dmk_run, see dmk-internal.h) that calls ctx->ops, so
 * unit tests plug in a fake kernel with dmk_ctx_new_ops().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define DMK_NAME_LEN 128 /* DM_NAME_LEN, including the NUL */
#define DMK_UUID_LEN 129 /* DM_UUID_LEN, including the NUL */
#define DMK_TYPE_LEN 16  /* DM_MAX_TYPE_NAME, including the NUL */

struct dmk_ctx;

/* The raw ioctl. @h is the handle given to dmk_ctx_new_ops(); @buf is the whole request
 * buffer (struct dm_ioctl + payload), updated in place by the kernel. Returns 0 or -errno. */
struct dmk_ops {
	int (*ioctl)(void *h, unsigned long req, void *buf);
};

/* Flags of the operations below (not the kernel's DM_*_FLAG values). */
#define DMK_READONLY (1U << 0)    /* dmk_load: read-only table */
#define DMK_NOFLUSH (1U << 1)     /* dmk_suspend, dmk_status: do not flush queued I/O */
#define DMK_SKIP_LOCKFS (1U << 2) /* dmk_suspend: do not freeze the file system */
#define DMK_DEFERRED (1U << 3)    /* dmk_remove: remove on last close */
#define DMK_RETRY (1U << 4)       /* dmk_remove: retry a few times on EBUSY (transient opens) */
#define DMK_INACTIVE (1U << 5)    /* dmk_table, dmk_status: query the inactive table */

struct dmk_info {
	bool exists, suspended, read_only, live_table, inactive_table, deferred_remove;
	int32_t open_count;
	uint32_t event_nr;
	uint32_t target_count;
	dev_t dev;
	char name[DMK_NAME_LEN];
	char uuid[DMK_UUID_LEN];
};

/* One line of a table: "start len type params". For dmk_status, params is the status text.
 * params is owned by the array (dmk_targets_free). */
struct dmk_target {
	uint64_t start, len;
	char type[DMK_TYPE_LEN];
	char *params;
};

/* One entry of dmk_list_devices. uuid is "" when the kernel does not report it (< 4.46).
 * has_event_nr is false on kernels older than 4.37 (event_nr then 0). */
struct dmk_dev {
	dev_t dev;
	uint32_t event_nr;
	bool has_event_nr;
	char name[DMK_NAME_LEN];
	char uuid[DMK_UUID_LEN];
};

struct dmk_target_version {
	char name[DMK_TYPE_LEN];
	uint32_t version[3];
};

/* ---- context ---------------------------------------------------------------------- */

/* A context on the real kernel. /dev/mapper/control is opened on first use (and made from
 * /sys/class/misc/device-mapper/dev when missing). If $THINBOX_TRACE is "1" the trace goes
 * to stderr. Caller frees with dmk_ctx_free. Since: 0.1 */
int dmk_ctx_new(struct dmk_ctx **ret);
/* A context on the ioctl backend @ops with handle @h (unit tests). Since: 0.1 */
int dmk_ctx_new_ops(const struct dmk_ops *ops, void *h, struct dmk_ctx **ret);
/* Close the control fd and free. Accepts NULL, returns NULL. Since: 0.1 */
struct dmk_ctx *dmk_ctx_free(struct dmk_ctx *ctx);
/* Trace every ioctl to @f (NULL: off). Borrowed; must outlive ctx or be reset. Since: 0.1 */
void dmk_set_trace(struct dmk_ctx *ctx, FILE *f);
/* Trace through a callback instead: called once per line, without the newline. Since: 0.1 */
void dmk_set_trace_fn(struct dmk_ctx *ctx, void (*fn)(void *userdata, const char *line),
		      void *userdata);
/* The message of the last failure (borrowed, valid until the next call on ctx). */
const char *dmk_errmsg(const struct dmk_ctx *ctx);
/* The control fd, opening it if needed: >= 0 (borrowed) or -errno. For poll(). Since: 0.1 */
int dmk_control_fd(struct dmk_ctx *ctx);

/* ---- queries ---------------------------------------------------------------------- */

/* The kernel's ioctl interface version (major must be 4). Since: 0.1 */
int dmk_version(struct dmk_ctx *ctx, uint32_t ret[3]);
/* Every dm device, in kernel order. *ret: caller frees (free()). Since: 0.1 */
int dmk_list_devices(struct dmk_ctx *ctx, struct dmk_dev **ret, size_t *ret_n);
/* Every registered target type with its version. *ret: caller frees (free()). Since: 0.1 */
int dmk_list_targets(struct dmk_ctx *ctx, struct dmk_target_version **ret, size_t *ret_n);
/* The version of one target type (loading its module); -ENOENT if unknown. Since: 0.1 */
int dmk_target_version(struct dmk_ctx *ctx, const char *type, uint32_t ret[3]);
/* Device state; -ENXIO if there is no such device. Since: 0.1 */
int dmk_info(struct dmk_ctx *ctx, const char *name, struct dmk_info *ret);
int dmk_info_uuid(struct dmk_ctx *ctx, const char *uuid, struct dmk_info *ret);
/* The live (or, with DMK_INACTIVE, inactive) table. *ret: caller frees with
 * dmk_targets_free(*ret, *ret_n). Since: 0.1 */
int dmk_table(struct dmk_ctx *ctx, const char *name, unsigned flags, struct dmk_target **ret,
	      size_t *ret_n);
/* Status lines; flags DMK_NOFLUSH (no metadata commit/flush: cheaper, maybe stale),
 * DMK_INACTIVE. Same ownership as dmk_table. Since: 0.1 */
int dmk_status(struct dmk_ctx *ctx, const char *name, unsigned flags, struct dmk_target **ret,
	       size_t *ret_n);
/* Free an array from dmk_table/dmk_status. Accepts NULL; returns NULL. Since: 0.1 */
struct dmk_target *dmk_targets_free(struct dmk_target *t, size_t n);
/* The devices the live table uses. *ret: caller frees (free()). Since: 0.1 */
int dmk_deps(struct dmk_ctx *ctx, const char *name, dev_t **ret, size_t *ret_n);

/* ---- changes ---------------------------------------------------------------------- */

/* Create a device with no table. @uuid may be NULL. @flags: 0. @ret may be NULL. Since: 0.1 */
int dmk_create(struct dmk_ctx *ctx, const char *name, const char *uuid, unsigned flags,
	       struct dmk_info *ret);
/* Load @t[0..n) as the inactive table. Targets must be contiguous from sector 0 (the
 * kernel checks). @flags: DMK_READONLY. -EINVAL when the kernel refuses the table; the
 * message then carries the kernel's reason from /dev/kmsg when readable. Since: 0.1 */
int dmk_load(struct dmk_ctx *ctx, const char *name, const struct dmk_target *t, size_t n,
	     unsigned flags);
/* Drop the inactive table. Since: 0.1 */
int dmk_clear(struct dmk_ctx *ctx, const char *name);
/* Suspend. @flags: DMK_NOFLUSH, DMK_SKIP_LOCKFS. Since: 0.1 */
int dmk_suspend(struct dmk_ctx *ctx, const char *name, unsigned flags);
/* Resume (swapping in the inactive table if any). @cookie goes to the uevent (DM_COOKIE);
 * 0 for none. @ret may be NULL. Since: 0.1 */
int dmk_resume(struct dmk_ctx *ctx, const char *name, uint32_t cookie, struct dmk_info *ret);
/* Remove. @flags: DMK_DEFERRED, DMK_RETRY. -EBUSY if open (without DMK_DEFERRED). Since: 0.1 */
int dmk_remove(struct dmk_ctx *ctx, const char *name, unsigned flags);
/* Rename @old to @new_name. Since: 0.1 */
int dmk_rename(struct dmk_ctx *ctx, const char *old, const char *new_name);
/* Send @msg to the target at @sector. *ret_reply (may be NULL): the target's reply text,
 * "" when none; caller frees. Since: 0.1 */
int dmk_message(struct dmk_ctx *ctx, const char *name, uint64_t sector, const char *msg,
		char **ret_reply);
/* Block until the device's event counter differs from @event_nr. @ret may be NULL. */
int dmk_wait_event(struct dmk_ctx *ctx, const char *name, uint32_t event_nr, struct dmk_info *ret);
/* Arm event polling (kernel >= 4.37, else -EOPNOTSUPP): after this, the control fd polls
 * readable (POLLIN) when any device raises an event. Re-arm after each wakeup. Since: 0.1 */
int dmk_arm_poll(struct dmk_ctx *ctx);

/* ---- helpers ---------------------------------------------------------------------- */

/* Validate a name/uuid for the kernel: non-empty, fits, no '/', not "." or "..". */
int dmk_name_check(const char *name);
int dmk_uuid_check(const char *uuid);
/* The kernel's device number encoding (huge_encode_dev) from and to dev_t. */
uint64_t dmk_dev_encode(dev_t dev);
dev_t dmk_dev_decode(uint64_t kdev);
/* "A" in dmsetup's info: "L--w" style attribute strings are built by callers. */

/* ---- targets (targets.c) ---------------------------------------------------------- */

/* Parse one "start len type params..." table line (dmsetup syntax; device paths are kept
 * as given). ret->params: caller frees. -EINVAL on bad syntax. Since: 0.1 */
int dmk_target_parse_line(const char *line, struct dmk_target *ret);
/* Parse a whole table (lines separated by '\n', blank lines and '#' comments skipped). */
int dmk_table_parse(const char *text, struct dmk_target **ret, size_t *ret_n);

struct dmk_linear_params {
	dev_t dev;
	uint64_t offset_sectors;
};
int dmk_linear_params_format(const struct dmk_linear_params *p, char **ret);
int dmk_linear_params_parse(const char *s, struct dmk_linear_params *ret);

struct dmk_thin_pool_params {
	dev_t meta, data;
	uint32_t block_sectors;
	uint64_t low_water_blocks;
	bool skip_block_zeroing, ignore_discard, no_discard_passdown, read_only, error_if_no_space;
};
/* Features are written in lvm2's order (skip_block_zeroing ignore_discard
 * no_discard_passdown error_if_no_space read_only); parse accepts any order and rejects
 * unknown features with -EBADMSG. */
int dmk_thin_pool_params_format(const struct dmk_thin_pool_params *p, char **ret);
int dmk_thin_pool_params_parse(const char *s, struct dmk_thin_pool_params *ret);

struct dmk_thin_params {
	dev_t pool;
	uint32_t dev_id;
	bool has_external_origin;
	dev_t external_origin;
};
int dmk_thin_params_format(const struct dmk_thin_params *p, char **ret);
int dmk_thin_params_parse(const char *s, struct dmk_thin_params *ret);

enum dmk_pool_mode {
	DMK_POOL_RW,
	DMK_POOL_RO,
	DMK_POOL_OUT_OF_DATA_SPACE,
};

/* thin-pool status (Documentation/admin-guide/device-mapper/thin-provisioning.rst). */
struct dmk_thin_pool_status {
	bool fail;  /* the single word "Fail": every other field is 0 */
	bool error; /* the single word "Error": the kernel could not read its metadata */
	uint64_t transaction_id;
	uint64_t used_meta_blocks, total_meta_blocks; /* 4 KiB metadata blocks */
	uint64_t used_data_blocks, total_data_blocks; /* pool blocks */
	bool has_held_root;
	uint64_t held_root; /* metadata snapshot root, if has_held_root */
	enum dmk_pool_mode mode;
	bool ignore_discard;   /* "ignore_discard": discards disabled */
	bool discard_passdown; /* "discard_passdown" (false: no_discard_passdown) */
	bool error_if_no_space;
	bool needs_check;
	bool has_meta_low_water; /* newer kernels append it */
	uint64_t meta_low_water_blocks;
};
/* Parse @s (the status params, without "start len thin-pool"). -EBADMSG on anything
 * unexpected or truncated. Since: 0.1 */
int dmk_thin_pool_status_parse(const char *s, struct dmk_thin_pool_status *ret);
const char *dmk_pool_mode_to_string(enum dmk_pool_mode m);
/* Fail, Error, needs_check or read-only: a pool thinbox never resizes or messages (moved here
 * from core/ as tb_pool_status_broken, issue 14: a pure function of the status). */
bool dmk_pool_status_broken(const struct dmk_thin_pool_status *st);
/* What a broken pool is, for messages: "failed", "in error (...)", "flagged needs_check",
 * "read-only" ("healthy" when not broken). Static storage. */
const char *dmk_pool_status_what(const struct dmk_thin_pool_status *st);

struct dmk_thin_status {
	bool fail, error;
	uint64_t mapped_sectors;
	bool has_highest;
	uint64_t highest_mapped_sector;
};
int dmk_thin_status_parse(const char *s, struct dmk_thin_status *ret);

/* dm-raid status (Documentation/admin-guide/device-mapper/dm-raid.rst): raid type, device
 * count, one health character per device ('A' alive and in sync, 'a' alive, not in sync, 'D'
 * dead), sync ratio, sync action, mismatch count, then (target 1.9+) data offset and
 * (1.10+) journal character. */
#define DMK_RAID_MAX_DEVICES 64
struct dmk_raid_status {
	char raid_type[16];
	uint32_t devices;
	char health[DMK_RAID_MAX_DEVICES + 1];
	uint64_t sync_cur, sync_total; /* sectors */
	char sync_action[16];
	uint64_t mismatch_count;
	bool has_data_offset;
	uint64_t data_offset;
	char journal; /* 0 when absent */
};
int dmk_raid_status_parse(const char *s, struct dmk_raid_status *ret);
/* Every device in sync ('A' each, sync ratio complete, action idle). */
bool dmk_raid_status_in_sync(const struct dmk_raid_status *st);

/* Typed thin-pool messages, sent to sector 0 of the pool device @pool. Since: 0.1 */
int dmk_thin_msg_create_thin(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id);
int dmk_thin_msg_create_snap(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id,
			     uint32_t origin_id);
int dmk_thin_msg_delete(struct dmk_ctx *ctx, const char *pool, uint32_t dev_id);
int dmk_thin_msg_set_transaction_id(struct dmk_ctx *ctx, const char *pool, uint64_t old_id,
				    uint64_t new_id);
int dmk_thin_msg_reserve_metadata_snap(struct dmk_ctx *ctx, const char *pool);
int dmk_thin_msg_release_metadata_snap(struct dmk_ctx *ctx, const char *pool);

/* ---- device nodes (nodes.c) ------------------------------------------------------- */

/* Directory of the nodes; "/dev" unless the context was told otherwise (tests). */
void dmk_set_dev_dir(struct dmk_ctx *ctx, const char *dir);
/* Make <dev_dir>/mapper/<name> a block node for @dev (root:root 0600), replacing a stale
 * node with another number. With udev running (/run/udev/control exists) first wait up to
 * ~1 s for udev to make it. Since: 0.1 */
int dmk_node_add(struct dmk_ctx *ctx, const char *name, dev_t dev);
/* Remove <dev_dir>/mapper/<name> (absent is fine). Since: 0.1 */
int dmk_node_remove(struct dmk_ctx *ctx, const char *name);
/* Rename the node (remove old, make new). Since: 0.1 */
int dmk_node_rename(struct dmk_ctx *ctx, const char *old, const char *new_name, dev_t dev);
/* Make <dev_dir>/<dir>/<link> -> <dev_dir>/mapper/<name> (mkdir -p <dir>). Plain strings:
 * the caller decides the names. Since: 0.1 */
int dmk_symlink_add(struct dmk_ctx *ctx, const char *dir, const char *link, const char *name);
/* Remove the link and, when empty, the directory. Since: 0.1 */
int dmk_symlink_remove(struct dmk_ctx *ctx, const char *dir, const char *link);
/* Make /dev/mapper agree with the kernel: a node for every device, no node for a device
 * that is gone (like `dmsetup mknodes`). Since: 0.1 */
int dmk_nodes_sync(struct dmk_ctx *ctx);
