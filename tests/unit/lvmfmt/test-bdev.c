/* Unit tests: lvmfmt/bdev (file backend incl. the O_DIRECT bounce path, in-memory fake with
 * fault injection and a shared write counter). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lvmfmt/bdev.h"

static void test_mem_basic(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	uint8_t buf[16];

	assert_int_equal(lvf_bdev_mem_new(4096, &b), 0);
	assert_true(lvf_bdev_is_mem(b));
	assert_int_equal(b->size_bytes, 4096);
	assert_int_equal(lvf_bdev_write(b, 100, "hello", 5), 0);
	assert_int_equal(lvf_bdev_read(b, 100, buf, 5), 0);
	assert_memory_equal(buf, "hello", 5);
	assert_memory_equal(lvf_bdev_mem_data(b) + 100, "hello", 5);
	assert_int_equal(lvf_bdev_flush(b), 0);

	/* bounds */
	assert_int_equal(lvf_bdev_read(b, 4090, buf, 7), -ERANGE);
	assert_int_equal(lvf_bdev_write(b, 4096, buf, 1), -ERANGE);
	assert_int_equal(lvf_bdev_write(b, UINT64_MAX, buf, 2), -ERANGE);
	assert_int_equal(lvf_bdev_read(b, 4096, buf, 0), 0);
	assert_int_equal(lvf_bdev_zero(b, 100, 5), 0);
	assert_int_equal(lvf_bdev_mem_data(b)[100], 0);
	assert_int_equal(lvf_bdev_zero(b, 4000, 200), -ERANGE);

	assert_int_equal(lvf_bdev_mem_new_from(10, "0123456789abc", 13, &b), -EINVAL);
	assert_null(lvf_bdev_free(NULL));
}

static void test_mem_faults(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	struct lvf_write_counter *c;

	assert_int_equal(lvf_bdev_mem_new(4096, &b), 0);
	c = lvf_bdev_mem_counter(b);

	/* fail: write 2 returns -EIO and changes nothing, write 3 works */
	lvf_bdev_mem_fail_at(b, 2, false);
	assert_int_equal(lvf_bdev_write(b, 0, "a", 1), 0);
	assert_int_equal(lvf_bdev_write(b, 1, "b", 1), -EIO);
	assert_int_equal(lvf_bdev_write(b, 2, "c", 1), 0);
	assert_memory_equal(lvf_bdev_mem_data(b), "a\0c", 3);
	assert_int_equal(c->writes, 3);

	/* crash: write 2 (of this arming) and every later one silently dropped */
	memset(lvf_bdev_mem_data(b), 0, 4096);
	c->writes = 0;
	lvf_bdev_mem_fail_at(b, 2, true);
	assert_int_equal(lvf_bdev_write(b, 0, "a", 1), 0);
	assert_int_equal(lvf_bdev_write(b, 1, "b", 1), 0);
	assert_true(c->crashed);
	assert_int_equal(lvf_bdev_write(b, 2, "c", 1), 0);
	assert_int_equal(lvf_bdev_flush(b), 0);
	assert_memory_equal(lvf_bdev_mem_data(b), "a\0\0", 3);

	/* disarm */
	lvf_bdev_mem_fail_at(b, 0, false);
	assert_int_equal(lvf_bdev_write(b, 2, "c", 1), 0);
	assert_memory_equal(lvf_bdev_mem_data(b), "a\0c", 3);
}

