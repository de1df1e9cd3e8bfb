/* Unit tests: lvmfmt/mda (mda header codec, circular text buffer, commit protocol). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc.h"
#include "util/endian.h"
#include "util/strbuf.h"
#include "lvmfmt/bdev.h"
#include "lvmfmt/label.h"
#include "lvmfmt/mda.h"
#include "lvftest.h"

#define MIB (1024ULL * 1024ULL)
#define FIX_MDA_START 4096ULL
#define FIX_MDA_SIZE 1044480ULL

static void reseal(uint8_t *s)
{
	put_le32(s, lvm_crc(LVM_INITIAL_CRC, s + 4, 508));
}

/* A mem bdev of 1 MiB holding the lvm2 fixture (the fixture mda ends at exactly 1 MiB). */
static struct lvf_bdev *fixture_bdev(uint8_t **ret_img)
{
	size_t len;
	uint8_t *img = lvftest_load_fixture(LVFTEST_PV_FIXTURE, &len);
	struct lvf_bdev *b;

	assert_int_equal(lvf_bdev_mem_new_from(MIB, img, len, &b), 0);
	if (ret_img)
		*ret_img = img;
	else
		free(img);
	return b;
}

static void test_doc_vectors(void **state)
{
	struct lvf_mda_header h = { .version = 1, .start = 4096, .size = 0xff000 }, d;
	uint8_t s[512];

	/* lvm2-format.md 1.3/1.4b: fresh orphan mda header */
	lvf_mda_header_encode(&h, s);
	assert_int_equal(get_le32(s), 0xdb8ed616U);
	assert_memory_equal(s + 4, LVF_MDA_MAGIC, 16);
	assert_int_equal(lvf_mda_header_decode(s, 512, 4096, 0xff000, &d, NULL), 0);
	assert_memory_equal(&d, &h, sizeof(h));

	/* 1.4c: in a VG, seqno 7 */
	h.slot[0] = (struct lvf_raw_locn){ 0x2600, 0x7ea, 0xe55868f9, 0 };
	lvf_mda_header_encode(&h, s);
	assert_int_equal(get_le32(s), 0x4bf97527U);
	assert_int_equal(lvf_mda_header_decode(s, 512, 4096, 0, &d, NULL), 0);
	assert_memory_equal(&d, &h, sizeof(h));
}

static void test_golden_fixture(void **state)
{
	uint8_t *img;
	_cleanup_bdev_ struct lvf_bdev *b = fixture_bdev(&img);
	_cleanup_free_ uint8_t *imgp = img;
	struct lvf_mda_header h;
	struct lvf_raw_locn l;
	struct lvf_err e = { 0 };
	_cleanup_free_ char *text = NULL;
	size_t len;
	uint8_t s[512];

	assert_int_equal(lvf_mda_header_decode(img + FIX_MDA_START, 512, FIX_MDA_START,
					       FIX_MDA_SIZE, &h, &e),
			 0);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.start, FIX_MDA_START);
	assert_int_equal(h.size, FIX_MDA_SIZE);
	assert_int_equal(h.slot[0].offset, 0x6200);
	assert_int_equal(h.slot[0].size, 0xba3);
	assert_int_equal(h.slot[0].checksum, 0xe5ef454dU);
	assert_int_equal(h.slot[0].flags, 0);
	assert_true(lvf_raw_locn_is_empty(&h.slot[1]));
	lvf_mda_header_encode(&h, s);
	assert_memory_equal(s, img + FIX_MDA_START, 512);

	struct lvf_mda_ref ref = { b, FIX_MDA_START, FIX_MDA_SIZE, false };
	assert_int_equal(lvf_mda_read_text(&ref, &text, &len, &l, &e), 0);
	assert_int_equal(len, 0xba2);
	assert_int_equal(strlen(text), 0xba2);
	assert_memory_equal(text, "docker {\nid = ", 14);
	assert_non_null(strstr(text, "seqno = 12\n"));
	assert_memory_equal(&l, &h.slot[0], sizeof(l));

	/* lvm2 would put the next copy at round_up(0x6200 + 0xba3, 512) */
	assert_int_equal(lvf_mda_next_offset(&h), 0x6e00);
}

static void expect_hdr_bad(const uint8_t *s, uint64_t start, uint64_t size, const char *needle)
{
	struct lvf_mda_header h;
	struct lvf_err e = { 0 };

	memset(&h, 0x5a, sizeof(h));
	assert_int_equal(lvf_mda_header_decode(s, 512, start, size, &h, &e), -EBADMSG);
	if (!strstr(e.message, needle)) {
		print_error("message \"%s\" lacks \"%s\"\n", e.message, needle);
		fail();
	}
	for (size_t i = 0; i < sizeof(h); i++)
		assert_int_equal(((uint8_t *)&h)[i], 0x5a);
}

