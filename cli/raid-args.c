/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvcreate's raid1 options (see raid-args.h). */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/raid-args.h"
#include "util/macros.h"

int cli_raid_params(const char *type, bool mirrors_set, uint64_t mirrors, bool nosync,
		    bool region_set, uint64_t region_sectors, uint32_t *ret_mirrors,
		    uint32_t *ret_region, bool *ret_nosync)
{
	bool raid1 = type && streq(type, "raid1");

	*ret_mirrors = 0;
	*ret_region = 0;
	*ret_nosync = false;
	if (mirrors_set && type && !raid1) {
		cli_err("Command does not accept option: --mirrors %" PRIu64 ".", mirrors);
		return CLI_EINVAL;
	}
	if (mirrors_set && mirrors > 63) {
		cli_err("Only up to 64 images in raid1 supported currently.");
		return CLI_EINVAL;
	}
	if (raid1 && mirrors_set && mirrors == 0) {
		cli_err("--mirrors must be at least 1 with segment type raid1.");
		return CLI_EINVAL;
	}
	*ret_mirrors = raid1 && !mirrors_set ? 1 : (uint32_t)mirrors;
	if (!*ret_mirrors && (nosync || region_set)) {
		cli_err("Command does not accept option: %s.", nosync ? "--nosync" : "--regionsize");
		return CLI_EINVAL;
	}
	if (region_set && region_sectors > UINT32_MAX) {
		cli_err("Region size is too large.");
		return CLI_EINVAL;
	}
	*ret_region = (uint32_t)region_sectors;
	*ret_nosync = nosync;
	return CLI_OK;
}
