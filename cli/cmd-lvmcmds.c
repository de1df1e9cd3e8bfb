/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2 commands the storage clients run besides the basic ones (docs/clients.md): vgscan,
 * pvscan, vgck (core/cmd/vgck.c), vgrename, pvresize, pvchange --addtag, vgcfgbackup, vgcfgrestore; and
 * the argument forms shared with cmd-lvm.c (VG, @tag, --config). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/lvmcmds.h"
#include "cli/report.h"
#include "util/macros.h"

DEFINE_FREE_FUNC(struct cli_parsed, cli_parsed_free);

enum {
	X_VERBOSE = 2000,
	X_DEBUG,
	X_QUIET,
	X_YES,
	X_TEST,
	X_DRIVERLOADED,
	X_IGNOREMON,
	X_NOUDEV,
	X_CONFIG,
	X_NOLOCKING,
	X_LOCKOPT,
	X_TRACE,
	X_MKNODES,
	X_IGNLOCKFAIL,
	X_CACHE,
	X_ACTIVATE,
	X_ALL,
	X_FILE,
	X_FORCE,
	X_SETSIZE,
	X_ADDTAG,
	X_DELTAG,
	X_AUTOBACKUP,
	X_SHORT,
	X_UUID,
	X_NOTIFYDBUS,
	X_REPORTFMT,
	X_MAJOR,
	X_MINOR,
	X_UPDATEMDA,
	X_LIST,
	X_MDSIZE,
};

#define X_COMMON                                                                                   \
	{ X_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                          \
		{ X_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                      \
		{ X_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                      \
		{ X_YES, 'y', "yes", CLI_OPT_FLAG, 0 }, { X_TEST, 't', "test", CLI_OPT_FLAG, 0 },  \
		{ X_DRIVERLOADED, 0, "driverloaded", CLI_OPT_BOOL, 0 },                            \
		{ X_IGNOREMON, 0, "ignoremonitoring", CLI_OPT_FLAG, 0 },                           \
		{ X_NOUDEV, 0, "noudevsync", CLI_OPT_FLAG, 0 },                                    \
		{ X_CONFIG, 0, "config", CLI_OPT_STR, CLI_OPTF_REPEATABLE },                       \
		{ X_NOLOCKING, 0, "nolocking", CLI_OPT_FLAG, 0 },                                  \
		{ X_LOCKOPT, 0, "lockopt", CLI_OPT_STR, 0 },                                       \
		{ X_IGNLOCKFAIL, 0, "ignorelockingfailure", CLI_OPT_FLAG, 0 },                     \
	{                                                                                          \
		X_TRACE, 0, "trace", CLI_OPT_FLAG, 0                                               \
	}

/* ---------------------------------------------------------------- shared helpers */

int cli_lvm_config(struct tb_ctx *ctx, const char *const *args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tb_ctx_set_config(ctx, args[i]) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			cli_err("Failed to set overridden configuration entries.");
			return CLI_EINVAL;
		}
	return CLI_OK;
}

int cli_tags_check(const struct cli_optval *v, const char *opt)
{
	for (unsigned i = 0; i < v->count; i++)
		if (!tb_tag_check(v->args[i])) {
			cli_err("Invalid argument for %s: %s", opt, v->args[i]);
			cli_err("Error during parsing of command line.");
			return -EINVAL;
		}
	return 0;
}

static int parse(struct tb_ctx *ctx, const char *cmd, const struct cli_option *t, size_t n,
		 int argc, char **argv, struct cli_parsed **ret)
{
	int r = cli_options_parse(cmd, t, n, argc, argv, stderr, ret);

	if (r != CLI_OK)
		return r;
	if (cli_opt_isset(*ret, X_TEST)) {
		cli_err("--test is not supported by thinbox.");
		*ret = cli_parsed_free(*ret);
		return CLI_EINVAL;
	}
	if (cli_opt_isset(*ret, X_TRACE))
		setenv("THINBOX_TRACE", "1", 1);
	if (cli_opt_isset(*ret, X_DRIVERLOADED) && !cli_opt(*ret, X_DRIVERLOADED)->b)
		tb_ctx_set_no_dm(ctx, true);
	r = cli_lvm_config(ctx, cli_opt(*ret, X_CONFIG)->args, cli_opt(*ret, X_CONFIG)->count);
	if (r == CLI_OK && cli_opt(*ret, X_REPORTFMT)) {
		enum cli_report_format f;
		r = cli_report_format_parse(cli_opt_str(*ret, X_REPORTFMT, NULL), stderr, &f);
	}
	if (r != CLI_OK)
		*ret = cli_parsed_free(*ret);
	return r;
}

static void names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "VG/LV", "/dev/VG/LV" -> vg, lv; 0, or -EINVAL when @arg is no LV path. */
static int split_lv(const char *arg, char *vg, size_t vglen, char *lv, size_t lvlen)
{
	const char *s = !strncmp(arg, "/dev/", 5) ? arg + 5 : arg, *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - s) >= vglen || strlen(slash + 1) >= lvlen)
		return -EINVAL;
	snprintf(vg, vglen, "%.*s", (int)(slash - s), s);
	snprintf(lv, lvlen, "%s", slash + 1);
	return 0;
}

