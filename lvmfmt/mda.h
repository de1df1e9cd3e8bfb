/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LVM2 metadata areas: the mda header sector, the circular text buffer behind it, and the
 * commit protocol that updates one VG's text on every metadata area of every PV so that a
 * crash at any point leaves each area reading as the old or the new text.
 * (lvm2: lib/format_text/layout.h struct mda_header / raw_locn, lib/format_text/format-text.c
 * _vg_write_raw, _vg_commit_raw_rlocn, _next_rlocn_offset.) docs/format.md has the layout. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvmfmt/bdev.h"
#include "lvmfmt/err.h"

#define LVF_MDA_HEADER_SIZE 512U
#define LVF_MDA_MAGIC " LVM2 x[5A%r0N*>"
#define LVF_MDA_MAGIC_LEN 16U
#define LVF_MDA_VERSION 1U
#define LVF_MDA_ALIGN 512U /* text copies start on 512-byte boundaries of the area */
#define LVF_RAW_LOCN_IGNORED 0x1U
#define LVF_MDA_WIPE_SIZE 4096U /* pvcreate zeroes this much of a new mda */

struct lvf_raw_locn {
	uint64_t offset; /* bytes from the mda start (not the device start); 0 = none */
	uint64_t size;   /* text bytes including the terminating NUL */
	uint32_t checksum;
	uint32_t flags; /* LVF_RAW_LOCN_IGNORED (slot 0 only) */
};

struct lvf_mda_header {
	uint32_t version;
	uint64_t start;              /* absolute byte offset of this header on the device */
	uint64_t size;               /* whole area in bytes, header included */
	struct lvf_raw_locn slot[2]; /* [0] committed, [1] precommitted (normally empty) */
};

/* Decode an mda header read at device offset @expect_start. Checks, in order: length, the
 * CRC of bytes 4..511, magic, version 1, start == @expect_start, size == @expect_size (skipped
 * when @expect_size is 0) and size >= 1024, then slot 0 unless it is empty or IGNORED: offset
 * in [512, size), 0 < text size <= size - 512, a wrapped copy not overlapping itself.
 * Slot 1 is reported as found (lvm2 ignores it when reading). -EBADMSG + reason on failure,
 * *ret untouched. Since: 0.1 */
int lvf_mda_header_decode(const uint8_t *buf, size_t len, uint64_t expect_start,
			  uint64_t expect_size, struct lvf_mda_header *ret, struct lvf_err *reterr);
/* Encode @h into a zero-filled 512-byte sector (magic and version are always the constants),
 * checksum last. Since: 0.1 */
void lvf_mda_header_encode(const struct lvf_mda_header *h, uint8_t sector[LVF_MDA_HEADER_SIZE]);

/* True if @l points at nothing (offset 0 and size 0). Since: 0.1 */
bool lvf_raw_locn_is_empty(const struct lvf_raw_locn *l);
/* Largest text (NUL included) lvm2 lets one copy take: (mda_size - 512) / 2 - 512, or 0 when
 * the area is too small. Since: 0.1 */
uint64_t lvf_mda_max_text_size(uint64_t mda_size);
/* How a text of @len_with_nul bytes fits the non-ignored areas of @mdas (issue 13):
 * LVF_MDA_TOO_LARGE when it exceeds lvf_mda_max_text_size of one of them (a commit would be
 * refused before writing anything), LVF_MDA_OVER_HALF when it takes more than half of that
 * maximum on one of them (the area's two copies then fill more than half of it: the VG cannot
 * double again), else LVF_MDA_FITS. *ret_index (may be NULL) gets the tightest area, *ret_max
 * its maximum copy size. Pure: reads no device. Since: 0.2 */
enum lvf_mda_fit { LVF_MDA_FITS, LVF_MDA_OVER_HALF, LVF_MDA_TOO_LARGE };
struct lvf_mda_ref;
enum lvf_mda_fit lvf_mdas_fit(const struct lvf_mda_ref *mdas, size_t n, uint64_t len_with_nul,
			      size_t *ret_index, uint64_t *ret_max);
/* Where lvm2 puts the next copy, from this mda's own slot 0: 512 if slot 0 is empty or
 * IGNORED, else the first 512-aligned offset after the current copy, back to 512 when that
 * is within 512 bytes of the area end. Pure. Since: 0.1 */
uint64_t lvf_mda_next_offset(const struct lvf_mda_header *h);

/* One metadata area on one device. @ignored: the wanted metadataignore state; commits leave
 * the text of an ignored area alone and mark its slot 0 IGNORED, as lvm2 does. */
struct lvf_mda_ref {
	struct lvf_bdev *bdev; /* borrowed */
	uint64_t start;        /* bytes from the device start (the pv_header mda offset) */
	uint64_t size;         /* bytes (the pv_header mda size) */
	bool ignored;
};

/* Initialise an area as pvcreate does: zero its first 4 KiB (or all of it if smaller), write
 * an empty header (slot 0 flags IGNORED if ref->ignored), flush. Since: 0.1 */
