/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding PVs, reading a VG under its lock, committing it to every metadata area and writing
 * lvm2's backup. The commit order (text on every mda, precommit, commit) lives in lvmfmt/mda.c;
 * here: which mdas, the seqno, the PV header's "used" flag, backups and lvm2's hints.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "core/store/backup.h"
#include "core/store/hints.h"
#include "core/store/store.h"
#include "core/store/mdcache.h"
#include "lvmfmt/config.h"
#include "lvmfmt/vg-text.h"
#include "util/crc.h"
#include "util/endian.h"
#include "util/strbuf.h"

void tb_ctx_set_bdev_open(struct tb_ctx *ctx, tb_bdev_open_fn fn, void *userdata)
{
	ctx->bdev_open = fn;
	ctx->bdev_open_data = userdata;
}

int tb_bdev_open(struct tb_ctx *ctx, const char *path, int flags, struct lvf_bdev **ret)
{
	if (ctx->bdev_open)
		return ctx->bdev_open(ctx->bdev_open_data, path, flags, ret);
	return lvf_bdev_open(path, flags, ret);
}

void tb_new_id(char ret[MD_ID_LEN + 1])
{
	uint8_t rnd[MD_ID_LEN];
	uuid_t u;

	for (size_t i = 0; i < MD_ID_LEN; i += sizeof(u)) {
		uuid_generate_random(u);
		memcpy(rnd + i, u, sizeof(u));
	}
	md_id_from_random(rnd, ret);
}

static void pvdev_text_free(struct tb_pvdev *d)
{
	if (d->text_ref)
		tb_text_put(d->text_ref);
	else
		free(d->text);
	d->text = NULL;
	d->text_ref = NULL;
}

struct tb_pvdev *tb_pvdev_free(struct tb_pvdev *d)
{
	if (!d)
		return NULL;
	lvf_bdev_free(d->bdev);
	free(d->path);
	pvdev_text_free(d);
	free(d->pv_ids);
	strbuf_release(&d->warn);
	free(d);
	return NULL;
}

/* Why mda @i (at @off) of @d has no usable header, in lvm2's words (lvm2 2.03.16
 * lib/format_text/format-text.c _raw_read_mda_header, lib/label/label.c). */
static void note_bad_header(struct tb_pvdev *d, size_t i, uint64_t off, const char *why)
{
	uint8_t sec[LVF_MDA_HEADER_SIZE];
	unsigned long long o = (unsigned long long)off;

	if (lvf_bdev_read(d->bdev, off, sec, sizeof(sec)) == 0 &&
	    lvm_crc(LVM_INITIAL_CRC, sec + 4, sizeof(sec) - 4) != get_le32(sec))
		strbuf_appendf(&d->warn, "WARNING: wrong checksum %x in mda header on %s at %llu\n",
			       get_le32(sec), d->path, o);
	else
		strbuf_appendf(&d->warn, "WARNING: %s in mda header on %s at %llu\n", why, d->path,
			       o);
	strbuf_appendf(&d->warn, "WARNING: bad metadata header on %s at %llu.\n", d->path, o);
	strbuf_appendf(&d->warn, "WARNING: scanning %s mda%zu failed to read metadata summary.\n",
		       d->path, i + 1);
	strbuf_appendf(&d->warn, "WARNING: repair VG metadata on %s with vgck --updatemetadata.\n",
		       d->path);
}

/* Read the newest metadata text among the PV's mdas (through the ctx's cache: each text is
 * read, checksummed and parsed once per command, core/store/mdcache.h); note what is wrong with
 * the others. */
