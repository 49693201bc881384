/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * chars.c: byte classes and reasons shared by the parsers.  Pure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chars.h"

int
ch_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Locale-independent classes: the ctype(3) ones depend on the locale. */
int
ch_digit(int c)
{
	return c >= '0' && c <= '9';
}

int
ch_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

int
ch_alpha(int c)
{
	return ch_lower(c) || (c >= 'A' && c <= 'Z');
}

int
ch_alnum(int c)
{
	return ch_alpha(c) || ch_digit(c);
}

int
ch_hex(int c)
{
	if (ch_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Describe a refused byte so that the message itself stays printable:
 * "a space", "'x'" for printable ASCII, "byte 0x0a" otherwise.
 */
void
ch_describe(unsigned char c, char *buf, size_t buflen)
{
	if (c == ' ')
		snprintf(buf, buflen, "a space");
	else if (c == '\'')
		snprintf(buf, buflen, "a single quote");
	else if (c > 0x20 && c < 0x7f)
		snprintf(buf, buflen, "'%c'", c);
	else
		snprintf(buf, buflen, "byte 0x%02x", c);
}

char *
ch_escape(const char *src, size_t n, char *dst, size_t dstlen, bool keep_nl)
{
	size_t i, o = 0;

	if (dstlen == 0)
		return dst;
	for (i = 0; i < n && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];
		bool plain = (c >= 0x20 && c < 0x7f && c != '\\') ||
		    (keep_nl && (c == '\n' || c == '\t'));

		if (plain && o + 1 < dstlen)
			dst[o++] = (char)c;
		else if (!plain && o + 4 < dstlen) {
			snprintf(dst + o, dstlen - o, "\\x%02x", c);
			o += 4;
		} else
			break;
	}
	dst[o] = '\0';
	return dst;
}

bool
ch_word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; p && n && (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] ==
		    '\0'))
			return true;
	return false;
}

/* The n-byte little-endian number at p (n at most 8): COW headers of
 * version 1 (x86 host order), ELF64 fields. */
uint64_t
ch_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

size_t
ch_replay_start(const char *buf, size_t n)
{
	const char *nl = memchr(buf, '\n', n);

	return nl ? (size_t)(nl - buf) + 1 : 0;
}
