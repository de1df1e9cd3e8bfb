/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `thinbox setup` needs from the core besides the lvm2 commands: what a device holds
 * (in use, a signature, a PV and its VG) before it is touched, lvm2's configuration
 * directory, and starting the monitor daemon as activation does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/monitor/monitor.h"
#include "core/monitor/monitor-state.h"

struct pv_match {
	dev_t rdev;
	const char *path;
	char *vg;
	size_t len;
};

static int pv_row_match(void *userdata, const struct tb_pv_row *row)
{
	struct pv_match *m = userdata;
	struct stat st;
	bool same = streq(row->name, m->path) || (m->rdev && stat(row->name, &st) == 0 &&
						  S_ISBLK(st.st_mode) && st.st_rdev == m->rdev);

	if (same && row->vg && row->vg[0])
		snprintf(m->vg, m->len, "%s", row->vg);
	return 0;
}

TB_EXPORT int tb_device_state(struct tb_ctx *ctx, const char *path, struct tb_device_state *ret)
{
	struct tb_pvdev *d = NULL;
	struct pv_match m = { 0 };
	struct stat st;
	int fd, r;

	tb_ctx_clear_error(ctx);
	memset(ret, 0, sizeof(*ret));
	if (!ctx->bdev_open && stat(path, &st) < 0)
		return tb_fail(ctx, -errno, "Cannot use %s: %s.", path, strerror(errno));
	if (!ctx->bdev_open) {
		/* a block device someone holds exclusively (a mounted filesystem, a device-mapper
		 * table, md, swap) refuses a second O_EXCL open */
		fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
		if (fd < 0 && errno != EBUSY)
			return tb_fail(ctx, -errno, "Cannot open %s: %s", path, strerror(errno));
		if (fd < 0)
			ret->busy = true;
		else
			close(fd);
		m.rdev = S_ISBLK(st.st_mode) ? st.st_rdev : 0;
	}
	r = tb_pvdev_open(ctx, path, false, &d);
	if (r < 0)
		return tb_fail(ctx, r, "Cannot open %s: %s", path, strerror(-r));
	ret->size = d->bdev->size_bytes;
	ret->pv = d->id[0] != '\0';
	tb_pvdev_free(d);
	if (!ctx->bdev_open) {
		r = tb_probe_signatures(ctx, path, ret->signature, sizeof(ret->signature),
					&ret->signature_offset);
		if (r < 0)
			return tb_fail(ctx, r, "Cannot probe %s for signatures: %s", path,
				       strerror(-r));
	}
	if (ret->pv) {
		/* the VG whose newest metadata lists the PV, as pvs reports it (a PV without
		 * metadata areas included) */
		m.path = path;
		m.vg = ret->vg;
		m.len = sizeof(ret->vg);
		r = tb_report_pvs(ctx, NULL, 0, pv_row_match, &m);
		if (r < 0)
			return r;
		/* pvs calls a PV whose VG cannot be read "[unknown]" (core/store/damaged.c) */
		if (!strcmp(ret->vg, "[unknown]")) {
			ret->vg[0] = '\0';
			ret->pv_in_doubt = true;
		} else if (!ret->vg[0]) {
			r = tb_pvdev_open(ctx, path, false, &d);
			if (r < 0)
				return tb_fail(ctx, r, "Cannot open %s: %s", path, strerror(-r));
			ret->pv_in_doubt = d->hdr.ext_flags & LVF_PV_EXT_USED;
			tb_pvdev_free(d);
		}
	}
	return 0;
}

TB_EXPORT const char *tb_config_dir(void)
{
	return tb_sysconf_dir(NULL);
}

TB_EXPORT int tb_monitor_start(struct tb_ctx *ctx)
{
	const char *skip = secure_getenv("THINBOX_NO_MONITOR_START");

	tb_ctx_clear_error(ctx);
	if ((skip && streq(skip, "1")) || !tb_monitoring_enabled(ctx))
		return -ECANCELED;
	if (tb_monitor_running(ctx, NULL))
		return 0;
	tb_monitor_autostart(ctx);
	if (!tb_monitor_running(ctx, NULL))
		return tb_fail(ctx, -ESRCH,
			       "thinbox monitor did not start; pools are not "
			       "autoextended. Run 'thinbox monitor --daemon' or check syslog.");
	return 1;
}
