/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copies of VG metadata text left in a metadata area's circular buffer, found without the
 * mda header (which may be the damaged part): every 512-byte boundary of the text area that
 * starts "NAME {", then "id = ...", then "seqno = N" (lvm2 2.03 tools/pvck.c _dump_all_text:
 * copies have started on 512-byte boundaries since 2002), read up to its NUL, wrapping once
 * to the start of the buffer. For pvck --repair (core/cmd/pvck.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "metadata/md.h"

struct lvf_ring_copy {
	uint64_t offset;   /* bytes from the mda start (the header is at 0) */
	size_t len;        /* text bytes, the NUL not included */
	uint32_t checksum; /* lvm2's crc over the text and its NUL, as raw_locn holds */
	uint32_t seqno;
	char vgname[MD_NAME_MAX + 1];
	char vgid[MD_ID_LEN + 1]; /* the 32 id characters, dashes dropped */
};

/* Find the copies in @area (@len bytes: the whole mda, header sector first; @len a multiple
 * of 512, at least 1024). Fills up to @max entries of @ret in buffer order and returns how
 * many were found (possibly more than @max), or -EINVAL. Pure. Since: 0.3 */
int lvf_ring_find(const uint8_t *area, size_t len, struct lvf_ring_copy *ret, size_t max);

/* The copy to restore among @n: the highest seqno. -ENOENT when @n is 0, -ENOTUNIQ when two
 * copies with that seqno differ (different VG id or checksum: which one is right cannot be
 * told), with the index of one of them in *ret_other. Returns its index. Pure. Since: 0.3 */
int lvf_ring_pick(const struct lvf_ring_copy *c, size_t n, size_t *ret_other);

/* Copy copy @c out of @area into a new NUL-terminated buffer (caller frees), undoing the
 * wrap. -ENOMEM. Since: 0.3 */
int lvf_ring_copy_text(const uint8_t *area, size_t len, const struct lvf_ring_copy *c, char **ret);