struct lv_names {
	char **v;
	size_t n;
};

static int collect_visible(void *userdata, const struct tb_lv_row *row)
{
	struct lv_names *l = userdata;
	char **nv;

	if (!row->visible)
		return 0;
	if (!(nv = realloc(l->v, (l->n + 1) * sizeof(*nv))))
		return -ENOMEM;
	l->v = nv;
	if (!(nv[l->n] = strdup(row->name)))
		return -ENOMEM;
	l->n++;
	return 0;
}

int cli_each_lv(struct tb_ctx *ctx, char **args, int n, bool vg_whole, bool force, cli_lv_fn fn,
		void *data)
{
	char vg[256], lv[256];
	int ret = CLI_OK;

	for (int i = 0; i < n; i++) {
		const char *a = args[i];
		if (a[0] == '@') {
			char **sel = NULL;
			size_t ns = 0;
			if (tb_lv_select_tag(ctx, a, &sel, &ns) < 0) {
				cli_err("%s", tb_ctx_errmsg(ctx));
				ret = CLI_FAILED;
				continue;
			}
			for (size_t k = 0; k < ns; k++)
				if (split_lv(sel[k], vg, sizeof(vg), lv, sizeof(lv)) == 0 &&
				    fn(ctx, vg, lv, force, data) < 0) {
					cli_err("%s", tb_ctx_errmsg(ctx));
					ret = CLI_FAILED;
				}
			names_free(sel, ns);
		} else if (split_lv(a, vg, sizeof(vg), lv, sizeof(lv)) == 0) {
			if (fn(ctx, vg, lv, force, data) < 0) {
				cli_err("%s", tb_ctx_errmsg(ctx));
				ret = CLI_FAILED;
			}
		} else if (!strchr(a, '/') || (!strncmp(a, "/dev/", 5) && !strchr(a + 5, '/'))) {
			const char *vgn = !strncmp(a, "/dev/", 5) ? a + 5 : a;
			struct lv_names l = { 0 };
			if (vg_whole) {
				if (fn(ctx, vgn, NULL, force, data) < 0) {
					cli_err("%s", tb_ctx_errmsg(ctx));
					ret = CLI_FAILED;
				}
				continue;
			}
			if (tb_report_lvs(ctx, &vgn, 1, false, collect_visible, &l) < 0) {
				cli_err("%s", tb_ctx_errmsg(ctx));
				ret = CLI_FAILED;
			}
			for (size_t k = 0; k < l.n; k++)
				if (fn(ctx, vgn, l.v[k], force, data) < 0) {
					cli_err("%s", tb_ctx_errmsg(ctx));
					ret = CLI_FAILED;
				}
			names_free(l.v, l.n);
		} else {
			cli_err("\"%s\": Invalid path for Logical Volume.", a);
			ret = ret == CLI_OK ? CLI_EINVAL : ret;
		}
	}
	return ret;
}

int cli_lvremove_one(struct tb_ctx *ctx, const char *vg, const char *lv, bool force, void *data)
{
	(void)data;
	return lv ? tb_lvremove(ctx, vg, lv, force) : tb_lvremove_vg(ctx, vg, force);
}

