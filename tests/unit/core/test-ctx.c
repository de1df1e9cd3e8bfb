/* Unit tests: core/store/ctx.c configuration (environment defaults, setters, getters), errmsg
 * cleared at each public call, the monitor start hook, and how broken pools are named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx-internal.h"
#include "core/cmd/cmd.h"
#include "core/policy/policy.h"
#include "core/monitor/monitor-state.h"
#include "kernel-iface/dmk.h"

static const char *const ENV[] = { "LVM_SYSTEM_DIR",          "THINBOX_RUN_DIR",
				   "THINBOX_LOCK_DIR",        "THINBOX_DEV_DIR",
				   "THINBOX_DEVICES",         "THINBOX_MONITOR_BIN",
				   "THINBOX_NO_MONITOR_START" };

static int clear_env(void **state)
{
	for (size_t i = 0; i < sizeof(ENV) / sizeof(ENV[0]); i++)
		unsetenv(ENV[i]);
	return 0;
}

static void test_defaults_builtin(void **state)
{
	struct tb_ctx *ctx = NULL;

	assert_int_equal(tb_ctx_new(1, &ctx), -EINVAL);
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	assert_string_equal(tb_ctx_get_sysconf_dir(ctx), "/etc/lvm");
	assert_string_equal(tb_ctx_get_run_dir(ctx), "/run/thinbox");
	assert_string_equal(tb_ctx_get_lock_dir(ctx), "/run/lock/lvm");
	assert_string_equal(ctx->dev_dir, "/dev");
	assert_int_equal(ctx->n_devices, 0);
	assert_non_null(ctx->monitor_path);
	assert_true(ctx->monitor_path[0] == '/'); /* the installed thinbox, never /proc/self/exe */
	assert_null(strstr(ctx->monitor_path, "/proc/self"));
	assert_ptr_equal(tb_ctx_ref(ctx), ctx);
	assert_null(tb_ctx_unref(ctx));
	assert_null(tb_ctx_unref(ctx));
	assert_null(tb_ctx_unref(NULL));
}

static void test_environment_sets_defaults_only(void **state)
{
	struct tb_ctx *ctx = NULL;
	const char *const devs[] = { "/dev/x", "/dev/y" };

	setenv("LVM_SYSTEM_DIR", "/tmp/etc-lvm", 1);
	setenv("THINBOX_RUN_DIR", "/tmp/run", 1);
	setenv("THINBOX_LOCK_DIR", "/tmp/lock", 1);
	setenv("THINBOX_DEV_DIR", "/tmp/dev", 1);
	setenv("THINBOX_DEVICES", "/dev/a:/dev/b::/dev/c", 1);
	setenv("THINBOX_MONITOR_BIN", "/opt/thinbox", 1);
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	assert_string_equal(tb_ctx_get_sysconf_dir(ctx), "/tmp/etc-lvm");
	assert_string_equal(tb_sysconf_dir(ctx), "/tmp/etc-lvm");
	assert_string_equal(tb_ctx_get_run_dir(ctx), "/tmp/run");
	assert_string_equal(tb_run_dir(ctx), "/tmp/run");
	assert_string_equal(tb_ctx_get_lock_dir(ctx), "/tmp/lock");
	assert_string_equal(ctx->dev_dir, "/tmp/dev");
	assert_int_equal(ctx->n_devices, 3);
	assert_string_equal(ctx->devices[2], "/dev/c");
	assert_string_equal(ctx->monitor_path, "/opt/thinbox");
	/* the environment changing later does not change a ctx */
	setenv("LVM_SYSTEM_DIR", "/elsewhere", 1);
	assert_string_equal(tb_ctx_get_sysconf_dir(ctx), "/tmp/etc-lvm");
	/* setters win; NULL restores the built-in default, not the environment */
	assert_int_equal(tb_ctx_set_sysconf_dir(ctx, "/srv/lvm"), 0);
	assert_string_equal(tb_ctx_get_sysconf_dir(ctx), "/srv/lvm");
	assert_int_equal(tb_ctx_set_sysconf_dir(ctx, NULL), 0);
	assert_string_equal(tb_ctx_get_sysconf_dir(ctx), "/etc/lvm");
	assert_int_equal(tb_ctx_set_run_dir(ctx, "/srv/run"), 0);
	assert_string_equal(tb_ctx_get_run_dir(ctx), "/srv/run");
	assert_int_equal(tb_ctx_set_lock_dir(ctx, "/srv/lock"), 0);
	assert_string_equal(tb_ctx_get_lock_dir(ctx), "/srv/lock");
	assert_int_equal(tb_ctx_set_dev_dir(ctx, NULL), 0);
	assert_string_equal(ctx->dev_dir, "/dev");
	assert_int_equal(tb_ctx_set_devices(ctx, devs, 2), 0);
	assert_int_equal(ctx->n_devices, 2);
	assert_string_equal(ctx->devices[1], "/dev/y");
	assert_ptr_not_equal(ctx->devices[1], devs[1]); /* copied */
	assert_int_equal(tb_ctx_set_devices(ctx, (const char *const[]){ NULL }, 1), -EINVAL);
	assert_int_equal(ctx->n_devices, 2); /* a refused call changes nothing */
	assert_int_equal(tb_ctx_set_devices(ctx, NULL, 0), 0);
	assert_int_equal(ctx->n_devices, 0);
	assert_int_equal(tb_ctx_set_monitor_path(ctx, "/usr/sbin/thinbox"), 0);
	assert_string_equal(ctx->monitor_path, "/usr/sbin/thinbox");
	/* the pidfile follows the ctx's run dir */
	char pidfile[256];
	assert_int_equal(tb_monitor_default_pidfile(ctx, pidfile, sizeof(pidfile)), 0);
	assert_string_equal(pidfile, "/srv/run/monitor.pid");
	tb_ctx_unref(ctx);
}

