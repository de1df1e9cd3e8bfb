/* Unit tests: cli/engine-config (daemon.json and config.toml merged by thinbox setup). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/engine-config.h"

static const char *const opts[] = { "dm.thinpooldev=/dev/mapper/docker-thinpool",
				    "dm.use_deferred_removal=true" };

static char *docker(const char *old, bool force, int want_r, bool want_changed)
{
	char *text = NULL, *err = NULL;
	bool changed = !want_changed;
	int r = cli_engine_docker_merge(old, old ? strlen(old) : 0, opts, 2, force, &text, &changed,
				    &err);
	if (r != want_r)
		fail_msg("docker merge of '%s': r=%d (%s), want %d", old ? old : "(null)", r,
			 err ? err : "", want_r);
	if (r < 0) {
		assert_non_null(err);
		assert_null(text);
		free(err);
		return NULL;
	}
	assert_null(err);
	assert_int_equal(changed, want_changed);
	return text;
}

static const char fresh[] = "{\n"
			    "  \"storage-driver\": \"devicemapper\",\n"
			    "  \"storage-opts\": [\n"
			    "    \"dm.thinpooldev=/dev/mapper/docker-thinpool\",\n"
			    "    \"dm.use_deferred_removal=true\"\n"
			    "  ]\n"
			    "}\n";

static void test_docker_new(void **state)
{
	char *t = docker(NULL, false, 0, true), *t2;
	assert_string_equal(t, fresh);
	/* a second merge finds everything: unchanged, same text */
	t2 = docker(t, false, 0, false);
	assert_string_equal(t2, t);
	free(t2);
	free(t);
	t = docker("  {}\n", false, 0, true);
	assert_string_equal(t, fresh);
	free(t);
}

static void test_docker_keeps_others(void **state)
{
	const char *old = "{\"log-level\": \"debug\", \"storage-opts\": [\"dm.basesize=20G\"],\n"
			  " \"registry-mirrors\": [\"https://m.example\"], \"x\": {\"a\": [1, 2.5e3, "
			  "true, null, \"\\u0041\\\"\"]}}";
	char *t = docker(old, false, 0, true), *t2;
	assert_string_equal(t, "{\n"
			       "  \"log-level\": \"debug\",\n"
			       "  \"registry-mirrors\": [\"https://m.example\"],\n"
			       "  \"x\": {\"a\": [1, 2.5e3, true, null, \"\\u0041\\\"\"]},\n"
			       "  \"storage-driver\": \"devicemapper\",\n"
			       "  \"storage-opts\": [\n"
			       "    \"dm.basesize=20G\",\n"
			       "    \"dm.thinpooldev=/dev/mapper/docker-thinpool\",\n"
			       "    \"dm.use_deferred_removal=true\"\n"
			       "  ]\n"
			       "}\n");
	t2 = docker(t, false, 0, false);
	assert_string_equal(t2, t);
	free(t2);
	free(t);
	/* reformatted by hand, same meaning: left alone */
	old = "{\"storage-opts\":[\"dm.use_deferred_removal=true\",\"dm.thinpooldev=/dev/mapper/"
	      "docker-thinpool\"],\"storage-driver\":\"devicemapper\"}";
	t = docker(old, false, 0, false);
	assert_string_equal(t, old);
	free(t);
}

static void test_docker_conflicts(void **state)
{
	char *t;
	assert_null(docker("{\"storage-driver\": \"overlay2\"}", false, -EEXIST, true));
	t = docker("{\"storage-driver\": \"overlay2\"}", true, 0, true);
	assert_string_equal(t, fresh);
	free(t);
	assert_null(docker("{\"storage-opts\": [\"dm.thinpooldev=/dev/mapper/other\"]}", false,
			   -EEXIST, true));
	t = docker("{\"storage-opts\": [\"dm.thinpooldev=/dev/mapper/other\"]}", true, 0, true);
	assert_string_equal(t, fresh);
	free(t);
	assert_null(docker("{\"storage-opts\": \"dm.x=1\"}", false, -EINVAL, true));
	assert_null(docker("{\"storage-driver\": 1}", false, -EINVAL, true));
}

