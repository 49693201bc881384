/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guestconf_val.c: taking one variable's value for guestconf.c and
 * guestconf_net.c: its value or default, checked by a parser, and the refusal
 * that names the variable and the value as the file spelled it.  Pure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guestconf_int.h"

/*
 * s as it would appear between double quotes in sh, cut at SHOW_MAX
 * bytes; bytes that are not printable ASCII as \xHH so that a message
 * never carries a control character to the terminal.
 */
void
cf_show(const char *s, char *buf, size_t buflen)
{
	size_t i, o = 0;

	for (i = 0; i < SHOW_MAX && s[i] != '\0' && o + 5 < buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, buflen - o,
			    "\\x%02x", c);
		else if (strchr("\"\\$`", c) != NULL)
			o += (size_t)snprintf(buf + o, buflen - o, "\\%c", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	if (s[i] != '\0' && o + 4 <= buflen)
		strcpy(buf + o, "...");
}

/* `VAR="value": reason', saying when the value is umlctl's default. */
int
cf_bad(struct gbuild *x, const char *var, const char *value, bool dflt,
    const char *fmt, ...)
{
	char shown[SHOW_MAX * 4 + 8], reason[512];
	char note[CONF_NAME_MAX + CONF_WHERE_MAX + 40];
	const char *where;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	cf_show(value, shown, sizeof(shown));
	note[0] = '\0';
	if (dflt)
		snprintf(note, sizeof(note), " (%s is not set; this is its "
		    "default)", var);
	else if ((where = conf_where(x->c, var)) != NULL)
		snprintf(note, sizeof(note), " (%s)", where);
	if (x->errlen > 0)
		snprintf(x->err, x->errlen, "%s=\"%s\": %s%s", var, shown,
		    reason, note);
	return -1;
}

const char *
cf_conf(const struct gbuild *x, const char *var)
{
	struct asked *a = x->asked;
	size_t i;

	for (i = 0; a && i < a->n && strcmp(a->name[i], var) != 0; i++)
		;
	if (a && i == a->n && a->n < CONF_VARS_MAX)
		snprintf(a->name[a->n++], CONF_NAME_MAX, "%s", var);
	return conf_get(x->c, var);
}

/* The value a file gave var, else def; *dflt says which. */
const char *
cf_get(const struct gbuild *x, const char *var, const char *def, bool *dflt)
{
	const char *v = cf_conf(x, var);

	*dflt = v == NULL;
	return v != NULL ? v : def;
}

/* Check value with fn and copy it to out (outlen bytes). */
int
cf_take(struct gbuild *x, const char *var, const char *value, bool dflt,
    checker *fn, char *out, size_t outlen)
{
	char why[256];

	if (fn(value, why, sizeof(why)) < 0)
		return cf_bad(x, var, value, dflt, "%s", why);
	if (strlen(value) >= outlen)
		return cf_bad(x, var, value, dflt, "longer than %zu bytes",
		    outlen - 1);
	strcpy(out, value);
	return 0;
}

int
cf_take_var(struct gbuild *x, const char *var, const char *def, checker *fn,
    char *out, size_t outlen)
{
	bool dflt;
	const char *v = cf_get(x, var, def, &dflt);

	return cf_take(x, var, v, dflt, fn, out, outlen);
}

/*
 * The next blank-separated word of *pp into buf; 0 at the end.  A word
 * too long for buf is cut, and then fails its parser's length check.
 */
size_t
cf_next_word(const char **pp, char *buf, size_t buflen)
{
	const char *p = *pp + strspn(*pp, BLANKS);
	size_t n = strcspn(p, BLANKS);

	snprintf(buf, buflen, "%.*s", (int)n, p);
	*pp = p + n;
	return n;
}

int
cf_word_ok(struct gbuild *x, const char *var, const char *value, const char
    *what, const char *word, checker *fn)
{
	char why[256], shown[SHOW_MAX * 4 + 8];

	if (fn(word, why, sizeof(why)) == 0)
		return 0;
	cf_show(word, shown, sizeof(shown));
	return cf_bad(x, var, value, false, "%s \"%s\": %s", what, shown, why);
}

/*
 * var as one of words (NULL-terminated), its index into *out; def if
 * unset.  what names the kind in the refusal.
 */
int
cf_one_of(struct gbuild *x, const char *var, const char *def,
    const char *const *words, const char *what, int *out)
{
	char list[128] = "";
	bool dflt;
	const char *v = cf_get(x, var, def, &dflt);
	int i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i > 0 ? (words[i + 1] ? ", " : " or ") : "",
		    words[i]);
	}
	return cf_bad(x, var, v, dflt, "not a %s (use %s)", what, list);
}
