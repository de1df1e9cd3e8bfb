/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2-compatible PV, VG and LV commands: parse argv, make one tb_ call, print. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/lvmcmds.h"
#include "cli/report.h"
#include "cli/report-rows.h"
#include "cli/raid-args.h"
#include "cli/stripe-args.h"
#include "util/macros.h"
#include "util/units.h"

DEFINE_FREE_FUNC(struct cli_parsed, cli_parsed_free);

enum {
	O_NAME = 1000,
	O_SIZE,
	O_EXTENTS,
	O_VSIZE,
	O_THIN,
	O_THINPOOL,
	O_TYPE,
	O_SNAPSHOT,
	O_CHUNK,
	O_PMSIZE,
	O_ZERO,
	O_WIPE,
	O_ACTIVATE,
	O_DISCARDS,
	O_EWF,
	O_CONTIG,
	O_PROFILE,
	O_YES,
	O_VERBOSE,
	O_FORCE,
	O_UUID,
	O_MDSIZE,
	O_MDCOPIES,
	O_DALIGN,
	O_EXTSIZE,
	O_POOLMETA,
	O_USEPOL,
	O_DETACH,
	O_MONITOR,
	O_ALL,
	O_OPTS,
	O_SORT,
	O_NOHEAD,
	O_NOSUFFIX,
	O_SEP,
	O_UNITS,
	O_RFORMAT,
	O_ALIGNED,
	O_TEST,
	O_DRIVERLOADED,
	O_QUIET,
	O_AUTOBACKUP,
	O_SPARE,
	O_RESIZEFS,
	O_IGNOREMON,
	O_NOUDEV,
	O_DEBUG,
	O_CONFIG,
	O_LABELSECTOR,
	O_ZEROPV,
	O_READAHEAD,
	O_PERMISSION,
	O_SETACT,
	O_TRACE,
	O_REMOVEMISSING,
	/* issue 10 (docs/clients.md) */
	O_ADDTAG,
	O_DELTAG,
	O_IGNSKIP,
	O_SETAUTO,
	O_REFRESH,
	O_NOLOCKING,
	/* lvmlockd's options: lvm2 2.03.16 without lvmlockd (use_lvmlockd = 0) */
	O_LOCKOPT,
	O_LOCKSTART,
	O_LOCKSTOP,
	O_LOCKTYPE,
	O_SHARED,
	O_UNBUFFERED = 1900,
	O_NAMEPREFIXES,
	O_ROWS,
	O_BINARY,
	O_SELECT,
	O_READONLY,
	O_UNQUOTED,
	O_FOREIGN,
};

