/* Unit tests: crash consistency of whole commands (pvcreate, vgcreate, lvcreate, lvremove,
 * lvextend) over two in-memory fake PVs.
 *
 * The fakes are lvmfmt's lvf_bdev_mem devices sharing one write counter; core opens them
 * through the ctx's device-open hook under the names in $THINBOX_DEVICES. For every command
 * we first run it without a fault and count its writes (N), then, for every k in 1..N, start
 * again from the same disk images, cut the power just before write k (write k and all later
 * writes are dropped) and re-read the disks with a fresh ctx through the public report calls.
 * What that reader sees must be exactly the state before the command or exactly the state
 * after it: never an error, never a mix (e.g. a VG with the new seqno but the old LV list,
 * or one PV in the VG and the other not). The same is checked with a failing write (-EIO at
 * write k, later writes working), where the command must fail or finish.
 *
 * No root, no devices, no kernel: lvcreate runs with activate = 0 and zero = 0 (-an -Zn),
 * which must not talk to device-mapper at all. Locks, hints, backups and monitor state go to
 * a temporary directory (THINBOX_LOCK_DIR, THINBOX_LVM_RUN_DIR, LVM_SYSTEM_DIR,
 * THINBOX_RUN_DIR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "core/ctx-internal.h"
#include "core/thinbox.h"
#include "lvmfmt/bdev.h"
#include "util/strbuf.h"

#define MIB (1024ULL * 1024ULL)
#define N_DEV 2
#define DEV_SIZE (24 * MIB)

static const char *const dev_path[N_DEV] = { "/fake/pv1", "/fake/pv2" };

struct fakes {
	struct lvf_bdev *dev[N_DEV]; /* the "disks"; views handed to core write through them */
	struct lvf_write_counter counter;
};

static int fake_open(void *userdata, const char *path, int flags, struct lvf_bdev **ret)
{
	struct fakes *f = userdata;

	(void)flags;
	for (size_t i = 0; i < N_DEV; i++)
		if (!strcmp(path, dev_path[i]))
			return lvf_bdev_view(f->dev[i], path, ret);
	return -ENOENT;
}

static void quiet_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	(void)userdata, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

static struct tb_ctx *new_ctx(struct fakes *f)
{
	struct tb_ctx *ctx = NULL;

	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	tb_ctx_set_log_fn(ctx, quiet_log, NULL);
	tb_ctx_set_bdev_open(ctx, fake_open, f);
	tb_ctx_set_no_dm(ctx, true);
	return ctx;
}

/* Ids must be the same in every run of a command, so that "the new state" of a run that was
 * cut short can be compared with the one of the run without a fault. core takes its random
 * bytes from libuuid's uuid_generate_random; this executable's definition interposes it
 * (a deterministic sequence, restarted before every command). */
static uint64_t rng;
void uuid_generate_random(uuid_t out)
{
	for (size_t i = 0; i < sizeof(uuid_t); i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = (unsigned char)(rng >> 56);
	}
}

/* ---- the state a fresh reader sees, as text ---- */

static int vg_row(void *u, const struct tb_vg_row *r)
{
	strbuf_appendf(u, "vg %s %s seqno=%" PRIu32 " pvs=%" PRIu32 " lvs=%" PRIu32
		       " size=%" PRIu64 " free=%" PRIu64 " es=%" PRIu64 " ec=%" PRIu64
		       " fc=%" PRIu64 " attr=%s\n",
		       r->name, r->uuid, r->seqno, r->pv_count, r->lv_count, r->size, r->free,
		       r->extent_size, r->extent_count, r->free_count, r->attr);
	return 0;
}
static int lv_row(void *u, const struct tb_lv_row *r)
{
	strbuf_appendf(u, "lv %s/%s %s size=%" PRIu64 " segtype=%s attr=%s segs=%" PRIu64 "\n",
		       r->vg, r->name, r->uuid, r->size, r->segtype ? r->segtype : "", r->attr,
		       r->seg_count);
	return 0;
}
static int pv_row(void *u, const struct tb_pv_row *r)
{
	strbuf_appendf(u, "pv %s vg=%s %s size=%" PRIu64 " start=%" PRIu64 " pe=%" PRIu64
		       " alloc=%" PRIu64 " attr=%s\n",
		       r->name, r->vg ? r->vg : "", r->uuid, r->size, r->pe_start, r->pe_count,
		       r->pe_alloc, r->attr);
	return 0;
}

/* Read everything with a fresh ctx. Returns 0 and the state, or the first error (the text
 * then says which report failed and why). */
static int read_state(struct fakes *f, struct strbuf *out)
{
	struct tb_ctx *ctx = new_ctx(f);
	int r;

	strbuf_reset(out);
	r = tb_report_pvs(ctx, NULL, 0, pv_row, out);
	if (r == 0)
		r = tb_report_vgs(ctx, NULL, 0, vg_row, out);
	if (r == 0)
		r = tb_report_lvs(ctx, NULL, 0, true, lv_row, out);
	if (r < 0)
		strbuf_appendf(out, "ERROR %d: %s\n", r, tb_ctx_errmsg(ctx));
	tb_ctx_unref(ctx);
	return r;
}

