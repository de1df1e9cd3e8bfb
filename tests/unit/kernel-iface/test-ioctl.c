/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: kernel-iface/ioctl.c request encoding and reply decoding against a fake
 * control node, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "kernel-iface/dmk-internal.h"
#include "kernel-iface/dmk.h"

#include "fake-dm.h"

struct fx {
	struct fake_dm f;
	struct dmk_ctx *ctx;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	fake_init(&x->f);
	assert_int_equal(dmk_ctx_new_ops(&fake_ops, &x->f, &x->ctx), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	dmk_ctx_free(x->ctx);
	fake_release(&x->f);
	free(x);
	return 0;
}

/* The header every request must carry, built from named offsets (not the struct). */
static void expect_header(const uint8_t *b, uint32_t minor_req, uint32_t size, uint32_t tcount,
			  uint32_t flags, uint32_t event_nr, const char *name, const char *uuid)
{
	char zero[DMK_UUID_LEN] = { 0 };
	assert_int_equal(fake_get32(b, HO_VERSION), 4);
	assert_int_equal(fake_get32(b, HO_VERSION + 4), minor_req);
	assert_int_equal(fake_get32(b, HO_VERSION + 8), 0);
	assert_int_equal(fake_get32(b, HO_DATA_SIZE), size);
	assert_int_equal(fake_get32(b, HO_DATA_START), HO_SIZE);
	assert_int_equal(fake_get32(b, HO_TARGET_COUNT), tcount);
	assert_int_equal(fake_get32(b, HO_OPEN_COUNT), 0);
	assert_int_equal(fake_get32(b, HO_FLAGS), flags);
	assert_int_equal(fake_get32(b, HO_EVENT_NR), event_nr);
	assert_int_equal(fake_get32(b, HO_PADDING), 0);
	assert_int_equal(fake_get64(b, HO_DEV), 0);
	if (name) {
		assert_memory_equal(b + HO_NAME, name, strlen(name));
		assert_memory_equal(b + HO_NAME + strlen(name), zero, DMK_NAME_LEN - strlen(name));
	} else {
		assert_memory_equal(b + HO_NAME, zero, DMK_NAME_LEN);
	}
	if (uuid) {
		assert_memory_equal(b + HO_UUID, uuid, strlen(uuid));
		assert_memory_equal(b + HO_UUID + strlen(uuid), zero, DMK_UUID_LEN - strlen(uuid));
	} else {
		assert_memory_equal(b + HO_UUID, zero, DMK_UUID_LEN);
	}
	assert_memory_equal(b + HO_DATA, zero, 7);
}

static void test_abi_layout(void **state)
{
	assert_int_equal(sizeof(struct dm_ioctl), HO_SIZE);
	assert_int_equal(offsetof(struct dm_ioctl, name), HO_NAME);
	assert_int_equal(offsetof(struct dm_ioctl, uuid), HO_UUID);
	assert_int_equal(offsetof(struct dm_ioctl, dev), HO_DEV);
	assert_int_equal(sizeof(struct dm_target_spec), 40);
}

static void test_version_checked_once(void **state)
{
	struct fx *x = *state;
	struct dmk_info i;

	assert_int_equal(dmk_info(x->ctx, "a", &i), 0);
	assert_int_equal(dmk_info(x->ctx, "a", &i), 0);
	assert_int_equal(x->f.ncalls, 3);
	assert_int_equal(x->f.calls[0].cmd, DM_VERSION_CMD);
	assert_int_equal(x->f.calls[1].cmd, DM_DEV_STATUS_CMD);
	assert_int_equal(x->f.calls[2].cmd, DM_DEV_STATUS_CMD);
	expect_header(x->f.calls[0].buf, 0, DMK_BUF_INITIAL, 0, 0, 0, NULL, NULL);
	expect_header(x->f.calls[1].buf, 0, DMK_BUF_INITIAL, 0, 0, 0, "a", NULL);
}

static void test_version_major_mismatch(void **state)
{
	struct fx *x = *state;
	struct dmk_info i;

	x->f.kver[0] = 5;
	assert_int_equal(dmk_info(x->ctx, "a", &i), -EOPNOTSUPP);
	assert_non_null(strstr(dmk_errmsg(x->ctx), "5.48.0"));
	assert_int_equal(x->f.ncalls, 1);
}

static void test_arm_poll_needs_4_37(void **state)
{
	struct fx *x = *state;

	x->f.kver[1] = 36;
	assert_int_equal(dmk_arm_poll(x->ctx), -EOPNOTSUPP);
	x->f.kver[1] = 48;
	struct dmk_ctx *c2;
	assert_int_equal(dmk_ctx_new_ops(&fake_ops, &x->f, &c2), 0);
	assert_int_equal(dmk_arm_poll(c2), 0);
	assert_int_equal(x->f.calls[x->f.ncalls - 1].cmd, DM_DEV_ARM_POLL_CMD);
	expect_header(x->f.calls[x->f.ncalls - 1].buf, 37, DMK_BUF_INITIAL, 0, 0, 0, NULL, NULL);
	dmk_ctx_free(c2);
}

static int reply_create(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	fake_put64(buf, HO_DEV, dmk_dev_encode(makedev(253, 300)));
	fake_put32(buf, HO_FLAGS, fake_get32(buf, HO_FLAGS) | DM_UEVENT_GENERATED_FLAG);
	fake_put32(buf, HO_EVENT_NR, 0);
	return 0;
}

static void test_create_encoding(void **state)
{
	struct fx *x = *state;
	struct dmk_info i;

	x->f.handler = reply_create;
	assert_int_equal(dmk_create(x->ctx, "tbt-a", "TB-uuid-1", 0, &i), 0);
	assert_int_equal(x->f.calls[1].cmd, DM_DEV_CREATE_CMD);
	expect_header(x->f.calls[1].buf, 0, DMK_BUF_INITIAL, 0, 0, 0, "tbt-a", "TB-uuid-1");
	/* no payload: the whole data area is zero */
	for (size_t k = HO_SIZE; k < DMK_BUF_INITIAL; k++)
		assert_int_equal(x->f.calls[1].buf[k], 0);
	assert_int_equal(major(i.dev), 253);
	assert_int_equal(minor(i.dev), 300);
	assert_string_equal(i.name, "tbt-a");
	assert_string_equal(i.uuid, "TB-uuid-1");
}

static void test_name_checks(void **state)
{
	struct fx *x = *state;
	char longname[200];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(dmk_create(x->ctx, longname, NULL, 0, NULL), -EINVAL);
	assert_int_equal(dmk_create(x->ctx, "a/b", NULL, 0, NULL), -EINVAL);
	assert_int_equal(dmk_create(x->ctx, "", NULL, 0, NULL), -EINVAL);
	assert_int_equal(dmk_remove(x->ctx, "..", 0), -EINVAL);
	assert_int_equal(x->f.ncalls, 0);
	longname[DMK_NAME_LEN - 1] = '\0'; /* 127 characters: the longest allowed */
	assert_int_equal(dmk_create(x->ctx, longname, NULL, 0, NULL), 0);
}

static void test_load_encoding(void **state)
{
	struct fx *x = *state;
	struct dmk_target t[2] = {
		{ .start = 0, .len = 100, .type = "linear", .params = (char *)"7:0 0" },
		{ .start = 100, .len = 50, .type = "thin-pool",
		  .params = (char *)"7:1 7:2 128 64 1 skip_block_zeroing" },
	};
	const uint8_t *b, *s0, *s1;
	size_t n0 = 40 + ROUND_UP(strlen("7:0 0") + 1, 8);
	size_t n1 = 40 + ROUND_UP(strlen(t[1].params) + 1, 8);

	assert_int_equal(dmk_load(x->ctx, "tbt-a", t, 2, DMK_READONLY), 0);
	assert_int_equal(x->f.calls[1].cmd, DM_TABLE_LOAD_CMD);
	b = x->f.calls[1].buf;
	expect_header(b, 0, DMK_BUF_INITIAL, 2, DM_READONLY_FLAG, 0, "tbt-a", NULL);
	s0 = b + HO_SIZE;
	assert_int_equal(fake_get64(s0, 0), 0);
	assert_int_equal(fake_get64(s0, 8), 100);
	assert_int_equal(fake_get32(s0, 16), 0);
	assert_int_equal(fake_get32(s0, 20), n0); /* relative to this spec */
	assert_int_equal(n0 % 8, 0);
	assert_memory_equal(s0 + 24, "linear\0\0\0\0\0\0\0\0\0\0", 16);
	assert_memory_equal(s0 + 40, "7:0 0\0\0\0", 8);
	s1 = s0 + n0;
	assert_int_equal(fake_get64(s1, 0), 100);
	assert_int_equal(fake_get64(s1, 8), 50);
	assert_int_equal(fake_get32(s1, 20), n1);
	assert_memory_equal(s1 + 24, "thin-pool\0\0\0\0\0\0\0", 16);
	assert_string_equal((const char *)s1 + 40, t[1].params);
	for (size_t k = HO_SIZE + n0 + n1; k < DMK_BUF_INITIAL; k++)
		assert_int_equal(b[k], 0);
}

static void test_load_bad_type(void **state)
{
	struct fx *x = *state;
	struct dmk_target t = { .start = 0, .len = 1, .type = "", .params = (char *)"" };
	assert_int_equal(dmk_load(x->ctx, "a", &t, 1, 0), -EINVAL);
	assert_int_equal(dmk_load(x->ctx, "a", &t, 1, 0x100), -EINVAL);
}

static void test_big_load_grows_buffer(void **state)
{
	struct fx *x = *state;
	size_t n = 1000;
	struct dmk_target *t = calloc(n, sizeof(*t));

	for (size_t i = 0; i < n; i++) {
		t[i].start = i * 8;
		t[i].len = 8;
		strcpy(t[i].type, "linear");
		t[i].params = (char *)"253:0 123456789";
	}
	assert_int_equal(dmk_load(x->ctx, "big", t, n, 0), 0);
	assert_int_equal(x->f.calls[1].len, HO_SIZE + n * (40 + 16));
	assert_int_equal(fake_get32(x->f.calls[1].buf, HO_DATA_SIZE), HO_SIZE + n * 56);
	free(t);
}

static void test_suspend_resume_flags(void **state)
{
	struct fx *x = *state;

	assert_int_equal(dmk_suspend(x->ctx, "a", DMK_NOFLUSH | DMK_SKIP_LOCKFS), 0);
	expect_header(x->f.calls[1].buf, 0, DMK_BUF_INITIAL, 0,
		      DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG | DM_SKIP_LOCKFS_FLAG, 0, "a", NULL);
	assert_int_equal(dmk_suspend(x->ctx, "a", 0), 0);
	expect_header(x->f.calls[2].buf, 0, DMK_BUF_INITIAL, 0, DM_SUSPEND_FLAG, 0, "a", NULL);
	assert_int_equal(dmk_resume(x->ctx, "a", 0x0d4d1234, NULL), 0);
	expect_header(x->f.calls[3].buf, 0, DMK_BUF_INITIAL, 0, 0, 0x0d4d1234, "a", NULL);
	assert_int_equal(x->f.calls[3].cmd, DM_DEV_SUSPEND_CMD);
	assert_int_equal(dmk_remove(x->ctx, "a", DMK_DEFERRED), 0);
	expect_header(x->f.calls[4].buf, 0, DMK_BUF_INITIAL, 0, DM_DEFERRED_REMOVE, 0, "a", NULL);
	assert_int_equal(dmk_clear(x->ctx, "a"), 0);
	assert_int_equal(x->f.calls[5].cmd, DM_TABLE_CLEAR_CMD);
	assert_int_equal(dmk_wait_event(x->ctx, "a", 7, NULL), 0);
	assert_int_equal(x->f.calls[6].cmd, DM_DEV_WAIT_CMD);
	expect_header(x->f.calls[6].buf, 0, DMK_BUF_INITIAL, 0, 0, 7, "a", NULL);
}

static void test_message_and_rename_encoding(void **state)
{
	struct fx *x = *state;
	const uint8_t *b;

	assert_int_equal(dmk_thin_msg_create_snap(x->ctx, "pool", 2, 1), 0);
	b = x->f.calls[1].buf;
	assert_int_equal(x->f.calls[1].cmd, DM_TARGET_MSG_CMD);
	expect_header(b, 1, DMK_BUF_INITIAL, 0, 0, 0, "pool", NULL);
	assert_int_equal(fake_get64(b, HO_SIZE), 0);
	assert_memory_equal(b + HO_SIZE + 8, "create_snap 2 1\0", 16);

	assert_int_equal(dmk_message(x->ctx, "pool", 77, "hello", NULL), 0);
	assert_int_equal(fake_get64(x->f.calls[2].buf, HO_SIZE), 77);

	assert_int_equal(dmk_rename(x->ctx, "old", "new"), 0);
	b = x->f.calls[3].buf;
	assert_int_equal(x->f.calls[3].cmd, DM_DEV_RENAME_CMD);
	expect_header(b, 0, DMK_BUF_INITIAL, 0, 0, 0, "old", NULL);
	assert_memory_equal(b + HO_SIZE, "new\0", 4);
	assert_int_equal(dmk_rename(x->ctx, "old", "a/b"), -EINVAL);

	assert_int_equal(dmk_thin_msg_set_transaction_id(x->ctx, "pool", 3, 4), 0);
	assert_string_equal((const char *)x->f.calls[4].buf + HO_SIZE + 8,
			    "set_transaction_id 3 4");
	assert_int_equal(dmk_thin_msg_create_thin(x->ctx, "pool", 1U << 24), -EINVAL);
}

/* A two-line status that needs 20000 bytes: first answer BUFFER_FULL. */
static int reply_status(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	static uint8_t data[20000];
	size_t off = 0, p1len = 17000;
	uint8_t *s;

	if (cmd != DM_TABLE_STATUS_CMD)
		return 0;
	memset(data, 0, sizeof(data));
	s = data;
	fake_put64(s, 0, 0);
	fake_put64(s, 8, 1024);
	memcpy(s + 24, "thin-pool", 9);
	memset(s + 40, 'x', p1len);
	off = ROUND_UP(40 + p1len + 1, 8);
	fake_put32(s, 20, (uint32_t)off); /* offsets from the first spec in replies */
	s = data + off;
	fake_put64(s, 0, 1024);
	fake_put64(s, 8, 2048);
	memcpy(s + 24, "linear", 6);
	strcpy((char *)s + 40, "7:0 0");
	fake_put32(s, 20, (uint32_t)(off + 48));
	fake_put32(buf, HO_TARGET_COUNT, 2);
	fake_put32(buf, HO_FLAGS, fake_get32(buf, HO_FLAGS) | DM_ACTIVE_PRESENT_FLAG);
	return fake_reply_data(buf, len, data, off + 48);
}

static void test_status_buffer_full_retry(void **state)
{
	struct fx *x = *state;
	struct dmk_target *t;
	size_t n;

	x->f.handler = reply_status;
	assert_int_equal(dmk_table(x->ctx, "pool", 0, &t, &n), 0);
	assert_int_equal(x->f.ncalls, 3);
	assert_int_equal(x->f.calls[1].len, 16384);
	assert_int_equal(x->f.calls[2].len, 32768);
	expect_header(x->f.calls[2].buf, 0, 32768, 0, DM_STATUS_TABLE_FLAG, 0, "pool", NULL);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].len, 1024);
	assert_string_equal(t[0].type, "thin-pool");
	assert_int_equal(strlen(t[0].params), 17000);
	assert_int_equal(t[1].start, 1024);
	assert_string_equal(t[1].type, "linear");
	assert_string_equal(t[1].params, "7:0 0");
	dmk_targets_free(t, n);

	assert_int_equal(dmk_status(x->ctx, "pool", DMK_NOFLUSH, &t, &n), 0);
	assert_int_equal(fake_get32(x->f.calls[4].buf, HO_FLAGS), DM_NOFLUSH_FLAG);
	dmk_targets_free(t, n);
}

