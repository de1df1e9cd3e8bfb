/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `thinbox dm VERB ...`: dmsetup's verbs, table syntax and output, for studying and poking
 * device-mapper directly. --trace (or THINBOX_TRACE=1) prints every ioctl on stderr. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/macros.h"
#include "util/strbuf.h"

struct dm_opts {
	const char *table;
	const char *uuid;
	bool notable, readonly, noflush, nolockfs, deferred, retry, inactive, tree;
	int nargs;
	char **args; /* positional arguments after the verb */
};

static const char usage[] =
	"usage: thinbox dm [--trace] VERB [ARGS]\n"
	"  version | targets | ls [--tree]\n"
	"  info [NAME] | deps [NAME] | table [NAME] [--inactive] | status [NAME] [--noflush] [--inactive]\n"
	"  create NAME [-u UUID] [-r] [--table TABLE | --notable]   (table on stdin otherwise)\n"
	"  load NAME [-r] [--table TABLE] | clear NAME\n"
	"  suspend NAME [--noflush] [--nolockfs] | resume NAME\n"
	"  remove NAME [--deferred] [--retry] | rename OLD NEW\n"
	"  message NAME SECTOR MESSAGE... | wait NAME [EVENT_NR] | mknodes [NAME]\n";

static int fail(struct tb_ctx *ctx)
{
	cli_err("%s", tb_ctx_errmsg(ctx));
	return CLI_FAILED;
}

static int need_args(const char *verb, const struct dm_opts *o, int min, int max)
{
	if (o->nargs < min || (max >= 0 && o->nargs > max)) {
		cli_err("dm %s: wrong number of arguments.", verb);
		fputs(usage, stderr);
		return -1;
	}
	return 0;
}

static char *read_stdin(void)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		strbuf_appendn(&sb, buf, n);
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return NULL;
	}
	return sb.buf ? strbuf_steal(&sb) : strdup("");
}

static int do_version(struct tb_ctx *ctx, const struct dm_opts *o)
{
	uint32_t v[3];
	if (tb_dm_driver_version(ctx, v) < 0)
		return fail(ctx);
	printf("Library version:   thinbox %s\n", tb_version());
	printf("Driver version:    %u.%u.%u\n", v[0], v[1], v[2]);
	return CLI_OK;
}

static int do_targets(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ struct tb_dm_target_type *t = NULL;
	size_t n;

	if (tb_dm_target_types(ctx, &t, &n) < 0)
		return fail(ctx);
	for (size_t i = 0; i < n; i++)
		printf("%-16s v%u.%u.%u\n", t[i].name, t[i].version[0], t[i].version[1],
		       t[i].version[2]);
	return CLI_OK;
}

/* ---- ls --tree ---- */

struct tree {
	struct tb_dm_dev *devs;
	size_t n;
	struct tb_dm_devno **deps;
	size_t *ndeps;
};

static ssize_t tree_find(const struct tree *t, uint32_t ma, uint32_t mi)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->devs[i].major == ma && t->devs[i].minor == mi)
			return (ssize_t)i;
	return -1;
}

