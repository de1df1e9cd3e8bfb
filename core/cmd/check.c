/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thinbox check: what pvck --dump headers reports, as data. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "lvmfmt/vg-text.h"

static bool check_one(struct tb_ctx *ctx, const char *path, struct tb_check_report *rep)
{
	struct lvf_bdev *b = NULL;
	struct lvf_pv_header h;
	struct lvf_err err = { 0 };
	bool bad = false;
	int r;

	memset(rep, 0, sizeof(*rep));
	rep->device = path;
	r = tb_bdev_open(ctx, path, O_RDONLY, &b);
	if (r < 0) {
		rep->label_status = r;
		snprintf(rep->label_reason, sizeof(rep->label_reason), "cannot open: %s",
			 strerror(-r));
		return true;
	}
	r = lvf_label_read(b, &h, &rep->label_sector, &err);
	rep->label_status = r;
	if (r < 0) {
		snprintf(rep->label_reason, sizeof(rep->label_reason), "%s",
			 r == -ENOENT ? "no LVM label in sectors 0-3" : err.message);
		lvf_bdev_free(b);
		return r != -ENOENT;
	}
	md_id_format(h.uuid, rep->pv_uuid);
	rep->device_size = h.device_size;
	rep->pe_start = h.n_da ? h.da[0].offset : 0;
	rep->ext_version = h.ext_version;
	rep->ext_flags = h.ext_flags;
	if (h.device_size != b->size_bytes) {
		snprintf(rep->label_reason, sizeof(rep->label_reason),
			 "PV header device size %llu differs from the device's %llu bytes",
			 (unsigned long long)h.device_size, (unsigned long long)b->size_bytes);
		bad = true;
	}
	rep->n_mda = MIN(h.n_mda, (size_t)2);
	for (size_t i = 0; i < rep->n_mda; i++) {
		struct tb_check_mda *m = &rep->mda[i];
		struct lvf_mda_ref ref = { b, h.mda[i].offset, h.mda[i].size, false };
		struct lvf_raw_locn locn = { 0 };
		struct md_vg *vg = NULL;
		char *text = NULL;
		size_t len = 0;

		m->offset = h.mda[i].offset;
		m->size = h.mda[i].size;
		memset(&err, 0, sizeof(err));
		r = lvf_mda_read_text(&ref, &text, &len, &locn, &err);
		m->status = r;
		if (r == -ENODATA) {
			snprintf(m->reason, sizeof(m->reason), "%s", err.message);
			continue;
		}
		if (r < 0) {
			snprintf(m->reason, sizeof(m->reason), "%s", err.message);
			bad = true;
			continue;
		}
		m->text_offset = locn.offset;
		m->text_size = locn.size;
		m->text_checksum = locn.checksum;
		r = lvf_vg_import_text(text, len, &vg, &err);
		if (r < 0) {
			m->status = r;
			snprintf(m->reason, sizeof(m->reason), "metadata text line %u: %.200s",
				 err.line, err.message);
			bad = true;
		} else {
			m->has_text = true;
			m->seqno = vg->seqno;
			snprintf(m->vgname, sizeof(m->vgname), "%s", vg->name);
		}
		md_vg_free(vg);
		free(text);
	}
	if (rep->n_mda == 2 && rep->mda[0].has_text && rep->mda[1].has_text &&
	    rep->mda[0].seqno != rep->mda[1].seqno) {
		snprintf(rep->label_reason, sizeof(rep->label_reason),
			 "metadata areas disagree: seqno %u and %u", rep->mda[0].seqno,
			 rep->mda[1].seqno);
		bad = true;
	}
	lvf_bdev_free(b);
	return bad;
}

TB_EXPORT int tb_check_devices(struct tb_ctx *ctx, const char *const *devices, size_t n,
			       int (*cb)(void *userdata, const struct tb_check_report *r),
			       void *userdata)
{
	struct tb_check_report rep;
	struct tb_scan s = { 0 };
	bool bad = false;
	int r = 0;

	tb_ctx_clear_error(ctx);
	if (!n) {
		r = tb_scan_devices(ctx, false, &s);
		if (r < 0)
			return r;
		for (size_t i = 0; i < s.n && r >= 0; i++) {
			bad |= check_one(ctx, s.devs[i]->path, &rep);
			r = cb(userdata, &rep);
		}
		tb_scan_free(&s);
	} else {
		for (size_t i = 0; i < n && r >= 0; i++) {
			bad |= check_one(ctx, devices[i], &rep);
			r = cb(userdata, &rep);
		}
	}
	if (r < 0)
		return r;
	return bad ? 1 : 0;
}
