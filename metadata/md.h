/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-memory volume-group model: PVs, LVs, segments, extent allocation, thin pools, thin
 * volumes and transaction ids. Pure data and rules, no I/O (lvmfmt/ maps it to text, core/
 * to disks and the kernel).
 *
 * Ownership: struct md_vg owns every PV, LV and segment in it; md_vg_free frees the tree.
 * Pointers into the tree are borrowed and stay valid until the object is removed from the VG.
 * Sizes: *_extents are VG extents, *_sectors 512-byte sectors.
 *
 * Semantics follow lvm2 2.03 (lib/metadata, lib/thin): see docs/format.md and
 * ../shared/docs/lvm2-format.md sections 4.5-4.11.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MD_ID_LEN 32
#define MD_NAME_MAX 127
#define MD_THIN_MAX_DEVICE_ID 0xFFFFFFu
#define MD_THIN_MIN_CHUNK 128u       /* sectors, 64 KiB */
#define MD_THIN_MAX_CHUNK 2097152u   /* sectors, 1 GiB */
#define MD_THIN_MIN_META 4096u       /* sectors, 2 MiB */
#define MD_THIN_OPTIMAL_META 262144u /* sectors, 128 MiB */
#define MD_THIN_MAX_META 33292800u   /* sectors, lvm2's max without cropping */
#define MD_THIN_CROP_META 33161216u  /* sectors, what the kernel can use */
#define MD_PMSPARE_MAX 33554432u     /* sectors, 16 GiB cap on the spare */

/* Opaque preserved text (unknown fields of a section) owned by the model, managed by lvmfmt. */
struct md_extra {
	void *data;
	void (*free)(void *data);
};

/* VG status words (lvm2 "status"; unknown words there are fatal). */
enum {
	MD_VG_RESIZEABLE = 1u << 0,
	MD_VG_READ = 1u << 1,
	MD_VG_WRITE = 1u << 2,
	MD_VG_EXPORTED = 1u << 3,
	MD_VG_PVMOVE = 1u << 4,
	MD_VG_CLUSTERED = 1u << 5,
	MD_VG_SHARED = 1u << 6,
	MD_VG_PARTIAL = 1u << 7,
};
/* PV status words. */
enum {
	MD_PV_ALLOCATABLE = 1u << 0,
	MD_PV_EXPORTED = 1u << 1,
	MD_PV_MISSING = 1u << 2,
};
/* LV status words. */
enum {
	MD_LV_READ = 1u << 0,
	MD_LV_WRITE = 1u << 1,
	MD_LV_VISIBLE = 1u << 2,
	MD_LV_FIXED_MINOR = 1u << 3,
	MD_LV_PVMOVE = 1u << 4,
	MD_LV_LOCKED = 1u << 5,
	MD_LV_NOTSYNCED = 1u << 6,
	MD_LV_REBUILD = 1u << 7,
	MD_LV_WRITEMOSTLY = 1u << 8,
};
/* LV flags words (unknown ones are kept in md_lv.flags_other). */
enum {
	MD_LVF_WRITE_LOCKED = 1u << 0,
	MD_LVF_ACTIVATION_SKIP = 1u << 1,
	MD_LVF_NOAUTOACTIVATE = 1u << 2,
	MD_LVF_ERROR_WHEN_FULL = 1u << 3,
	MD_LVF_CACHE_VOL = 1u << 4,
};

/* A NULL-terminated string vector; md_strv_* helpers manage it. */
typedef char **md_strv;

struct md_pv {
	char id[MD_ID_LEN + 1]; /* undashed */
	char *device;           /* last known path (hint), may be NULL */
	unsigned status;        /* MD_PV_* */
	md_strv flags;          /* usually empty */
	md_strv tags;
	uint64_t dev_size; /* sectors */
	uint64_t pe_start; /* sectors */
	uint32_t pe_count;
	bool has_ba;
	uint64_t ba_start, ba_size;
	struct md_extra extra;
};

