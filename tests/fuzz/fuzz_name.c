/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_name.c: parse_name, parse_user, parse_ifname, parse_kpath,
 * parse_abspath, parse_kword and tap_var_name.
 *
 * Invariants: each accepted string is made only of the bytes its grammar
 * allows, within its length; a kernel word never names a key umlctl
 * manages; refusals have a printable reason.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static void
assert_reason(const char *err)
{
	assert(*err != '\0');
	for (; *err != '\0'; err++)
		assert(*err >= 0x20 && *err < 0x7f);
}

static void
check_name(const char *s)
{
	char err[256] = "";
	size_t i, n = strlen(s);

	if (parse_name(s, err, sizeof(err)) < 0) {
		assert_reason(err);
		return;
	}
	assert(n >= 1 && n <= NAME_LEN_MAX && alnum(s[0]));
	for (i = 0; i < n; i++)
		assert(alnum(s[i]) || s[i] == '_' || s[i] == '-');
}

static void
check_user(const char *s)
{
	char err[256] = "";
	size_t i, n = strlen(s);

	if (parse_user(s, err, sizeof(err)) < 0) {
		assert_reason(err);
		return;
	}
	assert(n >= 1 && n <= USER_LEN_MAX);
	assert((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
	for (i = 0; i < n; i++)
		assert((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || (s[i] == '$' && i == n - 1));
}

static void
check_ifname(const char *s)
{
	char err[256] = "", var[64];
	size_t i, n = strlen(s);

	if (parse_ifname(s, err, sizeof(err)) < 0) {
		assert_reason(err);
		return;
	}
	assert(n >= 1 && n <= IFNAME_LEN_MAX);
	assert(strcmp(s, ".") != 0 && strcmp(s, "..") != 0);
	for (i = 0; i < n; i++)
		assert(alnum(s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.');
	/* The per-tap variable is a valid sh name of the same length. */
	tap_var_name("BRIDGE_", s, var, sizeof(var));
	assert(strlen(var) == strlen("BRIDGE_") + n);
	for (i = 0; var[i] != '\0'; i++)
		assert(alnum(var[i]) || var[i] == '_');
}

static void
check_paths(const char *s)
{
	char err[256] = "";
	size_t i, n = strlen(s);

	if (parse_abspath(s, err, sizeof(err)) == 0) {
		assert(n >= 1 && n < PATH_LEN_MAX && s[0] == '/');
		for (i = 0; i < n; i++)
			assert((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	} else {
		assert_reason(err);
	}
	if (parse_kpath(s, err, sizeof(err)) == 0) {
		assert(n >= 1 && n < PATH_LEN_MAX && s[0] == '/');
		for (i = 0; i < n; i++)
			assert(s[i] > 0x20 && s[i] < 0x7f && strchr(",:=\"", s[i]) == NULL);
	} else {
		assert_reason(err);
	}
}

static void
check_kword(const char *s)
{
	char err[256] = "";
	size_t i, n = strlen(s), key = strcspn(s, "=");

	if (parse_kword(s, err, sizeof(err)) < 0) {
		assert_reason(err);
		return;
	}
	assert(n >= 1 && n < WORD_LEN_MAX);
	for (i = 0; i < n; i++)
		assert(s[i] > 0x20 && s[i] < 0x7f && strchr("\"'\\", s[i]) == NULL);
	assert(strncmp(s, "ubd", 3) != 0);
	assert(strncmp(s, "mem=", 4) != 0 && strcmp(s, "mem") != 0);
	assert(strncmp(s, "umid=", 5) != 0 && strncmp(s, "root=", 5) != 0);
	assert(strncmp(s, "uml_dir=", 8) != 0 && strncmp(s, "mconsole=", 9) != 0);
	assert(strncmp(s, "con=", 4) != 0 && strncmp(s, "ssl=", 4) != 0);
	if (strncmp(s, "con", 3) == 0 || strncmp(s, "ssl", 3) == 0)
		assert(key > 3 && strspn(s + 3, "0123456789") < key - 3);
	if (strncmp(s, "vec", 3) == 0 || strncmp(s, "eth", 3) == 0)
		assert(!(s[3] >= '0' && s[3] <= '9'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	check_name(s);
	check_user(s);
	check_ifname(s);
	check_paths(s);
	check_kword(s);
	free(s);
	return 0;
}
