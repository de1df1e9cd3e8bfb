/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The LVM2 label ("LABELONE" sector) and the PV header that follows it inside the same
 * 512-byte sector, as lvm2 2.03 reads and writes them (lvm2: lib/label/label.c,
 * lib/format_text/layout.h, lib/format_text/text_label.c). docs/format.md has the layout. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lvmfmt/bdev.h"
#include "lvmfmt/err.h"

#define LVF_LABEL_SIZE 512U
#define LVF_LABEL_SCAN_SECTORS 4U /* lvm2 looks for a label in sectors 0..3 */
#define LVF_LABEL_SECTOR 1U       /* where lvm2 (and we) write it */
#define LVF_LABEL_ID "LABELONE"
#define LVF_LABEL_TYPE "LVM2 001"
#define LVF_LABEL_PVH_OFFSET 32U /* offset_xl: pv_header start inside the sector */
#define LVF_ID_LEN 32U
#define LVF_MAX_DA 4U
#define LVF_MAX_MDA 2U
#define LVF_MAX_BA 4U
#define LVF_PV_EXT_VERSION 2U
#define LVF_PV_EXT_USED 0x1U

struct lvf_disk_locn {
	uint64_t offset; /* bytes from the device start */
	uint64_t size;   /* bytes; for a data area 0 means "to the end of the device" */
};

struct lvf_pv_header {
	char uuid[LVF_ID_LEN]; /* 32 id characters, no dashes, not NUL-terminated */
	uint64_t device_size;  /* bytes */
	size_t n_da;
	struct lvf_disk_locn da[LVF_MAX_DA];
	size_t n_mda;
	struct lvf_disk_locn mda[LVF_MAX_MDA];
	uint32_t ext_version; /* 0 = no extension (very old lvm2); we write 2 */
	uint32_t ext_flags;   /* LVF_PV_EXT_USED while in a VG */
	size_t n_ba;
	struct lvf_disk_locn ba[LVF_MAX_BA];
};

/* Decode the label sector @sector (@len >= 512) found at sector number @sector_nr (0..3).
 * Checks, in order: length, "LABELONE", sector_xl == @sector_nr, CRC over bytes 20..511,
 * offset_xl bounds, "LVM2 001", the PV id alphabet, each list terminated inside the sector and
 * not longer than our arrays, every area inside device_size (when device_size != 0) and
 * metadata areas clear of the label sectors. Returns 0, -ENOENT if the sector does not start
 * with "LABELONE" (not a label at all), -EBADMSG with the reason in @reterr for anything else.
 * *ret untouched on failure. Since: 0.1 */
int lvf_label_decode(const uint8_t *sector, size_t len, uint64_t sector_nr,
		     struct lvf_pv_header *ret, struct lvf_err *reterr);

/* Encode @h as the label sector for sector number @sector_nr, byte-identical to lvm2's:
 * the whole 512 bytes are written (zeros after the bootloader list), then the CRC.
 * At most LVF_MAX_* entries of each list are written. Since: 0.1 */
void lvf_label_encode(const struct lvf_pv_header *h, uint64_t sector_nr,
		      uint8_t sector[LVF_LABEL_SIZE]);

/* Scan sectors 0..3 of @b for a label; the first valid one wins (as lvm2). On success fills
 * *ret and *ret_sector (may be NULL). -ENOENT: no sector starts with "LABELONE";
 * -EBADMSG: at least one did but none was valid (reason of the first in @reterr); other
 * -errno from I/O. Since: 0.1 */
int lvf_label_read(struct lvf_bdev *b, struct lvf_pv_header *ret, uint64_t *ret_sector,
		   struct lvf_err *reterr);

/* lvf_label_read without the area checks (inside the device, clear of the label, size):
 * for a label that says "this is a PV" but whose area list lvf_label_read rejects, so that
 * the caller can name the PV and treat it as in use rather than as a blank disk. The areas
 * in *ret are untrusted: never read or write through them. Since: 0.3 */
int lvf_label_read_unchecked(struct lvf_bdev *b, struct lvf_pv_header *ret, struct lvf_err *reterr);

/* Write @h as lvm2's pvcreate does: zero sectors 0..3 and write the label in sector 1, in one
 * 2048-byte write, then flush. Since: 0.1 */
int lvf_label_write(struct lvf_bdev *b, const struct lvf_pv_header *h);

/* Remove the label as pvremove does: zero every sector among 0..3 that starts with
 * "LABELONE", then flush. Returns the number of sectors wiped (0 if there was no label).
 * Since: 0.1 */
int lvf_label_wipe(struct lvf_bdev *b);

/* True if @c is in lvm2's id alphabet [0-9a-zA-Z!#]. Since: 0.1 */
bool lvf_id_char_is_valid(char c);

/* ---- Default geometry, as lvm2 2.03 pvcreate computes it ----
 * (lvm2: _text_pv_initialise and _text_pv_add_metadata_area in lib/format_text/format-text.c,
 * get_default_pvmetadatasize_sectors in lib/metadata/metadata.c.) */
#define LVF_DEFAULT_DATA_ALIGNMENT (1024U * 1024U)
#define LVF_LABEL_SCAN_SIZE 2048U /* sectors 0..3: mda0 starts after this, page-aligned */

struct lvf_pv_layout_params {
	uint64_t device_size;           /* bytes */
	uint64_t data_alignment;        /* bytes, 0 = 1 MiB; multiple of 512 */
	uint64_t data_alignment_offset; /* bytes, multiple of 512 */
	uint64_t metadata_size;         /* bytes per mda (--metadatasize), 0 = lvm2's default
					   (1 MiB minus one page); rounded up to 512 */
	unsigned metadata_copies;       /* --pvmetadatacopies: 0, 1 or 2 */
	uint64_t ba_size;               /* --bootloaderareasize in bytes, 0 = none */
	unsigned page_size;             /* 0 = sysconf(_SC_PAGESIZE) */
};

struct lvf_pv_layout {
	uint64_t pe_start; /* bytes */
	size_t n_mda;
	struct lvf_disk_locn mda[LVF_MAX_MDA];
	struct lvf_disk_locn ba; /* {0,0} if none */
};

/* Compute pe_start, the mda locations and the bootloader area for a new PV exactly as lvm2
 * 2.03 does (mda0 at LABEL_SCAN_SIZE rounded up to a page, its end pushed to the data
 * alignment; mda1 at the end of the device with its start rounded down to the alignment).
 * -EINVAL for bad parameters, -ENOSPC if the areas do not fit or an mda would be smaller than
 * 8 pages. Since: 0.1 */
int lvf_pv_layout_default(const struct lvf_pv_layout_params *p, struct lvf_pv_layout *ret);

/* Fill @h for a new PV: @uuid (32 chars), @device_size, one data area {pe_start, 0}, the
 * layout's mdas and bootloader area, ext version 2, flags @ext_flags. Since: 0.1 */
void lvf_pv_header_init(struct lvf_pv_header *h, const char uuid[LVF_ID_LEN], uint64_t device_size,
			const struct lvf_pv_layout *layout, uint32_t ext_flags);
