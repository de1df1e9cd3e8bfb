/* Unit tests: activation tables over a fake device-mapper (golden tables).
 *
 * Two in-memory fake PVs (lvmfmt's lvf_bdev_mem, opened through the ctx's device hook, with
 * device numbers 7:0 and 7:1) and a small stateful fake of /dev/mapper/control behind
 * kernel-iface's ops table: it keeps devices (name, uuid, devno, live and inactive table,
 * suspended), answers the ioctls activation sends, and records each table that went live.
 * lvcreate -ay and lvchange -an of linear LVs then must produce exactly the tables lvm2
 * loads for the same VG ("start length linear MAJ:MIN offset", dm names with '-' doubled,
 * uuids LVM-<vgid><lvid>), and leave no device behind; a thin pool and a thin LV give
 * lvm2's thin-pool and thin tables and one message transaction; tb_pool_autoextend in a full
 * VG fails without writing its result. No root, no kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <asm/ioctl.h>
#include <linux/dm-ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "core/ctx-internal.h"
#include "core/cmd/cmd.h"
#include "core/policy/policy.h"
#include "core/thinbox.h"
#include "kernel-iface/dmk.h"
#include "lvmfmt/bdev.h"
#include "util/strbuf.h"

#define MIB (1024ULL * 1024ULL)
#define N_DEV 2
#define DEV_SIZE (40 * MIB)
#define MAX_DM 16

static const char *const dev_path[N_DEV] = { "/fake/pv1", "/fake/pv2" };

/* ---- the fake kernel ---- */
struct fdev {
	bool used;
	char name[DM_NAME_LEN], uuid[DM_UUID_LEN];
	uint32_t minor;
	char *live, *inactive; /* tables as text, one "start len type params\n" per target */
	uint32_t live_n, inactive_n;
	bool suspended;
};

struct fake_kernel {
	struct fdev d[MAX_DM];
	uint32_t next_minor;
	struct strbuf log; /* "resume NAME\n<live table>" for every resume that swapped a table */
	uint64_t tid;      /* the (one) thin pool's transaction id */
	uint64_t used;     /* its used data blocks */
};

static struct fdev *find(struct fake_kernel *k, const struct dm_ioctl *io)
{
	for (size_t i = 0; i < MAX_DM; i++) {
		struct fdev *d = &k->d[i];
		if (!d->used)
			continue;
		if (io->name[0] ? !strcmp(d->name, io->name)
				: io->uuid[0] && !strcmp(d->uuid, io->uuid))
			return d;
	}
	return NULL;
}

static void put_info(struct dm_ioctl *io, const struct fdev *d)
{
	io->dev = ((uint64_t)253 << 8) | d->minor; /* huge_encode_dev for small numbers */
	io->flags &= ~(DM_ACTIVE_PRESENT_FLAG | DM_INACTIVE_PRESENT_FLAG | DM_SUSPEND_FLAG);
	if (d->live)
		io->flags |= DM_ACTIVE_PRESENT_FLAG;
	if (d->inactive)
		io->flags |= DM_INACTIVE_PRESENT_FLAG;
	if (d->suspended)
		io->flags |= DM_SUSPEND_FLAG;
	io->target_count = d->live_n;
	io->open_count = 0;
	io->event_nr = 0;
	snprintf(io->name, sizeof(io->name), "%s", d->name);
	snprintf(io->uuid, sizeof(io->uuid), "%s", d->uuid);
}

/* Put @dlen bytes of reply data after the header, or flag the buffer full. */
static void reply(struct dm_ioctl *io, const void *data, size_t dlen)
{
	size_t cap = io->data_size;
	io->data_start = sizeof(*io);
	if (sizeof(*io) + dlen > cap) {
		io->flags |= DM_BUFFER_FULL_FLAG;
		io->data_size = sizeof(*io);
		return;
	}
	memcpy((uint8_t *)io + sizeof(*io), data, dlen);
	io->data_size = (uint32_t)(sizeof(*io) + dlen);
}

static int do_load(struct fdev *d, struct dm_ioctl *io)
{
	const uint8_t *base = (const uint8_t *)io + io->data_start;
	struct strbuf sb = { 0 };
	size_t off = 0;

	for (uint32_t i = 0; i < io->target_count; i++) {
		struct dm_target_spec sp;
		memcpy(&sp, base + off, sizeof(sp));
		strbuf_appendf(&sb, "%" PRIu64 " %" PRIu64 " %.16s %s\n", (uint64_t)sp.sector_start,
			       (uint64_t)sp.length, sp.target_type,
			       (const char *)base + off + sizeof(sp));
		off += sp.next; /* on load: from this spec to the next */
	}
	free(d->inactive);
	d->inactive = strbuf_steal(&sb);
	d->inactive_n = io->target_count;
	return 0;
}