int cli_lvchange_one(struct tb_ctx *ctx, const char *vg, const char *lv, bool force, void *data)
{
	(void)force;
	return tb_lvchange(ctx, vg, lv, data);
}

int cli_each_vg(struct tb_ctx *ctx, char **args, int n, const struct tb_vgchange_opts *o)
{
	char **names = NULL;
	size_t nn = 0;
	int ret = CLI_OK;

	if (n == 0) {
		if (tb_vg_names(ctx, &names, &nn) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			return CLI_FAILED;
		}
		for (size_t k = 0; k < nn; k++)
			if (tb_vgchange_ex(ctx, names[k], o) < 0) {
				cli_err("%s", tb_ctx_errmsg(ctx));
				ret = CLI_FAILED;
			}
		names_free(names, nn);
		return ret;
	}
	for (int i = 0; i < n; i++) {
		const char *a = args[i];
		if (a[0] == '@') {
			if (tb_vg_select_tag(ctx, a, &names, &nn) < 0) {
				cli_err("%s", tb_ctx_errmsg(ctx));
				ret = CLI_FAILED;
				continue;
			}
			for (size_t k = 0; k < nn; k++)
				if (tb_vgchange_ex(ctx, names[k], o) < 0) {
					cli_err("%s", tb_ctx_errmsg(ctx));
					ret = CLI_FAILED;
				}
			names_free(names, nn);
			names = NULL;
			nn = 0;
			continue;
		}
		if (!strncmp(a, "/dev/", 5))
			a += 5;
		if (tb_vgchange_ex(ctx, a, o) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			ret = CLI_FAILED;
		}
	}
	return ret;
}

/* ---------------------------------------------------------------- vgscan, pvscan */

static const struct cli_option vgscan_opts[] = {
	X_COMMON,
	{ X_MKNODES, 0, "mknodes", CLI_OPT_FLAG, 0 },
	{ X_CACHE, 0, "cache", CLI_OPT_FLAG, 0 },
	{ X_NOTIFYDBUS, 0, "notifydbus", CLI_OPT_FLAG, 0 },
	{ X_REPORTFMT, 0, "reportformat", CLI_OPT_STR, 0 },
};

