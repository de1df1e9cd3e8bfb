/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx-internal.h"
#include "core/monitor/monitor-state.h"

const char *tb_run_dir(const struct tb_ctx *ctx)
{
	return tb_ctx_run(ctx);
}

static void state_path(const struct tb_ctx *ctx, const char *vg, const char *lv, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/monitor/%s/%s", tb_run_dir(ctx), vg, lv);
}

bool tb_monitor_watches(const struct tb_ctx *ctx, const char *vg, const char *lv)
{
	char path[700];
	FILE *f;
	long pid = 0;

	state_path(ctx, vg, lv, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int tb_monitor_mark(const struct tb_ctx *ctx, const char *vg, const char *lv, pid_t pid)
{
	char path[700], tmp[720];
	FILE *f;

	snprintf(path, sizeof(path), "%s", tb_run_dir(ctx));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor", tb_run_dir(ctx));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor/%s", tb_run_dir(ctx), vg);
	mkdir(path, 0755);
	state_path(ctx, vg, lv, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%ld\n", (long)pid);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

int tb_monitor_unmark(const struct tb_ctx *ctx, const char *vg, const char *lv)
{
	char path[700];

	state_path(ctx, vg, lv, path, sizeof(path));
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int mkdirs(const struct tb_ctx *ctx, const char *vg)
{
	char path[700];

	snprintf(path, sizeof(path), "%s", tb_run_dir(ctx));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor", tb_run_dir(ctx));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor/%s", tb_run_dir(ctx), vg);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int tb_monitor_set_disabled(const struct tb_ctx *ctx, const char *vg, const char *lv, bool disabled)
{
	char path[720];
	int fd, r;

	snprintf(path, sizeof(path), "%s/monitor/%s/%s.off", tb_run_dir(ctx), vg, lv);
	if (!disabled)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	if ((r = mkdirs(ctx, vg)) < 0)
		return r;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return tb_monitor_unmark(ctx, vg, lv);
}

bool tb_monitor_disabled(const struct tb_ctx *ctx, const char *vg, const char *lv)
{
	char path[720];

	snprintf(path, sizeof(path), "%s/monitor/%s/%s.off", tb_run_dir(ctx), vg, lv);
	return access(path, F_OK) == 0;
}

void tb_monitor_pidfile(const struct tb_ctx *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "%s/monitor.pid", tb_run_dir(ctx));
}

pid_t tb_monitor_running(const struct tb_ctx *ctx, const char *pidfile)
{
	char def[700];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	if (!pidfile) {
		tb_monitor_pidfile(ctx, def, sizeof(def));
		pidfile = def;
	}
	fd = open(pidfile, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* the daemon holds a write lock on the whole file while it runs */
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK) {
		close(fd);
		return 0;
	}
	close(fd);
	return fl.l_pid > 0 ? fl.l_pid : 1;
}
