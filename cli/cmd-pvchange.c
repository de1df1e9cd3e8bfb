/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pvchange --metadatasize SIZE PV: the metadata area that grows (thinbox extension, issue 13;
 * core/pvmeta.c). lvm2's pvchange has no --metadatasize; its other options are not taken. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "util/macros.h"

DEFINE_FREE_FUNC(struct cli_parsed, cli_parsed_free);

enum { P_VERBOSE = 1, P_DEBUG, P_QUIET, P_YES, P_MDSIZE };

static const struct cli_option pvchange_opts[] = {
	{ P_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ P_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ P_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ P_YES, 'y', "yes", CLI_OPT_FLAG, 0 },
	{ P_MDSIZE, 0, "metadatasize", CLI_OPT_SIZE_MB, 0 },
};

static int cmd_pvchange(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = cli_options_parse("pvchange", pvchange_opts, ARRAY_SIZE(pvchange_opts), argc, argv,
				  stderr, &p);

	if (r)
		return r;
	if (!cli_opt_isset(p, P_MDSIZE)) {
		cli_err("thinbox's pvchange takes only --metadatasize SIZE (grow a PV's metadata "
			"area).");
		return CLI_EINVAL;
	}
	if (p->n_pos != 1) {
		cli_err("Please give exactly one physical volume path.");
		return CLI_EINVAL;
	}
	if (tb_pvchange_metadatasize(ctx, p->pos[0], cli_opt(p, P_MDSIZE)->u64 * 512) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(pvchange, "pvchange", cmd_pvchange,
	    "pvchange --metadatasize SIZE PV: grow a PV's metadata area (thinbox extension)");
