/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dmsetup's column report. The field ids, headings and minimum widths are dmsetup's
 * (libdm/dm-tools/dmsetup.c _report_fields, lvm2 2.03.16); the output rules are libdm's
 * report: aligned unless a separator, --noheadings or --nameprefixes is given (then the
 * values are joined as they are), numbers right-aligned, every column (the last one too)
 * padded to max(minimum width, longest value), headings printed only above a first row. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/dm-report.h"
#include "util/macros.h"
#include "util/strbuf.h"

enum field_kind {
	F_NAME,
	F_MANGLED_NAME,
	F_UNMANGLED_NAME,
	F_UUID,
	F_MANGLED_UUID,
	F_UNMANGLED_UUID,
	F_READ_AHEAD,
	F_BLKDEVNAME,
	F_ATTR,
	F_TABLES,
	F_SUSPENDED,
	F_READONLY,
	F_DEVNO,
	F_MAJOR,
	F_MINOR,
	F_OPEN,
	F_SEGMENTS,
	F_EVENTS,
	F_DEVICE_COUNT,
	F_DEVS_USED,
	F_DEVNOS_USED,
	F_BLKDEVS_USED,
	F_REF_COUNT,
	F_NAMES_USING,
	F_DEVNOS_USING,
	F_SUBSYSTEM,
	F_VG,
	F_LV,
	F_LAYER,
};

enum field_group { G_NAME, G_INFO, G_DEPS, G_SPLIT };

struct field {
	const char *id, *heading;
	int width;
	bool num;
	enum field_kind kind;
	enum field_group group;
	const char *desc;
};

static const struct field fields[] = {
	{ "name", "Name", 16, false, F_NAME, G_NAME, "Name of mapped device." },
	{ "mangled_name", "MangledName", 16, false, F_MANGLED_NAME, G_NAME,
	  "Mangled name of mapped device." },
	{ "unmangled_name", "UnmangledName", 16, false, F_UNMANGLED_NAME, G_NAME,
	  "Unmangled name of mapped device." },
	{ "uuid", "UUID", 32, false, F_UUID, G_NAME,
	  "Unique (optional) identifier for mapped device." },
	{ "mangled_uuid", "MangledUUID", 32, false, F_MANGLED_UUID, G_NAME,
	  "Mangled unique (optional) identifier for mapped device." },
	{ "unmangled_uuid", "UnmangledUUID", 32, false, F_UNMANGLED_UUID, G_NAME,
	  "Unmangled unique (optional) identifier for mapped device." },
	{ "read_ahead", "RAhead", 6, true, F_READ_AHEAD, G_NAME, "Read ahead value." },
	{ "blkdevname", "BlkDevName", 16, false, F_BLKDEVNAME, G_INFO, "Name of block device." },
	{ "attr", "Stat", 4, false, F_ATTR, G_INFO,
	  "(L)ive, (I)nactive, (s)uspended, (r)ead-only, read-(w)rite." },
	{ "tables_loaded", "Tables", 6, false, F_TABLES, G_INFO,
	  "Which of the live and inactive table slots are filled." },
	{ "suspended", "Suspended", 9, false, F_SUSPENDED, G_INFO,
	  "Whether the device is suspended." },
	{ "readonly", "Read-only", 9, false, F_READONLY, G_INFO,
	  "Whether the device is read-only or writeable." },
	{ "devno", "DevNo", 5, false, F_DEVNO, G_INFO, "Device major and minor numbers" },
	{ "major", "Maj", 3, true, F_MAJOR, G_INFO, "Block device major number." },
	{ "minor", "Min", 3, true, F_MINOR, G_INFO, "Block device minor number." },
	{ "open", "Open", 4, true, F_OPEN, G_INFO,
	  "Number of references to open device, if requested." },
	{ "segments", "Targ", 4, true, F_SEGMENTS, G_INFO,
	  "Number of segments in live table, if present." },
	{ "events", "Event", 6, true, F_EVENTS, G_INFO, "Number of most recent event." },
	{ "device_count", "#Devs", 5, true, F_DEVICE_COUNT, G_DEPS,
	  "Number of devices used by this one." },
	{ "devs_used", "DevNamesUsed", 16, false, F_DEVS_USED, G_DEPS,
	  "List of names of mapped devices used by this one." },
	{ "devnos_used", "DevNosUsed", 16, false, F_DEVNOS_USED, G_DEPS,
	  "List of device numbers of devices used by this one." },
	{ "blkdevs_used", "BlkDevNamesUsed", 16, false, F_BLKDEVS_USED, G_DEPS,
	  "List of names of block devices used by this one." },
	{ "device_ref_count", "#Refs", 5, true, F_REF_COUNT, G_DEPS,
	  "Number of mapped devices referencing this one." },
	{ "names_using_dev", "RefNames", 8, false, F_NAMES_USING, G_DEPS,
	  "List of names of mapped devices using this one." },
	{ "devnos_using_dev", "RefDevNos", 9, false, F_DEVNOS_USING, G_DEPS,
	  "List of device numbers of mapped devices using this one." },
	{ "subsystem", "Subsys", 6, false, F_SUBSYSTEM, G_SPLIT,
	  "Userspace subsystem responsible for this device." },
	{ "vg_name", "VG", 4, false, F_VG, G_SPLIT, "LVM Volume Group name." },
	{ "lv_name", "LV", 4, false, F_LV, G_SPLIT, "LVM Logical Volume name." },
	{ "lv_layer", "LVLayer", 7, false, F_LAYER, G_SPLIT, "LVM device layer." },
};

