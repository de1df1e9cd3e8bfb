/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device-mapper ioctl funnel and the operations built on it. Layouts: linux/dm-ioctl.h;
 * reply shapes from the kernel's drivers/md/dm-ioctl.c (retrieve_status, list_devices,
 * list_versions, retrieve_deps, target_message). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util/macros.h"

#include "dmk-internal.h"

/* Per command: the oldest interface minor it needs and the input flags it takes. */
struct cmd_desc {
	uint32_t min_minor;
	uint32_t allowed_flags;
	bool retry_on_full; /* read-only: safe to re-run with a bigger buffer */
};

static const struct cmd_desc *cmd_desc(unsigned cmd)
{
	static const struct cmd_desc descs[] = {
		[DM_VERSION_CMD] = { 0, 0, false },
		[DM_REMOVE_ALL_CMD] = { 0, DM_DEFERRED_REMOVE, false },
		[DM_LIST_DEVICES_CMD] = { 0, DM_UUID_FLAG, true },
		[DM_DEV_CREATE_CMD] = { 0, DM_PERSISTENT_DEV_FLAG, false },
		[DM_DEV_REMOVE_CMD] = { 0, DM_DEFERRED_REMOVE, false },
		[DM_DEV_RENAME_CMD] = { 0, DM_UUID_FLAG, false },
		[DM_DEV_SUSPEND_CMD] = { 0, DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG | DM_SKIP_LOCKFS_FLAG,
					 false },
		[DM_DEV_STATUS_CMD] = { 0, 0, false },
		[DM_DEV_WAIT_CMD] = { 0, DM_NOFLUSH_FLAG | DM_QUERY_INACTIVE_TABLE_FLAG, true },
		[DM_TABLE_LOAD_CMD] = { 0, DM_READONLY_FLAG, false },
		[DM_TABLE_CLEAR_CMD] = { 0, 0, false },
		[DM_TABLE_DEPS_CMD] = { 0, DM_QUERY_INACTIVE_TABLE_FLAG, true },
		[DM_TABLE_STATUS_CMD] = { 0,
					  DM_STATUS_TABLE_FLAG | DM_NOFLUSH_FLAG |
						  DM_QUERY_INACTIVE_TABLE_FLAG,
					  true },
		[DM_LIST_VERSIONS_CMD] = { 2, 0, true },
		[DM_TARGET_MSG_CMD] = { 1, 0, true },
		[DM_DEV_SET_GEOMETRY_CMD] = { 6, 0, false },
		[DM_DEV_ARM_POLL_CMD] = { 37, 0, false },
		[DM_GET_TARGET_VERSION_CMD] = { 41, 0, true },
	};
	if (cmd >= ARRAY_SIZE(descs))
		return NULL;
	return &descs[cmd];
}