static void test_header_corruptions(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *img = lvftest_load_fixture(LVFTEST_PV_FIXTURE, &len);
	const uint8_t *good = img + FIX_MDA_START;
	struct lvf_mda_header h;
	uint8_t s[512];

	assert_int_equal(lvf_mda_header_decode(good, 100, FIX_MDA_START, 0, &h, NULL), -EBADMSG);

	memcpy(s, good, 512);
	s[400] = 1;
	expect_hdr_bad(s, FIX_MDA_START, 0, "checksum");

	memcpy(s, good, 512);
	s[5] = 'l';
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "magic");

	memcpy(s, good, 512);
	put_le32(s + 20, 2);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "version");

	memcpy(s, good, 512);
	expect_hdr_bad(s, 8192, 0, "start");

	memcpy(s, good, 512);
	expect_hdr_bad(s, FIX_MDA_START, FIX_MDA_SIZE + 512, "size");

	memcpy(s, good, 512);
	put_le64(s + 32, 512);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "out of range");

	/* slot 0 offset inside the header sector */
	memcpy(s, good, 512);
	put_le64(s + 40, 100);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "outside the metadata buffer");

	/* slot 0 offset past the area end */
	memcpy(s, good, 512);
	put_le64(s + 40, FIX_MDA_SIZE);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "outside the metadata buffer");

	/* slot 0 size larger than the buffer */
	memcpy(s, good, 512);
	put_le64(s + 48, FIX_MDA_SIZE);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "does not fit");

	/* offset set, size 0 */
	memcpy(s, good, 512);
	put_le64(s + 48, 0);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "does not fit");

	/* a wrapped copy longer than the buffer would overlap itself */
	memcpy(s, good, 512);
	put_le64(s + 40, 2048);
	put_le64(s + 48, FIX_MDA_SIZE - 511);
	reseal(s);
	expect_hdr_bad(s, FIX_MDA_START, 0, "does not fit");
	/* the longest legal wrapped copy is accepted by the header check */
	memcpy(s, good, 512);
	put_le64(s + 40, 2048);
	put_le64(s + 48, FIX_MDA_SIZE - 512);
	reseal(s);
	assert_int_equal(lvf_mda_header_decode(s, 512, FIX_MDA_START, 0, &h, NULL), 0);

	/* IGNORED slot 0 is not checked (stale offsets are normal there) */
	memcpy(s, good, 512);
	put_le64(s + 40, 1);
	put_le32(s + 60, LVF_RAW_LOCN_IGNORED);
	reseal(s);
	assert_int_equal(lvf_mda_header_decode(s, 512, FIX_MDA_START, 0, &h, NULL), 0);
}

/* Write @text as slot 0 of the fixture's mda at @off, with a correct or given CRC. */
static void plant_text(struct lvf_bdev *b, uint64_t off, const void *text, size_t len,
		       const uint32_t *crc)
{
	struct lvf_mda_ref ref = { b, FIX_MDA_START, FIX_MDA_SIZE, false };
	struct lvf_mda_header h;
	uint8_t *d = lvf_bdev_mem_data(b);
	size_t first = len;

	if (off + len > FIX_MDA_SIZE)
		first = (size_t)(FIX_MDA_SIZE - off);
	memcpy(d + FIX_MDA_START + off, text, first);
	memcpy(d + FIX_MDA_START + 512, (const uint8_t *)text + first, len - first);
	assert_int_equal(lvf_mda_read_header(&ref, &h, NULL), 0);
	h.slot[0].offset = off;
	h.slot[0].size = len;
	h.slot[0].checksum = crc ? *crc : lvm_crc(LVM_INITIAL_CRC, text, len);
	assert_int_equal(lvf_mda_write_header(&ref, &h), 0);
}

static void expect_text_bad(struct lvf_bdev *b, int err, const char *needle)
{
	struct lvf_mda_ref ref = { b, FIX_MDA_START, FIX_MDA_SIZE, false };
	struct lvf_err e = { 0 };
	char *text = (char *)0x1;
	size_t len = 77;

	assert_int_equal(lvf_mda_read_text(&ref, &text, &len, NULL, &e), err);
	if (!strstr(e.message, needle)) {
		print_error("message \"%s\" lacks \"%s\"\n", e.message, needle);
		fail();
	}
	assert_ptr_equal(text, (char *)0x1);
	assert_int_equal(len, 77);
}

