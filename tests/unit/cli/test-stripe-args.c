/* lvcreate's -i/-I checks (cli/stripe-args.c), as lvm2 2.03.16's _validate_stripe_params. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/stripe-args.h"

static void test_defaults(void **state)
{
	uint32_t n = 0, sz = 99;

	/* no -i: one stripe, no stripe size */
	assert_int_equal(cli_stripe_params(false, 0, false, 0, CLI_SIGN_NONE, &n, &sz), CLI_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sz, 0);
	/* -i 3: lvm2's default 64 KiB */
	assert_int_equal(cli_stripe_params(true, 3, false, 0, CLI_SIGN_NONE, &n, &sz), CLI_OK);
	assert_int_equal(n, 3);
	assert_int_equal(sz, 128);
	/* -i 2 -I 8: 8 KiB */
	assert_int_equal(cli_stripe_params(true, 2, true, 16, CLI_SIGN_NONE, &n, &sz), CLI_OK);
	assert_int_equal(sz, 16);
	/* -i 1 -I 64: the size is ignored */
	assert_int_equal(cli_stripe_params(true, 1, true, 128, CLI_SIGN_NONE, &n, &sz), CLI_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sz, 0);
}

static void test_refused(void **state)
{
	uint32_t n = 7, sz = 7;

	assert_int_equal(cli_stripe_params(true, 0, false, 0, CLI_SIGN_NONE, &n, &sz), CLI_EINVAL);
	assert_int_equal(cli_stripe_params(true, 129, false, 0, CLI_SIGN_NONE, &n, &sz),
			 CLI_EINVAL);
	/* 3 KiB: not a power of 2; 2 KiB: below the 4 KiB page */
	assert_int_equal(cli_stripe_params(true, 2, true, 6, CLI_SIGN_NONE, &n, &sz), CLI_EINVAL);
	assert_int_equal(cli_stripe_params(true, 2, true, 4, CLI_SIGN_NONE, &n, &sz), CLI_EINVAL);
	assert_int_equal(cli_stripe_params(true, 2, true, 16, CLI_SIGN_MINUS, &n, &sz),
			 CLI_EINVAL);
	/* above lvm2's limit (2^31 sectors) */
	assert_int_equal(cli_stripe_params(true, 2, true, 1ull << 32, CLI_SIGN_NONE, &n, &sz),
			 CLI_EINVAL);
	/* nothing returned on a refusal */
	assert_int_equal(n, 7);
	assert_int_equal(sz, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