static void test_errmsg_cleared_per_call(void **state)
{
	struct tb_ctx *ctx = NULL;
	struct tb_dm_info info;

	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	assert_string_equal(tb_ctx_errmsg(ctx), "unknown error");
	tb_ctx_set_no_dm(ctx, true);
	assert_int_equal(tb_dm_info(ctx, "x", &info), -ENODEV);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "Device-mapper is disabled"));
	/* a later public call that fails without a message of its own: no stale message */
	assert_int_equal(tb_ctx_set_devices(ctx, (const char *const[]){ NULL }, 1), -EINVAL);
	assert_string_equal(tb_ctx_errmsg(ctx), "unknown error");
	assert_int_equal(tb_dm_info(ctx, "x", &info), -ENODEV);
	assert_int_equal(tb_ctx_set_run_dir(ctx, "/tmp"), 0);
	assert_string_equal(tb_ctx_errmsg(ctx), "unknown error");
	tb_ctx_unref(ctx);
}

struct hook {
	int calls, ret;
	struct tb_ctx *seen;
};

static int start_hook(void *userdata, struct tb_ctx *ctx)
{
	struct hook *h = userdata;
	h->calls++;
	h->seen = ctx;
	return h->ret;
}

static void test_monitor_start_hook(void **state)
{
	char dir[] = "/tmp/tb-ctx-XXXXXX";
	struct tb_ctx *ctx = NULL;
	struct hook h = { 0 };

	assert_non_null(mkdtemp(dir));
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	tb_ctx_set_log_fn(ctx, NULL, NULL);
	/* no lvm.conf (monitoring on by default), no monitor running in the run dir */
	assert_int_equal(tb_ctx_set_sysconf_dir(ctx, dir), 0);
	assert_int_equal(tb_ctx_set_run_dir(ctx, dir), 0);
	assert_int_equal(tb_ctx_set_monitor_path(ctx, "/nonexistent/thinbox"), 0);
	tb_ctx_set_monitor_start_fn(ctx, start_hook, &h);
	/* the hook, never a spawn: it says 0 but no monitor holds the pidfile -> -ESRCH */
	assert_int_equal(tb_monitor_start(ctx), -ESRCH);
	assert_int_equal(h.calls, 1);
	assert_ptr_equal(h.seen, ctx);
	assert_non_null(strstr(tb_ctx_errmsg(ctx), "did not start"));
	h.ret = -EPERM;
	assert_int_equal(tb_monitor_start(ctx), -ESRCH);
	assert_int_equal(h.calls, 2);
	/* monitoring off: the hook is not called */
	setenv("THINBOX_NO_MONITOR_START", "1", 1);
	assert_int_equal(tb_monitor_start(ctx), -ECANCELED);
	unsetenv("THINBOX_NO_MONITOR_START");
	char conf[300];
	snprintf(conf, sizeof(conf), "%s/lvm.conf", dir);
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fputs("activation {\n\tmonitoring = 0\n}\n", f);
	fclose(f);
	assert_int_equal(tb_monitor_start(ctx), -ECANCELED);
	assert_int_equal(h.calls, 2);
	unlink(conf);
	rmdir(dir);
	tb_ctx_unref(ctx);
}

static void test_pool_status_what(void **state)
{
	static const struct {
		const char *status, *what;
		bool broken;
	} cases[] = {
		{ "Fail", "failed", true },
		{ "Error", "in error (the kernel cannot read its metadata)", true },
		{ "0 10/1024 0/4096 - ro discard_passdown queue_if_no_space - 1024", "read-only",
		  true },
		{ "0 10/1024 0/4096 - rw discard_passdown queue_if_no_space needs_check 1024",
		  "flagged needs_check", true },
		{ "0 10/1024 0/4096 - rw discard_passdown queue_if_no_space - 1024", "healthy",
		  false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dmk_thin_pool_status st;
		assert_int_equal(dmk_thin_pool_status_parse(cases[i].status, &st), 0);
		assert_int_equal(dmk_pool_status_broken(&st), cases[i].broken);
		assert_string_equal(dmk_pool_status_what(&st), cases[i].what);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults_builtin, clear_env),
		cmocka_unit_test_setup(test_environment_sets_defaults_only, clear_env),
		cmocka_unit_test_setup(test_errmsg_cleared_per_call, clear_env),
		cmocka_unit_test_setup(test_monitor_start_hook, clear_env),
		cmocka_unit_test_setup(test_pool_status_what, clear_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
