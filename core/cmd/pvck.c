/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pvck --repair [-f FILE] DEV (lvm2 2.03 tools/pvck.c, "--repair" = --repairtype pv_header
 * then metadata): write a PV's label, PV header and first metadata area header back from a
 * copy of its VG's metadata: FILE (a vgcfgbackup file or raw metadata text) or, without FILE,
 * the newest copy still in the metadata area's buffer (found without the damaged header,
 * lvmfmt/ring.h). Refused, with nothing written, whenever the choice is not certain: two
 * different copies with the newest seqno, a text that does not parse, no PV of the text that
 * is this device (by the PV id still in the header, else by its device path), that PV id on
 * another device, a device smaller than the PV, a second metadata area. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/store/hints.h"
#include "core/cmd/cmd.h"
#include "core/thinbox.h"
#include "lvmfmt/ring.h"
#include "lvmfmt/vg-text.h"
#include "util/crc.h"
#include "util/endian.h"
#include "util/macros.h"

#define MDA1_OFFSET 4096U
#define FILE_MAX (16U << 20)
#define RING_MAX (64U << 20)
#define MAX_COPIES 256U

static int read_file(struct tb_ctx *ctx, const char *path, char **ret, size_t *ret_len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return tb_fail(ctx, -errno, "Cannot open file: %s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > FILE_MAX) {
		r = tb_fail(ctx, -EINVAL,
			    "Cannot use file %s: not a regular file of 1 byte to "
			    "16 MiB.",
			    path);
		goto out;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		r = -ENOMEM;
		goto out;
	}
	n = read(fd, buf, (size_t)st.st_size);
	if (n != st.st_size) {
		r = tb_fail(ctx, n < 0 ? -errno : -EIO, "Cannot read file: %s", path);
		goto out;
	}
	buf[n] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = (size_t)n;
	r = 0;
out:
	free(buf);
	close(fd);
	return r;
}

/* The newest copy in the first metadata area, found without its header. */
static int text_from_ring(struct tb_ctx *ctx, struct lvf_bdev *b, const char *dev,
			  uint64_t mda_size, char **ret, size_t *ret_len)
{
	struct lvf_ring_copy *cp = NULL;
	uint8_t *area = NULL;
	size_t other = 0, len;
	int n, k, r;

	if (mda_size > RING_MAX || mda_size < 2 * LVF_MDA_HEADER_SIZE)
		return tb_fail(ctx, -EINVAL, "Cannot search the metadata area on %s: size %llu.",
			       dev, (unsigned long long)mda_size);
	len = (size_t)(mda_size / LVF_MDA_ALIGN * LVF_MDA_ALIGN);
	if (MDA1_OFFSET + len > b->size_bytes)
		len = (size_t)((b->size_bytes - MDA1_OFFSET) / LVF_MDA_ALIGN * LVF_MDA_ALIGN);
	if (!(area = malloc(len)) || !(cp = calloc(MAX_COPIES, sizeof(*cp)))) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = lvf_bdev_read(b, MDA1_OFFSET, area, len)) < 0) {
		r = tb_fail(ctx, r, "Cannot read the metadata area of %s: %s", dev, strerror(-r));
		goto out;
	}
	n = lvf_ring_find(area, len, cp, MAX_COPIES);
	if (n < 0) {
		r = n;
		goto out;
	}
	k = lvf_ring_pick(cp, MIN((size_t)n, MAX_COPIES), &other);
	if (k == -ENOENT) {
		r = tb_fail(ctx, -ENOENT,
			    "No metadata text found in the metadata area of %s. Repair from a backup: "
			    "pvck --repair -f /etc/lvm/backup/VG %s.",
			    dev, dev);
		goto out;
	}
	if (k == -ENOTUNIQ) {
		r = tb_fail(ctx, -ENOTUNIQ,
			    "Two different metadata copies with seqno %u are in the metadata area of "
			    "%s (at %llu and %llu): which one is right cannot be told. Repair from a "
			    "backup: pvck --repair -f FILE %s.",
			    cp[other].seqno, dev,
			    (unsigned long long)(MDA1_OFFSET + cp[0 == other ? 1 : 0].offset),
			    (unsigned long long)(MDA1_OFFSET + cp[other].offset), dev);
		goto out;
	}
	tb_notice(ctx, "Found metadata of VG %s seqno %u at %llu (length %zu crc %08x) on %s.",
		  cp[k].vgname, cp[k].seqno, (unsigned long long)(MDA1_OFFSET + cp[k].offset),
		  cp[k].len + 1, cp[k].checksum, dev);
	if ((r = lvf_ring_copy_text(area, len, &cp[k], ret)) < 0)
		goto out;
	*ret_len = cp[k].len;
