/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Typed lookups in lvm.conf-style files (/etc/lvm/lvm.conf, /etc/lvm/profile/<name>.profile),
 * read with the generic config tree of lvmfmt/cft.h.
 *
 * Lookup rule of lvm2's config files (which, unlike metadata, merge duplicates): sections with
 * the same name are searched all together and the last value in file order wins. Layers are
 * tried in order (e.g. the profile, then lvm.conf); the first layer holding the path answers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lvmfmt/cft.h"
#include "lvmfmt/err.h"

/* Largest config file read (lvm.conf is ~100 KiB). */
#define LVF_CONFIG_MAX_BYTES (16u << 20)

/*
 * Read and parse the file at @path. On success *ret is its tree (caller frees with
 * lvf_cft_free). Returns 0; -ENOENT when the file does not exist; -EFBIG when larger than
 * LVF_CONFIG_MAX_BYTES; other -errno from open/read; parse errors as lvf_cft_parse() with
 * *reterr (may be NULL) filled. Since: 0.1
 */
int lvf_config_load_file(const char *path, struct lvf_cft_node **ret, struct lvf_err *reterr);
/* lvf_config_load_file with lvf_cft_parse_lean: for reading settings only (no comments or
 * layout kept; lvf_config_find/get_* work, lvf_cft_emit does not). Since: 0.2 */
int lvf_config_load_file_lean(const char *path, struct lvf_cft_node **ret, struct lvf_err *reterr);

/* Find @path ("section/key") in @layers[0..n-1] (NULL entries skipped), lvm.conf rules.
 * Borrowed node or NULL. */
const struct lvf_cft_node *lvf_config_find(const struct lvf_cft_node *const *layers, size_t n,
					   const char *path);

/*
 * *ret = the integer at @path in the first layer that has it, else @dflt.
 * Returns 0 (found or defaulted); -EBADMSG when the first layer holding @path has a value of
 * another type there (lvm2 would warn and ignore it; we refuse so a typo is not silent).
 * Since: 0.1
 */
int lvf_config_get_int(const struct lvf_cft_node *const *layers, size_t n, const char *path,
		       int64_t dflt, int64_t *ret);
/* Same for strings (*ret borrowed from the layer or @dflt itself). */
int lvf_config_get_str(const struct lvf_cft_node *const *layers, size_t n, const char *path,
		       const char *dflt, const char **ret);
