/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list-pools [VG...]: every thin pool with its Data% and Meta%, as `lvs -o
 * vg_name,lv_name,data_percent,metadata_percent` shows them, one line per pool:
 *
 *     vg0/pool 12.50 3.02
 *
 * (an inactive pool has no usage: "-" for both). An example of libthinbox outside the tree:
 *     cc -o list-pools list-pools.c $(pkg-config --cflags --libs thinbox)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thinbox.h>

/* lvm2 prints percentages with 2 decimals, never 0.00 for a used pool nor 100.00 for one
 * that is not full (libdevmapper dm_make_percent and dm_percent_to_round_float). */
static void format_percent(uint64_t num, uint64_t den, char *buf, size_t len)
{
	const float one = 1000000.f, r = one * .01f; /* one percent, and 0.01% */
	float p;

	if (!den || num >= den) {
		snprintf(buf, len, "100.00");
		return;
	}
	if (!num) {
		snprintf(buf, len, "0.00");
		return;
	}
	p = (float)(int32_t)(100 * one * ((double)num / (double)den));
	if (p < r)
		p = r;
	else if (p > 100 * one - r)
		p = 100 * one - r;
	snprintf(buf, len, "%.2f", (double)(p / one));
}

static int print_pool(void *userdata, const struct tb_lv_row *row)
{
	char data[16] = "-", meta[16] = "-";
	unsigned *n = userdata;

	if (!row->is_pool)
		return 0;
	if (row->has_data_percent)
		format_percent(row->data_num, row->data_den, data, sizeof(data));
	if (row->has_meta_percent)
		format_percent(row->meta_num, row->meta_den, meta, sizeof(meta));
	printf("%s/%s %s %s\n", row->vg, row->name, data, meta);
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct tb_ctx *ctx = NULL;
	unsigned n = 0;
	int r;

	r = tb_ctx_new(0, &ctx);
	if (r < 0) {
		fprintf(stderr, "list-pools: cannot create a thinbox context: %s\n", strerror(-r));
		return 1;
	}
	r = tb_report_lvs(ctx, (const char *const *)argv + 1, (size_t)(argc - 1), false, print_pool,
			  &n);
	if (r < 0)
		fprintf(stderr, "list-pools: %s\n", tb_ctx_errmsg(ctx));
	tb_ctx_unref(ctx);
	if (r == 0 && n == 0)
		fprintf(stderr, "list-pools: no thin pools\n");
	return r < 0 ? 1 : 0;
}
