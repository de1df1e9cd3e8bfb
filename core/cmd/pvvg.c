/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pvcreate, pvremove, vgcreate, vgremove, vgextend, vgreduce (lvm2 tools/ semantics). */
#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/store/hints.h"
#include "core/cmd/cmd.h"
#include "lvmfmt/vg-text.h"

#define PV_MIN_SIZE (2u * 1024 * 1024) /* lvm2 devices/pv_min_size default 2048 KiB */

/* Signatures other than LVM2 found by libblkid; wiped when @wipe. Returns the number left
 * (0 when none or all wiped) and names the first in @ret_type. */
static int signatures(struct tb_ctx *ctx, const char *path, bool wipe, char *ret_type, size_t len,
		      uint64_t *ret_off)
{
	blkid_probe pr;
	int fd, left = 0, r;

	fd = open(path, (wipe ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	pr = blkid_new_probe();
	if (!pr) {
		close(fd);
		return -ENOMEM;
	}
	r = blkid_probe_set_device(pr, fd, 0, 0);
	if (r < 0) {
		r = -EIO;
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_MAGIC);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	while (blkid_do_probe(pr) == 0) {
		const char *type = NULL, *off = NULL;
		if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) < 0 &&
		    blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL) < 0)
			continue;
		if (type && streq(type, "LVM2_member"))
			continue;
		if (blkid_probe_lookup_value(pr, "SBMAGIC_OFFSET", &off, NULL) < 0)
			(void)blkid_probe_lookup_value(pr, "PTMAGIC_OFFSET", &off, NULL);
		if (!left) {
			snprintf(ret_type, len, "%s", type ? type : "unknown");
			*ret_off = off ? strtoull(off, NULL, 10) : 0;
		}
		if (wipe) {
			tb_info(ctx, "Wiping %s signature on %s.", type ? type : "unknown", path);
			if (blkid_do_wipe(pr, 0) < 0) {
				left++;
				break;
			}
		} else {
			left++;
		}
	}
	r = left;
	if (wipe)
		fsync(fd);
out:
	blkid_free_probe(pr);
	close(fd);
	return r;
}

/* The first signature other than LVM2's on @path, without wiping (thinbox setup). Returns
 * the number found. */
int tb_probe_signatures(struct tb_ctx *ctx, const char *path, char *ret_type, size_t len,
			uint64_t *ret_off)
{
	return signatures(ctx, path, false, ret_type, len, ret_off);
}

/* Write a new PV on @path (already checked). */
static int pv_write_new(struct tb_cmd *c, const char *path, const struct tb_pvcreate_opts *o)
{
	struct tb_ctx *ctx = c->ctx;
	struct lvf_pv_layout_params lp = { 0 };
	struct lvf_pv_layout layout;
	struct lvf_pv_header h;
	struct lvf_bdev *b = NULL;
	char id[MD_ID_LEN + 1];
	int r;

	if (o && o->uuid) {
		if (md_id_parse(o->uuid, id) < 0)
			return tb_fail(ctx, -EINVAL,
				       "Invalid --uuid \"%s\": an LVM id has 32 "
				       "characters from [0-9a-zA-Z!#], dashes optional",
				       o->uuid);
	} else {
		tb_new_id(id);
	}
	r = tb_bdev_open(ctx, path, O_RDWR | O_EXCL, &b);
	if (r < 0)
		return tb_fail(ctx, r, "Can't open %s exclusively.  Mounted filesystem?", path);
	lp.device_size = b->size_bytes;
	lp.data_alignment = o ? o->dataalignment : 0;
	lp.metadata_size = o ? o->metadatasize : 0;
	lp.metadata_copies = (o && o->metadatacopies >= 0) ? (unsigned)o->metadatacopies : 1;
	r = lvf_pv_layout_default(&lp, &layout);
	if (r < 0) {
		r = tb_fail(ctx, r, "Cannot lay out a PV on %s (%" PRIu64 " bytes): %s", path,
			    b->size_bytes, strerror(-r));
		goto out;
	}
	lvf_pv_header_init(&h, id, b->size_bytes, &layout, 0);
	/* metadata areas first, then the label that points at them */
	for (size_t i = 0; i < layout.n_mda; i++) {
		struct lvf_mda_ref ref = { b, layout.mda[i].offset, layout.mda[i].size, false };
		r = lvf_mda_init(&ref);
		if (r < 0) {
			r = tb_fail(ctx, r, "Failed to write a metadata area on %s: %s", path,
				    strerror(-r));
			goto out;
		}
	}
	r = lvf_label_write(b, &h);
	if (r < 0)
		r = tb_fail(ctx, r, "Failed to write the physical volume label on %s: %s", path,
			    strerror(-r));
out:
	lvf_bdev_free(b);
	return r;
}

