/* Helpers shared by the lvmfmt on-disk unit tests (linked into every lvmfmt test binary). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Path of the lvm2-made fixture (tests/fixtures/lvmfmt/); $TB_SRCDIR overrides the source
 * root, default the current directory (make runs tests from the source root). */
#define LVFTEST_PV_FIXTURE "lvm2-pv-docker-first32k.bin"
#define LVFTEST_PV_FIXTURE_DEVSIZE (4ULL << 30)

/* Load tests/fixtures/lvmfmt/@name into a malloc'd buffer; aborts the test on failure. */
uint8_t *lvftest_load_fixture(const char *name, size_t *ret_len);
