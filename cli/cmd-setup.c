/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thinbox setup docker|containerd [-f|-ff] [--dry-run] [--config FILE] [--systemd-dir DIR] DEVICE...
 *
 * Docker's direct-lvm recipe in one command, through the same core calls pvcreate, vgcreate,
 * lvcreate, lvconvert and lvchange make: VG "docker" on the devices, a pool "thinpool" of
 * 95%VG data and 1%VG metadata (chunk 512 KiB, no zeroing), the docker-thinpool profile
 * (threshold 80, percent 20), the autoextend monitor enabled (a systemd unit when systemd's
 * directory exists) and started; then the engine's configuration (Docker's daemon.json, or
 * containerd's devmapper snapshotter table) merged and printed. What already exists is
 * found and kept, so a second run changes nothing and says so. Devices are checked before
 * anything is written: one in use is refused; a signature needs -f, a PV of another VG (or
 * one whose VG is in doubt) -ff, as pvcreate. Exit 0, 3 (command line), 5 (refused/failed). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/engine-config.h"
#include "util/macros.h"

DEFINE_FREE_FUNC(struct cli_parsed, cli_parsed_free);

#define VG "docker"
#define POOL "thinpool"
#define META "thinpoolmeta"
#define PROFILE "docker-thinpool"
#define POOL_DM "docker-thinpool"
#define UNIT "thinbox-monitor.service"
#define PROFILE_TEXT                                                                               \
	"activation {\n\tthin_pool_autoextend_threshold=80\n\tthin_pool_autoextend_percent=20\n}\n"

enum { O_FORCE = 1, O_DRYRUN, O_CONFIG, O_SYSTEMDDIR, O_YES };

static const struct cli_option setup_opts[] = {
	{ O_FORCE, 'f', "force", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ O_YES, 'y', "yes", CLI_OPT_FLAG, 0 },
	{ O_DRYRUN, 0, "dryrun", CLI_OPT_FLAG, 0 },
	{ O_CONFIG, 0, "config", CLI_OPT_STR, 0 },
	{ O_SYSTEMDDIR, 0, "systemddir", CLI_OPT_STR, 0 },
};

struct setup {
	struct tb_ctx *ctx;
	const char *engine;
	const char *const *devs;
	size_t n;
	int force;
	bool dry;
	bool changed;
	const char *config;
	const char *unit_dir;
};