static void test_text_corruptions(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b = fixture_bdev(NULL);
	struct lvf_mda_ref ref = { b, FIX_MDA_START, FIX_MDA_SIZE, false };
	static const char good[] = "vg0 {\nid = \"x\"\nseqno = 1\n}\n";
	_cleanup_free_ char *text = NULL;
	size_t len;
	uint32_t crc;

	/* a wrapped copy reads back whole */
	plant_text(b, FIX_MDA_SIZE - 10, good, sizeof(good), NULL);
	assert_int_equal(lvf_mda_read_text(&ref, &text, &len, NULL, NULL), 0);
	assert_string_equal(text, good);

	plant_text(b, 512, good, sizeof(good), NULL);
	lvf_bdev_mem_data(b)[FIX_MDA_START + 512 + 3] = '\t';
	expect_text_bad(b, -EBADMSG, "checksum");

	/* no NUL: CRC right, last byte not 0 */
	plant_text(b, 512, good, sizeof(good) - 1, NULL);
	expect_text_bad(b, -EBADMSG, "NUL");

	/* leading comment / blank line / bad name: lvm2 rejects these */
	plant_text(b, 512, "# c\nvg0 {\n}\n", 13, NULL);
	expect_text_bad(b, -EBADMSG, "VG name");
	plant_text(b, 512, "\nvg0 {\n}\n", 10, NULL);
	expect_text_bad(b, -EBADMSG, "VG name");
	plant_text(b, 512, "-vg {\n}\n", 9, NULL);
	expect_text_bad(b, -EBADMSG, "VG name");
	plant_text(b, 512, "vg0", 4, NULL);
	expect_text_bad(b, -EBADMSG, "VG name");
	plant_text(b, 512, "vg/0 {\n}\n", 10, NULL);
	expect_text_bad(b, -EBADMSG, "VG name");
	plant_text(b, 512, "vg0{\n}\n", 8, NULL);
	free(text);
	text = NULL;
	assert_int_equal(lvf_mda_read_text(&ref, &text, &len, NULL, NULL), 0);

	/* oversize: fits the buffer but exceeds what one copy may use */
	size_t big = (size_t)lvf_mda_max_text_size(FIX_MDA_SIZE) + 1;
	_cleanup_free_ char *bigtext = malloc(big);
	memset(bigtext, 'x', big);
	memcpy(bigtext, "vg0 {", 5);
	bigtext[big - 1] = 0;
	plant_text(b, 512, bigtext, big, NULL);
	expect_text_bad(b, -EBADMSG, "exceeds");

	/* wrong checksum in the header */
	crc = 1234;
	plant_text(b, 512, good, sizeof(good), &crc);
	expect_text_bad(b, -EBADMSG, "checksum");

	/* empty slot, ignored slot */
	struct lvf_mda_header h;
	assert_int_equal(lvf_mda_read_header(&ref, &h, NULL), 0);
	h.slot[0].flags = LVF_RAW_LOCN_IGNORED;
	assert_int_equal(lvf_mda_write_header(&ref, &h), 0);
	expect_text_bad(b, -ENODATA, "ignored");
	h.slot[0] = (struct lvf_raw_locn){ 0 };
	assert_int_equal(lvf_mda_write_header(&ref, &h), 0);
	expect_text_bad(b, -ENODATA, "no metadata");

	/* a header read from the wrong place */
	struct lvf_mda_ref wrong = { b, 8192, FIX_MDA_SIZE - 4096, false };
	assert_int_equal(lvf_mda_read_text(&wrong, &text, &len, NULL, NULL), -EBADMSG);
}

static void test_next_offset(void **state)
{
	struct lvf_mda_header h = { .version = 1, .start = 4096, .size = 61440 };

	assert_int_equal(lvf_mda_next_offset(&h), 512);
	h.slot[0] = (struct lvf_raw_locn){ 512, 1027, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 2048); /* doc 3.6 */
	h.slot[0].flags = LVF_RAW_LOCN_IGNORED;
	assert_int_equal(lvf_mda_next_offset(&h), 512);
	/* doc 3.2: {56320, 7961} wraps 2841 bytes to 512; next at 3584 */
	h.slot[0] = (struct lvf_raw_locn){ 56320, 7961, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 3584);
	/* copy ending exactly on a 512 boundary: next starts right there */
	h.slot[0] = (struct lvf_raw_locn){ 512, 512, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 1024);
	/* ending in the last sector: fewer than 512 bytes left -> back to 512 */
	h.slot[0] = (struct lvf_raw_locn){ 60416, 1000, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 512);
	/* ending exactly at the area end (old_last = size - 1): size - old_last = 1 < 512 */
	h.slot[0] = (struct lvf_raw_locn){ 60416, 1024, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 512);
	/* next start would be exactly size - 512: allowed */
	h.slot[0] = (struct lvf_raw_locn){ 59904, 512, 0, 0 };
	assert_int_equal(lvf_mda_next_offset(&h), 60416);
	assert_int_equal(lvf_mda_max_text_size(1044480), 521472);
	assert_int_equal(lvf_mda_max_text_size(61440), 29952);
}

static char *make_text(unsigned seqno, size_t pad)
{
	struct strbuf sb = { 0 };

	strbuf_appendf(&sb, "vg0 {\nid = \"abc\"\nseqno = %u\n", seqno);
	for (size_t i = 0; i < pad; i++)
		strbuf_appendc(&sb, (char)('a' + (seqno + i) % 26));
	strbuf_append(&sb, "\n}\n");
	assert_true(strbuf_ok(&sb));
	return strbuf_steal(&sb);
}

