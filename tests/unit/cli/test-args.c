/* Unit tests: cli/args (lvm2 value syntax, option parser messages). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

static void size_ok(const char *s, char def, uint64_t want, enum cli_sign want_sign)
{
	uint64_t v = 12345;
	enum cli_sign sign = 99;
	char *err = NULL;
	int r = cli_parse_size(s, def, &v, &sign, &err);
	if (r != 0)
		fail_msg("'%s': r=%d err=%s", s, r, err ? err : "(null)");
	if (v != want)
		fail_msg("'%s': %llu sectors, want %llu", s, (unsigned long long)v,
			 (unsigned long long)want);
	assert_int_equal(sign, want_sign);
	assert_null(err);
}

static void size_bad(const char *s, char def, int want_r, const char *want_msg)
{
	uint64_t v = 12345;
	enum cli_sign sign = 99;
	char *err = NULL;
	int r = cli_parse_size(s, def, &v, &sign, &err);
	if (r != want_r)
		fail_msg("'%s': r=%d, want %d", s, r, want_r);
	assert_int_equal(v, 12345); /* untouched */
	assert_int_equal(sign, 99);
	assert_non_null(err);
	if (strcmp(err, want_msg) != 0)
		fail_msg("'%s': message '%s', want '%s'", s, err, want_msg);
	free(err);
}

static void test_size_units(void **state)
{
	/* No suffix: the default unit. */
	size_ok("10", 'm', 10 * 2048, CLI_SIGN_NONE);
	size_ok("512", 'k', 1024, CLI_SIGN_NONE);
	size_ok("3", 's', 3, CLI_SIGN_NONE);
	/* Every unit, both cases: powers of 1024 for size arguments (lvm2 _size_arg). */
	size_ok("1k", 'm', 2, CLI_SIGN_NONE);
	size_ok("1K", 'm', 2, CLI_SIGN_NONE);
	size_ok("1m", 'm', 2048, CLI_SIGN_NONE);
	size_ok("1M", 'm', 2048, CLI_SIGN_NONE);
	size_ok("1g", 'm', 2097152, CLI_SIGN_NONE);
	size_ok("1G", 'm', 2097152, CLI_SIGN_NONE);
	size_ok("1t", 'm', 2147483648ULL, CLI_SIGN_NONE);
	size_ok("1T", 'm', 2147483648ULL, CLI_SIGN_NONE);
	size_ok("1p", 'm', 2199023255552ULL, CLI_SIGN_NONE);
	size_ok("1P", 'm', 2199023255552ULL, CLI_SIGN_NONE);
	size_ok("1e", 'm', 2251799813685248ULL, CLI_SIGN_NONE);
	size_ok("1E", 'm', 2251799813685248ULL, CLI_SIGN_NONE);
	size_ok("8s", 'm', 8, CLI_SIGN_NONE);
	size_ok("8S", 'm', 8, CLI_SIGN_NONE);
	size_ok("4096b", 'm', 8, CLI_SIGN_NONE);
	size_ok("4096B", 'm', 8, CLI_SIGN_NONE);
	size_ok("0", 'm', 0, CLI_SIGN_NONE);
	/* The recipe's values. */
	size_ok("512K", 'k', 1024, CLI_SIGN_NONE);
	size_ok("+64M", 'm', 131072, CLI_SIGN_PLUS);
	size_ok("+8M", 'm', 16384, CLI_SIGN_PLUS);
	size_ok("1G", 'm', 2097152, CLI_SIGN_NONE);
	size_ok("-200M", 'm', 409600, CLI_SIGN_MINUS);
	/* Spelled-out binary suffixes. */
	size_ok("10GiB", 'm', 10 * 2097152ULL, CLI_SIGN_NONE);
	size_ok("10GB", 'm', 10 * 2097152ULL, CLI_SIGN_NONE);
	size_ok("10gib", 'm', 10 * 2097152ULL, CLI_SIGN_NONE);
	size_ok("10mb", 'm', 10 * 2048, CLI_SIGN_NONE);
}