/* one step, printed as the lvm2 command it stands for */
static void step(const struct setup *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(const struct setup *s, const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs(s->dry ? "   (dry run: not done)\n" : "\n", stdout);
	fflush(stdout);
}

static int failed(struct setup *s, const char *what)
{
	cli_err("%s", tb_ctx_errmsg(s->ctx));
	cli_err("thinbox setup: %s failed; what was done before it stays (run setup again to "
		"continue).",
		what);
	return CLI_FAILED;
}

/* ---- what is there */

struct vg_find {
	bool found;
};
static int vg_cb(void *userdata, const struct tb_vg_row *row)
{
	struct vg_find *f = userdata;
	if (streq(row->name, VG))
		f->found = true;
	return 0;
}

struct pv_list {
	char names[64][PATH_MAX];
	size_t n;
};
static int pv_cb(void *userdata, const struct tb_pv_row *row)
{
	struct pv_list *l = userdata;
	if (row->vg && streq(row->vg, VG) && l->n < ARRAY_SIZE(l->names))
		snprintf(l->names[l->n++], PATH_MAX, "%s", row->name);
	return 0;
}

struct lv_state {
	bool pool, pool_is_pool, pool_active, meta, other;
	char pool_profile[128];
	char other_name[128];
};
static int lv_cb(void *userdata, const struct tb_lv_row *row)
{
	struct lv_state *st = userdata;
	if (!streq(row->vg, VG))
		return 0;
	if (streq(row->name, POOL)) {
		st->pool = true;
		st->pool_is_pool = row->is_pool;
		st->pool_active = row->active;
		snprintf(st->pool_profile, sizeof(st->pool_profile), "%s",
			 row->profile ? row->profile : "");
	} else if (streq(row->name, META) && !row->is_pool && !row->is_thin) {
		st->meta = true;
	} else if (!st->other) {
		st->other = true;
		snprintf(st->other_name, sizeof(st->other_name), "%s", row->name);
	}
	return 0;
}

static bool same_device(const char *a, const char *b)
{
	struct stat sa, sb;

	if (streq(a, b))
		return true;
	if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return false;
	if (S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode))
		return sa.st_rdev == sb.st_rdev;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* VG docker exists: it must be on exactly the given devices. */
static int check_existing_vg(struct setup *s)
{
	struct pv_list *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return CLI_FAILED;
	r = tb_report_pvs(s->ctx, NULL, 0, pv_cb, l);
	if (r < 0) {
		free(l);
		return failed(s, "reading the physical volumes");
	}
	r = CLI_OK;
	for (size_t i = 0; i < s->n && r == CLI_OK; i++) {
		bool in = false;
		for (size_t j = 0; j < l->n; j++)
			in = in || same_device(s->devs[i], l->names[j]);
		if (!in) {
			cli_err("Volume group \"" VG "\" already exists, and %s is not one of its "
				"physical volumes; thinbox setup does not change an existing VG "
				"(vgextend it, or give its devices).",
				s->devs[i]);
			r = CLI_FAILED;
		}
	}
	for (size_t j = 0; j < l->n && r == CLI_OK; j++) {
		bool given = false;
		for (size_t i = 0; i < s->n; i++)
			given = given || same_device(s->devs[i], l->names[j]);
		if (!given) {
			cli_err("Volume group \"" VG "\" also uses %s, which was not given; thinbox "
				"setup changes nothing.",
				l->names[j]);
			r = CLI_FAILED;
		}
	}
	free(l);
	return r;
}

/* VG docker does not exist: every device must be free to use. Sets *need_pvcreate[i]. */
static int check_new_devices(struct setup *s, bool *need_pvcreate)
{
	for (size_t i = 0; i < s->n; i++) {
		struct tb_device_state st;
		const char *d = s->devs[i];

		for (size_t j = 0; j < i; j++)
			if (same_device(d, s->devs[j])) {
				cli_err("Duplicate device name found on input: %s", d);
				return CLI_EINVAL;
			}
		if (tb_device_state(s->ctx, d, &st) < 0)
			return failed(s, "checking the devices");
		if (st.size < 2 * 1024 * 1024) {
			cli_err("Cannot use %s: device is too small (pv_min_size is 2 MiB).", d);
			return CLI_FAILED;
		}
		if (st.busy) {
			cli_err("%s is in use (a mounted filesystem, a device-mapper table, md or "
				"swap holds it); thinbox setup does not touch it.",
				d);
			return CLI_FAILED;
		}
		if (st.vg[0] && s->force < 2) {
			cli_err("%s is a physical volume of volume group \"%s\"; thinbox setup "
				"takes it only with -ff (that VG then loses it).",
				d, st.vg);
			return CLI_FAILED;
		}
		if (st.pv_in_doubt && s->force < 2) {
			cli_err("%s is a physical volume marked as used by a volume group whose "
				"metadata is not found; thinbox setup takes it only with -ff.",
				d);
			return CLI_FAILED;
		}
		if (st.signature[0] && !s->force) {
			cli_err("%s has a %s signature at offset %" PRIu64 "; thinbox setup wipes it "
				"only with -f.",
				d, st.signature, st.signature_offset);
			return CLI_FAILED;
		}
		/* an orphan PV is used as it is (vgcreate takes it) */
		need_pvcreate[i] = !st.pv || st.vg[0] || st.pv_in_doubt;
	}
	return CLI_OK;
}

/* ---- files */

static int read_file(const char *path, char **ret, size_t *ret_len)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, k;

	*ret = NULL;
	*ret_len = 0;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap += 65536;
		}
		k = fread(buf + len, 1, cap - len - 1, f);
		len += k;
		if (k == 0)
			break;
		if (len > 16 * 1024 * 1024) {
			free(buf);
			return -EFBIG;
		}
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 1;
}

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Write @text to @path through a temporary file and a rename; keeps an existing file's mode. */
static int write_file(const char *path, const char *text, mode_t mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	struct stat st;
	size_t len = strlen(text), off = 0;
	int fd, r;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir) ||
	    snprintf(tmp, sizeof(tmp), "%s.thinbox-tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if ((r = mkdir_p(dir)) < 0)
			return r;
	}
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			r = -errno;
			close(fd);
			unlink(tmp);
			return r;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		r = -errno;
		unlink(tmp);
		return r;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
		return r;
	}
	return 0;
}

/* ---- the steps */