/* Independent model of lvm2's placement rule (lvm2-format.md 3.2). */
static uint64_t model_next(uint64_t size, uint64_t off, uint64_t len)
{
	uint64_t last;

	if (!off && !len)
		return 512;
	last = off + len > size ? off + len - size + 512 - 1 : off + len - 1;
	if (size - last < 512)
		return 512;
	uint64_t n = (last + 1 + 511) / 512 * 512;
	return n > size - 512 ? 512 : n;
}

static void test_circular_wrap(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b = NULL;
	struct lvf_mda_ref ref = { NULL, 4096, 61440, false };
	struct lvf_err e = { 0 };
	uint64_t off = 0, len = 0;
	unsigned wraps = 0, restarts = 0;

	assert_int_equal(lvf_bdev_mem_new(128 * 1024, &b), 0);
	ref.bdev = b;
	assert_int_equal(lvf_mda_init(&ref), 0);

	for (unsigned seq = 1; seq <= 200; seq++) {
		_cleanup_free_ char *t = make_text(seq, (seq * 977) % 9000);
		_cleanup_free_ char *back = NULL;
		struct lvf_raw_locn l;
		size_t blen;

		uint64_t expect = model_next(61440, off, len);
		int r = lvf_mdas_commit(&ref, 1, t, strlen(t) + 1, &e);
		if (r < 0)
			print_error("seq %u: %s\n", seq, e.message);
		assert_int_equal(r, 0);
		assert_int_equal(lvf_mda_read_text(&ref, &back, &blen, &l, &e), 0);
		assert_string_equal(back, t);
		assert_int_equal(blen, strlen(t));
		assert_int_equal(l.offset, expect);
		if (l.offset + l.size > 61440)
			wraps++;
		if (l.offset == 512 && seq > 1 && off + len <= 61440)
			restarts++;
		off = l.offset;
		len = l.size;

		struct lvf_mda_header h;
		assert_int_equal(lvf_mda_read_header(&ref, &h, NULL), 0);
		assert_true(lvf_raw_locn_is_empty(&h.slot[1]));
	}
	assert_true(wraps > 5);
	assert_true(restarts >= 1);

	/* too large for this area */
	size_t big = (size_t)lvf_mda_max_text_size(61440) + 1;
	_cleanup_free_ char *bt = malloc(big);
	memset(bt, 'x', big);
	memcpy(bt, "vg0 {", 5);
	bt[big - 1] = 0;
	assert_int_equal(lvf_mdas_commit(&ref, 1, bt, big, &e), -ENOSPC);
	assert_non_null(strstr(e.message, "too large"));
	/* exactly the limit works */
	bt[big - 2] = 0;
	assert_int_equal(lvf_mdas_commit(&ref, 1, bt, big - 1, &e), 0);

	/* the text written is zero-padded to 512 after its end */
	_cleanup_free_ char *t = make_text(999, 10);
	size_t tl = strlen(t) + 1;
	struct lvf_raw_locn l;
	memset(lvf_bdev_mem_data(b) + 4096 + 512, 0xee, 61440 - 512);
	assert_int_equal(lvf_mdas_commit(&ref, 1, t, tl, &e), 0);
	char *dummy = NULL;
	assert_int_equal(lvf_mda_read_text(&ref, &dummy, NULL, &l, NULL), 0);
	free(dummy);
	const uint8_t *p = lvf_bdev_mem_data(b) + 4096 + l.offset;
	for (size_t i = tl; i < 512 - (l.offset + tl) % 512 + tl && (l.offset + tl) % 512; i++)
		assert_int_equal(p[i], 0);

	/* bad input */
	assert_int_equal(lvf_mdas_commit(&ref, 1, "vg0 {", 5, NULL), -EINVAL);
	assert_int_equal(lvf_mdas_commit(&ref, 1, "# x\nvg0 {", 10, NULL), -EINVAL);
}

/* ---- crash consistency on 2 PVs x 2 mdas ---- */

#define NPV 2
#define PV_SIZE (4 * MIB)

struct rig {
	struct lvf_bdev *pv[NPV];
	struct lvf_mda_ref mdas[NPV * 2];
	struct lvf_write_counter counter;
};

