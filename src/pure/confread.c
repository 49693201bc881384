/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confread.c: read conf.d files as the strict sh subset described in
 * confread.h.
 *
 * The aim is agreement with sh, not convenience: whatever this parser
 * accepts, sh (dash, busybox ash, bash) assigns exactly the same values;
 * whatever could differ (commands, expansions we cannot evaluate, syntax
 * shells disagree on) is refused with the file, the line and a reason.
 * Pure code: no I/O, no state beyond struct conf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "confread.h"

#define QUOTE_MAX	60	/* bytes of the offending text in errors */

/* Where the parser is, for error messages. */
struct cur {
	struct conf *c;
	const char *fname;
	unsigned long line;
	const char *word;	/* start of the assignment being read */
	unsigned long word_line;	/* the line it starts on */
	const char *end;	/* the line's end: its '\n' or the text's */
	const char *text_end;	/* end of the whole text */
	char *err;
	size_t errlen;
};

/* The value being built. */
struct val {
	size_t len;
	char buf[CONF_VALUE_MAX];
};

static int
is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int
is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int fail(struct cur *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * "FILE:LINE: `TEXT': reason", TEXT being the assignment from its start
 * to the end of the line, made printable and cut short: enough to find
 * it, never a control character in the terminal.
 */
static int
fail(struct cur *k, const char *fmt, ...)
{
	char text[QUOTE_MAX + 4], reason[256];
	const char *e = k->end, *nl;
	size_t i, n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (k->errlen == 0)
		return -1;
	if (k->word == NULL) {
		snprintf(k->err, k->errlen, "%s:%lu: %s", k->fname, k->line,
		    reason);
		return -1;
	}
	/* A value over several lines is shown by its first one. */
	if ((nl = memchr(k->word, '\n', (size_t)(e - k->word))) != NULL)
		e = nl;
	while (e > k->word && is_blank((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - k->word);
	for (i = 0; i < n && i < QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)k->word[i];

		text[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	strcpy(text + i, n > QUOTE_MAX ? "..." : "");
	snprintf(k->err, k->errlen, "%s:%lu: `%s': %s", k->fname, k->word_line,
	    text, reason);
	return -1;
}

static int
append(struct cur *k, struct val *v, const char *s, size_t n)
{
	if (n > CONF_VALUE_MAX - 1 - v->len)
		return fail(k, "value longer than %d bytes",
		    CONF_VALUE_MAX - 1);
	memcpy(v->buf + v->len, s, n);
	v->len += n;
	return 0;
}

static int
expand_name(struct cur *k, struct val *v, const char *name, size_t n)
{
	const struct conf_var *var = conf_lookup(k->c, name, n);

	if (var == NULL)
		return fail(k, "$%.*s is not set by a conf.d file; umlctl "
		    "cannot know its value", (int)(n > 64 ? 64 : n), name);
	return append(k, v, var->value, strlen(var->value));
}

/* ${NAME}: anything else between the braces means an operator we refuse. */
static int
expand_braced(struct cur *k, struct val *v, const char **pp)
{
	const char *p = *pp + 2, *name = p;

	if (p < k->end && is_name_start((unsigned char)*p))
		while (p < k->end && is_name_char((unsigned char)*p))
			p++;
	if (p == name || p == k->end || *p != '}')
		return fail(k, "only ${NAME} is supported, not ${NAME:-word} "
		    "or other ${...} forms");
	*pp = p + 1;
	return expand_name(k, v, name, (size_t)(p - name));
}

/* *pp points at '$'; on success it is moved past the expansion. */
static int
expand(struct cur *k, struct val *v, const char **pp)
{
	const char *p = *pp + 1, *name = p;
	int c = p < k->end ? (unsigned char)*p : -1;

	if (c == '(')
		return fail(k, p + 1 < k->end && p[1] == '(' ?
		    "arithmetic expansion is not supported" :
		    "command substitution is not supported");
	if (c == '{')
		return expand_braced(k, v, pp);
	if (c >= '0' && c <= '9')
		return fail(k, "positional parameter $%c is not supported", c);
	if (c != -1 && strchr("@*#?-$!", c) != NULL)
		return fail(k, "special parameter $%c is not supported", c);
	if (c == -1 || !is_name_start(c))
		return fail(k, "a '$' that starts no expansion is not "
		    "supported (write \\$ inside \"...\", or '$')");
	while (p < k->end && is_name_char((unsigned char)*p))
		p++;
	*pp = p;
	return expand_name(k, v, name, (size_t)(p - name));
}

/*
 * A quote still open at the end of the line goes on over the next one, as
 * in sh (OpenRC's rc_cgroup_settings is written so): the newline belongs
 * to the value, and the line being read grows to the next line's end.
 * 0, or -1 at the end of the text.
 */
static int
next_line(struct cur *k, struct val *v)
{
	const char *nl;

	if (k->end == k->text_end)
		return fail(k, "unterminated quote");
	if (append(k, v, "\n", 1) < 0)
		return -1;
	nl = memchr(k->end + 1, '\n', (size_t)(k->text_end - k->end - 1));
	k->end = nl != NULL ? nl : k->text_end;
	k->line++;
	return 0;
}

/* '...': literal up to the next quote. */
static int
single_quoted(struct cur *k, struct val *v, const char **pp)
{
	const char *s = *pp + 1, *q;

	while ((q = memchr(s, '\'', (size_t)(k->end - s))) == NULL) {
		const char *eol = k->end;

		if (append(k, v, s, (size_t)(eol - s)) < 0 || next_line(k,
		    v) < 0)
			return -1;
		s = eol + 1;
	}
	*pp = q + 1;
	return append(k, v, s, (size_t)(q - s));
}

/*
 * "...": a backslash quotes only " \ $ and ` (anything else keeps it,
 * as in sh); $ expands; a backquote would run a command.
 */
static int
double_quoted(struct cur *k, struct val *v, const char **pp)
{
	const char *p = *pp + 1;

	for (;;) {
		if (p == k->end) {
			if (next_line(k, v) < 0)
				return -1;
			p++;
			continue;
		}
		if (*p == '"')
			break;
		if (*p == '`')
			return fail(k, "command substitution is not supported");
		if (*p == '$') {
			if (expand(k, v, &p) < 0)
				return -1;
			continue;
		}
		if (*p == '\\' && p + 1 == k->end)
			return fail(k, "line continuation is not supported");
		if (*p == '\\' && strchr("\"\\$`", p[1]) != NULL)
			p++;
		if (append(k, v, p, 1) < 0)
			return -1;
		p++;
	}
	*pp = p + 1;
	return 0;
}

/* An unquoted byte that is not plain text: say why sh would differ. */
static int
unquoted_refused(struct cur *k, unsigned char c)
{
	if (c == '`')
		return fail(k, "command substitution is not supported");
	if (c == '\\')
		return fail(k, "a backslash outside quotes is not supported "
		    "(quote the value with '...')");
	if (c == '~')
		return fail(k, "an unquoted '~' is not supported (sh would "
		    "expand it to a home directory; quote it)");
	if (c == '\r')
		return fail(k, "carriage return outside quotes (DOS line "
		    "endings are not supported)");
	if (c < 0x20 || c >= 0x7f)
		return fail(k, "byte 0x%02x outside quotes is not supported "
		    "(quote the value)", c);
	return fail(k, "an unquoted '%c' is shell syntax umlctl does not "
	    "read (quote it if it belongs to the value)", c);
}

/* The value after NAME=, up to a blank or the end of the line. */
static int
read_value(struct cur *k, struct val *v, const char **pp)
{
	const char *p = *pp;
	int r = 0;

	v->len = 0;
	while (r == 0 && p < k->end && !is_blank((unsigned char)*p)) {
		unsigned char c = (unsigned char)*p;

		if (c == '\'')
			r = single_quoted(k, v, &p);
		else if (c == '"')
			r = double_quoted(k, v, &p);
		else if (c == '$')
			r = expand(k, v, &p);
		else if (c > 0x20 && c < 0x7f && strchr("\\`~;&|<>()", c) ==
		    NULL)
			r = append(k, v, (const char *)p++, 1);
		else
			r = unquoted_refused(k, c);
	}
	v->buf[v->len] = '\0';
	*pp = p;
	return r;
}

/*
 * Names that bash, dash or busybox sh treat specially: dynamic ($RANDOM,
 * $LINENO, $_), read-only in bash (UID: the source would abort there),
 * or checked (OPTIND).  Assigning them does not give sh's value back.
 */
static int
special_name(const char *name, size_t n)
{
	static const char *const names[] = {
		"_", "RANDOM", "SRANDOM", "SECONDS", "LINENO", "EPOCHSECONDS",
		"EPOCHREALTIME", "BASHPID", "BASH_COMMAND", "BASH_SUBSHELL",
		"HISTCMD", "PPID", "UID", "EUID", "GROUPS", "FUNCNAME",
		"SHELLOPTS", "BASHOPTS", "BASH_VERSINFO", "BASH_LINENO",
		"BASH_SOURCE", "BASH_ARGV", "BASH_ARGC", "BASH_ALIASES",
		"BASH_CMDS", "BASH_REMATCH", "BASH_XTRACEFD", "BASH_COMPAT",
		"DIRSTACK", "PIPESTATUS", "OPTIND", NULL,
	};
	const char *const *p;

	for (p = names; *p != NULL; p++)
		if (strlen(*p) == n && memcmp(*p, name, n) == 0)
			return 1;
	return 0;
}

/* NAME=value at *pp; anything that is not one is a command to sh. */
static int
assignment(struct cur *k, const char **pp)
{
	struct val v;
	struct conf_var *var;
	const char *p = *pp, *name = p;
	size_t n;

	k->word = p;
	k->word_line = k->line;
	if (*p == '\r' && p + 1 == k->end)
		return fail(k, "carriage return (DOS line endings are not "
		    "supported)");
	while (p < k->end && is_name_char((unsigned char)*p))
		p++;
	n = (size_t)(p - name);
	if (n == 0 || !is_name_start((unsigned char)*name) || p == k->end ||
	    *p != '=')
		return fail(k, "cannot parse faithfully: umlctl reads conf.d "
		    "files as plain NAME=value assignments");
	if (n >= CONF_NAME_MAX)
		return fail(k, "variable name longer than %d bytes",
		    CONF_NAME_MAX - 1);
	if (special_name(name, n))
		return fail(k, "%.*s is special in some shells, which would "
		    "not keep the value; use another name", (int)n, name);
	p++;
	if (read_value(k, &v, &p) < 0)
		return -1;
	/* Applied at once: sh assigns left to right, so A=1 B=$A works. */
	if ((var = conf_slot(k->c, name, n)) == NULL)
		return fail(k, "too many variables (at most %d)",
		    CONF_VARS_MAX);
	memcpy(var->value, v.buf, v.len + 1);
	var->builtin = false;
	snprintf(var->where, sizeof(var->where), "%s:%lu", k->fname,
	    k->word_line);
	*pp = p;
	return 0;
}

static int
parse_line(struct cur *k, const char *p)
{
	k->word = NULL;
	if (memchr(p, '\0', (size_t)(k->end - p)) != NULL)
		return fail(k, "contains a NUL byte (conf.d files are text)");
	for (;;) {
		while (p < k->end && is_blank((unsigned char)*p))
			p++;
		/* A '#' starts a comment only at the start of a word. */
		if (p == k->end || *p == '#')
			return 0;
		if (assignment(k, &p) < 0)
			return -1;
	}
}

/*
 * On error the assignments before it stay applied: the caller gives up
 * on the guest anyway, and undoing them would need a second table.
 */
int
conf_parse(struct conf *c, const char *fname, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct cur k = { c, fname, 0, NULL, 0, NULL, text + len, err, errlen };
	const char *p = text, *end = text + len;

	if (errlen > 0)
		err[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		k.line++;
		k.end = nl != NULL ? nl : end;
		if (parse_line(&k, p) < 0)
			return -1;
		/* A quoted value may have taken more lines. */
		p = k.end < end ? k.end + 1 : end;
	}
	return 0;
}
