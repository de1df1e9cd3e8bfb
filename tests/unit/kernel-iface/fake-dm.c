/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <asm/ioctl.h>
#include <stdlib.h>
#include <string.h>

#include "fake-dm.h"

uint32_t fake_get32(const uint8_t *buf, size_t off)
{
	uint32_t v;
	memcpy(&v, buf + off, 4);
	return v;
}

uint64_t fake_get64(const uint8_t *buf, size_t off)
{
	uint64_t v;
	memcpy(&v, buf + off, 8);
	return v;
}

void fake_put32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

void fake_put64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

static int fake_ioctl(void *h, unsigned long req, void *vbuf)
{
	struct fake_dm *f = h;
	uint8_t *buf = vbuf;
	unsigned cmd = _IOC_NR(req);
	size_t len = fake_get32(buf, HO_DATA_SIZE);

	if (_IOC_TYPE(req) != DM_IOCTL || _IOC_SIZE(req) != sizeof(struct dm_ioctl))
		return -ENOTTY;
	if (f->ncalls < FAKE_MAX_CALLS) {
		struct fake_call *c = &f->calls[f->ncalls++];
		c->cmd = cmd;
		c->len = len;
		c->buf = malloc(len);
		memcpy(c->buf, buf, len);
	}
	/* every recognised command reports the kernel version */
	memcpy(buf + HO_VERSION, f->kver, 12);
	if (cmd == DM_VERSION_CMD || !f->handler)
		return 0;
	return f->handler(f, cmd, buf, len);
}

const struct dmk_ops fake_ops = { .ioctl = fake_ioctl };

void fake_init(struct fake_dm *f)
{
	memset(f, 0, sizeof(*f));
	f->kver[0] = 4;
	f->kver[1] = 48;
	f->kver[2] = 0;
}

void fake_release(struct fake_dm *f)
{
	for (size_t i = 0; i < f->ncalls; i++)
		free(f->calls[i].buf);
	f->ncalls = 0;
}

int fake_reply_data(uint8_t *buf, size_t len, const void *d, size_t dlen)
{
	uint32_t flags = fake_get32(buf, HO_FLAGS);
	fake_put32(buf, HO_DATA_START, HO_SIZE);
	if (HO_SIZE + dlen > len) {
		fake_put32(buf, HO_FLAGS, flags | DM_BUFFER_FULL_FLAG);
		return 0;
	}
	memcpy(buf + HO_SIZE, d, dlen);
	fake_put32(buf, HO_DATA_SIZE, (uint32_t)(HO_SIZE + dlen));
	return 0;
}
