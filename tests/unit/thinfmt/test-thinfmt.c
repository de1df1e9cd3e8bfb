/* Unit tests: thinfmt (thin-pool superblock, btree nodes, device-details tree) on metadata
 * the real kernel wrote (tests/fixtures/thinfmt/, made by regenerate.sh there; the expected
 * values are thin_dump's, in the .thin_dump files next to them), and corrupted variants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thinfmt/thinfmt.h"
#include "util/endian.h"

struct img {
	uint8_t *buf;
	size_t len;
	unsigned reads;
};

/* xz -dc tests/fixtures/thinfmt/@name ($TB_SRCDIR: source root) */
static struct img *load(const char *name)
{
	const char *root = getenv("TB_SRCDIR");
	struct img *m = calloc(1, sizeof(*m));
	char cmd[4200];
	size_t cap = 1 << 20;
	FILE *f;

	assert_non_null(m);
	snprintf(cmd, sizeof(cmd), "xz -dc '%s/tests/fixtures/thinfmt/%s'", root ? root : ".",
		 name);
	f = popen(cmd, "r");
	assert_non_null(f);
	m->buf = malloc(cap);
	for (;;) {
		size_t n;
		if (m->len == cap) {
			cap *= 2;
			m->buf = realloc(m->buf, cap);
		}
		assert_non_null(m->buf);
		n = fread(m->buf + m->len, 1, cap - m->len, f);
		if (n == 0)
			break;
		m->len += n;
	}
	assert_int_equal(pclose(f), 0);
	assert_true(m->len >= 64 * TF_BLOCK_SIZE && m->len % TF_BLOCK_SIZE == 0);
	return m;
}

static void img_free(struct img *m)
{
	free(m->buf);
	free(m);
}

static int img_read(void *userdata, uint64_t blocknr, uint8_t *buf)
{
	struct img *m = userdata;
	if ((blocknr + 1) * TF_BLOCK_SIZE > m->len)
		return -EIO;
	m->reads++;
	memcpy(buf, m->buf + blocknr * TF_BLOCK_SIZE, TF_BLOCK_SIZE);
	return 0;
}

static struct tf_reader reader(struct img *m)
{
	return (struct tf_reader){ img_read, m, m->len / TF_BLOCK_SIZE };
}

static void test_crc32c_vector(void **state)
{
	/* the CRC-32C check value: "123456789" -> 0xE3069283 (with the usual final inversion) */
	assert_int_equal(tf_crc32c(~0u, "123456789", 9) ^ ~0u, 0xe3069283u);
}

static void test_few_superblock(void **state)
{
	struct img *m = load("few.meta.xz");
	struct tf_superblock sb;
	uint8_t blk[TF_BLOCK_SIZE] = { 0 };
	const char *why = NULL;

	assert_int_equal(tf_superblock_decode(m->buf, m->len, 0, &sb, &why), 0);
	/* few.thin_dump: time="1" transaction="3" flags="0" version="2" data_block_size="128" */
	assert_int_equal(sb.magic, TF_SUPERBLOCK_MAGIC);
	assert_int_equal(sb.time, 1);
	assert_int_equal(sb.transaction_id, 3);
	assert_int_equal(sb.flags, 0);
	assert_int_equal(sb.version, 2);
	assert_int_equal(sb.data_block_size, 128);
	assert_int_equal(sb.metadata_block_size, 8);
	assert_int_equal(sb.metadata_nr_blocks, 1024); /* the 4 MiB device */
	assert_int_equal(sb.metadata_snap, 0);
	/* encode -> byte-compare with what the kernel wrote (the rest of block 0 is zero) */
	tf_superblock_encode(&sb, blk);
	assert_memory_equal(blk, m->buf, TF_BLOCK_SIZE);
	img_free(m);
}

static void expect_devs(const struct tf_pool *p, const uint32_t *ids, size_t n)
{
	assert_int_equal(p->n_devs, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->devs[i].dev_id, ids[i]);
}