enum md_seg_kind {
	MD_SEG_STRIPED,
	MD_SEG_THIN_POOL,
	MD_SEG_THIN,
	MD_SEG_RAID,
	MD_SEG_UNKNOWN,
	MD_SEG_SNAPSHOT
};
enum md_discards { MD_DISCARDS_IGNORE, MD_DISCARDS_NOPASSDOWN, MD_DISCARDS_PASSDOWN };

struct md_lv;

/* One stripe area: extents of a PV (pv != NULL) or of another LV. */
struct md_area {
	struct md_pv *pv;
	struct md_lv *lv;
	uint32_t start; /* first PE of the PV, or first LE of the LV */
};

enum md_msg_kind { MD_MSG_CREATE, MD_MSG_DELETE };
struct md_msg {
	enum md_msg_kind kind;
	struct md_lv *lv;   /* CREATE: the thin LV */
	uint32_t device_id; /* DELETE */
};

struct md_seg {
	uint32_t start_extent; /* logical extent within the LV */
	uint32_t extent_count;
	enum md_seg_kind kind;
	char *type; /* the type string as read or to write ("striped", ...) */
	/* striped */
	uint32_t stripe_count, stripe_size;
	struct md_area *areas; /* stripe_count entries */
	/* thin-pool */
	struct md_lv *pool_meta, *pool_data;
	uint64_t transaction_id; /* also thin */
	uint32_t chunk_size;     /* sectors */
	enum md_discards discards;
	bool zero_new_blocks;
	bool has_crop_metadata;
	int64_t crop_metadata;
	struct md_msg *msgs;
	size_t n_msgs;
	/* raid1: areas[i].lv = image i (stripe_count = device_count), meta_areas[i].lv = its
	 * metadata LV (NULL entries: none) */
	struct md_area *meta_areas;
	uint32_t region_size; /* sectors, 0: none written */
	/* thin */
	struct md_lv *thin_pool, *origin, *merge, *external_origin;
	uint32_t device_id;
	/* snapshot (old-style COW, metadata/cow.c): origin above, chunk_size, the COW store */
	struct md_lv *cow;
	struct md_extra extra; /* unknown fields, or the whole section for UNKNOWN */
};

struct md_lv {
	char *name;
	char id[MD_ID_LEN + 1];
	unsigned status;     /* MD_LV_* */
	unsigned flags;      /* MD_LVF_* */
	md_strv flags_other; /* unknown flags words, preserved */
	md_strv tags;
	bool has_creation;
	int64_t creation_time;
	char *creation_host;
	char *profile;
	char *allocation_policy;
	bool has_read_ahead;
	int64_t read_ahead;
	bool has_major, has_minor;
	int64_t major, minor;
	char *lock_args;
	struct md_seg *segs; /* sorted by start_extent */
	size_t n_segs;
	struct md_extra extra;
	/* a COW store: the snapshotN LV whose "snapshot" segment names it (lvm2 lv->snapshot),
	 * kept by md_cow_link/md_cow_snapshot_add/md_cow_snapshot_drop; else NULL */
	struct md_lv *cow_snapshot;
};

struct md_vg {
	char *name;
	char id[MD_ID_LEN + 1];
	uint32_t seqno;
	char *format;
	unsigned status; /* MD_VG_* */
	md_strv flags;
	md_strv tags;
	char *system_id;
	char *lock_type, *lock_args;
	uint32_t extent_size; /* sectors */
	uint32_t max_lv, max_pv;
	char *allocation_policy;
	char *profile;
	bool has_metadata_copies;
	int64_t metadata_copies;
	struct md_pv **pvs;
	size_t n_pvs;
	struct md_lv **lvs; /* list order: written visible first, then hidden */
	size_t n_lvs;
	struct md_extra extra;
	struct md_extra extra_top; /* top-level fields around the VG section */
	struct md_vg_index *idx;   /* derived look-up caches (metadata/index.c), may be NULL */
};

