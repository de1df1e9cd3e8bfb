/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel thin-pool's own metadata (dm-thin-metadata.c, persistent-data/dm-btree*.c;
 * thin-provisioning-tools src/thin/superblock.rs, src/pdata/btree.rs): the superblock and the
 * device-details btree, read field by field, little-endian, every length and index checked.
 * No I/O: blocks come through a caller's tf_reader. Depends on util/ only.
 *
 * Layout of the superblock (block 0, 4096 bytes; the checksum covers bytes 4..4095):
 *   0 csum le32          4 flags le32 (bit 0: needs_check)   8 blocknr le64
 *  16 uuid[16]          32 magic le64 (27022010)            40 version le32
 *  44 time le32         48 transaction id le64              56 held root (metadata snap) le64
 *  64 data space map root[128]                             192 metadata space map root[128]
 * 320 data mapping root le64                               328 device details root le64
 * 336 data block size le32 (sectors)   340 metadata block size le32 (sectors, 8)
 * 344 metadata nr blocks le64          352 compat flags  356 compat ro flags  360 incompat flags
 *
 * A btree node (any 4096-byte block but the superblock; checksum over bytes 4..4095):
 *   0 csum le32   4 flags le32 (1 internal, 2 leaf)   8 blocknr le64
 *  16 nr_entries le32   20 max_entries le32   24 value_size le32   28 padding
 *  32 keys: max_entries x le64, then values: max_entries x value_size bytes
 * Internal nodes hold le64 child block numbers (key[i] = the lowest key below child i).
 * Device details leaf values (24 bytes): mapped_blocks le64, transaction_id le64,
 * creation_time le32, snapshotted_time le32.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TF_BLOCK_SIZE 4096u
#define TF_SUPERBLOCK_MAGIC 27022010ull
#define TF_SUPERBLOCK_CSUM_XOR 160774u
#define TF_BTREE_CSUM_XOR 121107u
#define TF_SB_NEEDS_CHECK (1u << 0)
#define TF_SPACE_MAP_ROOT_SIZE 128u
#define TF_SUPERBLOCK_BYTES 364u /* the fields above; the rest of block 0 is zero */
#define TF_NODE_HEADER_BYTES 32u
#define TF_NODE_INTERNAL 1u
#define TF_NODE_LEAF 2u
#define TF_DEVICE_DETAILS_BYTES 24u
#define TF_MAX_DEVICE_ID ((1u << 24) - 1)
#define TF_MAX_DEPTH 16u /* 2^24 devices need 4 levels; anything deeper is a loop */

struct tf_superblock {
	uint32_t csum;
	uint32_t flags;
	uint64_t blocknr;
	uint8_t uuid[16];
	uint64_t magic;
	uint32_t version;
	uint32_t time;
	uint64_t transaction_id;
	uint64_t metadata_snap; /* held root: block of the superblock copy, 0 for none */
	uint8_t data_space_map_root[TF_SPACE_MAP_ROOT_SIZE];
	uint8_t metadata_space_map_root[TF_SPACE_MAP_ROOT_SIZE];
	uint64_t data_mapping_root;
	uint64_t device_details_root;
	uint32_t data_block_size;     /* sectors */
	uint32_t metadata_block_size; /* sectors */
	uint64_t metadata_nr_blocks;
	uint32_t compat_flags;
	uint32_t compat_ro_flags;
	uint32_t incompat_flags;
};

/* CRC-32C (Castagnoli, reflected 0x82F63B78) continued from @crc, no final inversion: the
 * kernel's crc32c(). */
uint32_t tf_crc32c(uint32_t crc, const void *buf, size_t len);
/* The checksum the kernel stores in a metadata block: dm_bm_checksum(block + 4, 4092, xor). */
uint32_t tf_block_csum(const uint8_t block[TF_BLOCK_SIZE], uint32_t xor_value);

/* Decode the superblock in @buf (@len >= TF_BLOCK_SIZE) expected at block @blocknr (0, or the
 * held root for a metadata snapshot's copy). Checks, in order: length, all zeroes (-ENODATA:
 * a zeroed device the kernel formats on first load), magic, checksum, blocknr, fields (version
 * 1..2, metadata block size 8, data block size 128..2097152 in multiples of 128, nr_blocks,
 * roots below nr_blocks, no unknown incompat flags). -EBADMSG on any mismatch; *ret_why (may
 * be NULL) says which, a static string. *ret untouched on failure. */
