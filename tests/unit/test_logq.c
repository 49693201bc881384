/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_logq.c: the quoting that keeps umlctl's log lines unforgeable, and
 * the rate limit on lines the guest makes umlctl write (logq.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "logq.h"

/* The quoted text of the pieces, given one call each, then a flush. */
static const char *
quote(const char *const *pieces, bool flush)
{
	static char out[4096];
	struct logq q = { 0 };
	size_t o = 0;

	for (; *pieces; pieces++)
		o += logq_quote(&q, *pieces, strlen(*pieces), out + o);
	if (flush)
		o += logq_flush(&q, out + o);
	out[o] = '\0';
	return out;
}

#define Q(flush, ...) quote((const char *const[]){ __VA_ARGS__, NULL }, flush)

static void
test_plain_lines_unchanged(void **state)
{
	(void)state;
	assert_string_equal(Q(false, "Linux version 7.2\nguest: up\n"),
	    "Linux version 7.2\nguest: up\n");
	assert_string_equal(Q(false, "  umlctl: not at the start\n"),
	    "  umlctl: not at the start\n");
	assert_string_equal(Q(false, "umlctlx\numlctl\n"), "umlctlx\numlctl\n");
	assert_string_equal(Q(false, "\x1b[2J\n\n\r\n"), "\x1b[2J\n\n\r\n");
}

static void
test_forgeries_quoted(void **state)
{
	(void)state;
	assert_string_equal(Q(false, "umlctl: g: stopped, graceful\n"),
	    ">umlctl: g: stopped, graceful\n");
	assert_string_equal(Q(false, "ok\n>>umlctl: x\n"), "ok\n>>>umlctl: x\n");
	/* Split anywhere, even byte by byte. */
	assert_string_equal(Q(false, "u", "ml", "ctl", ":", " y\n"),
	    ">umlctl: y\n");
	assert_string_equal(Q(false, "abc\num", "lctl: z\nq\n"),
	    "abc\n>umlctl: z\nq\n");
}

static void
test_flush(void **state)
{
	(void)state;
	/* A held line start and an unfinished line both end before
	 * umlctl's own line. */
	assert_string_equal(Q(true, "done\numl"), "done\numl\n");
	assert_string_equal(Q(true, "half a line"), "half a line\n");
	assert_string_equal(Q(true, "whole\n"), "whole\n");
	assert_string_equal(Q(true, ""), "");
}

static void
test_many_gts(void **state)
{
	char in[300], want[302];

	(void)state;
	memset(in, '>', 280);
	strcpy(in + 280, "umlctl: x\n");
	want[0] = '>';
	strcpy(want + 1, in);
	assert_string_equal(Q(false, in), want);
	assert_string_equal(Q(false, ">>>", ">>"), ">>>>>");
}

static void
test_rate(void **state)
{
	struct rate r = { 0 };

	(void)state;
	assert_true(rate_take(&r, 1000, 3, 1000));
	assert_true(rate_take(&r, 1000, 3, 1000));
	assert_true(rate_take(&r, 1001, 3, 1000));
	assert_false(rate_take(&r, 1500, 3, 1000));
	assert_false(rate_take(&r, 1999, 3, 1000));
	assert_int_equal(r.dropped, 2);
	assert_true(rate_take(&r, 2000, 3, 1000));
	assert_false(rate_take(&r, 2001, 3, 1000));
	/* A long quiet refills the burst, no more. */
	assert_true(rate_take(&r, 60000, 3, 1000));
	assert_true(rate_take(&r, 60000, 3, 1000));
	assert_true(rate_take(&r, 60000, 3, 1000));
	assert_false(rate_take(&r, 60000, 3, 1000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines_unchanged),
		cmocka_unit_test(test_forgeries_quoted),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_many_gts),
		cmocka_unit_test(test_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
