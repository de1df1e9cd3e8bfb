/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dmsetup: run under the name `dmsetup` (or as `thinbox dmsetup`), thinbox answers with
 * dmsetup 1.02's syntax, output and exit codes (0, or 1 after "Command failed."), and its
 * error lines: libdm's "device-mapper: <ioctl> ioctl on <name> <uuid>[(<maj>:<min>)] failed:
 * <strerror>", "Device <path> not found", "Device does not exist.", which clients such as
 * containerd's devmapper snapshotter parse for EBUSY, ENXIO, ENODATA and EEXIST.
 * `thinbox dm` is the same front end with thinbox's own, longer messages (naming the ioctl
 * and what to do) and lvm2-style exit codes (3 usage, 5 failed). --trace (or
 * THINBOX_TRACE=1) prints every ioctl on stderr. The facts (verbs, options, message texts,
 * the --force/--retry sequences) are dmsetup's, lvm2 2.03.16 libdm/dm-tools/dmsetup.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/dm-report.h"
#include "util/macros.h"
#include "util/strbuf.h"

/* libdm's --retry: 25 attempts in all (measured: 25 error lines), DM_RETRY_USLEEP_DELAY apart */
#define REMOVE_ATTEMPTS 25
#define REMOVE_RETRY_USEC 200000

struct dm_opts {
	bool compat; /* invoked as dmsetup: its messages and exit codes */
	const char *table, *uuid, *target, *fields, *sort, *separator, *select;
	int major, minor;
	bool has_major, has_minor;
	bool notable, readonly, noflush, nolockfs, deferred, retry, force, inactive, tree;
	bool columns, noheadings, nameprefixes, unquoted, yes;
	int nargs;
	char **args; /* positional arguments after the verb */
};

/* A device as the user named it, resolved to its kernel name. */
struct dev {
	char name[TB_DM_NAME_LEN];
	const char *uuid;      /* addressed by uuid, or created with one: for the error line */
	uint32_t major, minor; /* known number (addressed by it, or just created): ditto */
	bool missing;          /* addressed by uuid/number and no such device */
	bool by_id;            /* addressed by uuid/number: libdm's line shows no name */
};

static const char usage_text[] =
	"Usage:\n\n"
	"dmsetup\n"
	"        [--version] [-h|--help [-c|-C|--columns]]\n"
	"        [-v|--verbose [-v|--verbose ...]] [-f|--force]\n"
	"        [--checks] [--manglename {none|hex|auto}]\n"
	"        [-r|--readonly] [--noopencount] [--noflush] [--nolockfs] [--inactive]\n"
	"        [--udevcookie <cookie>] [--noudevrules] [--noudevsync] [--verifyudev]\n"
	"        [-y|--yes] [--readahead {[+]<sectors>|auto|none}] [--retry]\n"
	"        [-c|-C|--columns] [-o <fields>] [-O|--sort <sort_fields>]\n"
	"        [-S|--select <selection>] [--nameprefixes] [--noheadings]\n"
	"        [--separator <separator>]\n\n"
	"    help [-c|-C|--columns]\n"
	"    create <dev_name>\n"
	"            [-j|--major <major> -m|--minor <minor>]\n"
	"            [-u|--uuid <uuid>] [--addnodeonresume|--addnodeoncreate]\n"
	"            [-n|--notable|--table {<table>|<table_file>}]\n"
	"    remove [--deferred] [-f|--force] [--retry] <device>...\n"
	"    suspend [--noflush] [--nolockfs] <device>...\n"
	"    resume [--noflush] [--nolockfs] <device>...\n"
	"    load <device> [<table>|<table_file>]\n"
	"    clear <device>\n"
	"    reload <device> [<table>|<table_file>]\n"
	"    wipe_table [-f|--force] [--noflush] [--nolockfs] <device>...\n"
	"    rename <device> <new_name>\n"
	"    message <device> <sector> <message>\n"
	"    ls [--target <target_type>] [-o <options>] [--tree]\n"
	"    info [<device>...]\n"
	"    deps [-o <options>] [<device>...]\n"
	"    status [<device>...] [--noflush] [--target <target_type>]\n"
	"    table [<device>...] [--target <target_type>]\n"
	"    wait <device> [<event_nr>] [--noflush]\n"
	"    mknodes [<device>...]\n"
	"    udevcreatecookie\n"
	"    udevreleasecookie [<cookie>]\n"
	"    udevflags <cookie>\n"
	"    udevcomplete <cookie>\n"
	"    udevcomplete_all [<age_in_minutes>]\n"
	"    udevcookies\n"
	"    targets\n"
	"    version\n"
	"    splitname <device> [<subsystem>]\n\n"
	"<device> may be device name or (if only one) -u <uuid> or -j <major> -m <minor>\n"
	"<mangling_mode> is one of 'none', 'auto' and 'hex'.\n"
	"<fields> are comma-separated.  Use 'help -c' for list.\n"
	"Table_file contents may be supplied on stdin.\n"
	"Options are: devno, devname, blkdevname.\n"
	"Tree specific options are: ascii, utf, vertical, inverted, notrunc,\n"
	"                           blkdevname, [no]device, active, open, rw and uuid.\n\n"
	"(thinbox: the dmsetup front end of thinbox; `thinbox dm --trace VERB` traces ioctls)\n";

/* ---- messages ---- */

static void msg(const char *fmt, ...) _printf_(1, 2);
static void msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout); /* clients read stdout and stderr combined, in order */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A message that is not an ioctl failure: dmsetup's text as dmsetup prints it, or thinbox's
 * two-space indent under `thinbox dm`. */
#define say(o, ...)                                                                                \
	do {                                                                                       \
		if ((o)->compat)                                                                   \
			msg(__VA_ARGS__);                                                          \
		else                                                                               \
			cli_err(__VA_ARGS__);                                                      \
	} while (0)

/* An ioctl failed with r (-errno): libdm's line, or thinbox's message from the ctx. */
static void ioctl_fail(const struct dm_opts *o, struct tb_ctx *ctx, const char *ioctl,
		       const struct dev *d, int r)
{
	char num[32] = "";

	if (!o->compat) {
		fflush(stdout);
		if (d->missing || !d->name[0])
			cli_err("Failed to %s '%s': %s", ioctl,
				d->name[0] ? d->name
				: d->uuid  ? d->uuid
					   : "",
				strerror(-r));
		else
			cli_err("%s", tb_ctx_errmsg(ctx));
		return;
	}
	if (d->major > 0)
		snprintf(num, sizeof(num), "(%" PRIu32 ":%" PRIu32 ")", d->major, d->minor);
	msg("device-mapper: %s ioctl on %s %s%s failed: %s", ioctl, d->by_id ? "" : d->name,
	    d->uuid ? d->uuid : "", num, strerror(-r));
}