static int cmd_vgscan(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgscan", vgscan_opts, ARRAY_SIZE(vgscan_opts), argc, argv, &p);

	if (r)
		return r;
	if (p->n_pos) {
		cli_err("Too many arguments, sample usage: vgscan [--mknodes]");
		return CLI_EINVAL;
	}
	if (tb_vgscan(ctx, cli_opt_isset(p, X_MKNODES)) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(vgscan, "vgscan", cmd_vgscan, "list volume groups (and make their device nodes)");

static const struct cli_option pvscan_opts[] = {
	X_COMMON,
	{ X_CACHE, 0, "cache", CLI_OPT_FLAG, 0 },
	{ X_ACTIVATE, 'a', "activate", CLI_OPT_ACTIVATION, 0 },
	{ X_SHORT, 's', "short", CLI_OPT_FLAG, 0 },
	{ X_UUID, 'u', "uuid", CLI_OPT_FLAG, 0 },
	{ X_MAJOR, 'j', "major", CLI_OPT_INT, 0 },
	{ X_MINOR, 0, "minor", CLI_OPT_INT, 0 },
	{ X_NOTIFYDBUS, 0, "notifydbus", CLI_OPT_FLAG, 0 },
	{ X_REPORTFMT, 0, "reportformat", CLI_OPT_STR, 0 },
};

static int cmd_pvscan(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "pvscan", pvscan_opts, ARRAY_SIZE(pvscan_opts), argc, argv, &p);
	bool aay;

	if (r)
		return r;
	aay = cli_opt_isset(p, X_ACTIVATE);
	if (aay && cli_opt(p, X_ACTIVATE)->activation != CLI_ACTIVATE_AUTO) {
		cli_err("Only --activate ay allowed with pvscan.");
		return CLI_EINVAL;
	}
	if (aay && !cli_opt_isset(p, X_CACHE)) {
		cli_err("The --activate option requires --cache.");
		return CLI_EINVAL;
	}
	if (!cli_opt_isset(p, X_CACHE) && p->n_pos) {
		cli_err("Too many arguments: pvscan without --cache takes none.");
		return CLI_EINVAL;
	}
	if (tb_pvscan(ctx, cli_opt_isset(p, X_CACHE), aay, (const char *const *)p->pos,
		      (size_t)p->n_pos) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(pvscan, "pvscan", cmd_pvscan, "list physical volumes; --cache -aay autoactivates");

/* ---------------------------------------------------------------- vgck, vgrename */

static const struct cli_option vgck_opts[] = {
	X_COMMON,
	{ X_UPDATEMDA, 0, "updatemetadata", CLI_OPT_FLAG, 0 },
	{ X_REPORTFMT, 0, "reportformat", CLI_OPT_STR, 0 },
};

/* VG or /dev/VG */
static const char *vgck_arg(const char *a)
{
	return !strncmp(a, "/dev/", 5) ? a + 5 : a;
}

static int cmd_vgck(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	char **names = NULL;
	size_t n = 0;
	int r = parse(ctx, "vgck", vgck_opts, ARRAY_SIZE(vgck_opts), argc, argv, &p), ret = CLI_OK;

	if (r)
		return r;
	if (!p->n_pos) {
		if (tb_vg_names(ctx, &names, &n) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			return CLI_FAILED;
		}
	}
	for (size_t i = 0; i < (p->n_pos ? (size_t)p->n_pos : n); i++)
		if (tb_vgck(ctx, vgck_arg(p->n_pos ? p->pos[i] : names[i]),
			    cli_opt_isset(p, X_UPDATEMDA)) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			ret = CLI_FAILED;
		}
	names_free(names, n);
	return ret;
}
CLI_COMMAND(vgck, "vgck", cmd_vgck, "check (--updatemetadata: repair) the metadata copies of VGs");

static const struct cli_option vgrename_opts[] = {
	X_COMMON,
	{ X_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	{ X_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
};

static int cmd_vgrename(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgrename", vgrename_opts, ARRAY_SIZE(vgrename_opts), argc, argv, &p);
	const char *a, *b;

	if (r)
		return r;
	if (p->n_pos != 2) {
		cli_err("Old and new volume group names need specifying");
		return CLI_EINVAL;
	}
	a = !strncmp(p->pos[0], "/dev/", 5) ? p->pos[0] + 5 : p->pos[0];
	b = !strncmp(p->pos[1], "/dev/", 5) ? p->pos[1] + 5 : p->pos[1];
	if (tb_vgrename(ctx, a, b) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(vgrename, "vgrename", cmd_vgrename, "rename a volume group");

/* ---------------------------------------------------------------- pvresize, pvchange */

static const struct cli_option pvresize_opts[] = {
	X_COMMON,
	{ X_SETSIZE, 0, "setphysicalvolumesize", CLI_OPT_SIZE_MB, 0 },
	{ X_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ X_REPORTFMT, 0, "reportformat", CLI_OPT_STR, 0 },
};

static int cmd_pvresize(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "pvresize", pvresize_opts, ARRAY_SIZE(pvresize_opts), argc, argv, &p);
	int ret = CLI_OK;

	if (r)
		return r;
	if (!p->n_pos) {
		cli_err("Please supply physical volume(s)");
		return CLI_EINVAL;
	}
	for (int i = 0; i < p->n_pos; i++)
		if (tb_pvresize(ctx, p->pos[i], cli_opt(p, X_SETSIZE)->u64) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			ret = CLI_FAILED;
		}
	return ret;
}
CLI_COMMAND(pvresize, "pvresize", cmd_pvresize, "resize physical volumes to their devices");

static const struct cli_option pvchange_opts[] = {
	X_COMMON,
	{ X_ADDTAG, 0, "addtag", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ X_DELTAG, 0, "deltag", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ X_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	{ X_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	/* a thinbox extension (issue 13, core/cmd/pvmeta.c): lvm2's pvchange has no --metadatasize */
	{ X_MDSIZE, 0, "metadatasize", CLI_OPT_SIZE_MB, 0 },
};

/* pvchange --metadatasize SIZE PV: grow (or add) the PV's metadata area at the device end. */
static int pvchange_mdsize(struct tb_ctx *ctx, const struct cli_parsed *p)
{
	if (cli_opt(p, X_ADDTAG)->count || cli_opt(p, X_DELTAG)->count) {
		cli_err("pvchange: --metadatasize cannot be combined with --addtag or --deltag.");
		return CLI_EINVAL;
	}
	if (p->n_pos != 1) {
		cli_err("Please give exactly one physical volume path.");
		return CLI_EINVAL;
	}
	if (tb_pvchange_metadatasize(ctx, p->pos[0], cli_opt(p, X_MDSIZE)->u64 * 512) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}

static int cmd_pvchange(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "pvchange", pvchange_opts, ARRAY_SIZE(pvchange_opts), argc, argv, &p);
	const struct cli_optval *a, *d;
	struct tb_tags t = { 0 };

	if (r)
		return r;
	if (cli_opt_isset(p, X_MDSIZE))
		return pvchange_mdsize(ctx, p);
	a = cli_opt(p, X_ADDTAG);
	d = cli_opt(p, X_DELTAG);
	if (cli_tags_check(a, "--addtag") < 0 || cli_tags_check(d, "--deltag") < 0)
		return CLI_EINVAL;
	if (!a->count && !d->count) {
		cli_err("pvchange: thinbox changes PV tags (--addtag, --deltag) and, as an "
			"extension, the metadata area size (--metadatasize SIZE).");
		return CLI_EINVAL;
	}
	if (!p->n_pos) {
		cli_err("Please give a physical volume path.");
		return CLI_EINVAL;
	}
	t.add = a->args;
	t.n_add = a->count;
	t.del = d->args;
	t.n_del = d->count;
	if (tb_pvchange_tags(ctx, (const char *const *)p->pos, (size_t)p->n_pos, &t) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(pvchange, "pvchange", cmd_pvchange,
	    "PV tags; --metadatasize SIZE PV grows its metadata area (thinbox extension)");

/* ---------------------------------------------------------------- vgcfgbackup, vgcfgrestore */

static const struct cli_option vgcfg_opts[] = {
	X_COMMON,
	{ X_FILE, 'f', "file", CLI_OPT_STR, 0 },
	{ X_FORCE, 0, "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ X_LIST, 'l', "list", CLI_OPT_FLAG, 0 },
};

static int cmd_vgcfgbackup(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	char **names = NULL;
	size_t n = 0;
	int r = parse(ctx, "vgcfgbackup", vgcfg_opts, ARRAY_SIZE(vgcfg_opts), argc, argv, &p);
	int ret = CLI_OK;

	if (r)
		return r;
	if (!p->n_pos && tb_vg_names(ctx, &names, &n) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	for (size_t i = 0; i < (p->n_pos ? (size_t)p->n_pos : n); i++)
		if (tb_vgcfgbackup(ctx, p->n_pos ? p->pos[i] : names[i],
				   cli_opt_str(p, X_FILE, NULL)) < 0) {
			cli_err("%s", tb_ctx_errmsg(ctx));
			ret = CLI_FAILED;
		}
	names_free(names, n);
	return ret;
}
CLI_COMMAND(vgcfgbackup, "vgcfgbackup", cmd_vgcfgbackup, "back up volume group metadata");

static int cmd_vgcfgrestore(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgcfgrestore", vgcfg_opts, ARRAY_SIZE(vgcfg_opts), argc, argv, &p);

	if (r)
		return r;
	if (cli_opt_isset(p, X_LIST)) {
		cli_err("vgcfgrestore --list is not supported by thinbox (see %s).",
			"/etc/lvm/archive");
		return CLI_EINVAL;
	}
	if (p->n_pos != 1) {
		cli_err("Please specify a single volume group to restore.");
		return CLI_EINVAL;
	}
	if (tb_vgcfgrestore(ctx, p->pos[0], cli_opt_str(p, X_FILE, NULL),
			    cli_opt_isset(p, X_FORCE)) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		cli_err("Restore failed.");
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(vgcfgrestore, "vgcfgrestore", cmd_vgcfgrestore, "restore volume group metadata");