out:
	free(cp);
	free(area);
	return r;
}

static const struct md_pv *find_pv(const struct md_vg *md, const char *id, const char *dev)
{
	for (size_t i = 0; i < md->n_pvs; i++) {
		const struct md_pv *pv = md->pvs[i];
		if (id ? streq(pv->id, id) : (pv->device && streq(pv->device, dev)))
			return pv;
	}
	return NULL;
}

/* A second metadata area at the end of the device (lvm2 pvck's _check_for_mda2 place)
 * holding this VG: thinbox repairs only the first, so it refuses rather than drop it. */
static bool has_mda2(struct lvf_bdev *b, const char *vgid)
{
	uint64_t size = b->size_bytes, extra = size % (1U << 20), off;
	struct lvf_mda_header h;
	uint8_t sec[LVF_MDA_HEADER_SIZE], buf[4096];
	char dashed[MD_ID_LEN + 7];

	if (size < (2U << 20))
		return false;
	off = size - extra - (1U << 20);
	if (lvf_bdev_read(b, off, sec, sizeof(sec)) < 0 ||
	    lvf_mda_header_decode(sec, sizeof(sec), off, 0, &h, NULL) < 0)
		return memcmp(sec, LVF_MDA_MAGIC, LVF_MDA_MAGIC_LEN) == 0;
	md_id_format(vgid, dashed);
	if (lvf_bdev_read(b, off + LVF_MDA_HEADER_SIZE, buf, sizeof(buf) - 1) < 0)
		return true;
	buf[sizeof(buf) - 1] = '\0';
	for (size_t i = 0; i < sizeof(buf) - 1; i++)
		if (!buf[i])
			buf[i] = ' ';
	return strstr((char *)buf, dashed) != NULL;
}

