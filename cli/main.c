/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Multi-call entry point: dispatch on argv[0] (pvcreate, lvs, ...), on `lvm <cmd>`, or on
 * `thinbox <cmd>`. */
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/macros.h"

static int cmd_version(struct tb_ctx *ctx, int argc, char **argv)
{
	printf("thinbox %s\n", tb_version());
	return CLI_OK;
}

static int cmd_help(struct tb_ctx *ctx, int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "list the commands" },
};

static int cmd_help(struct tb_ctx *ctx, int argc, char **argv)
{
	printf("usage: thinbox COMMAND [ARGS]   (or run it under an lvm2 command name)\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].summary);
	return CLI_OK;
}

void cli_err(const char *fmt, ...)
{
	va_list ap;
	fputs("  ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct tb_ctx *ctx = NULL;
	const struct cli_cmd *cmd;
	const char *self = argc > 0 ? basename(argv[0]) : "thinbox";
	const char *cmd_name;
	int r;

	if (!streq(self, "thinbox") && !streq(self, "thinbox-static") && !streq(self, "lvm")) {
		cmd_name = self;
		cmd = find_cmd(self);
	} else {
		if (argc < 2) {
			cmd_help(NULL, argc, argv);
			return CLI_EINVAL;
		}
		argc--;
		argv++;
		cmd_name = argv[0];
		cmd = find_cmd(argv[0]);
	}
	if (!cmd) {
		cli_err("No such command '%s'.  Try 'thinbox help'.", cmd_name);
		return CLI_EINVAL;
	}
	r = tb_ctx_new(0, &ctx);
	if (r < 0) {
		cli_err("Failed to initialise: %s", strerror(-r));
		return CLI_FAILED;
	}
	r = cmd->handler(ctx, argc, argv);
	tb_ctx_unref(ctx);
	return r;
}
