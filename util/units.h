/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Size units. Sizes are uint64_t and their names carry the unit (_bytes, _sectors,
 * _extents, _chunks). Convert only through these overflow-checked helpers. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECTOR_SIZE 512U
#define SECTOR_SHIFT 9

/* *ret = a * b; -ERANGE on overflow (ret untouched). */
static inline int u64_mul(uint64_t a, uint64_t b, uint64_t *ret)
{
	uint64_t r;
	if (__builtin_mul_overflow(a, b, &r))
		return -ERANGE;
	*ret = r;
	return 0;
}
static inline int u64_add(uint64_t a, uint64_t b, uint64_t *ret)
{
	uint64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return -ERANGE;
	*ret = r;
	return 0;
}
static inline int sectors_to_bytes(uint64_t sectors, uint64_t *ret_bytes)
{
	return u64_mul(sectors, SECTOR_SIZE, ret_bytes);
}
static inline uint64_t bytes_to_sectors_floor(uint64_t bytes)
{
	return bytes >> SECTOR_SHIFT;
}
static inline bool u64_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* lvm2's display_size with its default units, for messages: "40.00 MiB", "<3.86 GiB" (a
 * value is shown to the nearest hundredth, with "<" when that rounded it up). */
void units_display_size(uint64_t sectors, char *buf, size_t len);
