/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lw-replay: rebuild a disk as a power cut would have left it, from a dm-log-writes log.
 *
 *   lw-replay --points [--after-mark NAME] LOG
 *       prints the crash points of LOG, one per line: "N" (the state once entries 1..N are on
 *       the disk) for every flush or FUA entry after the mark NAME (and the last entry), and
 *       "N:last" for every flush whose interval since the previous flush or FUA entry holds two
 *       or more unflushed writes (the state with entries up to that previous one, plus only
 *       the last of those writes: the others were still in the volatile cache).
 *   lw-replay [--drop-unflushed] LOG IMAGE N
 *       writes entries 1..N of LOG onto IMAGE (a regular file or a block device holding the
 *       disk's content at the start of the log); with --drop-unflushed, the "N:last" state.
 *
 * Log format (kernel Documentation/admin-guide/device-mapper/log-writes.rst and
 * drivers/md/dm-log-writes.c): sector 0 is the super block {le64 magic, le64 version, le64
 * nr_entries, le32 sectorsize}; entries follow from sector 1, each a header sector {le64 sector,
 * le64 nr_sectors, le64 flags, le64 data_len, [mark text]} then, unless the entry is a discard or
 * a mark, nr_sectors sectors of the written data. Sector numbers and counts are in units of
 * sectorsize. The target logs a plain write only once a flush made it durable (the writes just
 * before a FLUSH entry are those the flush covered), FUA writes at completion, in completion
 * order. Every length read from the log is bounds-checked against the log and the image. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LW_MAGIC 0x6a736677736872ULL
#define LW_VERSION 1
#define F_FLUSH (1u << 0)
#define F_FUA (1u << 1)
#define F_DISCARD (1u << 2)
#define F_MARK (1u << 3)
#define MAX_ENTRIES (1u << 24)

struct entry {
	uint64_t sector, nr_sectors, flags, data_off; /* data_off: byte offset in the log */
	char mark[64];
};

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Reads the entry table of the log on @fd. */
static int read_log(int fd, struct entry **ret, uint64_t *ret_n, uint32_t *ret_ss)
{
	unsigned char sb[4096];
	struct stat st;
	uint64_t nr, pos, size;
	uint32_t ss;
	struct entry *e = NULL;
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	size = (uint64_t)st.st_size;
	if ((r = pread_all(fd, sb, 32, 0)) < 0)
		return r;
	if (le64(sb) != LW_MAGIC || le64(sb + 8) != LW_VERSION) {
		fprintf(stderr, "lw-replay: not a dm-log-writes log (magic/version)\n");
		return -EINVAL;
	}
	nr = le64(sb + 16);
	ss = le32(sb + 24);
	if (ss < 512 || ss > sizeof(sb) || (ss & (ss - 1)) || nr > MAX_ENTRIES) {
		fprintf(stderr, "lw-replay: bad super block (sectorsize %u, %" PRIu64 " entries)\n",
			ss, nr);
		return -EINVAL;
	}
	e = calloc(nr ? nr : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	pos = ss;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t dl;
		if (pos + ss > size) {
			fprintf(stderr, "lw-replay: entry %" PRIu64 " is past the end of the log\n", i + 1);
			free(e);
			return -EINVAL;
		}
		if ((r = pread_all(fd, sb, ss, pos)) < 0) {
			free(e);
			return r;
		}
		e[i].sector = le64(sb);
		e[i].nr_sectors = le64(sb + 8);
		e[i].flags = le64(sb + 16);
		dl = le64(sb + 24);
		if (e[i].flags & F_MARK) {
			size_t l = dl < sizeof(e[i].mark) - 1 ? (size_t)dl : sizeof(e[i].mark) - 1;
			if (l > ss - 32)
				l = ss - 32;
			memcpy(e[i].mark, sb + 32, l);
			e[i].mark[l] = 0;
		}
		pos += ss;
		e[i].data_off = pos;
		if (!(e[i].flags & (F_DISCARD | F_MARK)) && e[i].nr_sectors) {
			if (e[i].nr_sectors > (size - pos) / ss) {
				fprintf(stderr, "lw-replay: entry %" PRIu64 " data is past the end of the log\n",
					i + 1);
				free(e);
				return -EINVAL;
			}
			pos += e[i].nr_sectors * ss;
		}
	}
	*ret = e;
	*ret_n = nr;
	*ret_ss = ss;
	return 0;
}

static bool is_data(const struct entry *e)
{
	return !(e->flags & F_MARK) && e->nr_sectors;
}

static bool is_durable(const struct entry *e)
{
	return e->flags & (F_FLUSH | F_FUA);
}

/* index (1-based) of the durable entry before @n, 0 if none */
static uint64_t prev_durable(const struct entry *e, uint64_t n)
{
	for (uint64_t i = n - 1; i >= 1; i--)
		if (is_durable(&e[i - 1]))
			return i;
	return 0;
}

static int apply(int logfd, int img, uint64_t img_size, const struct entry *e, uint32_t ss)
{
	static unsigned char buf[1 << 20];
	uint64_t off, len;
	int r;

	if (!is_data(e))
		return 0;
	if (e->sector > img_size / ss || e->nr_sectors > img_size / ss - e->sector) {
		fprintf(stderr, "lw-replay: a write to sector %" PRIu64 " is past the image's end\n",
			e->sector);
		return -EINVAL;
	}
	off = e->sector * ss;
	len = e->nr_sectors * ss;
	if (e->flags & F_DISCARD)
		memset(buf, 0, sizeof(buf));
	for (uint64_t done = 0; done < len;) {
		size_t n = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
		if (!(e->flags & F_DISCARD) && (r = pread_all(logfd, buf, n, e->data_off + done)) < 0)
			return r;
		if ((r = pwrite_all(img, buf, n, off + done)) < 0)
			return r;
		done += n;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: lw-replay --points [--after-mark NAME] LOG\n"
			"       lw-replay [--drop-unflushed] LOG IMAGE N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool points = false, drop = false;
	const char *after = NULL;
	struct entry *e = NULL;
	uint64_t n = 0, from = 1;
	uint32_t ss = 0;
	int i = 1, logfd, r;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--points"))
			points = true;
		else if (!strcmp(argv[i], "--drop-unflushed"))
			drop = true;
		else if (!strcmp(argv[i], "--after-mark") && i + 1 < argc)
			after = argv[++i];
		else
			usage();
	}
	if (argc - i != (points ? 1 : 3))
		usage();
	logfd = open(argv[i], O_RDONLY | O_CLOEXEC);
	if (logfd < 0) {
		fprintf(stderr, "lw-replay: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	if ((r = read_log(logfd, &e, &n, &ss)) < 0) {
		fprintf(stderr, "lw-replay: %s: %s\n", argv[i], strerror(-r));
		return 1;
	}
	if (points) {
		if (after) {
			from = 0;
			for (uint64_t k = 1; k <= n && !from; k++)
				if ((e[k - 1].flags & F_MARK) && !strcmp(e[k - 1].mark, after))
					from = k + 1;
			if (!from) {
				fprintf(stderr, "lw-replay: no mark \"%s\" in the log\n", after);
				return 1;
			}
		}
		for (uint64_t k = from; k <= n; k++) {
			uint64_t p, writes = 0;
			if (!is_durable(&e[k - 1]) && k != n)
				continue;
			printf("%" PRIu64 "\n", k);
			p = prev_durable(e, k);
			for (uint64_t j = p + 1; j < k; j++)
				writes += is_data(&e[j - 1]);
			if (is_durable(&e[k - 1]) && writes >= 2 && p + 1 >= from)
				printf("%" PRIu64 ":last\n", k);
		}
		return 0;
	} else {
		char *end;
		uint64_t upto = strtoull(argv[i + 2], &end, 10), p, last = 0;
		struct stat st;
		int img = open(argv[i + 1], O_WRONLY | O_CLOEXEC);
		if (*end || upto < 1 || upto > n) {
			fprintf(stderr, "lw-replay: entry %s is not in 1..%" PRIu64 "\n", argv[i + 2], n);
			return 1;
		}
		if (img < 0 || fstat(img, &st) < 0) {
			fprintf(stderr, "lw-replay: %s: %s\n", argv[i + 1], strerror(errno));
			return 1;
		}
		if (S_ISBLK(st.st_mode)) {
			off_t sz = lseek(img, 0, SEEK_END);
			st.st_size = sz < 0 ? 0 : sz;
		}
		p = drop ? prev_durable(e, upto) : upto;
		if (drop)
			for (uint64_t j = p + 1; j < upto; j++)
				if (is_data(&e[j - 1]))
					last = j;
		for (uint64_t k = 1; k <= p; k++)
			if ((r = apply(logfd, img, (uint64_t)st.st_size, &e[k - 1], ss)) < 0)
				return 1;
		if (last && (r = apply(logfd, img, (uint64_t)st.st_size, &e[last - 1], ss)) < 0)
			return 1;
		if (fsync(img) < 0 || close(img) < 0) {
			fprintf(stderr, "lw-replay: %s: %s\n", argv[i + 1], strerror(errno));
			return 1;
		}
	}
	free(e);
	close(logfd);
	return 0;
}