static void test_mem_shared_counter(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *a = NULL, *b = NULL;
	struct lvf_write_counter c = { 0 };

	assert_int_equal(lvf_bdev_mem_new(512, &a), 0);
	assert_int_equal(lvf_bdev_mem_new(512, &b), 0);
	lvf_bdev_mem_set_counter(a, &c);
	lvf_bdev_mem_set_counter(b, &c);
	assert_ptr_equal(lvf_bdev_mem_counter(a), &c);

	/* the 3rd write overall cuts the power on both devices */
	c.fail_at = 3;
	c.crash = true;
	assert_int_equal(lvf_bdev_write(a, 0, "1", 1), 0);
	assert_int_equal(lvf_bdev_write(b, 0, "2", 1), 0);
	assert_int_equal(lvf_bdev_write(a, 1, "3", 1), 0);
	assert_int_equal(lvf_bdev_write(b, 1, "4", 1), 0);
	assert_int_equal(c.writes, 4);
	assert_memory_equal(lvf_bdev_mem_data(a), "1\0", 2);
	assert_memory_equal(lvf_bdev_mem_data(b), "2\0", 2);

	/* back to the private counter */
	lvf_bdev_mem_set_counter(b, NULL);
	assert_ptr_not_equal(lvf_bdev_mem_counter(b), &c);
	assert_int_equal(lvf_bdev_write(b, 1, "4", 1), 0);
	assert_memory_equal(lvf_bdev_mem_data(b), "24", 2);
}

