/* Unit tests: util/strbuf (growth, failure latch, reset, steal, the lvm2 string quoter),
 * util/units (overflow-checked conversions) and util/io (fd_write_all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/io.h"
#include "util/strbuf.h"
#include "util/units.h"

static void test_growth_keeps_content(void **state)
{
	struct strbuf sb = { 0 };
	char want[5000];

	/* across several doublings (64, 128, ... 8192), byte for byte */
	for (size_t i = 0; i < sizeof(want) - 1; i++) {
		want[i] = (char)('a' + i % 26);
		strbuf_appendc(&sb, want[i]);
	}
	want[sizeof(want) - 1] = '\0';
	assert_true(strbuf_ok(&sb));
	assert_int_equal(sb.len, sizeof(want) - 1);
	assert_true(sb.cap >= sb.len + 1);
	assert_string_equal(strbuf_str(&sb), want);
	strbuf_release(&sb);
	assert_null(sb.buf);
	assert_string_equal(strbuf_str(&sb), "");
}

static void test_appendn_and_reset(void **state)
{
	struct strbuf sb = { 0 };

	strbuf_appendn(&sb, "abcdef", 3);
	strbuf_appendn(&sb, "", 0);
	assert_string_equal(strbuf_str(&sb), "abc");
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_appendf(&sb, "%s=%d;%05.1f", "x", -7, 2.5);
	assert_string_equal(strbuf_str(&sb), "x=-7;002.5");
	strbuf_release(&sb);
}

static void test_failed_latch(void **state)
{
	struct strbuf sb = { 0 };

	strbuf_append(&sb, "kept");
	sb.failed = true; /* as after a failed realloc */
	strbuf_append(&sb, "lost");
	strbuf_appendc(&sb, 'x');
	strbuf_appendf(&sb, "%d", 1);
	strbuf_append_quoted(&sb, "q");
	assert_false(strbuf_ok(&sb));
	assert_int_equal(sb.len, 4);
	assert_string_equal(sb.buf, "kept");
	strbuf_release(&sb);
}

static void test_steal(void **state)
{
	struct strbuf sb = { 0 };
	char *s;

	strbuf_append(&sb, "text");
	s = strbuf_steal(&sb);
	assert_string_equal(s, "text");
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(s);
	/* an empty buffer still gives a string */
	s = strbuf_steal(&sb);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_quoted(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "\"\\\"", "\"\\\"\\\\\\\"\"" },
		/* only " and \ are escaped: lvm2 keeps every other byte as it is */
		{ "tab\there\nnl 'q' \xc3\xa9", "\"tab\there\nnl 'q' \xc3\xa9\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = { 0 };
		strbuf_append(&sb, "k = ");
		strbuf_append_quoted(&sb, cases[i].in);
		assert_true(strbuf_ok(&sb));
		assert_string_equal(sb.buf + 4, cases[i].out);
		strbuf_release(&sb);
	}
}

static void test_units(void **state)
{
	uint64_t r = 7;

	assert_int_equal(u64_mul(1ULL << 32, 1ULL << 31, &r), 0);
	assert_true(r == 1ULL << 63);
	r = 7;
	assert_int_equal(u64_mul(1ULL << 32, 1ULL << 32, &r), -ERANGE);
	assert_int_equal(r, 7); /* untouched on overflow */
	assert_int_equal(u64_add(UINT64_MAX - 1, 1, &r), 0);
	assert_true(r == UINT64_MAX);
	assert_int_equal(u64_add(UINT64_MAX, 1, &r), -ERANGE);
	assert_true(r == UINT64_MAX);
	assert_int_equal(sectors_to_bytes(2048, &r), 0);
	assert_int_equal(r, 1048576);
	assert_int_equal(sectors_to_bytes(UINT64_MAX / 256, &r), -ERANGE);
	assert_int_equal(bytes_to_sectors_floor(1023), 1);
	assert_int_equal(bytes_to_sectors_floor(511), 0);
	assert_true(u64_is_pow2(1) && u64_is_pow2(4096) && u64_is_pow2(1ULL << 63));
	assert_false(u64_is_pow2(0) || u64_is_pow2(3) || u64_is_pow2(1536));
}

static void test_write_all(void **state)
{
	int p[2];
	char big[200000], back[200000];
	size_t got = 0;

	/* more than a pipe holds (64 KiB): the writer is fed from a child while we read */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 31);
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		_exit(fd_write_all(p[1], big, sizeof(big)) == 0 ? 0 : 1);
	}
	close(p[1]);
	while (got < sizeof(back)) {
		ssize_t n = read(p[0], back + got, sizeof(back) - got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	close(p[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_memory_equal(big, back, sizeof(big));
	/* a bad fd: -errno */
	assert_int_equal(fd_write_all(-1, "x", 1), -EBADF);
	assert_int_equal(fd_write_all(-1, "", 0), 0);
}

/* strbuf_reserve_aligned: an empty buffer's room on the boundary; one with text grows as
 * ever; the text works as in any buffer */
static void test_reserve_aligned(void **state)
{
	struct strbuf sb = { 0 };

	(void)state;
	assert_true(strbuf_reserve_aligned(&sb, 10000, 4096));
	assert_true(((uintptr_t)sb.buf & 4095) == 0);
	assert_true(sb.cap >= 10001);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_append(&sb, "abc");
	assert_true(strbuf_reserve_aligned(&sb, 100000, 4096)); /* grown, text kept */
	assert_string_equal(strbuf_str(&sb), "abc");
	assert_true(sb.cap >= 100004);
	strbuf_release(&sb);
	sb.failed = true;
	assert_false(strbuf_reserve_aligned(&sb, 10, 64));
	sb.failed = false;
	assert_false(strbuf_reserve_aligned(&sb, (size_t)-1, 64));
	assert_false(strbuf_ok(&sb));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_keeps_content),
		cmocka_unit_test(test_appendn_and_reset),
		cmocka_unit_test(test_failed_latch),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_reserve_aligned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
