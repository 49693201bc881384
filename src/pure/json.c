/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.c: the JSON writer (json.h).  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j, char *buf, size_t cap)
{
	*j = (struct json){ .buf = buf, .cap = cap, .bad = cap == 0 };
	if (cap)
		buf[0] = '\0';
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (j->bad || n >= j->cap - j->len) {
		j->bad = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static bool
in_object(const struct json *j)
{
	return j->depth > 0 && j->obj[j->depth - 1];
}

/* A new member of the open level (a key, an array's element), or the one
 * top-level value: the comma before a sibling. */
static void
member(struct json *j)
{
	if (j->depth == 0) {
		if (j->len > 0)
			j->bad = true;
		return;
	}
	if (j->more[j->depth - 1])
		put(j, ",", 1);
	j->more[j->depth - 1] = true;
}

/* Before a value: in an object, its key must have come just before. */
static void
value(struct json *j)
{
	if (in_object(j)) {
		if (!j->key)
			j->bad = true;
		j->key = false;
		return;
	}
	member(j);
}

static void
open_level(struct json *j, char c, bool object)
{
	value(j);
	if (j->depth >= JSON_DEPTH) {
		j->bad = true;
		return;
	}
	put(j, &c, 1);
	j->obj[j->depth] = object;
	j->more[j->depth++] = false;
}

void
json_object(struct json *j)
{
	open_level(j, '{', true);
}

void
json_array(struct json *j)
{
	open_level(j, '[', false);
}

void
json_end(struct json *j)
{
	if (j->depth == 0 || j->key) {
		j->bad = true;
		return;
	}
	j->depth--;
	put(j, j->obj[j->depth] ? "}" : "]", 1);
}

/* One byte as JSON string text into e (at least 6 bytes); its length. */
static size_t
escape_one(unsigned char c, char *e)
{
	static const char hex[] = "0123456789abcdef";
	static const char shortform[] = "\bb\ff\nn\rr\tt\"\"\\\\";
	const char *p;

	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
		e[0] = (char)c;
		return 1;
	}
	for (p = shortform; *p; p += 2)
		if ((unsigned char)*p == c) {
			e[0] = '\\';
			e[1] = p[1];
			return 2;
		}
	memcpy(e, "\\u00", 4);
	e[4] = hex[c >> 4];
	e[5] = hex[c & 15];
	return 6;
}

size_t
json_escape(const char *s, size_t n, char *dst, size_t cap)
{
	size_t i, k, len = 0, used = 0;
	bool full = cap == 0;
	char e[6];

	for (i = 0; i < n; i++) {
		k = escape_one((unsigned char)s[i], e);
		if (!full && used + k < cap) {
			memcpy(dst + used, e, k);
			used += k;
		} else
			full = true;
		len += k;
	}
	if (cap > 0)
		dst[used] = '\0';
	return len;
}

static void
quoted(struct json *j, const char *s, size_t n)
{
	char e[6];
	size_t i;

	put(j, "\"", 1);
	for (i = 0; i < n && !j->bad; i++)
		put(j, e, escape_one((unsigned char)s[i], e));
	put(j, "\"", 1);
}

void
json_key(struct json *j, const char *key)
{
	if (!in_object(j) || j->key) {
		j->bad = true;
		return;
	}
	member(j);
	quoted(j, key, strlen(key));
	put(j, ":", 1);
	j->key = true;
}

void
json_bytes(struct json *j, const char *s, size_t n)
{
	value(j);
	quoted(j, s, n);
}

void
json_str(struct json *j, const char *s)
{
	if (s)
		json_bytes(j, s, strlen(s));
	else
		json_null(j);
}

static void
word(struct json *j, const char *w)
{
	value(j);
	put(j, w, strlen(w));
}

void
json_int(struct json *j, long long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", v);
	word(j, b);
}

void
json_uint(struct json *j, unsigned long long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", v);
	word(j, b);
}

void
json_bool(struct json *j, bool v)
{
	word(j, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	word(j, "null");
}

void
json_fixed(struct json *j, unsigned long long v, unsigned decimals)
{
	unsigned long long p = 1;
	char b[48];
	unsigned i;

	if (decimals > 18) {
		j->bad = true;
		return;
	}
	for (i = 0; i < decimals; i++)
		p *= 10;
	if (decimals)
		snprintf(b, sizeof(b), "%llu.%0*llu", v / p, (int)decimals,
		    v % p);
	else
		snprintf(b, sizeof(b), "%llu", v);
	word(j, b);
}

const char *
json_text(const struct json *j)
{
	return j->bad || j->depth || j->key || j->len == 0 ? NULL : j->buf;
}
