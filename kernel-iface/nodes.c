/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /dev/mapper/<name> block nodes and /dev/<dir>/<link> symlinks. With udev running, udev
 * makes the nodes from the kernel's uevents: we give it a bounded moment and then make the
 * node ourselves (same number, same place, so the race is harmless). Without udev we do all
 * of it. Permissions as Debian's lvm2 leaves them (measured: brw-rw---- root:disk, i.e. 0660
 * with the "disk" group; libdm's compiled-in default is root:root 0600). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util/macros.h"

#include "dmk-internal.h"

#define UDEV_WAIT_MS 1000
#define UDEV_POLL_MS 20

static bool udev_running(const struct dmk_ctx *ctx)
{
	/* only the real /dev has a udev; test directories never wait */
	return streq(ctx->dev_dir, "/dev") && access("/run/udev/control", F_OK) == 0;
}

static bool node_is(const char *path, dev_t dev)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == dev;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t l = strlen(path);

	if (l == 0 || l >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, path, l + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int node_path(struct dmk_ctx *ctx, const char *name, char *out, size_t outlen,
		     const char *what)
{
	if (dmk_name_check(name) < 0)
		return dmk_fail(ctx, -EINVAL, "Cannot %s: invalid device name '%s'", what,
				name ? name : "");
	if ((size_t)snprintf(out, outlen, "%s/" DM_DIR "/%s", ctx->dev_dir, name) >= outlen)
		return dmk_fail(ctx, -ENAMETOOLONG, "Cannot %s '%s': path too long", what, name);
	return 0;
}

/* The "disk" group from /etc/group (no NSS: this must work in a static binary); 6 when absent,
 * Debian's number. */
static gid_t disk_gid(void)
{
	char line[512];
	FILE *f = fopen("/etc/group", "re");
	gid_t gid = 6;

	if (!f)
		return gid;
	while (fgets(line, sizeof(line), f)) {
		unsigned long g;
		if (strncmp(line, "disk:", 5) == 0 && sscanf(line, "disk:%*[^:]:%lu", &g) == 1) {
			gid = (gid_t)g;
			break;
		}
	}
	fclose(f);
	return gid;
}

static int make_node(struct dmk_ctx *ctx, const char *name, dev_t dev, bool wait_udev)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int r;

	r = node_path(ctx, name, path, sizeof(path), "make the node of");
	if (r < 0)
		return r;
	if (wait_udev && udev_running(ctx)) {
		struct timespec ts = { 0, UDEV_POLL_MS * 1000000L };
		for (int waited = 0; waited < UDEV_WAIT_MS; waited += UDEV_POLL_MS) {
			if (node_is(path, dev))
				return 0;
			nanosleep(&ts, NULL);
		}
	}
	if (node_is(path, dev))
		return 0;
	snprintf(dir, sizeof(dir), "%s/" DM_DIR, ctx->dev_dir);
	r = mkdir_p(dir, 0755);
	if (r < 0)
		return dmk_fail(ctx, r, "Cannot create directory %s: %s", dir, strerror(-r));
	/* a stale node (other number, or not a block device) goes first */
	if (unlink(path) < 0 && errno != ENOENT)
		return dmk_fail(ctx, -errno, "Cannot remove stale %s: %s", path, strerror(errno));
	if (mknod(path, S_IFBLK | 0600, dev) < 0) {
		if (errno == EEXIST && node_is(path, dev))
			return 0; /* udev got there in between */
		return dmk_fail(ctx, -errno, "Cannot create node %s (%u:%u): %s", path, major(dev),
				minor(dev), strerror(errno));
	}
	if (geteuid() == 0 && (chown(path, 0, disk_gid()) < 0 || chmod(path, 0660) < 0))
		return dmk_fail(ctx, -errno, "Cannot set the owner of %s: %s", path,
				strerror(errno));
	return 0;
}

int dmk_node_add(struct dmk_ctx *ctx, const char *name, dev_t dev)
{
	return make_node(ctx, name, dev, true);
}

