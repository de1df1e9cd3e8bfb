/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LVM2 label sector + PV header codec (mirrors lvm2 lib/label/label.h struct label_header,
 * lib/format_text/layout.h struct pv_header / pv_header_extension / disk_locn).
 *
 * Label sector layout (512 bytes; offsets from the sector start):
 *   +0   8  id          "LABELONE"
 *   +8   8  sector_xl   number of this sector (0..3)
 *   +16  4  crc_xl      lvm CRC of bytes +20..+511
 *   +20  4  offset_xl   where the pv_header starts, 32
 *   +24  8  type        "LVM2 001"
 *   +32     pv_header:  uuid[32], device_size u64, then three disk_locn {u64 offset, u64 size}
 *           lists each ended by an entry with offset 0: data areas, metadata areas, then
 *           (extension) u32 version, u32 flags, bootloader areas.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/crc.h"
#include "util/endian.h"
#include "util/macros.h"
#include "util/units.h"
#include "lvmfmt/label.h"

#define OFF_ID 0
#define OFF_SECTOR 8
#define OFF_CRC 16
#define OFF_OFFSET 20
#define OFF_TYPE 24
#define LABEL_HEADER_SIZE 32
#define PVH_UUID 0
#define PVH_DEVSIZE 32
#define PVH_LISTS 40
#define LOCN_SIZE 16
#define EXT_HEADER_SIZE 8

_Static_assert(LABEL_HEADER_SIZE == LVF_LABEL_PVH_OFFSET, "label_header is 32 bytes");
_Static_assert(PVH_LISTS == LVF_ID_LEN + 8, "pv_header fixed part is 40 bytes");
/* The largest header we can produce (every list full) must fit in the sector. */
_Static_assert(LABEL_HEADER_SIZE + PVH_LISTS + (LVF_MAX_DA + 1 + LVF_MAX_MDA + 1) * LOCN_SIZE +
			       EXT_HEADER_SIZE + (LVF_MAX_BA + 1) * LOCN_SIZE <=
		       LVF_LABEL_SIZE,
	       "pv_header fits in the label sector");

bool lvf_id_char_is_valid(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '!' || c == '#';
}

static uint32_t label_crc(const uint8_t *sector)
{
	return lvm_crc(LVM_INITIAL_CRC, sector + OFF_OFFSET, LVF_LABEL_SIZE - OFF_OFFSET);
}

/* Parse one disk_locn list starting at *pos; stops at the entry with offset 0. */
static int parse_list(const uint8_t *s, size_t *pos, struct lvf_disk_locn *out, size_t max,
		      size_t *ret_n, const char *what, struct lvf_err *reterr)
{
	size_t n = 0;

	for (;;) {
		uint64_t off, size;

		if (*pos + LOCN_SIZE > LVF_LABEL_SIZE)
			return lvf_err_set(reterr, -EBADMSG,
					   "PV header: %s list runs past the end of the label sector",
					   what);
		off = get_le64(s + *pos);
		size = get_le64(s + *pos + 8);
		*pos += LOCN_SIZE;
		if (off == 0)
			break;
		if (n == max)
			return lvf_err_set(reterr, -EBADMSG,
					   "PV header: more than %zu %s entries (list not terminated)",
					   max, what);
		out[n].offset = off;
		out[n].size = size;
		n++;
	}
	*ret_n = n;
	return 0;
}

static int check_area(const struct lvf_disk_locn *l, uint64_t devsize, const char *what, size_t i,
		      struct lvf_err *reterr)
{
	uint64_t end;

	if (u64_add(l->offset, l->size, &end) < 0)
		return lvf_err_set(reterr, -EBADMSG, "PV header: %s %zu size overflows", what, i);
	if (devsize && end > devsize)
		return lvf_err_set(reterr, -EBADMSG,
				   "PV header: %s %zu (offset %llu, size %llu) ends past the device "
				   "size %llu",
				   what, i, (unsigned long long)l->offset,
				   (unsigned long long)l->size, (unsigned long long)devsize);
	return 0;
}

