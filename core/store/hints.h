/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's device hints (/run/lvm/hints), internal to core/. Since: 0.1 (internal). */
#pragma once

#define TB_HINTS_DIR_DEFAULT "/run/lvm"
#define TB_HINTS_DIR_ENV "THINBOX_LVM_RUN_DIR"

/* Invalidate lvm2's hints after changing which devices are PVs or which VG names exist, exactly as
 * lvm2's clear_hint_file(): create <dir>/nohints; flock(LOCK_EX) on <dir>/hints (blocking, only if
 * it exists); unlink nohints; rewrite hints as an empty hint file ("# Created empty by <cmd> pid
 * <pid> <ctime>"); create <dir>/newhints. Call it with P_global held exclusively, before the
 * change. lvm2 keeps the hints lock until the command ends: if @ret_lock_fd is non-NULL the
 * locked fd is handed over (caller closes it when done; -1 if there was no hints file), otherwise
 * it is closed at once. @dir NULL: $THINBOX_LVM_RUN_DIR or /run/lvm. A missing directory means
 * lvm2 keeps no hints: returns 0 doing nothing. Returns 0 or -errno. */
int tb_hints_invalidate(const char *dir, const char *cmd_name, int *ret_lock_fd);