/* ---- device arguments ---- */

static const char *dev_dir(void)
{
	const char *e = getenv("DM_DEV_DIR");
	return e && *e ? e : "/dev";
}

/* A path names the device whose node it is: /dev/mapper/<last component> if that is the same
 * node, else whichever node in /dev/mapper has the same number (libdm dm_task_set_name). */
static bool path_to_name(const char *path, char *name, size_t len)
{
	char dir[PATH_MAX], p[PATH_MAX];
	const char *base = strrchr(path, '/') + 1;
	struct stat a, b;
	struct dirent *e;
	DIR *dh;
	bool found = false;

	if (stat(path, &a) < 0)
		return false;
	if (snprintf(dir, sizeof(dir), "%s/mapper", dev_dir()) >= (int)sizeof(dir))
		return false;
	if (*base && snprintf(p, sizeof(p), "%s/%s", dir, base) < (int)sizeof(p) &&
	    stat(p, &b) == 0 && a.st_rdev == b.st_rdev && strlen(base) < len) {
		memcpy(name, base, strlen(base) + 1);
		return true;
	}
	dh = opendir(dir);
	if (!dh)
		return false;
	while (!found && (e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= (int)sizeof(p) ||
		    strlen(e->d_name) >= len)
			continue;
		if (stat(p, &b) == 0 && S_ISBLK(b.st_mode) && S_ISBLK(a.st_mode) &&
		    a.st_rdev == b.st_rdev) {
			memcpy(name, e->d_name, strlen(e->d_name) + 1);
			found = true;
		}
	}
	closedir(dh);
	return found;
}

/* Resolve @arg (NULL: use -u or -j/-m) into @d. Prints the error and returns -1 when the
 * argument names nothing. */
static int resolve(const struct dm_opts *o, struct tb_ctx *ctx, const char *arg, struct dev *d)
{
	memset(d, 0, sizeof(*d));
	if (!arg && (o->uuid || (o->has_major && o->has_minor))) {
		_cleanup_free_ struct tb_dm_dev *all = NULL;
		size_t n;

		if (tb_dm_list(ctx, &all, &n) < 0) {
			say(o, "%s", tb_ctx_errmsg(ctx));
			return -1;
		}
		if (o->uuid)
			d->uuid = o->uuid;
		else {
			d->major = (uint32_t)o->major;
			d->minor = (uint32_t)o->minor;
		}
		d->missing = true;
		d->by_id = true;
		for (size_t i = 0; i < n; i++)
			if (o->uuid ? streq(all[i].uuid, o->uuid)
				    : (all[i].major == (uint32_t)o->major &&
				       all[i].minor == (uint32_t)o->minor)) {
				snprintf(d->name, sizeof(d->name), "%s", all[i].name);
				d->missing = false;
			}
		return 0;
	}
	if (!arg) {
		say(o, "No device specified.");
		return -1;
	}
	if (strchr(arg, '/')) {
		if (!path_to_name(arg, d->name, sizeof(d->name))) {
			say(o, "Device %s not found", arg);
			return -1;
		}
		return 0;
	}
	if (strlen(arg) >= sizeof(d->name)) {
		say(o, "Name \"%s\" too long.", arg);
		return -1;
	}
	snprintf(d->name, sizeof(d->name), "%s", arg);
	return 0;
}

/* The name an ioctl should carry; "" (which the kernel answers with ENXIO) when missing. */
static bool absent(const struct dev *d)
{
	return d->missing || !d->name[0];
}

/* ---- tables ---- */

/* dmsetup's table parser: blank and '#' lines skipped, trailing '#' comments cut, each line
 * "start length type params". Returns the normalised text ("" if no line) or NULL after
 * printing libdm's message. */
static char *parse_table(const struct dm_opts *o, const char *text, const char *where)
{
	struct strbuf sb = { 0 };
	const char *p = text;
	int line = 0;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);
		_cleanup_free_ char *buf = strndup(p, l);
		char *s, *e, *c, type[64];
		unsigned long long start, len;
		int n = 0;

		line++;
		p = eol ? eol + 1 : NULL;
		if (!buf)
			goto oom;
		for (e = buf + strlen(buf);
		     e > buf && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r');)
			*--e = '\0';
		for (s = buf; *s == ' ' || *s == '\t'; s++)
			;
		if (!*s || *s == '#')
			continue;
		if (sscanf(s, "%llu %llu %63s %n", &start, &len, type, &n) < 3 || n == 0) {
			if (o->compat)
				msg("Invalid format on line %d of table %s.", line, where);
			else
				cli_err("Invalid table: line %d must be 'start length type params'.",
					line);
			strbuf_release(&sb);
			return NULL;
		}
		s += n;
		if ((c = strchr(s, '#')))
			*c = '\0';
		strbuf_appendf(&sb, "%llu %llu %s %s\n", start, len, type, s);
	}
	if (!strbuf_ok(&sb))
		goto oom;
	return sb.buf ? strbuf_steal(&sb) : strdup("");
oom:
	strbuf_release(&sb);
	say(o, "Out of memory reading the table.");
	return NULL;
}

static char *read_all(FILE *f)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_appendn(&sb, buf, n);
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return NULL;
	}
	return sb.buf ? strbuf_steal(&sb) : strdup("");
}

/* The table of create/load: --table, else FILE, else stdin. */
static char *get_table(const struct dm_opts *o, const char *file)
{
	_cleanup_free_ char *raw = NULL;
	const char *where = "";

	if (o->table)
		return parse_table(o, o->table, "");
	if (file) {
		FILE *f = fopen(file, "re");
		if (!f) {
			say(o, "Couldn't open '%s' for reading.", file);
			return NULL;
		}
		raw = read_all(f);
		fclose(f);
		where = file;
	} else {
		raw = read_all(stdin);
		where = "on stdin";
	}
	if (!raw) {
		say(o, "Cannot read the table.");
		return NULL;
	}
	return parse_table(o, raw, where);
}

/* ---- verbs ---- */

typedef bool (*dev_fn)(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many);

