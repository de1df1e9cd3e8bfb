/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thinbox monitor --once [--pidfile F] [-v] [VG[/POOL]...]
 * thinbox monitor [--daemon] [--pidfile F] [--interval S] [--retry-max S] [--rescan S] [--no-stage] [-v]
 *                 [VG[/POOL]...]
 * The autoextend daemon (docs/monitor.md). Foreground by default, for supervisors; logs to
 * stderr and syslog. Exit: 0 after SIGTERM/SIGINT, 4 when another monitor holds the pidfile,
 * 3 for a bad command line, 5 on failure. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "util/macros.h"

#define EXIT_RUNNING 4

DEFINE_FREE_FUNC(struct cli_parsed, cli_parsed_free);

enum {
	O_DAEMON = 1,
	O_PIDFILE,
	O_INTERVAL,
	O_RETRYMAX,
	O_RESCAN,
	O_VERBOSE,
	O_FOREGROUND,
	O_NOSTAGE,
	O_ONCE
};

static const struct cli_option monitor_opts[] = {
	{ O_DAEMON, 0, "daemon", CLI_OPT_FLAG, 0 },
	{ O_FOREGROUND, 'f', "foreground", CLI_OPT_FLAG, 0 },
	{ O_PIDFILE, 'p', "pidfile", CLI_OPT_STR, 0 },
	{ O_INTERVAL, 'i', "interval", CLI_OPT_STR, 0 },
	{ O_RETRYMAX, 0, "retrymax", CLI_OPT_STR, 0 },
	{ O_RESCAN, 0, "rescan", CLI_OPT_STR, 0 },
	{ O_NOSTAGE, 0, "nostage", CLI_OPT_FLAG, 0 },
	{ O_ONCE, 0, "once", CLI_OPT_FLAG, 0 },
	{ O_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
};

static void monitor_log(void *userdata, int priority, const char *file, int line, const char *fn,
			const char *format, va_list args)
{
	char msg[2048];
	struct timespec ts;
	struct tm tm;

	vsnprintf(msg, sizeof(msg), format, args);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld thinbox-monitor[%d]: %s\n", tm.tm_hour, tm.tm_min,
		tm.tm_sec, ts.tv_nsec / 1000000, (int)getpid(), msg[0] == ' ' ? msg + 2 : msg);
	fflush(stderr);
	syslog(priority, "%s", msg[0] == ' ' ? msg + 2 : msg);
}

/* "2", "0.5", "250ms" -> milliseconds */
static int parse_ms(const char *opt, const char *s, unsigned *ret)
{
	char *end;
	double v;

	if (!s)
		return 0;
	errno = 0;
	v = strtod(s, &end);
	if (end != s && streq(end, "ms"))
		v /= 1000.0;
	else if (end == s || (*end && !streq(end, "s")))
		v = -1;
	if (errno || !(v > 0) || v > 86400) {
		cli_err("Invalid argument for --%s: %s (seconds, e.g. 2 or 0.5 or 250ms)", opt, s);
		return -EINVAL;
	}
	*ret = (unsigned)(v * 1000.0 + 0.5);
	if (!*ret)
		*ret = 1;
	return 0;
}

struct ready_pipe {
	int fd;
};

static void ready_cb(void *userdata)
{
	struct ready_pipe *rp = userdata;
	if (rp->fd >= 0) {
		(void)!write(rp->fd, "r", 1);
		close(rp->fd);
		rp->fd = -1;
	}
}