static void test_size_fractions(void **state)
{
	size_ok("1.5g", 'm', 3145728, CLI_SIGN_NONE);
	size_ok(".5g", 'm', 1048576, CLI_SIGN_NONE);
	size_ok("1.", 'm', 2048, CLI_SIGN_NONE);
	size_ok("0.5k", 'm', 1, CLI_SIGN_NONE);
	size_ok("1.5k", 'm', 3, CLI_SIGN_NONE);
	/* Rounded up to whole sectors. */
	size_ok("0.1k", 'm', 1, CLI_SIGN_NONE);    /* 0.2 sectors */
	size_ok("1.1m", 'm', 2253, CLI_SIGN_NONE); /* 2252.8 */
	size_ok("0.1g", 'm', 209716, CLI_SIGN_NONE); /* 209715.2 */
	size_ok("2.5s", 'm', 3, CLI_SIGN_NONE);
	size_ok("0.000000001k", 'm', 1, CLI_SIGN_NONE);
	/* Exact decimal: no floating-point drift on values that are whole sectors. */
	size_ok("0.25m", 'm', 512, CLI_SIGN_NONE);
	size_ok("3.79296875g", 'm', 7954432, CLI_SIGN_NONE);
	size_ok("0.0009765625g", 'm', 2048, CLI_SIGN_NONE);
	/* Digits past the 19th still round up. */
	size_ok("1.00000000000000000000001s", 'm', 2, CLI_SIGN_NONE);
	size_ok("1.00000000000000000000000s", 'm', 1, CLI_SIGN_NONE);
	/* Bytes: fraction dropped, as lvm2. */
	size_ok("512.7b", 'm', 1, CLI_SIGN_NONE);
	/* Limits: just below 16 EiB works, 16 EiB does not. */
	size_ok("36028797018963966s", 'm', 36028797018963966ULL, CLI_SIGN_NONE);
	size_ok("15.99e", 'm', 36006279020827116ULL, CLI_SIGN_NONE);
}

