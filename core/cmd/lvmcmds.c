/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvm2 2.03 commands and forms the storage clients run (docs/clients.md): @tag selection,
 * pvchange --addtag, vgrename, pvresize, vgscan, pvscan (--cache -aay), vgcfgbackup and
 * vgcfgrestore (tags: core/cmd/tags.c; vgck: core/cmd/vgck.c; lvscan: cli/cmd-display.c).
 * Each: lock, read, change the model, commit, then the kernel, as core/cmd/lvcreate.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/store/backup.h"
#include "core/store/hints.h"
#include "core/cmd/cmd.h"
#include "lvmfmt/config.h"
#include "lvmfmt/vg-text.h"

/* ---------------------------------------------------------------- listing */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int strs_add(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int names_of_scan(struct tb_scan *s, char ***ret, size_t *ret_n)
{
	char **v = NULL;
	size_t n = 0;
	int r;

	for (size_t i = 0; i < s->n; i++) {
		bool dup = false;
		if (!s->devs[i]->text)
			continue;
		for (size_t k = 0; k < n; k++)
			dup |= streq(v[k], s->devs[i]->vgname);
		if (!dup && (r = strs_add(&v, &n, s->devs[i]->vgname)) < 0) {
			strs_free(v, n);
			return r;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

TB_EXPORT int tb_vg_names(struct tb_ctx *ctx, char ***ret, size_t *ret_n)
{
	struct tb_scan s = { 0 };
	int r = tb_scan_devices(ctx, false, &s);

	tb_ctx_clear_error(ctx);
	if (r < 0)
		return r;
	r = names_of_scan(&s, ret, ret_n);
	tb_scan_free(&s);
	return r;
}

/* Call @fn for every VG, each read under its shared lock. */
static int each_vg(struct tb_ctx *ctx, const char *cmd,
		   int (*fn)(struct tb_cmd *c, struct tb_vg *vg, void *data), void *data)
{
	struct tb_cmd c;
	char **names = NULL;
	size_t n = 0;
	int r;

	if ((r = tb_vg_names(ctx, &names, &n)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, cmd)) < 0)
		goto out;
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct tb_vg *vg = NULL;
		if ((r = tb_vg_read(&c, names[i], false, &vg)) < 0)
			break;
		r = fn(&c, vg, data);
		tb_vg_free(vg);
	}
	tb_cmd_end(&c);
out:
	strs_free(names, n);
	return r < 0 ? r : 0;
}

struct sel {
	const char *tag;
	bool lvs;
	char **v;
	size_t n;
};

static int select_one(struct tb_cmd *c, struct tb_vg *vg, void *data)
{
	struct sel *s = data;
	bool vg_has = md_strv_contains(vg->md->tags, s->tag);
	char buf[2 * MD_NAME_MAX + 2];
	int r;

	(void)c;
	if (!s->lvs)
		return vg_has ? strs_add(&s->v, &s->n, vg->md->name) : 0;
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		if (!md_lv_is_visible(lv) || !(vg_has || md_strv_contains(lv->tags, s->tag)))
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", vg->md->name, lv->name);
		if ((r = strs_add(&s->v, &s->n, buf)) < 0)
			return r;
	}
	return 0;
}

static int select_tag(struct tb_ctx *ctx, const char *arg, bool lvs, char ***ret, size_t *ret_n)
{
	struct sel s = { .tag = tb_tag_check(arg), .lvs = lvs };
	int r;

	if (!s.tag)
		return tb_fail(ctx, -EINVAL, "Invalid tag %s.", arg);
	r = each_vg(ctx, lvs ? "lvs" : "vgs", select_one, &s);
	if (r < 0) {
		strs_free(s.v, s.n);
		return r;
	}
	*ret = s.v;
	*ret_n = s.n;
	return 0;
}

TB_EXPORT int tb_vg_select_tag(struct tb_ctx *ctx, const char *tag, char ***ret, size_t *ret_n)
{
	tb_ctx_clear_error(ctx);
	return select_tag(ctx, tag, false, ret, ret_n);
}

TB_EXPORT int tb_lv_select_tag(struct tb_ctx *ctx, const char *tag, char ***ret, size_t *ret_n)
{
	tb_ctx_clear_error(ctx);
	return select_tag(ctx, tag, true, ret, ret_n);
}

/* ---------------------------------------------------------------- sizes as lvm2 prints them */

/* lvm2's display_size with the default units (h): two decimals rounded half up, "<" when
 * that rounded up ("<15.88 TiB" for 15.875); "0   " for zero. */
static void human(uint64_t sectors, char *buf, size_t len)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	uint64_t scale = 2; /* sectors per KiB */
	unsigned __int128 x100;
	uint64_t hund;
	size_t i = 0;

	if (!sectors) {
		snprintf(buf, len, "0   ");
		return;
	}
	while (i + 1 < ARRAY_SIZE(u) && sectors >= scale * 1024) {
		scale *= 1024;
		i++;
	}
	x100 = (unsigned __int128)sectors * 100;
	hund = (uint64_t)((x100 * 2 + scale) / (2 * (unsigned __int128)scale));
	snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64 " %s",
		 (unsigned __int128)hund * scale > x100 ? "<" : "", hund / 100, hund % 100, u[i]);
}