/* Take the pidfile: a write lock held while we run. Returns fd, -EEXIST if another has it. */
static int pidfile_take(const char *path)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char buf[32];
	int fd, n;
	char *dir = strdup(path), *slash;

	if (dir && (slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	free(dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		int e = errno;
		close(fd);
		return e == EAGAIN || e == EACCES ? -EEXIST : -e;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static int cmd_monitor(struct tb_ctx *ctx, int argc, char **argv)
{
	_cleanup_(cli_parsed_freep) struct cli_parsed *p = NULL;
	struct tb_monitor_opts o = { 0 };
	struct ready_pipe rp = { -1 };
	char defpid[512];
	const char *pidfile;
	bool daemonize;
	int r, pfd = -1;

	tb_ctx_set_exit_frees(ctx, false); /* it runs on, reading the VGs again and again */
	r = cli_options_parse("monitor", monitor_opts, ARRAY_SIZE(monitor_opts), argc, argv, stderr,
			      &p);
	if (r)
		return r;
	if (parse_ms("interval", cli_opt_str(p, O_INTERVAL, NULL), &o.interval_ms) < 0 ||
	    parse_ms("retrymax", cli_opt_str(p, O_RETRYMAX, NULL), &o.retry_max_ms) < 0 ||
	    parse_ms("rescan", cli_opt_str(p, O_RESCAN, NULL), &o.rescan_ms) < 0)
		return CLI_EINVAL;
	for (int i = 0; i < p->n_pos; i++) {
		const char *t = p->pos[i], *slash = strchr(t, '/');
		if (!*t || t[0] == '/' || (slash && (!slash[1] || strchr(slash + 1, '/')))) {
			cli_err("Please give pools as VG or VG/POOL: %s", t);
			return CLI_EINVAL;
		}
	}
	o.no_stage = cli_opt_isset(p, O_NOSTAGE);
	o.once = cli_opt_isset(p, O_ONCE);
	if (o.once && cli_opt_isset(p, O_DAEMON)) {
		cli_err("--once runs one pass in the foreground; it does not go with --daemon.");
		return CLI_EINVAL;
	}
	o.targets = (const char *const *)p->pos;
	o.n_targets = (size_t)p->n_pos;
	daemonize = cli_opt_isset(p, O_DAEMON) && !cli_opt_isset(p, O_FOREGROUND);
	tb_monitor_default_pidfile(ctx, defpid, sizeof(defpid));
	/* the default instance (every pool) owns the default pidfile */
	pidfile = cli_opt_str(p, O_PIDFILE, o.n_targets ? NULL : defpid);
	/* one pass does not own the default instance: it runs beside a daemon (both extend
	 * under V_<vg>) */
	if (o.once && !cli_opt_isset(p, O_PIDFILE))
		pidfile = NULL;

	tb_ctx_set_log_fn(ctx, monitor_log, NULL);
	tb_ctx_set_log_priority(ctx, cli_opt(p, O_VERBOSE)->count ? LOG_DEBUG : LOG_INFO);
	openlog("thinbox-monitor", LOG_PID, LOG_DAEMON);

	if (daemonize) {
		int pp[2];
		pid_t pid;
		char c = 0;

		if (pipe2(pp, O_CLOEXEC) < 0) {
			cli_err("Cannot start the daemon: %s", strerror(errno));
			return CLI_FAILED;
		}
		pid = fork();
		if (pid < 0) {
			cli_err("Cannot start the daemon: %s", strerror(errno));
			return CLI_FAILED;
		}
		if (pid > 0) {
			close(pp[1]);
			while (read(pp[0], &c, 1) < 0 && errno == EINTR)
				;
			close(pp[0]);
			return c == 'r' ? CLI_OK : c == 'a' ? EXIT_RUNNING : CLI_FAILED;
		}
		close(pp[0]);
		setsid();
		pid = fork();
		if (pid < 0)
			_exit(CLI_FAILED);
		if (pid > 0)
			_exit(0);
		rp.fd = pp[1];
		if (chdir("/") < 0)
			_exit(CLI_FAILED);
		umask(022);
		{
			int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (nul >= 0) {
				dup2(nul, 0);
				dup2(nul, 1);
				close(nul);
			}
		}
	}
	if (pidfile) {
		pfd = pidfile_take(pidfile);
		if (pfd == -EEXIST) {
			int pid = tb_monitor_daemon_pid(ctx, pidfile);
			cli_err("A thinbox monitor already runs (pid %d, %s).", pid, pidfile);
			if (rp.fd >= 0)
				(void)!write(rp.fd, "a", 1);
			return EXIT_RUNNING;
		}
		if (pfd < 0) {
			cli_err("Cannot write the pidfile %s: %s", pidfile, strerror(-pfd));
			return CLI_FAILED;
		}
	}
	o.ready = ready_cb;
	o.userdata = &rp;
	r = tb_monitor_run(ctx, &o);
	if (rp.fd >= 0)
		close(rp.fd);
	if (pfd >= 0) {
		unlink(pidfile);
		close(pfd);
	}
	closelog();
	if (r < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(monitor, "monitor", cmd_monitor, "watch thin pools and extend them (autoextend)");
