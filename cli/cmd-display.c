/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvdisplay, vgdisplay, pvdisplay (with -c/--colon) and lvscan in lvm2 2.03.16's formats
 * (lib/display/display.c lvdisplay_full/lvdisplay_colons, vgdisplay_full/vgdisplay_colons,
 * pvdisplay_full/pvdisplay_colons; tools/lvscan.c), built on the report rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "util/macros.h"
#include "util/strbuf.h"

enum {
	D_VERBOSE = 1,
	D_DEBUG,
	D_QUIET,
	D_YES,
	D_CONFIG,
	D_COLON,
	D_ALL,
	D_MAPS,
	D_UNITS,
	D_TRACE,
	D_READONLY,
	D_SHORT,
};

static const struct cli_option disp_opts[] = {
	{ D_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ D_DEBUG, 'd', "debug", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ D_QUIET, 'q', "quiet", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ D_YES, 'y', "yes", CLI_OPT_FLAG, 0 },
	{ D_CONFIG, 0, "config", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ D_COLON, 'c', "colon", CLI_OPT_FLAG, 0 },
	{ D_ALL, 'a', "all", CLI_OPT_FLAG, 0 },
	{ D_MAPS, 'm', "maps", CLI_OPT_FLAG, 0 },
	{ D_UNITS, 0, "units", CLI_OPT_UNITS, 0 },
	{ D_TRACE, 0, "trace", CLI_OPT_FLAG, 0 },
	{ D_READONLY, 0, "readonly", CLI_OPT_FLAG, 0 },
	{ D_SHORT, 's', "short", CLI_OPT_FLAG, 0 },
};

static const struct tb_rfield *rf(const struct tb_rfield *f, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (streq(f[i].id, id))
			return &f[i];
	return NULL;
}

static const char *rf_s(const struct tb_rfield *f, size_t n, const char *id)
{
	const struct tb_rfield *x = rf(f, n, id);
	return x && x->kind == TB_RF_STR ? x->s : "";
}

static uint64_t rf_u(const struct tb_rfield *f, size_t n, const char *id)
{
	const struct tb_rfield *x = rf(f, n, id);
	return x ? x->u : 0;
}

/* lvm2 display_size(SIZE_LONG): "592.00 MiB". */
static void disp_size(uint64_t sectors, char *buf, size_t len)
{
	char t[64];
	size_t l;
	const char *unit;

	if (!sectors) {
		snprintf(buf, len, "0   ");
		return;
	}
	cli_format_size(sectors, 'h', true, t, sizeof(t));
	l = strlen(t);
	switch (l ? t[l - 1] : 0) {
	case 'k':
		unit = "KiB";
		break;
	case 'm':
		unit = "MiB";
		break;
	case 'g':
		unit = "GiB";
		break;
	case 't':
		unit = "TiB";
		break;
	case 'p':
		unit = "PiB";
		break;
	case 'e':
		unit = "EiB";
		break;
	default:
		unit = "B";
		break;
	}
	if (l)
		t[l - 1] = '\0';
	snprintf(buf, len, "%s %s", t, unit);
}

static int parse_disp(const char *cmd, int argc, char **argv, struct cli_parsed **p)
{
	int r = cli_options_parse(cmd, disp_opts, ARRAY_SIZE(disp_opts), argc, argv, stderr, p);
	if (r == CLI_OK && cli_opt_isset(*p, D_TRACE))
		setenv("THINBOX_TRACE", "1", 1);
	return r;
}

/* ---- lvdisplay, lvscan ---- */

struct lv_item {
	char *vg;
	long long md_index; /* processing order: pools first (lvm2 toollib.c adds them to the
			     * front of the list), then the others in metadata order */
	char *text;
};

struct lvd {
	struct cli_parsed *p;
	bool colon, scan;
	struct lv_item *items;
	size_t n;
	int err;
};

static bool lv_arg_wanted(const struct cli_parsed *p, const char *vg, const char *lv)
{
	if (!p->n_pos)
		return true;
	for (int i = 0; i < p->n_pos; i++) {
		const char *a = p->pos[i];
		size_t vl = strlen(vg);
		if (!strncmp(a, "/dev/", 5))
			a += 5;
		if (!strchr(a, '/') ? streq(a, vg)
				    : (!strncmp(a, vg, vl) && a[vl] == '/' && streq(a + vl + 1, lv)))
			return true;
	}
	return false;
}

