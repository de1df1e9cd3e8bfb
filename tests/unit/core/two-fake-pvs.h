/* Shared by unit tests of core over two in-memory disks (test-foreign.c, test-pvck.c): the
 * disks, the ctx's open hook handing out views of them, a quiet ctx with device-mapper off,
 * a VG with two linear LVs, raw reads and writes, and cmocka setup/teardown. Include it once,
 * after cmocka.h and core/thinbox.h. */
#ifndef TB_TEST_TWO_FAKE_PVS_H
#define TB_TEST_TWO_FAKE_PVS_H

#define DEV_SIZE (16U * 1024 * 1024)
#define DEV_A "/ut/a"
#define DEV_B "/ut/b"

static struct lvf_bdev *devs[2];

static __attribute__((unused)) int fake_open(void *userdata, const char *path, int flags, struct lvf_bdev **ret)
{
	(void)userdata, (void)flags;
	if (!strcmp(path, DEV_A))
		return lvf_bdev_view(devs[0], path, ret);
	if (!strcmp(path, DEV_B))
		return lvf_bdev_view(devs[1], path, ret);
	return -ENOENT;
}

static __attribute__((unused)) void quiet_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	(void)userdata, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

static __attribute__((unused)) struct tb_ctx *new_ctx(void)
{
	struct tb_ctx *ctx = NULL;

	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	tb_ctx_set_log_fn(ctx, quiet_log, NULL);
	tb_ctx_set_bdev_open(ctx, fake_open, NULL);
	tb_ctx_set_no_dm(ctx, true);
	return ctx;
}

static __attribute__((unused)) void make_vg(const char *dev, const char *vg)
{
	struct tb_ctx *ctx = new_ctx();
	const char *d[] = { dev };
	struct tb_vgcreate_opts vo = { .pv.metadatacopies = -1 };
	struct tb_lvcreate_opts lo = { .vg = vg, .name = "lv1", .zero = 0, .wipesignatures = 0,
				       .activate = 0, .discards = -1, .errorwhenfull = -1 };

	lo.size = (struct tb_size){ TB_SIZE_SECTORS, 8192, 0 };
	struct tb_pvcreate_opts po = { .metadatacopies = -1 };

	if (tb_pvcreate(ctx, d, 1, &po) < 0)
		fail_msg("pvcreate: %s", tb_ctx_errmsg(ctx));
	if (tb_vgcreate(ctx, vg, d, 1, &vo) < 0)
		fail_msg("vgcreate: %s", tb_ctx_errmsg(ctx));
	if (tb_lvcreate(ctx, &lo) < 0)
		fail_msg("lvcreate: %s", tb_ctx_errmsg(ctx));
	lo.name = "lv2";
	assert_int_equal(tb_lvcreate(ctx, &lo), 0);
	tb_ctx_unref(ctx);
}

static __attribute__((unused)) void rd(int i, uint64_t off, void *buf, size_t len)
{
	assert_int_equal(lvf_bdev_read(devs[i], off, buf, len), 0);
}
static __attribute__((unused)) void wr(int i, uint64_t off, const void *buf, size_t len)
{
	assert_int_equal(lvf_bdev_write(devs[i], off, buf, len), 0);
}
static __attribute__((unused)) uint8_t *image(int i)
{
	uint8_t *img = malloc(2U << 20);
	assert_non_null(img);
	rd(i, 0, img, 2U << 20);
	return img;
}

static __attribute__((unused)) int setup(void **state)
{
	(void)state;
	assert_int_equal(lvf_bdev_mem_new(DEV_SIZE, &devs[0]), 0);
	assert_int_equal(lvf_bdev_mem_new(DEV_SIZE, &devs[1]), 0);
	return 0;
}
static __attribute__((unused)) int teardown(void **state)
{
	(void)state;
	devs[0] = lvf_bdev_free(devs[0]);
	devs[1] = lvf_bdev_free(devs[1]);
	return 0;
}

/* The environment of these tests: non-root allowed, the two fake disks as the device list,
 * locks, lvm2's dirs and run dirs in @tmpl (made from that mkdtemp template), no monitor start.
 * -1 when @tmpl cannot be made. */
static __attribute__((unused)) int fake_pvs_env(char *tmpl)
{
	if (!mkdtemp(tmpl))
		return -1;
	setenv("THINBOX_ALLOW_NONROOT", "1", 1);
	setenv("THINBOX_DEVICES", DEV_A ":" DEV_B, 1);
	setenv("THINBOX_LOCK_DIR", tmpl, 1);
	setenv("LVM_SYSTEM_DIR", tmpl, 1);
	setenv("THINBOX_LVM_RUN_DIR", tmpl, 1);
	setenv("THINBOX_RUN_DIR", tmpl, 1);
	setenv("THINBOX_NO_MONITOR_START", "1", 1);
	unsetenv("THINBOX_LOG");
	return 0;
}

#endif
