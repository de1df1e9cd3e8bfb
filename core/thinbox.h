/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libthinbox: the thinbox public API (installed as <thinbox.h>; pkg-config thinbox). The
 * only header cli/ and any other user of the library includes; it includes nothing but
 * system headers. Link with `pkg-config --libs thinbox` (libthinbox.so.0, symbol version
 * THINBOX_0.1, see core/thinbox.sym) or the static libthinbox.a.
 *
 * Objects are opaque. struct tb_ctx owns the device-mapper control fd, the log sink and the
 * configuration; every other object borrows a ctx. A ctx is not thread-safe: use one per
 * thread. Functions return 0 (or a documented positive value) on success and a negative
 * errno on failure; every call on a ctx that can fail first clears the ctx's message, and a
 * failing call leaves one (tb_ctx_errmsg) naming the object and what to do. Strings passed in are
 * copied or only read during the call; pointers returned are "borrowed" (valid as said)
 * or "caller frees" (with free() unless another function is named). Output parameters
 * (ret, ret_*) are written only on success.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h> /* LOG_ERR ... LOG_DEBUG: the priorities of the log fn */

#ifdef __cplusplus
extern "C" {
#endif

struct tb_ctx;

/* The log sink: @priority is a syslog priority, @file/@line/@fn where the message was made,
 * @format/@args the message (no trailing newline). (Same type as util/log.h's.) Since: 0.1 */
typedef void (*tb_log_fn)(void *userdata, int priority, const char *file, int line, const char *fn,
			  const char *format, va_list args);

/* Create a context with refcount 1. @flags: 0 (else -EINVAL). Its configuration starts from
 * the environment (read with secure_getenv, so not in setuid programs): LVM_SYSTEM_DIR,
 * THINBOX_RUN_DIR, THINBOX_LOCK_DIR, THINBOX_DEV_DIR, THINBOX_DEVICES, THINBOX_MONITOR_BIN,
 * THINBOX_LOG; the tb_ctx_set_* calls below override it. Opens nothing yet (device-mapper on
 * first use). Returns 0 or -ENOMEM. *ret: the caller's reference, drop with tb_ctx_unref.
 * Since: 0.1 */
int tb_ctx_new(unsigned flags, struct tb_ctx **ret);
/* Take a reference; returns @ctx (NULL stays NULL). Since: 0.1 */
struct tb_ctx *tb_ctx_ref(struct tb_ctx *ctx);
/* Drop a reference; the last one closes and frees everything. Accepts NULL; returns NULL.
 * Since: 0.1 */
struct tb_ctx *tb_ctx_unref(struct tb_ctx *ctx);
/* Route log messages to @fn (NULL: no logging). Messages at or below the log priority are
 * passed: LOG_NOTICE for what lvm2 prints on success, LOG_WARNING for warnings, LOG_INFO and
 * LOG_DEBUG for detail; errors of a returned call are not logged (tb_ctx_errmsg). The
 * default sink writes "thinbox: MESSAGE" to stderr. Since: 0.1 */
void tb_ctx_set_log_fn(struct tb_ctx *ctx, tb_log_fn fn, void *userdata);
/* The highest priority passed to the log fn (LOG_ERR default; $THINBOX_LOG = debug, info,
 * notice, warning sets the default). Since: 0.1 */
void tb_ctx_set_log_priority(struct tb_ctx *ctx, int priority);
/* The current log priority. Since: 0.1 */
int tb_ctx_get_log_priority(const struct tb_ctx *ctx);
/* Work without device-mapper, like lvm2's --driverloaded n: nothing counts as active, and
 * activation fails with a message. Metadata-only commands (lvcreate -an, lvextend, lvremove
 * of inactive LVs) then run on hosts without dm-mod. Since: 0.1 */
void tb_ctx_set_no_dm(struct tb_ctx *ctx, bool no_dm);
#define TB_REPORT_SHARED (1U << 0)  /* lvm2's --shared: VGs with lock_type sanlock, dlm, idm */
#define TB_REPORT_FOREIGN (1U << 1) /* lvm2's --foreign: VGs with a system ID */
/* Reports (tb_report_lvs, _vgs, _pvs) skip the VGs thinbox may not change, as lvm2 without
 * lvmlockd and without a local system ID does; TB_REPORT_SHARED and TB_REPORT_FOREIGN list
 * those too, as lvm2's report options --shared and --foreign. 0 (the default) skips both.
 * Since: 0.2 */
void tb_ctx_set_report_include(struct tb_ctx *ctx, unsigned flags);
/* The process ends when the command does (a command line tool): a VG model of many LVs that a
 * call is done with is left to the process's exit instead of being freed object by object (a
 * VG of 10,000 LVs is some 130,000 frees, 8% of an `lvs`). Such models stay reachable and are
 * never reused; nothing else changes. Off by default; leave it off in a process that runs on
 * (a daemon, a library user reading VGs again and again), whose memory would grow with every
 * read. Since: 0.2 */
void tb_ctx_set_exit_frees(struct tb_ctx *ctx, bool on);
/* The message of the last failed call on @ctx, "unknown error" when that call left none.
 * Borrowed, valid until the next call on @ctx. Since: 0.1 */
const char *tb_ctx_errmsg(const struct tb_ctx *ctx);
/* The library version ("0.1.0"); static storage. Since: 0.1 */
const char *tb_version(void);

/* ---- configuration: every setter copies @dir; NULL restores the built-in default ---- */
/* lvm2's configuration directory: lvm.conf, profile/, backup/, archive/ (default
 * $LVM_SYSTEM_DIR, else /etc/lvm). 0 or -ENOMEM. Since: 0.1 */
int tb_ctx_set_sysconf_dir(struct tb_ctx *ctx, const char *dir);
/* thinbox's run directory: the monitor's pidfile and its per-pool state (default
 * $THINBOX_RUN_DIR, else /run/thinbox). 0 or -ENOMEM. Since: 0.1 */
int tb_ctx_set_run_dir(struct tb_ctx *ctx, const char *dir);
/* lvm2's lock directory: P_global and V_<vg> flock files shared with lvm2 (default
 * $THINBOX_LOCK_DIR, else /run/lock/lvm). 0 or -ENOMEM. Since: 0.1 */
int tb_ctx_set_lock_dir(struct tb_ctx *ctx, const char *dir);
/* Where the device nodes of /proc/partitions' names are (default $THINBOX_DEV_DIR, else
 * /dev). 0 or -ENOMEM. Since: 0.1 */
int tb_ctx_set_dev_dir(struct tb_ctx *ctx, const char *dir);
/* Scan only these @n device paths for PVs (copied; n == 0: every block device of
 * /proc/partitions, the default unless $THINBOX_DEVICES, a ":"-separated list, is set).
 * 0 or -ENOMEM. Since: 0.1 */
int tb_ctx_set_devices(struct tb_ctx *ctx, const char *const *devices, size_t n);
/* The configuration directory in use (borrowed, valid until tb_ctx_set_sysconf_dir is called
 * again). Since: 0.1 */
const char *tb_ctx_get_sysconf_dir(const struct tb_ctx *ctx);
/* The run directory in use (borrowed, valid until tb_ctx_set_run_dir). Since: 0.1 */
const char *tb_ctx_get_run_dir(const struct tb_ctx *ctx);
/* The lock directory in use (borrowed, valid until tb_ctx_set_lock_dir). Since: 0.1 */
const char *tb_ctx_get_lock_dir(const struct tb_ctx *ctx);
/* How activation starts the autoextend monitor (tb_monitor_start, and lvcreate, lvchange,
 * vgchange -ay of thin pools). By default the library forks and executes
 * "PATH monitor --daemon" with stdin/stdout/stderr on /dev/null (stderr appended to
 * $THINBOX_MONITOR_LOG when set) and waits for it to report its pools watched; PATH is
 * $THINBOX_MONITOR_BIN, else the installed thinbox (SBINDIR/thinbox, see thinbox.pc's
 * monitor variable). tb_ctx_set_monitor_path sets PATH (copied; NULL: the default).
 * Since: 0.1 */
int tb_ctx_set_monitor_path(struct tb_ctx *ctx, const char *path);
/* A monitor start hook: returns 0 when a monitor now runs, or -errno. Since: 0.1 */
typedef int (*tb_monitor_start_fn)(void *userdata, struct tb_ctx *ctx);
/* With @fn set, the library calls fn(@userdata, ctx) instead of spawning anything (a program
 * that runs its own tb_monitor_run thread, or starts a service); @userdata is the caller's and
 * must stay valid while @ctx may start a monitor. NULL restores the spawn. Since: 0.1 */
void tb_ctx_set_monitor_start_fn(struct tb_ctx *ctx, tb_monitor_start_fn fn, void *userdata);

/* ==== LVM: physical volumes, volume groups, logical volumes ===================================
 * Each call is one lvm2-compatible command: it takes lvm2's locks (P_global, V_<vg>), reads
 * the VG from the disks, changes it, commits the metadata on every PV, writes the backup and,
 * where asked, changes the kernel's device-mapper tables. A refused call changes nothing.
 * Messages for the user (lvm2's "Logical volume ... created.") go to the log fn at
 * LOG_NOTICE; errors are returned and described by tb_ctx_errmsg(). */

/* Sizes as lvm2 command lines give them: -L (sectors), -l (extents or percentages). */
enum tb_size_unit {
	TB_SIZE_NONE = 0,
	TB_SIZE_SECTORS,
	TB_SIZE_EXTENTS,
	TB_SIZE_PCT_VG,
	TB_SIZE_PCT_FREE,
	TB_SIZE_PCT_PVS,
	TB_SIZE_PCT_ORIGIN,
};
struct tb_size {
	enum tb_size_unit unit;
	uint64_t value;
	int sign; /* 0, +1 (+N), -1 (-N) */
};

/* --addtag / --deltag values (lvm2 tag syntax, see tb_tag_check). Since: 0.1 */
struct tb_tags {
	const char *const *add;
	size_t n_add;
	const char *const *del;
	size_t n_del;
};

struct tb_pvcreate_opts {
	int force;              /* -f = 1, -ff = 2 */
	bool yes;               /* -y: answer yes to wiping signatures */
	const char *uuid;       /* --uuid, NULL: a new random id */
	uint64_t metadatasize;  /* bytes, 0: lvm2's default */
	int metadatacopies;     /* --pvmetadatacopies 0|1|2, -1: default (1) */
	uint64_t dataalignment; /* bytes, 0: 1 MiB */
};
/* pvcreate DEVICE...: label the @n @devices as PVs (@o may be NULL: defaults). 0, or
 * -errno (-EBUSY a device in use or a PV of a VG without force 2, -EINVAL a bad option or a
 * device too small, -EPERM not root); a refused call writes nothing. Since: 0.1 */
int tb_pvcreate(struct tb_ctx *ctx, const char *const *devices, size_t n,
		const struct tb_pvcreate_opts *o);
/* pvremove [-f[f]] [-y] DEVICE...: wipe the labels of PVs not in a VG (@force 2: also of a
 * VG's PVs). 0 or -errno. Since: 0.1 */
int tb_pvremove(struct tb_ctx *ctx, const char *const *devices, size_t n, int force, bool yes);

struct tb_vgcreate_opts {
	uint64_t extent_size;       /* sectors, 0: 8192 (4 MiB) */
	struct tb_pvcreate_opts pv; /* for devices that are not PVs yet */
	struct tb_tags tags;        /* --addtag (Since: 0.1) */
};
/* vgcreate VG DEVICE...: a new VG on the @n @devices (made PVs first when they are not;
 * @o may be NULL). 0, -EEXIST (VG exists), -EINVAL (bad name or option), or -errno.
 * Since: 0.1 */
int tb_vgcreate(struct tb_ctx *ctx, const char *vg, const char *const *devices, size_t n,
		const struct tb_vgcreate_opts *o);
/* vgremove [-f] VG: with @force, its LVs are deactivated and removed first (else -EBUSY when
 * it has LVs). 0 or -errno (-ENOENT no such VG). Since: 0.1 */
int tb_vgremove(struct tb_ctx *ctx, const char *vg, bool force);
/* pvchange --metadatasize (a thinbox extension, core/pvmeta.c): give PV @pv of a VG a metadata
 * area of @size bytes at the device end (lvm2's mda1 layout), added or enlarged, out of
 * extents at the PV's end that no LV uses; the PV's first area is set to metadataignore when
 * it is the smaller. -ENOSPC (nothing written) when those extents are in use. Since: 0.1 */
int tb_pvchange_metadatasize(struct tb_ctx *ctx, const char *pv, uint64_t size);
/* vgextend VG DEVICE...: add the devices (made PVs first; @o may be NULL). 0 or -errno.
 * Since: 0.1 */
int tb_vgextend(struct tb_ctx *ctx, const char *vg, const char *const *devices, size_t n,
		const struct tb_pvcreate_opts *o);
/* vgreduce VG DEVICE...: drop unused PVs from VG (-EBUSY when extents are in use). 0 or
 * -errno. Since: 0.1 */
int tb_vgreduce(struct tb_ctx *ctx, const char *vg, const char *const *devices, size_t n);
/* vgchange: @activate -1 unchanged, 0 -an, 1 -ay; @monitor -1 unchanged, 0/1 (--monitor).
 * 0 or -errno. Since: 0.1 */
int tb_vgchange(struct tb_ctx *ctx, const char *vg, int activate, int monitor);

struct tb_lvcreate_opts {
	const char *vg;
	const char *name;          /* NULL: lvol<N> */
	struct tb_size size;       /* -L / -l (real size: linear LV or pool data) */
	uint64_t virtual_size;     /* -V, sectors (thin LV) */
	const char *pool;          /* thin LV: the pool's name (-T VG/POOL, --thinpool) */
	bool thin_pool;            /* --type thin-pool, or -T with -L */
	const char *origin;        /* -s VG/LV: thin snapshot of this thin LV; with @size an
				    * old-style (COW) snapshot of this linear LV */
	uint32_t chunk_size;       /* -c, sectors, 0: automatic */
	uint64_t poolmetadatasize; /* sectors, 0: automatic */
	int zero;                  /* -Z: -1 default */
	int wipesignatures;        /* -W: -1 default */
	int activate;              /* -a: -1 default (y), 0 n, 1 y */
	int discards;              /* -1 default, else enum: 0 ignore, 1 nopassdown, 2 passdown */
	int errorwhenfull;         /* -1 default */
	bool contiguous;           /* -C y */
	const char *profile;       /* --metadataprofile */
	const char *const *pvs;    /* PVs to allocate from (paths), may be NULL */
	size_t n_pvs;
	/* Since: 0.1 */
	struct tb_tags tags;         /* --addtag */
	char permission;             /* -p: 0 default (rw), 'r', 'w' */
	char activation_skip;        /* -k/--setactivationskip: 0 default, 'y', 'n' */
	bool ignore_activation_skip; /* -K */
	char autoactivation;         /* --setautoactivation: 0 default, 'y', 'n' */
	/* with thin_pool and virtual_size: create the pool @pool_name and the thin LV @name in
	 * it (lvcreate -L SIZE -T VG/POOL -V SIZE -n THIN) */
	const char *pool_name;
	/* -i/-I: @stripes areas on distinct PVs (0 or 1: linear), @stripe_size sectors (a power
	 * of 2, >= 8; reduced to the extent size as lvm2). Linear LVs only. Since: 0.1 */
	uint32_t stripes, stripe_size;
	/* --type raid1 / -m N: a raid1 LV of @mirrors + 1 images, each on its own PV (0: not
	 * raid); @region_size sectors (-R, a power of 2; 0: lvm2's default 2 MiB); @nosync
	 * (--nosync): no initial sync. Since: 0.1 */
	uint32_t mirrors, region_size;
	bool nosync;
};
/* lvcreate: a linear LV, a thin pool (@o->thin_pool), a thin LV (@o->pool with
 * @o->virtual_size) or a thin snapshot (@o->origin). Activates it unless @o->activate is 0
 * (thin pools then start the monitor, see tb_ctx_set_monitor_start_fn). 0, or -errno
 * (-ENOSPC not enough free extents, -EEXIST name taken, -ENOENT no such VG/pool/origin,
 * -EINVAL bad options); a refused call changes nothing. Since: 0.1 */
int tb_lvcreate(struct tb_ctx *ctx, const struct tb_lvcreate_opts *o);

struct tb_lvconvert_opts {
	const char *vg;
	const char *thinpool;      /* the data LV */
	const char *poolmetadata;  /* the metadata LV, NULL: allocate one */
	uint32_t chunk_size;       /* sectors, 0: automatic */
	uint64_t poolmetadatasize; /* sectors, when allocating */
	int zero;
	int discards;
	bool yes;
};
/* lvconvert --type thin-pool VG/DATA [--poolmetadata META]: make a thin pool of two linear
 * LVs. 0 or -errno. Since: 0.1 */
int tb_lvconvert_thinpool(struct tb_ctx *ctx, const struct tb_lvconvert_opts *o);
/* lvconvert --repair VG/POOL (lvm2's): thin_repair from the inactive pool's _tmeta into the
 * pool metadata spare (made or grown first when needed), the spare becomes _tmeta, the old
 * metadata the visible LV POOL_meta<N>, a new spare when there is room. 0, -ENOENT when
 * thin_repair is not installed, -EBUSY for an active pool, else -errno. Since: 0.1 */
int tb_lvconvert_repair(struct tb_ctx *ctx, const char *vg, const char *pool);

struct tb_lvresize_opts {
	const char *vg, *lv;
	struct tb_size size;             /* new size or +/- delta */
	struct tb_size poolmetadatasize; /* --poolmetadatasize [+]N (sectors) */
	bool extend_only;                /* lvextend */
	bool use_policies;               /* --use-policies: grow as the autoextend policy says */
	bool resizefs;                   /* -r: grow the LV's filesystem too (Since: 0.1) */
	/* -i/-I for the new segment (a pool: of its data); 0: not given, lvm2 then takes the
	 * LV's segments' stripes and stripe size (sectors). Since: 0.1 */
	uint32_t stripes, stripe_size;
};
/* lvextend / lvresize: grow a linear LV, a thin LV or a pool's data (and, with
 * poolmetadatasize, its metadata); active LVs are reloaded. 0, or -errno (-ENOSPC no free
 * extents, -EINVAL a smaller size: thinbox does not reduce). Since: 0.1 */
int tb_lvresize(struct tb_ctx *ctx, const struct tb_lvresize_opts *o);
/* lvremove [-f] VG/LV (an active LV is deactivated first; a pool with thin LVs: -EBUSY).
 * 0 or -errno. Since: 0.1 */
int tb_lvremove(struct tb_ctx *ctx, const char *vg, const char *lv, bool force);
/* lvrename VG LV NEW: inactive LVs only (-EBUSY when active; thin pools and hidden LVs:
 * -EOPNOTSUPP; -EEXIST the name is taken). 0 or -errno. Since: 0.1 */
int tb_lvrename(struct tb_ctx *ctx, const char *vg, const char *lv, const char *new_name);

struct tb_lvchange_opts {
	int activate;                /* -1 unchanged, 0 -an, 1 -ay */
	const char *metadataprofile; /* NULL unchanged */
	bool detachprofile;
	int errorwhenfull; /* -1 unchanged */
	int discards;      /* -1 unchanged */
	int monitor;       /* -1 unchanged */
	/* Since: 0.1 */
	struct tb_tags tags;
	char permission;             /* -p: 0 unchanged, 'r', 'w' */
	char activation_skip;        /* -k: 0 unchanged, 'y', 'n' */
	bool ignore_activation_skip; /* -K: activate even with the activation-skip flag */
	char autoactivation;         /* --setautoactivation: 0 unchanged, 'y', 'n' */
	bool refresh;                /* --refresh: reload the active tables from the metadata */
	bool autoactivate_only;      /* -aay: only LVs whose autoactivation is on */
	bool yes; /* -y: answer lvm2's prompts (-a of an old-style snapshot changes its origin) */
};
/* lvchange VG/LV: what @o does not leave unchanged. 0 or -errno. Since: 0.1 */
int tb_lvchange(struct tb_ctx *ctx, const char *vg, const char *lv,
		const struct tb_lvchange_opts *o);

/* ---- lvm2 2.03 commands and forms used by TopoLVM, OpenEBS, Incus, Proxmox, csi-driver-lvm and
 * container-storage-setup (docs/clients.md) ---- */

/* lvm2's tag rule (tag_arg + validate_tag): a leading '@' is dropped, then the tag must be
 * non-empty and made of A-Za-z0-9 and . _ - + / = ! : & # (ASCII, whatever the locale).
 * Returns the tag without '@' (borrowed from @arg) or NULL when it is invalid; no ctx, no
 * I/O. Since: 0.1 */
const char *tb_tag_check(const char *arg);
/* Every VG name found on the devices (a scan, no locks), sorted and without duplicates.
 * *ret is an array of *ret_n strings; the caller frees each and the array (free()). 0, or
 * -errno from the scan (*ret untouched). Since: 0.1 */
int tb_vg_names(struct tb_ctx *ctx, char ***ret, size_t *ret_n);
/* vgs @tag as lvm2's process_each_vg: the names of the VGs carrying @tag (with or without
 * its '@'), each VG read under its shared lock. *ret: *ret_n strings, caller frees each and
 * the array. 0; -EINVAL for a tag tb_tag_check refuses; else -errno (*ret untouched).
 * Since: 0.1 */
int tb_vg_select_tag(struct tb_ctx *ctx, const char *tag, char ***ret, size_t *ret_n);
/* lvs @tag as lvm2's process_each_lv: "VG/LV" of every visible LV that carries @tag or
 * whose VG does. Ownership and return values as tb_vg_select_tag. Since: 0.1 */
int tb_lv_select_tag(struct tb_ctx *ctx, const char *tag, char ***ret, size_t *ret_n);

struct tb_vgchange_opts {
	int activate; /* -1 unchanged, 0 -an, 1 -ay */
	int monitor;  /* -1 unchanged, 0/1 */
	struct tb_tags tags;
	bool ignore_activation_skip; /* -K */
	bool autoactivate_only;      /* -aay: LVs and VGs with autoactivation on only */
	char autoactivation;         /* --setautoactivation: 0 unchanged, 'y', 'n' */
};
/* vgchange with every option of @o (tb_vgchange is the -a/--monitor subset): the tags and
 * --setautoactivation are applied and committed first, then the VG's visible LVs are
 * activated (skipping activation-skip LVs unless -K, and with -aay the VG and LVs whose
 * autoactivation is off) or deactivated, and monitoring of its thin pools set; activation of
 * a pool may start the monitor (tb_monitor_start). @o is only read. 0 or -errno (-ENOENT no
 * such VG, -EINVAL a bad tag); a failure after the commit leaves the committed change.
 * Since: 0.1 */
int tb_vgchange_ex(struct tb_ctx *ctx, const char *vg, const struct tb_vgchange_opts *o);
/* pvchange --addtag/--deltag DEV...: apply @tags to each of the @n @devices in turn, each
 * VG committed on its own (lvm2 keeps PV tags in the VG metadata, so a PV in no VG is
 * -EINVAL). 0, -ENOENT for a device that is not a PV, or -errno; the PVs before a failing one
 * stay changed. Since: 0.1 */
int tb_pvchange_tags(struct tb_ctx *ctx, const char *const *devices, size_t n,
		     const struct tb_tags *tags);
/* lvremove VG: remove every visible LV of @vg (thin pools with their thin LVs first, then the
 * rest, each with its snapshots), each deactivated first and committed on its own. @force:
 * -f/-y, lvm2's answer to its "will remove N dependent volume(s)" prompt (without it a pool
 * that has thin LVs is -EBUSY). 0; -EBUSY for an LV in use; else -errno. The LVs removed
 * before a failure stay removed. Since: 0.1 */
int tb_lvremove_vg(struct tb_ctx *ctx, const char *vg, bool force);
/* vgrename OLD NEW: rename the VG in its metadata (under the global lock and both VG locks,
 * in name order), then its active LVs' device-mapper names and /dev/NEW links, and drop the
 * old backup file. 0; -EINVAL (the same name, or an invalid new name), -EEXIST (a VG or
 * /dev/NEW of that name exists), -ENOENT (no VG @old_name), or -errno; refused calls change
 * nothing. Since: 0.1 */
int tb_vgrename(struct tb_ctx *ctx, const char *old_name, const char *new_name);
/* pvresize [--setphysicalvolumesize] DEV: grow (or shrink to the last used extent) the PV on
 * @device to @set_sectors, or with 0 to its device's size; a PV in no VG only has its header
 * rewritten. 0; -ENOENT not a PV, -EINVAL a size above the device's or below one extent,
 * -EBUSY extents beyond the new end are allocated (nothing written); else -errno.
 * Since: 0.1 */
int tb_pvresize(struct tb_ctx *ctx, const char *device, uint64_t set_sectors);
/* vgscan [--mknodes]: lvm2's "Found volume group" line per VG at LOG_NOTICE (through the
 * ctx's log function); with @mknodes also the /dev/mapper nodes and /dev/VG/LV links of the
 * active LVs. 0 or -errno. Since: 0.1 */
int tb_vgscan(struct tb_ctx *ctx, bool mknodes);
/* pvscan: without @cache lvm2's listing lines ("PV ... VG ... [size / free free]", "Total:
 * ...") at LOG_NOTICE (lvscan is cli/cmd-display.c's). With @cache (pvscan --cache; thinbox
 * keeps no online cache): the "online" lines of the @n @devs (all devices when @n is 0), and
 * with @autoactivate (-aay) each VG on them autoactivated as tb_vgchange_ex with
 * autoactivate_only. @devs is only read. 0 or -errno. Since: 0.1 */
int tb_pvscan(struct tb_ctx *ctx, bool cache, bool autoactivate, const char *const *devs, size_t n);
/* vgcfgbackup [-f FILE] VG: write lvm2's backup file of @vg, read under its shared lock: with
 * @file NULL the ordinary backup (tb_ctx_get_sysconf_dir()/backup/VG), else @file (a "%s" in
 * it stands for the VG name), replaced atomically. 0 or -errno (-ENOENT no such VG).
 * Since: 0.1 */
int tb_vgcfgbackup(struct tb_ctx *ctx, const char *vg, const char *file);
/* vgcfgrestore [-f FILE] VG: commit the metadata of @file (NULL: the ordinary backup,
 * tb_ctx_get_sysconf_dir()/backup/VG) to the VG's PVs, with a seqno past every copy on them.
 * Refused with nothing written: a file that cannot be read (-errno of the open; -EFBIG over
 * 64 MiB), does not parse or is not a valid VG (-EBADMSG), holds another VG than @vg
 * (-EINVAL); thin pools without @force (-EINVAL; lvm2's --force); a PV of the file missing
 * (-ENODEV) or in another VG (-EBUSY); an active LV (-EBUSY). 0 or -errno. Since: 0.1 */
int tb_vgcfgrestore(struct tb_ctx *ctx, const char *vg, const char *file, bool force);
/* --config STRING: the settings thinbox honours (devices/filter, devices/global_filter,
 * activation/..., global/...) are merged over lvm.conf for this ctx, a later string over an
 * earlier one; @config is parsed and not kept (NULL: no-op). 0; -EBADMSG with the line and
 * reason when the string does not parse; -E2BIG after too many strings. Since: 0.1 */
int tb_ctx_set_config(struct tb_ctx *ctx, const char *config);

/* ---- reports (lvs, vgs, pvs): one callback per row ---- */
/* Values of further lvm2 report fields, by lvm2 field id ("lv_full_name", "pv_mda_free"...),
 * for the fields the row structs do not name. Borrowed for the callback's duration. */
enum tb_rf_kind {
	TB_RF_STR,  /* s */
	TB_RF_SIZE, /* u: sectors */
	TB_RF_NUM,  /* u */
	TB_RF_BIN,  /* i: 1, 0, or -1 undefined */
	TB_RF_PCT,  /* num / den */
	TB_RF_TIME, /* i: seconds since the epoch */
};
struct tb_rfield {
	const char *id; /* a string literal: the same address for every row */
	enum tb_rf_kind kind;
	const char *s;
	uint64_t u;
	int64_t i;
	uint64_t num, den;
};
/* The fields of one segment (LV segment or PV segment). */
struct tb_rseg {
	const struct tb_rfield *fields;
	size_t n_fields;
};
struct tb_lv_row {
	const char *vg, *name, *uuid, *pool, *origin, *dm_path, *segtype, *profile;
	char attr[11];
	uint64_t size; /* sectors */
	bool visible;
	bool active;
	bool has_data_percent, has_meta_percent;
	uint64_t data_num, data_den; /* Data%: used / total (pool blocks, or thin sectors) */
	uint64_t meta_num, meta_den; /* Meta%: used / total metadata blocks */
	bool is_pool, is_thin;
	uint32_t chunk_size; /* sectors, pools */
	bool has_transaction_id;
	uint64_t transaction_id;
	bool has_thin_id;
	uint32_t thin_id;
	const char *seg_monitor; /* "monitored", "not monitored" or "" */
	uint64_t seg_count;
	const struct tb_rfield *fields; /* every other lvm2 LV field */
	size_t n_fields;
	const struct tb_rseg *segs; /* one per LV segment (lvm2 SEGS fields) */
	size_t n_segs;
	size_t md_index; /* position in the VG metadata's LV list */
};
struct tb_vg_row {
	const char *name, *uuid;
	char attr[7];
	uint32_t pv_count, lv_count, snap_count;
	uint64_t size, free; /* sectors */
	uint64_t extent_size, extent_count, free_count;
	uint32_t seqno;
	const struct tb_rfield *fields; /* every other lvm2 VG field */
	size_t n_fields;
};
struct tb_pv_row {
	const char *name, *vg, *uuid, *fmt;
	char attr[4];
	uint64_t size, free, dev_size, pe_start; /* sectors */
	uint64_t pe_count, pe_alloc;
	const struct tb_rfield *fields; /* every other lvm2 PV field */
	size_t n_fields;
	const struct tb_rseg *pvsegs; /* the PV's extent map (lvm2 PVSEGS), used and free */
	size_t n_pvsegs;
};
/* lvs [-a] [VG|VG/LV...] (@n 0: every VG): @cb once per LV in lvm2's order (@all: hidden
 * LVs too). Every pointer in @row is borrowed for the callback's duration. A callback
 * returning < 0 stops the report with that value. 0, or -errno (-ENOENT a named VG or LV
 * does not exist; the other rows are still reported). Since: 0.1 */
int tb_report_lvs(struct tb_ctx *ctx, const char *const *vgs, size_t n, bool all,
		  int (*cb)(void *userdata, const struct tb_lv_row *row), void *userdata);
/* tb_report_lvs computing only the further fields (row->fields, segment fields) for which
 * @want(@want_ud, id) is true (@want NULL: all), so that a report of 10,000s of LVs does not
 * build ~100 values per row it never shows. @want is also asked "lv_uuid" and "lv_dm_path"
 * (false: row->uuid and row->dm_path are "") and "_segments" (false: no segment sets,
 * row->n_segs 0). Since: 0.1 */
int tb_report_lvs_want(struct tb_ctx *ctx, const char *const *vgs, size_t n, bool all,
		       bool (*want)(void *want_ud, const char *id), void *want_ud,
		       int (*cb)(void *userdata, const struct tb_lv_row *row), void *userdata);
/* vgs [VG...]: as tb_report_lvs, one row per VG. Since: 0.1 */
int tb_report_vgs(struct tb_ctx *ctx, const char *const *vgs, size_t n,
		  int (*cb)(void *userdata, const struct tb_vg_row *row), void *userdata);
/* pvs [PV...]: as tb_report_lvs, one row per PV (and device with a PV label). Since: 0.1 */
int tb_report_pvs(struct tb_ctx *ctx, const char *const *pvs, size_t n,
		  int (*cb)(void *userdata, const struct tb_pv_row *row), void *userdata);

/* ---- lvm.conf (lvmconfig, dumpconfig) ---- */
/* The value at @path ("activation/thin_pool_autoextend_threshold") in the sysconf dir's
 * lvm.conf as lvm2's lvmconfig prints it (100, "text", ["a", "b"]); *ret: caller frees.
 * -ENOENT when the file or the key is absent, -EBADMSG when lvm.conf does not parse.
 * Since: 0.1 */
int tb_config_lookup(struct tb_ctx *ctx, const char *path, char **ret);

/* ===== device-mapper (thinbox dm) ===========================================================
 * Raw device-mapper access for `thinbox dm` (dmsetup-like). Names are device-mapper names,
 * tables use dmsetup's syntax ("start length type params", one line per target; devices as
 * MAJ:MIN or paths). Errors keep the kernel's errno (-EBUSY, -EEXIST, -ENXIO, -EINVAL) and
 * tb_ctx_errmsg() names the device and the ioctl. */

#define TB_DM_NAME_LEN 128
#define TB_DM_UUID_LEN 129
#define TB_DM_TYPE_LEN 16

/* Flags of the tb_dm_* calls. */
#define TB_DM_READONLY (1U << 0)    /* create, load */
#define TB_DM_NOFLUSH (1U << 1)     /* suspend, status */
#define TB_DM_SKIP_LOCKFS (1U << 2) /* suspend */
#define TB_DM_DEFERRED (1U << 3)    /* remove */
#define TB_DM_RETRY (1U << 4)       /* remove: retry briefly while transiently open */
#define TB_DM_INACTIVE (1U << 5)    /* table, status: the inactive table */

struct tb_dm_info {
	bool suspended, read_only, live_table, inactive_table, deferred_remove;
	int32_t open_count;
	uint32_t event_nr, target_count;
	uint32_t major, minor;
	uint32_t read_ahead_sectors; /* 0 if unknown */
	char name[TB_DM_NAME_LEN];
	char uuid[TB_DM_UUID_LEN];
};
struct tb_dm_dev {
	uint32_t major, minor, event_nr;
	char name[TB_DM_NAME_LEN];
	char uuid[TB_DM_UUID_LEN];
};
struct tb_dm_devno {
	uint32_t major, minor;
};
struct tb_dm_target {
	uint64_t start, len;
	char type[TB_DM_TYPE_LEN];
	char *params; /* table params or status text */
};
struct tb_dm_target_type {
	char name[TB_DM_TYPE_LEN];
	uint32_t version[3];
};

/* Print every device-mapper ioctl, decoded, to stderr (as THINBOX_TRACE=1). Since: 0.1 */
void tb_ctx_set_trace(struct tb_ctx *ctx, bool on);
/* The kernel's ioctl interface version. Since: 0.1 */
int tb_dm_driver_version(struct tb_ctx *ctx, uint32_t ret[3]);
/* All devices. *ret: *ret_n entries, caller frees (free()). 0 or -errno. Since: 0.1 */
int tb_dm_list(struct tb_ctx *ctx, struct tb_dm_dev **ret, size_t *ret_n);
/* All target types the kernel has loaded. *ret: *ret_n entries, caller frees (free()). 0 or
 * -errno. Since: 0.1 */
int tb_dm_target_types(struct tb_ctx *ctx, struct tb_dm_target_type **ret, size_t *ret_n);
/* One device; -ENXIO if missing. Since: 0.1 */
int tb_dm_info(struct tb_ctx *ctx, const char *name, struct tb_dm_info *ret);
/* The devices a device's live table uses. *ret: caller frees. Since: 0.1 */
int tb_dm_deps(struct tb_ctx *ctx, const char *name, struct tb_dm_devno **ret, size_t *ret_n);
/* Table lines (dmsetup table). flags: TB_DM_INACTIVE. *ret: *ret_n targets, caller frees with
 * tb_dm_targets_free. 0 or -errno (-ENXIO no such device). Since: 0.1 */
int tb_dm_table(struct tb_ctx *ctx, const char *name, unsigned flags, struct tb_dm_target **ret,
		size_t *ret_n);
/* Status lines (dmsetup status). flags: TB_DM_INACTIVE, TB_DM_NOFLUSH. Ownership and return
 * values as tb_dm_table. Since: 0.1 */
int tb_dm_status(struct tb_ctx *ctx, const char *name, unsigned flags, struct tb_dm_target **ret,
		 size_t *ret_n);
/* Free @n targets of tb_dm_table/tb_dm_status (and their params); NULL is fine. Since: 0.1 */
void tb_dm_targets_free(struct tb_dm_target *t, size_t n);
/* Create @name (uuid may be NULL); with @table (may be NULL: no table) load and resume it and
 * make /dev/mapper/<name>. A refused table removes the new device again. flags:
 * TB_DM_READONLY. @ret may be NULL. Since: 0.1 */
int tb_dm_create(struct tb_ctx *ctx, const char *name, const char *uuid, const char *table,
		 unsigned flags, struct tb_dm_info *ret);
/* Load @table as the inactive table (flags: TB_DM_READONLY). Since: 0.1 */
int tb_dm_load(struct tb_ctx *ctx, const char *name, const char *table, unsigned flags);
/* Drop the inactive table. Since: 0.1 */
int tb_dm_clear(struct tb_ctx *ctx, const char *name);
/* flags: TB_DM_NOFLUSH, TB_DM_SKIP_LOCKFS. Since: 0.1 */
int tb_dm_suspend(struct tb_ctx *ctx, const char *name, unsigned flags);
/* Resume (swapping in the inactive table) and make the node. Since: 0.1 */
int tb_dm_resume(struct tb_ctx *ctx, const char *name);
/* Remove and drop the node. flags: TB_DM_DEFERRED, TB_DM_RETRY. Since: 0.1 */
int tb_dm_remove(struct tb_ctx *ctx, const char *name, unsigned flags);
/* Rename a device (and its /dev/mapper node). Since: 0.1 */
int tb_dm_rename(struct tb_ctx *ctx, const char *old, const char *new_name);
/* *ret_reply (may be NULL): the target's answer, "" if none; caller frees. Since: 0.1 */
int tb_dm_message(struct tb_ctx *ctx, const char *name, uint64_t sector, const char *msg,
		  char **ret_reply);
/* Block until the device's event counter is not @event_nr. @ret may be NULL. Since: 0.1 */
int tb_dm_wait(struct tb_ctx *ctx, const char *name, uint32_t event_nr, struct tb_dm_info *ret);
/* Make /dev/mapper agree with the kernel: for @name, or for all devices if NULL. Since: 0.1 */
int tb_dm_mknodes(struct tb_ctx *ctx, const char *name);
/* ===== end of device-mapper (thinbox dm) ==================================================== */

/* ---- thinbox check (pvck-style health of labels, PV headers and metadata areas) ---- */
struct tb_check_mda {
	uint64_t offset, size; /* bytes */
	int status;            /* 0 healthy, -ENODATA empty/ignored, else -errno */
	char reason[256];      /* why not healthy */
	bool has_text;
	uint32_t seqno;
	char vgname[128];
	uint64_t text_offset, text_size;
	uint32_t text_checksum;
};
struct tb_check_report {
	const char *device;
	int label_status; /* 0, -ENOENT (no label), -EBADMSG (bad label) */
	char label_reason[256];
	uint64_t label_sector;
	char pv_uuid[40];
	uint64_t device_size; /* bytes, from the PV header */
	uint64_t pe_start;    /* bytes */
	uint32_t ext_version, ext_flags;
	size_t n_mda;
	struct tb_check_mda mda[2];
};
/* One report per device (NULL/0: every device with a label). Returns 0, or 1 when a problem
 * was found (still calling @cb for every device). Since: 0.1 */
int tb_check_devices(struct tb_ctx *ctx, const char *const *devices, size_t n,
		     int (*cb)(void *userdata, const struct tb_check_report *r), void *userdata);
/* ==== monitor: in-process thin pool autoextend (thinbox monitor, docs/monitor.md) ==========
 * One loop watches every active thin pool (or the named ones): it arms device-mapper event
 * polling, reads each pool's status after every wakeup (events are edge-triggered) and at a
 * slow safety interval, and when data or metadata usage reaches
 * activation/thin_pool_autoextend_threshold it grows the pool in-process by the policy
 * amount, under V_<vg>, exactly as `lvextend --use-policies` does. Failed, needs_check and
 * read-only pools are never touched. SIGHUP reloads the configuration and rescans the VGs;
 * SIGTERM/SIGINT end the loop (the pools are unmarked). Since: 0.1 */
struct tb_monitor_opts {
	const char *const *targets; /* "VG" or "VG/POOL"; n_targets 0: every pool */
	size_t n_targets;
	unsigned interval_ms;  /* safety poll; 0: 2000 */
	unsigned retry_max_ms; /* backoff cap after a failed extension; 0: 30000 */
	unsigned rescan_ms;    /* re-read the VGs (profiles, new pools); 0: 10000 */
	/* do not stage the next extension ahead (every extension then reads and commits the
	 * VG in full when the threshold is crossed; see docs/monitor.md "The fast path") */
	bool no_stage;
	/* one pass, then return (thinbox monitor --once): every active pool (or the named ones)
	 * is checked once and extended if it is over its threshold, as the loop's first pass;
	 * nothing is marked watched and nothing staged. Returns -EIO when a pool was left
	 * needing attention (could not be extended, failed, needs_check, read-only). */
	bool once;
	/* called once the first pass is done (every pool found is marked watched) */
	void (*ready)(void *userdata);
	void *userdata;
};
/* Run the loop until SIGTERM/SIGINT (returns 0) or a fatal error (-errno). Blocks SIGHUP,
 * SIGTERM and SIGINT in the calling thread and takes them through a signalfd. Messages go to
 * the ctx's log fn: extensions at LOG_NOTICE, state changes at LOG_WARNING/LOG_ERR.
 * Since: 0.1 */
int tb_monitor_run(struct tb_ctx *ctx, const struct tb_monitor_opts *o);
/* The default daemon's pidfile, "<run dir>/monitor.pid" of @ctx, into @buf (truncated to
 * @len). Returns 0. Since: 0.1 */
int tb_monitor_default_pidfile(const struct tb_ctx *ctx, char *buf, size_t len);
/* The pid of the monitor that holds the lock on @pidfile (NULL: the default one of @ctx),
 * 0 when none runs. Since: 0.1 */
int tb_monitor_daemon_pid(const struct tb_ctx *ctx, const char *pidfile);
/* ==== end of monitor ======================================================================= */

/* ==== damaged disks (core/repair.c, docs/damaged-disks.md) ================================ */
/* vgck VG: 0 when every copy of VG's metadata on its present PVs reads, is the newest and is
 * consistent; -EBADMSG (message: what and where) otherwise. @update (--updatemetadata):
 * rewrite every header and copy from the newest good copy (a commit with seqno + 1, bad
 * headers made anew first); refused, with nothing written, for a VG thinbox cannot change
 * (duplicate PVs, a missing PV, overlapping extents, foreign/exported/shared). Since: 0.1 */
int tb_vgck(struct tb_ctx *ctx, const char *vg, bool update);
/* vgreduce --removemissing [--force] VG: drop the PVs VG lists that no device carries. LVs
 * with extents on them (partial LVs) block it (-EBUSY, nothing written) unless @force, which
 * removes them first (plain inactive LVs only; thin pools: -EOPNOTSUPP). Since: 0.1 */
int tb_vgreduce_missing(struct tb_ctx *ctx, const char *vg, bool force);
/* vgexport VG (core/foreign.c): set the VG's and its PVs' EXPORTED status and drop the
 * system ID, as lvm2. 0; -EBUSY (nothing written) for a VG with active LVs; else -errno.
 * Since: 0.1 */
int tb_vgexport(struct tb_ctx *ctx, const char *vg);
/* vgimport VG: clear the EXPORTED status tb_vgexport set. 0; -EINVAL (nothing written) for a
 * VG that is not exported; else -errno. Since: 0.1 */
int tb_vgimport(struct tb_ctx *ctx, const char *vg);
/* vgchange --locktype none --lockopt force -y VG (core/foreign.c): lvm2's recovery of a
 * shared VG without lvmlockd: lock_type "none", no lock_args, no CLUSTERED status (a commit
 * with seqno + 1; a local VG gets lock_type "none" too, as lvm2 writes it). Refused with
 * nothing written for a VG thinbox cannot change for another reason. Since: 0.1 */
int tb_vg_locktype_none(struct tb_ctx *ctx, const char *vg);
/* pvck --repair [-f FILE] DEV (core/pvck.c): write DEV's label, PV header and first mda
 * header back from FILE (a vgcfgbackup file or raw metadata) or, when @file is NULL, from the
 * newest copy left in DEV's metadata area. Refused with nothing written when that is not
 * certain: two different newest copies (-ENOTUNIQ), a text that does not parse (-EBADMSG),
 * no PV of the text for DEV (-ENOENT), its PV id on another device (-EEXIST), two mdas
 * (-EOPNOTSUPP), a device smaller than the PV (-ENOSPC). Since: 0.1 */
int tb_pvck_repair(struct tb_ctx *ctx, const char *dev, const char *file);
/* 0 when @name may be given to lvcreate -n / lvrename, else -EINVAL with lvm2 2.03.16's
 * message in @msg ("Logical volume name "x" is invalid.", "Names starting/including ... are
 * reserved. ..."): lvm2 exits 3 for these. Since: 0.1 */
int tb_lv_name_check(const char *name, char *msg, size_t len);
/* 0 when @name may be given to vgcreate as a new VG's name, else -EINVAL/-EEXIST with lvm2
 * 2.03.16's first line in @msg ("Name cannot start with hyphen.", "/dev/x: already exists
 * in filesystem", ...); lvm2 then prints "New volume group name "x" is invalid." and exits 3.
 * Since: 0.1 */
int tb_vg_name_check(const char *name, char *msg, size_t len);
/* ==== thinbox setup (cli/cmd-setup.c): what a device holds before it is touched ============ */
struct tb_device_state {
	uint64_t size;             /* bytes */
	bool busy;                 /* held exclusively elsewhere: mounted, a device-mapper table,
				     * md, swap (a second O_EXCL open fails with EBUSY) */
	char signature[64];        /* the first signature other than LVM2's libblkid finds
				     * ("xfs", "dos", ...), "" when none */
	uint64_t signature_offset; /* bytes */
	bool pv;                   /* carries an LVM2 label */
	bool pv_in_doubt;          /* labelled as used by a VG whose metadata is not found */
	char vg[128];              /* the VG the PV belongs to, "" when none */
};
/* Read what @path holds; changes nothing. Since: 0.1 */
int tb_device_state(struct tb_ctx *ctx, const char *path, struct tb_device_state *ret);
/* lvm2's configuration directory without a ctx: $LVM_SYSTEM_DIR, else /etc/lvm (static or
 * environment storage). With a ctx use tb_ctx_get_sysconf_dir. Since: 0.1 */
const char *tb_config_dir(void);
/* Start the default monitor daemon as activation does (the spawn or the hook of
 * tb_ctx_set_monitor_start_fn). Returns 1 when it was started, 0 when one runs already,
 * -ECANCELED when monitoring is off (THINBOX_NO_MONITOR_START=1 or lvm.conf
 * activation/monitoring=0), else -errno. Since: 0.1 */
int tb_monitor_start(struct tb_ctx *ctx);
/* ==== end of thinbox setup ================================================================== */

#ifdef __cplusplus
}
#endif
