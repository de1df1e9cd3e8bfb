/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct tb_ctx internals, shared by core/ files only. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/thinbox.h"
#include "lvmfmt/err.h"
#include "util/macros.h"

struct dmk_ctx;
struct lvf_bdev;
struct lvf_cft_node;

/* How core opens block devices; tests swap in lvmfmt's in-memory fakes (tb_ctx_set_bdev_open). */
typedef int (*tb_bdev_open_fn)(void *userdata, const char *path, int flags, struct lvf_bdev **ret);

struct tb_ctx {
	int refcount;
	tb_log_fn log_fn;
	void *log_data;
	int log_priority;
	char errmsg[1024];
	struct dmk_ctx *dmk;       /* device-mapper, opened on first use (tb_ctx_dmk) */
	bool trace;                /* --trace: every ioctl to stderr */
	tb_bdev_open_fn bdev_open; /* NULL: lvf_bdev_open on real paths */
	void *bdev_open_data;
	dev_t (*bdev_rdev)(void *userdata, const char *path); /* tests: the fake's devno */
	bool no_dm;              /* no device-mapper at all (tb_ctx_set_no_dm) */
	unsigned report_include; /* TB_REPORT_SHARED, TB_REPORT_FOREIGN (tb_ctx_set_report_include) */
	bool exit_frees;         /* tb_ctx_set_exit_frees: large models left to the exit */
	char *warned; /* warnings already given ("\n"-separated): each device warning once */
	size_t warned_len;
	/* --config strings (tb_ctx_set_config), newest first; they win over lvm.conf */
	struct lvf_cft_node *config_layers[8];
	size_t n_config_layers;
	struct tb_mdcache *mdcache; /* metadata texts read, parsed once (core/store/mdcache.c) */
	/* lvm.conf parsed once, again only when the file changes (tb_lvm_conf); trees of older
	 * versions stay until tb_ctx_unref, since callers borrow strings from them */
	struct tb_lvm_conf_cache {
		bool loaded;
		int r;                     /* 0, or what the load returned */
		struct lvf_err err;        /* the parser's reason when r < 0 */
		struct stat st;            /* of the file parsed; st_ino 0: no file */
		struct lvf_cft_node *root; /* NULL: no file or r < 0 */
		struct lvf_cft_node **old;
		size_t n_old;
	} lvm_conf;
	/* tb_dm_snapshot_begin: the uuids of every dm device, sorted, for a report */
	char (*dm_uuids)[129];
	size_t n_dm_uuids;
	bool dm_snap;
	/* configuration (tb_ctx_set_*): defaults from the environment at tb_ctx_new */
	char *sysconf_dir; /* lvm.conf, profile/, backup/, archive/: LVM_SYSTEM_DIR, /etc/lvm */
	char *run_dir;     /* monitor state and pidfile: THINBOX_RUN_DIR, /run/thinbox */
	char *lock_dir;    /* lvm2's file locks: THINBOX_LOCK_DIR, /run/lock/lvm */
	char *dev_dir;     /* where /proc/partitions names live: THINBOX_DEV_DIR, /dev */
	char **devices;    /* the devices to scan (THINBOX_DEVICES); NULL: /proc/partitions */
	size_t n_devices;
	char *monitor_path; /* program started as "PATH monitor --daemon" (THINBOX_MONITOR_BIN) */
	tb_monitor_start_fn monitor_start_fn; /* replaces the spawn when set */
	void *monitor_start_data;
};

/* The configured directories (never NULL, borrowed from @ctx). */
const char *tb_ctx_sysconf(const struct tb_ctx *ctx);
const char *tb_ctx_run(const struct tb_ctx *ctx);
const char *tb_ctx_lockdir(const struct tb_ctx *ctx);
/* The ctx's sysconf dir (NULL: the environment's default, $LVM_SYSTEM_DIR or /etc/lvm). */
const char *tb_sysconf_dir(const struct tb_ctx *ctx);

/* Every public entry point that takes a ctx starts with this: tb_ctx_errmsg() then describes
 * a failure of this call, never one of an earlier call. */
static inline void tb_ctx_clear_error(struct tb_ctx *ctx)
{
	if (ctx)
		ctx->errmsg[0] = '\0';
}

/* The ctx's device-mapper context, created on first use; -errno with the message set when
 * /dev/mapper/control cannot be opened. Borrowed. */
int tb_ctx_dmk(struct tb_ctx *ctx, struct dmk_ctx **ret);

void tb_log(struct tb_ctx *ctx, int priority, const char *file, int line, const char *fn,
	    const char *fmt, ...) _printf_(6, 7);
#define tb_dbg(ctx, ...) tb_log(ctx, LOG_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define tb_info(ctx, ...) tb_log(ctx, LOG_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
/* What lvm2 prints on stdout for a successful step ("Logical volume ... created."). */
#define tb_notice(ctx, ...) tb_log(ctx, LOG_NOTICE, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define tb_warn(ctx, ...) tb_log(ctx, LOG_WARNING, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* tb_warn(@line), unless this ctx already gave exactly this warning (a command scans the
 * devices more than once; lvm2 repeats itself, we do not). */
void tb_warn_once(struct tb_ctx *ctx, const char *line);
/* Drop the --config layers (tb_ctx_unref). */
void tb_ctx_config_free(struct tb_ctx *ctx);
/* Drop the cached lvm.conf trees (tb_ctx_unref; core/store/ctx.c). */
void tb_lvm_conf_free(struct tb_ctx *ctx);
/* Drop the trees of older versions of lvm.conf only, at a point where nothing borrows from
 * them (the monitor between two passes). */
void tb_lvm_conf_drop_old(struct tb_ctx *ctx);

/* Record the message for the failure being returned, and return @err (a negative errno). */
int tb_fail(struct tb_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);

/* Tests: open devices through @fn instead of the file system (no stat, no blkid probing). */
void tb_ctx_set_bdev_open(struct tb_ctx *ctx, tb_bdev_open_fn fn, void *userdata);
/* Tests: the device numbers of the fake devices (what tables name them by; default 0, "not a
 * block device"). Uses the userdata of tb_ctx_set_bdev_open. */
static inline void tb_ctx_set_bdev_rdev(struct tb_ctx *ctx,
					dev_t (*fn)(void *userdata, const char *path))
{
	ctx->bdev_rdev = fn;
}
int tb_bdev_open(struct tb_ctx *ctx, const char *path, int flags, struct lvf_bdev **ret);
/* Tests (like lvm2's --driverloaded n): never open device-mapper. No LV is active, commands
 * that only change metadata (lvcreate -an -Zn, lvextend/lvremove of inactive LVs...) work,
 * anything that must activate fails with -ENODEV. */