static void pvdev_read_metadata(struct tb_ctx *ctx, struct tb_pvdev *d)
{
	for (size_t i = 0; i < d->hdr.n_mda; i++) {
		struct lvf_mda_ref ref = { d->bdev, d->hdr.mda[i].offset, d->hdr.mda[i].size,
					   false };
		struct lvf_mda_header h;
		struct lvf_err err = { 0 };
		struct tb_mdtext t;
		int r;

		r = lvf_mda_read_header(&ref, &h, &err);
		if (r < 0) {
			tb_dbg(ctx, "%s: metadata area %zu header unreadable: %s", d->path, i,
			       err.message);
			note_bad_header(d, i, ref.start, err.message);
			d->mda_bad = true;
			d->mda_hdr_bad[i] = true;
			continue;
		}
		d->mda_ignored[i] = h.slot[0].flags & LVF_RAW_LOCN_IGNORED;
		r = tb_mdcache_read(ctx, d->path, &ref, &t, &err);
		if (r == -ENODATA)
			continue;
		if (r < 0) {
			/* lvm2 2.03.16 lib/format_text/format-text.c, import_vg_from_buffer wording */
			unsigned long long at = ref.start + h.slot[0].offset;
			tb_dbg(ctx, "%s: metadata area %zu unreadable: line %u: %s", d->path, i,
			       err.line, err.message);
			if (strstr(err.message, "checksum"))
				strbuf_appendf(&d->warn,
					       "WARNING: Checksum error on %s at offset %llu.\n",
					       d->path, at);
			else /* lvm2: "Parse error at byte N (line L): expected a value" */
				strbuf_appendf(&d->warn,
					       "WARNING: Parse error at line %u of the metadata text on "
					       "%s at %llu: %s.\n",
					       err.line, d->path, at, err.message);
			strbuf_appendf(&d->warn, "WARNING: invalid metadata text from %s at %llu.\n",
				       d->path, at);
			strbuf_appendf(&d->warn,
				       "WARNING: metadata on %s at %llu has invalid summary for VG.\n",
				       d->path, at);
			strbuf_appendf(&d->warn, "WARNING: bad metadata text on %s in mda%zu\n",
				       d->path, i + 1);
			strbuf_appendf(&d->warn,
				       "WARNING: scanning %s mda%zu failed to read metadata summary.\n",
				       d->path, i + 1);
			strbuf_appendf(&d->warn,
				       "WARNING: repair VG metadata on %s with vgck --updatemetadata.\n",
				       d->path);
			d->mda_bad = true;
			continue;
		}
		if (!d->text || t.seqno > d->seqno) {
			char *text = t.shared ? t.shared->text : malloc(t.len + 1);
			char *ids = t.n_pv_ids ? malloc(t.n_pv_ids * MD_ID_LEN) : NULL;
			if (!text || (t.n_pv_ids && !ids)) {
				if (!t.shared)
					free(text);
				free(ids);
				d->mda_bad = true;
				continue;
			}
			if (!t.shared)
				memcpy(text, t.text, t.len + 1);
			if (ids)
				memcpy(ids, t.pv_ids, t.n_pv_ids * MD_ID_LEN);
			pvdev_text_free(d);
			d->text = text;
			d->text_ref = t.shared ? tb_text_get(t.shared) : NULL;
			d->text_len = t.len;
			d->text_crc = t.checksum;
			d->seqno = t.seqno;
			snprintf(d->vgname, sizeof(d->vgname), "%s", t.vgname);
			memcpy(d->vgid, t.vgid, sizeof(d->vgid));
			free(d->pv_ids);
			d->pv_ids = ids;
			d->n_pv_ids = t.n_pv_ids;
		}
	}
	if (d->mda_bad && !d->text)
		strbuf_appendf(&d->warn,
			       "WARNING: scan failed to get metadata summary from %s PVID "
			       "%s\n",
			       d->path, d->id);
}

/* A label whose area list lvf_label_read rejected (an mda past the device end, a huge size):
 * take each mda's size from its own header when that header decodes and fits the device, as
 * lvm2 reads it. 0 when every area is then sane, -EBADMSG otherwise (the PV stays in doubt). */
static int label_fix_areas(struct tb_pvdev *d)
{
	uint64_t dev = d->bdev->size_bytes;

	for (size_t i = 0; i < d->hdr.n_da; i++)
		if (d->hdr.da[i].offset >= dev ||
		    (d->hdr.da[i].size && d->hdr.da[i].size > dev - d->hdr.da[i].offset))
			return -EBADMSG;
	for (size_t i = 0; i < d->hdr.n_mda; i++) {
		uint8_t sec[LVF_MDA_HEADER_SIZE];
		struct lvf_mda_header h;
		uint64_t off = d->hdr.mda[i].offset;

		if (off < LVF_LABEL_SCAN_SIZE || off > dev - sizeof(sec) ||
		    lvf_bdev_read(d->bdev, off, sec, sizeof(sec)) < 0 ||
		    lvf_mda_header_decode(sec, sizeof(sec), off, 0, &h, NULL) < 0 ||
		    h.size > dev - off)
			return -EBADMSG;
		d->hdr.mda[i].size = h.size;
	}
	return 0;
}