/* Checks before (re)initialising @path as a PV; wipes foreign signatures when allowed. */
static int pv_check_new(struct tb_cmd *c, struct tb_scan *scan, const char *path,
			const struct tb_pvcreate_opts *o, bool dry)
{
	struct tb_ctx *ctx = c->ctx;
	struct tb_pvdev *d = tb_scan_find_path(scan, path), *tmp = NULL;
	int force = o ? o->force : 0;
	bool yes = o && o->yes;
	char type[64] = "";
	uint64_t off = 0;
	struct stat st;
	int r;

	if (!ctx->bdev_open && stat(path, &st) < 0)
		return tb_fail(ctx, -errno, "Cannot use %s: %s.", path, strerror(errno));
	r = tb_pvdev_open(ctx, path, true, &tmp);
	if (r == -EBUSY)
		return tb_fail(ctx, r, "Can't open %s exclusively.  Mounted filesystem?", path);
	if (r < 0)
		return tb_fail(ctx, r, "Cannot open %s: %s", path, strerror(-r));
	if (tmp->bdev->size_bytes < PV_MIN_SIZE) {
		r = tb_fail(ctx, -EINVAL,
			    "Cannot use %s: device is too small (pv_min_size is 2 MiB).", path);
		goto out;
	}
	if (!d && tmp->id[0]) {
		struct tb_scan one = { &tmp, 1 };
		tb_scan_assess(ctx, &one);
		d = tmp;
	}
	if (d && d->dup) {
		r = tb_fail(ctx, -ENOTUNIQ,
			    "Can't initialize %s: PV %s is on more than one device (a cloned "
			    "disk?). Detach the copy you do not want first.",
			    path, d->id);
		goto out;
	}
	if (d && d->member_vg[0] && force < 2) {
		r = tb_fail(ctx, -EBUSY,
			    "Can't initialize physical volume \"%s\" of volume group \"%s\" "
			    "without -ff\n  %s: physical volume not initialized.",
			    path, d->member_vg, path);
		goto out;
	}
	/* lvm2 2.03.16 tools/toollib.c _pvcreate_check_single wording */
	if (d && d->in_doubt && force < 2) {
		r = tb_fail(ctx, -EBUSY,
			    "PV %s is used by a VG but its metadata is missing.\n"
			    "  Can't initialize PV '%s' without -ff.\n"
			    "  %s: physical volume not initialized.",
			    path, path, path);
		goto out;
	}
	if (d && tb_pvdev_owner(d) && !dry)
		tb_warn(ctx, "WARNING: Wiping physical volume label from %s of volume group \"%s\".",
			path, tb_pvdev_owner(d));
	if (!(d && d->id[0]) && !ctx->bdev_open) {
		r = signatures(ctx, path, false, type, sizeof(type), &off);
		if (r < 0) {
			r = tb_fail(ctx, r, "Cannot probe %s for signatures: %s", path,
				    strerror(-r));
			goto out;
		}
		if (r > 0 && !force && !yes) {
			r = tb_fail(ctx, -EEXIST,
				    "WARNING: %s signature detected on %s at offset %" PRIu64
				    ". Refusing to wipe it without -y or -f.",
				    type, path, off);
			goto out;
		}
		if (r > 0 && !dry) {
			tb_pvdev_free(TAKE_PTR(tmp));
			r = signatures(ctx, path, true, type, sizeof(type), &off);
			if (r != 0) {
				r = tb_fail(ctx, r < 0 ? r : -EIO,
					    "Failed to wipe the %s signature on %s", type, path);
				goto out;
			}
			tb_notice(ctx, "Wiping %s signature on %s.", type, path);
		}
	}
	r = 0;
out:
	tb_pvdev_free(tmp);
	return r;
}

