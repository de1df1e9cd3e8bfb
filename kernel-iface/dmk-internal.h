/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kernel-iface internals: the context and the one ioctl funnel. Shared by the kernel-iface .c files
 * and the unit tests, nobody else. */
#pragma once

#include <linux/dm-ioctl.h>
#include <stdarg.h>

#include "util/macros.h"

#include "dmk.h"

#define DMK_BUF_INITIAL (16U * 1024)
#define DMK_BUF_MAX (32U * 1024 * 1024)
#define DMK_HDR_SIZE sizeof(struct dm_ioctl)
#define DMK_SPEC_SIZE sizeof(struct dm_target_spec)

struct dmk_ctx {
	const struct dmk_ops *ops;
	void *h;
	int fd; /* /dev/mapper/control, -1 until first use (real backend only) */
	bool real;
	bool version_checked;
	uint32_t kversion[3];
	FILE *trace;
	void (*trace_fn)(void *userdata, const char *line);
	void *trace_data;
	char dev_dir[256];
	char errmsg[1024];
};

/* One request: the header fields we set, and the payload after the header. */
struct dmk_req {
	unsigned cmd;          /* DM_*_CMD */
	const char *name;      /* or NULL */
	const char *uuid;      /* or NULL */
	uint32_t flags;        /* DM_*_FLAG, masked by the command's allowed set */
	uint32_t event_nr;     /* event number or udev cookie */
	uint64_t dev;          /* kernel encoding */
	uint32_t target_count; /* DM_TABLE_LOAD */
	const void *payload;   /* copied after the header */
	size_t payload_len;
};

/* The reply: a copy of the header and the whole buffer (data at hdr.data_start up to
 * hdr.data_size, both already checked against len). */
struct dmk_reply {
	struct dm_ioctl hdr;
	uint8_t *buf;
	size_t len;
};

/* Run one request: build the buffer (16 KiB, or bigger when the payload needs it), call
 * ops->ioctl, double it on DM_BUFFER_FULL_FLAG up to DMK_BUF_MAX, check the interface version
 * once. Returns 0 or -errno, with the message "<what> '<name>': <reason>" in ctx->errmsg.
 * @what describes the operation for messages ("create device"). @ret may be NULL; when set,
 * the caller frees ret->buf. */
int dmk_run(struct dmk_ctx *ctx, const struct dmk_req *req, const char *what, struct dmk_reply *ret);
/* The bytes of a request exactly as dmk_run sends them (for tests): caller frees. */
int dmk_build_request(const struct dmk_req *req, size_t bufsize, uint8_t **ret, size_t *ret_len);
/* The payload of a DM_TABLE_LOAD for @t[0..n). Caller frees. */
int dmk_encode_targets(const struct dmk_target *t, size_t n, uint8_t **ret, size_t *ret_len);
/* Decode the spec chain of a DM_TABLE_STATUS reply. */
int dmk_decode_targets(const struct dmk_reply *r, struct dmk_target **ret, size_t *ret_n);
void dmk_reply_info(const struct dmk_reply *r, struct dmk_info *ret);
static inline void dmk_reply_release(struct dmk_reply *r)
{
	free(r->buf);
	r->buf = NULL;
}

int dmk_fail(struct dmk_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);

/* trace.c */
bool dmk_tracing(const struct dmk_ctx *ctx);
void dmk_trace_line(struct dmk_ctx *ctx, const char *fmt, ...) _printf_(2, 3);
void dmk_trace_request(struct dmk_ctx *ctx, unsigned cmd, const uint8_t *buf, size_t len);
void dmk_trace_reply(struct dmk_ctx *ctx, unsigned cmd, int r, const uint8_t *buf, size_t len,
		     double ms);
const char *dmk_cmd_name(unsigned cmd);