static void test_size_errors(void **state)
{
	size_bad("", 'm', -EINVAL, "Size requires number argument.");
	size_bad("abc", 'm', -EINVAL, "Size requires number argument.");
	size_bad("G", 'm', -EINVAL, "Size requires number argument.");
	size_bad("+", 'm', -EINVAL, "Size requires number argument.");
	size_bad(" 1", 'm', -EINVAL, "Size requires number argument.");
	size_bad("++1G", 'm', -EINVAL, "Multiple sign symbols detected.");
	size_bad("+-1G", 'm', -EINVAL, "Multiple sign symbols detected.");
	size_bad(".", 'm', -EINVAL, "Can't parse size argument at '.'.");
	size_bad("-.g", 'm', -EINVAL, "Can't parse size argument at '.'.");
	size_bad("10X", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10 G", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10GG", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10Gx", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10sb", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10bb", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("1.2.3", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("1e3", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("0x10", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("10%", 'm', -EINVAL, "Can't parse size argument.");
	size_bad("1000b", 'm', -EINVAL, "Size is not a multiple of 512. Try using 512 or 1024.");
	size_bad("100b", 'm', -EINVAL, "Size is not a multiple of 512. Try using 0 or 512.");
	size_bad("16e", 'm', -ERANGE, "Size is too big (>=16EiB).");
	size_bad("36028797018963967s", 'm', -ERANGE, "Size is too big (>=16EiB).");
	size_bad("99999999999999999999999999g", 'm', -ERANGE, "Size is too big (>=16EiB).");
	size_bad("17179869184g", 'm', -ERANGE, "Size is too big (>=16EiB).");
	size_bad("1", 'x', -EINVAL, "Invalid default unit 'x'.");
	/* No message wanted: still fails cleanly. */
	uint64_t v = 7;
	assert_int_equal(cli_parse_size("junk", 'm', &v, NULL, NULL), -EINVAL);
	assert_int_equal(v, 7);
	assert_int_equal(cli_parse_size("1G", 'm', &v, NULL, NULL), 0);
	assert_int_equal(v, 2097152);
}

static void ext_ok(const char *s, uint64_t value, enum cli_percent pct, enum cli_sign sign)
{
	struct cli_extents e = { 0 };
	char *err = NULL;
	if (cli_parse_extents(s, &e, &err) != 0)
		fail_msg("'%s': %s", s, err ? err : "(no message)");
	assert_int_equal(e.value, value);
	assert_int_equal(e.percent, pct);
	assert_int_equal(e.sign, sign);
}

static void ext_bad(const char *s, int want_r, const char *want_msg)
{
	struct cli_extents e = { .value = 42 };
	char *err = (char *)"sentinel";
	int r = cli_parse_extents(s, &e, &err);
	if (r != want_r)
		fail_msg("'%s': r=%d want %d", s, r, want_r);
	assert_int_equal(e.value, 42);
	if (!want_msg) {
		assert_null(err);
	} else {
		assert_non_null(err);
		assert_string_equal(err, want_msg);
		free(err);
	}
}

static void test_extents(void **state)
{
	ext_ok("100", 100, CLI_PERCENT_NONE, CLI_SIGN_NONE);
	ext_ok("95%VG", 95, CLI_PERCENT_VG, CLI_SIGN_NONE);
	ext_ok("1%VG", 1, CLI_PERCENT_VG, CLI_SIGN_NONE);
	ext_ok("1%vg", 1, CLI_PERCENT_VG, CLI_SIGN_NONE);
	ext_ok("1%V", 1, CLI_PERCENT_VG, CLI_SIGN_NONE);
	ext_ok("100%FREE", 100, CLI_PERCENT_FREE, CLI_SIGN_NONE);
	ext_ok("50%fr", 50, CLI_PERCENT_FREE, CLI_SIGN_NONE);
	ext_ok("50%F", 50, CLI_PERCENT_FREE, CLI_SIGN_NONE);
	ext_ok("10%PVS", 10, CLI_PERCENT_PVS, CLI_SIGN_NONE);
	ext_ok("10%PV", 10, CLI_PERCENT_PVS, CLI_SIGN_NONE);
	ext_ok("10%p", 10, CLI_PERCENT_PVS, CLI_SIGN_NONE);
	ext_ok("20%ORIGIN", 20, CLI_PERCENT_ORIGIN, CLI_SIGN_NONE);
	ext_ok("20%or", 20, CLI_PERCENT_ORIGIN, CLI_SIGN_NONE);
	ext_ok("20%O", 20, CLI_PERCENT_ORIGIN, CLI_SIGN_NONE);
	ext_ok("+50%LV", 50, CLI_PERCENT_LV, CLI_SIGN_PLUS);
	ext_ok("-3", 3, CLI_PERCENT_NONE, CLI_SIGN_MINUS);
	ext_ok("+16", 16, CLI_PERCENT_NONE, CLI_SIGN_PLUS);
	ext_ok("4294967294%FREE", 4294967294ULL, CLI_PERCENT_FREE, CLI_SIGN_NONE);
	ext_ok("18446744073709551615", UINT64_MAX, CLI_PERCENT_NONE, CLI_SIGN_NONE);

	ext_bad("", -EINVAL, NULL);
	ext_bad("abc", -EINVAL, NULL);
	ext_bad("%VG", -EINVAL, NULL);
	ext_bad("10x", -EINVAL, NULL);
	ext_bad("10M", -EINVAL, NULL);
	ext_bad("+-1", -EINVAL, NULL);
	ext_bad("18446744073709551616", -ERANGE, NULL);
	ext_bad("10%", -EINVAL, "Specified % is unknown.");
	ext_bad("10%XX", -EINVAL, "Specified %XX is unknown.");
	ext_bad("10%VGS", -EINVAL, "Specified %VGS is unknown.");
	ext_bad("4294967295%VG", -ERANGE, "Percentage is too big (>=4294967295%).");
}

static void test_int_bool_activation_units(void **state)
{
	uint64_t v = 0;
	enum cli_sign sign;
	bool b = false;
	enum cli_activation act;
	char unit = 0;
	char *err = (char *)"sentinel";

	assert_int_equal(cli_parse_int("42", &v, &sign, NULL), 0);
	assert_int_equal(v, 42);
	assert_int_equal(sign, CLI_SIGN_NONE);
	assert_int_equal(cli_parse_int("-7", &v, &sign, NULL), 0);
	assert_int_equal(v, 7);
	assert_int_equal(sign, CLI_SIGN_MINUS);
	assert_int_equal(cli_parse_int("+0", &v, &sign, NULL), 0);
	assert_int_equal(sign, CLI_SIGN_PLUS);
	assert_int_equal(cli_parse_int("18446744073709551615", &v, NULL, NULL), 0);
	assert_int_equal(v, UINT64_MAX);
	v = 5;
	assert_int_equal(cli_parse_int("18446744073709551616", &v, NULL, &err), -ERANGE);
	assert_null(err);
	assert_int_equal(cli_parse_int("", &v, NULL, NULL), -EINVAL);
	assert_int_equal(cli_parse_int("1x", &v, NULL, NULL), -EINVAL);
	assert_int_equal(cli_parse_int("x1", &v, NULL, NULL), -EINVAL);
	assert_int_equal(cli_parse_int("1.0", &v, NULL, NULL), -EINVAL);
	assert_int_equal(cli_parse_int("--1", &v, NULL, NULL), -EINVAL);
	assert_int_equal(v, 5);

	assert_int_equal(cli_parse_bool("y", &b, NULL), 0);
	assert_true(b);
	assert_int_equal(cli_parse_bool("n", &b, NULL), 0);
	assert_false(b);
	/* lvm2 yes_no_arg takes only y and n. */
	assert_int_equal(cli_parse_bool("yes", &b, NULL), -EINVAL);
	assert_int_equal(cli_parse_bool("no", &b, NULL), -EINVAL);
	assert_int_equal(cli_parse_bool("Y", &b, NULL), -EINVAL);
	assert_int_equal(cli_parse_bool("", &b, NULL), -EINVAL);
	assert_int_equal(cli_parse_bool("1", &b, NULL), -EINVAL);

	static const struct {
		const char *s;
		enum cli_activation a;
	} acts[] = {
		{ "y", CLI_ACTIVATE_Y },   { "n", CLI_ACTIVATE_N },   { "en", CLI_ACTIVATE_N },
		{ "ne", CLI_ACTIVATE_N },  { "a", CLI_ACTIVATE_AUTO },  { "ay", CLI_ACTIVATE_AUTO },
		{ "ya", CLI_ACTIVATE_AUTO }, { "e", CLI_ACTIVATE_EXCL },  { "ey", CLI_ACTIVATE_EXCL },
		{ "ye", CLI_ACTIVATE_EXCL }, { "s", CLI_ACTIVATE_SHARED },  { "sy", CLI_ACTIVATE_SHARED },
		{ "ys", CLI_ACTIVATE_SHARED }, { "ly", CLI_ACTIVATE_LOCAL_Y }, { "yl", CLI_ACTIVATE_LOCAL_Y },
		{ "ln", CLI_ACTIVATE_LOCAL_N }, { "nl", CLI_ACTIVATE_LOCAL_N },
	};
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		assert_int_equal(cli_parse_activation(acts[i].s, &act, NULL), 0);
		assert_int_equal(act, acts[i].a);
	}
	assert_int_equal(cli_parse_activation("yes", &act, NULL), -EINVAL);
	assert_int_equal(cli_parse_activation("", &act, NULL), -EINVAL);
	assert_int_equal(cli_parse_activation("x", &act, NULL), -EINVAL);

	for (const char *u = "hHrRbBsSkKmMgGtTpPeE"; *u; u++) {
		char s[2] = { *u, 0 };
		assert_int_equal(cli_parse_units(s, &unit, NULL), 0);
		assert_int_equal(unit, *u);
	}
	assert_int_equal(cli_parse_units("x", &unit, NULL), -EINVAL);
	assert_int_equal(cli_parse_units("", &unit, NULL), -EINVAL);
	assert_int_equal(cli_parse_units("gg", &unit, NULL), -EINVAL);
	assert_int_equal(cli_parse_units("4k", &unit, NULL), -EINVAL);
	assert_int_equal(unit, 'E');
}