static int make_file(char *path, size_t size)
{
	int fd;

	strcpy(path, "/tmp/tb-bdev-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
	return 0;
}

static void file_roundtrip(const char *path, int flags, size_t size)
{
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	_cleanup_free_ uint8_t *pat = malloc(size), *back = malloc(size);
	int r;

	assert_non_null(pat);
	assert_non_null(back);
	r = lvf_bdev_open(path, flags, &b);
	if (r == -EINVAL && (flags & O_DIRECT)) {
		print_message("O_DIRECT not supported here, skipping that part\n");
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(b->size_bytes, size);
	assert_string_equal(b->name, path);
	assert_false(lvf_bdev_is_mem(b));

	for (size_t i = 0; i < size; i++)
		pat[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(lvf_bdev_write(b, 0, pat, size), 0);
	/* unaligned pieces crossing block and bounce-buffer boundaries */
	assert_int_equal(lvf_bdev_write(b, 4095, "XY", 2), 0);
	pat[4095] = 'X';
	pat[4096] = 'Y';
	assert_int_equal(lvf_bdev_write(b, 1024 * 1024 - 3, "abcdef", 6), 0);
	memcpy(pat + 1024 * 1024 - 3, "abcdef", 6);
	assert_int_equal(lvf_bdev_zero(b, 513, 1000), 0);
	memset(pat + 513, 0, 1000);
	{ /* from an aligned buffer: its whole blocks written from where they are, the rest
	   * through the bounce buffer; and the same buffer one byte in (all through it) */
		uint8_t *al = NULL;
		assert_int_equal(posix_memalign((void **)&al, 4096, 3 * 4096 + 100), 0);
		for (size_t i = 0; i < 3 * 4096 + 100; i++)
			al[i] = (uint8_t)(i * 13 + 1);
		assert_int_equal(lvf_bdev_write(b, 8192, al, 3 * 4096 + 100), 0);
		memcpy(pat + 8192, al, 3 * 4096 + 100);
		assert_int_equal(lvf_bdev_write(b, 65536, al + 1, 2 * 4096), 0);
		memcpy(pat + 65536, al + 1, 2 * 4096);
		free(al);
	}
	assert_int_equal(lvf_bdev_flush(b), 0);

	assert_int_equal(lvf_bdev_read(b, 0, back, size), 0);
	assert_memory_equal(back, pat, size);
	assert_int_equal(lvf_bdev_read(b, 4093, back, 5), 0);
	assert_memory_equal(back, pat + 4093, 5);
	assert_int_equal(lvf_bdev_read(b, size - 1, back, 1), 0);
	assert_int_equal(back[0], pat[size - 1]);
	assert_int_equal(lvf_bdev_read(b, size - 1, back, 2), -ERANGE);
}

static void test_file(void **state)
{
	char path[64];
	size_t size = 2 * 1024 * 1024 + 8192;
	_cleanup_bdev_ struct lvf_bdev *b = NULL;

	make_file(path, size);
	file_roundtrip(path, O_RDWR, size);
	file_roundtrip(path, O_RDWR | O_DIRECT, size);

	/* read-only open refuses writes (EBADF from the kernel) */
	assert_int_equal(lvf_bdev_open(path, O_RDONLY, &b), 0);
	assert_int_equal(lvf_bdev_write(b, 0, "x", 1), -EBADF);
	b = lvf_bdev_free(b);

	/* O_DIRECT needs whole 4 KiB blocks on a file */
	assert_int_equal(truncate(path, 5000), 0);
	assert_int_equal(lvf_bdev_open(path, O_RDWR | O_DIRECT, &b), -EINVAL);
	unlink(path);

	assert_int_equal(lvf_bdev_open(path, O_RDWR, &b), -ENOENT);
	assert_int_equal(lvf_bdev_open("/dev/null", O_RDWR, &b), -ENOTBLK);
	assert_int_equal(lvf_bdev_open("/tmp", O_RDWR | O_CREAT, &b), -EINVAL);
	assert_int_equal(lvf_bdev_open("/tmp", O_WRONLY, &b), -EINVAL);
}

/* ops->zero: used when it says yes, the zeros written from memory when it says -EOPNOTSUPP,
 * its error when it fails; through a view too. */
struct zdev {
	uint8_t data[8192];
	int zero_rc; /* what zero returns */
	unsigned zeros, writes;
};

static int z_read(void *h, uint64_t off, void *buf, size_t len)
{
	memcpy(buf, ((struct zdev *)h)->data + off, len);
	return 0;
}

static int z_write(void *h, uint64_t off, const void *buf, size_t len)
{
	struct zdev *z = h;

	z->writes++;
	memcpy(z->data + off, buf, len);
	return 0;
}

static int z_flush(void *h)
{
	(void)h;
	return 0;
}

static int z_zero(void *h, uint64_t off, uint64_t len)
{
	struct zdev *z = h;

	z->zeros++;
	if (z->zero_rc == 0)
		memset(z->data + off, 0, len);
	return z->zero_rc;
}

static void test_zero_op(void **state)
{
	static const struct lvf_bdev_ops ops = {
		.read = z_read, .write = z_write, .flush = z_flush, .zero = z_zero
	};
	struct zdev *z = calloc(1, sizeof(*z));
	struct lvf_bdev *b = NULL, *v = NULL;
	uint8_t buf[8192], ones[8192];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	memset(z->data, 0xff, sizeof(z->data));
	assert_int_equal(lvf_bdev_new(&ops, z, sizeof(z->data), "z", &b), 0);
	/* the device zeroes: no write */
	assert_int_equal(lvf_bdev_zero(b, 512, 1024), 0);
	assert_int_equal(z->zeros, 1);
	assert_int_equal(z->writes, 0);
	/* it cannot: zeros from memory */
	z->zero_rc = -EOPNOTSUPP;
	assert_int_equal(lvf_bdev_zero(b, 4096, 512), 0);
	assert_int_equal(z->zeros, 2);
	assert_true(z->writes > 0);
	assert_int_equal(lvf_bdev_read(b, 0, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, ones, 512);
	for (size_t i = 512; i < 1536; i++)
		assert_int_equal(buf[i], 0);
	assert_memory_equal(buf + 1536, ones, 4096 - 1536);
	for (size_t i = 4096; i < 4608; i++)
		assert_int_equal(buf[i], 0);
	assert_memory_equal(buf + 4608, ones, sizeof(buf) - 4608);
	/* it fails: the error, nothing written from memory */
	z->zero_rc = -EIO;
	z->writes = 0;
	assert_int_equal(lvf_bdev_zero(b, 0, 512), -EIO);
	assert_int_equal(z->writes, 0);
	/* out of range: refused before the device is asked */
	z->zero_rc = 0;
	z->zeros = 0;
	assert_int_equal(lvf_bdev_zero(b, 8000, 512), -ERANGE);
	assert_int_equal(z->zeros, 0);
	/* a view forwards to the device's zero */
	assert_int_equal(lvf_bdev_view(b, "v", &v), 0);
	assert_int_equal(lvf_bdev_zero(v, 0, 512), 0);
	assert_int_equal(z->zeros, 1);
	lvf_bdev_free(v);
	lvf_bdev_free(b);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_basic),
		cmocka_unit_test(test_mem_faults),
		cmocka_unit_test(test_mem_shared_counter),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_zero_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
