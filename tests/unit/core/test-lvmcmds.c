/* Unit tests: core/cmd/lvmcmds.c's pure parts: lvm2's tag rule (tag_arg + validate_tag), tag
 * changes (--deltag then --addtag, no duplicates), and the devices/filter matcher with
 * --config layers over an lvm.conf in a temp dir. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/policy/policy.h"
#include "core/store/store.h"
#include "lvmfmt/config.h"

static void test_tag_rule(void **state)
{
	(void)state;
	assert_string_equal(tb_tag_check("abc"), "abc");
	assert_string_equal(tb_tag_check("@pve-vm-100"), "pve-vm-100");
	assert_string_equal(tb_tag_check("a.b_c+d-e/f=g!h:i&j#k"), "a.b_c+d-e/f=g!h:i&j#k");
	assert_string_equal(tb_tag_check("vg.metal-stack.io/csi-lvm"), "vg.metal-stack.io/csi-lvm");
	assert_null(tb_tag_check(""));
	assert_null(tb_tag_check("@"));
	assert_null(tb_tag_check("bad tag"));
	assert_null(tb_tag_check("x,y"));
	assert_null(tb_tag_check("a@b"));
	assert_null(tb_tag_check("q\"uote"));
	assert_null(tb_tag_check(NULL));
	/* ASCII whatever the locale: a Latin-1 letter is alphanumeric in de_DE.ISO-8859-1, never in
	 * a tag (lvm2's UTF-8 hosts refuse it too: its bytes are not alphanumeric there) */
	assert_null(tb_tag_check("caf\xe9"));
	assert_null(tb_tag_check("caf\xc3\xa9"));
}

static void test_tags_apply(void **state)
{
	struct tb_ctx *ctx = NULL;
	md_strv v = NULL;
	const char *add1[] = { "a", "b", "@a" };
	const char *del1[] = { "a", "nosuch" };
	const char *add2[] = { "c" };
	const char *bad[] = { "no good" };
	struct tb_tags t1 = { add1, 3, NULL, 0 }, t2 = { add2, 1, del1, 2 }, tb = { bad, 1, NULL, 0 };

	(void)state;
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	assert_int_equal(tb_tags_apply(ctx, &v, &t1), 0);
	assert_int_equal(md_strv_len(v), 2);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_int_equal(tb_tags_apply(ctx, &v, &t2), 0);
	assert_int_equal(md_strv_len(v), 2);
	assert_string_equal(v[0], "b");
	assert_string_equal(v[1], "c");
	assert_int_equal(tb_tags_apply(ctx, &v, &tb), -EINVAL);
	assert_string_equal(tb_ctx_errmsg(ctx), "Invalid argument for --addtag: no good");
	assert_int_equal(md_strv_len(v), 2);
	md_strv_free(v);
	tb_ctx_unref(ctx);
}

