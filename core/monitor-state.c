/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/monitor-state.h"

const char *tb_run_dir(void)
{
	const char *d = getenv("THINBOX_RUN_DIR");
	return d && *d ? d : "/run/thinbox";
}

static void state_path(const char *vg, const char *lv, char *buf, size_t len)
{
	snprintf(buf, len, "%s/monitor/%s/%s", tb_run_dir(), vg, lv);
}

bool tb_monitor_watches(const char *vg, const char *lv)
{
	char path[700];
	FILE *f;
	long pid = 0;

	state_path(vg, lv, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int tb_monitor_mark(const char *vg, const char *lv, pid_t pid)
{
	char path[700], tmp[720];
	FILE *f;

	snprintf(path, sizeof(path), "%s", tb_run_dir());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor", tb_run_dir());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/monitor/%s", tb_run_dir(), vg);
	mkdir(path, 0755);
	state_path(vg, lv, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%ld\n", (long)pid);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

int tb_monitor_unmark(const char *vg, const char *lv)
{
	char path[700];

	state_path(vg, lv, path, sizeof(path));
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
