/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a thin pool's own metadata says (thinfmt/), read by us: the device ids it holds, its
 * transaction id and flags. An active pool is read through a metadata snapshot the kernel
 * holds for us (reserve_metadata_snap ... release_metadata_snap, as thin_dump -m); an inactive
 * pool's _tmeta is read from its PV extents. See docs/activation.md.
 */
#pragma once

#include "core/store/store.h"
#include "thinfmt/thinfmt.h"

/* Read @pool's metadata into *ret (release with tf_pool_release). Returns 0; -ENODATA when
 * the metadata was never formatted (all zeroes: the kernel formats it on first load; *ret
 * then has no devices); other -errno with the context's message set (-EBADMSG: damaged,
 * the message names thin_check and lvconvert --repair). */
int tb_pool_metadata_read(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
			  struct tf_pool *ret);

/* Device ids @pool's kernel metadata holds that no thin LV of the VG has (outside users such
 * as containerd's snapshotter, or leaks): *ret_n of them (*ret malloc'd, may be NULL when
 * *ret_n is 0). Same returns as tb_pool_metadata_read but -ENODATA is 0 with none. */
int tb_pool_foreign_ids(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, uint32_t **ret,
			size_t *ret_n);

/* Before the thin-pool target of an inactive @pool is loaded: check its superblock (magic,
 * checksum, needs_check, data block size against the VG's chunk size, a blank superblock
 * under a pool the VG says is in use), after running lvm.conf's global/thin_check_executable
 * on @meta_path when lvm.conf sets one. -EBADMSG / -EIO with a message saying what to run. */
int tb_pool_precheck(struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool, const char *meta_path);