static const char *const group_titles[] = {
	[G_NAME] = "Mapped Device Name Fields",
	[G_INFO] = "Mapped Device Information Fields",
	[G_DEPS] = "Mapped Device Relationship Information Fields",
	[G_SPLIT] = "Mapped Device Name Components Fields",
};
static const char *const group_all[] = {
	[G_NAME] = "name_all",
	[G_INFO] = "info_all",
	[G_DEPS] = "deps_all",
	[G_SPLIT] = "name_all",
};

#define MAX_COLS 64
#define MAX_KEYS 16

struct row {
	char *v[MAX_COLS];
	long long n[MAX_COLS]; /* numeric value for sorting */
};

struct cli_dm_report {
	const struct field *col[MAX_COLS];
	int width[MAX_COLS];
	size_t ncol, nvis; /* columns; the first nvis are printed, the rest only sort */
	int key[MAX_KEYS]; /* column index; negative-1 encoded as -(i+1) for descending */
	size_t nkey;
	const char *sep;
	bool aligned, headings, prefixes, quoted;
	struct row *rows;
	size_t nrows, cap;
};

bool cli_dm_blkdev_name(unsigned major, unsigned minor, char *buf, size_t len)
{
	char path[64], target[PATH_MAX];
	ssize_t n;
	const char *b;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major, minor);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	b = strrchr(target, '/');
	snprintf(buf, len, "%s", b ? b + 1 : target);
	return true;
}

bool cli_dm_mapped_name(unsigned major, unsigned minor, char *buf, size_t len)
{
	char path[64];
	FILE *f;
	bool ok = false;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/dm/name", major, minor);
	f = fopen(path, "re");
	if (f) {
		if (fgets(buf, (int)len, f)) {
			buf[strcspn(buf, "\n")] = '\0';
			ok = true;
		}
		fclose(f);
	}
	return ok || cli_dm_blkdev_name(major, minor, buf, len);
}

/* libdm's _unquote: a component ends at a single '-'; "--" stands for '-'. */
static char *unquote(char *c)
{
	char *o = c, *r;

	while (*c) {
		if (c[1] && c[0] == '-') {
			if (c[1] == '-')
				c++;
			else
				break;
		}
		*o++ = *c++;
	}
	r = *c ? c + 1 : c;
	*o = '\0';
	return r;
}

void cli_dm_split_lvm_name(const char *name, char *buf, size_t len, const char **vg,
			   const char **lv, const char **layer)
{
	char *l, *y;

	snprintf(buf, len, "%s", name);
	l = unquote(buf);
	y = unquote(l);
	unquote(y);
	*vg = buf;
	*lv = l;
	*layer = y;
}

static void print_help(void)
{
	for (int g = G_NAME; g <= G_SPLIT; g++) {
		fprintf(stderr, "%s\n", group_titles[g]);
		for (size_t i = 0; group_titles[g][i]; i++)
			fputc('-', stderr);
		fputc('\n', stderr);
		if (g != G_SPLIT)
			fprintf(stderr, "  %-20s  - All fields in this section.\n", group_all[g]);
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
			if ((int)fields[i].group == g)
				fprintf(stderr, "  %-20s  - %s\n", fields[i].id, fields[i].desc);
		fputs(" \n", stderr);
	}
	fputs("Special Fields\n--------------\n  ?                     - Show help.\n \n", stderr);
}

static const struct field *field_find(const char *id, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (strlen(fields[i].id) == len && !strncmp(fields[i].id, id, len))
			return &fields[i];
	/* libdm also accepts the id with the report-type prefix left off or added */
	if (len > 3 && !strncmp(id, "dm_", 3))
		return field_find(id + 3, len - 3);
	return NULL;
}

