/* The small VGs the metadata unit tests build (test-stripe, test-raid, test-cow): fixed ids,
 * N equal PVs, and the model's own validation as an assertion. Include after cmocka.h. */
#pragma once

#include <stdio.h>
#include <string.h>

#include "metadata/md.h"

/* A fixed id: 32 times the letter 'a' + @n (0 <= n < 16). */
static inline const char *id(int n)
{
	static char ids[16][MD_ID_LEN + 1];
	memset(ids[n], 'a' + n, MD_ID_LEN);
	ids[n][MD_ID_LEN] = '\0';
	return ids[n];
}

/* VG "vg" (4 MiB extents) with @n PVs /dev/a, /dev/b, ... of @pe extents each. */
static inline struct md_vg *pvs_vg_of(int n, uint32_t pe)
{
	struct md_vg *vg = NULL;
	char path[16];
	assert_int_equal(md_vg_new("vg", id(0), 8192, &vg), 0);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/%c", 'a' + i);
		assert_int_equal(
			md_vg_add_pv(vg, id(1 + i), path, 2048 + (uint64_t)pe * 8192, 2048, NULL), 0);
	}
	return vg;
}

static inline void valid(const struct md_vg *vg)
{
	char reason[256] = "";
	if (md_vg_validate(vg, reason, sizeof(reason)) != 0) {
		print_error("validate: %s\n", reason);
		fail();
	}
}