/* ---- look-up indexes (index.c) ----
 * md_vg_find_lv and md_lv_pool_of answer from hash indexes built on first use. Code that
 * renames an LV, re-links pool sub-LVs or reorders/changes vg->lvs other than through
 * md_lv_new/md_lv_remove/md_lv_rename must call md_vg_index_drop afterwards. */
struct md_vg_index;
void md_vg_index_drop(struct md_vg *vg);
void md_vg_index_free(struct md_vg *vg);
void md_vg_index_added(struct md_vg *vg, struct md_lv *lv);
struct md_lv *md_vg_index_find_lv(const struct md_vg *vg, const char *name);
struct md_lv *md_vg_index_pool_of(const struct md_vg *vg, const struct md_lv *lv);
/* The thin snapshots whose origin is @origin, in VG list order (lvm2 lv_descendants, one
 * level): their count, *ret borrowed until the VG changes. Setting a thin's origin other than
 * through md_lv_new must drop the index. */
size_t md_vg_index_thin_children(const struct md_vg *vg, const struct md_lv *origin,
				 struct md_lv *const **ret);
/* The hidden snapshotN LVs of @origin's COW snapshots, in VG list order: *ret (borrowed until
 * the VG changes) and their count *n; 0, or -ENOMEM when the index cannot be built. */
int md_vg_index_cow_snapshots(const struct md_vg *vg, const struct md_lv *origin,
			      struct md_lv *const **ret, size_t *n);

/* ---- string vectors ---- */
size_t md_strv_len(md_strv v);
int md_strv_push(md_strv *v, const char *s);
bool md_strv_contains(md_strv v, const char *s);
md_strv md_strv_free(md_strv v);
void md_extra_clear(struct md_extra *e);

/* ---- segment types ---- */
/* "striped", the type of nearly every segment, as one string that all of them share (a VG of
 * 10,000 LVs held 10,000 copies): never freed. A segment's type is freed with
 * md_seg_type_free, which leaves this one alone. */
char *md_seg_type_striped(void);
/* md_seg_type_dup: the shared "striped" for "striped", else a copy (NULL: out of memory). */
char *md_seg_type_dup(const char *type, size_t len);
void md_seg_type_free(char *type);

/* ---- ids ---- */
/* Map 32 random bytes to a new id (62-character alphabet, as lvm2). @ret gets 33 bytes. */
void md_id_from_random(const uint8_t rnd[MD_ID_LEN], char ret[MD_ID_LEN + 1]);
/* Parse an id written with or without dashes; -EINVAL unless exactly 32 valid characters. */
int md_id_parse(const char *s, char ret[MD_ID_LEN + 1]);
/* md_id_parse of the @len bytes at @s (not NUL-terminated; a NUL among them is invalid). */
int md_id_parse_n(const char *s, size_t len, char ret[MD_ID_LEN + 1]);
/* Format with lvm2's 6-4-4-4-4-4-6 dashes; @ret gets 39 bytes. */
void md_id_format(const char *id, char ret[MD_ID_LEN + 7]);

/* ---- names (lvm2 lib/misc/lvm-string.c rules) ---- */
/* 0 or -EINVAL; on failure *ret_reason (static string) says why. */
int md_name_check(const char *name, const char **ret_reason);
/* The one VG/LV name rule (lvm2 validate_name): 1..127 of [A-Za-z0-9+_.-] in any locale, not
 * starting with '-', not "." or "..". md_name_check on @len bytes (no NUL needed);
 * md_name_char_is_valid: @c is in the set. */
int md_name_check_len(const char *name, size_t len, const char **ret_reason);
bool md_name_char_is_valid(char c);
int md_lv_name_check_user(const char *name, const char **ret_reason);
/* dm name "<vg>-<lv>[-<layer>]" with '-' doubled; caller frees. */
int md_dm_name(const char *vg, const char *lv, const char *layer, char **ret);

