/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Metadata copies in a metadata area found without its header (lvmfmt/ring.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lvmfmt/mda.h"
#include "lvmfmt/ring.h"
#include "metadata/md.h"
#include "util/crc.h"
#include "util/macros.h"

/* The line at @p (at most @max bytes, stops at '\n' or NUL): its length without the '\n'. */
static size_t line_len(const uint8_t *p, size_t max)
{
	size_t i = 0;

	while (i < max && p[i] != '\n' && p[i] != '\0')
		i++;
	return i;
}

/* "NAME {" with NAME in lvm2's name alphabet: the name's length, 0 when it is not that. */
static size_t vgname_start(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && md_name_char_is_valid((char)p[i]))
		i++;
	if (!i || i > MD_NAME_MAX || n != i + 2 || p[i] != ' ' || p[i + 1] != '{')
		return 0;
	return i;
}

/* The text starting at @start up to its NUL, wrapping once to 512 and stopping before
 * @stop (the first copy found, or @start itself): its length, or SIZE_MAX when no NUL. */
static size_t text_len(const uint8_t *a, size_t len, size_t start, size_t stop)
{
	for (size_t i = start; i < len; i++)
		if (!a[i])
			return i - start;
	for (size_t i = LVF_MDA_HEADER_SIZE; i < stop && i < start; i++)
		if (!a[i])
			return len - start + i - LVF_MDA_HEADER_SIZE;
	return SIZE_MAX;
}

static uint32_t text_crc(const uint8_t *a, size_t len, size_t start, size_t n)
{
	uint32_t crc = LVM_INITIAL_CRC;
	size_t first = MIN(n + 1, len - start);

	crc = lvm_crc(crc, a + start, first);
	if (first < n + 1)
		crc = lvm_crc(crc, a + LVF_MDA_HEADER_SIZE, n + 1 - first);
	return crc;
}

int lvf_ring_find(const uint8_t *area, size_t len, struct lvf_ring_copy *ret, size_t max)
{
	size_t found = 0, first = 0;

	if (!area || len < 2 * LVF_MDA_HEADER_SIZE || len % LVF_MDA_ALIGN)
		return -EINVAL;
	for (size_t off = LVF_MDA_HEADER_SIZE; off < len;) {
		const uint8_t *p = area + off;
		size_t rest = len - off, l1, l2, l3, nlen, tlen;
		struct lvf_ring_copy c = { 0 };
		char num[16];

		l1 = line_len(p, MIN(rest, (size_t)MD_NAME_MAX + 3));
		if (!(nlen = vgname_start(p, l1)) || l1 + 1 >= rest)
			goto next;
		p += l1 + 1;
		rest -= l1 + 1;
		l2 = line_len(p, MIN(rest, (size_t)128));
		/* id = "xxxxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxxxx" */
		if (l2 != 5 + 40 || memcmp(p, "id = \"", 6) || p[44] != '"' || l2 + 1 >= rest)
			goto next;
		for (size_t i = 6, k = 0; i < 44; i++)
			if (p[i] != '-') {
				if (k >= MD_ID_LEN)
					goto next;
				c.vgid[k++] = (char)p[i];
			}
		if (strlen(c.vgid) != MD_ID_LEN)
			goto next;
		p += l2 + 1;
		rest -= l2 + 1;
		l3 = line_len(p, MIN(rest, (size_t)32));
		if (l3 < 9 || l3 - 8 >= sizeof(num) || memcmp(p, "seqno = ", 8))
			goto next;
		memcpy(num, p + 8, l3 - 8);
		num[l3 - 8] = '\0';
		{
			char *end;
			unsigned long v;
			if (!isdigit((unsigned char)num[0]))
				goto next;
			errno = 0;
			v = strtoul(num, &end, 10);
			if (errno || *end || v > UINT32_MAX)
				goto next;
			c.seqno = (uint32_t)v;
		}
		tlen = text_len(area, len, off, first ? first : off);
		if (tlen == SIZE_MAX)
			goto next;
		memcpy(c.vgname, area + off, nlen);
		c.offset = off;
		c.len = tlen;
		c.checksum = text_crc(area, len, off, tlen);
		if (found < max)
			ret[found] = c;
		found++;
		if (!first)
			first = off;
		/* the next copy starts on the 512-byte boundary after this one's NUL (a wrapped
		 * copy is the last one in buffer order) */
		if (off + tlen + 1 > len)
			break;
		off += (tlen + 1 + LVF_MDA_ALIGN - 1) / LVF_MDA_ALIGN * LVF_MDA_ALIGN;
		continue;
next:
		off += LVF_MDA_ALIGN;
	}
	return (int)MIN(found, (size_t)INT32_MAX);
}

int lvf_ring_pick(const struct lvf_ring_copy *c, size_t n, size_t *ret_other)
{
	size_t best = 0;

	if (!n)
		return -ENOENT;
	for (size_t i = 1; i < n; i++)
		if (c[i].seqno > c[best].seqno)
			best = i;
	for (size_t i = 0; i < n; i++)
		if (i != best && c[i].seqno == c[best].seqno &&
		    (c[i].checksum != c[best].checksum || strcmp(c[i].vgid, c[best].vgid))) {
			if (ret_other)
				*ret_other = i;
			return -ENOTUNIQ;
		}
	return (int)best;
}

int lvf_ring_copy_text(const uint8_t *area, size_t len, const struct lvf_ring_copy *c, char **ret)
{
	char *t = malloc(c->len + 1);
	size_t first;

	if (!t)
		return -ENOMEM;
	first = MIN(c->len, len - (size_t)c->offset);
	memcpy(t, area + c->offset, first);
	memcpy(t + first, area + LVF_MDA_HEADER_SIZE, c->len - first);
	t[c->len] = '\0';
	*ret = t;
	return 0;
}
