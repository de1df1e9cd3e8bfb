/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Locks that cooperate with lvm2 2.03's file locking (locking_type 1, no lvmlockd), internal to
 * core/. Mirrors lvm2 lib/misc/lvm-flock.c with its defaults wait_for_locks = 1 and
 * prioritise_write_locks = 1 (see docs/lvm2-format.md section 5):
 *
 *   files      <dir>/P_global (global: which devices are PVs, VG names, orphans) and
 *              <dir>/V_<vg> (one VG's metadata and activation); <file>:aux for write priority.
 *   primitive  open(O_CREAT|O_APPEND|O_RDWR, 0777); flock(LOCK_SH or LOCK_EX); then stat(path)
 *              and fstat(fd) must name the same inode, else the file was unlinked by an unlocker
 *              between open and flock: close and start over.
 *   priority   take <file>:aux EX first. Exclusive request: take <file> EX, then release aux.
 *              Shared request: release aux, then take <file> SH.
 *   release    flock(LOCK_UN); then flock(LOCK_EX|LOCK_NB): if that works and the inode still
 *              matches, unlink(path) (nobody else holds or waits on it); close.
 *   order      P_global before any V_*; never P_global while a V_* is held; several V_* in
 *              strcmp order of the VG names unless P_global is held exclusively.
 *
 * The lockset enforces the order and refuses a request that would break it (-EDEADLK), so a
 * caller cannot deadlock against lvm2 by taking locks the wrong way round.
 *
 * Differences from lvm2, on purpose: a file unlinked under us is retried also in non-blocking
 * mode (lvm2 gives up; the retry cannot block because an unlinked file had no holder), and a
 * bounded wait is offered (lvm2 waits forever or not at all); it polls with LOCK_NB, so while it
 * waits it does not queue in the kernel, but it still goes through :aux like lvm2.
 *
 * Since: 0.1 (internal).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The directory lvm2 uses (Debian 12: global/locking_dir). */
#define TB_LOCK_DIR_DEFAULT "/run/lock/lvm"
/* Environment override for the directory, for tests and non-root experiments. */
#define TB_LOCK_DIR_ENV "THINBOX_LOCK_DIR"

/* timeout_ms values for tb_lockset_init(). */
#define TB_LOCK_WAIT_FOREVER (-1) /* lvm2's default: block until the lock is free */
#define TB_LOCK_NOWAIT 0          /* like lvm2's wait_for_locks = 0 */

/* lvm2 permits this many V_* at once only in vgmerge/vgsplit/vgrename; we allow a few more. */
#define TB_LOCKSET_MAX_VGS 8

struct tb_lock {
	char *path; /* caller frees via the lockset; NULL when the slot is empty */
	int fd;
	bool exclusive;
};

/* A set of locks held by one command. Initialise with tb_lockset_init(), release everything with
 * tb_lockset_release() (also safe on a zeroed or already released set). Not thread-safe; flock
 * locks belong to the open file description, so a lockset must not be shared across fork(). */
struct tb_lockset {
	char *dir;
	int timeout_ms;
	struct tb_lock global;
	struct tb_lock vgs[TB_LOCKSET_MAX_VGS];
	char *vg_names[TB_LOCKSET_MAX_VGS];
	size_t n_vgs;
	/* Message for the last failure, lvm2 style, e.g. "Another command holds the lock on VG
	 * docker (V_docker); retry when it finishes". Empty when there was none. */
	char errmsg[512];
};

/* Prepare @ls. @dir: lock directory; NULL means $THINBOX_LOCK_DIR if set and non-empty, else
 * /run/lock/lvm. The directory is created (mode 0700, like lvm2's tmpfiles entry) on the first
 * lock if it is missing. @timeout_ms: TB_LOCK_WAIT_FOREVER, TB_LOCK_NOWAIT or a bound in
 * milliseconds. Returns 0, -EINVAL or -ENOMEM. */
int tb_lockset_init(struct tb_lockset *ls, const char *dir, int timeout_ms);

/* Take P_global, shared or exclusive. Returns 0; -EDEADLK if a V_* lock is held or P_global is
 * already held (lvm2 never converts it); -EAGAIN (TB_LOCK_NOWAIT) or -ETIMEDOUT (bounded wait)
 * if another process holds it; -EINTR if a signal interrupted a blocking wait; other -errno from
 * open/flock/mkdir. On failure nothing new is held and ls->errmsg says what happened. */
int tb_lock_global(struct tb_lockset *ls, bool exclusive);

/* Take V_<vg>, shared or exclusive. "#orphans" succeeds at once without a lock (lvm2 2.03 has no
 * orphan VG locks). Asking again for a VG already held is a no-op if the held mode is at least as
 * strong, -EDEADLK otherwise. Another VG held with a name sorting after @vg is -EDEADLK unless
 * P_global is held exclusively. -EINVAL for an invalid VG name. Other errors as
 * tb_lock_global(). */
int tb_lock_vg(struct tb_lockset *ls, const char *vg, bool exclusive);

/* Release V_<vg> if held (lvm2 commands that walk many VGs unlock one before locking the next).
 * Returns 0, or -ENOENT if it was not held. */
int tb_unlock_vg(struct tb_lockset *ls, const char *vg);

/* True if @ls holds P_global / V_<vg> (in any mode, or exclusively). */
bool tb_lockset_has_global(const struct tb_lockset *ls, bool need_exclusive);
bool tb_lockset_has_vg(const struct tb_lockset *ls, const char *vg, bool need_exclusive);

/* Release all locks (V_* in reverse order, then P_global), deleting the lock files as lvm2 does,
 * and free the memory. @ls may be re-initialised afterwards. */
void tb_lockset_release(struct tb_lockset *ls);