int lvf_mda_init(const struct lvf_mda_ref *ref);
/* Read and decode the header of @ref (checks start and size against @ref). Since: 0.1 */
int lvf_mda_read_header(const struct lvf_mda_ref *ref, struct lvf_mda_header *ret,
			struct lvf_err *reterr);
/* Encode and write @h at ref->start, then flush. Since: 0.1 */
int lvf_mda_write_header(const struct lvf_mda_ref *ref, const struct lvf_mda_header *h);

/* Read the text @locn points at (reassembling a wrapped copy), and check it: location inside
 * the area, size <= lvf_mda_max_text_size, CRC (NUL included, continued across the wrap),
 * terminating NUL, and that it begins with a valid VG name followed by whitespace or '{'.
 * *ret_text: malloc'd, NUL-terminated, caller frees; *ret_len: strlen-style length (without
 * the NUL). -EBADMSG + reason for bad text, -ENODATA if @locn is empty. Since: 0.1 */
int lvf_mda_read_text_at(const struct lvf_mda_ref *ref, const struct lvf_raw_locn *locn,
			 char **ret_text, size_t *ret_len, struct lvf_err *reterr);
/* Read the committed text (slot 0) of @ref: header, then lvf_mda_read_text_at. Returns
 * -ENODATA when the area holds no metadata (empty slot 0, an orphan PV) or is IGNORED (the
 * message says which). *ret_locn (may be NULL) gets slot 0. Since: 0.1 */
int lvf_mda_read_text(const struct lvf_mda_ref *ref, char **ret_text, size_t *ret_len,
		      struct lvf_raw_locn *ret_locn, struct lvf_err *reterr);

/* Commit @text (@len_with_nul bytes, the last one NUL) to all @n areas, in lvm2's order:
 *   1. on every non-ignored area, write the text at that area's lvf_mda_next_offset (wrapping
 *      at the area end, zero-padded to the next 512 bytes); no header changes; flush every
 *      device;
 *   2. precommit: on every non-ignored area, re-read the header and put the new location in
 *      slot 1 (slot 0 still the old text); flush;
 *   3. commit: on every area, re-read the header; non-ignored: slot 0 = new location, slot 1
 *      cleared, IGNORED cleared; ignored: slot 1 cleared, slot 0 marked IGNORED; flush.
 * Each header is a single 512-byte write, so every area switches atomically; readers use
 * slot 0 only. Headers are validated before anything is written, and the size against every
 * area's limit (-ENOSPC). If a write fails in step 1 or 2, slot 1 is cleared again where it
 * was set (best effort) and the error returned; in step 3 the error is returned and the
 * caller's seqno rule (highest wins) decides. Since: 0.1 */
int lvf_mdas_commit(struct lvf_mda_ref *mdas, size_t n, const char *text, size_t len_with_nul,
		    struct lvf_err *reterr);

/* Step 1 of lvf_mdas_commit alone: write @text after each area's committed copy and flush;
 * no header changes, so every reader still sees the old text. @ret_base[i] gets slot 0 as it
 * was, @ret_staged[i] where the text went (arrays of @n). Commit it later with
 * lvf_mdas_commit_staged, or drop it by doing nothing (the next commit writes over it).
 * The caller holds the VG's write lock while staging. Since: 0.2 */
int lvf_mdas_stage(struct lvf_mda_ref *mdas, size_t n, const char *text, size_t len_with_nul,
		   struct lvf_raw_locn *ret_base, struct lvf_raw_locn *ret_staged,
		   struct lvf_err *reterr);
/* Commit text staged by lvf_mdas_stage if nothing changed since: each area's slot 0 still
 * equals @base[i] and each staged copy reads back with its size and CRC; else -ESTALE and
 * nothing is written. Then slot 0 = @staged[i], slot 1 cleared, on each used area: a single
 * header write per area on the caller's critical path (no precommit round; readers use slot 0
 * only, so each area still switches atomically). @flush: then flush each device once. Without
 * it the headers are written but only as durable as the device's write cache (block devices
 * use O_DIRECT: the writes have reached the device when this returns); the caller must make
 * sure a cache flush of those devices happens before anything depends on the new metadata.
 * The caller holds the VG's write lock. Since: 0.2 */
int lvf_mdas_commit_staged(struct lvf_mda_ref *mdas, size_t n, const struct lvf_raw_locn *base,
			   const struct lvf_raw_locn *staged, bool flush, struct lvf_err *reterr);

/* vgremove: clear both slots of every area (keeping an IGNORED mark), leaving the text in the
 * buffer; flush. Since: 0.1 */
int lvf_mdas_clear(struct lvf_mda_ref *mdas, size_t n, struct lvf_err *reterr);

/* True if @c may appear in a VG/LV name (lvm2 validate_name: [A-Za-z0-9+_.-]). Since: 0.1 */
bool lvf_name_char_is_valid(char c);
/* True if @name (@len bytes) is a valid lvm2 VG name: 1..127 characters from the set above,
 * not starting with '-', not "." or "..". Since: 0.1 */
bool lvf_vg_name_is_valid(const char *name, size_t len);