static int do_pv_vg(struct setup *s, const bool *need_pvcreate)
{
	struct tb_pvcreate_opts po = { .force = s->force, .yes = s->force > 0, .metadatacopies = -1 };
	struct tb_vgcreate_opts vo = { .pv = po };
	const char *todo[64];
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (need_pvcreate[i])
			todo[n++] = s->devs[i];
		else
			printf("# %s is already a physical volume (in no VG): used as it is\n",
			       s->devs[i]);
	if (n) {
		step(s, "pvcreate%s %s%s",
		     s->force >= 2 ? " -ff"
		     : s->force    ? " -f -y"
				   : "",
		     todo[0], n > 1 ? " ..." : "");
		if (!s->dry && tb_pvcreate(s->ctx, todo, n, &po) < 0)
			return failed(s, "pvcreate");
	}
	step(s, "vgcreate " VG " %s%s", s->devs[0], s->n > 1 ? " ..." : "");
	if (!s->dry && tb_vgcreate(s->ctx, VG, s->devs, s->n, &vo) < 0)
		return failed(s, "vgcreate");
	s->changed = true;
	return CLI_OK;
}

static int do_lv(struct setup *s, const char *name, uint64_t pct)
{
	struct tb_lvcreate_opts o = {
		.vg = VG,
		.name = name,
		.size = { TB_SIZE_PCT_VG, pct, 0 },
		.zero = -1,
		.wipesignatures = 1,
		.activate = -1,
		.discards = -1,
		.errorwhenfull = -1,
	};

	step(s, "lvcreate --wipesignatures y -n %s " VG " -l %" PRIu64 "%%VG", name, pct);
	if (!s->dry && tb_lvcreate(s->ctx, &o) < 0)
		return failed(s, "lvcreate");
	s->changed = true;
	return CLI_OK;
}

static int do_convert(struct setup *s)
{
	struct tb_lvconvert_opts o = {
		.vg = VG,
		.thinpool = POOL,
		.poolmetadata = META,
		.chunk_size = 1024, /* 512 KiB */
		.zero = 0,
		.discards = -1,
		.yes = true,
	};

	step(s, "lvconvert -y --zero n -c 512K --thinpool " VG "/" POOL " --poolmetadata " VG
		"/" META);
	if (!s->dry && tb_lvconvert_thinpool(s->ctx, &o) < 0)
		return failed(s, "lvconvert");
	s->changed = true;
	return CLI_OK;
}

static int do_profile(struct setup *s)
{
	char path[PATH_MAX];
	char *old = NULL;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/profile/" PROFILE ".profile",
		 tb_ctx_get_sysconf_dir(s->ctx));
	r = read_file(path, &old, &len);
	free(old);
	if (r > 0) {
		printf("# %s exists: kept as it is\n", path);
		return CLI_OK;
	}
	step(s, "write %s (thin_pool_autoextend_threshold=80, thin_pool_autoextend_percent=20)",
	     path);
	if (!s->dry && (r = write_file(path, PROFILE_TEXT, 0644)) < 0) {
		cli_err("Cannot write %s: %s", path, strerror(-r));
		return CLI_FAILED;
	}
	s->changed = true;
	return CLI_OK;
}

static int do_lvchange(struct setup *s, const struct lv_state *st)
{
	struct tb_lvchange_opts o = { .activate = -1,
				      .errorwhenfull = -1,
				      .discards = -1,
				      .monitor = -1 };

	if (!streq(st->pool_profile, PROFILE)) {
		o.metadataprofile = PROFILE;
		step(s, "lvchange --metadataprofile " PROFILE " " VG "/" POOL);
		if (!s->dry && tb_lvchange(s->ctx, VG, POOL, &o) < 0)
			return failed(s, "lvchange --metadataprofile");
		s->changed = true;
		o.metadataprofile = NULL;
	}
	if (st->pool && !st->pool_active) {
		o.activate = 1;
		step(s, "lvchange -ay " VG "/" POOL);
		if (!s->dry && tb_lvchange(s->ctx, VG, POOL, &o) < 0)
			return failed(s, "lvchange -ay");
		s->changed = true;
	}
	return CLI_OK;
}

