/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm.conf-style lookups. lvm2 parses its config files with duplicate merging on (sections of
 * one name merge, a repeated value replaces the earlier one: libdm-config.c
 * _find_or_make_node), so the answer is the last match in file order over all same-named
 * sections; that is what last_match() computes on our unmerged tree. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/macros.h"

#include "lvmfmt/cft.h"
#include "lvmfmt/config.h"
#include "lvmfmt/err.h"

static int load_file(const char *path, bool lean, struct lvf_cft_node **ret, struct lvf_err *reterr)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	struct stat st;
	int r;

	if (!path || !ret)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap >= LVF_CONFIG_MAX_BYTES) {
				return lvf_err_set(reterr, -EFBIG, "file is larger than %u bytes",
						   LVF_CONFIG_MAX_BYTES);
			}
			cap = cap ? cap * 2 : 16384;
			if (cap > LVF_CONFIG_MAX_BYTES)
				cap = LVF_CONFIG_MAX_BYTES;
			nb = realloc(buf, cap);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	r = lean ? lvf_cft_parse_lean(buf, len, ret, reterr) : lvf_cft_parse(buf, len, ret, reterr);
	return r;
}

int lvf_config_load_file(const char *path, struct lvf_cft_node **ret, struct lvf_err *reterr)
{
	return load_file(path, false, ret, reterr);
}

int lvf_config_load_file_lean(const char *path, struct lvf_cft_node **ret, struct lvf_err *reterr)
{
	return load_file(path, true, ret, reterr);
}

/* Last node at @path below @sec, searching every same-named section at each level. */
static const struct lvf_cft_node *last_match(const struct lvf_cft_node *sec, const char *path)
{
	const struct lvf_cft_node *best = NULL;
	const char *e;
	size_t l;

	while (*path == '/')
		path++;
	if (!*path)
		return sec;
	if (sec->type != LVF_CFT_SECTION)
		return NULL;
	e = strchrnul(path, '/');
	l = (size_t)(e - path);
	for (const struct lvf_cft_node *c = sec->child; c; c = c->next) {
		const struct lvf_cft_node *m;

		if (!c->key || strncmp(c->key, path, l) != 0 || c->key[l] != '\0')
			continue;
		m = last_match(c, e);
		if (m)
			best = m;
	}
	return best;
}

const struct lvf_cft_node *lvf_config_find(const struct lvf_cft_node *const *layers, size_t n,
					   const char *path)
{
	if (!layers || !path)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		const struct lvf_cft_node *m;

		if (!layers[k])
			continue;
		m = last_match(layers[k], path);
		if (m)
			return m;
	}
	return NULL;
}

int lvf_config_get_int(const struct lvf_cft_node *const *layers, size_t n, const char *path,
		       int64_t dflt, int64_t *ret)
{
	const struct lvf_cft_node *m = lvf_config_find(layers, n, path);

	if (m && m->type != LVF_CFT_INT)
		return -EBADMSG;
	if (ret)
		*ret = m ? m->i : dflt;
	return 0;
}

int lvf_config_get_str(const struct lvf_cft_node *const *layers, size_t n, const char *path,
		       const char *dflt, const char **ret)
{
	const struct lvf_cft_node *m = lvf_config_find(layers, n, path);

	if (m && m->type != LVF_CFT_STR)
		return -EBADMSG;
	if (ret)
		*ret = m ? m->s : dflt;
	return 0;
}