/* ---------------------------------------------------------------- pvchange --addtag */

TB_EXPORT int tb_pvchange_tags(struct tb_ctx *ctx, const char *const *devices, size_t n,
			       const struct tb_tags *tags)
{
	struct tb_cmd c;
	struct tb_scan s = { 0 };
	size_t done = 0;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_cmd_begin(ctx, &c, "pvchange")) < 0)
		return r;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct tb_pvdev *d = tb_scan_find_path(&s, devices[i]);
		struct tb_vg *vg = NULL;
		struct md_pv *pv;
		if (!d) {
			r = tb_fail(ctx, -ENOENT, "Failed to find physical volume \"%s\".",
				    devices[i]);
			goto out;
		}
		if (!d->text) {
			/* lvm2 keeps PV tags in the VG metadata: an orphan PV has nowhere for them */
			r = tb_fail(ctx, -EINVAL,
				    "Unable to add tag to physical volume %s: it is "
				    "not in a volume group.",
				    devices[i]);
			goto out;
		}
		if ((r = tb_vg_read(&c, d->vgname, true, &vg)) < 0 ||
		    (r = tb_vg_check_writable(&c, vg)) < 0) {
			tb_vg_free(vg);
			goto out;
		}
		pv = md_vg_find_pv(vg->md, d->id);
		r = pv ? tb_tags_apply(ctx, &pv->tags, tags) : -ENOENT;
		if (r == 0)
			r = tb_vg_commit(&c, vg);
		tb_vg_free(vg);
		if (r < 0)
			goto out;
		tb_notice(ctx, "Physical volume \"%s\" changed", devices[i]);
		done++;
	}
	tb_notice(ctx, "%zu physical volume%s changed / 0 physical volumes not changed", done,
		  done == 1 ? "" : "s");
out:
	tb_scan_free(&s);
	tb_cmd_end(&c);
	return r;
}

/* ---------------------------------------------------------------- vgrename */