static int add_col(struct cli_dm_report *r, const struct field *f)
{
	if (r->ncol >= MAX_COLS)
		return -E2BIG;
	r->col[r->ncol] = f;
	r->width[r->ncol] = f->width;
	r->ncol++;
	return 0;
}

static int parse_list(struct cli_dm_report *r, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t l = strcspn(p, ",");
		const struct field *f;

		if (l == 0) {
			p++;
			continue;
		}
		if ((l == 4 && !strncmp(p, "help", 4)) || (l == 1 && *p == '?'))
			return 1;
		f = field_find(p, l);
		if (!f) {
			bool all = false;
			for (int g = G_NAME; g < G_SPLIT; g++)
				if (strlen(group_all[g]) == l && !strncmp(group_all[g], p, l)) {
					for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
						if (fields[i].group == (enum field_group)g &&
						    add_col(r, &fields[i]) < 0)
							return -E2BIG;
					all = true;
				}
			if (!all) {
				print_help();
				fprintf(stderr, "Unrecognised field: %.*s\n", (int)l, p);
				return -EINVAL;
			}
		} else if (add_col(r, f) < 0)
			return -E2BIG;
		p += l;
	}
	return 0;
}

static int parse_sort(struct cli_dm_report *r, const char *keys)
{
	const char *p = keys;

	while (*p) {
		size_t l = strcspn(p, ",");
		bool desc = false;
		const char *k = p;
		const struct field *f;
		size_t i;

		if (l == 0) {
			p++;
			continue;
		}
		if (*k == '+' || *k == '-') {
			desc = *k == '-';
			k++;
			l--;
		}
		f = field_find(k, l);
		if (!f) {
			fprintf(stderr, "Unrecognised field: %.*s\n", (int)l, k);
			return -EINVAL;
		}
		for (i = 0; i < r->ncol && r->col[i] != f; i++)
			;
		if (i == r->ncol && add_col(r, f) < 0) /* hidden sort column: not printed */
			return -E2BIG;
		if (r->nkey >= MAX_KEYS)
			return -E2BIG;
		r->key[r->nkey++] = desc ? -(int)(i + 1) : (int)i + 1;
		p = k + l;
	}
	return 0;
}

int cli_dm_report_new(const struct cli_dm_report_opts *o, struct cli_dm_report **ret)
{
	const char *def = o->splitname ? "vg_name,lv_name,lv_layer"
				       : "name,major,minor,attr,open,segments,events,uuid";
	_cleanup_free_ char *list = NULL;
	struct cli_dm_report *r;
	size_t visible;
	int k;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->sep = " ";
	r->aligned = r->headings = r->quoted = true;
	if (o->noheadings) { /* "emulate old dmsetup behaviour" */
		r->sep = ":";
		r->aligned = false;
		r->headings = false;
	}
	if (o->nameprefixes) {
		r->aligned = false;
		r->prefixes = true;
	}
	if (o->unquoted)
		r->quoted = false;
	if (o->separator) {
		r->sep = o->separator;
		r->aligned = false;
	}
	if (!o->fields)
		list = strdup(def);
	else if (o->fields[0] == '+') {
		if (asprintf(&list, "%s,%s", def, o->fields + 1) < 0)
			list = NULL;
	} else
		list = strdup(o->fields);
	if (!list) {
		free(r);
		return -ENOMEM;
	}
	k = parse_list(r, list);
	if (k == 1 || (k == 0 && o->fields && strstr(o->fields, "help"))) {
		print_help();
		free(r);
		return 1;
	}
	if (k < 0) {
		free(r);
		return k;
	}
	visible = r->ncol;
	if (o->sort && (k = parse_sort(r, o->sort)) < 0) {
		free(r);
		return k;
	}
	r->nvis = visible;
	*ret = r;
	return 0;
}

bool cli_dm_report_needs_deps(const struct cli_dm_report *r)
{
	for (size_t i = 0; i < r->ncol; i++)
		if (r->col[i]->group == G_DEPS)
			return true;
	return false;
}

bool cli_dm_report_needs_tree(const struct cli_dm_report *r)
{
	for (size_t i = 0; i < r->ncol; i++)
		if (r->col[i]->kind == F_REF_COUNT || r->col[i]->kind == F_NAMES_USING ||
		    r->col[i]->kind == F_DEVNOS_USING || r->col[i]->kind == F_DEVS_USED)
			return true;
	return false;
}