/* ---- option parser ---- */

enum { O_NAME = 'n', O_SIZE = 'L', O_EXT = 'l', O_YES = 'y', O_VERBOSE = 'v', O_ACT = 'a',
       O_WIPE = 1000, O_ZERO = 'Z', O_CHUNK = 'c', O_THINPOOL, O_POOLMETA, O_PROFILE, O_UNITS,
       O_THIN = 'T', O_POOLMETASIZE, O_OPTS = 'o', O_MINOR };

static const struct cli_option lvcreate_opts[] = {
	{ O_NAME, 'n', "name", CLI_OPT_STR, 0 },
	{ O_SIZE, 'L', "size", CLI_OPT_SIZE_MB, 0 },
	{ O_EXT, 'l', "extents", CLI_OPT_EXTENTS, 0 },
	{ O_YES, 'y', "yes", CLI_OPT_FLAG, 0 },
	{ O_VERBOSE, 'v', "verbose", CLI_OPT_FLAG, CLI_OPTF_REPEATABLE },
	{ O_ACT, 'a', "activate", CLI_OPT_ACTIVATION, 0 },
	{ O_WIPE, 'W', "wipesignatures", CLI_OPT_BOOL, 0 },
	{ O_ZERO, 'Z', "zero", CLI_OPT_BOOL, 0 },
	{ O_CHUNK, 'c', "chunksize", CLI_OPT_SIZE_KB, 0 },
	{ O_THINPOOL, 0, "thinpool", CLI_OPT_STR, 0 },
	{ O_THIN, 'T', "thin", CLI_OPT_FLAG, 0 },
	{ O_POOLMETA, 0, "poolmetadata", CLI_OPT_STR, 0 },
	{ O_POOLMETASIZE, 0, "poolmetadatasize", CLI_OPT_SIZE_MB, CLI_OPTF_PLUS },
	{ O_PROFILE, 0, "metadataprofile", CLI_OPT_STR, 0 },
	{ O_UNITS, 0, "units", CLI_OPT_UNITS, 0 },
	{ O_OPTS, 'o', "options", CLI_OPT_STR, CLI_OPTF_REPEATABLE },
	{ O_MINOR, 'm', "minor", CLI_OPT_INT, CLI_OPTF_PLUS },
};