static int reply_bad_status(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	uint8_t data[128] = { 0 };
	int mode = *(int *)f->data;

	if (cmd != DM_TABLE_STATUS_CMD)
		return 0;
	fake_put64(data, 8, 10);
	memcpy(data + 24, "linear", 6);
	if (mode == 0) {
		/* claims 3 targets in 48 bytes */
		fake_put32(buf, HO_TARGET_COUNT, 3);
		strcpy((char *)data + 40, "abc");
		fake_put32(data, 20, 48);
		return fake_reply_data(buf, len, data, 48);
	}
	if (mode == 1) {
		/* next points backwards */
		fake_put32(buf, HO_TARGET_COUNT, 2);
		fake_put32(data, 20, 0);
		return fake_reply_data(buf, len, data, 96);
	}
	/* params without NUL at the end of the data */
	fake_put32(buf, HO_TARGET_COUNT, 1);
	memset(data + 40, 'y', 8);
	return fake_reply_data(buf, len, data, 48);
}

static void test_status_malformed(void **state)
{
	struct fx *x = *state;
	struct dmk_target *t = NULL;
	size_t n;
	int mode;

	x->f.handler = reply_bad_status;
	x->f.data = &mode;
	for (mode = 0; mode < 3; mode++) {
		assert_int_equal(dmk_status(x->ctx, "d", 0, &t, &n), -EBADMSG);
		assert_null(t);
		assert_non_null(strstr(dmk_errmsg(x->ctx), "'d'"));
	}
	x->f.data = NULL;
}

