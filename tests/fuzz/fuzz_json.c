/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_json.c: the JSON writer, driven by the input as a program.
 *
 * Invariants: json_escape's output is printable ASCII and decodes back to
 * the input bytes exactly, and says the length it needs; whatever calls
 * are made, json_text is NULL or a document that a strict JSON reader
 * (below, RFC 8259's grammar) accepts, printable ASCII only.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/* Decode escaped text (json_escape's output) into out; its length. */
static size_t
unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case '"': case '\\': out[n++] = *s; break;
		case 'u':
			assert(s[1] == '0' && s[2] == '0');
			assert(hexval(s[3]) >= 0 && hexval(s[4]) >= 0);
			out[n++] = (char)(hexval(s[3]) * 16 + hexval(s[4]));
			s += 4;
			break;
		default: assert(0);
		}
		s++;
	}
	return n;
}

/* A strict reader: 0 and *p past the value, or -1. */
static int value(const char **p, int depth);

static int
string(const char **p)
{
	const char *s = *p;

	if (*s++ != '"')
		return -1;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return -1;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				if (hexval(s[1]) < 0 || hexval(s[2]) < 0 ||
				    hexval(s[3]) < 0 || hexval(s[4]) < 0)
					return -1;
				s += 4;
			} else if (!strchr("\"\\/bfnrt", *s) || !*s)
				return -1;
		}
		s++;
	}
	*p = s + 1;
	return 0;
}

static int
number(const char **p)
{
	const char *s = *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return -1;
	if (*s == '.') {
		if (!(*++s >= '0' && *s <= '9'))
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	*p = s;
	return 0;
}

static int
members(const char **p, int depth, char close, int object)
{
	if (**p == close) {
		(*p)++;
		return 0;
	}
	for (;;) {
		if (object && (string(p) < 0 || *(*p)++ != ':'))
			return -1;
		if (value(p, depth + 1) < 0)
			return -1;
		if (**p == close) {
			(*p)++;
			return 0;
		}
		if (*(*p)++ != ',')
			return -1;
	}
}

static int
value(const char **p, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i;

	if (depth > JSON_DEPTH)
		return -1;
	if (**p == '{' || **p == '[') {
		char c = *(*p)++;

		return members(p, depth, c == '{' ? '}' : ']', c == '{');
	}
	if (**p == '"')
		return string(p);
	for (i = 0; i < 3; i++)
		if (strncmp(*p, words[i], strlen(words[i])) == 0) {
			*p += strlen(words[i]);
			return 0;
		}
	return number(p);
}

static void
check_escape(const uint8_t *data, size_t size)
{
	char *out = malloc(size * 6 + 1), *back = malloc(size + 1);
	size_t n, i;

	assert(out && back);
	n = json_escape((const char *)data, size, out, size * 6 + 1);
	assert(n == strlen(out));
	for (i = 0; i < n; i++)
		assert(out[i] >= 0x20 && out[i] < 0x7f);
	assert(unescape(out, back) == size);
	assert(memcmp(back, data, size) == 0);
	free(out);
	free(back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	struct json j;
	const char *t, *p;
	size_t i, n;

	check_escape(data, size);
	json_init(&j, buf, size % 7 == 0 ? 64 : sizeof(buf));
	for (i = 0; i < size; i++) {
		/* The low 3 bits pick a call, the rest is its argument. */
		n = (size_t)(data[i] >> 3) % 8;
		switch (data[i] & 7) {
		case 0:
			json_object(&j);
			break;
		case 1:
			json_array(&j);
			break;
		case 2:
			json_end(&j);
			break;
		case 3:
			json_key(&j, i + 1 < size && data[i + 1] & 1 ? "k" :
			    "\x1b\"");
			break;
		case 4:
			json_bytes(&j, (const char *)data + i,
			    n < size - i ? n : size - i);
			break;
		case 5:
			json_int(&j, (long long)data[i] * -1000003LL);
			break;
		case 6:
			json_fixed(&j, (unsigned long long)data[i] * 977, n % 4);
			break;
		default:
			if (n & 1)
				json_bool(&j, n & 2);
			else
				json_null(&j);
			break;
		}
	}
	if ((t = json_text(&j)) != NULL) {
		for (p = t; *p; p++)
			assert(*p >= 0x20 && *p < 0x7f);
		p = t;
		assert(value(&p, 0) == 0 && *p == '\0');
	}
	return 0;
}