/* Parse a space-separated command line; return the exit code and the messages. */
static int run(const char *line, struct cli_parsed **ret, char **ret_msgs)
{
	char *copy = strdup(line), *save = NULL;
	static char *argv[64];
	static char storage[4096];
	int argc = 0, r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	/* Keep argv alive after return: results borrow from it. */
	snprintf(storage, sizeof(storage), "%s", copy);
	free(copy);
	argv[argc++] = (char *)"lvcreate";
	for (char *t = strtok_r(storage, " ", &save); t; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	r = cli_options_parse("lvcreate", lvcreate_opts,
			      sizeof(lvcreate_opts) / sizeof(lvcreate_opts[0]), argc, argv, f, ret);
	fclose(f);
	*ret_msgs = buf;
	return r;
}

static void bad(const char *line, const char *want)
{
	struct cli_parsed *p = (struct cli_parsed *)0x1;
	char *msgs;
	int r = run(line, &p, &msgs);
	if (r != CLI_EINVAL || strcmp(msgs, want) != 0)
		fail_msg("'%s': r=%d, messages:\n%s---want:\n%s", line, r, msgs, want);
	assert_ptr_equal(p, (struct cli_parsed *)0x1);
	free(msgs);
}

static void test_options_recipe(void **state)
{
	struct cli_parsed *p = NULL;
	char *msgs;

	assert_int_equal(run("--wipesignatures y -n thinpool docker -l 95%VG", &p, &msgs), CLI_OK);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_true(cli_opt_isset(p, O_WIPE));
	assert_true(cli_opt(p, O_WIPE)->b);
	assert_string_equal(cli_opt_str(p, O_NAME, NULL), "thinpool");
	assert_int_equal(cli_opt(p, O_EXT)->extents.value, 95);
	assert_int_equal(cli_opt(p, O_EXT)->extents.percent, CLI_PERCENT_VG);
	assert_int_equal(p->n_pos, 1);
	assert_string_equal(p->pos[0], "docker");
	assert_false(cli_opt_isset(p, O_SIZE));
	assert_string_equal(cli_opt_str(p, O_SIZE, "dflt"), "dflt");
	assert_null(cli_opt(p, 99999));
	p = cli_parsed_free(p);

	/* lvconvert-style, hyphenated long names, "=" form, clustered and attached short options. */
	assert_int_equal(run("-y --zero n -c 512K --thinpool docker/thinpool --pool-metadata=docker/meta "
			     "-vv -v -ay -L1G -- -notanoption",
			     &p, &msgs),
			 CLI_OK);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_true(cli_opt_isset(p, O_YES));
	assert_false(cli_opt(p, O_ZERO)->b);
	assert_int_equal(cli_opt(p, O_CHUNK)->u64, 1024);
	assert_string_equal(cli_opt_str(p, O_THINPOOL, NULL), "docker/thinpool");
	assert_string_equal(cli_opt_str(p, O_POOLMETA, NULL), "docker/meta");
	assert_int_equal(cli_opt(p, O_VERBOSE)->count, 3);
	assert_int_equal(cli_opt(p, O_ACT)->activation, CLI_ACTIVATE_Y); /* -ay is -a y */
	assert_int_equal(cli_opt(p, O_SIZE)->u64, 2097152);
	assert_int_equal(p->n_pos, 1);
	assert_string_equal(p->pos[0], "-notanoption");
	p = cli_parsed_free(p);

	/* Unique prefixes; exact match beats a longer name; repeatable keeps every value. */
	assert_int_equal(run("--metadatap docker-thinpool --thin --poolmetadatas +8M -o+seg_monitor "
			     "-o lv_name --units b - vg",
			     &p, &msgs),
			 CLI_OK);
	assert_string_equal(msgs, "");
	free(msgs);
	assert_string_equal(cli_opt_str(p, O_PROFILE, NULL), "docker-thinpool");
	assert_true(cli_opt_isset(p, O_THIN));
	assert_int_equal(cli_opt(p, O_POOLMETASIZE)->u64, 16384);
	assert_int_equal(cli_opt(p, O_POOLMETASIZE)->sign, CLI_SIGN_PLUS);
	assert_int_equal(cli_opt(p, O_OPTS)->count, 2);
	assert_string_equal(cli_opt(p, O_OPTS)->args[0], "+seg_monitor");
	assert_string_equal(cli_opt(p, O_OPTS)->args[1], "lv_name");
	assert_string_equal(cli_opt(p, O_OPTS)->arg, "lv_name");
	assert_int_equal(cli_opt(p, O_UNITS)->unit, 'b');
	assert_int_equal(p->n_pos, 2);
	assert_string_equal(p->pos[0], "-");
	assert_string_equal(p->pos[1], "vg");
	p = cli_parsed_free(p);

	/* A value that looks like an option is still the option's argument (getopt). */
	assert_int_equal(run("-n -x vg", &p, &msgs), CLI_OK);
	free(msgs);
	assert_string_equal(cli_opt_str(p, O_NAME, NULL), "-x");
	p = cli_parsed_free(p);

	assert_int_equal(run("", &p, &msgs), CLI_OK);
	free(msgs);
	assert_int_equal(p->n_pos, 0);
	p = cli_parsed_free(p);
	assert_null(cli_parsed_free(NULL));
}

#define EOP "  Error during parsing of command line.\n"

static void test_options_errors(void **state)
{
	bad("--foo vg", "lvcreate: unrecognized option '--foo'\n" EOP);
	bad("--foo-bar=1 vg", "lvcreate: unrecognized option '--foobar=1'\n" EOP);
	bad("-q", "lvcreate: invalid option -- 'q'\n" EOP);
	bad("-yq", "lvcreate: invalid option -- 'q'\n" EOP);
	bad("vg --size", "lvcreate: option '--size' requires an argument\n" EOP);
	bad("vg --si", "lvcreate: option '--size' requires an argument\n" EOP);
	bad("vg -L", "lvcreate: option requires an argument -- 'L'\n" EOP);
	bad("--yes=1", "lvcreate: option '--yes' doesn't allow an argument\n" EOP);
	bad("--poolmeta x",
	    "lvcreate: option '--poolmeta' is ambiguous; possibilities: '--poolmetadata' "
	    "'--poolmetadatasize'\n" EOP);
	bad("-L 10X vg", "  Can't parse size argument.\n  Invalid argument for --size: 10X\n" EOP);
	bad("--size=abc vg",
	    "  Size requires number argument.\n  Invalid argument for --size: abc\n" EOP);
	bad("-L +1G vg", "  Size may not be relative/signed.\n  Invalid argument for --size: +1G\n" EOP);
	bad("-L -1G vg", "  Size may not be relative/signed.\n  Invalid argument for --size: -1G\n" EOP);
	bad("--poolmetadatasize -8M vg",
	    "  Size may not be negative.\n  Invalid argument for --poolmetadatasize: -8M\n" EOP);
	bad("-L 1000b vg",
	    "  Size is not a multiple of 512. Try using 512 or 1024.\n"
	    "  Invalid argument for --size: 1000b\n" EOP);
	bad("-L 16e vg", "  Size is too big (>=16EiB).\n  Invalid argument for --size: 16e\n" EOP);
	bad("-l 10x vg", "  Invalid argument for --extents: 10x\n" EOP);
	bad("-l 10%XX vg", "  Specified %XX is unknown.\n  Invalid argument for --extents: 10%XX\n" EOP);
	bad("-l +10 vg", "  Extents may not be relative/signed.\n  Invalid argument for --extents: +10\n" EOP);
	bad("--wipesignatures yes vg", "  Invalid argument for --wipesignatures: yes\n" EOP);
	bad("-Zx vg", "  Invalid argument for --zero: x\n" EOP);
	bad("-a q vg", "  Invalid argument for --activate: q\n" EOP);
	bad("--units x", "  Invalid argument for --units: x\n" EOP);
	bad("--minor -1", "  Number may not be negative.\n  Invalid argument for --minor: -1\n" EOP);
	bad("--minor 1x", "  Invalid argument for --minor: 1x\n" EOP);
	bad("-n a -n b", "  Option -n/--name may not be repeated.\n" EOP);
	bad("-n a --name b", "  Option -n/--name may not be repeated.\n" EOP);
	bad("--thinpool a --thinpool b", "  Option --thinpool may not be repeated.\n" EOP);
	bad("-yy", "  Option -y/--yes may not be repeated.\n" EOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_fractions),
		cmocka_unit_test(test_size_errors),
		cmocka_unit_test(test_extents),
		cmocka_unit_test(test_int_bool_activation_units),
		cmocka_unit_test(test_options_recipe),
		cmocka_unit_test(test_options_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
