/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thinbox check [DEV...]: label, PV header and metadata-area health, like pvck. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int print_report(void *userdata, const struct tb_check_report *r)
{
	int *problems = userdata;

	printf("%s:\n", r->device);
	if (r->label_status < 0) {
		printf("  label: %s\n", r->label_reason);
		if (r->label_status != -2 /* ENOENT */)
			(*problems)++;
		return 0;
	}
	printf("  label: sector %" PRIu64 ", ok\n", r->label_sector);
	printf("  pv_header: uuid %s, device_size %" PRIu64 ", pe_start %" PRIu64
	       ", extension v%u flags 0x%x%s\n",
	       r->pv_uuid, r->device_size, r->pe_start, r->ext_version, r->ext_flags,
	       (r->ext_flags & 1) ? " (in a VG)" : "");
	if (r->label_reason[0]) {
		printf("  problem: %s\n", r->label_reason);
		(*problems)++;
	}
	for (size_t i = 0; i < r->n_mda; i++) {
		const struct tb_check_mda *m = &r->mda[i];
		printf("  mda%zu: offset %" PRIu64 " size %" PRIu64 ": ", i, m->offset, m->size);
		if (m->has_text)
			printf("ok, VG %s seqno %u, text at %" PRIu64 " size %" PRIu64
			       " checksum 0x%08x\n",
			       m->vgname, m->seqno, m->text_offset, m->text_size, m->text_checksum);
		else if (m->status == -61 /* ENODATA */)
			printf("ok, %s\n", m->reason[0] ? m->reason : "empty");
		else {
			printf("BAD: %s\n", m->reason);
			(*problems)++;
		}
	}
	return 0;
}

/* pvck --repair [-f|--file FILE] [-y] DEV (lvm2 2.03's option names) */
static int cmd_repair(struct tb_ctx *ctx, int argc, char **argv)
{
	const char *file = NULL, *dev = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--repair") || !strcmp(a, "-y") || !strcmp(a, "--yes") ||
		    !strcmp(a, "-v") || !strcmp(a, "--verbose"))
			continue;
		if ((!strcmp(a, "-f") || !strcmp(a, "--file")) && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(a, "--file=", 7))
			file = a + 7;
		else if (a[0] == '-' || dev) {
			cli_err("usage: pvck --repair [-f FILE] [-y] DEVICE");
			return CLI_EINVAL;
		} else
			dev = a;
	}
	if (!dev) {
		cli_err("usage: pvck --repair [-f FILE] [-y] DEVICE");
		return CLI_EINVAL;
	}
	if (tb_pvck_repair(ctx, dev, file) < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	return CLI_OK;
}

static int cmd_check(struct tb_ctx *ctx, int argc, char **argv)
{
	int problems = 0, r;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--repair"))
			return cmd_repair(ctx, argc, argv);

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-') {
			cli_err("usage: thinbox check [DEVICE...]");
			return CLI_EINVAL;
		}
	r = tb_check_devices(ctx, (const char *const *)argv + 1, (size_t)(argc - 1), print_report,
			     &problems);
	if (r < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
		return CLI_FAILED;
	}
	if (problems) {
		cli_err("%d problem(s) found.", problems);
		return CLI_FAILED;
	}
	return CLI_OK;
}
CLI_COMMAND(check, "check", cmd_check, "check labels, PV headers and metadata areas (pvck)");
/* lvm2's pvck name: the same health report (thinbox's own output, not pvck's). */
CLI_COMMAND(pvck, "pvck", cmd_check, "same as check");