static int reply_list(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	uint8_t data[256] = { 0 };
	size_t off = 0, p;

	if (cmd != DM_LIST_DEVICES_CMD)
		return 0;
	assert_int_equal(fake_get32(buf, HO_FLAGS), DM_UUID_FLAG);
	/* "pool" 253:0 event 5, uuid "U1" */
	fake_put64(data, 0, dmk_dev_encode(makedev(253, 0)));
	strcpy((char *)data + 12, "pool");
	p = ROUND_UP(12 + 5, 8);
	fake_put32(data, p, 5);
	fake_put32(data, p + 4, DM_NAME_LIST_FLAG_HAS_UUID);
	strcpy((char *)data + p + 8, "U1");
	off = ROUND_UP(p + 8 + 3, 8);
	fake_put32(data, 8, (uint32_t)off);
	/* "thin" 253:1 event 0, no uuid, last */
	fake_put64(data, off, dmk_dev_encode(makedev(253, 1)));
	strcpy((char *)data + off + 12, "thin");
	p = ROUND_UP(off + 12 + 5, 8);
	fake_put32(data, p, 0);
	fake_put32(data, p + 4, DM_NAME_LIST_FLAG_DOESNT_HAVE_UUID);
	return fake_reply_data(buf, len, data, p + 8);
}

