/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ioctl trace: one request line, its payload lines, one reply line, its data lines.
 * The format is part of the interface (people study device-mapper with it), keep it stable:
 *
 *   dm> DM_TABLE_LOAD name="tbt-lin" flags=READONLY targets=1
 *   dm>   target 0 2048 linear 7:0 0
 *   dm< DM_TABLE_LOAD = 0 (0.052 ms) flags=INACTIVE_PRESENT|READONLY event_nr=0 open=0 ...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "util/strbuf.h"

#include "dmk-internal.h"

bool dmk_tracing(const struct dmk_ctx *ctx)
{
	return ctx->trace || ctx->trace_fn;
}

void dmk_trace_line(struct dmk_ctx *ctx, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ctx->trace_fn) {
		ctx->trace_fn(ctx->trace_data, line);
	} else if (ctx->trace) {
		fprintf(ctx->trace, "%s\n", line);
		fflush(ctx->trace);
	}
}

const char *dmk_cmd_name(unsigned cmd)
{
	static const char *const names[] = {
		[DM_VERSION_CMD] = "DM_VERSION",
		[DM_REMOVE_ALL_CMD] = "DM_REMOVE_ALL",
		[DM_LIST_DEVICES_CMD] = "DM_LIST_DEVICES",
		[DM_DEV_CREATE_CMD] = "DM_DEV_CREATE",
		[DM_DEV_REMOVE_CMD] = "DM_DEV_REMOVE",
		[DM_DEV_RENAME_CMD] = "DM_DEV_RENAME",
		[DM_DEV_SUSPEND_CMD] = "DM_DEV_SUSPEND",
		[DM_DEV_STATUS_CMD] = "DM_DEV_STATUS",
		[DM_DEV_WAIT_CMD] = "DM_DEV_WAIT",
		[DM_TABLE_LOAD_CMD] = "DM_TABLE_LOAD",
		[DM_TABLE_CLEAR_CMD] = "DM_TABLE_CLEAR",
		[DM_TABLE_DEPS_CMD] = "DM_TABLE_DEPS",
		[DM_TABLE_STATUS_CMD] = "DM_TABLE_STATUS",
		[DM_LIST_VERSIONS_CMD] = "DM_LIST_VERSIONS",
		[DM_TARGET_MSG_CMD] = "DM_TARGET_MSG",
		[DM_DEV_SET_GEOMETRY_CMD] = "DM_DEV_SET_GEOMETRY",
		[DM_DEV_ARM_POLL_CMD] = "DM_DEV_ARM_POLL",
		[DM_GET_TARGET_VERSION_CMD] = "DM_GET_TARGET_VERSION",
	};
	if (cmd < ARRAY_SIZE(names) && names[cmd])
		return names[cmd];
	return "DM_UNKNOWN";
}

static void flags_str(uint32_t flags, char *out, size_t outlen)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ DM_READONLY_FLAG, "READONLY" },
		{ DM_SUSPEND_FLAG, "SUSPEND" },
		{ DM_PERSISTENT_DEV_FLAG, "PERSISTENT_DEV" },
		{ DM_STATUS_TABLE_FLAG, "STATUS_TABLE" },
		{ DM_ACTIVE_PRESENT_FLAG, "ACTIVE_PRESENT" },
		{ DM_INACTIVE_PRESENT_FLAG, "INACTIVE_PRESENT" },
		{ DM_BUFFER_FULL_FLAG, "BUFFER_FULL" },
		{ DM_SKIP_BDGET_FLAG, "SKIP_BDGET" },
		{ DM_SKIP_LOCKFS_FLAG, "SKIP_LOCKFS" },
		{ DM_NOFLUSH_FLAG, "NOFLUSH" },
		{ DM_QUERY_INACTIVE_TABLE_FLAG, "QUERY_INACTIVE_TABLE" },
		{ DM_UEVENT_GENERATED_FLAG, "UEVENT_GENERATED" },
		{ DM_UUID_FLAG, "UUID" },
		{ DM_SECURE_DATA_FLAG, "SECURE_DATA" },
		{ DM_DATA_OUT_FLAG, "DATA_OUT" },
		{ DM_DEFERRED_REMOVE, "DEFERRED_REMOVE" },
		{ DM_INTERNAL_SUSPEND_FLAG, "INTERNAL_SUSPEND" },
	};
	size_t l = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(flags & bits[i].bit))
			continue;
		flags &= ~bits[i].bit;
		l += (size_t)snprintf(out + l, outlen - MIN(l, outlen), "%s%s", l ? "|" : "",
				      bits[i].name);
		if (l >= outlen)
			return;
	}
	if (flags)
		l += (size_t)snprintf(out + l, outlen - MIN(l, outlen), "%s0x%x", l ? "|" : "",
				      flags);
	if (l == 0)
		snprintf(out, outlen, "-");
}

