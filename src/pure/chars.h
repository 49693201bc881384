/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * chars.h: byte classes and reasons shared by the parsers (parse.c,
 * kcmdword.c).  Pure.  The classes do not depend on the locale, as ctype(3)'s
 * do.
 */
#ifndef UMLCTL_CHARS_H
#define UMLCTL_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Format a reason into err (errlen bytes, may be 0); returns -1. */
int ch_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ch_digit(int c);
int ch_lower(int c);
int ch_alpha(int c);
int ch_alnum(int c);
/* The value of a hex digit, or -1. */
int ch_hex(int c);
/* A refused byte, printable: "a space", "'x'", "byte 0x0a". */
void ch_describe(unsigned char c, char *buf, size_t buflen);

/*
 * Text a guest or USER wrote (mconsole replies, panic and notify text,
 * console lines), made safe for a terminal or a log: printable ASCII is
 * kept, with keep_nl newlines and tabs too, every other byte and the
 * backslash become \xHH, so that no escape sequence gets through.  At most
 * n bytes of src (it may end earlier with a NUL) into dst (dstlen bytes,
 * always NUL-terminated, cut before an escape that would not fit).
 */
char *ch_escape(const char *src, size_t n, char *dst, size_t dstlen,
    bool keep_nl);

/* Whether word is one of the blank-separated words of list (NULL: none). */
bool ch_word_in(const char *word, const char *list);

/*
 * Where a replay of buf (the last n bytes of a longer stream) may begin
 * so that it starts at the start of a line, not inside a line or an
 * escape sequence: after its first newline; 0 if it has none.
 */
size_t ch_replay_start(const char *buf, size_t n);

uint64_t ch_le(const unsigned char *p, size_t n);

#endif
