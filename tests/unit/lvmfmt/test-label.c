/* Unit tests: lvmfmt/label (LABELONE sector + PV header) and lvm2's default PV geometry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc.h"
#include "util/endian.h"
#include "lvmfmt/bdev.h"
#include "lvmfmt/label.h"
#include "lvftest.h"

#define MIB (1024ULL * 1024ULL)

/* The orphan PV of lvm2-format.md 1.4a: pvcreate on a 100 MiB loop device. */
static void doc_header(struct lvf_pv_header *h, const char *uuid, uint32_t flags)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->uuid, uuid, 32);
	h->device_size = 0x06400000;
	h->n_da = 1;
	h->da[0] = (struct lvf_disk_locn){ 0x100000, 0 };
	h->n_mda = 1;
	h->mda[0] = (struct lvf_disk_locn){ 0x1000, 0xff000 };
	h->ext_version = 2;
	h->ext_flags = flags;
}

static void test_crc_vectors_from_doc(void **state)
{
	struct lvf_pv_header h, d;
	uint8_t s[512];

	doc_header(&h, "fQWiqz262LZ3fyA1DfUVRa4Gekz8jxt1", 0);
	lvf_label_encode(&h, 1, s);
	assert_memory_equal(s + 16, "\xf8\xa5\x1c\x8d", 4);
	assert_int_equal(lvm_crc(LVM_INITIAL_CRC, s + 20, 492), 0x8d1ca5f8U);
	/* offsets from the doc's hexdump */
	assert_int_equal(get_le64(s + 0x40), 0x06400000);
	assert_int_equal(get_le64(s + 0x48), 0x100000);
	assert_int_equal(get_le64(s + 0x68), 0x1000);
	assert_int_equal(get_le64(s + 0x70), 0xff000);
	assert_int_equal(get_le32(s + 0x88), 2);
	assert_int_equal(get_le32(s + 0x8c), 0);

	doc_header(&h, "cv9QyYsFbPE7Yy1k3RDWqk1XlL5zeejO", LVF_PV_EXT_USED);
	lvf_label_encode(&h, 1, s);
	assert_int_equal(get_le32(s + 16), 0x4f268af0U);
	assert_int_equal(lvf_label_decode(s, 512, 1, &d, NULL), 0);
	assert_memory_equal(&d, &h, sizeof(d));
}

static void test_golden_fixture(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *img = lvftest_load_fixture(LVFTEST_PV_FIXTURE, &len);
	struct lvf_pv_header h;
	struct lvf_err e = { 0 };
	uint8_t s[512];

	assert_true(len >= 2048);
	assert_int_equal(get_le32(img + 512 + 16), 0xd8ae4760U);
	assert_int_equal(lvf_label_decode(img + 512, 512, 1, &h, &e), 0);
	assert_memory_equal(h.uuid, "OpJKR0sPIGC2QRWWj3lK3lkVejImpb1c", 32);
	assert_int_equal(h.device_size, LVFTEST_PV_FIXTURE_DEVSIZE);
	assert_int_equal(h.n_da, 1);
	assert_int_equal(h.da[0].offset, MIB);
	assert_int_equal(h.da[0].size, 0);
	assert_int_equal(h.n_mda, 1);
	assert_int_equal(h.mda[0].offset, 4096);
	assert_int_equal(h.mda[0].size, 1044480);
	assert_int_equal(h.ext_version, 2);
	assert_int_equal(h.ext_flags, LVF_PV_EXT_USED);
	assert_int_equal(h.n_ba, 0);

	lvf_label_encode(&h, 1, s);
	assert_memory_equal(s, img + 512, 512);

	/* our own pvcreate computation gives the same geometry for a 4 GiB disk */
	struct lvf_pv_layout_params p = { .device_size = h.device_size,
					  .metadata_copies = 1,
					  .page_size = 4096 };
	struct lvf_pv_layout l;
	struct lvf_pv_header mine;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	lvf_pv_header_init(&mine, h.uuid, h.device_size, &l, LVF_PV_EXT_USED);
	lvf_label_encode(&mine, 1, s);
	assert_memory_equal(s, img + 512, 512);
}