/* ---- disk images ---- */

struct images {
	uint8_t *d[N_DEV];
};
static void save(struct fakes *f, struct images *im)
{
	for (size_t i = 0; i < N_DEV; i++) {
		im->d[i] = malloc(DEV_SIZE);
		assert_non_null(im->d[i]);
		memcpy(im->d[i], lvf_bdev_mem_data(f->dev[i]), DEV_SIZE);
	}
}
static void restore(struct fakes *f, const struct images *im)
{
	for (size_t i = 0; i < N_DEV; i++)
		memcpy(lvf_bdev_mem_data(f->dev[i]), im->d[i], DEV_SIZE);
}
static void images_free(struct images *im)
{
	for (size_t i = 0; i < N_DEV; i++)
		free(im->d[i]);
}

/* ---- the environment ---- */

static char tmpdir[256];

static void rm_rf(const char *path)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static int group_setup(void **state)
{
	char p[400];
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/tb-crash.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("THINBOX_ALLOW_NONROOT", "1", 1);
	setenv("THINBOX_DEVICES", "/fake/pv1:/fake/pv2", 1);
	snprintf(p, sizeof(p), "%s/lock", tmpdir);
	setenv("THINBOX_LOCK_DIR", p, 1);
	snprintf(p, sizeof(p), "%s/etc", tmpdir);
	setenv("LVM_SYSTEM_DIR", p, 1);
	snprintf(p, sizeof(p), "%s/run-lvm", tmpdir);
	setenv("THINBOX_LVM_RUN_DIR", p, 1);
	snprintf(p, sizeof(p), "%s/run", tmpdir);
	setenv("THINBOX_RUN_DIR", p, 1);
	unsetenv("THINBOX_LOG");
	return 0;
}
static int group_teardown(void **state)
{
	(void)state;
	rm_rf(tmpdir);
	return 0;
}

static void fakes_init(struct fakes *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < N_DEV; i++) {
		assert_int_equal(lvf_bdev_mem_new(DEV_SIZE, &f->dev[i]), 0);
		lvf_bdev_mem_set_counter(f->dev[i], &f->counter);
	}
}
static void fakes_free(struct fakes *f)
{
	for (size_t i = 0; i < N_DEV; i++)
		lvf_bdev_free(f->dev[i]);
}

/* ---- the commands ---- */

/* pvcreate is checked one device at a time: over several devices it is one command but not
 * one transaction (in lvm2 neither), each device is either a PV or not. */
enum op { OP_PVCREATE1, OP_PVCREATE2, OP_VGCREATE, OP_LVCREATE, OP_LVCREATE2, OP_LVEXTEND,
	  OP_LVREMOVE };
static const char *const op_name[] = { "pvcreate pv1", "pvcreate pv2", "vgcreate", "lvcreate",
				       "lvcreate (2nd)", "lvextend", "lvremove" };

static int run_op(struct fakes *f, enum op op, char *err, size_t errlen)
{
	struct tb_ctx *ctx = new_ctx(f);
	struct tb_lvcreate_opts lo = { 0 };
	struct tb_lvresize_opts ro = { 0 };
	int r = 0;

	lo.vg = "vg0";
	lo.zero = 0;
	lo.wipesignatures = 0;
	lo.activate = 0;
	lo.discards = -1;
	lo.errorwhenfull = -1;
	rng = 0x7468696e626f78ULL + (uint64_t)op;
	switch (op) {
	case OP_PVCREATE1:
	case OP_PVCREATE2: {
		/* pv2 with two metadata areas (the second at the end of the device) */
		struct tb_pvcreate_opts o = { .metadatacopies = op == OP_PVCREATE1 ? -1 : 2 };
		r = tb_pvcreate(ctx, dev_path + (op == OP_PVCREATE2), 1, &o);
		break;
	}
	case OP_VGCREATE: {
		struct tb_vgcreate_opts o = { .pv = { .metadatacopies = -1 } };
		r = tb_vgcreate(ctx, "vg0", dev_path, N_DEV, &o);
		break;
	}
	case OP_LVCREATE:
		/* 5 extents of 4 MiB: more than one PV holds, so it spans both */
		lo.name = "lv0";
		lo.size = (struct tb_size){ TB_SIZE_EXTENTS, 5, 0 };
		r = tb_lvcreate(ctx, &lo);
		break;
	case OP_LVCREATE2:
		lo.name = "lv1";
		lo.size = (struct tb_size){ TB_SIZE_EXTENTS, 1, 0 };
		r = tb_lvcreate(ctx, &lo);
		break;
	case OP_LVEXTEND:
		ro.vg = "vg0";
		ro.lv = "lv1";
		ro.size = (struct tb_size){ TB_SIZE_EXTENTS, 2, +1 };
		ro.extend_only = true;
		ro.poolmetadatasize.unit = TB_SIZE_NONE;
		r = tb_lvresize(ctx, &ro);
		break;
	case OP_LVREMOVE:
		r = tb_lvremove(ctx, "vg0", "lv0", false);
		break;
	}
	if (r < 0 && err)
		snprintf(err, errlen, "%d %s", r, tb_ctx_errmsg(ctx));
	tb_ctx_unref(ctx);
	return r;
}