/* ---- VG ---- */
int md_vg_new(const char *name, const char *id, uint32_t extent_size, struct md_vg **ret);
struct md_vg *md_vg_free(struct md_vg *vg);
/* Extent size rules as lvm2 vg_check_new_extent_size; reason on failure. */
int md_extent_size_check(uint64_t sectors, const char **ret_reason);
int md_vg_add_pv(struct md_vg *vg, const char *id, const char *device, uint64_t dev_size,
		 uint64_t pe_start, struct md_pv **ret);
int md_vg_remove_pv(struct md_vg *vg, struct md_pv *pv); /* -EBUSY when extents are used */
struct md_pv *md_vg_find_pv(const struct md_vg *vg, const char *id);
struct md_lv *md_vg_find_lv(const struct md_vg *vg, const char *name);
size_t md_vg_pv_index(const struct md_vg *vg, const struct md_pv *pv);
uint64_t md_vg_extent_count(const struct md_vg *vg);
uint64_t md_vg_free_count(const struct md_vg *vg);
uint32_t md_pv_used_extents(const struct md_vg *vg, const struct md_pv *pv);
/* True when the VG has a segment type, lock_type or status we cannot honour; *ret_reason. */
bool md_vg_is_readonly_for_us(const struct md_vg *vg, const char **ret_reason);
/* Structural checks after import (references, coverage, thin ids). -EBADMSG + reason. */
int md_vg_validate(const struct md_vg *vg, char *reason, size_t reason_len);
/* -EBADMSG (reason: the extent, PV and both LVs) when a physical extent is mapped by two LV
 * segments; -ENOMEM. Also part of md_vg_validate. */
int md_vg_check_overlaps(const struct md_vg *vg, char *reason, size_t reason_len);

/* ---- LVs ---- */
uint32_t md_lv_extents(const struct md_lv *lv);
bool md_lv_is_visible(const struct md_lv *lv);
bool md_lv_is_thin_pool(const struct md_lv *lv);
bool md_lv_is_thin(const struct md_lv *lv);
bool md_lv_is_pmspare(const struct md_lv *lv);
/* The LV that uses @lv as pool data/metadata (for _tdata/_tmeta), or NULL. */
struct md_lv *md_lv_pool_of(const struct md_vg *vg, const struct md_lv *lv);
bool md_lv_is_pool_data(const struct md_vg *vg, const struct md_lv *lv);
bool md_lv_is_pool_meta(const struct md_vg *vg, const struct md_lv *lv);
/* Thin LVs of a pool, in VG order; returns the count, fills up to @max. */
size_t md_pool_thins(const struct md_vg *vg, const struct md_lv *pool, struct md_lv **out,
		     size_t max);
struct md_lv *md_thin_by_device_id(const struct md_vg *vg, const struct md_lv *pool, uint32_t id);

/* New empty LV (no segments) appended to the VG list. @id: 32 chars. */
int md_lv_new(struct md_vg *vg, const char *name, const char *id, unsigned status,
	      struct md_lv **ret);
/* Remove an LV with no users; -EBUSY when another LV references it. */
int md_lv_remove(struct md_vg *vg, struct md_lv *lv);
int md_lv_rename(struct md_vg *vg, struct md_lv *lv, const char *new_name);
int md_lv_set_str(char **field, const char *value);

/* ---- allocation ---- */
enum md_alloc_policy { MD_ALLOC_NORMAL, MD_ALLOC_CONTIGUOUS, MD_ALLOC_ANYWHERE };
/* Allocate @extents linear extents for @lv (appended after its existing segments), from
 * @pvs (NULL/0 = any allocatable PV). -ENOSPC with nothing changed when it cannot. */
int md_lv_extend_linear(struct md_vg *vg, struct md_lv *lv, uint32_t extents,
			enum md_alloc_policy policy, struct md_pv *const *pvs, size_t n_pvs);