static void test_list_devices(void **state)
{
	struct fx *x = *state;
	struct dmk_dev *d;
	size_t n;

	x->f.handler = reply_list;
	assert_int_equal(dmk_list_devices(x->ctx, &d, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].name, "pool");
	assert_string_equal(d[0].uuid, "U1");
	assert_int_equal(d[0].event_nr, 5);
	assert_true(d[0].has_event_nr);
	assert_int_equal(minor(d[0].dev), 0);
	assert_string_equal(d[1].name, "thin");
	assert_string_equal(d[1].uuid, "");
	assert_int_equal(minor(d[1].dev), 1);
	free(d);
}

static void test_list_devices_empty(void **state)
{
	struct fx *x = *state;
	struct dmk_dev *d = (void *)1;
	size_t n = 9;

	/* the fake's default reply leaves a zeroed data area: dev == 0 means "none" */
	assert_int_equal(dmk_list_devices(x->ctx, &d, &n), 0);
	assert_int_equal(n, 0);
	free(d);
}

static int reply_targets(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	uint8_t data[128] = { 0 };

	if (cmd != DM_LIST_VERSIONS_CMD)
		return 0;
	fake_put32(data, 0, 24);
	fake_put32(data, 4, 1);
	fake_put32(data, 8, 23);
	fake_put32(data, 12, 0);
	strcpy((char *)data + 16, "thin");
	fake_put32(data, 24, 0);
	fake_put32(data, 28, 1);
	fake_put32(data, 32, 4);
	fake_put32(data, 36, 0);
	strcpy((char *)data + 40, "linear");
	return fake_reply_data(buf, len, data, 48);
}