/* Table (DM_STATUS_TABLE_FLAG) or status lines, in the kernel's reply layout. */
static int do_table(struct fdev *d, struct dm_ioctl *io, uint64_t k_tid, uint64_t k_used)
{
	bool inact = io->flags & DM_QUERY_INACTIVE_TABLE_FLAG;
	const char *text = inact ? d->inactive : d->live;
	uint8_t out[8192];
	size_t off = 0;
	uint32_t n = 0;

	for (const char *l = text; l && *l; n++) {
		struct dm_target_spec sp = { 0 };
		unsigned long long st, len;
		char type[32];
		int used = 0;
		const char *eol = strchr(l, '\n');
		assert_int_equal(sscanf(l, "%llu %llu %16s %n", &st, &len, type, &used), 3);
		sp.sector_start = st;
		sp.length = len;
		memcpy(sp.target_type, type, strnlen(type, sizeof(sp.target_type) - 1));
		const char *params = (io->flags & DM_STATUS_TABLE_FLAG) ? l + used : "";
		size_t plen = (io->flags & DM_STATUS_TABLE_FLAG) ? (size_t)(eol - (l + used)) : 0;
		char pst[128];
		if (!(io->flags & DM_STATUS_TABLE_FLAG) && !strcmp(type, "thin-pool")) {
			/* a fresh pool: transaction 0, nothing used */
			snprintf(pst, sizeof(pst),
				 "%llu 10/1024 %llu/%llu - rw discard_passdown queue_if_no_space - 256",
				 (unsigned long long)k_tid, (unsigned long long)k_used, len / 128);
			params = pst;
			plen = strlen(pst);
		}
		size_t rec = sizeof(sp) + ((plen + 1 + 7) & ~(size_t)7);
		sp.next = (uint32_t)(off + rec); /* on replies: from the first spec */
		memcpy(out + off, &sp, sizeof(sp));
		memcpy(out + off + sizeof(sp), params, plen);
		memset(out + off + sizeof(sp) + plen, 0, rec - sizeof(sp) - plen);
		off += rec;
		l = eol + 1;
	}
	put_info(io, d);
	io->target_count = n;
	reply(io, out, off);
	return 0;
}

static int do_list(struct fake_kernel *k, struct dm_ioctl *io)
{
	uint8_t out[8192];
	size_t off = 0, last = 0;
	bool any = false;

	for (size_t i = 0; i < MAX_DM; i++) {
		struct fdev *d = &k->d[i];
		if (!d->used)
			continue;
		uint64_t dev = ((uint64_t)253 << 8) | d->minor;
		size_t nlen = strlen(d->name) + 1, p = (off + 12 + nlen + 7) & ~(size_t)7;
		size_t ulen = strlen(d->uuid) + 1, end = (p + 8 + ulen + 7) & ~(size_t)7;
		uint32_t ev = 0, fl = DM_NAME_LIST_FLAG_HAS_UUID, next = 0;
		memset(out + off, 0, end - off);
		memcpy(out + off, &dev, 8);
		memcpy(out + off + 12, d->name, nlen);
		memcpy(out + p, &ev, 4);
		memcpy(out + p + 4, &fl, 4);
		memcpy(out + p + 8, d->uuid, ulen);
		if (any) {
			next = (uint32_t)(off - last);
			memcpy(out + last + 8, &next, 4);
		}
		last = off;
		off = end;
		any = true;
	}
	if (!any) {
		memset(out, 0, 16);
		off = 16;
	}
	reply(io, out, off);
	return 0;
}