static void rig_setup(struct rig *r)
{
	struct lvf_pv_layout_params p = { .device_size = PV_SIZE,
					  .metadata_copies = 2,
					  .metadata_size = 64 * 1024,
					  .data_alignment = 64 * 1024,
					  .page_size = 4096 };
	struct lvf_pv_layout l;

	memset(r, 0, sizeof(*r));
	assert_int_equal(lvf_pv_layout_default(&p, &l), 0);
	assert_int_equal(l.n_mda, 2);
	for (int i = 0; i < NPV; i++) {
		assert_int_equal(lvf_bdev_mem_new(PV_SIZE, &r->pv[i]), 0);
		lvf_bdev_mem_set_counter(r->pv[i], &r->counter);
		for (int m = 0; m < 2; m++) {
			struct lvf_mda_ref *ref = &r->mdas[i * 2 + m];
			*ref = (struct lvf_mda_ref){ r->pv[i], l.mda[m].offset, l.mda[m].size,
						     false };
			assert_int_equal(lvf_mda_init(ref), 0);
		}
	}
}

static void rig_free(struct rig *r)
{
	for (int i = 0; i < NPV; i++)
		lvf_bdev_free(r->pv[i]);
}

static void rig_save(struct rig *r, uint8_t **snap)
{
	for (int i = 0; i < NPV; i++) {
		snap[i] = malloc(PV_SIZE);
		assert_non_null(snap[i]);
		memcpy(snap[i], lvf_bdev_mem_data(r->pv[i]), PV_SIZE);
	}
}

static void rig_restore(struct rig *r, uint8_t **snap)
{
	for (int i = 0; i < NPV; i++)
		memcpy(lvf_bdev_mem_data(r->pv[i]), snap[i], PV_SIZE);
	r->counter = (struct lvf_write_counter){ 0 };
}

/* Every area reads back as exactly @a or @b; returns how many read @b. */
static int rig_check(struct rig *r, const char *a, const char *b)
{
	int nb = 0;

	for (size_t i = 0; i < NPV * 2; i++) {
		_cleanup_free_ char *t = NULL;
		struct lvf_err e = { 0 };
		size_t len;
		int rc = lvf_mda_read_text(&r->mdas[i], &t, &len, NULL, &e);

		if (rc < 0) {
			print_error("mda %zu: %s\n", i, e.message);
			fail();
		}
		if (streq(t, b))
			nb++;
		else if (!streq(t, a))
			fail_msg("mda %zu reads neither old nor new text", i);
	}
	return nb;
}

static void crash_at_every_write(unsigned prior_commits)
{
	struct rig r;
	uint8_t *snap[NPV];
	_cleanup_free_ char *old = NULL, *new = NULL, *newer = NULL;
	struct lvf_err e = { 0 };
	unsigned total;

	rig_setup(&r);
	for (unsigned i = 1; i <= prior_commits; i++) {
		_cleanup_free_ char *t = make_text(i, (i * 1301) % 7000);
		assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t, strlen(t) + 1, &e), 0);
	}
	old = make_text(prior_commits + 1, 5000);
	new = make_text(prior_commits + 2, 6500);
	newer = make_text(prior_commits + 3, 100);
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, old, strlen(old) + 1, &e), 0);
	rig_save(&r, snap);

	/* how many writes does one commit take? */
	r.counter = (struct lvf_write_counter){ 0 };
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, new, strlen(new) + 1, &e), 0);
	total = r.counter.writes;
	assert_true(total >= 3 * NPV * 2); /* text + precommit + commit per area */
	assert_int_equal(rig_check(&r, old, new), NPV * 2);

	for (unsigned k = 1; k <= total; k++) {
		for (int crash = 0; crash <= 1; crash++) {
			rig_restore(&r, snap);
			r.counter.fail_at = k;
			r.counter.crash = crash;
			int rc = lvf_mdas_commit(r.mdas, NPV * 2, new, strlen(new) + 1, &e);
			if (crash)
				assert_int_equal(rc, 0); /* a crash is silent */
			else
				assert_int_equal(rc, -EIO);
			r.counter.fail_at = 0;
			r.counter.crashed = false;

			int nb = rig_check(&r, old, new);
			/* before the commit stage nothing may have switched */
			if (k <= total - NPV * 2 + 1)
				assert_int_equal(nb, 0);
			/* an explicit failure leaves no precommit behind */
			if (!crash) {
				for (size_t i = 0; i < NPV * 2; i++) {
					struct lvf_mda_header h;
					assert_int_equal(lvf_mda_read_header(&r.mdas[i], &h, NULL),
							 0);
					assert_true(lvf_raw_locn_is_empty(&h.slot[1]));
				}
			}
			/* and the next commit repairs everything */
			assert_int_equal(
				lvf_mdas_commit(r.mdas, NPV * 2, newer, strlen(newer) + 1, &e), 0);
			assert_int_equal(rig_check(&r, newer, newer), NPV * 2);
		}
	}
	for (int i = 0; i < NPV; i++)
		free(snap[i]);
	rig_free(&r);
}

static void test_crash_fresh(void **state)
{
	crash_at_every_write(0);
}

static void test_crash_wrapping(void **state)
{
	/* enough prior copies that old/new wrap around the 64 KiB areas at some point */
	for (unsigned prior = 3; prior <= 12; prior++)
		crash_at_every_write(prior);
}