static int dup_check(struct tb_ctx *ctx, const char *const *devices, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (streq(devices[i], devices[j]))
				return tb_fail(ctx, -EINVAL,
					       "Duplicate device name found on input: %s",
					       devices[i]);
	return 0;
}

TB_EXPORT int tb_pvcreate(struct tb_ctx *ctx, const char *const *devices, size_t n,
			  const struct tb_pvcreate_opts *o)
{
	struct tb_cmd c;
	struct tb_scan scan = { 0 };
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0 || (r = dup_check(ctx, devices, n)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "pvcreate")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_scan_devices(ctx, false, &scan)) < 0)
		goto out;
	/* check every device before writing any */
	for (size_t i = 0; i < n; i++)
		if ((r = pv_check_new(&c, &scan, devices[i], o, true)) < 0)
			goto out;
	for (size_t i = 0; i < n; i++) {
		if ((r = pv_check_new(&c, &scan, devices[i], o, false)) < 0 ||
		    (r = pv_write_new(&c, devices[i], o)) < 0)
			goto out;
		tb_notice(ctx, "Physical volume \"%s\" successfully created.", devices[i]);
	}
out:
	tb_scan_free(&scan);
	tb_cmd_end(&c);
	return r;
}

TB_EXPORT int tb_pvremove(struct tb_ctx *ctx, const char *const *devices, size_t n, int force,
			  bool yes)
{
	struct tb_cmd c;
	struct tb_scan scan = { 0 };
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0 || (r = dup_check(ctx, devices, n)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "pvremove")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0 || (r = tb_scan_devices(ctx, false, &scan)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&scan, devices[i]);
		if (!d) {
			r = tb_fail(ctx, -ENOENT, "No PV found on device %s.", devices[i]);
			goto out;
		}
		/* lvm2 2.03.16 tools/toollib.c _pvremove_check_single wording */
		if (d->member_vg[0] && force < 2) {
			r = tb_fail(ctx, -EBUSY,
				    "PV %s is used by VG %s so please use vgreduce first.\n"
				    "  (If you are certain you need pvremove, then confirm by using "
				    "--force twice.)\n"
				    "  %s: physical volume label not removed.",
				    devices[i], d->member_vg, devices[i]);
			goto out;
		}
		if (d->in_doubt && force < 2) {
			r = tb_fail(ctx, -EBUSY,
				    "PV %s is used by a VG but its metadata is missing.\n"
				    "  (If you are certain you need pvremove, then confirm by using "
				    "--force twice.)\n"
				    "  %s: physical volume label not removed.",
				    devices[i], devices[i]);
			goto out;
		}
		if (d->dup) {
			r = tb_fail(ctx, -ENOTUNIQ,
				    "Cannot remove the label of %s: PV %s is on more than one device "
				    "(a cloned disk?). Detach the copy you do not want first.",
				    devices[i], d->id);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&scan, devices[i]);
		const char *owner = tb_pvdev_owner(d);
		if (!owner)
			continue;
		tb_warn(ctx, "WARNING: PV %s is used by VG %s.", devices[i], owner);
		tb_warn(ctx, "WARNING: Wiping physical volume label from %s of volume group \"%s\".",
			devices[i], owner);
	}
	/* lvm2 2.03.16 prints the two warnings for a PV in doubt and then fails (status 5,
	 * label left): so does thinbox, before anything is written (docs/lvm2-differences.md) */
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&scan, devices[i]);
		if (d->in_doubt) {
			r = tb_fail(ctx, -EBUSY,
				    "%s: physical volume label not removed: the VG that uses it cannot "
				    "be read (lvm2 refuses this too). To reuse the device: pvcreate -ff "
				    "%s, then pvremove %s.\n  Command failed with status code 5.",
				    devices[i], devices[i], devices[i]);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct lvf_bdev *b = NULL;
		r = tb_bdev_open(ctx, devices[i], O_RDWR | O_EXCL, &b);
		if (r < 0) {
			r = tb_fail(ctx, r, "Can't open %s exclusively.  Mounted filesystem?",
				    devices[i]);
			goto out;
		}
		r = lvf_label_wipe(b);
		lvf_bdev_free(b);
		if (r < 0) {
			r = tb_fail(ctx, r, "Failed to wipe the label on %s: %s", devices[i],
				    strerror(-r));
			goto out;
		}
		tb_notice(ctx, "Labels on physical volume \"%s\" successfully wiped.", devices[i]);
	}
	(void)yes;