int tb_pvdev_open(struct tb_ctx *ctx, const char *path, bool excl, struct tb_pvdev **ret)
{
	struct tb_pvdev *d = calloc(1, sizeof(*d));
	struct lvf_err err = { 0 };
	struct stat st;
	int r;

	if (!d)
		return -ENOMEM;
	d->path = strdup(path);
	if (!d->path) {
		r = -ENOMEM;
		goto fail;
	}
	r = tb_bdev_open(ctx, path, (excl ? O_RDWR | O_EXCL : O_RDONLY), &d->bdev);
	if (r < 0)
		goto fail;
	if (!ctx->bdev_open && stat(path, &st) == 0 && S_ISBLK(st.st_mode))
		d->rdev = st.st_rdev;
	else if (ctx->bdev_open && ctx->bdev_rdev)
		d->rdev = ctx->bdev_rdev(ctx->bdev_open_data, path);
	r = lvf_label_read(d->bdev, &d->hdr, NULL, &err);
	if (r == 0) {
		memcpy(d->id, d->hdr.uuid, MD_ID_LEN);
		d->id[MD_ID_LEN] = '\0';
		pvdev_read_metadata(ctx, d);
	} else if (r == -EBADMSG &&
		   lvf_label_read_unchecked(d->bdev, &d->hdr, &(struct lvf_err){ 0 }) == 0) {
		/* "this is a PV", but not where its metadata is: a PV in doubt, not a free disk */
		memcpy(d->id, d->hdr.uuid, MD_ID_LEN);
		d->id[MD_ID_LEN] = '\0';
		d->label_unchecked = true;
		strbuf_appendf(&d->warn, "WARNING: %s on %s.\n", err.message, path);
		if (label_fix_areas(d) == 0) {
			/* lvm2 reads such a PV's VG through the mda header's own size; so do we,
			 * and the next commit writes the header back with that size */
			pvdev_read_metadata(ctx, d);
		} else {
			d->hdr.n_mda = 0;
			d->mda_bad = true;
			strbuf_appendf(&d->warn,
				       "WARNING: scan failed to get metadata summary from %s "
				       "PVID %s\n",
				       path, d->id);
		}
	} else if (r != -ENOENT) {
		tb_dbg(ctx, "%s: no usable label: %s", path, err.message);
	}
	*ret = d;
	return 0;
fail:
	tb_pvdev_free(d);
	return r;
}

void tb_scan_free(struct tb_scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		tb_pvdev_free(s->devs[i]);
	free(s->devs);
	s->devs = NULL;
	s->n = 0;
}

static int scan_add(struct tb_ctx *ctx, struct tb_scan *s, const char *path, bool writable)
{
	struct tb_pvdev *d = NULL, **n;
	int r;

	for (size_t i = 0; i < s->n; i++)
		if (streq(s->devs[i]->path, path))
			return 0;
	if (!tb_device_accepted(ctx, path))
		return 0; /* devices/filter, devices/global_filter (lvm.conf, --config) */
	r = tb_pvdev_open(ctx, path, false, &d);
	if (r < 0)
		return 0; /* unreadable candidates are skipped, as lvm2 does */
	if (!d->id[0]) {
		tb_pvdev_free(d);
		return 0;
	}
	if (writable) {
		/* reopen read-write for the command that will commit */
		struct lvf_bdev *w = NULL;
		r = tb_bdev_open(ctx, path, O_RDWR, &w);
		if (r < 0) {
			tb_pvdev_free(d);
			return r;
		}
		lvf_bdev_free(d->bdev);
		d->bdev = w;
	}
	n = realloc(s->devs, (s->n + 1) * sizeof(*n));
	if (!n) {
		tb_pvdev_free(d);
		return -ENOMEM;
	}
	s->devs = n;
	s->devs[s->n++] = d;
	return 0;
}