static int fake_ioctl(void *h, unsigned long req, void *buf)
{
	struct fake_kernel *k = h;
	struct dm_ioctl *io = buf;
	unsigned cmd = _IOC_NR(req);
	struct fdev *d;

	io->version[0] = 4, io->version[1] = 47, io->version[2] = 0;
	switch (cmd) {
	case DM_VERSION_CMD:
		return 0;
	case DM_LIST_DEVICES_CMD:
		return do_list(k, io);
	case DM_DEV_CREATE_CMD:
		if (find(k, io) || (io->uuid[0] && find(k, &(struct dm_ioctl){ .uuid = { 0 } })))
			return -EBUSY;
		for (size_t i = 0; i < MAX_DM; i++)
			if (!k->d[i].used) {
				d = &k->d[i];
				*d = (struct fdev){ .used = true, .minor = k->next_minor++ };
				snprintf(d->name, sizeof(d->name), "%s", io->name);
				snprintf(d->uuid, sizeof(d->uuid), "%s", io->uuid);
				put_info(io, d);
				return 0;
			}
		return -ENOMEM;
	}
	if (!(d = find(k, io)))
		return -ENXIO;
	switch (cmd) {
	case DM_DEV_STATUS_CMD:
		put_info(io, d);
		return 0;
	case DM_TABLE_LOAD_CMD:
		do_load(d, io);
		put_info(io, d);
		return 0;
	case DM_TABLE_CLEAR_CMD:
		free(d->inactive);
		d->inactive = NULL;
		put_info(io, d);
		return 0;
	case DM_DEV_SUSPEND_CMD:
		if (io->flags & DM_SUSPEND_FLAG) {
			d->suspended = true;
		} else {
			if (d->inactive) {
				free(d->live);
				d->live = d->inactive;
				d->live_n = d->inactive_n;
				d->inactive = NULL;
				strbuf_appendf(&k->log, "resume %s %s\n%s", d->name, d->uuid,
					       d->live);
			}
			d->suspended = false;
		}
		put_info(io, d);
		return 0;
	case DM_TABLE_STATUS_CMD:
		return do_table(d, io, k->tid, k->used);
	case DM_TABLE_DEPS_CMD: {
		uint32_t z[4] = { 0 };
		put_info(io, d);
		reply(io, z, sizeof(z));
		return 0;
	}
	case DM_TARGET_MSG_CMD: {
		const char *msg = (const char *)io + io->data_start + 8;
		unsigned long long a, b;
		strbuf_appendf(&k->log, "message %s %s\n", d->name, msg);
		if (sscanf(msg, "set_transaction_id %llu %llu", &a, &b) == 2) {
			if (a != k->tid)
				return -EINVAL;
			k->tid = b;
		}
		io->data_size = sizeof(*io);
		return 0;
	}
	case DM_DEV_RENAME_CMD:
		strbuf_appendf(&k->log, "rename %s %s\n", d->name,
			       (const char *)io + io->data_start);
		snprintf(d->name, sizeof(d->name), "%s", (const char *)io + io->data_start);
		put_info(io, d);
		return 0;
	case DM_DEV_REMOVE_CMD:
		strbuf_appendf(&k->log, "remove %s\n", d->name);
		free(d->live);
		free(d->inactive);
		*d = (struct fdev){ 0 };
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct dmk_ops fake_kernel_ops = { .ioctl = fake_ioctl };

/* ---- fake disks (lvf_bdev_view of in-memory disks, as test-crash.c) ---- */
struct env {
	struct lvf_bdev *dev[N_DEV];
	struct lvf_bdev *scratch;
	struct fake_kernel k;
	char dir[64];
};

static int fake_open(void *userdata, const char *path, int flags, struct lvf_bdev **ret)
{
	struct env *e = userdata;
	(void)flags;
	for (size_t i = 0; i < N_DEV; i++)
		if (!strcmp(path, dev_path[i]))
			return lvf_bdev_view(e->dev[i], path, ret);
	/* an LV's node (the pool metadata wiped before the pool is made): scratch space */
	if (strstr(path, "/dev/mapper/"))
		return lvf_bdev_view(e->scratch, path, ret);
	return -ENOENT;
}

static dev_t fake_rdev(void *userdata, const char *path)
{
	(void)userdata;
	for (size_t i = 0; i < N_DEV; i++)
		if (!strcmp(path, dev_path[i]))
			return makedev(7, (unsigned)i);
	return 0;
}

static void quiet_log(void *userdata, int priority, const char *file, int line, const char *fn,
		      const char *format, va_list args)
{
	(void)userdata, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

/* Deterministic ids (as test-crash.c): the golden uuids do not change between runs. */
static uint64_t rng;
void uuid_generate_random(uuid_t out)
{
	for (size_t i = 0; i < sizeof(uuid_t); i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = (unsigned char)(rng >> 56);
	}
}

static struct tb_ctx *new_ctx(struct env *e)
{
	struct tb_ctx *ctx = NULL;
	struct dmk_ctx *dmk = NULL;
	char sub[128];

	assert_int_equal(tb_ctx_new(0, &ctx), 0);
	tb_ctx_set_log_fn(ctx, quiet_log, NULL);
	tb_ctx_set_bdev_open(ctx, fake_open, e);
	tb_ctx_set_bdev_rdev(ctx, fake_rdev);
	assert_int_equal(tb_ctx_set_devices(ctx, dev_path, N_DEV), 0);
	assert_int_equal(tb_ctx_set_sysconf_dir(ctx, e->dir), 0);
	snprintf(sub, sizeof(sub), "%s/run", e->dir);
	assert_int_equal(tb_ctx_set_run_dir(ctx, sub), 0);
	snprintf(sub, sizeof(sub), "%s/lock", e->dir);
	assert_int_equal(tb_ctx_set_lock_dir(ctx, sub), 0);
	assert_int_equal(dmk_ctx_new_ops(&fake_kernel_ops, &e->k, &dmk), 0);
	snprintf(sub, sizeof(sub), "%s/dev", e->dir);
	dmk_set_dev_dir(dmk, sub);
	ctx->dmk = dmk;
	return ctx;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char sub[128];

	assert_non_null(e);
	for (size_t i = 0; i < N_DEV; i++)
		assert_int_equal(lvf_bdev_mem_new(DEV_SIZE, &e->dev[i]), 0);
	assert_int_equal(lvf_bdev_mem_new(8 * MIB, &e->scratch), 0);
	snprintf(e->dir, sizeof(e->dir), "/tmp/tb-activate-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	for (const char *const *s =
		     (const char *const[]){ "run", "lock", "dev", "dev/mapper", NULL };
	     *s; s++) {
		snprintf(sub, sizeof(sub), "%s/%s", e->dir, *s);
		assert_int_equal(mkdir(sub, 0755), 0);
	}
	setenv("THINBOX_ALLOW_NONROOT", "1", 1);
	setenv("THINBOX_NO_MONITOR_START", "1", 1);
	setenv("THINBOX_LVM_RUN_DIR", e->dir, 1); /* lvm2's hints: none here */
	rng = 1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	for (size_t i = 0; i < N_DEV; i++)
		lvf_bdev_free(e->dev[i]);
	lvf_bdev_free(e->scratch);
	for (size_t i = 0; i < MAX_DM; i++) {
		free(e->k.d[i].live);
		free(e->k.d[i].inactive);
	}
	strbuf_release(&e->k.log);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static void make_vg(struct env *e)
{
	struct tb_ctx *ctx = new_ctx(e);
	struct tb_vgcreate_opts vo = { .extent_size = 8192, .pv = { .metadatacopies = -1 } };

	assert_int_equal(tb_pvcreate(ctx, dev_path, N_DEV, &vo.pv), 0);
	assert_int_equal(tb_vgcreate(ctx, "vg-a", dev_path, N_DEV, &vo), 0);
	tb_ctx_unref(ctx);
}

static struct tb_lvcreate_opts linear(const char *name, uint64_t extents)
{
	return (struct tb_lvcreate_opts){
		.vg = "vg-a",
		.name = name,
		.size = { TB_SIZE_EXTENTS, extents, 0 },
		.zero = 0,
		.wipesignatures = 0,
		.activate = 1,
		.discards = -1,
		.errorwhenfull = -1,
	};
}

static void test_linear_tables(void **state)
{
	struct env *e = *state;
	struct tb_lvcreate_opts o;
	struct tb_ctx *ctx;
	char want[1024];

	make_vg(e);
	ctx = new_ctx(e);
	/* 4 MiB extents, PVs of 40 MiB with the first extent at 1 MiB: 9 extents each */
	o = linear("lv-1", 2);
	assert_int_equal(tb_lvcreate(ctx, &o), 0);
	/* 10 more: lvm2's normal allocation takes the largest free area first (pv2's 9
	 * extents), then 1 of pv1's 7: two segments */
	o = linear("big", 10);
	assert_int_equal(tb_lvcreate(ctx, &o), 0);
	/* golden: what lvm2 2.03.16 loads for the same VG (dm names double '-'; offsets in
	 * sectors: pe_start 2048 + extent * 8192) */
	snprintf(want, sizeof(want),
		 "resume vg--a-lv--1 %s\n"
		 "0 16384 linear 7:0 2048\n"
		 "resume vg--a-big %s\n"
		 "0 73728 linear 7:1 2048\n"
		 "73728 8192 linear 7:0 18432\n",
		 e->k.d[0].uuid, e->k.d[1].uuid);
	assert_string_equal(e->k.log.buf, want);
	/* uuids: LVM- + the VG's id + the LV's id, 68 characters */
	assert_int_equal(strlen(e->k.d[0].uuid), 4 + 64);
	assert_memory_equal(e->k.d[0].uuid, "LVM-", 4);
	assert_memory_equal(e->k.d[0].uuid, e->k.d[1].uuid, 4 + 32); /* same VG */
	/* the /dev/VG/LV link points at the /dev/mapper name */
	char path[256], target[256] = "";
	snprintf(path, sizeof(path), "%s/dev/vg-a/big", e->dir);
	assert_true(readlink(path, target, sizeof(target) - 1) > 0);
	assert_non_null(strstr(target, "mapper/vg--a-big"));

	/* deactivation removes exactly these devices */
	strbuf_reset(&e->k.log);
	struct tb_lvchange_opts off = { .activate = 0,
					.errorwhenfull = -1,
					.discards = -1,
					.monitor = -1 };
	assert_int_equal(tb_lvchange(ctx, "vg-a", "big", &off), 0);
	assert_string_equal(e->k.log.buf, "remove vg--a-big\n");
	assert_int_equal(tb_vgchange(ctx, "vg-a", 0, -1), 0);
	assert_string_equal(e->k.log.buf, "remove vg--a-big\nremove vg--a-lv--1\n");
	for (size_t i = 0; i < MAX_DM; i++)
		assert_false(e->k.d[i].used);
	/* and -ay brings back the same tables */
	strbuf_reset(&e->k.log);
	assert_int_equal(tb_vgchange(ctx, "vg-a", 1, -1), 0);
	assert_non_null(
		strstr(e->k.log.buf, "0 73728 linear 7:1 2048\n73728 8192 linear 7:0 18432\n"));
	assert_non_null(strstr(e->k.log.buf, "0 16384 linear 7:0 2048\n"));
	tb_ctx_unref(ctx);
}

static void test_pool_tables(void **state)
{
	struct env *e = *state;
	struct tb_ctx *ctx;
	struct tb_lvcreate_opts o = {
		.vg = "vg-a",
		.name = "pool",
		.size = { TB_SIZE_EXTENTS, 4, 0 },
		.thin_pool = true,
		.chunk_size = 128,
		.zero = 0,
		.wipesignatures = 0,
		.activate = 1,
		.discards = -1,
		.errorwhenfull = -1,
	};
	struct tb_lvcreate_opts t = {
		.vg = "vg-a",
		.name = "thin",
		.virtual_size = 65536,
		.pool = "pool",
		.zero = -1,
		.wipesignatures = -1,
		.activate = 1,
		.discards = -1,
		.errorwhenfull = -1,
	};
	char conf[128];
	FILE *f;

	/* threshold 80: the low water mark is 20 % of the pool's 256 blocks */
	snprintf(conf, sizeof(conf), "%s/lvm.conf", e->dir);
	assert_non_null(f = fopen(conf, "w"));
	fputs("activation {\n\tthin_pool_autoextend_threshold = 80\n"
	      "\tthin_pool_autoextend_percent = 20\n}\n",
	      f);
	fclose(f);
	make_vg(e);
	ctx = new_ctx(e);
	assert_int_equal(tb_lvcreate(ctx, &o), 0);
	/* golden: _tdata (4 extents on pv1) and _tmeta (1 extent on pv2) as linear layers,
	 * then the thin-pool over their device numbers (253:0, 253:1): chunk 128 sectors, low
	 * water mark 51 blocks, one feature arg. An unused pool's thin-pool device has the
	 * pool's own name and the uuid suffix -tpool (docs/activation.md). */
	assert_string_equal(e->k.log.buf,
			    "resume vg--a-pool_tmeta LVM-ImcVLv4Rq2fY9vwmXpOjz4K4mfNaIxR9Etwqn6jx5OaHz7xcduloTWbdNwUMQDJ1-tmeta\n"
			    "0 8192 linear 7:1 2048\n"
			    "resume vg--a-pool_tdata LVM-ImcVLv4Rq2fY9vwmXpOjz4K4mfNaIxR9vyUSkOY6UGGdjcPx5I9LwMByuASGLmXL-tdata\n"
			    "0 32768 linear 7:0 2048\n"
			    "resume vg--a-pool LVM-ImcVLv4Rq2fY9vwmXpOjz4K4mfNaIxR9zDAuSJHf4gvI27Q1hUIQ6VZ5VW4wH4Yw-tpool\n"
			    "0 32768 thin-pool 253:0 253:1 128 51 1 skip_block_zeroing\n");
	/* a thin LV: create_thin 1 and the transaction id 0 -> 1, then its thin table */
	strbuf_reset(&e->k.log);
	assert_int_equal(tb_lvcreate(ctx, &t), 0);
	/* golden: the pool's kernel metadata is read through a metadata snapshot (device ids
	 * another program holds), the pool device becomes -tpool, one transaction (create_thin,
	 * then set_transaction_id old new), then the thin table on the pool's device */
	assert_string_equal(e->k.log.buf,
			    "message vg--a-pool reserve_metadata_snap\n"
			    "message vg--a-pool release_metadata_snap\n"
			    "message vg--a-pool reserve_metadata_snap\n"
			    "message vg--a-pool release_metadata_snap\n"
			    "rename vg--a-pool vg--a-pool-tpool\n"
			    "message vg--a-pool-tpool create_thin 1\n"
			    "message vg--a-pool-tpool set_transaction_id 0 1\n"
			    "resume vg--a-thin LVM-ImcVLv4Rq2fY9vwmXpOjz4K4mfNaIxR9og807s40Gql4XlasEnyXl0LwHcxw8045\n"
			    "0 65536 thin 253:2 1\n"
			    /* and, as lvm2, the used pool's own name as a linear view of -tpool */
			    "resume vg--a-pool LVM-ImcVLv4Rq2fY9vwmXpOjz4K4mfNaIxR9zDAuSJHf4gvI27Q1hUIQ6VZ5VW4wH4Yw-pool\n"
			    "0 32768 linear 253:2 0\n");
	assert_int_equal(e->k.tid, 1);
	tb_ctx_unref(ctx);
}

/* tb_pool_autoextend over the threshold in a full VG: -ENOSPC, *ret untouched (written only
 * on success), the reason in reterr, nothing changed. */
static void test_autoextend_full_vg(void **state)
{
	struct env *e = *state;
	struct tb_ctx *ctx;
	struct tb_lvcreate_opts o = {
		.vg = "vg-a",
		.name = "pool",
		.size = { TB_SIZE_EXTENTS, 4, 0 },
		.thin_pool = true,
		.chunk_size = 128,
		.zero = 0,
		.wipesignatures = 0,
		.activate = 1,
		.discards = -1,
		.errorwhenfull = -1,
	};
	struct tb_lvcreate_opts fill = linear("fill", 0);
	struct tb_autoextend_result res, untouched;
	struct tb_autoextend_err why = { 0 };
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	char conf[128];
	uint32_t seqno;
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/lvm.conf", e->dir);
	assert_non_null(f = fopen(conf, "w"));
	fputs("activation {\n\tthin_pool_autoextend_threshold = 80\n"
	      "\tthin_pool_autoextend_percent = 20\n}\n",
	      f);
	fclose(f);
	make_vg(e);
	ctx = new_ctx(e);
	assert_int_equal(tb_lvcreate(ctx, &o), 0);
	fill.size = (struct tb_size){ TB_SIZE_PCT_FREE, 100, 0 };
	fill.activate = 0;
	assert_int_equal(tb_lvcreate(ctx, &fill), 0);
	e->k.used = 250; /* of 256 blocks: over 80 % */

	memset(&res, 0xa5, sizeof(res));
	untouched = res;
	for (int partial = 0; partial <= 1; partial++) {
		assert_int_equal(tb_cmd_begin(ctx, &c, "lvextend"), 0);
		assert_int_equal(tb_vg_read(&c, "vg-a", true, &vg), 0);
		seqno = vg->md->seqno;
		assert_int_equal(tb_pool_autoextend(&c, vg, md_vg_find_lv(vg->md, "pool"), partial,
						    &res, &why),
				 -ENOSPC);
		assert_memory_equal(&res, &untouched, sizeof(res));
		assert_true(why.data_wanted);
		assert_int_equal(why.vg_short, partial == 1); /* partial: cut to what is free */
		assert_false(why.capped);
		assert_int_equal(vg->md->seqno, seqno);
		assert_non_null(strstr(tb_ctx_errmsg(ctx), partial ? "cannot grow" : "Insufficient"));
		tb_vg_free(vg);
		tb_cmd_end(&c);
	}
	tb_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linear_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_autoextend_full_vg, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
