/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* In-memory struct lvf_bdev with write counting and fault injection (see bdev.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/macros.h"
#include "lvmfmt/bdev.h"

struct mdev {
	uint8_t *data;
	uint64_t size;
	struct lvf_write_counter own;
	struct lvf_write_counter *counter;
};

static int mdev_read(void *h, uint64_t off, void *buf, size_t len)
{
	struct mdev *m = h;

	memcpy(buf, m->data + off, len);
	return 0;
}

static int mdev_write(void *h, uint64_t off, const void *buf, size_t len)
{
	struct mdev *m = h;
	struct lvf_write_counter *c = m->counter;

	c->writes++;
	if (c->crashed)
		return 0;
	if (c->fail_at && c->writes == c->fail_at) {
		if (c->crash) {
			c->crashed = true;
			return 0;
		}
		return -EIO;
	}
	memcpy(m->data + off, buf, len);
	return 0;
}

static int mdev_flush(void *h)
{
	return 0;
}

static void mdev_close(void *h)
{
	struct mdev *m = h;

	if (!m)
		return;
	free(m->data);
	free(m);
}

static const struct lvf_bdev_ops mdev_ops = {
	.read = mdev_read,
	.write = mdev_write,
	.flush = mdev_flush,
	.close = mdev_close,
};

int lvf_bdev_mem_new_from(uint64_t size, const void *data, size_t len, struct lvf_bdev **ret)
{
	struct mdev *m;
	int r;

	if (!ret || len > size || size > SIZE_MAX)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->data = calloc(1, size ? (size_t)size : 1);
	if (!m->data) {
		free(m);
		return -ENOMEM;
	}
	if (len)
		memcpy(m->data, data, len);
	m->size = size;
	m->counter = &m->own;
	r = lvf_bdev_new(&mdev_ops, m, size, "mem", ret);
	if (r < 0)
		mdev_close(m);
	return r;
}

int lvf_bdev_mem_new(uint64_t size, struct lvf_bdev **ret)
{
	return lvf_bdev_mem_new_from(size, NULL, 0, ret);
}

bool lvf_bdev_is_mem(const struct lvf_bdev *b)
{
	return b && b->ops == &mdev_ops;
}

void lvf_bdev_mem_fail_at(struct lvf_bdev *b, unsigned nth_write, bool crash)
{
	struct mdev *m = b->h;

	if (!lvf_bdev_is_mem(b))
		return;
	m->counter->fail_at = nth_write;
	m->counter->crash = crash;
	m->counter->crashed = false;
}

void lvf_bdev_mem_set_counter(struct lvf_bdev *b, struct lvf_write_counter *c)
{
	struct mdev *m = b->h;

	if (!lvf_bdev_is_mem(b))
		return;
	m->counter = c ? c : &m->own;
}

struct lvf_write_counter *lvf_bdev_mem_counter(struct lvf_bdev *b)
{
	struct mdev *m = b->h;

	if (!lvf_bdev_is_mem(b))
		return NULL;
	return m->counter;
}

uint8_t *lvf_bdev_mem_data(struct lvf_bdev *b)
{
	struct mdev *m = b->h;

	if (!lvf_bdev_is_mem(b))
		return NULL;
	return m->data;
}