int tb_scan_devices(struct tb_ctx *ctx, bool writable, struct tb_scan *ret)
{
	struct tb_scan s = { 0 };
	char line[256], name[128], path[PATH_MAX];
	int r = 0;

	if (ctx->n_devices > 0) {
		/* tb_ctx_set_devices (default: $THINBOX_DEVICES) */
		for (size_t i = 0; i < ctx->n_devices; i++)
			if ((r = scan_add(ctx, &s, ctx->devices[i], writable)) < 0)
				goto fail;
	} else {
		_cleanup_fclose_ FILE *f = fopen("/proc/partitions", "re");
		unsigned maj, mnr;
		unsigned long long blocks;
		if (!f)
			return tb_fail(ctx, -errno, "Cannot read /proc/partitions: %s",
				       strerror(errno));
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, " %u %u %llu %127s", &maj, &mnr, &blocks, name) != 4)
				continue;
			/* LVs themselves are not scanned (lvm2: devices/scan_lvs = 0) */
			if (!strncmp(name, "dm-", 3) || blocks < 2048)
				continue;
			snprintf(path, sizeof(path), "%s/%s", ctx->dev_dir, name);
			if ((r = scan_add(ctx, &s, path, writable)) < 0)
				goto fail;
		}
	}
	tb_scan_assess(ctx, &s);
	*ret = s;
	return 0;
fail:
	tb_scan_free(&s);
	return r;
}

struct tb_pvdev *tb_scan_find_path(struct tb_scan *s, const char *path)
{
	struct stat st;
	bool blk = stat(path, &st) == 0 && S_ISBLK(st.st_mode);

	for (size_t i = 0; i < s->n; i++) {
		if (streq(s->devs[i]->path, path))
			return s->devs[i];
		if (blk && s->devs[i]->rdev == st.st_rdev)
			return s->devs[i];
	}
	return NULL;
}

int tb_root_check(struct tb_ctx *ctx)
{
	if (geteuid() != 0 && !secure_getenv("THINBOX_ALLOW_NONROOT"))
		return tb_fail(ctx, -EPERM,
			       "Running as a non-root user. Please run this command as root.");
	return 0;
}

int tb_cmd_lock_global(struct tb_cmd *c)
{
	int r = tb_lock_global(&c->locks, true);

	if (r < 0)
		return tb_fail(c->ctx, r, "%s",
			       c->locks.errmsg[0] ? c->locks.errmsg : "Cannot take the global lock");
	tb_hints_invalidate(NULL, c->name, NULL);
	return 0;
}

int tb_cmd_begin(struct tb_ctx *ctx, struct tb_cmd *c, const char *name)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->name = name;
	r = tb_lockset_init(&c->locks, tb_ctx_lockdir(ctx), -1);
	if (r < 0)
		return tb_fail(ctx, r, "Cannot prepare the lock directory: %s", strerror(-r));
	return 0;
}

void tb_cmd_end(struct tb_cmd *c)
{
	tb_lockset_release(&c->locks);
}

/* Models left to the process's exit (tb_ctx_set_exit_frees): a list in static storage, so
 * they stay reachable (leak checkers count them as such) and are never touched again. */
#define PARK_MIN_LVS 1000
static struct md_vg **parked;
static size_t n_parked, cap_parked;

static bool park(struct md_vg *md)
{
	if (n_parked == cap_parked) {
		size_t cap = cap_parked ? 2 * cap_parked : 8;
		struct md_vg **n = realloc(parked, cap * sizeof(*n));
		if (!n)
			return false; /* freed the ordinary way */
		parked = n;
		cap_parked = cap;
	}
	parked[n_parked++] = md;
	return true;
}

struct tb_vg *tb_vg_free(struct tb_vg *vg)
{
	if (!vg)
		return NULL;
	if (!(vg->exit_frees && vg->md && vg->md->n_lvs >= PARK_MIN_LVS && park(vg->md)))
		md_vg_free(vg->md);
	free(vg->pvdevs);
	tb_scan_free(&vg->scan);
	strbuf_release(&vg->backup_section);
	free(vg);
	return NULL;
}

