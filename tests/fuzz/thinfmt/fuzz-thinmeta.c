/* libFuzzer target: the thin-pool metadata readers (thinfmt/) over a metadata device made of
 * the input (whole 4 KiB blocks, at most 64): the superblock decoder, every block as a btree
 * node, and the device-details walk, live and through the held snapshot. Invariants: the walk
 * ends (no hang, at most nr_blocks node reads), its ids rise strictly, and
 * decode(encode(x)) == x for any superblock that decodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thinfmt/thinfmt.h"

#define MAX_BLOCKS 64u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct dev {
	const uint8_t *data;
	size_t size;
	uint64_t reads;
};

static int rd(void *userdata, uint64_t blocknr, uint8_t *buf)
{
	struct dev *d = userdata;
	size_t off = (size_t)blocknr * TF_BLOCK_SIZE;

	d->reads++;
	memset(buf, 0, TF_BLOCK_SIZE);
	if (off < d->size)
		memcpy(buf, d->data + off, d->size - off < TF_BLOCK_SIZE ? d->size - off : TF_BLOCK_SIZE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dev d = { data, size, 0 };
	uint64_t nblocks = (size + TF_BLOCK_SIZE - 1) / TF_BLOCK_SIZE;
	struct tf_reader r = { rd, &d, nblocks };
	uint8_t *blk = calloc(1, TF_BLOCK_SIZE), *enc = calloc(1, TF_BLOCK_SIZE);
	struct tf_superblock sb, sb2;
	struct tf_node n;
	struct tf_pool p;

	if (!blk || !enc || nblocks == 0 || nblocks > MAX_BLOCKS)
		goto out;
	for (uint64_t b = 0; b < nblocks; b++) {
		rd(&d, b, blk);
		if (tf_superblock_decode(blk, TF_BLOCK_SIZE, b, &sb, NULL) == 0) {
			memset(enc, 0, TF_BLOCK_SIZE);
			tf_superblock_encode(&sb, enc);
			/* compared encoded (the structs have padding) */
			if (tf_superblock_decode(enc, TF_BLOCK_SIZE, b, &sb2, NULL) != 0)
				abort();
			memset(blk, 0, TF_BLOCK_SIZE);
			tf_superblock_encode(&sb2, blk);
			if (memcmp(enc, blk, TF_BLOCK_SIZE))
				abort();
		}
		if (tf_node_decode(blk, TF_BLOCK_SIZE, b, &n, NULL) == 0) {
			for (uint32_t i = 0; i < n.nr_entries; i++)
				(void)tf_node_value(&n, i)[n.value_size - 1];
		}
	}
	for (int snap = 0; snap < 2; snap++) {
		d.reads = 0;
		if (tf_pool_read(&r, snap, &p, NULL) == 0) {
			for (size_t i = 1; i < p.n_devs; i++)
				if (p.devs[i].dev_id <= p.devs[i - 1].dev_id)
					abort();
			tf_pool_release(&p);
		}
		if (d.reads > nblocks + 2)
			abort();
	}
out:
	free(blk);
	free(enc);
	return 0;
}