int tf_superblock_decode(const uint8_t *buf, size_t len, uint64_t blocknr,
			 struct tf_superblock *ret, const char **ret_why);
/* Encode @sb into @block (caller zero-fills TF_BLOCK_SIZE bytes), blocknr and checksum
 * included (the checksum written last, over the encoded bytes). */
void tf_superblock_encode(const struct tf_superblock *sb, uint8_t block[TF_BLOCK_SIZE]);

/* One btree node as it lies in its block (keys/values borrowed from the decoded buffer). */
struct tf_node {
	uint32_t flags;
	uint64_t blocknr;
	uint32_t nr_entries, max_entries, value_size;
	const uint8_t *keys;   /* nr_entries x le64 */
	const uint8_t *values; /* nr_entries x value_size */
};
/* Decode the node in @buf (@len >= TF_BLOCK_SIZE) expected at @blocknr: checksum, blocknr,
 * exactly one of internal/leaf, max_entries that fit the block, nr_entries <= max_entries,
 * value_size 8 for internal nodes, keys strictly increasing. -EBADMSG + *ret_why. */
int tf_node_decode(const uint8_t *buf, size_t len, uint64_t blocknr, struct tf_node *ret,
		   const char **ret_why);
uint64_t tf_node_key(const struct tf_node *n, uint32_t i);
const uint8_t *tf_node_value(const struct tf_node *n, uint32_t i);
/* Encode a node (tests, fuzzing): @keys/@values nr_entries long; checksum last. */
void tf_node_encode(const struct tf_node *n, const uint64_t *keys, const uint8_t *values,
		    uint8_t block[TF_BLOCK_SIZE]);

struct tf_device_details {
	uint64_t mapped_blocks;
	uint64_t transaction_id; /* the pool's transaction id when the device was created */
	uint32_t creation_time;
	uint32_t snapshotted_time;
};
int tf_device_details_decode(const uint8_t *buf, size_t len, struct tf_device_details *ret);

/* Where blocks come from: read_block fills @buf with TF_BLOCK_SIZE bytes of block @blocknr
 * (0 or -errno). @nr_blocks: the device's size in blocks (block numbers at or past it are
 * corruption). */
struct tf_reader {
	int (*read_block)(void *userdata, uint64_t blocknr, uint8_t *buf);
	void *userdata;
	uint64_t nr_blocks;
};

struct tf_device {
	uint32_t dev_id;
	struct tf_device_details details;
};

/* The pool as its metadata says. */
struct tf_pool {
	struct tf_superblock sb; /* the live superblock (block 0) */
	bool from_snapshot;      /* devices read from the held metadata snapshot */
	struct tf_device *devs;  /* ascending dev_id; caller frees (free()) */
	size_t n_devs;
};

/* Every entry of the device-details btree at @root, ascending. Walks depth first with a depth
 * limit, every block number below the reader's and the superblock's block count, keys strictly
 * increasing across the whole tree and inside each child's key range (so a cycle or a shared
 * subtree is corruption, not a hang), at most nr_blocks nodes. *ret: caller frees.
 * -EBADMSG + *ret_why on corruption, the reader's -errno on I/O failure. */
int tf_devices_read(const struct tf_reader *rd, const struct tf_superblock *sb, uint64_t root,
		    struct tf_device **ret, size_t *ret_n, const char **ret_why);

/* Superblock, then devices. @use_snap: take the device-details root from the superblock
 * copy at the held root (a metadata snapshot the caller reserved), -ENOENT if there is none.
 * -ENODATA for a zeroed superblock (a pool never loaded: no devices). */
int tf_pool_read(const struct tf_reader *rd, bool use_snap, struct tf_pool *ret,
		 const char **ret_why);
void tf_pool_release(struct tf_pool *p);
/* Is @id among @p's devices (binary search)? */
bool tf_pool_has_device(const struct tf_pool *p, uint32_t id);