/* Run @fn on each argument, stopping at the first failure (each repeatable verb of dmsetup);
 * with none: on the -u/-j device, else on every device if @all (info, table, status, deps),
 * else once without a device (which says "No device specified."). */
static bool each_device(struct tb_ctx *ctx, const struct dm_opts *o, dev_fn fn, bool all)
{
	_cleanup_free_ struct tb_dm_dev *d = NULL;
	bool many = o->nargs != 1 && (o->nargs || !(o->uuid || o->has_major));
	size_t n;
	bool ok = true;

	if (o->nargs > 0) {
		for (int i = 0; i < o->nargs; i++)
			if (!fn(ctx, o, o->args[i], many))
				return false;
		return true;
	}
	if (o->uuid || o->has_major || !all)
		return fn(ctx, o, NULL, false);
	if (tb_dm_list(ctx, &d, &n) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		return false;
	}
	if (n == 0) {
		printf("No devices found\n");
		return true;
	}
	for (size_t i = 0; i < n; i++)
		if (!fn(ctx, o, d[i].name, many))
			ok = false;
	return ok;
}

static bool do_version(struct tb_ctx *ctx, const struct dm_opts *o)
{
	uint32_t v[3];

	/* the libdm version whose command line and output this front end reproduces */
	if (o->compat)
		printf("Library version:   1.02.185 (thinbox %s)\n", tb_version());
	else
		printf("Library version:   thinbox %s\n", tb_version());
	if (tb_dm_driver_version(ctx, v) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		return false;
	}
	printf("Driver version:    %u.%u.%u\n", v[0], v[1], v[2]);
	return true;
}

static bool do_targets(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ struct tb_dm_target_type *t = NULL;
	size_t n;

	if (tb_dm_target_types(ctx, &t, &n) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		return false;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-16s v%u.%u.%u\n", t[i].name, t[i].version[0], t[i].version[1],
		       t[i].version[2]);
	return true;
}

/* -o devno|devname|blkdevname of ls and deps */
enum devname_type { DN_DEVNO, DN_BLK, DN_MAP };

static enum devname_type devname_type(const struct dm_opts *o)
{
	if (o->fields && strstr(o->fields, "blkdevname"))
		return DN_BLK;
	if (o->fields && strstr(o->fields, "devname"))
		return DN_MAP;
	return DN_DEVNO;
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
		printf("%s%s%s (%u:%u)\n", prefix, last ? (u ? "└─" : "`-") : (u ? "├─" : "|-"),
		       k >= 0 ? t->devs[k].name : "", ma, mi);
	if (k < 0 || depth > 64)
		return;
	snprintf(sub, sizeof(sub), "%s%s", prefix, root ? " " : last ? "   " : u ? "│  " : "|  ");
	for (size_t j = 0; j < t->ndeps[k]; j++)
		tree_print(t, t->deps[k][j].major, t->deps[k][j].minor, sub, j + 1 == t->ndeps[k],
			   false, depth + 1);
}

