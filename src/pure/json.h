/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.h: a JSON writer into a caller's buffer.  Pure: no I/O, no
 * allocation, no globals.
 *
 * Strings are written by the JSON rules (RFC 8259), and more strictly:
 * the output is printable ASCII only.  '"' and '\' are escaped, the
 * control characters with their short forms or \u00XX, and every byte
 * from 0x7f up as \u00XX, the byte's value: text a guest chose (its
 * hostname, its console) reaches a reader as data, never as raw bytes,
 * and a string that is not UTF-8 is still valid JSON.  Commas and the
 * nesting are the writer's: a caller says key, value, begin, end.
 */
#ifndef UMLCTL_JSON_H
#define UMLCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_DEPTH	16

struct json {
	char *buf;
	size_t cap, len;
	bool bad;		/* overflow, or a misuse: json_text says NULL */
	unsigned depth;
	bool obj[JSON_DEPTH];	/* this level is an object, not an array */
	bool more[JSON_DEPTH];	/* this level has a member already */
	bool key;		/* a key was written, its value is next */
};

void json_init(struct json *j, char *buf, size_t cap);
void json_object(struct json *j);	/* { */
void json_array(struct json *j);	/* [ */
void json_end(struct json *j);		/* } or ], whichever is open */
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL: null */
void json_bytes(struct json *j, const char *s, size_t n);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* v / 10^decimals, written exactly (CPU seconds from clock ticks). */
void json_fixed(struct json *j, unsigned long long v, unsigned decimals);
/* The text, NUL-terminated, once every level is closed; else NULL. */
const char *json_text(const struct json *j);

/*
 * n bytes of s as the inside of a JSON string (no quotes) into dst (cap
 * bytes, NUL-terminated); the length it needs, without the NUL, as
 * snprintf: a result >= cap means it was cut (never inside an escape).
 */
size_t json_escape(const char *s, size_t n, char *dst, size_t cap);

#endif