/* Run @op from the current disks at every crash point; check old-or-new each time. Leaves the
 * disks in the "new" state. */
static void check_op(struct fakes *f, enum op op)
{
	struct strbuf before = { 0 }, after = { 0 }, seen = { 0 };
	struct images im = { 0 };
	char err[1100] = "";
	unsigned n, k, n_old = 0, n_new = 0;
	int r;

	r = read_state(f, &before);
	if (r < 0)
		fail_msg("%s: the state before does not read: %s", op_name[op], strbuf_str(&before));
	save(f, &im);
	f->counter = (struct lvf_write_counter){ 0 };
	r = run_op(f, op, err, sizeof(err));
	if (r < 0)
		fail_msg("%s failed without a fault: %s", op_name[op], err);
	n = f->counter.writes;
	assert_true(n > 0);
	r = read_state(f, &after);
	if (r < 0)
		fail_msg("%s: the state after does not read: %s", op_name[op], strbuf_str(&after));
	if (!strcmp(strbuf_str(&before), strbuf_str(&after)))
		fail_msg("%s changed nothing a reader sees:\n%s", op_name[op], strbuf_str(&after));

	for (int crash = 1; crash >= 0; crash--) {
		for (k = 1; k <= n; k++) {
			restore(f, &im);
			f->counter = (struct lvf_write_counter){ 0 };
			for (size_t i = 0; i < N_DEV; i++)
				lvf_bdev_mem_fail_at(f->dev[i], k, crash);
			r = run_op(f, op, err, sizeof(err));
			f->counter = (struct lvf_write_counter){ 0 };
			if (read_state(f, &seen) < 0)
				fail_msg("%s, %s at write %u of %u: the disks do not read:\n%s",
					 op_name[op], crash ? "power cut" : "I/O error", k, n,
					 strbuf_str(&seen));
			if (!strcmp(strbuf_str(&seen), strbuf_str(&before))) {
				n_old++;
				/* a command that says it succeeded must have done it */
				if (!crash && r == 0)
					fail_msg("%s, I/O error at write %u of %u: reported success "
						 "but the old state reads", op_name[op], k, n);
				/* and the disks take the command again (recovery = retry) */
				if (run_op(f, op, err, sizeof(err)) < 0)
					fail_msg("%s, %s at write %u of %u: the retry failed: %s",
						 op_name[op], crash ? "power cut" : "I/O error", k,
						 n, err);
				if (read_state(f, &seen) < 0 ||
				    strcmp(strbuf_str(&seen), strbuf_str(&after)))
					fail_msg("%s, %s at write %u of %u: after the retry:\n%s"
						 "\nexpected:\n%s",
						 op_name[op], crash ? "power cut" : "I/O error", k, n,
						 strbuf_str(&seen), strbuf_str(&after));
			} else if (!strcmp(strbuf_str(&seen), strbuf_str(&after))) {
				/* done (an I/O error after the commit point may still be
				 * reported, as lvm2 does for what follows the commit) */
				n_new++;
			} else {
				fail_msg("%s, %s at write %u of %u: neither the old nor the new "
					 "state.\nold:\n%s\nnew:\n%s\nseen:\n%s",
					 op_name[op], crash ? "power cut" : "I/O error", k, n,
					 strbuf_str(&before), strbuf_str(&after), strbuf_str(&seen));
			}
		}
	}
	/* the first write cannot have made the change visible, the last one must have */
	assert_true(n_old > 0);
	restore(f, &im);
	f->counter = (struct lvf_write_counter){ 0 };
	for (size_t i = 0; i < N_DEV; i++)
		lvf_bdev_mem_fail_at(f->dev[i], 0, false);
	assert_int_equal(run_op(f, op, NULL, 0), 0);
	assert_int_equal(read_state(f, &seen), 0);
	assert_string_equal(strbuf_str(&seen), strbuf_str(&after));
	print_message("%-15s %3u writes: %u crash points read as before, %u as after\n",
		      op_name[op], n, n_old, n_new);
	images_free(&im);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&seen);
}

static void test_crash_every_write(void **state)
{
	struct fakes f;

	(void)state;
	fakes_init(&f);
	check_op(&f, OP_PVCREATE1);
	check_op(&f, OP_PVCREATE2);
	check_op(&f, OP_VGCREATE);
	check_op(&f, OP_LVCREATE);
	check_op(&f, OP_LVCREATE2);
	check_op(&f, OP_LVEXTEND);
	check_op(&f, OP_LVREMOVE);
	fakes_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_every_write),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