/* options every lvm2 command accepts */
#define COMMON_OPTS                                                                                \
	{ O_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                          \
		{ O_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                      \
		{ O_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                      \
		{ O_YES, 'y', "yes", CLI_OPT_FLAG, 0 }, { O_TEST, 't', "test", CLI_OPT_FLAG, 0 },  \
		{ O_DRIVERLOADED, 0, "driverloaded", CLI_OPT_BOOL, 0 },                            \
		{ O_IGNOREMON, 0, "ignoremonitoring", CLI_OPT_FLAG, 0 },                           \
		{ O_NOUDEV, 0, "noudevsync", CLI_OPT_FLAG, 0 },                                    \
		{ O_CONFIG, 0, "config", CLI_OPT_STR, CLI_OPTF_REPEATABLE },                       \
		{ O_NOLOCKING, 0, "nolocking", CLI_OPT_FLAG, 0 },                                  \
		{ O_LOCKOPT, 0, "lockopt", CLI_OPT_STR, 0 },                                       \
	{                                                                                          \
		O_TRACE, 0, "trace", CLI_OPT_FLAG, 0                                               \
	}
/* --addtag / --deltag (lvm2 accepts "--add-tag" too: '-' inside names is ignored) */
#define TAG_OPTS                                                                                   \
	{ O_ADDTAG, 0, "addtag", CLI_OPT_STR, CLI_OPTF_REPEATABLE },                               \
	{                                                                                          \
		O_DELTAG, 0, "deltag", CLI_OPT_STR, CLI_OPTF_REPEATABLE                            \
	}

static int bool_opt(const struct cli_parsed *p, int id);

static int fail(struct tb_ctx *ctx)
{
	cli_err("%s", tb_ctx_errmsg(ctx));
	return CLI_FAILED;
}

static int parse(struct tb_ctx *ctx, const char *cmd, const struct cli_option *t, size_t n,
		 int argc, char **argv, struct cli_parsed **ret)
{
	int r = cli_options_parse(cmd, t, n, argc, argv, stderr, ret);
	if (r == CLI_OK && cli_opt_isset(*ret, O_TEST)) {
		cli_err("--test is not supported by thinbox.");
		*ret = cli_parsed_free(*ret);
		return CLI_EINVAL;
	}
	if (r == CLI_OK && cli_opt_isset(*ret, O_TRACE))
		setenv("THINBOX_TRACE", "1", 1);
	/* lvm2's -qq (silent; one -q only drops -v): no log_print_unless_silent lines on
	 * stdout ("Logical volume ... created."); warnings on stderr stay */
	if (r == CLI_OK && cli_opt_isset(*ret, O_QUIET) && cli_opt(*ret, O_QUIET)->count > 1 &&
	    tb_ctx_get_log_priority(ctx) == LOG_NOTICE)
		tb_ctx_set_log_priority(ctx, LOG_WARNING);
	if (r == CLI_OK && cli_opt_isset(*ret, O_DRIVERLOADED) && !cli_opt(*ret, O_DRIVERLOADED)->b)
		tb_ctx_set_no_dm(ctx, true);
	if (r == CLI_OK && (r = cli_lvm_config(ctx, cli_opt(*ret, O_CONFIG)->args,
					       cli_opt(*ret, O_CONFIG)->count)) != CLI_OK)
		*ret = cli_parsed_free(*ret);
	if (r == CLI_OK &&
	    ((cli_opt(*ret, O_ADDTAG) && cli_tags_check(cli_opt(*ret, O_ADDTAG), "--addtag") < 0) ||
	     (cli_opt(*ret, O_DELTAG) && cli_tags_check(cli_opt(*ret, O_DELTAG), "--deltag") < 0))) {
		*ret = cli_parsed_free(*ret);
		r = CLI_EINVAL;
	}
	return r;
}

/* --addtag/--deltag values into @t (borrowed from argv). */
static void tags_of(const struct cli_parsed *p, struct tb_tags *t)
{
	const struct cli_optval *a = cli_opt(p, O_ADDTAG), *d = cli_opt(p, O_DELTAG);

	memset(t, 0, sizeof(*t));
	if (a) {
		t->add = a->args;
		t->n_add = a->count;
	}
	if (d) {
		t->del = d->args;
		t->n_del = d->count;
	}
}

/* -p r|rw, -k y|n, --setautoactivation y|n as 0 (not given), 'r'/'w', 'y'/'n'. */
static int perm_of(const struct cli_parsed *p, char *ret)
{
	const char *v = cli_opt_str(p, O_PERMISSION, NULL);

	*ret = 0;
	if (!v)
		return 0;
	if (streq(v, "r"))
		*ret = 'r';
	else if (streq(v, "rw"))
		*ret = 'w';
	else {
		cli_err("Invalid argument for --permission: %s", v);
		cli_err("Error during parsing of command line.");
		return -EINVAL;
	}
	return 0;
}

static char yn_of(const struct cli_parsed *p, int id)
{
	int b = bool_opt(p, id);
	return b < 0 ? 0 : b ? 'y' : 'n';
}

/* "vg/lv", "/dev/vg/lv", "/dev/mapper/vg-lv" is not accepted (lvm2 does not either). */
static int split_vglv(const char *arg, char *vg, size_t vglen, char *lv, size_t lvlen)
{
	const char *s = arg, *slash;

	if (!strncmp(s, "/dev/", 5))
		s += 5;
	slash = strchr(s, '/');
	if (!slash || strchr(slash + 1, '/') || slash == s || !slash[1])
		return -EINVAL;
	if ((size_t)(slash - s) >= vglen || strlen(slash + 1) >= lvlen)
		return -EINVAL;
	memcpy(vg, s, (size_t)(slash - s));
	vg[slash - s] = '\0';
	snprintf(lv, lvlen, "%s", slash + 1);
	return 0;
}

static int to_size(const struct cli_optval *v, struct tb_size *ret)
{
	ret->sign = v->sign == CLI_SIGN_PLUS ? 1 : v->sign == CLI_SIGN_MINUS ? -1 : 0;
	ret->value = v->u64;
	ret->unit = TB_SIZE_SECTORS;
	return 0;
}

static int to_extents(const struct cli_optval *v, struct tb_size *ret)
{
	const struct cli_extents *e = &v->extents;
	ret->sign = e->sign == CLI_SIGN_PLUS ? 1 : e->sign == CLI_SIGN_MINUS ? -1 : 0;
	ret->value = e->value;
	switch (e->percent) {
	case CLI_PERCENT_NONE:
		ret->unit = TB_SIZE_EXTENTS;
		break;
	case CLI_PERCENT_VG:
		ret->unit = TB_SIZE_PCT_VG;
		break;
	case CLI_PERCENT_FREE:
		ret->unit = TB_SIZE_PCT_FREE;
		break;
	case CLI_PERCENT_PVS:
		ret->unit = TB_SIZE_PCT_PVS;
		break;
	case CLI_PERCENT_ORIGIN:
		ret->unit = TB_SIZE_PCT_ORIGIN;
		break;
	default:
		cli_err("Percentage %%LV is not supported here.");
		return -EINVAL;
	}
	return 0;
}

static int discards_arg(const char *s, int *ret)
{
	if (!strcasecmp(s, "ignore"))
		*ret = 0;
	else if (!strcasecmp(s, "nopassdown"))
		*ret = 1;
	else if (!strcasecmp(s, "passdown"))
		*ret = 2;
	else {
		cli_err("Invalid argument for --discards: %s", s);
		cli_err("Error during parsing of command line.");
		return -EINVAL;
	}
	return 0;
}

static int bool_opt(const struct cli_parsed *p, int id)
{
	const struct cli_optval *v = cli_opt(p, id);
	return v && v->count ? v->b : -1;
}

/* ---------------------------------------------------------------- pv/vg */

#define PV_OPTS                                                                                    \
	COMMON_OPTS, { O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },                 \
		{ O_UUID, 'u', "uuid", CLI_OPT_STR, 0 },                                           \
		{ O_MDSIZE, 0, "metadatasize", CLI_OPT_SIZE_MB, 0 },                               \
		{ O_MDCOPIES, 0, "pvmetadatacopies", CLI_OPT_INT, 0 },                             \
		{ O_MDCOPIES, 0, "metadatacopies", CLI_OPT_INT, 0 },                               \
		{ O_DALIGN, 0, "dataalignment", CLI_OPT_SIZE_KB, 0 },                              \
		{ O_ZEROPV, 'Z', "zero", CLI_OPT_BOOL, 0 },                                        \
		{ O_LABELSECTOR, 0, "labelsector", CLI_OPT_INT, 0 },                               \
		{ O_EXTSIZE, 's', "physicalextentsize", CLI_OPT_SIZE_MB, 0 },                      \
		TAG_OPTS /* vgcreate only */

static const struct cli_option pvcreate_opts[] = { PV_OPTS };
static const struct cli_option vgcreate_opts[] = {
	PV_OPTS,
	{ O_SHARED, 0, "shared", CLI_OPT_FLAG, 0 },
	{ O_LOCKTYPE, 0, "locktype", CLI_OPT_STR, 0 },
};

/* lvm2 2.03.16 locktype_arg (get_lock_type_from_string): the values --locktype parses. */
static int locktype_of(const struct cli_parsed *p, const char **ret)
{
	static const char *const types[] = { "none", "clvm", "dlm", "sanlock", "idm" };
	const char *v = cli_opt_str(p, O_LOCKTYPE, NULL);

	*ret = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (streq(v, types[i]))
			return 0;
	cli_err("Invalid argument for --locktype: %s", v);
	cli_err("Error during parsing of command line.");
	return -EINVAL;
}

static bool locktype_is_lockd(const char *t)
{
	return t && (streq(t, "sanlock") || streq(t, "dlm") || streq(t, "idm"));
}

/* vgcreate --shared / --locktype as lvm2 2.03.16 vgcreate_params_set_from_args decides them
 * with use_lvmlockd = 0 (thinbox has no lvmlockd): only a local VG ("none") can be made. */
static int vgcreate_locktype_check(const struct cli_parsed *p)
{
	bool shared = cli_opt_isset(p, O_SHARED);
	const char *t = cli_opt_str(p, O_LOCKTYPE, NULL);

	if (t && shared && !locktype_is_lockd(t)) {
		cli_err("The --shared option requires lock type sanlock, dlm or idm.");
		return -EINVAL;
	}
	if (!t && shared) {
		cli_err("Using a shared lock type requires lvmlockd (lvm.conf use_lvmlockd.)");
		return -EINVAL;
	}
	if (t && streq(t, "clvm")) {
		cli_err("lock_type %s is invalid", t);
		return -EINVAL;
	}
	if (locktype_is_lockd(t)) {
		cli_err("Using a shared lock type requires lvmlockd.");
		return -EINVAL;
	}
	return 0;
}

static int pv_opts_from(struct cli_parsed *p, struct tb_pvcreate_opts *o)
{
	const struct cli_optval *v;

	memset(o, 0, sizeof(*o));
	o->force = (int)cli_opt(p, O_FORCE)->count;
	o->yes = cli_opt_isset(p, O_YES);
	o->uuid = cli_opt_str(p, O_UUID, NULL);
	o->metadatasize = cli_opt(p, O_MDSIZE)->u64 * 512;
	o->dataalignment = cli_opt(p, O_DALIGN)->u64 * 512;
	o->metadatacopies = -1;
	v = cli_opt(p, O_MDCOPIES);
	if (v->count) {
		if (v->u64 > 2) {
			cli_err("Metadatacopies may only be 0, 1 or 2");
			return -EINVAL;
		}
		o->metadatacopies = (int)v->u64;
	}
	if (cli_opt_isset(p, O_LABELSECTOR) && cli_opt(p, O_LABELSECTOR)->u64 != 1) {
		cli_err("--labelsector other than 1 is not supported by thinbox.");
		return -EINVAL;
	}
	return 0;
}

static int cmd_pvcreate(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_pvcreate_opts o;
	int r = parse(ctx, "pvcreate", pvcreate_opts, ARRAY_SIZE(pvcreate_opts), argc, argv, &p);

	if (r)
		return r;
	if (!p->n_pos) {
		cli_err("Please enter a physical volume path.");
		return CLI_EINVAL;
	}
	if (cli_opt_isset(p, O_ADDTAG) || cli_opt_isset(p, O_DELTAG)) {
		cli_err("pvcreate: unrecognized option '--%s'",
			cli_opt_isset(p, O_ADDTAG) ? "addtag" : "deltag");
		cli_err("Error during parsing of command line.");
		return CLI_EINVAL;
	}
	if (pv_opts_from(p, &o) < 0)
		return CLI_EINVAL;
	if (tb_pvcreate(ctx, (const char *const *)p->pos, (size_t)p->n_pos, &o) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(pvcreate, "pvcreate", cmd_pvcreate, "initialize a disk for use by LVM");

static const struct cli_option pvremove_opts[] = {
	COMMON_OPTS,
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
};

static int cmd_pvremove(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "pvremove", pvremove_opts, ARRAY_SIZE(pvremove_opts), argc, argv, &p);

	if (r)
		return r;
	if (!p->n_pos) {
		cli_err("Please enter a physical volume path.");
		return CLI_EINVAL;
	}
	if (tb_pvremove(ctx, (const char *const *)p->pos, (size_t)p->n_pos,
			(int)cli_opt(p, O_FORCE)->count, cli_opt_isset(p, O_YES)) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(pvremove, "pvremove", cmd_pvremove, "remove LVM labels from disks");

static int cmd_vgcreate(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_vgcreate_opts o = { 0 };
	char msg[400];
	const char *locktype;
	int r = parse(ctx, "vgcreate", vgcreate_opts, ARRAY_SIZE(vgcreate_opts), argc, argv, &p);

	if (r)
		return r;
	if (locktype_of(p, &locktype) < 0) /* lvm2 checks values as it parses them */
		return CLI_EINVAL;
	if (p->n_pos < 1) {
		cli_err("Please provide volume group name and physical volumes");
		return CLI_EINVAL;
	}
	if (p->n_pos < 2) {
		cli_err("Please enter physical volume name(s)");
		return CLI_EINVAL;
	}
	if (pv_opts_from(p, &o.pv) < 0)
		return CLI_EINVAL;
	tags_of(p, &o.tags);
	o.extent_size = cli_opt(p, O_EXTSIZE)->u64;
	/* 0 means "the default" to tb_vgcreate; on the command line it is an error */
	if (cli_opt_isset(p, O_EXTSIZE) && o.extent_size == 0) {
		cli_err("Physical extent size may not be zero");
		return CLI_EINVAL;
	}
	/* lvm2 2.03.16 vgcreate_params_set_from_args: MAX_EXTENT_SIZE, UINT32_MAX sectors */
	if (o.extent_size > UINT32_MAX) {
		units_display_size(UINT32_MAX, msg, sizeof(msg));
		cli_err("Physical extent size must be smaller than %s.", msg);
		return CLI_EINVAL;
	}
	if (vgcreate_locktype_check(p) < 0) {
		cli_err("Run `vgcreate --help' for more information."); /* lvm2 _short_usage */
		return CLI_EINVAL;
	}
	if (tb_vg_name_check(p->pos[0], msg, sizeof(msg)) < 0) {
		cli_err("%s", msg); /* lvm2 2.03.16 vgcreate_params_validate: exit 3 */
		cli_err("New volume group name \"%s\" is invalid.", p->pos[0]);
		return CLI_EINVAL;
	}
	/* lvm2 2.03.16 vg_set_extent_size, before any size limit of its own (exit 5) */
	if (o.extent_size && (o.extent_size & (o.extent_size - 1)) && o.extent_size % 256) {
		cli_err("Physical Extent size must be a multiple of 128.00 KiB when not a power "
			"of 2.");
		return CLI_FAILED;
	}
	if (tb_vgcreate(ctx, p->pos[0], (const char *const *)p->pos + 1, (size_t)p->n_pos - 1, &o) <
	    0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(vgcreate, "vgcreate", cmd_vgcreate, "create a volume group");

static int cmd_vgextend(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_pvcreate_opts o;
	int r = parse(ctx, "vgextend", pvcreate_opts, ARRAY_SIZE(pvcreate_opts), argc, argv, &p);

	if (r)
		return r;
	if (p->n_pos < 2) {
		cli_err("Please enter volume group name and physical volume(s)");
		return CLI_EINVAL;
	}
	if (pv_opts_from(p, &o) < 0)
		return CLI_EINVAL;
	if (tb_vgextend(ctx, p->pos[0], (const char *const *)p->pos + 1, (size_t)p->n_pos - 1, &o) <
	    0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(vgextend, "vgextend", cmd_vgextend, "add physical volumes to a volume group");

static const struct cli_option vgsimple_opts[] = {
	COMMON_OPTS,
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
};

static const struct cli_option vgreduce_opts[] = {
	COMMON_OPTS,
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ O_REMOVEMISSING, 0, "removemissing", CLI_OPT_FLAG, 0 },
};

static int cmd_vgreduce(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgreduce", vgreduce_opts, ARRAY_SIZE(vgreduce_opts), argc, argv, &p);

	if (r)
		return r;
	if (cli_opt_isset(p, O_REMOVEMISSING)) {
		if (p->n_pos != 1) {
			cli_err("Please give only the volume group name with --removemissing.");
			return CLI_EINVAL;
		}
		if (tb_vgreduce_missing(ctx, p->pos[0], cli_opt(p, O_FORCE)->count > 0) < 0)
			return fail(ctx);
		return CLI_OK;
	}
	if (p->n_pos < 2) {
		cli_err("Please enter volume group name and physical volume(s)");
		return CLI_EINVAL;
	}
	if (tb_vgreduce(ctx, p->pos[0], (const char *const *)p->pos + 1, (size_t)p->n_pos - 1) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(vgreduce, "vgreduce", cmd_vgreduce, "remove empty physical volumes from a VG");

static int cmd_vgremove(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgremove", vgsimple_opts, ARRAY_SIZE(vgsimple_opts), argc, argv, &p);

	if (r)
		return r;
	if (!p->n_pos) {
		cli_err("Please enter one or more volume group names");
		return CLI_EINVAL;
	}
	for (int i = 0; i < p->n_pos; i++)
		if (tb_vgremove(ctx, p->pos[i],
				cli_opt(p, O_FORCE)->count > 0 || cli_opt_isset(p, O_YES)) < 0)
			return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(vgremove, "vgremove", cmd_vgremove, "remove a volume group");

static const struct cli_option vgchange_opts[] = {
	COMMON_OPTS,
	{ O_ACTIVATE, 'a', "activate", CLI_OPT_ACTIVATION, 0 },
	{ O_MONITOR, 0, "monitor", CLI_OPT_BOOL, 0 },
	{ O_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	TAG_OPTS,
	{ O_IGNSKIP, 'K', "ignoreactivationskip", CLI_OPT_FLAG, 0 },
	{ O_SETAUTO, 0, "setautoactivation", CLI_OPT_BOOL, 0 },
	{ O_LOCKSTART, 0, "lockstart", CLI_OPT_FLAG, 0 },
	{ O_LOCKSTOP, 0, "lockstop", CLI_OPT_FLAG, 0 },
	{ O_LOCKTYPE, 0, "locktype", CLI_OPT_STR, 0 },
};

static int activation_of(const struct cli_parsed *p)
{
	const struct cli_optval *v = cli_opt(p, O_ACTIVATE);
	if (!v || !v->count)
		return -1;
	return (v->activation == CLI_ACTIVATE_N || v->activation == CLI_ACTIVATE_LOCAL_N) ? 0 : 1;
}

/* vgchange --lockstart, --lockstop and --locktype as lvm2 2.03.16 (tools/vgchange.c
 * vgchange_lock_start_stop_cmd, vgchange_locktype_cmd) answers them with use_lvmlockd = 0:
 * thinbox has no lvmlockd. lvm2's command functions return 0 there, so lvm2 exits 0 after
 * its refusal (measured, tests/integration/lvmcmds-lockd.sh); nothing is read or written.
 * The one change it makes without lvmlockd is the recovery --locktype none --lockopt force.
 * Returns an exit code, or -1 when none of these options was given. @other: a change option
 * of another vgchange command line (-a, --addtag...) was given too. */
static int vgchange_lockd(struct tb_ctx *ctx, const struct cli_parsed *p, bool other)
{
	bool start = cli_opt_isset(p, O_LOCKSTART), stop = cli_opt_isset(p, O_LOCKSTOP);
	const char *t, *lockopt = cli_opt_str(p, O_LOCKOPT, NULL);

	if (locktype_of(p, &t) < 0)
		return CLI_EINVAL;
	if (!start && !stop && !t)
		return -1;
	/* lvm2 matches the command line with the most options in common, then names the
	 * first option that command line does not take */
	if (other && (start || stop)) {
		cli_err("Command does not accept option: --%s.", start ? "lockstart" : "lockstop");
		return CLI_EINVAL;
	}
	if (other || (t && (start || stop))) {
		cli_err("Command does not accept option: --locktype %s.", t);
		return CLI_EINVAL;
	}
	if (start && stop) {
		cli_err("Command does not accept option: --lockstop.");
		return CLI_EINVAL;
	}
	if (start || stop) {
		cli_err("Using lock start and lock stop requires lvmlockd.");
		return CLI_OK;
	}
	if (p->n_pos != 1) {
		printf("  vgchange --locktype sanlock|dlm|none VG\n"
		       "  Change the lock type for a shared VG.\n\n");
		cli_err("No command with matching syntax recognised.  Run 'vgchange --help' for more "
			"information.");
		cli_err("Nearest similar command has syntax:");
		return CLI_EINVAL;
	}
	if (!lockopt || !streq(lockopt, "force")) {
		cli_err("Using lock type requires lvmlockd.");
		return CLI_OK;
	}
	if (!streq(t, "none")) {
		cli_err("Lock type can only be forced to \"none\" for recovery.");
		return CLI_OK;
	}
	if (!cli_opt_isset(p, O_YES)) {
		/* lvm2's prompt, answered no (thinbox never reads an answer; -y says yes) */
		fprintf(stderr, "Forcibly change VG lock type to none? [y/n]: [n]\n");
		cli_err("VG lock type not changed.");
		return CLI_OK;
	}
	if (tb_vg_locktype_none(ctx, !strncmp(p->pos[0], "/dev/", 5) ? p->pos[0] + 5 : p->pos[0]) <
	    0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}

static int cmd_vgchange(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	int r = parse(ctx, "vgchange", vgchange_opts, ARRAY_SIZE(vgchange_opts), argc, argv, &p);

	if (r)
		return r;
	struct tb_vgchange_opts o = { 0 };
	o.activate = activation_of(p);
	o.monitor = bool_opt(p, O_MONITOR);
	o.autoactivate_only = cli_opt_isset(p, O_ACTIVATE) &&
			      cli_opt(p, O_ACTIVATE)->activation == CLI_ACTIVATE_AUTO;
	o.ignore_activation_skip = cli_opt_isset(p, O_IGNSKIP);
	o.autoactivation = yn_of(p, O_SETAUTO);
	tags_of(p, &o.tags);
	if ((r = vgchange_lockd(ctx, p,
				o.activate >= 0 || o.monitor >= 0 || o.tags.n_add || o.tags.n_del ||
					o.autoactivation)) != -1)
		return r;
	if (o.activate < 0 && o.monitor < 0 && !o.tags.n_add && !o.tags.n_del && !o.autoactivation) {
		cli_err("No command with matching syntax recognised.  Run 'vgchange --help' for more "
			"information.");
		return CLI_EINVAL;
	}
	/* no VG named: every VG (lvm2's process_each_vg); @tag: the VGs carrying it */
	return cli_each_vg(ctx, p->pos, p->n_pos, &o);
}
CLI_COMMAND(vgchange, "vgchange", cmd_vgchange, "activate or deactivate a volume group");

/* ---------------------------------------------------------------- lv commands */

#define O_STRIPES 1950 /* lvcreate -i/-I (kept out of the shared enum) */
#define O_STRIPESIZE 1951
#define O_MIRRORS 1952 /* lvcreate -m/--mirrors, --nosync, -R/--regionsize */
#define O_NOSYNC 1953
#define O_REGIONSIZE 1954
static const struct cli_option lvcreate_opts[] = {
	COMMON_OPTS,
	{ O_NAME, 'n', "name", CLI_OPT_STR, 0 },
	/* "+4m" is 4m to lvm2 2.03.16 lvcreate, "-4m" "Size may not be negative." (measured) */
	{ O_SIZE, 'L', "size", CLI_OPT_SIZE_MB, CLI_OPTF_PLUS },
	{ O_EXTENTS, 'l', "extents", CLI_OPT_EXTENTS, CLI_OPTF_PLUS },
	{ O_VSIZE, 'V', "virtualsize", CLI_OPT_SIZE_MB, 0 },
	{ O_THIN, 'T', "thin", CLI_OPT_FLAG, 0 },
	{ O_THINPOOL, 0, "thinpool", CLI_OPT_STR, 0 },
	{ O_TYPE, 0, "type", CLI_OPT_STR, 0 },
	{ O_SNAPSHOT, 's', "snapshot", CLI_OPT_FLAG, 0 },
	{ O_CHUNK, 'c', "chunksize", CLI_OPT_SIZE_KB, 0 },
	{ O_PMSIZE, 0, "poolmetadatasize", CLI_OPT_SIZE_MB, 0 },
	{ O_SPARE, 0, "poolmetadataspare", CLI_OPT_BOOL, 0 },
	{ O_ZERO, 'Z', "zero", CLI_OPT_BOOL, 0 },
	{ O_WIPE, 'W', "wipesignatures", CLI_OPT_BOOL, 0 },
	{ O_ACTIVATE, 'a', "activate", CLI_OPT_ACTIVATION, 0 },
	{ O_DISCARDS, 0, "discards", CLI_OPT_STR, 0 },
	{ O_EWF, 0, "errorwhenfull", CLI_OPT_BOOL, 0 },
	{ O_CONTIG, 'C', "contiguous", CLI_OPT_BOOL, 0 },
	{ O_PROFILE, 0, "metadataprofile", CLI_OPT_STR, 0 },
	{ O_PROFILE, 0, "profile", CLI_OPT_STR, 0 },
	{ O_MONITOR, 0, "monitor", CLI_OPT_BOOL, 0 },
	{ O_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	{ O_SETACT, 'k', "setactivationskip", CLI_OPT_BOOL, 0 },
	{ O_PERMISSION, 'p', "permission", CLI_OPT_STR, 0 },
	{ O_READAHEAD, 'r', "readahead", CLI_OPT_STR, 0 },
	TAG_OPTS,
	{ O_IGNSKIP, 'K', "ignoreactivationskip", CLI_OPT_FLAG, 0 },
	{ O_SETAUTO, 0, "setautoactivation", CLI_OPT_BOOL, 0 },
	{ O_STRIPES, 'i', "stripes", CLI_OPT_INT, 0 },
	{ O_STRIPESIZE, 'I', "stripesize", CLI_OPT_SIZE_KB, 0 },
	{ O_MIRRORS, 'm', "mirrors", CLI_OPT_INT, 0 },
	{ O_NOSYNC, 0, "nosync", CLI_OPT_FLAG, 0 },
	{ O_REGIONSIZE, 'R', "regionsize", CLI_OPT_SIZE_MB, 0 },
};

static int cmd_lvcreate(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_lvcreate_opts o = { 0 };
	char vg[256], lv[256], pvg[256], plv[256], msg[300];
	const char *type, *pool_arg;
	int r = parse(ctx, "lvcreate", lvcreate_opts, ARRAY_SIZE(lvcreate_opts), argc, argv, &p);
	bool has_vsize, has_size;

	if (r)
		return r;
	o.zero = bool_opt(p, O_ZERO);
	o.wipesignatures = bool_opt(p, O_WIPE);
	o.activate = activation_of(p);
	o.errorwhenfull = bool_opt(p, O_EWF);
	o.contiguous = bool_opt(p, O_CONTIG) == 1;
	o.profile = cli_opt_str(p, O_PROFILE, NULL);
	o.discards = -1;
	if (cli_opt_isset(p, O_DISCARDS) &&
	    discards_arg(cli_opt_str(p, O_DISCARDS, ""), &o.discards) < 0)
		return CLI_EINVAL;
	o.chunk_size = (uint32_t)cli_opt(p, O_CHUNK)->u64;
	o.poolmetadatasize = cli_opt(p, O_PMSIZE)->u64;
	o.name = cli_opt_str(p, O_NAME, NULL);
	has_vsize = cli_opt_isset(p, O_VSIZE);
	has_size = cli_opt_isset(p, O_SIZE) || cli_opt_isset(p, O_EXTENTS);
	if (cli_opt_isset(p, O_SIZE) && cli_opt_isset(p, O_EXTENTS)) {
		cli_err("Please specify either size or extents (not both).");
		return CLI_EINVAL;
	}
	if (cli_opt_isset(p, O_SIZE))
		to_size(cli_opt(p, O_SIZE), &o.size);
	else if (cli_opt_isset(p, O_EXTENTS) && to_extents(cli_opt(p, O_EXTENTS), &o.size) < 0)
		return CLI_EINVAL;
	/* lvm2 2.03.16 lvcreate: a zero -L/-l is a command-line error (arg_from_list_is_zero),
	 * and a "+" is no sign at all here */
	if (has_size && o.size.value == 0) {
		cli_err("--%s may not be zero.", cli_opt_isset(p, O_SIZE) ? "size" : "extents");
		return CLI_EINVAL;
	}
	o.size.sign = 0;
	type = cli_opt_str(p, O_TYPE, NULL);
	if (type && !streq(type, "thin-pool") && !streq(type, "thin") && !streq(type, "linear") &&
	    !streq(type, "striped") && !streq(type, "raid1")) {
		cli_err("Segment type %s is not supported by thinbox.", type);
		return CLI_EINVAL;
	}
	if (cli_raid_params(type, cli_opt_isset(p, O_MIRRORS), cli_opt(p, O_MIRRORS)->u64,
			    cli_opt_isset(p, O_NOSYNC), cli_opt_isset(p, O_REGIONSIZE),
			    cli_opt(p, O_REGIONSIZE)->u64, &o.mirrors, &o.region_size,
			    &o.nosync) != CLI_OK)
		return CLI_EINVAL;
	if (o.mirrors && cli_opt_isset(p, O_STRIPES)) {
		cli_err("Stripes argument cannot be used with segment type, raid1");
		cli_err("Run `lvcreate --help' for more information.");
		return CLI_EINVAL;
	}
	/* linear has no stripe size: lvm2 prints no default-size note before refusing */
	if (type && streq(type, "linear") && cli_opt_isset(p, O_STRIPES) &&
	    cli_opt(p, O_STRIPES)->u64 > 1 && cli_opt(p, O_STRIPES)->u64 <= 128)
		return cli_stripe_linear_err(cli_opt(p, O_STRIPES)->u64);
	/* lvm2's thin-volume command definitions take no -i/-I (TopoLVM's ThinPool.CreateVolume
	 * passes them for a device class with stripes: lvm2 refuses it, exit 3) */
	if (has_vsize && !has_size && !cli_opt_isset(p, O_SNAPSHOT) &&
	    cli_stripe_thin_err(cli_opt_isset(p, O_STRIPES) ? cli_opt(p, O_STRIPES)->arg : NULL,
				cli_opt_isset(p, O_STRIPESIZE) ? cli_opt(p, O_STRIPESIZE)->arg
							       : NULL) != CLI_OK)
		return CLI_EINVAL;
	if (cli_stripe_params(cli_opt_isset(p, O_STRIPES), cli_opt(p, O_STRIPES)->u64,
			      cli_opt_isset(p, O_STRIPESIZE), cli_opt(p, O_STRIPESIZE)->u64,
			      cli_opt(p, O_STRIPESIZE)->sign, &o.stripes, &o.stripe_size) != CLI_OK)
		return CLI_EINVAL;
	if (o.stripes > 1 && type && streq(type, "linear"))
		return cli_stripe_linear_err(o.stripes);
	tags_of(p, &o.tags);
	if (perm_of(p, &o.permission) < 0)
		return CLI_EINVAL;
	o.activation_skip = yn_of(p, O_SETACT);
	o.ignore_activation_skip = cli_opt_isset(p, O_IGNSKIP);
	o.autoactivation = yn_of(p, O_SETAUTO);
	pool_arg = cli_opt_str(p, O_THINPOOL, NULL);
	vg[0] = lv[0] = pvg[0] = '\0';
	/* first positional: VG, VG/POOL (-T), VG/ORIGIN (-s); the rest are PVs. Without one,
	 * --thinpool VG/POOL names the VG (lvm2 accepts both forms). */
	if (p->n_pos && strchr(p->pos[0], '/')) {
		if (split_vglv(p->pos[0], vg, sizeof(vg), lv, sizeof(lv)) < 0) {
			cli_err("Invalid logical volume name %s", p->pos[0]);
			return CLI_EINVAL;
		}
	} else if (p->n_pos) {
		snprintf(vg, sizeof(vg), "%s", p->pos[0]);
	}
	if (pool_arg && strchr(pool_arg, '/')) {
		if (split_vglv(pool_arg, pvg, sizeof(pvg), plv, sizeof(plv)) < 0) {
			cli_err("Invalid logical volume name %s", pool_arg);
			return CLI_EINVAL;
		}
		if (vg[0] && !streq(vg, pvg)) {
			cli_err("Please use a single volume group name (\"%s\" or \"%s\").", vg,
				pvg);
			return CLI_EINVAL;
		}
		snprintf(vg, sizeof(vg), "%s", pvg);
		pool_arg = plv;
	}
	if (!vg[0]) {
		cli_err("Please specify a volume group (and a logical volume where needed).");
		return CLI_EINVAL;
	}
	o.vg = vg;
	if (cli_opt_isset(p, O_SNAPSHOT)) {
		if (!lv[0]) {
			cli_err("Please specify the origin as VG/LV for a snapshot.");
			return CLI_EINVAL;
		}
		/* with -L/-l: an old-style (COW) snapshot (core/cmd/cow.c); lvm2 2.03.16's
		 * chunk check is a command-line error (measured) */
		if (has_size && cli_opt_isset(p, O_CHUNK) &&
		    (o.chunk_size < 8 || o.chunk_size > 1024 ||
		     (o.chunk_size & (o.chunk_size - 1)))) {
			cli_err("Chunk size must be a power of 2 in the range 4K to 512K.");
			cli_err("Run `lvcreate --help' for more information.");
			return CLI_EINVAL;
		}
		o.origin = lv;
	} else if (has_vsize && has_size && (pool_arg || (cli_opt_isset(p, O_THIN) && lv[0]))) {
		/* a pool and a thin LV in it, in one command (OpenEBS' first thin volume) */
		o.thin_pool = true;
		o.pool_name = pool_arg ? pool_arg : lv;
		o.virtual_size = cli_opt(p, O_VSIZE)->u64;
		if (!o.name) {
			cli_err("Please specify a name (-n) for the thin volume.");
			return CLI_EINVAL;
		}
	} else if (has_vsize || (type && streq(type, "thin"))) {
		if (has_size) {
			cli_err("Please give the thin pool (-T VG/POOL or --thinpool) to create it "
				"with the thin volume.");
			return CLI_EINVAL;
		}
		if (!has_vsize) {
			cli_err("Please specify the virtual size (-V) of the thin volume.");
			return CLI_EINVAL;
		}
		o.virtual_size = cli_opt(p, O_VSIZE)->u64;
		o.pool = pool_arg ? pool_arg : lv[0] ? lv : NULL;
		if (!o.pool) {
			cli_err("Please specify the thin pool (-T VG/POOL or --thinpool).");
			return CLI_EINVAL;
		}
	} else if ((type && streq(type, "thin-pool")) || cli_opt_isset(p, O_THIN) ||
		   cli_opt_isset(p, O_THINPOOL)) {
		o.thin_pool = true;
		if (!o.name)
			o.name = pool_arg ? pool_arg : (lv[0] ? lv : NULL);
		if (!has_size) {
			cli_err("Please specify the pool size (-L or -l).");
			return CLI_EINVAL;
		}
	} else {
		if (!has_size) {
			cli_err("Please specify either size or extents.");
			return CLI_EINVAL;
		}
		if (lv[0] && !o.name)
			o.name = lv;
	}
	o.pvs = p->n_pos ? (const char *const *)p->pos + 1 : NULL;
	o.n_pvs = p->n_pos ? (size_t)p->n_pos - 1 : 0;
	/* -n VG/LV names the VG too (lvm2 2.03.16 tools/toollib.c validate_lvname_param) */
	if (o.name && strchr(o.name, '/') && o.vg) {
		const char *slash = strrchr(o.name, '/');
		size_t l = (size_t)(strchr(o.name, '/') - o.name);
		if (strlen(o.vg) != l || strncmp(o.name, o.vg, l)) {
			/* lvm2 2.03.16 lvcreate's own wording here (measured, damaged-names.sh) */
			cli_err("Inconsistent volume group names given: \"%.*s\" and \"%s\"",
				(int)l, o.name, o.vg);
			return CLI_EINVAL;
		}
		o.name = slash + 1;
	}
	if (o.name && tb_lv_name_check(o.name, msg, sizeof(msg)) < 0) {
		cli_err("%s", msg); /* lvm2 2.03.16: a command-line error, "" too (exit 3) */
		return CLI_EINVAL;
	}
	if (tb_lvcreate(ctx, &o) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(lvcreate, "lvcreate", cmd_lvcreate, "create a logical volume");

#define O_REPAIR 1900 /* lvconvert --repair (kept out of the shared enum) */
#define O_MERGE 1901  /* lvconvert --merge: refused */
static const struct cli_option lvconvert_opts[] = {
	COMMON_OPTS,
	{ O_REPAIR, 0, "repair", CLI_OPT_FLAG, 0 },
	{ O_MERGE, 0, "merge", CLI_OPT_FLAG, 0 },
	{ O_THINPOOL, 0, "thinpool", CLI_OPT_STR, 0 },
	{ O_POOLMETA, 0, "poolmetadata", CLI_OPT_STR, 0 },
	{ O_PMSIZE, 0, "poolmetadatasize", CLI_OPT_SIZE_MB, 0 },
	{ O_SPARE, 0, "poolmetadataspare", CLI_OPT_BOOL, 0 },
	{ O_CHUNK, 'c', "chunksize", CLI_OPT_SIZE_KB, 0 },
	{ O_ZERO, 'Z', "zero", CLI_OPT_BOOL, 0 },
	{ O_DISCARDS, 0, "discards", CLI_OPT_STR, 0 },
	{ O_TYPE, 0, "type", CLI_OPT_STR, 0 },
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
};

static int cmd_lvconvert(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_lvconvert_opts o = { 0 };
	char vg[256], lv[256], vg2[256], lv2[256];
	const char *pool, *meta, *type;
	int r = parse(ctx, "lvconvert", lvconvert_opts, ARRAY_SIZE(lvconvert_opts), argc, argv, &p);

	if (r)
		return r;
	if (cli_opt_isset(p, O_MERGE)) {
		cli_err("Merging snapshots (lvconvert --merge) is not supported by thinbox; the "
			"origin and its snapshots are left as they are.");
		return CLI_FAILED;
	}
	if (cli_opt_isset(p, O_REPAIR)) {
		if (p->n_pos != 1 || split_vglv(p->pos[0], vg, sizeof(vg), lv, sizeof(lv)) < 0) {
			cli_err("lvconvert --repair needs one thin pool: lvconvert --repair VG/POOL.");
			return CLI_EINVAL;
		}
		return tb_lvconvert_repair(ctx, vg, lv) < 0 ? fail(ctx) : CLI_OK;
	}
	type = cli_opt_str(p, O_TYPE, NULL);
	pool = cli_opt_str(p, O_THINPOOL, NULL);
	if (!pool && type && streq(type, "thin-pool") && p->n_pos == 1)
		pool = p->pos[0];
	if (!pool || (type && !streq(type, "thin-pool"))) {
		cli_err("thinbox's lvconvert only makes thin pools: lvconvert --thinpool VG/LV "
			"--poolmetadata VG/LV.");
		return CLI_EINVAL;
	}
	if (split_vglv(pool, vg, sizeof(vg), lv, sizeof(lv)) < 0) {
		cli_err("Invalid --thinpool %s: give it as VG/LV.", pool);
		return CLI_EINVAL;
	}
	meta = cli_opt_str(p, O_POOLMETA, NULL);
	if (meta && strchr(meta, '/')) {
		if (split_vglv(meta, vg2, sizeof(vg2), lv2, sizeof(lv2)) < 0 || !streq(vg, vg2)) {
			cli_err("Invalid --poolmetadata %s: it must be in VG %s.", meta, vg);
			return CLI_EINVAL;
		}
		meta = lv2;
	}
	o.vg = vg;
	o.thinpool = lv;
	o.poolmetadata = meta;
	o.chunk_size = (uint32_t)cli_opt(p, O_CHUNK)->u64;
	o.poolmetadatasize = cli_opt(p, O_PMSIZE)->u64;
	o.zero = bool_opt(p, O_ZERO);
	o.discards = -1;
	if (cli_opt_isset(p, O_DISCARDS) &&
	    discards_arg(cli_opt_str(p, O_DISCARDS, ""), &o.discards) < 0)
		return CLI_EINVAL;
	o.yes = cli_opt_isset(p, O_YES) || cli_opt(p, O_FORCE)->count > 0;
	if (tb_lvconvert_thinpool(ctx, &o) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(lvconvert, "lvconvert", cmd_lvconvert, "make a thin pool from two LVs");

static const struct cli_option lvresize_opts[] = {
	COMMON_OPTS,
	{ O_SIZE, 'L', "size", CLI_OPT_SIZE_MB, CLI_OPTF_SIGNED },
	{ O_EXTENTS, 'l', "extents", CLI_OPT_EXTENTS, CLI_OPTF_SIGNED },
	{ O_PMSIZE, 0, "poolmetadatasize", CLI_OPT_SIZE_MB, CLI_OPTF_PLUS },
	/* one entry: the parser drops '-' from long names (as lvm2), so this is --use-policies
	 * too; a second "use-policies" entry could never match and shadowed this one */
	{ O_USEPOL, 0, "usepolicies", CLI_OPT_FLAG, 0 },
	{ O_RESIZEFS, 'r', "resizefs", CLI_OPT_FLAG, 0 },
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ O_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	{ O_STRIPES, 'i', "stripes", CLI_OPT_INT, 0 },
	{ O_STRIPESIZE, 'I', "stripesize", CLI_OPT_SIZE_KB, 0 },
};

static int resize(struct tb_ctx *ctx, int argc, char **argv, const char *cmd, bool extend)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_lvresize_opts o = { 0 };
	char vg[256], lv[256];
	int r = parse(ctx, cmd, lvresize_opts, ARRAY_SIZE(lvresize_opts), argc, argv, &p);

	if (r)
		return r;
	if (p->n_pos != 1 || split_vglv(p->pos[0], vg, sizeof(vg), lv, sizeof(lv)) < 0) {
		cli_err("Please specify one logical volume as VG/LV.");
		return CLI_EINVAL;
	}
	o.resizefs = cli_opt_isset(p, O_RESIZEFS);
	o.vg = vg;
	o.lv = lv;
	o.extend_only = extend;
	o.use_policies = cli_opt_isset(p, O_USEPOL);
	if (cli_opt_isset(p, O_SIZE))
		to_size(cli_opt(p, O_SIZE), &o.size);
	else if (cli_opt_isset(p, O_EXTENTS) && to_extents(cli_opt(p, O_EXTENTS), &o.size) < 0)
		return CLI_EINVAL;
	if (cli_opt_isset(p, O_PMSIZE))
		to_size(cli_opt(p, O_PMSIZE), &o.poolmetadatasize);
	/* -i/-I (cli/stripe-args.c): lvm2's lvresize takes them as given */
	if (cli_resize_stripe_params(cmd, cli_opt_isset(p, O_STRIPES), cli_opt(p, O_STRIPES)->u64,
				     cli_opt(p, O_STRIPES)->sign, cli_opt_isset(p, O_STRIPESIZE),
				     cli_opt(p, O_STRIPESIZE)->u64, cli_opt(p, O_STRIPESIZE)->sign,
				     &o.stripes, &o.stripe_size) != CLI_OK)
		return CLI_EINVAL;
	if (o.size.unit == TB_SIZE_NONE && o.poolmetadatasize.unit == TB_SIZE_NONE &&
	    !o.use_policies) {
		cli_err("Please specify either size or extents.");
		return CLI_EINVAL;
	}
	/* lvm2 2.03.16 lvextend: its command definition takes "+N" only, and a zero size is a
	 * command-line error (arg_from_list_is_zero); both exit 3 (measured) */
	if (extend && (o.size.sign < 0)) {
		cli_err("%s may not be negative.", cli_opt_isset(p, O_SIZE) ? "Size" : "Extents");
		return CLI_EINVAL;
	}
	if (extend && o.size.unit != TB_SIZE_NONE && o.size.value == 0) {
		cli_err("--%s may not be zero.", cli_opt_isset(p, O_SIZE) ? "size" : "extents");
		return CLI_EINVAL;
	}
	if (tb_lvresize(ctx, &o) < 0)
		return fail(ctx);
	return CLI_OK;
}

static int cmd_lvextend(struct tb_ctx *ctx, int argc, char **argv)
{
	return resize(ctx, argc, argv, "lvextend", true);
}
CLI_COMMAND(lvextend, "lvextend", cmd_lvextend, "add space to a logical volume");

static int cmd_lvresize(struct tb_ctx *ctx, int argc, char **argv)
{
	return resize(ctx, argc, argv, "lvresize", false);
}
CLI_COMMAND(lvresize, "lvresize", cmd_lvresize, "resize a logical volume");

static const struct cli_option lvremove_opts[] = {
	COMMON_OPTS,
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ O_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
};

static int cmd_lvremove(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	char vg[256], lv[256];
	int r = parse(ctx, "lvremove", lvremove_opts, ARRAY_SIZE(lvremove_opts), argc, argv, &p);

	if (r)
		return r;
	if (!p->n_pos) {
		cli_err("Please enter one or more logical volume paths");
		return CLI_EINVAL;
	}
	/* lvm2: VG/LV, /dev/VG/LV, a VG (all its LVs) or @tag; -f or -y answer the questions */
	bool force = cli_opt(p, O_FORCE)->count > 0 || cli_opt_isset(p, O_YES);
	(void)vg;
	(void)lv;
	return cli_each_lv(ctx, p->pos, p->n_pos, true, force, cli_lvremove_one, NULL);
}
CLI_COMMAND(lvremove, "lvremove", cmd_lvremove, "remove logical volumes");

static int cmd_lvrename(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	char vg[256], lv[256], vg2[256], lv2[256], msg[300];
	const char *new_name;
	int r = parse(ctx, "lvrename", lvremove_opts, ARRAY_SIZE(lvremove_opts), argc, argv, &p);

	if (r)
		return r;
	if (p->n_pos == 3) {
		snprintf(vg, sizeof(vg), "%s", p->pos[0]);
		snprintf(lv, sizeof(lv), "%s", p->pos[1]);
		new_name = p->pos[2];
	} else if (p->n_pos == 2 && split_vglv(p->pos[0], vg, sizeof(vg), lv, sizeof(lv)) == 0) {
		new_name = p->pos[1];
	} else {
		cli_err("Old and new logical volume names required");
		return CLI_EINVAL;
	}
	/* lvm2 2.03.16 tools/lvrename.c, its checks and words in its order (measured by
	 * tests/integration/damaged-names.sh); all are command-line errors (exit 3) */
	if (!*new_name) {
		cli_err("New logical volume name may not be blank");
		return CLI_EINVAL;
	}
	/* VG/NEW or /dev/VG/NEW (Incus renames /dev/VG/OLD /dev/VG/NEW) */
	if (strchr(new_name, '/')) {
		if (split_vglv(new_name, vg2, sizeof(vg2), lv2, sizeof(lv2)) < 0)
			snprintf(vg2, sizeof(vg2), "%s", new_name);
		else if (streq(vg, vg2))
			new_name = lv2;
		if (new_name != lv2) {
			cli_err("Logical volume names must have the same volume group (\"%s\" or "
				"\"%s\")",
				vg, vg2);
			return CLI_EINVAL;
		}
	}
	/* the device-mapper name VG-LV must fit 127 characters (lvm2's NAME_LEN - vg - 3) */
	size_t maxlen = strlen(vg) + 3 < 128 ? 128 - strlen(vg) - 3 : 0;
	if (strlen(new_name) > maxlen) {
		cli_err("New logical volume name \"%s\" may not exceed %zu characters.", new_name,
			maxlen);
		return CLI_EINVAL;
	}
	if (tb_lv_name_check(new_name, msg, sizeof(msg)) < 0) {
		/* a name that is no name at all: lvrename's own words; reserved names as lvcreate */
		if (!strncmp(msg, "Logical volume name ", 20))
			cli_err("New logical volume name \"%s\" is invalid", new_name);
		else
			cli_err("%s", msg);
		return CLI_EINVAL;
	}
	if (tb_lvrename(ctx, vg, lv, new_name) < 0)
		return fail(ctx);
	return CLI_OK;
}
CLI_COMMAND(lvrename, "lvrename", cmd_lvrename, "rename a logical volume");

static const struct cli_option lvchange_opts[] = {
	COMMON_OPTS,
	{ O_ACTIVATE, 'a', "activate", CLI_OPT_ACTIVATION, 0 },
	{ O_PROFILE, 0, "metadataprofile", CLI_OPT_STR, 0 },
	{ O_PROFILE, 0, "profile", CLI_OPT_STR, 0 },
	{ O_DETACH, 0, "detachprofile", CLI_OPT_FLAG, 0 },
	{ O_EWF, 0, "errorwhenfull", CLI_OPT_BOOL, 0 },
	{ O_DISCARDS, 0, "discards", CLI_OPT_STR, 0 },
	{ O_MONITOR, 0, "monitor", CLI_OPT_BOOL, 0 },
	{ O_AUTOBACKUP, 'A', "autobackup", CLI_OPT_BOOL, 0 },
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	TAG_OPTS,
	{ O_PERMISSION, 'p', "permission", CLI_OPT_STR, 0 },
	{ O_SETACT, 'k', "setactivationskip", CLI_OPT_BOOL, 0 },
	{ O_IGNSKIP, 'K', "ignoreactivationskip", CLI_OPT_FLAG, 0 },
	{ O_SETAUTO, 0, "setautoactivation", CLI_OPT_BOOL, 0 },
	{ O_REFRESH, 0, "refresh", CLI_OPT_FLAG, 0 },
};

static int cmd_lvchange(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_lvchange_opts o = { 0 };
	char vg[256], lv[256];
	int r = parse(ctx, "lvchange", lvchange_opts, ARRAY_SIZE(lvchange_opts), argc, argv, &p);

	if (r)
		return r;
	o.activate = activation_of(p);
	o.metadataprofile = cli_opt_str(p, O_PROFILE, NULL);
	o.detachprofile = cli_opt_isset(p, O_DETACH);
	o.errorwhenfull = bool_opt(p, O_EWF);
	o.monitor = bool_opt(p, O_MONITOR);
	o.discards = -1;
	if (cli_opt_isset(p, O_DISCARDS) &&
	    discards_arg(cli_opt_str(p, O_DISCARDS, ""), &o.discards) < 0)
		return CLI_EINVAL;
	tags_of(p, &o.tags);
	if (perm_of(p, &o.permission) < 0)
		return CLI_EINVAL;
	o.activation_skip = yn_of(p, O_SETACT);
	o.ignore_activation_skip = cli_opt_isset(p, O_IGNSKIP);
	o.autoactivation = yn_of(p, O_SETAUTO);
	o.refresh = cli_opt_isset(p, O_REFRESH);
	o.autoactivate_only = cli_opt_isset(p, O_ACTIVATE) &&
			      cli_opt(p, O_ACTIVATE)->activation == CLI_ACTIVATE_AUTO;
	o.yes = cli_opt_isset(p, O_YES);
	if (o.activate < 0 && !o.metadataprofile && !o.detachprofile && o.errorwhenfull < 0 &&
	    o.discards < 0 && o.monitor < 0 && !o.tags.n_add && !o.tags.n_del && !o.permission &&
	    !o.activation_skip && !o.autoactivation && !o.refresh) {
		cli_err("No command with matching syntax recognised.  Run 'lvchange --help' for more "
			"information.");
		return CLI_EINVAL;
	}
	if (!p->n_pos) {
		cli_err("Please give one or more logical volumes as VG/LV.");
		return CLI_EINVAL;
	}
	(void)vg;
	(void)lv;
	return cli_each_lv(ctx, p->pos, p->n_pos, false, false, cli_lvchange_one, &o);
}
CLI_COMMAND(lvchange, "lvchange", cmd_lvchange, "change attributes of a logical volume");

/* ---------------------------------------------------------------- reports */

static const struct cli_option report_opts[] = {
	COMMON_OPTS,
	{ O_ALL, 'a', "all", CLI_OPT_FLAG, 0 },
	{ O_OPTS, 'o', "options", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ O_SORT, 'O', "sort", CLI_OPT_STR, 0 },
	{ O_NOHEAD, 0, "noheadings", CLI_OPT_FLAG, 0 },
	{ O_NOSUFFIX, 0, "nosuffix", CLI_OPT_FLAG, 0 },
	{ O_SEP, 0, "separator", CLI_OPT_STR, 0 },
	{ O_UNITS, 0, "units", CLI_OPT_UNITS, 0 },
	{ O_RFORMAT, 0, "reportformat", CLI_OPT_STR, 0 },
	{ O_ALIGNED, 0, "aligned", CLI_OPT_FLAG, 0 },
	{ O_UNBUFFERED, 0, "unbuffered", CLI_OPT_FLAG, 0 },
	{ O_NAMEPREFIXES, 0, "nameprefixes", CLI_OPT_FLAG, 0 },
	{ O_ROWS, 0, "rows", CLI_OPT_FLAG, 0 },
	{ O_BINARY, 0, "binary", CLI_OPT_FLAG, 0 },
	{ O_SELECT, 'S', "select", CLI_OPT_STR, 0 },
	{ O_READONLY, 0, "readonly", CLI_OPT_FLAG, 0 },
	{ O_UNQUOTED, 0, "unquoted", CLI_OPT_FLAG, 0 },
	/* lvm2's: list shared (lockd) and foreign (system ID) VGs too */
	{ O_SHARED, 0, "shared", CLI_OPT_FLAG, 0 },
	{ O_FOREIGN, 0, "foreign", CLI_OPT_FLAG, 0 },
};

/* report/time_format from --config strings ("report/time_format=\"%s\"" or
 * "report { time_format = ... }"), as lvm2 reads it; NULL when absent. Copies into @buf. */
static const char *config_time_format(const struct cli_parsed *p, char *buf, size_t len)
{
	const struct cli_optval *v = cli_opt(p, O_CONFIG);
	const char *found = NULL;

	for (size_t i = 0; v && i < v->count; i++) {
		const char *s = strstr(v->args[i], "time_format");
		const char *e;
		if (!s)
			continue;
		s += strlen("time_format");
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s++ != '=')
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '"' || !(e = strchr(s + 1, '"')) || (size_t)(e - s - 1) >= len)
			continue;
		memcpy(buf, s + 1, (size_t)(e - s - 1));
		buf[e - s - 1] = '\0';
		found = buf;
	}
	return found;
}

static int report_begin(struct tb_ctx *ctx, const char *cmd, const struct cli_report_type *type,
			int argc, char **argv, struct cli_parsed **ret_p,
			struct cli_report **ret_rep)
{
	struct cli_report_opts ro = { 0 };
	struct cli_parsed *p = NULL;
	const char *fmt;
	char *err = NULL;
	int r = parse(ctx, cmd, report_opts, ARRAY_SIZE(report_opts), argc, argv, &p);

	if (r)
		return r;
	ro.columns = cli_opt(p, O_OPTS)->args;
	ro.n_columns = cli_opt(p, O_OPTS)->count;
	ro.sort = cli_opt_str(p, O_SORT, NULL);
	ro.noheadings = cli_opt_isset(p, O_NOHEAD);
	ro.nosuffix = cli_opt_isset(p, O_NOSUFFIX);
	ro.separator = cli_opt_str(p, O_SEP, NULL);
	ro.aligned = cli_opt_isset(p, O_ALIGNED);
	ro.units = cli_opt(p, O_UNITS)->count ? cli_opt(p, O_UNITS)->unit : 0;
	ro.unbuffered = cli_opt_isset(p, O_UNBUFFERED);
	ro.nameprefixes = cli_opt_isset(p, O_NAMEPREFIXES);
	ro.rows = cli_opt_isset(p, O_ROWS);
	ro.binary = cli_opt_isset(p, O_BINARY);
	ro.select = cli_opt_str(p, O_SELECT, NULL);
	tb_ctx_set_report_include(ctx,
				  (cli_opt_isset(p, O_SHARED) ? TB_REPORT_SHARED : 0) |
					  (cli_opt_isset(p, O_FOREIGN) ? TB_REPORT_FOREIGN : 0));
	{
		static char tf[256];
		ro.time_format = config_time_format(p, tf, sizeof(tf));
	}
	fmt = cli_opt_str(p, O_RFORMAT, NULL);
	if (cli_report_format_parse(fmt, stderr, &ro.format) != CLI_OK) {
		cli_parsed_free(p);
		return CLI_EINVAL;
	}
	r = cli_report_new(type, &ro, ret_rep, &err);
	if (r < 0) {
		/* lvm2: a bad field or selection fails the command (5), bad units are usage (3) */
		bool sel = err && (strstr(err, "election") || strstr(err, "Unrecognised"));
		cli_err("%s", err ? err : strerror(-r));
		free(err);
		cli_parsed_free(p);
		return sel ? CLI_FAILED : CLI_EINVAL;
	}
	*ret_p = p;
	return CLI_OK;
}

struct lvs_ud {
	struct cli_report *rep;
	bool unbuffered;
	char **want; /* "vg/lv" arguments: only these LVs (NULL: every LV of the VGs) */
	int n_want;
	bool *hit; /* [n_want]: the argument matched a row */
};

static bool lv_wanted(const struct lvs_ud *u, const char *vg, const char *lv)
{
	size_t vl = strlen(vg);

	if (!u->n_want)
		return true;
	for (int i = 0; i < u->n_want; i++) {
		const char *w = u->want[i];
		if (!strchr(w, '/')
			    ? streq(w, vg)
			    : (!strncmp(w, vg, vl) && w[vl] == '/' && streq(w + vl + 1, lv))) {
			if (u->hit)
				u->hit[i] = true;
			return true;
		}
	}
	return false;
}

static int lvs_row(void *userdata, const struct tb_lv_row *row)
{
	struct lvs_ud *u = userdata;
	struct cli_report *rep = u->rep;
	const char *bare = row->name[0] == '[' ? row->name + 1 : row->name;
	char sortkey[300];
	size_t n = MIN(strcspn(bare, "]"), sizeof(sortkey) - 1);

	memcpy(sortkey, bare, n); /* the name without brackets (a copy, not a printf per row) */
	sortkey[n] = '\0';
	if (!lv_wanted(u, row->vg, sortkey))
		return 0;
	if (u->unbuffered) /* lvm2 --unbuffered: processing order, pools first (toollib.c) */
		snprintf(sortkey, sizeof(sortkey), "%s/%d%08zu", row->vg, row->attr[0] != 't',
			 row->attr[0] == 't' ? 99999999 - row->md_index : row->md_index);
	return cli_rows_add_lv(rep, row, sortkey);
}

/* The core builds only the LV fields the report keeps (a pool's "_pub_" copies stand in for
 * the field they name). */
static bool lvs_field_wanted(void *rep, const char *id)
{
	if (streq(id, "_segments")) /* cli_rows_add_lv reads segment rows only then */
		return cli_report_wants(rep, CLI_FT_SEG);
	return cli_report_stores(rep, !strncmp(id, "_pub_", 5) ? id + 5 : id);
}

/* lvm2 joins VG fields into LV and PV rows: copy them from a table of every VG. */
static int join_vgs(struct tb_ctx *ctx, struct cli_report *rep)
{
	struct cli_report *vgt = NULL;
	int r = cli_rows_vg_table(ctx, NULL, 0, &vgt);

	for (size_t i = 0; r == 0 && i < cli_report_n_rows(rep); i++)
		cli_rows_join_vg(rep, i, vgt, cli_report_get_str(rep, i, "vg_name"));
	cli_report_free(vgt);
	return r;
}

/* Parse the report options, let @fill add the rows, print. */
static int run_report(struct tb_ctx *ctx, const char *cmd, const struct cli_report_type *type,
		      int argc, char **argv,
		      int (*fill)(struct tb_ctx *, struct cli_parsed *, struct cli_report *))
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct cli_report *rep = NULL;
	int r = report_begin(ctx, cmd, type, argc, argv, &p, &rep);

	if (r)
		return r;
	int missing;

	r = fill(ctx, p, rep);
	if (r >= 0 && type != &cli_report_vgs && cli_report_wants_other(rep, CLI_FT_VG, "vg_name")) {
		int j = join_vgs(ctx, rep);
		if (j < 0)
			r = j;
	}
	if (r < 0) {
		cli_report_free(rep);
		return fail(ctx);
	}
	missing = r; /* > 0: some named object was not found (said on stderr): lvm2 exits 5 */
	r = cli_report_print(rep, stdout);
	cli_report_free(rep);
	return r < 0 || missing ? CLI_FAILED : CLI_OK;
}

static int fill_lvs(struct tb_ctx *ctx, struct cli_parsed *p, struct cli_report *rep)
{
	struct lvs_ud u = { .rep = rep,
			    .want = p->pos,
			    .n_want = p->n_pos,
			    .unbuffered = cli_opt_isset(p, O_UNBUFFERED) };
	_cleanup_free_ const char **vgs = calloc((size_t)p->n_pos + 1, sizeof(*vgs));
	_cleanup_free_ char *buf = NULL;
	size_t n = 0, off = 0, total = 0;

	if (!vgs)
		return -ENOMEM;
	for (int i = 0; i < p->n_pos; i++)
		total += strlen(p->pos[i]) + 1;
	buf = malloc(total + 1);
	if (!buf)
		return -ENOMEM;
	/* VG/LV arguments select their VG; each VG once */
	for (int i = 0; i < p->n_pos; i++) {
		const char *a = !strncmp(p->pos[i], "/dev/", 5) ? p->pos[i] + 5 : p->pos[i];
		size_t len = strcspn(a, "/");
		bool dup = false;
		memcpy(buf + off, a, len);
		buf[off + len] = '\0';
		for (size_t k = 0; k < n; k++)
			dup |= streq(vgs[k], buf + off);
		if (!dup)
			vgs[n++] = buf + off;
		off += len + 1;
		if (a != p->pos[i])
			p->pos[i] += 5;
	}
	_cleanup_free_ bool *hit = calloc((size_t)p->n_pos + 1, sizeof(*hit));
	int r, missing = 0;

	if (!hit)
		return -ENOMEM;
	u.hit = hit;
	r = tb_report_lvs_want(ctx, vgs, n, cli_opt_isset(p, O_ALL), lvs_field_wanted, rep, lvs_row,
			       &u);
	if (r < 0)
		return r;
	/* lvm2 (toollib.c process_each_lv_in_vg): a named LV that matched nothing */
	for (int i = 0; i < p->n_pos; i++)
		if (strchr(p->pos[i], '/') && !hit[i]) {
			cli_err("Failed to find logical volume \"%s\"", p->pos[i]);
			missing = 1;
		}
	return missing;
}

static int cmd_lvs(struct tb_ctx *ctx, int argc, char **argv)
{
	return run_report(ctx, "lvs", &cli_report_lvs, argc, argv, fill_lvs);
}
CLI_COMMAND(lvs, "lvs", cmd_lvs, "report logical volumes");

static int vgs_row(void *userdata, const struct tb_vg_row *row)
{
	struct cli_report *rep = userdata;

	return cli_rows_add_vg(rep, row);
}

struct vgpv_ud {
	struct cli_report *rep, *vgt;
};

/* vgs with PV fields (Proxmox's lvm_vgs): one row per PV of each VG, VG fields joined. */
static int vgpv_row(void *userdata, const struct tb_pv_row *row)
{
	struct vgpv_ud *u = userdata;
	size_t before = cli_report_n_rows(u->rep);
	bool in = false;
	int r;

	for (size_t k = 0; k < cli_report_n_rows(u->vgt); k++) {
		const char *n = cli_report_get_str(u->vgt, k, "vg_name");
		in |= n && row->vg && streq(n, row->vg);
	}
	if (!in)
		return 0;
	if ((r = cli_rows_add_pv(u->rep, row)) < 0)
		return r;
	for (size_t i = before; i < cli_report_n_rows(u->rep); i++)
		cli_rows_join_vg(u->rep, i, u->vgt, row->vg);
	return 0;
}

static int fill_vgs(struct tb_ctx *ctx, struct cli_parsed *p, struct cli_report *rep)
{
	struct vgpv_ud u = { rep, NULL };
	int r;

	if (!cli_report_wants(rep, CLI_FT_PV))
		return tb_report_vgs(ctx, (const char *const *)p->pos, (size_t)p->n_pos, vgs_row,
				     rep);
	r = cli_rows_vg_table(ctx, (const char *const *)p->pos, (size_t)p->n_pos, &u.vgt);
	if (r == 0)
		r = tb_report_pvs(ctx, NULL, 0, vgpv_row, &u);
	cli_report_free(u.vgt);
	return r;
}

static int cmd_vgs(struct tb_ctx *ctx, int argc, char **argv)
{
	return run_report(ctx, "vgs", &cli_report_vgs, argc, argv, fill_vgs);
}
CLI_COMMAND(vgs, "vgs", cmd_vgs, "report volume groups");

static int pvs_row(void *userdata, const struct tb_pv_row *row)
{
	struct cli_report *rep = userdata;

	return cli_rows_add_pv(rep, row);
}

static int fill_pvs(struct tb_ctx *ctx, struct cli_parsed *p, struct cli_report *rep)
{
	return tb_report_pvs(ctx, (const char *const *)p->pos, (size_t)p->n_pos, pvs_row, rep);
}

static int cmd_pvs(struct tb_ctx *ctx, int argc, char **argv)
{
	return run_report(ctx, "pvs", &cli_report_pvs, argc, argv, fill_pvs);
}
CLI_COMMAND(pvs, "pvs", cmd_pvs, "report physical volumes");
