/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Metadata area header codec, circular text buffer and commit protocol.
 *
 * mda header (512 bytes at the area start; mirrors lvm2 struct mda_header):
 *   +0   4  checksum   lvm CRC of bytes +4..+511
 *   +4  16  magic      " LVM2 x[5A%r0N*>"
 *   +20  4  version    1
 *   +24  8  start      absolute device offset of this header
 *   +32  8  size       whole area, header included
 *   +40 24  raw_locn[0]  committed    {u64 offset, u64 size, u32 checksum, u32 flags}
 *   +64 24  raw_locn[1]  precommitted
 *   +88 24  raw_locn[2]  always zero (list terminator)
 * The text buffer is [start + 512, start + size); raw_locn offsets are relative to start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc.h"
#include "util/endian.h"
#include "util/macros.h"
#include "util/units.h"
#include "metadata/md.h"
#include "lvmfmt/mda.h"

#define OFF_CSUM 0
#define OFF_MAGIC 4
#define OFF_VERSION 20
#define OFF_START 24
#define OFF_SIZE 32
#define OFF_SLOT0 40
#define RAW_LOCN_SIZE 24
#define MIN_MDA_SIZE (2 * LVF_MDA_HEADER_SIZE)

_Static_assert(OFF_SLOT0 + 3 * RAW_LOCN_SIZE <= LVF_MDA_HEADER_SIZE, "mda header fits");
_Static_assert(sizeof(LVF_MDA_MAGIC) - 1 == LVF_MDA_MAGIC_LEN, "magic is 16 bytes");

/* both: metadata/'s md_name_check_len, the one copy of lvm2's name rule */
bool lvf_name_char_is_valid(char c)
{
	return md_name_char_is_valid(c);
}

bool lvf_vg_name_is_valid(const char *name, size_t len)
{
	return md_name_check_len(name, len, NULL) == 0;
}

bool lvf_raw_locn_is_empty(const struct lvf_raw_locn *l)
{
	return l->offset == 0 && l->size == 0;
}

uint64_t lvf_mda_max_text_size(uint64_t mda_size)
{
	if (mda_size < LVF_MDA_HEADER_SIZE + 2 * 512 + 2)
		return 0;
	return (mda_size - LVF_MDA_HEADER_SIZE) / 2 - 512;
}

enum lvf_mda_fit lvf_mdas_fit(const struct lvf_mda_ref *mdas, size_t n, uint64_t len_with_nul,
			      size_t *ret_index, uint64_t *ret_max)
{
	enum lvf_mda_fit fit = LVF_MDA_FITS;
	uint64_t best_max = UINT64_MAX;
	size_t best = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t max;
		if (mdas[i].ignored)
			continue;
		max = lvf_mda_max_text_size(mdas[i].size);
		if (max < best_max) {
			best_max = max;
			best = i;
		}
	}
	if (best_max == UINT64_MAX)
		best_max = 0;
	else if (len_with_nul > best_max)
		fit = LVF_MDA_TOO_LARGE;
	else if (len_with_nul > best_max / 2)
		fit = LVF_MDA_OVER_HALF;
	if (ret_index)
		*ret_index = best;
	if (ret_max)
		*ret_max = best_max;
	return fit;
}

static uint32_t header_crc(const uint8_t *s)
{
	return lvm_crc(LVM_INITIAL_CRC, s + OFF_MAGIC, LVF_MDA_HEADER_SIZE - OFF_MAGIC);
}

static void get_locn(const uint8_t *p, struct lvf_raw_locn *l)
{
	l->offset = get_le64(p);
	l->size = get_le64(p + 8);
	l->checksum = get_le32(p + 16);
	l->flags = get_le32(p + 20);
}

static void put_locn(uint8_t *p, const struct lvf_raw_locn *l)
{
	put_le64(p, l->offset);
	put_le64(p + 8, l->size);
	put_le32(p + 16, l->checksum);
	put_le32(p + 20, l->flags);
}

/* A used location must lie in the text buffer; a wrapped one must not overlap itself. */
static int check_locn(const struct lvf_raw_locn *l, uint64_t mda_size, const char *what,
		      struct lvf_err *reterr)
{
	uint64_t end;

