/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fake /dev/mapper/control for kernel-iface unit tests: records every request buffer and
 * lets each test answer through a handler. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel-iface/dmk-internal.h"

#define FAKE_MAX_CALLS 64

struct fake_call {
	unsigned cmd;
	uint8_t *buf; /* copy of the request as sent */
	size_t len;
};

struct fake_dm {
	uint32_t kver[3];
	size_t ncalls;
	struct fake_call calls[FAKE_MAX_CALLS];
	/* answer @cmd in place; return 0 or -errno. NULL: answer 0 with no data. */
	int (*handler)(struct fake_dm *f, unsigned cmd, uint8_t *buf, size_t len);
	void *data;
};

extern const struct dmk_ops fake_ops;
void fake_init(struct fake_dm *f);
void fake_release(struct fake_dm *f);
/* Copy @d as the reply data; sets BUFFER_FULL if it does not fit. Returns 0. */
int fake_reply_data(uint8_t *buf, size_t len, const void *d, size_t dlen);
/* Header field helpers on a raw buffer. */
uint32_t fake_get32(const uint8_t *buf, size_t off);
uint64_t fake_get64(const uint8_t *buf, size_t off);
void fake_put32(uint8_t *buf, size_t off, uint32_t v);
void fake_put64(uint8_t *buf, size_t off, uint64_t v);
/* Offsets in struct dm_ioctl, written out so the tests also pin the ABI layout. */
enum {
	HO_VERSION = 0,
	HO_DATA_SIZE = 12,
	HO_DATA_START = 16,
	HO_TARGET_COUNT = 20,
	HO_OPEN_COUNT = 24,
	HO_FLAGS = 28,
	HO_EVENT_NR = 32,
	HO_PADDING = 36,
	HO_DEV = 40,
	HO_NAME = 48,
	HO_UUID = 176,
	HO_DATA = 305,
	HO_SIZE = 312,
};
