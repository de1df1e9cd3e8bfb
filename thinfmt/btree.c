/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* persistent-data btree nodes (kernel persistent-data/dm-btree-internal.h struct node_header,
 * btree_node_validator; thin-provisioning-tools src/pdata/btree.rs unpack_node) and the thin
 * pool's device-details tree (dm-thin-metadata.c struct disk_device_details). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "thinfmt/thinfmt.h"
#include "util/endian.h"

enum {
	NODE_CSUM = 0,
	NODE_FLAGS = 4,
	NODE_BLOCKNR = 8,
	NODE_NR_ENTRIES = 16,
	NODE_MAX_ENTRIES = 20,
	NODE_VALUE_SIZE = 24,
	NODE_PADDING = 28,
	NODE_KEYS = 32,
};
_Static_assert(NODE_KEYS == TF_NODE_HEADER_BYTES, "node header is 32 bytes");

enum { DD_MAPPED = 0, DD_TRANS_ID = 8, DD_CTIME = 16, DD_STIME = 20, DD_END = 24 };
_Static_assert(DD_END == TF_DEVICE_DETAILS_BYTES, "device details are 24 bytes");

static int bad(const char **ret_why, const char *why)
{
	if (ret_why)
		*ret_why = why;
	return -EBADMSG;
}

int tf_node_decode(const uint8_t *buf, size_t len, uint64_t blocknr, struct tf_node *ret,
		   const char **ret_why)
{
	struct tf_node n;

	if (len < TF_BLOCK_SIZE)
		return bad(ret_why, "btree node: short read");
	if (get_le32(buf + NODE_CSUM) != tf_block_csum(buf, TF_BTREE_CSUM_XOR))
		return bad(ret_why, "btree node: bad checksum");
	n.blocknr = get_le64(buf + NODE_BLOCKNR);
	if (n.blocknr != blocknr)
		return bad(ret_why, "btree node: wrong block number");
	n.flags = get_le32(buf + NODE_FLAGS);
	if (n.flags != TF_NODE_INTERNAL && n.flags != TF_NODE_LEAF)
		return bad(ret_why, "btree node: neither internal nor leaf");
	n.nr_entries = get_le32(buf + NODE_NR_ENTRIES);
	n.max_entries = get_le32(buf + NODE_MAX_ENTRIES);
	n.value_size = get_le32(buf + NODE_VALUE_SIZE);
	if (n.value_size == 0 || n.value_size > TF_BLOCK_SIZE ||
	    TF_NODE_HEADER_BYTES + (uint64_t)n.max_entries * (8 + n.value_size) > TF_BLOCK_SIZE)
		return bad(ret_why, "btree node: max_entries too large for the block");
	if (n.nr_entries > n.max_entries)
		return bad(ret_why, "btree node: more entries than max_entries");
	if (n.flags == TF_NODE_INTERNAL && n.value_size != 8)
		return bad(ret_why, "btree node: internal node values are not block numbers");
	n.keys = buf + NODE_KEYS;
	n.values = buf + NODE_KEYS + (size_t)n.max_entries * 8;
	for (uint32_t i = 1; i < n.nr_entries; i++)
		if (get_le64(n.keys + (size_t)i * 8) <= get_le64(n.keys + (size_t)(i - 1) * 8))
			return bad(ret_why, "btree node: keys out of order");
	*ret = n;
	return 0;
}

uint64_t tf_node_key(const struct tf_node *n, uint32_t i)
{
	return get_le64(n->keys + (size_t)i * 8);
}

const uint8_t *tf_node_value(const struct tf_node *n, uint32_t i)
{
	return n->values + (size_t)i * n->value_size;
}

