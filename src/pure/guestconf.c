/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guestconf.c: from conf.d assignments to a validated struct guest.  Pure.
 *
 * Every value is checked here, before anything touches the host, and
 * every message names the variable and its value as the file spelled it
 * (or as umlctl derived it, when the variable is unset).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guestconf.h"
#include "guestconf_int.h"
#include "hostfs.h"
#include "parse.h"

#ifndef LOGDIR
#define LOGDIR "/var/log/uml"
#endif

#define RESPAWN_LIMIT	1000


static int
user(struct gbuild *x, struct guest *g)
{
	const char *v = cf_conf(x, "USER");

	if (v == NULL || *v == '\0') {
		snprintf(x->err, x->errlen, "USER is not set in conf.d (it "
		    "must name the account that runs the guest; umlctl never "
		    "takes it from the environment)");
		return -1;
	}
	return cf_take(x, "USER", v, false, parse_user, g->user,
	    sizeof(g->user));
}

/* A default below UMLDIR/<name>/; it is checked like a set value. */
static int
under_umldir(struct gbuild *x, const struct guest *g, const char *var,
    const char *file, checker *fn, char *out, size_t outlen)
{
	char def[CONF_VALUE_MAX];

	snprintf(def, sizeof(def), "%s/%s/%s", g->umldir, g->name, file);
	return cf_take_var(x, var, def, fn, out, outlen);
}

static int
swap(struct gbuild *x, struct guest *g)
{
	const char *v = cf_conf(x, "SWAP");

	/* Unset: the default image, used only if it exists (host.c decides). */
	if (v == NULL) {
		g->swap_auto = true;
		return under_umldir(x, g, "SWAP", "swap.loop", parse_kpath,
		    g->swap, sizeof(g->swap));
	}
	if (*v == '\0')
		return 0;
	return cf_take(x, "SWAP", v, false, parse_kpath, g->swap,
	    sizeof(g->swap));
}

/* MEMORY_DIR: unset or empty means the guest's own tmpfs (u/, rundir.c). */
static int
memdir(struct gbuild *x, struct guest *g)
{
	bool dflt;
	const char *v = cf_get(x, "MEMORY_DIR", "", &dflt);

	g->memdir_own = v[0] == '\0';
	g->memdir[0] = '\0';
	if (g->memdir_own)
		return 0;
	if (cf_take(x, "MEMORY_DIR", v, dflt, parse_kpath, g->memdir,
	    sizeof(g->memdir)) < 0)
		return -1;
	if (strlen(g->memdir) + strlen("/" MEMSUB_PREFIX) + strlen(g->name) >=
	    sizeof(g->memdir))
		return cf_bad(x, "MEMORY_DIR", v, dflt, "too long: the kernel "
		    "gets MEMORY_DIR/" MEMSUB_PREFIX "%s, which must stay "
		    "under %zu bytes", g->name, sizeof(g->memdir));
	return 0;
}

/*
 * HOSTFS: the one host directory the guest may mount (hostfs=, and the
 * kernel's Landlock rule: confine.c).  Apart from the host's system trees
 * and from the guest's own files (hostfs.c); RUNDIR and the other guests
 * are host.c's and cmd.c's to compare.
 */
static int
hostfs(struct gbuild *x, struct guest *g)
{
	bool dflt;
	const char *v = cf_get(x, "HOSTFS", "", &dflt);
	char why[512];

	g->hostfs[0] = '\0';
	if (v[0] == '\0')
		return 0;
	if (cf_take(x, "HOSTFS", v, dflt, parse_hostpath, g->hostfs,
	    sizeof(g->hostfs)) < 0)
		return -1;
	if (hf_guest(g, g, why, sizeof(why)) < 0 ||
	    hf_system(g->hostfs, why, sizeof(why)) < 0)
		return cf_bad(x, "HOSTFS", v, dflt, "%s", why);
	return 0;
}

/* BASE_IMAGE: a shared read-only image; ROOT is then a COW file over it
 * (ubd0=ROOT,BASE), by default UMLDIR/<name>/root.cow. */
