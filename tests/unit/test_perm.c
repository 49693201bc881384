/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_perm.c: perm_may, the owner/group/other test umlctl applies for USER.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "perm.h"

static const struct account a = { .uid = 1000, .gid = 1000, .ngroups = 2,
	.groups = { 1000, 27 } };

static void
test_owner(void **state)
{
	(void)state;
	assert_true(perm_may(1000, 0, 0600, &a, PERM_R | PERM_W));
	assert_false(perm_may(1000, 0, 0400, &a, PERM_R | PERM_W));
	/* The owner bits decide for the owner, even when others may more. */
	assert_false(perm_may(1000, 0, 0066, &a, PERM_R));
}

static void
test_group(void **state)
{
	(void)state;
	assert_true(perm_may(0, 27, 0060, &a, PERM_R | PERM_W));
	assert_false(perm_may(0, 27, 0606, &a, PERM_R));
	/* A group USER is not in falls through to the other bits. */
	assert_false(perm_may(0, 28, 0060, &a, PERM_R));
	assert_true(perm_may(0, 28, 0064, &a, PERM_R));
}

static void
test_other(void **state)
{
	(void)state;
	assert_true(perm_may(0, 0, 0755, &a, PERM_R | PERM_X));
	assert_false(perm_may(0, 0, 0750, &a, PERM_X));
	assert_true(perm_may(0, 0, 0, &a, 0));
}

/* The kernel's rule for attaching to a persistent tap. */
static void
test_tap(void **state)
{
	(void)state;
	assert_int_equal(perm_tap(1000, -1, &a), TAP_ATTACH);
	assert_int_equal(perm_tap(1000, 27, &a), TAP_ATTACH);
	assert_int_equal(perm_tap(-1, 1000, &a), TAP_ATTACH);
	assert_int_equal(perm_tap(-1, -1, &a), TAP_ANYONE);
	assert_int_equal(perm_tap(1001, -1, &a), TAP_OTHER_OWNER);
	assert_int_equal(perm_tap(1001, 27, &a), TAP_OTHER_OWNER);
	assert_int_equal(perm_tap(1000, 65534, &a), TAP_OTHER_GROUP);
	assert_int_equal(perm_tap(-1, 65534, &a), TAP_OTHER_GROUP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_tap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