	if (l->offset < LVF_MDA_HEADER_SIZE || l->offset >= mda_size)
		return lvf_err_set(reterr, -EBADMSG,
				   "%s: text offset %llu outside the metadata buffer [512, %llu)",
				   what, (unsigned long long)l->offset,
				   (unsigned long long)mda_size);
	if (l->size == 0 || l->size > mda_size - LVF_MDA_HEADER_SIZE)
		return lvf_err_set(reterr, -EBADMSG,
				   "%s: text size %llu does not fit the %llu-byte metadata buffer",
				   what, (unsigned long long)l->size,
				   (unsigned long long)(mda_size - LVF_MDA_HEADER_SIZE));
	end = l->offset + l->size; /* no overflow: both < mda_size <= UINT64_MAX/2 checked */
	if (end > mda_size && LVF_MDA_HEADER_SIZE + (end - mda_size) > l->offset)
		return lvf_err_set(reterr, -EBADMSG,
				   "%s: wrapped text (offset %llu, size %llu) overlaps itself",
				   what, (unsigned long long)l->offset, (unsigned long long)l->size);
	return 0;
}

int lvf_mda_header_decode(const uint8_t *s, size_t len, uint64_t expect_start, uint64_t expect_size,
			  struct lvf_mda_header *ret, struct lvf_err *reterr)
{
	struct lvf_mda_header h = { 0 };
	uint32_t crc;
	int r;

	if (!s || !ret)
		return -EINVAL;
	if (len < LVF_MDA_HEADER_SIZE)
		return lvf_err_set(reterr, -EBADMSG, "metadata area header truncated (%zu bytes)",
				   len);
	crc = header_crc(s);
	if (crc != get_le32(s + OFF_CSUM))
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area header checksum mismatch: stored 0x%08x, "
				      "computed 0x%08x",
				      get_le32(s + OFF_CSUM), crc);
	if (memcmp(s + OFF_MAGIC, LVF_MDA_MAGIC, LVF_MDA_MAGIC_LEN) != 0)
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area header has wrong magic");
	h.version = get_le32(s + OFF_VERSION);
	if (h.version != LVF_MDA_VERSION)
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area header version %u unsupported (expected 1)",
				      h.version);
	h.start = get_le64(s + OFF_START);
	if (h.start != expect_start)
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area header says start %llu but was read at %llu",
				      (unsigned long long)h.start, (unsigned long long)expect_start);
	h.size = get_le64(s + OFF_SIZE);
	if (expect_size && h.size != expect_size)
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area header says size %llu but the PV header says "
				      "%llu",
				      (unsigned long long)h.size, (unsigned long long)expect_size);
	if (h.size < MIN_MDA_SIZE || h.size > UINT64_MAX / 2)
		return lvf_err_set_at(reterr, -EBADMSG, expect_start,
				      "metadata area size %llu out of range",
				      (unsigned long long)h.size);
	get_locn(s + OFF_SLOT0, &h.slot[0]);
	get_locn(s + OFF_SLOT0 + RAW_LOCN_SIZE, &h.slot[1]);
	if (!(h.slot[0].flags & LVF_RAW_LOCN_IGNORED) && !lvf_raw_locn_is_empty(&h.slot[0])) {
		struct lvf_err e;

		r = check_locn(&h.slot[0], h.size, "metadata area slot 0", &e);
		if (r < 0) {
			e.offset = expect_start;
			if (reterr)
				*reterr = e;
			return r;
		}
	}
	*ret = h;
	return 0;
}

void lvf_mda_header_encode(const struct lvf_mda_header *h, uint8_t s[LVF_MDA_HEADER_SIZE])
{
	memset(s, 0, LVF_MDA_HEADER_SIZE);
	memcpy(s + OFF_MAGIC, LVF_MDA_MAGIC, LVF_MDA_MAGIC_LEN);
	put_le32(s + OFF_VERSION, LVF_MDA_VERSION);
	put_le64(s + OFF_START, h->start);
	put_le64(s + OFF_SIZE, h->size);
	put_locn(s + OFF_SLOT0, &h->slot[0]);
	put_locn(s + OFF_SLOT0 + RAW_LOCN_SIZE, &h->slot[1]);
	put_le32(s + OFF_CSUM, header_crc(s));
}