static void test_device_filter(void **state)
{
	char dir[] = "/tmp/tb-lvmcmds-XXXXXX", conf[128];
	struct tb_ctx *ctx = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("LVM_SYSTEM_DIR", dir, 1);
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	/* no lvm.conf, no --config: everything */
	assert_true(tb_device_accepted(ctx, "/dev/vdb"));
	snprintf(conf, sizeof(conf), "%s/lvm.conf", dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("devices {\n\tfilter = [ \"a|^/dev/vd[bc]$|\", \"r|.*|\" ]\n}\n", f);
	fclose(f);
	assert_true(tb_device_accepted(ctx, "/dev/vdb"));
	assert_true(tb_device_accepted(ctx, "/dev/vdc"));
	assert_false(tb_device_accepted(ctx, "/dev/vdd"));
	/* --config wins over lvm.conf; global_filter applies first */
	assert_int_equal(tb_ctx_set_config(ctx, "devices/filter=[\"a|.*|\"]"), 0);
	assert_true(tb_device_accepted(ctx, "/dev/vdd"));
	assert_int_equal(tb_ctx_set_config(ctx, "devices { global_filter = [ \"r|^/dev/vdd$|\" ] }"), 0);
	assert_false(tb_device_accepted(ctx, "/dev/vdd"));
	assert_true(tb_device_accepted(ctx, "/dev/vdb"));
	/* a string that does not parse is refused with a message */
	assert_int_equal(tb_ctx_set_config(ctx, "devices { filter = [ "), -EBADMSG);
	tb_ctx_unref(ctx);
	unlink(conf);
	rmdir(dir);
	unsetenv("LVM_SYSTEM_DIR");
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* tb_lvm_conf: one parse per change of the file; trees handed out before a change stay valid
 * (ASan sees a use after free otherwise); no file, a file that does not parse, a fixed file. */
static void test_lvm_conf_cache(void **state)
{
	char dir[] = "/tmp/tb-lvmconf-XXXXXX", conf[128], *v = NULL;
	const struct lvf_cft_node *first = NULL, *again = NULL, *now = NULL;
	struct lvf_err err = { 0 };
	struct tb_ctx *ctx = NULL;
	int64_t i = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("LVM_SYSTEM_DIR", dir, 1);
	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	assert_int_equal(tb_lvm_conf(ctx, &first, NULL), 0);
	assert_null(first);
	assert_int_equal(tb_config_lookup(ctx, "activation/monitoring", &v), -ENOENT);
	snprintf(conf, sizeof(conf), "%s/lvm.conf", dir);
	put_file(conf, "# comment\nactivation {\n\tmonitoring = 0\n}\n");
	assert_int_equal(tb_lvm_conf(ctx, &first, NULL), 0);
	assert_non_null(first);
	assert_int_equal(tb_lvm_conf(ctx, &again, NULL), 0);
	assert_ptr_equal(first, again); /* unchanged file: the same parse */
	assert_int_equal(tb_config_lookup(ctx, "activation/monitoring", &v), 0);
	assert_string_equal(v, "0");
	free(v);
	/* another size: parsed again; the first tree is still there */
	put_file(conf, "activation {\n\tmonitoring = 1\n\tthin_pool_autoextend_threshold = 70\n}\n");
	assert_int_equal(tb_lvm_conf(ctx, &now, NULL), 0);
	assert_ptr_not_equal(now, first);
	assert_int_equal(lvf_config_get_int(&first, 1, "activation/monitoring", 9, &i), 0);
	assert_int_equal(i, 0);
	assert_int_equal(lvf_config_get_int(&now, 1, "activation/monitoring", 9, &i), 0);
	assert_int_equal(i, 1);
	/* the monitor's safe point: older versions go, the current one stays */
	tb_lvm_conf_drop_old(ctx);
	assert_int_equal(tb_lvm_conf(ctx, &again, NULL), 0);
	assert_ptr_equal(again, now);
	assert_int_equal(lvf_config_get_int(&now, 1, "activation/thin_pool_autoextend_threshold", 9,
					    &i),
			 0);
	assert_int_equal(i, 70);
	/* a file that does not parse: the load's error and the line, every time */
	put_file(conf, "activation {\n\tmonitoring = \n");
	assert_int_equal(tb_lvm_conf(ctx, &now, &err), -EBADMSG);
	assert_int_equal(err.line, 3);
	memset(&err, 0, sizeof(err));
	assert_int_equal(tb_lvm_conf(ctx, &now, &err), -EBADMSG);
	assert_int_equal(err.line, 3);
	assert_true(tb_monitoring_enabled(ctx)); /* lvm2 default stays: 1 */
	put_file(conf, "activation { monitoring = 0 }\n");
	assert_int_equal(tb_lvm_conf(ctx, &now, NULL), 0);
	assert_false(tb_monitoring_enabled(ctx));
	/* gone again: no file */
	unlink(conf);
	assert_int_equal(tb_lvm_conf(ctx, &now, NULL), 0);
	assert_null(now);
	assert_true(tb_monitoring_enabled(ctx));
	tb_ctx_unref(ctx);
	rmdir(dir);
	unsetenv("LVM_SYSTEM_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_rule),
		cmocka_unit_test(test_tags_apply),
		cmocka_unit_test(test_device_filter),
		cmocka_unit_test(test_lvm_conf_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