static void test_ignored_and_clear(void **state)
{
	struct rig r;
	struct lvf_err e = { 0 };
	_cleanup_free_ char *t1 = make_text(1, 10), *t2 = make_text(2, 20), *t3 = make_text(3, 30),
			    *t4 = make_text(4, 40);
	struct lvf_mda_header h;
	char *back = NULL;
	size_t len;

	rig_setup(&r);
	assert_int_equal(lvf_mdas_commit(r.mdas, 4, t1, strlen(t1) + 1, &e), 0);
	assert_int_equal(lvf_mdas_commit(r.mdas, 4, t2, strlen(t2) + 1, &e), 0);
	assert_int_equal(rig_check(&r, t2, t2), 4);

	/* metadataignore on PV1's second mda: text untouched, slot 0 keeps offsets + flag */
	r.mdas[3].ignored = true;
	uint64_t before = lvf_bdev_mem_counter(r.pv[1])->writes;
	assert_int_equal(lvf_mdas_commit(r.mdas, 4, t3, strlen(t3) + 1, &e), 0);
	assert_int_equal(lvf_mda_read_header(&r.mdas[3], &h, NULL), 0);
	assert_true(h.slot[0].flags & LVF_RAW_LOCN_IGNORED);
	assert_int_not_equal(h.slot[0].offset, 0);
	assert_int_equal(lvf_mda_read_text(&r.mdas[3], &back, &len, NULL, &e), -ENODATA);
	assert_non_null(strstr(e.message, "ignored"));
	/* 3 areas x (text, precommit, commit) + 1 header rewrite of the ignored one */
	assert_int_equal(lvf_bdev_mem_counter(r.pv[1])->writes - before, 3 * 3 + 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(lvf_mda_read_text(&r.mdas[i], &back, &len, NULL, &e), 0);
		assert_string_equal(back, t3);
		free(back);
		back = NULL;
	}

	/* un-ignore: the next copy starts at 512 again, as lvm2 does */
	r.mdas[3].ignored = false;
	assert_int_equal(lvf_mdas_commit(r.mdas, 4, t4, strlen(t4) + 1, &e), 0);
	assert_int_equal(lvf_mda_read_header(&r.mdas[3], &h, NULL), 0);
	assert_int_equal(h.slot[0].offset, 512);
	assert_int_equal(h.slot[0].flags, 0);
	assert_int_equal(rig_check(&r, t4, t4), 4);

	/* vgremove: slots cleared, text left in the buffer */
	r.mdas[2].ignored = true;
	assert_int_equal(lvf_mdas_clear(r.mdas, 4, &e), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(lvf_mda_read_header(&r.mdas[i], &h, NULL), 0);
		assert_int_equal(h.slot[0].offset, 0);
		assert_int_equal(h.slot[0].size, 0);
		assert_int_equal(h.slot[0].flags, i == 2 ? LVF_RAW_LOCN_IGNORED : 0);
		assert_true(lvf_raw_locn_is_empty(&h.slot[1]));
	}
	assert_int_equal(lvf_mda_read_text(&r.mdas[0], &back, &len, NULL, &e), -ENODATA);
	assert_non_null(memmem(lvf_bdev_mem_data(r.pv[0]) + r.mdas[0].start, r.mdas[0].size, t4,
			       strlen(t4)));

	/* clearing rewrites a corrupt header instead of failing */
	lvf_bdev_mem_data(r.pv[0])[r.mdas[0].start + 100] ^= 1;
	assert_int_equal(lvf_mda_read_header(&r.mdas[0], &h, NULL), -EBADMSG);
	r.mdas[2].ignored = false;
	assert_int_equal(lvf_mdas_clear(r.mdas, 4, &e), 0);
	assert_int_equal(lvf_mda_read_header(&r.mdas[0], &h, NULL), 0);

	/* a commit refuses to start when a header is bad, and writes nothing */
	lvf_bdev_mem_data(r.pv[1])[r.mdas[3].start + 7] ^= 1;
	before = r.counter.writes;
	assert_int_equal(lvf_mdas_commit(r.mdas, 4, t1, strlen(t1) + 1, &e), -EBADMSG);
	assert_int_equal(r.counter.writes, before);
	rig_free(&r);
}

/* ---- staged commit (the monitor's fast path) ---- */

static void stage(struct rig *r, const char *t, struct lvf_raw_locn *base, struct lvf_raw_locn *st)
{
	struct lvf_err e = { 0 };
	assert_int_equal(lvf_mdas_stage(r->mdas, NPV * 2, t, strlen(t) + 1, base, st, &e), 0);
}