uint64_t lvf_mda_next_offset(const struct lvf_mda_header *h)
{
	const struct lvf_raw_locn *old = &h->slot[0];
	uint64_t old_last, next;

	if ((old->flags & LVF_RAW_LOCN_IGNORED) || lvf_raw_locn_is_empty(old))
		return LVF_MDA_HEADER_SIZE;
	if (old->offset + old->size > h->size)
		old_last = old->offset + old->size - h->size + LVF_MDA_HEADER_SIZE - 1;
	else
		old_last = old->offset + old->size - 1;
	if (h->size - old_last < LVF_MDA_ALIGN)
		return LVF_MDA_HEADER_SIZE;
	next = ROUND_UP(old_last + 1, (uint64_t)LVF_MDA_ALIGN);
	if (next > h->size - LVF_MDA_ALIGN)
		return LVF_MDA_HEADER_SIZE;
	return next;
}

int lvf_mda_read_header(const struct lvf_mda_ref *ref, struct lvf_mda_header *ret,
			struct lvf_err *reterr)
{
	uint8_t buf[LVF_MDA_HEADER_SIZE];
	int r;

	r = lvf_bdev_read(ref->bdev, ref->start, buf, sizeof(buf));
	if (r < 0)
		return lvf_err_set_at(reterr, r, ref->start,
				      "cannot read the metadata area header on %s", ref->bdev->name);
	return lvf_mda_header_decode(buf, sizeof(buf), ref->start, ref->size, ret, reterr);
}

static int write_header_noflush(const struct lvf_mda_ref *ref, const struct lvf_mda_header *h)
{
	uint8_t buf[LVF_MDA_HEADER_SIZE];

	lvf_mda_header_encode(h, buf);
	return lvf_bdev_write(ref->bdev, ref->start, buf, sizeof(buf));
}

int lvf_mda_write_header(const struct lvf_mda_ref *ref, const struct lvf_mda_header *h)
{
	int r = write_header_noflush(ref, h);

	if (r < 0)
		return r;
	return lvf_bdev_flush(ref->bdev);
}

static int check_ref(const struct lvf_mda_ref *ref)
{
	uint64_t end;

	if (!ref || !ref->bdev || ref->size < MIN_MDA_SIZE || ref->size > UINT64_MAX / 2)
		return -EINVAL;
	if (u64_add(ref->start, ref->size, &end) < 0 || end > ref->bdev->size_bytes)
		return -ERANGE;
	return 0;
}

int lvf_mda_init(const struct lvf_mda_ref *ref)
{
	struct lvf_mda_header h = { 0 };
	int r = check_ref(ref);

	if (r < 0)
		return r;
	r = lvf_bdev_zero(ref->bdev, ref->start, MIN(ref->size, (uint64_t)LVF_MDA_WIPE_SIZE));
	if (r < 0)
		return r;
	h.version = LVF_MDA_VERSION;
	h.start = ref->start;
	h.size = ref->size;
	if (ref->ignored)
		h.slot[0].flags = LVF_RAW_LOCN_IGNORED;
	return lvf_mda_write_header(ref, &h);
}

static bool begins_with_vg_name(const char *t, size_t len)
{
	size_t n = 0;

	while (n < len && t[n] && t[n] != '{' && t[n] != ' ' && t[n] != '\t' && t[n] != '\n' &&
	       t[n] != '\r' && t[n] != '\v' && t[n] != '\f')
		n++;
	if (n == len || !t[n])
		return false; /* the name must be followed by whitespace or '{' */
	return lvf_vg_name_is_valid(t, n);
}

