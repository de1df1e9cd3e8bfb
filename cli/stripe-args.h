/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvcreate -i/--stripes and -I/--stripesize, checked as lvm2 2.03.16 checks them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cli/args.h"

/* lvm2's get_stripe_params/_validate_stripe_params (tools/toollib.c): @stripes and the stripe
 * size (@size_sectors, sign @size_sign) as given (@*_set: given at all). On success
 * *ret_stripes is the count (1 when not given), *ret_size the stripe size in sectors (0 for
 * one stripe, 64 KiB by default for several, with lvm2's notes on stdout). CLI_OK, or
 * CLI_EINVAL with lvm2's message on stderr. */
int cli_stripe_params(bool stripes_set, uint64_t stripes, bool size_set, uint64_t size_sectors,
		      enum cli_sign size_sign, uint32_t *ret_stripes, uint32_t *ret_size);
/* --type linear with -i N (N > 1): lvm2's "Command does not accept option: --stripes N.",
 * CLI_EINVAL. */
int cli_stripe_linear_err(uint64_t stripes);
/* lvextend/lvresize -i/-I (tools/lvresize.c _lvresize_params): zero and negative values
 * refused with lvm2's messages and its usage line for @cmd. *ret_stripes and *ret_size: as
 * given, 0 when not given. CLI_OK or CLI_EINVAL. */
int cli_resize_stripe_params(const char *cmd, bool stripes_set, uint64_t stripes,
			     enum cli_sign stripes_sign, bool size_set, uint64_t size_sectors,
			     enum cli_sign size_sign, uint32_t *ret_stripes, uint32_t *ret_size);
/* lvcreate of a thin LV (-V with a pool) with -i/-I (their values as given, NULL: not
 * given): lvm2's "Command does not accept option: ..." lines, CLI_EINVAL; else CLI_OK. */
int cli_stripe_thin_err(const char *stripes, const char *stripe_size);