int dmk_fail(struct dmk_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

const char *dmk_errmsg(const struct dmk_ctx *ctx)
{
	return ctx->errmsg[0] ? ctx->errmsg : "no error";
}

uint64_t dmk_dev_encode(dev_t dev)
{
	/* the kernel's huge_encode_dev */
	uint64_t ma = major(dev), mi = minor(dev);
	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

dev_t dmk_dev_decode(uint64_t kdev)
{
	unsigned ma = (unsigned)((kdev & 0xfff00) >> 8);
	unsigned mi = (unsigned)((kdev & 0xff) | ((kdev >> 12) & 0xfff00));
	return makedev(ma, mi);
}

int dmk_name_check(const char *name)
{
	if (!name || !*name || strlen(name) >= DM_NAME_LEN || strchr(name, '/') ||
	    streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	return 0;
}

int dmk_uuid_check(const char *uuid)
{
	if (!uuid || !*uuid || strlen(uuid) >= DM_UUID_LEN)
		return -EINVAL;
	return 0;
}

/* ---- context ---- */

static int control_open(struct dmk_ctx *ctx)
{
	char path[300], mdir[300], buf[32];
	unsigned ma, mi;
	int fd;

	snprintf(path, sizeof(path), "%s/" DM_DIR "/" DM_CONTROL_NODE, ctx->dev_dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return dmk_fail(ctx, -errno, "Cannot open %s: %s", path, strerror(errno));

	/* No node (no udev, no devtmpfs entry): make it from the misc device number. */
	{
		_cleanup_fclose_ FILE *f = fopen("/sys/class/misc/device-mapper/dev", "re");
		if (!f || !fgets(buf, sizeof(buf), f) || sscanf(buf, "%u:%u", &ma, &mi) != 2)
			return dmk_fail(ctx, -ENODEV,
					"%s is missing and the kernel has no device-mapper "
					"(load the dm-mod module)",
					path);
	}
	snprintf(mdir, sizeof(mdir), "%s/" DM_DIR, ctx->dev_dir);
	if (mkdir(mdir, 0755) < 0 && errno != EEXIST)
		return dmk_fail(ctx, -errno, "Cannot create %s: %s", mdir, strerror(errno));
	if (mknod(path, S_IFCHR | 0600, makedev(ma, mi)) < 0 && errno != EEXIST)
		return dmk_fail(ctx, -errno, "Cannot create %s: %s", path, strerror(errno));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return dmk_fail(ctx, -errno, "Cannot open %s: %s", path, strerror(errno));
	return fd;
}

int dmk_control_fd(struct dmk_ctx *ctx)
{
	if (!ctx->real)
		return -EOPNOTSUPP;
	if (ctx->fd < 0) {
		int fd = control_open(ctx);
		if (fd < 0)
			return fd;
		ctx->fd = fd;
	}
	return ctx->fd;
}

static int real_ioctl(void *h, unsigned long req, void *buf)
{
	struct dmk_ctx *ctx = h;
	int fd = dmk_control_fd(ctx);

	if (fd < 0)
		return fd;
	if (ioctl(fd, req, buf) < 0)
		return -errno;
	return 0;
}

static const struct dmk_ops real_ops = { .ioctl = real_ioctl };

static int ctx_alloc(const struct dmk_ops *ops, void *h, bool real, struct dmk_ctx **ret)
{
	struct dmk_ctx *ctx;
	const char *e;

	if (!ops || !ops->ioctl)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->ops = ops;
	ctx->h = real ? ctx : h;
	ctx->real = real;
	ctx->fd = -1;
	snprintf(ctx->dev_dir, sizeof(ctx->dev_dir), "/dev");
	e = secure_getenv("THINBOX_TRACE");
	if (real && e && streq(e, "1"))
		ctx->trace = stderr;
	*ret = ctx;
	return 0;
}

int dmk_ctx_new(struct dmk_ctx **ret)
{
	return ctx_alloc(&real_ops, NULL, true, ret);
}

int dmk_ctx_new_ops(const struct dmk_ops *ops, void *h, struct dmk_ctx **ret)
{
	return ctx_alloc(ops, h, false, ret);
}

struct dmk_ctx *dmk_ctx_free(struct dmk_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (ctx->fd >= 0)
		close(ctx->fd);
	free(ctx);
	return NULL;
}

void dmk_set_trace(struct dmk_ctx *ctx, FILE *f)
{
	ctx->trace = f;
	ctx->trace_fn = NULL;
}

void dmk_set_trace_fn(struct dmk_ctx *ctx, void (*fn)(void *userdata, const char *line),
		      void *userdata)
{
	ctx->trace_fn = fn;
	ctx->trace_data = userdata;
	ctx->trace = NULL;
}

void dmk_set_dev_dir(struct dmk_ctx *ctx, const char *dir)
{
	snprintf(ctx->dev_dir, sizeof(ctx->dev_dir), "%s", dir && *dir ? dir : "/dev");
}

/* ---- the funnel ---- */

int dmk_build_request(const struct dmk_req *req, size_t bufsize, uint8_t **ret, size_t *ret_len)
{
	const struct cmd_desc *d = cmd_desc(req->cmd);
	struct dm_ioctl hdr;
	size_t need;
	uint8_t *buf;

	if (!d)
		return -EINVAL;
	if (req->name && strlen(req->name) >= DM_NAME_LEN)
		return -EINVAL;
	if (req->uuid && strlen(req->uuid) >= DM_UUID_LEN)
		return -EINVAL;
	if (req->payload_len > DMK_BUF_MAX)
		return -E2BIG;
	need = ROUND_UP(DMK_HDR_SIZE + req->payload_len, 8);
	if (bufsize < need)
		bufsize = need;
	if (bufsize > UINT32_MAX)
		return -E2BIG;
	buf = calloc(1, bufsize);
	if (!buf)
		return -ENOMEM;

	memset(&hdr, 0, sizeof(hdr));
	hdr.version[0] = DM_VERSION_MAJOR;
	hdr.version[1] = d->min_minor;
	hdr.version[2] = 0;
	hdr.data_size = (uint32_t)bufsize;
	hdr.data_start = DMK_HDR_SIZE;
	hdr.target_count = req->target_count;
	hdr.flags = req->flags & d->allowed_flags;
	hdr.event_nr = req->event_nr;
	hdr.dev = req->dev;
	if (req->name)
		memcpy(hdr.name, req->name, strlen(req->name));
	if (req->uuid)
		memcpy(hdr.uuid, req->uuid, strlen(req->uuid));
	memcpy(buf, &hdr, sizeof(hdr));
	if (req->payload_len)
		memcpy(buf + DMK_HDR_SIZE, req->payload, req->payload_len);
	*ret = buf;
	*ret_len = bufsize;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *errno_hint(unsigned cmd, int err)
{
	switch (err) {
	case -ENXIO:
		return "no such device";
	case -EEXIST:
		return cmd == DM_DEV_RENAME_CMD ? "the new name is taken"
						: "a device with that name or uuid exists";
	case -EBUSY:
		if (cmd == DM_DEV_CREATE_CMD || cmd == DM_DEV_RENAME_CMD)
			return "a device with that name or uuid exists";
		if (cmd == DM_DEV_REMOVE_CMD)
			return "the device is open or used by another device; close it, "
			       "or remove it deferred";
		return "the device is busy";
	case -EINVAL:
		if (cmd == DM_TABLE_LOAD_CMD)
			return "the kernel refused the table";
		return "invalid request";
	case -ENOTTY:
		return "not a device-mapper control node";
	default:
		return NULL;
	}
}

static int set_ioctl_error(struct dmk_ctx *ctx, const struct dmk_req *req, const char *what, int r)
{
	const char *hint = errno_hint(req->cmd, r);
	const char *obj = req->name && *req->name ? req->name : req->uuid;

	if (obj && *obj)
		return dmk_fail(ctx, r, "Failed to %s '%s' (%s): %s%s%s", what, obj,
				dmk_cmd_name(req->cmd), strerror(-r), hint ? ": " : "",
				hint ? hint : "");
	return dmk_fail(ctx, r, "Failed to %s (%s): %s%s%s", what, dmk_cmd_name(req->cmd),
			strerror(-r), hint ? ": " : "", hint ? hint : "");
}

/* One ioctl on one buffer, with the trace around it. */
static int run_once(struct dmk_ctx *ctx, unsigned cmd, uint8_t *buf, size_t len)
{
	unsigned long req = _IOC(_IOC_READ | _IOC_WRITE, DM_IOCTL, cmd, sizeof(struct dm_ioctl));
	double t0 = 0;
	int r;

	if (dmk_tracing(ctx)) {
		dmk_trace_request(ctx, cmd, buf, len);
		t0 = now_ms();
	}
	r = ctx->ops->ioctl(ctx->h, req, buf);
	if (r > 0)
		r = -EIO; /* a backend must return 0 or -errno */
	if (dmk_tracing(ctx))
		dmk_trace_reply(ctx, cmd, r, buf, len, now_ms() - t0);
	return r;
}

static int check_version(struct dmk_ctx *ctx)
{
	uint32_t v[3];
	int r;

	if (ctx->version_checked)
		return 0;
	r = dmk_version(ctx, v);
	if (r < 0)
		return r;
	return 0;
}

int dmk_run(struct dmk_ctx *ctx, const struct dmk_req *req, const char *what, struct dmk_reply *ret)
{
	const struct cmd_desc *d = cmd_desc(req->cmd);
	size_t bufsize = DMK_BUF_INITIAL;
	struct dm_ioctl hdr;
	int r;

	if (!d)
		return dmk_fail(ctx, -EINVAL, "Unknown device-mapper command %u", req->cmd);
	if (ctx->real) {
		/* keep the reason the control node cannot be opened */
		r = dmk_control_fd(ctx);
		if (r < 0)
			return r;
	}
	if (req->cmd != DM_VERSION_CMD) {
		r = check_version(ctx);
		if (r < 0)
			return r;
		if (d->min_minor > ctx->kversion[1])
			return dmk_fail(ctx, -EOPNOTSUPP,
					"Cannot %s: the kernel's device-mapper interface %u.%u.%u "
					"is older than 4.%u, which %s needs",
					what, ctx->kversion[0], ctx->kversion[1], ctx->kversion[2],
					d->min_minor, dmk_cmd_name(req->cmd));
	}

	for (;;) {
		_cleanup_free_ uint8_t *buf = NULL;
		size_t len;

		r = dmk_build_request(req, bufsize, &buf, &len);
		if (r < 0) {
			const char *obj = req->name ? req->name : req->uuid ? req->uuid : "";
			return dmk_fail(ctx, r, "Cannot %s '%s': %s", what, obj,
					r == -EINVAL ? "name or uuid too long" : strerror(-r));
		}
		r = run_once(ctx, req->cmd, buf, len);
		if (r < 0)
			return set_ioctl_error(ctx, req, what, r);
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.flags & DM_BUFFER_FULL_FLAG) {
			if (!d->retry_on_full)
				return dmk_fail(ctx, -EOVERFLOW,
						"Failed to %s: the reply did not fit in %zu bytes",
						what, len);
			if (len >= DMK_BUF_MAX)
				return dmk_fail(ctx, -ENOBUFS,
						"Failed to %s: the reply is larger than %u bytes",
						what, DMK_BUF_MAX);
			bufsize = MIN((size_t)DMK_BUF_MAX, len * 2);
			continue;
		}
		/* The reply's data must lie inside our buffer. */
		if (hdr.data_size > len || hdr.data_start > hdr.data_size)
			hdr.data_start = hdr.data_size = 0;
		if (hdr.data_start && hdr.data_start < DMK_HDR_SIZE)
			hdr.data_start = hdr.data_size = 0;
		if (ret) {
			ret->hdr = hdr;
			ret->len = len;
			ret->buf = TAKE_PTR(buf);
		}
		return 0;
	}
}

/* ---- reply decoding ---- */

static void copy_str(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = strnlen(src, MIN(srclen, dstlen - 1));
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void dmk_reply_info(const struct dmk_reply *r, struct dmk_info *ret)
{
	const struct dm_ioctl *h = &r->hdr;
	struct dmk_info i = { 0 };

	i.exists = true;
	i.suspended = h->flags & DM_SUSPEND_FLAG;
	i.read_only = h->flags & DM_READONLY_FLAG;
	i.live_table = h->flags & DM_ACTIVE_PRESENT_FLAG;
	i.inactive_table = h->flags & DM_INACTIVE_PRESENT_FLAG;
	i.deferred_remove = h->flags & DM_DEFERRED_REMOVE;
	i.open_count = h->open_count;
	i.event_nr = h->event_nr;
	i.target_count = h->target_count;
	i.dev = dmk_dev_decode(h->dev);
	copy_str(i.name, sizeof(i.name), h->name, sizeof(h->name));
	copy_str(i.uuid, sizeof(i.uuid), h->uuid, sizeof(h->uuid));
	*ret = i;
}

static const uint8_t *reply_data(const struct dmk_reply *r, size_t *ret_len)
{
	if (!r->buf || r->hdr.data_size <= r->hdr.data_start) {
		*ret_len = 0;
		return NULL;
	}
	*ret_len = r->hdr.data_size - r->hdr.data_start;
	return r->buf + r->hdr.data_start;
}

struct dmk_target *dmk_targets_free(struct dmk_target *t, size_t n)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < n; i++)
		free(t[i].params);
	free(t);
	return NULL;
}

int dmk_decode_targets(const struct dmk_reply *r, struct dmk_target **ret, size_t *ret_n)
{
	struct dmk_target *t = NULL;
	size_t dlen, off = 0, n = r->hdr.target_count;
	const uint8_t *data = reply_data(r, &dlen);

	if (n == 0) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (n > dlen / DMK_SPEC_SIZE)
		return -EBADMSG;
	t = calloc(n, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct dm_target_spec sp;
		const char *p;
		size_t plen;

		if (off > dlen || dlen - off < DMK_SPEC_SIZE)
			goto bad;
		memcpy(&sp, data + off, sizeof(sp));
		p = (const char *)data + off + DMK_SPEC_SIZE;
		plen = strnlen(p, dlen - off - DMK_SPEC_SIZE);
		if (plen == dlen - off - DMK_SPEC_SIZE)
			goto bad; /* no NUL inside the reply */
		t[i].start = sp.sector_start;
		t[i].len = sp.length;
		copy_str(t[i].type, sizeof(t[i].type), sp.target_type, sizeof(sp.target_type));
		t[i].params = strndup(p, plen);
		if (!t[i].params) {
			dmk_targets_free(t, n);
			return -ENOMEM;
		}
		/* reply offsets count from the first spec and only go forward */
		if (i + 1 < n && sp.next <= off)
			goto bad;
		off = sp.next;
	}
	*ret = t;
	*ret_n = n;
	return 0;
bad:
	dmk_targets_free(t, n);
	return -EBADMSG;
}

int dmk_encode_targets(const struct dmk_target *t, size_t n, uint8_t **ret, size_t *ret_len)
{
	size_t total = 0, off = 0;
	uint8_t *buf;

	for (size_t i = 0; i < n; i++) {
		const char *p = t[i].params ? t[i].params : "";
		size_t tl = strnlen(t[i].type, sizeof(t[i].type));
		if (tl == 0 || tl >= DM_MAX_TYPE_NAME)
			return -EINVAL;
		if (strlen(p) > DMK_BUF_MAX)
			return -E2BIG;
		total += DMK_SPEC_SIZE + ROUND_UP(strlen(p) + 1, 8);
		if (total > DMK_BUF_MAX)
			return -E2BIG;
	}
	buf = calloc(1, total ? total : 1);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *p = t[i].params ? t[i].params : "";
		size_t plen = strlen(p), rec = DMK_SPEC_SIZE + ROUND_UP(plen + 1, 8);
		struct dm_target_spec sp;

		memset(&sp, 0, sizeof(sp));
		sp.sector_start = t[i].start;
		sp.length = t[i].len;
		sp.status = 0;
		/* load offsets are relative to this spec (the status reply's are not) */
		sp.next = (uint32_t)rec;
		memcpy(sp.target_type, t[i].type, strnlen(t[i].type, sizeof(t[i].type)));
		memcpy(buf + off, &sp, sizeof(sp));
		memcpy(buf + off + DMK_SPEC_SIZE, p, plen);
		off += rec;
	}
	*ret = buf;
	*ret_len = total;
	return 0;
}

/* ---- operations ---- */

int dmk_version(struct dmk_ctx *ctx, uint32_t ret[3])
{
	struct dmk_req req = { .cmd = DM_VERSION_CMD };
	struct dmk_reply rep = { 0 };
	int r;

	r = dmk_run(ctx, &req, "query the device-mapper version", &rep);
	if (r < 0)
		return r;
	dmk_reply_release(&rep);
	if (rep.hdr.version[0] != DM_VERSION_MAJOR)
		return dmk_fail(ctx, -EOPNOTSUPP,
				"The kernel's device-mapper interface is %u.%u.%u; thinbox speaks "
				"only major version %u",
				rep.hdr.version[0], rep.hdr.version[1], rep.hdr.version[2],
				DM_VERSION_MAJOR);
	memcpy(ctx->kversion, rep.hdr.version, sizeof(ctx->kversion));
	ctx->version_checked = true;
	memcpy(ret, rep.hdr.version, 3 * sizeof(uint32_t));
	return 0;
}

static int check_name(struct dmk_ctx *ctx, const char *name, const char *what)
{
	if (dmk_name_check(name) < 0)
		return dmk_fail(ctx, -EINVAL,
				"Cannot %s '%s': a device name must be 1-%d characters without '/'",
				what, name ? name : "", DM_NAME_LEN - 1);
	return 0;
}

int dmk_list_devices(struct dmk_ctx *ctx, struct dmk_dev **ret, size_t *ret_n)
{
	struct dmk_req req = { .cmd = DM_LIST_DEVICES_CMD, .flags = DM_UUID_FLAG };
	struct dmk_reply rep = { 0 };
	_cleanup_free_ struct dmk_dev *devs = NULL;
	size_t n = 0, cap = 0, dlen, off = 0;
	const uint8_t *data;
	int r;

	r = dmk_run(ctx, &req, "list devices", &rep);
	if (r < 0)
		return r;
	data = reply_data(&rep, &dlen);
	while (data && dlen - off >= 12) {
		uint64_t kdev;
		uint32_t next;
		size_t end, nlen, p;
		struct dmk_dev d = { 0 };

		memcpy(&kdev, data + off, 8);
		memcpy(&next, data + off + 8, 4);
		if (kdev == 0 && off == 0)
			break; /* "no devices" */
		if (next && (next < 12 || next > dlen - off))
			goto bad;
		end = next ? off + next : dlen;
		nlen = strnlen((const char *)data + off + 12, end - off - 12);
		if (off + 12 + nlen >= end)
			goto bad;
		d.dev = dmk_dev_decode(kdev);
		copy_str(d.name, sizeof(d.name), (const char *)data + off + 12, nlen + 1);
		/* event_nr and flags follow the name, 8-aligned (kernel 4.37+) */
		p = ROUND_UP(off + 12 + nlen + 1, 8);
		if (ctx->kversion[1] >= 37 && p + 8 <= end) {
			uint32_t ev, fl;
			memcpy(&ev, data + p, 4);
			memcpy(&fl, data + p + 4, 4);
			d.event_nr = ev;
			d.has_event_nr = true;
			if ((fl & DM_NAME_LIST_FLAG_HAS_UUID) && p + 8 < end) {
				size_t ulen = strnlen((const char *)data + p + 8, end - p - 8);
				if (p + 8 + ulen < end)
					copy_str(d.uuid, sizeof(d.uuid), (const char *)data + p + 8,
						 ulen + 1);
			}
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct dmk_dev *nd = realloc(devs, nc * sizeof(*nd));
			if (!nd) {
				dmk_reply_release(&rep);
				return -ENOMEM;
			}
			devs = nd;
			cap = nc;
		}
		devs[n++] = d;
		if (!next)
			break;
		off += next;
	}
	dmk_reply_release(&rep);
	*ret = TAKE_PTR(devs);
	*ret_n = n;
	return 0;
bad:
	dmk_reply_release(&rep);
	return dmk_fail(ctx, -EBADMSG, "The kernel's device list is malformed");
}

int dmk_list_targets(struct dmk_ctx *ctx, struct dmk_target_version **ret, size_t *ret_n)
{
	struct dmk_req req = { .cmd = DM_LIST_VERSIONS_CMD };
	struct dmk_reply rep = { 0 };
	_cleanup_free_ struct dmk_target_version *v = NULL;
	size_t n = 0, cap = 0, dlen, off = 0;
	const uint8_t *data;
	int r;

	r = dmk_run(ctx, &req, "list target types", &rep);
	if (r < 0)
		return r;
	data = reply_data(&rep, &dlen);
	while (data && dlen - off >= 16) {
		uint32_t next, ver[3];
		size_t end, nlen;

		memcpy(&next, data + off, 4);
		memcpy(ver, data + off + 4, 12);
		if (next && (next < 16 || next > dlen - off))
			goto bad;
		end = next ? off + next : dlen;
		nlen = strnlen((const char *)data + off + 16, end - off - 16);
		if (off + 16 + nlen >= end)
			goto bad;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct dmk_target_version *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				dmk_reply_release(&rep);
				return -ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		copy_str(v[n].name, sizeof(v[n].name), (const char *)data + off + 16, nlen + 1);
		memcpy(v[n].version, ver, sizeof(ver));
		n++;
		if (!next)
			break;
		off += next;
	}
	dmk_reply_release(&rep);
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
bad:
	dmk_reply_release(&rep);
	return dmk_fail(ctx, -EBADMSG, "The kernel's target list is malformed");
}

int dmk_target_version(struct dmk_ctx *ctx, const char *type, uint32_t ret[3])
{
	_cleanup_free_ struct dmk_target_version *v = NULL;
	size_t n;
	int r;

	if (!type || !*type || strlen(type) >= DM_MAX_TYPE_NAME)
		return dmk_fail(ctx, -EINVAL, "Invalid target type '%s'", type ? type : "");
	r = check_version(ctx);
	if (r < 0)
		return r;
	if (ctx->kversion[1] >= 41) {
		/* loads the target's module if need be */
		struct dmk_req req = { .cmd = DM_GET_TARGET_VERSION_CMD, .name = type };
		struct dmk_reply rep = { 0 };
		size_t dlen;
		const uint8_t *data;

		r = dmk_run(ctx, &req, "query target type", &rep);
		if (r == -EINVAL)
			return dmk_fail(ctx, -ENOENT, "The kernel has no '%s' target", type);
		if (r < 0)
			return r;
		data = reply_data(&rep, &dlen);
		if (!data || dlen < 16) {
			dmk_reply_release(&rep);
			return dmk_fail(ctx, -EBADMSG,
					"The kernel's reply for target '%s' is short", type);
		}
		memcpy(ret, data + 4, 12);
		dmk_reply_release(&rep);
		return 0;
	}
	r = dmk_list_targets(ctx, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (streq(v[i].name, type)) {
			memcpy(ret, v[i].version, 12);
			return 0;
		}
	return dmk_fail(ctx, -ENOENT, "The kernel has no '%s' target", type);
}

static int info_common(struct dmk_ctx *ctx, const char *name, const char *uuid, struct dmk_info *ret)
{
	struct dmk_req req = { .cmd = DM_DEV_STATUS_CMD, .name = name, .uuid = uuid };
	struct dmk_reply rep = { 0 };
	int r;

	r = dmk_run(ctx, &req, "query device", &rep);
	if (r < 0)
		return r;
	dmk_reply_info(&rep, ret);
	dmk_reply_release(&rep);
	return 0;
}

int dmk_info(struct dmk_ctx *ctx, const char *name, struct dmk_info *ret)
{
	int r = check_name(ctx, name, "query device");
	return r < 0 ? r : info_common(ctx, name, NULL, ret);
}

int dmk_info_uuid(struct dmk_ctx *ctx, const char *uuid, struct dmk_info *ret)
{
	if (dmk_uuid_check(uuid) < 0)
		return dmk_fail(ctx, -EINVAL, "Invalid device uuid '%s'", uuid ? uuid : "");
	return info_common(ctx, NULL, uuid, ret);
}

static int table_common(struct dmk_ctx *ctx, const char *name, uint32_t flags, const char *what,
			struct dmk_target **ret, size_t *ret_n)
{
	struct dmk_req req = { .cmd = DM_TABLE_STATUS_CMD, .name = name, .flags = flags };
	struct dmk_reply rep = { 0 };
	int r;

	r = check_name(ctx, name, what);
	if (r < 0)
		return r;
	r = dmk_run(ctx, &req, what, &rep);
	if (r < 0)
		return r;
	r = dmk_decode_targets(&rep, ret, ret_n);
	dmk_reply_release(&rep);
	if (r < 0)
		return dmk_fail(ctx, r, "Failed to %s '%s': the kernel's reply is malformed", what,
				name);
	return 0;
}

int dmk_table(struct dmk_ctx *ctx, const char *name, unsigned flags, struct dmk_target **ret,
	      size_t *ret_n)
{
	uint32_t f = DM_STATUS_TABLE_FLAG;
	if (flags & DMK_INACTIVE)
		f |= DM_QUERY_INACTIVE_TABLE_FLAG;
	return table_common(ctx, name, f, "read the table of", ret, ret_n);
}

int dmk_status(struct dmk_ctx *ctx, const char *name, unsigned flags, struct dmk_target **ret,
	       size_t *ret_n)
{
	uint32_t f = 0;
	if (flags & DMK_NOFLUSH)
		f |= DM_NOFLUSH_FLAG;
	if (flags & DMK_INACTIVE)
		f |= DM_QUERY_INACTIVE_TABLE_FLAG;
	return table_common(ctx, name, f, "read the status of", ret, ret_n);
}

int dmk_deps(struct dmk_ctx *ctx, const char *name, dev_t **ret, size_t *ret_n)
{
	struct dmk_req req = { .cmd = DM_TABLE_DEPS_CMD, .name = name };
	struct dmk_reply rep = { 0 };
	_cleanup_free_ dev_t *devs = NULL;
	const uint8_t *data;
	size_t dlen;
	uint32_t count;
	int r;

	r = check_name(ctx, name, "read the dependencies of");
	if (r < 0)
		return r;
	r = dmk_run(ctx, &req, "read the dependencies of", &rep);
	if (r < 0)
		return r;
	data = reply_data(&rep, &dlen);
	if (!data || dlen < 8) {
		count = 0;
	} else {
		memcpy(&count, data, 4);
		if (count > (dlen - 8) / 8) {
			dmk_reply_release(&rep);
			return dmk_fail(ctx, -EBADMSG,
					"The kernel's dependency list of '%s' is "
					"malformed",
					name);
		}
	}
	devs = calloc(count ? count : 1, sizeof(*devs));
	if (!devs) {
		dmk_reply_release(&rep);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint64_t k;
		memcpy(&k, data + 8 + 8 * (size_t)i, 8);
		devs[i] = dmk_dev_decode(k);
	}
	dmk_reply_release(&rep);
	*ret = TAKE_PTR(devs);
	*ret_n = count;
	return 0;
}

int dmk_create(struct dmk_ctx *ctx, const char *name, const char *uuid, unsigned flags,
	       struct dmk_info *ret)
{
	struct dmk_req req = { .cmd = DM_DEV_CREATE_CMD, .name = name, .uuid = uuid };
	struct dmk_reply rep = { 0 };
	int r;

	if (flags)
		return dmk_fail(ctx, -EINVAL, "Cannot create device '%s': unknown flags 0x%x",
				name ? name : "", flags);
	r = check_name(ctx, name, "create device");
	if (r < 0)
		return r;
	if (uuid && *uuid && dmk_uuid_check(uuid) < 0)
		return dmk_fail(ctx, -EINVAL, "Cannot create device '%s': uuid too long", name);
	r = dmk_run(ctx, &req, "create device", &rep);
	if (r < 0)
		return r;
	if (ret)
		dmk_reply_info(&rep, ret);
	dmk_reply_release(&rep);
	return 0;
}

/* The "device-mapper:" lines the kernel logged since @fd was opened and seeked to the end
 * (the reason for a refused table), joined with "; ". */
static void kmsg_reason(int fd, char *out, size_t outlen)
{
	char rec[8192];
	size_t l = 0;
	ssize_t n;

	out[0] = '\0';
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* records overwritten, go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		char *msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (!strncmp(msg, "device-mapper: ", 15) && l + 1 < outlen)
			l += (size_t)snprintf(out + l, outlen - l, "%s%s", l ? "; " : "", msg + 15);
	}
}

int dmk_load(struct dmk_ctx *ctx, const char *name, const struct dmk_target *t, size_t n,
	     unsigned flags)
{
	_cleanup_free_ uint8_t *payload = NULL;
	_cleanup_close_ int kfd = -1;
	size_t plen;
	int r;

	if (flags & ~DMK_READONLY)
		return dmk_fail(ctx, -EINVAL, "Cannot load a table into '%s': unknown flags 0x%x",
				name ? name : "", flags);
	r = check_name(ctx, name, "load a table into");
	if (r < 0)
		return r;
	if (n > UINT32_MAX)
		return dmk_fail(ctx, -E2BIG, "Cannot load a table into '%s': too many targets",
				name);
	r = dmk_encode_targets(t, n, &payload, &plen);
	if (r < 0)
		return dmk_fail(ctx, r, "Cannot load a table into '%s': %s", name,
				r == -EINVAL ? "a target type is empty or too long" : strerror(-r));
	if (ctx->real) {
		kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (kfd >= 0)
			lseek(kfd, 0, SEEK_END);
	}
	struct dmk_req req = {
		.cmd = DM_TABLE_LOAD_CMD,
		.name = name,
		.flags = (flags & DMK_READONLY) ? DM_READONLY_FLAG : 0,
		.target_count = (uint32_t)n,
		.payload = payload,
		.payload_len = plen,
	};
	r = dmk_run(ctx, &req, "load a table into", NULL);
	if (r < 0 && kfd >= 0) {
		char reason[512];
		kmsg_reason(kfd, reason, sizeof(reason));
		if (reason[0]) {
			size_t l = strlen(ctx->errmsg);
			snprintf(ctx->errmsg + l, sizeof(ctx->errmsg) - l, " (kernel: %s)", reason);
		}
	}
	return r;
}

int dmk_clear(struct dmk_ctx *ctx, const char *name)
{
	struct dmk_req req = { .cmd = DM_TABLE_CLEAR_CMD, .name = name };
	int r = check_name(ctx, name, "clear the inactive table of");
	return r < 0 ? r : dmk_run(ctx, &req, "clear the inactive table of", NULL);
}

int dmk_suspend(struct dmk_ctx *ctx, const char *name, unsigned flags)
{
	struct dmk_req req = { .cmd = DM_DEV_SUSPEND_CMD, .name = name, .flags = DM_SUSPEND_FLAG };
	int r;

	if (flags & ~(DMK_NOFLUSH | DMK_SKIP_LOCKFS))
		return dmk_fail(ctx, -EINVAL, "Cannot suspend '%s': unknown flags 0x%x",
				name ? name : "", flags);
	r = check_name(ctx, name, "suspend");
	if (r < 0)
		return r;
	if (flags & DMK_NOFLUSH)
		req.flags |= DM_NOFLUSH_FLAG;
	if (flags & DMK_SKIP_LOCKFS)
		req.flags |= DM_SKIP_LOCKFS_FLAG;
	return dmk_run(ctx, &req, "suspend", NULL);
}

/* check @name, run @req, hand back the device info of the reply (when @ret). */
static int run_named_info(struct dmk_ctx *ctx, const struct dmk_req *req, const char *name,
			  const char *what, struct dmk_info *ret)
{
	struct dmk_reply rep = { 0 };
	int r;

	r = check_name(ctx, name, what);
	if (r < 0)
		return r;
	r = dmk_run(ctx, req, what, &rep);
	if (r < 0)
		return r;
	if (ret)
		dmk_reply_info(&rep, ret);
	dmk_reply_release(&rep);
	return 0;
}

int dmk_resume(struct dmk_ctx *ctx, const char *name, uint32_t cookie, struct dmk_info *ret)
{
	struct dmk_req req = { .cmd = DM_DEV_SUSPEND_CMD, .name = name, .event_nr = cookie };
	return run_named_info(ctx, &req, name, "resume", ret);
}

int dmk_remove(struct dmk_ctx *ctx, const char *name, unsigned flags)
{
	struct dmk_req req = { .cmd = DM_DEV_REMOVE_CMD, .name = name };
	int r;

	if (flags & ~(DMK_DEFERRED | DMK_RETRY))
		return dmk_fail(ctx, -EINVAL, "Cannot remove '%s': unknown flags 0x%x",
				name ? name : "", flags);
	r = check_name(ctx, name, "remove device");
	if (r < 0)
		return r;
	if (flags & DMK_DEFERRED)
		req.flags |= DM_DEFERRED_REMOVE;
	/* A short-lived opener (blkid, udev) makes remove fail with EBUSY: retry boundedly. */
	for (int i = 0;; i++) {
		r = dmk_run(ctx, &req, "remove device", NULL);
		if (r != -EBUSY || !(flags & DMK_RETRY) || i >= 10)
			return r;
		usleep(100 * 1000);
	}
}

int dmk_rename(struct dmk_ctx *ctx, const char *old, const char *new_name)
{
	int r = check_name(ctx, old, "rename device");
	if (r < 0)
		return r;
	if (dmk_name_check(new_name) < 0)
		return dmk_fail(ctx, -EINVAL, "Cannot rename '%s' to '%s': invalid new name", old,
				new_name ? new_name : "");
	struct dmk_req req = {
		.cmd = DM_DEV_RENAME_CMD,
		.name = old,
		.payload = new_name,
		.payload_len = strlen(new_name) + 1,
	};
	return dmk_run(ctx, &req, "rename device", NULL);
}

int dmk_message(struct dmk_ctx *ctx, const char *name, uint64_t sector, const char *msg,
		char **ret_reply)
{
	_cleanup_free_ uint8_t *payload = NULL;
	struct dmk_reply rep = { 0 };
	size_t mlen, dlen;
	const uint8_t *data;
	int r;

	r = check_name(ctx, name, "send a message to");
	if (r < 0)
		return r;
	if (!msg || !*msg)
		return dmk_fail(ctx, -EINVAL, "Cannot send an empty message to '%s'", name);
	mlen = strlen(msg);
	if (mlen > DMK_BUF_MAX / 2)
		return dmk_fail(ctx, -E2BIG, "Cannot send a message to '%s': too long", name);
	payload = calloc(1, 8 + mlen + 1);
	if (!payload)
		return -ENOMEM;
	memcpy(payload, &sector, 8);
	memcpy(payload + 8, msg, mlen);
	struct dmk_req req = {
		.cmd = DM_TARGET_MSG_CMD,
		.name = name,
		.payload = payload,
		.payload_len = 8 + mlen + 1,
	};
	r = dmk_run(ctx, &req, "send a message to", &rep);
	if (r < 0)
		return r;
	if (ret_reply) {
		char *s;
		data = reply_data(&rep, &dlen);
		if ((rep.hdr.flags & DM_DATA_OUT_FLAG) && data)
			s = strndup((const char *)data, dlen);
		else
			s = strdup("");
		if (!s) {
			dmk_reply_release(&rep);
			return -ENOMEM;
		}
		*ret_reply = s;
	}
	dmk_reply_release(&rep);
	return 0;
}

int dmk_wait_event(struct dmk_ctx *ctx, const char *name, uint32_t event_nr, struct dmk_info *ret)
{
	struct dmk_req req = { .cmd = DM_DEV_WAIT_CMD, .name = name, .event_nr = event_nr };
	return run_named_info(ctx, &req, name, "wait for an event of", ret);
}

int dmk_arm_poll(struct dmk_ctx *ctx)
{
	struct dmk_req req = { .cmd = DM_DEV_ARM_POLL_CMD };
	return dmk_run(ctx, &req, "arm event polling", NULL);
}