int dmk_node_remove(struct dmk_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	int r = node_path(ctx, name, path, sizeof(path), "remove the node of");

	if (r < 0)
		return r;
	if (unlink(path) < 0 && errno != ENOENT)
		return dmk_fail(ctx, -errno, "Cannot remove %s: %s", path, strerror(errno));
	return 0;
}

int dmk_node_rename(struct dmk_ctx *ctx, const char *old, const char *new_name, dev_t dev)
{
	int r = dmk_node_remove(ctx, old);
	return r < 0 ? r : dmk_node_add(ctx, new_name, dev);
}

static bool component_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && !streq(s, ".") && !streq(s, "..") &&
	       strlen(s) < NAME_MAX;
}

int dmk_symlink_add(struct dmk_ctx *ctx, const char *dir, const char *link, const char *name)
{
	char d[600], path[PATH_MAX], target[PATH_MAX], cur[PATH_MAX];
	ssize_t n;
	int r;

	if (!component_ok(dir) || !component_ok(link) || dmk_name_check(name) < 0)
		return dmk_fail(ctx, -EINVAL, "Cannot make link %s/%s -> %s: invalid name",
				dir ? dir : "", link ? link : "", name ? name : "");
	snprintf(d, sizeof(d), "%s/%s", ctx->dev_dir, dir);
	snprintf(path, sizeof(path), "%s/%s", d, link);
	snprintf(target, sizeof(target), "%s/" DM_DIR "/%s", ctx->dev_dir, name);
	r = mkdir_p(d, 0755);
	if (r < 0)
		return dmk_fail(ctx, r, "Cannot create directory %s: %s", d, strerror(-r));
	n = readlink(path, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = '\0';
		if (streq(cur, target))
			return 0;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return dmk_fail(ctx, -errno, "Cannot replace %s: %s", path, strerror(errno));
	if (symlink(target, path) < 0) {
		if (errno == EEXIST) {
			n = readlink(path, cur, sizeof(cur) - 1);
			if (n >= 0 && (cur[n] = '\0', streq(cur, target)))
				return 0;
		}
		return dmk_fail(ctx, -errno, "Cannot create link %s -> %s: %s", path, target,
				strerror(errno));
	}
	return 0;
}

int dmk_symlink_remove(struct dmk_ctx *ctx, const char *dir, const char *link)
{
	char d[600], path[PATH_MAX];

	if (!component_ok(dir) || !component_ok(link))
		return dmk_fail(ctx, -EINVAL, "Cannot remove link %s/%s: invalid name",
				dir ? dir : "", link ? link : "");
	snprintf(d, sizeof(d), "%s/%s", ctx->dev_dir, dir);
	snprintf(path, sizeof(path), "%s/%s", d, link);
	if (unlink(path) < 0 && errno != ENOENT)
		return dmk_fail(ctx, -errno, "Cannot remove %s: %s", path, strerror(errno));
	(void)rmdir(d); /* only when empty; anything else is fine */
	return 0;
}

int dmk_nodes_sync(struct dmk_ctx *ctx)
{
	_cleanup_free_ struct dmk_dev *devs = NULL;
	char dir[PATH_MAX];
	size_t n;
	DIR *dh;
	int r;

	r = dmk_list_devices(ctx, &devs, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = make_node(ctx, devs[i].name, devs[i].dev, false);
		if (r < 0)
			return r;
	}
	snprintf(dir, sizeof(dir), "%s/" DM_DIR, ctx->dev_dir);
	dh = opendir(dir);
	if (!dh)
		return 0;
	for (struct dirent *de; (de = readdir(dh));) {
		char path[PATH_MAX];
		struct stat st;
		bool known = false;

		if (de->d_name[0] == '.' || streq(de->d_name, DM_CONTROL_NODE))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) < 0 || !S_ISBLK(st.st_mode))
			continue;
		for (size_t i = 0; i < n && !known; i++)
			known = streq(devs[i].name, de->d_name);
		if (!known && unlink(path) < 0 && errno != ENOENT) {
			r = dmk_fail(ctx, -errno, "Cannot remove stale %s: %s", path,
				     strerror(errno));
			break;
		}
	}
	closedir(dh);
	return r;
}