static void test_few_devices(void **state)
{
	struct img *m = load("few.meta.xz");
	struct tf_reader rd = reader(m);
	struct tf_pool p;
	const char *why = NULL;
	static const uint32_t ids[] = { 1, 2, 5, 7 };

	assert_int_equal(tf_pool_read(&rd, false, &p, &why), 0);
	expect_devs(&p, ids, 4);
	/* thin_dump: 1 snap_time 1; 7 (snapshot of 1 after set_transaction_id 0 2): transaction 2,
	 * creation_time 1, snap_time 1 */
	assert_int_equal(p.devs[0].details.snapshotted_time, 1);
	assert_int_equal(p.devs[0].details.creation_time, 0);
	assert_int_equal(p.devs[1].details.transaction_id, 0);
	assert_int_equal(p.devs[3].details.transaction_id, 2);
	assert_int_equal(p.devs[3].details.creation_time, 1);
	assert_int_equal(p.devs[3].details.snapshotted_time, 1);
	assert_int_equal(p.devs[3].details.mapped_blocks, 0);
	assert_true(tf_pool_has_device(&p, 5));
	assert_false(tf_pool_has_device(&p, 3));
	assert_false(tf_pool_has_device(&p, 8));
	assert_false(p.from_snapshot);
	/* no snapshot held */
	tf_pool_release(&p);
	assert_int_equal(tf_pool_read(&rd, true, &p, &why), -ENOENT);
	img_free(m);
}

static void test_held_snapshot(void **state)
{
	struct img *m = load("held.meta.xz");
	struct tf_reader rd = reader(m);
	struct tf_pool p;
	const char *why = NULL;
	static const uint32_t live[] = { 1, 5, 7, 9 }, snap[] = { 1, 2, 5, 7 };

	assert_int_equal(tf_pool_read(&rd, false, &p, &why), 0);
	assert_int_equal(p.sb.transaction_id, 4);
	assert_true(p.sb.metadata_snap != 0);
	expect_devs(&p, live, 4);
	assert_int_equal(p.devs[3].details.transaction_id, 3);
	tf_pool_release(&p);
	/* held-snap.thin_dump (thin_dump -m): the devices as they were at reserve_metadata_snap */
	assert_int_equal(tf_pool_read(&rd, true, &p, &why), 0);
	assert_true(p.from_snapshot);
	expect_devs(&p, snap, 4);
	tf_pool_release(&p);
	img_free(m);
}

static void test_many_two_levels(void **state)
{
	struct img *m = load("many.meta.xz");
	struct tf_reader rd = reader(m);
	struct tf_superblock sb;
	struct tf_node n;
	struct tf_pool p;
	const char *why = NULL;
	size_t k = 0;

	assert_int_equal(tf_superblock_decode(m->buf, m->len, 0, &sb, &why), 0);
	assert_int_equal(sb.transaction_id, 42);
	assert_int_equal(tf_node_decode(m->buf + sb.device_details_root * TF_BLOCK_SIZE,
					TF_BLOCK_SIZE, sb.device_details_root, &n, &why), 0);
	assert_int_equal(n.flags, TF_NODE_INTERNAL); /* 258 entries do not fit one leaf */
	assert_int_equal(tf_pool_read(&rd, false, &p, &why), 0);
	for (uint32_t i = 1; i <= 300; i++)
		if (i % 7) {
			assert_true(k < p.n_devs);
			assert_int_equal(p.devs[k++].dev_id, i);
		}
	assert_int_equal(p.n_devs, k);
	tf_pool_release(&p);
	img_free(m);
}

/* ---------------------------------------------------------------- corruption */

static void resum_sb(uint8_t *b)
{
	put_le32(b, tf_block_csum(b, TF_SUPERBLOCK_CSUM_XOR));
}

static void resum_node(uint8_t *b)
{
	put_le32(b, tf_block_csum(b, TF_BTREE_CSUM_XOR));
}