static int lvd_row(void *userdata, const struct tb_lv_row *row)
{
	struct lvd *d = userdata;
	const struct tb_rfield *f = row->fields;
	size_t n = row->n_fields;
	const char *bare = row->name[0] == '[' ? row->name + 1 : row->name;
	char name[300], size[64], when[64] = "";
	struct strbuf sb = { 0 };
	const struct tb_rfield *t = rf(f, n, "lv_time");
	bool active = row->attr[4] == 'a' || row->attr[4] == 's';
	bool dev = rf(f, n, "_open") != NULL; /* the LV's own device exists */
	bool pool = row->attr[0] == 't', thin = row->attr[0] == 'V';
	struct lv_item *ni;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(bare, "]"), bare);
	if (!lv_arg_wanted(d->p, row->vg, name))
		return 0;
	if (t) {
		time_t tt = (time_t)t->i;
		struct tm tm;
		if (localtime_r(&tt, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	}
	disp_size(row->size, size, sizeof(size));
	if (d->scan) {
		char p[600];
		snprintf(p, sizeof(p), "'/dev/%s/%s'", row->vg, name);
		strbuf_appendf(&sb, "  %-17s %s [%s] %s\n", active ? "ACTIVE" : "inactive", p, size,
			       rf_s(f, n, "lv_allocation_policy"));
	} else if (d->colon) {
		const char *kd = rf_s(f, n, "_kdev");
		char maj[16] = "-1", min[16] = "-1";
		if (*kd)
			sscanf(kd, "%15[0-9]:%15[0-9]", maj, min);
		strbuf_appendf(&sb, "  /dev/%s/%s:%s:%u:%d:-1:%llu:%llu:%llu:-1:%d:-1:%s:%s\n",
			       row->vg, name, row->vg,
			       (row->attr[1] == 'w' ? 3u : 1u) | (dev && rf_u(f, n, "_ro") ? 4u : 0u),
			       dev ? 1 : 0, (unsigned long long)rf_u(f, n, "_open"),
			       (unsigned long long)row->size, (unsigned long long)rf_u(f, n, "_le"),
			       row->attr[2] == 'c' ? 2 : 0, maj, min);
	} else {
		const char *ra = rf_s(f, n, "lv_read_ahead");
		strbuf_append(&sb, "  --- Logical volume ---\n");
		if (*rf_s(f, n, "lv_path"))
			strbuf_appendf(&sb, "  LV Path                %s\n", rf_s(f, n, "lv_path"));
		strbuf_appendf(&sb, "  LV Name                %s\n", name);
		strbuf_appendf(&sb, "  VG Name                %s\n", row->vg);
		strbuf_appendf(&sb, "  LV UUID                %s\n", row->uuid);
		strbuf_appendf(&sb, "  LV Write Access        %s%s\n",
			       row->attr[1] == 'w' ? "read/write" : "read only",
			       dev && rf_u(f, n, "_ro") && row->attr[1] == 'w'
				       ? " (activated read only)"
				       : "");
		if (t)
			strbuf_appendf(&sb, "  LV Creation host, time %s, %s\n",
				       rf_s(f, n, "lv_host"), when);
		if (pool) {
			const char *m = rf_s(f, n, "metadata_lv"), *dl = rf_s(f, n, "data_lv");
			strbuf_appendf(&sb, "  LV Pool metadata       %.*s\n",
				       (int)strcspn(m + (*m == '['), "]"), m + (*m == '['));
			strbuf_appendf(&sb, "  LV Pool data           %.*s\n",
				       (int)strcspn(dl + (*dl == '['), "]"), dl + (*dl == '['));
		}
		if (thin) {
			strbuf_appendf(&sb, "  LV Pool name           %s\n", row->pool);
			if (*row->origin)
				strbuf_appendf(&sb, "  LV Thin origin name    %s\n", row->origin);
		}
		strbuf_appendf(&sb, "  LV Status              %s\n",
			       active ? "available" : "NOT available");
		if (active)
			strbuf_appendf(&sb, "  # open                 %llu\n",
				       (unsigned long long)rf_u(f, n, "_open"));
		strbuf_appendf(&sb, "  LV Size                %s\n", size);
		if (pool && row->has_data_percent) {
			char a[32];
			cli_format_percent(row->data_num, row->data_den, a, sizeof(a));
			strbuf_appendf(&sb, "  Allocated pool data    %s%%\n", a);
			cli_format_percent(row->meta_num, row->meta_den, a, sizeof(a));
			strbuf_appendf(&sb, "  Allocated metadata     %s%%\n", a);
		}
		if (thin && row->has_data_percent) {
			char a[32];
			cli_format_percent(row->data_num, row->data_den, a, sizeof(a));
			strbuf_appendf(&sb, "  Mapped size            %s%%\n", a);
		}
		strbuf_appendf(&sb, "  Current LE             %llu\n",
			       (unsigned long long)rf_u(f, n, "_le"));
		strbuf_appendf(&sb, "  Segments               %llu\n",
			       (unsigned long long)row->seg_count);
		strbuf_appendf(&sb, "  Allocation             %s\n",
			       rf_s(f, n, "lv_allocation_policy"));
		strbuf_appendf(&sb, "  Read ahead sectors     %s\n", *ra ? ra : "auto");
		if (dev && rf(f, n, "lv_kernel_read_ahead"))
			strbuf_appendf(&sb, "  - currently set to     %llu\n",
				       (unsigned long long)rf_u(f, n, "lv_kernel_read_ahead"));
		if (dev)
			strbuf_appendf(&sb, "  Block device           %s\n", rf_s(f, n, "_kdev"));
		strbuf_append(&sb, "   \n");
	}
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return -ENOMEM;
	}
	ni = realloc(d->items, (d->n + 1) * sizeof(*ni));
	if (!ni) {
		strbuf_release(&sb);
		return -ENOMEM;
	}
	d->items = ni;
	d->items[d->n].vg = strdup(row->vg);
	d->items[d->n].md_index = pool ? -1 - (long long)row->md_index : (long long)row->md_index;
	d->items[d->n].text = strbuf_steal(&sb);
	d->n++;
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	const struct lv_item *x = a, *y = b;
	int c = strcmp(x->vg ? x->vg : "", y->vg ? y->vg : "");
	return c ? c : (x->md_index > y->md_index) - (x->md_index < y->md_index);
}