static int label_decode(const uint8_t *s, size_t len, uint64_t sector_nr, bool check_areas,
			struct lvf_pv_header *ret, struct lvf_err *reterr)
{
	struct lvf_pv_header h = { 0 };
	uint64_t sec;
	uint32_t crc, pvh;
	size_t pos;
	int r;

	if (!s || !ret)
		return -EINVAL;
	if (len < LVF_LABEL_SIZE)
		return lvf_err_set(reterr, -EBADMSG, "label sector truncated (%zu bytes)", len);
	if (memcmp(s + OFF_ID, LVF_LABEL_ID, 8) != 0)
		return lvf_err_set(reterr, -ENOENT, "no LABELONE in sector %llu",
				   (unsigned long long)sector_nr);
	sec = get_le64(s + OFF_SECTOR);
	if (sec != sector_nr)
		return lvf_err_set(reterr, -EBADMSG,
				   "label in sector %llu claims to be in sector %llu (sector_xl)",
				   (unsigned long long)sector_nr, (unsigned long long)sec);
	crc = label_crc(s);
	if (crc != get_le32(s + OFF_CRC))
		return lvf_err_set(reterr, -EBADMSG,
				   "label checksum mismatch in sector %llu: stored 0x%08x, computed "
				   "0x%08x",
				   (unsigned long long)sector_nr, get_le32(s + OFF_CRC), crc);
	pvh = get_le32(s + OFF_OFFSET);
	if (pvh < LABEL_HEADER_SIZE || pvh > LVF_LABEL_SIZE - PVH_LISTS - 2 * LOCN_SIZE)
		return lvf_err_set(reterr, -EBADMSG,
				   "label offset_xl %u out of range (lvm2 writes 32)", pvh);
	if (memcmp(s + OFF_TYPE, LVF_LABEL_TYPE, 8) != 0)
		return lvf_err_set(reterr, -EBADMSG, "label type is not \"LVM2 001\"");

	memcpy(h.uuid, s + pvh + PVH_UUID, LVF_ID_LEN);
	for (size_t i = 0; i < LVF_ID_LEN; i++)
		if (!lvf_id_char_is_valid(h.uuid[i]))
			return lvf_err_set(reterr, -EBADMSG,
					   "PV header: PV id has an invalid character at %zu", i);
	h.device_size = get_le64(s + pvh + PVH_DEVSIZE);

	pos = pvh + PVH_LISTS;
	r = parse_list(s, &pos, h.da, LVF_MAX_DA, &h.n_da, "data area", reterr);
	if (r < 0)
		return r;
	r = parse_list(s, &pos, h.mda, LVF_MAX_MDA, &h.n_mda, "metadata area", reterr);
	if (r < 0)
		return r;
	if (pos + EXT_HEADER_SIZE <= LVF_LABEL_SIZE) {
		h.ext_version = get_le32(s + pos);
		if (h.ext_version) {
			h.ext_flags = get_le32(s + pos + 4);
			pos += EXT_HEADER_SIZE;
			r = parse_list(s, &pos, h.ba, LVF_MAX_BA, &h.n_ba, "bootloader area",
				       reterr);
			if (r < 0)
				return r;
		}
	}

	for (size_t i = 0; i < h.n_da && check_areas; i++) {
		r = check_area(&h.da[i], h.device_size, "data area", i, reterr);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < h.n_mda && check_areas; i++) {
		r = check_area(&h.mda[i], h.device_size, "metadata area", i, reterr);
		if (r < 0)
			return r;
		if (h.mda[i].offset < LVF_LABEL_SCAN_SIZE)
			return lvf_err_set(reterr, -EBADMSG,
					   "PV header: metadata area %zu at offset %llu overlaps the "
					   "label sectors",
					   i, (unsigned long long)h.mda[i].offset);
		if (h.mda[i].size < 2 * SECTOR_SIZE)
			return lvf_err_set(reterr, -EBADMSG,
					   "PV header: metadata area %zu is too small (%llu bytes)",
					   i, (unsigned long long)h.mda[i].size);
	}
	for (size_t i = 0; i < h.n_ba && check_areas; i++) {
		r = check_area(&h.ba[i], h.device_size, "bootloader area", i, reterr);
		if (r < 0)
			return r;
	}

