/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Multi-call entry point: dispatch on argv[0] (pvcreate, lvs, ...), on `lvm <cmd>`, or on
 * `thinbox <cmd>`. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/macros.h"

/* `lvm version` answers in lvm2 2.03.16's format, so that programs parsing it (Incus:
 * driver_lvm.go, lines containing "version:") see the lvm2 release whose command line thinbox
 * implements; the Configuration line says what is really running. */
static int cmd_version(struct tb_ctx *ctx, int argc, char **argv)
{
	uint32_t v[3];

	if (!streq(program_invocation_short_name, "lvm")) {
		printf("thinbox %s\n", tb_version());
		return CLI_OK;
	}
	printf("  LVM version:     2.03.16(2) (2022-05-18)\n");
	printf("  Library version: 1.02.185 (2022-05-18)\n");
	if (ctx && tb_dm_driver_version(ctx, v) == 0)
		printf("  Driver version:  %u.%u.%u\n", v[0], v[1], v[2]);
	printf("  Configuration:   thinbox %s (lvm2-compatible)\n", tb_version());
	return CLI_OK;
}

static int cmd_help(struct tb_ctx *ctx, int argc, char **argv);

CLI_COMMAND(version, "version", cmd_version, "print the version");
CLI_COMMAND(help, "help", cmd_help, "list the commands");

extern const struct cli_cmd __start_cli_cmds[], __stop_cli_cmds[];

static int cmp_cmd(const void *a, const void *b)
{
	return strcmp(((const struct cli_cmd *const *)a)[0]->name,
		      ((const struct cli_cmd *const *)b)[0]->name);
}

static int cmd_help(struct tb_ctx *ctx, int argc, char **argv)
{
	printf("usage: thinbox COMMAND [ARGS]   (or run it under an lvm2 command name)\n\n");
	size_t n = (size_t)(__stop_cli_cmds - __start_cli_cmds);
	const struct cli_cmd **sorted = calloc(n ? n : 1, sizeof(*sorted));

	if (!sorted)
		return CLI_FAILED;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &__start_cli_cmds[i];
	qsort(sorted, n, sizeof(*sorted), cmp_cmd);
	for (size_t i = 0; i < n; i++)
		printf("  %-12s %s\n", sorted[i]->name, sorted[i]->summary);
	free(sorted);
	return CLI_OK;
}

static const struct cli_cmd *find_cmd(const char *name)
{
	for (const struct cli_cmd *c = __start_cli_cmds; c < __stop_cli_cmds; c++)
		if (streq(c->name, name))
			return c;
	return NULL;
}

/* lvm2's output: notices on stdout, warnings and errors on stderr, each indented by two. */
static void cli_log(void *userdata, int priority, const char *file, int line, const char *fn,
		    const char *format, va_list args)
{
	FILE *out = priority == LOG_NOTICE ? stdout : stderr;
	size_t fl = strlen(format);

	/* lvm2's yes_no_prompt: the question on stderr, not indented (answered "n" here) */
	if (fl >= 10 && !strcmp(format + fl - 10, "[y/n]: [n]"))
		out = stderr;
	else
		fputs("  ", out);
	vfprintf(out, format, args);
	fputc('\n', out);
	fflush(out);
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
		if (streq(self, "lvm") && cmd_name[0] == '-') { /* lvm2: `lvm --version` */
			cli_err("Specify options after a command: lvm [command] [options].");
			return CLI_EINVAL;
		}
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
	tb_ctx_set_log_fn(ctx, cli_log, NULL);
	/* the library spawns "PATH monitor --daemon"; the CLI is thinbox: itself, wherever it
	 * lives, unless $THINBOX_MONITOR_BIN names another (docs/architecture.md) */
	if (!getenv("THINBOX_MONITOR_BIN") && tb_ctx_set_monitor_path(ctx, "/proc/self/exe") < 0) {
		tb_ctx_unref(ctx);
		cli_err("Failed to initialise: %s", strerror(ENOMEM));
		return CLI_FAILED;
	}
	if (!getenv("THINBOX_LOG"))
		tb_ctx_set_log_priority(ctx, LOG_NOTICE);
	/* one command, then exit: the models it is done with are left to the exit (the
	 * monitor, which runs on, turns this off) */
	tb_ctx_set_exit_frees(ctx, true);
	r = cmd->handler(ctx, argc, argv);
	tb_ctx_unref(ctx);
	return r;
}