static bool ls_tree(struct tb_ctx *ctx, const struct dm_opts *o, struct tb_dm_dev *d, size_t n)
{
	struct tree t = { 0 };
	bool ok = true;

	t.devs = d;
	t.n = n;
	t.deps = calloc(n, sizeof(*t.deps));
	t.ndeps = calloc(n, sizeof(*t.ndeps));
	if (!t.deps || !t.ndeps) {
		ok = false;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (tb_dm_deps(ctx, d[i].name, &t.deps[i], &t.ndeps[i]) < 0) {
			say(o, "%s", tb_ctx_errmsg(ctx));
			ok = false;
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
	return ok;
}

static bool do_ls(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ struct tb_dm_dev *d = NULL;
	enum devname_type dn = devname_type(o);
	size_t n;
	bool ok = true;

	if (tb_dm_list(ctx, &d, &n) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		return false;
	}
	if (n == 0) {
		printf("No devices found\n");
		return true;
	}
	if (o->tree && !o->target)
		return ls_tree(ctx, o, d, n);
	for (size_t i = 0; i < n; i++) {
		char nm[PATH_MAX];

		if (o->target) {
			/* dmsetup ls --target T: each device with a T target, once */
			struct tb_dm_target *t = NULL;
			size_t nt;
			bool match = false;
			struct dev dv = { 0 };

			snprintf(dv.name, sizeof(dv.name), "%s", d[i].name);
			if (tb_dm_status(ctx, d[i].name, 0, &t, &nt) < 0) {
				if (o->compat)
					msg("Device does not exist.");
				else
					cli_err("%s", tb_ctx_errmsg(ctx));
				ok = false;
				continue;
			}
			for (size_t k = 0; k < nt; k++)
				if (streq(t[k].type, o->target))
					match = true;
			tb_dm_targets_free(t, nt);
			if (match)
				printf("%s\t(%u, %u)\n", d[i].name, d[i].major, d[i].minor);
			continue;
		}
		if (dn != DN_DEVNO &&
		    (dn == DN_BLK ? cli_dm_blkdev_name(d[i].major, d[i].minor, nm, sizeof(nm))
				  : cli_dm_mapped_name(d[i].major, d[i].minor, nm, sizeof(nm))))
			printf("%s\t(%s)\n", d[i].name, nm);
		else
			printf("%s\t(%u:%u)\n", d[i].name, d[i].major, d[i].minor);
	}
	return ok;
}

/* ---- info ---- */

/* Read ahead as libdm gets it: sysfs bdi/read_ahead_kb, else from the node; false (and,
 * like libdm, a message when the node cannot be opened) if neither is there. */
static bool read_ahead(const struct tb_dm_info *i, uint32_t *ret)
{
	char path[PATH_MAX];
	unsigned long kb;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/bdi/read_ahead_kb", i->major, i->minor);
	f = fopen(path, "re");
	if (f) {
		bool ok = fscanf(f, "%lu", &kb) == 1 && kb < UINT32_MAX / 2;
		fclose(f);
		if (ok) {
			*ret = (uint32_t)(kb * 2);
			return true;
		}
	}
	snprintf(path, sizeof(path), "%s/mapper/%s", dev_dir(), i->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg("%s: open failed: %s", path, strerror(errno));
		return false;
	}
	close(fd);
	return false;
}

static void print_info(const struct tb_dm_info *i)
{
	uint32_t ra;

	printf("Name:              %s\n", i->name);
	printf("State:             %s%s%s\n", i->suspended ? "SUSPENDED" : "ACTIVE",
	       i->read_only ? " (READ-ONLY)" : "", i->deferred_remove ? " (DEFERRED REMOVE)" : "");
	fflush(stdout);
	if (read_ahead(i, &ra))
		printf("Read Ahead:        %u\n", ra);
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
	printf("\n"); /* dmsetup ends every info block with a blank line */
}

struct info_run {
	const struct dm_opts *o;
	struct cli_dm_report *rep;
	struct tb_dm_dev *all; /* for the tree fields */
	size_t nall;
	struct tb_dm_devno **all_deps;
	size_t *all_ndeps;
};

/* The INFO ioctl, with dmsetup's "Device does not exist." for a missing device. */
static bool get_info(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, struct dev *d,
		     struct tb_dm_info *i)
{
	int r;

	if (resolve(o, ctx, arg, d) < 0)
		return false;
	r = absent(d) ? -ENXIO : tb_dm_info(ctx, d->name, i);
	if (r == -ENXIO && o->compat) {
		msg("Device does not exist.");
		return false;
	}
	if (r < 0) {
		ioctl_fail(o, ctx, "info", d, r);
		return false;
	}
	return true;
}

static bool report_one(struct tb_ctx *ctx, struct info_run *run, const struct tb_dm_info *i)
{
	_cleanup_free_ struct tb_dm_devno *deps = NULL;
	struct cli_dm_report_dev rd = { 0 };
	size_t nd = 0;

	if (cli_dm_report_needs_deps(run->rep) && tb_dm_deps(ctx, i->name, &deps, &nd) < 0) {
		msg("Cannot get deps for %u:%u.", i->major, i->minor);
		return false;
	}
	rd.info = i;
	rd.name = i->name;
	rd.uuid = i->uuid;
	rd.deps = deps;
	rd.ndeps = nd;
	rd.all = run->all;
	rd.nall = run->nall;
	rd.all_deps = (const struct tb_dm_devno *const *)run->all_deps;
	rd.all_ndeps = run->all_ndeps;
	return cli_dm_report_add(run->rep, &rd) == 0;
}

static bool info_dev(struct tb_ctx *ctx, struct info_run *run, const char *arg)
{
	struct tb_dm_info i;
	struct dev d;

	if (!get_info(ctx, run->o, arg, &d, &i))
		return false;
	if (run->rep)
		return report_one(ctx, run, &i);
	print_info(&i);
	return true;
}

static bool do_info(struct tb_ctx *ctx, const struct dm_opts *o)
{
	struct cli_dm_report_opts ro = { .fields = o->fields,
					 .sort = o->sort,
					 .separator = o->separator,
					 .noheadings = o->noheadings,
					 .nameprefixes = o->nameprefixes,
					 .unquoted = o->unquoted };
	struct info_run run = { .o = o };
	_cleanup_free_ struct tb_dm_dev *d = NULL;
	size_t n = 0;
	bool ok = true;
	int r;

	if (o->columns) {
		r = cli_dm_report_new(&ro, &run.rep);
		if (r == 1)
			return true;
		if (r < 0)
			return false;
	}
	if (run.rep && cli_dm_report_needs_tree(run.rep)) {
		if (tb_dm_list(ctx, &run.all, &run.nall) < 0) {
			say(o, "%s", tb_ctx_errmsg(ctx));
			ok = false;
			goto out;
		}
		run.all_deps = calloc(run.nall + 1, sizeof(*run.all_deps));
		run.all_ndeps = calloc(run.nall + 1, sizeof(*run.all_ndeps));
		if (!run.all_deps || !run.all_ndeps) {
			ok = false;
			goto out;
		}
		for (size_t k = 0; k < run.nall; k++)
			(void)tb_dm_deps(ctx, run.all[k].name, &run.all_deps[k], &run.all_ndeps[k]);
	}
	if (o->nargs > 0) {
		/* dmsetup stops at the first device that fails */
		for (int k = 0; k < o->nargs && ok; k++)
			ok = info_dev(ctx, &run, o->args[k]);
	} else if (o->uuid || o->has_major) {
		ok = info_dev(ctx, &run, NULL);
	} else if (tb_dm_list(ctx, &d, &n) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		ok = false;
	} else if (n == 0) {
		printf("No devices found\n");
	} else {
		for (size_t k = 0; k < n; k++)
			if (!info_dev(ctx, &run, d[k].name))
				ok = false;
	}
out:
	/* dmsetup prints "Command failed." before the report's rows */
	if (!ok && o->compat)
		msg("Command failed.");
	fflush(stderr);
	cli_dm_report_output_free(run.rep, stdout);
	for (size_t k = 0; run.all_deps && k < run.nall; k++)
		free(run.all_deps[k]);
	free(run.all_deps);
	free(run.all_ndeps);
	free(run.all);
	return ok;
}

static bool do_splitname(struct tb_ctx *ctx, const struct dm_opts *o)
{
	struct cli_dm_report_opts ro = { .fields = o->fields,
					 .sort = o->sort,
					 .separator = o->separator,
					 .noheadings = o->noheadings,
					 .nameprefixes = o->nameprefixes,
					 .unquoted = o->unquoted,
					 .splitname = true };
	struct cli_dm_report *rep = NULL;
	struct cli_dm_report_dev rd = { 0 };
	bool ok;
	int r;

	r = cli_dm_report_new(&ro, &rep);
	if (r == 1)
		return true;
	if (r < 0)
		return false;
	if (rep && cli_dm_report_needs_deps(rep)) {
		cli_dm_report_output_free(rep, stdout);
		say(o, "splitname reports only name fields.");
		return false;
	}
	rd.name = o->args[0];
	rd.uuid = o->nargs == 2 ? o->args[1] : "LVM";
	ok = cli_dm_report_add(rep, &rd) == 0;
	cli_dm_report_output_free(rep, stdout);
	return ok;
}

/* ---- table, status, deps ---- */

static bool lines_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many,
		      bool table)
{
	struct tb_dm_target *t = NULL;
	unsigned flags = (o->inactive ? TB_DM_INACTIVE : 0) | (o->noflush ? TB_DM_NOFLUSH : 0);
	struct dev d;
	size_t n = 0;
	int r;

	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	if (absent(&d))
		r = -ENXIO;
	else
		r = table ? tb_dm_table(ctx, d.name, flags, &t, &n)
			  : tb_dm_status(ctx, d.name, flags, &t, &n);
	if (r == -ENXIO && !table && o->compat) {
		msg("Device does not exist.");
		return false;
	}
	if (r < 0) {
		ioctl_fail(o, ctx, table ? "table" : "status", &d, r);
		return false;
	}
	/* no table: one empty line, as libdm's target walk yields one empty target */
	if (n == 0 && !o->target)
		printf("%s%s\n", many ? d.name : "", many ? ": " : "");
	for (size_t i = 0; i < n; i++) {
		if (o->target && !streq(t[i].type, o->target))
			continue;
		printf("%s%s%" PRIu64 " %" PRIu64 " %s %s\n", many ? d.name : "", many ? ": " : "",
		       t[i].start, t[i].len, t[i].type, t[i].params);
	}
	tb_dm_targets_free(t, n);
	return true;
}

static bool table_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	return lines_dev(ctx, o, arg, many, true);
}