static void test_staged_commit(void **state)
{
	struct rig r;
	struct lvf_err e = { 0 };
	struct lvf_raw_locn base[NPV * 2], st[NPV * 2];
	uint8_t *snap[NPV];
	_cleanup_free_ char *t1 = make_text(1, 3000), *t2 = make_text(2, 3100),
			    *t3 = make_text(3, 200), *t4 = make_text(4, 5000);
	unsigned writes;

	rig_setup(&r);
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t1, strlen(t1) + 1, &e), 0);

	/* staging writes the text only: every reader still sees t1 */
	stage(&r, t2, base, st);
	assert_int_equal(rig_check(&r, t1, t2), 0);
	for (int i = 0; i < NPV * 2; i++) {
		struct lvf_mda_header h;
		assert_int_equal(lvf_mda_read_header(&r.mdas[i], &h, NULL), 0);
		assert_memory_equal(&h.slot[0], &base[i], sizeof(base[i]));
		assert_true(lvf_raw_locn_is_empty(&h.slot[1]));
		assert_int_equal(st[i].offset, lvf_mda_next_offset(&h));
	}
	/* the commit is one header write per area */
	r.counter = (struct lvf_write_counter){ 0 };
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e), 0);
	assert_int_equal(r.counter.writes, NPV * 2);
	assert_int_equal(rig_check(&r, t1, t2), NPV * 2);
	/* committing the same stage twice is refused (slot 0 moved) */
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e), -ESTALE);
	assert_int_equal(rig_check(&r, t1, t2), NPV * 2);

	/* another writer committed in between: stale, nothing written */
	stage(&r, t3, base, st);
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t4, strlen(t4) + 1, &e), 0);
	writes = r.counter.writes;
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e), -ESTALE);
	assert_non_null(strstr(e.message, "changed since"));
	assert_int_equal(r.counter.writes, writes);
	assert_int_equal(rig_check(&r, t4, t4), NPV * 2);

	/* a writer that placed its text over ours and crashed before its headers: the
	 * headers are unchanged but the staged copy is gone: stale */
	stage(&r, t3, base, st);
	r.counter = (struct lvf_write_counter){ .fail_at = NPV * 2 + 1 }; /* its text, then power lost */
	r.counter.crash = true;
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t2, strlen(t2) + 1, &e), 0);
	r.counter.fail_at = 0;
	r.counter.crashed = false;
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e), -ESTALE);
	assert_non_null(strstr(e.message, "overwritten"));
	assert_int_equal(rig_check(&r, t4, t4), NPV * 2);

	/* crash at every write of a staged commit: each area reads old or new, never
	 * anything else, and the next ordinary commit repairs all */
	stage(&r, t3, base, st);
	rig_save(&r, snap);
	for (unsigned k = 1; k <= NPV * 2; k++) {
		for (int crash = 0; crash <= 1; crash++) {
			rig_restore(&r, snap);
			r.counter.fail_at = k;
			r.counter.crash = crash;
			int rc = lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e);
			assert_int_equal(rc, crash ? 0 : -EIO);
			r.counter.fail_at = 0;
			r.counter.crashed = false;
			assert_int_equal(rig_check(&r, t4, t3), (int)k - 1);
			assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t1, strlen(t1) + 1, &e), 0);
			assert_int_equal(rig_check(&r, t1, t1), NPV * 2);
		}
	}
	/* an ignored area keeps its header untouched */
	r.mdas[3].ignored = true;
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t2, strlen(t2) + 1, &e), 0);
	stage(&r, t3, base, st);
	r.counter = (struct lvf_write_counter){ 0 };
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, true, &e), 0);
	assert_int_equal(r.counter.writes, NPV * 2 - 1);
	{
		struct lvf_mda_header h;
		assert_int_equal(lvf_mda_read_header(&r.mdas[3], &h, NULL), 0);
		assert_memory_equal(&h.slot[0], &base[3], sizeof(base[3]));
	}
	/* without the flush: the same header writes (the caller flushes later) */
	r.mdas[3].ignored = false;
	assert_int_equal(lvf_mdas_commit(r.mdas, NPV * 2, t1, strlen(t1) + 1, &e), 0);
	stage(&r, t2, base, st);
	r.counter = (struct lvf_write_counter){ 0 };
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, NPV * 2, base, st, false, &e), 0);
	assert_int_equal(r.counter.writes, NPV * 2);
	assert_int_equal(rig_check(&r, t1, t2), NPV * 2);
	/* bad input */
	assert_int_equal(lvf_mdas_stage(r.mdas, 1, "vg0 {", 5, base, st, NULL), -EINVAL);
	assert_int_equal(lvf_mdas_commit_staged(r.mdas, 1, NULL, st, true, NULL), -EINVAL);
	for (int i = 0; i < NPV; i++)
		free(snap[i]);
	rig_free(&r);
}

/* lvf_mdas_fit (issue 13): the tightest non-ignored area decides; over half of its largest copy
 * is OVER_HALF, over the largest copy TOO_LARGE; and a commit that does not fit leaves every
 * byte of every device as it was. */