TB_EXPORT int tb_vgrename(struct tb_ctx *ctx, const char *old_name, const char *new_name)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	const char *why;
	char **names = NULL, path[600];
	size_t n = 0;
	struct stat st;
	int r;

	tb_ctx_clear_error(ctx);
	if (streq(old_name, new_name))
		return tb_fail(ctx, -EINVAL, "Old and new volume group names need to differ.");
	if (md_name_check(new_name, &why) < 0)
		return tb_fail(ctx, -EINVAL, "New volume group name \"%s\" is invalid.", new_name);
	snprintf(path, sizeof(path), "/dev/%s", new_name);
	if (lstat(path, &st) == 0)
		return tb_fail(ctx, -EEXIST, "New volume group \"%s\" already exists", new_name);
	if ((r = tb_cmd_begin(ctx, &c, "vgrename")) < 0)
		return r;
	/* lvm2's vgrename changes the VG namespace: the global lock, and lvm2's hints cleared */
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	/* both VG locks, in name order as lvm2 takes them */
	for (int k = 0; k < 2; k++) {
		bool old_first = strcmp(old_name, new_name) < 0;
		const char *nm = (k == 0) == old_first ? old_name : new_name;
		if ((r = tb_lock_vg(&c.locks, nm, true)) < 0) {
			r = tb_fail(ctx, r, "%s", c.locks.errmsg);
			goto out;
		}
	}
	if ((r = tb_vg_read(&c, old_name, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	if ((r = names_of_scan(&vg->scan, &names, &n)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (streq(names[i], new_name)) {
			r = tb_fail(ctx, -EEXIST, "New volume group \"%s\" already exists",
				    new_name);
			goto out;
		}
	if ((r = md_lv_set_str(&vg->md->name, new_name)) < 0 || (r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	/* active LVs get their new dm names and /dev/<new>/ links (lvm2 renames them live) */
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		if (md_lv_pool_of(vg->md, lv))
			continue; /* renamed with its pool */
		if ((r = tb_lv_rename_devices(&c, vg, lv, old_name, lv->name)) < 0)
			goto out;
	}
	snprintf(path, sizeof(path), "%s/backup", tb_sysconf_dir(ctx));
	tb_backup_remove(path, old_name);
	tb_notice(ctx, "Volume group \"%s\" successfully renamed to \"%s\"", old_name, new_name);
out:
	strs_free(names, n);
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

/* ---------------------------------------------------------------- pvresize */

TB_EXPORT int tb_pvresize(struct tb_ctx *ctx, const char *device, uint64_t set_sectors)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct tb_scan s = { 0 };
	struct tb_pvdev *d;
	struct md_pv *pv;
	uint64_t dev_sectors, new_pe;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_cmd_begin(ctx, &c, "pvresize")) < 0)
		return r;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		goto out;
	d = tb_scan_find_path(&s, device);
	if (!d) {
		r = tb_fail(ctx, -ENOENT, "Failed to find physical volume \"%s\".", device);
		goto out;
	}
	if (!d->text) {
		/* an orphan PV: only its header's device size */
		struct lvf_bdev *w = NULL;
		if ((r = tb_bdev_open(ctx, d->path, O_RDWR, &w)) < 0) {
			r = tb_fail(ctx, r, "Cannot open %s: %s", d->path, strerror(-r));
			goto out;
		}
		d->hdr.device_size = set_sectors ? set_sectors * 512 : w->size_bytes;
		r = lvf_label_write(w, &d->hdr);
		lvf_bdev_free(w);
		if (r < 0) {
			r = tb_fail(ctx, r, "Failed to write the PV header on %s: %s", d->path,
				    strerror(-r));
			goto out;
		}
		goto done;
	}
	if ((r = tb_vg_read(&c, d->vgname, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	pv = md_vg_find_pv(vg->md, d->id);
	d = pv ? tb_vg_pvdev_for(vg, pv) : NULL;
	if (!pv || !d) {
		r = tb_fail(ctx, -ENOENT, "Failed to find physical volume \"%s\".", device);
		goto out;
	}
	dev_sectors = set_sectors ? set_sectors : d->bdev->size_bytes / 512;
	if (set_sectors && set_sectors * 512 > d->bdev->size_bytes) {
		r = tb_fail(ctx, -EINVAL,
			    "%s: Requested size %" PRIu64 " exceeds real size %" PRIu64 ".", device,
			    set_sectors, d->bdev->size_bytes / 512);
		goto out;
	}
	if (dev_sectors < pv->pe_start + vg->md->extent_size) {
		r = tb_fail(ctx, -EINVAL, "%s: Size must exceed minimum of %" PRIu64 " sectors.",
			    device, pv->pe_start + vg->md->extent_size);
		goto out;
	}
	new_pe = (dev_sectors - pv->pe_start - (pv->has_ba ? pv->ba_size : 0)) / vg->md->extent_size;
	if (new_pe > UINT32_MAX)
		new_pe = UINT32_MAX;
	for (size_t i = 0; i < vg->md->n_lvs; i++)
		for (size_t sg = 0; sg < vg->md->lvs[i]->n_segs; sg++) {
			const struct md_seg *seg = &vg->md->lvs[i]->segs[sg];
			for (uint32_t a = 0; seg->kind == MD_SEG_STRIPED && a < seg->stripe_count;
			     a++)
				if (seg->areas[a].pv == pv &&
				    seg->areas[a].start + seg->extent_count / seg->stripe_count >
					    new_pe) {
					r = tb_fail(ctx, -EBUSY,
						    "%s: cannot resize to %" PRIu64
						    " extents as later "
						    "ones are allocated.",
						    device, new_pe);
					goto out;
				}
		}
	pv->dev_size = dev_sectors;
	pv->pe_count = (uint32_t)new_pe;
	d->hdr.device_size = dev_sectors * 512;
	if ((r = lvf_label_write(d->bdev, &d->hdr)) < 0) {
		r = tb_fail(ctx, r, "Failed to write the PV header on %s: %s", d->path,
			    strerror(-r));
		goto out;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
done:
	tb_notice(ctx, "Physical volume \"%s\" changed", device);
	tb_notice(ctx, "1 physical volume(s) resized or updated / 0 physical volume(s) not resized");
out:
	tb_vg_free(vg);
	tb_scan_free(&s);
	tb_cmd_end(&c);
	return r;
}

/* ---------------------------------------------------------------- vgscan, pvscan */

static int vgscan_one(struct tb_cmd *c, struct tb_vg *vg, void *data)
{
	bool mknodes = *(bool *)data;
	int r;

	tb_notice(c->ctx, "Found %svolume group \"%s\" using metadata type lvm2",
		  (vg->md->status & MD_VG_EXPORTED) ? "exported " : "", vg->md->name);
	if (!mknodes)
		return 0;
	/* --mknodes: /dev/mapper nodes and /dev/<vg>/<lv> links of the active LVs */
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		if (!md_lv_is_visible(lv))
			continue;
		if ((r = tb_lv_rename_devices(c, vg, lv, NULL, lv->name)) < 0)
			return r;
	}
	return 0;
}

TB_EXPORT int tb_vgscan(struct tb_ctx *ctx, bool mknodes)
{
	int r;

	tb_ctx_clear_error(ctx);
	if (mknodes && !ctx->no_dm && (r = tb_dm_mknodes(ctx, NULL)) < 0)
		return r;
	return each_vg(ctx, "vgscan", vgscan_one, &mknodes);
}

struct pvscan_row {
	char *pv, *vg;
	uint64_t size, free; /* sectors */
	bool orphan;
};

struct pvscan_acc {
	struct pvscan_row *rows;
	size_t n;
};

static int pvscan_collect(struct tb_cmd *c, struct tb_vg *vg, void *data)
{
	struct pvscan_acc *acc = data;
	struct pvscan_row **rows = &acc->rows;
	size_t *n = &acc->n;
	struct pvscan_row *nr;

	(void)c;
	for (size_t i = 0; i < vg->md->n_pvs; i++) {
		const struct md_pv *pv = vg->md->pvs[i];
		uint64_t es = vg->md->extent_size;
		if (!vg->pvdevs[i])
			continue;
		if (!(nr = realloc(*rows, (*n + 1) * sizeof(*nr))))
			return -ENOMEM;
		*rows = nr;
		nr[*n] = (struct pvscan_row){
			strdup(vg->pvdevs[i]->path), strdup(vg->md->name),
			(uint64_t)pv->pe_count * es,
			(uint64_t)(pv->pe_count - md_pv_used_extents(vg->md, pv)) * es, false
		};
		(*n)++;
	}
	return 0;
}

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct pvscan_row *)a)->pv, ((const struct pvscan_row *)b)->pv);
}

static int pvscan_list(struct tb_ctx *ctx)
{
	struct pvscan_acc acc = { NULL, 0 };
	struct tb_scan s = { 0 };
	/* lvm2 (lvmcache_get_max_name_lengths) measures every VG lvmcache knows, and it always
	 * knows the orphan VG "#orphans_lvm2", with or without orphan PVs */
	size_t wpv = 0, wvg = strlen("#orphans_lvm2"), in_use = 0, orphans = 0;
	uint64_t t_all = 0, t_use = 0, t_orph = 0;
	char a[32], b[32];
	int r;

	if ((r = each_vg(ctx, "pvscan", pvscan_collect, &acc)) < 0)
		goto out;
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		goto out;
	for (size_t i = 0; i < s.n; i++) {
		struct pvscan_row *nr;
		if (s.devs[i]->text)
			continue;
		if (!(nr = realloc(acc.rows, (acc.n + 1) * sizeof(*nr)))) {
			r = -ENOMEM;
			goto out;
		}
		acc.rows = nr;
		nr[acc.n++] = (struct pvscan_row){ strdup(s.devs[i]->path), strdup(""),
						   s.devs[i]->hdr.device_size / 512, 0, true };
	}
	if (!acc.n) {
		tb_notice(ctx, "No matching physical volumes found");
		goto out;
	}
	qsort(acc.rows, acc.n, sizeof(*acc.rows), cmp_row);
	for (size_t i = 0; i < acc.n; i++) {
		if (!acc.rows[i].pv || !acc.rows[i].vg) {
			r = -ENOMEM;
			goto out;
		}
		wpv = MAX(wpv, strlen(acc.rows[i].pv));
		wvg = MAX(wvg, strlen(acc.rows[i].vg));
	}
	/* lvm2 pvscan.c: names padded to the longest + 2 */
	wpv += 2;
	wvg += 2;
	for (size_t i = 0; i < acc.n; i++) {
		const struct pvscan_row *p = &acc.rows[i];
		human(p->size, a, sizeof(a));
		t_all += p->size;
		if (p->orphan) {
			orphans++;
			t_orph += p->size;
			tb_notice(ctx, "PV %-*s %-*s lvm2 [%s]", (int)wpv, p->pv, (int)wvg + 3, " ",
				  a);
		} else {
			in_use++;
			t_use += p->size;
			human(p->free, b, sizeof(b));
			tb_notice(ctx, "PV %-*s VG %-*s lvm2 [%s / %s free]", (int)wpv, p->pv,
				  (int)wvg, p->vg, a, b);
		}
	}
	{
		char x[32], y[32], z[32];
		human(t_all, x, sizeof(x));
		human(t_use, y, sizeof(y));
		human(t_orph, z, sizeof(z));
		tb_notice(ctx, "Total: %zu [%s] / in use: %zu [%s] / in no VG: %zu [%s]", acc.n, x,
			  in_use, y, orphans, z);
	}
out:
	for (size_t i = 0; i < acc.n; i++) {
		free(acc.rows[i].pv);
		free(acc.rows[i].vg);
	}
	free(acc.rows);
	tb_scan_free(&s);
	return r;
}

TB_EXPORT int tb_pvscan(struct tb_ctx *ctx, bool cache, bool autoactivate, const char *const *devs,
			size_t n)
{
	struct tb_scan s = { 0 };
	char **done = NULL;
	size_t n_done = 0;
	int r = 0;

	tb_ctx_clear_error(ctx);
	if (!cache)
		return pvscan_list(ctx);
	/* --cache: thinbox keeps no online cache (no lvmetad, no /run/lvm/pvs_online): every
	 * command scans. With -aay, the VGs on the named devices (all, without devices) are
	 * autoactivated once complete, as lvm2's event activation does. */
	if ((r = tb_scan_devices(ctx, false, &s)) < 0)
		return r;
	if (!autoactivate) {
		for (size_t i = 0; i < s.n; i++) {
			bool want = !n;
			for (size_t k = 0; k < n && !want; k++)
				want = tb_scan_find_path(&s, devs[k]) == s.devs[i];
			if (want)
				tb_notice(ctx, "pvscan[%d] PV %s %s.", (int)getpid(),
					  s.devs[i]->path, s.devs[i]->text ? "online" : "not used");
		}
		tb_scan_free(&s);
		return 0;
	}
	for (size_t i = 0; i < s.n && r >= 0; i++) {
		struct tb_pvdev *d = s.devs[i];
		struct tb_vgchange_opts o = { .activate = 1,
					      .monitor = -1,
					      .autoactivate_only = true };
		bool want = !n, seen = false;
		for (size_t k = 0; k < n && !want; k++)
			want = tb_scan_find_path(&s, devs[k]) == d;
		if (!want || !d->text)
			continue;
		for (size_t k = 0; k < n_done; k++)
			seen |= streq(done[k], d->vgname);
		if (seen)
			continue;
		if ((r = strs_add(&done, &n_done, d->vgname)) < 0)
			break;
		tb_notice(ctx, "pvscan[%d] PV %s online, VG %s is complete.", (int)getpid(),
			  d->path, d->vgname);
		tb_notice(ctx, "pvscan[%d] VG %s run autoactivation.", (int)getpid(), d->vgname);
		r = tb_vgchange_ex(ctx, d->vgname, &o);
	}
	strs_free(done, n_done);
	tb_scan_free(&s);
	return r < 0 ? r : 0;
}

/* ---------------------------------------------------------------- vgcfgbackup / restore */

static int write_file(struct tb_ctx *ctx, const char *path, const char *text)
{
	_cleanup_free_ char *tmp = NULL;
	size_t len = strlen(text);
	int fd, r = 0;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0)
		return tb_fail(ctx, -errno, "Cannot write %s: %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
		r = errno ? -errno : -EIO;
	close(fd);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return tb_fail(ctx, r, "Cannot write %s: %s", path, strerror(-r));
	}
	return 0;
}

TB_EXPORT int tb_vgcfgbackup(struct tb_ctx *ctx, const char *vgname, const char *file)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct strbuf body = { 0 };
	_cleanup_free_ char *text = NULL, *path = NULL, *desc = NULL;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_cmd_begin(ctx, &c, "vgcfgbackup")) < 0)
		return r;
	if ((r = tb_vg_read(&c, vgname, false, &vg)) < 0)
		goto out;
	if (!file) {
		/* the ordinary backup, /etc/lvm/backup/<vg> */
		tb_vg_backup(&c, vg);
		goto done;
	}
	/* lvm2: a "%s" in the file name stands for the VG name */
	if (strstr(file, "%s") ? asprintf(&path, "%.*s%s%s", (int)(strstr(file, "%s") - file), file,
					  vgname, strstr(file, "%s") + 2) < 0
			       : !(path = strdup(file))) {
		r = -ENOMEM;
		goto out;
	}
	if (asprintf(&desc, "vgcfgbackup -f %s %s", file, vgname) < 0 ||
	    (r = lvf_vg_export(vg->md, LVF_VG_SECTION, NULL, &body)) < 0 ||
	    (r = tb_backup_format_text(strbuf_str(&body), desc, time(NULL), &text)) < 0) {
		r = r < 0 ? r : -ENOMEM;
		goto out;
	}
	if ((r = write_file(ctx, path, text)) < 0)
		goto out;
