/* libFuzzer target: the LVM2 label/PV header decoder, the mda header decoder, and reading
 * metadata text through lvf_mda_read_text / lvf_label_read over an in-memory device built
 * from the input. Invariants checked: decode(encode(x)) == x for anything that decodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/endian.h"
#include "lvmfmt/bdev.h"
#include "lvmfmt/label.h"
#include "lvmfmt/mda.h"

#define MAX_DEV (2u * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_label(const uint8_t *data, size_t size)
{
	for (uint64_t nr = 0; nr < 4; nr++) {
		struct lvf_pv_header h, h2;
		struct lvf_err e;
		uint8_t s[512];

		if (lvf_label_decode(data, size, nr, &h, &e) < 0)
			continue;
		lvf_label_encode(&h, nr, s);
		if (lvf_label_decode(s, sizeof(s), nr, &h2, &e) < 0 || memcmp(&h, &h2, sizeof(h)))
			abort();
	}
}

static void check_mda_header(const uint8_t *data, size_t size)
{
	struct lvf_mda_header h, h2;
	struct lvf_err e;
	uint8_t s[512];
	uint64_t start;

	if (size < 32)
		return;
	start = get_le64(data + 24);
	if (lvf_mda_header_decode(data, size, start, 0, &h, &e) < 0)
		return;
	lvf_mda_header_encode(&h, s);
	if (lvf_mda_header_decode(s, sizeof(s), start, h.size, &h2, &e) < 0 ||
	    memcmp(&h, &h2, sizeof(h)))
		abort();
}

static void check_device(const uint8_t *data, size_t size)
{
	struct lvf_bdev *b = NULL;
	struct lvf_pv_header ph;
	struct lvf_mda_ref ref = { 0 };
	struct lvf_err e;
	uint64_t start = 0, msize, devsize;
	char *text = NULL;
	size_t len;

	if (size < 1024 || size > MAX_DEV)
		return;
	/* the header at 4096 (the lvm2 default) if it looks like one there, else at 0 */
	if (size >= 4096 + 512 && memcmp(data + 4096 + 4, LVF_MDA_MAGIC, 16) == 0)
		start = 4096;
	msize = get_le64(data + start + 32);
	if (msize < 1024 || msize > MAX_DEV - start)
		msize = size - start;
	devsize = start + msize > size ? start + msize : size;
	if (lvf_bdev_mem_new_from(devsize, data, size, &b) < 0)
		return;

	(void)lvf_label_read(b, &ph, NULL, &e);

	ref = (struct lvf_mda_ref){ b, start, msize, false };
	if (lvf_mda_read_text(&ref, &text, &len, NULL, &e) == 0) {
		if (strlen(text) != len)
			abort();
		free(text);
	}
	lvf_bdev_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_label(data, size);
	check_mda_header(data, size);
	check_device(data, size);
	return 0;
}
