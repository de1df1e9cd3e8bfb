/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `lvmconfig` / `lvm dumpconfig` / `lvm config` for the keys thinbox and its clients read
 * (lvm2 tools/dumpconfig.c): `--type current` (lvm.conf, the default), `default`, `full`
 * (lvm.conf over lvm2's defaults). Only the settings in the table below are known. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "util/macros.h"

/* lvm2 2.03.16's defaults (lib/config/config_settings.h) as `lvmconfig --type full` prints
 * them on Debian 12, in lvm2's section order. */
static const struct {
	const char *path, *dflt;
} settings[] = {
	{ "config/checks", "1" },
	{ "config/abort_on_errors", "0" },
	{ "config/profile_dir", NULL }, /* $LVM_SYSTEM_DIR/profile */
	{ "devices/dir", "\"/dev\"" },
	{ "devices/scan", "[\"/dev\"]" },
	{ "devices/filter", "[\"a|.*|\"]" },
	{ "devices/global_filter", "[\"a|.*|\"]" },
	{ "allocation/thin_pool_zero", "1" },
	{ "allocation/thin_pool_discards", "\"passdown\"" },
	{ "allocation/thin_pool_chunk_size_policy", "\"generic\"" },
	{ "backup/backup", "1" },
	{ "backup/backup_dir", NULL },
	{ "backup/archive", "1" },
	{ "backup/archive_dir", NULL },
	{ "global/locking_type", "1" },
	{ "global/use_lvmlockd", "0" }, /* thinbox has no lvmlockd: lvm2 without it */
	{ "global/thin_check_executable", "\"/usr/sbin/thin_check\"" },
	{ "global/thin_dump_executable", "\"/usr/sbin/thin_dump\"" },
	{ "global/thin_repair_executable", "\"/usr/sbin/thin_repair\"" },
	{ "global/thin_check_options", "[\"-q\", \"--clear-needs-check-flag\"]" },
	{ "activation/udev_sync", "1" },
	{ "activation/thin_pool_autoextend_threshold", "100" },
	{ "activation/thin_pool_autoextend_percent", "20" },
	{ "activation/monitoring", "1" },
	{ "report/time_format", "\"%Y-%m-%d %T %z\"" },
};

enum { C_VERBOSE = 1, C_DEBUG, C_QUIET, C_CONFIG, C_TYPE, C_FILE };
static const struct cli_option cfg_opts[] = {
	{ C_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ C_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ C_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ C_CONFIG, 0, "config", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ C_TYPE, 0, "type", CLI_OPT_STR, 0 },
	{ C_FILE, 'f', "file", CLI_OPT_STR, 0 },
};

static char *dflt_of(size_t i)
{
	char *s = NULL;
	const char *sub = streq(settings[i].path, "config/profile_dir")  ? "profile"
			  : streq(settings[i].path, "backup/backup_dir") ? "backup"
									 : "archive";
	if (settings[i].dflt)
		return strdup(settings[i].dflt);
	if (asprintf(&s, "\"%s/%s\"", tb_config_dir(), sub) < 0)
		return NULL;
	return s;
}

static int find_setting(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (streq(settings[i].path, path))
			return (int)i;
	return -1;
}

/* current: lvm.conf; full: lvm.conf or default; default: "# key=default". */
static int value_of(struct tb_ctx *ctx, const char *type, const char *path, char **ret,
		    bool *commented)
{
	int k = find_setting(path);

	*commented = false;
	if (streq(type, "default")) {
		/* deprecated settings have no default to show (lvm2 says not found) */
		if (k < 0 || streq(path, "global/locking_type"))
			return -ENOENT;
		*commented = true;
		*ret = dflt_of((size_t)k);
		return *ret ? 0 : -ENOMEM;
	}
	if (tb_config_lookup(ctx, path, ret) == 0)
		return 0;
	if (streq(type, "full") && k >= 0) {
		*ret = dflt_of((size_t)k);
		return *ret ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int cmd_lvmconfig(struct tb_ctx *ctx, int argc, char **argv)
{
	struct cli_parsed *p = NULL;
	const char *type;
	int r = cli_options_parse(argv[0], cfg_opts, ARRAY_SIZE(cfg_opts), argc, argv, stderr, &p);
	int rc = CLI_OK;

	if (r)
		return r;
	type = cli_opt_str(p, C_TYPE, "current");
	if (!streq(type, "current") && !streq(type, "full") && !streq(type, "default")) {
		cli_err("--type %s is not supported by thinbox (current, default, full).", type);
		cli_parsed_free(p);
		return CLI_EINVAL;
	}
	if (p->n_pos) {
		for (int i = 0; i < p->n_pos; i++) {
			char *v = NULL;
			bool c;
			const char *key = strrchr(p->pos[i], '/');
			if (value_of(ctx, type, p->pos[i], &v, &c) < 0) {
				cli_err("Configuration node %s not found", p->pos[i]);
				rc = CLI_FAILED;
				continue;
			}
			printf("%s%s=%s\n", c ? "# " : "", key ? key + 1 : p->pos[i], v);
			free(v);
		}
	} else {
		/* the whole tree of the known settings, section by section */
		const char *open = NULL;
		size_t ol = 0;
		for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
			const char *path = settings[i].path, *slash = strchr(path, '/');
			size_t sl = (size_t)(slash - path);
			char *v = NULL;
			bool c;
			if (value_of(ctx, type, path, &v, &c) < 0)
				continue;
			if (!open || ol != sl || strncmp(open, path, sl)) {
				if (open)
					printf("}\n");
				printf("%.*s {\n", (int)sl, path);
				open = path;
				ol = sl;
			}
			printf("\t%s%s=%s\n", c ? "# " : "", slash + 1, v);
			free(v);
		}
		if (open)
			printf("}\n");
	}
	fflush(stdout);
	cli_parsed_free(p);
	return rc;
}
CLI_COMMAND(lvmconfig, "lvmconfig", cmd_lvmconfig, "show lvm.conf settings (lvm2 lvmconfig)");
CLI_COMMAND(dumpconfig, "dumpconfig", cmd_lvmconfig, "the same as lvmconfig");
CLI_COMMAND(config, "config", cmd_lvmconfig, "the same as lvmconfig");
