/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvcreate's stripe options, after lvm2 2.03.16 tools/toollib.c get_stripe_params. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/stripe-args.h"
#include "util/units.h"

#define MAX_STRIPES 128u
#define STRIPE_SIZE_MIN 8u                         /* sectors: the 4 KiB page, as lvm2 */
#define STRIPE_SIZE_LIMIT ((0xffffffffu >> 2) + 1) /* lvm2's: printed as sectors, 512 GiB */
#define DEFAULT_STRIPESIZE 64u                     /* KiB, lvm2's metadata/stripesize */

/* lvm2 prints its short usage after a command's own command-line error (lvmcmdline.c). */
static int usage_err(void)
{
	cli_err("Run `lvcreate --help' for more information.");
	return CLI_EINVAL;
}

int cli_stripe_linear_err(uint64_t stripes)
{
	/* lvm2 2.03.16 matches no command definition for --type linear with --stripes */
	cli_err("Command does not accept option: --stripes %llu.", (unsigned long long)stripes);
	return CLI_EINVAL;
}

/* lvm2's arg_from_list_is_zero for --stripes and --stripesize: each zero one named, both
 * before the usage line. */
static bool zero_args(bool stripes_set, uint64_t stripes, bool size_set, uint64_t size_sectors)
{
	bool zero = false;

	if (stripes_set && !stripes) {
		cli_err("--stripes may not be zero.");
		zero = true;
	}
	if (size_set && !size_sectors) {
		cli_err("--stripesize may not be zero.");
		zero = true;
	}
	return zero;
}

int cli_stripe_params(bool stripes_set, uint64_t stripes, bool size_set, uint64_t size_sectors,
		      enum cli_sign size_sign, uint32_t *ret_stripes, uint32_t *ret_size)
{
	char b[32];

	/* tools/lvcreate.c _read_size_params: arg_from_list_is_negative, then _is_zero */
	if (size_set && size_sign == CLI_SIGN_MINUS) {
		cli_err("--stripesize may not be negative.");
		return usage_err();
	}
	if (zero_args(stripes_set, stripes, size_set, size_sectors))
		return usage_err();
	if (!stripes_set)
		stripes = 1;
	if (stripes < 1 || stripes > MAX_STRIPES) {
		cli_err("Number of stripes (%d) must be between %d and %d.",
			(int)(stripes > 0x7fffffff ? 0x7fffffff : stripes), 1, (int)MAX_STRIPES);
		return usage_err();
	}
	if (!size_set)
		size_sectors = 0;
	if (stripes == 1) {
		if (size_sectors)
			printf("  Ignoring stripesize argument with single stripe.\n");
		size_sectors = 0;
	} else {
		if (!size_sectors) {
			size_sectors = DEFAULT_STRIPESIZE * 2;
			units_display_size(size_sectors, b, sizeof(b));
			printf("  Using default stripesize %s.\n", b);
		}
		if (size_sectors > (uint64_t)STRIPE_SIZE_LIMIT * 2) {
			units_display_size((uint64_t)STRIPE_SIZE_LIMIT, b, sizeof(b));
			cli_err("Stripe size cannot be larger than %s.", b);
			return usage_err();
		}
		if (size_sectors < STRIPE_SIZE_MIN || (size_sectors & (size_sectors - 1))) {
			units_display_size(size_sectors, b, sizeof(b));
			cli_err("Invalid stripe size %s.", b);
			return usage_err();
		}
	}
	fflush(stdout);
	*ret_stripes = (uint32_t)stripes;
	*ret_size = (uint32_t)size_sectors;
	return CLI_OK;
}

int cli_resize_stripe_params(const char *cmd, bool stripes_set, uint64_t stripes,
			     enum cli_sign stripes_sign, bool size_set, uint64_t size_sectors,
			     enum cli_sign size_sign, uint32_t *ret_stripes, uint32_t *ret_size)
{
	int r = CLI_EINVAL;

	/* tools/lvresize.c _lvresize_params: arg_from_list_is_zero, then the signs */
	if (zero_args(stripes_set, stripes, size_set, size_sectors))
		goto usage;
	if (stripes_set && stripes_sign == CLI_SIGN_MINUS) {
		cli_err("Stripes argument may not be negative.");
		goto usage;
	}
	if (size_set && size_sign == CLI_SIGN_MINUS) {
		cli_err("Stripesize may not be negative.");
		goto usage;
	}
	if (stripes > MAX_STRIPES) {
		cli_err("Number of stripes (%d) must be between %d and %d.",
			(int)(stripes > 0x7fffffff ? 0x7fffffff : stripes), 1, (int)MAX_STRIPES);
		goto usage;
	}
	*ret_stripes = stripes_set ? (uint32_t)stripes : 0;
	*ret_size = size_set ? (uint32_t)size_sectors : 0;
	return CLI_OK;
usage:
	/* lvm2 prints its short usage after a command-line error (lvmcmdline.c) */
	cli_err("Run `%s --help' for more information.", cmd);
	return r;
}

int cli_stripe_thin_err(const char *stripes, const char *stripe_size)
{
	/* tools/lvmcmdline.c _find_command: every option the matched definition does not take,
	 * in lvm2's option order, with the value as given */
	if (stripes)
		cli_err("Command does not accept option: --stripes %s.", stripes);
	if (stripe_size)
		cli_err("Command does not accept option: --stripesize %s.", stripe_size);
	return stripes || stripe_size ? CLI_EINVAL : CLI_OK;
}