struct tb_pvdev *tb_vg_pvdev_for(const struct tb_vg *vg, const struct md_pv *pv)
{
	size_t i = md_vg_pv_index(vg->md, pv);
	return i < vg->n_pvdevs ? vg->pvdevs[i] : NULL;
}

int tb_vg_read(struct tb_cmd *c, const char *name, bool write, struct tb_vg **ret)
{
	struct tb_ctx *ctx = c->ctx;
	struct tb_vg *vg = calloc(1, sizeof(*vg));
	struct tb_pvdev *best = NULL;
	struct lvf_err err = { 0 };
	int r;

	if (!vg)
		return -ENOMEM;
	vg->exit_frees = ctx->exit_frees;
	if (!tb_lockset_has_vg(&c->locks, name, write)) {
		r = tb_lock_vg(&c->locks, name, write);
		if (r < 0) {
			r = tb_fail(ctx, r, "%s",
				    c->locks.errmsg[0] ? c->locks.errmsg
						       : "Cannot lock the volume group");
			goto fail;
		}
	}
	r = tb_scan_devices(ctx, write, &vg->scan);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < vg->scan.n; i++) {
		struct tb_pvdev *d = vg->scan.devs[i];
		if (!d->text || !streq(d->vgname, name))
			continue;
		if (best && !streq(best->vgid, d->vgid)) {
			r = tb_fail(ctx, -ENOTUNIQ,
				    "Multiple VGs found with the same name: %s (on %s and %s). Rename "
				    "one of them first.",
				    name, best->path, d->path);
			goto fail;
		}
		if (!best || d->seqno > best->seqno)
			best = d;
	}
	for (size_t i = 0; best && i < vg->scan.n; i++) {
		struct tb_pvdev *d = vg->scan.devs[i];
		char w[400];
		if (!d->text || !streq(d->vgname, name) || d->seqno >= best->seqno)
			continue;
		/* lvm2 2.03.16 lib/metadata/metadata.c _vg_read wording; the next commit rewrites it */
		snprintf(w, sizeof(w),
			 "WARNING: ignoring metadata seqno %u on %s for seqno %u on %s "
			 "for VG %s.",
			 d->seqno, d->path, best->seqno, best->path, name);
		tb_warn_once(ctx, w);
		snprintf(w, sizeof(w), "WARNING: Inconsistent metadata found for VG %s.", name);
		tb_warn_once(ctx, w);
	}
	if (!best) {
		r = tb_fail(ctx, -ENOENT,
			    "Volume group \"%s\" not found\n  Cannot process volume group %s", name,
			    name);
		goto fail;
	}
	vg->md = tb_mdcache_take(ctx, best->text, best->text_len, best->text_crc);
	r = vg->md ? 0 : lvf_vg_import_text(best->text, best->text_len, &vg->md, &err);
	if (r < 0) {
		r = tb_fail(ctx, r, "Volume group \"%s\" on %s has bad metadata: line %u: %s", name,
			    best->path, err.line, err.message);
		goto fail;
	}
	vg->n_pvdevs = vg->md->n_pvs;
	vg->pvdevs = calloc(vg->n_pvdevs ? vg->n_pvdevs : 1, sizeof(*vg->pvdevs));
	if (!vg->pvdevs) {
		r = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < vg->md->n_pvs; i++) {
		for (size_t k = 0; k < vg->scan.n; k++)
			if (streq(vg->scan.devs[k]->id, vg->md->pvs[i]->id)) {
				vg->pvdevs[i] = vg->scan.devs[k];
				break;
			}
		if (!vg->pvdevs[i]) {
			char uuid[MD_ID_LEN + 7], w[400];
			const char *last = vg->md->pvs[i]->device;
			md_id_format(vg->md->pvs[i]->id, uuid);
			/* lvm2 2.03.16 lib/metadata/metadata.c wording */
			snprintf(w, sizeof(w), "WARNING: Couldn't find device with uuid %s.", uuid);
			tb_warn_once(ctx, w);
			snprintf(w, sizeof(w),
				 "WARNING: VG %s is missing PV %s (last written to %s).", name,
				 uuid, last ? last : "[unknown]");
			tb_warn_once(ctx, w);
			vg->md->pvs[i]->status |= MD_PV_MISSING;
		} else if (!vg->md->pvs[i]->device ||
			   !streq(vg->md->pvs[i]->device, vg->pvdevs[i]->path)) {
			md_lv_set_str(&vg->md->pvs[i]->device, vg->pvdevs[i]->path);
		}
	}
	*ret = vg;
	return 0;