out:
	tb_scan_free(&scan);
	tb_cmd_end(&c);
	return r;
}

/* Before anything is written: a new PV on @path must hold at least one extent of @es
 * sectors (else vgcreate/vgextend would leave a label behind and then fail). */
static int pv_room_check(struct tb_cmd *c, const char *path, const struct tb_pvcreate_opts *o,
			 uint32_t es)
{
	struct lvf_pv_layout_params lp = { 0 };
	struct lvf_pv_layout layout;
	struct lvf_bdev *b = NULL;
	uint64_t end;
	int r;

	if (tb_bdev_open(c->ctx, path, O_RDONLY, &b) < 0)
		return 0; /* pv_check_new names the problem */
	lp.device_size = b->size_bytes;
	lp.data_alignment = o ? o->dataalignment : 0;
	lp.metadata_size = o ? o->metadatasize : 0;
	lp.metadata_copies = (o && o->metadatacopies >= 0) ? (unsigned)o->metadatacopies : 1;
	r = lvf_pv_layout_default(&lp, &layout);
	end = b->size_bytes;
	for (size_t m = 0; r == 0 && m < layout.n_mda; m++)
		if (layout.mda[m].offset > layout.pe_start)
			end = MIN(end, layout.mda[m].offset);
	if (r == 0 && (end < layout.pe_start || (end - layout.pe_start) / 512 < es))
		r = tb_fail(c->ctx, -ENOSPC,
			    "Cannot use %s: it has room for no extent of %u KiB (%llu bytes after "
			    "the metadata area). Nothing was written.",
			    path, es / 2,
			    (unsigned long long)(end > layout.pe_start ? end - layout.pe_start : 0));
	else
		r = 0;
	lvf_bdev_free(b);
	return r;
}

