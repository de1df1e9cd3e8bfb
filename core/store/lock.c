/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* flock-based locks compatible with lvm2 2.03 (lib/misc/lvm-flock.c, lib/locking/file_locking.c).
 * The protocol is described in core/store/lock.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/macros.h"
#include "metadata/md.h"

#include "core/store/lock.h"

#define AUX_SUFFIX ":aux"
#define GLOBAL_FILE "P_global"
#define ORPHAN_VG "#orphans"
/* lvm2 NAME_LEN */

_printf_(2, 3) static void set_err(struct tb_lockset *ls, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ls->errmsg, sizeof(ls->errmsg), fmt, ap);
	va_end(ap);
}

/* lvm2 validate_name(): [a-zA-Z0-9+_.-], not starting with '-', not "." or "..". */
static bool vg_name_is_valid(const char *n)
{
	return md_name_check(n, NULL) == 0; /* metadata/'s one copy of lvm2's rule */
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* flock() honouring the lockset's wait policy. @deadline is absolute (now_ms() clock). */
static int flock_wait(int fd, int op, int timeout_ms, int64_t deadline)
{
	if (timeout_ms == TB_LOCK_WAIT_FOREVER) {
		if (flock(fd, op) < 0)
			return -errno;
		return 0;
	}
	int64_t step = 1;
	for (;;) {
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return -errno;
		if (timeout_ms == TB_LOCK_NOWAIT)
			return -EAGAIN;
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		sleep_ms(MIN(step, left));
		step = MIN(step * 2, 50);
	}
}

static bool same_inode(const char *path, int fd)
{
	struct stat a, b;
	if (stat(path, &a) < 0 || fstat(fd, &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* lvm2 _do_flock(): open, flock, and check that the path still names the locked inode; an
 * unlocker may have unlinked it between our open and flock, and a lock on an unlinked file
 * protects nothing. */
static int do_flock(const char *path, int op, int timeout_ms, int64_t deadline, int *ret_fd)
{
	for (;;) {
		_cleanup_close_ int fd = open(path, O_CREAT | O_APPEND | O_RDWR | O_CLOEXEC, 0777);
		if (fd < 0)
			return -errno;
		int r = flock_wait(fd, op, timeout_ms, deadline);
		if (r < 0)
			return r;
		if (same_inode(path, fd)) {
			*ret_fd = TAKE_FD(fd);
			return 0;
		}
		/* unlinked under us: closing drops the stale lock; go round again */
	}
}

/* lvm2 _undo_flock(): if nobody else holds or waits for the file, delete it, then close. We may
 * still hold our own lock on @fd (converted to EX in place, as for :aux) or have dropped it. */
static void undo_flock(const char *path, int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && same_inode(path, fd))
		(void)unlink(path);
	close(fd);
}

static void lock_release(struct tb_lock *l)
{
	if (!l->path)
		return;
	if (l->fd >= 0) {
		(void)flock(l->fd, LOCK_UN | LOCK_NB);
		undo_flock(l->path, l->fd);
	}
	free(l->path);
	*l = (struct tb_lock){ .fd = -1 };
}

static int ensure_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (errno != ENOENT)
		return -errno;
	/* like mkdir -p: /run/lock may be missing on a minimal host */
	{
		char buf[4096];
		snprintf(buf, sizeof(buf), "%s", dir);
		for (char *p = buf + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* lvm2 _do_write_priority_flock(). */
static int lock_take(struct tb_lockset *ls, const char *file, const char *what, bool exclusive,
		     struct tb_lock *ret)
{
	_cleanup_free_ char *path = NULL, *aux = NULL;
	int64_t deadline = ls->timeout_ms > 0 ? now_ms() + ls->timeout_ms : 0;
	int aux_fd = -1, fd = -1, r;

	r = ensure_dir(ls->dir);
	if (r < 0) {
		set_err(ls, "Cannot create lock directory %s: %s", ls->dir, strerror(-r));
		return r;
	}
	if (asprintf(&path, "%s/%s", ls->dir, file) < 0 ||
	    asprintf(&aux, "%s/%s" AUX_SUFFIX, ls->dir, file) < 0) {
		path = aux = NULL;
		return -ENOMEM;
	}

	r = do_flock(aux, LOCK_EX, ls->timeout_ms, deadline, &aux_fd);
	if (r >= 0) {
		if (exclusive) {
			r = do_flock(path, LOCK_EX, ls->timeout_ms, deadline, &fd);
			undo_flock(aux, aux_fd);
		} else {
			undo_flock(aux, aux_fd);
			r = do_flock(path, LOCK_SH, ls->timeout_ms, deadline, &fd);
		}
	}
	if (r == -EAGAIN || r == -ETIMEDOUT || r == -EWOULDBLOCK)
		set_err(ls, "Another command holds %s; retry when it finishes", what);
	else if (r == -EINTR)
		set_err(ls, "Giving up waiting for %s", what);
	else if (r < 0)
		set_err(ls, "Cannot lock %s: %s", path, strerror(-r));
	if (r < 0)
		return r;

	*ret = (struct tb_lock){ .path = TAKE_PTR(path), .fd = fd, .exclusive = exclusive };
	return 0;
}

int tb_lockset_init(struct tb_lockset *ls, const char *dir, int timeout_ms)
{
	if (!ls || timeout_ms < TB_LOCK_WAIT_FOREVER)
		return -EINVAL;
	if (!dir) {
		dir = secure_getenv(TB_LOCK_DIR_ENV);
		if (!dir || !*dir)
			dir = TB_LOCK_DIR_DEFAULT;
	}
	if (!*dir)
		return -EINVAL;
	char *d = strdup(dir);
	if (!d)
		return -ENOMEM;
	*ls = (struct tb_lockset){ .dir = d, .timeout_ms = timeout_ms, .global = { .fd = -1 } };
	for (size_t i = 0; i < TB_LOCKSET_MAX_VGS; i++)
		ls->vgs[i].fd = -1;
	return 0;
}

int tb_lock_global(struct tb_lockset *ls, bool exclusive)
{
	if (!ls || !ls->dir)
		return -EINVAL;
	ls->errmsg[0] = '\0';
	if (ls->n_vgs > 0) {
		set_err(ls,
			"Internal error: global lock requested while holding the lock on VG %s "
			"(lvm2 takes P_global first)",
			ls->vg_names[0]);
		return -EDEADLK;
	}
	if (ls->global.path) {
		if (ls->global.exclusive || !exclusive)
			return 0;
		set_err(ls, "Internal error: global lock already held shared; it cannot be "
			    "upgraded to exclusive");
		return -EDEADLK;
	}
	return lock_take(ls, GLOBAL_FILE, "the global lock (" GLOBAL_FILE ")", exclusive,
			 &ls->global);
}

static ssize_t vg_index(const struct tb_lockset *ls, const char *vg)
{
	for (size_t i = 0; i < ls->n_vgs; i++)
		if (streq(ls->vg_names[i], vg))
			return (ssize_t)i;
	return -1;
}

int tb_lock_vg(struct tb_lockset *ls, const char *vg, bool exclusive)
{
	if (!ls || !ls->dir || !vg)
		return -EINVAL;
	ls->errmsg[0] = '\0';
	if (streq(vg, ORPHAN_VG))
		return 0;
	if (!vg_name_is_valid(vg)) {
		set_err(ls, "Invalid volume group name \"%s\"", vg);
		return -EINVAL;
	}

	ssize_t i = vg_index(ls, vg);
	if (i >= 0) {
		if (ls->vgs[i].exclusive || !exclusive)
			return 0;
		set_err(ls,
			"Internal error: lock on VG %s already held shared; it cannot be "
			"upgraded to exclusive",
			vg);
		return -EDEADLK;
	}
	if (!(ls->global.path && ls->global.exclusive))
		for (size_t k = 0; k < ls->n_vgs; k++)
			if (strcmp(ls->vg_names[k], vg) > 0) {
				set_err(ls,
					"Internal error: lock on VG %s requested while holding VG "
					"%s (lvm2 takes VG locks in name order)",
					vg, ls->vg_names[k]);
				return -EDEADLK;
			}
	if (ls->n_vgs == TB_LOCKSET_MAX_VGS) {
		set_err(ls, "Internal error: too many VG locks held at once");
		return -E2BIG;
	}

	_cleanup_free_ char *file = NULL, *what = NULL, *name = strdup(vg);
	if (!name || asprintf(&file, "V_%s", vg) < 0) {
		file = NULL;
		return -ENOMEM;
	}
	if (asprintf(&what, "the lock on VG %s (%s)", vg, file) < 0) {
		what = NULL;
		return -ENOMEM;
	}
	struct tb_lock l;
	int r = lock_take(ls, file, what, exclusive, &l);
	if (r < 0)
		return r;
	ls->vgs[ls->n_vgs] = l;
	ls->vg_names[ls->n_vgs] = TAKE_PTR(name);
	ls->n_vgs++;
	return 0;
}

int tb_unlock_vg(struct tb_lockset *ls, const char *vg)
{
	if (!ls || !vg)
		return -EINVAL;
	ssize_t i = vg_index(ls, vg);
	if (i < 0)
		return -ENOENT;
	lock_release(&ls->vgs[i]);
	free(ls->vg_names[i]);
	for (size_t k = (size_t)i; k + 1 < ls->n_vgs; k++) {
		ls->vgs[k] = ls->vgs[k + 1];
		ls->vg_names[k] = ls->vg_names[k + 1];
	}
	ls->n_vgs--;
	ls->vgs[ls->n_vgs] = (struct tb_lock){ .fd = -1 };
	ls->vg_names[ls->n_vgs] = NULL;
	return 0;
}

bool tb_lockset_has_global(const struct tb_lockset *ls, bool need_exclusive)
{
	return ls && ls->global.path && (!need_exclusive || ls->global.exclusive);
}

bool tb_lockset_has_vg(const struct tb_lockset *ls, const char *vg, bool need_exclusive)
{
	if (!ls || !vg)
		return false;
	ssize_t i = vg_index(ls, vg);
	return i >= 0 && (!need_exclusive || ls->vgs[i].exclusive);
}

void tb_lockset_release(struct tb_lockset *ls)
{
	if (!ls)
		return;
	while (ls->n_vgs > 0) {
		ls->n_vgs--;
		lock_release(&ls->vgs[ls->n_vgs]);
		free(ls->vg_names[ls->n_vgs]);
		ls->vg_names[ls->n_vgs] = NULL;
	}
	lock_release(&ls->global);
	free(ls->dir);
	ls->dir = NULL;
}
