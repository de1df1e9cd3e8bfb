/* libFuzzer target for a whole PV as it comes off a disk: the input is the start of a device
 * (label, PV header, mda header, ring, text; the rest of the 8 MiB in-memory device is zero),
 * read through core's scan like any real PV: pvs, vgs, lvs, thinbox check, then vgck
 * --updatemetadata of every VG found and the reports again. Nothing may crash or trip a
 * sanitizer, and a PV whose header says it is in a VG is never reported free.
 * No root, devices or kernel: the device is lvmfmt's in-memory fake behind the ctx's open
 * hook, device-mapper is off, locks and backups go to a temporary directory. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx-internal.h"
#include "core/thinbox.h"
#include "lvmfmt/bdev.h"
#include "lvmfmt/label.h"

#define DEV_SIZE (8U * 1024 * 1024)
#define DEV_PATH "/fuzz/pv"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lvf_bdev *dev; /* this input's device */

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-pv-image: %s\n", what);
		abort();
	}
}

static int fake_open(void *userdata, const char *path, int flags, struct lvf_bdev **ret)
{
	(void)userdata, (void)flags;
	if (strcmp(path, DEV_PATH) != 0)
		return -ENOENT;
	return lvf_bdev_view(dev, path, ret);
}

static void quiet_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	(void)userdata, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

struct seen {
	char vgs[4][130];
	size_t n_vgs;
	bool free_pv; /* a PV row with attr "---" */
};

static int pv_row(void *userdata, const struct tb_pv_row *row)
{
	struct seen *s = userdata;
	if (row->name && !strcmp(row->name, DEV_PATH) && !strcmp(row->attr, "---"))
		s->free_pv = true;
	return 0;
}
static int vg_row(void *userdata, const struct tb_vg_row *row)
{
	struct seen *s = userdata;
	if (s->n_vgs < 4)
		snprintf(s->vgs[s->n_vgs++], sizeof(s->vgs[0]), "%s", row->name);
	return 0;
}
static int lv_row(void *userdata, const struct tb_lv_row *row)
{
	(void)userdata;
	check(row->name && row->vg, "lv row without a name");
	return 0;
}
static int check_row(void *userdata, const struct tb_check_report *r)
{
	(void)userdata, (void)r;
	return 0;
}

static void reports(struct tb_ctx *ctx, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	(void)tb_report_pvs(ctx, NULL, 0, pv_row, s);
	(void)tb_report_vgs(ctx, NULL, 0, vg_row, s);
	(void)tb_report_lvs(ctx, NULL, 0, true, lv_row, s);
	(void)tb_check_devices(ctx, NULL, 0, check_row, NULL);
}

/* The header says "in a VG" (PV_EXT_USED): the PV must never be shown free. */
static bool header_says_used(void)
{
	struct lvf_pv_header h;
	return lvf_label_read_unchecked(dev, &h, NULL) == 0 && (h.ext_flags & LVF_PV_EXT_USED);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz-pv-image.XXXXXX";

	(void)argc, (void)argv;
	check(mkdtemp(dir) != NULL, "mkdtemp");
	setenv("THINBOX_ALLOW_NONROOT", "1", 1);
	setenv("THINBOX_DEVICES", DEV_PATH, 1);
	setenv("THINBOX_LOCK_DIR", dir, 1);
	setenv("LVM_SYSTEM_DIR", dir, 1);
	setenv("THINBOX_LVM_RUN_DIR", dir, 1);
	setenv("THINBOX_RUN_DIR", dir, 1);
	setenv("THINBOX_NO_MONITOR_START", "1", 1);
	unsetenv("THINBOX_LOG");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_ctx *ctx = NULL;
	struct seen s;
	bool used;

	if (lvf_bdev_mem_new_from(DEV_SIZE, data, size < DEV_SIZE ? size : DEV_SIZE, &dev) < 0)
		return 0;
	check(tb_ctx_new(0, &ctx) == 0, "ctx");
	tb_ctx_set_log_fn(ctx, quiet_log, NULL);
	tb_ctx_set_bdev_open(ctx, fake_open, NULL);
	tb_ctx_set_no_dm(ctx, true);

	used = header_says_used();
	reports(ctx, &s);
	check(!(used && s.free_pv), "a PV marked in use is reported free");
	for (size_t i = 0; i < s.n_vgs; i++)
		(void)tb_vgck(ctx, s.vgs[i], true);
	used = header_says_used();
	reports(ctx, &s);
	check(!(used && s.free_pv), "a PV marked in use is reported free after vgck");

	tb_ctx_unref(ctx);
	lvf_bdev_free(dev);
	dev = NULL;
	return 0;
}
