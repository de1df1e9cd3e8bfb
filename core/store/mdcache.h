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

/* A text shared by the cache and the scanned PVs that hold it (tb_pvdev.text_ref), so that a
 * scan does not copy the 2.9 MB of 10,000 LVs into each PV (issue 13). */
struct tb_text {
	unsigned refs;
	char *text;
};
struct tb_text *tb_text_get(struct tb_text *t);
void tb_text_put(struct tb_text *t);

struct tb_mdtext {
	const char *text;       /* NUL-terminated, owned by the cache */
	struct tb_text *shared; /* the same text for tb_text_get; NULL: copy it */
	size_t len;             /* without the NUL */
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
