/* Test helper for tests/integration/damaged-*.sh (dmg_sums): prints one line per device,
 * "HASH DEVSIZE DEV", where HASH (64-bit FNV-1a) covers every byte the device holds.
 *
 *   dmg-sum DEV...
 *
 * A loop device on a sparse file (tb_disk) is read only where its backing file holds data:
 * fsync of the device first pushes every page the kernel caches for it into that file, then
 * SEEK_DATA/SEEK_HOLE list the file's data ranges; a hole reads as zeros, and the hash covers
 * the offset and length of every data range besides its bytes. So two states hash alike only
 * when every byte is alike (zeros written into a hole count as a change, which is stricter).
 * Reading a 16 MiB disk whole, as cksum does, cost about a second under TCG; a damaged-disk
 * image holds a few KiB of data. Any other device or file is read whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return fnv(h, b, sizeof(b));
}

/* Hashes [off, off + len) of fd; returns 0 or -errno. */
static int hash_range(int fd, off_t off, off_t len, uint64_t *h)
{
	static unsigned char buf[1 << 16];
	while (len > 0) {
		size_t want = len < (off_t)sizeof(buf) ? (size_t)len : sizeof(buf);
		ssize_t n = pread(fd, buf, want, off);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		*h = fnv(*h, buf, (size_t)n);
		off += n;
		len -= n;
	}
	return 0;
}

/* The whole of fd, read to its end. */
static int hash_all(int fd, uint64_t *h)
{
	static unsigned char buf[1 << 16];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*h = fnv(*h, buf, (size_t)n);
		off += n;
	}
}

/* The data ranges of the sparse file fd (size bytes), each as offset, length, bytes. */
static int hash_sparse(int fd, off_t size, uint64_t *h)
{
	off_t pos = 0;
	*h = fnv_u64(*h, (uint64_t)size);
	while (pos < size) {
		off_t data = lseek(fd, pos, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		off_t hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		*h = fnv_u64(fnv_u64(*h, (uint64_t)data), (uint64_t)(hole - data));
		int r = hash_range(fd, data, hole - data, h);
		if (r < 0)
			return r;
		pos = hole;
	}
	return 0;
}

/* A loop device's backing file name from sysfs, or "" when dev is no loop device. */
static void backing_file(const char *dev, char *out, size_t outsz)
{
	char path[256];
	const char *base = strrchr(dev, '/');
	out[0] = '\0';
	base = base ? base + 1 : dev;
	if (strncmp(base, "loop", 4) != 0)
		return;
	snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", base);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(out, (int)outsz, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

static int sum_one(const char *dev)
{
	char back[4096];
	uint64_t h = FNV_OFFSET, devsize = 0;
	struct stat st;
	int r = 0, bfd = -1, fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &devsize) < 0 || fsync(fd) < 0) {
			r = -errno;
			goto out;
		}
		backing_file(dev, back, sizeof(back));
	} else {
		devsize = (uint64_t)st.st_size;
		back[0] = '\0';
	}
	h = fnv_u64(h, devsize);
	if (back[0]) {
		bfd = open(back, O_RDONLY | O_CLOEXEC);
		if (bfd < 0 || fstat(bfd, &st) < 0) {
			r = -errno;
			goto out;
		}
		r = hash_sparse(bfd, st.st_size, &h);
	} else {
		r = hash_all(fd, &h);
	}
	if (r == 0)
		printf("%016" PRIx64 " %" PRIu64 " %s\n", h, devsize, dev);
out:
	if (r < 0)
		fprintf(stderr, "dmg-sum: %s: %s\n", dev, strerror(-r));
	if (bfd >= 0)
		close(bfd);
	if (fd >= 0)
		close(fd);
	return r;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: dmg-sum DEV...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (sum_one(argv[i]) < 0)
			rc = 1;
	return rc;
}