/* Add the PVs on @devices to @vg (making PVs of plain devices first). */
static int vg_add_devices(struct tb_cmd *c, struct tb_vg *vg, const char *const *devices, size_t n,
			  const struct tb_pvcreate_opts *o)
{
	struct tb_ctx *ctx = c->ctx;
	int r;

	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&vg->scan, devices[i]);
		if (d && d->member_vg[0])
			return tb_fail(ctx, -EBUSY,
				       "Physical volume '%s' is already in volume group '%s'",
				       devices[i], d->member_vg);
		if ((!d || d->in_doubt || d->dup) &&
		    ((r = pv_check_new(c, &vg->scan, devices[i], o, true)) < 0 ||
		     (r = pv_room_check(c, devices[i], o, vg->md->extent_size)) < 0))
			return r;
	}
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&vg->scan, devices[i]), **nd, *nw = NULL;
		struct md_pv *pv;
		uint64_t end;

		/* a PV in doubt is only reused with -ff, and then made anew, as pvcreate -ff */
		if (!d || d->in_doubt) {
			if ((r = pv_check_new(c, &vg->scan, devices[i], o, false)) < 0 ||
			    (r = pv_write_new(c, devices[i], o)) < 0)
				return r;
			tb_notice(ctx, "Physical volume \"%s\" successfully created.", devices[i]);
		}
		/* reopen read-write with the label just written or found */
		r = tb_pvdev_open(ctx, devices[i], false, &nw);
		if (r < 0)
			return tb_fail(ctx, r, "Cannot reopen %s: %s", devices[i], strerror(-r));
		lvf_bdev_free(nw->bdev);
		nw->bdev = NULL;
		r = tb_bdev_open(ctx, devices[i], O_RDWR, &nw->bdev);
		if (r < 0 || !nw->id[0]) {
			tb_pvdev_free(nw);
			return tb_fail(ctx, r < 0 ? r : -EIO, "Cannot open PV %s for writing",
				       devices[i]);
		}
		if (md_vg_find_pv(vg->md, nw->id)) {
			tb_pvdev_free(nw);
			return tb_fail(ctx, -EEXIST, "PV %s is already in VG %s", devices[i],
				       vg->md->name);
		}
		r = md_vg_add_pv(vg->md, nw->id, devices[i], nw->hdr.device_size / 512,
				 nw->hdr.n_da ? nw->hdr.da[0].offset / 512 : 2048, &pv);
		if (r < 0) {
			tb_pvdev_free(nw);
			return tb_fail(ctx, r, "Cannot add PV %s to VG %s: %s", devices[i],
				       vg->md->name,
				       r == -ENOSPC ? "it has room for no extent of this size"
						    : strerror(-r));
		}
		/* a second metadata area at the end of the device is not data space */
		end = nw->hdr.device_size;
		for (size_t m = 0; m < nw->hdr.n_mda; m++)
			if (nw->hdr.mda[m].offset > pv->pe_start * 512)
				end = MIN(end, nw->hdr.mda[m].offset);
		pv->pe_count = (uint32_t)((end / 512 - pv->pe_start) / vg->md->extent_size);
		/* the scan owns devices: hand nw over to it */
		nd = realloc(vg->scan.devs, (vg->scan.n + 1) * sizeof(*nd));
		if (!nd) {
			tb_pvdev_free(nw);
			return -ENOMEM;
		}
		vg->scan.devs = nd;
		vg->scan.devs[vg->scan.n++] = nw;
		nd = realloc(vg->pvdevs, vg->md->n_pvs * sizeof(*nd));
		if (!nd)
			return -ENOMEM;
		vg->pvdevs = nd;
		vg->pvdevs[vg->md->n_pvs - 1] = nw;
		vg->n_pvdevs = vg->md->n_pvs;
	}
	return 0;
}