void tf_node_encode(const struct tf_node *n, const uint64_t *keys, const uint8_t *values,
		    uint8_t block[TF_BLOCK_SIZE])
{
	put_le32(block + NODE_FLAGS, n->flags);
	put_le64(block + NODE_BLOCKNR, n->blocknr);
	put_le32(block + NODE_NR_ENTRIES, n->nr_entries);
	put_le32(block + NODE_MAX_ENTRIES, n->max_entries);
	put_le32(block + NODE_VALUE_SIZE, n->value_size);
	put_le32(block + NODE_PADDING, 0);
	for (uint32_t i = 0; i < n->nr_entries; i++) {
		put_le64(block + NODE_KEYS + (size_t)i * 8, keys[i]);
		memcpy(block + NODE_KEYS + (size_t)n->max_entries * 8 + (size_t)i * n->value_size,
		       values + (size_t)i * n->value_size, n->value_size);
	}
	put_le32(block + NODE_CSUM, tf_block_csum(block, TF_BTREE_CSUM_XOR));
}

int tf_device_details_decode(const uint8_t *buf, size_t len, struct tf_device_details *ret)
{
	if (len < TF_DEVICE_DETAILS_BYTES)
		return -EBADMSG;
	ret->mapped_blocks = get_le64(buf + DD_MAPPED);
	ret->transaction_id = get_le64(buf + DD_TRANS_ID);
	ret->creation_time = get_le32(buf + DD_CTIME);
	ret->snapshotted_time = get_le32(buf + DD_STIME);
	return 0;
}

/* ---------------------------------------------------------------- the walk */

struct walk {
	const struct tf_reader *rd;
	uint64_t nr_blocks; /* block numbers must be below this */
	uint8_t *bufs;      /* TF_MAX_DEPTH blocks: one per level of the descent */
	uint64_t visited;   /* nodes read so far, at most nr_blocks */
	int leaf_depth;     /* -1 until the first leaf */
	bool have_last;
	uint64_t last; /* the last key taken: keys rise strictly across the tree */
	struct tf_device *devs;
	size_t n, cap;
	const char **why;
};

static int take(struct walk *w, uint64_t key, const uint8_t *value)
{
	struct tf_device d;

	if (key > TF_MAX_DEVICE_ID)
		return bad(w->why, "device details: device id above 2^24-1");
	if (w->have_last && key <= w->last)
		return bad(w->why,
			   "device details: a key repeats or goes back (loop or shared node)");
	w->have_last = true;
	w->last = key;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct tf_device *nd = realloc(w->devs, cap * sizeof(*nd));
		if (!nd)
			return -ENOMEM;
		w->devs = nd;
		w->cap = cap;
	}
	d.dev_id = (uint32_t)key;
	tf_device_details_decode(value, TF_DEVICE_DETAILS_BYTES, &d.details);
	w->devs[w->n++] = d;
	return 0;
}

/* Visit the subtree at @block whose keys must lie in [lo, hi) (hi = 0 with !has_hi: none). */
static int walk(struct walk *w, uint64_t block, uint64_t lo, bool has_hi, uint64_t hi,
		unsigned depth)
{
	uint8_t *buf = w->bufs + (size_t)depth * TF_BLOCK_SIZE;
	struct tf_node n;
	int r;

	if (depth >= TF_MAX_DEPTH)
		return bad(w->why, "device details: btree deeper than 16 levels (a loop)");
	if (block == 0 || block >= w->nr_blocks)
		return bad(w->why, "device details: btree block number outside the metadata device");
	if (++w->visited > w->nr_blocks)
		return bad(w->why, "device details: more btree nodes than metadata blocks (a loop)");
	if ((r = w->rd->read_block(w->rd->userdata, block, buf)) < 0)
		return r;
	if ((r = tf_node_decode(buf, TF_BLOCK_SIZE, block, &n, w->why)) < 0)
		return r;
	if (n.nr_entries &&
	    (tf_node_key(&n, 0) < lo || (has_hi && tf_node_key(&n, n.nr_entries - 1) >= hi)))
		return bad(w->why, "device details: a node's keys lie outside its parent's range");
	if (n.flags == TF_NODE_LEAF) {
		if (n.value_size != TF_DEVICE_DETAILS_BYTES)
			return bad(w->why, "device details: leaf values are not 24 bytes");
		if (w->leaf_depth < 0)
			w->leaf_depth = (int)depth;
		else if (w->leaf_depth != (int)depth)
			return bad(w->why, "device details: leaves at different depths");
		for (uint32_t i = 0; i < n.nr_entries; i++)
			if ((r = take(w, tf_node_key(&n, i), tf_node_value(&n, i))) < 0)
				return r;
		return 0;
	}
	if (n.nr_entries == 0)
		return bad(w->why, "device details: empty internal node");
	for (uint32_t i = 0; i < n.nr_entries; i++) {
		/* @n points into this level's buffer, which deeper levels do not touch */
		uint64_t child = get_le64(tf_node_value(&n, i));
		uint64_t clo = tf_node_key(&n, i);
		bool chas_hi = i + 1 < n.nr_entries ? true : has_hi;
		uint64_t chi = i + 1 < n.nr_entries ? tf_node_key(&n, i + 1) : hi;
		if ((r = walk(w, child, clo, chas_hi, chi, depth + 1)) < 0)
			return r;
	}
	return 0;
}