static bool status_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	return lines_dev(ctx, o, arg, many, false);
}

static bool deps_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	_cleanup_free_ struct tb_dm_devno *dv = NULL;
	enum devname_type dn = devname_type(o);
	struct dev d;
	size_t n = 0;
	int r;

	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	r = absent(&d) ? -ENXIO : tb_dm_deps(ctx, d.name, &dv, &n);
	if (r < 0) {
		ioctl_fail(o, ctx, "deps", &d, r);
		return false;
	}
	if (many)
		printf("%s: ", d.name);
	printf("%zu dependencies\t:", n);
	for (size_t i = 0; i < n; i++) {
		char nm[PATH_MAX];

		if (dn != DN_DEVNO &&
		    (dn == DN_BLK ? cli_dm_blkdev_name(dv[i].major, dv[i].minor, nm, sizeof(nm))
				  : cli_dm_mapped_name(dv[i].major, dv[i].minor, nm, sizeof(nm))))
			printf(" (%s)", nm);
		else
			printf(" (%u, %u)", dv[i].major, dv[i].minor);
	}
	printf("\n");
	return true;
}

/* ---- changes ---- */

static bool do_create(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ char *table = NULL;
	const char *name = o->nargs ? o->args[0] : NULL;
	struct tb_dm_info info;
	struct dev d = { 0 };
	int r;

	if (!name) {
		say(o, "Please provide a name for the new device.");
		return false;
	}
	if (strchr(name, '/')) {
		say(o, "Name \"%s\" invalid. It contains \"/\".", name);
		return false;
	}
	if (strlen(name) >= sizeof(d.name)) {
		say(o, "Name \"%s\" too long.", name);
		return false;
	}
	if (o->has_major || o->has_minor) {
		say(o, "create: -j/-m (a chosen device number) is not supported by thinbox.");
		return false;
	}
	if (!o->notable) {
		table = get_table(o, o->nargs > 1 ? o->args[1] : NULL);
		if (!table)
			return false;
	}
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.uuid = o->uuid;
	r = tb_dm_create(ctx, name, o->uuid, NULL, 0, &info);
	if (r < 0) {
		ioctl_fail(o, ctx, "create", &d, r);
		return false;
	}
	if (!table || !*table) /* no table: the device stays empty, without a node */
		return true;
	/* libdm names the new device by number in the errors of its load and resume */
	d.uuid = NULL;
	d.major = info.major;
	d.minor = info.minor;
	r = tb_dm_load(ctx, name, table, o->readonly ? TB_DM_READONLY : 0);
	if (r == 0) {
		r = tb_dm_resume(ctx, name);
		if (r < 0)
			ioctl_fail(o, ctx, "resume", &d, r);
	} else
		ioctl_fail(o, ctx, "reload", &d, r);
	if (r < 0) {
		/* as libdm: do not leave the half-made device behind */
		(void)tb_dm_remove(ctx, name, TB_DM_RETRY);
		return false;
	}
	return true;
}

static bool do_load(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ char *table = NULL;
	const char *file = NULL;
	const char *arg = NULL;
	struct dev d;
	int r;

	if (o->notable) {
		say(o, "--notable only available when creating new device.");
		return false;
	}
	if (!o->uuid && !o->has_major) {
		if (!o->nargs) {
			say(o, "Please specify device.");
			return false;
		}
		arg = o->args[0];
		file = o->nargs > 1 ? o->args[1] : NULL;
	} else if (o->nargs > 1) {
		say(o, "Too many command line arguments.");
		return false;
	} else
		file = o->nargs ? o->args[0] : NULL;
	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	table = get_table(o, file);
	if (!table)
		return false;
	r = absent(&d) ? -ENXIO : tb_dm_load(ctx, d.name, table, o->readonly ? TB_DM_READONLY : 0);
	if (r < 0) {
		ioctl_fail(o, ctx, "reload", &d, r);
		return false;
	}
	return true;
}

enum dev_op { OP_SUSPEND, OP_RESUME, OP_CLEAR };

/* suspend, resume and clear: one ioctl on one named device, dmsetup's failure line. */
static bool dev_op(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, enum dev_op op)
{
	static const char *const names[] = { "suspend", "resume", "clear" };
	unsigned f = (o->noflush ? TB_DM_NOFLUSH : 0) | (o->nolockfs ? TB_DM_SKIP_LOCKFS : 0);
	struct dev d;
	int r;

	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	if (absent(&d))
		r = -ENXIO;
	else if (op == OP_SUSPEND)
		r = tb_dm_suspend(ctx, d.name, f);
	else if (op == OP_RESUME)
		r = tb_dm_resume(ctx, d.name);
	else
		r = tb_dm_clear(ctx, d.name);
	if (r < 0) {
		ioctl_fail(o, ctx, names[op], &d, r);
		return false;
	}
	return true;
}

static bool suspend_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	return dev_op(ctx, o, arg, OP_SUSPEND);
}

static bool resume_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	return dev_op(ctx, o, arg, OP_RESUME);
}

static bool clear_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	return dev_op(ctx, o, arg, OP_CLEAR);
}

/* dmsetup's _error_device (remove --force, wipe_table): load one error target as long as the
 * device and resume it without flushing, so that I/O to a device still held open fails
 * instead of hanging. Each step prints its own failure, as libdm does. */
