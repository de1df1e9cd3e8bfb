/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Foreign, exported and shared VGs (issue 11): a VG with a system_id (thinbox has no local
 * system ID, as lvm2 with its default global/system_id_source = "none"), an exported VG and a
 * VG with a lock_type (lvmlockd: sanlock, dlm) are shown but never changed or activated, with
 * lvm2 2.03.16's words (lib/metadata/metadata.c _access_vg_systemid, _access_vg_lock_type,
 * vg_read); vgexport and vgimport (tools/vgexport.c, tools/vgimport.c) as lvm2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/store/hints.h"
#include "core/cmd/cmd.h"
#include "core/thinbox.h"

/* What tb_vg_check_writable refuses, with the export flag set aside (vgimport's own case). */
static int check_writable_exported(struct tb_cmd *c, struct tb_vg *vg)
{
	unsigned saved = vg->md->status;
	int r;

	vg->md->status &= ~MD_VG_EXPORTED;
	r = tb_vg_check_writable(c, vg);
	vg->md->status = saved;
	return r;
}

static int set_exported(struct tb_ctx *ctx, const char *name, bool export)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r;

	if ((r = tb_root_check(ctx)) < 0 ||
	    (r = tb_cmd_begin(ctx, &c, export ? "vgexport" : "vgimport")) < 0)
		return r;
	if ((r = tb_cmd_lock_global(&c)) < 0)
		goto out;
	if ((r = tb_vg_read(&c, name, true, &vg)) < 0)
		goto out;
	if (export) {
		if ((r = tb_vg_check_writable(&c, vg)) < 0)
			goto out;
		for (size_t i = 0; i < vg->md->n_lvs; i++) {
			struct tb_lv_state st = { 0 };
			if (md_lv_is_visible(vg->md->lvs[i]) &&
			    tb_lv_state_get(ctx, vg->md, vg->md->lvs[i], &st) == 0 && st.active) {
				/* lvm2 2.03.16 tools/vgexport.c */
				r = tb_fail(ctx, -EBUSY,
					    "Volume group \"%s\" has active logical volumes", name);
				goto out;
			}
		}
		vg->md->status |= MD_VG_EXPORTED;
		for (size_t i = 0; i < vg->md->n_pvs; i++)
			vg->md->pvs[i]->status |= MD_PV_EXPORTED;
		/* lvm2's vgexport drops the system ID, so that any host can import it */
		free(vg->md->system_id);
		vg->md->system_id = NULL;
	} else {
		if (!(vg->md->status & MD_VG_EXPORTED)) {
			/* lvm2 2.03.16 tools/vgimport.c */
			r = tb_fail(ctx, -EINVAL, "Volume group \"%s\" is not exported", name);
			goto out;
		}
		if ((r = check_writable_exported(&c, vg)) < 0)
			goto out;
		vg->md->status &= ~MD_VG_EXPORTED;
		for (size_t i = 0; i < vg->md->n_pvs; i++)
			vg->md->pvs[i]->status &= ~MD_PV_EXPORTED;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Volume group \"%s\" successfully %s", name,
		  export ? "exported" : "imported");
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}

TB_EXPORT int tb_vgexport(struct tb_ctx *ctx, const char *name)
{
	return set_exported(ctx, name, true);
}

TB_EXPORT int tb_vgimport(struct tb_ctx *ctx, const char *name)
{
	return set_exported(ctx, name, false);
}

/* vgchange --locktype none --lockopt force -y VG: lvm2 2.03.16's recovery path
 * (tools/vgchange.c vgchange_locktype_cmd, _vgchange_locktype's "special recovery case"),
 * the one lock-type change lvm2 makes without lvmlockd: the VG's lock_type becomes "none"
 * (written as such), its and its LVs' lock_args go and the CLUSTERED status with them. It is
 * how a shared VG is taken back as a local one, so a shared or clustered VG is accepted
 * here; everything else thinbox refuses to change (system ID, exported...) is still
 * refused. */
TB_EXPORT int tb_vg_locktype_none(struct tb_ctx *ctx, const char *name)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	char *lock_type = NULL;
	unsigned status;
	int r;

	tb_ctx_clear_error(ctx);
	if ((r = tb_root_check(ctx)) < 0 || (r = tb_cmd_begin(ctx, &c, "vgchange")) < 0)
		return r;
	if ((r = tb_vg_read(&c, name, true, &vg)) < 0)
		goto out;
	/* what tb_vg_check_writable refuses, the lock type and CLUSTERED set aside */
	lock_type = TAKE_PTR(vg->md->lock_type);
	status = vg->md->status;
	vg->md->status &= ~MD_VG_CLUSTERED;
	r = tb_vg_check_writable(&c, vg);
	vg->md->status = status;
	free(lock_type);
	if (r < 0)
		goto out;
	if (!(vg->md->lock_type = strdup("none"))) {
		r = tb_fail(ctx, -ENOMEM, "Out of memory");
		goto out;
	}
	vg->md->status &= ~MD_VG_CLUSTERED;
	free(vg->md->lock_args);
	vg->md->lock_args = NULL;
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		free(vg->md->lvs[i]->lock_args);
		vg->md->lvs[i]->lock_args = NULL;
	}
	if ((r = tb_vg_commit(&c, vg)) < 0)
		goto out;
	tb_notice(ctx, "Volume group \"%s\" successfully changed", name);
out:
	tb_vg_free(vg);
	tb_cmd_end(&c);
	return r;
}
