/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dmsetup's column report (`info -c`, `splitname`): libdm's field table, widths, alignment,
 * separators, name prefixes and sort keys, for the fields that describe a device. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/thinbox.h"

struct cli_dm_report;

struct cli_dm_report_opts {
	const char *fields;    /* -o: NULL for the command's default, "+f,g" appends */
	const char *sort;      /* -O: NULL for none */
	const char *separator; /* --separator: NULL for the default */
	bool noheadings, nameprefixes, unquoted, splitname;
};

/* One device's facts, as the report needs them (borrowed strings). */
struct cli_dm_report_dev {
	const struct tb_dm_info *info;  /* NULL for splitname */
	const char *name, *uuid;        /* splitname: the argument, and the subsystem */
	const struct tb_dm_devno *deps; /* devices this one uses */
	size_t ndeps;
	const struct tb_dm_dev *all; /* every device, for the *_using_dev fields */
	size_t nall;
	const struct tb_dm_devno *const *all_deps; /* deps of each of all[] */
	const size_t *all_ndeps;
};

/* Parse the field list; on an unknown field print libdm's message and return -EINVAL.
 * "help" prints the field list to stderr and returns 1 (nothing else to do). */
int cli_dm_report_new(const struct cli_dm_report_opts *o, struct cli_dm_report **ret);
/* Whether a field needs the deps (or every device's deps) filled in. */
bool cli_dm_report_needs_deps(const struct cli_dm_report *r);
bool cli_dm_report_needs_tree(const struct cli_dm_report *r);
int cli_dm_report_add(struct cli_dm_report *r, const struct cli_dm_report_dev *d);
/* Sort, print (headings only when there is a row), free. */
void cli_dm_report_output_free(struct cli_dm_report *r, FILE *out);

/* Kernel name of a block device ("dm-0", "loop1") from sysfs; false if unknown. */
bool cli_dm_blkdev_name(unsigned major, unsigned minor, char *buf, size_t len);
/* Name of a mapped device (sysfs dm/name), else the kernel name; false if unknown. */
bool cli_dm_mapped_name(unsigned major, unsigned minor, char *buf, size_t len);
/* lvm2's split of a device-mapper name "vg-lv-layer" ("--" is a "-"). Writes into buf. */
void cli_dm_split_lvm_name(const char *name, char *buf, size_t len, const char **vg,
			   const char **lv, const char **layer);