/* The monitor as a systemd service (when systemd's directory exists), and running now. */
static int do_monitor(struct setup *s)
{
	char exe[PATH_MAX], unit[PATH_MAX + 64], want[PATH_MAX + 64], link[2 * PATH_MAX + 128];
	char text[2 * PATH_MAX + 1024];
	char *old = NULL;
	size_t len;
	ssize_t k;
	struct stat st;
	int r;

	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0)
		snprintf(exe, sizeof(exe), "/usr/local/sbin/thinbox");
	else
		exe[k] = '\0';
	if (stat(s->unit_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(unit, sizeof(unit), "%s/" UNIT, s->unit_dir);
		snprintf(text, sizeof(text),
			 "# Written by thinbox setup: thin pool autoextend (docs/monitor.md)\n"
			 "[Unit]\n"
			 "Description=thinbox thin pool autoextend monitor\n"
			 "After=local-fs.target\n"
			 "Before=docker.service containerd.service\n"
			 "\n"
			 "[Service]\n"
			 "Type=simple\n"
			 "ExecStart=%s monitor\n"
			 "ExecReload=/bin/kill -HUP $MAINPID\n"
			 "Restart=on-failure\n"
			 "# 4: another monitor already holds the pidfile\n"
			 "RestartPreventExitStatus=4\n"
			 "\n"
			 "[Install]\n"
			 "WantedBy=multi-user.target\n",
			 exe);
		r = read_file(unit, &old, &len);
		if (r > 0 && streq(old, text)) {
			printf("# %s exists: kept as it is\n", unit);
		} else {
			step(s, "write %s (ExecStart=%s monitor)", unit, exe);
			if (!s->dry && (r = write_file(unit, text, 0644)) < 0) {
				free(old);
				cli_err("Cannot write %s: %s", unit, strerror(-r));
				return CLI_FAILED;
			}
			s->changed = true;
		}
		free(old);
		/* systemctl enable: the link in multi-user.target.wants */
		snprintf(want, sizeof(want), "%s/multi-user.target.wants", s->unit_dir);
		snprintf(link, sizeof(link), "%s/" UNIT, want);
		k = readlink(link, exe, sizeof(exe) - 1);
		if (k > 0)
			exe[k] = '\0';
		if (k <= 0 || !streq(exe, unit)) {
			step(s, "systemctl enable " UNIT " (link %s)", link);
			if (!s->dry) {
				unlink(link);
				if ((r = mkdir_p(want)) < 0 || symlink(unit, link) < 0) {
					cli_err("Cannot enable %s: %s", UNIT,
						strerror(r < 0 ? -r : errno));
					return CLI_FAILED;
				}
			}
			s->changed = true;
		}
	} else {
		printf("# %s does not exist: no systemd unit written; run 'thinbox monitor' "
		       "from your init system\n",
		       s->unit_dir);
	}
	if (s->dry) {
		step(s, "thinbox monitor --daemon (unless one runs)");
		return CLI_OK;
	}
	r = tb_monitor_start(s->ctx);
	if (r == -ECANCELED)
		printf("# monitor not started: monitoring is off (THINBOX_NO_MONITOR_START=1 or "
		       "activation/monitoring=0)\n");
	else if (r < 0)
		cli_err("WARNING: %s", tb_ctx_errmsg(s->ctx));
	else if (r == 0)
		printf("# thinbox monitor already runs\n");
	else
		printf("# thinbox monitor --daemon: started\n");
	return CLI_OK;
}

static int do_engine(struct setup *s)
{
	bool docker = streq(s->engine, "docker");
	_cleanup_free_ char *old = NULL, *text = NULL, *err = NULL;
	size_t len;
	bool changed = false;
	int r;

	r = read_file(s->config, &old, &len);
	if (r < 0) {
		cli_err("Cannot read %s: %s", s->config, strerror(-r));
		return CLI_FAILED;
	}
	if (docker) {
		const char *opts[4] = { "dm.thinpooldev=/dev/mapper/" POOL_DM,
					"dm.use_deferred_removal=true",
					"dm.use_deferred_deletion=true",
					"dm.override_udev_sync_check=true" };
		/* without udev running libdevmapper has no udev sync, and Docker's devicemapper
		 * driver refuses to start unless told (it makes the nodes itself then) */
		bool udev = access("/run/udev/control", F_OK) == 0;
		r = cli_engine_docker_merge(old, len, opts, udev ? 3 : 4, s->force > 0, &text,
					    &changed, &err);
		if (r == 0 && !udev && changed)
			printf("# udev is not running: dm.override_udev_sync_check=true added (Docker "
			       "refuses devicemapper without udev sync otherwise)\n");
	} else {
		r = cli_engine_containerd_merge(old, len, POOL_DM,
						"/var/lib/containerd/io.containerd.snapshotter.v1.devmapper",
						"10GB", s->force > 0, &text, &changed, &err);
	}
	if (r < 0) {
		cli_err("%s: %s", s->config, err ? err : strerror(-r));
		cli_err("thinbox setup: the pool is ready, the %s configuration was not changed.",
			s->engine);
		return CLI_FAILED;
	}
	if (changed) {
		step(s, "write %s (%s)", s->config,
		     docker ? "storage-driver devicemapper, storage-opts"
			    : "[plugins.\"io.containerd.snapshotter.v1.devmapper\"]");
		if (!s->dry && (r = write_file(s->config, text, 0644)) < 0) {
			cli_err("Cannot write %s: %s", s->config, strerror(-r));
			return CLI_FAILED;
		}
		s->changed = true;
	} else {
		printf("# %s already configures the pool: kept as it is\n", s->config);
	}
	printf("# %s%s:\n%s", s->config, s->dry && changed ? " would be" : "", text);
	if (text[0] && text[strlen(text) - 1] != '\n')
		putchar('\n');
	return CLI_OK;
}

