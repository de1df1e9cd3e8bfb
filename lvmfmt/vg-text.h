/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VG <-> lvm2 text metadata (lvm2 lib/format_text/import_vsn1.c, export.c, flags.c,
 * lib/thin/thin.c). Import builds an md_vg from a parsed config tree; export prints an md_vg
 * in lvm2's on-disk ("raw") layout or its backup-file layout. Fields and segment types we do
 * not understand are kept in md_extra and printed back unchanged.
 */
#pragma once

#include <stdint.h>

#include "lvmfmt/cft.h"
#include "lvmfmt/err.h"
#include "metadata/md.h"
#include "util/strbuf.h"

/* Import the VG described by @root (the whole text: VG section plus top-level fields).
 * -EBADMSG with @reterr naming the section/field on malformed metadata. Caller frees. */
int lvf_vg_import(const struct lvf_cft_node *root, struct md_vg **ret, struct lvf_err *reterr);
/* Parse and import in one go. */
int lvf_vg_import_text(const char *text, size_t len, struct md_vg **ret, struct lvf_err *reterr);
/* lvf_vg_import_text with its ways chosen (the tests compare them): @flags 0 is
 * lvf_vg_import_text (the streamed import, plain LV sections read straight into the model);
 * LVF_VG_IMPORT_NO_DIRECT streams every LV through its tree nodes; LVF_VG_IMPORT_TREE parses the
 * whole tree, then lvf_vg_import. The direct reader tries lvm2's template of a one-segment LV
 * first, its general reader next: LVF_VG_IMPORT_NO_TEMPLATE leaves the template out,
 * LVF_VG_IMPORT_ONLY_TEMPLATE the general reader. Each gives the same model or the same error.
 * *ret_direct (may be NULL), on success: how many LVs were read straight from the text.
 * Since: 0.2 */
enum {
	LVF_VG_IMPORT_NO_DIRECT = 1 << 0,
	LVF_VG_IMPORT_TREE = 1 << 1,
	LVF_VG_IMPORT_NO_TEMPLATE = 1 << 2,
	LVF_VG_IMPORT_ONLY_TEMPLATE = 1 << 3,
};
int lvf_vg_import_text_opts(const char *text, size_t len, unsigned flags, size_t *ret_direct,
			    struct md_vg **ret, struct lvf_err *reterr);

enum lvf_vg_style {
	LVF_VG_RAW,     /* on-disk: VG section first, no indentation, no comments */
	LVF_VG_BACKUP,  /* /etc/lvm/backup, vgcfgbackup: header first, tabs, comments */
	LVF_VG_SECTION, /* only the "<vg> { ... }" section in the backup layout */
};

struct lvf_vg_export_info {
	const char *description;   /* "Write from lvcreate ..." (raw) / "Created *after* ..." */
	const char *creation_host; /* nodename */
	const char *uname;         /* "Linux host 6.1.0 #1 SMP ... x86_64", may be NULL */
	int64_t creation_time;     /* unix seconds */
};

/* Print @vg; appends to @out (text without the trailing NUL). */
int lvf_vg_export(const struct md_vg *vg, enum lvf_vg_style style,
		  const struct lvf_vg_export_info *info, struct strbuf *out);
/* lvf_vg_export with @flags: LVF_VG_EXPORT_NO_TEMPLATE prints every LV the general way, not
 * the usual one-segment LV from its template (the same bytes; the tests compare). Since: 0.2 */
enum { LVF_VG_EXPORT_NO_TEMPLATE = 1 << 0 };
int lvf_vg_export_opts(const struct md_vg *vg, enum lvf_vg_style style,
		       const struct lvf_vg_export_info *info, unsigned flags, struct strbuf *out);
/* Both texts a commit needs in one pass: @raw as LVF_VG_RAW and @section as LVF_VG_SECTION
 * (for the backup file), byte for byte what two lvf_vg_export calls give. Since: 0.2 */
int lvf_vg_export_pair(const struct md_vg *vg, const struct lvf_vg_export_info *info,
		       struct strbuf *raw, struct strbuf *section);