static int run_lvd(struct tb_ctx *ctx, const char *cmd, int argc, char **argv, bool scan)
{
	struct cli_parsed *p = NULL;
	struct lvd d = { 0 };
	const char **vgs = NULL;
	size_t nv = 0;
	int r = parse_disp(cmd, argc, argv, &p);

	if (r)
		return r;
	d.p = p;
	d.scan = scan;
	d.colon = cli_opt_isset(p, D_COLON);
	vgs = calloc((size_t)p->n_pos + 1, sizeof(*vgs));
	if (!vgs) {
		cli_parsed_free(p);
		return CLI_FAILED;
	}
	for (int i = 0; !scan && i < p->n_pos; i++) {
		const char *a = !strncmp(p->pos[i], "/dev/", 5) ? p->pos[i] + 5 : p->pos[i];
		char *v = strndup(a, strcspn(a, "/"));
		bool dup = false;
		for (size_t k = 0; v && k < nv; k++)
			dup |= streq(vgs[k], v);
		if (v && !dup)
			vgs[nv++] = v;
		else
			free(v);
	}
	r = tb_report_lvs(ctx, vgs, nv, cli_opt_isset(p, D_ALL), lvd_row, &d);
	if (r < 0) {
		cli_err("%s", tb_ctx_errmsg(ctx));
	} else {
		qsort(d.items, d.n, sizeof(*d.items), cmp_item);
		for (size_t i = 0; i < d.n; i++)
			fputs(d.items[i].text, stdout);
		if (!d.n && p->n_pos && !scan) {
			cli_err("Failed to find logical volume \"%s\"", p->pos[0]);
			r = -ENOENT;
		}
	}
	for (size_t i = 0; i < d.n; i++) {
		free(d.items[i].vg);
		free(d.items[i].text);
	}
	free(d.items);
	for (size_t k = 0; k < nv; k++)
		free((char *)vgs[k]);
	free(vgs);
	cli_parsed_free(p);
	return r < 0 ? CLI_FAILED : CLI_OK;
}