static void test_superblock_corrupt(void **state)
{
	struct img *m = load("few.meta.xz");
	uint8_t b[TF_BLOCK_SIZE];
	struct tf_superblock sb, keep;
	const char *why = NULL;

	memset(&keep, 0x5a, sizeof(keep));
	sb = keep;
	/* short */
	assert_int_equal(tf_superblock_decode(m->buf, 100, 0, &sb, &why), -EBADMSG);
	/* zeroed: the kernel formats it */
	memset(b, 0, sizeof(b));
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -ENODATA);
	/* magic */
	memcpy(b, m->buf, sizeof(b));
	b[32] ^= 1;
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	assert_string_equal(why, "superblock: bad magic");
	/* checksum: a byte outside the fields */
	memcpy(b, m->buf, sizeof(b));
	b[4000] = 1;
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	assert_string_equal(why, "superblock: bad checksum");
	/* the block number of a copy */
	memcpy(b, m->buf, sizeof(b));
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 3, &sb, &why), -EBADMSG);
	assert_string_equal(why, "superblock: wrong block number");
	/* fields, with a valid checksum */
	memcpy(b, m->buf, sizeof(b));
	put_le32(b + 336, 100);
	resum_sb(b);
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	memcpy(b, m->buf, sizeof(b));
	put_le32(b + 40, 3);
	resum_sb(b);
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	memcpy(b, m->buf, sizeof(b));
	put_le32(b + 360, 1);
	resum_sb(b);
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	memcpy(b, m->buf, sizeof(b));
	put_le64(b + 328, 0);
	resum_sb(b);
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), -EBADMSG);
	assert_memory_equal(&sb, &keep, sizeof(sb)); /* untouched on every failure */
	/* needs_check decodes: the caller decides */
	memcpy(b, m->buf, sizeof(b));
	put_le32(b + 4, TF_SB_NEEDS_CHECK);
	resum_sb(b);
	assert_int_equal(tf_superblock_decode(b, sizeof(b), 0, &sb, &why), 0);
	assert_int_equal(sb.flags & TF_SB_NEEDS_CHECK, TF_SB_NEEDS_CHECK);
	img_free(m);
}

/* The device-details root of the "many" fixture (an internal node), for surgery. */
static uint8_t *many_root(struct img *m, uint64_t *ret_root)
{
	struct tf_superblock sb;
	assert_int_equal(tf_superblock_decode(m->buf, m->len, 0, &sb, NULL), 0);
	*ret_root = sb.device_details_root;
	return m->buf + sb.device_details_root * TF_BLOCK_SIZE;
}

static int read_many_after(void (*mutate)(struct img *, uint8_t *, uint64_t), const char **why)
{
	struct img *m = load("many.meta.xz");
	struct tf_reader rd = reader(m);
	struct tf_pool p;
	uint64_t root;
	uint8_t *node = many_root(m, &root);
	int r;

	mutate(m, node, root);
	r = tf_pool_read(&rd, false, &p, why);
	if (r == 0)
		tf_pool_release(&p);
	/* bounded work whatever the damage: never more reads than blocks */
	assert_true(m->reads <= m->len / TF_BLOCK_SIZE + 1);
	img_free(m);
	return r;
}

static void mut_flip(struct img *m, uint8_t *node, uint64_t root)
{
	node[100] ^= 0x10;
}
static void mut_self_loop(struct img *m, uint8_t *node, uint64_t root)
{
	/* every child of the root is the root itself */
	uint32_t max = get_le32(node + 20), nr = get_le32(node + 16);
	for (uint32_t i = 0; i < nr; i++)
		put_le64(node + 32 + (size_t)max * 8 + (size_t)i * 8, root);
	resum_node(node);
}
static void mut_shared_child(struct img *m, uint8_t *node, uint64_t root)
{
	/* the second child is the first one again: keys would repeat */
	uint32_t max = get_le32(node + 20);
	uint64_t c0 = get_le64(node + 32 + (size_t)max * 8);
	put_le64(node + 32 + (size_t)max * 8 + 8, c0);
	resum_node(node);
}
static void mut_out_of_range(struct img *m, uint8_t *node, uint64_t root)
{
	uint32_t max = get_le32(node + 20);
	put_le64(node + 32 + (size_t)max * 8, m->len / TF_BLOCK_SIZE + 7);
	resum_node(node);
}
static void mut_keys_order(struct img *m, uint8_t *node, uint64_t root)
{
	uint64_t k0 = get_le64(node + 32), k1 = get_le64(node + 40);
	put_le64(node + 32, k1);
	put_le64(node + 40, k0);
	resum_node(node);
}
static void mut_nr_entries(struct img *m, uint8_t *node, uint64_t root)
{
	put_le32(node + 16, get_le32(node + 20) + 1);
	resum_node(node);
}
static void mut_max_entries(struct img *m, uint8_t *node, uint64_t root)
{
	put_le32(node + 20, 0x40000000u);
	resum_node(node);
}
static void mut_value_size(struct img *m, uint8_t *node, uint64_t root)
{
	put_le32(node + 24, 24); /* an internal node must hold 8-byte block numbers */
	resum_node(node);
}
static void mut_flags(struct img *m, uint8_t *node, uint64_t root)
{
	put_le32(node + 4, 3);
	resum_node(node);
}
static void mut_blocknr(struct img *m, uint8_t *node, uint64_t root)
{
	put_le64(node + 8, root + 1);
	resum_node(node);
}
static void mut_leaf_as_root_child_key(struct img *m, uint8_t *node, uint64_t root)
{
	/* the second child's range starts above its first key */
	put_le64(node + 40, get_le64(node + 40) + 1);
	resum_node(node);
}
static void mut_none(struct img *m, uint8_t *node, uint64_t root)
{
}