static int
root(struct gbuild *x, struct guest *g)
{
	const char *v = cf_conf(x, "BASE_IMAGE");

	g->base[0] = '\0';
	if (v && *v && cf_take(x, "BASE_IMAGE", v, false, parse_kpath, g->base,
	    sizeof(g->base)) < 0)
		return -1;
	return under_umldir(x, g, "ROOT", g->base[0] ? "root.cow" : "root.loop",
	    parse_kpath, g->root, sizeof(g->root));
}

static int
paths(struct gbuild *x, struct guest *g)
{
	char def[CONF_VALUE_MAX];

	snprintf(def, sizeof(def), "%s/%s.log", LOGDIR, g->name);
	if (cf_take_var(x, "UMLDIR", "/var/lib/uml", parse_abspath, g->umldir,
	    sizeof(g->umldir)) < 0 ||
	    under_umldir(x, g, "KERNEL", "linux", parse_abspath, g->kernel,
	    sizeof(g->kernel)) < 0 ||
	    root(x, g) < 0 ||
	    swap(x, g) < 0 ||
	    memdir(x, g) < 0 ||
	    hostfs(x, g) < 0 ||
	    cf_take_var(x, "CONSOLE_LOG", def, parse_abspath, g->console_log,
	    sizeof(g->console_log)) < 0)
		return -1;
	return 0;
}

static int
seconds(struct gbuild *x, const char *var, const char *def, unsigned *out)
{
	char why[256];
	bool dflt;
	const char *v = cf_get(x, var, def, &dflt);

	if (parse_seconds(v, TIMEOUT_MAX, out, why, sizeof(why)) < 0)
		return cf_bad(x, var, v, dflt, "%s", why);
	return 0;
}

static int
flag(struct gbuild *x, const char *var, const char *def, bool *out)
{
	char why[256];
	bool dflt;
	const char *v = cf_get(x, var, def, &dflt);

	if (parse_bool(v, out, why, sizeof(why)) < 0)
		return cf_bad(x, var, v, dflt, "%s", why);
	return 0;
}

static int
numbers(struct gbuild *x, struct guest *g)
{
	char why[256];
	bool dflt;
	const char *v;
	uint64_t kib;

	v = cf_get(x, "MEMORY", "128M", &dflt);
	if (parse_size_kib(v, &g->mem_kib, why, sizeof(why)) < 0)
		return cf_bad(x, "MEMORY", v, dflt, "%s", why);
	if (seconds(x, "SHUTDOWN_TIMEOUT", "60", &g->shutdown_timeout) < 0 ||
	    seconds(x, "START_TIMEOUT", "30", &g->start_timeout) < 0 ||
	    seconds(x, "HANG_TIMEOUT", "30", &g->hang_timeout) < 0 ||
	    flag(x, "RESPAWN", "no", &g->respawn) < 0 ||
	    flag(x, "RESPAWN_HUNG", "no", &g->respawn_hung) < 0 ||
	    flag(x, "KERNEL_CHECK", "yes", &g->kernel_check) < 0 ||
	    flag(x, "CONFINE", "yes", &g->confine) < 0)
		return -1;
	v = cf_get(x, "CONSOLE_LOG_MAX", "1M", &dflt);
	if (parse_size_in(v, LOG_MIN_KIB, LOG_MAX_KIB, NULL, &kib, why,
	    sizeof(why)) < 0)
		return cf_bad(x, "CONSOLE_LOG_MAX", v, dflt, "%s", why);
	g->console_log_max = kib * 1024;
	v = cf_get(x, "RESPAWN_MAX", "5", &dflt);
	if (parse_count(v, RESPAWN_LIMIT, &g->respawn_max, why,
	    sizeof(why)) < 0)
		return cf_bad(x, "RESPAWN_MAX", v, dflt, "%s", why);
	return 0;
}