static void test_mdas_fit(void **state)
{
	_cleanup_bdev_ struct lvf_bdev *b1 = NULL, *b2 = NULL;
	struct lvf_mda_ref refs[2] = { { NULL, 4096, 1048576, false }, { NULL, 4096, 61440, false } };
	struct lvf_err e = { 0 };
	uint64_t small = lvf_mda_max_text_size(61440), large = lvf_mda_max_text_size(1048576);
	uint64_t max = 0;
	size_t idx = 9;

	assert_int_equal(lvf_bdev_mem_new(2 * 1048576, &b1), 0);
	assert_int_equal(lvf_bdev_mem_new(128 * 1024, &b2), 0);
	refs[0].bdev = b1;
	refs[1].bdev = b2;
	assert_int_equal(lvf_mda_init(&refs[0]), 0);
	assert_int_equal(lvf_mda_init(&refs[1]), 0);

	assert_int_equal(lvf_mdas_fit(refs, 2, 100, &idx, &max), LVF_MDA_FITS);
	assert_int_equal(idx, 1);
	assert_int_equal(max, small);
	assert_int_equal(lvf_mdas_fit(refs, 2, small / 2, NULL, NULL), LVF_MDA_FITS);
	assert_int_equal(lvf_mdas_fit(refs, 2, small / 2 + 1, NULL, NULL), LVF_MDA_OVER_HALF);
	assert_int_equal(lvf_mdas_fit(refs, 2, small, NULL, NULL), LVF_MDA_OVER_HALF);
	assert_int_equal(lvf_mdas_fit(refs, 2, small + 1, &idx, NULL), LVF_MDA_TOO_LARGE);
	assert_int_equal(idx, 1);
	/* an ignored area takes no text: the other one decides */
	refs[1].ignored = true;
	assert_int_equal(lvf_mdas_fit(refs, 2, small + 1, &idx, &max), LVF_MDA_FITS);
	assert_int_equal(idx, 0);
	assert_int_equal(max, large);
	assert_int_equal(lvf_mdas_fit(refs, 2, large / 2 + 1, NULL, NULL), LVF_MDA_OVER_HALF);
	refs[1].ignored = false;
	/* no area at all: nothing fits */
	assert_int_equal(lvf_mdas_fit(refs, 0, 1, NULL, &max), LVF_MDA_FITS);
	assert_int_equal(max, 0);

	/* a text that fits the large area but not the small one: refused, nothing written */
	size_t big = (size_t)small + 1;
	_cleanup_free_ char *bt = malloc(big);
	assert_non_null(bt);
	memset(bt, 'x', big);
	memcpy(bt, "vg0 {", 5);
	bt[big - 1] = 0;
	_cleanup_free_ uint8_t *before1 = malloc(2 * 1048576), *before2 = malloc(128 * 1024);
	assert_non_null(before1);
	assert_non_null(before2);
	memcpy(before1, lvf_bdev_mem_data(b1), 2 * 1048576);
	memcpy(before2, lvf_bdev_mem_data(b2), 128 * 1024);
	unsigned w1 = lvf_bdev_mem_counter(b1)->writes, w2 = lvf_bdev_mem_counter(b2)->writes;
	assert_int_equal(lvf_mdas_fit(refs, 2, big, NULL, NULL), LVF_MDA_TOO_LARGE);
	assert_int_equal(lvf_mdas_commit(refs, 2, bt, big, &e), -ENOSPC);
	assert_int_equal(lvf_bdev_mem_counter(b1)->writes, w1);
	assert_int_equal(lvf_bdev_mem_counter(b2)->writes, w2);
	assert_memory_equal(before1, lvf_bdev_mem_data(b1), 2 * 1048576);
	assert_memory_equal(before2, lvf_bdev_mem_data(b2), 128 * 1024);
	/* the largest text that fits both is committed to both */
	bt[small - 1] = 0;
	assert_int_equal(lvf_mdas_fit(refs, 2, small, NULL, NULL), LVF_MDA_OVER_HALF);
	assert_int_equal(lvf_mdas_commit(refs, 2, bt, small, &e), 0);
	char *back = NULL;
	assert_int_equal(lvf_mda_read_text(&refs[1], &back, NULL, NULL, NULL), 0);
	assert_int_equal(strlen(back), small - 1);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_vectors),
		cmocka_unit_test(test_golden_fixture),
		cmocka_unit_test(test_header_corruptions),
		cmocka_unit_test(test_text_corruptions),
		cmocka_unit_test(test_next_offset),
		cmocka_unit_test(test_circular_wrap),
		cmocka_unit_test(test_crash_fresh),
		cmocka_unit_test(test_crash_wrapping),
		cmocka_unit_test(test_ignored_and_clear),
		cmocka_unit_test(test_staged_commit),
		cmocka_unit_test(test_mdas_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
