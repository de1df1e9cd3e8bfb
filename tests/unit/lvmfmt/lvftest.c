#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "lvftest.h"

uint8_t *lvftest_load_fixture(const char *name, size_t *ret_len)
{
	const char *root = getenv("TB_SRCDIR");
	char path[4096];
	uint8_t *buf;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/lvmfmt/%s", root ? root : ".", name);
	f = fopen(path, "rb");
	if (!f) {
		print_error("cannot open fixture %s (run from the source root or set TB_SRCDIR)\n",
			    path);
		fail();
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*ret_len = (size_t)len;
	return buf;
}
