/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Foreign, exported and shared VGs (issue 11), the detection half: which VG is one thinbox
 * shows but never changes or activates, with lvm2 2.03.16's words (lib/metadata/metadata.c
 * _access_vg_systemid, _access_vg_lock_type, vg_read). Every VG read for writing asks it
 * (core/store/store.c); vgexport and vgimport are in core/cmd/foreign.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/store/store.h"

const char *tb_vg_foreign_reason(const struct md_vg *md, char *buf, size_t len)
{
	if (md->lock_type && md->lock_type[0] && strcmp(md->lock_type, "none") != 0) {
		snprintf(buf, len, "Cannot access VG %s with lock type %s that requires lvmlockd.",
			 md->name, md->lock_type);
		return buf;
	}
	if (md->system_id && md->system_id[0]) {
		snprintf(buf, len,
			 "Cannot access VG %s with system ID %s with unknown local system ID.",
			 md->name, md->system_id);
		return buf;
	}
	if (md->status & MD_VG_EXPORTED) {
		snprintf(buf, len, "Volume group %s is exported", md->name);
		return buf;
	}
	return NULL;
}

int tb_vg_check_foreign(struct tb_cmd *c, const struct tb_vg *vg)
{
	char why[400];

	if (!tb_vg_foreign_reason(vg->md, why, sizeof(why)))
		return 0;
	return tb_fail(c->ctx, -EPERM, "%s", why);
}
