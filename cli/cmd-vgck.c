/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgck [--updatemetadata] VG: is every metadata copy of VG good and newest; repair them. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_vgck(struct tb_ctx *ctx, int argc, char **argv)
{
	const char *vg = NULL;
	bool update = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* lvm2 drops '-' inside long option names */
		if (!strcmp(a, "--updatemetadata") || !strcmp(a, "--update-metadata"))
			update = true;
		else if (!strcmp(a, "-v") || !strcmp(a, "-q") || !strcmp(a, "-y") ||
			 !strcmp(a, "--yes") || !strcmp(a, "--verbose"))
			continue;
		else if (a[0] == '-') {
			cli_err("vgck: unrecognized option '%s' (thinbox's vgck: [--updatemetadata] VG)",
				a);
			return CLI_EINVAL;
		} else if (vg) {
			cli_err("vgck: one VG at a time.");
			return CLI_EINVAL;
		} else {
			vg = !strncmp(a, "/dev/", 5) ? a + 5 : a;
		}
	}
	if (!vg) {
		cli_err("vgck: please name the VG.");
		return CLI_EINVAL;
	}
	if (tb_vgck(ctx, vg, update) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(vgck, "vgck", cmd_vgck, "check (--updatemetadata: repair) a VG's metadata copies");
