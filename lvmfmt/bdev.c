/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File and block-device backend of struct lvf_bdev.
 *
 * lvm2 does all its device I/O with O_DIRECT. Our block-device I/O does the same, through an
 * aligned bounce buffer with read-modify-write of partial logical blocks, so neither tool can
 * see stale page-cache contents of the other. Regular files (tests, images) use plain
 * buffered I/O; flush is fdatasync in both cases. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/macros.h"
#include "util/units.h"
#include "lvmfmt/bdev.h"

#define BOUNCE_BYTES (1024U * 1024U)
#define MEM_ALIGN 4096U

struct fdev {
	int fd;
	bool direct;
	bool blk;       /* a block device: BLKZEROOUT */
	unsigned block; /* logical block size for O_DIRECT, 1 otherwise */
	uint64_t size;
};

/* @short_is_eof: a short read means end of device (O_DIRECT: retrying at the unaligned
 * remainder would fail with EINVAL). */
static int pread_full(int fd, void *buf, size_t len, uint64_t off, bool short_is_eof)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0 || (short_is_eof && (size_t)n < len)) {
			/* past the end: reads as zeros, like a sparse tail */
			memset(p + n, 0, len - (size_t)n);
			return 0;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Direct I/O over [off, off+len): walk aligned chunks of the bounce buffer. For writes, a chunk
 * the request covers only partly is read first. */
static int direct_io(struct fdev *d, uint64_t off, void *rbuf, const void *wbuf, size_t len)
{
	_cleanup_free_ uint8_t *bounce = NULL;
	uint64_t bs = d->block, end = off + len, pos;
	size_t align = MAX(MEM_ALIGN, d->block);
	const uint8_t *user = rbuf ? (const uint8_t *)rbuf : (const uint8_t *)wbuf;

	pos = off / bs * bs;
	while (pos < end) {
		uint64_t cend = MIN(ROUND_UP(end, bs), pos + BOUNCE_BYTES);
		size_t clen = (size_t)(cend - pos);
		uint64_t from = MAX(pos, off), to = MIN(cend, end);
		int r;

		/* whole aligned blocks to or from an aligned buffer need no bounce: a metadata
		 * text of megabytes goes straight in, a commit's text straight out */
		if (from == pos && end / bs * bs > pos &&
		    ((uintptr_t)(user + (from - off)) & (align - 1)) == 0) {
			uint64_t whole = end / bs * bs;
			r = rbuf ? pread_full(d->fd, (uint8_t *)rbuf + (from - off),
					      (size_t)(whole - pos), pos, false)
				 : pwrite_full(d->fd, (const uint8_t *)wbuf + (from - off),
					       (size_t)(whole - pos), pos);
			if (r < 0)
				return r;
			pos = whole;
			continue;
		}
		/* sized to the request: most are a sector or two */
		if (!bounce && posix_memalign((void **)&bounce, align,
					      (size_t)MIN((uint64_t)BOUNCE_BYTES,
							  ROUND_UP(end, bs) - pos)) != 0)
			return -ENOMEM;
		if (rbuf || from > pos || to < cend) {
			r = pread_full(d->fd, bounce, clen, pos, true);
			if (r < 0)
				return r;
		}
		if (rbuf) {
			memcpy((uint8_t *)rbuf + (from - off), bounce + (from - pos), to - from);
		} else {
			memcpy(bounce + (from - pos), (const uint8_t *)wbuf + (from - off),
			       to - from);
			r = pwrite_full(d->fd, bounce, clen, pos);
			if (r < 0)
				return r;
		}
		pos = cend;
	}
	return 0;
}

static int fdev_read(void *h, uint64_t off, void *buf, size_t len)
{
	struct fdev *d = h;

	if (d->direct)
		return direct_io(d, off, buf, NULL, len);
	return pread_full(d->fd, buf, len, off, false);
}

static int fdev_write(void *h, uint64_t off, const void *buf, size_t len)
{
	struct fdev *d = h;

	if (d->direct)
		return direct_io(d, off, NULL, buf, len);
	return pwrite_full(d->fd, buf, len, off);
}

static int fdev_flush(void *h)
{
	struct fdev *d = h;

	if (fdatasync(d->fd) < 0)
		return -errno;
	return 0;
}

/* BLKZEROOUT (as lvm2's wipe_lv), in 64 MiB steps: the kernel writes the zeros (or has the
 * device do it: loop over a file punches or zero-fills it) without a user buffer. It is
 * synchronous; the caller's flush makes it durable. */
static int fdev_zero(void *h, uint64_t off, uint64_t len)
{
	const uint64_t step = 64ULL << 20;
	struct fdev *d = h;

	if (!d->blk || off % 512 || len % 512)
		return -EOPNOTSUPP;
	for (uint64_t done = 0; done < len;) {
		uint64_t range[2] = { off + done, MIN(step, len - done) };

		if (ioctl(d->fd, BLKZEROOUT, range) < 0) {
			if (errno == EINTR)
				continue;
			/* not supported, or refused for a reason writes may not have (EBUSY from
			 * the page cache): zeros from memory over the whole range; a real I/O
			 * error fails those writes too, and is returned from them */
			return -EOPNOTSUPP;
		}
		done += range[1];
	}
	return 0;
}

static void fdev_close(void *h)
{
	struct fdev *d = h;

	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

static const struct lvf_bdev_ops fdev_ops = {
	.read = fdev_read,
	.write = fdev_write,
	.flush = fdev_flush,
	.close = fdev_close,
	.zero = fdev_zero,
};

int lvf_bdev_new(const struct lvf_bdev_ops *ops, void *h, uint64_t size_bytes, const char *name,
		 struct lvf_bdev **ret)
{
	struct lvf_bdev *b;

	if (!ops || !ops->read || !ops->write || !ops->flush || !ret)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->name = strdup(name ? name : "");
	if (!b->name) {
		free(b);
		return -ENOMEM;
	}
	b->ops = ops;
	b->h = h;
	b->size_bytes = size_bytes;
	*ret = b;
	return 0;
}

/* A view forwards to the bdev under it and does not own it. */
static int view_read(void *h, uint64_t off, void *buf, size_t len)
{
	return lvf_bdev_read(h, off, buf, len);
}

static int view_write(void *h, uint64_t off, const void *buf, size_t len)
{
	return lvf_bdev_write(h, off, buf, len);
}

static int view_flush(void *h)
{
	return lvf_bdev_flush(h);
}

static int view_zero(void *h, uint64_t off, uint64_t len)
{
	return lvf_bdev_zero(h, off, len);
}

static const struct lvf_bdev_ops view_ops = {
	.read = view_read,
	.write = view_write,
	.flush = view_flush,
	.close = NULL,
	.zero = view_zero,
};

int lvf_bdev_view(struct lvf_bdev *under, const char *name, struct lvf_bdev **ret)
{
	if (!under)
		return -EINVAL;
	return lvf_bdev_new(&view_ops, under, under->size_bytes, name, ret);
}

int lvf_bdev_open(const char *path, int flags, struct lvf_bdev **ret)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ struct fdev *d = NULL;
	struct lvf_bdev *b;
	struct stat st;
	int accmode = flags & O_ACCMODE, r;

	if (!path || !ret || (accmode != O_RDONLY && accmode != O_RDWR))
		return -EINVAL;
	if (flags & ~(O_ACCMODE | O_EXCL | O_DIRECT))
		return -EINVAL;

	fd = open(path, accmode | (flags & O_EXCL) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->block = 1;

	if (S_ISBLK(st.st_mode)) {
		uint64_t size;
		int lbs = 0, fl;

		d->blk = true;
		if (ioctl(fd, BLKGETSIZE64, &size) < 0)
			return -errno;
		if (ioctl(fd, BLKSSZGET, &lbs) < 0 || lbs < 512 || !u64_is_pow2((uint64_t)lbs))
			lbs = 4096;
		d->size = size;
		/* Switch to O_DIRECT on the same descriptor so an O_EXCL claim stays with it. */
		fl = fcntl(fd, F_GETFL);
		if (fl >= 0 && fcntl(fd, F_SETFL, fl | O_DIRECT) == 0) {
			d->direct = true;
			d->block = (unsigned)lbs;
		}
	} else if (S_ISREG(st.st_mode)) {
		d->size = (uint64_t)st.st_size;
		/* O_DIRECT on a file is on request only (tests of the aligned path); the size
		 * must be whole 4 KiB blocks so read-modify-write never extends the file. */
		if (flags & O_DIRECT) {
			int fl = fcntl(fd, F_GETFL);

			if (d->size % MEM_ALIGN)
				return -EINVAL;
			if (fl < 0 || fcntl(fd, F_SETFL, fl | O_DIRECT) < 0)
				return -errno;
			d->direct = true;
			d->block = MEM_ALIGN;
		}
	} else {
		return -ENOTBLK;
	}

	d->fd = TAKE_FD(fd);
	r = lvf_bdev_new(&fdev_ops, d, d->size, path, &b);
	if (r < 0) {
		fd = TAKE_FD(d->fd);
		return r;
	}
	TAKE_PTR(d);
	*ret = b;
	return 0;
}

struct lvf_bdev *lvf_bdev_free(struct lvf_bdev *b)
{
	if (!b)
		return NULL;
	if (b->ops && b->ops->close)
		b->ops->close(b->h);
	free(b->name);
	free(b);
	return NULL;
}

static int check_range(const struct lvf_bdev *b, uint64_t off, uint64_t len)
{
	if (off > b->size_bytes || len > b->size_bytes - off)
		return -ERANGE;
	return 0;
}

int lvf_bdev_read(struct lvf_bdev *b, uint64_t off, void *buf, size_t len)
{
	int r = check_range(b, off, len);

	if (r < 0)
		return r;
	if (len == 0)
		return 0;
	return b->ops->read(b->h, off, buf, len);
}

int lvf_bdev_write(struct lvf_bdev *b, uint64_t off, const void *buf, size_t len)
{
	int r = check_range(b, off, len);

	if (r < 0)
		return r;
	if (len == 0)
		return 0;
	return b->ops->write(b->h, off, buf, len);
}

int lvf_bdev_flush(struct lvf_bdev *b)
{
	return b->ops->flush(b->h);
}

int lvf_bdev_zero(struct lvf_bdev *b, uint64_t off, uint64_t len)
{
	_cleanup_free_ uint8_t *z = NULL;
	size_t chunk = (size_t)MIN(len, (uint64_t)BOUNCE_BYTES);
	int r = check_range(b, off, len);

	if (r < 0)
		return r;
	if (len == 0)
		return 0;
	if (b->ops->zero && (r = b->ops->zero(b->h, off, len)) != -EOPNOTSUPP)
		return r;
	z = calloc(1, chunk);
	if (!z)
		return -ENOMEM;
	while (len > 0) {
		size_t n = (size_t)MIN(len, (uint64_t)chunk);
		r = b->ops->write(b->h, off, z, n);
		if (r < 0)
			return r;
		off += n;
		len -= n;
	}
	return 0;
}