TB_EXPORT int tb_vgcreate(struct tb_ctx *ctx, const char *name, const char *const *devices,
			  size_t n, const struct tb_vgcreate_opts *o)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	const char *why;
	char id[MD_ID_LEN + 1], devdir[300];
	uint64_t es = (o && o->extent_size) ? o->extent_size : 8192;
	struct stat st;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if (md_name_check(name, &why) < 0)
		return tb_fail(ctx, -EINVAL,
			       "New volume group name \"%s\" is invalid.\n  (The %s.)", name, why);
	if (md_extent_size_check(es, &why) < 0)
		return tb_fail(ctx, -EINVAL, "Invalid physical extent size: %s.", why);
	if (!n)
		return tb_fail(ctx, -EINVAL, "Please enter physical volume name(s)");
	snprintf(devdir, sizeof(devdir), "/dev/%s", name);
	if (lstat(devdir, &st) == 0)
		return tb_fail(ctx, -EEXIST, "%s: already exists in filesystem", devdir);
	if ((r = dup_check(ctx, devices, n)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgcreate")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_lock_vg(&c.locks, name, true)) < 0) {
		r = tb_fail(ctx, r, "%s", c.locks.errmsg);
		goto out;
	}
	vg = calloc(1, sizeof(*vg));
	if (!vg) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = tb_scan_devices(ctx, false, &vg->scan)) < 0)
		goto out;
	for (size_t i = 0; i < vg->scan.n; i++)
		if (streq(vg->scan.devs[i]->member_vg, name)) {
			r = tb_fail(ctx, -EEXIST, "A volume group called %s already exists.", name);
			goto out;
		}
	tb_new_id(id);
	if ((r = md_vg_new(name, id, (uint32_t)es, &vg->md)) < 0)
		goto out;
	vg->md->seqno = 0; /* the first commit writes seqno 1 */
	if (o && (r = tb_tags_apply(ctx, &vg->md->tags, &o->tags)) < 0)
		goto out;
	if ((r = vg_add_devices(&c, vg, devices, n, o ? &o->pv : NULL)) < 0)
		goto out;
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Volume group \"%s\" successfully created", name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