static bool error_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	struct tb_dm_target *t = NULL;
	char table[64];
	uint64_t size = 0;
	struct dev d;
	size_t n = 0;
	int r;

	if (resolve(o, ctx, arg, &d) < 0) {
		(void)resolve(o, ctx, arg,
			      &d); /* libdm names it once for the table, once for the load */
		return false;
	}
	r = absent(&d) ? -ENXIO : tb_dm_table(ctx, d.name, 0, &t, &n);
	if (r < 0)
		ioctl_fail(o, ctx, "table", &d, r);
	for (size_t i = 0; i < n; i++)
		size += t[i].len;
	tb_dm_targets_free(t, n);
	snprintf(table, sizeof(table), "0 %" PRIu64 " error", size);
	r = absent(&d) ? -ENXIO : tb_dm_load(ctx, d.name, table, o->readonly ? TB_DM_READONLY : 0);
	if (r < 0) {
		ioctl_fail(o, ctx, "reload", &d, r);
		return false;
	}
	/* resume --noflush --nolockfs: the kernel suspends with those flags, then swaps */
	r = tb_dm_suspend(ctx, d.name, TB_DM_NOFLUSH | TB_DM_SKIP_LOCKFS);
	if (r == 0)
		r = tb_dm_resume(ctx, d.name);
	if (r < 0) {
		ioctl_fail(o, ctx, "resume", &d, r);
		(void)tb_dm_clear(ctx, d.name);
		return false;
	}
	return true;
}

static bool remove_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	unsigned f = o->deferred ? TB_DM_DEFERRED : 0;
	struct dev d;
	int r;

	if (o->force)
		(void)error_dev(ctx, o, arg, many);
	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	if (!o->compat && o->retry)
		f |= TB_DM_RETRY;
	for (int attempt = 0;; attempt++) {
		r = absent(&d) ? -ENXIO : tb_dm_remove(ctx, d.name, f);
		if (r == 0)
			return true;
		ioctl_fail(o, ctx, "remove", &d, r);
		/* libdm's --retry: EBUSY (a transient opener, e.g. udev's blkid) retried, each
		 * failure printed */
		if (!o->compat || !o->retry || r != -EBUSY || attempt + 1 >= REMOVE_ATTEMPTS)
			return false;
		usleep(REMOVE_RETRY_USEC);
	}
}

static bool do_rename(struct tb_ctx *ctx, const struct dm_opts *o)
{
	const char *arg = o->nargs == 2 ? o->args[0] : NULL;
	struct dev d;
	int r;

	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	r = absent(&d) ? -ENXIO : tb_dm_rename(ctx, d.name, o->args[o->nargs - 1]);
	if (r < 0) {
		ioctl_fail(o, ctx, "rename", &d, r);
		return false;
	}
	return true;
}

static bool do_message(struct tb_ctx *ctx, const struct dm_opts *o)
{
	_cleanup_free_ char *reply = NULL;
	struct strbuf m = { 0 };
	const char *arg = NULL;
	char *end;
	int first = 0, r;
	unsigned long long sector;
	struct dev d;

	if (!o->uuid && !o->has_major)
		arg = o->args[first++];
	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	if (first >= o->nargs) {
		say(o, "Invalid sector.");
		return false;
	}
	errno = 0;
	sector = strtoull(o->args[first], &end, 10);
	if (errno || *end || end == o->args[first]) {
		say(o, "Invalid sector.");
		return false;
	}
	first++;
	if (first >= o->nargs)
		say(o, "No message supplied.");
	for (int i = first; i < o->nargs; i++) {
		if (i > first)
			strbuf_appendc(&m, ' ');
		strbuf_append(&m, o->args[i]);
	}
	if (!strbuf_ok(&m)) {
		strbuf_release(&m);
		return false;
	}
	r = absent(&d) ? -ENXIO : tb_dm_message(ctx, d.name, sector, strbuf_str(&m), &reply);
	strbuf_release(&m);
	if (r < 0) {
		ioctl_fail(o, ctx, "message", &d, r);
		return false;
	}
	if (reply && *reply) {
		fputs(reply, stdout);
		if (reply[strlen(reply) - 1] != '\n')
			putchar('\n');
	}
	return true;
}

static bool do_wait(struct tb_ctx *ctx, const struct dm_opts *o)
{
	const char *arg = NULL;
	unsigned long ev = 0;
	int i = 0, r;
	struct dev d;

	if (!o->uuid && !o->has_major) {
		if (!o->nargs) {
			say(o, "No device specified.");
			return false;
		}
		arg = o->args[i++];
	}
	if (i < o->nargs)
		ev = strtoul(o->args[o->nargs - 1], NULL, 10);
	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	r = absent(&d) ? -ENXIO : tb_dm_wait(ctx, d.name, (uint32_t)ev, NULL);
	if (r < 0) {
		ioctl_fail(o, ctx, "waitevent", &d, r);
		return false;
	}
	return true;
}

static bool mknodes_dev(struct tb_ctx *ctx, const struct dm_opts *o, const char *arg, bool many)
{
	struct dev d;

	if (resolve(o, ctx, arg, &d) < 0)
		return false;
	if (tb_dm_mknodes(ctx, d.name[0] ? d.name : NULL) < 0) {
		say(o, "%s", tb_ctx_errmsg(ctx));
		return false;
	}
	return true;
}

/* ---- udev: thinbox makes /dev/mapper nodes itself and never waits on udev ---- */

static bool parse_cookie(const struct dm_opts *o, const char *s, uint32_t *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !v || *end || v > UINT32_MAX) {
		say(o, "Incorrect cookie value.");
		return false;
	}
	*ret = (uint32_t)v;
	return true;
}

/* dmsetup udevflags: the DM_UDEV_* flags in the top 16 bits of a cookie (pure decoding). */
static bool do_udevflags(const struct dm_opts *o)
{
	static const char *const names[] = { "DISABLE_DM_RULES",   "DISABLE_SUBSYSTEM_RULES",
					     "DISABLE_DISK_RULES", "DISABLE_OTHER_RULES",
					     "LOW_PRIORITY",       "DISABLE_LIBRARY_FALLBACK",
					     "PRIMARY_SOURCE" };
	uint32_t cookie;
	uint16_t flags;

	if (!parse_cookie(o, o->args[0], &cookie))
		return false;
	flags = (uint16_t)(cookie >> 16);
	for (int i = 0; i < 16; i++)
		if (flags & (1U << i)) {
			if (i < 8 && i < (int)ARRAY_SIZE(names))
				printf("DM_UDEV_%s_FLAG='1'\n", names[i]);
			else if (i < 8)
				printf("DM_UDEV_FLAG%d='1'\n", i);
			else
				printf("DM_SUBSYSTEM_UDEV_FLAG%d='1'\n", i - 8);
		}
	return true;
}

