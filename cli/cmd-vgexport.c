/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgexport VG... / vgimport VG...: mark VGs as moved out of (into) this system. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int run(struct tb_ctx *ctx, int argc, char **argv, bool export)
{
	const char *cmd = export ? "vgexport" : "vgimport";
	int n = 0, rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-v") || !strcmp(a, "-q") || !strcmp(a, "-y") ||
		    !strcmp(a, "--yes") || !strcmp(a, "--verbose") || !strcmp(a, "--quiet"))
			continue;
		if (a[0] == '-') {
			cli_err("%s: unrecognized option '%s' (thinbox's %s: VG...)", cmd, a, cmd);
			return CLI_EINVAL;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *vg = argv[i];
		if (vg[0] == '-')
			continue;
		if (!strncmp(vg, "/dev/", 5))
			vg += 5;
		n++;
		if ((export ? tb_vgexport(ctx, vg) : tb_vgimport(ctx, vg)) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			rc = CLI_FAILED;
		}
	}
	if (!n) {
		/* lvm2 2.03.16 tools/vgexport.c, tools/vgimport.c */
		cli_err("Please supply volume groups or use -a for all.");
		return CLI_EINVAL;
	}
	return rc;
}

static int cmd_vgexport(struct tb_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, true);
}

static int cmd_vgimport(struct tb_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, false);
}
CLI_COMMAND(vgexport, "vgexport", cmd_vgexport, "mark a VG as moved out of this system");
CLI_COMMAND(vgimport, "vgimport", cmd_vgimport, "make an exported VG known to this system");