static const char *errno_name(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

void dmk_trace_request(struct dmk_ctx *ctx, unsigned cmd, const uint8_t *buf, size_t len)
{
	struct dm_ioctl h;
	char fl[256], name[DM_NAME_LEN], uuid[DM_UUID_LEN];
	struct strbuf sb = { 0 };

	if (len < DMK_HDR_SIZE)
		return;
	memcpy(&h, buf, sizeof(h));
	snprintf(name, sizeof(name), "%.*s", (int)sizeof(h.name), h.name);
	snprintf(uuid, sizeof(uuid), "%.*s", (int)sizeof(h.uuid), h.uuid);
	flags_str(h.flags, fl, sizeof(fl));
	strbuf_appendf(&sb, "dm> %s", dmk_cmd_name(cmd));
	if (name[0])
		strbuf_appendf(&sb, " name=\"%s\"", name);
	if (uuid[0])
		strbuf_appendf(&sb, " uuid=\"%s\"", uuid);
	strbuf_appendf(&sb, " flags=%s", fl);
	if (h.event_nr)
		strbuf_appendf(&sb, " %s=%u", cmd == DM_DEV_WAIT_CMD ? "event_nr" : "cookie",
			       h.event_nr);
	if (h.dev)
		strbuf_appendf(&sb, " dev=%u:%u", major(dmk_dev_decode(h.dev)),
			       minor(dmk_dev_decode(h.dev)));
	if (cmd == DM_TABLE_LOAD_CMD)
		strbuf_appendf(&sb, " targets=%u", h.target_count);
	if (cmd != DM_VERSION_CMD)
		strbuf_appendf(&sb, " version=%u.%u.%u", h.version[0], h.version[1], h.version[2]);
	if (strbuf_ok(&sb))
		dmk_trace_line(ctx, "%s", strbuf_str(&sb));
	strbuf_release(&sb);

	const uint8_t *data = buf + DMK_HDR_SIZE;
	size_t dlen = len - DMK_HDR_SIZE;
	if (cmd == DM_TABLE_LOAD_CMD) {
		size_t off = 0;
		for (uint32_t i = 0; i < h.target_count; i++) {
			struct dm_target_spec sp;
			if (off > dlen || dlen - off < DMK_SPEC_SIZE)
				break;
			memcpy(&sp, data + off, sizeof(sp));
			dmk_trace_line(ctx, "dm>   target %" PRIu64 " %" PRIu64 " %.*s %.*s",
				       (uint64_t)sp.sector_start, (uint64_t)sp.length,
				       DM_MAX_TYPE_NAME, sp.target_type,
				       (int)strnlen((const char *)data + off + DMK_SPEC_SIZE,
						    dlen - off - DMK_SPEC_SIZE),
				       (const char *)data + off + DMK_SPEC_SIZE);
			if (sp.next == 0)
				break;
			off += sp.next;
		}
	} else if (cmd == DM_TARGET_MSG_CMD && dlen > 8) {
		uint64_t sector;
		memcpy(&sector, data, 8);
		dmk_trace_line(ctx, "dm>   message sector=%" PRIu64 " \"%.*s\"", sector,
			       (int)strnlen((const char *)data + 8, dlen - 8),
			       (const char *)data + 8);
	} else if (cmd == DM_DEV_RENAME_CMD && dlen > 0) {
		dmk_trace_line(ctx, "dm>   new %s \"%.*s\"",
			       (h.flags & DM_UUID_FLAG) ? "uuid" : "name",
			       (int)strnlen((const char *)data, dlen), (const char *)data);
	}
}

static void trace_reply_data(struct dmk_ctx *ctx, unsigned cmd, const struct dmk_reply *r)
{
	size_t dlen = r->hdr.data_size > r->hdr.data_start ? r->hdr.data_size - r->hdr.data_start
							   : 0;
	const uint8_t *data = r->buf + r->hdr.data_start;

	switch (cmd) {
	case DM_TABLE_STATUS_CMD:
	case DM_DEV_WAIT_CMD: {
		struct dmk_target *t = NULL;
		size_t n = 0;
		const char *what = (r->hdr.flags & DM_STATUS_TABLE_FLAG) ? "table" : "status";
		if (dmk_decode_targets(r, &t, &n) < 0) {
			dmk_trace_line(ctx, "dm<   (malformed target list)");
			break;
		}
		for (size_t i = 0; i < n; i++)
			dmk_trace_line(ctx, "dm<   %s %" PRIu64 " %" PRIu64 " %s %s", what,
				       t[i].start, t[i].len, t[i].type, t[i].params);
		dmk_targets_free(t, n);
		break;
	}
	case DM_TARGET_MSG_CMD:
		if ((r->hdr.flags & DM_DATA_OUT_FLAG) && dlen)
			dmk_trace_line(ctx, "dm<   reply \"%.*s\"",
				       (int)strnlen((const char *)data, dlen), (const char *)data);
		break;
	case DM_TABLE_DEPS_CMD:
		if (dlen >= 8) {
			uint32_t count;
			memcpy(&count, data, 4);
			for (uint32_t i = 0; i < count && 8 + 8 * (size_t)i + 8 <= dlen; i++) {
				uint64_t k;
				memcpy(&k, data + 8 + 8 * (size_t)i, 8);
				dmk_trace_line(ctx, "dm<   dep %u:%u", major(dmk_dev_decode(k)),
					       minor(dmk_dev_decode(k)));
			}
		}
		break;
	case DM_LIST_DEVICES_CMD:
	case DM_LIST_VERSIONS_CMD: {
		/* names only; the typed decoders check the rest */
		size_t off = 0, hl = cmd == DM_LIST_DEVICES_CMD ? 12 : 16;
		while (dlen - off > hl) {
			uint32_t next;
			uint64_t kdev = 0;
			const char *nm = (const char *)data + off + hl;
			memcpy(&next, data + off + (cmd == DM_LIST_DEVICES_CMD ? 8 : 0), 4);
			if (cmd == DM_LIST_DEVICES_CMD) {
				memcpy(&kdev, data + off, 8);
				if (kdev == 0)
					break;
				dmk_trace_line(ctx, "dm<   device %.*s %u:%u",
					       (int)strnlen(nm, dlen - off - hl), nm,
					       major(dmk_dev_decode(kdev)),
					       minor(dmk_dev_decode(kdev)));
			} else {
				uint32_t v[3];
				memcpy(v, data + off + 4, 12);
				dmk_trace_line(ctx, "dm<   target-type %.*s v%u.%u.%u",
					       (int)strnlen(nm, dlen - off - hl), nm, v[0], v[1],
					       v[2]);
			}
			if (next == 0 || next > dlen - off)
				break;
			off += next;
		}
		break;
	}
	default:
		break;
	}
}

void dmk_trace_reply(struct dmk_ctx *ctx, unsigned cmd, int r, const uint8_t *buf, size_t len,
		     double ms)
{
	struct dmk_reply rep = { 0 };
	char fl[256];

	if (r < 0) {
		dmk_trace_line(ctx, "dm< %s = -%s (%s) (%.3f ms)", dmk_cmd_name(cmd),
			       errno_name(-r), strerror(-r), ms);
		return;
	}
	if (len < DMK_HDR_SIZE)
		return;
	memcpy(&rep.hdr, buf, sizeof(rep.hdr));
	flags_str(rep.hdr.flags, fl, sizeof(fl));
	if (cmd == DM_VERSION_CMD) {
		dmk_trace_line(ctx, "dm< %s = 0 (%.3f ms) version=%u.%u.%u", dmk_cmd_name(cmd), ms,
			       rep.hdr.version[0], rep.hdr.version[1], rep.hdr.version[2]);
		return;
	}
	dmk_trace_line(ctx,
		       "dm< %s = 0 (%.3f ms) flags=%s event_nr=%u open_count=%d target_count=%u "
		       "dev=%u:%u",
		       dmk_cmd_name(cmd), ms, fl, rep.hdr.event_nr, rep.hdr.open_count,
		       rep.hdr.target_count, major(dmk_dev_decode(rep.hdr.dev)),
		       minor(dmk_dev_decode(rep.hdr.dev)));
	if (rep.hdr.flags & DM_BUFFER_FULL_FLAG) {
		dmk_trace_line(ctx, "dm<   buffer of %zu bytes too small, retrying", len);
		return;
	}
	if (rep.hdr.data_size > len || rep.hdr.data_start > rep.hdr.data_size ||
	    rep.hdr.data_start < DMK_HDR_SIZE)
		return;
	rep.buf = (uint8_t *)buf;
	rep.len = len;
	trace_reply_data(ctx, cmd, &rep);
}