	*ret = h;
	return 0;
}

int lvf_label_decode(const uint8_t *s, size_t len, uint64_t sector_nr, struct lvf_pv_header *ret,
		     struct lvf_err *reterr)
{
	return label_decode(s, len, sector_nr, true, ret, reterr);
}

static void put_list(uint8_t *s, size_t *pos, const struct lvf_disk_locn *l, size_t n, size_t max)
{
	for (size_t i = 0; i < MIN(n, max); i++) {
		put_le64(s + *pos, l[i].offset);
		put_le64(s + *pos + 8, l[i].size);
		*pos += LOCN_SIZE;
	}
	/* terminator: already zero */
	*pos += LOCN_SIZE;
}

void lvf_label_encode(const struct lvf_pv_header *h, uint64_t sector_nr,
		      uint8_t sector[LVF_LABEL_SIZE])
{
	size_t pos;

	memset(sector, 0, LVF_LABEL_SIZE);
	memcpy(sector + OFF_ID, LVF_LABEL_ID, 8);
	put_le64(sector + OFF_SECTOR, sector_nr);
	put_le32(sector + OFF_OFFSET, LVF_LABEL_PVH_OFFSET);
	memcpy(sector + OFF_TYPE, LVF_LABEL_TYPE, 8);

	memcpy(sector + LVF_LABEL_PVH_OFFSET + PVH_UUID, h->uuid, LVF_ID_LEN);
	put_le64(sector + LVF_LABEL_PVH_OFFSET + PVH_DEVSIZE, h->device_size);
	pos = LVF_LABEL_PVH_OFFSET + PVH_LISTS;
	put_list(sector, &pos, h->da, h->n_da, LVF_MAX_DA);
	put_list(sector, &pos, h->mda, h->n_mda, LVF_MAX_MDA);
	if (h->ext_version) {
		put_le32(sector + pos, h->ext_version);
		put_le32(sector + pos + 4, h->ext_flags);
		pos += EXT_HEADER_SIZE;
		put_list(sector, &pos, h->ba, h->n_ba, LVF_MAX_BA);
	}
	put_le32(sector + OFF_CRC, label_crc(sector));
}

static int label_read(struct lvf_bdev *b, bool check_areas, struct lvf_pv_header *ret,
		      uint64_t *ret_sector, struct lvf_err *reterr)
{
	uint8_t buf[LVF_LABEL_SCAN_SIZE];
	struct lvf_err first = { 0 };
	bool seen = false;
	uint64_t n = MIN((uint64_t)LVF_LABEL_SCAN_SECTORS, b->size_bytes / LVF_LABEL_SIZE);
	int r;

	if (n == 0)
		return lvf_err_set(reterr, -ENOENT, "device too small to hold a label");
	r = lvf_bdev_read(b, 0, buf, (size_t)n * LVF_LABEL_SIZE);
	if (r < 0)
		return lvf_err_set(reterr, r, "cannot read the label sectors");

	for (uint64_t i = 0; i < n; i++) {
		struct lvf_pv_header h;
		struct lvf_err e;

		r = label_decode(buf + i * LVF_LABEL_SIZE, LVF_LABEL_SIZE, i, check_areas, &h, &e);
		if (r == 0) {
			*ret = h;
			if (ret_sector)
				*ret_sector = i;
			return 0;
		}
		if (r != -ENOENT && !seen) {
			first = e;
			first.offset = i * LVF_LABEL_SIZE;
			seen = true;
		}
	}
	if (!seen)
		return lvf_err_set(reterr, -ENOENT, "no LVM2 label in sectors 0-3");
	if (reterr)
		*reterr = first;
	return -EBADMSG;
}

