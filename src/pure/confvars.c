/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confvars.c: the table of variables confread.c fills, and what the rest of
 * umlctl asks of it.  Pure.
 */
#include <stdbool.h>
#include <string.h>

#include "chars.h"
#include "confread.h"

struct conf_var *
conf_lookup(struct conf *c, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strncmp(c->var[i].name, name, n) == 0 &&
		    c->var[i].name[n] == '\0')
			return &c->var[i];
	return NULL;
}

struct conf_var *
conf_slot(struct conf *c, const char *name, size_t n)
{
	struct conf_var *v = conf_lookup(c, name, n);

	if (v != NULL)
		return v;
	if (c->n == CONF_VARS_MAX)
		return NULL;
	v = &c->var[c->n++];
	memcpy(v->name, name, n);
	v->name[n] = '\0';
	return v;
}

void
conf_init(struct conf *c)
{
	c->n = 0;
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= CONF_NAME_MAX || !(ch_alpha((unsigned char)s[0]) ||
	    s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!ch_alnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

int
conf_set_builtin(struct conf *c, const char *name, const char *value)
{
	struct conf_var *v;
	size_t n = strlen(name), vn = strlen(value);

	if (!valid_name(name, n) || vn >= CONF_VALUE_MAX ||
	    (v = conf_slot(c, name, n)) == NULL)
		return -1;
	memcpy(v->value, value, vn + 1);
	v->builtin = true;
	return 0;
}

/* The variable a file assigned, or NULL. */
static const struct conf_var *
assigned(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->var[i].builtin && strcmp(c->var[i].name, name) == 0)
			return &c->var[i];
	return NULL;
}

const char *
conf_get(const struct conf *c, const char *name)
{
	const struct conf_var *v = assigned(c, name);

	return v != NULL ? v->value : NULL;
}

const char *
conf_where(const struct conf *c, const char *name)
{
	const struct conf_var *v = assigned(c, name);

	return v != NULL ? v->where : NULL;
}