int lvf_mda_read_text_at(const struct lvf_mda_ref *ref, const struct lvf_raw_locn *l,
			 char **ret_text, size_t *ret_len, struct lvf_err *reterr)
{
	_cleanup_free_ char *buf = NULL;
	uint64_t first, wrap = 0, max;
	uint32_t crc;
	int r;

	r = check_ref(ref);
	if (r < 0)
		return r;
	if (lvf_raw_locn_is_empty(l))
		return lvf_err_set_at(reterr, -ENODATA, ref->start, "no metadata in this area");
	r = check_locn(l, ref->size, "metadata text", reterr);
	if (r < 0)
		return r;
	max = lvf_mda_max_text_size(ref->size);
	if (l->size > max)
		return lvf_err_set_at(reterr, -EBADMSG, ref->start + l->offset,
				      "metadata text of %llu bytes exceeds the %llu bytes one copy "
				      "may use in this area",
				      (unsigned long long)l->size, (unsigned long long)max);
	if (l->size > SIZE_MAX)
		return -EFBIG;

	first = l->size;
	if (l->offset + l->size > ref->size) {
		wrap = l->offset + l->size - ref->size;
		first = l->size - wrap;
	}
	/* page-aligned: a direct-I/O device reads the text's whole sectors straight into it */
	if (posix_memalign((void **)&buf, 4096, (size_t)l->size + 1) != 0)
		return -ENOMEM;
	r = lvf_bdev_read(ref->bdev, ref->start + l->offset, buf, (size_t)first);
	if (r < 0)
		return lvf_err_set_at(reterr, r, ref->start + l->offset,
				      "cannot read metadata text on %s", ref->bdev->name);
	if (wrap) {
		r = lvf_bdev_read(ref->bdev, ref->start + LVF_MDA_HEADER_SIZE, buf + first,
				  (size_t)wrap);
		if (r < 0)
			return lvf_err_set_at(reterr, r, ref->start + LVF_MDA_HEADER_SIZE,
					      "cannot read wrapped metadata text on %s",
					      ref->bdev->name);
	}
	crc = lvm_crc(LVM_INITIAL_CRC, buf, (size_t)l->size);
	if (crc != l->checksum)
		return lvf_err_set_at(reterr, -EBADMSG, ref->start + l->offset,
				      "metadata text checksum mismatch: stored 0x%08x, computed "
				      "0x%08x",
				      l->checksum, crc);
	if (buf[l->size - 1] != '\0')
		return lvf_err_set_at(reterr, -EBADMSG, ref->start + l->offset,
				      "metadata text is not NUL-terminated");
	if (!begins_with_vg_name(buf, (size_t)l->size))
		return lvf_err_set_at(reterr, -EBADMSG, ref->start + l->offset,
				      "metadata text does not begin with a valid VG name");

	if (ret_len)
		*ret_len = strlen(buf);
	*ret_text = TAKE_PTR(buf);
	return 0;
}

int lvf_mda_read_text(const struct lvf_mda_ref *ref, char **ret_text, size_t *ret_len,
		      struct lvf_raw_locn *ret_locn, struct lvf_err *reterr)
{
	struct lvf_mda_header h;
	int r;

	r = check_ref(ref);
	if (r < 0)
		return r;
	r = lvf_mda_read_header(ref, &h, reterr);
	if (r < 0)
		return r;
	if (h.slot[0].flags & LVF_RAW_LOCN_IGNORED)
		return lvf_err_set_at(reterr, -ENODATA, ref->start,
				      "metadata area is marked ignored (metadataignore)");
	if (lvf_raw_locn_is_empty(&h.slot[0]))
		return lvf_err_set_at(reterr, -ENODATA, ref->start, "no metadata in this area");
	r = lvf_mda_read_text_at(ref, &h.slot[0], ret_text, ret_len, reterr);
	if (r < 0)
		return r;
	if (ret_locn)
		*ret_locn = h.slot[0];
	return 0;
}

/* ---- commit ---- */

