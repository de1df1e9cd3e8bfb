/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command table of the multi-call binary. Each handler: argv -> options -> one tb_ call
 * -> message + exit code (lvm2's: 0 ok, 3 failed/invalid, 5 ECMD_FAILED). */
#pragma once

#include "core/thinbox.h"

#define CLI_OK 0
#define CLI_EINVAL 3 /* lvm2: EINVALID_CMD_LINE */
#define CLI_FAILED 5 /* lvm2: ECMD_FAILED */

struct cli_cmd {
	const char *name;
	int (*handler)(struct tb_ctx *ctx, int argc, char **argv);
	const char *summary;
};

/* Register a command from any file of cli/, without touching main.c: the entries land in the
 * "cli_cmds" linker section, which main.c walks (__start_cli_cmds .. __stop_cli_cmds).
 * Example: CLI_COMMAND(lvs, "lvs", cmd_lvs, "report logical volumes"); */
#define CLI_COMMAND(id, nm, fn, sum)                                                               \
	static const struct cli_cmd cli_cmd_##id                                                   \
		__attribute__((used, section("cli_cmds"),                                          \
			       aligned(__alignof__(struct cli_cmd)))) = { nm, fn, sum }

/* Print an error in lvm2's style ("  msg") to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
