/* Unit tests: util/crc (lvm2's CRC-32 variant), util/endian, util/strbuf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc.h"
#include "util/endian.h"
#include "util/strbuf.h"

static void test_table(void **state)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320U : c >> 1;
		assert_int_equal(lvm_crc_table[n], c);
	}
	assert_int_equal(lvm_crc_table[1], 0x77073096U);
	assert_int_equal(lvm_crc_table[255], 0x2d02ef8dU);
}

/* lvm_crc_slice[k][n] is byte n followed by k + 1 zero bytes: 8 * (k + 2) shift/xor rounds. */
static void test_slice_tables(void **state)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320U : c >> 1;
		for (int t = 0; t < 7; t++) {
			for (int k = 0; k < 8; k++)
				c = (c & 1) ? (c >> 1) ^ 0xedb88320U : c >> 1;
			assert_int_equal(lvm_crc_slice[t][n], c);
		}
	}
}

static void test_vectors(void **state)
{
	uint8_t zero[512] = { 0 };
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, "", 0), 0xf597a6cfU);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, "123456789", 9), 0x4991cf02U);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, zero, sizeof(zero)), 0x6790aecbU);
	/* continuation across pieces equals one pass */
	uint32_t c = lvm_crc(LVM_INITIAL_CRC, "1234", 4);
	assert_int_equal(lvm_crc(c, "56789", 5), 0x4991cf02U);
}

static void test_endian(void **state)
{
	uint8_t b[8];
	put_le32(b, 0x8d1ca5f8U);
	assert_memory_equal(b, "\xf8\xa5\x1c\x8d", 4);
	assert_int_equal(get_le32(b), 0x8d1ca5f8U);
	put_le64(b, 0x0102030405060708ULL);
	assert_int_equal(b[0], 8);
	assert_int_equal(get_le64(b), 0x0102030405060708ULL);
	put_le16(b, 0xbeef);
	assert_int_equal(get_le16(b), 0xbeef);
}

/* The sliced lvm_crc agrees with the byte-at-a-time definition at every length and alignment,
 * in one call and continued across arbitrary split points. */
static void test_sliced_matches_bytewise(void **state)
{
	static uint8_t buf[4096 + 16];
	uint32_t seed = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len < 300; len += 1 + len / 16) {
			uint32_t ref = LVM_INITIAL_CRC;
			for (size_t i = 0; i < len; i++)
				ref = lvm_crc_table[(ref ^ buf[off + i]) & 0xff] ^ (ref >> 8);
			assert_int_equal(lvm_crc(LVM_INITIAL_CRC, buf + off, len), ref);
			size_t cut = len / 3;
			assert_int_equal(lvm_crc(lvm_crc(LVM_INITIAL_CRC, buf + off, cut),
						 buf + off + cut, len - cut), ref);
		}
	uint32_t ref = LVM_INITIAL_CRC;
	for (size_t i = 0; i < 4096; i++)
		ref = lvm_crc_table[(ref ^ buf[i]) & 0xff] ^ (ref >> 8);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, buf, 4096), ref);
}

/* lvm_crc (carry-less multiplication where the CPU has it) agrees with the table-driven CRC
 * at every length around the fold boundaries, at every alignment, from any starting value,
 * and over a few megabytes (a large VG's text). */
static void test_clmul_matches_sliced(void **state)
{
	enum { BIG = 3 << 20 };
	uint8_t *buf = malloc(BIG + 64);
	uint32_t seed = 777, start[] = { LVM_INITIAL_CRC, 0, 0xffffffffU, 0x12345678U };
	(void)state;

	assert_non_null(buf);
	for (size_t i = 0; i < BIG + 64; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t s = 0; s < sizeof(start) / sizeof(start[0]); s++)
		for (size_t off = 0; off < 17; off++)
			for (size_t len = 0; len < 1100; len += len < 300 ? 1 : 7)
				assert_int_equal(lvm_crc(start[s], buf + off, len),
						 lvm_crc_sliced(start[s], buf + off, len));
	for (size_t off = 0; off < 3; off++)
		assert_int_equal(lvm_crc(LVM_INITIAL_CRC, buf + off, BIG - off),
				 lvm_crc_sliced(LVM_INITIAL_CRC, buf + off, BIG - off));
	/* all zeros and all ones, where a wrong constant shows at once */
	memset(buf, 0, 4096);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, buf, 4096),
			 lvm_crc_sliced(LVM_INITIAL_CRC, buf, 4096));
	memset(buf, 0xff, 4096);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, buf, 4096),
			 lvm_crc_sliced(LVM_INITIAL_CRC, buf, 4096));
	print_message("lvm_crc: carry-less multiplication %s on this CPU\n",
		      lvm_crc_has_clmul() ? "used" : "not available (tables only)");
	free(buf);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = { 0 };
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_append(&sb, "vg");
	strbuf_appendc(&sb, '-');
	for (int i = 0; i < 100; i++)
		strbuf_appendf(&sb, "%d", i % 10);
	assert_true(strbuf_ok(&sb));
	assert_int_equal(sb.len, 103);
	assert_memory_equal(sb.buf, "vg-0123", 7);
	char *s = strbuf_steal(&sb);
	assert_int_equal(strlen(s), 103);
	free(s);
	assert_null(sb.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_slice_tables),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_endian),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_sliced_matches_bytewise),
		cmocka_unit_test(test_clmul_matches_sliced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
