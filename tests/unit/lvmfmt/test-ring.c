/* Unit tests: lvmfmt/ring (metadata copies found in an mda buffer without its header). */
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
#include "lvmfmt/ring.h"

#define AREA 8192U
#define VGID "Abcdef-0123-4567-89ab-cdef-0123-456789"

/* a text as lvm2 writes it, at @off of @a (wrapping to 512 past the end) */
static size_t put_text(uint8_t *a, size_t off, const char *vg, const char *id, unsigned seqno,
		       const char *body)
{
	char t[2048];
	int n = snprintf(t, sizeof(t), "%s {\nid = \"%s\"\nseqno = %u\n%s}\n\n", vg, id, seqno,
			 body);
	size_t len = (size_t)n + 1; /* with the NUL */

	for (size_t i = 0; i < len; i++) {
		size_t p = off + i;
		if (p >= AREA)
			p = p - AREA + 512;
		a[p] = (uint8_t)(i < (size_t)n ? t[i] : 0);
	}
	return (size_t)n;
}

static void test_finds_copies_in_order(void **state)
{
	uint8_t *a = calloc(1, AREA);
	struct lvf_ring_copy c[8];
	size_t n1 = put_text(a, 512, "vg0", VGID, 1, "format = \"lvm2\"\n");
	size_t n2 = put_text(a, 1536, "vg0", VGID, 2, "format = \"lvm2\"\nx = 1\n");
	char *t = NULL;

	(void)state;
	assert_int_equal(lvf_ring_find(a, AREA, c, 8), 2);
	assert_int_equal(c[0].offset, 512);
	assert_int_equal(c[0].len, n1);
	assert_int_equal(c[0].seqno, 1);
	assert_string_equal(c[0].vgname, "vg0");
	assert_string_equal(c[0].vgid, "Abcdef0123456789abcdef0123456789");
	assert_int_equal(c[1].offset, 1536);
	assert_int_equal(c[1].len, n2);
	assert_int_equal(c[1].checksum, lvm_crc(LVM_INITIAL_CRC, a + 1536, n2 + 1));
	assert_int_equal(lvf_ring_pick(c, 2, NULL), 1);
	assert_int_equal(lvf_ring_copy_text(a, AREA, &c[1], &t), 0);
	assert_memory_equal(t, a + 1536, n2 + 1);
	free(t);
	free(a);
}

static void test_wrapped_copy(void **state)
{
	uint8_t *a = calloc(1, AREA);
	struct lvf_ring_copy c[4];
	char body[600], *t = NULL, want[2048];
	size_t n;

	(void)state;
	memset(body, 'a', sizeof(body) - 2);
	body[0] = '#';
	body[sizeof(body) - 2] = '\n';
	body[sizeof(body) - 1] = '\0';
	/* starts 512 bytes before the end: runs over the end into the start of the buffer */
	n = put_text(a, AREA - 512, "vg1", VGID, 7, body);
	assert_true(n > 512);
	assert_int_equal(lvf_ring_find(a, AREA, c, 4), 1);
	assert_int_equal(c[0].offset, AREA - 512);
	assert_int_equal(c[0].len, n);
	assert_int_equal(lvf_ring_copy_text(a, AREA, &c[0], &t), 0);
	snprintf(want, sizeof(want), "vg1 {\nid = \"%s\"\nseqno = 7\n%s}\n\n", VGID, body);
	assert_string_equal(t, want);
	assert_int_equal(c[0].checksum, lvm_crc(LVM_INITIAL_CRC, want, n + 1));
	free(t);
	free(a);
}

static void test_two_newest_differ(void **state)
{
	uint8_t *a = calloc(1, AREA);
	struct lvf_ring_copy c[4];
	size_t other = 99;

	(void)state;
	put_text(a, 512, "vg0", VGID, 3, "a = 1\n");
	put_text(a, 2048, "vg0", VGID, 3, "a = 2\n");
	assert_int_equal(lvf_ring_find(a, AREA, c, 4), 2);
	assert_int_equal(lvf_ring_pick(c, 2, &other), -ENOTUNIQ);
	assert_true(other == 0 || other == 1);
	/* the same text twice is one candidate */
	put_text(a, 2048, "vg0", VGID, 3, "a = 1\n");
	assert_int_equal(lvf_ring_find(a, AREA, c, 4), 2);
	assert_int_equal(lvf_ring_pick(c, 2, NULL), 0);
	assert_int_equal(lvf_ring_pick(c, 0, NULL), -ENOENT);
	free(a);
}

static void test_rejects_lookalikes(void **state)
{
	uint8_t *a = calloc(1, AREA);
	struct lvf_ring_copy c[4];
	const char *bad[] = {
		"vg0 {\nid = \"short\"\nseqno = 1\n}\n",
		"vg0 {\nseqno = 1\nid = \"" VGID "\"\n}\n",
		"vg 0 {\nid = \"" VGID "\"\nseqno = 1\n}\n",
		"vg0 {\nid = \"" VGID "\"\nseqno = x1\n}\n",
		"vg0 {\nid = \"" VGID "\"\nseqno = 99999999999\n}\n",
		"vg0{\nid = \"" VGID "\"\nseqno = 1\n}\n",
		/* a byte outside lvm2's ASCII name alphabet, whatever the locale says of it */
		"vg\xe9 {\nid = \"" VGID "\"\nseqno = 1\n}\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		memcpy(a + 512 + i * 512, bad[i], strlen(bad[i]));
	assert_int_equal(lvf_ring_find(a, AREA, c, 4), 0);
	/* no NUL anywhere: not a copy */
	memset(a, 'x', AREA);
	put_text(a, 512, "vg0", VGID, 1, "");
	a[512 + 40 + 20] = 'x';
	for (size_t i = 512; i < AREA; i++)
		if (!a[i])
			a[i] = 'x';
	assert_int_equal(lvf_ring_find(a, AREA, c, 4), 0);
	assert_int_equal(lvf_ring_find(a, 100, c, 4), -EINVAL);
	assert_int_equal(lvf_ring_find(a, 512, c, 4), -EINVAL);
	free(a);
}

static void test_more_than_max(void **state)
{
	uint8_t *a = calloc(1, AREA);
	struct lvf_ring_copy c[2];

	(void)state;
	for (unsigned i = 0; i < 5; i++)
		put_text(a, 512 + i * 1024, "vg0", VGID, i + 1, "");
	assert_int_equal(lvf_ring_find(a, AREA, c, 2), 5);
	assert_int_equal(c[1].seqno, 2);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_copies_in_order),
		cmocka_unit_test(test_wrapped_copy),
		cmocka_unit_test(test_two_newest_differ),
		cmocka_unit_test(test_rejects_lookalikes),
		cmocka_unit_test(test_more_than_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