static void test_btree_corrupt(void **state)
{
	const char *why = NULL;

	assert_int_equal(read_many_after(mut_none, &why), 0);
	assert_int_equal(read_many_after(mut_flip, &why), -EBADMSG);
	assert_string_equal(why, "btree node: bad checksum");
	assert_int_equal(read_many_after(mut_self_loop, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_shared_child, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_out_of_range, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_keys_order, &why), -EBADMSG);
	assert_string_equal(why, "btree node: keys out of order");
	assert_int_equal(read_many_after(mut_nr_entries, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_max_entries, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_value_size, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_flags, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_blocknr, &why), -EBADMSG);
	assert_int_equal(read_many_after(mut_leaf_as_root_child_key, &why), -EBADMSG);
}

static void test_node_roundtrip(void **state)
{
	uint8_t b[TF_BLOCK_SIZE] = { 0 }, vals[3 * 24];
	uint64_t keys[3] = { 1, 5, 9 };
	struct tf_node n = { .flags = TF_NODE_LEAF, .blocknr = 17, .nr_entries = 3,
			     .max_entries = 126, .value_size = 24 }, d;
	struct tf_device_details dd;

	for (size_t i = 0; i < sizeof(vals); i++)
		vals[i] = (uint8_t)i;
	tf_node_encode(&n, keys, vals, b);
	assert_int_equal(tf_node_decode(b, sizeof(b), 17, &d, NULL), 0);
	assert_int_equal(d.nr_entries, 3);
	assert_int_equal(tf_node_key(&d, 2), 9);
	assert_memory_equal(tf_node_value(&d, 1), vals + 24, 24);
	assert_int_equal(tf_device_details_decode(tf_node_value(&d, 0), 24, &dd), 0);
	assert_int_equal(dd.mapped_blocks, 0x0706050403020100ull);
	assert_int_equal(dd.snapshotted_time, 0x17161514u);
	assert_int_equal(tf_device_details_decode(vals, 23, &dd), -EBADMSG);
	assert_int_equal(tf_node_decode(b, sizeof(b), 18, &d, NULL), -EBADMSG);
	assert_int_equal(tf_node_decode(b, 4095, 17, &d, NULL), -EBADMSG);
}

static void test_reader_errors(void **state)
{
	struct img *m = load("few.meta.xz");
	struct tf_reader rd = reader(m);
	struct tf_pool p;
	const char *why = NULL;

	/* a device cut short below the btree: a block number past its end */
	rd.nr_blocks = 2;
	assert_int_equal(tf_pool_read(&rd, false, &p, &why), -EBADMSG);
	rd.nr_blocks = 0;
	assert_int_equal(tf_pool_read(&rd, false, &p, &why), -EBADMSG);
	/* I/O errors come back as they are */
	rd.nr_blocks = m->len / TF_BLOCK_SIZE;
	m->len = 0;
	assert_int_equal(tf_pool_read(&rd, false, &p, &why), -EIO);
	img_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vector),
		cmocka_unit_test(test_few_superblock),
		cmocka_unit_test(test_few_devices),
		cmocka_unit_test(test_held_snapshot),
		cmocka_unit_test(test_many_two_levels),
		cmocka_unit_test(test_superblock_corrupt),
		cmocka_unit_test(test_btree_corrupt),
		cmocka_unit_test(test_node_roundtrip),
		cmocka_unit_test(test_reader_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