static uint32_t read_ahead(const struct tb_dm_info *i)
{
	char path[96];
	unsigned long kb;
	FILE *f;
	uint32_t v = 0;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/bdi/read_ahead_kb", i->major, i->minor);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &kb) == 1 && kb < UINT32_MAX / 2)
		v = (uint32_t)(kb * 2);
	fclose(f);
	return v;
}

/* The uuid's prefix up to the first '-' (libdm's _extract_uuid_prefix). */
static void subsystem_of(const char *uuid, char *buf, size_t len)
{
	const char *d = uuid ? strchr(uuid, '-') : NULL;
	size_t l = d ? (size_t)(d - uuid) : 0;

	snprintf(buf, len, "%.*s", (int)l, l ? uuid : "");
}

static char *value(const struct field *f, const struct cli_dm_report_dev *d, long long *num)
{
	const struct tb_dm_info *i = d->info;
	struct strbuf sb = { 0 };
	char buf[PATH_MAX], split[TB_DM_NAME_LEN * 2], subsys[TB_DM_UUID_LEN];
	const char *vg = "", *lv = "", *layer = "";
	long long n = 0;
	bool is_num = f->num;

	switch (f->group) {
	case G_SPLIT:
		if (d->info)
			subsystem_of(d->uuid, subsys, sizeof(subsys));
		else
			snprintf(subsys, sizeof(subsys), "%s", d->uuid ? d->uuid : "LVM");
		if (streq(subsys, "LVM"))
			cli_dm_split_lvm_name(d->name, split, sizeof(split), &vg, &lv, &layer);
		break;
	default:
		break;
	}
	switch (f->kind) {
	case F_NAME:
	case F_MANGLED_NAME:
	case F_UNMANGLED_NAME:
		strbuf_append(&sb, d->name);
		break;
	case F_UUID:
	case F_MANGLED_UUID:
	case F_UNMANGLED_UUID:
		strbuf_append(&sb, d->uuid ? d->uuid : "");
		break;
	case F_READ_AHEAD:
		n = read_ahead(i);
		break;
	case F_BLKDEVNAME:
		if (!cli_dm_blkdev_name(i->major, i->minor, buf, sizeof(buf))) {
			fprintf(stderr, "Could not resolve block device name for %u:%u.\n",
				i->major, i->minor);
			return NULL;
		}
		strbuf_append(&sb, buf);
		break;
	case F_ATTR:
		strbuf_appendc(&sb, i->live_table ? 'L' : '-');
		strbuf_appendc(&sb, i->inactive_table ? 'I' : '-');
		strbuf_appendc(&sb, i->suspended ? 's' : '-');
		strbuf_appendc(&sb, i->read_only ? 'r' : 'w');
		break;
	case F_TABLES:
		strbuf_append(&sb, i->live_table ? (i->inactive_table ? "Both" : "Live")
						 : (i->inactive_table ? "Inactive" : "None"));
		break;
	case F_SUSPENDED:
		strbuf_append(&sb, i->suspended ? "Suspended" : "Active");
		break;
	case F_READONLY:
		strbuf_append(&sb, i->read_only ? "Read-only" : "Writeable");
		break;
	case F_DEVNO:
		strbuf_appendf(&sb, "%u:%u", i->major, i->minor);
		break;
	case F_MAJOR:
		n = i->major;
		break;
	case F_MINOR:
		n = i->minor;
		break;
	case F_OPEN:
		n = i->open_count;
		break;
	case F_SEGMENTS:
		n = i->target_count;
		break;
	case F_EVENTS:
		n = i->event_nr;
		break;
	case F_DEVICE_COUNT:
		n = (long long)d->ndeps;
		break;
	case F_DEVNOS_USED:
	case F_BLKDEVS_USED:
	case F_DEVS_USED: {
		bool first = true;
		for (size_t k = 0; k < d->ndeps; k++) {
			const struct tb_dm_devno *x = &d->deps[k];
			if (f->kind == F_DEVS_USED) {
				const char *nm = NULL;
				for (size_t j = 0; j < d->nall; j++)
					if (d->all[j].major == x->major &&
					    d->all[j].minor == x->minor)
						nm = d->all[j].name;
				if (!nm)
					continue;
				strbuf_append(&sb, first ? "" : ",");
				strbuf_append(&sb, nm);
			} else if (f->kind == F_BLKDEVS_USED) {
				if (!cli_dm_blkdev_name(x->major, x->minor, buf, sizeof(buf))) {
					fprintf(stderr,
						"Could not resolve block device name for %u:%u.\n",
						x->major, x->minor);
					strbuf_release(&sb);
					return NULL;
				}
				strbuf_appendf(&sb, "%s%s", first ? "" : ",", buf);
			} else
				strbuf_appendf(&sb, "%s%u:%u", first ? "" : ",", x->major, x->minor);
			first = false;
		}
		break;
	}
	case F_REF_COUNT:
	case F_NAMES_USING:
	case F_DEVNOS_USING: {
		bool first = true;
		for (size_t j = 0; j < d->nall; j++)
			for (size_t k = 0; k < d->all_ndeps[j]; k++)
				if (d->all_deps[j][k].major == i->major &&
				    d->all_deps[j][k].minor == i->minor) {
					n++;
					if (f->kind == F_NAMES_USING)
						strbuf_appendf(&sb, "%s%s", first ? "" : ",",
							       d->all[j].name);
					else if (f->kind == F_DEVNOS_USING)
						strbuf_appendf(&sb, "%s%u:%u", first ? "" : ",",
							       d->all[j].major, d->all[j].minor);
					first = false;
				}
		break;
	}
	case F_SUBSYSTEM:
		strbuf_append(&sb, subsys);
		break;
	case F_VG:
		strbuf_append(&sb, vg);
		break;
	case F_LV:
		strbuf_append(&sb, lv);
		break;
	case F_LAYER:
		strbuf_append(&sb, layer);
		break;
	}
	if (is_num)
		strbuf_appendf(&sb, "%lld", n);
	*num = n;
	if (!strbuf_ok(&sb)) {
		strbuf_release(&sb);
		return NULL;
	}
	return sb.buf ? strbuf_steal(&sb) : strdup("");
}