TB_EXPORT int tb_pvck_repair(struct tb_ctx *ctx, const char *dev, const char *file)
{
	struct tb_cmd c;
	struct tb_scan scan = { 0 };
	struct lvf_bdev *b = NULL;
	struct lvf_pv_header cur = { 0 }, h;
	struct lvf_pv_layout lay = { 0 };
	struct lvf_mda_header mh = { 0 };
	struct lvf_err err = { 0 };
	struct md_vg *md = NULL;
	const struct md_pv *pv;
	char *text = NULL, id[MD_ID_LEN + 1] = "", dashed[MD_ID_LEN + 7];
	struct strbuf raw = { 0 };
	uint8_t sec[LVF_LABEL_SIZE], msec[LVF_MDA_HEADER_SIZE];
	uint64_t mda_size, pe_start;
	size_t text_len = 0;
	bool label_ok;
	int r;

	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "pvck")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_bdev_open(ctx, dev, O_RDWR | O_EXCL, &b)) < 0) {
		r = tb_fail(ctx, r, "Cannot use %s: %s.", dev, strerror(-r));
		goto out;
	}
	/* what the header still says: its PV id (if the id reads) and the mda's size */
	label_ok = lvf_label_read(b, &cur, NULL, &err) == 0 ||
		   lvf_label_read_unchecked(b, &cur, &err) == 0;
	if (label_ok) {
		bool valid = true;
		for (size_t i = 0; i < LVF_ID_LEN; i++)
			valid = valid && lvf_id_char_is_valid(cur.uuid[i]);
		if (valid) {
			memcpy(id, cur.uuid, LVF_ID_LEN);
			id[LVF_ID_LEN] = '\0';
		}
		if (cur.n_mda > 1) {
			r = tb_fail(ctx, -EOPNOTSUPP,
				    "%s has two metadata areas: thinbox repairs PVs with one. Use "
				    "lvm2's pvck --repair.",
				    dev);
			goto out;
		}
	} else {
		tb_warn(ctx, "WARNING: No LVM label found on %s.  It may not be an LVM device.",
			dev);
	}
	/* the text to restore */
	if (file) {
		if ((r = read_file(ctx, file, &text, &text_len)) < 0)
			goto out;
	} else {
		mda_size = label_ok && cur.n_mda == 1 && cur.mda[0].offset == MDA1_OFFSET
				   ? cur.mda[0].size
				   : 0;
		if (!mda_size && lvf_bdev_read(b, MDA1_OFFSET, msec, sizeof(msec)) == 0 &&
		    lvf_mda_header_decode(msec, sizeof(msec), MDA1_OFFSET, 0, &mh, NULL) == 0)
			mda_size = mh.size;
		if (!mda_size)
			mda_size = LVF_DEFAULT_DATA_ALIGNMENT - MDA1_OFFSET; /* lvm2's default */
		if ((r = text_from_ring(ctx, b, dev, mda_size, &text, &text_len)) < 0)
			goto out;
	}
	r = lvf_vg_import_text(text, text_len, &md, &err);
	if (r < 0) {
		/* lvm2 2.03.16 tools/pvck.c _get_pv_info_from_metadata */
		r = tb_fail(ctx, -EBADMSG, "Invalid metadata file.\n  %s: line %u: %s",
			    file ? file : dev, err.line, err.message);
		goto out;
	}
	pv = find_pv(md, id[0] ? id : NULL, dev);
	if (!pv) {
		if (id[0]) {
			md_id_format(id, dashed);
			r = tb_fail(ctx, -ENOENT,
				    "PV UUID %s in existing pv_header not found in metadata file.\n"
				    "  No valid PV UUID, specify a PV UUID from metadata in --settings.",
				    dashed);
		} else {
			r = tb_fail(ctx, -ENOENT,
				    "PV name %s not found in metadata file.\n"
				    "  No valid PV UUID, specify a PV UUID from metadata in --settings.",
				    dev);
		}
		goto out;
	}
	md_id_format(pv->id, dashed);
	/* the PV id must be on no other device (a copy of this disk: repairing one would make
	 * duplicates) */
	if ((r = tb_scan_devices(ctx, false, &scan)) < 0)
		goto out;
	for (size_t i = 0; i < scan.n; i++) {
		const struct tb_pvdev *d = scan.devs[i];
		struct stat st;
		if (!streq(d->id, pv->id) || streq(d->path, dev))
			continue;
		/* the same block device under another name is this device */
		if (d->rdev && stat(dev, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == d->rdev)
			continue;
		r = tb_fail(ctx, -EEXIST, "Cannot use PV UUID %s which exists on %s", dashed,
			    d->path);
		goto out;
	}
	pe_start = pv->pe_start * 512;
	if (pe_start <= MDA1_OFFSET + 2 * LVF_MDA_HEADER_SIZE) {
		r = tb_fail(ctx, -EINVAL,
			    "PV %s in the metadata starts its data at %llu: no room "
			    "for a metadata area. Use lvm2's pvck --repair.",
			    dashed, (unsigned long long)pe_start);
		goto out;
	}
	if (pv->dev_size * 512 > b->size_bytes) {
		r = tb_fail(ctx, -ENOSPC,
			    "%s has %llu sectors, less than PV %s's %llu in the "
			    "metadata: is it the right device?",
			    dev, (unsigned long long)(b->size_bytes / 512), dashed,
			    (unsigned long long)pv->dev_size);
		goto out;
	}
	if (has_mda2(b, md->id)) {
		r = tb_fail(ctx, -EOPNOTSUPP,
			    "%s has a second metadata area of VG %s at its end: thinbox repairs PVs "
			    "with one. Use lvm2's pvck --repair.",
			    dev, md->name);
		goto out;
	}
	/* the raw text as the ring holds it; a file's text (a backup: comments, tabs) is
	 * written as lvm2 writes metadata */
	if (file) {
		struct lvf_vg_export_info info = { .description = "Repaired by pvck --repair",
						   .creation_time = (int64_t)time(NULL) };
		if ((r = lvf_vg_export(md, LVF_VG_RAW, &info, &raw)) < 0)
			goto out;
	} else {
		strbuf_appendn(&raw, text, text_len);
	}
	if (!strbuf_ok(&raw)) {
		r = -ENOMEM;
		goto out;
	}
	mda_size = pe_start - MDA1_OFFSET;
	if (raw.len + 1 > lvf_mda_max_text_size(mda_size)) {
		r = tb_fail(ctx, -ENOSPC, "Metadata text %zu too large for mda_size %llu",
			    raw.len + 1, (unsigned long long)mda_size);
		goto out;
	}
	lay.pe_start = pe_start;
	lay.n_mda = 1;
	lay.mda[0] = (struct lvf_disk_locn){ MDA1_OFFSET, mda_size };
	if (pv->has_ba)
		lay.ba = (struct lvf_disk_locn){ pv->ba_start * 512, pv->ba_size * 512 };
	lvf_pv_header_init(&h, pv->id, pv->dev_size * 512, &lay, LVF_PV_EXT_USED);
	memset(&mh, 0, sizeof(mh));
	mh.version = LVF_MDA_VERSION;
	mh.start = MDA1_OFFSET;
	mh.size = mda_size;
	mh.slot[0].offset = LVF_MDA_HEADER_SIZE;
	mh.slot[0].size = raw.len + 1;
	mh.slot[0].checksum = lvm_crc(LVM_INITIAL_CRC, raw.buf, raw.len + 1);
	lvf_mda_header_encode(&mh, msec);
	lvf_label_encode(&h, LVF_LABEL_SECTOR, sec);
	tb_notice(ctx, "Writing label_header.crc 0x%08x pv_header uuid %s device_size %llu",
		  get_le32(sec + 16), dashed, (unsigned long long)(pv->dev_size * 512));
	tb_notice(ctx, "Writing metadata at %u length %zu crc 0x%08x mda1",
		  MDA1_OFFSET + LVF_MDA_HEADER_SIZE, raw.len + 1, mh.slot[0].checksum);
	/* text first, then the header that points at it, then the label that points at both */
	if ((r = lvf_bdev_write(b, MDA1_OFFSET + LVF_MDA_HEADER_SIZE, raw.buf, raw.len + 1)) < 0 ||
	    (r = lvf_bdev_flush(b)) < 0 ||
	    (r = lvf_bdev_write(b, MDA1_OFFSET, msec, sizeof(msec))) < 0 ||
	    (r = lvf_bdev_flush(b)) < 0 ||
	    (r = lvf_bdev_write(b, LVF_LABEL_SECTOR * LVF_LABEL_SIZE, sec, sizeof(sec))) < 0 ||
	    (r = lvf_bdev_flush(b)) < 0) {
		r = tb_fail(ctx, r, "Failed to write the repaired headers on %s: %s", dev,
			    strerror(-r));
		goto out;
	}
	tb_notice(ctx, "PV %s on %s repaired from %s (VG %s seqno %u).", dashed, dev,
		  file ? file : "its metadata area", md->name, md->seqno);
out:
	strbuf_release(&raw);
	md_vg_free(md);
	free(text);
	tb_scan_free(&scan);
	lvf_bdev_free(b);
	tb_cmd_end(&c);
	return r;
}
