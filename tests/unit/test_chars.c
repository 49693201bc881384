/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_chars.c: ch_escape, the one way text a guest wrote is made safe
 * for a terminal or a log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "chars.h"

static char out[64];

static const char *
esc(const char *s, bool keep_nl)
{
	return ch_escape(s, strlen(s), out, sizeof(out), keep_nl);
}

static void
test_plain(void **state)
{
	(void)state;
	assert_string_equal(esc("Linux 7.2.13 #1 x86_64", false),
	    "Linux 7.2.13 #1 x86_64");
	assert_string_equal(esc("", false), "");
}

static void
test_escapes(void **state)
{
	(void)state;
	assert_string_equal(esc("a\033]0;x\007b", false), "a\\x1b]0;x\\x07b");
	/* The backslash too: \x1b in the text must not read as an escape. */
	assert_string_equal(esc("a\\x1b", false), "a\\x5cx1b");
	assert_string_equal(esc("\xc3\xa9\x7f", false), "\\xc3\\xa9\\x7f");
	assert_string_equal(esc("a\nb\tc\r", false), "a\\x0ab\\x09c\\x0d");
	assert_string_equal(esc("a\nb\tc\r", true), "a\nb\tc\\x0d");
}

static void
test_bounds(void **state)
{
	char small[6];

	(void)state;
	/* Cut before an escape that does not fit, never inside one. */
	assert_string_equal(ch_escape("ab\033cd", 5, small, sizeof(small),
	    false), "ab");
	assert_string_equal(ch_escape("abcdefgh", 8, small, sizeof(small),
	    false), "abcde");
	/* n bounds the input; a NUL ends it earlier. */
	assert_string_equal(ch_escape("abc", 2, out, sizeof(out), false), "ab");
	assert_string_equal(ch_escape("a\0b", 3, out, sizeof(out), false), "a");
	assert_string_equal(ch_escape("abc", 3, small, 1, false), "");
}

static void
test_word_in(void **state)
{
	(void)state;
	assert_true(ch_word_in("uml0", "uml0 uml1"));
	assert_true(ch_word_in("uml1", "uml0 uml1"));
	assert_false(ch_word_in("uml", "uml0 uml1"));
	assert_false(ch_word_in("ml0", "uml0"));
	assert_false(ch_word_in("uml0", ""));
	assert_false(ch_word_in("uml0", NULL));
	assert_false(ch_word_in("", "uml0"));
}

static void
test_replay_start(void **state)
{
	(void)state;
	/* Cut inside an escape sequence: the replay begins on the next line. */
	assert_int_equal(ch_replay_start("1;31mred\033[0m\nnext", 17), 13);
	assert_int_equal(ch_replay_start("\nall", 4), 1);
	assert_int_equal(ch_replay_start("no newline", 10), 0);
	assert_int_equal(ch_replay_start("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_word_in),
		cmocka_unit_test(test_replay_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