int cli_dm_report_add(struct cli_dm_report *r, const struct cli_dm_report_dev *d)
{
	struct row row = { 0 };

	for (size_t c = 0; c < r->ncol; c++) {
		row.v[c] = value(r->col[c], d, &row.n[c]);
		if (!row.v[c]) {
			for (size_t k = 0; k < c; k++)
				free(row.v[k]);
			return -EINVAL;
		}
	}
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct row *n = realloc(r->rows, cap * sizeof(*n));
		if (!n) {
			for (size_t c = 0; c < r->ncol; c++)
				free(row.v[c]);
			return -ENOMEM;
		}
		r->rows = n;
		r->cap = cap;
	}
	r->rows[r->nrows++] = row;
	return 0;
}

static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct row *a = pa, *b = pb;
	const struct cli_dm_report *sort_r = arg;

	for (size_t k = 0; k < sort_r->nkey; k++) {
		int key = sort_r->key[k];
		size_t c = (size_t)(key < 0 ? -key : key) - 1;
		int d;

		if (sort_r->col[c]->num)
			d = a->n[c] < b->n[c] ? -1 : a->n[c] > b->n[c];
		else
			d = strcmp(a->v[c], b->v[c]);
		if (d)
			return key < 0 ? -d : d;
	}
	return 0;
}

static void upper(const char *s, char *buf, size_t len)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	buf[i] = '\0';
}

void cli_dm_report_output_free(struct cli_dm_report *r, FILE *out)
{
	size_t ncol;

	if (!r)
		return;
	ncol = r->nvis;
	if (r->nrows) {
		if (r->nkey) {
			qsort_r(r->rows, r->nrows, sizeof(*r->rows), row_cmp, r);
		}
		for (size_t c = 0; c < ncol; c++)
			for (size_t i = 0; i < r->nrows; i++)
				if ((int)strlen(r->rows[i].v[c]) > r->width[c])
					r->width[c] = (int)strlen(r->rows[i].v[c]);
		if (r->headings) {
			for (size_t c = 0; c < ncol; c++) {
				if (r->aligned)
					fprintf(out, "%-*.*s", r->width[c], r->width[c],
						r->col[c]->heading);
				else
					fputs(r->col[c]->heading, out);
				if (c + 1 < ncol)
					fputs(r->sep, out);
			}
			fputc('\n', out);
		}
		for (size_t i = 0; i < r->nrows; i++) {
			for (size_t c = 0; c < ncol; c++) {
				const char *v = r->rows[i].v[c];
				if (r->prefixes) {
					char id[64];
					upper(r->col[c]->id, id, sizeof(id));
					fprintf(out, "DM_%s=%s%s%s", id, r->quoted ? "'" : "", v,
						r->quoted ? "'" : "");
				} else if (r->aligned)
					fprintf(out, r->col[c]->num ? "%*s" : "%-*s", r->width[c],
						v);
				else
					fputs(v, out);
				if (c + 1 < ncol)
					fputs(r->sep, out);
			}
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t c = 0; c < r->ncol; c++)
			free(r->rows[i].v[c]);
	free(r->rows);
	free(r);
}