/* dmsetup draws with UTF-8 glyphs only in a UTF-8 locale */
static bool utf8_locale(void)
{
	const char *vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

static void tree_print(const struct tree *t, uint32_t ma, uint32_t mi, const char *prefix,
		       bool last, bool root, int depth)
{
	bool u = utf8_locale();
	ssize_t k = tree_find(t, ma, mi);
	char sub[512];

	if (root)
		printf("%s (%u:%u)\n", k >= 0 ? t->devs[k].name : "", ma, mi);
	else
		printf("%s%s%s (%u:%u)\n", prefix,
		       last ? (u ? "└─" : "`-") : (u ? "├─" : "|-"),
		       k >= 0 ? t->devs[k].name : "", ma, mi);
	if (k < 0 || depth > 64)
		return;
	snprintf(sub, sizeof(sub), "%s%s", prefix, root ? " " : last ? "   " : u ? "│  " : "|  ");
	for (size_t j = 0; j < t->ndeps[k]; j++)
		tree_print(t, t->deps[k][j].major, t->deps[k][j].minor, sub,
			   j + 1 == t->ndeps[k], false, depth + 1);
}

static int do_ls(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ struct tb_dm_dev *d = NULL;
	struct tree t = { 0 };
	size_t n;
	int rc = CLI_OK;

	if (tb_dm_list(ctx, &d, &n) < 0)
		return fail(ctx);
	if (n == 0) {
		printf("No devices found\n");
		return CLI_OK;
	}
	if (!o->tree) {
		for (size_t i = 0; i < n; i++)
			printf("%s\t(%u:%u)\n", d[i].name, d[i].major, d[i].minor);
		return CLI_OK;
	}
	t.devs = d;
	t.n = n;
	t.deps = calloc(n, sizeof(*t.deps));
	t.ndeps = calloc(n, sizeof(*t.ndeps));
	if (!t.deps || !t.ndeps) {
		rc = CLI_FAILED;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (tb_dm_deps(ctx, d[i].name, &t.deps[i], &t.ndeps[i]) < 0) {
			rc = fail(ctx);
			goto out;
		}
	/* roots: devices no other device uses */
	for (size_t i = 0; i < n; i++) {
		bool used = false;
		for (size_t j = 0; j < n && !used; j++)
			for (size_t k = 0; k < t.ndeps[j]; k++)
				if (t.deps[j][k].major == d[i].major &&
				    t.deps[j][k].minor == d[i].minor)
					used = true;
		if (!used)
			tree_print(&t, d[i].major, d[i].minor, "", true, true, 0);
	}
out:
	for (size_t i = 0; t.deps && i < n; i++)
		free(t.deps[i]);
	free(t.deps);
	free(t.ndeps);
	return rc;
}

/* ---- info, table, status ---- */

static void print_info(const struct tb_dm_info *i)
{
	printf("Name:              %s\n", i->name);
	printf("State:             %s%s%s\n", i->suspended ? "SUSPENDED" : "ACTIVE",
	       i->read_only ? " (READ-ONLY)" : "", i->deferred_remove ? " (DEFERRED REMOVE)" : "");
	printf("Read Ahead:        %u\n", i->read_ahead_sectors);
	if (!i->live_table && !i->inactive_table)
		printf("Tables present:    None\n");
	else
		printf("Tables present:    %s%s%s\n", i->live_table ? "LIVE" : "",
		       i->live_table && i->inactive_table ? " & " : "",
		       i->inactive_table ? "INACTIVE" : "");
	printf("Open count:        %d\n", i->open_count);
	printf("Event number:      %u\n", i->event_nr);
	printf("Major, minor:      %u, %u\n", i->major, i->minor);
	printf("Number of targets: %u\n", i->target_count);
	if (i->uuid[0])
		printf("UUID: %s\n", i->uuid);
}

static int each_device(struct tb_ctx *ctx, const struct dm_opts *o,
		       int (*fn)(struct tb_ctx *ctx, const struct dm_opts *o, const char *name,
				 bool many))
{
	_cleanup_free_ struct tb_dm_dev *d = NULL;
	size_t n;
	int rc = CLI_OK;

	if (o->nargs > 0) {
		for (int i = 0; i < o->nargs; i++) {
			int r = fn(ctx, o, o->args[i], o->nargs > 1);
			if (r != CLI_OK)
				rc = r;
		}
		return rc;
	}
	if (tb_dm_list(ctx, &d, &n) < 0)
		return fail(ctx);
	if (n == 0) {
		printf("No devices found\n");
		return CLI_OK;
	}
	for (size_t i = 0; i < n; i++) {
		int r = fn(ctx, o, d[i].name, true);
		if (r != CLI_OK)
			rc = r;
	}
	return rc;
}

static int one_info(struct tb_ctx *ctx, const struct dm_opts *o, const char *name, bool many)
{
	struct tb_dm_info i;

	if (tb_dm_info(ctx, name, &i) < 0) {
		if (!many)
			return fail(ctx);
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	print_info(&i);
	printf("\n"); /* dmsetup ends every info block with a blank line */
	return CLI_OK;
}

static int one_lines(struct tb_ctx *ctx, const struct dm_opts *o, const char *name, bool many,
		     bool table)
{
	struct tb_dm_target *t = NULL;
	unsigned flags = (o->inactive ? TB_DM_INACTIVE : 0) | (o->noflush ? TB_DM_NOFLUSH : 0);
	size_t n;
	int r;

	r = table ? tb_dm_table(ctx, name, flags, &t, &n) : tb_dm_status(ctx, name, flags, &t, &n);
	if (r < 0)
		return fail(ctx);
	if (n == 0 && many)
		printf("%s: \n", name);
	for (size_t i = 0; i < n; i++)
		printf("%s%s%" PRIu64 " %" PRIu64 " %s %s\n", many ? name : "", many ? ": " : "",
		       t[i].start, t[i].len, t[i].type, t[i].params);
	tb_dm_targets_free(t, n);
	return CLI_OK;
}

static int one_table(struct tb_ctx *ctx, const struct dm_opts *o, const char *name, bool many)
{
	return one_lines(ctx, o, name, many, true);
}

static int one_status(struct tb_ctx *ctx, const struct dm_opts *o, const char *name, bool many)
{
	return one_lines(ctx, o, name, many, false);
}

static int one_deps(struct tb_ctx *ctx, const struct dm_opts *o, const char *name, bool many)
{
	_cleanup_free_ struct tb_dm_devno *d = NULL;
	size_t n;

	if (tb_dm_deps(ctx, name, &d, &n) < 0)
		return fail(ctx);
	if (many)
		printf("%s: ", name);
	printf("%zu dependencies\t:", n);
	for (size_t i = 0; i < n; i++)
		printf(" (%u, %u)", d[i].major, d[i].minor);
	printf("\n");
	return CLI_OK;
}

/* ---- changes ---- */

static int do_create_or_load(struct tb_ctx *ctx, const struct dm_opts *o, bool create)
{
	_cleanup_free_ char *in = NULL;
	const char *table = o->table;
	int r;

	if (!table && !(create && o->notable)) {
		in = read_stdin();
		if (!in) {
			cli_err("Cannot read the table from standard input.");
			return CLI_FAILED;
		}
		table = in;
	}
	if (create)
		r = tb_dm_create(ctx, o->args[0], o->uuid, table,
				 o->readonly ? TB_DM_READONLY : 0, NULL);
	else
		r = tb_dm_load(ctx, o->args[0], table, o->readonly ? TB_DM_READONLY : 0);
	return r < 0 ? fail(ctx) : CLI_OK;
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int do_message(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ char *reply = NULL;
	struct strbuf msg = { 0 };
	uint64_t sector;
	int r;

	if (parse_u64(o->args[1], &sector) < 0) {
		cli_err("Invalid sector '%s': give a number (0 for thin-pool messages).",
			o->args[1]);
		return CLI_EINVAL;
	}
	for (int i = 2; i < o->nargs; i++) {
		if (i > 2)
			strbuf_appendc(&msg, ' ');
		strbuf_append(&msg, o->args[i]);
	}
	if (!strbuf_ok(&msg)) {
		strbuf_release(&msg);
		return CLI_FAILED;
	}
	r = tb_dm_message(ctx, o->args[0], sector, strbuf_str(&msg), &reply);
	strbuf_release(&msg);
	if (r < 0)
		return fail(ctx);
	if (reply && *reply)
		printf("%s\n", reply);
	return CLI_OK;
}

static int do_wait(struct tb_ctx *ctx, const struct dm_opts *o)
{
	uint64_t ev = 0;
	struct tb_dm_info i;

	if (o->nargs > 1 && (parse_u64(o->args[1], &ev) < 0 || ev > UINT32_MAX)) {
		cli_err("Invalid event number '%s'.", o->args[1]);
		return CLI_EINVAL;
	}
	if (tb_dm_wait(ctx, o->args[0], (uint32_t)ev, &i) < 0)
		return fail(ctx);
	return CLI_OK;
}

static int cmd_dm(struct tb_ctx *ctx, int argc, char **argv)
{
	struct dm_opts o = { 0 };
	_cleanup_free_ char **pos = calloc((size_t)argc + 1, sizeof(char *));
	const char *verb = NULL;
	int npos = 0;

	if (!pos)
		return CLI_FAILED;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;

		if (streq(a, "--trace"))
			tb_ctx_set_trace(ctx, true);
		else if (streq(a, "--table") && has_next)
			o.table = argv[++i];
		else if (streq(a, "--notable"))
			o.notable = true;
		else if ((streq(a, "-u") || streq(a, "--uuid")) && has_next)
			o.uuid = argv[++i];
		else if (streq(a, "-r") || streq(a, "--readonly"))
			o.readonly = true;
		else if (streq(a, "--noflush"))
			o.noflush = true;
		else if (streq(a, "--nolockfs"))
			o.nolockfs = true;
		else if (streq(a, "--deferred"))
			o.deferred = true;
		else if (streq(a, "--retry"))
			o.retry = true;
		else if (streq(a, "--inactive"))
			o.inactive = true;
		else if (streq(a, "--tree"))
			o.tree = true;
		else if (streq(a, "-h") || streq(a, "--help")) {
			fputs(usage, stdout);
			return CLI_OK;
		} else if (a[0] == '-' && a[1] == '-' && !(verb && streq(verb, "message"))) {
			cli_err("dm: unknown option '%s' (or it needs a value).", a);
			return CLI_EINVAL;
		} else if (!verb)
			verb = a;
		else
			pos[npos++] = argv[i];
	}
	if (!verb) {
		fputs(usage, stderr);
		return CLI_EINVAL;
	}
	o.args = pos;
	o.nargs = npos;

	if (streq(verb, "version"))
		return need_args(verb, &o, 0, 0) < 0 ? CLI_EINVAL : do_version(ctx, &o);
	if (streq(verb, "targets"))
		return need_args(verb, &o, 0, 0) < 0 ? CLI_EINVAL : do_targets(ctx, &o);
	if (streq(verb, "ls"))
		return need_args(verb, &o, 0, 0) < 0 ? CLI_EINVAL : do_ls(ctx, &o);
	if (streq(verb, "info"))
		return each_device(ctx, &o, one_info);
	if (streq(verb, "table"))
		return each_device(ctx, &o, one_table);
	if (streq(verb, "status"))
		return each_device(ctx, &o, one_status);
	if (streq(verb, "deps"))
		return each_device(ctx, &o, one_deps);
	if (streq(verb, "create"))
		return need_args(verb, &o, 1, 1) < 0 ? CLI_EINVAL : do_create_or_load(ctx, &o, true);
	if (streq(verb, "load"))
		return need_args(verb, &o, 1, 1) < 0 ? CLI_EINVAL
						     : do_create_or_load(ctx, &o, false);
	if (streq(verb, "clear")) {
		if (need_args(verb, &o, 1, 1) < 0)
			return CLI_EINVAL;
		return tb_dm_clear(ctx, o.args[0]) < 0 ? fail(ctx) : CLI_OK;
	}
	if (streq(verb, "suspend")) {
		unsigned f = (o.noflush ? TB_DM_NOFLUSH : 0) | (o.nolockfs ? TB_DM_SKIP_LOCKFS : 0);
		if (need_args(verb, &o, 1, 1) < 0)
			return CLI_EINVAL;
		return tb_dm_suspend(ctx, o.args[0], f) < 0 ? fail(ctx) : CLI_OK;
	}
	if (streq(verb, "resume")) {
		if (need_args(verb, &o, 1, 1) < 0)
			return CLI_EINVAL;
		return tb_dm_resume(ctx, o.args[0]) < 0 ? fail(ctx) : CLI_OK;
	}
	if (streq(verb, "remove")) {
		unsigned f = (o.deferred ? TB_DM_DEFERRED : 0) | (o.retry ? TB_DM_RETRY : 0);
		if (need_args(verb, &o, 1, 1) < 0)
			return CLI_EINVAL;
		return tb_dm_remove(ctx, o.args[0], f) < 0 ? fail(ctx) : CLI_OK;
	}
	if (streq(verb, "rename")) {
		if (need_args(verb, &o, 2, 2) < 0)
			return CLI_EINVAL;
		return tb_dm_rename(ctx, o.args[0], o.args[1]) < 0 ? fail(ctx) : CLI_OK;
	}
	if (streq(verb, "message"))
		return need_args(verb, &o, 3, -1) < 0 ? CLI_EINVAL : do_message(ctx, &o);
	if (streq(verb, "wait"))
		return need_args(verb, &o, 1, 2) < 0 ? CLI_EINVAL : do_wait(ctx, &o);
	if (streq(verb, "mknodes")) {
		if (need_args(verb, &o, 0, 1) < 0)
			return CLI_EINVAL;
		return tb_dm_mknodes(ctx, o.nargs ? o.args[0] : NULL) < 0 ? fail(ctx) : CLI_OK;
	}
	cli_err("dm: unknown verb '%s'.", verb);
	fputs(usage, stderr);
	return CLI_EINVAL;
}

CLI_COMMAND(dm, "dm", cmd_dm, "device-mapper directly, dmsetup-style (thinbox dm --help)");
