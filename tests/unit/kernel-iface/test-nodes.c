/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: kernel-iface/nodes.c symlinks in a scratch directory (block nodes need root
 * and are covered by the VM tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel-iface/dmk.h"

#include "fake-dm.h"

static void test_symlinks(void **state)
{
	struct fake_dm f;
	struct dmk_ctx *ctx;
	char dir[] = "/tmp/tb-nodes-XXXXXX", p[PATH_MAX], t[PATH_MAX], want[PATH_MAX];
	ssize_t n;
	struct stat st;

	fake_init(&f);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(dmk_ctx_new_ops(&fake_ops, &f, &ctx), 0);
	dmk_set_dev_dir(ctx, dir);

	assert_int_equal(dmk_symlink_add(ctx, "vg0", "lv0", "vg0-lv0"), 0);
	snprintf(p, sizeof(p), "%s/vg0/lv0", dir);
	snprintf(want, sizeof(want), "%s/mapper/vg0-lv0", dir);
	n = readlink(p, t, sizeof(t) - 1);
	assert_true(n > 0);
	t[n] = '\0';
	assert_string_equal(t, want);
	/* idempotent, and a different target replaces the link */
	assert_int_equal(dmk_symlink_add(ctx, "vg0", "lv0", "vg0-lv0"), 0);
	assert_int_equal(dmk_symlink_add(ctx, "vg0", "lv0", "vg0-other"), 0);
	n = readlink(p, t, sizeof(t) - 1);
	t[n] = '\0';
	assert_non_null(strstr(t, "/mapper/vg0-other"));
	/* bad names never touch the file system */
	assert_int_equal(dmk_symlink_add(ctx, "..", "lv0", "x"), -EINVAL);
	assert_int_equal(dmk_symlink_add(ctx, "vg0", "a/b", "x"), -EINVAL);
	assert_int_equal(dmk_symlink_add(ctx, "vg0", "lv1", "a/b"), -EINVAL);
	assert_non_null(strstr(dmk_errmsg(ctx), "invalid name"));
	/* removing the last link removes the directory; absent is fine */
	assert_int_equal(dmk_symlink_remove(ctx, "vg0", "lv0"), 0);
	assert_int_equal(dmk_symlink_remove(ctx, "vg0", "lv0"), 0);
	snprintf(p, sizeof(p), "%s/vg0", dir);
	assert_int_equal(stat(p, &st), -1);
	/* node removal of an absent node is fine; bad names are refused */
	assert_int_equal(dmk_node_remove(ctx, "nothing"), 0);
	assert_int_equal(dmk_node_remove(ctx, "../x"), -EINVAL);

	dmk_ctx_free(ctx);
	fake_release(&f);
	snprintf(p, sizeof(p), "%s/mapper", dir);
	rmdir(p);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symlinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