static int cmd_lvdisplay(struct tb_ctx *ctx, int argc, char **argv)
{
	return run_lvd(ctx, "lvdisplay", argc, argv, false);
}
CLI_COMMAND(lvdisplay, "lvdisplay", cmd_lvdisplay, "display logical volumes (lvm2 format, -c)");

static int cmd_lvscan(struct tb_ctx *ctx, int argc, char **argv)
{
	return run_lvd(ctx, "lvscan", argc, argv, true);
}
CLI_COMMAND(lvscan, "lvscan", cmd_lvscan, "list logical volumes (lvm2 format)");

/* ---- vgdisplay ---- */

struct vgd {
	bool colon;
	int open_lv;
	const char *vg;
};

static int vgd_open_row(void *userdata, const struct tb_lv_row *row)
{
	struct vgd *d = userdata;
	const struct tb_rfield *o = rf(row->fields, row->n_fields, "_open");
	if (row->visible && o && o->u > 0)
		d->open_lv++;
	return 0;
}

static int vgd_row(void *userdata, const struct tb_vg_row *row)
{
	struct vgd *d = userdata;
	const struct tb_rfield *f = row->fields;
	size_t n = row->n_fields;
	uint64_t alloc = row->extent_count - row->free_count;
	char a[64], b[64], c[64], e[64];
	bool rw = row->attr[0] == 'w';

	if (d->colon) {
		printf("  %s:%s:%u:-1:%llu:%u:%d:-1:%llu:%u:%u:%llu:%llu:%llu:%llu:%llu:%s\n",
		       row->name, rw ? "r/w" : "r",
		       0x100u | (rw ? 0x200u : 0) | (row->attr[1] == 'z' ? 4u : 0) |
			       (row->attr[2] == 'x' ? 2u : 0),
		       (unsigned long long)rf_u(f, n, "max_lv"), row->lv_count, d->open_lv,
		       (unsigned long long)rf_u(f, n, "max_pv"), row->pv_count, row->pv_count,
		       (unsigned long long)(row->size / 2),
		       (unsigned long long)(row->extent_size / 2),
		       (unsigned long long)row->extent_count, (unsigned long long)alloc,
		       (unsigned long long)row->free_count, row->uuid);
		return 0;
	}
	disp_size(row->size, a, sizeof(a));
	disp_size(row->extent_size, e, sizeof(e));
	disp_size(alloc * row->extent_size, b, sizeof(b));
	disp_size(row->free, c, sizeof(c));
	printf("  --- Volume group ---\n");
	printf("  VG Name               %s\n", row->name);
	printf("  System ID             %s\n", rf_s(f, n, "vg_systemid"));
	printf("  Format                lvm2\n");
	printf("  Metadata Areas        %llu\n", (unsigned long long)rf_u(f, n, "vg_mda_count"));
	printf("  Metadata Sequence No  %u\n", row->seqno);
	printf("  VG Access             %s\n", rw ? "read/write" : "read");
	printf("  VG Status             %s%s\n", row->attr[2] == 'x' ? "exported/" : "",
	       row->attr[1] == 'z' ? "resizable" : "");
	printf("  MAX LV                %llu\n", (unsigned long long)rf_u(f, n, "max_lv"));
	printf("  Cur LV                %u\n", row->lv_count);
	printf("  Open LV               %d\n", d->open_lv);
	printf("  Max PV                %llu\n", (unsigned long long)rf_u(f, n, "max_pv"));
	printf("  Cur PV                %u\n", row->pv_count);
	printf("  Act PV                %u\n", row->pv_count);
	printf("  VG Size               %s\n", a);
	printf("  PE Size               %s\n", e);
	printf("  Total PE              %llu\n", (unsigned long long)row->extent_count);
	printf("  Alloc PE / Size       %llu / %s\n", (unsigned long long)alloc, b);
	printf("  Free  PE / Size       %llu / %s\n", (unsigned long long)row->free_count, c);
	printf("  VG UUID               %s\n", row->uuid);
	printf("   \n");
	return 0;
}

struct name_list2 {
	char **v;
	size_t n;
};

