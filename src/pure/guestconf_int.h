/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guestconf_int.h: what guestconf.c and guestconf_net.c share while they build
 * a struct guest: the context and the helpers that take a variable's value,
 * check it, and word a refusal.  Not for the rest of umlctl (guestconf.h is).
 */
#ifndef UMLCTL_CONFIGX_H
#define UMLCTL_CONFIGX_H

#include <stdbool.h>
#include <stddef.h>

#include "confread.h"
#include "guest.h"

#define SHOW_MAX	100	/* value bytes quoted in an error message */
#define BLANKS		" \t\n"

typedef int checker(const char *s, char *err, size_t errlen);

/* The variables config_build asked for: those umlctl knows (conflint.c). */
struct asked {
	size_t n;
	char name[CONF_VARS_MAX][CONF_NAME_MAX];
};

struct gbuild {
	const struct conf *c;
	char *err;
	size_t errlen;
	struct asked *asked;	/* or NULL */
};

/* config_build, noting in *a every variable it asked for. */
int config_build_asked(const struct conf *c, const char *name,
    struct guest *g, char *err, size_t errlen, struct asked *a);
/* conf_get, noting var as asked. */
const char *cf_conf(const struct gbuild *x, const char *var);

/* s as between double quotes in sh, cut at SHOW_MAX bytes, other bytes
 * than printable ASCII as \xHH: for messages. */
void cf_show(const char *s, char *buf, size_t buflen);
/* `VAR="value": reason' into x->err, saying when it is the default; -1. */
int cf_bad(struct gbuild *x, const char *var, const char *value, bool dflt,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The value a file gave var, else def; *dflt says which. */
const char *cf_get(const struct gbuild *x, const char *var, const char *def,
    bool *dflt);
/* Check value with fn and copy it to out (outlen bytes). */
int cf_take(struct gbuild *x, const char *var, const char *value, bool dflt,
    checker *fn, char *out, size_t outlen);
int cf_take_var(struct gbuild *x, const char *var, const char *def, checker *fn,
    char *out, size_t outlen);
/* The next blank-separated word of *pp into buf; 0 at the end. */
size_t cf_next_word(const char **pp, char *buf, size_t buflen);
/* A word of var's value checked with fn; what names its kind. */
int cf_word_ok(struct gbuild *x, const char *var, const char *value,
    const char *what, const char *word, checker *fn);
/* var as one of words (NULL-terminated), its index into *out. */
int cf_one_of(struct gbuild *x, const char *var, const char *def,
    const char *const *words, const char *what, int *out);

/* guestconf_net.c: NETNS, NET_TRANSPORT, NET, BRIDGE_ and MAC_. */
int cf_network(struct gbuild *x, struct guest *g);

#endif