fail:
	tb_vg_free(vg);
	return r;
}

int tb_vg_check_writable(struct tb_cmd *c, const struct tb_vg *vg)
{
	const char *why = NULL;
	char reason[300];
	int r;

	if ((r = tb_vg_check_foreign(c, vg)) < 0)
		return r;
	if (md_vg_is_readonly_for_us(vg->md, &why))
		return tb_fail(c->ctx, -EPERM,
			       "Cannot change volume group %s: %s. Use lvm2 for this VG.",
			       vg->md->name, why);
	if (md_vg_check_overlaps(vg->md, reason, sizeof(reason)) < 0)
		return tb_fail(c->ctx, -EBADMSG,
			       "Cannot change volume group %s: its metadata is inconsistent: %s. "
			       "Restore a good copy (vgcfgrestore) first.",
			       vg->md->name, reason);
	for (size_t i = 0; i < vg->n_pvdevs; i++) {
		const struct tb_pvdev *d = vg->pvdevs[i];
		const struct md_pv *pv = vg->md->pvs[i];
		uint64_t end = (pv->pe_start + (uint64_t)pv->pe_count * vg->md->extent_size) * 512;
		if (d && d->bdev && end > d->bdev->size_bytes)
			return tb_fail(c->ctx, -ENOSPC,
				       "Cannot change volume group %s: device %s has %llu sectors, less "
				       "than its PV's %u extents need (%llu). Was the device resized? "
				       "Restore its size first.",
				       vg->md->name, d->path,
				       (unsigned long long)(d->bdev->size_bytes / 512),
				       pv->pe_count, (unsigned long long)(end / 512));
	}
	return tb_vg_check_duplicates(c, vg);
}

static void export_info(struct tb_cmd *c, struct lvf_vg_export_info *info, struct utsname *u,
			char *uname_buf, size_t len, char *desc, size_t desc_len)
{
	memset(info, 0, sizeof(*info));
	if (uname(u) == 0) {
		snprintf(uname_buf, len, "%s %s %s %s %s", u->sysname, u->nodename, u->release,
			 u->version, u->machine);
		info->creation_host = u->nodename;
		info->uname = uname_buf;
	}
	snprintf(desc, desc_len, "Write from %s.", c->name ? c->name : "thinbox");
	info->description = desc;
	info->creation_time = (int64_t)time(NULL);
}

int tb_vg_prepare_text(struct tb_cmd *c, struct tb_vg *vg, struct strbuf *raw)
{
	struct lvf_vg_export_info info;
	struct utsname u;
	char uname_buf[600], desc[300], reason[256];
	int r;

	for (size_t i = 0; i < vg->md->n_lvs; i++)
		md_lv_merge_segments(vg->md->lvs[i]);
	r = md_vg_validate(vg->md, reason, sizeof(reason));
	if (r < 0)
		return tb_fail(c->ctx, -EINVAL, "Internal error: refusing to write VG %s: %s",
			       vg->md->name, reason);
	vg->md->seqno++;
	export_info(c, &info, &u, uname_buf, sizeof(uname_buf), desc, sizeof(desc));
	strbuf_reset(&vg->backup_section);
	vg->backup_seqno = 0;
	{
		/* both texts about the size of the one read (the backup's indents and comments
		 * half as much again): one allocation each instead of a doubling series */
		size_t last = 0;
		for (size_t i = 0; i < vg->n_pvdevs; i++)
			if (vg->pvdevs[i] && vg->pvdevs[i]->text_len > last)
				last = vg->pvdevs[i]->text_len;
		/* the raw text page-aligned: written to the areas with O_DIRECT from where it is,
		 * no bounce copy (lvf_bdev_write) */
		strbuf_reserve_aligned(raw, last + last / 16 + 4096, 4096);
		strbuf_reserve(&vg->backup_section, last + last / 2 + last / 8 + 4096);
	}
	r = lvf_vg_export_pair(vg->md, &info, raw, &vg->backup_section);
	if (r == 0)
		vg->backup_seqno = vg->md->seqno;
	return r;
}