/* Append one linear segment (@count extents from PE @pe of @pv) to @lv; no merge. */
int md_lv_add_linear_seg(struct md_lv *lv, struct md_pv *pv, uint32_t pe, uint32_t count);
/* Free extents an allocation could use (for -ENOSPC messages). */
uint64_t md_alloc_available(const struct md_vg *vg, struct md_pv *const *pvs, size_t n_pvs);
/* Merge adjacent linear or striped segments of the same geometry whose every area continues
 * on the same PV, as lvm2 does (lv_merge_segments). */
void md_lv_merge_segments(struct md_lv *lv);
/* A free run of PEs of a PV. */
struct md_range {
	uint32_t start, len;
};
/* Free ranges of @pv, sorted by start. Caller frees *ret. 0 or -ENOMEM. */
int md_pv_free_ranges(const struct md_vg *vg, const struct md_pv *pv, struct md_range **ret,
		      size_t *ret_n);
/* Allocate @extents (a multiple of @stripes) for @lv as striped segments of @stripes equal
 * areas on distinct PVs (stripe size @stripe_size sectors), after lvm2's normal policy; an
 * existing LV's last segment continues in place when it has the same geometry, else new
 * segments follow it (lvextend -i/-I; its last segment must be linear or striped). From
 * @pvs (NULL/0 = any allocatable PV). -ENOSPC with nothing changed when it cannot (then
 * *@ret_allocated, if not NULL, says how many LV extents it found before it gave up, for
 * lvm2's "N more required"). */
int md_lv_extend_striped(struct md_vg *vg, struct md_lv *lv, uint32_t extents, uint32_t stripes,
			 uint32_t stripe_size, struct md_pv *const *pvs, size_t n_pvs,
			 uint32_t *ret_allocated);
/* The first parallel area only of a new LV's striped allocation of @extents (lvm2 places a
 * pool's metadata within that first round): one segment, as long as the shortest of the
 * @stripes areas chosen for the whole request; *@ret_allocated its length. -ENOSPC (nothing
 * changed) when fewer than @stripes PVs have room; -EINVAL for an LV with segments. */
int md_lv_extend_striped_first(struct md_vg *vg, struct md_lv *lv, uint32_t extents,
			       uint32_t stripes, uint32_t stripe_size, struct md_pv *const *pvs,
			       size_t n_pvs, uint32_t *ret_allocated);

/* ---- raid1 (metadata/raid.c) ---- */
#define MD_RAID1_MAX_IMAGES 64 /* lvm2 2.03.16 DEFAULT_RAID1_MAX_IMAGES */
bool md_lv_is_raid(const struct md_lv *lv);
/* The raid LV that has @lv as an image (NAME_rimage_K) or metadata (NAME_rmeta_K) sub-LV, or
 * NULL; *ret_idx = K, *ret_meta = a metadata sub-LV (either may be NULL). */
struct md_lv *md_lv_raid_of(const struct md_vg *vg, const struct md_lv *lv, uint32_t *ret_idx,
			    bool *ret_meta);
/* New raid1 LV @name of @extents with @images images, each a 1-extent NAME_rmeta_K and an
 * @extents NAME_rimage_K on its own PV (lvm2 allocates each pair together and splits it:
 * metadata first), from @pvs (NULL/0 = any allocatable PV). @ids: 1 + 2 * @images ids (the
 * LV, then rmeta_0, rimage_0, rmeta_1, ...). @nosync: NOTSYNCED (lvcreate --nosync).
 * -ENOSPC with nothing changed when the space is not there (*ret_allocated, if not NULL: how
 * many image extents were found, for lvm2's "N more required"). */
struct md_raid_params {
	uint32_t images, region_size;
	bool nosync;
};
int md_raid1_create(struct md_vg *vg, const char *name, const char (*ids)[MD_ID_LEN + 1],
		    uint32_t extents, const struct md_raid_params *rp, struct md_pv *const *pvs,
		    size_t n_pvs, uint32_t *ret_allocated, struct md_lv **ret);