static void test_read_write_wipe(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *img = lvftest_load_fixture(LVFTEST_PV_FIXTURE, &len);
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	struct lvf_pv_header h, h2;
	struct lvf_err e = { 0 };
	uint64_t sec = 99;

	assert_int_equal(lvf_bdev_mem_new_from(len, img, len, &b), 0);
	assert_int_equal(lvf_label_read(b, &h, &sec, &e), 0);
	assert_int_equal(sec, 1);

	/* wipe: sector 1 zeroed, label gone */
	assert_int_equal(lvf_label_wipe(b), 1);
	assert_int_equal(lvf_label_read(b, &h2, &sec, &e), -ENOENT);
	assert_int_equal(lvf_label_wipe(b), 0);

	/* write: sectors 0-3 zeroed, label in sector 1 */
	memset(lvf_bdev_mem_data(b), 0xaa, 2048);
	assert_int_equal(lvf_label_write(b, &h), 0);
	assert_memory_equal(lvf_bdev_mem_data(b) + 512, img + 512, 512);
	for (size_t i = 0; i < 2048; i++)
		if (i < 512 || i >= 1024)
			assert_int_equal(lvf_bdev_mem_data(b)[i], 0);
	assert_int_equal(lvf_label_read(b, &h2, &sec, &e), 0);
	assert_memory_equal(&h, &h2, sizeof(h));

	/* a label lvm2 would find in sector 3 (and sector 0 valid too: first wins) */
	uint8_t *d = lvf_bdev_mem_data(b);
	memset(d, 0, 2048);
	lvf_label_encode(&h, 3, d + 3 * 512);
	assert_int_equal(lvf_label_read(b, &h2, &sec, NULL), 0);
	assert_int_equal(sec, 3);
	lvf_label_encode(&h, 0, d);
	assert_int_equal(lvf_label_read(b, &h2, &sec, NULL), 0);
	assert_int_equal(sec, 0);
	assert_int_equal(lvf_label_wipe(b), 2);

	/* a label copied to the wrong sector is not valid: -EBADMSG with the reason */
	memset(d, 0, 2048);
	memcpy(d + 2 * 512, img + 512, 512);
	assert_int_equal(lvf_label_read(b, &h2, &sec, &e), -EBADMSG);
	assert_non_null(strstr(e.message, "sector_xl"));
	assert_int_equal(e.offset, 1024);
}

/* Re-seal a hand-modified label sector with a correct CRC. */
static void reseal(uint8_t *s)
{
	put_le32(s + 16, lvm_crc(LVM_INITIAL_CRC, s + 20, 492));
}

static void expect_bad(const uint8_t *s, uint64_t nr, int err, const char *needle)
{
	struct lvf_pv_header h;
	struct lvf_err e = { 0 };

	memset(&h, 0x5a, sizeof(h));
	assert_int_equal(lvf_label_decode(s, 512, nr, &h, &e), err);
	if (!strstr(e.message, needle)) {
		print_error("message \"%s\" lacks \"%s\"\n", e.message, needle);
		fail();
	}
	/* *ret untouched on failure */
	for (size_t i = 0; i < sizeof(h); i++)
		assert_int_equal(((uint8_t *)&h)[i], 0x5a);
}

