/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LV names as lvm2 2.03.16 checks them on the command line (tools/toollib.c
 * validate_restricted_lvname_param: lib/misc/lvm-string.c validate_name, then
 * apply_lvname_restrictions), with its messages; lvcreate and lvrename then exit 3. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/thinbox.h"
#include "metadata/md.h"
#include "util/macros.h"

TB_EXPORT int tb_lv_name_check(const char *name, char *msg, size_t len)
{
	static const char *const prefixes[] = { "pvmove", "snapshot" };
	static const char *const strings[] = {
		"_cdata", "_cmeta",  "_corig", "_cpool",   "_cvol",   "_imeta",
		"_iorig", "_mimage", "_mlog",  "_pmspare", "_rimage", "_rmeta",
		"_tdata", "_tmeta",  "_vdata", "_vorigin", "_wcorig",
	};

	if (md_name_check(name, NULL) < 0) {
		snprintf(msg, len, "Logical volume name \"%s\" is invalid.", name);
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i]))) {
			snprintf(msg, len,
				 "Names starting \"%s\" are reserved. Please choose a "
				 "different LV name.",
				 prefixes[i]);
			return -EINVAL;
		}
	for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
		if (strstr(name, strings[i])) {
			snprintf(msg, len,
				 "Names including \"%s\" are reserved. Please choose a "
				 "different LV name.",
				 strings[i]);
			return -EINVAL;
		}
	return 0;
}

/* lvm2 2.03.16 lib/metadata/metadata.c validate_new_vg_name: lib/misc/lvm-string.c
 * validate_name_detailed, display_name_error's words, in its order; then /dev/NAME. */
TB_EXPORT int tb_vg_name_check(const char *name, char *msg, size_t len)
{
	char path[300];
	struct stat st;
	size_t n = strlen(name);
	const char *why = NULL;

	if (!n)
		why = "Name is zero length.";
	else if (name[0] == '-')
		why = "Name cannot start with hyphen.";
	else if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
		why = "Name starts with . or .. and has no following character(s).";
	for (size_t i = 0; !why && i < n; i++)
		if (!md_name_char_is_valid(name[i]))
			why = "Name contains invalid character, valid set includes: [a-zA-Z0-9.-_+].";
	if (!why && n > MD_NAME_MAX)
		why = "Name length exceeds maximum limit of 127.";
	if (why) {
		snprintf(msg, len, "%s", why);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (lstat(path, &st) == 0) {
		snprintf(msg, len, "%s: already exists in filesystem", path);
		return -EEXIST;
	}
	return 0;
}