/* Grow raid LV @lv by @extents: every image by @extents, each on its own PVs (never on a PV
 * another image of @lv uses). -ENOSPC with nothing changed. */
int md_raid_extend(struct md_vg *vg, struct md_lv *lv, uint32_t extents, struct md_pv *const *pvs,
		   size_t n_pvs);
/* Remove raid LV @lv and its sub-LVs. */
int md_raid_remove(struct md_vg *vg, struct md_lv *lv);
/* Rename raid LV @lv and its sub-LVs (NAME_rimage_K, NAME_rmeta_K). */
int md_raid_rename(struct md_vg *vg, struct md_lv *lv, const char *new_name);

/* ---- thin pools ---- */
/* The autoextend threshold lvm2 acts on: activation/thin_pool_autoextend_threshold, at least
 * 50 (the one copy of that rule; 100 and above: autoextend is off). */
int64_t md_threshold_clamp(int64_t threshold);
/* Low water mark (data blocks) for a pool of @data_sectors, chunk @chunk, threshold @t (%),
 * as lvm2 derives it: t>=100 -> 0; t<50 -> 50. */
uint64_t md_pool_low_water_mark(uint64_t data_sectors, uint32_t chunk, int64_t threshold);
/* lvm2's automatic chunk size / metadata size estimate for a new pool. */
int md_pool_estimate(uint64_t data_sectors, uint32_t chunk_in, uint64_t meta_in,
		     uint32_t *ret_chunk, uint64_t *ret_meta_sectors);
struct md_lv *md_vg_pmspare(const struct md_vg *vg);
/* Make @data (renamed <data>_tdata) and @meta (renamed <data>_tmeta) into a thin pool named
 * after @data. @spare_id: id for a new pmspare (created or extended to the metadata size).
 * Returns the new pool LV. */
struct md_pool_params {
	uint32_t chunk_size;
	bool zero;
	enum md_discards discards;
	bool make_spare;
};
int md_pool_convert(struct md_vg *vg, struct md_lv *data, struct md_lv *meta, const char *pool_id,
		    const char *spare_id, const struct md_pool_params *p, struct md_lv **ret_pool);
/* Next free thin device id of @pool: the lowest id from 1 that no thin LV of @pool has and no
 * queued delete names; -ENOSPC past 2^24-1. */
int md_pool_next_device_id(const struct md_vg *vg, const struct md_lv *pool, uint32_t *ret);
/* The same, also skipping @taken[0..n_taken) (ids the pool's kernel metadata holds). */
int md_pool_free_device_id(const struct md_vg *vg, const struct md_lv *pool, const uint32_t *taken,
			   size_t n_taken, uint32_t *ret);
/* Create thin LV @name of @virt_extents in @pool (or a snapshot of @origin when non-NULL),
 * queueing the create message and bumping the pool's transaction id (once per transaction). */
int md_thin_create(struct md_vg *vg, struct md_lv *pool, const char *name, const char *id,
		   uint32_t virt_extents, struct md_lv *origin, struct md_lv **ret);
/* md_thin_create with device id @dev_id chosen by the caller (-EEXIST: a thin LV of @pool has
 * it; -EINVAL past 2^24-1). */
int md_thin_create_id(struct md_vg *vg, struct md_lv *pool, const char *name, const char *id,
		      uint32_t virt_extents, struct md_lv *origin, uint32_t dev_id,
		      struct md_lv **ret);
/* Remove thin LV: queue delete, bump tid, drop the LV. */
int md_thin_remove(struct md_vg *vg, struct md_lv *thin);
/* Drop the queued messages of @pool after the kernel applied them. */
void md_pool_clear_messages(struct md_lv *pool);
struct md_lv *md_pool_data(const struct md_lv *pool);
struct md_lv *md_pool_meta(const struct md_lv *pool);
/* Grow a pool's data sub-LV by @extents, keeping the pool segment's size equal. Striped
 * data keeps its last segment's geometry, @extents rounded up to a multiple of its stripes
 * (lvm2's autoextend does the same). */
