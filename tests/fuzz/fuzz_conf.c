/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_conf.c: conf.d text -> conf_parse -> config_build -> kargv_build,
 * and config_lint.
 *
 * Invariants: nothing crashes or reads out of bounds; errors are one
 * printable line; accepted values hold no byte the grammar cannot
 * produce; an accepted guest always yields an argv whose words (but the
 * kernel's path) are single kernel command-line words.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "confread.h"
#include "guestconf.h"
#include "kargv.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
assert_printable(const char *s)
{
	for (; *s != '\0'; s++)
		assert(*s >= 0x20 && *s < 0x7f);
}

/* config_lint's messages: one printable line, naming the file. */
static void
lint_line(void *arg, const char *msg)
{
	(void)arg;
	assert(strncmp(msg, "fuzz:", 5) == 0);
	assert_printable(msg);
}

static void
check_conf(const struct conf *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		const struct conf_var *v = &c->var[i];

		assert(strlen(v->name) < CONF_NAME_MAX);
		assert(strlen(v->value) < CONF_VALUE_MAX);
		/* A quoted value may span lines (t-conf-sh checks that real
		 * shells agree); a NUL never gets in. */
		assert(memchr(v->value, '\0', strlen(v->value)) == NULL);
		for (j = 0; v->name[j] != '\0'; j++) {
			char ch = v->name[j];

			assert(ch == '_' || (ch >= 'A' && ch <= 'Z') ||
			    (ch >= 'a' && ch <= 'z') || (j > 0 && ch >= '0' && ch <= '9'));
		}
		/* The only builtin, unless a file assigned the name. */
		if (v->builtin)
			assert(strcmp(v->name, "RC_SVCNAME") == 0 &&
			    strcmp(v->value, "uml.fz") == 0);
	}
}

static void
check_guest(const struct guest *g)
{
	char why[256];
	size_t i;

	assert(parse_user(g->user, why, sizeof(why)) == 0);
	assert(parse_abspath(g->kernel, why, sizeof(why)) == 0);
	assert(parse_kpath(g->root, why, sizeof(why)) == 0);
	assert(g->swap[0] == '\0' || parse_kpath(g->swap, why, sizeof(why)) == 0);
	assert(!g->swap_auto || g->swap[0] != '\0');
	assert(g->mem_kib >= MEM_MIN_KIB && g->mem_kib <= MEM_MAX_KIB);
	assert(g->start_timeout >= 1 && g->start_timeout <= TIMEOUT_MAX);
	assert(g->shutdown_timeout >= 1 && g->shutdown_timeout <= TIMEOUT_MAX);
	assert(g->nnic <= NIC_MAX && g->nextra <= EXTRA_MAX);
	for (i = 0; i < g->nnic; i++) {
		assert(parse_ifname(g->nic[i].tap, why, sizeof(why)) == 0);
		assert(g->nic[i].bridge[0] == '\0' ||
		    parse_ifname(g->nic[i].bridge, why, sizeof(why)) == 0);
		assert((g->nic[i].mac[0] & 1) == 0);
	}
	for (i = 0; i < g->nextra; i++)
		assert(parse_kword(g->extra[i], why, sizeof(why)) == 0);
}

static void
check_argv(const struct guest *g, const struct kargv *k)
{
	size_t i;

	/* Ten fixed words; seccomp=, ncpus=, the swap disk and hostfs= when
	 * the guest has them; then NICs and extras (kargv.c). */
	assert(k->argc == 10 + (g->userspace == USERSPACE_SECCOMP) +
	    (g->cpus > 1) + (g->swap[0] != '\0') + (g->hostfs[0] != '\0') +
	    g->nnic + g->nextra);
	assert(k->argc <= KARGV_MAX);
	assert(k->argv[k->argc] == NULL);
	assert(strcmp(k->argv[0], g->kernel) == 0);
	for (i = 1; i < k->argc; i++) {
		const char *w = k->argv[i];

		assert(*w != '\0');
		for (; *w != '\0'; w++)
			assert(*w > 0x20 && *w < 0x7f && *w != '"');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c;
	static struct guest g;
	static struct kargv k;
	char err[512];

	conf_init(&c);
	assert(conf_set_builtin(&c, "RC_SVCNAME", "uml.fz") == 0);
	if (conf_parse(&c, "fuzz", (const char *)data, size, err, sizeof(err)) < 0) {
		assert(strncmp(err, "fuzz:", 5) == 0);
		assert_printable(err);
		return 0;
	}
	assert(err[0] == '\0');
	check_conf(&c);
	if (config_build(&c, "fz", &g, err, sizeof(err)) < 0) {
		assert(err[0] != '\0');
		assert_printable(err);
		return 0;
	}
	check_guest(&g);
	assert(kargv_build(&g, "/run/uml/fz", &k) == 0);
	check_argv(&g, &k);
	config_lint(&c, "fz", lint_line, NULL);
	return 0;
}
