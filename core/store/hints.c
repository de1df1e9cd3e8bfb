/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Invalidation of lvm2's device hints, following lvm2 lib/label/hints.c clear_hint_file(). lvm2
 * commands that find "newhints" or an empty hints file rescan all devices and write new hints;
 * "nohints" makes them ignore hints while we wait for the hints lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/io.h"
#include "util/macros.h"

#include "core/store/hints.h"

/* fopen(path, "w") and close, as lvm2 _touch_nohints()/_touch_newhints() do. */
static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* lvm2 _clear_hints(): the hints file rewritten with only a comment line. */
static int clear_hints(const char *path, const char *cmd_name)
{
	char when[64], line[512];
	time_t t = time(NULL);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	if (!ctime_r(&t, when))
		snprintf(when, sizeof(when), "%lld\n", (long long)t);
	int n = snprintf(line, sizeof(line), "# Created empty by %s pid %d %s", cmd_name,
			 (int)getpid(), when);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -ENAMETOOLONG;
	return fd_write_all(fd, line, (size_t)n);
}

int tb_hints_invalidate(const char *dir, const char *cmd_name, int *ret_lock_fd)
{
	_cleanup_free_ char *hints = NULL, *nohints = NULL, *newhints = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (!dir) {
		dir = secure_getenv(TB_HINTS_DIR_ENV);
		if (!dir || !*dir)
			dir = TB_HINTS_DIR_DEFAULT;
	}
	if (!cmd_name || !*cmd_name)
		cmd_name = "thinbox";
	if (strchr(cmd_name, '\n'))
		return -EINVAL;

	if (stat(dir, &st) < 0) {
		if (errno != ENOENT)
			return -errno;
		/* No lvm2 run directory: lvm2 keeps no hints here, nothing can be stale. */
		if (ret_lock_fd)
			*ret_lock_fd = -1;
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;

	if (asprintf(&hints, "%s/hints", dir) < 0 || asprintf(&nohints, "%s/nohints", dir) < 0 ||
	    asprintf(&newhints, "%s/newhints", dir) < 0)
		return -ENOMEM;

	/* 1. nohints first, so readers stop taking SH and we cannot starve on the EX below. */
	r = touch(nohints);
	if (r < 0)
		return r;

	/* 2. EX on the hints file itself (blocking, as lvm2: only commands already reading it can
	 * hold it). lvm2 does not create it here; a missing file is simply not locked. */
	fd = open(hints, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		r = -errno;
		(void)unlink(nohints);
		return r;
	}
	if (fd >= 0) {
		while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (r < 0) {
			r = -errno;
			(void)unlink(nohints);
			return r;
		}
	}

	/* 3. */
	if (unlink(nohints) < 0 && errno != ENOENT)
		return -errno;

	/* 4. */
	r = clear_hints(hints, cmd_name);
	if (r < 0) {
		/* lvm2: "shouldn't happen, but try to unlink in case" */
		(void)unlink(hints);
		return r;
	}

	/* 5. */
	r = touch(newhints);
	if (r < 0)
		return r;

	if (ret_lock_fd)
		*ret_lock_fd = TAKE_FD(fd);
	return 0;
}
