/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lvextend/lvresize -r (--resizefs): grow the filesystem on an LV after the LV grew, as lvm2
 * 2.03.16 does through fsadm: ext2/3/4 with resize2fs (e2fsck -f -p first when it is not
 * mounted), XFS with xfs_growfs on its mount point. Everything that can refuse is checked
 * before the LV changes (tb_lv_fs_check), so a refused command changes nothing.
 */
#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/activate/lvstate.h"
#include "core/activate/resizefs.h"
#include "core/store/store.h"

static int fs_type(const char *path, char *ret, size_t len)
{
	const char *type = NULL;
	blkid_probe pr;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = -ENODATA;

	if (fd < 0)
		return -errno;
	pr = blkid_new_probe();
	if (pr && blkid_probe_set_device(pr, fd, 0, 0) == 0) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
		if (blkid_do_safeprobe(pr) == 0 &&
		    blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0 && type) {
			snprintf(ret, len, "%s", type);
			r = 0;
		}
	}
	blkid_free_probe(pr);
	close(fd);
	return r;
}

/* The mount point of block device @dev (first in /proc/self/mountinfo); 0 or -ENOENT. */
static int mount_point(dev_t dev, char *ret, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], mnt[PATH_MAX];
	unsigned maj, mnr;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*u %*u %u:%u %*s %4095s", &maj, &mnr, mnt) == 3 &&
		    makedev(maj, mnr) == dev) {
			snprintf(ret, len, "%s", mnt);
			return 0;
		}
	return -ENOENT;
}

static int run(struct tb_ctx *ctx, char *const argv[], int max_ok)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return tb_fail(ctx, -errno, "Cannot start %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "  %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > max_ok)
		return tb_fail(ctx, -EIO, "%s %s failed (exit %d).", argv[0], argv[1],
			       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

int tb_lv_fs_check(struct tb_cmd *c, struct tb_vg *vg, const struct md_lv *lv, struct tb_lv_fs *ret)
{
	struct tb_ctx *ctx = c->ctx;
	_cleanup_free_ char *name = NULL;
	struct tb_lv_state st;
	struct stat sb;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (md_lv_is_thin_pool(lv))
		return tb_fail(ctx, -EINVAL,
			       "--resizefs applies to logical volumes with a "
			       "filesystem, not to thin pool %s/%s.",
			       vg->md->name, lv->name);
	if ((r = tb_lv_state_get(ctx, vg->md, lv, &st)) < 0)
		return r;
	if (!st.active)
		return tb_fail(ctx, -EINVAL,
			       "Logical volume %s/%s must be activated before resizing "
			       "its filesystem (--resizefs).",
			       vg->md->name, lv->name);
	if ((r = tb_lv_dm_name(vg->md, lv, NULL, &name)) < 0)
		return r;
	snprintf(ret->path, sizeof(ret->path), "/dev/mapper/%s", name);
	if (stat(ret->path, &sb) < 0 || !S_ISBLK(sb.st_mode))
		return tb_fail(ctx, -ENODEV, "Cannot find %s to resize its filesystem.", ret->path);
	if (fs_type(ret->path, ret->type, sizeof(ret->type)) < 0)
		return tb_fail(ctx, -EINVAL,
			       "Cannot get FSTYPE of \"%s\": no filesystem to resize "
			       "on %s/%s (omit --resizefs).",
			       ret->path, vg->md->name, lv->name);
	ret->mounted = mount_point(sb.st_rdev, ret->mnt, sizeof(ret->mnt)) == 0;
	if (!strncmp(ret->type, "ext", 3) && strlen(ret->type) == 4)
		return 0;
	if (streq(ret->type, "xfs")) {
		if (!ret->mounted)
			return tb_fail(ctx, -EINVAL,
				       "XFS on %s/%s must be mounted to grow it "
				       "(xfs_growfs); mount it or omit --resizefs.",
				       vg->md->name, lv->name);
		return 0;
	}
	return tb_fail(ctx, -EOPNOTSUPP,
		       "Resizing a %s filesystem is not supported (ext2/3/4 and "
		       "XFS are); omit --resizefs.",
		       ret->type);
}

int tb_lv_fs_resize(struct tb_cmd *c, const struct tb_lv_fs *fs)
{
	char path[PATH_MAX], mnt[PATH_MAX], e2fsck[] = "e2fsck", f[] = "-f", pp[] = "-p",
					    resize2fs[] = "resize2fs", growfs[] = "xfs_growfs";
	char *fsck[] = { e2fsck, f, pp, path, NULL };
	char *ext[] = { resize2fs, path, NULL };
	char *xfs[] = { growfs, mnt, NULL };
	int r;

	snprintf(path, sizeof(path), "%s", fs->path);
	snprintf(mnt, sizeof(mnt), "%s", fs->mnt);
	if (streq(fs->type, "xfs"))
		return run(c->ctx, xfs, 0);
	if (!fs->mounted && (r = run(c->ctx, fsck, 1)) < 0) /* 1: errors corrected */
		return r;
	return run(c->ctx, ext, 0);
}
