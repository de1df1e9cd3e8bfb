/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Block-device access for lvmfmt: a tiny ops table (read, write, flush) so the on-disk code
 * runs unchanged over a real file or block device (lvf_bdev_open) and over an in-memory fake
 * with fault injection (lvf_bdev_mem_new), which tests use to cut power at any write. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/macros.h"

struct lvf_bdev_ops {
	/* Read/write exactly @len bytes at byte offset @off; 0 or -errno. */
	int (*read)(void *h, uint64_t off, void *buf, size_t len);
	int (*write)(void *h, uint64_t off, const void *buf, size_t len);
	/* Make every completed write durable (and visible to O_DIRECT readers such as lvm2). */
	int (*flush)(void *h);
	/* Release @h (called by lvf_bdev_free); may be NULL. */
	void (*close)(void *h);
	/* Zero @len bytes at @off without passing the zeros through memory (BLKZEROOUT); may be
	 * NULL. -EOPNOTSUPP: not here, lvf_bdev_zero writes zeros instead. Since: 0.2 */
	int (*zero)(void *h, uint64_t off, uint64_t len);
};

struct lvf_bdev {
	const struct lvf_bdev_ops *ops;
	void *h;
	uint64_t size_bytes;
	char *name; /* path or a descriptive name; owned */
};

/* Open @path (regular file or block device). @flags: O_RDONLY or O_RDWR, optionally O_EXCL
 * (for a block device: fail with -EBUSY if it is mounted or otherwise claimed). O_CLOEXEC is
 * added. Block devices are accessed with O_DIRECT through aligned bounce buffers, so reads see
 * what lvm2 wrote with O_DIRECT and lvm2 sees ours once flushed; regular files use buffered I/O
 * and fdatasync, unless @flags has O_DIRECT (then the file size must be a multiple of 4 KiB;
 * -EINVAL if it is not or the filesystem refuses O_DIRECT). Size from BLKGETSIZE64 or fstat. *ret: caller frees with lvf_bdev_free.
 * Returns 0 or -errno. Since: 0.1 */
int lvf_bdev_open(const char *path, int flags, struct lvf_bdev **ret);

/* Wrap a caller-provided ops table and handle into a new bdev (takes ownership of @h: it is
 * released through ops->close on free). @name is copied. Since: 0.1 */
int lvf_bdev_new(const struct lvf_bdev_ops *ops, void *h, uint64_t size_bytes, const char *name,
		 struct lvf_bdev **ret);

/* A bdev named @name that reads, writes and flushes through @under (borrowed: it must
 * outlive the view; freeing the view leaves @under open). Tests hand views of one fake disk
 * to code that frees what it opens. Returns 0 or -errno. Since: 0.1 */
int lvf_bdev_view(struct lvf_bdev *under, const char *name, struct lvf_bdev **ret);

/* Close and free; accepts NULL, returns NULL. Since: 0.1 */
struct lvf_bdev *lvf_bdev_free(struct lvf_bdev *b);
DEFINE_FREE_FUNC(struct lvf_bdev, lvf_bdev_free)
#define _cleanup_bdev_ _cleanup_(lvf_bdev_freep)

/* Bounds-checked I/O through the ops table: -ERANGE if [off, off+len) leaves the device.
 * Since: 0.1 */
int lvf_bdev_read(struct lvf_bdev *b, uint64_t off, void *buf, size_t len);
int lvf_bdev_write(struct lvf_bdev *b, uint64_t off, const void *buf, size_t len);
int lvf_bdev_flush(struct lvf_bdev *b);
/* Write @len zero bytes at @off. Since: 0.1 */
int lvf_bdev_zero(struct lvf_bdev *b, uint64_t off, uint64_t len);

/* ---- In-memory fake with fault injection (bdev-mem.c) ----
 *
 * Writes are counted on a struct lvf_write_counter. Every fake has its own counter; several
 * fakes can share one (lvf_bdev_mem_set_counter) so a test can number the writes of a
 * multi-PV operation globally and cut power at the Nth of them, whichever device it hits.
 *
 * Fault semantics, with writes numbered from 1 in the order they are issued:
 *   fail_at = N, crash = false: write N returns -EIO and changes nothing; later writes work.
 *   fail_at = N, crash = true:  write N and every later write (on every fake sharing the
 *                               counter) is silently dropped and reports success, flushes
 *                               too: the power was cut just before write N.
 *   fail_at = 0: no fault.
 * Flushes are not counted. */
struct lvf_write_counter {
	unsigned writes;  /* writes issued so far (including failed/dropped ones) */
	unsigned fail_at; /* 1-based index of the faulty write, 0 = none */
	bool crash;
	bool crashed; /* set once the crash point was reached */
};

/* A zero-filled fake of @size bytes. *ret: caller frees with lvf_bdev_free. Since: 0.1 */
int lvf_bdev_mem_new(uint64_t size, struct lvf_bdev **ret);
/* Like lvf_bdev_mem_new, initialised with a copy of @data (@len <= @size). Since: 0.1 */
int lvf_bdev_mem_new_from(uint64_t size, const void *data, size_t len, struct lvf_bdev **ret);
/* Arm a fault on the counter @b currently uses (see above). Since: 0.1 */
void lvf_bdev_mem_fail_at(struct lvf_bdev *b, unsigned nth_write, bool crash);
/* Make @b count on @c (borrowed: must outlive @b's use; NULL = back to @b's own). Since: 0.1 */
void lvf_bdev_mem_set_counter(struct lvf_bdev *b, struct lvf_write_counter *c);
/* The counter @b uses (borrowed). Since: 0.1 */
struct lvf_write_counter *lvf_bdev_mem_counter(struct lvf_bdev *b);
/* The backing buffer, size_bytes long (borrowed; tests may read and modify it). Since: 0.1 */
uint8_t *lvf_bdev_mem_data(struct lvf_bdev *b);
/* True if @b was made by lvf_bdev_mem_new*. Since: 0.1 */
bool lvf_bdev_is_mem(const struct lvf_bdev *b);
