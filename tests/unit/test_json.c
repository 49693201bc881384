/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_json.c: the JSON writer, its escaping above all: what a guest
 * chose reaches the output as printable ASCII, by the JSON rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "json.h"

static char out[256];

static const char *
esc(const char *s, size_t n)
{
	json_escape(s, n, out, sizeof(out));
	return out;
}

static void
test_escape(void **state)
{
	(void)state;
	assert_string_equal(esc("Linux 7.3 #1", 12), "Linux 7.3 #1");
	assert_string_equal(esc("a\"b\\c", 5), "a\\\"b\\\\c");
	assert_string_equal(esc("\n\t\r\b\f", 5), "\\n\\t\\r\\b\\f");
	assert_string_equal(esc("\033[31m\001\177", 7),
	    "\\u001b[31m\\u0001\\u007f");
	/* Not UTF-8, and UTF-8: each byte its own escape, nothing raw. */
	assert_string_equal(esc("\xff\xc3\xa9", 3), "\\u00ff\\u00c3\\u00a9");
	/* A NUL inside the bytes is data too. */
	assert_string_equal(esc("a\0b", 3), "a\\u0000b");
	assert_string_equal(esc("", 0), "");
}

static void
test_escape_bounds(void **state)
{
	char small[8];

	(void)state;
	/* Cut before an escape that does not fit, never inside one; the
	 * length needed is returned, as snprintf. */
	assert_int_equal(json_escape("ab\001cd", 5, small, sizeof(small)), 10);
	assert_string_equal(small, "ab");
	assert_int_equal(json_escape("abcdefghij", 10, small, sizeof(small)), 10);
	assert_string_equal(small, "abcdefg");
	assert_int_equal(json_escape("abc", 3, small, 0), 3);
	assert_int_equal(json_escape("abc", 3, small, 1), 3);
	assert_string_equal(small, "");
}

static void
test_writer(void **state)
{
	struct json j;

	(void)state;
	json_init(&j, out, sizeof(out));
	json_object(&j);
	json_key(&j, "schema");
	json_int(&j, 1);
	json_key(&j, "name");
	json_str(&j, "a\"b");
	json_key(&j, "none");
	json_str(&j, NULL);
	json_key(&j, "nics");
	json_array(&j);
	json_object(&j);
	json_key(&j, "rx");
	json_uint(&j, 18446744073709551615ULL);
	json_end(&j);
	json_object(&j);
	json_end(&j);
	json_end(&j);
	json_key(&j, "up");
	json_bool(&j, true);
	json_key(&j, "cpu");
	json_fixed(&j, 1205, 2);
	json_key(&j, "neg");
	json_int(&j, -3);
	json_end(&j);
	assert_non_null(json_text(&j));
	assert_string_equal(json_text(&j), "{\"schema\":1,\"name\":\"a\\\"b\","
	    "\"none\":null,\"nics\":[{\"rx\":18446744073709551615},{}],"
	    "\"up\":true,\"cpu\":12.05,\"neg\":-3}");
}

static void
test_fixed(void **state)
{
	struct json j;

	(void)state;
	json_init(&j, out, sizeof(out));
	json_array(&j);
	json_fixed(&j, 7, 2);
	json_fixed(&j, 0, 0);
	json_fixed(&j, 100, 2);
	json_end(&j);
	assert_string_equal(json_text(&j), "[0.07,0,1.00]");
}

static void
test_misuse(void **state)
{
	struct json j;
	char small[8];

	(void)state;
	/* A value in an object without its key. */
	json_init(&j, out, sizeof(out));
	json_object(&j);
	json_int(&j, 1);
	json_end(&j);
	assert_null(json_text(&j));
	/* A key in an array. */
	json_init(&j, out, sizeof(out));
	json_array(&j);
	json_key(&j, "k");
	assert_null(json_text(&j));
	/* Not closed; closed once too often; two top-level values. */
	json_init(&j, out, sizeof(out));
	json_object(&j);
	assert_null(json_text(&j));
	json_end(&j);
	assert_non_null(json_text(&j));
	json_end(&j);
	assert_null(json_text(&j));
	json_init(&j, out, sizeof(out));
	json_int(&j, 1);
	json_int(&j, 2);
	assert_null(json_text(&j));
	/* A key left without its value. */
	json_init(&j, out, sizeof(out));
	json_object(&j);
	json_key(&j, "k");
	json_end(&j);
	assert_null(json_text(&j));
	/* Overflow: NULL, never a cut document. */
	json_init(&j, small, sizeof(small));
	json_array(&j);
	json_str(&j, "abcdefgh");
	json_end(&j);
	assert_null(json_text(&j));
	json_init(&j, small, 0);
	assert_null(json_text(&j));
}

static void
test_depth(void **state)
{
	struct json j;
	int i;

	(void)state;
	json_init(&j, out, sizeof(out));
	for (i = 0; i < JSON_DEPTH; i++)
		json_array(&j);
	for (i = 0; i < JSON_DEPTH; i++)
		json_end(&j);
	assert_non_null(json_text(&j));
	json_init(&j, out, sizeof(out));
	for (i = 0; i <= JSON_DEPTH; i++)
		json_array(&j);
	for (i = 0; i <= JSON_DEPTH; i++)
		json_end(&j);
	assert_null(json_text(&j));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_bounds),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