int tb_vg_mda_refs(struct tb_cmd *c, const struct tb_vg *vg, struct lvf_mda_ref **ret, size_t *ret_n)
{
	struct lvf_mda_ref *mdas = calloc(2 * (vg->n_pvdevs + 1), sizeof(*mdas));
	size_t n = 0;

	if (!mdas)
		return -ENOMEM;
	for (size_t i = 0; i < vg->n_pvdevs; i++) {
		struct tb_pvdev *d = vg->pvdevs[i];
		if (!d)
			continue;
		for (size_t m = 0; m < d->hdr.n_mda; m++)
			mdas[n++] = (struct lvf_mda_ref){ d->bdev, d->hdr.mda[m].offset,
							  d->hdr.mda[m].size, d->mda_ignored[m] };
	}
	if (!n) {
		free(mdas);
		return tb_fail(c->ctx, -ENOSPC,
			       "Volume group %s has no metadata area on any present PV; cannot write "
			       "it",
			       vg->md->name);
	}
	*ret = mdas;
	*ret_n = n;
	return 0;
}

int tb_vg_check_fit(struct tb_cmd *c, const struct tb_vg *vg, const struct lvf_mda_ref *mdas,
		    size_t n, uint64_t len_with_nul)
{
	uint64_t max = 0;
	size_t i = 0;
	enum lvf_mda_fit fit = lvf_mdas_fit(mdas, n, len_with_nul, &i, &max);
	const char *dev = n ? mdas[i].bdev->name : "?";

	if (fit == LVF_MDA_TOO_LARGE)
		/* lvm2's wording (format-text.c _vg_write_raw), then what to do */
		return tb_fail(c->ctx, -ENOSPC,
			       "VG %s %" PRIu32 " metadata on %s (%" PRIu64 " bytes) exceeds maximum "
			       "metadata size (%" PRIu64
			       " bytes). Failed to write VG %s: nothing was "
			       "changed. Remove LVs, or move the VG to PVs made with a larger "
			       "pvcreate --metadatasize (docs/cli.md, \"Metadata area size\").",
			       vg->md->name, vg->md->seqno, dev, len_with_nul, max, vg->md->name);
	if (fit == LVF_MDA_OVER_HALF)
		tb_warn(c->ctx,
			"WARNING: VG %s metadata on %s (%" PRIu64
			" bytes) is over half of the largest "
			"copy its metadata area holds (%" PRIu64 " bytes); the VG cannot double its "
			"LVs any more. See docs/cli.md, \"Metadata area size\".",
			vg->md->name, dev, len_with_nul, max);
	return 0;
}