static void test_docker_bad_json(void **state)
{
	static const char *const bad[] = { "[]", "{", "{\"a\" 1}", "{\"a\": 1,}", "{\"a\": 01}",
					   "{\"a\": \"\\x\"}", "{\"a\": tru}", "{} {}", "{\"a\": \"\n\"}",
					   "{\"a\": [1,]}", "{\"a\": -}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(docker(bad[i], true, -EINVAL, true));
}

static char *ctrd(const char *old, bool force, int want_r, bool want_changed)
{
	char *text = NULL, *err = NULL;
	bool changed = !want_changed;
	int r = cli_engine_containerd_merge(old, old ? strlen(old) : 0, "docker-thinpool", "/var/lib/dm",
					"10GB", force, &text, &changed, &err);
	if (r != want_r)
		fail_msg("containerd merge of '%s': r=%d (%s), want %d", old ? old : "(null)", r,
			 err ? err : "", want_r);
	if (r < 0) {
		assert_non_null(err);
		free(err);
		return NULL;
	}
	assert_int_equal(changed, want_changed);
	return text;
}

static void test_containerd(void **state)
{
	/* Debian 12's /etc/containerd/config.toml */
	const char *deb = "version = 2\n\n[plugins]\n  [plugins.\"io.containerd.grpc.v1.cri\"]\n"
			  "    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n      bin_dir = \"/usr/lib/cni\"\n"
			  "      conf_dir = \"/etc/cni/net.d\"\n  [plugins.\"io.containerd.internal.v1.opt\"]\n"
			  "    path = \"/var/lib/containerd/opt\"\n";
	const char *table = "[plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
			    "  pool_name = \"docker-thinpool\"\n  root_path = \"/var/lib/dm\"\n"
			    "  base_image_size = \"10GB\"\n";
	char *t, *t2, want[2048];

	t = ctrd(NULL, false, 0, true);
	assert_string_equal(t, "version = 2\n\n[plugins]\n"
			       "  [plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
			       "    pool_name = \"docker-thinpool\"\n    root_path = \"/var/lib/dm\"\n"
			       "    base_image_size = \"10GB\"\n");
	t2 = ctrd(t, false, 0, false);
	assert_string_equal(t2, t);
	free(t2);
	free(t);
	t = ctrd(deb, false, 0, true);
	snprintf(want, sizeof(want), "%s\n%s", deb, table);
	assert_string_equal(t, want);
	t2 = ctrd(t, false, 0, false);
	assert_string_equal(t2, t);
	free(t2);
	free(t);
	/* a table with some keys (single quotes, comments): the others are added to it */
	t = ctrd("version = 2\n[plugins.'io.containerd.snapshotter.v1.devmapper'] # ours\n"
		 "    pool_name = 'docker-thinpool' # the pool\n    async_remove = true\n[x]\ny = 1",
		 false, 0, true);
	assert_string_equal(t, "version = 2\n[plugins.'io.containerd.snapshotter.v1.devmapper'] # ours\n"
			       "    pool_name = 'docker-thinpool' # the pool\n    async_remove = true\n"
			       "  root_path = \"/var/lib/dm\"\n  base_image_size = \"10GB\"\n[x]\ny = 1");
	free(t);
	/* another pool: refused, or replaced with force */
	assert_null(ctrd("version = 2\n[plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
			 "pool_name = \"other\"\n", false, -EEXIST, true));
	t = ctrd("version = 2\n[plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
		 "pool_name = \"other\"\n", true, 0, true);
	assert_string_equal(t, "version = 2\n[plugins.\"io.containerd.snapshotter.v1.devmapper\"]\n"
			       "  pool_name = \"docker-thinpool\"\n  root_path = \"/var/lib/dm\"\n"
			       "  base_image_size = \"10GB\"\n");
	free(t);
	/* version 1 (no version line): the plugin's id */
	t = ctrd("root = \"/var/lib/containerd\"\n", false, 0, true);
	assert_string_equal(t, "root = \"/var/lib/containerd\"\n\n[plugins.devmapper]\n"
			       "  pool_name = \"docker-thinpool\"\n  root_path = \"/var/lib/dm\"\n"
			       "  base_image_size = \"10GB\"\n");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_new),
		cmocka_unit_test(test_docker_keeps_others),
		cmocka_unit_test(test_docker_conflicts),
		cmocka_unit_test(test_docker_bad_json),
		cmocka_unit_test(test_containerd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
