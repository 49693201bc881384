/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kcmdword.c: words and paths that reach the UML kernel's command line.
 * Pure.  UML's option parsers split on ',' ':' '=' and blanks, and the
 * kernel's own parser takes '"' as a quote: a value holding one of them
 * would change what the kernel is told (arch/um/drivers/ubd_kern.c,
 * vector_kern.c, init/main.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "chars.h"
#include "guest.h"
#include "parse.h"

/* Printable ASCII without the bytes UML's option parsers split on. */
static int
kpath_chars(const char *s, char *err, size_t errlen)
{
	char what[16];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ',' || c == ':' || c == '=')
			return ch_fail(err, errlen, "contains '%c' which UML's "
			    "command line splits on", c);
		if (c == ' ')
			return ch_fail(err, errlen, "contains a space, which "
			    "splits the kernel command line");
		/* The kernel's own parser (lib/cmdline.c) takes '"' as a
		 * quote. */
		if (c == '"')
			return ch_fail(err, errlen, "contains '\"' which the "
			    "kernel's command line parser takes as a quote");
		if (c < 0x20 || c >= 0x7f) {
			ch_describe(c, what, sizeof(what));
			return ch_fail(err, errlen, "contains %s (only "
			    "printable ASCII can go on the kernel command "
			    "line)", what);
		}
	}
	return 0;
}

int
parse_kpath(const char *s, char *err, size_t errlen)
{
	if (parse_abspath(s, err, errlen) < 0)
		return -1;
	return kpath_chars(s, err, errlen);
}

int
parse_hostpath(const char *s, char *err, size_t errlen)
{
	const char *c;
	size_t n;

	if (parse_kpath(s, err, errlen) < 0)
		return -1;
	if (strcmp(s, "/") == 0)
		return ch_fail(err, errlen, "the whole host (name the one "
		    "directory to share)");
	/* Spelled plainly, so that the path checked, the kernel's hostfs=
	 * and the Landlock rule are one directory, and UMLDIR compares. */
	for (c = s + 1; ; c += n + 1) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return ch_fail(err, errlen, "not a plain path (an "
			    "empty, \".\" or \"..\" component, or a trailing "
			    "'/')");
		if (c[n] == '\0')
			return 0;
	}
}

int
parse_abspath(const char *s, char *err, size_t errlen)
{
	char what[16];
	size_t i, n = strlen(s);

	if (n == 0)
		return ch_fail(err, errlen, "empty (an absolute path is "
		    "needed)");
	if (s[0] != '/')
		return ch_fail(err, errlen, "not an absolute path");
	if (n > PATH_LEN_MAX - 1)
		return ch_fail(err, errlen, "longer than %d bytes",
		    PATH_LEN_MAX - 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			ch_describe(c, what, sizeof(what));
			return ch_fail(err, errlen, "contains %s (a control "
			    "character)", what);
		}
	}
	return 0;
}

/*
 * The words umlctl writes itself.  UML matches its options by prefix
 * (__uml_setup("ubd", ...) takes every word that starts with "ubd"), so
 * a user word with one of these keys would silently replace umlctl's.
 */
enum kmatch { K_EXACT, K_DIGITS, K_PREFIX, K_PREFIX_DIGIT };

static const struct kword {
	const char *key;
	enum kmatch match;
	const char *use;
} kwords[] = {
	{ "mem", K_EXACT, "mem= (set MEMORY instead)" },
	{ "umid", K_EXACT, "umid= (it is always the instance name)" },
	{ "uml_dir", K_EXACT, "uml_dir= (it is always in /run/uml)" },
	{ "root", K_EXACT, "root= (set ROOT instead)" },
	{ "mconsole", K_EXACT, "mconsole= (it supervises the guest with it)" },
	{ "seccomp", K_EXACT, "seccomp= (set USERSPACE instead)" },
	{ "ncpus", K_EXACT, "ncpus= (set CPUS instead)" },
	{ "hostfs", K_EXACT, "hostfs= (set HOSTFS instead)" },
	{ "con", K_DIGITS, "consoles (con=null con0=fd:0,fd:1)" },
	{ "ssl", K_DIGITS, "serial lines (ssl=null)" },
	{ "ubd", K_PREFIX, "disks (set ROOT and SWAP instead)" },
	{ "vec", K_PREFIX_DIGIT, "network interfaces (set NET instead)" },
	{ "eth", K_PREFIX_DIGIT, "network interfaces (set NET instead)" },
};

static int
kword_matches(const struct kword *kw, const char *key, size_t keylen)
{
	size_t n = strlen(kw->key);
	size_t i;

	if (keylen < n || strncmp(key, kw->key, n) != 0)
		return 0;
	switch (kw->match) {
	case K_EXACT:
		return keylen == n;
	case K_DIGITS:
		for (i = n; i < keylen; i++)
			if (!ch_digit((unsigned char)key[i]))
				return 0;
		return 1;
	case K_PREFIX:
		return 1;
	case K_PREFIX_DIGIT:
		return keylen > n && ch_digit((unsigned char)key[n]);
	}
	return 0;
}

int
parse_kword(const char *s, char *err, size_t errlen)
{
	char what[16];
	size_t i, keylen, n = strlen(s);

	if (n == 0)
		return ch_fail(err, errlen, "empty");
	if (n > WORD_LEN_MAX - 1)
		return ch_fail(err, errlen, "longer than %d bytes",
		    WORD_LEN_MAX - 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c ==
		    '\\') {
			ch_describe(c, what, sizeof(what));
			return ch_fail(err, errlen, "contains %s (a kernel "
			    "word is printable ASCII without spaces, quotes or "
			    "'\\')", what);
		}
	}
	keylen = strcspn(s, "=");
	for (i = 0; i < sizeof(kwords) / sizeof(kwords[0]); i++)
		if (kword_matches(&kwords[i], s, keylen))
			return ch_fail(err, errlen, "would override umlctl's "
			    "%s", kwords[i].use);
	return 0;
}
