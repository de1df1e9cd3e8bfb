/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A per-ctx cache of metadata texts and their parsed VGs, keyed on the mda header's slot 0
 * (device, area, offset, size, checksum), so that a command which scans the devices, then
 * locks the VG and scans again, reads, checksums and parses each text once (issue 13; lvm2
 * likewise skips re-reading an area whose header is unchanged). The header is always read
 * afresh: a changed area is a miss. One entry per metadata area: a new text replaces it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx-internal.h"
#include "lvmfmt/mda.h"
#include "metadata/md.h"

struct tb_mdtext {
	const char *text; /* NUL-terminated, owned by the cache */
	size_t len;       /* without the NUL */
	uint32_t checksum;
	uint32_t seqno;
	const char *vgname;
	const char *vgid;
	const char *pv_ids; /* the PVs it lists, MD_ID_LEN characters each, not terminated */
	size_t n_pv_ids;
};

/* Read the committed text of area @ref on the device opened as @path (as lvf_mda_read_text,
 * same errors), parse it unless the cache holds it, and describe it in *ret (borrowed until
 * the next call for the same area). -EBADMSG with @err set when the text does not import. */
int tb_mdcache_read(struct tb_ctx *ctx, const char *path, const struct lvf_mda_ref *ref,
		    struct tb_mdtext *ret, struct lvf_err *err);
/* The parsed VG of exactly this text, if the cache still has an untaken one; the caller owns
 * it then. NULL otherwise (parse it). */
struct md_vg *tb_mdcache_take(struct tb_ctx *ctx, const char *text, size_t len, uint32_t checksum);
void tb_mdcache_free(struct tb_ctx *ctx);