TB_EXPORT int tb_vgextend(struct tb_ctx *ctx, const char *name, const char *const *devices,
			  size_t n, const struct tb_pvcreate_opts *o)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0 || (r = dup_check(ctx, devices, n)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgextend")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0 || (r = tb_vg_read(&c, name, true, &vg)) < 0 ||
	    (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	if ((r = vg_add_devices(&c, vg, devices, n, o)) < 0 || (r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Volume group \"%s\" successfully extended", name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

/* Clear the VG from @d's mdas (the text stays in the buffer, the header points at none). */
static int pv_clear_mdas(struct tb_ctx *ctx, struct tb_pvdev *d)
{
	struct lvf_mda_ref refs[LVF_MAX_MDA];
	struct lvf_err err = { 0 };
	int r;

	for (size_t m = 0; m < d->hdr.n_mda; m++)
		refs[m] = (struct lvf_mda_ref){ d->bdev, d->hdr.mda[m].offset, d->hdr.mda[m].size,
						false };
	r = lvf_mdas_clear(refs, d->hdr.n_mda, &err);
	if (r < 0)
		return tb_fail(ctx, r, "Failed to clear the metadata on %s: %s", d->path,
			       err.message);
	return 0;
}

/* Then the header loses PV_EXT_USED: only once every PV's mdas are cleared, so that a write
 * failing half-way leaves every PV marked in use (in doubt, never free), as lvm2 does. */
static int pv_clear_used(struct tb_ctx *ctx, struct tb_pvdev *d)
{
	int r;

	d->hdr.ext_flags &= ~LVF_PV_EXT_USED;
	r = lvf_label_write(d->bdev, &d->hdr);
	if (r < 0)
		return tb_fail(ctx, r, "Failed to update the PV header on %s: %s", d->path,
			       strerror(-r));
	return 0;
}

TB_EXPORT int tb_vgreduce(struct tb_ctx *ctx, const char *name, const char *const *devices, size_t n)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct tb_pvdev **gone = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgreduce")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0 || (r = tb_vg_read(&c, name, true, &vg)) < 0 ||
	    (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	gone = calloc(n ? n : 1, sizeof(*gone));
	if (!gone) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&vg->scan, devices[i]);
		struct md_pv *pv = d ? md_vg_find_pv(vg->md, d->id) : NULL;
		size_t idx;
		if (!pv) {
			r = tb_fail(ctx, -ENOENT,
				    "Physical Volume \"%s\" not found in Volume Group "
				    "\"%s\".",
				    devices[i], name);
			goto out;
		}
		if (vg->md->n_pvs == 1) {
			r = tb_fail(ctx, -EBUSY,
				    "Can't remove final physical volume \"%s\" from "
				    "volume group \"%s\"",
				    devices[i], name);
			goto out;
		}
		idx = md_vg_pv_index(vg->md, pv);
		r = md_vg_remove_pv(vg->md, pv);
		if (r == -EBUSY) {
			r = tb_fail(ctx, r, "Physical volume \"%s\" still in use", devices[i]);
			goto out;
		}
		if (r < 0)
			goto out;
		memmove(&vg->pvdevs[idx], &vg->pvdevs[idx + 1],
			(vg->n_pvdevs - idx - 1) * sizeof(*vg->pvdevs));
		vg->n_pvdevs--;
		gone[i] = d;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((r = pv_clear_mdas(ctx, gone[i])) < 0)
			goto out;
	for (size_t i = 0; i < n; i++) {
		if ((r = pv_clear_used(ctx, gone[i])) < 0)
			goto out;
		tb_notice(ctx, "Removed \"%s\" from volume group \"%s\"", devices[i], name);
	}
out:
	free(gone);
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

/* lvm2's vgremove removes each LV first (a pool after its thin LVs) and says so. */
static void removed_notices(struct tb_ctx *ctx, const struct md_vg *vg)
{
	for (size_t i = 0; i < vg->n_lvs; i++) {
		const struct md_lv *lv = vg->lvs[i];
		if (!md_lv_is_visible(lv))
			continue;
		if (md_lv_is_thin(lv)) {
			/* printed with its pool when the pool comes first */
			const struct md_lv *pool = lv->segs[0].thin_pool;
			bool pool_first = false;
			for (size_t k = 0; k < i; k++)
				pool_first |= vg->lvs[k] == pool;
			if (pool_first)
				continue;
		}
		if (md_lv_is_thin_pool(lv))
			for (size_t k = i + 1; k < vg->n_lvs; k++)
				if (md_lv_is_thin(vg->lvs[k]) && vg->lvs[k]->segs[0].thin_pool == lv)
					tb_notice(ctx, "Logical volume \"%s\" successfully removed.",
						  vg->lvs[k]->name);
		tb_notice(ctx, "Logical volume \"%s\" successfully removed.", lv->name);
	}
}

TB_EXPORT int tb_vgremove(struct tb_ctx *ctx, const char *name, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	size_t n_visible = 0;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgremove")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0 || (r = tb_vg_read(&c, name, true, &vg)) < 0 ||
	    (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	for (size_t i = 0; i < vg->md->n_lvs; i++)
		n_visible += md_lv_is_visible(vg->md->lvs[i]);
	if (n_visible && !force) {
		/* lvm2 asks; nobody answers here (-y or -f do) */
		tb_notice(ctx,
			  "Do you really want to remove volume group \"%s\" containing %zu "
			  "logical volumes? [y/n]: [n]",
			  name, n_visible);
		r = tb_fail(ctx, -EBUSY, "Volume group \"%s\" not removed", name);
		goto out;
	}
	if (vg->md->n_lvs) {
		r = tb_vg_deactivate_all(&c, vg);
		if (r < 0)
			goto out;
		removed_notices(ctx, vg->md);
	}
	for (size_t i = 0; i < vg->n_pvdevs; i++)
		if (vg->pvdevs[i] && (r = pv_clear_mdas(ctx, vg->pvdevs[i])) < 0)
			goto out;
	for (size_t i = 0; i < vg->n_pvdevs; i++)
		if (vg->pvdevs[i] && (r = pv_clear_used(ctx, vg->pvdevs[i])) < 0)
			goto out;
	{
		char path[600];
		snprintf(path, sizeof(path), "%s/backup/%s", tb_sysconf_dir(ctx), name);
		unlink(path);
	}
	tb_notice(ctx, "Volume group \"%s\" successfully removed", name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