int tf_devices_read(const struct tf_reader *rd, const struct tf_superblock *sb, uint64_t root,
		    struct tf_device **ret, size_t *ret_n, const char **ret_why)
{
	struct walk w = { .rd = rd, .leaf_depth = -1, .why = ret_why };
	int r;

	w.nr_blocks = rd->nr_blocks;
	(void)sb; /* metadata_nr_blocks is the size at format time: the device may have grown */
	w.bufs = malloc((size_t)TF_MAX_DEPTH * TF_BLOCK_SIZE);
	if (!w.bufs)
		return -ENOMEM;
	r = walk(&w, root, 0, false, 0, 0);
	free(w.bufs);
	if (r < 0) {
		free(w.devs);
		return r;
	}
	*ret = w.devs;
	*ret_n = w.n;
	return 0;
}

int tf_pool_read(const struct tf_reader *rd, bool use_snap, struct tf_pool *ret,
		 const char **ret_why)
{
	struct tf_pool p = { 0 };
	struct tf_superblock snap;
	uint8_t *buf;
	uint64_t root;
	int r;

	if (rd->nr_blocks == 0)
		return bad(ret_why, "metadata device is empty");
	buf = malloc(TF_BLOCK_SIZE);
	if (!buf)
		return -ENOMEM;
	if ((r = rd->read_block(rd->userdata, 0, buf)) < 0 ||
	    (r = tf_superblock_decode(buf, TF_BLOCK_SIZE, 0, &p.sb, ret_why)) < 0)
		goto out;
	root = p.sb.device_details_root;
	if (use_snap) {
		if (p.sb.metadata_snap == 0) {
			if (ret_why)
				*ret_why = "superblock: no metadata snapshot is held";
			r = -ENOENT;
			goto out;
		}
		if (p.sb.metadata_snap >= rd->nr_blocks) {
			r = bad(ret_why, "superblock: held root outside the metadata device");
			goto out;
		}
		if ((r = rd->read_block(rd->userdata, p.sb.metadata_snap, buf)) < 0 ||
		    (r = tf_superblock_decode(buf, TF_BLOCK_SIZE, p.sb.metadata_snap, &snap,
					      ret_why)) < 0)
			goto out;
		root = snap.device_details_root;
		p.from_snapshot = true;
	}
	r = tf_devices_read(rd, &p.sb, root, &p.devs, &p.n_devs, ret_why);
	if (r == 0)
		*ret = p;
out:
	free(buf);
	return r;
}

void tf_pool_release(struct tf_pool *p)
{
	free(p->devs);
	p->devs = NULL;
	p->n_devs = 0;
}

bool tf_pool_has_device(const struct tf_pool *p, uint32_t id)
{
	size_t lo = 0, hi = p->n_devs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->devs[mid].dev_id == id)
			return true;
		if (p->devs[mid].dev_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