int lvf_label_read(struct lvf_bdev *b, struct lvf_pv_header *ret, uint64_t *ret_sector,
		   struct lvf_err *reterr)
{
	return label_read(b, true, ret, ret_sector, reterr);
}

int lvf_label_read_unchecked(struct lvf_bdev *b, struct lvf_pv_header *ret, struct lvf_err *reterr)
{
	return label_read(b, false, ret, NULL, reterr);
}

int lvf_label_write(struct lvf_bdev *b, const struct lvf_pv_header *h)
{
	uint8_t buf[LVF_LABEL_SCAN_SIZE] = { 0 };
	int r;

	if (b->size_bytes < LVF_LABEL_SCAN_SIZE)
		return -ENOSPC;
	lvf_label_encode(h, LVF_LABEL_SECTOR, buf + LVF_LABEL_SECTOR * LVF_LABEL_SIZE);
	r = lvf_bdev_write(b, 0, buf, sizeof(buf));
	if (r < 0)
		return r;
	return lvf_bdev_flush(b);
}

int lvf_label_wipe(struct lvf_bdev *b)
{
	uint8_t buf[LVF_LABEL_SCAN_SIZE];
	uint8_t zero[LVF_LABEL_SIZE] = { 0 };
	uint64_t n = MIN((uint64_t)LVF_LABEL_SCAN_SECTORS, b->size_bytes / LVF_LABEL_SIZE);
	int r, wiped = 0;

	if (n == 0)
		return 0;
	r = lvf_bdev_read(b, 0, buf, (size_t)n * LVF_LABEL_SIZE);
	if (r < 0)
		return r;
	for (uint64_t i = 0; i < n; i++) {
		if (memcmp(buf + i * LVF_LABEL_SIZE, LVF_LABEL_ID, 8) != 0)
			continue;
		r = lvf_bdev_write(b, i * LVF_LABEL_SIZE, zero, sizeof(zero));
		if (r < 0)
			return r;
		wiped++;
	}
	if (wiped) {
		r = lvf_bdev_flush(b);
		if (r < 0)
			return r;
	}
	return wiped;
}

/* ---- default geometry ---- */

