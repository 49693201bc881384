/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confread.h: read conf.d files the way sh would, or refuse.
 *
 * OpenRC sources /etc/conf.d/uml and /etc/conf.d/uml.<name> with sh.
 * umlctl reads the same files itself so that a guest started by hand gets
 * the configuration it gets under rc-service.  The parser accepts a strict
 * subset of sh on which it agrees with sh exactly, and rejects everything
 * else with the file, line and reason:
 *
 *   # comment                        blank lines
 *   NAME=value [NAME=value ...]      [# comment]
 *
 * where a value is a concatenation of unquoted text, '...' and "...",
 * with $NAME and ${NAME} expanded from earlier assignments (or from the
 * names conf_set_builtin() defined, such as RC_SVCNAME).  A quote may span
 * lines, as in sh (OpenRC's rc_cgroup_settings is written so); the value
 * then holds the newlines.  No commands, no tilde, no command
 * substitution, no ${NAME:-word} forms, no line continuation, no
 * unterminated quotes.  Pure code: no I/O.
 */
#ifndef UMLCTL_CONF_H
#define UMLCTL_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_VARS_MAX	256
#define CONF_NAME_MAX	64
#define CONF_VALUE_MAX	4096
#define CONF_WHERE_MAX	320	/* "FILE:LINE" */

struct conf_var {
	char name[CONF_NAME_MAX];
	char value[CONF_VALUE_MAX];
	bool builtin;		/* set by conf_set_builtin(), not by a file */
	char where[CONF_WHERE_MAX];	/* "FILE:LINE" of the assignment */
};

struct conf {
	size_t n;
	struct conf_var var[CONF_VARS_MAX];
};

void conf_init(struct conf *c);

/* Define a name that $NAME may refer to (e.g. RC_SVCNAME); not an
 * assignment. */
int conf_set_builtin(struct conf *c, const char *name, const char *value);

/*
 * Parse text (len bytes, need not be NUL-terminated) from file fname and
 * apply its assignments to c in order; a later assignment replaces an
 * earlier one.  Returns 0, or -1 with a message such as
 * "/etc/conf.d/uml.router:3: `MEMORY=$(echo 1)': command substitution is
 * not supported" in err (errlen bytes, always NUL-terminated).
 */
int conf_parse(struct conf *c, const char *fname, const char *text, size_t len,
    char *err, size_t errlen);

/* The value assigned to name by a file, or NULL if no file assigned it. */
const char *conf_get(const struct conf *c, const char *name);

/* "FILE:LINE" of that assignment (the last one), or NULL. */
const char *conf_where(const struct conf *c, const char *name);

/* For confread.c: the variable name (n bytes), or NULL; and the same, added
 * if missing (NULL if the table is full). */
struct conf_var *conf_lookup(struct conf *c, const char *name, size_t n);
struct conf_var *conf_slot(struct conf *c, const char *name, size_t n);

#endif