/* udevcomplete_all: nothing to destroy, and it says so (dmsetup would ask first) */
static bool do_udevcomplete_all(const struct dm_opts *o)
{
	printf("udevcomplete_all: nothing to do: thinbox makes the /dev/mapper nodes itself and "
	       "creates no udev cookies (semaphores).\n");
	return true;
}

/* udevcookies: dmsetup's table of cookie semaphores, always empty */
static bool do_udevcookies(const struct dm_opts *o)
{
	printf("Cookie       Semid      Value      Last semop time           Last change time\n");
	return true;
}

/* udevcomplete COOKIE: what udev rules run; nothing waits on the cookie */
static bool do_udevcomplete(const struct dm_opts *o)
{
	uint32_t cookie;

	if (!parse_cookie(o, o->args[0], &cookie))
		return false;
	printf("DM_COOKIE_COMPLETED=0x%-10x\n", cookie);
	return true;
}

/* ---- command line ---- */

enum {
	OPT_TABLE = 256,
	OPT_NOTABLE,
	OPT_NOFLUSH,
	OPT_NOLOCKFS,
	OPT_DEFERRED,
	OPT_RETRY,
	OPT_INACTIVE,
	OPT_TREE,
	OPT_TARGET,
	OPT_NOHEADINGS,
	OPT_SEPARATOR,
	OPT_NAMEPREFIXES,
	OPT_UNQUOTED,
	OPT_TRACE,
	OPT_IGNORE,
	OPT_IGNORE_ARG,
	OPT_VERSION,
	OPT_UNSUPPORTED,
};

static const struct option long_opts[] = {
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "notable", no_argument, NULL, 'n' },
	{ "uuid", required_argument, NULL, 'u' },
	{ "readonly", no_argument, NULL, 'r' },
	{ "noflush", no_argument, NULL, OPT_NOFLUSH },
	{ "nolockfs", no_argument, NULL, OPT_NOLOCKFS },
	{ "deferred", no_argument, NULL, OPT_DEFERRED },
	{ "retry", no_argument, NULL, OPT_RETRY },
	{ "force", no_argument, NULL, 'f' },
	{ "inactive", no_argument, NULL, OPT_INACTIVE },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "columns", no_argument, NULL, 'c' },
	{ "noheadings", no_argument, NULL, OPT_NOHEADINGS },
	{ "options", required_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 'O' },
	{ "select", required_argument, NULL, 'S' },
	{ "separator", required_argument, NULL, OPT_SEPARATOR },
	{ "nameprefixes", no_argument, NULL, OPT_NAMEPREFIXES },
	{ "unquoted", no_argument, NULL, OPT_UNQUOTED },
	{ "major", required_argument, NULL, 'j' },
	{ "minor", required_argument, NULL, 'm' },
	{ "yes", no_argument, NULL, 'y' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "trace", no_argument, NULL, OPT_TRACE },
	/* accepted, no effect on thinbox: udev and libdm tuning */
	{ "noudevsync", no_argument, NULL, OPT_IGNORE },
	{ "noudevrules", no_argument, NULL, OPT_IGNORE },
	{ "verifyudev", no_argument, NULL, OPT_IGNORE },
	{ "noopencount", no_argument, NULL, OPT_IGNORE },
	{ "checks", no_argument, NULL, OPT_IGNORE },
	{ "addnodeonresume", no_argument, NULL, OPT_IGNORE },
	{ "addnodeoncreate", no_argument, NULL, OPT_IGNORE },
	{ "unbuffered", no_argument, NULL, OPT_IGNORE },
	{ "showkeys", no_argument, NULL, OPT_IGNORE },
	{ "udevcookie", required_argument, NULL, OPT_IGNORE_ARG },
	{ "manglename", required_argument, NULL, OPT_IGNORE_ARG },
	{ "readahead", required_argument, NULL, OPT_IGNORE_ARG },
	{ "rows", no_argument, NULL, OPT_UNSUPPORTED },
	{ "concise", no_argument, NULL, OPT_UNSUPPORTED },
	{ "exec", required_argument, NULL, OPT_UNSUPPORTED },
	{ "setuuid", no_argument, NULL, OPT_UNSUPPORTED },
	{ NULL, 0, NULL, 0 },
};

struct verb {
	const char *name;
	int min, max; /* arguments; max -1: any */
};

static const struct verb verbs[] = {
	{ "help", 0, 0 },
	{ "create", 0, 2 },
	{ "remove", 0, -1 },
	{ "suspend", 0, -1 },
	{ "resume", 0, -1 },
	{ "load", 0, 2 },
	{ "reload", 0, 2 },
	{ "clear", 0, -1 },
	{ "wipe_table", 0, -1 },
	{ "rename", 1, 2 },
	{ "message", 2, -1 },
	{ "ls", 0, 0 },
	{ "info", 0, -1 },
	{ "deps", 0, -1 },
	{ "status", 0, -1 },
	{ "table", 0, -1 },
	{ "wait", 0, 2 },
	{ "mknodes", 0, -1 },
	{ "udevcreatecookie", 0, 0 },
	{ "udevreleasecookie", 0, 1 },
	{ "udevflags", 1, 1 },
	{ "udevcomplete", 1, 1 },
	{ "udevcomplete_all", 0, 1 },
	{ "udevcookies", 0, 0 },
	{ "targets", 0, 0 },
	{ "version", 0, 0 },
	{ "splitname", 1, 2 },
};

static int usage_fail(const struct dm_opts *o)
{
	fputs(usage_text, stderr);
	return o->compat ? 1 : CLI_EINVAL;
}