int lvf_pv_layout_default(const struct lvf_pv_layout_params *p, struct lvf_pv_layout *ret)
{
	struct lvf_pv_layout l = { 0 };
	uint64_t disk, page, align, align_off, md_size, final_align;
	uint64_t pe_start, ba_start = 0, ba_size = 0, mda_min;
	long sc;

	if (!p || !ret || p->metadata_copies > 2)
		return -EINVAL;
	sc = p->page_size ? (long)p->page_size : sysconf(_SC_PAGESIZE);
	if (sc < 512 || !u64_is_pow2((uint64_t)sc))
		return -EINVAL;
	page = (uint64_t)sc;
	disk = p->device_size;
	mda_min = 8 * page;

	/* lvm2 counts in sectors; a device's partial last sector does not exist for it */
	disk = disk / SECTOR_SIZE * SECTOR_SIZE;
	align = p->data_alignment ? p->data_alignment
				  : MAX((uint64_t)LVF_DEFAULT_DATA_ALIGNMENT, page);
	align_off = p->data_alignment_offset;
	if (align % SECTOR_SIZE || align_off % SECTOR_SIZE || p->ba_size % SECTOR_SIZE)
		return -EINVAL;
	if (align < align_off)
		return -EINVAL;
	if (p->metadata_size) {
		md_size = ROUND_UP(p->metadata_size, (uint64_t)SECTOR_SIZE);
		if (md_size < p->metadata_size)
			return -ERANGE;
	} else {
		/* get_default_pvmetadatasize_sectors: 1 MiB minus one page */
		switch (page) {
		case 4096:
			md_size = 2040 * SECTOR_SIZE;
			break;
		case 8192:
			md_size = 2032 * SECTOR_SIZE;
			break;
		default:
			md_size = 1920 * SECTOR_SIZE;
			break;
		}
	}
	if (disk > UINT64_MAX / 4 || align > UINT64_MAX / 4 || md_size > UINT64_MAX / 4 ||
	    p->ba_size > UINT64_MAX / 4)
		return -ERANGE;

	/* _text_pv_initialise */
	final_align = align + align_off;
	if (disk < final_align || disk < final_align + p->ba_size)
		return -ENOSPC;
	if (p->ba_size) {
		ba_start = final_align;
		ba_size = ROUND_UP(p->ba_size, align);
		if (disk < ba_start + ba_size)
			ba_size = disk - ba_start;
		pe_start = ba_start + ba_size;
	} else {
		pe_start = final_align;
	}

	/* mda0: at the start, after the label sectors, its end pushed to the alignment */
	if (p->metadata_copies >= 1) {
		uint64_t limit = disk, start = LVF_LABEL_SCAN_SIZE, size = md_size, adj, tmp;

		if (ba_size) {
			if (limit < ba_size)
				return -ENOSPC;
			limit -= ba_size;
		}
		if (limit < start)
			return -ENOSPC;
		if (limit - start >= mda_min && (adj = start % page))
			start += page - adj;
		if ((adj = (start + size) % align)) {
			tmp = size + align - adj;
			if (start + tmp <= limit)
				size = tmp;
		}
		if (align_off && (start + size) % align == 0) {
			tmp = size + align_off;
			if (start + tmp <= limit)
				size = tmp;
		}
		if (start + size > limit) {
			if (limit - start > align * 2) {
				size = limit - start - align * 2;
				if ((adj = (start + size) % align))
					size += align - adj;
				if (start + size > limit)
					return -ENOSPC;
			} else {
				size = limit - start;
			}
		}
		if (size < mda_min)
			return -ENOSPC;
		l.mda[l.n_mda].offset = start;
		l.mda[l.n_mda].size = size;
		l.n_mda++;
		if (ba_size) {
			ba_start = start + size;
			pe_start = ba_start + ba_size;
		} else {
			pe_start = start + size;
		}
	}

	/* mda1: at the end of the device, its start pulled down to the alignment */
	if (p->metadata_copies == 2) {
		uint64_t limit = pe_start, size = md_size, start, adj, tmp;

		if (limit >= disk)
			return -ENOSPC;
		if (size > disk)
			size = disk - limit;
		start = disk - size;
		if (disk - size < limit) {
			size = disk - limit;
			start = disk - size;
		} else if ((adj = start % align)) {
			tmp = size + adj;
			if (tmp < disk && disk - tmp >= limit) {
				size = tmp;
				start = disk - size;
			}
		}
		if (size < mda_min)
			return -ENOSPC;
		l.mda[l.n_mda].offset = start;
		l.mda[l.n_mda].size = size;
		l.n_mda++;
	}

	l.pe_start = pe_start;
	if (ba_size) {
		l.ba.offset = ba_start;
		l.ba.size = ba_size;
	}
	*ret = l;
	return 0;
}

void lvf_pv_header_init(struct lvf_pv_header *h, const char uuid[LVF_ID_LEN], uint64_t device_size,
			const struct lvf_pv_layout *layout, uint32_t ext_flags)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->uuid, uuid, LVF_ID_LEN);
	h->device_size = device_size;
	h->n_da = 1;
	h->da[0].offset = layout->pe_start;
	h->da[0].size = 0;
	h->n_mda = MIN(layout->n_mda, (size_t)LVF_MAX_MDA);
	for (size_t i = 0; i < h->n_mda; i++)
		h->mda[i] = layout->mda[i];
	h->ext_version = LVF_PV_EXT_VERSION;
	h->ext_flags = ext_flags;
	if (layout->ba.size) {
		h->n_ba = 1;
		h->ba[0] = layout->ba;
	}
}