/* Flush each distinct device of @mdas once. */
static int flush_all(struct lvf_mda_ref *mdas, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			if (mdas[j].bdev == mdas[i].bdev)
				seen = true;
		if (seen)
			continue;
		r = lvf_bdev_flush(mdas[i].bdev);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Write the text at @off of the area, wrapping at its end; the last piece is padded with
 * zeros to the next 512-byte boundary as lvm2 does. */
static int write_text(const struct lvf_mda_ref *ref, uint64_t off, const char *text, size_t len)
{
	_cleanup_free_ uint8_t *pad = NULL;
	uint64_t first = len, wrap = 0, piece_off, piece_len, padded, head;
	const uint8_t *piece;
	int r;

	if (off + len > ref->size) {
		wrap = off + len - ref->size;
		first = len - wrap;
	}
	if (wrap) {
		r = lvf_bdev_write(ref->bdev, ref->start + off, text, (size_t)first);
		if (r < 0)
			return r;
		piece = (const uint8_t *)text + first;
		piece_off = LVF_MDA_HEADER_SIZE;
		piece_len = wrap;
	} else {
		piece = (const uint8_t *)text;
		piece_off = off;
		piece_len = len;
	}
	padded = MIN(ROUND_UP(piece_off + piece_len, (uint64_t)LVF_MDA_ALIGN), ref->size) -
		 piece_off;
	/* the whole sectors of the piece straight from the text; the last one, zero-padded,
	 * from a copy (a text of megabytes is not copied to be padded) */
	head = piece_len / LVF_MDA_ALIGN * LVF_MDA_ALIGN;
	if (head && (r = lvf_bdev_write(ref->bdev, ref->start + piece_off, piece, (size_t)head)) < 0)
		return r;
	if (padded == head)
		return 0;
	pad = calloc(1, (size_t)(padded - head));
	if (!pad)
		return -ENOMEM;
	memcpy(pad, piece + head, (size_t)(piece_len - head));
	return lvf_bdev_write(ref->bdev, ref->start + piece_off + head, pad,
			      (size_t)(padded - head));
}

/* Best-effort: clear slot 1 again on the areas whose precommit was written. */
static void revert_precommit(struct lvf_mda_ref *mdas, size_t n, const bool *precommitted)
{
	for (size_t i = 0; i < n; i++) {
		struct lvf_mda_header h;

		if (!precommitted[i])
			continue;
		if (lvf_mda_read_header(&mdas[i], &h, NULL) < 0)
			continue;
		h.slot[1] = (struct lvf_raw_locn){ 0 };
		(void)write_header_noflush(&mdas[i], &h);
	}
	(void)flush_all(mdas, n);
}

/* Validate @text and every header, then write the text at each used area's next offset and
 * flush (step 1 of lvf_mdas_commit). @newl[i]: where the text went; @base[i] (may be NULL):
 * slot 0 of the header it was placed after. */
static int write_texts(struct lvf_mda_ref *mdas, size_t n, const char *text, size_t len_with_nul,
		       struct lvf_raw_locn *newl, struct lvf_raw_locn *base, struct lvf_err *reterr)
{
	uint32_t crc;
	int r;

	if ((!mdas && n) || !text || len_with_nul < 2 || text[len_with_nul - 1] != '\0')
		return lvf_err_set(reterr, -EINVAL, "metadata text must be NUL-terminated");
	if (memchr(text, '\0', len_with_nul - 1))
		return lvf_err_set(reterr, -EINVAL, "metadata text contains a NUL byte");
	if (!begins_with_vg_name(text, len_with_nul))
		return lvf_err_set(reterr, -EINVAL,
				   "metadata text must begin with the VG name and '{'");
	for (size_t i = 0; i < n; i++) {
		r = check_ref(&mdas[i]);
		if (r < 0)
			return lvf_err_set(reterr, r, "invalid metadata area %zu", i);
		if (!mdas[i].ignored && len_with_nul > lvf_mda_max_text_size(mdas[i].size))
			return lvf_err_set_at(reterr, -ENOSPC, mdas[i].start,
					      "metadata of %zu bytes is too large for the %llu-byte "
					      "metadata area on %s (at most %llu bytes)",
					      len_with_nul, (unsigned long long)mdas[i].size,
					      mdas[i].bdev->name,
					      (unsigned long long)lvf_mda_max_text_size(
						      mdas[i].size));
	}
	crc = lvm_crc(LVM_INITIAL_CRC, text, len_with_nul);

	/* Validate every header before touching anything. */
	for (size_t i = 0; i < n; i++) {
		struct lvf_mda_header h;

		r = lvf_mda_read_header(&mdas[i], &h, reterr);
		if (r < 0)
			return r;
		newl[i].offset = lvf_mda_next_offset(&h);
		newl[i].size = len_with_nul;
		newl[i].checksum = crc;
		newl[i].flags = 0;
		if (base)
			base[i] = h.slot[0];
	}

	/* 1. text on every used area; headers untouched */
	for (size_t i = 0; i < n; i++) {
		if (mdas[i].ignored)
			continue;
		r = write_text(&mdas[i], newl[i].offset, text, len_with_nul);
		if (r < 0)
			return lvf_err_set_at(reterr, r, mdas[i].start + newl[i].offset,
					      "failed to write metadata text on %s",
					      mdas[i].bdev->name);
	}
	r = flush_all(mdas, n);
	if (r < 0)
		return lvf_err_set(reterr, r, "failed to flush metadata text");
	return 0;
}

int lvf_mdas_commit(struct lvf_mda_ref *mdas, size_t n, const char *text, size_t len_with_nul,
		    struct lvf_err *reterr)
{
	_cleanup_free_ struct lvf_raw_locn *newl = NULL;
	_cleanup_free_ bool *pre = NULL;
	int r;

	newl = calloc(n ? n : 1, sizeof(*newl));
	pre = calloc(n ? n : 1, sizeof(*pre));
	if (!newl || !pre)
		return -ENOMEM;
	r = write_texts(mdas, n, text, len_with_nul, newl, NULL, reterr);
	if (r < 0)
		return r;

	/* 2. precommit: slot 1 = new */
	for (size_t i = 0; i < n; i++) {
		struct lvf_mda_header h;

		if (mdas[i].ignored)
			continue;
		r = lvf_mda_read_header(&mdas[i], &h, reterr);
		if (r >= 0) {
			if ((h.slot[0].flags & LVF_RAW_LOCN_IGNORED) ||
			    lvf_raw_locn_is_empty(&h.slot[0]))
				h.slot[0] = (struct lvf_raw_locn){ 0 };
			h.slot[1] = newl[i];
			r = write_header_noflush(&mdas[i], &h);
			if (r < 0)
				lvf_err_set_at(reterr, r, mdas[i].start,
					       "failed to precommit metadata on %s",
					       mdas[i].bdev->name);
		}
		if (r < 0) {
			revert_precommit(mdas, n, pre);
			return r;
		}
		pre[i] = true;
	}
	r = flush_all(mdas, n);
	if (r < 0) {
		revert_precommit(mdas, n, pre);
		return lvf_err_set(reterr, r, "failed to flush precommitted headers");
	}

	/* 3. commit: slot 0 = new, slot 1 cleared */
	for (size_t i = 0; i < n; i++) {
		struct lvf_mda_header h;

		r = lvf_mda_read_header(&mdas[i], &h, reterr);
		if (r < 0)
			return r;
		if (mdas[i].ignored) {
			if ((h.slot[0].flags & LVF_RAW_LOCN_IGNORED) ||
			    lvf_raw_locn_is_empty(&h.slot[0]))
				h.slot[0] = (struct lvf_raw_locn){ 0 };
			h.slot[0].flags |= LVF_RAW_LOCN_IGNORED;
		} else {
			h.slot[0] = newl[i];
		}
		h.slot[1] = (struct lvf_raw_locn){ 0 };
		r = write_header_noflush(&mdas[i], &h);
		if (r < 0) {
			lvf_err_set_at(reterr, r, mdas[i].start, "failed to commit metadata on %s",
				       mdas[i].bdev->name);
			/* the committed ones are done; drop the precommit of the others */
			for (size_t j = 0; j < i; j++)
				pre[j] = false;
			revert_precommit(mdas, n, pre);
			return r;
		}
	}
	r = flush_all(mdas, n);
	if (r < 0)
		return lvf_err_set(reterr, r, "failed to flush committed headers");
	return 0;
}

int lvf_mdas_stage(struct lvf_mda_ref *mdas, size_t n, const char *text, size_t len_with_nul,
		   struct lvf_raw_locn *ret_base, struct lvf_raw_locn *ret_staged,
		   struct lvf_err *reterr)
{
	if (!ret_base || !ret_staged)
		return lvf_err_set(reterr, -EINVAL, "no room for the staged locations");
	return write_texts(mdas, n, text, len_with_nul, ret_staged, ret_base, reterr);
}

static bool locn_eq(const struct lvf_raw_locn *a, const struct lvf_raw_locn *b)
{
	return a->offset == b->offset && a->size == b->size && a->checksum == b->checksum &&
	       a->flags == b->flags;
}

int lvf_mdas_commit_staged(struct lvf_mda_ref *mdas, size_t n, const struct lvf_raw_locn *base,
			   const struct lvf_raw_locn *staged, bool flush, struct lvf_err *reterr)
{
	_cleanup_free_ struct lvf_mda_header *hs = NULL;
	int r;

	if ((!mdas && n) || !base || !staged)
		return lvf_err_set(reterr, -EINVAL, "no staged commit given");
	hs = calloc(n ? n : 1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	/* Nothing is written unless every area is exactly as it was when the text was staged
	 * and every staged copy reads back whole (a writer that crashed after placing its text
	 * at the same offset would have overwritten ours without changing a header). */
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *text = NULL;

		r = check_ref(&mdas[i]);
		if (r < 0)
			return lvf_err_set(reterr, r, "invalid metadata area %zu", i);
		if (lvf_mda_read_header(&mdas[i], &hs[i], NULL) < 0 ||
		    !locn_eq(&hs[i].slot[0], &base[i]))
			return lvf_err_set_at(reterr, -ESTALE, mdas[i].start,
					      "the metadata area on %s changed since the text was "
					      "staged",
					      mdas[i].bdev->name);
		if (mdas[i].ignored)
			continue;
		if (staged[i].size < 2 ||
		    lvf_mda_read_text_at(&mdas[i], &staged[i], &text, NULL, NULL) < 0)
			return lvf_err_set_at(reterr, -ESTALE, mdas[i].start + staged[i].offset,
					      "the staged metadata text on %s was overwritten",
					      mdas[i].bdev->name);
	}
	for (size_t i = 0; i < n; i++) {
		if (mdas[i].ignored)
			continue;
		hs[i].slot[0] = staged[i];
		hs[i].slot[1] = (struct lvf_raw_locn){ 0 };
		r = write_header_noflush(&mdas[i], &hs[i]);
		if (r < 0)
			return lvf_err_set_at(reterr, r, mdas[i].start,
					      "failed to commit metadata on %s", mdas[i].bdev->name);
	}
	if (!flush)
		return 0;
	r = flush_all(mdas, n);
	if (r < 0)
		return lvf_err_set(reterr, r, "failed to flush committed headers");
	return 0;
}

int lvf_mdas_clear(struct lvf_mda_ref *mdas, size_t n, struct lvf_err *reterr)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		struct lvf_mda_header h;
		uint32_t keep;

		r = check_ref(&mdas[i]);
		if (r < 0)
			return lvf_err_set(reterr, r, "invalid metadata area %zu", i);
		r = lvf_mda_read_header(&mdas[i], &h, reterr);
		if (r < 0 && r != -EBADMSG)
			return r;
		if (r < 0) {
			/* as lvm2: a bad header is replaced by a fresh empty one */
			h = (struct lvf_mda_header){ .version = LVF_MDA_VERSION,
						     .start = mdas[i].start,
						     .size = mdas[i].size };
		}
		keep = (h.slot[0].flags & LVF_RAW_LOCN_IGNORED) || mdas[i].ignored
			       ? LVF_RAW_LOCN_IGNORED
			       : 0;
		h.slot[0] = (struct lvf_raw_locn){ .flags = keep };
		h.slot[1] = (struct lvf_raw_locn){ 0 };
		r = write_header_noflush(&mdas[i], &h);
		if (r < 0)
			return lvf_err_set_at(reterr, r, mdas[i].start,
					      "failed to clear the metadata area header on %s",
					      mdas[i].bdev->name);
	}
	r = flush_all(mdas, n);
	if (r < 0)
		return lvf_err_set(reterr, r, "failed to flush metadata area headers");
	return 0;
}