static bool run_verb(struct tb_ctx *ctx, struct dm_opts *o, const char *v)
{
	if (streq(v, "help")) {
		fputs(usage_text, stderr);
		return true;
	}
	if (streq(v, "version"))
		return do_version(ctx, o);
	if (streq(v, "targets"))
		return do_targets(ctx, o);
	if (streq(v, "ls"))
		return do_ls(ctx, o);
	if (streq(v, "table"))
		return each_device(ctx, o, table_dev, true);
	if (streq(v, "status"))
		return each_device(ctx, o, status_dev, true);
	if (streq(v, "deps"))
		return each_device(ctx, o, deps_dev, true);
	if (streq(v, "create"))
		return do_create(ctx, o);
	if (streq(v, "load") || streq(v, "reload"))
		return do_load(ctx, o);
	if (streq(v, "clear"))
		return each_device(ctx, o, clear_dev, false);
	if (streq(v, "suspend"))
		return each_device(ctx, o, suspend_dev, false);
	if (streq(v, "resume"))
		return each_device(ctx, o, resume_dev, false);
	if (streq(v, "remove"))
		return each_device(ctx, o, remove_dev, false);
	if (streq(v, "wipe_table"))
		return each_device(ctx, o, error_dev, false);
	if (streq(v, "rename"))
		return do_rename(ctx, o);
	if (streq(v, "message"))
		return do_message(ctx, o);
	if (streq(v, "wait"))
		return do_wait(ctx, o);
	if (streq(v, "mknodes")) {
		if (o->nargs || o->uuid || o->has_major)
			return each_device(ctx, o, mknodes_dev, false);
		if (tb_dm_mknodes(ctx, NULL) < 0) {
			say(o, "%s", tb_ctx_errmsg(ctx));
			return false;
		}
		return true;
	}
	if (streq(v, "splitname"))
		return do_splitname(ctx, o);
	if (streq(v, "udevflags"))
		return do_udevflags(o);
	if (streq(v, "udevcomplete_all"))
		return do_udevcomplete_all(o);
	if (streq(v, "udevcookies"))
		return do_udevcookies(o);
	if (streq(v, "udevcomplete"))
		return do_udevcomplete(o);
	/* udevcreatecookie, udevreleasecookie: as dmsetup without udev (DM_DISABLE_UDEV=1, or no
	 * udev running): no cookie, nothing printed */
	return true;
}

static int parse_int(const char *s, int *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > INT_MAX)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

static int dm_main(struct tb_ctx *ctx, int argc, char **argv, bool compat)
{
	struct dm_opts o = { .compat = compat };
	const struct verb *vb = NULL;
	bool help = false, version = false, ok;
	int c;

	opterr = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "cCfhj:m:no:O:rS:u:vy", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_TABLE:
			o.table = optarg;
			break;
		case 'n':
			o.notable = true;
			break;
		case 'u':
			o.uuid = optarg;
			break;
		case 'r':
			o.readonly = true;
			break;
		case OPT_NOFLUSH:
			o.noflush = true;
			break;
		case OPT_NOLOCKFS:
			o.nolockfs = true;
			break;
		case OPT_DEFERRED:
			o.deferred = true;
			break;
		case OPT_RETRY:
			o.retry = true;
			break;
		case 'f':
			o.force = true;
			break;
		case OPT_INACTIVE:
			o.inactive = true;
			break;
		case OPT_TREE:
			o.tree = true;
			break;
		case OPT_TARGET:
			o.target = optarg;
			break;
		case 'c':
		case 'C':
			o.columns = true;
			break;
		case OPT_NOHEADINGS:
			o.noheadings = true;
			break;
		case 'o':
			o.fields = optarg;
			break;
		case 'O':
			o.sort = optarg;
			break;
		case 'S':
			o.select = optarg;
			break;
		case OPT_SEPARATOR:
			o.separator = optarg;
			break;
		case OPT_NAMEPREFIXES:
			o.nameprefixes = true;
			break;
		case OPT_UNQUOTED:
			o.unquoted = true;
			break;
		case 'y':
			o.yes = true;
			break;
		case 'v':
			break;
		case 'h':
			help = true;
			break;
		case OPT_VERSION:
			version = true;
			break;
		case OPT_TRACE:
			tb_ctx_set_trace(ctx, true);
			break;
		case OPT_IGNORE:
		case OPT_IGNORE_ARG:
			break;
		case 'j':
		case 'm':
			if (parse_int(optarg, c == 'j' ? &o.major : &o.minor) < 0) {
				say(&o, "Invalid %s number '%s'.", c == 'j' ? "major" : "minor",
				    optarg);
				return compat ? 1 : CLI_EINVAL;
			}
			if (c == 'j')
				o.has_major = true;
			else
				o.has_minor = true;
			break;
		case OPT_UNSUPPORTED:
			say(&o, "%s: option '%s' is not supported by thinbox.", argv[0],
			    argv[optind - 1]);
			return compat ? 1 : CLI_EINVAL;
		default:
			say(&o, "Couldn't process command line.");
			return compat ? 1 : CLI_EINVAL;
		}
	}
	if (o.select) {
		say(&o, "-S/--select is not supported by thinbox.");
		return compat ? 1 : CLI_EINVAL;
	}
	if (help) {
		fputs(usage_text, stderr);
		return CLI_OK;
	}
	if (version)
		return do_version(ctx, &o) ? CLI_OK : (compat ? 1 : CLI_FAILED);
	if (optind >= argc)
		return usage_fail(&o);
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (streq(verbs[i].name, argv[optind]))
			vb = &verbs[i];
	if (!vb) {
		say(&o, "Unknown command.");
		return usage_fail(&o);
	}
	o.args = argv + optind + 1;
	o.nargs = argc - optind - 1;
	if (o.nargs < vb->min || (vb->max >= 0 && o.nargs > vb->max)) {
		say(&o, "Incorrect number of arguments.");
		return usage_fail(&o);
	}
	if (o.has_major != o.has_minor && !streq(vb->name, "create")) {
		say(&o, "Please specify both major number and minor number.");
		return compat ? 1 : CLI_EINVAL;
	}
	if (streq(vb->name, "info")) {
		/* info prints its own "Command failed." ahead of the report rows */
		ok = do_info(ctx, &o);
		return ok ? CLI_OK : (compat ? 1 : CLI_FAILED);
	}
	ok = run_verb(ctx, &o, vb->name);
	if (ok)
		return CLI_OK;
	if (compat) {
		msg("Command failed.");
		return 1;
	}
	return CLI_FAILED;
}

static int cmd_dm(struct tb_ctx *ctx, int argc, char **argv)
{
	return dm_main(ctx, argc, argv, false);
}

static int cmd_dmsetup(struct tb_ctx *ctx, int argc, char **argv)
{
	return dm_main(ctx, argc, argv, true);
}

CLI_COMMAND(dm, "dm", cmd_dm, "device-mapper directly, dmsetup-style (thinbox dm --help)");
CLI_COMMAND(dmsetup, "dmsetup", cmd_dmsetup,
	    "dmsetup 1.02 compatible: syntax, output, error lines and exit codes");