static void test_corruptions(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *img = lvftest_load_fixture(LVFTEST_PV_FIXTURE, &len);
	const uint8_t *good = img + 512;
	uint8_t s[512];
	struct lvf_pv_header h;

	assert_int_equal(lvf_label_decode(good, 511, 1, &h, NULL), -EBADMSG);

	memcpy(s, good, 512);
	s[0] = 'l';
	expect_bad(s, 1, -ENOENT, "LABELONE");

	memcpy(s, good, 512);
	expect_bad(s, 2, -EBADMSG, "sector_xl");

	memcpy(s, good, 512);
	s[200] ^= 1; /* in the zero tail, still covered by the CRC */
	expect_bad(s, 1, -EBADMSG, "checksum");

	memcpy(s, good, 512);
	s[16] ^= 0x80;
	expect_bad(s, 1, -EBADMSG, "checksum");

	memcpy(s, good, 512);
	put_le32(s + 20, 8);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "offset_xl");

	memcpy(s, good, 512);
	put_le32(s + 20, 500);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "offset_xl");

	memcpy(s, good, 512);
	memcpy(s + 24, "LVM1 001", 8);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "LVM2 001");

	memcpy(s, good, 512);
	s[32 + 5] = '-';
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "invalid character");

	/* data area past the device end */
	memcpy(s, good, 512);
	put_le64(s + 0x48, LVFTEST_PV_FIXTURE_DEVSIZE);
	put_le64(s + 0x50, 4096);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "past the device size");

	/* mda past the device end */
	memcpy(s, good, 512);
	put_le64(s + 0x68, LVFTEST_PV_FIXTURE_DEVSIZE - 4096);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "past the device size");

	/* mda size overflowing 64 bits */
	memcpy(s, good, 512);
	put_le64(s + 0x70, UINT64_MAX - 100);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "overflow");

	/* mda over the label sectors */
	memcpy(s, good, 512);
	put_le64(s + 0x68, 1024);
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "overlaps the label");

	/* too many data areas: a list that is never terminated */
	memcpy(s, good, 512);
	for (size_t off = 0x48; off + 16 <= 512; off += 16) {
		put_le64(s + off, 4096 * (off / 16));
		put_le64(s + off + 8, 0);
	}
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "data area entries");

	/* three metadata areas */
	memcpy(s, good, 512);
	for (int i = 0; i < 3; i++) {
		put_le64(s + 0x68 + 16 * i, 4096 + 65536 * (uint64_t)i);
		put_le64(s + 0x70 + 16 * i, 65536);
	}
	reseal(s);
	expect_bad(s, 1, -EBADMSG, "metadata area entries");

	/* ext version 0: flags and bootloader list ignored, as very old lvm2 */
	memcpy(s, good, 512);
	put_le32(s + 0x88, 0);
	reseal(s);
	assert_int_equal(lvf_label_decode(s, 512, 1, &h, NULL), 0);
	assert_int_equal(h.ext_version, 0);
	assert_int_equal(h.ext_flags, 0);
}

/* A label whose mda runs past the device: lvf_label_read rejects it, the unchecked read still
 * names the PV (so that the caller treats the device as a PV in doubt, not a blank disk);
 * a bad CRC or no label stays an error for both. */
static void test_read_unchecked(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	struct lvf_pv_header h, got;
	struct lvf_err e = { 0 };
	uint8_t *d;

	(void)state;
	assert_int_equal(lvf_bdev_mem_new(4 * MIB, &b), 0);
	d = lvf_bdev_mem_data(b);
	assert_int_equal(lvf_label_read_unchecked(b, &got, &e), -ENOENT);
	doc_header(&h, "0123456789abcdefghijABCDEFGHIJ#!", LVF_PV_EXT_USED);
	h.mda[0].size = 1ULL << 40;
	lvf_label_encode(&h, 1, d + 512);
	assert_int_equal(lvf_label_read(b, &got, NULL, &e), -EBADMSG);
	assert_non_null(strstr(e.message, "ends past the device size"));
	memset(&got, 0, sizeof(got));
	assert_int_equal(lvf_label_read_unchecked(b, &got, &e), 0);
	assert_memory_equal(got.uuid, h.uuid, 32);
	assert_int_equal(got.ext_flags, LVF_PV_EXT_USED);
	d[512 + 100] ^= 0xff;
	assert_int_equal(lvf_label_read_unchecked(b, &got, &e), -EBADMSG);
}

