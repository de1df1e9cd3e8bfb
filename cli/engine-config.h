/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container engines' configuration files as `thinbox setup` writes them: Docker's
 * daemon.json (JSON) and containerd's config.toml (TOML), merged into what is there without
 * losing anything else. Pure text in, text out (no I/O), for unit tests. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Docker: make @old (NULL or empty: no file) say "storage-driver": "devicemapper" and hold
 * each of @opts ("key=value") in "storage-opts". Other members stay as they are (their text
 * kept verbatim), as do storage-opts entries with other keys. When @old already says all of
 * it, *ret_changed is false and *ret_text a copy of @old. A different storage-driver, or one
 * of our keys with another value, is a conflict: -EEXIST and a message, unless @force (then
 * ours replace them). A file that is not one JSON object: -EINVAL and a message (the byte
 * offset of the problem). *ret_text and *ret_err: caller frees. */
int cli_engine_docker_merge(const char *old, size_t len, const char *const *opts, size_t n_opts,
			    bool force, char **ret_text, bool *ret_changed, char **ret_err);

/* containerd: make @old (NULL or empty: no file; then a version 2 file) hold the devmapper
 * snapshotter's table ([plugins."io.containerd.snapshotter.v1.devmapper"], or
 * [plugins.devmapper] in a version 1 file) with pool_name, root_path and base_image_size.
 * Keys missing from an existing table are added to it, the table is appended when there is
 * none; everything else stays byte for byte. Conflicts and results as cli_engine_docker_merge. */
int cli_engine_containerd_merge(const char *old, size_t len, const char *pool_name,
				const char *root_path, const char *base_image_size, bool force,
				char **ret_text, bool *ret_changed, char **ret_err);