done:
	tb_notice(ctx, "Volume group \"%s\" successfully backed up.", vgname);
out:
	strbuf_release(&body);
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

static int read_file(struct tb_ctx *ctx, const char *path, char **ret, size_t *ret_len)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return tb_fail(ctx, -errno, "Couldn't find backup file %s: %s", path,
			       strerror(errno));
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (len > (64u << 20)) {
			free(buf);
			return tb_fail(ctx, -EFBIG, "Backup file %s is too big.", path);
		}
	} while (got);
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

TB_EXPORT int tb_vgcfgrestore(struct tb_ctx *ctx, const char *vgname, const char *file, bool force)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct lvf_err err = { 0 };
	_cleanup_free_ char *text = NULL, *path = NULL;
	size_t len = 0;
	char reason[256];
	int r;

	tb_ctx_clear_error(ctx);
	if (!file) {
		if (asprintf(&path, "%s/backup/%s", tb_sysconf_dir(ctx), vgname) < 0)
			return -ENOMEM;
		file = path;
	}
	if ((r = read_file(ctx, file, &text, &len)) < 0)
		return r;
	if ((r = tb_cmd_begin(ctx, &c, "vgcfgrestore")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_lock_vg(&c.locks, vgname, true)) < 0) {
		r = tb_fail(ctx, r, "%s", c.locks.errmsg);
		goto out;
	}
	if (!(vg = calloc(1, sizeof(*vg)))) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = lvf_vg_import_text(text, len, &vg->md, &err)) < 0) {
		r = tb_fail(ctx, r, "Couldn't read volume group metadata from file %s: line %u: %s.",
			    file, err.line, err.message);
		goto out;
	}
	if (!streq(vg->md->name, vgname)) {
		r = tb_fail(ctx, -EINVAL,
			    "Couldn't read volume group metadata from file %s: it "
			    "holds VG %s, not %s.",
			    file, vg->md->name, vgname);
		goto out;
	}
	if ((r = md_vg_validate(vg->md, reason, sizeof(reason))) < 0) {
		r = tb_fail(ctx, -EBADMSG, "Backup file %s is not a valid VG: %s", file, reason);
		goto out;
	}
	for (size_t i = 0; i < vg->md->n_lvs && !force; i++)
		if (md_lv_is_thin_pool(vg->md->lvs[i])) {
			r = tb_fail(ctx, -EINVAL,
				    "Consider using option --force to restore Volume "
				    "Group %s with thin volumes.",
				    vgname);
			goto out;
		}
	if (force)
		for (size_t i = 0; i < vg->md->n_lvs; i++)
			if (md_lv_is_thin_pool(vg->md->lvs[i])) {
				tb_warn(ctx,
					"WARNING: Forced restore of Volume Group %s with thin "
					"volumes.",
					vgname);
				break;
			}
	if ((r = tb_vg_check_writable(&c, vg)) < 0)
		goto out;
	if ((r = tb_scan_devices(ctx, true, &vg->scan)) < 0)
		goto out;
	vg->n_pvdevs = vg->md->n_pvs;
	if (!(vg->pvdevs = calloc(vg->n_pvdevs ? vg->n_pvdevs : 1, sizeof(*vg->pvdevs)))) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < vg->md->n_pvs; i++) {
		char id[MD_ID_LEN + 7];
		for (size_t k = 0; k < vg->scan.n && !vg->pvdevs[i]; k++)
			if (streq(vg->scan.devs[k]->id, vg->md->pvs[i]->id))
				vg->pvdevs[i] = vg->scan.devs[k];
		if (!vg->pvdevs[i]) {
			md_id_format(vg->md->pvs[i]->id, id);
			r = tb_fail(ctx, -ENODEV,
				    "Couldn't find device with uuid %s.\n  Cannot restore "
				    "Volume Group %s with 1 PVs marked as missing.",
				    id, vgname);
			goto out;
		}
		if (vg->pvdevs[i]->text && !streq(vg->pvdevs[i]->vgname, vgname)) {
			r = tb_fail(ctx, -EBUSY, "PV %s belongs to volume group %s, not %s.",
				    vg->pvdevs[i]->path, vg->pvdevs[i]->vgname, vgname);
			goto out;
		}
		/* the seqno must move past what any of the VG's mdas hold */
		if (vg->pvdevs[i]->text && vg->pvdevs[i]->seqno > vg->md->seqno)
			vg->md->seqno = vg->pvdevs[i]->seqno;
		md_lv_set_str(&vg->md->pvs[i]->device, vg->pvdevs[i]->path);
	}
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct tb_lv_state st;
		if ((r = tb_lv_state_get(ctx, vg->md, vg->md->lvs[i], &st)) < 0)
			goto out;
		if (st.active || st.pool_active) {
			r = tb_fail(ctx, -EBUSY, "Volume group %s has active volume: %s.", vgname,
				    vg->md->lvs[i]->name);
			goto out;
		}
	}
	c.name = "vgcfgrestore";
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Restored volume group %s.", vgname);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