static void test_bootloader_and_two_mdas_roundtrip(void **state)
{
	struct lvf_pv_layout_params p = { .device_size = 100 * MIB,
					  .metadata_copies = 2,
					  .ba_size = 512 * 1024,
					  .page_size = 4096 };
	struct lvf_pv_layout l;
	struct lvf_pv_header h, d;
	uint8_t s[512];

	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	lvf_pv_header_init(&h, "abcdefghijklmnopqrstuvwxyz012345", 100 * MIB, &l, 1);
	assert_int_equal(h.n_mda, 2);
	assert_int_equal(h.n_ba, 1);
	lvf_label_encode(&h, 1, s);
	/* with two mdas the extension sits 16 bytes further down (pvck: 664 vs 648) */
	assert_int_equal(get_le32(s + 0x98), 2);
	assert_int_equal(lvf_label_decode(s, 512, 1, &d, NULL), 0);
	assert_memory_equal(&d, &h, sizeof(d));
}

static void test_layout_defaults(void **state)
{
	struct lvf_pv_layout l;
	struct lvf_pv_layout_params p = { .device_size = 100 * MIB,
					  .metadata_copies = 1,
					  .page_size = 4096 };

	/* lvm2-format.md 2.2 */
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.pe_start, MIB);
	assert_int_equal(l.n_mda, 1);
	assert_int_equal(l.mda[0].offset, 4096);
	assert_int_equal(l.mda[0].size, 1044480);
	assert_int_equal(l.ba.size, 0);

	p.metadata_copies = 2;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.n_mda, 2);
	assert_int_equal(l.mda[1].offset, 103809024);
	assert_int_equal(l.mda[1].size, 1048576);
	assert_int_equal(l.pe_start, MIB);

	p.metadata_copies = 0;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.n_mda, 0);
	assert_int_equal(l.pe_start, MIB);

	/* pvcreate --metadatasize 32k --dataalignment 64k */
	p.metadata_copies = 1;
	p.metadata_size = 32768;
	p.data_alignment = 65536;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.mda[0].offset, 4096);
	assert_int_equal(l.mda[0].size, 61440);
	assert_int_equal(l.pe_start, 128 * 512);

	/* --metadatasize is pushed up so the mda ends on the alignment */
	p.metadata_size = 2 * MIB;
	p.data_alignment = 0;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.mda[0].size, 3 * MIB - 4096);
	assert_int_equal(l.pe_start, 3 * MIB);

	/* 8 KiB pages: default mda 2032 sectors, still pe_start 1 MiB */
	p.metadata_size = 0;
	p.page_size = 8192;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.mda[0].offset, 8192);
	assert_int_equal(l.pe_start, MIB);
	p.page_size = 4096;

	/* bootloader area between mda0 and pe_start, rounded to the alignment */
	p.ba_size = 4096;
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.ba.offset, MIB);
	assert_int_equal(l.ba.size, MIB);
	assert_int_equal(l.pe_start, 2 * MIB);
	p.ba_size = 0;

	/* too small, bad parameters */
	p.device_size = 512 * 1024;
	assert_int_equal(lvf_pv_layout_default(&p, &l), -ENOSPC);
	p.device_size = 100 * MIB;
	p.metadata_copies = 3;
	assert_int_equal(lvf_pv_layout_default(&p, &l), -EINVAL);
	p.metadata_copies = 1;
	p.data_alignment = 1000;
	assert_int_equal(lvf_pv_layout_default(&p, &l), -EINVAL);
	/* an mda smaller than 8 pages is refused */
	p.data_alignment = 0;
	p.metadata_size = 4096;
	p.data_alignment = 8192;
	assert_int_equal(lvf_pv_layout_default(&p, &l), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_vectors_from_doc),
		cmocka_unit_test(test_golden_fixture),
		cmocka_unit_test(test_read_write_wipe),
		cmocka_unit_test(test_corruptions),
		cmocka_unit_test(test_read_unchecked),
		cmocka_unit_test(test_bootloader_and_two_mdas_roundtrip),
		cmocka_unit_test(test_layout_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
