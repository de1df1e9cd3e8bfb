/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvcreate --type raid1, -m/--mirrors, --nosync and -R/--regionsize, as lvm2 2.03.16 takes
 * them (tools/lvcreate.c _read_mirror_and_raid_params). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cli/args.h"

/* @type: --type (NULL: none). -m N without --type, or --type raid1 (default -m 1): a raid1 LV
 * of N + 1 images (*ret_mirrors = N); -m 0: not mirrored (*ret_mirrors = 0). --nosync and
 * -R only with a raid1 LV. *ret_region: -R in sectors (0: default). CLI_OK, or CLI_EINVAL
 * with lvm2's message on stderr. */
int cli_raid_params(const char *type, bool mirrors_set, uint64_t mirrors, bool nosync,
		    bool region_set, uint64_t region_sectors, uint32_t *ret_mirrors,
		    uint32_t *ret_region, bool *ret_nosync);