static int cmd_setup(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct setup s = { .ctx = ctx };
	struct vg_find vf = { false };
	struct lv_state st = { 0 };
	bool need_pvcreate[64] = { false };
	const char *vgs[1] = { VG };
	int r;

	r = cli_options_parse("setup", setup_opts, ARRAY_SIZE(setup_opts), argc, argv, stderr, &p);
	if (r)
		return r;
	if (p->n_pos < 2 || (!streq(p->pos[0], "docker") && !streq(p->pos[0], "containerd"))) {
		cli_err("usage: thinbox setup docker|containerd [-f|-ff] [--dry-run] [--config FILE] "
			"[--systemd-dir DIR] DEVICE...");
		return CLI_EINVAL;
	}
	if (p->n_pos - 1 > (int)ARRAY_SIZE(need_pvcreate)) {
		cli_err("thinbox setup takes at most %zu devices.", ARRAY_SIZE(need_pvcreate));
		return CLI_EINVAL;
	}
	s.engine = p->pos[0];
	s.devs = (const char *const *)p->pos + 1;
	s.n = (size_t)p->n_pos - 1;
	s.force = (int)cli_opt(p, O_FORCE)->count;
	s.dry = cli_opt_isset(p, O_DRYRUN);
	s.config = cli_opt_str(p, O_CONFIG,
			       streq(s.engine, "docker") ? "/etc/docker/daemon.json"
							 : "/etc/containerd/config.toml");
	s.unit_dir = cli_opt_str(p, O_SYSTEMDDIR, "/etc/systemd/system");

	if (tb_report_vgs(ctx, NULL, 0, vg_cb, &vf) < 0)
		return failed(&s, "reading the volume groups");
	if (vf.found) {
		if ((r = check_existing_vg(&s)) != CLI_OK)
			return r;
		if (tb_report_lvs(ctx, vgs, 1, false, lv_cb, &st) < 0)
			return failed(&s, "reading the logical volumes");
		if ((st.pool && !st.pool_is_pool && !st.meta) || (st.meta && st.pool_is_pool)) {
			cli_err("Volume group \"" VG "\" holds LVs thinbox setup did not make "
				"(" POOL " %s, " META " %s); it changes nothing.",
				st.pool ? (st.pool_is_pool ? "a pool" : "not a pool") : "missing",
				st.meta ? "present" : "missing");
			return CLI_FAILED;
		}
		printf("# volume group \"" VG "\" exists on the given devices: %s\n",
		       st.pool_is_pool ? "pool " VG "/" POOL " found" : "continuing the recipe");
	} else {
		if ((r = check_new_devices(&s, need_pvcreate)) != CLI_OK)
			return r;
		if ((r = do_pv_vg(&s, need_pvcreate)) != CLI_OK)
			return r;
	}
	if (!st.pool_is_pool) {
		if (!st.pool && (r = do_lv(&s, POOL, 95)) != CLI_OK)
			return r;
		if (!st.meta && (r = do_lv(&s, META, 1)) != CLI_OK)
			return r;
		if ((r = do_convert(&s)) != CLI_OK)
			return r;
		st.pool = st.pool_is_pool = st.pool_active = true;
	}
	if ((r = do_profile(&s)) != CLI_OK || (r = do_lvchange(&s, &st)) != CLI_OK ||
	    (r = do_monitor(&s)) != CLI_OK || (r = do_engine(&s)) != CLI_OK)
		return r;
	if (s.dry)
		printf("thinbox setup: dry run, nothing changed.\n");
	else if (!s.changed)
		printf("thinbox setup: " VG "/" POOL " (/dev/mapper/" POOL_DM ") is already set up "
		       "for %s; nothing changed.\n",
		       s.engine);
	else
		printf("thinbox setup: /dev/mapper/" POOL_DM " is ready for %s; restart %s to use "
		       "it.\n",
		       s.engine, s.engine);
	return CLI_OK;
}
CLI_COMMAND(setup, "setup", cmd_setup,
	    "docker|containerd DEVICE...: the direct-lvm recipe and the engine's config");