static int
ready(struct gbuild *x, struct guest *g)
{
	static const char *const words[] = { "mconsole", "guest", NULL };
	int i;

	if (cf_one_of(x, "READY", "mconsole", words, "readiness", &i) < 0)
		return -1;
	g->ready = i == 1 ? READY_GUEST : READY_MCONSOLE;
	return 0;
}

/* CPUS and USERSPACE: the kernel's SMP runs only over the seccomp
 * userspace (arch/um/os-Linux/start_up.c, 6.19 on). */
static int
speed(struct gbuild *x, struct guest *g)
{
	static const char *const words[] = { "ptrace", "seccomp", NULL };
	char why[256];
	bool dflt;
	const char *v;
	int i;

	if (cf_one_of(x, "USERSPACE", "ptrace", words, "guest userspace",
	    &i) < 0)
		return -1;
	g->userspace = i == 1 ? USERSPACE_SECCOMP : USERSPACE_PTRACE;
	v = cf_get(x, "CPUS", "1", &dflt);
	if (parse_cpus(v, CPUS_MAX, &g->cpus, why, sizeof(why)) < 0)
		return cf_bad(x, "CPUS", v, dflt, "%s", why);
	if (g->cpus > 1 && g->userspace != USERSPACE_SECCOMP)
		return cf_bad(x, "CPUS", v, dflt, "more than one CPU needs "
		    "USERSPACE=\"seccomp\" (UML runs SMP only over the seccomp "
		    "userspace; read uml(8) on what it costs)");
	return 0;
}

static int
kernel_args(struct gbuild *x, struct guest *g)
{
	char word[CONF_VALUE_MAX];
	bool dflt;
	const char *args = cf_get(x, "KERNEL_ARGS", "", &dflt), *p = args;

	while (cf_next_word(&p, word, sizeof(word)) > 0) {
		if (g->nextra == EXTRA_MAX)
			return cf_bad(x, "KERNEL_ARGS", args, false,
			    "more than %d words", EXTRA_MAX);
		if (cf_word_ok(x, "KERNEL_ARGS", args, "word", word,
		    parse_kword) < 0)
			return -1;
		strcpy(g->extra[g->nextra++], word);
	}
	return 0;
}

/* OpenRC's rc_need: umlctl only checks that the services exist (openrc.c). */
static int
rc_need(struct gbuild *x, struct guest *g)
{
	char word[CONF_VALUE_MAX];
	bool dflt;
	const char *v = cf_get(x, "rc_need", "", &dflt), *p = v;

	while (cf_next_word(&p, word, sizeof(word)) > 0)
		if (cf_word_ok(x, "rc_need", v, "service", word,
		    parse_service) < 0)
			return -1;
	if (strlen(v) >= sizeof(g->rc_need))
		return cf_bad(x, "rc_need", v, dflt, "longer than %zu bytes",
		    sizeof(g->rc_need) - 1);
	strcpy(g->rc_need, v);
	return 0;
}

int
config_build(const struct conf *c, const char *name, struct guest *g,
    char *err, size_t errlen)
{
	return config_build_asked(c, name, g, err, errlen, NULL);
}

int
config_build_asked(const struct conf *c, const char *name, struct guest *g,
    char *err, size_t errlen, struct asked *a)
{
	struct gbuild x = { c, err, errlen, a };
	char why[256], shown[SHOW_MAX * 4 + 8];

	memset(g, 0, sizeof(*g));
	if (errlen > 0)
		err[0] = '\0';
	if (parse_name(name, why, sizeof(why)) < 0) {
		cf_show(name, shown, sizeof(shown));
		snprintf(err, errlen, "instance name \"%s\": %s", shown, why);
		return -1;
	}
	strcpy(g->name, name);
	if (user(&x, g) < 0 || paths(&x, g) < 0 || numbers(&x, g) < 0 ||
	    ready(&x, g) < 0 || speed(&x, g) < 0 || cf_network(&x, g) < 0 ||
	    kernel_args(&x, g) < 0 || rc_need(&x, g) < 0)
		return -1;
	return 0;
}