static int vg_name_row(void *userdata, const struct tb_vg_row *row)
{
	struct name_list2 *l = userdata;
	char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	l->v = nv;
	if (!(l->v[l->n] = strdup(row->name)))
		return -ENOMEM;
	l->n++;
	return 0;
}

static int cmd_vgdisplay(struct tb_ctx *ctx, int argc, char **argv)
{
	struct cli_parsed *p = NULL;
	struct name_list2 names = { 0 };
	int r = parse_disp("vgdisplay", argc, argv, &p);

	if (r)
		return r;
	r = tb_report_vgs(ctx, (const char *const *)p->pos, (size_t)p->n_pos, vg_name_row, &names);
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		struct vgd d = { .colon = cli_opt_isset(p, D_COLON), .vg = names.v[i] };
		const char *one[1] = { names.v[i] };
		r = tb_report_lvs(ctx, one, 1, false, vgd_open_row, &d);
		if (r == 0)
			r = tb_report_vgs(ctx, one, 1, vgd_row, &d);
	}
	if (r < 0)
		cli_err("%s", tb_ctx_errmsg(ctx));
	fflush(stdout);
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	cli_parsed_free(p);
	return r < 0 ? CLI_FAILED : CLI_OK;
}
CLI_COMMAND(vgdisplay, "vgdisplay", cmd_vgdisplay, "display volume groups (lvm2 format, -c)");

/* ---- pvdisplay ---- */

struct pvd {
	bool colon;
	uint64_t extent_size; /* of the row's VG, from pv_size / pe_count */
};

static int pvd_row(void *userdata, const struct tb_pv_row *row)
{
	struct pvd *d = userdata;
	const struct tb_rfield *f = row->fields;
	size_t n = row->n_fields;
	uint64_t pe = row->pe_count ? row->size / row->pe_count : 0;
	bool alloc = rf(f, n, "pv_allocatable") && rf(f, n, "pv_allocatable")->i > 0;
	char a[64], b[64], e[64];

	if (d->colon) {
		printf("  %s:%s:%llu:-1:%u:%u:-1:%llu:%llu:%llu:%llu:%s\n", row->name, row->vg,
		       (unsigned long long)row->dev_size, alloc ? 8u : 0u, alloc ? 8u : 0u,
		       (unsigned long long)(pe / 2), (unsigned long long)row->pe_count,
		       (unsigned long long)(row->pe_count - row->pe_alloc),
		       (unsigned long long)row->pe_alloc, row->uuid);
		return 0;
	}
	printf("  --- Physical volume ---\n");
	printf("  PV Name               %s\n", row->name);
	printf("  VG Name               %s\n", row->vg);
	disp_size(row->dev_size, a, sizeof(a));
	disp_size(row->dev_size > row->size ? row->dev_size - row->size : 0, b, sizeof(b));
	if (*row->vg)
		printf("  PV Size               %s / not usable %s\n", a, b);
	else
		printf("  PV Size               %s\n", a);
	printf("  Allocatable           %s\n", alloc ? "yes " : "NO");
	disp_size(pe, e, sizeof(e));
	printf("  PE Size               %s\n", pe ? e : "0   ");
	printf("  Total PE              %llu\n", (unsigned long long)row->pe_count);
	printf("  Free PE               %llu\n",
	       (unsigned long long)(row->pe_count - row->pe_alloc));
	printf("  Allocated PE          %llu\n", (unsigned long long)row->pe_alloc);
	printf("  PV UUID               %s\n", row->uuid);
	printf("   \n");
	(void)d;
	return 0;
}

static int cmd_pvdisplay(struct tb_ctx *ctx, int argc, char **argv)
{
	struct cli_parsed *p = NULL;
	struct pvd d = { 0 };
	int r = parse_disp("pvdisplay", argc, argv, &p);

	if (r)
		return r;
	d.colon = cli_opt_isset(p, D_COLON);
	r = tb_report_pvs(ctx, (const char *const *)p->pos, (size_t)p->n_pos, pvd_row, &d);
	if (r < 0)
		cli_err("%s", tb_ctx_errmsg(ctx));
	fflush(stdout);
	cli_parsed_free(p);
	return r < 0 ? CLI_FAILED : CLI_OK;
}
CLI_COMMAND(pvdisplay, "pvdisplay", cmd_pvdisplay, "display physical volumes (lvm2 format, -c)");