int tb_vg_commit(struct tb_cmd *c, struct tb_vg *vg)
{
	struct tb_ctx *ctx = c->ctx;
	struct strbuf raw = { 0 };
	struct lvf_mda_ref *mdas = NULL;
	struct lvf_err err = { 0 };
	size_t n = 0;
	int r;

	if ((r = tb_vg_check_duplicates(c, vg)) < 0 || (r = tb_vg_prepare_text(c, vg, &raw)) < 0 ||
	    (r = tb_vg_mda_refs(c, vg, &mdas, &n)) < 0)
		goto out;
	if ((r = tb_vg_check_fit(c, vg, mdas, n, raw.len + 1)) < 0)
		goto out;
	/* a bad header among good copies: made empty first, then committed like the others
	 * (lvm2 repairs it the same way on its next commit) */
	for (size_t i = 0; i < vg->n_pvdevs; i++) {
		struct tb_pvdev *d = vg->pvdevs[i];
		for (size_t m = 0; d && m < d->hdr.n_mda; m++) {
			struct lvf_mda_ref ref = { d->bdev, d->hdr.mda[m].offset,
						   d->hdr.mda[m].size, false };
			if (!d->mda_hdr_bad[m])
				continue;
			tb_warn(ctx, "WARNING: Repairing the metadata header on %s at %llu.",
				d->path, (unsigned long long)ref.start);
			r = lvf_mda_init(&ref);
			if (r < 0) {
				r = tb_fail(ctx, r, "Failed to repair the metadata header on %s: %s",
					    d->path, strerror(-r));
				goto out;
			}
			d->mda_hdr_bad[m] = false;
		}
	}
	r = lvf_mdas_commit(mdas, n, strbuf_str(&raw), raw.len + 1, &err);
	if (r < 0) {
		r = tb_fail(ctx, r, "Failed to write metadata of VG %s: %s", vg->md->name,
			    err.message);
		goto out;
	}
	/* the interop tests count commits by this line (THINBOX_LOG=debug) */
	tb_dbg(ctx, "Committed VG %s seqno %" PRIu32 " to %zu metadata areas.", vg->md->name,
	       vg->md->seqno, n);
	/* PVs in a VG carry PV_EXT_USED in their header (lvm2 sets it after the commit). */
	for (size_t i = 0; i < vg->n_pvdevs; i++) {
		struct tb_pvdev *d = vg->pvdevs[i];
		if (!d || ((d->hdr.ext_flags & LVF_PV_EXT_USED) && !d->label_unchecked))
			continue;
		if (d->label_unchecked)
			tb_warn(ctx,
				"WARNING: Repairing the PV header on %s (its metadata area list).",
				d->path);
		d->label_unchecked = false;
		d->hdr.ext_flags |= LVF_PV_EXT_USED;
		d->hdr.ext_version = LVF_PV_EXT_VERSION;
		r = lvf_label_write(d->bdev, &d->hdr);
		if (r < 0) {
			r = tb_fail(ctx, r, "Failed to update the PV header on %s: %s", d->path,
				    strerror(-r));
			goto out;
		}
	}
	if (!c->defer_backup)
		tb_vg_backup(c, vg);
	r = 0;
out:
	free(mdas);
	strbuf_release(&raw);
	return r;
}

void tb_vg_keep_own_devices(struct tb_vg *vg)
{
	size_t k = 0;

	for (size_t i = 0; i < vg->scan.n; i++) {
		struct tb_pvdev *d = vg->scan.devs[i];
		bool own = false;
		for (size_t j = 0; j < vg->n_pvdevs && !own; j++)
			own = vg->pvdevs[j] == d;
		if (own)
			vg->scan.devs[k++] = d;
		else
			tb_pvdev_free(d);
	}
	vg->scan.n = k;
}

void tb_vg_backup(struct tb_cmd *c, struct tb_vg *vg)
{
	struct strbuf file = { 0 };
	struct tb_backup_settings bs;

	tb_backup_settings(c->ctx, &bs);
	if (!bs.backup)
		return; /* lvm.conf backup/backup = 0 */

	/* The backup, as lvm2 keeps it; a failure here is a warning, not a failed commit. */
	/* lvm2's configuration directory may be missing on a minimal host: make it */
	(void)mkdir(tb_sysconf_dir(c->ctx), 0755);
	if (vg->backup_seqno && vg->backup_seqno == vg->md->seqno && vg->backup_section.len) {
		/* printed with the commit's raw text (tb_vg_prepare_text) */
		file = vg->backup_section;
		vg->backup_section = (struct strbuf){ 0 };
		vg->backup_seqno = 0;
	}
	if (file.len || lvf_vg_export(vg->md, LVF_VG_SECTION, NULL, &file) == 0) {
		char dir_b[512], dir_a[512];
		snprintf(dir_b, sizeof(dir_b), "%s/backup", tb_sysconf_dir(c->ctx));
		snprintf(dir_a, sizeof(dir_a), "%s/archive", tb_sysconf_dir(c->ctx));
		if (tb_backup_write_retain(dir_b, bs.archive ? dir_a : NULL, vg->md->name,
					   strbuf_str(&file), c->name ? c->name : "thinbox",
					   bs.retain_min, bs.retain_days) < 0)
			tb_warn(c->ctx, "WARNING: failed to write the backup of VG %s in %s",
				vg->md->name, dir_b);
	}
	strbuf_release(&file);
}
