/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz the device-mapper text parsers: thin-pool/thin status, params, table lines. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-iface/dmk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct dmk_thin_pool_status ps;
	struct dmk_thin_status ts;
	struct dmk_thin_pool_params pp;
	struct dmk_thin_params tp;
	struct dmk_linear_params lp;
	struct dmk_target *t;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)dmk_thin_pool_status_parse(s, &ps);
	(void)dmk_thin_status_parse(s, &ts);
	if (dmk_thin_pool_params_parse(s, &pp) == 0) {
		char *f = NULL;
		if (dmk_thin_pool_params_format(&pp, &f) == 0)
			free(f);
	}
	(void)dmk_thin_params_parse(s, &tp);
	(void)dmk_linear_params_parse(s, &lp);
	if (dmk_table_parse(s, &t, &n) == 0)
		dmk_targets_free(t, n);
	free(s);
	return 0;
}