int md_pool_extend_data(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
			enum md_alloc_policy policy);
/* Grow a pool's data by @extents (a multiple of @stripes) as @stripes areas of @stripe_size
 * (lvextend -i/-I; 1: linear), see md_lv_extend_striped (*@ret_allocated too). */
int md_pool_extend_data_striped(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
				uint32_t stripes, uint32_t stripe_size, uint32_t *ret_allocated);
int md_pool_extend_meta(struct md_vg *vg, struct md_lv *pool, uint32_t extents,
			enum md_alloc_policy policy);

/* ---- old-style (COW) snapshots (cow.c), lvm2 lib/metadata/snapshot_manip.c ----
 * A snapshot is two LVs: the COW store (a linear LV without VISIBLE, reported under the
 * snapshot's name) and a hidden "snapshotN" LV with one "snapshot" segment of the origin's
 * size naming origin and cow_store. */
#define MD_COW_DEFAULT_CHUNK 8u /* sectors, 4 KiB (lvm2 DEFAULT_CHUNKSIZE) */
#define MD_COW_MIN_CHUNK 8u
#define MD_COW_MAX_CHUNK 1024u                  /* sectors, 512 KiB */
#define MD_COW_MIN_CHUNKS 3u                    /* lvm2 SNAPSHOT_MIN_CHUNKS */
bool md_lv_is_snapshot(const struct md_lv *lv); /* a snapshotN LV (segment type snapshot) */
bool md_lv_is_cow(const struct md_lv *lv);      /* a COW store */
/* The COW stores of the snapshots of @origin, in VG order: the count, up to @max in @out. */
size_t md_origin_cows(const struct md_vg *vg, const struct md_lv *origin, struct md_lv **out,
		      size_t max);
/* The origin of COW store @cow (NULL when @cow is none). */
struct md_lv *md_cow_origin(const struct md_lv *cow);
/* lvm2 cow_max_extents: the COW size that holds every chunk of an origin of @origin_extents,
 * with the header and the exception tables, in extents of @extent_size (kernels with the
 * fixed-leak snapshot target: no extra chunks). */
uint32_t md_cow_max_extents(uint32_t origin_extents, uint32_t extent_size, uint32_t chunk);
/* lvcreate -l N%ORIGIN: lvm2's cow_max_extents - origin + N% of the origin rounded up. */
uint32_t md_cow_pct_origin(uint32_t pct, uint32_t origin_extents, uint32_t extent_size,
			   uint32_t chunk);
/* A valid snapshot chunk size (sectors): a power of 2 from 8 to 1024. */
bool md_cow_chunk_ok(uint32_t chunk);
/* Make @cow (a linear LV) the COW store of a new snapshot of @origin: adds the hidden
 * snapshotN LV (lowest free N, id @snap_id), clears VISIBLE on @cow. */
int md_cow_snapshot_add(struct md_vg *vg, struct md_lv *origin, struct md_lv *cow,
			const char *snap_id, uint32_t chunk, struct md_lv **ret);
/* Undo it: drop @cow's snapshotN LV, @cow visible again (then a plain LV to remove). */
int md_cow_snapshot_drop(struct md_vg *vg, struct md_lv *cow);
/* After import: set every COW store's cow_snapshot. */
void md_cow_link(struct md_vg *vg);
/* The reason thinbox cannot manage a VG's COW snapshots (one of a thin LV...), or NULL. */
const char *md_cow_unsupported(const struct md_vg *vg);
/* Structural checks of the snapshot segments (md_vg_validate): -EBADMSG + reason. */
int md_cow_validate(const struct md_vg *vg, char *reason, size_t reason_len);