static void test_list_targets(void **state)
{
	struct fx *x = *state;
	struct dmk_target_version *v;
	size_t n;

	x->f.handler = reply_targets;
	assert_int_equal(dmk_list_targets(x->ctx, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "thin");
	assert_int_equal(v[0].version[1], 23);
	assert_string_equal(v[1].name, "linear");
	assert_int_equal(v[1].version[1], 4);
	free(v);
	expect_header(x->f.calls[1].buf, 2, DMK_BUF_INITIAL, 0, 0, 0, NULL, NULL);
}

static int reply_deps(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	uint8_t data[32] = { 0 };
	if (cmd != DM_TABLE_DEPS_CMD)
		return 0;
	fake_put32(data, 0, 2);
	fake_put64(data, 8, dmk_dev_encode(makedev(7, 0)));
	fake_put64(data, 16, dmk_dev_encode(makedev(259, 1048575)));
	return fake_reply_data(buf, len, data, 24);
}

static void test_deps(void **state)
{
	struct fx *x = *state;
	dev_t *d;
	size_t n;

	x->f.handler = reply_deps;
	assert_int_equal(dmk_deps(x->ctx, "a", &d, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0], makedev(7, 0));
	assert_int_equal(d[1], makedev(259, 1048575));
	free(d);
}

static int reply_errno(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	return *(int *)f->data;
}

static void test_errors_keep_errno(void **state)
{
	struct fx *x = *state;
	struct dmk_info i;
	int err;

	x->f.handler = reply_errno;
	x->f.data = &err;
	err = -EBUSY;
	assert_int_equal(dmk_remove(x->ctx, "tbt-open", 0), -EBUSY);
	assert_non_null(strstr(dmk_errmsg(x->ctx), "remove device 'tbt-open'"));
	assert_non_null(strstr(dmk_errmsg(x->ctx), "DM_DEV_REMOVE"));
	err = -ENXIO;
	assert_int_equal(dmk_info(x->ctx, "tbt-none", &i), -ENXIO);
	assert_non_null(strstr(dmk_errmsg(x->ctx), "'tbt-none'"));
	err = -EEXIST;
	assert_int_equal(dmk_create(x->ctx, "tbt-dup", NULL, 0, NULL), -EEXIST);
	assert_non_null(strstr(dmk_errmsg(x->ctx), "exists"));
	err = -EINVAL;
	x->f.data = &err;
	struct dmk_target t = { 0, 1, "bogus", (char *)"" };
	assert_int_equal(dmk_load(x->ctx, "tbt-bad", &t, 1, 0), -EINVAL);
	assert_non_null(strstr(dmk_errmsg(x->ctx), "refused the table"));
}

static int reply_msg(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len)
{
	if (cmd != DM_TARGET_MSG_CMD)
		return 0;
	fake_put32(buf, HO_FLAGS, fake_get32(buf, HO_FLAGS) | DM_DATA_OUT_FLAG);
	return fake_reply_data(buf, len, "pong", 5);
}

static void test_message_reply(void **state)
{
	struct fx *x = *state;
	char *reply = NULL;

	x->f.handler = reply_msg;
	assert_int_equal(dmk_message(x->ctx, "a", 0, "ping", &reply), 0);
	assert_string_equal(reply, "pong");
	free(reply);
	assert_int_equal(dmk_message(x->ctx, "a", 0, "", &reply), -EINVAL);
}

static void collect(void *userdata, const char *line)
{
	struct strbuf_like {
		char text[8192];
	} *s = userdata;
	strncat(s->text, line, sizeof(s->text) - strlen(s->text) - 2);
	strcat(s->text, "\n");
}

static void test_trace(void **state)
{
	struct fx *x = *state;
	struct {
		char text[8192];
	} out = { { 0 } };
	struct dmk_target t = { 0, 2048, "linear", (char *)"7:0 0" };
	int err = -EBUSY;

	dmk_set_trace_fn(x->ctx, collect, &out);
	assert_int_equal(dmk_load(x->ctx, "tbt-lin", &t, 1, 0), 0);
	assert_int_equal(dmk_thin_msg_delete(x->ctx, "tbt-pool", 3), 0);
	x->f.handler = reply_errno;
	x->f.data = &err;
	assert_int_equal(dmk_remove(x->ctx, "tbt-lin", DMK_DEFERRED), -EBUSY);
	assert_non_null(strstr(out.text, "dm> DM_VERSION flags=-\n"));
	assert_non_null(strstr(out.text, "dm> DM_TABLE_LOAD name=\"tbt-lin\" flags=- targets=1 "
					 "version=4.0.0\ndm>   target 0 2048 linear 7:0 0\n"
					 "dm< DM_TABLE_LOAD = 0 ("));
	assert_non_null(strstr(out.text, "dm>   message sector=0 \"delete 3\"\n"));
	assert_non_null(strstr(out.text, "dm> DM_DEV_REMOVE name=\"tbt-lin\" flags=DEFERRED_REMOVE"));
	assert_non_null(strstr(out.text, "dm< DM_DEV_REMOVE = -EBUSY (Device or resource busy) ("));
}

static void test_dev_encoding(void **state)
{
	assert_int_equal(dmk_dev_encode(makedev(253, 2)), 0xfd02);
	assert_int_equal(dmk_dev_encode(makedev(253, 0x12345)), 0x1230fd45);
	assert_int_equal(dmk_dev_decode(0x1230fd45), makedev(253, 0x12345));
	assert_int_equal(dmk_dev_decode(dmk_dev_encode(makedev(4095, 1048575))),
			 makedev(4095, 1048575));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abi_layout),
		cmocka_unit_test(test_dev_encoding),
		cmocka_unit_test_setup_teardown(test_version_checked_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_major_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arm_poll_needs_4_37, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_bad_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_load_grows_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspend_resume_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_and_rename_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_buffer_full_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_devices_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_keep_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
